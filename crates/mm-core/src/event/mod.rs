//! Typed micro-step events: what the UI animates, the narration reads and tests compare.
//!
//! Each subsystem declares its own events beside its code, as the kernel keeps one
//! trace header per subsystem (`include/trace/events/kmem.h`, `vmscan.h`, `oom.h`):
//! [`PageAllocEvent`], [`SlabEvent`], [`VmEvent`], [`SysctlEvent`]. [`Event`] is their
//! union. Every event names the kernel function it models ([`Event::function`]), the
//! tracepoint the kernel fires there if it has one ([`Event::tracepoint`]), and says
//! what happened in one sentence ([`Event::sentence`]; [`Event::text`] prefixes the
//! function). Applying a command's events in order to the state before it yields every
//! intermediate picture ([`crate::views::FreeListsView`]).
//!
//! The JSON form (the JS API and the embedding messages) is each variant's fields
//! with its name as `kind`: `{"kind":"Split","zone":"DMA32","pfn":4128,...}`.

pub(crate) mod define;
mod summary;
mod trace;

pub(crate) use define::hex;
pub use summary::{StepCount, SummaryEvent};
pub use trace::Trace;

pub use crate::compaction::events::{CompactResult, CompactionEvent, MigrateMode};
pub use crate::page_alloc::events::{BuddyState, PageAllocEvent, Placement};
pub use crate::slub::events::{SlabEvent, SlabTransition};
pub use crate::sysctl::{OvercommitMode, SysctlEvent};
pub use crate::vm::events::{FaultKind, Perms, VmEvent};
pub use crate::vm::pgtable::PtLevel;
pub use crate::vmscan::events::{Fate, Reclaimer, ScanBalance, VmscanEvent};
pub use crate::vmscan::lru::LruList;
use serde::Serialize;

/// One micro-step of the simulated kernel, from whichever subsystem took it.
#[derive(Clone, PartialEq, Debug, Serialize)]
#[serde(untagged)]
pub enum Event {
    /// The page allocator (`mm/page_alloc.c`).
    PageAlloc(PageAllocEvent),
    /// The slab allocator (`mm/slub.c`).
    Slab(SlabEvent),
    /// Virtual memory: processes, mappings, faults, page tables, overcommit, OOM.
    Vm(VmEvent),
    /// Reclaim: the page cache, LRU lists, kswapd, direct reclaim, writeback.
    Vmscan(VmscanEvent),
    /// Compaction: the scanners, migration, deferral.
    Compaction(CompactionEvent),
    /// A tunable written through `/proc/sys`.
    Sysctl(SysctlEvent),
    /// Steps a long command did not keep, counted.
    Summary(SummaryEvent),
}

impl From<PageAllocEvent> for Event {
    fn from(e: PageAllocEvent) -> Event {
        Event::PageAlloc(e)
    }
}

impl From<SlabEvent> for Event {
    fn from(e: SlabEvent) -> Event {
        Event::Slab(e)
    }
}

impl From<VmEvent> for Event {
    fn from(e: VmEvent) -> Event {
        Event::Vm(e)
    }
}

impl From<VmscanEvent> for Event {
    fn from(e: VmscanEvent) -> Event {
        Event::Vmscan(e)
    }
}

impl From<CompactionEvent> for Event {
    fn from(e: CompactionEvent) -> Event {
        Event::Compaction(e)
    }
}

impl From<SysctlEvent> for Event {
    fn from(e: SysctlEvent) -> Event {
        Event::Sysctl(e)
    }
}

impl From<SummaryEvent> for Event {
    fn from(e: SummaryEvent) -> Event {
        Event::Summary(e)
    }
}

/// Every event kind, subsystem by subsystem (for lessons' `check event KIND`, the
/// JS API's type declarations and the docs).
pub fn kinds() -> impl Iterator<Item = &'static str> {
    PageAllocEvent::KINDS
        .iter()
        .chain(SlabEvent::KINDS)
        .chain(VmEvent::KINDS)
        .chain(VmscanEvent::KINDS)
        .chain(CompactionEvent::KINDS)
        .chain(SysctlEvent::KINDS)
        .chain(SummaryEvent::KINDS)
        .copied()
}

