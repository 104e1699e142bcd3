//! The `parallel` backend (rayon, the current pool): fixed chunks, the best single-thread
//! kernel inside each, results combined in index order.
//!
//! * Sieve: chunks of `CHUNK_BYTES` wheel bytes (about 63 million numbers), each with its own
//!   crossing-off state.
//! * Monte Carlo: groups of 16 chunks of darts; hits are summed (integers, so any order).
//! * Trial division (the book's puzzle): workers pull blocks of divisors in ascending order
//!   from a shared atomic cursor and share the best factor in an `AtomicU64` updated with
//!   `fetch_min`, polled (`Relaxed`) once per block. A worker stops when its next block starts
//!   past the best factor, so the search exits early **and** returns the smallest factor.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::wheel::{Kernel, Plan};

/// Counts the primes of every chunk in parallel (2, 3 and 5 excluded).
pub(crate) fn count<K: Kernel>(plan: &Plan, kernel: &K) -> u64 {
    (0..plan.chunks()).into_par_iter().map(|k| plan.count_chunk(kernel, k)).sum()
}

/// Lists the primes of every chunk in parallel, concatenated in order (2, 3 and 5 excluded).
pub(crate) fn collect<K: Kernel>(plan: &Plan, kernel: &K) -> Vec<u64> {
    let parts: Vec<Vec<u64>> = (0..plan.chunks()).into_par_iter().map(|k| plan.collect_chunk(kernel, k)).collect();
    parts.concat()
}

/// Monte Carlo chunks per parallel task.
const GROUP: u64 = 16;

/// Hits over all chunks, groups of `GROUP` chunks in parallel.
pub(crate) fn monte_carlo(darts: u64, chunk: u64, seed: u64) -> u64 {
    let chunks = darts.div_ceil(chunk);
    (0..chunks.div_ceil(GROUP))
        .into_par_iter()
        .map(|g| {
            let (c0, c1) = (g * GROUP, ((g + 1) * GROUP).min(chunks));
            #[cfg(feature = "simd")]
            {
                crate::simd::chunk_range_hits(darts, chunk, seed, c0, c1)
            }
            #[cfg(not(feature = "simd"))]
            {
                (c0..c1).map(|c| crate::scalar::chunk_hits(seed, c, chunk.min(darts - c * chunk))).sum::<u64>()
            }
        })
        .sum()
}

/// The smallest odd divisor of `n` in `[from, to)`, searched by `workers` tasks over blocks of
/// `block` numbers handed out in ascending order.
pub(crate) fn trial_search(n: u64, from: u64, to: u64, block: u64, workers: usize) -> Option<u64> {
    if from >= to {
        return None;
    }
    let blocks = (to - from).div_ceil(block);
    let cursor = AtomicU64::new(0);
    let best = AtomicU64::new(u64::MAX);
    rayon::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                loop {
                    let b = cursor.fetch_add(1, Ordering::Relaxed);
                    if b >= blocks {
                        break;
                    }
                    let lo = from + b * block;
                    // The one flag poll per block: a factor below this block ends the search.
                    if lo > best.load(Ordering::Relaxed) {
                        break;
                    }
                    if let Some(d) = crate::scalar::first_divisor(n, lo, (lo + block).min(to)) {
                        best.fetch_min(d, Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
    });
    let b = best.into_inner();
    (b != u64::MAX).then_some(b)
}
