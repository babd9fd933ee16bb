//! Reading a real OOM kill out of a kernel log, and replaying its decision.
//!
//! The report is what `out_of_memory` prints (`mm/oom_kill.c`): `dump_header`'s
//! "invoked oom-killer" line, `__show_mem`'s Mem-Info and per-zone lines,
//! `dump_tasks`' table, `dump_oom_victim`'s `oom-kill:` summary and
//! `__oom_kill_process`' "Killed process" line. The decision is replayed from the
//! reported numbers alone, whatever the machine's size: `oom_badness` for every task
//! of the table, and `select_bad_process`'s choice (the highest points; a tie goes to
//! the later task).

use crate::vm::oom::OOM_SCORE_ADJ_MIN;

/// Bytes of a log this reads (a report is a few KiB; a whole dmesg a few hundred).
pub const LOG_BYTES: usize = crate::limits::IMPORT_LOG_BYTES;

/// The "invoked oom-killer" line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoker {
    /// The task that asked for memory.
    pub comm: String,
    /// Its request's `gfp_mask=0x...(NAMES)`, as printed.
    pub gfp: String,
    /// The request's order: -1 for a manual OOM (sysrq `f`, `is_sysrq_oom`).
    pub order: i8,
    /// Its `oom_score_adj`.
    pub oom_score_adj: i32,
}

/// One zone's line of `__show_mem` (sizes in kB, as printed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneLine {
    /// The node.
    pub node: u32,
    /// DMA, DMA32, Normal, Movable, Device.
    pub name: String,
    /// `free:`.
    pub free_kb: u64,
    /// `min:`, `low:`, `high:`.
    pub marks_kb: [u64; 3],
    /// `present:`.
    pub present_kb: u64,
    /// `managed:`.
    pub managed_kb: u64,
}

/// One row of `dump_tasks` (memory in pages, page tables in bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRow {
    /// The line it was on.
    pub line: usize,
    /// `pid`.
    pub pid: u32,
    /// `uid`.
    pub uid: u32,
    /// `tgid`.
    pub tgid: u32,
    /// `total_vm`.
    pub total_vm: u64,
    /// `rss`.
    pub rss: u64,
    /// `rss_anon`, `rss_file`, `rss_shmem`: v6.x only (older kernels print rss alone).
    pub rss_split: Option<[u64; 3]>,
    /// `pgtables_bytes`.
    pub pgtables_bytes: u64,
    /// `swapents`.
    pub swapents: u64,
    /// `oom_score_adj`.
    pub oom_score_adj: i32,
    /// `name`.
    pub name: String,
}

/// What the log said was killed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Killed {
    /// The victim's pid.
    pub pid: u32,
    /// Its name.
    pub name: String,
}

/// An OOM report, as understood.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OomReport {
    /// Who invoked the OOM killer.
    pub invoker: Option<Invoker>,
    /// `__show_mem`'s zones.
    pub zones: Vec<ZoneLine>,
    /// `Total swap = NkB`.
    pub total_swap_kb: Option<u64>,
    /// `N pages RAM`.
    pub pages_ram: Option<u64>,
    /// `N pages reserved`.
    pub pages_reserved: Option<u64>,
    /// A memcg OOM's `memory: usage NkB, limit NkB`: the limit.
    pub memcg_limit_kb: Option<u64>,
    /// `dump_tasks`' rows.
    pub tasks: Vec<TaskRow>,
    /// Whether the table had the v6.x columns (rss_anon, rss_file, rss_shmem).
    pub split_columns: bool,
    /// `oom-kill:constraint=...`.
    pub constraint: Option<String>,
    /// The memory cgroup the kill was decided in (`task_memcg=`, or a "Memory
    /// cgroup out of memory" line), for a memcg OOM.
    pub memcg: Option<String>,
    /// The victim the log names.
    pub killed: Option<Killed>,
    /// Lines recognised as part of a report and not needed for the replay (stack
    /// traces, the buddy lists, hugepages, ...).
    pub known: usize,
    /// Lines not understood inside the report: (line number, text).
    pub unknown: Vec<(usize, String)>,
    /// The kernel's release, from the stack dump's `CPU: N PID: N Comm: X Not
    /// tainted RELEASE #...` line.
    pub release: Option<String>,
    /// Lines of the log outside the report (before it, or after its "Killed
    /// process" line).
    pub outside: usize,
}

