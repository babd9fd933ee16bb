//! Reclaim passes (`mm/vmscan.c: shrink_node`, `prepare_scan_control`,
//! `get_scan_count`, `shrink_lruvec`, `shrink_inactive_list`, `shrink_folio_list`,
//! `folio_check_references`, `shrink_active_list`, `inactive_is_low`,
//! `do_try_to_free_pages`).

use super::events::{Fate, Reclaimer, ScanBalance, VmscanEvent};
use super::filemap::CacheEntry;
use super::lru::{pg, LruList, Owner};
use super::{DEF_PRIORITY, SWAP_CLUSTER_MAX};
use crate::vm::Vm;
use crate::vocab::{int_sqrt, GfpFlags, Pfn, Watermark, ZoneType, MAX_NR_ZONES};

/// `MAX_SWAPPINESS`.
pub const MAX_SWAPPINESS: u64 = 200;
/// `DEACTIVATE_ANON`.
const DEACTIVATE_ANON: u8 = 1;
/// `DEACTIVATE_FILE`.
const DEACTIVATE_FILE: u8 = 2;
/// `SWAP_CLUSTER_MAX_SKIPPED`: folios of higher zones one isolation may pass over.
const SWAP_CLUSTER_MAX_SKIPPED: u64 = SWAP_CLUSTER_MAX << 10;

/// `struct scan_control`: one reclaim run's parameters and results.
#[derive(Clone, Copy, Debug)]
pub struct ScanControl {
    /// kswapd0 or the allocating task.
    pub by: Reclaimer,
    /// Pages to reclaim before stopping.
    pub nr_to_reclaim: u64,
    /// The highest zone whose pages count (`gfp_zone` of the request).
    pub reclaim_idx: usize,
    /// Scan `size >> priority` of each list.
    pub priority: u8,
    /// May swap anonymous pages.
    pub may_swap: bool,
    /// `may_deactivate`: which active lists may be shrunk.
    may_deactivate: u8,
    /// `force_deactivate`.
    pub force_deactivate: bool,
    /// `skipped_deactivate`.
    skipped_deactivate: bool,
    cache_trim_mode: bool,
    file_is_tiny: bool,
    /// Folios scanned this pass.
    pub nr_scanned: u64,
    /// Pages reclaimed in the run.
    pub nr_reclaimed: u64,
    /// Every isolated folio of the last batch was dirty and not queued for writeback.
    pub unqueued_dirty: bool,
}

impl ScanControl {
    /// A run by `by` for an allocation of `order` limited to zones up to `reclaim_idx`.
    pub fn new(by: Reclaimer, nr_to_reclaim: u64, reclaim_idx: usize) -> Self {
        ScanControl {
            by,
            nr_to_reclaim,
            reclaim_idx,
            priority: DEF_PRIORITY,
            may_swap: true,
            may_deactivate: 0,
            force_deactivate: false,
            skipped_deactivate: false,
            cache_trim_mode: false,
            file_is_tiny: false,
            nr_scanned: 0,
            nr_reclaimed: 0,
            unqueued_dirty: false,
        }
    }
}

/// What `folio_check_references` decided.
enum References {
    Activate,
    Keep,
    Reclaim,
    ReclaimClean,
}

