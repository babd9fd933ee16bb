//! The allocation slow path above the page allocator (`mm/page_alloc.c:
//! __alloc_pages_slowpath`, `__alloc_pages_direct_reclaim`, `should_reclaim_retry`,
//! `__alloc_pages_may_oom`): wake kswapd, try the min watermark, reclaim directly,
//! retry while reclaim could still help, then call the OOM killer, whose kill lets
//! the loop go on. An order-0..3 request without `__GFP_NORETRY` or
//! `__GFP_RETRY_MAYFAIL` is "too small to fail": it loops until it gets its page,
//! a kill, or a reason the OOM killer must be skipped.

pub use super::error::SlowPathError;
use super::events::VmscanEvent;
use super::lru::LruList;
use super::{MAX_RECLAIM_RETRIES, PAGE_ALLOC_COSTLY_ORDER};
use crate::compaction::direct::gfp_compaction_allowed;
use crate::compaction::events::CompactResult;
use crate::compaction::prio;
use crate::page_alloc::alloc::AllocRequest;
use crate::page_alloc::error::PageAllocError;
use crate::page_alloc::memmap::PageUse;
use crate::vm::Vm;
use crate::vocab::gfp::{
    __GFP_DIRECT_RECLAIM, __GFP_FS, __GFP_KSWAPD_RECLAIM, __GFP_NOFAIL, __GFP_NORETRY,
    __GFP_NOWARN, __GFP_RETRY_MAYFAIL, __GFP_THISNODE,
};
use crate::vocab::{GfpFlags, MigrateType, Pfn, Watermark, ZoneType};

/// `panic()`'s message when the OOM killer has nothing to kill.
pub const PANIC_OOM: &str = "System is deadlocked on memory";

/// Upper bound on slow-path rounds: each round either reclaims, kills a task or
/// counts towards `MAX_RECLAIM_RETRIES`, so this is never reached in practice; it
/// keeps a bug from spinning forever.
const MAX_ROUNDS: u32 = 4096;

/// What `__alloc_pages_may_oom` did.
enum MayOom {
    /// The last try at the high watermark found a page.
    Page(ZoneType, Pfn),
    /// A process was killed: retry.
    Killed(u32),
    /// The OOM killer was skipped for this request.
    Skipped,
}

