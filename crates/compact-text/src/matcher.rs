//! The Smesh story (chapter 12): many keyword patterns found in one pass by a prefilter
//! (sampled hashed windows for up to 4,096 keywords, an Aho-Corasick automaton beyond), each
//! candidate then verified (keyword, case, whole word, optional regex); a stream matcher
//! that finds matches spanning chunk boundaries; atomic pattern-set swaps.

use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use ferdelance_core::Compiled as CompiledFeatures;

use crate::query::KeyRegex;
use crate::{Backend, Error};

/// Texts from this many bytes are scanned on `Parallel` by [`Backend::Auto`] (about 2 ms of
/// scanning on one core; below it the thread hand-off is not worth it).
pub const MATCH_PARALLEL_THRESHOLD: usize = 4 << 20;

/// How many bytes after a keyword's start a verifying regex may look at (its match ends
/// within this window, in whole texts and streams alike).
pub const REGEX_WINDOW: usize = 1024;

/// One keyword pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    keyword: Vec<u8>,
    whole_word: bool,
    case_insensitive: bool,
    regex: Option<String>,
}

impl Pattern {
    /// A literal keyword (non-empty), matched case-sensitively anywhere.
    pub fn literal(keyword: impl AsRef<[u8]>) -> Self {
        Pattern { keyword: keyword.as_ref().to_vec(), whole_word: false, case_insensitive: false, regex: None }
    }

    /// Only matches not preceded or followed by a word byte (ASCII letter, digit, `_`, or
    /// any byte >= 0x80).
    pub fn whole_word(mut self, yes: bool) -> Self {
        self.whole_word = yes;
        self
    }

    /// ASCII case-insensitive keyword.
    pub fn case_insensitive(mut self, yes: bool) -> Self {
        self.case_insensitive = yes;
        self
    }

    /// After the keyword is found at `start`, the regex must match (anchored) at `start`;
    /// the match is then `start..start + longest regex match` within [`REGEX_WINDOW`].
    pub fn verify(mut self, regex: &str) -> Self {
        self.regex = Some(regex.to_string());
        self
    }

    /// The keyword.
    pub fn keyword(&self) -> &[u8] {
        &self.keyword
    }
}

/// A match: pattern index and byte span in the text (or stream).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    /// Start offset.
    pub start: usize,
    /// Index of the pattern in the list given to [`Matcher::new`].
    pub pattern: usize,
    /// End offset (exclusive).
    pub end: usize,
}

#[derive(Clone, Debug)]
struct Compiled {
    keyword: Vec<u8>,
    whole_word: bool,
    case_insensitive: bool,
    regex: Option<KeyRegex>,
}

/// Most distinct short-keyword windows the `Simd` backend compares 16 positions at a time.
const SIMD_WINDOWS: usize = 8;

/// Above this many keywords the filter tables get too dense to filter well (more than ~6%
/// of their bits set) and the Aho-Corasick automaton takes over.
const MAX_ANCHORS: usize = 4096;

/// ASCII lower-case of four bytes at once.
#[inline(always)]
fn fold4(w: u32) -> u32 {
    let heptets = w & 0x7f7f_7f7f;
    let ge_a = heptets + 0x3f3f_3f3f;
    let gt_z = heptets + 0x2525_2525;
    let upper = ge_a & !gt_z & !w & 0x8080_8080;
    w | (upper >> 2)
}

/// ASCII lower-case of eight bytes at once.
#[inline(always)]
fn fold8(w: u64) -> u64 {
    u64::from(fold4(w as u32)) | u64::from(fold4((w >> 32) as u32)) << 32
}

/// Little-endian word of the first (up to) `n` bytes of `b`, zero-padded.
fn word(b: &[u8], n: usize) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(n);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(w)
}

/// One of the four keyword groups of [`Anchors`], by keyword length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// 1–2 bytes: the two bytes at every position (a 1-byte keyword in all 256 rows of its
    /// byte), the table indexed by the two bytes themselves.
    Tiny,
    /// 3–6 bytes: a three-byte window, every position.
    Short,
    /// 7–10 bytes: six-byte windows at 2 consecutive offsets, every 2nd position.
    Mid,
    /// 11 bytes or more: eight-byte windows at 4 consecutive offsets, every 4th position.
    Long,
}

