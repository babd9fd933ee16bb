//! Importing a /proc snapshot (`mm_core::import::proc`): a snapshot within the pins
//! (the sandbox's own, after kernel allocations and frees, tunables and swap) boots
//! a machine whose meminfo, buddyinfo and pagetypeinfo are the snapshot's, byte for
//! byte, on a fixture and on random machines; a real machine's files outside the
//! pins (two nodes, THP, CMA, hugepages) import with what was left out listed; and
//! malformed lines are named. `mmsim import proc` prints `explain`, compared with
//! `tests/fixtures/proc/*/explain.out` (`BLESS=1` rewrites them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::import::proc::Snapshot;
use mm_core::import::proc_machine::explain;
use mm_core::Machine;
use proptest::prelude::*;
use std::path::Path;

const FILES: [&str; 4] = ["pagetypeinfo", "buddyinfo", "slabinfo", "meminfo"];

/// The snapshot files of a machine.
fn snapshot(m: &Machine, sysctl: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = FILES
        .iter()
        .map(|f| (f.to_string(), m.read_file(&format!("/proc/{f}")).unwrap()))
        .collect();
    if !sysctl.is_empty() {
        v.push(("sysctl".into(), sysctl.into()));
    }
    v
}

/// Imports the files and checks that the machine's own files are the same.
fn round_trip(files: &[(String, String)]) -> Result<(), String> {
    let s = Snapshot::parse(files)?;
    if !s.unknown.is_empty() || !s.left_out.is_empty() {
        return Err(format!("{:?} {:?}", s.unknown, s.left_out));
    }
    let pm = s.machine().map_err(|e| e.join("; "))?;
    for (name, text) in files.iter().filter(|(n, _)| FILES.contains(&n.as_str())) {
        let ours = pm.machine.read_file(&format!("/proc/{name}")).unwrap();
        if ours != *text {
            return Err(format!(
                "/proc/{name} differs:\n{ours}\nwanted:\n{text}\nnotes: {:?}",
                pm.notes
            ));
        }
    }
    Ok(())
}

fn fixture_files(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/proc")
        .join(dir);
    let mut v = Vec::new();
    for f in mm_core::import::proc::FILE_NAMES {
        if let Ok(t) = std::fs::read_to_string(root.join(f)) {
            v.push((f.to_string(), t));
        }
    }
    v
}

fn check_explain(dir: &str, files: &[(String, String)]) -> String {
    let s = Snapshot::parse(files).unwrap();
    let text = explain(&s, files, &s.machine());
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/proc")
        .join(dir)
        .join("explain.out");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&out, &text).unwrap();
    }
    assert_eq!(
        text,
        std::fs::read_to_string(&out).unwrap_or_default(),
        "{dir}: BLESS=1 after an intended change"
    );
    text
}

/// A fragmented 256M machine (kernel blocks of order 2, every other one freed, with
/// min_free_kbytes and overcommit mode 2): all three files come back byte for byte.
#[test]
fn a_snapshot_within_the_pins_reproduces_its_files() {
    let files = fixture_files("fragmented");
    round_trip(&files).unwrap();
    let text = check_explain("fragmented", &files);
    assert!(text.contains("/proc/buddyinfo: the same, byte for byte"));
}

/// Slab caches too (a new cache, a reclaimable one named as the kernel's inode caches
/// are, kmalloc-128 objects) and a tunable: meminfo, buddyinfo, pagetypeinfo and
/// slabinfo all come back byte for byte. `made-by.mm` is the script that made it.
#[test]
fn slab_caches_come_back_with_their_objects() {
    let files = fixture_files("slab_and_fragments");
    assert!(files.iter().any(|(n, _)| n == "slabinfo"));
    round_trip(&files).unwrap();
    let text = check_explain("slab_and_fragments", &files);
    assert!(
        text.contains("/proc/slabinfo: the same, byte for byte"),
        "{text}"
    );
}

/// A real two-node machine with THP, CMA and hugepages: node 1, the Movable zone, CMA
/// blocks, hugepages and THP are listed as left out; node 0 is still laid out.
#[test]
fn a_real_machine_outside_the_pins_lists_what_was_left_out() {
    let files = fixture_files("two_nodes_thp_cma");
    let s = Snapshot::parse(&files).unwrap();
    let all = s.left_out.join("\n");
    for what in [
        "NUMA node 1",
        "hugetlb pages",
        "transparent huge pages",
        "CMA",
        "Movable zone",
    ] {
        assert!(all.contains(what), "{what} not in {all}");
    }
    let text = check_explain("two_nodes_thp_cma", &files);
    assert!(text.contains("Machine: `boot mem="), "{text}");
}

