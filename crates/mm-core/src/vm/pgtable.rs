//! x86-64 page tables (`arch/x86/include/asm/pgtable_64_types.h`, `pgtable_types.h`):
//! 4 levels (PGD, PUD, PMD, PTE) of 512 eight-byte entries, one 4 KiB page each, or 5
//! with LA57 (a P4D level between PGD and PUD).

use crate::vocab::fast_hash::FastMap;
use serde::Serialize;
use std::fmt;

/// A page-table level, top first (`pgd_t`, `p4d_t`, `pud_t`, `pmd_t`, `pte_t`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub enum PtLevel {
    /// The page global directory, the table `cr3` points at.
    #[serde(rename = "PGD")]
    Pgd,
    /// The fifth level's extra directory (only with LA57).
    #[serde(rename = "P4D")]
    P4d,
    /// The page upper directory.
    #[serde(rename = "PUD")]
    Pud,
    /// The page middle directory.
    #[serde(rename = "PMD")]
    Pmd,
    /// The page table proper: its entries map 4 KiB pages.
    #[serde(rename = "PTE")]
    Pte,
}

impl PtLevel {
    /// `PGD`, `P4D`, `PUD`, `PMD` or `PTE`.
    pub fn name(self) -> &'static str {
        match self {
            PtLevel::Pgd => "PGD",
            PtLevel::P4d => "P4D",
            PtLevel::Pud => "PUD",
            PtLevel::Pmd => "PMD",
            PtLevel::Pte => "PTE",
        }
    }

    /// The walk's helper at this level (`pgd_offset` ... `pte_offset_map`).
    /// The kernel function that allocates a table of this level: `pgd_alloc` (with the
    /// mm), then `__p4d_alloc`, `__pud_alloc`, `__pmd_alloc`, `__pte_alloc` on demand.
    pub fn alloc_fn(self) -> &'static str {
        match self {
            PtLevel::Pgd => "pgd_alloc",
            PtLevel::P4d => "__p4d_alloc",
            PtLevel::Pud => "__pud_alloc",
            PtLevel::Pmd => "__pmd_alloc",
            PtLevel::Pte => "__pte_alloc",
        }
    }

    /// The kernel helper that finds this level's entry for an address.
    pub fn offset_fn(self) -> &'static str {
        match self {
            PtLevel::Pgd => "pgd_offset",
            PtLevel::P4d => "p4d_offset",
            PtLevel::Pud => "pud_offset",
            PtLevel::Pmd => "pmd_offset",
            PtLevel::Pte => "pte_offset_map",
        }
    }
}

impl fmt::Display for PtLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `_PAGE_PRESENT`.
pub const PAGE_PRESENT: u64 = 1 << 0;
/// `_PAGE_RW`.
pub const PAGE_RW: u64 = 1 << 1;
/// `_PAGE_USER`.
pub const PAGE_USER: u64 = 1 << 2;
/// `_PAGE_ACCESSED`: set by the CPU on any access.
pub const PAGE_ACCESSED: u64 = 1 << 5;
/// `_PAGE_DIRTY`: set by the CPU on a write.
pub const PAGE_DIRTY: u64 = 1 << 6;
/// `_PAGE_SPECIAL`: no `struct page` refcounting (the shared zero page).
pub const PAGE_SPECIAL: u64 = 1 << 9;
/// `_PAGE_SOFT_DIRTY` (`_PAGE_BIT_SOFTW3`, bit 11, with `CONFIG_MEM_SOFT_DIRTY` as
/// distributions build): set with Dirty by `pte_mkdirty`, cleared only by userspace
/// through `/proc/PID/clear_refs`.
pub const PAGE_SOFT_DIRTY: u64 = 1 << 11;
/// `_PAGE_SAVED_DIRTY` (`_PAGE_BIT_SOFTW5`, bit 58 on x86-64): where a write-protected
/// PTE keeps its Dirty bit, since Write=0,Dirty=1 would read as a shadow-stack PTE.
pub const PAGE_SAVED_DIRTY: u64 = 1 << 58;
/// `_PAGE_NX`: no execute.
pub const PAGE_NX: u64 = 1 << 63;

