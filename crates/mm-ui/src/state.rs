//! The app's one piece of state, changed only through [`Action`]s (Yew's `use_reducer`).

use crate::session::Session;
use mm_core::lesson::Lesson;
use mm_core::limits::{script_stopped, ScriptStop, LESSON_WORK, LINK_WORK, NOTICES};
use mm_core::Outcome;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// Where the student is in a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonProgress {
    /// Index into the lessons.
    pub lesson: usize,
    /// The step, 0-based.
    pub step: usize,
    /// Commands before this index are the step's setup.
    pub start_cmd: usize,
    /// Hints shown.
    pub hints: usize,
    /// Whether the step's checks hold (and, in a predict step, the prediction was
    /// right).
    pub done: bool,
    /// A predict step's graded prediction, once made.
    pub prediction: Option<Graded>,
}

/// A prediction, graded by the simulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graded {
    /// What the student predicted.
    pub given: String,
    /// What the simulator produced.
    pub answer: String,
    /// Whether they are the same answer.
    pub right: bool,
}

/// Where the lessons are: on their way, here, or not coming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonsStatus {
    /// Being fetched.
    Loading,
    /// Fetched and parsed.
    Ready,
    /// Could not be fetched or parsed: why.
    Failed(String),
}

/// How fast the playhead moves through micro-steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// A step every 1.5 seconds: slow enough to watch each shape move and read every
    /// sentence.
    Slow,
    /// Three steps a second.
    Normal,
    /// Ten steps a second.
    Fast,
    /// Forty steps a second.
    VeryFast,
    /// No animation: jump to the end.
    Instant,
}

impl Speed {
    /// All speeds, slowest first.
    pub const ALL: [Speed; 5] = [
        Speed::Slow,
        Speed::Normal,
        Speed::Fast,
        Speed::VeryFast,
        Speed::Instant,
    ];

    /// Milliseconds between steps.
    pub fn interval_ms(self) -> u32 {
        match self {
            Speed::Slow => 1500,
            Speed::Normal => 333,
            Speed::Fast => 100,
            Speed::VeryFast => 25,
            Speed::Instant => 0,
        }
    }

    /// The label in the Speed control and the URL.
    pub fn name(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Normal => "normal",
            Speed::Fast => "fast",
            Speed::VeryFast => "very fast",
            Speed::Instant => "instant",
        }
    }

    /// Parses a name from the Speed control or the URL.
    pub fn parse(s: &str) -> Option<Speed> {
        Speed::ALL
            .into_iter()
            .find(|x| x.name() == s || x.name().replace(' ', "-") == s)
    }
}

/// A link being loaded a chunk at a time, so the page keeps painting and shows its
/// progress (each chunk runs for about [`CHUNK_MS`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Loading {
    /// The link's commands, and those typed or sent while it loads.
    pub lines: Rc<Vec<String>>,
    /// The next line to run.
    pub next: usize,
    /// Work done so far ([`mm_core::Outcome::work`]), up to [`LINK_WORK`].
    pub work: u64,
    /// Whether to animate from the first step once loaded (`&autoplay=1`).
    pub autoplay: bool,
}

/// Milliseconds of commands per chunk of a link's load: short enough that the page
/// paints between chunks at about 30 frames a second.
const CHUNK_MS: f64 = 30.0;

/// Milliseconds since the page loaded (chunks are timed by the browser's clock; the
/// simulator never sees it).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        thread_local!(static START: std::time::Instant = std::time::Instant::now());
        START.with(|s| s.elapsed().as_secs_f64() * 1000.0)
    }
}

