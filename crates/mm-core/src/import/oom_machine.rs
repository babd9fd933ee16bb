//! An equivalent machine for an OOM report: a script of ordinary commands that boots
//! a sandbox machine with the report's RAM and swap and starts its `dump_tasks`
//! processes, in the table's order, each with its RSS and `oom_score_adj`. It ends
//! with `echo f > /proc/sysrq-trigger`, so the sandbox's own `select_bad_process`
//! decides on the machine it built, step by step like every other command.
//!
//! Being a script, the machine is exactly as reproducible as any session: `mmsim
//! run` builds it, the app animates it and steps back through it, a lesson can use
//! it as a setup. What it cannot reproduce is said in [`EquivalentMachine::notes`].

use super::oom::{OomReport, TaskRow};
use crate::machine::Machine;

// `mmap_base` without ASLR: a fresh process's first mapping ends there, and each
// later one ends where the one before began (top-down, no gaps).
use crate::vm::mm::MMAP_BASE;
/// The file the tasks' file and shmem pages are mapped from, shared by all of them.
pub const SHARED_FILE: &str = "/data/oom-shared";
/// The largest file the simulated disk holds, in pages (`fallocate`'s limit).
const DISK_PAGES: u64 = crate::vmscan::filemap::DISK_BYTES >> 12;
/// A task's own kernel memory in pages, over its RSS: the 16K kernel stack, its
/// slab objects (task_struct, mm_struct, VMAs) and page tables above the PTEs.
const TASK_OVERHEAD: u64 = 12;

/// The script and what it leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EquivalentMachine {
    /// The commands, one per line, with comments naming each report task.
    pub script: String,
    /// The sandbox pid of each task of the report, in the table's order.
    pub pids: Vec<u32>,
    /// What differs from the reported machine, each said once.
    pub notes: Vec<String>,
}

/// A task's pages as the machine maps them: (own anonymous pages, pages of the
/// shared file).
fn pages(t: &TaskRow) -> (u64, u64) {
    match t.rss_split {
        Some([anon, file, shmem]) => (anon, file.saturating_add(shmem)),
        // The older layout has no split: all of rss is taken as anonymous.
        None => (t.rss, 0),
    }
}

/// `comm` as `spawn` takes it: printable ASCII without spaces, at most 15 bytes
/// (TASK_COMM_LEN - 1).
fn spawn_name(name: &str) -> String {
    let n: String = name
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .take(15)
        .collect();
    if n.is_empty() {
        "task".into()
    } else {
        n
    }
}

