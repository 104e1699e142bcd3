//! Paired A/B comparison: the way to compare two versions on a noisy machine.
//!
//! A and B run interleaved (A B, B A, A B, ...), so slow drifts of the machine (frequency,
//! other tenants) hit both alike; each pair gives a ratio `B / A` of per-call times, and the
//! verdict is the median ratio with a distribution-free confidence interval.

use std::fmt;
use std::hint::black_box;
use std::time::Duration;

use crate::bench::calibrate;
use crate::clock::{Clock, Monotonic};
use crate::stats::{Stats, median_ci, median_of_sorted, sorted};
use crate::{Error, ErrorKind};

/// Default number of pairs.
pub const DEFAULT_PAIRS: usize = 21;
/// Default calibration target of one side of a pair (short runs, many pairs).
pub const DEFAULT_PAIR_TARGET: Duration = Duration::from_millis(20);

/// A paired comparison under construction: see [`compare`].
#[derive(Clone, Debug)]
pub struct Paired<A, B, C = Monotonic> {
    a: A,
    b: B,
    pairs: usize,
    loops: Option<u64>,
    warmup: u64,
    target: Duration,
    level: f64,
    clock: C,
}

/// Compares `b` against `a` in interleaved pairs; the result's ratio is `time(B) / time(A)`.
///
/// Defaults: 21 pairs, one loop count for both sides calibrated so that the slower side takes
/// about 20 ms per run, one warm-up call each, 95% interval, [`Monotonic`] clock.
///
/// On a shared machine, compare single-threaded bodies with `.clock(ThreadCpu)`: time spent
/// preempted by other processes is then not counted. (Measured on a 2-core VM at load ~16: two
/// identical closures gave B/A = 1.004, 95% CI 0.941..1.052, on [`crate::ThreadCpu`], where
/// the wall clock gave intervals as wide as 0.6..1.3.)
///
/// ```
/// use std::time::Duration;
/// use timing::{Manual, compare};
///
/// // A manual clock makes the verdict exact: B takes 3 s per call, A 2 s (nobody waits).
/// let clock = Manual::new();
/// let (ca, cb) = (clock.clone(), clock.clone());
/// let result = compare(|| ca.advance(Duration::from_secs(2)), || cb.advance(Duration::from_secs(3)))
///     .clock(clock)
///     .loops(10)
///     .run()
///     .unwrap();
/// assert_eq!(result.median_ratio(), 1.5);
/// assert_eq!(result.ci(), Some((1.5, 1.5)));
/// ```
pub fn compare<A, B>(a: A, b: B) -> Paired<A, B> {
    Paired {
        a,
        b,
        pairs: DEFAULT_PAIRS,
        loops: None,
        warmup: 1,
        target: DEFAULT_PAIR_TARGET,
        level: 0.95,
        clock: Monotonic,
    }
}

impl<A, B, C> Paired<A, B, C> {
    /// Number of pairs (default 21; at least 6 are needed for a 95% interval; 0 is refused).
    pub fn pairs(mut self, n: usize) -> Self {
        self.pairs = n;
        self
    }
    /// Calls per run of each side, instead of calibrating (0 is refused).
    pub fn loops(mut self, n: u64) -> Self {
        self.loops = Some(n);
        self
    }
    /// Warm-up calls of each side (default 1).
    pub fn warmup(mut self, k: u64) -> Self {
        self.warmup = k;
        self
    }
    /// Calibration target for one run of the slower side (default 20 ms).
    pub fn target(mut self, d: Duration) -> Self {
        self.target = d;
        self
    }
    /// Confidence level of the interval (default 0.95; must be in (0, 1)).
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }
    /// Reads time from `clock` instead of [`Monotonic`].
    pub fn clock<C2: Clock>(self, clock: C2) -> Paired<A, B, C2> {
        let Paired { a, b, pairs, loops, warmup, target, level, .. } = self;
        Paired { a, b, pairs, loops, warmup, target, level, clock }
    }
}

impl<A, B, OA, OB, C> Paired<A, B, C>
where
    A: FnMut() -> OA,
    B: FnMut() -> OB,
    C: Clock,
{
    /// Runs the pairs.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for `pairs(0)`, `loops(0)` or a level outside (0, 1);
    /// `ErrorKind::Empty` when a run of A measured zero time (no ratio can be formed).
    pub fn run(&mut self) -> Result<PairedStats, Error> {
        if self.pairs == 0 || self.loops == Some(0) {
            return Err(Error::new(ErrorKind::InvalidParameter, "pairs and loops must be at least 1"));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::new(ErrorKind::InvalidParameter, "level must be in (0, 1)"));
        }
        let Paired { a, b, pairs, loops, warmup, target, level, clock } = self;
        let mut run_a = |n: u64| time_batch(clock, n, &mut *a);
        let mut run_b = |n: u64| time_batch(clock, n, &mut *b);
        if *warmup > 0 {
            run_a(*warmup);
            run_b(*warmup);
        }
        let loops = match *loops {
            Some(n) => n,
            None => {
                // One loop count for both: the smaller of the two calibrations (the slower side).
                let la = calibrate(*target, &mut run_a);
                let lb = calibrate(*target, &mut run_b);
                la.min(lb).max(1)
            }
        };
        let per_call = |d: Duration| d.as_secs_f64() / loops as f64;
        let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..*pairs {
            let (x, y) = if i % 2 == 0 {
                let x = run_a(loops);
                (x, run_b(loops))
            } else {
                let y = run_b(loops);
                (run_a(loops), y)
            };
            let (x, y) = (per_call(x), per_call(y));
            if x <= 0.0 {
                return Err(Error::new(ErrorKind::Empty, "a run of A measured zero time: no ratio"));
            }
            ta.push(x);
            tb.push(y);
            ratios.push(y / x);
        }
        let s = sorted(&ratios);
        Ok(PairedStats {
            a: Stats::from_samples(ta, loops)?,
            b: Stats::from_samples(tb, loops)?,
            median_ratio: median_of_sorted(&s),
            ci: median_ci(&s, *level),
            level: *level,
            ratios,
        })
    }
}

