//! Commit accounting and the OOM killer: CommitLimit against Committed_AS as a gauge,
//! the overcommit mode and ratio (editable, the same as `sysctl -w`), MemFree and
//! MemAvailable; the last refused charge; the OOM killer's decision as a table of
//! oom_score per process with the victim marked, and its dmesg lines.

use super::StateHandle;
use crate::markup::Markup;
use crate::state::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const MODES: [(&str, &str); 3] = [
    (
        "0",
        "0 heuristic: refuse only a single request larger than RAM + swap",
    ),
    (
        "1",
        "1 always: never refuse; the OOM killer settles it later",
    ),
    (
        "2",
        "2 strict: refuse once Committed_AS would reach CommitLimit",
    ),
];

use crate::session::Score;

/// The commit and OOM panel.
#[component]
pub fn CommitPanel() -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    // Events up to the playhead: the last refusal and the last OOM kill, with the
    // scores the kill was decided on.
    let crate::session::CommitPicture {
        refusal,
        kill,
        deciding,
        committed_now,
    } = state.session.borrow().commit_at();
    let s = state.session.borrow();
    let m = s.map_machine();
    let commit = m.commit();
    // Committed_AS and MemFree as they are at the playhead: they move step by step,
    // and the victim's pages show returning to the free lists.
    let (limit, committed) = (commit.limit, committed_now.unwrap_or(commit.committed));
    let free_now: u64 = s.view().zones.iter().map(|z| z.free_pages()).sum();
    let pct = if limit == 0 {
        100.0
    } else {
        committed as f64 / limit as f64 * 100.0
    };
    let mode = commit.mode.value().to_string();
    let ratio = commit.ratio;
    let onmode = {
        let st = state.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                st.dispatch(Action::Run(vec![format!(
                    "sysctl -w vm.overcommit_memory={}",
                    sel.value()
                )]));
            }
        })
    };
    let onratio = {
        let st = state.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                st.dispatch(Action::Run(vec![format!(
                    "sysctl -w vm.overcommit_ratio={}",
                    i.value()
                )]));
            }
        })
    };
    let mut dmesg: Vec<&str> = m
        .dmesg()
        .filter(|l| {
            l.contains("oom")
                || l.contains("Killed process")
                || l.contains("Tasks state")
                || l.contains("__vm_enough_memory")
        })
        .collect();
    let skip = dmesg.len().saturating_sub(8);
    dmesg.drain(..skip);
    let kb = |p: u64| format!("{} kB", p * 4);
    html! {
        <section class="panel commit" aria-labelledby="commit-title">
            <h2 id="commit-title">{ "Overcommit and the OOM killer" }</h2>
            <div class="gauge" role="meter" aria-label="Committed_AS against CommitLimit"
                aria-valuemin="0" aria-valuemax={limit.max(committed).to_string()} aria-valuenow={committed.to_string()}>
                <div class={classes!("gauge-fill", (pct >= 100.0).then_some("over"))} style={format!("width:{}%", crate::anim::fixed(pct.min(100.0), 1))}></div>
            </div>
            <p class="gauge-text">{ format!("Committed_AS {} of CommitLimit {} ({}%)", kb(committed), kb(limit), crate::anim::fixed(pct, 0)) }</p>
            <div class="commit-controls">
                <label>{ "vm.overcommit_memory " }
                    <select aria-label="vm.overcommit_memory (overcommit mode)" onchange={onmode}>
                        { for MODES.iter().map(|(v, text)| html! { <option value={*v} selected={*v == mode}>{ *text }</option> }) }
                    </select>
                </label>
                <label>{ "vm.overcommit_ratio " }
                    <input type="number" min="0" max="1000" value={ratio.to_string()} aria-label="vm.overcommit_ratio" onchange={onratio} />
                </label>
            </div>
            <p class="gauge-text">{ format!("MemFree {} · MemAvailable {}", kb(free_now), kb(commit.available)) }</p>
            if let Some(r) = refusal {
                <p class="refusal" role="status">{ r }</p>
            }
            <h3>{ "OOM killer" }</h3>
            if !deciding.is_empty() {
                <p class="oom-victim" role="status">{ "select_bad_process: scoring every task (oom_badness); a tie goes to the later task." }</p>
                { badness_table(&deciding, None) }
            } else if let Some((victim, comm, scores)) = &kill {
                <p class="oom-victim" role="status">{ format!("Killed process {victim} ({comm}): it had the highest badness.") }</p>
                { badness_table(scores, Some(*victim)) }
            } else {
                { scores_table(&m.processes()) }
            }
            if !dmesg.is_empty() {
                <pre class="dmesg" tabindex="0" aria-label="The kernel log's OOM lines">{ dmesg.join("\n") }</pre>
            }
        </section>
    }
}

/// Every process's oom_score and oom_score_adj, as /proc/PID/oom_score shows them.
fn scores_table(procs: &[mm_core::views::ProcessView]) -> Html {
    let mut m = Markup::default();
    m.tag("<table class=\"oom\"><thead><tr><th scope=\"col\">pid</th><th scope=\"col\">comm</th><th scope=\"col\">oom_score</th><th scope=\"col\">oom_score_adj</th></tr></thead><tbody>");
    for t in procs {
        m.tag(&format!("<tr><td>{}</td><td>", t.pid))
            .text(&t.comm)
            .tag(&format!(
                "</td><td>{}</td><td>{}</td></tr>",
                t.oom_score, t.oom_score_adj
            ));
    }
    m.tag("</tbody></table>");
    m.html()
}

/// The candidates' badness as bars, the leader (or the victim) marked: a tie goes to
/// the later task, as `oom_evaluate_task` replaces the choice on equal points.
fn badness_table(scores: &[Score], victim: Option<u32>) -> Html {
    let max = scores.iter().map(|s| s.2).max().unwrap_or(1).max(1);
    // max_by_key keeps the last of equal maxima: the later task.
    let leader = scores.iter().max_by_key(|s| s.2).map(|s| s.0);
    let chosen = victim.or(leader);
    html! {
        <table class="oom">
            <thead><tr><th scope="col">{ "pid" }</th><th scope="col">{ "comm" }</th><th scope="col">{ "badness points" }</th></tr></thead>
            <tbody>{ for scores.iter().map(|(p, c, pts)| {
                let mine = chosen == Some(*p);
                let note = match (mine, victim.is_some()) {
                    (true, true) => " (victim)",
                    (true, false) => " (highest so far)",
                    _ => "",
                };
                html! {
                    <tr class={classes!(mine.then_some("victim"))}>
                        <td>{ p }</td><td>{ c }{ note }</td>
                        <td class="badness"><span class="bar" style={format!("width:{}%", crate::anim::fixed((*pts).max(0) as f64 / max as f64 * 100.0, 1))}></span>{ pts }</td>
                    </tr>
                }
            }) }</tbody>
        </table>
    }
}
