//! What compaction asks of the buddy allocator (`mm/page_alloc.c`):
//! `__isolate_free_page`, which hands a free block to the free scanner, and
//! `compaction_capture`, which gives a block that a migration just freed straight to
//! the allocation that is compacting, before it can merge further or be taken.

use super::memmap::PageUse;
use super::node::Node;
use super::rmqueue::AllocFlags;
use crate::compaction::events::CompactionEvent;
use crate::event::Trace;
use crate::vocab::{MigrateType, Pfn, Watermark, ZoneType, PAGEBLOCK_ORDER};

/// `struct capture_control`: set while a direct compaction runs for an allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The zone being compacted (`cc->zone`).
    pub zone: ZoneType,
    /// The allocation's order (`cc->order`).
    pub order: u8,
    /// The allocation's migrate type (`cc->migratetype`).
    pub migratetype: MigrateType,
    /// The block captured, once one is.
    pub page: Option<Pfn>,
}

impl Node {
    /// `__isolate_free_page`: takes free block `pfn` of `order` off its list for the
    /// free scanner, unless that would leave the zone at or below its min watermark
    /// plus the block (`zone_watermark_ok(zone, 0, min + 2^order, 0, ALLOC_CMA)`).
    /// A block of half a pageblock or more makes its pageblocks MOVABLE: migrated
    /// pages are movable. Returns the pages isolated (0 if refused).
    pub fn isolate_free_page(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        trace: &mut Trace,
    ) -> u64 {
        let mt = self.free_block_mt(pfn);
        let mark = self.zones[zt.idx()].watermark[Watermark::Min as usize] + (1u64 << order);
        if !self
            .zone_watermark_ok(zt, 0, mark, ZoneType::Dma, AllocFlags::default())
            .0
        {
            return 0;
        }
        self.del_from_free_list(zt, pfn, order, mt);
        self.zones[zt.idx()].nr_free_pages -= 1u64 << order;
        // Held by compaction: a block that is neither free nor in use.
        self.mem.set_head(pfn, order, PageUse::Free);
        trace.push(|| CompactionEvent::FreeIsolated {
            zone: zt,
            pfn,
            order,
            migratetype: mt,
        });
        if order >= PAGEBLOCK_ORDER - 1 {
            let end = pfn.0 + (1u64 << order);
            let mut p = pfn.0;
            while p < end {
                let bmt = self.mem.pageblock_mt(Pfn(p));
                // move_freepages_block moves nothing here (the block covers its
                // pageblocks, and it has left the lists): only the type changes.
                if bmt.is_mergeable() {
                    self.mem.set_pageblock_mt(Pfn(p), MigrateType::Movable);
                }
                p += 1u64 << PAGEBLOCK_ORDER;
            }
        }
        1u64 << order
    }

    /// Compaction's `move_freelist_head` (`first`) and `move_freelist_tail`: rotate
    /// the `mt` list of `order` so that block `pfn` comes first or last, and the next
    /// search starts with blocks not looked at yet.
    pub fn move_freelist(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        pfn: Pfn,
        first: bool,
    ) {
        let list = &mut self.zones[zt.idx()].free_area[order as usize].free_list[mt.idx()];
        self.mem.list_rotate(list, pfn, first);
    }

    /// `compaction_capture`: while a direct compaction for `order` runs in zone `zt`,
    /// a block of exactly that order being freed there is taken for it, unless it is
    /// movable and the allocation is not (below a pageblock) — a small unmovable
    /// request must not settle in a movable pageblock this way.
    pub(crate) fn compaction_capture(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        mt: MigrateType,
        trace: &mut Trace,
    ) -> bool {
        let Some(c) = self.capture.as_mut() else {
            return false;
        };
        if c.page.is_some() || c.zone != zt || c.order != order {
            return false;
        }
        if order < PAGEBLOCK_ORDER
            && mt == MigrateType::Movable
            && c.migratetype != MigrateType::Movable
        {
            return false;
        }
        c.page = Some(pfn);
        self.mem.set_head(pfn, order, PageUse::Free);
        trace.push(|| CompactionEvent::Capture {
            zone: zt,
            pfn,
            order,
        });
        true
    }
}
