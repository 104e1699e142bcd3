//! Unit tests: every backend (and the parallel drivers with small bands at several thread
//! counts, and temporal blocking) against the naive oracle, bit for bit, plus the spec's
//! oracles and bad input.

use proptest::prelude::*;

use crate::backend::Kern;
use crate::real::Real;
use crate::*;

type Runner<T> = (String, Box<dyn Fn(&[T], &Params<T>, usize) -> Vec<T>>);

/// Every way of running `n` steps this build has.
fn runners<T: Real>() -> Vec<Runner<T>> {
    let mut v: Vec<Runner<T>> = Vec::new();
    for &b in BACKENDS {
        v.push((
            format!("evolve/{b}"),
            Box::new(move |u: &[T], p: &Params<T>, n| {
                let p = p.with_backend(b).unwrap();
                let (mut a, mut c) = (u.to_vec(), vec![T::default(); u.len()]);
                for _ in 0..n {
                    evolve(&a[..], &mut c[..], &p).unwrap();
                    std::mem::swap(&mut a, &mut c);
                }
                a
            }),
        ));
        v.push((
            format!("evolve_inplace/{b}"),
            Box::new(move |u: &[T], p: &Params<T>, n| {
                let p = p.with_backend(b).unwrap();
                let (mut a, mut s) = (u.to_vec(), vec![T::from_f64(7.0); u.len()]);
                for _ in 0..n {
                    evolve_inplace(&mut a[..], &mut s[..], &p).unwrap();
                }
                a
            }),
        ));
        for depth in [2usize, 3, 5] {
            v.push((
                format!("run/{b}/depth{depth}"),
                Box::new(move |u: &[T], p: &Params<T>, n| {
                    let mut sim = Simulation::new(p.with_backend(b).unwrap(), u).unwrap();
                    sim.set_blocking_depth(Some(depth));
                    sim.run(n as u64).unwrap();
                    sim.into_state()
                }),
            ));
        }
    }
    #[cfg(feature = "parallel")]
    for threads in [1usize, 3] {
        for band in [1usize, 20] {
            v.push((
                format!("parallel two_buffer band={band} threads={threads}"),
                Box::new(move |u: &[T], p: &Params<T>, n| {
                    pool(threads).install(|| {
                        let (mut a, mut c) = (u.to_vec(), vec![T::default(); u.len()]);
                        for _ in 0..n {
                            parallel::two_buffer(Kern::best(), &a, &mut c, &p.g, band);
                            std::mem::swap(&mut a, &mut c);
                        }
                        a
                    })
                }),
            ));
            v.push((
                format!("parallel inplace band={band} threads={threads}"),
                Box::new(move |u: &[T], p: &Params<T>, n| {
                    pool(threads).install(|| {
                        let (mut a, mut s) = (u.to_vec(), vec![T::default(); u.len()]);
                        for _ in 0..n {
                            parallel::inplace(Kern::best(), &mut a, &mut s, &p.g, band);
                        }
                        a
                    })
                }),
            ));
        }
        for (depth, rows, strip) in [(2usize, 1usize, 1usize), (3, 2, 2), (4, 4, 3)] {
            v.push((
                format!("parallel blocking depth={depth} rows={rows} strip={strip} threads={threads}"),
                Box::new(move |u: &[T], p: &Params<T>, n| {
                    pool(threads).install(|| blocked(Kern::best(), u, p, n, depth, Some(rows), strip))
                }),
            ));
        }
    }
    for (depth, strip) in [(3usize, 1usize), (4, 2), (5, 6)] {
        for kern in [Kern::Scalar, Kern::best()] {
            v.push((
                format!("blocking {kern:?} depth={depth} strip={strip}"),
                Box::new(move |u: &[T], p: &Params<T>, n| blocked(kern, u, p, n, depth, None, strip)),
            ));
        }
    }
    v
}

/// `n` steps through `blocking::run` directly (2D; others take the oracle): `depth` steps per
/// pass, bands of `rows` rows on the current pool if `Some`, strips of `strip` columns.
fn blocked<T: Real>(
    kern: Kern,
    u: &[T],
    p: &Params<T>,
    n: usize,
    depth: usize,
    rows: Option<usize>,
    strip: usize,
) -> Vec<T> {
    if p.g.nouter != 1 {
        return naive::run(u, p, n);
    }
    let (mut a, mut b, mut w) = (u.to_vec(), vec![T::default(); u.len()], Vec::new());
    let mut left = n;
    while left > 0 {
        let t = left.min(depth);
        blocking::run(kern, rows.is_some(), rows.unwrap_or(0), strip, &a, &mut b, t, &p.g, &mut w);
        std::mem::swap(&mut a, &mut b);
        left -= t;
    }
    a
}

#[cfg(feature = "parallel")]
fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
}

fn bits<T: Real>(v: &[T]) -> Vec<u64> {
    v.iter().map(|x| x.to_f64().to_bits()).collect()
}

/// Every runner equals the naive oracle bit for bit.
fn check_all<T: Real>(u: &[T], p: &Params<T>, n: usize) -> Result<(), String> {
    let want = bits(&naive::run(u, p, n));
    for (name, f) in runners::<T>() {
        let got = bits(&f(u, p, n));
        if got != want {
            let i = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(0);
            return Err(format!("{name}: differs from the naive oracle at {i} (shape {:?})", p.shape()));
        }
    }
    Ok(())
}

