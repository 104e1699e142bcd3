//! Criterion benches for `timing`: what a scope timer costs next to a bare `Instant` pair.
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Instant;

fn benches(c: &mut Criterion) {
    // A bench is also a test: the bare pair must measure a non-negative time.
    assert!(Instant::now().elapsed().as_nanos() < u128::MAX);
    let mut g = c.benchmark_group("timing/overhead");
    g.bench_function("instant_pair", |b| {
        b.iter(|| {
            let t = Instant::now();
            black_box(t.elapsed())
        })
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
