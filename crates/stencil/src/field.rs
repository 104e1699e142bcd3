//! What a field can be: a plain slice (or `Vec`) with the shape taken from the parameters, or
//! a standard-layout `ndarray` array or view whose shape must match.

use ndarray::{ArrayBase, Data, DataMut, Dimension};

use crate::error::{Error, ErrorKind};

/// A read-only field: row-major cells whose shape can be checked.
pub trait AsField<T> {
    /// `Ok` if this field has `shape` (a slice: if its length is the product of `shape`).
    fn check_shape(&self, shape: &[usize]) -> Result<(), Error>;
    /// The cells in row-major order; `NonContiguous` for a strided or Fortran-order view.
    fn cells(&self) -> Result<&[T], Error>;
}

/// A writable field.
pub trait AsFieldMut<T>: AsField<T> {
    /// The cells in row-major order; `NonContiguous` for a strided or Fortran-order view.
    fn cells_mut(&mut self) -> Result<&mut [T], Error>;
}

fn check_len(len: usize, shape: &[usize]) -> Result<(), Error> {
    if shape.iter().product::<usize>() == len { Ok(()) } else { Err(Error::shape(shape, &[len])) }
}

impl<T> AsField<T> for [T] {
    fn check_shape(&self, shape: &[usize]) -> Result<(), Error> {
        check_len(self.len(), shape)
    }
    fn cells(&self) -> Result<&[T], Error> {
        Ok(self)
    }
}

impl<T> AsFieldMut<T> for [T] {
    fn cells_mut(&mut self) -> Result<&mut [T], Error> {
        Ok(self)
    }
}

impl<T> AsField<T> for Vec<T> {
    fn check_shape(&self, shape: &[usize]) -> Result<(), Error> {
        check_len(self.len(), shape)
    }
    fn cells(&self) -> Result<&[T], Error> {
        Ok(self)
    }
}

impl<T> AsFieldMut<T> for Vec<T> {
    fn cells_mut(&mut self) -> Result<&mut [T], Error> {
        Ok(self)
    }
}

fn non_contiguous() -> Error {
    Error::new(
        ErrorKind::NonContiguous,
        "the array is not contiguous row-major (standard layout): copy it first, e.g. with \
         `.as_standard_layout()`",
    )
}

impl<T, S: Data<Elem = T>, D: Dimension> AsField<T> for ArrayBase<S, D> {
    fn check_shape(&self, shape: &[usize]) -> Result<(), Error> {
        if self.shape() == shape { Ok(()) } else { Err(Error::shape(shape, self.shape())) }
    }
    fn cells(&self) -> Result<&[T], Error> {
        self.as_slice().ok_or_else(non_contiguous)
    }
}

impl<T, S: DataMut<Elem = T>, D: Dimension> AsFieldMut<T> for ArrayBase<S, D> {
    fn cells_mut(&mut self) -> Result<&mut [T], Error> {
        if !self.is_standard_layout() {
            return Err(non_contiguous());
        }
        self.as_slice_mut().ok_or_else(non_contiguous)
    }
}
