//! The crate's error type.

use std::fmt;

/// What went wrong (see [`Error::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The range's start lies after its end (`5..3`).
    InvalidRange,
    /// The answer does not fit in a `u64` (or the request is 0 where counting starts at 1).
    OutOfRange,
    /// A parameter is zero or outside its documented bounds (darts, chunk, workers, block,
    /// segment size).
    InvalidParameter,
    /// The request needs more memory than the documented cap, refused before allocating.
    TooLarge,
    /// The requested backend is not compiled in.
    BackendUnavailable,
}

/// The error of every fallible call in this crate: a kind plus a one-line message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<ferdelance_core::BackendUnavailable> for Error {
    fn from(e: ferdelance_core::BackendUnavailable) -> Self {
        Error::new(ErrorKind::BackendUnavailable, e.to_string())
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
