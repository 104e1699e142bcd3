//! `FrontCoded`: buckets of 8 sorted keys; the first key of a bucket is stored whole, the
//! others as (shared prefix length, suffix). Key → id by binary search over bucket heads and
//! a scan inside one bucket; id → key by decoding at most 8 keys.

use std::ops::Bound;

use crate::codec::{Reader, Writer};
use crate::query::{Buckets, KeyCursor, common_prefix_len};
use crate::{Error, StoreKind, TokenSet};

/// Keys per bucket.
const BUCKET: usize = 8;

/// Front-coded sorted keys; ids are sorted ranks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontCoded {
    data: Vec<u8>,
    /// Start of each bucket in `data`.
    buckets: Vec<u32>,
    len: usize,
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline(always)]
pub(crate) fn get_varint(data: &[u8], pos: &mut usize) -> Option<usize> {
    // One byte (lengths below 128) is the common case.
    let b = *data.get(*pos)?;
    if b < 0x80 {
        *pos += 1;
        return Some(usize::from(b));
    }
    get_varint_slow(data, pos)
}

#[inline(never)]
fn get_varint_slow(data: &[u8], pos: &mut usize) -> Option<usize> {
    let mut v = 0usize;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= usize::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// Decodes keys of one bucket in turn.
pub(crate) struct BucketCursor<'a> {
    data: &'a [u8],
    pos: usize,
    key: Vec<u8>,
    first: bool,
}

impl<'a> BucketCursor<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        BucketCursor { data, pos, key: Vec::new(), first: true }
    }
}

impl KeyCursor for BucketCursor<'_> {
    /// Advances to the next key of the bucket; `None` on corrupt data.
    fn advance(&mut self) -> Option<&[u8]> {
        let lcp = if self.first { 0 } else { get_varint(self.data, &mut self.pos)? };
        self.first = false;
        let len = get_varint(self.data, &mut self.pos)?;
        if lcp > self.key.len() {
            return None;
        }
        let end = self.pos.checked_add(len).filter(|&e| e <= self.data.len())?;
        self.key.truncate(lcp);
        self.key.extend_from_slice(&self.data[self.pos..end]);
        self.pos = end;
        Some(&self.key)
    }
}

impl FrontCoded {
    pub(crate) fn from_sorted_unique<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Result<Self, Error> {
        let len = keys.len();
        let mut data = Vec::new();
        let mut buckets = Vec::with_capacity(len.div_ceil(BUCKET));
        let mut prev: &[u8] = &[];
        for (i, k) in keys.enumerate() {
            if i % BUCKET == 0 {
                buckets
                    .push(u32::try_from(data.len()).map_err(|_| Error::too_large("front-coded data exceeds 4 GiB"))?);
                put_varint(&mut data, k.len());
                data.extend_from_slice(k);
            } else {
                let lcp = common_prefix_len(prev, k);
                put_varint(&mut data, lcp);
                put_varint(&mut data, k.len() - lcp);
                data.extend_from_slice(&k[lcp..]);
            }
            prev = k;
        }
        data.shrink_to_fit();
        buckets.shrink_to_fit();
        Ok(FrontCoded { data, buckets, len })
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u64(self.len as u64);
        w.u32s(&self.buckets);
        w.bytes(&self.data);
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let len = r.u64()? as usize;
        let buckets = r.u32s()?;
        let data = r.bytes()?.to_vec();
        if buckets.len() != len.div_ceil(BUCKET) {
            return Err(Error::corrupt("front-coded bucket count does not match the key count"));
        }
        let fc = FrontCoded { data, buckets, len };
        // Decode everything once: every later query then reads only validated bytes.
        let mut prev: Option<Vec<u8>> = None;
        let mut end = 0;
        for b in 0..fc.buckets.len() {
            if fc.buckets[b] as usize != end {
                return Err(Error::corrupt("front-coded buckets are not contiguous"));
            }
            let mut c = fc.cursor(b).ok_or_else(|| Error::corrupt("bucket offset out of range"))?;
            for _ in 0..fc.bucket_len(b) {
                let k = c.advance().ok_or_else(|| Error::corrupt("front-coded key runs past the end"))?;
                if prev.as_deref().is_some_and(|p| p >= k) {
                    return Err(Error::corrupt("front-coded keys are not strictly ascending"));
                }
                // One buffer for every key: loading a store checks millions of them.
                let p = prev.get_or_insert_with(Vec::new);
                p.clear();
                p.extend_from_slice(k);
            }
            end = c.pos;
        }
        if end != fc.data.len() {
            return Err(Error::corrupt("trailing bytes after the last front-coded key"));
        }
        Ok(fc)
    }
}

impl Buckets for FrontCoded {
    const SIZE: usize = BUCKET;
    type Cursor<'a> = BucketCursor<'a>;

    fn key_count(&self) -> usize {
        self.len
    }

    fn bucket_count(&self) -> usize {
        self.buckets.len()
    }

    fn head(&self, b: usize) -> Option<&[u8]> {
        let mut pos = *self.buckets.get(b)? as usize;
        let len = get_varint(&self.data, &mut pos)?;
        self.data.get(pos..pos.checked_add(len)?)
    }

    fn cursor(&self, b: usize) -> Option<BucketCursor<'_>> {
        Some(BucketCursor::new(&self.data, *self.buckets.get(b)? as usize))
    }
}

impl TokenSet for FrontCoded {
    fn kind(&self) -> StoreKind {
        StoreKind::FrontCoded
    }

    fn len(&self) -> usize {
        self.len
    }

    fn id_of(&self, key: &[u8]) -> Option<u32> {
        self.bucket_id_of(key)
    }

    fn token_of(&self, id: u32) -> Option<Vec<u8>> {
        self.bucket_token_of(id)
    }

    fn visit_range(&self, lo: Bound<&[u8]>, hi: Bound<&[u8]>, f: &mut dyn FnMut(&[u8]) -> bool) {
        self.bucket_visit_range(lo, hi, f)
    }

    fn heap_bytes(&self) -> usize {
        self.data.capacity() + self.buckets.capacity() * 4
    }
}
