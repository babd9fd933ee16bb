//! The page array (the kernel's `mem_map` of `struct page`), reduced to the fields the
//! allocator model needs, so that millions of pages fit: 11 bytes of state per 4 KiB
//! page. A page's list links, order, flags and use sit together in one packed slot (as
//! the kernel keeps them in one `struct page`), so a list operation touches one cache
//! line per page.
//!
//! As in the kernel, a block's state lives in its first page: the head of a free block
//! (`PageBuddy`), of an allocated block, of a block on a per-CPU list, or a reserved
//! page (`PageReserved`); the other pages of a block carry nothing, and what they are
//! used for is their head's use. So allocating or freeing a block of 1,024 pages writes
//! one slot, not 1,024. The memory map's one byte per page ([`MemMap::states`]) is
//! derived from the heads when read, and kept until the page array next changes.

use super::free_area::{ListHead, NIL};
use crate::vocab::MigrateType;
use crate::vocab::{Pfn, PAGEBLOCK_ORDER};
use serde::Serialize;
use std::cell::OnceCell;

/// What a page is used for: the colour of its cell in the memory map.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[repr(u8)]
pub enum PageUse {
    /// In the buddy allocator, inside a free block.
    Free = 0,
    /// Never given to the buddy allocator (`memblock_reserve`: the first 1 MiB, ...).
    Reserved = 1,
    /// Allocated to the kernel by `alloc_pages`.
    Kernel = 2,
    /// Backing a slab.
    Slab = 3,
    /// A page-table page.
    PageTable = 4,
    /// An anonymous user page.
    User = 5,
    /// Held on a per-CPU page list: free, but not in the buddy allocator.
    Pcp = 6,
    /// A task's kernel stack (`alloc_thread_stack_node`): freed by `exit`, never by
    /// `free_pages`.
    KernelStack = 7,
    /// A kmalloc above 8 KiB (`___kmalloc_large_node`, the kernel's `PGTY_large_kmalloc`
    /// page type): freed by `kfree`.
    LargeKmalloc = 8,
    /// A page of the page cache: part of a file under /data.
    File = 9,
}

impl PageUse {
    /// Decodes the byte stored in the page array.
    pub fn from_u8(v: u8) -> PageUse {
        match v {
            0 => PageUse::Free,
            1 => PageUse::Reserved,
            2 => PageUse::Kernel,
            3 => PageUse::Slab,
            4 => PageUse::PageTable,
            5 => PageUse::User,
            6 => PageUse::Pcp,
            7 => PageUse::KernelStack,
            8 => PageUse::LargeKmalloc,
            _ => PageUse::File,
        }
    }

    /// A lower-case name for narration and the UI.
    pub fn name(self) -> &'static str {
        match self {
            PageUse::Free => "free",
            PageUse::Reserved => "reserved",
            PageUse::Kernel => "kernel",
            PageUse::Slab => "slab",
            PageUse::PageTable => "page table",
            PageUse::User => "user",
            PageUse::Pcp => "per-cpu list",
            PageUse::KernelStack => "kernel stack",
            PageUse::LargeKmalloc => "large kmalloc",
            PageUse::File => "page cache",
        }
    }
}

/// `PageBuddy`: this page heads a free block in the buddy allocator.
const PG_BUDDY: u8 = 1 << 0;
/// This page heads an allocated block (the kernel's head page).
const PG_HEAD: u8 = 1 << 1;
/// This page heads a block held on a per-CPU list.
const PG_PCP: u8 = 1 << 2;
/// `PG_reserved`: never given to the buddy allocator (one page, not a block).
const PG_RESERVED: u8 = 1 << 3;
/// `PB_migrate_skip`, kept in the pageblock's byte beside its migrate type as the
/// kernel keeps it in the pageblock's flags.
const PB_MIGRATE_SKIP: u8 = 1 << 7;
/// Any of the marks that make a page the first of something.
const PG_ANY: u8 = PG_BUDDY | PG_HEAD | PG_PCP | PG_RESERVED;

