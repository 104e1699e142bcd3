//! `CompressedFrontCoded`: the smallest store. Sorted keys in buckets of 64; each bucket's
//! first key (its head) is kept whole in a sorted arena for binary search, and the other 63
//! are front-coded (shared prefix length, suffix length, suffix bytes) with every field
//! entropy-coded by three canonical Huffman codes built over the whole key set. Key → id:
//! binary search over the heads, then one bucket's scan that compares a suffix only when the
//! shared-prefix lengths cannot decide and skips the others' bytes up to three codes per
//! table load; id → key: decoding at most 64 keys. On 5 million synthetic tokens: 4.57 B/key
//! against 12.9 B of raw key text; the three codes' decoding tables add a fixed ~29 KB, so
//! small sets are better off elsewhere.

use std::ops::Bound;

use crate::codec::{Reader, Writer};
use crate::query::{Buckets, KeyCursor, common_prefix_len};
use crate::{Error, StoreKind, TokenSet};

/// Keys per bucket.
const BUCKET: usize = 64;

/// Longest Huffman code, in bits.
const MAX_BITS: u8 = 24;

/// Bits looked up at once when decoding.
const PEEK: u32 = 11;

/// Length symbols at or above this are followed by the value in 32 raw bits.
const ESCAPE: usize = 255;

/// A canonical Huffman code over up to 256 symbols.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Code {
    /// Code length of each symbol (0 = absent).
    lengths: Vec<u8>,
    /// Code and length per symbol, for encoding.
    codes: Vec<(u32, u8)>,
    /// Canonical decoding: per length, the first code and the index of its first symbol in
    /// `sorted`; how many codes have that length.
    first: [u32; MAX_BITS as usize + 1],
    base: [u32; MAX_BITS as usize + 1],
    count: [u32; MAX_BITS as usize + 1],
    sorted: Vec<u8>,
    /// `PEEK`-bit prefix → `symbol | length << 8` (length 0: longer code, decode bit by bit).
    table: Vec<u16>,
    /// `PEEK`-bit prefix → how many whole codes it starts with (0 ..= 3; each of at most
    /// `PEEK` bits), then the bits of the first one, two and three of them (for skipping
    /// symbols; the suffix-byte code only, empty for the others).
    runs: Vec<[u8; 4]>,
}

impl Code {
    /// Code lengths for `freq` (at most `MAX_BITS`): Huffman's algorithm, with the
    /// frequencies flattened (halved, keeping every used symbol) until the code fits.
    fn lengths_for(freq: &[u64; 256]) -> Vec<u8> {
        let mut f: Vec<u64> = freq.to_vec();
        loop {
            let lengths = huffman_lengths(&f);
            if lengths.iter().all(|&l| l <= MAX_BITS) {
                return lengths;
            }
            for x in f.iter_mut().filter(|x| **x > 0) {
                *x = (*x >> 1) | 1;
            }
        }
    }

    /// The canonical code of `lengths`; `None` if they do not form a prefix code.
    fn new(lengths: Vec<u8>) -> Option<Self> {
        if lengths.len() != 256 || lengths.iter().any(|&l| l > MAX_BITS) {
            return None;
        }
        let mut count = [0u32; MAX_BITS as usize + 1];
        for &l in lengths.iter().filter(|&&l| l > 0) {
            count[l as usize] += 1;
        }
        // Kraft: the code space used must not exceed 1.
        let kraft: u64 = (1..=MAX_BITS as usize).map(|l| u64::from(count[l]) << (MAX_BITS as usize - l)).sum();
        if kraft > 1 << MAX_BITS {
            return None;
        }
        let mut sorted: Vec<u8> = (0..=255u8).filter(|&s| lengths[s as usize] > 0).collect();
        sorted.sort_by_key(|&s| (lengths[s as usize], s));
        let (mut first, mut base) = ([0u32; MAX_BITS as usize + 1], [0u32; MAX_BITS as usize + 1]);
        let (mut code, mut index) = (0u32, 0u32);
        for l in 1..=MAX_BITS as usize {
            first[l] = code;
            base[l] = index;
            code = (code + count[l]) << 1;
            index += count[l];
        }
        let mut codes = vec![(0u32, 0u8); 256];
        let mut next = first;
        for &s in &sorted {
            let l = lengths[s as usize] as usize;
            codes[s as usize] = (next[l], l as u8);
            next[l] += 1;
        }
        let mut table = vec![0u16; 1 << PEEK];
        for &s in &sorted {
            let (c, l) = codes[s as usize];
            if u32::from(l) <= PEEK {
                let lo = (c << (PEEK - u32::from(l))) as usize;
                for e in &mut table[lo..lo + (1 << (PEEK - u32::from(l)))] {
                    *e = u16::from(s) | u16::from(l) << 8;
                }
            }
        }
        Some(Code { lengths, codes, first, base, count, sorted, table, runs: Vec::new() })
    }

