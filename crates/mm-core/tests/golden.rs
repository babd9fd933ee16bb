//! Golden transcripts: each `tests/golden/NAME.mm` script runs on a fresh default
//! machine and its transcript must equal `NAME.out` byte for byte; one test per
//! script (`cargo test -p mm-core --test golden vm_oom`). A script whose first line
//! is `# steps` also prints every micro-step's narration. Invariants are checked
//! after every line.
//!
//! Re-bless after an intended change: `cargo xtask bless` (or `BLESS=1 cargo test
//! -p mm-core --test golden`), then review the diff. A script without its `.out` gets
//! one written, and its test still fails until the file is reviewed and committed
//! (under `CI=true` nothing is written).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::transcript::transcript;
use mm_core::Machine;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check(name: &str) {
    let script = dir().join(format!("{name}.mm"));
    let text =
        std::fs::read_to_string(&script).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    let steps = text.starts_with("# steps");
    // Invariants after every line, on a second machine running the same script.
    let mut check = Machine::default();
    for line in text.lines() {
        check.run(line);
        if let Err(e) = check.check_invariants() {
            panic!("{name}: invariant broken after '{line}': {e}");
        }
    }
    let got = transcript(&mut Machine::default(), &text, true, steps);
    let expected_path = script.with_extension("out");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
        return;
    }
    let Ok(expected) = std::fs::read_to_string(&expected_path) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name}: {} is missing", expected_path.display());
        }
        std::fs::write(&expected_path, &got).unwrap();
        panic!(
            "{name}: {} was missing and has been written: review it, commit it, run again",
            expected_path.display()
        );
    };
    if got != expected {
        let line = got
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| got.lines().count().min(expected.lines().count()));
        panic!(
            "{name}: transcript differs from {} at line {}:\n  got:      {:?}\n  expected: {:?}\n\
             (after an intended change: cargo xtask bless, then review the diff)",
            expected_path.display(),
            line + 1,
            got.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// The scripts that have a test.
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

golden! {
    boot_16g,
    boot_1g,
    boot_64m,
    boot_6g,
    expand_worked_example,
    failures,
    free_pages_refusals,
    gfp_dma_only,
    la57,
    meminfo_available,
    migrate_fallback,
    pcp,
    pcp_adaptive,
    fragmentation_index,
    compaction_compact_memory,
    compaction_direct,
    highatomic_reserve,
    compaction_unmovable_slab,
    pressure_kswapd,
    pressure_oom_kernel,
    pressure_page_cache,
    pressure_slab_reclaim,
    warn_alloc_ratelimit,
    pressure_dirty_tunables,
    pressure_panic,
    pressure_swap,
    pressure_file_mmap,
    pressure_file_mmap_reclaim,
    pressure_swappiness,
    proc_status_zoneinfo,
    shell,
    slab_cache_lifecycle,
    slab_kmalloc,
    slabinfo_boot,
    slabinfo_typical,
    vm_anon_vma_merge,
    vm_committed,
    vm_fork_cow,
    vm_fork_saved_dirty,
    vm_munmap_pgtables,
    vm_oom,
    oom_sysrq,
    vm_overcommit_modes,
    vm_two_processes,
    vmstat,
    watermark_no_block,
    zone_fallback,
}

/// A script dropped into tests/golden/ without a test here would never run.
#[test]
fn every_script_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mm"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = NAMES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "add each tests/golden/*.mm to golden! {{ ... }}"
    );
}
