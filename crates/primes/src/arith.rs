//! Modular arithmetic shared by the primality test and the factoriser: Montgomery form for odd
//! 64-bit moduli, and an overflow-free `u128` multiply-mod for the BPSW test above 2^64.

/// Montgomery arithmetic modulo an odd `n` (R = 2^64).
///
/// Values are kept in Montgomery form `a * R mod n`; [`Mont::mul`] computes `a * b / R mod n`
/// with one 128-bit product and one high-half multiply (the subtraction form of REDC, which
/// cannot overflow for any odd `n < 2^64`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mont {
    pub(crate) n: u64,
    /// n^-1 mod 2^64.
    inv: u64,
    /// R mod n: the Montgomery form of 1.
    pub(crate) one: u64,
}

impl Mont {
    /// Set-up for an odd modulus `n > 1`.
    pub(crate) fn new(n: u64) -> Self {
        debug_assert!(n & 1 == 1 && n > 1);
        // (3n) xor 2 is n^-1 mod 2^5; each Newton step doubles the correct low bits (5 -> 80).
        let mut inv = n.wrapping_mul(3) ^ 2;
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n.wrapping_mul(inv)));
        }
        // R mod n = (2^64 - 1) mod n + 1, with a 64-bit remainder only (n odd, so never n).
        let one = u64::MAX % n + 1;
        Mont { n, inv, one }
    }

    /// The two halves of REDC(`a * b`) for `a, b < n`: the high word of the product and the
    /// high word of `m * n` (the low words are equal by construction); their difference mod `n`
    /// is `a * b / R mod n`, and each is below `n`.
    #[inline(always)]
    fn redc_halves(&self, a: u64, b: u64) -> (u64, u64) {
        let t = a as u128 * b as u128;
        let (lo, hi) = (t as u64, (t >> 64) as u64);
        let m = lo.wrapping_mul(self.inv);
        (hi, ((m as u128 * self.n as u128) >> 64) as u64)
    }

    /// `a * b / R mod n` for `a, b < n`.
    #[inline(always)]
    pub(crate) fn mul(&self, a: u64, b: u64) -> u64 {
        let (hi, mn_hi) = self.redc_halves(a, b);
        self.sub(hi, mn_hi)
    }

    /// `a * b / R - c mod n` for `a, b, c < n`: the high half of `a * b` (< n) is known before
    /// the reduction's product, so `c` comes off it beside the critical path, and the product
    /// costs no more than [`Mont::mul`] (the Lucas test's `V^2 - 2` and `V * W - P`).
    #[inline(always)]
    pub(crate) fn mul_sub(&self, a: u64, b: u64, c: u64) -> u64 {
        let (hi, mn_hi) = self.redc_halves(a, b);
        self.sub(self.sub(hi, c), mn_hi)
    }

    /// Montgomery form of `a` (any `a`); costs a 128-bit remainder, so hot paths avoid it.
    pub(crate) fn enter(&self, a: u64) -> u64 {
        let r2 = ((self.one as u128 * self.one as u128) % self.n as u128) as u64;
        self.mul(a % self.n, r2)
    }

    /// Back from Montgomery form.
    #[cfg(test)]
    pub(crate) fn leave(&self, a: u64) -> u64 {
        self.mul(a, 1)
    }

    /// `a + b mod n` for `a, b < n`.
    #[inline(always)]
    pub(crate) fn add(&self, a: u64, b: u64) -> u64 {
        let (s, carry) = a.overflowing_add(b);
        if carry || s >= self.n { s.wrapping_sub(self.n) } else { s }
    }

    /// `a - b mod n` for `a, b < n`.
    #[inline(always)]
    pub(crate) fn sub(&self, a: u64, b: u64) -> u64 {
        if a >= b { a - b } else { a.wrapping_sub(b).wrapping_add(self.n) }
    }

    /// `base^e` in Montgomery form (`base` in Montgomery form).
    #[cfg(test)]
    pub(crate) fn pow(&self, mut base: u64, mut e: u64) -> u64 {
        let mut acc = self.one;
        while e > 0 {
            if e & 1 == 1 {
                acc = self.mul(acc, base);
            }
            base = self.mul(base, base);
            e >>= 1;
        }
        acc
    }
}

