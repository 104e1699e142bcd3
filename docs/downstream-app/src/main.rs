//! A user's application: one call per crate, through its public API only.

fn main() {
    // timing: time a closure and read the process's resource usage.
    let (sum, usage) = timing::ResourceUsage::measure(|| (1..=1000u64).sum::<u64>()).expect("getrusage works on Linux");
    assert_eq!(sum, 500_500);
    println!("timing: sum 1..=1000 = {sum}, user {:?}", usage.user);

    // The facade re-exports every crate and the shared Backend.
    assert_eq!(ferdelance::Backend::default(), timing::Backend::Auto);
    println!("ferdelance facade: simd_isa = {}", ferdelance::simd_isa());

    // fractal: the book's Julia run (1000 x 1000, 300 iterations) and its checksum.
    let julia = fractal::julia(1000, 300).expect("the book's Julia run");
    assert_eq!((julia.width(), julia.height(), julia.sum()), (1000, 1000, 33_219_980));
    println!("fractal: julia sum = {} on {}", julia.sum(), julia.backend());
    // stencil: (added by the stencil crate)
    // primes: (added by the primes crate)
    // probabilistic: (added by the probabilistic crate)
    // compact-text: (added by the compact-text crate)
    let _ = (fractal::Backend::Auto, stencil::Backend::Auto, primes::Backend::Auto, probabilistic::Backend::Auto, compact_text::Backend::Auto);
    println!("downstream-app: ok");
}
