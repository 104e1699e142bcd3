//! `serde` support (feature `serde`): every sketch serializes as its binary form (a byte
//! string), so serde formats carry the same versioned, checksummed bytes as `to_bytes`.

use serde::de::{self, SeqAccess, Visitor};

use crate::{
    AnySketch, BloomFilter, CountMinSketch, HyperLogLog, HyperLogLogPlus, Kmv, LogLog, ScalableBloomFilter, Sketch,
    SplitBlockBloom, SuperLogLog,
};

struct Bytes;

impl<'de> Visitor<'de> for Bytes {
    type Value = Vec<u8>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the bytes of a probabilistic sketch")
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
        while let Some(b) = seq.next_element::<u8>()? {
            out.push(b);
        }
        Ok(out)
    }
}

macro_rules! via_bytes {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.to_bytes())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let bytes = d.deserialize_byte_buf(Bytes)?;
                <$t>::from_bytes(&bytes).map_err(de::Error::custom)
            }
        }
    )*};
}

via_bytes!(
    HyperLogLog,
    HyperLogLogPlus,
    LogLog,
    SuperLogLog,
    Kmv,
    BloomFilter,
    ScalableBloomFilter,
    SplitBlockBloom,
    CountMinSketch,
    AnySketch
);
