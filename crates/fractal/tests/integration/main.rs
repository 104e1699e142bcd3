//! Integration tests of `fractal`: every compiled backend against a naive oracle and the book's
//! known answers, properties, bad input and pictures.

mod naive;

use fractal::{
    BACKENDS, BOOK_C, Backend, Complex64, Dims, ErrorKind, Escape, EscapeImage, Grid, Julia, Mandelbrot, Orientation,
    Palette, Precision, Region,
};
use proptest::prelude::*;

/// Every concrete backend of this build, plus `Auto`.
fn all_backends() -> Vec<Backend> {
    let mut v = BACKENDS.to_vec();
    v.push(Backend::Auto);
    v
}

fn book(width: usize) -> Julia {
    Julia::book().grid(Grid::Book { width })
}

struct Oracle {
    width: usize,
    precision: Precision,
    escape: Escape,
    dims: Dims,
    sum: u64,
    at_max: Option<usize>,
    zeros: Option<usize>,
}

fn oracles() -> Vec<Oracle> {
    let text = include_str!("../../testdata/oracles.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let opt = |s: &str| if s == "-" { None } else { Some(s.parse().unwrap()) };
            assert_eq!(f[1], "300");
            Oracle {
                width: f[0].parse().unwrap(),
                precision: if f[2] == "f32" { Precision::F32 } else { Precision::F64 },
                escape: if f[3] == "hypot" { Escape::Hypot } else { Escape::Norm2 },
                dims: Dims { width: f[4].parse().unwrap(), height: f[5].parse().unwrap() },
                sum: f[6].parse().unwrap(),
                at_max: opt(f[7]),
                zeros: opt(f[8]),
            }
        })
        .collect()
}

fn check_oracle(o: &Oracle, backend: Backend, img: &EscapeImage) {
    let what = format!("w={} {:?} {:?} on {backend}", o.width, o.precision, o.escape);
    assert_eq!(img.dims(), o.dims, "{what}");
    assert_eq!(img.sum(), o.sum, "{what}");
    if let Some(a) = o.at_max {
        assert_eq!(img.at_max(), a, "{what}");
    }
    if let Some(z) = o.zeros {
        assert_eq!(img.zeros(), z, "{what}");
    }
}

#[test]
fn book_checksum_every_backend_and_naive() {
    let o = &oracles()[0];
    assert_eq!(o.width, 1000);
    let (xs, ys) = book(1000).coordinates().unwrap();
    let naive = naive::julia_grid(&xs, &ys, BOOK_C, 300, false);
    assert_eq!(naive.iter().map(|&c| c as u64).sum::<u64>(), 33_219_980);
    for b in all_backends() {
        let img = book(1000).backend(b).run().unwrap();
        check_oracle(o, b, &img);
        if b != Backend::Auto {
            assert_eq!(img.backend(), b);
        }
        assert_eq!(book(1000).backend(b).resolved_backend().unwrap(), img.backend());
        assert!(img.counts() == &naive[..], "{b} differs from the naive loop");
    }
    // The one obvious call.
    let img = fractal::julia(1000, 300).unwrap();
    check_oracle(o, Backend::Auto, &img);
    // The book's profiler counts: z updates, loop tests, norm tests (n < max_iter first).
    let pixels = img.counts().len() as u64;
    assert_eq!(img.sum() + pixels, 34_219_980);
    assert_eq!(img.sum() + pixels - img.at_max() as u64, 34_119_659);
}

#[test]
fn smaller_book_oracles_every_backend() {
    for o in oracles().iter().filter(|o| o.width < 1000) {
        for b in all_backends() {
            let job = book(o.width).precision(o.precision).escape(o.escape).backend(b);
            if o.escape == Escape::Hypot && b == Backend::Simd {
                assert_eq!(job.run().unwrap_err().kind(), &ErrorKind::Unsupported);
                continue;
            }
            check_oracle(o, b, &job.run().unwrap());
        }
    }
}

