//! The page allocator's entry points (`mm/page_alloc.c: __alloc_pages`,
//! `get_page_from_freelist`, `__alloc_pages_slowpath`, `rmqueue`, `__free_pages`).

use super::events::PageAllocEvent;
use super::free::Fpi;
use super::memmap::PageUse;
use super::node::Node;
use super::pcp::pcp_allowed_order;
use super::rmqueue::AllocFlags;
use crate::event::Trace;
use crate::vocab::gfp::{
    GfpFlags, __GFP_DIRECT_RECLAIM, __GFP_HIGH, __GFP_KSWAPD_RECLAIM, __GFP_NOMEMALLOC,
};
use crate::vocab::MigrateType;
use crate::vocab::Pfn;
use crate::vocab::{Watermark, ZoneType, MAX_NR_ZONES};

/// One allocation request, its GFP flags already read (`struct alloc_context`).
#[derive(Clone, Copy, Debug)]
pub struct AllocRequest {
    /// The order.
    pub order: u8,
    /// The GFP flags.
    pub gfp: GfpFlags,
    /// `gfp_zone(gfp)`.
    pub highest: ZoneType,
    /// `gfp_migratetype(gfp)`.
    pub migratetype: MigrateType,
    /// What the pages will be.
    pub usage: PageUse,
}

/// A zonelist: the populated zones from the highest an allocation may use down to
/// DMA (`build_zonerefs_node`), built once at boot.
#[derive(Clone, Copy, Debug)]
pub struct ZoneList {
    zones: [ZoneType; MAX_NR_ZONES],
    len: usize,
    /// `alloc_flags_nofragment`: the preferred zone is Normal and DMA32 is below it.
    nofragment: bool,
}

impl Default for ZoneList {
    fn default() -> ZoneList {
        ZoneList {
            zones: [ZoneType::Dma; MAX_NR_ZONES],
            len: 0,
            nofragment: false,
        }
    }
}

impl ZoneList {
    /// The zones, preferred first.
    pub fn zones(&self) -> &[ZoneType] {
        &self.zones[..self.len.min(MAX_NR_ZONES)]
    }
}

impl Node {
    /// Builds the zonelist for every highest zone (`build_zonelists`).
    pub fn build_zonelists(&mut self) {
        self.zonelists = std::array::from_fn(|highest| {
            let mut zones = [ZoneType::Dma; MAX_NR_ZONES];
            let mut len = 0;
            for zt in ZoneType::ALL[..=highest].iter().rev() {
                if self.zone(*zt).populated() {
                    zones[len] = *zt;
                    len += 1;
                }
            }
            let nofragment =
                len > 0 && zones[0] == ZoneType::Normal && self.zone(ZoneType::Dma32).populated();
            ZoneList {
                zones,
                len,
                nofragment,
            }
        });
    }

    /// `__alloc_pages`: the fast path at the low watermark, then the slow path at the
    /// min watermark (with `__GFP_HIGH` and atomic discounts). What else the kernel's
    /// slow path does (kswapd, reclaim, the OOM killer) belongs to the layer above
    /// ([`crate::vmscan::slowpath`]), which calls the pieces below itself; a request
    /// that fails both here returns `None`.
    pub fn alloc_pages(&mut self, req: AllocRequest, trace: &mut Trace) -> Option<(ZoneType, Pfn)> {
        if let Some(r) = self.alloc_fast(req, trace) {
            return Some(r);
        }
        trace.push(|| PageAllocEvent::SlowPath { gfp: req.gfp });
        if let Some(r) = self.alloc_min(req, trace) {
            return Some(r);
        }
        self.alloc_failed(req, trace);
        None
    }

    /// `__alloc_pages`' first try: `get_page_from_freelist` at the low watermark
    /// (`ALLOC_WMARK_LOW`, with `ALLOC_NOFRAGMENT` when DMA32 lies below Normal).
    pub fn alloc_fast(&mut self, req: AllocRequest, trace: &mut Trace) -> Option<(ZoneType, Pfn)> {
        let AllocRequest {
            order,
            gfp,
            highest,
            migratetype: mt,
            usage,
        } = req;
        trace.push(|| PageAllocEvent::AllocStart {
            order,
            gfp,
            highest_zone: highest,
            migratetype: mt,
        });
        let zl = self.zonelists[highest.idx()];
        let fast = AllocFlags {
            wmark: Some(Watermark::Low),
            nofragment: zl.nofragment,
            kswapd: gfp.has(__GFP_KSWAPD_RECLAIM),
            ..Default::default()
        };
        let r = self.get_page_from_freelist(zl.zones(), order, highest, mt, fast, trace)?;
        Some(self.prep_new_page(r, order, usage, trace))
    }