const GROUPS: [Group; 4] = [Group::Tiny, Group::Short, Group::Mid, Group::Long];

impl Group {
    fn of(len: usize) -> Group {
        match len {
            ..3 => Group::Tiny,
            3..7 => Group::Short,
            7..11 => Group::Mid,
            _ => Group::Long,
        }
    }

    /// Window bytes `q` and stride `k` (`q + k - 1` bytes fit in the group's keywords).
    fn shape(self) -> (usize, usize) {
        match self {
            Group::Tiny => (2, 1),
            Group::Short => (3, 1),
            Group::Mid => (6, 2),
            Group::Long => (8, 4),
        }
    }

    /// The table row of a (folded) text word for this group: a hash of its first `q` bytes
    /// (the two bytes themselves for `Tiny`).
    #[inline(always)]
    fn row(self, w: u64) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        match self {
            Group::Tiny => (w & 0xffff) as usize,
            Group::Short => ((w as u32 & 0x00ff_ffff).wrapping_mul(0x9E37_79B1) >> 16) as usize,
            Group::Mid => ((w & 0xffff_ffff_ffff).wrapping_mul(K) >> 48) as usize,
            Group::Long => (w.wrapping_mul(K) >> 48) as usize,
        }
    }
}

/// The fast prefilter (up to [`MAX_ANCHORS`] keywords), in the spirit of Wu-Manber's
/// sampled hashing. A keyword belongs to a [`Group`] by its length, with a window width `q`
/// and a stride `k` such that `q + k - 1` bytes fit in it (3 and 1 for 3–6 bytes, 6 and 2
/// for 7–10, 8 and 4 beyond; 1–2 byte keywords use the two bytes at every position). It is
/// indexed under `k` windows at consecutive offsets: the run least likely to occur in text,
/// estimated by a bigram (Markov) model of the keywords' own bytes, so common pieces such
/// as "inte" or "tion" rarely trigger. The scan tests only every `k`-th text position
/// against the group's 2^16-bit table (indexed by a hash of the `q` bytes there,
/// case-folded if any pattern is case-insensitive): exactly one of the `k` windows of any
/// occurrence sits on a tested position, so each occurrence is found once. A thousand
/// keywords of typical lengths cost under two table tests per text byte (one byte load
/// each, from 64 KiB tables that stay in L2), and the tests of 64 positions are gathered
/// into a mask without branches (no mispredictions). Each set bit of the mask (a
/// candidate) looks up a bucket list
/// (compressed rows: hash → windows), compares the window and the keyword's first eight
/// bytes, then verifies the keyword in full. An Aho-Corasick automaton walk instead costs
/// a dependent load per byte in a transition table that outgrows the cache with a
/// thousand keywords.
#[derive(Clone, Debug)]
struct Anchors {
    fold: bool,
    /// The distinct (folded) windows of the `Short` group when there are at most
    /// `SIMD_WINDOWS` of them and no `Tiny` keyword: the `Simd` backend then compares 16
    /// positions at once against each instead of the per-position hashed test.
    simd_windows: Option<Vec<[u8; 3]>>,
    /// Tables of the four groups, in [`GROUPS`] order.
    tables: [Table; 4],
    /// Largest window offset in a keyword.
    max_offset: usize,
}

/// A 2^16-bit filter and, per bit, a row of windows (compressed rows).
#[derive(Clone, Debug)]
struct Table {
    bits: Box<[u64; 1 << 10]>,
    /// The same filter, one byte (0 or 1) per row: a test in the `Short`, `Mid` and `Long`
    /// scan loops is then one load, without bit arithmetic (measured 10-15% faster scans; the
    /// 64 KiB tables stay in L2).
    bytes: Box<[u8; 1 << 16]>,
    rows: Vec<u32>,
    entries: Vec<Window>,
}

/// One window of a keyword.
#[derive(Clone, Copy, Debug)]
struct Window {
    /// The (folded) window bytes, little-endian, and the mask of its width.
    bytes: u64,
    mask: u64,
    pattern: u32,
    /// Offset of the window in the keyword.
    offset: u32,
    /// The keyword's first (up to) eight bytes, folded, and the mask of their width: a
    /// second check before the full verification.
    head: u64,
    head_mask: u64,
}

