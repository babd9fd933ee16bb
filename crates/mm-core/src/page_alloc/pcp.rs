//! Per-CPU page lists (`struct per_cpu_pages`): small blocks (orders 0-3) freed on a CPU
//! park on its lists, unmerged, and later allocations on that CPU take them back without
//! touching the zone lock. A teaching switch (`boot pcp=on`), off by default.
//!
//! The model keeps CPU 0's lists only (every command runs on CPU 0), sized as v6.19
//! does: `batch` from `zone_batchsize`, `high_min` and `high_max` from `zone_highsize`
//! (the low watermark, and `managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION`, per CPU),
//! and the adaptive scaling: `high` auto-tuned between them (`nr_pcp_high`, grown by
//! refills while the zone is above its high watermark), refills of `batch <<
//! alloc_factor` pages (`nr_pcp_alloc`), frees of `free_count` pages clamped to
//! `[batch, high - batch]` (`nr_pcp_free`), each list drained before the next
//! (`free_pcppages_bulk`). Left out: `decay_pcp_high` (the vmstat worker's periodic
//! decay; the simulated clock has no background work yet) and reclaim's
//! `ZONE_RECLAIM_ACTIVE` (no reclaim yet). The CPU's data cache slice is taken to be
//! large enough to keep a batch of high-order frees (`PCPF_FREE_HIGH_BATCH`).

use super::events::PageAllocEvent;
use super::node::Node;
use super::rmqueue::AllocFlags;
use crate::event::Trace;
use crate::vocab::migrate::{MigrateType, MIGRATE_PCPTYPES};
use crate::vocab::{Pfn, PAGE_ALLOC_COSTLY_ORDER};
use crate::vocab::{Watermark, ZoneType};

/// `NR_LOWORDER_PCP_LISTS`: 3 migrate types × orders 0-3.
const NR_LOWORDER_PCP_LISTS: usize = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER as usize + 1);
/// `HPAGE_PMD_ORDER`: with THP compiled in (runtime "never" does not change this), a
/// 2 MiB block also has per-CPU lists.
const HPAGE_PMD_ORDER: u8 = 9;
/// `NR_PCP_LISTS`: the low-order lists plus `NR_PCP_THP` = 2 (movable and the rest).
const NR_PCP_LISTS: usize = NR_LOWORDER_PCP_LISTS + 2;

/// `CONFIG_PCP_BATCH_SCALE_MAX` (default 5): the largest `alloc_factor`, and the
/// scale of `free_count`'s cap.
pub const PCP_BATCH_SCALE_MAX: u32 = 5;

/// `MIN_PERCPU_PAGELIST_HIGH_FRACTION`: `high_max` is at most this fraction of the
/// zone's managed pages (split across the node's CPUs).
pub const MIN_PERCPU_PAGELIST_HIGH_FRACTION: u64 = 8;

/// `struct per_cpu_pages` for one zone on CPU 0.
#[derive(Clone, Debug, Default)]
pub struct PerCpuPages {
    /// `lists[order_to_pindex(mt, order)]`: PFNs, the last element is the list head.
    pub lists: Vec<Vec<Pfn>>,
    /// `count`: pages (not blocks) on the lists.
    pub count: u64,
    /// `high`: auto-tuned between `high_min` and `high_max` (0 until first used).
    pub high: u64,
    /// `high_min`: `zone_highsize` from the low watermark.
    pub high_min: u64,
    /// `high_max`: `zone_highsize` from `managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION`.
    pub high_max: u64,
    /// `batch`: the base of refills and drains.
    pub batch: u64,
    /// `alloc_factor`: refills grow to `batch << alloc_factor` while allocations run
    /// without frees; each free halves it.
    pub alloc_factor: u32,
    /// `free_count`: pages freed in a row (each allocation halves it).
    pub free_count: u64,
    /// `PCPF_PREV_FREE_HIGH_ORDER`: the last free was of order 1-3.
    pub prev_free_high_order: bool,
}

