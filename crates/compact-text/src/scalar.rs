//! The scalar backend: the reference sort/deduplication, tokenizer and batch lookups.

use crate::keys::KeyBuf;

/// Sorts the spans by their bytes and drops repeats.
pub(crate) fn sort_dedup(buf: &mut KeyBuf) {
    let arena = &buf.arena;
    let key = |&(s, l): &(usize, u32)| &arena[s..s + l as usize];
    buf.spans.sort_unstable_by(|a, b| key(a).cmp(key(b)));
    buf.spans.dedup_by(|a, b| key(a) == key(b));
}

/// The book's whitespace: Python 2 `bytes.split()` splits on space, `\t \n \r \x0b \x0c`.
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Appends the `(start, end)` of every token of `text` to `out`.
pub(crate) fn token_spans(text: &[u8], out: &mut Vec<(usize, usize)>) {
    let mut start = None;
    for (i, &b) in text.iter().enumerate() {
        match (is_space(b), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
}

/// Membership of each key.
pub(crate) fn contains_batch(set: &dyn crate::TokenSet, keys: &[&[u8]]) -> Vec<bool> {
    keys.iter().map(|k| set.contains(k)).collect()
}
