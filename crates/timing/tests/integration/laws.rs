//! Laws of the bench runner and the statistics (proptest), on the manual clock.

use std::cell::Cell;
use std::time::Duration;

use proptest::prelude::*;
use timing::{Manual, Stats, bench, compare};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn summary_order(samples in prop::collection::vec(0.0f64..1e3, 1..60), loops in 1u64..1000) {
        let s = Stats::from_samples(samples.clone(), loops).unwrap();
        prop_assert!(s.min() <= s.median() && s.median() <= s.max());
        prop_assert!(s.min() <= s.mean() && s.mean() <= s.max());
        prop_assert!(s.stddev() >= 0.0 && s.mad() >= 0.0);
        prop_assert_eq!(s.samples(), &samples[..]);
        prop_assert_eq!(s.repeats(), samples.len());
        // Best-of-k over any subset of repeats is never above the median of all of them.
        let k = (samples.len() / 2).max(1);
        let best_k = samples[..k].iter().copied().fold(f64::INFINITY, f64::min);
        prop_assert!(s.min() <= best_k);
        if let Some((lo, hi)) = s.median_ci(0.95) {
            prop_assert!(lo <= s.median() && s.median() <= hi);
        }
        // A pure function of the samples: any order gives the same summary.
        let mut rev = samples.clone();
        rev.reverse();
        let r = Stats::from_samples(rev, loops).unwrap();
        prop_assert_eq!((r.min(), r.median(), r.max(), r.mad()), (s.min(), s.median(), s.max(), s.mad()));
    }

    #[test]
    fn exact_call_counts_and_setup_never_timed(
        steps_ns in prop::collection::vec(0u64..1_000_000, 1..8),
        loops in 1u64..20,
        repeats in 1usize..6,
        warmup in 0u64..4,
        setup_ns in 0u64..1_000_000_000,
    ) {
        let clock = Manual::new();
        let (body_clock, setup_clock) = (clock.clone(), clock.clone());
        let calls = Cell::new(0usize);
        let setups = Cell::new(0usize);
        let stats = bench(|x: usize| {
            // Call i takes steps_ns[i % len] nanoseconds.
            let i = calls.get();
            body_clock.advance(Duration::from_nanos(steps_ns[i % steps_ns.len()]));
            calls.set(i + 1);
            x
        })
        .setup(|| {
            setups.set(setups.get() + 1);
            setup_clock.advance(Duration::from_nanos(setup_ns));
            7usize
        })
        .clock(clock)
        .loops(loops)
        .repeats(repeats)
        .warmup(warmup)
        .run()
        .unwrap();
        let total = warmup as usize + loops as usize * repeats;
        prop_assert_eq!(calls.get(), total);
        prop_assert_eq!(setups.get(), total);
        // Every sample is exactly the body's own time for that repeat.
        for (r, &sample) in stats.samples().iter().enumerate() {
            let first = warmup as usize + r * loops as usize;
            let ns: u64 = (first..first + loops as usize).map(|i| steps_ns[i % steps_ns.len()]).sum();
            prop_assert_eq!(sample, Duration::from_nanos(ns).as_secs_f64() / loops as f64);
        }
        prop_assert!(stats.min() <= stats.median() && stats.median() <= stats.max());
    }

    #[test]
    fn paired_ratio_of_scaled_bodies(a_ns in 1u64..10_000, factor in 1u64..5, pairs in 6usize..30) {
        let clock = Manual::new();
        let (ca, cb) = (clock.clone(), clock.clone());
        let r = compare(
            || ca.advance(Duration::from_nanos(a_ns)),
            || cb.advance(Duration::from_nanos(a_ns * factor)),
        )
        .clock(clock)
        .loops(4)
        .pairs(pairs)
        .run()
        .unwrap();
        prop_assert_eq!(r.ratios().len(), pairs);
        let expected = Duration::from_nanos(4 * a_ns * factor).as_secs_f64() / Duration::from_nanos(4 * a_ns).as_secs_f64();
        prop_assert!((r.median_ratio() - expected).abs() <= 1e-12 * expected);
        let (lo, hi) = r.ci().unwrap();
        prop_assert!(lo <= r.median_ratio() && r.median_ratio() <= hi);
    }
}

#[test]
fn manual_clock_exact_report() {
    let clock = Manual::new();
    let body = clock.clone();
    let i = Cell::new(0u64);
    // Repeat r of one call takes (r + 1) seconds: samples 1, 2, 3, 4, 5 s (after 1 warm-up).
    let s = bench(|| {
        body.advance(Duration::from_secs(i.get()));
        i.set(i.get() + 1);
    })
    .clock(clock)
    .loops(1)
    .run()
    .unwrap();
    assert_eq!(s.samples(), &[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!((s.min(), s.median(), s.mean(), s.max(), s.mad()), (1.0, 3.0, 3.0, 5.0, 1.0));
    assert_eq!(s.stddev(), 2.5f64.sqrt());
    assert_eq!(s.to_string(), "1 loop, best of 5: 1 sec per loop");
}
