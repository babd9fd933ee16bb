//! `Trace`: collects a command's events while it runs.

use super::Event;

/// Collects events while a command runs; recording can be switched off for speed.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Whether [`Trace::push`] keeps events.
    pub enabled: bool,
    /// The events so far.
    pub events: Vec<Event>,
}

impl Trace {
    /// Records an event built by `make`, if recording is on (the closure keeps the
    /// cost of building it off the fast path).
    #[inline]
    pub fn push<E: Into<Event>>(&mut self, make: impl FnOnce() -> E) {
        if self.enabled {
            self.events.push(make().into());
        }
    }

    /// Takes the events recorded so far. The next command's list starts with room for
    /// as many (and at least a typical allocation's), so a run of similar commands does
    /// not grow a vector step by step.
    pub fn take(&mut self) -> Vec<Event> {
        let room = if self.enabled {
            self.events.len().max(16)
        } else {
            0
        };
        std::mem::replace(&mut self.events, Vec::with_capacity(room))
    }
}
