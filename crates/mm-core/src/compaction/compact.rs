//! One compaction run and what decides whether to run (`mm/compaction.c:
//! compact_zone`, `__compact_finished`, `compaction_suitable`, the deferral
//! functions, `compact_nodes`).

use super::events::{CompactResult, CompactionEvent, DeferStep, MigrateMode};
use super::isolate::Isolated;
use super::{pageblock_start, CompactControl, COMPACT_MAX_DEFER_SHIFT};
use crate::page_alloc::fragmentation::{fill_contig_page_info, fragmentation_index};
use crate::vm::Vm;
use crate::vmscan::PAGE_ALLOC_COSTLY_ORDER;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::{GfpFlags, Pfn, Watermark, ZoneType, MAX_PAGE_ORDER, PAGEBLOCK_ORDER};

impl Vm<'_> {
    /// `mm_compaction_defer_template`: a deferral step with the zone's deferral state.
    fn trace_defer(&mut self, step: DeferStep, zt: ZoneType, order: u8) {
        let c = &self.k.node.zone(zt).compact;
        let (order_failed, considered, limit) =
            (c.order_failed, c.considered, 1u32 << c.defer_shift);
        self.k.trace.push(|| CompactionEvent::Defer {
            step,
            zone: zt,
            order,
            order_failed,
            considered,
            limit,
        });
    }

    /// `defer_compaction`: a run failed; the next 2^shift attempts at this order or
    /// above are skipped (the shift grows to 6 with each failure).
    pub(crate) fn defer_compaction(&mut self, zt: ZoneType, order: u8) {
        let c = &mut self.k.node.zones[zt.idx()].compact;
        c.considered = 0;
        c.defer_shift = (c.defer_shift + 1).min(COMPACT_MAX_DEFER_SHIFT);
        c.order_failed = c.order_failed.min(order);
        self.trace_defer(DeferStep::DeferCompaction, zt, order);
    }

    /// `compaction_deferred`: whether to skip this attempt.
    pub(crate) fn compaction_deferred(&mut self, zt: ZoneType, order: u8) -> bool {
        let c = &mut self.k.node.zones[zt.idx()].compact;
        let limit = 1u32 << c.defer_shift;
        if order < c.order_failed {
            return false;
        }
        c.considered += 1;
        if c.considered >= limit {
            c.considered = limit;
            return false;
        }
        self.trace_defer(DeferStep::Deferred, zt, order);
        true
    }

    /// `compaction_defer_reset`: after a success; `alloc_success` when the page was
    /// really obtained.
    pub(crate) fn compaction_defer_reset(&mut self, zt: ZoneType, order: u8, alloc_success: bool) {
        let c = &mut self.k.node.zones[zt.idx()].compact;
        if alloc_success {
            c.considered = 0;
            c.defer_shift = 0;
        }
        if order >= c.order_failed {
            c.order_failed = order + 1;
        }
        self.trace_defer(DeferStep::DeferReset, zt, order);
    }

    /// `compaction_restarting`: deferred to the limit and the limit is reached.
    fn compaction_restarting(&self, zt: ZoneType, order: i8) -> bool {
        let c = &self.k.node.zone(zt).compact;
        if order < 0 || (order as u8) < c.order_failed {
            return false;
        }
        c.defer_shift == COMPACT_MAX_DEFER_SHIFT && c.considered >= 1u32 << c.defer_shift
    }

    /// `__compaction_suitable`: order-0 free pages above `watermark` plus the
    /// compaction gap (`2 << order`, room for the pages being moved) and, for costly
    /// orders, the low-min distance.
    pub(crate) fn compaction_suitable_free(
        &self,
        zt: ZoneType,
        order: u8,
        watermark: u64,
        highest: ZoneType,
        free: u64,
    ) -> (bool, u64) {
        let z = self.k.node.zone(zt);
        let mut mark = watermark + (2u64 << order);
        if order > PAGE_ALLOC_COSTLY_ORDER {
            mark += z.wmark_pages(Watermark::Low) - z.wmark_pages(Watermark::Min);
        }
        (
            self.k.node.watermark_ok_with(zt, 0, mark, highest, free),
            mark,
        )
    }

    /// `compaction_suitable`: enough free memory to compact into, and (above order
    /// 3) a fragmentation index that blames fragmentation rather than a lack of memory.
    pub(crate) fn compaction_suitable(
        &mut self,
        zt: ZoneType,
        order: u8,
        watermark: u64,
        highest: ZoneType,
    ) -> bool {
        let free = self.k.node.zone(zt).nr_free_pages;
        let (mut suitable, needed) =
            self.compaction_suitable_free(zt, order, watermark, highest, free);
        let mut fragindex = None;
        let ret = if suitable {
            if order > PAGE_ALLOC_COSTLY_ORDER {
                let info = fill_contig_page_info(&self.k.node.zone(zt).nr_free(), order);
                let fi = fragmentation_index(order, &info) as i32;
                fragindex = Some(fi);
                if fi >= 0 && i64::from(fi) <= self.sysctl.extfrag_threshold as i64 {
                    suitable = false;
                }
            }
            if suitable {
                CompactResult::Continue
            } else {
                CompactResult::NotSuitableZone
            }
        } else {
            CompactResult::Skipped
        };
        self.k.trace.push(|| CompactionEvent::Suitable {
            zone: zt,
            order,
            ret,
            free,
            needed,
            fragindex,
        });
        suitable
    }

    /// `compaction_suit_allocation_order`: SUCCESS if an order-`order` allocation
    /// would already succeed in `zt`, SKIPPED if compaction cannot help, else
    /// CONTINUE. Async runs for costly orders first want the compaction gap above
    /// the watermark outright.
    pub(crate) fn compaction_suit_allocation_order(
        &mut self,
        zt: ZoneType,
        order: u8,
        highest: ZoneType,
        wmark: Watermark,
        is_async: bool,
    ) -> CompactResult {
        let z = self.k.node.zone(zt);
        let (mark, free) = (z.wmark_pages(wmark), z.nr_free_pages);
        if self
            .k
            .node
            .watermark_ok_with(zt, order, mark, highest, free)
        {
            return CompactResult::Success;
        }
        if order > PAGE_ALLOC_COSTLY_ORDER
            && is_async
            && !self
                .k
                .node
                .watermark_ok_with(zt, 0, mark + (2u64 << order), highest, free)
        {
            return CompactResult::Skipped;
        }
        if !self.compaction_suitable(zt, order, mark, highest) {
            return CompactResult::Skipped;
        }
        CompactResult::Continue
    }

    /// `reset_cached_positions`: the next run starts at the zone's ends.
    fn reset_cached_positions(&mut self, zt: ZoneType) {
        let z = &mut self.k.node.zones[zt.idx()];
        let (start, end) = (z.start_pfn, z.end_pfn());
        z.compact.cached_migrate_pfn = [start, start];
        z.compact.cached_free_pfn = pageblock_start(end - 1);
    }

    /// `__reset_isolation_suitable`: after direct compaction met its scanners
    /// (`compact_blockskip_flush`), clear the skip hints of pageblocks worth another
    /// look (the first with LRU pages from the bottom, and those with free pages from
    /// the top, sampled every 8 pages) and restart the cached positions there.
    pub(crate) fn reset_isolation_suitable(&mut self, zt: ZoneType) {
        let z = self.k.node.zone(zt);
        if !z.compact.blockskip_flush || !z.populated() {
            return;
        }
        let (start, end) = (z.start_pfn, z.end_pfn());
        self.k.node.zones[zt.idx()].compact.blockskip_flush = false;
        let mut migrate_pfn = start;
        let mut free_pfn = end - 1;
        let (mut reset_migrate, mut reset_free) = (free_pfn, migrate_pfn);
        let (mut source_set, mut free_set) = (false, false);
        while migrate_pfn < free_pfn {
            if self.reset_isolation_pfn(zt, migrate_pfn, true, source_set)
                && migrate_pfn < reset_migrate
            {
                source_set = true;
                reset_migrate = migrate_pfn;
                let c = &mut self.k.node.zones[zt.idx()].compact;
                c.init_migrate_pfn = reset_migrate;
                c.cached_migrate_pfn = [reset_migrate, reset_migrate];
            }
            if self.reset_isolation_pfn(zt, free_pfn, free_set, true) && free_pfn > reset_free {
                free_set = true;
                reset_free = free_pfn;
                let c = &mut self.k.node.zones[zt.idx()].compact;
                c.init_free_pfn = reset_free;
                c.cached_free_pfn = reset_free;
            }
            migrate_pfn += 1u64 << PAGEBLOCK_ORDER;
            free_pfn = free_pfn.saturating_sub(1u64 << PAGEBLOCK_ORDER);
        }
        if reset_migrate >= reset_free {
            let c = &mut self.k.node.zones[zt.idx()].compact;
            c.cached_migrate_pfn = [migrate_pfn, migrate_pfn];
            c.cached_free_pfn = free_pfn;
        }
    }

    /// `__reset_isolation_pfn`: whether the pageblock of `pfn` is worth scanning
    /// again (an LRU page for the migration side, a free page for the free side,
    /// every 8th page looked at); its skip hint is cleared if so.
    fn reset_isolation_pfn(
        &mut self,
        zt: ZoneType,
        pfn: u64,
        check_source: bool,
        check_target: bool,
    ) -> bool {
        if self.pageblock_skip_persistent(pfn) {
            return false;
        }
        let mem = &self.k.node.mem;
        if check_source && check_target && !mem.pageblock_skip(Pfn(pfn)) {
            return true;
        }
        if !check_source
            && check_target
            && mem.pageblock_mt(Pfn(pfn)) != crate::vocab::MigrateType::Movable
        {
            return false;
        }
        let z = self.k.node.zone(zt);
        let first = pageblock_start(pfn).max(z.start_pfn);
        let last = (super::pageblock_end(pfn) - 1).min(z.end_pfn() - 1);
        let mut p = first;
        while p <= last {
            let lru = check_source && self.pr.lru.get(p).is_some();
            let buddy = check_target && self.k.node.mem.is_buddy(Pfn(p));
            if lru || buddy {
                self.k.node.mem.set_pageblock_skip(Pfn(first), false);
                return true;
            }
            p += 1u64 << PAGE_ALLOC_COSTLY_ORDER;
        }
        false
    }

    /// `__compact_finished`: the scanners met (COMPLETE for a whole-zone run, else
    /// PARTIAL_SKIPPED), `compact_memory` goes on, and otherwise at a pageblock
    /// boundary: SUCCESS once a free block of the order or above sits on the
    /// request's list or on one it may fall back to.
    fn compact_finished(&mut self, cc: &CompactControl) -> CompactResult {
        let ret = if cc.scanners_met() {
            self.reset_cached_positions(cc.zone);
            if cc.direct {
                self.k.node.zones[cc.zone.idx()].compact.blockskip_flush = true;
            }
            if cc.whole_zone {
                CompactResult::Complete
            } else {
                CompactResult::PartialSkipped
            }
        } else if cc.proactive {
            // Proactive compaction stops once the zone's score is at the low mark,
            // or as soon as kswapd runs.
            if self.pr.kswapd.running() {
                CompactResult::PartialSkipped
            } else if super::kcompactd::fragmentation_score_zone(self.k.node.zone(cc.zone))
                > super::kcompactd::fragmentation_score_wmark(
                    self.sysctl.compaction_proactiveness,
                    true,
                )
            {
                CompactResult::Continue
            } else {
                CompactResult::Success
            }
        } else if cc.via_compact_memory() || cc.migrate_pfn != pageblock_start(cc.migrate_pfn) {
            CompactResult::Continue
        } else {
            let node = &self.k.node;
            let z = node.zone(cc.zone);
            let found = (cc.order as u8..=MAX_PAGE_ORDER).any(|o| {
                !z.free_area[o as usize].free_list[cc.migratetype.idx()].is_empty()
                    || matches!(
                        node.find_suitable_fallback(cc.zone, o, cc.migratetype, true),
                        Ok(Some(_))
                    )
            });
            if found {
                CompactResult::Success
            } else {
                CompactResult::NoSuitablePage
            }
        };
        let (zone, order) = (cc.zone, cc.order);
        self.k
            .trace
            .push(|| CompactionEvent::Finished { zone, order, ret });
        if ret == CompactResult::NoSuitablePage {
            CompactResult::Continue
        } else {
            ret
        }
    }

    /// `compact_zone`: one run over `cc.zone` (its order already checked by the
    /// caller through `compaction_suit_allocation_order` when it has one).
    pub(crate) fn compact_zone(
        &mut self,
        cc: &mut CompactControl,
        wmark: Watermark,
    ) -> CompactResult {
        let zt = cc.zone;
        let (start, end) = {
            let z = self.k.node.zone(zt);
            (z.start_pfn, z.end_pfn())
        };
        if !cc.via_compact_memory() {
            let ret = self.compaction_suit_allocation_order(
                zt,
                cc.order as u8,
                cc.highest,
                wmark,
                cc.mode == MigrateMode::Async,
            );
            if ret != CompactResult::Continue {
                return ret;
            }
        }
        if self.compaction_restarting(zt, cc.order) {
            self.reset_isolation_suitable(zt);
        }
        let sync = usize::from(cc.mode != MigrateMode::Async);
        cc.fast_start_pfn = 0;
        if cc.whole_zone {
            cc.migrate_pfn = start;
            cc.free_pfn = pageblock_start(end - 1);
        } else {
            let c = &mut self.k.node.zones[zt.idx()].compact;
            cc.migrate_pfn = c.cached_migrate_pfn[sync];
            cc.free_pfn = c.cached_free_pfn;
            if cc.free_pfn < start || cc.free_pfn >= end {
                cc.free_pfn = pageblock_start(end - 1);
                c.cached_free_pfn = cc.free_pfn;
            }
            if cc.migrate_pfn < start || cc.migrate_pfn >= end {
                cc.migrate_pfn = start;
                c.cached_migrate_pfn = [start, start];
            }
            if cc.migrate_pfn <= c.init_migrate_pfn {
                cc.whole_zone = true;
            }
        }
        let mut update_cached = {
            let c = &self.k.node.zone(zt).compact;
            sync == 0 && c.cached_migrate_pfn[0] == c.cached_migrate_pfn[1]
        };
        let (migrate_pfn, free_pfn, mode, order) =
            (Pfn(cc.migrate_pfn), Pfn(cc.free_pfn), cc.mode, cc.order);
        self.k.trace.push(|| CompactionEvent::Begin {
            zone: zt,
            zone_start: Pfn(start),
            migrate_pfn,
            free_pfn,
            zone_end: Pfn(end),
            mode,
            order,
        });
        let mut last_migrated_pfn = 0u64;
        let mut contended = false;
        let mut ret;
        // Each pass isolates at least one page or moves the scanner a pageblock up;
        // the bound only guards against a bug.
        let mut guard = (end - start) * 2 + 64;
        loop {
            ret = self.compact_finished(cc);
            if ret != CompactResult::Continue || guard == 0 {
                break;
            }
            guard -= 1;
            cc.finish_pageblock =
                pageblock_start(last_migrated_pfn) == pageblock_start(cc.migrate_pfn);
            loop {
                match self.isolate_migratepages(cc) {
                    Isolated::None => {
                        if update_cached {
                            let c = &mut self.k.node.zones[zt.idx()].compact;
                            c.cached_migrate_pfn[1] = c.cached_migrate_pfn[0];
                        }
                        break;
                    }
                    Isolated::Success => {
                        update_cached = false;
                        last_migrated_pfn = start.max(pageblock_start(cc.migrate_pfn - 1));
                    }
                }
                let nr = cc.nr_migratepages;
                let (ok, failed, enomem) = self.migrate_pages(cc);
                let nr_failed = nr - ok;
                self.k.trace.push(|| CompactionEvent::MigratePages {
                    nr_migrated: ok,
                    nr_failed,
                });
                if enomem && !cc.scanners_met() {
                    // The free scanner found no target before meeting the migration
                    // scanner (a watermark refused a free block).
                    contended = true;
                    break;
                }
                if (enomem || failed > 0)
                    && cc.migrate_pfn != pageblock_start(cc.migrate_pfn)
                    && !cc.ignore_skip_hint
                    && !cc.finish_pageblock
                    && cc.mode < MigrateMode::Sync
                {
                    // A page would not move: scan the rest of this pageblock, which
                    // marks it skip so that it is not revisited soon.
                    cc.finish_pageblock = true;
                    if cc.order == PAGEBLOCK_ORDER as i8 {
                        last_migrated_pfn = 0;
                    }
                    continue;
                }
                break;
            }
            if contended {
                ret = CompactResult::Contended;
                break;
            }
            if let Some(c) = self.k.node.capture {
                if c.page.is_some() {
                    ret = CompactResult::Success;
                    break;
                }
            }
            // check_drain: (lru_add_drain_cpu_zone; this model has no LRU batches.)
            if cc.order > 0 && last_migrated_pfn != 0 {
                let block = 1u64 << cc.order;
                if last_migrated_pfn < cc.migrate_pfn & !(block - 1) {
                    last_migrated_pfn = 0;
                }
            }
        }
        if cc.nr_freepages > 0 {
            let high = self.release_free_list(cc);
            let high = pageblock_start(high);
            let c = &mut self.k.node.zones[zt.idx()].compact;
            if high > c.cached_free_pfn {
                c.cached_free_pfn = high;
            }
        }
        self.pr.stat.compact_migrate_scanned += cc.total_migrate_scanned;
        self.pr.stat.compact_free_scanned += cc.total_free_scanned;
        let (migrate_pfn, free_pfn) = (Pfn(cc.migrate_pfn), Pfn(cc.free_pfn));
        self.k.trace.push(|| CompactionEvent::End {
            zone: zt,
            zone_start: Pfn(start),
            migrate_pfn,
            free_pfn,
            zone_end: Pfn(end),
            mode,
            status: ret,
        });
        ret
    }

    /// `compact_nodes` (`echo 1 > /proc/sys/vm/compact_memory`): every populated zone,
    /// `MIGRATE_SYNC`, the whole zone, skip hints ignored, until the scanners meet.
    /// Returns the pages migrated.
    pub fn compact_nodes(&mut self) -> u64 {
        let mut moved = 0;
        for zt in ZoneType::ALL {
            if !self.k.node.zone(zt).populated() {
                continue;
            }
            let mut cc = CompactControl::new(zt, -1, GfpFlags(GFP_KERNEL), MigrateMode::Sync);
            cc.ignore_skip_hint = true;
            cc.whole_zone = true;
            self.compact_zone(&mut cc, Watermark::Min);
            moved += cc.nr_migrated;
        }
        moved
    }
}
