//! Error bounds, tested statistically over many fixed seeds (deterministic: cannot flake).

use probabilistic::*;

use crate::naive::{self, mean_sd};

/// Relative errors of `trials` sketches (hash seeds 0..trials) of the items `0..n`.
fn rel_errors<S: Cardinality>(trials: u64, n: u64, make: impl Fn(HashKind) -> S) -> Vec<f64> {
    let items = naive::items(0, n);
    (0..trials)
        .map(|seed| {
            let mut s = make(HashKind::Xxh3 { seed: seed * 0x9e37_79b9 + 1 });
            for i in &items {
                s.insert(i);
            }
            (s.estimate() - n as f64) / n as f64
        })
        .collect()
}

#[test]
fn hll_standard_error_within_20_percent() {
    for (p, n) in [(10u8, 50_000u64), (12, 50_000), (14, 100_000)] {
        let errs = rel_errors(200, n, |h| HyperLogLog::with_hash(p, h).unwrap());
        let sigma = 1.04 / f64::from(1u32 << p).sqrt();
        let (mean, sd) = mean_sd(&errs);
        let rms = (errs.iter().map(|e| e * e).sum::<f64>() / errs.len() as f64).sqrt();
        assert!((rms / sigma - 1.0).abs() < 0.2, "p = {p}: rms {rms} vs {sigma} (mean {mean}, sd {sd})");
        // One run (seed 0) within 3 sigma; over 200 runs, 3-sigma excursions no more often than
        // the normal law allows (expected 0.5; at most 2).
        assert!(errs[0].abs() < 3.0 * sigma, "p = {p}: run 0 off by {}", errs[0]);
        let outside = errs.iter().filter(|e| e.abs() >= 3.0 * sigma).count();
        assert!(outside <= 2, "p = {p}: {outside} of 200 runs outside 3 sigma");
    }
}

#[test]
fn hll_plus_is_nearly_exact_when_small_and_accurate_when_large() {
    for n in [1u64, 10, 100, 1_000, 3_000] {
        let mut s = HyperLogLogPlus::new(14).unwrap();
        for i in 0..n {
            s.insert(i.to_le_bytes());
        }
        assert!(s.is_sparse(), "{n}");
        assert!((s.estimate() - n as f64).abs() <= (n as f64 * 0.002).max(0.5), "{n}: {}", s.estimate());
    }
    // Dense, across the range where classic HLL switches to linear counting: unbiased.
    let p = 10u8;
    let sigma = 1.04 / 32.0;
    for n in [1_000u64, 2_500, 5_000, 20_000] {
        let errs = rel_errors(100, n, |h| HyperLogLogPlus::with_hash(p, h).unwrap());
        let (mean, sd) = mean_sd(&errs);
        assert!(mean.abs() < 3.0 * sigma / 10.0, "n = {n}: bias {mean}");
        assert!(sd < 1.2 * sigma, "n = {n}: sd {sd}");
    }
}

#[test]
fn loglog_and_superloglog_accuracy() {
    let p = 10u8;
    let m = 1024.0f64;
    let ll = rel_errors(60, 100_000, |h| LogLog::with_hash(p, h).unwrap());
    let (mean, sd) = mean_sd(&ll);
    assert!(mean.abs() < 3.0 * 1.30 / m.sqrt() / 60f64.sqrt() + 0.01, "LogLog bias {mean}");
    assert!(sd < 1.25 * 1.30 / m.sqrt(), "LogLog sd {sd}");
    let sll = rel_errors(60, 100_000, |h| SuperLogLog::with_hash(p, h).unwrap());
    let (mean, sd) = mean_sd(&sll);
    assert!(mean.abs() < 3.0 * 1.05 / m.sqrt() / 60f64.sqrt() + 0.01, "SuperLogLog bias {mean}");
    assert!(sd < 1.25 * 1.05 / m.sqrt(), "SuperLogLog sd {sd}");
}

#[test]
fn kmv_union_within_three_sigma() {
    let k = 1024;
    for seed in 0..20u64 {
        let hash = HashKind::Xxh3 { seed };
        let mut a = Kmv::with_hash(k, hash).unwrap();
        let mut b = Kmv::with_hash(k, hash).unwrap();
        for i in 0..30_000u64 {
            a.insert(i.to_le_bytes());
            b.insert((i + 20_000).to_le_bytes());
        }
        let u = a.union(&b).unwrap().estimate();
        assert!((u - 50_000.0).abs() / 50_000.0 < 0.075, "seed {seed}: {u}");
    }
}

