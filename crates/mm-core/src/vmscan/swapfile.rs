//! The swap area and its slots (`mm/swapfile.c`, `mm/swap_table.h`, v6.19): the
//! machine's `/swapfile`, swapped on at boot, cut into clusters of 512 slots.
//!
//! Each slot holds one page. `swap_map[offset]` counts the swap PTEs that point at
//! it, with `SWAP_HAS_CACHE` while a folio for it is in the swap cache. In v6.19 the
//! swap cache is the **swap table**, one per cluster: each slot's entry is the folio
//! that caches it, or the shadow reclaim left when it evicted that folio. Both live
//! in a cluster's data, allocated when the cluster is first used and freed when it
//! is free again, so a 64 GiB swap area costs almost nothing until it is used.
//!
//! Slots are handed out as `cluster_alloc_swap_entry` does on a solid-state device:
//! this CPU continues its current cluster (`swap_alloc_fast`), else takes the first
//! cluster of the nonfull list, then a free cluster, then a fragmented one
//! (`swap_alloc_slow`); each allocation scans forward from where the last one
//! stopped. A fresh swap area therefore hands out slots 1, 2, 3, ... (slot 0 is
//! mkswap's header). Not modelled: discard, large folios (all orders but 0),
//! reclaiming cache-only slots when swap is full, `swap_count_continued` (counts
//! are wide enough here).

/// `SWAPFILE_CLUSTER` with `CONFIG_THP_SWAP` (distribution kernels): 512 slots.
pub const SWAPFILE_CLUSTER: u64 = 512;
/// `SWAP_HAS_CACHE`: a folio for the slot is in the swap cache.
const SWAP_HAS_CACHE: u16 = 1 << 15;
/// `SWAP_MAP_BAD`: the header and the slots past the end of the file.
const SWAP_MAP_BAD: u16 = 0x3f | (1 << 14);

/// `enum swap_cluster_flags`: which list a cluster is on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ClusterFlag {
    /// `CLUSTER_FLAG_NONE`: taken off its list while being scanned.
    None,
    /// `CLUSTER_FLAG_FREE`: every slot free.
    Free,
    /// `CLUSTER_FLAG_NONFULL`: a slot was freed in it.
    Nonfull,
    /// `CLUSTER_FLAG_FRAG`: partly used, scanned to its end once.
    Frag,
    /// `CLUSTER_FLAG_FULL`.
    Full,
}

/// A cluster's slots: their counts and its swap table.
#[derive(Clone, Debug)]
struct ClusterData {
    map: [u16; SWAPFILE_CLUSTER as usize],
    table: [u64; SWAPFILE_CLUSTER as usize],
}

/// `struct swap_cluster_info`.
#[derive(Clone, Debug)]
struct Cluster {
    count: u16,
    flags: ClusterFlag,
    data: Option<Box<ClusterData>>,
}

/// What a swap-table slot holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SwapCacheEntry {
    /// The folio caching the slot.
    Folio(u64),
    /// A shadow: the workingset clock when reclaim evicted the folio, and whether it
    /// was part of the workingset (`pack_shadow`).
    Shadow(u64),
}

/// `struct swap_info_struct` of the one swap area.
#[derive(Clone, Debug)]
pub struct SwapInfo {
    /// `si->max`: slots, the header included.
    pub max: u64,
    /// `si->pages`: usable slots (`total_swap_pages`).
    pub pages: u64,
    /// `si->inuse_pages`: slots in use (by a swap PTE or the swap cache).
    pub inuse_pages: u64,
    /// `NR_SWAPCACHE`: folios in the swap cache.
    pub nr_swapcache: u64,
    clusters: Vec<Cluster>,
    free_clusters: Vec<u32>,
    nonfull_clusters: Vec<u32>,
    frag_clusters: Vec<u32>,
    full_clusters: Vec<u32>,
    /// `percpu_swap_cluster.offset[0]`: where this CPU's next allocation starts
    /// (0: none).
    percpu_next: u64,
}

