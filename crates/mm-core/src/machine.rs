//! `Machine`: the simulated computer as a whole. It owns every subsystem's state,
//! boots them in the kernel's order, lends each subsystem the parts of the kernel it may
//! use, and answers the questions that span subsystems (MemAvailable, CommitLimit).
//! The command language ([`crate::shell`]) and the /proc registry ([`crate::procfs`])
//! sit on top of it.

use crate::boot::BootParams;
use crate::event::{Event, SysctlEvent};
use crate::kernel::Kernel;
use crate::page_alloc::calculate_min_free_kbytes;
use crate::page_alloc::error::PageAllocError;
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::mm_init::MemLayout;
use crate::page_alloc::node::Node;
use crate::page_alloc::pcp::PerCpuPages;
use crate::slub::cache::SlubParams;
use crate::slub::error::SlabError;
use crate::slub::Slub;
use crate::sysctl::{Effect, SysctlError, VmSysctl};
use crate::vm::error::VmError;
use crate::vm::mm::Task;
use crate::vm::{Vm, Vmm};
use crate::vocab::{GfpFlags, Pfn, Watermark, ZoneType, PAGE_SHIFT};

/// The shared zero page (`empty_zero_page`): a reserved page in the first megabyte,
/// standing in for the kernel image's `.bss` page.
pub const ZERO_PFN: u64 = 0xff;

/// The simulated kernel: one node's memory, SLUB, processes, the vm sysctls and the
/// kernel log.
///
/// ```
/// let mut m = mm_core::Machine::default();
/// let out = m.run("alloc_pages 3");
/// assert!(out.ok);
/// assert!(out.output.starts_with("pfn="));
/// ```
#[derive(Clone, Debug)]
pub struct Machine {
    pub(crate) params: BootParams,
    pub(crate) k: Kernel,
    pub(crate) slub: Slub,
    pub(crate) vmm: Vmm,
    pub(crate) sysctl: VmSysctl,
    pub(crate) pr: crate::vmscan::Pressure,
}

impl Default for Machine {
    fn default() -> Self {
        Machine::boot(BootParams::default())
    }
}

impl Machine {
    /// Boots a machine: zones and the buddy allocator's free lists
    /// (`memblock_free_all`), `init_per_zone_wmark_min`, the slab caches, init, and
    /// the overcommit reserves.
    pub fn boot(params: BootParams) -> Machine {
        let layout = MemLayout {
            mem: params.mem,
            dma_end: params.dma_end,
            dma32_end: params.dma32_end,
            reserve: &params.reserve,
        };
        let mut k = Kernel::new(Node::boot(&layout, &mut Default::default()), 0);
        // The swap file's first page is mkswap's header: `si->pages = max - 1`.
        k.total_swap_pages = (params.swap >> PAGE_SHIFT).saturating_sub(1);
        let sysctl = VmSysctl {
            min_free_kbytes: calculate_min_free_kbytes(k.node.nr_free_buffer_pages()),
            // swap_setup: a machine under 16 MiB reads ahead 4 pages, not 8.
            page_cluster: if k.totalram_pages() < (16 << 20) >> PAGE_SHIFT {
                2
            } else {
                3
            },
            ..VmSysctl::default()
        };
        k.node.setup_per_zone_wmarks(
            sysctl.min_free_kbytes,
            sysctl.watermark_scale_factor,
            &mut k.trace,
        );
        k.node
            .setup_per_zone_lowmem_reserve(sysctl.lowmem_reserve_ratio);
        if params.pcp {
            k.node.setup_pcp(u64::from(params.cpus));
        }
        let slub = Slub::new(SlubParams {
            min_objects: params.slub_min_objects,
            min_order: params.slub_min_order,
            max_order: params.slub_max_order,
            nr_cpus: params.cpus,
            la57: params.la57,
        });
        let vmm = Vmm::new(ZERO_PFN, params.la57);
        let params_swap = params.swap;
        let mut m = Machine {
            params,
            k,
            slub,
            vmm,
            sysctl,
            pr: crate::vmscan::Pressure {
                swap: (params_swap > 0)
                    .then(|| crate::vmscan::swapfile::SwapInfo::new(params_swap >> PAGE_SHIFT)),
                ..Default::default()
            },
        };
        m.boot_log();
        let (typical, mem) = (m.params.typical_caches, m.params.mem);
        if let Err(e) = m.slub.boot(&mut m.k, typical, mem) {
            m.k.printk(format!("SLUB: boot-time caches incomplete: {e}"));
        }
        if let Err(e) = m.vm().spawn("init", 0, 0) {
            m.k.printk(format!(
                "Kernel panic - not syncing: cannot start init: {e}"
            ));
        }
        // init_user_reserve / init_admin_reserve (subsys initcalls, after slab):
        // min(free/32, 128M) and min(free/32, 8M).
        let free_kb = m.k.node.nr_free_pages() << 2;
        m.sysctl.user_reserve_kbytes = (free_kb / 32).min(128 << 10);
        m.sysctl.admin_reserve_kbytes = (free_kb / 32).min(8 << 10);
        m
    }

