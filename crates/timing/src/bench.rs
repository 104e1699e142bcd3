//! The bench runner: `timeit` with a separate setup, warm-up, auto-calibrated loops and repeats.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::clock::{Clock, Monotonic};
use crate::stats::Stats;
use crate::{Error, ErrorKind};

/// Default number of repeats (samples), as `timeit`.
pub const DEFAULT_REPEATS: usize = 5;
/// Default number of warm-up calls, run before calibration and discarded.
pub const DEFAULT_WARMUP: u64 = 1;
/// Default time one repeat must reach when the loop count is calibrated (as `timeit`).
pub const DEFAULT_TARGET: Duration = Duration::from_millis(200);

/// Marker: the benchmarked closure takes no input (no [`Bench::setup`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSetup;

/// Marker: the benchmarked closure takes the value of an untimed setup closure.
#[derive(Clone, Copy, Debug)]
pub struct WithSetup<S>(S);

/// A benchmark under construction: see [`bench()`].
#[derive(Clone, Debug)]
pub struct Bench<F, S = NoSetup, C = Monotonic> {
    pub(crate) body: F,
    pub(crate) setup: S,
    pub(crate) loops: Option<u64>,
    pub(crate) repeats: usize,
    pub(crate) warmup: u64,
    pub(crate) target: Duration,
    pub(crate) clock: C,
}

/// Starts a benchmark of `body`, the `timeit` way.
///
/// Defaults: loops auto-calibrated (1, 2, 5, 10, 20, 50, ... calls until one repeat takes at
/// least 0.2 s), 5 repeats, 1 warm-up call, the [`Monotonic`] clock. The headline of the
/// returned [`Stats`] is the best repeat. Inputs and outputs pass through
/// [`black_box`](std::hint::black_box), so the optimiser cannot delete the work.
///
/// ```
/// use timing::bench;
///
/// let data: Vec<u64> = (0..1000).collect();
/// let stats = bench(|| data.iter().sum::<u64>()).loops(100).repeats(3).run().unwrap();
/// assert_eq!((stats.loops(), stats.repeats()), (100, 3));
/// assert!(stats.min() <= stats.median() && stats.median() <= stats.max());
/// println!("{stats}"); // e.g. "100 loops, best of 3: 95.2 nsec per loop"
/// ```
///
/// With a setup (not timed), the body takes the setup's value; annotate the argument's type:
///
/// ```
/// let stats = timing::bench(|mut v: Vec<u32>| {
///     v.sort_unstable();
///     v
/// })
/// .setup(|| (0..1000u32).rev().collect())
/// .loops(10)
/// .run()
/// .unwrap();
/// assert_eq!(stats.repeats(), 5);
/// ```
pub fn bench<F>(body: F) -> Bench<F> {
    Bench {
        body,
        setup: NoSetup,
        loops: None,
        repeats: DEFAULT_REPEATS,
        warmup: DEFAULT_WARMUP,
        target: DEFAULT_TARGET,
        clock: Monotonic,
    }
}

impl<F, S, C> Bench<F, S, C> {
    /// Calls per repeat, instead of calibrating (0 is refused by `run`).
    pub fn loops(mut self, n: u64) -> Self {
        self.loops = Some(n);
        self
    }

    /// Repeats, i.e. samples (default 5; 0 is refused by `run`).
    pub fn repeats(mut self, r: usize) -> Self {
        self.repeats = r;
        self
    }

    /// Warm-up calls, run first and discarded (default 1; 0 allowed).
    pub fn warmup(mut self, k: u64) -> Self {
        self.warmup = k;
        self
    }

    /// How long one repeat must take when the loop count is calibrated (default 0.2 s).
    pub fn target(mut self, d: Duration) -> Self {
        self.target = d;
        self
    }

