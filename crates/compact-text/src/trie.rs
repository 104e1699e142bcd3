//! `SuccinctTrie`: a byte trie in LOUDS form (level-order unary degree sequence) over
//! rank/select bit vectors: about 10.3 bits per trie node plus its 8-bit label, with no
//! pointers. Ids are the level-order ranks of the nodes that end a key.
//!
//! Layout: `louds` = `10` (a super-root pointing at the root) then, for each node in level
//! order, one `1` per child and a `0`. Node `k`'s children start right after the `k`-th zero;
//! a child's id is the number of ones before its bit. `labels[c]` is the byte leading to node
//! `c` (children of a node are contiguous and sorted), `terminal[c]` says a key ends at `c`.

use std::collections::VecDeque;
use std::ops::Bound;

use crate::bits::{BitVec, BitVecBuilder};
use crate::codec::{Reader, Writer};
use crate::query::{Levenshtein, above_lo, below_hi, subtree_may_reach_hi, subtree_may_reach_lo};
use crate::{Error, StoreKind, TokenSet};

/// A LOUDS byte trie; the smallest store when keys share long prefixes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuccinctTrie {
    louds: BitVec,
    labels: Vec<u8>,
    terminal: BitVec,
}

impl SuccinctTrie {
    pub(crate) fn from_sorted_unique(keys: &crate::keys::KeyBuf) -> Result<Self, Error> {
        let n = keys.len();
        if n > u32::MAX as usize {
            return Err(Error::too_large("more than 2^32 keys"));
        }
        let mut louds = BitVecBuilder::default();
        let mut terminal = BitVecBuilder::default();
        let mut labels = Vec::new();
        louds.push(true);
        louds.push(false);
        labels.push(0);
        let mut queue: VecDeque<(usize, usize, usize)> = VecDeque::new();
        queue.push_back((0, n, 0));
        while let Some((lo, hi, depth)) = queue.pop_front() {
            let ends_here = lo < hi && keys.key(lo).len() == depth;
            terminal.push(ends_here);
            let mut i = lo + usize::from(ends_here);
            while i < hi {
                let byte = keys.key(i)[depth];
                let mut j = i + 1;
                while j < hi && keys.key(j)[depth] == byte {
                    j += 1;
                }
                louds.push(true);
                labels.push(byte);
                queue.push_back((i, j, depth + 1));
                i = j;
            }
            louds.push(false);
            if labels.len() > u32::MAX as usize / 2 {
                return Err(Error::too_large("more than 2^31 trie nodes"));
            }
        }
        labels.shrink_to_fit();
        Ok(SuccinctTrie { louds: louds.finish(), labels, terminal: terminal.finish() })
    }

    /// Trie nodes (the root included).
    pub fn nodes(&self) -> usize {
        self.labels.len()
    }

    /// First child id and number of children of node `k`.
    fn children(&self, k: usize) -> Option<(usize, usize)> {
        let p = self.louds.select0(k)? + 1;
        let end = self.louds.next_zero(p)?;
        let first = p - (k + 1);
        // Level order: children always come after their parent (guards crafted bytes).
        (first > k || end == p).then_some((first, end - p))
    }

    fn child(&self, k: usize, byte: u8) -> Option<usize> {
        let (first, deg) = self.children(k)?;
        let labels = self.labels.get(first..first + deg)?;
        labels.binary_search(&byte).ok().map(|i| first + i)
    }

    fn node_of(&self, key: &[u8]) -> Option<usize> {
        let mut k = 0;
        for &b in key {
            k = self.child(k, b)?;
        }
        Some(k)
    }

    fn parent(&self, c: usize) -> Option<usize> {
        let q = self.louds.select1(c)?;
        let p = (q - c).checked_sub(1)?;
        (p < c).then_some(p)
    }

