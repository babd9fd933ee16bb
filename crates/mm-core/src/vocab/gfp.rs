//! GFP ("get free pages") flags: what an allocation may do and where it may come from
//! (`include/linux/gfp_types.h`, `include/linux/gfp.h`).

use super::migrate::MigrateType;
use super::zone_type::ZoneType;
use serde::Serialize;
use std::fmt;

/// A set of GFP flags, with the kernel's bit values so that `mode:%#x` prints the same.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct GfpFlags(pub u32);

/// `__GFP_DMA`.
pub const __GFP_DMA: u32 = 1 << 0;
/// `__GFP_HIGHMEM`.
pub const __GFP_HIGHMEM: u32 = 1 << 1;
/// `__GFP_DMA32`.
pub const __GFP_DMA32: u32 = 1 << 2;
/// `__GFP_MOVABLE`.
pub const __GFP_MOVABLE: u32 = 1 << 3;
/// `__GFP_RECLAIMABLE`.
pub const __GFP_RECLAIMABLE: u32 = 1 << 4;
/// `__GFP_HIGH`: may dip below the min watermark (by half).
pub const __GFP_HIGH: u32 = 1 << 5;
/// `__GFP_IO`.
pub const __GFP_IO: u32 = 1 << 6;
/// `__GFP_FS`.
pub const __GFP_FS: u32 = 1 << 7;
/// `__GFP_ZERO`.
pub const __GFP_ZERO: u32 = 1 << 8;
/// `__GFP_DIRECT_RECLAIM`: the caller may sleep and reclaim.
pub const __GFP_DIRECT_RECLAIM: u32 = 1 << 10;
/// `__GFP_KSWAPD_RECLAIM`: wake kswapd at the low watermark.
pub const __GFP_KSWAPD_RECLAIM: u32 = 1 << 11;
/// `__GFP_WRITE`.
pub const __GFP_WRITE: u32 = 1 << 12;
/// `__GFP_NOWARN`: fail quietly.
pub const __GFP_NOWARN: u32 = 1 << 13;
/// `__GFP_RETRY_MAYFAIL`.
pub const __GFP_RETRY_MAYFAIL: u32 = 1 << 14;
/// `__GFP_NOFAIL`.
pub const __GFP_NOFAIL: u32 = 1 << 15;
/// `__GFP_NORETRY`.
pub const __GFP_NORETRY: u32 = 1 << 16;
/// `__GFP_MEMALLOC`.
pub const __GFP_MEMALLOC: u32 = 1 << 17;
/// `__GFP_COMP`: a compound page.
pub const __GFP_COMP: u32 = 1 << 18;
/// `__GFP_NOMEMALLOC`.
pub const __GFP_NOMEMALLOC: u32 = 1 << 19;
/// `__GFP_HARDWALL`.
pub const __GFP_HARDWALL: u32 = 1 << 20;
/// `__GFP_THISNODE`.
pub const __GFP_THISNODE: u32 = 1 << 21;
/// `__GFP_ACCOUNT`.
pub const __GFP_ACCOUNT: u32 = 1 << 22;
/// `__GFP_RECLAIM`.
pub const __GFP_RECLAIM: u32 = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

