//! HyperLogLog (Flajolet et al. 2007) and HyperLogLog++ (Heule et al. 2013).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::codec::{Kind, Reader, Writer};
use crate::registers::{Registers, check_precision};
use crate::{Backend, Cardinality, Error, HashKind, Sketch};

/// The bias constant `alpha_m` of HyperLogLog: 0.673, 0.697, 0.709 for m = 16, 32, 64, else
/// `0.7213 / (1 + 1.079 / m)`.
pub fn hll_alpha(m: usize) -> f64 {
    match m {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1.0 + 1.079 / m as f64),
    }
}

/// Linear counting `m ln(m / v)` for `v` empty registers of `m` (natural log: the book's
/// `log(x, 2)` is bug 1 of the spec).
pub fn linear_counting(m: f64, v: f64) -> f64 {
    m * (m / v).ln()
}

/// The raw HyperLogLog estimate `alpha m^2 / sum 2^-M` from a register histogram, the sum
/// taken exactly in fixed point (`sum 2^(64 - M)` in u128, one conversion to f64), so every
/// backend gives the same bits.
pub(crate) fn raw_estimate(hist: &[u32; 64], m: usize) -> f64 {
    let z: u128 = hist.iter().enumerate().map(|(k, &c)| u128::from(c) << (64 - k)).sum();
    let sum = z as f64 / 18_446_744_073_709_551_616.0;
    hll_alpha(m) * (m as f64) * (m as f64) / sum
}

/// The classic HyperLogLog estimate with the small-range correction (linear counting while
/// the raw estimate is at most 2.5 m and some register is empty). With a 64-bit hash there is
/// no large-range correction (bug 4 of the spec); with a 32-bit hash (`width` 32) the paper's
/// `-2^32 ln(1 - E / 2^32)` above `2^32 / 30` (natural log: bug 1), infinite once `E` reaches
/// `2^32`.
pub(crate) fn hll_estimate(hist: &[u32; 64], m: usize, width: u8) -> f64 {
    let e = raw_estimate(hist, m);
    if e <= 2.5 * m as f64 && hist[0] > 0 {
        return linear_counting(m as f64, f64::from(hist[0]));
    }
    let two32 = 4_294_967_296.0;
    if width == 32 && e > two32 / 30.0 {
        return if e < two32 { -two32 * (1.0 - e / two32).ln() } else { f64::INFINITY };
    }
    e
}

/// The last estimate of a sketch, kept until the sketch changes: a repeated
/// [`Cardinality::estimate`] costs two atomic loads instead of a pass over the registers.
///
/// Inserts only clear the flag (one store the compiler hoists out of an insert loop), so
/// they stay as cheap as without a cache; the first estimate after a change recomputes the
/// exact value. Atomics (not `Cell`) keep the sketch `Sync`; concurrent readers at worst
/// compute the same value twice. Not part of the sketch's value: ignored by `==`.
#[derive(Debug, Default)]
pub(crate) struct EstimateCache {
    valid: AtomicBool,
    bits: AtomicU64,
}

impl EstimateCache {
    /// Forgets the kept value (`&mut`: a plain store, no atomic operation).
    #[inline]
    pub(crate) fn invalidate(&mut self) {
        *self.valid.get_mut() = false;
    }

    /// The kept value, or `compute()` (then kept).
    pub(crate) fn get_or(&self, compute: impl FnOnce() -> f64) -> f64 {
        if self.valid.load(Ordering::Acquire) {
            return f64::from_bits(self.bits.load(Ordering::Relaxed));
        }
        let e = compute();
        self.bits.store(e.to_bits(), Ordering::Relaxed);
        self.valid.store(true, Ordering::Release);
        e
    }
}

impl Clone for EstimateCache {
    fn clone(&self) -> Self {
        EstimateCache {
            valid: AtomicBool::new(self.valid.load(Ordering::Acquire)),
            bits: AtomicU64::new(self.bits.load(Ordering::Relaxed)),
        }
    }
}

impl PartialEq for EstimateCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for EstimateCache {}

/// Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
/// sketches", 2017, Algorithm 6): unbiased over the whole range without empirical tables.
pub(crate) fn ertl_estimate(hist: &[u32; 64], p: u8) -> f64 {
    let m = (1usize << p) as f64;
    let q = 64 - usize::from(p);
    let mut z = m * tau(1.0 - f64::from(hist[q + 1]) / m);
    for k in (1..=q).rev() {
        z += f64::from(hist[k]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(hist[0]) / m);
    m * m / (2.0 * std::f64::consts::LN_2) / z
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let prev = z;
        z += x * y;
        y += y;
        if z == prev {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let prev = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if z == prev {
            return z / 3.0;
        }
    }
}

/// Dense HyperLogLog: `2^p` registers (p in 4..=18) of 6 significant bits, a stable 64-bit
/// hash, standard error `1.04 / sqrt(m)`.
///
/// In memory each register is one byte (the branch-free byte update is the fastest insert
/// measured; `heap_bytes` = `2^p`); serialized, registers are packed to 6 bits. The estimate is
/// kept until the next insert, merge or clear, so repeated [`Cardinality::estimate`] calls are
/// O(1); the first one after a change is one pass over the registers.
#[derive(Clone, Debug)]
pub struct HyperLogLog {
    hash: HashKind,
    regs: Registers,
    cache: EstimateCache,
    /// The backend of `merge` and `extend` (not part of the value: ignored by `==`).
    backend: Backend,
}

/// Equal hash, seed, precision and registers.
impl PartialEq for HyperLogLog {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.regs == other.regs
    }
}

impl Eq for HyperLogLog {}

/// Builds a [`HyperLogLog`] or [`HyperLogLogPlus`]:
/// `HyperLogLog::builder().precision(14).hasher(h).backend(b).build()?`.
#[derive(Clone, Copy, Debug)]
pub struct HllBuilder {
    p: u8,
    hash: HashKind,
    backend: Backend,
}

impl HllBuilder {
    /// The precision `p` (m = 2^p registers), 4..=18; default 14.
    pub fn precision(mut self, p: u8) -> Self {
        self.p = p;
        self
    }
    /// The hash and seed; default `xxh3`, seed 0.
    pub fn hasher(mut self, hash: HashKind) -> Self {
        self.hash = hash;
        self
    }
    /// The backend of the sketch's [`Sketch::merge`] and [`Sketch::extend`] (default
    /// `Auto`); one that is not compiled in fails at `build`
    /// ([`ErrorKind::BackendUnavailable`](crate::ErrorKind::BackendUnavailable)).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }
    /// A dense HyperLogLog.
    pub fn build(self) -> Result<HyperLogLog, Error> {
        crate::backend::resolve(self.backend, 0)?;
        let mut h = HyperLogLog::with_hash(self.p, self.hash)?;
        h.backend = self.backend;
        Ok(h)
    }
    /// A HyperLogLog++ (sparse while small); its merges and bulk inserts use the builder's
    /// backend too.
    pub fn build_plus(self) -> Result<HyperLogLogPlus, Error> {
        crate::backend::resolve(self.backend, 0)?;
        let mut h = HyperLogLogPlus::with_hash(self.p, self.hash)?;
        h.backend = self.backend;
        Ok(h)
    }
}

impl HyperLogLog {
    /// A HyperLogLog with `2^p` registers and the default hash (`p` in 4..=18).
    pub fn new(p: u8) -> Result<Self, Error> {
        Self::with_hash(p, HashKind::default())
    }

    /// A HyperLogLog with `2^p` registers and the given hash.
    pub fn with_hash(p: u8, hash: HashKind) -> Result<Self, Error> {
        check_precision(p)?;
        Ok(HyperLogLog::from_registers(hash, Registers::with_width(p, hash.bits())))
    }