    /// Reads time from `clock` instead of [`Monotonic`].
    pub fn clock<C2: Clock>(self, clock: C2) -> Bench<F, S, C2> {
        Bench {
            body: self.body,
            setup: self.setup,
            loops: self.loops,
            repeats: self.repeats,
            warmup: self.warmup,
            target: self.target,
            clock,
        }
    }

    /// Runs `setup` before every call, untimed; the body takes its value.
    ///
    /// A repeat first makes all its `loops` inputs, then times the calls, then drops the
    /// outputs: setup and drop of the outputs are never timed (memory: `loops` inputs at once).
    pub fn setup<G>(self, setup: G) -> Bench<F, WithSetup<G>, C> {
        Bench {
            body: self.body,
            setup: WithSetup(setup),
            loops: self.loops,
            repeats: self.repeats,
            warmup: self.warmup,
            target: self.target,
            clock: self.clock,
        }
    }
}

impl<F, O, C> Bench<F, NoSetup, C>
where
    F: FnMut() -> O,
    C: Clock,
{
    /// Runs the benchmark: warm-up, calibration (unless `loops` was set), then the repeats.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for `loops(0)` or `repeats(0)`.
    ///
    /// # Panics
    ///
    /// A panic of the body propagates to the caller.
    pub fn run(&mut self) -> Result<Stats, Error> {
        let Bench { body, loops, repeats, warmup, target, clock, .. } = self;
        drive(*loops, *repeats, *warmup, *target, |n| {
            let start = clock.now();
            for _ in 0..n {
                black_box(body());
            }
            clock.now().saturating_sub(start)
        })
    }
}

impl<F, G, I, O, C> Bench<F, WithSetup<G>, C>
where
    F: FnMut(I) -> O,
    G: FnMut() -> I,
    C: Clock,
{
    /// Runs the benchmark: warm-up, calibration (unless `loops` was set), then the repeats.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for `loops(0)` or `repeats(0)`.
    ///
    /// # Panics
    ///
    /// A panic of the body or the setup propagates to the caller.
    pub fn run(&mut self) -> Result<Stats, Error> {
        let Bench { body, setup: WithSetup(setup), loops, repeats, warmup, target, clock } = self;
        drive(*loops, *repeats, *warmup, *target, |n| {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let mut inputs: Vec<I> = (0..n).map(|_| setup()).collect();
            let mut outputs: Vec<O> = Vec::with_capacity(n);
            let start = clock.now();
            for input in inputs.drain(..) {
                outputs.push(black_box(body(black_box(input))));
            }
            let elapsed = clock.now().saturating_sub(start);
            drop(outputs);
            elapsed
        })
    }
}

/// The largest loop count calibration tries.
const MAX_LOOPS: u64 = 10_000_000_000;

/// Calibration stops when a repeat reaches `target` on the bench clock, or `WALL_GUARD` times
/// `target` on the wall clock (a CPU clock and a sleeping body, or a manual clock nobody moves).
const WALL_GUARD: u32 = 10;

/// The loop counts `timeit` tries: 1, 2, 5, 10, 20, 50, ...
pub(crate) fn next_loops(n: u64) -> u64 {
    let mut decade = 1;
    while decade * 10 <= n {
        decade *= 10;
    }
    match n / decade {
        1 => 2 * decade,
        2..=4 => 5 * decade,
        _ => 10 * decade,
    }
}

/// Validates, warms up, calibrates and repeats; `batch(n)` times `n` calls.
pub(crate) fn drive(
    loops: Option<u64>,
    repeats: usize,
    warmup: u64,
    target: Duration,
    mut batch: impl FnMut(u64) -> Duration,
) -> Result<Stats, Error> {
    if loops == Some(0) {
        return Err(Error::new(ErrorKind::InvalidParameter, "loops must be at least 1"));
    }
    if repeats == 0 {
        return Err(Error::new(ErrorKind::InvalidParameter, "repeats must be at least 1"));
    }
    if warmup > 0 {
        batch(warmup);
    }
    let loops = match loops {
        Some(n) => n,
        None => calibrate(target, &mut batch),
    };
    let samples = (0..repeats).map(|_| batch(loops).as_secs_f64() / loops as f64).collect();
    Stats::from_samples(samples, loops)
}

