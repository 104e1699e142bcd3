//! The one specified random stream the crates share, so seeded results (Monte Carlo darts,
//! Morris coin flips) are the same on every machine, backend and version.

/// xoshiro256++ (Blackman & Vigna), its state filled by four successive SplitMix64 outputs
/// from the 64-bit seed (SplitMix64: add `0x9E3779B97F4A7C15`, then mix).
///
/// ```
/// use ferdelance_core::Xoshiro256;
///
/// let mut a = Xoshiro256::new(7);
/// let mut b = Xoshiro256::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!((0.0..1.0).contains(&a.unit_f64()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xoshiro256 {
    s: [u64; 4],
}

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
pub const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// One SplitMix64 step: advances `state` by [`GOLDEN_GAMMA`] and returns it mixed (Vigna's
/// reference constants). A generator in its own right, and the seeder of [`Xoshiro256`].
#[inline]
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(GOLDEN_GAMMA);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Xoshiro256 {
    /// The generator of `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        Xoshiro256 { s: [splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x)] }
    }

    /// The raw state (for SIMD kernels that run one stream per lane).
    pub fn state(&self) -> [u64; 4] {
        self.s
    }

    /// The next 64 random bits.
    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// A uniform double in `[0, 1)`: the top 53 bits of [`Xoshiro256::next_u64`] times 2^-53.
    #[inline(always)]
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values() {
        // SplitMix64 from 0 gives 0xE220A8397B1DCDAF first (Vigna's reference output).
        assert_eq!(splitmix64(&mut 0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(Xoshiro256::new(0).state()[0], 0xE220_A839_7B1D_CDAF);
        // xoshiro256++ from the state [1, 2, 3, 4]: 41943041 is its published first output.
        let mut g = Xoshiro256 { s: [1, 2, 3, 4] };
        assert_eq!(g.next_u64(), 41_943_041);
        assert_eq!(Xoshiro256::new(5), Xoshiro256::new(5));
        assert_ne!(Xoshiro256::new(5).next_u64(), Xoshiro256::new(6).next_u64());
    }
}
