//! The LRU lists of node 0 (`struct lruvec`, `include/linux/mm_inline.h`): every
//! page-cache and anonymous folio sits on one of five lists, newest at the head,
//! reclaim taking from the tail. Classic LRU, not MGLRU (as `KERNEL.md` pins).
//!
//! The kernel links a folio into its list through `folio->lru`, a field it shares with
//! the buddy allocator's free lists. Here each folio on a list has a record keyed by
//! its PFN ([`Folio`]) that holds its flags, what it caches, and its links: only the
//! pages on the LRU cost memory, so a machine of millions of pages that has cached
//! nothing keeps nothing here.

use crate::vocab::fast_hash::FastMap;
use crate::vocab::ZoneType;
use serde::Serialize;
use std::fmt;

/// `enum lru_list`, in the kernel's order.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum LruList {
    /// `LRU_INACTIVE_ANON`: anonymous and shmem folios not used lately.
    InactiveAnon = 0,
    /// `LRU_ACTIVE_ANON`.
    ActiveAnon = 1,
    /// `LRU_INACTIVE_FILE`: page-cache folios not used lately.
    InactiveFile = 2,
    /// `LRU_ACTIVE_FILE`.
    ActiveFile = 3,
    /// `LRU_UNEVICTABLE`: counted but not linked (mlocked, ramfs).
    Unevictable = 4,
}

/// `NR_LRU_LISTS`.
pub const NR_LRU_LISTS: usize = 5;

impl LruList {
    /// Every list, in enum order.
    pub const ALL: [LruList; NR_LRU_LISTS] = [
        LruList::InactiveAnon,
        LruList::ActiveAnon,
        LruList::InactiveFile,
        LruList::ActiveFile,
        LruList::Unevictable,
    ];

    /// The name the tracepoints print (`inactive_file`).
    pub fn name(self) -> &'static str {
        match self {
            LruList::InactiveAnon => "inactive_anon",
            LruList::ActiveAnon => "active_anon",
            LruList::InactiveFile => "inactive_file",
            LruList::ActiveFile => "active_file",
            LruList::Unevictable => "unevictable",
        }
    }

    /// `is_file_lru`.
    pub fn is_file(self) -> bool {
        matches!(self, LruList::InactiveFile | LruList::ActiveFile)
    }

    /// `is_active_lru`.
    pub fn is_active(self) -> bool {
        matches!(self, LruList::ActiveAnon | LruList::ActiveFile)
    }

    /// The inactive list of the same type (`LRU_INACTIVE_ANON + LRU_FILE * file`).
    pub fn inactive(file: bool) -> LruList {
        if file {
            LruList::InactiveFile
        } else {
            LruList::InactiveAnon
        }
    }

    /// The active list of the same type.
    pub fn active(file: bool) -> LruList {
        if file {
            LruList::ActiveFile
        } else {
            LruList::ActiveAnon
        }
    }
}

impl fmt::Display for LruList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Page flags the model keeps for folios on the LRU (`enum pageflags`).
pub mod pg {
    /// `PG_lru`: on an LRU list.
    pub const LRU: u16 = 1 << 0;
    /// `PG_active`.
    pub const ACTIVE: u16 = 1 << 1;
    /// `PG_referenced`: the software accessed bit (`folio_mark_accessed`).
    pub const REFERENCED: u16 = 1 << 2;
    /// `PG_workingset`: was active before it was deactivated or evicted.
    pub const WORKINGSET: u16 = 1 << 3;
    /// `PG_dirty`: newer than the disk.
    pub const DIRTY: u16 = 1 << 4;
    /// `PG_writeback`: being written to the disk.
    pub const WRITEBACK: u16 = 1 << 5;
    /// `PG_reclaim`: reclaim wanted it while it was dirty or under writeback (shares
    /// the bit with `PG_readahead` in the kernel; kept apart here for clarity).
    pub const RECLAIM: u16 = 1 << 6;
    /// `PG_swapbacked`: anonymous or shmem (the anon LRU).
    pub const SWAPBACKED: u16 = 1 << 7;
    /// `PG_unevictable`.
    pub const UNEVICTABLE: u16 = 1 << 8;
    /// `PG_readahead`: reaching this page starts the next asynchronous readahead.
    pub const READAHEAD: u16 = 1 << 9;
}

