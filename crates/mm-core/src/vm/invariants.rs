//! Virtual memory's consistency rules, checked after every step in the tests.

use super::mm::Backing;
use super::pgtable::{
    entry_pfn, is_swap_pte, levels, pte_to_swp_entry, PtLevel, PAGE_PRESENT, PAGE_SPECIAL,
};
use super::Vmm;
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::node::Node;
use crate::vocab::Pfn;
use std::collections::HashMap;

/// Processes: VMAs ordered, aligned and disjoint; Committed_AS equals the accounted
/// VMAs plus charged shmem; every present PTE lies in a VMA and maps the zero page,
/// an anonymous page or a shmem page whose map count includes it; RSS counters match
/// the PTEs; page-table pages are exactly the reachable tables. Every mapped
/// anonymous page is an anonymous folio on the LRU; every swap PTE points at a slot
/// in use, and each slot's count is the number of swap PTEs pointing at it.
pub fn check(vmm: &Vmm, node: &Node, pr: &crate::vmscan::Pressure) -> Result<(), String> {
    let mut committed = 0;
    let mut swap_refs: HashMap<u64, u32> = HashMap::new();
    let mut file_maps: HashMap<u64, u32> = HashMap::new();
    let mut anon_maps: HashMap<u64, u32> = HashMap::new();
    let mut shm_maps: HashMap<u64, u32> = HashMap::new();
    let mut tables_seen = 0usize;
    for t in vmm.tasks.values() {
        let mut last_end = 0;
        for (&start, v) in t.mm.vmas.iter() {
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
        // `tables` counts what mm_pgtables_bytes accounts: PUD, PMD and PTE tables
        // (not the PGD, nor a 5-level P4D), `seen` every table.
        let (mut anon, mut shm, mut tables, mut seen, mut swapents) =
            (0u64, 0u64, 0u64, 0u64, 0u64);
        let mut file = 0u64;
        while let Some((table, level, base)) = stack.pop() {
            seen += 1;
            if level > 0 && lv[level].0 != PtLevel::P4d {
                tables += 1;
            }
            let Some(entries) = vmm.tables.pages.get(&table) else {
                return Err(format!("pid {}: table {table:#x} missing", t.pid));
            };
            if node.mem.usage(Pfn(table)) != PageUse::PageTable {
                return Err(format!(
                    "pid {}: table {table:#x} is not a page-table page",
                    t.pid
                ));
            }
            let shift = lv[level].1;
            for (i, &e) in entries.iter().enumerate() {
                let va = base + ((i as u64) << shift);
                if level + 1 == lv.len() && is_swap_pte(e) {
                    if t.mm.find(va).is_none() {
                        return Err(format!(
                            "pid {}: swap PTE for {va:#x} outside every VMA",
                            t.pid
                        ));
                    }
                    swapents += 1;
                    *swap_refs.entry(pte_to_swp_entry(e).1).or_insert(0) += 1;
                    continue;
                }
                if e & PAGE_PRESENT == 0 {
                    continue;
                }
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
                if let Backing::File(ino) = v.backing {
                    // A file's page: the page cache's page at this index (a
                    // private mapping's copies are anonymous pages, below).
                    let index = v.pgoff + ((va - v.start) >> 12);
                    let cached = pr.fs.inode(ino).and_then(|i| i.page(index));
                    if cached == Some(pfn) {
                        file += 1;
                        *file_maps.entry(pfn).or_insert(0) += 1;
                        continue;
                    }
                    if v.flags & super::mm::VM_SHARED != 0 {
                        return Err(format!(
                            "pid {}: {va:#x} maps {pfn:#x}, not page {index} of {}",
                            t.pid, v.name
                        ));
                    }
                }
                if vmm.shmem_mapped.contains_key(&pfn) {
                    shm += 1;
                    *shm_maps.entry(pfn).or_insert(0) += 1;
                } else if node.mem.valid(Pfn(pfn)) {
                    anon += 1;
                    *anon_maps.entry(pfn).or_insert(0) += 1;
                    match pr.lru.get(pfn).map(|f| f.owner) {
                        Some(crate::vmscan::lru::Owner::Anon { index, .. }) if index == va >> 12 => {}
                        _ => {
                            return Err(format!(
                                "pid {}: anonymous page {pfn:#x} at {va:#x} is not its anonymous folio on the LRU",
                                t.pid
                            ))
                        }
                    }
                } else {
                    return Err(format!(
                        "pid {}: PTE for {va:#x} maps unknown page {pfn:#x}",
                        t.pid
                    ));
                }
                if node.mem.usage(Pfn(pfn)) != PageUse::User {
                    return Err(format!(
                        "pid {}: {va:#x} maps page {pfn:#x} that is not a user page",
                        t.pid
                    ));
                }
            }
        }
        tables_seen += seen as usize;
        if file != t.mm.file_rss {
            return Err(format!(
                "pid {}: MM_FILEPAGES {} but {file} PTEs map file pages",
                t.pid, t.mm.file_rss
            ));
        }
        if swapents != t.mm.swapents {
            return Err(format!(
                "pid {}: MM_SWAPENTS {} but {swapents} swap PTEs",
                t.pid, t.mm.swapents
            ));
        }
        if anon != t.mm.anon_rss || shm != t.mm.shmem_rss {
            return Err(format!(
                "pid {}: RSS counters anon {} shmem {} but PTEs anon {anon} shmem {shm}",
                t.pid, t.mm.anon_rss, t.mm.shmem_rss
            ));
        }
        if tables * 4096 != t.mm.pgtables_bytes {
            return Err(format!(
                "pid {}: pgtables_bytes {} but {} PUD, PMD and PTE tables",
                t.pid, t.mm.pgtables_bytes, tables
            ));
        }
    }
    for s in vmm.shmem.iter().flatten() {
        if s.charged {
            committed += s.pages;
        }
        s.i_pages.check()?;
        if s.i_pages.iter().count() as u64 != s.nrpages {
            return Err(format!(
                "a shmem object counts {} pages, its cache holds others",
                s.nrpages
            ));
        }
    }
    if committed != vmm.committed {
        return Err(format!(
            "Committed_AS {} pages but the accounted mappings add up to {committed}",
            vmm.committed
        ));
    }
    let shared: HashMap<u64, u32> = vmm.anon.shared().collect();
    let mapped_more: HashMap<u64, u32> = anon_maps
        .iter()
        .filter(|(_, c)| **c > 1)
        .map(|(p, c)| (*p, *c))
        .collect();
    if shared != mapped_more || anon_maps.len() as u64 != vmm.anon.len() {
        return Err(format!(
            "anonymous pages: {} counted, {} mapped; {} listed as shared, {} mapped more than once",
            vmm.anon.len(),
            anon_maps.len(),
            shared.len(),
            mapped_more.len()
        ));
    }
    if file_maps
        != vmm
            .file_mapped
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect::<HashMap<_, _>>()
    {
        return Err("file page map counts disagree with the PTEs".into());
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
    for (pfn, f) in pr.lru.iter() {
        if let crate::vmscan::lru::Owner::Anon { swap, .. } = f.owner {
            if swap == 0 && !anon_maps.contains_key(&pfn) {
                return Err(format!(
                    "anonymous folio {pfn:#x} is neither mapped nor in the swap cache"
                ));
            }
        }
    }
    match &pr.swap {
        Some(si) => {
            for (off, count, _) in si.used_slots() {
                let refs = swap_refs.remove(&off).unwrap_or(0);
                if refs != count {
                    return Err(format!(
                        "swap slot {off}: count {count} but {refs} swap PTEs point at it"
                    ));
                }
            }
            if let Some((off, _)) = swap_refs.iter().next() {
                return Err(format!("a swap PTE points at free slot {off}"));
            }
        }
        None if !swap_refs.is_empty() => return Err("swap PTEs without swap".into()),
        None => {}
    }
    if tables_seen != vmm.tables.pages.len() {
        return Err(format!(
            "{} page-table pages but {tables_seen} reachable",
            vmm.tables.pages.len()
        ));
    }
    Ok(())
}
