//! Mapping and unmapping (`mm/mmap.c: do_mmap`, `mmap_region`, `get_unmapped_area`,
//! `do_brk_flags`; `mm/vma.c: do_vmi_munmap`, `vma_merge`).

use super::error::VmError;
use super::events::VmEvent;
use super::mm::*;
use super::Vm;
use crate::sysctl::OvercommitMode;
use crate::vocab::xarray::{XArray, XaEntry};

/// `PROT_*` and `MAP_*` as `mmap` takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MmapArgs {
    /// PROT_READ.
    pub read: bool,
    /// PROT_WRITE.
    pub write: bool,
    /// PROT_EXEC.
    pub exec: bool,
    /// MAP_SHARED (else MAP_PRIVATE).
    pub shared: bool,
    /// MAP_NORESERVE.
    pub noreserve: bool,
    /// A file to map: its inode, path and the offset in pages (`vm_pgoff`).
    pub file: Option<(u32, String, u64)>,
}

/// `PAGE_ALIGN`.
pub fn page_align(x: u64) -> Option<u64> {
    x.checked_add(4095).map(|v| v & !4095)
}

impl Vm<'_> {
    /// `get_unmapped_area` top-down: the highest gap below `mmap_base` that fits.
    fn get_unmapped_area(&self, pid: u32, len: u64) -> Option<u64> {
        let mm = &self.vmm.tasks.get(&pid)?.mm;
        let mut gap_end = MMAP_BASE;
        for vma in mm.vmas.values().rev() {
            if vma.start >= gap_end {
                continue;
            }
            if vma.end <= gap_end && gap_end - vma.end >= len {
                return Some(gap_end - len);
            }
            gap_end = gap_end.min(vma.start);
        }
        (gap_end.saturating_sub(MMAP_MIN_ADDR) >= len).then(|| gap_end - len)
    }

    /// `do_mmap` of anonymous memory. Private writable mappings are charged to
    /// Committed_AS for their full length (`accountable_mapping`) unless
    /// `MAP_NORESERVE` outside mode 2; `MAP_SHARED|MAP_ANONYMOUS` is charged through
    /// its shmem object (`shmem_acct_size`), even read-only. A new private mapping
    /// next to a compatible one is merged into it (`vma_merge`).
    pub fn mmap(&mut self, pid: u32, len: u64, a: MmapArgs) -> Result<u64, VmError> {
        let a = &a;
        if !self.vmm.tasks.contains_key(&pid) {
            return Err(VmError::NoProcess(pid));
        }
        let len = page_align(len)
            .filter(|l| *l > 0)
            .ok_or(VmError::LengthZero)?;
        if len > TASK_SIZE {
            return Err(VmError::TooLong);
        }
        let mut flags = 0x10 | 0x20 | 0x40; // VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC
        if a.read {
            flags |= VM_READ;
        }
        if a.write {
            flags |= VM_WRITE;
        }
        if a.exec {
            flags |= VM_EXEC;
        }
        if a.shared {
            flags |= VM_SHARED | 0x80; // VM_MAYSHARE
        }
        if a.noreserve && self.sysctl.overcommit_memory != OvercommitMode::Never {
            flags |= VM_NORESERVE;
        }
        let addr = self.get_unmapped_area(pid, len).ok_or(VmError::NoGap)?;
        let pages = len >> 12;
        let total_vm = self.vmm.tasks.get(&pid).map(|t| t.mm.total_vm());
        let backing = if let Some((ino, _, _)) = &a.file {
            // A file mapping: only a private writable one is charged
            // (accountable_mapping); shared ones write back to the file.
            if flags & (VM_NORESERVE | VM_SHARED | VM_WRITE) == VM_WRITE {
                self.vm_enough_memory(pid, pages, total_vm)?;
                flags |= VM_ACCOUNT;
            }
            Backing::File(*ino)
        } else if a.shared {
            // shmem_zero_setup → shmem_acct_size: charged unless VM_NORESERVE.
            let charged = flags & VM_NORESERVE == 0;
            if charged {
                self.vm_enough_memory(pid, pages, total_vm)?;
            }
            let id = self.vmm.shmem.len();
            self.vmm.shmem.push(Some(Shmem {
                pages,
                charged,
                i_pages: XArray::new(),
                nrpages: 0,
                users: 0,
            }));
            Backing::Shmem(id)
        } else {
            if flags & (VM_NORESERVE | VM_SHARED | VM_WRITE) == VM_WRITE {
                self.vm_enough_memory(pid, pages, total_vm)?;
                flags |= VM_ACCOUNT;
            }
            Backing::Anon
        };
        let (name, pgoff) = match &a.file {
            Some((_, path, pgoff)) => (path.clone(), *pgoff),
            None if a.shared => ("/dev/zero (deleted)".to_string(), 0),
            None => (String::new(), 0),
        };
        let vma = Vma {
            start: addr,
            end: addr + len,
            flags,
            backing,
            pgoff,
            name,
            slab_obj: 0,
            anon_vma: None,
            fork_child: false,
            swap_ra: Default::default(),
            file_ra: (0, 0, 0),
        };
        self.insert_vma(pid, vma).inspect_err(|_| {
            if let Backing::Shmem(id) = backing {
                self.release_shmem(pid, id);
            } else if flags & VM_ACCOUNT != 0 {
                self.vm_unacct_memory(pid, pages);
            }
        })?;
        Ok(addr)
    }

    /// Inserts a VMA, merging it with an adjacent compatible private anonymous VMA
    /// (no new `vm_area_struct` then) or allocating a `vm_area_struct` for it.
    fn insert_vma(&mut self, pid: u32, mut vma: Vma) -> Result<(), VmError> {
        let mm = &self.vmm.tasks.get(&pid).ok_or(VmError::NoProcess(pid))?.mm;
        // is_mergeable_vma, and is_mergeable_anon_vma for a new range (no anon_vma of
        // its own): the target's anon_vma is used, unless it is a fork child's.
        let mergeable = |o: &Vma| {
            o.backing == Backing::Anon
                && vma.backing == Backing::Anon
                && o.flags == vma.flags
                && o.name == vma.name
                && !(o.anon_vma.is_some() && o.fork_child)
        };
        let prev = mm
            .vmas
            .range(..vma.start)
            .next_back()
            .map(|(_, v)| v.clone())
            .filter(|p| p.end == vma.start && mergeable(p));
        // can_vma_merge_right: with both sides, their anon_vmas must agree too.
        let next = mm
            .vmas
            .get(&vma.end)
            .filter(|n| mergeable(n))
            .cloned()
            .filter(|n| {
                prev.as_ref().is_none_or(|p| {
                    p.anon_vma.is_none() || n.anon_vma.is_none() || p.anon_vma == n.anon_vma
                })
            });
        let (s, e, perms, name) = (vma.start, vma.end, vma.perms(), vma.name.clone());
        match (prev, next) {
            (Some(p), next) => {
                let task = self
                    .vmm
                    .tasks
                    .get_mut(&pid)
                    .ok_or(VmError::NoProcess(pid))?;
                let mut merged = p.clone();
                merged.end = vma.end;
                if let Some(n) = &next {
                    merged.end = n.end;
                    merged.anon_vma = merged.anon_vma.or(n.anon_vma);
                    task.mm.vmas.remove(&n.start);
                }
                task.mm.vmas.insert(merged.start, merged);
                if let Some(n) = next {
                    self.obj_free(n.slab_obj);
                }
            }
            (None, Some(n)) => {
                let task = self
                    .vmm
                    .tasks
                    .get_mut(&pid)
                    .ok_or(VmError::NoProcess(pid))?;
                task.mm.vmas.remove(&n.start);
                let mut merged = n.clone();
                merged.start = vma.start;
                task.mm.vmas.insert(merged.start, merged);
            }
            (None, None) => {
                vma.slab_obj = self.obj_alloc("vm_area_struct")?;
                if let Backing::Shmem(id) = vma.backing {
                    if let Some(Some(sh)) = self.vmm.shmem.get_mut(id) {
                        sh.users += 1;
                    }
                }
                let task = self
                    .vmm
                    .tasks
                    .get_mut(&pid)
                    .ok_or(VmError::NoProcess(pid))?;
                task.mm.vmas.insert(vma.start, vma);
            }
        }
        self.k.trace.push(|| VmEvent::VmaCreated {
            pid,
            start: s,
            end: e,
            perms,
            name: name.into(),
        });
        Ok(())
    }

    /// Drops a shmem object's user; the last one frees its pages and uncharges it.
    fn release_shmem(&mut self, pid: u32, id: usize) {
        let Some(Some(sh)) = self.vmm.shmem.get_mut(id) else {
            return;
        };
        sh.users = sh.users.saturating_sub(1);
        if sh.users > 0 {
            return;
        }
        let (pages, charged, cache) = (sh.pages, sh.charged, std::mem::take(&mut sh.i_pages));
        self.vmm.shmem[id] = None;
        for (_, entry) in cache.iter() {
            if let XaEntry::Folio(pfn) = entry {
                self.k.free_page(pfn);
            }
        }
        if charged {
            self.vm_unacct_memory(pid, pages);
        }
    }

    /// Removes a whole VMA: its pages, its charge, its `vm_area_struct`.
    pub(crate) fn remove_vma(&mut self, pid: u32, vma: &Vma) {
        // update_hiwater_vm / update_hiwater_rss before the mapping goes.
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.hiwater_vm = t.mm.hiwater_vm.max(t.mm.total_vm());
            t.mm.hiwater_rss = t.mm.hiwater_rss.max(t.mm.rss());
        }
        self.zap_range(pid, vma.start, vma.end);
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.vmas.remove(&vma.start);
        }
        if vma.flags & VM_ACCOUNT != 0 {
            self.vm_unacct_memory(pid, vma.pages());
        }
        match vma.backing {
            Backing::Shmem(id) => self.release_shmem(pid, id),
            Backing::File(ino) => self.release_file(ino),
            Backing::Anon => {}
        }
        self.obj_free(vma.slab_obj);
        let (start, end) = (vma.start, vma.end);
        self.k
            .trace
            .push(|| VmEvent::VmaRemoved { pid, start, end });
    }

    /// `do_vmi_munmap`: unmaps `[addr, addr + len)`, splitting VMAs that straddle
    /// the edges (each split needs a new `vm_area_struct`) and uncharging what goes.
    pub fn munmap(&mut self, pid: u32, addr: u64, len: u64) -> Result<u64, VmError> {
        if !self.vmm.tasks.contains_key(&pid) {
            return Err(VmError::NoProcess(pid));
        }
        if addr & 4095 != 0 {
            return Err(VmError::NotAligned(addr));
        }
        let len = page_align(len)
            .filter(|l| *l > 0)
            .ok_or(VmError::LengthZero)?;
        let end = addr
            .checked_add(len)
            .filter(|e| *e <= TASK_SIZE)
            .ok_or(VmError::PastUserSpace)?;
        // Split at both edges first; a failed split leaves everything as it was.
        for edge in [addr, end] {
            self.split_vma_at(pid, edge)?;
        }
        let victims: Vec<Vma> = self
            .vmm
            .tasks
            .get(&pid)
            .map(|t| t.mm.vmas.range(addr..end).map(|(_, v)| v.clone()).collect())
            .unwrap_or_default();
        let mut pages = 0;
        for v in &victims {
            pages += v.pages();
            self.remove_vma(pid, v);
        }
        Ok(pages)
    }

    /// `split_vma`: cuts the VMA containing `at` (if it does not start there) in two.
    fn split_vma_at(&mut self, pid: u32, at: u64) -> Result<(), VmError> {
        let Some(vma) = self
            .vmm
            .tasks
            .get(&pid)
            .and_then(|t| t.mm.find(at).cloned())
        else {
            return Ok(());
        };
        if vma.start == at {
            return Ok(());
        }
        let obj = self.obj_alloc("vm_area_struct")?;
        let mut low = vma.clone();
        let mut high = vma.clone();
        low.end = at;
        high.start = at;
        high.pgoff = vma.pgoff + ((at - vma.start) >> 12);
        high.slab_obj = obj;
        if let Backing::Shmem(id) = vma.backing {
            if let Some(Some(sh)) = self.vmm.shmem.get_mut(id) {
                sh.users += 1;
            }
        }
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.vmas.insert(low.start, low);
            t.mm.vmas.insert(high.start, high);
        }
        Ok(())
    }

    /// `brk(2)` by `delta` bytes: growing extends `[heap]` (`do_brk_flags`, charged to
    /// Committed_AS); shrinking unmaps its tail. Returns the new break.
    pub fn brk(&mut self, pid: u32, delta: i64) -> Result<u64, VmError> {
        let mm = &self.vmm.tasks.get(&pid).ok_or(VmError::NoProcess(pid))?.mm;
        let (start_brk, old) = (mm.start_brk, mm.brk);
        let new = old
            .checked_add_signed(delta)
            .filter(|n| *n >= start_brk)
            .ok_or(VmError::BelowHeapStart)?;
        let old_end = page_align(old).ok_or(VmError::Overflow)?;
        let new_end = page_align(new).ok_or(VmError::Overflow)?;
        if new_end > old_end {
            let clash = mm.find_intersection(old_end, new_end).is_some() || new_end > MMAP_BASE;
            if clash {
                return Err(VmError::HeapClash);
            }
            let pages = (new_end - old_end) >> 12;
            let total_vm = mm.total_vm();
            self.vm_enough_memory(pid, pages, Some(total_vm))?;
            let flags = VM_READ | VM_WRITE | 0x10 | 0x20 | 0x40 | VM_ACCOUNT;
            let vma = Vma {
                start: old_end,
                end: new_end,
                flags,
                backing: Backing::Anon,
                pgoff: 0,
                name: "[heap]".into(),
                slab_obj: 0,
                anon_vma: None,
                fork_child: false,
                swap_ra: Default::default(),
                file_ra: (0, 0, 0),
            };
            self.insert_vma(pid, vma)
                .inspect_err(|_| self.vm_unacct_memory(pid, pages))?;
        } else if new_end < old_end {
            self.munmap(pid, new_end, old_end - new_end)?;
        }
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.brk = new;
        }
        Ok(new)
    }
}

