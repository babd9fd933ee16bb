//! Booting: the machine's shape from `boot` options, zone ranges, the reserved first
//! megabyte, and `memblock_free_all` handing the rest to the buddy allocator.

use crate::buddy_free::Fpi;
use crate::event::Trace;
use crate::memmap::{MemMap, PageUse};
use crate::node::Node;
use crate::size::{format_size, parse_number, parse_size};
use crate::types::{Pfn, MAX_PAGE_ORDER, PAGE_SHIFT};
use crate::zone::{Zone, ZoneType, MAX_DMA32_PFN, MAX_DMA_PFN};

/// Largest RAM the model accepts: 64 GiB is 16M pages, about 180 MB of page state.
pub const MAX_MEM: u64 = 64 << 30;
/// Smallest RAM: 4 MiB, one order-10 block (the first megabyte stays reserved).
pub const MIN_MEM: u64 = 4 << 20;
/// x86-64 reserves the first 1 MiB (PFN 0-255) since v5.13.
pub const RESERVED_LOW: u64 = 1 << 20;

/// The options of `boot`, with their defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootParams {
    /// `mem=`: RAM in bytes, one range from physical address 0 (default 1G).
    pub mem: u64,
    /// `cpus=`: number of CPUs (default 2).
    pub cpus: u32,
    /// `swap=`: swap space in bytes (default 0).
    pub swap: u64,
    /// `pcp=on|off`: per-CPU page lists (default off, so frees merge at once).
    pub pcp: bool,
    /// `dma=`: end of ZONE_DMA (default 16M).
    pub dma_end: u64,
    /// `dma32=`: end of ZONE_DMA32 (default 4G).
    pub dma32_end: u64,
    /// `reserve=SIZE@ADDR` (repeatable): extra reserved ranges, like `memmap=nn$ss`.
    pub reserve: Vec<(u64, u64)>,
    /// `slub_min_objects=` (0: derived from the CPU count).
    pub slub_min_objects: u32,
    /// `slub_min_order=`.
    pub slub_min_order: u8,
    /// `slub_max_order=` (default 3).
    pub slub_max_order: u8,
    /// `caches=typical`: a realistic set of busy kernel caches (default `minimal`).
    pub typical_caches: bool,
    /// `la57=on`: 5-level paging (default off: 4 levels).
    pub la57: bool,
}

impl Default for BootParams {
    fn default() -> Self {
        BootParams {
            mem: 1 << 30,
            cpus: 2,
            swap: 0,
            pcp: false,
            dma_end: MAX_DMA_PFN << PAGE_SHIFT,
            dma32_end: MAX_DMA32_PFN << PAGE_SHIFT,
            reserve: Vec::new(),
            slub_min_objects: 0,
            slub_min_order: 0,
            slub_max_order: 3,
            typical_caches: false,
            la57: false,
        }
    }
}

/// Parses a small whole number option.
fn small(value: &str, key: &str, max: u64) -> Result<u64, String> {
    parse_number(value)
        .ok()
        .filter(|v| *v <= max)
        .ok_or_else(|| format!("boot: {key}= takes a number from 0 to {max}, not '{value}'"))
}

const BLOCK_BYTES: u64 = (1 << MAX_PAGE_ORDER) << PAGE_SHIFT;

impl BootParams {
    /// Parses `mem=6G cpus=4 swap=1G pcp=on dma=4M dma32=32M reserve=64K@0x200000`.
    pub fn parse<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<BootParams, String> {
        let args: Vec<&str> = args.into_iter().collect();
        Self::parse_words(&args)
    }

    /// [`BootParams::parse`] over a slice (one copy of the parser in the wasm).
    fn parse_words(args: &[&str]) -> Result<BootParams, String> {
        let mut p = BootParams::default();
        for &arg in args {
            let (key, value) = arg.split_once('=').ok_or_else(|| {
                format!("boot: '{arg}' is not an option (write mem=1G, cpus=2, ...)")
            })?;
            match key {
                "mem" => p.mem = parse_size(value)?,
                "cpus" => {
                    p.cpus = parse_number(value)?
                        .try_into()
                        .map_err(|_| "boot: cpus= is too large".to_string())?
                }
                "swap" => p.swap = parse_size(value)?,
                "pcp" => {
                    p.pcp = match value {
                        "on" | "1" => true,
                        "off" | "0" => false,
                        _ => return Err(format!("boot: pcp= takes on or off, not '{value}'")),
                    }
                }
                "dma" => p.dma_end = parse_size(value)?,
                "la57" => {
                    p.la57 = match value {
                        "on" | "1" => true,
                        "off" | "0" => false,
                        _ => return Err(format!("boot: la57= takes on or off, not '{value}'")),
                    }
                }
                "dma32" => p.dma32_end = parse_size(value)?,
                "reserve" => {
                    let (size, addr) = value
                        .split_once('@')
                        .ok_or_else(|| "boot: reserve= takes SIZE@ADDR, e.g. reserve=64K@0x200000".to_string())?;
                    p.reserve.push((parse_size(addr)?, parse_size(size)?));
                }
                "slub_min_objects" => p.slub_min_objects = small(value, key, 1024)? as u32,
                "slub_min_order" => p.slub_min_order = small(value, key, 10)? as u8,
                "slub_max_order" => p.slub_max_order = small(value, key, 10)? as u8,
                "caches" => {
                    p.typical_caches = match value {
                        "typical" => true,
                        "minimal" => false,
                        _ => return Err(format!("boot: caches= takes typical or minimal, not '{value}'")),
                    }
                }
                _ => {
                    return Err(format!(
                        "boot: unknown option '{key}' (options: mem= cpus= swap= pcp= dma= dma32= reserve= \
                         caches= la57= slub_min_objects= slub_min_order= slub_max_order=)"
                    ))
                }
            }
        }
        p.validate()?;
        Ok(p)
    }

