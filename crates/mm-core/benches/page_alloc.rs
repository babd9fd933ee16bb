//! `cargo xtask bench`: scale figures for the page allocator, then a comparison with
//! `buddy_system_allocator`'s `FrameAllocator` on several workload shapes (mixed
//! orders with small and large live sets), events off and on, side by side as ratios;
//! SLUB's kmalloc/kfree; then criterion's measurements of the first shape.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use buddy_system_allocator::FrameAllocator;
use criterion::Criterion;
use mm_core::vocab::gfp::GFP_KERNEL;
use mm_core::vocab::GfpFlags;
use mm_core::{BootParams, Machine, Pfn};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A deterministic workload: xorshift random numbers, no crate, no seed from the clock.
struct Workload(u64);

impl Workload {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Something that allocates and frees blocks of 2^order pages.
trait Alloc {
    fn alloc(&mut self, order: u8) -> Option<u64>;
    fn free(&mut self, pfn: u64, order: u8);
}

struct Sim(Machine);

impl Alloc for Sim {
    fn alloc(&mut self, order: u8) -> Option<u64> {
        let r = self
            .0
            .alloc_pages(order, GfpFlags(GFP_KERNEL))
            .ok()
            .map(|(_, p)| p.0);
        if self.0.recording() {
            black_box(self.0.take_events());
        }
        r
    }
    fn free(&mut self, pfn: u64, order: u8) {
        let _ = self.0.free_pages(Pfn(pfn), Some(order));
        if self.0.recording() {
            black_box(self.0.take_events());
        }
    }
}

struct Peer(FrameAllocator<32>);

impl Alloc for Peer {
    fn alloc(&mut self, order: u8) -> Option<u64> {
        self.0.alloc(1 << order).map(|p| p as u64)
    }
    fn free(&mut self, pfn: u64, order: u8) {
        self.0.dealloc(pfn as usize, 1 << order);
    }
}

/// A workload's shape: which orders it asks for and how many blocks it keeps live.
#[derive(Clone, Copy)]
struct Shape {
    name: &'static str,
    /// RAM of the machine (and pages given to the peer).
    mem: &'static str,
    /// Orders are drawn uniformly from `0..=max_order`.
    max_order: u8,
    /// Below this many live blocks every step allocates; above, a coin flip decides.
    live: usize,
}

/// The shapes the page allocator is measured on, side by side with the peer.
const SHAPES: &[Shape] = &[
    Shape {
        name: "orders 0-3, 4096 live",
        mem: "mem=1G",
        max_order: 3,
        live: 4096,
    },
    Shape {
        name: "orders 0-10, 64 live",
        mem: "mem=1G",
        max_order: 10,
        live: 64,
    },
    Shape {
        name: "orders 0-10, 2048 live",
        mem: "mem=16G",
        max_order: 10,
        live: 2048,
    },
    Shape {
        name: "order 0, 100k live",
        mem: "mem=1G",
        max_order: 0,
        live: 100_000,
    },
    Shape {
        name: "orders 0-3, 200k live",
        mem: "mem=4G",
        max_order: 3,
        live: 200_000,
    },
];

/// Runs `ops` steps of a shape: allocate while fewer than `live` blocks are live or
/// on a coin flip, else free a random live block.
fn run(a: &mut impl Alloc, shape: Shape, w: &mut Workload, live: &mut Vec<(u64, u8)>, ops: u64) {
    for _ in 0..ops {
        let r = w.next();
        if live.len() < shape.live || r & 1 == 0 {
            let order = ((r >> 1) % (u64::from(shape.max_order) + 1)) as u8;
            if let Some(p) = a.alloc(order) {
                live.push((p, order));
            }
        } else {
            let i = ((r >> 8) as usize) % live.len();
            let (p, o) = live.swap_remove(i);
            a.free(p, o);
        }
    }
}

fn boot(mem: &str, recording: bool) -> Machine {
    let mut m =
        Machine::boot(BootParams::parse(mem.split_whitespace()).expect("valid boot options"));
    m.set_recording(recording);
    m
}

/// The peer, given the same page frames the simulated machine's buddy allocator has
/// (from 1 MiB to the end of RAM).
fn peer(mem: &str) -> Peer {
    let pages = BootParams::parse([mem]).expect("valid boot options").mem >> 12;
    let mut f = FrameAllocator::<32>::new();
    f.add_frame(256, pages as usize);
    Peer(f)
}

/// Time for `ops` steps after a warm-up that builds the live set.
fn timed(mut a: impl Alloc, shape: Shape, ops: u64) -> Duration {
    let mut w = Workload(0x9e37_79b9_7f4a_7c15);
    let mut live = Vec::new();
    run(
        &mut a,
        shape,
        &mut w,
        &mut live,
        shape.live as u64 * 2 + 10_000,
    );
    let t = Instant::now();
    run(&mut a, shape, &mut w, &mut live, ops);
    t.elapsed()
}

fn figures() {
    println!("== mm-core page allocator: scale");
    let t = Instant::now();
    let m = boot("mem=16G", false);
    let boot_time = t.elapsed();
    println!(
        "boot mem=16G ({} pages):            {:>10.2} ms",
        m.page_states().len(),
        boot_time.as_secs_f64() * 1e3
    );
    println!(
        "model state per page:                {:>10} bytes (page array) ",
        Machine::PAGE_STATE_BYTES
    );

    let ops = 1_000_000;
    println!("\n== versus buddy_system_allocator::FrameAllocator (1M alloc/free steps per shape)");
    println!(
        "{:<26} {:>10} {:>12} {:>12} {:>9} {:>9}",
        "shape", "peer ns", "off ns", "on ns", "off/peer", "on/peer"
    );
    // Best of three runs each, interleaved, so that a busy moment of the machine does
    // not decide a ratio.
    for &shape in SHAPES {
        let ns = |d: Duration| d.as_secs_f64() * 1e9 / ops as f64;
        let (mut p, mut off, mut on) = (f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..3 {
            p = p.min(ns(timed(peer(shape.mem), shape, ops)));
            off = off.min(ns(timed(Sim(boot(shape.mem, false)), shape, ops)));
            on = on.min(ns(timed(Sim(boot(shape.mem, true)), shape, ops)));
        }
        println!(
            "{:<26} {:>10.1} {:>12.1} {:>12.1} {:>8.2}x {:>8.2}x",
            shape.name,
            p,
            off,
            on,
            off / p,
            on / p
        );
    }
    println!("(targets: events off <= 0.80x the peer's time, events on <= 1.50x)");
}

/// kmalloc/kfree of small sizes (8..=512 bytes), a live set of up to 10,000 objects.
fn kmalloc_figures() {
    println!("\n== SLUB: kmalloc/kfree of 8-512 bytes (1G, 1M ops, best of 3; target < 60 ns, events off)");
    for recording in [false, true] {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let mut m = boot("mem=1G", recording);
            let mut w = Workload(0x5eed);
            let mut live: Vec<u64> = Vec::new();
            let ops = 1_000_000u64;
            let t = Instant::now();
            for _ in 0..ops {
                let r = w.next();
                if live.len() < 10_000 && (live.len() < 5_000 || r & 1 == 0) {
                    let size = 8 + (r >> 8) % 505;
                    if let Ok(addr) = m.kmalloc(size, GfpFlags(GFP_KERNEL)) {
                        live.push(addr);
                    }
                } else {
                    let i = ((r >> 8) as usize) % live.len();
                    let _ = m.kfree(live.swap_remove(i));
                }
                if recording {
                    black_box(m.take_events());
                }
            }
            best = best.min(t.elapsed().as_secs_f64() * 1e9 / ops as f64);
        }
        println!(
            "events {:<3}: {:>8.1} ns/op  ({:.2} M ops/s)",
            if recording { "on" } else { "off" },
            best,
            1e3 / best
        );
    }
}

/// Memory pressure at a real size: an 8 GiB file read through the page cache of a
/// 4 GiB machine, so that kswapd0 and direct reclaim free every page twice over.
fn reclaim_figures() {
    println!("\n== reclaim: cat of an 8G file on mem=4G (2,097,152 pages through the page cache)");
    for recording in [false, true] {
        let mut m = boot("mem=4G", recording);
        assert!(m.run("fallocate -l 8G /data/big").ok);
        let t = Instant::now();
        let out = m.run("cat /data/big > /dev/null");
        let took = t.elapsed().as_secs_f64();
        assert!(out.ok, "{}", out.output);
        let vmstat = m.run("cat /proc/vmstat").output;
        let stat = |name: &str| {
            vmstat
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        println!(
            "events {:<3}: {:>8.0} ms, {:>6.0} ns/page read; kswapd freed {}, direct reclaim {} ({} allocstalls); {} steps kept",
            if recording { "on" } else { "off" },
            took * 1e3,
            took * 1e9 / 2_097_152.0,
            stat("pgsteal_kswapd"),
            stat("pgsteal_direct"),
            stat("allocstall_dma32") + stat("allocstall_normal"),
            out.events.len()
        );
    }
}

/// A /proc/vmstat counter (0 if absent).
fn vmstat(m: &mut Machine, name: &str) -> u64 {
    m.run("cat /proc/vmstat")
        .output
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<u64>().ok())
        .unwrap_or(0)
}

/// Swap-out and swap-in at scale: a process touches twice the RAM of a 1G machine
/// with 2G of swap (every page past RAM is unmapped, written and freed), then reads
/// its first 64 MiB back (swap faults with readahead); events off and on.
fn swap_figures() {
    println!("\n== swap: touch 2G on mem=1G swap=2G, then read the first 64M back");
    for recording in [false, true] {
        let mut m = boot("mem=1G swap=2G", recording);
        assert!(m.run("sysctl -w vm.overcommit_memory=1").ok);
        assert!(m.run("spawn app").ok);
        let map = m.run("mmap 2 2G").output;
        let addr = map
            .split_whitespace()
            .find_map(|w| w.strip_prefix("addr="))
            .and_then(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16).ok())
            .expect("mmap prints addr=");
        let t = Instant::now();
        let out = m.run(&format!("touch 2 {addr:#x} 2G"));
        let out_secs = t.elapsed().as_secs_f64();
        assert!(out.ok, "{}", out.output);
        let pswpout = vmstat(&mut m, "pswpout");
        let t = Instant::now();
        let back = m.run(&format!("touch 2 {addr:#x} 64M"));
        let in_secs = t.elapsed().as_secs_f64();
        assert!(back.ok, "{}", back.output);
        let pswpin = vmstat(&mut m, "pswpin");
        println!(
            "events {:<3}: touch {:>7.0} ms, {:>5.0} ns/page, {} pages swapped out ({:.0} ns each); \
             64M back: {:>5.0} ms, {} pages read ({} steps kept)",
            if recording { "on" } else { "off" },
            out_secs * 1e3,
            out_secs * 1e9 / 524_288.0,
            pswpout,
            out_secs * 1e9 / pswpout.max(1) as f64,
            in_secs * 1e3,
            pswpin,
            out.events.len()
        );
    }
}

