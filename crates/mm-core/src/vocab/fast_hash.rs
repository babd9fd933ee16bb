//! A fast hasher for the model's maps keyed by page frame numbers and ids (slab heads
//! to caches, page-table pages, user pages). The keys are small integers the model
//! chose, not input an attacker shapes, so std's SipHash (built to resist hash
//! flooding) buys nothing here and costs more than the lookup it serves. This is the
//! multiply-rotate step of rustc's own FxHasher.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// rustc's Fx multiplier (from Firefox's hash), a 64-bit odd constant.
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// A fast, deterministic hasher for integer keys.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(SEED);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_hashes_spread() {
        let mut m: FastMap<u64, u64> = FastMap::default();
        for i in 0..10_000u64 {
            m.insert(i << 3, i);
        }
        assert_eq!(m.len(), 10_000);
        assert_eq!(m.get(&(42 << 3)), Some(&42));
        let mut h = FastHasher::default();
        h.write_u64(1);
        let a = h.finish();
        let mut h = FastHasher::default();
        h.write_u64(2);
        assert_ne!(a, h.finish());
    }
}
