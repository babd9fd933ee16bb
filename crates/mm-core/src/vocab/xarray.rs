//! The XArray (`lib/xarray.c`, `include/linux/xarray.h`): the radix tree the kernel
//! keeps every page cache in (`address_space->i_pages`), shmem's pages and swap
//! entries included.
//!
//! A tree of nodes with 64 slots each (`XA_CHUNK_SHIFT` = 6). A node at `shift` s
//! covers 64 << s indices; the slot for `index` is `(index >> s) & 63`. Leaf nodes
//! (shift 0) hold the entries; the others hold their children. The tree is only as
//! tall as the largest index needs: storing past the top adds a root above
//! (`xas_expand`), and a root whose only child is slot 0 is dropped (`xas_shrink`);
//! a node whose last entry goes is freed (`xas_delete_node`). So a file's cache costs
//! one 64-slot node per 64 pages it has cached, and a lookup is a walk of at most
//! `ceil(64 / 6)` = 11 levels (4 for the 8 GiB disk under `/data`).
//!
//! An entry is a folio ([`XaEntry::Folio`], by its PFN) or a *value entry*
//! ([`XaEntry::Value`], `xa_mk_value`): what reclaim leaves behind of an evicted
//! page (a shadow, `workingset_eviction`), or where shmem's page went in swap. The
//! kernel tells them apart by bit 0 (pointers are aligned, values are `v << 1 | 1`);
//! this model stores a folio as `(pfn + 1) << 1`, so that 0 still means empty.
//!
//! One concrete type for every index-to-page map keeps the wasm bundles small: each
//! `BTreeMap<K, V>` instantiation costs about 10 KB of code.

/// Slots per node: `XA_CHUNK_SIZE` (`1 << XA_CHUNK_SHIFT`).
const XA_CHUNK_SHIFT: u32 = 6;
const XA_CHUNK_SIZE: usize = 1 << XA_CHUNK_SHIFT;
const XA_CHUNK_MASK: u64 = XA_CHUNK_SIZE as u64 - 1;
/// No node (an empty tree's root, the root's parent).
const NONE: u32 = u32::MAX;

/// What one index holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum XaEntry {
    /// A folio, by its first PFN.
    Folio(u64),
    /// A value entry (`xa_mk_value(v)`): a shadow or a swap entry. At most 63 bits.
    Value(u64),
}

impl XaEntry {
    /// The slot's encoding (never 0).
    fn encode(self) -> u64 {
        match self {
            XaEntry::Folio(pfn) => (pfn + 1) << 1,
            XaEntry::Value(v) => (v << 1) | 1,
        }
    }

    /// `xa_is_value` decides which: bit 0.
    fn decode(slot: u64) -> Option<XaEntry> {
        match slot {
            0 => None,
            s if s & 1 == 1 => Some(XaEntry::Value(s >> 1)),
            s => Some(XaEntry::Folio((s >> 1) - 1)),
        }
    }
}

/// `struct xa_node`.
#[derive(Clone, Debug)]
struct XaNode {
    /// Bits of the index below this node's slots.
    shift: u32,
    /// Slots in use.
    count: u8,
    /// Which slot of the parent holds this node.
    offset: u8,
    parent: u32,
    /// Leaves: encoded entries. Others: child node numbers plus one (0 is empty).
    slots: [u64; XA_CHUNK_SIZE],
}

/// `struct xarray`: index to [`XaEntry`].
#[derive(Clone, Debug)]
pub struct XArray {
    /// Node storage; freed nodes are reused.
    nodes: Vec<XaNode>,
    free: Vec<u32>,
    /// `xa_head`: the root node, or [`NONE`].
    head: u32,
}

impl Default for XArray {
    fn default() -> Self {
        XArray::new()
    }
}

/// The largest index a node at `shift` can reach.
fn max_index(shift: u32) -> u64 {
    if shift + XA_CHUNK_SHIFT >= 64 {
        u64::MAX
    } else {
        (1u64 << (shift + XA_CHUNK_SHIFT)) - 1
    }
}

/// The slot of `index` in a node at `shift`.
fn offset(index: u64, shift: u32) -> usize {
    ((index >> shift) & XA_CHUNK_MASK) as usize
}

impl XArray {
    /// An empty array (`XARRAY_INIT`).
    pub fn new() -> XArray {
        XArray {
            nodes: Vec::new(),
            free: Vec::new(),
            head: NONE,
        }
    }

    /// Whether nothing is stored (`xa_empty`).
    pub fn is_empty(&self) -> bool {
        self.head == NONE
    }