fn boundary() -> impl Strategy<Value = Boundary> {
    prop_oneof![
        Just(Boundary::Periodic),
        (-1.0f64..1.0).prop_map(Boundary::Dirichlet),
        Just(Boundary::Neumann),
        Just(Boundary::Frozen),
    ]
}

fn case(max_side: usize) -> impl Strategy<Value = (Vec<usize>, Vec<Boundary>, Vec<f64>, f64, usize, u64)> {
    (1usize..=3)
        .prop_flat_map(move |nd| {
            (
                prop::collection::vec(1usize..=max_side, nd),
                prop::collection::vec(boundary(), nd),
                prop::collection::vec(0.5f64..2.0, nd),
                0.05f64..=1.0,
                1usize..=5,
                any::<u64>(),
                any::<bool>(),
            )
        })
        .prop_map(|(shape, mut bcs, dx, frac, steps, seed, same)| {
            // Half the cases with one spacing on every axis: the formula's equal-coefficient form.
            let dx = if same { vec![dx[0]; dx.len()] } else { dx };
            for (b, &n) in bcs.iter_mut().zip(&shape) {
                if *b == Boundary::Frozen && n < 3 {
                    *b = Boundary::Neumann;
                }
            }
            (shape, bcs, dx, frac, steps, seed)
        })
}

fn random_field<T: Real>(len: usize, seed: u64) -> Vec<T> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            T::from_f64((x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
        })
        .collect()
}

fn params_for<T: Real>(shape: &[usize], bcs: &[Boundary], dx: &[f64], frac: f64) -> Params<T> {
    let b = Params::<T>::new(shape).spacing(dx).boundaries(bcs);
    let dt = b.max_stable_dt() * frac;
    b.dt(dt).build().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_runner_matches_naive_f64((shape, bcs, dx, frac, steps, seed) in case(2 * 4 + 3 + 10)) {
        let p = params_for::<f64>(&shape, &bcs, &dx, frac);
        let u = random_field::<f64>(p.len(), seed);
        prop_assert_eq!(check_all(&u, &p, steps), Ok(()));
    }

    #[test]
    fn every_runner_matches_naive_f32((shape, bcs, dx, frac, steps, seed) in case(2 * 8 + 3)) {
        let p = params_for::<f32>(&shape, &bcs, &dx, frac);
        let u = random_field::<f32>(p.len(), seed);
        prop_assert_eq!(check_all(&u, &p, steps), Ok(()));
    }

    #[test]
    fn run_splits((shape, bcs, dx, frac, _steps, seed) in case(12), a in 0u64..7, b in 0u64..7) {
        let p = params_for::<f64>(&shape, &bcs, &dx, frac);
        let u = random_field::<f64>(p.len(), seed);
        let mut one = Simulation::new(p.clone(), &u[..]).unwrap();
        one.set_blocking_depth(Some(3));
        one.run(a + b).unwrap();
        let mut two = Simulation::new(p, &u[..]).unwrap();
        two.set_blocking_depth(Some(4));
        two.run(a).unwrap();
        two.run(b).unwrap();
        prop_assert_eq!(bits(one.state()), bits(two.state()));
        prop_assert_eq!(one.steps(), a + b);
    }

    #[test]
    fn mass_is_conserved_periodic_neumann((shape, bcs, dx, frac, steps, seed) in case(12)) {
        let bcs: Vec<Boundary> = bcs.iter().map(|b| if *b == Boundary::Neumann { *b } else { Boundary::Periodic }).collect();
        let p = params_for::<f64>(&shape, &bcs, &dx, frac);
        let u: Vec<f64> = random_field::<f64>(p.len(), seed).iter().map(|x| x + 2.0).collect();
        let mut sim = Simulation::new(p, &u[..]).unwrap();
        let m0 = sim.mass();
        sim.run(steps as u64 * 10).unwrap();
        prop_assert!((sim.mass() - m0).abs() <= 1e-12 * m0.abs());
    }
}

