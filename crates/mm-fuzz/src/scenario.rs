//! Short scenarios a random line rarely stumbles on, queued a line at a time between
//! random lines: memory exhausted up to an OOM kill, copy-on-write after fork, free
//! lists fragmented by mixed migrate types until a fallback steals a pageblock, slab
//! churn, a file larger than RAM streamed through the page cache (reclaim by kswapd
//! and direct reclaim, refaults, dirty pages written back, drop_caches), fragmentation
//! with compaction, and the highatomic reserve. Later lines take their process and
//! address from what earlier ones printed.

use crate::pools::Pools;
use crate::rng::Rng;
use std::collections::VecDeque;

/// One queued line.
#[derive(Clone, Debug)]
enum Step {
    /// This line as it is.
    Line(String),
    /// Touch all of the newest mapping.
    TouchNewest,
    /// Fork the owner of the newest mapping.
    ForkNewest,
    /// Write to the newest mapping's first page.
    WriteNewest,
    /// End the owner of the newest mapping.
    ExitNewest,
    /// Free the `n`th newest slab object back to the `churn` cache.
    FreeObject(usize),
    /// Unmap the `k`th 32K hole (every other 32K) of the newest mapping.
    PunchNewest(u64),
    /// Touch the `k`th 4M of the newest mapping.
    TouchChunk(u64),
}

/// The lines still to come.
#[derive(Default)]
pub struct Plan {
    queue: VecDeque<Step>,
}

