//! Oracles and properties for the public API, on every compiled backend.

use primes::{BACKENDS, Backend, ErrorKind, MonteCarloPi, Sieve, TrialDivision, Verdict};
use proptest::prelude::*;

const ORACLES: &str = include_str!("../../testdata/oracles.txt");

fn oracle_lines(key: &str) -> Vec<Vec<u64>> {
    ORACLES
        .lines()
        .filter(|l| l.split_whitespace().next() == Some(key))
        .map(|l| l.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect())
        .collect()
}

/// pi(10^k) for k = 1..=9 on every backend (10^10 is in `pi_1e10`, ignored).
#[test]
fn pi_powers_of_ten() {
    for line in oracle_lines("pi") {
        let (n, want) = (line[0], line[1]);
        if n > 1_000_000_000 {
            continue;
        }
        // Every backend up to 10^8; pi(10^9) once, on the fastest backend (`Auto`), to keep the
        // suite fast (about 0.4 s in release on one core).
        if n < 1_000_000_000 {
            for &b in BACKENDS {
                assert_eq!(Sieve::new(..=n).unwrap().backend(b).count().unwrap(), want, "pi({n}) on {b}");
            }
        }
        assert_eq!(primes::prime_pi(n), want);
    }
}

/// pi(10^10): run by the tour (`cargo test -p primes -- --ignored`).
#[test]
#[ignore = "about 2-4 s in release; run with --ignored (the tour runs it)"]
fn pi_1e10() {
    assert_eq!(primes::prime_pi(10_000_000_000), 455_052_511);
}

#[test]
fn book_ranges_and_top_of_u64() {
    for line in oracle_lines("count") {
        let (lo, hi, want) = (line[0], line[1], line[2]);
        for &b in BACKENDS {
            assert_eq!(Sieve::new(lo..hi).unwrap().backend(b).count().unwrap(), want, "[{lo}, {hi}) on {b}");
        }
    }
    let list = primes::sieve(100_000_000..100_100_000).unwrap();
    assert_eq!((list.len(), list[0], *list.last().unwrap()), (5411, 100000007, 100099981));
    assert_eq!(*primes::sieve(100_000_000..101_000_000).unwrap().last().unwrap(), 100999993);
    // The top of u64: inclusive, exclusive and unbounded ends agree and never overflow.
    let top: Vec<u64> = primes::primes(u64::MAX - 10_000..).unwrap().collect();
    assert_eq!(top.len(), 218);
    assert_eq!(*top.last().unwrap(), u64::MAX - 58);
    assert!(top.iter().all(|&p| primes::is_prime(p)));
    for &b in BACKENDS {
        assert_eq!(Sieve::new(u64::MAX - 10_000..=u64::MAX).unwrap().backend(b).count().unwrap(), 218);
        assert_eq!(Sieve::new(u64::MAX..=u64::MAX).unwrap().backend(b).count().unwrap(), 0);
        assert_eq!(Sieve::new(u64::MAX - 58..u64::MAX).unwrap().backend(b).collect().unwrap(), vec![u64::MAX - 58]);
    }
    // A window straddling 2^32 and one above the 2^44 sieve cap.
    for (lo, hi) in [((1u64 << 32) - 5000, (1u64 << 32) + 5000), ((1 << 50) - 3000, (1 << 50) + 3000)] {
        let want: Vec<u64> = (lo..=hi).filter(|&n| primes::is_prime(n)).collect();
        for &b in BACKENDS {
            assert_eq!(Sieve::new(lo..=hi).unwrap().backend(b).collect().unwrap(), want, "[{lo}, {hi}] on {b}");
        }
    }
}

#[test]
fn nth_prime_oracles() {
    for line in oracle_lines("nth") {
        assert_eq!(primes::nth_prime(line[0]).unwrap(), line[1], "nth_prime({})", line[0]);
    }
    assert_eq!(primes::nth_prime(0).unwrap_err().kind(), ErrorKind::OutOfRange);
    assert_eq!(primes::nth_prime(primes::PRIMES_BELOW_2_64 + 1).unwrap_err().kind(), ErrorKind::OutOfRange);
    for k in (1..=300).chain([1229, 1230, 9592, 78_498]) {
        let p = primes::nth_prime(k).unwrap();
        assert!(primes::is_prime(p) && primes::prime_pi(p) == k, "nth_prime({k}) = {p}");
    }
}

