//! Regression tests for bugs found by trying the sandbox as a user would (issue 12):
//! each one failed before its fix.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mm_core::Machine;

fn run_all(m: &mut Machine, script: &str) {
    for line in script.lines() {
        m.run(line);
    }
}

/// `free_pages` of a child's kernel stack page was accepted; `exit` then freed it
/// again and a free list became a cycle. Only a block `alloc_pages` handed out may be
/// freed with `free_pages`; everything else is refused and nothing changes.
#[test]
fn free_pages_refuses_a_kernel_stack_page() {
    let mut m = Machine::default();
    run_all(&mut m, "boot mem=64M\nfork 1");
    // The child's kernel stack: the kernel-stack pages allocated last.
    let stack = m
        .page_states()
        .iter()
        .rposition(|b| *b == mm_core::PageUse::KernelStack as u8)
        .unwrap() as u64;
    let before = m.read_file("/proc/buddyinfo").unwrap();
    let out = m.run(&format!("free_pages {stack:#x}"));
    assert!(!out.ok, "{}", out.output);
    assert!(out.output.contains("Bad page state"), "{}", out.output);
    assert_eq!(m.read_file("/proc/buddyinfo").unwrap(), before);
    m.check_invariants().unwrap();
    assert!(m.run("exit 2").ok);
    m.check_invariants().unwrap();
    assert!(m.run("alloc_pages 0").ok);
}

/// Slab pages, page tables, user pages and large kmallocs are not `free_pages`'s either.
#[test]
fn free_pages_refuses_every_page_it_did_not_hand_out() {
    let mut m = Machine::default();
    run_all(
        &mut m,
        "boot mem=64M\nspawn a\nmmap 2 64K\nwrite 2 0x7ffff7ff0000\nkmalloc 20000",
    );
    let pick = |m: &Machine, use_: mm_core::PageUse| {
        m.page_states()
            .iter()
            .position(|b| *b == use_ as u8)
            .unwrap() as u64
    };
    use mm_core::PageUse;
    for u in [
        PageUse::Slab,
        PageUse::PageTable,
        PageUse::User,
        PageUse::LargeKmalloc,
    ] {
        let p = pick(&m, u);
        let before = m.read_file("/proc/buddyinfo").unwrap();
        let out = m.run(&format!("free_pages {p:#x}"));
        assert!(!out.ok, "{u:?}: {}", out.output);
        assert!(out.output.contains("Bad page state"), "{}", out.output);
        assert_eq!(m.read_file("/proc/buddyinfo").unwrap(), before);
        m.check_invariants().unwrap();
    }
}

/// `brk` looked only for mappings starting inside the new heap range, so it grew into
/// a mapping that started below it (the kernel asks `find_vma_intersection`).
#[test]
fn brk_cannot_grow_into_a_mapping_that_covers_it() {
    let mut m = Machine::default();
    let out = m.run("mmap 1 120T PROT_READ");
    assert!(out.ok, "{}", out.output);
    let out = m.run("brk 1 +8K");
    assert!(!out.ok, "{}", out.output);
    assert!(out.output.contains("ENOMEM"), "{}", out.output);
    m.check_invariants().unwrap();
}

/// A failed `sysctl -w` applied the assignments before the bad item.
#[test]
fn sysctl_w_is_all_or_nothing() {
    let mut m = Machine::default();
    let before = m.read_file("/proc/sys/vm/min_free_kbytes").unwrap();
    let out = m.run("sysctl -w vm.min_free_kbytes=60000 vm.swappiness");
    assert!(!out.ok, "{}", out.output);
    assert_eq!(m.read_file("/proc/sys/vm/min_free_kbytes").unwrap(), before);
    let out = m.run("sysctl -w vm.min_free_kbytes=60000 vm.bogus=1");
    assert!(!out.ok, "{}", out.output);
    assert_eq!(m.read_file("/proc/sys/vm/min_free_kbytes").unwrap(), before);
}

/// Runs a script checking the invariants after every line.
fn run_checked(script: &str) -> Machine {
    let mut m = Machine::default();
    for line in script.lines() {
        let out = m.run(line);
        if let Err(e) = m.check_invariants() {
            panic!("'{line}': {e}\n{}", out.output);
        }
    }
    m
}

/// Issue 16 (fuzzer): writing a private file mapping copies each page to an anonymous
/// page; under swap those copies were invisible to the anonymous rmap (it looked only
/// in anonymous VMAs), so reclaim freed them while they were still mapped.
#[test]
fn anonymous_copies_in_a_private_file_mapping_are_swapped_not_freed() {
    let m = run_checked(
        "boot mem=32M swap=64M\nspawn hog\nmmap 2 48M\nmmap 2 256K\n\
         fallocate -l 48M /data/mapped\nmmap 2 48M /data/mapped MAP_PRIVATE\n\
         touch 2 0x7ffff1fbf000 50331648",
    );
    assert!(m.read_file("/proc/vmstat").unwrap().contains("pswpout "));
}

/// Issue 16 (fuzzer): a private file mapping's first write read the file's page with
/// the page cache's slow path, whose OOM killer chose the faulting process itself;
/// the fault went on and mapped a page into the dead process's tables.
#[test]
fn a_fault_whose_page_read_kills_its_process_stops() {
    let mut m = run_checked(
        "boot mem=4M dma32=4G\nsysctl -w vm.overcommit_memory=1\n\
         fallocate -l 4M /data/mapped\nspawn mapper\nmmap 2 4M /data/mapped MAP_PRIVATE",
    );
    let out = m.run("touch 2 0x7ffff7bff000 4194304");
    m.check_invariants().unwrap();
    assert!(
        out.output.contains("killed by the OOM killer"),
        "{}",
        out.output
    );
}

/// The fuzzer (seed 2): a second free-list search within one `migrate_pages`, after
/// the free scanner had passed the migration scanner, subtracted the two PFNs and
/// overflowed. The kernel's unsigned arithmetic wraps there, and no free page
/// qualifies; so does the model's now.
#[test]
fn fast_isolate_freepages_after_the_scanners_crossed() {
    let mut m = Machine::default();
    m.set_recording(true);
    let mut script = String::from(
        "boot mem=16M swap=16M\nspawn hog\nmmap 2 24M\nfork 2\ntouch 3 0x7ffff67ff000 25165824\n\
         fallocate -l 24M /data/mapped\nspawn mapper\nmmap 2 24M /data/mapped MAP_SHARED\n\
         touch 2 0x7ffff4fff000 25165824\nsync\n",
    );
    for (o, gfp) in [
        (3, "GFP_HIGHUSER_MOVABLE"),
        (0, "GFP_KERNEL"),
        (3, "GFP_HIGHUSER_MOVABLE"),
        (1, "GFP_KERNEL"),
        (0, "GFP_HIGHUSER_MOVABLE"),
        (4, "GFP_KERNEL"),
        (6, "GFP_HIGHUSER_MOVABLE"),
        (4, "GFP_HIGHUSER_MOVABLE"),
        (4, "GFP_HIGHUSER_MOVABLE"),
        (3, "GFP_KERNEL"),
        (5, "GFP_HIGHUSER_MOVABLE"),
        (6, "GFP_KERNEL"),
        (3, "GFP_KERNEL"),
        (5, "GFP_KERNEL"),
        (3, "GFP_KERNEL"),
        (6, "GFP_HIGHUSER_MOVABLE"),
    ] {
        script.push_str(&format!("alloc_pages {o} {gfp}\n"));
    }
    for line in script.lines() {
        m.run(line);
        m.check_invariants().unwrap();
    }
}
