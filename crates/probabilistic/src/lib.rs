//! Probabilistic counting: the book's whole ladder of sketches (Morris, KMV, Bloom, scalable
//! Bloom, LogLog, SuperLogLog, HyperLogLog, HyperLogLog++) plus a split-block Bloom filter and
//! Count-Min, all on one stable hash and one merge contract.
//!
//! # Example
//!
//! ```
//! use probabilistic::{Cardinality, HyperLogLog, Sketch};
//!
//! // The one-line entry: HyperLogLog, p = 14, xxh3 seed 0.
//! let words = ["apple", "pear", "apple", "fig"];
//! assert!((probabilistic::count_distinct(words) - 3.0).abs() < 0.1);
//!
//! // Build per shard, merge anywhere: the same hash and seed on every machine.
//! let mut a = HyperLogLog::new(12)?;
//! let mut b = HyperLogLog::new(12)?;
//! for i in 0..10_000u64 {
//!     a.insert(i.to_le_bytes()); // integers: their little-endian bytes
//!     b.insert((i + 5_000).to_le_bytes());
//! }
//! a.merge(&b)?;
//! let (lo, hi) = (a.lower(3.0), a.upper(3.0));
//! assert!(lo <= 15_000.0 && 15_000.0 <= hi, "{lo} .. {hi}");
//! let back = HyperLogLog::from_bytes(&a.to_bytes())?;
//! assert_eq!(back, a);
//! # Ok::<(), probabilistic::Error>(())
//! ```
//!
//! # Backends
//!
//! * `Scalar`: plain loops; the reference.
//! * `Simd` (feature `simd`): `wide` kernels for the word-level work: the byte-wise max of
//!   register files (HyperLogLog/LogLog merge), OR/AND of Bloom words, saturating adds of
//!   Count-Min counters, the eight-lane mask of the split-block Bloom filter, and the 64-byte
//!   token-byte mask of the text tokenizer. On x86-64 the split-block Bloom filter runs AVX2
//!   when the CPU has it, picked at run time through `pulp` (no `unsafe` in this crate), unless
//!   the build already targets AVX2: on SSE2 `wide` multiplies and shifts the eight lanes one at
//!   a time (with AVX2 a default build probes 2.3x and inserts 2.8x faster in batches, 1.4x one
//!   key at a time).
//! * `Parallel` (feature `parallel`): bulk builds ([`Sketch::extend_with`],
//!   [`text::extend_text`]) cut the input into fixed chunks (32 768 items, or about 1 MiB of
//!   text cut at a line end) and build one sketch per chunk on the current rayon pool, merged
//!   in chunk order (text: one sketch per rayon fold job over the chunks it takes, then merged).
//!   Because every merge here is exact and order-free (max, OR, set union, add), the result
//!   equals the serial build at any thread count (the scalable Bloom filter, whose sub-filter
//!   boundaries depend on order, always builds serially).
//!
//! Pick one with [`Sketch::merge_with`] / [`Sketch::extend_with`]; asking for a backend that is
//! not compiled in gives [`ErrorKind::BackendUnavailable`].
//!
//! # Crate features
//!
//! * `simd` (default on): the `wide` kernels, and the run-time AVX2 split-block kernels
//!   (dependency `pulp`).
//! * `parallel` (off by default): the `rayon` bulk builds.
//! * `serde` (off by default): `Serialize`/`Deserialize` for every sketch, as its binary form.
//!
//! Features change speed, never results: registers, bits, KMV sets and estimates are identical
//! (to the bit) on every backend and thread count.
//!
//! # Performance
//!
//! An insert is one xxh3 hash of the item plus one register or a few bits; `Auto` goes
//! parallel from 65 536 items (or ~1 MiB of text). HyperLogLog registers live one per byte
//! in memory (a branch-free load/max/store per insert) and are packed to 6 bits when
//! serialized. Estimates are computed from a register histogram, the HyperLogLog sum
//! `sum 2^-M` exactly in fixed point (u128), so they are bit-identical everywhere; a
//! [`HyperLogLog`] keeps its last estimate until it changes. Text of at least 256 KiB is
//! tokenized 64 bytes at a time from a bit mask of token bytes; where a repeat cannot change
//! the sketch, each token of up to 16 bytes is first looked up (branch-free) in an exact
//! filter of the tokens already added, and only new ones are hashed.
//! See `docs/BENCHMARKS.md` for measured figures.
//!
//! # Semantics
//!
//! * **One contract**: [`Sketch::insert`] takes bytes (`impl AsRef<[u8]>`); integers go in as
//!   their little-endian bytes (`x.to_le_bytes()`), never through std's `Hash`.
//!   [`Sketch::insert_hash`] takes a precomputed [`HashKind::hash`] so one hash can feed several
//!   sketches. Estimates with bounds: [`Cardinality::estimate`], `lower`, `upper`.
//! * **HyperLogLog++**: sparse (25-bit indexes, linear counting over 2^25 buckets) while small,
//!   then dense. The Google paper's empirical bias tables (~200 values per precision) are *not*
//!   reproduced; the dense estimate is Ertl's improved estimator (2017), which removes the same
//!   small-range bias analytically from the register histogram. Classic [`HyperLogLog`] uses the
//!   original estimator with linear counting below 2.5 m.
//! * **Hashing**: [`HashKind::Xxh3`] (seed 0 by default) or [`HashKind::Murmur3`] (the book's
//!   `mmh3.hash64`), or for the register sketches and KMV the book's 32-bit `mmh3.hash`
//!   ([`HashKind::Murmur3x86`], as in [`HyperLogLog::book`]); the id and seed are stored in
//!   every serialized sketch, and merging sketches of different kinds, parameters, hashes or
//!   seeds is an error ([`ErrorKind::Incompatible`]), never a wrong answer. Every sketch but
//!   Morris and Count-Min is idempotent.
//! * **Serialization**: [`Sketch::to_bytes`] / [`Sketch::from_bytes`]: magic `FDPS`, version,
//!   kind, hash id and seed, parameters, payload, and an xxh3 checksum, all little-endian.
//!   Decoding checks every length against the input before allocating and rejects damaged
//!   bytes with [`ErrorKind::Corrupt`] or [`ErrorKind::UnsupportedVersion`].
//! * **The book's bugs, not copied** (one regression test each): natural log in linear
//!   counting; rank = trailing zeros + 1 and LogLog's own constant; index bits shifted out
//!   before the rank; the rank capped at `64 - p + 1` with no 2^32 correction for a 64-bit
//!   hash; Morris reports `2^c - 1`, KMV uses the k-th minimum, the scalable filter starts at
//!   `p0 = P (1 - r)`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod any;
mod atomic;
mod backend;
mod bloom;
mod cms;
mod codec;
mod error;
mod hash;
mod hll;
mod kmv;
mod loglog;
mod morris;
#[cfg(feature = "parallel")]
mod parallel;
mod registers;
mod sbbf;
mod scalar;
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(feature = "simd")]
mod simd;
mod sketch;
pub mod text;

pub use any::AnySketch;
pub use atomic::{AtomicBloomFilter, AtomicHyperLogLog};
pub use bloom::{BloomFilter, ScalableBloomFilter};
pub use cms::CountMinSketch;
pub use error::{Error, ErrorKind};
pub use ferdelance_core::Backend;
pub use hash::{HashKind, murmur3_x64_128, murmur3_x86_32};
pub use hll::{HllBuilder, HyperLogLog, HyperLogLogPlus, count_distinct, hll_alpha, linear_counting};
pub use kmv::Kmv;
pub use loglog::{LogLog, SuperLogLog, loglog_alpha};
pub use morris::{MorrisArray, MorrisCounter, Xoshiro256, morris_estimate};
pub use sbbf::{SplitBlockBloom, split_block_blocks, split_block_fp};
pub use sketch::{Cardinality, Sketch};

/// The concrete backends compiled into this build, `Scalar` first.
pub const BACKENDS: &[Backend] = &[
    Backend::Scalar,
    #[cfg(feature = "simd")]
    Backend::Simd,
    #[cfg(feature = "parallel")]
    Backend::Parallel,
];

#[cfg(test)]
mod tests;
