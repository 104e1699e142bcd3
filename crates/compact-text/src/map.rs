//! [`TokenMap`]: a `u64` per key over any store ([`ValueMap`]), and the mutable
//! [`Interner`] (token ↔ dense id with counts).

use std::ops::Bound;

use crate::codec::{self, Writer};
use crate::keys::KeyBuf;
use crate::store::{Builder, TokenStore};
use crate::{Error, StoreKind, TokenSet};

/// A [`TokenSet`] with a `u64` value per key (ids, counts, a packed latitude/longitude...).
pub trait TokenMap: TokenSet {
    /// The value of `key`.
    fn get(&self, key: &[u8]) -> Option<u64> {
        self.id_of(key).and_then(|id| self.value(id))
    }

    /// The value of the key with this id.
    fn value(&self, id: u32) -> Option<u64>;
}

/// Any store plus one value per id.
#[derive(Clone, Debug)]
pub struct ValueMap<D = Vec<u8>> {
    keys: TokenStore<D>,
    values: Vec<u64>,
}

impl Builder {
    /// Builds a map from `(key, value)` pairs in any order; for a repeated key the last
    /// value wins.
    pub fn build_map<I, T>(&self, pairs: I) -> Result<ValueMap, Error>
    where
        I: IntoIterator<Item = (T, u64)>,
        T: AsRef<[u8]>,
    {
        let mut buf = KeyBuf::default();
        let mut input_values = Vec::new();
        for (k, v) in pairs {
            buf.push(k.as_ref())?;
            input_values.push(v);
        }
        let keys = self.build(buf.iter())?;
        let mut values = vec![0; keys.len()];
        for (k, v) in buf.iter().zip(input_values) {
            if let Some(id) = keys.id_of(k) {
                values[id as usize] = v;
            }
        }
        Ok(ValueMap { keys, values })
    }

    /// Builds a map from each distinct token of `tokens` to how often it occurs.
    pub fn build_counts<I, T>(&self, tokens: I) -> Result<ValueMap, Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let buf = KeyBuf::from_iter(tokens)?;
        let keys = self.build(buf.iter())?;
        let mut values = vec![0; keys.len()];
        for k in buf.iter() {
            if let Some(id) = keys.id_of(k) {
                values[id as usize] += 1;
            }
        }
        Ok(ValueMap { keys, values })
    }
}

impl<D: AsRef<[u8]>> ValueMap<D> {
    /// The keys.
    pub fn keys(&self) -> &TokenStore<D> {
        &self.keys
    }

    /// Values indexed by id.
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    /// The map as bytes (the store's format with a values section).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u64s(&self.values);
        self.keys.write_payload(&mut w);
        codec::seal(self.keys.kind().code(), 1, &w.buf)
    }

    /// Loads bytes written by [`ValueMap::to_bytes`] (see [`TokenStore::from_bytes`]).
    pub fn from_bytes(data: D) -> Result<Self, Error> {
        let (keys, values) = TokenStore::from_bytes_with(data, true)?;
        Ok(ValueMap { keys, values })
    }
}

impl<D: AsRef<[u8]>> TokenSet for ValueMap<D> {
    fn kind(&self) -> StoreKind {
        self.keys.kind()
    }
    fn len(&self) -> usize {
        self.keys.len()
    }
    fn contains(&self, key: &[u8]) -> bool {
        self.keys.contains(key)
    }
    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.keys.id_of(key)
    }
    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.keys.token_of(id)
    }
    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.keys.visit_range(lo, hi, f)
    }
    fn visit_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8]) -> bool) {
        self.keys.visit_prefix(prefix, f)
    }
    fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        self.keys.fuzzy(query, max_edits)
    }
    fn regex(&self, pattern: &str) -> Result<Vec<Vec<u8>>, Error> {
        self.keys.regex(pattern)
    }
    fn heap_bytes(&self) -> usize {
        self.keys.heap_bytes() + self.values.capacity() * 8
    }
}

impl<D: AsRef<[u8]>> TokenMap for ValueMap<D> {
    fn value(&self, id: u32) -> Option<u64> {
        self.values.get(id as usize).copied()
    }
}

/// A growing token ↔ dense `u32` id table with a count per token (ids in first-seen order).
/// [`Interner::freeze`] turns it into a compact [`ValueMap`] of counts.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: ahash::HashMap<Box<[u8]>, u32>,
    tokens: Vec<Box<[u8]>>,
    counts: Vec<u64>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `token` (a new one if unseen); counts one more occurrence.
    pub fn intern(&mut self, token: &[u8]) -> Result<u32, Error> {
        if let Some(&id) = self.ids.get(token) {
            self.counts[id as usize] += 1;
            return Ok(id);
        }
        let id = u32::try_from(self.tokens.len()).map_err(|_| Error::too_large("more than 2^32 tokens"))?;
        self.ids.insert(Box::from(token), id);
        self.tokens.push(Box::from(token));
        self.counts.push(1);
        Ok(id)
    }

    /// The id of `token`, if seen.
    pub fn get(&self, token: &[u8]) -> Option<u32> {
        self.ids.get(token).copied()
    }

    /// The token with this id.
    pub fn resolve(&self, id: u32) -> Option<&[u8]> {
        self.tokens.get(id as usize).map(|t| &**t)
    }

    /// How often the token with this id was interned.
    pub fn count(&self, id: u32) -> Option<u64> {
        self.counts.get(id as usize).copied()
    }

    /// Distinct tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// No tokens yet.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// A compact map token → count in a `kind` store (ids become the store's ids).
    pub fn freeze(&self, kind: StoreKind) -> Result<ValueMap, Error> {
        Builder::new(kind).build_map(self.tokens.iter().zip(&self.counts).map(|(t, &c)| (t, c)))
    }
}