    /// The same code, with its `runs` table for [`Code::skip_symbols`].
    fn with_runs(mut self) -> Self {
        let runs = (0..1u32 << PEEK).map(|prefix| {
            let mut run = [0u8; 4];
            let mut used = 0;
            for k in 1..4 {
                let l = u32::from(self.table[((prefix << used) & ((1 << PEEK) - 1)) as usize] >> 8);
                if l == 0 || used + l > PEEK {
                    break;
                }
                used += l;
                run[0] = k as u8;
                run[k] = used as u8;
            }
            run
        });
        self.runs = runs.collect();
        self
    }

    fn put(&self, w: &mut BitWriter, symbol: usize) {
        let (c, l) = self.codes[symbol];
        w.put(c, l);
    }

    /// The next symbol: one table load for a code of at most `PEEK` bits.
    #[inline(always)]
    fn get(&self, r: &mut BitReader<'_>) -> Option<usize> {
        let e = self.table[r.peek(PEEK) as usize];
        if e >> 8 != 0 {
            r.skip(u32::from(e >> 8))?;
            return Some(usize::from(e & 0xff));
        }
        self.get_long(r)
    }

    /// A code longer than `PEEK` bits, bit by bit.
    #[cold]
    #[inline(never)]
    fn get_long(&self, r: &mut BitReader<'_>) -> Option<usize> {
        let mut code = 0u32;
        for l in 1..=MAX_BITS as usize {
            code = code << 1 | r.bits(1)?;
            if code.wrapping_sub(self.first[l]) < self.count[l] {
                return self.sorted.get((self.base[l] + code - self.first[l]) as usize).map(|&s| usize::from(s));
            }
        }
        None
    }

    /// Skips `n` symbols, up to three per table load (needs `runs`).
    #[inline(always)]
    fn skip_symbols(&self, r: &mut BitReader<'_>, mut n: usize) -> Option<()> {
        while n > 0 {
            let run = self.runs.get(r.peek(PEEK) as usize).copied().unwrap_or_default();
            let k = usize::from(run[0]).min(n).min(3);
            if k == 0 {
                // A code longer than `PEEK` bits (or no `runs`).
                self.get(r)?;
                n -= 1;
            } else {
                r.skip(u32::from(run[k]))?;
                n -= k;
            }
        }
        Some(())
    }

    /// A length field: a symbol, escaped to 32 raw bits from `ESCAPE` on.
    fn put_len(&self, w: &mut BitWriter, v: usize) {
        self.put(w, v.min(ESCAPE));
        if v >= ESCAPE {
            w.put(v as u32, 32);
        }
    }

    #[inline(always)]
    fn get_len(&self, r: &mut BitReader<'_>) -> Option<usize> {
        match self.get(r)? {
            ESCAPE => r.bits(32).map(|v| v as usize),
            v => Some(v),
        }
    }

    fn heap_bytes(&self) -> usize {
        self.lengths.capacity()
            + self.codes.capacity() * 8
            + self.sorted.capacity()
            + self.table.capacity() * 2
            + self.runs.capacity() * 4
    }
}

