//! `/proc/slabinfo` (`mm/slab_common.c: print_slabinfo_header`, `cache_show`).

use super::Slub;

/// The header, then one line per cache, newest cache first.
///
/// ```text
/// kmalloc-192         2394   2394    192   21    1 : tunables    0    0    0 : slabdata    114    114      0
/// ```
pub fn slabinfo(slub: &Slub) -> String {
    let mut out = String::from("slabinfo - version: 2.1\n");
    out.push_str(
        "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n",
    );
    for c in slub.iter() {
        let (slabs, _, num_objs) = c.counts();
        out.push_str(&format!(
            "{:<17} {:>6} {:>6} {:>6} {:>4} {:>4} : tunables {:>4} {:>4} {:>4} : slabdata {:>6} {:>6} {:>6}\n",
            c.name,
            c.active_objs(),
            num_objs,
            c.size,
            c.objects,
            1u32 << c.order,
            0,
            0,
            0,
            slabs,
            slabs,
            0
        ));
    }
    out
}
