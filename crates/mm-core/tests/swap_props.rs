//! Property tests for swap: random sequences of anonymous hogs, forks, re-reads and
//! re-writes of swapped-out memory, exits, page cache and the swap tunables on small
//! machines with a little swap, so that pages are swapped out and in, shared after
//! fork, freed while swapped out, and swap fills up. Every invariant is checked
//! after every step (each swap slot's count is the swap PTEs that point at it, the
//! swap cache's folios are anonymous folios on the LRU that name their slot, RSS
//! and MM_SWAPENTS match the page tables), reclaim never changes Committed_AS, and
//! when every process has exited the machine is back to its boot state: no swap in
//! use, nothing in the swap cache, as much memory free (or held by slab caches) as
//! after boot.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{BootParams, Machine};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// A new process maps and touches `mb` MiB.
    Hog {
        mb: u64,
    },
    /// The `nth` process forks.
    Fork {
        nth: usize,
    },
    /// The `nth` process reads or writes `pages` pages of its first mapping from
    /// page `from` (swap faults, readahead, copy-on-write after a fork).
    Access {
        nth: usize,
        from: u64,
        pages: u64,
        write: bool,
    },
    /// The `nth` process exits.
    Exit {
        nth: usize,
    },
    /// A file read through the page cache.
    Cat {
        mb: u64,
    },
    /// `vm.swappiness` or `vm.page-cluster`.
    Tunable {
        cluster: bool,
        value: u64,
    },
    Sleep,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u64..20).prop_map(|mb| Op::Hog { mb }),
        2 => (0usize..8).prop_map(|nth| Op::Fork { nth }),
        6 => (0usize..8, 0u64..4096, 1u64..600, any::<bool>()).prop_map(|(nth, from, pages, write)| Op::Access { nth, from, pages, write }),
        2 => (0usize..8).prop_map(|nth| Op::Exit { nth }),
        1 => (1u64..12).prop_map(|mb| Op::Cat { mb }),
        1 => (any::<bool>(), 0u64..201).prop_map(|(cluster, value)| Op::Tunable { cluster, value: if cluster { value % 6 } else { value } }),
        1 => Just(Op::Sleep),
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

/// The user processes (not init) with the start of their first mapping, if any.
fn processes(m: &mut Machine) -> Vec<(u32, Option<u64>)> {
    let ps = m.run("ps").output;
    let pids: Vec<u32> = ps
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .filter(|p| *p != 1)
        .collect();
    pids.into_iter()
        .map(|pid| {
            let maps = m.run(&format!("cat /proc/{pid}/maps")).output;
            let start = maps
                .lines()
                .find(|l| !l.contains('[') && !l.trim().is_empty())
                .and_then(|l| l.split('-').next())
                .and_then(|a| u64::from_str_radix(a, 16).ok());
            (pid, start)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn swap_sequences(
        ops in proptest::collection::vec(op(), 1..60),
        mem in prop_oneof![Just("16M"), Just("32M")],
        swap in prop_oneof![Just("2M"), Just("8M"), Just("64M")],
    ) {
        let mut m = Machine::boot(BootParams::parse([format!("mem={mem}").as_str(), format!("swap={swap}").as_str()]).unwrap());
        m.run("sysctl -w vm.overcommit_memory=1");
        // Free memory and slab together: SLUB may keep empty slabs of the task and
        // VMA caches it grew, which are not leaks.
        let free_or_slab = |m: &mut Machine| field(m, "/proc/meminfo", "MemFree:") + field(m, "/proc/meminfo", "Slab:");
        let boot_free = free_or_slab(&mut m);
        for (i, op) in ops.iter().enumerate() {
            let procs = processes(&mut m);
            let pick = |nth: usize| procs.get(nth % procs.len().max(1)).copied();
            let lines: Vec<String> = match op {
                Op::Hog { .. } => vec![format!("spawn hog{i}")],
                Op::Fork { nth } => pick(*nth).map(|(p, _)| vec![format!("fork {p}")]).unwrap_or_default(),
                Op::Access { nth, from, pages, write } => match pick(*nth) {
                    Some((p, Some(start))) if !*write => (0..*pages).step_by(7).map(|k| format!("read {p} {:#x}", start + (from + k) * 4096)).collect(),
                    Some((p, Some(start))) => vec![format!("touch {p} {:#x} {}K", start + from * 4096, pages * 4)],
                    _ => vec![],
                },
                Op::Exit { nth } => pick(*nth).map(|(p, _)| vec![format!("exit {p}")]).unwrap_or_default(),
                Op::Cat { mb } => vec![format!("fallocate -l {mb}M /data/f{i}"), format!("cat /data/f{i} > /dev/null")],
                Op::Tunable { cluster: true, value } => vec![format!("sysctl -w vm.page-cluster={value}")],
                Op::Tunable { cluster: false, value } => vec![format!("sysctl -w vm.swappiness={value}")],
                Op::Sleep => vec!["sleep 1".into()],
            };
            for line in &lines {
                let committed = field(&mut m, "/proc/meminfo", "Committed_AS:");
                let out = m.run(line);
                if let Err(e) = m.check_invariants() {
                    panic!("step {i} '{line}': {e}\n{}", out.output);
                }
                let exits = line.starts_with("exit") || line.starts_with("fork") || line.starts_with("spawn");
                let killed = m.dmesg().any(|l| l.contains("Killed process"));
                if !exits && !killed {
                    prop_assert_eq!(field(&mut m, "/proc/meminfo", "Committed_AS:"), committed, "'{}' changed Committed_AS", line);
                }
            }
            if let Op::Hog { mb } = op {
                let Some((pid, _)) = processes(&mut m).last().copied() else { continue };
                let map = m.run(&format!("mmap {pid} {mb}M")).output;
                if let Some(addr) = map.split_whitespace().find_map(|w| w.strip_prefix("addr=")) {
                    let out = m.run(&format!("touch {pid} {addr} {mb}M"));
                    if let Err(e) = m.check_invariants() {
                        panic!("step {i} touch: {e}\n{}", out.output);
                    }
                }
            }
            if m.dmesg().any(|l| l.contains("Kernel panic")) {
                return Ok(());
            }
        }
        // Every process exits and every file goes: back to the boot state.
        for (pid, _) in processes(&mut m) {
            m.run(&format!("exit {pid}"));
        }
        for i in 0..ops.len() {
            m.run(&format!("rm /data/f{i}"));
        }
        m.check_invariants().unwrap();
        prop_assert_eq!(field(&mut m, "/proc/meminfo", "SwapCached:"), 0);
        prop_assert_eq!(field(&mut m, "/proc/meminfo", "Inactive(anon):"), 0);
        prop_assert_eq!(field(&mut m, "/proc/meminfo", "Active(anon):"), 0);
        prop_assert_eq!(
            field(&mut m, "/proc/meminfo", "SwapFree:"),
            field(&mut m, "/proc/meminfo", "SwapTotal:")
        );
        prop_assert_eq!(free_or_slab(&mut m), boot_free);
    }
}
