//! Merge laws, round trips and the defensive decoder, by property.

use probabilistic::*;
use proptest::prelude::*;

type Maker = (&'static str, fn() -> AnySketch);

/// One constructor per mergeable kind, small parameters so properties run fast.
fn makers() -> Vec<Maker> {
    vec![
        ("hll", || AnySketch::Hll(HyperLogLog::new(6).unwrap())),
        ("hll++", || AnySketch::HllPlus(HyperLogLogPlus::new(4).unwrap())),
        ("loglog", || AnySketch::LogLog(LogLog::new(5).unwrap())),
        ("superloglog", || AnySketch::SuperLogLog(SuperLogLog::new(5).unwrap())),
        ("kmv", || AnySketch::Kmv(Kmv::new(16).unwrap())),
        ("bloom", || AnySketch::Bloom(BloomFilter::new(50, 0.05).unwrap())),
        ("split-block", || AnySketch::SplitBlockBloom(SplitBlockBloom::new(50, 0.05).unwrap())),
        ("count-min", || AnySketch::CountMin(CountMinSketch::with_dims(16, 3, HashKind::default()).unwrap())),
        ("scalable", || AnySketch::ScalableBloom(ScalableBloomFilter::new(8, 0.05).unwrap())),
    ]
}

fn build(make: fn() -> AnySketch, items: &[u16]) -> AnySketch {
    let mut s = make();
    for i in items {
        s.insert_hash(s.hash_kind().hash(&i.to_le_bytes()));
    }
    s
}

fn merged(a: &AnySketch, b: &AnySketch) -> AnySketch {
    let mut x = a.clone();
    x.merge(b).unwrap();
    x
}

fn items() -> impl Strategy<Value = Vec<u16>> {
    prop::collection::vec(0u16..2000, 0..120)
}

proptest! {
    // A fixed seed: the same cases every run, so these tests cannot flake.
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed), ..ProptestConfig::with_cases(64) })]

    #[test]
    fn merge_laws(a in items(), b in items(), c in items()) {
        for (name, make) in makers() {
            let (sa, sb, sc) = (build(make, &a), build(make, &b), build(make, &c));
            prop_assert_eq!(merged(&sa, &sb), merged(&sb, &sa), "{} commutative", name);
            prop_assert_eq!(merged(&merged(&sa, &sb), &sc), merged(&sa, &merged(&sb, &sc)), "{} associative", name);
            if name != "count-min" {
                prop_assert_eq!(merged(&sa, &sa), sa.clone(), "{} idempotent", name);
            }
            if name != "scalable" {
                let union: Vec<u16> = a.iter().chain(&b).copied().collect();
                prop_assert_eq!(merged(&sa, &sb), build(make, &union), "{} merge == union stream", name);
            }
        }
    }

    #[test]
    fn round_trip_and_damage(a in items(), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        for (name, make) in makers() {
            let s = build(make, &a);
            let bytes = s.to_bytes();
            prop_assert_eq!(&AnySketch::from_bytes(&bytes).unwrap(), &s, "{}", name);
            // Any single flipped bit is caught (checksum or header check).
            let mut bad = bytes.clone();
            let i = flip.index(bad.len());
            bad[i] ^= 1 << bit;
            prop_assert!(AnySketch::from_bytes(&bad).is_err(), "{} flip at {}", name, i);
            // Every truncation is an error.
            let cut = flip.index(bytes.len());
            prop_assert!(AnySketch::from_bytes(&bytes[..cut]).is_err(), "{} cut at {}", name, cut);
        }
    }

    #[test]
    fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), kind in 1u8..12) {
        let _ = AnySketch::from_bytes(&bytes);
        // With a valid header and checksum, the payload checks still hold.
        let mut framed = b"FDPS".to_vec();
        framed.extend_from_slice(&[1, kind, bytes.first().copied().unwrap_or(0) % 3, 0]);
        framed.extend_from_slice(&[0; 8]);
        framed.extend_from_slice(&bytes);
        let sum = HashKind::default().hash(&framed);
        framed.extend_from_slice(&sum.to_le_bytes());
        if let Ok(s) = AnySketch::from_bytes(&framed) {
            // Whatever parsed is a usable sketch.
            let _ = s.estimate();
            prop_assert_eq!(AnySketch::from_bytes(&s.to_bytes()).unwrap(), s);
        }
    }

    #[test]
    fn no_false_negatives(a in items(), probe in any::<u16>()) {
        let mut f = BloomFilter::new(100, 0.01).unwrap();
        let mut s = SplitBlockBloom::new(100, 0.01).unwrap();
        let mut g = ScalableBloomFilter::new(10, 0.01).unwrap();
        for i in &a {
            f.insert(i.to_le_bytes());
            s.insert(i.to_le_bytes());
            g.insert(i.to_le_bytes());
        }
        for i in &a {
            prop_assert!(f.contains(i.to_le_bytes()) && s.contains(i.to_le_bytes()) && g.contains(i.to_le_bytes()));
        }
        let _ = f.contains(probe.to_le_bytes());
    }

    #[test]
    fn estimates_track_exact(a in prop::collection::vec(any::<u32>(), 0..400)) {
        let exact = a.iter().collect::<std::collections::HashSet<_>>().len() as f64;
        let mut h = HyperLogLogPlus::new(12).unwrap();
        let mut k = Kmv::new(1024).unwrap();
        for i in &a {
            h.insert(i.to_le_bytes());
            k.insert(i.to_le_bytes());
        }
        // Sparse HLL++ is exact up to collisions of 25-bit indexes (~n^2 / 2^26 of them).
        prop_assert!((h.estimate() - exact).abs() <= 2.0, "{} vs {}", h.estimate(), exact);
        prop_assert_eq!(k.estimate(), exact);
    }
}

