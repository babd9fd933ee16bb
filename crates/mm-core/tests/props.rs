//! Property tests: random allocation and free sequences on machines of several
//! sizes, with and without per-CPU lists; invariants after every step; freeing
//! everything gives back the boot-time free lists; garbage input never panics and
//! never changes the free lists.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::vocab::GfpFlags;
use mm_core::{BootParams, Machine, Pfn};
use proptest::prelude::*;

const GFPS: &[&str] = &[
    "GFP_KERNEL",
    "GFP_USER",
    "GFP_HIGHUSER_MOVABLE",
    "GFP_DMA32",
    "GFP_DMA",
    "GFP_ATOMIC",
    "GFP_KERNEL|__GFP_RECLAIMABLE",
    "__GFP_MOVABLE",
    "GFP_KERNEL|__GFP_NOWARN",
    "GFP_NOWAIT",
];

#[derive(Clone, Debug)]
enum Op {
    Alloc { order: u8, gfp: usize },
    Free { pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        // Mostly small orders (as real workloads), sometimes any order up to 10.
        3 => (prop_oneof![3 => 0u8..=3, 1 => 0u8..=10], 0..GFPS.len()).prop_map(|(order, gfp)| Op::Alloc { order, gfp }),
        2 => any::<usize>().prop_map(|pick| Op::Free { pick }),
    ]
}

fn machine(args: &str) -> Machine {
    Machine::boot(BootParams::parse(args.split_whitespace()).unwrap())
}