#[test]
#[cfg(feature = "simd")]
fn simd_kernel_on_every_instruction_set() {
    // The dispatched kernels (this CPU's best) and the plain-lanes ones against the scalar
    // kernel, bit for bit, for every row length around the vector widths, every alignment of the
    // row's start, 1-3 dimensions, both forms of the formula, one row and two rows at once.
    use crate::backend::Coef;
    fn check<T: Real, const N: usize>(m: usize, seed: u64) {
        let rows: Vec<Vec<T>> = (0..2 * N as u64 + 3).map(|i| random_field::<T>(m + 8, seed + i)).collect();
        for (off, equal) in (0..8).flat_map(|off| [(off, false), (off, true)]) {
            let row = |i: usize| &rows[i][off..off + m];
            let c = row(0);
            let nb: [[&[T]; 2]; N] = std::array::from_fn(|a| [row(1 + 2 * a), row(2 + 2 * a)]);
            let kl = T::from_f64(0.125);
            let ko: [T; N] = std::array::from_fn(|a| if equal { kl } else { T::from_f64(0.05 + 0.03 * a as f64) });
            let k = Coef::new(ko, kl);
            let mut want = vec![T::from_f64(3.0); m];
            crate::scalar::interior(&mut want, c, &nb, &k);
            for (name, f) in [
                ("dispatched", crate::simd::interior::<T, N> as fn(&mut [T], &[T], &[[&[T]; 2]; N], &Coef<T, N>)),
                ("plain", crate::simd::interior_plain::<T, N>),
            ] {
                let mut got = vec![T::from_f64(3.0); m];
                f(&mut got, c, &nb, &k);
                assert_eq!(bits(&got), bits(&want), "{name} kernel, {} x {m}, {N} outer axes", T::NAME);
            }
            if N == 1 {
                let k = Coef::new([k.ko[0]], kl);
                let [up, c1, dn] = [1, 2, 2 * N + 2].map(row);
                let mut want = [vec![T::from_f64(3.0); m], vec![T::from_f64(3.0); m]];
                crate::scalar::interior(&mut want[0], c, &[[up, c1]], &k);
                crate::scalar::interior(&mut want[1], c1, &[[c, dn]], &k);
                let [mut g0, mut g1] = [vec![T::from_f64(3.0); m], vec![T::from_f64(3.0); m]];
                crate::simd::interior_pair([&mut g0, &mut g1], [up, c, c1, dn], &k);
                assert_eq!([bits(&g0), bits(&g1)], [bits(&want[0]), bits(&want[1])], "pair, {} x {m}", T::NAME);
                // In place: the rows hold `up` and `c` on entry (inside longer buffers, at this
                // offset); columns 0 and m - 1 and the cells around the row keep their values.
                want[0][0] = up[0];
                want[0][m - 1] = up[m - 1];
                want[1][0] = c[0];
                want[1][m - 1] = c[m - 1];
                for (name, f) in [
                    ("dispatched", crate::simd::interior_pair_ring::<T> as fn([&mut [T]; 2], [&[T]; 2], &Coef<T, 1>)),
                    ("plain", crate::simd::interior_pair_ring_plain::<T>),
                ] {
                    let (mut b0, mut b1) = (rows[1].clone(), rows[0].clone());
                    f([&mut b0[off..off + m], &mut b1[off..off + m]], [c1, dn], &k);
                    let got = [&b0[off..off + m], &b1[off..off + m]].map(bits);
                    assert_eq!(got, [bits(&want[0]), bits(&want[1])], "{name} ring pair, {} x {m} at {off}", T::NAME);
                    assert_eq!(
                        [bits(&b0[..off]), bits(&b0[off + m..])],
                        [bits(&rows[1][..off]), bits(&rows[1][off + m..])]
                    );
                    assert_eq!(
                        [bits(&b1[..off]), bits(&b1[off + m..])],
                        [bits(&rows[0][..off]), bits(&rows[0][off + m..])]
                    );
                }
                // The scalar in-place pair on every run of columns, the cells beside it new or old.
                for a in 1..m - 1 {
                    for b in a + 1..m {
                        let (mut s0, mut s1) = (up.to_vec(), c.to_vec());
                        crate::scalar::pair_in_place(&mut s0, &mut s1, c1, dn, a..b, c[a - 1], c[b], &k);
                        assert_eq!([bits(&s0[a..b]), bits(&s1[a..b])], [bits(&want[0][a..b]), bits(&want[1][a..b])]);
                    }
                }
            }
        }
    }
    for m in 3..40 {
        check::<f64, 0>(m, m as u64);
        check::<f64, 1>(m, m as u64);
        check::<f64, 2>(m, m as u64);
        check::<f32, 1>(m, m as u64);
        check::<f32, 2>(m, m as u64);
    }
}

/// Deep blocking (the depths the library picks, and past a band's rows) on random fields, every
/// pair of boundaries, both kernels, strips and whole rows, serial and in bands of 3 rows.
#[test]
fn deep_blocking_matches_naive() {
    fn go<T: Real>() {
        let all = [Boundary::Periodic, Boundary::Dirichlet(0.375), Boundary::Neumann, Boundary::Frozen];
        for (ns, m) in [(70usize, 45usize), (33, 100), (5, 80)] {
            for (b0, b1) in all.iter().flat_map(|&a| all.map(|b| (a, b))) {
                let p = params_for::<T>(&[ns, m], &[b0, b1], &[1.0, if ns == 5 { 1.0 } else { 1.1 }], 0.9);
                let u = random_field::<T>(p.len(), (ns * 7 + m) as u64);
                for depth in [8usize, 17, 31] {
                    let want = bits(&naive::run(&u, &p, depth));
                    for (kern, strip, rows) in [
                        (Kern::best(), m, None),
                        (Kern::best(), 16, None),
                        (Kern::Scalar, 4, None),
                        (Kern::best(), 16, Some(3)),
                    ] {
                        let got = blocked(kern, &u, &p, depth, depth, rows, strip);
                        assert_eq!(
                            bits(&got),
                            want,
                            "{} {ns}x{m} {b0:?},{b1:?} depth {depth} {kern:?} strip {strip} {rows:?}",
                            T::NAME
                        );
                    }
                }
            }
        }
    }
    #[cfg(feature = "parallel")]
    pool(2).install(|| {
        go::<f64>();
        go::<f32>();
    });
    #[cfg(not(feature = "parallel"))]
    {
        go::<f64>();
        go::<f32>();
    }
}

