//! Lessons: the index (the course in order, each lesson's prerequisites, the steps
//! done, saved in localStorage) and the current step: prose, the task or the
//! prediction asked for, hints one at a time, "Show me" (plays the solution), and the
//! check the simulator evaluates after every command.

use super::prediction::PredictionBox;
use super::StateHandle;
use crate::markup::Markup;
use crate::state::{Action, LessonsStatus};
use mm_core::lesson::Lesson;
use mm_core::limits::LESSON_BYTES;
use yew::prelude::*;

/// Props of [`LessonPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    /// Closes the index.
    pub onclose: Callback<()>,
    /// Opens the index (after leaving a lesson).
    pub onindex: Callback<()>,
    /// Opens the lesson editor with a text.
    pub onedit: Callback<String>,
}

/// Opens a shared lesson's text (from a link or a file) at `step`, once `lesson
/// check` passes: its setups then stay within the work limit. A text that fails
/// opens in the editor instead, with the failure named by its line.
pub fn open_shared(state: &StateHandle, text: String, step: usize, onedit: &Callback<String>) {
    let checked = Lesson::parse(&text).and_then(|l| {
        let (_, failure) = mm_core::lesson::verify_steps(&l);
        failure.map_or(Ok(l), Err)
    });
    match checked {
        Ok(l) => {
            let n = l.steps.len();
            if step >= n {
                state.dispatch(Action::Notice(format!(
                    "This lesson has steps 1 to {n}; step {} was not found, so it starts at step 1.",
                    step + 1
                )));
            }
            state.dispatch(Action::OpenShared(l, text, if step < n { step } else { 0 }));
        }
        Err(e) => {
            state.dispatch(Action::Notice(format!(
                "This lesson does not pass lesson check ({e}), so it opened in the editor."
            )));
            onedit.emit(text);
        }
    }
}