#[test]
fn f32_matches_naive_f32_and_differs_from_f64() {
    let (xs, ys) = book(100).coordinates().unwrap();
    let naive = naive::julia_grid_f32(&xs, &ys, BOOK_C, 300);
    for b in all_backends() {
        let img = book(100).precision(Precision::F32).backend(b).run().unwrap();
        assert!(img.counts() == &naive[..], "{b}");
    }
    let f64_img = book(100).run().unwrap();
    assert_ne!(f64_img.sum(), 334_234);
}

#[test]
fn hypot_matches_naive_hypot() {
    let (xs, ys) = book(200).coordinates().unwrap();
    let naive = naive::julia_grid(&xs, &ys, BOOK_C, 300, true);
    for b in all_backends().into_iter().filter(|b| *b != Backend::Simd) {
        let img = book(200).escape(Escape::Hypot).backend(b).run().unwrap();
        assert!(img.counts() == &naive[..], "{b}");
    }
}

#[test]
fn book_grid_dimension_quirk() {
    let plus_one = [10, 128, 250, 400, 640, 800, 1024, 4000];
    let same = [50, 100, 200, 256, 300, 500, 512, 1000, 2000, 8000];
    for w in plus_one {
        assert_eq!(book(w).dims().unwrap(), Dims { width: w + 1, height: w + 1 }, "w={w}");
    }
    for w in same {
        assert_eq!(book(w).dims().unwrap(), Dims { width: w, height: w }, "w={w}");
    }
    // The grid is the book's accumulate-while loop exactly.
    for w in [10, 100, 1000, 1024] {
        let (xs, ys) = book(w).coordinates().unwrap();
        let (nx, ny) = naive::book_axes(-1.8, 1.8, -1.8, 1.8, w);
        assert_eq!((xs, ys), (nx, ny), "w={w}");
    }
    let (xs, ys) = book(1000).coordinates().unwrap();
    assert_eq!(*xs.last().unwrap(), 1.7964000000000329);
    assert_eq!((xs[0], ys[0]), (-1.8, 1.8));
    // A 1024 picture reports its true size on every backend.
    let img = book(1024).max_iter(2).run().unwrap();
    assert_eq!((img.width(), img.height(), img.counts().len()), (1025, 1025, 1025 * 1025));
}

#[test]
fn exact_grid_coordinates() {
    let r = Region::new(-2.0, 0.5, -1.25, 1.25);
    let (xs, ys) = Mandelbrot::new().region(r).grid(Grid::Exact { width: 5, height: 4 }).coordinates().unwrap();
    assert_eq!(xs, vec![-2.0, -2.0 + 0.5, -2.0 + 2.0 * 0.5, -2.0 + 3.0 * 0.5, -2.0 + 4.0 * 0.5]);
    assert_eq!(ys, vec![1.25, 1.25 - 0.625, 1.25 - 2.0 * 0.625, 1.25 - 3.0 * 0.625]);
}

#[test]
fn orbit_of_zero_matches_the_book() {
    let z = fractal::orbit(Complex64::new(0.0, 0.0), BOOK_C, 7);
    let close = |a: Complex64, re: f64, im: f64| (a.re - re).abs() < 1e-12 && (a.im - im).abs() < 1e-12;
    assert!(close(z[1], -0.62772, -0.42193));
    assert!(close(z[2], -0.4117125265, 0.1077777992), "{}", z[2]);
    assert!(close(z[7], 0.026302151203, -0.0224179996428), "{}", z[7]);
    // The orbit is the naive num-complex iteration, bit for bit.
    let mut w = Complex64::new(0.0, 0.0);
    for zk in &z[1..] {
        w = w * w + BOOK_C;
        assert_eq!(*zk, w);
    }
}

#[test]
fn escape_count_points() {
    use fractal::escape_count;
    assert_eq!(escape_count(Complex64::new(0.0, 0.0), BOOK_C, 300), 300);
    assert_eq!(escape_count(Complex64::new(-0.82, 0.0), BOOK_C, 300), 10);
    assert_eq!(escape_count(Complex64::new(-1.8, -1.8), BOOK_C, 300), 0);
    assert_eq!(escape_count(Complex64::new(0.0, 0.0), BOOK_C, 0), 0);
    assert_eq!(escape_count(Complex64::new(f64::NAN, 0.0), BOOK_C, 10), 0);
    assert_eq!(escape_count(Complex64::new(0.0, 0.0), BOOK_C, 100_000), 100_000);
}

