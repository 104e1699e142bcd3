//! Unit tests that need crate internals (oracles for the public API live in `tests/`).

use crate::oracle::primes_naive;
use crate::*;

#[test]
fn every_backend_small_ranges() {
    for &b in BACKENDS {
        for (lo, hi) in
            [(0u64, 0u64), (0, 1), (0, 2), (2, 2), (3, 5), (0, 30), (7, 47), (1, 1000), (49, 49), (900, 2000)]
        {
            let got = Sieve::new(lo..=hi).unwrap().backend(b).segment_bytes(1024).collect().unwrap();
            assert_eq!(got, primes_naive(lo, hi), "{b} [{lo}, {hi}]");
            let n = Sieve::new(lo..=hi).unwrap().backend(b).count().unwrap();
            assert_eq!(n, got.len() as u64, "{b} count [{lo}, {hi}]");
        }
    }
}
