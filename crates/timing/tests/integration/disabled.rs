//! Feature `enabled` off: every macro compiles to the bare expression or to nothing.
//!
//! The `compiled_away` module only compiles if that holds: a `const` cannot call a clock or
//! print, and a `const fn` cannot open a profiler scope or bump a counter.

#[cfg(not(feature = "enabled"))]
mod compiled_away {
    use timing::{count, profile_scope, timefn};

    const X: u32 = timefn!(1 + 2);
    const Y: u32 = timefn!("labelled", 40 + 2);

    const fn instrumented(n: u32) -> u32 {
        profile_scope!("const fn");
        count!("calls");
        count!("amount", n);
        n * 7
    }
    const Z: u32 = instrumented(6);

    #[test]
    fn values_pass_through() {
        assert_eq!((X, Y, Z), (3, 42, 42));
    }

    #[test]
    fn nothing_is_recorded_even_when_the_profiler_runs() {
        let _lock = crate::profiler_lock();
        timing::Profiler::start();
        assert_eq!(instrumented(1), 7);
        {
            profile_scope!("scope");
            count!("event");
        }
        timing::Profiler::stop();
        assert!(timing::Profiler::report().is_empty());
    }
}

#[cfg(feature = "enabled")]
mod measuring {
    use timing::{count, profile_scope, timefn};

    #[test]
    fn the_same_macros_record_when_enabled() {
        let _lock = crate::profiler_lock();
        timing::Profiler::start();
        let v = timefn!(vec![1, 2, 3]);
        {
            profile_scope!("scope");
            count!("event");
        }
        timing::Profiler::stop();
        let r = timing::Profiler::report();
        timing::Profiler::clear();
        assert_eq!(v, [1, 2, 3]);
        assert_eq!(r.row("scope").map(|r| r.ncalls), Some(1));
        assert_eq!(r.counter("event"), Some(1));
    }
}
