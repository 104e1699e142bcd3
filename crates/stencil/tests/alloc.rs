//! `evolve_inplace`, `evolve` and a warmed-up `Simulation::run` allocate nothing: the
//! `timing` counting allocator, process-wide, around each call (one test in this binary, so
//! nothing else allocates meanwhile).
//!
//! The scalar and SIMD backends must show exactly 0. The parallel backend's own code allocates
//! nothing either, but rayon's scheduler queues (the injector's 63-slot blocks, a worker
//! deque's buffer) now and then allocate a block inside the pool; so for `Parallel` the test
//! runs many calls and allows a few such blocks in total: one allocation per call would fail.

use stencil::{BACKENDS, Backend, Boundary, Params, Simulation, book_initial_condition, evolve, evolve_inplace};
use timing::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::new();

fn allocations(f: impl FnOnce()) -> u64 {
    let before = CountingAlloc::global().expect("installed").allocations;
    f();
    CountingAlloc::global().expect("installed").allocations - before
}

#[test]
fn steps_allocate_nothing() {
    // The counter sees allocations (so a 0 below means something).
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 64]))), 1);
    for shape in [vec![600, 700], vec![20, 30, 40], vec![5000], vec![2, 9]] {
        for bc in [Boundary::Periodic, Boundary::Neumann, Boundary::Dirichlet(1.0)] {
            for &b in BACKENDS {
                let p = Params::<f64>::new(&shape).boundary(bc).backend(b).build().unwrap();
                let mut g = book_initial_condition::<f64>(&shape).unwrap();
                let mut s = vec![0.0; g.len()];
                // Warm up (rayon starts its pool on first use).
                evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
                let (calls, allowed) = if b == Backend::Parallel { (20, 6) } else { (3, 0) };
                let n = allocations(|| {
                    for _ in 0..calls {
                        evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
                        evolve(&g[..], &mut s[..], &p).unwrap();
                    }
                });
                assert!(n <= allowed, "{shape:?} {bc:?} {b}: {n} allocations in {} calls", 2 * calls);
                let mut sim = Simulation::new(p, &g[..]).unwrap();
                sim.set_blocking_depth(Some(4));
                sim.run(8).unwrap();
                let n = allocations(|| sim.run(13 * calls / 3).unwrap());
                assert!(n <= allowed, "run {shape:?} {bc:?} {b}: {n} allocations");
            }
        }
    }
}
