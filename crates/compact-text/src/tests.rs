//! Tests of every store, backend and the matcher against the naive references.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::Arc;

use proptest::prelude::*;

use crate::oracle;
use crate::*;

fn kinds() -> &'static [StoreKind] {
    StoreKind::ALL
}

/// Every query of `store` equals the `BTreeSet` reference.
fn check_store<S: TokenSet>(store: &S, reference: &BTreeSet<Vec<u8>>, probes: &[Vec<u8>]) {
    let kind = store.kind();
    assert_eq!(store.len(), reference.len(), "{kind} len");
    let sorted: Vec<Vec<u8>> = reference.iter().cloned().collect();
    assert_eq!(store.to_sorted_vec(), sorted, "{kind} listing");
    let mut ids = vec![false; store.len()];
    for k in reference {
        assert!(store.contains(k), "{kind} contains {k:?}");
        let id = store.id_of(k).unwrap_or_else(|| panic!("{kind} id_of {k:?}"));
        assert!(!std::mem::replace(&mut ids[id as usize], true), "{kind} ids are distinct");
        assert_eq!(store.token_of(id).as_ref(), Some(k), "{kind} token_of");
        if kind != StoreKind::Succinct {
            assert_eq!(id as usize, sorted.binary_search(k).unwrap_or(usize::MAX), "{kind} ids are sorted ranks");
        }
    }
    assert_eq!(store.token_of(store.len() as u32), None);
    for p in probes {
        assert_eq!(store.contains(p), reference.contains(p), "{kind} contains probe {p:?}");
        let want: Vec<Vec<u8>> = reference.iter().filter(|k| k.starts_with(p)).cloned().collect();
        assert_eq!(store.prefix(p), want, "{kind} prefix {p:?}");
        for q in probes.iter().take(4) {
            for (lo, hi) in [
                (Bound::Included(p.as_slice()), Bound::Excluded(q.as_slice())),
                (Bound::Excluded(p.as_slice()), Bound::Included(q.as_slice())),
                (Bound::Unbounded, Bound::Included(q.as_slice())),
                (Bound::Included(p.as_slice()), Bound::Unbounded),
            ] {
                assert_eq!(store.range(lo, hi), oracle::range(reference, lo, hi), "{kind} range {lo:?}..{hi:?}");
            }
        }
    }
    for p in probes.iter().take(3) {
        for k in 0..=2 {
            let want: Vec<Vec<u8>> = reference.iter().filter(|key| oracle::levenshtein(key, p) <= k).cloned().collect();
            assert_eq!(store.fuzzy(p, k), want, "{kind} fuzzy {p:?} {k}");
        }
    }
}

fn probes_for(keys: &[Vec<u8>], extra: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut p: Vec<Vec<u8>> = extra.to_vec();
    p.push(Vec::new());
    for k in keys.iter().take(6) {
        p.push(k.clone());
        p.push(k[..k.len() / 2].to_vec());
        let mut longer = k.clone();
        longer.push(b'z');
        p.push(longer);
    }
    p
}

