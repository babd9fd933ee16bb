//! The page allocator's consistency rules, checked after every step in the tests.

use super::memmap::PageUse;
use super::node::Node;
use crate::vocab::{
    MigrateType, Pfn, ZoneType, MAX_PAGE_ORDER, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER,
};

/// Checks that:
/// - every free list ends where its count says, and every free block is on exactly one
///   list, of its order and its pageblock's type, inside its zone, aligned to its order,
///   and every page inside it is free;
/// - `nr_free` equals the list lengths, each list's bit in `nonempty` says whether it
///   has blocks, and Σ nr_free·2^order equals the zone's free
///   pages;
/// - every page is accounted once: free, on a per-CPU list, reserved, or inside an
///   allocated block headed by a page that records its order and use; only first pages
///   carry a mark (the rest of a block is its head's);
/// - with pcp off, no two free buddies of one order both sit on free lists.
pub fn check(node: &Node) -> Result<(), String> {
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
                        return Err(format!("free block {pfn} is not aligned to order {order}"));
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
                    if mem.usage(pfn) != PageUse::Free {
                        return Err(format!("free block {pfn} is not marked free"));
                    }
                    for (q, slot) in seen.iter_mut().enumerate().skip(p).take(1 << order) {
                        if *slot != 0 {
                            return Err(format!("page {:#x} counted twice (free block {pfn})", q));
                        }
                        *slot = 1;
                        if q != p && !mem.is_tail(Pfn(q as u64)) {
                            return Err(format!(
                                "page {:#x} inside free block {pfn} carries a mark of its own",
                                q
                            ));
                        }
                    }
                    if node.pcp.is_none() && order < MAX_PAGE_ORDER as usize {
                        let buddy = pfn.buddy(order as u8);
                        if node.page_is_buddy(z.ztype, buddy, order as u8)
                            && (order < PAGEBLOCK_ORDER as usize
                                || mem.pageblock_mt(buddy).is_mergeable() && mt.is_mergeable())
                        {
                            return Err(format!("free buddies {pfn} and {buddy} of order {order} both on free lists"));
                        }
                    }
                }
                let bit = z.nonempty[mt.idx()] >> order & 1 == 1;
                if bit != (list.len > 0) {
                    return Err(format!(
                        "{} order {order} {mt}: the non-empty bit is {bit} for {} blocks",
                        z.ztype, list.len
                    ));
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
        // The highatomic reserve is whole pageblocks, counted, within its cap
        // (reserve_highatomic_pageblock's ALIGN(managed / 100, pageblock_nr_pages),
        // which the last reservation may overshoot by an order-10 block's excess).
        let mut highatomic = 0;
        let mut p = z.start_pfn & !(PAGEBLOCK_NR_PAGES - 1);
        while p < z.end_pfn() {
            if mem.pageblock_mt(Pfn(p)) == MigrateType::HighAtomic {
                highatomic += PAGEBLOCK_NR_PAGES;
            }
            p += PAGEBLOCK_NR_PAGES;
        }
        let cap = z.highatomic_limit() + (1u64 << MAX_PAGE_ORDER) - PAGEBLOCK_NR_PAGES;
        if highatomic != z.nr_reserved_highatomic || highatomic > cap {
            return Err(format!(
                "{}: {highatomic} pages in HighAtomic pageblocks, nr_reserved_highatomic {}, cap {cap}",
                z.ztype, z.nr_reserved_highatomic
            ));
        }
    }
    if let Some(pcps) = &node.pcp {
        for (i, pcp) in pcps.iter().enumerate() {
            let mut pages = 0;
            for (pfn, order) in pcp.blocks() {
                let p = pfn.0 as usize;
                if !mem.valid(pfn) || !mem.is_pcp(pfn) || mem.order(pfn) != order {
                    return Err(format!("block {pfn} on a per-cpu list is not marked so"));
                }
                for (q, slot) in seen.iter_mut().enumerate().skip(p).take(1 << order) {
                    if *slot != 0 {
                        return Err(format!("pcp page {:#x} counted twice", q));
                    }
                    *slot = 3;
                    if q != p && !mem.is_tail(Pfn(q as u64)) {
                        return Err(format!(
                            "page {:#x} inside pcp block {pfn} carries a mark",
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
            if matches!(use_, PageUse::Free | PageUse::Pcp | PageUse::Reserved) {
                return Err(format!("allocated block {pfn} is marked {}", use_.name()));
            }
            for (q, slot) in seen.iter_mut().enumerate().take(end).skip(p) {
                if *slot != 0 {
                    return Err(format!("page {:#x} both allocated and free", q));
                }
                *slot = 2;
                if q != p && !mem.is_tail(Pfn(q as u64)) {
                    return Err(format!("page {:#x} inside block {pfn} carries a mark", q));
                }
            }
            p = end;
            continue;
        }
        match (seen[p], mem.is_reserved(pfn)) {
            (0, false) => return Err(format!("page {pfn} is in no block and not reserved")),
            (s, true) if s != 0 => return Err(format!("reserved page {pfn} is in a block")),
            _ => {}
        }
        p += 1;
    }
    Ok(())
}