impl Event {
    /// The variant's name (`"Split"`), the `kind` of its JSON form.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::PageAlloc(e) => e.kind(),
            Event::Slab(e) => e.kind(),
            Event::Vm(e) => e.kind(),
            Event::Vmscan(e) => e.kind(),
            Event::Compaction(e) => e.kind(),
            Event::Sysctl(e) => e.kind(),
            Event::Summary(e) => e.kind(),
        }
    }

    /// The kernel function this step models.
    pub fn function(&self) -> &'static str {
        match self {
            Event::PageAlloc(e) => e.function(),
            Event::Slab(e) => e.function(),
            Event::Vm(e) => e.function(),
            Event::Vmscan(e) => e.function(),
            Event::Compaction(e) => e.function(),
            Event::Sysctl(e) => e.function(),
            Event::Summary(e) => e.function(),
        }
    }

    /// The kernel tracepoint that fires at this step (`"kmem:mm_page_alloc"`), if any:
    /// `perf trace -e kmem:mm_page_alloc` shows the same step on a real machine.
    pub fn tracepoint(&self) -> Option<&'static str> {
        match self {
            Event::PageAlloc(e) => e.tracepoint(),
            Event::Slab(e) => e.tracepoint(),
            Event::Vm(e) => e.tracepoint(),
            Event::Vmscan(e) => e.tracepoint(),
            Event::Compaction(e) => e.tracepoint(),
            Event::Sysctl(e) => e.tracepoint(),
            Event::Summary(e) => e.tracepoint(),
        }
    }

    /// What happened, in one sentence, without the function's name.
    pub fn sentence(&self) -> String {
        match self {
            Event::PageAlloc(e) => e.sentence(),
            Event::Slab(e) => e.sentence(),
            Event::Vm(e) => e.sentence(),
            Event::Vmscan(e) => e.sentence(),
            Event::Compaction(e) => e.sentence(),
            Event::Sysctl(e) => e.sentence(),
            Event::Summary(e) => e.sentence(),
        }
    }

    /// Whether a long command keeps this step whatever its length: the rare steps that
    /// decide what happened (a failure, an OOM kill and its scores, a process born or
    /// gone, a refused charge, kswapd, a tunable). Every kind is named, so a new one is
    /// decided on purpose.
    pub fn decisive(&self) -> bool {
        use PageAllocEvent as P;
        use SlabEvent as S;
        use VmEvent as V;
        match self {
            Event::PageAlloc(e) => match e {
                P::AllocFailed { .. }
                | P::KswapdBoostReset { .. }
                | P::Watermarks { .. }
                | P::Highatomic { .. } => true,
                P::AllocStart { .. }
                | P::WatermarkCheck { .. }
                | P::NoFragmentRetry { .. }
                | P::SlowPath { .. }
                | P::ListLook { .. }
                | P::TakeBlock { .. }
                | P::Split { .. }
                | P::ClaimBlock { .. }
                | P::MoveFree { .. }
                | P::StealBlock { .. }
                | P::WatermarkBoost { .. }
                | P::Allocated { .. }
                | P::FreeStart { .. }
                | P::BuddyBusy { .. }
                | P::Merge { .. }
                | P::AddFree { .. }
                | P::PcpTake { .. }
                | P::PcpRefill { .. }
                | P::PcpPut { .. }
                | P::PcpDrain { .. } => false,
            },
            Event::Slab(e) => match e {
                S::KmallocClass { .. }
                | S::KmallocLarge { .. }
                | S::NewSlab { .. }
                | S::SlabObjectAlloc { .. }
                | S::SlabObjectFree { .. }
                | S::SlabMove { .. }
                | S::SlabDiscard { .. } => false,
            },
            Event::Vm(e) => match e {
                V::TaskCreated { .. }
                | V::TaskExit { .. }
                | V::OomScore { .. }
                | V::OomKill { .. } => true,
                V::CommitCharge { ok, .. } => !ok,
                V::VmaCreated { .. }
                | V::VmaRemoved { .. }
                | V::CommitUncharge { .. }
                | V::Fault { .. }
                | V::PageTableAlloc { .. }
                | V::PageTableFree { .. }
                | V::PteSet { .. }
                | V::CowCopy { .. }
                | V::CowReuse { .. }
                | V::WalkStep { .. } => false,
            },
            Event::Vmscan(e) => {
                use VmscanEvent as R;
                match e {
                    R::WakeupKswapd { .. }
                    | R::KswapdWake { .. }
                    | R::KswapdNap { .. }
                    | R::KswapdSleep {}
                    | R::DirectReclaimBegin { .. }
                    | R::DirectReclaimEnd { .. }
                    | R::ReclaimRetry { .. }
                    | R::MayOom { .. }
                    | R::Panic { .. }
                    | R::DropCaches { .. }
                    | R::BalancePass { .. } => true,
                    R::CacheAdd { .. }
                    | R::CacheDelete { .. }
                    | R::ReadaheadSync { .. }
                    | R::ReadaheadAsync { .. }
                    | R::LruAdd { .. }
                    | R::Activate { .. }
                    | R::Dirtied { .. }
                    | R::WritebackStart { .. }
                    | R::WritebackEnd { .. }
                    | R::ScanCount { .. }
                    | R::FolioReclaim { .. }
                    | R::ShrinkInactive { .. }
                    | R::ShrinkActive { .. }
                    | R::SwapAlloc { .. }
                    | R::Unmap { .. }
                    | R::SwapWriteout { .. }
                    | R::SwapIn { .. }
                    | R::SwapReadahead { .. }
                    | R::FilemapFault { .. }
                    | R::MmapReadAround { .. } => false,
                }
            }
            Event::Compaction(e) => {
                use CompactionEvent as C;
                match e {
                    C::TryToCompact { .. }
                    | C::Suitable { .. }
                    | C::Defer { .. }
                    | C::Begin { .. }
                    | C::Capture { .. }
                    | C::End { .. }
                    | C::WakeupKcompactd { .. }
                    | C::KcompactdWake { .. }
                    | C::KcompactdSleep {}
                    | C::Proactive { .. } => true,
                    C::IsolateMigrate { .. }
                    | C::IsolateFree { .. }
                    | C::FreeIsolated { .. }
                    | C::Migrate { .. }
                    | C::MigrateFail { .. }
                    | C::MigratePages { .. }
                    | C::Finished { .. } => false,
                }
            }
            Event::Sysctl(SysctlEvent::Sysctl { .. }) | Event::Summary(_) => true,
        }
    }

    /// One line of narration: `function: sentence`.
    pub fn text(&self) -> String {
        format!("{}: {}", self.function(), self.sentence())
    }
}
