//! SLUB's consistency rules, checked after every step in the tests.

use super::cache::{order_objects, SlabState};
use super::Slub;
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::node::Node;
use crate::vocab::Pfn;

/// Slabs: each is an allocated slab block owned by its cache; its freelist holds
/// distinct slots and `inuse + free == objects`; the CPU slab, the partial list and
/// the full slabs agree with each slab's state; large kmallocs are allocated blocks.
pub fn check(slub: &Slub, node: &Node) -> Result<(), String> {
    let mem = &node.mem;
    let mut slabs_seen = 0;
    for (id, c) in slub.caches.iter().enumerate() {
        let Some(c) = c else { continue };
        for (&pfn, (slab, state)) in &c.slabs {
            slabs_seen += 1;
            if slub.owner.get(&pfn).map(|o| *o as usize) != Some(id) {
                return Err(format!("{} slab {pfn:#x} not owned by its cache", c.name));
            }
            let p = Pfn(pfn);
            if !mem.valid(p) || !mem.is_head(p) || mem.usage(p) != PageUse::Slab {
                return Err(format!(
                    "{} slab {pfn:#x} is not an allocated slab block",
                    c.name
                ));
            }
            let order = mem.order(p);
            if order != slab.order {
                return Err(format!(
                    "{} slab {pfn:#x} records order {} but is an order-{order} block",
                    c.name, slab.order
                ));
            }
            let fits = order_objects(order, c.size);
            if u32::from(slab.objects) != fits.min(32767) {
                return Err(format!(
                    "{} slab {pfn:#x}: {} slots but order {order} holds {fits}",
                    c.name, slab.objects
                ));
            }
            let mut seen = vec![false; usize::from(slab.objects)];
            for &i in &slab.freelist {
                match seen.get_mut(usize::from(i)) {
                    Some(s) if !*s => *s = true,
                    _ => {
                        return Err(format!(
                            "{} slab {pfn:#x}: freelist slot {i} bad or repeated",
                            c.name
                        ))
                    }
                }
            }
            if !slab.consistent() {
                return Err(format!(
                    "{} slab {pfn:#x}: freelist and free bitmap disagree",
                    c.name
                ));
            }
            if usize::from(slab.inuse) + slab.freelist.len() != usize::from(slab.objects) {
                return Err(format!("{} slab {pfn:#x}: inuse + free != objects", c.name));
            }
            let ok = match state {
                SlabState::Cpu => c.cpu_slab == Some(pfn),
                SlabState::Partial => c.partial.contains(&pfn) && slab.inuse < slab.objects,
                SlabState::Full => {
                    slab.inuse == slab.objects
                        && !c.partial.contains(&pfn)
                        && c.cpu_slab != Some(pfn)
                }
            };
            if !ok {
                return Err(format!(
                    "{} slab {pfn:#x}: state {state:?} disagrees with the lists",
                    c.name
                ));
            }
        }
        if c.partial.iter().any(|p| !c.slabs.contains_key(p))
            || c.cpu_slab.is_some_and(|p| !c.slabs.contains_key(&p))
        {
            return Err(format!("{}: list names a slab it does not have", c.name));
        }
    }
    if slabs_seen != slub.owner.len() {
        return Err(format!(
            "{} slabs but {} owner entries",
            slabs_seen,
            slub.owner.len()
        ));
    }
    for (&pfn, &order) in &slub.large {
        let order = order as u8;
        let p = Pfn(pfn);
        if !mem.valid(p) || !mem.is_head(p) || mem.order(p) != order {
            return Err(format!(
                "large kmalloc {pfn:#x} is not an allocated order-{order} block"
            ));
        }
    }
    // Slab in /proc/meminfo is the pages the slabs really hold.
    let (rcl, unrcl) = slub.pages();
    let large: u64 = slub.large.values().map(|o| 1u64 << o).sum();
    let slab_pages = mem
        .states()
        .iter()
        .filter(|s| **s == PageUse::Slab as u8)
        .count() as u64;
    if slab_pages != rcl + unrcl - large {
        return Err(format!(
            "{slab_pages} Slab pages in memory but the caches count {}",
            rcl + unrcl - large
        ));
    }
    Ok(())
}
