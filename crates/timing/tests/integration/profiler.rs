//! The scope profiler with a manual clock: exact calls and times, tree invariants, recursion,
//! panics, and exports.
#![cfg(feature = "enabled")]

use std::time::Duration;
use timing::{Manual, Profiler, Report, profile_scope};

fn secs(s: u64) -> u64 {
    Duration::from_secs(s).as_nanos() as u64
}

/// Runs `f` with the profiler on a fresh manual clock and returns the report.
fn profiled(f: impl FnOnce(&Manual)) -> Report {
    let _lock = crate::profiler_lock();
    let clock = Manual::new();
    Profiler::start_with(clock.clone());
    f(&clock);
    Profiler::stop();
    let report = Profiler::report();
    Profiler::clear();
    report
}

#[test]
fn exact_tree() {
    let r = profiled(|c| {
        profile_scope!("root");
        c.advance(Duration::from_secs(1));
        {
            profile_scope!("a");
            c.advance(Duration::from_secs(2));
        }
        {
            profile_scope!("b");
            c.advance(Duration::from_secs(3));
            profile_scope!("a");
            c.advance(Duration::from_secs(4));
        }
        c.advance(Duration::from_secs(5));
    });
    let names: Vec<&str> = r.rows().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["root", "b", "a"], "sorted by cumulative time");
    let root = r.row("root").unwrap();
    assert_eq!((root.ncalls, root.cum_ns, root.self_ns), (1, secs(15), secs(6)));
    let a = r.row("a").unwrap();
    assert_eq!((a.ncalls, a.cum_ns, a.self_ns), (2, secs(6), secs(6)));
    let b = r.row("b").unwrap();
    assert_eq!((b.ncalls, b.cum_ns, b.self_ns), (1, secs(7), secs(3)));
    // cum(parent) >= sum of cum(children), and self = cum - children.
    let children: u64 = r.callees("root").iter().map(|e| e.cum_ns).sum();
    assert_eq!(children, secs(9));
    assert_eq!(root.self_ns, root.cum_ns - children);
    let callers: Vec<(Option<&str>, u64)> = r.callers("a").iter().map(|e| (e.caller.as_deref(), e.cum_ns)).collect();
    assert_eq!(callers, [(Some("b"), secs(4)), (Some("root"), secs(2))]);
    assert_eq!(r.callers("root")[0].caller, None);
}

fn fact(c: &Manual, n: u64) -> u64 {
    profile_scope!("fact");
    c.advance(Duration::from_secs(1));
    if n > 1 { n * fact(c, n - 1) } else { 1 }
}

#[test]
fn recursion_counts_once_in_cumulative() {
    let r = profiled(|c| assert_eq!(fact(c, 4), 24));
    let f = r.row("fact").unwrap();
    assert_eq!((f.ncalls, f.primitive_calls), (4, 1));
    assert_eq!(f.cum_ns, secs(4), "not 4 + 3 + 2 + 1");
    assert_eq!(f.self_ns, secs(4));
    assert!(r.to_string().contains("4/1"), "{r}");
}

#[test]
fn consistent_after_a_panic_unwinds() {
    let r = profiled(|c| {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            profile_scope!("outer");
            c.advance(Duration::from_secs(1));
            profile_scope!("inner");
            c.advance(Duration::from_secs(2));
            panic!("unwinds both scopes");
        }));
        assert!(result.is_err());
        profile_scope!("after");
        c.advance(Duration::from_secs(10));
    });
    let outer = r.row("outer").unwrap();
    assert_eq!((outer.ncalls, outer.cum_ns, outer.self_ns), (1, secs(3), secs(1)));
    assert_eq!(r.row("inner").unwrap().cum_ns, secs(2));
    // "after" opened on an empty stack: a top-level scope, not a child of the unwound ones.
    assert_eq!(r.callers("after")[0].caller, None);
    assert_eq!(r.row("after").unwrap().cum_ns, secs(10));
}

#[test]
fn inactive_profiler_records_nothing() {
    let _lock = crate::profiler_lock();
    Profiler::start();
    Profiler::stop();
    assert!(!Profiler::is_active());
    {
        profile_scope!("ignored");
        timing::count!("ignored");
    }
    assert!(Profiler::report().is_empty());
}

#[test]
fn counters_and_threads_merge() {
    let r = profiled(|_| {
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    profile_scope!("worker");
                    timing::count!("events");
                    timing::count!("bytes", 1000);
                });
            }
        });
    });
    assert_eq!(r.row("worker").unwrap().ncalls, 3);
    assert_eq!((r.counter("events"), r.counter("bytes"), r.counter("none")), (Some(3), Some(3000), None));
}

#[test]
fn csv_export() {
    let r = profiled(|c| {
        profile_scope!("a,b");
        c.advance(Duration::from_millis(1500));
        timing::count!("n", 2);
    });
    assert_eq!(r.to_csv(), "name,ncalls,primitive_calls,self_s,cum_s\n\"a,b\",1,1,1.5,1.5\ncounter:n,2,,,\n");
}

#[cfg(feature = "serde")]
#[test]
fn json_export() {
    let r = profiled(|c| {
        profile_scope!("j");
        c.advance(Duration::from_secs(2));
    });
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["rows"][0]["name"], "j");
    assert_eq!(v["rows"][0]["cum_ns"], 2_000_000_000u64);
    assert_eq!(v["edges"][0]["caller"], serde_json::Value::Null);
}
