//! A dense file of 6-bit registers, ten to a 64-bit word (60 of its 64 bits).

use crate::backend;
use crate::codec::{Reader, Writer};
use crate::{Backend, Error};

/// `m = 2^p` registers of 6 bits packed ten per word; the top 4 bits of each word stay 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Registers {
    p: u8,
    words: Vec<u64>,
}

/// Checks a precision against `4..=18`.
pub(crate) fn check_precision(p: u8) -> Result<(), Error> {
    if (4..=18).contains(&p) { Ok(()) } else { Err(Error::param("precision", format!("{p} is outside 4..=18"))) }
}

impl Registers {
    pub(crate) fn new(p: u8) -> Self {
        let m = 1usize << p;
        Registers { p, words: vec![0; m.div_ceil(10)] }
    }

    pub(crate) fn len(&self) -> usize {
        1 << self.p
    }

    /// The largest value a register can hold with a 64-bit hash: rank of the `64 - p` bits.
    pub(crate) fn max_rank(&self) -> u8 {
        64 - self.p + 1
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> u8 {
        ((self.words[i / 10] >> (6 * (i % 10))) & 63) as u8
    }

    /// `reg[i] = max(reg[i], v)`; returns whether it grew.
    #[inline]
    pub(crate) fn update(&mut self, i: usize, v: u8) -> bool {
        let w = &mut self.words[i / 10];
        let s = 6 * (i % 10);
        let cur = (*w >> s) & 63;
        if u64::from(v) > cur {
            *w = (*w & !(63 << s)) | (u64::from(v) << s);
            true
        } else {
            false
        }
    }

    /// Index and rank of a hash: the low `p` bits pick the register, the rank is one plus
    /// the trailing zeros of the remaining `64 - p` bits (capped at `64 - p + 1`).
    #[inline]
    pub(crate) fn index_rank(&self, h: u64) -> (usize, u8) {
        let idx = (h & ((1 << self.p) - 1)) as usize;
        let rank = ((h >> self.p) | (1 << (64 - self.p))).trailing_zeros() as u8 + 1;
        (idx, rank)
    }

    #[inline]
    pub(crate) fn insert_hash(&mut self, h: u64) -> bool {
        let (i, r) = self.index_rank(h);
        self.update(i, r)
    }

    /// How many registers hold each value 0..=63.
    pub(crate) fn histogram(&self) -> [u32; 64] {
        let mut hist = [0u32; 64];
        for w in &self.words {
            for f in 0..10 {
                hist[((w >> (6 * f)) & 63) as usize] += 1;
            }
        }
        // The padding fields of the last word are zeros, not registers.
        hist[0] -= (self.words.len() * 10 - self.len()) as u32;
        hist
    }

    pub(crate) fn merge_on(&mut self, other: &Registers, b: Backend) {
        (backend::kernels_for(b).max_fields)(&mut self.words, &other.words);
    }

    pub(crate) fn clear(&mut self) {
        self.words.fill(0);
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u8(self.p).u64s(&self.words);
    }

    /// Reads `p` and the words, rejecting a bad precision, set padding bits or a register above
    /// the largest possible rank.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let p = r.u8()?;
        check_precision(p).map_err(crate::codec::corrupt_param)?;
        let regs = Registers { p, words: r.u64s((1usize << p).div_ceil(10))? };
        let max = u64::from(regs.max_rank());
        for (wi, w) in regs.words.iter().enumerate() {
            if w >> 60 != 0 {
                return Err(Error::corrupt("register word has padding bits set"));
            }
            for f in 0..10 {
                let i = wi * 10 + f;
                let v = (w >> (6 * f)) & 63;
                if (i >= regs.len() && v != 0) || v > max {
                    return Err(Error::corrupt(format!("register {i} holds {v}, above the largest rank {max}")));
                }
            }
        }
        Ok(regs)
    }

    pub(crate) fn p(&self) -> u8 {
        self.p
    }

    /// The registers as one byte each (for inspection and tests).
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}
