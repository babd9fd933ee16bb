//! The timeline of a sandbox session, independent of Yew: the commands run so far,
//! their events, and a playhead over every micro-step since boot.
//!
//! Frame 0 is the machine as booted; each event of each command is one more frame.
//! The free lists at any frame are replayed from events (`FreeListsView::apply`),
//! starting from the nearest checkpoint: the lists are kept whole only after every
//! [`VIEW_EVERY`]th command, after a `boot` (which has no events) and after a command
//! whose steps were cut, so a long session does not hold a copy per command. Earlier
//! machines are rebuilt by replaying commands (the core is deterministic) from the
//! nearest kept machine; machines are kept within [`SESSION_MACHINES`] bytes.
//!
//! A session bounds what it keeps: at most [`SESSION_EVENTS`] steps (the oldest
//! commands lose theirs, keeping their output) and [`SESSION_OUTPUT`] bytes of output.

use mm_core::event::VmEvent;
use mm_core::limits::{LESSON_WORK, SESSION_EVENTS, SESSION_MACHINES, SESSION_OUTPUT};
use mm_core::views::{FreeListsView, PageStatesView};
use mm_core::{BootParams, Event, Failure, Machine};
use std::cell::RefCell;
use std::rc::Rc;

/// A checkpoint of the free lists after every this many commands.
const VIEW_EVERY: usize = 64;

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
    /// Its micro-steps (empty once the session dropped them to stay in budget).
    pub events: Vec<Event>,
    /// The first frame of its events.
    pub first_frame: usize,
    /// Where its summary of left-out steps is, if it was cut (past it the free lists
    /// are those after the command).
    pub summary_at: Option<usize>,
    /// Work it did ([`mm_core::Outcome::work`]).
    pub work: u64,
    /// Whether it booted a new machine.
    pub booted: bool,
    /// Whether its steps include a refused commit charge or the OOM killer's (so the
    /// commit panel reads only those commands' steps).
    pub commit_news: bool,
    /// Memory pressure after it: LRU lists, page cache, reclaim counters.
    pub pressure: mm_core::views::PressureView,
    /// The free lists after it, at checkpoints.
    after: Option<Rc<FreeListsView>>,
}

/// Badness points of one OOM candidate: (pid, comm, points).
pub type Score = (u32, String, i64);

/// What the commit panel shows at a step ([`Session::commit_at`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitPicture {
    /// The last refused commit charge, in words.
    pub refusal: Option<String>,
    /// The last OOM kill: (victim pid, its comm, every candidate's score).
    pub kill: Option<(u32, String, Vec<Score>)>,
    /// Scores of a decision not yet made (the playhead is inside it).
    pub deciding: Vec<Score>,
    /// Committed_AS after the current command's steps so far, if they moved it.
    pub committed_now: Option<u64>,
}

/// A sandbox session.
pub struct Session {
    boot: BootParams,
    /// Commands run, in order.
    pub commands: Vec<CommandRecord>,
    /// The machine after every command (shared with the panels that show it, and
    /// copied only when a command runs while a copy is still held).
    live: Rc<Machine>,
    /// The playhead: a frame in `0..=frames()`.
    pub frame: usize,
    /// The free lists of the machine as booted.
    boot_view: Rc<FreeListsView>,
    /// Memory pressure of the machine as booted.
    boot_pressure: mm_core::views::PressureView,
    /// Machines kept for stepping back: (c, the machine before command c). The
    /// caches are filled while reading (panels only read the session).
    machines: RefCell<Vec<(usize, Rc<Machine>)>>,
    /// (c, k, view after k events of command c), the last view computed, so stepping
    /// forward applies one event instead of replaying.
    view_cache: RefCell<Option<(usize, usize, FreeListsView)>>,
    /// The same for the page states.
    states_cache: RefCell<Option<(usize, usize, Rc<PageStatesView>)>>,
    /// The free-pages plot of the command last asked for.
    series_cache: RefCell<Option<Rc<crate::pressure::FreeSeries>>>,
    /// Steps kept across all commands.
    events_kept: usize,
    /// Bytes of output kept across all commands.
    output_kept: usize,
    /// Steps the session keeps ([`SESSION_EVENTS`]; smaller in tests).
    events_budget: usize,
    /// Bytes of output it keeps ([`SESSION_OUTPUT`]; smaller in tests).
    output_budget: usize,
}