fn key_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'c'), Just(0xffu8), Just(0u8)], 0..6),
        2 => "[a-zé Σ]{0,8}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..300),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_store_equals_a_btreeset(keys in proptest::collection::vec(key_strategy(), 0..60),
                                     extra in proptest::collection::vec(key_strategy(), 0..4)) {
        let reference = oracle::reference(&keys);
        let probes = probes_for(&keys, &extra);
        for &kind in kinds() {
            for &backend in BACKENDS {
                let store = Builder::new(kind).backend(backend).build(&keys).unwrap();
                check_store(&store, &reference, &probes);
                // Save -> load round trip, from a Vec and from a borrowed slice.
                let bytes = store.to_bytes();
                let loaded = TokenStore::from_bytes(bytes.clone()).unwrap();
                check_store(&loaded, &reference, &probes[..probes.len().min(3)]);
                let borrowed = TokenStore::from_bytes(bytes.as_slice()).unwrap();
                prop_assert_eq!(borrowed.to_sorted_vec(), store.to_sorted_vec());
            }
        }
    }

    #[test]
    fn corrupt_or_truncated_bytes_are_errors(keys in proptest::collection::vec(key_strategy(), 0..30),
                                             cut in any::<usize>(), flip in any::<usize>(), bit in 0u8..8) {
        for &kind in kinds() {
            let bytes = Builder::new(kind).build(&keys).unwrap().to_bytes();
            let cut = cut % bytes.len();
            prop_assert!(TokenStore::from_bytes(&bytes[..cut]).is_err());
            let mut bad = bytes.clone();
            let i = flip % bad.len();
            bad[i] ^= 1 << bit;
            prop_assert!(TokenStore::from_bytes(bad.as_slice()).is_err(), "{} flip at {}", kind, i);
        }
    }

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = TokenStore::from_bytes(data.as_slice());
        let mut with_header = codec::seal(data.first().copied().unwrap_or(0) % 5, 0, &data);
        let _ = TokenStore::from_bytes(with_header.as_slice()).map(|s| s.to_sorted_vec());
        with_header[12] = 3;
        let _ = TokenStore::from_bytes(with_header.as_slice()).map(|s| (s.to_sorted_vec(), s.token_of(0), s.fuzzy(b"ab", 1)));
    }

    #[test]
    fn delta_layer_equals_a_rebuilt_base(base in proptest::collection::vec(key_strategy(), 0..40),
                                         ops in proptest::collection::vec((any::<bool>(), key_strategy()), 0..40)) {
        let mut reference = oracle::reference(&base);
        for &kind in kinds() {
            let mut layered = Layered::new(Builder::new(kind).build(&base).unwrap());
            let mut r = reference.clone();
            for (insert, k) in &ops {
                if *insert {
                    prop_assert_eq!(layered.insert(k), r.insert(k.clone()));
                } else {
                    prop_assert_eq!(layered.remove(k), r.remove(k));
                }
            }
            prop_assert_eq!(layered.len(), r.len());
            let all: Vec<Vec<u8>> = r.iter().cloned().collect();
            prop_assert_eq!(layered.range(Bound::Unbounded, Bound::Unbounded), all.clone());
            for (_, k) in ops.iter().take(5) {
                prop_assert_eq!(layered.contains(k), r.contains(k));
                let want: Vec<Vec<u8>> = r.iter().filter(|x| x.starts_with(&k[..k.len().min(1)])).cloned().collect();
                prop_assert_eq!(layered.prefix(&k[..k.len().min(1)]), want);
                let want: Vec<Vec<u8>> = r.iter().filter(|x| oracle::levenshtein(x, k) <= 1).cloned().collect();
                prop_assert_eq!(layered.fuzzy(k, 1), want);
            }
            let merged = layered.merge(&Builder::new(kind)).unwrap();
            let rebuilt = Builder::new(kind).build(&all).unwrap();
            prop_assert_eq!(merged.to_bytes(), rebuilt.to_bytes());
        }
        reference.clear();
    }

    #[test]
    fn radix_trie_inserts_and_removes_like_a_btreeset(ops in proptest::collection::vec((any::<bool>(), key_strategy()), 0..120)) {
        let mut trie = RadixTrie::new();
        let mut reference = BTreeSet::new();
        for (insert, key) in &ops {
            if *insert {
                prop_assert_eq!(trie.insert(key), reference.insert(key.clone()));
            } else {
                prop_assert_eq!(trie.remove(key), reference.remove(key));
            }
        }
        let keys: Vec<Vec<u8>> = ops.iter().map(|(_, k)| k.clone()).collect();
        check_store(&trie, &reference, &probes_for(&keys, &[]));
        // Removing everything leaves the empty trie (edges merged back, no dead nodes).
        for k in &keys {
            trie.remove(k);
        }
        prop_assert_eq!(trie, RadixTrie::new());
    }

    #[test]
    fn fst_set_operations_equal_btreeset_ones(a in proptest::collection::vec(key_strategy(), 0..40),
                                               b in proptest::collection::vec(key_strategy(), 0..40)) {
        let fst = |keys: &[Vec<u8>]| match build(StoreKind::Fst, keys).unwrap() {
            TokenStore::Fst(f) => f,
            _ => unreachable!("an fst store"),
        };
        let (fa, fb) = (fst(&a), fst(&b));
        let (ra, rb) = (oracle::reference(&a), oracle::reference(&b));
        let cases = [
            (fa.union(&fb), ra.union(&rb).cloned().collect::<Vec<_>>()),
            (fa.intersection(&fb), ra.intersection(&rb).cloned().collect()),
            (fa.difference(&fb), ra.difference(&rb).cloned().collect()),
            (fa.symmetric_difference(&fb), ra.symmetric_difference(&rb).cloned().collect()),
        ];
        for (got, want) in cases {
            let got = got.unwrap();
            prop_assert_eq!(got.to_sorted_vec(), want.clone());
            // Streamed = built from scratch, byte for byte (ranks included).
            let rebuilt = fst(&want);
            prop_assert_eq!(got.as_fst_bytes(), rebuilt.as_fst_bytes());
        }
    }

    #[test]
    fn matcher_equals_a_naive_scan(text in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'B'), Just(b'b'), Just(b' '), Just(b'c'), Just(0xc3u8)], 0..300),
                                   pats in proptest::collection::vec((proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'A'), Just(b'c')], 1..14), any::<bool>(), any::<bool>(), 0u8..4), 1..8),
                                   chunk in 1usize..40) {
        let patterns: Vec<Pattern> = pats.iter().map(|(k, ww, ci, re)| {
            let p = Pattern::literal(k).whole_word(*ww).case_insensitive(*ci);
            match re { 0 => p.verify("[aAbB]+c?"), _ => p }
        }).collect();
        let regexes: Vec<Option<regex_automata::meta::Regex>> = pats.iter().map(|(_, _, _, re)| {
            (*re == 0).then(|| regex_automata::meta::Regex::new("^(?:[aAbB]+c?)$").unwrap())
        }).collect();
        let want = oracle::find_all(&patterns, &regexes, &text);
        // Both engines: the anchor prefilter and the Aho-Corasick automaton.
        for automaton in [false, true] {
            let m = Arc::new(Matcher::build(patterns.clone(), automaton).unwrap());
            prop_assert_eq!(m.find_all(&text), want.clone());
            let mut stream = m.stream();
            let mut got = Vec::new();
            for c in text.chunks(chunk) {
                stream.feed(c, &mut got);
            }
            stream.finish(&mut got);
            prop_assert_eq!(got, want.clone());
        }
    }

    #[test]
    fn tokenizer_backends_agree(text in proptest::collection::vec(prop_oneof![Just(b' '), Just(b'\t'), Just(0x0bu8), Just(b'\n'), Just(b'x'), Just(0x85u8), Just(b'\r'), Just(0x0cu8), Just(8u8), Just(14u8)], 0..200)) {
        let want: Vec<(usize, usize)> = {
            let mut v = Vec::new();
            let mut i = 0;
            while i < text.len() {
                if scalar::is_space(text[i]) { i += 1; continue; }
                let s = i;
                while i < text.len() && !scalar::is_space(text[i]) { i += 1; }
                v.push((s, i));
            }
            v
        };
        for &b in BACKENDS {
            prop_assert_eq!(token_spans(&text, b).unwrap(), want.clone());
        }
        let toks: Vec<&[u8]> = tokens(&text).collect();
        prop_assert_eq!(toks, want.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>());
    }
}