/// The log's message: without the syslog prefix (`... kernel: `) and the
/// timestamp (`[  12.345678] `).
fn message(raw: &str) -> &str {
    let s = raw.trim_end();
    let s = s.split_once(" kernel: ").map_or(s, |(_, m)| m);
    let t = s.trim_start();
    match t.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        // A timestamp has a decimal point: `[    388]` is a dump_tasks pid.
        Some((stamp, m))
            if stamp.contains('.')
                && stamp.trim().chars().all(|c| c.is_ascii_digit() || c == '.') =>
        {
            m
        }
        _ => s,
    }
}

/// The number after `key` (up to a non-digit), as in `free:15360kB`.
fn field(text: &str, key: &str) -> Option<u64> {
    let at = text.find(key)? + key.len();
    let digits: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The text after `key` up to `,` or the end.
fn word<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let at = text.find(key)? + key.len();
    Some(text[at..].split(',').next().unwrap_or("").trim())
}

/// Lines a report carries that the replay does not need.
fn known(m: &str) -> bool {
    const STARTS: &[&str] = &[
        "CPU:",
        "Hardware name:",
        "Call Trace:",
        "<TASK>",
        "</TASK>",
        "RIP:",
        "RSP:",
        "RAX:",
        "RDX:",
        "RBP:",
        "R10:",
        "R13:",
        "Code:",
        "FS:",
        "CS:",
        "CR2:",
        "Mem-Info:",
        "lowmem_reserve[]:",
        "Unreclaimable slab info:",
        "Name                      Used",
        "Memory cgroup min protection",
        "Memory cgroup stats for",
        "memory: usage",
        "memory+swap: usage",
        "kmem: usage",
        "swap: usage",
        "oom_reaper:",
        "Tasks state",
        "[  pid  ]",
        "Free swap",
        "0 pages in swap cache",
        // Nothing could be killed (select_bad_process chose none), and a manual OOM
        // kill's own lines (drivers/tty/sysrq.c).
        "Out of memory and no killable processes",
        "sysrq: ",
        "Workqueue:",
    ];
    const CONTAINS: &[&str] = &[
        " pages HighMem/MovableOnly",
        " pages cma reserved",
        " pages hwpoisoned",
        " total pagecache pages",
        " pages in swap cache",
        "hugepages_total=",
        "active_anon:",
        "slab_reclaimable:",
        "free_pcp:",
        "kernel_misc_reclaimable:",
        "unevictable:",
        "mapped:",
        "sec_pagetables:",
        "isolated_file:",
        "*4kB",
        " are going to be killed due to memory.oom.group",
    ];
    let t = m.trim_start();
    STARTS.iter().any(|s| t.starts_with(s))
        || CONTAINS.iter().any(|s| t.contains(s))
        // A stack frame (`dump_stack_lvl+0x5d/0x80`, `? __pfx_...`), or a slab line of
        // dump_unreclaimable_slab (`kmalloc-256   1024KB   2048KB`).
        || t.trim_start_matches("? ").split_whitespace().next().is_some_and(|w| w.contains("+0x") && w.contains('/'))
        || (t.split_whitespace().count() == 3 && t.split_whitespace().skip(1).all(|w| w.ends_with("KB")))
}

