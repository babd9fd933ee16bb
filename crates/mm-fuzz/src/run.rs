//! Running lines and judging each: no panic (overflow checks on), the invariants
//! hold, the outcome is consistent and within the limits, and refused input changed
//! nothing a student could see ([`Seen`]). A kernel failure is judged by the
//! invariants only: it may leave what the real kernel leaves.

use crate::state::Seen;
use mm_core::limits::{DECISIVE_EVENTS, OUTPUT_LINES, TAIL_EVENTS};
use mm_core::{Failure, Machine, Outcome};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The simulator panicked (an overflow, an index out of range, a failed assert).
    Panic,
    /// A subsystem's consistency rule broke.
    Invariant,
    /// Input the simulator refused changed something.
    RefusedChangedState,
    /// `ok` and `failure` disagree.
    Inconsistent,
    /// More output lines or steps than the limits allow.
    OverLimit,
}

impl Kind {
    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Invariant => "invariant failure",
            Kind::RefusedChangedState => "refused input that changed state",
            Kind::Inconsistent => "inconsistent outcome",
            Kind::OverLimit => "outcome over the limits",
        }
    }
}

/// A failure, with the lines that led to it (the failing line last).
#[derive(Clone, Debug)]
pub struct Finding {
    /// What went wrong.
    pub kind: Kind,
    /// How, in words.
    pub message: String,
    /// The lines from a freshly booted default machine (recording as given).
    pub script: Vec<String>,
    /// Whether events were recorded, and the step budget.
    pub recording: bool,
    /// Steps a command keeps whole.
    pub budget: usize,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Routes panic messages to [`run_line`] instead of stderr (a fuzzer expects them).
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("{info}");
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg));
    }));
}

/// What one line did.
pub struct Ran {
    /// Its outcome, if it did not panic.
    pub outcome: Option<Outcome>,
    /// What the machine shows afterwards.
    pub seen: Option<Seen>,
    /// How long it took.
    pub took: Duration,
}

/// Runs one line on `m` (which showed `before`) and judges it.
pub fn run_line(m: &mut Machine, line: &str, before: &Seen) -> (Ran, Option<(Kind, String)>) {
    let budget = m.event_budget();
    let t = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| m.run(line)));
    let took = t.elapsed();
    let o = match result {
        Ok(o) => o,
        Err(_) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "a panic".into());
            let ran = Ran {
                outcome: None,
                seen: None,
                took,
            };
            return (ran, Some((Kind::Panic, msg)));
        }
    };
    let mut problem = None;
    if o.ok != o.failure.is_none() {
        problem = Some((
            Kind::Inconsistent,
            format!("ok={} but failure={:?}", o.ok, o.failure),
        ));
    }
    let lines = o.output.lines().count();
    let most_events = budget + DECISIVE_EVENTS + TAIL_EVENTS + 1;
    if lines > OUTPUT_LINES + 1 || o.events.len() > most_events {
        problem = Some((
            Kind::OverLimit,
            format!("{lines} output lines, {} steps", o.events.len()),
        ));
    }
    if let Err(e) = m.check_invariants() {
        problem = Some((Kind::Invariant, e));
    }
    let seen = Seen::of(m);
    if o.failure == Some(Failure::Rejected) && problem.is_none() {
        if let Some(d) = before.diff(&seen) {
            problem = Some((Kind::RefusedChangedState, d));
        }
    }
    let ran = Ran {
        outcome: Some(o),
        seen: Some(seen),
        took,
    };
    (ran, problem)
}

/// A fresh machine as every script starts from.
pub fn fresh(recording: bool, budget: usize) -> Machine {
    let mut m = Machine::default();
    m.set_recording(recording);
    m.set_event_budget(budget);
    m
}

/// Replays a script from a fresh machine: the first finding of `kind`, if any, and
/// the number of lines it took.
pub fn replay(
    script: &[String],
    recording: bool,
    budget: usize,
    kind: Kind,
) -> Option<(usize, String)> {
    let mut m = fresh(recording, budget);
    let mut seen = Seen::of(&m);
    for (i, line) in script.iter().enumerate() {
        let (ran, problem) = run_line(&mut m, line, &seen);
        match problem {
            Some((k, msg)) if k == kind => return Some((i + 1, msg)),
            _ => {}
        }
        match ran.seen {
            Some(s) => seen = s,
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_refusals_failures_and_successes() {
        let mut m = fresh(true, mm_core::limits::EVENTS_PER_COMMAND);
        m.run("boot mem=16M");
        let seen = Seen::of(&m);
        let (ran, problem) = run_line(&mut m, "free_pages 0x5", &seen);
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(
            ran.outcome.map(|o| o.failure),
            Some(Some(Failure::Rejected))
        );
        let seen = ran.seen.unwrap_or_else(|| Seen::of(&m));
        let (ran, problem) = run_line(&mut m, "alloc_pages 10", &seen);
        assert!(problem.is_none());
        assert!(ran.outcome.is_some_and(|o| o.ok));
    }
}
