//! Exact allocation counts for known allocation patterns (per-thread view).

use std::hint::black_box;
use timing::{AllocStats, CountingAlloc};

fn delta_of<T>(f: impl FnOnce() -> T) -> (T, AllocStats) {
    let mark = CountingAlloc::checkpoint().unwrap();
    let value = f();
    let d = mark.delta().unwrap();
    (value, d)
}

#[test]
fn one_mebibyte_vec() {
    assert!(CountingAlloc::is_installed());
    let (v, d) = delta_of(|| black_box(vec![0u8; 1 << 20]));
    assert_eq!(d.allocations, 1);
    assert_eq!(d.bytes_allocated, 1_048_576);
    assert_eq!((d.deallocations, d.reallocations, d.bytes_freed), (0, 0, 0));
    assert_eq!((d.current, d.peak), (1_048_576, 1_048_576));
    let (_, d) = delta_of(|| drop(v));
    assert_eq!((d.allocations, d.deallocations, d.bytes_freed, d.current), (0, 1, 1_048_576, -1_048_576));
}

#[test]
fn heap_census_of_two_million_complex() {
    // The book's heapy census: 2M Python complex objects = 64,000,000 B (32 B each); the
    // same numbers as Complex64 (two f64, 16 B) in one Vec: 32,000,000 B in 1 allocation.
    let n = 2_000_000;
    let (zs, d) = delta_of(|| {
        let mut zs: Vec<(f64, f64)> = Vec::with_capacity(n);
        zs.extend((0..n).map(|i| (i as f64, -(i as f64))));
        black_box(zs)
    });
    assert_eq!((d.allocations, d.bytes_allocated), (1, 32_000_000));
    drop(zs);
    // One box per number (Python's object-per-value layout): n + 1 allocations.
    let (boxes, d) = delta_of(|| {
        let v: Vec<Box<(f64, f64)>> = (0..n).map(|i| Box::new((i as f64, 0.0))).collect();
        black_box(v)
    });
    assert_eq!(d.allocations, n as u64 + 1);
    assert_eq!(d.bytes_allocated, n as u64 * 16 + n as u64 * 8);
    drop(boxes);
}

#[test]
fn patterns_without_allocation() {
    let (_, d) = delta_of(|| {
        let v: Vec<u64> = Vec::new();
        let z: Vec<()> = Vec::with_capacity(1000);
        let s = String::new();
        let a = black_box([0u8; 4096]);
        black_box((v, z, s, a.len()))
    });
    assert_eq!(d, AllocStats::default());
    let mut v: Vec<u32> = Vec::with_capacity(100);
    let (_, d) = delta_of(|| v.extend(0..100));
    assert_eq!(d.allocations + d.reallocations, 0, "pushing within capacity never allocates");
}

#[test]
fn growth_is_reallocation_and_peak_tracks_the_high_water_mark() {
    let (_, d) = delta_of(|| {
        let mut v: Vec<u8> = Vec::with_capacity(1000);
        v.reserve_exact(3000); // grows to exactly 3000: a realloc of 1000 -> 3000
        black_box(&v);
        drop(v);
        let small = vec![1u8; 500];
        black_box(small)
    });
    assert_eq!((d.allocations, d.reallocations, d.deallocations), (2, 1, 1));
    assert_eq!(d.bytes_allocated, 1000 + 3000 + 500);
    assert_eq!(d.bytes_freed, 1000 + 3000);
    assert_eq!(d.current, 500);
    assert_eq!(d.peak, 3000);
}

#[test]
fn threads_see_only_their_own_allocations() {
    let handles: Vec<_> = (1..=4u64)
        .map(|k| {
            std::thread::spawn(move || {
                let mark = CountingAlloc::checkpoint().unwrap();
                let mut kept = Vec::with_capacity(16);
                for _ in 0..k {
                    kept.push(black_box(vec![7u8; 10_000 * k as usize]));
                }
                let d = mark.delta().unwrap();
                drop(kept);
                d
            })
        })
        .collect();
    for (k, h) in (1..=4u64).zip(handles) {
        let d = h.join().unwrap();
        assert_eq!(d.allocations, k + 1, "thread {k}: its k vectors and the outer Vec");
        assert_eq!(d.bytes_allocated, k * 10_000 * k + 16 * 24);
    }
    let g = CountingAlloc::global().unwrap();
    assert!(g.allocations >= 10 && g.peak >= g.current);
}

#[test]
fn reset_thread_zeroes_this_threads_view() {
    let v = black_box(vec![1u8; 100]);
    CountingAlloc::reset_thread().unwrap();
    assert_eq!(CountingAlloc::thread().unwrap(), AllocStats::default());
    drop(v);
    let t = CountingAlloc::thread().unwrap();
    assert_eq!((t.deallocations, t.current), (1, -100));
    CountingAlloc::reset_global_peak().unwrap();
    let g = CountingAlloc::global().unwrap();
    assert!(g.peak >= g.current);
}
