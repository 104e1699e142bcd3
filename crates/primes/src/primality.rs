//! Primality: the book's trial division, and the exact BPSW test (`is_prime`, `is_prime_u128`).
//!
//! `is_prime` for `u64`: trial division by the odd primes up to 727 (one multiply and one compare
//! each, via the modular inverse of each prime), then a strong probable-prime test to base 2 in
//! Montgomery form (it rejects nearly every composite that survives), then an "almost extra
//! strong" Lucas test with Baillie's parameters (P = 3, 4, ... with Jacobi(P^2 - 4, n) = -1,
//! Q = 1). That combination (BPSW) has been checked against every base-2 strong pseudoprime
//! below 2^64 (Feitsma's list, verified by Jacobsen), so it is exact for every `u64`.
//! Above 2^64 no counterexample is known; `is_prime_u128` documents this.

use crate::arith::{Mont, addmod_u128, isqrt_u128, jacobi, mulmod_u128};

/// The number of odd primes used for trial division (3 ..= 727).
const TRIAL_PRIMES: usize = 128;

/// `(p^-1 mod 2^64, u64::MAX / p)` for the first `TRIAL_PRIMES` odd primes: `p` divides `n`
/// exactly when `n * p^-1 mod 2^64 <= u64::MAX / p`, and then the product is `n / p`.
const TRIAL: [(u64, u64); TRIAL_PRIMES] = trial_table().0;

/// The first `TRIAL_PRIMES` odd primes themselves (for the `u128` test).
const TRIAL_P: [u64; TRIAL_PRIMES] = trial_table().1;

/// The largest trial-division prime: survivors above this with no small factor exceed its square.
const TRIAL_MAX: u64 = TRIAL_P[TRIAL_PRIMES - 1];

const fn trial_table() -> ([(u64, u64); TRIAL_PRIMES], [u64; TRIAL_PRIMES]) {
    let mut out = [(0u64, 0u64); TRIAL_PRIMES];
    let mut ps = [0u64; TRIAL_PRIMES];
    let mut found = 0;
    let mut c = 3u64;
    while found < TRIAL_PRIMES {
        let mut d = 3;
        let mut prime = true;
        while d * d <= c {
            if c.is_multiple_of(d) {
                prime = false;
                break;
            }
            d += 2;
        }
        if prime {
            let mut inv = c;
            let mut i = 0;
            while i < 5 {
                inv = inv.wrapping_mul(2u64.wrapping_sub(c.wrapping_mul(inv)));
                i += 1;
            }
            out[found] = (inv, u64::MAX / c);
            ps[found] = c;
            found += 1;
        }
        c += 2;
    }
    (out, ps)
}

/// A ring of residues modulo an odd `n`, in whatever representation is fastest.
trait Ring {
    /// A residue in the ring's representation.
    type E: Copy + Eq;
    fn zero(&self) -> Self::E;
    fn one(&self) -> Self::E;
    fn elem(&self, x: u128) -> Self::E;
    fn mul(&self, a: Self::E, b: Self::E) -> Self::E;
    fn sub(&self, a: Self::E, b: Self::E) -> Self::E;
    /// `a * b - c`.
    fn mul_sub(&self, a: Self::E, b: Self::E, c: Self::E) -> Self::E {
        self.sub(self.mul(a, b), c)
    }
    fn neg(&self, a: Self::E) -> Self::E {
        self.sub(self.zero(), a)
    }
    fn modulus(&self) -> u128;
}

impl Ring for Mont {
    type E = u64;
    fn zero(&self) -> u64 {
        0
    }
    fn one(&self) -> u64 {
        self.one
    }
    #[inline(always)]
    fn elem(&self, x: u128) -> u64 {
        // Small values (2 and the Lucas parameter P) by doubling and adding, which avoids the
        // 128-bit remainder of `enter`.
        if x < 64 {
            let (mut acc, mut bit) = (0, 1u128 << 6);
            while bit > 0 {
                acc = Mont::add(self, acc, acc);
                if x & bit != 0 {
                    acc = Mont::add(self, acc, self.one);
                }
                bit >>= 1;
            }
            return acc;
        }
        self.enter((x % self.n as u128) as u64)
    }
    #[inline(always)]
    fn mul(&self, a: u64, b: u64) -> u64 {
        Mont::mul(self, a, b)
    }
    #[inline(always)]
    fn sub(&self, a: u64, b: u64) -> u64 {
        Mont::sub(self, a, b)
    }
    #[inline(always)]
    fn mul_sub(&self, a: u64, b: u64, c: u64) -> u64 {
        Mont::mul_sub(self, a, b, c)
    }
    fn modulus(&self) -> u128 {
        self.n as u128
    }
}