/// Everything the app shows.
#[derive(Clone)]
pub struct AppState {
    /// The session (not cloned per change: it holds whole machines).
    pub session: Rc<RefCell<Session>>,
    /// Bumped on every change so components re-render.
    pub version: u64,
    /// Whether the playhead is moving.
    pub playing: bool,
    /// How fast it moves.
    pub speed: Speed,
    /// The page the student clicked on the map.
    pub selected: Option<u64>,
    /// The lessons, in course order (empty until fetched), then the shared lesson if
    /// one is open (from a link, a file or the editor).
    pub lessons: Rc<Vec<Lesson>>,
    /// Each lesson's text, in the same order (the editor edits a copy).
    pub sources: Rc<Vec<String>>,
    /// Whether they have been fetched.
    pub lessons_status: LessonsStatus,
    /// The current lesson step, if any.
    pub lesson: Option<LessonProgress>,
    /// Steps done (`lesson/step`), as saved in localStorage.
    pub completed: Rc<BTreeSet<String>>,
    /// Messages for the student about input that was ignored (at most [`NOTICES`]).
    pub notices: Vec<String>,
    /// The link being loaded, if any.
    pub loading: Option<Loading>,
    /// The script of the machine built from an imported OOM report, while the session
    /// starts from it: kept in localStorage, not in the URL ([`crate::imported`]), and
    /// what Reset goes back to.
    pub imported: Option<Rc<Vec<String>>>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected == other.selected
            && self.lesson == other.lesson
            && self.lessons_status == other.lessons_status
            && self.notices == other.notices
            && self.loading == other.loading
            && self.imported.is_some() == other.imported.is_some()
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            session: Rc::new(RefCell::new(Session::new())),
            version: 0,
            playing: false,
            speed: Speed::Normal,
            selected: None,
            lessons: Rc::new(Vec::new()),
            sources: Rc::new(Vec::new()),
            lessons_status: LessonsStatus::Loading,
            lesson: None,
            completed: Rc::new(crate::lessons::load_progress()),
            notices: Vec::new(),
            loading: None,
            imported: None,
        }
    }
}

/// What can happen.
pub enum Action {
    /// Run command lines (typed, clicked, or from the URL), then animate them.
    Run(Vec<String>),
    /// Load a link's command lines a chunk at a time, then show the end state.
    Load(Vec<String>),
    /// Run the next chunk of the link being loaded.
    LoadMore,
    /// Stop loading the link (the rest is not run).
    StopLoading,
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Start moving the playhead.
    Play,
    /// Stop it.
    Pause,
    /// The timer fired: one step forward while playing.
    Tick,
    /// One step forward (pauses).
    StepForward,
    /// One step back (pauses), across commands, back to boot.
    StepBack,
    /// Jump to a frame (pauses).
    Seek(usize),
    /// Jump to the end of the command at the playhead, or of the next one when
    /// already at a command's end (pauses).
    EndOfCommand,
    /// Change the speed.
    SetSpeed(Speed),
    /// Start over on a freshly booted default machine (or on the imported machine,
    /// while the session starts from one).
    Reset,
    /// Build the machine of an imported report (its script), keep it in this browser,
    /// and start the session from it.
    Import(Vec<String>),
    /// Forget the imported machine and start over on a default one.
    ForgetImport,
    /// Select a page on the map (or nothing).
    Select(Option<u64>),
    /// Load command lines from the URL a chunk at a time, then animate them from the
    /// start.
    Autoplay(Vec<String>),
    /// The lessons arrived (or could not be fetched).
    LessonsLoaded(Result<Vec<crate::lessons::Source>, String>),
    /// Open a shared lesson (checked by `verify`: its setups are bounded) at a step:
    /// it replaces the one open before, after the course's lessons.
    OpenShared(Lesson, String, usize),
    /// Start a lesson step (0-based) on a machine prepared by its setup.
    StartLesson(usize, usize),
    /// Grade the student's prediction: run the step's command and compare.
    Predict(String),
    /// Add steps done, from a progress file (`lesson/step` keys).
    ImportProgress(Vec<String>),
    /// Show the next hint.
    ShowHint,
    /// Leave the lesson.
    ExitLesson,
    /// Tell the student that some input was ignored.
    Notice(String),
    /// Dismiss the notices.
    ClearNotices,
}

impl AppState {
    /// Adds a notice: a repeated one is not shown twice, and only the last
    /// [`NOTICES`] stay.
    fn notice(&mut self, n: String) {
        if self.notices.contains(&n) {
            return;
        }
        self.notices.push(n);
        let over = self.notices.len().saturating_sub(NOTICES);
        self.notices.drain(..over);
    }