#[test]
fn the_books_trie_example() {
    for &kind in kinds() {
        let s = build(kind, ["tap", "taps", "top", "tops"]).unwrap();
        assert_eq!(s.prefix(b"ta"), vec![b"tap".to_vec(), b"taps".to_vec()], "{kind}");
        assert_eq!(s.prefix(b"").len(), 4, "{kind}");
        assert!(s.prefix(b"x").is_empty(), "{kind}");
        assert_eq!(
            s.regex("t.ps?").unwrap(),
            vec![b"tap".to_vec(), b"taps".to_vec(), b"top".to_vec(), b"tops".to_vec()]
        );
        assert_eq!(s.regex("to.*").unwrap(), vec![b"top".to_vec(), b"tops".to_vec()], "{kind}");
        assert!(matches!(s.regex("(").unwrap_err().kind(), ErrorKind::InvalidPattern { .. }));
    }
}

#[test]
fn regex_equals_a_filter_on_every_store() {
    let keys = corpus::unique_tokens(3000, 11);
    let re = regex_automata::meta::Regex::new("^(?:[st]r[aeiou].*(ing|ed))$").unwrap();
    let mut want: Vec<Vec<u8>> =
        keys.iter().filter(|k| re.is_match(k.as_bytes())).map(|k| k.clone().into_bytes()).collect();
    want.sort();
    assert!(!want.is_empty());
    for &kind in kinds() {
        let s = build(kind, &keys).unwrap();
        assert_eq!(s.regex("[st]r[aeiou].*(ing|ed)").unwrap(), want, "{kind}");
    }
}