#[test]
fn max_iter_edges() {
    for b in all_backends() {
        let zero = book(100).max_iter(0).backend(b).run().unwrap();
        assert!(zero.counts().iter().all(|&c| c == 0), "{b}");
        assert_eq!(zero.max(), 0);
        let one = book(100).max_iter(1).backend(b).run().unwrap();
        let (xs, ys) = book(100).coordinates().unwrap();
        for (k, &c) in one.counts().iter().enumerate() {
            let (x, y) = (xs[k % xs.len()], ys[k / xs.len()]);
            assert_eq!(c, u32::from(x * x + y * y < 4.0), "{b} pixel {k}");
        }
    }
}

#[test]
fn symmetry() {
    let zs: Vec<Complex64> =
        (0..997).map(|k| Complex64::new((k as f64 * 0.7361).sin() * 1.7, (k as f64 * 0.31).cos() * 1.6)).collect();
    let neg: Vec<Complex64> = zs.iter().map(|z| -z).collect();
    let conj: Vec<Complex64> = zs.iter().map(|z| z.conj()).collect();
    let zero = vec![Complex64::new(0.0, 0.0); zs.len()];
    let (mut a, mut b) = (vec![0; zs.len()], vec![0; zs.len()]);
    fractal::escape_counts(&zs, BOOK_C, 300, &mut a).unwrap();
    fractal::escape_counts(&neg, BOOK_C, 300, &mut b).unwrap();
    assert_eq!(a, b);
    fractal::escape_counts_per_pixel(&zero, &zs, 300, &mut a).unwrap();
    fractal::escape_counts_per_pixel(&zero, &conj, 300, &mut b).unwrap();
    assert_eq!(a, b);
    assert!(a.contains(&300) && a.iter().any(|&c| c < 5));
    // And they equal the naive loop.
    for (k, z) in zs.iter().enumerate() {
        assert_eq!(a[k], naive::count(Complex64::new(0.0, 0.0), *z, 300, false));
    }
}

#[test]
fn chunk_boundaries_and_thread_counts() {
    // Sizes around the parallel chunk (1024 pixels) and the SIMD group (16 or 32 lanes).
    let sizes = [(1023, 1), (1024, 1), (1025, 1), (33, 31), (1000, 3), (17, 61), (1, 1)];
    let pools: Vec<rayon::ThreadPool> =
        [1, 2, 3].iter().map(|&n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()).collect();
    for (w, h) in sizes {
        for p in [Precision::F64, Precision::F32] {
            let job = Julia::new(Complex64::new(-0.8, 0.156)).grid(Grid::Exact { width: w, height: h }).precision(p);
            let reference = job.backend(Backend::Scalar).run().unwrap();
            for b in all_backends() {
                for pool in &pools {
                    let img = pool.install(|| job.backend(b).run().unwrap());
                    assert_eq!(
                        (img.dims(), img.counts()),
                        (reference.dims(), reference.counts()),
                        "{w}x{h} {p:?} {b} {} threads",
                        pool.current_num_threads()
                    );
                }
            }
        }
    }
}

#[test]
fn mandelbrot_every_backend_matches_naive() {
    let job = Mandelbrot::new().grid(Grid::Exact { width: 150, height: 101 }).max_iter(200);
    let (xs, ys) = job.coordinates().unwrap();
    let naive = naive::mandelbrot_grid(&xs, &ys, 200);
    for b in all_backends() {
        let img = job.backend(b).run().unwrap();
        assert!(img.counts() == &naive[..], "{b}");
        assert_eq!(img.at_max(), naive.iter().filter(|&&c| c == 200).count());
    }
    // The default Mandelbrot view is conjugate-symmetric (rows y and -y).
    let img = Mandelbrot::new().grid(Grid::Exact { width: 64, height: 64 }).max_iter(100).run().unwrap();
    let a = img.to_array2();
    for j in 1..32 {
        assert_eq!(a.row(j), a.row(64 - j), "row {j}");
    }
}