/// Plain residues modulo a `u128` (slow shift-and-add products; only used above 2^64).
struct Wide(u128);

impl Ring for Wide {
    type E = u128;
    fn zero(&self) -> u128 {
        0
    }
    fn one(&self) -> u128 {
        1
    }
    fn elem(&self, x: u128) -> u128 {
        x % self.0
    }
    fn mul(&self, a: u128, b: u128) -> u128 {
        mulmod_u128(a, b, self.0)
    }
    fn sub(&self, a: u128, b: u128) -> u128 {
        addmod_u128(a, self.0 - b % self.0, self.0) % self.0
    }
    fn modulus(&self) -> u128 {
        self.0
    }
}

/// Strong probable-prime test to base 2 of the ring's odd modulus `n`. Right-to-left
/// exponentiation with a branch-free select: the squarings and the accumulator form two
/// independent dependency chains of equal length that run side by side, and the exponent's bits
/// (random for random `n`) never feed a branch, so there is no misprediction per bit (measured
/// ~10% faster than a branch on each bit, and faster than left-to-right with doublings or a
/// 4- to 6-bit window, whose table lookups lengthen the single chain).
#[inline(always)]
fn strong_probable_prime_base2<R: Ring>(r: &R) -> bool {
    let n = r.modulus();
    let s = (n - 1).trailing_zeros();
    let (one, minus_one) = (r.one(), r.neg(r.one()));
    let mut base = r.elem(2);
    let mut x = one;
    let mut e = (n - 1) >> s;
    while e > 1 {
        x = r.mul(x, std::hint::select_unpredictable(e & 1 == 1, base, one));
        base = r.mul(base, base);
        e >>= 1;
    }
    x = r.mul(x, base);
    if x == one || x == minus_one {
        return true;
    }
    for _ in 1..s {
        x = r.mul(x, x);
        if x == minus_one {
            return true;
        }
        if x == one {
            return false;
        }
    }
    false
}

/// Almost extra strong Lucas test (Q = 1, P from Baillie's method C) of an odd, non-square
/// modulus without small factors.
#[inline(always)]
fn lucas_aes<R: Ring>(r: &R) -> bool {
    let n = r.modulus();
    let Some(p) = lucas_parameter(n) else {
        return false;
    };
    let np1 = n + 1; // n < 2^128 - 1: no wrap for the numbers we see (n is odd and not u128::MAX)
    let s = np1.trailing_zeros();
    let d = np1 >> s;
    let two = r.elem(2);
    let pm = r.elem(p);
    // (v, w) = (V_k, V_{k+1}) with k the leading bits of d read so far; start at k = 1.
    let mut v = pm;
    let mut w = r.mul_sub(pm, pm, two);
    let bits = 128 - d.leading_zeros();
    // Each step: (V_2k, V_2k+1) or (V_2k+1, V_2k+2); the bit chooses which term is squared
    // and where the two results go through selects, not a branch (the bits are random).
    for i in (0..bits - 1).rev() {
        let bit = (d >> i) & 1 == 1;
        let t = r.mul_sub(v, w, pm);
        let a = std::hint::select_unpredictable(bit, w, v);
        let sq = r.mul_sub(a, a, two);
        (v, w) = std::hint::select_unpredictable(bit, (t, sq), (sq, t));
    }
    if v == two || v == r.neg(two) {
        return true;
    }
    for _ in 0..s.saturating_sub(1) {
        if v == r.zero() {
            return true;
        }
        v = r.mul_sub(v, v, two);
    }
    false
}

