//! [`TokenStore`]: any backend behind one type, its [`Builder`], and save/load.

use std::ops::Bound;
use std::str::FromStr;

use crate::arena::SortedArena;
use crate::codec::{self, Reader, Writer};
use crate::front::FrontCoded;
use crate::fst_store::{FstSet, SubBytes};
use crate::hash::HashTokenSet;
use crate::huff::CompressedFrontCoded;
use crate::indexed::IndexedArena;
use crate::keys::KeyBuf;
use crate::radix::RadixTrie;
use crate::trie::SuccinctTrie;
use crate::{Backend, Compiled, Error, TokenSet};

/// Which data structure holds the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum StoreKind {
    /// [`SortedArena`]: one byte arena, `u32` offsets, binary search.
    Sorted,
    /// [`FrontCoded`]: buckets of front-coded keys.
    FrontCoded,
    /// [`FstSet`]: a finite-state transducer (the `fst` crate).
    Fst,
    /// [`SuccinctTrie`]: a LOUDS trie over rank/select bit vectors.
    Succinct,
    /// [`HashTokenSet`]: the hash-map baseline.
    Hash,
    /// [`IndexedArena`]: keys in front-coded pairs plus a compact hash index (fast
    /// `contains`).
    Indexed,
    /// [`CompressedFrontCoded`]: front-coded keys, Huffman-coded (the smallest).
    Compressed,
    /// [`RadixTrie`]: a mutable radix (Patricia) trie.
    Radix,
}

impl StoreKind {
    /// Every kind, compact ones first.
    pub const ALL: &'static [StoreKind] = &[
        StoreKind::Sorted,
        StoreKind::FrontCoded,
        StoreKind::Fst,
        StoreKind::Succinct,
        StoreKind::Compressed,
        StoreKind::Hash,
        StoreKind::Indexed,
        StoreKind::Radix,
    ];

    /// The name the CLI uses (`sorted`, `front-coded`, `fst`, `succinct`, `compressed`,
    /// `hash`, `indexed`, `radix`).
    pub const fn name(self) -> &'static str {
        match self {
            StoreKind::Sorted => "sorted",
            StoreKind::FrontCoded => "front-coded",
            StoreKind::Fst => "fst",
            StoreKind::Succinct => "succinct",
            StoreKind::Hash => "hash",
            StoreKind::Indexed => "indexed",
            StoreKind::Compressed => "compressed",
            StoreKind::Radix => "radix",
        }
    }

    pub(crate) const fn code(self) -> u8 {
        match self {
            StoreKind::Sorted => 0,
            StoreKind::FrontCoded => 1,
            StoreKind::Fst => 2,
            StoreKind::Succinct => 3,
            StoreKind::Hash => 4,
            StoreKind::Indexed => 5,
            StoreKind::Compressed => 6,
            StoreKind::Radix => 7,
        }
    }

    fn from_code(c: u8) -> Option<Self> {
        StoreKind::ALL.iter().copied().find(|k| k.code() == c)
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for StoreKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        StoreKind::ALL.iter().copied().find(|k| k.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            Error::new(crate::ErrorKind::Unsupported(format!(
                "store kind `{s}`: expected one of sorted, front-coded, fst, succinct, compressed, hash, indexed, radix"
            )))
        })
    }
}

/// Any store. `D` holds the bytes of a loaded FST (owned `Vec<u8>` when built, or the
/// caller's buffer or memory map when loaded with [`TokenStore::from_bytes`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TokenStore<D = Vec<u8>> {
    /// See [`SortedArena`].
    Sorted(SortedArena),
    /// See [`FrontCoded`].
    FrontCoded(FrontCoded),
    /// See [`FstSet`].
    Fst(FstSet<SubBytes<D>>),
    /// See [`SuccinctTrie`].
    Succinct(SuccinctTrie),
    /// See [`HashTokenSet`].
    Hash(HashTokenSet),
    /// See [`IndexedArena`].
    Indexed(IndexedArena),
    /// See [`CompressedFrontCoded`].
    Compressed(CompressedFrontCoded),
    /// See [`RadixTrie`].
    Radix(RadixTrie),
}

macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            TokenStore::Sorted($s) => $e,
            TokenStore::FrontCoded($s) => $e,
            TokenStore::Fst($s) => $e,
            TokenStore::Succinct($s) => $e,
            TokenStore::Hash($s) => $e,
            TokenStore::Indexed($s) => $e,
            TokenStore::Compressed($s) => $e,
            TokenStore::Radix($s) => $e,
        }
    };
}

