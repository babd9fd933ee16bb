//! Lessons: data files an author writes without Rust, and the checks the simulator
//! evaluates to say whether a student met a step's goal or predicted a result right.
//!
//! A lesson file is lines of `KEY rest-of-line`; `#` lines are comments:
//!
//! ```text
//! lesson buddy                      # the id used in ?lesson=buddy
//! title The buddy allocator
//! summary Power-of-two blocks, split and merged.
//! requires zones                    # lessons to take first (ids), shown in the index
//! setup boot mem=64M                # before the first step: the lesson's machine
//!
//! step Split a block                # each step starts a new step
//! setup alloc_pages 0               # the step's own setup, after the lesson's
//! text When the kernel needs 2^order pages...   # prose; an empty `text` starts a paragraph
//! task Allocate an order-3 block.
//! hint The order is the power of two.           # shown one at a time
//! check ran alloc_pages 3                       # every check must hold
//! solution alloc_pages 3                        # what "Show me" plays
//!
//! step Predict the PFN              # a predict-then-check step
//! predict alloc_pages 3             # the command whose result the student predicts
//! question Which PFN does it return?
//! answer key pfn                    # what is compared (see below)
//! choice 0x1000                     # multiple choice; without choices the student types
//! choice 0x1008
//! expect 0x1008                     # `mmsim lesson check` verifies the simulator agrees
//! explain The upper halves went back to the lists, lowest first...
//! ```
//!
//! Every step starts on a freshly booted machine that runs the lesson's setup, then
//! the step's; a step whose own setup starts with `boot` skips the lesson's.
//!
//! Checks, evaluated over the commands the student ran in the step and the machine
//! ([`check()`]): `ran PREFIX`, `failed PREFIX`, `output TEXT`, `event KIND`,
//! `file PATH TEXT` (the file contains TEXT), `zone_free ZONE >= N` (or `<=`),
//! `sysctl NAME VALUE`, `processes >= N`.
//!
//! Answers of a prediction ([`Answer`]): `key NAME` (the `NAME=` value the command
//! prints), `outcome` (`succeeds` or `fails`), `line TEXT` (the rest of the first
//! output line containing TEXT), `file PATH TEXT` (the rest of the file's first line
//! containing TEXT, after the command), `event KIND` (`yes` if the command took a
//! step of that kind, else `no`), `victim` (the name of the process the OOM
//! killer picked).

mod check;
mod parse;
mod predict;
mod verify;

pub use check::{check, step_done};
pub use predict::{same_answer, Answer, Prediction};
pub use verify::{prepare, verify, verify_steps};

/// One check of a step, with the line it was written on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Check {
    /// The file's line (1-based).
    pub line: usize,
    /// The check, as written (`event Split`).
    pub text: String,
}

/// One step of a lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// The file's line of its `step` (1-based).
    pub line: usize,
    /// Its title.
    pub title: String,
    /// Paragraphs of prose.
    pub text: Vec<String>,
    /// Commands that prepare the machine (after the lesson's, unless they boot).
    pub setup: Vec<String>,
    /// What the student is asked to do.
    pub task: String,
    /// Hints, in order.
    pub hints: Vec<String>,
    /// Checks that must all hold.
    pub checks: Vec<Check>,
    /// Commands that meet the goal.
    pub solution: Vec<String>,
    /// The prediction asked for before a command runs, if this is a predict step.
    pub predict: Option<Prediction>,
}

/// A lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    /// The id (`?lesson=ID`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// One line on what it teaches.
    pub summary: String,
    /// Lessons to take first (ids).
    pub requires: Vec<String>,
    /// Commands every step starts with (unless its own setup boots).
    pub setup: Vec<String>,
    /// Its steps.
    pub steps: Vec<Step>,
}

impl Lesson {
    /// The commands that prepare step `i`'s machine after a fresh boot: the lesson's
    /// setup then the step's, or only the step's when it boots a machine of its own.
    pub fn setup_of(&self, i: usize) -> Vec<String> {
        let Some(step) = self.steps.get(i) else {
            return Vec::new();
        };
        let boots = step
            .setup
            .first()
            .is_some_and(|l| l.split_whitespace().next() == Some("boot"));
        let common = if boots { &[][..] } else { &self.setup[..] };
        common.iter().chain(&step.setup).cloned().collect()
    }
}
