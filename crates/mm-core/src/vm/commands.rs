//! Virtual memory's commands: `spawn`, `fork`, `exit`, `ps`, `mmap`, `munmap`, `brk`,
//! `read`, `write`, `touch`, `translate`.

use super::error::VmError;
use super::events::FaultKind;
use super::mmap::{page_align, MmapArgs};
use super::Vm;
use crate::command::CommandSpec;
use crate::error::Error;
use crate::vocab::{parse_addr, parse_pid, parse_size};

/// A virtual-memory command: it runs on a [`Vm`].
pub type VmCommand = CommandSpec<fn(&mut Vm<'_>, &[&str]) -> Result<String, Error>>;

/// What a user address looks like, for argument errors.
const ADDR_EXAMPLE: &str = "0x7ffff7ff0000";

/// Virtual memory's commands, in the order `help` lists them.
pub const COMMANDS: &[VmCommand] = &[
    CommandSpec {
        name: "spawn",
        usage: "spawn NAME",
        summary: "start a process (uid 1000) with an empty address space and a stack",
        details: crate::command::details!("Allocates its task_struct, a 16K kernel stack, its mm_struct, a PGD page and the \
132K [stack] VMA (charged to Committed_AS). pid 1 (init) exists after boot. Prints pid=N."),
        run: spawn,
    },
    CommandSpec {
        name: "fork",
        usage: "fork PID",
        summary: "copy a process: VMAs, commit charges, and copy-on-write PTEs",
        details: crate::command::details!("Each VM_ACCOUNT mapping is charged again (fork can fail in overcommit mode 2). \
Private writable pages are write-protected in parent and child and shared: the first writer \
copies, the last owner reuses."),
        run: fork,
    },
    CommandSpec {
        name: "exit",
        usage: "exit PID",
        summary: "end a process: unmap everything, free pages and page tables, uncharge",
        details: crate::command::details!("Pages still mapped by another process (after fork) stay."),
        run: exit,
    },
    CommandSpec {
        name: "mmap",
        usage: "mmap PID SIZE [/data/NAME [offset=N]] [PROT_READ|PROT_WRITE|PROT_EXEC|PROT_NONE] [MAP_PRIVATE|MAP_SHARED|MAP_NORESERVE]",
        summary: "map anonymous memory or a file (default PROT_READ|PROT_WRITE MAP_PRIVATE)",
        details: crate::command::details!("Addresses are chosen top-down below mmap_base (0x7ffff7fff000 without ASLR). \
Private writable mappings are charged to Committed_AS in full (unless MAP_NORESERVE outside \
mode 2); MAP_SHARED is charged even read-only. A file under /data is mapped from offset= \
(a multiple of 4096): a fault finds its page in the page cache or reads it (a major fault, \
with read-around); a MAP_SHARED write dirties the file's page, a MAP_PRIVATE write copies \
it. Nothing is allocated until it is touched."),
        run: mmap,
    },
    CommandSpec {
        name: "munmap",
        usage: "munmap PID ADDR SIZE",
        summary: "unmap a range, splitting mappings at its edges",
        details: crate::command::details!("Pages whose last mapping goes are freed; the charge goes back."),
        run: munmap,
    },
    CommandSpec {
        name: "brk",
        usage: "brk PID +SIZE|-SIZE",
        summary: "grow or shrink the [heap]",
        details: crate::command::details!("The heap starts at 0x555555559000 (a PIE binary without ASLR). Growth is charged \
to Committed_AS."),
        run: brk,
    },
    CommandSpec {
        name: "read",
        usage: "read PID ADDR",
        summary: "read a byte: a fault maps the shared zero page",
        details: crate::command::details!("An address outside every mapping, or in a PROT_NONE one, gets SIGSEGV and changes nothing."),
        run: read,
    },
    CommandSpec {
        name: "write",
        usage: "write PID ADDR",
        summary: "write a byte: a fault allocates a zeroed page (or copies, after fork)",
        details: crate::command::details!("GFP_HIGHUSER_MOVABLE; when memory runs out the OOM killer picks a victim by oom_badness."),
        run: write,
    },
    CommandSpec {
        name: "touch",
        usage: "touch PID ADDR SIZE [read]",
        summary: "write to every page of a range (like memset), faulting each in; read reads each",
        details: crate::command::details!("Stops at the first failure: SIGSEGV, SIGBUS, or the process being killed by the OOM killer. \
touch ... read reads a byte of every page instead (a read-only or file mapping, read in order)."),
        run: touch,
    },
    CommandSpec {
        name: "translate",
        usage: "translate PID ADDR",
        summary: "walk the page tables for an address, level by level",
        details: crate::command::details!("PGD[i] PUD[i] PMD[i] PTE[i] with each entry's value and flags, then the physical \
address, or where the walk stops and why. boot la57=on adds the P4D level."),
        run: translate,
    },
    CommandSpec {
        name: "ps",
        usage: "ps",
        summary: "list processes (VSZ and RSS in KiB)",
        details: crate::command::details!("Files: /proc/PID/maps, /proc/PID/status, /proc/PID/oom_score, /proc/PID/oom_score_adj \
(writable: echo -500 > /proc/2/oom_score_adj)."),
        run: ps,
    },
];

/// Parses `PROT_READ|PROT_WRITE` and `MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE` words.
fn mmap_args(vm: &Vm<'_>, words: &[&str]) -> Result<MmapArgs, VmError> {
    let mut a = MmapArgs {
        read: true,
        write: true,
        exec: false,
        shared: false,
        noreserve: false,
        file: None,
    };
    let mut prot_seen = false;
    let mut private = false;
    let mut offset = None;
    let mut path = None;
    for w in words {
        if w.starts_with('/') {
            path = Some(*w);
            continue;
        }
        if let Some(v) = w.strip_prefix("offset=") {
            let n = crate::vocab::size::parse_size(v)
                .ok()
                .filter(|n| n % 4096 == 0)
                .ok_or_else(|| VmError::BadOffset(v.to_string()))?;
            offset = Some(n);
            continue;
        }
        for f in w.split('|') {
            match f {
                "PROT_READ" | "PROT_WRITE" | "PROT_EXEC" | "PROT_NONE" => {
                    if !prot_seen {
                        a.read = false;
                        a.write = false;
                        prot_seen = true;
                    }
                    match f {
                        "PROT_READ" => a.read = true,
                        "PROT_WRITE" => a.write = true,
                        "PROT_EXEC" => a.exec = true,
                        _ => {}
                    }
                }
                "MAP_PRIVATE" => private = true,
                "MAP_SHARED" => a.shared = true,
                "MAP_ANONYMOUS" | "MAP_ANON" => {}
                "MAP_NORESERVE" => a.noreserve = true,
                _ => return Err(VmError::UnknownMmapFlag(f.to_string())),
            }
        }
    }
    if private && a.shared {
        return Err(VmError::PrivateAndShared);
    }
    match path {
        Some(p) => {
            let (ino, _) = vm
                .pr
                .fs
                .open(p)
                .map_err(|_| VmError::NoFile(p.to_string()))?;
            a.file = Some((ino, p.to_string(), offset.unwrap_or(0) >> 12));
        }
        None if offset.is_some() => return Err(VmError::BadOffset("(no file)".into())),
        None => {}
    }
    Ok(a)
}

fn spawn(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [name] = a else { return Err(Error::Usage) };
    let p = vm.spawn(name, 1, 1000)?;
    Ok(format!("pid={p} comm={name}\n"))
}

fn fork(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p] = a else { return Err(Error::Usage) };
    let parent = parse_pid(p)?;
    let child = vm.fork(parent)?;
    Ok(format!("pid={child} parent={parent}\n"))
}

