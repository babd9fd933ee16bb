//! Swap-in: an access to a page whose PTE holds a swap entry (`mm/memory.c:
//! do_swap_page`, `mm/swap_state.c: swap_vma_readahead`, `__swapin_nr_pages`,
//! `swap_update_readahead`, `__read_swap_cache_async`).
//!
//! The page is in the swap cache (a minor fault: reclaim unmapped it but has not
//! freed it yet, or readahead brought it in) or is read from the swap file (a major
//! fault, `pgmajfault`), with the neighbours that a VMA-based readahead window
//! covers. The swap file is on a solid-state disk, so `swap_use_vma_readahead`
//! holds; reads complete at once.

use super::error::VmError;
use super::events::{FaultKind, VmEvent};
use super::mm::{SwapRa, Vma, VM_WRITE};
use super::pgtable::*;
use super::Vm;
use crate::vmscan::events::VmscanEvent;
use crate::vmscan::lru::{pg, Folio, Owner};
use crate::vocab::gfp::GFP_HIGHUSER_MOVABLE;
use crate::vocab::{GfpFlags, Pfn, ZoneType};

/// `SWAP_RA_ORDER_CEILING`: the VMA window is at most 32 pages.
const SWAP_RA_ORDER_CEILING: u64 = 5;
/// `SWAP_RA_HITS_MAX`.
const SWAP_RA_HITS_MAX: u32 = 63;
/// `PMD_SIZE`: readahead stays inside one page table's 2 MiB.
const PMD_SIZE: u64 = 2 << 20;

/// `__swapin_nr_pages`: the readahead window. Hits since the last fault grow it
/// (hits + 2, rounded up to a power of two from 4); with none, only a fault next to
/// the previous one reads 2, any other reads 1. Capped at `max`, and never below
/// half the previous window.
pub fn swapin_nr_pages(prev_offset: u64, offset: u64, hits: u32, max: u32, prev_win: u32) -> u32 {
    let mut pages = hits + 2;
    if pages == 2 {
        if offset != prev_offset.wrapping_add(1) && offset != prev_offset.wrapping_sub(1) {
            pages = 1;
        }
    } else {
        let mut roundup = 4;
        while roundup < pages {
            roundup <<= 1;
        }
        pages = roundup;
    }
    pages.min(max).max(prev_win / 2)
}

