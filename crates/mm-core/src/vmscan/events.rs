//! Reclaim's steps: the page cache, the LRU lists, kswapd, direct reclaim, writeback
//! and the allocator's road to the OOM killer. Fields, kernel function, tracepoint
//! (`filemap.h`, `readahead.h`, `pagemap.h`, `vmscan.h`, `oom.h`) and sentence side
//! by side.

use super::lru::LruList;
use crate::event::define::{define_events, hex};
use crate::vocab::{GfpFlags, Pfn, ZoneType};
use serde::Serialize;
use std::fmt;

/// Who is reclaiming.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum Reclaimer {
    /// kswapd0, the node's background reclaim thread.
    Kswapd,
    /// The allocating task itself (`try_to_free_pages`).
    Direct,
}

impl fmt::Display for Reclaimer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reclaimer::Kswapd => "kswapd0",
            Reclaimer::Direct => "direct reclaim",
        })
    }
}

/// What `shrink_folio_list` did with one folio.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum Fate {
    /// Freed (`__remove_mapping`, a shadow left in its slot).
    Freed,
    /// Referenced: back to the active list (`folio_check_references`: ACTIVATE).
    Activated,
    /// Referenced once or still needed: back to the inactive list's head (KEEP).
    Kept,
    /// Dirty: reclaim does not write file pages; marked for immediate reclaim after
    /// writeback, and activated.
    Dirty,
    /// Being written back: marked `PG_reclaim`, activated.
    Writeback,
    /// An anonymous folio unmapped and written to swap (`pageout`): kept until the
    /// write completes, then rotated to the inactive tail and freed by the next scan.
    Swapped,
}

impl fmt::Display for Fate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fate::Freed => "freed",
            Fate::Activated => "activated",
            Fate::Kept => "kept",
            Fate::Dirty => "dirty, left for writeback",
            Fate::Writeback => "under writeback",
            Fate::Swapped => "unmapped and written to swap",
        })
    }
}

/// `enum scan_balance`: how `get_scan_count` split the scan between anon and file.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum ScanBalance {
    /// `SCAN_EQUAL`: every list by size (priority 0).
    Equal,
    /// `SCAN_FRACT`: by swappiness and the recent costs.
    Fract,
    /// `SCAN_ANON`: anonymous only.
    Anon,
    /// `SCAN_FILE`: page cache only (no swap, or plenty of inactive cache).
    File,
}

impl fmt::Display for ScanBalance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScanBalance::Equal => "SCAN_EQUAL",
            ScanBalance::Fract => "SCAN_FRACT",
            ScanBalance::Anon => "SCAN_ANON",
            ScanBalance::File => "SCAN_FILE",
        })
    }
}

