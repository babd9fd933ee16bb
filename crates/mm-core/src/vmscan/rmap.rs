//! Reverse mapping of anonymous folios (`mm/rmap.c: rmap_walk_anon`,
//! `folio_referenced`, `try_to_unmap`) and their place on the LRU
//! (`folio_add_new_anon_rmap`, `folio_add_lru_vma`).
//!
//! The kernel finds the PTEs that map an anonymous folio through its `anon_vma`:
//! the VMAs of the process that faulted it and of the children forked since, each
//! at the folio's address (`folio->index` is that address in pages, as nothing
//! here moves a mapping). This model asks every process that has an anonymous VMA
//! at that address, which finds the same PTEs.

use super::events::VmscanEvent;
use super::lru::{pg, Folio, Owner};
use crate::vm::events::VmEvent;
use crate::vm::mm::Backing;
use crate::vm::pgtable::*;
use crate::vm::Vm;
use crate::vocab::{Pfn, ZoneType};

/// One PTE that maps a folio: the process, the PTE table and index, the entry.
#[derive(Clone, Copy, Debug)]
pub struct Mapping {
    /// The process.
    pub pid: u32,
    /// The PTE table's PFN.
    pub table: u64,
    /// The entry's index in it.
    pub idx: usize,
    /// The entry.
    pub pte: u64,
    /// The address it maps.
    pub addr: u64,
}

impl Vm<'_> {
    /// `rmap_walk_anon`: every present PTE mapping anonymous folio `pfn` at page
    /// `index`.
    pub(crate) fn anon_mappings(&self, pfn: u64, index: u64) -> Vec<Mapping> {
        let va = index << 12;
        let mut out = Vec::new();
        for t in self.vmm.tasks.values() {
            let Some(v) = t.mm.find(va) else { continue };
            // Anonymous pages live in anonymous VMAs and, as copies, in private
            // file mappings.
            let private_file =
                matches!(v.backing, Backing::File(_)) && v.flags & crate::vm::mm::VM_SHARED == 0;
            if v.backing != Backing::Anon && !private_file {
                continue;
            }
            if let Some((table, idx, pte)) = self.pte_lookup(t.mm.pgd, va) {
                if pte & PAGE_PRESENT != 0 && entry_pfn(pte) == pfn {
                    out.push(Mapping {
                        pid: t.pid,
                        table,
                        idx,
                        pte,
                        addr: va,
                    });
                }
            }
        }
        out
    }

    /// `folio_add_new_anon_rmap` + `folio_add_lru_vma`: a new anonymous folio at
    /// address `va` goes to the head of the inactive anon list (v6.19 starts anon
    /// inactive, like the page cache; older kernels started it active).
    pub(crate) fn lru_add_anon(&mut self, pfn: u64, va: u64, flags: u16) {
        let zone = self.k.node.zone_of(Pfn(pfn)).unwrap_or(ZoneType::Normal);
        self.pr.lru.add(
            pfn,
            Folio::new(
                Owner::Anon {
                    index: va >> 12,
                    swap: 0,
                },
                zone,
                pg::SWAPBACKED | flags,
            ),
        );
    }

    /// The last PTE mapping an anonymous folio went (`zap_present_ptes`, a COW copy,
    /// `free_swap_cache`): freed, unless swap PTEs still point at its swap slot, in
    /// which case it stays in the swap cache for them.
    pub(crate) fn anon_folio_unmapped(&mut self, pfn: u64) {
        let slot = match self.pr.lru.get(pfn).map(|f| f.owner) {
            Some(Owner::Anon { swap, .. }) => swap,
            _ => 0,
        };
        if slot != 0 {
            let Some(si) = self.pr.swap.as_mut() else {
                return;
            };
            if si.swap_count(u64::from(slot)) > 0 {
                return;
            }
            // folio_free_swap: nothing else needs the slot.
            si.swap_cache_del(u64::from(slot), None);
        }
        self.pr.lru.remove(pfn);
        self.k.free_page(pfn);
    }

    /// `folio_free_swap`: a folio in the swap cache whose slot no swap PTE needs
    /// leaves the cache, and the slot is freed. True if it did.
    pub(crate) fn folio_free_swap(&mut self, pfn: u64) -> bool {
        let Some(Owner::Anon { index, swap }) = self.pr.lru.get(pfn).map(|f| f.owner) else {
            return false;
        };
        let Some(si) = self.pr.swap.as_mut() else {
            return false;
        };
        if swap == 0 || si.swap_count(u64::from(swap)) > 0 {
            return false;
        }
        si.swap_cache_del(u64::from(swap), None);
        if let Some(f) = self.pr.lru.get_mut(pfn) {
            f.owner = Owner::Anon { index, swap: 0 };
            // The only copy of the data is in memory again.
            f.flags |= pg::DIRTY;
        }
        true
    }

    /// `folio_referenced` for an anonymous folio: one for each mapping whose PTE the
    /// CPU marked Accessed since the last look, clearing the bit
    /// (`ptep_clear_flush_young`).
    pub(crate) fn folio_referenced_anon(&mut self, pfn: u64, index: u64) -> u32 {
        let mut young = 0;
        for m in self.anon_mappings(pfn, index) {
            if m.pte & PAGE_ACCESSED != 0 {
                self.vmm.tables.set(m.table, m.idx, m.pte & !PAGE_ACCESSED);
                young += 1;
            }
        }
        young
    }

    /// `try_to_unmap` → `try_to_unmap_one` for an anonymous folio in the swap cache at
    /// `slot`: each PTE becomes a swap entry (exclusive if this was the only mapping,
    /// soft-dirty kept), the slot gains a reference per PTE (`swap_duplicate`), and
    /// each process's `MM_ANONPAGES` moves to `MM_SWAPENTS`. A Dirty PTE dirties the
    /// folio. Returns the PTEs unmapped.
    pub(crate) fn try_to_unmap(&mut self, pfn: u64, index: u64, slot: u64) -> u64 {
        let maps = self.anon_mappings(pfn, index);
        let exclusive = maps.len() == 1 && self.vmm.anon.mapcount(pfn) == 1;
        let addr = index << 12;
        for m in &maps {
            let mut swp = swp_entry_to_pte(0, slot);
            if exclusive {
                swp |= SWP_EXCLUSIVE;
            }
            if m.pte & PAGE_SOFT_DIRTY != 0 {
                swp |= SWP_SOFT_DIRTY;
            }
            if m.pte & (PAGE_DIRTY | PAGE_SAVED_DIRTY) != 0 {
                if let Some(f) = self.pr.lru.get_mut(pfn) {
                    f.flags |= pg::DIRTY;
                }
            }
            self.vmm.tables.set(m.table, m.idx, swp);
            let pid = m.pid;
            self.k.trace.push(|| VmEvent::PteSet {
                pid,
                addr,
                pte: swp,
            });
            if let Some(si) = self.pr.swap.as_mut() {
                si.swap_duplicate(slot);
            }
            if let Some(t) = self.vmm.tasks.get_mut(&m.pid) {
                t.mm.anon_rss -= 1;
                t.mm.swapents += 1;
            }
            self.vmm.anon.unmap(pfn);
        }
        let ptes = maps.len() as u64;
        self.k.trace.push(|| VmscanEvent::Unmap {
            pfn: Pfn(pfn),
            ptes,
            offset: Some(slot),
        });
        ptes
    }
}

