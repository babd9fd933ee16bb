//! What virtual memory refuses, and how an access or a mapping fails.

use super::pgtable::PtLevel;
use crate::command::Failure;
use crate::page_alloc::error::PageAllocError;
use crate::slub::error::SlabError;
use std::fmt;

/// Why an access gets SIGSEGV.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Segv {
    /// The address is not canonical: a general protection fault.
    NotCanonical(u64),
    /// No mapping covers the address (`SEGV_MAPERR`).
    MapErr(u64),
    /// The mapping forbids the access (`SEGV_ACCERR`).
    AccErr {
        /// A write?
        write: bool,
        /// The address.
        va: u64,
        /// The mapping's `rwxp`.
        perms: String,
    },
}

impl fmt::Display for Segv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segv::NotCanonical(va) => {
                write!(f, "{va:#x} is not canonical (general protection fault)")
            }
            Segv::MapErr(va) => write!(f, "no mapping at {va:#x} (SEGV_MAPERR)"),
            Segv::AccErr { write, va, perms } => write!(
                f,
                "{} to {va:#x} in a {perms} mapping (SEGV_ACCERR)",
                if *write { "write" } else { "read" }
            ),
        }
    }
}

/// A virtual-memory command or call that did not succeed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum VmError {
    /// No process has this pid.
    NoProcess(u32),
    /// Not a name a task may have (`TASK_COMM_LEN`).
    BadComm(String),
    /// pid 1 cannot exit.
    InitCannotExit,
    /// A length of 0 (EINVAL).
    LengthZero,
    /// A length longer than user space (ENOMEM).
    TooLong,
    /// An address that is not page-aligned (EINVAL).
    NotAligned(u64),
    /// A range past the end of user space (EINVAL).
    PastUserSpace,
    /// A break below the heap's start (EINVAL).
    BelowHeapStart,
    /// A size that overflows when rounded to pages (EINVAL).
    Overflow,
    /// `MAP_PRIVATE` with `MAP_SHARED` (EINVAL).
    PrivateAndShared,
    /// A `PROT_*`/`MAP_*` word this model does not know.
    UnknownMmapFlag(String),
    /// A `brk` delta beyond 63 bits.
    SizeTooLarge,
    /// A `touch` range beyond 64 bits.
    RangeTooLarge,
    /// `get_unmapped_area` found no gap (ENOMEM).
    NoGap,
    /// `brk` would run into another mapping (ENOMEM).
    HeapClash,
    /// `__vm_enough_memory` refused the charge (ENOMEM).
    Overcommit,
    /// fork's charge for one of the parent's mappings was refused.
    ForkCharge {
        /// Pages of the mapping.
        pages: u64,
        /// Its start.
        start: u64,
        /// Its end.
        end: u64,
    },
    /// No page for a page table (ENOMEM).
    PageTable {
        /// The table's level.
        level: PtLevel,
        /// Why the page allocator said no.
        source: PageAllocError,
    },
    /// A user page could not be allocated and nothing could be killed for it.
    NoVictim(PageAllocError),
    /// SLUB could not give a kernel object.
    Slab(SlabError),
    /// The page allocator could not give a kernel page (a kernel stack).
    PageAlloc(PageAllocError),
    /// An address `translate` cannot walk.
    NotCanonical {
        /// The address.
        va: u64,
        /// 5-level paging?
        la57: bool,
    },
    /// The access got SIGSEGV.
    Segv {
        /// Why.
        why: Segv,
        /// The page-fault error code (`X86_PF_*`).
        code: u64,
    },
    /// The access failed for want of memory.
    OutOfMemory(Box<VmError>),
    /// The faulting process was the OOM killer's victim.
    Killed(u32),
    /// The OOM killer found nothing to kill: the kernel panicked.
    Panic,
    /// `oom_score_adj` takes an integer.
    AdjNotInteger(String),
    /// `oom_score_adj` takes -1000..1000.
    AdjOutOfRange(i64),
    /// `/proc/PID` of a process that does not exist.
    NoProcessDir(u32),
    /// A page table the sandbox has no room for (a limit of mm-sandbox, not Linux).
    TableBudget,
    /// A range whose page tables could exceed the sandbox's room for them: refused
    /// before anything is touched.
    RangeTooSparse {
        /// Tables it could need.
        tables: u64,
    },
    /// An access to a page of a mapped file past its end (`VM_FAULT_SIGBUS`).
    Sigbus {
        /// The address.
        va: u64,
        /// The file.
        file: String,
    },
    /// `mmap` of a file that is not there (ENOENT).
    NoFile(String),
    /// An `offset=` that is not a multiple of 4096, or not a number (EINVAL).
    BadOffset(String),
    /// Reclaim took the faulting page while the fault allocated, again and again.
    FaultRetry,
    /// `touch` stopped part-way; the pages before stay faulted in.
    TouchStopped {
        /// What stopped it.
        cause: Box<VmError>,
        /// Pages touched before.
        touched: u64,
        /// Of those, pages that faulted.
        faulted: u64,
    },
}

impl VmError {
    /// Failures of memory (ENOMEM, SIGSEGV, an OOM kill, a touch stopped part-way) are
    /// the kernel's; bad arguments and unknown processes are refused input.
    pub fn failure(&self) -> Failure {
        match self {
            VmError::NoGap
            | VmError::TableBudget
            | VmError::HeapClash
            | VmError::Overcommit
            | VmError::ForkCharge { .. }
            | VmError::PageTable { .. }
            | VmError::NoVictim(_)
            | VmError::Segv { .. }
            | VmError::Sigbus { .. }
            | VmError::FaultRetry
            | VmError::OutOfMemory(_)
            | VmError::Killed(_)
            | VmError::Panic
            | VmError::TouchStopped { .. } => Failure::Kernel,
            VmError::Slab(e) => e.failure(),
            VmError::PageAlloc(e) => e.failure(),
            _ => Failure::Rejected,
        }
    }
}

