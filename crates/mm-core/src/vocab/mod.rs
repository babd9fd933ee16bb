//! The vocabulary every subsystem shares: page frame numbers and orders, sizes as the
//! command language writes them, zone types, migrate types and GFP flags. Nothing here
//! depends on any other part of the crate.

pub mod deque;
pub mod fast_hash;
pub mod gfp;
pub mod migrate;
pub mod pfn;
pub mod size;
pub mod sort;
pub mod vec_map;
pub mod xarray;
pub mod zone_type;

pub use gfp::GfpFlags;

/// `parts` joined by `sep`: the standard library's `join` with a plain loop, one
/// small copy per element type instead of its kilobyte-sized fast path in the wasm.
pub fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
    }
    out
}
pub use migrate::MigrateType;
pub use pfn::{
    fls, get_order, int_sqrt, Pfn, MAX_PAGE_ORDER, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES,
    PAGEBLOCK_ORDER, PAGE_ALLOC_COSTLY_ORDER, PAGE_SHIFT, PAGE_SIZE,
};
pub use size::{
    format_size, grouped, parse_addr, parse_number, parse_order, parse_pid, parse_size, ArgError,
};
pub use zone_type::{Watermark, ZoneType, MAX_DMA32_PFN, MAX_DMA_PFN, MAX_NR_ZONES};
