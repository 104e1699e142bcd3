//! The `primes` subcommands (the book's ch. 9 and 10): count, list, nth, is-prime, factor and
//! pi-estimate. Bounds are inclusive, like primesieve; numbers accept `1e10`, `2^32`, `10**9`
//! and sums such as `2^64-59`.

use std::io::Write;
use std::time::Instant;

use ferdelance::Backend;
use ferdelance::primes::{self, MonteCarloPi, NthPrime, Sieve};
use serde_json::json;

use super::{CliError, Global, Output, Progress};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// Primes: count or list them in a range, the nth prime, primality, factors, Monte Carlo pi.
    Primes {
        #[command(subcommand)]
        cmd: Sub,
    },
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Sub {
    /// Count the primes in [START, STOP] (inclusive; START defaults to 0), e.g. `count 1e10`.
    Count {
        /// START and STOP, or just STOP.
        #[arg(value_name = "[START] STOP", num_args = 1..=2, required = true)]
        bounds: Vec<String>,
        /// Sieve segment size in bytes (default: half the L2 cache).
        #[arg(long, value_name = "BYTES")]
        segment_bytes: Option<usize>,
    },
    /// List the primes in [START, STOP] (inclusive), one per line.
    List {
        /// START and STOP, or just STOP.
        #[arg(value_name = "[START] STOP", num_args = 1..=2, required = true)]
        bounds: Vec<String>,
    },
    /// The K-th prime (1-based: `nth 1` is 2).
    Nth {
        /// K, e.g. 1e9.
        k: String,
    },
    /// Whether each N is prime (exact up to 2^64; BPSW up to 2^128).
    IsPrime {
        /// Numbers to test.
        #[arg(required = true)]
        n: Vec<String>,
    },
    /// The prime factors of each N (trial division, then Pollard-Brent rho).
    Factor {
        /// Numbers to factor (up to 2^64 - 1).
        #[arg(required = true)]
        n: Vec<String>,
    },
    /// Estimate pi with DARTS random darts (the book's ch. 9 Monte Carlo), with its standard error.
    PiEstimate {
        /// Number of darts, e.g. 1e8.
        darts: String,
        /// Seed of the random streams.
        #[arg(long, default_value = "0")]
        seed: String,
        /// Darts per chunk (each chunk has its own stream; part of the input, not of the threads).
        #[arg(long, default_value = "65536")]
        chunk: String,
    },
}

pub(crate) fn run(cmd: Cmd, global: &Global) -> Result<Output, CliError> {
    let Cmd::Primes { cmd } = cmd;
    let backend = global.compute_backend()?;
    match cmd {
        Sub::Count { bounds, segment_bytes } => count(&bounds, segment_bytes, backend, global),
        Sub::List { bounds } => list(&bounds, backend, global),
        Sub::Nth { k } => {
            let k = parse_u64(&k, "K")?;
            let t = Instant::now();
            let p = NthPrime::new(k).backend(backend).run().map_err(lib_error)?;
            let secs = t.elapsed().as_secs_f64();
            Ok(Output::report(
                json!({"k": k, "prime": p, "elapsed_s": secs, "threads": global.threads()}),
                p.to_string(),
            ))
        }
        Sub::IsPrime { n } => {
            let mut rows = Vec::new();
            let mut text = String::new();
            for s in &n {
                let v = parse_u128(s, "N")?;
                let prime = primes::is_prime_u128(v);
                rows.push(json!({"n": v.to_string(), "prime": prime}));
                text.push_str(&format!("{v}: {}\n", if prime { "prime" } else { "not prime" }));
            }
            Ok(Output::report(json!({"results": rows}), text))
        }
        Sub::Factor { n } => {
            let mut rows = Vec::new();
            let mut text = String::new();
            for s in &n {
                let v = parse_u64(s, "N")?;
                let f = primes::factorize(v);
                let flat: Vec<String> =
                    f.iter().flat_map(|&(p, e)| std::iter::repeat_n(p.to_string(), e as usize)).collect();
                rows.push(json!({"n": v, "factors": f.iter().map(|&(p, e)| json!([p, e])).collect::<Vec<_>>()}));
                text.push_str(&format!("{v}:{}{}\n", if flat.is_empty() { "" } else { " " }, flat.join(" ")));
            }
            Ok(Output::report(json!({"results": rows}), text))
        }
        Sub::PiEstimate { darts, seed, chunk } => {
            let darts = parse_u64(&darts, "DARTS")?;
            let seed = parse_u64(&seed, "--seed")?;
            let chunk = parse_u64(&chunk, "--chunk")?;
            let t = Instant::now();
            let est = MonteCarloPi::new(darts).seed(seed).chunk(chunk).backend(backend).run().map_err(lib_error)?;
            let secs = t.elapsed().as_secs_f64();
            let text = format!(
                "pi ~ {:.6} ± {:.6} (standard error; {} of {} darts inside, {:.3} s)",
                est.estimate(),
                est.std_error(),
                est.hits,
                est.darts,
                secs
            );
            Ok(Output::report(
                json!({"darts": darts, "seed": seed, "chunk": chunk, "hits": est.hits, "estimate": est.estimate(),
                       "std_error": est.std_error(), "elapsed_s": secs, "threads": global.threads(),
                       "backend": backend.name()}),
                text,
            ))
        }
    }
}

