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

#[inline]
fn load4(s: &[u64]) -> u64x4 {
    u64x4::new([s[0], s[1], s[2], s[3]])
}

/// Applies `f` to four words at a time and the scalar `g` to the tail.
#[inline]
fn zip4(dst: &mut [u64], src: &[u64], f: impl Fn(u64x4, u64x4) -> u64x4, g: impl Fn(u64, u64) -> u64) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut dc = dst.chunks_exact_mut(4);
    let mut sc = src.chunks_exact(4);
    for (d, s) in (&mut dc).zip(&mut sc) {
        d.copy_from_slice(&f(load4(d), load4(s)).to_array());
    }
    for (d, s) in dc.into_remainder().iter_mut().zip(sc.remainder()) {
        *d = g(*d, *s);
    }
}

fn max_bytes(dst: &mut [u8], src: &[u8]) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut dc = dst.chunks_exact_mut(16);
    let mut sc = src.chunks_exact(16);
    for (d, s) in (&mut dc).zip(&mut sc) {
        let a = u8x16::new(d.try_into().unwrap_or([0; 16]));
        let b = u8x16::new(s.try_into().unwrap_or([0; 16]));
        d.copy_from_slice(&a.max(b).to_array());
    }
    scalar::max_bytes(dc.into_remainder(), sc.remainder());
}

fn or_words(dst: &mut [u64], src: &[u64]) {
    zip4(dst, src, |a, b| a | b, |a, b| a | b);
}

fn and_words(dst: &mut [u64], src: &[u64]) {
    zip4(dst, src, |a, b| a & b, |a, b| a & b);
}

fn add_counts(dst: &mut [u32], src: &[u32]) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut dc = dst.chunks_exact_mut(8);
    let mut sc = src.chunks_exact(8);
    for (d, s) in (&mut dc).zip(&mut sc) {
        let a = u32x8::new(d.try_into().unwrap_or([0; 8]));
        let b = u32x8::new(s.try_into().unwrap_or([0; 8]));
        d.copy_from_slice(&a.saturating_add(b).to_array());
    }
    scalar::add_counts(dc.into_remainder(), sc.remainder());
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

#[inline]
pub(crate) fn word_mask(block: &[u8; 64]) -> u64 {
    block
        .chunks_exact(16)
        .enumerate()
        .fold(0, |m, (i, c)| m | u64::from(word_lanes(u8x16::new(c.try_into().unwrap_or([0; 16])))) << (16 * i))
}

#[inline]
pub(crate) fn newline_mask(block: &[u8; 64]) -> u64 {
    block.chunks_exact(16).enumerate().fold(0, |m, (i, c)| {
        let v = u8x16::new(c.try_into().unwrap_or([0; 16]));
        m | u64::from(v.simd_eq(u8x16::splat(b'\n')).to_bitmask()) << (16 * i)
    })
}
