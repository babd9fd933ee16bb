//! Virtual memory: processes, address spaces, page tables, faults, copy-on-write,
//! overcommit accounting and the OOM killer (`mm/memory.c`, `mm/mmap.c`, `mm/vma.c`,
//! `kernel/fork.c`, `mm/util.c`, `mm/oom_kill.c`).
//!
//! Model: anonymous memory only (private, and shared through shmem), no files, no
//! swap-out, THP off, no ASLR (so addresses match a machine with
//! `randomize_va_space=0`), no PTI (the PGD is one page). Kernel-internal allocations
//! (page tables, slab objects) fail with ENOMEM instead of invoking the OOM killer;
//! user page faults invoke it, as the kernel does.

pub mod fault;
pub mod mm;
pub mod mmap;
pub mod oom;
pub mod overcommit;
pub mod pgtable;
pub mod process;
pub mod translate;

use mm::{Shmem, Task};
use pgtable::Tables;
use std::collections::{BTreeMap, HashMap};

/// Every process, page table and user page.
#[derive(Clone, Debug, Default)]
pub struct Vmm {
    /// Tasks by pid, in creation order (the kernel's task list order).
    pub tasks: BTreeMap<u32, Task>,
    /// The next pid to hand out.
    pub next_pid: u32,
    /// Page-table pages.
    pub tables: Tables,
    /// Anonymous pages and how many PTEs map each (`folio_mapcount`).
    pub anon: HashMap<u64, u32>,
    /// Shmem pages and how many PTEs map each.
    pub shmem_mapped: HashMap<u64, u32>,
    /// Shmem objects by id.
    pub shmem: Vec<Option<Shmem>>,
    /// `vm_committed_as`, in pages.
    pub committed: u64,
    /// `my_zero_pfn`: the shared zero page.
    pub zero_pfn: u64,
    /// 5-level paging (`boot la57=on`).
    pub la57: bool,
}

impl Vmm {
    /// Shmem pages in existence (meminfo's Shmem).
    pub fn shmem_pages(&self) -> u64 {
        self.shmem
            .iter()
            .flatten()
            .map(|s| s.present.len() as u64)
            .sum()
    }
}
