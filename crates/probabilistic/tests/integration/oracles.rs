//! The spec's oracles and the book's bugs as regression tests.

use probabilistic::*;

use crate::naive;

#[test]
fn hash_vectors() {
    assert_eq!(murmur3_x86_32(b"foo", 0), 4_138_058_784);
    assert_eq!(murmur3_x86_32(b"foo", 0) as i32, -156_908_512);
    let (h1, h2) = murmur3_x64_128(b"foo", 0);
    assert_eq!(h1, 16_316_970_633_193_145_697);
    assert_eq!(h1 as i64, -2_129_773_440_516_405_919);
    assert_eq!(h2, 9_128_664_383_759_220_103);
    assert_eq!(HashKind::default().hash(b""), 0x2D06_8005_38D3_94C2);
    assert_eq!(HashKind::Murmur3 { seed: 0 }.hash(b"foo"), h1);
    // Canonical integer encoding: little-endian bytes.
    assert_eq!(HashKind::default().hash_u64(7), HashKind::default().hash(&7u64.to_le_bytes()));
    // Known MurmurHash3 x86_32 vectors (SMHasher).
    assert_eq!(murmur3_x86_32(b"", 0), 0);
    assert_eq!(murmur3_x86_32(b"", 1), 0x514E_28B7);
    assert_eq!(murmur3_x86_32(b"Hello, world!", 1234), 0xfaf6_cdb3);
}

#[test]
fn bloom_params_match_the_book() {
    assert_eq!(BloomFilter::params(50_000, 0.0005).unwrap(), (791_015, 11));
    assert_eq!(BloomFilter::params(100, 0.005).unwrap(), (1_103, 8));
    let (bits, _) = BloomFilter::params(100_000_000, 0.0005).unwrap();
    let mb = bits as f64 / 8.0 / 1e6;
    assert!((mb - 197.75).abs() < 0.01, "{mb}");
}

#[test]
fn hll_alpha_constants() {
    assert_eq!(hll_alpha(16), 0.673);
    assert_eq!(hll_alpha(32), 0.697);
    assert_eq!(hll_alpha(64), 0.709);
    assert_eq!(hll_alpha(1024), 0.7213 / (1.0 + 1.079 / 1024.0));
}

/// Bug 1: linear counting needs the natural log, not log2.
#[test]
fn bug1_linear_counting_uses_ln() {
    let ours = linear_counting(256.0, 172.0);
    assert!((ours - 101.8).abs() < 0.05, "{ours}");
    let book = 256.0 * (256.0f64 / 172.0).log2();
    assert!((book - 146.9).abs() < 0.05);
    // And the sketch uses it: 100 items in 256 registers come out near 100.
    let mut h = HyperLogLog::new(8).unwrap();
    for i in 0..100u64 {
        h.insert(i.to_le_bytes());
    }
    assert!((h.estimate() - 100.0).abs() < 10.0, "{}", h.estimate());
}

/// Bug 2 (rank = trailing zeros + 1; LogLog's own alpha) and bug 3 (index bits shifted out):
/// 200k items at p = 8 land within 3 sigma. The 0-indexed rank reads ~0.5x; reusing the index
/// bits pins the estimate near m = 256.
#[test]
fn bug2_bug3_rank_and_index() {
    let mut h = HyperLogLog::new(8).unwrap();
    for i in 0..200_000u64 {
        h.insert(i.to_le_bytes());
    }
    let rel = (h.estimate() - 200_000.0) / 200_000.0;
    assert!(rel.abs() < 3.0 * 0.065, "{rel}");
    // The registers are the naive ones (rank 1-based, from the bits above the index).
    let hashes = naive::hashes(HashKind::default(), &naive::items(0, 200_000));
    assert_eq!(h.registers(), naive::hll_registers(8, hashes));
    // LogLog's constant is alpha_inf = 0.39701, not HyperLogLog's ~0.72.
    let a = loglog_alpha(1.0);
    assert!((a - 0.39701).abs() < 0.0005, "{a}");
    let mut ll = LogLog::new(12).unwrap();
    for i in 0..400_000u64 {
        ll.insert(i.to_le_bytes());
    }
    let rel = (ll.estimate() - 400_000.0) / 400_000.0;
    assert!(rel.abs() < 3.0 * 1.30 / 64.0, "LogLog {rel}");
}

