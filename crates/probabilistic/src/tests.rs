//! Kernel tests: every backend's kernels against the scalar reference.

use proptest::prelude::*;

use crate::backend::Kernels;
use crate::scalar;

fn tables() -> Vec<(&'static str, &'static Kernels)> {
    vec![
        ("scalar", &scalar::KERNELS),
        #[cfg(feature = "simd")]
        ("simd", &crate::simd::KERNELS),
    ]
}

/// Register bytes (0..=63, as the register file keeps them); lengths around the 16-lane width.
fn fields() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(0u8..=63, 0..70)
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]
    #[test]
    fn max_bytes_matches_naive(a in fields(), b in fields()) {
        let n = a.len().min(b.len());
        let want: Vec<u8> = a[..n].iter().zip(&b[..n]).map(|(x, y)| if x > y { *x } else { *y }).collect();
        for (name, k) in tables() {
            let mut d = a[..n].to_vec();
            (k.max_bytes)(&mut d, &b[..n]);
            prop_assert_eq!(&d, &want, "{}", name);
        }
    }

    #[test]
    fn word_ops_match_naive(a in prop::collection::vec(any::<u64>(), 0..40), b in prop::collection::vec(any::<u64>(), 0..40)) {
        let n = a.len().min(b.len());
        for (name, k) in tables() {
            let mut o = a[..n].to_vec();
            (k.or_words)(&mut o, &b[..n]);
            let mut x = a[..n].to_vec();
            (k.and_words)(&mut x, &b[..n]);
            for i in 0..n {
                prop_assert_eq!(o[i], a[i] | b[i], "{}", name);
                prop_assert_eq!(x[i], a[i] & b[i], "{}", name);
            }
            let ones: u64 = a.iter().map(|w| (0..64).filter(|i| w >> i & 1 == 1).count() as u64).sum();
            prop_assert_eq!((k.popcount)(&a), ones, "{}", name);
        }
    }

    #[test]
    fn add_counts_saturate(a in prop::collection::vec(any::<u32>(), 0..40), b in prop::collection::vec(any::<u32>(), 0..40)) {
        let n = a.len().min(b.len());
        for (name, k) in tables() {
            let mut d = a[..n].to_vec();
            (k.add_counts)(&mut d, &b[..n]);
            for i in 0..n {
                prop_assert_eq!(d[i], (u64::from(a[i]) + u64::from(b[i])).min(u64::from(u32::MAX)) as u32, "{}", name);
            }
        }
    }

    #[test]
    fn block_kernels_match_naive(block in any::<[u32; 8]>(), key in any::<u32>()) {
        // The naive mask: bit (key * salt_i) >> 27 of lane i.
        let mask: Vec<u32> = scalar::SALT.iter().map(|s| 1u32 << (key.wrapping_mul(*s) >> 27)).collect();
        let want_check = block.iter().zip(&mask).all(|(w, m)| w & m != 0);
        for (name, k) in tables() {
            prop_assert_eq!((k.block_check)(&block, key), want_check, "{}", name);
            let mut b = block;
            (k.block_insert)(&mut b, key);
            for i in 0..8 {
                prop_assert_eq!(b[i], block[i] | mask[i], "{}", name);
            }
            prop_assert!((k.block_check)(&b, key));
        }
    }
}

#[test]
fn register_file_round_trips() {
    let mut r = crate::registers::Registers::new(4);
    for (i, v) in [(0, 3u8), (9, 61), (10, 1), (15, 7)] {
        assert!(r.update(i, v));
        assert!(!r.update(i, v));
        assert_eq!(r.get(i), v);
    }
    let h = r.histogram();
    assert_eq!(h.iter().sum::<u32>(), 16);
    assert_eq!(h[0], 12);
}

/// The kept HyperLogLog estimate follows every insert, merge and clear: it always equals the
/// estimate of a freshly decoded copy (which has no kept value).
#[test]
fn estimate_cache_follows_every_change() {
    use crate::{Cardinality, HyperLogLog, Sketch};
    let fresh = |h: &HyperLogLog| HyperLogLog::from_bytes(&h.to_bytes()).map(|c| c.estimate()).ok();
    let mut a = HyperLogLog::new(10).unwrap();
    let mut b = a.clone();
    assert_eq!(a.estimate(), 0.0);
    let mut seen = Vec::new();
    for i in 0..5_000u64 {
        a.insert(i.to_le_bytes());
        b.insert((i + 2_500).to_le_bytes());
        if i % 997 == 0 {
            assert_eq!(Some(a.estimate()), fresh(&a));
            seen.push(a.estimate());
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    let before = a.estimate();
    let copy = a.clone();
    assert_eq!(copy.estimate(), before);
    a.merge(&b).unwrap();
    assert!(a.estimate() > before);
    assert_eq!(Some(a.estimate()), fresh(&a));
    assert_eq!(a, HyperLogLog::from_bytes(&a.to_bytes()).unwrap());
    a.clear();
    assert_eq!(a.estimate(), 0.0);
}
