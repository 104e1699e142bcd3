//! The split-block Bloom filter (Putze et al. 2007; Apache Parquet's layout): one 256-bit block
//! per key, eight 32-bit lanes with one bit each, so a query touches one cache line and maps to
//! one SIMD compare.

use crate::backend::{self, BlockKernel, BlockLoop};
use crate::bloom::{check_capacity, check_fp};
use crate::codec::{Kind, Reader, Writer};
use crate::hash::reduce;
use crate::{Backend, Cardinality, Error, HashKind, Sketch};

/// The split-block false-positive rate of `blocks` blocks holding `n` keys: keys per block are
/// Poisson(`n / blocks`), and a block holding `j` keys answers a foreign key falsely with
/// probability `(1 - (31/32)^j)^8`.
pub fn split_block_fp(n: u64, blocks: u64) -> f64 {
    let lambda = n as f64 / blocks as f64;
    let hi = (lambda + 12.0 * lambda.sqrt() + 30.0) as u64;
    let mut pj = (-lambda).exp();
    let mut total = 0.0;
    for j in 0..=hi {
        if j > 0 {
            pj *= lambda / j as f64;
        }
        total += pj * (1.0 - (31.0f64 / 32.0).powi(j as i32)).powi(8);
    }
    total
}

/// The fewest blocks (at least one per 64 keys) that keep `capacity` keys under `fp_rate`
/// (by [`split_block_fp`]).
pub fn split_block_blocks(capacity: u64, fp_rate: f64) -> Result<u64, Error> {
    check_capacity(capacity)?;
    check_fp(fp_rate)?;
    const MAX_BLOCKS: u64 = 1 << 28;
    // Never fewer than one block per 64 keys (there the rate is already ~0.3), so every
    // evaluation below sums a short Poisson series (lambda <= 64).
    let floor = capacity.div_ceil(64).max(1);
    if floor > MAX_BLOCKS {
        return Err(Error::param("capacity", format!("{capacity} keys need more than 2^28 blocks")));
    }
    let (mut lo, mut hi) = (floor, floor);
    while split_block_fp(capacity, hi) > fp_rate {
        lo = hi;
        hi *= 2;
        if hi > MAX_BLOCKS {
            return Err(Error::param("capacity", format!("{capacity} keys at {fp_rate} need more than 2^28 blocks")));
        }
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if split_block_fp(capacity, mid) > fp_rate { lo = mid + 1 } else { hi = mid }
    }
    Ok(hi)
}

/// The fast filter: 256-bit blocks, a block chosen by the hash's high half (multiply-shift),
/// eight bits set by the low half times eight odd salts.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitBlockBloom {
    capacity: u64,
    fp_rate: f64,
    hash: HashKind,
    blocks: Vec<[u32; 8]>,
}

impl SplitBlockBloom {
    /// A filter for `capacity` keys at false-positive rate `fp_rate`.
    pub fn new(capacity: u64, fp_rate: f64) -> Result<Self, Error> {
        Self::with_hash(capacity, fp_rate, HashKind::default())
    }

    /// A filter with the given hash.
    pub fn with_hash(capacity: u64, fp_rate: f64, hash: HashKind) -> Result<Self, Error> {
        hash.require_64("a split-block Bloom filter")?;
        let n = split_block_blocks(capacity, fp_rate)?;
        Ok(SplitBlockBloom { capacity, fp_rate, hash, blocks: vec![[0; 8]; n as usize] })
    }

    /// Bits per key at capacity.
    pub fn bits_per_key(&self) -> f64 {
        self.blocks.len() as f64 * 256.0 / self.capacity as f64
    }

    #[inline]
    fn block_of(&self, h: u64) -> usize {
        reduce(h.rotate_left(32), self.blocks.len() as u64) as usize
    }

    /// Whether `hash` may have been inserted.
    #[inline]
    pub fn contains_hash(&self, hash: u64) -> bool {
        backend::with_block_kernels(CheckOne(&self.blocks[self.block_of(hash)], hash as u32))
    }

    /// Whether `item` may have been inserted.
    pub fn contains(&self, item: impl AsRef<[u8]>) -> bool {
        self.contains_hash(self.hash.hash(item.as_ref()))
    }

    /// Probes many hashes on `backend`, writing one answer per hash into `out` (which must
    /// be as long as `hashes`).
    pub fn contains_many(&self, hashes: &[u64], out: &mut [bool], backend: Backend) -> Result<(), Error> {
        if out.len() != hashes.len() {
            return Err(Error::param("out", format!("{} answers for {} hashes", out.len(), hashes.len())));
        }
        let (b, _) = backend::resolve(backend, hashes.len())?;
        #[cfg(feature = "parallel")]
        if b == Backend::Parallel {
            use rayon::prelude::*;
            out.par_chunks_mut(backend::CHUNK)
                .zip(hashes.par_chunks(backend::CHUNK))
                .for_each(|(out, hashes)| backend::with_block_kernels(Probe { filter: self, hashes, out }));
            return Ok(());
        }
        match b {
            Backend::Scalar => Probe { filter: self, hashes, out }.run(Table(backend::kernels_for(b))),
            _ => backend::with_block_kernels(Probe { filter: self, hashes, out }),
        }
        Ok(())
    }

    /// The fraction of bits set.
    pub fn fill_ratio(&self) -> f64 {
        let set: u64 = self.blocks.iter().flatten().map(|w| u64::from(w.count_ones())).sum();
        set as f64 / (self.blocks.len() as f64 * 256.0)
    }

    /// The number of blocks.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }

    /// Inserts `hash` with kernels `k`; returns whether a bit changed.
    #[inline(always)]
    fn insert_on<K: BlockKernel>(&mut self, hash: u64, k: K) -> bool {
        let i = self.block_of(hash);
        let block = &mut self.blocks[i];
        let before = *block;
        k.insert(block, hash as u32);
        before != *block
    }

    /// Inserts precomputed hashes with the kernels of `backend`.
    pub fn insert_hashes_with(&mut self, hashes: &[u64], backend: Backend) -> Result<(), Error> {
        let (b, _) = backend::resolve(backend, 0)?;
        match b {
            Backend::Scalar => Insert { filter: self, hashes }.run(Table(backend::kernels_for(b))),
            _ => backend::with_block_kernels(Insert { filter: self, hashes }),
        }
        Ok(())
    }
}

/// A backend's kernel table as [`BlockKernel`]s (calls through its function pointers).
#[derive(Clone, Copy)]
struct Table(&'static backend::Kernels);

impl BlockKernel for Table {
    fn check(self, block: &[u32; 8], key: u32) -> bool {
        (self.0.block_check)(block, key)
    }
    fn insert(self, block: &mut [u32; 8], key: u32) {
        (self.0.block_insert)(block, key)
    }
}

/// Whether one block has a key's bits.
struct CheckOne<'a>(&'a [u32; 8], u32);

impl BlockLoop for CheckOne<'_> {
    type Output = bool;
    #[inline(always)]
    fn run<K: BlockKernel>(self, k: K) -> bool {
        k.check(self.0, self.1)
    }
}

/// Answers `hashes` into `out`.
struct Probe<'a> {
    filter: &'a SplitBlockBloom,
    hashes: &'a [u64],
    out: &'a mut [bool],
}

impl BlockLoop for Probe<'_> {
    type Output = ();
    #[inline(always)]
    fn run<K: BlockKernel>(self, k: K) {
        let f = self.filter;
        for (o, &h) in self.out.iter_mut().zip(self.hashes) {
            *o = k.check(&f.blocks[f.block_of(h)], h as u32);
        }
    }
}

/// Inserts `hashes`.
struct Insert<'a> {
    filter: &'a mut SplitBlockBloom,
    hashes: &'a [u64],
}

impl BlockLoop for Insert<'_> {
    type Output = ();
    #[inline(always)]
    fn run<K: BlockKernel>(self, k: K) {
        for &h in self.hashes {
            self.filter.insert_on(h, k);
        }
    }
}

/// Inserts one hash; whether a bit changed.
struct InsertOne<'a>(&'a mut SplitBlockBloom, u64);

impl BlockLoop for InsertOne<'_> {
    type Output = bool;
    #[inline(always)]
    fn run<K: BlockKernel>(self, k: K) -> bool {
        self.0.insert_on(self.1, k)
    }
}

impl Sketch for SplitBlockBloom {
    fn hash_kind(&self) -> HashKind {
        self.hash
    }
    #[inline]
    fn insert_hash(&mut self, hash: u64) -> bool {
        backend::with_block_kernels(InsertOne(self, hash))
    }
    fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
        if self.blocks.len() != other.blocks.len() || self.hash != other.hash {
            return Err(Error::incompatible(format!(
                "split-block filters of {} vs {} blocks (or different hashes)",
                self.blocks.len(),
                other.blocks.len()
            )));
        }
        let k = backend::kernels_for(b);
        for (a, o) in self.blocks.iter_mut().zip(&other.blocks) {
            let mut wa = [0u64; 4];
            let mut wo = [0u64; 4];
            for i in 0..4 {
                wa[i] = u64::from(a[2 * i]) | u64::from(a[2 * i + 1]) << 32;
                wo[i] = u64::from(o[2 * i]) | u64::from(o[2 * i + 1]) << 32;
            }
            (k.or_words)(&mut wa, &wo);
            for i in 0..4 {
                a[2 * i] = wa[i] as u32;
                a[2 * i + 1] = (wa[i] >> 32) as u32;
            }
        }
        Ok(())
    }
    fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * 32
    }
    fn clear(&mut self) {
        self.blocks.fill([0; 8]);
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Kind::SplitBlockBloom, self.hash);
        w.u64(self.capacity).f64(self.fp_rate);
        for b in &self.blocks {
            w.u32s(b);
        }
        w.finish()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, Kind::SplitBlockBloom)?;
        let (hash, capacity, fp_rate) = (r.hash, r.u64()?, r.f64()?);
        let n = split_block_blocks(capacity, fp_rate).map_err(crate::codec::corrupt_param)? as usize;
        let words = r.u32s(n.checked_mul(8).ok_or_else(|| Error::corrupt("length overflow"))?)?;
        r.end()?;
        let blocks = words.chunks_exact(8).map(|c| c.try_into().unwrap_or([0; 8])).collect();
        Ok(SplitBlockBloom { capacity, fp_rate, hash, blocks })
    }
}

impl Cardinality for SplitBlockBloom {
    /// Linear counting per lane: each key sets one of 32 bits in each of 8 lanes of one block,
    /// so `n = -(32 B) ln(1 - X / (256 B))` for `X` set bits over `B` blocks.
    fn estimate(&self) -> f64 {
        let cells = self.blocks.len() as f64 * 32.0;
        let f = self.fill_ratio();
        if f >= 1.0 { f64::INFINITY } else { -cells * (1.0 - f).ln() }
    }
    fn relative_error(&self) -> f64 {
        let n = self.estimate();
        if n == 0.0 || !n.is_finite() {
            return if n == 0.0 { 0.0 } else { f64::INFINITY };
        }
        let cells = self.blocks.len() as f64 * 32.0;
        let t = n / cells;
        ((cells * (t.exp() - t - 1.0)).sqrt() / n) / 8f64.sqrt()
    }
}
