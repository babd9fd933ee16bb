//! Virtual memory: processes, address spaces, page tables, faults, copy-on-write,
//! overcommit accounting and the OOM killer (`mm/memory.c`, `mm/mmap.c`, `mm/vma.c`,
//! `kernel/fork.c`, `mm/util.c`, `mm/oom_kill.c`).
//!
//! Model: anonymous memory only (private, and shared through shmem), no file mmap;
//! private anonymous pages are swapped out by reclaim (`vmscan/`) and back in here
//! (`swapin.rs`), shmem is not; THP off, no ASLR (so addresses match a machine with
//! `randomize_va_space=0`), no PTI (the PGD is one page). Kernel-internal allocations
//! (page tables, slab objects) fail with ENOMEM instead of invoking the OOM killer;
//! user page faults invoke it, as the kernel does.
//!
//! Everything here runs on a [`Vm`]: this subsystem's state ([`Vmm`]) with the parts
//! of the kernel it uses (the page allocator through [`Kernel`], SLUB for its
//! `task_struct`, `mm_struct` and `vm_area_struct` objects, and the vm sysctls).
//! Start with [`mm`] (the structures), then [`fault`] and [`process`].

pub mod anon;
pub mod commands;
pub mod error;
pub mod events;
pub mod fault;
pub mod filemap_fault;
pub mod invariants;
pub mod mm;
pub mod mmap;
pub mod oom;
pub mod overcommit;
pub mod pgtable;
pub mod process;
pub mod procfs;
pub mod show_mem;
pub mod swapin;
pub mod translate;

use crate::kernel::Kernel;
use crate::slub::Slub;
use crate::sysctl::VmSysctl;
use crate::vocab::fast_hash::FastMap;
use crate::vocab::vec_map::VecMap;
use mm::{Shmem, Task};
use pgtable::Tables;

/// Virtual memory at work: its own state and the parts of the kernel it may use,
/// borrowed for one operation.
pub struct Vm<'a> {
    /// The shared services: the page allocator, the trace, the log.
    pub k: &'a mut Kernel,
    /// SLUB, for the kernel objects that describe processes and mappings.
    pub slub: &'a mut Slub,
    /// Processes, page tables, user pages, commit accounting.
    pub vmm: &'a mut Vmm,
    /// The vm sysctls (overcommit policy).
    pub sysctl: &'a VmSysctl,
    /// Reclaim's state: the LRU lists, the page cache, kswapd.
    pub pr: &'a mut crate::vmscan::Pressure,
}

/// Every process, page table and user page.
#[derive(Clone, Debug)]
pub struct Vmm {
    /// Tasks by pid, in creation order (the kernel's task list order).
    pub tasks: VecMap<u32, Task>,
    /// The next pid to hand out.
    pub next_pid: u32,
    /// Page-table pages.
    pub tables: Tables,
    /// Anonymous pages and how many PTEs map each (`folio_mapcount`).
    pub anon: anon::AnonPages,
    /// Shmem pages and how many PTEs map each.
    pub shmem_mapped: FastMap<u64, u32>,
    /// Page-cache pages of files and how many PTEs map each (`folio_mapcount`).
    pub file_mapped: FastMap<u64, u32>,
    /// Shmem objects by id.
    pub shmem: Vec<Option<Shmem>>,
    /// `vm_committed_as`, in pages.
    pub committed: u64,
    /// `my_zero_pfn`: the shared zero page.
    pub zero_pfn: u64,
    /// 5-level paging (`boot la57=on`).
    pub la57: bool,
    /// The last `anon_vma` handed out (each gets its own number).
    pub last_anon_vma: u32,
    /// Virtual memory's share of `vm_event_states` (/proc/vmstat).
    pub events: VmCounts,
}

/// Virtual memory's event counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VmCounts {
    /// `PGFAULT`: faults handled (`handle_mm_fault`).
    pub pgfault: u64,
    /// `PGREUSE`: write faults that reused the page (`wp_page_reuse`).
    pub pgreuse: u64,
    /// `OOM_KILL`: processes the OOM killer killed.
    pub oom_kill: u64,
}

impl Vmm {
    /// No processes yet: pid 1 comes next, the zero page is `zero_pfn`.
    pub fn new(zero_pfn: u64, la57: bool) -> Vmm {
        Vmm {
            tasks: VecMap::new(),
            next_pid: 1,
            tables: Tables::default(),
            anon: anon::AnonPages::default(),
            shmem_mapped: FastMap::default(),
            file_mapped: FastMap::default(),
            shmem: Vec::new(),
            committed: 0,
            zero_pfn,
            la57,
            last_anon_vma: 0,
            events: VmCounts::default(),
        }
    }

    /// Shmem pages in existence (meminfo's Shmem).
    pub fn shmem_pages(&self) -> u64 {
        self.shmem.iter().flatten().map(|s| s.nrpages).sum()
    }
}