    fn boot_log(&mut self) {
        let mem = self.params.mem;
        let k = &mut self.k;
        k.printk("Linux version 6.19.0-mmsim (mm-sandbox simulated kernel)");
        k.printk(format!(
            "BIOS-e820: [mem {:#018x}-{:#018x}] usable",
            0,
            mem - 1
        ));
        k.printk("Zone ranges:");
        for zt in [ZoneType::Dma, ZoneType::Dma32, ZoneType::Normal] {
            let z = k.node.zone(zt);
            let line = if z.spanned == 0 {
                format!("  {:<8} empty", zt.name())
            } else {
                format!(
                    "  {:<8} [mem {:#018x}-{:#018x}]",
                    zt.name(),
                    z.start_pfn << PAGE_SHIFT,
                    (z.end_pfn() << PAGE_SHIFT) - 1
                )
            };
            k.printk(line);
        }
        k.printk("Movable zone start for each node");
        k.printk("Early memory node ranges");
        k.printk(format!("  node   0: [mem {:#018x}-{:#018x}]", 0, mem - 1));
        let total = k.totalram_pages();
        k.printk(format!(
            "Built 1 zonelists, mobility grouping on.  Total pages: {total}"
        ));
        k.printk(format!("Memory: {}K/{}K available", total << 2, mem >> 10));
        if self.params.pcp {
            k.printk("per-cpu page lists (pcp) enabled");
        }
    }

