//! Criterion benches for `primes`: counting primes (`primes/count/{backend}/{n}`), the primality
//! test on random odd 64-bit numbers, factoring the book's composites, the book's trial-division
//! puzzle (serial vs parallel early exit) and Monte Carlo pi, on every compiled backend.
//!
//! Each bench checks its result first (derived oracles), so `cargo test --benches` is a
//! correctness test.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferdelance::primes::{self, BACKENDS, Backend, MonteCarloPi, Sieve, TrialDivision, Verdict};
use std::hint::black_box;

fn count(c: &mut Criterion) {
    let mut g = c.benchmark_group("primes/count");
    g.sample_size(10);
    for (n, want) in [(10_000_000u64, 664_579u64), (100_000_000, 5_761_455)] {
        g.throughput(Throughput::Elements(n));
        for &b in BACKENDS {
            let s = Sieve::new(..=n).unwrap().backend(b);
            assert_eq!(s.count().unwrap(), want, "{b}");
            g.bench_function(format!("{b}/{n:.0e}"), |bench| bench.iter(|| black_box(&s).count().unwrap()));
        }
        let s = primal::Sieve::new(n as usize);
        assert_eq!(s.prime_pi(n as usize) as u64, want);
        g.bench_function(format!("primal/{n:.0e}"), |bench| {
            bench.iter(|| primal::StreamingSieve::prime_pi(black_box(n as usize)))
        });
    }
    // A window near the top of u64 (sieve to 2^22, then BPSW on the survivors).
    let top = Sieve::new(u64::MAX - 9_999..).unwrap();
    assert_eq!(top.count().unwrap(), 218);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("auto/top-1e4", |bench| bench.iter(|| black_box(&top).count().unwrap()));
    g.finish();
}

fn random_odd(count: usize) -> Vec<u64> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x | 1
        })
        .collect()
}

fn primality(c: &mut Criterion) {
    let v = random_odd(10_000);
    let want = v.iter().filter(|&&n| machine_prime::is_prime(n)).count();
    assert_eq!(v.iter().filter(|&&n| primes::is_prime(n)).count(), want);
    let mut g = c.benchmark_group("primes/is_prime");
    g.throughput(Throughput::Elements(v.len() as u64));
    g.bench_function("auto/random-odd-1e4", |b| {
        b.iter(|| black_box(&v).iter().filter(|&&n| primes::is_prime(n)).count())
    });
    g.bench_function("machine-prime/random-odd-1e4", |b| {
        b.iter(|| black_box(&v).iter().filter(|&&n| machine_prime::is_prime(n)).count())
    });
    g.finish();

    let mut g = c.benchmark_group("primes/factorize");
    let book = [100_109_100_129_100_369u64, 100_109_100_129_101_027, 112_272_535_095_295];
    assert_eq!(primes::factorize(book[0]), vec![(95_362_951, 1), (1_049_769_319, 1)]);
    g.bench_function("auto/book-composites", |b| {
        b.iter(|| book.iter().map(|&n| primes::factorize(black_box(n)).len()).sum::<usize>())
    });
    g.finish();
}

fn puzzle(c: &mut Criterion) {
    let mut g = c.benchmark_group("primes/trial-division");
    g.sample_size(10);
    // The book's "small prime" (3.3 million odd divisors) and "small non-prime".
    for (name, n, want) in [
        ("small-prime", 112_272_535_095_293u64, Verdict::Prime),
        ("small-non-prime", 112_272_535_095_295, Verdict::Composite { smallest_factor: 5 }),
    ] {
        for &b in BACKENDS.iter().filter(|b| **b != Backend::Simd) {
            let job = TrialDivision::new(n).backend(b);
            assert_eq!(job.run().unwrap(), want, "{b}");
            g.bench_function(format!("{b}/{name}"), |bench| bench.iter(|| black_box(&job).run().unwrap()));
        }
    }
    g.finish();

    let mut g = c.benchmark_group("primes/monte-carlo");
    let darts = 1_000_000;
    g.throughput(Throughput::Elements(darts));
    for &b in BACKENDS {
        let job = MonteCarloPi::new(darts).seed(42).backend(b);
        assert_eq!(job.run().unwrap().hits, 785_344, "{b}");
        g.bench_function(format!("{b}/1e6"), |bench| bench.iter(|| black_box(&job).run().unwrap()));
    }
    g.finish();
}

criterion_group!(group, count, primality, puzzle);
criterion_main!(group);
