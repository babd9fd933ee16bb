//! The free-list and page-state views moved by a command's events equal the views of
//! the machine after the command: the UI's step-by-step pictures are exact.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::event::SummaryEvent;
use mm_core::views::{FreeListsView, PageStatesView};
use mm_core::Event;
use mm_core::{BootParams, Machine};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

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
            let mut states = PageStatesView::of(&m);
            let out = m.run(&line);
            if out.ok && line.starts_with("alloc_pages") {
                let pfn = out.output.split_whitespace().next().unwrap().trim_start_matches("pfn=0x");
                pfns.push(u64::from_str_radix(pfn, 16).unwrap());
            }
            for e in &out.events {
                view.apply(e);
            }
            prop_assert_eq!(view, FreeListsView::of(&m), "after '{}'", line);
            for e in &out.events {
                states.apply(e);
            }
            prop_assert!(states.states() == m.page_states(), "page states after '{}'", line);
        }
    }
}

/// A command past the step budget keeps exactly the first steps an uncut run has, every
/// decisive step, a summary that counts the rest, and the last steps; past the summary
/// the free lists are those after the command.
fn check_cut(m: &Machine, line: &str, budget: usize) -> Result<(), TestCaseError> {
    let mut full = m.clone();
    full.set_event_budget(usize::MAX);
    let all = full.run(line).events;
    let mut cut = m.clone();
    cut.set_event_budget(budget);
    let before = FreeListsView::of(&cut);
    let kept = cut.run(line).events;
    prop_assert_eq!(FreeListsView::of(&cut), FreeListsView::of(&full));
    let Some(at) = kept.iter().position(|e| matches!(e, Event::Summary(_))) else {
        // Not cut: every step kept, and they replay the lists.
        prop_assert_eq!(&kept, &all);
        prop_assert_eq!(
            FreeListsView::replay(&before, &kept, &FreeListsView::of(&cut)),
            FreeListsView::of(&cut)
        );
        return Ok(());
    };
    prop_assert!(all.len() > budget);
    prop_assert_eq!(&kept[..budget], &all[..budget]);
    let tail = &kept[at + 1..];
    prop_assert_eq!(tail, &all[all.len() - tail.len()..]);
    let Event::Summary(SummaryEvent::Summary { steps, counts }) = &kept[at] else {
        unreachable!()
    };
    let decisive = &kept[budget..at];
    prop_assert!(decisive.iter().all(Event::decisive));
    prop_assert_eq!(
        *steps as usize + budget + decisive.len() + tail.len(),
        all.len()
    );
    prop_assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), *steps);
    let middle = &all[budget..all.len() - tail.len()];
    prop_assert_eq!(
        middle.iter().filter(|e| e.decisive()).count(),
        decisive.len()
    );
    prop_assert_eq!(
        FreeListsView::replay(&before, &kept, &FreeListsView::of(&cut)),
        FreeListsView::of(&cut)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn cut_commands_keep_head_decisive_summary_and_tail(picks in proptest::collection::vec(0..LINES.len(), 1..40), budget in 1usize..60) {
        let mut m = Machine::boot(BootParams::parse(["mem=64M", "dma=4M", "dma32=32M"]).unwrap());
        m.set_recording(true);
        for i in picks {
            check_cut(&m, LINES[i], budget)?;
            m.run(LINES[i]);
        }
        // A touch of many pages, with an OOM kill part-way, is cut too.
        let pid = m.run("spawn big").output.split_whitespace().next().unwrap().trim_start_matches("pid=").to_string();
        let out = m.run(&format!("mmap {pid} 60M")).output;
        let addr = out.split_whitespace().next().unwrap().trim_start_matches("addr=").to_string();
        let touch = format!("touch {pid} {addr} 60M");
        check_cut(&m, &touch, budget.max(5))?;
        let mut probe = m.clone();
        probe.set_event_budget(budget.max(5));
        prop_assert!(probe.run(&touch).events.iter().any(|e| matches!(e, Event::Summary(_))), "{}", touch);
    }
}

const SLAB_LINES: &[&str] = &[
    "kmem_cache_alloc c",
    "kmem_cache_alloc c",
    "kmem_cache_alloc c",
    "kmalloc 512",
    "kmem_cache_shrink c",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A cache's slabs moved by a command's events are its slabs after the command.
    #[test]
    fn events_replay_a_caches_slabs(picks in proptest::collection::vec((0..SLAB_LINES.len() + 1, any::<u16>()), 1..150)) {
        let mut m = Machine::boot(BootParams::parse(["mem=64M"]).unwrap());
        m.set_recording(true);
        assert!(m.run("kmem_cache_create c 700").ok);
        let mut objs: Vec<String> = Vec::new();
        for (i, r) in picks {
            let line = if i == SLAB_LINES.len() {
                if objs.is_empty() { continue; }
                format!("kmem_cache_free c {}", objs.swap_remove(r as usize % objs.len()))
            } else {
                SLAB_LINES[i].to_string()
            };
            let mut slabs = m.slabs("c", usize::MAX).unwrap();
            let out = m.run(&line);
            if out.ok && line.starts_with("kmem_cache_alloc") {
                objs.push(out.output.split_whitespace().next().unwrap().trim_start_matches("addr=").to_string());
            }
            for e in &out.events {
                mm_core::views::slabs::apply(&mut slabs, "c", e);
            }
            prop_assert_eq!(slabs, m.slabs("c", usize::MAX).unwrap(), "after '{}'", line);
        }
    }
}