/// Bug 4: the rank is capped at 64 - p + 1 (a zero hash) and there is no 2^32 correction.
#[test]
fn bug4_rank_cap_and_no_32bit_correction() {
    for p in [4u8, 10, 18] {
        let mut h = HyperLogLog::new(p).unwrap();
        h.insert_hash(0);
        assert_eq!(h.registers()[0], 64 - p + 1);
        // And it survives a round trip (the decoder accepts the largest rank).
        assert_eq!(HyperLogLog::from_bytes(&h.to_bytes()).unwrap(), h);
    }
    // Far above 2^32 / 30 the estimate is the raw one, not -2^32 ln(1 - E / 2^32) (NaN there).
    let mut h = HyperLogLog::new(4).unwrap();
    for i in 0..16 {
        h.insert_hash(i | (1 << 40)); // every register at rank 41 - 4 = 37
    }
    let e = h.estimate();
    assert!(e.is_finite() && e > 1e11, "{e}");
}

/// Bug 5: Morris reports 2^c - 1; KMV uses the k-th minimum; the scalable filter starts at
/// p0 = P (1 - r).
#[test]
fn bug5_morris_kmv_scalable() {
    let mut c = MorrisCounter::new(1);
    assert_eq!(c.estimate(), 0.0);
    assert_eq!(c.book_value(), 1.0);
    c.add();
    assert_eq!(c.exponent(), 1);
    assert_eq!(c.estimate(), 1.0);
    assert_eq!(morris_estimate(255), 2f64.powi(255) - 1.0);

    // KMV with k = 8 over 400 seeds: the k-th minimum is unbiased; the book's (k-1)-th
    // minimum over-estimates by 1 / (k - 2) ~ 17%.
    let n = 2_000u64;
    let items = naive::items(0, n);
    let (mut ours, mut book) = (Vec::new(), Vec::new());
    for seed in 0..400 {
        let hash = HashKind::Xxh3 { seed };
        let mut s = Kmv::with_hash(8, hash).unwrap();
        for i in &items {
            s.insert(i);
        }
        ours.push(s.estimate() / n as f64);
        book.push(s.book_estimate());
    }
    let (m_ours, _) = naive::mean_sd(&ours);
    let (m_book, _) = naive::mean_sd(&book);
    let m_book = m_book / n as f64;
    assert!((m_ours - 1.0).abs() < 0.06, "ours {m_ours}");
    assert!(m_book > 1.10, "book {m_book}");

    let s = ScalableBloomFilter::new(1000, 0.01).unwrap();
    assert!((s.filters()[0].fp_rate() - 0.005).abs() < 1e-15);
}

#[test]
fn book_kmv_demo_within_three_sigma() {
    let strs = |a: u64, b: u64| (a..b).map(|i| i.to_string()).collect::<Vec<_>>();
    let mut a = Kmv::new(1024).unwrap();
    let mut b = Kmv::new(1024).unwrap();
    for s in strs(0, 50_000) {
        a.insert(&s);
    }
    for s in strs(25_000, 75_000) {
        b.insert(&s);
    }
    let sigma = 1.0 / (1022f64).sqrt();
    for (est, truth) in
        [(a.estimate(), 50_000.0), (b.estimate(), 50_000.0), (a.union(&b).unwrap().estimate(), 75_000.0)]
    {
        assert!(((est - truth) / truth).abs() < 3.0 * sigma, "{est} vs {truth}");
    }
    let j = a.jaccard(&b).unwrap();
    let js = ((1.0 - 1.0 / 3.0) / (1024.0 / 3.0f64)).sqrt();
    assert!((j - 1.0 / 3.0).abs() < 3.0 * js, "{j}");
    let i = a.intersection_estimate(&b).unwrap();
    assert!((i - 25_000.0).abs() / 25_000.0 < 3.0 * (js * 3.0 + sigma), "{i}");
}

#[test]
fn kmv_exact_below_k() {
    let mut s = Kmv::new(100).unwrap();
    for i in 0..99u64 {
        s.insert(i.to_le_bytes());
        s.insert(i.to_le_bytes());
    }
    assert_eq!(s.estimate(), 99.0);
    let want = naive::kmv(100, naive::hashes(HashKind::default(), &naive::items(0, 99)));
    assert_eq!(s.hashes(), &want[..]);
}

