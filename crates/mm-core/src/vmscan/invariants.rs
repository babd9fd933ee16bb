//! Reclaim's consistency rules, checked after every step in the tests: the LRU lists
//! are well formed and their sizes match; every cached page is a page-cache page on
//! the LRU exactly once, owned by the file slot that names it; the dirty and
//! writeback counts match the flags.

use super::filemap::CacheEntry;
use super::lru::{pg, Owner};
use super::Pressure;
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::node::Node;
use crate::vocab::Pfn;

/// Checks reclaim's state against the page array.
pub fn check(pr: &Pressure, node: &Node) -> Result<(), String> {
    pr.lru.check()?;
    let (mut dirty, mut writeback, mut cached, mut anon_cached) = (0u64, 0u64, 0usize, 0u64);
    if !pr.swap_in_flight.is_empty() {
        return Err("swap writes still in flight between steps".into());
    }
    for (pfn, f) in pr.lru.iter() {
        if f.test(pg::DIRTY) && f.is_file_lru() {
            dirty += 1;
        }
        if f.test(pg::WRITEBACK) {
            writeback += 1;
        }
        if node.zone_of(Pfn(pfn)) != Some(f.zone) {
            return Err(format!("folio {pfn:#x} records the wrong zone"));
        }
        if let Owner::Anon { swap, .. } = f.owner {
            if node.mem.usage(Pfn(pfn)) != PageUse::User || !f.test(pg::SWAPBACKED) {
                return Err(format!(
                    "anonymous folio {pfn:#x} is not a swap-backed User page"
                ));
            }
            if !f.test(pg::LRU) {
                return Err(format!(
                    "anonymous folio {pfn:#x} is off the LRU between steps"
                ));
            }
            if swap != 0 {
                anon_cached += 1;
                let cached = pr
                    .swap
                    .as_ref()
                    .and_then(|s| s.cache_folio(u64::from(swap)));
                if cached != Some(pfn) {
                    return Err(format!(
                        "folio {pfn:#x} says it caches swap slot {swap}, which holds {cached:?}"
                    ));
                }
            }
        }
        if let Owner::File { ino, index } = f.owner {
            cached += 1;
            let inode = pr
                .fs
                .inode(ino)
                .ok_or(format!("folio {pfn:#x} caches inode {ino}, which is gone"))?;
            if inode.entry(index) != Some(CacheEntry::Page(pfn)) {
                return Err(format!(
                    "folio {pfn:#x} says it caches page {index} of {}, which does not name it",
                    inode.path
                ));
            }
            if node.mem.usage(Pfn(pfn)) != PageUse::File {
                return Err(format!("page-cache folio {pfn:#x} is not a File page"));
            }
            if !f.test(pg::LRU) {
                return Err(format!(
                    "page-cache folio {pfn:#x} is off the LRU between steps"
                ));
            }
        }
    }
    if dirty != pr.nr_dirty || writeback != pr.nr_writeback {
        return Err(format!(
            "NR_FILE_DIRTY {} / NR_WRITEBACK {} but the flags say {dirty} / {writeback}",
            pr.nr_dirty, pr.nr_writeback
        ));
    }
    if let Some(si) = &pr.swap {
        si.check()?;
        if si.nr_swapcache != anon_cached {
            return Err(format!(
                "{} folios in the swap cache but {anon_cached} anonymous folios name a slot",
                si.nr_swapcache
            ));
        }
    } else if anon_cached > 0 {
        return Err("folios in a swap cache without swap".into());
    }
    let mut in_files = 0usize;
    if !pr.fs.files.windows(2).all(|w| w[0].ino < w[1].ino) {
        return Err("inodes are not kept in number order".into());
    }
    for inode in pr.fs.files.iter() {
        inode.pages.check()?;
        let pages = inode.cached_pages().count();
        if pages as u64 != inode.nrpages {
            return Err(format!(
                "{}: nrpages {} but {pages} cached",
                inode.path, inode.nrpages
            ));
        }
        let d = inode
            .cached_pages()
            .filter_map(|p| pr.lru.get(p))
            .filter(|f| f.test(pg::DIRTY))
            .count() as u64;
        if d != inode.nr_dirty || (d > 0) != inode.dirtied_when.is_some() {
            return Err(format!(
                "{}: dirty count {} but {d} dirty pages",
                inode.path, inode.nr_dirty
            ));
        }
        in_files += pages;
    }
    if in_files != cached {
        return Err(format!(
            "{in_files} pages cached in files but {cached} on the LRU"
        ));
    }
    let file_pages = node
        .mem
        .states()
        .iter()
        .filter(|s| **s == PageUse::File as u8)
        .count() as u64;
    if file_pages != cached as u64 {
        return Err(format!(
            "{file_pages} File pages in memory but {cached} cached"
        ));
    }
    Ok(())
}