impl Vm<'_> {
    fn lru_size(&self, lru: LruList) -> u64 {
        self.pr.lru.size(lru, MAX_NR_ZONES - 1)
    }

    /// Whether anonymous pages can be reclaimed (`can_reclaim_anon_pages`: free swap).
    pub(crate) fn can_reclaim_anon(&self) -> bool {
        self.pr.swap.as_ref().is_some_and(|s| s.nr_swap_pages() > 0)
    }

    /// `inactive_is_low`: the inactive list is smaller than the active one divided by
    /// `int_sqrt(10 × GiB of both)` (1 under 1 GiB).
    pub fn inactive_is_low(&self, inactive: LruList) -> bool {
        let file = inactive.is_file();
        let i = self.lru_size(inactive);
        let a = self.lru_size(LruList::active(file));
        let gb = (i + a) >> 18;
        let ratio = if gb > 0 { int_sqrt(10 * gb) } else { 1 };
        i * ratio < a
    }

    /// `prepare_scan_control`: may each active list be aged, cache trim mode, and
    /// whether the file cache is too small to bother with.
    fn prepare_scan_control(&mut self, sc: &mut ScanControl) {
        let st = &self.pr.stat;
        if sc.force_deactivate {
            sc.may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
        } else {
            let anon = st.workingset_activate[0] != self.pr.refaults[0]
                || self.inactive_is_low(LruList::InactiveAnon);
            let file = st.workingset_activate[1] != self.pr.refaults[1]
                || self.inactive_is_low(LruList::InactiveFile);
            sc.may_deactivate = 0;
            if anon {
                sc.may_deactivate |= DEACTIVATE_ANON;
            }
            if file {
                sc.may_deactivate |= DEACTIVATE_FILE;
            }
        }
        let inactive_file = self.lru_size(LruList::InactiveFile);
        sc.cache_trim_mode =
            inactive_file >> sc.priority != 0 && sc.may_deactivate & DEACTIVATE_FILE == 0;
        let free = self.k.node.nr_free_pages();
        let file = inactive_file + self.lru_size(LruList::ActiveFile);
        let total_high: u64 = self
            .k
            .node
            .zones
            .iter()
            .filter(|z| z.managed > 0)
            .map(|z| z.wmark_pages(Watermark::High))
            .sum();
        sc.file_is_tiny = file + free <= total_high
            && sc.may_deactivate & DEACTIVATE_ANON == 0
            && self.lru_size(LruList::InactiveAnon) >> sc.priority != 0;
    }

    /// `get_scan_count`: pages to scan of inactive anon, active anon, inactive file,
    /// active file.
    fn get_scan_count(&mut self, sc: &ScanControl) -> [u64; 4] {
        let swappiness = self.sysctl.swappiness;
        let balance = if !sc.may_swap || !self.can_reclaim_anon() {
            ScanBalance::File
        } else if sc.priority == 0 && swappiness > 0 {
            ScanBalance::Equal
        } else if sc.file_is_tiny {
            ScanBalance::Anon
        } else if sc.cache_trim_mode {
            ScanBalance::File
        } else {
            ScanBalance::Fract
        };
        // calculate_pressure_balance.
        let total = self.pr.anon_cost + self.pr.file_cost;
        let anon_cost = total + self.pr.anon_cost;
        let file_cost = total + self.pr.file_cost;
        let total = anon_cost + file_cost;
        let ap = swappiness * (total + 1) / (anon_cost + 1);
        let fp = (MAX_SWAPPINESS - swappiness) * (total + 1) / (file_cost + 1);
        let mut nr = [0u64; 4];
        for (i, lru) in LruList::ALL[..4].iter().enumerate() {
            let file = lru.is_file();
            let size = self.pr.lru.size(*lru, sc.reclaim_idx);
            let mut scan = size >> sc.priority;
            scan = match balance {
                ScanBalance::Equal => scan,
                ScanBalance::Fract => {
                    let f = if file { fp } else { ap };
                    (scan * f).checked_div(ap + fp).unwrap_or(0)
                }
                ScanBalance::File | ScanBalance::Anon => {
                    if (balance == ScanBalance::File) != file {
                        0
                    } else {
                        scan
                    }
                }
            };
            nr[i] = scan;
        }
        let (by, priority) = (sc.by, sc.priority);
        self.k.trace.push(|| VmscanEvent::ScanCount {
            by,
            priority,
            balance,
            nr,
        });
        nr
    }

    /// `shrink_node`: one pass over the node's lists.
    pub(crate) fn shrink_node(&mut self, sc: &mut ScanControl) {
        let before = sc.nr_reclaimed;
        self.prepare_scan_control(sc);
        self.shrink_lruvec(sc);
        if sc.nr_reclaimed > before {
            self.pr.kswapd.failures = 0;
        }
    }

    /// `shrink_lruvec`: scan the lists in batches of 32 in enum order; once enough is
    /// reclaimed (not in direct reclaim's first pass), stop the type with less left to
    /// scan and scale the other down to the same proportion.
    fn shrink_lruvec(&mut self, sc: &mut ScanControl) {
        let mut nr = self.get_scan_count(sc);
        let targets = nr;
        let mut reclaimed = 0;
        let proportional = sc.by == Reclaimer::Direct && sc.priority == DEF_PRIORITY;
        let mut rounds = 0u64;
        while nr[0] > 0 || nr[2] > 0 || nr[3] > 0 {
            rounds += 1;
            if rounds > 1 << 20 {
                break;
            }
            for (i, lru) in LruList::ALL[..4].iter().enumerate() {
                if nr[i] > 0 {
                    let n = nr[i].min(SWAP_CLUSTER_MAX);
                    nr[i] -= n;
                    reclaimed += self.shrink_list(*lru, n, sc);
                }
            }
            if reclaimed < sc.nr_to_reclaim || proportional {
                continue;
            }
            let nr_file = nr[2] + nr[3];
            let nr_anon = nr[0] + nr[1];
            if nr_file == 0 || nr_anon == 0 {
                break;
            }
            let (stop, pct) = if nr_file > nr_anon {
                (0, nr_anon * 100 / (targets[0] + targets[1] + 1))
            } else {
                (2, nr_file * 100 / (targets[2] + targets[3] + 1))
            };
            nr[stop] = 0;
            nr[stop + 1] = 0;
            let other = if stop == 2 { 0 } else { 2 };
            for l in [other, other + 1] {
                let scanned = targets[l] - nr[l];
                nr[l] = targets[l] * (100 - pct) / 100;
                nr[l] -= nr[l].min(scanned);
            }
        }
        sc.nr_reclaimed += reclaimed;
        if self.can_reclaim_anon() && self.inactive_is_low(LruList::InactiveAnon) {
            self.shrink_active_list(SWAP_CLUSTER_MAX, LruList::ActiveAnon, sc);
        }
    }

    /// `shrink_list`: an active list is aged only when `may_deactivate` allows it.
    fn shrink_list(&mut self, lru: LruList, n: u64, sc: &mut ScanControl) -> u64 {
        if lru.is_active() {
            let bit = if lru.is_file() {
                DEACTIVATE_FILE
            } else {
                DEACTIVATE_ANON
            };
            if sc.may_deactivate & bit != 0 {
                self.shrink_active_list(n, lru, sc);
            } else {
                sc.skipped_deactivate = true;
            }
            return 0;
        }
        self.shrink_inactive_list(n, lru, sc)
    }

    /// `isolate_lru_folios`: up to `n` folios from the tail, passing over (back to the
    /// head, counted in `pgskip_<zone>`) those of zones above `reclaim_idx`. Returns
    /// the folios taken and how many were looked at.
    fn isolate_lru_folios(&mut self, n: u64, lru: LruList, sc: &ScanControl) -> (Vec<u64>, u64) {
        let mut taken = Vec::new();
        let mut skipped = Vec::new();
        let mut scan = 0;
        let mut total = 0;
        while scan < n && (skipped.len() as u64) < SWAP_CLUSTER_MAX_SKIPPED {
            let Some(pfn) = self.pr.lru.isolate_tail(lru) else {
                break;
            };
            total += 1;
            let zone = self.pr.lru.get(pfn).map_or(ZoneType::Dma, |f| f.zone);
            if zone.idx() > sc.reclaim_idx {
                self.pr.stat.pgskip[zone.idx()] += 1;
                skipped.push(pfn);
                continue;
            }
            scan += 1;
            taken.push(pfn);
        }
        for p in skipped {
            self.pr.lru.move_to_head(p);
        }
        (taken, total)
    }

    /// `shrink_inactive_list`: isolate a batch, decide each folio's fate, put back the
    /// survivors, count. Returns pages reclaimed.
    fn shrink_inactive_list(&mut self, n: u64, lru: LruList, sc: &mut ScanControl) -> u64 {
        let (taken, scanned) = self.isolate_lru_folios(n, lru, sc);
        if scanned == 0 {
            return 0;
        }
        let file = lru.is_file();
        let who = usize::from(sc.by == Reclaimer::Direct);
        self.pr.stat.pgscan[who] += scanned;
        self.pr.stat.pgscan_type[usize::from(file)] += scanned;
        sc.nr_scanned += scanned;
        let (mut reclaimed, mut activated, mut dirty_unqueued, mut pageout) = (0, 0, 0, 0);
        for pfn in &taken {
            let fate = self.shrink_folio(*pfn, sc);
            match fate {
                Fate::Freed => reclaimed += 1,
                Fate::Activated | Fate::Dirty | Fate::Writeback => activated += 1,
                Fate::Swapped => pageout += 1,
                Fate::Kept => {}
            }
            if fate == Fate::Dirty {
                dirty_unqueued += 1;
            }
            let p = Pfn(*pfn);
            self.k
                .trace
                .push(|| VmscanEvent::FolioReclaim { pfn: p, lru, fate });
        }
        self.pr.stat.pgsteal[who] += reclaimed;
        self.pr.stat.pgsteal_type[usize::from(file)] += reclaimed;
        let rotated = taken.len() as u64 - reclaimed;
        self.lru_note_cost(file, pageout, rotated);
        sc.unqueued_dirty = !taken.is_empty() && dirty_unqueued == taken.len() as u64;
        if sc.unqueued_dirty {
            // wakeup_flusher_threads(WB_REASON_VMSCAN).
            self.pr.kswapd.flusher_wanted = true;
        }
        let (by, priority) = (sc.by, sc.priority);
        self.k.trace.push(|| VmscanEvent::ShrinkInactive {
            by,
            lru,
            scanned: taken.len() as u64,
            reclaimed,
            activated,
            priority,
        });
        self.complete_swap_writeback();
        reclaimed
    }

    /// `lru_note_cost`: reclaim's cost of a type grows by its I/O (×32) and its
    /// rotations; both halve when they exceed a quarter of the LRU pages.
    fn lru_note_cost(&mut self, file: bool, nr_io: u64, nr_rotated: u64) {
        let cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated;
        if cost == 0 {
            return;
        }
        if file {
            self.pr.file_cost += cost;
        } else {
            self.pr.anon_cost += cost;
        }
        let lrusize: u64 = LruList::ALL[..4].iter().map(|l| self.lru_size(*l)).sum();
        if self.pr.file_cost + self.pr.anon_cost > lrusize / 4 {
            self.pr.file_cost /= 2;
            self.pr.anon_cost /= 2;
        }
    }

    /// `folio_check_references`: PTE young bits (`folio_referenced`) and PG_referenced.
    fn folio_check_references(&mut self, pfn: u64) -> References {
        let (ptes, exec) = self.folio_referenced(pfn);
        let Some(f) = self.pr.lru.get_mut(pfn) else {
            return References::Keep;
        };
        let referenced = f.test(pg::REFERENCED);
        f.flags &= !pg::REFERENCED;
        if ptes > 0 {
            f.flags |= pg::REFERENCED;
            if referenced || ptes > 1 {
                return References::Activate;
            }
            // Activate file-backed executable folios after first usage.
            if exec && f.is_file_lru() {
                return References::Activate;
            }
            return References::Keep;
        }
        if referenced && f.is_file_lru() {
            return References::ReclaimClean;
        }
        References::Reclaim
    }

    /// `folio_referenced`: how many mappings saw the folio used since the last look
    /// (clearing their Accessed bits), and whether one of them is executable.
    fn folio_referenced(&mut self, pfn: u64) -> (u32, bool) {
        match self.pr.lru.get(pfn).map(|f| f.owner) {
            Some(Owner::Anon { index, .. }) => (self.folio_referenced_anon(pfn, index), false),
            Some(Owner::File { ino, index }) => self.folio_referenced_file(pfn, ino, index),
            None => (0, false),
        }
    }

    /// `shrink_folio_list` for one folio: its fate, and the folio put where that
    /// leaves it (freed, back on a list).
    fn shrink_folio(&mut self, pfn: u64, sc: &mut ScanControl) -> Fate {
        let Some(f) = self.pr.lru.get(pfn).copied() else {
            return Fate::Kept;
        };
        let fate = if f.test(pg::WRITEBACK) {
            if let Some(x) = self.pr.lru.get_mut(pfn) {
                x.flags |= pg::RECLAIM;
            }
            Fate::Writeback
        } else {
            match self.folio_check_references(pfn) {
                References::Activate => Fate::Activated,
                References::Keep => Fate::Kept,
                References::Reclaim | References::ReclaimClean => {
                    // try_to_unmap a mapped page-cache folio first: a Dirty PTE
                    // dirties it.
                    if let Owner::File { ino, index } = f.owner {
                        self.try_to_unmap_file(pfn, ino, index);
                    }
                    let f = self.pr.lru.get(pfn).copied().unwrap_or(f);
                    if f.test(pg::DIRTY) && f.is_file_lru() {
                        // Reclaim does not write file pages: mark it for immediate
                        // reclaim once the flusher has written it.
                        if let Some(x) = self.pr.lru.get_mut(pfn) {
                            x.flags |= pg::RECLAIM;
                        }
                        self.pr.stat.nr_vmscan_immediate_reclaim += 1;
                        Fate::Dirty
                    } else if !f.is_file_lru() {
                        self.shrink_anon_folio(pfn)
                    } else {
                        Fate::Freed
                    }
                }
            }
        };
        let _ = sc;
        match fate {
            Fate::Freed => self.remove_mapping(pfn),
            Fate::Activated | Fate::Dirty | Fate::Writeback => {
                if let Some(x) = self.pr.lru.get_mut(pfn) {
                    if !x.test(pg::ACTIVE) {
                        x.flags |= pg::ACTIVE;
                        self.pr.stat.pgactivate += 1;
                    }
                }
                self.pr.lru.move_to_head(pfn);
            }
            Fate::Kept | Fate::Swapped => {
                self.pr.lru.move_to_head(pfn);
            }
        }
        fate
    }

    /// `shrink_folio_list`'s anonymous path: a swap slot (`folio_alloc_swap`; none
    /// free: activate), `try_to_unmap`, then `pageout` if dirty (`swap_writeout`,
    /// kept until the write completes), else `__remove_mapping` frees it at once (a
    /// clean folio whose slot already holds its data).
    fn shrink_anon_folio(&mut self, pfn: u64) -> Fate {
        let Some(Owner::Anon { index, swap }) = self.pr.lru.get(pfn).map(|f| f.owner) else {
            return Fate::Activated;
        };
        let mut slot = u64::from(swap);
        if slot == 0 {
            let Some(off) = self.pr.swap.as_mut().and_then(|s| s.folio_alloc_swap(pfn)) else {
                return Fate::Activated;
            };
            slot = off;
            if let Some(f) = self.pr.lru.get_mut(pfn) {
                f.owner = Owner::Anon {
                    index,
                    swap: off as u32,
                };
                f.flags |= pg::DIRTY;
            }
            self.k.trace.push(|| VmscanEvent::SwapAlloc {
                pfn: Pfn(pfn),
                offset: off,
            });
        }
        self.try_to_unmap(pfn, index, slot);
        let dirty = self.pr.lru.get(pfn).is_some_and(|f| f.test(pg::DIRTY));
        if !dirty {
            return Fate::Freed;
        }
        // pageout → swap_writeout: PG_reclaim so that the write's end rotates it.
        if let Some(f) = self.pr.lru.get_mut(pfn) {
            f.flags = (f.flags & !pg::DIRTY) | pg::WRITEBACK | pg::RECLAIM;
        }
        self.pr.nr_writeback += 1;
        self.pr.stat.pswpout += 1;
        self.pr.stat.nr_vmscan_write += 1;
        self.pr.swap_in_flight.push(pfn);
        self.k.trace.push(|| VmscanEvent::SwapWriteout {
            pfn: Pfn(pfn),
            offset: slot,
        });
        Fate::Swapped
    }

    /// The swap device completes the writes of a reclaim batch when the batch ends
    /// (`folio_end_writeback`): each folio is clean, and, marked `PG_reclaim`, goes to
    /// the tail of the inactive list (`folio_rotate_reclaimable`), where the next
    /// scan frees it.
    fn complete_swap_writeback(&mut self) {
        let done = std::mem::take(&mut self.pr.swap_in_flight);
        self.end_writeback(done);
    }

    /// `__remove_mapping(reclaimed=true)`: the folio leaves the page cache, its slot
    /// keeps a shadow (`workingset_eviction`), and it is freed.
    fn remove_mapping(&mut self, pfn: u64) {
        let Some(f) = self.pr.lru.get(pfn).copied() else {
            return;
        };
        let eviction = self.pr.nonresident_age;
        self.pr.nonresident_age += 1;
        match f.owner {
            Owner::File { .. } => self.remove_cache_page(
                pfn,
                Some(CacheEntry::Shadow {
                    eviction,
                    workingset: f.test(pg::WORKINGSET),
                }),
            ),
            Owner::Anon { swap, .. } => {
                // __remove_mapping → __swap_cache_del_folio: the swap table keeps the
                // shadow while swap PTEs point at the slot.
                let shadow = (eviction << 1) | u64::from(f.test(pg::WORKINGSET));
                if let Some(si) = self.pr.swap.as_mut() {
                    si.swap_cache_del(u64::from(swap), Some(shadow));
                }
                self.pr.lru.remove(pfn);
                self.k.free_page(pfn);
            }
        }
    }

    /// `shrink_active_list`: take a batch from the tail of an active list; referenced
    /// executable file pages stay active, everything else moves to the inactive head
    /// with PG_workingset.
    pub(crate) fn shrink_active_list(&mut self, n: u64, lru: LruList, sc: &mut ScanControl) {
        let (taken, scanned) = self.isolate_lru_folios(n, lru, sc);
        self.pr.stat.pgrefill += scanned;
        let (mut deactivated, mut rotated) = (0, 0);
        for pfn in &taken {
            let (young, exec) = self.folio_referenced(*pfn);
            let file = self.pr.lru.get(*pfn).is_some_and(|f| f.is_file_lru());
            if young > 0 && exec && file {
                // Referenced executable file pages keep their place on the active
                // list: code is worth keeping.
                self.pr.lru.move_to_head(*pfn);
                rotated += 1;
                continue;
            }
            if let Some(f) = self.pr.lru.get_mut(*pfn) {
                f.flags = (f.flags & !pg::ACTIVE) | pg::WORKINGSET;
            }
            self.pr.lru.move_to_head(*pfn);
            deactivated += 1;
        }
        self.lru_note_cost(lru.is_file(), 0, rotated);
        self.pr.stat.pgdeactivate += deactivated;
        let (by, priority) = (sc.by, sc.priority);
        self.k.trace.push(|| VmscanEvent::ShrinkActive {
            by,
            lru,
            taken: taken.len() as u64,
            deactivated,
            priority,
        });
    }

    /// `snapshot_refaults`: remember the workingset activations reclaim has seen.
    pub(crate) fn snapshot_refaults(&mut self) {
        self.pr.refaults = self.pr.stat.workingset_activate;
    }

    /// `try_to_free_pages` → `do_try_to_free_pages`: from priority 12 down to 0,
    /// until 32 pages are reclaimed; if none were, once more (`memcg_full_walk`), then
    /// with every active list aged (`force_deactivate`). Returns pages reclaimed.
    pub(crate) fn try_to_free_pages(&mut self, order: u8, gfp: GfpFlags, highest: ZoneType) -> u64 {
        self.k
            .trace
            .push(|| VmscanEvent::DirectReclaimBegin { order, gfp });
        let mut sc = ScanControl::new(Reclaimer::Direct, SWAP_CLUSTER_MAX, highest.idx());
        let mut full_walk = false;
        loop {
            self.pr.stat.allocstall[highest.idx()] += 1;
            loop {
                sc.nr_scanned = 0;
                self.shrink_node(&mut sc);
                if sc.nr_reclaimed >= sc.nr_to_reclaim || sc.priority == 0 {
                    break;
                }
                sc.priority -= 1;
            }
            self.snapshot_refaults();
            if sc.nr_reclaimed > 0 {
                break;
            }
            if !full_walk {
                full_walk = true;
            } else if sc.skipped_deactivate {
                sc.force_deactivate = true;
                sc.skipped_deactivate = false;
            } else {
                break;
            }
            sc.priority = DEF_PRIORITY;
        }
        let reclaimed = sc.nr_reclaimed;
        self.k
            .trace
            .push(|| VmscanEvent::DirectReclaimEnd { reclaimed });
        self.run_flusher_if_wanted();
        reclaimed
    }
}

#[cfg(test)]
mod tests {
    use crate::vocab::int_sqrt;

    /// KERNEL-PRESSURE.md §2.6: the inactive ratio is 1 under 1 GiB, 3 at 1 GiB, 6 at
    /// 4 GiB, 10 at 10 GiB, 25 at 64 GiB.
    #[test]
    fn inactive_ratio_is_the_square_root_of_ten_gigabytes() {
        assert_eq!(int_sqrt(10), 3);
        assert_eq!(int_sqrt(40), 6);
        assert_eq!(int_sqrt(100), 10);
        assert_eq!(int_sqrt(640), 25);
    }
}
