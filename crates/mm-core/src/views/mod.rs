//! Plain-data pictures of the machine for the front ends (the Yew app, the JS API):
//! what they draw, in the shapes they draw it, so that neither reaches into a
//! subsystem's internals. Each view is `Serialize` (JSON with camelCase names;
//! addresses as `"0x..."` strings).

pub mod free_lists;
pub mod json;
pub mod page_info;
pub mod page_states;
pub mod page_table;
pub mod pressure;
pub mod slabs;

pub use free_lists::{FreeListsView, ZoneFreeView};
pub use page_info::PageInfo;
pub use page_states::PageStatesView;
pub use page_table::{EntryView, TableView};
pub use pressure::{KswapdView, PressureView};

use crate::event::{hex, Event};
use crate::machine::Machine;
pub use crate::slub::cache::SlabState;
use crate::sysctl::OvercommitMode;
use crate::vocab::{MigrateType, Watermark};
use serde::Serialize;

/// One populated zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneView {
    /// `DMA`, `DMA32`, `Normal`.
    pub name: &'static str,
    /// `zone_start_pfn`.
    pub start_pfn: u64,
    /// Pages spanned.
    pub spanned: u64,
    /// Pages of RAM.
    pub present: u64,
    /// Pages given to the buddy allocator.
    pub managed: u64,
    /// `NR_FREE_PAGES`.
    pub free_pages: u64,
    /// WMARK_MIN (boost included).
    pub min: u64,
    /// WMARK_LOW (boost included).
    pub low: u64,
    /// WMARK_HIGH (boost included).
    pub high: u64,
    /// Free blocks per order (what /proc/buddyinfo prints).
    pub nr_free: Vec<u64>,
    /// Free blocks per migrate type per order.
    pub free_by_type: Vec<TypeView>,
}

/// One migrate type's free blocks per order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeView {
    /// `Unmovable`, `Movable`, ...
    pub name: &'static str,
    /// Blocks per order.
    pub counts: Vec<u64>,
}

/// One slab cache, as a slabtop row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheView {
    /// Its name.
    pub name: String,
    /// `object_size`.
    pub objsize: u32,
    /// `size`: the stride between objects.
    pub size: u32,
    /// Objects per slab.
    pub obj_per_slab: u16,
    /// Pages per slab.
    pub pages_per_slab: u32,
    /// slabinfo's `active_objs`.
    pub active_objs: u64,
    /// slabinfo's `num_objs`.
    pub num_objs: u64,
    /// Slabs.
    pub slabs: u64,
}

/// One slab of a cache, slot by slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlabView {
    /// Its head page.
    pub pfn: u64,
    /// Where it is: `Cpu`, `Partial` or `Full`.
    pub state: SlabState,
    /// Slots.
    pub objects: u16,
    /// Slots in use.
    pub inuse: u16,
    /// Whether each slot is free.
    pub free: Vec<bool>,
    /// The slot the freelist hands out next.
    pub next: Option<u16>,
    /// The freelist, head first.
    pub freelist: Vec<u16>,
}

/// One process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessView {
    /// Its pid.
    pub pid: u32,
    /// Its command name.
    pub comm: String,
    /// Its parent.
    pub ppid: u32,
    /// Its owner.
    pub uid: u32,
    /// `oom_score_adj`.
    pub oom_score_adj: i16,
    /// `/proc/PID/oom_score`.
    pub oom_score: u64,
    /// Resident pages.
    pub rss_pages: u64,
    /// Pages of all its mappings.
    pub total_vm_pages: u64,
    /// The PGD's page (`cr3 >> 12`).
    pub pgd: u64,
    /// Its mappings, lowest first.
    pub vmas: Vec<VmaView>,
}

/// One mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VmaView {
    /// Start.
    #[serde(with = "hex")]
    pub start: u64,
    /// End.
    #[serde(with = "hex")]
    pub end: u64,
    /// `rwxp`.
    pub perms: String,
    /// Its name in /proc/PID/maps.
    pub name: String,
}

/// Commit accounting at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitView {
    /// CommitLimit, pages.
    pub limit: u64,
    /// Committed_AS, pages.
    pub committed: u64,
    /// `vm.overcommit_memory`.
    pub mode: OvercommitMode,
    /// `vm.overcommit_ratio`.
    pub ratio: u64,
    /// MemFree, pages.
    pub free: u64,
    /// MemAvailable, pages.
    pub available: u64,
}

