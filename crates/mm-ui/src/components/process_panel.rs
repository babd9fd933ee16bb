//! Processes: each with its VMAs (as /proc/PID/maps and as an address-space bar) and
//! the page-table tree of the chosen process (populated tables only, expandable). The
//! walk of one address has its own panel (`walk_panel.rs`).

use super::StateHandle;
use crate::markup::{esc, Markup};
use mm_core::views::page_table::PtLevel;
use mm_core::views::TableView;
use yew::prelude::*;

/// At most this many entries are listed per table.
const ENTRIES: usize = 16;

/// One table of the tree, recursively (collapsed below the top level).
fn table_html(t: &TableView) -> Html {
    html! {
        <ul class="pt-level">
        { for t.entries.iter().map(|e| {
            let label = format!("{}[{}] = {:#018x} ({})", t.level, e.index, e.entry, e.flags);
            match &e.child {
                Some(child) => html! {
                    <li><details open={t.level == PtLevel::Pgd}>
                        <summary><code>{ label }</code></summary>
                        { table_html(child) }
                    </details></li>
                },
                None => html! { <li><code>{ format!("{label} → {:#x} in pfn {:#x}", e.va, e.pfn) }</code></li> },
            }
        }) }
        if t.more > 0 { <li class="more">{ format!("+{} more entries", t.more) }</li> }
        </ul>
    }
}

/// The address space as a bar: each mapping, low addresses on the left, widths
/// growing with the log of the size (display only, as markup).
fn as_bar(vmas: &[mm_core::views::VmaView]) -> Html {
    let mut m = Markup::default();
    m.tag("<div class=\"as-bar\" role=\"img\" aria-label=\"Address space: each mapping, low addresses on the left; widths grow with the log of the size\">");
    for v in vmas {
        let weight = (64 - (v.end - v.start).leading_zeros()).max(1);
        let title = format!("{:#x}-{:#x} {} {}", v.start, v.end, v.perms, v.name);
        m.tag(&format!(
            "<span class=\"vma {}\" style=\"flex-grow:{weight}\" title=\"{}\">",
            if v.perms.contains('w') { "rw" } else { "ro" },
            esc(&title)
        ))
        .text(if v.name.is_empty() { &v.perms } else { &v.name })
        .tag("</span>");
    }
    m.tag("</div>");
    m.html()
}

/// The processes panel.
#[component]
pub fn ProcessPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let chosen = use_state(|| None::<u32>);
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
    let s = state.session.borrow();
    let m = s.map_machine();
    let procs = m.processes();
    let pid = (*chosen)
        .or(walk_pid)
        .or_else(|| procs.last().map(|t| t.pid));
    // One listener for the table: a pid's button shows that process.
    let pick = {
        let chosen = chosen.clone();
        Callback::from(move |e: MouseEvent| {
            let pid = crate::markup::clicked_number::<u32>(&e, "data-pid");
            if pid.is_some() {
                chosen.set(pid);
            }
        })
    };
    let list = {
        let mut mk = Markup::default();
        mk.tag("<table class=\"procs\"><thead><tr><th scope=\"col\">pid</th><th scope=\"col\">comm</th><th scope=\"col\">VSZ</th><th scope=\"col\">RSS</th><th scope=\"col\">oom_score</th></tr></thead><tbody>");
        for t in &procs {
            let p = t.pid;
            mk.tag(&format!(
                "<tr class=\"{}\"><th scope=\"row\"><button class=\"link\" data-pid=\"{p}\">{p}</button></th><td>",
                if pid == Some(p) { "chosen" } else { "" }
            ))
            .text(&t.comm)
            .tag(&format!("</td><td>{}K</td><td>{}K</td><td>{}</td></tr>", t.total_vm_pages * 4, t.rss_pages * 4, t.oom_score));
        }
        mk.tag("</tbody></table>");
        html! { <div onclick={pick}>{ mk.html() }</div> }
    };
    let detail = pid.and_then(|p| procs.iter().find(|t| t.pid == p)).map(|t| {
        let maps = m.read_file(&format!("/proc/{}/maps", t.pid)).unwrap_or_default();
        let tree = m.page_table(t.pid, ENTRIES);
        html! {
            <div class="proc-detail">
                <h3>{ format!("Process {} ({})", t.pid, t.comm) }</h3>
                { as_bar(&t.vmas) }
                <pre class="maps">{ maps }</pre>
                <details class="pt-tree" open=true>
                    <summary>{ format!("Page tables (cr3 = {:#x}; populated tables only)", t.pgd << 12) }</summary>
                    { tree.as_ref().map(table_html).unwrap_or_default() }
                </details>
            </div>
        }
    });
    html! {
        <section class="panel processes" aria-labelledby="proc-title">
            <h2 id="proc-title">{ "Processes and page tables" }</h2>
            { list }
            { detail.unwrap_or_default() }
        </section>
    }
}