impl SwapInfo {
    /// `setup_clusters` for a swap file of `max` slots: the header slot and the
    /// slots past the end of the last cluster are bad; clusters holding bad slots go
    /// on the nonfull list, the rest on the free list, in order.
    pub fn new(max: u64) -> SwapInfo {
        let nr = max.div_ceil(SWAPFILE_CLUSTER) as usize;
        let mut clusters = vec![
            Cluster {
                count: 0,
                flags: ClusterFlag::Free,
                data: None,
            };
            nr
        ];
        let mut si = SwapInfo {
            max,
            pages: max.saturating_sub(1),
            inuse_pages: 0,
            nr_swapcache: 0,
            clusters: Vec::new(),
            free_clusters: Vec::new(),
            nonfull_clusters: Vec::new(),
            frag_clusters: Vec::new(),
            full_clusters: Vec::new(),
            percpu_next: 0,
        };
        let mut bad = vec![0u64];
        bad.extend(max..(nr as u64) * SWAPFILE_CLUSTER);
        for off in bad {
            let c = &mut clusters[(off / SWAPFILE_CLUSTER) as usize];
            c.count += 1;
            c.data.get_or_insert_with(new_data).map[(off % SWAPFILE_CLUSTER) as usize] =
                SWAP_MAP_BAD;
        }
        for (i, c) in clusters.iter_mut().enumerate() {
            if c.count > 0 {
                c.flags = ClusterFlag::Nonfull;
                si.nonfull_clusters.push(i as u32);
            } else {
                si.free_clusters.push(i as u32);
            }
        }
        si.clusters = clusters;
        si
    }

    /// Bytes this swap area's bookkeeping takes: a few per cluster, and a map and a
    /// swap table for each cluster in use.
    pub fn heap_bytes(&self) -> u64 {
        let used = self.clusters.iter().filter(|c| c.data.is_some()).count() as u64;
        self.clusters.len() as u64 * 16 + used * std::mem::size_of::<ClusterData>() as u64
    }

    /// `nr_swap_pages`: free slots (SwapFree).
    pub fn nr_swap_pages(&self) -> u64 {
        self.pages - self.inuse_pages
    }

    /// `vm_swap_full`: more than half the slots in use.
    pub fn vm_swap_full(&self) -> bool {
        self.nr_swap_pages() * 2 < self.pages
    }

    fn slot(&self, off: u64) -> Option<(&ClusterData, usize)> {
        let c = self.clusters.get((off / SWAPFILE_CLUSTER) as usize)?;
        Some((c.data.as_deref()?, (off % SWAPFILE_CLUSTER) as usize))
    }

    fn slot_mut(&mut self, off: u64) -> Option<&mut u16> {
        let c = self.clusters.get_mut((off / SWAPFILE_CLUSTER) as usize)?;
        Some(&mut c.data.as_deref_mut()?.map[(off % SWAPFILE_CLUSTER) as usize])
    }

    /// `swap_count`: the swap PTEs pointing at a slot.
    pub fn swap_count(&self, off: u64) -> u32 {
        match self.slot(off) {
            Some((d, i)) if d.map[i] != SWAP_MAP_BAD => u32::from(d.map[i] & !SWAP_HAS_CACHE),
            _ => 0,
        }
    }

    /// The swap table's entry for a slot (`swap_cache_get_folio`,
    /// `swap_cache_get_shadow`).
    pub fn cache_entry(&self, off: u64) -> Option<SwapCacheEntry> {
        let (d, i) = self.slot(off)?;
        match d.table[i] {
            0 => None,
            v if v & 1 == 1 => Some(SwapCacheEntry::Shadow(v >> 1)),
            v => Some(SwapCacheEntry::Folio((v >> 1) - 1)),
        }
    }

    /// The folio in the swap cache for a slot.
    pub fn cache_folio(&self, off: u64) -> Option<u64> {
        match self.cache_entry(off) {
            Some(SwapCacheEntry::Folio(p)) => Some(p),
            _ => None,
        }
    }

    fn set_table(&mut self, off: u64, v: u64) {
        let idx = (off / SWAPFILE_CLUSTER) as usize;
        if let Some(d) = self
            .clusters
            .get_mut(idx)
            .and_then(|c| c.data.as_deref_mut())
        {
            d.table[(off % SWAPFILE_CLUSTER) as usize] = v;
        }
    }

    /// `folio_alloc_swap` for an order-0 folio: a free slot, marked `SWAP_HAS_CACHE`,
    /// with the folio in its swap-table entry (`swap_cache_add_folio`). Returns the
    /// slot and the shadow it replaces, or None when swap is full.
    pub fn folio_alloc_swap(&mut self, pfn: u64) -> Option<u64> {
        let off = self.swap_alloc_fast().or_else(|| self.swap_alloc_slow())?;
        self.inuse_pages += 1;
        self.set_table(off, (pfn + 1) << 1);
        self.nr_swapcache += 1;
        Some(off)
    }