#[test]
fn run_into_matches_run_and_checks_length() {
    for b in all_backends() {
        let job = book(250).backend(b);
        let img = job.run().unwrap();
        let mut buf = vec![7u32; 251 * 251];
        assert_eq!(job.run_into(&mut buf).unwrap(), Dims { width: 251, height: 251 });
        assert_eq!(buf, img.counts());
        let mut short = vec![0u32; 250 * 250];
        let err = job.run_into(&mut short).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::BufferLength { expected: 251 * 251, got: 250 * 250 });
        assert!(short.iter().all(|&c| c == 0), "nothing written on error");
    }
}

#[test]
fn bad_input_is_an_error() {
    let kind = |r: Result<EscapeImage, fractal::Error>| r.unwrap_err().kind().clone();
    assert_eq!(kind(book(0).run()), ErrorKind::EmptyGrid);
    assert_eq!(kind(Julia::book().grid(Grid::Exact { width: 3, height: 0 }).run()), ErrorKind::EmptyGrid);
    assert_eq!(kind(book(usize::MAX).run()), ErrorKind::TooLarge);
    assert_eq!(kind(book(1 << 20).run()), ErrorKind::TooLarge);
    assert_eq!(kind(Julia::book().grid(Grid::Exact { width: usize::MAX, height: 2 }).run()), ErrorKind::TooLarge);
    assert_eq!(kind(Julia::book().grid(Grid::Exact { width: 1 << 16, height: 1 << 15 }).run()), ErrorKind::TooLarge);
    for r in [
        Region::new(f64::NAN, 1.0, -1.0, 1.0),
        Region::new(-1.0, f64::INFINITY, -1.0, 1.0),
        Region::new(-1.0, 1.0, -1.0, f64::NAN),
        Region::new(-f64::MAX, f64::MAX, -1.0, 1.0),
    ] {
        assert_eq!(kind(Julia::book().region(r).run()), ErrorKind::NonFinite, "{r:?}");
    }
    for r in [Region::new(1.0, -1.0, -1.0, 1.0), Region::new(-1.0, 1.0, 1.0, 1.0), Region::new(0.0, 0.0, 0.0, 1.0)] {
        assert_eq!(kind(Julia::book().region(r).run()), ErrorKind::InvalidRegion, "{r:?}");
    }
    // A span so small at this position that the book grid's step cannot advance.
    let tiny = Region::new(1e15, 1e15 + 0.5, -1.0, 1.0);
    assert_eq!(kind(Julia::book().region(tiny).grid(Grid::Book { width: 100 }).run()), ErrorKind::InvalidRegion);
    assert_eq!(kind(Julia::new(Complex64::new(f64::NAN, 0.0)).run()), ErrorKind::NonFinite);
    let mut out = vec![0u32; 3];
    let zs = [Complex64::new(0.0, 0.0); 4];
    let err = fractal::escape_counts(&zs, BOOK_C, 10, &mut out).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BufferLength { expected: 4, got: 3 });
    assert!(err.to_string().contains("4 pixels"));
    let err = fractal::escape_counts_per_pixel(&zs, &zs[..2], 10, &mut out).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BufferLength { expected: 4, got: 2 });
    // Hypot is not offered on Simd; Auto picks another backend.
    let err = book(10).escape(Escape::Hypot).backend(Backend::Simd).run().unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Unsupported);
    assert!(book(10).escape(Escape::Hypot).run().is_ok());
    // Backends that are not compiled in.
    for b in [Backend::Simd, Backend::Parallel] {
        if !BACKENDS.contains(&b) {
            let err = book(10).backend(b).run().unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::BackendUnavailable(b));
            assert!(err.to_string().contains("feature"));
        }
    }
    // u32::MAX iterations is valid (a pixel outside the radius stops at once).
    let img = Julia::book().grid(Grid::Exact { width: 1, height: 1 }).max_iter(u32::MAX).run().unwrap();
    assert_eq!(img.counts(), &[0]);
}

