//! The Blocks picture, as plain data: for one page-allocator step, the block it works
//! on drawn proportionally inside the order-10 block that contains it, the halves or
//! buddies involved, and the zone's `free_area[order]` rows with their first blocks.
//! No Yew and no canvas here: the panel (`components/blocks_panel.rs`) tweens two
//! scenes and paints them, and the tests below check what each step shows.
//!
//! Every shape has a [`Key`] that names the block it stands for, so that the same block
//! in two consecutive scenes is the same shape moving: the upper half of a split slides
//! from the bar to its free-area row, a buddy taken off its list flies up into the
//! bar, and chips shift along a row when a block joins its head.

use mm_core::event::{BuddyState, PageAllocEvent as P, Placement};
use mm_core::views::{FreeListsView, ZoneFreeView};
use mm_core::vocab::{MigrateType, ZoneType, MAX_PAGE_ORDER, NR_PAGE_ORDERS};
use mm_core::{Event, PageUse};

/// The context bar shows the aligned block of this order around the step's block.
pub const FRAME_ORDER: u8 = MAX_PAGE_ORDER;

/// Chips drawn per free-area row (the rest are counted).
pub const CHIPS: usize = 5;

/// What a shape stands for: a block in the bar, or a block's chip on a free list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A block (first PFN, order) drawn in the focus bar.
    Seg(u64, u8),
    /// A block (first PFN, order) on its `free_area[order]` list.
    Chip(u64, u8),
}

/// Where a shape sits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Row {
    /// The focus bar: x and w are fractions of the focus block.
    Focus,
    /// `free_area[order]`'s row: x and w are fractions of the row's chip area.
    Area(u8),
}

/// How a shape is painted (the panel maps tones to the palette).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A free block of this pageblock migrate type.
    Free(MigrateType),
    /// Pages in this use (a [`PageUse`] byte).
    State(u8),
    /// The block the request keeps, or the block being freed.
    Request,
}

/// One block on the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// What it stands for.
    pub key: Key,
    /// Where it sits.
    pub row: Row,
    /// Left edge, as a fraction of its row.
    pub x: f64,
    /// Width, as a fraction of its row.
    pub w: f64,
    /// How it is painted.
    pub tone: Tone,
    /// Its label, drawn when it fits.
    pub text: String,
    /// Drawn with the accent outline: the step is about it.
    pub accent: bool,
}

/// The picture of one step.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The zone the step is in.
    pub zone: ZoneType,
    /// First PFN of the order-[`FRAME_ORDER`] block around the step's block.
    pub frame: u64,
    /// The block drawn full width in the focus bar: (first PFN, order).
    pub focus: (u64, u8),
    /// Whether the step works on a block (else only the free-area rows are drawn: a
    /// request beginning, a watermark check, an empty list looked at).
    pub bar: bool,
    /// Page states of the frame, one byte per page (pages past memory: reserved).
    pub strip: Vec<u8>,
    /// Free blocks per order in the zone.
    pub counts: [u64; NR_PAGE_ORDERS],
    /// The free-area row the step touches.
    pub hot_row: Option<u8>,
    /// The blocks, in drawing order.
    pub shapes: Vec<Shape>,
    /// The step in words (the drawing's accessible name).
    pub label: String,
    /// The buddy arithmetic, when the step uses it.
    pub math: Option<String>,
    /// A pageblock changing migrate type at this step: (from, to).
    pub retype: Option<(MigrateType, MigrateType)>,
}

/// Where a block sits in the focus bar of `focus`: (x, w) as fractions of the bar.
pub fn place(focus: (u64, u8), pfn: u64, order: u8) -> (f64, f64) {
    let span = (1u64 << focus.1) as f64;
    let x = (pfn as f64 - focus.0 as f64) / span;
    (x, (1u64 << order) as f64 / span)
}

fn size(order: u8) -> String {
    let kb = 4u64 << order;
    if kb >= 1024 {
        format!("{} MiB", kb / 1024)
    } else {
        format!("{kb} KiB")
    }
}

