//! The `rayon` backend: one sketch per fixed-size chunk, merged in chunk order, or for text
//! one sketch per rayon fold job over the chunks it takes, merged in any order.

use rayon::prelude::*;

use crate::backend::CHUNK;
use crate::{Backend, Error, Sketch};

/// Builds a sketch of `items` (an empty copy of `template` per chunk of [`CHUNK`] items, fed by
/// `add`), merged in index order with the best single-thread kernels. Chunking does not depend
/// on the thread count, so the result is the same at any thread count.
pub(crate) fn build<S: Sketch, T: Sync>(
    template: &S,
    items: &[T],
    add: impl Fn(&mut S, &T) + Sync,
) -> Result<S, Error> {
    let chunks: Vec<&[T]> = items.chunks(CHUNK).collect();
    build_parts(template, &chunks, |s, chunk| {
        for item in *chunk {
            add(s, item);
        }
    })
}

/// Runs `f` on each of `parts` in parallel and merges the sketches in index order.
pub(crate) fn build_parts<S: Sketch, P: Sync>(
    template: &S,
    parts: &[P],
    f: impl Fn(&mut S, &P) + Sync,
) -> Result<S, Error> {
    let empty = template.empty_like();
    let built: Vec<S> = parts
        .par_iter()
        .map(|p| {
            let mut s = empty.clone();
            f(&mut s, p);
            s
        })
        .collect();
    let mut out = empty;
    for s in &built {
        out.merge_on(s, Backend::Auto)?;
    }
    Ok(out)
}

/// Runs `f` on each of `parts` in parallel, each rayon fold job adding the parts it takes to one
/// sketch and one state `T` (from `T::default()`) of its own, and merges the sketches; returns the merged sketch and the
/// sum of `f`'s counts. The grouping of parts depends on the scheduling, so this is only for
/// sketches whose merge is commutative and associative (every `parallel_exact` one): then the
/// result equals the serial build at any thread count.
pub(crate) fn fold_parts<S: Sketch, P: Sync, T: Default + Send>(
    template: &S,
    parts: &[P],
    f: impl Fn(&mut S, &mut T, &P) -> u64 + Sync + Send,
) -> Result<(S, u64), Error> {
    let empty = template.empty_like();
    parts
        .par_iter()
        .fold(
            || (empty.clone(), T::default(), 0u64),
            |(mut s, mut t, n), p| {
                let k = f(&mut s, &mut t, p);
                (s, t, n + k)
            },
        )
        .map(|(s, _, n)| Ok((s, n)))
        .try_reduce(
            || (empty.clone(), 0),
            |(mut a, n), (b, m)| {
                a.merge_on(&b, Backend::Auto)?;
                Ok((a, n + m))
            },
        )
}
