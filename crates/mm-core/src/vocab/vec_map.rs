//! [`VecMap`]: an ordered map kept as a sorted `Vec`.
//!
//! The maps it serves are small (a machine's tasks, a process's VMAs) and read far
//! more than they change, so a binary search over one contiguous array beats a tree,
//! and its code is a few hundred bytes where each `BTreeMap<K, V>` instantiation
//! costs about 10 KB of the wasm bundle. (The kernel keeps VMAs in a maple tree,
//! `mm->mm_mt`, and tasks in the PID IDR; the model needs only their order.)

use std::ops::{Bound, RangeBounds};

/// An ordered map on a sorted `Vec` of pairs; the API is `BTreeMap`'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord + Copy, V> VecMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        VecMap::default()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn search(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The value at `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        let at = self.search(key).ok()?;
        self.entries.get(at).map(|(_, v)| v)
    }

    /// The value at `key`, to change.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let at = self.search(key).ok()?;
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &K) -> bool {
        self.search(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.search(&key) {
            Ok(at) => self
                .entries
                .get_mut(at)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let at = self.search(key).ok()?;
        Some(self.entries.remove(at).1)
    }

    /// Every pair in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Every key in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Every value in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Every value in key order, to change.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The pairs whose keys lie in `range`, in order.
    pub fn range(&self, range: impl RangeBounds<K>) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        let lo = match range.start_bound() {
            Bound::Included(s) => self.entries.partition_point(|(k, _)| k < s),
            Bound::Excluded(s) => self.entries.partition_point(|(k, _)| k <= s),
            Bound::Unbounded => 0,
        };
        let hi = match range.end_bound() {
            Bound::Included(e) => self.entries.partition_point(|(k, _)| k <= e),
            Bound::Excluded(e) => self.entries.partition_point(|(k, _)| k < e),
            Bound::Unbounded => self.entries.len(),
        };
        self.entries
            .get(lo..hi.max(lo))
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Every answer is BTreeMap's.
        #[test]
        fn behaves_as_a_btree_map(ops in prop::collection::vec((0u8..3, 0u32..50, 0u32..50), 1..200)) {
            let mut m = VecMap::new();
            let mut model = BTreeMap::new();
            for (op, k, x) in ops {
                match op {
                    0 => prop_assert_eq!(m.insert(k, x), model.insert(k, x)),
                    1 => prop_assert_eq!(m.remove(&k), model.remove(&k)),
                    _ => {
                        let (a, b) = (k.min(x), k.max(x));
                        prop_assert!(m.range(a..b).eq(model.range(a..b)));
                        prop_assert!(m.range(..=a).rev().eq(model.range(..=a).rev()));
                        prop_assert!(m.range(b..).eq(model.range(b..)));
                    }
                }
                prop_assert_eq!(m.get(&k), model.get(&k));
                prop_assert_eq!(m.len(), model.len());
            }
            prop_assert!(m.iter().eq(model.iter()));
        }
    }
}
