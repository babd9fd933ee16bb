//! `show_free_areas` (`mm/show_mem.c`): the per-zone free-block summary that
//! allocation-failure and OOM reports print.

use super::node::Node;
use crate::vocab::{MigrateType, ZoneType};

/// One zone's line: `Node 0 DMA: 1*4kB (U) 0*8kB ... = 15360kB`.
pub fn show_free_area(node: &Node, zt: ZoneType) -> String {
    let z = node.zone(zt);
    let mut out = format!("Node 0 {}: ", zt.name());
    let mut total = 0;
    for (o, area) in z.free_area.iter().enumerate() {
        let kb = 4u64 << o;
        out.push_str(&format!("{}*{}kB ", area.nr_free, kb));
        total += area.nr_free * kb;
        if area.nr_free > 0 {
            let letters: String = MigrateType::ALL
                .iter()
                .filter(|mt| !area.free_list[mt.idx()].is_empty())
                .map(|mt| mt.letter())
                .collect();
            out.push_str(&format!("({letters}) "));
        }
    }
    out.push_str(&format!("= {total}kB"));
    out
}

/// Every populated zone's line, lowest zone first.
pub fn show_free_areas(node: &Node) -> Vec<String> {
    node.populated()
        .map(|z| show_free_area(node, z.ztype))
        .collect()
}