/// `mksaveddirty_shift` (arch/x86/include/asm/pgtable.h): with RW clear, Dirty moves
/// to the saved-dirty software bit.
fn mksaveddirty(v: u64) -> u64 {
    if v & PAGE_RW != 0 {
        return v;
    }
    let saved = if v & PAGE_DIRTY != 0 {
        PAGE_SAVED_DIRTY
    } else {
        0
    };
    (v | saved) & !PAGE_DIRTY
}

/// `pte_wrprotect`: clear RW, and keep Dirty as saved-dirty (no Write=0,Dirty=1 PTE
/// exists in v6.19).
pub fn pte_wrprotect(v: u64) -> u64 {
    mksaveddirty(v & !PAGE_RW)
}

/// `pte_mkdirty`: set Dirty and soft-dirty (Dirty kept as saved-dirty while the PTE
/// is read-only).
pub fn pte_mkdirty(v: u64) -> u64 {
    mksaveddirty(v | PAGE_DIRTY | PAGE_SOFT_DIRTY)
}

/// `pte_mkwrite` (arch/x86/mm/pgtable.c) for a normal VMA: set RW, and
/// `clear_saveddirty_shift` brings a saved Dirty back to the hardware bit.
pub fn pte_mkwrite(v: u64) -> u64 {
    let v = v | PAGE_RW;
    if v & PAGE_SAVED_DIRTY != 0 {
        (v | PAGE_DIRTY) & !PAGE_SAVED_DIRTY
    } else {
        v
    }
}

/// `pte_mkclean`: clear both dirty bits (`_PAGE_DIRTY_BITS`).
pub fn pte_mkclean(v: u64) -> u64 {
    v & !(PAGE_DIRTY | PAGE_SAVED_DIRTY)
}
/// `_PAGE_SWP_EXCLUSIVE` (bit 3, `_PAGE_PWT`): in a swap PTE, the page was mapped
/// by this process only when it was swapped out (`PageAnonExclusive`).
pub const SWP_EXCLUSIVE: u64 = 1 << 3;
/// `_PAGE_SWP_SOFT_DIRTY` (bit 1, `_PAGE_RW`): a swap PTE keeps soft-dirty here.
pub const SWP_SOFT_DIRTY: u64 = 1 << 1;
/// `SWP_TYPE_BITS`.
const SWP_TYPE_BITS: u32 = 5;
/// `SWP_OFFSET_FIRST_BIT`: the offset starts above `_PAGE_BIT_PROTNONE` (8).
const SWP_OFFSET_FIRST_BIT: u32 = 9;
/// `SWP_OFFSET_SHIFT`.
const SWP_OFFSET_SHIFT: u32 = SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS;

/// `__swp_entry(type, offset)` as a PTE (arch/x86/include/asm/pgtable_64.h): the
/// offset **inverted** in bits 9-58 (the L1TF mitigation: a not-present PTE never
/// points at real memory), the type in bits 59-63, bit 0 (Present) clear.
pub fn swp_entry_to_pte(swap_type: u64, offset: u64) -> u64 {
    ((!offset << SWP_OFFSET_SHIFT) >> SWP_TYPE_BITS) | (swap_type << (64 - SWP_TYPE_BITS))
}

/// `__swp_type` and `__swp_offset` of a swap PTE (the offset inverted back).
pub fn pte_to_swp_entry(pte: u64) -> (u64, u64) {
    (
        pte >> (64 - SWP_TYPE_BITS),
        (!pte << SWP_TYPE_BITS) >> SWP_OFFSET_SHIFT,
    )
}

/// Whether a PTE holds a swap entry: not present, not empty (`is_swap_pte`; the
/// model has no migration or PROT_NONE entries).
pub fn is_swap_pte(pte: u64) -> bool {
    pte != 0 && pte & PAGE_PRESENT == 0
}

