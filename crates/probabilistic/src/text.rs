//! Counting the lines or tokens of a text: in parallel, a fixed split into chunks at line
//! ends, each rayon fold job adding its chunks to one sketch of its own, merged at the end.

use crate::backend;
use crate::{Backend, Error, HashKind, Sketch};

/// What counts as one item of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Units {
    /// Lines without their `\n` (and a trailing `\r`); the default.
    #[default]
    Lines,
    /// Runs of `[A-Za-z0-9_]`.
    Tokens,
}

/// Bytes per parallel chunk (cut at the next line end; independent of the thread count).
pub const TEXT_CHUNK: usize = 1 << 20;

const fn word_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_';
        i += 1;
    }
    t
}

static WORD: [bool; 256] = word_table();

/// Whether `b` is a token byte: `[A-Za-z0-9_]`.
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// Slots of the repeat filter (`2^REPEAT_BITS` of 16 bytes, 1 MiB). On the book's text a
/// token misses 2^14 slots 5.2% of the time, 2^16 slots 1.6%.
const REPEAT_BITS: u32 = 16;
/// The shortest text (bytes) a new repeat filter is made for: below it, filling the filter
/// would cost about as much as the text's tokens.
const FILTER_MIN: usize = 1 << 18;
/// Blocks with a token the repeat filter missed, gathered before those tokens are hashed.
const MISSED_BLOCKS: usize = 16;
/// Bytes of the window a block's tokens are read from: 32 before the block, 64 after it.
const WINDOW: usize = 160;
/// Where the block starts in its window.
const BACK: usize = 32;

/// Masks keeping the first `len` bytes of a little-endian 16-byte load (as two words), for
/// `len` in 0..=16; entry 17 (any longer token) keeps nothing.
const KEEP: [[u64; 2]; 18] = {
    let mut t = [[0u64; 2]; 18];
    let mut len = 1;
    while len <= 16 {
        let bits = 8 * len as u32;
        t[len] = [u64::MAX >> 64u32.saturating_sub(bits), if bits > 64 { u64::MAX >> (128 - bits) } else { 0 }];
        len += 1;
    }
    t
};

/// The tokens of at most 16 bytes added so far, by value, direct-mapped (a later token may
/// evict an earlier one). A token has no zero byte, so its bytes zero-padded to 16 identify
/// it; an empty slot holds 0xff bytes, which no token has. With `skip` off nothing is added and
/// nothing is found: every token is hashed (for sketches where a repeat counts).
pub(crate) struct Repeats {
    slots: Box<[[u64; 2]; 1 << REPEAT_BITS]>,
    skip: bool,
}

impl Repeats {
    pub(crate) fn new(skip: bool) -> Self {
        // Built on the heap: 1 MiB would not fit on every thread's stack.
        let slots = vec![[u64::MAX; 2]; 1 << REPEAT_BITS].into_boxed_slice().try_into();
        Repeats { slots: slots.expect("a slice of exactly 2^REPEAT_BITS slots"), skip }
    }

    #[inline]
    fn slot(key: [u64; 2]) -> usize {
        ((key[0] ^ key[1]).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - REPEAT_BITS)) as usize
    }

    #[inline]
    fn contains(&self, key: [u64; 2]) -> bool {
        self.slots[Self::slot(key)] == key
    }

    /// Adds the token of `len` bytes at `start`; returns whether it was already there (always
    /// false with `skip` off or a token longer than 16 bytes).
    fn check_insert(&mut self, text: &[u8], start: usize, len: usize) -> bool {
        if len > 16 || !self.skip {
            return false;
        }
        let mut pad = [0u8; 16];
        let key = key(window(text, start, 0, &mut pad), 0, len);
        std::mem::replace(&mut self.slots[Self::slot(key)], key) == key
    }
}

/// The little-endian word at `at` (at most `N - 8`) of a window.
#[inline]
fn word_at<const N: usize>(window: &[u8; N], at: usize) -> u64 {
    u64::from_le_bytes(window[at..at + 8].try_into().unwrap_or([0; 8]))
}

/// The repeat filter's key of the token of `len` bytes at `at` of a window: its bytes
/// zero-padded to 16, as two little-endian words; all zero (never found) for a token longer
/// than 16 bytes.
#[inline]
fn key<const N: usize>(window: &[u8; N], at: usize, len: usize) -> [u64; 2] {
    let keep = KEEP[len.min(17)];
    [word_at(window, at) & keep[0], word_at(window, at + 8) & keep[1]]
}

/// The `N` bytes of `text` from `at - back` (zero bytes stand for anything outside the text:
/// they are neither token bytes nor line ends); `pad` holds them when they are not all inside.
#[inline]
fn window<'a, const N: usize>(text: &'a [u8], at: usize, back: usize, pad: &'a mut [u8; N]) -> &'a [u8; N] {
    if let Some(w) = at.checked_sub(back).and_then(|lo| text.get(lo..lo + N)).and_then(|w| w.try_into().ok()) {
        return w;
    }
    let lo = at.saturating_sub(back);
    let skip = lo + back - at;
    let part = &text[lo..(lo + N - skip).min(text.len())];
    *pad = [0; N];
    pad[skip..skip + part.len()].copy_from_slice(part);
    pad
}

