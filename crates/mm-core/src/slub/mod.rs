//! SLUB: caches of small objects carved out of buddy-allocator pages (`mm/slub.c`,
//! `mm/slab_common.c`). SLAB was removed in v6.8; SLUB is the only slab allocator.
//!
//! The model keeps CPU 0's slab and the node's partial list (no per-CPU partial
//! lists, no sheaves), a sequential freelist (no `SLAB_FREELIST_RANDOM`), and never
//! merges caches (as with the kernel's `slab_nomerge`), so every cache has its own
//! /proc/slabinfo line.

pub mod alloc;
pub mod cache;
pub mod kmalloc;
pub mod typical;

use cache::{KmemCache, SlubParams};
use std::collections::HashMap;

/// `PAGE_OFFSET` on x86-64 with 4-level paging: where the direct map of all RAM starts.
pub const PAGE_OFFSET: u64 = 0xffff_8880_0000_0000;
/// `ZERO_SIZE_PTR`: what `kmalloc(0)` returns.
pub const ZERO_SIZE_PTR: u64 = 0x10;

/// Every cache, and the map from slab pages back to their cache.
#[derive(Clone, Debug, Default)]
pub struct Slub {
    /// The caches by id; a destroyed cache leaves `None`.
    pub caches: Vec<Option<KmemCache>>,
    /// `slab_caches`, newest first (the order /proc/slabinfo prints).
    pub order: Vec<usize>,
    /// Head PFN of every slab to its cache id (`virt_to_slab` + `slab->slab_cache`).
    pub owner: HashMap<u64, usize>,
    /// Large kmalloc allocations (above 8 KiB): head PFN to order.
    pub large: HashMap<u64, u8>,
    /// The geometry parameters.
    pub params: SlubParams,
    /// Each cache's own bookkeeping objects (its `struct kmem_cache` and
    /// `kmem_cache_node`): cache id to (owning cache id, address).
    pub meta: HashMap<usize, Vec<(usize, u64)>>,
}

impl Slub {
    /// The id of the cache with this name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.order
            .iter()
            .copied()
            .find(|&id| self.caches[id].as_ref().is_some_and(|c| c.name == name))
    }

    /// The cache with this id.
    pub fn cache(&self, id: usize) -> Option<&KmemCache> {
        self.caches.get(id).and_then(Option::as_ref)
    }

    /// Caches, newest first.
    pub fn iter(&self) -> impl Iterator<Item = &KmemCache> {
        self.order.iter().filter_map(|&id| self.cache(id))
    }

    /// Slab pages: (reclaimable, unreclaimable), large kmallocs counted unreclaimable.
    pub fn pages(&self) -> (u64, u64) {
        let (mut rcl, mut unrcl) = (0, 0);
        for c in self.iter() {
            let pages = (c.slabs.len() as u64) << c.order;
            if c.flags & cache::SLAB_RECLAIM_ACCOUNT != 0 {
                rcl += pages;
            } else {
                unrcl += pages;
            }
        }
        unrcl += self.large.values().map(|o| 1u64 << o).sum::<u64>();
        (rcl, unrcl)
    }
}

/// The direct-map address of a physical address.
pub fn phys_to_virt(phys: u64) -> u64 {
    PAGE_OFFSET + phys
}

/// `virt_to_phys` for the direct map, if the address is in it.
pub fn virt_to_phys(addr: u64) -> Option<u64> {
    addr.checked_sub(PAGE_OFFSET).filter(|p| *p < (64u64 << 40))
}
