//! One sort for the whole simulator.
//!
//! Each element type a slice is sorted by gets its own copy of the standard
//! library's sort routines, and the stable one (driftsort) is several kilobytes of
//! wasm per copy. Sorting by a `u64` key through [`sort_by_key`] instead shares one
//! unstable sort of `(key, position)` pairs; the position breaks ties, so the result
//! is the stable order. That one sort is a heapsort ([`heapsort`]): a few hundred
//! bytes of wasm where the standard library's quicksort is kilobytes per element type,
//! and O(n log n) on every input.

/// Sorts `items` by `key`, equal keys keeping their order.
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let mut order: Vec<(u64, u64)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i as u64))
        .collect();
    heapsort(&mut order);
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&(_, i)| slots.get_mut(i as usize).and_then(Option::take)),
    );
}

/// Sorts `v` in place, ascending (not stable: for unique elements, or keys made
/// unique by a position as [`sort_by_key`] does). Builds a max-heap, then moves its
/// root to the end one element at a time.
pub fn heapsort<T: Ord>(v: &mut [T]) {
    let n = v.len();
    for start in (0..n / 2).rev() {
        sift_down(v, start, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Restores the heap order below `root` within `v[..end]`.
fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
        sort_by_key(&mut v, |p| u64::MAX - p.0);
        assert_eq!(v, [(3, 'a'), (3, 'c'), (1, 'b'), (1, 'e'), (0, 'd')]);
    }

    #[test]
    fn heapsort_sorts_every_small_permutation_and_a_large_input() {
        for n in 0..8u64 {
            let mut v: Vec<u64> = (0..n).rev().collect();
            heapsort(&mut v);
            assert_eq!(v, (0..n).collect::<Vec<_>>());
        }
        let mut v: Vec<u64> = (0..10_000u64).map(|i| (i * 7919) % 10_007).collect();
        let mut want = v.clone();
        want.sort_unstable();
        heapsort(&mut v);
        assert_eq!(v, want);
    }
}
