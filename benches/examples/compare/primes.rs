//! Peer comparison for `primes`, one run: counting the primes up to 10^9 and 10^10 against
//! primesieve (C++, the Debian package's CLI, `-t1` and all threads; its time includes process
//! start-up, about a millisecond) and primal (Rust, single-threaded); `is_prime` on random odd
//! 64-bit numbers against machine-prime; and the book's puzzle, parallel early exit vs our own
//! serial sweep (ratio = speed-up). Every count is checked against the oracle.

use ferdelance::primes::{self, Backend, Sieve, TrialDivision};

use crate::{Comparison, Ctx, Row, best_of, command_seconds};

fn primesieve(stop: &str, threads: Option<usize>, want: u64) -> Result<f64, String> {
    let t = threads.map(|t| format!("-t{t}"));
    let mut args = vec![stop, "-q"];
    if let Some(t) = &t {
        args.push(t);
    }
    let (secs, out) = command_seconds("primesieve", &args, 3)?;
    match out.trim().parse::<u64>() {
        Ok(n) if n == want => Ok(secs),
        _ => Err(format!("primesieve printed `{}`, expected {want}", out.trim())),
    }
}

pub(crate) fn run(ctx: &Ctx) -> Comparison {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut rows = Vec::new();
    let cases: &[(u64, &str, u64)] = if ctx.quick {
        &[(100_000_000, "1e8", 5_761_455)]
    } else {
        &[(1_000_000_000, "1e9", 50_847_534), (10_000_000_000, "1e10", 455_052_511)]
    };
    for &(n, name, want) in cases {
        let ours = |b: Backend| {
            let s = Sieve::new(..=n).unwrap().backend(b);
            assert_eq!(s.count().unwrap(), want, "{b}");
            best_of(|| s.count().unwrap())
        };
        let one = ours(Backend::Simd);
        let all = ours(Backend::Parallel);
        let skipped = |e: String| (None, e);
        let (p1, note1) = primesieve(name, Some(1), want).map_or_else(skipped, |s| (Some(s), String::new()));
        rows.push(Row {
            case: format!("count primes <= {name}, 1 thread"),
            ours: "primes simd".into(),
            ours_s: one,
            peer: "primesieve -t1".into(),
            peer_s: p1,
            note: note1,
        });
        let (pa, note) = primesieve(name, None, want).map_or_else(skipped, |s| (Some(s), String::new()));
        rows.push(Row {
            case: format!("count primes <= {name}, {threads} threads"),
            ours: "primes parallel".into(),
            ours_s: all,
            peer: "primesieve".into(),
            peer_s: pa,
            note,
        });
        assert_eq!(primal::StreamingSieve::prime_pi(n as usize) as u64, want);
        let primal_s = best_of(|| primal::StreamingSieve::prime_pi(n as usize));
        rows.push(Row {
            case: format!("count primes <= {name}, 1 thread"),
            ours: "primes simd".into(),
            ours_s: one,
            peer: "primal StreamingSieve".into(),
            peer_s: Some(primal_s),
            note: String::new(),
        });
    }

    // is_prime on random odd 64-bit numbers.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let v: Vec<u64> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x | 1
        })
        .collect();
    let want = v.iter().filter(|&&n| machine_prime::is_prime(n)).count();
    assert_eq!(v.iter().filter(|&&n| primes::is_prime(n)).count(), want);
    // Interleave the two so machine noise hits both alike; best of each.
    let (mut ours, mut peer) = (f64::MAX, f64::MAX);
    for _ in 0..10 {
        ours = ours.min(best_of(|| v.iter().filter(|&&n| primes::is_prime(n)).count()));
        peer = peer.min(best_of(|| v.iter().filter(|&&n| machine_prime::is_prime(n)).count()));
    }
    rows.push(Row {
        case: "is_prime, 200k random odd u64".into(),
        ours: "primes::is_prime (BPSW)".into(),
        ours_s: ours,
        peer: "machine-prime 1.5 is_prime".into(),
        peer_s: Some(peer),
        note: format!("{:.0} ns vs {:.0} ns per number", ours / v.len() as f64 * 1e9, peer / v.len() as f64 * 1e9),
    });

    // The book's puzzle: parallel early exit against our serial sweep.
    let puzzle: &[(&str, u64)] = if ctx.quick {
        &[("small prime", 112_272_535_095_293)]
    } else {
        &[
            ("18-digit prime", 100_109_100_129_100_151),
            ("large non-prime 1", 100_109_100_129_100_369),
            ("large non-prime 2", 100_109_100_129_101_027),
        ]
    };
    for &(name, n) in puzzle {
        let serial = TrialDivision::new(n).backend(Backend::Scalar);
        let parallel = TrialDivision::new(n).backend(Backend::Parallel);
        assert_eq!(serial.run().unwrap(), parallel.run().unwrap());
        rows.push(Row {
            case: format!("trial division, {name} {n}"),
            ours: format!("primes parallel early exit, {threads} threads"),
            ours_s: best_of(|| parallel.run().unwrap()),
            peer: "primes serial sweep (ratio = speed-up)".into(),
            peer_s: Some(best_of(|| serial.run().unwrap())),
            note: String::new(),
        });
    }
    Comparison { krate: "primes", rows }
}
