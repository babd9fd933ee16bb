//! What reading or writing a /proc file can fail with.

use crate::command::Failure;
use crate::error::Error;
use std::fmt;

/// A /proc path that cannot be read or written.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FileError {
    /// No such file.
    NoSuchFile(String),
    /// A directory, not a file.
    IsADirectory(String),
    /// A file where a directory was expected.
    NotADirectory(String),
    /// A file that cannot be written.
    PermissionDenied(String),
    /// A /proc file that cannot be read (`pde_read` without `proc_read`: EIO).
    Io(String),
    /// A sysrq key other than `f`.
    SysrqKey(String),
    /// The file's handler refused the value.
    WriteError(Box<Error>),
}

impl FileError {
    /// A refused write fails the way its handler's error does; the rest is refused input.
    pub fn failure(&self) -> Failure {
        match self {
            FileError::WriteError(e) => e.failure(),
            _ => Failure::Rejected,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NoSuchFile(p) => write!(f, "{p}: No such file or directory"),
            FileError::IsADirectory(p) => write!(f, "{p}: Is a directory"),
            FileError::NotADirectory(p) => write!(f, "{p}: Not a directory"),
            FileError::PermissionDenied(p) => write!(f, "{p}: Permission denied"),
            FileError::Io(p) => write!(f, "{p}: Input/output error"),
            FileError::SysrqKey(k) => write!(
                f,
                "sysrq key '{k}': mm-sandbox models only f (memory-full-oom-kill)"
            ),
            FileError::WriteError(e) => write!(f, "write error: {e}"),
        }
    }
}