impl Vm<'_> {
    /// `__alloc_pages` with the whole slow path, for an allocation made on behalf of
    /// `current` (a pid, or None for the shell's own `alloc_pages`).
    pub fn alloc_pages_slowpath(
        &mut self,
        order: u8,
        gfp: GfpFlags,
        usage: PageUse,
        current: Option<u32>,
    ) -> Result<(ZoneType, Pfn), SlowPathError> {
        self.alloc_pages_reclaim(order, gfp, usage, current, true, false)
    }

    /// The slow path for the kernel's own pages in the middle of building a
    /// process's structures (page tables, kernel stacks): kswapd and direct reclaim as
    /// for any request, but where the kernel would call the OOM killer this fails
    /// (killing a task while its structures are half copied is not modelled).
    pub fn alloc_pages_no_oom(
        &mut self,
        gfp: GfpFlags,
        usage: PageUse,
    ) -> Result<(ZoneType, Pfn), SlowPathError> {
        self.alloc_pages_reclaim(0, gfp, usage, None, false, false)
    }

    /// Runs a SLUB operation with the allocation slow path behind its page
    /// allocations, as the kernel's `allocate_slab` and `kmalloc_large` call
    /// `alloc_pages`: SLUB allocates from the fast path; if that fails, the operation
    /// fails with SLUB unchanged, the slow path (after the fast path: kswapd, the min
    /// watermark, direct reclaim, and the OOM killer if `may_oom`) gets the page, and
    /// the operation runs again and takes that page ([`crate::kernel::Kernel::defer_failures`]).
    /// The operation is unwound first because reclaim and the OOM killer free slab
    /// objects of their own. `current` is the task allocating, if any.
    pub(crate) fn slab_with_reclaim<T>(
        &mut self,
        current: Option<u32>,
        may_oom: bool,
        mut op: impl FnMut(
            &mut crate::slub::Slub,
            &mut crate::kernel::Kernel,
        ) -> Result<T, crate::slub::error::SlabError>,
    ) -> Result<T, crate::vm::error::VmError> {
        use crate::vm::error::VmError;
        // Twice at most: the retry's allocation is served by the handoff.
        for _ in 0..2 {
            self.k.defer_failures(true);
            let r = op(self.slub, self.k);
            self.k.defer_failures(false);
            let deferred = self.k.deferred.take();
            if let Some((order, _, pfn)) = self.k.handoff.take() {
                // Not taken (the retry failed otherwise): give the page back.
                self.k.free_pages(pfn, order);
            }
            let (Err(e), Some((order, gfp, usage))) = (&r, deferred) else {
                return r.map_err(VmError::from);
            };
            if !matches!(
                e,
                crate::slub::error::SlabError::PageAlloc(PageAllocError::AllocFailure { .. })
            ) {
                return r.map_err(VmError::from);
            }
            match self.alloc_pages_reclaim(order, gfp, usage, current, may_oom, true) {
                Ok((zone, pfn)) => self.k.handoff = Some((order, zone, pfn)),
                Err(SlowPathError::Alloc(e)) => return Err(VmError::Slab(e.into())),
                Err(SlowPathError::Killed(pid)) => return Err(VmError::Killed(pid)),
                Err(SlowPathError::Panic) | Err(SlowPathError::Gone) => return Err(VmError::Panic),
            }
        }
        Err(VmError::Slab(crate::slub::error::SlabError::Internal(
            "the slow path's page was not taken",
        )))
    }

    fn alloc_pages_reclaim(
        &mut self,
        order: u8,
        gfp: GfpFlags,
        usage: PageUse,
        current: Option<u32>,
        may_oom: bool,
        fast_done: bool,
    ) -> Result<(ZoneType, Pfn), SlowPathError> {
        if self.pr.panicked.is_some() {
            return Err(SlowPathError::Panic);
        }
        if order > crate::vocab::MAX_PAGE_ORDER {
            return Err(SlowPathError::Alloc(PageAllocError::OrderTooLarge(order)));
        }
        let req = AllocRequest {
            order,
            gfp,
            highest: gfp.zone().map_err(|e| SlowPathError::Alloc(e.into()))?,
            migratetype: gfp
                .migratetype()
                .map_err(|e| SlowPathError::Alloc(e.into()))?,
            usage,
        };
        if !fast_done {
            if let Some(r) = self.k.node.alloc_fast(req, &mut self.k.trace) {
                return Ok(self.allocated(r, order));
            }
        }
        self.k
            .trace
            .push(|| crate::page_alloc::events::PageAllocEvent::SlowPath { gfp });
        if gfp.has(__GFP_KSWAPD_RECLAIM) {
            self.wake_all_kswapds(order, req.highest, gfp);
        }
        if let Some(r) = self.k.node.alloc_min(req, &mut self.k.trace) {
            return Ok(self.allocated(r, order));
        }
        let costly = order > PAGE_ALLOC_COSTLY_ORDER;
        let can_compact = gfp_compaction_allowed(gfp);
        let mut compact_result = CompactResult::Skipped;
        let mut compact_priority = prio::SYNC_LIGHT;
        let mut compaction_retries = 0u32;
        // Costly orders (and small unmovable ones) compact before reclaiming:
        // reclaim frees pages anywhere, compaction makes them contiguous.
        if gfp.has(__GFP_DIRECT_RECLAIM)
            && can_compact
            && (costly || (order > 0 && req.migratetype != MigrateType::Movable))
        {
            if let Some(r) = self.alloc_pages_direct_compact(req, prio::ASYNC, &mut compact_result)
            {
                return Ok(self.allocated(r, order));
            }
            if costly && gfp.has(__GFP_NORETRY) {
                if matches!(
                    compact_result,
                    CompactResult::Skipped | CompactResult::Deferred
                ) {
                    return Err(self.nopage(req));
                }
                compact_priority = prio::ASYNC;
            }
        }
        let mut no_progress_loops = 0u32;
        for round in 0..MAX_ROUNDS {
            // retry:
            if round > 0 {
                if gfp.has(__GFP_KSWAPD_RECLAIM) {
                    self.wake_all_kswapds(order, req.highest, gfp);
                }
                if let Some(r) = self.k.node.alloc_min(req, &mut self.k.trace) {
                    return Ok(self.allocated(r, order));
                }
            }
            if !gfp.has(__GFP_DIRECT_RECLAIM) {
                break;
            }
            // __alloc_pages_direct_reclaim.
            let progress = self.try_to_free_pages(order, gfp, req.highest);
            if progress > 0 {
                if let Some(r) = self.k.node.alloc_min(req, &mut self.k.trace) {
                    return Ok(self.allocated(r, order));
                }
                // Once more after giving back a highatomic pageblock (the last one
                // is kept) and draining the per-CPU lists.
                self.k
                    .node
                    .unreserve_highatomic_pageblock(req, false, &mut self.k.trace);
                self.k.drain_all_pages();
                if let Some(r) = self.k.node.alloc_min(req, &mut self.k.trace) {
                    return Ok(self.allocated(r, order));
                }
            }
            if let Some(r) =
                self.alloc_pages_direct_compact(req, compact_priority, &mut compact_result)
            {
                return Ok(self.allocated(r, order));
            }
            if gfp.has(__GFP_NORETRY) {
                break;
            }
            if costly && (!can_compact || !gfp.has(__GFP_RETRY_MAYFAIL)) {
                break;
            }
            if self.should_reclaim_retry(req, progress > 0, &mut no_progress_loops) {
                continue;
            }
            if progress > 0
                && can_compact
                && self.should_compact_retry(
                    req,
                    compact_result,
                    &mut compact_priority,
                    &mut compaction_retries,
                )
            {
                continue;
            }
            if !may_oom {
                break;
            }
            match self.alloc_pages_may_oom(req, current) {
                MayOom::Page(zt, pfn) => return Ok(self.allocated((zt, pfn), order)),
                MayOom::Killed(victim) if Some(victim) == current => {
                    return Err(SlowPathError::Killed(victim));
                }
                MayOom::Killed(_) => {
                    no_progress_loops = 0;
                    continue;
                }
                MayOom::Skipped => {}
            }
            if self.pr.panicked.is_some() {
                return Err(SlowPathError::Panic);
            }
            if gfp.has(__GFP_NOFAIL) {
                continue;
            }
            break;
        }
        if self.pr.panicked.is_some() {
            return Err(SlowPathError::Panic);
        }
        Err(self.nopage(req))
    }

    /// `nopage:`: the request fails, with `warn_alloc`'s report unless `__GFP_NOWARN`.
    fn nopage(&mut self, req: AllocRequest) -> SlowPathError {
        let AllocRequest { order, gfp, .. } = req;
        self.k.node.alloc_failed(req, &mut self.k.trace);
        let err = PageAllocError::AllocFailure { order, gfp };
        if !gfp.has(__GFP_NOWARN) && self.k.ratelimit(crate::kernel::Report::AllocFailure) {
            // warn_alloc: the report line, then warn_alloc_show_mem.
            self.k.warn_alloc_line(&err);
            self.show_mem(req.highest);
        }
        SlowPathError::Alloc(err)
    }

    /// Counts a page handed out towards kswapd's next turn.
    fn allocated(&mut self, r: (ZoneType, Pfn), order: u8) -> (ZoneType, Pfn) {
        self.pr.since_kswapd_turn += 1u64 << order;
        r
    }

    /// `zone_reclaimable_pages`: the zone's file LRU pages (and anon with swap; this
    /// model has no swap yet).
    pub(crate) fn zone_reclaimable_pages(&self, zt: ZoneType) -> u64 {
        let l = &self.pr.lru;
        l.zone_size(zt, LruList::InactiveFile) + l.zone_size(zt, LruList::ActiveFile)
    }

    /// `should_reclaim_retry`: a pass with progress (for orders up to 3) resets the
    /// count of passes without; after `MAX_RECLAIM_RETRIES` of those, stop; else retry
    /// if some zone's free plus reclaimable pages would pass its min watermark.
    fn should_reclaim_retry(
        &mut self,
        req: AllocRequest,
        progress: bool,
        no_progress_loops: &mut u32,
    ) -> bool {
        if progress && req.order <= PAGE_ALLOC_COSTLY_ORDER {
            *no_progress_loops = 0;
        } else {
            *no_progress_loops += 1;
        }
        if *no_progress_loops > MAX_RECLAIM_RETRIES {
            // Before the OOM killer, the highatomic reserve goes back entirely.
            return self
                .k
                .node
                .unreserve_highatomic_pageblock(req, true, &mut self.k.trace);
        }
        let zones = self.k.node.zonelist(req.highest);
        for &zt in zones.zones() {
            let reclaimable = self.zone_reclaimable_pages(zt);
            let z = self.k.node.zone(zt);
            let available = reclaimable + z.nr_free_pages;
            let min = z.wmark_pages(Watermark::Min);
            let retry = self
                .k
                .node
                .watermark_ok_with(zt, req.order, min, req.highest, available);
            let loops = *no_progress_loops;
            self.k.trace.push(|| VmscanEvent::ReclaimRetry {
                zone: zt,
                reclaimable,
                available,
                min,
                no_progress_loops: loops,
                retry,
            });
            if retry {
                return true;
            }
        }
        false
    }

    /// `__alloc_pages_may_oom`: one last try at the high watermark (someone else may
    /// have freed memory), then the OOM killer, unless the request must not invoke it:
    /// a costly order, `__GFP_RETRY_MAYFAIL` or `__GFP_THISNODE`, a request limited to
    /// DMA or DMA32 (`highest_zoneidx < ZONE_NORMAL`), or one without `__GFP_FS`
    /// (`out_of_memory` then reports progress without killing, so the caller fails).
    fn alloc_pages_may_oom(&mut self, req: AllocRequest, current: Option<u32>) -> MayOom {
        let AllocRequest { order, gfp, .. } = req;
        let hi = self.k.node.zonelist(req.highest);
        // get_page_from_freelist(ALLOC_WMARK_HIGH | ALLOC_CPUSET).
        let _ = hi;
        if let Some(r) = self.k.node.alloc_high(req, &mut self.k.trace) {
            return MayOom::Page(r.0, r.1);
        }
        let skip = if order > PAGE_ALLOC_COSTLY_ORDER {
            Some("order above PAGE_ALLOC_COSTLY_ORDER")
        } else if gfp.has(__GFP_RETRY_MAYFAIL) {
            Some("__GFP_RETRY_MAYFAIL")
        } else if gfp.has(__GFP_THISNODE) {
            Some("__GFP_THISNODE")
        } else if req.highest < ZoneType::Normal && self.k.node.zone(ZoneType::Normal).populated() {
            Some("the request may not use ZONE_NORMAL (lowmem is protected)")
        } else if !gfp.has(__GFP_FS) {
            Some("no __GFP_FS: out_of_memory leaves it to the caller")
        } else {
            None
        };
        self.k.trace.push(|| VmscanEvent::MayOom {
            order,
            gfp,
            skip: skip.map(Into::into),
        });
        if skip.is_some() {
            return MayOom::Skipped;
        }
        let pid = current.unwrap_or(0);
        match self.out_of_memory(pid, gfp, order as i8) {
            Some(victim) => MayOom::Killed(victim),
            None => {
                self.panic(PANIC_OOM);
                MayOom::Skipped
            }
        }
    }

    /// `panic()`: the kernel stops. The machine stays halted until `boot`.
    pub(crate) fn panic(&mut self, message: &str) {
        self.k
            .printk(format!("Kernel panic - not syncing: {message}"));
        self.k
            .printk("---[ end Kernel panic - not syncing: ".to_string() + message + " ]---");
        let message: Box<str> = message.into();
        self.k.trace.push(|| VmscanEvent::Panic { message });
        self.pr.panicked = Some(PANIC_OOM.to_string());
    }
}
