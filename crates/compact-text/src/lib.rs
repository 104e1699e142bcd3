//! Millions of tokens in a few bytes each, with fast lookups, and real-time multi-pattern
//! matching (High Performance Python, chapters 11 and 12).
//!
//! Every store implements [`TokenSet`] (`contains`, `id_of`/`token_of`, sorted `prefix` and
//! `range` listings, Levenshtein `fuzzy` search, whole-key `regex`, exact `heap_bytes`), is
//! built from keys in any order with repeats, and saves to / loads from bytes with a
//! versioned, checksummed header. [`ValueMap`] adds a `u64` per key ([`TokenMap`]),
//! [`Interner`] maps tokens to dense ids with counts, [`Layered`] puts a mutable delta over
//! a static store, and [`Matcher`] finds thousands of keyword patterns in a stream.
//!
//! # Example
//!
//! ```
//! use compact_text::{Builder, StoreKind, TokenSet, TokenStore};
//!
//! let store = Builder::new(StoreKind::Fst).build(["tops", "tap", "top", "taps", "tap"])?;
//! assert_eq!(store.len(), 4);
//! assert!(store.contains(b"top"));
//! assert_eq!(store.prefix(b"ta"), vec![b"tap".to_vec(), b"taps".to_vec()]);
//! assert_eq!(store.fuzzy(b"tip", 1), vec![b"tap".to_vec(), b"top".to_vec()]);
//! let id = store.id_of(b"taps").unwrap();
//! assert_eq!(store.token_of(id), Some(b"taps".to_vec()));
//!
//! // Save, then load from any bytes (a Vec here; a memory map works the same way).
//! let bytes = store.to_bytes();
//! let loaded = TokenStore::from_bytes(bytes)?;
//! assert!(loaded.contains(b"tops"));
//! # Ok::<(), compact_text::Error>(())
//! ```
//!
//! # Backends
//!
//! Stores ([`StoreKind`]) and compute backends ([`Backend`]) are separate choices:
//!
//! | store | bytes/key (synthetic corpus) | ids | notes |
//! |---|---|---|---|
//! | [`SortedArena`] | ~key + 4 | sorted rank | binary search; `nearest` (bisect) |
//! | [`FrontCoded`] | below raw | sorted rank | buckets of 8 front-coded keys |
//! | [`FstSet`] | well below raw | sorted rank | the `fst` crate; Levenshtein and regex run as automata; streaming [`FstSet::union`], [`FstSet::intersection`], [`FstSet::difference`] |
//! | [`SuccinctTrie`] | below raw | level order | LOUDS trie over rank/select |
//! | [`CompressedFrontCoded`] | ~a third of raw | sorted rank | buckets of 64 front-coded keys, Huffman-coded: the smallest |
//! | [`HashTokenSet`] | ~65 | sorted rank | `ahash` baseline; sorted queries scan |
//! | [`RadixTrie`] | ~140 | sorted rank | mutable radix (Patricia) trie: `insert`, `remove` |
//! | [`IndexedArena`] | ~key + 3 | sorted rank | keys in front-coded pairs + 5 B/key hash index: hash-set speed |
//!
//! * [`Backend::Scalar`]: sequential sort and deduplication, byte-at-a-time tokenizer.
//! * [`Backend::Simd`]: the tokenizer classifies 16 bytes at a time with `wide`; sorting and
//!   matching as scalar.
//! * [`Backend::Parallel`]: rayon sort of the keys and batch lookups in fixed chunks of
//!   4096 keys, then the same sequential store build; [`Matcher::find_all_on`] scans chunks
//!   of 1 MiB of the text.
//! * [`Backend::Auto`]: `Parallel` from [`PARALLEL_THRESHOLD`] keys (or
//!   [`MATCH_PARALLEL_THRESHOLD`] bytes of text to match) when compiled, else `Simd` when
//!   compiled, else `Scalar`.
//!
//! # Crate features
//!
//! * `simd` (default on): the `wide` tokenizer backend.
//! * `parallel` (off): the rayon backend.
//! * `serde` (off): `Serialize`/`Deserialize` for [`StoreKind`].
//! * `mmap` (off): `open_mmap` maps a store file with `memmap2` (the crate's only `unsafe`).
//!
//! Features change speed, never results: the same keys give byte-identical store files on
//! every backend, thread count and input order, and every query and match list is identical.
//!
//! # Performance
//!
//! On 5 million synthetic tokens (12.9 B/token of text), bytes per key: compressed 4.57
//! (marisa-trie 4.65), succinct 8.29, front-coded 9.18, fst 10.06, indexed 15.98, sorted
//! 16.92, hash 54.86 (`HashSet<String>` 54.86). `indexed` answers `contains` faster than
//! `HashSet<String>` (0.64-0.9x its time) with 29% of its bytes; front coding and the tries
//! trade 4-10x slower lookups for the smallest footprint, `compressed` the smallest of all
//! (2.5-3 us per lookup). Every store builds 5M keys in 2-11 s on one thread (fst the slowest).
//! `Backend::Auto` sorts on `parallel` from [`PARALLEL_THRESHOLD`] keys.
//! [`Matcher`] with 1,000 corpus keywords scans a 26 MB Zipf text at 280-454 MB/s on one
//! core of the 2-core test machine (`aho-corasick`'s DFA on the same keywords: about
//! 170 MB/s) and 600-800 MB/s on `Parallel` with 2 threads.
//! Figures, machine and load: `docs/BENCHMARKS.md` (section compact-text) and the tour
//! (`cargo xtask tour --only compact-text`).
//!
//! # Semantics
//!
//! Keys are bytes (`&str` is UTF-8); the empty key and non-UTF-8 bytes are allowed. Sorted
//! order is byte order. `fuzzy` uses the byte-level Levenshtein distance (insert, delete,
//! substitute one byte). `regex` must match a whole key. Ids are dense in `0..len`.
#![deny(missing_docs)]

