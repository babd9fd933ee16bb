//! The simulated `/proc`: one registry of every file, readable and writable, that
//! `cat`, `echo >`, `sysctl`, `ls`, completion and `help cat` all use. Each file
//! renders byte for byte in the kernel's format. Files that span subsystems render
//! here ([`meminfo`], [`zoneinfo`]); files that belong to one subsystem render in its
//! folder (`page_alloc::procfs`, `slub::slabinfo`, `vm::procfs`) and are registered
//! here.

pub mod error;
pub mod meminfo;
pub mod swaps;
pub mod vmstat;
pub mod zoneinfo;

use crate::error::Error;
use crate::machine::Machine;
use crate::sysctl::NAMES as SYSCTL_NAMES;
use crate::vmscan::lru::LruList;
use error::FileError;
pub use meminfo::Meminfo;

/// Reads a file for the target its path names (None: there is no such file).
pub type Reader = fn(&Machine, &Target<'_>) -> Option<String>;
/// Writes a value to a file.
pub type Writer = fn(&mut Machine, &Target<'_>, &str) -> Result<(), Error>;

/// A file's name in the registry, or a family of them (`PID`, `NAME` stand for every
/// process and every tunable).
#[derive(Clone, Copy, Debug)]
pub struct ProcFile {
    /// The path (`/proc/buddyinfo`, `/proc/PID/maps`, `/proc/sys/vm/NAME`).
    pub path: &'static str,
    /// What it shows.
    pub summary: &'static str,
    /// Reads it, for the process or tunable the path names.
    pub read: Reader,
    /// Writes it, if it is writable.
    pub write: Option<Writer>,
}

/// What a family's path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A file of its own.
    File,
    /// `/proc/PID/...`.
    Pid(u32),
    /// `/proc/sys/vm/NAME`.
    Sysctl(&'a str),
}

/// Every file, in the order `ls` and `help cat` list them.
pub const FILES: &[ProcFile] = &[
    ProcFile {
        path: "/proc/buddyinfo",
        summary: "free blocks per zone and order (mm/vmstat.c: frag_show)",
        read: |m, _| Some(crate::page_alloc::procfs::buddyinfo(&m.k.node)),
        write: None,
    },
    ProcFile {
        path: "/sys/kernel/debug/extfrag/unusable_index",
        summary: "free memory unusable for each order (mm/vmstat.c: unusable_show)",
        read: |m, _| {
            Some(crate::page_alloc::fragmentation::unusable_index(
                m.k.node.populated(),
            ))
        },
        write: None,
    },
    ProcFile {
        path: "/sys/kernel/debug/extfrag/extfrag_index",
        summary: "fragmentation index per order (mm/vmstat.c: extfrag_show)",
        read: |m, _| {
            Some(crate::page_alloc::fragmentation::extfrag_index(
                m.k.node.populated(),
            ))
        },
        write: None,
    },
    ProcFile {
        path: "/proc/meminfo",
        summary: "memory totals, slab, page tables, CommitLimit and Committed_AS",
        read: |m, _| Some(meminfo::meminfo(&m.meminfo())),
        write: None,
    },
    ProcFile {
        path: "/proc/pagetypeinfo",
        summary: "free blocks per migrate type, and pageblocks per type",
        read: |m, _| Some(crate::page_alloc::procfs::pagetypeinfo(&m.k.node)),
        write: None,
    },
    ProcFile {
        path: SYSRQ_TRIGGER,
        summary: "write f for a manual OOM kill (drivers/tty/sysrq.c: moom_callback)",
        read: |_, _| Some(String::new()),
        write: Some(|m, _, value| {
            // write_sysrq_trigger: the first byte is the key (the kernel's bulk mode,
            // after '_', and its HELP for other keys are not modelled: they are refused).
            match value.chars().next() {
                Some('f') => {
                    m.vm().moom();
                    Ok(())
                }
                _ => Err(FileError::SysrqKey(value.trim().to_string()).into()),
            }
        }),
    },
    ProcFile {
        path: "/proc/swaps",
        summary: "swap areas, their size and use (mm/swapfile.c: swap_show)",
        read: |m, _| {
            let used = m.pr.swap.as_ref().map_or(0, |s| s.inuse_pages);
            Some(swaps::swaps(m.k.total_swap_pages, used))
        },
        write: None,
    },
    ProcFile {
        path: "/proc/slabinfo",
        summary: "every slab cache's objects and slabs (mm/slab_common.c: cache_show)",
        read: |m, _| Some(crate::slub::slabinfo::slabinfo(&m.slub)),
        write: None,
    },
    ProcFile {
        path: "/proc/vmstat",
        summary: "event and page counters",
        read: |m, _| Some(vmstat::vmstat(&m.vmstat_values())),
        write: None,
    },
    ProcFile {
        path: "/proc/zoneinfo",
        summary: "each zone's counters, watermarks, reserves and per-CPU lists",
        read: |m, _| {
            Some(zoneinfo::zoneinfo(
                &m.k.node,
                m.params.cpus,
                &m.vmstat_values(),
                &m.zone_lru(),
            ))
        },
        write: None,
    },
    ProcFile {
        path: "/proc/PID/maps",
        summary: "a process's mappings (fs/proc/task_mmu.c: show_map_vma)",
        read: |m, t| pid_file(m, t, "maps"),
        write: None,
    },
    ProcFile {
        path: "/proc/PID/oom_score",
        summary: "the OOM killer's score of a process (0..2000)",
        read: |m, t| pid_file(m, t, "oom_score"),
        write: None,
    },
    ProcFile {
        path: "/proc/PID/oom_score_adj",
        summary: "the OOM killer's bias for a process, -1000..1000 (writable)",
        read: |m, t| pid_file(m, t, "oom_score_adj"),
        write: Some(|m, t, value| {
            let Target::Pid(pid) = t else {
                return Err(FileError::NoSuchFile(String::new()).into());
            };
            Ok(crate::vm::procfs::write_oom_score_adj(
                &mut m.vmm, *pid, value,
            )?)
        }),
    },
    ProcFile {
        path: "/proc/PID/status",
        summary: "a process's identity and memory (VmRSS, VmPTE, ...)",
        read: |m, t| pid_file(m, t, "status"),
        write: None,
    },
    ProcFile {
        path: "/proc/sys/vm/NAME",
        summary: "the vm tunables (see sysctl -a); writable",
        read: |m, t| match t {
            Target::Sysctl(name) => m.sysctl.get(name).map(|v| format!("{v}\n")),
            _ => None,
        },
        write: Some(|m, t, value| {
            let Target::Sysctl(name) = t else {
                return Err(FileError::NoSuchFile(String::new()).into());
            };
            Ok(m.sysctl_write(name, value)?)
        }),
    },
];

/// `/proc/sysrq-trigger`: write-only (mode 0200, no `proc_read`).
pub const SYSRQ_TRIGGER: &str = "/proc/sysrq-trigger";

/// Reads `/proc/PID/FILE` for the process the path names.
fn pid_file(m: &Machine, t: &Target<'_>, file: &str) -> Option<String> {
    let Target::Pid(pid) = t else { return None };
    let sys = crate::vm::procfs::StatusSys {
        totalram: m.k.totalram_pages(),
        nr_cpus: m.params.cpus,
    };
    crate::vm::procfs::read(&m.vmm, m.oom_totalpages(), sys, *pid, file)
}

/// The registry entry and target a concrete path names.
fn resolve(path: &str) -> Option<(&'static ProcFile, Target<'_>)> {
    if let Some(f) = FILES.iter().find(|f| f.path == path) {
        return Some((f, Target::File));
    }
    if let Some(name) = path.strip_prefix("/proc/sys/vm/") {
        let f = FILES.iter().find(|f| f.path == "/proc/sys/vm/NAME")?;
        return SYSCTL_NAMES
            .contains(&name)
            .then_some((f, Target::Sysctl(name)));
    }
    let (pid, file) = path.strip_prefix("/proc/")?.split_once('/')?;
    let pid: u32 = pid.parse().ok()?;
    let f = FILES
        .iter()
        .find(|f| f.path.strip_prefix("/proc/PID/") == Some(file))?;
    Some((f, Target::Pid(pid)))
}

impl Machine {
    /// Whether a path is one of /proc's directories.
    fn is_proc_dir(&self, path: &str) -> bool {
        matches!(path, "/proc" | "/proc/sys" | "/proc/sys/vm")
            || path
                .strip_prefix("/proc/")
                .and_then(|p| p.parse::<u32>().ok())
                .is_some_and(|pid| self.vmm.tasks.contains_key(&pid))
    }

    /// The text of a /proc file, or `cat`'s complaint.
    pub fn read_file(&self, path: &str) -> Result<String, FileError> {
        let path = path.trim_end_matches('/');
        if self.is_proc_dir(path) {
            return Err(FileError::IsADirectory(path.to_string()));
        }
        if path == SYSRQ_TRIGGER {
            // proc_reg_read -> pde_read: a /proc file without proc_read gives EIO.
            return Err(FileError::Io(path.to_string()));
        }
        resolve(path)
            .and_then(|(f, t)| (f.read)(self, &t))
            .ok_or_else(|| FileError::NoSuchFile(path.to_string()))
    }

    /// Writes a value to a /proc file through its handler (`echo VALUE > FILE`).
    pub fn write_file(&mut self, path: &str, value: &str) -> Result<(), FileError> {
        let path = path.trim_end_matches('/');
        if path != SYSRQ_TRIGGER {
            self.read_file(path)?;
        }
        let Some((f, t)) = resolve(path) else {
            return Err(FileError::NoSuchFile(path.to_string()));
        };
        let write = f
            .write
            .ok_or_else(|| FileError::PermissionDenied(path.to_string()))?;
        write(self, &t, value).map_err(|e| FileError::WriteError(Box::new(e)))
    }

    /// Every file `cat` can read now, for `ls` and completion: each registered file,
    /// with `PID` and `NAME` expanded for every process and tunable.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in FILES {
            if let Some(file) = f.path.strip_prefix("/proc/PID/") {
                out.extend(
                    self.vmm
                        .tasks
                        .keys()
                        .map(|pid| format!("/proc/{pid}/{file}")),
                );
            } else if f.path == "/proc/sys/vm/NAME" {
                out.extend(SYSCTL_NAMES.iter().map(|n| format!("/proc/sys/vm/{n}")));
            } else {
                out.push(f.path.to_string());
            }
        }
        crate::vocab::sort::heapsort(&mut out); // Paths are unique.
        out
    }

    /// Each zone's LRU counts: (`NR_ZONE_INACTIVE_FILE`, `NR_ZONE_ACTIVE_FILE`,
    /// `NR_ZONE_WRITE_PENDING`: its dirty and writeback pages, `NR_ZONE_ACTIVE_ANON`).
    pub(crate) fn zone_lru(&self) -> [(u64, u64, u64, u64); crate::vocab::MAX_NR_ZONES] {
        let mut out = [(0, 0, 0, 0); crate::vocab::MAX_NR_ZONES];
        for zt in crate::vocab::ZoneType::ALL {
            out[zt.idx()].0 = self.pr.lru.zone_size(zt, LruList::InactiveFile);
            out[zt.idx()].1 = self.pr.lru.zone_size(zt, LruList::ActiveFile);
            out[zt.idx()].3 = self.pr.lru.zone_size(zt, LruList::ActiveAnon);
        }
        for (o, pending) in out.iter_mut().zip(self.pr.lru.write_pending()) {
            o.2 = pending;
        }
        out
    }

    /// The counters /proc/vmstat prints that the model keeps (the others are 0).
    pub fn vmstat_values(&self) -> vmstat::VmstatValues {
        let mi = self.meminfo();
        let node = &self.k.node;
        let blocks: u64 = node
            .zones
            .iter()
            .map(|z| {
                let nr = z.nr_free();
                (crate::vocab::PAGEBLOCK_ORDER as usize..nr.len())
                    .map(|o| nr[o] << o)
                    .sum::<u64>()
            })
            .sum();
        let numa_hit: u64 = node.stats.numa_hit.iter().sum();
        let (thresh, bg) = crate::vmscan::writeback::dirty_limits(
            mi.free,
            self.totalreserve_pages(),
            mi.active_file + mi.inactive_file,
            &self.sysctl,
        );
        let st = &self.pr.stat;

        // sizeof(struct page) = 64: 512 pages of memmap per 128 MiB section present.
        let sections = self.params.mem.div_ceil(128 << 20);
        let z = |zt: crate::vocab::ZoneType| node.stats.pgalloc[zt.idx()];
        use crate::vocab::ZoneType as Z;
        vmstat::VmstatValues {
            known: vec![
                ("nr_free_pages", mi.free),
                ("nr_free_pages_blocks", blocks),
                ("nr_zone_inactive_anon", mi.inactive_anon),
                ("nr_zone_active_anon", mi.active_anon),
                ("numa_hit", numa_hit),
                ("numa_local", numa_hit),
                ("nr_inactive_anon", mi.inactive_anon),
                ("nr_active_anon", mi.active_anon),
                ("nr_swapcached", mi.swap_cached),
                ("nr_vmscan_write", st.nr_vmscan_write),
                ("pswpin", st.pswpin),
                ("pswpout", st.pswpout),
                ("swap_ra", st.swap_ra),
                ("swap_ra_hit", st.swap_ra_hit),
                ("pgmigrate_success", st.pgmigrate_success),
                ("pgmigrate_fail", st.pgmigrate_fail),
                ("compact_migrate_scanned", st.compact_migrate_scanned),
                ("compact_free_scanned", st.compact_free_scanned),
                ("compact_isolated", st.compact_isolated),
                ("compact_stall", st.compact_stall),
                ("compact_fail", st.compact_fail),
                ("compact_success", st.compact_success),
                ("compact_daemon_wake", st.compact_daemon_wake),
                (
                    "compact_daemon_migrate_scanned",
                    st.compact_daemon_migrate_scanned,
                ),
                (
                    "compact_daemon_free_scanned",
                    st.compact_daemon_free_scanned,
                ),
                ("nr_slab_reclaimable", mi.sreclaimable),
                ("nr_slab_unreclaimable", mi.sunreclaim),
                ("nr_anon_pages", mi.anon_pages),
                ("nr_mapped", mi.mapped),
                ("nr_file_pages", mi.file_pages),
                ("nr_zone_inactive_file", mi.inactive_file),
                ("nr_zone_active_file", mi.active_file),
                ("nr_zone_write_pending", mi.dirty + mi.writeback),
                ("nr_inactive_file", mi.inactive_file),
                ("nr_active_file", mi.active_file),
                ("workingset_refault_anon", st.workingset_refault[0]),
                ("workingset_refault_file", st.workingset_refault[1]),
                ("workingset_activate_anon", st.workingset_activate[0]),
                ("workingset_activate_file", st.workingset_activate[1]),
                ("workingset_restore_anon", st.workingset_restore[0]),
                ("workingset_restore_file", st.workingset_restore[1]),
                ("nr_dirty", mi.dirty),
                ("nr_writeback", mi.writeback),
                (
                    "nr_vmscan_immediate_reclaim",
                    st.nr_vmscan_immediate_reclaim,
                ),
                ("nr_dirtied", st.nr_dirtied),
                ("nr_written", st.nr_written),
                ("pgpgin", st.pgpgin),
                ("pgpgout", st.pgpgout),
                ("allocstall_dma", st.allocstall[0]),
                ("allocstall_dma32", st.allocstall[1]),
                ("allocstall_normal", st.allocstall[2]),
                ("allocstall_movable", st.allocstall[3]),
                ("pgskip_dma", st.pgskip[0]),
                ("pgskip_dma32", st.pgskip[1]),
                ("pgskip_normal", st.pgskip[2]),
                ("pgskip_movable", st.pgskip[3]),
                ("pgactivate", st.pgactivate),
                ("pgdeactivate", st.pgdeactivate),
                ("pgmajfault", st.pgmajfault),
                ("pgrefill", st.pgrefill),
                ("pgsteal_kswapd", st.pgsteal[0]),
                ("pgsteal_direct", st.pgsteal[1]),
                ("pgscan_kswapd", st.pgscan[0]),
                ("pgscan_direct", st.pgscan[1]),
                ("pgscan_anon", st.pgscan_type[0]),
                ("pgscan_file", st.pgscan_type[1]),
                ("pgsteal_anon", st.pgsteal_type[0]),
                ("pgsteal_file", st.pgsteal_type[1]),
                (
                    "kswapd_low_wmark_hit_quickly",
                    st.kswapd_low_wmark_hit_quickly,
                ),
                (
                    "kswapd_high_wmark_hit_quickly",
                    st.kswapd_high_wmark_hit_quickly,
                ),
                ("pageoutrun", st.pageoutrun),
                ("pgrotated", st.pgrotated),
                ("drop_pagecache", st.drop_pagecache),
                ("drop_slab", st.drop_slab),
                ("nr_shmem", mi.shmem),
                ("nr_kernel_stack", mi.kernel_stack_kb),
                ("nr_page_table_pages", mi.page_tables),
                ("nr_dirty_threshold", thresh),
                ("nr_dirty_background_threshold", bg),
                ("nr_memmap_boot_pages", sections * 512),
                ("pgalloc_dma", z(Z::Dma)),
                ("pgalloc_dma32", z(Z::Dma32)),
                ("pgalloc_normal", z(Z::Normal)),
                ("pgalloc_movable", z(Z::Movable)),
                ("pgfree", node.stats.pgfree),
                ("pgfault", self.vmm.events.pgfault),
                ("pgreuse", self.vmm.events.pgreuse),
                ("oom_kill", self.vmm.events.oom_kill),
            ],
        }
    }

    /// The values /proc/meminfo prints.
    pub fn meminfo(&self) -> Meminfo {
        let swap = self.k.total_swap_pages;
        let (sreclaimable, sunreclaim) = self.slub.pages();
        let anon = self.vmm.anon.len();
        let shmem = self.vmm.shmem_pages();
        let (swap_free, swap_cached) = self
            .pr
            .swap
            .as_ref()
            .map_or((0, 0), |s| (s.nr_swap_pages(), s.nr_swapcache));
        Meminfo {
            sreclaimable,
            sunreclaim,
            anon_pages: anon,
            // Shmem is not on the LRU in this model: counted as inactive anon.
            inactive_anon: self.pr.lru.size(LruList::InactiveAnon, 3) + shmem,
            active_anon: self.pr.lru.size(LruList::ActiveAnon, 3),
            shmem,
            mapped: (self.vmm.shmem_mapped.len() + self.vmm.file_mapped.len()) as u64,
            kernel_stack_kb: self.vmm.tasks.len() as u64 * 16,
            page_tables: self.vmm.tables.pages.len() as u64,
            committed_as: self.vmm.committed,
            total: self.k.totalram_pages(),
            free: self.k.node.nr_free_pages(),
            available: self.mem_available(),
            swap_total: swap,
            swap_free,
            swap_cached,
            commit_limit: self.commit_limit(),
            mem_bytes: self.params.mem,
            la57: self.params.la57,
            file_pages: self.pr.fs.nr_file_pages() + shmem + swap_cached,
            active_file: self.pr.lru.size(LruList::ActiveFile, 3),
            inactive_file: self.pr.lru.size(LruList::InactiveFile, 3),
            dirty: self.pr.nr_dirty,
            writeback: self.pr.nr_writeback,
        }
    }
}
