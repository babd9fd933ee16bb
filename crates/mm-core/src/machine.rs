//! `Machine`: the simulated kernel as a whole, and its typed kernel operations.

use crate::boot::BootParams;
use crate::event::{Event, Trace};
use crate::gfp::{GfpFlags, __GFP_NOWARN};
use crate::memmap::PageUse;
use crate::node::Node;
use crate::procfs::{self, Meminfo};
use crate::sysctl::{Effect, VmSysctl};
use crate::types::{Pfn, MAX_PAGE_ORDER, PAGE_SHIFT};
use crate::watermark::calculate_min_free_kbytes;
use crate::zone::{Watermark, ZoneType, MAX_NR_ZONES};

/// The simulated kernel: one node's memory, the vm sysctls and the kernel log.
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
    pub(crate) node: Node,
    pub(crate) vm: VmSysctl,
    dmesg: Vec<String>,
    /// The slab allocator.
    pub(crate) slub: crate::slub::Slub,
    /// Processes and their address spaces.
    pub(crate) vmm: crate::vm::Vmm,
    /// Commands run since boot; the simulated clock advances 10 ms per command.
    ticks: u64,
    pub(crate) trace: Trace,
}

/// The result of one command.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Whether the command did what it was asked.
    pub ok: bool,
    /// What it printed (a failure prints one line naming the command).
    pub output: String,
    /// Its micro-steps, in order.
    pub events: Vec<Event>,
}

impl Default for Machine {
    fn default() -> Self {
        Machine::boot(BootParams::default())
    }
}

impl Machine {
    /// Boots a machine: zones, the buddy allocator's free lists
    /// (`memblock_free_all`), then `init_per_zone_wmark_min`.
    pub fn boot(params: BootParams) -> Machine {
        let mut trace = Trace::default();
        let mut node = Node::boot(&params, &mut trace);
        let vm = VmSysctl {
            min_free_kbytes: calculate_min_free_kbytes(node.nr_free_buffer_pages()),
            ..VmSysctl::default()
        };
        node.setup_per_zone_wmarks(vm.min_free_kbytes, vm.watermark_scale_factor, &mut trace);
        node.setup_per_zone_lowmem_reserve(vm.lowmem_reserve_ratio);
        if params.pcp {
            node.setup_pcp(u64::from(params.cpus));
        }
        let slub = crate::slub::Slub {
            params: crate::slub::cache::SlubParams {
                min_objects: params.slub_min_objects,
                min_order: params.slub_min_order,
                max_order: params.slub_max_order,
                nr_cpus: params.cpus,
            },
            ..Default::default()
        };
        let typical = params.typical_caches;
        let vmm = crate::vm::Vmm {
            next_pid: 1,
            zero_pfn: ZERO_PFN,
            la57: params.la57,
            ..Default::default()
        };
        let mut m = Machine {
            params,
            node,
            vm,
            dmesg: Vec::new(),
            slub,
            vmm,
            ticks: 0,
            trace,
        };
        m.boot_log();
        if let Err(e) = m.slab_boot(typical) {
            m.log(format!("SLUB: boot-time caches incomplete: {e}"));
        }
        if let Err(e) = m.spawn("init", 0, 0) {
            m.log(format!(
                "Kernel panic - not syncing: cannot start init: {e}"
            ));
        }
        // init_user_reserve / init_admin_reserve (subsys initcalls, after slab):
        // min(free/32, 128M) and min(free/32, 8M).
        let free_kb = m.node.nr_free_pages() << 2;
        m.vm.user_reserve_kbytes = (free_kb / 32).min(128 << 10);
        m.vm.admin_reserve_kbytes = (free_kb / 32).min(8 << 10);
        m
    }

