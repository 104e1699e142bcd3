//! The register file of HyperLogLog and LogLog: one byte per register in memory (values
//! 0..=63, so 6 bits of each are used), packed to 6 bits (ten to a 64-bit word) when
//! serialized.
//!
//! The byte layout is a measured choice: a branch-free byte update (load, max, store) costs
//! about 55-60% of the same update on packed 6-bit fields, whose read-modify-write of a shared
//! word is slower to address and serializes more often (`benches/examples/compare`, row
//! `HLL p=14 insert_hash`). Re-measured 2026-11-26 (1M random hashes at p = 14, best of 20,
//! default build): bytes 1.10 ms; four registers in three bytes (one unaligned u32
//! read-modify-write, stored only when larger) 1.97 ms, the same always stored 2.14 ms, ten to
//! a u64 (the serialized layout) 2.22 ms; the fastest peer, hyperloglockless, 1.44 ms. So a
//! packed register file would insert more slowly than that peer. The price is 8 bits of memory
//! per register instead of 6 (16 KiB instead of 12 KiB at p = 14); [`Registers::heap_bytes`]
//! reports the real figure and the serialized form stays packed.

use crate::backend;
use crate::codec::{Reader, Writer};
use crate::{Backend, Error};

/// `m = 2^p` registers of one byte each, every value at most `width - p + 1` for a hash of
/// `width` bits (64, or 32 for the book's murmur3 x86_32).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Registers {
    p: u8,
    width: u8,
    regs: Box<[u8]>,
}

/// Checks a precision against `4..=18`.
pub(crate) fn check_precision(p: u8) -> Result<(), Error> {
    if (4..=18).contains(&p) { Ok(()) } else { Err(Error::param("precision", format!("{p} is outside 4..=18"))) }
}

impl Registers {
    /// Registers for a 64-bit hash.
    pub(crate) fn new(p: u8) -> Self {
        Self::with_width(p, 64)
    }

    /// Registers for a hash of `width` (32 or 64) bits.
    pub(crate) fn with_width(p: u8, width: u8) -> Self {
        Registers { p, width, regs: vec![0; 1 << p].into_boxed_slice() }
    }

    /// The hash width in bits.
    pub(crate) fn width(&self) -> u8 {
        self.width
    }

    pub(crate) fn len(&self) -> usize {
        self.regs.len()
    }

    /// The largest value a register can hold: the rank of `width - p` zero bits.
    pub(crate) fn max_rank(&self) -> u8 {
        self.width - self.p + 1
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> u8 {
        self.regs[i]
    }

    /// `reg[i] = max(reg[i], v)`; returns whether it grew. Branch-free: the byte is always
    /// written back, so a stream of inserts that mostly change nothing pays no mispredicted
    /// branches.
    #[inline]
    pub(crate) fn update(&mut self, i: usize, v: u8) -> bool {
        let r = &mut self.regs[i];
        let cur = *r;
        *r = cur.max(v);
        v > cur
    }

    /// Index and rank of a hash: the low `p` bits pick the register, the rank is one plus
    /// the trailing zeros of the remaining `width - p` bits (capped at `width - p + 1`).
    #[inline]
    pub(crate) fn index_rank(&self, h: u64) -> (usize, u8) {
        // `len - 1` (not `2^p - 1`) lets the compiler see that the index is in bounds.
        let idx = h as usize & (self.regs.len().max(1) - 1);
        let rank = ((h >> self.p) | (1 << (self.width - self.p))).trailing_zeros() as u8 + 1;
        (idx, rank)
    }

    #[inline]
    pub(crate) fn insert_hash(&mut self, h: u64) -> bool {
        let (i, r) = self.index_rank(h);
        self.update(i, r)
    }

    /// How many registers hold each value 0..=63.
    pub(crate) fn histogram(&self) -> [u32; 64] {
        // Four partial histograms, so consecutive equal values do not wait on one counter.
        let mut hist = [[0u32; 64]; 4];
        let mut quads = self.regs.chunks_exact(4);
        for q in &mut quads {
            for (h, &v) in hist.iter_mut().zip(q) {
                h[usize::from(v & 63)] += 1;
            }
        }
        for &v in quads.remainder() {
            hist[0][usize::from(v & 63)] += 1;
        }
        std::array::from_fn(|k| hist.iter().map(|h| h[k]).sum())
    }

    pub(crate) fn merge_on(&mut self, other: &Registers, b: Backend) {
        (backend::kernels_for(b).max_bytes)(&mut self.regs, &other.regs);
    }

    pub(crate) fn clear(&mut self) {
        self.regs.fill(0);
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.regs.len()
    }

    /// Writes `p` and the registers packed ten to a little-endian u64 word (6 bits each, the
    /// top 4 bits of every word 0).
    pub(crate) fn write(&self, w: &mut Writer) {
        let words: Vec<u64> = self
            .regs
            .chunks(10)
            .map(|c| c.iter().enumerate().fold(0u64, |acc, (f, &v)| acc | u64::from(v) << (6 * f)))
            .collect();
        w.u8(self.p).u64s(&words);
    }

    /// Reads `p` and the packed words, rejecting a bad precision, set padding bits or a
    /// register above the largest possible rank for the header's hash.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let p = r.u8()?;
        check_precision(p).map_err(crate::codec::corrupt_param)?;
        let mut regs = Registers::with_width(p, r.hash.bits());
        let words = r.u64s(regs.len().div_ceil(10))?;
        let max = u64::from(regs.max_rank());
        for (wi, w) in words.iter().enumerate() {
            if w >> 60 != 0 {
                return Err(Error::corrupt("register word has padding bits set"));
            }
            for f in 0..10 {
                let i = wi * 10 + f;
                let v = (w >> (6 * f)) & 63;
                if (i >= regs.len() && v != 0) || v > max {
                    return Err(Error::corrupt(format!("register {i} holds {v}, above the largest rank {max}")));
                }
                if let Some(slot) = regs.regs.get_mut(i) {
                    *slot = v as u8;
                }
            }
        }
        Ok(regs)
    }

    pub(crate) fn p(&self) -> u8 {
        self.p
    }

    /// The registers, one byte each.
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.regs
    }
}
