//! The SIMD backend: vectors of neighbouring pixels (`f64`, or `f32` for [`Precision::F32`]) in the
//! widest instruction set of the CPU it runs on, picked at run time by [`pulp`] (x86-64: AVX2 when
//! present, so a default build runs 256-bit vectors on any current x86; aarch64: NEON; otherwise
//! plain lanes). Four (256-bit) or two (narrower) independent vectors are in flight, iterated in
//! lockstep until all their lanes have escaped. (A variant that refilled each vector as soon as it
//! finished did 17% less arithmetic but ran 10-20% slower: its per-vector refill branches cost
//! more than they saved.)
//!
//! Per lane the arithmetic is the scalar contract: test `zr*zr + zi*zi < 4`, then update
//! `zr' = (zr*zr - zi*zi) + cr`, `zi' = (zr*zi + zr*zi) + ci`; no fused multiply-add. A lane's
//! live mask is sticky (`live &= norm2 < 4`, so NaN and infinite lanes stay dead) and its counter
//! grows by one while it is live; the iteration bound `n < max_iter` is shared by the vector, so
//! it is a scalar loop bound. Counts are therefore identical to the scalar backend's.

use std::ops::{Add, BitAnd, BitOr, Mul, Sub};

use pulp::bytemuck::{cast_slice, cast_slice_mut};
use pulp::{Simd, WithSimd};

use crate::Precision;
use crate::backend::{Job, Source};

/// Iterations between checks whether the whole group has escaped.
const STEPS: u32 = 4;

/// What the kernel needs from a float vector (its bitwise operators act on lane masks kept as
/// floats, all ones or all zeros per lane).
trait Lanes:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + BitAnd<Output = Self> + BitOr<Output = Self>
{
    /// The instruction set.
    type S: Simd;
    /// The per-lane counter.
    type Count: Copy;
    /// Lanes per vector.
    const N: usize;
    fn splat(simd: Self::S, x: f64) -> Self;
    fn from_fn(simd: Self::S, f: impl FnMut(usize) -> f64) -> Self;
    fn lt(self, rhs: Self) -> Self;
    fn any(self) -> bool;
    fn zero_count(simd: Self::S) -> Self::Count;
    /// `count + 1` in the lanes where `live` is set.
    fn count_live(self, count: Self::Count) -> Self::Count;
    fn lane(count: &Self::Count, lane: usize) -> u32;
}

/// `impl $tr for $name<S>` through `pulp`'s lane-wise `$op`.
macro_rules! op {
    ($name:ident, $tr:ident, $f:ident, $op:ident) => {
        impl<S: Simd> $tr for $name<S> {
            type Output = Self;
            #[inline(always)]
            fn $f(self, o: Self) -> Self {
                $name(self.0, self.0.$op(self.1, o.1))
            }
        }
    };
}

/// Implements [`Lanes`] for `$name<S>`: lanes of `$t`, counters of `$u` (`$f`: the float vector,
/// `$c`: the counter vector, then the operations on them, as `pulp` names them).
macro_rules! lanes {
    ($name:ident, $t:ty, $u:ty, $f:ident, $c:ident, $lanes:ident,
     $add:ident, $sub:ident, $mul:ident, $and:ident, $or:ident, $splat:ident, $lt:ident,
     $select:ident, $u_to_f:ident, $f_to_u:ident, $csub:ident, $csplat:ident) => {
        #[derive(Clone, Copy)]
        struct $name<S: Simd>(S, S::$f);

        op!($name, Add, add, $add);
        op!($name, Sub, sub, $sub);
        op!($name, Mul, mul, $mul);
        op!($name, BitAnd, bitand, $and);
        op!($name, BitOr, bitor, $or);

        impl<S: Simd> Lanes for $name<S> {
            type S = S;
            type Count = S::$c;
            const N: usize = S::$lanes;
            #[inline(always)]
            fn splat(simd: S, x: f64) -> Self {
                $name(simd, simd.$splat(x as $t))
            }
            #[inline(always)]
            fn from_fn(simd: S, mut f: impl FnMut(usize) -> f64) -> Self {
                let mut v = simd.$splat(0.0);
                for (l, x) in cast_slice_mut::<_, $t>(std::slice::from_mut(&mut v)).iter_mut().enumerate() {
                    *x = f(l) as $t;
                }
                $name(simd, v)
            }
            #[inline(always)]
            fn lt(self, rhs: Self) -> Self {
                let s = self.0;
                $name(s, s.$u_to_f(s.$select(s.$lt(self.1, rhs.1), s.$csplat(!0), s.$csplat(0))))
            }
            #[inline(always)]
            fn any(self) -> bool {
                let bits = self.0.$f_to_u(self.1);
                cast_slice::<_, $u>(std::slice::from_ref(&bits)).iter().fold(0, |a, &x| a | x) != 0
            }
            #[inline(always)]
            fn zero_count(simd: S) -> S::$c {
                simd.$csplat(0)
            }
            #[inline(always)]
            fn count_live(self, count: S::$c) -> S::$c {
                // A set mask lane is all ones, i.e. -1 as an integer.
                self.0.$csub(count, self.0.$f_to_u(self.1))
            }
            #[inline(always)]
            fn lane(count: &S::$c, lane: usize) -> u32 {
                cast_slice::<_, $u>(std::slice::from_ref(count))[lane] as u32
            }
        }
    };
}

