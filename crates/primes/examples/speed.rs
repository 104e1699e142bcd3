//! Quick timings (development aid): `cargo run --release -p primes --all-features --example speed -- sieve 1e9 [SEG]`,
//! `... -- mc 1e8`, `... -- isprime`.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize, d: f64| args.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(d);
    match args.get(1).map(String::as_str).unwrap_or("sieve") {
        "mc" => {
            let n = num(2, 1e8) as u64;
            for b in primes::BACKENDS {
                let t = Instant::now();
                let e = primes::MonteCarloPi::new(n).seed(2014).backend(*b).run().unwrap();
                println!("{b:>8}: {} hits in {:.3} s", e.hits, t.elapsed().as_secs_f64());
            }
        }
        "isprime" => {
            let mut x = 0x1234_5678_9abc_def1u64;
            let v: Vec<u64> = (0..1_000_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x | 1
                })
                .collect();
            let (mut ours, mut mp) = (f64::MAX, f64::MAX);
            for _ in 0..15 {
                let t = Instant::now();
                let a = v.iter().filter(|&&n| primes::is_prime(n)).count();
                ours = ours.min(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let b = v.iter().filter(|&&n| machine_prime::is_prime(n)).count();
                mp = mp.min(t.elapsed().as_secs_f64());
                assert_eq!(a, b);
            }
            let t = Instant::now();
            let c = v.iter().filter(|&&n| n % 3 != 0 && n % 5 != 0 && n % 7 != 0).count();
            println!("filter {c} {:.1} ns/n", t.elapsed().as_secs_f64() * 1e3);
            println!("best of 15: ours {:.1} ns/n, machine-prime {:.1} ns/n", ours * 1e3, mp * 1e3);
        }
        _ => {
            let n = num(2, 1e9) as u64;
            let seg = num(3, primes::default_segment_bytes() as f64) as usize;
            let only = args.get(4).cloned();
            for b in primes::BACKENDS.iter().filter(|b| only.as_deref().is_none_or(|o| o == b.name())) {
                let t = Instant::now();
                let c = primes::Sieve::new(..=n).unwrap().backend(*b).segment_bytes(seg).count().unwrap();
                println!("{b:>8} seg {seg:>8}: pi({n}) = {c} in {:.3} s", t.elapsed().as_secs_f64());
            }
        }
    }
}