/// `a * b mod n` for `u128` operands, without overflow (shift-and-add; used only above 2^64).
pub(crate) fn mulmod_u128(mut a: u128, mut b: u128, n: u128) -> u128 {
    a %= n;
    b %= n;
    if let Some(p) = a.checked_mul(b) {
        return p % n;
    }
    let mut acc = 0u128;
    while b > 0 {
        if b & 1 == 1 {
            acc = addmod_u128(acc, a, n);
        }
        a = addmod_u128(a, a, n);
        b >>= 1;
    }
    acc
}

/// `a + b mod n` for `a, b < n`, without overflow.
pub(crate) fn addmod_u128(a: u128, b: u128, n: u128) -> u128 {
    if a >= n - b { a - (n - b) } else { a + b }
}

/// The Jacobi symbol (a / n) for odd `n > 0` (64-bit remainders when both fit).
pub(crate) fn jacobi(a: u128, n: u128) -> i32 {
    match (u64::try_from(a), u64::try_from(n)) {
        (Ok(a), Ok(n)) => jacobi_generic(a, n),
        _ => jacobi_generic(a, n),
    }
}

/// The binary Jacobi algorithm over any unsigned width.
fn jacobi_generic<T>(mut a: T, mut n: T) -> i32
where
    T: Copy
        + PartialEq
        + From<u8>
        + std::ops::Rem<Output = T>
        + std::ops::ShrAssign<u32>
        + std::ops::BitAnd<Output = T>,
    T: TrailingZeros,
{
    let (zero, one, three, four, five, eight) =
        (T::from(0), T::from(1), T::from(3), T::from(4), T::from(5), T::from(8));
    a = a % n;
    let mut t = 1;
    while a != zero {
        let tz = a.tz();
        a >>= tz;
        if tz & 1 == 1 && (n % eight == three || n % eight == five) {
            t = -t;
        }
        if a % four == three && n % four == three {
            t = -t;
        }
        std::mem::swap(&mut a, &mut n);
        a = a % n;
    }
    if n == one { t } else { 0 }
}

/// `trailing_zeros` for the widths [`jacobi`] uses.
pub(crate) trait TrailingZeros {
    /// The number of trailing zero bits.
    fn tz(self) -> u32;
}

impl TrailingZeros for u64 {
    fn tz(self) -> u32 {
        self.trailing_zeros()
    }
}

impl TrailingZeros for u128 {
    fn tz(self) -> u32 {
        self.trailing_zeros()
    }
}

/// Exact integer square root of a `u128` (floor).
pub(crate) fn isqrt_u128(n: u128) -> u128 {
    n.isqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn montgomery_matches_u128() {
        for &n in &[3u64, 5, 7, 1_000_000_007, (1 << 61) - 1, u64::MAX, u64::MAX - 58, 0x8000_0000_0000_0001] {
            let m = Mont::new(n);
            for &(a, b) in &[(0u64, 5u64), (1, 1), (n - 1, n - 1), (n / 2, n / 3 + 1), (12345, 67890 % n)] {
                let want = ((a as u128 * b as u128) % n as u128) as u64;
                let got = m.leave(m.mul(m.enter(a), m.enter(b)));
                assert_eq!(got, want, "{a} * {b} mod {n}");
                for c in [0, 1, n / 2, n - 1] {
                    let want_sub = (want as u128 + n as u128 - c as u128) % n as u128;
                    let got_sub = m.leave(m.mul_sub(m.enter(a), m.enter(b), m.enter(c)));
                    assert_eq!(got_sub as u128, want_sub, "{a} * {b} - {c} mod {n}");
                }
            }
            assert_eq!(m.leave(m.pow(m.enter(2), 10)), ((1024u128) % n as u128) as u64);
        }
    }

    #[test]
    fn u128_helpers() {
        let n = (1u128 << 127) - 1;
        assert_eq!(mulmod_u128(n - 1, n - 1, n), 1);
        assert_eq!(jacobi(2, 7), 1);
        assert_eq!(jacobi(3, 7), -1);
        assert_eq!(jacobi(7, 21), 0);
        assert_eq!(isqrt_u128(u128::MAX), u64::MAX as u128);
    }
}