#[test]
fn pictures() {
    let img = book(100).run().unwrap();
    let grey = img.greyscale();
    let max = img.max();
    for (k, &c) in img.counts().iter().enumerate() {
        assert_eq!(grey[k], ((c as f64 / max as f64) * 255.0) as u8);
        if c == max {
            assert_eq!(grey[k], 255);
        }
        if c == 0 {
            assert_eq!(grey[k], 0);
        }
    }
    // False grey: (16 v * 65793) as little-endian R, G, B.
    let fg = img.false_grey();
    for (k, &v) in grey.iter().enumerate() {
        let x = (16 * v as u32 * 65793).to_le_bytes();
        assert_eq!(&fg[3 * k..3 * k + 3], &x[..3]);
    }
    assert_eq!(&fg[..], &img.rgb(Palette::FalseGrey)[..]);
    // The bands: grey 16 paints (0, 1, 1), darker than grey 15's (240, 240, 240).
    if let Some(k) = grey.iter().position(|&v| v == 16) {
        assert_eq!(&fg[3 * k..3 * k + 3], &[0, 1, 1]);
    }
    // All-zero image: black, no division by zero.
    let zero = book(10).max_iter(0).run().unwrap();
    assert!(zero.greyscale().iter().all(|&v| v == 0));
    for p in Palette::ALL {
        assert_eq!(zero.rgb(*p).len(), zero.counts().len() * 3);
        assert_eq!(p.name().parse::<Palette>(), Ok(*p));
    }
    // Viridis: set pixels black, others coloured.
    let v = img.rgb(Palette::Viridis);
    let k = img.counts().iter().position(|&c| c == 300).unwrap();
    assert_eq!(&v[3 * k..3 * k + 3], &[0, 0, 0]);
    // PGM: header and the book's flipped orientation.
    let mut math = Vec::new();
    img.write_pgm(&mut math, Orientation::Math).unwrap();
    let mut flipped = Vec::new();
    img.write_pgm(&mut flipped, Orientation::Book).unwrap();
    let header = b"P5\n100 100\n255\n";
    assert!(math.starts_with(header));
    assert_eq!(&math[header.len()..header.len() + 100], &grey[..100]);
    assert_eq!(&flipped[header.len()..header.len() + 100], &grey[99 * 100..]);
    let mut ppm = Vec::new();
    img.write_ppm(&mut ppm, Palette::Viridis, Orientation::Math).unwrap();
    assert_eq!(ppm.len(), b"P6\n100 100\n255\n".len() + 3 * 100 * 100);
}