fn time_batch<C: Clock, O>(clock: &C, n: u64, f: &mut impl FnMut() -> O) -> Duration {
    let start = clock.now();
    for _ in 0..n {
        black_box(f());
    }
    clock.now().saturating_sub(start)
}

/// The result of a paired comparison: per-pair ratios `B / A` and their median with an interval.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PairedStats {
    a: Stats,
    b: Stats,
    ratios: Vec<f64>,
    median_ratio: f64,
    ci: Option<(f64, f64)>,
    level: f64,
}

impl PairedStats {
    /// Timings of A (one sample per pair).
    pub fn a(&self) -> &Stats {
        &self.a
    }
    /// Timings of B (one sample per pair).
    pub fn b(&self) -> &Stats {
        &self.b
    }
    /// `time(B) / time(A)` of each pair, in run order.
    pub fn ratios(&self) -> &[f64] {
        &self.ratios
    }
    /// The median of the ratios: below 1 means B is faster.
    pub fn median_ratio(&self) -> f64 {
        self.median_ratio
    }
    /// Distribution-free interval for the median ratio at [`PairedStats::level`]; `None` with
    /// too few pairs.
    pub fn ci(&self) -> Option<(f64, f64)> {
        self.ci
    }
    /// The confidence level of [`PairedStats::ci`].
    pub fn level(&self) -> f64 {
        self.level
    }
    /// `Some(true)` if B is faster (interval below 1), `Some(false)` if slower (above 1),
    /// `None` if the interval contains 1 or is unavailable: no significant difference.
    pub fn b_is_faster(&self) -> Option<bool> {
        match self.ci {
            Some((_, hi)) if hi < 1.0 => Some(true),
            Some((lo, _)) if lo > 1.0 => Some(false),
            _ => None,
        }
    }
}

impl fmt::Display for PairedStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "B/A = {:.3}", self.median_ratio)?;
        match self.ci {
            Some((lo, hi)) => write!(f, " ({:.0}% CI {lo:.3}..{hi:.3})", self.level * 100.0)?,
            None => write!(f, " (too few pairs for a {:.0}% CI)", self.level * 100.0)?,
        }
        let verdict = match self.b_is_faster() {
            Some(true) => "B faster",
            Some(false) => "B slower",
            None => "no significant difference",
        };
        write!(f, " over {} pairs: {verdict}; A best {}, B best {}", self.ratios.len(), fmt_t(&self.a), fmt_t(&self.b))
    }
}

fn fmt_t(s: &Stats) -> String {
    crate::stats::fmt_time(s.min())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manual;
    use std::cell::Cell;

    #[test]
    fn identical_manual_sides_give_ratio_one() {
        let clock = Manual::new();
        let (ca, cb) = (clock.clone(), clock.clone());
        let r = compare(|| ca.advance(Duration::from_nanos(100)), || cb.advance(Duration::from_nanos(100)))
            .clock(clock)
            .run()
            .unwrap();
        assert_eq!(r.median_ratio(), 1.0);
        assert_eq!(r.ci(), Some((1.0, 1.0)));
        assert_eq!(r.b_is_faster(), None);
        assert_eq!(r.ratios().len(), 21);
        // 100 ns per call, target 20 ms: 200_000 calls.
        assert_eq!(r.a().loops(), 200_000);
    }

    #[test]
    fn interleaving_alternates_order() {
        let order = Cell::new(String::new());
        let push = |c: char| {
            let mut s = order.take();
            s.push(c);
            order.set(s);
        };
        compare(|| push('a'), || push('b'))
            .clock(Manual::with_tick(Duration::from_nanos(1)))
            .loops(1)
            .warmup(0)
            .pairs(4)
            .run()
            .unwrap();
        assert_eq!(order.take(), "abbaabba");
    }

    #[test]
    fn verdicts_and_bad_input() {
        let clock = Manual::new();
        let (ca, cb) = (clock.clone(), clock.clone());
        let r = compare(|| ca.advance(Duration::from_nanos(40)), || cb.advance(Duration::from_nanos(10)))
            .clock(clock)
            .loops(3)
            .run()
            .unwrap();
        assert_eq!(r.median_ratio(), 0.25);
        assert_eq!(r.b_is_faster(), Some(true));
        assert!(r.to_string().starts_with("B/A = 0.250 (95% CI 0.250..0.250) over 21 pairs: B faster"));
        let e = compare(|| 1, || 2).pairs(0).run().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let e = compare(|| 1, || 2).level(1.0).run().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let e = compare(|| 1, || 2).clock(Manual::new()).loops(1).run().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Empty);
    }
}
