//! Test oracle: a deliberately naive, modulo-indexed step on the user's N-d shape, written
//! without any of the kernels' structure (no rows, no slabs, no edge paths). It uses the same
//! coefficients `k_a` from `Params` and the canonical per-cell summation order (both forms).

use crate::Params;
use crate::params::Bc;
use crate::real::Real;

/// One step of `u` with `p`'s shape, coefficients and boundaries.
pub(crate) fn step<T: Real>(u: &[T], p: &Params<T>) -> Vec<T> {
    let shape = p.shape();
    let nd = shape.len();
    let off = 3 - nd;
    let k: Vec<T> = (0..nd).map(|a| p.g.k[off + a]).collect();
    let bc: Vec<Bc<T>> = (0..nd).map(|a| p.g.bc[off + a]).collect();
    let mut strides = vec![1usize; nd];
    for a in (0..nd.saturating_sub(1)).rev() {
        strides[a] = strides[a + 1] * shape[a + 1];
    }
    // Every axis with the same k: the neighbour sums first, then one weighted update.
    let equal = k.iter().all(|&ka| ka == k[0]);
    let mut out = vec![T::default(); u.len()];
    for (idx, o) in out.iter_mut().enumerate() {
        let coords: Vec<usize> = (0..nd).map(|a| (idx / strides[a]) % shape[a]).collect();
        let uu = u[idx];
        let frozen = (0..nd).any(|a| bc[a] == Bc::Frozen && (coords[a] == 0 || coords[a] == shape[a] - 1));
        if frozen {
            *o = uu;
            continue;
        }
        let mut sum: Option<T> = None;
        let mut s: Option<T> = None;
        for a in 0..nd {
            let n = shape[a] as isize;
            let get = |c: isize| -> T {
                let base = idx - coords[a] * strides[a];
                if (0..n).contains(&c) {
                    u[base + c as usize * strides[a]]
                } else {
                    match bc[a] {
                        Bc::Periodic => u[base + c.rem_euclid(n) as usize * strides[a]],
                        Bc::Dirichlet(v) => v,
                        Bc::Neumann => uu,
                        Bc::Frozen => unreachable!("frozen edge cells are copied"),
                    }
                }
            };
            let c = coords[a] as isize;
            let pair = get(c - 1) + get(c + 1);
            sum = Some(sum.map_or(pair, |x| x + pair));
            let lap = pair - (uu + uu);
            s = Some(match s {
                None => k[a] * lap,
                Some(s) => s + k[a] * lap,
            });
        }
        *o = if equal {
            uu + k[0] * (sum.expect("at least one axis") - uu * T::from_f64(2.0 * nd as f64))
        } else {
            uu + s.expect("at least one axis")
        };
    }
    out
}

/// `n` naive steps.
pub(crate) fn run<T: Real>(u: &[T], p: &Params<T>, n: usize) -> Vec<T> {
    let mut u = u.to_vec();
    for _ in 0..n {
        u = step(&u, p);
    }
    u
}
