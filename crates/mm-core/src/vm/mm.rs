//! Processes and address spaces: `task_struct`, `mm_struct`, `vm_area_struct`.

use super::events::Perms;
use crate::vocab::vec_map::VecMap;
use crate::vocab::xarray::XArray;

/// `VM_READ`.
pub const VM_READ: u64 = 0x1;
/// `VM_WRITE`.
pub const VM_WRITE: u64 = 0x2;
/// `VM_EXEC`.
pub const VM_EXEC: u64 = 0x4;
/// `VM_SHARED`.
pub const VM_SHARED: u64 = 0x8;
/// `VM_MAYWRITE`.
pub const VM_MAYWRITE: u64 = 0x20;
/// `VM_GROWSDOWN`: the stack.
pub const VM_GROWSDOWN: u64 = 0x100;
/// `VM_ACCOUNT`: charged to Committed_AS.
pub const VM_ACCOUNT: u64 = 0x0010_0000;
/// `VM_NORESERVE`: not charged (MAP_NORESERVE outside mode 2).
pub const VM_NORESERVE: u64 = 0x0020_0000;

/// `TASK_SIZE_MAX` with 4-level paging: user space ends at 0x00007ffffffff000.
pub const TASK_SIZE: u64 = (1 << 47) - 4096;
/// `mmap_base` without randomization: 128 MiB below the top (the stack gap).
pub const MMAP_BASE: u64 = TASK_SIZE - (128 << 20);
/// `mmap_min_addr`: nothing is mapped below 64 KiB.
pub const MMAP_MIN_ADDR: u64 = 0x10000;
/// Where the heap starts (after a PIE binary loaded at 0x555555554000, no ASLR).
pub const BRK_START: u64 = 0x5555_5555_9000;
/// The initial stack: 132 KiB below `STACK_TOP`, as with ASLR off.
pub const STACK_SIZE: u64 = 132 << 10;

/// What backs a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backing {
    /// Private anonymous memory (heap, stack, MAP_PRIVATE|MAP_ANONYMOUS).
    Anon,
    /// MAP_SHARED|MAP_ANONYMOUS: a shmem object, by id.
    Shmem(usize),
    /// A file under /data, by inode number (`vma->vm_file`); `pgoff` is the page of
    /// the file at `start`.
    File(u32),
}

/// `struct vm_area_struct`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vma {
    /// `vm_start`.
    pub start: u64,
    /// `vm_end` (exclusive).
    pub end: u64,
    /// `vm_flags`.
    pub flags: u64,
    /// What backs it.
    pub backing: Backing,
    /// Offset of `start` into the shmem object, in pages.
    pub pgoff: u64,
    /// The name /proc/PID/maps shows (`[heap]`, `[stack]`, `/dev/zero (deleted)`).
    pub name: String,
    /// The address of its `vm_area_struct` object in the slab.
    pub slab_obj: u64,
    /// Its `anon_vma`, once it has had an anonymous page (`anon_vma_prepare`): fork
    /// copies the PTEs of such VMAs and lets the others fault afresh
    /// (`vma_needs_copy`). VMAs share one when split, or when a neighbour's is reused
    /// (`find_mergeable_anon_vma`); merging needs equal ones (`is_mergeable_anon_vma`).
    pub anon_vma: Option<u32>,
    /// Its `anon_vma_chain` holds more than its own `anon_vma`: it was forked from a
    /// parent's VMA that had one (`vma_is_fork_child`), so it merges with nothing that
    /// would share its `anon_vma`.
    pub fork_child: bool,
    /// `swap_readahead_info`: the last swap fault's address, the readahead window
    /// it used and the readahead hits since (`SWAP_RA_VAL`).
    pub swap_ra: SwapRa,
    /// A file mapping's readahead state (`file->f_ra`): start, size, async_size.
    pub file_ra: (u64, u64, u64),
}

/// A VMA's `swap_readahead_info`, unpacked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SwapRa {
    /// The last swap fault's page address.
    pub addr: u64,
    /// The window read then, in pages.
    pub win: u32,
    /// Readahead pages found in the swap cache since (at most `SWAP_RA_HITS_MAX`).
    pub hits: u32,
}

impl Vma {
    /// Pages spanned.
    pub fn pages(&self) -> u64 {
        (self.end - self.start) >> 12
    }

    /// Whether `addr` is inside.
    pub fn contains(&self, addr: u64) -> bool {
        addr >= self.start && addr < self.end
    }

