//! Physical memory: every page frame as a cell on a canvas, coloured by what it holds,
//! with the block the current step works on outlined. Zoom down to single pages; hover
//! or tap a cell for its details. Millions of pages: cells aggregate several pages
//! (the most common state wins) and the canvas is only redrawn when something changed.

use super::StateHandle;
use crate::events::event_block;
use crate::palette::{self, STATES};
use crate::state::Action;
use mm_core::views::PageInfo;
use mm_core::PageUse;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

/// The largest cell, in CSS pixels.
const MAX_CELL: u32 = 24;

/// How pages map onto the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Layout {
    cell: u32,
    per_cell: u64,
    cols: u32,
    rows: u32,
    first: u64,
}

impl Layout {
    /// The zoom level `z` (0 = fit everything) for `pages` pages in a `w`x`h` canvas.
    fn new(pages: u64, w: u32, h: u32, zoom: u32, first: u64) -> Layout {
        // Fit: the largest cell size with one page per cell, else 1px cells with
        // several pages per cell.
        let fits = |cell: u32| u64::from((w / cell) * (h / cell)) >= pages;
        let fit_cell = (1..=MAX_CELL).rev().find(|c| fits(*c)).unwrap_or(1);
        let cells1 = u64::from(w.max(1)) * u64::from(h.max(1));
        let fit_per_cell = if fits(1) { 1 } else { pages.div_ceil(cells1) };
        let (mut cell, mut per_cell) = (fit_cell, fit_per_cell);
        for _ in 0..zoom {
            if per_cell > 1 {
                per_cell = per_cell.div_ceil(2);
            } else {
                cell = (cell + (cell / 2).max(1)).min(MAX_CELL);
            }
        }
        let cols = (w / cell).max(1);
        let rows = (h / cell).max(1);
        let visible = u64::from(cols) * u64::from(rows) * per_cell;
        let first = first.min(pages.saturating_sub(visible)) / (u64::from(cols) * per_cell)
            * (u64::from(cols) * per_cell);
        Layout {
            cell,
            per_cell,
            cols,
            rows,
            first,
        }
    }

    fn visible(&self) -> u64 {
        u64::from(self.cols) * u64::from(self.rows) * self.per_cell
    }

    /// The PFN under canvas pixel (x, y).
    fn pfn_at(&self, x: f64, y: f64) -> Option<u64> {
        let (c, r) = (
            (x / f64::from(self.cell)) as u64,
            (y / f64::from(self.cell)) as u64,
        );
        (c < u64::from(self.cols) && r < u64::from(self.rows))
            .then(|| self.first + (r * u64::from(self.cols) + c) * self.per_cell)
    }
}

/// What is drawn over the pages: the step's block, the selected page, and during
/// compaction the two scanners (migration, free) and the page migrating (from, to).
struct Marks {
    highlight: Option<(u64, u8)>,
    selected: Option<u64>,
    scanners: Option<(u64, u64)>,
    arrow: Option<(u64, u64)>,
}

