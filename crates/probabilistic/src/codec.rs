//! The binary format: a fixed header, kind-specific parameters and payload, a checksum.
//!
//! ```text
//! offset  size  field
//! 0       4     magic b"FDPS"
//! 4       1     format version (1)
//! 5       1     kind (1 HLL, 2 HLL++, 3 LogLog, 4 SuperLogLog, 5 KMV, 6 Bloom,
//!               7 scalable Bloom, 8 split-block Bloom, 9 Count-Min)
//! 6       1     hash id (0 xxh3, 1 murmur3 x64_128, 2 murmur3 x86_32: HLL, LogLog,
//!               SuperLogLog and KMV only)
//! 7       1     reserved, 0
//! 8       8     hash seed (u64 LE)
//! 16      ..    parameters and payload of the kind (all integers little-endian)
//! end-8   8     xxh3_64 (seed 0) of every byte before it
//! ```

use xxhash_rust::xxh3::xxh3_64;

use crate::{Error, HashKind};

pub(crate) const MAGIC: &[u8; 4] = b"FDPS";
pub(crate) const VERSION: u8 = 1;

/// Sketch kinds as stored in byte 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Hll = 1,
    HllPlus = 2,
    LogLog = 3,
    SuperLogLog = 4,
    Kmv = 5,
    Bloom = 6,
    ScalableBloom = 7,
    SplitBlockBloom = 8,
    CountMin = 9,
}

impl Kind {
    pub(crate) fn from_u8(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Hll,
            2 => Kind::HllPlus,
            3 => Kind::LogLog,
            4 => Kind::SuperLogLog,
            5 => Kind::Kmv,
            6 => Kind::Bloom,
            7 => Kind::ScalableBloom,
            8 => Kind::SplitBlockBloom,
            9 => Kind::CountMin,
            _ => return None,
        })
    }
}

/// Builds the bytes of one sketch.
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn new(kind: Kind, hash: HashKind) -> Self {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&[VERSION, kind as u8, hash.id(), 0]);
        buf.extend_from_slice(&hash.seed().to_le_bytes());
        Writer { buf }
    }
    pub(crate) fn u8(&mut self, x: u8) -> &mut Self {
        self.buf.push(x);
        self
    }
    pub(crate) fn u32(&mut self, x: u32) -> &mut Self {
        self.buf.extend_from_slice(&x.to_le_bytes());
        self
    }
    pub(crate) fn u64(&mut self, x: u64) -> &mut Self {
        self.buf.extend_from_slice(&x.to_le_bytes());
        self
    }
    pub(crate) fn f64(&mut self, x: f64) -> &mut Self {
        self.u64(x.to_bits())
    }
    pub(crate) fn u64s(&mut self, xs: &[u64]) -> &mut Self {
        self.buf.reserve(xs.len() * 8);
        for x in xs {
            self.buf.extend_from_slice(&x.to_le_bytes());
        }
        self
    }
    pub(crate) fn u32s(&mut self, xs: &[u32]) -> &mut Self {
        self.buf.reserve(xs.len() * 4);
        for x in xs {
            self.buf.extend_from_slice(&x.to_le_bytes());
        }
        self
    }
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let sum = xxh3_64(&self.buf);
        self.buf.extend_from_slice(&sum.to_le_bytes());
        self.buf
    }
}

/// Reads the bytes of one sketch; every read is bounds-checked.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    pub(crate) hash: HashKind,
}

/// The kind byte of serialized bytes, after checking magic, version and checksum.
pub(crate) fn peek_kind(bytes: &[u8]) -> Result<Kind, Error> {
    let body = checked_body(bytes)?;
    Kind::from_u8(body[5]).ok_or_else(|| Error::corrupt(format!("unknown sketch kind {}", body[5])))
}

fn checked_body(bytes: &[u8]) -> Result<&[u8], Error> {
    if bytes.len() < 24 {
        return Err(Error::corrupt(format!("{} bytes is too short for a sketch (at least 24)", bytes.len())));
    }
    if &bytes[..4] != MAGIC {
        return Err(Error::corrupt("bad magic (not a ferdelance sketch)"));
    }
    if bytes[4] != VERSION {
        return Err(Error::version(bytes[4]));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    let stored = u64::from_le_bytes(sum.try_into().map_err(|_| Error::corrupt("checksum"))?);
    if xxh3_64(body) != stored {
        return Err(Error::corrupt("checksum mismatch (damaged or truncated)"));
    }
    Ok(body)
}

impl<'a> Reader<'a> {
    /// Checks magic, version, checksum and kind; reads the hash id and seed.
    pub(crate) fn new(bytes: &'a [u8], kind: Kind) -> Result<Self, Error> {
        let body = checked_body(bytes)?;
        if body[5] != kind as u8 {
            return Err(Error::corrupt(format!("kind {} where {:?} ({}) was expected", body[5], kind, kind as u8)));
        }
        if body[7] != 0 {
            return Err(Error::corrupt("reserved header byte is not 0"));
        }
        let seed = u64::from_le_bytes(body[8..16].try_into().map_err(|_| Error::corrupt("seed"))?);
        let hash = HashKind::from_parts(body[6], seed)
            .ok_or_else(|| Error::corrupt(format!("unknown hash id {} or seed out of range", body[6])))?;
        if !matches!(kind, Kind::Hll | Kind::LogLog | Kind::SuperLogLog | Kind::Kmv) {
            hash.require_64(&format!("{kind:?}")).map_err(corrupt_param)?;
        }
        Ok(Reader { rest: &body[16..], hash })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::corrupt("truncated payload"));
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| Error::corrupt("u64"))?))
    }
    pub(crate) fn f64(&mut self) -> Result<f64, Error> {
        Ok(f64::from_bits(self.u64()?))
    }
    /// Exactly `n` u64 words; the length is checked against the input before allocating.
    pub(crate) fn u64s(&mut self, n: usize) -> Result<Vec<u64>, Error> {
        let bytes = self.take(n.checked_mul(8).ok_or_else(|| Error::corrupt("length overflow"))?)?;
        Ok(bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect())
    }
    /// Exactly `n` u32 words; the length is checked against the input before allocating.
    pub(crate) fn u32s(&mut self, n: usize) -> Result<Vec<u32>, Error> {
        let bytes = self.take(n.checked_mul(4).ok_or_else(|| Error::corrupt("length overflow"))?)?;
        Ok(bytes.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4]))).collect())
    }
    /// The payload must end exactly here.
    pub(crate) fn end(self) -> Result<(), Error> {
        if self.rest.is_empty() { Ok(()) } else { Err(Error::corrupt(format!("{} trailing bytes", self.rest.len()))) }
    }
}

/// Maps a parameter error found while decoding to `Corrupt`.
pub(crate) fn corrupt_param(e: Error) -> Error {
    Error::corrupt(e.to_string())
}
