//! The Walk panel: the virtual address as 64 bits split into the sign extension, one
//! 9-bit index per table level and the page offset; one column per table with the
//! entry the walk used (index, value, flags) and an arrow to the next table; the frame
//! it reaches, or the level where it stops and why; and copy-on-write drawn as two
//! mappings of one frame until the copy splits off. Columns light up step by step as
//! the playhead moves (CSS transitions; none under reduced motion).

use super::StateHandle;
use crate::markup::{esc, Markup};
use crate::state::Action;
use crate::walk::{fault_words, Cow, WalkScene};
use mm_core::event::FaultKind;
use mm_core::views::page_table::{
    entry_pfn, flag_names, is_swap_pte, pte_to_swp_entry, PtLevel, PAGE_PRESENT, SWP_EXCLUSIVE,
    SWP_SOFT_DIRTY,
};
use yew::prelude::*;

/// The address's 64 bits, grouped by field: (name, high bit, low bit, value shown).
fn fields(s: &WalkScene) -> Vec<(String, u32, u32, String)> {
    let top = s.levels.first().map(|l| l.shift + 8).unwrap_or(47);
    let mut out = vec![("sign".to_string(), 63, top + 1, format!("= bit {top}"))];
    for l in &s.levels {
        out.push((
            l.level.to_string(),
            l.shift + 8,
            l.shift,
            l.index.to_string(),
        ));
    }
    out.push(("offset".into(), 11, 0, format!("{:#x}", s.va & 0xfff)));
    out
}

