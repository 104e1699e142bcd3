//! The stable, specified hashes every sketch is built on.
//!
//! [`HashKind::Xxh3`] (the default, seed 0) is `xxh3_64_with_seed` from the xxHash
//! specification; [`HashKind::Murmur3`] is MurmurHash3 x64_128 (its first 64-bit half), for
//! parity with the book's `mmh3.hash64`; [`HashKind::Murmur3x86`] is the 32-bit MurmurHash3
//! x86_32 of the book's `mmh3.hash`, for [`HyperLogLog::book`](crate::HyperLogLog::book) and
//! the other register and KMV sketches only (a 32-bit hash is too short for the rest). Both are defined on bytes only, so a sketch built on any
//! machine, thread or version with the same hash id and seed merges with any other. The id and
//! seed are stored in every serialized sketch.
//!
//! Integers are hashed through one canonical encoding: their little-endian bytes
//! (`x.to_le_bytes()`), never std's `Hash`, which is not stable across platforms and versions.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Which stable 64-bit hash a sketch uses, with its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashKind {
    /// XXH3-64 with this seed (the default is seed 0).
    Xxh3 {
        /// The XXH3 seed.
        seed: u64,
    },
    /// MurmurHash3 x64_128 with this seed; the sketch uses its first 64-bit half (`h1`).
    Murmur3 {
        /// The MurmurHash3 seed (mmh3's `seed`).
        seed: u32,
    },
    /// MurmurHash3 x86_32 with this seed: a 32-bit hash (in the low half of the `u64`), the
    /// book's `mmh3.hash`. Taken by HyperLogLog, LogLog, SuperLogLog and KMV, which then cap
    /// ranks and scale minima for 32 bits; the other sketches reject it.
    Murmur3x86 {
        /// The MurmurHash3 seed (mmh3's `seed`).
        seed: u32,
    },
}

impl Default for HashKind {
    fn default() -> Self {
        HashKind::Xxh3 { seed: 0 }
    }
}

impl HashKind {
    /// The 64-bit hash of `bytes`.
    #[inline]
    pub fn hash(self, bytes: &[u8]) -> u64 {
        match self {
            HashKind::Xxh3 { seed } => xxh3_64_with_seed(bytes, seed),
            HashKind::Murmur3 { seed } => murmur3_x64_128(bytes, seed).0,
            HashKind::Murmur3x86 { seed } => u64::from(murmur3_x86_32(bytes, seed)),
        }
    }

    /// The hash's width in bits: 64, or 32 for [`HashKind::Murmur3x86`].
    pub fn bits(self) -> u8 {
        match self {
            HashKind::Murmur3x86 { .. } => 32,
            _ => 64,
        }
    }

    /// Rejects a 32-bit hash for a sketch that needs 64 bits.
    pub(crate) fn require_64(self, sketch: &str) -> Result<(), crate::Error> {
        if self.bits() == 64 {
            Ok(())
        } else {
            Err(crate::Error::param(
                "hash",
                format!("{} is a 32-bit hash; {sketch} needs a 64-bit one (xxh3 or murmur3 x64_128)", self.name()),
            ))
        }
    }

    /// The hash of an integer through the canonical encoding (its 8 little-endian bytes).
    #[inline]
    pub fn hash_u64(self, x: u64) -> u64 {
        self.hash(&x.to_le_bytes())
    }

    /// The id stored in serialized sketches (0 = xxh3, 1 = murmur3 x64_128, 2 = murmur3
    /// x86_32).
    pub(crate) fn id(self) -> u8 {
        match self {
            HashKind::Xxh3 { .. } => 0,
            HashKind::Murmur3 { .. } => 1,
            HashKind::Murmur3x86 { .. } => 2,
        }
    }

    pub(crate) fn seed(self) -> u64 {
        match self {
            HashKind::Xxh3 { seed } => seed,
            HashKind::Murmur3 { seed } | HashKind::Murmur3x86 { seed } => u64::from(seed),
        }
    }

    pub(crate) fn from_parts(id: u8, seed: u64) -> Option<Self> {
        match id {
            0 => Some(HashKind::Xxh3 { seed }),
            1 => u32::try_from(seed).ok().map(|seed| HashKind::Murmur3 { seed }),
            2 => u32::try_from(seed).ok().map(|seed| HashKind::Murmur3x86 { seed }),
            _ => None,
        }
    }

    /// A short name for reports, e.g. `xxh3(seed 0)`.
    pub fn name(self) -> String {
        match self {
            HashKind::Xxh3 { seed } => format!("xxh3(seed {seed})"),
            HashKind::Murmur3 { seed } => format!("murmur3(seed {seed})"),
            HashKind::Murmur3x86 { seed } => format!("murmur3-x86-32(seed {seed})"),
        }
    }
}

/// MurmurHash3 x86_32, the hash behind the book's `mmh3.hash` (which prints it as a signed i32).
pub fn murmur3_x86_32(data: &[u8], seed: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for b in &mut blocks {
        let mut k = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &byte) in tail.iter().enumerate() {
            k ^= u32::from(byte) << (8 * i);
        }
        h ^= k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// MurmurHash3 x64_128 as `(h1, h2)`, the hash behind the book's `mmh3.hash64`.
pub fn murmur3_x64_128(data: &[u8], seed: u32) -> (u64, u64) {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    fn fmix(mut k: u64) -> u64 {
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    }
    let (mut h1, mut h2) = (u64::from(seed), u64::from(seed));
    let mut blocks = data.chunks_exact(16);
    for b in &mut blocks {
        let k1 = u64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
        let k2 = u64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8]));
        h1 ^= k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dc_e729);
        h2 ^= k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }
    let tail = blocks.remainder();
    let (mut k1, mut k2) = (0u64, 0u64);
    for (i, &byte) in tail.iter().enumerate() {
        if i < 8 {
            k1 ^= u64::from(byte) << (8 * i);
        } else {
            k2 ^= u64::from(byte) << (8 * (i - 8));
        }
    }
    if tail.len() > 8 {
        h2 ^= k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
    }
    if !tail.is_empty() {
        h1 ^= k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
    }
    let len = data.len() as u64;
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

/// Lemire's multiply-shift reduction of a 64-bit hash onto `0..n`.
#[inline]
pub(crate) fn reduce(x: u64, n: u64) -> u64 {
    ((u128::from(x) * u128::from(n)) >> 64) as u64
}

/// The second hash of double hashing, derived from the first (odd, so it never sticks).
#[inline]
pub(crate) fn second(h: u64) -> u64 {
    h.rotate_left(32).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}