#[test]
fn bloom_false_positives_at_capacity() {
    for (cap, fp) in [(10_000u64, 0.01), (20_000, 0.001), (5_000, 0.05)] {
        let mut f = BloomFilter::new(cap, fp).unwrap();
        let mut s = SplitBlockBloom::new(cap, fp).unwrap();
        for i in 0..cap {
            f.insert(i.to_le_bytes());
            s.insert(i.to_le_bytes());
        }
        for i in 0..cap {
            assert!(f.contains(i.to_le_bytes()) && s.contains(i.to_le_bytes()), "false negative");
        }
        let probes = 200_000u64;
        let fps = (cap..cap + probes).filter(|i| f.contains(i.to_le_bytes())).count() as f64 / probes as f64;
        assert!(fps > 0.5 * fp && fps < 1.5 * fp, "Bloom {cap} @ {fp}: {fps}");
        let sfp = (cap..cap + probes).filter(|i| s.contains(i.to_le_bytes())).count() as f64 / probes as f64;
        assert!(sfp > 0.5 * fp && sfp < 1.5 * fp, "split-block {cap} @ {fp}: {sfp}");
        // The count estimate is close at capacity.
        let est = f.estimate_count();
        assert!((est - cap as f64).abs() < 4.0 * f.relative_error() * cap as f64 + 1.0, "{est}");
    }
}

#[test]
fn scalable_bloom_stays_under_target_after_10x_growth() {
    for (growth, fill) in [(2u32, 1.0), (1, 0.8)] {
        let target = 0.01;
        let mut s = ScalableBloomFilter::configure(1_000, target, growth, 0.5, fill, HashKind::default()).unwrap();
        for i in 0..10_000u64 {
            s.insert(i.to_le_bytes());
        }
        assert!(s.filters().len() > 1);
        assert!(s.fp_bound() < target);
        for i in 0..10_000u64 {
            assert!(s.contains(i.to_le_bytes()));
        }
        let probes = 200_000u64;
        let fps = (1u64 << 40..(1u64 << 40) + probes).filter(|i| s.contains(i.to_le_bytes())).count() as f64;
        assert!(fps / (probes as f64) < target, "growth {growth}: {}", fps / probes as f64);
        let est = s.estimate();
        assert!((est - 10_000.0).abs() < 500.0, "{est}");
    }
}

#[test]
fn morris_mean_within_3_percent() {
    let mut a = MorrisArray::new(10_000, 42);
    let n = 2_000;
    for _ in 0..n {
        for i in 0..10_000 {
            a.add(i).unwrap();
        }
    }
    let ests: Vec<f64> = (0..10_000).map(|i| a.estimate(i).unwrap()).collect();
    let (mean, sd) = mean_sd(&ests);
    assert!((mean / n as f64 - 1.0).abs() < 0.03, "{mean}");
    assert!((sd / n as f64 - 0.5f64.sqrt()).abs() < 0.1, "{sd}");
}

#[test]
fn count_min_never_underestimates() {
    let mut c = CountMinSketch::new(0.001, 0.01).unwrap();
    for i in 0..20_000u64 {
        for _ in 0..(i % 5) {
            c.insert((i % 3000).to_le_bytes());
        }
    }
    let total = c.total() as f64;
    let mut over = 0;
    for i in 0..3000u64 {
        let truth: u64 = (0..20_000u64).filter(|j| j % 3000 == i).map(|j| j % 5).sum();
        let got = u64::from(c.count(i.to_le_bytes()));
        assert!(got >= truth);
        if (got - truth) as f64 > 0.001 * total {
            over += 1;
        }
    }
    assert!(over < 3000 / 100 * 2, "{over}");
}

#[test]
fn count_distinct_is_hll14() {
    let items = naive::items(0, 50_000);
    let e = count_distinct(&items);
    assert!((e - 50_000.0).abs() / 50_000.0 < 3.0 * 0.0081, "{e}");
    let hashes = naive::hashes(HashKind::default(), &items);
    let naive = naive::hll_estimate(&naive::hll_registers(14, hashes));
    assert!((e - naive).abs() / naive < 1e-12, "{e} vs {naive}");
}