#[test]
fn bad_input_is_an_error() {
    let param = |e: Error| matches!(e.kind(), ErrorKind::InvalidParameter { .. });
    for p in [0u8, 3, 19, 255] {
        assert!(param(HyperLogLog::new(p).unwrap_err()));
        assert!(param(HyperLogLogPlus::new(p).unwrap_err()));
        assert!(param(LogLog::new(p).unwrap_err()));
        assert!(param(SuperLogLog::new(p).unwrap_err()));
    }
    assert!(param(Kmv::new(2).unwrap_err()));
    for fp in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
        assert!(param(BloomFilter::new(100, fp).unwrap_err()));
        assert!(param(ScalableBloomFilter::new(100, fp).unwrap_err()));
        assert!(param(SplitBlockBloom::new(100, fp).unwrap_err()));
    }
    assert!(param(BloomFilter::new(0, 0.01).unwrap_err()));
    assert!(param(SplitBlockBloom::new(0, 0.01).unwrap_err()));
    assert!(param(BloomFilter::new(u64::MAX, 0.01).unwrap_err()));
    assert!(param(ScalableBloomFilter::configure(10, 0.01, 0, 0.5, 0.8, HashKind::default()).unwrap_err()));
    assert!(param(ScalableBloomFilter::configure(10, 0.01, 2, 0.5, 0.0, HashKind::default()).unwrap_err()));
    assert!(param(CountMinSketch::new(0.0, 0.1).unwrap_err()));
    let e = HyperLogLog::new(3).unwrap_err();
    assert_eq!(e.to_string(), "invalid precision: 3 is outside 4..=18");

    let inc = |e: Error| matches!(e.kind(), ErrorKind::Incompatible);
    let mut a = HyperLogLog::new(10).unwrap();
    let before = a.clone();
    assert!(inc(a.merge(&HyperLogLog::new(11).unwrap()).unwrap_err()));
    assert!(inc(a.merge(&HyperLogLog::with_hash(10, HashKind::Xxh3 { seed: 1 }).unwrap()).unwrap_err()));
    assert_eq!(a, before);
    let mut b = BloomFilter::new(100, 0.01).unwrap();
    assert!(inc(b.merge(&BloomFilter::new(100, 0.02).unwrap()).unwrap_err()));
    assert!(inc(Kmv::new(10).unwrap().merge(&Kmv::new(11).unwrap()).unwrap_err()));
    let mut any = AnySketch::Hll(a);
    assert!(inc(any.merge(&AnySketch::Kmv(Kmv::new(10).unwrap())).unwrap_err()));
    // A HyperLogLog at a higher precision folds down first.
    let mut hi = HyperLogLog::new(12).unwrap();
    hi.insert(b"x");
    let mut lo = HyperLogLog::new(10).unwrap();
    lo.merge(&hi.fold_to(10).unwrap()).unwrap();
    assert!(lo.estimate() > 0.5);

    #[cfg(not(feature = "parallel"))]
    {
        let mut h = HyperLogLog::new(10).unwrap();
        let e = h.extend_with(&[b"a"], Backend::Parallel).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::BackendUnavailable(Backend::Parallel)));
    }
}

#[test]
fn morris_saturates_and_arrays_count() {
    let mut a = MorrisArray::new(3, 9);
    assert!(a.add(3).is_none());
    for _ in 0..1000 {
        a.add(1).unwrap();
    }
    assert_eq!(a.exponents()[0], 0);
    assert!(a.exponents()[1] > 4);
    assert_eq!(a.heap_bytes(), 3);
    let c = MorrisCounter::new(0);
    assert!(!c.is_saturated());
}

#[test]
fn text_units() {
    let text = b"the cat\r\nsat_on 42 the\n\nmat";
    let mut lines = Vec::new();
    assert_eq!(text::for_each_unit(text, text::Units::Lines, |l| lines.push(l.to_vec())), 4);
    assert_eq!(lines, vec![b"the cat".to_vec(), b"sat_on 42 the".to_vec(), b"".to_vec(), b"mat".to_vec()]);
    let mut toks = Vec::new();
    text::for_each_unit(text, text::Units::Tokens, |t| toks.push(String::from_utf8_lossy(t).into_owned()));
    assert_eq!(toks, ["the", "cat", "sat_on", "42", "the", "mat"]);
    assert_eq!(text::for_each_unit(b"a\n", text::Units::Lines, |_| {}), 1);
    assert_eq!(text::for_each_unit(b"", text::Units::Lines, |_| {}), 0);
}

/// The book's KMV formula, exactly: `(k - 1)(2^64 - 1) / (h - 1)` with `h` the second-largest
/// kept hash, 0 with at most two hashes; it always reads above the corrected estimate.
#[test]
fn kmv_book_estimate_formula() {
    let mut s = Kmv::new(16).unwrap();
    assert_eq!(s.book_estimate(), 0.0);
    for i in 0..2u64 {
        s.insert(i.to_le_bytes());
    }
    assert_eq!(s.book_estimate(), 0.0);
    for i in 2..10_000u64 {
        s.insert(i.to_le_bytes());
    }
    let h = s.hashes();
    let want = 15.0 * (2f64.powi(64) - 1.0) / (h[14] as f64 - 1.0);
    assert_eq!(s.book_estimate(), want);
    assert!(s.book_estimate() > s.estimate());
    // With 32-bit hashes the same formulas scale by 2^32.
    let mut t = Kmv::with_hash(16, HashKind::Murmur3x86 { seed: 0 }).unwrap();
    for i in 0..10_000u64 {
        t.insert(i.to_le_bytes());
    }
    assert!(t.hashes().iter().all(|&h| h < 1 << 32));
    let u = (t.hashes()[15] as f64 + 1.0) / 2f64.powi(32);
    assert_eq!(t.estimate(), 15.0 / u);
    assert!((t.estimate() - 10_000.0).abs() < 4.0 * 10_000.0 / 14f64.sqrt(), "{}", t.estimate());
}

