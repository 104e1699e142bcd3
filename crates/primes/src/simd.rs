//! The `simd` backend (`wide`): the pre-sieve AND 32 bytes at a time, a four-accumulator
//! popcount, and Monte Carlo with four chunks' streams in the four lanes of `u64x4`.
//!
//! Trial division has no vector kernel (64-bit division does not vectorise): the `Simd`
//! backend runs the scalar sweep there.

use wide::{f64x4, u8x32, u64x4};

use crate::montecarlo::chunk_stream;
use crate::wheel::Kernel;

/// The `wide` sieve kernel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Simd;

impl Kernel for Simd {
    fn fill(&self, seg: &mut [u8], pats: &[&[u8]]) {
        let len = seg.len();
        let body = len - len % 32;
        for i in (0..body).step_by(32) {
            let mut acc = load32(&pats[0][i..]);
            for p in &pats[1..] {
                acc &= load32(&p[i..]);
            }
            seg[i..i + 32].copy_from_slice(&acc.to_array());
        }
        for i in body..len {
            seg[i] = pats.iter().fold(0xFF, |a, p| a & p[i]);
        }
    }

    fn count(&self, seg: &[u8]) -> u64 {
        let mut acc = [0u64; 4];
        let mut blocks = seg.chunks_exact(32);
        for b in blocks.by_ref() {
            for (k, a) in acc.iter_mut().enumerate() {
                let w = &b[8 * k..8 * k + 8];
                *a += u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]).count_ones() as u64;
            }
        }
        acc.iter().sum::<u64>() + blocks.remainder().iter().map(|b| b.count_ones() as u64).sum::<u64>()
    }
}

fn load32(b: &[u8]) -> u8x32 {
    let mut a = [0u8; 32];
    a.copy_from_slice(&b[..32]);
    u8x32::new(a)
}

/// Four xoshiro256++ streams, one per lane.
struct Lanes {
    s: [u64x4; 4],
}

fn rotl(x: u64x4, k: u32) -> u64x4 {
    (x << k) | (x >> (64 - k))
}

impl Lanes {
    fn next(&mut self) -> u64x4 {
        let [s0, s1, s2, s3] = self.s;
        let out = rotl(s0 + s3, 23) + s0;
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        let s2 = s2 ^ t;
        let s3 = rotl(s3, 45);
        self.s = [s0, s1, s2, s3];
        out
    }

    /// `(next >> 11) * 2^-53` in every lane, exactly as the scalar stream computes it:
    /// `(v >> 1) * 2^-52` from the mantissa trick, plus `2^-53` when the low bit is set (both
    /// parts and their sum are exact).
    fn unit(&mut self) -> f64x4 {
        let v = self.next() >> 11;
        let one = u64x4::splat(0x3FF0_0000_0000_0000);
        let half_ulp = u64x4::splat(0x3CA0_0000_0000_0000); // 2^-53
        let big = f64x4::from_bits(one | (v >> 1)) - f64x4::splat(1.0);
        let low = f64x4::from_bits((u64x4::ZERO - (v & u64x4::splat(1))) & half_ulp);
        big + low
    }
}

/// Hits of four full chunks `c .. c + 4`, `darts` darts each.
fn four_chunks(seed: u64, c: u64, darts: u64) -> u64 {
    let streams: [[u64; 4]; 4] = std::array::from_fn(|l| chunk_stream(seed, c + l as u64).state());
    let mut lanes = Lanes { s: std::array::from_fn(|w| u64x4::new(std::array::from_fn(|l| streams[l][w]))) };
    let one = f64x4::splat(1.0);
    let mut hits = u64x4::ZERO;
    for _ in 0..darts {
        let x = lanes.unit();
        let y = lanes.unit();
        let inside = (x * x + y * y).simd_le(one).to_bits();
        hits += inside & u64x4::splat(1);
    }
    hits.reduce_add()
}

/// Hits over all chunks: groups of four full chunks in lanes, the rest scalar.
pub(crate) fn monte_carlo(darts: u64, chunk: u64, seed: u64) -> u64 {
    let full = darts / chunk;
    let groups = full / 4;
    let mut hits: u64 = (0..groups).map(|g| four_chunks(seed, 4 * g, chunk)).sum();
    for c in 4 * groups..darts.div_ceil(chunk) {
        hits += crate::scalar::chunk_hits(seed, c, chunk.min(darts - c * chunk));
    }
    hits
}

/// Hits of chunks `[c0, c1)` (the parallel backend's unit of work).
#[cfg(feature = "parallel")]
pub(crate) fn chunk_range_hits(darts: u64, chunk: u64, seed: u64, c0: u64, c1: u64) -> u64 {
    let full = (darts / chunk).min(c1);
    let mut c = c0;
    let mut hits = 0;
    while c + 4 <= full {
        hits += four_chunks(seed, c, chunk);
        c += 4;
    }
    for c in c..c1 {
        hits += crate::scalar::chunk_hits(seed, c, chunk.min(darts - c * chunk));
    }
    hits
}
