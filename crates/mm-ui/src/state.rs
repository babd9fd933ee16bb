//! The app's one piece of state, changed only through [`Action`]s (Yew's `use_reducer`).

use crate::session::Session;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

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
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected == other.selected
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
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.version += 1;
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
            }
        }
        Rc::new(next)
    }
}