#[test]
fn primality_oracles() {
    for line in oracle_lines("prime") {
        assert!(primes::is_prime(line[0]), "{} is prime", line[0]);
        assert!(primes::is_prime_u128(line[0] as u128));
        assert_eq!(primes::smallest_factor(line[0]), Some(line[0]));
    }
    for line in oracle_lines("composite") {
        assert!(!primes::is_prime(line[0]), "{} is composite", line[0]);
        assert!(!primes::is_prime_u128(line[0] as u128));
    }
    for (n, want) in [(0, false), (1, false), (2, true), (3, true), (4, false), (10000019, true), (10000000, false)] {
        assert_eq!(primes::is_prime(n), want, "{n}");
        assert_eq!(primes::is_prime_trial(n), want, "trial {n}");
    }
    for n in [(1u128 << 89) - 1, (1 << 127) - 1, 22360679774997896964091] {
        assert!(primes::is_prime_u128(n), "{n}");
    }
    for n in [(1u128 << 89) + 1, ((1u128 << 61) - 1) * ((1 << 61) - 1), u128::MAX, 1 << 100] {
        assert!(!primes::is_prime_u128(n), "{n}");
    }
    // The largest prime below 2^64 and its neighbours.
    assert!(primes::is_prime(u64::MAX - 58));
    assert!((u64::MAX - 57..=u64::MAX).all(|n| !primes::is_prime(n)));
}

#[test]
fn is_prime_matches_the_sieve_below_1e7() {
    let sieved = primes::sieve(..10_000_000).unwrap();
    let mut next = sieved.iter().copied().peekable();
    for n in 0..10_000_000u64 {
        let is = next.peek() == Some(&n);
        if is {
            next.next();
        }
        assert_eq!(primes::is_prime(n), is, "{n}");
    }
    assert_eq!(sieved.len(), 664_579);
}

#[test]
fn differential_against_machine_prime_and_primal() {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = x | 1;
        assert_eq!(primes::is_prime(n), machine_prime::is_prime(n), "{n}");
        let small = n >> 40;
        assert_eq!(primes::is_prime(small), primal::is_prime(small), "{small}");
    }
    let s = primal::Sieve::new(2_000_000);
    assert_eq!(primes::prime_pi(2_000_000), s.prime_pi(2_000_000) as u64);
}

#[test]
fn factor_oracles() {
    for line in oracle_lines("factor") {
        let got: Vec<u64> = primes::factorize(line[0]).into_iter().flat_map(|(p, e)| vec![p; e as usize]).collect();
        assert_eq!(got, line[1..].to_vec(), "factorize({})", line[0]);
        assert_eq!(primes::smallest_factor(line[0]), Some(line[1]));
    }
    assert_eq!(primes::factorize(0), vec![]);
    assert_eq!(primes::factorize(1), vec![]);
    assert_eq!(primes::factorize(2), vec![(2, 1)]);
}

#[test]
fn book_puzzle_every_backend() {
    // The book's large composites (a sweep of up to 85 million divisions): once per backend.
    for &b in BACKENDS {
        for (n, f) in [(100109100129100369u64, 95362951), (100109100129101027, 171656941)] {
            let got = TrialDivision::new(n).backend(b).run().unwrap();
            assert_eq!(got, Verdict::Composite { smallest_factor: f }, "{n} on {b}");
        }
    }
    let cases = [
        (112272535095295u64, Verdict::Composite { smallest_factor: 5 }),
        (112272535095293, Verdict::Prime),
        (10_007 * 10_009, Verdict::Composite { smallest_factor: 10_007 }),
        (0, Verdict::Unit),
        (1, Verdict::Unit),
        (2, Verdict::Prime),
        (3, Verdict::Prime),
        (9, Verdict::Composite { smallest_factor: 3 }),
        (25, Verdict::Composite { smallest_factor: 5 }),
        (529, Verdict::Composite { smallest_factor: 23 }),
    ];
    for &b in BACKENDS {
        for (n, want) in cases {
            for workers in [1, 2, 3, 7] {
                let got = TrialDivision::new(n).backend(b).workers(workers).run().unwrap();
                assert_eq!(got, want, "{n} on {b} with {workers} workers");
            }
        }
    }
    assert_eq!(100109100129100369u64.isqrt() + 1, 316400222);
    assert_eq!(
        primes::book_split(3, 316400222, 4),
        vec![(3, 79100057), (79100057, 158200111), (158200111, 237300165), (237300165, 316400222)]
    );
    assert_eq!(TrialDivision::new(7).block(0).run().unwrap_err().kind(), ErrorKind::InvalidParameter);
    assert_eq!(TrialDivision::new(7).workers(0).run().unwrap_err().kind(), ErrorKind::InvalidParameter);
}

