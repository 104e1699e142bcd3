//! The Count-Min sketch (Cormode & Muthukrishnan 2005), beyond the book.

use crate::backend;
use crate::codec::{Kind, Reader, Writer};
use crate::hash::{reduce, second};
use crate::{Backend, Error, HashKind, Sketch};

/// `depth` rows of `width` saturating u32 counters; `count(x)` never underestimates and
/// overestimates by more than `eps * total` with probability at most `delta`. Merging adds
/// counters, so it is commutative and associative but not idempotent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountMinSketch {
    width: u32,
    depth: u32,
    hash: HashKind,
    total: u64,
    counts: Vec<u32>,
}

impl CountMinSketch {
    /// Width `ceil(e / eps)`, depth `ceil(ln(1 / delta))`.
    pub fn new(eps: f64, delta: f64) -> Result<Self, Error> {
        if !(eps > 0.0 && eps < 1.0) {
            return Err(Error::param("eps", format!("{eps} is not inside (0, 1)")));
        }
        if !(delta > 0.0 && delta < 1.0) {
            return Err(Error::param("delta", format!("{delta} is not inside (0, 1)")));
        }
        let width = (std::f64::consts::E / eps).ceil();
        let depth = (1.0 / delta).ln().ceil().max(1.0);
        Self::with_dims(width as u32, depth as u32, HashKind::default())
    }

    /// Explicit dimensions (width 1..=2^26, depth 1..=32).
    pub fn with_dims(width: u32, depth: u32, hash: HashKind) -> Result<Self, Error> {
        hash.require_64("a Count-Min sketch")?;
        if !(1..=1 << 26).contains(&width) {
            return Err(Error::param("width", format!("{width} is outside 1..=2^26")));
        }
        if !(1..=32).contains(&depth) {
            return Err(Error::param("depth", format!("{depth} is outside 1..=32")));
        }
        Ok(CountMinSketch { width, depth, hash, total: 0, counts: vec![0; (width * depth) as usize] })
    }

    /// `(width, depth)`.
    pub fn dims(&self) -> (u32, u32) {
        (self.width, self.depth)
    }

    #[inline]
    fn cells(&self, h: u64) -> impl Iterator<Item = usize> + use<> {
        let (w, h2) = (u64::from(self.width), second(h));
        (0..u64::from(self.depth)).map(move |r| (r * w + reduce(h.wrapping_add(r.wrapping_mul(h2)), w)) as usize)
    }

    /// Adds `n` occurrences of a hash.
    pub fn add_hash(&mut self, hash: u64, n: u32) {
        for c in self.cells(hash) {
            self.counts[c] = self.counts[c].saturating_add(n);
        }
        self.total = self.total.saturating_add(u64::from(n));
    }

    /// The estimated count of a hash (never below the truth).
    pub fn count_hash(&self, hash: u64) -> u32 {
        self.cells(hash).map(|c| self.counts[c]).min().unwrap_or(0)
    }

    /// The estimated count of an item.
    pub fn count(&self, item: impl AsRef<[u8]>) -> u32 {
        self.count_hash(self.hash.hash(item.as_ref()))
    }

    /// The number of occurrences added.
    pub fn total(&self) -> u64 {
        self.total
    }
}

impl Sketch for CountMinSketch {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    fn idempotent(&self) -> bool {
        false
    }
    fn insert_hash(&mut self, hash: u64) -> bool {
        self.add_hash(hash, 1);
        true
    }
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        if (self.width, self.depth, self.hash) != (other.width, other.depth, other.hash) {
            return Err(Error::incompatible("Count-Min sketches of different dimensions or hashes"));
        }
        (backend::kernels_for(b).add_counts)(&mut self.counts, &other.counts);
        self.total = self.total.saturating_add(other.total);
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        self.counts.capacity() * 4
    }
    fn clear(&mut self) {
        self.counts.fill(0);
        self.total = 0;
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::CountMin, self.hash);
        w.u32(self.width).u32(self.depth).u64(self.total).u32s(&self.counts);
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::CountMin)?;
        let (hash, width, depth, total) = (r.hash, r.u32()?, r.u32()?, r.u64()?);
        if !(1..=1 << 26).contains(&width) || !(1..=32).contains(&depth) {
            return Err(Error::corrupt(format!("Count-Min dimensions {width} x {depth}")));
        }
        let counts = r.u32s((width * depth) as usize)?;
        r.end()?;
        Ok(CountMinSketch { width, depth, hash, total, counts })
    }
}
