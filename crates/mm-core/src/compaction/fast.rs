//! The scanners' shortcuts through the free lists (`mm/compaction.c:
//! fast_isolate_freepages`, `fast_isolate_around`, `fast_find_migrateblock`), used
//! for requests of order above 0 (above 3 for the migration side) while skip hints
//! count.
//!
//! Before walking pageblocks, the free scanner looks at the MOVABLE free lists
//! below the order wanted, from their tails, for a free block in the upper quarter
//! of the space left between the scanners (the half, at worst); the migration
//! scanner looks at the free lists from order-1 down to 3 for a block low in the
//! zone: a pageblock that already has free pages needs fewer pages moved to become
//! free. Both rotate the lists they read so the next search starts with blocks not
//! looked at, and each failure halves the next scan limit.

use super::events::{CompactionEvent, MigrateMode};
use super::{pageblock_end, pageblock_start, CompactControl, COMPACT_CLUSTER_MAX};
use crate::vm::Vm;
use crate::vmscan::PAGE_ALLOC_COSTLY_ORDER;
use crate::vocab::{MigrateType, Pfn};

/// `freelist_scan_limit`: 33 blocks, halved per recent failure.
fn freelist_scan_limit(cc: &CompactControl) -> u64 {
    (COMPACT_CLUSTER_MAX >> cc.fast_search_fail.min(63)) + 1
}

/// `next_search_order`: the orders below `cc.order` round-robin from
/// `search_order`; -1 when the search wrapped around.
fn next_search_order(cc: &mut CompactControl, order: i8) -> i8 {
    let mut order = order - 1;
    if order < 0 {
        order = cc.order - 1;
    }
    if order == cc.search_order {
        cc.search_order -= 1;
        if cc.search_order < 0 {
            cc.search_order = cc.order - 1;
        }
        return -1;
    }
    order
}