/// `order_to_pindex`: HighAtomic and CMA blocks use the movable lists (the caller frees
/// isolated ones straight to the buddy lists); a THP-sized block uses one of two lists.
fn pindex(mt: MigrateType, order: u8) -> usize {
    let mt = if mt.idx() >= MIGRATE_PCPTYPES {
        MigrateType::Movable
    } else {
        mt
    };
    if order > PAGE_ALLOC_COSTLY_ORDER {
        return NR_LOWORDER_PCP_LISTS + usize::from(mt == MigrateType::Movable);
    }
    MIGRATE_PCPTYPES * order as usize + mt.idx()
}

/// `pindex_to_order`.
fn pindex_to_order(pindex: usize) -> u8 {
    if pindex >= NR_LOWORDER_PCP_LISTS {
        HPAGE_PMD_ORDER
    } else {
        (pindex / MIGRATE_PCPTYPES) as u8
    }
}

/// `pcp_allowed_order`: orders up to PAGE_ALLOC_COSTLY_ORDER, and THP's order 9.
pub fn pcp_allowed_order(order: u8) -> bool {
    order <= PAGE_ALLOC_COSTLY_ORDER || order == HPAGE_PMD_ORDER
}

/// `zone_batchsize`: `rounddown_pow_of_two(b + b/2) - 1` with `b = min(managed >> 12, 64)`
/// (at least 1), so 63 for any zone of 1 GiB or more.
pub fn zone_batchsize(managed: u64) -> u64 {
    let b = (managed >> 12).clamp(1, 64);
    let x = b + b / 2;
    let pow = 1u64 << (63 - x.leading_zeros());
    (pow - 1).max(1)
}

/// `zone_highsize`: `total / nr_cpus`, at least `4 * batch`.
fn zone_highsize(total: u64, batch: u64, nr_cpus: u64) -> u64 {
    (total / nr_cpus.max(1)).max(batch << 2)
}

impl PerCpuPages {
    /// The lists for a zone, sized as `zone_pcp_init` + `zone_set_pageset_high_and_batch`
    /// do (with `percpu_pagelist_high_fraction` 0): `high_min` from the low watermark,
    /// `high_max` from an eighth of the managed pages; `high` 0 until first used.
    pub fn new(managed: u64, low_wmark: u64, nr_cpus: u64) -> PerCpuPages {
        let batch = zone_batchsize(managed);
        PerCpuPages {
            lists: vec![Vec::new(); NR_PCP_LISTS],
            batch,
            high_min: zone_highsize(low_wmark, batch, nr_cpus),
            high_max: zone_highsize(managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION, batch, nr_cpus),
            ..PerCpuPages::default()
        }
    }

    /// `high = clamp(high, high_min, high_max)`, as both tuners start.
    fn clamp_high(&mut self) -> u64 {
        self.high = self
            .high
            .clamp(self.high_min, self.high_max.max(self.high_min));
        self.high
    }

    /// `nr_pcp_alloc`: how many pages of `order` a refill takes, growing
    /// `alloc_factor` while order-0 allocations run without frees.
    fn nr_pcp_alloc(&mut self, order: u8, below_high: bool) -> u64 {
        let base = self.batch;
        let mut high = self.clamp_high();
        if high < base {
            return 1;
        }
        let mut batch = if order > 0 {
            base
        } else {
            base << self.alloc_factor
        };
        if self.high_min != self.high_max && !below_high {
            self.high = (high + batch).min(self.high_max);
            high = self.high;
        }
        if order == 0 {
            let max_nr_alloc = high.saturating_sub(self.count + base).max(base);
            if batch <= max_nr_alloc && self.alloc_factor < PCP_BATCH_SCALE_MAX {
                self.alloc_factor += 1;
            }
            batch = batch.min(max_nr_alloc);
        }
        if batch > 1 {
            batch = (batch >> order).max(2);
        }
        batch
    }