fn exit(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p] = a else { return Err(Error::Usage) };
    let p = parse_pid(p)?;
    let rss = vm.exit(p)?;
    Ok(format!("exited={p} freed_rss_pages={rss}\n"))
}

fn mmap(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p, size, rest @ ..] = a else {
        return Err(Error::Usage);
    };
    let p = parse_pid(p)?;
    let len = parse_size(size)?;
    let args = mmap_args(vm, rest)?;
    let at = vm.mmap(p, len, args)?;
    let end = at + page_align(len).unwrap_or(len);
    Ok(format!("addr={at:#x} end={end:#x}\n"))
}

fn munmap(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p, addr, size] = a else {
        return Err(Error::Usage);
    };
    let p = parse_pid(p)?;
    let pages = vm.munmap(p, parse_addr(addr, ADDR_EXAMPLE)?, parse_size(size)?)?;
    Ok(format!("unmapped_pages={pages}\n"))
}

fn brk(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p, delta] = a else {
        return Err(Error::Usage);
    };
    let p = parse_pid(p)?;
    let (neg, num) = match delta.strip_prefix('-') {
        Some(n) => (true, n),
        None => (false, delta.strip_prefix('+').unwrap_or(delta)),
    };
    let n = i64::try_from(parse_size(num)?).map_err(|_| VmError::SizeTooLarge)?;
    let b = vm.brk(p, if neg { -n } else { n })?;
    Ok(format!("brk={b:#x}\n"))
}

