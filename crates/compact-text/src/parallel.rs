//! The parallel backend: rayon sort/deduplication and batch lookups in fixed-size chunks.

use rayon::prelude::*;

use crate::keys::KeyBuf;
use crate::matcher::{Match, Matcher};

/// Starts per chunk of a parallel match scan (independent of the thread count).
const MATCH_CHUNK: usize = 1 << 20;

/// Keys per chunk of a batch lookup (independent of the thread count).
const CHUNK: usize = 4096;

/// Same result as [`crate::scalar::sort_dedup`]: equal keys are interchangeable, so the order
/// an unstable parallel sort leaves them in cannot show.
pub(crate) fn sort_dedup(buf: &mut KeyBuf) {
    let arena = &buf.arena;
    let key = |&(s, l): &(usize, u32)| &arena[s..s + l as usize];
    buf.spans.par_sort_unstable_by(|a, b| key(a).cmp(key(b)));
    buf.spans.dedup_by(|a, b| key(a) == key(b));
}

/// Membership of each key, `CHUNK` keys per task.
pub(crate) fn contains_batch(set: &(dyn crate::TokenSet + Sync), keys: &[&[u8]]) -> Vec<bool> {
    let mut out = vec![false; keys.len()];
    out.par_chunks_mut(CHUNK).zip(keys.par_chunks(CHUNK)).for_each(|(o, k)| {
        for (slot, key) in o.iter_mut().zip(k) {
            *slot = set.contains(key);
        }
    });
    out
}

/// Every match of `text`, `MATCH_CHUNK` starts per task, concatenated in chunk order (the
/// same list as one sequential scan).
pub(crate) fn find_all(m: &Matcher, text: &[u8]) -> Vec<Match> {
    let parts: Vec<Vec<Match>> = (0..text.len().div_ceil(MATCH_CHUNK))
        .into_par_iter()
        .map(|i| m.find_in(text, i * MATCH_CHUNK, ((i + 1) * MATCH_CHUNK).min(text.len()), cfg!(feature = "simd")))
        .collect();
    parts.concat()
}
