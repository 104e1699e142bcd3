//! Primes over any `u64` range: a cache-sized, multithreaded segmented sieve, an exact
//! primality test, factoring, the nth prime, and the book's early-exit parallel search and
//! Monte Carlo pi (*High Performance Python*, ch. 9 and 10).
//!
//! # Example
//!
//! ```
//! use primes::{Backend, Sieve, Verdict};
//!
//! assert!(primes::is_prime(100109100129100151));
//! assert_eq!(primes::prime_pi(1_000_000), 78_498);
//! assert_eq!(primes::count_primes(100_000_000..100_100_000)?, 5_411);
//! assert_eq!(primes::nth_prime(10_000)?, 104_729);
//! assert_eq!(primes::factorize(100109100129100369), vec![(95362951, 1), (1049769319, 1)]);
//! let near_top: Vec<u64> = primes::primes(u64::MAX - 90..=u64::MAX)?.collect();
//! assert_eq!(near_top, vec![u64::MAX - 82, u64::MAX - 58]);
//! assert_eq!(Sieve::new(..=8192)?.backend(Backend::Scalar).count()?, 1028);
//! let v = primes::TrialDivision::new(112272535095295).run()?;
//! assert_eq!(v, Verdict::Composite { smallest_factor: 5 });
//! let pi = primes::monte_carlo_pi(1_000_000, 42)?;
//! assert!((pi.estimate() - std::f64::consts::PI).abs() < 4.0 * pi.std_error());
//! # Ok::<(), primes::Error>(())
//! ```
//!
//! # Backends
//!
//! Every backend returns the same counts, lists, verdicts, factors and Monte Carlo hits.
//!
//! * [`Backend::Scalar`]: the reference kernels: a segmented sieve on a mod-30 wheel (one byte
//!   per 30 numbers, a bit per residue coprime to 30), pre-sieved by byte-wise AND of periodic
//!   patterns for 7 ..= 97, counted with `count_ones`; Monte Carlo chunk after chunk.
//! * [`Backend::Simd`] (feature `simd`): the pre-sieve AND 32 bytes at a time with `wide`, and
//!   Monte Carlo with four chunks' streams in the lanes of `u64x4`. Crossing off (a strided
//!   byte store) and trial division (64-bit `%`) do not vectorise: they run the scalar code.
//! * [`Backend::Parallel`] (feature `parallel`): rayon over fixed chunks (about 63 million
//!   numbers of sieve, 16 x 65,536 darts), combined in index order, and the early-exit search
//!   of [`TrialDivision`] (blocks pulled from an atomic cursor, `fetch_min` on the best factor).
//! * [`Backend::Auto`]: `Parallel` when compiled and the work is large enough (a sieve range of
//!   2^24 numbers, 2^20 darts, 2^16 trial divisors), else `Simd` when compiled, else `Scalar`.
//!
//! `is_prime`, `factorize`, `smallest_factor` and `nth_prime`'s final walk are single-number or
//! sequential algorithms with one implementation.
//!
//! # Crate features
//!
//! * `simd` (default on): the `wide` kernels.
//! * `parallel` (off): the rayon backend; parallel work runs on the current rayon pool (the
//!   global one, or the caller's `ThreadPool::install`).
//! * `serde` (off): `Serialize`/`Deserialize` for [`PiEstimate`] and [`Verdict`].
//!
//! Features change speed, never results.
//!
//! # Performance
//!
//! Segments default to half the L2 cache (read from `/sys` at run time, 512 KiB on a 1 MiB L2;
//! override with [`Sieve::segment_bytes`]); primes below 8 Ki cross off in 32 KiB L1 blocks of
//! each segment. Measured on a 2-core Zen 4 VM (default build, see `docs/BENCHMARKS.md`, taken
//! while other builds loaded the machine): pi(10^9) in about 0.4 s on one thread, level with
//! primesieve 11 (1.05x) and 1.5x faster than primal; pi(10^10) 1.0-1.1x primesieve in CPU time
//! but 0.75x in a loaded wall-clock run, 1.4x faster than primal. Re-measured with the measuring
//! process at top priority (`cargo xtask compare primes`, after the pre-sieve grew to 97):
//! pi(10^10) at 0.92-0.94x primesieve's speed on one thread and 0.95-1.01x on two in the
//! default build (1.12x / 1.11x in one `--native` run), 1.58-1.60x faster than primal;
//! `is_prime` on random odd `u64` runs 1.06x faster than machine-prime (87 vs 91 ns; trial division inlined into the caller, a
//! branch-free base-2 strong test for the survivors, the Lucas step only for primes).
//!
//! The `Auto` thresholds (a sieve range of 2^24 numbers, 2^20 darts, 2^16 trial divisors) are
//! where one parallel chunk's set-up stops dominating; they are not yet re-measured by the
//! criterion benches (`benches/benches/primes.rs`). Ranges above 2^44 sieve with primes up to
//! 2^22 and confirm the survivors with `is_prime`, so memory stays bounded (a few MiB) for any
//! window, but very wide windows up there are slower than a bucket sieve would be.
//!
//! # Semantics
//!
//! * Ranges are any `RangeBounds<u64>` (`a..b`, `a..=b`, `..=u64::MAX`, `..`); nothing
//!   overflows near 2^64. An empty range gives 0 or `[]`; a reversed one (`5..3`) is
//!   [`ErrorKind::InvalidRange`].
//! * [`is_prime`] is exact for every `u64` (trial division by the primes up to 727, then BPSW:
//!   a strong test to base 2 and an almost-extra-strong Lucas test, checked against every base-2
//!   strong pseudoprime below 2^64). [`is_prime_u128`] uses the same test above 2^64, where no
//!   counterexample is known but none is proven impossible.
//! * Integers are exact; the Monte Carlo streams are specified (see [`MonteCarloPi`]), so hits
//!   are bit-identical on every backend and thread count.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod arith;
mod error;
mod factor;
mod montecarlo;
#[cfg(test)]
mod oracle;
#[cfg(feature = "parallel")]
mod parallel;
mod primality;
mod scalar;
mod sieve;
#[cfg(feature = "simd")]
mod simd;
mod trial;
mod wheel;

