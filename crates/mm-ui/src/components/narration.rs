//! The step narration: one sentence per micro-step of the command at the playhead,
//! up to the playhead, each naming the kernel function. An `aria-live` log, so screen
//! readers hear each step as it happens.

use super::StateHandle;
use yew::prelude::*;

/// Steps listed at most (the latest ones).
const SHOWN: usize = 40;

/// The narration panel.
#[component]
pub fn Narration() -> Html {
    let state = use_context::<StateHandle>();
    let list = use_node_ref();
    // The step at the playhead is the list's last: keep it in view (the list scrolls
    // on its own, the page does not move).
    {
        let list = list.clone();
        use_effect(move || {
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let Some(state) = state else {
        return html! {};
    };
    let s = state.session.borrow();
    let (title, items) = match s.position() {
        None => (
            "Freshly booted: run a command, then watch its steps here.".to_string(),
            Vec::new(),
        ),
        Some((c, k)) => {
            let rec = &s.commands[c];
            // The last steps only: a long command (touch of 64M) has tens of thousands.
            let from = k.saturating_sub(SHOWN);
            let items: Vec<(usize, &'static str, String)> = rec.events[from..k]
                .iter()
                .enumerate()
                .map(|(i, e)| (from + i, e.function(), e.sentence()))
                .collect();
            (
                format!("$ {} — step {k} of {}", rec.line, rec.events.len()),
                items,
            )
        }
    };
    let last = items.last().map(|(i, _, _)| *i);
    let earlier = items.first().map(|(i, _, _)| *i).unwrap_or(0);
    // Room for the numbers' digits (a long command's steps run past 100,000).
    let digits = last.map_or(1, |i| (i + 1).to_string().len());
    let indent = format!("padding-left: {}ch", digits + 3);
    html! {
        <section class="panel narration" aria-labelledby="narration-title">
            <h2 id="narration-title">{ "What the kernel does" }</h2>
            <p class="narration-head">{ title }</p>
            if earlier > 0 {
                <p class="hint">{ format!("… {} earlier step(s)", mm_core::vocab::grouped(earlier as u64)) }</p>
            }
            // The log is the scrolling box around the list (a list keeps its list role,
            // so its items stay items for a screen reader).
            <div class="steps-log" ref={list} role="log" aria-live="polite" aria-relevant="additions" aria-label="Steps" tabindex="0">
            <ol class="steps" style={indent} start={(earlier + 1).to_string()}>
                { for items.iter().map(|(i, func, rest)| {
                    html! {
                        <li class={classes!((Some(*i) == last).then_some("now"))} aria-current={(Some(*i) == last).then_some("step")}>
                            <code class="fn">{ func }</code>{ " " }{ rest }
                        </li>
                    }
                }) }
            </ol>
            </div>
        </section>
    }
}
