//! The Blocks panel: the block a page-allocator step works on, drawn proportionally
//! inside the order-10 block around it, zoomed into a bar where splits and merges
//! happen, above the zone's `free_area[order]` rows. Between steps the shapes tween
//! (see `anim.rs`): halves part, the upper half flies to its row, a buddy flies up from
//! its list and the two join. Painted on a canvas (so a recording can capture it), with
//! the step in words as the drawing's accessible name.

use super::StateHandle;
use crate::anim::{self, lerp};
use crate::blocks::{place, Key, Row, Scene, Shape, Tone, CHIPS, FRAME_ORDER};
use crate::palette;
use mm_core::vocab::{MigrateType, NR_PAGE_ORDERS};
use std::rc::Rc;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

const PAD: f64 = 10.0;
const LABEL_Y: f64 = 16.0;
const MATH_Y: f64 = 34.0;
const STRIP_Y: f64 = 66.0;
const STRIP_H: f64 = 16.0;
const FOCUS_Y: f64 = 116.0;
const FOCUS_H: f64 = 42.0;
const ROWS_Y: f64 = 186.0;
const ROW_H: f64 = 22.0;
const ROW_LABEL_W: f64 = 150.0;
/// The canvas's height in CSS pixels.
const HEIGHT: f64 = ROWS_Y + ROW_H * NR_PAGE_ORDERS as f64 + 6.0;

/// A shape placed on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn lerp(a: Rect, b: Rect, t: f64) -> Rect {
        Rect {
            x: lerp(a.x, b.x, t),
            y: lerp(a.y, b.y, t),
            w: lerp(a.w, b.w, t),
            h: lerp(a.h, b.h, t),
        }
    }
}

/// The y of `free_area[order]`'s row: the largest order on top, so splits fall and
/// merges rise.
fn row_y(order: u8) -> f64 {
    ROWS_Y + f64::from(FRAME_ORDER - order.min(FRAME_ORDER)) * ROW_H
}

fn rect(width: f64, row: Row, x: f64, w: f64) -> Rect {
    match row {
        Row::Focus => {
            let span = width - 2.0 * PAD;
            Rect {
                x: PAD + x * span,
                y: FOCUS_Y,
                w: w * span,
                h: FOCUS_H,
            }
        }
        Row::Area(o) => {
            // As many chip slots as fit at a readable width (at least two); chips in
            // later slots are drawn past the right edge, out of sight.
            let left = PAD + row_label_w(width);
            let span = width - left - PAD;
            let slots = (span / CHIP_MIN_W).floor().clamp(2.0, CHIPS as f64);
            let slot_w = span / slots;
            let slot = x * CHIPS as f64;
            let chips = w * CHIPS as f64;
            // A chip in a slot past the last that fits waits off the right edge.
            let x = if slot.round() >= slots {
                width + 40.0 * (1.0 + slot - slots)
            } else {
                left + slot * slot_w + 2.0
            };
            Rect {
                x,
                y: row_y(o) + 3.0,
                w: (chips * slot_w - 4.0).max(2.0),
                h: ROW_H - 6.0,
            }
        }
    }
}

/// The narrowest a free-list chip is drawn, in CSS pixels (its label fits).
const CHIP_MIN_W: f64 = 86.0;

/// The row labels' column: narrower on a phone.
fn row_label_w(width: f64) -> f64 {
    if width < 520.0 {
        ROW_LABEL_W - 40.0
    } else {
        ROW_LABEL_W
    }
}

/// A shape as painted in one frame of a tween.
struct Drawn<'a> {
    at: Rect,
    shape: &'a Shape,
    alpha: f64,
    fill: [u8; 3],
    /// Whether its label is drawn (not for shapes on their way out).
    labelled: bool,
    /// Its migrate-type stripe's colour, if it is a free block.
    band: Option<[u8; 3]>,
}

/// Where a block that is not in `scene` would be: in its focus bar at the block's place,
/// or (for a chip) where the same block is drawn in the bar.
fn ghost(scene: &Scene, key: Key, width: f64) -> Option<Rect> {
    let (pfn, order) = match key {
        Key::Seg(p, o) | Key::Chip(p, o) => (p, o),
    };
    if let Key::Chip(..) = key {
        if let Some(s) = scene.shapes.iter().find(|s| s.key == Key::Seg(pfn, order)) {
            return Some(rect(width, s.row, s.x, s.w));
        }
    }
    if !scene.bar {
        return None;
    }
    let (x, w) = place(scene.focus, pfn, order);
    let near = (-1.0..=2.0).contains(&x) && w <= 2.0;
    (near && pfn & !((1 << FRAME_ORDER) - 1) == scene.frame).then(|| rect(width, Row::Focus, x, w))
}