impl<D: AsRef<[u8]>> TokenSet for TokenStore<D> {
    fn kind(&self) -> StoreKind {
        each!(self, s => s.kind())
    }
    fn len(&self) -> usize {
        each!(self, s => s.len())
    }
    fn contains(&self, key: &[u8]) -> bool {
        each!(self, s => s.contains(key))
    }
    fn id_of(&self, key: &[u8]) -> Option<u32> {
        each!(self, s => s.id_of(key))
    }
    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        each!(self, s => s.token_of(id))
    }
    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        each!(self, s => s.visit_range(lo, hi, f))
    }
    fn visit_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8]) -> bool) {
        each!(self, s => s.visit_prefix(prefix, f))
    }
    fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        each!(self, s => s.fuzzy(query, max_edits))
    }
    fn regex(&self, pattern: &str) -> Result<Vec<Vec<u8>>, Error> {
        each!(self, s => s.regex(pattern))
    }
    fn heap_bytes(&self) -> usize {
        each!(self, s => s.heap_bytes())
    }
}

/// Keys from which `Backend::Auto` sorts on the `parallel` backend. A first setting, not yet
/// tuned by a bench: the tour measured 1.6x for the parallel FST build of 200k keys on 2 cores.
pub const PARALLEL_THRESHOLD: usize = 100_000;

/// Builds a [`TokenStore`] of one kind on one backend.
#[derive(Clone, Copy, Debug)]
pub struct Builder {
    kind: StoreKind,
    backend: Backend,
}

impl Builder {
    /// A builder of `kind` stores on `Backend::Auto`.
    pub fn new(kind: StoreKind) -> Self {
        Builder { kind, backend: Backend::Auto }
    }

    /// The backend that sorts and deduplicates (and tokenizes, for [`Builder::build_text`]).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    fn resolve(&self, work: usize) -> Result<Backend, Error> {
        let compiled = Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));
        Ok(self.backend.resolve(compiled, work >= PARALLEL_THRESHOLD)?)
    }

    /// Builds from keys in any order, repeats allowed (sorted and deduplicated here).
    pub fn build<I, T>(&self, keys: I) -> Result<TokenStore, Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut buf = KeyBuf::from_iter(keys)?;
        let backend = self.resolve(buf.len())?;
        buf.sort_dedup(backend);
        self.finish(&buf)
    }

    /// Builds from strictly ascending keys; an unsorted or repeated key is an error naming
    /// its index.
    pub fn build_sorted<I, T>(&self, keys: I) -> Result<TokenStore, Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.resolve(0)?;
        let buf = KeyBuf::from_iter(keys)?;
        buf.check_sorted()?;
        self.finish(&buf)
    }

    /// Builds from the tokens of `text` (split on the book's ASCII whitespace, see
    /// [`crate::tokens`]).
    pub fn build_text(&self, text: &[u8]) -> Result<TokenStore, Error> {
        let backend = self.resolve(text.len() / 8)?;
        let spans = crate::token_spans(text, backend)?;
        let mut buf = KeyBuf::default();
        for (s, e) in spans {
            buf.push(&text[s..e])?;
        }
        buf.sort_dedup(backend);
        self.finish(&buf)
    }

    pub(crate) fn finish(&self, buf: &KeyBuf) -> Result<TokenStore, Error> {
        let keys = || buf.iter();
        Ok(match self.kind {
            StoreKind::Sorted => TokenStore::Sorted(SortedArena::from_sorted_unique(keys())?),
            StoreKind::FrontCoded => TokenStore::FrontCoded(FrontCoded::from_sorted_unique(keys())?),
            StoreKind::Fst => {
                let set = FstSet::from_sorted_unique(keys())?;
                let bytes = set.as_fst_bytes().to_vec();
                let n = bytes.len();
                TokenStore::Fst(FstSet::from_fst_bytes(SubBytes::new(bytes, 0, n))?)
            }
            StoreKind::Succinct => TokenStore::Succinct(SuccinctTrie::from_sorted_unique(buf)?),
            StoreKind::Hash => TokenStore::Hash(HashTokenSet::from_sorted_unique(keys())),
            StoreKind::Indexed => TokenStore::Indexed(IndexedArena::new(SortedArena::from_sorted_unique(keys())?)?),
            StoreKind::Compressed => TokenStore::Compressed(CompressedFrontCoded::from_sorted_unique(keys)?),
            StoreKind::Radix => TokenStore::Radix(keys().collect()),
        })
    }
}

/// Builds a store of `kind` from keys in any order on `Backend::Auto`.
pub fn build<I, T>(kind: StoreKind, keys: I) -> Result<TokenStore, Error>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    Builder::new(kind).build(keys)
}

