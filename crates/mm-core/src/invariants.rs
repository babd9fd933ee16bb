//! `check_invariants`: the model's consistency rules, checked after every step in tests.

use crate::machine::Machine;
use crate::memmap::PageUse;
use crate::migrate::MigrateType;
use crate::types::{Pfn, MAX_PAGE_ORDER};
use crate::zone::ZoneType;

impl Machine {
    /// Checks that:
    /// - every free block is on exactly one list, of its order and its pageblock's type,
    ///   inside its zone, aligned to its order, and every page inside it is free;
    /// - `nr_free` equals the list lengths, and Σ nr_free·2^order equals the zone's free
    ///   pages (and, summed, MemFree);
    /// - every page is accounted once: free, on a per-CPU list, reserved, or inside an
    ///   allocated block headed by a page that records its order;
    /// - with pcp off, no two free buddies of one order both sit on free lists.
    pub fn check_invariants(&self) -> Result<(), String> {
        let node = self.node();
        let mem = &node.mem;
        let n = mem.len() as usize;
        // 0 = unseen, 1 = seen as free, 2 = seen in an allocated block, 3 = pcp
        let mut seen = vec![0u8; n];
        for z in &node.zones {
            let mut free_pages = 0;
            for (order, area) in z.free_area.iter().enumerate() {
                let mut count = 0;
                for mt in MigrateType::ALL {
                    let list = &area.free_list[mt.idx()];
                    if !mem.list_well_formed(list) {
                        return Err(format!(
                            "{} order {order} {mt}: the list does not end at its count ({})",
                            z.ztype, list.len
                        ));
                    }
                    let mut len = 0;
                    for pfn in mem.list_iter(list) {
                        len += 1;
                        let p = pfn.0 as usize;
                        if !z.spans(pfn) || p + (1 << order) > z.end_pfn() as usize {
                            return Err(format!(
                                "free block {pfn} order {order} outside zone {}",
                                z.ztype
                            ));
                        }
                        if pfn.0 % (1u64 << order) != 0 {
                            return Err(format!(
                                "free block {pfn} is not aligned to order {order}"
                            ));
                        }
                        if !mem.is_buddy(pfn) || mem.order(pfn) as usize != order {
                            return Err(format!(
                                "free block {pfn} on order-{order} list lacks PageBuddy/order"
                            ));
                        }
                        if mem.pageblock_mt(pfn) != mt {
                            return Err(format!(
                                "free block {pfn} on the {mt} list but its pageblock is {}",
                                mem.pageblock_mt(pfn)
                            ));
                        }
                        for (q, slot) in seen.iter_mut().enumerate().skip(p).take(1 << order) {
                            if *slot != 0 {
                                return Err(format!(
                                    "page {:#x} counted twice (free block {pfn})",
                                    q
                                ));
                            }
                            *slot = 1;
                            if mem.usage(Pfn(q as u64)) != PageUse::Free {
                                return Err(format!(
                                    "page {:#x} inside free block {pfn} is not marked free",
                                    q
                                ));
                            }
                            if q != p && (mem.is_buddy(Pfn(q as u64)) || mem.is_head(Pfn(q as u64)))
                            {
                                return Err(format!(
                                    "page {:#x} inside free block {pfn} heads a block",
                                    q
                                ));
                            }
                        }
                        if node.pcp.is_none() && order < MAX_PAGE_ORDER as usize {
                            let buddy = pfn.buddy(order as u8);
                            if node.page_is_buddy(z.ztype, buddy, order as u8)
                                && (order < crate::types::PAGEBLOCK_ORDER as usize
                                    || mem.pageblock_mt(buddy).is_mergeable() && mt.is_mergeable())
                            {
                                return Err(format!("free buddies {pfn} and {buddy} of order {order} both on free lists"));
                            }
                        }
                    }
                    if len != list.len {
                        return Err(format!(
                            "{} order {order} {mt}: {len} blocks but count {}",
                            z.ztype, list.len
                        ));
                    }
                    count += len;
                }
                if count != area.nr_free {
                    return Err(format!(
                        "{} order {order}: nr_free {} but {count} on lists",
                        z.ztype, area.nr_free
                    ));
                }
                free_pages += count << order;
            }
            if free_pages != z.nr_free_pages {
                return Err(format!(
                    "{}: NR_FREE_PAGES {} but the free lists hold {free_pages}",
                    z.ztype, z.nr_free_pages
                ));
            }
        }
        if let Some(pcps) = &node.pcp {
            for (i, pcp) in pcps.iter().enumerate() {
                let mut pages = 0;
                for (pfn, order) in pcp.blocks() {
                    let p = pfn.0 as usize;
                    for (q, slot) in seen.iter_mut().enumerate().skip(p).take(1 << order) {
                        if *slot != 0 {
                            return Err(format!("pcp page {:#x} counted twice", q));
                        }
                        *slot = 3;
                        if mem.usage(Pfn(q as u64)) != PageUse::Pcp {
                            return Err(format!(
                                "page {:#x} on a per-cpu list is not marked so",
                                q
                            ));
                        }
                    }
                    if node.zone_of(pfn) != ZoneType::from_idx(i) {
                        return Err(format!("pcp block {pfn} on the wrong zone's list"));
                    }
                    pages += 1u64 << order;
                }
                if pages != pcp.count {
                    return Err(format!("pcp count {} but lists hold {pages}", pcp.count));
                }
            }
        }
        // Allocated blocks: walk heads.
        let mut p = 0usize;
        while p < n {
            let pfn = Pfn(p as u64);
            if mem.is_head(pfn) {
                let order = mem.order(pfn);
                let use_ = mem.usage(pfn);
                let end = p + (1usize << order);
                if end > n || pfn.0 % (1u64 << order) != 0 {
                    return Err(format!(
                        "allocated block {pfn} order {order} misaligned or past the end"
                    ));
                }
                for (q, slot) in seen.iter_mut().enumerate().take(end).skip(p) {
                    if *slot != 0 {
                        return Err(format!("page {:#x} both allocated and free", q));
                    }
                    *slot = 2;
                    if mem.usage(Pfn(q as u64)) != use_ {
                        return Err(format!("page {:#x} in block {pfn} has a different use", q));
                    }
                }
                p = end;
                continue;
            }
            if seen[p] == 0 && mem.usage(pfn) != PageUse::Reserved {
                return Err(format!(
                    "page {pfn} is {} but in no block",
                    mem.usage(pfn).name()
                ));
            }
            p += 1;
        }
        let total: u64 = node.zones.iter().map(|z| z.nr_free_pages).sum();
        if total != self.meminfo().free {
            return Err("MemFree disagrees with the zones".into());
        }
        self.check_slab_invariants()?;
        self.check_vm_invariants()
    }