    /// The book's HyperLogLog (ch. 11), its bugs fixed: the 32-bit MurmurHash3 x86_32 of
    /// `mmh3.hash` (seed 0), the index from the low `p` bits and the rank `trailing zeros + 1`
    /// of the remaining `32 - p` bits (capped at `32 - p + 1`), linear counting with the
    /// natural log, and the paper's large-range correction `-2^32 ln(1 - E / 2^32)` above
    /// `2^32 / 30`. Registers are bytes in memory (5 bits would do) and 6-bit packed when
    /// serialized, like the 64-bit sketch. Prefer [`HyperLogLog::new`]: 32 bits saturate
    /// near 4e9 distinct items.
    pub fn book(p: u8) -> Result<Self, Error> {
        Self::with_hash(p, HashKind::Murmur3x86 { seed: 0 })
    }

    /// The builder (precision 14, `xxh3` seed 0).
    pub fn builder() -> HllBuilder {
        HllBuilder { p: 14, hash: HashKind::default(), backend: Backend::Auto }
    }

    /// The precision `p`.
    pub fn precision(&self) -> u8 {
        self.regs.p()
    }

    /// The registers, one byte each (register `i` takes the hashes whose low `p` bits are
    /// `i`).
    pub fn registers(&self) -> &[u8] {
        self.regs.as_slice()
    }

    /// The same sketch at a lower precision `p`, exactly as if built at `p` from the same
    /// stream (so sketches of different precisions can be merged).
    pub fn fold_to(&self, p: u8) -> Result<HyperLogLog, Error> {
        check_precision(p)?;
        let hi = self.regs.p();
        if p > hi {
            return Err(Error::param("precision", format!("cannot fold p = {hi} up to {p}")));
        }
        let mut out = Registers::with_width(p, self.regs.width());
        let mask = (1usize << p) - 1;
        for i in 0..self.regs.len() {
            let v = self.regs.get(i);
            if v == 0 {
                continue;
            }
            let high = i >> p;
            let rank = if high != 0 { high.trailing_zeros() as u8 + 1 } else { hi - p + v };
            out.update(i & mask, rank);
        }
        Ok(HyperLogLog::from_registers(self.hash, out))
    }

    pub(crate) fn from_registers(hash: HashKind, regs: Registers) -> Self {
        HyperLogLog { hash, regs, cache: EstimateCache::default(), backend: Backend::Auto }
    }

    fn check(&self, other: &Self) -> Result<(), Error> {
        if self.hash != other.hash || self.regs.p() != other.regs.p() {
            return Err(Error::incompatible(format!(
                "HyperLogLog p = {} {} vs p = {} {} (fold_to the lower precision first)",
                self.regs.p(),
                self.hash.name(),
                other.regs.p(),
                other.hash.name()
            )));
        }
        Ok(())
    }
}

impl Sketch for HyperLogLog {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    fn backend(&self) -> Backend {
        self.backend
    }
    #[inline]
    fn insert_hash(&mut self, hash: u64) -> bool {
        self.cache.invalidate();
        self.regs.insert_hash(hash)
    }
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        self.check(other)?;
        self.cache.invalidate();
        self.regs.merge_on(&other.regs, b);
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        self.regs.heap_bytes()
    }
    fn clear(&mut self) {
        self.cache.invalidate();
        self.regs.clear();
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::Hll, self.hash);
        self.regs.write(&mut w);
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::Hll)?;
        let regs = Registers::read(&mut r)?;
        let hash = r.hash;
        r.end()?;
        Ok(HyperLogLog::from_registers(hash, regs))
    }
}

impl Cardinality for HyperLogLog {
    fn estimate(&self) -> f64 {
        self.cache.get_or(|| hll_estimate(&self.regs.histogram(), self.regs.len(), self.regs.width()))
    }
    fn relative_error(&self) -> f64 {
        1.04 / (self.regs.len() as f64).sqrt()
    }
}

/// The sparse precision of HyperLogLog++ (`p' = 25`).
const SPARSE_P: u32 = 25;

/// HyperLogLog++: a 64-bit hash, a sparse list of `(25-bit index, rank)` pairs while small
/// (estimated by linear counting over 2^25 buckets, so small counts are nearly exact), then the
/// dense registers estimated with Ertl's improved estimator.
///
/// The Google paper's empirical bias tables (about 200 values per precision) are not
/// reproduced: the dense estimate uses Ertl's estimator (2017), which corrects the same
/// small-range bias analytically from the register histogram.
#[derive(Clone, Debug)]
pub struct HyperLogLogPlus {
    p: u8,
    hash: HashKind,
    repr: Repr,
    /// The backend of `merge` and `extend` (not part of the value: ignored by `==`).
    backend: Backend,
}

