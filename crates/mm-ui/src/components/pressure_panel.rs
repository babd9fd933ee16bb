//! Memory pressure: each zone's free pages plotted against its min, low and high
//! watermarks across the command at the playhead (drawn up to the current step),
//! kswapd0's state, the five LRU lists, the page cache's dirty and writeback pages,
//! and what reclaim has scanned and freed so far.

use super::StateHandle;
use crate::markup::{esc, Markup};
use crate::pressure::FreeSeries;
use crate::state::Action;
use mm_core::views::{KswapdView, PressureView};
use yew::prelude::*;

/// The plot's size in SVG units (it scales to the panel's width).
const W: f64 = 300.0;
const H: f64 = 72.0;

/// The pressure panel.
#[component]
pub fn PressurePanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let s = state.session.borrow();
    // The lists and counters after the command at the playhead, against before it.
    let (was, p): (PressureView, PressureView) = s.pressure_around();
    let series = s.free_series();
    // kswapd0 as the current command's steps so far left it (read from the plot's
    // series, computed once per command), else as it was before the command.
    let kswapd = series
        .as_ref()
        .filter(|(fs, _)| s.position().is_some_and(|(c, _)| c == fs.command))
        .and_then(|(fs, k)| fs.kswapd_at(*k))
        .unwrap_or(if s.at_end() { p.kswapd } else { was.kswapd });
    // A file half as large again as RAM (the disk holds 8G), so reading it must
    // reclaim.
    let big_mb = (s.live().params().mem >> 20).saturating_mul(3) / 2;
    let big_mb = big_mb.clamp(1, 8 << 10);
    let run = |lines: Vec<String>| {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Run(lines.clone())))
    };
    let on_read = run(vec![
        format!("fallocate -l {big_mb}M /data/big"),
        "cat /data/big > /dev/null".into(),
    ]);
    let on_write = run(vec![
        "fallocate -l 16M /data/log".into(),
        "dd if=/dev/zero of=/data/log bs=1M count=16".into(),
    ]);
    let on_sync = run(vec!["sync".into()]);
    let on_drop = run(vec!["echo 3 > /proc/sys/vm/drop_caches".into()]);
    let on_sleep = run(vec!["sleep 5s".into()]);
    let (kswapd_class, kswapd_text) = match kswapd {
        KswapdView::Asleep => (
            "asleep",
            "kswapd0 is asleep: an allocation wakes it when a zone falls below its low watermark.".to_string(),
        ),
        KswapdView::Reclaiming { priority, .. } => (
            "running",
            format!("kswapd0 is reclaiming (balance_pgdat at priority {priority}) until every zone is above its high watermark."),
        ),
        KswapdView::Napping { .. } => (
            "napping",
            "kswapd0 is balanced: it naps 100 ms, then sleeps unless a zone fell below low again.".to_string(),
        ),
    };
    html! {
        <section class="panel pressure" aria-labelledby="pressure-title">
            <h2 id="pressure-title">{ "Memory pressure" }</h2>
            <p class={classes!("kswapd-state", kswapd_class)} role="status">
                <span class="kswapd-dot" aria-hidden="true"></span>{ kswapd_text }
            </p>
            <div class="pressure-actions" role="group" aria-label="Memory pressure commands">
                <button onclick={on_read} title={format!("fallocate -l {big_mb}M /data/big; cat /data/big > /dev/null")}>{ format!("Read a {big_mb}M file") }</button>
                <button onclick={on_write} title="dd if=/dev/zero of=/data/log bs=1M count=16">{ "Write 16M (dirty)" }</button>
                <button onclick={on_sync}>{ "sync" }</button>
                <button onclick={on_drop} title="echo 3 > /proc/sys/vm/drop_caches">{ "Drop caches" }</button>
                <button onclick={on_sleep} title="sleep 5s: kswapd's nap, the flusher's period">{ "Wait 5 s" }</button>
            </div>
            { figures(&series, &was, &p) }
        </section>
    }
}

/// `N kB` for N pages.
fn kb(pages: u64) -> String {
    format!("{} kB", pages * 4)
}

/// ` (+N)` or ` (−N)` from `before` to `now`, or nothing.
fn delta(now: u64, before: u64) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Equal => String::new(),
        std::cmp::Ordering::Greater => format!(" (+{})", now - before),
        std::cmp::Ordering::Less => format!(" (−{})", before - now),
    }
}