impl Vm<'_> {
    /// `free_swap_and_cache_nr` for one swap PTE being zapped: the slot loses a
    /// reference; if only the swap cache holds it now, `__try_to_reclaim_swap`
    /// (`TTRS_UNMAPPED | TTRS_FULL`) drops the cached folio when no PTE maps it or
    /// swap is more than half full, and the slot is freed.
    pub(crate) fn free_swap_and_cache(&mut self, off: u64) {
        let Some(si) = self.pr.swap.as_mut() else {
            return;
        };
        if !si.swap_put(off) {
            return;
        }
        let full = si.vm_swap_full();
        let Some(pfn) = si.cache_folio(off) else {
            return;
        };
        let Some(Owner::Anon { index, .. }) = self.pr.lru.get(pfn).map(|f| f.owner) else {
            return;
        };
        let mapped = !self.anon_mappings(pfn, index).is_empty();
        if !mapped {
            // The swap cache held the last reference: the folio goes with the slot.
            self.anon_folio_unmapped(pfn);
        } else if full {
            self.folio_free_swap(pfn);
        }
    }
}

impl Vm<'_> {
    /// `rmap_walk_file`: every present PTE mapping page `index` of file `ino` (each
    /// VMA of the file that covers the index, at its address there), with whether
    /// that VMA is executable.
    pub(crate) fn file_mappings(&self, pfn: u64, ino: u32, index: u64) -> Vec<(Mapping, bool)> {
        let mut out = Vec::new();
        for t in self.vmm.tasks.values() {
            for v in t.mm.vmas.values() {
                if v.backing != Backing::File(ino)
                    || index < v.pgoff
                    || index >= v.pgoff + v.pages()
                {
                    continue;
                }
                let va = v.start + ((index - v.pgoff) << 12);
                if let Some((table, idx, pte)) = self.pte_lookup(t.mm.pgd, va) {
                    if pte & PAGE_PRESENT != 0 && entry_pfn(pte) == pfn {
                        let m = Mapping {
                            pid: t.pid,
                            table,
                            idx,
                            pte,
                            addr: va,
                        };
                        out.push((m, v.flags & crate::vm::mm::VM_EXEC != 0));
                    }
                }
            }
        }
        out
    }

    /// `folio_referenced` for a page-cache folio: young PTEs counted and cleared, and
    /// whether a mapping is executable (`VM_EXEC`, which keeps code pages active).
    pub(crate) fn folio_referenced_file(&mut self, pfn: u64, ino: u32, index: u64) -> (u32, bool) {
        if !self.vmm.file_mapped.contains_key(&pfn) {
            return (0, false);
        }
        let (mut young, mut exec) = (0, false);
        for (m, x) in self.file_mappings(pfn, ino, index) {
            if m.pte & PAGE_ACCESSED != 0 {
                self.vmm.tables.set(m.table, m.idx, m.pte & !PAGE_ACCESSED);
                young += 1;
                exec |= x;
            }
        }
        (young, exec)
    }

    /// `try_to_unmap` for a page-cache folio: every PTE mapping it is cleared (a
    /// later access faults it back from the page cache or the file), a Dirty one
    /// dirtying it. Returns the PTEs cleared.
    pub(crate) fn try_to_unmap_file(&mut self, pfn: u64, ino: u32, index: u64) -> u64 {
        if !self.vmm.file_mapped.contains_key(&pfn) {
            return 0;
        }
        let maps = self.file_mappings(pfn, ino, index);
        for (m, _) in &maps {
            self.vmm.tables.set(m.table, m.idx, 0);
            let (pid, addr) = (m.pid, m.addr);
            self.k.trace.push(|| VmEvent::PteSet { pid, addr, pte: 0 });
            self.unmap_file_page(m.pid, pfn, m.pte);
        }
        let ptes = maps.len() as u64;
        self.k.trace.push(|| VmscanEvent::Unmap {
            pfn: Pfn(pfn),
            ptes,
            offset: None,
        });
        ptes
    }
}