mod arena;
mod bits;
mod codec;
mod delta;
mod error;
mod front;
mod fst_store;
mod hash;
mod huff;
mod indexed;
mod keys;
mod map;
mod matcher;
#[cfg(feature = "mmap")]
mod mmap;
#[cfg(feature = "parallel")]
mod parallel;
mod query;
mod radix;
mod scalar;
#[cfg(feature = "simd")]
mod simd;
mod store;
mod trie;

pub mod corpus;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

use std::ops::Bound;

pub use arena::SortedArena;
pub use delta::Layered;
pub use error::{Error, ErrorKind};
pub use ferdelance_core::Backend;
use ferdelance_core::Compiled;
pub use front::FrontCoded;
pub use fst_store::{FstSet, SubBytes};
pub use hash::HashTokenSet;
pub use huff::CompressedFrontCoded;
pub use indexed::IndexedArena;
pub use map::{Interner, TokenMap, ValueMap};
pub use matcher::{MATCH_PARALLEL_THRESHOLD, Match, Matcher, Pattern, REGEX_WINDOW, SharedMatcher, StreamMatcher};
#[cfg(feature = "mmap")]
pub use mmap::{MappedFile, open_mmap};
pub use query::KeyRegex;
pub use radix::RadixTrie;
pub use store::{Builder, PARALLEL_THRESHOLD, StoreKind, TokenStore, build};
pub use trie::SuccinctTrie;

/// The concrete backends compiled into this build.
pub const BACKENDS: &[Backend] = &[
    Backend::Scalar,
    #[cfg(feature = "simd")]
    Backend::Simd,
    #[cfg(feature = "parallel")]
    Backend::Parallel,
];

/// The queries every store answers.
///
/// Sorted listings (`visit_range`, `prefix`, `range`, `fuzzy`, `regex`) come in byte order.
pub trait TokenSet {
    /// Which data structure this is.
    fn kind(&self) -> StoreKind;

    /// Number of distinct keys.
    fn len(&self) -> usize;