impl Vm<'_> {
    /// `do_swap_page`: find the page in the swap cache or read it (with readahead),
    /// drop this PTE's reference to the slot, map the page, and free the slot too if
    /// swap is more than half full or this is a write by the page's only user
    /// (`should_try_to_free_swap`); otherwise the page keeps its slot, so a clean
    /// page can be reclaimed again without writing it. `(table, idx, orig)` is the
    /// swap PTE.
    pub(crate) fn do_swap_page(
        &mut self,
        pid: u32,
        vma: &Vma,
        page: u64,
        (table, idx, orig): (u64, usize, u64),
        write: bool,
    ) -> Result<(FaultKind, u64), VmError> {
        self.vmm.events.pgfault += 1;
        self.k.trace.push(|| VmEvent::Fault {
            pid,
            addr: page,
            write,
            fault: FaultKind::Swap,
        });
        let (_, off) = pte_to_swp_entry(orig);
        let cached = self.pr.swap.as_ref().and_then(|s| s.cache_folio(off));
        let (pfn, major) = match cached {
            Some(p) => {
                self.swap_update_readahead(pid, vma.start, p, page);
                (p, false)
            }
            None => {
                self.swap_vma_readahead(pid, vma, page)?;
                let p = match self.pr.swap.as_ref().and_then(|s| s.cache_folio(off)) {
                    Some(p) => p,
                    None => self.read_swap_folio(pid, off, page, false)?,
                };
                self.pr.stat.pgmajfault += 1;
                (p, true)
            }
        };
        // The allocations above may have reclaimed or OOM-killed; the PTE must still
        // be the swap entry (pte_same), else the access is retried.
        if self.vmm.tables.get(table, idx) != orig {
            return Err(if self.vmm.tasks.contains_key(&pid) {
                VmError::FaultRetry
            } else {
                VmError::NoProcess(pid)
            });
        }
        let index = page >> 12;
        let others = self.anon_mappings(pfn, index).len();
        let mut exclusive = orig & SWP_EXCLUSIVE != 0;
        if let Some(si) = self.pr.swap.as_mut() {
            si.swap_put(off);
        }
        let full = self.pr.swap.as_ref().is_some_and(|s| s.vm_swap_full());
        // should_try_to_free_swap: swap is full, or a write by the only user.
        let try_free = full || (write && others == 0);
        let freed = try_free && self.folio_free_swap(pfn);
        if freed && others == 0 {
            // folio_ref_count(folio) == 1: nobody else holds it.
            exclusive = true;
        }
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.anon_rss += 1;
            t.mm.swapents -= 1;
        }
        let mut pte = (pfn << 12) | super::fault::vm_page_prot(vma.flags) | PAGE_ACCESSED;
        if orig & SWP_SOFT_DIRTY != 0 {
            pte |= PAGE_SOFT_DIRTY;
        }
        let mut write_left = write;
        if exclusive && vma.flags & VM_WRITE != 0 {
            pte = pte_mkwrite(pte);
            if write {
                pte = pte_mkdirty(pte);
                write_left = false;
            }
        }
        if others == 0 {
            self.vmm.anon.add();
        } else {
            self.vmm.anon.map_again(pfn);
        }
        self.vmm.tables.set(table, idx, pte);
        self.k.trace.push(|| VmEvent::PteSet {
            pid,
            addr: page,
            pte,
        });
        self.k.trace.push(|| VmscanEvent::SwapIn {
            pid,
            addr: page,
            offset: off,
            pfn: Pfn(pfn),
            major,
        });
        if write_left {
            // A write to a page others share: copy-on-write, as do_swap_page hands
            // it to do_wp_page within the same fault (counted once).
            self.vmm.events.pgfault -= 1;
            return self.do_wp_page(pid, vma, page, table, idx, pte);
        }
        let kind = if major {
            FaultKind::SwapIn
        } else {
            FaultKind::SwapCache
        };
        Ok((kind, pfn))
    }

    /// `swap_update_readahead`: a fault found its page in the swap cache; if
    /// readahead had brought it, that is a hit (`swap_ra_hit`) and the VMA's next
    /// window grows.
    fn swap_update_readahead(&mut self, pid: u32, vma_start: u64, pfn: u64, page: u64) {
        let readahead = match self.pr.lru.get_mut(pfn) {
            Some(f) if f.test(pg::READAHEAD) => {
                f.flags &= !pg::READAHEAD;
                true
            }
            _ => false,
        };
        if readahead {
            self.pr.stat.swap_ra_hit += 1;
        }
        if let Some(v) = self.vma_mut(pid, vma_start) {
            let hits = if readahead {
                (v.swap_ra.hits + 1).min(SWAP_RA_HITS_MAX)
            } else {
                v.swap_ra.hits
            };
            v.swap_ra = SwapRa {
                addr: page,
                win: v.swap_ra.win,
                hits,
            };
        }
    }

    fn vma_mut(&mut self, pid: u32, start: u64) -> Option<&mut Vma> {
        self.vmm.tasks.get_mut(&pid)?.mm.vmas.get_mut(&start)
    }

    /// `swap_vma_readahead`: the window around the fault (`swap_vma_ra_win`: forward
    /// after a fault on the page below, backward after one on the page above, else
    /// centred), clipped to the VMA and the 2 MiB of its page table; every swap
    /// entry in it not already cached is read (`swap_ra`), the faulting page
    /// included.
    fn swap_vma_readahead(&mut self, pid: u32, vma: &Vma, page: u64) -> Result<(), VmError> {
        let cluster = self.sysctl.page_cluster.min(SWAP_RA_ORDER_CEILING);
        let max_win = 1u32 << cluster;
        if max_win == 1 {
            return Ok(());
        }
        let ra = self
            .vma_mut(pid, vma.start)
            .map(|v| v.swap_ra)
            .unwrap_or_default();
        let win = swapin_nr_pages(ra.addr >> 12, page >> 12, ra.hits, max_win, ra.win);
        if let Some(v) = self.vma_mut(pid, vma.start) {
            v.swap_ra = SwapRa {
                addr: page,
                win,
                hits: 0,
            };
        }
        if win == 1 {
            return Ok(());
        }
        let span = u64::from(win) << 12;
        let left = if page == ra.addr + 4096 {
            page
        } else if ra.addr == page + 4096 {
            (page + 4096).saturating_sub(span)
        } else {
            page.saturating_sub(u64::from((win - 1) / 2) << 12)
        };
        let right = left + span;
        let pmd = page & !(PMD_SIZE - 1);
        let start = left.max(vma.start).max(pmd);
        let end = right.min(vma.end).min(pmd + PMD_SIZE);
        let Some(pgd) = self.vmm.tasks.get(&pid).map(|t| t.mm.pgd) else {
            return Ok(());
        };
        let mut addr = start;
        while addr < end {
            if let Some((_, _, e)) = self
                .pte_lookup(pgd, addr)
                .filter(|(_, _, e)| is_swap_pte(*e))
            {
                let (_, off) = pte_to_swp_entry(e);
                let cached = self.pr.swap.as_ref().and_then(|s| s.cache_entry(off));
                if !matches!(
                    cached,
                    Some(crate::vmscan::swapfile::SwapCacheEntry::Folio(_))
                ) {
                    match self.read_swap_folio(pid, off, addr, addr != page) {
                        Ok(_) => {}
                        Err(e @ (VmError::Killed(_) | VmError::Panic | VmError::NoProcess(_))) => {
                            return Err(e)
                        }
                        // A readahead page that cannot be had is skipped.
                        Err(_) => {}
                    }
                }
            }
            addr += 4096;
        }
        Ok(())
    }

    /// `__read_swap_cache_async` + `swap_read_folio`: a new folio for slot `off`
    /// joins the swap cache and the LRU (inactive anon, or active if its shadow says
    /// it was evicted recently: `workingset_refault`) and is read from the disk
    /// (`pswpin`). A readahead page gets PG_readahead.
    fn read_swap_folio(
        &mut self,
        pid: u32,
        off: u64,
        addr: u64,
        readahead: bool,
    ) -> Result<u64, VmError> {
        let pfn = self.alloc_user_page_gfp(pid, GfpFlags(GFP_HIGHUSER_MOVABLE))?;
        let Some(si) = self.pr.swap.as_mut() else {
            self.k.free_page(pfn);
            return Err(VmError::NoProcess(pid));
        };
        let shadow = si.swap_cache_add(off, pfn);
        let mut flags = 0;
        if let Some(s) = shadow {
            flags |= self.workingset_refault(s >> 1, s & 1 == 1, false);
        }
        if readahead {
            flags |= pg::READAHEAD;
            self.pr.stat.swap_ra += 1;
        }
        let zone = self.k.node.zone_of(Pfn(pfn)).unwrap_or(ZoneType::Normal);
        let lru = self.pr.lru.add(
            pfn,
            Folio::new(
                Owner::Anon {
                    index: addr >> 12,
                    swap: off as u32,
                },
                zone,
                pg::SWAPBACKED | flags,
            ),
        );
        self.pr.stat.pswpin += 1;
        self.pr.stat.pgpgin += 4;
        self.k
            .trace
            .push(|| VmscanEvent::LruAdd { pfn: Pfn(pfn), lru });
        if readahead {
            self.k.trace.push(|| VmscanEvent::SwapReadahead {
                addr,
                offset: off,
                pfn: Pfn(pfn),
            });
        }
        Ok(pfn)
    }
}

#[cfg(test)]
mod tests {
    use super::swapin_nr_pages;

    /// `__swapin_nr_pages` by hand: no hits and a jump read one page; the page next
    /// to the last fault two; hits round up to powers of two from 4; the window
    /// shrinks by at most half; the cap is `1 << page_cluster`.
    #[test]
    fn the_readahead_window_grows_with_hits() {
        assert_eq!(swapin_nr_pages(0, 100, 0, 8, 0), 1);
        assert_eq!(swapin_nr_pages(100, 101, 0, 8, 1), 2);
        assert_eq!(swapin_nr_pages(101, 100, 0, 8, 1), 2);
        assert_eq!(swapin_nr_pages(100, 102, 1, 8, 2), 4);
        assert_eq!(swapin_nr_pages(100, 102, 3, 8, 4), 8);
        assert_eq!(swapin_nr_pages(100, 102, 30, 8, 8), 8);
        assert_eq!(swapin_nr_pages(100, 500, 0, 8, 8), 4);
    }
}
