//! The one contract every mergeable sketch follows.

use crate::backend;
use crate::{Backend, Error, HashKind};

/// A mergeable sketch fed with bytes (or with a precomputed 64-bit hash).
///
/// The provided methods hash with the sketch's [`HashKind`], so two sketches with the same
/// parameters, hash and seed can be merged whatever machine, thread or version built them.
pub trait Sketch: Clone + Send + Sync + Sized {
    /// The sketch's stable hash and seed.
    fn hash_kind(&self) -> HashKind;

    /// Adds one precomputed hash (from [`HashKind::hash`] of the same kind and seed); returns
    /// whether the sketch changed. One hash can feed several sketches.
    fn insert_hash(&mut self, hash: u64) -> bool;

    /// Adds one item's bytes; returns whether the sketch changed. Integers go in through their
    /// little-endian bytes (`x.to_le_bytes()`).
    #[inline]
    fn insert(&mut self, item: impl AsRef<[u8]>) -> bool {
        let h = self.hash_kind().hash(item.as_ref());
        self.insert_hash(h)
    }

    /// Folds `other` into `self` with the kernels of `backend`. Sketches of different
    /// parameters, hash or seed give [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible)
    /// and leave `self` untouched.
    fn merge_with(&mut self, other: &Self, backend: Backend) -> Result<(), Error> {
        let (b, _) = backend::resolve(backend, 0)?;
        self.merge_on(other, b)
    }

    /// Folds `other` into `self` on the sketch's [`Sketch::backend`] (`Auto`: the best
    /// compiled kernels).
    fn merge(&mut self, other: &Self) -> Result<(), Error> {
        self.merge_with(other, self.backend())
    }

    /// The backend [`Sketch::merge`] and [`Sketch::extend`] use: `Auto` unless a builder set
    /// another ([`HllBuilder::backend`](crate::HllBuilder::backend)).
    fn backend(&self) -> Backend {
        Backend::Auto
    }

    /// Folds `other` into `self` with the kernels of the resolved backend `backend` (`Auto`:
    /// the best compiled ones); what [`Sketch::merge_with`] calls after checking `backend`.
    #[doc(hidden)]
    fn merge_on(&mut self, other: &Self, backend: Backend) -> Result<(), Error>;

    /// Adds every item, on `backend` (`Parallel`: one sketch per fixed chunk of items, merged
    /// in chunk order, so the result equals the serial build at any thread count).
    fn extend_with<T: AsRef<[u8]> + Sync>(&mut self, items: &[T], backend: Backend) -> Result<(), Error> {
        let (b, _) = backend::resolve(backend, items.len())?;
        if b == Backend::Parallel && self.parallel_exact() {
            #[cfg(feature = "parallel")]
            {
                let built = crate::parallel::build(self, items, |s, item| {
                    s.insert(item);
                })?;
                return self.merge_on(&built, Backend::Auto);
            }
        }
        for item in items {
            self.insert(item);
        }
        Ok(())
    }

    /// Adds every item (on the sketch's [`Sketch::backend`]).
    fn extend<T: AsRef<[u8]> + Sync>(&mut self, items: &[T]) -> Result<(), Error> {
        self.extend_with(items, self.backend())
    }

    /// Whether merging per-chunk sketches gives exactly the serial build (true for all but
    /// the scalable Bloom filter, whose sub-filter boundaries depend on insertion order).
    #[doc(hidden)]
    fn parallel_exact(&self) -> bool {
        true
    }

    /// Whether inserting an item twice leaves the sketch as inserting it once (true for all
    /// but Count-Min, which counts), so bulk text inserts may skip repeats.
    #[doc(hidden)]
    fn idempotent(&self) -> bool {
        true
    }

    /// The bytes this sketch holds on the heap.
    fn heap_bytes(&self) -> usize;

    /// Empties the sketch, keeping its parameters.
    fn clear(&mut self);

    /// An empty sketch with the same parameters and hash.
    fn empty_like(&self) -> Self {
        let mut s = self.clone();
        s.clear();
        s
    }

    /// The versioned, checksummed binary form (see the crate docs, "Serialization").
    fn to_bytes(&self) -> Vec<u8>;

    /// Parses [`Sketch::to_bytes`] output defensively: truncated, damaged or inconsistent
    /// bytes give an error, never a panic or a huge allocation.
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error>;
}

/// A sketch that estimates how many distinct items it has seen.
pub trait Cardinality: Sketch {
    /// The estimated number of distinct items.
    fn estimate(&self) -> f64;

    /// The relative standard error (one sigma) of [`Cardinality::estimate`] at this state.
    fn relative_error(&self) -> f64;

    /// The lower bound `estimate * (1 - sigmas * relative_error)` (never below 0);
    /// `sigmas = 1.96` is a ~95% interval under the normal approximation.
    fn lower(&self, sigmas: f64) -> f64 {
        (self.estimate() * (1.0 - sigmas * self.relative_error())).max(0.0)
    }

    /// The upper bound `estimate * (1 + sigmas * relative_error)`.
    fn upper(&self, sigmas: f64) -> f64 {
        self.estimate() * (1.0 + sigmas * self.relative_error())
    }
}