/// One page's links, order, flags and use: the parts of `struct page` the buddy
/// allocator reads together. Packed to 11 bytes (unaligned loads are cheap on x86-64
/// and wasm).
#[derive(Clone, Copy, Debug)]
#[repr(C, packed)]
struct Slot {
    /// `lru.next`: the next block on the free list, or [`NIL`].
    next: u32,
    /// `lru.prev`.
    prev: u32,
    /// `buddy_order` (free head) or the allocation order (allocated head).
    order: u8,
    /// `PG_BUDDY`, `PG_HEAD`, `PG_PCP`, `PG_RESERVED`.
    flags: u8,
    /// The [`PageUse`] of the block this page heads.
    usage: u8,
}

const RESERVED: Slot = Slot {
    next: NIL,
    prev: NIL,
    order: 0,
    flags: PG_RESERVED,
    usage: PageUse::Reserved as u8,
};

/// The page array.
#[derive(Clone, Debug)]
pub struct MemMap {
    slots: Vec<Slot>,
    pageblock_mt: Vec<u8>,
    /// The use of every page, derived from the heads when first asked for after a
    /// change.
    states: OnceCell<Vec<u8>>,
}

impl MemMap {
    /// A page array for `nr_pages` pages, every page reserved, every pageblock MOVABLE
    /// (`memmap_init_range` marks them so at boot).
    pub fn new(nr_pages: u64) -> MemMap {
        let n = nr_pages as usize;
        let blocks = n.div_ceil(1 << PAGEBLOCK_ORDER);
        MemMap {
            slots: vec![RESERVED; n],
            pageblock_mt: vec![MigrateType::Movable as u8; blocks],
            states: OnceCell::new(),
        }
    }

    /// Number of pages (`max_pfn`).
    pub fn len(&self) -> u64 {
        self.slots.len() as u64
    }

    /// Bytes of model state per page, for the benchmarks.
    pub const BYTES_PER_PAGE: usize = std::mem::size_of::<Slot>();

    /// Forgets the derived page states (the page array changed).
    #[inline]
    fn changed(&mut self) {
        self.states.take();
    }

    /// `pfn_valid`.
    pub fn valid(&self, pfn: Pfn) -> bool {
        pfn.0 < self.len()
    }

    /// `PageBuddy`.
    #[inline]
    pub fn is_buddy(&self, pfn: Pfn) -> bool {
        self.slots[pfn.0 as usize].flags & PG_BUDDY != 0
    }

    /// Whether this page heads an allocated block.
    #[inline]
    pub fn is_head(&self, pfn: Pfn) -> bool {
        self.slots[pfn.0 as usize].flags & PG_HEAD != 0
    }

    /// Whether this page heads a block on a per-CPU list.
    #[inline]
    pub fn is_pcp(&self, pfn: Pfn) -> bool {
        self.slots[pfn.0 as usize].flags & PG_PCP != 0
    }

    /// `PageReserved`.
    #[inline]
    pub fn is_reserved(&self, pfn: Pfn) -> bool {
        self.slots[pfn.0 as usize].flags & PG_RESERVED != 0
    }

    /// Whether the page carries no mark: a page inside a block, after its head.
    #[inline]
    pub fn is_tail(&self, pfn: Pfn) -> bool {
        self.slots[pfn.0 as usize].flags & PG_ANY == 0
    }

    /// `PageBuddy` at exactly `order`, in one read: what `page_is_buddy` asks.
    #[inline]
    pub fn is_buddy_of_order(&self, pfn: Pfn, order: u8) -> bool {
        self.slots.get(pfn.0 as usize).is_some_and(|s| {
            let (flags, o) = (s.flags, s.order);
            flags & PG_BUDDY != 0 && o == order
        })
    }

    /// `buddy_order` for a free head, the allocation order for an allocated head.
    #[inline]
    pub fn order(&self, pfn: Pfn) -> u8 {
        self.slots[pfn.0 as usize].order
    }

    /// The first page of what `pfn` belongs to: itself if it heads a block or is
    /// reserved, else the head of the block that covers it (none for a page in no
    /// block, which the invariants forbid).
    pub fn head_of(&self, pfn: Pfn) -> Option<Pfn> {
        let flagged = |p: u64| self.slots.get(p as usize).filter(|s| s.flags & PG_ANY != 0);
        if flagged(pfn.0).is_some() {
            return Some(pfn);
        }
        for o in 1..=crate::vocab::MAX_PAGE_ORDER {
            let head = pfn.0 & !((1u64 << o) - 1);
            if let Some(s) = flagged(head) {
                let covers = s.flags & PG_RESERVED == 0 && s.order >= o;
                return covers.then_some(Pfn(head));
            }
        }
        None
    }