#[test]
fn from_sorted_names_the_bad_index() {
    for &kind in kinds() {
        let b = Builder::new(kind);
        assert_eq!(b.build_sorted(["a", "c", "b"]).unwrap_err().kind(), &ErrorKind::Unsorted { index: 2 });
        assert_eq!(b.build_sorted(["a", "b", "b"]).unwrap_err().kind(), &ErrorKind::Repeated { index: 2 });
        assert_eq!(b.build_sorted(["", "a", "b"]).unwrap().len(), 3);
        assert_eq!(b.build(["b", "a", "b", ""]).unwrap().len(), 3);
    }
}

#[test]
fn nearest_is_bisect() {
    let s = SortedArena::from_sorted_unique([&b"bat"[..], b"cat", b"cow"].into_iter()).unwrap();
    assert_eq!(s.nearest(b"cat"), Some(1));
    assert_eq!(s.nearest(b"a"), Some(0));
    assert_eq!(s.nearest(b"zebra"), Some(2));
    assert_eq!(s.nearest(b"co"), Some(2));
    assert_eq!(s.nearest(b"car"), Some(1));
    assert_eq!(s.bisect(b"c"), 1);
    assert_eq!(SortedArena::default().nearest(b"x"), None);
}

#[test]
fn the_book_tokenizer_splits_on_vertical_tab() {
    let t: Vec<&[u8]> = tokens(b"a\x0bb  c\n").collect();
    assert_eq!(t, vec![&b"a"[..], b"b", b"c"]);
    let store = Builder::new(StoreKind::Fst).build_text(b"  to be\x0bor not to be\n").unwrap();
    assert_eq!(store.to_sorted_vec(), vec![b"be".to_vec(), b"not".to_vec(), b"or".to_vec(), b"to".to_vec()]);
    assert_eq!(tokens_str("a\u{2003}b").collect::<Vec<_>>(), vec!["a", "b"]);
}

#[test]
fn stores_are_byte_identical_on_every_backend_and_input_order() {
    let mut keys = corpus::unique_tokens(20_000, 3);
    let mut dup = keys.clone();
    dup.extend(keys.iter().take(5000).cloned());
    for &kind in kinds() {
        let want = Builder::new(kind).backend(Backend::Scalar).build(&keys).unwrap().to_bytes();
        for &b in BACKENDS {
            assert_eq!(Builder::new(kind).backend(b).build(&dup).unwrap().to_bytes(), want, "{kind} {b}");
        }
        keys.reverse();
        assert_eq!(Builder::new(kind).build(&keys).unwrap().to_bytes(), want, "{kind} reversed");
    }
}

/// Thousands of corpus keys: many buckets of the compressed store and samples of the indexed
/// one (their boundaries are where bugs hide), every query against the reference, then a
/// save/load round trip.
#[test]
fn every_store_on_thousands_of_corpus_keys() {
    let mut keys: Vec<Vec<u8>> = corpus::unique_tokens(3_001, 12).into_iter().map(String::into_bytes).collect();
    keys.push(Vec::new());
    keys.push(vec![b'q'; 400]);
    let reference = oracle::reference(&keys);
    let sorted: Vec<&Vec<u8>> = reference.iter().collect();
    let mut extra: Vec<Vec<u8>> = sorted.iter().step_by(251).map(|k| k.to_vec()).collect();
    extra.extend(sorted.iter().step_by(256).skip(1).map(|k| [k.as_slice(), b"~"].concat()));
    let probes = probes_for(&keys, &extra);
    for &kind in kinds() {
        let store = build(kind, &keys).unwrap();
        check_store(&store, &reference, &probes);
        let loaded = TokenStore::from_bytes(store.to_bytes()).unwrap();
        assert_eq!(loaded.to_sorted_vec(), store.to_sorted_vec(), "{kind} round trip");
        assert!(probes.iter().all(|p| loaded.contains(p) == reference.contains(p)), "{kind} loaded contains");
    }
}

