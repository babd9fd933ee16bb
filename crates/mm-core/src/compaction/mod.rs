//! Memory compaction (`mm/compaction.c`, `mm/migrate.c`): when free memory is
//! scattered in blocks too small for a request, move movable pages out of the way.
//!
//! A run (`compact_zone`) has two scanners. The **migration scanner** walks the zone
//! upward from its start, one pageblock at a time, taking movable pages (user pages
//! and page cache on the LRU) off their lists, at most 32 at a time. The **free
//! scanner** walks downward from the zone's end, taking free blocks out of the buddy
//! allocator as targets. Each taken page is copied to a target and its PTEs, page
//! cache or swap cache entries are pointed at the copy (`migrate_pages`); freeing the
//! original lets its buddies merge. The run stops when a free block of the wanted
//! order exists (`__compact_finished`) or the scanners meet. Slab, page-table,
//! kernel-stack and other kernel pages are not movable: one of them in a pageblock
//! keeps that pageblock from ever being wholly free.
//!
//! Where runs come from: direct compaction in the allocation slow path
//! (`try_to_compact_pages`, [`direct`]), kcompactd0 woken by kswapd on its way to
//! sleep or by an atomic request that failed, and its proactive compaction every
//! 500 ms ([`kcompactd`]), and `echo 1 > /proc/sys/vm/compact_memory`
//! (`compact_nodes`, in [`compact`]).
//!
//! Model: one node, no CPU or lock contention (so nothing is ever `CONTENDED` and
//! `too_many_isolated` never throttles), order-0 folios only (no THP), and pages under
//! writeback are never migrated (the kernel waits for writeback in `MIGRATE_SYNC`; here
//! writeback completes at the next tick, so the page fails with -EBUSY like in the
//! other modes).
//!
//! Start with [`compact`] (`compact_zone`), then [`isolate`] (the scanners) and
//! [`migrate`].

pub mod compact;
pub mod direct;
pub mod events;
pub mod fast;
pub mod isolate;
pub mod kcompactd;
pub mod migrate;

use crate::vmscan::lru::Folio;
use crate::vocab::{GfpFlags, MigrateType, ZoneType, NR_PAGE_ORDERS};
use events::MigrateMode;

/// `COMPACT_CLUSTER_MAX` (= `SWAP_CLUSTER_MAX`): pages isolated per batch.
pub const COMPACT_CLUSTER_MAX: u64 = 32;
/// `COMPACT_MAX_DEFER_SHIFT`: at most 64 attempts are skipped after failures.
pub const COMPACT_MAX_DEFER_SHIFT: u32 = 6;
/// `MAX_COMPACT_RETRIES`.
pub const MAX_COMPACT_RETRIES: u32 = 16;

/// `enum compact_priority`: lower is harder.
pub mod prio {
    /// `COMPACT_PRIO_SYNC_FULL` (`MIN_COMPACT_PRIORITY`): whole zone, skip hints and
    /// block types ignored.
    pub const SYNC_FULL: u8 = 0;
    /// `COMPACT_PRIO_SYNC_LIGHT` (`DEF_COMPACT_PRIORITY`, and the lowest a costly
    /// order goes).
    pub const SYNC_LIGHT: u8 = 1;
    /// `COMPACT_PRIO_ASYNC` (`INIT_COMPACT_PRIORITY`).
    pub const ASYNC: u8 = 2;
}

/// `struct compact_control`: one run's parameters and its isolated pages.
#[derive(Debug)]
pub struct CompactControl {
    /// The zone.
    pub zone: ZoneType,
    /// The order wanted; -1 for `compact_memory` (until the scanners meet).
    pub order: i8,
    /// `search_order`: where `fast_isolate_freepages` looks first.
    pub search_order: i8,
    /// The request's flags.
    pub gfp: GfpFlags,
    /// `gfp_migratetype(gfp_mask)`.
    pub migratetype: MigrateType,
    /// The highest zone the request may use.
    pub highest: ZoneType,
    /// The migrate mode.
    pub mode: MigrateMode,
    /// `direct_compaction`: for an allocation (not kcompactd or `compact_memory`).
    pub direct: bool,
    /// `whole_zone`: start at the zone's ends, not the cached positions.
    pub whole_zone: bool,
    /// `ignore_skip_hint`.
    pub ignore_skip_hint: bool,
    /// `ignore_block_suitable`: take free pages from any pageblock type.
    pub ignore_block_suitable: bool,
    /// `proactive_compaction`: kcompactd compacting ahead of need.
    pub proactive: bool,
    /// `finish_pageblock`: scan the rest of this pageblock whatever happens.
    pub finish_pageblock: bool,
    /// `migrate_pfn`: the migration scanner.
    pub migrate_pfn: u64,
    /// `free_pfn`: the free scanner.
    pub free_pfn: u64,
    /// `fast_start_pfn`: the lowest block the fast migration search picked
    /// (`u64::MAX` is the kernel's `ULONG_MAX`: used up).
    pub fast_start_pfn: u64,
    /// `fast_search_fail`: fast searches that found nothing (each halves the next
    /// one's scan limit).
    pub fast_search_fail: u32,
    /// `migratepages`, head first: the pages to migrate with their LRU records.
    pub migratepages: Vec<(u64, Folio)>,
    /// `nr_migratepages`.
    pub nr_migratepages: u64,
    /// `freepages[order]`, head first: isolated free blocks.
    pub freepages: [Vec<u64>; NR_PAGE_ORDERS],
    /// `nr_freepages`.
    pub nr_freepages: u64,
    /// `total_migrate_scanned`.
    pub total_migrate_scanned: u64,
    /// `total_free_scanned`.
    pub total_free_scanned: u64,
    /// Pages this run migrated (for the narration and the benchmark).
    pub nr_migrated: u64,
}

impl CompactControl {
    /// A control for `zone` with the given order and mode; the caller sets the rest.
    pub fn new(zone: ZoneType, order: i8, gfp: GfpFlags, mode: MigrateMode) -> CompactControl {
        CompactControl {
            zone,
            order,
            search_order: order,
            gfp,
            migratetype: gfp.migratetype().unwrap_or(MigrateType::Movable),
            highest: zone,
            mode,
            direct: false,
            whole_zone: false,
            ignore_skip_hint: false,
            ignore_block_suitable: false,
            proactive: false,
            finish_pageblock: false,
            migrate_pfn: 0,
            free_pfn: 0,
            fast_start_pfn: 0,
            fast_search_fail: 0,
            migratepages: Vec::new(),
            nr_migratepages: 0,
            freepages: Default::default(),
            nr_freepages: 0,
            total_migrate_scanned: 0,
            total_free_scanned: 0,
            nr_migrated: 0,
        }
    }

    /// `is_via_compact_memory`: no order, compact until the scanners meet.
    pub fn via_compact_memory(&self) -> bool {
        self.order < 0
    }

    /// `compact_scanners_met`: the free scanner is in or below the migration
    /// scanner's pageblock.
    pub fn scanners_met(&self) -> bool {
        self.free_pfn >> crate::vocab::PAGEBLOCK_ORDER
            <= self.migrate_pfn >> crate::vocab::PAGEBLOCK_ORDER
    }
}

/// `pageblock_start_pfn`.
pub fn pageblock_start(pfn: u64) -> u64 {
    pfn & !((1u64 << crate::vocab::PAGEBLOCK_ORDER) - 1)
}

/// `pageblock_end_pfn`.
pub fn pageblock_end(pfn: u64) -> u64 {
    pageblock_start(pfn) + (1u64 << crate::vocab::PAGEBLOCK_ORDER)
}
