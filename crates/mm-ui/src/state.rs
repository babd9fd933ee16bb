//! The app's one piece of state, changed only through [`Action`]s (Yew's `use_reducer`).

use crate::session::Session;
use mm_core::lesson::Lesson;
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
    /// Whether the step's checks hold.
    pub done: bool,
}

/// How fast the playhead moves through micro-steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// One step a second: slow enough to read every sentence.
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
            Speed::Slow => 1000,
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
    /// The lessons.
    pub lessons: Rc<Vec<Lesson>>,
    /// The current lesson step, if any.
    pub lesson: Option<LessonProgress>,
    /// Steps done (`lesson/step`), as saved in localStorage.
    pub completed: Rc<BTreeSet<String>>,
    /// Messages for the student about input that was ignored.
    pub notices: Vec<String>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected == other.selected
            && self.lesson == other.lesson
            && self.notices == other.notices
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
            lessons: Rc::new(crate::lessons::all()),
            lesson: None,
            completed: Rc::new(crate::lessons::load_progress()),
            notices: Vec::new(),
        }
    }
}

/// What can happen.
pub enum Action {
    /// Run command lines (typed, clicked, or from the URL), then animate them.
    Run(Vec<String>),
    /// Run command lines and show the end state at once (a session from the URL).
    Load(Vec<String>),
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
    /// Change the speed.
    SetSpeed(Speed),
    /// Start over on a freshly booted default machine.
    Reset,
    /// Select a page on the map (or nothing).
    Select(Option<u64>),
    /// Run command lines from the URL and animate them from the start.
    Autoplay(Vec<String>),
    /// Start a lesson step (0-based) on a machine prepared by its setup.
    StartLesson(usize, usize),
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
    /// Evaluates the lesson step's checks against the commands run since its setup,
    /// and saves the progress when it is newly met.
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
            .map(|c| {
                (
                    c.line.clone(),
                    Outcome {
                        ok: c.ok,
                        output: c.output.clone(),
                        events: c.events.clone(),
                        failure: c.failure,
                    },
                )
            })
            .collect();
        if mm_core::lesson::step_done(s.live(), &ran, step) {
            p.done = true;
            let mut done = (*self.completed).clone();
            done.insert(crate::lessons::step_key(lesson, p.step));
            crate::lessons::save_progress(&done);
            self.completed = Rc::new(done);
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
        let commands_before = next.session.borrow().commands.len();
        {
            let mut s = next.session.borrow_mut();
            match action {
                Action::Run(lines) => {
                    s.drop_future();
                    let start = s.frame;
                    for l in &lines {
                        s.append(l);
                    }
                    if next.speed == Speed::Instant {
                        s.frame = s.frames();
                        next.playing = false;
                    } else {
                        // Animate from where the playhead was (or from the first new step).
                        s.frame = start.min(s.frames());
                        next.playing = s.frame < s.frames();
                    }
                }
                Action::Load(lines) => {
                    s.drop_future();
                    for l in &lines {
                        s.append(l);
                    }
                    s.frame = s.frames();
                    next.playing = false;
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
                }
                Action::Select(p) => next.selected = p,
                Action::Autoplay(lines) => {
                    s.drop_future();
                    for l in &lines {
                        s.append(l);
                    }
                    s.frame = 0;
                    next.playing = s.frames() > 0;
                }
                Action::StartLesson(li, step) => {
                    if let Some(st) = next.lessons.get(li).and_then(|l| l.steps.get(step)) {
                        *s = Session::new();
                        for l in &st.setup {
                            s.append(l);
                        }
                        s.frame = s.frames();
                        next.playing = false;
                        next.selected = None;
                        next.lesson = Some(LessonProgress {
                            lesson: li,
                            step,
                            start_cmd: s.commands.len(),
                            hints: 0,
                            done: false,
                        });
                    }
                }
                Action::ShowHint => {
                    if let Some(p) = next.lesson.as_mut() {
                        p.hints += 1;
                    }
                }
                Action::ExitLesson => next.lesson = None,
                Action::Notice(n) => next.notices.push(n),
                Action::ClearNotices => next.notices.clear(),
            }
        }
        if next.session.borrow().commands.len() != commands_before {
            next.check_lesson();
        }
        Rc::new(next)
    }
}