/// Equal hash, seed, precision and contents (sparse and dense forms differ).
impl PartialEq for HyperLogLogPlus {
    fn eq(&self, other: &Self) -> bool {
        self.p == other.p && self.hash == other.hash && self.repr == other.repr
    }
}

impl Eq for HyperLogLogPlus {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Repr {
    /// Sorted by index, one entry per 25-bit index: `index << 6 | rank`.
    Sparse(Vec<u32>),
    Dense(Registers),
}

impl HyperLogLogPlus {
    /// A HyperLogLog++ with `2^p` dense registers (`p` in 4..=18) and the default hash.
    pub fn new(p: u8) -> Result<Self, Error> {
        Self::with_hash(p, HashKind::default())
    }

    /// A HyperLogLog++ with the given (64-bit) hash.
    pub fn with_hash(p: u8, hash: HashKind) -> Result<Self, Error> {
        check_precision(p)?;
        hash.require_64("HyperLogLog++")?;
        Ok(HyperLogLogPlus { p, hash, repr: Repr::Sparse(Vec::new()), backend: Backend::Auto })
    }

    /// Whether the sketch is still in its sparse form.
    pub fn is_sparse(&self) -> bool {
        matches!(self.repr, Repr::Sparse(_))
    }

    /// The precision `p`.
    pub fn precision(&self) -> u8 {
        self.p
    }

    /// Sparse entries allowed before converting: as many bytes as the dense registers.
    fn sparse_limit(&self) -> usize {
        (1usize << self.p).div_ceil(10) * 2
    }

    fn encode(h: u64) -> u32 {
        let idx = (h & ((1 << SPARSE_P) - 1)) as u32;
        let rank = ((h >> SPARSE_P) | (1 << (64 - SPARSE_P))).trailing_zeros() + 1;
        (idx << 6) | rank
    }

    fn densify(p: u8, list: &[u32]) -> Registers {
        let mut regs = Registers::new(p);
        for &e in list {
            let (idx, rank) = (e >> 6, (e & 63) as u8);
            let high = idx >> p;
            let r = if high != 0 { high.trailing_zeros() as u8 + 1 } else { (SPARSE_P as u8 - p) + rank };
            regs.update((idx & ((1 << p) - 1)) as usize, r);
        }
        regs
    }

    fn make_dense(&mut self) {
        if let Repr::Sparse(list) = &self.repr {
            self.repr = Repr::Dense(Self::densify(self.p, list));
        }
    }

    /// Inserts one encoded entry into a sorted sparse list; returns whether it changed.
    fn sparse_insert(list: &mut Vec<u32>, e: u32) -> bool {
        match list.binary_search_by_key(&(e >> 6), |x| x >> 6) {
            Ok(i) if list[i] < e => {
                list[i] = e;
                true
            }
            Ok(_) => false,
            Err(i) => {
                list.insert(i, e);
                true
            }
        }
    }

    fn check(&self, other: &Self) -> Result<(), Error> {
        if self.hash != other.hash || self.p != other.p {
            return Err(Error::incompatible(format!(
                "HyperLogLog++ p = {} {} vs p = {} {}",
                self.p,
                self.hash.name(),
                other.p,
                other.hash.name()
            )));
        }
        Ok(())
    }

