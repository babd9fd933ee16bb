//! Zones: the physical address ranges that allocations of different kinds may use
//! (`include/linux/mmzone.h`, `arch/x86/mm/init.c: zone_sizes_init`).

use crate::free_area::FreeArea;
use crate::types::{Pfn, NR_PAGE_ORDERS};
use serde::Serialize;
use std::fmt;

/// `MAX_DMA_PFN`: ZONE_DMA ends at 16 MiB.
pub const MAX_DMA_PFN: u64 = (16 << 20) >> 12;
/// `MAX_DMA32_PFN`: ZONE_DMA32 ends at 4 GiB.
pub const MAX_DMA32_PFN: u64 = 1 << 20;
/// `MAX_NR_ZONES` on this configuration (no HIGHMEM, no ZONE_DEVICE).
pub const MAX_NR_ZONES: usize = 4;

/// `enum zone_type`, in the kernel's order: a lower zone can serve a higher zone's
/// allocations, never the other way round.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
pub enum ZoneType {
    /// ZONE_DMA: below 16 MiB, for ISA-era devices that address 24 bits.
    Dma = 0,
    /// ZONE_DMA32: 16 MiB to 4 GiB, for devices that address 32 bits.
    Dma32 = 1,
    /// ZONE_NORMAL: everything above 4 GiB.
    Normal = 2,
    /// ZONE_MOVABLE: empty unless `kernelcore=`/`movablecore=` carve it out.
    Movable = 3,
}

impl ZoneType {
    /// All zone types in index order.
    pub const ALL: [ZoneType; MAX_NR_ZONES] = [
        ZoneType::Dma,
        ZoneType::Dma32,
        ZoneType::Normal,
        ZoneType::Movable,
    ];

    /// The zone's index (`zone_idx`).
    pub fn idx(self) -> usize {
        self as usize
    }

    /// The name in `zone_names[]`, as /proc prints it.
    pub fn name(self) -> &'static str {
        match self {
            ZoneType::Dma => "DMA",
            ZoneType::Dma32 => "DMA32",
            ZoneType::Normal => "Normal",
            ZoneType::Movable => "Movable",
        }
    }

    /// The zone type with index `idx`.
    pub fn from_idx(idx: usize) -> Option<ZoneType> {
        ZoneType::ALL.get(idx).copied()
    }
}

impl fmt::Display for ZoneType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `enum zone_watermarks`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum Watermark {
    /// WMARK_MIN: below it only `__GFP_HIGH` and atomic allocations may dip.
    Min = 0,
    /// WMARK_LOW: the fast path's mark; below it kswapd is woken.
    Low = 1,
    /// WMARK_HIGH: kswapd sleeps again once free pages reach it.
    High = 2,
    /// WMARK_PROMO: the mark for NUMA memory-tiering promotion.
    Promo = 3,
}

impl Watermark {
    /// The lower-case name the narration uses.
    pub fn name(self) -> &'static str {
        match self {
            Watermark::Min => "min",
            Watermark::Low => "low",
            Watermark::High => "high",
            Watermark::Promo => "promo",
        }
    }
}

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
    /// `lowmem_reserve[]`: pages kept back from allocations that could use a higher zone.
    pub lowmem_reserve: [u64; MAX_NR_ZONES],
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
            watermark: [0; 4],
            watermark_boost: 0,
            lowmem_reserve: [0; MAX_NR_ZONES],
        }
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
