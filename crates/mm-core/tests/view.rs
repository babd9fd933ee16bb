//! The free-list view moved by a command's events equals the view of the machine
//! after the command: the UI's step-by-step pictures are exact.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::views::FreeListsView;
use mm_core::{BootParams, Machine};
use proptest::prelude::*;

const LINES: &[&str] = &[
    "alloc_pages 0",
    "alloc_pages 1",
    "alloc_pages 3",
    "alloc_pages 9",
    "alloc_pages 0 GFP_HIGHUSER_MOVABLE",
    "alloc_pages 2 GFP_KERNEL|__GFP_RECLAIMABLE",
    "alloc_pages 4 GFP_DMA",
    "alloc_pages 0 GFP_ATOMIC",
    "kmalloc 200",
    "kmalloc 3000",
    "kmalloc 20000",
    "spawn p",
    "mmap 2 64K",
    "write 2 0x7ffff7ff0000",
    "fork 2",
    "exit 3",
    "sysctl -w vm.min_free_kbytes=4096",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn events_replay_the_free_lists(picks in proptest::collection::vec((0..LINES.len(), any::<u16>()), 1..120), pcp in any::<bool>()) {
        let mut m = Machine::boot(BootParams::parse(["mem=64M", "dma=4M", "dma32=32M", if pcp { "pcp=on" } else { "pcp=off" }]).unwrap());
        m.set_recording(true);
        let mut pfns: Vec<u64> = Vec::new();
        for (i, r) in picks {
            // Mix in frees of earlier allocations.
            let line = if r % 3 == 0 && !pfns.is_empty() {
                format!("free_pages {:#x}", pfns.swap_remove(r as usize % pfns.len()))
            } else {
                LINES[i].to_string()
            };
            let mut view = FreeListsView::of(&m);
            let out = m.run(&line);
            if out.ok && line.starts_with("alloc_pages") {
                let pfn = out.output.split_whitespace().next().unwrap().trim_start_matches("pfn=0x");
                pfns.push(u64::from_str_radix(pfn, 16).unwrap());
            }
            for e in &out.events {
                view.apply(e);
            }
            prop_assert_eq!(view, FreeListsView::of(&m), "after '{}'", line);
        }
    }
}
