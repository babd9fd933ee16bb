//! The page-table walk and copy-on-write, as plain data for the Walk panel: the
//! virtual address the command at the playhead works on, the entry each level of the
//! walk used so far, where the walk ends (a frame, or an entry that is not present),
//! and what a fault did (the PTE it set, the frame it copied). No Yew here; the tests
//! below check it against the kernel's walk of a real address.

use mm_core::event::{FaultKind, VmEvent};
use mm_core::views::page_table::{entry_pfn, flag_names, levels, PtLevel, PAGE_PRESENT};
use mm_core::Event;

/// One level of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// PGD, P4D, PUD, PMD or PTE.
    pub level: PtLevel,
    /// The lowest address bit of this level's index.
    pub shift: u32,
    /// The index the address gives at this level.
    pub index: u16,
    /// The table's page and the entry used, once the walk has reached this level.
    pub used: Option<(u64, u64)>,
}

/// What a copy-on-write fault did with the frame two mappings shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cow {
    /// `wp_page_copy`: this mapping gets a copy in `to`; the others keep `from`.
    Copy {
        /// The shared frame.
        from: u64,
        /// The new copy.
        to: u64,
        /// Whether the shared frame was the zero page.
        zero: bool,
    },
    /// `wp_page_reuse`: this mapping was the frame's last; it is made writable.
    Reuse {
        /// The frame.
        pfn: u64,
    },
}

/// The picture of a walk or a fault at the playhead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkScene {
    /// The process.
    pub pid: u32,
    /// The virtual address.
    pub va: u64,
    /// The levels, top first.
    pub levels: Vec<Level>,
    /// The fault, if the command took one: (kind, whether a write).
    pub fault: Option<(FaultKind, bool)>,
    /// The PTE the fault set, if it did.
    pub pte_set: Option<u64>,
    /// What copy-on-write did, if it ran.
    pub cow: Option<Cow>,
    /// The step in words.
    pub label: String,
}

impl WalkScene {
    /// The frame the walk reached (its last entry used, present, at the PTE level).
    pub fn frame(&self) -> Option<u64> {
        let last = self.levels.last()?;
        let (_, e) = last.used?;
        (last.level == PtLevel::Pte && e & PAGE_PRESENT != 0).then(|| entry_pfn(e))
    }

    /// The level where the walk stopped at an entry that is not present.
    pub fn stopped_at(&self) -> Option<PtLevel> {
        self.levels
            .iter()
            .find(|l| l.used.is_some_and(|(_, e)| e & PAGE_PRESENT == 0))
            .map(|l| l.level)
    }

    /// The swap entry (type, offset) the walk stopped at, if its PTE holds one.
    pub fn swap_entry(&self) -> Option<(u64, u64)> {
        self.levels
            .iter()
            .filter(|l| l.level == PtLevel::Pte)
            .find_map(|l| l.used.map(|(_, e)| e))
            .filter(|e| mm_core::views::page_table::is_swap_pte(*e))
            .map(mm_core::views::page_table::pte_to_swp_entry)
    }
}

/// The walk of the command `line` after its first `events` (what has happened up to
/// the playhead); None for a command that walks nothing and takes no fault.
pub fn scene(line: &str, events: &[Event], la57: bool) -> Option<WalkScene> {
    let mut words = line.split_whitespace();
    let translate = words.next() == Some("translate");
    let mut pid = words.next().and_then(|p| p.parse::<u32>().ok());
    let mut va = words
        .next()
        .and_then(|a| mm_core::vocab::parse_number(a).ok());
    let (mut used, mut fault, mut pte_set, mut cow) = (Vec::new(), None, None, None);
    for e in events {
        let Event::Vm(v) = e else { continue };
        match v {
            VmEvent::WalkStep {
                pid: p,
                level,
                table,
                entry,
                ..
            } => {
                pid = Some(*p);
                used.push((*level, *table, *entry));
            }
            VmEvent::Fault {
                pid: p,
                addr,
                write,
                fault: kind,
            } => {
                // A new fault (touch takes one per page): what the last one did is past.
                (pid, va) = (Some(*p), Some(*addr));
                fault = Some((*kind, *write));
                (pte_set, cow) = (None, None);
                used.clear();
            }
            VmEvent::PteSet { pte, .. } => pte_set = Some(*pte),
            VmEvent::CowCopy { from, to, zero, .. } => {
                cow = Some(Cow::Copy {
                    from: from.0,
                    to: to.0,
                    zero: *zero,
                })
            }
            VmEvent::CowReuse { pfn, .. } => cow = Some(Cow::Reuse { pfn: pfn.0 }),
            _ => {}
        }
    }
    if !translate && fault.is_none() {
        return None;
    }
    let (pid, va) = (pid?, va?);
    let levels: Vec<Level> = levels(la57)
        .iter()
        .map(|&(level, shift)| Level {
            level,
            shift,
            index: ((va >> shift) & 511) as u16,
            used: used
                .iter()
                .find(|(l, _, _)| *l == level)
                .map(|&(_, t, e)| (t, e)),
        })
        .collect();
    let mut s = WalkScene {
        pid,
        va,
        levels,
        fault,
        pte_set,
        cow,
        label: String::new(),
    };
    s.label = describe(&s);
    Some(s)
}

