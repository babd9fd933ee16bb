//! The process commands of the command language: `spawn`, `fork`, `exit`, `mmap`,
//! `munmap`, `brk`, `read`, `write`, `translate`, `ps`, and /proc/PID files.

use crate::event::FaultKind;
use crate::machine::Machine;
use crate::size::{parse_number, parse_size};
use crate::vm::fault::FaultError;
use crate::vm::mmap::MmapArgs;

fn pid(text: &str) -> Result<u32, String> {
    parse_number(text)
        .ok()
        .and_then(|p| u32::try_from(p).ok())
        .ok_or_else(|| format!("'{text}' is not a pid"))
}

fn addr(text: &str) -> Result<u64, String> {
    parse_number(text).map_err(|_| format!("'{text}' is not an address (write 0x7ffff7ff0000)"))
}

/// Parses `PROT_READ|PROT_WRITE` and `MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE` words.
fn mmap_args(words: &[&str]) -> Result<MmapArgs, String> {
    let mut a = MmapArgs {
        read: true,
        write: true,
        exec: false,
        shared: false,
        noreserve: false,
    };
    let mut prot_seen = false;
    let mut private = false;
    for w in words {
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
                _ => {
                    return Err(format!(
                        "unknown flag '{f}' (PROT_READ PROT_WRITE PROT_EXEC PROT_NONE MAP_PRIVATE MAP_SHARED \
                         MAP_ANONYMOUS MAP_NORESERVE; only anonymous memory is modelled)"
                    ))
                }
            }
        }
    }
    if private && a.shared {
        return Err("EINVAL: MAP_PRIVATE and MAP_SHARED together".into());
    }
    Ok(a)
}