    /// No keys.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `key` is present.
    fn contains(&self, key: &[u8]) -> bool {
        self.id_of(key).is_some()
    }

    /// The id of `key` (dense in `0..len`).
    fn id_of(&self, key: &[u8]) -> Option<u32>;

    /// The key with this id.
    fn token_of(&self, id: u32) -> Option<Vec<u8>>;

    /// Calls `f` with each key in `lo..hi`, ascending, until `f` returns `false`.
    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool);

    /// Calls `f` with each key starting with `prefix`, ascending, until `f` returns `false`.
    fn visit_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8]) -> bool) {
        match query::prefix_end(prefix) {
            Some(end) => self.visit_range(Bound::Included(prefix), Bound::Excluded(&end), f),
            None => self.visit_range(Bound::Included(prefix), Bound::Unbounded, f),
        }
    }

    /// Every key, ascending.
    fn to_sorted_vec(&self) -> Vec<Vec<u8>> {
        self.range(Bound::Unbounded, Bound::Unbounded)
    }

    /// Keys starting with `prefix`, ascending.
    fn prefix(&self, prefix: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        self.visit_prefix(prefix, &mut |k| {
            out.push(k.to_vec());
            true
        });
        out
    }

    /// Keys in `lo..hi`, ascending.
    fn range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        self.visit_range(lo, hi, &mut |k| {
            out.push(k.to_vec());
            true
        });
        out
    }

    /// Keys within byte-level Levenshtein distance `max_edits` of `query`, ascending.
    fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        let lev = query::Levenshtein::new(query, max_edits);
        lev.filter_sorted(|f| self.visit_range(Bound::Unbounded, Bound::Unbounded, f))
    }

    /// Keys matched in whole by the regular expression `pattern`, ascending.
    fn regex(&self, pattern: &str) -> Result<Vec<Vec<u8>>, Error> {
        let re = KeyRegex::new(pattern)?;
        let mut out = Vec::new();
        self.visit_range(Bound::Unbounded, Bound::Unbounded, &mut |k| {
            if re.is_match(k) {
                out.push(k.to_vec());
            }
            true
        });
        Ok(out)
    }

    /// Bytes this store holds in memory (heap, or the loaded bytes of an FST used in place).
    fn heap_bytes(&self) -> usize;

    /// `heap_bytes / len` (0 when empty).
    fn bytes_per_key(&self) -> f64 {
        if self.is_empty() { 0.0 } else { self.heap_bytes() as f64 / self.len() as f64 }
    }
}

/// Membership of many keys on `backend` (`Parallel`: chunks of 4096 keys on the current
/// rayon pool; same answers on every backend).
pub fn contains_batch<S: TokenSet + Sync>(set: &S, keys: &[&[u8]], backend: Backend) -> Result<Vec<bool>, Error> {
    let compiled = Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));
    match backend.resolve(compiled, keys.len() >= 4096 * 4)? {
        #[cfg(feature = "parallel")]
        Backend::Parallel => Ok(parallel::contains_batch(set, keys)),
        _ => Ok(scalar::contains_batch(set, keys)),
    }
}

/// The book's tokenizer: tokens of `text` split on ASCII whitespace as Python 2's
/// `bytes.split()` does (space, `\t \n \r \x0b \x0c`; Rust's `split_ascii_whitespace`
/// omits `\x0b`). No empty tokens.
pub fn tokens(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| scalar::is_space(b)).filter(|t| !t.is_empty())
}

/// Tokens of `text` split on Unicode whitespace.
pub fn tokens_str(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
}

/// The `(start, end)` byte spans of the book tokenizer's tokens, on `backend`.
pub fn token_spans(text: &[u8], backend: Backend) -> Result<Vec<(usize, usize)>, Error> {
    let compiled = Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));
    let mut out = Vec::new();
    match backend.resolve(compiled, false)? {
        #[cfg(feature = "simd")]
        Backend::Simd | Backend::Parallel => simd::token_spans(text, &mut out),
        _ => scalar::token_spans(text, &mut out),
    }
    Ok(out)
}