#[cfg(test)]
mod tests {
    use crate::machine::Machine;

    fn vmas(m: &Machine, pid: u32) -> Vec<(u64, u64, String)> {
        m.vmm.tasks.get(&pid).map_or_else(Vec::new, |t| {
            t.mm.vmas
                .values()
                .map(|v| (v.start, v.end, v.perms().to_string()))
                .collect()
        })
    }

    /// `vma_merge`: a new private anonymous mapping that ends where a compatible one
    /// begins (same flags, no name) extends it; no new `vm_area_struct` is needed.
    #[test]
    fn adjacent_compatible_mappings_merge() {
        let mut m = Machine::default();
        m.run("spawn a");
        let before = vmas(&m, 2).len();
        m.run("mmap 2 64K");
        m.run("mmap 2 64K");
        let v = vmas(&m, 2);
        assert_eq!(v.len(), before + 1, "{v:x?}");
        assert!(v.iter().any(|(s, e, _)| e - s == 128 << 10));
    }

    /// Different protections cannot share a VMA: `is_mergeable_vma` compares flags.
    #[test]
    fn different_protections_do_not_merge() {
        let mut m = Machine::default();
        m.run("spawn a");
        let before = vmas(&m, 2).len();
        m.run("mmap 2 64K");
        m.run("mmap 2 64K PROT_READ");
        assert_eq!(vmas(&m, 2).len(), before + 2);
    }
}
