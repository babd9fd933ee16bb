//! The lesson editor: the lesson's text on one side and, on the other, the step under
//! the cursor open in the sandbox exactly as a student gets it (the lesson panel, the
//! machine its setup made, its goal checked after every command). `mmsim lesson
//! check` runs as the author types (half a second after the last key), its error
//! naming the line. "Share link" puts the whole lesson in a link ([`crate::share`]);
//! "Open file" and "Download .lesson" move it as a file.

use super::StateHandle;
use crate::state::Action;
use gloo_timers::callback::Timeout;
use mm_core::lesson::{verify_steps, Lesson};
use mm_core::limits::LESSON_BYTES;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A new lesson's text: every kind of line once, and a lesson that passes its check.
pub const TEMPLATE: &str = "\
# A lesson: one key per line (the README's section for teachers lists them all).
lesson my-lesson
title My first lesson
summary What the student learns, in one line.
setup boot mem=64M

step Allocate a block
text The buddy allocator hands out blocks of 2^order pages.
task Allocate an order-3 block (eight pages) and watch the splits.
hint alloc_pages 3
check event Split
solution alloc_pages 3
";

/// What `lesson check` said of the text.
#[derive(Clone, Default)]
struct Checked {
    /// Counts the texts that parsed, so an effect can tell a new lesson without
    /// comparing lessons.
    run: u32,
    /// The lesson, once the text parses (the last one that did while it does not).
    lesson: Option<Rc<Lesson>>,
    /// The steps that pass, from the first.
    passed: usize,
    /// The first error (`line N: ...`), if any.
    error: Option<String>,
    /// Whether the text changed since.
    stale: bool,
}

/// Runs `lesson check` on the text: parse, then verify the steps.
fn check(text: &str, before: &Checked) -> Checked {
    match Lesson::parse(text) {
        Err(e) => Checked {
            run: before.run,
            error: Some(e),
            lesson: before.lesson.clone(),
            passed: 0,
            stale: false,
        },
        Ok(l) => {
            let (passed, error) = verify_steps(&l);
            Checked {
                run: before.run + 1,
                passed: passed.len(),
                error,
                lesson: Some(Rc::new(l)),
                stale: false,
            }
        }
    }
}

/// The line an error names (`line 12: ...`).
fn line_of(error: &str) -> Option<usize> {
    error.strip_prefix("line ")?.split(':').next()?.parse().ok()
}

/// The 1-based line of a UTF-16 offset into the text (a textarea's selection).
fn line_at(text: &str, offset: u32) -> usize {
    1 + text
        .encode_utf16()
        .take(offset as usize)
        .filter(|c| *c == u16::from(b'\n'))
        .count()
}

/// The UTF-16 offset where line `n` (1-based) starts.
fn offset_of_line(text: &str, n: usize) -> u32 {
    let mut line = 1;
    let mut at = 0;
    for c in text.encode_utf16() {
        if line >= n {
            break;
        }
        at += 1;
        if c == u16::from(b'\n') {
            line += 1;
        }
    }
    at
}

/// Props of [`LessonEditor`].
#[derive(Properties, PartialEq)]
pub struct LessonEditorProps {
    /// The text it opens with.
    pub text: AttrValue,
    /// Closes the editor.
    pub onclose: Callback<()>,
    /// The lesson panel, shown beside the text with the step under the cursor.
    pub children: Html,
}

