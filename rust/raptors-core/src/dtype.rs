//! Data types: the `DType` enum, the `Element` trait that ties a Rust type to it, NumPy 2
//! promotion (`result_type`, NEP 50 weak scalars) and casting rules (`can_cast`).

use crate::error::{Error, Result};
use half::f16;
use std::fmt;

/// The twelve element types Raptors stores. Order is the promotion lattice's tie-breaker only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    Float32,
    Float64,
}

/// NumPy's coarse kinds, ordered as `same_kind` casting orders them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Bool,
    UInt,
    Int,
    Float,
}

/// Casting levels of `can_cast` / `astype(casting=...)`, as in NumPy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casting {
    No,
    Equiv,
    Safe,
    SameKind,
    Unsafe,
}

impl Casting {
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => {
                return Err(Error::Value(format!(
                "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '{s}')"
            )))
            }
        })
    }
}

/// The kind of a Python scalar taking part in promotion without a dtype of its own (NEP 50).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WeakKind {
    Bool,
    Int,
    Float,
}

pub const ALL_DTYPES: [DType; 12] = [
    DType::Bool,
    DType::Int8,
    DType::Int16,
    DType::Int32,
    DType::Int64,
    DType::UInt8,
    DType::UInt16,
    DType::UInt32,
    DType::UInt64,
    DType::Float16,
    DType::Float32,
    DType::Float64,
];

impl DType {
    pub const DEFAULT_INT: DType = DType::Int64;
    pub const DEFAULT_FLOAT: DType = DType::Float64;