    fn validate(&self) -> Result<(), String> {
        if self.slub_min_order > self.slub_max_order {
            return Err("boot: slub_min_order= must not be above slub_max_order=".into());
        }
        if self.mem < MIN_MEM || self.mem > MAX_MEM {
            return Err(format!(
                "boot: mem={} is out of range ({} to {})",
                format_size(self.mem),
                format_size(MIN_MEM),
                format_size(MAX_MEM)
            ));
        }
        if self.mem % (1 << PAGE_SHIFT) != 0 {
            return Err("boot: mem= must be a whole number of 4K pages".into());
        }
        if !(1..=256).contains(&self.cpus) {
            return Err(format!(
                "boot: cpus={} is out of range (1 to 256)",
                self.cpus
            ));
        }
        if self.swap > MAX_MEM * 4 {
            return Err("boot: swap= is too large (at most 256G)".into());
        }
        for (name, end) in [("dma", self.dma_end), ("dma32", self.dma32_end)] {
            if end % BLOCK_BYTES != 0 {
                return Err(format!(
                    "boot: {name}={} must be a multiple of 4M, so no buddy block crosses a zone boundary",
                    format_size(end)
                ));
            }
        }
        if self.dma_end > self.dma32_end {
            return Err("boot: dma= must not be above dma32=".into());
        }
        for &(addr, size) in &self.reserve {
            if addr.checked_add(size).is_none_or(|end| end > self.mem) || size == 0 {
                return Err(format!(
                    "boot: reserve={}@{addr:#x} lies outside RAM (mem={})",
                    format_size(size),
                    format_size(self.mem)
                ));
            }
        }
        Ok(())
    }

    /// The options as `boot` would take them back, defaults left out.
    pub fn to_args(&self) -> String {
        let d = BootParams::default();
        let mut out = vec![format!("mem={}", format_size(self.mem))];
        if self.cpus != d.cpus {
            out.push(format!("cpus={}", self.cpus));
        }
        if self.swap != d.swap {
            out.push(format!("swap={}", format_size(self.swap)));
        }
        if self.pcp {
            out.push("pcp=on".into());
        }
        if self.dma_end != d.dma_end {
            out.push(format!("dma={}", format_size(self.dma_end)));
        }
        if self.dma32_end != d.dma32_end {
            out.push(format!("dma32={}", format_size(self.dma32_end)));
        }
        for (addr, size) in &self.reserve {
            out.push(format!("reserve={}@{addr:#x}", format_size(*size)));
        }
        if self.typical_caches {
            out.push("caches=typical".into());
        }
        if self.la57 {
            out.push("la57=on".into());
        }
        if self.slub_min_objects != d.slub_min_objects {
            out.push(format!("slub_min_objects={}", self.slub_min_objects));
        }
        if self.slub_min_order != d.slub_min_order {
            out.push(format!("slub_min_order={}", self.slub_min_order));
        }
        if self.slub_max_order != d.slub_max_order {
            out.push(format!("slub_max_order={}", self.slub_max_order));
        }
        out.join(" ")
    }
}

impl Node {
    /// Builds node 0 for the given machine: zone ranges (`zone_sizes_init`), the page
    /// array, then `memblock_free_all`.
    pub fn boot(p: &BootParams, trace: &mut Trace) -> Node {
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
        };
        let mut reserved = vec![(0, RESERVED_LOW >> PAGE_SHIFT)];
        for &(addr, size) in &p.reserve {
            reserved.push((addr >> PAGE_SHIFT, (addr + size).div_ceil(1 << PAGE_SHIFT)));
        }
        node.memblock_free_all(&reserved, trace);
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
        cuts.sort();
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
            self.mem.set_usage(Pfn(start), order, PageUse::Free);
            self.free_one_page(zt, Pfn(start), order, Fpi::ToTail, trace);
            start += 1u64 << order;
        }
    }
}
