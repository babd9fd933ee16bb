//! The terminal: type a command, see what the simulated kernel printed.

use mm_core::Machine;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// One command and what it printed.
#[derive(Clone, PartialEq)]
struct Entry {
    command: String,
    output: String,
    ok: bool,
}

/// A command line with a scrolling transcript above it; Enter runs the line,
/// Up and Down walk the history.
#[component]
pub fn Terminal() -> Html {
    let machine = use_mut_ref(Machine::default);
    let entries = use_state(Vec::<Entry>::new);
    let history_pos = use_mut_ref(|| None::<usize>);
    let input_ref = use_node_ref();

    let onkeydown = {
        let machine = machine.clone();
        let entries = entries.clone();
        let input_ref = input_ref.clone();
        let history_pos = history_pos.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            match e.key().as_str() {
                "Enter" => {
                    let line = input.value();
                    if line.trim().is_empty() {
                        return;
                    }
                    let outcome = machine.borrow_mut().run(&line);
                    let mut next = (*entries).clone();
                    next.push(Entry {
                        command: line,
                        output: outcome.output,
                        ok: outcome.ok,
                    });
                    entries.set(next);
                    input.set_value("");
                    *history_pos.borrow_mut() = None;
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let n = entries.len();
                    if n == 0 {
                        return;
                    }
                    let mut pos = history_pos.borrow_mut();
                    let next = match (*pos, e.key().as_str()) {
                        (None, "ArrowUp") => Some(n - 1),
                        (Some(p), "ArrowUp") => Some(p.saturating_sub(1)),
                        (Some(p), _) if p + 1 < n => Some(p + 1),
                        _ => None,
                    };
                    *pos = next;
                    input.set_value(next.map(|i| entries[i].command.as_str()).unwrap_or(""));
                }
                _ => {}
            }
        })
    };

    html! {
        <section class="panel terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">{ "Terminal" }</h2>
            <div class="transcript" role="log" aria-live="polite">
                if entries.is_empty() {
                    <p class="hint">{ "Try " }<code>{ "cat /proc/buddyinfo" }</code>{ ", " }<code>{ "alloc_pages 3" }</code>{ " or " }<code>{ "help" }</code>{ "." }</p>
                }
                { for entries.iter().map(|e| html! {
                    <div class={classes!("entry", (!e.ok).then_some("error"))}>
                        <div class="prompt-line"><span class="prompt" aria-hidden="true">{ "$ " }</span>{ &e.command }</div>
                        <pre class="output">{ &e.output }</pre>
                    </div>
                }) }
            </div>
            <div class="command-line">
                <label for="command" class="prompt">{ "$" }</label>
                <input id="command" ref={input_ref} type="text" aria-label="Command"
                    autocomplete="off" spellcheck="false" autocapitalize="off"
                    placeholder="type a command, e.g. cat /proc/buddyinfo" {onkeydown} />
            </div>
        </section>
    }
}