/// Huffman code lengths (unbounded) for the symbols with a non-zero frequency.
fn huffman_lengths(freq: &[u64]) -> Vec<u8> {
    let mut lengths = vec![0u8; freq.len()];
    let used: Vec<usize> = (0..freq.len()).filter(|&s| freq[s] > 0).collect();
    if used.len() == 1 {
        lengths[used[0]] = 1;
        return lengths;
    }
    // Nodes: leaves then internal nodes; parent links give the depths.
    let mut parent = vec![usize::MAX; 2 * used.len()];
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize)>> =
        used.iter().enumerate().map(|(i, &s)| std::cmp::Reverse((freq[s], i))).collect();
    let mut next = used.len();
    while heap.len() > 1 {
        let (Some(std::cmp::Reverse((fa, a))), Some(std::cmp::Reverse((fb, b)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        parent[a] = next;
        parent[b] = next;
        heap.push(std::cmp::Reverse((fa + fb, next)));
        next += 1;
    }
    for (i, &s) in used.iter().enumerate() {
        let (mut d, mut n) = (0u32, i);
        while parent[n] != usize::MAX {
            n = parent[n];
            d += 1;
        }
        lengths[s] = d.min(255) as u8;
    }
    lengths
}

/// Bits appended most significant first into `u64` words.
#[derive(Default)]
struct BitWriter {
    words: Vec<u64>,
    bits: usize,
}

impl BitWriter {
    fn put(&mut self, value: u32, n: u8) {
        for i in (0..n).rev() {
            if self.bits.is_multiple_of(64) {
                self.words.push(0);
            }
            let bit = u64::from(value >> i & 1);
            if let Some(w) = self.words.last_mut() {
                *w |= bit << (63 - self.bits % 64);
            }
            self.bits += 1;
        }
    }
}

/// Reads bits `pos..end` of `words`, most significant first, through a 64-bit buffer topped
/// up 32 bits at a time (so a symbol costs a table load and two shifts); reading past `end` is
/// an error (`None`).
struct BitReader<'a> {
    words: &'a [u64],
    /// The next 32-bit half of `words` to load (the high half of a word first).
    next: usize,
    /// The `have` bits ahead, most significant first; the bits below them are zero.
    buf: u64,
    have: u32,
    /// Bits left before `end`.
    left: usize,
}

impl<'a> BitReader<'a> {
    /// A reader of bits `pos..end` (`pos <= end`).
    fn new(words: &'a [u64], pos: usize, end: usize) -> Self {
        let mut r = BitReader { words, next: pos / 32, buf: 0, have: 0, left: end.saturating_sub(pos) };
        let skipped = (pos % 32) as u32;
        r.buf = u64::from(r.half()) << 32 << skipped;
        r.have = 32 - skipped;
        r
    }

    /// The next 32-bit half of the stream (zero past the last word).
    #[inline]
    fn half(&mut self) -> u32 {
        let word = self.words.get(self.next / 2).copied().unwrap_or(0);
        let half = (word >> (32 - 32 * (self.next as u32 & 1))) as u32;
        self.next += 1;
        half
    }

    /// The next `n` (1..=32) bits without consuming them (zero past the last word; past `end`
    /// they are the next bucket's, and consuming them is the error).
    #[inline]
    fn peek(&mut self, n: u32) -> u32 {
        if self.have < 32 {
            self.buf |= u64::from(self.half()) << (32 - self.have);
            self.have += 32;
        }
        (self.buf >> (64 - n)) as u32
    }

    /// Consumes `n` bits, at most the ones the last `peek` looked at.
    #[inline]
    fn skip(&mut self, n: u32) -> Option<()> {
        self.left = self.left.checked_sub(n as usize)?;
        self.buf <<= n;
        self.have -= n;
        Some(())
    }

    fn bits(&mut self, n: u32) -> Option<u32> {
        let v = self.peek(n);
        self.skip(n)?;
        Some(v)
    }
}

/// Sorted keys, front-coded and Huffman-coded in buckets of 64; ids are sorted ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompressedFrontCoded {
    len: usize,
    /// Bucket heads, whole: `heads[head_ends[b - 1]..head_ends[b]]` (from 0 for `b = 0`).
    heads: Vec<u8>,
    head_ends: Vec<u32>,
    /// Bit stream of the other keys; bucket `b` spans bits `starts[b]..starts[b + 1]`.
    words: Vec<u64>,
    starts: Vec<u64>,
    /// Codes of shared-prefix lengths, suffix lengths and suffix bytes.
    codes: Box<[Code; 3]>,
}

