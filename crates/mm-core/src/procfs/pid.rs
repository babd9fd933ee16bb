//! `/proc/PID/maps` (`fs/proc/task_mmu.c: show_map_vma`) and `/proc/PID/status`
//! (`fs/proc/array.c: proc_pid_status`, `task_mem`).

use crate::vm::mm::{Backing, Task, VM_GROWSDOWN, VM_SHARED, VM_WRITE};

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