    /// Nodes in use: the tree's memory, 64 slots each.
    pub fn nr_nodes(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    fn node(&self, n: u32) -> &XaNode {
        &self.nodes[n as usize]
    }

    fn node_mut(&mut self, n: u32) -> &mut XaNode {
        &mut self.nodes[n as usize]
    }

    /// `xas_alloc`: a fresh node.
    fn alloc_node(&mut self, shift: u32, parent: u32, offset: u8) -> u32 {
        let node = XaNode {
            shift,
            count: 0,
            offset,
            parent,
            slots: [0; XA_CHUNK_SIZE],
        };
        match self.free.pop() {
            Some(n) => {
                self.nodes[n as usize] = node;
                n
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// `xa_load`: the entry at `index`.
    pub fn load(&self, index: u64) -> Option<XaEntry> {
        let mut n = self.head;
        if n == NONE || index > max_index(self.node(n).shift) {
            return None;
        }
        loop {
            let node = self.node(n);
            let slot = node.slots[offset(index, node.shift)];
            if node.shift == 0 {
                return XaEntry::decode(slot);
            }
            if slot == 0 {
                return None;
            }
            n = (slot - 1) as u32;
        }
    }

    /// `xa_store`: puts `entry` at `index`, returning what was there.
    pub fn store(&mut self, index: u64, entry: XaEntry) -> Option<XaEntry> {
        // xas_expand: grow a root tall enough for the index.
        if self.head == NONE {
            let mut shift = 0;
            while index > max_index(shift) {
                shift += XA_CHUNK_SHIFT;
            }
            self.head = self.alloc_node(shift, NONE, 0);
        }
        while index > max_index(self.node(self.head).shift) {
            let old = self.head;
            let shift = self.node(old).shift + XA_CHUNK_SHIFT;
            let root = self.alloc_node(shift, NONE, 0);
            self.node_mut(root).slots[0] = old as u64 + 1;
            self.node_mut(root).count = 1;
            let child = self.node_mut(old);
            child.parent = root;
            child.offset = 0;
            self.head = root;
        }
        // xas_create: walk down, adding missing nodes.
        let mut n = self.head;
        loop {
            let shift = self.node(n).shift;
            let off = offset(index, shift);
            if shift == 0 {
                let node = self.node_mut(n);
                let old = node.slots[off];
                node.slots[off] = entry.encode();
                if old == 0 {
                    node.count += 1;
                }
                return XaEntry::decode(old);
            }
            let slot = self.node(n).slots[off];
            n = if slot == 0 {
                let child = self.alloc_node(shift - XA_CHUNK_SHIFT, n, off as u8);
                let node = self.node_mut(n);
                node.slots[off] = child as u64 + 1;
                node.count += 1;
                child
            } else {
                (slot - 1) as u32
            };
        }
    }

    /// `xa_erase`: removes the entry at `index`, returning it. Nodes left empty are
    /// freed and the root shrinks while only its first slot is used.
    pub fn erase(&mut self, index: u64) -> Option<XaEntry> {
        let mut n = self.head;
        if n == NONE || index > max_index(self.node(n).shift) {
            return None;
        }
        while self.node(n).shift > 0 {
            let node = self.node(n);
            let slot = node.slots[offset(index, node.shift)];
            if slot == 0 {
                return None;
            }
            n = (slot - 1) as u32;
        }
        let off = offset(index, 0);
        let old = XaEntry::decode(self.node(n).slots[off])?;
        self.node_mut(n).slots[off] = 0;
        self.node_mut(n).count -= 1;
        // xas_delete_node: free empty nodes upward.
        while self.node(n).count == 0 {
            let (parent, off) = (self.node(n).parent, self.node(n).offset);
            self.free.push(n);
            if parent == NONE {
                self.head = NONE;
                return Some(old);
            }
            let p = self.node_mut(parent);
            p.slots[off as usize] = 0;
            p.count -= 1;
            n = parent;
        }
        // xas_shrink: a root holding only slot 0 gives way to that child.
        while self.head != NONE {
            let root = self.node(self.head);
            if root.shift == 0 || root.count != 1 || root.slots[0] == 0 {
                break;
            }
            let child = (root.slots[0] - 1) as u32;
            self.free.push(self.head);
            self.node_mut(child).parent = NONE;
            self.head = child;
        }
        Some(old)
    }

    /// `xa_find`: the first entry at an index >= `from`, with its index.
    pub fn find(&self, from: u64) -> Option<(u64, XaEntry)> {
        let mut index = from;
        'restart: loop {
            let mut n = self.head;
            if n == NONE || index > max_index(self.node(n).shift) {
                return None;
            }
            loop {
                let node = self.node(n);
                let shift = node.shift;
                let start = offset(index, shift);
                let span = shift + XA_CHUNK_SHIFT;
                let Some(off) = (start..XA_CHUNK_SIZE).find(|&o| node.slots[o] != 0) else {
                    // Nothing left under this node: go on after its whole range.
                    if span >= 64 || index >> span == u64::MAX >> span {
                        return None;
                    }
                    index = ((index >> span) + 1) << span;
                    continue 'restart;
                };
                if off > start {
                    // The first index under that slot.
                    let above = if span >= 64 { 0 } else { index >> span << span };
                    index = above | ((off as u64) << shift);
                }
                if shift == 0 {
                    return XaEntry::decode(node.slots[off]).map(|e| (index, e));
                }
                n = (node.slots[off] - 1) as u32;
            }
        }
    }

    /// `xa_for_each`: every entry in index order.
    pub fn iter(&self) -> XaIter<'_> {
        XaIter {
            xa: self,
            next: Some(0),
        }
    }

    /// The tree's invariants: counts match the used slots, children point back at
    /// their parents, no node is empty, the root cannot shrink. For tests.
    pub fn check(&self) -> Result<(), String> {
        if self.head == NONE {
            return if self.nr_nodes() == 0 {
                Ok(())
            } else {
                Err(format!("empty xarray holds {} nodes", self.nr_nodes()))
            };
        }
        let root = self.node(self.head);
        if root.parent != NONE {
            return Err("the root has a parent".into());
        }
        if root.shift > 0 && root.count == 1 && root.slots[0] != 0 {
            return Err("the root should have shrunk".into());
        }
        let mut stack = vec![self.head];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            let node = self.node(n);
            let used = node.slots.iter().filter(|&&s| s != 0).count();
            if used != node.count as usize || used == 0 {
                return Err(format!(
                    "node {n}: count {} but {used} slots used",
                    node.count
                ));
            }
            if node.shift == 0 {
                continue;
            }
            for (off, &s) in node.slots.iter().enumerate() {
                if s == 0 {
                    continue;
                }
                let c = (s - 1) as u32;
                let child = self.node(c);
                if child.parent != n
                    || child.offset as usize != off
                    || child.shift + XA_CHUNK_SHIFT != node.shift
                {
                    return Err(format!("node {c} is not linked to its parent {n}"));
                }
                stack.push(c);
            }
        }
        if seen != self.nr_nodes() {
            return Err(format!(
                "{} nodes in use, {seen} reachable",
                self.nr_nodes()
            ));
        }
        Ok(())
    }
}

/// The iterator of [`XArray::iter`].
pub struct XaIter<'a> {
    xa: &'a XArray,
    next: Option<u64>,
}