/// Decodes the keys of one bucket in turn.
pub(crate) struct Cursor<'a> {
    store: &'a CompressedFrontCoded,
    reader: BitReader<'a>,
    key: Vec<u8>,
    first: bool,
}

impl KeyCursor for Cursor<'_> {
    /// The next key; `None` at corrupt data, including a shared-prefix length shorter than
    /// the one the two keys really share (the encoder always writes the longest, and the
    /// lookup's scan relies on it).
    fn advance(&mut self) -> Option<&[u8]> {
        if std::mem::take(&mut self.first) {
            return Some(&self.key);
        }
        let (lcp, n) = self.store.key_header(&mut self.reader)?;
        if lcp > self.key.len() {
            return None;
        }
        let replaced = self.key.get(lcp).copied();
        self.key.truncate(lcp);
        for _ in 0..n {
            let b = self.store.codes[2].get(&mut self.reader)?;
            self.key.push(b as u8);
        }
        if replaced.is_some() && self.key.get(lcp).copied() == replaced {
            return None; // the keys share more than `lcp` bytes
        }
        Some(&self.key)
    }
}

impl CompressedFrontCoded {
    /// Builds from keys already sorted and unique; `keys` is called twice (symbol counts,
    /// then coding).
    pub(crate) fn from_sorted_unique<'a, I>(keys: impl Fn() -> I) -> Result<Self, Error>
    where
        I: ExactSizeIterator<Item = &'a [u8]>,
    {
        let mut freq = [[0u64; 256]; 3];
        let mut prev: &[u8] = &[];
        for (i, k) in keys().enumerate() {
            if i % BUCKET != 0 {
                let lcp = common_prefix_len(prev, k);
                freq[0][lcp.min(ESCAPE)] += 1;
                freq[1][(k.len() - lcp).min(ESCAPE)] += 1;
                for &b in &k[lcp..] {
                    freq[2][b as usize] += 1;
                }
            }
            prev = k;
        }
        // Every code gets at least one symbol so that it is well formed.
        for f in &mut freq {
            if f.iter().all(|&x| x == 0) {
                f[0] = 1;
            }
        }
        let code = |f: &[u64; 256]| Code::new(Code::lengths_for(f)).ok_or_else(|| Error::corrupt("Huffman code"));
        let (lcp_code, len_code, byte_code) = (code(&freq[0])?, code(&freq[1])?, code(&freq[2])?.with_runs());
        let mut w = BitWriter::default();
        let (mut heads, mut head_ends, mut starts) = (Vec::new(), Vec::new(), Vec::new());
        let mut prev: &[u8] = &[];
        let mut len = 0;
        for (i, k) in keys().enumerate() {
            if i % BUCKET == 0 {
                starts.push(w.bits as u64);
                heads.extend_from_slice(k);
                head_ends.push(u32::try_from(heads.len()).map_err(|_| Error::too_large("bucket heads exceed 4 GiB"))?);
            } else {
                let lcp = common_prefix_len(prev, k);
                lcp_code.put_len(&mut w, lcp);
                len_code.put_len(&mut w, k.len() - lcp);
                for &b in &k[lcp..] {
                    byte_code.put(&mut w, b as usize);
                }
            }
            prev = k;
            len += 1;
        }
        starts.push(w.bits as u64);
        heads.shrink_to_fit();
        w.words.shrink_to_fit();
        Ok(CompressedFrontCoded {
            len,
            heads,
            head_ends,
            words: w.words,
            starts,
            codes: Box::new([lcp_code, len_code, byte_code]),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u64(self.len as u64);
        for code in self.codes.iter() {
            w.bytes(&code.lengths);
        }
        w.bytes(&self.heads);
        w.u32s(&self.head_ends);
        w.u64s(&self.starts);
        w.u64s(&self.words);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let len = r.u64()? as usize;
        let mut code = || -> Result<Code, Error> {
            Code::new(r.bytes()?.to_vec()).ok_or_else(|| Error::corrupt("invalid Huffman code lengths"))
        };
        let (lcp, suffix_len, byte) = (code()?, code()?, code()?.with_runs());
        let heads = r.bytes()?.to_vec();
        let head_ends = r.u32s()?;
        let starts = r.u64s()?;
        let words = r.u64s()?;
        let buckets = len.div_ceil(BUCKET);
        if head_ends.len() != buckets || starts.len() != buckets + 1 {
            return Err(Error::corrupt("compressed bucket count does not match the key count"));
        }
        if head_ends.windows(2).any(|w| w[0] > w[1]) || head_ends.last().is_some_and(|&e| e as usize != heads.len()) {
            return Err(Error::corrupt("compressed bucket heads out of range"));
        }
        if starts.first().is_some_and(|&s| s != 0) || starts.last().is_some_and(|&e| e > words.len() as u64 * 64) {
            return Err(Error::corrupt("compressed bit stream out of range"));
        }
        let s = CompressedFrontCoded { len, heads, head_ends, words, starts, codes: Box::new([lcp, suffix_len, byte]) };
        // Decode everything once: every later query then reads only validated bits.
        let mut prev: Option<Vec<u8>> = None;
        for b in 0..buckets {
            if s.starts[b] > s.starts[b + 1] {
                return Err(Error::corrupt("compressed buckets are not contiguous"));
            }
            let mut c = s.cursor(b).ok_or_else(|| Error::corrupt("compressed bucket out of range"))?;
            for _ in 0..s.bucket_len(b) {
                let k = c.advance().ok_or_else(|| Error::corrupt("compressed key runs past its bucket"))?;
                if prev.as_deref().is_some_and(|p| p >= k) {
                    return Err(Error::corrupt("compressed keys are not strictly ascending"));
                }
                // One buffer for every key: loading a store checks millions of them.
                let p = prev.get_or_insert_with(Vec::new);
                p.clear();
                p.extend_from_slice(k);
            }
            if c.reader.left != 0 {
                return Err(Error::corrupt("trailing bits in a compressed bucket"));
            }
        }
        Ok(s)
    }
}

impl CompressedFrontCoded {
    /// Key → id without rebuilding keys: binary search over the heads, then one bucket's scan
    /// that tracks `m`, how many leading bytes the last key decoded (always below `key`)
    /// shares with `key`. A key sharing fewer than `m` bytes with its predecessor is above
    /// `key` (stop); one sharing more is still below it (its suffix is decoded and dropped);
    /// only one sharing exactly `m` bytes has its suffix compared, byte by byte as decoded.
    /// This needs every stored shared-prefix length to be the longest one, which loading
    /// checks (see [`Cursor`]).
    fn find(&self, key: &[u8]) -> Option<u32> {
        let b = self.bucket_for(key);
        let head = self.head(b)?;
        let mut m = common_prefix_len(head, key);
        if m == head.len() && m == key.len() {
            return Some((b * BUCKET) as u32);
        }
        if m < head.len() && key.get(m).is_none_or(|&k| head[m] > k) {
            return None; // `key` is below every key of the store
        }
        let byte_code = &self.codes[2];
        let mut r = self.bucket_bits(b)?;
        for i in 1..self.bucket_len(b) {
            let (lcp, n) = self.key_header(&mut r)?;
            if lcp < m {
                return None;
            }
            let mut skip = n;
            if lcp == m {
                // Compare the suffix with `key[m..]` until they differ.
                let mut j = 0;
                while j < n {
                    let c = byte_code.get(&mut r)? as u8;
                    match key.get(m + j).map(|k| c.cmp(k)) {
                        Some(std::cmp::Ordering::Equal) => j += 1,
                        Some(std::cmp::Ordering::Less) => break,
                        _ => return None, // above `key`, or `key` is a proper prefix of it
                    }
                }
                if j == n && m + n == key.len() {
                    return Some((b * BUCKET + i) as u32);
                }
                // Still below `key`: it now shares `m + j` bytes (the rest of its suffix, if
                // it broke off early, is skipped below; the differing byte was decoded).
                skip = n - j - usize::from(j < n);
                m += j;
            }
            byte_code.skip_symbols(&mut r, skip)?;
        }
        None
    }

    /// A reader of bucket `b`'s bits; `None` out of range.
    fn bucket_bits(&self, b: usize) -> Option<BitReader<'_>> {
        let (pos, end) = (*self.starts.get(b)? as usize, *self.starts.get(b + 1)? as usize);
        if pos > end || end > self.words.len() * 64 {
            return None;
        }
        Some(BitReader::new(&self.words, pos, end))
    }

    /// The next key's shared-prefix and suffix lengths; `None` at corrupt data, including a
    /// suffix longer than the bits left (every byte takes at least one).
    #[inline(always)]
    fn key_header(&self, r: &mut BitReader<'_>) -> Option<(usize, usize)> {
        let lcp = self.codes[0].get_len(r)?;
        let n = self.codes[1].get_len(r)?;
        (n <= r.left).then_some((lcp, n))
    }
}

impl Buckets for CompressedFrontCoded {
    const SIZE: usize = BUCKET;
    type Cursor<'a> = Cursor<'a>;

