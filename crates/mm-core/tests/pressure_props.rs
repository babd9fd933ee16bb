//! Property tests for memory pressure: random sequences of file reads and writes
//! (cat, dd with skip and seek), sync, rm, drop_caches, sleep, the dirty tunables,
//! anonymous hogs and slab allocations on machines small enough that the page cache
//! is reclaimed again and again, with every invariant checked after every step
//! (LRU lists, page-cache XArrays, dirty and writeback counts, slabs, page tables).
//! At the end, removing every file leaves no page cache behind.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{BootParams, Machine};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Create {
        file: u8,
        mb: u64,
    },
    Cat {
        file: u8,
    },
    Read {
        file: u8,
        bs: usize,
        count: u64,
        skip: u64,
    },
    Write {
        file: u8,
        count: u64,
        seek: u64,
    },
    Sync,
    Rm {
        file: u8,
    },
    Drop {
        value: u8,
    },
    Sleep {
        ms: u64,
    },
    Tunable {
        which: usize,
        value: u64,
    },
    Hog {
        mb: u64,
    },
    Slab {
        n: u8,
    },
    /// A new process maps a file (shared or private, at a page offset) and reads or
    /// writes some of its pages.
    Map {
        file: u8,
        shared: bool,
        write: bool,
        offset: u64,
        pages: u64,
    },
    /// The newest process exits.
    Exit,
}