/// What a machine costs to keep: its page array and its page tables.
fn machine_bytes(m: &Machine) -> u64 {
    m.heap_bytes() + m.commit().committed.min(1 << 20) * 8
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
        let live = Rc::new(live);
        Session {
            boot_view: Rc::new(FreeListsView::of(&live)),
            boot_pressure: live.pressure(),
            boot,
            commands: Vec::new(),
            live,
            frame: 0,
            machines: RefCell::new(Vec::new()),
            view_cache: RefCell::new(None),
            states_cache: RefCell::new(None),
            series_cache: RefCell::new(None),
            events_kept: 0,
            output_kept: 0,
            events_budget: SESSION_EVENTS,
            output_budget: SESSION_OUTPUT,
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
        // First frames never decrease (a command without steps has the first frame of
        // the next that has some), so this is a binary search for the last command
        // starting at or before the frame.
        let i = self
            .commands
            .partition_point(|c| c.first_frame <= self.frame);
        self.commands[..i]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, c)| !c.events.is_empty())
            .map(|(i, c)| (i, (self.frame - c.first_frame + 1).min(c.events.len())))
    }

    /// Whether the playhead is at the last frame.
    pub fn at_end(&self) -> bool {
        self.frame >= self.frames()
    }

    /// The last frame of the command at the playhead ("to the end of this command"),
    /// or of the next command when the playhead is already at one's end, so pressing
    /// it again walks command by command.
    pub fn end_of_command(&self) -> usize {
        let next = match self.position() {
            Some((c, k)) if k < self.commands[c].events.len() => c,
            Some((c, _)) => self.next_with_steps(c + 1),
            None => self.next_with_steps(0),
        };
        match self.commands.get(next) {
            Some(r) => r.first_frame - 1 + r.events.len(),
            None => self.frames(),
        }
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
        let m = self.machine_before(keep);
        for c in &self.commands[keep..] {
            self.events_kept -= c.events.len();
            self.output_kept -= c.output.len();
        }
        self.commands.truncate(keep);
        self.machines.get_mut().retain(|(at, _)| *at <= keep);
        self.forget_cached_steps();
        self.live = m;
        Rc::make_mut(&mut self.live).set_recording(true);
        if let Some(last) = self.commands.last_mut() {
            if last.after.is_none() {
                last.after = Some(Rc::new(FreeListsView::of(&self.live)));
            }
        }
    }

    /// A fresh session that has run `setup` (a lesson step's), the playhead at its
    /// end, and the 1-based line before which the setup stopped if its work passed
    /// [`LESSON_WORK`] (a lesson that passes `lesson check` never does; one still
    /// being written in the editor may).
    pub fn prepared(setup: &[String]) -> (Session, Option<usize>) {
        let mut s = Session::new();
        let mut work = 0;
        let mut stopped = None;
        for (i, l) in setup.iter().enumerate() {
            if work > LESSON_WORK {
                stopped = Some(i + 1);
                break;
            }
            work += s.append(l).work;
        }
        s.frame = s.frames();
        (s, stopped)
    }

    /// Runs a line after every command, whatever the playhead.
    pub fn append(&mut self, line: &str) -> &CommandRecord {
        let c = self.commands.len();
        self.keep_machine_before(c);
        let mut out = Rc::make_mut(&mut self.live).run(line);
        crate::help_details::fill(line, &mut out.output);
        let first_frame = self.frames() + 1;
        let summary_at = out
            .events
            .iter()
            .position(|e| matches!(e, Event::Summary(_)));
        let checkpoint = out.booted || summary_at.is_some() || (c + 1) % VIEW_EVERY == 0;
        let commit_news = out.events.iter().any(|e| {
            matches!(
                e,
                Event::Vm(
                    VmEvent::CommitCharge { ok: false, .. }
                        | VmEvent::OomScore { .. }
                        | VmEvent::OomKill { .. }
                )
            )
        });
        self.events_kept += out.events.len();
        self.output_kept += out.output.len();
        self.commands.push(CommandRecord {
            line: line.to_string(),
            output: out.output,
            ok: out.ok,
            failure: out.failure,
            events: out.events,
            first_frame,
            summary_at,
            commit_news,
            work: out.work,
            booted: out.booted,
            pressure: self.live.pressure(),
            after: checkpoint.then(|| Rc::new(FreeListsView::of(&self.live))),
        });
        self.enforce_budgets();
        let last = self.commands.len() - 1;
        &self.commands[last]
    }

    /// Drops the steps of the oldest commands past [`SESSION_EVENTS`], and the output
    /// of the oldest past [`SESSION_OUTPUT`].
    fn enforce_budgets(&mut self) {
        if self.events_kept > self.events_budget {
            let mut c = 0;
            while self.events_kept > self.events_budget && c + 1 < self.commands.len() {
                if !self.commands[c].events.is_empty() {
                    // Its lists must stay reachable without its steps.
                    if self.commands[c].after.is_none() {
                        let v = self.view_before(c + 1);
                        self.commands[c].after = Some(Rc::new(v));
                    }
                    self.events_kept -= self.commands[c].events.len();
                    self.commands[c].events = Vec::new();
                    self.commands[c].summary_at = None;
                }
                c += 1;
            }
            self.renumber();
        }
        let mut c = 0;
        while self.output_kept > self.output_budget && c + 1 < self.commands.len() {
            let dropped = std::mem::replace(
                &mut self.commands[c].output,
                format!(
                    "(output dropped: the session keeps its last {} MB)\n",
                    self.output_budget >> 20
                ),
            );
            self.output_kept = self.output_kept - dropped.len() + self.commands[c].output.len();
            c += 1;
        }
    }

    /// Recomputes each command's first frame after steps were dropped.
    fn renumber(&mut self) {
        let old = self.position();
        let mut next = 1;
        for c in &mut self.commands {
            c.first_frame = next;
            next += c.events.len();
        }
        self.forget_cached_steps();
        self.frame = match old {
            Some((c, k)) if !self.commands[c].events.is_empty() => {
                self.commands[c].first_frame - 1 + k
            }
            _ => self.frame.min(self.frames()),
        };
    }

    /// Keeps the machine before command `c` for stepping back, if the budget allows:
    /// every [`VIEW_EVERY`] commands, thinned to every other one when they pass
    /// [`SESSION_MACHINES`].
    fn keep_machine_before(&mut self, c: usize) {
        let bytes = machine_bytes(&self.live);
        let machines = self.machines.get_mut();
        let room = (SESSION_MACHINES / bytes.max(1)).max(1) as usize;
        let due = machines.last().is_none_or(|(at, _)| c >= at + VIEW_EVERY);
        if c > 0 && due && bytes <= SESSION_MACHINES {
            machines.push((c, self.live.clone()));
            // Over the budget: keep every other machine (the newest always), so the
            // kept ones stay spread over the whole session.
            while machines.len() > room {
                let newest = machines.len() - 1;
                if newest < 2 {
                    machines.remove(0);
                    continue;
                }
                let mut i = 0;
                machines.retain(|_| {
                    let keep = i % 2 == 0 || i == newest;
                    i += 1;
                    keep
                });
            }
        }
    }

    /// The machine before command `c` (after every command when `c` is the count),
    /// rebuilt by replay from the nearest kept machine (or boot).
    pub fn machine_before(&self, c: usize) -> Rc<Machine> {
        if c >= self.commands.len() {
            return self.live.clone();
        }
        let mut machines = self.machines.borrow_mut();
        if let Some((_, m)) = machines.iter().find(|(at, _)| *at == c) {
            return m.clone();
        }
        let (mut at, mut m) = match machines.iter().rev().find(|(at, _)| *at < c) {
            Some((at, m)) => (*at, Machine::clone(m)),
            None => (0, Machine::boot(self.boot.clone())),
        };
        m.set_recording(false);
        while at < c {
            m.run(&self.commands[at].line);
            at += 1;
        }
        m.set_recording(true);
        let m = Rc::new(m);
        // Keep the one rebuilt last, so stepping within a command does not replay.
        machines.retain(|(at, _)| at % VIEW_EVERY == 0 || *at == c);
        let i = machines.partition_point(|(at, _)| *at < c);
        if machine_bytes(&m) <= SESSION_MACHINES {
            machines.insert(i, (c, m.clone()));
        }
        m
    }

    /// The first command from `c` on that has steps (the count if none): the frame at
    /// the end of a command shows the machine after it and after the commands without
    /// steps that follow it (a `boot`, a `cat`), up to the next that animates.
    fn next_with_steps(&self, c: usize) -> usize {
        c + self.commands[c.min(self.commands.len())..]
            .iter()
            .take_while(|r| r.events.is_empty())
            .count()
    }

    /// The machine whose page states the map shows at the playhead: before the current
    /// command until its last event (or its summary of left-out steps), after it then.
    pub fn map_machine(&self) -> Rc<Machine> {
        self.machine_before(self.step_source().unwrap_or_else(|(c, _)| c))
    }

    /// The free lists before command `c`: from the nearest checkpoint, replaying the
    /// commands between.
    fn view_before(&self, c: usize) -> FreeListsView {
        let start = self.commands[..c].iter().rposition(|r| r.after.is_some());
        let (mut v, from) = match start {
            Some(i) => (
                FreeListsView::clone(self.commands[i].after.as_deref().unwrap_or(&self.boot_view)),
                i + 1,
            ),
            None => (FreeListsView::clone(&self.boot_view), 0),
        };
        for r in &self.commands[from..c] {
            for e in &r.events {
                v.apply(e);
            }
        }
        v
    }

    /// Where the pictures of the playhead's step come from: the state after some
    /// command's end (`Ok(c)`: the pictures before command `c`), or `k` steps into
    /// command `c` (`Err((c, k))`).
    fn step_source(&self) -> Result<usize, (usize, usize)> {
        match self.position() {
            None => Ok(self.next_with_steps(0)),
            Some((c, k)) if k >= self.commands[c].events.len() => Ok(self.next_with_steps(c + 1)),
            // Past a cut command's summary: its end.
            Some((c, k)) if self.commands[c].summary_at.is_some_and(|s| s < k) => Ok(c + 1),
            Some((c, k)) => Err((c, k)),
        }
    }

    /// The free lists at the playhead.
    pub fn view(&self) -> FreeListsView {
        match self.step_source() {
            Ok(c) => self.view_before(c),
            Err((c, k)) => {
                let mut cache = self.view_cache.borrow_mut();
                let (mut v, from) = match cache.take() {
                    Some((vc, vk, v)) if vc == c && vk <= k => (v, vk),
                    _ => (self.view_before(c), 0),
                };
                for e in &self.commands[c].events[from..k] {
                    v.apply(e);
                }
                *cache = Some((c, k, v.clone()));
                v
            }
        }
    }

    /// The page states at the playhead: the machine's before the current command,
    /// moved by its steps so far (after it, past its end or its summary).
    pub fn page_states(&self) -> Rc<PageStatesView> {
        let (c, k) = match self.step_source() {
            Ok(c) => (c, 0),
            Err(ck) => ck,
        };
        let mut cache = self.states_cache.borrow_mut();
        if let Some((vc, vk, v)) = cache.as_ref() {
            if *vc == c && *vk == k {
                return v.clone();
            }
        }
        let (mut v, from) = match cache.take() {
            Some((vc, vk, v)) if vc == c && vk <= k => (Rc::unwrap_or_clone(v), vk),
            _ => (PageStatesView::of(&self.machine_before(c)), 0),
        };
        if let Some(r) = self.commands.get(c) {
            for e in &r.events[from.min(k)..k] {
                v.apply(e);
            }
        }
        let v = Rc::new(v);
        *cache = Some((c, k, v.clone()));
        v
    }

    /// The Blocks picture at the playhead: the last step of the current command that
    /// works on a block (looking back at most 64 steps), drawn with the free lists and
    /// page states as they are now.
    pub fn blocks_scene(&self) -> Option<crate::blocks::Scene> {
        let (c, k) = self.position()?;
        let events = &self.commands[c].events;
        let before = &events[..k.min(events.len())];
        let recent = || before.iter().rev().take(64);
        if !recent().any(|e| matches!(e, Event::PageAlloc(_))) {
            return None;
        }
        let (view, states) = (self.view(), self.page_states());
        recent().find_map(|e| crate::blocks::scene(&view, states.states(), e))
    }

    /// The Walk picture at the playhead: the walk or fault of the current command, as
    /// far as its steps have gone.
    pub fn walk_scene(&self) -> Option<crate::walk::WalkScene> {
        let (c, k) = self.position()?;
        let r = &self.commands[c];
        crate::walk::scene(
            &r.line,
            &r.events[..k.min(r.events.len())],
            self.live.la57(),
        )
    }

    /// Cache `cache`'s slabs at the playhead (at most `limit`): the machine's before the
    /// current command, moved by its steps so far.
    pub fn slabs_at(&self, cache: &str, limit: usize) -> Option<Vec<mm_core::views::SlabView>> {
        let (c, k) = match self.step_source() {
            Ok(c) => (c, 0),
            Err(ck) => ck,
        };
        let mut slabs = self.machine_before(c).slabs(cache, usize::MAX)?;
        if let Some(r) = self.commands.get(c) {
            for e in &r.events[..k.min(r.events.len())] {
                mm_core::views::slabs::apply(&mut slabs, cache, e);
            }
        }
        slabs.truncate(limit);
        Some(slabs)
    }

    /// The commit and OOM picture at the playhead: the last refused charge, the last
    /// OOM kill with the scores it was decided on, the scores of a decision still being
    /// made, and Committed_AS as the current command's steps have moved it. Reads the
    /// steps of the commands that have such news only.
    pub fn commit_at(&self) -> CommitPicture {
        let upto = self.position();
        let mut pic = CommitPicture::default();
        for (i, c) in self.commands.iter().enumerate() {
            let n = match upto {
                Some((pc, k)) if pc == i => k,
                Some((pc, _)) if i > pc => break,
                None => break,
                _ => c.events.len(),
            };
            let current = upto.is_some_and(|(pc, k)| pc == i && k < c.events.len());
            if !c.commit_news && !current {
                continue;
            }
            for e in &c.events[..n.min(c.events.len())] {
                let Event::Vm(v) = e else { continue };
                match v {
                    VmEvent::CommitCharge {
                        pid,
                        pages,
                        committed,
                        limit,
                        ok: false,
                        ..
                    } => {
                        pic.refusal = Some(format!(
                            "{} refused: {pages} page(s) for pid {pid} would make Committed_AS {committed} pages against a limit of {limit}",
                            c.line
                        ));
                    }
                    VmEvent::CommitCharge {
                        committed,
                        ok: true,
                        ..
                    }
                    | VmEvent::CommitUncharge { committed, .. }
                        if current =>
                    {
                        pic.committed_now = Some(*committed)
                    }
                    VmEvent::OomScore { pid, comm, points } => {
                        pic.deciding.push((*pid, comm.to_string(), *points))
                    }
                    VmEvent::OomKill { pid, comm, .. } => {
                        pic.kill = Some((*pid, comm.to_string(), std::mem::take(&mut pic.deciding)))
                    }
                    _ => {}
                }
            }
        }
        pic
    }

    /// Forgets the per-step caches (the commands they index changed).
    fn forget_cached_steps(&mut self) {
        *self.view_cache.get_mut() = None;
        *self.states_cache.get_mut() = None;
        *self.series_cache.get_mut() = None;
    }

    /// The free pages of each zone across the command at the playhead (or the last
    /// command with steps, past the end), with the steps taken so far; None before
    /// any command with steps.
    pub fn free_series(&self) -> Option<(Rc<crate::pressure::FreeSeries>, usize)> {
        // A boot's steps start from a machine of their own: not plotted.
        let plotted = |r: &CommandRecord| !r.events.is_empty() && !r.booted;
        let (c, k) = match self.position() {
            Some((c, k)) if plotted(&self.commands[c]) => (c, k),
            _ => {
                let last = self.commands.iter().rposition(plotted)?;
                (last, self.commands[last].events.len())
            }
        };
        let mut cache = self.series_cache.borrow_mut();
        if let Some(s) = cache.as_ref().filter(|s| s.command == c) {
            return Some((s.clone(), k));
        }
        let s = Rc::new(crate::pressure::series(
            c,
            self.view_before(c),
            &self.commands[c].events,
            self.commands[c].after.as_deref(),
        ));
        *cache = Some(s.clone());
        Some((s, k))
    }

    /// Memory pressure before and after the command at the playhead (the last
    /// command, past the end; before = after as booted, before any).
    pub fn pressure_around(&self) -> (mm_core::views::PressureView, mm_core::views::PressureView) {
        let c = match self.position() {
            Some((c, _)) => Some(c),
            None => self.commands.len().checked_sub(1),
        };
        let after = |c: usize| self.commands.get(c).map(|r| r.pressure.clone());
        let booted = || self.boot_pressure.clone();
        match c {
            None => (booted(), booted()),
            Some(c) => {
                let before = match c.checked_sub(1) {
                    Some(b) => after(b).unwrap_or_else(booted),
                    None => booted(),
                };
                // A boot's "before" is another machine: show only its after.
                let now = after(c).unwrap_or_else(booted);
                if self.commands[c].booted {
                    (now.clone(), now)
                } else {
                    (before, now)
                }
            }
        }
    }

    /// The event at the playhead, if any.
    pub fn current_event(&self) -> Option<&Event> {
        let (c, k) = self.position()?;
        self.commands[c].events.get(k.checked_sub(1)?)
    }

    /// Compaction's two scanners at the playhead, while a run is under way in the
    /// command being stepped: (migration scanner, free scanner) PFNs. Read back from
    /// the latest steps: the run's `mm_compaction_begin`, then the last block each
    /// scanner isolated from; none once `mm_compaction_end` is passed.
    pub fn compaction_scanners(&self) -> Option<(u64, u64)> {
        use mm_core::event::CompactionEvent as C;
        let (c, k) = self.position()?;
        let events = self.commands[c].events.get(..k)?;
        let (mut migrate, mut free) = (None, None);
        for e in events.iter().rev() {
            let Event::Compaction(e) = e else { continue };
            match *e {
                C::End { .. } => return None,
                C::IsolateMigrate { end, .. } => migrate = migrate.or(Some(end.0)),
                C::IsolateFree {
                    start, fast: false, ..
                } => free = free.or(Some(start.0)),
                C::Begin {
                    migrate_pfn,
                    free_pfn,
                    ..
                } => return Some((migrate.unwrap_or(migrate_pfn.0), free.unwrap_or(free_pfn.0))),
                _ => {}
            }
        }
        None
    }

    /// The machine after every command (for completion, details, the URL).
    pub fn live(&self) -> &Machine {
        &self.live
    }

    /// Sets the session's budgets (for tests of long sessions).
    #[cfg(test)]
    fn set_budgets(&mut self, events: usize, output: usize) {
        self.events_budget = events;
        self.output_budget = output;
    }

    /// Sets the live machine's step budget (for tests of cut commands).
    #[cfg(test)]
    fn set_event_budget(&mut self, n: usize) {
        Rc::make_mut(&mut self.live).set_event_budget(n);
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
    fn the_oom_decision_grows_score_by_score_then_names_its_victim() {
        let mut s = Session::new();
        for l in [
            "boot mem=32M",
            "spawn small",
            "spawn hog",
            "mmap 2 1M",
            "touch 2 0x7ffff7eff000 8K",
            "sysctl -w vm.overcommit_memory=1",
            "mmap 3 64M",
            "touch 3 0x7ffff3fff000 64M",
        ] {
            s.append(l);
        }
        s.frame = s.frames();
        let end = s.commit_at();
        let (victim, comm, scores) = end.kill.expect("an OOM kill");
        assert_eq!((victim, comm.as_str()), (3, "hog"));
        assert!(scores.len() >= 2 && end.deciding.is_empty());
        // Just after the first score: a decision being made, no kill yet.
        let c = s.commands.len() - 1;
        let first = s.commands[c]
            .events
            .iter()
            .position(|e| matches!(e, Event::Vm(VmEvent::OomScore { .. })))
            .expect("scores");
        s.frame = s.commands[c].first_frame + first;
        let mid = s.commit_at();
        assert_eq!((mid.deciding.len(), mid.kill), (1, None));
    }

    #[test]
    fn page_states_and_slabs_change_at_the_step_that_changes_them() {
        let mut s = Session::new();
        let out = s.append("alloc_pages 3").output.clone();
        let pfn = u64::from_str_radix(
            out.trim_start_matches("pfn=0x")
                .split_whitespace()
                .next()
                .unwrap_or("0"),
            16,
        )
        .unwrap_or(0) as usize;
        let n = s.commands[0].events.len();
        s.frame = n - 1; // before Allocated
        assert_eq!(s.page_states().states()[pfn], mm_core::PageUse::Free as u8);
        s.frame = n;
        assert_eq!(
            s.page_states().states()[pfn],
            mm_core::PageUse::Kernel as u8
        );
        s.frame = 0;
        assert_eq!(s.page_states().states()[pfn], mm_core::PageUse::Free as u8);

        s.append("kmem_cache_create c 700");
        s.append("kmem_cache_alloc c");
        let r = s
            .commands
            .last()
            .map(|r| (r.first_frame, r.events.len()))
            .unwrap_or_default();
        s.frame = r.0 - 1;
        assert_eq!(s.slabs_at("c", 8).map(|v| v.len()), Some(0));
        s.frame = r.0 - 1 + r.1;
        let slabs = s.slabs_at("c", 8).unwrap_or_default();
        assert_eq!((slabs.len(), slabs.first().map(|v| v.inuse)), (1, Some(1)));
    }

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
        assert_eq!(
            s.end_of_command(),
            n1 + n2,
            "at a command's end: the next one's"
        );
        // Stepping back within a command, then forward again, through the view cache.
        s.frame = n1 - 2;
        assert_eq!(s.end_of_command(), n1);
        let mut v = FreeListsView::of(&booted);
        for e in &s.commands[0].events[..n1 - 2] {
            v.apply(e);
        }
        assert_eq!(s.view(), v);
        s.frame = n1;
        let after_first = s.machine_before(1);
        assert_eq!(
            FreeListsView::of(&s.map_machine()),
            FreeListsView::of(&after_first)
        );
        assert_eq!(s.view(), FreeListsView::of(&after_first));
        // A boot at the end has no steps, but the last frame shows the new machine.
        s.append("boot mem=32M");
        s.frame = s.frames();
        assert_eq!(s.map_machine().page_states().len(), 8192);
        assert_eq!(s.view(), FreeListsView::of(s.live()));
        assert_eq!(s.end_of_command(), s.frames());
    }

    #[test]
    fn views_replay_from_checkpoints_across_many_commands() {
        let mut s = Session::with_boot(BootParams::parse(["mem=64M"]).unwrap());
        let mut expected = Vec::new();
        for i in 0..200 {
            s.append(&format!("alloc_pages {}", i % 4));
            if i % 7 == 0 {
                s.append("boot mem=32M");
            }
            // The frame at a command's end shows the lists after it and after the
            // boot that follows (which has no steps of its own).
            expected.push((s.frames(), FreeListsView::of(s.live())));
        }
        for (frame, view) in expected.iter().rev().step_by(13) {
            s.frame = *frame;
            assert_eq!(&s.view(), view, "frame {frame}");
        }
        assert!(s.commands.iter().filter(|c| c.after.is_some()).count() < 60);
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

    #[test]
    fn a_cut_command_jumps_to_its_end_past_the_summary() {
        let mut s = Session::with_boot(BootParams::parse(["mem=64M"]).unwrap());
        s.set_event_budget(30);
        s.append("spawn big");
        s.append("mmap 2 4M");
        let rec = s.append("touch 2 0x7ffff7bff000 4M").clone();
        let at = rec.summary_at.unwrap();
        s.frame = rec.first_frame + at + 1;
        assert_eq!(s.view(), FreeListsView::of(s.live()));
        assert_eq!(s.map_machine().page_states(), s.live().page_states());
        s.frame = rec.first_frame + at - 1;
        assert_ne!(s.map_machine().page_states(), s.live().page_states());
        s.frame = rec.first_frame + 5;
        let mut v = s.view_before(2);
        for e in &rec.events[..6] {
            v.apply(e);
        }
        assert_eq!(s.view(), v);
    }

    #[test]
    fn a_long_session_drops_its_oldest_steps_and_output_but_stays_exact() {
        let mut s = Session::with_boot(BootParams::parse(["mem=64M"]).unwrap());
        s.set_budgets(400, 3000);
        let mut ends = Vec::new();
        for i in 0..120 {
            s.append(&format!("alloc_pages {}", i % 5));
            s.append("cat /proc/buddyinfo");
            ends.push(FreeListsView::of(s.live()));
        }
        let kept: usize = s.commands.iter().map(|c| c.events.len()).sum();
        assert!(kept <= 400, "{kept} steps kept");
        assert_eq!(s.frames(), kept);
        let out: usize = s.commands.iter().map(|c| c.output.len()).sum();
        assert!(out < 3000 + 200 * 60, "{out} bytes of output kept");
        assert!(s.commands[0].output.starts_with("(output dropped"));
        assert!(s.commands.last().unwrap().output.contains("Node 0"));
        // Every command that kept its steps still ends on the right lists.
        let kept_ends: Vec<(usize, usize)> = (s.commands.iter().enumerate())
            .filter(|(_, r)| !r.events.is_empty())
            .map(|(c, r)| (c, r.first_frame - 1 + r.events.len()))
            .collect();
        for (c, frame) in kept_ends {
            s.frame = frame;
            assert_eq!(s.view(), ends[c / 2], "command {c}");
        }
        // And the start of the timeline is the state before its first kept step.
        s.frame = 0;
        let first = s
            .commands
            .iter()
            .position(|r| !r.events.is_empty())
            .unwrap();
        assert_eq!(s.view(), ends[first / 2 - 1]);
        assert_eq!(
            FreeListsView::of(&s.map_machine()),
            ends[first / 2 - 1],
            "the map replays to the same machine"
        );
    }
}