#[test]
fn monte_carlo_oracles_every_backend() {
    for (darts, seed, hits) in [(1000u64, 0u64, 790u64), (1_000_000, 42, 785_344)] {
        for &b in BACKENDS {
            let est = MonteCarloPi::new(darts).seed(seed).backend(b).run().unwrap();
            assert_eq!(est.hits, hits, "{darts} darts seed {seed} on {b}");
        }
    }
    // Lane groups, short last chunks, odd chunk sizes: every backend agrees with scalar.
    for (darts, chunk) in [(1u64, 1u64), (7, 3), (65_537, 4096), (300_001, 1000), (1 << 18, 1 << 14)] {
        let want = MonteCarloPi::new(darts).chunk(chunk).seed(9).backend(Backend::Scalar).run().unwrap();
        for &b in BACKENDS {
            assert_eq!(MonteCarloPi::new(darts).chunk(chunk).seed(9).backend(b).run().unwrap(), want, "{b}");
        }
    }
    let pi = primes::monte_carlo_pi(1_000_000, 7).unwrap();
    assert!((pi.estimate() - std::f64::consts::PI).abs() < 4.0 * pi.std_error());
    assert!((pi.std_error() - 1.642 / 1000.0).abs() < 1e-4);
    assert_eq!(primes::monte_carlo_pi(0, 1).unwrap_err().kind(), ErrorKind::InvalidParameter);
    assert_eq!(MonteCarloPi::new(10).chunk(0).run().unwrap_err().kind(), ErrorKind::InvalidParameter);
}

#[test]
fn monte_carlo_1e8_oracle() {
    // 10^8 darts takes about 0.7 s on one core: only with the parallel backend compiled (the
    // tour checks it on every build).
    let b = *BACKENDS.last().unwrap();
    if b != Backend::Parallel {
        return;
    }
    assert_eq!(MonteCarloPi::new(100_000_000).seed(2014).backend(b).run().unwrap().hits, 78_537_874);
}

#[test]
fn bad_input() {
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = Sieve::new(5..3).unwrap_err();
    assert_eq!(reversed.kind(), ErrorKind::InvalidRange);
    assert!(reversed.to_string().contains("after"));
    #[allow(clippy::reversed_empty_ranges)]
    let empty = primes::count_primes(5..5).unwrap();
    assert_eq!(empty, 0);
    assert_eq!(primes::sieve(7..7).unwrap(), Vec::<u64>::new());
    assert_eq!(primes::count_primes(u64::MAX..u64::MAX).unwrap(), 0);
    assert_eq!(Sieve::new(..10).unwrap().segment_bytes(5).count().unwrap_err().kind(), ErrorKind::InvalidParameter);
    assert_eq!(primes::sieve(..).unwrap_err().kind(), ErrorKind::TooLarge);
    for b in [Backend::Simd, Backend::Parallel] {
        if !BACKENDS.contains(&b) {
            assert_eq!(Sieve::new(..10).unwrap().backend(b).count().unwrap_err().kind(), ErrorKind::BackendUnavailable);
            assert_eq!(MonteCarloPi::new(5).backend(b).run().unwrap_err().kind(), ErrorKind::BackendUnavailable);
        }
    }
}