/// The panel's figures (display only, as markup): the watermark plots, the LRU
/// lists against before the command, swap, and the reclaim counters.
fn figures(
    series: &Option<(std::rc::Rc<FreeSeries>, usize)>,
    was: &PressureView,
    p: &PressureView,
) -> Html {
    const LRU_NAMES: [(&str, &str); 5] = [
        ("inactive_anon", "anon inactive"),
        ("active_anon", "anon active"),
        ("inactive_file", "file inactive"),
        ("active_file", "file active"),
        ("unevictable", "unevictable"),
    ];
    let lru_total = p
        .lru
        .iter()
        .chain(&was.lru)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let pct = |n: u64| crate::anim::fixed(n as f64 / lru_total as f64 * 100.0, 1);
    let mut m = Markup::default();
    m.tag("<h3>Free pages against the watermarks</h3>");
    match series {
        Some((fs, k)) => {
            for i in 0..fs.zones.len() {
                plot(&mut m, fs, i, *k);
            }
        }
        None => {
            m.el("p", "hint", "Run a command that allocates (cat a file bigger than RAM: fallocate -l 128M /data/big, then cat /data/big > /dev/null) to plot free memory falling to the watermarks and kswapd0 pushing it back.");
        }
    }
    m.tag("<h3>LRU lists and reclaim after this command</h3>");
    m.el("p", "legend-line", "Solid: the list after the command; the line marks it before. Hatched bars are the inactive lists, where reclaim takes pages from.");
    m.tag("<table class=\"lru\"><caption class=\"sr-only\">Pages on each LRU list after the command, and before it</caption><tbody>");
    for ((name, short), (&n, b)) in LRU_NAMES.iter().zip(p.lru.iter().zip(was.lru)) {
        m.tag(&format!(
            "<tr class=\"lru-row {name}\"><th scope=\"row\" title=\"{name}\">{short}</th><td class=\"lru-bar\"><span class=\"bar\" style=\"width:{}%\"></span><span class=\"before\" style=\"left:{}%\" aria-hidden=\"true\"></span></td>",
            pct(n),
            pct(b)
        ))
        .el("td", "num", &format!("{}{}", kb(n), delta(n * 4, b * 4)))
        .tag("</tr>");
    }
    m.tag("</tbody></table>");
    let used = |v: &PressureView| v.swap_total - v.swap_free;
    if p.swap_total > 0 {
        let share = |v: &PressureView| {
            crate::anim::fixed(used(v) as f64 / v.swap_total.max(1) as f64 * 100.0, 1)
        };
        m.tag(&format!(
            "<div class=\"swap-bar\" role=\"img\" aria-label=\"swap: {} used of {}\"><span class=\"used\" style=\"width:{}%\"></span><span class=\"before\" style=\"left:{}%\" aria-hidden=\"true\"></span>",
            kb(used(p)),
            kb(p.swap_total),
            share(p),
            share(was)
        ))
        .el("span", "swap-label", &format!("swap {} / {}", kb(used(p)), kb(p.swap_total)))
        .tag("</div>");
    }
    let swap = if p.swap_total == 0 {
        "none (boot swap=SIZE adds it)".to_string()
    } else {
        format!(
            "{} used of {} · swap cache {} · {} written{} · {} read{}",
            kb(used(p)),
            kb(p.swap_total),
            kb(p.swap_cached),
            p.pswp[1],
            delta(p.pswp[1], was.pswp[1]),
            p.pswp[0],
            delta(p.pswp[0], was.pswp[0])
        )
    };
    let rows = [
        (
            "kswapd0",
            format!(
                "scanned {} · freed {}{}",
                p.pgscan[0],
                p.pgsteal[0],
                delta(p.pgsteal[0], was.pgsteal[0])
            ),
        ),
        (
            "direct reclaim",
            format!(
                "scanned {} · freed {}{} · {} allocstall(s)",
                p.pgscan[1],
                p.pgsteal[1],
                delta(p.pgsteal[1], was.pgsteal[1]),
                p.allocstall
            ),
        ),
        (
            "refaults",
            format!("{}{}", p.refaults, delta(p.refaults, was.refaults)),
        ),
        (
            "page cache",
            format!(
                "{} · dirty {} · writeback {}",
                kb(p.file_pages),
                kb(p.dirty),
                kb(p.writeback)
            ),
        ),
        ("swap", swap),
        (
            "clock",
            format!("{}.{:03} s", p.now_ms / 1000, p.now_ms % 1000),
        ),
    ];
    m.tag("<dl class=\"reclaim-stats\">");
    for (term, value) in rows {
        m.tag("<dt>")
            .text(term)
            .tag("</dt><dd>")
            .text(&value)
            .tag("</dd>");
    }
    m.tag("</dl>");
    m.html()
}

