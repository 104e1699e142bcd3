//! The scalar reference kernels: plain loops over words.

use crate::backend::Kernels;

pub(crate) const KERNELS: Kernels = Kernels {
    max_bytes,
    or_words,
    and_words,
    popcount,
    add_counts,
    block_insert,
    block_check,
    word_mask,
    newline_mask,
};

/// The eight salts of the split-block Bloom filter (Apache Parquet's, so the bit layout of a
/// block is the one Parquet specifies).
pub(crate) const SALT: [u32; 8] =
    [0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31];

pub(crate) fn max_bytes(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = (*d).max(*s);
    }
}

pub(crate) fn or_words(dst: &mut [u64], src: &[u64]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= *s;
    }
}

pub(crate) fn and_words(dst: &mut [u64], src: &[u64]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d &= *s;
    }
}

pub(crate) fn popcount(words: &[u64]) -> u64 {
    words.iter().map(|w| u64::from(w.count_ones())).sum()
}

pub(crate) fn add_counts(dst: &mut [u32], src: &[u32]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = d.saturating_add(*s);
    }
}

/// The bit of lane `i` that `key` sets: `(key * SALT[i]) >> 27` picks one of 32.
#[inline]
fn lane_bit(key: u32, i: usize) -> u32 {
    1 << (key.wrapping_mul(SALT[i]) >> 27)
}

pub(crate) fn block_insert(block: &mut [u32; 8], key: u32) {
    for (i, word) in block.iter_mut().enumerate() {
        *word |= lane_bit(key, i);
    }
}

pub(crate) fn block_check(block: &[u32; 8], key: u32) -> bool {
    block.iter().enumerate().all(|(i, word)| word & lane_bit(key, i) != 0)
}

/// Bit `i` set when `hit` holds for byte `i` of the block.
fn block_mask(block: &[u8; 64], hit: impl Fn(u8) -> bool) -> u64 {
    block.iter().enumerate().fold(0, |m, (i, &b)| m | u64::from(hit(b)) << i)
}

pub(crate) fn word_mask(block: &[u8; 64]) -> u64 {
    block_mask(block, crate::text::is_word)
}

pub(crate) fn newline_mask(block: &[u8; 64]) -> u64 {
    block_mask(block, |b| b == b'\n')
}
