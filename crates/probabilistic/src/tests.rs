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

/// Words of ten 6-bit fields (top 4 bits clear), as the register file keeps them.
fn fields() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(any::<u64>().prop_map(|w| w & ((1 << 60) - 1)), 0..40)
}

/// The naive field max: unpack, max, repack.
fn naive_max(a: u64, b: u64) -> u64 {
    (0..10).map(|f| ((a >> (6 * f)) & 63).max((b >> (6 * f)) & 63) << (6 * f)).sum()
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]
    #[test]
    fn max_fields_matches_naive(a in fields(), b in fields()) {
        let n = a.len().min(b.len());
        let want: Vec<u64> = a[..n].iter().zip(&b[..n]).map(|(x, y)| naive_max(*x, *y)).collect();
        for (name, k) in tables() {
            let mut d = a[..n].to_vec();
            (k.max_fields)(&mut d, &b[..n]);
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
