//! The step that stands for the steps a long command did not keep (see
//! [`crate::limits::EVENTS_PER_COMMAND`]).

use super::define::define_events;
use crate::vocab::size::grouped;
use serde::Serialize;

/// How many steps of one kind a summary stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct StepCount {
    /// The steps' kind (`Fault`).
    pub kind: &'static str,
    /// The kernel function (`handle_mm_fault`).
    pub function: &'static str,
    /// How many were left out.
    pub count: u64,
}

/// Counts summed per kernel function (several kinds share one, as `AllocStart` and
/// `Allocated` share `__alloc_pages`), most first.
fn by_function(counts: &[StepCount]) -> Vec<(&'static str, u64)> {
    let mut out: Vec<(&'static str, u64)> = Vec::new();
    for c in counts {
        match out.iter_mut().find(|(f, _)| *f == c.function) {
            Some((_, n)) => *n += c.count,
            None => out.push((c.function, c.count)),
        }
    }
    crate::vocab::sort::sort_by_key(&mut out, |(_, n)| u64::MAX - *n);
    out
}

define_events! {
    /// Steps left out of a long command.
    pub enum SummaryEvent {
        /// The steps between the first ones kept and the last ones kept, counted by
        /// kind. The pictures of the free lists jump here to the end of the command.
        Summary {
            /// Steps left out.
            steps: u64,
            /// How many of each kind, most first.
            counts: Vec<StepCount>,
        }
            function: "mmsim",
            tracepoint: None,
            sentence: format!(
                "... and {} more steps like these: {}. (Only the first {} steps of a \
                 command and its last {} are kept; the machine's state is exact.)",
                grouped(*steps),
                crate::vocab::join(
                    &by_function(counts)
                        .iter()
                        .take(6)
                        .map(|(f, n)| format!("{} × {f}", grouped(*n)))
                        .collect::<Vec<_>>(),
                    ", "
                ),
                grouped(crate::limits::EVENTS_PER_COMMAND as u64),
                crate::limits::TAIL_EVENTS
            ),
    }
}
