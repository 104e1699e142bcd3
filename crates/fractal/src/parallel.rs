//! The threaded backend: rayon over fixed chunks of [`CHUNK`] pixels (about one row of the book's
//! image), scheduled dynamically by work stealing, each chunk running the fastest single-thread
//! kernel of the build (SIMD when `simd` is on). A row of the book's image costs from 485 to
//! 131,164 iterations, so a static split would leave threads idle; small stealable chunks do not.
//! Chunk boundaries do not depend on the thread count and each pixel is computed on its own, so
//! counts are identical at any thread count.

use rayon::prelude::*;

use crate::backend::{Job, best_single};

/// Pixels per task.
pub(crate) const CHUNK: usize = 1024;

/// Counts of pixels `start..start + out.len()` of `job`, on the current rayon pool.
pub(crate) fn fill(job: &Job<'_>, start: usize, out: &mut [u32]) {
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .with_max_len(1)
        .for_each(|(k, chunk)| best_single(job, start + k * CHUNK, chunk));
}
