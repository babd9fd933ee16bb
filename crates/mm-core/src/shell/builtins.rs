//! The shell's own commands, which work on the machine as a whole: `boot`, `cat`,
//! `echo`, `sysctl`, `ls`, `dmesg`, `help`. They read and write /proc through its
//! registry and know no subsystem's internals.

use super::error::ShellError;
use crate::boot::BootParams;
use crate::command::CommandSpec;
use crate::error::Error;
use crate::machine::Machine;
use crate::procfs::error::FileError;
use crate::sysctl::{SysctlError, NAMES as SYSCTL_NAMES};

/// A command of the shell itself: it gets the whole machine.
pub type ShellCommand = CommandSpec<fn(&mut Machine, &[&str]) -> Result<String, Error>>;

/// `boot`, listed first by `help`.
pub const BOOT: &[ShellCommand] = &[CommandSpec {
    name: "boot",
    usage: "boot [mem=SIZE] [cpus=N] [swap=SIZE] [pcp=on|off] [dma=SIZE] [dma32=SIZE] [reserve=SIZE@ADDR] [caches=typical] [la57=on] [slub_min_objects=N] [slub_min_order=N] [slub_max_order=N]",
    summary: "reset to a freshly booted machine",
    details: crate::command::details!("Defaults: mem=1G cpus=2 swap=0 pcp=off dma=16M dma32=4G. RAM is one range from \
address 0; the first 1M is reserved, as on x86-64 since v5.13. dma= and dma32= move the zone \
boundaries (multiples of 4M), so a small machine can have all three zones: \
boot mem=64M dma=4M dma32=32M. reserve=64K@0x200000 keeps a range from the buddy allocator. \
caches=typical adds busy kernel caches (dentry, inode_cache, ...) so /proc/slabinfo looks like a real \
machine's; slub_min_objects=, slub_min_order=, slub_max_order= are the kernel's SLUB boot options; \
la57=on boots 5-level paging."),
    run: boot,
}];

/// The file and log commands, listed last by `help`.
pub const SHELL: &[ShellCommand] = &[
    CommandSpec {
        name: "cat",
        usage: "cat FILE... [> /dev/null]",
        summary: "print a /proc file, or read a /data file through the page cache",
        details: crate::command::details!(
            "Pipe into head -n N, tail -n N, grep PATTERN or wc -l: cat /proc/meminfo | grep Mem"
        ),
        run: cat,
    },
    CommandSpec {
        name: "echo",
        usage: "echo VALUE [> FILE]",
        summary: "print VALUE, or write it to a writable /proc file",
        details: crate::command::details!(
            "echo 8192 > /proc/sys/vm/min_free_kbytes recomputes the watermarks; \
echo -500 > /proc/2/oom_score_adj biases the OOM killer."
        ),
        run: echo,
    },
    CommandSpec {
        name: "sysctl",
        usage: "sysctl [-a] [-w] NAME[=VALUE]...",
        summary: "read or write vm.* tunables",
        details: crate::command::details!(
            "sysctl vm.min_free_kbytes reads; sysctl -w vm.min_free_kbytes=8192 writes; \
sysctl -a lists every tunable this sandbox has. Several assignments apply all or none."
        ),
        run: sysctl,
    },
    CommandSpec {
        name: "ls",
        usage: "ls [DIR]",
        summary: "list the files under /proc (or under DIR)",
        details: crate::command::details!(
            "ls /proc/sys/vm lists the tunables; ls /proc/1 the files of process 1."
        ),
        run: ls,
    },
    CommandSpec {
        name: "dmesg",
        usage: "dmesg",
        summary: "print the kernel log",
        details: crate::command::details!(
            "Boot messages, allocation failures and complaints, with simulated timestamps \
(each command advances the clock by 10 ms). A ring buffer of 128 KiB, as log_buf_len: the \
oldest lines go first."
        ),
        run: dmesg,
    },
    CommandSpec {
        name: "help",
        usage: "help [COMMAND]",
        summary: "list commands, or explain one",
        details: crate::command::details!(
            "help alloc_pages explains alloc_pages; help grep explains a filter."
        ),
        run: help,
    },
];

fn boot(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    let params = BootParams::parse(a.iter().copied())?;
    let (recording, budget) = (m.recording(), m.event_budget());
    *m = Machine::boot(params);
    m.set_recording(recording);
    m.set_event_budget(budget);
    Ok(format!(
        "booted {} managed_pages={} free_pages={}\n",
        m.params().to_args(),
        m.node().totalram_pages(),
        m.node().nr_free_pages()
    ))
}

