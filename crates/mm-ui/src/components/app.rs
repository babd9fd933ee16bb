//! The page: header, the physical memory map, the buddy free lists, the terminal, the
//! narration and the timeline; the timer that moves the playhead; global shortcuts;
//! the URL.

use super::blocks_panel::BlocksPanel;
use super::pressure_panel::PressurePanel;
use super::walk_panel::WalkPanel;
use super::{buddy_panel::BuddyPanel, commit_panel::CommitPanel, controls::Controls, help::Help};
use super::{embed::EmbedDialog, lesson_editor::LessonEditor, lesson_panel::LessonPanel};
use super::{memory_map::MemoryMap, narration::Narration, process_panel::ProcessPanel};
use super::{slab_panel::SlabPanel, terminal::Terminal, timeline::Timeline, StateHandle};
use crate::state::{Action, AppState, LessonsStatus, Speed};
use crate::url;
use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Every panel, in the order of the header's toggles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The block a page-allocator step works on, splitting and merging.
    Blocks,
    /// The map of every page frame.
    Map,
    /// Play, step, speed, scrubber.
    Timeline,
    /// The step in words.
    Narration,
    /// The command line and its output.
    Terminal,
    /// Buttons that type common commands.
    Controls,
    /// The free areas per zone and order.
    Buddy,
    /// SLUB caches and slabs.
    Slab,
    /// The page-table walk and copy-on-write.
    Walk,
    /// Processes, VMAs, page tables.
    Processes,
    /// CommitLimit, Committed_AS, the OOM decision.
    Commit,
    /// Free pages against the watermarks, kswapd0, the LRU lists, reclaim.
    Pressure,
}

impl Panel {
    /// Every panel.
    pub const ALL: [Panel; 12] = [
        Panel::Blocks,
        Panel::Map,
        Panel::Timeline,
        Panel::Narration,
        Panel::Terminal,
        Panel::Controls,
        Panel::Buddy,
        Panel::Slab,
        Panel::Walk,
        Panel::Processes,
        Panel::Commit,
        Panel::Pressure,
    ];

