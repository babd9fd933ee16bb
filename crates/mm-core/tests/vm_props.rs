//! Property tests for processes: random spawn/mmap/munmap/brk/read/write/touch/fork/
//! exit/sysctl sequences with invariants after every step, and `translate`'s indices
//! against the address bits.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{BootParams, Machine};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Spawn,
    Mmap {
        pid: usize,
        pages: u64,
        flags: usize,
    },
    Munmap {
        pid: usize,
        vma: usize,
        off: u64,
        pages: u64,
    },
    Brk {
        pid: usize,
        delta: i64,
    },
    Access {
        pid: usize,
        vma: usize,
        page: u64,
        write: bool,
    },
    Touch {
        pid: usize,
        vma: usize,
    },
    Fork {
        pid: usize,
    },
    Exit {
        pid: usize,
    },
    Mode {
        mode: u8,
    },
    Adj {
        pid: usize,
        adj: i16,
    },
}

const FLAGS: &[&str] = &[
    "",
    "PROT_READ",
    "MAP_SHARED",
    "MAP_NORESERVE",
    "PROT_NONE",
    "MAP_SHARED PROT_READ|PROT_WRITE",
    "PROT_READ|PROT_WRITE|PROT_EXEC",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Spawn),
        4 => (any::<usize>(), 1u64..600, 0..FLAGS.len()).prop_map(|(pid, pages, flags)| Op::Mmap { pid, pages, flags }),
        2 => (any::<usize>(), any::<usize>(), 0u64..40, 1u64..80).prop_map(|(pid, vma, off, pages)| Op::Munmap { pid, vma, off, pages }),
        1 => (any::<usize>(), -200_000i64..400_000).prop_map(|(pid, delta)| Op::Brk { pid, delta }),
        8 => (any::<usize>(), any::<usize>(), 0u64..600, any::<bool>()).prop_map(|(pid, vma, page, write)| Op::Access { pid, vma, page, write }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(pid, vma)| Op::Touch { pid, vma }),
        2 => any::<usize>().prop_map(|pid| Op::Fork { pid }),
        1 => any::<usize>().prop_map(|pid| Op::Exit { pid }),
        1 => (0u8..3).prop_map(|mode| Op::Mode { mode }),
        1 => (any::<usize>(), -1000i16..=1000).prop_map(|(pid, adj)| Op::Adj { pid, adj }),
    ]
}

/// Live pids and their VMA starts and ends, read back through /proc.
fn pids(m: &mut Machine) -> Vec<u32> {
    m.run("ps")
        .output
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

/// The `n`-th VMA of `pid` (modulo their number), or None when it has none left (a
/// process can unmap its every mapping, its stack included).
fn pick_vma(m: &mut Machine, pid: u32, n: usize) -> Option<(u64, u64)> {
    let v = vmas(m, pid);
    (!v.is_empty()).then(|| v[n % v.len()])
}

fn vmas(m: &mut Machine, pid: u32) -> Vec<(u64, u64)> {
    m.read_file(&format!("/proc/{pid}/maps"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (a, b) = l.split_whitespace().next()?.split_once('-')?;
            Some((
                u64::from_str_radix(a, 16).ok()?,
                u64::from_str_radix(b, 16).ok()?,
            ))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn process_sequences(ops in proptest::collection::vec(op(), 1..400), mem in prop_oneof![Just("16M"), Just("64M")]) {
        let mut m = Machine::boot(BootParams::parse([format!("mem={mem}").as_str()]).unwrap());
        for (i, op) in ops.iter().enumerate() {
            let live = pids(&mut m);
            let pick = |n: usize| live[n % live.len()];
            let line = match op {
                Op::Spawn => format!("spawn p{i}"),
                Op::Mmap { pid, pages, flags } => format!("mmap {} {} {}", pick(*pid), pages * 4096, FLAGS[*flags]),
                Op::Munmap { pid, vma, off, pages } => {
                    let p = pick(*pid);
                    let Some((s, _)) = pick_vma(&mut m, p, *vma) else { continue };
                    format!("munmap {p} {:#x} {}", s + off * 4096, pages * 4096)
                }
                Op::Brk { pid, delta } => format!("brk {} {}{}", pick(*pid), if *delta < 0 { "-" } else { "+" }, delta.unsigned_abs()),
                Op::Access { pid, vma, page, write } => {
                    let p = pick(*pid);
                    let Some((s, e)) = pick_vma(&mut m, p, *vma) else { continue };
                    let a = (s + page * 4096).min(e + 4096);
                    format!("{} {p} {a:#x}", if *write { "write" } else { "read" })
                }
                Op::Touch { pid, vma } => {
                    let p = pick(*pid);
                    let Some((s, e)) = pick_vma(&mut m, p, *vma) else { continue };
                    format!("touch {p} {s:#x} {}", (e - s).min(256 * 4096))
                }
                Op::Fork { pid } => format!("fork {}", pick(*pid)),
                Op::Exit { pid } => format!("exit {}", pick(*pid)),
                Op::Mode { mode } => format!("sysctl -w vm.overcommit_memory={mode}"),
                Op::Adj { pid, adj } => format!("echo {adj} > /proc/{}/oom_score_adj", pick(*pid)),
            };
            let out = m.run(&line);
            if !out.ok {
                prop_assert!(out.output.lines().count() == 1, "'{}' printed more than one error line: {}", line, out.output);
            }
            if let Err(e) = m.check_invariants() {
                panic!("step {i} '{line}': {e}\n{}", out.output);
            }
        }
        // Every process but init can exit; the invariants then hold for init alone.
        for p in pids(&mut m) {
            if p != 1 {
                let ok = m.run(&format!("exit {p}")).ok;
                prop_assert!(ok);
            }
        }
        m.check_invariants().unwrap();
        prop_assert_eq!(pids(&mut m), vec![1]);
    }

    /// translate's indices are the address bits: (va >> 39) & 511, (va >> 30) & 511, ...
    #[test]
    fn translate_indices_are_address_bits(low in 0x10000u64..(1 << 47), la57 in any::<bool>()) {
        let args = if la57 { "la57=on" } else { "la57=off" };
        let mut m = Machine::boot(BootParams::parse(["mem=16M", args]).unwrap());
        let out = m.run(&format!("translate 1 {low:#x}"));
        prop_assert!(out.ok, "{}", out.output);
        let fields = out.output.lines().nth(1).unwrap().trim().to_string();
        let want = if la57 {
            format!("PGD={} P4D={} PUD={} PMD={} PTE={} offset={:#x}", (low >> 48) & 511, (low >> 39) & 511, (low >> 30) & 511, (low >> 21) & 511, (low >> 12) & 511, low & 0xfff)
        } else {
            format!("PGD={} PUD={} PMD={} PTE={} offset={:#x}", (low >> 39) & 511, (low >> 30) & 511, (low >> 21) & 511, (low >> 12) & 511, low & 0xfff)
        };
        prop_assert_eq!(fields, want);
        // Kernel-half canonical addresses are accepted too; non-canonical ones refused.
        let high = low | 0xffff_8000_0000_0000;
        let ok = m.run(&format!("translate 1 {high:#x}")).ok;
        prop_assert!(ok);
        if !la57 {
            let bad = low | (1 << 50);
            let ok = m.run(&format!("translate 1 {bad:#x}")).ok;
            prop_assert!(!ok);
        }
    }
}
