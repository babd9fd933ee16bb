//! `struct kmem_cache` and its geometry: object size to slab size, slab order and
//! objects per slab (`mm/slub.c: calculate_sizes`, `calculate_order`, `calc_slab_order`).

use super::error::SlabError;
use crate::vocab::deque::Deque;
use crate::vocab::{fls, get_order, MAX_PAGE_ORDER, PAGE_SIZE};

/// `SLAB_HWCACHE_ALIGN`: align objects to cache lines.
pub const SLAB_HWCACHE_ALIGN: u32 = 1 << 13;
/// `SLAB_CACHE_DMA`: slabs come from ZONE_DMA.
pub const SLAB_CACHE_DMA: u32 = 1 << 14;
/// `SLAB_RECLAIM_ACCOUNT`: slabs are reclaimable (counted in SReclaimable).
pub const SLAB_RECLAIM_ACCOUNT: u32 = 1 << 17;
/// `SLAB_ACCOUNT`: objects are charged to the memory cgroup.
pub const SLAB_ACCOUNT: u32 = 1 << 26;
/// `cache_line_size()` on x86-64.
pub const CACHE_LINE: u32 = 64;
/// `MAX_OBJS_PER_PAGE`.
const MAX_OBJS_PER_PAGE: u32 = 32767;

/// SLUB's tunables, from `boot` options (`slub_min_objects=`, `slub_min_order=`,
/// `slub_max_order=`) and the CPU count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlubParams {
    /// `slub_min_objects` (0: derive from the CPU count).
    pub min_objects: u32,
    /// `slub_min_order`.
    pub min_order: u8,
    /// `slub_max_order` (default `PAGE_ALLOC_COSTLY_ORDER` = 3).
    pub max_order: u8,
    /// `num_present_cpus()`.
    pub nr_cpus: u32,
    /// 5-level paging: the direct map starts at the 5-level `PAGE_OFFSET`.
    pub la57: bool,
}

impl Default for SlubParams {
    fn default() -> Self {
        SlubParams {
            min_objects: 0,
            min_order: 0,
            max_order: 3,
            nr_cpus: 2,
            la57: false,
        }
    }
}

/// `calculate_alignment`: `SLAB_HWCACHE_ALIGN` aligns to the cache line, halved while
/// the object fits twice; never below 8 bytes.
///
/// A 100-byte object with `SLAB_HWCACHE_ALIGN` aligns to 64; a 20-byte one to 32 (two
/// fit in a line); without the flag, 8.
pub fn calculate_alignment(flags: u32, align: u32, size: u32) -> u32 {
    let mut align = align;
    if flags & SLAB_HWCACHE_ALIGN != 0 {
        let mut ralign = CACHE_LINE;
        while size <= ralign / 2 {
            ralign /= 2;
        }
        align = align.max(ralign);
    }
    align.max(8).next_multiple_of(8)
}

/// `calculate_sizes` without debugging: the object rounded to a word, then to the
/// alignment. The free pointer lives inside the free object.
pub fn calculate_size(object_size: u32, align: u32) -> u32 {
    object_size.next_multiple_of(8).next_multiple_of(align)
}

/// `order_objects`: objects of `size` bytes in a slab of `2^order` pages.
pub fn order_objects(order: u8, size: u32) -> u32 {
    ((PAGE_SIZE << order) / u64::from(size)) as u32
}

/// `calc_slab_order`: the smallest order in `min..=max` whose leftover is at most
/// `1/fract` of the slab; `max + 1` if there is none.
fn calc_slab_order(size: u32, min_order: u8, max_order: u8, fract: u64) -> u8 {
    let mut order = min_order;
    while order <= max_order {
        let slab = PAGE_SIZE << order;
        if slab % u64::from(size) <= slab / fract {
            break;
        }
        order += 1;
    }
    order
}

/// `calculate_order`: the slab order for objects of `size` bytes.
///
/// With 2 CPUs `min_objects` is `4 * (fls(2) + 1)` = 12, so kmalloc-1k needs
/// `get_order(12 * 1024)` = order 2 (16 objects in 4 pages), and kmalloc-192 fits 21
/// objects in one page with 64 bytes left over (at most 1/16 of the slab).
pub fn calculate_order(size: u32, p: &SlubParams) -> Option<u8> {
    let mut min_objects = p.min_objects;
    if min_objects == 0 {
        min_objects = 4 * (fls(u64::from(p.nr_cpus)) + 1);
    }
    let max_objects = order_objects(p.max_order, size).max(1);
    let min_objects = min_objects.min(max_objects);
    let min_order = p
        .min_order
        .max(get_order(u64::from(min_objects) * u64::from(size)));
    if order_objects(min_order, size) > MAX_OBJS_PER_PAGE {
        return Some(get_order(u64::from(size) * u64::from(MAX_OBJS_PER_PAGE)).saturating_sub(1));
    }
    for fract in [16, 8, 4, 2] {
        let order = calc_slab_order(size, min_order, p.max_order, fract);
        if order <= p.max_order {
            return Some(order);
        }
    }
    let order = get_order(u64::from(size));
    (order <= MAX_PAGE_ORDER).then_some(order)
}

