//! The OOM killer (`mm/oom_kill.c: oom_badness`, `select_bad_process`,
//! `oom_kill_process`, `dump_header`, `dump_tasks`; `fs/proc/base.c: proc_oom_score`).

use super::events::VmEvent;
use super::mm::Task;
use super::Vm;
use crate::vocab::GfpFlags;
use crate::vocab::ZoneType;

/// `OOM_SCORE_ADJ_MIN`: never kill.
pub const OOM_SCORE_ADJ_MIN: i16 = -1000;

/// `oom_badness(p, totalpages)`: RSS + swap entries + page-table pages, plus
/// `oom_score_adj` thousandths of all memory (division first, as the kernel does);
/// None (the kernel's `LONG_MIN`) for init and for `oom_score_adj = -1000`.
pub fn oom_badness(t: &Task, totalpages: u64) -> Option<i64> {
    if t.pid == 1 || t.oom_score_adj == OOM_SCORE_ADJ_MIN {
        return None;
    }
    let points = (t.mm.rss() + t.mm.swapents + t.mm.pgtables_bytes / 4096) as i64;
    Some(points + i64::from(t.oom_score_adj) * (totalpages / 1000) as i64)
}

/// `/proc/PID/oom_score` (`proc_oom_score`): `(1000 + badness * 1000 / totalpages) *
/// 2 / 3`, 0 for the unkillable; C integer arithmetic. The kernel keeps this "[0,
/// 2000] range" for userspace: 0..1333 without a positive `oom_score_adj`, up to 1999
/// with one.
pub fn oom_score(t: &Task, totalpages: u64) -> u64 {
    let total = totalpages as i64;
    match oom_badness(t, totalpages) {
        Some(b) if total > 0 => ((1000 + b * 1000 / total) * 2 / 3).max(0) as u64,
        _ => 0,
    }
}

/// The kernel thread that runs sysrq's `moom_work` (the system workqueue's worker on
/// CPU 0), named in the report's first line as the OOM killer's invoker.
pub const SYSRQ_WORKER: &str = "kworker/0:1";