/// The token hasher of [`extend_text`]: finds every token of a text from a 64-byte bit mask
/// of its word bytes (one `word_mask` kernel call per 64 bytes, no branch per byte), pairing
/// the k-th token start of a block with its k-th token end. Each token of at most 16 bytes is
/// looked up in `repeats` by value (one 16-byte load at its start, masked to its length, and
/// one table load — no branch); only the tokens it misses, and longer ones, are hashed, a
/// few blocks at a time. Calls `f` with the hash of every token not found — the same values as
/// `hash.hash(token)`, in a different order — and returns the number of tokens. Only for
/// sketches whose state does not depend on the order of inserts, and with `repeats` shared only
/// by calls that feed the same sketch.
pub(crate) fn for_each_token_hash(
    text: &[u8],
    hash: HashKind,
    word_mask: impl Fn(&[u8; 64]) -> u64,
    repeats: &mut Repeats,
    mut f: impl FnMut(u64),
) -> u64 {
    // Blocks with misses: where they start, the ends of the tokens missed, the word mask.
    let mut missed = [(0usize, 0u64, 0u64); MISSED_BLOCKS];
    let mut n_missed = 0;
    let mut n = 0u64;
    // Whether a token runs on from the last block, and where it starts (an offset in this
    // block's window, which wraps around below 0 for a token starting further back).
    let (mut carry, mut open) = (0u64, 0usize);
    let mut pad = [0u8; WINDOW];
    let mut base = 0;
    while base < text.len() {
        let win = window(text, base, BACK, &mut pad);
        let mask = word_mask(win[BACK..BACK + 64].try_into().unwrap_or(&[0; 64]));
        let shifted = (mask << 1) | carry;
        let (mut starts, mut ends) = (mask & !shifted, !mask & shifted);
        // The start of the first token ending here: the open one, else the first start.
        let mut s = if carry != 0 { open } else { BACK + starts.trailing_zeros() as usize };
        starts &= if carry != 0 { u64::MAX } else { starts.wrapping_sub(1) };
        let mut misses = 0u64;
        while ends != 0 {
            let e = ends.trailing_zeros();
            ends &= ends - 1;
            n += 1;
            // A token longer than 16 bytes (or starting before the window) keeps no byte,
            // and an all-zero key is never found.
            let key = key(win, s & 127, (BACK + e as usize).wrapping_sub(s));
            misses |= u64::from(!repeats.contains(key)) << e;
            s = BACK + starts.trailing_zeros() as usize;
            starts &= starts.wrapping_sub(1);
        }
        missed[n_missed % MISSED_BLOCKS] = (base, misses, mask);
        n_missed += usize::from(misses != 0);
        (carry, open) = (mask >> 63, s.wrapping_sub(64));
        base += 64;
        if n_missed == MISSED_BLOCKS || base >= text.len() {
            for &(block, mut bits, mask) in &missed[..n_missed] {
                while bits != 0 {
                    let end = bits.trailing_zeros();
                    // The last non-token byte before the end, if the token starts in the block.
                    let before = !mask & ((1 << end) - 1);
                    let start = (before != 0).then(|| block + 64 - before.leading_zeros() as usize);
                    hash_new(text, start, block + end as usize, hash, repeats, &mut f);
                    bits &= bits - 1;
                }
            }
            n_missed = 0;
        }
    }
    if carry != 0 {
        // A token running to the end of a text of whole blocks.
        n += 1;
        hash_new(text, None, text.len(), hash, repeats, &mut f);
    }
    n
}

/// Hashes the token ending at `end` (and starting at `start`, if known) into `f` unless
/// `repeats` already has it.
#[inline(never)]
fn hash_new(
    text: &[u8],
    start: Option<usize>,
    end: usize,
    hash: HashKind,
    repeats: &mut Repeats,
    f: &mut impl FnMut(u64),
) {
    let start = start.unwrap_or_else(|| text[..end].iter().rposition(|&b| !is_word(b)).map_or(0, |p| p + 1));
    if !repeats.check_insert(text, start, end - start) {
        f(hash.hash(&text[start..end]));
    }
}

/// Calls `f` on every line of `text` in order (without its `\n` and a trailing `\r`; a last
/// line without `\n` counts if not empty), finding line ends 64 bytes at a time from the
/// `newline_mask` kernel; returns the number of lines.
pub(crate) fn for_each_line(text: &[u8], newline_mask: impl Fn(&[u8; 64]) -> u64, mut f: impl FnMut(&[u8])) -> u64 {
    let mut line = |l: &[u8]| f(l.strip_suffix(b"\r").unwrap_or(l));
    let (mut n, mut start, mut base) = (0u64, 0usize, 0usize);
    let mut pad = [0u8; 64];
    while base < text.len() {
        let mut ends = newline_mask(window(text, base, 0, &mut pad));
        while ends != 0 {
            let end = base + ends.trailing_zeros() as usize;
            ends &= ends - 1;
            line(&text[start..end]);
            n += 1;
            start = end + 1;
        }
        base += 64;
    }
    if start < text.len() {
        line(&text[start..]);
        n += 1;
    }
    n
}

