//! The Smesh story (chapter 12): many keyword patterns found in one pass by an
//! Aho-Corasick automaton, each hit then verified (case, whole word, optional regex); a
//! stream matcher that finds matches spanning chunk boundaries; atomic pattern-set swaps.

use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::Error;
use crate::query::KeyRegex;

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

/// The prefilter for keywords of 4 bytes or more: each keyword is indexed under the four
/// bytes (case-folded) within it that the fewest other keywords share (a rarely shared anchor
/// keeps candidate lists short, unlike common prefixes such as "over" or "inte"); a 64 Ki-bit
/// table of hashed anchors, then a map from anchor to (pattern, offset).
/// One load, one multiply and one bit test per text position: faster than an automaton
/// walk once thousands of patterns make the automaton too large for the cache.
#[derive(Clone, Debug)]
struct Grams {
    bits: Vec<u64>,
    /// Four (folded) bytes → patterns containing them, with their offset in the keyword.
    by_prefix: ahash::HashMap<u32, Vec<(u32, u32)>>,
    fold: bool,
    max_offset: usize,
}

const GRAM_BITS: u32 = 16;

#[inline]
fn gram_hash(w: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B1) >> (32 - GRAM_BITS)) as usize
}

/// ASCII lower-case of four bytes at once.
#[inline]
fn fold4(w: u32) -> u32 {
    let heptets = w & 0x7f7f_7f7f;
    let ge_a = heptets + 0x3f3f_3f3f;
    let gt_z = heptets + 0x2525_2525;
    let upper = ge_a & !gt_z & !w & 0x8080_8080;
    w | (upper >> 2)
}

impl Grams {
    fn new(fold: bool) -> Self {
        Grams { bits: vec![0; 1 << (GRAM_BITS - 6)], by_prefix: ahash::HashMap::default(), fold, max_offset: 0 }
    }

    fn key(&self, four: &[u8]) -> u32 {
        let w = u32::from_le_bytes([four[0], four[1], four[2], four[3]]);
        if self.fold { fold4(w) } else { w }
    }

    /// Indexes `keyword` under its four bytes at `offset`.
    fn add(&mut self, keyword: &[u8], offset: usize, pid: u32) {
        let w = self.key(&keyword[offset..]);
        let h = gram_hash(w);
        self.bits[h >> 6] |= 1 << (h & 63);
        self.by_prefix.entry(w).or_default().push((pid, offset as u32));
        self.max_offset = self.max_offset.max(offset);
    }
}

/// Patterns compiled behind an Aho-Corasick prefilter (keywords under 4 bytes) and a
/// four-byte hash prefilter (longer keywords).
#[derive(Clone, Debug)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    grams: Grams,
    /// Automaton pattern id → our pattern ids sharing that (case-folded) keyword.
    groups: Vec<Vec<u32>>,
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
    pub fn new(patterns: impl IntoIterator<Item = Pattern>) -> Result<Self, Error> {
        let source: Vec<Pattern> = patterns.into_iter().collect();
        let fold = source.iter().any(|p| p.case_insensitive);
        let mut index: ahash::HashMap<Vec<u8>, u32> = ahash::HashMap::default();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut compiled = Vec::with_capacity(source.len());
        let mut lookahead = 1;
        let mut grams = Grams::new(fold);
        let mut long = Vec::new();
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
            if p.keyword.len() >= 4 {
                long.push(i);
            } else {
                let key = if fold { p.keyword.to_ascii_lowercase() } else { p.keyword.clone() };
                let id = *index.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    groups.push(Vec::new());
                    (groups.len() - 1) as u32
                });
                groups[id as usize].push(i as u32);
            }
            compiled.push(Compiled {
                keyword: p.keyword.clone(),
                whole_word: p.whole_word,
                case_insensitive: p.case_insensitive,
                regex,
            });
        }
        // How many keywords contain each four-byte window; each keyword anchors on its rarest.
        let mut shared: ahash::HashMap<u32, u32> = ahash::HashMap::default();
        for &i in &long {
            let kw = &source[i].keyword;
            let mut seen: Vec<u32> = (0..=kw.len() - 4).map(|o| grams.key(&kw[o..])).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *shared.entry(w).or_default() += 1;
            }
        }
        for &i in &long {
            let kw = &source[i].keyword;
            let best = (0..=kw.len() - 4).min_by_key(|&o| (shared.get(&grams.key(&kw[o..])).copied().unwrap_or(0), o));
            grams.add(kw, best.unwrap_or(0), i as u32);
        }
        let ac = if keys.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(fold)
                    .kind(if keys.len() <= 20_000 { Some(AhoCorasickKind::DFA) } else { None })
                    .build(&keys)
                    .map_err(|e| Error::too_large(format!("pattern automaton: {e}")))?,
            )
        };
        Ok(Matcher { ac, grams, groups, patterns: compiled, source, lookahead })
    }

    /// The patterns, as given.
    pub fn patterns(&self) -> &[Pattern] {
        &self.source
    }

    /// Every match in `text`, ordered by start, then pattern index (overlapping matches
    /// all reported).
    pub fn find_all(&self, text: &[u8]) -> Vec<Match> {
        let mut out = Vec::new();
        self.scan(text, 0, 0, text.len() + 1, &mut out);
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
    fn scan(&self, buf: &[u8], base: usize, from: usize, until: usize, out: &mut Vec<Match>) {
        let first = out.len();
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(buf) {
                let s = m.start();
                if s + base < from || s + base >= until {
                    continue;
                }
                for &pid in &self.groups[m.pattern().as_usize()] {
                    self.verify(buf, base, s, pid, out);
                }
            }
        }
        if !self.grams.by_prefix.is_empty() && buf.len() >= 4 {
            let lo = from.saturating_sub(base);
            let hi = until.saturating_sub(base);
            let t_end = hi.saturating_add(self.grams.max_offset).min(buf.len() - 3);
            for t in lo..t_end {
                let w = self.grams.key(&buf[t..t + 4]);
                let h = gram_hash(w);
                if self.grams.bits[h >> 6] >> (h & 63) & 1 == 0 {
                    continue;
                }
                if let Some(ids) = self.grams.by_prefix.get(&w) {
                    for &(pid, off) in ids {
                        let Some(s) = t.checked_sub(off as usize) else { continue };
                        if s >= lo && s < hi {
                            self.verify(buf, base, s, pid, out);
                        }
                    }
                }
            }
        }
        out[first..].sort_unstable();
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
            self.matcher.scan(&self.buf, self.base, self.next, until, out);
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
        self.matcher.scan(&self.buf, self.base, self.next, end + 1, out);
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