impl Vm<'_> {
    /// `moom_callback` (drivers/tty/sysrq.c), what `echo f > /proc/sysrq-trigger`
    /// schedules: `out_of_memory` with `GFP_KERNEL` and order -1, "a memory-full OOM
    /// kill" on demand. It kills the task with the highest badness even with memory
    /// free, and with nothing to kill it says so instead of panicking. Returns the
    /// victim.
    pub fn moom(&mut self) -> Option<u32> {
        self.k.printk("sysrq: Manual OOM execution");
        let victim = self.out_of_memory(0, GfpFlags(crate::vocab::gfp::GFP_KERNEL), -1);
        if victim.is_none() {
            self.k
                .printk("sysrq: OOM request ignored. No task eligible");
        }
        victim
    }

    /// `totalpages` for a global OOM (`constrained_alloc`): RAM plus swap.
    pub fn oom_totalpages(&self) -> u64 {
        self.k.totalram_pages() + self.k.total_swap_pages
    }

    /// `dump_header`: who invoked the OOM killer, `__show_mem` up to the request's
    /// highest zone, and `dump_tasks`.
    /// `order` is -1 for the manual OOM of sysrq `f`, which a kworker runs.
    fn dump_header(&mut self, current: u32, gfp: GfpFlags, order: i8) {
        let (comm, adj) = match self.vmm.tasks.get(&current) {
            Some(t) if order >= 0 => (t.comm.clone(), t.oom_score_adj),
            _ if order < 0 => (SYSRQ_WORKER.into(), 0),
            _ => ("mmsim".into(), 0),
        };
        self.k.printk(format!(
            "{comm} invoked oom-killer: gfp_mask={:#x}({gfp}), order={order}, oom_score_adj={adj}",
            gfp.0
        ));
        // dump_header: __show_mem up to the request's highest zone.
        self.show_mem(gfp.zone().unwrap_or(ZoneType::Normal));
        self.dump_unreclaimable_slab();
        // mem_cgroup_show_protected_memory (v6.19): the root cgroup's, with cgroup v2.
        self.k
            .printk("Memory cgroup min protection 0kB -- low protection 0kB");
        self.k.printk("Tasks state (memory values in pages):");
        self.k.printk("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name");
        let rows: Vec<String> = self
            .vmm
            .tasks
            .values()
            .filter(|t| t.pid != 1)
            .map(|t| {
                format!(
                    "[{:>7}] {:>5} {:>5} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8}         {:>5} {}",
                    t.pid,
                    t.uid,
                    t.pid,
                    t.mm.total_vm(),
                    t.mm.rss(),
                    t.mm.anon_rss,
                    t.mm.file_rss,
                    t.mm.shmem_rss,
                    t.mm.pgtables_bytes,
                    t.mm.swapents,
                    t.oom_score_adj,
                    t.comm
                )
            })
            .collect();
        for r in rows {
            self.k.printk(r);
        }
    }

    /// `out_of_memory`: picks the task with the highest badness (ties go to the later
    /// one in the task list), prints the kernel's report, kills it and frees its
    /// memory. Returns the victim, or None if nothing can be killed. `order` is -1
    /// for a manual OOM (`is_sysrq_oom`).
    pub fn out_of_memory(&mut self, current: u32, gfp: GfpFlags, order: i8) -> Option<u32> {
        let total = self.oom_totalpages();
        let mut chosen: Option<(u32, i64)> = None;
        for t in self.vmm.tasks.values() {
            let Some(points) = oom_badness(t, total) else {
                continue;
            };
            let (pid, comm) = (t.pid, t.comm.clone());
            self.k.trace.push(|| VmEvent::OomScore {
                pid,
                comm: comm.into(),
                points,
            });
            if chosen.is_none_or(|(_, best)| points >= best) {
                chosen = Some((t.pid, points));
            }
        }
        // oom_kill_process prints dump_header (and dump_oom_victim) under oom_rs;
        // with nothing to kill, out_of_memory prints it before panicking, always.
        let dump = chosen.is_none() || self.k.ratelimit(crate::kernel::Report::OomHeader);
        if dump {
            self.dump_header(current, gfp, order);
        }
        let Some((victim, _)) = chosen else {
            self.k.printk("Out of memory and no killable processes...");
            return None;
        };
        let t = self.vmm.tasks.get(&victim)?.clone();
        if dump {
            // dump_oom_victim.
            self.k.printk(format!(
            "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task={},pid={},uid={}",
            t.comm, t.pid, t.uid
        ));
        }
        self.k.printk(format!(
            "Out of memory: Killed process {} ({}) total-vm:{}kB, anon-rss:{}kB, file-rss:{}kB, shmem-rss:{}kB, UID:{} pgtables:{}kB oom_score_adj:{}",
            t.pid,
            t.comm,
            t.mm.total_vm() * 4,
            t.mm.anon_rss * 4,
            t.mm.file_rss * 4,
            t.mm.shmem_rss * 4,
            t.uid,
            t.mm.pgtables_bytes >> 10,
            t.oom_score_adj
        ));
        let freed = self.exit(victim).unwrap_or(0);
        self.k.printk(format!(
            "oom_reaper: reaped process {} ({}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
            t.pid, t.comm
        ));
        self.vmm.events.oom_kill += 1;
        self.k.trace.push(|| VmEvent::OomKill {
            pid: victim,
            comm: t.comm.as_str().into(),
            freed,
        });
        Some(victim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::mm::Mm;

    fn task(pid: u32, rss: u64, pgtables: u64, adj: i16) -> Task {
        Task {
            pid,
            comm: format!("p{pid}"),
            ppid: 1,
            uid: 1000,
            oom_score_adj: adj,
            mm: Mm {
                anon_rss: rss,
                pgtables_bytes: pgtables * 4096,
                ..Mm::default()
            },
            slab_obj: 0,
            stack_pages: Vec::new(),
        }
    }

    /// `points = get_mm_rss + swapents + mm_pgtables_bytes / PAGE_SIZE`, then
    /// `points += oom_score_adj * (totalpages / 1000)`: the division comes first, so
    /// on 262,144 pages one unit of adj is worth 262 pages, not 262.144.
    #[test]
    fn badness_is_rss_plus_page_tables_plus_the_bias() {
        let total = 262_144;
        assert_eq!(oom_badness(&task(2, 1000, 3, 0), total), Some(1003));
        assert_eq!(
            oom_badness(&task(2, 1000, 3, 500), total),
            Some(1003 + 500 * 262)
        );
        assert_eq!(
            oom_badness(&task(2, 1000, 3, -999), total),
            Some(1003 - 999 * 262)
        );
    }

    /// init and `oom_score_adj = -1000` are never chosen (`LONG_MIN`).
    #[test]
    fn init_and_minus_1000_are_unkillable() {
        assert_eq!(oom_badness(&task(1, 5000, 0, 0), 262_144), None);
        assert_eq!(oom_badness(&task(2, 5000, 0, -1000), 262_144), None);
        assert_eq!(oom_score(&task(2, 5000, 0, -1000), 262_144), 0);
    }

    /// `proc_oom_score`: `(1000 + badness * 1000 / totalpages) * 2 / 3`, C arithmetic:
    /// a task holding half of memory scores (1000 + 500) * 2 / 3 = 1000; all of it
    /// 1333; with `oom_score_adj = 1000` on top, (1000 + 1999) * 2 / 3 = 1999.
    #[test]
    fn oom_score_scales_badness_into_0_2000() {
        assert_eq!(oom_score(&task(2, 131_072, 0, 0), 262_144), 1000);
        assert_eq!(oom_score(&task(2, 0, 0, 0), 262_144), 666);
        assert_eq!(oom_score(&task(2, 262_144, 0, 0), 262_144), 1333);
        assert_eq!(oom_score(&task(2, 262_144, 0, 1000), 262_144), 1999);
    }
}
