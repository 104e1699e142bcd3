//! Criterion benches for `probabilistic`: bulk inserts (`probabilistic/{sketch}_extend/{backend}/{n}`),
//! HyperLogLog merge and estimate, Bloom and split-block Bloom queries, and distinct tokens of a
//! text, on every compiled backend.
//!
//! Each bench checks its result first (estimates within their error bounds, backends
//! identical), so `cargo test --benches` is a correctness test.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferdelance::probabilistic::{
    BACKENDS, Backend, BloomFilter, Cardinality, HashKind, HyperLogLog, Kmv, Sketch, SplitBlockBloom,
    text::{self, Units},
};
use std::hint::black_box;

const N: u64 = 1_000_000;

fn keys(n: u64) -> Vec<[u8; 8]> {
    (0..n).map(u64::to_le_bytes).collect()
}

fn within(est: f64, truth: f64, rel_sigma: f64) -> bool {
    (est - truth).abs() <= 4.0 * rel_sigma * truth + 1.0
}

fn extend(c: &mut Criterion) {
    let mut g = c.benchmark_group("probabilistic");
    g.sample_size(10);
    let items = keys(N);
    g.throughput(Throughput::Elements(N));
    let mut reference = None;
    for &b in BACKENDS {
        let mut h = HyperLogLog::new(14).unwrap();
        h.extend_with(&items, b).unwrap();
        assert!(within(h.estimate(), N as f64, h.relative_error()), "{b}");
        assert_eq!(reference.get_or_insert_with(|| h.registers().to_vec()), h.registers());
        g.bench_function(format!("hll_extend/{b}/1e6"), |bench| {
            bench.iter(|| {
                let mut h = HyperLogLog::new(14).unwrap();
                h.extend_with(black_box(&items), b).unwrap();
                h
            })
        });
        let mut k = Kmv::new(1024).unwrap();
        k.extend_with(&items, b).unwrap();
        assert!(within(k.estimate(), N as f64, k.relative_error()), "{b}");
        g.bench_function(format!("kmv_extend/{b}/1e6"), |bench| {
            bench.iter(|| {
                let mut k = Kmv::new(1024).unwrap();
                k.extend_with(black_box(&items), b).unwrap();
                k
            })
        });
    }
    // One insert at a time (the per-item cost peers are compared on).
    let hashes: Vec<u64> = (0..N).map(|i| HashKind::default().hash_u64(i)).collect();
    g.bench_function("hll_insert/auto/1e6", |bench| {
        bench.iter(|| {
            let mut h = HyperLogLog::new(14).unwrap();
            for i in black_box(&items) {
                h.insert(i);
            }
            h
        })
    });
    g.bench_function("hll_insert_hash/auto/1e6", |bench| {
        bench.iter(|| {
            let mut h = HyperLogLog::new(14).unwrap();
            for &x in black_box(&hashes) {
                h.insert_hash(x);
            }
            h
        })
    });
    g.finish();
}

fn merge_estimate(c: &mut Criterion) {
    let mut g = c.benchmark_group("probabilistic");
    let mut a = HyperLogLog::new(16).unwrap();
    let mut o = HyperLogLog::new(16).unwrap();
    for i in 0..200_000u64 {
        a.insert(i.to_le_bytes());
        o.insert((i + 100_000).to_le_bytes());
    }
    g.throughput(Throughput::Elements(1 << 16));
    let mut want = None;
    for &b in BACKENDS {
        let mut m = a.clone();
        m.merge_with(&o, b).unwrap();
        assert_eq!(want.get_or_insert_with(|| m.clone()), &m, "{b}");
        assert!(within(m.estimate(), 300_000.0, m.relative_error()));
        g.bench_function(format!("hll_merge/{b}/p16"), |bench| {
            bench.iter(|| {
                let mut m = a.clone();
                m.merge_with(black_box(&o), b).unwrap();
                m
            })
        });
    }
    g.bench_function("hll_estimate/auto/p16", |bench| bench.iter(|| black_box(&a).estimate()));
    g.finish();
}

fn bloom(c: &mut Criterion) {
    let mut g = c.benchmark_group("probabilistic");
    g.sample_size(10);
    let hashes: Vec<u64> = (0..2 * N).map(|i| HashKind::default().hash_u64(i)).collect();
    let mut f = BloomFilter::new(N, 0.01).unwrap();
    let mut s = SplitBlockBloom::new(N, 0.01).unwrap();
    for &h in &hashes[..N as usize] {
        f.insert_hash(h);
        s.insert_hash(h);
    }
    let fp = hashes[N as usize..].iter().filter(|&&h| f.contains_hash(h)).count() as f64 / N as f64;
    assert!(fp < 0.015, "{fp}");
    g.throughput(Throughput::Elements(2 * N));
    g.bench_function("bloom_query/auto/1e6", |bench| {
        bench.iter(|| black_box(&hashes).iter().filter(|&&h| f.contains_hash(h)).count())
    });
    let mut want = None;
    for &b in BACKENDS {
        let mut out = vec![false; hashes.len()];
        s.contains_many(&hashes, &mut out, b).unwrap();
        assert!(out[..N as usize].iter().all(|&x| x));
        assert_eq!(want.get_or_insert_with(|| out.clone()), &out, "{b}");
        g.bench_function(format!("split_block_query/{b}/1e6"), |bench| {
            bench.iter(|| s.contains_many(black_box(&hashes), &mut out, b).unwrap())
        });
    }
    g.finish();
}

fn tokens(c: &mut Criterion) {
    let mut g = c.benchmark_group("probabilistic");
    g.sample_size(10);
    let mut body = Vec::new();
    for i in 0..1_000_000u64 {
        body.extend_from_slice(format!("tok{} ", (i * 7919) % 300_000).as_bytes());
        if i % 12 == 11 {
            body.push(b'\n');
        }
    }
    g.throughput(Throughput::Bytes(body.len() as u64));
    for &b in BACKENDS {
        let mut h = HyperLogLog::new(14).unwrap();
        assert_eq!(text::extend_text(&mut h, &body, Units::Tokens, b).unwrap(), 1_000_000);
        assert!(within(h.estimate(), 300_000.0, h.relative_error()), "{b}");
        g.bench_function(format!("tokens_hll/{b}/8MB"), |bench| {
            bench.iter(|| {
                let mut h = HyperLogLog::new(14).unwrap();
                text::extend_text(&mut h, black_box(&body), Units::Tokens, b).unwrap()
            })
        });
    }
    let _ = Backend::Auto;
    g.finish();
}

criterion_group!(group, extend, merge_estimate, bloom, tokens);
criterion_main!(group);
