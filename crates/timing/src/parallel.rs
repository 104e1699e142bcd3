//! `Bench::threads`: the same benchmark in rayon pools of several sizes, with speed-up and an
//! Amdahl serial fraction (feature `parallel`).

use std::fmt;

use crate::bench::{Bench, NoSetup, WithSetup};
use crate::clock::Clock;
use crate::stats::Stats;
use crate::{Error, ErrorKind};

/// One pool size's result in a [`Scaling`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScalingRow {
    /// Threads in the pool.
    pub threads: usize,
    /// The benchmark's statistics in that pool.
    pub stats: Stats,
    /// Best time of the baseline row (the first) over this row's best time.
    pub speedup: f64,
    /// Karp-Flatt serial fraction from this row alone (`None` for the baseline's own size).
    pub serial_fraction: Option<f64>,
}

/// Speed-up of a benchmark over pool sizes, from [`Bench::threads`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Scaling {
    /// One row per pool size, in the order asked; the first is the baseline.
    pub rows: Vec<ScalingRow>,
    /// Least-squares Amdahl serial fraction over all rows (`None` with one pool size).
    pub serial_fraction: Option<f64>,
}

impl fmt::Display for Scaling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:>7} {:>12} {:>8} {:>8}", "threads", "best", "speed-up", "serial")?;
        for r in &self.rows {
            let serial = r.serial_fraction.map_or_else(|| "-".to_string(), |s| format!("{s:.3}"));
            writeln!(
                f,
                "{:>7} {:>12} {:>7.2}x {serial:>8}",
                r.threads,
                crate::stats::fmt_time(r.stats.min()),
                r.speedup
            )?;
        }
        match self.serial_fraction {
            Some(s) => write!(f, "Amdahl serial fraction (fit): {s:.3}"),
            None => write!(f, "Amdahl serial fraction: needs two pool sizes"),
        }
    }
}

/// Amdahl's law `1/S = s + (1 - s)/p` with `p` the thread ratio to the baseline: the
/// least-squares `s` over the points with `p > 1`; the Karp-Flatt metric for one point.
pub(crate) fn amdahl_fit(points: &[(f64, f64)]) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for &(p, speedup) in points {
        if p > 1.0 && speedup > 0.0 {
            let x = 1.0 - 1.0 / p;
            num += (1.0 / speedup - 1.0 / p) * x;
            den += x * x;
        }
    }
    (den > 0.0).then(|| num / den)
}

pub(crate) fn scaling(counts: &[usize], mut run: impl FnMut(usize) -> Result<Stats, Error>) -> Result<Scaling, Error> {
    if counts.is_empty() || counts.contains(&0) {
        return Err(Error::new(ErrorKind::InvalidParameter, "thread counts must be non-empty and at least 1"));
    }
    let mut measured = Vec::with_capacity(counts.len());
    for &n in counts {
        measured.push((n, run(n)?));
    }
    let (base_threads, base_min) = (measured[0].0 as f64, measured[0].1.min());
    let mut points = Vec::new();
    let rows = measured
        .into_iter()
        .map(|(threads, stats)| {
            let speedup = if stats.min() > 0.0 { base_min / stats.min() } else { f64::NAN };
            let p = threads as f64 / base_threads;
            points.push((p, speedup));
            ScalingRow { threads, stats, speedup, serial_fraction: amdahl_fit(&[(p, speedup)]) }
        })
        .collect();
    Ok(Scaling { rows, serial_fraction: amdahl_fit(&points) })
}

fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot build a pool of {threads} threads: {e}")))
}

impl<F, O, C> Bench<F, NoSetup, C>
where
    F: FnMut() -> O + Send,
    C: Clock + Send,
{
    /// Runs the benchmark once per pool size, inside a rayon pool of that many threads (the
    /// body's `par_iter`s use it), and reports speed-up against the first size.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for an empty list or a 0; as [`Bench::run`] otherwise.
    pub fn threads(&mut self, counts: &[usize]) -> Result<Scaling, Error> {
        scaling(counts, |n| pool(n)?.install(|| self.run()))
    }
}

impl<F, G, I, O, C> Bench<F, WithSetup<G>, C>
where
    F: FnMut(I) -> O + Send,
    G: FnMut() -> I + Send,
    C: Clock + Send,
{
    /// As [`Bench::threads`] without setup.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for an empty list or a 0; as [`Bench::run`] otherwise.
    pub fn threads(&mut self, counts: &[usize]) -> Result<Scaling, Error> {
        scaling(counts, |n| pool(n)?.install(|| self.run()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Manual, bench};
    use std::time::Duration;

    #[test]
    fn amdahl_exact() {
        // s = 0.1: S(2) = 1/(0.1 + 0.45) = 1.818..., S(4) = 1/(0.1 + 0.225) = 3.0769...
        let s2 = 1.0 / 0.55;
        let s4 = 1.0 / 0.325;
        let fit = amdahl_fit(&[(1.0, 1.0), (2.0, s2), (4.0, s4)]).unwrap();
        assert!((fit - 0.1).abs() < 1e-12);
        assert!((amdahl_fit(&[(2.0, s2)]).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(amdahl_fit(&[(1.0, 1.0)]), None);
        // Perfect scaling has no serial part.
        assert!(amdahl_fit(&[(2.0, 2.0), (4.0, 4.0)]).unwrap().abs() < 1e-12);
    }

    #[test]
    fn pools_of_each_size_with_a_manual_clock() {
        let clock = Manual::new();
        let body_clock = clock.clone();
        // Work of 12 ms split over the current pool's threads: perfect scaling.
        let s = bench(move || {
            let n = rayon::current_num_threads() as u64;
            body_clock.advance(Duration::from_millis(12) / n as u32);
            n
        })
        .clock(clock)
        .loops(2)
        .repeats(2)
        .threads(&[1, 2, 4])
        .unwrap();
        let threads: Vec<usize> = s.rows.iter().map(|r| r.threads).collect();
        assert_eq!(threads, [1, 2, 4]);
        let speedups: Vec<f64> = s.rows.iter().map(|r| r.speedup).collect();
        assert_eq!(speedups, [1.0, 2.0, 4.0]);
        assert!(s.serial_fraction.unwrap().abs() < 1e-12);
        assert!(s.to_string().contains("4.00x"));
    }

    #[test]
    fn bad_counts() {
        assert_eq!(bench(|| 1).loops(1).threads(&[]).unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(bench(|| 1).loops(1).threads(&[1, 0]).unwrap_err().kind(), ErrorKind::InvalidParameter);
    }
}