/// What a folio holds: the `mapping` and `index` of `struct folio`. (Shmem folios
/// are not on the LRU yet: meminfo counts them as inactive anon, and reclaim does
/// not swap them.)
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum Owner {
    /// An anonymous page; `index` is its linear page index (its address >> 12).
    Anon {
        /// `folio->index`.
        index: u64,
        /// `folio->swap`: its swap slot while it is in the swap cache (`PG_swapcache`),
        /// else 0 (slot 0 is the swap header, never handed out).
        swap: u32,
    },
    /// A page of a file under /data.
    File {
        /// The inode number.
        ino: u32,
        /// The page's index in the file.
        index: u64,
    },
}

/// One folio's LRU record.
#[derive(Clone, Copy, Debug)]
pub struct Folio {
    /// [`pg`] flags.
    pub flags: u16,
    /// Its zone.
    pub zone: ZoneType,
    /// What it holds.
    pub owner: Owner,
    /// The list it is linked on (meaningful while `PG_lru` is set): flags may change
    /// before the folio moves, so unlinking reads this, not the flags.
    on: LruList,
    /// The neighbours' PFNs (`NIL` at the ends): 32 bits, as RAM is at most 64 GiB
    /// (2^24 pages), which keeps a record at 32 bytes.
    next: u32,
    prev: u32,
}

impl Folio {
    /// A folio not on a list yet.
    pub fn new(owner: Owner, zone: ZoneType, flags: u16) -> Folio {
        Folio {
            flags,
            zone,
            owner,
            on: LruList::InactiveFile,
            next: NIL,
            prev: NIL,
        }
    }

    /// Whether a flag is set.
    pub fn test(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// `folio_lru_list`: the list this folio belongs on by its flags.
    pub fn lru_list(&self) -> LruList {
        if self.test(pg::UNEVICTABLE) {
            return LruList::Unevictable;
        }
        let file = !self.test(pg::SWAPBACKED);
        if self.test(pg::ACTIVE) {
            LruList::active(file)
        } else {
            LruList::inactive(file)
        }
    }

    /// `folio_is_file_lru`.
    pub fn is_file_lru(&self) -> bool {
        !self.test(pg::SWAPBACKED)
    }
}

const NONE: u64 = u64::MAX;
/// `NONE` in a folio's 32-bit links.
const NIL: u32 = u32::MAX;

/// A PFN as a link.
fn link(pfn: u64) -> u32 {
    if pfn == NONE {
        NIL
    } else {
        pfn as u32
    }
}

/// A link as a PFN.
fn unlink32(l: u32) -> u64 {
    if l == NIL {
        NONE
    } else {
        u64::from(l)
    }
}

#[derive(Clone, Copy, Debug)]
struct ListHead {
    head: u64,
    tail: u64,
}

impl Default for ListHead {
    fn default() -> Self {
        ListHead {
            head: NONE,
            tail: NONE,
        }
    }
}

/// `struct lruvec` of node 0, with `lru_zone_size` per zone.
#[derive(Clone, Debug, Default)]
pub struct Lruvec {
    lists: [ListHead; NR_LRU_LISTS],
    /// `lru_zone_size[zone][lru]`: pages on each list from each zone.
    zone_size: [[u64; NR_LRU_LISTS]; crate::vocab::MAX_NR_ZONES],
    /// Every folio the LRU knows, by PFN.
    folios: FastMap<u64, Folio>,
}

impl Lruvec {
    /// Folios the LRU knows (on a list or isolated).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.folios.len()
    }

    /// The folio at `pfn`, if the LRU knows it.
    pub fn get(&self, pfn: u64) -> Option<&Folio> {
        self.folios.get(&pfn)
    }

    /// The folio at `pfn`, to change its flags.
    pub fn get_mut(&mut self, pfn: u64) -> Option<&mut Folio> {
        self.folios.get_mut(&pfn)
    }

