//! Criterion benches for `stencil`: one `evolve_inplace` step of the book's 2D run
//! (`stencil/evolve_inplace/{backend}/{n}`, f64, periodic), the two-buffer `evolve`, the f32
//! step, `Simulation::run(10)` with temporal blocking (`stencil/run10/{backend}/{n}`), and a
//! copy of the grid (`stencil/copy/memcpy/{n}`, the memory-bandwidth roof). Throughput is in
//! cells per step.
//!
//! Each bench first checks its result against the scalar backend bit for bit and the mass
//! against the book's, so `cargo test --benches` is a correctness test.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferdelance::stencil::{self, BACKENDS, Backend, Params, Simulation};
use std::hint::black_box;

const SIZES: &[usize] = &[256, 1024, 4096];

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn step(c: &mut Criterion) {
    for &n in SIZES {
        let shape = [n, n];
        let ic = stencil::book_initial_condition::<f64>(&shape).unwrap();
        let m0 = stencil::mass(&ic);
        let one = |b: Backend| {
            let p = Params::<f64>::new(&shape).backend(b).build().unwrap();
            let (mut g, mut s) = (ic.clone(), vec![0.0; n * n]);
            stencil::evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
            (p, g, s)
        };
        let reference = bits(&one(Backend::Scalar).1);
        let mut g = c.benchmark_group("stencil/evolve_inplace");
        g.throughput(Throughput::Elements((n * n) as u64));
        g.sample_size(10);
        for &b in BACKENDS {
            let (p, mut grid, mut scratch) = one(b);
            assert_eq!(bits(&grid), reference, "{b}");
            assert!((stencil::mass(&grid) - m0).abs() <= 1e-12 * m0);
            g.bench_function(format!("{b}/{n}"), |bench| {
                bench.iter(|| stencil::evolve_inplace(black_box(&mut grid[..]), &mut scratch[..], &p).unwrap())
            });
        }
        g.finish();

        let mut g = c.benchmark_group("stencil/evolve");
        g.throughput(Throughput::Elements((n * n) as u64));
        g.sample_size(10);
        for &b in BACKENDS {
            let p = Params::<f64>::new(&shape).backend(b).build().unwrap();
            let mut out = vec![0.0; n * n];
            stencil::evolve(&ic[..], &mut out[..], &p).unwrap();
            assert_eq!(bits(&out), reference, "{b}");
            g.bench_function(format!("{b}/{n}"), |bench| {
                bench.iter(|| stencil::evolve(black_box(&ic[..]), &mut out[..], &p).unwrap())
            });
        }
        g.finish();

        let mut g = c.benchmark_group("stencil/copy");
        g.throughput(Throughput::Elements((n * n) as u64));
        g.sample_size(10);
        let mut dst = vec![0.0; n * n];
        g.bench_function(format!("memcpy/{n}"), |bench| bench.iter(|| dst.copy_from_slice(black_box(&ic))));
        assert_eq!(dst, ic);
        g.finish();
    }
}

fn f32_and_blocking(c: &mut Criterion) {
    let n = 1024;
    let shape = [n, n];
    let ic32 = stencil::book_initial_condition::<f32>(&shape).unwrap();
    let mut g = c.benchmark_group("stencil/evolve_inplace_f32");
    g.throughput(Throughput::Elements((n * n) as u64));
    g.sample_size(10);
    let mut reference = None;
    for &b in BACKENDS {
        let p = Params::<f32>::new(&shape).backend(b).build().unwrap();
        let (mut grid, mut s) = (ic32.clone(), vec![0.0f32; n * n]);
        stencil::evolve_inplace(&mut grid[..], &mut s[..], &p).unwrap();
        assert_eq!(reference.get_or_insert_with(|| grid.clone()), &grid, "{b}");
        g.bench_function(format!("{b}/{n}"), |bench| {
            bench.iter(|| stencil::evolve_inplace(black_box(&mut grid[..]), &mut s[..], &p).unwrap())
        });
    }
    g.finish();

    let n = 4096;
    let shape = [n, n];
    let ic = stencil::book_initial_condition::<f64>(&shape).unwrap();
    let p = Params::<f64>::new(&shape).backend(Backend::Scalar).build().unwrap();
    let (mut g0, mut s0) = (ic.clone(), vec![0.0; n * n]);
    for _ in 0..10 {
        stencil::evolve_inplace(&mut g0[..], &mut s0[..], &p).unwrap();
    }
    let reference = bits(&g0);
    drop((g0, s0));
    let mut g = c.benchmark_group("stencil/run10");
    g.throughput(Throughput::Elements((n * n * 10) as u64));
    g.sample_size(10);
    for &b in BACKENDS {
        let p = Params::<f64>::new(&shape).backend(b).build().unwrap();
        let mut sim = Simulation::new(p.clone(), &ic[..]).unwrap();
        assert!(sim.blocking_depth() >= 2);
        sim.run(10).unwrap();
        assert_eq!(bits(sim.state()), reference, "{b}: blocked run differs from 10 single steps");
        g.bench_function(format!("{b}/{n}"), |bench| bench.iter(|| black_box(&mut sim).run(10).unwrap()));
    }
    g.finish();
}

criterion_group!(group, step, f32_and_blocking);
criterion_main!(group);
