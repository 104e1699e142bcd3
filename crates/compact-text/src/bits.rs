//! A plain bit vector with rank and select, the building block of the succinct trie.
//!
//! Rank uses one `u32` count per 512-bit block (6.25% overhead); select binary-searches those
//! counts and then scans at most eight words. Every access is bounds-checked: positions past
//! the end give `None`, so a crafted store can never read out of bounds.

/// Bits per rank block.
const BLOCK_WORDS: usize = 8;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BitVec {
    words: Vec<u64>,
    len: usize,
    /// `ranks[b]` = number of ones in blocks `0..b`; one extra entry at the end.
    ranks: Vec<u32>,
}

/// Builds a [`BitVec`] bit by bit.
#[derive(Debug, Default)]
pub(crate) struct BitVecBuilder {
    words: Vec<u64>,
    len: usize,
}

impl BitVecBuilder {
    pub(crate) fn push(&mut self, bit: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        if bit {
            let last = self.words.len() - 1;
            self.words[last] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    pub(crate) fn finish(self) -> BitVec {
        BitVec::from_words(self.words, self.len).expect("builder produces consistent words")
    }
}

impl BitVec {
    /// Wraps `words` holding `len` bits; `None` if the lengths disagree or the counts overflow.
    pub(crate) fn from_words(mut words: Vec<u64>, len: usize) -> Option<Self> {
        if words.len() != len.div_ceil(64) || len > u32::MAX as usize {
            return None;
        }
        if !len.is_multiple_of(64) {
            // Bits past the end must be zero so rank and select never see them.
            let last = words.last_mut()?;
            *last &= (1u64 << (len % 64)) - 1;
        }
        let mut ranks = Vec::with_capacity(words.len() / BLOCK_WORDS + 2);
        let mut total = 0u32;
        for block in words.chunks(BLOCK_WORDS) {
            ranks.push(total);
            total += block.iter().map(|w| w.count_ones()).sum::<u32>();
        }
        ranks.push(total);
        words.shrink_to_fit();
        Some(BitVec { words, len, ranks })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn ones(&self) -> usize {
        *self.ranks.last().unwrap_or(&0) as usize
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8 + self.ranks.capacity() * 4
    }

    pub(crate) fn get(&self, i: usize) -> Option<bool> {
        if i >= self.len {
            return None;
        }
        Some(self.words[i / 64] >> (i % 64) & 1 == 1)
    }

    /// Number of ones in `0..i` (`i <= len`).
    pub(crate) fn rank1(&self, i: usize) -> Option<usize> {
        if i > self.len {
            return None;
        }
        let w = i / 64;
        let block = w / BLOCK_WORDS;
        let mut r = *self.ranks.get(block)? as usize;
        for word in &self.words[block * BLOCK_WORDS..w] {
            r += word.count_ones() as usize;
        }
        if !i.is_multiple_of(64) {
            r += (self.words[w] & ((1u64 << (i % 64)) - 1)).count_ones() as usize;
        }
        Some(r)
    }

    /// Position of the first zero at or after `i`.
    pub(crate) fn next_zero(&self, i: usize) -> Option<usize> {
        let mut w = i / 64;
        let mut word = !*self.words.get(w)? & (u64::MAX << (i % 64));
        loop {
            if word != 0 {
                let pos = w * 64 + word.trailing_zeros() as usize;
                return (pos < self.len).then_some(pos);
            }
            w += 1;
            word = !*self.words.get(w)?;
        }
    }

    /// Position of the `k`-th one (0-based).
    pub(crate) fn select1(&self, k: usize) -> Option<usize> {
        self.select(k, true)
    }

    /// Position of the `k`-th zero (0-based).
    pub(crate) fn select0(&self, k: usize) -> Option<usize> {
        self.select(k, false)
    }

    fn select(&self, k: usize, ones: bool) -> Option<usize> {
        let nblocks = self.ranks.len() - 1;
        let count = |b: usize| -> usize {
            let r = self.ranks[b] as usize;
            if ones { r } else { (b * BLOCK_WORDS * 64).min(self.len) - r }
        };
        let total = count(nblocks);
        if k >= total {
            return None;
        }
        // Last block whose count before it is <= k.
        let (mut lo, mut hi) = (0, nblocks);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if count(mid) <= k { lo = mid } else { hi = mid }
        }
        let mut left = k - count(lo);
        for (wi, &word) in self.words.iter().enumerate().skip(lo * BLOCK_WORDS) {
            let w = if ones { word } else { !word };
            let c = w.count_ones() as usize;
            if left < c {
                let pos = wi * 64 + select_in_word(w, left);
                return (pos < self.len).then_some(pos);
            }
            left -= c;
        }
        None
    }
}

/// Position of the `k`-th set bit of `w` (`k < w.count_ones()`).
fn select_in_word(mut w: u64, k: usize) -> usize {
    for _ in 0..k {
        w &= w - 1;
    }
    w.trailing_zeros() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_select_match_a_naive_scan() {
        let mut b = BitVecBuilder::default();
        let bits: Vec<bool> = (0..2000u32).map(|i| (i * 7919 % 13) < 5 || i % 600 == 1).collect();
        for &x in &bits {
            b.push(x);
        }
        let v = b.finish();
        assert_eq!(v.len(), bits.len());
        let ones: Vec<usize> = (0..bits.len()).filter(|&i| bits[i]).collect();
        let zeros: Vec<usize> = (0..bits.len()).filter(|&i| !bits[i]).collect();
        assert_eq!(v.ones(), ones.len());
        for i in 0..=bits.len() {
            assert_eq!(v.rank1(i), Some(bits[..i].iter().filter(|&&x| x).count()));
        }
        for (k, &p) in ones.iter().enumerate() {
            assert_eq!(v.select1(k), Some(p));
        }
        for (k, &p) in zeros.iter().enumerate() {
            assert_eq!(v.select0(k), Some(p));
        }
        assert_eq!(v.select1(ones.len()), None);
        assert_eq!(v.select0(zeros.len()), None);
        assert_eq!(v.rank1(bits.len() + 1), None);
        assert_eq!(BitVec::from_words(vec![0; 3], 64), None);
    }
}