lanes! {
    F64, f64, u64, f64s, u64s, F64_LANES, add_f64s, sub_f64s, mul_f64s, and_f64s, or_f64s, splat_f64s, less_than_f64s,
    select_u64s, transmute_f64s_u64s, transmute_u64s_f64s, sub_u64s, splat_u64s
}
lanes! {
    F32, f32, u32, f32s, u32s, F32_LANES, add_f32s, sub_f32s, mul_f32s, and_f32s, or_f32s, splat_f32s, less_than_f32s,
    select_u32s, transmute_f32s_u32s, transmute_u32s_f32s, sub_u32s, splat_u32s
}

/// The arguments of [`fill`], handed to the instruction set `pulp` picks.
struct Fill<'a, 'b> {
    job: &'a Job<'b>,
    start: usize,
    out: &'a mut [u32],
}

impl WithSimd for Fill<'_, '_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Fill { job, start, out } = self;
        if job.max_iter == 0 {
            out.fill(0);
            return;
        }
        let wide = size_of::<S::f64s>() >= 32;
        match job.precision {
            Precision::F64 => lanes_for::<F64<S>>(simd, wide, job, start, out),
            Precision::F32 => lanes_for::<F32<S>>(simd, wide, job, start, out),
        }
    }
}

/// [`lockstep`] on vectors `V` for `job`'s source: four vectors in flight with 256-bit
/// registers (`wide`: 16 of them hold the group), two with narrower ones, where four would spill
/// (measured with SSE2: 1.7x faster than four).
#[inline(always)]
fn lanes_for<V: Lanes>(simd: V::S, wide: bool, job: &Job<'_>, start: usize, out: &mut [u32]) {
    let (src, it) = (&job.source, job.max_iter);
    match (job.source.shared_c(), wide) {
        (Some(c), true) => lockstep::<V, false, 4>(simd, src, start, out, it, [c.re, c.im]),
        (Some(c), false) => lockstep::<V, false, 2>(simd, src, start, out, it, [c.re, c.im]),
        (None, true) => lockstep::<V, true, 4>(simd, src, start, out, it, [0.0; 2]),
        (None, false) => lockstep::<V, true, 2>(simd, src, start, out, it, [0.0; 2]),
    }
}

/// Counts of pixels `start..start + out.len()` of `job` (Norm2 escape only; the caller checks).
pub(crate) fn fill(job: &Job<'_>, start: usize, out: &mut [u32]) {
    ferdelance_core::run_time_arch().dispatch(Fill { job, start, out });
}

/// [`fill`] on `pulp`'s plain lanes, whatever this CPU has: the path of a CPU without a vector
/// unit the kernel knows, so the tests cover it on every machine.
#[cfg(test)]
pub(crate) fn fill_plain(job: &Job<'_>, start: usize, out: &mut [u32]) {
    pulp::Scalar::new().vectorize(Fill { job, start, out });
}