/// `HyperLogLog::book`: murmur3 x86_32 (the spec's oracle), ranks capped at 32 - p + 1, the
/// large-range correction with ln, the book's p = 8 demo within 3 sigma, a round trip, and
/// no mixing with 64-bit sketches.
#[test]
fn book_hyperloglog() {
    assert_eq!(HashKind::Murmur3x86 { seed: 0 }.hash(b"foo"), 4_138_058_784);
    for p in [4u8, 8, 14] {
        let mut h = HyperLogLog::book(p).unwrap();
        h.insert_hash(0);
        assert_eq!(h.registers()[0], 32 - p + 1);
        assert_eq!(HyperLogLog::from_bytes(&h.to_bytes()).unwrap(), h);
    }
    // Every register at rank 24 - 4 + 1 = 21: raw E = alpha m^2 / (m 2^-21) ~ 2.3e7, under
    // 2^32 / 30; at rank 25: E ~ 3.6e8, above, so corrected upward by -2^32 ln(1 - E / 2^32).
    for (bit, corrected) in [(24u32, false), (28, true)] {
        let mut h = HyperLogLog::book(4).unwrap();
        for i in 0..16u64 {
            h.insert_hash(i | 1 << bit);
        }
        let raw = 0.673 * 256.0 / (16.0 * 2f64.powi(4 - bit as i32 - 1));
        let two32 = 2f64.powi(32);
        let want = if corrected { -two32 * (1.0 - raw / two32).ln() } else { raw };
        assert!((h.estimate() - want).abs() < 1e-6 * want, "{} vs {want}", h.estimate());
        assert_eq!(corrected, h.estimate() > raw * (1.0 + 1e-9));
    }
    // The book's demo: p = 8 (sigma 6.5%), 100k distinct items.
    let mut h = HyperLogLog::book(8).unwrap();
    for i in 0..100_000u64 {
        h.insert(i.to_string());
    }
    assert!((h.estimate() - 1e5).abs() < 3.0 * 0.065 * 1e5, "{}", h.estimate());
    let other = HyperLogLog::new(8).unwrap();
    assert_eq!(h.clone().merge(&other).unwrap_err().kind(), &ErrorKind::Incompatible);
    for e in [
        BloomFilter::with_hash(100, 0.01, HashKind::Murmur3x86 { seed: 0 }).unwrap_err(),
        SplitBlockBloom::with_hash(100, 0.01, HashKind::Murmur3x86 { seed: 0 }).unwrap_err(),
        HyperLogLogPlus::with_hash(12, HashKind::Murmur3x86 { seed: 0 }).unwrap_err(),
        AtomicHyperLogLog::new(12, HashKind::Murmur3x86 { seed: 0 }).unwrap_err(),
        CountMinSketch::with_dims(64, 4, HashKind::Murmur3x86 { seed: 0 }).unwrap_err(),
    ] {
        assert!(matches!(e.kind(), ErrorKind::InvalidParameter { name: "hash" }), "{e}");
    }
}

/// The scalable filter's builder methods set its parameters before the first insert only.
#[test]
fn scalable_bloom_builder() {
    let s = ScalableBloomFilter::new(1_000, 0.01).unwrap().growth(4).unwrap().tightening(0.8).unwrap();
    let s = s.max_fill(0.5).unwrap();
    let t = ScalableBloomFilter::configure(1_000, 0.01, 4, 0.8, 0.5, HashKind::default()).unwrap();
    assert_eq!(s, t);
    assert!(ScalableBloomFilter::new(1_000, 0.01).unwrap().growth(0).is_err());
    assert!(ScalableBloomFilter::new(1_000, 0.01).unwrap().tightening(1.0).is_err());
    assert!(ScalableBloomFilter::new(1_000, 0.01).unwrap().max_fill(0.0).is_err());
    let mut u = t.clone();
    u.insert("x");
    let e = u.growth(2).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidParameter { name: "growth" }), "{e}");
}
