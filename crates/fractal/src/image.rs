//! Colour maps and picture files (PNG, PGM, PPM) for escape counts.

use std::io::Write;
use std::path::Path;

use crate::EscapeImage;
use crate::error::Error;

/// How counts become colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Palette {
    /// The book's greyscale: `v = trunc(count / max * 255)` with `max` the image's observed
    /// maximum (not `max_iter`); an all-zero image is black.
    #[default]
    Greyscale,
    /// The book's "false greyscale": the 32-bit value `(v + 256 v + 65536 v) * 16` read as R, G, B
    /// bytes (little-endian); `16 v` overflows a byte, which paints contrast bands.
    FalseGrey,
    /// A modern perceptually uniform map (matplotlib's viridis, 9 stops, linear between them) over
    /// `ln(1 + count) / ln(1 + max)`; pixels that reached `max_iter` are black.
    Viridis,
}

impl Palette {
    /// Every palette, in the CLI's order.
    pub const ALL: &'static [Palette] = &[Palette::Greyscale, Palette::FalseGrey, Palette::Viridis];

    /// The lower-case name the CLI uses.
    pub const fn name(self) -> &'static str {
        match self {
            Palette::Greyscale => "grey",
            Palette::FalseGrey => "false-grey",
            Palette::Viridis => "viridis",
        }
    }
}

impl std::str::FromStr for Palette {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Palette::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s.trim())
            .ok_or_else(|| format!("unknown palette `{s}`: expected one of grey, false-grey, viridis"))
    }
}

/// Which way up rows are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Orientation {
    /// Row 0 (the largest imaginary part) on top: the mathematical view.
    #[default]
    Math,
    /// The book's pictures: the first data row at the bottom, so the top-left corner is about
    /// `x_min + y_min i` (-1.8 - 1.8i for the book's Julia set).
    Book,
}

/// The book's greyscale value of `count` against the observed maximum `max`.
pub(crate) fn grey(count: u32, max: u32) -> u8 {
    if max == 0 { 0 } else { ((count as f64 / max as f64) * 255.0) as u8 }
}

/// The book's false-grey RGB of a greyscale value.
pub(crate) fn false_grey(v: u8) -> [u8; 3] {
    let x = 16 * v as u32 * 65793;
    let b = x.to_le_bytes();
    [b[0], b[1], b[2]]
}

const VIRIDIS: [[u8; 3]; 9] = [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
];

fn viridis(count: u32, max: u32, max_iter: u32) -> [u8; 3] {
    if count == max_iter && max_iter > 0 {
        return [0, 0, 0];
    }
    let t = if max == 0 { 0.0 } else { (1.0 + count as f64).ln() / (1.0 + max as f64).ln() };
    let pos = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (pos as usize).min(VIRIDIS.len() - 2);
    let f = pos - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    std::array::from_fn(|ch| (a[ch] as f64 + (b[ch] as f64 - a[ch] as f64) * f).round() as u8)
}

impl EscapeImage {
    /// The book's greyscale picture, one byte per pixel, row-major (row 0 on top).
    pub fn greyscale(&self) -> Vec<u8> {
        let max = self.max();
        self.counts().iter().map(|&c| grey(c, max)).collect()
    }

    /// The book's false-greyscale picture, RGB bytes per pixel, row-major.
    pub fn false_grey(&self) -> Vec<u8> {
        let max = self.max();
        self.counts().iter().flat_map(|&c| false_grey(grey(c, max))).collect()
    }

    /// The picture in `palette` as RGB bytes per pixel, row-major (row 0 on top).
    pub fn rgb(&self, palette: Palette) -> Vec<u8> {
        let max = self.max();
        let max_iter = self.max_iter();
        self.counts()
            .iter()
            .flat_map(|&c| match palette {
                Palette::Greyscale => [grey(c, max); 3],
                Palette::FalseGrey => false_grey(grey(c, max)),
                Palette::Viridis => viridis(c, max, max_iter),
            })
            .collect()
    }