    /// `nr_pcp_high`: the count above which a free drains, tuning `high`.
    fn nr_pcp_high(&mut self, below_high: bool, free_high: bool) -> u64 {
        let (batch, high_min, high_max) = (self.batch, self.high_min, self.high_max);
        let high = self.clamp_high();
        if high == 0 {
            return 0;
        }
        if free_high {
            self.high = high
                .saturating_sub(batch << PCP_BATCH_SCALE_MAX)
                .max(high_min);
            return 0;
        }
        if high_min == high_max {
            return high;
        }
        if below_high {
            let free_count = self.free_count.max(batch);
            self.high = high.saturating_sub(free_count).max(high_min);
            return self.count.max(high_min);
        }
        if self.count >= high {
            let need_high = self.free_count + batch;
            if self.high < need_high {
                self.high = need_high.clamp(high_min, high_max);
            }
        }
        high
    }

    /// `nr_pcp_free`: how many pages a drain frees: `free_count` kept between `batch`
    /// and `high - batch` (everything up to `batch << 5` when freeing high orders in
    /// bulk).
    fn nr_pcp_free(&self, high: u64, free_high: bool) -> u64 {
        let batch = self.batch;
        if free_high {
            return self.count.min(batch << PCP_BATCH_SCALE_MAX);
        }
        if high < batch {
            return 1;
        }
        self.free_count.clamp(batch, high - batch)
    }

    /// The blocks held, for the invariants and the UI: (pfn, order).
    pub fn blocks(&self) -> impl Iterator<Item = (Pfn, u8)> + '_ {
        self.lists.iter().enumerate().flat_map(|(i, l)| {
            let order = pindex_to_order(i);
            l.iter().map(move |p| (*p, order))
        })
    }
}

impl Node {
    /// `rmqueue_pcplist`: take the head of CPU 0's list, refilling an empty list with
    /// `rmqueue_bulk` first.
    pub fn rmqueue_pcplist(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        let idx = pindex(mt, order);
        let below_high = self.zones[zt.idx()].below_high;
        let pcp = &mut self.pcp.as_mut()?[zt.idx()];
        // On allocation, fewer pages are batch-freed next time.
        pcp.free_count >>= 1;
        let empty = pcp.lists[idx].is_empty();
        if empty {
            let want = pcp.nr_pcp_alloc(order, below_high);
            let mut got = Vec::new();
            for _ in 0..want {
                match self.rmqueue(zt, order, mt, flags, trace) {
                    Some(p) => got.push(p),
                    None => break,
                }
            }
            if got.is_empty() {
                return None;
            }
            let count = got.len() as u32;
            for p in &got {
                self.mem.set_pcp(*p, order);
            }
            trace.push(|| PageAllocEvent::PcpRefill {
                zone: zt,
                order,
                count,
            });
            let pcp = &mut self.pcp.as_mut()?[zt.idx()];
            pcp.count += u64::from(count) << order;
            // list_add_tail in the order taken: the first block taken is the head.
            got.reverse();
            pcp.lists[idx].extend(got);
        }
        let pcp = &mut self.pcp.as_mut()?[zt.idx()];
        let pfn = pcp.lists[idx].pop()?;
        pcp.count -= 1u64 << order;
        trace.push(|| PageAllocEvent::PcpTake {
            zone: zt,
            pfn,
            order,
        });
        Some(pfn)
    }

