//! Virtual memory's steps: processes, mappings, commit charges, faults, page tables,
//! copy-on-write, the walk and the OOM killer. Fields, kernel function, tracepoint
//! (`task.h`, `sched.h`, `exceptions.h`, `oom.h`) and sentence side by side.

use super::pgtable::{flag_names, PtLevel};
use crate::event::define::{define_events, hex};
use crate::sysctl::OvercommitMode;
use crate::vocab::Pfn;
use serde::{Serialize, Serializer};
use std::fmt;

/// A mapping's permissions as /proc/PID/maps prints them: `rw-p`, `r--s`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Perms(pub [u8; 4]);

impl Perms {
    /// Whether the mapping is writable.
    pub fn writable(self) -> bool {
        self.0[1] == b'w'
    }
}

impl fmt::Display for Perms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{}", char::from(b))?;
        }
        Ok(())
    }
}

/// In JSON, the four letters.
impl Serialize for Perms {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a page fault (or a write to a write-protected page) did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum FaultKind {
    /// No fault: the page was mapped already.
    None,
    /// The PTE was empty (`do_pte_missing`).
    Missing,
    /// A write hit a write-protected PTE (`do_wp_page`).
    WriteProtected,
    /// A read mapped the shared zero page.
    ZeroPage,
    /// A write got a new zeroed page.
    NewPage,
    /// Copy-on-write copied the page.
    CowCopy,
    /// Copy-on-write reused the page (this mapping was its last).
    CowReuse,
    /// A shared anonymous page was created.
    ShmemNew,
    /// An existing shared anonymous page was mapped.
    ShmemMapped,
    /// The PTE held a swap entry (`do_swap_page`).
    Swap,
    /// A swapped-out page was read back from swap (a major fault).
    SwapIn,
    /// A swapped-out page was found in the swap cache (a minor fault).
    SwapCache,
    /// A mapped file's page was found in the page cache (a minor fault).
    FileCache,
    /// A mapped file's page was read from the disk (a major fault).
    FileRead,
}

define_events! {
    /// One micro-step of virtual memory (`mm/memory.c`, `mm/mmap.c`, `mm/vma.c`,
    /// `kernel/fork.c`, `mm/util.c`, `mm/oom_kill.c`).
    pub enum VmEvent {
        /// `copy_process`: a task was created.
        TaskCreated {
            /// Its pid.
            pid: u32,
            /// Its command name.
            comm: Box<str>,
            /// Its parent.
            parent: u32,
        }
            function: "copy_process",
            tracepoint: Some("task:task_newtask"),
            sentence: format!("process {pid} ({comm}) is born, child of {parent}."),

        /// `do_exit`: a task is gone and its memory freed.
        TaskExit {
            /// Its pid.
            pid: u32,
        }
            function: "do_exit",
            tracepoint: Some("sched:sched_process_exit"),
            sentence: format!(
                "process {pid} exits; its pages, page tables and charges are freed."
            ),

        /// A VMA was created (or grown by merging).
        VmaCreated {
            /// The process.
            pid: u32,
            /// Start.
            #[serde(with = "hex")]
            start: u64,
            /// End.
            #[serde(with = "hex")]
            end: u64,
            /// `rwxp`.
            perms: Perms,
            /// Its name in /proc/PID/maps.
            name: Box<str>,
        }
            function: "mmap_region",
            tracepoint: None,
            sentence: format!(
                "process {pid} maps {start:#x}-{end:#x} {perms}{}{name} ({} KiB).",
                if name.is_empty() { "" } else { " " },
                (end - start) >> 10
            ),

        /// A VMA was removed.
        VmaRemoved {
            /// The process.
            pid: u32,
            /// Start.
            #[serde(with = "hex")]
            start: u64,
            /// End.
            #[serde(with = "hex")]
            end: u64,
        }
            function: "do_vmi_munmap",
            tracepoint: None,
            sentence: format!("process {pid} unmaps {start:#x}-{end:#x}."),

        /// `__vm_enough_memory`: pages charged to Committed_AS, and the verdict.
        CommitCharge {
            /// The process.
            pid: u32,
            /// Pages charged.
            pages: u64,
            /// Committed_AS after charging.
            committed: u64,
            /// The limit the policy compared against.
            limit: u64,
            /// `vm.overcommit_memory`.
            mode: OvercommitMode,
            /// Whether the charge stands.
            ok: bool,
        }
            function: "__vm_enough_memory",
            tracepoint: None,
            sentence: format!(
                "charge {pages} page(s) for process {pid}: Committed_AS is now {committed} \
                 pages; overcommit_memory={} {} ({}).",
                mode.value(),
                if *ok { "allows it" } else { "refuses it" },
                match mode {
                    OvercommitMode::Guess => format!(
                        "heuristic: one request may not exceed RAM + swap = {limit} pages"
                    ),
                    OvercommitMode::Always => "always overcommit".to_string(),
                    OvercommitMode::Never => format!("strict: must stay below {limit} pages"),
                }
            ),

        /// `vm_unacct_memory`.
        CommitUncharge {
            /// The process.
            pid: u32,
            /// Pages uncharged.
            pages: u64,
            /// Committed_AS after.
            committed: u64,
        }
            function: "vm_unacct_memory",
            tracepoint: None,
            sentence: format!(
                "uncharge {pages} page(s) of process {pid}: Committed_AS is now {committed} pages."
            ),

        /// `handle_mm_fault`: a page fault.
        Fault {
            /// The process.
            pid: u32,
            /// The address.
            #[serde(with = "hex")]
            addr: u64,
            /// A write?
            write: bool,
            /// What kind.
            fault: FaultKind,
        }
            function: "handle_mm_fault",
            tracepoint: Some("exceptions:page_fault_user"),
            sentence: format!(
                "process {pid} {} {addr:#x}: {}.",
                if *write { "writes" } else { "reads" },
                match fault {
                    FaultKind::Missing => "no PTE yet, a page fault",
                    FaultKind::WriteProtected => {
                        "the PTE is write-protected, a write-protect fault (do_wp_page)"
                    }
                    FaultKind::Swap => "the PTE holds a swap entry, a swap fault (do_swap_page)",
                    _ => "fault",
                }
            ),

        /// `pgd_alloc`, `__pud_alloc`, `__pmd_alloc`, `__pte_alloc`: a page-table page
        /// was allocated.
        PageTableAlloc {
            /// The process.
            pid: u32,
            /// Which level the new table is.
            level: PtLevel,
            /// Its page.
            pfn: Pfn,
        }
            function: level.alloc_fn(),
            tracepoint: None,
            sentence: format!("process {pid} gets a new {level} table at pfn {pfn}."),

        /// `free_pgtables`: an empty page-table page was freed.
        PageTableFree {
            /// The process.
            pid: u32,
            /// Which level.
            level: PtLevel,
            /// Its page.
            pfn: Pfn,
        }
            function: "free_pgtables",
            tracepoint: None,
            sentence: format!("process {pid}'s empty {level} table at pfn {pfn} is freed."),

        /// `set_pte_at`: a PTE was written.
        PteSet {
            /// The process.
            pid: u32,
            /// The virtual page.
            #[serde(with = "hex")]
            addr: u64,
            /// The new entry.
            #[serde(with = "hex")]
            pte: u64,
        }
            function: "set_pte_at",
            tracepoint: None,
            sentence: format!(
                "process {pid}'s PTE for {addr:#x} = {pte:#018x} ({}).",
                flag_names(*pte)
            ),

        /// `wp_page_copy`: copy-on-write made a private copy.
        CowCopy {
            /// The process.
            pid: u32,
            /// The virtual page.
            #[serde(with = "hex")]
            addr: u64,
            /// The page copied from.
            from: Pfn,
            /// The new page.
            to: Pfn,
            /// Whether the source was the zero page.
            zero: bool,
        }
            function: "wp_page_copy",
            tracepoint: None,
            sentence: format!(
                "copy-on-write: process {pid} gets its own page {to} for {addr:#x}, a copy of {}{from}.",
                if *zero { "the zero page " } else { "shared page " }
            ),

        /// `wp_page_reuse`: the writer was the page's last user, so no copy.
        CowReuse {
            /// The process.
            pid: u32,
            /// The virtual page.
            #[serde(with = "hex")]
            addr: u64,
            /// The page.
            pfn: Pfn,
        }
            function: "wp_page_reuse",
            tracepoint: None,
            sentence: format!(
                "copy-on-write: page {pfn} at {addr:#x} is mapped only by process {pid} now, \
                 so it is reused in place: no copy."
            ),

        /// One level of a page-table walk: the software walk's helpers, one per level
        /// (the MMU does the same in hardware).
        WalkStep {
            /// The process.
            pid: u32,
            /// PGD, P4D, PUD, PMD or PTE.
            level: PtLevel,
            /// The index at this level.
            index: u16,
            /// The table's page.
            #[serde(with = "hex")]
            table: u64,
            /// The entry.
            #[serde(with = "hex")]
            entry: u64,
        }
            function: level.offset_fn(),
            tracepoint: None,
            sentence: if *level == PtLevel::Pte && super::pgtable::is_swap_pte(*entry) {
                let (t, off) = super::pgtable::pte_to_swp_entry(*entry);
                format!("{level}[{index}] = {entry:#018x}: not present, a swap entry (type {t}, offset {off}).")
            } else {
                format!("{level}[{index}] = {entry:#018x} ({}).", flag_names(*entry))
            },

        /// `oom_badness`: a candidate's score.
        OomScore {
            /// The process.
            pid: u32,
            /// Its name.
            comm: Box<str>,
            /// Its badness points.
            points: i64,
        }
            function: "oom_badness",
            tracepoint: None,
            sentence: format!("process {pid} ({comm}) scores {points} points."),

        /// `__oom_kill_process`: the victim is killed and its memory freed.
        OomKill {
            /// The victim.
            pid: u32,
            /// Its name.
            comm: Box<str>,
            /// Pages of RSS it freed.
            freed: u64,
        }
            function: "__oom_kill_process",
            tracepoint: Some("oom:mark_victim"),
            sentence: format!(
                "Out of memory: killed process {pid} ({comm}), freeing {freed} page(s) of RSS."
            ),
    }
}
