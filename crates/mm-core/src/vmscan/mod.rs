//! Memory pressure: files and the page cache, the LRU lists, reclaim (kswapd and
//! direct), writeback, and the allocation slow path that ties them to the OOM killer
//! (`mm/filemap.c`, `mm/readahead.c`, `mm/swap.c`, `mm/vmscan.c`, `mm/workingset.c`,
//! `mm/page-writeback.c`, `mm/page_alloc.c: __alloc_pages_slowpath`).
//!
//! Model: one node, classic LRU (not MGLRU), one simulated disk under `/data` whose
//! I/O completes at the next tick of the clock, no memory cgroups, no slab shrinkers.
//! Everything runs on a [`crate::vm::Vm`], which lends this subsystem's state
//! ([`Pressure`]) beside the page allocator, SLUB and the processes, because reclaim
//! unmaps pages from page tables and the slow path ends in the OOM killer.
//!
//! Start with [`lru`] (the lists), then [`filemap`] (how pages get there),
//! [`shrink`] (how they leave), [`kswapd`] and [`slowpath`].

pub mod commands;
pub mod error;
pub mod events;
pub mod filemap;
pub mod invariants;
pub mod kswapd;
pub mod lru;
pub mod rmap;
pub mod shrink;
pub mod slowpath;
pub mod swapfile;
pub mod writeback;

use crate::vocab::MAX_NR_ZONES;
use filemap::Fs;
use kswapd::Kswapd;
use lru::Lruvec;

/// `SWAP_CLUSTER_MAX`: reclaim's batch.
pub const SWAP_CLUSTER_MAX: u64 = 32;
/// `DEF_PRIORITY`: the first pass scans `size >> 12` of each list.
pub const DEF_PRIORITY: u8 = 12;
/// `MAX_RECLAIM_RETRIES`.
pub const MAX_RECLAIM_RETRIES: u32 = 16;
/// `PAGE_ALLOC_COSTLY_ORDER`.
pub const PAGE_ALLOC_COSTLY_ORDER: u8 = 3;

/// Reclaim's state on node 0 (the parts of `pglist_data` and `lruvec` it owns).
#[derive(Clone, Debug, Default)]
pub struct Pressure {
    /// The LRU lists.
    pub lru: Lruvec,
    /// The files under /data and their page cache.
    pub fs: Fs,
    /// kswapd0.
    pub kswapd: Kswapd,
    /// kcompactd0.
    pub kcompactd: crate::compaction::kcompactd::Kcompactd,
    /// Counters for /proc/vmstat.
    pub stat: VmscanStats,
    /// `lruvec->anon_cost`: recent cost of reclaiming anon (rotations, swap I/O).
    pub anon_cost: u64,
    /// `lruvec->file_cost`.
    pub file_cost: u64,
    /// `lruvec->nonresident_age`: evictions and activations, the workingset clock.
    pub nonresident_age: u64,
    /// `lruvec->refaults[]` at the last `snapshot_refaults`: workingset_activate
    /// anon and file.
    pub refaults: [u64; 2],
    /// `NR_FILE_DIRTY`.
    pub nr_dirty: u64,
    /// `NR_WRITEBACK`.
    pub nr_writeback: u64,
    /// Pages under writeback, completed at the next tick.
    pub in_flight: Vec<u64>,
    /// The swap area (`boot swap=SIZE`), if any.
    pub swap: Option<swapfile::SwapInfo>,
    /// Anonymous pages being written to swap, completed when the reclaim batch that
    /// wrote them ends.
    pub swap_in_flight: Vec<u64>,
    /// Pages the running command allocated since kswapd0 last had a turn.
    pub since_kswapd_turn: u64,
    /// The clock when the timers last ran (ms).
    pub last_timer_ms: u64,
    /// `drop_caches`' `stfu`: a write with bit 4 silenced the log line.
    pub drop_caches_quiet: bool,
    /// Set when the OOM killer found nothing to kill: the machine has panicked.
    pub panicked: Option<String>,
}

