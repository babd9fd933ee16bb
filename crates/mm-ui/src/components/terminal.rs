//! The terminal: the command language with history (Up/Down), Tab completion of
//! commands, /proc paths and sysctl names, and every command's output. The command at
//! the playhead is marked; commands run at once and their steps queue on the timeline.

use super::StateHandle;
use crate::session::CommandRecord;
use crate::state::Action;
use mm_core::limits::{SCROLLBACK, SCROLLBACK_BYTES};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Completes the last word of a line: command names first, then files or sysctl names.
fn complete(line: &str, files: &[String]) -> Option<String> {
    let (head, last) = match line.rfind(' ') {
        Some(i) => (&line[..=i], &line[i + 1..]),
        None => ("", line),
    };
    let candidates: Vec<String> = if head.is_empty() {
        mm_core::command_infos()
            .map(|c| c.name.to_string())
            .chain(["clear".to_string()])
            .collect()
    } else if head.starts_with("sysctl") {
        mm_core::sysctl::NAMES
            .iter()
            .map(|n| format!("vm.{n}"))
            .collect()
    } else {
        files.to_vec()
    };
    let matches: Vec<&String> = candidates.iter().filter(|c| c.starts_with(last)).collect();
    let first = matches.first()?;
    // The longest common prefix of the matches.
    let mut common = first.to_string();
    for m in &matches[1..] {
        while !m.starts_with(&common) {
            common.pop();
        }
    }
    let suffix = if matches.len() == 1 { " " } else { "" };
    (common.len() > last.len() || matches.len() == 1).then(|| format!("{head}{common}{suffix}"))
}

/// The first command the terminal shows: at most [`SCROLLBACK`] commands since the
/// last `clear` (at `cleared`), whose outputs fit in [`SCROLLBACK_BYTES`] (the newest
/// is shown whatever its size).
fn scrollback_start(commands: &[CommandRecord], cleared: usize) -> usize {
    let mut bytes = 0;
    let mut first = commands.len();
    while first > cleared && commands.len() - first < SCROLLBACK {
        bytes += commands[first - 1].output.len() + commands[first - 1].line.len();
        if bytes > SCROLLBACK_BYTES && first < commands.len() {
            break;
        }
        first -= 1;
    }
    first
}

/// The terminal panel.
#[component]
pub fn Terminal() -> Html {
    let state = use_context::<StateHandle>();
    let input_ref = use_node_ref();
    let history_pos = use_mut_ref(|| None::<usize>);
    let cleared = use_state(|| 0usize);
    let log_ref = use_node_ref();
    let Some(state) = state else { return html! {} };

    // Keep the newest output in view.
    {
        let log_ref = log_ref.clone();
        use_effect_with(state.session.borrow().commands.len(), move |_| {
            if let Some(el) = log_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let st = state.clone();
        let input_ref = input_ref.clone();
        let history_pos = history_pos.clone();
        let cleared = cleared.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let count = st.session.borrow().commands.len();
            let line_at = |i: usize| st.session.borrow().commands[i].line.clone();
            match e.key().as_str() {
                "Enter" => {
                    let line = input.value();
                    input.set_value("");
                    *history_pos.borrow_mut() = None;
                    if line.trim() == "clear" {
                        cleared.set(count);
                    } else if !line.trim().is_empty() {
                        st.dispatch(Action::Run(vec![line]));
                    }
                }
                "Escape" => {
                    // Leave the command line, so the playback shortcuts work.
                    let _ = input.blur();
                }
                "Tab" => {
                    e.prevent_default();
                    let files = st.session.borrow().live().files();
                    if let Some(done) = complete(&input.value(), &files) {
                        input.set_value(&done);
                    }
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    if count == 0 {
                        return;
                    }
                    let mut pos = history_pos.borrow_mut();
                    let next = match (*pos, e.key().as_str()) {
                        (None, "ArrowUp") => Some(count - 1),
                        (Some(p), "ArrowUp") => Some(p.saturating_sub(1).min(count - 1)),
                        (Some(p), _) if p + 1 < count => Some(p + 1),
                        _ => None,
                    };
                    *pos = next;
                    input.set_value(&next.map(line_at).unwrap_or_default());
                }
                _ => {}
            }
        })
    };

    let s = state.session.borrow();
    let current = s.position().map(|(c, _)| c);
    let first = scrollback_start(&s.commands, *cleared);
    let scrolled_off = first - (*cleared).min(first);
    html! {
        <section class="panel terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">{ "Terminal" }</h2>
            <div class="transcript" ref={log_ref} role="log" aria-label="Command output" tabindex="0">
                if s.commands.len() <= *cleared {
                    <p class="hint">{ "Try " }<code>{ "alloc_pages 3" }</code>{ ", " }<code>{ "cat /proc/buddyinfo" }</code>{ ", " }<code>{ "kmalloc 200" }</code>{ " or " }<code>{ "help" }</code>{ ". Tab completes." }</p>
                }
                if scrolled_off > 0 {
                    <p class="scrolled-off">{ format!("{} earlier commands scrolled off (the terminal shows the last {SCROLLBACK} commands, within {} MiB of output).", mm_core::vocab::grouped(scrolled_off as u64), SCROLLBACK_BYTES >> 20) }</p>
                }
                { for s.commands.iter().enumerate().skip(first).map(|(i, c)| html! {
                    <div class={classes!("entry", (!c.ok).then_some("error"), (current == Some(i)).then_some("current"))}>
                        <div class="prompt-line"><span class="prompt" aria-hidden="true">{ "$ " }</span>{ &c.line }</div>
                        <pre class="output">{ &c.output }</pre>
                    </div>
                }) }
            </div>
            <div class="command-line">
                <label for="command" class="prompt">{ "$" }</label>
                <input id="command" ref={input_ref} type="text" aria-label="Command"
                    autocomplete="off" spellcheck="false" autocapitalize="off"
                    placeholder="type a command, e.g. alloc_pages 3" {onkeydown} />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{complete, scrollback_start, SCROLLBACK, SCROLLBACK_BYTES};
    use crate::session::Session;

    #[test]
    fn scrollback_keeps_the_newest_commands_within_its_bytes() {
        let mut s = Session::new();
        for _ in 0..SCROLLBACK + 10 {
            s.append("echo hi");
        }
        assert_eq!(scrollback_start(&s.commands, 0), 10);
        assert_eq!(
            scrollback_start(&s.commands, 500),
            500,
            "from the last clear"
        );
        // 400 commands of 4 KiB each pass 1 MiB: only the newest 256 fit.
        let big = format!("echo {}", "x".repeat(4090));
        for _ in 0..400 {
            s.append(&big);
        }
        let first = scrollback_start(&s.commands, 0);
        let shown: usize = s.commands[first..]
            .iter()
            .map(|c| c.output.len() + c.line.len())
            .sum();
        assert!(shown <= SCROLLBACK_BYTES, "{shown} bytes shown");
        assert!(
            s.commands.len() - first >= 120,
            "{} shown",
            s.commands.len() - first
        );
    }

    #[test]
    fn completion() {
        let files = vec!["/proc/buddyinfo".to_string(), "/proc/meminfo".to_string()];
        assert_eq!(complete("alloc_p", &files).as_deref(), Some("alloc_pages "));
        assert_eq!(
            complete("cat /proc/b", &files).as_deref(),
            Some("cat /proc/buddyinfo ")
        );
        assert_eq!(complete("cat /proc/", &files), None);
        assert_eq!(
            complete("sysctl vm.overcommit_m", &files).as_deref(),
            Some("sysctl vm.overcommit_memory ")
        );
    }
}
