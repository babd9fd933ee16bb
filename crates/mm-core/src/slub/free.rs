//! Freeing objects and giving slabs back (`mm/slub.c: kmem_cache_free`, `kfree`,
//! `__slab_free`, `deactivate_slab`, `discard_slab`, `__kmem_cache_shrink`,
//! `kmem_cache_destroy`).

use super::cache::{KmemCache, SlabState};
use super::error::SlabError;
use super::events::{SlabEvent, SlabTransition};
use super::{virt_to_phys, Slub, ZERO_SIZE_PTR};
use crate::kernel::Kernel;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::{Pfn, PAGE_SHIFT};

/// What `kfree` found at an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Freed {
    /// An object of a cache.
    Object {
        /// The cache's id.
        cache: usize,
    },
    /// A large kmalloc (pages straight from the buddy allocator).
    Large {
        /// Its order.
        order: u8,
    },
    /// `kfree(NULL)` or `kfree(ZERO_SIZE_PTR)`: nothing to do.
    Nothing,
}

/// `SHRINK_PROMOTE_MAX`: partial slabs with at most this many free objects move to
/// the front of the list when a cache is shrunk.
const SHRINK_PROMOTE_MAX: u32 = 32;

impl Slub {
    fn cache_or_internal(&self, id: usize) -> Result<&KmemCache, SlabError> {
        self.cache(id)
            .ok_or(SlabError::Internal("no cache with this id"))
    }

    /// Resolves an address to (cache id, slab head, object index) through its page
    /// (`virt_to_slab`), checking that it is the start of an object.
    fn find_object(&self, k: &Kernel, addr: u64) -> Result<(usize, u64, u16), SlabError> {
        let phys = virt_to_phys(self.page_offset(), addr).ok_or(SlabError::NotDirectMap(addr))?;
        let pfn = phys >> PAGE_SHIFT;
        if pfn >= k.node.mem.len() {
            return Err(SlabError::BeyondRam(addr));
        }
        let (head, id) = k
            .block_containing(Pfn(pfn))
            .and_then(|(h, _)| self.owner.get(&h.0).map(|id| (h.0, *id as usize)))
            .ok_or(SlabError::NotSlab {
                addr,
                usage: k.node.mem.usage(Pfn(pfn)),
            })?;
        let c = self.cache_or_internal(id)?;
        let offset = phys - (head << PAGE_SHIFT);
        let idx = offset / u64::from(c.size);
        if offset % u64::from(c.size) != 0 || idx >= u64::from(c.objects) {
            return Err(SlabError::InvalidPointer {
                cache: c.name.as_str().into(),
                addr,
            });
        }
        Ok((id, head, idx as u16))
    }

    /// `kmem_cache_free(s, addr)`: checks the object belongs to `s`, then frees it.
    pub fn kmem_cache_free(
        &mut self,
        k: &mut Kernel,
        id: usize,
        addr: u64,
    ) -> Result<(), SlabError> {
        let (owner, head, idx) = self.find_object(k, addr)?;
        if owner != id {
            return Err(SlabError::WrongCache {
                cache: self.cache_or_internal(id)?.name.clone(),
                owner: self.cache_or_internal(owner)?.name.clone(),
            });
        }
        self.slab_free(k, id, head, idx, addr)
    }

    /// `__slab_free`: the object goes back on its slab's freelist. A full slab becomes
    /// partial (tail of the node's list); an empty one is discarded once the node keeps
    /// `min_partial` partial slabs already.
    fn slab_free(
        &mut self,
        k: &mut Kernel,
        id: usize,
        head: u64,
        idx: u16,
        addr: u64,
    ) -> Result<(), SlabError> {
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let (min_partial, nr_partial) = (c.min_partial, c.partial.len());
        let (slab, state) = c
            .slabs
            .get_mut(&head)
            .ok_or(SlabError::Internal("slab missing"))?;
        if !slab.give_back(idx) {
            return Err(SlabError::DoubleFree {
                cache: c.name.as_str().into(),
                addr,
            });
        }
        let (inuse, was) = (slab.inuse, *state);
        k.trace.push(|| SlabEvent::SlabObjectFree {
            cache: c.name.as_str().into(),
            slab: Pfn(head),
            index: idx,
            addr,
            inuse,
            objects: slab.objects,
        });
        if was == SlabState::Cpu {
            return Ok(());
        }
        if inuse == 0 && nr_partial >= min_partial {
            return self.discard_slab(k, id, head);
        }
        if was == SlabState::Full {
            if let Some(entry) = c.slabs.get_mut(&head) {
                entry.1 = SlabState::Partial;
            }
            c.partial.push_back(head);
            k.trace.push(|| SlabEvent::SlabMove {
                cache: c.name.as_str().into(),
                slab: Pfn(head),
                to: SlabTransition::FullToPartial,
            });
        }
        Ok(())
    }

    /// `discard_slab`: an empty slab's pages go back to the buddy allocator.
    fn discard_slab(&mut self, k: &mut Kernel, id: usize, pfn: u64) -> Result<(), SlabError> {
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        c.slabs.remove(&pfn);
        c.partial.retain(|p| *p != pfn);
        if c.cpu_slab == Some(pfn) {
            c.cpu_slab = None;
        }
        let order = k.node.mem.order(Pfn(pfn));
        k.trace.push(|| SlabEvent::SlabDiscard {
            cache: c.name.as_str().into(),
            slab: Pfn(pfn),
            order,
        });
        self.owner.remove(&pfn);
        k.free_pages(Pfn(pfn), order);
        Ok(())
    }

