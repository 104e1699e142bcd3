//! Kernel tests: every backend's kernels against the scalar reference.

use proptest::prelude::*;

use crate::backend::Kernels;
use crate::scalar;
use crate::text::Repeats;

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
        // The kernels the split-block filter runs (AVX2 picked at run time when this CPU has
        // it, else the compiled ones), and the AVX2 ones by themselves.
        let want = (want_check, std::array::from_fn(|i| block[i] | mask[i]), true);
        prop_assert_eq!(crate::backend::with_block_kernels(CheckInsert(block, key)), want, "best");
        #[cfg(all(feature = "simd", target_arch = "x86_64", not(target_feature = "avx2")))]
        if let Some(v3) = crate::simd::avx2::v3() {
            prop_assert_eq!(crate::simd::avx2::run(v3, CheckInsert(block, key)), want, "avx2");
        }
    }
}

/// Checks a key in a block, inserts it, checks again.
struct CheckInsert([u32; 8], u32);

impl crate::backend::BlockLoop for CheckInsert {
    type Output = (bool, [u32; 8], bool);
    fn run<K: crate::backend::BlockKernel>(self, k: K) -> Self::Output {
        let CheckInsert(mut block, key) = self;
        let before = k.check(&block, key);
        k.insert(&mut block, key);
        (before, block, k.check(&block, key))
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

/// Text over an alphabet of token bytes, separators and non-ASCII bytes; tokens from 1 to
/// ~40 bytes, so every length class of the token hasher and 64-byte block crossings occur.
fn text() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        8 => prop::sample::select(b"abcXYZ019_".to_vec()),
        2 => prop::sample::select(b" \n\r\t.,-@[`{/:".to_vec()),
        1 => 0x80u8..=0xff,
    ];
    prop::collection::vec(byte, 0..600)
}

/// The hashes of every token, as the naive byte loop finds them, sorted.
fn naive_token_hashes(text: &[u8], hash: crate::HashKind) -> Vec<u64> {
    let mut out: Vec<u64> = text
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|t| !t.is_empty())
        .map(|t| hash.hash(t))
        .collect();
    out.sort_unstable();
    out
}

fn batched_token_hashes(text: &[u8], hash: crate::HashKind, k: &Kernels) -> (u64, Vec<u64>) {
    let mut out = Vec::new();
    let n = crate::text::for_each_token_hash(text, hash, k.word_mask, &mut Repeats::new(false), |h| out.push(h));
    out.sort_unstable();
    // Skipping repeats gives the same count and the same distinct hashes.
    let mut once = Vec::new();
    let m = crate::text::for_each_token_hash(text, hash, k.word_mask, &mut Repeats::new(true), |h| once.push(h));
    once.sort_unstable();
    once.dedup();
    let mut distinct = out.clone();
    distinct.dedup();
    assert_eq!((m, once), (n, distinct));
    (n, out)
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(13), ..ProptestConfig::default() })]
    #[test]
    fn word_mask_matches_naive(block in prop::collection::vec(any::<u8>(), 64)) {
        let block: [u8; 64] = block.try_into().unwrap();
        let want = block.iter().enumerate().fold(0u64, |m, (i, b)| {
            m | u64::from(b.is_ascii_alphanumeric() || *b == b'_') << i
        });
        for (name, k) in tables() {
            prop_assert_eq!((k.word_mask)(&block), want, "{}", name);
        }
    }

    #[test]
    fn token_hasher_matches_naive(t in text(), seed in any::<u64>()) {
        for hash in [crate::HashKind::Xxh3 { seed }, crate::HashKind::Murmur3 { seed: seed as u32 }] {
            let want = naive_token_hashes(&t, hash);
            for (name, k) in tables() {
                prop_assert_eq!(batched_token_hashes(&t, hash, k), (want.len() as u64, want.clone()), "{}", name);
            }
        }
    }
}

/// Many batches: a text of ~30 000 tokens of every length class, ending inside a token.
#[test]
fn token_hasher_many_batches() {
    let mut t = Vec::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    while t.len() < 400_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 1 + (x % 23) as usize;
        t.extend((0..len).map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789_"[(x >> (i % 50)) as usize % 37]));
        t.push(if x & 1 == 0 { b' ' } else { b'\n' });
    }
    t.extend_from_slice(b"tail_token");
    let hash = crate::HashKind::default();
    let want = naive_token_hashes(&t, hash);
    assert!(want.len() > 10 * 2048);
    for (name, k) in tables() {
        assert_eq!(batched_token_hashes(&t, hash, k), (want.len() as u64, want.clone()), "{name}");
    }
}

/// Tokens of every length from 1 to 70 bytes (so 16, 17 and ones longer than a block) and a
/// few spanning three to five blocks, at every offset in a block, and texts that end inside a
/// token at a block boundary.
#[test]
fn token_hasher_lengths_and_offsets() {
    let hash = crate::HashKind::default();
    for shift in 0..64 {
        let mut t = vec![b' '; shift];
        for len in (1..=70usize).chain([127, 128, 129, 200, 300, 4095, 4096, 9000]) {
            t.extend((0..len).map(|i| b"qwertyuiopasdfghjklzxcvbnm_0123456789"[(len * 7 + i) % 37]));
            t.push(if len % 3 == 0 { b'\n' } else { b'.' });
        }
        for end in [t.len(), t.len() - 1, 128, 192 + shift] {
            let part = &t[..end];
            let want = naive_token_hashes(part, hash);
            for (name, k) in tables() {
                assert_eq!(
                    batched_token_hashes(part, hash, k),
                    (want.len() as u64, want.clone()),
                    "{name} {shift} {end}"
                );
            }
        }
    }
}

