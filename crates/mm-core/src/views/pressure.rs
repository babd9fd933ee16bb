//! [`PressureView`]: memory pressure at a glance: the LRU lists, the page cache's
//! dirty and writeback pages, swap, what kswapd0 is doing on the simulated clock, and
//! how much reclaim has scanned and freed (the `/proc/vmstat` counters).

use crate::machine::Machine;
use crate::vmscan::kswapd::KswapdState;
use serde::Serialize;

/// What kswapd0 is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum KswapdView {
    /// Asleep until an allocation finds a zone below its low watermark.
    Asleep,
    /// In `balance_pgdat` at this scan priority (12 scans 1/4096 of each list).
    Reclaiming {
        /// `sc.priority`.
        priority: u8,
        /// Pages freed in this run so far.
        reclaimed: u64,
    },
    /// Balanced, taking its 100 ms nap before sleeping (`kswapd_try_to_sleep`).
    Napping {
        /// The simulated time it wakes from the nap, ms.
        until_ms: u64,
    },
}

/// The pressure picture of a machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PressureView {
    /// Pages on each LRU list, in `enum lru_list` order (`LruList::ALL`):
    /// inactive_anon, active_anon, inactive_file, active_file, unevictable.
    pub lru: [u64; 5],
    /// Page-cache pages (`NR_FILE_PAGES`).
    pub file_pages: u64,
    /// Dirty page-cache pages (`NR_FILE_DIRTY`).
    pub dirty: u64,
    /// Pages under writeback (`NR_WRITEBACK`).
    pub writeback: u64,
    /// SwapTotal and SwapFree, pages.
    pub swap_total: u64,
    /// Free swap, pages.
    pub swap_free: u64,
    /// Pages in the swap cache (SwapCached).
    pub swap_cached: u64,
    /// pswpin, pswpout: pages read from and written to swap.
    pub pswp: [u64; 2],
    /// kswapd0.
    pub kswapd: KswapdView,
    /// The simulated clock, ms since boot.
    pub now_ms: u64,
    /// pgscan_kswapd, pgscan_direct.
    pub pgscan: [u64; 2],
    /// pgsteal_kswapd, pgsteal_direct.
    pub pgsteal: [u64; 2],
    /// allocstall_* summed: direct reclaim entries.
    pub allocstall: u64,
    /// workingset_refault_anon + workingset_refault_file.
    pub refaults: u64,
}

impl Machine {
    /// Memory pressure as it is now.
    pub fn pressure(&self) -> PressureView {
        let mi = self.meminfo();
        let st = &self.pr.stat;
        PressureView {
            lru: [
                mi.inactive_anon,
                mi.active_anon,
                mi.inactive_file,
                mi.active_file,
                // Nothing is mlocked in this model.
                0,
            ],
            file_pages: mi.file_pages,
            dirty: mi.dirty,
            writeback: mi.writeback,
            swap_total: mi.swap_total,
            swap_free: mi.swap_free,
            swap_cached: mi.swap_cached,
            pswp: [st.pswpin, st.pswpout],
            kswapd: match self.pr.kswapd.state {
                KswapdState::Asleep => KswapdView::Asleep,
                KswapdState::Running(b) => KswapdView::Reclaiming {
                    priority: b.priority,
                    reclaimed: b.nr_reclaimed,
                },
                KswapdState::Napping(until_ms) => KswapdView::Napping { until_ms },
            },
            now_ms: self.k.now_ms(),
            pgscan: st.pgscan,
            pgsteal: st.pgsteal,
            allocstall: st.allocstall.iter().sum(),
            refaults: st.workingset_refault.iter().sum(),
        }
    }
}