impl Vm<'_> {
    /// `fast_isolate_freepages`: isolates one free block found on the MOVABLE free
    /// lists high in the space left, then (`fast_isolate_around`) the rest of its
    /// pageblock.
    pub(crate) fn fast_isolate_freepages(&mut self, cc: &mut CompactControl) {
        if cc.order <= 0 {
            return;
        }
        let zt = cc.zone;
        let (zone_start, zone_end, init_free) = {
            let z = self.k.node.zone(zt);
            (z.start_pfn, z.end_pfn(), z.compact.init_free_pfn)
        };
        let mut limit = (freelist_scan_limit(cc) >> 1).max(1);
        let mut scan_start = false;
        if cc.free_pfn >= init_free {
            limit = (1u64 << crate::vocab::PAGEBLOCK_ORDER) >> 1;
            scan_start = true;
        }
        // Unsigned arithmetic, as the kernel's: when the free scanner has already
        // passed the migration scanner (a second call within one migrate_pages),
        // the distance wraps and no free page qualifies.
        let distance = cc.free_pfn.wrapping_sub(cc.migrate_pfn);
        let mut low_pfn = pageblock_start(cc.free_pfn.wrapping_sub(distance >> 2));
        let min_pfn = pageblock_start(cc.free_pfn.wrapping_sub(distance >> 1));
        low_pfn = low_pfn.max(min_pfn);
        let (mut nr_scanned, mut total_isolated, mut highest) = (0u64, 0u64, 0u64);
        let mut page: Option<u64> = None;
        cc.search_order = cc.search_order.min(cc.order - 1);
        let mut order = cc.search_order;
        while page.is_none() && order >= 0 {
            let o = order as u8;
            if self.k.node.zone(zt).free_area[o as usize].nr_free > 0 {
                let list = self.k.node.zone(zt).free_area[o as usize].free_list
                    [MigrateType::Movable.idx()];
                let (mut order_scanned, mut high_pfn) = (0u64, 0u64);
                let mut stopped_at: Option<u64> = None;
                for p in self.k.node.mem.list_iter_rev(&list) {
                    let pfn = p.0;
                    order_scanned += 1;
                    nr_scanned += 1;
                    if pfn >= highest {
                        highest = pageblock_start(pfn).max(zone_start);
                    }
                    if pfn >= low_pfn {
                        cc.fast_search_fail = 0;
                        cc.search_order = order;
                        page = Some(pfn);
                        stopped_at = Some(pfn);
                        break;
                    }
                    if pfn >= min_pfn && pfn > high_pfn {
                        high_pfn = pfn;
                        limit >>= 1;
                    }
                    if order_scanned >= limit {
                        stopped_at = Some(pfn);
                        break;
                    }
                }
                if page.is_none() && high_pfn != 0 {
                    page = Some(high_pfn);
                    stopped_at = Some(high_pfn);
                }
                if let Some(f) = stopped_at {
                    self.k
                        .node
                        .move_freelist(zt, o, MigrateType::Movable, Pfn(f), true);
                }
                if let Some(pfn) = page {
                    let n = self
                        .k
                        .node
                        .isolate_free_page(zt, Pfn(pfn), o, &mut self.k.trace);
                    if n > 0 {
                        nr_scanned += n - 1;
                        total_isolated += n;
                        cc.nr_freepages += n;
                        cc.freepages[o as usize].push(pfn);
                        self.pr.stat.compact_isolated += n;
                    } else {
                        order = cc.search_order + 1;
                        page = None;
                    }
                }
                if cc.nr_freepages >= cc.nr_migratepages {
                    break;
                }
                if order_scanned >= limit {
                    limit = (limit >> 1).max(1);
                }
            }
            order = next_search_order(cc, order);
        }
        let free_pfn = cc.free_pfn;
        self.k.trace.push(|| CompactionEvent::IsolateFree {
            start: Pfn(min_pfn),
            end: Pfn(free_pfn),
            nr_scanned,
            nr_taken: total_isolated,
            fast: true,
        });
        let mut around = page;
        if page.is_none() {
            cc.fast_search_fail += 1;
            if scan_start {
                if highest >= min_pfn {
                    around = Some(highest);
                    cc.free_pfn = highest;
                } else if cc.direct && min_pfn < self.k.node.mem.len() {
                    around = Some(min_pfn).filter(|&p| self.suitable_migration_target(cc, p));
                    cc.free_pfn = min_pfn;
                }
            }
        }
        let c = &mut self.k.node.zones[zt.idx()].compact;
        if highest != 0 && highest >= c.cached_free_pfn {
            c.cached_free_pfn = highest.wrapping_sub(1u64 << crate::vocab::PAGEBLOCK_ORDER);
        }
        cc.total_free_scanned += nr_scanned;
        if let Some(pfn) = around {
            // fast_isolate_around: the rest of the pageblock, unless enough (or async
            // direct compaction, which keeps scanning to a minimum).
            if cc.nr_freepages < cc.nr_migratepages && !(cc.direct && cc.mode == MigrateMode::Async)
            {
                let mut start = pageblock_start(pfn).max(zone_start);
                let end = pageblock_end(pfn).min(zone_end);
                let block = start;
                self.isolate_freepages_block(cc, &mut start, end, 1);
                if start == end {
                    self.k.node.mem.set_pageblock_skip(Pfn(block), true);
                }
            }
        }
    }

    /// `fast_find_migrateblock`: where the migration scanner should start, picked
    /// from the free lists of orders `order-1` down to 3: a MOVABLE pageblock low in
    /// the zone that already has free pages. Falls back to `migrate_pfn` (or the
    /// lowest block a previous search picked).
    pub(crate) fn fast_find_migrateblock(&mut self, cc: &mut CompactControl) -> u64 {
        let pfn = cc.migrate_pfn;
        let zt = cc.zone;
        let zone_start = self.k.node.zone(zt).start_pfn;
        if cc.ignore_skip_hint
            || cc.finish_pageblock
            || (pfn != zone_start && pfn != pageblock_start(pfn))
            || cc.order <= PAGE_ALLOC_COSTLY_ORDER as i8
            || (cc.direct && cc.migratetype != MigrateType::Movable)
        {
            return pfn;
        }
        let limit = freelist_scan_limit(cc);
        let mut nr_scanned = 0u64;
        let mut distance = cc.free_pfn.wrapping_sub(cc.migrate_pfn) >> 1;
        if cc.migrate_pfn != zone_start {
            distance >>= 2;
        }
        let high_pfn = pageblock_start(cc.migrate_pfn.wrapping_add(distance));
        let mut found: Option<u64> = None;
        let mut order = cc.order - 1;
        while order >= PAGE_ALLOC_COSTLY_ORDER as i8 && found.is_none() && nr_scanned < limit {
            let o = order as u8;
            order -= 1;
            if self.k.node.zone(zt).free_area[o as usize].nr_free == 0 {
                continue;
            }
            let list =
                self.k.node.zone(zt).free_area[o as usize].free_list[MigrateType::Movable.idx()];
            let mut rotate: Option<u64> = None;
            for p in self.k.node.mem.list_iter(&list) {
                if nr_scanned >= limit {
                    nr_scanned += 1;
                    rotate = Some(p.0);
                    break;
                }
                nr_scanned += 1;
                if p.0 < high_pfn {
                    if self.k.node.mem.pageblock_skip(p) {
                        continue;
                    }
                    rotate = Some(p.0);
                    // update_fast_start_pfn.
                    if cc.fast_start_pfn != u64::MAX {
                        cc.fast_start_pfn = if cc.fast_start_pfn == 0 {
                            p.0
                        } else {
                            cc.fast_start_pfn.min(p.0)
                        };
                    }
                    found = Some(pageblock_start(p.0).max(zone_start));
                    cc.fast_search_fail = 0;
                    break;
                }
            }
            if let Some(r) = rotate {
                self.k
                    .node
                    .move_freelist(zt, o, MigrateType::Movable, Pfn(r), false);
            }
        }
        cc.total_migrate_scanned += nr_scanned;
        match found {
            Some(p) => p,
            None => {
                cc.fast_search_fail += 1;
                // reinit_migrate_pfn.
                if cc.fast_start_pfn == 0 || cc.fast_start_pfn == u64::MAX {
                    cc.migrate_pfn
                } else {
                    cc.migrate_pfn = cc.fast_start_pfn;
                    cc.fast_start_pfn = u64::MAX;
                    cc.migrate_pfn
                }
            }
        }
    }
}