    /// Processes: VMAs ordered, aligned and disjoint; Committed_AS equals the accounted
    /// VMAs plus charged shmem; every present PTE lies in a VMA and maps the zero page,
    /// an anonymous page or a shmem page whose map count includes it; RSS counters match
    /// the PTEs; page-table pages are exactly the reachable tables.
    fn check_vm_invariants(&self) -> Result<(), String> {
        use crate::vm::mm::Backing;
        use crate::vm::pgtable::{entry_pfn, levels, PAGE_PRESENT, PAGE_SPECIAL};
        use std::collections::HashMap;
        let vmm = &self.vmm;
        let mut committed = 0;
        let mut anon_maps: HashMap<u64, u32> = HashMap::new();
        let mut shm_maps: HashMap<u64, u32> = HashMap::new();
        let mut tables_seen = 0usize;
        for t in vmm.tasks.values() {
            let mut last_end = 0;
            for (&start, v) in &t.mm.vmas {
                if start != v.start
                    || v.start >= v.end
                    || v.start % 4096 != 0
                    || v.end % 4096 != 0
                    || v.start < last_end
                {
                    return Err(format!(
                        "pid {}: bad or overlapping VMA {:#x}-{:#x}",
                        t.pid, v.start, v.end
                    ));
                }
                last_end = v.end;
            }
            committed += t.mm.accounted();
            // Walk the tables.
            let lv = levels(vmm.la57);
            let mut stack = vec![(t.mm.pgd, 0usize, 0u64)];
            let (mut anon, mut shm, mut tables) = (0u64, 0u64, 0u64);
            while let Some((table, level, base)) = stack.pop() {
                tables += 1;
                let Some(entries) = vmm.tables.pages.get(&table) else {
                    return Err(format!("pid {}: table {table:#x} missing", t.pid));
                };
                if self.node().mem.usage(Pfn(table)) != PageUse::PageTable {
                    return Err(format!(
                        "pid {}: table {table:#x} is not a page-table page",
                        t.pid
                    ));
                }
                let shift = lv[level].1;
                for (i, &e) in entries.iter().enumerate() {
                    if e & PAGE_PRESENT == 0 {
                        continue;
                    }
                    let va = base + ((i as u64) << shift);
                    if level + 1 < lv.len() {
                        stack.push((entry_pfn(e), level + 1, va));
                        continue;
                    }
                    let Some(v) = t.mm.find(va) else {
                        return Err(format!("pid {}: PTE for {va:#x} outside every VMA", t.pid));
                    };
                    let pfn = entry_pfn(e);
                    if e & PAGE_SPECIAL != 0 && pfn == vmm.zero_pfn {
                        if v.backing != Backing::Anon {
                            return Err(format!("pid {}: zero page in a shared mapping", t.pid));
                        }
                        continue;
                    }
                    if vmm.anon.contains_key(&pfn) {
                        anon += 1;
                        *anon_maps.entry(pfn).or_insert(0) += 1;
                    } else if vmm.shmem_mapped.contains_key(&pfn) {
                        shm += 1;
                        *shm_maps.entry(pfn).or_insert(0) += 1;
                    } else {
                        return Err(format!(
                            "pid {}: PTE for {va:#x} maps unknown page {pfn:#x}",
                            t.pid
                        ));
                    }
                    if self.node().mem.usage(Pfn(pfn)) != PageUse::User {
                        return Err(format!(
                            "pid {}: {va:#x} maps page {pfn:#x} that is not a user page",
                            t.pid
                        ));
                    }
                }
            }
            tables_seen += tables as usize;
            if anon != t.mm.anon_rss || shm != t.mm.shmem_rss {
                return Err(format!(
                    "pid {}: RSS counters anon {} shmem {} but PTEs anon {anon} shmem {shm}",
                    t.pid, t.mm.anon_rss, t.mm.shmem_rss
                ));
            }
            if (tables - 1) * 4096 != t.mm.pgtables_bytes {
                return Err(format!(
                    "pid {}: pgtables_bytes {} but {} tables below the PGD",
                    t.pid,
                    t.mm.pgtables_bytes,
                    tables - 1
                ));
            }
        }
        for s in vmm.shmem.iter().flatten() {
            if s.charged {
                committed += s.pages;
            }
        }
        if committed != vmm.committed {
            return Err(format!(
                "Committed_AS {} pages but the accounted mappings add up to {committed}",
                vmm.committed
            ));
        }
        if anon_maps
            != vmm
                .anon
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect::<HashMap<_, _>>()
        {
            return Err("anonymous page map counts disagree with the PTEs".into());
        }
        if shm_maps
            != vmm
                .shmem_mapped
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect::<HashMap<_, _>>()
        {
            return Err("shmem page map counts disagree with the PTEs".into());
        }
        if tables_seen != vmm.tables.pages.len() {
            return Err(format!(
                "{} page-table pages but {tables_seen} reachable",
                vmm.tables.pages.len()
            ));
        }
        Ok(())
    }

    /// Slabs: each is an allocated slab block owned by its cache; its freelist holds
    /// distinct slots and `inuse + free == objects`; the CPU slab, the partial list and
    /// the full slabs agree with each slab's state; large kmallocs are allocated blocks.
    fn check_slab_invariants(&self) -> Result<(), String> {
        use crate::slub::cache::SlabState;
        let slub = self.slub();
        let mem = &self.node().mem;
        let mut slabs_seen = 0;
        for (id, c) in slub.caches.iter().enumerate() {
            let Some(c) = c else { continue };
            for (&pfn, (slab, state)) in &c.slabs {
                slabs_seen += 1;
                if slub.owner.get(&pfn) != Some(&id) {
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
                let fits = crate::slub::cache::order_objects(order, c.size);
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
            let p = Pfn(pfn);
            if !mem.valid(p) || !mem.is_head(p) || mem.order(p) != order {
                return Err(format!(
                    "large kmalloc {pfn:#x} is not an allocated order-{order} block"
                ));
            }
        }
        Ok(())
    }
}
