//! Criterion benches for `timing`: what our instruments cost next to a bare `Instant` pair, and
//! a paired A/B comparison of two identical closures (its median ratio should be within
//! [0.9, 1.1]; printed, not asserted: the machine decides).
//!
//! Each bench asserts its instrument's result first, so `cargo test --benches` checks them.
use criterion::{Criterion, criterion_group, criterion_main};
use ferdelance::timing::{self, Clock, Manual, Monotonic, Profiler, ScopeTimer, ThreadCpu};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Whether criterion measures (`cargo bench`) rather than runs each bench once (`cargo test`).
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn overhead(c: &mut Criterion) {
    // The instruments are correct before they are timed.
    let t = ScopeTimer::new("check");
    assert!(t.finish() < Duration::from_secs(60));
    let manual = Manual::new();
    let t = ScopeTimer::with_clock("check", manual.clone());
    manual.advance(Duration::from_micros(5));
    assert_eq!(t.finish(), Duration::from_micros(5));

    let mut g = c.benchmark_group("timing/overhead");
    g.bench_function("instant_pair", |b| {
        b.iter(|| {
            let t = Instant::now();
            black_box(t.elapsed())
        })
    });
    g.bench_function("scope_timer", |b| b.iter(|| black_box(ScopeTimer::new("bench")).finish()));
    g.bench_function("monotonic_pair", |b| {
        b.iter(|| {
            let t = Monotonic.now();
            black_box(Monotonic.now() - t)
        })
    });
    g.bench_function("thread_cpu_pair", |b| {
        b.iter(|| {
            let t = ThreadCpu.now();
            black_box(ThreadCpu.now().saturating_sub(t))
        })
    });
    g.finish();
}

fn profiler(c: &mut Criterion) {
    // Active scopes record exactly; inactive ones record nothing.
    Profiler::start();
    for _ in 0..3 {
        timing::profile_scope!("check");
    }
    Profiler::stop();
    assert_eq!(Profiler::report().row("check").map(|r| r.ncalls), Some(3));
    Profiler::clear();
    {
        timing::profile_scope!("inactive check");
    }
    assert!(Profiler::report().is_empty());

    let mut g = c.benchmark_group("timing/profile_scope");
    g.bench_function("inactive", |b| {
        b.iter(|| {
            timing::profile_scope!("bench inactive");
            black_box(1u64)
        })
    });
    Profiler::start();
    g.bench_function("active", |b| {
        b.iter(|| {
            timing::profile_scope!("bench active");
            black_box(1u64)
        })
    });
    g.bench_function("active_nested", |b| {
        b.iter(|| {
            timing::profile_scope!("outer");
            timing::profile_scope!("inner");
            black_box(1u64)
        })
    });
    g.bench_function("count_active", |b| b.iter(|| timing::count!("bench events")));
    Profiler::stop();
    Profiler::clear();
    g.bench_function("count_inactive", |b| b.iter(|| timing::count!("bench events")));
    g.finish();
}

fn paired(c: &mut Criterion) {
    // The paired comparison is exact on a manual clock.
    let clock = Manual::new();
    let (ca, cb) = (clock.clone(), clock.clone());
    let exact = timing::compare(|| ca.advance(Duration::from_nanos(50)), || cb.advance(Duration::from_nanos(50)))
        .clock(clock)
        .loops(10)
        .run()
        .unwrap();
    assert_eq!(exact.median_ratio(), 1.0);

    // Two identical closures: the ratio should be within [0.9, 1.1]. On the thread's CPU clock,
    // time spent preempted by other tenants is not counted (each read is a syscall, ~1-5 us,
    // negligible next to a 20 ms run).
    let data: Vec<u64> = (0..10_000).collect();
    let sum_a = || data.iter().fold(0u64, |s, &x| s.wrapping_add(black_box(x)));
    let sum_b = || data.iter().fold(0u64, |s, &x| s.wrapping_add(black_box(x)));
    assert_eq!(sum_a(), sum_b());
    let mut cmp = timing::compare(sum_a, sum_b).clock(ThreadCpu);
    if !measuring() {
        cmp = cmp.pairs(9).target(Duration::from_millis(5));
    }
    let result = cmp.run().unwrap();
    let within = (0.9..=1.1).contains(&result.median_ratio());
    println!(
        "timing/paired/identical_closures (thread CPU clock): {result}; median ratio within [0.9, 1.1]: {}",
        if within { "yes" } else { "NO" }
    );

    // And what one pair costs, for the record.
    let mut g = c.benchmark_group("timing/paired");
    g.bench_function("stats_from_21_samples", |b| {
        let samples: Vec<f64> = (0..21).map(|i| 1.0 + f64::from(i) * 1e-3).collect();
        b.iter(|| timing::Stats::from_samples(black_box(samples.clone()), 1).unwrap().median())
    });
    g.finish();
}

criterion_group!(group, overhead, profiler, paired);
criterion_main!(group);
