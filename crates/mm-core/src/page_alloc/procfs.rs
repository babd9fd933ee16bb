//! The page allocator's own /proc files (`mm/vmstat.c`): `/proc/buddyinfo`
//! (`frag_show`) and `/proc/pagetypeinfo` (`pagetypeinfo_show`).

use super::node::Node;
use crate::vocab::{MigrateType, Pfn, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER};

/// One line per populated zone: `Node %d, zone %8s ` then `%6lu ` per order, so each
/// line ends with a space before the newline.
///
/// ```text
/// Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3
/// ```
pub fn buddyinfo(node: &Node) -> String {
    let mut out = String::new();
    for z in node.populated() {
        out.push_str(&format!("Node {}, zone {:>8} ", 0, z.ztype.name()));
        for n in z.nr_free() {
            out.push_str(&format!("{n:>6} "));
        }
        out.push('\n');
    }
    out
}

/// Free blocks per zone, type and order, then pageblocks per type.
pub fn pagetypeinfo(node: &Node) -> String {
    let mut out = String::new();
    out.push_str(&format!("Page block order: {PAGEBLOCK_ORDER}\n"));
    out.push_str(&format!("Pages per block:  {PAGEBLOCK_NR_PAGES}\n\n"));
    out.push_str(&format!(
        "{:<43} ",
        "Free pages count per migrate type at order"
    ));
    for o in 0..NR_PAGE_ORDERS {
        out.push_str(&format!("{o:>6} "));
    }
    out.push('\n');
    for z in node.populated() {
        for mt in MigrateType::ALL {
            out.push_str(&format!(
                "Node {:>4}, zone {:>8}, type {:>12} ",
                0,
                z.ztype.name(),
                mt.name()
            ));
            for area in &z.free_area {
                // The kernel stops counting at 100000 and prints ">100000".
                let n = area.free_list[mt.idx()].len;
                let (prefix, shown) = if n >= 100_000 {
                    (">", 100_000)
                } else {
                    ("", n)
                };
                out.push_str(&format!("{prefix}{shown:>6} "));
            }
            out.push('\n');
        }
        // MIGRATE_ISOLATE (CONFIG_MEMORY_ISOLATION, which memory hot-plug and contiguous
        // allocation select): nothing is ever isolated here.
        out.push_str(&format!(
            "Node {:>4}, zone {:>8}, type {:>12} ",
            0,
            z.ztype.name(),
            "Isolate"
        ));
        out.push_str(&"     0 ".repeat(NR_PAGE_ORDERS));
        out.push('\n');
    }
    out.push_str(&format!("\n{:<23}", "Number of blocks type "));
    for mt in MigrateType::ALL {
        out.push_str(&format!("{:>12} ", mt.name()));
    }
    out.push_str(&format!("{:>12} ", "Isolate"));
    out.push('\n');
    for z in node.populated() {
        let mut counts = [0u64; MigrateType::ALL.len()];
        // pagetypeinfo_showblockcount_print: every pageblock the zone spans.
        let start = z.start_pfn & !(PAGEBLOCK_NR_PAGES - 1);
        let mut pfn = start;
        while pfn < z.end_pfn() {
            if pfn >= z.start_pfn {
                counts[node.mem.pageblock_mt(Pfn(pfn)).idx()] += 1;
            }
            pfn += PAGEBLOCK_NR_PAGES;
        }
        out.push_str(&format!("Node {}, zone {:>8} ", 0, z.ztype.name()));
        for c in counts {
            out.push_str(&format!("{c:>12} "));
        }
        out.push_str(&format!("{:>12} ", 0));
        out.push('\n');
    }
    out
}
