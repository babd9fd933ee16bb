//! The page allocator's steps, as `include/trace/events/kmem.h` declares the kernel's:
//! fields, kernel function, tracepoint and sentence side by side.

use crate::event::define::define_events;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::{GfpFlags, MigrateType, Pfn, Watermark, ZoneType, MAX_PAGE_ORDER};
use serde::Serialize;

/// Why a freed block went to the head or the tail of its list.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum Placement {
    /// At the head: the next allocation of this order takes it first (LIFO, cache-hot).
    Head,
    /// At the tail because the caller asked (`FPI_TO_TAIL`: boot-time freeing).
    TailRequested,
    /// At the tail because `buddy_merge_likely` saw the next-order buddy free: leaving
    /// it alone gives it a chance to merge.
    TailMergeLikely,
}

/// Why `__free_one_page` stops merging: what it found at the buddy's PFN.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum BuddyState {
    /// Allocated, on a per-CPU list or reserved: not `PageBuddy`.
    InUse,
    /// Free, but heading a block of another order (`buddy_order` differs).
    OtherOrder,
    /// Free at this order, but from a pageblock up its migrate type may not merge with
    /// the freed block's (isolate/CMA/highatomic against the others).
    PageblockType,
    /// Outside the zone: blocks of different zones never merge.
    OutsideZone,
}

impl BuddyState {
    /// The reason in words.
    pub fn why(self) -> &'static str {
        match self {
            BuddyState::InUse => "it is in use",
            BuddyState::OtherOrder => "it is free at a different order",
            BuddyState::PageblockType => "its pageblock's migrate type may not merge with this one",
            BuddyState::OutsideZone => "it lies outside the zone",
        }
    }
}

fn list_name(zone: &ZoneType, order: &u8, mt: &MigrateType) -> String {
    format!("{zone} free_area[{order}].free_list[{mt}]")
}

/// "pageblock", or how many pageblocks a larger block spans.
fn pageblocks(order: u8) -> String {
    match order.saturating_sub(crate::vocab::PAGEBLOCK_ORDER) {
        0 => "pageblock".to_string(),
        n => format!("{} pageblocks", 1u32 << n),
    }
}

