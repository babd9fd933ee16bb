//! Allocating and freeing objects (`mm/slub.c: slab_alloc_node`, `___slab_alloc`,
//! `get_partial_node`, `new_slab`/`allocate_slab`, `__slab_free`, `discard_slab`,
//! `__kmem_cache_shrink`, `kmem_cache_destroy`, `kmalloc`, `kfree`).

use super::cache::{KmemCache, Slab, SlabState, SLAB_CACHE_DMA, SLAB_RECLAIM_ACCOUNT};
use super::kmalloc::{
    cache_name, kmalloc_index, KmallocType, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE,
};
use super::{phys_to_virt, virt_to_phys, ZERO_SIZE_PTR};
use crate::event::{Event, SlabTransition};
use crate::gfp::{
    GfpFlags, __GFP_COMP, __GFP_DMA, __GFP_NORETRY, __GFP_NOWARN, __GFP_RECLAIMABLE, GFP_KERNEL,
};
use crate::machine::Machine;
use crate::memmap::PageUse;
use crate::types::{get_order, Pfn, PAGE_SHIFT};

/// What `kfree` found at an address.
pub enum Freed {
    /// An object of a cache.
    Object {
        /// The cache's name.
        cache: String,
    },
    /// A large kmalloc (pages straight from the buddy allocator).
    Large {
        /// Its order.
        order: u8,
    },
    /// `kfree(NULL)` or `kfree(ZERO_SIZE_PTR)`: nothing to do.
    Nothing,
}

impl Machine {
    fn cache_ref(&self, id: usize) -> Result<&KmemCache, String> {
        self.slub
            .cache(id)
            .ok_or_else(|| "no such cache".to_string())
    }

    fn cache_mut(&mut self, id: usize) -> Result<&mut KmemCache, String> {
        self.slub
            .caches
            .get_mut(id)
            .and_then(Option::as_mut)
            .ok_or_else(|| "no such cache".to_string())
    }

    /// The id of a cache by name, or a clear error.
    pub fn cache_id(&self, name: &str) -> Result<usize, String> {
        self.slub
            .find(name)
            .ok_or_else(|| format!("no cache named '{name}' (cat /proc/slabinfo lists them)"))
    }

