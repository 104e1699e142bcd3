//! A user's application: one call per crate, through its public API only.

fn main() {
    // timing: time a closure and read the process's resource usage.
    let (sum, usage) = timing::ResourceUsage::measure(|| (1..=1000u64).sum::<u64>()).expect("getrusage works on Linux");
    assert_eq!(sum, 500_500);
    println!("timing: sum 1..=1000 = {sum}, user {:?}", usage.user);
    let stats = timing::bench(|| (1..=1000u64).sum::<u64>()).loops(100).repeats(3).run().expect("valid parameters");
    assert_eq!((stats.loops(), stats.repeats()), (100, 3));
    assert!(stats.min() <= stats.median() && stats.median() <= stats.max());
    println!("timing: {stats}");

    // The facade re-exports every crate and the shared Backend.
    assert_eq!(ferdelance::Backend::default(), timing::Backend::Auto);
    println!("ferdelance facade: simd_isa = {}", ferdelance::simd_isa());

    // fractal: the book's Julia run (1000 x 1000, 300 iterations) and its checksum.
    let julia = fractal::julia(1000, 300).expect("the book's Julia run");
    assert_eq!((julia.width(), julia.height(), julia.sum()), (1000, 1000, 33_219_980));
    println!("fractal: julia sum = {} on {}", julia.sum(), julia.backend());
    // stencil: (added by the stencil crate)
    // primes: (added by the primes crate)
    // probabilistic: count 100k distinct keys (some repeated) with a HyperLogLog, merge a shard, check the error bound.
    { use probabilistic::{Cardinality as _, Sketch as _}; let mut a = probabilistic::HyperLogLog::new(14).expect("valid p"); let mut b = a.clone(); for i in 0..60_000u64 { a.insert(i.to_le_bytes()); b.insert((i + 40_000).to_le_bytes()); } a.merge(&b).expect("same parameters"); let (lo, hi) = (a.lower(3.0), a.upper(3.0)); assert!(lo <= 100_000.0 && 100_000.0 <= hi, "{lo} .. {hi}"); assert_eq!(probabilistic::HyperLogLog::from_bytes(&a.to_bytes()).expect("round trip"), a); println!("probabilistic: ~{:.0} distinct (3 sigma: {lo:.0} .. {hi:.0}), count_distinct = {:.0}", a.estimate(), probabilistic::count_distinct(["a", "b", "a"])); }
    // compact-text: build a store from unsorted tokens with repeats, query it, save and reload it.
    { use compact_text::TokenSet as _; let words = ["tops", "tap", "top", "taps", "tap", "zwiebel"]; let store = compact_text::Builder::new(compact_text::StoreKind::Fst).build(words).expect("valid keys"); assert_eq!((store.len(), store.contains(b"zwiebel"), store.contains(b"Zwiebel")), (5, true, false)); assert_eq!(store.prefix(b"ta"), vec![b"tap".to_vec(), b"taps".to_vec()]); let loaded = compact_text::TokenStore::from_bytes(store.to_bytes()).expect("round trip"); assert_eq!(loaded.to_sorted_vec(), store.to_sorted_vec()); println!("compact-text: {} keys, {:.1} bytes/key", store.len(), store.bytes_per_key()); }
    let _ = (fractal::Backend::Auto, stencil::Backend::Auto, primes::Backend::Auto, probabilistic::Backend::Auto, compact_text::Backend::Auto);
    println!("downstream-app: ok");
}