#[test]
fn crafted_payloads_are_rejected() {
    let frame = |kind: u8, payload: &[u8]| {
        let mut v = b"FDPS".to_vec();
        v.extend_from_slice(&[1, kind, 0, 0]);
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(payload);
        let sum = HashKind::default().hash(&v);
        v.extend_from_slice(&sum.to_le_bytes());
        v
    };
    let corrupt = |b: &[u8]| matches!(AnySketch::from_bytes(b).unwrap_err().kind(), ErrorKind::Corrupt);
    // HLL p = 4 with a register above 61.
    let mut words = vec![0u8; 2 * 8];
    words[0] = 62;
    assert!(corrupt(&frame(1, &[&[4u8][..], &words].concat())));
    // A Bloom filter claiming 2^40 items: sized first, rejected, nothing allocated.
    let mut bloom = (1u64 << 40).to_le_bytes().to_vec();
    bloom.extend_from_slice(&0.01f64.to_bits().to_le_bytes());
    assert!(corrupt(&frame(6, &bloom)));
    // A KMV claiming more hashes than the input holds.
    let mut kmv = 1000u32.to_le_bytes().to_vec();
    kmv.extend_from_slice(&900u32.to_le_bytes());
    assert!(corrupt(&frame(5, &kmv)));
    // Unknown kind, version 2, bad magic.
    assert!(corrupt(&frame(77, &[])));
    let mut v2 = frame(1, &[]);
    v2[4] = 2;
    assert!(matches!(AnySketch::from_bytes(&v2).unwrap_err().kind(), ErrorKind::UnsupportedVersion { found: 2 }));
    assert!(corrupt(b"not a sketch at all, really not"));
}

#[test]
fn golden_bytes() {
    // The format is stable: this HLL (p = 4, items "a", "b") must keep these bytes.
    let mut h = HyperLogLog::new(4).unwrap();
    h.insert("a");
    h.insert("b");
    let got = h.to_bytes();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/hll_p4_ab.bin");
    match std::fs::read(path) {
        Ok(want) => assert_eq!(got, want, "format changed"),
        Err(_) => {
            std::fs::write(path, &got).unwrap();
            panic!("wrote missing golden file {path}; run again");
        }
    }
    assert_eq!(&got[..4], b"FDPS");
    assert_eq!(got.len(), 16 + 1 + 16 + 8);
}

#[test]
fn hll_fold_equals_direct_build() {
    let mut hi = HyperLogLog::new(14).unwrap();
    let mut lo = HyperLogLog::new(9).unwrap();
    for i in 0..30_000u64 {
        hi.insert(i.to_le_bytes());
        lo.insert(i.to_le_bytes());
    }
    assert_eq!(hi.fold_to(9).unwrap(), lo);
    assert!(hi.fold_to(15).is_err());
    let plus = {
        let mut p = HyperLogLogPlus::new(9).unwrap();
        for i in 0..30_000u64 {
            p.insert(i.to_le_bytes());
        }
        p
    };
    assert_eq!(plus.to_hll(), lo);
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip() {
    let mut h = HyperLogLog::new(8).unwrap();
    h.insert("x");
    let json = serde_json::to_string(&h).unwrap();
    let back: HyperLogLog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, h);
    assert!(serde_json::from_str::<HyperLogLog>("[1,2,3]").is_err());
}