    pub const fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::Int8 | DType::UInt8 => 1,
            DType::Int16 | DType::UInt16 | DType::Float16 => 2,
            DType::Int32 | DType::UInt32 | DType::Float32 => 4,
            DType::Int64 | DType::UInt64 | DType::Float64 => 8,
        }
    }

    pub const fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::Int8 | DType::Int16 | DType::Int32 | DType::Int64 => Kind::Int,
            DType::UInt8 | DType::UInt16 | DType::UInt32 | DType::UInt64 => Kind::UInt,
            DType::Float16 | DType::Float32 | DType::Float64 => Kind::Float,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int8 => "int8",
            DType::Int16 => "int16",
            DType::Int32 => "int32",
            DType::Int64 => "int64",
            DType::UInt8 => "uint8",
            DType::UInt16 => "uint16",
            DType::UInt32 => "uint32",
            DType::UInt64 => "uint64",
            DType::Float16 => "float16",
            DType::Float32 => "float32",
            DType::Float64 => "float64",
        }
    }

    /// NumPy's kind character (`dtype.kind`).
    pub const fn kind_char(self) -> char {
        match self.kind() {
            Kind::Bool => 'b',
            Kind::Int => 'i',
            Kind::UInt => 'u',
            Kind::Float => 'f',
        }
    }

    /// The array-interface type string, e.g. `<f8`, `|b1`.
    pub fn typestr(self) -> String {
        let order = if self.itemsize() == 1 { '|' } else { '<' };
        format!("{order}{}{}", self.kind_char(), self.itemsize())
    }

    /// PEP 3118 struct format character, as NumPy exports it.
    pub const fn buffer_format(self) -> &'static str {
        match self {
            DType::Bool => "?",
            DType::Int8 => "b",
            DType::Int16 => "h",
            DType::Int32 => "i",
            DType::Int64 => "l",
            DType::UInt8 => "B",
            DType::UInt16 => "H",
            DType::UInt32 => "I",
            DType::UInt64 => "L",
            DType::Float16 => "e",
            DType::Float32 => "f",
            DType::Float64 => "d",
        }
    }

    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    pub fn is_integer(self) -> bool {
        matches!(self.kind(), Kind::Int | Kind::UInt)
    }

    pub fn is_signed_int(self) -> bool {
        self.kind() == Kind::Int
    }

    /// Parses NumPy-style dtype spellings: names (`float32`, `half`, `double`), codes (`f4`,
    /// `<f4`, `=i8`, `|b1`, `?`, `d`, `l`) and the Python type names `bool`, `int`, `float`.
    pub fn parse(s: &str) -> Result<DType> {
        let bad = || Error::Type(format!("data type '{s}' not understood"));
        let named = match s {
            "bool" | "bool_" | "?" | "b1" => Some(DType::Bool),
            "int8" | "byte" | "b" | "i1" => Some(DType::Int8),
            "int16" | "short" | "h" | "i2" => Some(DType::Int16),
            "int32" | "intc" | "i" | "i4" => Some(DType::Int32),
            "int64" | "int" | "long" | "longlong" | "intp" | "l" | "q" | "i8" | "p" => {
                Some(DType::Int64)
            }
            "uint8" | "ubyte" | "B" | "u1" => Some(DType::UInt8),
            "uint16" | "ushort" | "H" | "u2" => Some(DType::UInt16),
            "uint32" | "uintc" | "I" | "u4" => Some(DType::UInt32),
            "uint64" | "uint" | "ulong" | "ulonglong" | "uintp" | "L" | "Q" | "u8" | "P" => {
                Some(DType::UInt64)
            }
            "float16" | "half" | "e" | "f2" => Some(DType::Float16),
            "float32" | "single" | "f" | "f4" => Some(DType::Float32),
            "float64" | "double" | "float" | "d" | "f8" => Some(DType::Float64),
            _ => None,
        };
        if let Some(dt) = named {
            return Ok(dt);
        }
        // Byte-order prefixed codes: `<f4`, `=i8`, `|b1`, `>f8` (non-native unless 1 byte).
        let mut chars = s.chars();
        let order = chars.next().ok_or_else(bad)?;
        let rest = chars.as_str();
        if !matches!(order, '<' | '>' | '=' | '|') || rest.is_empty() {
            return Err(bad());
        }
        let dt = DType::parse(rest).map_err(|_| bad())?;
        if order == '>' && dt.itemsize() > 1 && cfg!(target_endian = "little") {
            return Err(Error::Type(format!(
                "non-native byte order '{s}' is not supported; convert with .byteswap() / \
                 .astype('{}') first",
                dt.typestr()
            )));
        }
        Ok(dt)
    }

    fn from_kind_size(kind: Kind, size: usize) -> Option<DType> {
        Some(match (kind, size) {
            (Kind::Bool, 1) => DType::Bool,
            (Kind::Int, 1) => DType::Int8,
            (Kind::Int, 2) => DType::Int16,
            (Kind::Int, 4) => DType::Int32,
            (Kind::Int, 8) => DType::Int64,
            (Kind::UInt, 1) => DType::UInt8,
            (Kind::UInt, 2) => DType::UInt16,
            (Kind::UInt, 4) => DType::UInt32,
            (Kind::UInt, 8) => DType::UInt64,
            (Kind::Float, 2) => DType::Float16,
            (Kind::Float, 4) => DType::Float32,
            (Kind::Float, 8) => DType::Float64,
            _ => return None,
        })
    }

    /// The smallest float type that holds every value of an integer type of this size.
    fn float_for_int_size(size: usize) -> DType {
        match size {
            1 => DType::Float16,
            2 => DType::Float32,
            _ => DType::Float64,
        }
    }

    /// NumPy 2 promotion of two dtypes (`np.result_type(a, b)` / `np.promote_types`).
    pub fn promote(self, other: DType) -> DType {
        use Kind::*;
        let (a, b) = (self, other);
        if a == b {
            return a;
        }
        let (ka, kb) = (a.kind(), b.kind());
        let (sa, sb) = (a.itemsize(), b.itemsize());
        match (ka, kb) {
            (Bool, _) => b,
            (_, Bool) => a,
            (Float, Float) => {
                if sa >= sb {
                    a
                } else {
                    b
                }
            }
            (Float, _) => Self::float_for_int_size(sb).max_float(a),
            (_, Float) => Self::float_for_int_size(sa).max_float(b),
            (Int, Int) | (UInt, UInt) => {
                if sa >= sb {
                    a
                } else {
                    b
                }
            }
            (Int, UInt) | (UInt, Int) => {
                let (si, su) = if ka == Int { (sa, sb) } else { (sb, sa) };
                if si > su {
                    DType::from_kind_size(Int, si).unwrap()
                } else if su < 8 {
                    DType::from_kind_size(Int, su * 2).unwrap()
                } else {
                    DType::Float64
                }
            }
        }
    }

    fn max_float(self, other: DType) -> DType {
        if self.itemsize() >= other.itemsize() {
            self
        } else {
            other
        }
    }

    /// Promotion of an array dtype with a Python scalar (NEP 50): the scalar is "weak" and only
    /// changes the result when its kind is higher than the dtype's.
    pub fn promote_weak(self, weak: WeakKind) -> DType {
        match (self.kind(), weak) {
            (_, WeakKind::Bool) => self,
            (Kind::Bool, WeakKind::Int) => DType::DEFAULT_INT,
            (Kind::Float, _) | (Kind::Int | Kind::UInt, WeakKind::Int) => self,
            (_, WeakKind::Float) => DType::DEFAULT_FLOAT,
        }
    }

    /// `np.can_cast(from, to, casting)` for dtypes.
    pub fn can_cast(self, to: DType, casting: Casting) -> bool {
        match casting {
            Casting::No | Casting::Equiv => self == to,
            Casting::Safe => self.can_cast_safely(to),
            Casting::SameKind => self.can_cast_safely(to) || self.kind() <= to.kind(),
            Casting::Unsafe => true,
        }
    }

    fn can_cast_safely(self, to: DType) -> bool {
        use Kind::*;
        let (sf, st) = (self.itemsize(), to.itemsize());
        match (self.kind(), to.kind()) {
            (Bool, _) => true,
            (_, Bool) => false,
            (UInt, UInt) | (Int, Int) | (Float, Float) => st >= sf,
            (UInt, Int) => st > sf,
            (Int, UInt) => false,
            (UInt | Int, Float) => Self::float_for_int_size(sf).itemsize() <= st,
            (Float, _) => false,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Promotion over many dtypes and weak Python scalars, as `np.result_type`.
///
/// Like NumPy, floats are promoted first and integers join them afterwards, so
/// `(int8, uint8, float16)` gives float16 (pairwise it would be float32).
pub fn result_type(dtypes: &[DType], weak: &[WeakKind]) -> Result<DType> {
    let floats = dtypes.iter().copied().filter(|d| d.is_float());
    let others = dtypes.iter().copied().filter(|d| !d.is_float());
    let strong = floats.chain(others).reduce(DType::promote);
    match strong {
        Some(mut dt) => {
            for &w in weak {
                dt = dt.promote_weak(w);
            }
            Ok(dt)
        }
        None => match weak.iter().max() {
            Some(WeakKind::Bool) => Ok(DType::Bool),
            Some(WeakKind::Int) => Ok(DType::DEFAULT_INT),
            Some(WeakKind::Float) => Ok(DType::DEFAULT_FLOAT),
            None => Err(Error::Value(
                "at least one array or dtype is required".into(),
            )),
        },
    }
}

/// Machine limits of a float type (`np.finfo`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FInfo {
    pub dtype: DType,
    pub bits: u32,
    pub eps: f64,
    pub max: f64,
    pub min: f64,
    pub smallest_normal: f64,
    pub smallest_subnormal: f64,
    pub resolution: f64,
    pub precision: u32,
    pub nmant: u32,
    pub nexp: u32,
    pub maxexp: i32,
    pub minexp: i32,
}

pub fn finfo(dtype: DType) -> Result<FInfo> {
    Ok(match dtype {
        DType::Float16 => FInfo {
            dtype,
            bits: 16,
            eps: f16::EPSILON.to_f64(),
            max: f16::MAX.to_f64(),
            min: f16::MIN.to_f64(),
            smallest_normal: f16::MIN_POSITIVE.to_f64(),
            smallest_subnormal: f16::MIN_POSITIVE_SUBNORMAL.to_f64(),
            resolution: 1e-3,
            precision: 3,
            nmant: 10,
            nexp: 5,
            maxexp: 16,
            minexp: -14,
        },
        DType::Float32 => FInfo {
            dtype,
            bits: 32,
            eps: f32::EPSILON as f64,
            max: f32::MAX as f64,
            min: f32::MIN as f64,
            smallest_normal: f32::MIN_POSITIVE as f64,
            smallest_subnormal: f32::from_bits(1) as f64,
            resolution: 1e-6,
            precision: 6,
            nmant: 23,
            nexp: 8,
            maxexp: 128,
            minexp: -126,
        },
        DType::Float64 => FInfo {
            dtype,
            bits: 64,
            eps: f64::EPSILON,
            max: f64::MAX,
            min: f64::MIN,
            smallest_normal: f64::MIN_POSITIVE,
            smallest_subnormal: f64::from_bits(1),
            resolution: 1e-15,
            precision: 15,
            nmant: 52,
            nexp: 11,
            maxexp: 1024,
            minexp: -1022,
        },
        _ => return Err(Error::Value(format!("data type {dtype} not inexact"))),
    })
}

/// Limits of an integer type (`np.iinfo`). `min`/`max` as i128 so every type fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IInfo {
    pub dtype: DType,
    pub bits: u32,
    pub min: i128,
    pub max: i128,
}

