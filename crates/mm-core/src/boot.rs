//! The machine's shape: the options of `boot`, their defaults, and the checks that
//! keep them inside what the model (and the browser tab) can hold.

use crate::vocab::{
    format_size, parse_number, parse_size, ArgError, MAX_DMA32_PFN, MAX_DMA_PFN, MAX_PAGE_ORDER,
    PAGE_SHIFT,
};
use std::fmt;

/// Largest RAM the model accepts: 64 GiB is 16M pages, about 180 MB of page state.
pub const MAX_MEM: u64 = 64 << 30;
/// The most CPUs a machine may have (`cpus=`).
pub const MAX_CPUS: u32 = 256;
/// Smallest RAM: 4 MiB, one order-10 block (the first megabyte stays reserved).
pub const MIN_MEM: u64 = 4 << 20;
/// Largest swap: four times the largest RAM.
pub const MAX_SWAP: u64 = MAX_MEM * 4;

/// A `boot` line the model refuses; the running machine stays as it was.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BootError {
    /// A word without `=`.
    NotAnOption(String),
    /// An option this model does not have.
    UnknownOption(String),
    /// A size or number that cannot be read.
    Arg(ArgError),
    /// `cpus=` beyond 32 bits.
    CpusTooLarge,
    /// A switch that is neither on nor off.
    OnOff {
        /// The option.
        key: &'static str,
        /// What was given.
        value: String,
    },
    /// `reserve=` without `SIZE@ADDR`.
    ReserveSyntax,
    /// A small numeric option out of its range.
    Small {
        /// The option.
        key: String,
        /// Its largest value.
        max: u64,
        /// What was given.
        value: String,
    },
    /// `caches=` other than typical or minimal.
    Caches(String),
    /// `slub_min_order` above `slub_max_order`.
    MinOrderAboveMax,
    /// RAM outside 4M..64G.
    MemOutOfRange(u64),
    /// RAM not a whole number of pages.
    MemNotPages,
    /// CPUs outside 1..256.
    CpusOutOfRange(u32),
    /// Swap above 256G.
    SwapTooLarge,
    /// Swap below mkswap's minimum of 10 pages (40 KiB).
    SwapTooSmall,
    /// A zone boundary not aligned to an order-10 block.
    ZoneNotAligned {
        /// `dma` or `dma32`.
        name: &'static str,
        /// The boundary.
        end: u64,
    },
    /// `dma=` above `dma32=`.
    DmaAboveDma32,
    /// A reserved range outside RAM (or empty).
    ReserveOutside {
        /// Its size.
        size: u64,
        /// Its address.
        addr: u64,
        /// RAM.
        mem: u64,
    },
}

impl From<ArgError> for BootError {
    fn from(e: ArgError) -> BootError {
        BootError::Arg(e)
    }
}

impl fmt::Display for BootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BootError::NotAnOption(arg) => {
                write!(f, "'{arg}' is not an option (write mem=1G, cpus=2, ...)")
            }
            BootError::UnknownOption(key) => write!(
                f,
                "unknown option '{key}' (options: mem= cpus= swap= pcp= dma= dma32= reserve= \
                 caches= la57= slub_min_objects= slub_min_order= slub_max_order=)"
            ),
            BootError::Arg(e) => write!(f, "{e}"),
            BootError::CpusTooLarge => f.write_str("cpus= is too large"),
            BootError::OnOff { key, value } => {
                write!(f, "{key}= takes on or off, not '{value}'")
            }
            BootError::ReserveSyntax => {
                f.write_str("reserve= takes SIZE@ADDR, e.g. reserve=64K@0x200000")
            }
            BootError::Small { key, max, value } => {
                write!(f, "{key}= takes a number from 0 to {max}, not '{value}'")
            }
            BootError::Caches(v) => write!(f, "caches= takes typical or minimal, not '{v}'"),
            BootError::MinOrderAboveMax => {
                f.write_str("slub_min_order= must not be above slub_max_order=")
            }
            BootError::MemOutOfRange(mem) => write!(
                f,
                "mem={} is out of range ({} to {})",
                format_size(*mem),
                format_size(MIN_MEM),
                format_size(MAX_MEM)
            ),
            BootError::MemNotPages => f.write_str("mem= must be a whole number of 4K pages"),
            BootError::CpusOutOfRange(n) => write!(f, "cpus={n} is out of range (1 to 256)"),
            BootError::SwapTooLarge => f.write_str("swap= is too large (at most 256G)"),
            BootError::SwapTooSmall => {
                f.write_str("swap= must be 0 or at least 40K (mkswap's minimum of 10 pages)")
            }
            BootError::ZoneNotAligned { name, end } => write!(
                f,
                "{name}={} must be a multiple of 4M, so no buddy block crosses a zone boundary",
                format_size(*end)
            ),
            BootError::DmaAboveDma32 => f.write_str("dma= must not be above dma32="),
            BootError::ReserveOutside { size, addr, mem } => write!(
                f,
                "reserve={}@{addr:#x} lies outside RAM (mem={})",
                format_size(*size),
                format_size(*mem)
            ),
        }
    }
}

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
fn small(value: &str, key: &str, max: u64) -> Result<u64, BootError> {
    parse_number(value)
        .ok()
        .filter(|v| *v <= max)
        .ok_or_else(|| BootError::Small {
            key: key.to_string(),
            max,
            value: value.to_string(),
        })
}

