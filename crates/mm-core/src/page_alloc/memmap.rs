//! The page array (the kernel's `mem_map` of `struct page`), reduced to the fields the
//! allocator model needs, so that millions of pages fit: 11 bytes of state per 4 KiB
//! page. A page's list links, order and flags sit together in one packed 10-byte slot
//! (as the kernel keeps them in one `struct page`), so a list operation touches one
//! cache line per page; the use byte lives in an array of its own, which the memory map
//! reads whole.

use super::free_area::{ListHead, NIL};
use crate::vocab::MigrateType;
use crate::vocab::{Pfn, PAGEBLOCK_ORDER};
use serde::Serialize;

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
    /// A kmalloc above 8 KiB (`__kmalloc_large_node`, the kernel's `PGTY_large_kmalloc`
    /// page type): freed by `kfree`.
    LargeKmalloc = 8,
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
            _ => PageUse::LargeKmalloc,
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
        }
    }
}

/// `PageBuddy`: this page heads a free block in the buddy allocator.
const PG_BUDDY: u8 = 1 << 0;
/// This page heads an allocated block (the kernel's head page).
const PG_HEAD: u8 = 1 << 1;

/// One page's links, order and flags: the parts of `struct page` the buddy allocator
/// reads together. Packed to 10 bytes (unaligned loads are cheap on x86-64 and wasm).
#[derive(Clone, Copy, Debug)]
#[repr(C, packed)]
struct Slot {
    /// `lru.next`: the next block on the free list, or [`NIL`].
    next: u32,
    /// `lru.prev`.
    prev: u32,
    /// `buddy_order` (free head) or the allocation order (allocated head).
    order: u8,
    /// `PG_BUDDY`, `PG_HEAD`.
    flags: u8,
}

const EMPTY: Slot = Slot {
    next: NIL,
    prev: NIL,
    order: 0,
    flags: 0,
};

/// The page array.
#[derive(Clone, Debug)]
pub struct MemMap {
    slots: Vec<Slot>,
    usage: Vec<u8>,
    pageblock_mt: Vec<u8>,
}

impl MemMap {
    /// A page array for `nr_pages` pages, every page reserved, every pageblock MOVABLE
    /// (`memmap_init_range` marks them so at boot).
    pub fn new(nr_pages: u64) -> MemMap {
        let n = nr_pages as usize;
        let blocks = n.div_ceil(1 << PAGEBLOCK_ORDER);
        MemMap {
            slots: vec![EMPTY; n],
            usage: vec![PageUse::Reserved as u8; n],
            pageblock_mt: vec![MigrateType::Movable as u8; blocks],
        }
    }

    /// Number of pages (`max_pfn`).
    pub fn len(&self) -> u64 {
        self.usage.len() as u64
    }

    /// Bytes of model state per page, for the benchmarks.
    pub const BYTES_PER_PAGE: usize = std::mem::size_of::<Slot>() + 1;

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

    /// What the page is used for.
    pub fn usage(&self, pfn: Pfn) -> PageUse {
        PageUse::from_u8(self.usage[pfn.0 as usize])
    }

    /// The raw usage bytes, one per page (the UI's memory map reads them directly).
    pub fn usage_bytes(&self) -> &[u8] {
        &self.usage
    }

    /// Marks `2^order` pages from `pfn` as used for `usage`.
    pub fn set_usage(&mut self, pfn: Pfn, order: u8, usage: PageUse) {
        let start = pfn.0 as usize;
        let end = (start + (1usize << order)).min(self.usage.len());
        self.usage[start..end].fill(usage as u8);
    }

    /// `set_buddy_order` + `__SetPageBuddy`.
    #[inline]
    pub fn set_buddy(&mut self, pfn: Pfn, order: u8) {
        let s = &mut self.slots[pfn.0 as usize];
        s.flags = PG_BUDDY;
        s.order = order;
    }

    /// Marks an allocated block's head page.
    #[inline]
    pub fn set_head(&mut self, pfn: Pfn, order: u8) {
        let s = &mut self.slots[pfn.0 as usize];
        s.flags = PG_HEAD;
        s.order = order;
    }

    /// Clears the head or buddy mark of a page.
    #[inline]
    pub fn clear_flags(&mut self, pfn: Pfn) {
        let s = &mut self.slots[pfn.0 as usize];
        s.flags = 0;
        s.order = 0;
    }

    /// `get_pfnblock_migratetype`.
    pub fn pageblock_mt(&self, pfn: Pfn) -> MigrateType {
        let v = self.pageblock_mt[(pfn.0 >> PAGEBLOCK_ORDER) as usize] as usize;
        MigrateType::from_idx(v).unwrap_or(MigrateType::Movable)
    }

    /// `set_pageblock_migratetype`.
    pub fn set_pageblock_mt(&mut self, pfn: Pfn, mt: MigrateType) {
        self.pageblock_mt[(pfn.0 >> PAGEBLOCK_ORDER) as usize] = mt as u8;
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
}
