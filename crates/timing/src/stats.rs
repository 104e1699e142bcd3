//! Summary statistics of repeated timings, throughput units, outliers and intervals.
//!
//! Every statistic is a pure function of the samples: sorted order, median of an even count =
//! mean of the middle two, standard deviation with `n - 1`, MAD = median absolute deviation
//! from the median (unscaled).

use std::fmt;

use crate::{Error, ErrorKind};

/// Timings of one benchmark: per-call seconds of each repeat, and their summary.
///
/// `min` is the headline figure (as `timeit` reports the best of its repeats: slower repeats
/// are interference, not the code). Each sample is one repeat's time divided by `loops`.
///
/// ```
/// let stats = timing::Stats::from_samples(vec![3.0, 1.0, 2.0, 4.0], 10).unwrap();
/// assert_eq!(stats.min(), 1.0);
/// assert_eq!(stats.median(), 2.5);
/// assert_eq!(stats.mean(), 2.5);
/// assert_eq!(stats.max(), 4.0);
/// assert_eq!(stats.to_string(), "10 loops, best of 4: 1 sec per loop");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Stats {
    samples: Vec<f64>,
    loops: u64,
    min: f64,
    median: f64,
    mean: f64,
    stddev: f64,
    mad: f64,
    max: f64,
}

impl Stats {
    /// Summarises per-call times in seconds (one per repeat, in run order) measured with `loops`
    /// calls per repeat.
    ///
    /// # Errors
    ///
    /// `ErrorKind::Empty` for no samples; `ErrorKind::InvalidParameter` for `loops == 0` or a
    /// sample that is negative, infinite or NaN.
    pub fn from_samples(samples: Vec<f64>, loops: u64) -> Result<Stats, Error> {
        if samples.is_empty() {
            return Err(Error::new(ErrorKind::Empty, "no samples to summarise"));
        }
        if loops == 0 {
            return Err(Error::new(ErrorKind::InvalidParameter, "loops must be at least 1"));
        }
        if let Some(bad) = samples.iter().find(|s| !s.is_finite() || **s < 0.0) {
            return Err(Error::new(ErrorKind::InvalidParameter, format!("sample {bad} is not a duration")));
        }
        let s = sorted(&samples);
        let n = s.len();
        let mean = s.iter().sum::<f64>() / n as f64;
        // Rounding can put the mean of equal samples a hair outside [min, max]: clamp it.
        let mean = mean.clamp(s[0], s[n - 1]);
        let stddev =
            if n > 1 { (s.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt() } else { 0.0 };
        let median = median_of_sorted(&s);
        let deviations = sorted(&s.iter().map(|x| (x - median).abs()).collect::<Vec<_>>());
        Ok(Stats { min: s[0], max: s[n - 1], median, mean, stddev, mad: median_of_sorted(&deviations), samples, loops })
    }

    /// The best per-call time in seconds: the headline.
    pub fn min(&self) -> f64 {
        self.min
    }
    /// The median per-call time in seconds.
    pub fn median(&self) -> f64 {
        self.median
    }
    /// The mean per-call time in seconds.
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// The sample standard deviation (`n - 1`) in seconds; 0 for one sample.
    pub fn stddev(&self) -> f64 {
        self.stddev
    }
    /// The median absolute deviation from the median, in seconds (unscaled).
    pub fn mad(&self) -> f64 {
        self.mad
    }
    /// The worst per-call time in seconds.
    pub fn max(&self) -> f64 {
        self.max
    }
    /// Per-call seconds of each repeat, in the order they ran.
    pub fn samples(&self) -> &[f64] {
        &self.samples
    }
    /// Calls per repeat.
    pub fn loops(&self) -> u64 {
        self.loops
    }
    /// Number of repeats (samples).
    pub fn repeats(&self) -> usize {
        self.samples.len()
    }
    /// Coefficient of variation, `stddev / mean` (0 when the mean is 0).
    pub fn cv(&self) -> f64 {
        if self.mean > 0.0 { self.stddev / self.mean } else { 0.0 }
    }

    /// Throughput at the best time when one call does `units` of work: `None` when the best
    /// time is zero (nothing measurable) or `units` is not a finite non-negative number.
    ///
    /// ```
    /// use timing::{Stats, Unit};
    /// let stats = Stats::from_samples(vec![0.5, 0.25], 1).unwrap();
    /// let t = stats.throughput(1.0e6, Unit::CellUpdates).unwrap();
    /// assert_eq!(t.per_second(), 4.0e6);
    /// assert_eq!(t.to_string(), "4.00 M cell-updates/s");
    /// ```
    pub fn throughput(&self, units: f64, unit: Unit) -> Option<Throughput> {
        (self.min > 0.0 && units.is_finite() && units >= 0.0).then(|| Throughput { per_second: units / self.min, unit })
    }

    /// Tukey-fence outlier counts (1.5 and 3 interquartile ranges beyond the quartiles).
    pub fn outliers(&self) -> Outliers {
        let sorted = sorted(&self.samples);
        let (q1, q3) = (quantile(&sorted, 0.25), quantile(&sorted, 0.75));
        let iqr = q3 - q1;
        let mut o = Outliers::default();
        for &x in &sorted {
            if x < q1 - 3.0 * iqr {
                o.low_severe += 1;
            } else if x < q1 - 1.5 * iqr {
                o.low_mild += 1;
            } else if x > q3 + 3.0 * iqr {
                o.high_severe += 1;
            } else if x > q3 + 1.5 * iqr {
                o.high_mild += 1;
            }
        }
        o
    }

    /// A distribution-free confidence interval for the median per-call time (order statistics
    /// of the binomial(n, 1/2) law, coverage at least `level`); `None` when there are too few
    /// samples for that level (fewer than 6 for 95%) or `level` is not in (0, 1).
    pub fn median_ci(&self, level: f64) -> Option<(f64, f64)> {
        median_ci(&sorted(&self.samples), level)
    }
}

impl fmt::Display for Stats {
    /// `timeit` style: `"20 loops, best of 5: 13.1 msec per loop"`; the alternate form (`{:#}`)
    /// adds median, mean ± stddev, MAD and max.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} loop{}, best of {}: {} per loop",
            self.loops,
            if self.loops == 1 { "" } else { "s" },
            self.repeats(),
            fmt_time(self.min)
        )?;
        if f.alternate() {
            write!(
                f,
                " (median {}, mean {} ± {}, MAD {}, max {})",
                fmt_time(self.median),
                fmt_time(self.mean),
                fmt_time(self.stddev),
                fmt_time(self.mad),
                fmt_time(self.max)
            )?;
        }
        Ok(())
    }
}

