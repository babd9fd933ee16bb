//! Faults on mapped files (`mm/memory.c: do_read_fault`, `do_fault_around`,
//! `do_cow_fault`, `do_shared_fault`, `wp_page_shared`; `mm/filemap.c: filemap_fault`,
//! `do_sync_mmap_readahead`, `filemap_map_pages`).
//!
//! A mapped file's pages are its page-cache pages: a fault finds the page in the
//! cache (a minor fault) or reads it with the pages around it (a major fault,
//! `pgmajfault`). A read fault first maps every cached page of the 64 KiB around the
//! address that has no PTE yet (`fault_around_bytes`), so reading a file in order
//! takes one fault per 16 pages. A write to a `MAP_SHARED` mapping dirties the
//! file's page (the flusher writes it back); a write to a `MAP_PRIVATE` one copies
//! it to a new anonymous page. Not modelled: `mmap_miss` (read-around is never
//! turned off), `MADV_*` hints, huge pages.

use super::error::VmError;
use super::events::{FaultKind, VmEvent};
use super::fault::vm_page_prot;
use super::mm::{Vma, VM_EXEC, VM_SHARED};
use super::pgtable::*;
use super::Vm;
use crate::vmscan::events::VmscanEvent;
use crate::vmscan::filemap::RA_PAGES;
use crate::vocab::Pfn;

/// `fault_around_bytes`: 64 KiB, 16 pages.
const FAULT_AROUND_PAGES: u64 = 16;
/// `PMD_SIZE`: fault-around stays inside one page table.
const PMD_SIZE: u64 = 2 << 20;