    /// The order and use of the allocated block this page heads, if it heads one (one
    /// read: what a `free_pages` call checks first).
    #[inline]
    pub fn head_block(&self, pfn: Pfn) -> Option<(u8, PageUse)> {
        let s = self.slots.get(pfn.0 as usize)?;
        let (flags, order, usage) = (s.flags, s.order, s.usage);
        (flags & PG_HEAD != 0).then(|| (order, PageUse::from_u8(usage)))
    }

    /// What the page is used for: its block's use.
    pub fn usage(&self, pfn: Pfn) -> PageUse {
        self.head_of(pfn)
            .map(|h| PageUse::from_u8(self.slots[h.0 as usize].usage))
            .unwrap_or(PageUse::Reserved)
    }

    /// One byte per page, the [`PageUse`] of each (the UI's memory map reads them
    /// directly), derived from the heads the first time it is asked for after a change.
    pub fn states(&self) -> &[u8] {
        self.states.get_or_init(|| {
            let mut out = vec![PageUse::Reserved as u8; self.slots.len()];
            let mut p = 0;
            while p < self.slots.len() {
                let s = self.slots[p];
                let (flags, order, usage) = (s.flags, s.order, s.usage);
                let n = if flags & (PG_BUDDY | PG_HEAD | PG_PCP) != 0 {
                    1usize << order
                } else {
                    1
                };
                let end = (p + n).min(out.len());
                out[p..end].fill(usage);
                p = end;
            }
            out
        })
    }

    /// `set_buddy_order` + `__SetPageBuddy`: the page heads a free block.
    #[inline]
    pub fn set_buddy(&mut self, pfn: Pfn, order: u8) {
        self.mark(pfn, PG_BUDDY, order, PageUse::Free);
    }

    /// The page heads an allocated block of `order`, used for `usage`.
    #[inline]
    pub fn set_head(&mut self, pfn: Pfn, order: u8, usage: PageUse) {
        self.mark(pfn, PG_HEAD, order, usage);
    }

    /// The page heads a block held on a per-CPU list.
    #[inline]
    pub fn set_pcp(&mut self, pfn: Pfn, order: u8) {
        self.mark(pfn, PG_PCP, order, PageUse::Pcp);
    }

    #[inline]
    fn mark(&mut self, pfn: Pfn, flags: u8, order: u8, usage: PageUse) {
        self.changed();
        let s = &mut self.slots[pfn.0 as usize];
        s.flags = flags;
        s.order = order;
        s.usage = usage as u8;
    }

    /// Clears the mark of a page that stops heading a block (it becomes part of
    /// another, or is about to be marked again).
    #[inline]
    pub fn clear_flags(&mut self, pfn: Pfn) {
        self.changed();
        let s = &mut self.slots[pfn.0 as usize];
        s.flags = 0;
        s.order = 0;
    }

    /// `__ClearPageReserved` on every page of a block handed to the buddy allocator
    /// at boot (`__free_pages_core`).
    pub fn clear_reserved(&mut self, pfn: Pfn, order: u8) {
        self.changed();
        let start = pfn.0 as usize;
        let end = (start + (1usize << order)).min(self.slots.len());
        for s in &mut self.slots[start..end] {
            s.flags &= !PG_RESERVED;
        }
    }

    /// `get_pfnblock_migratetype`.
    pub fn pageblock_mt(&self, pfn: Pfn) -> MigrateType {
        let v =
            (self.pageblock_mt[(pfn.0 >> PAGEBLOCK_ORDER) as usize] & !PB_MIGRATE_SKIP) as usize;
        MigrateType::from_idx(v).unwrap_or(MigrateType::Movable)
    }

    /// `set_pageblock_migratetype` (the skip bit stays).
    pub fn set_pageblock_mt(&mut self, pfn: Pfn, mt: MigrateType) {
        let b = &mut self.pageblock_mt[(pfn.0 >> PAGEBLOCK_ORDER) as usize];
        *b = (*b & PB_MIGRATE_SKIP) | mt as u8;
    }

