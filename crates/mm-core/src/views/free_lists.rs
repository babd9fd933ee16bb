//! A replayable picture of the free lists: built from a machine, then moved step by
//! step by applying a command's [`Event`]s, so the UI can show every intermediate state
//! of the buddy allocator without re-running anything. `tests/view.rs` checks that
//! applying all of a command's events to the view before it gives the view after it.

use crate::event::{
    CompactionEvent, Event, PageAllocEvent, Placement, SlabEvent, SysctlEvent, VmEvent,
};
use crate::machine::Machine;
use crate::vocab::migrate::MIGRATE_TYPES;
use crate::vocab::{MigrateType, Watermark, ZoneType, NR_PAGE_ORDERS};

/// One zone's free lists, head first, and its watermarks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneFreeView {
    /// The zone.
    pub zone: ZoneType,
    /// `lists[order][migratetype]`: PFNs, head first.
    pub lists: Vec<[Vec<u64>; MIGRATE_TYPES]>,
    /// WMARK_MIN, WMARK_LOW, WMARK_HIGH (boost included).
    pub marks: [u64; 3],
}

impl ZoneFreeView {
    /// Free blocks per order (a /proc/buddyinfo line).
    pub fn nr_free(&self) -> [u64; NR_PAGE_ORDERS] {
        let mut out = [0; NR_PAGE_ORDERS];
        for (o, l) in self.lists.iter().enumerate() {
            out[o] = l.iter().map(|v| v.len() as u64).sum();
        }
        out
    }

    /// Free pages in the lists.
    pub fn free_pages(&self) -> u64 {
        self.nr_free().iter().enumerate().map(|(o, n)| n << o).sum()
    }

    fn remove(&mut self, order: u8, pfn: u64) {
        if let Some(l) = self.lists.get_mut(order as usize) {
            for v in l.iter_mut() {
                if let Some(i) = v.iter().position(|p| *p == pfn) {
                    v.remove(i);
                    return;
                }
            }
        }
    }

    fn insert(&mut self, order: u8, mt: MigrateType, pfn: u64, tail: bool) {
        if let Some(l) = self.lists.get_mut(order as usize) {
            let v = &mut l[mt.idx()];
            if tail {
                v.push(pfn);
            } else {
                v.insert(0, pfn);
            }
        }
    }
}

/// Every populated zone's free lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeListsView {
    /// Populated zones, lowest first.
    pub zones: Vec<ZoneFreeView>,
}

impl FreeListsView {
    /// The free lists of a machine as they are now.
    pub fn of(m: &Machine) -> FreeListsView {
        let node = m.node();
        let zones = node
            .populated()
            .map(|z| ZoneFreeView {
                zone: z.ztype,
                lists: z
                    .free_area
                    .iter()
                    .map(|a| {
                        std::array::from_fn(|mt| {
                            node.mem.list_iter(&a.free_list[mt]).map(|p| p.0).collect()
                        })
                    })
                    .collect(),
                marks: [
                    z.wmark_pages(Watermark::Min),
                    z.wmark_pages(Watermark::Low),
                    z.wmark_pages(Watermark::High),
                ],
            })
            .collect();
        FreeListsView { zones }
    }

    /// A zone's view.
    pub fn zone_mut(&mut self, zt: ZoneType) -> Option<&mut ZoneFreeView> {
        self.zones.iter_mut().find(|z| z.zone == zt)
    }

    /// Moves the picture one step. Every event of every subsystem is named here, so
    /// that a new kind of event does not compile until it is decided what it does to
    /// the free lists.
    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::PageAlloc(p) => self.apply_page_alloc(p),
            // Other subsystems' steps move no free block themselves: the pages they
            // take and give back appear as page-allocator steps of their own.
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
            // Reclaim frees and allocates through the page allocator's own events.
            Event::Vmscan(_) => {}
            // Compaction takes free blocks itself (the free scanner); what it frees
            // and the captured block's merges are the page allocator's events.
            Event::Compaction(c) => {
                if let CompactionEvent::FreeIsolated {
                    zone, pfn, order, ..
                } = *c
                {
                    self.take(zone, pfn.0, order);
                }
            }
            Event::Sysctl(SysctlEvent::Sysctl { .. }) => {}
            // The steps a summary stands for are not there to replay: past a summary
            // the lists are those after the command (see `replay`).
            Event::Summary(_) => {}
        }
    }

    /// The lists after `events`, replayed from `before`; if they reach a summary of
    /// left-out steps, the lists after the whole command (`after`), which every
    /// later step of that command is already part of.
    pub fn replay(
        before: &FreeListsView,
        events: &[Event],
        after: &FreeListsView,
    ) -> FreeListsView {
        if events.iter().any(|e| matches!(e, Event::Summary(_))) {
            return after.clone();
        }
        let mut v = before.clone();
        for e in events {
            v.apply(e);
        }
        v
    }

    /// A page-allocator step: blocks leave and join lists, watermarks move.
    fn apply_page_alloc(&mut self, e: &PageAllocEvent) {
        match *e {
            PageAllocEvent::Watermarks {
                zone,
                min,
                low,
                high,
            } => {
                if let Some(z) = self.zone_mut(zone) {
                    z.marks = [min, low, high];
                }
            }
            PageAllocEvent::TakeBlock {
                zone, pfn, order, ..
            } => self.take(zone, pfn.0, order),
            PageAllocEvent::Merge {
                zone, buddy, order, ..
            } => self.take(zone, buddy.0, order),
            PageAllocEvent::Split {
                zone,
                upper,
                order,
                migratetype,
                ..
            } => self.put(zone, upper.0, order, migratetype, false),
            PageAllocEvent::AddFree {
                zone,
                pfn,
                order,
                migratetype,
                placement,
            } => self.put(
                zone,
                pfn.0,
                order,
                migratetype,
                placement != Placement::Head,
            ),
            PageAllocEvent::MoveFree {
                zone,
                pfn,
                order,
                to,
                ..
            } => {
                self.take(zone, pfn.0, order);
                self.put(zone, pfn.0, order, to, true);
            }
            // Looking, checking, deciding and per-CPU list traffic change no buddy list
            // (blocks reach and leave the per-CPU lists through TakeBlock and AddFree).
            PageAllocEvent::AllocStart { .. }
            | PageAllocEvent::WatermarkCheck { .. }
            | PageAllocEvent::NoFragmentRetry { .. }
            | PageAllocEvent::SlowPath { .. }
            | PageAllocEvent::ListLook { .. }
            | PageAllocEvent::ClaimBlock { .. }
            | PageAllocEvent::Highatomic { .. }
            | PageAllocEvent::StealBlock { .. }
            | PageAllocEvent::WatermarkBoost { .. }
            | PageAllocEvent::KswapdBoostReset { .. }
            | PageAllocEvent::Allocated { .. }
            | PageAllocEvent::AllocFailed { .. }
            | PageAllocEvent::FreeStart { .. }
            | PageAllocEvent::BuddyBusy { .. }
            | PageAllocEvent::PcpTake { .. }
            | PageAllocEvent::PcpRefill { .. }
            | PageAllocEvent::PcpPut { .. }
            | PageAllocEvent::PcpDrain { .. } => {}
        }
    }

    fn take(&mut self, zone: ZoneType, pfn: u64, order: u8) {
        if let Some(z) = self.zone_mut(zone) {
            z.remove(order, pfn);
        }
    }

    fn put(&mut self, zone: ZoneType, pfn: u64, order: u8, mt: MigrateType, tail: bool) {
        if let Some(z) = self.zone_mut(zone) {
            z.insert(order, mt, pfn, tail);
        }
    }
}
