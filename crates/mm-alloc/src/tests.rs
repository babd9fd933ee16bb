//! The allocator over an ordinary buffer: random allocations, frees and resizes must
//! hand out aligned, non-overlapping blocks whose contents survive, and freed large
//! runs must be reused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::undocumented_unsafe_blocks
)]

use super::*;
use proptest::prelude::*;

/// A buffer that "grows" by handing out its next pages.
struct Arena {
    base: usize,
    used: usize,
    cap: usize,
}

impl Arena {
    fn new(cap: usize) -> Arena {
        let layout = Layout::from_size_align(cap, PAGE).unwrap();
        let base = unsafe { std::alloc::alloc_zeroed(layout) } as usize;
        assert_ne!(base, 0);
        Arena { base, used: 0, cap }
    }
}

impl Memory for Arena {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        if self.used + pages * PAGE > self.cap {
            return None;
        }
        let at = self.base + self.used;
        self.used += pages * PAGE;
        Some(at)
    }
}

#[derive(Clone, Debug)]
enum Op {
    Alloc { size: usize, align_log: u32 },
    Free { nth: usize },
    Realloc { nth: usize, size: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let size = prop_oneof![4 => 1usize..200, 2 => 200usize..40_000, 1 => 40_000usize..400_000];
    prop_oneof![
        4 => (size.clone(), 0u32..13).prop_map(|(size, align_log)| Op::Alloc { size, align_log }),
        3 => (0usize..64).prop_map(|nth| Op::Free { nth }),
        2 => (0usize..64, size).prop_map(|(nth, size)| Op::Realloc { nth, size }),
    ]
}

fn check_block(live: &[(usize, Layout, u8)], at: usize, layout: Layout, arena: &Arena) {
    assert_ne!(at, 0, "out of memory for {layout:?}");
    assert_eq!(at % layout.align(), 0, "{at:#x} not aligned for {layout:?}");
    assert!(at >= arena.base && at + layout.size() <= arena.base + arena.used);
    for (a, l, _) in live {
        assert!(at + layout.size() <= *a || a + l.size() <= at, "overlap");
    }
}

fn fill(at: usize, len: usize, b: u8) {
    unsafe { std::ptr::write_bytes(at as *mut u8, b, len) };
}

fn intact(at: usize, len: usize, b: u8) -> bool {
    (0..len).all(|i| unsafe { *((at + i) as *const u8) } == b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn blocks_are_aligned_distinct_and_keep_their_contents(ops in proptest::collection::vec(op(), 1..300)) {
        let mut h = Heap::new(Arena::new(256 << 20));
        let mut live: Vec<(usize, Layout, u8)> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let tag = (i % 251) as u8 + 1;
            match *op {
                Op::Alloc { size, align_log } => {
                    let layout = Layout::from_size_align(size, 1 << align_log).unwrap();
                    let at = unsafe { h.alloc(layout) } as usize;
                    check_block(&live, at, layout, &h.mem);
                    fill(at, size, tag);
                    live.push((at, layout, tag));
                }
                Op::Free { nth } if !live.is_empty() => {
                    let (at, layout, b) = live.swap_remove(nth % live.len());
                    prop_assert!(intact(at, layout.size(), b));
                    unsafe { h.dealloc(at as *mut u8, layout) };
                }
                Op::Realloc { nth, size } if !live.is_empty() => {
                    let (at, layout, b) = live.swap_remove(nth % live.len());
                    let to = unsafe { h.realloc(at as *mut u8, layout, size) } as usize;
                    let new = Layout::from_size_align(size, layout.align()).unwrap();
                    check_block(&live, to, new, &h.mem);
                    prop_assert!(intact(to, layout.size().min(size), b));
                    fill(to, size, tag);
                    live.push((to, new, tag));
                }
                _ => {}
            }
        }
        for (at, layout, b) in live.drain(..) {
            prop_assert!(intact(at, layout.size(), b));
            unsafe { h.dealloc(at as *mut u8, layout) };
        }
    }
}

#[test]
fn freed_large_runs_merge_and_are_reused() {
    let mut h = Heap::new(Arena::new(64 << 20));
    let l = |n: usize| Layout::from_size_align(n, 8).unwrap();
    let a = unsafe { h.alloc(l(3 * PAGE)) } as usize;
    let b = unsafe { h.alloc(l(2 * PAGE)) } as usize;
    let c = unsafe { h.alloc(l(PAGE + 1)) } as usize;
    let used = h.mem.used;
    unsafe {
        h.dealloc(a as *mut u8, l(3 * PAGE));
        h.dealloc(c as *mut u8, l(PAGE + 1));
        h.dealloc(b as *mut u8, l(2 * PAGE));
    }
    // One run of 7 pages: a block of 7 pages needs no new memory.
    let d = unsafe { h.alloc(l(7 * PAGE)) } as usize;
    assert_eq!(d, a);
    assert_eq!(h.mem.used, used);
    // A larger block extends the last run at the top instead of leaving it behind.
    unsafe { h.dealloc(d as *mut u8, l(7 * PAGE)) };
    let e = unsafe { h.alloc(l(9 * PAGE)) } as usize;
    assert_eq!(e, a);
    assert_eq!(h.mem.used, used + 2 * PAGE);
}

#[test]
fn small_blocks_are_reused_by_class_and_out_of_memory_is_null() {
    let mut h = Heap::new(Arena::new(2 * PAGE));
    let l = Layout::from_size_align(24, 8).unwrap();
    let a = unsafe { h.alloc(l) };
    unsafe { h.dealloc(a, l) };
    assert_eq!(
        unsafe { h.alloc(Layout::from_size_align(30, 4).unwrap()) },
        a
    );
    assert!(unsafe { h.alloc(Layout::from_size_align(4 * PAGE, 8).unwrap()) }.is_null());
    assert!(unsafe { h.alloc(Layout::from_size_align(8, 2 * PAGE).unwrap()) }.is_null());
}
