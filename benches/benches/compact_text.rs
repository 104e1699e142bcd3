//! Criterion benches for `compact_text`: store build per compute backend, `contains` per
//! store, the tokenizer per backend, and 1,000-pattern matching. Each bench asserts its
//! result first, so `cargo test --benches` checks them.
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferdelance::compact_text::{self as ct, BACKENDS, Builder, Matcher, Pattern, StoreKind, TokenSet, corpus};

const N: usize = 100_000;

fn benches(c: &mut Criterion) {
    let vocab = corpus::unique_tokens(N, 2014);
    let mut rng = corpus::Rng::new(7);
    let probes: Vec<&[u8]> = (0..10_000).map(|_| vocab[rng.zipf(N)].as_bytes()).collect();

    let want = Builder::new(StoreKind::Fst).backend(ct::Backend::Scalar).build(&vocab).unwrap().to_bytes();
    let mut g = c.benchmark_group("compact-text/build");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));
    for &b in BACKENDS {
        assert_eq!(Builder::new(StoreKind::Fst).backend(b).build(&vocab).unwrap().to_bytes(), want);
        g.bench_function(format!("{b}/{N}"), |bch| {
            bch.iter(|| Builder::new(StoreKind::Fst).backend(b).build(black_box(&vocab)).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("compact-text/contains");
    g.throughput(Throughput::Elements(probes.len() as u64));
    for &kind in StoreKind::ALL {
        let store = Builder::new(kind).build(&vocab).unwrap();
        assert!(probes.iter().all(|p| store.contains(p)), "{kind}");
        assert!(!store.contains(b"\xff not a token"));
        g.bench_function(format!("{kind}/{N}"), |bch| {
            bch.iter(|| probes.iter().filter(|p| store.contains(black_box(p))).count())
        });
    }
    let std_set: std::collections::HashSet<&str> = vocab.iter().map(String::as_str).collect();
    let str_probes: Vec<&str> = probes.iter().map(|p| std::str::from_utf8(p).unwrap()).collect();
    g.bench_function(format!("std-hashset/{N}"), |bch| {
        bch.iter(|| str_probes.iter().filter(|p| std_set.contains(black_box(*p))).count())
    });
    g.finish();

    let text = corpus::zipf_text(&vocab, 200_000, 5);
    let spans = ct::token_spans(text.as_bytes(), ct::Backend::Scalar).unwrap();
    assert_eq!(spans.len(), 200_000);
    let mut g = c.benchmark_group("compact-text/tokenize");
    g.throughput(Throughput::Bytes(text.len() as u64));
    for &b in BACKENDS {
        assert_eq!(ct::token_spans(text.as_bytes(), b).unwrap(), spans);
        g.bench_function(format!("{b}/{}", text.len()), |bch| {
            bch.iter(|| ct::token_spans(black_box(text.as_bytes()), b))
        });
    }
    g.finish();

    let patterns: Vec<Pattern> = (0..1000).map(|i| Pattern::literal(&vocab[(i * 7919) % N])).collect();
    let m = Arc::new(Matcher::new(patterns).unwrap());
    let found = m.find_all(text.as_bytes());
    let mut s = m.stream();
    let mut streamed = Vec::new();
    for chunk in text.as_bytes().chunks(4096) {
        s.feed(chunk, &mut streamed);
    }
    s.finish(&mut streamed);
    assert_eq!(streamed, found);
    let mut g = c.benchmark_group("compact-text/match");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function(format!("scalar/1000-patterns-{}", text.len()), |bch| {
        bch.iter(|| m.find_all(black_box(text.as_bytes())).len())
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