    /// `is_cow_mapping`: private and may be written.
    pub fn is_cow(&self) -> bool {
        self.flags & (VM_SHARED | VM_MAYWRITE) == VM_MAYWRITE
    }

    /// The `rwxp` column of /proc/PID/maps.
    pub fn perms(&self) -> Perms {
        let bit = |flag: u64, c: u8| if self.flags & flag != 0 { c } else { b'-' };
        Perms([
            bit(VM_READ, b'r'),
            bit(VM_WRITE, b'w'),
            bit(VM_EXEC, b'x'),
            if self.flags & VM_SHARED != 0 {
                b's'
            } else {
                b'p'
            },
        ])
    }
}

/// `struct mm_struct`.
#[derive(Clone, Debug, Default)]
pub struct Mm {
    /// The VMAs by start address (the kernel keeps a maple tree).
    pub vmas: VecMap<u64, Vma>,
    /// The PGD's PFN.
    pub pgd: u64,
    /// `MM_ANONPAGES`.
    pub anon_rss: u64,
    /// `MM_SHMEMPAGES`.
    pub shmem_rss: u64,
    /// `MM_FILEPAGES`: page-cache pages of mapped files.
    pub file_rss: u64,
    /// `MM_SWAPENTS`: swap entries in this mm's page tables (VmSwap).
    pub swapents: u64,
    /// `mm_pgtables_bytes`: PUD, PMD and PTE tables (not the PGD).
    pub pgtables_bytes: u64,
    /// `start_brk`.
    pub start_brk: u64,
    /// `brk`.
    pub brk: u64,
    /// The address of its `mm_struct` object in the slab.
    pub slab_obj: u64,
    /// `hiwater_vm`: the largest `total_vm` seen when mappings went (VmPeak).
    pub hiwater_vm: u64,
    /// `hiwater_rss`: the largest RSS seen when pages were unmapped (VmHWM).
    pub hiwater_rss: u64,
}

impl Mm {
    /// `total_vm`: pages of all VMAs.
    pub fn total_vm(&self) -> u64 {
        self.vmas.values().map(Vma::pages).sum()
    }

    /// The VMA containing `addr` (`vma_lookup`).
    pub fn find(&self, addr: u64) -> Option<&Vma> {
        self.vmas
            .range(..=addr)
            .next_back()
            .map(|(_, v)| v)
            .filter(|v| v.contains(addr))
    }

    /// `find_vma_intersection`: the lowest VMA that overlaps `[start, end)`: the one
    /// containing `start` (it may begin far below), else the first one beginning
    /// inside the range.
    pub fn find_intersection(&self, start: u64, end: u64) -> Option<&Vma> {
        self.find(start)
            .or_else(|| self.vmas.range(start..end).next().map(|(_, v)| v))
    }

    /// `get_mm_rss`.
    pub fn rss(&self) -> u64 {
        self.anon_rss + self.file_rss + self.shmem_rss
    }

    /// Pages charged to Committed_AS by this mm's VMAs.
    pub fn accounted(&self) -> u64 {
        self.vmas
            .values()
            .filter(|v| v.flags & VM_ACCOUNT != 0)
            .map(Vma::pages)
            .sum()
    }
}

/// `struct task_struct`, the parts this model has.
#[derive(Clone, Debug)]
pub struct Task {
    /// `pid`.
    pub pid: u32,
    /// `comm`.
    pub comm: String,
    /// The parent's pid.
    pub ppid: u32,
    /// The owner's uid (init is root; others 1000, without CAP_SYS_ADMIN).
    pub uid: u32,
    /// `signal->oom_score_adj`.
    pub oom_score_adj: i16,
    /// The address space.
    pub mm: Mm,
    /// The task_struct object in the slab.
    pub slab_obj: u64,
    /// The kernel stack's pages (THREAD_SIZE = 16 KiB, vmalloc'ed page by page).
    pub stack_pages: Vec<u64>,
}

/// A MAP_SHARED|MAP_ANONYMOUS object (shmem via `shmem_zero_setup`).
#[derive(Clone, Debug, Default)]
pub struct Shmem {
    /// Its size in pages (what was charged).
    pub pages: u64,
    /// Whether the size was charged (`shmem_acct_size`; not with VM_NORESERVE).
    pub charged: bool,
    /// Its page cache (`mapping->i_pages`): page index to the page that exists.
    pub i_pages: XArray,
    /// Pages it holds (`mapping->nrpages`).
    pub nrpages: u64,
    /// VMAs that map it.
    pub users: u32,
}