impl Iterator for XaIter<'_> {
    type Item = (u64, XaEntry);

    fn next(&mut self) -> Option<(u64, XaEntry)> {
        let (index, entry) = self.xa.find(self.next?)?;
        self.next = index.checked_add(1);
        Some((index, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_file_of_100_pages_needs_two_leaves_and_a_root() {
        let mut xa = XArray::new();
        for i in 0..100 {
            assert_eq!(xa.store(i, XaEntry::Folio(1000 + i)), None);
        }
        assert_eq!(xa.nr_nodes(), 3);
        assert_eq!(xa.load(99), Some(XaEntry::Folio(1099)));
        assert_eq!(xa.store(5, XaEntry::Value(7)), Some(XaEntry::Folio(1005)));
        assert_eq!(xa.load(5), Some(XaEntry::Value(7)));
        for i in 64..100 {
            xa.erase(i);
        }
        // The second leaf went, then the root shrank to the first leaf.
        assert_eq!(xa.nr_nodes(), 1);
        xa.check().unwrap();
    }

    #[test]
    fn pfn_zero_and_the_largest_index_are_entries_like_any_other() {
        let mut xa = XArray::new();
        xa.store(u64::MAX, XaEntry::Folio(0));
        xa.store(0, XaEntry::Value(0));
        assert_eq!(xa.load(u64::MAX), Some(XaEntry::Folio(0)));
        assert_eq!(xa.find(1), Some((u64::MAX, XaEntry::Folio(0))));
        assert_eq!(xa.iter().count(), 2);
        xa.check().unwrap();
        xa.erase(0);
        xa.erase(u64::MAX);
        assert!(xa.is_empty());
        xa.check().unwrap();
    }

    /// Indices near each other, near powers of 64 and anywhere.
    fn index() -> impl Strategy<Value = u64> {
        prop_oneof![0u64..200, (0u32..64).prop_map(|b| 1u64 << b), any::<u64>(),]
    }

    proptest! {
        /// The XArray answers every load, find and iteration as an ordered map does.
        #[test]
        fn behaves_as_an_ordered_map(
            ops in prop::collection::vec((any::<bool>(), index(), any::<bool>()), 1..300)
        ) {
            let mut xa = XArray::new();
            let mut model = BTreeMap::new();
            for (store, i, value) in ops {
                let e = if value { XaEntry::Value(i >> 1) } else { XaEntry::Folio(i >> 2) };
                if store {
                    prop_assert_eq!(xa.store(i, e), model.insert(i, e));
                } else {
                    prop_assert_eq!(xa.erase(i), model.remove(&i));
                }
                xa.check().map_err(TestCaseError::fail)?;
                prop_assert_eq!(xa.load(i), model.get(&i).copied());
                let from = i / 2;
                prop_assert_eq!(xa.find(from), model.range(from..).next().map(|(k, v)| (*k, *v)));
            }
            prop_assert!(xa.iter().eq(model.iter().map(|(k, v)| (*k, *v))));
        }
    }
}
