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
    // stencil: the main call, one allocation-free step in place per time step; mass is
    // conserved under periodic boundaries and the book's initial condition has mass 0.005 * cells.
    {
        let shape = [300, 200];
        let params = stencil::Params::<f64>::new(&shape).diffusivity(1.0).dt(0.1).build().expect("stable parameters");
        let mut grid = stencil::book_initial_condition::<f64>(&shape).expect("valid shape");
        let mut scratch = vec![0.0; grid.len()];
        let mass0 = stencil::mass(&grid);
        assert!((mass0 - 0.005 * 30.0 * 20.0).abs() < 1e-12);
        for _ in 0..100 {
            stencil::evolve_inplace(&mut grid[..], &mut scratch[..], &params).expect("shapes match");
        }
        let drift = (stencil::mass(&grid) - mass0).abs() / mass0;
        assert!(drift <= 1e-12, "mass drift {drift}");
        assert!(grid.iter().all(|&u| (0.0..=0.005).contains(&u)), "maximum principle");
        println!("stencil: 100 steps of 300x200, mass {:.12} (drift {drift:.1e})", stencil::mass(&grid));
    }
    // primes: count, test and factor through the public API (derived oracles).
    assert_eq!(primes::prime_pi(1_000_000), 78_498);
    assert!(primes::is_prime(100_109_100_129_100_151) && !primes::is_prime(561));
    assert_eq!(primes::factorize(100_109_100_129_100_369), vec![(95_362_951, 1), (1_049_769_319, 1)]);
    println!("primes: pi(10^6) = 78498, nth_prime(10^4) = {}", primes::nth_prime(10_000).expect("k >= 1"));
    // probabilistic: count 100k distinct keys (some repeated) with a HyperLogLog, merge a shard, check the error bound.
    { use probabilistic::{Cardinality as _, Sketch as _}; let mut a = probabilistic::HyperLogLog::new(14).expect("valid p"); let mut b = a.clone(); for i in 0..60_000u64 { a.insert(i.to_le_bytes()); b.insert((i + 40_000).to_le_bytes()); } a.merge(&b).expect("same parameters"); let (lo, hi) = (a.lower(3.0), a.upper(3.0)); assert!(lo <= 100_000.0 && 100_000.0 <= hi, "{lo} .. {hi}"); assert_eq!(probabilistic::HyperLogLog::from_bytes(&a.to_bytes()).expect("round trip"), a); println!("probabilistic: ~{:.0} distinct (3 sigma: {lo:.0} .. {hi:.0}), count_distinct = {:.0}", a.estimate(), probabilistic::count_distinct(["a", "b", "a"])); }
    // compact-text: build a store from unsorted tokens with repeats, query it, save and reload it.
    { use compact_text::TokenSet as _; let words = ["tops", "tap", "top", "taps", "tap", "zwiebel"]; let store = compact_text::Builder::new(compact_text::StoreKind::Fst).build(words).expect("valid keys"); assert_eq!((store.len(), store.contains(b"zwiebel"), store.contains(b"Zwiebel")), (5, true, false)); assert_eq!(store.prefix(b"ta"), vec![b"tap".to_vec(), b"taps".to_vec()]); let loaded = compact_text::TokenStore::from_bytes(store.to_bytes()).expect("round trip"); assert_eq!(loaded.to_sorted_vec(), store.to_sorted_vec()); println!("compact-text: {} keys, {:.1} bytes/key", store.len(), store.bytes_per_key()); }
    let _ = (fractal::Backend::Auto, stencil::Backend::Auto, primes::Backend::Auto, probabilistic::Backend::Auto, compact_text::Backend::Auto);
    println!("downstream-app: ok");
}
