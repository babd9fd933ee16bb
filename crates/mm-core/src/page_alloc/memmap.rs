//! The page array (the kernel's `mem_map` of `struct page`), reduced to the fields the
//! allocator model needs, one small array per field so that millions of pages fit:
//! 11 bytes of state per 4 KiB page.

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

/// The page array.
#[derive(Clone, Debug)]
pub struct MemMap {
    next: Vec<u32>,
    prev: Vec<u32>,
    order: Vec<u8>,
    flags: Vec<u8>,
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
            next: vec![NIL; n],
            prev: vec![NIL; n],
            order: vec![0; n],
            flags: vec![0; n],
            usage: vec![PageUse::Reserved as u8; n],
            pageblock_mt: vec![MigrateType::Movable as u8; blocks],
        }
    }

    /// Number of pages (`max_pfn`).
    pub fn len(&self) -> u64 {
        self.flags.len() as u64
    }

    /// Bytes of model state per page, for the benchmarks.
    pub const BYTES_PER_PAGE: usize = 4 + 4 + 1 + 1 + 1;

    /// `pfn_valid`.
    pub fn valid(&self, pfn: Pfn) -> bool {
        pfn.0 < self.len()
    }

    /// `PageBuddy`.
    pub fn is_buddy(&self, pfn: Pfn) -> bool {
        self.flags[pfn.0 as usize] & PG_BUDDY != 0
    }

    /// Whether this page heads an allocated block.
    pub fn is_head(&self, pfn: Pfn) -> bool {
        self.flags[pfn.0 as usize] & PG_HEAD != 0
    }

    /// `buddy_order` for a free head, the allocation order for an allocated head.
    pub fn order(&self, pfn: Pfn) -> u8 {
        self.order[pfn.0 as usize]
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
    pub fn set_buddy(&mut self, pfn: Pfn, order: u8) {
        let i = pfn.0 as usize;
        self.flags[i] = PG_BUDDY;
        self.order[i] = order;
    }

    /// Marks an allocated block's head page.
    pub fn set_head(&mut self, pfn: Pfn, order: u8) {
        let i = pfn.0 as usize;
        self.flags[i] = PG_HEAD;
        self.order[i] = order;
    }

    /// Clears the head or buddy mark of a page.
    pub fn clear_flags(&mut self, pfn: Pfn) {
        let i = pfn.0 as usize;
        self.flags[i] = 0;
        self.order[i] = 0;
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
    pub fn list_add(&mut self, list: &mut ListHead, pfn: Pfn, tail: bool) {
        let p = pfn.0 as u32;
        if list.head == NIL {
            self.next[p as usize] = NIL;
            self.prev[p as usize] = NIL;
            list.head = p;
            list.tail = p;
        } else if tail {
            self.prev[p as usize] = list.tail;
            self.next[p as usize] = NIL;
            self.next[list.tail as usize] = p;
            list.tail = p;
        } else {
            self.next[p as usize] = list.head;
            self.prev[p as usize] = NIL;
            self.prev[list.head as usize] = p;
            list.head = p;
        }
        list.len += 1;
    }

    /// `list_del` of the block at `pfn`, which must be on `list`.
    pub fn list_del(&mut self, list: &mut ListHead, pfn: Pfn) {
        let p = pfn.0 as usize;
        let (n, pr) = (self.next[p], self.prev[p]);
        if pr == NIL {
            list.head = n;
        } else {
            self.next[pr as usize] = n;
        }
        if n == NIL {
            list.tail = pr;
        } else {
            self.prev[n as usize] = pr;
        }
        self.next[p] = NIL;
        self.prev[p] = NIL;
        list.len -= 1;
    }

    /// Whether a list ends where its count says: the `len`-th block is the tail and
    /// nothing follows it (a cycle or a lost count fails this).
    pub fn list_well_formed(&self, list: &ListHead) -> bool {
        let last = self.list_iter(list).last();
        match last {
            None => list.head == NIL && list.tail == NIL && list.len == 0,
            Some(p) => p.0 == u64::from(list.tail) && self.next.get(p.0 as usize) == Some(&NIL),
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
            cur = *self.next.get(here as usize)?;
            Some(Pfn(u64::from(here)))
        })
    }
}