    /// Depth-first walk in key order from node `start` (whose key is `prefix`). `step` gives
    /// a child's state or `None` to skip its subtree; `visit` sees each key and returns
    /// `false` to stop.
    fn walk<S>(
        &self,
        start: usize,
        prefix: Vec<u8>,
        state: S,
        mut step: impl FnMut(&S, &[u8]) -> Option<S>,
        mut visit: impl FnMut(&S, &[u8]) -> bool,
    ) {
        let mut key = prefix;
        // (node, next child index, its state); the key is extended as we go down.
        let mut stack: Vec<(usize, usize, S)> = Vec::new();
        if self.terminal.get(start) == Some(true) && !visit(&state, &key) {
            return;
        }
        stack.push((start, 0, state));
        while let Some(top) = stack.last_mut() {
            let (node, idx) = (top.0, top.1);
            let Some((first, deg)) = self.children(node) else { return };
            if idx >= deg {
                stack.pop();
                if !stack.is_empty() {
                    key.pop();
                }
                continue;
            }
            top.1 += 1;
            let c = first + idx;
            let Some(&label) = self.labels.get(c) else { return };
            key.push(label);
            let parent_state = &stack.last().map(|t| &t.2);
            let Some(next) = parent_state.and_then(|s| step(s, &key)) else {
                key.pop();
                continue;
            };
            if self.terminal.get(c) == Some(true) && !visit(&next, &key) {
                return;
            }
            stack.push((c, 0, next));
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u64(self.louds.len() as u64);
        w.u64s(self.louds.words());
        w.bytes(&self.labels);
        w.u64(self.terminal.len() as u64);
        w.u64s(self.terminal.words());
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let bad = || Error::corrupt("inconsistent succinct trie");
        let louds_len = r.u64()? as usize;
        let louds = BitVec::from_words(r.u64s()?, louds_len).ok_or_else(bad)?;
        let labels = r.bytes()?.to_vec();
        let term_len = r.u64()? as usize;
        let terminal = BitVec::from_words(r.u64s()?, term_len).ok_or_else(bad)?;
        let nodes = labels.len();
        if nodes == 0 || louds.len() != 2 * nodes + 1 || louds.ones() != nodes || terminal.len() != nodes {
            return Err(bad());
        }
        Ok(SuccinctTrie { louds, labels, terminal })
    }
}

impl TokenSet for SuccinctTrie {
    fn kind(&self) -> StoreKind {
        StoreKind::Succinct
    }

    fn len(&self) -> usize {
        self.terminal.ones()
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        let k = self.node_of(key)?;
        if self.terminal.get(k)? { self.terminal.rank1(k).map(|r| r as u32) } else { None }
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        let mut c = self.terminal.select1(id as usize)?;
        let mut key = Vec::new();
        while c != 0 {
            key.push(*self.labels.get(c)?);
            c = self.parent(c)?;
        }
        key.reverse();
        Some(key)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        if !self.labels.is_empty() {
            self.walk(
                0,
                Vec::new(),
                (),
                |_, key| (subtree_may_reach_lo(key, lo) && subtree_may_reach_hi(key, hi)).then_some(()),
                |_, key| {
                    if !below_hi(key, hi) {
                        return false;
                    }
                    !above_lo(key, lo) || f(key)
                },
            );
        }
    }

    fn visit_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8]) -> bool) {
        if let Some(k) = self.node_of(prefix) {
            self.walk(k, prefix.to_vec(), (), |_, _| Some(()), |_, key| f(key));
        }
    }

    fn fuzzy(&self, query: &[u8], max_edits: u32) -> Vec<Vec<u8>> {
        let lev = Levenshtein::new(query, max_edits);
        let mut out = Vec::new();
        if self.labels.is_empty() {
            return out;
        }
        self.walk(
            0,
            Vec::new(),
            lev.start(),
            |row, key| {
                let next = lev.step(row, key[key.len() - 1]);
                lev.can_match(&next).then_some(next)
            },
            |row, key| {
                if lev.is_match(row) {
                    out.push(key.to_vec());
                }
                true
            },
        );
        out
    }

    fn heap_bytes(&self) -> usize {
        self.louds.heap_bytes() + self.labels.capacity() + self.terminal.heap_bytes()
    }
}
