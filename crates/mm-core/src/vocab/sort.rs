//! One sort for the whole simulator.
//!
//! Each element type a slice is sorted by gets its own copy of the standard
//! library's sort routines, and the stable one (driftsort) is several kilobytes of
//! wasm per copy. Sorting by a `u64` key through [`sort_by_key`] instead shares one
//! unstable sort of `(key, position)` pairs; the position breaks ties, so the result
//! is the stable order.

/// Sorts `items` by `key`, equal keys keeping their order.
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let mut order: Vec<(u64, u64)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i as u64))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&(_, i)| slots.get_mut(i as usize).and_then(Option::take)),
    );
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
}
