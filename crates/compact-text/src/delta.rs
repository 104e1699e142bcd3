//! [`Layered`]: a static store plus a small mutable delta (inserts and deletes), queried as
//! one set and merged into a new static store — what the `fst` author recommends for
//! updates, packaged.

use std::collections::BTreeSet;
use std::ops::Bound;

use crate::query::{Levenshtein, above_lo, below_hi};
use crate::store::{Builder, TokenStore};
use crate::{Error, TokenSet};

/// A static base with a mutable delta on top.
#[derive(Clone, Debug)]
pub struct Layered<S> {
    base: S,
    inserted: BTreeSet<Vec<u8>>,
    deleted: BTreeSet<Vec<u8>>,
}

impl<S: TokenSet> Layered<S> {
    /// `base` with an empty delta.
    pub fn new(base: S) -> Self {
        Layered { base, inserted: BTreeSet::new(), deleted: BTreeSet::new() }
    }

    /// The static base.
    pub fn base(&self) -> &S {
        &self.base
    }

    /// Adds `key`; `true` if it was not present.
    pub fn insert(&mut self, key: &[u8]) -> bool {
        if self.base.contains(key) { self.deleted.remove(key) } else { self.inserted.insert(key.to_vec()) }
    }

    /// Removes `key`; `true` if it was present.
    pub fn remove(&mut self, key: &[u8]) -> bool {
        if self.inserted.remove(key) {
            true
        } else if self.base.contains(key) {
            self.deleted.insert(key.to_vec())
        } else {
            false
        }
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &[u8]) -> bool {
        self.inserted.contains(key) || (self.base.contains(key) && !self.deleted.contains(key))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.base.len() - self.deleted.len() + self.inserted.len()
    }

    /// No keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keys in the delta (inserts + deletes).
    pub fn delta_len(&self) -> usize {
        self.inserted.len() + self.deleted.len()
    }

    /// Calls `f` with each key in `lo..hi`, ascending, until it returns `false`.
    pub fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        let mut extra = self.inserted.iter().filter(|k| above_lo(k, lo) && below_hi(k, hi)).peekable();
        let mut go = true;
        self.base.visit_range(lo, hi, &mut |k| {
            while let Some(e) = extra.next_if(|e| e.as_slice() < k) {
                if !f(e) {
                    go = false;
                    return false;
                }
            }
            if self.deleted.contains(k) {
                return true;
            }
            go = f(k);
            go
        });
        if go {
            for e in extra {
                if !f(e) {
                    return;
                }
            }
        }
    }

    /// Keys in `lo..hi`, ascending.
    pub fn range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        self.visit_range(lo, hi, &mut |k| {
            out.push(k.to_vec());
            true
        });
        out
    }

    /// Keys starting with `prefix`, ascending.
    pub fn prefix(&self, prefix: &[u8]) -> Vec<Vec<u8>> {
        let end = crate::query::prefix_end(prefix);
        let hi = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
        self.range(Bound::Included(prefix), hi)
    }

    /// Keys within Levenshtein distance `max_edits` of `query`, ascending.
    pub fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        let lev = Levenshtein::new(query, max_edits);
        let mut out: Vec<Vec<u8>> = self.base.fuzzy(query, max_edits);
        out.retain(|k| !self.deleted.contains(k));
        out.extend(lev.filter_sorted(|f| {
            for k in &self.inserted {
                if !f(k) {
                    return;
                }
            }
        }));
        out.sort_unstable();
        out
    }

    /// A new static store of the current keys (base and delta merged), of `builder`'s kind.
    pub fn merge(&self, builder: &Builder) -> Result<TokenStore, Error> {
        let all = self.range(Bound::Unbounded, Bound::Unbounded);
        builder.build_sorted(all)
    }
}