/// One slab: a compound page of `2^order` pages cut into `objects` slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slab {
    /// The head page.
    pub pfn: u64,
    /// Object slots.
    pub objects: u16,
    /// Its order: the cache's, or the minimum order `allocate_slab` fell back to.
    pub order: u8,
    /// Objects handed out (`inuse`).
    pub inuse: u16,
    /// The free slots, the next one to hand out last (the freelist is LIFO).
    pub freelist: Vec<u16>,
    /// One bit per slot, set while the slot is free: SLUB's debug check for a double
    /// free, in O(1) instead of a walk of the freelist.
    free_map: Vec<u64>,
}

impl Slab {
    /// A new slab: every slot free, slot 0 first (no `SLAB_FREELIST_RANDOM`).
    pub fn new(pfn: u64, objects: u16, order: u8) -> Slab {
        let words = usize::from(objects).div_ceil(64);
        let mut free_map = vec![u64::MAX; words];
        if objects % 64 != 0 {
            if let Some(last) = free_map.last_mut() {
                *last = (1u64 << (objects % 64)) - 1;
            }
        }
        Slab {
            pfn,
            objects,
            order,
            inuse: 0,
            freelist: (0..objects).rev().collect(),
            free_map,
        }
    }

    /// Whether a slot is free.
    pub fn is_free(&self, idx: u16) -> bool {
        let i = usize::from(idx);
        self.free_map
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Takes the freelist's head: the slot handed out next.
    pub fn take(&mut self) -> Option<u16> {
        let idx = self.freelist.pop()?;
        let i = usize::from(idx);
        if let Some(w) = self.free_map.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
        self.inuse += 1;
        Some(idx)
    }

    /// Puts a slot back on the head of the freelist; false if it was free already.
    pub fn give_back(&mut self, idx: u16) -> bool {
        let i = usize::from(idx);
        match self.free_map.get_mut(i / 64) {
            Some(w) if *w & (1 << (i % 64)) == 0 => {
                *w |= 1 << (i % 64);
                self.freelist.push(idx);
                self.inuse -= 1;
                true
            }
            _ => false,
        }
    }

    /// Whether the freelist and the free bitmap name the same slots.
    pub fn consistent(&self) -> bool {
        let bits: u32 = self.free_map.iter().map(|w| w.count_ones()).sum();
        bits as usize == self.freelist.len() && self.freelist.iter().all(|i| self.is_free(*i))
    }
}

/// Where a slab is: the CPU's slab, the node's partial list, or full (SLUB keeps no
/// list of full slabs; the model remembers them for the UI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SlabState {
    /// `c->slab`: CPU 0 allocates from it.
    Cpu,
    /// On `n->partial`.
    Partial,
    /// Every object in use.
    Full,
}

/// `struct kmem_cache`.
#[derive(Clone, Debug)]
pub struct KmemCache {
    /// The name /proc/slabinfo prints.
    pub name: String,
    /// `object_size`: what the caller asked for.
    pub object_size: u32,
    /// `size`: the stride between objects.
    pub size: u32,
    /// `align`.
    pub align: u32,
    /// `SLAB_*` flags.
    pub flags: u32,
    /// `oo_order(s->oo)`.
    pub order: u8,
    /// `oo_objects(s->oo)`.
    pub objects: u16,
    /// `min_partial`: empty slabs kept on the partial list before freeing them.
    pub min_partial: usize,
    /// Every slab of the cache, by head PFN.
    pub slabs: crate::vocab::fast_hash::FastMap<u64, (Slab, SlabState)>,
    /// `c->slab`: CPU 0's slab.
    pub cpu_slab: Option<u64>,
    /// `n->partial`, head first.
    pub partial: Deque<u64>,
    /// Whether this is one of the kmalloc caches (they cannot be destroyed).
    pub kmalloc: bool,
}