/// `[START] STOP` as an inclusive pair.
fn range(bounds: &[String]) -> Result<(u64, u64), CliError> {
    let (start, stop) = match bounds {
        [stop] => (0, parse_u64(stop, "STOP")?),
        [start, stop] => (parse_u64(start, "START")?, parse_u64(stop, "STOP")?),
        _ => return Err(CliError::usage("expected [START] STOP")),
    };
    if start > stop {
        return Err(CliError::usage(format!("START {start} is greater than STOP {stop}")));
    }
    Ok((start, stop))
}

fn count(bounds: &[String], segment: Option<usize>, backend: Backend, global: &Global) -> Result<Output, CliError> {
    let (start, stop) = range(bounds)?;
    let sieve = |lo: u64, hi: u64| {
        let mut s = Sieve::new(lo..=hi).map_err(lib_error)?.backend(backend);
        if let Some(b) = segment {
            s = s.segment_bytes(b);
        }
        s.count().map_err(lib_error)
    };
    let t = Instant::now();
    // Wide ranges go in pieces of at least 2^30 numbers so a progress bar can move.
    let width = stop - start;
    let pieces = (width >> 30).clamp(1, 100);
    let step = width / pieces;
    let mut progress = Progress::new(pieces, "counting primes");
    let mut total = 0;
    let mut lo = start;
    for i in 0..pieces {
        let hi = if i + 1 == pieces { stop } else { lo + step - 1 };
        total += sieve(lo, hi)?;
        progress.inc(1);
        lo = hi.wrapping_add(1);
    }
    progress.finish();
    let secs = t.elapsed().as_secs_f64();
    Ok(Output::report(
        json!({"start": start, "stop": stop, "count": total, "elapsed_s": secs, "threads": global.threads(),
               "backend": backend.name()}),
        format!("{total}\nSeconds: {secs:.3}"),
    ))
}

fn list(bounds: &[String], backend: Backend, global: &Global) -> Result<Output, CliError> {
    let (start, stop) = range(bounds)?;
    let sieve = Sieve::new(start..=stop).map_err(lib_error)?.backend(backend);
    if global.json {
        let t = Instant::now();
        let all = sieve.collect().map_err(lib_error)?;
        let secs = t.elapsed().as_secs_f64();
        return Ok(Output::report(
            json!({"start": start, "stop": stop, "count": all.len(), "primes": all, "elapsed_s": secs,
                   "threads": global.threads()}),
            String::new(),
        ));
    }
    // Text: stream segment by segment, so any range can be listed in constant memory.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = None;
    sieve
        .for_each_segment(|_, ps| {
            for p in ps {
                if failed.is_none() {
                    failed = writeln!(out, "{p}").err();
                }
            }
        })
        .map_err(lib_error)?;
    let flushed = out.flush();
    match failed.map_or(flushed, Err) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Output::Done(0)),
        Err(e) => Err(CliError::runtime(format!("writing stdout: {e}"))),
        Ok(()) => Ok(Output::Done(0)),
    }
}

