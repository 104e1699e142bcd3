//! `IndexedArena`: a [`SortedArena`] plus a compact open-addressing hash index (one `u32`
//! per slot: a 24-bit id and an 8-bit fingerprint, 80% load), so `contains` costs about
//! one slot probe and one key comparison instead of a binary search — hash-set speed at a
//! third of a hash set's bytes. Sorted queries and ids come from the arena.

use std::ops::Bound;

use crate::arena::SortedArena;
use crate::{Error, StoreKind, TokenSet};

/// Largest key count: ids are 24 bits in the index.
const MAX_KEYS: usize = (1 << 24) - 1;

/// Sorted keys with a hash index; ids are sorted ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexedArena {
    arena: SortedArena,
    /// `0` = empty, else `(id + 1) << 8 | fingerprint`.
    slots: Vec<u32>,
}

#[inline]
fn hash(key: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key)
}

impl IndexedArena {
    pub(crate) fn new(arena: SortedArena) -> Result<Self, Error> {
        let n = arena.len();
        if n > MAX_KEYS {
            return Err(Error::too_large(format!("the indexed store holds at most {MAX_KEYS} keys")));
        }
        let size = if n == 0 { 0 } else { n + n / 4 + 1 };
        let mut slots = vec![0u32; size];
        for id in 0..n {
            let key = arena.key(id).unwrap_or_default();
            let h = hash(key);
            let mut i = Self::home(h, size);
            while slots[i] != 0 {
                i = if i + 1 == size { 0 } else { i + 1 };
            }
            slots[i] = ((id as u32 + 1) << 8) | (h as u32 & 0xff);
        }
        Ok(IndexedArena { arena, slots })
    }

    #[inline]
    fn home(h: u64, size: usize) -> usize {
        (((h >> 32) * size as u64) >> 32) as usize
    }

    /// The underlying sorted arena.
    pub fn arena(&self) -> &SortedArena {
        &self.arena
    }

    fn lookup(&self, key: &[u8]) -> Option<u32> {
        let size = self.slots.len();
        if size == 0 {
            return None;
        }
        let h = hash(key);
        let fp = h as u32 & 0xff;
        let mut i = Self::home(h, size);
        for _ in 0..size {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s & 0xff == fp {
                let id = (s >> 8) - 1;
                if self.arena.key(id as usize) == Some(key) {
                    return Some(id);
                }
            }
            i = if i + 1 == size { 0 } else { i + 1 };
        }
        None
    }
}

impl TokenSet for IndexedArena {
    fn kind(&self) -> StoreKind {
        StoreKind::Indexed
    }

    fn len(&self) -> usize {
        self.arena.len()
    }

    fn contains(&self, key: &[u8]) -> bool {
        self.lookup(key).is_some()
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.lookup(key)
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.arena.token_of(id)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.arena.visit_range(lo, hi, f)
    }

    fn heap_bytes(&self) -> usize {
        self.arena.heap_bytes() + self.slots.capacity() * 4
    }
}