    /// `__free_frozen_pages` / `free_frozen_page_commit`: push the block on the head of
    /// its per-CPU list; once `count` reaches `nr_pcp_high`, drain `nr_pcp_free` pages
    /// in chunks of at most `batch`, this block's list first.
    pub fn free_to_pcp(&mut self, zt: ZoneType, pfn: Pfn, order: u8, trace: &mut Trace) {
        let mt = self.mem.pageblock_mt(pfn);
        let idx = pindex(mt, order);
        self.mem.set_pcp(pfn, order);
        let below_high = self.zones[zt.idx()].below_high;
        let Some(pcps) = self.pcp.as_mut() else {
            return;
        };
        let pcp = &mut pcps[zt.idx()];
        pcp.alloc_factor >>= 1;
        pcp.lists[idx].push(pfn);
        pcp.count += 1u64 << order;
        trace.push(|| PageAllocEvent::PcpPut {
            zone: zt,
            pfn,
            order,
        });
        let batch = pcp.batch;
        let mut free_high = false;
        if order > 0 && order <= PAGE_ALLOC_COSTLY_ORDER {
            // PCPF_FREE_HIGH_BATCH is taken as set (a large enough cache slice).
            free_high = pcp.free_count >= batch + pcp.high_min / 2
                && pcp.prev_free_high_order
                && pcp.count >= batch;
            pcp.prev_free_high_order = true;
        } else {
            pcp.prev_free_high_order = false;
        }
        if pcp.free_count < batch << PCP_BATCH_SCALE_MAX {
            pcp.free_count += 1u64 << order;
        }
        let high = pcp.nr_pcp_high(below_high, free_high);
        if pcp.count < high {
            return;
        }
        let mut to_free = pcp.nr_pcp_free(high, free_high);
        while to_free > 0 {
            let count = self.pcp.as_ref().map_or(0, |p| p[zt.idx()].count);
            if count == 0 {
                break;
            }
            let chunk = to_free.min(batch);
            self.free_pcppages_bulk(zt, chunk, idx, trace);
            to_free -= chunk;
        }
        // Above the high watermark again: the zone is no longer below high.
        if self.zones[zt.idx()].below_high && self.high_watermark_ok(zt) {
            self.zones[zt.idx()].below_high = false;
        }
    }

    /// `free_pcppages_bulk`: return `pages` pages (at most the count) from the list
    /// tails, oldest first, starting with list `start` and draining each list before
    /// moving round-robin to the next.
    pub fn free_pcppages_bulk(
        &mut self,
        zt: ZoneType,
        pages: u64,
        start: usize,
        trace: &mut Trace,
    ) {
        let mut victims = Vec::new();
        let mut freed = 0;
        if let Some(pcps) = self.pcp.as_mut() {
            let pcp = &mut pcps[zt.idx()];
            let mut count = pages.min(pcp.count) as i64;
            let mut idx = (start + NR_PCP_LISTS - 1) % NR_PCP_LISTS;
            while count > 0 && pcp.count > 0 {
                loop {
                    idx = (idx + 1) % NR_PCP_LISTS;
                    if !pcp.lists[idx].is_empty() {
                        break;
                    }
                }
                let order = pindex_to_order(idx);
                let n = 1u64 << order;
                while count > 0 && !pcp.lists[idx].is_empty() {
                    let pfn = pcp.lists[idx].remove(0);
                    count -= n as i64;
                    pcp.count -= n;
                    freed += n;
                    victims.push((pfn, order));
                }
            }
        }
        if victims.is_empty() {
            return;
        }
        trace.push(|| PageAllocEvent::PcpDrain {
            zone: zt,
            pages: freed,
        });
        for (pfn, order) in victims {
            self.free_one_page(zt, pfn, order, super::free::Fpi::None, trace);
        }
    }

    /// `zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0)`.
    fn high_watermark_ok(&self, zt: ZoneType) -> bool {
        let mark = self.zones[zt.idx()].wmark_pages(Watermark::High);
        self.zone_watermark_ok(zt, 0, mark, ZoneType::Movable, AllocFlags::default())
            .0
    }

    /// Sizes CPU 0's lists for every zone (after the watermarks are known).
    pub fn setup_pcp(&mut self, nr_cpus: u64) {
        let lists = std::array::from_fn(|i| {
            let z = &self.zones[i];
            PerCpuPages::new(z.managed, z.watermark[Watermark::Low as usize], nr_cpus)
        });
        self.pcp = Some(lists);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_is_63_for_big_zones() {
        assert_eq!(zone_batchsize(262_144), 63);
        assert_eq!(zone_batchsize(4_000_000), 63);
        assert_eq!(zone_batchsize(3976), 1);
    }
}
