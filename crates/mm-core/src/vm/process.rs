//! Creating, copying and ending processes (`kernel/fork.c: copy_process`, `dup_mmap`,
//! `mm/memory.c: copy_page_range`, `kernel/exit.c: do_exit` / `exit_mmap`).

use super::error::VmError;
use super::events::{Perms, VmEvent};
use super::mm::{
    Backing, Mm, Task, Vma, BRK_START, STACK_SIZE, TASK_SIZE, VM_ACCOUNT, VM_GROWSDOWN,
    VM_MAYWRITE, VM_READ, VM_SHARED, VM_WRITE,
};
use super::pgtable::*;
use super::Vm;
use crate::page_alloc::memmap::PageUse;
use crate::vocab::gfp::{GFP_KERNEL, GFP_KERNEL_ACCOUNT};
use crate::vocab::GfpFlags;

/// `THREAD_SIZE`: a 16 KiB kernel stack per task (4 pages).
pub const THREAD_PAGES: u64 = 4;

impl Vm<'_> {
    /// Allocates one object from a named cache.
    pub(crate) fn obj_alloc(&mut self, cache: &str) -> Result<u64, VmError> {
        let id = self.slub.cache_id(cache)?;
        // Building a process's structures: reclaim, but no OOM kill half-way (as
        // alloc_pages_no_oom).
        self.slab_with_reclaim(None, false, |slub, k| {
            slub.slab_alloc(k, id, GfpFlags(GFP_KERNEL_ACCOUNT))
        })
    }

    /// Frees one object back to its cache.
    pub(crate) fn obj_free(&mut self, addr: u64) {
        let _ = self.slub.kfree(self.k, addr);
    }

    /// A new task with an empty address space and a stack VMA: its `task_struct`, the
    /// 16 KiB kernel stack, its `mm_struct`, a PGD, and the `[stack]` VMA (charged to
    /// Committed_AS). Everything is undone if any step fails.
    pub fn spawn(&mut self, comm: &str, ppid: u32, uid: u32) -> Result<u32, VmError> {
        self.new_task(comm, ppid, uid, true)
    }

    /// A task, with or without the initial `[stack]` VMA (fork copies the parent's).
    fn new_task(
        &mut self,
        comm: &str,
        ppid: u32,
        uid: u32,
        with_stack: bool,
    ) -> Result<u32, VmError> {
        if comm.is_empty() || comm.len() > 15 || !comm.chars().all(|c| c.is_ascii_graphic()) {
            return Err(VmError::BadComm(comm.to_string()));
        }
        let pid = self.vmm.next_pid.max(1);
        let mut undo = Undo::default();
        let result = self.spawn_steps(comm, ppid, uid, pid, with_stack, &mut undo);
        if result.is_err() {
            self.undo(undo);
        }
        result.map(|_| pid)
    }

    fn spawn_steps(
        &mut self,
        comm: &str,
        ppid: u32,
        uid: u32,
        pid: u32,
        with_stack: bool,
        undo: &mut Undo,
    ) -> Result<(), VmError> {
        let task_obj = self.obj_alloc("task_struct")?;
        undo.objs.push(task_obj);
        let mut stack_pages = Vec::new();
        for _ in 0..THREAD_PAGES {
            let (_, p) = self
                .alloc_pages_no_oom(GfpFlags(GFP_KERNEL), PageUse::KernelStack)
                .map_err(|e| match e {
                    crate::vmscan::slowpath::SlowPathError::Alloc(e) => VmError::PageAlloc(e),
                    _ => VmError::Panic,
                })?;
            undo.pages.push(p.0);
            stack_pages.push(p.0);
        }
        let mm_obj = self.obj_alloc("mm_struct")?;
        undo.objs.push(mm_obj);
        let pgd = self.alloc_table(pid, PtLevel::Pgd)?;
        undo.tables.push(pgd);
        let mm = Mm {
            pgd,
            start_brk: BRK_START,
            brk: BRK_START,
            slab_obj: mm_obj,
            ..Mm::default()
        };
        let task = Task {
            pid,
            comm: comm.to_string(),
            ppid,
            uid,
            oom_score_adj: 0,
            mm,
            slab_obj: task_obj,
            stack_pages,
        };
        self.vmm.tasks.insert(pid, task);
        undo.task = Some(pid);
        self.vmm.next_pid = pid + 1;
        if !with_stack {
            return Ok(());
        }
        let vma_obj = self.obj_alloc("vm_area_struct")?;
        undo.objs.push(vma_obj);
        let stack_pages = STACK_SIZE >> 12;
        self.vm_enough_memory(pid, stack_pages, Some(0))?;
        let stack = Vma {
            start: TASK_SIZE - STACK_SIZE,
            end: TASK_SIZE,
            flags: VM_READ | VM_WRITE | 0x10 | VM_MAYWRITE | 0x40 | VM_GROWSDOWN | VM_ACCOUNT,
            backing: Backing::Anon,
            pgoff: 0,
            name: "[stack]".into(),
            slab_obj: vma_obj,
            anon_vma: None,
            fork_child: false,
            swap_ra: Default::default(),
            file_ra: (0, 0, 0),
        };
        undo.objs.pop();
        let (s, e) = (stack.start, stack.end);
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.mm.vmas.insert(stack.start, stack);
        }
        self.k.trace.push(|| VmEvent::TaskCreated {
            pid,
            comm: comm.into(),
            parent: ppid,
        });
        self.k.trace.push(|| VmEvent::VmaCreated {
            pid,
            start: s,
            end: e,
            perms: Perms(*b"rw-p"),
            name: "[stack]".into(),
        });
        Ok(())
    }

    fn undo(&mut self, undo: Undo) {
        if let Some(pid) = undo.task {
            if let Some(t) = self.vmm.tasks.remove(&pid) {
                self.vmm.committed -= t.mm.accounted().min(self.vmm.committed);
            }
        }
        for o in undo.objs {
            self.obj_free(o);
        }
        for t in undo.tables {
            self.free_table(t);
        }
        for p in undo.pages {
            self.k.free_page(p);
        }
    }

    /// `fork`: a copy of `pid` with its own `task_struct`, kernel stack, `mm_struct`
    /// and PGD. Every VMA is copied (a new `vm_area_struct`), each `VM_ACCOUNT` VMA is
    /// charged again for its full size (so fork can fail in mode 2), and for VMAs with
    /// anonymous pages the PTEs are copied: private writable pages are write-protected
    /// in **both** parent and child and shared, so the first writer copies.
    pub fn fork(&mut self, ppid: u32) -> Result<u32, VmError> {
        let parent = self
            .vmm
            .tasks
            .get(&ppid)
            .ok_or(VmError::NoProcess(ppid))?
            .clone();
        let child = self.spawn_bare(&parent)?;
        match self.dup_mmap(&parent, child) {
            Ok(()) => {
                self.k.trace.push(|| VmEvent::TaskCreated {
                    pid: child,
                    comm: parent.comm.as_str().into(),
                    parent: ppid,
                });
                Ok(child)
            }
            Err(e) => {
                let _ = self.exit(child);
                Err(e)
            }
        }
    }

    /// A task without VMAs, for fork to fill.
    fn spawn_bare(&mut self, parent: &Task) -> Result<u32, VmError> {
        let pid = self.new_task(&parent.comm, parent.pid, parent.uid, false)?;
        if let Some(t) = self.vmm.tasks.get_mut(&pid) {
            t.oom_score_adj = parent.oom_score_adj;
            t.mm.start_brk = parent.mm.start_brk;
            t.mm.brk = parent.mm.brk;
        }
        Ok(pid)
    }

    /// `dup_mmap`: VMAs, commit charges and (`copy_page_range`) PTEs.
    fn dup_mmap(&mut self, parent: &Task, child: u32) -> Result<(), VmError> {
        for vma in parent.mm.vmas.values() {
            if vma.flags & VM_ACCOUNT != 0 {
                self.vm_enough_memory(parent.pid, vma.pages(), Some(parent.mm.total_vm()))
                    .map_err(|_| VmError::ForkCharge {
                        pages: vma.pages(),
                        start: vma.start,
                        end: vma.end,
                    })?;
            }
            let obj = match self.obj_alloc("vm_area_struct") {
                Ok(o) => o,
                Err(e) => {
                    if vma.flags & VM_ACCOUNT != 0 {
                        self.vm_unacct_memory(child, vma.pages());
                    }
                    return Err(e);
                }
            };
            let mut copy = vma.clone();
            copy.slab_obj = obj;
            // anon_vma_fork: the child's VMA gets an anon_vma of its own, chained to
            // the parent's, when the parent's has one.
            if vma.anon_vma.is_some() {
                self.vmm.last_anon_vma += 1;
                copy.anon_vma = Some(self.vmm.last_anon_vma);
                copy.fork_child = true;
            }
            if let Backing::Shmem(id) = copy.backing {
                if let Some(Some(s)) = self.vmm.shmem.get_mut(id) {
                    s.users += 1;
                }
            }
            if let Some(t) = self.vmm.tasks.get_mut(&child) {
                t.mm.vmas.insert(copy.start, copy);
            }
            if vma.anon_vma.is_some() {
                self.copy_page_range(parent.pid, child, vma)?;
            }
        }
        Ok(())
    }

    /// `copy_page_range` → `copy_present_ptes` for one VMA.
    fn copy_page_range(&mut self, parent: u32, child: u32, vma: &Vma) -> Result<(), VmError> {
        let pgd = self
            .vmm
            .tasks
            .get(&parent)
            .map(|t| t.mm.pgd)
            .ok_or(VmError::NoProcess(parent))?;
        let mut addr = vma.start;
        while addr < vma.end {
            let (ptable, pidx, e) = match self.pte_walk(pgd, addr) {
                Ok(found) => found,
                Err(shift) => {
                    // No table at this level: skip the whole span its entry covers.
                    addr = (addr | ((1u64 << shift) - 1)).saturating_add(1);
                    continue;
                }
            };
            if e & PAGE_PRESENT != 0 {
                let (ctable, cidx) = self.pte_alloc(child, addr)?;
                let pfn = entry_pfn(e);
                // __copy_present_ptes: a COW mapping is write-protected in both
                // (pte_wrprotect keeps Dirty as saved-dirty); a shared one is clean in
                // the child; the child's entry is old.
                let mut ce = e;
                if vma.is_cow() && e & PAGE_RW != 0 {
                    let pe = pte_wrprotect(e);
                    ce = pe;
                    self.vmm.tables.set(ptable, pidx, pe);
                    self.k.trace.push(|| VmEvent::PteSet {
                        pid: parent,
                        addr,
                        pte: pe,
                    });
                }
                if vma.flags & VM_SHARED != 0 {
                    ce = pte_mkclean(ce);
                }
                let ce = ce & !PAGE_ACCESSED;
                self.vmm.tables.set(ctable, cidx, ce);
                self.k.trace.push(|| VmEvent::PteSet {
                    pid: child,
                    addr,
                    pte: ce,
                });
                if let Some(c) = self.vmm.shmem_mapped.get_mut(&pfn) {
                    *c += 1;
                    if let Some(t) = self.vmm.tasks.get_mut(&child) {
                        t.mm.shmem_rss += 1;
                    }
                } else if let Some(c) = self.vmm.file_mapped.get_mut(&pfn) {
                    *c += 1;
                    if let Some(t) = self.vmm.tasks.get_mut(&child) {
                        t.mm.file_rss += 1;
                    }
                } else if !(e & PAGE_SPECIAL != 0 && pfn == self.vmm.zero_pfn) {
                    self.vmm.anon.map_again(pfn);
                    if let Some(t) = self.vmm.tasks.get_mut(&child) {
                        t.mm.anon_rss += 1;
                    }
                }
            } else if is_swap_pte(e) {
                // copy_nonpresent_pte: swap_duplicate; neither copy is exclusive now.
                let (ctable, cidx) = self.pte_alloc(child, addr)?;
                if let Some(si) = self.pr.swap.as_mut() {
                    si.swap_duplicate(pte_to_swp_entry(e).1);
                }
                let pe = e & !SWP_EXCLUSIVE;
                if pe != e {
                    self.vmm.tables.set(ptable, pidx, pe);
                    self.k.trace.push(|| VmEvent::PteSet {
                        pid: parent,
                        addr,
                        pte: pe,
                    });
                }
                self.vmm.tables.set(ctable, cidx, pe);
                self.k.trace.push(|| VmEvent::PteSet {
                    pid: child,
                    addr,
                    pte: pe,
                });
                if let Some(t) = self.vmm.tasks.get_mut(&child) {
                    t.mm.swapents += 1;
                }
            }
            addr += 4096;
        }
        Ok(())
    }

    /// `do_exit` → `exit_mmap`: unmap every VMA (pages whose last mapping goes are
    /// freed), free the page tables, uncharge, and free the task's kernel objects.
    pub fn exit(&mut self, pid: u32) -> Result<u64, VmError> {
        if pid == 1 {
            return Err(VmError::InitCannotExit);
        }
        if !self.vmm.tasks.contains_key(&pid) {
            return Err(VmError::NoProcess(pid));
        }
        let rss = self.vmm.tasks.get(&pid).map(|t| t.mm.rss()).unwrap_or(0);
        let starts: Vec<u64> = self
            .vmm
            .tasks
            .get(&pid)
            .map(|t| t.mm.vmas.keys().copied().collect())
            .unwrap_or_default();
        for start in starts {
            let Some(vma) = self
                .vmm
                .tasks
                .get(&pid)
                .and_then(|t| t.mm.vmas.get(&start).cloned())
            else {
                continue;
            };
            self.remove_vma(pid, &vma);
        }
        let Some(task) = self.vmm.tasks.remove(&pid) else {
            return Ok(rss);
        };
        self.free_table(task.mm.pgd);
        self.obj_free(task.mm.slab_obj);
        self.obj_free(task.slab_obj);
        for p in task.stack_pages {
            self.k.free_page(p);
        }
        self.k.trace.push(|| VmEvent::TaskExit { pid });
        Ok(rss)
    }
}

/// What a half-done spawn must give back.
#[derive(Default)]
struct Undo {
    objs: Vec<u64>,
    pages: Vec<u64>,
    tables: Vec<u64>,
    task: Option<u32>,
}
