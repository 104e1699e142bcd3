//! Counting the lines or tokens of a text: a fixed split into chunks at line ends, one sketch
//! per chunk, merged in chunk order.

use crate::backend;
use crate::{Backend, Error, Sketch};

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

/// Calls `f` on every item of `text`; returns the number of items.
pub fn for_each_unit(text: &[u8], units: Units, mut f: impl FnMut(&[u8])) -> u64 {
    let mut n = 0;
    match units {
        Units::Lines => {
            let mut rest = text;
            while !rest.is_empty() {
                let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                    Some(p) => (&rest[..p], &rest[p + 1..]),
                    None => (rest, &rest[rest.len()..]),
                };
                n += 1;
                f(line.strip_suffix(b"\r").unwrap_or(line));
                rest = next;
            }
        }
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

fn for_each_counted<S: Sketch>(s: &mut S, text: &[u8], units: Units) -> u64 {
    for_each_unit(text, units, |item| {
        s.insert(item);
    })
}

/// Splits `text` into pieces of about [`TEXT_CHUNK`] bytes, each ending after a `\n` (or at
/// the end), so no line or token is cut.
pub fn split_chunks(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= TEXT_CHUNK {
            out.push(rest);
            break;
        }
        let cut = rest[TEXT_CHUNK..].iter().position(|&b| b == b'\n').map_or(rest.len(), |p| TEXT_CHUNK + p + 1);
        let (a, b) = rest.split_at(cut);
        out.push(a);
        rest = b;
    }
    out
}

/// Adds every line or token of `text` to `sketch` on `backend`; returns the number of items
/// (with repeats). Text given in pieces must be cut at line ends (see [`split_chunks`]).
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
                let n = for_each_counted(s, chunks[i], units);
                counts[i].store(n, std::sync::atomic::Ordering::Relaxed);
            })?;
            sketch.merge_on(&built, Backend::Auto)?;
            return Ok(counts.iter().map(|c| c.load(std::sync::atomic::Ordering::Relaxed)).sum());
        }
    }
    Ok(for_each_counted(sketch, text, units))
}