    /// `swap_alloc_fast`: continue this CPU's cluster.
    fn swap_alloc_fast(&mut self) -> Option<u64> {
        let off = self.percpu_next;
        if off == 0 {
            return None;
        }
        let ci = (off / SWAPFILE_CLUSTER) as usize;
        let c = self.clusters.get(ci)?;
        if !matches!(
            c.flags,
            ClusterFlag::None | ClusterFlag::Free | ClusterFlag::Nonfull | ClusterFlag::Frag
        ) {
            return None;
        }
        let start = if c.count == 0 {
            ci as u64 * SWAPFILE_CLUSTER
        } else {
            off
        };
        self.alloc_swap_scan_cluster(ci, start)
    }

    /// `swap_alloc_slow` → `cluster_alloc_swap_entry` for order 0 on an SSD: every
    /// nonfull cluster in turn, then one free cluster, then one fragmented cluster.
    fn swap_alloc_slow(&mut self) -> Option<u64> {
        while let Some(ci) = self.isolate(ClusterFlag::Nonfull) {
            if let Some(off) = self.alloc_swap_scan_cluster(ci, ci as u64 * SWAPFILE_CLUSTER) {
                return Some(off);
            }
        }
        for list in [ClusterFlag::Free, ClusterFlag::Frag] {
            if let Some(ci) = self.isolate(list) {
                if let Some(off) = self.alloc_swap_scan_cluster(ci, ci as u64 * SWAPFILE_CLUSTER) {
                    return Some(off);
                }
            }
        }
        self.percpu_next = 0;
        None
    }

    fn list(&mut self, flag: ClusterFlag) -> Option<&mut Vec<u32>> {
        match flag {
            ClusterFlag::Free => Some(&mut self.free_clusters),
            ClusterFlag::Nonfull => Some(&mut self.nonfull_clusters),
            ClusterFlag::Frag => Some(&mut self.frag_clusters),
            ClusterFlag::Full => Some(&mut self.full_clusters),
            ClusterFlag::None => None,
        }
    }

    /// `isolate_lock_cluster`: the first cluster of a list, taken off it.
    fn isolate(&mut self, flag: ClusterFlag) -> Option<usize> {
        let list = self.list(flag)?;
        if list.is_empty() {
            return None;
        }
        let ci = list.remove(0) as usize;
        self.clusters[ci].flags = ClusterFlag::None;
        Some(ci)
    }

    /// `move_cluster`: to the tail of another list.
    fn move_cluster(&mut self, ci: usize, to: ClusterFlag) {
        let from = self.clusters[ci].flags;
        if let Some(list) = self.list(from) {
            if let Some(pos) = list.iter().position(|&c| c as usize == ci) {
                list.remove(pos);
            }
        }
        if let Some(list) = self.list(to) {
            list.push(ci as u32);
        }
        self.clusters[ci].flags = to;
    }

    /// `alloc_swap_scan_cluster`: the first free slot from `off` to the cluster's
    /// end; the next allocation continues after it. The cluster then goes where its
    /// count puts it (`relocate_cluster`).
    fn alloc_swap_scan_cluster(&mut self, ci: usize, off: u64) -> Option<u64> {
        let start = ci as u64 * SWAPFILE_CLUSTER;
        let end = (start + SWAPFILE_CLUSTER).min(self.max);
        let c = &mut self.clusters[ci];
        let d = c.data.get_or_insert_with(new_data);
        let mut found = None;
        let mut next = 0;
        if u64::from(c.count) < SWAPFILE_CLUSTER {
            for o in off.max(start)..end {
                let i = (o - start) as usize;
                if d.map[i] == 0 {
                    d.map[i] = SWAP_HAS_CACHE;
                    c.count += 1;
                    found = Some(o);
                    if u64::from(c.count) < SWAPFILE_CLUSTER && o + 1 < end {
                        next = o + 1;
                    }
                    break;
                }
            }
        }
        self.relocate_cluster(ci);
        self.percpu_next = next;
        found
    }

    /// `relocate_cluster`: empty to the free list, partly used to the fragmented
    /// list, full to the full list.
    fn relocate_cluster(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        let to = match c.count as u64 {
            0 => ClusterFlag::Free,
            SWAPFILE_CLUSTER => ClusterFlag::Full,
            _ => ClusterFlag::Frag,
        };
        if c.flags != to {
            self.move_cluster(ci, to);
        }
        if to == ClusterFlag::Free {
            self.clusters[ci].data = None;
        }
    }