impl Table {
    fn new(mut pairs: Vec<(usize, Window)>) -> Self {
        pairs.sort_by_key(|p| p.0);
        let mut bits = Box::new([0u64; 1 << 10]);
        let mut rows = vec![0u32; (1 << 16) + 1];
        for &(r, _) in &pairs {
            bits[(r >> 6) & 1023] |= 1 << (r & 63);
            rows[(r & 0xffff) + 1] += 1;
        }
        for r in 0..1 << 16 {
            rows[r + 1] += rows[r];
        }
        let mut bytes = Box::new([0u8; 1 << 16]);
        for (r, b) in bytes.iter_mut().enumerate() {
            *b = u8::from(bits[r >> 6] >> (r & 63) & 1 == 1);
        }
        Table { bits, bytes, rows, entries: pairs.into_iter().map(|p| p.1).collect() }
    }

    fn is_used(&self) -> bool {
        !self.entries.is_empty()
    }

    #[inline(always)]
    fn test(&self, i: usize) -> bool {
        self.bits[(i >> 6) & 1023] >> (i & 63) & 1 == 1
    }

    /// [`Table::test`] as 0 or 1 from the byte filter.
    #[inline(always)]
    fn hit(&self, i: usize) -> u8 {
        self.bytes[i & 0xffff]
    }

    fn row(&self, i: usize) -> &[Window] {
        self.rows.get(i..i + 2).map_or(&[], |r| self.entries.get(r[0] as usize..r[1] as usize).unwrap_or(&[]))
    }
}

/// A bigram (first-order Markov) model of the bytes of the keywords, with add-one
/// smoothing: how likely a window is to occur in text like the keywords.
struct ByteModel {
    first: Vec<f64>,
    pair: Vec<f64>,
}

impl ByteModel {
    fn new<'a>(keywords: impl Iterator<Item = &'a [u8]> + Clone) -> Self {
        let mut first = vec![1.0; 256];
        let mut pair = vec![1.0 / 256.0; 1 << 16];
        for kw in keywords {
            for &b in kw {
                first[b as usize] += 1.0;
            }
            for w in kw.windows(2) {
                pair[(w[0] as usize) << 8 | w[1] as usize] += 1.0;
            }
        }
        ByteModel { first, pair }
    }

    /// Log-probability (up to a constant) of `window`.
    fn log_p(&self, window: &[u8]) -> f64 {
        let mut lp = self.first[window[0] as usize].ln();
        for w in window.windows(2) {
            lp += (self.pair[(w[0] as usize) << 8 | w[1] as usize] / self.first[w[0] as usize]).ln();
        }
        lp
    }
}

impl Anchors {
    /// `keywords[i]` is pattern `i`'s keyword (non-empty).
    fn new(keywords: &[&[u8]], fold: bool) -> Self {
        let key = |b: &[u8], n: usize| {
            let w = word(b, n);
            if fold { fold8(w) } else { w }
        };
        let folded: Vec<Vec<u8>> =
            keywords.iter().map(|k| if fold { k.to_ascii_lowercase() } else { k.to_vec() }).collect();
        let model = ByteModel::new(folded.iter().map(|k| &k[..]));
        let mut pairs: [Vec<(usize, Window)>; 4] = Default::default();
        let mut max_offset = 0;
        for (pid, kw) in folded.iter().enumerate() {
            let pattern = pid as u32;
            let g = Group::of(kw.len());
            let head = key(kw, 8);
            let head_mask = u64::MAX >> (64 - 8 * kw.len().clamp(1, 8));
            if kw.len() == 1 {
                let bytes = key(kw, 1);
                for second in 0..=255u64 {
                    let w = Window { bytes, mask: 0xff, pattern, offset: 0, head, head_mask };
                    pairs[g as usize].push((g.row(bytes | second << 8), w));
                }
                continue;
            }
            let (q, k) = g.shape();
            // The run of k windows least likely in text (the sum of their probabilities).
            let score = |o: usize| (o..o + k).map(|p| model.log_p(&kw[p..p + q]).exp()).sum::<f64>();
            let first = (0..=kw.len() - (q + k - 1)).min_by(|&a, &b| score(a).total_cmp(&score(b))).unwrap_or(0);
            for offset in first..first + k {
                let bytes = key(&kw[offset..], q);
                max_offset = max_offset.max(offset);
                let mask = u64::MAX >> (64 - 8 * q);
                pairs[g as usize]
                    .push((g.row(bytes), Window { bytes, mask, pattern, offset: offset as u32, head, head_mask }));
            }
        }
        let mut windows: Vec<[u8; 3]> = pairs[Group::Short as usize]
            .iter()
            .map(|(_, w)| {
                let b = w.bytes.to_le_bytes();
                [b[0], b[1], b[2]]
            })
            .collect();
        windows.sort_unstable();
        windows.dedup();
        let simd_windows = (pairs[Group::Tiny as usize].is_empty() && windows.len() <= SIMD_WINDOWS).then_some(windows);
        let tables = pairs.map(Table::new);
        Anchors { fold, simd_windows, tables, max_offset }
    }