#[test]
fn fst_and_trie_are_smaller_than_the_raw_keys_on_the_corpus() {
    let keys = corpus::unique_tokens(50_000, 5);
    let raw: usize = keys.iter().map(String::len).sum();
    for kind in [StoreKind::Fst, StoreKind::FrontCoded, StoreKind::Succinct] {
        let s = build(kind, &keys).unwrap();
        assert!(s.heap_bytes() < raw, "{kind}: {} >= {raw}", s.heap_bytes());
    }
    let arena = build(StoreKind::Sorted, &keys).unwrap();
    assert_eq!(arena.heap_bytes(), raw + 4 * (keys.len() + 1));
    // Huffman-coded front coding: under half the raw bytes (a third on millions of keys), and
    // the smallest store.
    let small = build(StoreKind::Compressed, &keys).unwrap().heap_bytes();
    assert!(small * 2 < raw, "compressed {small} vs raw {raw}");
    for &kind in kinds() {
        assert!(build(kind, &keys).unwrap().heap_bytes() >= small, "{kind} smaller than compressed");
    }
}

#[test]
fn maps_and_interner() {
    let words = ["b", "a", "b", "c", "b", "a"];
    for &kind in kinds() {
        let counts = Builder::new(kind).build_counts(words).unwrap();
        assert_eq!(
            (counts.get(b"a"), counts.get(b"b"), counts.get(b"c"), counts.get(b"d")),
            (Some(2), Some(3), Some(1), None)
        );
        let m = Builder::new(kind).build_map([("x", 1), ("y", 2), ("x", 3)]).unwrap();
        assert_eq!((m.get(b"x"), m.get(b"y")), (Some(3), Some(2)));
        let loaded = ValueMap::from_bytes(m.to_bytes()).unwrap();
        assert_eq!((loaded.get(b"x"), loaded.get(b"y"), loaded.len()), (Some(3), Some(2), 2));
        assert!(TokenStore::from_bytes(m.to_bytes()).is_err());
        assert!(ValueMap::from_bytes(build(kind, ["x"]).unwrap().to_bytes()).is_err());
    }
    let mut i = Interner::new();
    let ids: Vec<u32> = words.iter().map(|w| i.intern(w.as_bytes()).unwrap()).collect();
    assert_eq!(ids, vec![0, 1, 0, 2, 0, 1]);
    assert_eq!((i.resolve(2), i.count(0), i.get(b"zz"), i.len()), (Some(&b"c"[..]), Some(3), None, 3));
    let frozen = i.freeze(StoreKind::Succinct).unwrap();
    assert_eq!(frozen.get(b"b"), Some(3));
}

#[test]
fn versions_and_foreign_bytes() {
    let mut bytes = build(StoreKind::Sorted, ["a"]).unwrap().to_bytes();
    assert!(matches!(
        TokenStore::from_bytes(b"hello world, not a store at all".as_slice()).unwrap_err().kind(),
        ErrorKind::Corrupt(_)
    ));
    bytes[8] = 9;
    assert_eq!(TokenStore::from_bytes(bytes.as_slice()).unwrap_err().kind(), &ErrorKind::UnsupportedVersion(9));
    let msg = TokenStore::from_bytes(&bytes[..10]).unwrap_err().to_string();
    assert!(msg.contains("header"), "{msg}");
}

#[test]
fn contains_batch_is_the_same_on_every_backend() {
    let keys = corpus::unique_tokens(30_000, 9);
    let store = build(StoreKind::FrontCoded, keys.iter().step_by(2)).unwrap();
    let probes: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    let want: Vec<bool> = (0..keys.len()).map(|i| i % 2 == 0).collect();
    for &b in BACKENDS {
        assert_eq!(contains_batch(&store, &probes, b).unwrap(), want, "{b}");
    }
}

