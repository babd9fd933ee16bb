//! Compaction's steps (`include/trace/events/compaction.h`): the two scanners, the
//! pages they isolate, each page migrated, the checks that end a run, and deferral.
//! Fields, kernel function, tracepoint and sentence side by side.

use crate::event::define::define_events;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::{GfpFlags, MigrateType, Pfn, ZoneType};
use serde::Serialize;
use std::fmt;

/// `enum compact_result`, in the kernel's order: `try_to_compact_pages` keeps the
/// largest result over the zones it tried.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize)]
pub enum CompactResult {
    /// `COMPACT_NOT_SUITABLE_ZONE`: the fragmentation index says reclaim, not compaction.
    NotSuitableZone,
    /// `COMPACT_SKIPPED`: too few free pages to migrate into.
    Skipped,
    /// `COMPACT_DEFERRED`: recent failures put this zone off.
    Deferred,
    /// `COMPACT_NO_SUITABLE_PAGE`: not done yet (read as CONTINUE).
    NoSuitablePage,
    /// `COMPACT_CONTINUE`.
    Continue,
    /// `COMPACT_COMPLETE`: the scanners met after a whole-zone run.
    Complete,
    /// `COMPACT_PARTIAL_SKIPPED`: the scanners met after a run from cached positions.
    PartialSkipped,
    /// `COMPACT_CONTENDED`.
    Contended,
    /// `COMPACT_SUCCESS`: a free block of the wanted order exists.
    Success,
}

impl fmt::Display for CompactResult {
    /// The names the tracepoints print (`compaction_status_string`).
    #[inline(never)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompactResult::NotSuitableZone => "not_suitable_zone",
            CompactResult::Skipped => "skipped",
            CompactResult::Deferred => "deferred",
            CompactResult::NoSuitablePage => "no_suitable_page",
            CompactResult::Continue => "continue",
            CompactResult::Complete => "complete",
            CompactResult::PartialSkipped => "partial_skipped",
            CompactResult::Contended => "contended",
            CompactResult::Success => "success",
        })
    }
}

/// `enum migrate_mode`, as compaction uses it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize)]
pub enum MigrateMode {
    /// `MIGRATE_ASYNC`: never block; skip pages under writeback.
    Async,
    /// `MIGRATE_SYNC_LIGHT`: may block, but not on writeback.
    SyncLight,
    /// `MIGRATE_SYNC`: `compact_memory`.
    Sync,
}

impl fmt::Display for MigrateMode {
    #[inline(never)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MigrateMode::Async => "async",
            MigrateMode::SyncLight => "sync_light",
            MigrateMode::Sync => "sync",
        })
    }
}

/// Which deferral step a [`CompactionEvent::Defer`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum DeferStep {
    /// `compaction_deferred` returned true: this attempt is skipped.
    Deferred,
    /// `defer_compaction`: a failure.
    DeferCompaction,
    /// `compaction_defer_reset`: a success.
    DeferReset,
}

/// An order as compaction prints it: -1 is `compact_memory` (no order: the whole zone).
fn order_name(order: i8) -> String {
    if order < 0 {
        "none (compact_memory)".to_string()
    } else {
        format!("order-{order}")
    }
}