/// `timeit`'s autorange: the first of 1, 2, 5, 10, ... calls whose batch takes `target`.
pub(crate) fn calibrate(target: Duration, batch: &mut impl FnMut(u64) -> Duration) -> u64 {
    let mut n = 1;
    loop {
        let wall = Instant::now();
        let t = batch(n);
        if t >= target || wall.elapsed() >= target * WALL_GUARD || n >= MAX_LOOPS {
            return n;
        }
        n = next_loops(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manual;
    use std::cell::Cell;

    #[test]
    fn loop_sequence_is_timeits() {
        let mut n = 1;
        let mut seq = vec![n];
        for _ in 0..7 {
            n = next_loops(n);
            seq.push(n);
        }
        assert_eq!(seq, [1, 2, 5, 10, 20, 50, 100, 200]);
    }

    #[test]
    fn manual_clock_exact() {
        let clock = Manual::new();
        let body_clock = clock.clone();
        let calls = Cell::new(0u64);
        // Call i (counting from 0) takes i ms.
        let stats = bench(|| {
            body_clock.advance(Duration::from_millis(calls.get()));
            calls.set(calls.get() + 1);
        })
        .clock(clock)
        .warmup(2)
        .loops(2)
        .repeats(3)
        .run()
        .unwrap();
        // warm-up: calls 0, 1; repeats: (2+3)/2, (4+5)/2, (6+7)/2 ms per call.
        assert_eq!(calls.get(), 2 + 2 * 3);
        assert_eq!(stats.samples(), &[0.0025, 0.0045, 0.0065]);
        assert_eq!((stats.min(), stats.median(), stats.max()), (0.0025, 0.0045, 0.0065));
    }

    #[test]
    fn calibration_reaches_target() {
        let clock = Manual::new();
        let body_clock = clock.clone();
        let calls = Cell::new(0u64);
        let stats = bench(|| {
            body_clock.advance(Duration::from_millis(1));
            calls.set(calls.get() + 1);
        })
        .clock(clock)
        .run()
        .unwrap();
        // 1 ms per call: 200 calls reach 0.2 s (after 1+2+5+10+20+50+100 = 188 calibration calls).
        assert_eq!(stats.loops(), 200);
        assert_eq!(calls.get(), 1 + 188 + 200 + 5 * 200);
        assert_eq!(stats.to_string(), "200 loops, best of 5: 1 msec per loop");
    }

    #[test]
    fn setup_is_not_timed_and_outputs_pass_through() {
        let clock = Manual::new();
        let (setup_clock, body_clock) = (clock.clone(), clock.clone());
        let setups = Cell::new(0u64);
        let stats = bench(|v: Vec<u64>| {
            body_clock.advance(Duration::from_micros(250));
            v.len()
        })
        .setup(|| {
            setups.set(setups.get() + 1);
            setup_clock.advance(Duration::from_secs(100));
            vec![1, 2, 3]
        })
        .clock(clock)
        .loops(4)
        .repeats(2)
        .warmup(0)
        .run()
        .unwrap();
        assert_eq!(setups.get(), 8);
        assert_eq!(stats.samples(), &[0.00025, 0.00025]);
    }

    #[test]
    fn zero_loops_or_repeats_are_refused() {
        let e = bench(|| 1).loops(0).run().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let e = bench(|| 1).repeats(0).loops(1).run().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
    }

    #[test]
    fn a_still_manual_clock_does_not_calibrate_forever() {
        // Nobody advances the clock: calibration stops on the wall-clock guard or MAX_LOOPS.
        let stats = bench(|| ()).clock(Manual::new()).target(Duration::from_millis(1)).repeats(1).run().unwrap();
        assert_eq!(stats.min(), 0.0);
    }
}
