//! Lock-free shared sketches: many threads insert through `&self`.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use crate::hash::{reduce, second};
use crate::registers::{Registers, check_precision};
use crate::{BloomFilter, Cardinality, Error, HashKind, HyperLogLog, Sketch};

/// A HyperLogLog whose registers are `AtomicU8`s updated with `fetch_max`: share it by
/// reference across threads; [`AtomicHyperLogLog::snapshot`] gives the plain (mergeable,
/// serializable) sketch, identical to a serial build of the same items.
#[derive(Debug)]
pub struct AtomicHyperLogLog {
    p: u8,
    hash: HashKind,
    regs: Vec<AtomicU8>,
}

impl AtomicHyperLogLog {
    /// `2^p` registers (`p` in 4..=18), the given hash.
    pub fn new(p: u8, hash: HashKind) -> Result<Self, Error> {
        check_precision(p)?;
        hash.require_64("AtomicHyperLogLog")?;
        Ok(AtomicHyperLogLog { p, hash, regs: (0..1usize << p).map(|_| AtomicU8::new(0)).collect() })
    }

    /// Adds a precomputed hash; returns whether a register grew.
    #[inline]
    pub fn insert_hash(&self, h: u64) -> bool {
        let idx = (h & ((1 << self.p) - 1)) as usize;
        let rank = ((h >> self.p) | (1 << (64 - self.p))).trailing_zeros() as u8 + 1;
        self.regs[idx].fetch_max(rank, Ordering::Relaxed) < rank
    }

    /// Adds an item's bytes.
    pub fn insert(&self, item: impl AsRef<[u8]>) -> bool {
        self.insert_hash(self.hash.hash(item.as_ref()))
    }

    /// The plain sketch of everything inserted so far.
    pub fn snapshot(&self) -> HyperLogLog {
        let mut regs = Registers::new(self.p);
        for (i, r) in self.regs.iter().enumerate() {
            regs.update(i, r.load(Ordering::Relaxed));
        }
        HyperLogLog::from_registers(self.hash, regs)
    }

    /// The current estimate (of a snapshot).
    pub fn estimate(&self) -> f64 {
        self.snapshot().estimate()
    }
}

/// A Bloom filter whose words are `AtomicU64`s set with `fetch_or`; the same sizing and bit
/// layout as [`BloomFilter`], so [`AtomicBloomFilter::snapshot`] merges with plain filters.
#[derive(Debug)]
pub struct AtomicBloomFilter {
    shape: BloomFilter,
    words: Vec<AtomicU64>,
}

impl AtomicBloomFilter {
    /// A filter for `capacity` items at `fp_rate`, the given hash.
    pub fn new(capacity: u64, fp_rate: f64, hash: HashKind) -> Result<Self, Error> {
        let (bits, _) = BloomFilter::params(capacity, fp_rate)?;
        let words = (0..bits.div_ceil(64)).map(|_| AtomicU64::new(0)).collect();
        // The plain filter holds the parameters; its own words stay empty.
        let mut shape = BloomFilter::with_hash(1, 0.5, hash)?;
        shape.reshape(capacity, fp_rate)?;
        Ok(AtomicBloomFilter { shape, words })
    }

    /// Adds a precomputed hash; returns whether any bit was newly set.
    pub fn insert_hash(&self, h: u64) -> bool {
        let (bits, k) = (self.shape.bits(), self.shape.hashes());
        let (h2, mut g, mut changed) = (second(h), h, false);
        for _ in 0..k {
            let i = reduce(g, bits);
            let bit = 1u64 << (i % 64);
            changed |= self.words[(i / 64) as usize].fetch_or(bit, Ordering::Relaxed) & bit == 0;
            g = g.wrapping_add(h2);
        }
        changed
    }

    /// Adds an item's bytes.
    pub fn insert(&self, item: impl AsRef<[u8]>) -> bool {
        self.insert_hash(self.shape.hash_kind().hash(item.as_ref()))
    }

    /// Whether `item` may have been inserted.
    pub fn contains(&self, item: impl AsRef<[u8]>) -> bool {
        self.snapshot_words_contain(self.shape.hash_kind().hash(item.as_ref()))
    }

    fn snapshot_words_contain(&self, h: u64) -> bool {
        let (bits, k) = (self.shape.bits(), self.shape.hashes());
        let (h2, mut g) = (second(h), h);
        (0..k).all(|_| {
            let i = reduce(g, bits);
            g = g.wrapping_add(h2);
            self.words[(i / 64) as usize].load(Ordering::Relaxed) >> (i % 64) & 1 == 1
        })
    }

    /// The plain filter of everything inserted so far.
    pub fn snapshot(&self) -> BloomFilter {
        let mut f = self.shape.clone();
        f.set_words(self.words.iter().map(|w| w.load(Ordering::Relaxed)).collect());
        f
    }
}