/// `cat FILE... [> /dev/null]`: /proc files print; files under /data are read
/// through the page cache (their contents are not modelled: a summary line says what
/// was read, and `> /dev/null` discards even that).
fn cat(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    let (paths, null) = match a {
        [p @ .., ">", "/dev/null"] | [p @ .., ">/dev/null"] => (p, true),
        _ => (a, false),
    };
    if paths.is_empty() {
        return Err(Error::Usage);
    }
    if paths.iter().any(|p| p.starts_with('>')) {
        return Err(ShellError::CatRedirect.into());
    }
    // Check every path before reading any, so a bad one changes nothing.
    for path in paths {
        if path.starts_with("/data") {
            crate::vmscan::filemap::Fs::check_path(path)?;
            if m.pr.fs.lookup(path).is_none() {
                return Err(crate::vmscan::error::FileError::NoSuchFile(path.to_string()).into());
            }
        } else {
            m.read_file(path)?;
        }
    }
    let mut out = String::new();
    for path in paths {
        if path.starts_with("/data") {
            out.push_str(&crate::vmscan::commands::cat_file(&mut m.vm(), path)?);
        } else {
            out.push_str(&m.read_file(path)?);
        }
    }
    Ok(if null { String::new() } else { out })
}

/// `echo WORDS`, or `echo VALUE > FILE` / `echo VALUE >FILE`.
fn echo(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    let Some(i) = a.iter().position(|w| w.starts_with('>')) else {
        return Ok(format!("{}\n", crate::vocab::join(a, " ")));
    };
    let value = crate::vocab::join(&a[..i], " ");
    let target = if a[i] == ">" {
        a.get(i + 1).copied()
    } else {
        Some(&a[i][1..])
    };
    let Some(path) = target.filter(|p| !p.is_empty()) else {
        return Err(ShellError::NoFileAfterRedirect.into());
    };
    if a.len() > i + 2 || (a[i] != ">" && a.len() > i + 1) {
        return Err(ShellError::OneFileAfterRedirect.into());
    }
    m.write_file(path, &value)?;
    Ok(String::new())
}

/// A `vm.NAME` key's short name.
fn short(name: &str) -> Result<&str, SysctlError> {
    name.strip_prefix("vm.")
        .ok_or_else(|| SysctlError::NotVm(name.replace('.', "/")))
}

/// `sysctl -a`, `sysctl NAME...`, `sysctl [-w] NAME=VALUE...`: every item is checked
/// before any is applied, so a bad one changes nothing (all or nothing).
fn sysctl(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    if a == ["-a"] {
        return Ok(SYSCTL_NAMES
            .iter()
            .map(|n| format!("vm.{n} = {}\n", m.vm_sysctl().get(n).unwrap_or_default()))
            .collect());
    }
    let (write, items) = match a {
        ["-w", rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    if items.is_empty() || items.iter().any(|w| w.starts_with('-')) {
        return Err(Error::Usage);
    }
    // Check every item first, on a copy of the tunables.
    let mut trial = m.vm_sysctl().clone();
    for item in items {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None if write => return Err(SysctlError::NotAnAssignment(item.to_string()).into()),
            None => (*item, None),
        };
        let name = short(key)?;
        if trial.get(name).is_none() {
            return Err(SysctlError::Unknown(name.to_string()).into());
        }
        if let Some(value) = value {
            trial.set(name, value).map_err(|e| SysctlError::Setting {
                key: key.to_string(),
                source: Box::new(e),
            })?;
        }
    }
    let mut out = String::new();
    for item in items {
        match item.split_once('=') {
            Some((key, value)) => {
                let name = short(key)?;
                m.sysctl_write(name, value)?;
                let shown = m.vm_sysctl().get(name).unwrap_or_default();
                out.push_str(&format!("{key} = {shown}\n"));
            }
            None => {
                let v = m.vm_sysctl().get(short(item)?).unwrap_or_default();
                out.push_str(&format!("{item} = {v}\n"));
            }
        }
    }
    Ok(out)
}

fn ls(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    let dir = match a {
        [] => "/proc",
        [d] => d.trim_end_matches('/'),
        _ => return Err(Error::Usage),
    };
    let under = format!("{dir}/");
    let files: Vec<String> = m
        .files()
        .into_iter()
        .filter(|f| f.starts_with(&under))
        .collect();
    if files.is_empty() {
        return Err(match m.read_file(dir) {
            Ok(_) => FileError::NotADirectory(dir.to_string()),
            Err(_) => FileError::NoSuchFile(dir.to_string()),
        }
        .into());
    }
    Ok(files.iter().map(|f| format!("{f}\n")).collect())
}

fn dmesg(m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    if !a.is_empty() {
        return Err(ShellError::DmesgOptions.into());
    }
    let mut out = String::new();
    if m.k.log.dropped() > 0 {
        out.push_str(&format!(
            "[mmsim: {} earlier line(s) overwritten: the log buffer holds {} KiB, as log_buf_len]\n",
            m.k.log.dropped(),
            crate::printk::LOG_BUF_LEN >> 10
        ));
    }
    out.extend(m.dmesg().map(|l| format!("{l}\n")));
    Ok(out)
}

fn help(_m: &mut Machine, a: &[&str]) -> Result<String, Error> {
    match a {
        [] => Ok(super::registry::overview()),
        ["limits"] => Ok(super::registry::limits()),
        [name] => super::registry::help(name)
            .ok_or_else(|| ShellError::NoCommand(name.to_string()).into()),
        _ => Err(Error::Usage),
    }
}