    /// Its name in `&panels=`.
    pub fn name(self) -> &'static str {
        match self {
            Panel::Blocks => "blocks",
            Panel::Map => "map",
            Panel::Timeline => "timeline",
            Panel::Narration => "narration",
            Panel::Terminal => "terminal",
            Panel::Controls => "controls",
            Panel::Buddy => "buddy",
            Panel::Slab => "slab",
            Panel::Walk => "walk",
            Panel::Processes => "processes",
            Panel::Commit => "commit",
            Panel::Pressure => "pressure",
        }
    }

    /// Its header toggle's text.
    pub fn label(self) -> &'static str {
        match self {
            Panel::Blocks => "Blocks",
            Panel::Map => "Memory map",
            Panel::Timeline => "Timeline",
            Panel::Narration => "Narration",
            Panel::Terminal => "Terminal",
            Panel::Controls => "Buttons",
            Panel::Buddy => "Buddy",
            Panel::Slab => "Slab",
            Panel::Walk => "Walk",
            Panel::Processes => "Processes",
            Panel::Commit => "Overcommit",
            Panel::Pressure => "Pressure",
        }
    }

    /// The panel named `name` in `&panels=`.
    pub fn parse(name: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The whole app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let url_state = use_memo((), |_| url::read());
    let help_open = use_state(|| false);
    let demo_on = {
        let u = (*url_state).clone();
        use_state(move || {
            let bare = u.script.is_empty()
                && u.lesson.is_none()
                && u.lesson_data.is_none()
                && !u.embed
                && !u.import;
            super::demo::wanted(u.demo.as_deref(), bare)
        })
    };
    let lessons_open = use_state(|| false);
    // The lesson editor's text when it opened, and how many times it has (a new key
    // each time, so it starts from that text).
    let editor = use_state(|| None::<(u32, AttrValue)>);
    let onedit = {
        let editor = editor.clone();
        Callback::from(move |text: String| {
            let n = editor.as_ref().map_or(0, |e| e.0 + 1);
            editor.set(Some((n, text.into())));
        })
    };
    let embed_open = use_state(|| false);
    let shown = {
        let u = (*url_state).clone();
        use_state(move || match u.panels {
            Some(list) => Panel::ALL
                .iter()
                .map(|p| list.iter().any(|x| x == p.name()))
                .collect::<Vec<bool>>(),
            None => vec![true; Panel::ALL.len()],
        })
    };
    let on = |p: Panel| {
        Panel::ALL
            .iter()
            .position(|x| *x == p)
            .is_some_and(|i| shown[i])
    };

    // Load the session from the URL once; anything malformed becomes a notice.
    {
        let state = state.clone();
        let onedit = onedit.clone();
        let u = (*url_state).clone();
        use_effect_with((), move |_| {
            if let Some(n) = crate::recovery::take_report() {
                state.dispatch(Action::Notice(n));
            }
            if let Err(n) = crate::messages::configure(u.origin.as_deref()) {
                state.dispatch(Action::Notice(n));
            }
            for n in url_notices(&u) {
                state.dispatch(Action::Notice(n));
            }
            if let Some(sp) = u.speed.as_deref().and_then(Speed::parse) {
                state.dispatch(Action::SetSpeed(sp));
            }
            let st = state.clone();
            crate::lessons::fetch_all(Callback::from(move |r| {
                st.dispatch(Action::LessonsLoaded(r))
            }));
            // A lesson link waits for the lessons (below); a shared lesson is
            // inflated, checked, and opened (or shown in the editor if it fails).
            if let Some(data) = &u.lesson_data {
                let (st, onedit) = (state.clone(), onedit.clone());
                let step = u
                    .step
                    .as_deref()
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(1);
                crate::share::open(data, move |r| match r {
                    Ok(text) => {
                        super::lesson_panel::open_shared(&st, text, step.saturating_sub(1), &onedit)
                    }
                    Err(why) => st.dispatch(Action::Notice(format!(
                        "The lesson in this link was not opened: {why}."
                    ))),
                });
            } else if u.import {
                match crate::imported::load() {
                    Some(lines) => state.dispatch(Action::Import(lines)),
                    None => state.dispatch(Action::Notice(
                        "This address points at a machine imported in another browser (or one since \
                         forgotten): imported machines stay in the browser that imported them."
                            .into(),
                    )),
                }
            } else if u.lesson.is_none() {
                load_script(&state, &u);
            }
            crate::messages::post_ready();
            mark_first_render();
        });
    }

    // Open the link's lesson step once the lessons are here; a lesson that is not
    // there (or lessons that could not be fetched) is a notice, and the link's script,
    // if any, runs instead.
    {
        let state = state.clone();
        let u = (*url_state).clone();
        let started = use_mut_ref(|| false);
        use_effect_with(state.lessons_status.clone(), move |status| {
            let Some(id) = u
                .lesson
                .as_deref()
                .filter(|_| *status != LessonsStatus::Loading)
            else {
                return;
            };
            if std::mem::replace(&mut *started.borrow_mut(), true) {
                return;
            }
            if let LessonsStatus::Failed(why) = status {
                state.dispatch(Action::Notice(format!(
                    "The lessons could not be loaded ({why}), so lesson '{id}' cannot open."
                )));
                load_script(&state, &u);
                return;
            }
            let Some(li) = state.lessons.iter().position(|l| l.id == id) else {
                state.dispatch(Action::Notice(format!(
                    "There is no lesson '{id}'; open the Lessons list to pick one."
                )));
                load_script(&state, &u);
                return;
            };
            let n = state.lessons[li].steps.len();
            let step = match u.step.as_deref() {
                None => 1,
                Some(s) => match s.parse::<usize>().ok().filter(|s| (1..=n).contains(s)) {
                    Some(k) => k,
                    None => {
                        state.dispatch(Action::Notice(format!(
                            "Lesson '{id}' has steps 1 to {n}; step={s} was ignored."
                        )));
                        1
                    }
                },
            };
            state.dispatch(Action::StartLesson(li, step - 1));
        });
    }

    // Save the lesson progress when it changes (the reducer only records it).
    use_effect_with(state.completed.clone(), |done| {
        crate::lessons::save_progress(done)
    });

    // Tell an embedding page about each new command.
    {
        let posted = use_mut_ref(|| None::<usize>);
        let st = state.clone();
        use_effect_with(state.session.borrow().commands.len(), move |len| {
            let mut p = posted.borrow_mut();
            let from = p.unwrap_or(*len).min(*len);
            for c in &st.session.borrow().commands[from..*len] {
                crate::messages::post_command(c);
            }
            *p = Some(*len);
        });
    }

    // Take commands from an embedding page, in the documented format only.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                move |e: web_sys::MessageEvent| {
                    // Only the embedding page may drive the sandbox (not a sibling frame,
                    // an opener or another tab), and at the pinned origin if any.
                    if !crate::messages::from_parent(&e) {
                        return;
                    }
                    match crate::messages::parse_incoming(&e.data()) {
                    Ok(Some(lines)) => state.dispatch(Action::Run(lines)),
                    Ok(None) => {}
                    Err(why) => state.dispatch(Action::Notice(format!(
                        "Ignored a message for mm-sandbox: {why}. Send {{ target: \"mm-sandbox\", type: \"run\", command: \"...\" }}."
                    ))),
                }
                },
            );
            listen_on_window("message", handler)
        });
    }

    // Load a link a chunk at a time, letting the page paint in between.
    {
        let st = state.clone();
        use_effect_with(
            (state.version, state.loading.is_some()),
            move |(_, loading)| {
                let timer = loading.then(|| {
                    let st = st.clone();
                    Timeout::new(0, move || st.dispatch(Action::LoadMore))
                });
                move || drop(timer)
            },
        );
    }

    // Move the playhead while playing.
    {
        let st = state.clone();
        use_effect_with(
            (state.version, state.playing, state.speed),
            move |(_, playing, speed)| {
                let timer = playing.then(|| {
                    let st = st.clone();
                    Timeout::new(speed.interval_ms().max(16), move || {
                        st.dispatch(Action::Tick)
                    })
                });
                move || drop(timer)
            },
        );
    }

    // Keep the URL's script in step with the session (a lesson step is its own state).
    // While a link loads, the address keeps the whole link (so a reload, or one after a
    // crash, still has it; see recovery.rs); the first render, before the link starts
    // loading, leaves it alone too.
    {
        let st = state.clone();
        let count = state.session.borrow().commands.len();
        let loading = state.loading.is_some();
        let first = use_mut_ref(|| true);
        let has_link = !url_state.script.is_empty()
            || url_state.import
            || url_state.lesson.is_some()
            || url_state.lesson_data.is_some();
        use_effect_with(
            (count, state.lesson.is_some(), loading),
            move |(_, in_lesson, loading)| {
                let was_first = std::mem::replace(&mut *first.borrow_mut(), false);
                if *loading || (was_first && has_link) {
                    return;
                }
                if !in_lesson {
                    url::write_script(&st.session.borrow().script(), st.imported.is_some());
                }
                crate::recovery::settled();
            },
        );
    }

    // Keyboard shortcuts, when no text field has the focus.
    {
        let state = state.clone();
        let help_open = help_open.clone();
        use_effect_with((), move |_| {
            let handler = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                shortcut(&state, &help_open, &e)
            });
            listen_on_window("keydown", handler)
        });
    }

    let embed = url_state.embed;
    let toggle = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        Callback::from(move |_: MouseEvent| h.set(!*h))
    };
    let close = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        Callback::from(move |_: ()| h.set(false))
    };
    let open = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        Callback::from(move |_: ()| h.set(true))
    };
    let clear_notices = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::ClearNotices))
    };
    let on_help = {
        let help_open = help_open.clone();
        Callback::from(move |_| help_open.set(!*help_open))
    };
    let close_help = {
        let help_open = help_open.clone();
        Callback::from(move |_| help_open.set(false))
    };
    let lesson_panel = if state.lesson.is_some() || *lessons_open {
        html! { <LessonPanel onclose={close(&lessons_open)} onindex={open(&lessons_open)} {onedit} /> }
    } else {
        html! {}
    };
    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
            <div class={classes!("app", embed.then_some("embed"))}>
                if !embed {
                    <header class="site-header">
                        <div>
                            <h1>{ "mm-sandbox" }</h1>
                            <p class="tagline">{ "Watch Linux manage memory, one kernel step at a time." }</p>
                        </div>
                        <nav class="header-links" aria-label="Site">
                            <details class="panel-menu">
                            <summary>{ format!("Panels ({} of {})", shown.iter().filter(|x| **x).count(), Panel::ALL.len()) }</summary>
                            <div class="panel-toggles" role="group" aria-label="Panels">
                            { for Panel::ALL.iter().enumerate().map(|(i, panel)| {
                                let pressed = shown[i];
                                let shown = shown.clone();
                                let toggle = Callback::from(move |_| {
                                    let mut v = (*shown).clone();
                                    v[i] = !v[i];
                                    shown.set(v);
                                });
                                html! { <button class="toggle" aria-pressed={pressed.to_string()} onclick={toggle}>{ panel.label() }</button> }
                            }) }
                            </div>
                            </details>
                            <button class="link" onclick={toggle(&lessons_open)} aria-expanded={(*lessons_open).to_string()}>{ "Lessons" }</button>
                            <a class="link" href="import.html">{ "Import a machine" }</a>
                            <button class="link" onclick={toggle(&embed_open)} aria-expanded={(*embed_open).to_string()}>{ "Embed this" }</button>
                            <button class="link" onclick={on_help.clone()} aria-expanded={(*help_open).to_string()}>{ "Help & shortcuts" }</button>
                        </nav>
                    </header>
                }
                if let Some(l) = &state.loading {
                    <LoadProgress done={l.next} total={l.lines.len()} />
                }
                if !state.notices.is_empty() {
                    <div class="notices" role="status">
                        <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                        <button onclick={clear_notices} aria-label="Dismiss notices">{ "Dismiss" }</button>
                    </div>
                }
                if *help_open {
                    <Help onclose={close_help} />
                }
                if *embed_open {
                    <EmbedDialog onclose={close(&embed_open)} />
                }
                if *demo_on {
                    <super::demo::Demo onclose={close(&demo_on)} />
                }
                <super::imported_bar::ImportedBar />
                // The editor spans the page: the text, and the step it describes live.
                if let Some((key, text)) = &*editor {
                    <LessonEditor key={*key} text={text.clone()} onclose={{ let e = editor.clone(); Callback::from(move |_| e.set(None)) }}>
                        { lesson_panel.clone() }
                    </LessonEditor>
                }
                <main class="layout">
                    <div class="col-main">
                        if editor.is_none() { { lesson_panel } }
                        if on(Panel::Blocks) { <BlocksPanel /> }
                        if on(Panel::Timeline) { <Timeline /> }
                        if on(Panel::Narration) { <Narration /> }
                        if on(Panel::Walk) { <WalkPanel /> }
                        if on(Panel::Map) { <MemoryMap /> }
                        if on(Panel::Processes) { <ProcessPanel /> }
                    </div>
                    <div class="col-side">
                        if on(Panel::Terminal) { <Terminal /> }
                        if on(Panel::Controls) { <Controls /> }
                        if on(Panel::Buddy) { <BuddyPanel /> }
                        if on(Panel::Slab) { <SlabPanel /> }
                        if on(Panel::Commit) { <CommitPanel /> }
                        if on(Panel::Pressure) { <PressurePanel /> }
                    </div>
                </main>
            </div>
        </ContextProvider<StateHandle>>
    }
}

