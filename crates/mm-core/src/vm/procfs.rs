//! `/proc/PID/maps` (`fs/proc/task_mmu.c: show_map_vma`) and `/proc/PID/status`
//! (`fs/proc/array.c: proc_pid_status`, `task_mem`).

use super::error::VmError;
use super::mm::{Backing, Task, VM_GROWSDOWN, VM_SHARED, VM_WRITE};
use super::oom::oom_score;
use super::Vmm;

/// Reads `/proc/PID/FILE`, or None if there is no such process or file.
/// What /proc/PID/status needs of the machine beyond the task.
#[derive(Clone, Copy, Debug)]
pub struct StatusSys {
    /// `totalram_pages()` (the default `RLIMIT_SIGPENDING` is `max_threads / 2`).
    pub totalram: u64,
    /// Online CPUs (`Cpus_allowed`).
    pub nr_cpus: u32,
}

/// Reads one /proc/PID file.
pub fn read(
    vmm: &Vmm,
    oom_totalpages: u64,
    sys: StatusSys,
    pid: u32,
    file: &str,
) -> Option<String> {
    let t = vmm.tasks.get(&pid)?;
    Some(match file {
        "maps" => maps(t),
        "status" => status(t, sys),
        "oom_score" => format!("{}\n", oom_score(t, oom_totalpages)),
        "oom_score_adj" => format!("{}\n", t.oom_score_adj),
        _ => return None,
    })
}

/// Writes `/proc/PID/oom_score_adj` (`oom_score_adj_write`: -1000..1000).
pub fn write_oom_score_adj(vmm: &mut Vmm, pid: u32, value: &str) -> Result<(), VmError> {
    let v: i64 = value
        .trim()
        .parse()
        .map_err(|_| VmError::AdjNotInteger(value.trim().to_string()))?;
    if !(-1000..=1000).contains(&v) {
        return Err(VmError::AdjOutOfRange(v));
    }
    let t = vmm.tasks.get_mut(&pid).ok_or(VmError::NoProcessDir(pid))?;
    t.oom_score_adj = v as i16;
    Ok(())
}

/// One line per VMA: `start-end perms offset dev inode`, then the name padded to
/// column 73. Anonymous lines end with a space after the inode 0, as the kernel's do.
pub fn maps(t: &Task) -> String {
    let mut out = String::new();
    for v in t.mm.vmas.values() {
        let (pgoff, dev, ino) = match v.backing {
            Backing::Anon => (0, "00:00", 0),
            Backing::Shmem(id) => (v.pgoff << 12, "00:01", 1000 + id as u64),
            // The /data disk's first partition.
            Backing::File(ino) => (v.pgoff << 12, "08:01", u64::from(ino)),
        };
        let mut line = format!(
            "{:08x}-{:08x} {} {:08x} {} {} ",
            v.start,
            v.end,
            v.perms(),
            pgoff,
            dev,
            ino
        );
        if !v.name.is_empty() {
            while line.len() < 73 {
                line.push(' ');
            }
            line.push_str(&v.name);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn kb(out: &mut String, label: &str, pages: u64) {
    out.push_str(&format!("{label}:\t{:>8} kB\n", pages * 4));
}

/// `proc_pid_status` (fs/proc/array.c), every line in v6.19's order: `task_state`'s
/// identity lines, `task_mem`'s memory lines (fs/proc/task_mmu.c) with the high-water
/// marks and `hugetlb_report_usage`, then core dumping, THP, the untag mask, signals,
/// capabilities, seccomp and speculation state, CPU and memory-node masks, and context
/// switches, as for a fresh single-threaded, unprivileged process (uid 1000, no
/// capabilities, no supplementary groups) on x86-64 with `CONFIG_NODES_SHIFT=10`.
pub fn status(t: &Task, sys: StatusSys) -> String {
    let mm = &t.mm;
    let mut out = format!(
        "Name:\t{}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{}\nTracerPid:\t0\n",
        t.comm,
        t.ppid,
        pid = t.pid
    );
    out.push_str(&format!(
        "Uid:\t{0}\t{0}\t{0}\t{0}\nGid:\t{0}\t{0}\t{0}\t{0}\n",
        t.uid
    ));
    out.push_str("FDSize:\t64\nGroups:\t \n");
    out.push_str(&format!(
        "NStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t{pid}\nNSsid:\t{pid}\nKthread:\t0\n",
        pid = t.pid
    ));
    let stack: u64 = mm
        .vmas
        .values()
        .filter(|v| v.flags & VM_GROWSDOWN != 0)
        .map(|v| v.pages())
        .sum();
    let data: u64 = mm
        .vmas
        .values()
        .filter(|v| v.flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN) == VM_WRITE)
        .map(|v| v.pages())
        .sum();
    // task_mem: the high-water marks are at least the current values.
    kb(&mut out, "VmPeak", mm.total_vm().max(mm.hiwater_vm));
    kb(&mut out, "VmSize", mm.total_vm());
    kb(&mut out, "VmLck", 0);
    kb(&mut out, "VmPin", 0);
    kb(&mut out, "VmHWM", mm.rss().max(mm.hiwater_rss));
    kb(&mut out, "VmRSS", mm.rss());
    kb(&mut out, "RssAnon", mm.anon_rss);
    kb(&mut out, "RssFile", mm.file_rss);
    kb(&mut out, "RssShmem", mm.shmem_rss);
    kb(&mut out, "VmData", data);
    kb(&mut out, "VmStk", stack);
    kb(&mut out, "VmExe", 0);
    kb(&mut out, "VmLib", 0);
    out.push_str(&format!("VmPTE:\t{:>8} kB\n", mm.pgtables_bytes >> 10));
    kb(&mut out, "VmSwap", mm.swapents);
    kb(&mut out, "HugetlbPages", 0);
    out.push_str("CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n");
    // RLIMIT_SIGPENDING defaults to max_threads / 2, max_threads = totalram / 32
    // (set_max_threads: pages * PAGE_SIZE / (THREAD_SIZE * 8)).
    let sigq = (sys.totalram / 32).max(20) / 2;
    out.push_str(&format!("Threads:\t1\nSigQ:\t0/{sigq}\n"));
    for sig in ["SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"] {
        out.push_str(&format!("{sig}:\t0000000000000000\n"));
    }
    // CAP_LAST_CAP is CAP_CHECKPOINT_RESTORE (40): the bounding set has bits 0-40.
    out.push_str(
        "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n\
         CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n",
    );
    out.push_str(
        "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n\
         Speculation_Store_Bypass:\tthread vulnerable\n\
         SpeculationIndirectBranch:\tconditional enabled\n",
    );
    let cpus = sys.nr_cpus.clamp(1, 64);
    let mask = if cpus == 64 {
        u64::MAX
    } else {
        (1u64 << cpus) - 1
    };
    let list = if cpus == 1 {
        "0".to_string()
    } else {
        format!("0-{}", cpus - 1)
    };
    out.push_str(&format!(
        "Cpus_allowed:\t{mask:x}\nCpus_allowed_list:\t{list}\n"
    ));
    // MAX_NUMNODES = 1024: 32 words of 32 bits, node 0 set.
    let mut mems = "00000000,".repeat(31);
    mems.push_str("00000001");
    out.push_str(&format!("Mems_allowed:\t{mems}\nMems_allowed_list:\t0\n"));
    out.push_str("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
    out
}