    /// `get_pageblock_skip`: compaction found nothing to do in this pageblock lately.
    pub fn pageblock_skip(&self, pfn: Pfn) -> bool {
        self.pageblock_mt
            .get((pfn.0 >> PAGEBLOCK_ORDER) as usize)
            .is_some_and(|b| b & PB_MIGRATE_SKIP != 0)
    }

    /// `set_pageblock_skip` (`on`) or `clear_pageblock_skip`.
    pub fn set_pageblock_skip(&mut self, pfn: Pfn, on: bool) {
        if let Some(b) = self
            .pageblock_mt
            .get_mut((pfn.0 >> PAGEBLOCK_ORDER) as usize)
        {
            if on {
                *b |= PB_MIGRATE_SKIP;
            } else {
                *b &= !PB_MIGRATE_SKIP;
            }
        }
    }

    /// `list_add` (head) or `list_add_tail` (tail) of the block at `pfn`.
    #[inline]
    pub fn list_add(&mut self, list: &mut ListHead, pfn: Pfn, tail: bool) {
        let p = pfn.0 as u32;
        if list.head == NIL {
            let s = &mut self.slots[p as usize];
            s.next = NIL;
            s.prev = NIL;
            list.head = p;
            list.tail = p;
        } else if tail {
            let s = &mut self.slots[p as usize];
            s.prev = list.tail;
            s.next = NIL;
            self.slots[list.tail as usize].next = p;
            list.tail = p;
        } else {
            let s = &mut self.slots[p as usize];
            s.next = list.head;
            s.prev = NIL;
            self.slots[list.head as usize].prev = p;
            list.head = p;
        }
        list.len += 1;
    }

    /// `list_del` of the block at `pfn`, which must be on `list`.
    #[inline]
    pub fn list_del(&mut self, list: &mut ListHead, pfn: Pfn) {
        let p = pfn.0 as usize;
        let (n, pr) = (self.slots[p].next, self.slots[p].prev);
        if pr == NIL {
            list.head = n;
        } else {
            self.slots[pr as usize].next = n;
        }
        if n == NIL {
            list.tail = pr;
        } else {
            self.slots[n as usize].prev = pr;
        }
        let s = &mut self.slots[p];
        s.next = NIL;
        s.prev = NIL;
        list.len -= 1;
    }

    /// Whether a list ends where its count says: the `len`-th block is the tail and
    /// nothing follows it (a cycle or a lost count fails this).
    pub fn list_well_formed(&self, list: &ListHead) -> bool {
        let last = self.list_iter(list).last();
        match last {
            None => list.head == NIL && list.tail == NIL && list.len == 0,
            Some(p) => {
                p.0 == u64::from(list.tail)
                    && self.slots.get(p.0 as usize).map(|s| s.next) == Some(NIL)
            }
        }
    }