/// The kernel: groups of `GROUP` vectors of consecutive pixels, loaded straight from the grid's
/// row when the group lies in one row (NaN lanes, dead from the start, past the end), iterated in
/// lockstep with sticky per-lane masks until every lane is dead or `max_iter` is reached.
/// `PER_PIXEL`: `c` comes from each pixel, else it is `shared_c` for all.
#[inline(always)]
fn lockstep<V: Lanes, const PER_PIXEL: bool, const GROUP: usize>(
    simd: V::S,
    source: &Source<'_>,
    start: usize,
    out: &mut [u32],
    max_iter: u32,
    shared_c: [f64; 2],
) {
    let total = out.len();
    let mut cursor = source.cursor(start);
    let four = V::splat(simd, 4.0);
    let (jcr, jci) = (V::splat(simd, shared_c[0]), V::splat(simd, shared_c[1]));
    let all = V::splat(simd, 0.0).lt(V::splat(simd, 1.0));
    let mut base = 0;
    while base < total {
        let mut zr = [V::splat(simd, 0.0); GROUP];
        let mut zi = zr;
        let mut cr = [jcr; GROUP];
        let mut ci = [jci; GROUP];
        let run = if total - base >= V::N * GROUP { cursor.row_run(V::N * GROUP) } else { None };
        match run {
            Some((xs, y)) if !PER_PIXEL => {
                for g in 0..GROUP {
                    zr[g] = V::from_fn(simd, |l| xs[g * V::N + l]);
                    zi[g] = V::splat(simd, y);
                }
            }
            Some((xs, y)) => {
                for g in 0..GROUP {
                    cr[g] = V::from_fn(simd, |l| xs[g * V::N + l]);
                    ci[g] = V::splat(simd, y);
                }
            }
            None => {
                let mut px = [[f64::NAN, f64::NAN, 0.0, 0.0]; 64];
                for p in px.iter_mut().take((V::N * GROUP).min(total - base)) {
                    *p = cursor.next_pixel();
                }
                for g in 0..GROUP {
                    zr[g] = V::from_fn(simd, |l| px[g * V::N + l][0]);
                    zi[g] = V::from_fn(simd, |l| px[g * V::N + l][1]);
                    if PER_PIXEL {
                        cr[g] = V::from_fn(simd, |l| px[g * V::N + l][2]);
                        ci[g] = V::from_fn(simd, |l| px[g * V::N + l][3]);
                    }
                }
            }
        }
        let mut live = [all; GROUP];
        let mut count = [V::zero_count(simd); GROUP];
        let mut n = 0;
        while n < max_iter {
            if max_iter - n >= STEPS {
                for _ in 0..STEPS {
                    step::<V, GROUP>(&mut zr, &mut zi, &cr, &ci, &mut live, &mut count, four);
                }
                n += STEPS;
            } else {
                for _ in n..max_iter {
                    step::<V, GROUP>(&mut zr, &mut zi, &cr, &ci, &mut live, &mut count, four);
                }
                n = max_iter;
            }
            let mut any = live[0];
            for l in &live[1..] {
                any = any | *l;
            }
            if !any.any() {
                break;
            }
        }
        let end = (base + V::N * GROUP).min(total);
        for (k, slot) in out[base..end].iter_mut().enumerate() {
            *slot = V::lane(&count[k / V::N], k % V::N);
        }
        base = end;
    }
}

/// One iteration of the contract on every vector of a group.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn step<V: Lanes, const G: usize>(
    zr: &mut [V; G],
    zi: &mut [V; G],
    cr: &[V; G],
    ci: &[V; G],
    live: &mut [V; G],
    count: &mut [V::Count; G],
    four: V,
) {
    for g in 0..G {
        let zr2 = zr[g] * zr[g];
        let zi2 = zi[g] * zi[g];
        let t = zr[g] * zi[g];
        live[g] = live[g] & (zr2 + zi2).lt(four);
        count[g] = live[g].count_live(count[g]);
        zr[g] = (zr2 - zi2) + cr[g];
        zi[g] = (t + t) + ci[g];
    }
}

#[cfg(test)]
mod tests {
    use num_complex::Complex64;

    use super::{fill, fill_plain};
    use crate::backend::{Job, Source};
    use crate::{Escape, Precision};

    /// The vector kernel on this CPU's instruction set and on plain lanes gives the scalar
    /// reference's counts for every source, precision and offset, including NaN and infinite
    /// points and runs that end inside a group.
    #[test]
    fn every_instruction_set_matches_scalar() {
        let xs: Vec<f64> = (0..37).map(|i| -1.8 + 3.6 * f64::from(i) / 36.0).collect();
        let ys: Vec<f64> = (0..23).map(|i| -1.8 + 3.6 * f64::from(i) / 22.0).collect();
        let mut zs: Vec<Complex64> =
            (0..101).map(|i| Complex64::new(f64::from(i) * 0.03 - 1.5, 0.7 - f64::from(i) * 0.01)).collect();
        zs[7] = Complex64::new(f64::NAN, 0.0);
        zs[8] = Complex64::new(f64::INFINITY, 1.0);
        let cs: Vec<Complex64> = zs.iter().map(|z| z * 0.5 + Complex64::new(-0.62772, -0.42193)).collect();
        let julia = Complex64::new(-0.62772, -0.42193);
        let sources = [
            Source::Grid { xs: &xs, ys: &ys, c: Some(julia) },
            Source::Grid { xs: &xs, ys: &ys, c: None },
            Source::Points { zs: &zs, c: julia },
            Source::PerPixel { zs: &zs, cs: &cs },
        ];
        for source in sources {
            let n = match source {
                Source::Grid { .. } => xs.len() * ys.len(),
                _ => zs.len(),
            };
            for precision in [Precision::F64, Precision::F32] {
                for max_iter in [0, 1, 5, 300] {
                    let job = Job { source, max_iter, precision, escape: Escape::Norm2 };
                    for start in [0, 5] {
                        let mut want = vec![0; n - start];
                        crate::scalar::fill(&job, start, &mut want);
                        let (mut got, mut plain) = (vec![u32::MAX; n - start], vec![u32::MAX; n - start]);
                        fill(&job, start, &mut got);
                        fill_plain(&job, start, &mut plain);
                        assert_eq!(got, want, "{source:?} {precision:?} {max_iter} {start}");
                        assert_eq!(plain, want, "plain lanes: {source:?} {precision:?} {max_iter} {start}");
                    }
                }
            }
        }
    }
}
