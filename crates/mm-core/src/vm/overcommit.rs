//! Commit accounting (`mm/util.c: __vm_enough_memory`, `vm_commit_limit`,
//! `Documentation/mm/overcommit-accounting.rst`).

use crate::event::Event;
use crate::machine::Machine;

impl Machine {
    /// `__vm_enough_memory(mm, pages, cap_sys_admin)`: charges `pages` to
    /// Committed_AS **first**, then checks the policy; on refusal the charge is undone,
    /// the kernel's warning goes to dmesg, and the caller gets ENOMEM.
    ///
    /// - mode 1 (always): never refuses;
    /// - mode 0 (guess): refuses only a single request larger than RAM + swap;
    /// - mode 2 (never): refuses once Committed_AS (with this request) reaches
    ///   CommitLimit, less the admin reserve (without CAP_SYS_ADMIN) and the user
    ///   reserve (`min(total_vm / 32, user_reserve_kbytes / 4)`).
    pub fn vm_enough_memory(
        &mut self,
        pid: u32,
        pages: u64,
        total_vm: Option<u64>,
    ) -> Result<(), String> {
        self.vmm.committed += pages;
        let mode = self.vm.overcommit_memory;
        let committed = self.vmm.committed;
        let (ok, limit) = match mode {
            1 => (true, self.commit_limit()),
            0 => {
                let total = self.node.totalram_pages() + (self.params.swap >> 12);
                (pages <= total, total)
            }
            _ => {
                let mut allowed = self.commit_limit() as i64;
                let uid = self.vmm.tasks.get(&pid).map(|t| t.uid).unwrap_or(0);
                if uid != 0 {
                    allowed -= (self.vm.admin_reserve_kbytes >> 2) as i64;
                }
                if let Some(total_vm) = total_vm {
                    allowed -= ((total_vm / 32).min(self.vm.user_reserve_kbytes >> 2)) as i64;
                }
                ((committed as i64) < allowed, allowed.max(0) as u64)
            }
        };
        self.trace.push(|| Event::CommitCharge {
            pid,
            pages,
            committed,
            limit,
            mode,
            ok,
        });
        if ok {
            return Ok(());
        }
        self.vmm.committed -= pages;
        let comm = self
            .vmm
            .tasks
            .get(&pid)
            .map(|t| t.comm.clone())
            .unwrap_or_else(|| "mmsim".into());
        self.log(format!(
            "__vm_enough_memory: pid: {pid}, comm: {comm}, bytes: {} not enough memory for the allocation",
            pages << 12
        ));
        Err("ENOMEM: not enough memory for the allocation (overcommit)".into())
    }

    /// `vm_unacct_memory`.
    pub fn vm_unacct_memory(&mut self, pid: u32, pages: u64) {
        self.vmm.committed = self.vmm.committed.saturating_sub(pages);
        let committed = self.vmm.committed;
        self.trace.push(|| Event::CommitUncharge {
            pid,
            pages,
            committed,
        });
    }
}
