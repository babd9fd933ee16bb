//! Moving pages (`mm/migrate.c: migrate_pages`, `migrate_folio_unmap`,
//! `migrate_folio_move`, and compaction's `compaction_alloc` / `compaction_free`).
//!
//! For each page taken by the migration scanner, in list order (the last taken
//! first), a target comes from the free scanner's blocks (`compaction_alloc`: the
//! first block of the smallest order that has one, split as needed). The page's
//! contents go to the target and everything that named the old frame names the new
//! one: its PTEs (found through the rmap), its page-cache slot or swap-cache slot,
//! its map count and its LRU record (`folio_add_lru`: the head of its list). The old
//! frame is freed, and may merge into a larger free block.

use super::events::CompactionEvent;
use super::CompactControl;
use crate::page_alloc::memmap::PageUse;
use crate::vm::pgtable::PFN_MASK;
use crate::vm::Vm;
use crate::vmscan::lru::{pg, Folio, Owner};
use crate::vocab::xarray::XaEntry;
use crate::vocab::Pfn;

impl Vm<'_> {
    /// `compaction_alloc`: a free page from the isolated blocks, running the free
    /// scanner once when there are none. The block is split: its first page is the
    /// target, the upper halves go to the heads of the lower orders' lists.
    fn compaction_alloc(&mut self, cc: &mut CompactControl) -> Option<u64> {
        let mut isolated = false;
        loop {
            if let Some(o) = (0..cc.freepages.len()).find(|&o| !cc.freepages[o].is_empty()) {
                let pfn = cc.freepages[o].remove(0);
                for lower in (0..o).rev() {
                    let half = pfn + (1u64 << lower);
                    cc.freepages[lower].insert(0, half);
                    self.k
                        .node
                        .mem
                        .set_head(Pfn(half), lower as u8, PageUse::Free);
                }
                self.k.node.mem.set_head(Pfn(pfn), 0, PageUse::Free);
                cc.nr_freepages -= 1;
                cc.nr_migratepages -= 1;
                return Some(pfn);
            }
            if isolated {
                return None;
            }
            self.isolate_freepages(cc);
            isolated = true;
        }
    }

    /// `release_free_list`: the isolated free pages not used go back to the buddy
    /// allocator (`__free_pages`). Returns the highest PFN released.
    pub(crate) fn release_free_list(&mut self, cc: &mut CompactControl) -> u64 {
        let mut high = 0;
        for order in 0..cc.freepages.len() {
            for pfn in std::mem::take(&mut cc.freepages[order]) {
                self.k.free_pages(Pfn(pfn), order as u8);
                high = high.max(pfn);
            }
        }
        cc.nr_freepages = 0;
        high
    }

    /// `migrate_pages(MR_COMPACTION)`: moves every page on `cc.migratepages`.
    /// Returns (migrated, failed, out of targets): pages that could not move go back
    /// to the LRU; when the free scanner finds no more targets the rest go back too
    /// and the kernel's answer is -ENOMEM.
    pub(crate) fn migrate_pages(&mut self, cc: &mut CompactControl) -> (u64, u64, bool) {
        let (mut ok, mut failed) = (0u64, 0u64);
        let pages = std::mem::take(&mut cc.migratepages);
        let mut rest = pages.into_iter();
        let mut enomem = false;
        for (src, folio) in rest.by_ref() {
            // migrate_folio_unmap: the target first.
            let Some(dst) = self.compaction_alloc(cc) else {
                // -ENOMEM: this page counts as failed; the rest just go back.
                self.pr.lru.add(src, folio);
                failed += 1;
                enomem = true;
                break;
            };
            // A page under writeback waits only in MIGRATE_SYNC, and writeback here
            // ends at the next tick: -EBUSY, and the target goes back
            // (`compaction_free`).
            if folio.test(pg::WRITEBACK) {
                cc.freepages[0].insert(0, dst);
                cc.nr_freepages += 1;
                cc.nr_migratepages += 1;
                self.k
                    .trace
                    .push(|| CompactionEvent::MigrateFail { pfn: Pfn(src) });
                self.pr.lru.add(src, folio);
                failed += 1;
                continue;
            }
            self.move_folio(src, dst, folio);
            ok += 1;
        }
        // Out of targets: everything left goes back (putback_movable_pages).
        for (src, folio) in rest {
            self.pr.lru.add(src, folio);
        }
        cc.nr_migratepages = 0;
        self.pr.stat.pgmigrate_success += ok;
        self.pr.stat.pgmigrate_fail += failed;
        cc.nr_migrated += ok;
        (ok, failed, enomem)
    }

    /// `migrate_folio_move`: copies folio `src` to `dst` and points every reference
    /// at `dst` (`try_to_migrate` + `folio_migrate_mapping` + `remove_migration_ptes`),
    /// then frees `src`.
    fn move_folio(&mut self, src: u64, dst: u64, folio: Folio) {
        let usage = match folio.owner {
            Owner::File { .. } => PageUse::File,
            Owner::Anon { .. } => PageUse::User,
        };
        self.k.node.mem.set_head(Pfn(dst), 0, usage);
        let maps = match folio.owner {
            Owner::Anon { index, swap } => {
                if swap != 0 {
                    if let Some(si) = self.pr.swap.as_mut() {
                        si.swap_cache_replace(u64::from(swap), dst);
                    }
                }
                self.vmm.anon.migrate(src, dst);
                self.anon_mappings(src, index)
            }
            Owner::File { ino, index } => {
                if let Some(i) = self.pr.fs.inode_mut(ino) {
                    i.pages.store(index, XaEntry::Folio(dst));
                }
                if let Some(n) = self.vmm.file_mapped.remove(&src) {
                    self.vmm.file_mapped.insert(dst, n);
                }
                self.file_mappings(src, ino, index)
                    .into_iter()
                    .map(|(m, _)| m)
                    .collect()
            }
        };
        for m in &maps {
            self.vmm
                .tables
                .set(m.table, m.idx, (m.pte & !PFN_MASK) | (dst << 12));
        }
        // folio_add_lru: the copy joins the head of its list with the same flags.
        self.pr.lru.add(dst, folio);
        let ptes = maps.len() as u32;
        self.k.trace.push(|| CompactionEvent::Migrate {
            from: Pfn(src),
            to: Pfn(dst),
            usage,
            ptes,
        });
        self.k.free_page(src);
    }
}
