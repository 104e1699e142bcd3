//! Criterion benches for `fractal`: the book's Julia run (`fractal/julia/{backend}/{width}`, book
//! grid, 300 iterations) on every compiled backend, plus the f32 fast path and the Mandelbrot
//! view at 1000 x 1000.
//!
//! Each bench checks its counts first (the book's checksum), so `cargo test --benches` is a
//! correctness test.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferdelance::fractal::{self, BACKENDS, Grid, Julia, Mandelbrot, Precision};
use std::hint::black_box;

/// Book grid widths and their derived checksums (w = 1000: the book's assert).
const CASES: &[(usize, u64)] = &[(100, 334_236), (1000, 33_219_980)];

fn julia(c: &mut Criterion) {
    for &(width, sum) in CASES {
        let mut g = c.benchmark_group("fractal/julia");
        g.throughput(Throughput::Elements(sum));
        for &b in BACKENDS {
            let job = Julia::book().grid(Grid::Book { width }).backend(b);
            let mut out = vec![0u32; job.dims().unwrap().pixels()];
            job.run_into(&mut out).unwrap();
            assert_eq!(out.iter().map(|&n| n as u64).sum::<u64>(), sum, "{b}");
            g.bench_function(format!("{b}/{width}"), |bench| bench.iter(|| job.run_into(black_box(&mut out)).unwrap()));
        }
        g.finish();
    }
}

fn variants(c: &mut Criterion) {
    let mut g = c.benchmark_group("fractal/julia-f32");
    let f32_job = Julia::book().precision(Precision::F32);
    let reference = f32_job.backend(fractal::Backend::Scalar).run().unwrap();
    for &b in BACKENDS {
        let job = f32_job.backend(b);
        let mut out = vec![0u32; reference.counts().len()];
        job.run_into(&mut out).unwrap();
        assert_eq!(out, reference.counts(), "{b}");
        g.throughput(Throughput::Elements(reference.sum()));
        g.bench_function(format!("{b}/1000"), |bench| bench.iter(|| job.run_into(black_box(&mut out)).unwrap()));
    }
    g.finish();

    let mut g = c.benchmark_group("fractal/mandelbrot");
    let view = Mandelbrot::new().grid(Grid::Exact { width: 1000, height: 1000 });
    let reference = view.backend(fractal::Backend::Scalar).run().unwrap();
    for &b in BACKENDS {
        let job = view.backend(b);
        let mut out = vec![0u32; 1000 * 1000];
        job.run_into(&mut out).unwrap();
        assert_eq!(out, reference.counts(), "{b}");
        g.throughput(Throughput::Elements(reference.sum()));
        g.bench_function(format!("{b}/1000"), |bench| bench.iter(|| job.run_into(black_box(&mut out)).unwrap()));
    }
    g.finish();
}

criterion_group!(group, julia, variants);
criterion_main!(group);