/// Compaction at scale: a 4G machine filled with a process's pages, every other 32K
/// unmapped (no free block above order 3 anywhere), then `echo 1 >
/// /proc/sys/vm/compact_memory` over every zone; events off and on.
fn compaction_figures() {
    println!("\n== compaction: compact_memory on mem=4G, fragmented into order-3 holes");
    for recording in [false, true] {
        let mut m = boot("mem=4G pcp=off", recording);
        assert!(m.run("sysctl -w vm.overcommit_memory=1").ok);
        assert!(m.run("spawn app").ok);
        let size: u64 = 3900 << 20;
        let map = m.run(&format!("mmap 2 {size}")).output;
        let addr = map
            .split_whitespace()
            .find_map(|w| w.strip_prefix("addr="))
            .and_then(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16).ok())
            .expect("mmap prints addr=");
        assert!(m.run(&format!("touch 2 {addr:#x} {size}")).ok);
        let mut off = 0;
        while off + (32 << 10) <= size {
            m.run(&format!("munmap 2 {:#x} 32K", addr + off));
            off += 64 << 10;
        }
        let buddy = m.run("cat /proc/buddyinfo").output;
        let t = Instant::now();
        let out = m.run("echo 1 > /proc/sys/vm/compact_memory");
        let secs = t.elapsed().as_secs_f64();
        assert!(out.ok, "{}", out.output);
        let moved = vmstat(&mut m, "pgmigrate_success");
        let scanned =
            vmstat(&mut m, "compact_migrate_scanned") + vmstat(&mut m, "compact_free_scanned");
        if !recording {
            print!(
                "before: {buddy}after:  {}",
                m.run("cat /proc/buddyinfo").output
            );
        }
        println!(
            "events {:<3}: compact_memory {:>6.0} ms: {} pages migrated ({:.0} ns each), {} pages scanned ({} steps kept)",
            if recording { "on" } else { "off" },
            secs * 1e3,
            moved,
            secs * 1e9 / moved.max(1) as f64,
            scanned,
            out.events.len()
        );
    }
}

fn criterion_benches(c: &mut Criterion) {
    let shape = SHAPES[0];
    let mut g = c.benchmark_group("random order 0-3 alloc/free, 1000 steps");
    g.bench_function("buddy_system_allocator FrameAllocator", |b| {
        let (mut a, mut w, mut live) = (peer(shape.mem), Workload(7), Vec::new());
        b.iter(|| run(&mut a, shape, &mut w, &mut live, 1000));
    });
    g.bench_function("mm-core events off", |b| {
        let (mut a, mut w, mut live) = (Sim(boot(shape.mem, false)), Workload(7), Vec::new());
        b.iter(|| run(&mut a, shape, &mut w, &mut live, 1000));
    });
    g.bench_function("mm-core events on", |b| {
        let (mut a, mut w, mut live) = (Sim(boot(shape.mem, true)), Workload(7), Vec::new());
        b.iter(|| run(&mut a, shape, &mut w, &mut live, 1000));
    });
    g.finish();
}

fn main() {
    figures();
    kmalloc_figures();
    reclaim_figures();
    swap_figures();
    compaction_figures();
    println!();
    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    criterion_benches(&mut c);
    c.final_summary();
}
