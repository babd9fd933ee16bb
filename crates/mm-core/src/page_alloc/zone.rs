//! `struct zone`: one zone's free areas, counters, watermarks and reserves.

use super::free_area::FreeArea;
use crate::vocab::migrate::MIGRATE_TYPES;
use crate::vocab::{Pfn, Watermark, ZoneType, MAX_NR_ZONES, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES};

/// `struct zone`, reduced to what the page allocator model uses.
#[derive(Clone, Debug)]
pub struct Zone {
    /// Which zone this is.
    pub ztype: ZoneType,
    /// `zone_start_pfn`.
    pub start_pfn: u64,
    /// `spanned_pages`: the PFN range the zone covers, holes included.
    pub spanned: u64,
    /// `present_pages`: pages of RAM in the range.
    pub present: u64,
    /// `managed_pages`: pages handed to the buddy allocator at boot.
    pub managed: u64,
    /// `free_area[order]`: the buddy allocator's free lists.
    pub free_area: [FreeArea; NR_PAGE_ORDERS],
    /// `vm_stat[NR_FREE_PAGES]`: free pages in the buddy allocator (pcp pages excluded).
    pub nr_free_pages: u64,
    /// `_watermark[]`: min, low, high, promo.
    pub watermark: [u64; 4],
    /// `watermark_boost`: raised by fragmenting fallbacks, cleared by kswapd.
    pub watermark_boost: u64,
    /// `ZONE_BELOW_HIGH`: an allocation found the zone below its high watermark (set in
    /// `get_page_from_freelist`, cleared by a per-CPU free that finds it above again).
    pub below_high: bool,
    /// `lowmem_reserve[]`: pages kept back from allocations that could use a higher zone.
    pub lowmem_reserve: [u64; MAX_NR_ZONES],
    /// For each migrate type, a bit per order whose list is not empty: the first
    /// non-empty list from an order up is one bit scan, where the kernel walks the
    /// orders (same answer, fewer steps for the simulator; the narration still tells
    /// each list looked at).
    pub nonempty: [u16; MIGRATE_TYPES],
    /// Compaction's memory of this zone between runs.
    pub compact: CompactState,
    /// `nr_reserved_highatomic`: pages in pageblocks reserved for high-order atomic
    /// allocations (`reserve_highatomic_pageblock`).
    pub nr_reserved_highatomic: u64,
}

/// The `compact_*` fields of `struct zone`: where the scanners stopped, where they
/// last found something after a reset, and how far failures defer the next run.
///
/// The kernel leaves them zero and its first `compact_zone` finds the cached PFNs
/// outside the zone (x86's first zone starts at PFN 1), so it starts the scanners at
/// the zone's ends. This model's DMA zone starts at PFN 0, where zero would be a
/// valid position (the free scanner would start at the bottom and meet the migration
/// scanner at once); so the cached positions start where that first reset puts them.
/// The rest starts at zero as in the kernel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactState {
    /// `compact_cached_migrate_pfn[async, sync]`.
    pub cached_migrate_pfn: [u64; 2],
    /// `compact_cached_free_pfn`.
    pub cached_free_pfn: u64,
    /// `compact_init_migrate_pfn`: the first block with LRU pages at the last reset.
    pub init_migrate_pfn: u64,
    /// `compact_init_free_pfn`: the last block with free pages at the last reset.
    pub init_free_pfn: u64,
    /// `compact_considered`: attempts since the last deferral.
    pub considered: u32,
    /// `compact_defer_shift`: 2^shift attempts are skipped after a failure (at most 6).
    pub defer_shift: u32,
    /// `compact_order_failed`: the lowest order that failed lately.
    pub order_failed: u8,
    /// `compact_blockskip_flush`: the scanners met in a direct run; skip hints are
    /// cleared at the next reset.
    pub blockskip_flush: bool,
}

impl Zone {
    /// An empty zone of the given type.
    pub fn new(ztype: ZoneType, start_pfn: u64, spanned: u64) -> Zone {
        Zone {
            ztype,
            start_pfn,
            spanned,
            present: 0,
            managed: 0,
            free_area: Default::default(),
            nr_free_pages: 0,
            below_high: false,
            watermark: [0; 4],
            watermark_boost: 0,
            lowmem_reserve: [0; MAX_NR_ZONES],
            nonempty: [0; MIGRATE_TYPES],
            nr_reserved_highatomic: 0,
            compact: CompactState {
                cached_migrate_pfn: [start_pfn; 2],
                cached_free_pfn: (start_pfn + spanned.max(1) - 1)
                    & !((1u64 << crate::vocab::PAGEBLOCK_ORDER) - 1),
                ..CompactState::default()
            },
        }
    }

    /// `nr_free_highatomic`: free pages on the HIGHATOMIC lists.
    pub fn nr_free_highatomic(&self) -> u64 {
        let i = crate::vocab::MigrateType::HighAtomic.idx();
        (0..NR_PAGE_ORDERS)
            .map(|o| self.free_area[o].free_list[i].len << o)
            .sum()
    }

    /// The lowest order from `order` up whose `mt` list has a block, if any.
    #[inline]
    pub fn first_nonempty(&self, order: u8, mt: crate::vocab::MigrateType) -> Option<u8> {
        let bits = self.nonempty[mt.idx()] >> order;
        (bits != 0).then(|| order + bits.trailing_zeros() as u8)
    }

    /// `populated_zone`: the zone has pages of RAM.
    pub fn populated(&self) -> bool {
        self.present > 0
    }

    /// `zone_end_pfn`: one past the last PFN.
    pub fn end_pfn(&self) -> u64 {
        self.start_pfn + self.spanned
    }

    /// `zone_spans_pfn`.
    pub fn spans(&self, pfn: Pfn) -> bool {
        pfn.0 >= self.start_pfn && pfn.0 < self.end_pfn()
    }

    /// `prep_move_freepages_block`'s bounds check: whether the pageblock starting at
    /// `start` lies in this zone whole.
    pub fn holds_pageblock(&self, start: Pfn) -> bool {
        self.spans(start) && self.spans(Pfn(start.0 + PAGEBLOCK_NR_PAGES - 1))
    }

    /// `reserve_highatomic_pageblock`'s limit: `ALIGN(managed / 100,
    /// pageblock_nr_pages)`, or 0 when 1% of the zone is under a pageblock.
    pub fn highatomic_limit(&self) -> u64 {
        let one_percent = self.managed / 100;
        if one_percent < PAGEBLOCK_NR_PAGES {
            0
        } else {
            one_percent.next_multiple_of(PAGEBLOCK_NR_PAGES)
        }
    }

    /// `wmark_pages(z, w)`: the watermark plus the current boost.
    pub fn wmark_pages(&self, w: Watermark) -> u64 {
        self.watermark[w as usize] + self.watermark_boost
    }

    /// The number of free blocks of each order (what /proc/buddyinfo prints).
    pub fn nr_free(&self) -> [u64; NR_PAGE_ORDERS] {
        let mut out = [0; NR_PAGE_ORDERS];
        for (o, area) in self.free_area.iter().enumerate() {
            out[o] = area.nr_free;
        }
        out
    }
}