/// One zone's free pages across the command, up to step `k`, with its watermarks as
/// lines. The axis tops out at 2 to 4 times the high watermark, so the marks stay
/// visible on a machine with gigabytes free: a line at the top is "above that".
fn plot(m: &mut Markup, fs: &FreeSeries, zone_at: usize, k: usize) {
    let Some(z) = fs.zones.get(zone_at) else {
        return;
    };
    let Some(&(_, _, marks0)) = z.points.first() else {
        return;
    };
    let shown: Vec<&(usize, u64, [u64; 3])> = z.points.iter().take_while(|p| p.0 <= k).collect();
    let now = shown.last().copied().or(z.points.first());
    let (mut free_now, marks) = now.map_or((0, marks0), |p| (p.1, p.2));
    let high = marks.iter().copied().max().unwrap_or(1).max(1);
    let peak = z.points.iter().map(|p| p.1).max().unwrap_or(0);
    let top = peak.clamp(high * 2, high * 4) as f64;
    // A cut command's axis runs over every step it took; the left-out ones are a
    // shaded band, with the free pages after the command as a dot at its end.
    let steps = fs.cut_end.as_ref().map_or(fs.steps, |e| e.0).max(1) as f64;
    let tail = fs
        .cut_end
        .as_ref()
        .zip(fs.cut_at)
        .and_then(|((total, end), cut)| {
            let last = z.points.last()?;
            (k > cut).then(|| (last.0, *total, end.get(zone_at).copied().unwrap_or(last.1)))
        });
    let f = crate::anim::fixed;
    let x = |step: usize| step as f64 / steps * W;
    let y = |v: u64| H - (v as f64 / top).min(1.0) * (H - 4.0) - 2.0;
    let line: Vec<String> = shown
        .iter()
        .map(|p| format!("{},{}", f(x(p.0), 1), f(y(p.1), 1)))
        .collect();
    if let Some((_, _, end)) = tail {
        free_now = end;
    }
    let below = if free_now < marks[0] {
        "below min"
    } else if free_now < marks[1] {
        "below low"
    } else if free_now < marks[2] {
        "below high"
    } else {
        "above high"
    };
    let label = format!(
        "{}: {free_now} pages free ({below}); min {}, low {}, high {}",
        z.name, marks[0], marks[1], marks[2]
    );
    m.tag(&format!(
        "<figure class=\"wmark-plot\"><svg viewBox=\"0 0 {} {}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\">",
        f(W, 0),
        f(H, 0),
        esc(&label)
    ));
    for (name, v) in [("min", marks[0]), ("low", marks[1]), ("high", marks[2])] {
        let yv = f(y(v), 1);
        m.tag(&format!(
            "<line class=\"mark {name}\" x1=\"0\" x2=\"{}\" y1=\"{yv}\" y2=\"{yv}\"></line>",
            f(W, 0)
        ));
    }
    m.tag(&format!(
        "<polyline class=\"free-line\" points=\"{}\"></polyline>",
        line.join(" ")
    ));
    let dot = |m: &mut Markup, cx: f64, cy: f64| {
        m.tag(&format!(
            "<circle class=\"free-now\" cx=\"{}\" cy=\"{}\" r=\"2.5\"></circle>",
            f(cx, 1),
            f(cy, 1)
        ));
    };
    if let Some((x0, total, end)) = tail {
        m.tag(&format!(
            "<rect class=\"left-out\" x=\"{}\" y=\"0\" width=\"{}\" height=\"{}\"></rect>",
            f(x(x0), 1),
            f(x(total) - x(x0), 1),
            f(H, 0)
        ));
        dot(m, x(total) - 2.5, y(end));
    } else if let Some(p) = shown.last() {
        dot(m, x(p.0), y(p.1));
    }
    m.tag("</svg><figcaption>")
        .el("span", "zone-name", z.name)
        .text(&format!(" {free_now} free ({below})"));
    m.el("span", "mark-key min", &format!(" min {}", marks[0]))
        .el("span", "mark-key low", &format!(" low {}", marks[1]))
        .el("span", "mark-key high", &format!(" high {}", marks[2]))
        .text(&format!(" · axis 0–{}", f(top, 0)));
    if tail.is_some() {
        m.text(" · shaded: steps left out (the dot is the state after them)");
    }
    m.tag("</figcaption></figure>");
}
