//! The page allocator (`mm/page_alloc.c`, `mm/mm_init.c`, `mm/vmstat.c`): zones and
//! their free areas, the page array, boot-time freeing, the buddy allocator's
//! allocation (`__rmqueue_smallest`, `expand`, the claim and steal fallbacks) and
//! freeing (`__free_one_page`), per-CPU lists, watermarks, and the /proc files that
//! are the page allocator's alone.
//!
//! Start with [`node::Node`] (`pg_data_t`) and [`alloc`] (`__alloc_pages`), then
//! [`rmqueue`] and [`free`]. Everything here works on a `Node` and records into a
//! [`crate::event::Trace`]; nothing here knows of slabs, processes or the shell.
//!
//! The allocation slow path: in the kernel, `__alloc_pages_slowpath` calls kswapd,
//! direct compaction, direct reclaim and the OOM killer, all of which live in higher
//! layers. Here `Node::alloc_pages` does the part that is the page allocator's (the
//! fast path at the low watermark, the retry at min) and returns `None`; the layer
//! above orchestrates the rest (today: virtual memory's fault path calls the OOM
//! killer and retries, as `__alloc_pages_may_oom` does), so this folder never calls
//! upward.

pub mod alloc;
pub mod commands;
pub mod error;
pub mod events;
pub mod fragmentation;
pub mod free;
pub mod free_area;
pub mod highatomic;
pub mod invariants;
pub mod isolate;
pub mod memmap;
pub mod mm_init;
pub mod node;
pub mod pcp;
pub mod procfs;
pub mod rmqueue;
pub mod show_mem;
pub mod watermark;
pub mod zone;

pub use watermark::calculate_min_free_kbytes;
