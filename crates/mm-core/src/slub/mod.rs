//! SLUB: caches of small objects carved out of buddy-allocator pages (`mm/slub.c`,
//! `mm/slab_common.c`). SLAB was removed in v6.8; SLUB is the only slab allocator.
//!
//! The model keeps CPU 0's slab and the node's partial list (no per-CPU partial
//! lists, no sheaves), a sequential freelist (no `SLAB_FREELIST_RANDOM`), and never
//! merges caches (as with the kernel's `slab_nomerge`), so every cache has its own
//! /proc/slabinfo line. Everything here takes the page allocator through a
//! `&mut Kernel`; nothing here knows of processes or the shell.
//!
//! Start with [`cache`] (geometry: `calculate_order`), then [`alloc`] and [`free`].

pub mod alloc;
pub mod cache;
pub mod commands;
pub mod error;
pub mod events;
pub mod free;
pub mod invariants;
pub mod kmalloc;
pub mod slabinfo;
pub mod typical;

use crate::vocab::fast_hash::FastMap;
use cache::{KmemCache, SlubParams, SLAB_RECLAIM_ACCOUNT};
use error::SlabError;
use kmalloc::{KmallocType, KMALLOC_SHIFT_HIGH};

/// `__PAGE_OFFSET_BASE_L4` (arch/x86/include/asm/page_64_types.h): where the direct
/// map of all RAM starts with 4-level paging (without KASLR).
pub const PAGE_OFFSET: u64 = 0xffff_8880_0000_0000;
/// `__PAGE_OFFSET_BASE_L5`: the same with 5-level paging (`la57=on`).
pub const PAGE_OFFSET_L5: u64 = 0xff11_0000_0000_0000;
/// `ZERO_SIZE_PTR`: what `kmalloc(0)` returns.
pub const ZERO_SIZE_PTR: u64 = 0x10;

/// Every cache, and the map from slab pages back to their cache.
#[derive(Clone, Debug, Default)]
pub struct Slub {
    /// The caches by id; a destroyed cache leaves `None`.
    pub caches: Vec<Option<KmemCache>>,
    /// `slab_caches`, newest first (the order /proc/slabinfo prints).
    pub order: Vec<usize>,
    /// `kmalloc_caches[type][index]`: the kmalloc size classes' caches.
    kmalloc_caches: [[Option<usize>; KMALLOC_SHIFT_HIGH as usize + 1]; KmallocType::ALL.len()],
    /// Head PFN of every slab to its cache id (`virt_to_slab` + `slab->slab_cache`).
    pub owner: FastMap<u64, u32>,
    /// Large kmalloc allocations (above 8 KiB): head PFN to order. (Both maps hold
    /// `u32`s: one map type for all small values keeps the wasm small.)
    pub large: FastMap<u64, u32>,
    /// The geometry parameters.
    pub params: SlubParams,
    /// Each cache's own bookkeeping objects (its `struct kmem_cache` and
    /// `kmem_cache_node`), by cache id: (owning cache id, address).
    pub meta: Vec<Vec<(usize, u64)>>,
}

impl Slub {
    /// An empty slab allocator with these geometry parameters.
    pub fn new(params: SlubParams) -> Slub {
        Slub {
            params,
            ..Slub::default()
        }
    }

    /// `PAGE_OFFSET` of this machine: the 4- or 5-level direct-map base.
    pub fn page_offset(&self) -> u64 {
        if self.params.la57 {
            PAGE_OFFSET_L5
        } else {
            PAGE_OFFSET
        }
    }

    /// The id of the cache with this name (the kernel walks `slab_caches` too).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.caches
            .iter()
            .position(|c| c.as_ref().is_some_and(|c| c.name == name))
    }

    /// Records a cache's bookkeeping objects.
    pub(crate) fn set_meta(&mut self, id: usize, meta: Vec<(usize, u64)>) {
        if self.meta.len() <= id {
            self.meta.resize(id + 1, Vec::new());
        }
        self.meta[id] = meta;
    }

    /// Takes a cache's bookkeeping objects (it is being destroyed).
    pub(crate) fn take_meta(&mut self, id: usize) -> Vec<(usize, u64)> {
        self.meta
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The id of a cache by name, or a clear error.
    pub fn cache_id(&self, name: &str) -> Result<usize, SlabError> {
        self.find(name)
            .ok_or_else(|| SlabError::UnknownCache(name.to_string()))
    }

    /// The cache with this id.
    pub fn cache(&self, id: usize) -> Option<&KmemCache> {
        self.caches.get(id).and_then(Option::as_ref)
    }

    /// The cache with this id, to change it.
    pub(crate) fn cache_mut(&mut self, id: usize) -> Option<&mut KmemCache> {
        self.caches.get_mut(id).and_then(Option::as_mut)
    }

    /// Caches, newest first.
    pub fn iter(&self) -> impl Iterator<Item = &KmemCache> {
        self.order.iter().filter_map(|&id| self.cache(id))
    }

    /// The kmalloc cache of a type and size-class index (`kmalloc_caches[type][index]`).
    pub fn kmalloc_cache(&self, t: KmallocType, index: u32) -> Option<usize> {
        self.kmalloc_caches
            .get(t as usize)
            .and_then(|row| row.get(index as usize))
            .copied()
            .flatten()
    }

    /// Records a new cache (newest first in `slab_caches`).
    pub(crate) fn register(&mut self, cache: KmemCache) -> usize {
        let id = self.caches.len();
        self.caches.push(Some(cache));
        self.order.insert(0, id);
        id
    }

    /// Marks a cache as the kmalloc cache of a type and index.
    pub(crate) fn set_kmalloc_cache(&mut self, t: KmallocType, index: u32, id: usize) {
        if let Some(slot) = self
            .kmalloc_caches
            .get_mut(t as usize)
            .and_then(|row| row.get_mut(index as usize))
        {
            *slot = Some(id);
        }
        if let Some(c) = self.cache_mut(id) {
            c.kmalloc = true;
        }
    }

    /// Forgets a destroyed cache.
    pub(crate) fn unregister(&mut self, id: usize) {
        if let Some(c) = self.caches.get_mut(id) {
            *c = None;
        }
        self.order.retain(|x| *x != id);
    }

    /// Slab pages: (reclaimable, unreclaimable), large kmallocs counted unreclaimable.
    pub fn pages(&self) -> (u64, u64) {
        let (mut rcl, mut unrcl) = (0, 0);
        for c in self.iter() {
            // NR_SLAB_*_B counts each slab's own pages (a fallback slab is smaller).
            let pages: u64 = c.slabs.values().map(|(s, _)| 1u64 << s.order).sum();
            if c.flags & SLAB_RECLAIM_ACCOUNT != 0 {
                rcl += pages;
            } else {
                unrcl += pages;
            }
        }
        unrcl += self.large.values().map(|o| 1u64 << o).sum::<u64>();
        (rcl, unrcl)
    }
}

/// The direct-map address of a physical address (`page_offset` from
/// [`Slub::page_offset`]).
pub fn phys_to_virt(page_offset: u64, phys: u64) -> u64 {
    page_offset + phys
}

/// `virt_to_phys` for the direct map, if the address is in it.
pub fn virt_to_phys(page_offset: u64, addr: u64) -> Option<u64> {
    addr.checked_sub(page_offset).filter(|p| *p < (64u64 << 40))
}