/// Calls `f` on every item of `text`; returns the number of items.
pub fn for_each_unit(text: &[u8], units: Units, mut f: impl FnMut(&[u8])) -> u64 {
    let mut n = 0;
    match units {
        Units::Lines => return for_each_line(text, backend::best_newline_mask, f),
        Units::Tokens => {
            let mut i = 0;
            while i < text.len() {
                while i < text.len() && !WORD[text[i] as usize] {
                    i += 1;
                }
                let start = i;
                while i < text.len() && WORD[text[i] as usize] {
                    i += 1;
                }
                if i > start {
                    n += 1;
                    f(&text[start..i]);
                }
            }
        }
    }
    n
}

/// Adds the items of `text` to `s`; `repeats` (made on first use) carries the token filter
/// from one call to the next on the same sketch.
fn for_each_counted<S: Sketch>(s: &mut S, text: &[u8], units: Units, b: Backend, repeats: &mut Option<Repeats>) -> u64 {
    // A text too short to repay a new filter (1 MiB to fill) takes the plain token loop.
    let filtered = repeats.is_some() || text.len() >= FILTER_MIN;
    if units == Units::Tokens && s.parallel_exact() && filtered {
        // Order-independent sketches take the filtered token hasher, with the mask kernel
        // called directly (inlined) rather than through the kernel table.
        let hash = s.hash_kind();
        let repeats = repeats.get_or_insert_with(|| Repeats::new(s.idempotent()));
        let add = |h| {
            s.insert_hash(h);
        };
        return match b {
            Backend::Scalar => for_each_token_hash(text, hash, backend::kernels_for(b).word_mask, repeats, add),
            _ => for_each_token_hash(text, hash, backend::best_word_mask, repeats, add),
        };
    }
    let add = |item: &[u8]| {
        s.insert(item);
    };
    match (units, b) {
        (Units::Lines, Backend::Scalar) => for_each_line(text, backend::kernels_for(b).newline_mask, add),
        (Units::Lines, _) => for_each_line(text, backend::best_newline_mask, add),
        (Units::Tokens, _) => for_each_unit(text, units, add),
    }
}

/// Splits `text` into pieces of about [`TEXT_CHUNK`] bytes, each ending after a `\n` (or at
/// the end), so no line or token is cut.
pub fn split_chunks(text: &[u8]) -> Vec<&[u8]> {
    split_chunks_of(text, TEXT_CHUNK)
}

/// [`split_chunks`] with pieces of about `size` bytes (`size > 0`).
pub fn split_chunks_of(text: &[u8], size: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= size {
            out.push(rest);
            break;
        }
        let cut = rest[size..].iter().position(|&b| b == b'\n').map_or(rest.len(), |p| size + p + 1);
        let (a, b) = rest.split_at(cut);
        out.push(a);
        rest = b;
    }
    out
}

/// Adds every line or token of `text` to `sketch` on `backend`; returns the number of items
/// (with repeats). Text given in pieces must be cut at line ends (see [`split_chunks`]).
///
/// Tokens of a text of at least 256 KiB go to every sketch but the scalable Bloom filter
/// through a filter of the tokens (of at most 16 bytes) already added: in real text most
/// tokens are repeats, and for sketches where a repeat changes nothing (all but Count-Min) only
/// a token the filter misses is hashed (Count-Min hashes every token). Those sketches do not
/// depend on the order of inserts, so the result is exactly the one-by-one build's. Shorter
/// texts are tokenized byte by byte and every token inserted. `Parallel` cuts the text into
/// fixed chunks of about [`TEXT_CHUNK`] bytes; each rayon fold job adds the chunks it takes to
/// one sketch of its own (with one filter), and the sketches are merged: their merges are
/// commutative and associative, so the result is the serial build's at any thread count.
pub fn extend_text<S: Sketch>(sketch: &mut S, text: &[u8], units: Units, backend: Backend) -> Result<u64, Error> {
    let (b, _) = backend::resolve(backend, text.len() / 16)?;
    if b == Backend::Parallel && sketch.parallel_exact() {
        #[cfg(feature = "parallel")]
        {
            let (built, n) = crate::parallel::fold_parts(sketch, &split_chunks(text), |s, repeats, chunk: &&[u8]| {
                for_each_counted(s, chunk, units, b, repeats)
            })?;
            sketch.merge_on(&built, Backend::Auto)?;
            return Ok(n);
        }
    }
    Ok(for_each_counted(sketch, text, units, b, &mut None))
}
