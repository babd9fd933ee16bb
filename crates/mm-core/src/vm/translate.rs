//! `translate PID ADDR`: the page-table walk the MMU does, level by level.

use super::error::VmError;
use super::events::VmEvent;
use super::pgtable::*;
use super::Vm;

impl Vm<'_> {
    /// Walks `va` through `pid`'s page tables without changing anything: one line
    /// per level (`PGD[255] = 0x...067 (P RW US A D) -> PUD table at pfn 0x...`), then
    /// the physical address, or where the walk stops and why.
    pub fn translate(&mut self, pid: u32, va: u64) -> Result<String, VmError> {
        let la57 = self.vmm.la57;
        if !canonical(va, la57) {
            return Err(VmError::NotCanonical { va, la57 });
        }
        let task = self.vmm.tasks.get(&pid).ok_or(VmError::NoProcess(pid))?;
        let levels = levels(la57);
        let mut table = task.mm.pgd;
        let mut out = format!("va={va:#x} pid={pid} cr3={:#x}\n", table << 12);
        let fields: Vec<String> = levels
            .iter()
            .map(|(n, s)| format!("{n}={}", index(va, *s)))
            .collect();
        out.push_str(&format!(
            "  {} offset={:#x}\n",
            crate::vocab::join(&fields, " "),
            va & 0xfff
        ));
        let vma_file = task.mm.find(va).and_then(|v| match v.backing {
            super::mm::Backing::File(_) => {
                Some((v.name.clone(), v.pgoff + (((va & !0xfff) - v.start) >> 12)))
            }
            _ => None,
        });
        let vma_note = task
            .mm
            .find(va)
            .map(|v| format!("{:#x}-{:#x} {}", v.start, v.end, v.perms()));
        for (depth, &(name, shift)) in levels.iter().enumerate() {
            let idx = index(va, shift);
            let e = self.vmm.tables.get(table, idx);
            let level = name;
            let entry_table = table;
            self.k.trace.push(|| VmEvent::WalkStep {
                pid,
                level,
                index: idx as u16,
                table: entry_table,
                entry: e,
            });
            if depth + 1 == levels.len() && is_swap_pte(e) {
                out.push_str(&self.describe_swap_pte(name, idx, e));
                return Ok(out);
            }
            if e & PAGE_PRESENT == 0 {
                out.push_str(&format!("{name}[{idx}] = {e:#018x} (not present)\n"));
                let why = match &vma_note {
                    Some(v) => format!("page fault: not present, inside VMA {v}; a read or write would fault it in"),
                    None => "page fault: not present, and no VMA covers it: an access gets SIGSEGV".to_string(),
                };
                out.push_str(&format!("{why}\n"));
                return Ok(out);
            }
            let next = entry_pfn(e);
            let last = depth + 1 == levels.len();
            let target = if last {
                let file_page = vma_file
                    .as_ref()
                    .filter(|_| self.vmm.file_mapped.contains_key(&next));
                if e & PAGE_SPECIAL != 0 && next == self.vmm.zero_pfn {
                    format!("page at pfn {next:#x} (the shared zero page)")
                } else if let Some((name, index)) = file_page {
                    format!("page at pfn {next:#x} (page {index} of {name}, in the page cache)")
                } else {
                    format!("page at pfn {next:#x}")
                }
            } else {
                format!("{} table at pfn {next:#x}", levels[depth + 1].0)
            };
            out.push_str(&format!(
                "{name}[{idx}] = {e:#018x} ({}) -> {target}\n",
                flag_names(e)
            ));
            table = next;
        }
        let phys = (table << 12) | (va & 0xfff);
        out.push_str(&format!("phys={phys:#x}\n"));
        Ok(out)
    }

    /// A swap PTE decoded (`__swp_type`, `__swp_offset` with the offset's bits
    /// inverted back) and where its page is now.
    fn describe_swap_pte(&self, name: PtLevel, idx: usize, e: u64) -> String {
        let (swap_type, off) = pte_to_swp_entry(e);
        let mut flags = Vec::new();
        if e & SWP_EXCLUSIVE != 0 {
            flags.push("exclusive");
        }
        if e & SWP_SOFT_DIRTY != 0 {
            flags.push("soft-dirty");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(", {}", crate::vocab::join(&flags, ", "))
        };
        let mut out = format!(
            "{name}[{idx}] = {e:#018x} (not present) -> swap entry: type {swap_type}, offset {off:#x} (bits 58-9 hold ~offset = {:#x}){flags}\n",
            (e >> 9) & ((1 << 50) - 1)
        );
        let cached = self.pr.swap.as_ref().and_then(|s| s.cache_folio(off));
        out.push_str(&match cached {
            Some(p) => format!(
                "page fault: swapped out to slot {off} of /swapfile and still in the swap cache at pfn {p:#x}; an access maps it again (a minor fault, do_swap_page)\n"
            ),
            None => format!(
                "page fault: swapped out to slot {off} of /swapfile; an access reads it back (a major fault, do_swap_page)\n"
            ),
        });
        out
    }
}