/// Seconds with three significant digits and a `timeit` unit: `"13.1 sec"`, `"20.1 nsec"`.
///
/// ```
/// assert_eq!(timing::fmt_time(13.1), "13.1 sec");
/// assert_eq!(timing::fmt_time(0.0000201), "20.1 usec");
/// assert_eq!(timing::fmt_time(2.5e-9), "2.5 nsec");
/// ```
pub fn fmt_time(secs: f64) -> String {
    let (value, unit) = if secs >= 1.0 || secs == 0.0 || !secs.is_finite() {
        (secs, "sec")
    } else if secs >= 1e-3 {
        (secs * 1e3, "msec")
    } else if secs >= 1e-6 {
        (secs * 1e6, "usec")
    } else {
        (secs * 1e9, "nsec")
    };
    format!("{} {unit}", sig3(value))
}

/// Three significant digits like C's `%.3g` (no exponent for the ranges `fmt_time` produces).
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = x.abs().log10().floor() as i32;
    let decimals = (2 - digits).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// What a benchmark's work is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Unit {
    /// Generic items (elements, pixels, keys).
    Items,
    /// Bytes (reported with decimal prefixes: 1 GB/s = 1e9 B/s).
    Bytes,
    /// Grid cell updates (stencils, fractals).
    CellUpdates,
    /// Loop iterations.
    Iterations,
}