    /// Rows of `bytes_per_pixel`-byte pixels in `orientation` order.
    fn rows<'a>(&self, data: &'a [u8], bpp: usize, orientation: Orientation) -> Vec<&'a [u8]> {
        let mut rows: Vec<&[u8]> = data.chunks_exact(self.width() * bpp).collect();
        if orientation == Orientation::Book {
            rows.reverse();
        }
        rows
    }

    fn header_size(&self) -> Result<(u32, u32), Error> {
        let w = u32::try_from(self.width());
        let h = u32::try_from(self.height());
        match (w, h) {
            (Ok(w), Ok(h)) => Ok((w, h)),
            _ => Err(Error::new(crate::ErrorKind::TooLarge, "picture side exceeds u32::MAX")),
        }
    }

    /// Writes the book's greyscale as a binary PGM (`P5`), dependency-free.
    pub fn write_pgm(&self, mut w: impl Write, orientation: Orientation) -> Result<(), Error> {
        let data = self.greyscale();
        write!(w, "P5\n{} {}\n255\n", self.width(), self.height())?;
        for row in self.rows(&data, 1, orientation) {
            w.write_all(row)?;
        }
        Ok(w.flush()?)
    }

    /// Writes the picture in `palette` as a binary PPM (`P6`), dependency-free.
    pub fn write_ppm(&self, mut w: impl Write, palette: Palette, orientation: Orientation) -> Result<(), Error> {
        let data = self.rgb(palette);
        write!(w, "P6\n{} {}\n255\n", self.width(), self.height())?;
        for row in self.rows(&data, 3, orientation) {
            w.write_all(row)?;
        }
        Ok(w.flush()?)
    }

    /// Writes the picture in `palette` as a PNG (8-bit grey for [`Palette::Greyscale`], else RGB).
    pub fn write_png(&self, w: impl Write, palette: Palette, orientation: Orientation) -> Result<(), Error> {
        let (width, height) = self.header_size()?;
        let (data, bpp, colour) = match palette {
            Palette::Greyscale => (self.greyscale(), 1, png::ColorType::Grayscale),
            _ => (self.rgb(palette), 3, png::ColorType::Rgb),
        };
        let mut enc = png::Encoder::new(w, width, height);
        enc.set_color(colour);
        enc.set_depth(png::BitDepth::Eight);
        let png_err = |e: png::EncodingError| match e {
            png::EncodingError::IoError(e) => Error::from(e),
            other => Error::new(crate::ErrorKind::Io(std::io::ErrorKind::Other), format!("PNG encoding: {other}")),
        };
        let mut writer = enc.write_header().map_err(png_err)?;
        let mut stream = writer.stream_writer().map_err(png_err)?;
        for row in self.rows(&data, bpp, orientation) {
            stream.write_all(row)?;
        }
        stream.finish().map_err(png_err)
    }

    /// Saves a PNG at `path`: written to a temporary file next to it and renamed into place, so a
    /// failure leaves no partial file behind.
    pub fn save_png(&self, path: impl AsRef<Path>, palette: Palette, orientation: Orientation) -> Result<(), Error> {
        let path = path.as_ref();
        let name = path.file_name().ok_or_else(|| {
            Error::new(
                crate::ErrorKind::Io(std::io::ErrorKind::InvalidInput),
                format!("{}: not a file path", path.display()),
            )
        })?;
        let tmp = path.with_file_name(format!(".{}.tmp{}", name.to_string_lossy(), std::process::id()));
        let ctx = |e: Error| Error::new(e.kind().clone(), format!("cannot write {}: {e}", path.display()));
        let result = std::fs::File::create(&tmp).map_err(Error::from).and_then(|f| {
            let mut buf = std::io::BufWriter::new(f);
            self.write_png(&mut buf, palette, orientation)?;
            let f = buf.into_inner().map_err(|e| Error::from(e.into_error()))?;
            f.sync_all()?;
            Ok(std::fs::rename(&tmp, path)?)
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(ctx)
    }
}
