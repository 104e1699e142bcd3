//! Opt-in (`mmap` feature): open a store file through a read-only memory map, so an FST
//! store is queried in place without reading the file into memory. The only `unsafe` in
//! this crate.
#![allow(unsafe_code)]

use std::path::Path;

use crate::{Error, TokenStore};

/// A read-only memory map of a whole file.
#[derive(Debug)]
pub struct MappedFile {
    map: memmap2::Mmap,
}

impl MappedFile {
    /// Maps the file at `path` read-only.
    ///
    /// The file must not be modified or truncated by anyone while it is mapped (see the
    /// SAFETY note); store files are written once and then only read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let file = std::fs::File::open(path.as_ref())
            .map_err(|e| Error::new(crate::ErrorKind::Io(format!("{}: {e}", path.as_ref().display()))))?;
        // SAFETY: `Mmap::map` is unsafe because the mapped bytes could change under us if the
        // file is modified or truncated by another process while the map is alive, which
        // would break Rust's aliasing rules for the `&[u8]` we hand out. We map read-only,
        // document that store files must not be changed while in use, and treat the bytes
        // as untrusted everywhere (checksum verified at load, every read bounds-checked), so
        // bytes that differ from what was written yield errors or wrong answers, never
        // out-of-bounds reads in this crate.
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| Error::new(crate::ErrorKind::Io(format!("{}: {e}", path.as_ref().display()))))?;
        Ok(MappedFile { map })
    }
}

impl AsRef<[u8]> for MappedFile {
    fn as_ref(&self) -> &[u8] {
        &self.map
    }
}

/// Opens a store file written by [`TokenStore::write_to`] through a memory map.
pub fn open_mmap(path: impl AsRef<Path>) -> Result<TokenStore<MappedFile>, Error> {
    TokenStore::from_bytes(MappedFile::open(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Builder, StoreKind, TokenSet};

    #[test]
    fn save_then_map_round_trips_every_kind() {
        let keys = crate::corpus::unique_tokens(500, 7);
        let dir = std::env::temp_dir().join(format!("compact-text-mmap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for &kind in StoreKind::ALL {
            let store = Builder::new(kind).build(&keys).unwrap();
            let path = dir.join(format!("{kind}.ctx"));
            store.write_to(std::fs::File::create(&path).unwrap()).unwrap();
            let mapped = open_mmap(&path).unwrap();
            assert_eq!(mapped.to_sorted_vec(), store.to_sorted_vec(), "{kind}");
            assert!(keys.iter().all(|k| mapped.contains(k.as_bytes())));
            // A truncated file is an error, not a crash.
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
            assert!(open_mmap(&path).is_err());
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(open_mmap(dir.join("missing")).is_err());
    }
}
