//! Direct compaction: the allocation slow path compacting for itself
//! (`mm/compaction.c: try_to_compact_pages`, `compact_zone_order`;
//! `mm/page_alloc.c: __alloc_pages_direct_compact`, `should_compact_retry`).
//!
//! The slow path tries it twice: early and asynchronous for costly orders (above 3,
//! where reclaim alone rarely makes a contiguous block) and for small unmovable
//! ones, then after direct reclaim at a stronger priority. Each zone of the
//! zonelist is compacted in turn until one has a block of the order; while a run
//! goes on, a block of exactly that order freed by a migration is captured for the
//! request. A zone whose run fails is deferred.

use super::events::{CompactResult, CompactionEvent, MigrateMode};
use super::{prio, CompactControl, MAX_COMPACT_RETRIES};
use crate::page_alloc::alloc::AllocRequest;
use crate::page_alloc::isolate::Capture;
use crate::vm::Vm;
use crate::vmscan::PAGE_ALLOC_COSTLY_ORDER;
use crate::vocab::gfp::__GFP_IO;
use crate::vocab::{GfpFlags, Pfn, Watermark, ZoneType};

/// `gfp_compaction_allowed`: compaction may do I/O (`__GFP_IO`).
pub fn gfp_compaction_allowed(gfp: GfpFlags) -> bool {
    gfp.has(__GFP_IO)
}

impl Vm<'_> {
    /// `compact_zone_order`: one direct run in `zt` with capture armed.
    fn compact_zone_order(
        &mut self,
        zt: ZoneType,
        req: AllocRequest,
        priority: u8,
    ) -> (CompactResult, Option<Pfn>) {
        let mode = if priority == prio::ASYNC {
            MigrateMode::Async
        } else {
            MigrateMode::SyncLight
        };
        let mut cc = CompactControl::new(zt, req.order as i8, req.gfp, mode);
        cc.migratetype = req.migratetype;
        cc.highest = req.highest;
        cc.direct = true;
        let full = priority == prio::SYNC_FULL;
        cc.whole_zone = full;
        cc.ignore_skip_hint = full;
        cc.ignore_block_suitable = full;
        self.k.node.capture = Some(Capture {
            zone: zt,
            order: req.order,
            migratetype: req.migratetype,
            page: None,
        });
        let mut ret = self.compact_zone(&mut cc, Watermark::Min);
        let captured = self.k.node.capture.take().and_then(|c| c.page);
        if captured.is_some() {
            ret = CompactResult::Success;
        }
        (ret, captured)
    }

    /// `try_to_compact_pages`: each zone the request may use, preferred first, until
    /// one succeeds; the largest result is returned, with the captured block if any.
    pub(crate) fn try_to_compact_pages(
        &mut self,
        req: AllocRequest,
        priority: u8,
    ) -> (CompactResult, Option<(ZoneType, Pfn)>) {
        if !gfp_compaction_allowed(req.gfp) {
            return (CompactResult::Skipped, None);
        }
        let (order, gfp) = (req.order, req.gfp);
        self.k.trace.push(|| CompactionEvent::TryToCompact {
            order,
            gfp,
            priority,
        });
        let mut rc = CompactResult::Skipped;
        let zones = self.k.node.zonelist(req.highest);
        for &zt in zones.zones() {
            if priority > prio::SYNC_FULL && self.compaction_deferred(zt, order) {
                rc = rc.max(CompactResult::Deferred);
                continue;
            }
            let (status, captured) = self.compact_zone_order(zt, req, priority);
            rc = rc.max(status);
            if status == CompactResult::Success {
                self.compaction_defer_reset(zt, order, false);
                return (rc, captured.map(|p| (zt, p)));
            }
            if priority != prio::ASYNC
                && matches!(
                    status,
                    CompactResult::Complete | CompactResult::PartialSkipped
                )
            {
                self.defer_compaction(zt, order);
            }
        }
        (rc, None)
    }

    /// `__alloc_pages_direct_compact`: compact, then take the captured block or try
    /// the free lists again; counts compact_stall and compact_success or
    /// compact_fail unless compaction was skipped.
    pub(crate) fn alloc_pages_direct_compact(
        &mut self,
        req: AllocRequest,
        priority: u8,
        result: &mut CompactResult,
    ) -> Option<(ZoneType, Pfn)> {
        if req.order == 0 {
            return None;
        }
        let (rc, captured) = self.try_to_compact_pages(req, priority);
        *result = rc;
        if rc == CompactResult::Skipped {
            return None;
        }
        self.pr.stat.compact_stall += 1;
        let page = match captured {
            Some((zt, pfn)) => Some(self.k.node.prep_new_page(
                (zt, pfn),
                req.order,
                req.usage,
                &mut self.k.trace,
            )),
            None => self.k.node.alloc_min(req, &mut self.k.trace),
        };
        match page {
            Some((zt, pfn)) => {
                self.k.node.zones[zt.idx()].compact.blockskip_flush = false;
                self.compaction_defer_reset(zt, req.order, true);
                self.pr.stat.compact_success += 1;
                Some((zt, pfn))
            }
            None => {
                self.pr.stat.compact_fail += 1;
                None
            }
        }
    }

    /// `should_compact_retry`: after reclaim made progress, is compacting again
    /// worth it? SKIPPED: only if some zone would be suitable with its reclaimable
    /// pages; SUCCESS (the page was then taken by someone else): up to 16 retries (4
    /// for costly orders); otherwise raise the priority while it can be raised.
    pub(crate) fn should_compact_retry(
        &mut self,
        req: AllocRequest,
        result: CompactResult,
        priority: &mut u8,
        retries: &mut u32,
    ) -> bool {
        let order = req.order;
        if order == 0 {
            return false;
        }
        if result == CompactResult::Skipped {
            return self.compaction_zonelist_suitable(req);
        }
        let costly = order > PAGE_ALLOC_COSTLY_ORDER;
        if result == CompactResult::Success {
            let max = if costly {
                MAX_COMPACT_RETRIES / 4
            } else {
                MAX_COMPACT_RETRIES
            };
            *retries += 1;
            if *retries <= max {
                return true;
            }
        }
        let min = if costly {
            prio::SYNC_LIGHT
        } else {
            prio::SYNC_FULL
        };
        if *priority > min {
            *priority -= 1;
            return true;
        }
        false
    }

    /// `compaction_zonelist_suitable`: free plus reclaimable/order pages would pass
    /// `__compaction_suitable` in some zone.
    fn compaction_zonelist_suitable(&mut self, req: AllocRequest) -> bool {
        let zones = self.k.node.zonelist(req.highest);
        zones.zones().iter().any(|&zt| {
            let available = self.zone_reclaimable_pages(zt) / u64::from(req.order)
                + self.k.node.zone(zt).nr_free_pages;
            let min = self.k.node.zone(zt).wmark_pages(Watermark::Min);
            self.compaction_suitable_free(zt, req.order, min, req.highest, available)
                .0
        })
    }
}
