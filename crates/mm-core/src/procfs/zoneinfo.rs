//! `/proc/zoneinfo` (`mm/vmstat.c: zoneinfo_show_print`), with the fields this model
//! has, each in the kernel's layout.

use crate::page_alloc::node::Node;
use crate::page_alloc::pcp::PerCpuPages;
use crate::vocab::{fls, Watermark, MAX_NR_ZONES};

/// Every zone of node 0, populated or not; unpopulated zones stop after `protection`.
///
/// `pagesets` (per-CPU lists) appear only with `pcp=on`; the per-node statistics and
/// the zone counters this model does not keep are left out.
pub fn zoneinfo(node: &Node, nr_cpus: u32) -> String {
    let mut out = String::new();
    for (i, z) in node.zones.iter().enumerate() {
        out.push_str(&format!("Node 0, zone {:>8}", z.ztype.name()));
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
        out.push(')');
        if !z.populated() {
            out.push('\n');
            continue;
        }
        out.push_str(&format!(
            "\n      {:<12} {}",
            "nr_free_pages", z.nr_free_pages
        ));
        // Every online CPU's pageset, printed whether or not the per-CPU lists are in
        // use (only CPU 0's ever are here; an idle CPU's count and high stay 0).
        let sizes = PerCpuPages::new(z.managed, z.wmark_pages(Watermark::Low), u64::from(nr_cpus));
        let pcp = node.pcp.as_ref().map(|p| &p[i]).unwrap_or(&sizes);
        out.push_str("\n  pagesets");
        for cpu in 0..nr_cpus {
            let (count, high) = if cpu == 0 { (pcp.count, pcp.high) } else { (0, 0) };
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
        out.push('\n');
    }
    out
}

/// `calculate_normal_threshold`: `min(125, 2 * fls(cpus) * (1 + fls(managed in 128 MB)))`.
fn stat_threshold(managed: u64, cpus: u32) -> u64 {
    let mem = managed >> (27 - 12);
    let t = 2 * u64::from(fls(u64::from(cpus))) * (1 + u64::from(fls(mem)));
    t.min(125)
}
