//! The file and time commands a user types on a real server: `fallocate`, `dd`,
//! `sync`, `rm`, `sleep` (and `cat /data/NAME`, which the shell's `cat` hands here).

use super::error::FileError;
use super::filemap::{Fs, RaState, CAT_CHUNK, DISK_BYTES};
use crate::command::CommandSpec;
use crate::error::Error;
use crate::vm::commands::VmCommand;
use crate::vm::Vm;
use crate::vocab::parse_size;

/// The longest `sleep`: one hour of simulated time.
pub const MAX_SLEEP_MS: u64 = 3_600_000;

/// Reclaim's commands, in the order `help` lists them.
pub const COMMANDS: &[VmCommand] = &[
    CommandSpec {
        name: "fallocate",
        usage: "fallocate -l SIZE /data/NAME",
        summary: "create a file of SIZE bytes on the simulated disk (nothing is cached yet)",
        details: crate::command::details!(
            "The disk under /data holds 8G in up to 64 files. SIZE takes K, M, G. Growing an \
existing file keeps its cached pages."
        ),
        run: fallocate,
    },
    CommandSpec {
        name: "dd",
        usage: "dd if=FILE of=FILE [bs=SIZE] [count=N] [skip=N] [seek=N]",
        summary: "read a file through the page cache (of=/dev/null) or write one (if=/dev/zero)",
        details: crate::command::details!(
            "if=/data/NAME of=/dev/null reads count blocks of bs bytes from block skip, with \
readahead as the kernel sizes it; if=/dev/zero of=/data/NAME writes count blocks at block seek, \
dirtying cached pages (the flusher writes them back past vm.dirty_background_ratio). bs defaults \
to 512; count to the whole file when reading. Prints records and bytes."
        ),
        run: dd,
    },
    CommandSpec {
        name: "sync",
        usage: "sync",
        summary: "write every dirty page to the disk and wait",
        details: crate::command::details!(
            "Dirty pages go under writeback and come back clean; prints how many were written."
        ),
        run: sync,
    },
    CommandSpec {
        name: "rm",
        usage: "rm /data/NAME",
        summary: "delete a file and drop its page cache (dirty pages too)",
        details: crate::command::details!(
            "truncate_inode_pages: every cached page of the file is freed."
        ),
        run: rm,
    },
    CommandSpec {
        name: "sleep",
        usage: "sleep DURATION",
        summary: "let simulated time pass (kswapd's nap, periodic writeback)",
        details: crate::command::details!(
            "DURATION in seconds, or with a suffix: 500ms, 10s, 2m (at most 1h). Each command \
takes 10 ms of simulated time; kswapd naps 100 ms before it sleeps, the flusher wakes every 5 s \
(vm.dirty_writeback_centisecs) and writes data dirty for 30 s (vm.dirty_expire_centisecs)."
        ),
        run: sleep,
    },
];

fn fallocate(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let (size, path) = match a {
        ["-l", size, path] => (*size, *path),
        _ => return Err(Error::Usage),
    };
    let bytes = parse_size(size)?;
    if bytes > DISK_BYTES {
        return Err(FileError::TooLarge.into());
    }
    vm.halted()?;
    let ino = vm.fallocate(path, bytes)?;
    Ok(format!("file={path} ino={ino} size={bytes}\n"))
}

/// `dd`'s `key=value` operands.
#[derive(Default)]
struct DdArgs<'a> {
    input: Option<&'a str>,
    output: Option<&'a str>,
    bs: Option<u64>,
    count: Option<u64>,
    skip: u64,
    seek: u64,
}

fn number(v: &str) -> Result<u64, FileError> {
    parse_size(v).map_err(|_| FileError::BadSize(v.to_string()))
}

fn dd_args<'a>(a: &[&'a str]) -> Result<DdArgs<'a>, FileError> {
    let mut d = DdArgs::default();
    for w in a {
        let (k, v) = w
            .split_once('=')
            .ok_or_else(|| FileError::BadOption(w.to_string()))?;
        match k {
            "if" => d.input = Some(v),
            "of" => d.output = Some(v),
            "bs" => d.bs = Some(number(v)?),
            "count" => d.count = Some(number(v)?),
            "skip" => d.skip = number(v)?,
            "seek" => d.seek = number(v)?,
            _ => return Err(FileError::BadOption(w.to_string())),
        }
    }
    Ok(d)
}

