//! Page frame numbers and orders, and the constants the kernel builds them from
//! (`include/linux/mmzone.h`, `include/linux/pageblock-flags.h`).

use serde::Serialize;
use std::fmt;

/// `PAGE_SHIFT` on x86-64: pages are 4 KiB.
pub const PAGE_SHIFT: u32 = 12;
/// `PAGE_SIZE`: 4096 bytes.
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;
/// `MAX_PAGE_ORDER`: the largest buddy block is `2^10` pages (4 MiB).
pub const MAX_PAGE_ORDER: u8 = 10;
/// `NR_PAGE_ORDERS`: orders 0 to 10.
pub const NR_PAGE_ORDERS: usize = MAX_PAGE_ORDER as usize + 1;
/// `pageblock_order` in v6.19: `min(HUGETLB_PAGE_ORDER, PAGE_BLOCK_MAX_ORDER)` = 9.
pub const PAGEBLOCK_ORDER: u8 = 9;
/// `pageblock_nr_pages`: 512 pages (2 MiB) share one migrate type.
pub const PAGEBLOCK_NR_PAGES: u64 = 1 << PAGEBLOCK_ORDER;
/// `PAGE_ALLOC_COSTLY_ORDER`: above this order the kernel tries less hard.
pub const PAGE_ALLOC_COSTLY_ORDER: u8 = 3;

/// A page frame number: the physical address shifted right by [`PAGE_SHIFT`].
///
/// PFN `0x1000` is physical address `0x100_0000` (16 MiB), the first page of ZONE_DMA32.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct Pfn(pub u64);

impl Pfn {
    /// The physical address of the first byte of this page (`PFN_PHYS`).
    pub fn phys(self) -> u64 {
        self.0 << PAGE_SHIFT
    }

    /// `__find_buddy_pfn`: the buddy of the block of `2^order` pages at this PFN.
    ///
    /// `B2 = B1 ^ (1 << O)`: the order-0 buddy of PFN 8 is 9, its order-1 buddy is 10,
    /// and its order-3 buddy is 0.
    ///
    /// ```
    /// use mm_core::vocab::Pfn;
    /// assert_eq!(Pfn(8).buddy(0), Pfn(9));
    /// assert_eq!(Pfn(8).buddy(1), Pfn(10));
    /// assert_eq!(Pfn(8).buddy(3), Pfn(0));
    /// ```
    pub fn buddy(self, order: u8) -> Pfn {
        Pfn(self.0 ^ (1u64 << order))
    }
}

impl fmt::Display for Pfn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

/// `get_order(size)`: the smallest order whose block holds `size` bytes (`size` >= 1).
///
/// ```
/// assert_eq!(mm_core::vocab::get_order(1), 0);
/// assert_eq!(mm_core::vocab::get_order(4096), 0);
/// assert_eq!(mm_core::vocab::get_order(4097), 1);
/// assert_eq!(mm_core::vocab::get_order(16384), 2);
/// ```
pub fn get_order(size: u64) -> u8 {
    let pages = size.saturating_sub(1) >> PAGE_SHIFT;
    (64 - pages.leading_zeros()) as u8
}

/// `fls(x)`: the 1-based index of the most significant set bit, 0 for 0.
pub fn fls(x: u64) -> u32 {
    64 - x.leading_zeros()
}

/// `int_sqrt(x)`: the integer square root, rounded down.
pub fn int_sqrt(x: u64) -> u64 {
    if x < 2 {
        return x;
    }
    let mut r = (x as f64).sqrt() as u64;
    while r * r > x {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= x {
        r += 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_sqrt_matches_definition() {
        for x in [
            0u64,
            1,
            2,
            3,
            4,
            15,
            16,
            17,
            33_554_432,
            u64::from(u32::MAX),
        ] {
            let r = int_sqrt(x);
            assert!(r * r <= x && (r + 1) * (r + 1) > x, "{x}");
        }
    }
}
