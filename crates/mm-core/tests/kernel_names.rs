//! Every kernel function, tracepoint and GFP flag name the narration prints is one the
//! Linux v6.19 tree defines. `kernel_names.txt` lists the names, each checked once
//! against the tree (`git grep -w NAME` in linux-6.19.10: a definition for functions,
//! `TRACE_EVENT`/`DEFINE_EVENT` for tracepoints, `include/linux/gfp_types.h` for flags);
//! this test runs every golden script (and a few more lines) and fails on a name that
//! is not on the list, so a new step cannot narrate a function the kernel lacks.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::Machine;
use std::collections::BTreeSet;

/// Lines beyond the goldens, for steps they do not reach.
const EXTRA: &str = "boot mem=64M pcp=on
alloc_pages 0
free_pages 0x1000
spawn a
mmap 2 8M
touch 2 0x7ffff77ff000 8M
munmap 2 0x7ffff77ff000 4M
brk 2 +64K
kmem_cache_create c 100
kmem_cache_alloc c
kmem_cache_shrink c
exit 2
sysctl -w vm.min_free_kbytes=2048
";

fn listed() -> BTreeSet<String> {
    include_str!("kernel_names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn narration_names_only_what_v6_19_defines() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
    let mut scripts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "mm"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    scripts.push(EXTRA.to_string());
    let list = listed();
    let mut seen = BTreeSet::new();
    let gfp = |text: &str, seen: &mut BTreeSet<String>| {
        for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if w.starts_with("GFP_") || w.starts_with("__GFP_") {
                seen.insert(w.to_string());
            }
        }
    };
    for script in &scripts {
        let mut m = Machine::default();
        m.set_recording(true);
        for line in script.lines() {
            let out = m.run(line);
            for e in &out.events {
                // The simulator's own summary of left-out steps is no kernel step.
                if matches!(e, mm_core::Event::Summary(_)) {
                    continue;
                }
                seen.insert(e.function().to_string());
                if let Some(t) = e.tracepoint() {
                    seen.insert(t.rsplit(':').next().unwrap().to_string());
                }
                gfp(&e.sentence(), &mut seen);
            }
        }
    }
    let missing: Vec<&String> = seen.iter().filter(|n| !list.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "names the narration prints that kernel_names.txt does not list (check them against the v6.19 tree): {missing:?}"
    );
}