    /// Runs the next chunk of the link being loaded: lines until [`CHUNK_MS`] have
    /// passed, the link ends, or its work passes [`LINK_WORK`].
    fn load_more(&mut self) {
        let Some(mut l) = self.loading.take() else {
            return;
        };
        let deadline = now_ms() + CHUNK_MS;
        let mut s = self.session.borrow_mut();
        let stopped = loop {
            let Some(line) = l.lines.get(l.next) else {
                break None;
            };
            if l.work > LINK_WORK {
                break Some(format!(
                    "The link's commands {}. Run the rest yourself, a few at a time.",
                    script_stopped(l.next + 1, l.lines.len(), ScriptStop::Work)
                ));
            }
            crate::recovery::pending(s.commands.len(), line, true);
            l.work += s.append(line).work;
            l.next += 1;
            if now_ms() >= deadline {
                s.frame = s.frames();
                drop(s);
                self.loading = Some(l);
                return;
            }
        };
        if l.autoplay {
            s.frame = 0;
            self.playing = s.frames() > 0;
        } else {
            s.frame = s.frames();
        }
        drop(s);
        if let Some(n) = stopped {
            self.notice(n);
        }
    }

    /// The shared lesson, if one is open, and its text.
    fn shared(&self) -> Option<(Lesson, String)> {
        let l = self
            .lessons
            .last()
            .filter(|l| crate::lessons::is_shared(l))?;
        Some((l.clone(), self.sources.last()?.clone()))
    }

    /// Puts a shared lesson after the course's, in place of the one before.
    fn install_shared(&mut self, lesson: Lesson, text: String) {
        let (lessons, sources) = (
            Rc::make_mut(&mut self.lessons),
            Rc::make_mut(&mut self.sources),
        );
        if lessons.last().is_some_and(crate::lessons::is_shared) {
            lessons.pop();
            sources.pop();
        }
        lessons.push(crate::lessons::into_shared(lesson));
        sources.push(text);
    }

    /// Evaluates the lesson step's checks against the commands run since its setup,
    /// and marks the step done when they newly hold (the app saves the progress in an
    /// effect).
    fn check_lesson(&mut self) {
        let Some(p) = self.lesson.as_mut() else {
            return;
        };
        if p.done {
            return;
        }
        let Some(lesson) = self.lessons.get(p.lesson) else {
            return;
        };
        let Some(step) = lesson.steps.get(p.step) else {
            return;
        };
        let s = self.session.borrow();
        if s.commands.len() <= p.start_cmd {
            return;
        }
        let ran: Vec<(String, Outcome)> = s.commands[p.start_cmd..]
            .iter()
            .map(|c| (c.line.clone(), outcome_of(c)))
            .collect();
        let predicted = match (&step.predict, &p.prediction) {
            (None, _) => true,
            (Some(_), Some(g)) => g.right,
            (Some(_), None) => false,
        };
        if predicted && mm_core::lesson::step_done(s.live(), &ran, step) {
            p.done = true;
            let mut done = (*self.completed).clone();
            done.insert(crate::lessons::step_key(lesson, p.step));
            self.completed = Rc::new(done);
        }
    }
}

/// Puts the playhead where new commands' steps start playing from (`start`, the
/// frame before them), or at the end at Instant speed; whether it is now playing.
fn animate_from(s: &mut Session, start: usize, speed: Speed) -> bool {
    s.frame = if speed == Speed::Instant {
        s.frames()
    } else {
        start.min(s.frames())
    };
    s.frame < s.frames()
}

/// What an author reads when a step's setup passes [`LESSON_WORK`] (only a lesson
/// that does not pass `lesson check` can): the setup stopped before line `n` of `of`.
fn setup_stopped(n: usize, of: usize) -> String {
    format!(
        "The step's setup stopped before its command {n} of {of}: its work passed {} steps, \
         mm-sandbox's limit for a lesson (see help limits), so the rest was not run.",
        mm_core::vocab::grouped(LESSON_WORK)
    )
}

