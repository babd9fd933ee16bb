//! The line generator: mostly valid commands whose arguments sit at the edges (orders
//! 0 and 10 and 11, sizes of 0 and 16E, PFNs and addresses the simulator just printed,
//! one past them, misaligned, non-canonical), some extreme boots and sysctls, pipes,
//! and plain garbage: random words, unicode, unbalanced quotes, lines past the length
//! limit.

use crate::pools::Pools;
use crate::rng::Rng;
use mm_core::limits::LINE_BYTES;
use mm_core::Machine;

/// Every command of the language the generator writes lines for (a test checks this
/// against the command registry, so a new command gets fuzzed on purpose).
pub const COMMANDS: &[&str] = &[
    "boot",
    "alloc_pages",
    "free_pages",
    "kmalloc",
    "kfree",
    "kmem_cache_create",
    "kmem_cache_alloc",
    "kmem_cache_free",
    "kmem_cache_shrink",
    "kmem_cache_destroy",
    "spawn",
    "fork",
    "exit",
    "mmap",
    "munmap",
    "brk",
    "read",
    "write",
    "touch",
    "translate",
    "ps",
    "cat",
    "echo",
    "sysctl",
    "ls",
    "dmesg",
    "help",
    "fallocate",
    "dd",
    "rm",
    "sync",
    "sleep",
];

const GFPS: &[&str] = &[
    "GFP_KERNEL",
    "GFP_USER",
    "GFP_HIGHUSER_MOVABLE",
    "GFP_DMA",
    "GFP_DMA32",
    "GFP_ATOMIC",
    "GFP_NOWAIT",
    "GFP_KERNEL|__GFP_NOWARN",
    "GFP_KERNEL|__GFP_RECLAIMABLE",
    "GFP_KERNEL|__GFP_ZERO",
    "__GFP_MOVABLE",
    "__GFP_DMA|__GFP_DMA32",
    "GFP_KERNEL|__GFP_MOVABLE|__GFP_RECLAIMABLE",
    "GFP_NOFS",
    "GFP_KERNEL|",
    "|",
    "GFP_BOGUS",
    "0",
    "gfp_kernel",
];

const SIZES: &[&str] = &[
    "0",
    "1",
    "8",
    "9",
    "96",
    "192",
    "256",
    "512",
    "4095",
    "4096",
    "4097",
    "8K",
    "64K",
    "1M",
    "2M",
    "3M",
    "4M",
    "16M",
    "64M",
    "1G",
    "4G",
    "64G",
    "1T",
    "128T",
    "16E",
    "17E",
    "-1",
    "1.5M",
    "0x1000",
    "K",
    "4k",
    "8192",
    "18446744073709551615",
    "18446744073709551616",
    "9999999999999999999999",
];

const PROTS: &[&str] = &[
    "PROT_READ",
    "PROT_READ|PROT_WRITE",
    "PROT_NONE",
    "PROT_READ|PROT_WRITE|PROT_EXEC",
    "PROT_WRITE",
    "PROT_BOGUS",
    "PROT_READ|",
];

const MAPS: &[&str] = &[
    "MAP_PRIVATE",
    "MAP_SHARED",
    "MAP_NORESERVE",
    "MAP_PRIVATE|MAP_NORESERVE",
    "MAP_SHARED|MAP_NORESERVE",
    "MAP_PRIVATE|MAP_SHARED",
    "MAP_FIXED",
];

const CACHES: &[&str] = &[
    "kmalloc-8",
    "kmalloc-64",
    "kmalloc-192",
    "kmalloc-8k",
    "dma-kmalloc-64",
    "task_struct",
    "mm_struct",
    "vm_area_struct",
    "kmem_cache",
    "nosuchcache",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "7",
    "10",
    "11",
    "63",
    "64",
    "100",
    "255",
    "256",
    "1000",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-1",
    "-0",
    "+1",
    "0x10",
    "0x",
    "1e3",
    "abc",
    "",
];

const UNICODE: &[&str] = &[
    "ñ", "é", "😀", "\u{202e}", "\u{0}", "\t", "\u{feff}", "中文", "ß", "\u{7f}", "٣", "\r",
];

