//! Element conversions with NumPy's `astype` results, and `Scalar`, a typed Python-ish value.
//!
//! Numeric casts follow C semantics where they are defined (wrap-around between integers,
//! truncation toward zero from floats); anything to bool is `x != 0` (NaN is true).
//! Out-of-range float -> int casts are undefined in C and NumPy warns about them; Raptors
//! saturates (Rust `as`), and NaN -> int gives 0.

use crate::dtype::{DType, Element, Kind};
use crate::error::{Error, Result};
use half::f16;

/// Conversion of one element type into another, as `np.ndarray.astype(..., casting="unsafe")`.
pub trait CastTo<D>: Copy {
    fn cast(self) -> D;
}

macro_rules! cast_numeric {
    ($($s:ty),*) => { $( cast_numeric!(@one $s => i8, i16, i32, i64, u8, u16, u32, u64, f32, f64); )* };
    (@one $s:ty => $($d:ty),*) => {
        $(
            impl CastTo<$d> for $s {
                #[inline(always)]
                fn cast(self) -> $d { self as $d }
            }
        )*
        impl CastTo<bool> for $s {
            #[inline(always)]
            #[allow(clippy::float_cmp)]
            fn cast(self) -> bool { self != (0 as $s) }
        }
        impl CastTo<f16> for $s {
            #[inline(always)]
            fn cast(self) -> f16 { f16::from_f64(self as f64) }
        }
    };
}
cast_numeric!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

macro_rules! cast_from_special {
    ($($d:ty),*) => {
        $(
            impl CastTo<$d> for bool {
                #[inline(always)]
                fn cast(self) -> $d { self as u8 as $d }
            }
            impl CastTo<$d> for f16 {
                #[inline(always)]
                fn cast(self) -> $d { self.to_f32() as $d }
            }
        )*
    };
}
cast_from_special!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl CastTo<bool> for bool {
    #[inline(always)]
    fn cast(self) -> bool {
        self
    }
}
impl CastTo<f16> for bool {
    #[inline(always)]
    fn cast(self) -> f16 {
        if self {
            f16::ONE
        } else {
            f16::ZERO
        }
    }
}
impl CastTo<bool> for f16 {
    #[inline(always)]
    fn cast(self) -> bool {
        // NaN != 0 is true, as in NumPy.
        self.to_f32() != 0.0
    }
}
impl CastTo<f16> for f16 {
    #[inline(always)]
    fn cast(self) -> f16 {
        self
    }
}

/// Every element type converts to every other: the bound kernels use for "any dtype".
pub trait AnyElement:
    Element
    + CastTo<bool>
    + CastTo<i8>
    + CastTo<i16>
    + CastTo<i32>
    + CastTo<i64>
    + CastTo<u8>
    + CastTo<u16>
    + CastTo<u32>
    + CastTo<u64>
    + CastTo<f16>
    + CastTo<f32>
    + CastTo<f64>
{
}
impl<T> AnyElement for T where
    T: Element
        + CastTo<bool>
        + CastTo<i8>
        + CastTo<i16>
        + CastTo<i32>
        + CastTo<i64>
        + CastTo<u8>
        + CastTo<u16>
        + CastTo<u32>
        + CastTo<u64>
        + CastTo<f16>
        + CastTo<f32>
        + CastTo<f64>
{
}

/// A single value with the widest type of its kind; what a Python scalar becomes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Scalar {
    /// Reads the element at `ptr` of a `dtype` array.
    ///
    /// # Safety
    /// `ptr` must point to a readable, properly aligned-or-not element of `dtype`.
    pub unsafe fn read(ptr: *const u8, dtype: DType) -> Scalar {
        crate::dispatch!(dtype, T => {
            // SAFETY: the caller guarantees a valid element of type T at ptr.
            let v: T = unsafe { std::ptr::read_unaligned(ptr as *const T) };
            Scalar::from_element(v)
        })
    }

    pub fn from_element<T: AnyElement>(v: T) -> Scalar {
        match T::DTYPE.kind() {
            Kind::Bool => Scalar::Bool(CastTo::<bool>::cast(v)),
            Kind::Int => Scalar::Int(CastTo::<i64>::cast(v)),
            Kind::UInt => Scalar::UInt(CastTo::<u64>::cast(v)),
            Kind::Float => Scalar::Float(CastTo::<f64>::cast(v)),
        }
    }

    /// Converts without range checks (C-cast semantics), as `astype`.
    pub fn cast<T: Element>(self) -> T
    where
        bool: CastTo<T>,
        i64: CastTo<T>,
        u64: CastTo<T>,
        f64: CastTo<T>,
    {
        match self {
            Scalar::Bool(b) => b.cast(),
            Scalar::Int(i) => i.cast(),
            Scalar::UInt(u) => u.cast(),
            Scalar::Float(f) => f.cast(),
        }
    }

    /// The dtype NumPy gives this scalar alone (default int/float).
    pub fn default_dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::Int(_) => DType::Int64,
            Scalar::UInt(_) => DType::UInt64,
            Scalar::Float(_) => DType::Float64,
        }
    }

    /// NumPy 2 rejects Python integers that do not fit the target integer dtype.
    pub fn check_fits(self, dtype: DType) -> Result<()> {
        let (min, max) = match crate::dtype::iinfo(dtype) {
            Ok(info) => (info.min, info.max),
            Err(_) => return Ok(()),
        };
        let v: i128 = match self {
            Scalar::Int(i) => i as i128,
            Scalar::UInt(u) => u as i128,
            _ => return Ok(()),
        };
        if v < min || v > max {
            return Err(Error::Overflow(format!(
                "Python integer {v} out of bounds for {dtype}"
            )));
        }
        Ok(())
    }

    /// Writes the value as `dtype` at `ptr`.
    ///
    /// # Safety
    /// `ptr` must be valid for writing one element of `dtype`.
    pub unsafe fn write(self, ptr: *mut u8, dtype: DType) {
        crate::dispatch!(dtype, T => {
            let v: T = self.cast();
            // SAFETY: the caller guarantees ptr is writable for one T.
            unsafe { std::ptr::write_unaligned(ptr as *mut T, v) }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_cast_results() {
        assert_eq!(CastTo::<i8>::cast(300i64), 44i8);
        assert_eq!(CastTo::<i32>::cast(-2.7f64), -2);
        assert!(CastTo::<bool>::cast(f64::NAN));
        assert!(!CastTo::<bool>::cast(-0.0f32));
        assert_eq!(CastTo::<f64>::cast(true), 1.0);
        assert_eq!(CastTo::<f16>::cast(65520.0f64), f16::INFINITY);
        assert_eq!(CastTo::<u8>::cast(f16::from_f32(3.9)), 3u8);
        assert_eq!(CastTo::<u8>::cast(-1i8), 255u8);
    }

    #[test]
    fn scalar_bounds() {
        assert!(Scalar::Int(300).check_fits(DType::UInt8).is_err());
        assert!(Scalar::Int(-1).check_fits(DType::UInt64).is_err());
        assert!(Scalar::UInt(u64::MAX).check_fits(DType::UInt64).is_ok());
        assert!(Scalar::Int(300).check_fits(DType::Float16).is_ok());
    }
}