/// The editor.
#[component]
pub fn LessonEditor(props: &LessonEditorProps) -> Html {
    let state = use_context::<StateHandle>();
    let text = use_state(|| props.text.to_string());
    let cursor = use_state(|| 1usize);
    let checked = use_state(|| check(&props.text, &Checked::default()));
    let timer = use_mut_ref(|| None::<Timeout>);
    let shared = use_state(|| None::<Result<String, String>>);
    let area = use_node_ref();

    // The step under the cursor opens in the sandbox, live: again after each check
    // (the author may have changed it) and when the cursor enters another step.
    let at = checked.lesson.as_ref().and_then(|l| {
        let first = (!l.steps.is_empty()).then_some(0);
        l.steps.iter().rposition(|s| s.line <= *cursor).or(first)
    });
    {
        let (state, text) = (state.clone(), text.clone());
        let lesson = checked.lesson.clone().filter(|_| !checked.stale);
        use_effect_with((checked.run, at), move |(_, at)| {
            if let (Some(st), Some(l), Some(i)) = (&state, lesson, at) {
                st.dispatch(Action::OpenShared((*l).clone(), (*text).clone(), *i));
            }
        });
    }

    let moved = {
        let cursor = cursor.clone();
        move |e: &Event| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let at = a.selection_start().ok().flatten().unwrap_or(0);
                cursor.set(line_at(&a.value(), at));
            }
        }
    };
    let oninput = {
        let (text, checked, shared, moved) =
            (text.clone(), checked.clone(), shared.clone(), moved.clone());
        Callback::from(move |e: InputEvent| {
            let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let value = a.value();
            moved(&e);
            text.set(value.clone());
            shared.set(None);
            checked.set(Checked {
                stale: true,
                ..(*checked).clone()
            });
            // Checked half a second after the last key: typing stays smooth.
            let checked = checked.clone();
            *timer.borrow_mut() = Some(Timeout::new(500, move || {
                checked.set(check(&value, &checked));
            }));
        })
    };
    let onkeyup = {
        let moved = moved.clone();
        Callback::from(move |e: KeyboardEvent| moved(&e))
    };
    let onclick = Callback::from(move |e: MouseEvent| moved(&e));
    let goto = |n: usize| {
        let (area, text, cursor) = (area.clone(), text.clone(), cursor.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let at = offset_of_line(&text, n);
                let _ = a.focus();
                let _ = a.set_selection_range(at, at);
                cursor.set(n);
            }
        })
    };
    let open_file = {
        let (text, checked, state) = (text.clone(), checked.clone(), state.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, checked, state) = (text.clone(), checked.clone(), state.clone());
            crate::export::open_file(".lesson,text/plain", LESSON_BYTES, move |r| match r {
                Ok(t) => {
                    checked.set(check(&t, &checked));
                    text.set(t);
                }
                Err(e) => {
                    if let Some(st) = &state {
                        st.dispatch(Action::Notice(format!(
                            "The lesson file was not opened: {e}."
                        )));
                    }
                }
            })
        })
    };
    let c = &*checked;
    let download = {
        let text = text.clone();
        let name = format!("{}.lesson", c.lesson.as_ref().map_or("lesson", |l| &l.id));
        Callback::from(move |_: MouseEvent| crate::export::download_text(&name, &text))
    };
    let share = {
        let (text, shared) = (text.clone(), shared.clone());
        Callback::from(move |_: MouseEvent| {
            let shared = shared.clone();
            crate::share::link(&text, move |r| {
                if let Ok(url) = &r {
                    crate::export::copy_text(url);
                }
                shared.set(Some(r));
            })
        })
    };
    let steps = c.lesson.as_ref().map_or(0, |l| l.steps.len());
    let status = if c.stale {
        "Checking as you type…".to_string()
    } else if c.error.is_none() {
        format!("✓ lesson check passes: {steps} step(s), each goal unmet after its setup and met after its solution.")
    } else if c.passed > 0 {
        format!("{} of {steps} step(s) pass lesson check; then:", c.passed)
    } else {
        "lesson check fails:".to_string()
    };
    let onclose = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <section class="panel editor" aria-labelledby="editor-title">
            <div class="panel-head">
                <h2 id="editor-title">{ "Lesson editor" }</h2>
                <button onclick={onclose}>{ "Close editor" }</button>
            </div>
            <div class="editor-split">
                <div class="editor-text">
                    <div class="editor-bar" role="group" aria-label="Lesson file">
                        <button onclick={open_file}>{ "Open file" }</button>
                        <button onclick={download}>{ "Download .lesson" }</button>
                        <button onclick={share}>{ "Share link" }</button>
                    </div>
                    if let Some(r) = &*shared {
                        <p class={classes!("share-result", r.is_err().then_some("error"))} role="status">
                            { match r {
                                Ok(url) => html! { <>
                                    { format!("Link copied ({} characters): whoever opens it gets this lesson. ", url.len()) }
                                    <a href={url.clone()}>{ "Open the shared lesson" }</a>
                                </> },
                                Err(e) => html! { { format!("Not shared: {e}.") } },
                            } }
                        </p>
                    }
                    <label for="lesson-text">{ format!("Lesson text (line {}; the step under the cursor opens beside it)", *cursor) }</label>
                    <textarea id="lesson-text" ref={area.clone()} spellcheck="false" value={(*text).clone()} {oninput} {onkeyup} {onclick} />
                    <div class="editor-check" role="status" aria-live="polite">
                        <p class={classes!(c.error.is_none().then_some("ok"))}>{ status }</p>
                        if let Some(e) = c.error.as_ref().filter(|_| !c.stale) {
                            <p class="error">
                                if let Some(n) = line_of(e) {
                                    <button class="link" onclick={goto(n)}>{ format!("line {n}") }</button>
                                    { e.split_once(':').map_or("", |x| x.1) }
                                } else {
                                    { e }
                                }
                            </p>
                        }
                    </div>
                </div>
                <div class="editor-live">{ props.children.clone() }</div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_passes_its_check() {
        let c = check(TEMPLATE, &Checked::default());
        assert_eq!(c.error, None);
        assert_eq!(c.passed, 1);
    }

    #[test]
    fn lines_and_offsets_agree() {
        let t = "a\nbé\n\nc";
        assert_eq!(line_at(t, 0), 1);
        assert_eq!(line_at(t, 2), 2);
        assert_eq!(line_at(t, 5), 3);
        for n in 1..=4 {
            assert_eq!(line_at(t, offset_of_line(t, n)), n);
        }
        assert_eq!(line_of("line 12: no"), Some(12));
        assert_eq!(line_of("the browser"), None);
    }
}
