//! Small structured views of the machine for JS: plain data, addresses as hex strings.

use mm_core::migrate::MigrateType;
use mm_core::zone::Watermark;
use mm_core::Machine;
use serde::Serialize;

/// One zone.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneView {
    name: &'static str,
    start_pfn: u64,
    spanned: u64,
    present: u64,
    managed: u64,
    free_pages: u64,
    min: u64,
    low: u64,
    high: u64,
    /// Free blocks per order (what /proc/buddyinfo prints).
    nr_free: Vec<u64>,
    /// Free blocks per migrate type per order.
    free_by_type: Vec<TypeView>,
}

/// One migrate type's free blocks.
#[derive(Serialize)]
pub struct TypeView {
    name: &'static str,
    counts: Vec<u64>,
}

/// Populated zones, lowest first.
pub fn zones(m: &Machine) -> Vec<ZoneView> {
    m.node()
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

/// One slab cache.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheView {
    name: String,
    objsize: u32,
    size: u32,
    obj_per_slab: u16,
    pages_per_slab: u32,
    active_objs: u64,
    num_objs: u64,
    slabs: u64,
}

/// Caches, newest first (as /proc/slabinfo).
pub fn caches(m: &Machine) -> Vec<CacheView> {
    m.slub()
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

/// One process.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessView {
    pid: u32,
    comm: String,
    ppid: u32,
    uid: u32,
    oom_score_adj: i16,
    oom_score: u64,
    rss_pages: u64,
    total_vm_pages: u64,
    vmas: Vec<VmaView>,
}

/// One VMA.
#[derive(Serialize)]
pub struct VmaView {
    start: String,
    end: String,
    perms: String,
    name: String,
}

/// Processes in pid order.
pub fn processes(m: &Machine) -> Vec<ProcessView> {
    m.tasks()
        .map(|t| ProcessView {
            pid: t.pid,
            comm: t.comm.clone(),
            ppid: t.ppid,
            uid: t.uid,
            oom_score_adj: t.oom_score_adj,
            oom_score: m.oom_score(t),
            rss_pages: t.mm.rss(),
            total_vm_pages: t.mm.total_vm(),
            vmas: t
                .mm
                .vmas
                .values()
                .map(|v| VmaView {
                    start: format!("{:#x}", v.start),
                    end: format!("{:#x}", v.end),
                    perms: v.perms(),
                    name: v.name.clone(),
                })
                .collect(),
        })
        .collect()
}
