//! The crate's error type: an opaque [`Error`] with a [`ErrorKind`].

use std::fmt;

use ferdelance_core::BackendUnavailable;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A backend was requested that this build does not contain.
    BackendUnavailable(BackendUnavailable),
    /// `from_sorted` input was not ascending at `index` (0-based position in the input).
    Unsorted {
        /// Position of the first key that is smaller than its predecessor.
        index: usize,
    },
    /// `from_sorted` input repeated the previous key at `index`.
    Repeated {
        /// Position of the repeated key.
        index: usize,
    },
    /// Stored bytes are truncated, corrupted or not a store at all.
    Corrupt(String),
    /// The stored bytes were written by a newer format version.
    UnsupportedVersion(u32),
    /// A pattern (regex or keyword) is invalid; `index` is its position in the pattern list.
    InvalidPattern {
        /// Position of the pattern in the list given (0 for a single pattern).
        index: usize,
        /// Why it is invalid.
        message: String,
    },
    /// More keys or bytes than the store's 32-bit ids and offsets allow, or an automaton
    /// that would be too large.
    TooLarge(String),
    /// Input/output failed (the output, if any, is incomplete).
    Io(String),
    /// The query is not supported by this store (e.g. a value lookup on a plain set).
    Unsupported(String),
}

/// The error of every fallible operation of this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error { kind }
    }

    pub(crate) fn corrupt(msg: impl Into<String>) -> Self {
        Error::new(ErrorKind::Corrupt(msg.into()))
    }

    pub(crate) fn pattern(index: usize, msg: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidPattern { index, message: msg.into() })
    }

    pub(crate) fn too_large(msg: impl Into<String>) -> Self {
        Error::new(ErrorKind::TooLarge(msg.into()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::BackendUnavailable(e) => write!(f, "{e}"),
            ErrorKind::Unsorted { index } => {
                write!(f, "input is not sorted: key at index {index} is smaller than the previous one")
            }
            ErrorKind::Repeated { index } => {
                write!(f, "input repeats a key: key at index {index} equals the previous one")
            }
            ErrorKind::Corrupt(m) => write!(f, "corrupt store: {m}"),
            ErrorKind::UnsupportedVersion(v) => {
                write!(f, "store format version {v} is newer than this library supports ({})", crate::codec::VERSION)
            }
            ErrorKind::InvalidPattern { index, message } => write!(f, "invalid pattern #{index}: {message}"),
            ErrorKind::TooLarge(m) => write!(f, "too large: {m}"),
            ErrorKind::Io(m) => write!(f, "i/o error: {m}"),
            ErrorKind::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<BackendUnavailable> for Error {
    fn from(e: BackendUnavailable) -> Self {
        Error::new(ErrorKind::BackendUnavailable(e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e.to_string()))
    }
}