fn dd(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let d = dd_args(a)?;
    let bs = d.bs.unwrap_or(512);
    if bs == 0 || bs > 1 << 30 {
        return Err(FileError::BadSize(bs.to_string()).into());
    }
    match (d.input, d.output) {
        (Some(path), Some("/dev/null")) => {
            let (_, size) = vm.pr.fs.open(path)?;
            let start = d.skip.checked_mul(bs).ok_or(FileError::TooLarge)?;
            let count = match d.count {
                Some(c) => c,
                None => size.saturating_sub(start).div_ceil(bs),
            };
            if count.checked_mul(bs).is_none_or(|b| b > DISK_BYTES) {
                return Err(FileError::TooLarge.into());
            }
            vm.halted()?;
            let ino = vm.pr.fs.lookup(path).map_or(0, |i| i.ino);
            let mut ra = RaState::default();
            let (mut bytes, mut read, mut full, mut partial) = (0, 0, 0, 0);
            for r in 0..count {
                let res = vm.filemap_read(ino, start + r * bs, bs, &mut ra)?;
                if res.bytes == 0 {
                    break;
                }
                bytes += res.bytes;
                read += res.pages_read;
                if res.bytes == bs {
                    full += 1;
                } else {
                    partial += 1;
                }
            }
            Ok(format!(
                "{full}+{partial} records in\n{full}+{partial} records out\nbytes={bytes} pages_read={read}\n"
            ))
        }
        (Some("/dev/zero"), Some(path)) => {
            Fs::check_path(path)?;
            let start = d.seek.checked_mul(bs).ok_or(FileError::TooLarge)?;
            let count = d.count.unwrap_or(1);
            let bytes = count.checked_mul(bs).ok_or(FileError::TooLarge)?;
            if start.checked_add(bytes).is_none_or(|e| e > DISK_BYTES) {
                return Err(FileError::TooLarge.into());
            }
            vm.halted()?;
            // O_CREAT: the file appears, then the disk must hold what grows.
            let ino = match vm.pr.fs.lookup(path) {
                Some(i) => i.ino,
                None => vm.fallocate(path, 0)?,
            };
            let size = vm.pr.fs.inode(ino).map_or(0, |i| i.size);
            let grow = (start + bytes).saturating_sub(size).div_ceil(4096) * 4096;
            if vm.pr.fs.used() + grow > DISK_BYTES {
                return Err(FileError::NoSpace.into());
            }
            vm.filemap_write(ino, start, bytes)?;
            Ok(format!(
                "{count}+0 records in\n{count}+0 records out\nbytes={bytes}\n"
            ))
        }
        _ => Err(FileError::DdEnds.into()),
    }
}

fn sync(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    if !a.is_empty() {
        return Err(Error::Usage);
    }
    vm.halted()?;
    let n = vm.sync();
    Ok(format!("written={n}\n"))
}

fn rm(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [path] = a else {
        return Err(Error::Usage);
    };
    vm.halted()?;
    let n = vm.unlink(path)?;
    Ok(format!("file={path} dropped={n}\n"))
}

/// Parses a duration: seconds, or a number with `ms`, `s`, `m` or `h`.
pub fn parse_duration(text: &str) -> Option<u64> {
    let (num, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3_600_000)
    } else {
        (text, 1000)
    };
    num.parse::<u64>().ok()?.checked_mul(scale)
}

fn sleep(vm: &mut Vm<'_>, a: &[&str]) -> Result<String, Error> {
    let [d] = a else {
        return Err(Error::Usage);
    };
    let ms = parse_duration(d)
        .filter(|ms| *ms <= MAX_SLEEP_MS)
        .ok_or_else(|| FileError::BadSize(d.to_string()))?;
    vm.halted()?;
    // The command's own tick is 10 ms of it.
    let ticks = ms.div_ceil(crate::kernel::TICK_MS).saturating_sub(1);
    vm.k.ticks += ticks;
    Ok(format!("now={}ms\n", vm.k.now_ms()))
}

/// `cat /data/NAME`: the whole file read in 128 KiB chunks through one readahead
/// state, as coreutils' cat does.
pub fn cat_file(vm: &mut Vm<'_>, path: &str) -> Result<String, Error> {
    let (ino, size) = vm.pr.fs.open(path)?;
    vm.halted()?;
    let mut ra = RaState::default();
    let (mut bytes, mut read) = (0, 0);
    let mut pos = 0;
    while pos < size {
        let res = vm.filemap_read(ino, pos, CAT_CHUNK, &mut ra)?;
        if res.bytes == 0 {
            break;
        }
        bytes += res.bytes;
        read += res.pages_read;
        pos += res.bytes;
    }
    Ok(format!("file={path} bytes={bytes} pages_read={read}\n"))
}

impl Vm<'_> {
    /// Refuses work on a machine that has panicked.
    pub(crate) fn halted(&self) -> Result<(), FileError> {
        match &self.pr.panicked {
            Some(why) => Err(FileError::Halted(why.clone())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_read_like_the_shell() {
        assert_eq!(parse_duration("5"), Some(5000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("1h"), Some(3_600_000));
        assert_eq!(parse_duration("x"), None);
    }
}