/// Malformed input: its lines are named, and a snapshot without meminfo is refused.
#[test]
fn malformed_lines_are_named_and_meminfo_is_required() {
    let files = vec![
        (
            "meminfo".to_string(),
            "MemTotal:  65536 kB\nMemFree: lots\n".to_string(),
        ),
        (
            "buddyinfo".to_string(),
            "Node 0, zone DMA 1 2 3\n".to_string(),
        ),
    ];
    let s = Snapshot::parse(&files).unwrap();
    assert_eq!(
        s.unknown
            .iter()
            .map(|u| (u.0.as_str(), u.1))
            .collect::<Vec<_>>(),
        vec![("meminfo", 2), ("buddyinfo", 1)]
    );
    let none = vec![("buddyinfo".to_string(), String::new())];
    assert!(Snapshot::parse(&none).unwrap_err().contains("meminfo"));
    let other = vec![("passwd".to_string(), String::new())];
    assert!(Snapshot::parse(&other)
        .unwrap_err()
        .contains("not a file the snapshot takes"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Round trip: a random machine within the pins (RAM, swap, a busy kernel's slab
    /// caches or not, min_free_kbytes, kernel allocations of any order and type, some
    /// freed, slab caches and kmallocs) snapshots, imports and boots a machine with
    /// the same meminfo, buddyinfo, pagetypeinfo and slabinfo.
    #[test]
    fn random_machines_round_trip(
        mem in prop_oneof![Just("64M"), Just("128M"), Just("256M"), Just("4100M")],
        swap in prop_oneof![Just(""), Just(" swap=64M")],
        typical in any::<bool>(),
        min_free in prop_oneof![Just(0u64), Just(2048), Just(16384)],
        allocs in proptest::collection::vec((0u8..=10, 0usize..4, any::<bool>()), 0..120),
        slabs in proptest::collection::vec((8u32..5000, 0u64..200), 0..4),
        kmallocs in proptest::collection::vec(1u64..9000, 0..60),
    ) {
        let mut m = Machine::default();
        let caches = if typical { " caches=typical" } else { "" };
        m.run(&format!("boot mem={mem}{swap}{caches}"));
        let mut sysctl = String::new();
        if min_free > 0 {
            m.run(&format!("sysctl -w vm.min_free_kbytes={min_free}"));
            sysctl = format!("vm.min_free_kbytes = {min_free}\n");
        }
        let gfp = ["GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL|__GFP_RECLAIMABLE", "GFP_DMA32"];
        let mut freed = Vec::new();
        for (order, g, free) in &allocs {
            let out = m.run(&format!("alloc_pages {order} {}", gfp[*g])).output;
            if let Some(pfn) = out.split_whitespace().next().and_then(|w| w.strip_prefix("pfn=")) {
                if *free {
                    freed.push(pfn.to_string());
                }
            }
        }
        for p in freed {
            m.run(&format!("free_pages {p}"));
        }
        // Slab objects, allocated only: slabs fill in order, as the importer fills them.
        // On every machine, the 4 MiB Normal zone of 4100M included: where slab pages
        // allocated before the layout would sit where a free block must go (about one
        // machine in 2,000 before), the importer lays out first and puts them in the
        // used memory.
        for (i, (size, n)) in slabs.iter().enumerate() {
            m.run(&format!("kmem_cache_create c{i} {size}"));
            for _ in 0..*n {
                m.run(&format!("kmem_cache_alloc c{i}"));
            }
        }
        for size in &kmallocs {
            m.run(&format!("kmalloc {size}"));
        }
        m.drain_all_pages();
        let files = snapshot(&m, &sysctl);
        let r = round_trip(&files);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A machine with processes and a page cache is outside the pins for meminfo
    /// (the importer holds used memory as kernel blocks), but its free blocks still
    /// come back exactly: buddyinfo and pagetypeinfo byte for byte, MemFree the same.
    #[test]
    fn free_blocks_round_trip_with_processes_and_files(
        tasks in proptest::collection::vec((1u64..4096, 0u64..2048), 1..5),
        fragment in 0u64..64,
    ) {
        let mut m = Machine::default();
        m.run("boot mem=128M swap=32M");
        m.run("fallocate -l 8M /data/f");
        for (i, (anon, file)) in tasks.iter().enumerate() {
            let pid = m.run(&format!("spawn t{i}")).output.split_whitespace().find_map(|w| w.strip_prefix("pid=")).unwrap().to_string();
            let addr = m.run(&format!("mmap {pid} {}K", anon * 4)).output.split_whitespace().find_map(|w| w.strip_prefix("addr=")).unwrap().to_string();
            m.run(&format!("touch {pid} {addr} {}K", anon * 4));
            let _ = file;
            m.run("cat /data/f > /dev/null");
            // Punch holes: every other page of the first `fragment` pairs.
            for k in 0..fragment {
                let a = u64::from_str_radix(addr.trim_start_matches("0x"), 16).unwrap() + k * 8192;
                m.run(&format!("munmap {pid} {a:#x} 4K"));
            }
        }
        m.drain_all_pages();
        let files = snapshot(&m, "");
        let s = Snapshot::parse(&files).unwrap();
        let pm = s.machine().unwrap();
        for f in ["buddyinfo", "pagetypeinfo"] {
            let ours = pm.machine.read_file(&format!("/proc/{f}")).unwrap();
            let theirs = &files.iter().find(|(n, _)| n == f).unwrap().1;
            prop_assert_eq!(&ours, theirs, "{:?}", pm.notes);
        }
        prop_assert_eq!(pm.machine.meminfo().free, m.meminfo().free);
    }
}

/// Pieces of /proc lines, for text that looks like a snapshot and is not.
const PIECES: &[&str] = &[
    "MemTotal:",
    "SwapTotal:",
    "Committed_AS:",
    "MemFree:",
    " kB",
    "Node 0, zone ",
    "Node 1, zone ",
    "DMA",
    "DMA32",
    "Normal",
    "Movable",
    ", type ",
    "Unmovable",
    "HighAtomic",
    "CMA",
    "Number of blocks type ",
    ">",
    " 100000",
    " 18446744073709551615",
    " 99999999999999999999",
    " 1",
    " 0",
    " 1024",
    "vm.min_free_kbytes = ",
    "vm.",
    " = ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any text in any of the files, numbers near u64::MAX included, is read or
    /// refused with a reason, and a machine is booted or refused, never a panic or
    /// an endless layout.
    #[test]
    fn any_snapshot_parses_or_is_refused(files in proptest::collection::vec(
        (0usize..4, proptest::collection::vec(
            proptest::collection::vec((0..PIECES.len(), "[ 0-9]{0,4}"), 0..16), 0..12)), 1..4)) {
        let names = ["meminfo", "buddyinfo", "pagetypeinfo", "sysctl"];
        let mut input: Vec<(String, String)> = files.iter().map(|(n, lines)| {
            let text: String = lines.iter().map(|l| {
                l.iter().map(|(i, s)| format!("{}{s}", PIECES[*i])).collect::<String>() + "\n"
            }).collect();
            (names[*n].to_string(), text)
        }).collect();
        // A plausible MemTotal half the time, so that machines get booted.
        if files.len() % 2 == 0 {
            input.push(("meminfo".into(), "MemTotal: 64512 kB\n".into()));
        }
        if let Ok(s) = Snapshot::parse(&input) {
            let _ = explain(&s, &input, &s.machine());
        }
    }
}

/// pagetypeinfo variants of real kernels: a "Number of mixed blocks" section
/// (CONFIG_PAGE_OWNER) does not replace the counts of pageblocks per type, and
/// pageblocks of order 10 (a kernel without hugetlb and THP) are left out, said so.
#[test]
fn pagetypeinfo_sections_and_pageblock_order() {
    let header = "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n";
    let text = format!(
        "Page block order: 9\nPages per block:  512\n\n{header}Node 0, zone      DMA            1            7            0            0            0 \n\n\
         Number of mixed blocks    Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n\
         Node 0, zone      DMA            0            1            0            0            0 \n"
    );
    let files = vec![
        ("meminfo".to_string(), "MemTotal: 64512 kB\n".to_string()),
        ("pagetypeinfo".to_string(), text.clone()),
    ];
    let s = Snapshot::parse(&files).unwrap();
    assert!(s.unknown.is_empty(), "{:?}", s.unknown);
    assert_eq!(s.zones[0].blocks, Some([1, 7, 0, 0]));
    let order10 = vec![
        ("meminfo".to_string(), "MemTotal: 64512 kB\n".to_string()),
        (
            "pagetypeinfo".to_string(),
            text.replace("order: 9", "order: 10"),
        ),
    ];
    let s = Snapshot::parse(&order10).unwrap();
    assert!(s.zones.iter().all(|z| z.blocks.is_none()));
    assert!(
        s.left_out
            .iter()
            .any(|l| l.contains("pageblocks of order 10")),
        "{:?}",
        s.left_out
    );
}

/// What-if questions are ordinary commands on the imported machine: the real
/// two-node machine's `whatif.mm` (the README's example) refuses a 4G mapping under
/// overcommit mode 2 (Committed_AS is near CommitLimit) and grants it under mode 0,
/// serves an order-4 atomic request from its free lists, and compacts nothing (its
/// used memory is kernel blocks, which cannot move).
#[test]
fn what_if_questions_on_an_imported_machine() {
    let files = fixture_files("two_nodes_thp_cma");
    let s = Snapshot::parse(&files).unwrap();
    // Node 1 and the Movable zone are folded into node 0's zones: free memory stays whole.
    // (The free blocks of pagetypeinfo's modelled types: CMA's are left out.)
    let free: u64 = s
        .zones
        .iter()
        .filter_map(|z| z.by_type)
        .flat_map(|t| t.into_iter())
        .map(|b| b.iter().enumerate().map(|(o, n)| n << o).sum::<u64>())
        .sum();
    let mut pm = s.machine().unwrap();
    assert_eq!(pm.machine.meminfo().free, free);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proc/two_nodes_thp_cma");
    let script = std::fs::read_to_string(root.join("whatif.mm")).unwrap();
    let out = mm_core::transcript::transcript_with(&mut pm.machine, &script, true, false, false);
    let after = |cmd: &str, n: usize| {
        let i = out.find(cmd).unwrap_or_else(|| panic!("{cmd} in {out}"));
        out[i..].lines().nth(n).unwrap_or("").to_string()
    };
    assert!(out.contains("$ mmap 2 4G\nmmap: ENOMEM"), "{out}");
    assert!(
        out.contains(
            "$ sysctl -w vm.overcommit_memory=0\nvm.overcommit_memory = 0\n$ mmap 2 4G\naddr="
        ),
        "{out}"
    );
    assert!(
        after("$ alloc_pages 4 GFP_ATOMIC", 1).starts_with("pfn="),
        "{out}"
    );
    assert!(out.contains("compact_isolated 0"), "{out}");
}

/// With buddyinfo alone (no pagetypeinfo), the free blocks and the pageblocks are
/// all taken as Movable, so they may go anywhere: buddyinfo comes back byte for byte
/// (before, the booted machine's Unmovable pageblocks kept 112 blocks out).
#[test]
fn buddyinfo_alone_comes_back_byte_for_byte() {
    let files: Vec<(String, String)> = fixture_files("fragmented")
        .into_iter()
        .filter(|(n, _)| n == "meminfo" || n == "buddyinfo")
        .collect();
    let s = Snapshot::parse(&files).unwrap();
    let pm = s.machine().unwrap();
    let buddyinfo = &files.iter().find(|(n, _)| n == "buddyinfo").unwrap().1;
    assert_eq!(&pm.machine.read_file("/proc/buddyinfo").unwrap(), buddyinfo);
    assert!(pm
        .notes
        .iter()
        .any(|n| n.contains("free blocks per order exactly")));
}

#[test]
fn zoneinfo_gives_the_cpus_and_with_them_the_slab_geometry() {
    // calculate_order counts the CPUs: a 16-CPU machine's caches (a busy kernel's,
    // and one of its own), with objects in them, come back byte for byte only when
    // the import boots 16 CPUs.
    let run = |boot: &str| {
        let mut m = Machine::default();
        for l in [
            boot,
            "kmem_cache_create demo 700",
            "kmem_cache_alloc demo 100",
            "kmalloc 3000",
            "kmalloc 200",
        ] {
            assert!(m.run(l).ok, "{l}");
        }
        m
    };
    let m = run("boot mem=1G cpus=16 caches=typical");
    assert_ne!(
        m.read_file("/proc/slabinfo"),
        run("boot mem=1G caches=typical").read_file("/proc/slabinfo"),
        "the geometry depends on the CPUs"
    );
    let mut files = snapshot(&m, "");
    files.push(("zoneinfo".into(), m.read_file("/proc/zoneinfo").unwrap()));
    let s = Snapshot::parse(&files).unwrap();
    assert_eq!(s.cpus, Some(16));
    assert!(s.boot_line().unwrap().contains(" cpus=16"));
    round_trip(&files).unwrap();
    let pm = s.machine().unwrap();
    assert!(pm.notes.iter().any(|n| n.starts_with("16 CPU(s)")));
    // An empty first zone prints no pagesets: the first zone with some counts.
    let zoneinfo = "Node 0, zone      DMA\n  pages free     0\n  present  0\n\
                    Node 0, zone    DMA32\n  pages free     9\n  present  4096\n  pagesets\n    \
                    cpu: 0\n              count: 0\n    cpu: 1\n    cpu: 2\n\
                    Node 0, zone   Normal\n  pagesets\n    cpu: 0\n    cpu: 1\n    cpu: 2\n";
    let s3 = Snapshot::parse(&[
        ("meminfo".into(), "MemTotal: 261120 kB\n".into()),
        ("zoneinfo".into(), zoneinfo.into()),
    ])
    .unwrap();
    assert_eq!(s3.cpus, Some(3));
    // Without zoneinfo the sandbox's default of 2 CPUs is booted.
    let without: Vec<_> = files.into_iter().filter(|(n, _)| n != "zoneinfo").collect();
    assert!(!Snapshot::parse(&without)
        .unwrap()
        .boot_line()
        .unwrap()
        .contains("cpus="));
}