pub fn iinfo(dtype: DType) -> Result<IInfo> {
    let (min, max): (i128, i128) = match dtype {
        DType::Int8 => (i8::MIN as i128, i8::MAX as i128),
        DType::Int16 => (i16::MIN as i128, i16::MAX as i128),
        DType::Int32 => (i32::MIN as i128, i32::MAX as i128),
        DType::Int64 => (i64::MIN as i128, i64::MAX as i128),
        DType::UInt8 => (0, u8::MAX as i128),
        DType::UInt16 => (0, u16::MAX as i128),
        DType::UInt32 => (0, u32::MAX as i128),
        DType::UInt64 => (0, u64::MAX as i128),
        _ => {
            return Err(Error::Value(format!(
                "Invalid integer data type '{}'.",
                dtype.kind_char()
            )))
        }
    };
    Ok(IInfo {
        dtype,
        bits: dtype.itemsize() as u32 * 8,
        min,
        max,
    })
}

/// A Rust type stored in arrays of one `DType`. Kernels are generic over it.
pub trait Element: Copy + Send + Sync + PartialEq + Default + fmt::Debug + 'static {
    const DTYPE: DType;
    fn zero() -> Self;
    fn one() -> Self;
}

macro_rules! element {
    ($t:ty, $dt:ident, $zero:expr, $one:expr) => {
        impl Element for $t {
            const DTYPE: DType = DType::$dt;
            #[inline(always)]
            fn zero() -> Self {
                $zero
            }
            #[inline(always)]
            fn one() -> Self {
                $one
            }
        }
    };
}
element!(bool, Bool, false, true);
element!(i8, Int8, 0, 1);
element!(i16, Int16, 0, 1);
element!(i32, Int32, 0, 1);
element!(i64, Int64, 0, 1);
element!(u8, UInt8, 0, 1);
element!(u16, UInt16, 0, 1);
element!(u32, UInt32, 0, 1);
element!(u64, UInt64, 0, 1);
element!(f16, Float16, f16::ZERO, f16::ONE);
element!(f32, Float32, 0.0, 1.0);
element!(f64, Float64, 0.0, 1.0);

