//! The memory map's page states, replayed from events: what each page frame is used
//! for at any step of a command, so that the map recolours a block at the step that
//! changes it (the allocation that hands it out, the list it joins when freed) rather
//! than all at once at the command's end.
//!
//! A page's state changes at three kinds of step only: `__alloc_pages` hands a block
//! to its user (`Allocated` says for what), a block joins a free list whole
//! (`AddFree`, after any merging) or CPU 0's per-CPU list (`PcpPut`, or a refill of
//! the blocks `rmqueue_bulk` just took). `tests/view.rs` checks that the view before
//! a command moved by its events is the view of the machine after it.

use crate::event::{CompactionEvent, Event, PageAllocEvent, SlabEvent, SysctlEvent, VmEvent};
use crate::machine::Machine;
use crate::page_alloc::memmap::PageUse;

/// One byte per page frame, the [`PageUse`] of each, at some step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageStatesView {
    states: Vec<u8>,
    /// Blocks taken off the free lists since the last hand-out: a per-CPU refill
    /// (`rmqueue_bulk`) parks exactly these, at the refill's order.
    taken: Vec<u64>,
}

impl PageStatesView {
    /// The page states of `m` as it is.
    pub fn of(m: &Machine) -> PageStatesView {
        PageStatesView {
            states: m.page_states().to_vec(),
            taken: Vec::new(),
        }
    }

    /// One byte per page frame.
    pub fn states(&self) -> &[u8] {
        &self.states
    }

    /// Moves the picture one step. Every event of every subsystem is named, so that a
    /// new kind of event does not compile until it is decided what it recolours.
    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::PageAlloc(p) => self.apply_page_alloc(p),
            // Other subsystems get and give back pages through the page allocator,
            // whose own steps recolour them.
            Event::Slab(s) => match s {
                SlabEvent::KmallocClass { .. }
                | SlabEvent::KmallocLarge { .. }
                | SlabEvent::NewSlab { .. }
                | SlabEvent::SlabObjectAlloc { .. }
                | SlabEvent::SlabObjectFree { .. }
                | SlabEvent::SlabMove { .. }
                | SlabEvent::SlabDiscard { .. } => {}
            },
            Event::Vm(v) => match v {
                VmEvent::TaskCreated { .. }
                | VmEvent::TaskExit { .. }
                | VmEvent::VmaCreated { .. }
                | VmEvent::VmaRemoved { .. }
                | VmEvent::CommitCharge { .. }
                | VmEvent::CommitUncharge { .. }
                | VmEvent::Fault { .. }
                | VmEvent::PageTableAlloc { .. }
                | VmEvent::PageTableFree { .. }
                | VmEvent::PteSet { .. }
                | VmEvent::CowCopy { .. }
                | VmEvent::CowReuse { .. }
                | VmEvent::WalkStep { .. }
                | VmEvent::OomScore { .. }
                | VmEvent::OomKill { .. } => {}
            },
            // Reclaim's steps move pages between lists and files; the pages it
            // allocates and frees appear as the page allocator's own events.
            Event::Vmscan(_) => {}
            // A migrated page's copy is in use from the step that makes it; the
            // original is freed by the page allocator's own steps.
            Event::Compaction(c) => {
                if let CompactionEvent::Migrate { to, usage, .. } = *c {
                    self.fill(to.0, 0, usage);
                }
            }
            Event::Sysctl(SysctlEvent::Sysctl { .. }) => {}
            // Past a summary the steps are not there to replay; the session shows the
            // machine after the command instead.
            Event::Summary(_) => {}
        }
    }

    fn apply_page_alloc(&mut self, e: &PageAllocEvent) {
        match *e {
            PageAllocEvent::TakeBlock { pfn, .. } => self.taken.push(pfn.0),
            PageAllocEvent::Allocated {
                pfn, order, usage, ..
            } => {
                self.taken.clear();
                self.fill(pfn.0, order, usage);
            }
            PageAllocEvent::PcpRefill { order, .. } => {
                for pfn in std::mem::take(&mut self.taken) {
                    self.fill(pfn, order, PageUse::Pcp);
                }
            }
            PageAllocEvent::PcpPut { pfn, order, .. } => self.fill(pfn.0, order, PageUse::Pcp),
            PageAllocEvent::AddFree { pfn, order, .. } => self.fill(pfn.0, order, PageUse::Free),
            // Looking, deciding, splitting (the upper halves stay free), merging (the
            // buddy is free already; the whole joins a list at AddFree) and re-typing
            // change no page's use.
            PageAllocEvent::AllocStart { .. }
            | PageAllocEvent::WatermarkCheck { .. }
            | PageAllocEvent::NoFragmentRetry { .. }
            | PageAllocEvent::SlowPath { .. }
            | PageAllocEvent::ListLook { .. }
            | PageAllocEvent::Split { .. }
            | PageAllocEvent::ClaimBlock { .. }
            | PageAllocEvent::Highatomic { .. }
            | PageAllocEvent::MoveFree { .. }
            | PageAllocEvent::StealBlock { .. }
            | PageAllocEvent::WatermarkBoost { .. }
            | PageAllocEvent::KswapdBoostReset { .. }
            | PageAllocEvent::AllocFailed { .. }
            | PageAllocEvent::FreeStart { .. }
            | PageAllocEvent::BuddyBusy { .. }
            | PageAllocEvent::Merge { .. }
            | PageAllocEvent::PcpTake { .. }
            | PageAllocEvent::PcpDrain { .. }
            | PageAllocEvent::Watermarks { .. } => {}
        }
    }

    fn fill(&mut self, pfn: u64, order: u8, usage: PageUse) {
        let len = self.states.len() as u64;
        let start = pfn.min(len) as usize;
        let end = pfn.saturating_add(1u64 << order.min(63)).min(len) as usize;
        self.states[start..end].fill(usage as u8);
    }
}