/// Larger shapes than the property test reaches: many bands, every boundary.
#[test]
fn larger_grids_match_naive() {
    for (shape, bcs) in [
        (vec![37usize, 29], vec![Boundary::Periodic]),
        (vec![40, 33], vec![Boundary::Neumann, Boundary::Dirichlet(0.25)]),
        (vec![33, 40], vec![Boundary::Frozen, Boundary::Periodic]),
        (vec![12, 9, 21], vec![Boundary::Periodic, Boundary::Frozen, Boundary::Neumann]),
        (vec![1, 50], vec![Boundary::Periodic]),
        (vec![50, 1], vec![Boundary::Periodic]),
        (vec![301], vec![Boundary::Dirichlet(-1.0)]),
    ] {
        let p = params_for::<f64>(&shape, &bcs, &[1.0], 0.93);
        let u = random_field::<f64>(p.len(), 42);
        assert_eq!(check_all(&u, &p, 7), Ok(()));
        let p32 = params_for::<f32>(&shape, &bcs, &[1.0], 0.93);
        let u32 = random_field::<f32>(p.len(), 43);
        assert_eq!(check_all(&u32, &p32, 4), Ok(()));
    }
}

/// The auto depth: as deep as a ring of whole rows fits 512 KiB (at most 32),
/// else 16 in strips; off under 1 MiB. The book's 1024² × 50 then runs in two passes of 25,
/// bit for bit the naive run.
#[test]
fn auto_depth_and_balanced_passes() {
    fn depth<T: Real>(shape: &[usize]) -> usize {
        let p = Params::<T>::new(shape).build().unwrap();
        Simulation::new(p, &vec![T::default(); shape.iter().product()][..]).unwrap().blocking_depth()
    }
    assert_eq!(depth::<f64>(&[1024, 1024]), 31);
    assert_eq!(depth::<f32>(&[1024, 1024]), 32);
    assert_eq!(depth::<f64>(&[2048, 2048]), 16);
    assert_eq!(depth::<f64>(&[40, 4096]), 16);
    assert_eq!(depth::<f64>(&[256, 512]), 32);
    assert_eq!(depth::<f64>(&[255, 512]), 0);
    // A depth set past the grid's rows is capped there (the workspace stays a few grids).
    let p = Params::<f64>::new(&[5, 40]).build().unwrap();
    let u = random_field::<f64>(200, 5);
    let mut sim = Simulation::new(p.clone(), &u[..]).unwrap();
    sim.set_blocking_depth(Some(usize::MAX));
    assert_eq!(sim.blocking_depth(), 5);
    sim.run(12).unwrap();
    assert_eq!(bits(sim.state()), bits(&naive::run(&u, &p, 12)));
    let (p, u) = book(1024);
    let mut sim = Simulation::new(p.clone(), &u[..]).unwrap();
    sim.run(50).unwrap();
    assert_eq!(bits(sim.state()), bits(&naive::run(&u, &p, 50)));
}

fn book(n: usize) -> (Params<f64>, Vec<f64>) {
    (Params::<f64>::new(&[n, n]).build().unwrap(), book_initial_condition::<f64>(&[n, n]).unwrap())
}

fn each_backend(p: &Params<f64>, u: &[f64], n: usize, mut check: impl FnMut(Backend, &[f64])) {
    for &b in BACKENDS {
        let mut sim = Simulation::new(p.with_backend(b).unwrap(), u).unwrap();
        sim.run(n as u64).unwrap();
        check(b, sim.state());
    }
}

#[test]
fn oracle_mass_500_steps() {
    for bc in [Boundary::Periodic, Boundary::Neumann] {
        let p = Params::<f64>::new(&[128, 96]).boundary(bc).build().unwrap();
        let u = book_initial_condition::<f64>(&[128, 96]).unwrap();
        let m0 = mass(&u);
        each_backend(&p, &u, 500, |b, s| {
            let drift = (mass(s) - m0).abs() / m0;
            assert!(drift <= 1e-12, "{b} {bc:?}: drift {drift}");
        });
    }
    let m = mass(&book_initial_condition::<f64>(&[1024, 1024]).unwrap());
    assert!((m - 53.045).abs() < 1e-9, "{m}");
    for (n, want) in [(256, 3.38), (512, 13.52), (2048, 210.125)] {
        let ic = book_initial_condition::<f32>(&[n, n]).unwrap();
        let cells = ic.iter().filter(|&&x| x != 0.0).count();
        assert!((cells as f64 * 0.005 - want).abs() < 1e-9);
    }
}

#[test]
fn oracle_maximum_principle() {
    let (p, u) = book(64);
    for &b in BACKENDS {
        let mut sim = Simulation::new(p.with_backend(b).unwrap(), &u[..]).unwrap();
        let mut last_max = 0.005;
        for _ in 0..60 {
            sim.step().unwrap();
            let (lo, hi) = sim.state().iter().fold((f64::MAX, f64::MIN), |(a, c), &x| (a.min(x), c.max(x)));
            assert!(lo >= 0.0 && hi <= last_max, "{b}: min {lo} max {hi}");
            last_max = hi;
        }
    }
}

