//! What the UI highlights for each event: the block of pages it is about (outlined on
//! the memory map) and the free-list chip it touches (in the buddy panel). Every event
//! of every subsystem is named, so a new kind of event does not compile until it is
//! decided what it lights up.

use mm_core::event::{PageAllocEvent as P, SlabEvent as S, SysctlEvent, VmEvent as V};
use mm_core::Event;

/// What one step lights up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// The block of pages: (first PFN, order).
    pub block: Option<(u64, u8)>,
    /// The free-list chip: (zone name, order, PFN; `u64::MAX` for an empty list).
    pub chip: Option<(&'static str, u8, u64)>,
}

/// What `e` lights up.
pub fn highlight(e: &Event) -> Highlight {
    let block = |pfn: mm_core::Pfn, order: u8| Highlight {
        block: Some((pfn.0, order)),
        chip: None,
    };
    match e {
        Event::PageAlloc(p) => match *p {
            P::TakeBlock {
                zone, pfn, order, ..
            }
            | P::AddFree {
                zone, pfn, order, ..
            }
            | P::MoveFree {
                zone, pfn, order, ..
            } => Highlight {
                block: Some((pfn.0, order)),
                chip: Some((zone.name(), order, pfn.0)),
            },
            P::Split {
                zone, upper, order, ..
            } => Highlight {
                block: Some((upper.0, order)),
                chip: Some((zone.name(), order, upper.0)),
            },
            P::Merge {
                zone,
                buddy,
                merged,
                order,
                ..
            } => Highlight {
                block: Some((merged.0, order + 1)),
                chip: Some((zone.name(), order, buddy.0)),
            },
            P::ListLook {
                zone, order, found, ..
            } => Highlight {
                block: None,
                chip: Some((zone.name(), order, found.map(|p| p.0).unwrap_or(u64::MAX))),
            },
            P::ClaimBlock { pfn, order, .. }
            | P::Highatomic { pfn, order, .. }
            | P::StealBlock { pfn, order, .. }
            | P::Allocated { pfn, order, .. }
            | P::FreeStart { pfn, order, .. }
            | P::PcpTake { pfn, order, .. }
            | P::PcpPut { pfn, order, .. }
            | P::BuddyBusy { pfn, order, .. } => block(pfn, order),
            P::AllocStart { .. }
            | P::WatermarkCheck { .. }
            | P::NoFragmentRetry { .. }
            | P::SlowPath { .. }
            | P::WatermarkBoost { .. }
            | P::KswapdBoostReset { .. }
            | P::AllocFailed { .. }
            | P::PcpRefill { .. }
            | P::PcpDrain { .. }
            | P::Watermarks { .. } => Highlight::default(),
        },
        Event::Slab(s) => match *s {
            S::NewSlab { slab, order, .. } | S::SlabDiscard { slab, order, .. } => {
                block(slab, order)
            }
            S::KmallocClass { .. }
            | S::KmallocLarge { .. }
            | S::SlabObjectAlloc { .. }
            | S::SlabObjectFree { .. }
            | S::SlabMove { .. } => Highlight::default(),
        },
        Event::Vm(v) => match *v {
            V::CowCopy { to, .. } => block(to, 0),
            // The walk's last level lights the frame it reaches.
            V::WalkStep {
                level: mm_core::views::page_table::PtLevel::Pte,
                entry,
                ..
            } if entry & mm_core::views::page_table::PAGE_PRESENT != 0 => block(
                mm_core::Pfn(mm_core::views::page_table::entry_pfn(entry)),
                0,
            ),
            V::CowReuse { pfn, .. }
            | V::PageTableAlloc { pfn, .. }
            | V::PageTableFree { pfn, .. } => block(pfn, 0),
            V::TaskCreated { .. }
            | V::TaskExit { .. }
            | V::VmaCreated { .. }
            | V::VmaRemoved { .. }
            | V::CommitCharge { .. }
            | V::CommitUncharge { .. }
            | V::Fault { .. }
            | V::PteSet { .. }
            | V::WalkStep { .. }
            | V::OomScore { .. }
            | V::OomKill { .. } => Highlight::default(),
        },
        Event::Vmscan(r) => {
            use mm_core::event::VmscanEvent as R;
            match *r {
                R::CacheAdd { pfn, .. }
                | R::CacheDelete { pfn, .. }
                | R::LruAdd { pfn, .. }
                | R::Activate { pfn, .. }
                | R::FolioReclaim { pfn, .. }
                | R::SwapAlloc { pfn, .. }
                | R::Unmap { pfn, .. }
                | R::SwapWriteout { pfn, .. }
                | R::SwapIn { pfn, .. }
                | R::SwapReadahead { pfn, .. }
                | R::FilemapFault { pfn, .. } => block(pfn, 0),
                R::ReadaheadSync { .. }
                | R::ReadaheadAsync { .. }
                | R::MmapReadAround { .. }
                | R::Dirtied { .. }
                | R::WritebackStart { .. }
                | R::WritebackEnd { .. }
                | R::WakeupKswapd { .. }
                | R::KswapdWake { .. }
                | R::BalancePass { .. }
                | R::KswapdNap { .. }
                | R::KswapdSleep {}
                | R::ScanCount { .. }
                | R::ShrinkInactive { .. }
                | R::ShrinkActive { .. }
                | R::DirectReclaimBegin { .. }
                | R::DirectReclaimEnd { .. }
                | R::ReclaimRetry { .. }
                | R::MayOom { .. }
                | R::Panic { .. }
                | R::DropCaches { .. } => Highlight::default(),
            }
        }
        Event::Compaction(c) => {
            use mm_core::event::CompactionEvent as C;
            match *c {
                // Compaction's steps keep the whole zone in view (no block to zoom
                // to): the map draws the scanners and each migration's arrow instead.
                C::FreeIsolated {
                    zone, pfn, order, ..
                } => Highlight {
                    block: None,
                    chip: Some((zone.name(), order, pfn.0)),
                },
                C::Capture { pfn, order, .. } => block(pfn, order),
                C::Migrate { .. }
                | C::MigrateFail { .. }
                | C::IsolateMigrate { .. }
                | C::IsolateFree { .. }
                | C::TryToCompact { .. }
                | C::Suitable { .. }
                | C::Defer { .. }
                | C::Begin { .. }
                | C::MigratePages { .. }
                | C::Finished { .. }
                | C::End { .. }
                | C::WakeupKcompactd { .. }
                | C::KcompactdWake { .. }
                | C::KcompactdSleep {}
                | C::Proactive { .. } => Highlight::default(),
            }
        }
        Event::Sysctl(SysctlEvent::Sysctl { .. }) | Event::Summary(_) => Highlight::default(),
    }
}

/// The block of pages an event is about: (first PFN, order).
pub fn event_block(e: &Event) -> Option<(u64, u8)> {
    highlight(e).block
}

/// The PFN whose free-list chip an event touches: (zone name, order, PFN).
pub fn event_chip(e: &Event) -> Option<(&'static str, u8, u64)> {
    highlight(e).chip
}
