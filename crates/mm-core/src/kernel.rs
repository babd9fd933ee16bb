//! `Kernel`: what every subsystem above the page allocator reaches for, which the real
//! kernel keeps in globals: node 0's page allocator, the event trace, the kernel log,
//! the clock and the size of swap. SLUB and virtual memory take a `&mut Kernel`; they
//! never see the [`crate::Machine`] that owns them.

use crate::event::Trace;
use crate::page_alloc::alloc::AllocRequest;
use crate::page_alloc::error::{BadPage, PageAllocError};
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::node::Node;
use crate::page_alloc::show_mem::show_free_areas;
use crate::printk::Log;
use crate::ratelimit::RateLimit;
use crate::vocab::gfp::__GFP_NOWARN;
use crate::vocab::{GfpFlags, Pfn, ZoneType, MAX_PAGE_ORDER};

/// Milliseconds the simulated clock advances per command.
pub const TICK_MS: u64 = 10;

/// The kernel's shared services.
#[derive(Clone, Debug)]
pub struct Kernel {
    /// Node 0: zones, free lists, the page array.
    pub node: Node,
    /// The events of the command running now.
    pub trace: Trace,
    /// The kernel log (`dmesg`).
    pub log: Log,
    /// Commands run since boot: the simulated clock, [`TICK_MS`] each.
    pub ticks: u64,
    /// `total_swap_pages`.
    pub total_swap_pages: u64,
    /// The slow path's answer to a request the fast path could not meet, waiting for
    /// the retry of the operation that made it (see [`Kernel::defer_failures`]).
    pub(crate) handoff: Option<(u8, ZoneType, Pfn)>,
    /// Set by [`Kernel::defer_failures`]: a failed allocation is not final.
    defer: bool,
    /// The request that failed while failures were deferred: (order, gfp, use).
    pub(crate) deferred: Option<(u8, GfpFlags, PageUse)>,
    /// `warn_alloc`'s `nopage_rs`: one report per 10 s.
    nopage_rs: RateLimit,
    /// `oom_kill_process`'s `oom_rs`: ten OOM headers per 5 s
    /// (`DEFAULT_RATELIMIT_INTERVAL`, `DEFAULT_RATELIMIT_BURST`).
    oom_rs: RateLimit,
}

/// Which of the kernel's rate-limited reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// `warn_alloc`.
    AllocFailure,
    /// `dump_header` from `oom_kill_process`.
    OomHeader,
}

impl Kernel {
    /// A kernel over a booted node.
    pub fn new(node: Node, total_swap_pages: u64) -> Kernel {
        Kernel {
            node,
            trace: Trace::default(),
            log: Log::default(),
            ticks: 0,
            total_swap_pages,
            handoff: None,
            defer: false,
            deferred: None,
            nopage_rs: RateLimit::new("warn_alloc", 10_000, 1),
            oom_rs: RateLimit::new("oom_kill_process", 5_000, 10),
        }
    }

    /// `printk`: a line in the kernel log, stamped with the clock.
    pub fn printk(&mut self, line: impl AsRef<str>) {
        self.log.printk(self.ticks * TICK_MS, line.as_ref());
    }

    /// The simulated clock, in milliseconds since boot.
    pub fn now_ms(&self) -> u64 {
        self.ticks * TICK_MS
    }

    /// `totalram_pages`.
    pub fn totalram_pages(&self) -> u64 {
        self.node.totalram_pages()
    }

    /// `alloc_pages(gfp, order)` for a page of the given use. On failure the kernel's
    /// `warn_alloc` report goes to the log (unless `__GFP_NOWARN`).
    pub fn alloc_pages(
        &mut self,
        order: u8,
        gfp: GfpFlags,
        usage: PageUse,
    ) -> Result<(ZoneType, Pfn), PageAllocError> {
        self.alloc_pages_warn(order, gfp, usage, !gfp.has(__GFP_NOWARN))
    }

    /// While `on`, an allocation the buddy allocator's fast path (the low watermark)
    /// cannot meet fails at once, without its `warn_alloc` report, and is recorded in
    /// `deferred`: the layer above
    /// (`Vm::slab_with_reclaim`) unwinds the operation, runs the allocation slow path
    /// with reclaim, and retries; the retry's allocation of that order takes the page
    /// the slow path got (`handoff`). This is how SLUB, a layer below reclaim, gets
    /// its pages through `__alloc_pages_slowpath` as the kernel's `allocate_slab` does.
    pub(crate) fn defer_failures(&mut self, on: bool) {
        self.defer = on;
        if on {
            self.deferred = None;
        }
    }

    fn alloc_pages_warn(
        &mut self,
        order: u8,
        gfp: GfpFlags,
        usage: PageUse,
        warn: bool,
    ) -> Result<(ZoneType, Pfn), PageAllocError> {
        if order > MAX_PAGE_ORDER {
            return Err(PageAllocError::OrderTooLarge(order));
        }
        if let Some((o, zone, pfn)) = self.handoff {
            if o == order {
                self.handoff = None;
                return Ok((zone, pfn));
            }
        }
        let req = AllocRequest {
            order,
            gfp,
            highest: gfp.zone()?,
            migratetype: gfp.migratetype()?,
            usage,
        };
        if self.defer {
            // Only the fast path here: the slow path follows in the layer above.
            let r = self.node.alloc_fast(req, &mut self.trace);
            if r.is_none() {
                self.deferred = Some((order, gfp, usage));
            }
            return r.ok_or(PageAllocError::AllocFailure { order, gfp });
        }
        match self.node.alloc_pages(req, &mut self.trace) {
            Some(r) => Ok(r),
            None => {
                let err = PageAllocError::AllocFailure { order, gfp };
                if warn {
                    self.warn_alloc(&err);
                }
                Err(err)
            }
        }
    }

