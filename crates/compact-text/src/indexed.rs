//! `IndexedArena`: [`FrontCoded`] keys (buckets of 8 front-coded keys in one byte arena)
//! plus a compact open-addressing hash index (five bytes per slot, 80% load: where the
//! key's bucket starts, its place in the bucket and an 8-bit fingerprint), so `contains`
//! costs about one slot probe and the decoding of part of one bucket (without copying)
//! instead of a binary search: hash-set speed at about a quarter of a hash set's bytes.
//! Sorted queries and ids come from the front-coded keys.

use std::ops::Bound;

use crate::front::{BUCKET, FrontCoded};
use crate::{Error, StoreKind, TokenSet};

/// Bytes per slot.
const SLOT: usize = 5;

/// Largest size of the front-coded key bytes: bucket starts are 28 bits in a slot.
const MAX_DATA: usize = 1 << 28;

/// Front-coded sorted keys with a hash index; ids are sorted ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexedArena {
    keys: FrontCoded,
    /// `SLOT` bytes per slot (plus 3 bytes of padding so each slot reads as one `u64`),
    /// little-endian: all zero = empty, else `start << 12 | (place + 1) << 8 | fingerprint`.
    slots: Vec<u8>,
    /// Number of slots.
    size: usize,
}

#[inline]
fn hash(key: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key)
}

impl IndexedArena {
    pub(crate) fn new(keys: FrontCoded) -> Result<Self, Error> {
        let n = keys.len();
        if keys.data_len() >= MAX_DATA {
            return Err(Error::too_large("the indexed store holds at most 256 MiB of front-coded keys"));
        }
        let size = if n == 0 { 0 } else { n + n / 4 + 1 };
        let mut index = IndexedArena { slots: vec![0u8; size * SLOT + 3], size, keys: FrontCoded::default() };
        let mut id = 0usize;
        let mut fail = false;
        keys.visit_range(Bound::Unbounded, Bound::Unbounded, &mut |key| {
            let h = hash(key);
            let mut i = Self::home(h, size);
            while index.slot(i) != 0 {
                i = if i + 1 == size { 0 } else { i + 1 };
            }
            let Some(start) = keys.bucket_start(id / BUCKET) else {
                fail = true;
                return false;
            };
            let v = u64::from(start) << 12 | ((id % BUCKET + 1) as u64) << 8 | (h & 0xff);
            index.slots[i * SLOT..(i + 1) * SLOT].copy_from_slice(&v.to_le_bytes()[..SLOT]);
            id += 1;
            true
        });
        if fail || id != n {
            return Err(Error::corrupt("front-coded keys do not decode to their count"));
        }
        index.keys = keys;
        Ok(index)
    }

    #[inline]
    fn home(h: u64, size: usize) -> usize {
        (((h >> 32) * size as u64) >> 32) as usize
    }

    #[inline]
    fn slot(&self, i: usize) -> u64 {
        let mut eight = [0u8; 8];
        if let Some(b) = self.slots.get(i * SLOT..i * SLOT + 8) {
            eight.copy_from_slice(b);
        }
        u64::from_le_bytes(eight) & 0xff_ffff_ffff
    }

    /// The front-coded keys.
    pub fn keys(&self) -> &FrontCoded {
        &self.keys
    }

    /// The slot value of `key` (bucket start, place, fingerprint).
    fn lookup(&self, key: &[u8]) -> Option<u64> {
        if self.size == 0 {
            return None;
        }
        let h = hash(key);
        let mut i = Self::home(h, self.size);
        for _ in 0..self.size {
            let s = self.slot(i);
            if s == 0 {
                return None;
            }
            if s & 0xff == h & 0xff {
                let place = ((s >> 8) & 0xf) as usize - 1;
                if self.keys.is_key_in_bucket((s >> 12) as usize, place, key) {
                    return Some(s);
                }
            }
            i = if i + 1 == self.size { 0 } else { i + 1 };
        }
        None
    }
}

impl TokenSet for IndexedArena {
    fn kind(&self) -> StoreKind {
        StoreKind::Indexed
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn contains(&self, key: &[u8]) -> bool {
        self.lookup(key).is_some()
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        let s = self.lookup(key)?;
        let b = self.keys.bucket_at((s >> 12) as u32)?;
        Some((b * BUCKET + ((s >> 8) & 0xf) as usize - 1) as u32)
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.keys.token_of(id)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.keys.visit_range(lo, hi, f)
    }

    fn heap_bytes(&self) -> usize {
        self.keys.heap_bytes() + self.slots.capacity()
    }
}
