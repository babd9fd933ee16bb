//! The timeline of a sandbox session, independent of Yew: the commands run so far,
//! their events, and a playhead over every micro-step since boot.
//!
//! Frame 0 is the machine as booted; each event of each command is one more frame.
//! The free lists at any frame are the view before the command with its events up to
//! the frame applied ([`FreeListsView::apply`]); earlier machines are rebuilt by
//! replaying commands from boot (the core is deterministic), with one cached.

use mm_core::views::FreeListsView;
use mm_core::{BootParams, Event, Failure, Machine};

/// One command and what it did.
#[derive(Clone, Debug)]
pub struct CommandRecord {
    /// The line as typed.
    pub line: String,
    /// What it printed.
    pub output: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// How it failed, if it did.
    pub failure: Option<Failure>,
    /// Its micro-steps.
    pub events: Vec<Event>,
    /// The free lists before it.
    pub view_before: FreeListsView,
    /// The free lists after it (so the end of a long command needs no replay).
    pub view_after: FreeListsView,
    /// The first frame of its events.
    pub first_frame: usize,
    /// Where its summary of left-out steps is, if it was cut (past it the free lists
    /// are those after the command).
    pub summary_at: Option<usize>,
}

/// A sandbox session.
pub struct Session {
    boot: BootParams,
    /// Commands run, in order.
    pub commands: Vec<CommandRecord>,
    /// The machine after every command.
    live: Machine,
    /// The playhead: a frame in `0..=frames()`.
    pub frame: usize,
    /// (c, machine before command c), the last one rebuilt.
    cache: Option<(usize, Machine)>,
    /// (c, k, view after k events of command c), the last view computed, so stepping
    /// forward applies one event instead of replaying the command from its start.
    view_cache: Option<(usize, usize, FreeListsView)>,
}

impl Session {
    /// A freshly booted default machine.
    pub fn new() -> Session {
        Session::with_boot(BootParams::default())
    }

    /// A freshly booted machine with these options.
    pub fn with_boot(boot: BootParams) -> Session {
        let mut live = Machine::boot(boot.clone());
        live.set_recording(true);
        Session {
            boot,
            commands: Vec::new(),
            live,
            frame: 0,
            cache: None,
            view_cache: None,
        }
    }

    /// Frames in the timeline (the last frame index).
    pub fn frames(&self) -> usize {
        self.commands
            .last()
            .map(|c| c.first_frame - 1 + c.events.len())
            .unwrap_or(0)
    }

    /// The command whose event the playhead is on, and how many of its events have
    /// happened (0 for "just before it"). None at frame 0.
    pub fn position(&self) -> Option<(usize, usize)> {
        if self.frame == 0 {
            return None;
        }
        self.commands
            .iter()
            .enumerate()
            .rev()
            .find(|(_, c)| !c.events.is_empty() && c.first_frame <= self.frame)
            .map(|(i, c)| (i, (self.frame - c.first_frame + 1).min(c.events.len())))
    }

    /// Whether the playhead is at the last frame.
    pub fn at_end(&self) -> bool {
        self.frame >= self.frames()
    }

    /// Runs a line on the machine after every command, appending it to the timeline.
    /// If the playhead is in the past, the commands after the current one are
    /// dropped first (as an editor drops the redo history).
    #[cfg(test)]
    pub fn run(&mut self, line: &str) -> &CommandRecord {
        self.drop_future();
        self.append(line)
    }

    /// Drops the commands after the one at the playhead, if it is in the past.
    pub fn drop_future(&mut self) {
        let keep = self.position().map(|(c, _)| c + 1).unwrap_or(0);
        if self.at_end() || keep >= self.commands.len() {
            return;
        }
        self.ensure_cache(keep);
        self.commands.truncate(keep);
        self.view_cache = None;
        if let Some((at, m)) = self.cache.take() {
            if at == keep {
                self.live = m;
            }
        }
        self.live.set_recording(true);
    }

    /// Runs a line after every command, whatever the playhead.
    pub fn append(&mut self, line: &str) -> &CommandRecord {
        let view_before = FreeListsView::of(&self.live);
        let out = self.live.run(line);
        let first_frame = self.frames() + 1;
        let summary_at = out
            .events
            .iter()
            .position(|e| matches!(e, Event::Summary(_)));
        self.commands.push(CommandRecord {
            line: line.to_string(),
            output: out.output,
            ok: out.ok,
            failure: out.failure,
            events: out.events,
            view_before,
            view_after: FreeListsView::of(&self.live),
            first_frame,
            summary_at,
        });
        let last = self.commands.len() - 1;
        &self.commands[last]
    }

    /// The machine before command `c` (after every command when `c` is the count),
    /// rebuilt by replay when needed, borrowed (no copy of a large machine per frame).
    pub fn machine_at(&mut self, c: usize) -> &Machine {
        if c >= self.commands.len() {
            return &self.live;
        }
        self.ensure_cache(c);
        match &self.cache {
            Some((_, m)) => m,
            None => &self.live,
        }
    }