/// Baillie's method C: the least P >= 3 with Jacobi(P^2 - 4, n) = -1, for an odd `n` with no
/// factor up to `TRIAL_MAX`; `None` when `n` is proven composite (a perfect square, for which
/// no such P exists, or a common factor with P^2 - 4).
#[inline(always)]
fn lucas_parameter(n: u128) -> Option<u128> {
    // P = 3 (D = 5) and P = 4 (D = 12) settle three cases in four with two remainders: n has no
    // factor 3 or 5, so (5/n) = (n/5) is -1 exactly for n = 2, 3 (mod 5), and (12/n) = (3/n)
    // is -1 exactly for n = 5, 7 (mod 12). A square has no -1 at all, so it needs no check here.
    let (m5, m12) = match u64::try_from(n) {
        Ok(n) => (n % 5, n % 12), // 64-bit remainders by constants: multiplies, not divisions
        Err(_) => ((n % 5) as u64, (n % 12) as u64),
    };
    match (m5, m12) {
        (2 | 3, _) => return Some(3),
        (_, 5 | 7) => return Some(4),
        _ => {}
    }
    let root = match u64::try_from(n) {
        Ok(n) => u128::from(n.isqrt()), // far cheaper than the 128-bit root
        Err(_) => isqrt_u128(n),
    };
    if root * root == n {
        return None;
    }
    let mut p = 5u128;
    loop {
        match jacobi(p * p - 4, n) {
            -1 => return Some(p),
            0 if p * p - 4 != n => return None, // a non-trivial common factor
            _ => p += 1,
        }
    }
}

/// BPSW on an odd modulus with no factor up to `TRIAL_MAX`.
#[inline(always)]
fn bpsw<R: Ring>(r: &R) -> bool {
    strong_probable_prime_base2(r) && lucas_aes(r)
}

/// Whether `n` is prime: exact for every `u64` (see the module notes: trial division, then BPSW).
/// Inlined into the caller's loop: five in six random odd numbers end in the trial division,
/// and only the survivors pay for a call.
#[inline]
pub(crate) fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n & 1 == 0 {
        return false;
    }
    for &(inv, lim) in &TRIAL {
        let q = n.wrapping_mul(inv);
        if q <= lim {
            return q == 1; // n / p == 1: n is the prime itself
        }
    }
    n < TRIAL_MAX * TRIAL_MAX || bpsw_u64(n)
}

/// BPSW for an odd `n` above `TRIAL_MAX^2` with no factor up to `TRIAL_MAX`.
#[inline(never)]
fn bpsw_u64(n: u64) -> bool {
    bpsw(&Mont::new(n))
}

/// The book's trial division, made correct: 0 and 1 are not prime, 2 is, and the divisor bound
/// is the exact integer square root (float `sqrt` is wrong above 2^53).
pub(crate) fn is_prime_trial(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n < 4 {
        return true;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let root = n.isqrt();
    let mut i = 3;
    while i <= root {
        if n.is_multiple_of(i) {
            return false;
        }
        i += 2;
    }
    true
}

/// BPSW for `u128` (exact below 2^64; no counterexample known above).
pub(crate) fn is_prime_u128(n: u128) -> bool {
    if let Ok(small) = u64::try_from(n) {
        return is_prime(small);
    }
    if n & 1 == 0 {
        return false;
    }
    if TRIAL_P.iter().any(|&p| n.is_multiple_of(p as u128)) {
        return false;
    }
    bpsw(&Wide(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values() {
        let primes: Vec<u64> = (0..2000).filter(|&n| is_prime(n)).collect();
        let naive: Vec<u64> = (0..2000).filter(|&n| crate::oracle::is_prime_naive(n)).collect();
        assert_eq!(primes, naive);
        const { assert!(TRIAL_MAX == 727) };
    }

    #[test]
    fn lucas_alone_rejects_strong_pseudoprimes() {
        // Base-2 strong pseudoprimes without small factors must be caught by the Lucas step.
        for n in [3215031751u64, 2152302898747, 3474749660383, 341550071728321, 3825123056546413051] {
            assert!(!is_prime(n), "{n}");
        }
    }
}