impl OomReport {
    /// The script that builds an equivalent machine, or the sandbox limits the
    /// reported machine passes ([`OomReport::boot_line`]).
    ///
    /// The tasks' memory must fit above the machine's high watermarks, or building
    /// it would itself reclaim and kill: when it does not, every task's pages are
    /// scaled down by the same fraction, and a note says so.
    pub fn machine(&self) -> Result<EquivalentMachine, Vec<String>> {
        let boot = self.boot_line()?;
        let mut notes = Vec::new();
        // What the booted machine can hold: free pages above the high watermarks.
        let mut m = Machine::default();
        m.set_recording(false);
        let booted = m.run(&boot);
        if !booted.ok {
            return Err(vec![booted.output.trim().to_string()]);
        }
        // A user page may come from any zone up to the highest one, but a lower zone
        // keeps its lowmem_reserve for that zone back (__zone_watermark_ok).
        let top =
            m.k.node
                .populated()
                .map(|z| z.ztype.idx())
                .max()
                .unwrap_or(0);
        let high: u64 =
            m.k.node
                .zones
                .iter()
                .map(|z| z.wmark_pages(crate::vocab::Watermark::High) + z.lowmem_reserve[top])
                .sum();
        let free: u64 = m.k.node.zones.iter().map(|z| z.nr_free_pages).sum();
        let n = self.tasks.len() as u64;
        let mut shared = self.tasks.iter().map(|t| pages(t).1).max().unwrap_or(0);
        if shared > DISK_PAGES {
            notes.push(format!(
                "file and shmem pages are mapped from one {}G file (the simulated disk's \
                 largest), not {} MiB",
                crate::vmscan::filemap::DISK_BYTES >> 30,
                shared >> 8
            ));
            shared = DISK_PAGES;
        }
        let anon: u64 = self
            .tasks
            .iter()
            .map(|t| pages(t).0)
            .fold(0, u64::saturating_add);
        let need = anon
            .saturating_add(shared)
            .saturating_add(n.saturating_mul(TASK_OVERHEAD));
        let room = free.saturating_sub(high);
        // Scale by room/need (in thousandths, so the arithmetic stays in u64).
        let permille = if need > room {
            let p = room.saturating_mul(1000) / need.max(1);
            notes.push(format!(
                "the tasks' {} pages do not fit above this machine's high watermarks \
                 ({} pages free after boot, high {}): each task's pages are scaled to \
                 {}.{}% so that building it does not itself reclaim or kill",
                need,
                free,
                high,
                p / 10,
                p % 10
            ));
            p
        } else {
            1000
        };
        let scale = |x: u64| {
            if permille == 1000 {
                x
            } else {
                x.saturating_mul(permille) / 1000
            }
        };
        let shared = scale(shared);

        let mut s = String::new();
        s.push_str("# An equivalent machine for an OOM report (mmsim import oom): its RAM and\n");
        s.push_str("# swap, and its dump_tasks processes in order, each with its RSS and\n");
        s.push_str("# oom_score_adj. The last line asks the sandbox's OOM killer to decide.\n");
        s.push_str(&boot);
        s.push('\n');
        if shared > 0 {
            s.push_str(&format!("fallocate -l {}K {SHARED_FILE}\n", shared * 4));
        }
        let mut pids = Vec::with_capacity(self.tasks.len());
        let mut renamed = false;
        for (i, t) in self.tasks.iter().enumerate() {
            let pid = 2 + i as u32;
            pids.push(pid);
            let name = spawn_name(&t.name);
            renamed |= name != t.name;
            let (a, f) = pages(t);
            let (a, f) = (scale(a), scale(f).min(shared));
            s.push_str(&format!(
                "# pid {} in the report ({}): rss {}, swapents {}, pgtables_bytes {}\n",
                t.pid, t.name, t.rss, t.swapents, t.pgtables_bytes
            ));
            s.push_str(&format!("spawn {name}\n"));
            let mut top = MMAP_BASE;
            if a > 0 {
                top -= a << 12;
                s.push_str(&format!("mmap {pid} {}K\n", a * 4));
                s.push_str(&format!("touch {pid} {top:#x} {}K\n", a * 4));
            }
            if f > 0 {
                top -= f << 12;
                s.push_str(&format!("mmap {pid} {}K {SHARED_FILE} PROT_READ\n", f * 4));
                s.push_str(&format!("touch {pid} {top:#x} {}K read\n", f * 4));
            }
            if t.oom_score_adj != 0 {
                let adj = t.oom_score_adj.clamp(-1000, 1000);
                s.push_str(&format!("echo {adj} > /proc/{pid}/oom_score_adj\n"));
            }
        }
        s.push_str("# select_bad_process on this machine (sysrq f: a manual OOM kill)\n");
        s.push_str("echo f > /proc/sysrq-trigger\n");
        s.push_str("dmesg | grep -e \"Out of memory\" -e \"OOM request\"\n");

        let lines = s.lines().filter(|l| !l.starts_with('#')).count();
        if lines > crate::limits::SCRIPT_LINES || s.len() > crate::limits::SCRIPT_BYTES {
            notes.push(format!(
                "its {lines} commands ({} KiB) pass what a link or runScript runs ({} lines, \
                 {} KiB): run it with mmsim run",
                s.len() >> 10,
                crate::limits::SCRIPT_LINES,
                crate::limits::SCRIPT_BYTES >> 10
            ));
        }
        if renamed {
            notes.push(
                "names with spaces or other characters spawn cannot take are spawned \
                 with _ in their place"
                    .into(),
            );
        }
        if self.tasks.iter().any(|t| t.swapents > 0) {
            notes.push(
                "swap entries are not recreated (the replay counts them; the machine's \
                 tasks hold their resident pages only)"
                    .into(),
            );
        }
        if self.split_columns {
            notes.push(
                "rss_file and rss_shmem pages are mapped from one file that every task \
                 shares, as shared libraries and shared memory are"
                    .into(),
            );
        }
        notes.push(
            "page tables are the sandbox's own for one mapping per task, not the \
             reported pgtables_bytes; pids run from 2 in the table's order, so ties \
             still go to the later task; every task runs as uid 1000 (oom_badness \
             does not look at the uid)"
                .into(),
        );
        Ok(EquivalentMachine {
            script: s,
            pids,
            notes,
        })
    }
}
