//! Per-CPU page lists (`struct per_cpu_pages`): small blocks (orders 0-3) freed on a CPU
//! park on its lists, unmerged, and later allocations on that CPU take them back without
//! touching the zone lock. A teaching switch (`boot pcp=on`), off by default.
//!
//! The model keeps CPU 0's lists only (every command runs on CPU 0) and the kernel's
//! static sizes: `batch` from `zone_batchsize` and `high` from `zone_highsize`; the
//! v6.7+ adaptive scaling of `alloc_factor` and `free_count` is left out.

use super::events::PageAllocEvent;
use super::node::Node;
use super::rmqueue::AllocFlags;
use crate::event::Trace;
use crate::vocab::migrate::{MigrateType, MIGRATE_PCPTYPES};
use crate::vocab::{Pfn, PAGE_ALLOC_COSTLY_ORDER};
use crate::vocab::{Watermark, ZoneType};

/// Lists per zone: 3 migrate types × orders 0-3 (`NR_PCP_LISTS` without THP).
const NR_PCP_LISTS: usize = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER as usize + 1);

/// `struct per_cpu_pages` for one zone on CPU 0.
#[derive(Clone, Debug, Default)]
pub struct PerCpuPages {
    /// `lists[order_to_pindex(mt, order)]`: PFNs, the last element is the list head.
    pub lists: Vec<Vec<Pfn>>,
    /// `count`: pages (not blocks) on the lists.
    pub count: u64,
    /// `high`: above this the lists are drained back to the buddy allocator.
    pub high: u64,
    /// `batch`: blocks moved per refill, pages per drain.
    pub batch: u64,
}

/// `order_to_pindex`.
fn pindex(mt: MigrateType, order: u8) -> usize {
    MIGRATE_PCPTYPES * order as usize + mt.idx().min(MIGRATE_PCPTYPES - 1)
}

/// `pcp_allowed_order`: orders up to PAGE_ALLOC_COSTLY_ORDER (THP is off).
pub fn pcp_allowed_order(order: u8) -> bool {
    order <= PAGE_ALLOC_COSTLY_ORDER
}

/// `zone_batchsize`: `rounddown_pow_of_two(b + b/2) - 1` with `b = min(managed >> 12, 64)`
/// (at least 1), so 63 for any zone of 1 GiB or more.
pub fn zone_batchsize(managed: u64) -> u64 {
    let b = (managed >> 12).clamp(1, 64);
    let x = b + b / 2;
    let pow = 1u64 << (63 - x.leading_zeros());
    (pow - 1).max(1)
}

impl PerCpuPages {
    /// The lists for a zone, sized as `zone_pcp_init` + `zone_set_pageset_high_and_batch`
    /// do: `high = max(low_wmark / nr_cpus, 4 * batch)`.
    pub fn new(managed: u64, low_wmark: u64, nr_cpus: u64) -> PerCpuPages {
        let batch = zone_batchsize(managed);
        PerCpuPages {
            lists: vec![Vec::new(); NR_PCP_LISTS],
            count: 0,
            high: (low_wmark / nr_cpus.max(1)).max(batch * 4),
            batch,
        }
    }

    /// The blocks held, for the invariants and the UI: (pfn, order).
    pub fn blocks(&self) -> impl Iterator<Item = (Pfn, u8)> + '_ {
        self.lists.iter().enumerate().flat_map(|(i, l)| {
            let order = (i / MIGRATE_PCPTYPES) as u8;
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
        let empty = self.pcp.as_ref()?[zt.idx()].lists[idx].is_empty();
        if empty {
            let batch = self.pcp.as_ref()?[zt.idx()].batch;
            let want = if order == 0 {
                batch
            } else {
                (batch >> order).max(2)
            };
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

    /// `__free_frozen_pages` / `free_frozen_page_commit`: push the block on the head of its per-CPU list; drain
    /// `batch` pages from the list tails back to the buddy allocator once `count`
    /// reaches `high`.
    pub fn free_to_pcp(&mut self, zt: ZoneType, pfn: Pfn, order: u8, trace: &mut Trace) {
        let mt = self.mem.pageblock_mt(pfn);
        let idx = pindex(mt, order);
        self.mem.set_pcp(pfn, order);
        let Some(pcps) = self.pcp.as_mut() else {
            return;
        };
        let pcp = &mut pcps[zt.idx()];
        pcp.lists[idx].push(pfn);
        pcp.count += 1u64 << order;
        trace.push(|| PageAllocEvent::PcpPut {
            zone: zt,
            pfn,
            order,
        });
        if pcp.count >= pcp.high {
            let to_free = pcp.batch.max(1);
            self.free_pcppages_bulk(zt, to_free, idx, trace);
        }
    }

    /// `free_pcppages_bulk`: return at least `pages` pages from the tails of the lists
    /// (oldest first), starting with list `start`, round-robin.
    pub fn free_pcppages_bulk(
        &mut self,
        zt: ZoneType,
        pages: u64,
        start: usize,
        trace: &mut Trace,
    ) {
        let mut freed = 0;
        let mut idx = start;
        let mut victims = Vec::new();
        if let Some(pcps) = self.pcp.as_mut() {
            let pcp = &mut pcps[zt.idx()];
            let mut idle_rounds = 0;
            while freed < pages && pcp.count > 0 && idle_rounds < NR_PCP_LISTS {
                let order = (idx / MIGRATE_PCPTYPES) as u8;
                if pcp.lists[idx].is_empty() {
                    idle_rounds += 1;
                } else {
                    idle_rounds = 0;
                    let pfn = pcp.lists[idx].remove(0);
                    pcp.count -= 1u64 << order;
                    freed += 1u64 << order;
                    victims.push((pfn, order));
                }
                idx = (idx + 1) % NR_PCP_LISTS;
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
