//! Query machinery shared by the stores: key bounds, the Levenshtein automaton, and the regex
//! adapter over `regex-automata` (also usable as an `fst` automaton).

use std::ops::Bound;

use regex_automata::Anchored;
use regex_automata::dfa::Automaton as _;
use regex_automata::dfa::{StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

use crate::Error;

/// The smallest key greater than every key that starts with `prefix` (`None`: no such key).
pub(crate) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Whether `key` is at or above the lower bound.
pub(crate) fn above_lo(key: &[u8], lo: Bound<&[u8]>) -> bool {
    match lo {
        Bound::Unbounded => true,
        Bound::Included(a) => key >= a,
        Bound::Excluded(a) => key > a,
    }
}

/// Whether `key` is below the upper bound.
pub(crate) fn below_hi(key: &[u8], hi: Bound<&[u8]>) -> bool {
    match hi {
        Bound::Unbounded => true,
        Bound::Included(b) => key <= b,
        Bound::Excluded(b) => key < b,
    }
}

/// The length of the longest common prefix of `a` and `b`.
pub(crate) fn common_prefix_len(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Whether some key starting with `prefix` may lie at or above `lo`.
pub(crate) fn subtree_may_reach_lo(prefix: &[u8], lo: Bound<&[u8]>) -> bool {
    match lo {
        Bound::Unbounded => true,
        Bound::Included(a) | Bound::Excluded(a) => prefix >= a || a.starts_with(prefix),
    }
}

/// Whether some key starting with `prefix` may lie below `hi`.
pub(crate) fn subtree_may_reach_hi(prefix: &[u8], hi: Bound<&[u8]>) -> bool {
    below_hi(prefix, hi)
}

/// One row of the byte-level Levenshtein table of a query: `row[j]` = distance between the
/// key prefix read so far and `query[..j]`.
#[derive(Clone, Debug)]
pub(crate) struct Levenshtein<'q> {
    query: &'q [u8],
    max: u32,
}

impl<'q> Levenshtein<'q> {
    pub(crate) fn new(query: &'q [u8], max: u32) -> Self {
        Levenshtein { query, max }
    }

    pub(crate) fn start(&self) -> Vec<u32> {
        (0..=self.query.len() as u32).collect()
    }

    /// The row after reading `byte`.
    pub(crate) fn step(&self, row: &[u32], byte: u8) -> Vec<u32> {
        let mut next = Vec::with_capacity(row.len());
        next.push(row[0] + 1);
        for (j, &q) in self.query.iter().enumerate() {
            let sub = row[j] + u32::from(q != byte);
            let v = sub.min(row[j + 1] + 1).min(next[j] + 1);
            next.push(v);
        }
        next
    }

    /// The key read so far is within the distance.
    pub(crate) fn is_match(&self, row: &[u32]) -> bool {
        row.last().is_some_and(|&d| d <= self.max)
    }

    /// Some extension of the key read so far may still be within the distance.
    pub(crate) fn can_match(&self, row: &[u32]) -> bool {
        row.iter().any(|&d| d <= self.max)
    }

    /// Keys from a sorted visit that are within the distance, reusing the rows of the prefix
    /// shared with the previous key (a trie walk over a sorted list).
    pub(crate) fn filter_sorted(&self, visit: impl FnOnce(&mut dyn FnMut(&[u8]) -> bool)) -> Vec<Vec<u8>> {
        let mut rows: Vec<Vec<u32>> = vec![self.start()];
        let mut prev: Vec<u8> = Vec::new();
        // Length of a prefix that can no longer match (keys sharing it are skipped).
        let mut dead: Option<usize> = None;
        let mut out = Vec::new();
        visit(&mut |key: &[u8]| {
            let common = common_prefix_len(&prev, key);
            if let Some(d) = dead {
                if common >= d && key.len() >= d {
                    return true;
                }
                dead = None;
            }
            rows.truncate(common + 1);
            prev.clear();
            prev.extend_from_slice(key);
            for i in common..key.len() {
                let next = self.step(&rows[i], key[i]);
                let alive = self.can_match(&next);
                rows.push(next);
                if !alive {
                    dead = Some(i + 1);
                    return true;
                }
            }
            if self.is_match(&rows[key.len()]) {
                out.push(key.to_vec());
            }
            true
        });
        out
    }
}

impl fst::Automaton for Levenshtein<'_> {
    type State = Option<Vec<u32>>;

    fn start(&self) -> Self::State {
        Some(Levenshtein::start(self))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|r| Levenshtein::is_match(self, r))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let row = self.step(state.as_ref()?, byte);
        self.can_match(&row).then_some(row)
    }
}