const WORDS: &[&str] = &[
    "alloc_pages",
    "free_pages",
    "kmalloc",
    "|",
    "||",
    ">",
    ">>",
    "#",
    "\"",
    "'",
    "head",
    "-n",
    "grep",
    "wc",
    "-l",
    "cat",
    "/proc",
    "/proc/",
    "..",
    "/",
    "=",
    "vm.",
    "0x",
    "GFP_KERNEL",
    "mem=",
    "$",
    "`",
    "\\",
    "*",
    "?",
    "[",
    "]",
    "&&",
    ";",
];

const PIPES: &[&str] = &[
    " | head -n 3",
    " | head",
    " | tail -n 1",
    " | tail -n 0",
    " | grep e",
    " | grep -v -i E",
    " | grep ^N",
    " | wc -l",
    " | wc -c",
    " | head -n -1",
    " | head -n x",
    " |",
    " | cat",
    " | head -n 2 | tail -n 1 | wc -l",
    " | grep",
];

/// Writes random lines; `max_mem` bounds the RAM of the machines it boots (other
/// sizes appear only where the boot refuses them).
pub struct Generator {
    /// The largest RAM a generated boot may ask for, in bytes.
    pub max_mem: u64,
}

fn hex(n: u64) -> String {
    format!("{n:#x}")
}

impl Generator {
    /// A `boot` line: usually a small machine, sometimes an edge of each option.
    pub fn boot(&self, r: &mut Rng) -> String {
        let mut args = vec!["boot".to_string()];
        let mem_mb = match r.below(6) {
            0 => 4,
            1 => 16,
            2 => 64,
            3 => 128 + r.below(896),
            4 => 4 + r.below(60),
            _ => (self.max_mem >> 20).max(4),
        }
        .min((self.max_mem >> 20).max(4));
        if r.chance(9, 10) {
            args.push(format!("mem={mem_mb}M"));
        } else {
            args.push(format!(
                "mem={}",
                r.pick(&["0", "1", "3M", "65G", "1P", "-1", "abc", "16E", "4097K"])
            ));
        }
        if r.chance(1, 3) {
            args.push(format!(
                "cpus={}",
                r.pick(&["1", "2", "4", "8", "64", "0", "1000", "x"])
            ));
        }
        if r.chance(1, 4) {
            args.push(format!(
                "swap={}",
                r.pick(&["0", "16M", "1G", "64G", "1T", "-4K"])
            ));
        }
        if r.chance(1, 4) {
            args.push(format!("pcp={}", r.pick(&["on", "off", "maybe"])));
        }
        if r.chance(1, 8) {
            args.push(format!("dma={}", r.pick(&["0", "1M", "16M", "32M", "4G"])));
        }
        if r.chance(1, 8) {
            args.push(format!("dma32={}", r.pick(&["0", "16M", "2G", "4G", "8G"])));
        }
        if r.chance(1, 8) {
            args.push(format!(
                "reserve={}@{}",
                r.pick(&["4K", "1M", "8M", "0", "1G"]),
                r.pick(&["0", "0x100000", "0x1000000", "16M", "0xffffffffffffffff"])
            ));
        }
        if r.chance(1, 8) {
            args.push("caches=typical".into());
        }
        if r.chance(1, 10) {
            args.push(format!("la57={}", r.pick(&["on", "off"])));
        }
        if r.chance(1, 8) {
            let k = r.pick(&["slub_min_objects", "slub_min_order", "slub_max_order"]);
            args.push(format!(
                "{k}={}",
                r.pick(&["0", "1", "3", "4", "10", "11", "999"])
            ));
        }
        if r.chance(1, 30) {
            args.push(r.pick(&["mem=", "=", "bogus=1", "mem=4M"]).to_string());
        }
        args.join(" ")
    }

    fn size(&self, r: &mut Rng) -> String {
        match r.below(4) {
            0 => r.pick(SIZES).to_string(),
            1 => format!("{}K", 4 * (1 + r.below(64))),
            2 => format!("{}", 1 + r.below(9000)),
            _ => format!("{}M", 1 + r.below(8)),
        }
    }

    fn order(r: &mut Rng) -> String {
        if r.chance(7, 8) {
            format!("{}", r.weighted(&[8, 6, 5, 5, 3, 2, 2, 2, 1, 1, 1]))
        } else {
            r.pick(&[
                "11",
                "12",
                "255",
                "256",
                "-1",
                "99999999999999999999",
                "0x3",
                "3.5",
                "x",
            ])
            .to_string()
        }
    }

