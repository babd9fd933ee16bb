//! `cargo xtask bench`: scale figures for the page allocator, then a comparison with
//! `buddy_system_allocator`'s `FrameAllocator` on the same random order-0..3
//! alloc/free workload (events off and on), printed as ratios, then criterion's
//! measurements of the same three.

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

/// Runs `ops` steps: allocate an order 0-3 block while fewer than 4096 are live or on
/// a coin flip, else free a random live block.
fn run(a: &mut impl Alloc, w: &mut Workload, live: &mut Vec<(u64, u8)>, ops: u64) {
    for _ in 0..ops {
        let r = w.next();
        if live.len() < 4096 || r & 1 == 0 {
            let order = ((r >> 1) & 3) as u8;
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
    let mut m = Machine::boot(BootParams::parse([mem]).expect("valid boot options"));
    m.set_recording(recording);
    m
}

fn peer() -> Peer {
    let mut f = FrameAllocator::<32>::new();
    f.add_frame(256, 262_144);
    Peer(f)
}

fn timed(mut a: impl Alloc, ops: u64) -> Duration {
    let mut w = Workload(0x9e37_79b9_7f4a_7c15);
    let mut live = Vec::new();
    run(&mut a, &mut w, &mut live, 10_000);
    let t = Instant::now();
    run(&mut a, &mut w, &mut live, ops);
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
    let d = timed(Sim(m), ops);
    println!(
        "1M alloc/free on 16G, events off:    {:>10.2} ms  ({:.2} M ops/s)",
        d.as_secs_f64() * 1e3,
        ops as f64 / d.as_secs_f64() / 1e6
    );
    let d = timed(Sim(boot("mem=16G", true)), ops);
    println!(
        "1M alloc/free on 16G, events on:     {:>10.2} ms  ({:.2} M ops/s)",
        d.as_secs_f64() * 1e3,
        ops as f64 / d.as_secs_f64() / 1e6
    );

    println!("\n== versus buddy_system_allocator::FrameAllocator (1G, random order 0-3, 1M ops)");
    let peer_t = timed(peer(), ops);
    let off = timed(Sim(boot("mem=1G", false)), ops);
    let on = timed(Sim(boot("mem=1G", true)), ops);
    let ns = |d: Duration| d.as_secs_f64() * 1e9 / ops as f64;
    println!("FrameAllocator:          {:>8.1} ns/op", ns(peer_t));
    println!(
        "mm-core, events off:     {:>8.1} ns/op   ratio {:.2}x the peer's time (target <= 1.0)",
        ns(off),
        ns(off) / ns(peer_t)
    );
    println!(
        "mm-core, events on:      {:>8.1} ns/op   ratio {:.2}x the peer's time (target <= 3.0)",
        ns(on),
        ns(on) / ns(peer_t)
    );
}

/// kmalloc/kfree of small sizes (8..=512 bytes), a live set of up to 10,000 objects.
fn kmalloc_figures() {
    println!("\n== SLUB: kmalloc/kfree of 8-512 bytes (1G, 1M ops)");
    for recording in [false, true] {
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
        let d = t.elapsed();
        println!(
            "events {:<3}: {:>8.1} ns/op  ({:.2} M ops/s)",
            if recording { "on" } else { "off" },
            d.as_secs_f64() * 1e9 / ops as f64,
            ops as f64 / d.as_secs_f64() / 1e6
        );
    }
}

fn criterion_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("random order 0-3 alloc/free, 1000 ops");
    g.bench_function("buddy_system_allocator FrameAllocator", |b| {
        let (mut a, mut w, mut live) = (peer(), Workload(7), Vec::new());
        b.iter(|| run(&mut a, &mut w, &mut live, 1000));
    });
    g.bench_function("mm-core events off", |b| {
        let (mut a, mut w, mut live) = (Sim(boot("mem=1G", false)), Workload(7), Vec::new());
        b.iter(|| run(&mut a, &mut w, &mut live, 1000));
    });
    g.bench_function("mm-core events on", |b| {
        let (mut a, mut w, mut live) = (Sim(boot("mem=1G", true)), Workload(7), Vec::new());
        b.iter(|| run(&mut a, &mut w, &mut live, 1000));
    });
    g.finish();
}

fn main() {
    figures();
    kmalloc_figures();
    println!();
    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    criterion_benches(&mut c);
    c.final_summary();
}
