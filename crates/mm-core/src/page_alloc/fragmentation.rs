//! How fragmented a zone's free memory is (`mm/vmstat.c: fill_contig_page_info`,
//! `__fragmentation_index`, `unusable_free_index`), and the two debugfs files that
//! show it (`/sys/kernel/debug/extfrag/unusable_index` and `extfrag_index`).
//!
//! Both indexes are thousandths, printed as `N.NNN`. The **unusable free space
//! index** of an order is the part of the free memory that lies in blocks too small
//! for it: 0 when every free page could serve the order, 1 when none could. The
//! **fragmentation index** says why an allocation of that order would fail: towards
//! 0 for lack of memory, towards 1 because what is free is in small pieces; it is
//! -1 (printed `-1.000`) when the allocation would not fail at all. Compaction asks
//! it for costly orders before it starts (`extfrag_threshold`, 500 by default).

use super::zone::Zone;
use crate::vocab::NR_PAGE_ORDERS;

/// `struct contig_page_info`: a zone's free memory seen from one order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContigPageInfo {
    /// Free blocks of every order.
    pub free_blocks_total: u64,
    /// Free pages.
    pub free_pages: u64,
    /// Free blocks big enough, counted in blocks of the order asked about.
    pub free_blocks_suitable: u64,
}

/// `fill_contig_page_info` from a zone's free-block counts per order.
pub fn fill_contig_page_info(
    nr_free: &[u64; NR_PAGE_ORDERS],
    suitable_order: u8,
) -> ContigPageInfo {
    let mut info = ContigPageInfo::default();
    for (order, &blocks) in nr_free.iter().enumerate() {
        info.free_blocks_total += blocks;
        info.free_pages += blocks << order;
        if order >= usize::from(suitable_order) {
            info.free_blocks_suitable += blocks << (order - usize::from(suitable_order));
        }
    }
    info
}

/// `__fragmentation_index`: 0 without free blocks; -1000 if a block is big enough;
/// else `1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total`.
pub fn fragmentation_index(order: u8, info: &ContigPageInfo) -> i64 {
    let requested = 1u64 << order;
    if info.free_blocks_total == 0 {
        return 0;
    }
    if info.free_blocks_suitable > 0 {
        return -1000;
    }
    1000 - ((1000 + info.free_pages * 1000 / requested) / info.free_blocks_total) as i64
}

/// `unusable_free_index`: the thousandths of free memory in blocks too small for
/// `order` (1000 with nothing free).
pub fn unusable_free_index(order: u8, info: &ContigPageInfo) -> i64 {
    if info.free_pages == 0 {
        return 1000;
    }
    ((info.free_pages - (info.free_blocks_suitable << order)) * 1000 / info.free_pages) as i64
}

/// One line of either file: `Node 0, zone %8s ` then each order's index as
/// `%d.%03d ` (`unusable_show_print`) or `%2d.%03d ` (`extfrag_show_print`).
fn index_line(zone: &Zone, extfrag: bool) -> String {
    let mut out = format!("Node 0, zone {:>8} ", zone.ztype.name());
    let nr_free = zone.nr_free();
    for order in 0..NR_PAGE_ORDERS as u8 {
        let info = fill_contig_page_info(&nr_free, order);
        let index = if extfrag {
            fragmentation_index(order, &info)
        } else {
            unusable_free_index(order, &info)
        };
        // C's / and % truncate towards zero: -1000 prints as -1.000.
        let (whole, frac) = (index / 1000, (index % 1000).abs());
        if extfrag {
            out.push_str(&format!("{whole:>2}.{frac:03} "));
        } else {
            out.push_str(&format!("{whole}.{frac:03} "));
        }
    }
    out.push('\n');
    out
}

/// `/sys/kernel/debug/extfrag/unusable_index` (`unusable_show`): populated zones.
pub fn unusable_index<'a>(zones: impl Iterator<Item = &'a Zone>) -> String {
    zones.map(|z| index_line(z, false)).collect()
}

/// `/sys/kernel/debug/extfrag/extfrag_index` (`extfrag_show`): populated zones.
pub fn extfrag_index<'a>(zones: impl Iterator<Item = &'a Zone>) -> String {
    zones.map(|z| index_line(z, true)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(blocks: &[(usize, u64)]) -> [u64; NR_PAGE_ORDERS] {
        let mut c = [0; NR_PAGE_ORDERS];
        for &(o, n) in blocks {
            c[o] = n;
        }
        c
    }

    /// 64 free pages as 64 order-0 blocks: an order-3 request cannot be met,
    /// though 8 blocks' worth is free. Fragmentation index 1000 - (1000 + 64000/8)/64
    /// = 1000 - 140 = 860 (fragmentation); unusable 1000 (nothing big enough).
    #[test]
    fn scattered_single_pages() {
        let c = counts(&[(0, 64)]);
        let info = fill_contig_page_info(&c, 3);
        assert_eq!(
            info,
            ContigPageInfo {
                free_blocks_total: 64,
                free_pages: 64,
                free_blocks_suitable: 0
            }
        );
        assert_eq!(fragmentation_index(3, &info), 860);
        assert_eq!(unusable_free_index(3, &info), 1000);
        // Order 0 is always served: -1000, and nothing is unusable.
        let info0 = fill_contig_page_info(&c, 0);
        assert_eq!(fragmentation_index(0, &info0), -1000);
        assert_eq!(unusable_free_index(0, &info0), 0);
    }

    /// One order-2 block and 4 single pages (8 pages free), order 3: no block fits;
    /// index 1000 - (1000 + 8000/8)/5 = 1000 - 400 = 600. A lack of memory: 2 pages
    /// free in 2 blocks for an order-4 request gives 1000 - (1000 + 2000/16)/2 = 438.
    #[test]
    fn kernel_formula_by_hand() {
        let c = counts(&[(0, 4), (2, 1)]);
        let info = fill_contig_page_info(&c, 3);
        assert_eq!(fragmentation_index(3, &info), 600);
        // Half the free pages (the order-2 block) serve order 2.
        assert_eq!(unusable_free_index(2, &fill_contig_page_info(&c, 2)), 500);
        let few = counts(&[(0, 2)]);
        assert_eq!(fragmentation_index(4, &fill_contig_page_info(&few, 4)), 438);
        // Nothing free: index 0, all unusable.
        let none = counts(&[]);
        assert_eq!(fragmentation_index(4, &fill_contig_page_info(&none, 4)), 0);
        assert_eq!(
            unusable_free_index(4, &fill_contig_page_info(&none, 4)),
            1000
        );
    }
}