/// Reclaim's counters in /proc/vmstat (`enum vm_event_item`, node stats).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VmscanStats {
    /// `PGPGIN`, KiB read from the disk.
    pub pgpgin: u64,
    /// `PGPGOUT`, KiB written.
    pub pgpgout: u64,
    /// `PGACTIVATE`.
    pub pgactivate: u64,
    /// `PGDEACTIVATE`.
    pub pgdeactivate: u64,
    /// `PGREFILL`: folios scanned on active lists.
    pub pgrefill: u64,
    /// `PGMAJFAULT`.
    pub pgmajfault: u64,
    /// `PGSTEAL_KSWAPD`, `PGSTEAL_DIRECT`.
    pub pgsteal: [u64; 2],
    /// `PGSCAN_KSWAPD`, `PGSCAN_DIRECT`.
    pub pgscan: [u64; 2],
    /// `PGSCAN_ANON`, `PGSCAN_FILE`.
    pub pgscan_type: [u64; 2],
    /// `PGSTEAL_ANON`, `PGSTEAL_FILE`.
    pub pgsteal_type: [u64; 2],
    /// `ALLOCSTALL_<zone>`.
    pub allocstall: [u64; MAX_NR_ZONES],
    /// `PGSKIP_<zone>`.
    pub pgskip: [u64; MAX_NR_ZONES],
    /// `WORKINGSET_REFAULT_ANON`, `_FILE`.
    pub workingset_refault: [u64; 2],
    /// `WORKINGSET_ACTIVATE_ANON`, `_FILE`.
    pub workingset_activate: [u64; 2],
    /// `WORKINGSET_RESTORE_ANON`, `_FILE`.
    pub workingset_restore: [u64; 2],
    /// `KSWAPD_LOW_WMARK_HIT_QUICKLY`.
    pub kswapd_low_wmark_hit_quickly: u64,
    /// `KSWAPD_HIGH_WMARK_HIT_QUICKLY`.
    pub kswapd_high_wmark_hit_quickly: u64,
    /// `PAGEOUTRUN`: balance_pgdat runs.
    pub pageoutrun: u64,
    /// `PGROTATED`.
    pub pgrotated: u64,
    /// `DROP_PAGECACHE`.
    pub drop_pagecache: u64,
    /// `DROP_SLAB`.
    pub drop_slab: u64,
    /// `NR_DIRTIED`.
    pub nr_dirtied: u64,
    /// `NR_WRITTEN`.
    pub nr_written: u64,
    /// `NR_VMSCAN_IMMEDIATE`.
    pub nr_vmscan_immediate_reclaim: u64,
    /// `PSWPIN`: pages read from swap.
    pub pswpin: u64,
    /// `PSWPOUT`: pages written to swap.
    pub pswpout: u64,
    /// `SWAP_RA`: pages swap readahead read beyond the faulting one.
    pub swap_ra: u64,
    /// `SWAP_RA_HIT`: faults that found a readahead page in the swap cache.
    pub swap_ra_hit: u64,
    /// `NR_VMSCAN_WRITE`: pages reclaim wrote (`pageout`).
    pub nr_vmscan_write: u64,
    /// `PGMIGRATE_SUCCESS`: pages migrated.
    pub pgmigrate_success: u64,
    /// `PGMIGRATE_FAIL`: pages that could not be.
    pub pgmigrate_fail: u64,
    /// `COMPACTMIGRATE_SCANNED`: pages the migration scanner looked at.
    pub compact_migrate_scanned: u64,
    /// `COMPACTFREE_SCANNED`: pages the free scanner looked at.
    pub compact_free_scanned: u64,
    /// `COMPACTISOLATED`: pages isolated to migrate plus free pages isolated.
    pub compact_isolated: u64,
    /// `COMPACTSTALL`: direct compactions that ran.
    pub compact_stall: u64,
    /// `COMPACTFAIL`: direct compactions after which the page was not obtained.
    pub compact_fail: u64,
    /// `COMPACTSUCCESS`: direct compactions after which it was.
    pub compact_success: u64,
    /// `KCOMPACTD_WAKE`: kcompactd0's wake-ups to compact for an order.
    pub compact_daemon_wake: u64,
    /// `KCOMPACTD_MIGRATE_SCANNED`: pages its migration scanner looked at.
    pub compact_daemon_migrate_scanned: u64,
    /// `KCOMPACTD_FREE_SCANNED`: pages its free scanner looked at.
    pub compact_daemon_free_scanned: u64,
}
