//! The element types a field may hold: `f32` and `f64` (sealed).

pub(crate) use sealed::Arith;
use std::fmt::{Debug, Display};

pub(crate) mod sealed {
    use std::ops::{Add, Mul, Sub};

    /// The arithmetic the canonical cell formula needs; implemented by the element types and,
    /// in the `simd` backend, by their vectors (`simd::Lanes`), so one formula serves every
    /// backend.
    #[allow(unreachable_pub)] // `pub` inside the private module that seals `Real`
    pub trait Arith: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {}

    impl<V: Copy + Add<Output = V> + Sub<Output = V> + Mul<Output = V>> Arith for V {}

    /// Seals [`super::Real`]; carries the backend plumbing users never name.
    pub trait Sealed: Sized {
        /// The vector of this element type for the instruction set `S` picked at run time.
        #[cfg(feature = "simd")]
        type V<S: pulp::Simd>: Copy;
        /// The whole vectors at the start of `s`.
        #[cfg(feature = "simd")]
        fn vectors<S: pulp::Simd>(s: &[Self]) -> &[Self::V<S>];
        /// The whole vectors at the start of `s`, mutable.
        #[cfg(feature = "simd")]
        fn vectors_mut<S: pulp::Simd>(s: &mut [Self]) -> &mut [Self::V<S>];
        /// A vector with every lane `x`.
        #[cfg(feature = "simd")]
        fn vsplat<S: pulp::Simd>(simd: S, x: Self) -> Self::V<S>;
        /// Lane-wise `a + b`.
        #[cfg(feature = "simd")]
        fn vadd<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
        /// Lane-wise `a - b`.
        #[cfg(feature = "simd")]
        fn vsub<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
        /// Lane-wise `a * b` (never fused with an addition).
        #[cfg(feature = "simd")]
        fn vmul<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
    }
}

/// A floating-point element type of a field: `f32` or `f64` (sealed).
pub trait Real:
    sealed::Sealed
    + Copy
    + Send
    + Sync
    + Debug
    + Display
    + PartialOrd
    + Default
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + ndarray_npy::ReadableElement
    + ndarray_npy::WritableElement
    + 'static
{
    /// The type's name as numpy spells it (`float32`, `float64`).
    const NAME: &'static str;
    /// Bytes per element.
    const BYTES: usize;
    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(x: f64) -> Self;
    /// Converts to `f64` (exact).
    fn to_f64(self) -> f64;
    /// Whether the value is neither NaN nor infinite.
    fn is_finite(self) -> bool;
}

macro_rules! real {
    ($t:ty, $v:ident, $as:ident, $as_mut:ident, $splat:ident, $add:ident, $sub:ident, $mul:ident, $name:expr) => {
        impl sealed::Sealed for $t {
            #[cfg(feature = "simd")]
            type V<S: pulp::Simd> = S::$v;
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vectors<S: pulp::Simd>(s: &[Self]) -> &[Self::V<S>] {
                S::$as(s).0
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vectors_mut<S: pulp::Simd>(s: &mut [Self]) -> &mut [Self::V<S>] {
                S::$as_mut(s).0
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vsplat<S: pulp::Simd>(simd: S, x: Self) -> Self::V<S> {
                simd.$splat(x)
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vadd<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                simd.$add(a, b)
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vsub<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                simd.$sub(a, b)
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn vmul<S: pulp::Simd>(simd: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                simd.$mul(a, b)
            }
        }

        impl Real for $t {
            const NAME: &'static str = $name;
            const BYTES: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
        }
    };
}

real!(f64, f64s, as_simd_f64s, as_mut_simd_f64s, splat_f64s, add_f64s, sub_f64s, mul_f64s, "float64");
real!(f32, f32s, as_simd_f32s, as_mut_simd_f32s, splat_f32s, add_f32s, sub_f32s, mul_f32s, "float32");
