//! `Trace`: collects a command's events while it runs, within the per-command budget
//! of [`crate::limits`]: the first steps whole, then only the decisive ones and the
//! last few, the rest counted into one [`SummaryEvent`].

use super::{Event, StepCount, SummaryEvent};
use crate::limits::{DECISIVE_EVENTS, EVENTS_PER_COMMAND, TAIL_EVENTS};
use crate::vocab::deque::Deque;

/// Collects events while a command runs; recording can be switched off for speed.
#[derive(Debug)]
pub struct Trace {
    /// Whether [`Trace::push`] keeps events.
    pub enabled: bool,
    /// Steps kept whole before the cut.
    budget: usize,
    /// The first steps, then the decisive ones after the cut.
    events: Vec<Event>,
    /// Past the cut: what is left out, and the last steps.
    cut: Option<Cut>,
}

/// The part of a command past its budget.
#[derive(Debug, Default)]
struct Cut {
    /// The last [`TAIL_EVENTS`] steps.
    tail: Deque<Event>,
    /// Decisive steps kept past the cut.
    decisive: usize,
    /// Steps left out, by (kind, function).
    counts: Vec<StepCount>,
    /// Their total.
    dropped: u64,
}

/// A machine is cloned between commands, when its trace has been handed out: the
/// clone starts with the same settings and no steps (cloning steps would cost the
/// wasm a copy of every event's clone for nothing).
impl Clone for Trace {
    fn clone(&self) -> Self {
        Trace {
            enabled: self.enabled,
            budget: self.budget,
            events: Vec::new(),
            cut: None,
        }
    }
}

impl Default for Trace {
    fn default() -> Self {
        Trace {
            enabled: false,
            budget: EVENTS_PER_COMMAND,
            events: Vec::new(),
            cut: None,
        }
    }
}

impl Cut {
    fn count(&mut self, e: &Event) {
        self.dropped += 1;
        let (kind, function) = (e.kind(), e.function());
        match self
            .counts
            .iter_mut()
            .find(|c| c.kind == kind && c.function == function)
        {
            Some(c) => c.count += 1,
            None => self.counts.push(StepCount {
                kind,
                function,
                count: 1,
            }),
        }
    }
}

impl Trace {
    /// Records an event built by `make`, if recording is on (the closure keeps the
    /// cost of building it off the fast path).
    #[inline]
    pub fn push<E: Into<Event>>(&mut self, make: impl FnOnce() -> E) {
        if self.enabled {
            self.record(make().into());
        }
    }

    /// Keeps a built event. Out of line: a few hundred places record events, and
    /// each would otherwise carry its own copy of the vector's growth code.
    #[inline(never)]
    fn record(&mut self, e: Event) {
        if self.cut.is_none() && self.events.len() < self.budget {
            self.events.push(e);
        } else {
            self.push_past_budget(e);
        }
    }

    /// Past the budget: the step joins the tail; the one it pushes out is kept if it
    /// is decisive (up to [`DECISIVE_EVENTS`]), counted otherwise.
    #[cold]
    fn push_past_budget(&mut self, e: Event) {
        let cut = self.cut.get_or_insert_with(Cut::default);
        cut.tail.push_back(e);
        if cut.tail.len() > TAIL_EVENTS {
            if let Some(old) = cut.tail.pop_front() {
                if old.decisive() && cut.decisive < DECISIVE_EVENTS {
                    cut.decisive += 1;
                    self.events.push(old);
                } else {
                    cut.count(&old);
                }
            }
        }
    }

    /// Sets how many steps a command keeps whole (the JS API's `eventBudget`); at
    /// least one.
    pub fn set_budget(&mut self, budget: usize) {
        self.budget = budget.max(1);
    }

    /// The steps a command keeps whole.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Takes the events recorded so far: all of them, or for a cut command the first
    /// ones, the decisive ones, a summary of the rest, and the last ones. The next
    /// command's list starts with room for as many (and at least a typical
    /// allocation's), so a run of similar commands does not grow a vector step by step.
    pub fn take(&mut self) -> Vec<Event> {
        let room = if self.enabled {
            self.events.len().clamp(16, 4096)
        } else {
            0
        };
        let mut events = std::mem::replace(&mut self.events, Vec::with_capacity(room));
        if let Some(mut cut) = self.cut.take() {
            if cut.dropped > 0 {
                crate::vocab::sort::sort_by_key(&mut cut.counts, |c| u64::MAX - c.count);
                events.push(
                    SummaryEvent::Summary {
                        steps: cut.dropped,
                        counts: cut.counts,
                    }
                    .into(),
                );
            }
            events.extend(cut.tail);
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::PageAllocEvent;
    use crate::vocab::{Pfn, ZoneType};

    fn free_start(i: u64) -> PageAllocEvent {
        PageAllocEvent::FreeStart {
            zone: ZoneType::Dma32,
            pfn: Pfn(i),
            order: 0,
        }
    }

    #[test]
    fn a_long_command_keeps_its_head_its_tail_and_a_summary() {
        let mut t = Trace {
            enabled: true,
            ..Trace::default()
        };
        t.set_budget(10);
        for i in 0..1000 {
            t.push(|| free_start(i));
        }
        let events = t.take();
        assert_eq!(events.len(), 10 + 1 + TAIL_EVENTS);
        assert_eq!(events[0], free_start(0).into());
        let Event::Summary(SummaryEvent::Summary { steps, counts }) = &events[10] else {
            panic!("{:?}", events[10]);
        };
        assert_eq!(*steps, 1000 - 10 - TAIL_EVENTS as u64);
        assert_eq!(counts[0].function, "__free_pages");
        assert_eq!(events.last(), Some(&free_start(999).into()));
        // The next command starts afresh.
        t.push(|| free_start(0));
        assert_eq!(t.take().len(), 1);
    }
}