/// The step in words (the picture's accessible name).
fn describe(s: &WalkScene) -> String {
    if let Some(c) = s.cow {
        return match c {
            Cow::Copy { from, to, zero } => format!(
                "copy-on-write: process {} gets its own copy of {} in frame {to:#x}; the other mapping keeps {from:#x}",
                s.pid,
                if zero { "the zero page" } else { "the shared frame" }
            ),
            Cow::Reuse { pfn } => format!(
                "copy-on-write: frame {pfn:#x} has no other mapping left, so process {} reuses it and its PTE becomes writable",
                s.pid
            ),
        };
    }
    if let Some(pte) = s.pte_set {
        return format!(
            "the fault sets the PTE of {:#x} to {pte:#018x} ({}): frame {:#x}",
            s.va,
            flag_names(pte),
            entry_pfn(pte)
        );
    }
    if let Some((kind, write)) = s.fault {
        return format!(
            "a {} of {:#x} by process {} faults: {}",
            if write { "write" } else { "read" },
            s.va,
            s.pid,
            fault_words(kind)
        );
    }
    if let Some((swap_type, off)) = s.swap_entry() {
        return format!(
            "the walk of {:#x} stops at a swap entry: the page is in swap area {swap_type}, slot {off}; an access faults and do_swap_page brings it back",
            s.va
        );
    }
    if let Some(l) = s.stopped_at() {
        return format!(
            "the walk of {:#x} stops at {l}: the entry is not present, so an access would page-fault",
            s.va
        );
    }
    if let Some(f) = s.frame() {
        return format!(
            "{:#x} is in frame {f:#x}: physical address {:#x}",
            s.va,
            (f << 12) | (s.va & 0xfff)
        );
    }
    match s.levels.iter().rev().find(|l| l.used.is_some()) {
        Some(l) => format!(
            "{}[{}] of {:#x} points at the next table",
            l.level, l.index, s.va
        ),
        None => format!(
            "walk {:#x}: bits {}–{} pick the first table's entry",
            s.va,
            s.levels.first().map(|l| l.shift + 8).unwrap_or(47),
            s.levels.first().map(|l| l.shift).unwrap_or(39)
        ),
    }
}

/// What a fault did, in words.
pub fn fault_words(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::None => "no fault, the page is mapped",
        FaultKind::Missing => "the PTE is empty (do_pte_missing)",
        FaultKind::WriteProtected => "the PTE is write-protected (do_wp_page)",
        FaultKind::ZeroPage => "a read maps the shared zero page",
        FaultKind::NewPage => "a write gets a new zeroed page",
        FaultKind::CowCopy => "copy-on-write copies the page",
        FaultKind::CowReuse => "copy-on-write reuses the page",
        FaultKind::ShmemNew => "a new shared page is created",
        FaultKind::ShmemMapped => "the shared page is mapped",
        FaultKind::Swap => "the PTE holds a swap entry (do_swap_page)",
        FaultKind::SwapIn => "the page is read back from swap (a major fault)",
        FaultKind::SwapCache => "the page is still in the swap cache (a minor fault)",
        FaultKind::FileCache => "the file's page is in the page cache (a minor fault)",
        FaultKind::FileRead => "the file's page is read from the disk (a major fault)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn translate_walks_four_levels_to_the_frame() {
        let mut s = Session::new();
        for l in ["spawn app", "mmap 2 64K", "write 2 0x7ffff7ff0000"] {
            s.append(l);
        }
        s.append("translate 2 0x7ffff7ff0123");
        let c = s.commands.len() - 1;
        let r = &s.commands[c];
        let half = scene(&r.line, &r.events[..2], false).expect("a walk");
        assert_eq!(
            half.levels.iter().map(|l| l.index).collect::<Vec<_>>(),
            [255, 511, 447, 496]
        );
        assert!(half.levels[0].used.is_some() && half.levels[2].used.is_none());
        let all = scene(&r.line, &r.events, false).expect("a walk");
        let frame = all.frame().expect("mapped");
        assert!(
            all.label.contains(&format!("frame {frame:#x}")),
            "{}",
            all.label
        );
    }

    #[test]
    fn a_write_after_fork_copies_the_shared_frame() {
        let mut s = Session::new();
        for l in [
            "spawn app",
            "mmap 2 64K",
            "write 2 0x7ffff7ff0000",
            "fork 2",
        ] {
            s.append(l);
        }
        s.append("write 3 0x7ffff7ff0000");
        let r = s.commands.last().expect("ran");
        let sc = scene(&r.line, &r.events, false).expect("a fault");
        assert!(
            matches!(sc.cow, Some(Cow::Copy { zero: false, .. })),
            "{sc:?}"
        );
        assert!(sc
            .label
            .starts_with("copy-on-write: process 3 gets its own copy"));
        // An unmapped address stops the walk where the entry is missing.
        s.append("translate 2 0x1000");
        let r = s.commands.last().expect("ran");
        let w = scene(&r.line, &r.events, false).expect("a walk");
        assert_eq!(w.stopped_at(), Some(PtLevel::Pgd), "{w:?}");
        assert!(w.label.contains("stops at PGD"), "{}", w.label);
        // Each fault of a touch is its own picture: page 2's is not page 1's.
        s.append("mmap 2 64K");
        s.append("touch 2 0x7ffff7fdf000 8K");
        let r = s.commands.last().expect("ran");
        let faults: Vec<usize> = r
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Event::Vm(VmEvent::Fault { .. })))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(faults.len(), 2);
        let second = scene(&r.line, &r.events[..=faults[1]], false).expect("a fault");
        assert_eq!(
            (second.va, second.pte_set, second.cow),
            (0x7ffff7fe0000, None, None)
        );
    }
}
