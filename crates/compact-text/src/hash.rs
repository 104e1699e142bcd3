//! `HashTokenSet`: an `ahash` hash map from key to sorted rank — the baseline every compact
//! store is measured against (fast, and large). Sorted queries scan and sort.

use std::ops::Bound;

use crate::query::{above_lo, below_hi};
use crate::{StoreKind, TokenSet};

/// Keys in a hash map (key → sorted rank). For comparison: answers every query, but sorted
/// queries and `token_of` scan the whole table.
#[derive(Clone, Debug, Default)]
pub struct HashTokenSet {
    map: ahash::HashMap<Box<[u8]>, u32>,
}

impl HashTokenSet {
    pub(crate) fn from_sorted_unique<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Self {
        let mut map = ahash::HashMap::with_capacity_and_hasher(keys.len(), ahash::RandomState::default());
        for (i, k) in keys.enumerate() {
            map.insert(Box::from(k), i as u32);
        }
        HashTokenSet { map }
    }

    fn sorted(&self) -> Vec<&[u8]> {
        let mut v: Vec<&[u8]> = self.map.keys().map(|k| &**k).collect();
        v.sort_unstable();
        v
    }
}

impl TokenSet for HashTokenSet {
    fn kind(&self) -> StoreKind {
        StoreKind::Hash
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn contains(&self, key: &[u8]) -> bool {
        self.map.contains_key(key)
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.map.get(key).copied()
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.map.iter().find(|(_, v)| **v == id).map(|(k, _)| k.to_vec())
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        for k in self.sorted() {
            if above_lo(k, lo) && below_hi(k, hi) && !f(k) {
                return;
            }
        }
    }

    /// The table (hashbrown layout: one slot of 24 bytes plus one control byte per bucket,
    /// plus 16 trailing control bytes) and each key's own allocation (its length; allocator
    /// rounding not included).
    fn heap_bytes(&self) -> usize {
        let cap = self.map.capacity();
        let buckets = if cap == 0 {
            0
        } else if cap < 8 {
            (cap + 1).next_power_of_two()
        } else {
            (cap * 8 / 7).next_power_of_two()
        };
        let slot = std::mem::size_of::<(Box<[u8]>, u32)>();
        let table = if buckets == 0 { 0 } else { buckets * (slot + 1) + 16 };
        table + self.map.keys().map(|k| k.len()).sum::<usize>()
    }
}
