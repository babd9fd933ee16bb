//! Freeing into the buddy allocator: merge with free buddies, then join a list
//! (`mm/page_alloc.c: free_one_page`, `split_large_buddy`, `__free_one_page`).

use super::events::{BuddyState, PageAllocEvent, Placement};
use super::node::Node;
use crate::event::Trace;
use crate::vocab::ZoneType;
use crate::vocab::{Pfn, MAX_PAGE_ORDER, PAGEBLOCK_ORDER};

/// `fpi_t` flags of the free path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fpi {
    /// No flags: ordinary frees place by `buddy_merge_likely`.
    None,
    /// `FPI_TO_TAIL`: boot-time and hot-plug frees go to the tail.
    ToTail,
}

impl Node {
    /// `free_one_page` → `split_large_buddy`: frees a block, in pageblock-sized pieces
    /// when it is larger than a pageblock (each piece takes its own pageblock's type),
    /// and lets each piece merge.
    pub fn free_one_page(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        fpi: Fpi,
        trace: &mut Trace,
    ) {
        let end = pfn.0 + (1u64 << order);
        let piece = order.min(PAGEBLOCK_ORDER);
        // The block stops being allocated (or on a per-CPU list); each piece's first
        // page is marked again when it joins a free list, merged or not.
        self.mem.clear_flags(pfn);
        let mut p = pfn.0;
        while p < end {
            let mt = self.mem.pageblock_mt(Pfn(p));
            self.free_one_page_inner(zt, Pfn(p), piece, mt, fpi, trace);
            p += 1u64 << piece;
        }
    }

    /// `__free_one_page`: merge with the buddy while it is free at the same order,
    /// then put the result on a list.
    ///
    /// The buddy of block B at order O is `B ^ (1 << O)`; the merged block starts at
    /// `B & buddy`. Freeing PFN 4097 (order 0) when 4096 is free gives order 1 at 4096;
    /// if 4098 is free at order 1, order 2 at 4096; and so on.
    fn free_one_page_inner(
        &mut self,
        zt: ZoneType,
        pfn: Pfn,
        order: u8,
        mt: crate::vocab::migrate::MigrateType,
        fpi: Fpi,
        trace: &mut Trace,
    ) {
        let (mut pfn, mut order) = (pfn, order);
        self.zones[zt.idx()].nr_free_pages += 1u64 << order;
        let mut buddy = pfn.buddy(order);
        while order < MAX_PAGE_ORDER {
            if self.capture.is_some() && self.compaction_capture(zt, pfn, order, mt, trace) {
                self.zones[zt.idx()].nr_free_pages -= 1u64 << order;
                return;
            }
            buddy = pfn.buddy(order);
            // Free at this order, and (from a pageblock up) of a type it may merge with.
            let free = self.page_is_buddy(zt, buddy, order);
            let buddy_mt = free.then(|| self.free_block_mt(buddy)).filter(|&bm| {
                order < PAGEBLOCK_ORDER || bm == mt || (mt.is_mergeable() && bm.is_mergeable())
            });
            let Some(buddy_mt) = buddy_mt else {
                let reason = if free {
                    BuddyState::PageblockType
                } else if !self.zones[zt.idx()].spans(buddy) {
                    BuddyState::OutsideZone
                } else if self.mem.valid(buddy) && self.mem.is_buddy(buddy) {
                    BuddyState::OtherOrder
                } else {
                    BuddyState::InUse
                };
                trace.push(|| PageAllocEvent::BuddyBusy {
                    zone: zt,
                    pfn,
                    buddy,
                    order,
                    reason,
                });
                break;
            };
            self.del_from_free_list(zt, buddy, order, buddy_mt);
            if buddy_mt != mt {
                // Match the buddy's pageblock type so a later expand() puts halves on
                // the right lists.
                self.mem.set_pageblock_mt(buddy, mt);
            }
            let merged = Pfn(pfn.0 & buddy.0);
            trace.push(|| PageAllocEvent::Merge {
                zone: zt,
                pfn,
                buddy,
                order,
                merged,
                buddy_mt,
            });
            pfn = merged;
            order += 1;
        }
        let placement = if fpi == Fpi::ToTail {
            Placement::TailRequested
        } else if self.buddy_merge_likely(zt, pfn, buddy, order) {
            Placement::TailMergeLikely
        } else {
            Placement::Head
        };
        self.add_to_free_list(zt, pfn, order, mt, placement != Placement::Head);
        trace.push(|| PageAllocEvent::AddFree {
            zone: zt,
            pfn,
            order,
            migratetype: mt,
            placement,
        });
    }

    /// `buddy_merge_likely`: if the block's parent (`pfn & buddy_pfn`) has a free buddy
    /// at `order + 1`, this block is likely to merge soon, so it goes to the tail where
    /// allocations will not take it first.
    fn buddy_merge_likely(&self, zt: ZoneType, pfn: Pfn, buddy_pfn: Pfn, order: u8) -> bool {
        if order >= MAX_PAGE_ORDER - 1 {
            return false;
        }
        let higher = Pfn(buddy_pfn.0 & pfn.0);
        self.page_is_buddy(zt, higher.buddy(order + 1), order + 1)
    }
}
