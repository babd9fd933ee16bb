//! Typed errors: each subsystem's enum, their union [`Error`], and [`CommandError`],
//! the one line a failed command prints (`alloc_pages: page allocation failure: ...`),
//! with the command's name put in front in one place. Code decides by variant; users
//! read the `Display`.

pub use crate::boot::BootError;
pub use crate::command::Failure;
pub use crate::page_alloc::error::{BadPage, PageAllocError};
pub use crate::procfs::error::FileError;
pub use crate::shell::error::ShellError;
pub use crate::slub::error::SlabError;
pub use crate::sysctl::SysctlError;
pub use crate::vm::error::{Segv, VmError};
use crate::vmscan::error::FileError as DiskError;
use crate::vmscan::error::SlowPathError;
pub use crate::vocab::gfp::GfpError;
pub use crate::vocab::ArgError;
use std::fmt;

/// Why a command failed, from whichever part of the machine refused it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Error {
    /// The words do not fit the command's synopsis.
    Usage,
    /// An argument could not be read.
    Arg(ArgError),
    /// GFP flags the kernel would not accept.
    Gfp(GfpError),
    /// A `boot` line the model refuses.
    Boot(BootError),
    /// The page allocator.
    PageAlloc(PageAllocError),
    /// SLUB.
    Slab(SlabError),
    /// Virtual memory.
    Vm(VmError),
    /// A vm sysctl write.
    Sysctl(SysctlError),
    /// The command language.
    Shell(ShellError),
    /// A file under /proc.
    File(FileError),
    /// A file on the simulated disk.
    Disk(DiskError),
    /// The allocation slow path gave up (a failure, an OOM kill of the caller, a panic).
    SlowPath(SlowPathError),
}

impl Error {
    /// Rejected input, or a kernel failure.
    pub fn failure(&self) -> Failure {
        match self {
            Error::PageAlloc(e) => e.failure(),
            Error::Slab(e) => e.failure(),
            Error::Vm(e) => e.failure(),
            Error::File(e) => e.failure(),
            Error::Disk(e) => e.failure(),
            Error::SlowPath(_) => Failure::Kernel,
            Error::Usage
            | Error::Arg(_)
            | Error::Gfp(_)
            | Error::Boot(_)
            | Error::Sysctl(_)
            | Error::Shell(_) => Failure::Rejected,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage => f.write_str("usage"),
            Error::Arg(e) => write!(f, "{e}"),
            Error::Gfp(e) => write!(f, "{e}"),
            Error::Boot(e) => write!(f, "{e}"),
            Error::PageAlloc(e) => write!(f, "{e}"),
            Error::Slab(e) => write!(f, "{e}"),
            Error::Vm(e) => write!(f, "{e}"),
            Error::Sysctl(e) => write!(f, "{e}"),
            Error::Shell(e) => write!(f, "{e}"),
            Error::File(e) => write!(f, "{e}"),
            Error::Disk(e) => write!(f, "{e}"),
            Error::SlowPath(e) => write!(f, "{e}"),
        }
    }
}

macro_rules! from_error {
    ($($ty:ty => $var:ident),* $(,)?) => {
        $(impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$var(e)
            }
        })*
    };
}

from_error! {
    ArgError => Arg,
    GfpError => Gfp,
    BootError => Boot,
    PageAllocError => PageAlloc,
    SlabError => Slab,
    VmError => Vm,
    SysctlError => Sysctl,
    ShellError => Shell,
    FileError => File,
    DiskError => Disk,
    SlowPathError => SlowPath,
}

/// A failed command as the user sees it: `PROGRAM: why`. The program is the command
/// (or filter) that complained, or `sh` for the language itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CommandError {
    /// Who complains: the command's name, a filter's, or `sh`.
    pub program: String,
    /// Why.
    pub error: Error,
    /// The program's synopsis, printed for a usage error.
    pub usage: Option<&'static str>,
}

impl CommandError {
    /// Rejected input, or a kernel failure.
    pub fn failure(&self) -> Failure {
        self.error.failure()
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error, self.usage) {
            (Error::Usage, Some(usage)) => write!(f, "{}: usage: {usage}", self.program),
            (e, _) => write!(f, "{}: {e}", self.program),
        }
    }
}
