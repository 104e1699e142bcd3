//! `SortedArena`: every key in one byte arena, `u32` offsets, binary search (the book's
//! sorted list + `bisect`, without a Python object per token).

use std::ops::Bound;

use crate::codec::{Reader, Writer};
use crate::query::{above_lo, common_prefix_len};
use crate::{Error, StoreKind, TokenSet};

/// Sorted keys in one arena with `u32` offsets; ids are sorted ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SortedArena {
    arena: Vec<u8>,
    /// `offsets[i]..offsets[i + 1]` is key `i`; `len + 1` entries.
    offsets: Vec<u32>,
}

impl SortedArena {
    /// Builds from keys already sorted and unique (checked by the caller).
    pub(crate) fn from_sorted_unique<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Result<Self, Error> {
        let mut offsets = Vec::with_capacity(keys.len() + 1);
        let mut arena = Vec::new();
        offsets.push(0);
        for k in keys {
            arena.extend_from_slice(k);
            let end = u32::try_from(arena.len()).map_err(|_| Error::too_large("keys exceed 4 GiB of bytes"))?;
            offsets.push(end);
        }
        arena.shrink_to_fit();
        offsets.shrink_to_fit();
        Ok(SortedArena { arena, offsets })
    }

    /// Key number `i` (sorted rank).
    pub fn key(&self, i: usize) -> Option<&[u8]> {
        let (a, b) = (*self.offsets.get(i)? as usize, *self.offsets.get(i + 1)? as usize);
        self.arena.get(a..b)
    }

    fn key_unchecked(&self, i: usize) -> &[u8] {
        self.key(i).unwrap_or_default()
    }

    /// `bisect_left`: the number of keys smaller than `key`.
    pub fn bisect(&self, key: &[u8]) -> usize {
        let n = TokenSet::len(self);
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key_unchecked(mid) < key { lo = mid + 1 } else { hi = mid }
        }
        lo
    }

    /// The id of `key` if present, else of its neighbour (below or above in sorted order)
    /// sharing the longer common prefix with it (ties go below); `None` only when empty.
    pub fn nearest(&self, key: &[u8]) -> Option<u32> {
        let n = TokenSet::len(self);
        if n == 0 {
            return None;
        }
        let i = self.bisect(key);
        if i < n && self.key_unchecked(i) == key {
            return Some(i as u32);
        }
        let lcp = |j: usize| common_prefix_len(self.key_unchecked(j), key);
        Some(match (i.checked_sub(1), (i < n).then_some(i)) {
            (Some(b), Some(a)) => {
                if lcp(a) > lcp(b) {
                    a
                } else {
                    b
                }
            }
            (Some(b), None) => b,
            (None, Some(a)) => a,
            (None, None) => return None,
        } as u32)
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32s(&self.offsets);
        w.bytes(&self.arena);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offsets = r.u32s()?;
        let arena = r.bytes()?.to_vec();
        if offsets.first() != Some(&0) || offsets.last().map(|&o| o as usize) != Some(arena.len()) {
            return Err(Error::corrupt("arena offsets do not span the arena"));
        }
        let s = SortedArena { arena, offsets };
        for i in 1..s.offsets.len() {
            if s.offsets[i] < s.offsets[i - 1] {
                return Err(Error::corrupt("arena offsets decrease"));
            }
        }
        for i in 1..TokenSet::len(&s) {
            if s.key_unchecked(i) <= s.key_unchecked(i - 1) {
                return Err(Error::corrupt("arena keys are not strictly ascending"));
            }
        }
        Ok(s)
    }
}

impl TokenSet for SortedArena {
    fn kind(&self) -> StoreKind {
        StoreKind::Sorted
    }

    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        let i = self.bisect(key);
        (self.key(i) == Some(key)).then_some(i as u32)
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.key(id as usize).map(<[u8]>::to_vec)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        let start = match lo {
            Bound::Unbounded => 0,
            Bound::Included(a) | Bound::Excluded(a) => self.bisect(a),
        };
        for i in start..self.len() {
            let k = self.key_unchecked(i);
            if !above_lo(k, lo) {
                continue;
            }
            if !crate::query::below_hi(k, hi) || !f(k) {
                break;
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        self.arena.capacity() + self.offsets.capacity() * 4
    }
}