    /// Rebuilds the machine before command `c` into the cache, replaying from the
    /// cached machine when it is earlier, else from boot.
    fn ensure_cache(&mut self, c: usize) {
        if matches!(&self.cache, Some((at, _)) if *at == c) {
            return;
        }
        let (mut at, mut m) = match self.cache.take() {
            Some((at, m)) if at < c => (at, m),
            _ => (0, Machine::boot(self.boot.clone())),
        };
        m.set_recording(false);
        while at < c {
            m.run(&self.commands[at].line);
            at += 1;
        }
        m.set_recording(true);
        self.cache = Some((c, m));
    }

    /// A copy of the machine before command `c`.
    #[cfg(test)]
    pub fn machine_before(&mut self, c: usize) -> Machine {
        self.machine_at(c).clone()
    }

    /// The machine whose page states the map shows at the playhead: before the current
    /// command until its last event, after it then.
    pub fn map_machine(&mut self) -> &Machine {
        let c = match self.position() {
            None => self
                .first_with_events_index()
                .unwrap_or(self.commands.len()),
            Some((c, k)) if k >= self.commands[c].events.len() => c + 1,
            Some((c, _)) => c,
        };
        self.machine_at(c)
    }

    fn first_with_events_index(&self) -> Option<usize> {
        self.commands.iter().position(|c| !c.events.is_empty())
    }

    /// The free lists at the playhead.
    pub fn view(&mut self) -> FreeListsView {
        match self.position() {
            None => match self.commands.iter().find(|c| !c.events.is_empty()) {
                Some(c) => c.view_before.clone(),
                None => FreeListsView::of(&self.live),
            },
            Some((c, k))
                if k >= self.commands[c].events.len()
                    || self.commands[c].summary_at.is_some_and(|s| s < k) =>
            {
                self.commands[c].view_after.clone()
            }
            Some((c, k)) => {
                let rec = &self.commands[c];
                let (mut v, from) = match self.view_cache.take() {
                    Some((vc, vk, v)) if vc == c && vk <= k => (v, vk),
                    _ => (rec.view_before.clone(), 0),
                };
                for e in &rec.events[from..k] {
                    v.apply(e);
                }
                self.view_cache = Some((c, k, v.clone()));
                v
            }
        }
    }

    /// The event at the playhead, if any.
    pub fn current_event(&self) -> Option<&Event> {
        let (c, k) = self.position()?;
        self.commands[c].events.get(k.checked_sub(1)?)
    }

    /// The machine after every command (for completion, details, the URL).
    pub fn live(&self) -> &Machine {
        &self.live
    }

    /// Every command line, for the URL and for replaying a session.
    pub fn script(&self) -> String {
        self.commands
            .iter()
            .map(|c| c.line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_count_every_event_and_views_follow_the_playhead() {
        let mut s = Session::new();
        assert_eq!(s.frames(), 0);
        let n1 = s.append("alloc_pages 3").events.len();
        s.append("cat /proc/buddyinfo");
        let n2 = s.append("alloc_pages 0").events.len();
        assert_eq!(s.frames(), n1 + n2);
        s.frame = s.frames();
        assert_eq!(s.view(), FreeListsView::of(s.live()));
        s.frame = 0;
        let booted = Machine::default();
        assert_eq!(s.view(), FreeListsView::of(&booted));
        assert_eq!(s.map_machine().commit().free, booted.commit().free);
        s.frame = n1;
        assert_eq!(s.position(), Some((0, n1)));
        // Stepping back within a command, then forward again, through the view cache.
        s.frame = n1 - 2;
        let mut v = s.commands[0].view_before.clone();
        for e in &s.commands[0].events[..n1 - 2] {
            v.apply(e);
        }
        assert_eq!(s.view(), v);
        s.frame = n1;
        let after_first = s.machine_before(1);
        assert_eq!(
            FreeListsView::of(s.map_machine()),
            FreeListsView::of(&after_first)
        );
        assert_eq!(s.view(), FreeListsView::of(&after_first));
    }

    #[test]
    fn a_batch_appends_every_line() {
        let mut s = Session::new();
        s.drop_future();
        for l in ["boot mem=64M", "alloc_pages 3", "kmalloc 200"] {
            s.append(l);
        }
        assert_eq!(s.commands.len(), 3);
        assert_eq!(s.live().page_states().len(), 16384);
    }

    #[test]
    fn running_in_the_past_drops_the_future() {
        let mut s = Session::new();
        let n1 = s.append("alloc_pages 3").events.len();
        s.append("alloc_pages 5");
        s.frame = n1;
        s.run("alloc_pages 1");
        assert_eq!(
            s.commands
                .iter()
                .map(|c| c.line.as_str())
                .collect::<Vec<_>>(),
            ["alloc_pages 3", "alloc_pages 1"]
        );
        assert_eq!(s.script(), "alloc_pages 3\nalloc_pages 1");
    }
}