fn draw(
    canvas: &HtmlCanvasElement,
    pages: &[u8],
    heads: &dyn Fn(u64) -> bool,
    l: &Layout,
    marks: Marks,
    zones: &[(&'static str, u64, u64)],
) {
    let Marks {
        highlight,
        selected,
        scanners,
        arrow,
    } = marks;
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let dark = palette::dark();
    let (w, h) = (canvas.width(), canvas.height());
    let dpr = (f64::from(w) / f64::from((l.cols * l.cell).max(1))).max(1.0);
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    let bg = if dark { [30, 33, 37] } else { [255, 255, 255] };
    for px in rgba.chunks_exact_mut(4) {
        px.copy_from_slice(&[bg[0], bg[1], bg[2], 255]);
    }
    let total = pages.len() as u64;
    let cell_dev = ((f64::from(l.cell) * dpr) as u32).max(1);
    for r in 0..l.rows {
        for c in 0..l.cols {
            let first = l.first + (u64::from(r) * u64::from(l.cols) + u64::from(c)) * l.per_cell;
            if first >= total {
                continue;
            }
            let state = dominant(&pages[first as usize..(first + l.per_cell).min(total) as usize]);
            let color = palette::rgb(state, dark);
            // A block boundary, when cells are big enough to see it: the first pixel
            // column of a block's head cell is darker.
            let edge = l.cell >= 8 && l.per_cell == 1 && heads(first);
            let edge_color = color.map(|v| v / 2);
            let (x0, y0) = (c * cell_dev, r * cell_dev);
            let gap = u32::from(l.cell >= 4);
            for y in y0..(y0 + cell_dev - gap).min(h) {
                for x in x0..(x0 + cell_dev - gap).min(w) {
                    let px = if edge && x < x0 + 2 {
                        &edge_color
                    } else {
                        &color
                    };
                    let i = ((y * w + x) * 4) as usize;
                    rgba[i..i + 3].copy_from_slice(px);
                }
            }
        }
    }
    if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
    // Each row piece of pages [first, first + n) in view: (x, y, w, h) in pixels.
    let pieces = |first: u64, n: u64| {
        let per_row = u64::from(l.cols) * l.per_cell;
        let end = first + n;
        let mut p = first.max(l.first);
        let mut out = Vec::new();
        while p < end && p < l.first + l.visible() {
            let row = (p - l.first) / per_row;
            let row_end = (l.first + (row + 1) * per_row).min(end);
            let c0 = ((p - l.first) % per_row) / l.per_cell;
            let c1 = ((row_end - 1 - l.first) % per_row) / l.per_cell;
            let cd = f64::from(cell_dev);
            out.push((
                c0 as f64 * cd,
                row as f64 * cd,
                (c1 - c0 + 1) as f64 * cd,
                cd,
            ));
            p = row_end;
        }
        out
    };
    // Zone bands: every other zone lightly shaded, so the boundaries show at a glance.
    ctx.set_fill_style_str(if dark {
        "rgba(255,255,255,0.07)"
    } else {
        "rgba(0,40,90,0.07)"
    });
    for (_, start, end) in zones.iter().skip(1).step_by(2) {
        for (x, y, w, h) in pieces(*start, end - start) {
            ctx.fill_rect(x, y, w, h);
        }
    }
    let outline = |first: u64, n: u64, color: &str, width: f64| {
        ctx.set_stroke_style_str(color);
        ctx.set_line_width(width * dpr);
        for (x, y, w, h) in pieces(first, n) {
            ctx.stroke_rect(x, y, w, h);
        }
    };
    // Zone boundaries: a line where a zone starts and its name, so a student sees which
    // zone the cells belong to when zoomed in.
    let per_row = u64::from(l.cols) * l.per_cell;
    let cd = f64::from(cell_dev);
    ctx.set_font(&format!(
        "{}px system-ui, sans-serif",
        crate::anim::fixed(11.0 * dpr, 0)
    ));
    ctx.set_text_baseline("top");
    for (name, start, end) in zones {
        let view_end = l.first + l.visible();
        if *end <= l.first || *start >= view_end {
            continue;
        }
        let at = (*start).max(l.first);
        let row = (at - l.first) / per_row;
        let col = ((at - l.first) % per_row) / l.per_cell;
        let (x, y) = (col as f64 * cd, row as f64 * cd);
        if *start >= l.first {
            ctx.set_fill_style_str(if dark { "#ffffff" } else { "#1b1f24" });
            ctx.fill_rect(x, y, 2.0 * dpr, cd.max(6.0 * dpr));
        }
        let label = format!("{name} ▸");
        let tw = ctx.measure_text(&label).map(|m| m.width()).unwrap_or(40.0);
        let x = x.min(f64::from(w) - tw - 10.0 * dpr).max(0.0);
        ctx.set_fill_style_str(if dark {
            "rgba(0,0,0,0.75)"
        } else {
            "rgba(255,255,255,0.85)"
        });
        ctx.fill_rect(x + 3.0 * dpr, y + 1.0 * dpr, tw + 6.0 * dpr, 14.0 * dpr);
        ctx.set_fill_style_str(if dark { "#ffffff" } else { "#1b1f24" });
        let _ = ctx.fill_text(&label, x + 6.0 * dpr, y + 2.0 * dpr);
    }
    if let Some((pfn, order)) = highlight {
        outline(
            pfn,
            1 << order,
            if dark { "#ffd54a" } else { "#d62d20" },
            2.0,
        );
    }
    if let Some(sel) = selected {
        outline(sel, 1, if dark { "#ffffff" } else { "#000000" }, 1.5);
    }
    // Compaction: the page being migrated flies along an arrow to its new frame, and
    // the two scanners are cursors moving towards each other (blue: migration,
    // up from the zone's start; orange: free pages, down from its end).
    let centre = |p: u64| {
        let in_view = p >= l.first && p < l.first + l.visible();
        in_view.then(|| {
            let (row, col) = (
                (p - l.first) / per_row,
                ((p - l.first) % per_row) / l.per_cell,
            );
            ((col as f64 + 0.5) * cd, (row as f64 + 0.5) * cd)
        })
    };
    if let Some((Some((x0, y0)), Some((x1, y1)))) = arrow.map(|(a, b)| (centre(a), centre(b))) {
        ctx.set_stroke_style_str(if dark { "#56b4e9" } else { "#0072b2" });
        ctx.set_line_width(2.0 * dpr);
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        // The arrowhead: two strokes back from the tip, either side of the line
        // (vector arithmetic; trigonometry would pull libm into the wasm).
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt().max(1.0);
        let (ux, uy) = ((x1 - x0) / len * 9.0 * dpr, (y1 - y0) / len * 9.0 * dpr);
        for side in [0.5, -0.5] {
            ctx.move_to(x1, y1);
            ctx.line_to(x1 - ux - uy * side, y1 - uy + ux * side);
        }
        ctx.stroke();
    }
    if let Some((m, f)) = scanners {
        for (p, color, label, left) in [
            (m, "#0062a0", "migrate ▶", true),
            (f, if dark { "#b36b00" } else { "#a34f00" }, "◀ free", false),
        ] {
            let Some((x, y)) = centre(p) else { continue };
            let x = x - cd / 2.0;
            ctx.set_fill_style_str(color);
            ctx.fill_rect(x - 1.5 * dpr, y - cd, 4.0 * dpr, 2.0 * cd);
            // The name on a plate beside the cursor, on the side it moves towards.
            let tw = ctx.measure_text(label).map(|m| m.width()).unwrap_or(40.0);
            let tx = if left {
                x + 5.0 * dpr
            } else {
                x - tw - 11.0 * dpr
            }
            .max(0.0);
            let ty = (y - cd / 2.0 - 8.0 * dpr).max(0.0);
            ctx.fill_rect(tx, ty, tw + 6.0 * dpr, 15.0 * dpr);
            ctx.set_fill_style_str("#ffffff");
            let _ = ctx.fill_text(label, tx + 3.0 * dpr, ty + 1.5 * dpr);
        }
    }
}

/// The page a compaction step moves: (from, to).
fn migrated(e: &mm_core::Event) -> Option<(u64, u64)> {
    match e {
        mm_core::Event::Compaction(mm_core::event::CompactionEvent::Migrate {
            from, to, ..
        }) => Some((from.0, to.0)),
        _ => None,
    }
}

/// The smallest a followed block may look, in CSS pixels, before the map zooms in.
const FOLLOW_PX: f64 = 24.0;

/// How wide a block of `order` is drawn at layout `l`, in CSS pixels (at most a row).
fn block_px(l: &Layout, order: u8) -> f64 {
    let pages = (1u64 << order) as f64;
    let row = (u64::from(l.cols) * l.per_cell) as f64;
    pages.min(row) / l.per_cell as f64 * f64::from(l.cell)
}

/// Where to zoom and pan to follow block (pfn, order): None when it is already in
/// view at a visible size; else the zoom level that shows it at least [`FOLLOW_PX`]
/// wide and the first PFN that puts it a third of the way down.
fn follow_target(
    pages: u64,
    (w, h): (u32, u32),
    zoom: u32,
    now: Layout,
    pfn: u64,
    order: u8,
) -> Option<(u32, u64)> {
    let end = pfn + (1u64 << order);
    let in_view = pfn >= now.first && end <= now.first + now.visible();
    if in_view && block_px(&now, order) >= FOLLOW_PX {
        return None;
    }
    let z = (0..=24)
        .find(|z| block_px(&Layout::new(pages, w, h, *z, 0), order) >= FOLLOW_PX)
        .unwrap_or(24)
        .max(if in_view { 0 } else { zoom });
    let l = Layout::new(pages, w, h, z, 0);
    let first = pfn.saturating_sub(l.visible() / 3);
    let to = Layout::new(pages, w, h, z, first);
    (z != zoom || to.first != now.first).then_some((z, first))
}

/// A canvas's 2D drawing context.
pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// The most common state among some pages.
fn dominant(pages: &[u8]) -> u8 {
    if pages.len() == 1 {
        return pages[0];
    }
    let mut counts = [0u32; STATES.len()];
    for &p in pages {
        counts[(p as usize).min(STATES.len() - 1)] += 1;
    }
    counts
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| **c)
        .map(|(i, _)| i as u8)
        .unwrap_or(0)
}

/// Details of a page in words.
fn describe(i: &PageInfo) -> String {
    let mut s = format!("PFN {:#x} · phys {:#x}", i.pfn, i.pfn << 12);
    if let Some(z) = i.zone {
        s.push_str(&format!(" · zone {z}"));
    }
    s.push_str(&format!(" · {}", i.usage.name()));
    if let Some((head, order, free)) = i.block {
        s.push_str(&format!(
            " · {} order-{order} block at {head:#x}",
            if free { "free" } else { "allocated" }
        ));
    }
    s.push_str(&format!(" · pageblock {} · {}", i.migratetype, i.owner));
    s
}

/// The memory map panel.
#[component]
pub fn MemoryMap() -> Html {
    let state = use_context::<StateHandle>();
    let canvas_ref = use_node_ref();
    let zoom = use_state(|| 0u32);
    let first = use_state(|| 0u64);
    let hover = use_state(|| None::<String>);
    let size = use_state(|| (800u32, 240u32));
    let follow = use_state(|| true);
    let Some(state) = state else { return html! {} };

    // Measure the canvas's box on first render.
    {
        let canvas_ref = canvas_ref.clone();
        let size = size.clone();
        use_effect_with((), move |_| {
            if let Some(c) = canvas_ref.cast::<HtmlCanvasElement>() {
                let w = (c.client_width().max(200)) as u32;
                let h = (c.client_height().max(120)) as u32;
                size.set((w, h));
            }
        });
    }

    let (pages_len, zones, zone_spans) = {
        let s = state.session.borrow();
        let m = s.map_machine();
        let spans: Vec<(&'static str, u64, u64)> = m
            .zones()
            .iter()
            .map(|z| (z.name, z.start_pfn, z.start_pfn + z.spanned))
            .collect();
        let text: Vec<String> = spans
            .iter()
            .map(|(n, a, b)| format!("{n} {a:#x}–{:#x}", b - 1))
            .collect();
        (m.page_states().len() as u64, text.join(" · "), spans)
    };
    let layout = Layout::new(pages_len, size.0, size.1, *zoom, *first);

    // Follow the step: when the block a step works on would be smaller than
    // FOLLOW_PX, or is out of view, zoom and pan (animated) until it and its
    // neighbourhood fill the view. The Follow toggle turns this off.
    {
        let (zoom, first) = (zoom.clone(), first.clone());
        let st = state.clone();
        let follow = *follow;
        let size = *size;
        let frame = state.session.borrow().frame;
        use_effect_with((frame, follow, size), move |_| {
            let block = st.session.borrow().current_event().and_then(event_block);
            let target = block
                .filter(|_| follow)
                .and_then(|(pfn, order)| follow_target(pages_len, size, *zoom, layout, pfn, order));
            let running = target.map(|(z1, f1)| {
                let (z0, f0) = (f64::from(*zoom), layout.first as f64);
                let ms = crate::anim::tween_ms(st.speed).min(600.0);
                crate::anim::run(ms, move |t| {
                    zoom.set(crate::anim::lerp(z0, f64::from(z1), t).round() as u32);
                    first.set(crate::anim::lerp(f0, f1 as f64, t) as u64);
                })
            });
            move || drop(running)
        });
    }

    // Redraw when anything it shows changed.
    {
        let canvas_ref = canvas_ref.clone();
        let st = state.clone();
        let zone_spans = zone_spans.clone();
        use_effect_with(
            (state.version, layout, state.selected),
            move |(_, layout, selected)| {
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    let dpr = web_sys::window()
                        .map(|w| w.device_pixel_ratio())
                        .unwrap_or(1.0)
                        .clamp(1.0, 2.0);
                    canvas.set_width((f64::from(layout.cols * layout.cell) * dpr) as u32);
                    canvas.set_height((f64::from(layout.rows * layout.cell) * dpr) as u32);
                    let s = st.session.borrow();
                    let highlight = s.current_event().and_then(event_block);
                    let m = s.map_machine();
                    let states = s.page_states();
                    let heads = |p: u64| m.heads_block(p);
                    let perf = web_sys::window().and_then(|w| w.performance());
                    let t0 = perf.as_ref().map(|p| p.now()).unwrap_or(0.0);
                    draw(
                        &canvas,
                        states.states(),
                        &heads,
                        layout,
                        Marks {
                            highlight,
                            selected: *selected,
                            scanners: s.compaction_scanners(),
                            arrow: s.current_event().and_then(migrated),
                        },
                        &zone_spans,
                    );
                    let t1 = perf.as_ref().map(|p| p.now()).unwrap_or(0.0);
                    crate::anim::record_ms("__mmDrawMs", t1 - t0);
                }
            },
        );
    }

    let pfn_from_mouse = {
        let canvas_ref = canvas_ref.clone();
        move |e: &MouseEvent| -> Option<u64> {
            let c = canvas_ref.cast::<HtmlCanvasElement>()?;
            let r = c.get_bounding_client_rect();
            layout
                .pfn_at(
                    f64::from(e.client_x()) - r.left(),
                    f64::from(e.client_y()) - r.top(),
                )
                .filter(|p| *p < pages_len)
        }
    };
    let onmousemove = {
        let hover = hover.clone();
        let st = state.clone();
        let pick = pfn_from_mouse.clone();
        Callback::from(move |e: MouseEvent| {
            let text = pick(&e)
                .and_then(|p| st.session.borrow().map_machine().page_info(p))
                .map(|i| describe(&i));
            hover.set(text);
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_| hover.set(None))
    };
    let onclick = {
        let st = state.clone();
        Callback::from(move |e: MouseEvent| st.dispatch(Action::Select(pfn_from_mouse(&e))))
    };
    let zoom_by = |d: i32| {
        let zoom = zoom.clone();
        Callback::from(move |_| zoom.set((*zoom as i32 + d).clamp(0, 24) as u32))
    };
    let pan = |rows: i64| {
        let first = first.clone();
        let step = u64::from(layout.cols) * layout.per_cell;
        Callback::from(move |_| {
            let delta = step.saturating_mul(rows.unsigned_abs());
            first.set(if rows < 0 {
                layout.first.saturating_sub(delta)
            } else {
                layout.first.saturating_add(delta)
            });
        })
    };
    let onwheel = {
        let first = first.clone();
        let step = u64::from(layout.cols) * layout.per_cell * 4;
        Callback::from(move |e: WheelEvent| {
            if layout.visible() >= pages_len {
                return;
            }
            e.prevent_default();
            first.set(if e.delta_y() < 0.0 {
                layout.first.saturating_sub(step)
            } else {
                layout.first.saturating_add(step)
            });
        })
    };
    let toggle_follow = {
        let follow = follow.clone();
        Callback::from(move |_: MouseEvent| follow.set(!*follow))
    };
    let pct = |p: u64| {
        format!(
            "{}%",
            crate::anim::fixed(p as f64 / pages_len.max(1) as f64 * 100.0, 3)
        )
    };
    let selected_text = state
        .selected
        .and_then(|p| state.session.borrow().map_machine().page_info(p))
        .map(|i| describe(&i));
    let shown_end = (layout.first + layout.visible()).min(pages_len);
    let scale = if layout.per_cell > 1 {
        format!("{} pages per cell", layout.per_cell)
    } else {
        format!("1 page per cell, {}px", layout.cell)
    };
    html! {
        <section class="panel memory-map" aria-labelledby="map-title">
            <div class="panel-head">
                <h2 id="map-title">{ "Physical memory" }</h2>
                <div class="toolbar" role="group" aria-label="Map view">
                    <button class="toggle" aria-pressed={follow.to_string()} onclick={toggle_follow}
                        title="Zoom and pan to the block each step works on">{ "Follow" }</button>
                    <button onclick={zoom_by(1)} aria-label="Zoom in">{ "+" }</button>
                    <button onclick={zoom_by(-1)} aria-label="Zoom out" disabled={*zoom == 0}>{ "−" }</button>
                    <button onclick={pan(-((layout.rows as i64) / 2).max(1))} aria-label="Scroll map up" disabled={layout.first == 0}>{ "↑" }</button>
                    <button onclick={pan(((layout.rows as i64) / 2).max(1))} aria-label="Scroll map down" disabled={shown_end >= pages_len}>{ "↓" }</button>
                </div>
            </div>
            <p class="map-caption">{ format!("PFN {:#x}–{:#x} of {} pages · {scale}", layout.first, shown_end.saturating_sub(1), pages_len) }</p>
            <p class="map-caption map-zones">{ format!("zones: {zones}") }</p>
            <canvas ref={canvas_ref} class="map-canvas" role="img"
                aria-label="Map of physical memory: one cell per page, coloured by use; hover or tap a cell for details"
                {onmousemove} {onmouseleave} {onclick} {onwheel}></canvas>
            <div class="minimap" role="img"
                aria-label={format!("Where the view is: PFN {:#x}–{:#x} of {} pages", layout.first, shown_end.saturating_sub(1), pages_len)}>
                { for zone_spans.iter().enumerate().map(|(i, (name, a, b))| html! {
                    <span class={classes!("mini-zone", format!("band-{}", i % 2))}
                        style={format!("left:{};width:{}", pct(*a), pct(b - a))}>{ *name }</span>
                }) }
                <span class="mini-view" style={format!("left:{};width:max(3px,{})", pct(layout.first), pct(shown_end - layout.first))}></span>
            </div>
            <ul class="legend" aria-label="Legend">
                { for STATES.iter().map(|(u, light, dark_rgb, label)| {
                    let rgb = if palette::dark() { *dark_rgb } else { *light };
                    let hatch = matches!(u, PageUse::Reserved);
                    html! { <li><span class={classes!("swatch", hatch.then_some("hatch"))} style={format!("background:{}", palette::css(rgb))}></span>{ *label }</li> }
                }) }
                <li><span class="swatch outline"></span>{ "the block this step works on" }</li>
            </ul>
            <p class="page-details" aria-live="polite">{
                hover.as_ref().or(selected_text.as_ref()).cloned().unwrap_or_else(|| "Hover or tap a cell to see its page.".into())
            }</p>
        </section>
    }
}
