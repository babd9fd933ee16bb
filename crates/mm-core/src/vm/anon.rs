//! Anonymous pages and their map counts (`folio_mapcount`). Almost every anonymous
//! page is mapped by one PTE, so only the pages shared after a fork are listed with
//! their count; a page not listed is mapped once. A machine that faults in ten
//! million pages keeps no per-page record here.

use crate::vocab::fast_hash::FastMap;

/// The anonymous pages.
#[derive(Clone, Debug, Default)]
pub struct AnonPages {
    /// Anonymous pages in existence (`NR_ANON_MAPPED`).
    pages: u64,
    /// Map counts of the pages mapped more than once.
    shared: FastMap<u64, u32>,
}

impl AnonPages {
    /// A new page, mapped once (`folio_add_new_anon_rmap`).
    pub fn add(&mut self) {
        self.pages += 1;
    }

    /// How many PTEs map an anonymous page.
    pub fn mapcount(&self, pfn: u64) -> u32 {
        self.shared.get(&pfn).copied().unwrap_or(1)
    }

    /// One more PTE maps the page (fork's `copy_present_ptes`).
    pub fn map_again(&mut self, pfn: u64) {
        *self.shared.entry(pfn).or_insert(1) += 1;
    }

    /// One PTE less; true when that was the last mapping (the page is then gone).
    pub fn unmap(&mut self, pfn: u64) -> bool {
        match self.shared.get_mut(&pfn) {
            Some(c) => {
                *c -= 1;
                if *c <= 1 {
                    self.shared.remove(&pfn);
                }
                false
            }
            None => {
                self.pages = self.pages.saturating_sub(1);
                true
            }
        }
    }

    /// The page moved from `old` to `new` (migration): its map count follows it.
    pub fn migrate(&mut self, old: u64, new: u64) {
        if let Some(c) = self.shared.remove(&old) {
            self.shared.insert(new, c);
        }
    }

    /// Anonymous pages in existence.
    pub fn len(&self) -> u64 {
        self.pages
    }

    /// The pages mapped more than once, with their counts (for the invariants).
    pub fn shared(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.shared.iter().map(|(p, c)| (*p, *c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_shared_by_fork_goes_with_its_last_mapping() {
        let mut a = AnonPages::default();
        a.add();
        assert_eq!(a.mapcount(7), 1);
        a.map_again(7);
        a.map_again(7);
        assert_eq!(a.mapcount(7), 3);
        assert!(!a.unmap(7));
        assert!(!a.unmap(7));
        assert_eq!(a.mapcount(7), 1);
        assert_eq!(a.len(), 1);
        assert!(a.unmap(7));
        assert_eq!(a.len(), 0);
    }
}