/// One access; a SIGSEGV also goes to the log as the kernel's `show_signal_msg` line.
fn access(vm: &mut Vm<'_>, a: &[&str], write: bool) -> Result<String, Error> {
    let [p, addr] = a else {
        return Err(Error::Usage);
    };
    let p = parse_pid(p)?;
    let va = parse_addr(addr, ADDR_EXAMPLE)?;
    match vm.access(p, va, write) {
        Ok((kind, pfn)) => {
            let what = match kind {
                FaultKind::None => "none",
                FaultKind::ZeroPage => "zero-page",
                FaultKind::NewPage => "new-page",
                FaultKind::CowCopy => "cow-copy",
                FaultKind::CowReuse => "cow-reuse",
                FaultKind::ShmemNew => "shmem-new",
                FaultKind::ShmemMapped => "shmem-mapped",
                FaultKind::SwapIn => "swap-in",
                FaultKind::SwapCache => "swap-cache",
                FaultKind::FileCache => "file-cache",
                FaultKind::FileRead => "file-read",
                FaultKind::Missing | FaultKind::WriteProtected | FaultKind::Swap => "fault",
            };
            Ok(format!(
                "phys={:#x} pfn={pfn:#x} fault={what}\n",
                (pfn << 12) | (va & 0xfff)
            ))
        }
        Err(e) => {
            if let VmError::Segv { code, .. } = &e {
                vm.segfault_msg(p, va, *code);
            }
            Err(e.into())
        }
    }
}

fn read(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    access(vm, a, false)
}

fn write(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    access(vm, a, true)
}

/// `touch PID ADDR SIZE`: a write to every page, stopping at the first failure (the
/// pages before it stay faulted in, and the message says how many).
fn touch(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (p, addr, size, write) = match a {
        [p, addr, size] => (p, addr, size, true),
        [p, addr, size, "read"] => (p, addr, size, false),
        _ => return Err(Error::Usage),
    };
    let p = parse_pid(p)?;
    let addr = parse_addr(addr, ADDR_EXAMPLE)?;
    let len = parse_size(size)?;
    if !vm.vmm.tasks.contains_key(&p) {
        return Err(VmError::NoProcess(p).into());
    }
    let end = page_align(addr.saturating_add(len)).ok_or(VmError::RangeTooLarge)?;
    // Refuse, before touching anything, a range whose page tables might not fit the
    // sandbox's room for them.
    let tables = vm.tables_for(addr, end);
    let room =
        (crate::limits::PAGE_TABLE_MEMORY >> 12).saturating_sub(vm.vmm.tables.pages.len() as u64);
    if tables > room {
        return Err(VmError::RangeTooSparse { tables }.into());
    }
    let (mut touched, mut faulted) = (0u64, 0u64);
    let mut va = addr & !0xfff;
    while va < end {
        match vm.access(p, va, write) {
            Ok((kind, _)) => {
                touched += 1;
                if kind != FaultKind::None {
                    faulted += 1;
                }
            }
            Err(cause) => {
                return Err(VmError::TouchStopped {
                    cause: Box::new(cause),
                    touched,
                    faulted,
                }
                .into())
            }
        }
        va += 4096;
    }
    Ok(format!("touched={touched} faulted={faulted}\n"))
}

fn translate(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [p, addr] = a else {
        return Err(Error::Usage);
    };
    let p = parse_pid(p)?;
    Ok(vm.translate(p, parse_addr(addr, ADDR_EXAMPLE)?)?)
}

fn ps(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    if !a.is_empty() {
        return Err(Error::Usage);
    }
    let mut out = String::from("  PID  PPID   UID    VSZ    RSS  ADJ COMMAND\n");
    for t in vm.vmm.tasks.values() {
        out.push_str(&format!(
            "{:>5} {:>5} {:>5} {:>6} {:>6} {:>4} {}\n",
            t.pid,
            t.ppid,
            t.uid,
            t.mm.total_vm() * 4,
            t.mm.rss() * 4,
            t.oom_score_adj,
            t.comm
        ));
    }
    Ok(out)
}
