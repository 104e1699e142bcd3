//! Clocks: where a measurement reads the time.
//!
//! [`Monotonic`] (wall clock, the default), [`ProcessCpu`] and [`ThreadCpu`] (CPU time from
//! `clock_gettime`), and [`Manual`], a clock that only moves when told to, so that tests of
//! everything built on a clock are exact and never sleep.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A source of time: `now()` is the time elapsed since some fixed origin of this clock.
///
/// Only differences of two readings of the same clock mean anything.
pub trait Clock {
    /// The current reading.
    fn now(&self) -> Duration;

    /// A short name for reports (`"monotonic"`, `"process-cpu"`, ...).
    fn name(&self) -> &'static str;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Duration {
        (**self).now()
    }
    fn name(&self) -> &'static str {
        (**self).name()
    }
}

/// Wall-clock time from [`Instant`] (monotonic, never goes back). The default clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Monotonic;

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

impl Clock for Monotonic {
    #[inline]
    fn now(&self) -> Duration {
        epoch().elapsed()
    }
    fn name(&self) -> &'static str {
        "monotonic"
    }
}

fn cpu_clock(id: nix::time::ClockId) -> Duration {
    match nix::time::clock_gettime(id) {
        Ok(t) => Duration::new(t.tv_sec().max(0) as u64, t.tv_nsec().clamp(0, 999_999_999) as u32),
        // Every Linux has these clocks; elsewhere a CPU clock that cannot be read stands still,
        // which shows as zero time rather than as a wrong number.
        Err(_) => Duration::ZERO,
    }
}

/// CPU time (user + system) of the whole process, all threads (`CLOCK_PROCESS_CPUTIME_ID`).
///
/// Time spent sleeping or waiting for I/O does not count: a body that sleeps measures ~0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcessCpu;

impl Clock for ProcessCpu {
    fn now(&self) -> Duration {
        cpu_clock(nix::time::ClockId::CLOCK_PROCESS_CPUTIME_ID)
    }
    fn name(&self) -> &'static str {
        "process-cpu"
    }
}

/// CPU time of the calling thread only (`CLOCK_THREAD_CPUTIME_ID`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadCpu;

impl Clock for ThreadCpu {
    fn now(&self) -> Duration {
        cpu_clock(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
    }
    fn name(&self) -> &'static str {
        "thread-cpu"
    }
}

/// A clock that moves only when advanced by hand: for exact, sleep-free tests.
///
/// Clones share the same time, so a benchmarked closure can advance the clock that the runner
/// reads. With [`Manual::with_tick`] every reading also advances it by a fixed step.
///
/// ```
/// use std::time::Duration;
/// use timing::{Clock, Manual};
///
/// let clock = Manual::new();
/// let body_clock = clock.clone();
/// body_clock.advance(Duration::from_millis(3));
/// assert_eq!(clock.now(), Duration::from_millis(3));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Manual {
    nanos: Arc<AtomicU64>,
    tick: u64,
}

impl Manual {
    /// A manual clock at zero that moves only with [`Manual::advance`] and [`Manual::set`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A manual clock at zero that also advances by `tick` after every reading.
    pub fn with_tick(tick: Duration) -> Self {
        Manual { nanos: Arc::default(), tick: duration_nanos(tick) }
    }

    /// Moves the clock (and all its clones) forward by `d`.
    pub fn advance(&self, d: Duration) {
        self.nanos.fetch_add(duration_nanos(d), Ordering::SeqCst);
    }

    /// Sets the clock (and all its clones) to `t`.
    pub fn set(&self, t: Duration) {
        self.nanos.store(duration_nanos(t), Ordering::SeqCst);
    }
}

fn duration_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Clock for Manual {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.fetch_add(self.tick, Ordering::SeqCst))
    }
    fn name(&self) -> &'static str {
        "manual"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_moves_only_by_hand() {
        let c = Manual::new();
        assert_eq!(c.now(), Duration::ZERO);
        assert_eq!(c.now(), Duration::ZERO);
        c.clone().advance(Duration::from_nanos(7));
        assert_eq!(c.now(), Duration::from_nanos(7));
        c.set(Duration::from_secs(2));
        assert_eq!(c.now(), Duration::from_secs(2));
        assert_eq!(c.name(), "manual");
    }

    #[test]
    fn manual_tick_advances_per_reading() {
        let c = Manual::with_tick(Duration::from_micros(1));
        assert_eq!(c.now(), Duration::ZERO);
        assert_eq!(c.now(), Duration::from_micros(1));
        let by_ref: &dyn Clock = &&c;
        assert_eq!(by_ref.now(), Duration::from_micros(2));
    }

    #[test]
    fn real_clocks_do_not_go_back() {
        for clock in [&Monotonic as &dyn Clock, &ProcessCpu, &ThreadCpu] {
            let a = clock.now();
            let mut x = 0u64;
            for i in 0..10_000u64 {
                x = std::hint::black_box(x.wrapping_add(i));
            }
            assert!(clock.now() >= a, "{}", clock.name());
        }
    }
}