/// Space/K play-pause, ←/J and →/L step, E to the end of the command, Home/End,
/// `/` focuses the command line, `?` opens help. Ignored while typing.
fn shortcut(state: &StateHandle, help_open: &UseStateHandle<bool>, e: &KeyboardEvent) {
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            )
        });
    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return;
    }
    let frames = state.session.borrow().frames();
    let action = match e.key().as_str() {
        " " | "k" => Some(Action::TogglePlay),
        "ArrowLeft" | "j" => Some(Action::StepBack),
        "ArrowRight" | "l" => Some(Action::StepForward),
        "Home" => Some(Action::Seek(0)),
        "End" => Some(Action::Seek(frames)),
        "e" => Some(Action::EndOfCommand),
        "?" => {
            help_open.set(!**help_open);
            None
        }
        "/" => {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("command"))
            {
                if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
            None
        }
        _ => return,
    };
    e.prevent_default();
    if let Some(a) = action {
        state.dispatch(a);
    }
}

/// Adds a window event listener; the returned function removes it (an effect's cleanup).
fn listen_on_window<E: 'static + ?Sized>(
    event: &'static str,
    handler: Closure<E>,
) -> impl FnOnce() {
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
    move || {
        if let Some(w) = window {
            let _ = w.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
    }
}

/// What in the URL was not understood.
fn url_notices(u: &url::UrlState) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(sp) = u.speed.as_deref().filter(|s| Speed::parse(s).is_none()) {
        out.push(format!("Unknown speed '{sp}' in the address was ignored (slow, normal, fast, very-fast, instant)."));
    }
    if let Some(list) = &u.panels {
        for p in list.iter().filter(|p| Panel::parse(p).is_none()) {
            out.push(format!("Unknown panel '{p}' in the address was ignored."));
        }
    }
    if let Some((kept, total)) = u.script_cut {
        out.push(url::script_cut_notice(kept, total));
    }
    if let Some(d) = u.demo.as_deref().filter(|d| *d != "1" && *d != "0") {
        out.push(format!(
            "demo={d} in the address was ignored (use demo=1 or demo=0)."
        ));
    }
    if let Some(a) = u.autoplay.as_deref().filter(|a| *a != "1" && *a != "0") {
        out.push(format!(
            "autoplay={a} in the address was ignored (use autoplay=1)."
        ));
    }
    out
}