    /// `kmem_cache_create`: a new cache with the kernel's geometry. It takes a
    /// `struct kmem_cache` from the `kmem_cache` cache and a `kmem_cache_node` from
    /// `kmem_cache_node`, as every cache does.
    pub fn kmem_cache_create(
        &mut self,
        name: &str,
        size: u32,
        align: u32,
        flags: u32,
    ) -> Result<usize, String> {
        if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_graphic()) {
            return Err(format!(
                "'{name}' is not a cache name (1-32 visible characters)"
            ));
        }
        if self.slub.find(name).is_some() {
            return Err(format!("a cache named '{name}' already exists"));
        }
        if size > (1 << 22) {
            return Err(format!("object size {size} is above KMALLOC_MAX_SIZE (4M)"));
        }
        let cache = KmemCache::new(name, size, align, flags, &self.slub.params)?;
        // The bookkeeping objects first, so a failure leaves nothing behind.
        let meta = self.cache_meta_alloc()?;
        let id = self.slub.caches.len();
        self.slub.caches.push(Some(cache));
        self.slub.order.insert(0, id);
        self.slub.meta.insert(id, meta);
        Ok(id)
    }

    /// Allocates the `kmem_cache` and `kmem_cache_node` objects a new cache needs.
    fn cache_meta_alloc(&mut self) -> Result<Vec<(usize, u64)>, String> {
        let mut got = Vec::new();
        for meta in ["kmem_cache", "kmem_cache_node"] {
            let Some(id) = self.slub.find(meta) else {
                continue;
            };
            match self.slab_alloc(id, GfpFlags(GFP_KERNEL)) {
                Ok(addr) => got.push((id, addr)),
                Err(e) => {
                    for (id, addr) in got {
                        let _ = self.kmem_cache_free(id, addr);
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
    pub fn slab_alloc(&mut self, id: usize, gfp: GfpFlags) -> Result<u64, String> {
        let name = self.cache_ref(id)?.name.clone();
        let cpu_has_free = {
            let c = self.cache_ref(id)?;
            c.cpu_slab
                .and_then(|p| c.slabs.get(&p))
                .is_some_and(|(s, _)| !s.freelist.is_empty())
        };
        if !cpu_has_free {
            let c = self.cache_mut(id)?;
            if let Some(full) = c.cpu_slab.take() {
                if let Some(entry) = c.slabs.get_mut(&full) {
                    entry.1 = SlabState::Full;
                }
                let n = name.clone();
                self.trace.push(|| Event::SlabMove {
                    cache: n,
                    slab: Pfn(full),
                    to: SlabTransition::CpuFull,
                });
            }
            let c = self.cache_mut(id)?;
            if let Some(p) = c.partial.pop_front() {
                if let Some(entry) = c.slabs.get_mut(&p) {
                    entry.1 = SlabState::Cpu;
                }
                c.cpu_slab = Some(p);
                let n = name.clone();
                self.trace.push(|| Event::SlabMove {
                    cache: n,
                    slab: Pfn(p),
                    to: SlabTransition::PartialToCpu,
                });
            } else {
                let p = self.new_slab(id, gfp)?;
                let c = self.cache_mut(id)?;
                c.cpu_slab = Some(p);
            }
        }
        let c = self.cache_mut(id)?;
        let size = u64::from(c.size);
        let objects = c.objects;
        let cpu = c.cpu_slab.ok_or("no CPU slab")?;
        let (slab, _) = c.slabs.get_mut(&cpu).ok_or("CPU slab missing")?;
        let idx = slab.freelist.pop().ok_or("CPU slab has no free object")?;
        slab.inuse += 1;
        let inuse = slab.inuse;
        let addr = phys_to_virt((cpu << PAGE_SHIFT) + u64::from(idx) * size);
        let n = name.clone();
        self.trace.push(|| Event::SlabObjectAlloc {
            cache: n,
            slab: Pfn(cpu),
            index: idx,
            addr,
            inuse,
            objects,
        });
        Ok(addr)
    }

    /// `allocate_slab`: pages from the buddy allocator, at the cache's order and, if that
    /// fails, at the smallest order that holds one object.
    fn new_slab(&mut self, id: usize, gfp: GfpFlags) -> Result<u64, String> {
        let (name, order, size, objects, flags) = {
            let c = self.cache_ref(id)?;
            (c.name.clone(), c.order, c.size, c.objects, c.flags)
        };
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
        let (pfn, order, objects) = match self.alloc_pages_for(order, first, PageUse::Slab) {
            Ok((_, pfn)) => (pfn, order, objects),
            Err(e) if order == min_order => return Err(e),
            Err(_) => {
                let (_, pfn) = self.alloc_pages_for(min_order, base, PageUse::Slab)?;
                (
                    pfn,
                    min_order,
                    super::cache::order_objects(min_order, size) as u16,
                )
            }
        };
        self.slub.owner.insert(pfn.0, id);
        let c = self.cache_mut(id)?;
        c.slabs
            .insert(pfn.0, (Slab::new(pfn.0, objects), SlabState::Cpu));
        self.trace.push(|| Event::NewSlab {
            cache: name,
            slab: pfn,
            order,
            objects,
        });
        Ok(pfn.0)
    }

    /// `discard_slab`: an empty slab's pages go back to the buddy allocator.
    fn discard_slab(&mut self, id: usize, pfn: u64) -> Result<(), String> {
        let c = self.cache_mut(id)?;
        c.slabs.remove(&pfn);
        c.partial.retain(|p| *p != pfn);
        if c.cpu_slab == Some(pfn) {
            c.cpu_slab = None;
        }
        let name = c.name.clone();
        self.slub.owner.remove(&pfn);
        let order = self.node().mem.order(Pfn(pfn));
        self.trace.push(|| Event::SlabDiscard {
            cache: name,
            slab: Pfn(pfn),
            order,
        });
        let zt = self.node().zone_of(Pfn(pfn)).ok_or("slab in no zone")?;
        self.node.free_pages(zt, Pfn(pfn), order, &mut self.trace);
        Ok(())
    }

    /// Resolves an address to (cache id, slab head, object index), checking that it is
    /// the start of an object.
    fn find_object(&self, addr: u64) -> Result<(usize, u64, u16), String> {
        let phys =
            virt_to_phys(addr).ok_or_else(|| format!("{addr:#x} is not a direct-map address"))?;
        let pfn = phys >> PAGE_SHIFT;
        if pfn >= self.node().mem.len() {
            return Err(format!("{addr:#x} is beyond the end of RAM"));
        }
        let head = self
            .block_containing(Pfn(pfn))
            .map(|(h, _)| h.0)
            .filter(|h| self.slub.owner.contains_key(h))
            .ok_or_else(|| {
                format!(
                    "{addr:#x} is not slab memory (its page is {})",
                    self.node().mem.usage(Pfn(pfn)).name()
                )
            })?;
        let id = self.slub.owner[&head];
        let c = self.cache_ref(id)?;
        let offset = phys - (head << PAGE_SHIFT);
        let idx = offset / u64::from(c.size);
        if offset % u64::from(c.size) != 0 || idx >= u64::from(c.objects) {
            return Err(format!(
                "BUG {} (Not tainted): Invalid object pointer {addr:#x}",
                c.name
            ));
        }
        Ok((id, head, idx as u16))
    }

    /// `kmem_cache_free(s, addr)`: checks the object belongs to `s`, then frees it.
    pub fn kmem_cache_free(&mut self, id: usize, addr: u64) -> Result<(), String> {
        let (owner, head, idx) = self.find_object(addr)?;
        if owner != id {
            return Err(format!(
                "cache_from_obj: Wrong slab cache. {} but object is from {}",
                self.cache_ref(id)?.name,
                self.cache_ref(owner)?.name
            ));
        }
        self.slab_free(id, head, idx, addr)
    }

    /// `__slab_free`: the object goes back on its slab's freelist. A full slab becomes
    /// partial (tail of the node's list); an empty one is discarded once the node keeps
    /// `min_partial` partial slabs already.
    fn slab_free(&mut self, id: usize, head: u64, idx: u16, addr: u64) -> Result<(), String> {
        let c = self.cache_mut(id)?;
        let name = c.name.clone();
        let min_partial = c.min_partial;
        let nr_partial = c.partial.len();
        let (slab, state) = c.slabs.get_mut(&head).ok_or("slab missing")?;
        if slab.is_free(idx) {
            return Err(format!(
                "BUG {name} (Not tainted): Object already free: double free of {addr:#x}"
            ));
        }
        slab.freelist.push(idx);
        slab.inuse -= 1;
        let (inuse, objects, was) = (slab.inuse, slab.objects, *state);
        let n = name.clone();
        self.trace.push(|| Event::SlabObjectFree {
            cache: n,
            slab: Pfn(head),
            index: idx,
            addr,
            inuse,
            objects,
        });
        if was == SlabState::Cpu {
            return Ok(());
        }
        if inuse == 0 && nr_partial >= min_partial {
            return self.discard_slab(id, head);
        }
        if was == SlabState::Full {
            let c = self.cache_mut(id)?;
            if let Some(entry) = c.slabs.get_mut(&head) {
                entry.1 = SlabState::Partial;
            }
            c.partial.push_back(head);
            self.trace.push(|| Event::SlabMove {
                cache: name,
                slab: Pfn(head),
                to: SlabTransition::FullToPartial,
            });
        }
        Ok(())
    }

    /// `deactivate_slab` of CPU 0's slab (`flush_cpu_slab`): an empty one is discarded
    /// if enough partial slabs are kept, one with free objects goes to the head of the
    /// partial list, a full one is simply let go.
    fn flush_cpu_slab(&mut self, id: usize) -> Result<(), String> {
        let c = self.cache_mut(id)?;
        let Some(p) = c.cpu_slab.take() else {
            return Ok(());
        };
        let (inuse, objects) = c
            .slabs
            .get(&p)
            .map(|(s, _)| (s.inuse, s.objects))
            .ok_or("slab missing")?;
        let name = c.name.clone();
        if inuse == 0 && c.partial.len() >= c.min_partial {
            return self.discard_slab(id, p);
        }
        let to = if inuse < objects {
            c.partial.push_front(p);
            SlabState::Partial
        } else {
            SlabState::Full
        };
        if let Some(entry) = c.slabs.get_mut(&p) {
            entry.1 = to;
        }
        let t = if to == SlabState::Partial {
            SlabTransition::CpuToPartial
        } else {
            SlabTransition::CpuFull
        };
        self.trace.push(|| Event::SlabMove {
            cache: name,
            slab: Pfn(p),
            to: t,
        });
        Ok(())
    }

    /// `__kmem_cache_shrink`: flush the CPU slab, free every empty slab on the partial
    /// list, and sort the rest so the fullest come first. Returns (slabs, pages) freed.
    pub fn kmem_cache_shrink(&mut self, id: usize) -> Result<(u64, u64), String> {
        self.flush_cpu_slab(id)?;
        let c = self.cache_ref(id)?;
        let empty: Vec<u64> = c
            .partial
            .iter()
            .copied()
            .filter(|p| c.slabs.get(p).is_some_and(|(s, _)| s.inuse == 0))
            .collect();
        let mut pages = 0;
        for p in &empty {
            pages += 1u64 << self.node().mem.order(Pfn(*p));
            self.discard_slab(id, *p)?;
        }
        // SHRINK_PROMOTE_MAX = 32: slabs with 1..32 free objects move to the head,
        // fewest free first; the others keep their order after them.
        let c = self.cache_mut(id)?;
        let free_of = |p: &u64, c: &KmemCache| {
            c.slabs
                .get(p)
                .map(|(s, _)| u32::from(s.objects - s.inuse))
                .unwrap_or(0)
        };
        let mut promoted: Vec<u64> = Vec::new();
        let mut rest: Vec<u64> = Vec::new();
        for p in c.partial.iter() {
            if free_of(p, c) <= 32 {
                promoted.push(*p);
            } else {
                rest.push(*p);
            }
        }
        promoted.sort_by_key(|p| free_of(p, c));
        c.partial = promoted.into_iter().chain(rest).collect();
        Ok((empty.len() as u64, pages))
    }

    /// `kmem_cache_destroy`: refused while objects are live; otherwise every slab and
    /// the cache's own bookkeeping objects are freed.
    pub fn kmem_cache_destroy(&mut self, id: usize) -> Result<(), String> {
        let c = self.cache_ref(id)?;
        if c.kmalloc || c.name == "kmem_cache" || c.name == "kmem_cache_node" {
            return Err(format!(
                "{} is a boot-time cache and cannot be destroyed",
                c.name
            ));
        }
        let (_, inuse, _) = c.counts();
        if inuse > 0 {
            let c = c.clone();
            let msg = format!(
                "kmem_cache_destroy {}: Slab cache still has objects when called from mmsim",
                c.name
            );
            self.log(msg.clone());
            return Err(format!(
                "{}: Slab cache still has objects ({inuse} in use)",
                c.name
            ));
        }
        self.flush_cpu_slab(id)?;
        let slabs: Vec<u64> = self.cache_ref(id)?.slabs.keys().copied().collect();
        for p in slabs {
            self.discard_slab(id, p)?;
        }
        for (meta, addr) in self.slub.meta.remove(&id).unwrap_or_default() {
            self.kmem_cache_free(meta, addr)?;
        }
        self.slub.order.retain(|x| *x != id);
        self.slub.caches[id] = None;
        Ok(())
    }

    /// `kmalloc(size, flags)`: the size class's cache for small sizes
    /// (`kmalloc_slab`), whole pages from the buddy allocator above 8 KiB
    /// (`__kmalloc_large_node`), `ZERO_SIZE_PTR` for 0. Returns the address and the
    /// cache's name (None for large or zero-size allocations).
    pub fn kmalloc(&mut self, size: u64, gfp: GfpFlags) -> Result<(u64, Option<String>), String> {
        gfp.zone().map_err(|e| e.0)?;
        gfp.migratetype().map_err(|e| e.0)?;
        if size == 0 {
            return Ok((ZERO_SIZE_PTR, None));
        }
        if size > KMALLOC_MAX_SIZE {
            return Err(format!("size {size} is above KMALLOC_MAX_SIZE (4M)"));
        }
        if size > KMALLOC_MAX_CACHE_SIZE {
            let order = get_order(size);
            self.trace.push(|| Event::KmallocLarge { size, order });
            let (_, pfn) =
                self.alloc_pages_for(order, GfpFlags(gfp.0 | __GFP_COMP), PageUse::LargeKmalloc)?;
            self.slub.large.insert(pfn.0, order);
            return Ok((phys_to_virt(pfn.phys()), None));
        }
        let name = cache_name(KmallocType::of(gfp), kmalloc_index(size));
        let id = self.cache_id(&name)?;
        let n = name.clone();
        self.trace.push(|| Event::KmallocClass { size, cache: n });
        let addr = self.slab_alloc(id, gfp)?;
        Ok((addr, Some(name)))
    }

    /// `kfree(addr)`: finds the object's slab from its page (`virt_to_slab`) and frees
    /// it there, or frees a large kmalloc's pages.
    pub fn kfree(&mut self, addr: u64) -> Result<Freed, String> {
        if addr == 0 || addr == ZERO_SIZE_PTR {
            return Ok(Freed::Nothing);
        }
        if let Some(phys) = virt_to_phys(addr) {
            let pfn = phys >> PAGE_SHIFT;
            if let Some(&order) = self.slub.large.get(&pfn) {
                if phys & ((1 << PAGE_SHIFT) - 1) != 0 {
                    return Err(format!(
                        "{addr:#x} is inside a large kmalloc block, not its start"
                    ));
                }
                self.slub.large.remove(&pfn);
                let zt = self
                    .node()
                    .zone_of(Pfn(pfn))
                    .ok_or("large kmalloc in no zone")?;
                self.node.free_pages(zt, Pfn(pfn), order, &mut self.trace);
                return Ok(Freed::Large { order });
            }
        }
        let (id, head, idx) = self.find_object(addr)?;
        self.slab_free(id, head, idx, addr)?;
        Ok(Freed::Object {
            cache: self.cache_ref(id)?.name.clone(),
        })
    }
}
