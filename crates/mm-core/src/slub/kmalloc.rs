//! The kmalloc size classes and their caches (`include/linux/slab.h`,
//! `mm/slab_common.c: kmalloc_slab`, `kmalloc_size_index`, `create_kmalloc_caches`).

use crate::vocab::gfp::{__GFP_ACCOUNT, __GFP_DMA, __GFP_RECLAIMABLE};
use crate::vocab::GfpFlags;

/// `KMALLOC_SHIFT_LOW`: the smallest class is 8 bytes.
pub const KMALLOC_SHIFT_LOW: u32 = 3;
/// `KMALLOC_SHIFT_HIGH`: the largest class is 8 KiB (`PAGE_SHIFT + 1`).
pub const KMALLOC_SHIFT_HIGH: u32 = 13;
/// `KMALLOC_MAX_CACHE_SIZE`.
pub const KMALLOC_MAX_CACHE_SIZE: u64 = 1 << KMALLOC_SHIFT_HIGH;
/// `KMALLOC_MAX_SIZE`: `1 << (MAX_PAGE_ORDER + PAGE_SHIFT)` = 4 MiB.
pub const KMALLOC_MAX_SIZE: u64 = 1 << 22;

/// `kmalloc_size_index[]` for sizes up to 192, indexed by `(size - 1) / 8`.
const SIZE_INDEX: [u32; 24] = [
    3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
];

/// `enum kmalloc_cache_type`, in creation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum KmallocType {
    /// `kmalloc-*`.
    Normal,
    /// `kmalloc-rcl-*` (`__GFP_RECLAIMABLE`).
    Reclaim,
    /// `dma-kmalloc-*` (`__GFP_DMA`).
    Dma,
    /// `kmalloc-cg-*` (`__GFP_ACCOUNT`).
    Cgroup,
}

impl KmallocType {
    /// All types in the order `create_kmalloc_caches` creates them.
    pub const ALL: [KmallocType; 4] = [
        KmallocType::Normal,
        KmallocType::Reclaim,
        KmallocType::Dma,
        KmallocType::Cgroup,
    ];

    /// `kmalloc_type(flags)`.
    pub fn of(gfp: GfpFlags) -> KmallocType {
        if gfp.0 & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT) == 0 {
            KmallocType::Normal
        } else if gfp.0 & __GFP_DMA != 0 {
            KmallocType::Dma
        } else if gfp.0 & __GFP_RECLAIMABLE != 0 {
            KmallocType::Reclaim
        } else {
            KmallocType::Cgroup
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            KmallocType::Normal => "kmalloc-",
            KmallocType::Reclaim => "kmalloc-rcl-",
            KmallocType::Dma => "dma-kmalloc-",
            KmallocType::Cgroup => "kmalloc-cg-",
        }
    }
}

/// `kmalloc_index`-style index of the class for `size` (1..=8192): 1 is 96, 2 is 192,
/// 3..=13 are 8 to 8k.
///
/// 200 bytes is class 8 (256); 96 is class 1 (96); 97 is class 7 (128).
pub fn kmalloc_index(size: u64) -> u32 {
    if size <= 192 {
        SIZE_INDEX[((size.max(1) - 1) / 8) as usize]
    } else {
        crate::vocab::fls(size - 1)
    }
}

/// The object size of class `index`.
pub fn class_size(index: u32) -> u32 {
    match index {
        1 => 96,
        2 => 192,
        i => 1 << i,
    }
}

/// The name of a kmalloc cache: `kmalloc-256`, `kmalloc-rcl-1k`, `dma-kmalloc-8k`.
pub fn cache_name(t: KmallocType, index: u32) -> String {
    let size = class_size(index);
    let s = if size >= 1024 {
        format!("{}k", size / 1024)
    } else {
        size.to_string()
    };
    format!("{}{s}", t.prefix())
}

/// Class indices in creation order: 8, 16, 32, 64, 96, 128, 192, 256, ... 8k.
pub fn creation_order() -> Vec<u32> {
    // create_kmalloc_caches: kmalloc-96 (index 1) and kmalloc-192 (index 2) first,
    // then the powers of two from KMALLOC_SHIFT_LOW up.
    let mut out = vec![1, 2];
    out.extend(KMALLOC_SHIFT_LOW..=KMALLOC_SHIFT_HIGH);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// KERNEL.md's size classes: `kmalloc_size_index` up to 192, `fls(size - 1)` above.
    #[test]
    fn sizes_map_to_the_kernels_classes() {
        for (size, class) in [
            (1, 8),
            (8, 8),
            (9, 16),
            (17, 32),
            (33, 64),
            (65, 96),
            (96, 96),
            (97, 128),
            (129, 192),
            (192, 192),
            (193, 256),
            (200, 256),
            (4097, 8192),
            (8192, 8192),
        ] {
            assert_eq!(class_size(kmalloc_index(size)), class, "size {size}");
        }
        assert_eq!(
            cache_name(KmallocType::Normal, kmalloc_index(200)),
            "kmalloc-256"
        );
        assert_eq!(
            cache_name(KmallocType::Reclaim, kmalloc_index(2000)),
            "kmalloc-rcl-2k"
        );
    }
}