/// Runs `$body` with `$T` bound to the Rust element type of a runtime `DType`: the one place
/// where a dtype becomes a monomorphised generic call.
#[macro_export]
macro_rules! dispatch {
    ($dtype:expr, $T:ident => $body:expr) => {{
        use $crate::dtype::DType as __D;
        match $dtype {
            __D::Bool => {
                type $T = bool;
                $body
            }
            __D::Int8 => {
                type $T = i8;
                $body
            }
            __D::Int16 => {
                type $T = i16;
                $body
            }
            __D::Int32 => {
                type $T = i32;
                $body
            }
            __D::Int64 => {
                type $T = i64;
                $body
            }
            __D::UInt8 => {
                type $T = u8;
                $body
            }
            __D::UInt16 => {
                type $T = u16;
                $body
            }
            __D::UInt32 => {
                type $T = u32;
                $body
            }
            __D::UInt64 => {
                type $T = u64;
                $body
            }
            __D::Float16 => {
                type $T = ::half::f16;
                $body
            }
            __D::Float32 => {
                type $T = f32;
                $body
            }
            __D::Float64 => {
                type $T = f64;
                $body
            }
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn promotion_matches_numpy_table() {
        assert_eq!(Int8.promote(UInt8), Int16);
        assert_eq!(Int64.promote(UInt64), Float64);
        assert_eq!(UInt32.promote(Int64), Int64);
        assert_eq!(UInt8.promote(Float16), Float16);
        assert_eq!(Int16.promote(Float16), Float32);
        assert_eq!(Int32.promote(Float32), Float64);
        assert_eq!(Int8.promote(Float32), Float32);
        assert_eq!(Bool.promote(Int8), Int8);
        assert_eq!(Float16.promote(Float64), Float64);
    }

    #[test]
    fn weak_scalars() {
        assert_eq!(Int8.promote_weak(WeakKind::Int), Int8);
        assert_eq!(Int8.promote_weak(WeakKind::Float), Float64);
        assert_eq!(Float16.promote_weak(WeakKind::Float), Float16);
        assert_eq!(Bool.promote_weak(WeakKind::Int), Int64);
        assert_eq!(
            result_type(&[], &[WeakKind::Int, WeakKind::Float]).unwrap(),
            Float64
        );
    }

    #[test]
    fn casting_rules() {
        assert!(UInt8.can_cast(Int16, Casting::Safe));
        assert!(!Int8.can_cast(UInt64, Casting::Safe));
        assert!(Int64.can_cast(Float64, Casting::Safe));
        assert!(!Int64.can_cast(Float32, Casting::Safe));
        assert!(Float64.can_cast(Float16, Casting::SameKind));
        assert!(!Float64.can_cast(Int8, Casting::SameKind));
        assert!(UInt64.can_cast(Int8, Casting::SameKind));
        assert!(!Int64.can_cast(UInt8, Casting::SameKind));
    }

    #[test]
    fn parse_spellings() {
        assert_eq!(DType::parse("<f4").unwrap(), Float32);
        assert_eq!(DType::parse("|b1").unwrap(), Bool);
        assert_eq!(DType::parse("float").unwrap(), Float64);
        assert!(DType::parse(">f8").is_err());
        assert_eq!(DType::parse(">u1").unwrap(), UInt8);
        assert!(DType::parse("complex128").is_err());
    }
}