/// One filter carried from one text to the next hashes each distinct token once, over both.
#[test]
fn token_filter_carries_over_calls() {
    let hash = crate::HashKind::default();
    let a = b"alpha beta gamma alpha a_very_long_token_of_many_bytes beta ".repeat(40);
    let b = b"gamma delta alpha a_very_long_token_of_many_bytes epsilon\n".repeat(40);
    let mut both = a.clone();
    both.push(b' ');
    both.extend_from_slice(&b);
    let mut want = naive_token_hashes(&both, hash);
    let n = want.len() as u64;
    want.dedup();
    for (name, k) in tables() {
        let mut repeats = Repeats::new(true);
        let mut got = Vec::new();
        let m = crate::text::for_each_token_hash(&a, hash, k.word_mask, &mut repeats, |h| got.push(h))
            + crate::text::for_each_token_hash(&b, hash, k.word_mask, &mut repeats, |h| got.push(h));
        assert_eq!(m, n, "{name}");
        got.sort_unstable();
        // Short tokens are hashed once; the long one (not filtered) every time.
        let long = hash.hash(b"a_very_long_token_of_many_bytes");
        assert_eq!(got.iter().filter(|&&h| h == long).count(), 80, "{name}");
        got.dedup();
        assert_eq!(got, want, "{name}");
        let short: Vec<u64> = got.iter().copied().filter(|&h| h != long).collect();
        assert_eq!(short.len(), 5, "{name}");
    }
}

/// A 32-bit hash id in the header: an error for a sketch that needs 64 bits, a book
/// HyperLogLog for an HLL.
#[test]
fn decoder_checks_the_hash_width() {
    use crate::{BloomFilter, ErrorKind, HyperLogLog, Sketch};
    let with_hash_id = |mut b: Vec<u8>, id: u8| {
        b[6] = id;
        let n = b.len() - 8;
        let sum = xxhash_rust::xxh3::xxh3_64(&b[..n]);
        b[n..].copy_from_slice(&sum.to_le_bytes());
        b
    };
    let b = with_hash_id(BloomFilter::new(100, 0.01).unwrap().to_bytes(), 2);
    assert_eq!(BloomFilter::from_bytes(&b).unwrap_err().kind(), &ErrorKind::Corrupt);
    let h = with_hash_id(HyperLogLog::new(8).unwrap().to_bytes(), 2);
    assert_eq!(HyperLogLog::from_bytes(&h).unwrap(), HyperLogLog::book(8).unwrap());
    // A rank that only a 64-bit hash can reach is corrupt in a 32-bit sketch.
    let mut full = HyperLogLog::new(8).unwrap();
    full.insert_hash(0);
    let h = with_hash_id(full.to_bytes(), 2);
    assert_eq!(HyperLogLog::from_bytes(&h).unwrap_err().kind(), &ErrorKind::Corrupt);
}

/// Bulk text inserts equal one-by-one inserts of every token: for a sketch that counts
/// (Count-Min: repeats are not skipped) and for one that does not (HyperLogLog), on every
/// backend.
#[test]
fn extend_text_equals_one_by_one() {
    use crate::text::{Units, extend_text, for_each_unit};
    use crate::{CountMinSketch, HyperLogLog, Sketch};
    // 300 lines take the plain token loop, 4 000 (~280 KB) the filtered one.
    for lines in [300, 4_000] {
        let text = b"the cat and the hat, the_end 42 and a very_long_token_indeed the cat\n".repeat(lines);
        let mut cms = CountMinSketch::new(0.01, 0.01).unwrap();
        let mut hll = HyperLogLog::new(10).unwrap();
        for_each_unit(&text, Units::Tokens, |t| {
            cms.insert(t);
            hll.insert(t);
        });
        for &b in crate::BACKENDS {
            let mut c = cms.empty_like();
            let mut h = hll.empty_like();
            assert_eq!(extend_text(&mut c, &text, Units::Tokens, b).unwrap(), 12 * lines as u64);
            assert_eq!(extend_text(&mut h, &text, Units::Tokens, b).unwrap(), 12 * lines as u64);
            assert_eq!((&c, &h), (&cms, &hll), "{b}");
            assert_eq!(c.count(b"the"), cms.count(b"the"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(17), ..ProptestConfig::default() })]
    #[test]
    fn newline_mask_matches_naive(block in prop::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 64)) {
        let block: [u8; 64] = block.try_into().unwrap();
        let want = block.iter().enumerate().fold(0u64, |m, (i, b)| m | u64::from(*b == b'\n') << i);
        for (name, k) in tables() {
            prop_assert_eq!((k.newline_mask)(&block), want, "{}", name);
        }
    }

    /// Lines from the mask kernels equal the naive split, in order.
    #[test]
    fn lines_match_naive(t in text()) {
        let mut want: Vec<&[u8]> = t.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect();
        if t.is_empty() || t.ends_with(b"\n") {
            want.pop();
        }
        for (name, k) in tables() {
            let mut got = Vec::new();
            let n = crate::text::for_each_line(&t, k.newline_mask, |l| got.push(l.to_vec()));
            prop_assert_eq!(n, want.len() as u64, "{}", name);
            prop_assert_eq!(&got, &want, "{}", name);
        }
    }
}