    /// Calls `hit(pattern, start)` for every candidate start in `lo..hi` (indices into
    /// `buf`; possibly with false candidates, never missing a true one, each true one once).
    fn scan(&self, buf: &[u8], lo: usize, hi: usize, simd: bool, hit: &mut impl FnMut(u32, usize)) {
        let [tiny, short, mid, _] = self.tables.each_ref().map(Table::is_used);
        let windows = if simd && cfg!(feature = "simd") { self.simd_windows.as_deref() } else { None };
        match (self.fold, tiny, short, mid) {
            (false, false, false, false) => self.scan_with::<false, false, false, false>(buf, lo, hi, windows, hit),
            (false, false, false, true) => self.scan_with::<false, false, false, true>(buf, lo, hi, windows, hit),
            (false, false, true, false) => self.scan_with::<false, false, true, false>(buf, lo, hi, windows, hit),
            (false, false, true, true) => self.scan_with::<false, false, true, true>(buf, lo, hi, windows, hit),
            (false, true, _, _) => self.scan_with::<false, true, true, true>(buf, lo, hi, windows, hit),
            (true, false, false, false) => self.scan_with::<true, false, false, false>(buf, lo, hi, windows, hit),
            (true, false, false, true) => self.scan_with::<true, false, false, true>(buf, lo, hi, windows, hit),
            (true, false, true, false) => self.scan_with::<true, false, true, false>(buf, lo, hi, windows, hit),
            (true, false, true, true) => self.scan_with::<true, false, true, true>(buf, lo, hi, windows, hit),
            (true, true, _, _) => self.scan_with::<true, true, true, true>(buf, lo, hi, windows, hit),
        }
    }

    #[inline(always)]
    fn scan_with<const FOLD: bool, const TINY: bool, const SHORT: bool, const MID: bool>(
        &self,
        buf: &[u8],
        lo: usize,
        hi: usize,
        windows: Option<&[[u8; 3]]>,
        hit: &mut impl FnMut(u32, usize),
    ) {
        let hi = hi.min(buf.len());
        if lo >= hi {
            return;
        }
        // A window of a start below `hi` begins below `t_end`.
        let t_end = (hi + self.max_offset).min(buf.len());
        let fold = |w: u64| if FOLD { fold8(w) } else { w };
        let [tiny, short, mid, long] = &self.tables;
        // Blocks of 64 positions with eight bytes each in `buf`; a group of stride `k` is
        // tested at positions `lo + k * i` only.
        let mut t = lo;
        while t + 64 <= t_end && t + 64 + 7 <= buf.len() {
            let Ok(block) = <&[u8; 71]>::try_from(&buf[t..t + 71]) else { break };
            let load = |j: usize| {
                let mut eight = [0u8; 8];
                eight.copy_from_slice(&block[j..j + 8]);
                fold(u64::from_le_bytes(eight))
            };
            let mut mask = 0u64;
            #[cfg(feature = "simd")]
            let windows = windows.filter(|_| SHORT);
            #[cfg(feature = "simd")]
            if let Some(ws) = windows {
                mask = crate::simd::window3_mask(block, ws, FOLD);
            }
            #[cfg(not(feature = "simd"))]
            let windows: Option<&[[u8; 3]]> = windows.and(None);
            if (TINY || SHORT) && windows.is_none() {
                for j in 0..64 {
                    let w = load(j);
                    let hit = u8::from(TINY && tiny.test(Group::Tiny.row(w)))
                        | if SHORT { short.hit(Group::Short.row(w)) } else { 0 };
                    mask |= u64::from(hit) << j;
                }
            }
            if MID {
                for j in (0..64).step_by(2) {
                    mask |= u64::from(mid.hit(Group::Mid.row(load(j)))) << j;
                }
            }
            for j in (0..64).step_by(4) {
                mask |= u64::from(long.hit(Group::Long.row(load(j)))) << j;
            }
            while mask != 0 {
                let j = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                self.candidates::<FOLD>(buf, t + j, load(j), lo, hi, hit);
            }
            t += 64;
        }
        // The rest, zero-padded past the end: a padded window can only add false
        // candidates, which verification rejects.
        for t in t..t_end {
            self.candidates::<FOLD>(buf, t, fold(word(&buf[t..], 8)), lo, hi, hit);
        }
    }