impl Plan {
    /// Whether a scenario is under way.
    pub fn busy(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Queues one scenario at random; `mem` is the machine's RAM in bytes.
    pub fn start(&mut self, r: &mut Rng, mem: u64) {
        let line = |s: &str| Step::Line(s.to_string());
        let steps: Vec<Step> = match r.below(9) {
            // Past RAM with overcommit on: the OOM killer picks a victim.
            0 => vec![
                line(&format!(
                    "sysctl -w vm.overcommit_memory={}",
                    r.pick(&[1, 0])
                )),
                line("spawn hog"),
                line(&format!("mmap {} {}M", r.pick(&[2, 3, 4]), (mem >> 20) * 2)),
                Step::TouchNewest,
                line("ps"),
            ],
            // Copy-on-write: the child writes, then the parent goes.
            1 => vec![
                line("spawn parent"),
                line(&format!("mmap {} 256K", r.pick(&[2, 3]))),
                Step::TouchNewest,
                Step::ForkNewest,
                Step::WriteNewest,
                Step::ExitNewest,
            ],
            // Mixed migrate types on small blocks: fallbacks steal pageblocks.
            2 => {
                // Sometimes on a machine with a small Normal zone above DMA32, where
                // ALLOC_NOFRAGMENT keeps fallbacks out of DMA32 until it must not.
                let mut v = Vec::new();
                if r.chance(1, 2) {
                    // Three small zones filled with movable half-pageblocks: the next
                    // fallbacks find no whole pageblock anywhere and retry.
                    v.push(line("boot mem=16M dma=4M dma32=8M pcp=off"));
                    for _ in 0..12 {
                        v.push(line("alloc_pages 8 GFP_HIGHUSER_MOVABLE"));
                    }
                }
                for i in 0..60 {
                    let gfp = if i % 2 == 0 {
                        "GFP_KERNEL"
                    } else {
                        "GFP_HIGHUSER_MOVABLE"
                    };
                    v.push(line(&format!("alloc_pages {} {gfp}", r.below(7))));
                }
                v.push(line("alloc_pages 10 GFP_KERNEL"));
                v
            }
            // Page cache pressure: a file half as large again as RAM read twice (the
            // second pass refaults), partly rewritten, an anonymous hog competing,
            // time for the flusher, then caches dropped and the file removed.
            // On a small machine of its own, so that it stays quick with every step
            // recorded.
            3 => {
                let mem = r.pick(&[32u64, 48, 64, 128]);
                let size = mem * 3 / 2;
                let f = format!("/data/fz{}", r.below(4));
                vec![
                    line(&format!("boot mem={mem}M")),
                    line(&format!("fallocate -l {size}M {f}")),
                    line(&format!("cat {f} > /dev/null")),
                    line(&format!(
                        "dd if=/dev/zero of={f} bs=1M count={} seek={}",
                        1 + r.below(32),
                        r.below(size.max(1))
                    )),
                    line(&format!("cat {f} > /dev/null")),
                    line("spawn reader"),
                    line(&format!("mmap 2 {}M", mem / 2)),
                    Step::TouchNewest,
                    line(&format!(
                        "dd if={f} of=/dev/null bs=64K count={} skip={}",
                        1 + r.below(512),
                        r.below(size.max(1) * 16)
                    )),
                    line(&format!("sleep {}s", r.pick(&[1, 6, 35]))),
                    line(r.pick(&["sync", "echo 1 > /proc/sys/vm/drop_caches"])),
                    line("echo 3 > /proc/sys/vm/drop_caches"),
                    line(&format!("rm {f}")),
                ]
            }
            // Swap: a hog half as large again as RAM on a machine with a little swap
            // (swapped out, perhaps filling swap), forked so that swap entries are
            // shared, then written by the child (swap-in and copy-on-write), read
            // back with readahead, and gone.
            4 => {
                let mem = r.pick(&[16u64, 32, 48]);
                vec![
                    line(&format!(
                        "boot mem={mem}M swap={}M",
                        r.pick(&[4u64, 16, 64])
                    )),
                    line(&format!(
                        "sysctl -w vm.swappiness={}",
                        r.pick(&[0u64, 60, 200])
                    )),
                    line(&format!("sysctl -w vm.page-cluster={}", r.below(6))),
                    line("sysctl -w vm.overcommit_memory=1"),
                    line("spawn hog"),
                    line(&format!("mmap 2 {}M", mem * 3 / 2)),
                    Step::TouchNewest,
                    line("cat /proc/swaps"),
                    Step::ForkNewest,
                    Step::WriteNewest,
                    Step::TouchNewest,
                    line("cat /proc/meminfo"),
                    Step::ExitNewest,
                ]
            }
            // A mapped file: faults with read-around, fault-around and async
            // readahead, shared writes dirtying it, private writes copying it, a
            // fork, the file removed while mapped, then the mappings gone.
            5 => {
                let mb = r.pick(&[1u64, 4, 24, 48]);
                let flag = r.pick(&["MAP_SHARED", "MAP_PRIVATE"]);
                vec![
                    line(&format!("fallocate -l {mb}M /data/mapped")),
                    line("spawn mapper"),
                    line(&format!("mmap 2 {mb}M /data/mapped {flag}")),
                    Step::TouchNewest,
                    line(&format!(
                        "mmap 2 {mb}M /data/mapped offset=4K MAP_PRIVATE PROT_READ"
                    )),
                    Step::ForkNewest,
                    line("cat /proc/meminfo"),
                    line(r.pick(&["sync", "echo 1 > /proc/sys/vm/drop_caches"])),
                    line("rm /data/mapped"),
                    Step::ExitNewest,
                ]
            }
            // Fragmentation and compaction: user pages unmapped every other 32K,
            // high-order requests that may or may not compact, compact_memory,
            // kcompactd0's proactive checks.
            6 => {
                let kb = ((mem >> 10) / 2).clamp(256, 4096);
                let mut v = vec![
                    line(&format!(
                        "sysctl -w vm.compaction_proactiveness={}",
                        r.pick(&[0, 20, 100])
                    )),
                    line("spawn frag"),
                    line(&format!("mmap 2 {kb}K")),
                    Step::TouchNewest,
                ];
                v.extend((0..kb / 64).map(Step::PunchNewest));
                for _ in 0..3 {
                    v.push(line(&format!(
                        "alloc_pages {} {}",
                        r.pick(&[3, 4, 5, 9]),
                        r.pick(&[
                            "GFP_ATOMIC",
                            "GFP_KERNEL",
                            "GFP_HIGHUSER_MOVABLE",
                            "GFP_KERNEL|__GFP_NORETRY"
                        ])
                    )));
                }
                v.push(line("echo 1 > /proc/sys/vm/compact_memory"));
                v.push(line("sleep 1"));
                v.push(line("cat /proc/vmstat"));
                v
            }
            // The highatomic reserve: memory filled 4M at a time past the low mark of
            // a 256M machine with a raised min_free_kbytes, a high-order atomic
            // request after each step (one in the slow path reserves a pageblock),
            // then past RAM: direct reclaim and the OOM killer's path give the
            // reserve back.
            7 => {
                let mut v = vec![
                    line(&format!("boot mem=256M pcp={}", r.pick(&["on", "off"]))),
                    line("sysctl -w vm.min_free_kbytes=32768"),
                    line("sysctl -w vm.overcommit_memory=1"),
                    line("spawn fill"),
                    line("mmap 2 320M"),
                ];
                for k in 0..80 {
                    v.push(Step::TouchChunk(k));
                    v.push(line(&format!(
                        "alloc_pages {} GFP_ATOMIC",
                        r.pick(&[1, 2, 3, 9])
                    )));
                }
                v.push(line("cat /proc/zoneinfo"));
                v
            }
            // Slab churn: a cache filled, emptied, shrunk and destroyed.
            _ => {
                let mut v = vec![line("kmem_cache_create churn 200")];
                for _ in 0..30 {
                    v.push(line("kmem_cache_alloc churn"));
                }
                for n in (0..30).step_by(2) {
                    v.push(Step::FreeObject(n));
                }
                v.push(line("kmem_cache_shrink churn"));
                v.push(line("kmem_cache_destroy churn"));
                v
            }
        };
        self.queue.extend(steps);
    }

    /// The next line of the scenario, if one is under way.
    pub fn next(&mut self, p: &Pools) -> Option<String> {
        let step = self.queue.pop_front()?;
        let newest = p
            .maps
            .last()
            .copied()
            .unwrap_or((2, 0x7fff_f7ff_f000, 0x7fff_f800_0000));
        Some(match step {
            Step::Line(l) => l,
            Step::PunchNewest(k) => {
                let at = newest.1 + k * 0x10000;
                if at + 0x8000 <= newest.2 {
                    format!("munmap {} {at:#x} 32K", newest.0)
                } else {
                    "ps".to_string()
                }
            }
            Step::TouchChunk(k) => {
                let at = newest.1 + k * 0x40_0000;
                if at + 0x40_0000 <= newest.2 {
                    format!("touch {} {at:#x} 4M", newest.0)
                } else {
                    "ps".to_string()
                }
            }
            Step::TouchNewest => {
                format!("touch {} {:#x} {}", newest.0, newest.1, newest.2 - newest.1)
            }
            Step::ForkNewest => format!("fork {}", newest.0),
            Step::WriteNewest => format!("write {} {:#x}", newest.0, newest.1),
            Step::ExitNewest => format!("exit {}", newest.0),
            Step::FreeObject(n) => {
                let at = p.kaddrs.len().checked_sub(n + 1).map_or(0, |i| p.kaddrs[i]);
                format!("kmem_cache_free churn {at:#x}")
            }
        })
    }
}