/// A regular expression that must match a whole key, compiled to a dense DFA.
#[derive(Clone, Debug)]
pub struct KeyRegex {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

/// Largest DFA we build for a key regex (bytes).
const DFA_LIMIT: usize = 16 << 20;

impl KeyRegex {
    /// Compiles `pattern` (the `regex` crate's syntax) to match whole keys.
    pub fn new(pattern: &str) -> Result<Self, Error> {
        // Parse first: the parser's message points at the problem, the DFA builder's does not.
        regex_automata::util::syntax::parse(pattern).map_err(|e| Error::pattern(0, e.to_string()))?;
        let anchored = format!(r"(?:{pattern})\z");
        let dfa = dense::Builder::new()
            .configure(dense::Config::new().start_kind(StartKind::Anchored).dfa_size_limit(Some(DFA_LIMIT)))
            .build(&anchored)
            .map_err(|e| Error::pattern(0, e.to_string()))?;
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .map_err(|e| Error::pattern(0, e.to_string()))?;
        Ok(KeyRegex { dfa, start })
    }

    /// Whether the whole `key` matches.
    pub fn is_match(&self, key: &[u8]) -> bool {
        let mut s = self.start;
        for &b in key {
            s = self.dfa.next_state(s, b);
            if self.dfa.is_dead_state(s) {
                return false;
            }
        }
        self.dfa.is_match_state(self.dfa.next_eoi_state(s))
    }

    /// Whether `pattern` (searched anywhere, unanchored at the end) has a match starting
    /// exactly at `text[0]`; returns its end. Used by the matcher's verification.
    pub(crate) fn match_len_at_start(&self, text: &[u8]) -> Option<usize> {
        let mut s = self.start;
        let mut best = None;
        for (i, &b) in text.iter().enumerate() {
            let eoi = self.dfa.next_eoi_state(s);
            if self.dfa.is_match_state(eoi) {
                best = Some(i);
            }
            s = self.dfa.next_state(s, b);
            if self.dfa.is_dead_state(s) {
                return best;
            }
        }
        if self.dfa.is_match_state(self.dfa.next_eoi_state(s)) {
            best = Some(text.len());
        }
        best
    }
}

impl fst::Automaton for &KeyRegex {
    type State = StateID;

    fn start(&self) -> StateID {
        self.start
    }

    fn is_match(&self, s: &StateID) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(*s))
    }

    fn can_match(&self, s: &StateID) -> bool {
        !self.dfa.is_dead_state(*s)
    }

    fn accept(&self, s: &StateID, byte: u8) -> StateID {
        self.dfa.next_state(*s, byte)
    }
}

/// Decodes the keys of one bucket in turn.
pub(crate) trait KeyCursor {
    /// The next key; `None` past the bucket's end or at corrupt data.
    fn advance(&mut self) -> Option<&[u8]>;
}

/// Sorted keys in buckets of `SIZE`, each bucket decoded from its first key (the head): the
/// queries of [`crate::FrontCoded`] and [`crate::CompressedFrontCoded`].
pub(crate) trait Buckets {
    /// Keys per bucket.
    const SIZE: usize;
    /// The decoder of one bucket.
    type Cursor<'a>: KeyCursor
    where
        Self: 'a;

    /// Number of keys.
    fn key_count(&self) -> usize;
    /// Number of buckets.
    fn bucket_count(&self) -> usize;
    /// The first key of bucket `b`.
    fn head(&self, b: usize) -> Option<&[u8]>;
    /// A decoder at the start of bucket `b`.
    fn cursor(&self, b: usize) -> Option<Self::Cursor<'_>>;

    /// Keys in bucket `b`.
    fn bucket_len(&self, b: usize) -> usize {
        Self::SIZE.min(self.key_count().saturating_sub(b * Self::SIZE))
    }

    /// The last bucket whose head is <= key (0 when key is below every head).
    fn bucket_for(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.bucket_count());
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.head(mid).unwrap_or_default() <= key { lo = mid } else { hi = mid }
        }
        lo
    }

    /// Key → id: binary search over the heads, then a scan of one bucket.
    fn bucket_id_of(&self, key: &[u8]) -> Option<u32> {
        let b = self.bucket_for(key);
        let mut c = self.cursor(b)?;
        for i in 0..self.bucket_len(b) {
            let k = c.advance()?;
            if k == key {
                return Some((b * Self::SIZE + i) as u32);
            }
            if k > key {
                return None;
            }
        }
        None
    }

    /// Id → key: decoding at most one bucket.
    fn bucket_token_of(&self, id: u32) -> Option<Vec<u8>> {
        let id = id as usize;
        if id >= self.key_count() {
            return None;
        }
        let mut c = self.cursor(id / Self::SIZE)?;
        for _ in 0..id % Self::SIZE {
            c.advance()?;
        }
        c.advance().map(<[u8]>::to_vec)
    }

    /// The keys in `lo..hi`, in order, until `f` returns false.
    fn bucket_visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        let first = match lo {
            Bound::Unbounded => 0,
            Bound::Included(a) | Bound::Excluded(a) => self.bucket_for(a),
        };
        for b in first..self.bucket_count() {
            let Some(mut c) = self.cursor(b) else { return };
            for _ in 0..self.bucket_len(b) {
                let Some(k) = c.advance() else { return };
                if !above_lo(k, lo) {
                    continue;
                }
                if !below_hi(k, hi) || !f(k) {
                    return;
                }
            }
        }
    }
}
