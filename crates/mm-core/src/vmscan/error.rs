//! What the file commands refuse, and how the allocation slow path can end.

use crate::command::Failure;
use crate::page_alloc::error::PageAllocError;
use std::fmt;

/// Where the simulated disk is mounted.
pub const MOUNT: &str = "/data";
/// The disk's size: 8 GiB (a `cat` of the largest file moves at most 2 Mi pages).
pub const DISK_BYTES: u64 = 8 << 30;
/// Files the disk holds at most.
pub const MAX_FILES: usize = 64;

/// A file command that did not succeed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FileError {
    /// Not a path under /data.
    NotOnDisk(String),
    /// Not a file name the disk accepts.
    BadName(String),
    /// No such file.
    NoSuchFile(String),
    /// The disk is full (`ENOSPC`).
    NoSpace,
    /// The disk holds its maximum number of files.
    TooManyFiles,
    /// A size or count that is not a number of bytes, or out of range.
    BadSize(String),
    /// An option the command does not take.
    BadOption(String),
    /// `dd` needs `if=` and `of=`, one of them /data.
    DdEnds,
    /// A read or write past what the disk can hold.
    TooLarge,
    /// The machine has panicked.
    Halted(String),
}

impl FileError {
    /// Refused input, or the kernel's own failure.
    pub fn failure(&self) -> Failure {
        match self {
            FileError::NoSpace => Failure::Kernel,
            _ => Failure::Rejected,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotOnDisk(p) => write!(
                f,
                "{p}: only files under {} are on the simulated disk",
                MOUNT
            ),
            FileError::BadName(p) => write!(
                f,
                "{p}: a file name is 1 to 64 of A-Z a-z 0-9 . _ - (no subdirectories)"
            ),
            FileError::NoSuchFile(p) => write!(f, "{p}: No such file or directory"),
            FileError::NoSpace => write!(
                f,
                "No space left on device (the disk under /data holds {} GiB)",
                DISK_BYTES >> 30
            ),
            FileError::TooManyFiles => write!(
                f,
                "the disk holds at most {} files; rm one first",
                MAX_FILES
            ),
            FileError::BadSize(s) => write!(f, "invalid number '{s}'"),
            FileError::BadOption(s) => write!(f, "unrecognized operand '{s}'"),
            FileError::DdEnds => write!(
                f,
                "give if= and of=: if=/data/NAME of=/dev/null reads, if=/dev/zero of=/data/NAME writes"
            ),
            FileError::TooLarge => write!(
                f,
                "that is more than the disk holds ({} GiB)",
                DISK_BYTES >> 30
            ),
            FileError::Halted(why) => write!(
                f,
                "the machine has halted (Kernel panic - not syncing: {why}); type boot to restart it"
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// How a slow-path allocation ended without a page.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SlowPathError {
    /// `warn_alloc`'s page allocation failure (or a request the allocator refuses).
    Alloc(PageAllocError),
    /// The OOM killer chose the allocating task itself.
    Killed(u32),
    /// Nothing was killable: the kernel panicked.
    Panic,
    /// What the page was for went away while it was allocated.
    Gone,
}

impl fmt::Display for SlowPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlowPathError::Alloc(e) => write!(f, "{e}"),
            SlowPathError::Killed(pid) => {
                write!(f, "process {pid} was killed by the OOM killer (see dmesg)")
            }
            SlowPathError::Panic => write!(
                f,
                "Kernel panic - not syncing: System is deadlocked on memory (see dmesg; type boot to restart)"
            ),
            SlowPathError::Gone => write!(f, "the file went away"),
        }
    }
}
