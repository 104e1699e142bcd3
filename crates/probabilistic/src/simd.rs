//! The `wide` kernels: four 64-bit words or eight 32-bit lanes at a time.

use wide::{u8x16, u32x8, u64x4};

use crate::backend::Kernels;
use crate::scalar;

pub(crate) const KERNELS: Kernels = Kernels {
    max_bytes,
    or_words,
    and_words,
    popcount: scalar::popcount,
    add_counts,
    block_insert,
    block_check,
    word_mask,
    newline_mask,
};

/// Applies `f` to `N` lanes of `dst` and `src` at a time (`dst = f(dst, src)`) and the scalar
/// kernel `tail` to the rest.
#[inline]
fn zip_lanes<T: Copy + Default, const N: usize>(
    dst: &mut [T],
    src: &[T],
    f: impl Fn([T; N], [T; N]) -> [T; N],
    tail: fn(&mut [T], &[T]),
) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut dc = dst.chunks_exact_mut(N);
    let mut sc = src.chunks_exact(N);
    for (d, s) in (&mut dc).zip(&mut sc) {
        let a: [T; N] = (&*d).try_into().unwrap_or([T::default(); N]);
        let b: [T; N] = s.try_into().unwrap_or([T::default(); N]);
        d.copy_from_slice(&f(a, b));
    }
    tail(dc.into_remainder(), sc.remainder());
}

fn max_bytes(dst: &mut [u8], src: &[u8]) {
    zip_lanes(dst, src, |a, b| u8x16::new(a).max(u8x16::new(b)).to_array(), scalar::max_bytes);
}

fn or_words(dst: &mut [u64], src: &[u64]) {
    zip_lanes(dst, src, |a, b| (u64x4::new(a) | u64x4::new(b)).to_array(), scalar::or_words);
}

fn and_words(dst: &mut [u64], src: &[u64]) {
    zip_lanes(dst, src, |a, b| (u64x4::new(a) & u64x4::new(b)).to_array(), scalar::and_words);
}

fn add_counts(dst: &mut [u32], src: &[u32]) {
    zip_lanes(dst, src, |a, b| u32x8::new(a).saturating_add(u32x8::new(b)).to_array(), scalar::add_counts);
}

#[inline]
fn mask(key: u32) -> u32x8 {
    let idx = (u32x8::splat(key) * u32x8::new(scalar::SALT)).unbounded_shr_scalar(27);
    u32x8::splat(1).unbounded_shl(idx)
}

#[inline]
pub(crate) fn block_insert(block: &mut [u32; 8], key: u32) {
    *block = (u32x8::new(*block) | mask(key)).to_array();
}

#[inline]
pub(crate) fn block_check(block: &[u32; 8], key: u32) -> bool {
    let m = mask(key);
    (u32x8::new(*block) & m).simd_eq(m).all()
}

/// Lanes holding `[A-Za-z0-9_]`: `x <= hi` tested as `min(x, hi) == x` on wrapped offsets.
#[inline]
fn word_lanes(v: u8x16) -> u32 {
    let within = |x: u8x16, hi: u8| x.min(u8x16::splat(hi)).simd_eq(x);
    let digit = within(v - u8x16::splat(b'0'), 9);
    let alpha = within((v | u8x16::splat(0x20)) - u8x16::splat(b'a'), 25);
    let under = v.simd_eq(u8x16::splat(b'_'));
    (digit | alpha | under).to_bitmask()
}

/// Bit `i` set when `lanes` marks byte `i` of the block, 16 bytes at a time.
#[inline]
fn block_mask(block: &[u8; 64], lanes: impl Fn(u8x16) -> u32) -> u64 {
    block
        .chunks_exact(16)
        .enumerate()
        .fold(0, |m, (i, c)| m | u64::from(lanes(u8x16::new(c.try_into().unwrap_or([0; 16])))) << (16 * i))
}

#[inline]
pub(crate) fn word_mask(block: &[u8; 64]) -> u64 {
    block_mask(block, word_lanes)
}

#[inline]
pub(crate) fn newline_mask(block: &[u8; 64]) -> u64 {
    block_mask(block, |v| v.simd_eq(u8x16::splat(b'\n')).to_bitmask())
}

/// The split-block Bloom kernels on AVX2 through `pulp` (its `V3` token proves the CPU has the
/// instructions, so no `unsafe` here), for builds whose `wide` does not use AVX2.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
pub(crate) mod avx2 {
    use std::arch::x86_64::__m256i;
    use std::sync::LazyLock;

    use pulp::x86::V3;
    use pulp::{Arch, Simd, WithSimd};

    use crate::backend::{BlockKernel, BlockLoop};
    use crate::scalar::SALT;

    /// The AVX2 token, if this CPU has AVX2: kept here as an `Option` once (single-key calls
    /// read it per key, and a match on the shared `Arch` there measured ~30% slower).
    static V3_TOKEN: LazyLock<Option<V3>> = LazyLock::new(|| match ferdelance_core::run_time_arch() {
        Arch::V3(v3) => Some(v3),
        _ => None,
    });

    /// The AVX2 token, if this CPU has AVX2.
    #[inline]
    pub(crate) fn v3() -> Option<V3> {
        *V3_TOKEN
    }

    /// The kernels of [`BlockKernel`] on AVX2.
    #[derive(Clone, Copy)]
    pub(crate) struct Avx2(pub(crate) V3);

    /// One bit per lane: bit `(key * SALT[i]) >> 27` of lane `i`.
    #[inline(always)]
    fn mask(v: V3, key: u32) -> __m256i {
        let product = v.avx2._mm256_mullo_epi32(v.avx._mm256_set1_epi32(key as i32), pulp::cast(SALT));
        v.avx2._mm256_sllv_epi32(v.avx._mm256_set1_epi32(1), v.avx2._mm256_srli_epi32::<27>(product))
    }

    impl BlockKernel for Avx2 {
        #[inline(always)]
        fn check(self, block: &[u32; 8], key: u32) -> bool {
            // Every mask bit set in the block: `!block & mask == 0`.
            self.0.avx._mm256_testc_si256(pulp::cast(*block), mask(self.0, key)) == 1
        }
        #[inline(always)]
        fn insert(self, block: &mut [u32; 8], key: u32) {
            *block = pulp::cast(self.0.avx2._mm256_or_si256(pulp::cast(*block), mask(self.0, key)));
        }
    }

    /// `op` run with [`Avx2`] inside a function compiled for AVX2.
    struct Run<O>(O, V3);

    impl<O: BlockLoop> WithSimd for Run<O> {
        type Output = O::Output;
        #[inline(always)]
        fn with_simd<S: Simd>(self, _: S) -> O::Output {
            self.0.run(Avx2(self.1))
        }
    }

    /// Runs `op` with the AVX2 kernels.
    #[inline]
    pub(crate) fn run<O: BlockLoop>(v3: V3, op: O) -> O::Output {
        Simd::vectorize(v3, Run(op, v3))
    }
}