const BS: &[&str] = &["4K", "64K", "1M", "512"];
const TUNABLES: &[&str] = &[
    "dirty_ratio",
    "dirty_background_ratio",
    "dirty_bytes",
    "dirty_background_bytes",
    "dirty_expire_centisecs",
    "dirty_writeback_centisecs",
    "swappiness",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..4, 1u64..48).prop_map(|(file, mb)| Op::Create { file, mb }),
        3 => (0u8..4).prop_map(|file| Op::Cat { file }),
        4 => (0u8..4, 0..BS.len(), 1u64..300, 0u64..3000).prop_map(|(file, bs, count, skip)| Op::Read { file, bs, count, skip }),
        4 => (0u8..4, 1u64..8, 0u64..40).prop_map(|(file, count, seek)| Op::Write { file, count, seek }),
        1 => Just(Op::Sync),
        1 => (0u8..4).prop_map(|file| Op::Rm { file }),
        1 => (1u8..=4).prop_map(|value| Op::Drop { value }),
        1 => prop_oneof![Just(100u64), Just(5_000), Just(31_000)].prop_map(|ms| Op::Sleep { ms }),
        1 => (0..TUNABLES.len(), prop_oneof![0u64..101, 8192u64..2_000_000]).prop_map(|(which, value)| Op::Tunable { which, value }),
        1 => (1u64..24).prop_map(|mb| Op::Hog { mb }),
        1 => (1u8..40).prop_map(|n| Op::Slab { n }),
        3 => (0u8..4, any::<bool>(), any::<bool>(), 0u64..64, 1u64..300).prop_map(|(file, shared, write, offset, pages)| Op::Map { file, shared, write, offset, pages }),
        1 => Just(Op::Exit),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn page_cache_sequences(ops in proptest::collection::vec(op(), 1..120), mem in prop_oneof![Just("16M"), Just("32M")]) {
        let mut m = Machine::boot(BootParams::parse([format!("mem={mem}").as_str()]).unwrap());
        for (i, op) in ops.iter().enumerate() {
            let lines: Vec<String> = match op {
                Op::Create { file, mb } => vec![format!("fallocate -l {mb}M /data/f{file}")],
                Op::Cat { file } => vec![format!("cat /data/f{file} > /dev/null")],
                Op::Read { file, bs, count, skip } => vec![format!(
                    "dd if=/data/f{file} of=/dev/null bs={} count={count} skip={skip}",
                    BS[*bs]
                )],
                Op::Write { file, count, seek } => vec![format!(
                    "dd if=/dev/zero of=/data/f{file} bs=1M count={count} seek={seek}"
                )],
                Op::Sync => vec!["sync".into()],
                Op::Rm { file } => vec![format!("rm /data/f{file}")],
                Op::Drop { value } => vec![format!("echo {value} > /proc/sys/vm/drop_caches")],
                Op::Sleep { ms } => vec![format!("sleep {ms}ms")],
                Op::Tunable { which, value } => vec![format!("sysctl -w vm.{}={value}", TUNABLES[*which])],
                Op::Hog { .. } => vec![
                    format!("spawn hog{i}"),
                    "sysctl -w vm.overcommit_memory=1".into(),
                ],
                Op::Slab { n } => (0..*n).map(|_| "kmalloc 4096".to_string()).collect(),
                Op::Map { .. } => vec![format!("spawn map{i}")],
                Op::Exit => {
                    let ps = m.run("ps").output;
                    match ps.lines().last().and_then(|l| l.split_whitespace().next()) {
                        Some(pid) if pid != "1" && pid != "PID" => vec![format!("exit {pid}")],
                        _ => vec![],
                    }
                }
            };
            for line in &lines {
                let out = m.run(line);
                if !out.ok {
                    prop_assert!(out.output.lines().count() == 1, "'{}' printed more than one error line: {}", line, out.output);
                }
                if let Err(e) = m.check_invariants() {
                    panic!("step {i} '{line}': {e}\n{}", out.output);
                }
            }
            if let Op::Hog { mb } = op {
                // The newest process maps and touches mb MiB (it may be OOM-killed).
                let ps = m.run("ps").output;
                let Some(pid) = ps.lines().last().and_then(|l| l.split_whitespace().next()) else { continue };
                let map = m.run(&format!("mmap {pid} {mb}M")).output;
                if let Some(addr) = map.split_whitespace().find_map(|w| w.strip_prefix("addr=")) {
                    let out = m.run(&format!("touch {pid} {addr} {mb}M"));
                    if let Err(e) = m.check_invariants() {
                        panic!("step {i} touch: {e}\n{}", out.output);
                    }
                }
            }
            if let Op::Map { file, shared, write, offset, pages } = op {
                let ps = m.run("ps").output;
                let Some(pid) = ps.lines().last().and_then(|l| l.split_whitespace().next()) else { continue };
                let flag = if *shared { "MAP_SHARED" } else { "MAP_PRIVATE" };
                let map = m.run(&format!("mmap {pid} {}K /data/f{file} offset={}K {flag}", pages * 4, offset * 4)).output;
                if let Some(addr) = map.split_whitespace().find_map(|w| w.strip_prefix("addr=")) {
                    let addr = u64::from_str_radix(addr.trim_start_matches("0x"), 16).unwrap();
                    for k in (0..*pages).step_by(3) {
                        let verb = if *write { "write" } else { "read" };
                        let out = m.run(&format!("{verb} {pid} {:#x}", addr + k * 4096));
                        if let Err(e) = m.check_invariants() {
                            panic!("step {i} {verb}: {e}\n{}", out.output);
                        }
                    }
                }
            }
            if m.dmesg().any(|l| l.contains("Kernel panic")) {
                // Nothing left to kill: the machine only reboots now.
                return Ok(());
            }
        }
        // Every process exits (its mappings go), then the files.
        let ps = m.run("ps").output;
        for pid in ps.lines().skip(1).filter_map(|l| l.split_whitespace().next()).filter(|p| *p != "1") {
            m.run(&format!("exit {pid}"));
        }
        // Removing every file drops the whole page cache.
        for f in 0..4 {
            m.run(&format!("rm /data/f{f}"));
        }
        m.check_invariants().unwrap();
        let meminfo = m.run("cat /proc/meminfo").output;
        let field = |name: &str| meminfo.lines().find(|l| l.starts_with(name)).map(|l| l.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap());
        prop_assert_eq!(field("Cached:"), Some(0));
        prop_assert_eq!(field("Dirty:"), Some(0));
        prop_assert_eq!(field("Active(file):"), Some(0));
        prop_assert_eq!(field("Inactive(file):"), Some(0));
        prop_assert_eq!(field("Mapped:"), Some(0));
    }
}
