//! Typed micro-step events: what the UI animates, the narration reads and tests compare.
//!
//! Every variant is one step a student should see, names the kernel function it models
//! ([`Event::function`]) and renders to one sentence ([`Event::text`]). Applying a
//! command's events in order to the state before it yields every intermediate picture.

use crate::gfp::GfpFlags;
use crate::migrate::MigrateType;
use crate::types::Pfn;
use crate::zone::{Watermark, ZoneType};
use serde::Serialize;

/// Addresses and page-table entries serialize as `"0x..."` strings: JavaScript numbers
/// cannot hold 64-bit values such as `0xffff888001000000` or an NX PTE exactly.
mod hex {
    use serde::Serializer;

    /// Serializes a u64 as a `0x` hex string.
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:#x}"))
    }
}

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

/// How a slab moved between CPU 0, the node's partial list and "full".
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum SlabTransition {
    /// The CPU slab ran out of free objects and was let go as full.
    CpuFull,
    /// A slab from the node's partial list became the CPU slab (`get_partial_node`).
    PartialToCpu,
    /// A full slab had an object freed and joined the partial list's tail.
    FullToPartial,
    /// The CPU slab was flushed onto the head of the partial list (`deactivate_slab`).
    CpuToPartial,
}

/// What a page fault (or a write to a write-protected page) did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum FaultKind {
    /// No fault: the page was mapped already.
    None,
    /// The PTE was empty (`do_pte_missing`).
    Missing,
    /// A write hit a write-protected PTE (`do_wp_page`).
    WriteProtected,
    /// A read mapped the shared zero page.
    ZeroPage,
    /// A write got a new zeroed page.
    NewPage,
    /// Copy-on-write copied the page.
    CowCopy,
    /// Copy-on-write reused the page (this mapping was its last).
    CowReuse,
    /// A shared anonymous page was created.
    ShmemNew,
    /// An existing shared anonymous page was mapped.
    ShmemMapped,
}