#[test]
fn matcher_rejects_bad_patterns_and_swaps_atomically() {
    let e = Matcher::new([Pattern::literal("ok"), Pattern::literal("")]).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::InvalidPattern { index: 1, message: "empty keyword".into() });
    let e = Matcher::new([Pattern::literal("ok"), Pattern::literal("x").verify("(")]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidPattern { index: 1, .. }));
    let text = b"the cat sat on the mat with a hat".repeat(50);
    let a = Matcher::new([Pattern::literal("cat"), Pattern::literal("mat")]).unwrap();
    let b = Matcher::new([Pattern::literal("hat").whole_word(true), Pattern::literal("at")]).unwrap();
    let (want_a, want_b) = (a.find_all(&text), b.find_all(&text));
    assert_ne!(want_a, want_b);
    let shared = Arc::new(SharedMatcher::new(a.clone()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            let shared = Arc::clone(&shared);
            let (text, want_a, want_b) = (&text, &want_a, &want_b);
            s.spawn(move || {
                for _ in 0..200 {
                    let got = shared.find_all(text);
                    assert!(got == *want_a || got == *want_b);
                }
            });
        }
        for i in 0..200 {
            shared.swap(if i % 2 == 0 { b.clone() } else { a.clone() });
        }
    });
    assert_eq!(shared.find_all(&text), want_a);
}

/// Corpus keywords of every length group (1 to 30+ bytes), some case-insensitive or whole
/// word, over a Zipf text: both engines, every backend and odd stream chunks equal the naive
/// every-pattern-at-every-position scan.
#[test]
fn matcher_equals_a_naive_scan_on_corpus_text() {
    let vocab = corpus::unique_tokens(3_000, 4);
    let text = corpus::zipf_text(&vocab, 12_000, 8).into_bytes();
    let mut patterns: Vec<Pattern> = (0..300)
        .map(|i| {
            let p = Pattern::literal(&vocab[(i * 7919) % vocab.len()]);
            match i % 7 {
                0 => p.case_insensitive(true),
                1 => p.whole_word(true),
                _ => p,
            }
        })
        .collect();
    for kw in ["a", "th", "the", "ing", "s ", "ation", "http://www.", "interstrand", "é"] {
        patterns.push(Pattern::literal(kw));
    }
    let regexes = vec![None; patterns.len()];
    let want = oracle::find_all(&patterns, &regexes, &text);
    assert!(want.len() > 1000, "{} matches", want.len());
    for automaton in [false, true] {
        let m = Arc::new(Matcher::build(patterns.clone(), automaton).unwrap());
        assert_eq!(m.find_all(&text), want, "automaton {automaton}");
        for &b in BACKENDS {
            assert_eq!(m.find_all_on(&text, b).unwrap(), want, "automaton {automaton} {b}");
        }
        for chunk in [1, 63, 64, 65, 1000] {
            let mut stream = m.stream();
            let mut got = Vec::new();
            for c in text[..20_000].chunks(chunk) {
                stream.feed(c, &mut got);
            }
            stream.finish(&mut got);
            let head: Vec<Match> = oracle::find_all(&patterns, &regexes, &text[..20_000]);
            assert_eq!(got, head, "automaton {automaton} chunk {chunk}");
        }
    }
    // Few short keywords and no 1-2 byte ones: the Simd backend compares their windows 16
    // positions at a time (case-folded for the case-insensitive one).
    let mut few: Vec<Pattern> = patterns.iter().filter(|p| p.keyword().len() >= 7).cloned().collect();
    few.extend([Pattern::literal("the"), Pattern::literal("ING").case_insensitive(true), Pattern::literal("lyst")]);
    let want_few = oracle::find_all(&few, &vec![None; few.len()], &text);
    let m = Matcher::new(few.clone()).unwrap();
    for &b in BACKENDS {
        assert_eq!(m.find_all_on(&text, b).unwrap(), want_few, "few short keywords, {b}");
    }
    // Parallel chunks of 1 MiB: a text over the threshold, matches across chunk borders.
    let big: Vec<u8> = text.iter().copied().cycle().take(MATCH_PARALLEL_THRESHOLD + 1234).collect();
    let m = Matcher::new(patterns.clone()).unwrap();
    let seq = m.find_all_on(&big, Backend::Scalar).unwrap();
    assert_eq!(seq[..want.len()], want[..]);
    for &b in BACKENDS {
        assert_eq!(m.find_all_on(&big, b).unwrap(), seq, "{b}");
    }
}