    fn boot_log(&mut self) {
        let mem = self.params.mem;
        self.log("Linux version 6.19.0-mmsim (mm-sandbox simulated kernel)".into());
        self.log(format!(
            "BIOS-e820: [mem {:#018x}-{:#018x}] usable",
            0,
            mem - 1
        ));
        self.log("Zone ranges:".into());
        for zt in [ZoneType::Dma, ZoneType::Dma32, ZoneType::Normal] {
            let z = self.node.zone(zt);
            if z.spanned == 0 {
                self.log(format!("  {:<8} empty", zt.name()));
            } else {
                self.log(format!(
                    "  {:<8} [mem {:#018x}-{:#018x}]",
                    zt.name(),
                    z.start_pfn << PAGE_SHIFT,
                    (z.end_pfn() << PAGE_SHIFT) - 1
                ));
            }
        }
        self.log("Movable zone start for each node".into());
        self.log("Early memory node ranges".into());
        self.log(format!("  node   0: [mem {:#018x}-{:#018x}]", 0, mem - 1));
        let total = self.node.totalram_pages();
        self.log(format!(
            "Built 1 zonelists, mobility grouping on.  Total pages: {total}"
        ));
        self.log(format!("Memory: {}K/{}K available", total << 2, mem >> 10));
        if self.params.pcp {
            self.log("per-cpu page lists (pcp) enabled".into());
        }
    }

    /// Appends a line to the kernel log, stamped with the simulated clock.
    pub(crate) fn log(&mut self, line: String) {
        let ms = self.ticks * 10;
        self.dmesg.push(format!(
            "[{:>5}.{:06}] {line}",
            ms / 1000,
            (ms % 1000) * 1000
        ));
    }

    /// Advances the simulated clock by one command.
    pub(crate) fn tick(&mut self) {
        self.ticks += 1;
    }

    /// The boot options this machine was booted with.
    pub fn params(&self) -> &BootParams {
        &self.params
    }

    /// The node: zones, free lists and the page array.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// Committed_AS in pages (`vm_committed_as`).
    pub fn committed_pages(&self) -> u64 {
        self.vmm.committed
    }

    /// The page-table pages, for drawing a process's table tree.
    pub fn page_tables(&self) -> &crate::vm::pgtable::Tables {
        &self.vmm.tables
    }

    /// Whether this machine uses 5-level paging.
    pub fn la57(&self) -> bool {
        self.vmm.la57
    }

    /// Processes, in pid order.
    pub fn tasks(&self) -> impl Iterator<Item = &crate::vm::mm::Task> {
        self.vmm.tasks.values()
    }

    /// The slab allocator's caches.
    pub fn slub(&self) -> &crate::slub::Slub {
        &self.slub
    }

    /// The vm sysctls.
    pub fn vm(&self) -> &VmSysctl {
        &self.vm
    }

    /// The kernel log, one line per entry.
    pub fn dmesg(&self) -> &[String] {
        &self.dmesg
    }

    /// Switches event recording on or off (off for speed in benchmarks).
    pub fn set_recording(&mut self, on: bool) {
        self.trace.enabled = on;
    }

    /// Whether events are recorded.
    pub fn recording(&self) -> bool {
        self.trace.enabled
    }

