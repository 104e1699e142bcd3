//! Backend -> kernel dispatch.
//!
//! Every backend module exports a [`Kernels`] table with the same signatures; `Parallel` runs
//! the best single-thread table inside each chunk (see `parallel.rs`).

use ferdelance_core::Compiled;

use crate::{Backend, Error};

/// The fastest compiled split-block Bloom and token-mask kernels as plain functions, so hot
/// loops inline them (a call through the [`Kernels`] table cannot be inlined).
#[cfg(not(feature = "simd"))]
pub(crate) use crate::scalar::{
    block_check as best_block_check, block_insert as best_block_insert, newline_mask as best_newline_mask,
    word_mask as best_word_mask,
};
#[cfg(feature = "simd")]
pub(crate) use crate::simd::{
    block_check as best_block_check, block_insert as best_block_insert, newline_mask as best_newline_mask,
    word_mask as best_word_mask,
};

/// The split-block Bloom block kernels, for loops generic over them (so they inline).
pub(crate) trait BlockKernel: Copy {
    /// Whether a key's 8 bits are all set in a block.
    fn check(self, block: &[u32; 8], key: u32) -> bool;
    /// Sets a key's 8 bits in a block.
    fn insert(self, block: &mut [u32; 8], key: u32);
}

/// The best block kernels compiled into this build (`wide`, or scalar without `simd`).
#[derive(Clone, Copy)]
pub(crate) struct Built;

impl BlockKernel for Built {
    #[inline(always)]
    fn check(self, block: &[u32; 8], key: u32) -> bool {
        best_block_check(block, key)
    }
    #[inline(always)]
    fn insert(self, block: &mut [u32; 8], key: u32) {
        best_block_insert(block, key)
    }
}

/// Work over split-block Bloom blocks, run by [`with_block_kernels`] with the fastest kernels.
pub(crate) trait BlockLoop {
    type Output;
    fn run<K: BlockKernel>(self, k: K) -> Self::Output;
}

/// Runs `op` with the fastest block kernels of this CPU: on x86-64 without AVX2 at compile time
/// (the default build), AVX2 when the CPU has it, picked at run time (`wide` on SSE2 multiplies
/// and shifts the 8 lanes one at a time); otherwise the compiled ones.
#[inline]
pub(crate) fn with_block_kernels<O: BlockLoop>(op: O) -> O::Output {
    #[cfg(all(feature = "simd", target_arch = "x86_64", not(target_feature = "avx2")))]
    if let Some(v3) = crate::simd::avx2::v3() {
        return crate::simd::avx2::run(v3, op);
    }
    op.run(Built)
}

/// The compiled backends of this build.
pub(crate) const COMPILED: Compiled = Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));

/// Bulk work (items) from which `Auto` goes parallel. Set from the `probabilistic/extend`
/// benches: below ~64k short keys the per-chunk sketch clones and merges outweigh the gain.
pub(crate) const PARALLEL_THRESHOLD: usize = 1 << 16;

/// Items per parallel chunk: fixed, never derived from the thread count.
#[cfg(feature = "parallel")]
pub(crate) const CHUNK: usize = 1 << 15;

/// The word-level kernels a backend provides.
pub(crate) struct Kernels {
    /// `dst = max(dst, src)`, byte by byte (register files).
    pub(crate) max_bytes: fn(&mut [u8], &[u8]),
    /// `dst |= src`, word by word.
    pub(crate) or_words: fn(&mut [u64], &[u64]),
    /// `dst &= src`, word by word.
    pub(crate) and_words: fn(&mut [u64], &[u64]),
    /// The number of set bits.
    pub(crate) popcount: fn(&[u64]) -> u64,
    /// `dst = dst.saturating_add(src)`, element by element.
    pub(crate) add_counts: fn(&mut [u32], &[u32]),
    /// Sets a key's 8 bits in a split-block Bloom block.
    pub(crate) block_insert: fn(&mut [u32; 8], u32),
    /// Whether a key's 8 bits are all set in a split-block Bloom block.
    pub(crate) block_check: fn(&[u32; 8], u32) -> bool,
    /// Bit `i` set when byte `i` of the block is a token byte `[A-Za-z0-9_]`.
    pub(crate) word_mask: fn(&[u8; 64]) -> u64,
    /// Bit `i` set when byte `i` of the block is `\n`.
    pub(crate) newline_mask: fn(&[u8; 64]) -> u64,
}

/// Resolves a request to a concrete backend (`work` items of bulk work) and its kernels.
pub(crate) fn resolve(backend: Backend, work: usize) -> Result<(Backend, &'static Kernels), Error> {
    let b = backend.resolve(COMPILED, work >= PARALLEL_THRESHOLD)?;
    Ok((b, kernels_for(b)))
}

/// The single-thread kernels used by `b` (`Parallel` uses the best compiled one).
pub(crate) fn kernels_for(b: Backend) -> &'static Kernels {
    match b {
        Backend::Scalar => &crate::scalar::KERNELS,
        _ => best(),
    }
}

/// The fastest compiled single-thread kernels.
pub(crate) fn best() -> &'static Kernels {
    #[cfg(feature = "simd")]
    {
        &crate::simd::KERNELS
    }
    #[cfg(not(feature = "simd"))]
    {
        &crate::scalar::KERNELS
    }
}