impl Unit {
    /// The unit's name in reports.
    pub const fn name(self) -> &'static str {
        match self {
            Unit::Items => "items",
            Unit::Bytes => "B",
            Unit::CellUpdates => "cell-updates",
            Unit::Iterations => "iterations",
        }
    }
}

/// A rate of work: so many [`Unit`]s per second.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Throughput {
    per_second: f64,
    unit: Unit,
}

impl Throughput {
    /// A rate of `per_second` units per second.
    pub fn new(per_second: f64, unit: Unit) -> Self {
        Throughput { per_second, unit }
    }
    /// Units per second.
    pub fn per_second(&self) -> f64 {
        self.per_second
    }
    /// The unit.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// This rate as a fraction of a ceiling in the same unit per second, e.g. bytes/s over a
    /// memory bandwidth of 20e9 B/s: `0.5` means half the bandwidth.
    pub fn fraction_of(&self, bandwidth: f64) -> f64 {
        self.per_second / bandwidth
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (v, prefix) = si(self.per_second);
        let sep = if prefix.is_empty() || self.unit == Unit::Bytes { "" } else { " " };
        write!(f, "{v:.2} {prefix}{sep}{}/s", self.unit.name())
    }
}

fn si(x: f64) -> (f64, &'static str) {
    const PREFIXES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];
    for (scale, p) in PREFIXES {
        if x.abs() >= scale {
            return (x / scale, p);
        }
    }
    (x, "")
}

/// How many samples fall beyond the Tukey fences, per side and severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Outliers {
    /// Below `q1 - 3 IQR`.
    pub low_severe: usize,
    /// Between `q1 - 3 IQR` and `q1 - 1.5 IQR`.
    pub low_mild: usize,
    /// Between `q3 + 1.5 IQR` and `q3 + 3 IQR`.
    pub high_mild: usize,
    /// Above `q3 + 3 IQR`.
    pub high_severe: usize,
}

