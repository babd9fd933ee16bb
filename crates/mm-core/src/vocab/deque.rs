//! [`Deque`]: a double-ended queue on two `Vec`s (the front one reversed), for the
//! kernel log's lines, a command's last steps and SLUB's partial lists. It has the
//! few operations those need, each O(1) amortised, and costs a fraction of
//! `VecDeque`'s code in wasm (whose instantiations cost about 2 KB each).

/// A double-ended queue: `front` holds the first items in reverse, `back` the rest in
/// order.
#[derive(Clone, Debug)]
pub struct Deque<T> {
    front: Vec<T>,
    back: Vec<T>,
}

impl<T> Default for Deque<T> {
    fn default() -> Self {
        Deque {
            front: Vec::new(),
            back: Vec::new(),
        }
    }
}

impl<T> Deque<T> {
    /// An empty queue.
    pub fn new() -> Deque<T> {
        Deque::default()
    }

    /// Items in the queue.
    pub fn len(&self) -> usize {
        self.front.len() + self.back.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds an item at the end.
    pub fn push_back(&mut self, v: T) {
        self.back.push(v);
    }

    /// Adds an item at the start.
    pub fn push_front(&mut self, v: T) {
        self.front.push(v);
    }

    /// Takes the first item.
    pub fn pop_front(&mut self) -> Option<T> {
        if self.front.is_empty() {
            // Move the back over, reversed: each item moves once.
            self.back.reverse();
            std::mem::swap(&mut self.front, &mut self.back);
        }
        self.front.pop()
    }

    /// The items from first to last.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.front.iter().rev().chain(self.back.iter())
    }

    /// Keeps the items `f` accepts, in order.
    pub fn retain(&mut self, mut f: impl FnMut(&T) -> bool) {
        self.front.retain(&mut f);
        self.back.retain(f);
    }
}

impl<T: PartialEq> Deque<T> {
    /// Whether an item is in the queue.
    pub fn contains(&self, v: &T) -> bool {
        self.front.contains(v) || self.back.contains(v)
    }
}

impl<T> IntoIterator for Deque<T> {
    type Item = T;
    type IntoIter = std::iter::Chain<std::iter::Rev<std::vec::IntoIter<T>>, std::vec::IntoIter<T>>;

    /// The items from first to last.
    fn into_iter(self) -> Self::IntoIter {
        self.front.into_iter().rev().chain(self.back)
    }
}

impl<T> FromIterator<T> for Deque<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Deque {
            front: Vec::new(),
            back: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Deque;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    proptest! {
        /// Every answer is VecDeque's.
        #[test]
        fn behaves_like_vecdeque(ops in proptest::collection::vec((0u8..5, 0u32..50), 0..300)) {
            let mut d = Deque::new();
            let mut model = VecDeque::new();
            for (op, v) in ops {
                match op {
                    0 => { d.push_back(v); model.push_back(v); }
                    1 => { d.push_front(v); model.push_front(v); }
                    2 => prop_assert_eq!(d.pop_front(), model.pop_front()),
                    3 => { d.retain(|x| *x % 7 != v % 7); model.retain(|x| *x % 7 != v % 7); }
                    _ => prop_assert_eq!(d.contains(&v), model.contains(&v)),
                }
                prop_assert_eq!(d.len(), model.len());
                prop_assert_eq!(d.iter().copied().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
            }
        }
    }
}