use std::ops::RangeBounds;

pub use error::{Error, ErrorKind, Result};
pub use ferdelance_core::Backend;
pub use montecarlo::{DEFAULT_CHUNK, MonteCarloPi, PiEstimate};
pub use sieve::{MAX_COLLECT, NthPrime, PRIMES_BELOW_2_64, Primes, Sieve, cache_sizes, default_segment_bytes};
pub use trial::{TrialDivision, Verdict, book_split};

/// The concrete backends compiled into this build, `Scalar` first.
pub const BACKENDS: &[Backend] = &[
    Backend::Scalar,
    #[cfg(feature = "simd")]
    Backend::Simd,
    #[cfg(feature = "parallel")]
    Backend::Parallel,
];

/// What this build contains, for `Backend::resolve`.
pub(crate) const fn compiled() -> ferdelance_core::Compiled {
    ferdelance_core::Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"))
}

/// Whether `n` is prime; exact for every `u64` (trial division, then BPSW).
#[inline]
pub fn is_prime(n: u64) -> bool {
    primality::is_prime(n)
}

/// The book's trial-division test, made correct: false for 0 and 1, true for 2, odd divisors
/// up to the exact integer square root. O(sqrt n): a reference, not a tool.
pub fn is_prime_trial(n: u64) -> bool {
    primality::is_prime_trial(n)
}

/// Whether `n` is prime, for `u128`: exact below 2^64; above, BPSW (no counterexample known).
pub fn is_prime_u128(n: u128) -> bool {
    primality::is_prime_u128(n)
}

/// The smallest prime factor of `n` (`n` itself when prime), `None` for 0 and 1.
pub fn smallest_factor(n: u64) -> Option<u64> {
    factor::smallest_factor(n)
}

/// The prime factorisation of `n` as `(prime, exponent)` pairs, ascending; `[]` for 0 and 1.
/// Trial division, then Pollard-Brent rho; exact for every `u64`.
pub fn factorize(n: u64) -> Vec<(u64, u32)> {
    factor::factorize(n)
}

/// The number of primes in `range` (`Auto` backend). Errors: `InvalidRange` for a reversed range.
pub fn count_primes(range: impl RangeBounds<u64>) -> Result<u64> {
    Sieve::new(range)?.count()
}

/// The primes in `range`, ascending, in a `Vec` (`Auto` backend). Errors: `InvalidRange`,
/// `TooLarge` (more than [`MAX_COLLECT`] primes possible).
pub fn sieve(range: impl RangeBounds<u64>) -> Result<Vec<u64>> {
    Sieve::new(range)?.collect()
}

/// A lazy iterator over the primes in `range`, ascending (memory: one segment).
pub fn primes(range: impl RangeBounds<u64>) -> Result<Primes> {
    Sieve::new(range)?.iter()
}

/// pi(n): the number of primes `<= n`.
pub fn prime_pi(n: u64) -> u64 {
    // `..=n` is never reversed and the default segment size is valid: this cannot fail.
    count_primes(..=n).unwrap_or(0)
}

/// The `k`-th prime, 1-based (`nth_prime(1) == 2`). Errors: `OutOfRange` for `k == 0` or a
/// prime beyond `u64::MAX` (`k >` [`PRIMES_BELOW_2_64`]).
pub fn nth_prime(k: u64) -> Result<u64> {
    sieve::nth_prime(k, Backend::Auto)
}

/// Monte Carlo pi with `darts` darts and `seed` (chunks of [`DEFAULT_CHUNK`], `Auto` backend).
/// Errors: `InvalidParameter` for 0 darts.
pub fn monte_carlo_pi(darts: u64, seed: u64) -> Result<PiEstimate> {
    MonteCarloPi::new(darts).seed(seed).run()
}

#[cfg(test)]
mod tests;