impl OomReport {
    /// Reads a kernel log (`dmesg`, `journalctl -k`, or the lines of one report).
    /// Lines it does not understand are listed with their numbers; a log with no
    /// `dump_tasks` table is refused, since there is nothing to replay.
    pub fn parse(log: &str) -> Result<OomReport, String> {
        if log.len() > LOG_BYTES {
            return Err(format!(
                "the log has {} bytes; mm-sandbox reads at most {} MiB of one (cut it to the report)",
                crate::vocab::grouped(log.len() as u64),
                LOG_BYTES >> 20
            ));
        }
        let mut r = OomReport::default();
        let mut in_table = false;
        let mut in_report = false;
        for (i, raw) in log.lines().enumerate() {
            let n = i + 1;
            let m = message(raw);
            let t = m.trim();
            if t.is_empty() {
                continue;
            }
            let starts = t.contains(" invoked oom-killer: ")
                || t == "Mem-Info:"
                || t.starts_with("Tasks state");
            if !in_report && !starts {
                r.outside += 1;
                continue;
            }
            in_report = true;
            if t.starts_with("CPU: ") && t.contains(" Comm: ") {
                // dump_stack's header: `... Not tainted 5.4.0-150-generic #167-Ubuntu`,
                // or `... Tainted: G   O   6.1.0 #1`.
                let after = t
                    .split_once("Not tainted ")
                    .or_else(|| t.split_once("Tainted: "))
                    .map(|(_, a)| a);
                // The first word that looks like a release (the taint flags are letters).
                if let Some(rel) = after.and_then(|a| {
                    a.split_whitespace()
                        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()) && w.contains('.'))
                }) {
                    r.release = Some(rel.to_string());
                }
            }
            if let Some((comm, rest)) = t.split_once(" invoked oom-killer: ") {
                // A second report starts: the last one in the log is the one replayed.
                if r.invoker.is_some() || !r.tasks.is_empty() {
                    let outside =
                        r.outside + r.known + r.unknown.len() + r.tasks.len() + r.zones.len();
                    r = OomReport {
                        outside,
                        ..OomReport::default()
                    };
                }
                r.invoker = Some(Invoker {
                    comm: comm.to_string(),
                    gfp: word(rest, "gfp_mask=").unwrap_or("").to_string(),
                    order: if rest.contains("order=-1") {
                        -1
                    } else {
                        field(rest, "order=").unwrap_or(0).min(10) as i8
                    },
                    oom_score_adj: word(rest, "oom_score_adj=")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                });
                in_table = false;
            } else if t.starts_with("Tasks state") {
                in_table = true;
                r.known += 1;
            } else if t.starts_with("[  pid  ]") {
                r.split_columns = t.contains("rss_anon");
                r.known += 1;
            } else if in_table && t.starts_with('[') {
                match task_row(t, r.split_columns, n) {
                    Some(row) => r.tasks.push(row),
                    None => r.unknown.push((n, raw.to_string())),
                }
            } else if let Some(rest) = t.strip_prefix("oom-kill:") {
                in_table = false;
                r.constraint = word(rest, "constraint=").map(str::to_string);
                r.memcg = word(rest, "task_memcg=")
                    .filter(|c| *c != "/")
                    .map(str::to_string);
                if r.killed.is_none() {
                    if let (Some(name), Some(pid)) = (word(rest, "task="), field(rest, ",pid=")) {
                        r.killed = Some(Killed {
                            pid: pid as u32,
                            name: name.to_string(),
                        });
                    }
                }
            } else if let Some(rest) = t
                .strip_prefix("Out of memory: Killed process ")
                .or_else(|| t.strip_prefix("Memory cgroup out of memory: Killed process "))
                .or_else(|| t.strip_prefix("Killed process "))
            {
                in_table = false;
                in_report = false;
                if t.starts_with("Memory cgroup") && r.constraint.is_none() {
                    r.constraint = Some("CONSTRAINT_MEMCG".into());
                }
                let pid = rest.split_whitespace().next().and_then(|p| p.parse().ok());
                let name = rest
                    .split_once('(')
                    .and_then(|(_, x)| x.split_once(')'))
                    .map(|x| x.0);
                match (pid, name) {
                    (Some(pid), Some(name)) => {
                        r.killed = Some(Killed {
                            pid,
                            name: name.to_string(),
                        })
                    }
                    _ => r.unknown.push((n, raw.to_string())),
                }
            } else if let Some(z) = zone_line(t) {
                r.zones.push(z);
            } else if let Some(rest) = t.strip_prefix("memory: usage ") {
                r.memcg_limit_kb = field(rest, "limit ");
                r.known += 1;
            } else if let Some(kb) = t
                .strip_prefix("Total swap = ")
                .and_then(|v| v.strip_suffix("kB"))
            {
                r.total_swap_kb = kb.trim().parse().ok();
                r.known += 1;
            } else if let Some(p) = t.strip_suffix(" pages RAM") {
                r.pages_ram = p.trim().parse().ok();
                r.known += 1;
            } else if let Some(p) = t.strip_suffix(" pages reserved") {
                r.pages_reserved = p.trim().parse().ok();
                r.known += 1;
            } else if known(m) {
                r.known += 1;
            } else {
                in_table = false;
                r.unknown.push((n, raw.to_string()));
            }
        }
        if r.tasks.is_empty() {
            return Err(match r.invoker {
                None => {
                    "no OOM report here: no \"invoked oom-killer\" line and no dump_tasks table \
                         (\"Tasks state (memory values in pages):\")"
                        .into()
                }
                Some(_) => "the report has no dump_tasks table (\"Tasks state (memory values in \
                            pages):\" and its rows), so there is nothing to replay: was \
                            vm.oom_dump_tasks 0?"
                    .into(),
            });
        }
        Ok(r)
    }

    /// `totalpages` of `oom_badness` for a global OOM (`constrained_alloc`): the
    /// zones' managed pages (`totalram_pages`) plus the swap's, and where the first
    /// came from.
    pub fn totalpages(&self) -> (u64, &'static str) {
        if let Some(limit) = self.memcg_limit_kb.filter(|_| self.is_memcg()) {
            return (
                limit / 4,
                "the memory cgroup's limit, as mem_cgroup_get_max gives it without swap",
            );
        }
        let swap = self.total_swap_kb.unwrap_or(0) / 4;
        let managed = sum(self.zones.iter().map(|z| z.managed_kb / 4));
        if managed > 0 {
            (managed.saturating_add(swap), "the zones' managed pages")
        } else if let Some(ram) = self.pages_ram {
            (
                ram.saturating_sub(self.pages_reserved.unwrap_or(0))
                    .saturating_add(swap),
                "pages RAM less pages reserved",
            )
        } else {
            (swap, "no memory totals in the report")
        }
    }

    /// The `boot` line of a sandbox machine with this report's RAM and swap (the
    /// zones' present memory, rounded up to 4M, as one range from address 0), or
    /// the sandbox limits the reported machine passes.
    pub fn boot_line(&self) -> Result<String, Vec<String>> {
        use crate::boot::{MAX_MEM, MAX_SWAP};
        let mut why = Vec::new();
        let mut nodes: Vec<u32> = self.zones.iter().map(|z| z.node).collect();
        nodes.dedup();
        if nodes.len() > 1 {
            why.push(format!(
                "{} NUMA nodes (mm-sandbox models one)",
                nodes.len()
            ));
        }
        for z in self
            .zones
            .iter()
            .filter(|z| !matches!(z.name.as_str(), "DMA" | "DMA32" | "Normal"))
        {
            if z.present_kb > 0 {
                why.push(format!(
                    "a {} zone (mm-sandbox has DMA, DMA32 and Normal)",
                    z.name
                ));
            }
        }
        let present = sum(self.zones.iter().map(|z| z.present_kb)).saturating_mul(1024);
        let mem = present.div_ceil(4 << 20) * (4 << 20);
        if self.zones.is_empty() {
            why.push("no zone lines, so no memory size".into());
        } else if mem > MAX_MEM {
            why.push(format!(
                "{} MiB of RAM (mm-sandbox boots at most {} MiB)",
                mem >> 20,
                MAX_MEM >> 20
            ));
        }
        let swap = self.total_swap_kb.unwrap_or(0).saturating_mul(1024);
        if swap > MAX_SWAP {
            why.push(format!(
                "{} MiB of swap (at most {} MiB)",
                swap >> 20,
                MAX_SWAP >> 20
            ));
        }
        if !why.is_empty() {
            return Err(why);
        }
        let swap = if swap > 0 {
            format!(" swap={}K", (swap >> 10).div_ceil(4) * 4)
        } else {
            String::new()
        };
        Ok(format!("boot mem={}M{swap}", mem >> 20))
    }

    /// The kernel's (major, minor) version, from [`OomReport::release`].
    pub fn version(&self) -> Option<(u32, u32)> {
        let rel = self.release.as_deref()?;
        let mut it = rel.split(|c: char| !c.is_ascii_digit());
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    }

    /// The victim a kernel before v5.9 picks from the same table: its
    /// `oom_badness` returned an unsigned score, counting every killable task's
    /// score below 1 as 1 ("mm, oom: make the calculation of oom badness more
    /// accurate" made it signed in v5.9; 5.4.y took the change in 2021), and
    /// `oom_evaluate_task` skipped a score of 0 (`oom_score_adj -1000`) and kept the
    /// later of equal ones.
    pub fn replay_before_5_9(&self) -> Option<usize> {
        let (totalpages, _) = self.totalpages();
        let mut chosen: Option<(usize, i64)> = None;
        for (i, t) in self.tasks.iter().enumerate() {
            let Some(p) = badness(t, totalpages) else {
                continue;
            };
            let p = p.max(1);
            if chosen.is_none_or(|(_, best)| p >= best) {
                chosen = Some((i, p));
            }
        }
        chosen.map(|(i, _)| i)
    }

    /// Whether the kill was decided inside a memory cgroup.
    pub fn is_memcg(&self) -> bool {
        self.constraint.as_deref() == Some("CONSTRAINT_MEMCG")
    }

    /// Replays `select_bad_process` over the table with the kernel's `oom_badness`.
    pub fn replay(&self) -> Replay {
        let (totalpages, source) = self.totalpages();
        let mut scores = Vec::new();
        let mut chosen: Option<(usize, i64)> = None;
        for (i, t) in self.tasks.iter().enumerate() {
            let points = badness(t, totalpages);
            if let Some(p) = points {
                // oom_evaluate_task: skip only a lower score; an equal one replaces.
                if chosen.is_none_or(|(_, best)| p >= best) {
                    chosen = Some((i, p));
                }
            }
            scores.push(points);
        }
        let victim = chosen.map(|(i, _)| i);
        Replay {
            totalpages,
            source,
            scores,
            victim,
        }
    }
}

