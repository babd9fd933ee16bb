//! Page faults and page-table maintenance (`mm/memory.c: handle_mm_fault`,
//! `handle_pte_fault`, `do_anonymous_page`, `do_wp_page`, `wp_page_copy`,
//! `__pte_alloc`, `zap_pte_range`, `free_pgtables`).

use super::error::{Segv, VmError};
use super::events::{FaultKind, VmEvent};
use super::mm::{Backing, Vma, VM_EXEC, VM_READ, VM_SHARED, VM_WRITE};
use super::pgtable::{self, *};
use super::Vm;
use crate::page_alloc::error::PageAllocError;
use crate::page_alloc::memmap::PageUse;
use crate::vmscan::slowpath::SlowPathError;
use crate::vocab::gfp::{__GFP_COMP, __GFP_ZERO, GFP_HIGHUSER_MOVABLE, GFP_KERNEL_ACCOUNT};
use crate::vocab::xarray::XaEntry;
use crate::vocab::{GfpFlags, Pfn};

/// `GFP_PGTABLE_USER`: page-table pages.
pub const GFP_PGTABLE_USER: u32 = GFP_KERNEL_ACCOUNT | __GFP_ZERO;
/// Times an access is retried when reclaim took its page while the fault allocated.
const FAULT_RETRIES: usize = 8;
/// The mask an anonymous fault allocates with (`vma_alloc_zeroed_movable_folio`).
pub const GFP_ANON_FAULT: u32 = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_ZERO;

/// `vm_get_page_prot`: the PTE bits a VMA's pages get (x86 `protection_map`).
/// Private writable mappings get `PAGE_COPY`, **without RW**: RW is set at write-fault
/// time, which is what makes copy-on-write possible.
pub fn vm_page_prot(flags: u64) -> u64 {
    if flags & (VM_READ | VM_WRITE | VM_EXEC) == 0 {
        return PAGE_ACCESSED; // PAGE_NONE: not present.
    }
    let mut p = PAGE_PRESENT | PAGE_USER | PAGE_ACCESSED;
    if flags & VM_EXEC == 0 {
        p |= PAGE_NX;
    }
    if flags & VM_SHARED != 0 && flags & VM_WRITE != 0 {
        p |= PAGE_RW;
    }
    p
}

