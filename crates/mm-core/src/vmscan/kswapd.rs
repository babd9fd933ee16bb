//! kswapd0, the node's background reclaimer (`mm/vmscan.c: wakeup_kswapd`, `kswapd`,
//! `kswapd_try_to_sleep`, `prepare_kswapd_sleep`, `pgdat_balanced`, `balance_pgdat`,
//! `kswapd_shrink_node`).
//!
//! The real kswapd runs beside the task that woke it. Here it runs at fixed points,
//! so every number is reproducible (ARCHITECTURE.md, "kswapd's schedule"):
//!
//! 1. An allocation in the slow path wakes it (`wake_all_kswapds`) unless the node is
//!    balanced (every zone up to the request's highest passes its high watermark,
//!    boost included) or it has failed 16 times.
//! 2. While it is awake, each time the command that woke it has allocated 32 more
//!    pages, kswapd0 takes a turn at the next page boundary: `balance_pgdat` passes
//!    (a priority each) until it has reclaimed 64 pages in the turn or its run ends:
//!    it runs twice as fast as the allocating task, so it gains on it as the real
//!    kswapd does on another CPU.
//! 3. When the command ends, it runs `balance_pgdat` to the end, then naps (HZ/10 =
//!    100 ms of simulated time); if the node is still balanced when the nap ends, it
//!    sleeps (`mm_vmscan_kswapd_sleep`). Woken during the nap, it counts
//!    `kswapd_low_wmark_hit_quickly`; unbalanced when the nap ends,
//!    `kswapd_high_wmark_hit_quickly`, and it reclaims again.

use super::events::{Reclaimer, VmscanEvent};
use super::shrink::ScanControl;
use super::{DEF_PRIORITY, MAX_RECLAIM_RETRIES, SWAP_CLUSTER_MAX};
use crate::vm::Vm;
use crate::vocab::{GfpFlags, Watermark, ZoneType, MAX_NR_ZONES};

/// `MAX_RECLAIM_RETRIES` failed runs make the node hopeless (`kswapd_failures`).
pub const KSWAPD_MAX_FAILURES: u32 = MAX_RECLAIM_RETRIES;
/// kswapd's nap before it sleeps: `HZ/10`.
pub const NAP_MS: u64 = 100;

/// What kswapd0 is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KswapdState {
    /// Asleep until an allocation wakes it.
    #[default]
    Asleep,
    /// Running `balance_pgdat`.
    Running(Balance),
    /// Balanced; napping until the clock reads this (ms).
    Napping(u64),
}

/// One `balance_pgdat` run in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Balance {
    /// `alloc_order`: the order kswapd0 was woken for.
    pub alloc_order: u8,
    /// `sc.order`.
    pub order: u8,
    /// `highest_zoneidx`.
    pub idx: usize,
    /// `sc.priority`.
    pub priority: u8,
    /// `nr_boost_reclaim`: boosted pages still to reclaim.
    pub nr_boost: u64,
    /// The boosts at entry (taken off when the run ends).
    pub zone_boosts: [u64; MAX_NR_ZONES],
    /// `sc.nr_reclaimed`.
    pub nr_reclaimed: u64,
}

/// kswapd0's state.
#[derive(Clone, Copy, Debug, Default)]
pub struct Kswapd {
    /// Asleep, running or napping.
    pub state: KswapdState,
    /// `kswapd_order`: the largest order a waker asked for.
    pub order: u8,
    /// `kswapd_highest_zoneidx` (None: `MAX_NR_ZONES`, unset).
    pub highest: Option<usize>,
    /// `kswapd_failures`.
    pub failures: u32,
    /// `wakeup_flusher_threads` was asked for.
    pub flusher_wanted: bool,
}

impl Kswapd {
    /// Whether kswapd0 is reclaiming.
    pub fn running(&self) -> bool {
        matches!(self.state, KswapdState::Running(_))
    }
}