/// One micro-step of the simulated kernel.
#[derive(Clone, PartialEq, Debug, Serialize)]
#[serde(tag = "kind")]
pub enum Event {
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
    },
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
    },
    /// `get_page_from_freelist`: retry the zonelist without `ALLOC_NOFRAGMENT`.
    NoFragmentRetry,
    /// `__alloc_pages_slowpath`: the fast path failed at the low mark; retry at min.
    SlowPath {
        /// The GFP flags.
        gfp: GfpFlags,
    },
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
    },
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
    },
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
    },
    /// `move_to_free_list`: a free block of a claimed pageblock moves to the tail of the
    /// new type's list.
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
    },
    /// `boost_watermark`: a fragmenting fallback raised the zone's watermarks.
    WatermarkBoost {
        /// The zone.
        zone: ZoneType,
        /// The new `watermark_boost`.
        boost: u64,
    },
    /// `balance_pgdat`: kswapd woke, had nothing to reclaim, and reset the boost.
    KswapdBoostReset {
        /// The zone.
        zone: ZoneType,
    },
    /// The request is served.
    Allocated {
        /// The zone.
        zone: ZoneType,
        /// The first page.
        pfn: Pfn,
        /// The order.
        order: u8,
    },
    /// `warn_alloc`: the request could not be served.
    AllocFailed {
        /// Requested order.
        order: u8,
        /// The GFP flags.
        gfp: GfpFlags,
    },
    /// `__free_pages`: a block is given back.
    FreeStart {
        /// The zone.
        zone: ZoneType,
        /// The block.
        pfn: Pfn,
        /// Its order.
        order: u8,
    },
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
    },
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
    },
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
    },
    /// `rmqueue_pcplist`: served from the per-CPU list.
    PcpTake {
        /// The zone.
        zone: ZoneType,
        /// The block.
        pfn: Pfn,
        /// Its order.
        order: u8,
    },
    /// `rmqueue_bulk`: the per-CPU list was empty and got refilled from the buddy lists.
    PcpRefill {
        /// The zone.
        zone: ZoneType,
        /// The order.
        order: u8,
        /// Blocks moved onto the per-CPU list.
        count: u32,
    },
    /// `free_unref_page`: a freed block parks on the per-CPU list, unmerged.
    PcpPut {
        /// The zone.
        zone: ZoneType,
        /// The block.
        pfn: Pfn,
        /// Its order.
        order: u8,
    },
    /// `free_pcppages_bulk`: the per-CPU list went over `high`; blocks return to buddy.
    PcpDrain {
        /// The zone.
        zone: ZoneType,
        /// Pages returned.
        pages: u64,
    },
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
    },
    /// `kmalloc_slab`: the size class that serves a kmalloc request.
    KmallocClass {
        /// Requested bytes.
        size: u64,
        /// The cache (`kmalloc-256`).
        cache: String,
    },
    /// `__kmalloc_large_node`: above 8 KiB, kmalloc takes whole pages.
    KmallocLarge {
        /// Requested bytes.
        size: u64,
        /// `get_order(size)`.
        order: u8,
    },
    /// `allocate_slab`: a new slab from the buddy allocator becomes the CPU slab.
    NewSlab {
        /// The cache.
        cache: String,
        /// Its head page.
        slab: Pfn,
        /// Its order.
        order: u8,
        /// Object slots in it.
        objects: u16,
    },
    /// `slab_alloc_node`: an object taken from the CPU slab's freelist.
    SlabObjectAlloc {
        /// The cache.
        cache: String,
        /// The slab.
        slab: Pfn,
        /// The slot.
        index: u16,
        /// The object's address in the direct map.
        #[serde(with = "hex")]
        addr: u64,
        /// Objects now in use in the slab.
        inuse: u16,
        /// Slots in the slab.
        objects: u16,
    },
    /// `__slab_free`: an object back on its slab's freelist.
    SlabObjectFree {
        /// The cache.
        cache: String,
        /// The slab.
        slab: Pfn,
        /// The slot.
        index: u16,
        /// The object's address.
        #[serde(with = "hex")]
        addr: u64,
        /// Objects still in use in the slab.
        inuse: u16,
        /// Slots in the slab.
        objects: u16,
    },
    /// A slab moved between the CPU, the partial list and full.
    SlabMove {
        /// The cache.
        cache: String,
        /// The slab.
        slab: Pfn,
        /// Which move.
        to: SlabTransition,
    },
    /// `discard_slab`: an empty slab's pages go back to the buddy allocator.
    SlabDiscard {
        /// The cache.
        cache: String,
        /// The slab.
        slab: Pfn,
        /// Its order.
        order: u8,
    },
    /// `copy_process`: a task was created.
    TaskCreated {
        /// Its pid.
        pid: u32,
        /// Its command name.
        comm: String,
        /// Its parent.
        parent: u32,
    },
    /// `do_exit`: a task is gone and its memory freed.
    TaskExit {
        /// Its pid.
        pid: u32,
    },
    /// A VMA was created (or grown by merging).
    VmaCreated {
        /// The process.
        pid: u32,
        /// Start.
        #[serde(with = "hex")]
        start: u64,
        /// End.
        #[serde(with = "hex")]
        end: u64,
        /// `rwxp`.
        perms: String,
        /// Its name in /proc/PID/maps.
        name: String,
    },
    /// A VMA was removed.
    VmaRemoved {
        /// The process.
        pid: u32,
        /// Start.
        #[serde(with = "hex")]
        start: u64,
        /// End.
        #[serde(with = "hex")]
        end: u64,
    },
    /// `__vm_enough_memory`: pages charged to Committed_AS, and the verdict.
    CommitCharge {
        /// The process.
        pid: u32,
        /// Pages charged.
        pages: u64,
        /// Committed_AS after charging.
        committed: u64,
        /// The limit the policy compared against.
        limit: u64,
        /// `vm.overcommit_memory`.
        mode: u8,
        /// Whether the charge stands.
        ok: bool,
    },
    /// `vm_unacct_memory`.
    CommitUncharge {
        /// The process.
        pid: u32,
        /// Pages uncharged.
        pages: u64,
        /// Committed_AS after.
        committed: u64,
    },
    /// `handle_mm_fault`: a page fault.
    Fault {
        /// The process.
        pid: u32,
        /// The address.
        #[serde(with = "hex")]
        addr: u64,
        /// A write?
        write: bool,
        /// What kind.
        fault: FaultKind,
    },
    /// `__pte_alloc` and friends: a page-table page was allocated.
    PageTableAlloc {
        /// The process.
        pid: u32,
        /// Which level the new table is (PGD, PUD, PMD, PTE).
        level: &'static str,
        /// Its page.
        pfn: Pfn,
    },
    /// `free_pgtables`: an empty page-table page was freed.
    PageTableFree {
        /// The process.
        pid: u32,
        /// Which level.
        level: &'static str,
        /// Its page.
        pfn: Pfn,
    },
    /// `set_pte_at`: a PTE was written.
    PteSet {
        /// The process.
        pid: u32,
        /// The virtual page.
        #[serde(with = "hex")]
        addr: u64,
        /// The new entry.
        #[serde(with = "hex")]
        pte: u64,
    },
    /// `wp_page_copy`: copy-on-write made a private copy.
    CowCopy {
        /// The process.
        pid: u32,
        /// The virtual page.
        #[serde(with = "hex")]
        addr: u64,
        /// The page copied from.
        from: Pfn,
        /// The new page.
        to: Pfn,
        /// Whether the source was the zero page.
        zero: bool,
    },
    /// `wp_page_reuse`: the writer was the page's last user, so no copy.
    CowReuse {
        /// The process.
        pid: u32,
        /// The virtual page.
        #[serde(with = "hex")]
        addr: u64,
        /// The page.
        pfn: Pfn,
    },
    /// One level of a page-table walk.
    WalkStep {
        /// The process.
        pid: u32,
        /// PGD, P4D, PUD, PMD or PTE.
        level: &'static str,
        /// The index at this level.
        index: u16,
        /// The table's page.
        #[serde(with = "hex")]
        table: u64,
        /// The entry.
        #[serde(with = "hex")]
        entry: u64,
    },
    /// `oom_badness`: a candidate's score.
    OomScore {
        /// The process.
        pid: u32,
        /// Its name.
        comm: String,
        /// Its badness points.
        points: i64,
    },
    /// `__oom_kill_process`: the victim is killed and its memory freed.
    OomKill {
        /// The victim.
        pid: u32,
        /// Its name.
        comm: String,
        /// Pages of RSS it freed.
        freed: u64,
    },
    /// A sysctl was written.
    Sysctl {
        /// Its name (`vm.min_free_kbytes`).
        name: String,
        /// The new value.
        value: String,
    },
}

