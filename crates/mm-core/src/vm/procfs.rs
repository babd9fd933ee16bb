//! `/proc/PID/maps` (`fs/proc/task_mmu.c: show_map_vma`) and `/proc/PID/status`
//! (`fs/proc/array.c: proc_pid_status`, `task_mem`).

use super::error::VmError;
use super::mm::{Backing, Task, VM_GROWSDOWN, VM_SHARED, VM_WRITE};
use super::oom::oom_score;
use super::Vmm;

/// Reads `/proc/PID/FILE`, or None if there is no such process or file.
pub fn read(vmm: &Vmm, oom_totalpages: u64, pid: u32, file: &str) -> Option<String> {
    let t = vmm.tasks.get(&pid)?;
    Some(match file {
        "maps" => maps(t),
        "status" => status(t),
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

/// The identity lines and `task_mem`'s memory lines this model knows.
pub fn status(t: &Task) -> String {
    let mm = &t.mm;
    let mut out = format!(
        "Name:\t{}\nState:\tS (sleeping)\nTgid:\t{}\nPid:\t{}\nPPid:\t{}\n",
        t.comm, t.pid, t.pid, t.ppid
    );
    out.push_str(&format!(
        "Uid:\t{0}\t{0}\t{0}\t{0}\nGid:\t{0}\t{0}\t{0}\t{0}\n",
        t.uid
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
    kb(&mut out, "VmSize", mm.total_vm());
    kb(&mut out, "VmLck", 0);
    kb(&mut out, "VmPin", 0);
    kb(&mut out, "VmRSS", mm.rss());
    kb(&mut out, "RssAnon", mm.anon_rss);
    kb(&mut out, "RssFile", 0);
    kb(&mut out, "RssShmem", mm.shmem_rss);
    kb(&mut out, "VmData", data);
    kb(&mut out, "VmStk", stack);
    kb(&mut out, "VmExe", 0);
    kb(&mut out, "VmLib", 0);
    out.push_str(&format!("VmPTE:\t{:>8} kB\n", mm.pgtables_bytes >> 10));
    kb(&mut out, "VmSwap", 0);
    out
}
