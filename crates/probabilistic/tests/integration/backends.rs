//! Every backend gives the same registers, bits and sets; parallel builds equal serial ones at
//! any thread count.

use probabilistic::*;

use crate::naive;

fn sizes() -> Vec<u64> {
    // empty, 1, around a SIMD width, around the parallel chunk (32 768) and threshold (65 536).
    vec![0, 1, 3, 5, 32_767, 32_769, 65_535, 65_537, 200_000]
}

fn check<S: Sketch + PartialEq + std::fmt::Debug>(name: &str, empty: S) {
    for n in sizes() {
        let items = naive::items(7, n);
        let mut serial = empty.clone();
        for i in &items {
            serial.insert(i);
        }
        for &b in BACKENDS.iter().chain([Backend::Auto].iter()) {
            let mut s = empty.clone();
            s.extend_with(&items, b).unwrap();
            assert_eq!(s, serial, "{name} n = {n} on {b}");
            // Merging two halves on this backend equals the whole.
            let (x, y) = items.split_at(items.len() / 2);
            let (mut l, mut r) = (empty.clone(), empty.clone());
            l.extend_with(x, Backend::Scalar).unwrap();
            r.extend_with(y, Backend::Scalar).unwrap();
            l.merge_with(&r, b).unwrap();
            assert_eq!(l, serial, "{name} n = {n} merge on {b}");
        }
    }
}

#[test]
fn backends_agree() {
    check("hll", HyperLogLog::new(12).unwrap());
    check("hll++", HyperLogLogPlus::new(10).unwrap());
    check("loglog", LogLog::new(8).unwrap());
    check("kmv", Kmv::new(256).unwrap());
    check("bloom", BloomFilter::new(100_000, 0.01).unwrap());
    check("split-block", SplitBlockBloom::new(100_000, 0.01).unwrap());
    check("count-min", CountMinSketch::with_dims(1000, 4, HashKind::default()).unwrap());
}

#[test]
fn hll_registers_match_naive_and_estimates_are_bit_identical() {
    let items = naive::items(0, 100_000);
    let hashes = naive::hashes(HashKind::default(), &items);
    let want = naive::hll_registers(12, hashes.iter().copied());
    let mut est = None;
    for &b in BACKENDS {
        let mut h = HyperLogLog::new(12).unwrap();
        h.extend_with(&items, b).unwrap();
        assert_eq!(h.registers(), want, "{b}");
        let e = h.estimate().to_bits();
        assert_eq!(*est.get_or_insert(e), e, "{b}");
    }
}

#[test]
fn bloom_union_is_or_and_intersection_is_and() {
    let mut a = BloomFilter::new(1000, 0.01).unwrap();
    let mut b = BloomFilter::new(1000, 0.01).unwrap();
    for i in 0..600u64 {
        a.insert(i.to_le_bytes());
        b.insert((i + 300).to_le_bytes());
    }
    for &be in BACKENDS {
        let mut u = a.clone();
        u.merge_with(&b, be).unwrap();
        let x = a.intersect_with(&b, be).unwrap();
        for (i, w) in u.words().iter().enumerate() {
            assert_eq!(*w, a.words()[i] | b.words()[i]);
            assert_eq!(x.words()[i], a.words()[i] & b.words()[i]);
        }
        for i in 300..600u64 {
            assert!(x.contains(i.to_le_bytes()));
        }
    }
}

#[test]
fn split_block_batched_probes_agree() {
    let mut f = SplitBlockBloom::new(50_000, 0.01).unwrap();
    let hashes: Vec<u64> = (0..100_000u64).map(|i| HashKind::default().hash_u64(i)).collect();
    f.insert_hashes_with(&hashes[..50_000], Backend::Scalar).unwrap();
    let want: Vec<bool> = hashes.iter().map(|&h| f.contains_hash(h)).collect();
    for &b in BACKENDS {
        let mut out = vec![false; hashes.len()];
        f.contains_many(&hashes, &mut out, b).unwrap();
        assert_eq!(out, want, "{b}");
    }
    assert!(f.contains_many(&hashes, &mut [false; 3], Backend::Scalar).is_err());
}

#[test]
fn text_builds_agree_across_backends_and_threads() {
    // ~2.5 MiB of text: three parallel chunks.
    let mut text = Vec::new();
    for i in 0..250_000u64 {
        text.extend_from_slice(format!("w{} x{}\n", i % 70_000, i % 13).as_bytes());
    }
    for units in [text::Units::Lines, text::Units::Tokens] {
        let mut serial = HyperLogLog::new(14).unwrap();
        let n = text::extend_text(&mut serial, &text, units, Backend::Scalar).unwrap();
        assert_eq!(n, if units == text::Units::Lines { 250_000 } else { 500_000 });
        for &b in BACKENDS {
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let (s, m) = pool.install(|| {
                    let mut s = HyperLogLog::new(14).unwrap();
                    let m = text::extend_text(&mut s, &text, units, b).unwrap();
                    (s, m)
                });
                assert_eq!((s.registers(), m), (serial.registers(), n), "{b} {threads} threads");
            }
        }
        let exact = if units == text::Units::Lines { 250_000.0 } else { 70_000.0 + 13.0 };
        assert!((serial.estimate() - exact).abs() / exact < 3.0 * 0.0081, "{}", serial.estimate());
    }
}

#[test]
fn atomic_sketches_equal_serial_builds() {
    let items = naive::items(0, 50_000);
    let h = AtomicHyperLogLog::new(12, HashKind::default()).unwrap();
    let f = AtomicBloomFilter::new(50_000, 0.01, HashKind::default()).unwrap();
    std::thread::scope(|s| {
        for part in items.chunks(12_500) {
            let (h, f) = (&h, &f);
            s.spawn(move || {
                for i in part {
                    h.insert(i);
                    f.insert(i);
                }
            });
        }
    });
    let mut serial = HyperLogLog::new(12).unwrap();
    let mut bloom = BloomFilter::new(50_000, 0.01).unwrap();
    for i in &items {
        serial.insert(i);
        bloom.insert(i);
    }
    assert_eq!(h.snapshot(), serial);
    assert_eq!(h.estimate(), serial.estimate());
    assert_eq!(f.snapshot(), bloom);
    assert!(items.iter().all(|i| f.contains(i)));
    assert!(!f.insert(items[0]));
}

/// The builder's backend runs `merge` and `extend` with the same result as `Auto`; a backend
/// that is not compiled in fails at `build`, never later.
#[test]
fn builder_backend() {
    let items = naive::items(0, 70_000);
    let mut want = HyperLogLog::new(10).unwrap();
    want.extend(&items).unwrap();
    for &b in BACKENDS {
        let mut h = HyperLogLog::builder().precision(10).backend(b).build().unwrap();
        assert_eq!(h.backend(), b);
        h.extend(&items[..35_000]).unwrap();
        let mut rest = h.empty_like();
        assert_eq!(rest.backend(), b);
        rest.extend(&items[35_000..]).unwrap();
        h.merge(&rest).unwrap();
        assert_eq!(h, want, "{b}");
        let mut p = HyperLogLog::builder().precision(10).backend(b).build_plus().unwrap();
        p.extend(&items).unwrap();
        assert_eq!(p.to_hll(), want, "{b}");
    }
    for b in [Backend::Simd, Backend::Parallel] {
        if !BACKENDS.contains(&b) {
            let e = HyperLogLog::builder().backend(b).build().unwrap_err();
            assert_eq!(e.kind(), &ErrorKind::BackendUnavailable(b));
        }
    }
}
