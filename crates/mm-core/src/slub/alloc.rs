//! Creating caches and allocating objects (`mm/slab_common.c: kmem_cache_create`,
//! `mm/slub.c: slab_alloc_node`, `___slab_alloc`, `get_partial_node`,
//! `new_slab`/`allocate_slab`, `kmalloc`, `___kmalloc_large_node`).

use super::cache::{
    order_objects, KmemCache, Slab, SlabState, SLAB_CACHE_DMA, SLAB_RECLAIM_ACCOUNT,
};
use super::error::SlabError;
use super::events::{SlabEvent, SlabTransition};
use super::kmalloc::{kmalloc_index, KmallocType, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE};
use super::{phys_to_virt, Slub, ZERO_SIZE_PTR};
use crate::kernel::Kernel;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::gfp::{__GFP_COMP, __GFP_DMA, __GFP_NORETRY, __GFP_NOWARN, __GFP_RECLAIMABLE};
use crate::vocab::{get_order, GfpFlags, Pfn, PAGE_SHIFT};

/// The two caches whose objects describe every cache (`kmem_cache`, `kmem_cache_node`).
pub const META_CACHES: [&str; 2] = ["kmem_cache", "kmem_cache_node"];

impl Slub {
    /// `kmem_cache_create`: a new cache with the kernel's geometry. It takes a
    /// `struct kmem_cache` from the `kmem_cache` cache and a `kmem_cache_node` from
    /// `kmem_cache_node`, as every cache does.
    pub fn kmem_cache_create(
        &mut self,
        k: &mut Kernel,
        name: &str,
        size: u32,
        align: u32,
        flags: u32,
    ) -> Result<usize, SlabError> {
        if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_graphic()) {
            return Err(SlabError::BadCacheName(name.to_string()));
        }
        if self.find(name).is_some() {
            return Err(SlabError::CacheExists(name.to_string()));
        }
        if u64::from(size) > KMALLOC_MAX_SIZE {
            return Err(SlabError::ObjectTooLarge(u64::from(size)));
        }
        let cache = KmemCache::new(name, size, align, flags, &self.params)?;
        // The bookkeeping objects first, so a failure leaves nothing behind.
        let meta = self.cache_meta_alloc(k)?;
        let id = self.register(cache);
        self.set_meta(id, meta);
        Ok(id)
    }

    /// Allocates the `kmem_cache` and `kmem_cache_node` objects a new cache needs.
    fn cache_meta_alloc(&mut self, k: &mut Kernel) -> Result<Vec<(usize, u64)>, SlabError> {
        let mut got = Vec::new();
        for meta in META_CACHES {
            let Some(id) = self.find(meta) else {
                continue;
            };
            match self.slab_alloc(k, id, GfpFlags(GFP_KERNEL)) {
                Ok(addr) => got.push((id, addr)),
                Err(e) => {
                    for (id, addr) in got {
                        let _ = self.kmem_cache_free(k, id, addr);
                    }
                    return Err(e);
                }
            }
        }
        Ok(got)
    }

    /// `slab_alloc_node`: an object from the CPU slab's freelist; when that is empty,
    /// the CPU slab (now full) is let go, a slab is taken from the node's partial list,
    /// or a new slab is allocated from the buddy allocator.
    pub fn slab_alloc(
        &mut self,
        k: &mut Kernel,
        id: usize,
        gfp: GfpFlags,
    ) -> Result<u64, SlabError> {
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let cpu_has_free = c
            .cpu_slab
            .and_then(|p| c.slabs.get(&p))
            .is_some_and(|(s, _)| !s.freelist.is_empty());
        if !cpu_has_free {
            if let Some(full) = c.cpu_slab.take() {
                if let Some(entry) = c.slabs.get_mut(&full) {
                    entry.1 = SlabState::Full;
                }
                k.trace.push(|| SlabEvent::SlabMove {
                    cache: c.name.as_str().into(),
                    slab: Pfn(full),
                    to: SlabTransition::CpuFull,
                });
            }
            if let Some(p) = c.partial.pop_front() {
                if let Some(entry) = c.slabs.get_mut(&p) {
                    entry.1 = SlabState::Cpu;
                }
                c.cpu_slab = Some(p);
                k.trace.push(|| SlabEvent::SlabMove {
                    cache: c.name.as_str().into(),
                    slab: Pfn(p),
                    to: SlabTransition::PartialToCpu,
                });
            } else {
                self.new_slab(k, id, gfp)?;
            }
        }
        let page_offset = self.page_offset();
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let size = u64::from(c.size);
        // A CPU slab with a free object exists now: taken from the partial list (which
        // holds only slabs with free slots) or fresh.
        let Some((cpu, (slab, _))) = c.cpu_slab.and_then(|p| c.slabs.get_mut(&p).map(|s| (p, s)))
        else {
            return Err(SlabError::Internal("the CPU slab vanished"));
        };
        let Some(idx) = slab.take() else {
            return Err(SlabError::Internal("the CPU slab has no free object"));
        };
        let addr = phys_to_virt(page_offset, (cpu << PAGE_SHIFT) + u64::from(idx) * size);
        k.trace.push(|| SlabEvent::SlabObjectAlloc {
            cache: c.name.as_str().into(),
            slab: Pfn(cpu),
            index: idx,
            addr,
            inuse: slab.inuse,
            objects: slab.objects,
        });
        Ok(addr)
    }

    /// `allocate_slab`: pages from the buddy allocator, at the cache's order and, if that
    /// fails, at the smallest order that holds one object. The new slab is the CPU slab.
    fn new_slab(&mut self, k: &mut Kernel, id: usize, gfp: GfpFlags) -> Result<u64, SlabError> {
        let c = self
            .cache(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let (order, size, objects, flags) = (c.order, c.size, c.objects, c.flags);
        let mut allocflags = __GFP_COMP;
        if flags & SLAB_CACHE_DMA != 0 {
            allocflags |= __GFP_DMA;
        }
        if flags & SLAB_RECLAIM_ACCOUNT != 0 {
            allocflags |= __GFP_RECLAIMABLE;
        }
        let base = GfpFlags(gfp.0 | allocflags);
        let min_order = get_order(u64::from(size));
        let first = if order > min_order {
            GfpFlags(base.0 | __GFP_NOWARN | __GFP_NORETRY)
        } else {
            base
        };
        let (pfn, order, objects) = match k.alloc_pages(order, first, PageUse::Slab) {
            Ok((_, pfn)) => (pfn, order, objects),
            Err(e) if order == min_order => return Err(e.into()),
            Err(_) => {
                let (_, pfn) = k.alloc_pages(min_order, base, PageUse::Slab)?;
                (pfn, min_order, order_objects(min_order, size) as u16)
            }
        };
        self.owner.insert(pfn.0, id as u32);
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        c.slabs
            .insert(pfn.0, (Slab::new(pfn.0, objects, order), SlabState::Cpu));
        c.cpu_slab = Some(pfn.0);
        k.trace.push(|| SlabEvent::NewSlab {
            cache: c.name.as_str().into(),
            slab: pfn,
            order,
            objects,
        });
        Ok(pfn.0)
    }

    /// `kmalloc(size, flags)`: the size class's cache for small sizes
    /// (`kmalloc_slab`), whole pages from the buddy allocator above 8 KiB
    /// (`___kmalloc_large_node`), `ZERO_SIZE_PTR` for 0. Returns the address and the
    /// cache's id (None for large or zero-size allocations).
    pub fn kmalloc(
        &mut self,
        k: &mut Kernel,
        size: u64,
        gfp: GfpFlags,
    ) -> Result<(u64, Option<usize>), SlabError> {
        gfp.zone()
            .map_err(crate::page_alloc::error::PageAllocError::from)?;
        gfp.migratetype()
            .map_err(crate::page_alloc::error::PageAllocError::from)?;
        if size == 0 {
            return Ok((ZERO_SIZE_PTR, None));
        }
        if size > KMALLOC_MAX_SIZE {
            return Err(SlabError::KmallocTooLarge(size));
        }
        if size > KMALLOC_MAX_CACHE_SIZE {
            let order = get_order(size);
            k.trace.push(|| SlabEvent::KmallocLarge { size, order });
            let (_, pfn) =
                k.alloc_pages(order, GfpFlags(gfp.0 | __GFP_COMP), PageUse::LargeKmalloc)?;
            self.large.insert(pfn.0, u32::from(order));
            return Ok((phys_to_virt(self.page_offset(), pfn.phys()), None));
        }
        let t = KmallocType::of(gfp);
        let index = kmalloc_index(size);
        let id = self
            .kmalloc_cache(t, index)
            .ok_or_else(|| SlabError::UnknownCache(super::kmalloc::cache_name(t, index)))?;
        k.trace.push(|| SlabEvent::KmallocClass {
            size,
            cache: super::kmalloc::cache_name(t, index).into(),
        });
        let addr = self.slab_alloc(k, id, gfp)?;
        Ok((addr, Some(id)))
    }
}