#[test]
fn segments_and_iterator_agree() {
    let mut from_segments = Vec::new();
    let mut starts = Vec::new();
    Sieve::new(1_000..=200_000)
        .unwrap()
        .segment_bytes(1024)
        .for_each_segment(|s, ps| {
            starts.push(s);
            from_segments.extend_from_slice(ps);
        })
        .unwrap();
    assert!(starts.windows(2).all(|w| w[0] < w[1]) && starts[0] == 1000);
    let lazy: Vec<u64> = primes::primes(1_000..=200_000).unwrap().collect();
    assert_eq!(from_segments, lazy);
    assert_eq!(lazy, primes::sieve(1_000..=200_000).unwrap());
    // Every segment size gives the same answer.
    let want = primes::prime_pi(9_876_543) - primes::prime_pi(12_344);
    for seg in [1024, 4096, 32 << 10, 1 << 20] {
        assert_eq!(Sieve::new(12_345..=9_876_543).unwrap().segment_bytes(seg).count().unwrap(), want);
    }
    assert_eq!(want, primes::sieve(12_345..=9_876_543).unwrap().len() as u64);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_is_prime_matches_trial(n in 0u64..(1 << 40)) {
        prop_assert_eq!(primes::is_prime(n), primes::is_prime_trial(n));
    }

    #[test]
    fn prop_factorize_multiplies_back(n in 1u64..) {
        let f = primes::factorize(n);
        let product = f.iter().fold(1u128, |acc, &(p, e)| acc * (p as u128).pow(e));
        prop_assert_eq!(product, n as u128);
        prop_assert!(f.iter().all(|&(p, _)| primes::is_prime(p)));
        prop_assert!(f.windows(2).all(|w| w[0].0 < w[1].0));
        prop_assert_eq!(primes::smallest_factor(n), f.first().map(|x| x.0));
    }

    #[test]
    fn prop_count_is_additive(a in 0u64..5_000_000, w1 in 0u64..300_000, w2 in 0u64..300_000, top in any::<bool>()) {
        let (w1, w2) = if top { (w1 / 8, w2 / 8) } else { (w1, w2) };
        let base = if top { u64::MAX - 75_001 } else { a };
        let (b, c) = (base + w1, base + w1 + w2);
        for &be in BACKENDS {
            let whole = Sieve::new(base..=c).unwrap().backend(be).count().unwrap();
            let left = Sieve::new(base..b).unwrap().backend(be).count().unwrap();
            let right = Sieve::new(b..=c).unwrap().backend(be).count().unwrap();
            prop_assert_eq!(whole, left + right);
        }
    }

    #[test]
    fn prop_sieve_matches_is_prime(lo in prop_oneof![0u64..1 << 34, (1u64 << 32) - 20_000..(1 << 32) + 1, u64::MAX - 20_000..=u64::MAX], w in 0u64..20_000) {
        let hi = lo.saturating_add(w);
        let want: Vec<u64> = (lo..=hi).filter(|&n| primes::is_prime(n)).collect();
        for &b in BACKENDS {
            prop_assert_eq!(&Sieve::new(lo..=hi).unwrap().backend(b).segment_bytes(2048).collect().unwrap(), &want);
        }
    }

    #[test]
    fn prop_trial_division_verdict(n in 0u64..(1 << 36), workers in 1usize..5) {
        let serial = TrialDivision::new(n).backend(Backend::Scalar).run().unwrap();
        let want = match n { 0 | 1 => Verdict::Unit, _ if primes::is_prime(n) => Verdict::Prime, _ => Verdict::Composite { smallest_factor: primes::smallest_factor(n).unwrap() } };
        prop_assert_eq!(serial, want);
        for &b in BACKENDS {
            prop_assert_eq!(TrialDivision::new(n).backend(b).workers(workers).block(64).run().unwrap(), want);
        }
    }

    #[test]
    fn prop_monte_carlo_within_four_sigma(seed in any::<u64>()) {
        let pi = primes::monte_carlo_pi(100_000, seed).unwrap();
        prop_assert!((pi.estimate() - std::f64::consts::PI).abs() < 4.0 * 1.642 / (100_000f64).sqrt());
    }
}