    /// `warn_alloc`: the report line, then `show_free_areas`' per-zone summary.
    /// Below reclaim (boot, the page allocator's own commands) only the page
    /// allocator's part of Mem-Info is known; the slow path prints the whole of
    /// `__show_mem` (`Vm::show_mem`).
    pub(crate) fn warn_alloc(&mut self, err: &PageAllocError) {
        if !self.ratelimit(Report::AllocFailure) {
            return;
        }
        self.warn_alloc_line(err);
        self.printk("Mem-Info:");
        for l in show_free_areas(&self.node) {
            self.printk(l);
        }
    }

    /// `__ratelimit` for one of the kernel's reports: whether to print it now (after
    /// the "callbacks suppressed" line, when a new interval opens after misses).
    pub(crate) fn ratelimit(&mut self, report: Report) -> bool {
        let now = self.now_ms();
        let rs = match report {
            Report::AllocFailure => &mut self.nopage_rs,
            Report::OomHeader => &mut self.oom_rs,
        };
        let (ok, note) = rs.check(now);
        if let Some(n) = note {
            self.printk(n);
        }
        ok
    }

    /// `warn_alloc`'s first line: `COMM: page allocation failure: order:N, mode:...`.
    pub(crate) fn warn_alloc_line(&mut self, err: &PageAllocError) {
        self.printk(format!(
            "mmsim: {err}, nodemask=(null),cpuset=/,mems_allowed=0"
        ));
    }

    /// Frees a block its owner allocated (a slab, a page table, a user page, a stack):
    /// `__free_pages` in the block's own zone.
    pub fn free_pages(&mut self, pfn: Pfn, order: u8) {
        if let Some(zt) = self.node.zone_of(pfn) {
            self.node.free_pages(zt, pfn, order, &mut self.trace);
        }
    }

    /// Frees one page its owner allocated.
    pub fn free_page(&mut self, pfn: u64) {
        self.free_pages(Pfn(pfn), 0);
    }

    /// The allocated block that contains `pfn`: (head, order).
    pub fn block_containing(&self, pfn: Pfn) -> Option<(Pfn, u8)> {
        let mem = &self.node.mem;
        if mem.valid(pfn) && mem.is_head(pfn) {
            return Some((pfn, mem.order(pfn)));
        }
        (1..=MAX_PAGE_ORDER).find_map(|o| {
            let head = Pfn(pfn.0 & !((1u64 << o) - 1));
            (mem.valid(head) && mem.is_head(head) && mem.order(head) >= o)
                .then(|| (head, mem.order(head)))
        })
    }

    /// `free_page_is_bad` for a `free_pages` call from outside the kernel: only the
    /// head of a block `alloc_pages` handed out, at its own order, may be freed.
    /// Returns the block (zone, head, order) or the complaint; nothing changes.
    pub fn check_free_pages(
        &self,
        pfn: Pfn,
        order: Option<u8>,
    ) -> Result<(ZoneType, Pfn, u8), PageAllocError> {
        let len = self.node.mem.len();
        if pfn.0 >= len {
            return Err(PageAllocError::BeyondLastPage {
                pfn,
                last: len.saturating_sub(1),
            });
        }
        let zt = self.node.zone_of(pfn).ok_or(PageAllocError::NoZone(pfn))?;
        let bad = |why| PageAllocError::BadPageState { pfn, why };
        // The usual case, in one read: the head of a block alloc_pages handed out.
        if let Some((block_order, PageUse::Kernel)) = self.node.mem.head_block(pfn) {
            let order = order.unwrap_or(block_order);
            if order == block_order {
                return Ok((zt, pfn, order));
            }
        }
        if let Some(why) = BadPage::of_use(self.node.mem.usage(pfn)) {
            return Err(bad(why));
        }
        let (head, block_order) = self.block_containing(pfn).ok_or(bad(BadPage::NotInBlock))?;
        if head != pfn {
            return Err(bad(BadPage::TailPage {
                head,
                order: block_order,
            }));
        }
        let order = order.unwrap_or(block_order);
        if order != block_order {
            return Err(bad(BadPage::WrongOrder {
                allocated: block_order,
                freed: order,
            }));
        }
        Ok((zt, pfn, order))
    }

    /// `__free_pages` from outside the kernel (the `free_pages` command): refused,
    /// with the kernel's `Bad page state` complaint in the log, unless `pfn` heads a
    /// block `alloc_pages` handed out; freed otherwise.
    pub fn free_pages_checked(
        &mut self,
        pfn: Pfn,
        order: Option<u8>,
    ) -> Result<(ZoneType, Pfn, u8), PageAllocError> {
        let (zt, pfn, order) = self.check_free_pages(pfn, order).inspect_err(|e| {
            if matches!(e, PageAllocError::BadPageState { .. }) {
                self.printk(e.to_string());
            }
        })?;
        self.node.free_pages(zt, pfn, order, &mut self.trace);
        Ok((zt, pfn, order))
    }

    /// `drain_all_pages`: every per-CPU list gives its pages back to the buddy
    /// allocator (nothing to do with pcp off).
    pub fn drain_all_pages(&mut self) {
        let Some(pcps) = &self.node.pcp else { return };
        let counts: Vec<u64> = pcps.iter().map(|p| p.count).collect();
        for (i, count) in counts.into_iter().enumerate() {
            if let Some(zt) = ZoneType::from_idx(i) {
                self.node.free_pcppages_bulk(zt, count, 0, &mut self.trace);
            }
        }
    }
}