    /// The dense HyperLogLog this sketch amounts to.
    pub fn to_hll(&self) -> HyperLogLog {
        let regs = match &self.repr {
            Repr::Sparse(list) => Self::densify(self.p, list),
            Repr::Dense(r) => r.clone(),
        };
        HyperLogLog::from_registers(self.hash, regs)
    }
}

impl Sketch for HyperLogLogPlus {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    fn backend(&self) -> Backend {
        self.backend
    }
    fn insert_hash(&mut self, hash: u64) -> bool {
        let limit = self.sparse_limit();
        match &mut self.repr {
            Repr::Dense(regs) => regs.insert_hash(hash),
            Repr::Sparse(list) => {
                let changed = Self::sparse_insert(list, Self::encode(hash));
                if list.len() > limit {
                    self.make_dense();
                }
                changed
            }
        }
    }
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        self.check(other)?;
        let limit = self.sparse_limit();
        match (&mut self.repr, &other.repr) {
            (Repr::Sparse(a), Repr::Sparse(o)) => {
                let out = crate::kmv::merge_sorted(a, o, usize::MAX, |e| e >> 6, u32::max);
                *a = out;
                if a.len() > limit {
                    self.make_dense();
                }
            }
            (_, other_repr) => {
                self.make_dense();
                let dense_other;
                let o = match other_repr {
                    Repr::Dense(r) => r,
                    Repr::Sparse(list) => {
                        dense_other = Self::densify(self.p, list);
                        &dense_other
                    }
                };
                if let Repr::Dense(regs) = &mut self.repr {
                    regs.merge_on(o, b);
                }
            }
        }
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Sparse(list) => list.capacity() * 4,
            Repr::Dense(r) => r.heap_bytes(),
        }
    }
    fn clear(&mut self) {
        self.repr = Repr::Sparse(Vec::new());
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::HllPlus, self.hash);
        w.u8(self.p);
        match &self.repr {
            Repr::Sparse(list) => {
                w.u8(0).u32(list.len() as u32).u32s(list);
            }
            Repr::Dense(regs) => {
                w.u8(1);
                regs.write(&mut w);
            }
        }
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::HllPlus)?;
        let p = r.u8()?;
        check_precision(p).map_err(crate::codec::corrupt_param)?;
        let mut s = HyperLogLogPlus { p, hash: r.hash, repr: Repr::Sparse(Vec::new()), backend: Backend::Auto };
        match r.u8()? {
            0 => {
                let n = r.u32()? as usize;
                if n > s.sparse_limit() {
                    return Err(Error::corrupt("sparse list longer than the dense form"));
                }
                let list = r.u32s(n)?;
                for w in list.windows(2) {
                    if w[0] >> 6 >= w[1] >> 6 {
                        return Err(Error::corrupt("sparse list not strictly sorted"));
                    }
                }
                if list.iter().any(|&e| e & 63 == 0 || (e & 63) > 64 - SPARSE_P + 1) {
                    return Err(Error::corrupt("sparse rank out of range"));
                }
                s.repr = Repr::Sparse(list);
            }
            1 => {
                let regs = Registers::read(&mut r)?;
                if regs.p() != p {
                    return Err(Error::corrupt("dense precision differs from the header"));
                }
                s.repr = Repr::Dense(regs);
            }
            t => return Err(Error::corrupt(format!("unknown HyperLogLog++ form {t}"))),
        }
        r.end()?;
        Ok(s)
    }
}

impl Cardinality for HyperLogLogPlus {
    fn estimate(&self) -> f64 {
        match &self.repr {
            Repr::Sparse(list) => {
                let m = (1u64 << SPARSE_P) as f64;
                linear_counting(m, m - list.len() as f64)
            }
            Repr::Dense(regs) => ertl_estimate(&regs.histogram(), self.p),
        }
    }
    fn relative_error(&self) -> f64 {
        match &self.repr {
            // Linear counting over 2^25 buckets: sqrt(m (e^t - t - 1)) / n with t = n / m.
            Repr::Sparse(list) => {
                let m = (1u64 << SPARSE_P) as f64;
                let n = self.estimate().max(1.0);
                let t = n / m;
                if list.is_empty() { 0.0 } else { (m * (t.exp() - t - 1.0)).sqrt() / n }
            }
            Repr::Dense(_) => 1.04 / f64::from(1u32 << self.p).sqrt(),
        }
    }
}

/// `probabilistic::count_distinct`: the estimated number of distinct items (HyperLogLog,
/// p = 14, `xxh3` seed 0, the `Auto` backend).
pub fn count_distinct<I>(items: I) -> f64
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let mut h = HyperLogLog::from_registers(HashKind::default(), Registers::new(14));
    for item in items {
        h.insert(item);
    }
    h.estimate()
}
