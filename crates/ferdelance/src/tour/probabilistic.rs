//! Tour section: chapter 11's table of sketches (Table 11-3) redone on a generated token
//! stream, and the sketches' bulk builds on every compiled backend.

use std::collections::HashSet;
use std::time::Instant;

use ferdelance::probabilistic::{
    self as prob, BloomFilter, Cardinality, HashKind, HyperLogLog, HyperLogLogPlus, Kmv, LogLog, MorrisCounter,
    ScalableBloomFilter, Sketch, SplitBlockBloom, SuperLogLog, Xoshiro256,
    text::{self, Units},
};

use super::{Row, Tour, fmt_secs};
use crate::cli::CliError;

/// A deterministic text: `tokens` words drawn log-uniformly (Zipf-like) from `vocab` ids,
/// ten to a line.
fn corpus(tokens: usize, vocab: f64) -> Vec<u8> {
    let mut rng = Xoshiro256::new(11);
    let mut out = Vec::with_capacity(tokens * 9);
    for i in 0..tokens {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let id = vocab.powf(u) as u64;
        out.extend_from_slice(format!("w{id:x}").as_bytes());
        out.push(if i % 10 == 9 { b'\n' } else { b' ' });
    }
    out
}

fn err(e: prob::Error) -> CliError {
    CliError::runtime(e.to_string())
}

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    tour.heading("probabilistic: counting distinct tokens in kilobytes", "ch. 11");
    let (tokens, vocab) = if tour.quick { (200_000, 2e5) } else { (4_000_000, 5e6) };
    let text = corpus(tokens, vocab);
    let mut exact = HashSet::new();
    let t = Instant::now();
    let n_tokens = text::for_each_unit(&text, Units::Tokens, |w| {
        exact.insert(w.to_vec());
    });
    let exact_time = t.elapsed();
    let truth = exact.len() as f64;
    tour.note(&format!(
        "  corpus: {} MB generated, {n_tokens} tokens, {} distinct (log-uniform over {vocab:.0e} ids)",
        text.len() / 1_000_000,
        exact.len()
    ));
    tour.note(
        "  the book (Table 11-3, Wikipedia, 4,956,262 distinct): Morris 6.52% error, LogLog 8.76%, HLL -0.54% in\n  \
         40 KB, KMV 0.88% in 256 KB, scaling Bloom 0.14% in 11.5 MB; 751 s to 10,392 s in Python (~3 us/token)",
    );

    // Table 11-3 redone: every structure over the same tokens (the Simd/Auto single-thread build).
    let mut table = Vec::new();
    let mut push = |name: &str, est: f64, truth: f64, secs: f64, bytes: usize| {
        table.push(vec![
            name.to_string(),
            format!("{est:.0}"),
            format!("{:+.2}%", (truth - est) / truth * 100.0),
            fmt_secs(secs),
            format!("{:.1} ns", secs * 1e9 / n_tokens as f64),
            format!("{:.1} KB", bytes as f64 / 1e3),
        ]);
    };
    let mut m = MorrisCounter::new(1);
    let t = Instant::now();
    text::for_each_unit(&text, Units::Tokens, |_| m.add());
    push("Morris (all tokens)", m.estimate(), n_tokens as f64, t.elapsed().as_secs_f64(), 1);

    let mut checks = Vec::new();
    macro_rules! row {
        ($name:expr, $sketch:expr, $sigmas:expr, $fp:expr) => {{
            let mut s = $sketch;
            let t = Instant::now();
            text::extend_text(&mut s, &text, Units::Tokens, prob::Backend::Simd.min_compiled()).map_err(err)?;
            let secs = t.elapsed().as_secs_f64();
            let est = s.estimate();
            push($name, est, truth, secs, s.heap_bytes());
            checks.push((
                format!(
                    "{} within {} sigma{} ({:.2}%)",
                    $name,
                    $sigmas,
                    if $fp > 0.0 { " + its fp rate (false positives are never counted)" } else { "" },
                    ($sigmas * s.relative_error() + $fp) * 100.0
                ),
                (est - truth).abs() <= ($sigmas * s.relative_error() + $fp) * truth + 1.0,
            ));
        }};
    }
    row!("LogLog p=14", LogLog::new(14).map_err(err)?, 3.0, 0.0);
    row!("SuperLogLog p=14", SuperLogLog::new(14).map_err(err)?, 3.0, 0.0);
    row!("HyperLogLog p=14", HyperLogLog::new(14).map_err(err)?, 3.0, 0.0);
    row!("HyperLogLog++ p=14", HyperLogLogPlus::new(14).map_err(err)?, 3.0, 0.0);
    row!("KMV k=4096", Kmv::new(4096).map_err(err)?, 3.0, 0.0);
    row!("Bloom (sized for truth, 0.5%)", BloomFilter::new(exact.len() as u64, 0.005).map_err(err)?, 4.0, 0.0);
    row!("scalable Bloom (from 64k, 0.5%)", ScalableBloomFilter::new(1 << 16, 0.005).map_err(err)?, 4.0, 0.005);
    row!("split-block Bloom (truth, 0.5%)", SplitBlockBloom::new(exact.len() as u64, 0.005).map_err(err)?, 4.0, 0.0);
    let exact_bytes = exact.iter().map(|w| w.len() + 24).sum::<usize>() + exact.capacity() * 24;
    push("exact HashSet", truth, truth, exact_time.as_secs_f64(), exact_bytes);
    tour.table(
        "Table 11-3 redone: distinct tokens (rel. error = (true - est) / true; time and ns/token include hashing)",
        &["structure", "estimate", "rel. error", "time", "per token", "memory"],
        &table,
    );
    for (what, ok) in checks {
        tour.check(&what, ok);
    }

    // Backends: the bulk build of an HLL and a split-block filter's batched probes.
    let mut rows = Vec::new();
    let mut serial_regs = None;
    for b in tour.backends() {
        let (h, time) = tour.time(|| {
            let mut h = HyperLogLog::new(14).map_err(err)?;
            text::extend_text(&mut h, &text, Units::Tokens, b).map_err(err)?;
            Ok::<_, CliError>(h)
        });
        let h = h?;
        let regs = h.registers().to_vec();
        let same = serial_regs.get_or_insert_with(|| regs.clone()) == &regs;
        let ok = same && (h.estimate() - truth).abs() <= 3.0 * h.relative_error() * truth;
        rows.push(Row {
            experiment: "HLL p=14 over the tokens".into(),
            backend: b,
            time,
            work: Some((n_tokens as f64, "tokens")),
            oracle: ok,
        });
    }
    let cap = exact.len() as u64;
    let mut f = SplitBlockBloom::new(cap, 0.01).map_err(err)?;
    let hashes: Vec<u64> = (0..cap * 2).map(|i| HashKind::default().hash_u64(i)).collect();
    for h in &hashes[..cap as usize] {
        f.insert_hash(*h);
    }
    let mut reference = None;
    for b in tour.backends() {
        let mut out = vec![false; hashes.len()];
        let (r, time) = tour.time(|| f.contains_many(&hashes, &mut out, b));
        r.map_err(err)?;
        let fp = out[cap as usize..].iter().filter(|&&x| x).count() as f64 / cap as f64;
        let same = reference.get_or_insert_with(|| out.clone()) == &out;
        rows.push(Row {
            experiment: format!("split-block Bloom probes (fp {:.3}%)", fp * 100.0),
            backend: b,
            time,
            work: Some((hashes.len() as f64, "probes")),
            oracle: same && out[..cap as usize].iter().all(|&x| x) && fp < 0.015,
        });
    }
    let mut a = HyperLogLog::new(16).map_err(err)?;
    for h in &hashes {
        a.insert_hash(*h);
    }
    let other = {
        let mut o = HyperLogLog::new(16).map_err(err)?;
        for h in &hashes {
            o.insert_hash(h.rotate_left(7));
        }
        o
    };
    let mut merged_ref = None;
    for b in tour.backends() {
        let (m, time) = tour.time(|| {
            let mut m = a.clone();
            m.merge_with(&other, b).map(|_| m)
        });
        let m = m.map_err(err)?;
        let same = merged_ref.get_or_insert_with(|| m.clone()) == &m;
        rows.push(Row {
            experiment: "HLL p=16 merge (65,536 registers)".into(),
            backend: b,
            time,
            work: Some((65_536.0, "registers")),
            oracle: same,
        });
    }
    tour.rows("sketches on every backend (identical registers, bits and answers required)", &rows);
    Ok(())
}

/// `Simd` when compiled, else `Scalar`: the single-thread build used for Table 11-3.
trait MinCompiled {
    fn min_compiled(self) -> prob::Backend;
}

impl MinCompiled for prob::Backend {
    fn min_compiled(self) -> prob::Backend {
        if prob::BACKENDS.contains(&self) { self } else { prob::Backend::Scalar }
    }
}
