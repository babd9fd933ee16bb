//! Commit accounting (`mm/util.c: __vm_enough_memory`, `vm_commit_limit`,
//! `Documentation/mm/overcommit-accounting.rst`).

use super::error::VmError;
use super::events::VmEvent;
use super::Vm;
use crate::sysctl::OvercommitMode;
use crate::vocab::PAGE_SHIFT;

impl Vm<'_> {
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
    ) -> Result<(), VmError> {
        self.vmm.committed += pages;
        let mode = self.sysctl.overcommit_memory;
        let committed = self.vmm.committed;
        let (ok, limit) = match mode {
            OvercommitMode::Always => (true, self.commit_limit()),
            OvercommitMode::Guess => {
                let total = self.k.totalram_pages() + self.k.total_swap_pages;
                (pages <= total, total)
            }
            OvercommitMode::Never => {
                let mut allowed = self.commit_limit() as i64;
                let uid = self.vmm.tasks.get(&pid).map(|t| t.uid).unwrap_or(0);
                if uid != 0 {
                    allowed -= (self.sysctl.admin_reserve_kbytes >> 2) as i64;
                }
                if let Some(total_vm) = total_vm {
                    allowed -= ((total_vm / 32).min(self.sysctl.user_reserve_kbytes >> 2)) as i64;
                }
                ((committed as i64) < allowed, allowed.max(0) as u64)
            }
        };
        self.k.trace.push(|| VmEvent::CommitCharge {
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
        self.k.printk(format!(
            "__vm_enough_memory: pid: {pid}, comm: {comm}, bytes: {} not enough memory for the allocation",
            pages << PAGE_SHIFT
        ));
        Err(VmError::Overcommit)
    }

    /// `vm_commit_limit`: the RAM part from `overcommit_kbytes` or `overcommit_ratio`,
    /// plus swap.
    pub fn commit_limit(&self) -> u64 {
        commit_limit(
            self.k.totalram_pages(),
            self.k.total_swap_pages,
            self.sysctl,
        )
    }

    /// `vm_unacct_memory`.
    pub fn vm_unacct_memory(&mut self, pid: u32, pages: u64) {
        self.vmm.committed = self.vmm.committed.saturating_sub(pages);
        let committed = self.vmm.committed;
        self.k.trace.push(|| VmEvent::CommitUncharge {
            pid,
            pages,
            committed,
        });
    }
}

/// `vm_commit_limit`: `overcommit_kbytes >> 2` if set, else `totalram_pages *
/// overcommit_ratio / 100`, plus `total_swap_pages`.
///
/// 1 GiB of RAM managed as 259,000 pages with the default ratio of 50 and no swap:
/// CommitLimit = 129,500 pages (518,000 kB).
pub fn commit_limit(
    totalram_pages: u64,
    total_swap_pages: u64,
    sysctl: &crate::sysctl::VmSysctl,
) -> u64 {
    let ram = if sysctl.overcommit_kbytes != 0 {
        sysctl.overcommit_kbytes >> 2
    } else {
        totalram_pages * sysctl.overcommit_ratio / 100
    };
    ram + total_swap_pages
}

#[cfg(test)]
mod tests {
    use crate::machine::Machine;
    use crate::sysctl::OvercommitMode;

    /// A 64 MiB machine: 16,128 managed pages, no swap.
    fn machine(mode: OvercommitMode) -> Machine {
        let mut m = Machine::boot(crate::BootParams::parse(["mem=64M"]).unwrap());
        m.sysctl.overcommit_memory = mode;
        m
    }

    /// "The heuristic ... refuses only a single request larger than RAM + swap": 16,129
    /// pages fails however little is committed, 16,128 passes however much is.
    #[test]
    fn mode_0_looks_at_the_one_request() {
        let mut m = machine(OvercommitMode::Guess);
        let total = m.k.totalram_pages();
        assert!(m.vm().vm_enough_memory(1, total + 1, None).is_err());
        for _ in 0..4 {
            assert!(m.vm().vm_enough_memory(1, total, None).is_ok());
        }
    }

    /// `vm_acct_memory` first: even in mode 1 the charge shows in Committed_AS.
    #[test]
    fn mode_1_charges_and_never_refuses() {
        let mut m = machine(OvercommitMode::Always);
        let before = m.vmm.committed;
        assert!(m.vm().vm_enough_memory(2, 1 << 40, None).is_ok());
        assert_eq!(m.vmm.committed, before + (1 << 40));
    }

    /// Mode 2: allowed is CommitLimit, less `admin_reserve_kbytes / 4` without
    /// CAP_SYS_ADMIN, less `min(total_vm / 32, user_reserve_kbytes / 4)`; the request
    /// passes iff Committed_AS, this request included, stays below it. A refusal undoes
    /// the charge.
    #[test]
    fn mode_2_keeps_committed_as_below_the_limit_less_the_reserves() {
        let mut m = machine(OvercommitMode::Never);
        m.run("spawn user");
        let limit = m.commit_limit();
        assert_eq!(limit, m.k.totalram_pages() * 50 / 100);
        let admin = m.sysctl.admin_reserve_kbytes >> 2;
        let total_vm = 33 * 32; // 1056 pages mapped: min(33, user_reserve/4) = 33
        let user = (total_vm / 32).min(m.sysctl.user_reserve_kbytes >> 2);
        let allowed = limit - admin - user;
        let room = allowed - m.vmm.committed - 1; // the most that stays below
        let before = m.vmm.committed;
        assert!(m
            .vm()
            .vm_enough_memory(2, room + 1, Some(total_vm))
            .is_err());
        assert_eq!(m.vmm.committed, before, "a refusal undoes its charge");
        assert!(m.vm().vm_enough_memory(2, room, Some(total_vm)).is_ok());
        // root (init) is not held back by the admin reserve.
        assert!(m.vm().vm_enough_memory(1, admin, Some(total_vm)).is_ok());
    }
}
