//! `RadixTrie`: a mutable radix (Patricia) trie. Each node holds the bytes of its incoming
//! edge, whether a key ends there, how many keys its subtree holds (for ranks) and its
//! children sorted by first byte. Inserts and removals split and merge edges; ids are
//! sorted ranks, computed from the subtree counts. The book's HAT-trie is mutable too; this
//! one trades its cache-friendly buckets for simplicity.

use std::ops::Bound;

use crate::query::{above_lo, below_hi, common_prefix_len, subtree_may_reach_lo};
use crate::{StoreKind, TokenSet};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Node {
    /// Bytes of the edge into this node (empty only at the root).
    label: Vec<u8>,
    /// A key ends here.
    terminal: bool,
    /// Keys in this subtree, this node included.
    count: usize,
    /// Children, sorted by the first byte of their label (distinct first bytes).
    children: Vec<Node>,
}

impl Node {
    fn child(&self, b: u8) -> Result<usize, usize> {
        self.children.binary_search_by_key(&b, |c| c.label[0])
    }

    /// Inserts `rest` below this node (the key is known to be absent).
    fn insert(&mut self, rest: &[u8]) {
        self.count += 1;
        if rest.is_empty() {
            self.terminal = true;
            return;
        }
        match self.child(rest[0]) {
            Err(at) => {
                self.children.insert(at, Node { label: rest.to_vec(), terminal: true, count: 1, children: Vec::new() })
            }
            Ok(i) => {
                let c = &mut self.children[i];
                let n = common_prefix_len(&c.label, rest);
                if n < c.label.len() {
                    // Split the edge: a new node for the shared part, the old child below it.
                    let tail = c.label.split_off(n);
                    let mut old = std::mem::take(c);
                    old.label = tail;
                    *c = Node { label: rest[..n].to_vec(), terminal: false, count: old.count, children: vec![old] };
                }
                c.insert(&rest[n..]);
            }
        }
    }

    /// Removes `rest` below this node (the key is known to be present).
    fn remove(&mut self, rest: &[u8]) {
        self.count -= 1;
        if rest.is_empty() {
            self.terminal = false;
            return;
        }
        let Ok(i) = self.child(rest[0]) else { return };
        let n = self.children[i].label.len();
        self.children[i].remove(&rest[n..]);
        let c = &mut self.children[i];
        if c.count == 0 {
            self.children.remove(i);
        } else if !c.terminal && c.children.len() == 1 {
            // Merge a pass-through node with its only child.
            let mut only = c.children.pop().unwrap_or_default();
            let mut label = std::mem::take(&mut c.label);
            label.extend_from_slice(&only.label);
            only.label = label;
            *c = only;
        }
    }

    fn heap_bytes(&self) -> usize {
        self.label.capacity()
            + self.children.capacity() * std::mem::size_of::<Node>()
            + self.children.iter().map(Node::heap_bytes).sum::<usize>()
    }

    /// In-order walk of the keys in `lo..hi` below this node; `path` holds this node's key.
    /// Returns false when `f` asked to stop or the walk passed `hi`.
    fn visit(&self, path: &mut Vec<u8>, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) -> bool {
        if self.terminal && above_lo(path, lo) {
            if !below_hi(path, hi) {
                return false;
            }
            if !f(path) {
                return false;
            }
        }
        for c in &self.children {
            let len = path.len();
            path.extend_from_slice(&c.label);
            // Every key below starts with `path`: skip the subtree if all are below `lo`.
            let skip = !subtree_may_reach_lo(path, lo);
            let go_on = skip || c.visit(path, lo, hi, f);
            path.truncate(len);
            if !go_on {
                return false;
            }
        }
        true
    }
}

/// A mutable radix (Patricia) trie of byte keys; ids are sorted ranks (they shift as keys
/// are inserted or removed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RadixTrie {
    root: Node,
}

impl RadixTrie {
    /// An empty trie.
    pub fn new() -> Self {
        RadixTrie::default()
    }

    /// Adds `key`; `false` if it was already present.
    pub fn insert(&mut self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        if self.contains(key) {
            return false;
        }
        self.root.insert(key);
        true
    }

    /// Removes `key`; `false` if it was absent.
    pub fn remove(&mut self, key: impl AsRef<[u8]>) -> bool {
        let key = key.as_ref();
        if !self.contains(key) {
            return false;
        }
        self.root.remove(key);
        true
    }

    /// The node reached by `key` exactly and, when there is one, the number of keys before
    /// `key` in sorted order.
    fn find(&self, key: &[u8]) -> (Option<&Node>, usize) {
        let (mut node, mut rest, mut rank) = (&self.root, key, 0);
        loop {
            if rest.is_empty() {
                return (Some(node), rank);
            }
            rank += usize::from(node.terminal);
            let at = match node.child(rest[0]) {
                Ok(i) => i,
                Err(i) => return (None, rank + node.children[..i].iter().map(|c| c.count).sum::<usize>()),
            };
            rank += node.children[..at].iter().map(|c| c.count).sum::<usize>();
            let c = &node.children[at];
            if !rest.starts_with(&c.label) {
                return (None, rank);
            }
            rest = &rest[c.label.len()..];
            node = c;
        }
    }
}

impl<T: AsRef<[u8]>> FromIterator<T> for RadixTrie {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut t = RadixTrie::new();
        for k in iter {
            t.insert(k);
        }
        t
    }
}

impl TokenSet for RadixTrie {
    fn kind(&self) -> StoreKind {
        StoreKind::Radix
    }

    fn len(&self) -> usize {
        self.root.count
    }

    fn contains(&self, key: &[u8]) -> bool {
        matches!(self.find(key), (Some(n), _) if n.terminal)
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        match self.find(key) {
            (Some(n), rank) if n.terminal => Some(rank as u32),
            _ => None,
        }
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        let mut left = id as usize;
        if left >= self.root.count {
            return None;
        }
        let (mut node, mut key) = (&self.root, Vec::new());
        loop {
            if node.terminal {
                if left == 0 {
                    return Some(key);
                }
                left -= 1;
            }
            let mut next = None;
            for c in &node.children {
                if left < c.count {
                    next = Some(c);
                    break;
                }
                left -= c.count;
            }
            let c = next?;
            key.extend_from_slice(&c.label);
            node = c;
        }
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.root.visit(&mut Vec::new(), lo, hi, f);
    }

    /// Labels and child vectors (the root node itself is inline).
    fn heap_bytes(&self) -> usize {
        self.root.heap_bytes()
    }
}