    fn gfp(r: &mut Rng) -> Option<String> {
        r.chance(1, 2).then(|| r.pick(GFPS).to_string())
    }

    fn pfn(r: &mut Rng, p: &Pools, m: &Machine) -> String {
        let pages = m.page_states().len() as u64;
        let seen: Vec<u64> = p.pfns.iter().chain(&p.numbers).copied().collect();
        match r.below(8) {
            0..=3 if !seen.is_empty() => hex(r.pick(&seen)),
            4 if !seen.is_empty() => {
                hex(r.pick(&seen).wrapping_add(r.pick(&[1, 2, 3, 8, u64::MAX])))
            }
            5 => hex(r.below(pages.max(1))),
            6 => format!("{}", r.below(pages.max(1))),
            _ => r
                .pick(&[
                    "0",
                    "0x0",
                    "0xffffffffffffffff",
                    "0x10000000000000",
                    "0x1013",
                    "-1",
                    "pfn",
                    "0x",
                ])
                .to_string(),
        }
    }

    fn addr(r: &mut Rng, p: &Pools) -> String {
        match r.below(8) {
            0..=3 if !p.addrs.is_empty() => hex(r.pick(&p.addrs)),
            4 if !p.addrs.is_empty() => {
                let a = r.pick(&p.addrs);
                hex(a.wrapping_add(r.pick(&[1, 8, 0x1000, 0x10_0000, u64::MAX - 0xfff, 0x20_0000])))
            }
            5 if !p.numbers.is_empty() => hex(r.pick(&p.numbers)),
            _ => r
                .pick(&[
                    "0",
                    "0x1000",
                    "0x400000",
                    "0x7ffffffff000",
                    "0x7ffffffffff0",
                    "0x800000000000",
                    "0xffff800000000000",
                    "0xffff888000000000",
                    "0xffffffffffffffff",
                    "0x7ffff7fff000",
                    "0x00007ffff7bff000",
                    "0x1000000000000000",
                    "-0x1000",
                    "addr",
                ])
                .to_string(),
        }
    }

    /// A process and a page-aligned address inside one of its mappings, and the bytes
    /// from there to the mapping's end; or any pid and address.
    fn in_mapping(r: &mut Rng, p: &Pools) -> (String, String, u64) {
        if p.maps.is_empty() || r.chance(1, 4) {
            return (Self::pid(r, p), Self::addr(r, p), 0);
        }
        let (pid, start, end) = r.pick(&p.maps);
        let pages = (end.saturating_sub(start) >> 12).max(1);
        let at = start + (r.below(pages) << 12);
        (pid.to_string(), hex(at), end.saturating_sub(at))
    }

    fn kaddr(r: &mut Rng, p: &Pools) -> String {
        match r.below(6) {
            0..=3 if !p.kaddrs.is_empty() => hex(r.pick(&p.kaddrs)),
            4 if !p.kaddrs.is_empty() => {
                hex(r
                    .pick(&p.kaddrs)
                    .wrapping_add(r.pick(&[1, 8, 64, 0x1000, u64::MAX - 63])))
            }
            _ => Self::addr(r, p),
        }
    }

    fn pid(r: &mut Rng, p: &Pools) -> String {
        match r.below(6) {
            0..=3 if !p.pids.is_empty() => p.pids[r.index(p.pids.len())].to_string(),
            4 => format!("{}", 1 + r.below(6)),
            _ => r
                .pick(&[
                    "0",
                    "1",
                    "99",
                    "4294967296",
                    "-1",
                    "x",
                    "18446744073709551615",
                ])
                .to_string(),
        }
    }

    fn cache(r: &mut Rng, p: &Pools) -> String {
        if !p.caches.is_empty() && r.chance(2, 3) {
            return p.caches[r.index(p.caches.len())].clone();
        }
        r.pick(CACHES).to_string()
    }

    fn name(r: &mut Rng) -> String {
        match r.below(6) {
            0 => "x".repeat(1 + r.index(40)),
            1 => r.pick(UNICODE).to_string(),
            2 => r
                .pick(&["kmalloc-64", "task_struct", "a b", "\"q\"", "-", "foo|bar"])
                .to_string(),
            _ => format!("c{}", r.below(6)),
        }
    }

