//! Factoring any `u64`: trial division by the small primes, then Pollard's rho with Brent's
//! cycle finding and batched gcds, in Montgomery form; `is_prime` decides when to stop.

use crate::arith::Mont;
use crate::primality::is_prime;

/// Trial division covers the primes below this bound before rho takes over.
const TRIAL_BOUND: u64 = 1 << 10;

/// The prime factors of `n > 1` with multiplicity, ascending; `[]` for 0 and 1.
pub(crate) fn factorize(mut n: u64) -> Vec<(u64, u32)> {
    let mut out: Vec<(u64, u32)> = Vec::new();
    if n < 2 {
        return out;
    }
    let push = |out: &mut Vec<(u64, u32)>, p: u64, e: u32| {
        if e > 0 {
            out.push((p, e));
        }
    };
    let tz = n.trailing_zeros();
    push(&mut out, 2, tz);
    n >>= tz;
    let mut p = 3;
    while p < TRIAL_BOUND && p * p <= n {
        let mut e = 0;
        while n.is_multiple_of(p) {
            n /= p;
            e += 1;
        }
        push(&mut out, p, e);
        p += 2;
    }
    if n > 1 {
        let mut large = Vec::new();
        split(n, &mut large);
        large.sort_unstable();
        for q in large {
            match out.last_mut() {
                Some((last, e)) if *last == q => *e += 1,
                _ => out.push((q, 1)),
            }
        }
    }
    out
}

/// The smallest prime factor of `n`, `None` for 0 and 1.
pub(crate) fn smallest_factor(n: u64) -> Option<u64> {
    if n < 2 {
        return None;
    }
    if n & 1 == 0 {
        return Some(2);
    }
    let mut p = 3;
    while p < TRIAL_BOUND {
        if p * p > n {
            return Some(n);
        }
        if n.is_multiple_of(p) {
            return Some(p);
        }
        p += 2;
    }
    factorize(n).first().map(|f| f.0)
}

/// Pushes the prime factors of odd `n > 1` (no factor below `TRIAL_BOUND`), unordered.
fn split(n: u64, out: &mut Vec<u64>) {
    if n == 1 {
        return;
    }
    if is_prime(n) {
        out.push(n);
        return;
    }
    let root = n.isqrt();
    if root * root == n {
        split(root, out);
        split(root, out);
        return;
    }
    let d = rho_brent(n);
    split(d, out);
    split(n / d, out);
}

/// A non-trivial factor of the odd composite `n` (Pollard-Brent; retries with new constants).
fn rho_brent(n: u64) -> u64 {
    let m = Mont::new(n);
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    const BATCH: u64 = 128;
    for c0 in 1u64.. {
        let c = m.enter(c0);
        let f = |x: u64| m.add(m.mul(x, x), c);
        let mut y = m.enter(2);
        let (mut x, mut ys) = (y, y);
        let mut q = m.one;
        let mut r = 1u64;
        let mut g = 1u64;
        while g == 1 {
            x = y;
            for _ in 0..r {
                y = f(y);
            }
            let mut k = 0;
            while k < r && g == 1 {
                ys = y;
                for _ in 0..BATCH.min(r - k) {
                    y = f(y);
                    q = m.mul(q, x.abs_diff(y));
                }
                g = gcd(q, n);
                k += BATCH;
            }
            r *= 2;
            if r > 1 << 40 {
                break;
            }
        }
        if g == n || g == 0 {
            // The batch overshot: step one at a time from the saved point.
            g = 1;
            let mut steps = 0u64;
            while g == 1 && steps < 1 << 22 {
                ys = f(ys);
                g = gcd(x.abs_diff(ys), n);
                steps += 1;
            }
        }
        if g != n && g > 1 {
            return g;
        }
    }
    unreachable!("rho always finds a factor of a composite with some constant")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_numbers() {
        assert_eq!(factorize(112272535095295), vec![(5, 1), (109, 1), (206004651551, 1)]);
        assert_eq!(factorize(100109100129100369), vec![(95362951, 1), (1049769319, 1)]);
        assert_eq!(factorize(100109100129101027), vec![(171656941, 1), (583192847, 1)]);
        assert_eq!(smallest_factor(100109100129101027), Some(171656941));
        assert_eq!(factorize(u64::MAX), vec![(3, 1), (5, 1), (17, 1), (257, 1), (641, 1), (65537, 1), (6700417, 1)]);
        assert_eq!(factorize(1 << 63), vec![(2, 63)]);
        assert_eq!(factorize(4294967291u64 * 4294967291), vec![(4294967291, 2)]);
        assert_eq!(factorize(4294967279u64 * 4294967291), vec![(4294967279, 1), (4294967291, 1)]);
        assert_eq!(smallest_factor(0), None);
        assert_eq!(smallest_factor(1), None);
        assert_eq!(smallest_factor(u64::MAX - 58), Some(u64::MAX - 58));
    }
}