    /// The slow path's `get_page_from_freelist` with `gfp_to_alloc_flags`: the min
    /// watermark, less half for `__GFP_HIGH` and a further quarter when the caller
    /// cannot sleep.
    pub fn alloc_min(&mut self, req: AllocRequest, trace: &mut Trace) -> Option<(ZoneType, Pfn)> {
        let AllocRequest {
            order,
            gfp,
            highest,
            migratetype: mt,
            usage,
        } = req;
        let slow = AllocFlags {
            wmark: Some(Watermark::Min),
            nofragment: false,
            min_reserve: gfp.has(__GFP_HIGH),
            non_block: !gfp.has(__GFP_DIRECT_RECLAIM) && !gfp.has(__GFP_NOMEMALLOC),
            kswapd: gfp.has(__GFP_KSWAPD_RECLAIM),
            highatomic: order > 0
                && !gfp.has(__GFP_DIRECT_RECLAIM)
                && !gfp.has(__GFP_NOMEMALLOC)
                && gfp.has(__GFP_HIGH),
        };
        let zl = self.zonelists[highest.idx()];
        let r = self.get_page_from_freelist(zl.zones(), order, highest, mt, slow, trace)?;
        Some(self.prep_new_page(r, order, usage, trace))
    }

    /// `__alloc_pages_may_oom`'s last try: `get_page_from_freelist` at the high
    /// watermark, to catch a parallel OOM kill's freed memory before killing again.
    pub fn alloc_high(&mut self, req: AllocRequest, trace: &mut Trace) -> Option<(ZoneType, Pfn)> {
        let flags = AllocFlags {
            wmark: Some(Watermark::High),
            ..Default::default()
        };
        let zl = self.zonelists[req.highest.idx()];
        let r = self.get_page_from_freelist(
            zl.zones(),
            req.order,
            req.highest,
            req.migratetype,
            flags,
            trace,
        )?;
        Some(self.prep_new_page(r, req.order, req.usage, trace))
    }

    /// `nopage:` the request failed.
    pub fn alloc_failed(&mut self, req: AllocRequest, trace: &mut Trace) {
        let AllocRequest { order, gfp, .. } = req;
        trace.push(|| PageAllocEvent::AllocFailed { order, gfp });
    }

    /// `__zone_watermark_ok` with a free count of the caller's (`should_reclaim_retry`
    /// asks whether free plus reclaimable pages would pass the min mark).
    pub fn watermark_ok_with(
        &self,
        zt: ZoneType,
        order: u8,
        mark: u64,
        highest: ZoneType,
        free: u64,
    ) -> bool {
        let z = self.zone(zt);
        let free = free.saturating_sub((1u64 << order) - 1);
        let required = mark + z.lowmem_reserve[highest.idx()];
        if free <= required {
            return false;
        }
        if order == 0 {
            return true;
        }
        let any: u16 = z.nonempty[..crate::vocab::migrate::MIGRATE_PCPTYPES]
            .iter()
            .fold(0, |a, b| a | b);
        any >> order != 0
    }

    /// The zones an allocation for `highest` may use, preferred first.
    pub fn zonelist(&self, highest: ZoneType) -> ZoneList {
        self.zonelists[highest.idx()]
    }

    /// `prep_new_page`: mark the block allocated.
    pub(crate) fn prep_new_page(
        &mut self,
        (zt, pfn): (ZoneType, Pfn),
        order: u8,
        usage: PageUse,
        trace: &mut Trace,
    ) -> (ZoneType, Pfn) {
        self.mem.set_head(pfn, order, usage);
        // PGALLOC for the supplying zone, and zone_statistics' NUMA_HIT.
        self.stats.pgalloc[zt.idx()] += 1u64 << order;
        self.stats.numa_hit[zt.idx()] += 1;
        trace.push(|| PageAllocEvent::Allocated {
            zone: zt,
            pfn,
            order,
            usage,
        });
        (zt, pfn)
    }

