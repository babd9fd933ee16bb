//! Booting node 0's memory (`mm/mm_init.c`, `mm/memblock.c`): zone ranges, the page
//! array, the reserved first megabyte, and `memblock_free_all` handing the rest to the
//! buddy allocator.

use super::free::Fpi;
use super::memmap::MemMap;
use super::node::Node;
use super::zone::Zone;
use crate::event::Trace;
use crate::vocab::{Pfn, ZoneType, MAX_PAGE_ORDER, PAGE_SHIFT};

/// x86-64 reserves the first 1 MiB (PFN 0-255) since v5.13.
pub const RESERVED_LOW: u64 = 1 << 20;

/// The shape of the memory to boot: RAM size, zone ends and extra reserved ranges, in
/// bytes (from the `boot` options).
#[derive(Clone, Copy, Debug)]
pub struct MemLayout<'a> {
    /// RAM, one range from physical address 0.
    pub mem: u64,
    /// End of ZONE_DMA.
    pub dma_end: u64,
    /// End of ZONE_DMA32.
    pub dma32_end: u64,
    /// Extra reserved ranges: (address, size).
    pub reserve: &'a [(u64, u64)],
}

impl Node {
    /// Builds node 0 for the given machine: zone ranges (`zone_sizes_init`), the page
    /// array, then `memblock_free_all`.
    pub fn boot(p: &MemLayout<'_>, trace: &mut Trace) -> Node {
        let max_pfn = p.mem >> PAGE_SHIFT;
        let dma_end = (p.dma_end >> PAGE_SHIFT).min(max_pfn);
        let dma32_end = (p.dma32_end >> PAGE_SHIFT).min(max_pfn);
        let mut zones = [
            Zone::new(ZoneType::Dma, 0, dma_end),
            Zone::new(ZoneType::Dma32, dma_end, dma32_end - dma_end),
            Zone::new(ZoneType::Normal, dma32_end, max_pfn - dma32_end),
            Zone::new(ZoneType::Movable, 0, 0),
        ];
        for z in zones.iter_mut() {
            z.present = z.spanned;
        }
        let mut node = Node {
            zones,
            mem: MemMap::new(max_pfn),
            pcp: None,
            boost_factor: 15_000,
            zonelists: Default::default(),
            stats: Default::default(),
            capture: None,
        };
        let mut reserved = vec![(0, RESERVED_LOW >> PAGE_SHIFT)];
        for &(addr, size) in p.reserve {
            reserved.push((addr >> PAGE_SHIFT, (addr + size).div_ceil(1 << PAGE_SHIFT)));
        }
        node.memblock_free_all(&reserved, trace);
        node.build_zonelists();
        node
    }

    /// `memblock_free_all`: every free range between reservations, cut at zone
    /// boundaries, goes to `__free_pages_memory`.
    fn memblock_free_all(&mut self, reserved: &[(u64, u64)], trace: &mut Trace) {
        let max_pfn = self.mem.len();
        // Free ranges: [0, max_pfn) minus the reserved ranges.
        let mut cuts: Vec<(u64, u64)> = reserved
            .iter()
            .map(|&(s, e)| (s.min(max_pfn), e.min(max_pfn)))
            .collect();
        // By start (ranges starting together may come in any order: `cursor` takes
        // the furthest end).
        crate::vocab::sort::sort_by_key(&mut cuts, |c| c.0);
        let mut free_ranges = Vec::new();
        let mut cursor = 0;
        for (s, e) in cuts {
            if s > cursor {
                free_ranges.push((cursor, s));
            }
            cursor = cursor.max(e);
        }
        if cursor < max_pfn {
            free_ranges.push((cursor, max_pfn));
        }
        for (start, end) in free_ranges {
            for zt in ZoneType::ALL {
                let z = self.zone(zt);
                let (s, e) = (start.max(z.start_pfn), end.min(z.end_pfn()));
                if s < e {
                    self.__free_pages_memory(zt, s, e, trace);
                }
            }
        }
    }

    /// `__free_pages_memory`: the range in the largest aligned blocks that fit, each
    /// freed with `FPI_TO_TAIL` (so it merges, then goes on the list's tail).
    ///
    /// A fresh machine's DMA zone (PFN 256 to 4095) becomes order 8 at 256, order 9 at
    /// 512 and order 10 at 1024, 2048 and 3072: buddyinfo `0 0 0 0 0 0 0 0 1 1 3`.
    #[allow(non_snake_case)]
    fn __free_pages_memory(&mut self, zt: ZoneType, start: u64, end: u64, trace: &mut Trace) {
        let mut start = start;
        while start < end {
            let mut order = if start == 0 {
                MAX_PAGE_ORDER
            } else {
                MAX_PAGE_ORDER.min(start.trailing_zeros() as u8)
            };
            while start + (1u64 << order) > end {
                order -= 1;
            }
            // __free_pages_core: the pages become managed, then free.
            self.zones[zt.idx()].managed += 1u64 << order;
            self.mem.clear_reserved(Pfn(start), order);
            // __free_pages_ok counts PGFREE for boot-time frees too.
            self.stats.pgfree += 1u64 << order;
            self.free_one_page(zt, Pfn(start), order, Fpi::ToTail, trace);
            start += 1u64 << order;
        }
    }
}