define_events! {
    /// Compaction steps.
    pub enum CompactionEvent {
        /// `try_to_compact_pages`: direct compaction for an allocation.
        TryToCompact {
            /// The allocation's order.
            order: u8,
            /// Its flags.
            gfp: GfpFlags,
            /// `enum compact_priority`: 2 async, 1 sync-light, 0 sync-full.
            priority: u8,
        }
            function: "try_to_compact_pages",
            tracepoint: Some("compaction:mm_compaction_try_to_compact_pages"),
            sentence: format!("direct compaction for an order-{order} {gfp} request at priority {priority} ({}).", ["sync full: whole zone, skip hints ignored", "sync light", "async"][(*priority).min(2) as usize]),

        /// `compaction_suitable`: enough free pages to migrate into, and fragmentation
        /// (not a lack of memory) is the problem?
        Suitable {
            /// The zone.
            zone: ZoneType,
            /// The order wanted.
            order: u8,
            /// CONTINUE, SKIPPED or NOT_SUITABLE_ZONE.
            ret: CompactResult,
            /// Free pages.
            free: u64,
            /// What they must exceed: the watermark plus the compaction gap.
            needed: u64,
            /// The fragmentation index for the order, if it was asked (orders above 3).
            fragindex: Option<i32>,
        }
            function: "compaction_suitable",
            tracepoint: Some("compaction:mm_compaction_suitable"),
            sentence: match ret {
                CompactResult::Skipped => format!("{zone}: {free} free page(s) do not exceed {needed} (watermark + 2<<{order}): too little free memory to compact into; reclaim first."),
                CompactResult::NotSuitableZone => format!("{zone}: fragmentation index {} is at most extfrag_threshold 500: the failure is a lack of memory, not fragmentation.", fragindex.map_or(0, |f| f)),
                _ => format!("{zone}: {free} free page(s) exceed {needed}{}: compaction may help.", fragindex.map_or(String::new(), |f| format!(", fragmentation index {f}"))),
            },

        /// Deferral (`mm_compaction_defer_template`): an attempt skipped
        /// (`compaction_deferred`), a failure that defers the next ones
        /// (`defer_compaction`), or a success that resets it (`compaction_defer_reset`).
        Defer {
            /// Which of the three.
            step: DeferStep,
            /// The zone.
            zone: ZoneType,
            /// The order.
            order: u8,
            /// `compact_order_failed`.
            order_failed: u8,
            /// `compact_considered`.
            considered: u32,
            /// `1 << compact_defer_shift`.
            limit: u32,
        }
            function: match step {
                DeferStep::Deferred => "compaction_deferred",
                DeferStep::DeferCompaction => "defer_compaction",
                DeferStep::DeferReset => "compaction_defer_reset",
            },
            tracepoint: Some(match step {
                DeferStep::Deferred => "compaction:mm_compaction_deferred",
                DeferStep::DeferCompaction => "compaction:mm_compaction_defer_compaction",
                DeferStep::DeferReset => "compaction:mm_compaction_defer_reset",
            }),
            sentence: match step {
                DeferStep::Deferred => format!("{zone}: compaction failed at order {order_failed} lately; attempt {considered} of {limit} is skipped."),
                DeferStep::DeferCompaction => format!("{zone}: compaction did not help; the next {limit} attempt(s) at order {order_failed} or above are skipped."),
                DeferStep::DeferReset => format!("{zone}: order {order} is served; orders below {order_failed} are not deferred."),
            },

        /// `compact_zone`: a run starts, the scanners at their places.
        Begin {
            /// The zone.
            zone: ZoneType,
            /// `zone_start_pfn`.
            zone_start: Pfn,
            /// The migration scanner's start.
            migrate_pfn: Pfn,
            /// The free scanner's start.
            free_pfn: Pfn,
            /// `zone_end_pfn`.
            zone_end: Pfn,
            /// The migrate mode.
            mode: MigrateMode,
            /// The order wanted (-1: `compact_memory`).
            order: i8,
        }
            function: "compact_zone",
            tracepoint: Some("compaction:mm_compaction_begin"),
            sentence: format!("compacting {zone} for {} ({mode}): the migration scanner starts at {migrate_pfn} and moves up, the free scanner at {free_pfn} and moves down.", order_name(*order)),

        /// `isolate_migratepages_block`: the migration scanner took movable pages off
        /// the LRU.
        IsolateMigrate {
            /// The first PFN scanned.
            start: Pfn,
            /// Where the scanner stopped.
            end: Pfn,
            /// Pages looked at.
            nr_scanned: u64,
            /// Pages isolated to migrate.
            nr_taken: u64,
        }
            function: "isolate_migratepages_block",
            tracepoint: Some("compaction:mm_compaction_isolate_migratepages"),
            sentence: format!("migration scanner: {start}-{end}: {nr_scanned} page(s) looked at, {nr_taken} movable page(s) taken off the LRU."),

        /// `isolate_freepages_block` (or its fast search of the free lists): the free
        /// scanner took free blocks to migrate into.
        IsolateFree {
            /// The first PFN scanned.
            start: Pfn,
            /// Where the scanner stopped.
            end: Pfn,
            /// Pages looked at.
            nr_scanned: u64,
            /// Free pages isolated.
            nr_taken: u64,
            /// From `fast_isolate_freepages` (a search of the free lists).
            fast: bool,
        }
            function: if *fast { "fast_isolate_freepages" } else { "isolate_freepages_block" },
            tracepoint: Some(if *fast { "compaction:mm_compaction_fast_isolate_freepages" } else { "compaction:mm_compaction_isolate_freepages" }),
            sentence: format!("free scanner: {start}-{end}: {nr_scanned} page(s) looked at, {nr_taken} free page(s) taken as targets."),

        /// `__isolate_free_page`: one free block leaves its list for the free scanner.
        FreeIsolated {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
            /// The list it was on.
            migratetype: MigrateType,
        }
            function: "__isolate_free_page",
            tracepoint: None,
            sentence: format!("free block {pfn} (order {order}) leaves the {migratetype} list to receive migrated pages."),

        /// `migrate_folio_move`: one page copied to a free page, its mappings moved.
        Migrate {
            /// The page moved.
            from: Pfn,
            /// Where it went.
            to: Pfn,
            /// What it is (user or page cache).
            usage: PageUse,
            /// PTEs rewritten to the new frame.
            ptes: u32,
        }
            function: "migrate_folio_move",
            tracepoint: None,
            sentence: format!("{} page {from} copied to {to}; {ptes} PTE(s) now point at {to}, and {from} is freed.", usage.name()),

        /// `migrate_folio_unmap` refused a page under writeback (only `MIGRATE_SYNC`
        /// waits for writeback, and writeback here ends at the next tick): -EBUSY.
        MigrateFail {
            /// The page.
            pfn: Pfn,
        }
            function: "migrate_folio_unmap",
            tracepoint: None,
            sentence: format!("page {pfn} is under writeback and cannot move now (-EBUSY); it goes back to the LRU."),

        /// `compact_zone` after `migrate_pages`.
        MigratePages {
            /// Pages migrated.
            nr_migrated: u64,
            /// Pages that could not be.
            nr_failed: u64,
        }
            function: "migrate_pages",
            tracepoint: Some("compaction:mm_compaction_migratepages"),
            sentence: format!("{nr_migrated} page(s) migrated, {nr_failed} failed."),

        /// `compaction_capture`: a freed block of the wanted order went straight to the
        /// allocation that is compacting.
        Capture {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
        }
            function: "compaction_capture",
            tracepoint: None,
            sentence: format!("freeing a migrated page made order-{order} block {pfn}: captured for the waiting allocation before anyone else can take it."),

        /// `__compact_finished`: stop, or scan on?
        Finished {
            /// The zone.
            zone: ZoneType,
            /// The order wanted (-1: `compact_memory`).
            order: i8,
            /// The verdict.
            ret: CompactResult,
        }
            function: "__compact_finished",
            tracepoint: Some("compaction:mm_compaction_finished"),
            sentence: match ret {
                CompactResult::Success => format!("{zone} has a free block of order {order} or more of the right type: done."),
                CompactResult::Complete | CompactResult::PartialSkipped => format!("{zone}: the scanners met: the run is over ({ret})."),
                CompactResult::NoSuitablePage => format!("{zone}: no free block of order {order} yet: scan on."),
                _ => format!("{zone}: {ret}: scan on."),
            },

        /// `compact_zone`: the run ends.
        End {
            /// The zone.
            zone: ZoneType,
            /// `zone_start_pfn`.
            zone_start: Pfn,
            /// The migration scanner's position.
            migrate_pfn: Pfn,
            /// The free scanner's position.
            free_pfn: Pfn,
            /// `zone_end_pfn`.
            zone_end: Pfn,
            /// The migrate mode.
            mode: MigrateMode,
            /// The result.
            status: CompactResult,
        }
            function: "compact_zone",
            tracepoint: Some("compaction:mm_compaction_end"),
            sentence: format!("{zone}: compaction ends ({status}) with the migration scanner at {migrate_pfn} and the free scanner at {free_pfn}."),

        /// `wakeup_kcompactd`: kcompactd0 is woken for an order.
        WakeupKcompactd {
            /// The order.
            order: u8,
            /// The highest zone to compact.
            zone: ZoneType,
        }
            function: "wakeup_kcompactd",
            tracepoint: Some("compaction:mm_compaction_wakeup_kcompactd"),
            sentence: format!("wake kcompactd0 to make order-{order} blocks in zones up to {zone} in the background."),

        /// `kcompactd_do_work`: kcompactd0 compacts.
        KcompactdWake {
            /// The order.
            order: u8,
            /// The highest zone.
            zone: ZoneType,
        }
            function: "kcompactd_do_work",
            tracepoint: Some("compaction:mm_compaction_kcompactd_wake"),
            sentence: format!("kcompactd0 wakes: sync-light compaction for order {order} in each zone up to {zone} that is not deferred."),

        /// `kcompactd`: back to sleep.
        KcompactdSleep {}
            function: "kcompactd",
            tracepoint: Some("compaction:mm_compaction_kcompactd_sleep"),
            sentence: "kcompactd0 sleeps (it checks fragmentation again in 500 ms).".to_string(),

        /// `should_proactive_compact_node`: the node's fragmentation score is above the
        /// high mark; kcompactd0 compacts ahead of need.
        Proactive {
            /// `fragmentation_score_node`.
            score: u64,
            /// `fragmentation_score_wmark(false)`.
            high: u64,
        }
            function: "should_proactive_compact_node",
            tracepoint: None,
            sentence: format!("{score}% of free memory is outside 2 MiB blocks (weighted by zone), above {high}: proactive compaction of every zone."),
    }
}