/// A sum that stops at `u64::MAX` (a log's numbers are not to be trusted).
fn sum(v: impl IntoIterator<Item = u64>) -> u64 {
    v.into_iter().fold(0, u64::saturating_add)
}

/// `oom_badness(p, totalpages)` from a `dump_tasks` row: RSS + swap entries +
/// page-table pages, plus `oom_score_adj` thousandths of `totalpages`; None (the
/// kernel's `LONG_MIN`) for `oom_score_adj = -1000`.
pub fn badness(t: &TaskRow, totalpages: u64) -> Option<i64> {
    if t.oom_score_adj == i32::from(OOM_SCORE_ADJ_MIN) {
        return None;
    }
    // Saturating: a pasted log's numbers may be anything.
    let points = sum([t.rss, t.swapents, t.pgtables_bytes / 4096]);
    let points = i64::try_from(points).unwrap_or(i64::MAX);
    let scale = i64::try_from(totalpages / 1000).unwrap_or(i64::MAX);
    Some(points.saturating_add(i64::from(t.oom_score_adj).saturating_mul(scale)))
}

/// The decision replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replay {
    /// `totalpages`.
    pub totalpages: u64,
    /// Where its RAM part came from.
    pub source: &'static str,
    /// Each task's points, in the table's order (None: never killed).
    pub scores: Vec<Option<i64>>,
    /// The index of the task `select_bad_process` picks.
    pub victim: Option<usize>,
}