/// `PTE_PFN_MASK`: bits 12-51.
pub const PFN_MASK: u64 = ((1 << 52) - 1) & !0xfff;
/// `_PAGE_TABLE`: what an upper-level entry pointing at a table holds besides the PFN.
pub const PAGE_TABLE: u64 = PAGE_PRESENT | PAGE_RW | PAGE_USER | PAGE_ACCESSED | PAGE_DIRTY;

/// The levels and their shifts, top first.
pub fn levels(la57: bool) -> &'static [(PtLevel, u32)] {
    if la57 {
        &[
            (PtLevel::Pgd, 48),
            (PtLevel::P4d, 39),
            (PtLevel::Pud, 30),
            (PtLevel::Pmd, 21),
            (PtLevel::Pte, 12),
        ]
    } else {
        &[
            (PtLevel::Pgd, 39),
            (PtLevel::Pud, 30),
            (PtLevel::Pmd, 21),
            (PtLevel::Pte, 12),
        ]
    }
}

/// The index of `va` in a table at `shift`: `(va >> shift) & 511`.
pub fn index(va: u64, shift: u32) -> usize {
    ((va >> shift) & 511) as usize
}

/// An entry's PFN.
pub fn entry_pfn(e: u64) -> u64 {
    (e & PFN_MASK) >> 12
}

/// An entry's flags as `P RW US A D NX ...`.
pub fn flag_names(e: u64) -> String {
    let mut out = Vec::new();
    for (bit, name) in [
        (PAGE_PRESENT, "P"),
        (PAGE_RW, "RW"),
        (PAGE_USER, "US"),
        (1 << 3, "PWT"),
        (1 << 4, "PCD"),
        (PAGE_ACCESSED, "A"),
        (PAGE_DIRTY, "D"),
        (1 << 7, "PSE"),
        (1 << 8, "G"),
        (PAGE_SPECIAL, "SPECIAL"),
        (PAGE_SOFT_DIRTY, "SOFT_DIRTY"),
        (PAGE_SAVED_DIRTY, "SAVED_DIRTY"),
        (PAGE_NX, "NX"),
    ] {
        if e & bit != 0 {
            out.push(name);
        }
    }
    if out.is_empty() {
        "none".into()
    } else {
        crate::vocab::join(&out, " ")
    }
}

/// Whether `va` is canonical: bits 63..47 (or 63..56 with LA57) all equal.
pub fn canonical(va: u64, la57: bool) -> bool {
    let bits = if la57 { 57 } else { 48 };
    let top = (va as i64) >> (bits - 1);
    top == 0 || top == -1
}

/// Every page-table page in the machine, by PFN.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    /// Table contents.
    pub pages: FastMap<u64, Box<[u64; 512]>>,
}

impl Tables {
    /// An entry of a table (0 if the table is unknown).
    pub fn get(&self, table: u64, idx: usize) -> u64 {
        self.pages.get(&table).map(|t| t[idx]).unwrap_or(0)
    }

    /// Sets an entry.
    pub fn set(&mut self, table: u64, idx: usize, e: u64) {
        if let Some(t) = self.pages.get_mut(&table) {
            t[idx] = e;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// KERNEL-PRESSURE.md §4.3's worked examples of `__swp_entry`.
    #[test]
    fn swap_ptes_invert_the_offset() {
        assert_eq!(swp_entry_to_pte(0, 1), 0x07FF_FFFF_FFFF_FC00);
        assert_eq!(swp_entry_to_pte(1, 0x1234), 0x0FFF_FFFF_FFDB_9600);
        for (t, off) in [(0, 1), (1, 0x1234), (23, (1 << 50) - 1), (0, 262_143)] {
            let pte = swp_entry_to_pte(t, off);
            assert_eq!(pte & PAGE_PRESENT, 0);
            assert_eq!(pte & 0x1f0, 0, "PROTNONE and PSE stay clear");
            assert!(is_swap_pte(pte));
            assert_eq!(pte_to_swp_entry(pte), (t, off));
            assert_eq!(
                pte_to_swp_entry(pte | SWP_EXCLUSIVE | SWP_SOFT_DIRTY),
                (t, off)
            );
        }
    }
}
