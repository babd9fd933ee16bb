//! `/proc/meminfo` (`fs/proc/meminfo.c: meminfo_proc_show`), in the kernel's order for
//! x86-64 with a typical distribution config (zswap, THP and hugetlb built in, THP
//! set to never, no CMA).

/// The values /proc/meminfo prints, in pages unless the name says kB.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meminfo {
    /// `totalram_pages`.
    pub total: u64,
    /// `NR_FREE_PAGES`.
    pub free: u64,
    /// `si_mem_available`.
    pub available: u64,
    /// `active_anon`.
    pub active_anon: u64,
    /// `inactive_anon`.
    pub inactive_anon: u64,
    /// `active_file`.
    pub active_file: u64,
    /// `inactive_file`.
    pub inactive_file: u64,
    /// `total_swap_pages`.
    pub swap_total: u64,
    /// Free swap pages.
    pub swap_free: u64,
    /// `NR_SWAPCACHE`: folios in the swap cache (part of `file_pages`).
    pub swap_cached: u64,
    /// `NR_ANON_MAPPED`.
    pub anon_pages: u64,
    /// `NR_SHMEM` (also in Cached).
    pub shmem: u64,
    /// `NR_FILE_MAPPED` (mapped shmem pages here).
    pub mapped: u64,
    /// `NR_SLAB_RECLAIMABLE_B` in pages.
    pub sreclaimable: u64,
    /// 5-level paging (`la57=on`): the larger vmalloc area.
    pub la57: bool,
    /// `NR_SLAB_UNRECLAIMABLE_B` in pages.
    pub sunreclaim: u64,
    /// `NR_KERNEL_STACK_KB`, in kB.
    pub kernel_stack_kb: u64,
    /// `NR_PAGETABLE`.
    pub page_tables: u64,
    /// `vm_commit_limit`.
    pub commit_limit: u64,
    /// `vm_memory_committed`.
    pub committed_as: u64,
    /// RAM in bytes, for the DirectMap lines.
    pub mem_bytes: u64,
    /// `NR_FILE_PAGES`: the page cache (with shmem and the swap cache).
    pub file_pages: u64,
    /// `NR_FILE_DIRTY`.
    pub dirty: u64,
    /// `NR_WRITEBACK`.
    pub writeback: u64,
}

fn kb(out: &mut String, label: &str, pages: u64) {
    out.push_str(&format!("{label:<16}{:>8} kB\n", pages << 2));
}

/// Renders the file. Every field has the kernel's label and width; fields this
/// model has nothing for print 0.
pub fn meminfo(m: &Meminfo) -> String {
    let mut out = String::new();
    kb(&mut out, "MemTotal:", m.total);
    kb(&mut out, "MemFree:", m.free);
    kb(&mut out, "MemAvailable:", m.available);
    kb(&mut out, "Buffers:", 0);
    // Cached = NR_FILE_PAGES - SwapCached - Buffers (shmem included).
    kb(&mut out, "Cached:", m.file_pages - m.swap_cached);
    kb(&mut out, "SwapCached:", m.swap_cached);
    kb(&mut out, "Active:", m.active_anon + m.active_file);
    kb(&mut out, "Inactive:", m.inactive_anon + m.inactive_file);
    kb(&mut out, "Active(anon):", m.active_anon);
    kb(&mut out, "Inactive(anon):", m.inactive_anon);
    kb(&mut out, "Active(file):", m.active_file);
    kb(&mut out, "Inactive(file):", m.inactive_file);
    kb(&mut out, "Unevictable:", 0);
    kb(&mut out, "Mlocked:", 0);
    kb(&mut out, "SwapTotal:", m.swap_total);
    kb(&mut out, "SwapFree:", m.swap_free);
    kb(&mut out, "Zswap:", 0);
    kb(&mut out, "Zswapped:", 0);
    kb(&mut out, "Dirty:", m.dirty);
    kb(&mut out, "Writeback:", m.writeback);
    kb(&mut out, "AnonPages:", m.anon_pages);
    kb(&mut out, "Mapped:", m.mapped);
    kb(&mut out, "Shmem:", m.shmem);
    kb(&mut out, "KReclaimable:", m.sreclaimable);
    kb(&mut out, "Slab:", m.sreclaimable + m.sunreclaim);
    kb(&mut out, "SReclaimable:", m.sreclaimable);
    kb(&mut out, "SUnreclaim:", m.sunreclaim);
    out.push_str(&format!("KernelStack:    {:>8} kB\n", m.kernel_stack_kb));
    kb(&mut out, "PageTables:", m.page_tables);
    kb(&mut out, "SecPageTables:", 0);
    kb(&mut out, "NFS_Unstable:", 0);
    kb(&mut out, "Bounce:", 0);
    kb(&mut out, "WritebackTmp:", 0);
    kb(&mut out, "CommitLimit:", m.commit_limit);
    kb(&mut out, "Committed_AS:", m.committed_as);
    // (VMALLOC_END - VMALLOC_START) >> 10, VMALLOC_END = VMALLOC_START +
    // (VMALLOC_SIZE_TB << 40) - 1: 32 TiB with 4-level paging, 12800 TiB with 5-level.
    let vmalloc_tb: u64 = if m.la57 { 12_800 } else { 32 };
    out.push_str(&format!(
        "VmallocTotal:   {:>8} kB\n",
        ((vmalloc_tb << 40) - 1) >> 10
    ));
    kb(&mut out, "VmallocUsed:", 0);
    kb(&mut out, "VmallocChunk:", 0);
    kb(&mut out, "Percpu:", 0);
    out.push_str(&format!("HardwareCorrupted: {:>5} kB\n", 0));
    kb(&mut out, "AnonHugePages:", 0);
    kb(&mut out, "ShmemHugePages:", 0);
    kb(&mut out, "ShmemPmdMapped:", 0);
    kb(&mut out, "FileHugePages:", 0);
    kb(&mut out, "FilePmdMapped:", 0);
    kb(&mut out, "Unaccepted:", 0);
    kb(&mut out, "Balloon:", 0);
    out.push_str(&format!("HugePages_Total:   {:>5}\n", 0));
    out.push_str(&format!("HugePages_Free:    {:>5}\n", 0));
    out.push_str(&format!("HugePages_Rsvd:    {:>5}\n", 0));
    out.push_str(&format!("HugePages_Surp:    {:>5}\n", 0));
    out.push_str(&format!("Hugepagesize:   {:>8} kB\n", 2048));
    out.push_str(&format!("Hugetlb:        {:>8} kB\n", 0));
    let (k4, m2, g1) = direct_map(m.mem_bytes);
    out.push_str(&format!("DirectMap4k:    {k4:>8} kB\n"));
    out.push_str(&format!("DirectMap2M:    {m2:>8} kB\n"));
    out.push_str(&format!("DirectMap1G:    {g1:>8} kB\n"));
    out
}

/// How the direct map covers RAM: the first 2 MiB in 4 KiB pages (the low megabyte is
/// mapped with fine-grained attributes), 2 MiB pages up to the first GiB boundary, and
/// 1 GiB pages for whole gigabytes above it (`arch_report_meminfo`). In kB.
fn direct_map(mem: u64) -> (u64, u64, u64) {
    let two_m = 2 << 20;
    let one_g = 1 << 30;
    let k4 = mem.min(two_m);
    let upto_g = mem.min(one_g).saturating_sub(k4);
    let above = mem.saturating_sub(one_g);
    let g1 = above / one_g * one_g;
    let m2 = upto_g + (above - g1);
    (k4 >> 10, m2 >> 10, g1 >> 10)
}