/// Library errors come from the arguments (range, sizes, backend): usage errors, exit 2.
fn lib_error(e: primes::Error) -> CliError {
    CliError::usage(e.to_string())
}

fn parse_u64(s: &str, what: &str) -> Result<u64, CliError> {
    let v = parse_u128(s, what)?;
    u64::try_from(v).map_err(|_| CliError::usage(format!("{what}: `{s}` is above u64::MAX (2^64-1)")))
}

/// An integer as `123`, `1e10`, `1.5e9`, `2^32`, `10**9`, or a sum/difference of such terms
/// (`2^64-59`); the value must be a whole number below 2^128.
fn parse_u128(s: &str, what: &str) -> Result<u128, CliError> {
    let bad = |why: &str| CliError::usage(format!("{what}: cannot read `{s}` as a number ({why})"));
    let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '_').collect::<String>().replace("**", "^");
    if t.is_empty() {
        return Err(bad("empty"));
    }
    // Split into signed terms at + and - (never right after an exponent marker `e`).
    let mut terms: Vec<(bool, String)> = Vec::new();
    let mut cur = String::new();
    let mut neg = false;
    for (i, c) in t.chars().enumerate() {
        let after_e = cur.ends_with(['e', 'E']);
        if (c == '+' || c == '-') && !after_e {
            if i == 0 && c == '+' {
                continue;
            }
            if cur.is_empty() {
                return Err(bad("a sign without a number"));
            }
            terms.push((neg, std::mem::take(&mut cur)));
            neg = c == '-';
        } else {
            cur.push(c);
        }
    }
    terms.push((neg, cur));
    let mut total: i128 = 0;
    for (neg, term) in &terms {
        let v = term_value(term).ok_or_else(|| bad("use digits, 1e10, 2^32 or sums like 2^64-59"))?;
        let v = i128::try_from(v).map_err(|_| bad("too large"))?;
        total = if *neg { total.checked_sub(v) } else { total.checked_add(v) }.ok_or_else(|| bad("too large"))?;
    }
    u128::try_from(total).map_err(|_| bad("negative"))
}

/// One term: digits, `A^B`, or `MeE` (mantissa with optional fraction; the value must be whole).
fn term_value(t: &str) -> Option<u128> {
    if let Some((b, e)) = t.split_once('^') {
        let (b, e) = (b.parse::<u128>().ok()?, e.parse::<u32>().ok()?);
        return b.checked_pow(e);
    }
    if let Some((m, e)) = t.split_once(['e', 'E']) {
        let e: i32 = e.strip_prefix('+').unwrap_or(e).parse().ok()?;
        let (int, frac) = m.split_once('.').unwrap_or((m, ""));
        if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let digits: u128 = format!("{int}{frac}").parse().ok()?;
        let shift = e - frac.len() as i32;
        if shift >= 0 {
            return digits.checked_mul(10u128.checked_pow(shift as u32)?);
        }
        let div = 10u128.checked_pow((-shift) as u32)?;
        return digits.is_multiple_of(div).then_some(digits / div);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_notation() {
        let ok = |s: &str| parse_u128(s, "N").unwrap();
        assert_eq!(ok("1e10"), 10_000_000_000);
        assert_eq!(ok("2^32"), 1 << 32);
        assert_eq!(ok("10**9"), 1_000_000_000);
        assert_eq!(ok("1.5e3"), 1500);
        assert_eq!(ok("2^64-59"), (1 << 64) - 59);
        assert_eq!(ok("1e8+1e4"), 100_010_000);
        assert_eq!(ok("1_000"), 1000);
        for bad in ["", "x", "1.5", "1e", "2^", "-5", "1.25e1", "2^200", "--1", "1e-3"] {
            assert!(parse_u128(bad, "N").is_err(), "{bad}");
        }
        assert!(parse_u64("2^64", "N").is_err());
        assert_eq!(parse_u64("2^64-1", "N").unwrap(), u64::MAX);
    }
}