    /// A random valid-looking line for one command.
    pub fn command(&self, name: &str, r: &mut Rng, p: &Pools, m: &Machine) -> String {
        let opt = |s: Option<String>| s.map(|x| format!(" {x}")).unwrap_or_default();
        match name {
            "boot" => self.boot(r),
            "alloc_pages" => {
                let gfp = Self::gfp(r);
                format!("alloc_pages {}{}", Self::order(r), opt(gfp))
            }
            "free_pages" => {
                let order = r.chance(1, 3).then(|| Self::order(r));
                format!("free_pages {}{}", Self::pfn(r, p, m), opt(order))
            }
            "kmalloc" => {
                let gfp = Self::gfp(r);
                format!("kmalloc {}{}", self.size(r), opt(gfp))
            }
            "kfree" => format!("kfree {}", Self::kaddr(r, p)),
            "kmem_cache_create" => {
                let mut line = format!("kmem_cache_create {} {}", Self::name(r), self.size(r));
                if r.chance(1, 3) {
                    line.push_str(&format!(
                        " align={}",
                        r.pick(&["0", "1", "3", "8", "64", "4096", "8192", "x"])
                    ));
                }
                if r.chance(1, 3) {
                    line.push(' ');
                    line.push_str(r.pick(&[
                        "SLAB_HWCACHE_ALIGN",
                        "SLAB_RECLAIM_ACCOUNT",
                        "SLAB_CACHE_DMA",
                        "SLAB_ACCOUNT",
                        "SLAB_HWCACHE_ALIGN|SLAB_CACHE_DMA",
                        "SLAB_BOGUS",
                    ]));
                }
                line
            }
            "kmem_cache_alloc" => {
                let gfp = Self::gfp(r);
                format!("kmem_cache_alloc {}{}", Self::cache(r, p), opt(gfp))
            }
            "kmem_cache_free" => {
                format!("kmem_cache_free {} {}", Self::cache(r, p), Self::addr(r, p))
            }
            "kmem_cache_shrink" => format!("kmem_cache_shrink {}", Self::cache(r, p)),
            "kmem_cache_destroy" => format!("kmem_cache_destroy {}", Self::cache(r, p)),
            "spawn" => format!("spawn {}", Self::name(r)),
            "fork" => format!("fork {}", Self::pid(r, p)),
            "exit" => format!("exit {}", Self::pid(r, p)),
            "mmap" => {
                let size = if r.chance(1, 6) {
                    format!("{}M", 16 << r.below(8))
                } else {
                    self.size(r)
                };
                let mut line = format!("mmap {} {size}", Self::pid(r, p));
                if r.chance(1, 3) {
                    // A file under /data (maybe missing), sometimes at an offset
                    // (maybe unaligned).
                    let name = ["a", "b", "log.1", "none"][r.below(4) as usize];
                    line.push_str(&format!(" /data/{name}"));
                    if r.chance(1, 3) {
                        line.push_str(&format!(
                            " offset={}",
                            r.pick(&["4K", "64K", "1M", "100", "x"])
                        ));
                    }
                }
                if r.chance(1, 2) {
                    line.push(' ');
                    line.push_str(r.pick(PROTS));
                }
                if r.chance(1, 3) {
                    line.push(' ');
                    line.push_str(r.pick(MAPS));
                }
                line
            }
            "munmap" => {
                let (pid, at, room) = Self::in_mapping(r, p);
                let size = if room > 0 && r.chance(1, 2) {
                    format!("{}", (1 + r.below(room >> 12)) << 12)
                } else {
                    self.size(r)
                };
                format!("munmap {pid} {at} {size}")
            }
            "brk" => format!(
                "brk {} {}{}",
                Self::pid(r, p),
                r.pick(&["+", "-", "+", ""]),
                self.size(r)
            ),
            "read" | "write" | "translate" => {
                let (pid, at, _) = Self::in_mapping(r, p);
                format!("{name} {pid} {at}")
            }
            "touch" => {
                let (pid, at, room) = Self::in_mapping(r, p);
                // Mostly a part of a mapping; sometimes all the rest of it (up to an
                // OOM kill), sometimes past its end; rarely any size.
                let size = match r.below(8) {
                    _ if room == 0 => format!("{}K", 4 * (1 + r.below(256))),
                    0..=4 => format!("{}", (1 + r.below((room >> 12).min(512))) << 12),
                    5 | 6 => format!("{room}"),
                    _ => self.size(r),
                };
                if r.chance(1, 4) {
                    format!("touch {pid} {at} {size} read")
                } else {
                    format!("touch {pid} {at} {size}")
                }
            }
            "ps" => "ps".into(),
            "fallocate" => {
                let name = ["a", "b", "log.1", "..", "x/y"][r.below(5) as usize];
                format!("fallocate -l {} /data/{name}", self.size(r))
            }
            "dd" => {
                let name = ["a", "b", "log.1", "none"][r.below(4) as usize];
                match r.below(3) {
                    0 => format!(
                        "dd if=/data/{name} of=/dev/null bs=4K count={}",
                        r.below(64)
                    ),
                    1 => format!(
                        "dd if=/dev/zero of=/data/{name} bs=64K count={}",
                        r.below(16)
                    ),
                    _ => format!(
                        "dd if=/data/{name} of=/dev/null bs={} skip={}",
                        self.size(r),
                        r.below(8)
                    ),
                }
            }
            "rm" => format!(
                "rm /data/{}",
                ["a", "b", "log.1", "none"][r.below(4) as usize]
            ),
            "sync" => "sync".into(),
            "sleep" => format!(
                "sleep {}",
                ["1", "100ms", "6s", "2h", "x"][r.below(5) as usize]
            ),
            "cat" => {
                let files = m.files();
                let mut line = "cat".to_string();
                for _ in 0..1 + r.below(2) {
                    line.push(' ');
                    if r.chance(5, 6) && !files.is_empty() {
                        line.push_str(&files[r.index(files.len())]);
                    } else {
                        line.push_str(r.pick(&[
                            "/proc/nope",
                            "/proc",
                            "/proc/",
                            "/proc/99/maps",
                            "/proc/1/",
                            "/proc/sys/vm",
                            "/etc/passwd",
                            "../proc/meminfo",
                            "/proc/buddyinfo/",
                            "/proc/0/status",
                        ]));
                    }
                }
                line
            }
            "echo" => {
                let value = r.pick(NUMBERS).to_string();
                match r.below(5) {
                    // The manual OOM kill (sysrq f), now and then; other keys are refused.
                    4 if r.chance(1, 4) => {
                        format!(
                            "echo {} > /proc/sysrq-trigger",
                            r.pick(&["f", "f", "b", "fx", ""])
                        )
                    }
                    0 => format!("echo {value}"),
                    1 => format!(
                        "echo {value} > /proc/sys/vm/{}",
                        r.pick(mm_core::sysctl::NAMES)
                    ),
                    2 => format!(
                        "echo {value} >/proc/sys/vm/{}",
                        r.pick(mm_core::sysctl::NAMES)
                    ),
                    _ => format!(
                        "echo {value} > {}",
                        r.pick(&[
                            "/proc/meminfo",
                            "/proc/nope",
                            "/proc/1/oom_score_adj",
                            "/proc/sys/vm/nope",
                            "",
                            "a b"
                        ])
                    ),
                }
            }
            "sysctl" => {
                let mut line = "sysctl".to_string();
                if r.chance(1, 6) {
                    line.push_str(" -a");
                }
                if r.chance(2, 3) {
                    line.push_str(" -w");
                }
                for _ in 0..1 + r.below(3) {
                    let name = if r.chance(9, 10) {
                        format!("vm.{}", r.pick(mm_core::sysctl::NAMES))
                    } else {
                        r.pick(&[
                            "vm.nope",
                            "kernel.pid_max",
                            "vm",
                            "",
                            "vm.overcommit_memory.x",
                        ])
                        .to_string()
                    };
                    line.push(' ');
                    line.push_str(&name);
                    if r.chance(4, 5) {
                        line.push('=');
                        line.push_str(r.pick(NUMBERS));
                        if r.chance(1, 5) {
                            line.push_str(&format!(" {}", r.pick(NUMBERS)));
                        }
                    }
                }
                line
            }
            "ls" => format!(
                "ls{}",
                r.pick(&[
                    "",
                    " /proc",
                    " /proc/",
                    " /proc/1",
                    " /proc/sys/vm",
                    " /nope",
                    " /proc/99"
                ])
            ),
            "dmesg" => r
                .pick(&["dmesg", "dmesg -c", "dmesg | tail -n 5"])
                .to_string(),
            "help" => format!(
                "help{}",
                r.pick(&[
                    "",
                    " alloc_pages",
                    " limits",
                    " nope",
                    " grep",
                    " ls",
                    " help"
                ])
            ),
            _ => name.to_string(),
        }
    }

