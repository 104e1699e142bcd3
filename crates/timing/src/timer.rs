//! `timefn!` and [`ScopeTimer`]: print how long something took, return its value unchanged.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::clock::{Clock, Monotonic};

/// Times one evaluation of an expression, prints `@timefn:<label> took <secs> seconds` to
/// stderr (the book's `@timefn` decorator) and returns the value unchanged.
///
/// The label defaults to the expression's text. Costs two clock reads and one line on stderr.
/// With the crate feature `enabled` off, `timefn!(e)` is exactly `e` (usable in a `const`).
///
/// ```
/// fn calculate(n: u64) -> Vec<u64> {
///     (0..n).collect()
/// }
/// let v = timing::timefn!(calculate(1000)); // prints "@timefn:calculate(1000) took 1.2e-6 seconds"
/// assert_eq!(v.len(), 1000);
/// let r: Result<u8, String> = timing::timefn!("parse", "7".parse::<u8>().map_err(|e| e.to_string()));
/// assert_eq!(r, Ok(7));
/// ```
#[cfg(feature = "enabled")]
#[macro_export]
macro_rules! timefn {
    ($label:literal, $e:expr $(,)?) => {{
        let __timefn_start = ::std::time::Instant::now();
        let __timefn_value = $e;
        $crate::__private::timefn_report($label, __timefn_start.elapsed());
        __timefn_value
    }};
    ($e:expr $(,)?) => {{
        let __timefn_start = ::std::time::Instant::now();
        let __timefn_value = $e;
        $crate::__private::timefn_report(::core::stringify!($e), __timefn_start.elapsed());
        __timefn_value
    }};
}

/// Times one evaluation of an expression (the crate feature `enabled` is off: this is the bare
/// expression).
#[cfg(not(feature = "enabled"))]
#[macro_export]
macro_rules! timefn {
    ($label:literal, $e:expr $(,)?) => {
        $e
    };
    ($e:expr $(,)?) => {
        $e
    };
}

/// The line `timefn!` prints: `@timefn:<label> took <secs> seconds`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(timing::timefn_line("calculate_z", Duration::from_millis(1500)), "@timefn:calculate_z took 1.5 seconds");
/// ```
pub fn timefn_line(label: &str, elapsed: Duration) -> String {
    format!("@timefn:{label} took {} seconds", elapsed.as_secs_f64())
}

/// Prints the `timefn!` line (called by the macro).
#[doc(hidden)]
#[inline(never)]
pub fn timefn_report(label: &str, elapsed: Duration) {
    eprintln!("{}", timefn_line(label, elapsed));
}

/// An RAII timer: prints `@scope:<label> took <secs> seconds` to stderr when dropped.
///
/// [`ScopeTimer::finish`] stops it silently and returns the time; [`ScopeTimer::elapsed`] reads
/// it without stopping. A panic that unwinds through the scope still prints the line.
///
/// ```
/// use std::time::Duration;
/// use timing::{Manual, ScopeTimer};
///
/// let clock = Manual::new();
/// let t = ScopeTimer::with_clock("load", clock.clone());
/// clock.advance(Duration::from_millis(250));
/// assert_eq!(t.elapsed(), Duration::from_millis(250));
/// assert_eq!(t.to_string(), "@scope:load took 0.25 seconds");
/// assert_eq!(t.finish(), Duration::from_millis(250)); // silent
/// ```
#[must_use = "a ScopeTimer measures until it is dropped; bind it with `let _t = ...`"]
pub struct ScopeTimer<C: Clock = Monotonic> {
    label: Cow<'static, str>,
    start: Duration,
    clock: C,
    armed: bool,
}

impl ScopeTimer {
    /// Starts a timer on the [`Monotonic`] clock.
    #[inline]
    pub fn new(label: impl Into<Cow<'static, str>>) -> Self {
        ScopeTimer::with_clock(label, Monotonic)
    }
}

impl<C: Clock> ScopeTimer<C> {
    /// Starts a timer on `clock`.
    #[inline]
    pub fn with_clock(label: impl Into<Cow<'static, str>>, clock: C) -> Self {
        let start = clock.now();
        ScopeTimer { label: label.into(), start, clock, armed: true }
    }

    /// Time since the start.
    #[inline]
    pub fn elapsed(&self) -> Duration {
        self.clock.now().saturating_sub(self.start)
    }

    /// The label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Stops the timer without printing and returns the elapsed time.
    #[inline]
    pub fn finish(mut self) -> Duration {
        self.armed = false;
        self.elapsed()
    }
}

impl<C: Clock> fmt::Display for ScopeTimer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@scope:{} took {} seconds", self.label, self.elapsed().as_secs_f64())
    }
}

impl<C: Clock> fmt::Debug for ScopeTimer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeTimer").field("label", &self.label).field("clock", &self.clock.name()).finish()
    }
}

impl<C: Clock> Drop for ScopeTimer<C> {
    fn drop(&mut self) {
        if self.armed {
            eprintln!("{self}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manual;

    #[test]
    fn timefn_returns_values_unchanged() {
        let v: Vec<String> = crate::timefn!(vec!["a".to_string(), "b".to_string()]);
        assert_eq!(v, ["a", "b"]);
        let r: Result<u32, String> = crate::timefn!("fails", Err("no".to_string()));
        assert_eq!(r, Err("no".to_string()));
        let () = crate::timefn!(());
        let mut calls = 0;
        let x = crate::timefn!({
            calls += 1;
            calls * 10
        });
        assert_eq!((x, calls), (10, 1), "evaluated exactly once");
    }

    #[test]
    fn exact_line_format() {
        assert_eq!(timefn_line("f", Duration::from_nanos(12_221_879_005)), "@timefn:f took 12.221879005 seconds");
        assert_eq!(timefn_line("g(1, 2)", Duration::ZERO), "@timefn:g(1, 2) took 0 seconds");
    }

    #[test]
    fn scope_timer_with_manual_clock() {
        let clock = Manual::new();
        let t = ScopeTimer::with_clock(String::from("dyn label"), clock.clone());
        clock.advance(Duration::from_secs(3));
        assert_eq!(t.label(), "dyn label");
        assert_eq!(t.to_string(), "@scope:dyn label took 3 seconds");
        assert_eq!(t.finish(), Duration::from_secs(3));
        let unwound = std::panic::catch_unwind(|| {
            let _t = ScopeTimer::with_clock("panics", Manual::new());
            panic!("boom");
        });
        assert!(unwound.is_err());
    }
}
