//! Zone types and watermark names (`include/linux/mmzone.h`, `arch/x86/mm/init.c:
//! zone_sizes_init`): the words every subsystem uses for where memory comes from.

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
