//! The book's puzzle (ch. 9): is one large number prime, checked by trial division with several
//! workers and a shared "found a factor" flag. This is the *teaching path*; [`crate::is_prime`]
//! answers the same question in well under a microsecond.
//!
//! The lessons the book draws, and how they show up here:
//!
//! * **Split the divisor range, not a list.** Work units are `(from, to)` bounds
//!   ([`book_split`] reproduces the book's four odd-aligned ranges).
//! * **Pre-check the small divisors serially** (`precheck_below(21)`): most composites have a
//!   small factor, and finding it needs no workers at all.
//! * **Poll the flag rarely.** The book polls once per 1000 numbers (`block(1000)`): a poll per
//!   division costs more than the divisions. Here the flag is an `AtomicU64` holding the best
//!   factor so far, read with `Relaxed` once per block (a one-way "found" signal needs no lock;
//!   the book's `Manager().Value` and Redis flags were slower than no flag at all).
//! * **How the range is handed out decides the composites' case.** The book gives each worker
//!   a quarter of the range: a factor 30% of the way along is found by worker 2 after 20% of its
//!   quarter. Here workers pull blocks from a shared cursor in ascending order, so together they
//!   sweep from the bottom and reach any factor `workers` times sooner than one worker, and a
//!   worker stops once its next block starts past the best factor: the result is always the
//!   **smallest** factor, whatever the timing.

use crate::{Backend, Error, ErrorKind, Result, compiled};

/// The verdict of a trial-division search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Verdict {
    /// 0 or 1: neither prime nor composite.
    Unit,
    /// No divisor up to the square root.
    Prime,
    /// The smallest prime factor.
    Composite {
        /// The smallest divisor above 1 (necessarily prime).
        smallest_factor: u64,
    },
}

/// The book's split of `[from, to)` into `k` odd-aligned ranges: `step = (to - from) / k`,
/// starts at `from + i * step` bumped to odd, each range ending where the next starts, the last
/// at `to`. For `(3, 316400222, 4)`: `(3, 79100057), (79100057, 158200111), (158200111,
/// 237300165), (237300165, 316400222)`. Returns `[]` when `k == 0` or the range is empty.
pub fn book_split(from: u64, to: u64, k: u64) -> Vec<(u64, u64)> {
    if k == 0 || from >= to {
        return Vec::new();
    }
    let step = (to - from) / k;
    let starts: Vec<u64> = (0..k).map(|i| (from + i * step) | 1).collect();
    (0..k as usize).map(|i| (starts[i], if i + 1 < k as usize { starts[i + 1] } else { to })).collect()
}

/// Builder for the book's experiment: `TrialDivision::new(n).workers(4).run()`.
#[derive(Clone, Debug)]
pub struct TrialDivision {
    n: u64,
    backend: Backend,
    precheck_below: u64,
    block: u64,
    workers: Option<usize>,
}

/// Divisor count (about `sqrt(n) / 2`) above which `Auto` uses the parallel backend.
const PARALLEL_DIVISORS: u64 = 1 << 16;

impl TrialDivision {
    /// Trial division of `n` with the book's settings: pre-check below 21, blocks of 1000,
    /// one worker per pool thread, backend `Auto`.
    pub fn new(n: u64) -> Self {
        TrialDivision { n, backend: Backend::Auto, precheck_below: 21, block: 1000, workers: None }
    }

    /// The backend (`Parallel` runs the worker search; the others sweep serially).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Divisors below this are checked serially before any worker starts (book: 21).
    pub fn precheck_below(mut self, bound: u64) -> Self {
        self.precheck_below = bound;
        self
    }

    /// Numbers per block: the unit of work and of flag polling (book: 1000).
    pub fn block(mut self, block: u64) -> Self {
        self.block = block;
        self
    }

    /// Worker tasks for the parallel backend (default: the current rayon pool's threads).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = Some(workers);
        self
    }

    /// Runs the search. Errors: `InvalidParameter` for a zero block or zero workers,
    /// `BackendUnavailable`.
    pub fn run(&self) -> Result<Verdict> {
        if self.block == 0 {
            return Err(Error::new(ErrorKind::InvalidParameter, "trial division: block must be at least 1"));
        }
        if self.workers == Some(0) {
            return Err(Error::new(ErrorKind::InvalidParameter, "trial division: workers must be at least 1"));
        }
        let n = self.n;
        let backend = self.backend.resolve(compiled(), n.isqrt() / 2 >= PARALLEL_DIVISORS)?;
        if n < 2 {
            return Ok(Verdict::Unit);
        }
        if n.is_multiple_of(2) {
            return Ok(if n == 2 { Verdict::Prime } else { Verdict::Composite { smallest_factor: 2 } });
        }
        let to = n.isqrt() + 1; // the book's exclusive bound, exact
        let split = self.precheck_below.max(3).min(to);
        let found = crate::scalar::first_divisor(n, 3, split).or_else(|| match backend {
            #[cfg(feature = "parallel")]
            Backend::Parallel => {
                let workers = self.workers.unwrap_or_else(rayon::current_num_threads);
                crate::parallel::trial_search(n, split, to, self.block, workers)
            }
            _ => crate::scalar::first_divisor(n, split, to),
        });
        Ok(match found {
            Some(d) if d < n => Verdict::Composite { smallest_factor: d },
            _ => Verdict::Prime,
        })
    }
}