fn list_name(zone: ZoneType, order: u8, mt: MigrateType) -> String {
    format!("{zone} free_area[{order}].free_list[{mt}]")
}

impl Event {
    /// The variant's name (`"AllocStart"`), as the `kind` field of its JSON form.
    pub fn kind_name(&self) -> String {
        let d = format!("{self:?}");
        d.split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// The kernel function this step models.
    pub fn function(&self) -> &'static str {
        match self {
            Event::AllocStart { .. } => "__alloc_pages",
            Event::WatermarkCheck { .. } => "zone_watermark_ok",
            Event::NoFragmentRetry => "get_page_from_freelist",
            Event::SlowPath { .. } => "__alloc_pages_slowpath",
            Event::ListLook { .. } => "__rmqueue_smallest",
            Event::TakeBlock { .. } => "del_page_from_free_list",
            Event::Split { .. } => "expand",
            Event::ClaimBlock { .. } => "try_to_claim_block",
            Event::StealBlock { .. } => "__rmqueue_steal",
            Event::MoveFree { .. } => "move_to_free_list",
            Event::WatermarkBoost { .. } => "boost_watermark",
            Event::KswapdBoostReset { .. } => "balance_pgdat",
            Event::Allocated { .. } => "__alloc_pages",
            Event::AllocFailed { .. } => "warn_alloc",
            Event::FreeStart { .. } => "__free_pages",
            Event::BuddyBusy { .. } | Event::Merge { .. } => "__free_one_page",
            Event::AddFree { .. } => "__add_to_free_list",
            Event::PcpTake { .. } => "rmqueue_pcplist",
            Event::PcpRefill { .. } => "rmqueue_bulk",
            Event::PcpPut { .. } => "free_unref_page",
            Event::PcpDrain { .. } => "free_pcppages_bulk",
            Event::Watermarks { .. } => "__setup_per_zone_wmarks",
            Event::Sysctl { .. } => "proc_dointvec",
            Event::KmallocClass { .. } => "kmalloc_slab",
            Event::KmallocLarge { .. } => "__kmalloc_large_node",
            Event::NewSlab { .. } => "allocate_slab",
            Event::SlabObjectAlloc { .. } => "slab_alloc_node",
            Event::SlabObjectFree { .. } => "__slab_free",
            Event::SlabMove { to, .. } => match to {
                SlabTransition::CpuFull => "___slab_alloc",
                SlabTransition::PartialToCpu => "get_partial_node",
                SlabTransition::FullToPartial => "__slab_free",
                SlabTransition::CpuToPartial => "deactivate_slab",
            },
            Event::SlabDiscard { .. } => "discard_slab",
            Event::TaskCreated { .. } => "copy_process",
            Event::TaskExit { .. } => "do_exit",
            Event::VmaCreated { .. } => "mmap_region",
            Event::VmaRemoved { .. } => "do_vmi_munmap",
            Event::CommitCharge { .. } => "__vm_enough_memory",
            Event::CommitUncharge { .. } => "vm_unacct_memory",
            Event::Fault { .. } => "handle_mm_fault",
            Event::PageTableAlloc { .. } => "__pte_alloc",
            Event::PageTableFree { .. } => "free_pgtables",
            Event::PteSet { .. } => "set_pte_at",
            Event::CowCopy { .. } => "wp_page_copy",
            Event::CowReuse { .. } => "wp_page_reuse",
            // The software walk's helpers, one per level (the MMU does the same in hardware).
            Event::WalkStep { level, .. } => match *level {
                "PGD" => "pgd_offset",
                "P4D" => "p4d_offset",
                "PUD" => "pud_offset",
                "PMD" => "pmd_offset",
                _ => "pte_offset_map",
            },
            Event::OomScore { .. } => "oom_badness",
            Event::OomKill { .. } => "__oom_kill_process",
        }
    }

