//! What the page allocator refuses, and how an allocation fails.

use super::memmap::PageUse;
use crate::command::Failure;
use crate::vocab::gfp::GfpError;
use crate::vocab::{GfpFlags, Pfn, MAX_PAGE_ORDER};
use std::fmt;

/// Why `free_pages` refuses a page: what the kernel's `free_page_is_bad` would find
/// in its `struct page`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BadPage {
    /// Never given to the buddy allocator.
    Reserved,
    /// Free already (or on a per-CPU list).
    Free,
    /// Part of a slab.
    Slab,
    /// A page-table page.
    PageTable,
    /// Mapped into a process.
    Mapped,
    /// A task's kernel stack.
    KernelStack,
    /// A large kmalloc's page.
    LargeKmalloc,
    /// In no allocated block.
    NotInBlock,
    /// Inside a block, not its head.
    TailPage {
        /// The block's head.
        head: Pfn,
        /// The block's order.
        order: u8,
    },
    /// A page of the page cache.
    PageCache,
    /// Freed at another order than it was allocated at.
    WrongOrder {
        /// The block's order.
        allocated: u8,
        /// The order given.
        freed: u8,
    },
}

impl BadPage {
    /// The complaint for a page of this use, if `free_pages` may not free it.
    pub fn of_use(usage: PageUse) -> Option<BadPage> {
        match usage {
            PageUse::Kernel => None,
            PageUse::Reserved => Some(BadPage::Reserved),
            PageUse::Free | PageUse::Pcp => Some(BadPage::Free),
            PageUse::Slab => Some(BadPage::Slab),
            PageUse::PageTable => Some(BadPage::PageTable),
            PageUse::User => Some(BadPage::Mapped),
            PageUse::File => Some(BadPage::PageCache),
            PageUse::KernelStack => Some(BadPage::KernelStack),
            PageUse::LargeKmalloc => Some(BadPage::LargeKmalloc),
        }
    }
}

impl fmt::Display for BadPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadPage::Reserved => {
                f.write_str("page is reserved: it was never given to the buddy allocator")
            }
            BadPage::Free => f.write_str("page is free: never allocated, or freed twice"),
            BadPage::Slab => f.write_str("page belongs to a slab: free its objects with kfree"),
            BadPage::PageTable => {
                f.write_str("page is a page table: it goes when its process unmaps or exits")
            }
            BadPage::Mapped => f.write_str("page is mapped by a process: nonzero mapcount"),
            BadPage::PageCache => {
                f.write_str("page is in the page cache: it goes with rm, drop_caches or reclaim")
            }
            BadPage::KernelStack => {
                f.write_str("page is a task's kernel stack: it goes when the task exits")
            }
            BadPage::LargeKmalloc => {
                f.write_str("page was allocated by kmalloc: free it with kfree")
            }
            BadPage::NotInBlock => f.write_str("no allocated block contains this page"),
            BadPage::TailPage { head, order } => {
                write!(
                    f,
                    "tail page of the order-{order} block at {head}: free the head"
                )
            }
            BadPage::WrongOrder { allocated, freed } => {
                write!(f, "allocated at order {allocated}, freed at order {freed}")
            }
        }
    }
}

/// A page-allocator command or call that did not succeed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PageAllocError {
    /// An order above `MAX_PAGE_ORDER`.
    OrderTooLarge(u8),
    /// GFP flags the kernel would not accept.
    Gfp(GfpError),
    /// No zone could serve the request (`warn_alloc`'s first line).
    AllocFailure {
        /// The order asked for.
        order: u8,
        /// The flags it was asked with.
        gfp: GfpFlags,
    },
    /// A PFN past the end of RAM.
    BeyondLastPage {
        /// The PFN given.
        pfn: Pfn,
        /// The last page.
        last: u64,
    },
    /// A PFN in no zone.
    NoZone(Pfn),
    /// `free_page_is_bad`: the page cannot be freed this way.
    BadPageState {
        /// The page.
        pfn: Pfn,
        /// What is wrong with it.
        why: BadPage,
    },
}

impl PageAllocError {
    /// An allocation failure is the kernel failing; everything else is refused input.
    pub fn failure(&self) -> Failure {
        match self {
            PageAllocError::AllocFailure { .. } => Failure::Kernel,
            _ => Failure::Rejected,
        }
    }
}

impl From<GfpError> for PageAllocError {
    fn from(e: GfpError) -> PageAllocError {
        PageAllocError::Gfp(e)
    }
}

impl fmt::Display for PageAllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageAllocError::OrderTooLarge(order) => write!(
                f,
                "order {order} is above MAX_PAGE_ORDER ({MAX_PAGE_ORDER}): the largest block is 4M"
            ),
            PageAllocError::Gfp(e) => write!(f, "{e}"),
            PageAllocError::AllocFailure { order, gfp } => write!(
                f,
                "page allocation failure: order:{order}, mode:{:#x}({gfp})",
                gfp.0
            ),
            PageAllocError::BeyondLastPage { pfn, last } => {
                write!(f, "pfn {pfn} is beyond the last page ({last:#x})")
            }
            PageAllocError::NoZone(pfn) => write!(f, "pfn {pfn} is in no zone"),
            PageAllocError::BadPageState { pfn, why } => write!(
                f,
                "BUG: Bad page state in process mmsim  pfn:{:05x} ({why})",
                pfn.0
            ),
        }
    }
}
