//! The crate's error type.

use std::fmt;

/// What went wrong, in broad terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is out of range (`loops(0)`, `repeats(0)`, a zero interval).
    InvalidParameter,
    /// There is nothing to summarise (no samples).
    Empty,
    /// The platform cannot provide this measurement (no procfs, no getrusage, allocator not
    /// installed). Never answered with fake zeros.
    Unsupported,
    /// An operating-system call failed (spawning a command, writing `clear_refs`).
    Io,
}

/// The error type of this crate: a kind and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// The broad kind of failure.
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
