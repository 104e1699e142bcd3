//! The deliberately naive oracle: num-complex arithmetic, one pixel at a time, and the book's
//! grid loops, written apart from the crate's kernels.

use fractal::Complex64;

/// The book's loop with `z*z + c` on `Complex64` (`norm_sqr() < 4`, or `norm() < 2`).
pub(crate) fn count(z0: Complex64, c: Complex64, max_iter: u32, hypot: bool) -> u32 {
    let mut z = z0;
    let mut n = 0;
    while n < max_iter && if hypot { z.norm() < 2.0 } else { z.norm_sqr() < 4.0 } {
        z = z * z + c;
        n += 1;
    }
    n
}

/// The same loop in `f32` on `Complex<f32>`, inputs rounded from `f64`.
pub(crate) fn count_f32(z0: Complex64, c: Complex64, max_iter: u32) -> u32 {
    let mut z = num_complex::Complex32::new(z0.re as f32, z0.im as f32);
    let c = num_complex::Complex32::new(c.re as f32, c.im as f32);
    let mut n = 0;
    while n < max_iter && z.norm_sqr() < 4.0 {
        z = z * z + c;
        n += 1;
    }
    n
}

pub(crate) fn julia_grid(xs: &[f64], ys: &[f64], c: Complex64, max_iter: u32, hypot: bool) -> Vec<u32> {
    ys.iter().flat_map(|&y| xs.iter().map(move |&x| count(Complex64::new(x, y), c, max_iter, hypot))).collect()
}

pub(crate) fn julia_grid_f32(xs: &[f64], ys: &[f64], c: Complex64, max_iter: u32) -> Vec<u32> {
    ys.iter().flat_map(|&y| xs.iter().map(move |&x| count_f32(Complex64::new(x, y), c, max_iter))).collect()
}

pub(crate) fn mandelbrot_grid(xs: &[f64], ys: &[f64], max_iter: u32) -> Vec<u32> {
    ys.iter()
        .flat_map(|&y| xs.iter().map(move |&x| count(Complex64::new(0.0, 0.0), Complex64::new(x, y), max_iter, false)))
        .collect()
}

/// The book's `calc_pure_python` coordinate loops.
pub(crate) fn book_axes(x1: f64, x2: f64, y1: f64, y2: f64, desired_width: usize) -> (Vec<f64>, Vec<f64>) {
    let x_step = (x2 - x1) / desired_width as f64;
    let y_step = (y1 - y2) / desired_width as f64;
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut ycoord = y2;
    while ycoord > y1 {
        y.push(ycoord);
        ycoord += y_step;
    }
    let mut xcoord = x1;
    while xcoord < x2 {
        x.push(xcoord);
        xcoord += x_step;
    }
    (x, y)
}
