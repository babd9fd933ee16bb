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

    /// Takes the events recorded so far.
    pub fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