fn mt_rgb(mt: MigrateType) -> [u8; 3] {
    match mt {
        MigrateType::Unmovable => [213, 94, 0],
        MigrateType::Movable => [0, 158, 115],
        MigrateType::Reclaimable => [204, 121, 167],
        _ => [120, 120, 120],
    }
}

/// The migrate-type stripe of a free block.
fn stripe(tone: Tone) -> Option<[u8; 3]> {
    match tone {
        Tone::Free(mt) => Some(mt_rgb(mt)),
        _ => None,
    }
}

fn fill_rgb(tone: Tone, dark: bool) -> [u8; 3] {
    match tone {
        Tone::Free(_) => palette::rgb(0, dark),
        Tone::State(s) => palette::rgb(s, dark),
        Tone::Request => {
            if dark {
                [120, 96, 20]
            } else {
                [255, 224, 138]
            }
        }
    }
}

fn text_on(rgb: [u8; 3]) -> &'static str {
    let l = 0.299 * f64::from(rgb[0]) + 0.587 * f64::from(rgb[1]) + 0.114 * f64::from(rgb[2]);
    if l > 140.0 {
        "#1b1f24"
    } else {
        "#ffffff"
    }
}

fn css_mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    std::array::from_fn(|i| lerp(f64::from(a[i]), f64::from(b[i]), t).round() as u8)
}

