//! Primality: the book's trial division, and the exact BPSW test (`is_prime`, `is_prime_u128`).
//!
//! `is_prime` for `u64`: trial division by the odd primes below 320 (one multiply and one compare
//! each, via the modular inverse of each prime), then a strong probable-prime test to base 2 in
//! Montgomery form (it rejects nearly every composite that survives), then an "almost extra
//! strong" Lucas test with Baillie's parameters (P = 3, 4, ... with Jacobi(P^2 - 4, n) = -1,
//! Q = 1). That combination (BPSW) has been checked against every base-2 strong pseudoprime
//! below 2^64 (Feitsma's list, verified by Jacobsen), so it is exact for every `u64`.
//! Above 2^64 no counterexample is known; `is_prime_u128` documents this.

use crate::arith::{Mont, addmod_u128, isqrt_u128, jacobi, mulmod_u128};

/// The number of odd primes used for trial division (3 ..= 313).
const TRIAL_PRIMES: usize = 64;

/// `(p, p^-1 mod 2^64, u64::MAX / p)` for the first `TRIAL_PRIMES` odd primes.
const TRIAL: [(u64, u64, u64); TRIAL_PRIMES] = trial_table();

const fn trial_table() -> [(u64, u64, u64); TRIAL_PRIMES] {
    let mut out = [(0u64, 0u64, 0u64); TRIAL_PRIMES];
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
            out[found] = (c, inv, u64::MAX / c);
            found += 1;
        }
        c += 2;
    }
    out
}

/// The largest trial-division prime: survivors above this with no small factor exceed its square.
const TRIAL_MAX: u64 = TRIAL[TRIAL_PRIMES - 1].0;

/// A ring of residues modulo an odd `n`, in whatever representation is fastest.
trait Ring {
    /// A residue in the ring's representation.
    type E: Copy + Eq;
    fn zero(&self) -> Self::E;
    fn one(&self) -> Self::E;
    fn elem(&self, x: u128) -> Self::E;
    fn mul(&self, a: Self::E, b: Self::E) -> Self::E;
    fn sub(&self, a: Self::E, b: Self::E) -> Self::E;
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
        match x {
            2 => Mont::add(self, self.one, self.one),
            _ => self.enter((x % self.n as u128) as u64),
        }
    }
    #[inline(always)]
    fn mul(&self, a: u64, b: u64) -> u64 {
        Mont::mul(self, a, b)
    }
    #[inline(always)]
    fn sub(&self, a: u64, b: u64) -> u64 {
        Mont::sub(self, a, b)
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
/// exponentiation: the squarings form the critical dependency chain and the multiply into the
/// accumulator runs beside it, only for the 1 bits (measured faster than a branch-free select,
/// whose accumulator chain becomes the longer one, and than left-to-right with doublings).
#[inline(always)]
fn strong_probable_prime_base2<R: Ring>(r: &R) -> bool {
    let n = r.modulus();
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    let (one, minus_one) = (r.one(), r.neg(r.one()));
    let mut base = r.elem(2);
    let mut x = one;
    let mut e = d;
    while e > 1 {
        if e & 1 == 1 {
            x = r.mul(x, base);
        }
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
    let mut p = 3u128;
    loop {
        match jacobi(p * p - 4, n) {
            -1 => break,
            0 if p * p - 4 != n => return false, // a non-trivial common factor
            _ => p += 1,
        }
    }
    let np1 = n + 1; // n < 2^128 - 1: no wrap for the numbers we see (n is odd and not u128::MAX)
    let s = np1.trailing_zeros();
    let d = np1 >> s;
    let two = r.elem(2);
    let pm = r.elem(p);
    // (v, w) = (V_k, V_{k+1}) with k the leading bits of d read so far; start at k = 1.
    let mut v = pm;
    let mut w = r.sub(r.mul(pm, pm), two);
    let bits = 128 - d.leading_zeros();
    for i in (0..bits - 1).rev() {
        let t = r.sub(r.mul(v, w), pm);
        if (d >> i) & 1 == 1 {
            v = t;
            w = r.sub(r.mul(w, w), two);
        } else {
            w = t;
            v = r.sub(r.mul(v, v), two);
        }
    }
    if v == two || v == r.neg(two) {
        return true;
    }
    for _ in 0..s.saturating_sub(1) {
        if v == r.zero() {
            return true;
        }
        v = r.sub(r.mul(v, v), two);
    }
    false
}

/// BPSW on an odd modulus with no factor up to `TRIAL_MAX`.
#[inline(always)]
fn bpsw<R: Ring>(r: &R) -> bool {
    if !strong_probable_prime_base2(r) {
        return false;
    }
    let n = r.modulus();
    let root = isqrt_u128(n);
    if root * root == n {
        return false;
    }
    lucas_aes(r)
}

/// Whether `n` is prime: exact for every `u64` (see the module notes: trial division, then BPSW).
pub(crate) fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n & 1 == 0 {
        return false;
    }
    for &(p, inv, lim) in &TRIAL {
        let q = n.wrapping_mul(inv);
        if q <= lim {
            return n == p;
        }
    }
    if n < TRIAL_MAX * TRIAL_MAX {
        return true;
    }
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
    if TRIAL.iter().any(|&(p, _, _)| n.is_multiple_of(p as u128)) {
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
        const { assert!(TRIAL_MAX == 313) };
    }

    #[test]
    fn lucas_alone_rejects_strong_pseudoprimes() {
        // Base-2 strong pseudoprimes without small factors must be caught by the Lucas step.
        for n in [3215031751u64, 2152302898747, 3474749660383, 341550071728321, 3825123056546413051] {
            assert!(!is_prime(n), "{n}");
        }
    }
}
