//! The scalar backend: the readable reference kernels.
//!
//! * Sieve: a segment starts as a byte-wise AND of the pre-sieve patterns; counting is a
//!   `u64::count_ones` over 8-byte words.
//! * Monte Carlo: chunk after chunk, one xoshiro256++ stream each.
//! * Trial division: one `n % d` per odd divisor.

use crate::montecarlo::{chunk_stream, is_hit};
use crate::wheel::Kernel;

/// The scalar sieve kernel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scalar;

impl Kernel for Scalar {
    fn fill(&self, seg: &mut [u8], pats: &[&[u8]]) {
        seg.copy_from_slice(&pats[0][..seg.len()]);
        for pat in &pats[1..] {
            for (a, b) in seg.iter_mut().zip(pat.iter()) {
                *a &= *b;
            }
        }
    }

    fn count(&self, seg: &[u8]) -> u64 {
        let mut words = seg.chunks_exact(8);
        let mut n: u64 = 0;
        for w in words.by_ref() {
            n += u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]).count_ones() as u64;
        }
        n + words.remainder().iter().map(|b| b.count_ones() as u64).sum::<u64>()
    }
}

/// Hits among `darts` darts of chunk `c` (its own stream).
pub(crate) fn chunk_hits(seed: u64, c: u64, darts: u64) -> u64 {
    let mut s = chunk_stream(seed, c);
    let mut hits = 0;
    for _ in 0..darts {
        let x = s.unit_f64();
        let y = s.unit_f64();
        hits += u64::from(is_hit(x, y));
    }
    hits
}

/// Hits over all chunks, in order.
pub(crate) fn monte_carlo(darts: u64, chunk: u64, seed: u64) -> u64 {
    (0..darts.div_ceil(chunk)).map(|c| chunk_hits(seed, c, chunk.min(darts - c * chunk))).sum()
}

/// The smallest divisor `d` of `n` among the odd numbers in `[from, to)`, if any.
pub(crate) fn first_divisor(n: u64, from: u64, to: u64) -> Option<u64> {
    let mut d = from | 1;
    while d < to {
        if n.is_multiple_of(d) {
            return Some(d);
        }
        d += 2;
    }
    None
}