    /// `get_page_from_freelist`: walk the zonelist, skip zones below the watermark,
    /// take from the first that can serve; with `ALLOC_NOFRAGMENT` set and nothing
    /// found, walk it again without.
    fn get_page_from_freelist(
        &mut self,
        zonelist: &[ZoneType],
        order: u8,
        highest: ZoneType,
        mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<(ZoneType, Pfn)> {
        let mut flags = flags;
        loop {
            let mark_kind = flags.wmark.unwrap_or(Watermark::Min);
            for &zt in zonelist {
                // Above the high mark the zone is taken at once; below it, it is
                // flagged ZONE_BELOW_HIGH (the per-CPU lists then shrink) and checked
                // against the allocation's own mark, until a free brings it back.
                if !self.zone(zt).below_high {
                    let high = self.zone(zt).wmark_pages(Watermark::High);
                    let (ok, free, required) =
                        self.zone_watermark_ok(zt, order, high, highest, flags);
                    trace.push(|| PageAllocEvent::WatermarkCheck {
                        zone: zt,
                        order,
                        mark: Watermark::High,
                        free,
                        required,
                        ok,
                        no_block: !ok && free > required,
                    });
                    if ok {
                        if let Some(pfn) = self.rmqueue_zone(zt, order, mt, flags, trace) {
                            return Some(self.got_page(zt, pfn, order, flags, trace));
                        }
                        continue;
                    }
                    self.zones[zt.idx()].below_high = true;
                }
                let mark = self.zone(zt).wmark_pages(mark_kind);
                let (ok, free, required) = self.zone_watermark_ok(zt, order, mark, highest, flags);
                trace.push(|| PageAllocEvent::WatermarkCheck {
                    zone: zt,
                    order,
                    mark: mark_kind,
                    free,
                    required,
                    ok,
                    no_block: !ok && free > required,
                });
                if !ok {
                    continue;
                }
                if let Some(pfn) = self.rmqueue_zone(zt, order, mt, flags, trace) {
                    return Some(self.got_page(zt, pfn, order, flags, trace));
                }
            }
            if flags.nofragment {
                flags.nofragment = false;
                trace.push(|| PageAllocEvent::NoFragmentRetry {});
                continue;
            }
            return None;
        }
    }

    /// `rmqueue`: the per-CPU lists for small orders when pcp is on, else the buddy
    /// lists under the zone lock (`rmqueue_buddy`).
    fn rmqueue_zone(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        if self.pcp.is_some() && pcp_allowed_order(order) {
            if let Some(p) = self.rmqueue_pcplist(zt, order, mt, flags, trace) {
                return Some(p);
            }
        }
        // rmqueue_buddy: a high-order atomic request tries the highatomic reserve
        // first; a request that cannot block may fall back to it, as failing now is
        // worse than failing a high-order atomic allocation later.
        let ha = MigrateType::HighAtomic;
        if flags.highatomic {
            if let Some(p) = self.rmqueue_smallest(zt, order, ha, trace) {
                return Some(p);
            }
        }
        self.rmqueue(zt, order, mt, flags, trace).or_else(|| {
            flags
                .non_block
                .then(|| self.rmqueue_smallest(zt, order, ha, trace))
                .flatten()
        })
    }

    /// `get_page_from_freelist`'s success: an `ALLOC_HIGHATOMIC` request reserves its
    /// pageblock for the next ones.
    fn got_page(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> (ZoneType, Pfn) {
        if flags.highatomic {
            self.reserve_highatomic_pageblock(zt, pfn, order, trace);
        }
        (zt, pfn)
    }

    /// `__free_pages`: give back an allocated block (the caller has checked that
    /// `pfn` heads a block of `order`); small blocks go to the per-CPU list when pcp
    /// is on.
    pub fn free_pages(&mut self, zt: ZoneType, pfn: Pfn, order: u8, trace: &mut Trace) {
        trace.push(|| PageAllocEvent::FreeStart {
            zone: zt,
            pfn,
            order,
        });
        self.mem.clear_flags(pfn);
        self.stats.pgfree += 1u64 << order;
        if self.pcp.is_some() && pcp_allowed_order(order) {
            self.free_to_pcp(zt, pfn, order, trace);
        } else {
            self.free_one_page(zt, pfn, order, Fpi::None, trace);
        }
    }
}
