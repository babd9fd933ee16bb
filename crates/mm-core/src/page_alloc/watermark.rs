//! Watermarks and reserves (`mm/page_alloc.c: calculate_min_free_kbytes`,
//! `__setup_per_zone_wmarks`, `setup_per_zone_lowmem_reserve`, `__zone_watermark_ok`).

use super::events::PageAllocEvent;
use super::node::Node;
use super::rmqueue::AllocFlags;
use crate::event::Trace;
use crate::vocab::migrate::MIGRATE_PCPTYPES;
use crate::vocab::{int_sqrt, NR_PAGE_ORDERS};
use crate::vocab::{Watermark, ZoneType, MAX_NR_ZONES};

/// `calculate_min_free_kbytes`: `clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)`,
/// where `lowmem_kbytes` is the managed memory of the zones up to Normal (the high
/// watermarks are still 0 at boot).
///
/// 2 GiB of managed lowmem (524288 pages) gives `int_sqrt(2097152 * 16)` = 5792.
///
/// ```
/// assert_eq!(mm_core::page_alloc::calculate_min_free_kbytes(524_288), 5792);
/// assert_eq!(mm_core::page_alloc::calculate_min_free_kbytes(100), 128);
/// ```
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
        let free = z.nr_free_pages.saturating_sub((1u64 << order) - 1);
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
        let ok = (order as usize..NR_PAGE_ORDERS).any(|o| {
            let area = &z.free_area[o];
            area.nr_free > 0
                && area.free_list[..MIGRATE_PCPTYPES]
                    .iter()
                    .any(|l| !l.is_empty())
        });
        (ok, free, required)
    }
}