    /// `swap_duplicate`: one more swap PTE points at the slot (fork, try_to_unmap).
    pub fn swap_duplicate(&mut self, off: u64) {
        if let Some(m) = self.slot_mut(off) {
            *m += 1;
        }
    }

    /// `swap_free_nr` / `swap_entries_put_map`: a swap PTE pointing at the slot is
    /// gone. Returns true if only the swap cache holds the slot now.
    pub fn swap_put(&mut self, off: u64) -> bool {
        let Some(m) = self.slot_mut(off) else {
            return false;
        };
        if *m & !SWAP_HAS_CACHE == 0 {
            return false;
        }
        *m -= 1;
        let left = *m;
        if left == 0 {
            self.swap_entries_free(off);
            return false;
        }
        left == SWAP_HAS_CACHE
    }

    /// `swap_cache_del_folio`: the folio leaves the swap cache; its table entry keeps
    /// `shadow` while swap PTEs still point at the slot, and a slot nothing points
    /// at any more is freed (`swap_entries_put_cache`).
    pub fn swap_cache_del(&mut self, off: u64, shadow: Option<u64>) {
        let Some(m) = self.slot_mut(off) else {
            return;
        };
        if *m & SWAP_HAS_CACHE == 0 {
            return;
        }
        *m &= !SWAP_HAS_CACHE;
        let left = *m;
        self.nr_swapcache -= 1;
        self.set_table(off, shadow.map_or(0, |s| (s << 1) | 1));
        if left == 0 {
            self.swap_entries_free(off);
        }
    }

    /// `__swap_cache_replace_folio`: the cached folio of slot `off` moved to `pfn`
    /// (migration).
    pub fn swap_cache_replace(&mut self, off: u64, pfn: u64) {
        self.set_table(off, (pfn + 1) << 1);
    }

    /// `__read_swap_cache_async`'s `swapcache_prepare` and `swap_cache_add_folio`:
    /// a folio read in for a slot joins the swap cache. Returns the shadow it
    /// replaces.
    pub fn swap_cache_add(&mut self, off: u64, pfn: u64) -> Option<u64> {
        let shadow = match self.cache_entry(off) {
            Some(SwapCacheEntry::Shadow(s)) => Some(s),
            _ => None,
        };
        if let Some(m) = self.slot_mut(off) {
            *m |= SWAP_HAS_CACHE;
        }
        self.set_table(off, (pfn + 1) << 1);
        self.nr_swapcache += 1;
        shadow
    }

    /// `swap_entries_free`: the slot is free again; its cluster goes to the free list
    /// when empty, else to the nonfull list (`partial_free_cluster`).
    fn swap_entries_free(&mut self, off: u64) {
        if let Some(m) = self.slot_mut(off) {
            *m = 0;
        }
        self.set_table(off, 0);
        self.inuse_pages -= 1;
        let ci = (off / SWAPFILE_CLUSTER) as usize;
        let c = &mut self.clusters[ci];
        c.count -= 1;
        if c.count == 0 {
            self.move_cluster(ci, ClusterFlag::Free);
            self.clusters[ci].data = None;
        } else if c.flags != ClusterFlag::Nonfull {
            self.move_cluster(ci, ClusterFlag::Nonfull);
        }
    }