#[test]
fn fold4_is_ascii_lowercase() {
    for b in 0..=255u8 {
        let w = u32::from_le_bytes([b, b'Q', b.wrapping_add(1), 0xC9]);
        let want = u32::from_le_bytes([b.to_ascii_lowercase(), b'q', b.wrapping_add(1).to_ascii_lowercase(), 0xC9]);
        assert_eq!(crate::matcher::fold4_for_tests(w), want, "{b}");
    }
}

/// Probes around every key: the key, each of its prefixes, the key with a byte added, and the
/// key with its last byte one lower and one higher (the cases the compressed store's bucket scan
/// tells apart from the shared-prefix lengths alone).
fn neighbours(keys: &BTreeSet<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut probes = vec![Vec::new(), vec![0xff; 3]];
    for k in keys {
        probes.extend((0..=k.len()).map(|i| k[..i].to_vec()));
        probes.extend([[k.as_slice(), &[0]].concat(), [k.as_slice(), b"m"].concat()]);
        if let Some((&last, head)) = k.split_last() {
            probes.extend([last.wrapping_sub(1), last.wrapping_add(1)].map(|b| [head, &[b]].concat()));
        }
    }
    probes
}

/// `id_of` of the compressed store (a scan that compares only the bytes it must) equals the
/// sorted rank in the reference, or `None`, for every key and its neighbours: many buckets of
/// corpus keys (some with rare bytes, whose codes are long), shared-prefix-heavy keys of a tiny
/// alphabet, lengths past the 255 escape, every byte value, prefix chains and single keys.
#[test]
fn compressed_id_of_equals_the_rank_for_every_neighbour() {
    let mut corpus: Vec<Vec<u8>> = corpus::unique_tokens(4_000, 3).into_iter().map(String::into_bytes).collect();
    // Rare bytes get codes longer than one table lookup covers.
    let rare: Vec<Vec<u8>> = (1..40u8).map(|b| [corpus[usize::from(b) * 97].as_slice(), &[b, b'e']].concat()).collect();
    corpus.extend(rare);
    let mut rng = corpus::Rng::new(5);
    let tiny: Vec<Vec<u8>> =
        (0..3_000).map(|_| (0..1 + rng.below(9)).map(|_| b"ab\xff"[rng.below(3)]).collect()).collect();
    // Escaped lengths: shared prefixes of 300 bytes, suffixes of up to 600.
    let long_prefix: Vec<Vec<u8>> = (0..300)
        .map(|i| [vec![b'q'; 300], vec![b"az\x00\xff"[i % 4]; 1 + i / 8], vec![b"bc"[i / 4 % 2]]].concat())
        .collect();
    let long_suffix: Vec<Vec<u8>> =
        (0..150).map(|_| (0..rng.below(600)).map(|_| b"abc\x00\xff"[rng.below(5)]).collect()).collect();
    // Every byte value, and chains where each key is a prefix of the next.
    let bytes: Vec<Vec<u8>> = (0..=255u8).flat_map(|b| [vec![b], vec![b, b], vec![b'k', b, 0]]).collect();
    let chains: Vec<Vec<u8>> = [b'a', 0, 0xff].iter().flat_map(|&b| (1..=130).map(move |n| vec![b; n])).collect();
    let singles = [vec![Vec::new()], vec![vec![0xff; 400]]];
    for keys in [corpus, tiny, long_prefix, long_suffix, bytes, chains].into_iter().chain(singles) {
        let reference = oracle::reference(&keys);
        let sorted: Vec<&Vec<u8>> = reference.iter().collect();
        let store = build(StoreKind::Compressed, &keys).unwrap();
        for p in neighbours(&reference) {
            let want = sorted.binary_search(&&p).ok().map(|i| i as u32);
            assert_eq!(store.id_of(&p), want, "id_of {p:?}");
        }
    }
}