impl From<PageAllocError> for VmError {
    fn from(e: PageAllocError) -> VmError {
        VmError::PageAlloc(e)
    }
}

impl From<SlabError> for VmError {
    fn from(e: SlabError) -> VmError {
        VmError::Slab(e)
    }
}

impl fmt::Display for VmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VmError::NoProcess(pid) => write!(f, "no process {pid}"),
            VmError::BadComm(comm) => write!(
                f,
                "'{comm}' is not a command name (1-15 visible characters, TASK_COMM_LEN)"
            ),
            VmError::InitCannotExit => {
                f.write_str("init cannot exit (the kernel would panic: Attempted to kill init!)")
            }
            VmError::LengthZero => f.write_str("EINVAL: length must be at least 1 byte"),
            VmError::TooLong => f.write_str("ENOMEM: longer than the whole address space"),
            VmError::NotAligned(addr) => write!(f, "EINVAL: {addr:#x} is not page-aligned"),
            VmError::PastUserSpace => {
                f.write_str("EINVAL: the range runs past the end of user space")
            }
            VmError::BelowHeapStart => {
                f.write_str("EINVAL: the break cannot go below the start of the heap")
            }
            VmError::Overflow => f.write_str("EINVAL"),
            VmError::PrivateAndShared => f.write_str("EINVAL: MAP_PRIVATE and MAP_SHARED together"),
            VmError::UnknownMmapFlag(flag) => write!(
                f,
                "unknown flag '{flag}' (PROT_READ PROT_WRITE PROT_EXEC PROT_NONE MAP_PRIVATE \
                 MAP_SHARED MAP_ANONYMOUS MAP_NORESERVE, a file /data/NAME, offset=N)"
            ),
            VmError::SizeTooLarge => f.write_str("size too large"),
            VmError::RangeTooLarge => f.write_str("range too large"),
            VmError::NoGap => f.write_str("ENOMEM: no gap in the address space is large enough"),
            VmError::HeapClash => f.write_str("ENOMEM: the heap would run into another mapping"),
            VmError::Overcommit => {
                f.write_str("ENOMEM: not enough memory for the allocation (overcommit)")
            }
            VmError::ForkCharge { pages, start, end } => write!(
                f,
                "{} (charging {pages} pages for {start:#x}-{end:#x})",
                VmError::Overcommit
            ),
            VmError::PageTable { level, source } => {
                write!(f, "ENOMEM: no page for a {level} table ({source})")
            }
            VmError::NoVictim(e) => write!(f, "{e}; no process left to kill"),
            VmError::Slab(e) => write!(f, "{e}"),
            VmError::PageAlloc(e) => write!(f, "{e}"),
            VmError::NotCanonical { va, la57 } => {
                let top = if *la57 { 56 } else { 47 };
                write!(
                    f,
                    "{va:#x} is not canonical: bits 63-{top} must all equal bit {top}"
                )
            }
            VmError::Segv { why, .. } => write!(f, "SIGSEGV: {why}"),
            VmError::Sigbus { va, file } => write!(
                f,
                "SIGBUS: {va:#x} maps a page past the end of {file} (BUS_ADRERR)"
            ),
            VmError::NoFile(path) => write!(f, "{path}: No such file or directory"),
            VmError::FaultRetry => f.write_str(
                "the fault was retried 8 times: reclaim took the page each time it allocated",
            ),
            VmError::BadOffset(v) => write!(
                f,
                "EINVAL: offset={v} must be a multiple of the page size (4096)"
            ),
            VmError::OutOfMemory(why) => write!(f, "out of memory: {why}"),
            VmError::Panic => write!(
                f,
                "Kernel panic - not syncing: System is deadlocked on memory (see dmesg; type boot to restart)"
            ),
            VmError::Killed(pid) => {
                write!(f, "process {pid} was killed by the OOM killer (see dmesg)")
            }
            VmError::TableBudget => write!(
                f,
                "the sandbox's room for page tables ({} MiB, {} tables) is full; a limit of \
                 mm-sandbox, not of Linux (see help limits)",
                crate::limits::PAGE_TABLE_MEMORY >> 20,
                crate::limits::PAGE_TABLE_MEMORY >> 12
            ),
            VmError::RangeTooSparse { tables } => write!(
                f,
                "refused: the range could need {tables} more page tables, beyond the sandbox's \
                 room for them ({} tables, {} MiB); a limit of mm-sandbox, not of Linux (see \
                 help limits)",
                crate::limits::PAGE_TABLE_MEMORY >> 12,
                crate::limits::PAGE_TABLE_MEMORY >> 20
            ),
            VmError::AdjNotInteger(v) => write!(f, "'{v}' is not an integer (EINVAL)"),
            VmError::AdjOutOfRange(v) => write!(f, "{v} is out of range -1000..1000 (EINVAL)"),
            VmError::NoProcessDir(pid) => write!(f, "/proc/{pid}: No such process"),
            VmError::TouchStopped {
                cause,
                touched,
                faulted,
            } => write!(
                f,
                "{cause} after touching {touched} page(s) ({faulted} faulted in)"
            ),
        }
    }
}
