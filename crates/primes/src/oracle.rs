//! Deliberately naive references for the tests, kept apart from the optimised kernels.

/// Trial division by every number from 2 to the square root.
pub(crate) fn is_prime_naive(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d))
}

/// Primes in `[lo, hi]` by testing every number naively (small ranges only).
pub(crate) fn primes_naive(lo: u64, hi: u64) -> Vec<u64> {
    (lo..=hi).filter(|&n| is_prime_naive(n)).collect()
}