/// Paints the tween from `from` to `to` at progress `t` (0..=1).
fn paint(canvas: &HtmlCanvasElement, from: Option<&Scene>, to: Option<&Scene>, t: f64) {
    let Some(ctx) = super::memory_map::context_2d(canvas) else {
        return;
    };
    let width = f64::from(canvas.client_width().max(280));
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .clamp(1.0, 2.0);
    let (pw, ph) = ((width * dpr) as u32, (HEIGHT * dpr) as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    let dark = palette::dark();
    let fg = if dark { "#e6e6e6" } else { "#1b1f24" };
    let muted = if dark { "#a0a6ad" } else { "#5b6169" };
    let accent = if dark { "#ffd54a" } else { "#d62d20" };
    ctx.clear_rect(0.0, 0.0, width, HEIGHT);
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    let Some(to) = to else {
        ctx.set_fill_style_str(muted);
        let _ = ctx.fill_text(
            "Run alloc_pages 3 or free_pages to watch blocks split and merge here.",
            PAD,
            LABEL_Y,
        );
        return;
    };
    // Only tween between pictures of the same zone (and the bar within one order-10
    // block).
    let from = from.filter(|f| f.zone == to.zone);
    let same_block = from.is_some_and(|f| f.bar && to.bar && f.frame == to.frame);
    let t = if from.is_some() { t } else { 1.0 };

    // The step in words, and the buddy arithmetic.
    ctx.set_fill_style_str(fg);
    ctx.set_font("600 13px system-ui, sans-serif");
    fit_text(&ctx, &to.label, PAD, LABEL_Y, width - 2.0 * PAD);
    ctx.set_font("12px ui-monospace, monospace");
    if let Some(m) = &to.math {
        ctx.set_fill_style_str(accent);
        fit_text(&ctx, m, PAD, MATH_Y, width - 2.0 * PAD);
    }

    let span = width - 2.0 * PAD;
    if to.bar {
        // The order-10 block around the step, one column per few pages.
        let n = to.strip.len().max(1);
        let cols = span.floor().max(1.0) as usize;
        for c in 0..cols {
            let a = c * n / cols;
            let b = ((c + 1) * n / cols).max(a + 1).min(n);
            let s = to.strip[a..b]
                .iter()
                .copied()
                .max_by_key(|s| u8::from(*s != 0))
                .unwrap_or(0);
            ctx.set_fill_style_str(&palette::css(palette::rgb(s, dark)));
            ctx.fill_rect(PAD + c as f64, STRIP_Y, 1.0, STRIP_H);
        }
        ctx.set_font("11px ui-monospace, monospace");
        ctx.set_fill_style_str(muted);
        let end = to.frame + (1 << FRAME_ORDER) - 1;
        let _ = ctx.fill_text(
            &format!(
                "{} order-{FRAME_ORDER} block {:#x} (4 MiB)",
                to.zone, to.frame
            ),
            PAD,
            STRIP_Y - 9.0,
        );
        ctx.set_text_align("right");
        let _ = ctx.fill_text(&format!("{end:#x}"), width - PAD, STRIP_Y - 9.0);
        ctx.set_text_align("left");

        // Where the focus bar sits in the block, joined to the bar by zoom lines.
        let fx = |f: (u64, u8)| {
            let (x, w) = place((to.frame, FRAME_ORDER), f.0, f.1);
            (PAD + x * span, (w * span).max(2.0))
        };
        let (x1, w1) = fx(to.focus);
        let (x0, w0) = from
            .filter(|_| same_block)
            .map(|f| fx(f.focus))
            .unwrap_or((x1, w1));
        let (zx, zw) = (lerp(x0, x1, t), lerp(w0, w1, t));
        ctx.set_stroke_style_str(accent);
        ctx.set_line_width(2.0);
        ctx.stroke_rect(zx, STRIP_Y - 1.0, zw, STRIP_H + 2.0);
        ctx.set_line_width(1.0);
        ctx.set_stroke_style_str(muted);
        ctx.begin_path();
        ctx.move_to(zx, STRIP_Y + STRIP_H + 1.0);
        ctx.line_to(PAD, FOCUS_Y - 1.0);
        ctx.move_to(zx + zw, STRIP_Y + STRIP_H + 1.0);
        ctx.line_to(width - PAD, FOCUS_Y - 1.0);
        ctx.stroke();
    }
    // The free-area rows: label, count, the row the step touches shaded.
    for o in 0..NR_PAGE_ORDERS as u8 {
        let y = row_y(o);
        if to.hot_row == Some(o) {
            ctx.set_fill_style_str(if dark { "#3a3320" } else { "#fff4d6" });
            ctx.fill_rect(PAD - 4.0, y, width - 2.0 * PAD + 8.0, ROW_H);
        }
        ctx.set_fill_style_str(fg);
        let narrow = width < 520.0;
        ctx.set_font(if narrow {
            "11px ui-monospace, monospace"
        } else {
            "12px ui-monospace, monospace"
        });
        let name = if narrow {
            format!("[{o}]")
        } else {
            format!("free_area[{o}]")
        };
        let _ = ctx.fill_text(&name, PAD, y + ROW_H / 2.0);
        ctx.set_fill_style_str(muted);
        ctx.set_text_align("right");
        let _ = ctx.fill_text(
            &to.counts[o as usize].to_string(),
            PAD + row_label_w(width) - 6.0,
            y + ROW_H / 2.0,
        );
        ctx.set_text_align("left");
    }

    // The shapes: every shape of the new picture (from where it was, or from where
    // its block was), then the old picture's shapes leaving.
    // The old picture's shapes leave first (drawn under, without their labels).
    let mut drawn: Vec<Drawn> = Vec::new();
    if let Some(f) = from {
        for s in f
            .shapes
            .iter()
            .filter(|s| !to.shapes.iter().any(|n| n.key == s.key))
        {
            let start = rect(width, s.row, s.x, s.w);
            let end = ghost(to, s.key, width).unwrap_or(start);
            // A chip flying up into the bar stays solid, and named, until it lands.
            let lands = matches!(s.key, Key::Chip(p, o) if to.shapes.iter().any(|n| n.key == Key::Seg(p, o)));
            let fade = if lands {
                1.0 - t.powi(4)
            } else {
                (1.0 - t) * (1.0 - t)
            };
            drawn.push(Drawn {
                at: Rect::lerp(start, end, t),
                shape: s,
                alpha: fade,
                fill: fill_rgb(s.tone, dark),
                labelled: lands,
                band: stripe(s.tone),
            });
        }
    }
    for s in &to.shapes {
        let mut stripe_mix = None;
        let end = rect(width, s.row, s.x, s.w);
        let fill1 = fill_rgb(s.tone, dark);
        let (start, alpha, fill0) = match from {
            None => (end, 1.0, fill1),
            Some(f) => match f.shapes.iter().find(|p| p.key == s.key) {
                Some(p) => {
                    // A claimed or stolen block's type stripe turns from the old type's
                    // colour to the new one's.
                    if let (Some(a), Some(b)) = (stripe(p.tone), stripe(s.tone)) {
                        stripe_mix = Some(css_mix(a, b, t));
                    }
                    (rect(width, p.row, p.x, p.w), 1.0, fill_rgb(p.tone, dark))
                }
                // From a picture without a bar: the block is simply there.
                None if !f.bar && matches!(s.key, Key::Seg(..)) => (end, 1.0, fill1),
                // Its chip is flying in from the list: appear where it lands.
                None if matches!(s.key, Key::Seg(p, o) if f.shapes.iter().any(|c| c.key == Key::Chip(p, o))) => {
                    (end, t * t, fill1)
                }
                None => match ghost(f, s.key, width).or_else(|| {
                    matches!(s.key, Key::Chip(..))
                        .then(|| ghost(to, s.key, width))
                        .flatten()
                }) {
                    Some(g) => (g, t.max(0.6), fill1),
                    None => (end, t, fill1),
                },
            },
        };
        drawn.push(Drawn {
            at: Rect::lerp(start, end, t),
            shape: s,
            alpha,
            fill: css_mix(fill0, fill1, t),
            labelled: true,
            band: match to.retype {
                // The pageblock's type changes: its stripe turns colour.
                Some((a, b)) if s.accent && matches!(s.key, Key::Seg(..)) => {
                    Some(css_mix(mt_rgb(a), mt_rgb(b), t))
                }
                _ => stripe_mix.or(stripe(s.tone)),
            },
        });
    }
    // Shapes in flight are drawn last, over the rows they cross.
    mm_core::vocab::sort::sort_by_key(&mut drawn, |d| {
        let home = rect(width, d.shape.row, d.shape.x, d.shape.w);
        u64::from((d.at.y - home.y).abs() > 0.5 || (d.at.x - home.x).abs() > 0.5)
    });
    // Bar shapes are clipped to the bar (a zoom slides them out of it).
    for Drawn {
        at: r,
        shape: s,
        alpha,
        fill,
        labelled,
        band,
    } in drawn
    {
        if alpha <= 0.01 {
            continue;
        }
        ctx.save();
        ctx.set_global_alpha(alpha);
        let in_bar = (r.y - FOCUS_Y).abs() < 1.0 && s.row == Row::Focus;
        if in_bar {
            ctx.begin_path();
            ctx.rect(PAD - 2.0, FOCUS_Y - 4.0, span + 4.0, FOCUS_H + 8.0);
            ctx.clip();
        }
        ctx.set_fill_style_str(&palette::css(fill));
        ctx.fill_rect(r.x, r.y, r.w, r.h);
        if let Some(band) = band {
            ctx.set_fill_style_str(&palette::css(band));
            let bw: f64 = match (r.h > 30.0, to.retype.is_some() && s.accent) {
                (true, true) => 26.0,
                (true, false) => 7.0,
                _ => 4.0,
            };
            ctx.fill_rect(r.x, r.y, bw.min(r.w), r.h);
        }
        ctx.set_stroke_style_str(if s.accent { accent } else { muted });
        ctx.set_line_width(if s.accent { 2.5 } else { 1.0 });
        ctx.stroke_rect(r.x + 0.5, r.y + 0.5, (r.w - 1.0).max(1.0), r.h - 1.0);
        ctx.set_fill_style_str(text_on(fill));
        ctx.set_font(if r.h > 30.0 {
            "12px system-ui, sans-serif"
        } else {
            "11px ui-monospace, monospace"
        });
        if labelled {
            let inset = if to.retype.is_some() && s.accent && r.h > 30.0 {
                32.0
            } else {
                7.0
            };
            fit_text(
                &ctx,
                &s.text,
                r.x + inset,
                r.y + r.h / 2.0,
                r.w - inset - 3.0,
            );
        }
        ctx.restore();
    }

    // PFNs at the focus bar's edges.
    if !to.bar {
        return;
    }
    ctx.set_font("11px ui-monospace, monospace");
    ctx.set_fill_style_str(muted);
    let (fp, fo) = to.focus;
    let _ = ctx.fill_text(&format!("{fp:#x}"), PAD, FOCUS_Y + FOCUS_H + 11.0);
    ctx.set_text_align("right");
    let _ = ctx.fill_text(
        &format!("{:#x}", fp + (1 << fo) - 1),
        width - PAD,
        FOCUS_Y + FOCUS_H + 11.0,
    );
    ctx.set_text_align("left");
}

/// Draws `text` at (x, y) if it fits in `max` pixels, shortened with "…" if not.
fn fit_text(ctx: &CanvasRenderingContext2d, text: &str, x: f64, y: f64, max: f64) {
    if max < 12.0 {
        return;
    }
    let width = |s: &str| ctx.measure_text(s).map(|m| m.width()).unwrap_or(0.0);
    if width(text) <= max {
        let _ = ctx.fill_text(text, x, y);
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        let s: String = chars[..n].iter().collect::<String>() + "…";
        if width(&s) <= max {
            let _ = ctx.fill_text(&s, x, y);
            return;
        }
        n = n * 3 / 4;
    }
}

/// Props of [`BlocksCanvas`].
#[derive(Properties, PartialEq)]
pub struct BlocksCanvasProps {
    /// The picture of the step at `frame`.
    pub scene: Option<Rc<Scene>>,
    /// The step the picture is of: a tween plays when it is one more than the last.
    pub frame: usize,
    /// How long a tween lasts, in milliseconds (0: none).
    pub tween_ms: f64,
}

/// The Blocks drawing: tweens from the last picture to this one when the playhead
/// moved one step forward, else shows it at once.
#[component]
pub fn BlocksCanvas(props: &BlocksCanvasProps) -> Html {
    let canvas_ref = use_node_ref();
    // The picture last asked for (what a new tween starts from) and its frame.
    let shown = use_mut_ref(|| None::<(usize, Option<Rc<Scene>>)>);
    {
        let canvas_ref = canvas_ref.clone();
        let shown = shown.clone();
        let next = props.scene.clone();
        let tween = props.tween_ms;
        use_effect_with((props.frame, props.scene.clone()), move |(frame, _)| {
            let prev = shown.borrow().clone();
            let ms = match &prev {
                Some((f, _)) if *f + 1 == *frame => tween,
                _ => 0.0,
            };
            *shown.borrow_mut() = Some((*frame, next.clone()));
            let from = prev.and_then(|(_, s)| s);
            let running = canvas_ref.cast::<HtmlCanvasElement>().map(|canvas| {
                anim::run(ms, move |t| {
                    paint(&canvas, from.as_deref(), next.as_deref(), t)
                })
            });
            move || drop(running)
        });
    }
    // Repaint at the new size when the window is resized (the canvas is as wide as
    // its panel).
    {
        let canvas_ref = canvas_ref.clone();
        let shown = shown.clone();
        use_effect_with((), move |_| {
            let handler = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                if let (Some(canvas), Some((_, scene))) = (
                    canvas_ref.cast::<HtmlCanvasElement>(),
                    shown.borrow().clone(),
                ) {
                    paint(&canvas, None, scene.as_deref(), 1.0);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "resize",
                    wasm_bindgen::JsCast::unchecked_ref(handler.as_ref()),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        wasm_bindgen::JsCast::unchecked_ref(handler.as_ref()),
                    );
                }
            }
        });
    }
    let label = props
        .scene
        .as_ref()
        .map(|s| s.label.clone())
        .unwrap_or_else(|| "No page-allocator step at the playhead".into());
    let shown = props.scene.is_some();
    html! {
        <>
            <canvas ref={canvas_ref} class="blocks-canvas" role="img" aria-label={label.clone()}
                hidden={!shown} style={format!("height:{}px", crate::anim::fixed(HEIGHT, 0))}></canvas>
            // On a phone the drawing's caption is too long for one line: it is also
            // written below, where it wraps (hidden from screen readers, which read the
            // drawing's name).
            if shown {
                <p class="blocks-caption" aria-hidden="true">{ label }
                    if let Some(m) = props.scene.as_ref().and_then(|s| s.math.clone()) { <br/><code>{ m }</code> }
                </p>
            }
            if !shown {
                <p class="hint">{ "Run alloc_pages 3, then free_pages with its PFN, to watch a block split into halves and the buddies join again." }</p>
            }
        </>
    }
}

/// The Blocks panel.
#[component]
pub fn BlocksPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let (frame, commands) = {
        let s = state.session.borrow();
        (s.frame, s.commands.len())
    };
    // Keyed on the state's version too: a new session may have the same frame count.
    let scene = use_memo((frame, commands, state.version), {
        let st = state.clone();
        move |_| st.session.borrow().blocks_scene().map(Rc::new)
    });
    html! {
        <section class="panel blocks" aria-labelledby="blocks-title">
            <h2 id="blocks-title">{ "Blocks" }</h2>
            <BlocksCanvas scene={(*scene).clone()} {frame} tween_ms={anim::tween_ms(state.speed)} />
        </section>
    }
}
