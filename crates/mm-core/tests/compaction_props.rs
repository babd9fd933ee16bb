//! Property tests for compaction: random machines fragmented on purpose (processes
//! that map and touch memory and then unmap every other stretch of it, forks that
//! share pages, mapped and read files, kernel blocks that cannot move), compacted by
//! `compact_memory` and by high-order allocations that compact for themselves.
//! Every invariant is checked after every step; among them, every PTE of every
//! process maps the page that holds its data (an anonymous page records the address
//! it was faulted at, a file page its file and index: the model's contents markers),
//! so a migration that forgot a mapping fails at once. Compaction changes nothing a
//! process can see (its maps, its RSS, the commit charge), and when everything is
//! freed the machine is back to its boot state.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{BootParams, Machine};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// A new process maps `kb` KiB, touches it, then unmaps every other `hole` KiB.
    Fragment { kb: u64, hole: u64 },
    /// The `nth` process forks (its pages become shared).
    Fork { nth: usize },
    /// A file of `kb` KiB mapped shared and read by the `nth` process.
    MapFile { nth: usize, kb: u64 },
    /// A kernel block of this order (unmovable, kept until the end).
    Kernel { order: u8 },
    /// `echo 1 > /proc/sys/vm/compact_memory`.
    CompactMemory,
    /// An allocation of this order that may compact, freed again.
    HighOrder { order: u8, movable: bool },
    /// The `nth` process exits.
    Exit { nth: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (256u64..4096, prop_oneof![Just(4u64), Just(16), Just(32), Just(64)]).prop_map(|(kb, hole)| Op::Fragment { kb, hole }),
        1 => (0usize..6).prop_map(|nth| Op::Fork { nth }),
        1 => (0usize..6, 16u64..1024).prop_map(|(nth, kb)| Op::MapFile { nth, kb }),
        1 => (0u8..4).prop_map(|order| Op::Kernel { order }),
        3 => Just(Op::CompactMemory),
        3 => (1u8..10, any::<bool>()).prop_map(|(order, movable)| Op::HighOrder { order, movable }),
        1 => (0usize..6).prop_map(|nth| Op::Exit { nth }),
    ]
}

fn field(m: &mut Machine, file: &str, name: &str) -> u64 {
    let text = m.run(&format!("cat {file}")).output;
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX)
}

fn pids(m: &mut Machine) -> Vec<u32> {
    m.run("ps")
        .output
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .filter(|p| *p != 1)
        .collect()
}

