//! What one page frame is, for the memory map's hover and tap details.

use crate::machine::Machine;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::{MigrateType, Pfn, ZoneType, MAX_PAGE_ORDER};

/// The details of one page frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// The PFN.
    pub pfn: u64,
    /// Its zone, if any.
    pub zone: Option<ZoneType>,
    /// What it is used for.
    pub usage: PageUse,
    /// The block it belongs to: (head PFN, order, free?).
    pub block: Option<(u64, u8, bool)>,
    /// Its pageblock's migrate type.
    pub migratetype: MigrateType,
    /// Who owns it, in words (`slab of kmalloc-256`, `mapped by 2 PTE(s)`, ...).
    pub owner: String,
}

impl Machine {
    /// The free block containing `pfn`: (head, order).
    fn free_block_containing(&self, pfn: Pfn) -> Option<(Pfn, u8)> {
        let mem = &self.node().mem;
        (0..=MAX_PAGE_ORDER).find_map(|o| {
            let head = Pfn(pfn.0 & !((1u64 << o) - 1));
            (mem.valid(head) && mem.is_buddy(head) && mem.order(head) >= o)
                .then(|| (head, mem.order(head)))
        })
    }

    /// Details of a page frame, or None past the end of RAM.
    pub fn page_info(&self, pfn: u64) -> Option<PageInfo> {
        let mem = &self.node().mem;
        let p = Pfn(pfn);
        if !mem.valid(p) {
            return None;
        }
        let usage = mem.usage(p);
        let block = match usage {
            PageUse::Free => self.free_block_containing(p).map(|(h, o)| (h.0, o, true)),
            PageUse::Reserved => None,
            _ => self.k.block_containing(p).map(|(h, o)| (h.0, o, false)),
        };
        let owner = match usage {
            PageUse::Slab => block
                .and_then(|(h, _, _)| self.slub.owner.get(&h))
                .and_then(|id| self.slub.cache(*id as usize))
                .map(|c| format!("slab of {}", c.name))
                .unwrap_or_else(|| "slab".into()),
            PageUse::User => {
                let maps = match self.vmm.shmem_mapped.get(&pfn) {
                    Some(c) => *c,
                    None => self.vmm.anon.mapcount(pfn),
                };
                format!("user page mapped by {maps} PTE(s)")
            }
            PageUse::PageTable => "page table".into(),
            PageUse::File => match self.pr.lru.get(pfn).map(|f| f.owner) {
                Some(crate::vmscan::lru::Owner::File { ino, index }) => format!(
                    "page {index} of {} ({})",
                    self.pr.fs.inode(ino).map_or("?", |i| i.path.as_str()),
                    self.pr
                        .lru
                        .get(pfn)
                        .map_or(crate::vmscan::lru::LruList::InactiveFile, |f| f.lru_list())
                ),
                _ => "page cache".into(),
            },
            PageUse::Kernel => "kernel (alloc_pages)".into(),
            PageUse::KernelStack => "a task's kernel stack".into(),
            PageUse::LargeKmalloc => "large kmalloc (above 8K)".into(),
            PageUse::Reserved if pfn == self.vmm.zero_pfn => {
                "reserved: the shared zero page".into()
            }
            PageUse::Reserved => "reserved (memblock)".into(),
            PageUse::Free => "buddy allocator".into(),
            PageUse::Pcp => "CPU 0's per-cpu list".into(),
        };
        Some(PageInfo {
            pfn,
            zone: self.node().zone_of(p),
            usage,
            block,
            migratetype: mem.pageblock_mt(p),
            owner,
        })
    }
}