    /// Random words, unicode and symbols.
    pub fn garbage(r: &mut Rng) -> String {
        let n = 1 + r.below(8);
        (0..n)
            .map(|_| match r.below(4) {
                0 => r.pick(UNICODE).to_string(),
                1 => r.pick(NUMBERS).to_string(),
                2 => {
                    let len = 1 + r.below(12);
                    (0..len)
                        .map(|_| (b' ' + r.below(95) as u8) as char)
                        .collect()
                }
                _ => r.pick(WORDS).to_string(),
            })
            .collect::<Vec<_>>()
            .join(if r.chance(1, 5) { "" } else { " " })
    }

    /// A line around the length limit (just under, at, just over, far over).
    pub fn long(r: &mut Rng, p: &Pools, m: &Machine, g: &Generator) -> String {
        let base = g.command(r.pick(COMMANDS), r, p, m);
        let target = r.pick(&[LINE_BYTES - 1, LINE_BYTES, LINE_BYTES + 1, 100_000]);
        let filler = r.pick(&[" x", "#", " ", "ñ", " |"]).to_string();
        let mut line = base;
        while line.len() < target {
            line.push_str(&filler);
        }
        while line.len() > target && line.is_char_boundary(target) {
            line.truncate(target);
        }
        line
    }

    /// One line: a command (maybe piped), garbage, or an over-long line.
    pub fn line(&self, r: &mut Rng, p: &Pools, m: &Machine) -> String {
        // Weights per command, in COMMANDS' order.
        const WEIGHTS: &[u64] = &[
            1, 14, 9, 9, 7, 3, 5, 4, 2, 2, 4, 3, 3, 7, 4, 3, 3, 5, 4, 3, 1, 5, 3, 4, 1, 1, 1,
        ];
        match r.below(100) {
            0..=5 => Self::garbage(r),
            6 => Self::long(r, p, m, self),
            _ => {
                let name = COMMANDS[r.weighted(WEIGHTS)];
                let mut line = self.command(name, r, p, m);
                if r.chance(1, 12) {
                    line.push_str(r.pick(PIPES));
                }
                if r.chance(1, 40) {
                    line.push_str(r.pick(&[" # a comment", " extra", "  ", "\t", " \"", " '"]));
                }
                line
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_of_the_registry_is_fuzzed() {
        let mut registry: Vec<&str> = mm_core::command_infos().map(|c| c.name).collect();
        let mut ours = COMMANDS.to_vec();
        registry.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, registry);
    }

    #[test]
    fn lines_are_varied_and_deterministic() {
        let g = Generator { max_mem: 64 << 20 };
        let m = Machine::boot(mm_core::BootParams::parse(["mem=16M"]).unwrap_or_default());
        let p = Pools::default();
        let run = |seed| {
            let mut r = Rng::new(seed);
            (0..3000)
                .map(|_| g.line(&mut r, &p, &m))
                .collect::<Vec<_>>()
        };
        let a = run(1);
        assert_eq!(a, run(1));
        assert_ne!(a, run(2));
        for cmd in ["alloc_pages", "touch", "sysctl", "boot"] {
            assert!(a.iter().any(|l| l.starts_with(cmd)), "no {cmd} line");
        }
        assert!(a.iter().any(|l| l.len() > LINE_BYTES));
    }

    #[test]
    fn boots_stay_within_max_mem() {
        let g = Generator { max_mem: 64 << 20 };
        let mut r = Rng::new(3);
        for _ in 0..300 {
            let line = g.boot(&mut r);
            if let Some(mem) = line.split_whitespace().find_map(|w| w.strip_prefix("mem=")) {
                if let Some(mb) = mem.strip_suffix('M').and_then(|n| n.parse::<u64>().ok()) {
                    assert!(mb <= 64, "{line}");
                }
            }
        }
    }
}