impl Machine {
    pub(crate) fn vm_command(&mut self, cmd: &str, a: &[&str]) -> Result<String, String> {
        match (cmd, a) {
            ("spawn", [name]) => {
                let p = self.spawn(name, 1, 1000)?;
                Ok(format!("pid={p} comm={name}\n"))
            }
            ("fork", [p]) => {
                let parent = pid(p)?;
                let child = self.fork(parent)?;
                Ok(format!("pid={child} parent={parent}\n"))
            }
            ("exit", [p]) => {
                let p = pid(p)?;
                let rss = self.exit(p)?;
                Ok(format!("exited={p} freed_rss_pages={rss}\n"))
            }
            ("mmap", [p, size, rest @ ..]) => {
                let p = pid(p)?;
                let len = parse_size(size)?;
                let args = mmap_args(rest)?;
                let at = self.mmap(p, len, args)?;
                let end = at + crate::vm::mmap::page_align(len).unwrap_or(len);
                Ok(format!("addr={at:#x} end={end:#x}\n"))
            }
            ("munmap", [p, ad, size]) => {
                let p = pid(p)?;
                let pages = self.munmap(p, addr(ad)?, parse_size(size)?)?;
                Ok(format!("unmapped_pages={pages}\n"))
            }
            ("brk", [p, delta]) => {
                let p = pid(p)?;
                let (neg, num) = match delta.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, delta.strip_prefix('+').unwrap_or(delta)),
                };
                let n =
                    i64::try_from(parse_size(num)?).map_err(|_| "size too large".to_string())?;
                let b = self.brk(p, if neg { -n } else { n })?;
                Ok(format!("brk={b:#x}\n"))
            }
            ("read" | "write", [p, ad]) => {
                let p = pid(p)?;
                let va = addr(ad)?;
                let write = cmd == "write";
                match self.access(p, va, write) {
                    Ok((kind, pfn)) => {
                        let what = match kind {
                            FaultKind::None => "none",
                            FaultKind::ZeroPage => "zero-page",
                            FaultKind::NewPage => "new-page",
                            FaultKind::CowCopy => "cow-copy",
                            FaultKind::CowReuse => "cow-reuse",
                            FaultKind::ShmemNew => "shmem-new",
                            FaultKind::ShmemMapped => "shmem-mapped",
                            FaultKind::Missing | FaultKind::WriteProtected => "fault",
                        };
                        Ok(format!(
                            "phys={:#x} pfn={pfn:#x} fault={what}\n",
                            (pfn << 12) | (va & 0xfff)
                        ))
                    }
                    Err(FaultError::Segv(why, code)) => {
                        let comm = self
                            .vmm
                            .tasks
                            .get(&p)
                            .map(|t| t.comm.clone())
                            .unwrap_or_default();
                        if !comm.is_empty() {
                            self.log(format!("{comm}[{p}]: segfault at {va:x} error {code}"));
                        }
                        Err(format!("SIGSEGV: {why}"))
                    }
                    Err(FaultError::Oom(why)) => Err(format!("out of memory: {why}")),
                    Err(FaultError::Killed) => Err(format!(
                        "process {p} was killed by the OOM killer (see dmesg)"
                    )),
                }
            }
            ("touch", [p, ad, size]) => {
                let p = pid(p)?;
                let start = addr(ad)? & !0xfff;
                let len = parse_size(size)?;
                let end = crate::vm::mmap::page_align(addr(ad)?.saturating_add(len))
                    .ok_or("range too large")?;
                let (mut touched, mut new) = (0u64, 0u64);
                let mut va = start;
                while va < end {
                    match self.access(p, va, true) {
                        Ok((kind, _)) => {
                            touched += 1;
                            if kind != FaultKind::None {
                                new += 1;
                            }
                        }
                        Err(e) => {
                            let why = match e {
                                FaultError::Segv(w, _) => format!("SIGSEGV: {w}"),
                                FaultError::Oom(w) => format!("out of memory: {w}"),
                                FaultError::Killed => {
                                    format!("process {p} was killed by the OOM killer (see dmesg)")
                                }
                            };
                            return Err(format!(
                                "{why} after touching {touched} page(s) ({new} faulted in)"
                            ));
                        }
                    }
                    va += 4096;
                }
                Ok(format!("touched={touched} faulted={new}\n"))
            }
            ("translate", [p, ad]) => {
                let p = pid(p)?;
                self.translate(p, addr(ad)?)
            }
            ("ps", []) => {
                let mut out = String::from("  PID  PPID   UID    VSZ    RSS  ADJ COMMAND\n");
                for t in self.vmm.tasks.values() {
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
            _ => Err(crate::help::command(cmd)
                .and_then(|h| h.lines().next().map(str::to_string))
                .unwrap_or_else(|| "bad arguments".into())),
        }
    }

    /// Reads `/proc/PID/{maps,status,oom_score,oom_score_adj}`.
    pub(crate) fn read_pid_file(&self, pid: u32, file: &str) -> Option<Result<String, String>> {
        let t = self.vmm.tasks.get(&pid)?;
        Some(Ok(match file {
            "maps" => crate::procfs::maps(t),
            "status" => crate::procfs::status(t),
            "oom_score" => format!("{}\n", self.oom_score(t)),
            "oom_score_adj" => format!("{}\n", t.oom_score_adj),
            _ => {
                return Some(Err(format!(
                    "/proc/{pid}/{file}: No such file or directory"
                )))
            }
        }))
    }

    /// Writes `/proc/PID/oom_score_adj` (-1000..1000).
    pub(crate) fn write_oom_score_adj(&mut self, pid: u32, value: &str) -> Result<(), String> {
        let v: i64 = value
            .trim()
            .parse()
            .map_err(|_| format!("'{}' is not an integer (EINVAL)", value.trim()))?;
        if !(-1000..=1000).contains(&v) {
            return Err(format!("{v} is out of range -1000..1000 (EINVAL)"));
        }
        let t = self
            .vmm
            .tasks
            .get_mut(&pid)
            .ok_or_else(|| format!("/proc/{pid}: No such process"))?;
        t.oom_score_adj = v as i16;
        Ok(())
    }
}
