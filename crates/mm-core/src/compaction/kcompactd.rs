//! kcompactd0, the node's background compactor (`mm/compaction.c: wakeup_kcompactd`,
//! `kcompactd_node_suitable`, `kcompactd_do_work`, `kcompactd`, the proactive
//! compaction of `compact_node(pgdat, true)` and the fragmentation score).
//!
//! It is woken for an order when kswapd goes to sleep (after `reset_isolation_
//! suitable`), when an allocation that may not reclaim finds the node balanced at
//! order 0 but not at its own order, and at order 9 after kswapd reclaimed a boost.
//! Woken, it compacts each zone that is not deferred and where compaction is
//! suitable, in sync-light mode from the cached scanner positions. Every 500 ms it
//! also checks the node's fragmentation score: the share of free memory not in 2 MiB
//! blocks, weighted by zone size. Above `100 - compaction_proactiveness + 10` (90 by
//! default) it compacts every zone whole until each is at most `100 -
//! compaction_proactiveness` (80); if that did not lower the score, the next check is
//! 32 s later.
//!
//! Like kswapd0 here, it runs at fixed points so every number is reproducible: after
//! the command that woke it, once kswapd0 has finished, and on the clock's 500 ms
//! marks between commands (at most
//! [`crate::limits::PROACTIVE_RUNS_PER_COMMAND`] proactive runs per command, so a long
//! `sleep` stays bounded).

use super::events::{CompactResult, CompactionEvent, MigrateMode};
use super::CompactControl;
use crate::limits::PROACTIVE_RUNS_PER_COMMAND;
use crate::page_alloc::fragmentation::fill_contig_page_info;
use crate::page_alloc::zone::Zone;
use crate::vm::Vm;
use crate::vocab::gfp::GFP_KERNEL;
use crate::vocab::{GfpFlags, Watermark, ZoneType, MAX_NR_ZONES, PAGEBLOCK_ORDER};

/// `HPAGE_FRAG_CHECK_INTERVAL_MSEC`: the proactive check's period.
pub const FRAG_CHECK_INTERVAL_MS: u64 = 500;

/// kcompactd0's state (the `kcompactd_*` fields of `pg_data_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kcompactd {
    /// `kcompactd_max_order`: the largest order asked for since it last worked.
    pub max_order: u8,
    /// `kcompactd_highest_zoneidx`.
    pub highest: usize,
    /// Woken: it works after the command.
    pub woken: bool,
    /// `proactive_compact_trigger`: `compaction_proactiveness` was written.
    pub trigger: bool,
    /// When its timeout next ends (ms): the next proactive check.
    pub next_check_ms: u64,
}

impl Default for Kcompactd {
    fn default() -> Kcompactd {
        Kcompactd {
            max_order: 0,
            highest: MAX_NR_ZONES - 1,
            woken: false,
            trigger: false,
            next_check_ms: FRAG_CHECK_INTERVAL_MS,
        }
    }
}

/// `extfrag_for_order`: the percentage of free memory in blocks smaller than `order`.
pub fn extfrag_for_order(z: &Zone, order: u8) -> u64 {
    let info = fill_contig_page_info(&z.nr_free(), order);
    if info.free_pages == 0 {
        return 0;
    }
    (info.free_pages - (info.free_blocks_suitable << order)) * 100 / info.free_pages
}

/// `fragmentation_score_zone`: free memory not in pageblock-sized blocks, in percent.
pub fn fragmentation_score_zone(z: &Zone) -> u64 {
    extfrag_for_order(z, PAGEBLOCK_ORDER)
}

/// `fragmentation_score_wmark`: `100 - proactiveness` (low), plus a leeway of up
/// to 10 (high).
pub fn fragmentation_score_wmark(proactiveness: u64, low: bool) -> u64 {
    let wmark_low = 100u64.saturating_sub(proactiveness);
    let leeway = (wmark_low / 2).min(10);
    if low {
        wmark_low
    } else {
        (wmark_low + leeway).min(100)
    }
}