/// The blocks of one step, as the free lists (`view`) and page states (`states`) are
/// at that step; None for a step that works on no block of the page allocator.
pub fn scene(view: &FreeListsView, states: &[u8], e: &Event) -> Option<Scene> {
    let Event::PageAlloc(p) = e else {
        return None;
    };
    let state = |pfn: u64| {
        states
            .get(pfn as usize)
            .copied()
            .unwrap_or(PageUse::Reserved as u8)
    };
    let seg = |pfn: u64, order: u8, tone: Tone, text: String, accent: bool| Shape {
        key: Key::Seg(pfn, order),
        row: Row::Focus,
        x: 0.0,
        w: 0.0,
        tone,
        text,
        accent,
    };
    let name = |pfn: u64, order: u8| format!("{pfn:#x} · order {order} · {}", size(order));
    let (zone, focus, segs, hot_row, label, math) = match *p {
        P::Split {
            zone,
            pfn,
            upper,
            order,
            migratetype,
        } => (
            zone,
            (pfn.0, order + 1),
            vec![
                seg(
                    pfn.0,
                    order,
                    Tone::Request,
                    format!("{} stays", name(pfn.0, order)),
                    true,
                ),
                seg(
                    upper.0,
                    order,
                    Tone::Free(migratetype),
                    format!("{} → free_area[{order}]", name(upper.0, order)),
                    false,
                ),
            ],
            Some(order),
            format!(
                "order-{} block {pfn} splits: {pfn} stays, {upper} goes to free_area[{order}]",
                order + 1
            ),
            None,
        ),
        P::TakeBlock {
            zone, pfn, order, ..
        } => (
            zone,
            (pfn.0, order),
            vec![seg(
                pfn.0,
                order,
                Tone::Request,
                format!("{} taken", name(pfn.0, order)),
                true,
            )],
            Some(order),
            format!("order-{order} block {pfn} leaves free_area[{order}]"),
            None,
        ),
        P::ListLook {
            zone,
            order,
            migratetype,
            found: Some(pfn),
        } => (
            zone,
            (pfn.0, order),
            vec![seg(
                pfn.0,
                order,
                Tone::Free(migratetype),
                name(pfn.0, order),
                true,
            )],
            Some(order),
            format!("free_area[{order}] of {zone} ({migratetype}) has block {pfn} at its head"),
            None,
        ),
        P::Allocated {
            zone,
            pfn,
            order,
            usage,
        } => (
            zone,
            (pfn.0, order),
            vec![seg(
                pfn.0,
                order,
                Tone::State(usage as u8),
                format!("{} · {}", name(pfn.0, order), usage.name()),
                true,
            )],
            None,
            format!("order-{order} block {pfn} is allocated ({})", usage.name()),
            None,
        ),
        P::FreeStart { zone, pfn, order } => (
            zone,
            (pfn.0, order),
            vec![seg(
                pfn.0,
                order,
                Tone::Request,
                format!("{} freed", name(pfn.0, order)),
                true,
            )],
            None,
            format!("order-{order} block {pfn} is freed"),
            None,
        ),
        P::BuddyBusy {
            zone,
            pfn,
            buddy,
            order,
            reason,
        } => {
            let short = match reason {
                BuddyState::InUse => "in use",
                BuddyState::OtherOrder => "free, other order",
                BuddyState::PageblockType => "pageblock type differs",
                BuddyState::OutsideZone => "outside the zone",
            };
            (
                zone,
                (pfn.0 & buddy.0, order + 1),
                vec![
                    seg(pfn.0, order, Tone::Request, name(pfn.0, order), true),
                    seg(
                        buddy.0,
                        order,
                        Tone::State(state(buddy.0)),
                        format!("buddy {buddy}: {short}"),
                        false,
                    ),
                ],
                Some(order),
                format!(
                    "the order-{order} buddy of {pfn} is {buddy}: {}, so merging stops",
                    reason.why()
                ),
                Some(format!(
                    "buddy = {pfn} ^ (1 << {order}) = {buddy}: {}",
                    reason.why()
                )),
            )
        }
        P::Merge {
            zone,
            pfn,
            buddy,
            order,
            merged,
            buddy_mt,
        } => (
            zone,
            (merged.0, order + 1),
            vec![
                seg(pfn.0, order, Tone::Request, name(pfn.0, order), true),
                seg(
                    buddy.0,
                    order,
                    Tone::Free(buddy_mt),
                    format!("buddy {buddy}: free"),
                    true,
                ),
            ],
            Some(order),
            format!(
                "{pfn} and its buddy {buddy} merge into order-{} block {merged}",
                order + 1
            ),
            Some(format!(
                "buddy = {pfn} ^ (1 << {order}) = {buddy}; merged = {pfn} & {buddy} = {merged}"
            )),
        ),
        P::AddFree {
            zone,
            pfn,
            order,
            migratetype,
            placement,
        } => (
            zone,
            (pfn.0, order),
            vec![seg(
                pfn.0,
                order,
                Tone::Free(migratetype),
                name(pfn.0, order),
                true,
            )],
            Some(order),
            format!(
                "order-{order} block {pfn} joins the {} of free_area[{order}] ({migratetype})",
                if placement == Placement::Head {
                    "head"
                } else {
                    "tail"
                }
            ),
            None,
        ),
        P::ClaimBlock {
            zone,
            pfn,
            order,
            from,
            to,
        }
        | P::Highatomic {
            zone,
            pfn,
            order,
            from,
            to,
            ..
        }
        | P::StealBlock {
            zone,
            pfn,
            order,
            from,
            to,
        }
        | P::MoveFree {
            zone,
            pfn,
            order,
            from,
            to,
        } => {
            let verb = match p {
                P::ClaimBlock { .. } => "is claimed",
                P::Highatomic { to, .. } if *to == MigrateType::HighAtomic => "is reserved",
                P::Highatomic { .. } => "is released",
                P::StealBlock { .. } => "is stolen",
                _ => "moves",
            };
            (
                zone,
                (pfn.0, order),
                vec![seg(
                    pfn.0,
                    order,
                    Tone::Free(to),
                    format!("{} · {from} → {to}", name(pfn.0, order)),
                    true,
                )],
                Some(order),
                format!("order-{order} block {pfn} {verb}: {from} becomes {to}"),
                None,
            )
        }
        P::PcpTake { zone, pfn, order } | P::PcpPut { zone, pfn, order } => {
            let put = matches!(p, P::PcpPut { .. });
            (
                zone,
                (pfn.0, order),
                vec![seg(
                    pfn.0,
                    order,
                    Tone::State(if put {
                        PageUse::Pcp as u8
                    } else {
                        state(pfn.0)
                    }),
                    format!("{} · per-cpu list", name(pfn.0, order)),
                    true,
                )],
                None,
                format!(
                    "order-{order} block {pfn} {} CPU 0's per-cpu list",
                    if put { "parks on" } else { "leaves" }
                ),
                None,
            )
        }
        P::AllocStart {
            order,
            highest_zone,
            migratetype,
            ..
        } => {
            let z = view
                .zones
                .iter()
                .rev()
                .find(|z| z.zone <= highest_zone)
                .or(view.zones.first())?;
            return Some(rows_only(
                z,
                Some(order),
                format!(
                    "a request for an order-{order} block ({}, {migratetype}) begins: the lists are looked at from free_area[{order}] up",
                    size(order)
                ),
            ));
        }
        P::WatermarkCheck {
            zone,
            order,
            mark,
            free,
            required,
            ok,
            no_block,
        } => {
            let z = view.zones.iter().find(|z| z.zone == zone)?;
            let verdict = if ok {
                "ok, take from it".to_string()
            } else if no_block {
                format!("but no free block of order {order} or larger: try the next zone")
            } else {
                "too few, try the next zone".to_string()
            };
            return Some(rows_only(
                z,
                Some(order),
                format!(
                    "{zone} has {free} free pages; the {} mark needs more than {required}: {verdict}",
                    mark.name()
                ),
            ));
        }
        P::ListLook {
            zone,
            order,
            migratetype,
            found: None,
        } => {
            let z = view.zones.iter().find(|z| z.zone == zone)?;
            return Some(rows_only(
                z,
                Some(order),
                format!("free_area[{order}] of {zone} ({migratetype}) is empty: look one order up"),
            ));
        }
        P::NoFragmentRetry { .. }
        | P::SlowPath { .. }
        | P::WatermarkBoost { .. }
        | P::KswapdBoostReset { .. }
        | P::AllocFailed { .. }
        | P::PcpRefill { .. }
        | P::PcpDrain { .. }
        | P::Watermarks { .. } => return None,
    };
    let z = view.zones.iter().find(|z| z.zone == zone)?;
    let frame_pages = 1u64 << FRAME_ORDER;
    let frame = focus.0 & !(frame_pages - 1);
    let strip = (frame..frame + frame_pages).map(state).collect();
    let mut shapes: Vec<Shape> = segs
        .into_iter()
        .map(|mut s| {
            if let Key::Seg(pfn, order) = s.key {
                (s.x, s.w) = place(focus, pfn, order);
            }
            s
        })
        .collect();
    // The chip the step touches is the one the buddy panel lights (events::highlight).
    let touched = crate::events::event_chip(e).map(|(_, order, pfn)| (pfn, order));
    shapes.extend(chips(z, &touched));
    Some(Scene {
        zone,
        frame,
        focus,
        bar: true,
        strip,
        counts: z.nr_free(),
        hot_row,
        shapes,
        label,
        math,
        retype: match *p {
            P::ClaimBlock { from, to, .. }
            | P::Highatomic { from, to, .. }
            | P::StealBlock { from, to, .. }
            | P::MoveFree { from, to, .. } => Some((from, to)),
            _ => None,
        },
    })
}