define_events! {
    /// One micro-step of reclaim and the page cache (`mm/filemap.c`, `mm/readahead.c`,
    /// `mm/swap.c`, `mm/vmscan.c`, `mm/page-writeback.c`, `mm/page_alloc.c`).
    pub enum VmscanEvent {
        /// `__filemap_add_folio`: a page joined a file's page cache.
        CacheAdd {
            /// The file.
            file: Box<str>,
            /// The page's index in the file.
            index: u64,
            /// The page.
            pfn: Pfn,
        }
            function: "__filemap_add_folio",
            tracepoint: Some("filemap:mm_filemap_add_to_page_cache"),
            sentence: format!("page {index} of {file} is cached in {pfn}."),

        /// `__filemap_remove_folio`: a page left the page cache.
        CacheDelete {
            /// The file.
            file: Box<str>,
            /// The page's index.
            index: u64,
            /// The page.
            pfn: Pfn,
        }
            function: "__filemap_remove_folio",
            tracepoint: Some("filemap:mm_filemap_delete_from_page_cache"),
            sentence: format!("page {index} of {file} leaves the page cache ({pfn})."),

        /// `page_cache_sync_ra`: a read missed the cache and starts a readahead window.
        ReadaheadSync {
            /// The file.
            file: Box<str>,
            /// The page the read wants.
            index: u64,
            /// Pages the read asked for.
            req: u64,
            /// `ra->start`.
            start: u64,
            /// `ra->size`: pages in the window.
            size: u64,
            /// `ra->async_size`: the window's tail; its first page gets PG_readahead.
            async_size: u64,
        }
            function: "page_cache_sync_ra",
            tracepoint: Some("readahead:page_cache_sync_ra"),
            sentence: format!(
                "{file}: page {index} is not cached; read pages {start}..{} ahead, flag the last {async_size} for the next window.",
                start + size
            ),

        /// `page_cache_async_ra`: a read reached a PG_readahead page and starts the next
        /// window before it is needed.
        ReadaheadAsync {
            /// The file.
            file: Box<str>,
            /// The flagged page.
            index: u64,
            /// `ra->start`.
            start: u64,
            /// `ra->size`.
            size: u64,
        }
            function: "page_cache_async_ra",
            tracepoint: Some("readahead:page_cache_async_ra"),
            sentence: format!(
                "{file}: page {index} had PG_readahead; read pages {start}..{} in the background.",
                start + size
            ),

        /// `lruvec_add_folio`: a folio went onto the head of an LRU list.
        LruAdd {
            /// The folio.
            pfn: Pfn,
            /// The list.
            lru: LruList,
        }
            function: "lruvec_add_folio",
            tracepoint: Some("pagemap:mm_lru_insertion"),
            sentence: format!("{pfn} goes to the head of {lru}."),

        /// `folio_mark_accessed`: a second access promotes an inactive folio.
        Activate {
            /// The folio.
            pfn: Pfn,
            /// The active list it moves to.
            lru: LruList,
        }
            function: "folio_activate",
            tracepoint: Some("pagemap:mm_lru_activate"),
            sentence: format!("{pfn} was used twice: it moves to {lru}."),

        /// `filemap_dirty_folio`: a write made a cached page newer than the disk.
        Dirtied {
            /// The file.
            file: Box<str>,
            /// Pages dirtied by this write.
            pages: u64,
            /// NR_FILE_DIRTY after it.
            dirty: u64,
        }
            function: "filemap_dirty_folio",
            tracepoint: None,
            sentence: format!("{pages} page(s) of {file} are dirty; {dirty} dirty page(s) in all."),

        /// `__writeback_single_inode`: the flusher submits a file's dirty pages.
        WritebackStart {
            /// The file.
            file: Box<str>,
            /// Pages submitted.
            pages: u64,
            /// Why: `background`, `periodic`, `sync`.
            reason: Box<str>,
        }
            function: "__writeback_single_inode",
            tracepoint: Some("writeback:writeback_single_inode"),
            sentence: format!("flusher writes {pages} dirty page(s) of {file} ({reason})."),

        /// `folio_end_writeback`: the disk finished writing pages.
        WritebackEnd {
            /// Pages written.
            pages: u64,
            /// Of them, pages reclaim wanted: rotated to the inactive tail.
            rotated: u64,
        }
            function: "folio_end_writeback",
            tracepoint: None,
            sentence: if *rotated > 0 {
                format!("the disk wrote {pages} page(s); {rotated} marked for reclaim go to the inactive tail.")
            } else {
                format!("the disk wrote {pages} page(s); they are clean.")
            },

        /// `wakeup_kswapd`: an allocation found a zone below its low watermark.
        WakeupKswapd {
            /// The zone.
            zone: ZoneType,
            /// The allocation's order.
            order: u8,
            /// The allocation's flags.
            gfp: GfpFlags,
        }
            function: "wakeup_kswapd",
            tracepoint: Some("vmscan:mm_vmscan_wakeup_kswapd"),
            sentence: format!("{zone} is below its low watermark: wake kswapd0 (order {order})."),

        /// `kswapd`: kswapd0 starts a `balance_pgdat` run.
        KswapdWake {
            /// The order it balances for.
            order: u8,
            /// The highest zone it balances.
            zone: ZoneType,
        }
            function: "kswapd",
            tracepoint: Some("vmscan:mm_vmscan_kswapd_wake"),
            sentence: format!("kswapd0 wakes to reclaim until zones up to {zone} are above their high watermark."),

        /// `balance_pgdat`: one pass at a priority.
        BalancePass {
            /// `sc.priority`: scan `size >> priority` of each list.
            priority: u8,
            /// Pages this pass aims to reclaim (Σ max(high, 32)).
            nr_to_reclaim: u64,
            /// Pages reclaimed in the pass.
            reclaimed: u64,
            /// Whether `pgdat_balanced` held before it.
            balanced: bool,
        }
            function: "balance_pgdat",
            tracepoint: None,
            sentence: format!(
                "kswapd0 pass at priority {priority}: reclaimed {reclaimed} of {nr_to_reclaim} page(s)."
            ),

        /// `kswapd_try_to_sleep`: balanced; kswapd0 naps for HZ/10, then sleeps.
        KswapdNap {
            /// Whether the nap ended in sleep (else it was woken again).
            asleep: bool,
        }
            function: "kswapd_try_to_sleep",
            tracepoint: None,
            sentence: if *asleep {
                "kswapd0 stays balanced through its 100 ms nap and goes to sleep.".to_string()
            } else {
                "every zone is above its high watermark: kswapd0 naps for 100 ms before sleeping.".to_string()
            },

        /// `kswapd_try_to_sleep`: kswapd0 sleeps until woken.
        KswapdSleep {}
            function: "kswapd_try_to_sleep",
            tracepoint: Some("vmscan:mm_vmscan_kswapd_sleep"),
            sentence: "kswapd0 sleeps.".to_string(),

        /// `get_scan_count`: how many pages of each list this pass scans.
        ScanCount {
            /// Who reclaims.
            by: Reclaimer,
            /// `sc.priority`.
            priority: u8,
            /// The balance chosen.
            balance: ScanBalance,
            /// Pages to scan: inactive anon, active anon, inactive file, active file.
            nr: [u64; 4],
        }
            function: "get_scan_count",
            tracepoint: None,
            sentence: format!(
                "{by}, priority {priority}, {balance}: scan {} inactive anon, {} active anon, {} inactive file, {} active file.",
                nr[0], nr[1], nr[2], nr[3]
            ),

        /// `shrink_folio_list`: what became of one folio taken from an inactive list.
        FolioReclaim {
            /// The folio.
            pfn: Pfn,
            /// The list it came from.
            lru: LruList,
            /// What happened.
            fate: Fate,
        }
            function: "shrink_folio_list",
            tracepoint: None,
            sentence: format!("{pfn} from {lru}: {fate}."),

        /// `shrink_inactive_list`: a batch of an inactive list scanned.
        ShrinkInactive {
            /// Who reclaims.
            by: Reclaimer,
            /// The list.
            lru: LruList,
            /// Folios scanned.
            scanned: u64,
            /// Folios freed.
            reclaimed: u64,
            /// Folios activated.
            activated: u64,
            /// `sc.priority`.
            priority: u8,
        }
            function: "shrink_inactive_list",
            tracepoint: Some("vmscan:mm_vmscan_lru_shrink_inactive"),
            sentence: format!(
                "{by} scanned {scanned} of {lru}: {reclaimed} freed, {activated} activated, {} kept.",
                scanned - reclaimed - activated
            ),

        /// `shrink_active_list`: a batch of an active list aged.
        ShrinkActive {
            /// Who reclaims.
            by: Reclaimer,
            /// The list.
            lru: LruList,
            /// Folios taken.
            taken: u64,
            /// Moved to the inactive list.
            deactivated: u64,
            /// `sc.priority`.
            priority: u8,
        }
            function: "shrink_active_list",
            tracepoint: Some("vmscan:mm_vmscan_lru_shrink_active"),
            sentence: format!(
                "{by} aged {taken} folio(s) of {lru}: {deactivated} move to the inactive list."
            ),

        /// `try_to_free_pages`: the allocating task reclaims for itself.
        DirectReclaimBegin {
            /// The allocation's order.
            order: u8,
            /// The allocation's flags.
            gfp: GfpFlags,
        }
            function: "try_to_free_pages",
            tracepoint: Some("vmscan:mm_vmscan_direct_reclaim_begin"),
            sentence: format!("the allocation is below min: the task reclaims for itself ({gfp})."),

        /// `try_to_free_pages` returns.
        DirectReclaimEnd {
            /// Pages reclaimed.
            reclaimed: u64,
        }
            function: "try_to_free_pages",
            tracepoint: Some("vmscan:mm_vmscan_direct_reclaim_end"),
            sentence: format!("direct reclaim freed {reclaimed} page(s)."),

        /// `should_reclaim_retry`: is retrying worth it?
        ReclaimRetry {
            /// The zone checked.
            zone: ZoneType,
            /// Reclaimable pages in it (file LRU, + anon with swap).
            reclaimable: u64,
            /// Free + reclaimable.
            available: u64,
            /// Its min watermark.
            min: u64,
            /// Passes without progress so far.
            no_progress_loops: u32,
            /// Whether `available` passes the watermark check (then retry).
            retry: bool,
        }
            function: "should_reclaim_retry",
            tracepoint: Some("oom:reclaim_retry_zone"),
            sentence: if *retry {
                format!("{zone}: {available} page(s) free or reclaimable meet min {min}; try again ({no_progress_loops} pass(es) without progress).")
            } else {
                format!("{zone}: {available} page(s) free or reclaimable do not meet min {min}; reclaim cannot help.")
            },

        /// `__alloc_pages_may_oom`: reclaim made no progress; the OOM killer is next.
        MayOom {
            /// The allocation's order.
            order: u8,
            /// The allocation's flags.
            gfp: GfpFlags,
            /// Why the OOM killer is skipped, if it is.
            skip: Option<Box<str>>,
        }
            function: "__alloc_pages_may_oom",
            tracepoint: None,
            sentence: match skip {
                Some(why) => format!("reclaim failed; no OOM kill: {why}."),
                None => "reclaim failed and the high watermark is still not met: invoke the OOM killer.".to_string(),
            },

        /// `panic`: nothing could be killed.
        Panic {
            /// The message.
            message: Box<str>,
        }
            function: "panic",
            tracepoint: None,
            sentence: format!("Kernel panic - not syncing: {message}"),

        /// `folio_alloc_swap`: an anonymous folio reclaim wants gets a swap slot and
        /// joins the swap cache.
        SwapAlloc {
            /// The folio.
            pfn: Pfn,
            /// The slot (`swp_offset`).
            offset: u64,
        }
            function: "folio_alloc_swap",
            tracepoint: None,
            sentence: format!("{pfn} gets swap slot {offset} and joins the swap cache."),

        /// `try_to_unmap`: every PTE mapping the folio now holds its swap entry.
        Unmap {
            /// The folio.
            pfn: Pfn,
            /// PTEs rewritten.
            ptes: u64,
            /// The swap slot they point at (an anonymous folio), or none (a file's
            /// page, found again in the page cache or the file).
            offset: Option<u64>,
        }
            function: "try_to_unmap",
            tracepoint: None,
            sentence: match offset {
                Some(offset) => format!(
                    "{ptes} PTE(s) mapping {pfn} become swap entries (type 0, offset {offset}); the next access faults."
                ),
                None => format!(
                    "{ptes} PTE(s) mapping {pfn} are cleared; the next access faults it back from the page cache or the file."
                ),
            },

        /// `swap_writeout`: reclaim writes an anonymous folio to its slot.
        SwapWriteout {
            /// The folio.
            pfn: Pfn,
            /// The slot.
            offset: u64,
        }
            function: "swap_writeout",
            tracepoint: Some("vmscan:mm_vmscan_write_folio"),
            sentence: format!("{pfn} is written to swap slot {offset}."),

        /// `do_swap_page`: an access found a swap entry in the PTE.
        SwapIn {
            /// The process.
            pid: u32,
            /// The page's address.
            #[serde(with = "hex")]
            addr: u64,
            /// The slot.
            offset: u64,
            /// The folio now mapped.
            pfn: Pfn,
            /// Read from the disk (a major fault) rather than found in the swap cache.
            major: bool,
        }
            function: "do_swap_page",
            tracepoint: None,
            sentence: if *major {
                format!("process {pid}'s page {addr:#x} was in swap slot {offset}: read into {pfn}, a major fault.")
            } else {
                format!("process {pid}'s page {addr:#x} (swap slot {offset}) is still in the swap cache at {pfn}: a minor fault.")
            },

        /// `swap_vma_readahead`: a neighbouring swapped-out page read with the faulting
        /// one.
        SwapReadahead {
            /// The neighbour's address.
            #[serde(with = "hex")]
            addr: u64,
            /// Its slot.
            offset: u64,
            /// The folio it was read into.
            pfn: Pfn,
        }
            function: "swap_vma_readahead",
            tracepoint: None,
            sentence: format!("readahead: {addr:#x} (swap slot {offset}) is read into {pfn} as well."),

        /// `filemap_fault`: an access to a mapped file's page.
        FilemapFault {
            /// The process.
            pid: u32,
            /// The page's address.
            #[serde(with = "hex")]
            addr: u64,
            /// The file.
            file: Box<str>,
            /// The page's index in the file.
            index: u64,
            /// The page-cache page mapped.
            pfn: Pfn,
            /// Read from the disk (a major fault) rather than found in the page cache.
            major: bool,
        }
            function: "filemap_fault",
            tracepoint: None,
            sentence: if *major {
                format!("process {pid} touched {addr:#x}: page {index} of {file} is not cached; it is read into {pfn} (a major fault).")
            } else {
                format!("process {pid} touched {addr:#x}: page {index} of {file} is in the page cache at {pfn} (a minor fault).")
            },

        /// `do_sync_mmap_readahead`: a fault that missed the cache reads around it.
        MmapReadAround {
            /// The file.
            file: Box<str>,
            /// The faulting page.
            index: u64,
            /// The first page of the window.
            start: u64,
            /// Pages in the window (`ra_pages`).
            size: u64,
        }
            function: "do_sync_mmap_readahead",
            tracepoint: None,
            sentence: format!(
                "{file}: page {index} is not cached; read around it, pages {start}..{}.",
                start + size
            ),

        /// `drop_caches_sysctl_handler`: clean, unmapped page cache dropped.
        DropCaches {
            /// The value written (1, 2 or 3; 4 silences the log line).
            value: u8,
            /// Pages dropped.
            dropped: u64,
        }
            function: "drop_caches_sysctl_handler",
            tracepoint: None,
            sentence: format!("drop_caches {value}: {dropped} clean page(s) dropped from the page cache."),
    }
}