/// `GFP_ATOMIC`: may not sleep, may use reserves.
pub const GFP_ATOMIC: u32 = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
/// `GFP_KERNEL`: the ordinary kernel allocation.
pub const GFP_KERNEL: u32 = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
/// `GFP_KERNEL_ACCOUNT`.
pub const GFP_KERNEL_ACCOUNT: u32 = GFP_KERNEL | __GFP_ACCOUNT;
/// `GFP_NOWAIT` (v6.18+ includes `__GFP_NOWARN`).
pub const GFP_NOWAIT: u32 = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
/// `GFP_NOIO`.
pub const GFP_NOIO: u32 = __GFP_RECLAIM;
/// `GFP_NOFS`.
pub const GFP_NOFS: u32 = __GFP_RECLAIM | __GFP_IO;
/// `GFP_USER`: user-space allocations the kernel touches.
pub const GFP_USER: u32 = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
/// `GFP_DMA`.
pub const GFP_DMA: u32 = __GFP_DMA;
/// `GFP_DMA32`.
pub const GFP_DMA32: u32 = __GFP_DMA32;
/// `GFP_HIGHUSER`.
pub const GFP_HIGHUSER: u32 = GFP_USER | __GFP_HIGHMEM;
/// `GFP_HIGHUSER_MOVABLE`: anonymous user pages and page cache.
pub const GFP_HIGHUSER_MOVABLE: u32 = GFP_HIGHUSER | __GFP_MOVABLE;
/// `GFP_TRANSHUGE_LIGHT`.
pub const GFP_TRANSHUGE_LIGHT: u32 =
    (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & !__GFP_RECLAIM;
/// `GFP_TRANSHUGE`.
pub const GFP_TRANSHUGE: u32 = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

/// `__def_gfpflag_names`: the order in which `%pGg` names flags, composites first.
const GFP_NAMES: &[(u32, &str)] = &[
    (GFP_TRANSHUGE, "GFP_TRANSHUGE"),
    (GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"),
    (GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"),
    (GFP_HIGHUSER, "GFP_HIGHUSER"),
    (GFP_USER, "GFP_USER"),
    (GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"),
    (GFP_KERNEL, "GFP_KERNEL"),
    (GFP_NOFS, "GFP_NOFS"),
    (GFP_ATOMIC, "GFP_ATOMIC"),
    (GFP_NOIO, "GFP_NOIO"),
    (GFP_NOWAIT, "GFP_NOWAIT"),
    (GFP_DMA, "GFP_DMA"),
    (__GFP_HIGHMEM, "__GFP_HIGHMEM"),
    (GFP_DMA32, "GFP_DMA32"),
    (__GFP_HIGH, "__GFP_HIGH"),
    (__GFP_IO, "__GFP_IO"),
    (__GFP_FS, "__GFP_FS"),
    (__GFP_NOWARN, "__GFP_NOWARN"),
    (__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"),
    (__GFP_NOFAIL, "__GFP_NOFAIL"),
    (__GFP_NORETRY, "__GFP_NORETRY"),
    (__GFP_COMP, "__GFP_COMP"),
    (__GFP_ZERO, "__GFP_ZERO"),
    (__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"),
    (__GFP_MEMALLOC, "__GFP_MEMALLOC"),
    (__GFP_HARDWALL, "__GFP_HARDWALL"),
    (__GFP_THISNODE, "__GFP_THISNODE"),
    (__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"),
    (__GFP_MOVABLE, "__GFP_MOVABLE"),
    (__GFP_ACCOUNT, "__GFP_ACCOUNT"),
    (__GFP_WRITE, "__GFP_WRITE"),
    (__GFP_RECLAIM, "__GFP_RECLAIM"),
    (__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"),
    (__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"),
];

/// Names a user may type: every entry of the `%pGg` table, plus `0`.
fn lookup(name: &str) -> Option<u32> {
    const ALIASES: &[(u32, &str)] = &[(__GFP_DMA, "__GFP_DMA"), (__GFP_DMA32, "__GFP_DMA32")];
    GFP_NAMES
        .iter()
        .chain(ALIASES)
        .find(|(_, n)| *n == name)
        .map(|(v, _)| *v)
}

/// A GFP expression that is not one the kernel would accept.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GfpError {
    /// A word that names no flag.
    UnknownFlag(String),
    /// More than one zone modifier (the kernel's `GFP_ZONE_BAD`).
    ZoneConflict(u32),
    /// `__GFP_MOVABLE` with `__GFP_RECLAIMABLE`: no migrate type is both.
    MovableAndReclaimable,
}

impl fmt::Display for GfpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GfpError::UnknownFlag(part) => write!(
                f,
                "unknown GFP flag '{part}' (try GFP_KERNEL, GFP_USER, GFP_HIGHUSER_MOVABLE, \
                 GFP_DMA32, GFP_DMA, GFP_ATOMIC, __GFP_MOVABLE, __GFP_RECLAIMABLE, \
                 __GFP_HIGH, __GFP_NOWARN)"
            ),
            GfpError::ZoneConflict(bits) => write!(
                f,
                "GFP zone modifiers {bits:#x} contradict each other (the kernel's GFP_ZONE_BAD): \
                 use at most one of __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM"
            ),
            GfpError::MovableAndReclaimable => {
                f.write_str("__GFP_MOVABLE and __GFP_RECLAIMABLE cannot be combined")
            }
        }
    }
}

impl GfpFlags {
    /// Parses `GFP_KERNEL`, `GFP_DMA32|__GFP_NOWARN`, or a number such as `0xcc0`.
    ///
    /// ```
    /// use mm_core::vocab::GfpFlags;
    /// assert_eq!(GfpFlags::parse("GFP_KERNEL").unwrap().0, 0xcc0);
    /// assert_eq!(GfpFlags::parse("GFP_KERNEL|__GFP_DMA32").unwrap().0, 0xcc4);
    /// assert!(GfpFlags::parse("GFP_DMA|GFP_DMA32").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<GfpFlags, GfpError> {
        let mut bits = 0u32;
        for part in text.split('|') {
            let part = part.trim();
            let value = if let Some(hex) = part.strip_prefix("0x") {
                u32::from_str_radix(hex, 16).ok()
            } else if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
                part.parse().ok()
            } else {
                lookup(part).or_else(|| lookup(&part.to_ascii_uppercase()))
            };
            bits |= value.ok_or_else(|| GfpError::UnknownFlag(part.to_string()))?;
        }
        let flags = GfpFlags(bits);
        flags.zone()?;
        flags.migratetype()?;
        Ok(flags)
    }

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }

    /// `gfp_zone()`: the highest zone this allocation may use (`GFP_ZONE_TABLE`).
    pub fn zone(self) -> Result<ZoneType, GfpError> {
        let bits = self.0 & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE);
        let movable = bits & __GFP_MOVABLE != 0;
        match bits & !__GFP_MOVABLE {
            0 => Ok(ZoneType::Normal),
            __GFP_DMA => Ok(ZoneType::Dma),
            // No HIGHMEM on 64-bit: OPT_ZONE_HIGHMEM is ZONE_NORMAL.
            __GFP_HIGHMEM if movable => Ok(ZoneType::Movable),
            __GFP_HIGHMEM => Ok(ZoneType::Normal),
            __GFP_DMA32 => Ok(ZoneType::Dma32),
            _ => Err(GfpError::ZoneConflict(bits)),
        }
    }

    /// `gfp_migratetype()`: which free lists the allocation prefers.
    pub fn migratetype(self) -> Result<MigrateType, GfpError> {
        match (self.0 & __GFP_MOVABLE != 0, self.0 & __GFP_RECLAIMABLE != 0) {
            (false, false) => Ok(MigrateType::Unmovable),
            (true, false) => Ok(MigrateType::Movable),
            (false, true) => Ok(MigrateType::Reclaimable),
            (true, true) => Err(GfpError::MovableAndReclaimable),
        }
    }
}

impl fmt::Display for GfpFlags {
    /// `%pGg`: composite names first, each consuming its bits, leftovers in hex.
    ///
    /// ```
    /// use mm_core::vocab::GfpFlags;
    /// assert_eq!(GfpFlags(0xcc1).to_string(), "GFP_KERNEL|GFP_DMA");
    /// assert_eq!(GfpFlags(0x100cca).to_string(), "GFP_HIGHUSER_MOVABLE");
    /// assert_eq!(GfpFlags(0).to_string(), "0");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut left = self.0;
        let mut first = true;
        for &(mask, name) in GFP_NAMES {
            if mask != 0 && left & mask == mask {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
                left &= !mask;
            }
        }
        if left != 0 {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "{left:#x}")?;
        } else if first {
            f.write_str("0")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_values() {
        assert_eq!(GFP_KERNEL, 0xcc0);
        assert_eq!(GFP_USER, 0x100cc0);
        assert_eq!(GFP_HIGHUSER_MOVABLE, 0x100cca);
        assert_eq!(GFP_ATOMIC, 0x820);
    }

    #[test]
    fn zone_table() {
        let z = |s: &str| GfpFlags::parse(s).unwrap().zone().unwrap();
        assert_eq!(z("GFP_KERNEL"), ZoneType::Normal);
        assert_eq!(z("GFP_USER"), ZoneType::Normal);
        assert_eq!(z("GFP_HIGHUSER_MOVABLE"), ZoneType::Movable);
        assert_eq!(z("GFP_DMA32"), ZoneType::Dma32);
        assert_eq!(z("GFP_DMA"), ZoneType::Dma);
        assert_eq!(z("__GFP_MOVABLE"), ZoneType::Normal);
        assert_eq!(z("GFP_KERNEL|__GFP_MOVABLE|__GFP_DMA32"), ZoneType::Dma32);
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(GfpFlags(GFP_ATOMIC).to_string(), "GFP_ATOMIC");
        assert_eq!(
            GfpFlags(GFP_KERNEL | __GFP_NOWARN).to_string(),
            "GFP_KERNEL|__GFP_NOWARN"
        );
        assert_eq!(GfpFlags(1 << 9).to_string(), "0x200");
        assert!(GfpFlags::parse("GFP_BOGUS").is_err());
        assert!(GfpFlags::parse("__GFP_MOVABLE|__GFP_RECLAIMABLE").is_err());
    }
}