fn task_row(t: &str, split: bool, line: usize) -> Option<TaskRow> {
    let (pid, rest) = t.strip_prefix('[')?.split_once(']')?;
    let w: Vec<&str> = rest.split_whitespace().collect();
    let numbers = if split { 10 } else { 7 };
    if w.len() < numbers + 1 {
        return None;
    }
    let num = |i: usize| w[i].parse::<u64>().ok();
    let name = w[numbers..].join(" ");
    let (rss_split, at) = if split {
        (Some([num(4)?, num(5)?, num(6)?]), 7)
    } else {
        (None, 4)
    };
    Some(TaskRow {
        line,
        pid: pid.trim().parse().ok()?,
        uid: w[0].parse().ok()?,
        tgid: w[1].parse().ok()?,
        total_vm: num(2)?,
        rss: num(3)?,
        rss_split,
        pgtables_bytes: num(at)?,
        swapents: num(at + 1)?,
        oom_score_adj: w[at + 2].parse().ok()?,
        name,
    })
}

fn zone_line(t: &str) -> Option<ZoneLine> {
    let rest = t.strip_prefix("Node ")?;
    let (node, rest) = rest.split_once(' ')?;
    let (name, rest) = rest.split_once(' ')?;
    if !rest.starts_with("free:") || !rest.contains("managed:") {
        return None;
    }
    Some(ZoneLine {
        node: node.parse().ok()?,
        name: name.to_string(),
        free_kb: field(rest, "free:")?,
        marks_kb: [
            field(rest, " min:")?,
            field(rest, " low:")?,
            field(rest, " high:")?,
        ],
        present_kb: field(rest, "present:")?,
        managed_kb: field(rest, "managed:")?,
    })
}