define_events! {
    /// One micro-step of the page allocator (`mm/page_alloc.c`).
    pub enum PageAllocEvent {
        /// `__alloc_pages`: an allocation request begins.
        AllocStart {
            /// Requested order.
            order: u8,
            /// The request's GFP flags.
            gfp: GfpFlags,
            /// `gfp_zone(gfp)`: the highest zone it may use.
            highest_zone: ZoneType,
            /// `gfp_migratetype(gfp)`.
            migratetype: MigrateType,
        }
            function: "__alloc_pages",
            tracepoint: None,
            sentence: format!(
                "request for 2^{order} page{} with {gfp}: zones up to {highest_zone}, \
                 {migratetype} lists first.",
                if *order == 0 { "" } else { "s" }
            ),

        /// `zone_watermark_ok`: a zone's free pages compared with a watermark.
        WatermarkCheck {
            /// The zone.
            zone: ZoneType,
            /// Requested order.
            order: u8,
            /// Which watermark.
            mark: Watermark,
            /// Free pages counted (after subtracting what the order cannot use).
            free: u64,
            /// Pages that must stay free: the mark (with discounts) plus `lowmem_reserve`.
            required: u64,
            /// Whether the zone may serve the request.
            ok: bool,
            /// Failed although the pages are there: no free block of `order` or larger
            /// on an unmovable, movable or reclaimable list (`__zone_watermark_ok`'s
            /// second half, for order > 0).
            no_block: bool,
        }
            function: "zone_watermark_ok",
            tracepoint: None,
            sentence: if *no_block {
                format!(
                    "{zone} has {free} usable free pages for order {order}, more than the {} \
                     mark's {required}, but no free block of order {order} or larger on \
                     the unmovable, movable or reclaimable lists: skip this zone.",
                    mark.name()
                )
            } else if !*ok && *mark == Watermark::High {
                format!(
                    "{zone} has {free} usable free pages for order {order}; the high mark \
                     needs more than {required}: below it, so the zone is flagged \
                     ZONE_BELOW_HIGH; check the request's own mark."
                )
            } else {
                format!(
                    "{zone} has {free} usable free pages for order {order}; the {} mark \
                     needs more than {required}: {}.",
                    mark.name(),
                    if *ok { "ok" } else { "too few, skip this zone" }
                )
            },

        /// `get_page_from_freelist`: retry the zonelist without `ALLOC_NOFRAGMENT`.
        NoFragmentRetry {}
            function: "get_page_from_freelist",
            tracepoint: None,
            sentence: "no zone could serve it without mixing pageblock types; retry the \
                       zonelist without ALLOC_NOFRAGMENT."
                .to_string(),

        /// `__alloc_pages_slowpath`: the fast path failed at the low mark; retry at min.
        SlowPath {
            /// The GFP flags.
            gfp: GfpFlags,
        }
            function: "__alloc_pages_slowpath",
            tracepoint: None,
            sentence: format!(
                "no zone passed its low-mark check (too few free pages, or no free block \
                 large enough); retry at the min mark{}.",
                if gfp.has(crate::vocab::gfp::__GFP_HIGH) {
                    " (halved for __GFP_HIGH)"
                } else {
                    ""
                }
            ),

        /// `__rmqueue_smallest`: looked at one order's list of one migrate type.
        ListLook {
            /// The zone.
            zone: ZoneType,
            /// The order looked at.
            order: u8,
            /// The list's migrate type.
            migratetype: MigrateType,
            /// The block at its head, if any.
            found: Option<Pfn>,
        }
            function: "__rmqueue_smallest",
            tracepoint: None,
            sentence: match found {
                Some(p) => format!(
                    "{} has block {p} at its head.",
                    list_name(zone, order, migratetype)
                ),
                None if *order >= MAX_PAGE_ORDER => format!(
                    "{} is empty, and there is no larger order.",
                    list_name(zone, order, migratetype)
                ),
                None => format!(
                    "{} is empty; try order {}.",
                    list_name(zone, order, migratetype),
                    order + 1
                ),
            },

        /// `del_page_from_free_list`: a block taken off the head of its list.
        TakeBlock {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
            /// The list it came from.
            migratetype: MigrateType,
        }
            function: "del_page_from_free_list",
            tracepoint: Some("kmem:mm_page_alloc_zone_locked"),
            sentence: format!(
                "take order-{order} block {pfn} off {}.",
                list_name(zone, order, migratetype)
            ),

        /// `expand`: a block split in two; the upper half goes to the head of the lower list.
        Split {
            /// The zone.
            zone: ZoneType,
            /// The block being split (the caller keeps its lower half).
            pfn: Pfn,
            /// The upper half, now free.
            upper: Pfn,
            /// The order of each half.
            order: u8,
            /// The list the upper half joins.
            migratetype: MigrateType,
        }
            function: "expand",
            tracepoint: None,
            sentence: format!(
                "split block {pfn} into two order-{order} halves; the upper half {upper} \
                 goes to the head of {}.",
                list_name(zone, order, migratetype)
            ),

        /// `try_to_claim_block`: pageblocks of another type re-typed for this request.
        ClaimBlock {
            /// The zone.
            zone: ZoneType,
            /// First PFN of the claimed range.
            pfn: Pfn,
            /// Order of the range (at least a pageblock's worth after rounding).
            order: u8,
            /// The type the blocks had.
            from: MigrateType,
            /// The type they now have.
            to: MigrateType,
        }
            function: "try_to_claim_block",
            tracepoint: Some("kmem:mm_page_alloc_extfrag"),
            sentence: format!(
                "claim the {from} pageblock(s) at {pfn} (order {order}) in {zone} for {to}."
            ),

        /// `move_to_free_list`: a free block of a claimed pageblock moves to the tail of
        /// the new type's list.
        MoveFree {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
            /// The list it leaves.
            from: MigrateType,
            /// The list it joins.
            to: MigrateType,
        }
            function: "move_to_free_list",
            tracepoint: None,
            sentence: format!(
                "free order-{order} block {pfn} moves from {zone}'s {from} list to the tail \
                 of its {to} list."
            ),

        /// `reserve_highatomic_pageblock` / `unreserve_highatomic_pageblock`: pageblocks
        /// join the highatomic reserve after a high-order atomic request succeeds in
        /// them, or leave it for the request's type when memory is short.
        Highatomic {
            /// The zone.
            zone: ZoneType,
            /// First PFN of the pageblock(s).
            pfn: Pfn,
            /// Order of the range: a pageblock, or the block if it is larger.
            order: u8,
            /// The type they had.
            from: MigrateType,
            /// The type they now have (`HighAtomic` when reserving).
            to: MigrateType,
            /// `nr_reserved_highatomic` afterwards: pages reserved in the zone.
            reserved: u64,
        }
            function: if *to == MigrateType::HighAtomic {
                "reserve_highatomic_pageblock"
            } else {
                "unreserve_highatomic_pageblock"
            },
            tracepoint: None,
            sentence: if *to == MigrateType::HighAtomic {
                format!(
                    "a high-order atomic request succeeded in the {from} {} at {pfn}: keep it \
                     for the next ones as HighAtomic ({reserved} pages of {zone} reserved, at \
                     most 1% of the zone).",
                    pageblocks(*order)
                )
            } else {
                format!(
                    "memory is short: the HighAtomic {} at {pfn} goes back to {to} ({reserved} \
                     pages of {zone} still reserved).",
                    pageblocks(*order)
                )
            },

        /// `__rmqueue_steal`: one block taken from another type's list without re-typing.
        StealBlock {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
            /// The list it was stolen from.
            from: MigrateType,
            /// The type the request wanted.
            to: MigrateType,
        }
            function: "__rmqueue_steal",
            tracepoint: Some("kmem:mm_page_alloc_extfrag"),
            sentence: format!(
                "steal order-{order} block {pfn} from {zone}'s {from} list for a {to} \
                 request, leaving its pageblock {from}."
            ),

        /// `boost_watermark`: a fragmenting fallback raised the zone's watermarks.
        WatermarkBoost {
            /// The zone.
            zone: ZoneType,
            /// The new `watermark_boost`.
            boost: u64,
        }
            function: "boost_watermark",
            tracepoint: None,
            sentence: format!(
                "the fallback fragments {zone}; its watermarks are boosted by {boost} pages."
            ),

        /// `balance_pgdat`: kswapd woke, had nothing to reclaim, and reset the boost.
        KswapdBoostReset {
            /// The zone.
            zone: ZoneType,
        }
            function: "balance_pgdat",
            tracepoint: None,
            sentence: format!(
                "kswapd wakes for {zone}, finds nothing to reclaim and clears the boost."
            ),

        /// The request is served.
        Allocated {
            /// The zone.
            zone: ZoneType,
            /// The first page.
            pfn: Pfn,
            /// The order.
            order: u8,
            /// What the block is for (the map colours its pages so from this step on).
            usage: PageUse,
        }
            function: "__alloc_pages",
            tracepoint: Some("kmem:mm_page_alloc"),
            sentence: format!(
                "done: order-{order} block {pfn} from {zone} (pages {pfn}-{:#x}).",
                pfn.0 + (1u64 << order) - 1
            ),

        /// `warn_alloc`: the request could not be served.
        AllocFailed {
            /// Requested order.
            order: u8,
            /// The GFP flags.
            gfp: GfpFlags,
        }
            function: "warn_alloc",
            tracepoint: None,
            sentence: format!(
                "page allocation failure: order:{order}, mode:{:#x}({gfp}).",
                gfp.0
            ),

        /// `__free_pages`: a block is given back.
        FreeStart {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
        }
            function: "__free_pages",
            tracepoint: Some("kmem:mm_page_free"),
            sentence: format!("free order-{order} block {pfn} back to {zone}."),

        /// `__free_one_page`: the buddy is not free at this order, so merging stops.
        BuddyBusy {
            /// The zone.
            zone: ZoneType,
            /// The block being freed, at its current order.
            pfn: Pfn,
            /// Its buddy (`pfn ^ (1 << order)`).
            buddy: Pfn,
            /// The current order.
            order: u8,
            /// What was found there.
            reason: BuddyState,
        }
            function: "__free_one_page",
            tracepoint: None,
            sentence: format!(
                "the order-{order} buddy of {pfn} is {buddy} ({pfn} ^ {:#x}); {}, so \
                 merging stops.",
                1u64 << order,
                reason.why()
            ),

        /// `__free_one_page`: the buddy is free at the same order; both merge.
        Merge {
            /// The zone.
            zone: ZoneType,
            /// The block being freed, at its current order.
            pfn: Pfn,
            /// Its buddy, taken off its list.
            buddy: Pfn,
            /// The order of each before merging.
            order: u8,
            /// The merged block, `pfn & buddy`, of order `order + 1`.
            merged: Pfn,
            /// The free list the buddy was on.
            buddy_mt: MigrateType,
        }
            function: "__free_one_page",
            tracepoint: None,
            sentence: format!(
                "the order-{order} buddy of {pfn} is {buddy}, and it is free: take it off \
                 its list and merge into order-{} block {merged}.",
                order + 1
            ),

        /// `__add_to_free_list`: a free block joins a list.
        AddFree {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
            /// The list's migrate type.
            migratetype: MigrateType,
            /// Head or tail, and why.
            placement: Placement,
        }
            function: "__add_to_free_list",
            tracepoint: None,
            sentence: format!(
                "block {pfn} joins the {} of {}.",
                match placement {
                    Placement::Head => "head",
                    Placement::TailRequested => "tail (boot-time free, FPI_TO_TAIL)",
                    Placement::TailMergeLikely => {
                        "tail (buddy_merge_likely: its parent's buddy is free)"
                    }
                },
                list_name(zone, order, migratetype)
            ),

        /// `rmqueue_pcplist`: served from the per-CPU list.
        PcpTake {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
        }
            function: "rmqueue_pcplist",
            tracepoint: None,
            sentence: format!("take order-{order} block {pfn} from CPU 0's {zone} per-cpu list."),

        /// `rmqueue_bulk`: the per-CPU list was empty and got refilled from the buddy lists.
        PcpRefill {
            /// The zone.
            zone: ZoneType,
            /// The order.
            order: u8,
            /// Blocks moved onto the per-CPU list.
            count: u32,
        }
            function: "rmqueue_bulk",
            tracepoint: None,
            sentence: format!(
                "CPU 0's {zone} per-cpu list for order {order} is empty; refill it with \
                 {count} block(s) from the buddy allocator."
            ),

        /// `free_frozen_page_commit` (from `__free_frozen_pages`): a freed block parks
        /// on the per-CPU list, unmerged.
        PcpPut {
            /// The zone.
            zone: ZoneType,
            /// The block.
            pfn: Pfn,
            /// Its order.
            order: u8,
        }
            function: "free_frozen_page_commit",
            tracepoint: None,
            sentence: format!(
                "order-{order} block {pfn} parks on CPU 0's {zone} per-cpu list, unmerged."
            ),

        /// `free_pcppages_bulk`: the per-CPU list went over `high`; blocks return to buddy.
        PcpDrain {
            /// The zone.
            zone: ZoneType,
            /// Pages returned.
            pages: u64,
        }
            function: "free_pcppages_bulk",
            tracepoint: Some("kmem:mm_page_pcpu_drain"),
            sentence: format!(
                "CPU 0's {zone} per-cpu lists exceed their high mark; {pages} page(s) \
                 return to the buddy allocator."
            ),

        /// `__setup_per_zone_wmarks`: a zone's watermarks were (re)computed.
        Watermarks {
            /// The zone.
            zone: ZoneType,
            /// WMARK_MIN.
            min: u64,
            /// WMARK_LOW.
            low: u64,
            /// WMARK_HIGH.
            high: u64,
        }
            function: "__setup_per_zone_wmarks",
            tracepoint: Some("kmem:mm_setup_per_zone_wmarks"),
            sentence: format!("{zone} watermarks are now min {min}, low {low}, high {high}."),
    }
}
