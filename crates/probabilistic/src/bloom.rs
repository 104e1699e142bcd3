//! Bloom filters: the classic one (Bloom 1970) and the scalable one (Almeida et al. 2007).

use crate::backend;
use crate::codec::{Kind, Reader, Writer};
use crate::hash::{reduce, second};
use crate::{Backend, Cardinality, Error, HashKind, Sketch};

/// The largest filter this crate builds: 2^36 bits (8 GiB).
const MAX_BITS: u64 = 1 << 36;

pub(crate) fn check_fp(fp_rate: f64) -> Result<(), Error> {
    if fp_rate > 0.0 && fp_rate < 1.0 {
        Ok(())
    } else {
        Err(Error::param("fp_rate", format!("{fp_rate} is not inside (0, 1)")))
    }
}

pub(crate) fn check_capacity(capacity: u64) -> Result<(), Error> {
    if capacity == 0 { Err(Error::param("capacity", "must be at least 1")) } else { Ok(()) }
}

/// A Bloom filter of `m` bits and `k` hash functions, the indexes `(h1 + i h2) mod m` from one
/// 64-bit hash (double hashing, reduced by multiply-shift). No false negatives; false
/// positives at about the target rate when holding `capacity` items.
#[derive(Clone, Debug, PartialEq)]
pub struct BloomFilter {
    capacity: u64,
    fp_rate: f64,
    bits: u64,
    k: u32,
    hash: HashKind,
    words: Vec<u64>,
}

impl BloomFilter {
    /// The book's sizing: `m = int(-n ln p / ln(2)^2) + 1` bits, `k = int(m ln 2 / n) + 1`
    /// hashes.
    pub fn params(capacity: u64, fp_rate: f64) -> Result<(u64, u32), Error> {
        check_capacity(capacity)?;
        check_fp(fp_rate)?;
        let n = capacity as f64;
        let ln2 = std::f64::consts::LN_2;
        let m = (-n * fp_rate.ln() / (ln2 * ln2)).floor() + 1.0;
        if m > MAX_BITS as f64 {
            return Err(Error::param("capacity", format!("{capacity} items at {fp_rate} need more than 2^36 bits")));
        }
        let k = (m * ln2 / n).floor() + 1.0;
        Ok((m as u64, (k as u32).min(64)))
    }

    /// A filter for `capacity` items at false-positive rate `fp_rate` in (0, 1).
    pub fn new(capacity: u64, fp_rate: f64) -> Result<Self, Error> {
        Self::with_hash(capacity, fp_rate, HashKind::default())
    }

    /// A filter with the given hash.
    pub fn with_hash(capacity: u64, fp_rate: f64, hash: HashKind) -> Result<Self, Error> {
        hash.require_64("a Bloom filter")?;
        let (bits, k) = Self::params(capacity, fp_rate)?;
        Ok(BloomFilter { capacity, fp_rate, bits, k, hash, words: vec![0; bits.div_ceil(64) as usize] })
    }

    /// The number of bits `m`.
    pub fn bits(&self) -> u64 {
        self.bits
    }

    /// The number of hash functions `k`.
    pub fn hashes(&self) -> u32 {
        self.k
    }

    /// The capacity it was sized for.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// The target false-positive rate it was sized for.
    pub fn fp_rate(&self) -> f64 {
        self.fp_rate
    }

    #[inline]
    fn for_each_index(&self, h: u64, mut f: impl FnMut(usize, u64) -> bool) -> bool {
        let h2 = second(h);
        let mut g = h;
        for _ in 0..self.k {
            let i = reduce(g, self.bits);
            if !f((i / 64) as usize, 1 << (i % 64)) {
                return false;
            }
            g = g.wrapping_add(h2);
        }
        true
    }

    /// Whether `hash` may have been inserted (false: certainly not).
    #[inline]
    pub fn contains_hash(&self, hash: u64) -> bool {
        self.for_each_index(hash, |w, bit| self.words[w] & bit != 0)
    }

    /// Whether `item` may have been inserted (false: certainly not).
    pub fn contains(&self, item: impl AsRef<[u8]>) -> bool {
        self.contains_hash(self.hash.hash(item.as_ref()))
    }

    /// The fraction of bits set.
    pub fn fill_ratio(&self) -> f64 {
        self.set_bits() as f64 / self.bits as f64
    }

    fn set_bits(&self) -> u64 {
        (backend::best().popcount)(&self.words)
    }

    /// The number of items, estimated from the set bits: `-(m / k) ln(1 - X / m)`.
    pub fn estimate_count(&self) -> f64 {
        let (m, x) = (self.bits as f64, self.set_bits() as f64);
        if x >= m { f64::INFINITY } else { -(m / f64::from(self.k)) * (1.0 - x / m).ln() }
    }