impl<D: AsRef<[u8]>> TokenStore<D> {
    /// The payload sections (without the header).
    pub(crate) fn write_payload(&self, w: &mut Writer) {
        match self {
            TokenStore::Sorted(s) => s.write(w),
            TokenStore::FrontCoded(s) => s.write(w),
            // Last in the payload and unprefixed, so a loaded FST can be used in place.
            TokenStore::Fst(s) => w.buf.extend_from_slice(s.as_fst_bytes()),
            TokenStore::Succinct(s) => s.write(w),
            // The index is rebuilt at load time.
            TokenStore::Indexed(s) => s.to_arena().write(w),
            TokenStore::Compressed(s) => s.write(w),
            // Saved as their sorted keys; rebuilt at load time.
            TokenStore::Hash(_) | TokenStore::Radix(_) => {
                let mut keys = Vec::with_capacity(self.len());
                self.visit_range(Bound::Unbounded, Bound::Unbounded, &mut |k| {
                    keys.push(k.to_vec());
                    true
                });
                if let Ok(arena) = SortedArena::from_sorted_unique(keys.iter().map(Vec::as_slice)) {
                    arena.write(w);
                }
            }
        }
    }

    /// The store as bytes: header (magic, version, kind, length, xxh3 checksum) + payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        self.write_payload(&mut w);
        codec::seal(self.kind().code(), 0, &w.buf)
    }

    /// Writes [`TokenStore::to_bytes`] to `out`.
    pub fn write_to(&self, mut out: impl std::io::Write) -> Result<(), Error> {
        out.write_all(&self.to_bytes())?;
        out.flush()?;
        Ok(())
    }
}

impl<D: AsRef<[u8]>> TokenStore<D> {
    /// Loads a store from bytes written by [`TokenStore::to_bytes`]: any `AsRef<[u8]>` (a
    /// `Vec`, a slice, the caller's memory map). An FST is used in place; other kinds are
    /// decoded (and validated) into owned memory. Truncated, corrupt or foreign bytes give
    /// [`ErrorKind::Corrupt`](crate::ErrorKind::Corrupt), a newer format
    /// [`ErrorKind::UnsupportedVersion`](crate::ErrorKind::UnsupportedVersion).
    pub fn from_bytes(data: D) -> Result<Self, Error> {
        let (store, _) = Self::from_bytes_with(data, false)?;
        Ok(store)
    }

    /// Loads a store and, when `values` is set, the values that follow it.
    pub(crate) fn from_bytes_with(data: D, values: bool) -> Result<(Self, Vec<u64>), Error> {
        let h = codec::open(data.as_ref())?;
        if (h.flags & 1 == 1) != values {
            return Err(Error::corrupt(if values { "a plain set, not a map" } else { "a map, not a plain set" }));
        }
        let kind =
            StoreKind::from_code(h.kind).ok_or_else(|| Error::corrupt(format!("unknown store kind {}", h.kind)))?;
        let payload = &data.as_ref()[h.start..h.end];
        let mut r = Reader::new(payload);
        let vals = if values { r.u64s()? } else { Vec::new() };
        let store = match kind {
            StoreKind::Fst => {
                let start = h.start + r.position();
                TokenStore::Fst(FstSet::from_fst_bytes(SubBytes::new(data, start, h.end))?)
            }
            StoreKind::Sorted => TokenStore::Sorted(read_all(&mut r, SortedArena::read)?),
            StoreKind::FrontCoded => TokenStore::FrontCoded(read_all(&mut r, FrontCoded::read)?),
            StoreKind::Succinct => TokenStore::Succinct(read_all(&mut r, SuccinctTrie::read)?),
            StoreKind::Indexed => TokenStore::Indexed(IndexedArena::new(read_all(&mut r, SortedArena::read)?)?),
            StoreKind::Compressed => TokenStore::Compressed(read_all(&mut r, CompressedFrontCoded::read)?),
            StoreKind::Radix => {
                let a = read_all(&mut r, SortedArena::read)?;
                TokenStore::Radix((0..a.len()).map(|i| a.key(i).unwrap_or_default()).collect())
            }
            StoreKind::Hash => {
                let a = read_all(&mut r, SortedArena::read)?;
                let n = a.len();
                TokenStore::Hash(HashTokenSet::from_sorted_unique((0..n).map(|i| a.key(i).unwrap_or_default())))
            }
        };
        if values && vals.len() != store.len() {
            return Err(Error::corrupt("value count does not match key count"));
        }
        Ok((store, vals))
    }
}

fn read_all<T>(r: &mut Reader<'_>, f: impl FnOnce(&mut Reader<'_>) -> Result<T, Error>) -> Result<T, Error> {
    let t = f(r)?;
    r.finish()?;
    Ok(t)
}
