//! Watermarks and reserves (`mm/page_alloc.c: calculate_min_free_kbytes`,
//! `__setup_per_zone_wmarks`, `setup_per_zone_lowmem_reserve`, `__zone_watermark_ok`).

use super::events::PageAllocEvent;
use super::node::Node;
use super::rmqueue::AllocFlags;
use crate::event::Trace;
use crate::vocab::int_sqrt;
use crate::vocab::migrate::MIGRATE_PCPTYPES;
use crate::vocab::{Watermark, ZoneType, MAX_NR_ZONES};

/// `calculate_min_free_kbytes`: `clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)`,
/// where `lowmem_kbytes` is the managed memory of the zones up to Normal (the high
/// watermarks are still 0 at boot).
///
/// 2 GiB of managed lowmem (524288 pages) gives `int_sqrt(2097152 * 16)` = 5792; a
/// tiny machine gets the floor of 128.
pub fn calculate_min_free_kbytes(lowmem_pages: u64) -> u64 {
    let lowmem_kbytes = lowmem_pages * 4;
    int_sqrt(lowmem_kbytes * 16).clamp(128, 262_144)
}

impl Node {
    /// `nr_free_buffer_pages`: Σ over zones up to Normal of `max(managed - high, 0)`.
    pub fn nr_free_buffer_pages(&self) -> u64 {
        self.zones[..=ZoneType::Normal.idx()]
            .iter()
            .map(|z| {
                z.managed
                    .saturating_sub(z.watermark[Watermark::High as usize])
            })
            .sum()
    }

    /// `__setup_per_zone_wmarks`: splits `min_free_kbytes` between the zones in
    /// proportion to their managed pages, then spaces low and high above min.
    ///
    /// DMA 3976 and DMA32 520312 managed with min_free_kbytes 5792: pages_min = 1448;
    /// DMA32 min = 1448 * 520312 / 524288 = 1437, step = max(1437/4, 520312*10/10000)
    /// = 520, so low 1957 and high 2477; DMA gets 10/13/16.
    pub fn setup_per_zone_wmarks(
        &mut self,
        min_free_kbytes: u64,
        scale_factor: u64,
        trace: &mut Trace,
    ) {
        let pages_min = min_free_kbytes >> 2;
        let lowmem_pages: u64 = self.zones[..=ZoneType::Normal.idx()]
            .iter()
            .map(|z| z.managed)
            .sum();
        for zone in self.zones.iter_mut() {
            let tmp = (pages_min * zone.managed)
                .checked_div(lowmem_pages)
                .unwrap_or(0);
            let min = if zone.ztype == ZoneType::Movable {
                (zone.managed / 1024).clamp(32, 128)
            } else {
                tmp
            };
            let step = (tmp >> 2).max(zone.managed * scale_factor / 10_000);
            zone.watermark = [min, min + step, min + 2 * step, min + 3 * step];
            zone.watermark_boost = 0;
            if zone.populated() {
                let (zt, w) = (zone.ztype, zone.watermark);
                trace.push(|| PageAllocEvent::Watermarks {
                    zone: zt,
                    min: w[0],
                    low: w[1],
                    high: w[2],
                });
            }
        }
    }

    /// `setup_per_zone_lowmem_reserve`: each zone keeps back, from allocations that
    /// could have used a higher zone j, the managed pages of the zones above it up to
    /// j divided by its ratio. v6.19 stores the cumulative value even for empty
    /// higher zones.
    pub fn setup_per_zone_lowmem_reserve(&mut self, ratios: [u64; MAX_NR_ZONES]) {
        for (i, &ratio) in ratios.iter().enumerate() {
            let clear = ratio == 0 || self.zones[i].managed == 0;
            let mut managed = 0;
            self.zones[i].lowmem_reserve[i] = 0;
            for j in i + 1..MAX_NR_ZONES {
                managed += self.zones[j].managed;
                self.zones[i].lowmem_reserve[j] = if clear { 0 } else { managed / ratio };
            }
        }
    }

    /// `calculate_totalreserve_pages`: Σ min(managed, high + max lowmem_reserve).
    pub fn totalreserve_pages(&self) -> u64 {
        self.zones
            .iter()
            .map(|z| {
                let max_reserve = z.lowmem_reserve.iter().copied().max().unwrap_or(0);
                (z.watermark[Watermark::High as usize] + max_reserve).min(z.managed)
            })
            .sum()
    }