    /// Every slot in use with its count and cached folio, in order (invariants).
    pub fn used_slots(&self) -> impl Iterator<Item = (u64, u32, Option<u64>)> + '_ {
        self.clusters.iter().enumerate().flat_map(|(ci, c)| {
            c.data.iter().flat_map(move |d| {
                (0..SWAPFILE_CLUSTER as usize).filter_map(move |i| {
                    let m = d.map[i];
                    if m == 0 || m == SWAP_MAP_BAD {
                        return None;
                    }
                    let off = ci as u64 * SWAPFILE_CLUSTER + i as u64;
                    let folio =
                        (m & SWAP_HAS_CACHE != 0).then(|| (d.table[i] >> 1).wrapping_sub(1));
                    Some((off, u32::from(m & !SWAP_HAS_CACHE), folio))
                })
            })
        })
    }

    /// Checks the clusters: counts match their maps, each cluster is on the list its
    /// flag names, once; `inuse_pages` and `nr_swapcache` match the slots.
    pub fn check(&self) -> Result<(), String> {
        let (mut inuse, mut cached) = (0, 0);
        for (ci, c) in self.clusters.iter().enumerate() {
            let used = c
                .data
                .as_ref()
                .map_or(0, |d| d.map.iter().filter(|m| **m != 0).count());
            if used != c.count as usize {
                return Err(format!(
                    "swap cluster {ci}: count {} but {used} slots used",
                    c.count
                ));
            }
            let expected = match c.count as u64 {
                0 => &[ClusterFlag::Free][..],
                SWAPFILE_CLUSTER => &[ClusterFlag::Full],
                _ => &[ClusterFlag::Nonfull, ClusterFlag::Frag],
            };
            if !expected.contains(&c.flags) {
                return Err(format!(
                    "swap cluster {ci} (count {}) is {:?}",
                    c.count, c.flags
                ));
            }
        }
        for (flag, list) in [
            (ClusterFlag::Free, &self.free_clusters),
            (ClusterFlag::Nonfull, &self.nonfull_clusters),
            (ClusterFlag::Frag, &self.frag_clusters),
            (ClusterFlag::Full, &self.full_clusters),
        ] {
            let n = self.clusters.iter().filter(|c| c.flags == flag).count();
            if n != list.len()
                || list
                    .iter()
                    .any(|&c| self.clusters[c as usize].flags != flag)
            {
                return Err(format!("swap {flag:?} list disagrees with the clusters"));
            }
        }
        for (_, _, folio) in self.used_slots() {
            inuse += 1;
            if folio.is_some() {
                cached += 1;
            }
        }
        if inuse != self.inuse_pages || cached != self.nr_swapcache {
            return Err(format!(
                "swap: {inuse} slots and {cached} cached folios, counted {} and {}",
                self.inuse_pages, self.nr_swapcache
            ));
        }
        Ok(())
    }
}

fn new_data() -> Box<ClusterData> {
    Box::new(ClusterData {
        map: [0; SWAPFILE_CLUSTER as usize],
        table: [0; SWAPFILE_CLUSTER as usize],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// KERNEL-PRESSURE.md §4.1: a fresh SSD swap area hands out 1, 2, 3, ...
    #[test]
    fn a_fresh_swap_area_hands_out_slots_in_order() {
        let mut si = SwapInfo::new(262_144);
        assert_eq!(si.pages, 262_143);
        let got: Vec<u64> = (0..600)
            .map(|i| si.folio_alloc_swap(1000 + i).unwrap())
            .collect();
        assert_eq!(got[..3], [1, 2, 3]);
        // Cluster 0 fills at 511 (slot 0 is the header); cluster 1 follows.
        assert_eq!(got[510], 511);
        assert_eq!(got[511], 512);
        assert_eq!(si.inuse_pages, 600);
        assert_eq!(si.cache_folio(2), Some(1001));
        si.check().unwrap();
    }

    #[test]
    fn freed_slots_are_reused_from_the_nonfull_list() {
        let mut si = SwapInfo::new(2048);
        for i in 0..511 {
            si.folio_alloc_swap(i).unwrap();
        }
        // Slot 7: one swap PTE, then the cache lets go; the PTE's put frees it.
        si.swap_duplicate(7);
        si.swap_cache_del(7, Some(99));
        assert_eq!(si.cache_entry(7), Some(SwapCacheEntry::Shadow(99)));
        assert!(!si.swap_put(7));
        assert_eq!((si.swap_count(7), si.cache_entry(7)), (0, None));
        si.check().unwrap();
        // This CPU's cluster was full: the nonfull list gives slot 7 back first.
        assert_eq!(si.folio_alloc_swap(5000), Some(7));
        assert_eq!(si.folio_alloc_swap(5001), Some(512));
        si.check().unwrap();
    }

    #[test]
    fn a_partial_last_cluster_and_a_full_area() {
        let mut si = SwapInfo::new(600);
        assert_eq!(si.pages, 599);
        let mut n = 0;
        while si.folio_alloc_swap(n).is_some() {
            n += 1;
        }
        assert_eq!(n, 599);
        assert_eq!(si.nr_swap_pages(), 0);
        assert!(si.vm_swap_full());
        si.check().unwrap();
        si.swap_cache_del(300, None);
        assert_eq!(si.folio_alloc_swap(1), Some(300));
        si.check().unwrap();
    }
}