    /// The candidates at text position `t` whose (folded, padded) eight bytes are `w`.
    #[inline(never)]
    fn candidates<const FOLD: bool>(
        &self,
        buf: &[u8],
        t: usize,
        w: u64,
        lo: usize,
        hi: usize,
        hit: &mut impl FnMut(u32, usize),
    ) {
        for (g, table) in GROUPS.iter().zip(&self.tables) {
            if !(t - lo).is_multiple_of(g.shape().1) {
                continue;
            }
            let r = g.row(w);
            if !table.test(r) {
                continue;
            }
            for e in table.row(r) {
                let Some(s) = t.checked_sub(e.offset as usize) else { continue };
                if w & e.mask != e.bytes || s < lo || s >= hi {
                    continue;
                }
                // Eight bytes straight from the text where they are all there.
                let head = match buf.get(s..).and_then(|b| b.first_chunk::<8>()) {
                    Some(&eight) => u64::from_le_bytes(eight),
                    None => word(&buf[s..], 8),
                };
                if (if FOLD { fold8(head) } else { head }) & e.head_mask == e.head {
                    hit(e.pattern, s);
                }
            }
        }
    }
}

/// How candidate starts are found.
#[derive(Clone, Debug)]
enum Engine {
    /// The sampled-window prefilter (up to [`MAX_ANCHORS`] keywords).
    Anchors(Box<Anchors>),
    /// An Aho-Corasick automaton over the distinct (case-folded) keywords; `groups[a]`
    /// lists our patterns sharing automaton pattern `a`.
    Automaton { ac: AhoCorasick, groups: Vec<Vec<u32>> },
}

/// Patterns compiled behind a prefilter that finds every candidate start in one pass over
/// the text, then verified one by one (keyword, case, whole word, regex).
#[derive(Clone, Debug)]
pub struct Matcher {
    engine: Engine,
    patterns: Vec<Compiled>,
    source: Vec<Pattern>,
    /// Bytes after a start that decide a match.
    lookahead: usize,
}

pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl Matcher {
    /// Compiles `patterns`; an empty keyword or a bad regex is
    /// [`ErrorKind::InvalidPattern`](crate::ErrorKind::InvalidPattern) with its index.
    ///
    /// Up to 4,096 patterns, candidates come from cache-resident tables of sampled keyword
    /// windows (hashed, tested every 1st, 2nd or 4th text position by keyword length); larger
    /// sets use an Aho-Corasick automaton (`aho-corasick`, DFA up to 20,000 keywords). Both
    /// give the same matches.
    pub fn new(patterns: impl IntoIterator<Item = Pattern>) -> Result<Self, Error> {
        Self::build(patterns.into_iter().collect(), false)
    }

    /// `automaton`: always use the Aho-Corasick engine (tests compare the two engines).
    pub(crate) fn build(source: Vec<Pattern>, automaton: bool) -> Result<Self, Error> {
        let fold = source.iter().any(|p| p.case_insensitive);
        let mut compiled = Vec::with_capacity(source.len());
        let mut lookahead = 1;
        for (i, p) in source.iter().enumerate() {
            if p.keyword.is_empty() {
                return Err(Error::pattern(i, "empty keyword"));
            }
            let regex = match &p.regex {
                Some(r) => Some(KeyRegex::new(r).map_err(|e| match e.kind() {
                    crate::ErrorKind::InvalidPattern { message, .. } => Error::pattern(i, message.clone()),
                    _ => e,
                })?),
                None => None,
            };
            lookahead = lookahead.max(p.keyword.len() + 1);
            if regex.is_some() {
                lookahead = lookahead.max(REGEX_WINDOW + 1);
            }
            compiled.push(Compiled {
                keyword: p.keyword.clone(),
                whole_word: p.whole_word,
                case_insensitive: p.case_insensitive,
                regex,
            });
        }
        let long = source.len();
        let engine = if !automaton && long <= MAX_ANCHORS {
            let keywords: Vec<&[u8]> = source.iter().map(|p| &p.keyword[..]).collect();
            Engine::Anchors(Box::new(Anchors::new(&keywords, fold)))
        } else {
            let mut index: ahash::HashMap<Vec<u8>, u32> = ahash::HashMap::default();
            let mut keys: Vec<Vec<u8>> = Vec::new();
            let mut groups: Vec<Vec<u32>> = Vec::new();
            for (i, p) in source.iter().enumerate() {
                let key = if fold { p.keyword.to_ascii_lowercase() } else { p.keyword.clone() };
                let id = *index.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    groups.push(Vec::new());
                    (groups.len() - 1) as u32
                });
                groups[id as usize].push(i as u32);
            }
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(fold)
                .kind(if keys.len() <= 20_000 { Some(AhoCorasickKind::DFA) } else { None })
                .build(&keys)
                .map_err(|e| Error::too_large(format!("pattern automaton: {e}")))?;
            Engine::Automaton { ac, groups }
        };
        Ok(Matcher { engine, patterns: compiled, source, lookahead })
    }

    /// The patterns, as given.
    pub fn patterns(&self) -> &[Pattern] {
        &self.source
    }

    /// Every match in `text`, ordered by start, then pattern index (overlapping matches
    /// all reported), on [`Backend::Auto`]: threads from [`MATCH_PARALLEL_THRESHOLD`]
    /// bytes when the `parallel` feature is on.
    pub fn find_all(&self, text: &[u8]) -> Vec<Match> {
        self.find_all_on(text, Backend::Auto).unwrap_or_else(|_| self.find_in(text, 0, text.len(), false))
    }

    /// [`Matcher::find_all`] on `backend`: `Parallel` scans chunks of 1 MiB of starts on the
    /// current rayon pool (each reads the bytes around it that decide its matches) and
    /// concatenates them in order, so every backend gives the same list. `Scalar` and
    /// `Simd` scan in one pass; `Simd` (and `Parallel` when `simd` is on) tests up to 8
    /// short-keyword windows 16 positions at a time with `wide` instead of one hashed test
    /// per position. A backend not compiled in is
    /// [`ErrorKind::BackendUnavailable`](crate::ErrorKind::BackendUnavailable).
    pub fn find_all_on(&self, text: &[u8], backend: Backend) -> Result<Vec<Match>, Error> {
        let compiled = CompiledFeatures::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));
        match backend.resolve(compiled, text.len() >= MATCH_PARALLEL_THRESHOLD)? {
            #[cfg(feature = "parallel")]
            Backend::Parallel => Ok(crate::parallel::find_all(self, text)),
            Backend::Simd => Ok(self.find_in(text, 0, text.len(), true)),
            _ => Ok(self.find_in(text, 0, text.len(), false)),
        }
    }

    /// The matches of `text` with start in `from..until`.
    pub(crate) fn find_in(&self, text: &[u8], from: usize, until: usize, simd: bool) -> Vec<Match> {
        // One byte before (the whole-word test) and `lookahead` after decide these starts.
        let a = from.saturating_sub(1);
        let b = until.saturating_add(self.lookahead).min(text.len());
        let mut out = Vec::new();
        self.scan(&text[a..b], a, from, until, simd, &mut out);
        out
    }

    /// Whether any pattern matches.
    pub fn is_match(&self, text: &[u8]) -> bool {
        !self.find_all(text).is_empty()
    }

    /// A stream matcher over this pattern set.
    pub fn stream(self: &Arc<Self>) -> StreamMatcher {
        StreamMatcher { matcher: Arc::clone(self), buf: Vec::new(), base: 0, next: 0 }
    }

    /// Appends matches with start in `from..until` (absolute offsets; `buf[0]` is at
    /// `base`). Callers make sure `buf` extends `lookahead` bytes past every start they ask
    /// for, unless the text ends there.
    fn scan(&self, buf: &[u8], base: usize, from: usize, until: usize, simd: bool, out: &mut Vec<Match>) {
        let first = out.len();
        let lo = from.saturating_sub(base);
        let hi = until.saturating_sub(base);
        match &self.engine {
            Engine::Anchors(anchors) => {
                anchors.scan(buf, lo, hi, simd, &mut |pid, s| self.verify(buf, base, s, pid, out))
            }
            Engine::Automaton { ac, groups } => {
                for m in ac.find_overlapping_iter(buf) {
                    let s = m.start();
                    if s < lo || s >= hi {
                        continue;
                    }
                    for &pid in &groups[m.pattern().as_usize()] {
                        self.verify(buf, base, s, pid, out);
                    }
                }
            }
        }
        if !out[first..].is_sorted() {
            out[first..].sort_unstable();
        }
    }

    /// Checks pattern `pid` at `buf[s..]` (keyword, case, regex, word boundaries).
    #[inline]
    fn verify(&self, buf: &[u8], base: usize, s: usize, pid: u32, out: &mut Vec<Match>) {
        let p = &self.patterns[pid as usize];
        let Some(window) = buf.get(s..s + p.keyword.len()) else { return };
        let same = if p.case_insensitive { window.eq_ignore_ascii_case(&p.keyword) } else { window == &p.keyword[..] };
        if !same {
            return;
        }
        let end = match &p.regex {
            None => s + p.keyword.len(),
            Some(re) => match re.match_len_at_start(&buf[s..buf.len().min(s + REGEX_WINDOW)]) {
                Some(len) => s + len,
                None => return,
            },
        };
        if p.whole_word {
            let before = s.checked_sub(1).map(|i| buf[i]);
            if before.is_some_and(is_word_byte) || buf.get(end).copied().is_some_and(is_word_byte) {
                return;
            }
        }
        out.push(Match { start: s + base, pattern: pid as usize, end: end + base });
    }
}

