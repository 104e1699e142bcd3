//! The store file format: a 32-byte header (magic, version, kind, payload length, xxh3
//! checksum of the payload) and a payload of length-prefixed little-endian sections.
//!
//! ```text
//! 0  8  magic  b"FDCTEXT\0"
//! 8  4  format version (u32 LE), currently 1
//! 12 1  store kind (0 sorted, 1 front-coded, 2 fst, 3 succinct, 4 hash)
//! 13 1  flags (bit 0: a value per key follows the keys)
//! 14 2  reserved, zero
//! 16 8  payload length (u64 LE)
//! 24 8  xxh3-64 of the payload, seeded with `kind | flags << 8` (u64 LE)
//! 32 .. payload
//! ```

use crate::Error;

pub(crate) const MAGIC: &[u8; 8] = b"FDCTEXT\0";
/// The format version this library writes and the newest it reads.
pub(crate) const VERSION: u32 = 1;
pub(crate) const HEADER: usize = 32;

/// The parsed header of a store file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Header {
    pub(crate) kind: u8,
    pub(crate) flags: u8,
    /// Payload position in the file.
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Wraps `payload` in a header.
pub(crate) fn seal(kind: u8, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&[kind, flags, 0, 0]);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(kind, flags, payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// xxh3-64 of the payload, seeded with the kind and flags so they are covered too.
fn checksum(kind: u8, flags: u8, payload: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(payload, u64::from(kind) | (u64::from(flags) << 8))
}

/// Checks magic, version, length and checksum.
pub(crate) fn open(bytes: &[u8]) -> Result<Header, Error> {
    if bytes.len() < HEADER {
        return Err(Error::corrupt(format!("{} bytes is shorter than the {HEADER}-byte header", bytes.len())));
    }
    if &bytes[..8] != MAGIC {
        return Err(Error::corrupt("not a compact-text store (bad magic)"));
    }
    let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let u64_at = |i: usize| u64::from(u32_at(i)) | (u64::from(u32_at(i + 4)) << 32);
    let version = u32_at(8);
    if version > VERSION || version == 0 {
        return Err(Error::new(crate::ErrorKind::UnsupportedVersion(version)));
    }
    let (kind, flags) = (bytes[12], bytes[13]);
    if flags > 1 || bytes[14] != 0 || bytes[15] != 0 {
        return Err(Error::corrupt("unknown flags or non-zero reserved bytes in the header"));
    }
    let len = u64_at(16);
    let available = (bytes.len() - HEADER) as u64;
    if len != available {
        return Err(Error::corrupt(format!("header announces {len} payload bytes, file has {available}")));
    }
    let payload = &bytes[HEADER..];
    if checksum(kind, flags, payload) != u64_at(24) {
        return Err(Error::corrupt("checksum mismatch"));
    }
    Ok(Header { kind, flags, start: HEADER, end: bytes.len() })
}

/// Appends sections to a payload.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        for x in v {
            self.buf.extend_from_slice(&x.to_le_bytes());
        }
    }

    pub(crate) fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        for x in v {
            self.buf.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Reads sections back, every read bounds-checked.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Error> {
        let n = usize::try_from(n).map_err(|_| Error::corrupt("section length overflows"))?;
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| Error::corrupt(format!("section of {n} bytes runs past the end")))?;
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| Error::corrupt("short u64"))?))
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u64()?;
        self.take(n)
    }

    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, Error> {
        let n = self.u64()?;
        let b = self.take(n.checked_mul(4).ok_or_else(|| Error::corrupt("length overflows"))?)?;
        Ok(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>, Error> {
        let n = self.u64()?;
        let b = self.take(n.checked_mul(8).ok_or_else(|| Error::corrupt("length overflows"))?)?;
        Ok(b.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect())
    }

    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(Error::corrupt(format!("{} unexpected trailing bytes", self.data.len() - self.pos)))
        }
    }
}
