//! Counting the lines or tokens of a text: a fixed split into chunks at line ends, one sketch
//! per chunk, merged in chunk order.

use xxhash_rust::xxh3::xxh3_64_with_seed;

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

/// Tokens gathered before they are hashed: their positions stay in L1.
const BATCH: usize = 512;
/// Room for a batch plus one block's tokens (at most 32); a power of two, so a masked index
/// needs no bounds check.
const CAP: usize = 1024;
/// Slots of the repeated-token filter (`2^SEEN_BITS`, 128 KiB: stays in L2). On the book's
/// text 2^12 slots hash 18% of the tokens, 2^14 slots 13%.
const SEEN_BITS: u32 = 14;
const SEEN: usize = 1 << SEEN_BITS;

/// The token hasher of [`extend_text`]: finds every token of a text from a 64-byte bit mask
/// of its word bytes (one `word_mask` kernel call per 64 bytes, no branch per byte), pairing
/// the k-th token start of a block with its k-th token end, then hashes the tokens in
/// batches grouped by length class (1..=3, 4..=8, 9..=16, longer), so the length tests inside
/// xxh3 predict perfectly within a group. Calls `f` with every token's hash — the same values
/// as `hash.hash(token)`, in a different order — and returns the number of tokens. Only for
/// sketches whose state does not depend on the order of inserts.
// The final drain resets fill levels nobody reads again.
#[allow(unused_assignments)]
pub(crate) fn for_each_token_hash(
    text: &[u8],
    hash: HashKind,
    word_mask: impl Fn(&[u8; 64]) -> u64,
    skip_repeats: bool,
    mut f: impl FnMut(u64),
) -> u64 {
    // Tokens of at most 8 bytes seen recently, by value (a token has no zero byte, so its
    // bytes zero-padded to a u64 identify it), direct-mapped: with `skip_repeats` a token
    // found here is counted but not hashed again.
    let mut seen = vec![0u64; SEEN];
    // Short tokens as `start << 8 | len`, one buffer per class; longer ones as pairs.
    let mut short = vec![[0u64; CAP]; 3];
    let [g0, g1, g2] = &mut short[..] else { return 0 };
    let mut long: Vec<(usize, usize)> = Vec::new();
    let (mut l0, mut l1, mut l2) = (0usize, 0usize, 0usize);
    // Tokens, counted from the end bits of each block (a counter bumped per token would
    // live in memory and chain every iteration through it).
    let mut n = 0u64;
    // Adds a token to the buffer of its class. Short tokens take no branch: the entry is
    // written to all three buffers and only its class's fill level advances (the levels stay
    // in registers).
    macro_rules! push {
        ($s:expr, $e:expr) => {{
            let (s, e): (usize, usize) = ($s, $e);
            let c = e - s;
            let word = match text.get(s..s + 8) {
                Some(w) if skip_repeats && c <= 8 => {
                    u64::from_le_bytes(w.try_into().unwrap_or([0; 8])) & (u64::MAX >> (64 - 8 * c))
                }
                _ => 0,
            };
            let slot = &mut seen[(word.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SEEN_BITS)) as usize];
            if word != 0 && *slot == word {
                // A repeat: already added.
            } else if c > 16 {
                long.push((s, e));
            } else {
                let entry = (s as u64) << 8 | c as u64;
                g0[l0 & (CAP - 1)] = entry;
                g1[l1 & (CAP - 1)] = entry;
                g2[l2 & (CAP - 1)] = entry;
                l0 += usize::from(c <= 3);
                l1 += usize::from(c > 3 && c <= 8);
                l2 += usize::from(c > 8);
                *slot = if word != 0 { word } else { *slot };
            }
        }};
    }
    // Hashes every gathered token, one class after the other.
    macro_rules! drain {
        () => {{
            for g in [&g0[..l0], &g1[..l1], &g2[..l2]] {
                let token = |x: u64| {
                    let s = (x >> 8) as usize;
                    &text[s..s + (x & 255) as usize]
                };
                match hash {
                    HashKind::Xxh3 { seed } => g.iter().for_each(|&x| f(xxh3_64_with_seed(token(x), seed))),
                    other => g.iter().for_each(|&x| f(other.hash(token(x)))),
                }
            }
            for &(s, e) in &long {
                f(hash.hash(&text[s..e]));
            }
            (l0, l1, l2) = (0, 0, 0);
            long.clear();
        }};
    }
    // The start of a token still open at the end of the last block.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < text.len() {
        let mask = match text.get(base..base + 64) {
            Some(block) => word_mask(block.try_into().unwrap_or(&[0; 64])),
            None => {
                // Zero padding is not a token byte, so a token running to the end closes here.
                let mut last = [0u8; 64];
                last[..text.len() - base].copy_from_slice(&text[base..]);
                word_mask(&last)
            }
        };
        let shifted = (mask << 1) | u64::from(open.is_some());
        let (mut st, mut en) = (mask & !shifted, !mask & shifted);
        n += u64::from(en.count_ones());
        if let Some(s) = open {
            if en == 0 {
                base += 64;
                continue;
            }
            push!(s, base + en.trailing_zeros() as usize);
            en &= en - 1;
            open = None;
        }
        // Starts and ends alternate: the k-th start pairs with the k-th end; a start left
        // without an end opens a token that runs into the next block.
        while en != 0 {
            push!(base + st.trailing_zeros() as usize, base + en.trailing_zeros() as usize);
            st &= st - 1;
            en &= en - 1;
        }
        if st != 0 {
            open = Some(base + st.trailing_zeros() as usize);
        }
        base += 64;
        if l0 + l1 + l2 + long.len() >= BATCH {
            drain!();
        }
    }
    if let Some(s) = open {
        n += 1;
        push!(s, text.len());
    }
    drain!();
    n
}

