//! The Morris counter: one byte that counts to ~2^255 approximately. Its coin flips come from
//! the workspace's one specified generator, [`Xoshiro256`] (xoshiro256++ seeded through
//! SplitMix64, from `ferdelance-core`).

pub use ferdelance_core::Xoshiro256;

/// True with probability exactly `2^-c`: the next `c` random bits are all zero.
#[inline]
fn one_in_pow2(rng: &mut Xoshiro256, c: u8) -> bool {
    let mut left = u32::from(c);
    while left >= 64 {
        if rng.next_u64() != 0 {
            return false;
        }
        left -= 64;
    }
    left == 0 || rng.next_u64() >> (64 - left) == 0
}

/// Bumps exponent `c` with probability `2^-c`, saturating at 255.
#[inline]
fn bump(c: &mut u8, rng: &mut Xoshiro256) {
    if *c < u8::MAX && one_in_pow2(rng, *c) {
        *c += 1;
    }
}

/// The unbiased estimate of a Morris exponent: `2^c - 1` (the book reports `2^c`, bug 5).
pub fn morris_estimate(c: u8) -> f64 {
    f64::from(c).exp2() - 1.0
}

/// One Morris counter: an exponent byte `c` raised with probability `2^-c` per event.
/// Counts events (not distinct items); relative sigma about `1 / sqrt(2)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MorrisCounter {
    c: u8,
    rng: Xoshiro256,
}

impl MorrisCounter {
    /// A counter at zero with its own seeded generator.
    pub fn new(seed: u64) -> Self {
        MorrisCounter { c: 0, rng: Xoshiro256::new(seed) }
    }
    /// Counts one event.
    pub fn add(&mut self) {
        bump(&mut self.c, &mut self.rng);
    }
    /// The exponent byte.
    pub fn exponent(&self) -> u8 {
        self.c
    }
    /// The unbiased estimate `2^c - 1`.
    pub fn estimate(&self) -> f64 {
        morris_estimate(self.c)
    }
    /// What the book prints, `2^c` (biased by one).
    pub fn book_value(&self) -> f64 {
        f64::from(self.c).exp2()
    }
    /// The counter is stuck at `c = 255` (about 5.8e76 events).
    pub fn is_saturated(&self) -> bool {
        self.c == u8::MAX
    }
}

/// `len` Morris counters of one byte each, sharing one generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MorrisArray {
    cs: Vec<u8>,
    rng: Xoshiro256,
}

impl MorrisArray {
    /// `len` counters at zero.
    pub fn new(len: usize, seed: u64) -> Self {
        MorrisArray { cs: vec![0; len], rng: Xoshiro256::new(seed) }
    }
    /// Counts one event on counter `i`; `None` if `i` is out of range.
    pub fn add(&mut self, i: usize) -> Option<()> {
        let c = self.cs.get_mut(i)?;
        bump(c, &mut self.rng);
        Some(())
    }
    /// Counter `i`'s unbiased estimate.
    pub fn estimate(&self, i: usize) -> Option<f64> {
        self.cs.get(i).map(|&c| morris_estimate(c))
    }
    /// The exponent bytes.
    pub fn exponents(&self) -> &[u8] {
        &self.cs
    }
    /// The number of counters.
    pub fn len(&self) -> usize {
        self.cs.len()
    }
    /// Whether there are no counters.
    pub fn is_empty(&self) -> bool {
        self.cs.is_empty()
    }
    /// Heap bytes: one per counter.
    pub fn heap_bytes(&self) -> usize {
        self.cs.capacity()
    }
}
