//! SLUB's steps, as `include/trace/events/kmem.h` declares the kernel's kmalloc and
//! kmem_cache tracepoints: fields, kernel function, tracepoint and sentence side by side.

use crate::event::define::{define_events, hex};
use crate::vocab::Pfn;
use serde::Serialize;

/// How a slab moved between CPU 0, the node's partial list and "full".
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum SlabTransition {
    /// The CPU slab ran out of free objects and was let go as full.
    CpuFull,
    /// A slab from the node's partial list became the CPU slab (`get_partial_node`).
    PartialToCpu,
    /// A full slab had an object freed and joined the partial list's tail.
    FullToPartial,
    /// The CPU slab was flushed onto the head of the partial list (`deactivate_slab`).
    CpuToPartial,
}

define_events! {
    /// One micro-step of the slab allocator (`mm/slub.c`, `mm/slab_common.c`).
    pub enum SlabEvent {
        /// `kmalloc_slab`: the size class that serves a kmalloc request.
        KmallocClass {
            /// Requested bytes.
            size: u64,
            /// The cache (`kmalloc-256`).
            cache: Box<str>,
        }
            function: "kmalloc_slab",
            tracepoint: Some("kmem:kmalloc"),
            sentence: format!("a {size}-byte kmalloc is served by the {cache} cache."),

        /// `__kmalloc_large_node`: above 8 KiB, kmalloc takes whole pages.
        KmallocLarge {
            /// Requested bytes.
            size: u64,
            /// `get_order(size)`.
            order: u8,
        }
            function: "___kmalloc_large_node",
            tracepoint: Some("kmem:kmalloc"),
            sentence: format!(
                "{size} bytes is above the largest kmalloc cache (8k), so it takes an \
                 order-{order} block straight from the buddy allocator."
            ),

        /// `allocate_slab`: a new slab from the buddy allocator becomes the CPU slab.
        NewSlab {
            /// The cache.
            cache: Box<str>,
            /// Its head page.
            slab: Pfn,
            /// Its order.
            order: u8,
            /// Object slots in it.
            objects: u16,
        }
            function: "allocate_slab",
            tracepoint: None,
            sentence: format!(
                "{cache} has no free object; a new order-{order} slab at {slab} gives \
                 {objects} fresh slots and becomes CPU 0's slab."
            ),

        /// `slab_alloc_node`: an object taken from the CPU slab's freelist. (A
        /// `kmem_cache_alloc` fires `kmem:kmem_cache_alloc` here; a kmalloc reports
        /// through `kmem:kmalloc` instead.)
        SlabObjectAlloc {
            /// The cache.
            cache: Box<str>,
            /// The slab.
            slab: Pfn,
            /// The slot.
            index: u16,
            /// The object's address in the direct map.
            #[serde(with = "hex")]
            addr: u64,
            /// Objects now in use in the slab.
            inuse: u16,
            /// Slots in the slab.
            objects: u16,
        }
            function: "slab_alloc_node",
            tracepoint: Some("kmem:kmem_cache_alloc"),
            sentence: format!(
                "take slot {index} ({addr:#x}) from {cache} slab {slab}'s freelist \
                 ({inuse}/{objects} in use)."
            ),

        /// `__slab_free`: an object back on its slab's freelist. (`kmem_cache_free`
        /// fires `kmem:kmem_cache_free`; `kfree` fires `kmem:kfree`.)
        SlabObjectFree {
            /// The cache.
            cache: Box<str>,
            /// The slab.
            slab: Pfn,
            /// The slot.
            index: u16,
            /// The object's address.
            #[serde(with = "hex")]
            addr: u64,
            /// Objects still in use in the slab.
            inuse: u16,
            /// Slots in the slab.
            objects: u16,
        }
            function: "__slab_free",
            tracepoint: Some("kmem:kmem_cache_free"),
            sentence: format!(
                "slot {index} ({addr:#x}) goes back on the head of {cache} slab {slab}'s \
                 freelist ({inuse}/{objects} in use)."
            ),

        /// A slab moved between the CPU, the partial list and full.
        SlabMove {
            /// The cache.
            cache: Box<str>,
            /// The slab.
            slab: Pfn,
            /// Which move.
            to: SlabTransition,
        }
            function: match to {
                SlabTransition::CpuFull => "___slab_alloc",
                SlabTransition::PartialToCpu => "get_partial_node",
                SlabTransition::FullToPartial => "__slab_free",
                SlabTransition::CpuToPartial => "deactivate_slab",
            },
            tracepoint: None,
            sentence: match to {
                SlabTransition::CpuFull => format!("{cache} slab {slab} is full; CPU 0 lets it go."),
                SlabTransition::PartialToCpu => format!(
                    "{cache} slab {slab} comes off the node's partial list to be CPU 0's slab."
                ),
                SlabTransition::FullToPartial => format!(
                    "{cache} slab {slab} was full and now has a free slot: it joins the \
                     tail of the node's partial list."
                ),
                SlabTransition::CpuToPartial => format!(
                    "CPU 0's {cache} slab {slab} goes to the head of the node's partial list."
                ),
            },

        /// `discard_slab`: an empty slab's pages go back to the buddy allocator.
        SlabDiscard {
            /// The cache.
            cache: Box<str>,
            /// The slab.
            slab: Pfn,
            /// Its order.
            order: u8,
        }
            function: "discard_slab",
            tracepoint: None,
            sentence: format!(
                "{cache} slab {slab} is empty; its order-{order} block goes back to the \
                 buddy allocator."
            ),
    }
}