    /// One sentence of narration, naming the kernel function.
    pub fn text(&self) -> String {
        let f = self.function();
        match self {
            Event::AllocStart {
                order,
                gfp,
                highest_zone,
                migratetype,
            } => format!(
                "{f}: request for 2^{order} page{} with {gfp}: zones up to {highest_zone}, \
                 {migratetype} lists first.",
                if *order == 0 { "" } else { "s" }
            ),
            Event::WatermarkCheck {
                zone,
                order,
                mark,
                free,
                required,
                ok,
            } => format!(
                "{f}: {zone} has {free} usable free pages for order {order}; the {} mark needs \
                 more than {required}: {}.",
                mark.name(),
                if *ok { "ok" } else { "too few, skip this zone" }
            ),
            Event::NoFragmentRetry => format!(
                "{f}: no zone could serve it without mixing pageblock types; retry the \
                 zonelist without ALLOC_NOFRAGMENT."
            ),
            Event::SlowPath { gfp } => format!(
                "{f}: every zone is below its low mark; retry at the min mark{}.",
                if gfp.has(crate::gfp::__GFP_HIGH) {
                    " (halved for __GFP_HIGH)"
                } else {
                    ""
                }
            ),
            Event::ListLook {
                zone,
                order,
                migratetype,
                found,
            } => match found {
                Some(p) => format!(
                    "{f}: {} has block {p} at its head.",
                    list_name(*zone, *order, *migratetype)
                ),
                None if *order >= crate::types::MAX_PAGE_ORDER => format!(
                    "{f}: {} is empty, and there is no larger order.",
                    list_name(*zone, *order, *migratetype)
                ),
                None => format!(
                    "{f}: {} is empty; try order {}.",
                    list_name(*zone, *order, *migratetype),
                    order + 1
                ),
            },
            Event::TakeBlock {
                zone,
                pfn,
                order,
                migratetype,
            } => format!(
                "{f}: take order-{order} block {pfn} off {}.",
                list_name(*zone, *order, *migratetype)
            ),
            Event::Split {
                zone,
                pfn,
                upper,
                order,
                migratetype,
            } => format!(
                "{f}: split block {pfn} into two order-{order} halves; the upper half {upper} \
                 goes to the head of {}.",
                list_name(*zone, *order, *migratetype)
            ),
            Event::ClaimBlock {
                zone,
                pfn,
                order,
                from,
                to,
            } => format!(
                "{f}: claim the {from} pageblock(s) at {pfn} (order {order}) in {zone} for {to}."
            ),
            Event::MoveFree { zone, pfn, order, from, to } => format!(
                "{f}: free order-{order} block {pfn} moves from {zone}'s {from} list to the tail \
                 of its {to} list."
            ),
            Event::StealBlock {
                zone,
                pfn,
                order,
                from,
                to,
            } => format!(
                "{f}: steal order-{order} block {pfn} from {zone}'s {from} list for a {to} \
                 request, leaving its pageblock {from}."
            ),
            Event::WatermarkBoost { zone, boost } => format!(
                "{f}: the fallback fragments {zone}; its watermarks are boosted by {boost} pages."
            ),
            Event::KswapdBoostReset { zone } => format!(
                "{f}: kswapd wakes for {zone}, finds nothing to reclaim and clears the boost."
            ),
            Event::Allocated { zone, pfn, order } => format!(
                "{f}: done: order-{order} block {pfn} from {zone} (pages {pfn}-{:#x}).",
                pfn.0 + (1u64 << order) - 1
            ),
            Event::AllocFailed { order, gfp } => format!(
                "{f}: page allocation failure: order:{order}, mode:{:#x}({gfp}).",
                gfp.0
            ),
            Event::FreeStart { zone, pfn, order } => {
                format!("{f}: free order-{order} block {pfn} back to {zone}.")
            }
            Event::BuddyBusy {
                pfn, buddy, order, ..
            } => format!(
                "{f}: the order-{order} buddy of {pfn} is {buddy} ({pfn} ^ {:#x}); it is not \
                 free at order {order}, so merging stops.",
                1u64 << order
            ),
            Event::Merge {
                pfn,
                buddy,
                order,
                merged,
                ..
            } => format!(
                "{f}: the order-{order} buddy of {pfn} is {buddy}, and it is free: take it off \
                 its list and merge into order-{} block {merged}.",
                order + 1
            ),
            Event::AddFree {
                zone,
                pfn,
                order,
                migratetype,
                placement,
            } => {
                let where_ = match placement {
                    Placement::Head => "head",
                    Placement::TailRequested => "tail (boot-time free, FPI_TO_TAIL)",
                    Placement::TailMergeLikely => {
                        "tail (buddy_merge_likely: its parent's buddy is free)"
                    }
                };
                format!(
                    "{f}: block {pfn} joins the {where_} of {}.",
                    list_name(*zone, *order, *migratetype)
                )
            }
            Event::PcpTake { zone, pfn, order } => {
                format!("{f}: take order-{order} block {pfn} from CPU 0's {zone} per-cpu list.")
            }
            Event::PcpRefill { zone, order, count } => format!(
                "{f}: CPU 0's {zone} per-cpu list for order {order} is empty; refill it with \
                 {count} block(s) from the buddy allocator."
            ),
            Event::PcpPut { zone, pfn, order } => format!(
                "{f}: order-{order} block {pfn} parks on CPU 0's {zone} per-cpu list, unmerged."
            ),
            Event::PcpDrain { zone, pages } => format!(
                "{f}: CPU 0's {zone} per-cpu lists exceed their high mark; {pages} page(s) \
                 return to the buddy allocator."
            ),
            Event::Watermarks {
                zone,
                min,
                low,
                high,
            } => {
                format!("{f}: {zone} watermarks are now min {min}, low {low}, high {high}.")
            }
            Event::Sysctl { name, value } => format!("{f}: {name} = {value}."),
            Event::KmallocClass { size, cache } => {
                format!("{f}: a {size}-byte kmalloc is served by the {cache} cache.")
            }
            Event::KmallocLarge { size, order } => format!(
                "{f}: {size} bytes is above the largest kmalloc cache (8k), so it takes an \
                 order-{order} block straight from the buddy allocator."
            ),
            Event::NewSlab {
                cache,
                slab,
                order,
                objects,
            } => format!(
                "{f}: {cache} has no free object; a new order-{order} slab at {slab} gives \
                 {objects} fresh slots and becomes CPU 0's slab."
            ),
            Event::SlabObjectAlloc {
                cache,
                slab,
                index,
                addr,
                inuse,
                objects,
            } => format!(
                "{f}: take slot {index} ({addr:#x}) from {cache} slab {slab}'s freelist \
                 ({inuse}/{objects} in use)."
            ),
            Event::SlabObjectFree {
                cache,
                slab,
                index,
                addr,
                inuse,
                objects,
            } => format!(
                "{f}: slot {index} ({addr:#x}) goes back on the head of {cache} slab {slab}'s \
                 freelist ({inuse}/{objects} in use)."
            ),
            Event::SlabMove { cache, slab, to } => match to {
                SlabTransition::CpuFull => {
                    format!("{f}: {cache} slab {slab} is full; CPU 0 lets it go.")
                }
                SlabTransition::PartialToCpu => format!(
                    "{f}: {cache} slab {slab} comes off the node's partial list to be CPU 0's slab."
                ),
                SlabTransition::FullToPartial => format!(
                    "{f}: {cache} slab {slab} was full and now has a free slot: it joins the \
                     tail of the node's partial list."
                ),
                SlabTransition::CpuToPartial => format!(
                    "{f}: CPU 0's {cache} slab {slab} goes to the head of the node's partial list."
                ),
            },
            Event::TaskCreated { pid, comm, parent } => {
                format!("{f}: process {pid} ({comm}) is born, child of {parent}.")
            }
            Event::TaskExit { pid } => {
                format!("{f}: process {pid} exits; its pages, page tables and charges are freed.")
            }
            Event::VmaCreated { pid, start, end, perms, name } => format!(
                "{f}: process {pid} maps {start:#x}-{end:#x} {perms}{}{name} ({} KiB).",
                if name.is_empty() { "" } else { " " },
                (end - start) >> 10
            ),
            Event::VmaRemoved { pid, start, end } => {
                format!("{f}: process {pid} unmaps {start:#x}-{end:#x}.")
            }
            Event::CommitCharge { pid, pages, committed, limit, mode, ok } => format!(
                "{f}: charge {pages} page(s) for process {pid}: Committed_AS is now {committed} \
                 pages; overcommit_memory={mode} {} ({}).",
                if *ok { "allows it" } else { "refuses it" },
                match mode {
                    0 => format!("heuristic: one request may not exceed RAM + swap = {limit} pages"),
                    1 => "always overcommit".to_string(),
                    _ => format!("strict: must stay below {limit} pages"),
                }
            ),
            Event::CommitUncharge { pid, pages, committed } => format!(
                "{f}: uncharge {pages} page(s) of process {pid}: Committed_AS is now {committed} pages."
            ),
            Event::Fault { pid, addr, write, fault } => format!(
                "{f}: process {pid} {} {addr:#x}: {}.",
                if *write { "writes" } else { "reads" },
                match fault {
                    FaultKind::Missing => "no PTE yet, a page fault",
                    FaultKind::WriteProtected => "the PTE is write-protected, a write-protect fault (do_wp_page)",
                    _ => "fault",
                }
            ),
            Event::PageTableAlloc { pid, level, pfn } => {
                format!("{f}: process {pid} gets a new {level} table at pfn {pfn}.")
            }
            Event::PageTableFree { pid, level, pfn } => {
                format!("{f}: process {pid}'s empty {level} table at pfn {pfn} is freed.")
            }
            Event::PteSet { pid, addr, pte } => format!(
                "{f}: process {pid}'s PTE for {addr:#x} = {pte:#018x} ({}).",
                crate::vm::pgtable::flag_names(*pte)
            ),
            Event::CowCopy { pid, addr, from, to, zero } => format!(
                "{f}: copy-on-write: process {pid} gets its own page {to} for {addr:#x}, a copy of {}{from}.",
                if *zero { "the zero page " } else { "shared page " }
            ),
            Event::CowReuse { pid, addr, pfn } => format!(
                "{f}: copy-on-write: page {pfn} at {addr:#x} is mapped only by process {pid} now, \
                 so it is reused in place: no copy."
            ),
            Event::WalkStep { level, index, entry, .. } => format!(
                "{f}: {level}[{index}] = {entry:#018x} ({}).",
                crate::vm::pgtable::flag_names(*entry)
            ),
            Event::OomScore { pid, comm, points } => {
                format!("{f}: process {pid} ({comm}) scores {points} points.")
            }
            Event::OomKill { pid, comm, freed } => format!(
                "{f}: Out of memory: killed process {pid} ({comm}), freeing {freed} page(s) of RSS."
            ),
            Event::SlabDiscard { cache, slab, order } => format!(
                "{f}: {cache} slab {slab} is empty; its order-{order} block goes back to the \
                 buddy allocator."
            ),
        }
    }
}

/// Collects events while a command runs; recording can be switched off for speed.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Whether [`Trace::push`] keeps events.
    pub enabled: bool,
    /// The events so far.
    pub events: Vec<Event>,
}

impl Trace {
    /// Records an event built by `make`, if recording is on (the closure keeps the
    /// cost of building it off the fast path).
    #[inline]
    pub fn push(&mut self, make: impl FnOnce() -> Event) {
        if self.enabled {
            self.events.push(make());
        }
    }

    /// Takes the events recorded so far.
    pub fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