/// The address's bits, field by field (display only, as markup).
fn va_bits(s: &WalkScene) -> Html {
    let fs = fields(s);
    let label = fs
        .iter()
        .map(|(n, _, _, v)| format!("{n} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut m = Markup::default();
    m.tag(&format!(
        "<div class=\"va-bits\" role=\"img\" aria-label=\"{}\">",
        esc(&format!("{:#x} split into its fields: {label}", s.va))
    ));
    for (i, (name, hi, lo, value)) in fs.into_iter().enumerate() {
        let cls = match name.as_str() {
            "sign" | "offset" => name.clone(),
            _ => format!("lvl{}", i - 1),
        };
        m.tag(&format!(
            "<span class=\"field {cls}\"><span class=\"bitrow\">"
        ));
        for b in (lo..=hi).rev() {
            m.tag(&format!("<span class=\"bit\">{}</span>", (s.va >> b) & 1));
        }
        m.tag("</span>")
            .el("span", "bits", &format!("{name} {value}"))
            .el("span", "range", &format!("bits {hi}–{lo}"))
            .tag("</span>");
    }
    m.tag("</div>");
    m.html()
}

/// The Walk panel.
#[component]
pub fn WalkPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let scene = state.session.borrow().walk_scene();
    let Some(s) = scene else {
        return html! {
            <section class="panel walk-panel" aria-labelledby="walk-title">
                <h2 id="walk-title">{ "Page-table walk" }</h2>
                <p class="hint">{ "Run translate PID ADDR (or read/write an address) to watch the walk, level by level." }</p>
            </section>
        };
    };
    let frame = s.frame();
    let stopped = s.stopped_at();
    let show_frame = {
        let st = state.clone();
        Callback::from(move |_| st.dispatch(Action::Select(frame)))
    };
    let bits = va_bits(&s);
    let columns = html! {
        <ol class="walk-cols">
        { for s.levels.iter().enumerate().map(|(i, l)| {
            let state_cls = match l.used {
                None => "pending",
                Some((_, e)) if e & PAGE_PRESENT == 0 => "stop",
                Some(_) => "reached",
            };
            let now = l.used.is_some() && s.levels.get(i + 1).is_none_or(|n| n.used.is_none());
            html! {
                <li class={classes!("walk-col", format!("lvl{i}"), state_cls, now.then_some("now"))}>
                    <span class="col-name">{ format!("{} table", l.level) }</span>
                    { match l.used {
                        Some((table, e)) => html! { <>
                            <span class="col-table">{ format!("at pfn {:#x}", table) }</span>
                            <code class="col-entry">{ format!("[{}] = {e:#018x}", l.index) }</code>
                            <span class="col-flags">{ if l.level == PtLevel::Pte && is_swap_pte(e) { swap_flag_names(e) } else { flag_names(e) } }</span>
                            if l.level == PtLevel::Pte && is_swap_pte(e) {
                                <span class="col-stop">{ {
                                    let (t, off) = pte_to_swp_entry(e);
                                    format!("swap entry: type {t}, offset {off} (bits 58–9 hold ~offset)")
                                } }</span>
                            } else if e & PAGE_PRESENT == 0 {
                                <span class="col-stop">{ "not present: the walk stops here" }</span>
                            }
                        </> },
                        None => html! { <span class="col-table">{ format!("entry [{}] not read yet", l.index) }</span> },
                    } }
                    <span class="arrow" aria-hidden="true">{ "→" }</span>
                </li>
            }
        }) }
            <li class={classes!("walk-col", "frame", if frame.is_some() { "reached" } else if stopped.is_some() { "stop" } else { "pending" })}>
                <span class="col-name">{ "page frame" }</span>
                { match (frame, stopped) {
                    (Some(f), _) => html! { <>
                        <code class="col-entry">{ format!("pfn {f:#x}") }</code>
                        <span class="col-flags">{ format!("phys {:#x}", (f << 12) | (s.va & 0xfff)) }</span>
                    </> },
                    (None, Some(_)) if s.swap_entry().is_some() => html! { <span class="col-stop">{
                        s.swap_entry().map(|(t, off)| format!("in swap slot {off} (area {t}) → a fault reads it back (do_swap_page)")).unwrap_or_default()
                    }</span> },
                    (None, Some(l)) => html! { <span class="col-stop">{ format!("none: {l} entry not present → page fault") }</span> },
                    _ => html! { <span class="col-table">{ "…" }</span> },
                } }
            </li>
        </ol>
    };
    let fault = s.fault.map(|(kind, write)| html! {
        <p class="walk-fault">{ format!("{} fault at {:#x}: {}", if write { "Write" } else { "Read" }, s.va, fault_words(kind)) }
            { s.pte_set.map(|p| format!(" → PTE = {p:#018x} ({}), frame {:#x}", flag_names(p), entry_pfn(p))).unwrap_or_default() }</p>
    });
    // Copy-on-write: both mappings point at one frame until the copy splits off.
    let cow_fault = s.fault.is_some_and(|(k, _)| {
        matches!(
            k,
            FaultKind::WriteProtected | FaultKind::CowCopy | FaultKind::CowReuse
        )
    });
    let cow = (cow_fault || s.cow.is_some()).then(|| {
        let (shared, copy) = match s.cow {
            Some(Cow::Copy { from, to, .. }) => (format!("shared frame {from:#x}"), Some(to)),
            Some(Cow::Reuse { pfn }) => (format!("frame {pfn:#x}, now this mapping's alone"), None),
            None => ("one shared frame (read-only in both)".to_string(), None),
        };
        html! {
            <div class={classes!("cow", copy.is_some().then_some("copied"))} role="img" aria-label={s.label.clone()}>
                <div class="cow-ptes">
                    <span class="cow-pte other">{ "the other mapping's PTE →" }</span>
                    <span class="cow-pte mine">{ format!("process {}'s PTE →", s.pid) }</span>
                </div>
                <div class="cow-frames">
                    <span class="cow-frame shared">{ shared }</span>
                    if let Some(to) = copy { <span class="cow-frame copy">{ format!("process {}'s copy: frame {to:#x}", s.pid) }</span> }
                </div>
            </div>
        }
    });
    html! {
        <section class="panel walk-panel" aria-labelledby="walk-title">
            <h2 id="walk-title">{ format!("Page-table walk: process {}, {:#x}", s.pid, s.va) }</h2>
            <p class="walk-label">{ s.label.clone() }</p>
            { bits }
            // A fault walks in the kernel's handle_mm_fault without one step per level.
            if s.fault.is_none() || s.levels.iter().any(|l| l.used.is_some()) { { columns } }
            { fault.unwrap_or_default() }
            { cow.unwrap_or_default() }
            if frame.is_some() {
                <button onclick={show_frame}>{ "Show the frame on the map" }</button>
            }
        </section>
    }
}

/// A swap PTE's own bits (`_PAGE_SWP_EXCLUSIVE`, `_PAGE_SWP_SOFT_DIRTY`): the bits a
/// present PTE uses for RW and PWT mean something else here.
fn swap_flag_names(e: u64) -> String {
    let mut out = vec!["swap:"];
    if e & SWP_EXCLUSIVE != 0 {
        out.push("exclusive");
    }
    if e & SWP_SOFT_DIRTY != 0 {
        out.push("soft-dirty");
    }
    out.join(" ")
}