    fn check(&self, other: &Self) -> Result<(), Error> {
        if self.bits != other.bits || self.k != other.k || self.hash != other.hash {
            return Err(Error::incompatible(format!(
                "Bloom filters of {} bits / {} hashes vs {} bits / {} hashes (or different hashes)",
                self.bits, self.k, other.bits, other.k
            )));
        }
        Ok(())
    }

    /// The filter of the union (bitwise OR; exact).
    pub fn union(&self, other: &Self) -> Result<BloomFilter, Error> {
        let mut out = self.clone();
        out.merge(other)?;
        Ok(out)
    }

    /// The bitwise AND: it contains every item of both, plus more false positives than a
    /// filter built from the intersection (lossy).
    pub fn intersect(&self, other: &Self) -> Result<BloomFilter, Error> {
        self.intersect_with(other, Backend::Auto)
    }

    /// [`BloomFilter::intersect`] with a chosen backend.
    pub fn intersect_with(&self, other: &Self, backend: Backend) -> Result<BloomFilter, Error> {
        self.check(other)?;
        let (b, _) = backend::resolve(backend, 0)?;
        let mut out = self.clone();
        (backend::kernels_for(b).and_words)(&mut out.words, &other.words);
        Ok(out)
    }

    /// The words of the bit array (bit `i` is `words[i / 64] >> (i % 64) & 1`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Re-sizes an empty filter's parameters without allocating its words (the atomic filter
    /// keeps its own).
    pub(crate) fn reshape(&mut self, capacity: u64, fp_rate: f64) -> Result<(), Error> {
        let (bits, k) = Self::params(capacity, fp_rate)?;
        *self = BloomFilter { capacity, fp_rate, bits, k, hash: self.hash, words: Vec::new() };
        Ok(())
    }

    pub(crate) fn set_words(&mut self, words: Vec<u64>) {
        self.words = words;
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u64(self.capacity).f64(self.fp_rate).u64s(&self.words);
    }

    pub(crate) fn read(r: &mut Reader<'_>, hash: HashKind) -> Result<Self, Error> {
        let capacity = r.u64()?;
        let fp_rate = r.f64()?;
        let (bits, k) = Self::params(capacity, fp_rate).map_err(crate::codec::corrupt_param)?;
        let nwords = bits.div_ceil(64) as usize;
        let words = r.u64s(nwords)?;
        if bits % 64 != 0 && words.last().is_some_and(|w| w >> (bits % 64) != 0) {
            return Err(Error::corrupt("bits set past the end of the filter"));
        }
        Ok(BloomFilter { capacity, fp_rate, bits, k, hash, words })
    }
}

impl Sketch for BloomFilter {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    #[inline]
    fn insert_hash(&mut self, hash: u64) -> bool {
        let h2 = second(hash);
        let mut g = hash;
        let mut changed = false;
        for _ in 0..self.k {
            let i = reduce(g, self.bits);
            let w = &mut self.words[(i / 64) as usize];
            let bit = 1 << (i % 64);
            changed |= *w & bit == 0;
            *w |= bit;
            g = g.wrapping_add(h2);
        }
        changed
    }
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        self.check(other)?;
        (backend::kernels_for(b).or_words)(&mut self.words, &other.words);
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
    fn clear(&mut self) {
        self.words.fill(0);
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::Bloom, self.hash);
        self.write(&mut w);
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::Bloom)?;
        let hash = r.hash;
        let s = Self::read(&mut r, hash)?;
        r.end()?;
        Ok(s)
    }
}

impl Cardinality for BloomFilter {
    fn estimate(&self) -> f64 {
        self.estimate_count()
    }
    /// Linear counting over `m` bits hit `k n` times: `sqrt(m (e^t - t - 1)) / (k n)`,
    /// `t = k n / m`.
    fn relative_error(&self) -> f64 {
        let n = self.estimate_count();
        if n == 0.0 || !n.is_finite() {
            return if n == 0.0 { 0.0 } else { f64::INFINITY };
        }
        let m = self.bits as f64;
        let t = f64::from(self.k) * n / m;
        (m * (t.exp() - t - 1.0)).sqrt() / (f64::from(self.k) * n)
    }
}