    /// `deactivate_slab` of CPU 0's slab (`flush_cpu_slab`): an empty one is discarded
    /// if enough partial slabs are kept, one with free objects goes to the head of the
    /// partial list, a full one is simply let go.
    fn flush_cpu_slab(&mut self, k: &mut Kernel, id: usize) -> Result<(), SlabError> {
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let Some(p) = c.cpu_slab.take() else {
            return Ok(());
        };
        let (inuse, objects) = c
            .slabs
            .get(&p)
            .map(|(s, _)| (s.inuse, s.objects))
            .ok_or(SlabError::Internal("slab missing"))?;
        if inuse == 0 && c.partial.len() >= c.min_partial {
            return self.discard_slab(k, id, p);
        }
        let (to, t) = if inuse < objects {
            c.partial.push_front(p);
            (SlabState::Partial, SlabTransition::CpuToPartial)
        } else {
            (SlabState::Full, SlabTransition::CpuFull)
        };
        if let Some(entry) = c.slabs.get_mut(&p) {
            entry.1 = to;
        }
        k.trace.push(|| SlabEvent::SlabMove {
            cache: c.name.as_str().into(),
            slab: Pfn(p),
            to: t,
        });
        Ok(())
    }

    /// `__kmem_cache_shrink`: flush the CPU slab, free every empty slab on the partial
    /// list, and sort the rest so the fullest come first. Returns (slabs, pages) freed.
    pub fn kmem_cache_shrink(
        &mut self,
        k: &mut Kernel,
        id: usize,
    ) -> Result<(u64, u64), SlabError> {
        self.flush_cpu_slab(k, id)?;
        let c = self.cache_or_internal(id)?;
        let empty: Vec<u64> = c
            .partial
            .iter()
            .copied()
            .filter(|p| c.slabs.get(p).is_some_and(|(s, _)| s.inuse == 0))
            .collect();
        let mut pages = 0;
        for p in &empty {
            pages += 1u64 << k.node.mem.order(Pfn(*p));
            self.discard_slab(k, id, *p)?;
        }
        // Slabs with 1..SHRINK_PROMOTE_MAX free objects move to the head, fewest free
        // first; the others keep their order after them.
        let c = self
            .cache_mut(id)
            .ok_or(SlabError::Internal("no cache with this id"))?;
        let free_of = |p: &u64, c: &KmemCache| {
            c.slabs
                .get(p)
                .map(|(s, _)| u32::from(s.objects - s.inuse))
                .unwrap_or(0)
        };
        let (mut promoted, rest): (Vec<u64>, Vec<u64>) = c
            .partial
            .iter()
            .partition(|p| free_of(p, c) <= SHRINK_PROMOTE_MAX);
        crate::vocab::sort::sort_by_key(&mut promoted, |p| u64::from(free_of(p, c)));
        c.partial = promoted.into_iter().chain(rest).collect();
        Ok((empty.len() as u64, pages))
    }

    /// `kmem_cache_destroy`: refused while objects are live (with the kernel's warning
    /// in the log); otherwise every slab and the cache's own bookkeeping objects are
    /// freed.
    pub fn kmem_cache_destroy(&mut self, k: &mut Kernel, id: usize) -> Result<(), SlabError> {
        let c = self.cache_or_internal(id)?;
        if c.kmalloc || super::alloc::META_CACHES.contains(&c.name.as_str()) {
            return Err(SlabError::BootCache(c.name.clone()));
        }
        let (_, inuse, _) = c.counts();
        if inuse > 0 {
            let cache = c.name.clone();
            k.printk(format!(
                "kmem_cache_destroy {cache}: Slab cache still has objects when called from mmsim"
            ));
            return Err(SlabError::StillHasObjects { cache, inuse });
        }
        self.flush_cpu_slab(k, id)?;
        let mut slabs: Vec<u64> = self.cache_or_internal(id)?.slabs.keys().copied().collect();
        crate::vocab::sort::sort_by_key(&mut slabs, |p| *p);
        for p in slabs {
            self.discard_slab(k, id, p)?;
        }
        for (meta, addr) in self.take_meta(id) {
            self.kmem_cache_free(k, meta, addr)?;
        }
        self.unregister(id);
        Ok(())
    }

    /// `kfree(addr)`: finds the object's slab from its page (`virt_to_slab`) and frees
    /// it there, or frees a large kmalloc's pages.
    pub fn kfree(&mut self, k: &mut Kernel, addr: u64) -> Result<Freed, SlabError> {
        if addr == 0 || addr == ZERO_SIZE_PTR {
            return Ok(Freed::Nothing);
        }
        if let Some(phys) = virt_to_phys(self.page_offset(), addr) {
            let pfn = phys >> PAGE_SHIFT;
            let large =
                k.node.mem.valid(Pfn(pfn)) && k.node.mem.usage(Pfn(pfn)) == PageUse::LargeKmalloc;
            if let Some(order) = large
                .then(|| self.large.get(&pfn))
                .flatten()
                .map(|o| *o as u8)
            {
                if phys & ((1 << PAGE_SHIFT) - 1) != 0 {
                    return Err(SlabError::InsideLargeKmalloc(addr));
                }
                self.large.remove(&pfn);
                k.free_pages(Pfn(pfn), order);
                return Ok(Freed::Large { order });
            }
        }
        let (id, head, idx) = self.find_object(k, addr)?;
        self.slab_free(k, id, head, idx, addr)?;
        Ok(Freed::Object { cache: id })
    }
}
