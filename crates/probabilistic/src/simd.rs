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