    fn key_count(&self) -> usize {
        self.len
    }

    fn bucket_count(&self) -> usize {
        self.head_ends.len()
    }

    fn head(&self, b: usize) -> Option<&[u8]> {
        let start = if b == 0 { 0 } else { *self.head_ends.get(b - 1)? as usize };
        self.heads.get(start..*self.head_ends.get(b)? as usize)
    }

    fn cursor(&self, b: usize) -> Option<Cursor<'_>> {
        let reader = self.bucket_bits(b)?;
        Some(Cursor { store: self, reader, key: self.head(b)?.to_vec(), first: true })
    }
}

impl TokenSet for CompressedFrontCoded {
    fn kind(&self) -> StoreKind {
        StoreKind::Compressed
    }

    fn len(&self) -> usize {
        self.len
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.find(key)
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.bucket_token_of(id)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.bucket_visit_range(lo, hi, f)
    }

    fn heap_bytes(&self) -> usize {
        self.heads.capacity()
            + self.head_ends.capacity() * 4
            + self.words.capacity() * 8
            + self.starts.capacity() * 8
            + self.codes.iter().map(|c| c.heap_bytes() + std::mem::size_of::<Code>()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code giving each of two symbols one bit.
    fn code(symbols: [u8; 2]) -> Code {
        let mut lengths = vec![0u8; 256];
        symbols.iter().for_each(|&s| lengths[usize::from(s)] = 1);
        Code::new(lengths).expect("a prefix code")
    }

    /// Saves and loads a store of the bucket `"ab"`, then `suffix` after `shared` bytes of it.
    fn load_bucket(shared: usize, suffix: &[u8]) -> Result<CompressedFrontCoded, Error> {
        let (lcp, len, byte) = (code([0, 1]), code([1, 2]), code([b'a', b'c']).with_runs());
        let mut w = BitWriter::default();
        lcp.put_len(&mut w, shared);
        len.put_len(&mut w, suffix.len());
        suffix.iter().for_each(|&b| byte.put(&mut w, usize::from(b)));
        let store = CompressedFrontCoded {
            len: 2,
            heads: b"ab".to_vec(),
            head_ends: vec![2],
            starts: vec![0, w.bits as u64],
            words: w.words,
            codes: Box::new([lcp, len, byte]),
        };
        let mut out = Writer::default();
        store.write(&mut out);
        CompressedFrontCoded::read(&mut Reader::new(&out.buf))
    }

    /// `"ac"` after `"ab"` stored as sharing 0 bytes (it shares 1) decodes to the right keys in
    /// order, but the lookup's scan would stop at it: loading rejects it.
    #[test]
    fn an_understated_shared_prefix_is_rejected() {
        assert_eq!(load_bucket(1, b"c").expect("the encoder's bucket loads").id_of(b"ac"), Some(1));
        assert!(load_bucket(0, b"ac").is_err(), "an understated shared prefix loads");
    }
}