    /// The PFNs on a list, head first (for /proc, the UI and the invariants).
    ///
    /// The walk stops after the list's recorded length, so even a corrupted list (a
    /// cycle) cannot make a reader loop forever; the invariants compare the two.
    pub fn list_iter<'a>(&'a self, list: &ListHead) -> impl Iterator<Item = Pfn> + 'a {
        let mut cur = list.head;
        let mut left = list.len;
        std::iter::from_fn(move || {
            if cur == NIL || left == 0 {
                return None;
            }
            left -= 1;
            let here = cur;
            cur = self.slots.get(here as usize)?.next;
            Some(Pfn(u64::from(here)))
        })
    }
    /// The PFNs on a list, tail first (`list_for_each_entry_reverse`), bounded like
    /// [`MemMap::list_iter`].
    pub fn list_iter_rev<'a>(&'a self, list: &ListHead) -> impl Iterator<Item = Pfn> + 'a {
        let mut cur = list.tail;
        let mut left = list.len;
        std::iter::from_fn(move || {
            if cur == NIL || left == 0 {
                return None;
            }
            left -= 1;
            let here = cur;
            cur = self.slots.get(here as usize)?.prev;
            Some(Pfn(u64::from(here)))
        })
    }

    /// Rotates a list in O(1), keeping its cyclic order: `pfn` becomes the first
    /// block (`first`: compaction's `move_freelist_head`, the blocks before it go to
    /// the tail) or the last (`move_freelist_tail`, it and the blocks before it go to
    /// the tail).
    pub fn list_rotate(&mut self, list: &mut ListHead, pfn: Pfn, first: bool) {
        let p = pfn.0 as u32;
        let (new_head, new_tail) = if first {
            (p, self.slots[p as usize].prev)
        } else {
            (self.slots[p as usize].next, p)
        };
        if new_head == NIL || new_tail == NIL {
            return; // Already in place.
        }
        let (old_head, old_tail) = (list.head, list.tail);
        self.slots[old_tail as usize].next = old_head;
        self.slots[old_head as usize].prev = old_tail;
        self.slots[new_tail as usize].next = NIL;
        self.slots[new_head as usize].prev = NIL;
        list.head = new_head;
        list.tail = new_tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 16 pages: 0-1 reserved, a free order-1 block at 2, an allocated order-2 slab
    /// block at 4, a per-CPU page at 8, 9-11 reserved, a free order-2 block at 12.
    fn sample() -> MemMap {
        let mut m = MemMap::new(16);
        for (pfn, order) in [(2, 1), (4, 2), (8, 0), (12, 2)] {
            m.clear_reserved(Pfn(pfn), order);
        }
        m.set_buddy(Pfn(2), 1);
        m.set_head(Pfn(4), 2, PageUse::Slab);
        m.set_pcp(Pfn(8), 0);
        m.set_buddy(Pfn(12), 2);
        m
    }

    #[test]
    fn a_page_is_what_its_block_is() {
        let m = sample();
        assert_eq!(m.head_of(Pfn(7)), Some(Pfn(4)));
        assert_eq!(m.head_of(Pfn(3)), Some(Pfn(2)));
        assert_eq!(
            m.head_of(Pfn(10)),
            Some(Pfn(10)),
            "a reserved page is its own"
        );
        assert_eq!(m.usage(Pfn(6)), PageUse::Slab);
        assert_eq!(m.usage(Pfn(15)), PageUse::Free);
        assert_eq!(m.usage(Pfn(9)), PageUse::Reserved);
        assert_eq!(m.usage(Pfn(8)), PageUse::Pcp);
        assert_eq!(m.head_block(Pfn(4)), Some((2, PageUse::Slab)));
        assert_eq!(m.head_block(Pfn(5)), None);
        assert!(m.is_tail(Pfn(5)) && !m.is_tail(Pfn(9)));
    }

    #[test]
    fn states_are_derived_and_follow_every_change() {
        let mut m = sample();
        let (r, f, s, p) = (1, 0, 3, 6);
        assert_eq!(m.states(), [r, r, f, f, s, s, s, s, p, r, r, r, f, f, f, f]);
        // The slab block is freed: only its head is marked again; its pages follow.
        m.clear_flags(Pfn(4));
        m.set_buddy(Pfn(4), 2);
        assert_eq!(&m.states()[4..8], [f, f, f, f]);
        // The free order-1 block at 2 is allocated: both its pages become kernel pages.
        m.clear_flags(Pfn(2));
        m.set_head(Pfn(2), 1, PageUse::Kernel);
        assert_eq!(&m.states()[..4], [r, r, 2, 2]);
    }

    #[test]
    fn list_rotate_keeps_the_cyclic_order() {
        let mut m = MemMap::new(8);
        let mut l = ListHead::default();
        for p in 0..5 {
            m.list_add(&mut l, Pfn(p), true);
        }
        let order = |m: &MemMap, l: &ListHead| m.list_iter(l).map(|p| p.0).collect::<Vec<_>>();
        m.list_rotate(&mut l, Pfn(2), true);
        assert_eq!(order(&m, &l), [2, 3, 4, 0, 1]);
        m.list_rotate(&mut l, Pfn(4), false);
        assert_eq!(order(&m, &l), [0, 1, 2, 3, 4]);
        m.list_rotate(&mut l, Pfn(0), true);
        assert_eq!(order(&m, &l), [0, 1, 2, 3, 4]);
        assert_eq!(
            m.list_iter_rev(&l).map(|p| p.0).collect::<Vec<_>>(),
            [4, 3, 2, 1, 0]
        );
        assert!(m.list_well_formed(&l));
    }
}