/// Calls `f` on every line of `text` in order (without its `\n` and a trailing `\r`; a last
/// line without `\n` counts if not empty), finding line ends 64 bytes at a time from the
/// `newline_mask` kernel; returns the number of lines.
pub(crate) fn for_each_line(text: &[u8], newline_mask: impl Fn(&[u8; 64]) -> u64, mut f: impl FnMut(&[u8])) -> u64 {
    let mut line = |l: &[u8]| f(l.strip_suffix(b"\r").unwrap_or(l));
    let (mut n, mut start, mut base) = (0u64, 0usize, 0usize);
    while base < text.len() {
        let mut ends = match text.get(base..base + 64) {
            Some(block) => newline_mask(block.try_into().unwrap_or(&[0; 64])),
            None => {
                let mut last = [0u8; 64];
                last[..text.len() - base].copy_from_slice(&text[base..]);
                newline_mask(&last)
            }
        };
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

fn for_each_counted<S: Sketch>(s: &mut S, text: &[u8], units: Units, b: Backend) -> u64 {
    if units == Units::Tokens && s.parallel_exact() {
        // Order-independent sketches take the batched token hasher, with the mask kernel
        // called directly (inlined) rather than through the kernel table.
        let (hash, skip) = (s.hash_kind(), s.idempotent());
        let add = |h| {
            s.insert_hash(h);
        };
        return match b {
            Backend::Scalar => for_each_token_hash(text, hash, backend::kernels_for(b).word_mask, skip, add),
            _ => for_each_token_hash(text, hash, backend::best_word_mask, skip, add),
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
/// Tokens go to every sketch but the scalable Bloom filter in batches grouped by length
/// (each token hashed exactly as [`Sketch::insert`] would); those sketches do not depend on
/// the order of inserts, so the result is the one-by-one build's. Sketches where a repeat
/// changes nothing (all but Count-Min) also skip a short token (at most 8 bytes) that a
/// small direct-mapped table of recent tokens shows was already added: in real text most
/// tokens are repeats, and the result is still exactly the one-by-one build's.
pub fn extend_text<S: Sketch>(sketch: &mut S, text: &[u8], units: Units, backend: Backend) -> Result<u64, Error> {
    let (b, _) = backend::resolve(backend, text.len() / 16)?;
    if b == Backend::Parallel && sketch.parallel_exact() {
        #[cfg(feature = "parallel")]
        {
            let chunks = split_chunks(text);
            let counts: Vec<std::sync::atomic::AtomicU64> =
                chunks.iter().map(|_| std::sync::atomic::AtomicU64::new(0)).collect();
            let idx: Vec<usize> = (0..chunks.len()).collect();
            let built = crate::parallel::build_parts(sketch, &idx, |s, &i| {
                let n = for_each_counted(s, chunks[i], units, b);
                counts[i].store(n, std::sync::atomic::Ordering::Relaxed);
            })?;
            sketch.merge_on(&built, Backend::Auto)?;
            return Ok(counts.iter().map(|c| c.load(std::sync::atomic::Ordering::Relaxed)).sum());
        }
    }
    Ok(for_each_counted(sketch, text, units, b))
}