/// Matches over a stream fed in chunks; matches spanning chunk boundaries are found, and
/// the matches equal those of [`Matcher::find_all`] on the concatenated stream.
#[derive(Debug)]
pub struct StreamMatcher {
    matcher: Arc<Matcher>,
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: usize,
    /// First start offset not yet decided.
    next: usize,
}

impl StreamMatcher {
    /// Feeds the next chunk; appends the matches that are now certain to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Match>) {
        self.buf.extend_from_slice(chunk);
        let end = self.base + self.buf.len();
        let until = (end + 1).saturating_sub(self.matcher.lookahead);
        if until > self.next {
            self.matcher.scan(&self.buf, self.base, self.next, until, cfg!(feature = "simd"), out);
            self.next = until;
            // Keep one byte before `next` for the whole-word check.
            let keep = self.next.saturating_sub(1).max(self.base);
            self.buf.drain(..keep - self.base);
            self.base = keep;
        }
    }

    /// Ends the stream; appends the remaining matches.
    pub fn finish(mut self, out: &mut Vec<Match>) {
        let end = self.base + self.buf.len();
        self.matcher.scan(&self.buf, self.base, self.next, end + 1, cfg!(feature = "simd"), out);
        self.buf.clear();
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.base + self.buf.len()
    }
}

/// A pattern set that can be replaced atomically while other threads match: each scan or
/// stream takes a snapshot ([`SharedMatcher::load`]) and finishes on it; later scans see the
/// new set. No scan ever sees a mix of two sets.
#[derive(Debug)]
pub struct SharedMatcher {
    current: RwLock<Arc<Matcher>>,
}

impl SharedMatcher {
    /// Starts with `matcher`.
    pub fn new(matcher: Matcher) -> Self {
        SharedMatcher { current: RwLock::new(Arc::new(matcher)) }
    }

    /// The current pattern set.
    pub fn load(&self) -> Arc<Matcher> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the pattern set; returns the previous one.
    pub fn swap(&self, matcher: Matcher) -> Arc<Matcher> {
        let new = Arc::new(matcher);
        match self.current.write() {
            Ok(mut g) => std::mem::replace(&mut *g, new),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), new),
        }
    }

    /// Every match in `text` on the current set.
    pub fn find_all(&self, text: &[u8]) -> Vec<Match> {
        self.load().find_all(text)
    }
}

#[cfg(test)]
pub(crate) fn fold4_for_tests(w: u32) -> u32 {
    fold4(w)
}