impl Vm<'_> {
    /// `pgdat_balanced`: some managed zone up to `idx` passes its high watermark for
    /// `order` (free pages counted without the highatomic reserve, with the
    /// lowmem reserve of `idx`).
    pub fn pgdat_balanced(&self, order: u8, idx: usize) -> bool {
        let highest = ZoneType::from_idx(idx).unwrap_or(ZoneType::Normal);
        self.k.node.zones.iter().take(idx + 1).any(|z| {
            z.managed > 0
                && self.k.node.watermark_ok_with(
                    z.ztype,
                    order,
                    z.wmark_pages(Watermark::High),
                    highest,
                    z.nr_free_pages,
                )
        })
    }

    fn boost_up_to(&self, idx: usize) -> u64 {
        self.k
            .node
            .zones
            .iter()
            .take(idx + 1)
            .map(|z| z.watermark_boost)
            .sum()
    }

    /// `wake_all_kswapds` → `wakeup_kswapd`: raise kswapd's order and zone, and wake
    /// it unless it is hopeless or the node is balanced without boost.
    pub(crate) fn wake_all_kswapds(&mut self, order: u8, highest: ZoneType, gfp: GfpFlags) {
        let idx = highest.idx();
        let ks = &mut self.pr.kswapd;
        ks.highest = Some(ks.highest.map_or(idx, |h| h.max(idx)));
        ks.order = ks.order.max(order);
        if ks.running() {
            return;
        }
        if ks.failures >= KSWAPD_MAX_FAILURES
            || (self.pgdat_balanced(order, idx) && self.boost_up_to(idx) == 0)
        {
            // Nothing for kswapd0; a request that may not reclaim leaves the
            // high-order part to kcompactd0.
            if !gfp.has(crate::vocab::gfp::__GFP_DIRECT_RECLAIM) {
                self.wakeup_kcompactd(order, idx);
            }
            return;
        }
        let zone = self
            .k
            .node
            .zonelist(highest)
            .zones()
            .first()
            .copied()
            .unwrap_or(highest);
        self.k
            .trace
            .push(|| VmscanEvent::WakeupKswapd { zone, order, gfp });
        if let KswapdState::Napping(_) = self.pr.kswapd.state {
            // Woken during its nap: the low watermark was hit quickly.
            self.pr.stat.kswapd_low_wmark_hit_quickly += 1;
        }
        self.kswapd_start();
    }

    /// `kswapd`: read and reset the order and zone, start `balance_pgdat`.
    fn kswapd_start(&mut self) {
        let ks = &mut self.pr.kswapd;
        let order = ks.order;
        let idx = ks.highest.unwrap_or(MAX_NR_ZONES - 1);
        ks.order = 0;
        ks.highest = None;
        let zone = ZoneType::from_idx(idx).unwrap_or(ZoneType::Normal);
        self.k
            .trace
            .push(|| VmscanEvent::KswapdWake { order, zone });
        self.pr.stat.pageoutrun += 1;
        let mut zone_boosts = [0; MAX_NR_ZONES];
        for (i, z) in self.k.node.zones.iter().enumerate().take(idx + 1) {
            zone_boosts[i] = z.watermark_boost;
        }
        self.pr.kswapd.state = KswapdState::Running(Balance {
            alloc_order: order,
            order,
            idx,
            priority: DEF_PRIORITY,
            nr_boost: zone_boosts.iter().sum(),
            zone_boosts,
            nr_reclaimed: 0,
        });
        self.pr.since_kswapd_turn = 0;
    }

    /// A page boundary of the running command: kswapd0 takes its pass if the command
    /// has allocated 32 pages since its last one.
    pub(crate) fn kswapd_turn(&mut self) {
        if self.pr.kswapd.running() && self.pr.since_kswapd_turn >= SWAP_CLUSTER_MAX {
            self.pr.since_kswapd_turn = 0;
            let start = self.kswapd_reclaimed();
            let mut guard = 0;
            while guard < 2 * (DEF_PRIORITY as u32 + 1)
                && self.kswapd_reclaimed().saturating_sub(start) < 2 * SWAP_CLUSTER_MAX
                && self.balance_pgdat_pass()
            {
                guard += 1;
            }
        }
    }

    fn kswapd_reclaimed(&self) -> u64 {
        self.pr.stat.pgsteal[0]
    }

    /// One iteration of `balance_pgdat`'s priority loop. Returns false once the run
    /// has ended (kswapd0 then naps or runs again).
    fn balance_pgdat_pass(&mut self) -> bool {
        let KswapdState::Running(mut b) = self.pr.kswapd.state else {
            return false;
        };
        let balanced = self.pgdat_balanced(b.order, b.idx);
        if !balanced && b.nr_boost > 0 {
            // Not balanced even without the boost: reclaim normally, from 12.
            b.nr_boost = 0;
            b.priority = DEF_PRIORITY;
        }
        if balanced && b.nr_boost == 0 {
            self.balance_pgdat_end(b, true);
            return false;
        }
        let nr_to_reclaim: u64 = self
            .k
            .node
            .zones
            .iter()
            .take(b.idx + 1)
            .filter(|z| z.managed > 0)
            .map(|z| z.wmark_pages(Watermark::High).max(SWAP_CLUSTER_MAX))
            .sum();
        let mut sc = ScanControl::new(Reclaimer::Kswapd, nr_to_reclaim, b.idx);
        sc.priority = b.priority;
        sc.may_swap = b.nr_boost == 0;
        sc.nr_reclaimed = b.nr_reclaimed;
        // kswapd_age_node: with swap, age the active anon list when it is too big.
        if self.can_reclaim_anon() && self.inactive_is_low(super::lru::LruList::InactiveAnon) {
            self.shrink_active_list(SWAP_CLUSTER_MAX, super::lru::LruList::ActiveAnon, &mut sc);
        }
        let before = sc.nr_reclaimed;
        self.shrink_node(&mut sc);
        let pass = sc.nr_reclaimed - before;
        let mut raise = sc.nr_scanned.max(pass) < nr_to_reclaim;
        if b.nr_boost > 0 && b.priority == DEF_PRIORITY - 2 {
            raise = false;
        }
        if b.order > 0 && sc.nr_reclaimed >= 2u64 << b.order {
            b.order = 0;
        }
        let priority = b.priority;
        self.k.trace.push(|| VmscanEvent::BalancePass {
            priority,
            nr_to_reclaim,
            reclaimed: pass,
            balanced,
        });
        b.nr_reclaimed = sc.nr_reclaimed;
        b.nr_boost -= b.nr_boost.min(pass);
        if b.nr_boost > 0 && pass == 0 {
            self.balance_pgdat_end(b, false);
            return false;
        }
        if raise || pass == 0 {
            if b.priority <= 1 {
                self.balance_pgdat_end(b, false);
                return false;
            }
            b.priority -= 1;
        }
        self.pr.kswapd.state = KswapdState::Running(b);
        true
    }

    /// The end of `balance_pgdat`: a run that reclaimed nothing (unboosted) counts a
    /// failure; the boosts taken at entry come off; then `kswapd_try_to_sleep`.
    fn balance_pgdat_end(&mut self, b: Balance, reached_balance: bool) {
        let boosted = b.zone_boosts.iter().any(|x| *x > 0);
        if !reached_balance && b.nr_reclaimed == 0 && !boosted {
            self.pr.kswapd.failures += 1;
        }
        for (i, boost) in b.zone_boosts.iter().enumerate() {
            let z = &mut self.k.node.zones[i];
            z.watermark_boost -= z.watermark_boost.min(*boost);
        }
        if boosted {
            // The boost came from fragmenting fallbacks: compact a pageblock's worth.
            self.wakeup_kcompactd(crate::vocab::PAGEBLOCK_ORDER, b.idx);
        }
        self.snapshot_refaults();
        self.kswapd_try_to_sleep(b.alloc_order, b.order, b.idx);
    }

    /// `kswapd_try_to_sleep` (first half): balanced or hopeless, nap; otherwise go
    /// round again (`kswapd_high_wmark_hit_quickly`).
    fn kswapd_try_to_sleep(&mut self, alloc_order: u8, order: u8, idx: usize) {
        let ready =
            self.pr.kswapd.failures >= KSWAPD_MAX_FAILURES || self.pgdat_balanced(order, idx);
        if ready {
            // Before napping: forget compaction's skip hints where a direct run met
            // its scanners, and let kcompactd0 make the blocks reclaim could not.
            for zt in ZoneType::ALL {
                self.reset_isolation_suitable(zt);
            }
            self.wakeup_kcompactd(alloc_order, idx);
            let until = self.k.now_ms() + NAP_MS;
            self.pr.kswapd.state = KswapdState::Napping(until);
            self.k
                .trace
                .push(|| VmscanEvent::KswapdNap { asleep: false });
        } else {
            self.pr.stat.kswapd_high_wmark_hit_quickly += 1;
            self.pr.kswapd.order = self.pr.kswapd.order.max(order);
            self.pr.kswapd.highest = Some(self.pr.kswapd.highest.map_or(idx, |h| h.max(idx)));
            self.kswapd_start();
        }
    }

    /// After a command: kswapd0 finishes its run (bounded: each run ends by priority
    /// 1, and 16 fruitless runs make it give up).
    pub fn kswapd_finish(&mut self) {
        let mut guard = 0;
        while self.pr.kswapd.running() && guard < 64 * (DEF_PRIORITY as u32 + 1) {
            guard += 1;
            self.balance_pgdat_pass();
        }
        self.run_flusher_if_wanted();
    }

    /// The clock reached `now`: a nap that ended finds the node still balanced (sleep)
    /// or not (reclaim again, `kswapd_high_wmark_hit_quickly`).
    pub fn kswapd_timer(&mut self, now: u64) {
        if let KswapdState::Napping(until) = self.pr.kswapd.state {
            if now >= until {
                let idx = self.pr.kswapd.highest.unwrap_or(MAX_NR_ZONES - 1);
                if self.pr.kswapd.failures >= KSWAPD_MAX_FAILURES || self.pgdat_balanced(0, idx) {
                    self.pr.kswapd.state = KswapdState::Asleep;
                    self.k
                        .trace
                        .push(|| VmscanEvent::KswapdNap { asleep: true });
                    self.k.trace.push(|| VmscanEvent::KswapdSleep {});
                } else {
                    self.pr.stat.kswapd_high_wmark_hit_quickly += 1;
                    self.kswapd_start();
                    self.kswapd_finish();
                }
            }
        }
    }
}
