//! Processes: each with its VMAs (as /proc/PID/maps and as an address-space bar), the
//! page-table tree of the chosen process (populated tables only, expandable), and a
//! `translate` walk shown level by level: the address split into its index fields,
//! bits coloured by level, each entry used, the final frame outlined on the map.

use super::StateHandle;
use crate::state::Action;
use mm_core::vm::pgtable::{entry_pfn, flag_names, levels, PAGE_PRESENT};
use mm_core::{Event, Machine};
use yew::prelude::*;

/// At most this many entries are listed per table.
const ENTRIES: usize = 16;

/// One level of a walk: (level name, index, entry).
type WalkStep = (&'static str, u16, u64);

/// The walk steps of the command at the playhead, up to it: (level, index, entry).
fn walk(state: &StateHandle) -> Option<(u64, Vec<WalkStep>)> {
    let s = state.session.borrow();
    let (c, k) = s.position()?;
    let rec = &s.commands[c];
    if !rec.line.trim_start().starts_with("translate") {
        return None;
    }
    let va = rec
        .line
        .split_whitespace()
        .nth(2)
        .and_then(|a| mm_core::size::parse_number(a).ok())?;
    let steps = rec.events[..k]
        .iter()
        .filter_map(|e| match e {
            Event::WalkStep {
                level,
                index,
                entry,
                ..
            } => Some((*level, *index, *entry)),
            _ => None,
        })
        .collect();
    Some((va, steps))
}

/// One table of the tree, recursively (collapsed below the top level).
fn table_html(m: &Machine, table: u64, level: usize, base: u64) -> Html {
    let lv = levels(m.la57());
    let Some(entries) = m.page_tables().pages.get(&table) else {
        return html! {};
    };
    let (name, shift) = lv[level];
    let present: Vec<(usize, u64)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| **e & PAGE_PRESENT != 0)
        .map(|(i, e)| (i, *e))
        .collect();
    let more = present.len().saturating_sub(ENTRIES);
    html! {
        <ul class="pt-level">
        { for present.iter().take(ENTRIES).map(|&(i, e)| {
            let va = base + ((i as u64) << shift);
            let label = format!("{name}[{i}] = {e:#018x} ({})", flag_names(e));
            if level + 1 < lv.len() {
                html! {
                    <li><details open={level == 0}>
                        <summary><code>{ label }</code></summary>
                        { table_html(m, entry_pfn(e), level + 1, va) }
                    </details></li>
                }
            } else {
                html! { <li><code>{ format!("{label} → {va:#x} in pfn {:#x}", entry_pfn(e)) }</code></li> }
            }
        }) }
        if more > 0 { <li class="more">{ format!("+{more} more entries") }</li> }
        </ul>
    }
}

/// The processes panel.
#[component]
pub fn ProcessPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let chosen = use_state(|| None::<u32>);
    let walk_now = walk(&state);
    let walk_pid = {
        let s = state.session.borrow();
        s.position()
            .map(|(c, _)| s.commands[c].line.clone())
            .filter(|l| l.trim_start().starts_with("translate"))
            .and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|p| p.parse::<u32>().ok())
            })
    };
    let mut s = state.session.borrow_mut();
    let m = s.map_machine();
    let pid = (*chosen)
        .or(walk_pid)
        .or_else(|| m.tasks().last().map(|t| t.pid));
    let la57 = m.la57();
    let lv = levels(la57);
    let list = html! {
        <table class="procs">
            <thead><tr><th scope="col">{ "pid" }</th><th scope="col">{ "comm" }</th><th scope="col">{ "VSZ" }</th><th scope="col">{ "RSS" }</th><th scope="col">{ "oom_score" }</th></tr></thead>
            <tbody>
            { for m.tasks().map(|t| {
                let p = t.pid;
                let pick = { let chosen = chosen.clone(); Callback::from(move |_| chosen.set(Some(p))) };
                html! {
                    <tr class={classes!((pid == Some(p)).then_some("chosen"))}>
                        <th scope="row"><button class="link" onclick={pick}>{ p }</button></th>
                        <td>{ &t.comm }</td><td>{ format!("{}K", t.mm.total_vm() * 4) }</td><td>{ format!("{}K", t.mm.rss() * 4) }</td><td>{ m.oom_score(t) }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    };
    let detail = pid.and_then(|p| m.tasks().find(|t| t.pid == p)).map(|t| {
        let vmas: Vec<_> = t.mm.vmas.values().collect();
        let weight = |v: &mm_core::vm::mm::Vma| (64 - (v.end - v.start).leading_zeros()).max(1);
        let total: u32 = vmas.iter().map(|v| weight(v)).sum::<u32>().max(1);
        html! {
            <div class="proc-detail">
                <h3>{ format!("Process {} ({})", t.pid, t.comm) }</h3>
                <div class="as-bar" role="img" aria-label="Address space: each mapping, low addresses on the left; widths grow with the log of the size">
                { for vmas.iter().map(|v| html! {
                    <span class={classes!("vma", if v.flags & 2 != 0 { "rw" } else { "ro" })} style={format!("flex-grow:{}", weight(v))}
                        title={format!("{:#x}-{:#x} {} {}", v.start, v.end, v.perms(), v.name)}>{ if v.name.is_empty() { v.perms() } else { v.name.clone() } }</span>
                }) }
                </div>
                <pre class="maps">{ mm_core::procfs::maps(t) }</pre>
                <details class="pt-tree" open=true>
                    <summary>{ format!("Page tables (cr3 = {:#x}; populated tables only)", t.mm.pgd << 12) }</summary>
                    { table_html(m, t.mm.pgd, 0, 0) }
                </details>
                <span hidden=true>{ total }</span>
            </div>
        }
    });
    let walk_html = walk_now.map(|(va, steps)| {
        let sel = {
            let st = state.clone();
            let pfn = steps.last().filter(|s| s.0 == "PTE" && s.2 & PAGE_PRESENT != 0).map(|s| entry_pfn(s.2));
            Callback::from(move |_| st.dispatch(Action::Select(pfn)))
        };
        html! {
            <div class="walk" aria-live="polite">
                <h3>{ format!("translate {va:#x}") }</h3>
                <div class="va-bits" role="img" aria-label="The address split into its index fields">
                    <span class="bits sign">{ format!("sign {}", if va >> 47 & 1 == 1 { "1…" } else { "0…" }) }</span>
                    { for lv.iter().enumerate().map(|(i, (name, shift))| html! {
                        <span class={classes!("bits", format!("lvl{i}"))}>{ format!("{name} {}", (va >> shift) & 511) }</span>
                    }) }
                    <span class="bits offset">{ format!("offset {:#x}", va & 0xfff) }</span>
                </div>
                <ol class="walk-steps">
                { for steps.iter().enumerate().map(|(i, (name, idx, e))| html! {
                    <li class={classes!(format!("lvl{i}"), (i + 1 == steps.len()).then_some("now"))}>
                        <code>{ format!("{name}[{idx}] = {e:#018x}") }</code>{ format!(" ({})", flag_names(*e)) }
                    </li>
                }) }
                </ol>
                <button onclick={sel}>{ "Show the frame on the map" }</button>
            </div>
        }
    });
    html! {
        <section class="panel processes" aria-labelledby="proc-title">
            <h2 id="proc-title">{ "Processes and page tables" }</h2>
            { walk_html.unwrap_or_default() }
            { list }
            { detail.unwrap_or_default() }
        </section>
    }
}