/// A Bloom filter that grows: when the current sub-filter has taken `max_fill * capacity_i`
/// new items it adds one `growth` times larger with error `fp_0 * tightening^i`, where
/// `fp_0 = fp_rate * (1 - tightening)`, so the total false-positive rate stays under
/// `fp_rate` however far it grows (the book's "product of errors" is bug 5 of the spec).
#[derive(Clone, Debug, PartialEq)]
pub struct ScalableBloomFilter {
    capacity: u64,
    fp_rate: f64,
    growth: u32,
    tightening: f64,
    max_fill: f64,
    hash: HashKind,
    filters: Vec<BloomFilter>,
    /// Items added to the last sub-filter.
    current: u64,
}

impl ScalableBloomFilter {
    /// A scalable filter starting at `capacity` with total target `fp_rate`; growth 2,
    /// tightening 0.5, max fill 1.
    pub fn new(capacity: u64, fp_rate: f64) -> Result<Self, Error> {
        Self::configure(capacity, fp_rate, 2, 0.5, 1.0, HashKind::default())
    }

    /// The book's variant: every sub-filter the same capacity (growth 1), max fill 0.8,
    /// tightening 0.5, with the corrected error split.
    pub fn book(capacity: u64) -> Result<Self, Error> {
        Self::configure(capacity, 0.005, 1, 0.5, 0.8, HashKind::default())
    }

    /// Sets the growth factor (sub-filter `i` holds `capacity * growth^i` items), 1..=16;
    /// before the first insert only. `ScalableBloomFilter::new(n, p)?.growth(4)?`.
    pub fn growth(self, growth: u32) -> Result<Self, Error> {
        self.reconfigure("growth", growth, self.tightening, self.max_fill)
    }

    /// Sets the tightening ratio `r` (sub-filter `i` targets `fp_rate (1 - r) r^i`), in
    /// (0, 1); before the first insert only.
    pub fn tightening(self, tightening: f64) -> Result<Self, Error> {
        self.reconfigure("tightening", self.growth, tightening, self.max_fill)
    }

    /// Sets the fill (new items per capacity) at which a sub-filter is closed, in (0, 1];
    /// before the first insert only.
    pub fn max_fill(self, max_fill: f64) -> Result<Self, Error> {
        self.reconfigure("max_fill", self.growth, self.tightening, max_fill)
    }

    fn reconfigure(&self, name: &'static str, growth: u32, tightening: f64, max_fill: f64) -> Result<Self, Error> {
        if self.current > 0 || self.filters.len() > 1 {
            return Err(Error::param(name, "can only be set before the first insert"));
        }
        Self::configure(self.capacity, self.fp_rate, growth, tightening, max_fill, self.hash)
    }

    /// Every parameter: growth >= 1, tightening in (0, 1), max_fill in (0, 1].
    pub fn configure(
        capacity: u64,
        fp_rate: f64,
        growth: u32,
        tightening: f64,
        max_fill: f64,
        hash: HashKind,
    ) -> Result<Self, Error> {
        let mut s = Self::empty(capacity, fp_rate, growth, tightening, max_fill, hash)?;
        s.filters.push(s.sub_filter(0)?);
        Ok(s)
    }

    /// Checks the parameters; no sub-filter yet (so nothing large is allocated).
    fn empty(
        capacity: u64,
        fp_rate: f64,
        growth: u32,
        tightening: f64,
        max_fill: f64,
        hash: HashKind,
    ) -> Result<Self, Error> {
        check_capacity(capacity)?;
        check_fp(fp_rate)?;
        hash.require_64("a scalable Bloom filter")?;
        if !(1..=16).contains(&growth) {
            return Err(Error::param("growth", format!("{growth} is outside 1..=16")));
        }
        if !(tightening > 0.0 && tightening < 1.0) {
            return Err(Error::param("tightening", format!("{tightening} is not inside (0, 1)")));
        }
        if !(max_fill > 0.0 && max_fill <= 1.0) {
            return Err(Error::param("max_fill", format!("{max_fill} is not inside (0, 1]")));
        }
        Ok(ScalableBloomFilter {
            capacity,
            fp_rate,
            growth,
            tightening,
            max_fill,
            hash,
            filters: Vec::new(),
            current: 0,
        })
    }

    /// Capacity and error of sub-filter `i`.
    fn sub_params(&self, i: usize) -> Result<(u64, f64), Error> {
        let cap = u64::from(self.growth)
            .checked_pow(i as u32)
            .and_then(|g| g.checked_mul(self.capacity))
            .ok_or_else(|| Error::param("capacity", "the scalable filter cannot grow further"))?;
        Ok((cap, self.fp_rate * (1.0 - self.tightening) * self.tightening.powi(i as i32)))
    }

    fn sub_filter(&self, i: usize) -> Result<BloomFilter, Error> {
        let (cap, fp) = self.sub_params(i)?;
        BloomFilter::with_hash(cap, fp, self.hash)
    }

