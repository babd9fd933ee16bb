//! The simulator's /proc files against a real kernel's, line by line: field names,
//! their order and their column layout (values differ, so numbers are normalised).
//! `fixtures/linux-6.18/` holds the files of the machine this project was developed
//! on (Linux 6.18, x86-64, 2 CPUs, DMA/DMA32/Normal zones, a distribution's
//! configuration), captured with `cat`. The simulator models v6.19; the differences
//! below are deliberate and each is asserted, so a new one fails the test:
//! - zoneinfo: v6.19 added `reserved_highatomic:` and `free_highatomic:` per zone;
//! - meminfo: `HardwareCorrupted` (CONFIG_MEMORY_FAILURE) and `Unaccepted`
//!   (CONFIG_UNACCEPTED_MEMORY) are printed; that machine's kernel has both off.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::{BootParams, Machine};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/linux-6.18/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A machine shaped like the fixtures' (6 GiB puts pages in ZONE_NORMAL; 2 CPUs),
/// with a process that has mapped and touched memory.
fn machine() -> Machine {
    let mut m = Machine::boot(BootParams::parse(["mem=6G", "cpus=2"]).unwrap());
    for l in [
        "spawn app",
        "mmap 2 1M",
        "touch 2 0x7ffff7eff000 1M",
        "kmalloc 200",
    ] {
        assert!(m.run(l).ok, "{l}");
    }
    m
}

fn sim(m: &Machine, path: &str) -> String {
    m.read_file(path).unwrap()
}

/// Every run of digits becomes `N` (hex digits too when `hex`), keeping the spacing.
fn digits(s: &str, hex: bool) -> String {
    let mut out = String::new();
    let mut in_num = false;
    for c in s.chars() {
        let d = c.is_ascii_digit() || (hex && c.is_ascii_hexdigit());
        if d && !in_num {
            out.push('N');
        }
        if !d {
            out.push(c);
        }
        in_num = d;
    }
    out
}

/// Spaces before a number are padding: every ` +digits` becomes ` N`.
fn padded(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j < chars.len() && chars[j].is_ascii_digit() {
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                out.push_str(" N");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[test]
fn vmstat_has_the_kernels_counters_in_order() {
    let real: Vec<String> = fixture("vmstat")
        .lines()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    let ours: Vec<String> = sim(&machine(), "/proc/vmstat")
        .lines()
        .map(|l| {
            let (name, value) = l.split_once(' ').unwrap();
            assert!(value.parse::<u64>().is_ok(), "{l}");
            name.to_string()
        })
        .collect();
    assert_eq!(ours, real);
}

#[test]
fn zoneinfo_is_laid_out_as_the_kernels() {
    let ours = sim(&machine(), "/proc/zoneinfo");
    let highatomic = ours
        .lines()
        .filter(|l| l.starts_with("  reserved_highatomic:") || l.starts_with("  free_highatomic:"))
        .count();
    assert_eq!(
        highatomic, 6,
        "v6.19's two lines in each of 3 populated zones"
    );
    let ours: Vec<String> = ours
        .lines()
        .filter(|l| {
            !l.starts_with("  reserved_highatomic:") && !l.starts_with("  free_highatomic:")
        })
        .map(|l| digits(l, false))
        .collect();
    let real: Vec<String> = fixture("zoneinfo")
        .lines()
        .map(|l| digits(l, false))
        .collect();
    assert_eq!(ours, real);
}

#[test]
fn meminfo_has_the_kernels_fields_in_order_and_columns() {
    let ours = sim(&machine(), "/proc/meminfo");
    let real = fixture("meminfo");
    let label = |l: &str| l.split(':').next().unwrap().to_string();
    let ours_labels: Vec<String> = ours
        .lines()
        .map(label)
        .filter(|l| l != "HardwareCorrupted" && l != "Unaccepted")
        .collect();
    let real_labels: Vec<String> = real.lines().map(label).collect();
    assert_eq!(ours_labels, real_labels);
    // Each value ends in the same column (the kernel pads to 8 digits, 5 for the
    // HugePages_ counts) and keeps its unit.
    for (o, r) in ours
        .lines()
        .filter(|l| !l.starts_with("HardwareCorrupted") && !l.starts_with("Unaccepted"))
        .zip(real.lines())
    {
        assert_eq!(o.ends_with(" kB"), r.ends_with(" kB"), "{o} / {r}");
        let end = |l: &str| l.trim_end_matches(" kB").len();
        let wide = |l: &str| {
            l.trim_end_matches(" kB")
                .split_whitespace()
                .last()
                .unwrap()
                .len()
                > 5
        };
        if !wide(o) && !wide(r) {
            assert_eq!(end(o), end(r), "{o} / {r}");
        }
    }
}

#[test]
fn status_has_the_kernels_fields_in_order() {
    let name = |l: &str| l.split(':').next().unwrap().to_string();
    let ours: Vec<String> = sim(&machine(), "/proc/2/status")
        .lines()
        .map(name)
        .collect();
    let real: Vec<String> = fixture("status").lines().map(name).collect();
    assert_eq!(ours, real);
}

#[test]
fn buddyinfo_and_pagetypeinfo_are_laid_out_as_the_kernels() {
    let m = machine();
    for file in ["buddyinfo", "pagetypeinfo"] {
        let ours: Vec<String> = sim(&m, &format!("/proc/{file}"))
            .lines()
            .map(padded)
            .collect();
        let real: Vec<String> = fixture(file).lines().map(padded).collect();
        assert_eq!(ours, real, "{file}");
    }
}

#[test]
fn slabinfo_is_laid_out_as_the_kernels() {
    let ours = sim(&machine(), "/proc/slabinfo");
    let real = fixture("slabinfo");
    let head = |s: &str| s.lines().take(2).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(head(&ours), head(&real));
    // Each cache line: the name in 17 columns, then the same numbers in the same
    // columns ("%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu").
    let shape = |l: &str| {
        let name_end = l.find(' ').unwrap().max(17);
        digits(&padded(&l[name_end..]), false)
    };
    let real_shapes: std::collections::BTreeSet<String> = real.lines().skip(2).map(shape).collect();
    for l in ours.lines().skip(2) {
        assert!(l.len() >= 17, "{l}");
        assert!(
            real_shapes.contains(&shape(l)),
            "no real line is laid out like {l:?}"
        );
    }
}

#[test]
fn maps_lines_are_laid_out_as_the_kernels() {
    let real: std::collections::BTreeSet<String> = fixture("maps")
        .lines()
        .filter(|l| l.ends_with(' ') || l.ends_with("[stack]") || l.ends_with("[heap]"))
        .map(|l| digits(l, true))
        .collect();
    for l in sim(&machine(), "/proc/2/maps").lines() {
        assert!(
            real.contains(&digits(l, true)),
            "no real line is laid out like {l:?}"
        );
    }
}
