//! The two scanners (`mm/compaction.c: isolate_migratepages`,
//! `isolate_migratepages_block`, `isolate_freepages`, `isolate_freepages_block`).
//!
//! The migration scanner takes LRU pages off their lists from `migrate_pfn` up, one
//! pageblock per call, 32 at most; buddy blocks are stepped over whole, anything else
//! (slab, page tables, kernel pages, per-CPU free pages) is a failure that costs one
//! page of scanning. The free scanner takes free blocks from `free_pfn` down, whole
//! pageblocks at a time, only from MOVABLE pageblocks (unless `ignore_block_suitable`)
//! and never a free block already as large as the order wanted.
//!
//! Each first tries its shortcut through the free lists ([`super::fast`]).

use super::events::{CompactionEvent, MigrateMode};
use super::{pageblock_end, pageblock_start, CompactControl, COMPACT_CLUSTER_MAX};
use crate::page_alloc::memmap::PageUse;
use crate::vm::Vm;
use crate::vmscan::lru::{pg, Owner};
use crate::vocab::gfp::__GFP_FS;
use crate::vocab::{MigrateType, Pfn, PAGEBLOCK_ORDER};

/// `isolate_migrate_t`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Isolated {
    /// `ISOLATE_NONE`: nothing taken.
    None,
    /// `ISOLATE_SUCCESS`: pages to migrate.
    Success,
}

/// `skip_isolation_on_order`: a compound page of this order is not worth moving.
fn skip_isolation_on_order(order: u8, target: i8) -> bool {
    (target >= 0 && i16::from(order) >= i16::from(target)) || order >= PAGEBLOCK_ORDER
}

/// Whether a block of this use is a compound page (allocated with `__GFP_COMP`).
fn compound(usage: PageUse) -> bool {
    matches!(usage, PageUse::Slab | PageUse::LargeKmalloc)
}