    /// Virtual memory, lent the parts of the kernel it may use.
    pub(crate) fn vm(&mut self) -> Vm<'_> {
        Vm {
            k: &mut self.k,
            slub: &mut self.slub,
            vmm: &mut self.vmm,
            sysctl: &self.sysctl,
            pr: &mut self.pr,
        }
    }

    /// Bytes of model state per page of simulated RAM (the page array's fields).
    pub const PAGE_STATE_BYTES: usize = crate::page_alloc::memmap::MemMap::BYTES_PER_PAGE;

    /// About how many bytes of the sandbox's own memory this machine holds: the page
    /// array, a record per folio on the LRU (page cache and anonymous pages, about 64
    /// bytes each with the hash table's room), the page-table pages, and the swap
    /// area's used clusters. The app sizes its kept machines by it.
    pub fn heap_bytes(&self) -> u64 {
        let pages = self.k.node.mem.len() * Self::PAGE_STATE_BYTES as u64;
        let lru = self.pr.lru.len() as u64 * 64;
        let tables = self.vmm.tables.pages.len() as u64 * 4128;
        let swap = self.pr.swap.as_ref().map_or(0, |s| s.heap_bytes());
        pages + lru + tables + swap
    }

    /// The boot options this machine was booted with.
    pub fn params(&self) -> &BootParams {
        &self.params
    }

    /// The node: zones, free lists and the page array.
    pub(crate) fn node(&self) -> &Node {
        &self.k.node
    }

    /// Whether this machine uses 5-level paging.
    pub fn la57(&self) -> bool {
        self.vmm.la57
    }

    /// Processes, in pid order.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.vmm.tasks.values()
    }

    /// `totalpages` for a global OOM: RAM plus swap.
    pub fn oom_totalpages(&self) -> u64 {
        self.k.totalram_pages() + self.k.total_swap_pages
    }

    /// The vm sysctls.
    pub fn vm_sysctl(&self) -> &VmSysctl {
        &self.sysctl
    }

    /// The kernel log, oldest line first.
    pub fn dmesg(&self) -> impl Iterator<Item = &str> {
        self.k.log.lines()
    }

    /// Switches event recording on or off (off for speed in benchmarks).
    pub fn set_recording(&mut self, on: bool) {
        self.k.trace.enabled = on;
    }

    /// Sets how many steps a command keeps whole before the rest are counted
    /// ([`crate::limits::EVENTS_PER_COMMAND`] by default).
    pub fn set_event_budget(&mut self, budget: usize) {
        self.k.trace.set_budget(budget);
    }

    /// How many steps a command keeps whole.
    pub fn event_budget(&self) -> usize {
        self.k.trace.budget()
    }

    /// Whether events are recorded.
    pub fn recording(&self) -> bool {
        self.k.trace.enabled
    }

    /// Takes the events recorded since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.k.trace.take()
    }

    /// Advances the simulated clock by one command.
    pub(crate) fn tick(&mut self) {
        self.k.ticks += 1;
    }

    /// `alloc_pages(gfp, order)` for the kernel, as the `alloc_pages` command does.
    pub fn alloc_pages(
        &mut self,
        order: u8,
        gfp: GfpFlags,
    ) -> Result<(ZoneType, Pfn), PageAllocError> {
        self.k.alloc_pages(order, gfp, PageUse::Kernel)
    }

    /// `__free_pages` of a block [`Machine::alloc_pages`] returned, as the
    /// `free_pages` command does: anything else is refused and nothing changes.
    pub fn free_pages(
        &mut self,
        pfn: Pfn,
        order: Option<u8>,
    ) -> Result<(ZoneType, Pfn, u8), PageAllocError> {
        self.k.free_pages_checked(pfn, order)
    }

    /// `kmalloc(size, gfp)`: the object's address (new slabs through the slow path,
    /// as the `kmalloc` command's).
    pub fn kmalloc(&mut self, size: u64, gfp: GfpFlags) -> Result<u64, VmError> {
        self.vm()
            .slab_with_reclaim(None, true, |slub, k| slub.kmalloc(k, size, gfp))
            .map(|(a, _)| a)
    }

    /// `kfree(addr)`.
    pub fn kfree(&mut self, addr: u64) -> Result<(), SlabError> {
        self.slub.kfree(&mut self.k, addr).map(|_| ())
    }

    /// `drain_all_pages`: every per-CPU list gives its pages back to the buddy
    /// allocator (a no-op with pcp off).
    pub fn drain_all_pages(&mut self) {
        self.k.drain_all_pages();
    }

    /// Writes a vm sysctl by its short name and recomputes what depends on it
    /// (`min_free_kbytes` → `setup_per_zone_wmarks` and the per-CPU list sizes, ...).
    pub fn sysctl_write(&mut self, name: &str, value: &str) -> Result<(), SysctlError> {
        let effect = self.sysctl.set(name, value)?;
        let shown = self.sysctl.get(name).unwrap_or_default();
        self.k.trace.push(|| SysctlEvent::Sysctl {
            name: format!("vm.{name}").into(),
            value: shown.into(),
        });
        match effect {
            Effect::Watermarks => self.recompute_watermarks(),
            Effect::LowmemReserve => self
                .k
                .node
                .setup_per_zone_lowmem_reserve(self.sysctl.lowmem_reserve_ratio),
            Effect::DropCaches(v) => {
                if !self.pr.drop_caches_quiet {
                    self.k.printk(format!("mmsim (0): drop_caches: {v}"));
                }
                self.pr.drop_caches_quiet |= v & 4 != 0;
                self.vm().drop_caches(v);
            }
            Effect::CompactMemory => {
                self.vm().compact_nodes();
            }
            Effect::ProactiveTrigger => {
                self.pr.kcompactd.trigger = true;
            }
            Effect::WakeupFlusher => {
                self.vm().writeback(None, "periodic");
            }
            Effect::None => {}
        }
        self.k.node.boost_factor = self.sysctl.watermark_boost_factor;
        Ok(())
    }

    /// `setup_per_zone_wmarks` + `zone_pcp_update` after a tunable changed.
    fn recompute_watermarks(&mut self) {
        let node = &mut self.k.node;
        node.setup_per_zone_wmarks(
            self.sysctl.min_free_kbytes,
            self.sysctl.watermark_scale_factor,
            &mut self.k.trace,
        );
        let cpus = u64::from(self.params.cpus);
        if let Some(pcps) = node.pcp.as_mut() {
            for (pcp, z) in pcps.iter_mut().zip(node.zones.iter()) {
                let fresh = PerCpuPages::new(z.managed, z.watermark[Watermark::Low as usize], cpus);
                pcp.high_min = fresh.high_min;
                pcp.high_max = fresh.high_max;
                pcp.batch = fresh.batch;
            }
        }
    }

    /// `calculate_totalreserve_pages`: Σ min(managed, high + max lowmem_reserve).
    pub fn totalreserve_pages(&self) -> u64 {
        self.k.node.totalreserve_pages()
    }

    /// `si_mem_available` (mm/show_mem.c): free pages above the reserves
    /// (`totalreserve_pages`), plus the page cache and the reclaimable kernel memory
    /// (reclaimable slab, `NR_KERNEL_MISC_RECLAIMABLE`) that reclaim could free, each
    /// less what must stay: half of it, or the zones' summed low watermarks if smaller.
    /// The page cache is the file LRU; the model has no misc reclaimable memory.
    pub fn mem_available(&self) -> u64 {
        let free = self.k.node.nr_free_pages() as i64;
        let wmark_low: i64 = self
            .k
            .node
            .zones
            .iter()
            .map(|z| z.wmark_pages(Watermark::Low) as i64)
            .sum();
        let mut available = free - self.totalreserve_pages() as i64;
        let l = &self.pr.lru;
        let pagecache = (l.size(crate::vmscan::lru::LruList::ActiveFile, 3)
            + l.size(crate::vmscan::lru::LruList::InactiveFile, 3)) as i64;
        available += pagecache - (pagecache / 2).min(wmark_low);
        let (sreclaimable, _) = self.slub.pages();
        let reclaimable = sreclaimable as i64;
        available += reclaimable - (reclaimable / 2).min(wmark_low);
        available.max(0) as u64
    }

    /// `vm_commit_limit`.
    pub fn commit_limit(&self) -> u64 {
        crate::vm::overcommit::commit_limit(
            self.k.totalram_pages(),
            self.k.total_swap_pages,
            &self.sysctl,
        )
    }

    /// The kernel's own threads after an accepted command: the flusher submits what
    /// a writer or reclaim asked for, kswapd0 finishes its run, the disk completes the
    /// writes, then the clock's timers fire: kswapd0's nap ending, and the flusher's
    /// periodic pass every 5 s (see ARCHITECTURE.md, "Time and kernel threads").
    pub(crate) fn after_command(&mut self) {
        if self.pr.panicked.is_some() {
            return;
        }
        let mut vm = self.vm();
        vm.run_flusher_if_wanted();
        vm.kswapd_finish();
        vm.complete_writeback();
        let now = vm.k.now_ms();
        vm.kswapd_timer(now);
        vm.kcompactd_run(now);
        // The flusher's periodic wake-ups since the last command, on multiples of
        // dirty_writeback_centisecs (none while it is 0 or negative). At most
        // 360,000 of them (a 1 h sleep at 10 ms), each a look at at most 64 files.
        let period = u64::try_from(vm.sysctl.dirty_writeback_centisecs).unwrap_or(0) * 10;
        if let Some(done) = vm.pr.last_timer_ms.checked_div(period) {
            let mut mark = (done + 1) * period;
            while mark <= now {
                vm.periodic_writeback(mark);
                mark += period;
            }
        }
        vm.complete_writeback();
        vm.pr.last_timer_ms = now;
    }

    /// Checks every subsystem's consistency rules (run after every step in the tests).
    pub fn check_invariants(&self) -> Result<(), String> {
        crate::page_alloc::invariants::check(&self.k.node)?;
        crate::slub::invariants::check(&self.slub, &self.k.node)?;
        crate::vmscan::invariants::check(&self.pr, &self.k.node)?;
        crate::vm::invariants::check(&self.vmm, &self.k.node, &self.pr)
    }
}