    /// `__zone_watermark_ok` (with `zone_watermark_fast`'s order-0 shortcut, which
    /// gives the same answer here): are there enough free pages above the mark and
    /// the lowmem reserve, and, for order > 0, a free block large enough?
    ///
    /// Returns (ok, usable free pages, pages required), for the narration.
    pub fn zone_watermark_ok(
        &self,
        zt: ZoneType,
        order: u8,
        mark: u64,
        highest: ZoneType,
        flags: AllocFlags,
    ) -> (bool, u64, u64) {
        let z = &self.zones[zt.idx()];
        // __zone_watermark_unusable_free: the highatomic reserve is not free to
        // requests without ALLOC_RESERVES.
        let reserves = flags.min_reserve || flags.non_block || flags.highatomic;
        let unusable = if reserves { 0 } else { z.nr_free_highatomic() };
        let free = z
            .nr_free_pages
            .saturating_sub((1u64 << order) - 1 + unusable);
        let mut min = mark;
        if flags.min_reserve {
            min -= min / 2;
            if flags.non_block {
                min -= min / 4;
            }
        }
        let required = min + z.lowmem_reserve[highest.idx()];
        if free <= required {
            return (false, free, required);
        }
        if order == 0 {
            return (true, free, required);
        }
        // For order > 0, a free block of at least `order` on an unmovable, movable or
        // reclaimable list (the kernel's loop over the orders, as one bit test).
        let mut any: u16 = z.nonempty[..MIGRATE_PCPTYPES].iter().fold(0, |a, b| a | b);
        if flags.highatomic {
            any |= z.nonempty[crate::vocab::MigrateType::HighAtomic.idx()];
        }
        let ok = any >> order != 0;
        (ok, free, required)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// KERNEL.md's worked example: 2 GiB of lowmem gives min_free_kbytes 5792.
    #[test]
    fn calculate_min_free_kbytes_is_the_square_root_rule() {
        assert_eq!(calculate_min_free_kbytes(524_288), 5792);
        assert_eq!(calculate_min_free_kbytes(100), 128);
        assert_eq!(calculate_min_free_kbytes(u64::MAX >> 8), 262_144);
    }
}

#[cfg(test)]
mod zone_watermark_ok_tests {
    use super::*;
    use crate::page_alloc::mm_init::MemLayout;
    use crate::vocab::{Watermark, ZoneType};

    /// KERNEL.md's machine: DMA 3976 and DMA32 520312 managed pages (2 GiB, with a
    /// real firmware's reservations, which the managed counts stand for here).
    fn node() -> Node {
        let layout = MemLayout {
            mem: 2 << 30,
            dma_end: 16 << 20,
            dma32_end: 4 << 30,
            reserve: &[],
        };
        let mut n = Node::boot(&layout, &mut Trace::default());
        n.zones[ZoneType::Dma.idx()].managed = 3976;
        n.zones[ZoneType::Dma32.idx()].managed = 520_312;
        n.setup_per_zone_wmarks(5792, 10, &mut Trace::default());
        n.setup_per_zone_lowmem_reserve(crate::sysctl::LOWMEM_RESERVE_RATIO);
        n
    }

    /// "DMA32: min/low/high = 1437/1957/2477; DMA: 10/13/16; DMA's lowmem_reserve[DMA32]
    /// = 520312/256 = 2032."
    #[test]
    fn the_worked_example() {
        let n = node();
        let dma32 = n.zone(ZoneType::Dma32);
        assert_eq!(&dma32.watermark[..3], &[1437, 1957, 2477]);
        assert_eq!(&n.zone(ZoneType::Dma).watermark[..3], &[10, 13, 16]);
        assert_eq!(
            n.zone(ZoneType::Dma).lowmem_reserve[ZoneType::Dma32.idx()],
            2032
        );
    }

    /// "fail if free <= min + lowmem_reserve[highest_zoneidx]": a GFP_KERNEL request
    /// (highest zone Normal) must leave DMA its low mark plus the 2032 pages DMA keeps
    /// for allocations that could have used DMA32; a GFP_DMA request only the mark.
    #[test]
    fn lowmem_reserve_protects_the_lower_zone() {
        let n = node();
        let mark = n.zone(ZoneType::Dma).wmark_pages(Watermark::Low);
        let flags = AllocFlags::default();
        let kernel = n.zone_watermark_ok(ZoneType::Dma, 0, mark, ZoneType::Normal, flags);
        let dma = n.zone_watermark_ok(ZoneType::Dma, 0, mark, ZoneType::Dma, flags);
        assert_eq!(kernel.2, 13 + 2032);
        assert_eq!(dma.2, 13);
    }

    /// `__GFP_HIGH` halves the mark; a non-blocking one takes a further quarter:
    /// 1437 → 719 → 540.
    #[test]
    fn high_and_atomic_discounts() {
        let n = node();
        let mark = 1437;
        let high = AllocFlags {
            min_reserve: true,
            ..AllocFlags::default()
        };
        let atomic = AllocFlags {
            min_reserve: true,
            non_block: true,
            ..AllocFlags::default()
        };
        let req = |f| {
            n.zone_watermark_ok(ZoneType::Dma32, 0, mark, ZoneType::Dma32, f)
                .2
        };
        assert_eq!(req(AllocFlags::default()), 1437);
        assert_eq!(req(high), 1437 - 1437 / 2);
        assert_eq!(req(atomic), 719 - 719 / 4);
    }

    /// "free = NR_FREE_PAGES - (2^order - 1)", and an order above 0 also needs a free
    /// block of at least that order.
    #[test]
    fn higher_orders_need_a_block_that_large() {
        let n = node();
        let (_, free0, _) = n.zone_watermark_ok(
            ZoneType::Dma32,
            0,
            0,
            ZoneType::Dma32,
            AllocFlags::default(),
        );
        let (ok, free3, _) = n.zone_watermark_ok(
            ZoneType::Dma32,
            3,
            0,
            ZoneType::Dma32,
            AllocFlags::default(),
        );
        assert_eq!(free0 - free3, 7);
        assert!(ok);
    }
}