impl Vm<'_> {
    /// `isolation_suitable`: not marked skip (or skip hints ignored).
    fn isolation_suitable(&self, cc: &CompactControl, pfn: u64) -> bool {
        cc.ignore_skip_hint || !self.k.node.mem.pageblock_skip(Pfn(pfn))
    }

    /// `pageblock_skip_persistent`: the pageblock is one compound page of pageblock
    /// size or more, which compaction never empties.
    pub(crate) fn pageblock_skip_persistent(&self, pfn: u64) -> bool {
        self.k
            .node
            .mem
            .head_block(Pfn(pfn))
            .is_some_and(|(order, usage)| compound(usage) && order >= PAGEBLOCK_ORDER)
    }

    /// `update_cached_migrate`: the next run starts after this pageblock.
    fn update_cached_migrate(&mut self, cc: &CompactControl, pfn: u64) {
        let pfn = pageblock_end(pfn);
        let c = &mut self.k.node.zones[cc.zone.idx()].compact;
        if pfn > c.cached_migrate_pfn[0] {
            c.cached_migrate_pfn[0] = pfn;
        }
        if cc.mode != MigrateMode::Async && pfn > c.cached_migrate_pfn[1] {
            c.cached_migrate_pfn[1] = pfn;
        }
    }

    /// `suitable_migration_source`: async direct compaction only empties pageblocks
    /// of the request's own type; a pageblock held by one compound page of pageblock
    /// size never (`pageblock_skip_persistent`).
    fn suitable_migration_source(&self, cc: &CompactControl, pfn: u64) -> bool {
        let mem = &self.k.node.mem;
        if self.pageblock_skip_persistent(pfn) {
            return false;
        }
        if cc.mode != MigrateMode::Async || !cc.direct {
            return true;
        }
        let mt = mem.pageblock_mt(Pfn(pfn));
        if cc.migratetype == MigrateType::Movable {
            mt == MigrateType::Movable
        } else {
            mt == cc.migratetype
        }
    }

    /// `isolate_migratepages`: from `migrate_pfn`, the first pageblock below the free
    /// scanner that is worth scanning gets `isolate_migratepages_block`.
    pub(crate) fn isolate_migratepages(&mut self, cc: &mut CompactControl) -> Isolated {
        let zone_start = self.k.node.zone(cc.zone).start_pfn;
        let mut low_pfn = self.fast_find_migrateblock(cc);
        let mut block_start = pageblock_start(low_pfn).max(zone_start);
        // The fast search checked the skip hint of the block it found.
        let mut fast_find_block = low_pfn != cc.migrate_pfn && cc.fast_search_fail == 0;
        let mut block_end = pageblock_end(low_pfn);
        while block_end <= cc.free_pfn {
            let aligned = low_pfn == pageblock_start(low_pfn) || low_pfn == zone_start;
            let worth = !(aligned && !fast_find_block && !self.isolation_suitable(cc, block_start));
            if worth {
                if self.suitable_migration_source(cc, block_start) {
                    self.isolate_migratepages_block(cc, low_pfn, block_end);
                    break;
                }
                self.update_cached_migrate(cc, block_end);
            }
            fast_find_block = false;
            low_pfn = block_end;
            cc.migrate_pfn = block_end;
            block_start = block_end;
            block_end += 1u64 << PAGEBLOCK_ORDER;
        }
        if cc.nr_migratepages > 0 {
            Isolated::Success
        } else {
            Isolated::None
        }
    }

    /// Why a page cannot be taken for migration, if it cannot (the checks of
    /// `isolate_migratepages_block` after `PageLRU`).
    fn migrate_refused(&self, cc: &CompactControl, pfn: u64) -> bool {
        let Some(f) = self.pr.lru.get(pfn) else {
            return true;
        };
        if !f.test(pg::LRU) {
            return true;
        }
        // folio_mapping: the file, or the swap cache.
        let mapping = match f.owner {
            Owner::File { .. } => true,
            Owner::Anon { swap, .. } => swap != 0,
        };
        if !cc.gfp.has(__GFP_FS) && mapping {
            return true;
        }
        // ISOLATE_ASYNC_MIGRATE: no waiting on writeback.
        cc.mode != MigrateMode::Sync && f.test(pg::WRITEBACK)
    }

    /// `isolate_migratepages_block`: takes LRU pages in `[low_pfn, end_pfn)` for
    /// migration, until 32 are taken (unless the pageblock must be finished).
    /// Async direct compaction works in blocks of the request's order: a page that
    /// cannot move makes the rest of its order-aligned block pointless, so what was
    /// taken in it goes back and the scan jumps to the next one.
    fn isolate_migratepages_block(
        &mut self,
        cc: &mut CompactControl,
        mut low_pfn: u64,
        end_pfn: u64,
    ) {
        let start = low_pfn;
        let zone_start = self.k.node.zone(cc.zone).start_pfn;
        let (mut nr_scanned, mut nr_isolated) = (0u64, 0u64);
        let mut valid_page: Option<u64> = None;
        let mut skip_updated = false;
        cc.migrate_pfn = low_pfn;
        let skip_on_failure = cc.direct && cc.mode == MigrateMode::Async;
        let order_pages = 1u64 << cc.order.max(0);
        // block_end_pfn(pfn, order): the end of the order-aligned block holding pfn.
        let block_end = |pfn: u64| (pfn + 1).next_multiple_of(order_pages);
        let mut next_skip_pfn = if skip_on_failure {
            block_end(low_pfn)
        } else {
            0
        };
        while low_pfn < end_pfn {
            if skip_on_failure && low_pfn >= next_skip_pfn {
                if nr_isolated > 0 {
                    break;
                }
                next_skip_pfn = block_end(low_pfn);
            }
            nr_scanned += 1;
            if valid_page.is_none()
                && (low_pfn == pageblock_start(low_pfn) || low_pfn == zone_start)
            {
                if !self.isolation_suitable(cc, low_pfn) {
                    low_pfn = end_pfn;
                    break;
                }
                valid_page = Some(low_pfn);
            }
            let mem = &self.k.node.mem;
            let pfn = Pfn(low_pfn);
            if mem.is_buddy(pfn) {
                let skip = (1u64 << mem.order(pfn)) - 1;
                low_pfn += skip + 1;
                nr_scanned += skip;
                continue;
            }
            let mut failed = true;
            if let Some((order, usage)) = mem.head_block(pfn).filter(|_| mem.is_head(pfn)) {
                if compound(usage) && order > 0 && skip_isolation_on_order(order, cc.order) {
                    let skip = (1u64 << order) - 1;
                    low_pfn += skip;
                    nr_scanned += skip;
                } else if !self.migrate_refused(cc, low_pfn) {
                    failed = false;
                }
            }
            if !failed {
                // The first page taken under the LRU lock marks the pageblock skip.
                if !skip_updated {
                    if let Some(v) = valid_page {
                        skip_updated = true;
                        let was = !cc.ignore_skip_hint && self.k.node.mem.pageblock_skip(Pfn(v));
                        if !cc.ignore_skip_hint && !was {
                            self.k.node.mem.set_pageblock_skip(Pfn(v), true);
                        }
                        if was && !cc.finish_pageblock {
                            low_pfn = end_pfn;
                            break;
                        }
                    }
                }
                if let Some(f) = self.pr.lru.remove(low_pfn) {
                    cc.migratepages.insert(0, (low_pfn, f));
                    cc.nr_migratepages += 1;
                    nr_isolated += 1;
                }
                low_pfn += 1;
                if cc.nr_migratepages >= COMPACT_CLUSTER_MAX && !cc.finish_pageblock {
                    break;
                }
                continue;
            }
            // isolate_fail:
            if skip_on_failure {
                if nr_isolated > 0 {
                    self.putback_movable_pages(cc);
                    nr_isolated = 0;
                }
                if low_pfn < next_skip_pfn {
                    low_pfn = next_skip_pfn - 1;
                    next_skip_pfn += order_pages;
                }
            }
            low_pfn += 1;
        }
        low_pfn = low_pfn.min(end_pfn);
        if low_pfn == end_pfn && (nr_isolated == 0 || cc.finish_pageblock) {
            if let Some(v) = valid_page.filter(|_| !skip_updated) {
                self.k.node.mem.set_pageblock_skip(Pfn(v), true);
            }
            self.update_cached_migrate(cc, low_pfn);
        }
        self.k.trace.push(|| CompactionEvent::IsolateMigrate {
            start: Pfn(start),
            end: Pfn(low_pfn),
            nr_scanned,
            nr_taken: nr_isolated,
        });
        cc.total_migrate_scanned += nr_scanned;
        self.pr.stat.compact_isolated += nr_isolated;
        cc.migrate_pfn = low_pfn;
    }

    /// `putback_movable_pages`: pages not migrated go back to the head of their LRU
    /// lists (`folio_putback_lru`).
    pub(crate) fn putback_movable_pages(&mut self, cc: &mut CompactControl) {
        for (pfn, f) in cc.migratepages.drain(..) {
            self.pr.lru.add(pfn, f);
        }
        cc.nr_migratepages = 0;
    }

    /// `suitable_migration_target`: a pageblock to take free pages from: not one
    /// whose first page heads a free block as large as the order wanted (a pageblock
    /// for `compact_memory`), and MOVABLE unless block types are ignored.
    pub(crate) fn suitable_migration_target(&self, cc: &CompactControl, pfn: u64) -> bool {
        let mem = &self.k.node.mem;
        if mem.is_buddy(Pfn(pfn)) {
            let order = if cc.order > 0 {
                cc.order as u8
            } else {
                PAGEBLOCK_ORDER
            };
            if mem.order(Pfn(pfn)) >= order {
                return false;
            }
        }
        cc.ignore_block_suitable || mem.pageblock_mt(Pfn(pfn)) == MigrateType::Movable
    }

    /// `isolate_freepages`: from `free_pfn` down to the pageblock after the migration
    /// scanner's, isolates free pages until there are as many as pages to migrate.
    /// Async mode samples every 32nd page of a pageblock at first, every page once
    /// one is found (`stride`).
    pub(crate) fn isolate_freepages(&mut self, cc: &mut CompactControl) {
        self.fast_isolate_freepages(cc);
        if cc.nr_freepages > 0 {
            return;
        }
        let zone_end = self.k.node.zone(cc.zone).end_pfn();
        let mut isolate_start = cc.free_pfn;
        let mut block_start = pageblock_start(isolate_start);
        let mut block_end = (block_start + (1u64 << PAGEBLOCK_ORDER)).min(zone_end);
        let low_pfn = pageblock_end(cc.migrate_pfn);
        let mut stride = if cc.mode == MigrateMode::Async {
            COMPACT_CLUSTER_MAX
        } else {
            1
        };
        let nr_pageblock = 1u64 << PAGEBLOCK_ORDER;
        while block_start >= low_pfn {
            if self.suitable_migration_target(cc, block_start)
                && self.isolation_suitable(cc, block_start)
            {
                let nr = self.isolate_freepages_block(cc, &mut isolate_start, block_end, stride);
                if isolate_start == block_end {
                    // update_pageblock_skip: the whole pageblock was scanned.
                    self.k.node.mem.set_pageblock_skip(Pfn(block_start), true);
                    let pfn = block_start.wrapping_sub(nr_pageblock);
                    let c = &mut self.k.node.zones[cc.zone.idx()].compact;
                    if pfn < c.cached_free_pfn {
                        c.cached_free_pfn = pfn;
                    }
                }
                if cc.nr_freepages >= cc.nr_migratepages {
                    if isolate_start >= block_end {
                        isolate_start = block_start.wrapping_sub(nr_pageblock);
                    }
                    break;
                } else if isolate_start < block_end {
                    break;
                }
                stride = if nr > 0 {
                    1
                } else {
                    (stride << 1).min(COMPACT_CLUSTER_MAX)
                };
            }
            block_end = block_start;
            if block_start < nr_pageblock {
                isolate_start = 0;
                break;
            }
            block_start -= nr_pageblock;
            isolate_start = block_start;
        }
        cc.free_pfn = isolate_start;
    }

    /// `isolate_freepages_block`: every `stride`-th page from `*start` to `end`;
    /// free blocks are isolated whole (`__isolate_free_page`), until enough. Returns
    /// the pages isolated; `*start` is where the scan stopped.
    pub(crate) fn isolate_freepages_block(
        &mut self,
        cc: &mut CompactControl,
        start: &mut u64,
        end: u64,
        stride: u64,
    ) -> u64 {
        let (mut nr_scanned, mut total) = (0u64, 0u64);
        let mut pfn = *start;
        while pfn < end {
            nr_scanned += 1;
            let mem = &self.k.node.mem;
            let p = Pfn(pfn);
            if mem.is_head(p) {
                if let Some((order, usage)) = mem.head_block(p) {
                    if compound(usage) && order > 0 && pfn + (1u64 << order) <= end {
                        pfn += (1u64 << order) - 1;
                        nr_scanned += (1u64 << order) - 1;
                    }
                }
            } else if mem.is_buddy(p) {
                let order = mem.order(p);
                let isolated = self
                    .k
                    .node
                    .isolate_free_page(cc.zone, p, order, &mut self.k.trace);
                if isolated == 0 {
                    break;
                }
                nr_scanned += isolated - 1;
                total += isolated;
                cc.nr_freepages += isolated;
                cc.freepages[order as usize].push(pfn);
                if cc.nr_migratepages <= cc.nr_freepages {
                    pfn += isolated;
                    break;
                }
                pfn += isolated - 1;
            }
            pfn += stride;
        }
        let pfn = pfn.min(end);
        let from = *start;
        self.k.trace.push(|| CompactionEvent::IsolateFree {
            start: Pfn(from),
            end: Pfn(pfn),
            nr_scanned,
            nr_taken: total,
            fast: false,
        });
        *start = pfn;
        cc.total_free_scanned += nr_scanned;
        self.pr.stat.compact_isolated += total;
        total
    }
}
