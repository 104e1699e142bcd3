//! A heat-map PNG of a field with a colour bar (viridis), for the CLI and the tour.

use std::io::BufWriter;
use std::path::Path;

use crate::error::{Error, ErrorKind};
use crate::real::Real;

/// Viridis, 9 anchors from 0 to 1 (linearly interpolated).
const VIRIDIS: [[f64; 3]; 9] = [
    [68.0, 1.0, 84.0],
    [71.0, 44.0, 122.0],
    [59.0, 81.0, 139.0],
    [44.0, 113.0, 142.0],
    [33.0, 144.0, 141.0],
    [39.0, 173.0, 129.0],
    [92.0, 200.0, 99.0],
    [170.0, 220.0, 50.0],
    [253.0, 231.0, 37.0],
];

fn colour(t: f64) -> [u8; 3] {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let x = t * 8.0;
    let i = (x as usize).min(7);
    let f = x - i as f64;
    std::array::from_fn(|c| (VIRIDIS[i][c] + f * (VIRIDIS[i + 1][c] - VIRIDIS[i][c])).round() as u8)
}

/// What [`write_heatmap_png`] drew.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Heatmap {
    /// The value at the bottom of the colour bar (the smallest shown).
    pub min: f64,
    /// The value at the top of the colour bar (the largest shown).
    pub max: f64,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
}

/// Writes `cells` (row-major, of `shape`) as a PNG heat map with a colour bar on the right:
/// 2D as is, 3D its middle plane, 1D a strip. Grids wider than 1024 cells are averaged down
/// in square blocks; small ones are scaled up. The bar runs from the minimum (bottom) to the
/// maximum (top) with ticks at quarters.
pub fn write_heatmap_png<T: Real>(path: impl AsRef<Path>, cells: &[T], shape: &[usize]) -> Result<Heatmap, Error> {
    if shape.is_empty() || shape.len() > 3 || shape.contains(&0) || shape.iter().product::<usize>() != cells.len() {
        return Err(Error::shape(shape, &[cells.len()]));
    }
    let (rows, cols, plane) = match *shape {
        [n] => (1, n, cells),
        [r, c] => (r, c, cells),
        [p, r, c] => (r, c, &cells[p / 2 * r * c..(p / 2 + 1) * r * c]),
        _ => unreachable!("checked above"),
    };
    let down = rows.max(cols).div_ceil(1024).max(1);
    let (h0, w0) = (rows.div_ceil(down), cols.div_ceil(down));
    let mut img = vec![0.0f64; h0 * w0];
    for (i, v) in img.iter_mut().enumerate() {
        let (bi, bj) = (i / w0 * down, i % w0 * down);
        let (mut sum, mut n) = (0.0, 0.0);
        for r in bi..(bi + down).min(rows) {
            for c in bj..(bj + down).min(cols) {
                sum += plane[r * cols + c].to_f64();
                n += 1.0;
            }
        }
        *v = sum / n;
    }
    let (min, max) = img.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let span = if max > min { max - min } else { 1.0 };
    let up = (512 / h0.max(w0)).max(1);
    let strip = if rows == 1 { 32 } else { 1 };
    let (h, w) = (h0 * up * strip, w0 * up);
    let (gap, bar) = (12, 24);
    let width = w + gap + bar + 8;
    let height = h.max(64);
    let mut rgb = vec![255u8; width * height * 3];
    for y in 0..h {
        for x in 0..w {
            let v = img[(y / (up * strip)) * w0 + x / up];
            let c = colour((v - min) / span);
            rgb[(y * width + x) * 3..][..3].copy_from_slice(&c);
        }
    }
    for y in 0..height {
        let t = 1.0 - y as f64 / (height - 1) as f64;
        let c = colour(t);
        for x in w + gap..w + gap + bar {
            rgb[(y * width + x) * 3..][..3].copy_from_slice(&c);
        }
        let tick = (0..=4).any(|q| y == (q * (height - 1)) / 4);
        if tick {
            for x in w + gap + bar..width {
                rgb[(y * width + x) * 3..][..3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    let path = path.as_ref();
    let io = |e: &dyn std::fmt::Display| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(|e| io(&e))?;
    let mut enc = png::Encoder::new(BufWriter::new(file), width as u32, height as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| io(&e))?;
    writer.write_image_data(&rgb).map_err(|e| io(&e))?;
    writer.finish().map_err(|e| io(&e))?;
    Ok(Heatmap { min, max, width: width as u32, height: height as u32 })
}