#[test]
fn oracle_impulse() {
    let p = Params::<f64>::new(&[11, 11]).build().unwrap();
    let u = impulse::<f64>(&[11, 11]).unwrap();
    let at = |s: &[f64], di: isize, dj: isize| s[((5 + di) * 11 + 5 + dj) as usize];
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-15;
    for &b in BACKENDS {
        let p = p.with_backend(b).unwrap();
        let (mut g, mut s) = (u.clone(), vec![0.0; u.len()]);
        evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
        assert!(close(at(&g, 0, 0), 0.6) && close(at(&g, 1, 0), 0.1) && close(at(&g, 0, -1), 0.1), "{b} step 1");
        evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
        assert!(close(at(&g, 0, 0), 0.40) && close(at(&g, -1, 0), 0.12), "{b} step 2");
        assert!(close(at(&g, 1, 1), 0.02) && close(at(&g, 0, 2), 0.01), "{b} step 2");
        evolve_inplace(&mut g[..], &mut s[..], &p).unwrap();
        assert!(close(at(&g, 0, 0), 0.288) && close(at(&g, 0, 1), 0.117) && close(at(&g, -1, 1), 0.036), "{b} 3");
        assert!(close(at(&g, 2, 0), 0.018) && close(at(&g, 2, 1), 0.003) && close(at(&g, 0, -3), 0.001), "{b} 3");
        assert_eq!(at(&g, 0, 4), 0.0);
    }
}

#[test]
fn oracle_book_ic_one_step() {
    let (p, u) = book(100); // block rows/cols 40..50
    each_backend(&p, &u, 1, |b, s| {
        let at = |i: usize, j: usize| s[i * 100 + j];
        let close = |a: f64, x: f64| (a - x).abs() <= 1e-15;
        assert!(close(at(45, 45), 0.005) && close(at(40, 40), 0.004) && close(at(49, 49), 0.004), "{b}");
        assert!(close(at(40, 45), 0.0045) && close(at(45, 49), 0.0045), "{b}");
        assert!(close(at(39, 45), 0.0005) && close(at(45, 50), 0.0005) && at(39, 39) == 0.0, "{b}");
    });
}

#[test]
fn oracle_domain_of_influence() {
    let n = 64;
    let (p, u) = book(n); // support rows/cols 25..32
    let k = 12;
    each_backend(&p, &u, k, |b, s| {
        for i in 0..n {
            for j in 0..n {
                let d = |x: usize| {
                    let (lo, hi) = (25, 31);
                    if x < lo {
                        (lo - x).min(x + n - hi)
                    } else if x > hi {
                        (x - hi).min(lo + n - x)
                    } else {
                        0
                    }
                };
                if d(i) + d(j) > k {
                    assert_eq!(s[i * n + j], 0.0, "{b} ({i},{j})");
                }
            }
        }
        assert!(s[(25 - 6) * n + 25 - 6] > 0.0);
    });
}

#[test]
fn oracle_fourier_mode() {
    let (n0, n1) = (8usize, 12usize);
    let p = Params::<f64>::new(&[n0, n1]).build().unwrap();
    let tau = std::f64::consts::TAU;
    let mode: Vec<f64> = (0..n0 * n1)
        .map(|i| (tau * (i / n1) as f64 / n0 as f64).cos() * (tau * 2.0 * (i % n1) as f64 / n1 as f64).cos())
        .collect();
    let factor = 0.8414213562373095;
    each_backend(&p, &mode, 1, |b, s| {
        for (x, m) in s.iter().zip(&mode) {
            assert!((x - factor * m).abs() < 1e-15, "{b}: {x} vs {}", factor * m);
        }
    });
    // Checkerboard: factor 1 - 8r, unstable for r > 1/4 per axis (needs allow_unstable).
    let r = 0.3;
    assert!(matches!(Params::<f64>::new(&[6, 6]).dt(r).build().unwrap_err().kind(), ErrorKind::Unstable { .. }));
    let p = Params::<f64>::new(&[6, 6]).dt(r).allow_unstable(true).build().unwrap();
    let board: Vec<f64> = (0..36).map(|i| if (i / 6 + i % 6) % 2 == 0 { 1.0 } else { -1.0 }).collect();
    each_backend(&p, &board, 3, |b, s| {
        let f = (1.0 - 8.0 * r).powi(3);
        for (x, m) in s.iter().zip(&board) {
            assert!((x - f * m).abs() < 1e-12, "{b}");
        }
    });
}

#[test]
fn oracle_transpose_symmetry() {
    let (p, u) = book(64);
    each_backend(&p, &u, 500, |b, s| {
        for i in 0..64 {
            for j in 0..64 {
                assert_eq!(s[i * 64 + j].to_bits(), s[j * 64 + i].to_bits(), "{b} ({i},{j})");
            }
        }
    });
}