/// An event as the JS API and the embedding messages send it: its typed fields and
/// `kind`, the kernel function, the tracepoint (or null), the sentence and the
/// narration line.
#[derive(Clone, Debug, Serialize)]
pub struct EventView<'a> {
    /// The event's own fields, with `kind`.
    #[serde(flatten)]
    pub event: &'a Event,
    /// The kernel function it models.
    pub function: &'static str,
    /// The kernel tracepoint that fires there, if any.
    pub tracepoint: Option<&'static str>,
    /// What happened, without the function.
    pub sentence: String,
    /// `function: sentence`.
    pub text: String,
}

impl<'a> EventView<'a> {
    /// The view of an event.
    pub fn of(event: &'a Event) -> EventView<'a> {
        EventView {
            event,
            function: event.function(),
            tracepoint: event.tracepoint(),
            sentence: event.sentence(),
            text: event.text(),
        }
    }
}

impl Machine {
    /// Populated zones, lowest first.
    pub fn zones(&self) -> Vec<ZoneView> {
        self.k
            .node
            .populated()
            .map(|z| ZoneView {
                name: z.ztype.name(),
                start_pfn: z.start_pfn,
                spanned: z.spanned,
                present: z.present,
                managed: z.managed,
                free_pages: z.nr_free_pages,
                min: z.wmark_pages(Watermark::Min),
                low: z.wmark_pages(Watermark::Low),
                high: z.wmark_pages(Watermark::High),
                nr_free: z.nr_free().to_vec(),
                free_by_type: MigrateType::ALL
                    .iter()
                    .map(|mt| TypeView {
                        name: mt.name(),
                        counts: z
                            .free_area
                            .iter()
                            .map(|a| a.free_list[mt.idx()].len)
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Slab caches, newest first (as /proc/slabinfo).
    pub fn caches(&self) -> Vec<CacheView> {
        self.slub
            .iter()
            .map(|c| {
                let (slabs, _, num) = c.counts();
                CacheView {
                    name: c.name.clone(),
                    objsize: c.object_size,
                    size: c.size,
                    obj_per_slab: c.objects,
                    pages_per_slab: 1 << c.order,
                    active_objs: c.active_objs(),
                    num_objs: num,
                    slabs,
                }
            })
            .collect()
    }

    /// The first `limit` slabs of a cache (by PFN), slot by slot; None if there is no
    /// such cache.
    pub fn slabs(&self, cache: &str, limit: usize) -> Option<Vec<SlabView>> {
        let c = self.slub.cache(self.slub.find(cache)?)?;
        let mut pfns: Vec<&u64> = c.slabs.keys().collect();
        crate::vocab::sort::sort_by_key(&mut pfns, |p| **p);
        Some(
            pfns.into_iter()
                .take(limit)
                .filter_map(|p| c.slabs.get_key_value(p))
                .map(|(pfn, (s, state))| SlabView {
                    pfn: *pfn,
                    state: *state,
                    objects: s.objects,
                    inuse: s.inuse,
                    free: (0..s.objects).map(|i| s.is_free(i)).collect(),
                    next: s.freelist.last().copied(),
                    freelist: s.freelist.iter().rev().copied().collect(),
                })
                .collect(),
        )
    }

    /// Processes in pid order.
    pub fn processes(&self) -> Vec<ProcessView> {
        let total = self.oom_totalpages();
        self.vmm
            .tasks
            .values()
            .map(|t| ProcessView {
                pid: t.pid,
                comm: t.comm.clone(),
                ppid: t.ppid,
                uid: t.uid,
                oom_score_adj: t.oom_score_adj,
                oom_score: crate::vm::oom::oom_score(t, total),
                rss_pages: t.mm.rss(),
                total_vm_pages: t.mm.total_vm(),
                pgd: t.mm.pgd,
                vmas: t
                    .mm
                    .vmas
                    .values()
                    .map(|v| VmaView {
                        start: v.start,
                        end: v.end,
                        perms: v.perms().to_string(),
                        name: v.name.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Commit accounting: CommitLimit, Committed_AS, the policy, MemFree, MemAvailable.
    pub fn commit(&self) -> CommitView {
        CommitView {
            limit: self.commit_limit(),
            committed: self.vmm.committed,
            mode: self.sysctl.overcommit_memory,
            ratio: self.sysctl.overcommit_ratio,
            free: self.k.node.nr_free_pages(),
            available: self.mem_available(),
        }
    }

    /// One byte per page frame: the [`crate::PageUse`] of each, for the memory map.
    pub fn page_states(&self) -> &[u8] {
        self.k.node.mem.states()
    }

    /// Whether a page heads a block, free or allocated (the map draws an edge there).
    pub fn heads_block(&self, pfn: u64) -> bool {
        let mem = &self.k.node.mem;
        let p = crate::vocab::Pfn(pfn);
        mem.valid(p) && (mem.is_buddy(p) || mem.is_head(p))
    }
}
