//! `/proc/buddyinfo` (`mm/vmstat.c: frag_show`).

use crate::node::Node;

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