/// The lesson panel.
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let lessons = state.lessons.clone();
    let start = |li: usize, step: usize| {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| {
            st.dispatch(Action::StartLesson(li, step));
            if let Some(l) = st.lessons.get(li) {
                crate::url::write_lesson(l, step);
            }
        })
    };
    let Some(p) = state.lesson.clone() else {
        let close = props.onclose.reform(|_: MouseEvent| ());
        let intro = match &state.lessons_status {
            LessonsStatus::Loading => {
                ("course-intro", "status", "Loading the lessons…".to_string())
            }
            LessonsStatus::Failed(why) => (
                "error",
                "alert",
                format!("The lessons could not be loaded: {why}. Reload the page to try again."),
            ),
            LessonsStatus::Ready => (
                "course-intro",
                "status",
                format!(
                    "{} lessons, {} steps, in a suggested order: each builds on the ones it names.",
                    lessons.len(),
                    lessons.iter().map(|l| l.steps.len()).sum::<usize>()
                ),
            ),
        };
        let export_progress = {
            let done = state.completed.clone();
            Callback::from(move |_: MouseEvent| {
                crate::export::download_text(
                    "mm-sandbox-progress.txt",
                    &crate::export::progress_file(&done),
                )
            })
        };
        let import_progress = {
            let st = state.clone();
            Callback::from(move |_: MouseEvent| {
                let st = st.clone();
                crate::export::open_file(".txt,text/plain", 1 << 20, move |text| {
                    st.dispatch(match text.and_then(|t| crate::export::parse_progress(&t)) {
                        Ok(keys) => Action::ImportProgress(keys),
                        Err(e) => {
                            Action::Notice(format!("The progress file was not imported: {e}."))
                        }
                    })
                })
            })
        };
        // One listener for every lesson and step button (each carries its place).
        let pick = {
            let st = state.clone();
            Callback::from(move |e: MouseEvent| {
                let n = |k| crate::markup::clicked_number::<usize>(&e, k);
                if let (Some(li), Some(si)) = (n("data-lesson"), n("data-step")) {
                    st.dispatch(Action::StartLesson(li, si));
                    if let Some(l) = st.lessons.get(li) {
                        crate::url::write_lesson(l, si);
                    }
                }
            })
        };
        let write = props
            .onedit
            .reform(|_: MouseEvent| super::lesson_editor::TEMPLATE.to_string());
        let open_file = {
            let (st, onedit) = (state.clone(), props.onedit.clone());
            Callback::from(move |_: MouseEvent| {
                let (st, onedit) = (st.clone(), onedit.clone());
                crate::export::open_file(".lesson,text/plain", LESSON_BYTES, move |r| match r {
                    Ok(text) => open_shared(&st, text, 0, &onedit),
                    Err(e) => st.dispatch(Action::Notice(format!(
                        "The lesson file was not opened: {e}."
                    ))),
                })
            })
        };
        return html! {
            <section class="panel lessons" aria-labelledby="lessons-title">
                <div class="panel-head">
                    <h2 id="lessons-title">{ "Lessons" }</h2>
                    <button onclick={close} aria-label="Close lessons">{ "Close" }</button>
                </div>
                <p class={intro.0} role={intro.1}>{ intro.2 }</p>
                <div class="progress-file" role="group" aria-label="Progress and your own lessons">
                    <button onclick={export_progress}>{ "Export progress" }</button>
                    <button onclick={import_progress}>{ "Import progress" }</button>
                    <button onclick={open_file}>{ "Open a .lesson file" }</button>
                    <button onclick={write}>{ "Write a lesson" }</button>
                </div>
                <ol class="lesson-index" onclick={pick}>{ index_markup(&lessons, &state.completed) }</ol>
            </section>
        };
    };
    let Some(lesson) = lessons.get(p.lesson) else {
        return html! {};
    };
    let Some(step) = lesson.steps.get(p.step) else {
        return html! {};
    };
    let act = |a: fn() -> Action| {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(a()))
    };
    let show_me = {
        let st = state.clone();
        let lines = step.solution.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Run(lines.clone())))
    };
    let exit = {
        let st = state.clone();
        let onindex = props.onindex.clone();
        Callback::from(move |_: MouseEvent| {
            st.dispatch(Action::ExitLesson);
            crate::url::clear_lesson();
            onindex.emit(());
        })
    };
    let n = lesson.steps.len();
    let shared = crate::lessons::is_shared(lesson);
    let edit = {
        let text = state.sources.get(p.lesson).cloned().unwrap_or_default();
        props.onedit.reform(move |_: MouseEvent| text.clone())
    };
    html! {
        <section class="panel lesson" aria-labelledby="lesson-title">
            <div class="panel-head">
                <h2 id="lesson-title">{ format!("{} · step {} of {n}: {}", lesson.title, p.step + 1, step.title) }</h2>
                <div>
                    <button onclick={edit}>{ if shared { "Edit" } else { "Edit a copy" } }</button>
                    <button onclick={exit}>{ "All lessons" }</button>
                </div>
            </div>
            { for step.text.iter().filter(|t| !t.is_empty()).map(|t| html! { <p>{ t }</p> }) }
            if let Some(pr) = &step.predict {
                <PredictionBox
                    key={format!("{}/{}", p.lesson, p.step)}
                    prediction={pr.clone()}
                    graded={p.prediction.clone()}
                    onpredict={{ let st = state.clone(); Callback::from(move |a| st.dispatch(Action::Predict(a))) }}
                    onretry={{ let st = state.clone(); let (li, si) = (p.lesson, p.step); Callback::from(move |_| st.dispatch(Action::StartLesson(li, si))) }}
                />
                if !step.checks.is_empty() {
                    <p class="task"><strong>{ "Then: " }</strong>{ &step.task }</p>
                }
            } else {
                <p class="task"><strong>{ "Your task: " }</strong>{ &step.task }</p>
            }
            <p class={classes!("check", p.done.then_some("done"))} role="status" aria-live="polite">
                { if p.done { "✓ Done: the simulator checked your machine and the goal is met." } else if p.prediction.as_ref().is_some_and(|g| !g.right) { "Not yet: press Try again to start the step over and predict once more." } else if step.predict.is_some() { "Not yet: predict, then check your prediction; the simulator runs the command and grades it." } else { "Not yet: run commands in the terminal; the goal is checked after each one." } }
            </p>
            if p.hints > 0 {
                <ul class="hints">{ for step.hints.iter().take(p.hints).map(|h| html! { <li>{ h }</li> }) }</ul>
            }
            <div class="lesson-nav">
                <button onclick={act(|| Action::ShowHint)} disabled={p.hints >= step.hints.len()}>{ "Hint" }</button>
                <button onclick={show_me}>{ "Show me" }</button>
                <button onclick={start(p.lesson, p.step)}>{ "Restart step" }</button>
                <button onclick={start(p.lesson, p.step.saturating_sub(1))} disabled={p.step == 0}>{ "Previous step" }</button>
                <button onclick={start(p.lesson, p.step + 1)} disabled={p.step + 1 >= n}>{ "Next step" }</button>
            </div>
        </section>
    }
}

/// The course in order (display only, as markup; one listener on the list starts the
/// step a button names): each lesson's title, steps done, summary, prerequisites and
/// steps.
fn index_markup(lessons: &[Lesson], completed: &std::collections::BTreeSet<String>) -> Html {
    let mut m = Markup::default();
    for (li, l) in lessons.iter().enumerate() {
        let done_at = |si: usize| completed.contains(&crate::lessons::step_key(l, si));
        let done = (0..l.steps.len()).filter(|i| done_at(*i)).count();
        let all = done == l.steps.len();
        m.tag(&format!(
            "<li><button class=\"link lesson-title\" data-lesson=\"{li}\" data-step=\"0\">"
        ))
        .text(&l.title)
        .tag("</button>")
        .el(
            "span",
            if all { "progress complete" } else { "progress" },
            &format!(
                " {done}/{} steps done{}",
                l.steps.len(),
                if all { " ✓" } else { "" }
            ),
        )
        .el("p", "summary", &l.summary);
        let after: Vec<&str> = l
            .requires
            .iter()
            .map(|id| {
                lessons
                    .iter()
                    .find(|x| &x.id == id)
                    .map_or(id.as_str(), |x| x.title.as_str())
            })
            .collect();
        if !after.is_empty() {
            m.el("p", "requires", &format!("After: {}", after.join(", ")));
        }
        m.tag("<ol class=\"lesson-steps\">");
        for (si, s) in l.steps.iter().enumerate() {
            m.tag(&format!(
                "<li><button class=\"link\" data-lesson=\"{li}\" data-step=\"{si}\">"
            ))
            .text(&s.title)
            .tag("</button>")
            .text(if done_at(si) { " ✓ done" } else { "" })
            .tag("</li>");
        }
        m.tag("</ol></li>");
    }
    m.html()
}