/// Runs the link's script: loaded to its end state, or animated from the start with
/// `autoplay=1`.
fn load_script(state: &UseReducerHandle<AppState>, u: &url::UrlState) {
    if u.script.is_empty() {
        return;
    }
    if u.autoplay.as_deref() == Some("1") {
        state.dispatch(Action::Autoplay(u.script.clone()));
    } else {
        state.dispatch(Action::Load(u.script.clone()));
    }
}

/// Props of [`LoadProgress`].
#[derive(Properties, PartialEq)]
struct LoadProgressProps {
    done: usize,
    total: usize,
}

/// "Loading the link: 1,234 of 10,000 commands", with a bar and a Stop button.
#[component]
fn LoadProgress(props: &LoadProgressProps) -> Html {
    let Some(state) = use_context::<StateHandle>() else {
        return html! {};
    };
    let stop = Callback::from(move |_: MouseEvent| state.dispatch(Action::StopLoading));
    let grouped = |n: usize| mm_core::vocab::grouped(n as u64);
    html! {
        <div class="loading" role="status">
            <label for="load-progress">{ format!("Loading the link: {} of {} commands", grouped(props.done), grouped(props.total)) }</label>
            <progress id="load-progress" max={props.total.to_string()} value={props.done.to_string()} />
            <button onclick={stop}>{ "Stop loading" }</button>
        </div>
    }
}

/// Records when the app first rendered, for the time-to-first-render benchmark.
fn mark_first_render() {
    if let Some(w) = web_sys::window() {
        let t = w.performance().map(|p| p.now()).unwrap_or(0.0);
        let _ = js_sys::Reflect::set(&w, &"__mmFirstRender".into(), &t.into());
    }
}

#[cfg(test)]
mod tests {
    use super::Panel;

    /// The README lists every panel's `&panels=` name, in order.
    #[test]
    fn readme_lists_every_panel() {
        let readme = include_str!("../../../../README.md");
        let names: Vec<&str> = Panel::ALL.iter().map(|p| p.name()).collect();
        assert!(
            readme.contains(&format!("`&panels={}`", names.join(","))),
            "README's &panels= list is not {names:?}"
        );
        for p in Panel::ALL {
            assert_eq!(Panel::parse(p.name()), Some(p));
        }
    }
}