impl Vm<'_> {
    /// The page of the file a VMA maps at `page`.
    fn file_index(vma: &Vma, page: u64) -> u64 {
        vma.pgoff + ((page - vma.start) >> 12)
    }

    /// `do_read_fault`, `do_cow_fault` or `do_shared_fault` for a PTE that is empty:
    /// `(table, idx)` is where the PTE goes.
    pub(crate) fn do_file_fault(
        &mut self,
        pid: u32,
        vma: &Vma,
        ino: u32,
        page: u64,
        (table, idx): (u64, usize),
        write: bool,
    ) -> Result<(FaultKind, u64), VmError> {
        let index = Self::file_index(vma, page);
        let size = self.pr.fs.inode(ino).map_or(0, |i| i.size);
        if index >= size.div_ceil(4096) {
            return Err(VmError::Sigbus {
                va: page,
                file: vma.name.clone(),
            });
        }
        if !write {
            // do_fault_around: map what the cache has near the address first.
            self.do_fault_around(pid, vma, ino, page);
            let e = self.vmm.tables.get(table, idx);
            if e & PAGE_PRESENT != 0 {
                let pfn = entry_pfn(e);
                self.filemap_fault_event(pid, page, ino, index, pfn, false);
                return Ok((FaultKind::FileCache, pfn));
            }
        }
        let (pfn, major) = self.filemap_fault(pid, vma, ino, index)?;
        if !self.vmm.tasks.contains_key(&pid) {
            // Reading the page took the OOM killer, and it chose this process.
            return Err(VmError::Killed(pid));
        }
        self.filemap_fault_event(pid, page, ino, index, pfn, major);
        let kind = if major {
            FaultKind::FileRead
        } else {
            FaultKind::FileCache
        };
        if write && vma.flags & VM_SHARED == 0 {
            // do_cow_fault: a private copy of the file's page.
            return self.file_cow(pid, vma, page, (table, idx), pfn, None);
        }
        let mut pte = (pfn << 12) | (vm_page_prot(vma.flags) & !PAGE_RW) | PAGE_ACCESSED;
        if write {
            // do_shared_fault: writable and dirty, the file's page dirtied.
            pte = pte_mkwrite(pte_mkdirty(pte));
            self.file_page_dirtied(ino, pfn);
        }
        self.map_file_page(pid, page, table, idx, pte, pfn);
        Ok((kind, pfn))
    }

    fn filemap_fault_event(
        &mut self,
        pid: u32,
        addr: u64,
        ino: u32,
        index: u64,
        pfn: u64,
        major: bool,
    ) {
        let file = self.file_name(ino);
        self.k.trace.push(|| VmscanEvent::FilemapFault {
            pid,
            addr,
            file,
            index,
            pfn: Pfn(pfn),
            major,
        });
    }

    /// `filemap_fault`: the page from the page cache, or read with the pages around
    /// it (`do_sync_mmap_readahead`: `ra_pages` starting half a window before it;
    /// from the page itself in an executable mapping). Returns (page, major).
    fn filemap_fault(
        &mut self,
        pid: u32,
        vma: &Vma,
        ino: u32,
        index: u64,
    ) -> Result<(u64, bool), VmError> {
        if let Some(p) = self.cached(ino, index) {
            // do_async_mmap_readahead: a page readahead flagged starts the next
            // window before it is needed.
            let flagged = match self.pr.lru.get_mut(p) {
                Some(f) if f.test(crate::vmscan::lru::pg::READAHEAD) => {
                    f.flags &= !crate::vmscan::lru::pg::READAHEAD;
                    true
                }
                _ => false,
            };
            if flagged {
                let (start, size, async_size) = self.file_ra(pid, vma);
                let mut ra = crate::vmscan::filemap::RaState {
                    start,
                    size,
                    async_size,
                    prev_pos: -1,
                };
                self.page_cache_async_ra(ino, index, 1, &mut ra);
                self.set_file_ra(pid, vma, (ra.start, ra.size, ra.async_size));
            }
            // The readahead's allocations may have reclaimed the page itself (the
            // kernel holds a reference; here it is looked up again).
            if let Some(p) = self.cached(ino, index) {
                return Ok((p, false));
            }
        }
        let (start, size) = if vma.flags & VM_EXEC != 0 {
            let end = vma.pgoff + vma.pages();
            (index, RA_PAGES.min(end - index))
        } else {
            (index.saturating_sub(RA_PAGES / 2), RA_PAGES)
        };
        let file = self.file_name(ino);
        self.k.trace.push(|| VmscanEvent::MmapReadAround {
            file,
            index,
            start,
            size,
        });
        let lookahead = if vma.flags & VM_EXEC != 0 {
            0
        } else {
            RA_PAGES / 4
        };
        self.set_file_ra(pid, vma, (start, size, lookahead));
        self.mmap_readahead(ino, start, size, lookahead);
        self.pr.stat.pgmajfault += 1;
        let pfn = match self.cached(ino, index) {
            Some(p) => p,
            // Readahead gave up (no memory without retrying): the page itself, with
            // the full slow path.
            None => self
                .add_cache_page(
                    ino,
                    index,
                    crate::vocab::GfpFlags(crate::vmscan::filemap::GFP_MAPPING),
                    false,
                )
                .map_err(|e| match e {
                    crate::vmscan::slowpath::SlowPathError::Killed(v) => VmError::Killed(v),
                    crate::vmscan::slowpath::SlowPathError::Panic => VmError::Panic,
                    crate::vmscan::slowpath::SlowPathError::Alloc(e) => {
                        VmError::OutOfMemory(Box::new(VmError::PageAlloc(e)))
                    }
                    crate::vmscan::slowpath::SlowPathError::Gone => VmError::NoProcess(pid),
                })?,
        };
        Ok((pfn, true))
    }

    /// `do_fault_around` → `filemap_map_pages`: every page of the file in the 16-page
    /// aligned window around `page` (inside the VMA and its page table) that is in
    /// the page cache and has no PTE yet is mapped read-only.
    fn do_fault_around(&mut self, pid: u32, vma: &Vma, ino: u32, page: u64) {
        let Some(pgd) = self.vmm.tasks.get(&pid).map(|t| t.mm.pgd) else {
            return;
        };
        let span = FAULT_AROUND_PAGES << 12;
        let pmd = page & !(PMD_SIZE - 1);
        let from = (page & !(span - 1)).max(vma.start).max(pmd);
        let to = ((page & !(span - 1)) + span)
            .min(vma.end)
            .min(pmd + PMD_SIZE);
        let size = self.pr.fs.inode(ino).map_or(0, |i| i.size).div_ceil(4096);
        let prot = (vm_page_prot(vma.flags) & !PAGE_RW) | PAGE_ACCESSED;
        let mut addr = from;
        while addr < to {
            let index = Self::file_index(vma, addr);
            if index >= size {
                break;
            }
            if let (Some((table, idx, 0)), Some(pfn)) =
                (self.pte_lookup(pgd, addr), self.cached(ino, index))
            {
                // filemap_map_pages leaves readahead-flagged pages to a fault, so
                // that it can start the next window.
                let flagged = self
                    .pr
                    .lru
                    .get(pfn)
                    .is_some_and(|f| f.test(crate::vmscan::lru::pg::READAHEAD));
                if !flagged {
                    self.map_file_page(pid, addr, table, idx, (pfn << 12) | prot, pfn);
                }
            }
            addr += 4096;
        }
    }

    /// The VMA's readahead state (`file->f_ra`).
    fn file_ra(&self, pid: u32, vma: &Vma) -> (u64, u64, u64) {
        self.vmm
            .tasks
            .get(&pid)
            .and_then(|t| t.mm.vmas.get(&vma.start))
            .map_or((0, 0, 0), |v| v.file_ra)
    }

    fn set_file_ra(&mut self, pid: u32, vma: &Vma, ra: (u64, u64, u64)) {
        if let Some(v) = self
            .vmm
            .tasks
            .get_mut(&pid)
            .and_then(|t| t.mm.vmas.get_mut(&vma.start))
        {
            v.file_ra = ra;
        }
    }

    /// Sets a PTE to a file's page and counts the mapping (`folio_add_file_rmap_ptes`,
    /// `MM_FILEPAGES`).
    fn map_file_page(&mut self, pid: u32, addr: u64, table: u64, idx: usize, pte: u64, pfn: u64) {
        self.vmm.tables.set(table, idx, pte);
        self.k.trace.push(|| VmEvent::PteSet { pid, addr, pte });
        *self.vmm.file_mapped.entry(pfn).or_insert(0) += 1;
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.file_rss += 1;
        }
    }

    /// One PTE less maps a file's page (zap, COW, reclaim's unmap); a Dirty PTE
    /// dirties the page (`zap_present_folio_ptes`).
    pub(crate) fn unmap_file_page(&mut self, pid: u32, pfn: u64, pte: u64) {
        if let Some(c) = self.vmm.file_mapped.get_mut(&pfn) {
            *c -= 1;
            if *c == 0 {
                self.vmm.file_mapped.remove(&pfn);
            }
        }
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.file_rss -= 1;
        }
        if pte & (PAGE_DIRTY | PAGE_SAVED_DIRTY) != 0 {
            if let Some(crate::vmscan::lru::Owner::File { ino, .. }) =
                self.pr.lru.get(pfn).map(|f| f.owner)
            {
                self.file_page_dirtied(ino, pfn);
            }
        }
    }

    /// A write reached a mapped file's page: `folio_mark_dirty`, then the writer may
    /// be throttled or start the flusher (`balance_dirty_pages_ratelimited`).
    fn file_page_dirtied(&mut self, ino: u32, pfn: u64) {
        if self.folio_mark_dirty(ino, pfn) {
            self.balance_dirty_pages(ino);
        }
    }

    /// `do_cow_fault` / `wp_page_copy` of a file's page in a private mapping: a new
    /// anonymous page takes its place, writable and dirty. `old_pte` is the PTE that
    /// mapped the file's page, if one did.
    pub(crate) fn file_cow(
        &mut self,
        pid: u32,
        vma: &Vma,
        page: u64,
        (table, idx): (u64, usize),
        from: u64,
        old_pte: Option<u64>,
    ) -> Result<(FaultKind, u64), VmError> {
        self.mark_anon_vma(pid, vma);
        let new = self.alloc_user_page(pid)?;
        if let Some(e) = old_pte {
            if self.vmm.tables.get(table, idx) != e {
                // Reclaim unmapped the file's page meanwhile (pte_same fails): give
                // the new page back; the access faults again.
                self.k.free_page(new);
                return Err(VmError::FaultRetry);
            }
        }
        self.vmm.anon.add();
        self.lru_add_anon(new, page, 0);
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.anon_rss += 1;
        }
        if let Some(e) = old_pte {
            self.unmap_file_page(pid, from, e);
        }
        let pte = pte_mkwrite(pte_mkdirty((new << 12) | vm_page_prot(vma.flags)));
        self.vmm.tables.set(table, idx, pte);
        self.k.trace.push(|| VmEvent::PteSet {
            pid,
            addr: page,
            pte,
        });
        self.k.trace.push(|| VmEvent::CowCopy {
            pid,
            addr: page,
            from: Pfn(from),
            to: Pfn(new),
            zero: false,
        });
        Ok((FaultKind::CowCopy, new))
    }

    /// `wp_page_shared`: a write to a read-only PTE of a shared file mapping makes it
    /// writable and dirty, and dirties the file's page.
    pub(crate) fn wp_page_shared(
        &mut self,
        pid: u32,
        page: u64,
        (table, idx, e): (u64, usize, u64),
        ino: u32,
    ) -> (FaultKind, u64) {
        let pfn = entry_pfn(e);
        let pte = pte_mkwrite(pte_mkdirty(e | PAGE_ACCESSED));
        self.vmm.tables.set(table, idx, pte);
        self.k.trace.push(|| VmEvent::PteSet {
            pid,
            addr: page,
            pte,
        });
        self.file_page_dirtied(ino, pfn);
        (FaultKind::FileCache, pfn)
    }
}