/// Parses `on`/`off` (or 1/0).
fn switch(value: &str, key: &'static str) -> Result<bool, BootError> {
    match value {
        "on" | "1" => Ok(true),
        "off" | "0" => Ok(false),
        _ => Err(BootError::OnOff {
            key,
            value: value.to_string(),
        }),
    }
}

const BLOCK_BYTES: u64 = (1 << MAX_PAGE_ORDER) << PAGE_SHIFT;

impl BootParams {
    /// Parses `mem=6G cpus=4 swap=1G pcp=on dma=4M dma32=32M reserve=64K@0x200000`.
    pub fn parse<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<BootParams, BootError> {
        let args: Vec<&str> = args.into_iter().collect();
        Self::parse_words(&args)
    }

    /// [`BootParams::parse`] over a slice (one copy of the parser in the wasm).
    fn parse_words(args: &[&str]) -> Result<BootParams, BootError> {
        let mut p = BootParams::default();
        for &arg in args {
            let (key, value) = arg
                .split_once('=')
                .ok_or_else(|| BootError::NotAnOption(arg.to_string()))?;
            match key {
                "mem" => p.mem = parse_size(value)?,
                "cpus" => {
                    p.cpus = parse_number(value)?
                        .try_into()
                        .map_err(|_| BootError::CpusTooLarge)?
                }
                "swap" => p.swap = parse_size(value)?,
                "pcp" => p.pcp = switch(value, "pcp")?,
                "dma" => p.dma_end = parse_size(value)?,
                "la57" => p.la57 = switch(value, "la57")?,
                "dma32" => p.dma32_end = parse_size(value)?,
                "reserve" => {
                    let (size, addr) = value.split_once('@').ok_or(BootError::ReserveSyntax)?;
                    p.reserve.push((parse_size(addr)?, parse_size(size)?));
                }
                "slub_min_objects" => p.slub_min_objects = small(value, key, 1024)? as u32,
                "slub_min_order" => p.slub_min_order = small(value, key, 10)? as u8,
                "slub_max_order" => p.slub_max_order = small(value, key, 10)? as u8,
                "caches" => {
                    p.typical_caches = match value {
                        "typical" => true,
                        "minimal" => false,
                        _ => return Err(BootError::Caches(value.to_string())),
                    }
                }
                _ => return Err(BootError::UnknownOption(key.to_string())),
            }
        }
        p.validate()?;
        Ok(p)
    }

    fn validate(&self) -> Result<(), BootError> {
        if self.slub_min_order > self.slub_max_order {
            return Err(BootError::MinOrderAboveMax);
        }
        if self.mem < MIN_MEM || self.mem > MAX_MEM {
            return Err(BootError::MemOutOfRange(self.mem));
        }
        if self.mem % (1 << PAGE_SHIFT) != 0 {
            return Err(BootError::MemNotPages);
        }
        if !(1..=MAX_CPUS).contains(&self.cpus) {
            return Err(BootError::CpusOutOfRange(self.cpus));
        }
        if self.swap > MAX_SWAP {
            return Err(BootError::SwapTooLarge);
        }
        if self.swap > 0 && self.swap < 10 * 4096 {
            return Err(BootError::SwapTooSmall);
        }
        for (name, end) in [("dma", self.dma_end), ("dma32", self.dma32_end)] {
            if end % BLOCK_BYTES != 0 {
                return Err(BootError::ZoneNotAligned { name, end });
            }
        }
        if self.dma_end > self.dma32_end {
            return Err(BootError::DmaAboveDma32);
        }
        for &(addr, size) in &self.reserve {
            if addr.checked_add(size).is_none_or(|end| end > self.mem) || size == 0 {
                return Err(BootError::ReserveOutside {
                    size,
                    addr,
                    mem: self.mem,
                });
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
        crate::vocab::join(&out, " ")
    }
}