/// A picture of the zone's free-area rows only, for a step that works on no block.
fn rows_only(z: &ZoneFreeView, hot_row: Option<u8>, label: String) -> Scene {
    Scene {
        zone: z.zone,
        frame: u64::MAX,
        focus: (0, FRAME_ORDER),
        bar: false,
        strip: Vec::new(),
        counts: z.nr_free(),
        hot_row,
        shapes: chips(z, &None),
        label,
        math: None,
        retype: None,
    }
}

/// The first [`CHIPS`] blocks of each `free_area[order]` (all migrate types, head
/// first), one slot each.
fn chips(z: &ZoneFreeView, accent: &Option<(u64, u8)>) -> Vec<Shape> {
    let mut out = Vec::new();
    for (o, lists) in z.lists.iter().enumerate() {
        let order = o as u8;
        let all = MigrateType::ALL
            .into_iter()
            .flat_map(|mt| lists[mt.idx()].iter().map(move |p| (mt, *p)));
        for (slot, (mt, pfn)) in all.take(CHIPS).enumerate() {
            out.push(Shape {
                key: Key::Chip(pfn, order),
                row: Row::Area(order),
                x: slot as f64 / CHIPS as f64,
                w: 1.0 / CHIPS as f64,
                tone: Tone::Free(mt),
                text: format!("{} {pfn:#x}", mt.letter()),
                accent: *accent == Some((pfn, order)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    /// The scenes of every step of the last command, in order.
    fn labels(s: &mut Session) -> Vec<String> {
        let last = s.commands.len() - 1;
        let first = s.commands[last].first_frame;
        let n = s.commands[last].events.len();
        (first..first + n)
            .filter_map(|f| {
                s.frame = f;
                s.blocks_scene().map(|sc| sc.label)
            })
            .collect()
    }

    #[test]
    fn alloc_pages_3_splits_down_and_free_pages_merges_back() {
        let mut s = Session::with_boot(
            mm_core::BootParams::parse(["mem=64M", "dma=4M", "dma32=32M"]).unwrap_or_default(),
        );
        let out = s.append("alloc_pages 3").output.clone();
        let split = labels(&mut s);
        assert!(out.starts_with("pfn=0x"), "{out}");
        let splits: Vec<&String> = split.iter().filter(|l| l.contains("splits")).collect();
        assert!(!splits.is_empty(), "{split:#?}");
        // One split per order, from the block taken down to order 3.
        let top = splits.len() + 3;
        for (i, l) in splits.iter().enumerate() {
            let o = top - 1 - i;
            assert!(l.starts_with(&format!("order-{} block ", o + 1)), "{l}");
            assert!(l.ends_with(&format!("goes to free_area[{o}]")), "{l}");
        }
        assert!(split
            .iter()
            .any(|l| l.contains(&format!("leaves free_area[{top}]"))));
        assert!(split
            .last()
            .is_some_and(|l| l.contains("is allocated (kernel)")));

        let pfn = out
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_start_matches("pfn=");
        s.append(&format!("free_pages {pfn} 3"));
        let merge = labels(&mut s);
        assert_eq!(
            merge.iter().filter(|l| l.contains("merge into")).count(),
            splits.len(),
            "{merge:#?}"
        );
        assert!(merge.last().is_some_and(|l| l.contains("joins the")));
    }

    #[test]
    fn a_split_puts_the_halves_side_by_side_and_the_upper_on_its_row() {
        let mut s = Session::new();
        s.append("alloc_pages 3");
        let first = s.commands[0].first_frame;
        let f = (first..first + s.commands[0].events.len())
            .find(|f| {
                matches!(
                    s.commands[0].events[f - first],
                    Event::PageAlloc(P::Split { order: 3, .. })
                )
            })
            .unwrap_or(first);
        s.frame = f;
        let sc = s.blocks_scene().expect("a split has a picture");
        let (lower, upper) = (&sc.shapes[0], &sc.shapes[1]);
        assert_eq!((lower.x, lower.w, upper.x, upper.w), (0.0, 0.5, 0.5, 0.5));
        assert_eq!(sc.focus.1, 4);
        let Key::Seg(up, 3) = upper.key else {
            panic!("{:?}", upper.key)
        };
        // The upper half heads free_area[3] at this step, its chip lit.
        let chip = sc.shapes.iter().find(|c| c.key == Key::Chip(up, 3));
        assert!(chip.is_some_and(|c| c.x == 0.0 && c.accent && c.row == Row::Area(3)));
        assert_eq!(sc.strip.len(), 1 << FRAME_ORDER);
    }
}
