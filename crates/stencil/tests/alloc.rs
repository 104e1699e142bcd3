//! `evolve_inplace`, `evolve` and a warmed-up `Simulation::run` allocate nothing: the
//! `timing` counting allocator, process-wide, around each call (one test in this binary, so
//! nothing else allocates meanwhile).

use stencil::{BACKENDS, Boundary, Params, Simulation, book_initial_condition, evolve, evolve_inplace};
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
                let n = allocations(|| {
                    for _ in 0..3 {
                        evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
                        evolve(&g[..], &mut s[..], &p).unwrap();
                    }
                });
                assert_eq!(n, 0, "{shape:?} {bc:?} {b}: {n} allocations");
                let mut sim = Simulation::new(p, &g[..]).unwrap();
                sim.set_blocking_depth(Some(4));
                sim.run(8).unwrap();
                let n = allocations(|| sim.run(13).unwrap());
                assert_eq!(n, 0, "run {shape:?} {bc:?} {b}: {n} allocations");
            }
        }
    }
}