/// What a process can see of its memory: its maps and its RSS lines.
fn visible(m: &mut Machine) -> Vec<String> {
    let mut out = Vec::new();
    for pid in pids(m) {
        out.push(m.run(&format!("cat /proc/{pid}/maps")).output);
        out.push(
            m.run(&format!("cat /proc/{pid}/status"))
                .output
                .lines()
                .filter(|l| l.starts_with("Rss") || l.starts_with("VmSwap"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    out.push(field(m, "/proc/meminfo", "Committed_AS:").to_string());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn compaction_sequences(
        ops in proptest::collection::vec(op(), 1..32),
        mem in prop_oneof![Just("16M"), Just("32M"), Just("64M")],
        pcp in any::<bool>(),
        swap in prop_oneof![Just("swap=0"), Just("swap=8M")],
    ) {
        let pcp = if pcp { "pcp=on" } else { "pcp=off" };
        let mut m = Machine::boot(BootParams::parse([format!("mem={mem}").as_str(), pcp, swap]).unwrap());
        m.run("sysctl -w vm.overcommit_memory=1");
        let free_or_slab = |m: &mut Machine| field(m, "/proc/meminfo", "MemFree:") + field(m, "/proc/meminfo", "Slab:");
        m.run("echo 1 > /proc/sys/vm/drop_caches");
        m.drain_all_pages();
        let boot_free = free_or_slab(&mut m);
        let mut kernel_blocks: Vec<(String, u8)> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let procs = pids(&mut m);
            let pick = |nth: usize| procs.get(nth % procs.len().max(1)).copied();
            let mut lines: Vec<String> = Vec::new();
            match op {
                Op::Fragment { kb, hole } => {
                    m.run(&format!("spawn frag{i}"));
                    let pid = *pids(&mut m).last().unwrap();
                    let map = m.run(&format!("mmap {pid} {kb}K")).output;
                    if let Some(addr) = map.split_whitespace().find_map(|w| w.strip_prefix("addr=")) {
                        let base = u64::from_str_radix(addr.trim_start_matches("0x"), 16).unwrap();
                        lines.push(format!("touch {pid} {addr} {kb}K"));
                        let mut off = 0;
                        while off + hole <= *kb {
                            lines.push(format!("munmap {pid} {:#x} {hole}K", base + off * 1024));
                            off += 2 * hole;
                        }
                    }
                }
                Op::Fork { nth } => if let Some(p) = pick(*nth) { lines.push(format!("fork {p}")) },
                Op::MapFile { nth, kb } => if let Some(p) = pick(*nth) {
                    m.run(&format!("fallocate -l {kb}K /data/f{i}"));
                    let map = m.run(&format!("mmap {p} {kb}K /data/f{i} MAP_SHARED")).output;
                    if let Some(addr) = map.split_whitespace().find_map(|w| w.strip_prefix("addr=")) {
                        lines.push(format!("touch {p} {addr} {kb}K read"));
                    }
                },
                Op::Kernel { order } => {
                    let out = m.run(&format!("alloc_pages {order} GFP_KERNEL|__GFP_NOWARN")).output;
                    if let Some(pfn) = out.split_whitespace().find_map(|w| w.strip_prefix("pfn=")) {
                        kernel_blocks.push((pfn.to_string(), *order));
                    }
                }
                Op::CompactMemory => {
                    let before = visible(&mut m);
                    let out = m.run("echo 1 > /proc/sys/vm/compact_memory");
                    if let Err(e) = m.check_invariants() {
                        panic!("step {i} compact_memory: {e}\n{}", out.output);
                    }
                    prop_assert_eq!(visible(&mut m), before, "compact_memory changed what processes see");
                }
                Op::HighOrder { order, movable } => {
                    let gfp = if *movable { "GFP_HIGHUSER_MOVABLE" } else { "GFP_KERNEL" };
                    let out = m.run(&format!("alloc_pages {order} {gfp}|__GFP_NORETRY|__GFP_NOWARN")).output;
                    if let Err(e) = m.check_invariants() {
                        panic!("step {i} order-{order} {gfp}: {e}\n{out}");
                    }
                    if let Some(pfn) = out.split_whitespace().find_map(|w| w.strip_prefix("pfn=")) {
                        lines.push(format!("free_pages {pfn} {order}"));
                    }
                }
                Op::Exit { nth } => if let Some(p) = pick(*nth) { lines.push(format!("exit {p}")) },
            }
            for line in &lines {
                let out = m.run(line);
                if let Err(e) = m.check_invariants() {
                    panic!("step {i} '{line}': {e}\n{}", out.output);
                }
            }
            if m.dmesg().any(|l| l.contains("Kernel panic")) {
                return Ok(());
            }
        }
        // Everything goes: back to the boot state's free memory.
        for pid in pids(&mut m) {
            m.run(&format!("exit {pid}"));
        }
        for i in 0..ops.len() {
            m.run(&format!("rm /data/f{i}"));
        }
        for (pfn, order) in &kernel_blocks {
            m.run(&format!("free_pages {pfn} {order}"));
        }
        m.run("echo 1 > /proc/sys/vm/compact_memory");
        m.check_invariants().unwrap();
        m.run("echo 1 > /proc/sys/vm/drop_caches");
        // Pages freed to the per-CPU lists are not in MemFree: give them back first.
        m.drain_all_pages();
        prop_assert_eq!(free_or_slab(&mut m), boot_free);
    }
}