impl Vm<'_> {
    /// `fragmentation_score_node`: each zone's score weighted by its present pages.
    pub fn fragmentation_score_node(&self) -> u64 {
        let node_present: u64 = self.k.node.zones.iter().map(|z| z.present).sum();
        self.k
            .node
            .zones
            .iter()
            .filter(|z| z.populated())
            .map(|z| z.present * fragmentation_score_zone(z) / (node_present + 1))
            .sum()
    }

    /// `kcompactd_node_suitable`: some zone up to the highest asked for would
    /// compact for `max_order`.
    fn kcompactd_node_suitable(&mut self) -> bool {
        let kc = self.pr.kcompactd;
        let highest = ZoneType::from_idx(kc.highest).unwrap_or(ZoneType::Normal);
        (0..=kc.highest).any(|i| {
            let zt = ZoneType::from_idx(i).unwrap_or(ZoneType::Normal);
            self.k.node.zone(zt).populated()
                && self.compaction_suit_allocation_order(
                    zt,
                    kc.max_order,
                    highest,
                    Watermark::Min,
                    false,
                ) == CompactResult::Continue
        })
    }

    /// `wakeup_kcompactd`: raise the order and lower the zone it will work for, and
    /// wake it if it sleeps and compaction looks useful.
    pub(crate) fn wakeup_kcompactd(&mut self, order: u8, idx: usize) {
        if order == 0 {
            return;
        }
        let kc = &mut self.pr.kcompactd;
        kc.max_order = kc.max_order.max(order);
        kc.highest = kc.highest.min(idx);
        if kc.woken || !self.kcompactd_node_suitable() {
            return;
        }
        self.pr.kcompactd.woken = true;
        let zone = ZoneType::from_idx(idx).unwrap_or(ZoneType::Normal);
        self.k
            .trace
            .push(|| CompactionEvent::WakeupKcompactd { order, zone });
    }

    /// `kcompactd_do_work`: sync-light compaction of each zone up to the highest
    /// asked for, at `max_order`, skipping deferred and unsuitable zones.
    fn kcompactd_do_work(&mut self) {
        let kc = self.pr.kcompactd;
        let (order, idx) = (kc.max_order, kc.highest);
        let highest = ZoneType::from_idx(idx).unwrap_or(ZoneType::Normal);
        self.k.trace.push(|| CompactionEvent::KcompactdWake {
            order,
            zone: highest,
        });
        self.pr.stat.compact_daemon_wake += 1;
        for i in 0..=idx {
            let zt = ZoneType::from_idx(i).unwrap_or(ZoneType::Normal);
            if !self.k.node.zone(zt).populated() || self.compaction_deferred(zt, order) {
                continue;
            }
            if self.compaction_suit_allocation_order(zt, order, zt, Watermark::Min, false)
                != CompactResult::Continue
            {
                continue;
            }
            let mut cc = CompactControl::new(
                zt,
                order as i8,
                GfpFlags(GFP_KERNEL),
                MigrateMode::SyncLight,
            );
            cc.highest = highest;
            match self.compact_zone(&mut cc, Watermark::Min) {
                CompactResult::Success => self.compaction_defer_reset(zt, order, false),
                CompactResult::PartialSkipped | CompactResult::Complete => {
                    self.k.drain_all_pages();
                    self.defer_compaction(zt, order);
                }
                _ => {}
            }
            self.pr.stat.compact_daemon_migrate_scanned += cc.total_migrate_scanned;
            self.pr.stat.compact_daemon_free_scanned += cc.total_free_scanned;
        }
        let kc = &mut self.pr.kcompactd;
        if kc.max_order <= order {
            kc.max_order = 0;
        }
        if kc.highest >= idx {
            kc.highest = MAX_NR_ZONES - 1;
        }
    }

    /// `compact_node(pgdat, true)`: every zone whole, sync-light, until each zone's
    /// score is at the low mark.
    fn proactive_compact_node(&mut self) {
        for zt in ZoneType::ALL {
            if !self.k.node.zone(zt).populated() {
                continue;
            }
            let mut cc = CompactControl::new(zt, -1, GfpFlags(GFP_KERNEL), MigrateMode::SyncLight);
            cc.ignore_skip_hint = true;
            cc.whole_zone = true;
            cc.proactive = true;
            self.compact_zone(&mut cc, Watermark::Min);
            self.pr.stat.compact_daemon_migrate_scanned += cc.total_migrate_scanned;
            self.pr.stat.compact_daemon_free_scanned += cc.total_free_scanned;
        }
    }

    /// `should_proactive_compact_node` and the run it leads to; returns the next
    /// timeout (ms): 500, or 32 s when compaction did not lower the score.
    fn proactive_check(&mut self) -> u64 {
        let proactiveness = self.sysctl.compaction_proactiveness;
        if proactiveness == 0 || self.pr.kswapd.running() {
            return FRAG_CHECK_INTERVAL_MS;
        }
        let score = self.fragmentation_score_node();
        let high = fragmentation_score_wmark(proactiveness, false);
        if score <= high {
            return FRAG_CHECK_INTERVAL_MS;
        }
        self.k
            .trace
            .push(|| CompactionEvent::Proactive { score, high });
        self.proactive_compact_node();
        if self.fragmentation_score_node() >= score {
            FRAG_CHECK_INTERVAL_MS << super::COMPACT_MAX_DEFER_SHIFT
        } else {
            FRAG_CHECK_INTERVAL_MS
        }
    }

    /// kcompactd0's turn after a command: the work it was woken for, then its timed
    /// proactive checks up to the clock (`now`, ms).
    pub fn kcompactd_run(&mut self, now: u64) {
        if self.pr.kcompactd.woken {
            self.pr.kcompactd.woken = false;
            self.kcompactd_do_work();
            self.k.trace.push(|| CompactionEvent::KcompactdSleep {});
            self.pr.kcompactd.next_check_ms = now + FRAG_CHECK_INTERVAL_MS;
        }
        if std::mem::take(&mut self.pr.kcompactd.trigger) {
            let timeout = self.proactive_check();
            self.pr.kcompactd.next_check_ms = now + timeout;
        }
        let mut runs = 0;
        while self.pr.kcompactd.next_check_ms <= now {
            let at = self.pr.kcompactd.next_check_ms;
            if self.sysctl.compaction_proactiveness == 0 {
                // No timeout: it sleeps until woken.
                self.pr.kcompactd.next_check_ms = u64::MAX;
                break;
            }
            if runs >= PROACTIVE_RUNS_PER_COMMAND {
                self.pr.kcompactd.next_check_ms = now + FRAG_CHECK_INTERVAL_MS;
                break;
            }
            let before = self.pr.stat.compact_daemon_migrate_scanned;
            let timeout = self.proactive_check();
            if self.pr.stat.compact_daemon_migrate_scanned != before {
                runs += 1;
            }
            self.pr.kcompactd.next_check_ms = at + timeout;
        }
    }
}