impl Vm<'_> {
    fn pid_la57(&self) -> bool {
        self.vmm.la57
    }

    /// Allocates a zeroed page-table page (`pagetable_alloc`, `GFP_PGTABLE_USER`).
    pub(crate) fn alloc_table(&mut self, pid: u32, level: PtLevel) -> Result<u64, VmError> {
        let (_, pfn) = self
            .alloc_pages_no_oom(GfpFlags(GFP_PGTABLE_USER), PageUse::PageTable)
            .map_err(|e| match e {
                SlowPathError::Alloc(source) => VmError::PageTable { level, source },
                SlowPathError::Panic => VmError::Panic,
                _ => VmError::PageTable {
                    level,
                    source: PageAllocError::AllocFailure {
                        order: 0,
                        gfp: GfpFlags(GFP_PGTABLE_USER),
                    },
                },
            })?;
        self.vmm.tables.pages.insert(pfn.0, Box::new([0; 512]));
        let table = pfn;
        self.k.trace.push(|| VmEvent::PageTableAlloc {
            pid,
            level,
            pfn: table,
        });
        Ok(pfn.0)
    }

    /// Frees a page-table page.
    pub(crate) fn free_table(&mut self, pfn: u64) {
        self.vmm.tables.pages.remove(&pfn);
        self.k.free_page(pfn);
    }

    /// Walks to the PTE table for `va`, allocating missing tables on the way
    /// (`__pud_alloc`, `__pmd_alloc`, `__pte_alloc`). Returns (PTE table, index).
    pub(crate) fn pte_alloc(&mut self, pid: u32, va: u64) -> Result<(u64, usize), VmError> {
        let levels = levels(self.pid_la57());
        let mut table = self
            .vmm
            .tasks
            .get(&pid)
            .ok_or(VmError::NoProcess(pid))?
            .mm
            .pgd;
        for w in levels.windows(2) {
            let (_, shift) = w[0];
            let (next_name, _) = w[1];
            let idx = index(va, shift);
            let e = self.vmm.tables.get(table, idx);
            let next = if e & PAGE_PRESENT != 0 {
                entry_pfn(e)
            } else {
                if self.vmm.tables.pages.len() as u64 >= crate::limits::PAGE_TABLE_MEMORY >> 12 {
                    return Err(VmError::TableBudget);
                }
                let t = self.alloc_table(pid, next_name)?;
                self.vmm.tables.set(table, idx, (t << 12) | PAGE_TABLE);
                // mm_inc_nr_puds/pmds/ptes: a P4D table (5-level) is not counted.
                if next_name != PtLevel::P4d {
                    if let Some(task) = self.vmm.tasks.get_mut(&pid) {
                        task.mm.pgtables_bytes += 4096;
                    }
                }
                t
            };
            table = next;
        }
        Ok((table, index(va, 12)))
    }

    /// The PTE for `va`, if every upper level is present: (PTE table, index, entry).
    pub(crate) fn pte_lookup(&self, pgd: u64, va: u64) -> Option<(u64, usize, u64)> {
        self.pte_walk(pgd, va).ok()
    }

    /// The PTE for `va`, or the shift of the level whose entry is missing (so a walk
    /// over a range can skip the whole span that entry would cover).
    pub(crate) fn pte_walk(&self, pgd: u64, va: u64) -> Result<(u64, usize, u64), u32> {
        let levels = levels(self.vmm.la57);
        let mut table = pgd;
        for &(_, shift) in &levels[..levels.len() - 1] {
            let e = self.vmm.tables.get(table, index(va, shift));
            if e & PAGE_PRESENT == 0 {
                return Err(shift);
            }
            table = entry_pfn(e);
        }
        let idx = index(va, 12);
        Ok((table, idx, self.vmm.tables.get(table, idx)))
    }

    /// Upper bound on the page tables a process could need to map `[start, end)`:
    /// one per 2 MiB, 1 GiB and 512 GiB spanned (and 256 TiB with LA57), each level
    /// rounded up and plus one for the edges.
    pub(crate) fn tables_for(&self, start: u64, end: u64) -> u64 {
        let span = end.saturating_sub(start);
        levels(self.vmm.la57)[..levels(self.vmm.la57).len() - 1]
            .iter()
            .map(|&(_, shift)| (span >> shift) + 2)
            .sum()
    }

    /// A user page for a fault: `GFP_HIGHUSER_MOVABLE` order 0. When the allocator
    /// fails, the OOM killer picks a victim, frees its memory, and the allocation is
    /// retried (`__alloc_pages_may_oom`).
    pub(crate) fn alloc_user_page(&mut self, pid: u32) -> Result<u64, VmError> {
        self.alloc_user_page_gfp(pid, GfpFlags(GFP_ANON_FAULT))
    }

    /// A user page with the given flags (swap-in reads with `GFP_HIGHUSER_MOVABLE`).
    pub(crate) fn alloc_user_page_gfp(&mut self, pid: u32, gfp: GfpFlags) -> Result<u64, VmError> {
        // A request that may invoke the OOM killer reports through it, not through
        // warn_alloc (the kernel's slow path reaches warn_alloc only at nopage:).
        match self.alloc_pages_slowpath(0, gfp, PageUse::User, Some(pid)) {
            Ok((_, pfn)) => Ok(pfn.0),
            Err(SlowPathError::Killed(victim)) => Err(VmError::Killed(victim)),
            Err(SlowPathError::Panic) => Err(VmError::Panic),
            Err(SlowPathError::Alloc(e)) => {
                Err(VmError::OutOfMemory(Box::new(VmError::PageAlloc(e))))
            }
            Err(SlowPathError::Gone) => Err(VmError::NoProcess(pid)),
        }
    }

    /// `handle_mm_fault` for a user access to `va`, then the access itself (the CPU
    /// sets Accessed, and Dirty on a write). Returns what happened and the frame. A
    /// fault whose page reclaim took while it allocated (`pte_same` failed) is
    /// retried, as the CPU retries the access, a bounded number of times.
    pub fn access(&mut self, pid: u32, va: u64, write: bool) -> Result<(FaultKind, u64), VmError> {
        for _ in 0..FAULT_RETRIES {
            match self.access_once(pid, va, write) {
                Err(VmError::FaultRetry) => continue,
                r => return r,
            }
        }
        Err(VmError::OutOfMemory(Box::new(VmError::FaultRetry)))
    }

    fn access_once(&mut self, pid: u32, va: u64, write: bool) -> Result<(FaultKind, u64), VmError> {
        let la57 = self.vmm.la57;
        let task = self.vmm.tasks.get(&pid).ok_or(VmError::NoProcess(pid))?;
        let ecode = 4 | if write { 2 } else { 0 };
        if !pgtable::canonical(va, la57) {
            return Err(VmError::Segv {
                why: Segv::NotCanonical(va),
                code: ecode,
            });
        }
        let vma = task.mm.find(va).cloned().ok_or(VmError::Segv {
            why: Segv::MapErr(va),
            code: ecode,
        })?;
        let allowed = if write {
            vma.flags & VM_WRITE != 0
        } else {
            vma.flags & (VM_READ | VM_WRITE | VM_EXEC) != 0
        };
        let pgd = task.mm.pgd;
        let existing = self.pte_lookup(pgd, va);
        if !allowed {
            let prot = existing.is_some_and(|(_, _, e)| e & PAGE_PRESENT != 0);
            return Err(VmError::Segv {
                why: Segv::AccErr {
                    write,
                    va,
                    perms: vma.perms().to_string(),
                },
                code: ecode | u64::from(prot),
            });
        }
        let page = va & !0xfff;
        if let Some((table, idx, e)) = existing.filter(|(_, _, e)| is_swap_pte(*e)) {
            return self.do_swap_page(pid, &vma, page, (table, idx, e), write);
        }
        if let Some((table, idx, e)) = existing.filter(|(_, _, e)| e & PAGE_PRESENT != 0) {
            if write && e & PAGE_RW == 0 {
                return self.do_wp_page(pid, &vma, page, table, idx, e);
            }
            let mut n = e | PAGE_ACCESSED;
            if write {
                n |= PAGE_DIRTY;
            }
            self.vmm.tables.set(table, idx, n);
            return Ok((FaultKind::None, entry_pfn(e)));
        }
        // handle_mm_fault counts PGFAULT before it allocates any table.
        self.vmm.events.pgfault += 1;
        let (table, idx) = self
            .pte_alloc(pid, page)
            .map_err(|e| VmError::OutOfMemory(Box::new(e)))?;
        self.k.trace.push(|| VmEvent::Fault {
            pid,
            addr: va,
            write,
            fault: FaultKind::Missing,
        });
        match vma.backing {
            Backing::Anon if !write => {
                // do_anonymous_page, read: the shared zero page, read-only, special.
                let zero = self.vmm.zero_pfn;
                let pte = (zero << 12) | (vm_page_prot(vma.flags) & !PAGE_RW) | PAGE_SPECIAL;
                self.set_pte(pid, page, table, idx, pte);
                Ok((FaultKind::ZeroPage, zero))
            }
            Backing::Anon => {
                // do_anonymous_page: anon_vma_prepare, then the page, then
                // pte_mkwrite(pte_mkdirty(entry)).
                self.mark_anon_vma(pid, &vma);
                let pfn = self.alloc_user_page(pid)?;
                let pte = pte_mkwrite(pte_mkdirty((pfn << 12) | vm_page_prot(vma.flags)));
                self.vmm.anon.add();
                self.lru_add_anon(pfn, page, 0);
                if let Some(t) = self.vmm.tasks.get_mut(&pid) {
                    t.mm.anon_rss += 1;
                }
                self.set_pte(pid, page, table, idx, pte);
                Ok((FaultKind::NewPage, pfn))
            }
            Backing::File(ino) => self.do_file_fault(pid, &vma, ino, page, (table, idx), write),
            Backing::Shmem(id) => {
                let index = vma.pgoff + ((page - vma.start) >> 12);
                let existing =
                    self.vmm
                        .shmem
                        .get(id)
                        .and_then(|s| s.as_ref())
                        .and_then(|s| match s.i_pages.load(index) {
                            Some(XaEntry::Folio(p)) => Some(p),
                            _ => None,
                        });
                let (pfn, kind) = match existing {
                    Some(p) => (p, FaultKind::ShmemMapped),
                    None => {
                        let p = self.alloc_user_page(pid)?;
                        if let Some(Some(s)) = self.vmm.shmem.get_mut(id) {
                            s.i_pages.store(index, XaEntry::Folio(p));
                            s.nrpages += 1;
                        }
                        (p, FaultKind::ShmemNew)
                    }
                };
                let mut pte = (pfn << 12) | vm_page_prot(vma.flags);
                if write {
                    pte |= PAGE_DIRTY;
                }
                *self.vmm.shmem_mapped.entry(pfn).or_insert(0) += 1;
                if let Some(t) = self.vmm.tasks.get_mut(&pid) {
                    t.mm.shmem_rss += 1;
                }
                self.set_pte(pid, page, table, idx, pte);
                Ok((kind, pfn))
            }
        }
    }

    /// `show_signal_msg`: the log line of a user SIGSEGV
    /// (`comm[pid]: segfault at ADDR ... error CODE`).
    pub(crate) fn segfault_msg(&mut self, pid: u32, va: u64, code: u64) {
        if let Some(comm) = self.vmm.tasks.get(&pid).map(|t| t.comm.clone()) {
            self.k
                .printk(format!("{comm}[{pid}]: segfault at {va:x} error {code}"));
        }
    }

    fn set_pte(&mut self, pid: u32, addr: u64, table: u64, idx: usize, pte: u64) {
        self.vmm.tables.set(table, idx, pte);
        self.k.trace.push(|| VmEvent::PteSet { pid, addr, pte });
    }

    /// `anon_vma_prepare`: the VMA's first anonymous page gives it an `anon_vma`, a
    /// neighbour's when `find_mergeable_anon_vma` may reuse it (the next VMA first,
    /// then the previous: adjacent, the same flags but for access rights, offsets
    /// continuing, and not a fork child's), else a new one.
    pub(crate) fn mark_anon_vma(&mut self, pid: u32, vma: &Vma) {
        let Some(mm) = self.vmm.tasks.get(&pid).map(|t| &t.mm) else {
            return;
        };
        let Some(v) = mm.vmas.get(&vma.start) else {
            return;
        };
        if v.anon_vma.is_some() {
            return;
        }
        // anon_vma_compatible(a, b): a just below b.
        let compatible = |a: &Vma, b: &Vma| {
            a.end == b.start
                && a.backing == b.backing
                && (a.flags ^ b.flags) & !(VM_READ | VM_WRITE | VM_EXEC) == 0
                // An anonymous VMA's vm_pgoff is its address in pages, so it always
                // continues; a shmem object's offsets must.
                && (a.backing == Backing::Anon
                    || b.pgoff == a.pgoff + ((b.start - a.start) >> 12))
        };
        let reusable = |old: &Vma| old.anon_vma.filter(|_| !old.fork_child);
        let next = mm
            .vmas
            .get(&v.end)
            .filter(|n| compatible(v, n))
            .and_then(reusable);
        let prev = mm
            .vmas
            .range(..v.start)
            .next_back()
            .map(|(_, p)| p)
            .filter(|p| compatible(p, v))
            .and_then(reusable);
        let id = match next.or(prev) {
            Some(id) => id,
            None => {
                self.vmm.last_anon_vma += 1;
                self.vmm.last_anon_vma
            }
        };
        if let Some(v) = self
            .vmm
            .tasks
            .get_mut(&pid)
            .and_then(|t| t.mm.vmas.get_mut(&vma.start))
        {
            v.anon_vma = Some(id);
        }
    }

    /// `do_wp_page`: a write to a present, write-protected PTE of a writable VMA. The
    /// zero page is always copied; an anonymous page mapped only here is reused in
    /// place (`wp_can_reuse_anon_folio`); a shared one is copied (`wp_page_copy`).
    pub(crate) fn do_wp_page(
        &mut self,
        pid: u32,
        vma: &Vma,
        page: u64,
        table: u64,
        idx: usize,
        e: u64,
    ) -> Result<(FaultKind, u64), VmError> {
        let old = entry_pfn(e);
        self.vmm.events.pgfault += 1;
        self.k.trace.push(|| VmEvent::Fault {
            pid,
            addr: page,
            write: true,
            fault: FaultKind::WriteProtected,
        });
        let is_zero = e & PAGE_SPECIAL != 0 && old == self.vmm.zero_pfn;
        if self.vmm.file_mapped.contains_key(&old) {
            if let Backing::File(ino) = vma.backing {
                if vma.flags & VM_SHARED != 0 {
                    return Ok(self.wp_page_shared(pid, page, (table, idx, e), ino));
                }
            }
            // A private mapping's file page: copied (wp_page_copy).
            return self.file_cow(pid, vma, page, (table, idx), old, Some(e));
        }
        // wp_can_reuse_anon_folio: mapped only here, and not needed by swap entries
        // (a folio in the swap cache is reused only if folio_free_swap can let go).
        let in_swap_cache = matches!(
            self.pr.lru.get(old).map(|f| f.owner),
            Some(crate::vmscan::lru::Owner::Anon { swap, .. }) if swap != 0
        );
        if !is_zero
            && self.vmm.anon.mapcount(old) == 1
            && (!in_swap_cache || self.folio_free_swap(old))
        {
            self.set_pte(
                pid,
                page,
                table,
                idx,
                // wp_page_reuse: maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig)))
                pte_mkwrite(pte_mkdirty(e | PAGE_ACCESSED)),
            );
            self.vmm.events.pgreuse += 1;
            self.k.trace.push(|| VmEvent::CowReuse {
                pid,
                addr: page,
                pfn: Pfn(old),
            });
            return Ok((FaultKind::CowReuse, old));
        }
        // wp_page_copy: anon_vma_prepare before the new page.
        self.mark_anon_vma(pid, vma);
        let new = self.alloc_user_page(pid)?;
        if self.vmm.tables.get(table, idx) != e {
            // Reclaim ran for the new page and swapped this one out (pte_same
            // fails): give the page back; the access faults again.
            self.k.free_page(new);
            return Err(VmError::FaultRetry);
        }
        self.vmm.anon.add();
        self.lru_add_anon(new, page, 0);
        if is_zero {
            if let Some(t) = self.vmm.tasks.get_mut(&pid) {
                t.mm.anon_rss += 1;
            }
        } else {
            self.put_anon_page(old);
        }
        let pte = pte_mkwrite(pte_mkdirty((new << 12) | vm_page_prot(vma.flags)));
        self.set_pte(pid, page, table, idx, pte);
        self.k.trace.push(|| VmEvent::CowCopy {
            pid,
            addr: page,
            from: Pfn(old),
            to: Pfn(new),
            zero: is_zero,
        });
        Ok((FaultKind::CowCopy, new))
    }

    /// Drops one mapping of an anonymous page; the last one frees it (unless swap
    /// entries still need it in the swap cache).
    fn put_anon_page(&mut self, pfn: u64) {
        if self.vmm.anon.unmap(pfn) {
            self.anon_folio_unmapped(pfn);
        }
    }

    /// `zap_page_range`: clears every present PTE in `[start, end)` of a process,
    /// dropping its page mappings and RSS, then frees page tables left empty
    /// (`free_pgtables`). Returns the pages unmapped.
    pub(crate) fn zap_range(&mut self, pid: u32, start: u64, end: u64) -> u64 {
        let Some(pgd) = self.vmm.tasks.get(&pid).map(|t| t.mm.pgd) else {
            return 0;
        };
        let mut ptes = Vec::new();
        self.collect_ptes(pgd, 0, start, end, 0, &mut ptes);
        let zero = self.vmm.zero_pfn;
        let (mut anon, mut shm, mut swapents) = (0, 0, 0);
        for &(table, idx, e) in &ptes {
            self.vmm.tables.set(table, idx, 0);
            if is_swap_pte(e) {
                // zap_nonpresent_ptes → free_swap_and_cache_nr.
                swapents += 1;
                self.free_swap_and_cache(pte_to_swp_entry(e).1);
                continue;
            }
            let pfn = entry_pfn(e);
            if e & PAGE_SPECIAL != 0 && pfn == zero {
                continue;
            }
            if let Some(c) = self.vmm.shmem_mapped.get_mut(&pfn) {
                *c -= 1;
                if *c == 0 {
                    self.vmm.shmem_mapped.remove(&pfn);
                }
                shm += 1;
            } else if self.vmm.file_mapped.contains_key(&pfn) {
                self.unmap_file_page(pid, pfn, e);
            } else {
                anon += 1;
                self.put_anon_page(pfn);
            }
        }
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.anon_rss -= anon;
            t.mm.shmem_rss -= shm;
            t.mm.swapents -= swapents;
        }
        // free_pgtables' floor and ceiling: the previous VMA's end and the next one's
        // start (the VMA being unmapped is still in the tree here).
        let (floor, ceiling) = self
            .vmm
            .tasks
            .get(&pid)
            .map(|t| {
                let floor = t.mm.vmas.range(..start).next_back().map(|(_, v)| v.end);
                let ceiling = t.mm.vmas.range(end..).next().map(|(_, v)| v.start);
                (floor.unwrap_or(0), ceiling.unwrap_or(0))
            })
            .unwrap_or((0, 0));
        let freed = self.free_pgd_range(pid, pgd, 0, 0, (start, end), (floor, ceiling));
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.pgtables_bytes -= freed * 4096;
        }
        ptes.len() as u64
    }

    /// Present leaf PTEs and swap entries under `table` (at `level`) for addresses in
    /// `[start, end)`.
    pub(crate) fn collect_ptes(
        &self,
        table: u64,
        level: usize,
        start: u64,
        end: u64,
        base: u64,
        out: &mut Vec<(u64, usize, u64)>,
    ) {
        let levels = levels(self.vmm.la57);
        let shift = levels[level].1;
        let span = 1u64 << shift;
        let Some(t) = self.vmm.tables.pages.get(&table) else {
            return;
        };
        for (i, &e) in t.iter().enumerate() {
            let lo = base + (i as u64) * span;
            let hi = lo.saturating_add(span);
            let leaf = level + 1 == levels.len();
            let used = e & PAGE_PRESENT != 0 || (leaf && is_swap_pte(e));
            if !used || hi <= start || lo >= end {
                continue;
            }
            if leaf {
                out.push((table, i, e));
            } else {
                self.collect_ptes(entry_pfn(e), level + 1, start, end, lo, out);
            }
        }
    }

    /// `free_pgd_range` (mm/memory.c) after unmapping `[start, end)`: frees each page
    /// table below `table` (at `level`, covering addresses from `base`) that maps part
    /// of the range and whose whole span lies within `[floor, ceiling)`: between the
    /// previous VMA's end and the next one's start, so no remaining mapping uses it
    /// (`ceiling` 0 is `USER_PGTABLES_CEILING`: no limit). Returns how many.
    #[allow(clippy::too_many_arguments)]
    fn free_pgd_range(
        &mut self,
        pid: u32,
        table: u64,
        level: usize,
        base: u64,
        (start, end): (u64, u64),
        (floor, ceiling): (u64, u64),
    ) -> u64 {
        let levels = levels(self.vmm.la57);
        if level + 1 >= levels.len() {
            return 0;
        }
        let span = 1u64 << levels[level].1;
        let entries: Vec<(usize, u64)> = match self.vmm.tables.pages.get(&table) {
            Some(t) => t
                .iter()
                .enumerate()
                .filter(|(_, e)| **e & PAGE_PRESENT != 0)
                .map(|(i, e)| (i, *e))
                .collect(),
            None => return 0,
        };
        let mut freed = 0;
        for (i, e) in entries {
            let lo = base + (i as u64) * span;
            let hi = lo.saturating_add(span);
            if hi <= start || lo >= end {
                continue;
            }
            let child = entry_pfn(e);
            freed += self.free_pgd_range(pid, child, level + 1, lo, (start, end), (floor, ceiling));
            let within = lo >= floor && (ceiling == 0 || hi <= ceiling);
            let empty = self
                .vmm
                .tables
                .pages
                .get(&child)
                .is_some_and(|t| t.iter().all(|x| *x == 0));
            if within && empty {
                self.vmm.tables.set(table, i, 0);
                self.free_table(child);
                let level = levels[level + 1].0;
                self.k.trace.push(|| VmEvent::PageTableFree {
                    pid,
                    level,
                    pfn: Pfn(child),
                });
                // P4D tables are not in mm_pgtables_bytes.
                if level != PtLevel::P4d {
                    freed += 1;
                }
            }
        }
        freed
    }
}
