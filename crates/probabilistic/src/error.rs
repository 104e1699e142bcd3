//! The crate's error type.

use std::fmt;

use crate::Backend;

/// Why an operation failed: a bad parameter, incompatible sketches, corrupt bytes or a backend
/// that is not compiled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// The kind of an [`Error`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A constructor parameter is out of range (`name` is the parameter).
    InvalidParameter {
        /// The parameter's name, e.g. `"precision"`.
        name: &'static str,
    },
    /// Two sketches of different kinds, parameters, hash or seed cannot be merged.
    Incompatible,
    /// Serialized bytes are truncated, damaged or inconsistent.
    Corrupt,
    /// Serialized bytes use a format version this build does not read.
    UnsupportedVersion {
        /// The version found in the header.
        found: u8,
    },
    /// The requested backend is not compiled in.
    BackendUnavailable(Backend),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn param(name: &'static str, message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::InvalidParameter { name }, message: format!("invalid {name}: {}", message.into()) }
    }

    pub(crate) fn incompatible(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Incompatible, message: format!("incompatible sketches: {}", message.into()) }
    }

    pub(crate) fn corrupt(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Corrupt, message: format!("corrupt sketch bytes: {}", message.into()) }
    }

    pub(crate) fn version(found: u8) -> Self {
        Error {
            kind: ErrorKind::UnsupportedVersion { found },
            message: format!("unsupported sketch format version {found} (this build reads version 1)"),
        }
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
        Error { kind: ErrorKind::BackendUnavailable(e.requested), message: e.to_string() }
    }
}
