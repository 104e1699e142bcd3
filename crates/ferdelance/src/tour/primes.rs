//! Tour section: `primes`, the book's ch. 9 (multiprocessing): verifying large numbers with
//! several workers and an early-exit flag, counting primes in ranges, Monte Carlo pi; plus the
//! sieve at 10^9 and 10^10 against the derived oracles.

use std::time::Instant;

use ferdelance::Backend;
use ferdelance::primes::{self, MonteCarloPi, Sieve, TrialDivision, Verdict};

use super::{Row, Tour, fmt_secs};
use crate::cli::CliError;

/// The book's puzzle numbers (ch. 9) and their verdicts.
const PUZZLE: &[(&str, u64, Verdict)] = &[
    ("small non-prime", 112_272_535_095_295, Verdict::Composite { smallest_factor: 5 }),
    ("small prime", 112_272_535_095_293, Verdict::Prime),
    ("18-digit prime", 100_109_100_129_100_151, Verdict::Prime),
    ("large non-prime 1", 100_109_100_129_100_369, Verdict::Composite { smallest_factor: 95_362_951 }),
    ("large non-prime 2", 100_109_100_129_101_027, Verdict::Composite { smallest_factor: 171_656_941 }),
];

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    let err = |e: primes::Error| CliError::runtime(format!("primes: {e}"));
    tour.heading("primes: verifying big numbers, counting primes, Monte Carlo pi", "book ch. 9");
    let backends = tour.backends();
    let threads = rayon::current_num_threads();

    // 1. The book's puzzle: serial sweep vs the parallel early-exit search.
    tour.note(&format!(
        "  trial division by the odd numbers below isqrt(n) + 1 (316,400,222 for the 18-digit values),\n  \
         pre-check of 3..19, blocks of 1000 with one flag poll each; the parallel search hands the\n  \
         blocks out in ascending order from an atomic cursor ({threads} workers) and keeps the smallest factor.\n  \
         Book (4 processes, CPython): 18-digit prime 11.7 s serial vs 3.0 s Less Naive Pool; non-prime 1/2\n  \
         3.54/6.35 s serial, 0.61/0.50 s with the mmap flag. The simd backend runs the scalar sweep here."
    ));
    let numbers: Vec<&(&str, u64, Verdict)> =
        if tour.quick { PUZZLE.iter().filter(|p| p.1 < 1 << 50).collect() } else { PUZZLE.iter().collect() };
    let mut rows = Vec::new();
    for &&(name, n, want) in &numbers {
        for &b in backends.iter().filter(|b| **b != Backend::Simd) {
            let (v, time) = tour.time(|| TrialDivision::new(n).backend(b).run());
            let v = v.map_err(err)?;
            rows.push(Row {
                experiment: format!("{name} {n}"),
                backend: b,
                time,
                // Throughput only where the whole sweep runs (primes); composites stop early.
                work: (want == Verdict::Prime).then_some(((n.isqrt() / 2) as f64, "divisors")),
                oracle: v == want,
            });
        }
    }
    tour.rows(
        "the book's puzzle: serial sweep vs parallel early exit (throughput: odd divisors below the root)",
        &rows,
    );
    let split = primes::book_split(3, 316_400_222, 4);
    tour.check(&format!("book_split(3, 316400222, 4) = {split:?} (the book's Naive Pool ranges)"), {
        split == [(3, 79100057), (79100057, 158200111), (158200111, 237300165), (237300165, 316400222)]
    });
    let pos = |f: u64| 100.0 * (f - 3) as f64 / (316_400_222 - 3) as f64;
    tour.note(&format!(
        "  the smallest factors sit at {:.1}% and {:.1}% of the sweep: a worker given a quarter of the\n  \
         range finds them only after {:.1}% / {:.1}% of its own quarter; blocks handed out in order\n  \
         reach them `workers` times sooner, whatever the range split.",
        pos(95_362_951),
        pos(171_656_941),
        (pos(95_362_951) - 25.0) * 4.0,
        (pos(171_656_941) - 50.0) * 4.0
    ));
    let fast = Instant::now();
    let all_fast = numbers.iter().all(|&&(_, n, want)| primes::is_prime(n) == (want == Verdict::Prime));
    tour.check(
        &format!(
            "is_prime (BPSW) agrees on all {} numbers, in {} total",
            numbers.len(),
            fmt_secs(fast.elapsed().as_secs_f64())
        ),
        all_fast,
    );

    // 2. Counting primes: the book's ranges and pi(10^9).
    let (top, want) = if tour.quick { (100_000_000u64, 5_761_455u64) } else { (1_000_000_000, 50_847_534) };
    let mut rows = Vec::new();
    for &b in &backends {
        let (n, time) = tour.time(|| Sieve::new(..=top).and_then(|s| s.backend(b).count()));
        rows.push(Row {
            experiment: format!("pi({top:.0e})"),
            backend: b,
            time,
            work: Some((top as f64, "numbers")),
            oracle: n.map_err(err)? == want,
        });
        let (n, time) = tour.time(|| Sieve::new(100_000_000..101_000_000).and_then(|s| s.backend(b).collect()));
        let list = n.map_err(err)?;
        rows.push(Row {
            experiment: "list [1e8, 1.01e8) (the Pool.map range)".into(),
            backend: b,
            time,
            work: Some((1e6, "numbers")),
            oracle: list.len() == 54_208 && list.last() == Some(&100_999_993),
        });
    }
    tour.rows(
        &format!("segmented sieve (mod-30 wheel, {} KiB segments)", primes::default_segment_bytes() >> 10),
        &rows,
    );
    tour.check("1..=10000 (the NSQ job input) holds 1229 primes", primes::count_primes(1..=10_000).ok() == Some(1229));
    tour.check("nth_prime(10^4) = 104729", primes::nth_prime(10_000).ok() == Some(104_729));
    tour.check(
        "218 primes in [2^64 - 10^4, 2^64), the last 2^64 - 59",
        primes::count_primes(u64::MAX - 9_999..).ok() == Some(218) && primes::is_prime(u64::MAX - 58),
    );
    if !tour.quick {
        let t = Instant::now();
        let n = primes::count_primes(..=10_000_000_000).map_err(err)?;
        let secs = t.elapsed().as_secs_f64();
        tour.check(&format!("pi(10^10) = 455052511 (auto backend, one run: {})", fmt_secs(secs)), n == 455_052_511);
    }

    // 3. Monte Carlo pi.
    let darts = if tour.quick { 1_000_000u64 } else { 10_000_000 };
    let reference = MonteCarloPi::new(darts).seed(2014).backend(Backend::Scalar).run().map_err(err)?;
    let mut rows = Vec::new();
    for &b in &backends {
        let (est, time) = tour.time(|| MonteCarloPi::new(darts).seed(2014).backend(b).run());
        let est = est.map_err(err)?;
        rows.push(Row {
            experiment: format!("{darts:.0e} darts, seed 2014"),
            backend: b,
            time,
            work: Some((darts as f64, "darts")),
            oracle: est == reference && (est.estimate() - std::f64::consts::PI).abs() < 4.0 * est.std_error(),
        });
    }
    tour.rows("Monte Carlo pi: one xoshiro256++ stream per chunk of 65,536 darts, hits identical everywhere", &rows);
    tour.note(&format!(
        "  estimate {:.6} ± {:.6}; the book: 1e8 darts in 110 s (pure Python), 6.4 s (numpy), 1.5 s (numpy, 4 processes)",
        reference.estimate(),
        reference.std_error()
    ));
    if !tour.quick {
        let t = Instant::now();
        let big = primes::monte_carlo_pi(100_000_000, 2014).map_err(err)?;
        tour.check(
            &format!("1e8 darts, seed 2014: 78,537,874 hits (auto backend, {})", fmt_secs(t.elapsed().as_secs_f64())),
            big.hits == 78_537_874,
        );
    }
    Ok(())
}