/// The book's V1 order and V4 order (and the roll_add V5) against ours, at 1e-12 relative.
#[test]
fn oracle_book_orders() {
    let n = 48;
    let (p, u) = book(n);
    let idx = |i: usize, j: usize| ((i + n) % n) * n + (j + n) % n;
    let (mut v1, mut v4) = (u.clone(), u.clone());
    for _ in 0..500 {
        v1 = (0..n * n)
            .map(|c| {
                let (i, j, g) = (c / n + n, c % n + n, &v1);
                g[c] + 0.1
                    * ((g[idx(i + 1, j)] + g[idx(i - 1, j)] - 2.0 * g[c])
                        + (g[idx(i, j + 1)] + g[idx(i, j - 1)] - 2.0 * g[c]))
            })
            .collect();
        v4 = (0..n * n)
            .map(|c| {
                let (i, j, g) = (c / n + n, c % n + n, &v4);
                (-4.0 * g[c] + g[idx(i + 1, j)] + g[idx(i - 1, j)] + g[idx(i, j + 1)] + g[idx(i, j - 1)]) * 0.1 + g[c]
            })
            .collect();
    }
    let scale = u.iter().cloned().fold(0.0, f64::max);
    each_backend(&p, &u, 500, |b, s| {
        for ((x, a), c) in s.iter().zip(&v1).zip(&v4) {
            assert!((x - a).abs() <= 1e-12 * scale && (x - c).abs() <= 1e-12 * scale, "{b}");
        }
    });
}

/// The book's `roll_add(rollee, shift, axis, out)`: `out += np.roll(rollee, shift, axis)`.
fn roll_add(rollee: &[f64], shape: [usize; 2], shift: isize, axis: usize, out: &mut [f64]) {
    let (r, c) = (shape[0], shape[1]);
    for i in 0..r {
        for j in 0..c {
            let (si, sj) = if axis == 0 {
                ((i as isize - shift).rem_euclid(r as isize) as usize, j)
            } else {
                (i, (j as isize - shift).rem_euclid(c as isize) as usize)
            };
            out[i * c + j] += rollee[si * c + sj];
        }
    }
}

#[test]
fn oracle_roll_add() {
    let rollee = [1.0, 2.0, 3.0, 4.0];
    let mut out = [6.0, 3.0, 9.0, 2.0];
    roll_add(&rollee, [2, 2], 1, 0, &mut out);
    assert_eq!(out, [9.0, 7.0, 10.0, 4.0]);
    let mut out = [6.0, 3.0, 9.0, 2.0];
    roll_add(&rollee, [2, 2], 1, 1, &mut out);
    assert_eq!(out, [8.0, 4.0, 13.0, 5.0]);
    // V5 (copyto, *= -4, four roll_adds, *= D*dt, += grid) against evolve on 3x4 and 6x10.
    for shape in [[3usize, 4], [6, 10]] {
        let g = random_field::<f64>(shape[0] * shape[1], 9);
        let mut next: Vec<f64> = g.iter().map(|x| x * -4.0).collect();
        for (shift, axis) in [(1, 0), (-1, 0), (1, 1), (-1, 1)] {
            roll_add(&g, shape, shift, axis, &mut next);
        }
        let v5: Vec<f64> = next.iter().zip(&g).map(|(n, x)| n * 0.1 + x).collect();
        let p = Params::<f64>::new(&shape).build().unwrap();
        each_backend(&p, &g, 1, |b, s| {
            for (x, y) in s.iter().zip(&v5) {
                assert!((x - y).abs() <= 1e-15, "{b} {shape:?}");
            }
        });
    }
}

#[test]
fn oracle_fixed_points_and_edges() {
    for bc in [Boundary::Periodic, Boundary::Neumann, Boundary::Frozen, Boundary::Dirichlet(0.75)] {
        let p = Params::<f64>::new(&[9, 14]).boundary(bc).build().unwrap();
        let u = vec![0.75; 9 * 14];
        each_backend(&p, &u, 20, |b, s| assert!(s.iter().all(|&x| x == 0.75), "{b} {bc:?}"));
    }
    let p = Params::<f64>::new(&[9, 14]).boundary(Boundary::Frozen).build().unwrap();
    let u = random_field::<f64>(9 * 14, 5);
    each_backend(&p, &u, 30, |b, s| {
        for i in 0..9 {
            for j in 0..14 {
                if i == 0 || j == 0 || i == 8 || j == 13 {
                    assert_eq!(s[i * 14 + j], u[i * 14 + j], "{b}");
                }
            }
        }
    });
}