/// What `mmsim import oom` prints: what was understood, the replayed decision, and
/// whether it is the report's, or which input explains the difference.
pub fn explain(r: &OomReport) -> String {
    let machine = if r.is_memcg() {
        Err(Vec::new())
    } else {
        r.machine()
    };
    explain_with(r, &machine)
}

/// [`explain`], with the equivalent machine ([`OomReport::machine`]) built once by a
/// caller that needs it too (the app, which runs its script).
pub fn explain_with(
    r: &OomReport,
    machine: &Result<super::oom_machine::EquivalentMachine, Vec<String>>,
) -> String {
    use std::fmt::Write;
    let mut o = String::from("Understood:\n");
    if let Some(i) = &r.invoker {
        let _ = writeln!(
            o,
            "  {} invoked the OOM killer: gfp_mask={}, order={}, oom_score_adj={}{}",
            i.comm,
            i.gfp,
            i.order,
            i.oom_score_adj,
            if i.order < 0 {
                " (order -1: a manual OOM kill, sysrq f)"
            } else {
                ""
            }
        );
    }
    if let Some(rel) = &r.release {
        let _ = writeln!(
            o,
            "  kernel {rel}{}",
            if r.version().is_some_and(|v| v < (5, 9)) {
                " (before v5.9: oom_badness counted a score below 1 as 1)"
            } else {
                ""
            }
        );
    }
    let memcg = r.is_memcg();
    match r.constraint.as_deref() {
        Some("CONSTRAINT_NONE") => {
            o.push_str("  constraint: CONSTRAINT_NONE (a global OOM: the whole machine ran out)\n")
        }
        Some(c) => {
            let _ = writeln!(o, "  constraint: {c}");
        }
        None => o.push_str("  constraint: not in the log (read as a global OOM)\n"),
    }
    for z in &r.zones {
        let _ = writeln!(
            o,
            "  node {} zone {}: managed {}kB, free {}kB (min {}kB, low {}kB, high {}kB)",
            z.node, z.name, z.managed_kb, z.free_kb, z.marks_kb[0], z.marks_kb[1], z.marks_kb[2]
        );
    }
    let rep = r.replay();
    if memcg {
        let _ = writeln!(o, "  totalpages {} ({})", rep.totalpages, rep.source);
    } else {
        let _ = writeln!(
            o,
            "  totalpages {} ({}, plus {} swap pages)",
            rep.totalpages,
            rep.source,
            r.total_swap_kb.unwrap_or(0) / 4
        );
    }
    match r.boot_line() {
        Ok(line) => {
            let _ = writeln!(o, "  the machine fits mm-sandbox: `{line}` boots one with its RAM and swap (as one range from address 0, holes left out)");
        }
        Err(why) => {
            let _ = writeln!(
                o,
                "  the machine does not fit mm-sandbox: {}",
                why.join("; ")
            );
        }
    }
    let _ = writeln!(
        o,
        "  {} task(s) in dump_tasks ({})",
        r.tasks.len(),
        if r.split_columns {
            "v6.x columns: rss_anon, rss_file, rss_shmem"
        } else {
            "the older layout: rss alone"
        }
    );
    match &r.killed {
        Some(k) => {
            let _ = writeln!(o, "  the report's victim: {} ({})", k.pid, k.name);
        }
        None => o.push_str("  the report names no victim\n"),
    }
    let _ = writeln!(o, "  {} line(s) of the report not needed for the replay; {} not understood; {} line(s) of the log outside the report", r.known, r.unknown.len(), r.outside);
    o.push_str("\nReplayed (oom_badness: rss + swapents + pgtables_bytes/4096 + oom_score_adj * totalpages/1000; select_bad_process: the highest, a tie to the later task):\n");
    let _ = writeln!(
        o,
        "  {:>7} {:<16} {:>9} {:>9} {:>9} {:>6} {:>10}",
        "pid", "name", "rss", "swapents", "pgtables", "adj", "points"
    );
    for (i, (t, p)) in r.tasks.iter().zip(&rep.scores).enumerate() {
        let mark = if rep.victim == Some(i) {
            "  <- victim"
        } else {
            ""
        };
        let points = p.map_or("never".to_string(), |p| p.to_string());
        let _ = writeln!(
            o,
            "  {:>7} {:<16} {:>9} {:>9} {:>9} {:>6} {:>10}{mark}",
            t.pid,
            t.name,
            t.rss,
            t.swapents,
            t.pgtables_bytes / 4096,
            t.oom_score_adj,
            points
        );
    }
    let ours = rep.victim.map(|i| &r.tasks[i]);
    o.push('\n');
    match (ours, &r.killed) {
        (Some(v), Some(k)) if v.pid == k.pid => {
            let _ = writeln!(o, "Verdict: mm-sandbox picks {} ({}), the same victim as the report.", v.pid, v.name);
        }
        _ if memcg => {}
        (Some(v), Some(k)) => {
            let why = if memcg {
                format!("the kill was decided inside the memory cgroup {} (constraint=CONSTRAINT_MEMCG): totalpages is that cgroup's limit and only its tasks compete, and mm-sandbox does not model memory cgroups", r.memcg.as_deref().unwrap_or("named in the log"))
            } else if r.constraint.as_deref().is_some_and(|c| c != "CONSTRAINT_NONE") {
                format!("the OOM was constrained ({}), so totalpages and the candidates were a subset of the machine's, which mm-sandbox does not model", r.constraint.as_deref().unwrap_or(""))
            } else if r.version().is_some_and(|v| v < (5, 9))
                && r.replay_before_5_9().and_then(|i| r.tasks.get(i)).is_some_and(|t| t.pid == k.pid)
            {
                format!("this kernel ({}) is older than v5.9, whose oom_badness counts every score below 1 as 1 (it became signed in v5.9, \"mm, oom: make the calculation of oom badness more accurate\"; 5.4.y took it in 2021): replayed that way, the tie at 1 goes to the later task, {} ({}), as the report says", r.release.as_deref().unwrap_or("?"), k.pid, k.name)
            } else {
                "the log's table may be cut (vm.oom_dump_tasks lists every task; a lost line drops one), or a task was skipped for a reason the log does not show (an OOM victim already exiting, MMF_OOM_SKIP, a vfork child)".to_string()
            };
            let _ = writeln!(o, "Verdict: mm-sandbox picks {} ({}); the report killed {} ({}). The difference: {why}.", v.pid, v.name, k.pid, k.name);
        }
        (Some(v), None) => { let _ = writeln!(o, "Verdict: mm-sandbox picks {} ({}); the report names no victim to compare.", v.pid, v.name); }
        (None, _) => o.push_str("Verdict: every task has oom_score_adj -1000: nothing can be killed (\"Out of memory and no killable processes...\").\n"),
    }
    if memcg {
        let _ = writeln!(o, "{}A memory cgroup OOM (constraint=CONSTRAINT_MEMCG, in {}): the cgroup reached its limit, only its tasks were candidates, and totalpages was its limit. mm-sandbox models the whole machine's OOM, not memory cgroups: the replay above uses the report's tasks and the cgroup's limit, and no machine is booted for it.",
            if ours.is_some() && r.killed.as_ref().is_some_and(|k| Some(k.pid) == ours.map(|v| v.pid)) { "" } else { "Verdict: not replayed as the kernel did it. " },
            r.memcg.as_deref().unwrap_or("the cgroup the log names"));
    }
    if !memcg {
        if let Ok(m) = machine {
            let lines = m.script.lines().filter(|l| !l.starts_with('#')).count();
            let _ = writeln!(o, "\nEquivalent machine: {lines} commands boot it and start the tasks as pids 2 to {}, and `echo f > /proc/sysrq-trigger` lets its own OOM killer decide (mmsim import oom --script prints them). It differs from the report in this:", m.pids.len() + 1);
            for n in &m.notes {
                let _ = writeln!(o, "  - {n}");
            }
        }
    }
    if !r.unknown.is_empty() {
        o.push_str("\nNot understood (left out):\n");
        for (n, l) in r.unknown.iter().take(50) {
            let _ = writeln!(o, "  line {n}: {l}");
        }
        if r.unknown.len() > 50 {
            let _ = writeln!(o, "  ... and {} more", r.unknown.len() - 50);
        }
    }
    o
}
