//! A process's page-table tree as data: the populated entries of each table, top
//! down, for the processes panel.

use crate::machine::Machine;
pub use crate::vm::pgtable::{
    entry_pfn, flag_names, is_swap_pte, levels, pte_to_swp_entry, PtLevel, PAGE_PRESENT,
    SWP_EXCLUSIVE, SWP_SOFT_DIRTY,
};
use serde::Serialize;

/// One page-table page and its populated entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableView {
    /// Its level.
    pub level: PtLevel,
    /// Its page.
    pub pfn: u64,
    /// Its first populated entries (at most the limit asked for).
    pub entries: Vec<EntryView>,
    /// Populated entries left out.
    pub more: usize,
}

/// One populated entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    /// Its index in the table (0..511).
    pub index: u16,
    /// The entry's value.
    pub entry: u64,
    /// Its flags, `P RW US A D NX ...`.
    pub flags: String,
    /// The first virtual address it covers.
    pub va: u64,
    /// The page it points at: the next table, or the mapped frame.
    pub pfn: u64,
    /// The next level's table, below the last level none.
    pub child: Option<TableView>,
}

impl Machine {
    /// The page-table tree of `pid` (None if there is no such process), at most
    /// `limit` entries per table.
    pub fn page_table(&self, pid: u32, limit: usize) -> Option<TableView> {
        let pgd = self.vmm.tasks.get(&pid)?.mm.pgd;
        Some(self.table_view(pgd, 0, 0, limit))
    }

    fn table_view(&self, table: u64, depth: usize, base: u64, limit: usize) -> TableView {
        let lv = levels(self.vmm.la57);
        let (level, shift) = lv[depth];
        let present: Vec<(usize, u64)> = self
            .vmm
            .tables
            .pages
            .get(&table)
            .map(|t| {
                t.iter()
                    .enumerate()
                    .filter(|(_, e)| **e & PAGE_PRESENT != 0)
                    .map(|(i, e)| (i, *e))
                    .collect()
            })
            .unwrap_or_default();
        let entries = present
            .iter()
            .take(limit)
            .map(|&(i, e)| {
                let va = base + ((i as u64) << shift);
                EntryView {
                    index: i as u16,
                    entry: e,
                    flags: flag_names(e),
                    va,
                    pfn: entry_pfn(e),
                    child: (depth + 1 < lv.len())
                        .then(|| self.table_view(entry_pfn(e), depth + 1, va, limit)),
                }
            })
            .collect();
        TableView {
            level,
            pfn: table,
            entries,
            more: present.len().saturating_sub(limit),
        }
    }
}