impl KmemCache {
    /// A cache with the kernel's geometry for these parameters, or why not.
    pub fn new(
        name: &str,
        object_size: u32,
        align: u32,
        flags: u32,
        p: &SlubParams,
    ) -> Result<KmemCache, SlabError> {
        if object_size == 0 {
            return Err(SlabError::ZeroSize);
        }
        if !align.is_power_of_two() && align != 0 {
            return Err(SlabError::BadAlign(align));
        }
        let align = calculate_alignment(flags, align, object_size);
        let size = calculate_size(object_size, align);
        let order = calculate_order(size, p)
            .filter(|o| order_objects(*o, size) >= 1)
            .ok_or(SlabError::DoesNotFit(object_size))?;
        let objects = order_objects(order, size).min(MAX_OBJS_PER_PAGE) as u16;
        // set_min_partial(s, ilog2(s->size) / 2), clamped to [MIN_PARTIAL, MAX_PARTIAL].
        let min_partial = ((31 - size.leading_zeros()) / 2).clamp(5, 10) as usize;
        Ok(KmemCache {
            name: name.to_string(),
            object_size,
            size,
            align,
            flags,
            order,
            objects,
            min_partial,
            slabs: Default::default(),
            cpu_slab: None,
            partial: Deque::new(),
            kmalloc: false,
        })
    }

    /// Slabs, objects in use, and objects in total.
    pub fn counts(&self) -> (u64, u64, u64) {
        // Each slab's own object count: a slab allocate_slab made at the fallback
        // order holds fewer.
        let slabs = self.slabs.len() as u64;
        let inuse = self.slabs.values().map(|(s, _)| u64::from(s.inuse)).sum();
        let total = self.slabs.values().map(|(s, _)| u64::from(s.objects)).sum();
        (slabs, inuse, total)
    }

    /// `/proc/slabinfo`'s `active_objs`: all objects but the free ones on the node's
    /// partial list (free objects in the CPU slab count as active).
    pub fn active_objs(&self) -> u64 {
        let (_, _, total) = self.counts();
        let partial_free: u64 = self
            .partial
            .iter()
            .filter_map(|p| self.slabs.get(p))
            .map(|(s, _)| u64::from(s.objects - s.inuse))
            .sum();
        total - partial_free
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(size: u32, cpus: u32) -> (u32, u32) {
        let p = SlubParams {
            nr_cpus: cpus,
            ..SlubParams::default()
        };
        let o = calculate_order(size, &p).unwrap();
        (order_objects(o, size), 1 << o)
    }

    /// KERNEL.md's table: objects per slab / pages per slab for 2-4, 8 and 16 CPUs.
    #[test]
    fn kmalloc_geometry_matches_the_kernel() {
        let table: &[(u32, [(u32, u32); 3])] = &[
            (8, [(512, 1), (512, 1), (512, 1)]),
            (16, [(256, 1), (256, 1), (256, 1)]),
            (32, [(128, 1), (128, 1), (128, 1)]),
            (64, [(64, 1), (64, 1), (64, 1)]),
            (96, [(42, 1), (42, 1), (42, 1)]),
            (128, [(32, 1), (32, 1), (32, 1)]),
            (192, [(21, 1), (21, 1), (42, 2)]),
            (256, [(16, 1), (32, 2), (32, 2)]),
            (512, [(16, 2), (32, 4), (32, 4)]),
            (1024, [(16, 4), (32, 8), (32, 8)]),
            (2048, [(16, 8), (16, 8), (16, 8)]),
            (4096, [(8, 8), (8, 8), (8, 8)]),
            (8192, [(4, 8), (4, 8), (4, 8)]),
        ];
        for (size, rows) in table {
            for (cpus, want) in [2, 8, 16].into_iter().zip(rows) {
                assert_eq!(geometry(*size, cpus), *want, "size {size}, {cpus} cpus");
            }
            for cpus in [3, 4] {
                assert_eq!(geometry(*size, cpus), rows[0], "size {size}, {cpus} cpus");
            }
        }
    }

    #[test]
    fn alignment_halves_the_cache_line_while_two_objects_fit() {
        assert_eq!(calculate_alignment(SLAB_HWCACHE_ALIGN, 0, 100), 64);
        assert_eq!(calculate_alignment(SLAB_HWCACHE_ALIGN, 0, 20), 32);
        assert_eq!(calculate_alignment(0, 0, 20), 8);
    }

    #[test]
    fn odd_sizes() {
        // 704-byte objects (files_cache): 12 * 704 = 8448 bytes needs order 2; 16 KiB
        // holds 23 with 192 bytes left (<= 1/16).
        assert_eq!(geometry(704, 2), (23, 4));
        // task_struct-sized objects stay at order 3.
        assert_eq!(geometry(10_112, 2).1, 8);
        // Above slub_max_order's reach: one object per get_order(size) slab.
        assert_eq!(geometry(40_000, 2), (1, 16));
    }
}
