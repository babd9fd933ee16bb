//! `/proc/zoneinfo` (`mm/vmstat.c: zoneinfo_show_print`), every field in the kernel's
//! layout: the per-node statistics under the first populated zone, each zone's free
//! pages, watermarks, sizes and `lowmem_reserve`, its counters and NUMA counters,
//! every online CPU's pageset, and the v6.19 highatomic lines. Counters the model does
//! not keep print 0.

use super::vmstat::{VmstatValues, NAMES};
use crate::page_alloc::memmap::PageUse;
use crate::page_alloc::node::Node;
use crate::page_alloc::pcp::PerCpuPages;
use crate::vocab::{fls, Watermark, MAX_NR_ZONES, PAGEBLOCK_ORDER};

/// The node statistics (`enum node_stat_item`), as /proc/vmstat names them.
const NODE_STATS: std::ops::Range<usize> = 17..68;
/// The zone statistics (`enum zone_stat_item`) and the NUMA ones.
const ZONE_STATS: std::ops::Range<usize> = 0..17;

/// Every zone of node 0, populated or not; unpopulated zones stop after `protection`.
/// `stats` gives the node-wide counters (the per-node block), `lru` each zone's page
/// LRU counts: (inactive_file, active_file, write_pending, active_anon).
pub fn zoneinfo(
    node: &Node,
    nr_cpus: u32,
    stats: &VmstatValues,
    lru: &[(u64, u64, u64, u64); MAX_NR_ZONES],
) -> String {
    let mut out = String::new();
    let value = |name: &str| {
        stats
            .known
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, v)| *v)
    };
    let first_populated = node.zones.iter().position(|z| z.populated());
    let states = node.mem.states();
    for (i, z) in node.zones.iter().enumerate() {
        out.push_str(&format!("Node 0, zone {:>8}", z.ztype.name()));
        if first_populated == Some(i) {
            out.push_str("\n  per-node stats");
            for name in &NAMES[NODE_STATS] {
                out.push_str(&format!("\n      {:<12} {}", name, value(name)));
            }
        }
        out.push_str(&format!("\n  pages free     {}", z.nr_free_pages));
        out.push_str(&format!("\n        boost    {}", z.watermark_boost));
        out.push_str(&format!(
            "\n        min      {}",
            z.wmark_pages(Watermark::Min)
        ));
        out.push_str(&format!(
            "\n        low      {}",
            z.wmark_pages(Watermark::Low)
        ));
        out.push_str(&format!(
            "\n        high     {}",
            z.wmark_pages(Watermark::High)
        ));
        out.push_str(&format!(
            "\n        promo    {}",
            z.wmark_pages(Watermark::Promo)
        ));
        out.push_str(&format!("\n        spanned  {}", z.spanned));
        out.push_str(&format!("\n        present  {}", z.present));
        out.push_str(&format!("\n        managed  {}", z.managed));
        out.push_str("\n        cma      0");
        out.push_str(&format!("\n        protection: ({}", z.lowmem_reserve[0]));
        for r in &z.lowmem_reserve[1..MAX_NR_ZONES] {
            out.push_str(&format!(", {r}"));
        }
        // ZONE_DEVICE's column: no pages, so the reserve carries over from Movable's.
        out.push_str(&format!(", {})", z.lowmem_reserve[MAX_NR_ZONES - 1]));
        if !z.populated() {
            out.push('\n');
            continue;
        }
        let nr = z.nr_free();
        let blocks: u64 = (PAGEBLOCK_ORDER as usize..nr.len())
            .map(|o| nr[o] << o)
            .sum();
        let span = (z.start_pfn as usize).min(states.len())
            ..((z.start_pfn + z.spanned) as usize).min(states.len());
        let user = states[span]
            .iter()
            .filter(|s| **s == PageUse::User as u8)
            .count() as u64;
        let hit = node.stats.numa_hit[i];
        for name in &NAMES[ZONE_STATS] {
            let v = match *name {
                "nr_free_pages" => z.nr_free_pages,
                "nr_free_pages_blocks" => blocks,
                // Every user page is an anonymous folio or shmem (counted inactive).
                "nr_zone_inactive_anon" => user - lru[i].3,
                "nr_zone_active_anon" => lru[i].3,
                "nr_zone_inactive_file" => lru[i].0,
                "nr_zone_active_file" => lru[i].1,
                "nr_zone_write_pending" => lru[i].2,
                "numa_hit" | "numa_local" => hit,
                _ => 0,
            };
            out.push_str(&format!("\n      {:<12} {}", name, v));
        }
        // Every online CPU's pageset, printed whether or not the per-CPU lists are in
        // use (only CPU 0's ever are here; an idle CPU's count and high stay 0).
        // zone_highsize runs from the low watermark without its boost.
        let sizes = PerCpuPages::new(
            z.managed,
            z.watermark[Watermark::Low as usize],
            u64::from(nr_cpus),
        );
        let pcp = node.pcp.as_ref().map(|p| &p[i]).unwrap_or(&sizes);
        out.push_str("\n  pagesets");
        for cpu in 0..nr_cpus {
            let (count, high) = if cpu == 0 {
                (pcp.count, pcp.high)
            } else {
                (0, 0)
            };
            out.push_str(&format!("\n    cpu: {cpu}"));
            out.push_str(&format!("\n              count:    {count}"));
            out.push_str(&format!("\n              high:     {high}"));
            out.push_str(&format!("\n              batch:    {}", pcp.batch));
            out.push_str(&format!("\n              high_min: {}", pcp.high_min));
            out.push_str(&format!("\n              high_max: {}", pcp.high_max));
            out.push_str(&format!(
                "\n  vm stats threshold: {}",
                stat_threshold(z.managed, nr_cpus)
            ));
        }
        out.push_str("\n  node_unreclaimable:  0");
        out.push_str(&format!("\n  start_pfn:           {}", z.start_pfn));
        out.push_str(&format!(
            "\n  reserved_highatomic: {}\n  free_highatomic:     {}",
            z.nr_reserved_highatomic,
            z.nr_free_highatomic()
        ));
        out.push('\n');
    }
    // ZONE_DEVICE (the configuration /proc/vmstat's *_device counters imply) holds no
    // memory here: printed as a real kernel prints an empty one.
    out.push_str("Node 0, zone   Device\n  pages free     0");
    for label in [
        "boost", "min", "low", "high", "promo", "spanned", "present", "managed", "cma",
    ] {
        out.push_str(&format!("\n        {label:<9}0"));
    }
    out.push_str("\n        protection: (0, 0, 0, 0, 0)\n");
    out
}

/// `calculate_normal_threshold`: `min(125, 2 * fls(cpus) * (1 + fls(managed in 128 MB)))`.
fn stat_threshold(managed: u64, cpus: u32) -> u64 {
    let mem = managed >> (27 - 12);
    let t = 2 * u64::from(fls(u64::from(cpus))) * (1 + u64::from(fls(mem)));
    t.min(125)
}
