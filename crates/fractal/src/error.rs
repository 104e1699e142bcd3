//! The crate's error type.

use std::fmt;

use crate::Backend;

/// Why a computation or a picture could not be made.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// The kind of an [`Error`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The grid has no pixels (a width or height of 0).
    EmptyGrid,
    /// A region bound or `c` is NaN or infinite, or a region is so wide its span overflows.
    NonFinite,
    /// The region is inverted or empty (`x_min >= x_max` or `y_min >= y_max`), or too narrow for
    /// the book grid to advance.
    InvalidRegion,
    /// The grid has more than [`MAX_PIXELS`](crate::MAX_PIXELS) pixels, or memory for it could
    /// not be reserved.
    TooLarge,
    /// A caller's buffer does not have one slot per pixel.
    BufferLength {
        /// The number of pixels.
        expected: usize,
        /// The buffer's length.
        got: usize,
    },
    /// The requested backend is not compiled in (see its cargo feature).
    BackendUnavailable(Backend),
    /// The combination is not offered (the `Simd` backend with [`Escape::Hypot`](crate::Escape::Hypot)).
    Unsupported,
    /// Writing a picture failed (the file is removed, never left half-written).
    Io(std::io::ErrorKind),
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
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
        Error::new(ErrorKind::BackendUnavailable(e.requested), e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e.kind()), e.to_string())
    }
}