/// Runs `ops`, checking invariants after each; frees everything; checks buddyinfo.
fn exercise(args: &str, ops: &[Op]) {
    let mut m = machine(args);
    // Boot-time slab pages may leave blocks on the per-CPU lists: start from drained.
    m.drain_all_pages();
    let boot_buddyinfo = m.read_file("/proc/buddyinfo").unwrap();
    let mut live: Vec<(Pfn, u8)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::Alloc { order, gfp } => {
                if let Ok((_, pfn)) = m.alloc_pages(*order, GfpFlags::parse(GFPS[*gfp]).unwrap()) {
                    live.push((pfn, *order));
                }
            }
            Op::Free { pick } => {
                if !live.is_empty() {
                    let (pfn, order) = live.swap_remove(pick % live.len());
                    m.free_pages(pfn, Some(order)).unwrap();
                }
            }
        }
        if let Err(e) = m.check_invariants() {
            panic!("{args}: step {i} ({op:?}): {e}");
        }
    }
    for (pfn, order) in live.drain(..) {
        m.free_pages(pfn, Some(order)).unwrap();
    }
    m.drain_all_pages();
    m.check_invariants().unwrap();
    assert_eq!(
        m.read_file("/proc/buddyinfo").unwrap(),
        boot_buddyinfo,
        "{args}: free lists differ from boot after freeing everything"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn small_three_zone_machine(ops in proptest::collection::vec(op(), 1..1500)) {
        exercise("mem=64M dma=4M dma32=32M", &ops);
    }

    #[test]
    fn small_three_zone_machine_with_pcp(ops in proptest::collection::vec(op(), 1..1500)) {
        exercise("mem=64M dma=4M dma32=32M pcp=on", &ops);
    }

    #[test]
    fn two_zone_machine(ops in proptest::collection::vec(op(), 1..800)) {
        exercise("mem=128M", &ops);
    }

    #[test]
    fn default_machine_with_pcp(ops in proptest::collection::vec(op(), 1..300)) {
        exercise("mem=1G pcp=on cpus=4", &ops);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// A bigger machine, fewer invariant checks (each walks every page).
    #[test]
    fn six_gigabytes(ops in proptest::collection::vec(op(), 1..60)) {
        exercise("mem=6G", &ops);
    }
}

/// Words a confused student might type.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alloc_pages".to_string()),
        Just("free_pages".to_string()),
        Just("cat".to_string()),
        Just("echo".to_string()),
        Just("sysctl".to_string()),
        Just("boot".to_string()),
        Just("help".to_string()),
        Just("dmesg".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("head".to_string()),
        Just("grep".to_string()),
        Just("-n".to_string()),
        Just("-w".to_string()),
        Just("/proc/buddyinfo".to_string()),
        Just("/proc/sys/vm/min_free_kbytes".to_string()),
        Just("vm.min_free_kbytes=0".to_string()),
        Just("mem=8M".to_string()),
        Just("GFP_DMA|".to_string()),
        Just("'".to_string()),
        Just("0x".to_string()),
        Just("4294967296".to_string()),
        Just("-1".to_string()),
        any::<u16>().prop_map(|n| n.to_string()),
        any::<u32>().prop_map(|n| format!("{n:#x}")),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn garbage_never_panics_and_failures_change_no_free_list(lines in proptest::collection::vec(proptest::collection::vec(token(), 0..6), 1..20)) {
        let mut m = machine("mem=32M dma=4M dma32=16M");
        for words in lines {
            let line = words.join(" ");
            let before = m.read_file("/proc/buddyinfo").unwrap();
            let out = m.run(&line);
            if !out.ok && !line.contains("alloc_pages") {
                prop_assert_eq!(m.read_file("/proc/buddyinfo").unwrap(), before, "failed '{}' changed the free lists", line);
            }
            if !out.ok {
                prop_assert!(out.output.lines().count() == 1, "'{}' printed more than one error line: {}", line, out.output);
            }
            if let Err(e) = m.check_invariants() {
                panic!("after '{line}': {e}");
            }
        }
    }
}

#[derive(Clone, Debug)]
enum SlabOp {
    Create { size: u32, hw: bool },
    Alloc { cache: usize },
    Free { pick: usize },
    Kmalloc { size: u64, gfp: usize },
    Shrink { cache: usize },
    Destroy { cache: usize },
}

fn slab_op() -> impl Strategy<Value = SlabOp> {
    prop_oneof![
        1 => (1u32..20_000, any::<bool>()).prop_map(|(size, hw)| SlabOp::Create { size, hw }),
        6 => (0usize..8).prop_map(|cache| SlabOp::Alloc { cache }),
        6 => any::<usize>().prop_map(|pick| SlabOp::Free { pick }),
        4 => (prop_oneof![4 => 0u64..300, 2 => 0u64..9000, 1 => 0u64..100_000], 0..4usize).prop_map(|(size, gfp)| SlabOp::Kmalloc { size, gfp }),
        1 => (0usize..8).prop_map(|cache| SlabOp::Shrink { cache }),
        1 => (0usize..8).prop_map(|cache| SlabOp::Destroy { cache }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Random slab traffic: invariants after every step; freeing every object,
    /// shrinking and destroying every created cache gives the boot free lists back.
    #[test]
    fn slab_sequences(ops in proptest::collection::vec(slab_op(), 1..600), pcp in any::<bool>()) {
        let args = if pcp { "mem=64M pcp=on" } else { "mem=64M" };
        let mut m = machine(args);
        m.drain_all_pages();
        let boot_buddyinfo = m.read_file("/proc/buddyinfo").unwrap();
        let kgfp = ["GFP_KERNEL", "GFP_KERNEL|__GFP_RECLAIMABLE", "GFP_DMA", "GFP_KERNEL_ACCOUNT"];
        let mut caches: Vec<String> = Vec::new();
        let mut live: Vec<u64> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let line = match op {
                SlabOp::Create { size, hw } => {
                    let name = format!("c{i}");
                    caches.push(name.clone());
                    format!("kmem_cache_create {name} {size}{}", if *hw { " SLAB_HWCACHE_ALIGN" } else { "" })
                }
                SlabOp::Alloc { cache } if !caches.is_empty() => format!("kmem_cache_alloc {}", caches[cache % caches.len()]),
                SlabOp::Free { pick } if !live.is_empty() => format!("kfree {:#x}", live.swap_remove(pick % live.len())),
                SlabOp::Kmalloc { size, gfp } => format!("kmalloc {size} {}", kgfp[*gfp]),
                SlabOp::Shrink { cache } if !caches.is_empty() => format!("kmem_cache_shrink {}", caches[cache % caches.len()]),
                SlabOp::Destroy { cache } if !caches.is_empty() => format!("kmem_cache_destroy {}", caches[cache % caches.len()]),
                _ => continue,
            };
            let out = m.run(&line);
            if out.ok && (line.starts_with("kmalloc ") || line.starts_with("kmem_cache_alloc")) {
                let addr = out.output.split_whitespace().next().and_then(|w| w.strip_prefix("addr=0x")).unwrap();
                let addr = u64::from_str_radix(addr, 16).unwrap();
                if addr != 0x10 {
                    live.push(addr);
                }
            }
            if out.ok && line.starts_with("kmem_cache_destroy") {
                let name = line.split_whitespace().nth(1).unwrap().to_string();
                caches.retain(|c| *c != name);
            }
            if let Err(e) = m.check_invariants() {
                panic!("step {i} '{line}': {e}");
            }
        }
        for addr in live {
            let out = m.run(&format!("kfree {addr:#x}"));
            prop_assert!(out.ok, "{}", out.output);
        }
        for c in &caches {
            let out = m.run(&format!("kmem_cache_destroy {c}"));
            prop_assert!(out.ok, "{}", out.output);
        }
        for name in ["kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128", "kmalloc-192",
                     "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k"] {
            for prefix in ["", "rcl-", "cg-"] {
                let n = name.replacen("kmalloc-", &format!("kmalloc-{prefix}"), 1);
                m.run(&format!("kmem_cache_shrink {n}"));
            }
            m.run(&format!("kmem_cache_shrink dma-{name}"));
        }
        m.run("kmem_cache_shrink kmem_cache");
        m.run("kmem_cache_shrink kmem_cache_node");
        m.drain_all_pages();
        m.check_invariants().unwrap();
        prop_assert_eq!(m.read_file("/proc/buddyinfo").unwrap(), boot_buddyinfo);
    }
}