impl Outliers {
    /// All outliers together.
    pub fn total(&self) -> usize {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

pub(crate) fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

pub(crate) fn median_of_sorted(s: &[f64]) -> f64 {
    let n = s.len();
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}

/// Linear interpolation between order statistics (the usual "type 7" quantile).
fn quantile(s: &[f64], q: f64) -> f64 {
    let pos = q * (s.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
}

/// Order-statistic interval for the median of sorted `s` with coverage >= `level`.
pub(crate) fn median_ci(s: &[f64], level: f64) -> Option<(f64, f64)> {
    let n = s.len();
    if n == 0 || !(level > 0.0 && level < 1.0) {
        return None;
    }
    let alpha_half = (1.0 - level) / 2.0;
    // P(B <= i) for B ~ Binomial(n, 1/2), by log-space pmf recurrence (no underflow).
    let mut log_pmf = n as f64 * 0.5f64.ln();
    let mut cdf = 0.0;
    // k = number of order statistics cut from each end: the largest k with P(B <= k-1) <= alpha/2.
    let mut k = 0;
    for i in 0..n / 2 {
        cdf += log_pmf.exp();
        if cdf > alpha_half {
            break;
        }
        k = i + 1;
        log_pmf += ((n - i) as f64).ln() - ((i + 1) as f64).ln();
    }
    (k >= 1).then(|| (s[k - 1], s[n - k]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_summary() {
        let s = Stats::from_samples(vec![4.0, 1.0, 3.0, 2.0, 10.0], 7).unwrap();
        assert_eq!((s.min(), s.median(), s.mean(), s.max()), (1.0, 3.0, 4.0, 10.0));
        // deviations from 4: 0, 9, 1, 4, 36 -> 50 / 4
        assert_eq!(s.stddev(), 12.5f64.sqrt());
        // |x - 3|: 1, 2, 0, 1, 7 -> sorted 0 1 1 2 7 -> 1
        assert_eq!(s.mad(), 1.0);
        assert_eq!(s.samples(), &[4.0, 1.0, 3.0, 2.0, 10.0]);
        assert_eq!((s.loops(), s.repeats()), (7, 5));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(Stats::from_samples(vec![], 1).unwrap_err().kind(), ErrorKind::Empty);
        assert_eq!(Stats::from_samples(vec![1.0], 0).unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(Stats::from_samples(vec![f64::NAN], 1).unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(Stats::from_samples(vec![-1.0], 1).unwrap_err().kind(), ErrorKind::InvalidParameter);
    }

    #[test]
    fn one_sample() {
        let s = Stats::from_samples(vec![0.5], 1).unwrap();
        assert_eq!((s.stddev(), s.mad(), s.median()), (0.0, 0.0, 0.5));
        assert_eq!(s.to_string(), "1 loop, best of 1: 500 msec per loop");
        assert_eq!(s.median_ci(0.95), None);
    }

    #[test]
    fn timeit_formatting() {
        assert_eq!(fmt_time(13.1), "13.1 sec");
        assert_eq!(fmt_time(0.0131), "13.1 msec");
        assert_eq!(fmt_time(1.0e-7), "100 nsec");
        assert_eq!(fmt_time(0.0), "0 sec");
        let s = Stats::from_samples(vec![13.1, 13.5, 13.2, 14.0, 13.3], 5).unwrap();
        assert_eq!(s.to_string(), "5 loops, best of 5: 13.1 sec per loop");
        assert_eq!(
            format!("{s:#}"),
            "5 loops, best of 5: 13.1 sec per loop (median 13.3 sec, mean 13.4 sec ± 356 msec, MAD 200 msec, max 14 sec)"
        );
    }

    #[test]
    fn throughput_units() {
        let s = Stats::from_samples(vec![2.0], 1).unwrap();
        let t = s.throughput(4.0e9, Unit::Bytes).unwrap();
        assert_eq!(t.per_second(), 2.0e9);
        assert_eq!(t.to_string(), "2.00 GB/s");
        assert_eq!(t.fraction_of(8.0e9), 0.25);
        assert_eq!(s.throughput(10.0, Unit::Iterations).unwrap().to_string(), "5.00 iterations/s");
        assert_eq!(Stats::from_samples(vec![0.0], 1).unwrap().throughput(1.0, Unit::Items), None);
    }

    #[test]
    fn tukey_outliers() {
        // 1..=20 and 100: q1 = 6, q3 = 16, IQR 10; 100 > 16 + 30 is a severe high outlier.
        let mut xs: Vec<f64> = (1..=20).map(f64::from).collect();
        xs.push(100.0);
        let o = Stats::from_samples(xs, 1).unwrap().outliers();
        assert_eq!(o, Outliers { high_severe: 1, ..Outliers::default() });
        assert_eq!(o.total(), 1);
        let flat = Stats::from_samples(vec![1.0, 2.0, 3.0, 4.0], 1).unwrap();
        assert_eq!(flat.outliers().total(), 0);
    }

    #[test]
    fn median_interval_order_statistics() {
        let xs: Vec<f64> = (1..=6).map(f64::from).collect();
        // n = 6: P(B <= 0) = 1/64 <= 0.025 < P(B <= 1) = 7/64: the interval is [x1, x6].
        assert_eq!(median_ci(&xs, 0.95), Some((1.0, 6.0)));
        assert_eq!(median_ci(&xs[..5], 0.95), None);
        let xs: Vec<f64> = (1..=21).map(f64::from).collect();
        // n = 21: P(B <= 5) = 0.0133, P(B <= 6) = 0.0392: k = 6 -> [x6, x16].
        assert_eq!(median_ci(&xs, 0.95), Some((6.0, 16.0)));
        let many: Vec<f64> = (0..5000).map(f64::from).collect();
        let (lo, hi) = median_ci(&many, 0.95).unwrap();
        assert!(lo < 2500.0 && hi > 2499.0 && hi - lo < 200.0);
        assert_eq!(median_ci(&xs, 1.5), None);
    }
}
