//! `FstSet`: the `fst` crate's finite-state transducer (shares prefixes and suffixes), with
//! each key's sorted rank as its value, which gives id → key by a guided walk.

use std::ops::Bound;

use fst::{IntoStreamer, Streamer};

use crate::query::{KeyRegex, Levenshtein};
use crate::{Error, StoreKind, TokenSet};

/// A window `start..end` of some bytes `D` (a `Vec`, a memory map, ...), so a store can sit
/// inside a larger file without copying.
#[derive(Clone, Debug)]
pub struct SubBytes<D> {
    data: D,
    start: usize,
    end: usize,
}

impl<D: AsRef<[u8]>> SubBytes<D> {
    pub(crate) fn new(data: D, start: usize, end: usize) -> Self {
        SubBytes { data, start, end }
    }
}

impl<D: AsRef<[u8]>> AsRef<[u8]> for SubBytes<D> {
    fn as_ref(&self) -> &[u8] {
        self.data.as_ref().get(self.start..self.end).unwrap_or_default()
    }
}

/// Keys in an FST; ids are sorted ranks. `D` holds the FST bytes (owned, or a window of a
/// loaded file or memory map).
#[derive(Clone)]
pub struct FstSet<D = Vec<u8>> {
    map: fst::Map<D>,
}

impl<D> std::fmt::Debug for FstSet<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FstSet").finish_non_exhaustive()
    }
}

/// Longest key walk we follow in `token_of` (guards against cycles in crafted bytes).
const MAX_WALK: usize = 1 << 24;

impl FstSet<Vec<u8>> {
    pub(crate) fn from_sorted_unique<'a>(keys: impl Iterator<Item = &'a [u8]>) -> Result<Self, Error> {
        let mut b = fst::MapBuilder::memory();
        for (i, k) in keys.enumerate() {
            b.insert(k, i as u64).map_err(|e| Error::too_large(e.to_string()))?;
        }
        let mut bytes = b.into_inner().map_err(|e| Error::too_large(e.to_string()))?;
        bytes.shrink_to_fit();
        FstSet::from_fst_bytes(bytes)
    }
}

impl<D: AsRef<[u8]>> FstSet<D> {
    /// Wraps raw `fst` bytes (verifying the FST's own checksum and that values are ranks).
    pub(crate) fn from_fst_bytes(data: D) -> Result<Self, Error> {
        let map = fst::Map::new(data).map_err(|e| Error::corrupt(format!("fst: {e}")))?;
        map.as_fst().verify().map_err(|e| Error::corrupt(format!("fst: {e}")))?;
        Ok(FstSet { map })
    }

    /// The raw FST bytes (readable by the `fst` crate as a `Map` of key → rank).
    pub fn as_fst_bytes(&self) -> &[u8] {
        self.map.as_fst().as_bytes()
    }

    /// Keys in `self` or in `other`, as a new FST: both are streamed in order (the `fst`
    /// crate's lazy set operations) straight into the builder, with no intermediate list.
    /// The result is byte-identical to building the same keys from scratch.
    pub fn union<E: AsRef<[u8]>>(&self, other: &FstSet<E>) -> Result<FstSet, Error> {
        streamed(self.map.op().add(&other.map).union())
    }

    /// Keys in both `self` and `other`, streamed as [`FstSet::union`].
    pub fn intersection<E: AsRef<[u8]>>(&self, other: &FstSet<E>) -> Result<FstSet, Error> {
        streamed(self.map.op().add(&other.map).intersection())
    }

    /// Keys in `self` but not in `other`, streamed as [`FstSet::union`].
    pub fn difference<E: AsRef<[u8]>>(&self, other: &FstSet<E>) -> Result<FstSet, Error> {
        streamed(self.map.op().add(&other.map).difference())
    }

    /// Keys in exactly one of `self` and `other`, streamed as [`FstSet::union`].
    pub fn symmetric_difference<E: AsRef<[u8]>>(&self, other: &FstSet<E>) -> Result<FstSet, Error> {
        streamed(self.map.op().add(&other.map).symmetric_difference())
    }
}

/// Builds an FST (keys ranked in order) from a sorted stream of a set operation.
fn streamed<S>(mut stream: S) -> Result<FstSet, Error>
where
    S: for<'a> Streamer<'a, Item = (&'a [u8], &'a [fst::map::IndexedValue])>,
{
    let mut b = fst::MapBuilder::memory();
    let mut rank = 0u64;
    while let Some((k, _)) = stream.next() {
        b.insert(k, rank).map_err(|e| Error::too_large(e.to_string()))?;
        rank += 1;
    }
    let mut bytes = b.into_inner().map_err(|e| Error::too_large(e.to_string()))?;
    bytes.shrink_to_fit();
    FstSet::from_fst_bytes(bytes)
}

impl<D: AsRef<[u8]>> TokenSet for FstSet<D> {
    fn kind(&self) -> StoreKind {
        StoreKind::Fst
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn contains(&self, key: &[u8]) -> bool {
        self.map.contains_key(key)
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.map.get(key).and_then(|v| u32::try_from(v).ok())
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        let id = u64::from(id);
        if id >= self.map.len() as u64 {
            return None;
        }
        let fst = self.map.as_fst();
        let mut node = fst.root();
        let mut acc = 0u64;
        let mut key = Vec::new();
        for _ in 0..MAX_WALK {
            if node.is_final() && acc.checked_add(node.final_output().value()) == Some(id) {
                return Some(key);
            }
            // Values are ranks, so each transition's output is the smallest rank below it:
            // follow the last transition that does not overshoot.
            let mut next = None;
            for t in node.transitions() {
                match acc.checked_add(t.out.value()) {
                    Some(v) if v <= id => next = Some(t),
                    _ => break,
                }
            }
            let t = next?;
            key.push(t.inp);
            acc += t.out.value();
            node = fst.node(t.addr);
        }
        None
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        let mut r = self.map.range();
        r = match lo {
            Bound::Included(a) => r.ge(a),
            Bound::Excluded(a) => r.gt(a),
            Bound::Unbounded => r,
        };
        r = match hi {
            Bound::Included(b) => r.le(b),
            Bound::Excluded(b) => r.lt(b),
            Bound::Unbounded => r,
        };
        let mut s = r.into_stream();
        while let Some((k, _)) = s.next() {
            if !f(k) {
                return;
            }
        }
    }

    fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        let mut s = self.map.search(Levenshtein::new(query, max_edits)).into_stream();
        let mut out = Vec::new();
        while let Some((k, _)) = s.next() {
            out.push(k.to_vec());
        }
        out
    }

    fn regex(&self, pattern: &str) -> Result<Vec<Vec<u8>>, Error> {
        let re = KeyRegex::new(pattern)?;
        let mut s = self.map.search(&re).into_stream();
        let mut out = Vec::new();
        while let Some((k, _)) = s.next() {
            out.push(k.to_vec());
        }
        Ok(out)
    }

    fn heap_bytes(&self) -> usize {
        self.map.as_fst().as_bytes().len()
    }
}
