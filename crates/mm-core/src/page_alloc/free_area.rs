//! `struct free_area`: one order's free lists, one list per migrate type.
//!
//! The lists are intrusive, as the kernel's are: the links live in the page array
//! ([`super::memmap::MemMap`]), indexed by PFN, so a list costs nothing per entry
//! beyond the page itself and a block moves between lists in O(1).

use crate::vocab::migrate::MIGRATE_TYPES;

/// The "no page" link, the kernel's empty `list_head`.
pub const NIL: u32 = u32::MAX;

/// A doubly linked list of free blocks, threaded through the page array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHead {
    /// PFN of the first block, or [`NIL`].
    pub head: u32,
    /// PFN of the last block, or [`NIL`].
    pub tail: u32,
    /// Number of blocks on the list (the kernel counts per order only; per type helps
    /// /proc/pagetypeinfo and the invariants).
    pub len: u64,
}

impl Default for ListHead {
    fn default() -> Self {
        ListHead {
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }
}

impl ListHead {
    /// `list_empty`.
    pub fn is_empty(&self) -> bool {
        self.head == NIL
    }
}

/// `struct free_area`: `free_list[MIGRATE_TYPES]` and `nr_free`.
#[derive(Clone, Debug, Default)]
pub struct FreeArea {
    /// One list per migrate type.
    pub free_list: [ListHead; MIGRATE_TYPES],
    /// Free blocks of this order across all types (what /proc/buddyinfo prints).
    pub nr_free: u64,
}