    /// Takes the events recorded since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.trace.take()
    }

    /// `alloc_pages(gfp, order)`: a block of `2^order` pages for the kernel.
    /// On failure the kernel's `warn_alloc` report goes to dmesg (unless
    /// `__GFP_NOWARN`) and the error is the report's first line.
    pub fn alloc_pages(&mut self, order: u8, gfp: GfpFlags) -> Result<(ZoneType, Pfn), String> {
        self.alloc_pages_for(order, gfp, PageUse::Kernel)
    }

    /// [`Machine::alloc_pages`] for a given use (slab, page table, user page).
    pub fn alloc_pages_for(
        &mut self,
        order: u8,
        gfp: GfpFlags,
        usage: PageUse,
    ) -> Result<(ZoneType, Pfn), String> {
        if order > MAX_PAGE_ORDER {
            return Err(format!(
                "order {order} is above MAX_PAGE_ORDER ({MAX_PAGE_ORDER}): the largest block is 4M"
            ));
        }
        gfp.zone().map_err(|e| e.0)?;
        gfp.migratetype().map_err(|e| e.0)?;
        match self.node.alloc_pages(order, gfp, usage, &mut self.trace) {
            Some(r) => Ok(r),
            None => {
                let msg = format!(
                    "page allocation failure: order:{order}, mode:{:#x}({gfp})",
                    gfp.0
                );
                if !gfp.has(__GFP_NOWARN) {
                    self.warn_alloc(&msg);
                }
                Err(msg)
            }
        }
    }

    /// `warn_alloc`: the report line, then `show_free_areas`' per-zone summary.
    fn warn_alloc(&mut self, msg: &str) {
        self.log(format!(
            "mmsim: {msg}, nodemask=(null),cpuset=/,mems_allowed=0"
        ));
        self.log("Mem-Info:".into());
        let lines: Vec<String> = self
            .node
            .populated()
            .map(|z| show_free_area(&self.node, z.ztype))
            .collect();
        for l in lines {
            self.log(l);
        }
    }

    /// Finds the allocated block that contains `pfn`: (head, order).
    pub(crate) fn block_containing(&self, pfn: Pfn) -> Option<(Pfn, u8)> {
        (0..=MAX_PAGE_ORDER).find_map(|o| {
            let head = Pfn(pfn.0 & !((1u64 << o) - 1));
            (self.node.mem.is_head(head) && self.node.mem.order(head) >= o)
                .then(|| (head, self.node.mem.order(head)))
        })
    }

    /// `__free_pages(page, order)` for a block `alloc_pages` returned. Refuses (and
    /// changes nothing but the log) a PFN that is not the head of an allocated kernel
    /// block of that order, as the kernel's `free_page_is_bad` would complain.
    pub fn free_pages(
        &mut self,
        pfn: Pfn,
        order: Option<u8>,
    ) -> Result<(ZoneType, Pfn, u8), String> {
        let max = self.node.mem.len();
        if pfn.0 >= max {
            return Err(format!(
                "pfn {pfn} is beyond the last page ({:#x})",
                max - 1
            ));
        }
        let Some(zt) = self.node.zone_of(pfn) else {
            return Err(format!("pfn {pfn} is in no zone"));
        };
        let bad = |why: String| {
            format!(
                "BUG: Bad page state in process mmsim  pfn:{:05x} ({why})",
                pfn.0
            )
        };
        let usage = self.node.mem.usage(pfn);
        // free_page_is_bad: the page's own state tells the caller's mistake apart.
        let complaint = match usage {
            PageUse::Kernel => None,
            PageUse::Reserved => {
                Some("page is reserved: it was never given to the buddy allocator")
            }
            PageUse::Free | PageUse::Pcp => Some("page is free: never allocated, or freed twice"),
            PageUse::Slab => Some("page belongs to a slab: free its objects with kfree"),
            PageUse::PageTable => {
                Some("page is a page table: it goes when its process unmaps or exits")
            }
            PageUse::User => Some("page is mapped by a process: nonzero mapcount"),
            PageUse::KernelStack => {
                Some("page is a task's kernel stack: it goes when the task exits")
            }
            PageUse::LargeKmalloc => Some("page was allocated by kmalloc: free it with kfree"),
        };
        if let Some(c) = complaint {
            let c = bad(c.to_string());
            self.log(c.clone());
            return Err(c);
        }
        let (head, block_order) = match self.block_containing(pfn) {
            Some(b) => b,
            None => return Err(bad("no allocated block contains this page".into())),
        };
        if head != pfn {
            let c = bad(format!(
                "tail page of the order-{block_order} block at {head}: free the head"
            ));
            self.log(c.clone());
            return Err(c);
        }
        let order = order.unwrap_or(block_order);
        if order != block_order {
            let c = bad(format!(
                "allocated at order {block_order}, freed at order {order}"
            ));
            self.log(c.clone());
            return Err(c);
        }
        self.node.free_pages(zt, pfn, order, &mut self.trace);
        Ok((zt, pfn, order))
    }

    /// `drain_all_pages`: every per-CPU list gives its pages back to the buddy
    /// allocator (a no-op with pcp off).
    pub fn drain_all_pages(&mut self) {
        let Some(pcps) = &self.node.pcp else { return };
        let counts: Vec<u64> = pcps.iter().map(|p| p.count).collect();
        for (i, count) in counts.into_iter().enumerate() {
            if let Some(zt) = ZoneType::from_idx(i) {
                self.node.free_pcppages_bulk(zt, count, 0, &mut self.trace);
            }
        }
    }

    /// Writes a vm sysctl and recomputes what depends on it.
    pub fn sysctl_write(&mut self, name: &str, value: &str) -> Result<(), String> {
        let effect = self.vm.set(name, value)?;
        let shown = self.vm.get(name).unwrap_or_default();
        let full = format!("vm.{name}");
        self.trace.push(|| Event::Sysctl {
            name: full,
            value: shown,
        });
        match effect {
            Effect::Watermarks => self.recompute_watermarks(),
            Effect::LowmemReserve => self
                .node
                .setup_per_zone_lowmem_reserve(self.vm.lowmem_reserve_ratio),
            Effect::None => {}
        }
        self.node.boost_factor = self.vm.watermark_boost_factor;
        Ok(())
    }

    /// `setup_per_zone_wmarks` + `zone_pcp_update` after a tunable changed.
    fn recompute_watermarks(&mut self) {
        self.node.setup_per_zone_wmarks(
            self.vm.min_free_kbytes,
            self.vm.watermark_scale_factor,
            &mut self.trace,
        );
        if let Some(pcps) = self.node.pcp.as_mut() {
            for (i, pcp) in pcps.iter_mut().enumerate() {
                let z = &self.node.zones[i];
                let fresh = crate::pcp::PerCpuPages::new(
                    z.managed,
                    z.watermark[Watermark::Low as usize],
                    u64::from(self.params.cpus),
                );
                pcp.high = fresh.high;
                pcp.batch = fresh.batch;
            }
        }
    }

    /// `calculate_totalreserve_pages`: Σ min(managed, high + max lowmem_reserve).
    pub fn totalreserve_pages(&self) -> u64 {
        self.node
            .zones
            .iter()
            .map(|z| {
                let max_reserve = z.lowmem_reserve.iter().copied().max().unwrap_or(0);
                (z.watermark[Watermark::High as usize] + max_reserve).min(z.managed)
            })
            .sum()
    }

    /// `si_mem_available`: free pages above the reserves, plus the reclaimable part of
    /// the page cache and slab (none in this model yet).
    pub fn mem_available(&self) -> u64 {
        let free = self.node.nr_free_pages() as i64;
        (free - self.totalreserve_pages() as i64).max(0) as u64
    }

    /// `vm_commit_limit`: the RAM part from overcommit_kbytes or overcommit_ratio, plus swap.
    pub fn commit_limit(&self) -> u64 {
        let ram = if self.vm.overcommit_kbytes != 0 {
            self.vm.overcommit_kbytes >> 2
        } else {
            self.node.totalram_pages() * self.vm.overcommit_ratio / 100
        };
        ram + (self.params.swap >> PAGE_SHIFT)
    }

    /// The values of /proc/meminfo.
    pub fn meminfo(&self) -> Meminfo {
        let swap = self.params.swap >> PAGE_SHIFT;
        let (sreclaimable, sunreclaim) = self.slub.pages();
        let anon = self.vmm.anon.len() as u64;
        let shmem = self.vmm.shmem_pages();
        Meminfo {
            sreclaimable,
            sunreclaim,
            anon_pages: anon,
            inactive_anon: anon + shmem,
            shmem,
            mapped: self.vmm.shmem_mapped.len() as u64,
            kernel_stack_kb: self.vmm.tasks.len() as u64 * 16,
            page_tables: self.vmm.tables.pages.len() as u64,
            committed_as: self.vmm.committed,
            total: self.node.totalram_pages(),
            free: self.node.nr_free_pages(),
            available: self.mem_available(),
            swap_total: swap,
            swap_free: swap,
            commit_limit: self.commit_limit(),
            mem_bytes: self.params.mem,
            ..Meminfo::default()
        }
    }

    /// The text of a /proc file, or an error like `cat`'s.
    pub fn read_file(&self, path: &str) -> Result<String, String> {
        let path = path.trim_end_matches('/');
        if let Some(name) = path.strip_prefix("/proc/sys/vm/") {
            return self
                .vm
                .get(name)
                .map(|v| format!("{v}\n"))
                .ok_or_else(|| format!("{path}: No such file or directory"));
        }
        if let Some(rest) = path.strip_prefix("/proc/") {
            if let Some((p, file)) = rest.split_once('/') {
                if let Ok(pid) = p.parse::<u32>() {
                    return self
                        .read_pid_file(pid, file)
                        .unwrap_or_else(|| Err(format!("{path}: No such file or directory")));
                }
            }
        }
        match path {
            "/proc/buddyinfo" => Ok(procfs::buddyinfo(&self.node)),
            "/proc/pagetypeinfo" => Ok(procfs::pagetypeinfo(&self.node)),
            "/proc/zoneinfo" => Ok(procfs::zoneinfo(&self.node, self.params.cpus)),
            "/proc/meminfo" => Ok(procfs::meminfo(&self.meminfo())),
            "/proc/slabinfo" => Ok(procfs::slabinfo(&self.slub)),
            "/proc/vmstat" => Ok(format!("nr_free_pages {}\n", self.node.nr_free_pages())),
            "/proc" | "/proc/sys" | "/proc/sys/vm" => Err(format!("{path}: Is a directory")),
            _ => Err(format!("{path}: No such file or directory")),
        }
    }

    /// Every file `cat` can read, for completion and `ls`.
    pub fn files(&self) -> Vec<String> {
        let mut out: Vec<String> = [
            "/proc/buddyinfo",
            "/proc/meminfo",
            "/proc/pagetypeinfo",
            "/proc/vmstat",
            "/proc/zoneinfo",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        out.extend(
            crate::sysctl::NAMES
                .iter()
                .map(|n| format!("/proc/sys/vm/{n}")),
        );
        out
    }
}

/// The shared zero page (`empty_zero_page`): a reserved page in the first megabyte,
/// standing in for the kernel image's `.bss` page.
pub const ZERO_PFN: u64 = 0xff;

/// `show_free_areas`' zone line: `Node 0 DMA: 1*4kB (U) 0*8kB ... = 15360kB`.
pub(crate) fn show_free_area(node: &Node, zt: ZoneType) -> String {
    let z = node.zone(zt);
    let mut out = format!("Node 0 {}: ", zt.name());
    let mut total = 0;
    for (o, area) in z.free_area.iter().enumerate() {
        let kb = 4u64 << o;
        out.push_str(&format!("{}*{}kB ", area.nr_free, kb));
        total += area.nr_free * kb;
        if area.nr_free > 0 {
            let letters: String = crate::migrate::MigrateType::ALL
                .iter()
                .filter(|mt| !area.free_list[mt.idx()].is_empty())
                .map(|mt| mt.letter())
                .collect();
            out.push_str(&format!("({letters}) "));
        }
    }
    out.push_str(&format!("= {total}kB"));
    out
}

const _: () = assert!(MAX_NR_ZONES == 4);
