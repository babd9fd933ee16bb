//! Taking blocks off the free lists (`mm/page_alloc.c: __rmqueue_smallest`, `expand`,
//! `__rmqueue`, `__rmqueue_claim`, `try_to_claim_block`, `__rmqueue_steal`).

use super::events::PageAllocEvent;
use super::memmap::PageUse;
use super::node::Node;
use crate::event::Trace;
use crate::vocab::MigrateType;
use crate::vocab::ZoneType;
use crate::vocab::{Pfn, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER};

/// `ALLOC_*` flags of the allocator, as far as this model uses them.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct AllocFlags {
    /// Which watermark to check.
    pub wmark: Option<crate::vocab::Watermark>,
    /// `ALLOC_NOFRAGMENT`: do not fall back into other types' pageblocks below a
    /// whole pageblock; try the next zone instead.
    pub nofragment: bool,
    /// `ALLOC_MIN_RESERVE` (`__GFP_HIGH`): may use half of the min reserve.
    pub min_reserve: bool,
    /// `ALLOC_NON_BLOCK` (cannot sleep): may use a further quarter.
    pub non_block: bool,
    /// `ALLOC_KSWAPD`: may wake kswapd.
    pub kswapd: bool,
    /// `ALLOC_HIGHATOMIC`: an order > 0 atomic request in the slow path, which may
    /// use (and then reserve) a highatomic pageblock.
    pub highatomic: bool,
}

impl Node {
    /// `__rmqueue_smallest`: the first non-empty list of type `mt` from `order` up;
    /// its head block is taken and split down to `order`.
    pub fn rmqueue_smallest(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        let zone = &self.zones[zt.idx()];
        let hit = zone.first_nonempty(order, mt);
        // The empty lists the kernel's loop looks at on the way, for the narration.
        if trace.enabled {
            for current in order..hit.unwrap_or(NR_PAGE_ORDERS as u8) {
                trace.push(|| PageAllocEvent::ListLook {
                    zone: zt,
                    order: current,
                    migratetype: mt,
                    found: None,
                });
            }
        }
        let current = hit?;
        let pfn = Pfn(u64::from(
            zone.free_area[current as usize].free_list[mt.idx()].head,
        ));
        trace.push(|| PageAllocEvent::ListLook {
            zone: zt,
            order: current,
            migratetype: mt,
            found: Some(pfn),
        });
        self.page_del_and_expand(zt, pfn, order, current, mt, trace);
        Some(pfn)
    }

    /// `page_del_and_expand`: takes the block off its list, then `expand`s it.
    fn page_del_and_expand(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        low: u8,
        high: u8,
        mt: MigrateType,
        trace: &mut Trace,
    ) {
        self.del_from_free_list(zt, pfn, high, mt);
        trace.push(|| PageAllocEvent::TakeBlock {
            zone: zt,
            pfn,
            order: high,
            migratetype: mt,
        });
        let added = self.expand(zt, pfn, low, high, mt, trace);
        self.zones[zt.idx()].nr_free_pages -= (1u64 << high) - added;
    }

    /// `expand`: splits a block of order `high` down to `low`. Each round halves it and
    /// puts the **upper** half on the **head** of the next lower list; the caller keeps
    /// the lowest PFN.
    ///
    /// Order 0 from an order-3 block at PFN 4096: 4100 goes to the order-2 list, 4098
    /// to order 1, 4097 to order 0, and the caller gets 4096. Returns the pages put back.
    pub fn expand(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        low: u8,
        high: u8,
        mt: MigrateType,
        trace: &mut Trace,
    ) -> u64 {
        let mut high = high;
        let mut added = 0;
        while high > low {
            high -= 1;
            let size = 1u64 << high;
            let upper = Pfn(pfn.0 + size);
            self.add_to_free_list(zt, upper, high, mt, false);
            trace.push(|| PageAllocEvent::Split {
                zone: zt,
                pfn,
                upper,
                order: high,
                migratetype: mt,
            });
            added += size;
        }
        added
    }

    /// `__rmqueue`: own type first, then claim another type's pageblock, then steal
    /// a block (not under `ALLOC_NOFRAGMENT`).
    pub fn rmqueue(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        if let Some(p) = self.rmqueue_smallest(zt, order, mt, trace) {
            return Some(p);
        }
        if let Some(p) = self.rmqueue_claim(zt, order, mt, flags, trace) {
            return Some(p);
        }
        if !flags.nofragment {
            return self.rmqueue_steal(zt, order, mt, trace);
        }
        None
    }

