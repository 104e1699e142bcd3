//! Key collection before building: one byte arena plus spans, sorted and deduplicated by the
//! chosen backend, and the streaming checks of `from_sorted`.

use crate::{Backend, Error, ErrorKind};

/// Keys gathered into one arena (so millions of keys cost one allocation, not millions).
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyBuf {
    pub(crate) arena: Vec<u8>,
    /// `(start, len)` of each key in `arena`.
    pub(crate) spans: Vec<(usize, u32)>,
}

impl KeyBuf {
    pub(crate) fn push(&mut self, key: &[u8]) -> Result<(), Error> {
        let len = u32::try_from(key.len()).map_err(|_| Error::too_large("a key is longer than 4 GiB"))?;
        self.spans.push((self.arena.len(), len));
        self.arena.extend_from_slice(key);
        Ok(())
    }

    pub(crate) fn from_iter<I, T>(iter: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut buf = KeyBuf::default();
        for k in iter {
            buf.push(k.as_ref())?;
        }
        Ok(buf)
    }

    pub(crate) fn key(&self, i: usize) -> &[u8] {
        let (s, l) = self.spans[i];
        &self.arena[s..s + l as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        self.spans.iter().map(|&(s, l)| &self.arena[s..s + l as usize])
    }

    /// Sorts and removes duplicates on `backend` (already resolved).
    pub(crate) fn sort_dedup(&mut self, backend: Backend) {
        match backend {
            #[cfg(feature = "parallel")]
            Backend::Parallel => crate::parallel::sort_dedup(self),
            _ => crate::scalar::sort_dedup(self),
        }
    }

    /// Checks that the keys are strictly ascending (the `from_sorted` contract).
    pub(crate) fn check_sorted(&self) -> Result<(), Error> {
        for i in 1..self.len() {
            let (a, b) = (self.key(i - 1), self.key(i));
            if b < a {
                return Err(Error::new(ErrorKind::Unsorted { index: i }));
            }
            if a == b {
                return Err(Error::new(ErrorKind::Repeated { index: i }));
            }
        }
        Ok(())
    }
}