fn golden(name: &str) -> (Vec<f64>, Vec<usize>) {
    read_npy::<f64>(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn numpy_goldens() {
    for (file, bc, dt, steps) in [
        ("golden_periodic_24x32_500.npy", Boundary::Periodic, 0.1, 500),
        ("golden_neumann_20x30_500.npy", Boundary::Neumann, 0.1, 500),
        ("golden_periodic_10x12x14_100.npy", Boundary::Periodic, 0.1, 100),
        ("golden_periodic_64_500.npy", Boundary::Periodic, 0.4, 500),
    ] {
        let (want, shape) = golden(file);
        let p = Params::<f64>::new(&shape).boundary(bc).dt(dt).build().unwrap();
        let u = book_initial_condition::<f64>(&shape).unwrap();
        let scale = want.iter().cloned().fold(0.0, f64::max);
        each_backend(&p, &u, steps, |b, s| {
            for (x, y) in s.iter().zip(&want) {
                assert!((x - y).abs() <= 1e-12 * scale, "{file} {b}: {x} vs {y}");
            }
        });
    }
}

#[test]
fn npy_round_trip_and_errors() {
    let dir = std::env::temp_dir().join(format!("stencil-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("x.npy");
    let u = random_field::<f32>(6 * 7, 3);
    write_npy(&path, &u, &[6, 7]).unwrap();
    let (back, shape) = read_npy::<f32>(&path).unwrap();
    assert_eq!((bits(&back), shape), (bits(&u), vec![6, 7]));
    let err = read_npy::<f64>(&path).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Npy);
    assert!(err.to_string().contains("float64"), "{err}");
    assert_eq!(read_npy::<f64>(dir.join("missing.npy")).unwrap_err().kind(), &ErrorKind::Npy);
    std::fs::write(dir.join("junk.npy"), b"not numpy").unwrap();
    assert_eq!(read_npy::<f64>(dir.join("junk.npy")).unwrap_err().kind(), &ErrorKind::Npy);
    assert!(write_npy(&path, &u, &[5, 7]).is_err());
    let _ = std::fs::remove_dir_all(&dir);
    let (ic, shape) = read_npy::<f32>(format!("{}/testdata/book_ic_6x10_f32.npy", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert_eq!(ic, book_initial_condition::<f32>(&shape).unwrap());
    let (f, shape) = golden("fortran_3x4.npy");
    assert_eq!((f, shape), ((0..12).map(f64::from).collect::<Vec<_>>(), vec![3, 4]));
}

#[test]
fn ndarray_fields() {
    use ndarray::{Array2, Axis, Slice};
    let p = Params::<f64>::new(&[6, 8]).build().unwrap();
    let u = random_field::<f64>(48, 11);
    let want = naive::run(&u, &p, 1);
    let mut a = Array2::from_shape_vec((6, 8), u.clone()).unwrap();
    let mut scratch = Array2::<f64>::zeros((6, 8));
    evolve_inplace(&mut a, &mut scratch, &p).unwrap();
    assert_eq!(bits(a.as_slice().unwrap()), bits(&want));
    // A contiguous view of a bigger array works; a strided one is refused, untouched.
    let mut big = Array2::<f64>::zeros((12, 8));
    big.slice_axis_mut(Axis(0), Slice::from(2..8)).assign(&Array2::from_shape_vec((6, 8), u.clone()).unwrap());
    let mut view = big.slice_axis_mut(Axis(0), Slice::from(2..8));
    evolve_inplace(&mut view, &mut scratch, &p).unwrap();
    assert_eq!(bits(view.as_standard_layout().as_slice().unwrap()), bits(&want));
    let mut wide = Array2::<f64>::zeros((6, 16));
    let before = wide.clone();
    let mut strided = wide.slice_axis_mut(Axis(1), Slice::new(0, None, 2));
    let err = evolve_inplace(&mut strided, &mut scratch, &p).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::NonContiguous);
    assert_eq!(wide, before);
    let mut t = Array2::from_shape_vec((8, 6), u.clone()).unwrap().reversed_axes();
    assert_eq!(evolve_inplace(&mut t, &mut scratch, &p).unwrap_err().kind(), &ErrorKind::NonContiguous);
    let mut wrong = Array2::<f64>::zeros((8, 6));
    let err = evolve(&wrong.clone(), &mut wrong, &p).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::ShapeMismatch { .. }), "{err}");
}

#[test]
fn bad_input() {
    let kind = |r: Result<Params<f64>, Error>| r.unwrap_err().kind().clone();
    assert_eq!(kind(Params::new(&[]).build()), ErrorKind::InvalidShape);
    assert_eq!(kind(Params::new(&[4, 0]).build()), ErrorKind::InvalidShape);
    assert_eq!(kind(Params::new(&[2, 2, 2, 2]).build()), ErrorKind::InvalidShape);
    assert_eq!(kind(Params::new(&[2, 5]).boundary(Boundary::Frozen).build()), ErrorKind::InvalidShape);
    assert_eq!(kind(Params::new(&[4]).dt(f64::NAN).build()), ErrorKind::InvalidParameter { name: "dt" });
    assert_eq!(kind(Params::new(&[4]).dt(-0.1).build()), ErrorKind::InvalidParameter { name: "dt" });
    assert_eq!(
        kind(Params::new(&[4]).diffusivity(f64::INFINITY).build()),
        ErrorKind::InvalidParameter { name: "diffusivity" }
    );
    assert_eq!(kind(Params::new(&[4]).spacing(&[0.0]).build()), ErrorKind::InvalidParameter { name: "spacing" });
    assert_eq!(
        kind(Params::new(&[4, 4]).spacing(&[1.0, 1.0, 1.0]).build()),
        ErrorKind::InvalidParameter { name: "spacing" }
    );
    assert_eq!(
        kind(Params::new(&[4]).boundary(Boundary::Dirichlet(f64::NAN)).build()),
        ErrorKind::InvalidParameter { name: "boundary" }
    );
    let err = Params::<f64>::new(&[4, 4]).dt(0.26).build().unwrap_err();
    match err.kind() {
        ErrorKind::Unstable { r, limit } => assert!((r - 0.52).abs() < 1e-12 && *limit == 0.5),
        k => panic!("{k:?}"),
    }
    assert!(err.to_string().contains("0.52") && err.to_string().contains("0.5"), "{err}");
    let b = Params::<f64>::new(&[4, 4]).spacing(&[1.0, 0.5]).diffusivity(2.0);
    assert!((b.max_stable_dt() - 0.05).abs() < 1e-15);
    assert!(b.clone().dt(0.05).build().is_ok() && b.dt(0.0500001).build().is_err());

    let p = Params::<f64>::new(&[4, 5]).check_finite(true).build().unwrap();
    let mut g = random_field::<f64>(20, 1);
    let orig = g.clone();
    let mut short = [0.0; 19];
    let err = evolve_inplace(&mut g[..], &mut short[..], &p).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::ShapeMismatch { expected: vec![4, 5], got: vec![19] });
    assert_eq!(g, orig);
    let mut s = [0.0; 20];
    g[7] = f64::NAN;
    assert_eq!(evolve_inplace(&mut g[..], &mut s[..], &p).unwrap_err().kind(), &ErrorKind::NonFinite { index: 7 });
    assert_eq!(g[..7], orig[..7]);
    let mut sim = Simulation::new(p.clone(), &g[..]).unwrap();
    assert!(sim.run(3).is_err());
    assert_eq!(sim.steps(), 0);
    assert!(Simulation::new(p, &g[..5]).is_err());
    assert_eq!(book_initial_condition::<f64>(&[3, 0]).unwrap_err().kind(), &ErrorKind::InvalidShape);
    #[cfg(not(feature = "parallel"))]
    assert!(matches!(
        Params::<f64>::new(&[4]).backend(Backend::Parallel).build().unwrap_err().kind(),
        ErrorKind::BackendUnavailable(Backend::Parallel)
    ));
}

#[test]
fn simulation_observer_and_time() {
    use std::sync::{Arc, Mutex};
    let (p, u) = book(32);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut sim = Simulation::new(p, &u[..]).unwrap();
    let s2 = Arc::clone(&seen);
    sim.observe_every(4, move |state, step| s2.lock().unwrap().push((step, mass(state))));
    sim.run(10).unwrap();
    sim.step().unwrap();
    sim.step().unwrap();
    assert_eq!(seen.lock().unwrap().iter().map(|x| x.0).collect::<Vec<_>>(), vec![4, 8, 12]);
    assert!((sim.time() - 1.2).abs() < 1e-12);
    assert_eq!(sim.view().shape(), &[32, 32]);
    // reset: back to step 0 with the given state; a wrong shape leaves the state untouched.
    let before = sim.state().to_vec();
    assert!(sim.reset(&u[..10]).is_err());
    assert_eq!(sim.state(), &before[..]);
    sim.reset(&u[..]).unwrap();
    assert_eq!((sim.steps(), sim.state()), (0, &u[..]));
    sim.run(12).unwrap();
    assert_eq!(bits(sim.state()), bits(&naive::run(&u, sim.params(), 12)));
}

#[test]
fn auto_backend_and_boundary_names() {
    let small = Params::<f64>::new(&[64, 64]).build().unwrap();
    assert_eq!(small.backend(), if cfg!(feature = "simd") { Backend::Simd } else { Backend::Scalar });
    let big = Params::<f32>::new(&[1024, 1024]).build().unwrap();
    let want = if cfg!(feature = "parallel") {
        Backend::Parallel
    } else if cfg!(feature = "simd") {
        Backend::Simd
    } else {
        Backend::Scalar
    };
    assert_eq!(big.backend(), want);
    for b in [Boundary::Periodic, Boundary::Neumann, Boundary::Frozen, Boundary::Dirichlet(-2.5)] {
        assert_eq!(b.name().parse::<Boundary>(), Ok(b));
    }
    assert!("dirichlet=x".parse::<Boundary>().is_err() && "wrap".parse::<Boundary>().is_err());
}

/// The 1024² book run: after 500 steps the corner cell is still exactly 0 (domain of
/// influence). Expensive in debug; the tour runs it.
#[test]
#[ignore]
fn oracle_domain_of_influence_1024() {
    let (p, u) = book(1024);
    each_backend(&p, &u, 500, |b, s| assert_eq!(s[0], 0.0, "{b}"));
}

#[test]
fn heatmap_png() {
    let dir = std::env::temp_dir().join(format!("stencil-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for shape in [vec![40usize, 60], vec![3, 5, 7], vec![50], vec![2100, 3]] {
        let u = random_field::<f64>(shape.iter().product(), 2);
        let path = dir.join("h.png");
        let h = write_heatmap_png(&path, &u, &shape).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert!(h.min < h.max && h.width > 24 && h.height >= 64, "{h:?}");
    }
    assert!(write_heatmap_png(dir.join("x.png"), &[0.0f64; 5], &[2, 3]).is_err());
    assert_eq!(
        write_heatmap_png(dir.join("no/such/dir.png"), &[0.0f64; 6], &[2, 3]).unwrap_err().kind(),
        &ErrorKind::Io
    );
    let _ = std::fs::remove_dir_all(&dir);
}