    /// `find_suitable_fallback`: the first fallback type with a free block of `order`.
    /// `Err(())` means "orders this low may not be claimed" (the kernel's -2).
    pub(crate) fn find_suitable_fallback(
        &self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        claimable: bool,
    ) -> Result<Option<MigrateType>, ()> {
        let area = &self.zones[zt.idx()].free_area[order as usize];
        if area.nr_free == 0 {
            return Ok(None);
        }
        if claimable && !should_try_claim_block(order, mt) {
            return Err(());
        }
        Ok(mt
            .fallbacks()
            .into_iter()
            .find(|f| !area.free_list[f.idx()].is_empty()))
    }

    /// `__rmqueue_claim`: the **largest** free block of a fallback type, whose
    /// pageblock is claimed for `mt` if enough of it is free or compatible.
    fn rmqueue_claim(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        let min_order = if order < PAGEBLOCK_ORDER && flags.nofragment {
            PAGEBLOCK_ORDER
        } else {
            order
        };
        for current in (min_order..NR_PAGE_ORDERS as u8).rev() {
            let fallback = match self.find_suitable_fallback(zt, current, mt, true) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(()) => break,
            };
            let head =
                self.zones[zt.idx()].free_area[current as usize].free_list[fallback.idx()].head;
            let pfn = Pfn(u64::from(head));
            if let Some(p) =
                self.try_to_claim_block(zt, pfn, current, order, mt, fallback, flags, trace)
            {
                return Some(p);
            }
        }
        None
    }

    /// `try_to_claim_block`: a block of at least a pageblock is re-typed whole; a
    /// smaller one's pageblock is claimed only if at least half of it (256 pages) is
    /// free or holds pages of a compatible type.
    #[allow(clippy::too_many_arguments)]
    fn try_to_claim_block(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        current: u8,
        order: u8,
        mt: MigrateType,
        block_mt: MigrateType,
        flags: AllocFlags,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        if current >= PAGEBLOCK_ORDER {
            self.del_from_free_list(zt, pfn, current, block_mt);
            let mut p = pfn.0;
            while p < pfn.0 + (1u64 << current) {
                self.mem.set_pageblock_mt(Pfn(p), mt);
                p += PAGEBLOCK_NR_PAGES;
            }
            trace.push(|| PageAllocEvent::ClaimBlock {
                zone: zt,
                pfn,
                order: current,
                from: block_mt,
                to: mt,
            });
            trace.push(|| PageAllocEvent::TakeBlock {
                zone: zt,
                pfn,
                order: current,
                migratetype: block_mt,
            });
            let added = self.expand(zt, pfn, order, current, mt, trace);
            self.zones[zt.idx()].nr_free_pages -= (1u64 << current) - added;
            return Some(pfn);
        }
        self.boost_watermark(zt, flags, trace);
        let start = Pfn(pfn.0 & !(PAGEBLOCK_NR_PAGES - 1));
        let zone = &self.zones[zt.idx()];
        if !zone.holds_pageblock(start) {
            return None;
        }
        let (free_pages, movable_pages) = self.count_pageblock(start);
        let alike = if mt == MigrateType::Movable {
            movable_pages
        } else if block_mt == MigrateType::Movable {
            PAGEBLOCK_NR_PAGES - (free_pages + movable_pages)
        } else {
            0
        };
        if free_pages + alike < PAGEBLOCK_NR_PAGES / 2 {
            return None;
        }
        self.move_freepages_block(zt, start, block_mt, mt, trace);
        self.mem.set_pageblock_mt(start, mt);
        trace.push(|| PageAllocEvent::ClaimBlock {
            zone: zt,
            pfn: start,
            order: PAGEBLOCK_ORDER,
            from: block_mt,
            to: mt,
        });
        self.rmqueue_smallest(zt, order, mt, trace)
    }

    /// `prep_move_freepages_block`: free pages and movable (user) pages in a pageblock.
    fn count_pageblock(&self, start: Pfn) -> (u64, u64) {
        let (mut free, mut movable) = (0, 0);
        let mut p = start.0;
        while p < start.0 + PAGEBLOCK_NR_PAGES {
            let pfn = Pfn(p);
            if self.mem.is_buddy(pfn) {
                let n = 1u64 << self.mem.order(pfn);
                free += n;
                p += n;
                continue;
            }
            if self.mem.is_head(pfn) {
                let n = 1u64 << self.mem.order(pfn);
                if self.mem.usage(pfn) == PageUse::User {
                    movable += n;
                }
                p += n;
                continue;
            }
            p += 1;
        }
        (free, movable)
    }

    /// `__move_freepages_block`: every free block of the pageblock moves to the tail
    /// of the new type's list.
    pub(crate) fn move_freepages_block(
        &mut self,
        zt: ZoneType,
        start: Pfn,
        from: MigrateType,
        to: MigrateType,
        trace: &mut Trace,
    ) {
        let mut p = start.0;
        while p < start.0 + PAGEBLOCK_NR_PAGES {
            let pfn = Pfn(p);
            if self.mem.is_buddy(pfn) {
                let order = self.mem.order(pfn);
                self.move_free_block(zt, pfn, order, from, to, trace);
                p += 1u64 << order;
            } else {
                p += 1;
            }
        }
    }

    /// `move_to_free_list`: one free block moves to the tail of another type's list,
    /// as a step.
    pub(crate) fn move_free_block(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        from: MigrateType,
        to: MigrateType,
        trace: &mut Trace,
    ) {
        self.move_to_free_list(zt, pfn, order, from, to);
        trace.push(|| PageAllocEvent::MoveFree {
            zone: zt,
            pfn,
            order,
            from,
            to,
        });
    }

    /// `boost_watermark`: a fragmenting fallback raises the zone's watermarks by a
    /// pageblock, up to `high * watermark_boost_factor / 10000` (factor 15000).
    fn boost_watermark(&mut self, zt: ZoneType, flags: AllocFlags, trace: &mut Trace) {
        let factor = self.boost_factor;
        let zone = &mut self.zones[zt.idx()];
        if factor == 0 || PAGEBLOCK_NR_PAGES * 4 > zone.managed {
            return;
        }
        let max_boost = (zone.watermark[crate::vocab::Watermark::High as usize] * factor / 10_000)
            .max(PAGEBLOCK_NR_PAGES);
        zone.watermark_boost = (zone.watermark_boost + PAGEBLOCK_NR_PAGES).min(max_boost);
        let boost = zone.watermark_boost;
        trace.push(|| PageAllocEvent::WatermarkBoost { zone: zt, boost });
        if flags.kswapd {
            // kswapd wakes; with nothing to reclaim in this model its balance_pgdat
            // round ends at once and drops the boost again.
            self.zones[zt.idx()].watermark_boost = 0;
            trace.push(|| PageAllocEvent::KswapdBoostReset { zone: zt });
        }
    }

    /// `__rmqueue_steal`: the **smallest** fallback block that fits, taken without
    /// re-typing its pageblock; its split halves stay on the fallback type's lists.
    fn rmqueue_steal(
        &mut self,
        zt: ZoneType,
        order: u8,
        mt: MigrateType,
        trace: &mut Trace,
    ) -> Option<Pfn> {
        for current in order..NR_PAGE_ORDERS as u8 {
            let Ok(Some(fallback)) = self.find_suitable_fallback(zt, current, mt, false) else {
                continue;
            };
            let head =
                self.zones[zt.idx()].free_area[current as usize].free_list[fallback.idx()].head;
            let pfn = Pfn(u64::from(head));
            trace.push(|| PageAllocEvent::StealBlock {
                zone: zt,
                pfn,
                order: current,
                from: fallback,
                to: mt,
            });
            self.page_del_and_expand(zt, pfn, order, current, fallback, trace);
            return Some(pfn);
        }
        None
    }
}

/// `should_try_claim_block`: whole pageblocks always; below that, only from order
/// `pageblock_order / 2` (4) up, unless the request is unmovable or reclaimable.
fn should_try_claim_block(order: u8, mt: MigrateType) -> bool {
    order >= PAGEBLOCK_ORDER
        || order >= PAGEBLOCK_ORDER / 2
        || mt == MigrateType::Reclaimable
        || mt == MigrateType::Unmovable
}