    /// Whether `item` may have been inserted.
    pub fn contains(&self, item: impl AsRef<[u8]>) -> bool {
        let h = self.hash.hash(item.as_ref());
        self.filters.iter().any(|f| f.contains_hash(h))
    }

    /// The sub-filters, oldest first.
    pub fn filters(&self) -> &[BloomFilter] {
        &self.filters
    }

    /// The union of the sub-filters' bounds: `sum fp_i` over the sub-filters in use.
    pub fn fp_bound(&self) -> f64 {
        self.filters.iter().map(BloomFilter::fp_rate).sum()
    }

    fn same_params(&self, o: &Self) -> bool {
        self.capacity == o.capacity
            && self.fp_rate == o.fp_rate
            && self.growth == o.growth
            && self.tightening == o.tightening
            && self.max_fill == o.max_fill
            && self.hash == o.hash
    }
}

impl Sketch for ScalableBloomFilter {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    fn insert_hash(&mut self, hash: u64) -> bool {
        if self.filters.iter().any(|f| f.contains_hash(hash)) {
            return false;
        }
        let last = self.filters.len() - 1;
        let limit = (self.filters[last].capacity() as f64 * self.max_fill).floor() as u64;
        if self.current >= limit.max(1) {
            // Past the size limit it keeps filling the last one (its fill_ratio shows it).
            if let Ok(f) = self.sub_filter(last + 1) {
                self.filters.push(f);
                self.current = 0;
            }
        }
        self.current += 1;
        let last = self.filters.len() - 1;
        self.filters[last].insert_hash(hash)
    }
    /// Sub-filter `i` is ORed with the other's sub-filter `i`; extra sub-filters are taken
    /// over. Commutative, associative and idempotent, but not the serial build of the joint
    /// stream (sub-filter boundaries depend on order).
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        if !self.same_params(other) {
            return Err(Error::incompatible("scalable Bloom filters with different parameters or hashes"));
        }
        // `current` follows the longer list (max by (sub-filters, current)): a lattice join,
        // so the merge stays commutative, associative and idempotent.
        self.current = match other.filters.len().cmp(&self.filters.len()) {
            std::cmp::Ordering::Greater => other.current,
            std::cmp::Ordering::Equal => self.current.max(other.current),
            std::cmp::Ordering::Less => self.current,
        };
        for (i, f) in other.filters.iter().enumerate() {
            match self.filters.get_mut(i) {
                Some(mine) => mine.merge_on(f, b)?,
                None => self.filters.push(f.clone()),
            }
        }
        Ok(())
    }
    fn parallel_exact(&self) -> bool {
        false
    }
    fn heap_bytes(&self) -> usize {
        self.filters.iter().map(Sketch::heap_bytes).sum::<usize>() + self.filters.capacity() * size_of::<BloomFilter>()
    }
    fn clear(&mut self) {
        self.filters.truncate(1);
        self.filters[0].clear();
        self.current = 0;
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::ScalableBloom, self.hash);
        w.u64(self.capacity).f64(self.fp_rate).u32(self.growth).f64(self.tightening).f64(self.max_fill);
        w.u64(self.current).u32(self.filters.len() as u32);
        for f in &self.filters {
            f.write(&mut w);
        }
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::ScalableBloom)?;
        let (capacity, fp_rate, growth, tightening, max_fill) = (r.u64()?, r.f64()?, r.u32()?, r.f64()?, r.f64()?);
        let mut s = Self::empty(capacity, fp_rate, growth, tightening, max_fill, r.hash)
            .map_err(crate::codec::corrupt_param)?;
        s.current = r.u64()?;
        let n = r.u32()? as usize;
        if n == 0 || n > 64 {
            return Err(Error::corrupt(format!("{n} sub-filters")));
        }
        for i in 0..n {
            let (cap, fp) = s.sub_params(i).map_err(crate::codec::corrupt_param)?;
            let f = BloomFilter::read(&mut r, s.hash)?;
            if f.capacity != cap || f.fp_rate != fp {
                return Err(Error::corrupt(format!("sub-filter {i} does not follow the growth rule")));
            }
            s.filters.push(f);
        }
        r.end()?;
        Ok(s)
    }
}

impl Cardinality for ScalableBloomFilter {
    fn estimate(&self) -> f64 {
        self.filters.iter().map(BloomFilter::estimate_count).sum()
    }
    fn relative_error(&self) -> f64 {
        let n = self.estimate();
        if n == 0.0 {
            return 0.0;
        }
        let var: f64 = self.filters.iter().map(|f| (f.relative_error() * f.estimate_count()).powi(2)).sum();
        var.sqrt() / n
    }
}
