//! Tour section: `compact_text`, chapter 11's 8.5-million-token experiment (RAM per token,
//! build time, lookup time per container) and chapter 12's keyword matcher (a hashed-window prefilter).
//!
//! The book's Wikipedia tokens cannot be fetched, so a seeded synthetic corpus stands in
//! (syllables and affixes, capitals, numbers, URLs, punctuation, non-ASCII; ~10 B/token), and
//! the token count is scaled down to 1 million (100 thousand with `--quick`) so the section
//! stays within ~25 s on two cores.

use std::collections::{BTreeSet, HashSet};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ferdelance::Backend;
use ferdelance::compact_text::{self as ct, Builder, Matcher, Pattern, StoreKind, TokenSet, corpus};

use super::{Row, Tour, fmt_secs};
use crate::cli::CliError;

/// hashbrown's table for `cap` items of `slot` bytes (buckets × (slot + 1 control byte) + 16).
fn hash_table_bytes(cap: usize, slot: usize) -> usize {
    let buckets = match cap {
        0 => return 0,
        1..=7 => (cap + 1).next_power_of_two(),
        _ => (cap * 8 / 7).next_power_of_two(),
    };
    buckets * (slot + 1) + 16
}

fn string_bytes(v: &[String]) -> usize {
    v.iter().map(String::capacity).sum()
}

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    tour.heading("compact_text: millions of tokens in little RAM", "ch. 11, ch. 12");
    let n = if tour.quick { 100_000 } else { 1_000_000 };
    let t = Instant::now();
    let vocab = corpus::unique_tokens(n, 2014);
    let raw: usize = vocab.iter().map(String::len).sum();
    tour.note(&format!(
        "  corpus: {n} distinct synthetic tokens (the book: 8,545,076 Wikipedia tokens; scaled down to keep the\n  \
         section short), {:.1} B/token of text, generated in {}",
        raw as f64 / n as f64,
        fmt_secs(t.elapsed().as_secs_f64())
    ));
    // Probes: Zipf-drawn hits plus misses (tokens from another seed), like looking up words of a text.
    let mut rng = corpus::Rng::new(7);
    let others = corpus::unique_tokens(n / 10, 99);
    let mut probes: Vec<&str> = Vec::with_capacity(n / 2);
    for i in 0..n / 2 {
        probes.push(if i % 5 == 4 { &others[rng.below(others.len())] } else { &vocab[rng.zipf(n)] });
    }
    let reference: HashSet<&str> = vocab.iter().map(String::as_str).collect();
    let want_hits = probes.iter().filter(|p| reference.contains(*p)).count();
    drop(reference);

    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut add = |name: &str, bytes: usize, build: Duration, lookup: Duration, hits: usize| {
        rows.push(vec![
            name.to_string(),
            format!("{:.1}", bytes as f64 / n as f64),
            format!("{:.1}", bytes as f64 / (1 << 20) as f64),
            fmt_secs(build.as_secs_f64()),
            format!("{:.0} ns", lookup.as_secs_f64() * 1e9 / probes.len() as f64),
            if hits == want_hits { "✓" } else { "✗" }.to_string(),
        ]);
        hits == want_hits
    };
    let mut ok = true;
    let lookups = |f: &dyn Fn(&str) -> bool| {
        let t = Instant::now();
        let hits = probes.iter().filter(|p| f(p)).count();
        (t.elapsed(), hits)
    };

    // Vec<String> sorted + binary search (the book's sorted list + bisect).
    let t = Instant::now();
    let mut sorted: Vec<String> = vocab.clone();
    sorted.sort_unstable();
    let build = t.elapsed();
    let (lk, hits) = lookups(&|p| sorted.binary_search_by(|s| s.as_str().cmp(p)).is_ok());
    ok &= add("Vec<String> sorted + bisect", sorted.capacity() * 24 + string_bytes(&sorted), build, lk, hits);
    drop(sorted);

    let t = Instant::now();
    let set: HashSet<String> = vocab.iter().cloned().collect();
    let build = t.elapsed();
    let (lk, hits) = lookups(&|p| set.contains(p));
    let hash_bytes = hash_table_bytes(set.capacity(), 24) + set.iter().map(String::capacity).sum::<usize>();
    ok &= add("HashSet<String> (std)", hash_bytes, build, lk, hits);
    drop(set);

    let t = Instant::now();
    let bt: BTreeSet<String> = vocab.iter().cloned().collect();
    let build = t.elapsed();
    let (lk, hits) = lookups(&|p| bt.contains(p));
    // Nodes hold 11 keys (leaf 280 B, internal 376 B); estimate at ~2/3 fill from random inserts.
    let leaves = n * 3 / (11 * 2) + 1;
    let bt_bytes = leaves * 280 + (leaves / 8 + 1) * 376 + bt.iter().map(String::capacity).sum::<usize>();
    ok &= add("BTreeSet<String> (est. nodes)", bt_bytes, build, lk, hits);
    drop(bt);

    let mut smallest = (usize::MAX, "");
    for &kind in StoreKind::ALL {
        let t = Instant::now();
        let store = Builder::new(kind).build(&vocab).map_err(|e| CliError::runtime(e.to_string()))?;
        let build = t.elapsed();
        let (lk, hits) = lookups(&|p| store.contains(p.as_bytes()));
        let bytes = store.heap_bytes();
        if bytes < smallest.0 {
            smallest = (bytes, kind.name());
        }
        ok &= add(&format!("compact_text {kind}"), bytes, build, lk, hits);
    }
    tour.table(
        &format!("RAM per token, build, lookup ({} probes, 80% hits drawn Zipf-like)", probes.len()),
        &["container", "B/token", "MiB", "build", "lookup/probe", "oracle"],
        &rows,
    );
    tour.note(&format!(
        "  book (8.5M tokens, CPython 2.7, whole-process RAM): set 137 B/token, sorted list 113, DAWG 118,\n  \
         Marisa trie 36, HAT trie 30. Smallest here: {} at {:.1} B/token (raw text {:.1} B/token).\n  \
         Build is one run (sort + dedup + store) on Backend::Auto; lookups are one pass over the probes.",
        smallest.1,
        smallest.0 as f64 / n as f64,
        raw as f64 / n as f64
    ));
    tour.check("every container finds exactly the reference's hits", ok);

    // Backends: sort/dedup + FST build, and the tokenizer.
    let mut brs = Vec::new();
    // A fifth of the corpus here: each backend's build is timed three times.
    let part = &vocab[..n / 5];
    let want = Builder::new(StoreKind::Fst).backend(Backend::Scalar).build(part).map_err(rt)?.to_bytes();
    for b in tour.backends() {
        let (bytes, time) = tour.time(|| Builder::new(StoreKind::Fst).backend(b).build(part).map(|s| s.to_bytes()));
        let same = bytes.map(|x| x == want).unwrap_or(false);
        brs.push(Row {
            experiment: format!("build fst, {} tokens", part.len()),
            backend: b,
            time,
            work: Some((part.len() as f64, "tokens")),
            oracle: same,
        });
    }
    let text = corpus::zipf_text(&vocab, if tour.quick { 300_000 } else { 2_000_000 }, 5);
    let spans = ct::token_spans(text.as_bytes(), Backend::Scalar).map_err(rt)?;
    for b in tour.backends() {
        let (got, time) = tour.time(|| ct::token_spans(text.as_bytes(), b));
        let same = got.map(|g| g == spans).unwrap_or(false);
        brs.push(Row {
            experiment: "tokenize (book whitespace)".into(),
            backend: b,
            time,
            work: Some((text.len() as f64, "B")),
            oracle: same,
        });
    }
    tour.rows("compute backends (identical bytes and spans on every backend)", &brs);

    // Chapter 12: 1,000 keyword patterns over a text in one pass (the hashed-window prefilter).
    let patterns: Vec<Pattern> = (0..1000).map(|i| Pattern::literal(&vocab[(i * 7919) % n])).collect();
    let matcher = Arc::new(Matcher::new(patterns.clone()).map_err(rt)?);
    let found = matcher.find_all_on(text.as_bytes(), Backend::Scalar).map_err(rt)?;
    let mut match_rows = Vec::new();
    let mut same_everywhere = true;
    for b in tour.backends() {
        let (got, time) = tour.time(|| matcher.find_all_on(text.as_bytes(), b));
        same_everywhere &= got.map(|g| g == found).unwrap_or(false);
        match_rows.push(vec![
            b.to_string(),
            format!("{:.1} MB", text.len() as f64 / 1e6),
            found.len().to_string(),
            fmt_secs(time.as_secs_f64()),
            format!("{:.0} MB/s", text.len() as f64 / time.as_secs_f64() / 1e6),
        ]);
    }
    let mut stream = matcher.stream();
    let mut streamed = Vec::new();
    for c in text.as_bytes().chunks(64 << 10) {
        stream.feed(c, &mut streamed);
    }
    stream.finish(&mut streamed);
    // Naive check on a prefix: every pattern at every position.
    let head = &text.as_bytes()[..text.len().min(200_000)];
    let mut naive = Vec::new();
    for s in 0..head.len() {
        for (pid, p) in patterns.iter().enumerate() {
            if head[s..].starts_with(p.keyword()) {
                naive.push(ct::Match { start: s, pattern: pid, end: s + p.keyword().len() });
            }
        }
    }
    let in_head: Vec<ct::Match> = found.iter().copied().filter(|m| m.end <= head.len()).collect();
    let naive_in_head: Vec<ct::Match> = naive.into_iter().filter(|m| m.end <= head.len()).collect();
    tour.table(
        "multi-pattern matching (1,000 literal keywords, sampled hashed-window prefilter)",
        &["backend", "text", "matches", "time", "throughput"],
        &match_rows,
    );
    tour.check("same matches on every backend", same_everywhere);
    tour.check("matches in 64 KiB chunks == whole text", streamed == found);
    tour.check("matcher == naive every-pattern-at-every-position scan (first 200 kB)", in_head == naive_in_head);
    black_box(&found);
    Ok(())
}

fn rt(e: ct::Error) -> CliError {
    CliError::runtime(e.to_string())
}
