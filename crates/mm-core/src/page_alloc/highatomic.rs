//! The highatomic reserve (`mm/page_alloc.c: reserve_highatomic_pageblock`,
//! `unreserve_highatomic_pageblock`): pageblocks set aside for high-order atomic
//! allocations, which cannot reclaim or compact to make a block themselves.
//!
//! When an order > 0 atomic request succeeds in the slow path, its pageblock becomes
//! MIGRATE_HIGHATOMIC (its free blocks move to that type's lists), up to 1% of the
//! zone rounded up to whole pageblocks. Other requests cannot count those free pages
//! against a watermark, and take them only as a last resort. Under pressure the
//! reserve goes back: after direct reclaim fails to find a page (one pageblock is
//! kept), and entirely before the OOM killer.

use super::alloc::AllocRequest;
use super::events::PageAllocEvent;
use super::node::Node;
use crate::event::Trace;
use crate::vocab::{MigrateType, Pfn, ZoneType, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER};

impl Node {
    /// `reserve_highatomic_pageblock`: reserves the pageblock(s) of the block just
    /// allocated, unless the zone is under 100 pageblocks, its reserve is full
    /// (`ALIGN(managed / 100, pageblock_nr_pages)`), or the block is of another type.
    #[inline(never)]
    pub(crate) fn reserve_highatomic_pageblock(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        trace: &mut Trace,
    ) {
        let z = &self.zones[zt.idx()];
        if z.nr_reserved_highatomic >= z.highatomic_limit() {
            return;
        }
        let mt = self.mem.pageblock_mt(pfn);
        if !mt.is_mergeable() {
            return;
        }
        let ha = MigrateType::HighAtomic;
        let start = Pfn(pfn.0 & !(PAGEBLOCK_NR_PAGES - 1));
        // move_freepages_block refuses a pageblock the zone does not hold whole.
        if !z.holds_pageblock(start) {
            return;
        }
        let order = order.max(PAGEBLOCK_ORDER);
        let reserved = z.nr_reserved_highatomic + (1u64 << order);
        self.zones[zt.idx()].nr_reserved_highatomic = reserved;
        trace.push(|| PageAllocEvent::Highatomic {
            zone: zt,
            pfn: start,
            order,
            from: mt,
            to: ha,
            reserved,
        });
        if order == PAGEBLOCK_ORDER {
            self.move_freepages_block(zt, start, mt, ha, trace);
        }
        self.retype_range(start, order, ha);
    }

    /// `change_pageblock_range` (and `set_pageblock_migratetype` for one pageblock):
    /// every pageblock of the range takes the type.
    fn retype_range(&mut self, start: Pfn, order: u8, mt: MigrateType) {
        let mut p = start.0;
        while p < start.0 + (1u64 << order) {
            self.mem.set_pageblock_mt(Pfn(p), mt);
            p += PAGEBLOCK_NR_PAGES;
        }
    }

    /// `unreserve_highatomic_pageblock`: in each zone the request may use (keeping
    /// the last pageblock unless `force`), the first free highatomic block, lowest
    /// order first, goes back to the request's migrate type with its pageblock.
    /// True if a pageblock was released.
    #[inline(never)]
    pub(crate) fn unreserve_highatomic_pageblock(
        &mut self,
        req: AllocRequest,
        force: bool,
        trace: &mut Trace,
    ) -> bool {
        let to = req.migratetype;
        for &zt in self.zonelist(req.highest).zones() {
            let z = &self.zones[zt.idx()];
            if !force && z.nr_reserved_highatomic <= PAGEBLOCK_NR_PAGES {
                continue;
            }
            let ha = MigrateType::HighAtomic.idx();
            let Some(order) =
                (0..z.free_area.len()).find(|&o| !z.free_area[o].free_list[ha].is_empty())
            else {
                continue;
            };
            let pfn = Pfn(u64::from(z.free_area[order].free_list[ha].head));
            let order = order as u8;
            let reserved = z.nr_reserved_highatomic
                - PAGEBLOCK_NR_PAGES
                    .max(1u64 << order)
                    .min(z.nr_reserved_highatomic);
            self.zones[zt.idx()].nr_reserved_highatomic = reserved;
            let ha = MigrateType::HighAtomic;
            let start = Pfn(pfn.0 & !(PAGEBLOCK_NR_PAGES - 1));
            trace.push(|| PageAllocEvent::Highatomic {
                zone: zt,
                pfn: start,
                order: order.max(PAGEBLOCK_ORDER),
                from: ha,
                to,
                reserved,
            });
            if order < PAGEBLOCK_ORDER {
                self.move_freepages_block(zt, start, ha, to, trace);
            } else {
                self.move_free_block(zt, pfn, order, ha, to, trace);
            }
            self.retype_range(start, order.max(PAGEBLOCK_ORDER), to);
            return true;
        }
        false
    }
}