/// A recorded command as the lesson checks read it.
fn outcome_of(c: &crate::session::CommandRecord) -> Outcome {
    Outcome {
        ok: c.ok,
        output: c.output.clone(),
        events: c.events.clone(),
        failure: c.failure,
        work: c.work,
        booted: c.booted,
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        let commands_before = next.session.borrow().commands.len();
        let mut stopped = None;
        let autoplay = matches!(action, Action::Autoplay(_));
        // A prediction may start the step over: as many commands as before, new ones.
        let predicted = matches!(action, Action::Predict(_));
        let action = match action {
            Action::OpenShared(lesson, text, step) => {
                next.install_shared(lesson, text);
                Some(Action::StartLesson(next.lessons.len() - 1, step))
            }
            Action::LoadMore => {
                next.load_more();
                None
            }
            Action::Notice(n) => {
                next.notice(n);
                None
            }
            Action::Import(lines) => {
                crate::imported::save(&lines);
                next.imported = Some(Rc::new(lines.clone()));
                next.lesson = None;
                *next.session.borrow_mut() = Session::new();
                Some(Action::Load(lines))
            }
            Action::Reset if next.imported.is_some() => {
                let lines = next.imported.as_deref().cloned().unwrap_or_default();
                *next.session.borrow_mut() = Session::new();
                Some(Action::Load(lines))
            }
            Action::ForgetImport => {
                crate::imported::forget();
                next.imported = None;
                Some(Action::Reset)
            }
            a => Some(a),
        };
        if let Some(action) = action {
            {
                let mut s = next.session.borrow_mut();
                match action {
                    Action::Run(lines) if next.loading.is_some() => {
                        // After the link, in order.
                        if let Some(l) = next.loading.as_mut() {
                            Rc::make_mut(&mut l.lines).extend(lines);
                        }
                    }
                    Action::Run(lines) => {
                        // Typing while a command still plays queues the new one after
                        // it; typing with the playhead parked in the past branches
                        // from there.
                        if !next.playing {
                            s.drop_future();
                        }
                        let start = s.frame;
                        for l in &lines {
                            crate::recovery::pending(s.commands.len(), l, false);
                            s.append(l);
                        }
                        next.playing = animate_from(&mut s, start, next.speed);
                    }
                    Action::Load(lines) | Action::Autoplay(lines) if lines.is_empty() => {}
                    Action::Load(lines) | Action::Autoplay(lines) => {
                        s.drop_future();
                        next.playing = false;
                        next.loading = Some(Loading {
                            lines: Rc::new(lines),
                            next: 0,
                            work: 0,
                            autoplay,
                        });
                    }
                    // Handled above, outside this borrow of the session.
                    Action::LoadMore
                    | Action::Notice(_)
                    | Action::OpenShared(..)
                    | Action::Import(_)
                    | Action::ForgetImport => {}
                    Action::StopLoading => {
                        if let Some(l) = next.loading.take() {
                            s.frame = s.frames();
                            let n = |x: usize| mm_core::vocab::grouped(x as u64);
                            stopped = Some(format!(
                            "Stopped loading the link before line {} of {}; the rest was not run.",
                            n(l.next + 1),
                            n(l.lines.len())
                        ));
                        }
                    }
                    Action::TogglePlay if next.playing => next.playing = false,
                    Action::TogglePlay | Action::Play => {
                        if s.at_end() {
                            // Replay the last command that did something.
                            s.frame = s
                                .commands
                                .iter()
                                .rev()
                                .find(|c| !c.events.is_empty())
                                .map(|c| c.first_frame - 1)
                                .unwrap_or(0);
                        }
                        next.playing = s.frames() > 0;
                    }
                    Action::Pause => next.playing = false,
                    Action::Tick => {
                        if next.playing && !s.at_end() {
                            s.frame += 1;
                        }
                        if s.at_end() {
                            next.playing = false;
                        }
                    }
                    Action::StepForward => {
                        next.playing = false;
                        if !s.at_end() {
                            s.frame += 1;
                        }
                    }
                    Action::StepBack => {
                        next.playing = false;
                        s.frame = s.frame.saturating_sub(1);
                    }
                    Action::Seek(f) => {
                        next.playing = false;
                        s.frame = f.min(s.frames());
                    }
                    Action::EndOfCommand => {
                        next.playing = false;
                        s.frame = s.end_of_command();
                    }
                    Action::SetSpeed(sp) => {
                        next.speed = sp;
                        if sp == Speed::Instant {
                            s.frame = s.frames();
                            next.playing = false;
                        }
                    }
                    Action::Reset => {
                        *s = Session::new();
                        next.playing = false;
                        next.selected = None;
                        next.loading = None;
                    }
                    Action::Select(p) => next.selected = p,
                    Action::LessonsLoaded(Ok(course)) => {
                        // A shared lesson opened first stays last, and its student in it.
                        let shared = next.shared();
                        let (mut lessons, mut sources): (Vec<_>, Vec<_>) =
                            course.into_iter().unzip();
                        if let Some((l, t)) = shared {
                            if let Some(p) = next.lesson.as_mut() {
                                p.lesson = lessons.len();
                            }
                            lessons.push(l);
                            sources.push(t);
                        }
                        next.lessons = Rc::new(lessons);
                        next.sources = Rc::new(sources);
                        next.lessons_status = LessonsStatus::Ready;
                    }
                    Action::LessonsLoaded(Err(e)) => next.lessons_status = LessonsStatus::Failed(e),
                    Action::ImportProgress(keys) => {
                        let mut done = (*next.completed).clone();
                        let before = done.len();
                        done.extend(keys);
                        stopped = Some(format!(
                            "Imported the progress file: {} step(s) newly marked done.",
                            done.len() - before
                        ));
                        next.completed = Rc::new(done);
                    }
                    Action::Predict(given) => {
                        let p = next.lesson.as_ref().and_then(|p| {
                            let step = next.lessons.get(p.lesson)?.steps.get(p.step)?;
                            step.predict.clone().filter(|_| p.prediction.is_none())
                        });
                        if let Some(p) = p {
                            // The question is about the step's machine as set up: if the
                            // student ran commands first, start from the setup again, so
                            // the grade is the one `mmsim lesson check` verified.
                            let fresh = next.lesson.as_ref().and_then(|lp| {
                                let l = next.lessons.get(lp.lesson)?;
                                (s.commands.len() > lp.start_cmd).then(|| l.setup_of(lp.step))
                            });
                            if let Some(setup) = fresh {
                                *s = Session::prepared(&setup).0;
                                next.playing = false;
                                if let Some(lp) = next.lesson.as_mut() {
                                    lp.start_cmd = s.commands.len();
                                }
                            } else if !next.playing {
                                s.drop_future();
                            }
                            let start = s.frame;
                            crate::recovery::pending(s.commands.len(), &p.command, false);
                            let o = outcome_of(s.append(&p.command));
                            let answer = p.answer_of(&o, s.live());
                            let right = mm_core::lesson::same_answer(&given, &answer);
                            if let Some(lp) = next.lesson.as_mut() {
                                lp.prediction = Some(Graded {
                                    given,
                                    answer,
                                    right,
                                });
                            }
                            // The command's steps play, right or wrong: they show why.
                            next.playing = animate_from(&mut s, start, next.speed);
                        }
                    }
                    Action::StartLesson(li, step) => {
                        if let Some(l) = next.lessons.get(li).filter(|l| step < l.steps.len()) {
                            let setup = l.setup_of(step);
                            let (fresh, cut) = Session::prepared(&setup);
                            *s = fresh;
                            next.imported = None;
                            stopped = cut.map(|n| setup_stopped(n, setup.len()));
                            next.loading = None;
                            next.playing = false;
                            next.selected = None;
                            next.lesson = Some(LessonProgress {
                                lesson: li,
                                step,
                                start_cmd: s.commands.len(),
                                hints: 0,
                                done: false,
                                prediction: None,
                            });
                        }
                    }
                    Action::ShowHint => {
                        if let Some(p) = next.lesson.as_mut() {
                            p.hints += 1;
                        }
                    }
                    Action::ExitLesson => next.lesson = None,
                    Action::ClearNotices => next.notices.clear(),
                }
            }
        }
        if let Some(n) = stopped {
            next.notice(n);
        }

        if predicted || next.session.borrow().commands.len() != commands_before {
            next.check_lesson();
        }
        Rc::new(next)
    }
}