#[test]
fn png_round_trip_and_no_partial_file() {
    let img = book(50).run().unwrap();
    let dir = std::env::temp_dir().join(format!("fractal-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (p, colour) in [(Palette::Greyscale, png::ColorType::Grayscale), (Palette::Viridis, png::ColorType::Rgb)] {
        let path = dir.join(format!("{}.png", p.name()));
        img.save_png(&path, p, Orientation::Book).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (50, 50, colour));
        if p == Palette::Greyscale {
            // Book orientation: the last data row first.
            assert_eq!(&buf[..50], &img.greyscale()[49 * 50..]);
        }
    }
    let missing = dir.join("no-such-dir").join("x.png");
    let err = img.save_png(&missing, Palette::Greyscale, Orientation::Math).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io(_)));
    assert!(err.to_string().contains("no-such-dir"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn to_array2_shape() {
    let img = Julia::book().grid(Grid::Exact { width: 7, height: 3 }).run().unwrap();
    let a = img.to_array2();
    assert_eq!(a.dim(), (3, 7));
    assert_eq!(a[[2, 6]], img.counts()[2 * 7 + 6]);
}

fn region_strategy() -> impl Strategy<Value = Region> {
    (-2.5f64..2.0, 0.01f64..3.0, -2.5f64..2.0, 0.01f64..3.0).prop_map(|(x, w, y, h)| Region::new(x, x + w, y, y + h))
}

fn max_iter_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(1), Just(2), 3u32..200]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_backend_equals_naive_julia(
        region in region_strategy(),
        cr in -1.5f64..1.5, ci in -1.5f64..1.5,
        max_iter in max_iter_strategy(),
        width in 1usize..=25, half in 0usize..5,
        f32_precision in any::<bool>(),
    ) {
        let c = Complex64::new(cr, ci);
        let height = 2 * half + 1;
        let precision = if f32_precision { Precision::F32 } else { Precision::F64 };
        let job = Julia::new(c).region(region).grid(Grid::Exact { width, height }).max_iter(max_iter).precision(precision);
        let (xs, ys) = job.coordinates().unwrap();
        let naive = if f32_precision {
            naive::julia_grid_f32(&xs, &ys, c, max_iter)
        } else {
            naive::julia_grid(&xs, &ys, c, max_iter, false)
        };
        for b in all_backends() {
            let img = job.backend(b).run().unwrap();
            prop_assert_eq!(img.counts(), &naive[..], "{}", b);
            prop_assert!(img.counts().iter().all(|&n| n <= max_iter));
            let mut buf = vec![u32::MAX; width * height];
            job.backend(b).run_into(&mut buf).unwrap();
            prop_assert_eq!(&buf[..], img.counts());
        }
    }

    #[test]
    fn every_backend_equals_naive_mandelbrot(
        region in region_strategy(),
        max_iter in max_iter_strategy(),
        width in 1usize..=25, half in 0usize..5,
        book_grid in any::<bool>(),
    ) {
        let grid = if book_grid { Grid::Book { width } } else { Grid::Exact { width, height: 2 * half + 1 } };
        let job = Mandelbrot::new().region(region).grid(grid).max_iter(max_iter);
        let (xs, ys) = job.coordinates().unwrap();
        let naive = naive::mandelbrot_grid(&xs, &ys, max_iter);
        for b in all_backends() {
            let img = job.backend(b).run().unwrap();
            prop_assert_eq!(img.counts(), &naive[..], "{}", b);
        }
    }

    #[test]
    fn book_grid_is_w_or_w_plus_one(width in 1usize..3000, region in region_strategy()) {
        let d = Julia::book().region(region).grid(Grid::Book { width }).dims().unwrap();
        prop_assert!(d.width == width || d.width == width + 1);
        prop_assert!(d.height == width || d.height == width + 1);
    }
}

/// The book's `abs(z) < 2` at full size gives the same checksum (slow on the scalar backend: the
/// tour runs it too).
#[test]
#[ignore = "about a second per backend; run with --ignored"]
fn hypot_book_checksum() {
    for b in all_backends().into_iter().filter(|b| *b != Backend::Simd) {
        let img = book(1000).escape(Escape::Hypot).backend(b).run().unwrap();
        assert_eq!((img.sum(), img.at_max(), img.zeros()), (33_219_980, 100_321, 102_865), "{b}");
    }
}

#[test]
fn smooth_values_follow_the_counts() {
    let job = book(100);
    let counts = job.run().unwrap();
    let (dims, smooth) = job.run_smooth().unwrap();
    assert_eq!(dims, counts.dims());
    for (&n, &s) in counts.counts().iter().zip(&smooth) {
        if n == 300 {
            assert_eq!(s, 300.0);
        } else {
            // n + 1 - log2(ln|z_n|) with |z_n| >= 2 and at most 2^2 + |c|: in (n, n + 1 - log2(ln 2)].
            let upper = n as f64 + 1.0 - 2f64.ln().log2();
            assert!(s > n as f64 && s <= upper, "count {n}, smooth {s}");
        }
    }
    // The formula at one escaping point (z0 = -1.8 - 1.8i escapes at once).
    let one = Julia::book().region(Region::new(-1.8, 1.8, -1.8, 1.8)).grid(Grid::Exact { width: 1, height: 1 });
    let (_, s) = one.run_smooth().unwrap();
    let z = Complex64::new(-1.8, 1.8);
    assert_eq!(s[0], 1.0 - (0.5 * z.norm_sqr().ln()).log2());
}
