//! K-Minimum Values (Beyer et al. 2007): the k smallest distinct hashes.

use crate::codec::{Kind, Reader, Writer};
use crate::{Backend, Cardinality, Error, HashKind, Sketch};

/// The `k` smallest distinct hashes seen. Exact below `k` distinct items; above, the
/// estimate `(k - 1) / U_k` with `U_k = (h_k + 1) / 2^b` the k-th minimum of the `b`-bit
/// hashes (not the book's second-largest kept hash, bug 5 of the spec, which
/// [`Kmv::book_estimate`] keeps for comparison); relative error about `1 / sqrt(k - 2)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kmv {
    k: usize,
    hash: HashKind,
    /// Sorted ascending, distinct, at most `k`.
    mins: Vec<u64>,
}

/// Merges two lists sorted by `key` (unique keys in each) into one, at most `limit` long;
/// entries with equal keys are combined with `both`.
pub(crate) fn merge_sorted<T: Copy + Ord, K: Ord>(
    a: &[T],
    b: &[T],
    limit: usize,
    key: impl Fn(T) -> K,
    both: impl Fn(T, T) -> T,
) -> Vec<T> {
    let mut out = Vec::with_capacity((a.len() + b.len()).min(limit));
    let (mut i, mut j) = (0, 0);
    while out.len() < limit {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    both(x, y)
                }
                std::cmp::Ordering::Less => {
                    i += 1;
                    x
                }
                std::cmp::Ordering::Greater => {
                    j += 1;
                    y
                }
            },
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

impl Kmv {
    /// A KMV sketch keeping `k >= 3` hashes, default hash.
    pub fn new(k: usize) -> Result<Self, Error> {
        Self::with_hash(k, HashKind::default())
    }

    /// A KMV sketch with the given hash.
    pub fn with_hash(k: usize, hash: HashKind) -> Result<Self, Error> {
        if !(3..=1 << 28).contains(&k) {
            return Err(Error::param("k", format!("{k} is outside 3..=2^28")));
        }
        Ok(Kmv { k, hash, mins: Vec::new() })
    }

    /// `k`.
    pub fn k(&self) -> usize {
        self.k
    }

    /// `2^bits` of the hash: the scale of the minima.
    fn range(&self) -> f64 {
        f64::from(self.hash.bits()).exp2()
    }

    /// The book's estimate, for comparison: `(k - 1) (2^b - 1) / (h - 1)` with `h` the
    /// second-largest kept hash (the book's `data[-2] + 2^31 - 1` for signed 32-bit hashes),
    /// `0` with at most two hashes, and `k - 1` even while fewer than `k` are kept. It uses the
    /// (k-1)-th minimum where the k-th is right (bug 5 of the spec): about `1 / (k - 2)` too
    /// high. [`Cardinality::estimate`] is the corrected one.
    pub fn book_estimate(&self) -> f64 {
        match self.mins.len() {
            0..=2 => 0.0,
            n => (self.k - 1) as f64 * (self.range() - 1.0) / (self.mins[n - 2] as f64 - 1.0),
        }
    }

    /// The kept hashes, ascending.
    pub fn hashes(&self) -> &[u64] {
        &self.mins
    }

    fn check(&self, other: &Self) -> Result<(), Error> {
        if self.k != other.k || self.hash != other.hash {
            return Err(Error::incompatible(format!("KMV k = {} vs k = {} (or different hashes)", self.k, other.k)));
        }
        Ok(())
    }

    /// The k smallest of the union of both sets of hashes.
    fn union_mins(&self, other: &Self) -> Vec<u64> {
        merge_sorted(&self.mins, &other.mins, self.k, |x| x, u64::max)
    }

    /// The sketch of the union of both streams.
    pub fn union(&self, other: &Self) -> Result<Kmv, Error> {
        self.check(other)?;
        Ok(Kmv { k: self.k, hash: self.hash, mins: self.union_mins(other) })
    }

    /// The Jaccard similarity `|A ∩ B| / |A ∪ B|`, estimated from the k smallest hashes of the
    /// union (sigma about `sqrt((1 - J) / (k J))`).
    pub fn jaccard(&self, other: &Self) -> Result<f64, Error> {
        self.check(other)?;
        let u = self.union_mins(other);
        if u.is_empty() {
            return Ok(0.0);
        }
        let both =
            u.iter().filter(|h| self.mins.binary_search(h).is_ok() && other.mins.binary_search(h).is_ok()).count();
        Ok(both as f64 / u.len() as f64)
    }

    /// `|A ∩ B|`, estimated as Jaccard times the union's estimate.
    pub fn intersection_estimate(&self, other: &Self) -> Result<f64, Error> {
        Ok(self.jaccard(other)? * self.union(other)?.estimate())
    }
}

impl Sketch for Kmv {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    #[inline]
    fn insert_hash(&mut self, h: u64) -> bool {
        if self.mins.len() == self.k && self.mins.last().is_some_and(|&l| h >= l) {
            return false;
        }
        match self.mins.binary_search(&h) {
            Ok(_) => false,
            Err(i) => {
                if self.mins.len() == self.k {
                    self.mins.pop();
                }
                self.mins.insert(i, h);
                true
            }
        }
    }
    fn merge_on(&mut self, other: &Self, _b: Backend) -> Result<(), Error> {
        self.check(other)?;
        self.mins = self.union_mins(other);
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        self.mins.capacity() * 8
    }
    fn clear(&mut self) {
        self.mins.clear();
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::Kmv, self.hash);
        w.u32(self.k as u32).u32(self.mins.len() as u32).u64s(&self.mins);
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::Kmv)?;
        let k = r.u32()? as usize;
        let n = r.u32()? as usize;
        let mut s = Kmv::with_hash(k, r.hash).map_err(crate::codec::corrupt_param)?;
        if n > k {
            return Err(Error::corrupt(format!("{n} hashes in a KMV of k = {k}")));
        }
        s.mins = r.u64s(n)?;
        if s.mins.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::corrupt("KMV hashes not strictly increasing"));
        }
        r.end()?;
        Ok(s)
    }
}

impl Cardinality for Kmv {
    fn estimate(&self) -> f64 {
        match self.mins.last() {
            Some(&hk) if self.mins.len() == self.k => (self.k - 1) as f64 / ((hk as f64 + 1.0) / self.range()),
            _ => self.mins.len() as f64,
        }
    }
    fn relative_error(&self) -> f64 {
        if self.mins.len() < self.k { 0.0 } else { 1.0 / ((self.k - 2) as f64).sqrt() }
    }
}