    /// Every folio with its PFN (any order).
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Folio)> {
        self.folios.iter().map(|(p, f)| (*p, f))
    }

    /// `lruvec_lru_size` for the zones up to `highest` (`MAX_NR_ZONES - 1` for all).
    pub fn size(&self, lru: LruList, highest: usize) -> u64 {
        self.zone_size
            .iter()
            .take(highest + 1)
            .map(|z| z[lru as usize])
            .sum()
    }

    /// Pages on `lru` from `zone`.
    pub fn zone_size(&self, zone: ZoneType, lru: LruList) -> u64 {
        self.zone_size[zone as usize][lru as usize]
    }

    /// `NR_ZONE_WRITE_PENDING` of each zone: its dirty and writeback folios.
    pub fn write_pending(&self) -> [u64; crate::vocab::MAX_NR_ZONES] {
        let mut out = [0; crate::vocab::MAX_NR_ZONES];
        for f in self.folios.values() {
            // A dirty anonymous folio is not NR_FILE_DIRTY (the swap cache's
            // dirty_folio does not account it); its writeback is NR_WRITEBACK.
            if (f.test(pg::DIRTY) && f.is_file_lru()) || f.test(pg::WRITEBACK) {
                out[f.zone.idx()] += 1;
            }
        }
        out
    }

    /// Registers a new folio and `lruvec_add_folio`s it: at the head of the list its
    /// flags choose, with `PG_lru` set. (Unevictable folios are counted, not linked.)
    pub fn add(&mut self, pfn: u64, mut folio: Folio) -> LruList {
        folio.flags |= pg::LRU;
        let lru = folio.lru_list();
        self.folios.insert(pfn, folio);
        self.link_head(pfn, lru);
        lru
    }

    /// `lruvec_del_folio` and forgets the folio (it is being freed). Returns its
    /// record.
    pub fn remove(&mut self, pfn: u64) -> Option<Folio> {
        let f = *self.folios.get(&pfn)?;
        if f.test(pg::LRU) {
            self.unlink(pfn);
        }
        self.folios.remove(&pfn)
    }

    /// Moves a folio to the head of the list its flags now choose (`lruvec_del_folio`
    /// then `lruvec_add_folio` after a flag change).
    pub fn move_to_head(&mut self, pfn: u64) -> Option<LruList> {
        let f = *self.folios.get(&pfn)?;
        if f.test(pg::LRU) {
            self.unlink(pfn);
        }
        let lru = f.lru_list();
        if let Some(f) = self.folios.get_mut(&pfn) {
            f.flags |= pg::LRU;
        }
        self.link_head(pfn, lru);
        Some(lru)
    }

    /// `lruvec_add_folio_tail`: to the tail (reclaim takes it next).
    pub fn move_to_tail(&mut self, pfn: u64) {
        let Some(f) = self.folios.get(&pfn).copied() else {
            return;
        };
        if f.test(pg::LRU) {
            self.unlink(pfn);
        }
        let lru = f.lru_list();
        if let Some(x) = self.folios.get_mut(&pfn) {
            x.flags |= pg::LRU;
        }
        self.link_tail(pfn, lru);
    }

    /// Takes the folio at the tail of `lru` off the list (`isolate_lru_folios`):
    /// `PG_lru` cleared, still known. None if the list is empty.
    pub fn isolate_tail(&mut self, lru: LruList) -> Option<u64> {
        let pfn = self.lists[lru as usize].tail;
        if pfn == NONE {
            return None;
        }
        self.unlink(pfn);
        Some(pfn)
    }

    /// The PFNs of a list from head to tail (for tests; bounded by `max`).
    #[cfg(test)]
    pub fn list(&self, lru: LruList, max: usize) -> Vec<u64> {
        let mut out = Vec::new();
        let mut p = self.lists[lru as usize].head;
        while p != NONE && out.len() < max {
            out.push(p);
            p = self.folios.get(&p).map_or(NONE, |f| unlink32(f.next));
        }
        out
    }

    fn link_head(&mut self, pfn: u64, lru: LruList) {
        self.link(pfn, lru, true);
    }

    fn link_tail(&mut self, pfn: u64, lru: LruList) {
        self.link(pfn, lru, false);
    }

    /// Links a folio at the head or the tail of `lru` and counts it (unevictable
    /// folios are counted only).
    fn link(&mut self, pfn: u64, lru: LruList, at_head: bool) {
        let Some(f) = self.folios.get_mut(&pfn) else {
            return;
        };
        f.on = lru;
        let zone = f.zone;
        self.zone_size[zone as usize][lru as usize] += 1;
        if lru == LruList::Unevictable {
            return;
        }
        let list = &mut self.lists[lru as usize];
        let old = if at_head { list.head } else { list.tail };
        if let Some(f) = self.folios.get_mut(&pfn) {
            (f.prev, f.next) = if at_head {
                (NIL, link(old))
            } else {
                (link(old), NIL)
            };
        }
        let list = &mut self.lists[lru as usize];
        match self.folios.get_mut(&old) {
            Some(o) if at_head => o.prev = link(pfn),
            Some(o) => o.next = link(pfn),
            None if at_head => list.tail = pfn,
            None => list.head = pfn,
        }
        if at_head {
            list.head = pfn;
        } else {
            list.tail = pfn;
        }
    }

    /// Unlinks a folio on a list and clears `PG_lru`.
    fn unlink(&mut self, pfn: u64) {
        let Some(f) = self.folios.get_mut(&pfn) else {
            return;
        };
        let lru = f.on;
        let (prev, next) = (unlink32(f.prev), unlink32(f.next));
        f.flags &= !pg::LRU;
        f.prev = NIL;
        f.next = NIL;
        let zone = f.zone;
        self.zone_size[zone as usize][lru as usize] -= 1;
        if lru == LruList::Unevictable {
            return;
        }
        match self.folios.get_mut(&prev) {
            Some(p) => p.next = link(next),
            None => self.lists[lru as usize].head = next,
        }
        match self.folios.get_mut(&next) {
            Some(n) => n.prev = link(prev),
            None => self.lists[lru as usize].tail = prev,
        }
    }

    /// Checks the lists against the records: every linked folio is known, has
    /// `PG_lru` and sits on the list its flags choose, once; the sizes match.
    pub fn check(&self) -> Result<(), String> {
        let mut on_list = 0usize;
        let mut sizes = [[0u64; NR_LRU_LISTS]; crate::vocab::MAX_NR_ZONES];
        for lru in LruList::ALL {
            if lru == LruList::Unevictable {
                continue;
            }
            let mut p = self.lists[lru as usize].head;
            let mut prev = NONE;
            while p != NONE {
                let f = self
                    .folios
                    .get(&p)
                    .ok_or(format!("{lru}: pfn {p:#x} linked but unknown"))?;
                if !f.test(pg::LRU) || f.on != lru || f.lru_list() != lru {
                    return Err(format!("{lru}: pfn {p:#x} belongs on {}", f.lru_list()));
                }
                if unlink32(f.prev) != prev {
                    return Err(format!("{lru}: pfn {p:#x} has a broken back link"));
                }
                sizes[f.zone as usize][lru as usize] += 1;
                on_list += 1;
                if on_list > self.folios.len() {
                    return Err(format!("{lru}: a cycle"));
                }
                prev = p;
                p = unlink32(f.next);
            }
            if self.lists[lru as usize].tail != prev {
                return Err(format!("{lru}: the tail is not the last folio"));
            }
        }
        for f in self.folios.values() {
            if f.test(pg::LRU) && f.on == LruList::Unevictable {
                sizes[f.zone as usize][LruList::Unevictable as usize] += 1;
            }
        }
        if sizes != self.zone_size {
            return Err(format!(
                "LRU sizes {:?} but the lists hold {sizes:?}",
                self.zone_size
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(i: u64) -> Folio {
        Folio::new(Owner::File { ino: 1, index: i }, ZoneType::Normal, 0)
    }

    #[test]
    fn new_folios_go_to_the_head_and_reclaim_takes_the_tail() {
        let mut l = Lruvec::default();
        for p in 1..=3 {
            assert_eq!(l.add(p, file(p)), LruList::InactiveFile);
        }
        assert_eq!(l.list(LruList::InactiveFile, 10), vec![3, 2, 1]);
        assert_eq!(l.isolate_tail(LruList::InactiveFile), Some(1));
        assert!(!l.get(1).unwrap().test(pg::LRU));
        l.get_mut(1).unwrap().flags |= pg::ACTIVE;
        assert_eq!(l.move_to_head(1), Some(LruList::ActiveFile));
        assert_eq!(l.size(LruList::ActiveFile, 3), 1);
        assert_eq!(l.size(LruList::InactiveFile, 3), 2);
        l.move_to_tail(3);
        assert_eq!(l.list(LruList::InactiveFile, 10), vec![2, 3]);
        l.remove(2);
        assert_eq!(l.list(LruList::InactiveFile, 10), vec![3]);
        l.check().unwrap();
    }

    #[test]
    fn a_folio_record_is_32_bytes() {
        assert!(
            std::mem::size_of::<Folio>() <= 32,
            "{}",
            std::mem::size_of::<Folio>()
        );
    }

    #[test]
    fn unevictable_folios_are_counted_not_linked() {
        let mut l = Lruvec::default();
        let f = Folio::new(
            Owner::Anon { index: 5, swap: 0 },
            ZoneType::Dma32,
            pg::SWAPBACKED | pg::UNEVICTABLE,
        );
        assert_eq!(l.add(9, f), LruList::Unevictable);
        assert_eq!(l.zone_size(ZoneType::Dma32, LruList::Unevictable), 1);
        assert!(l.list(LruList::Unevictable, 10).is_empty());
        l.check().unwrap();
        l.remove(9);
        assert_eq!(l.size(LruList::Unevictable, 3), 0);
        l.check().unwrap();
    }
}
