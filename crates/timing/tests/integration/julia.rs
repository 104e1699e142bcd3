//! The book's instrumented Julia set (ch. 2), w = 1000: event counts of a naive reference.
//!
//! Grid as in the book: x from x1 by (x2 - x1) / w while x < x2, y from y2 downwards while
//! y > y1 (both by repeated addition), c = -0.62772 - 0.42193i, 300 iterations, and
//! `abs(z) < 2` as Python computes it (`hypot`).

const X1: f64 = -1.8;
const X2: f64 = 1.8;
const Y1: f64 = -1.8;
const Y2: f64 = 1.8;
const C: (f64, f64) = (-0.62772, -0.42193);
const MAX_ITER: u64 = 300;

fn axes(width: usize) -> (Vec<f64>, Vec<f64>) {
    let x_step = (X2 - X1) / width as f64;
    let y_step = (Y1 - Y2) / width as f64;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let mut y = Y2;
    while y > Y1 {
        ys.push(y);
        y += y_step;
    }
    let mut x = X1;
    while x < X2 {
        xs.push(x);
        x += x_step;
    }
    (xs, ys)
}

/// Event counts of the whole grid.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    pixels: u64,
    z_updates: u64,
    loop_tests: u64,
    /// `abs(z) < 2` evaluations when `n < max_iter` is tested first.
    norm_tests_swapped: u64,
    at_max_iter: u64,
}

fn julia_counts(width: usize) -> Counts {
    let (xs, ys) = axes(width);
    let mut k = Counts::default();
    for &y in &ys {
        for &x in &xs {
            let (mut zr, mut zi) = (x, y);
            let mut n = 0;
            // while abs(z) < 2 and n < maxiter: z = z*z + c; n += 1
            loop {
                k.loop_tests += 1;
                if !(zr.hypot(zi) < 2.0 && n < MAX_ITER) {
                    break;
                }
                (zr, zi) = (zr * zr - zi * zi + C.0, zr * zi + zi * zr + C.1);
                n += 1;
            }
            timing::count!("z updates", n);
            timing::count!("loop tests", n + 1);
            k.pixels += 1;
            k.z_updates += n;
            k.at_max_iter += u64::from(n == MAX_ITER);
            // while n < maxiter and abs(z) < 2: the norm is skipped once n reaches the limit.
            k.norm_tests_swapped += if n < MAX_ITER { n + 1 } else { n };
        }
    }
    k
}

#[test]
fn book_grid_and_event_counts() {
    let (xs, ys) = axes(1000);
    assert_eq!((xs.len(), ys.len()), (1000, 1000));
    let _lock = crate::profiler_lock();
    timing::Profiler::start();
    let k = julia_counts(1000);
    timing::Profiler::stop();
    assert_eq!(k.pixels, 1_000_000);
    assert_eq!(k.z_updates, 33_219_980, "the book's checksum sum(output)");
    assert_eq!(k.loop_tests, 34_219_980);
    assert_eq!(k.norm_tests_swapped, 34_119_659);
    assert_eq!(k.at_max_iter, 100_321);
    let report = timing::Profiler::report();
    timing::Profiler::clear();
    if cfg!(feature = "enabled") {
        assert_eq!(report.counter("z updates"), Some(33_219_980));
        assert_eq!(report.counter("loop tests"), Some(34_219_980));
    } else {
        assert!(report.is_empty());
    }
}
