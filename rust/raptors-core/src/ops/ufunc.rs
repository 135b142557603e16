//! NumPy ufuncs: loop (dtype) resolution as NumPy 2 does it, broadcasting, `out=` with
//! same_kind casting and overlap handling, and dispatch to the generic kernels.

use crate::array::NdArray;
use crate::dtype::{result_type, Casting, DType, Kind};
use crate::error::{Error, Result};
use crate::kernels::loops;
use crate::kernels::math::{self, MathOp};
use crate::kernels::scalar::{Arith, IntOps};
use crate::layout::{self, shape_str};
use crate::ops::copy::may_overlap;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    TrueDivide,
    FloorDivide,
    Remainder,
    Power,
    Maximum,
    Minimum,
    FMax,
    FMin,
    Arctan2,
    Hypot,
    Copysign,
    Logaddexp,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    LogicalAnd,
    LogicalOr,
    LogicalXor,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    LeftShift,
    RightShift,
}

impl BinaryOp {
    pub fn name(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "add",
            Subtract => "subtract",
            Multiply => "multiply",
            TrueDivide => "divide",
            FloorDivide => "floor_divide",
            Remainder => "remainder",
            Power => "power",
            Maximum => "maximum",
            Minimum => "minimum",
            FMax => "fmax",
            FMin => "fmin",
            Arctan2 => "arctan2",
            Hypot => "hypot",
            Copysign => "copysign",
            Logaddexp => "logaddexp",
            Equal => "equal",
            NotEqual => "not_equal",
            Less => "less",
            LessEqual => "less_equal",
            Greater => "greater",
            GreaterEqual => "greater_equal",
            LogicalAnd => "logical_and",
            LogicalOr => "logical_or",
            LogicalXor => "logical_xor",
            BitwiseAnd => "bitwise_and",
            BitwiseOr => "bitwise_or",
            BitwiseXor => "bitwise_xor",
            LeftShift => "left_shift",
            RightShift => "right_shift",
        }
    }

    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(
            self,
            Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual
        )
    }
}

/// The smallest float that holds every value of `dt` (NumPy's loop choice for float-only
/// functions: int8/uint8/bool -> float16, 16-bit -> float32, wider -> float64).
pub fn float_for(dt: DType) -> DType {
    match dt.kind() {
        Kind::Float => dt,
        _ => match dt.itemsize() {
            1 => DType::Float16,
            2 => DType::Float32,
            _ => DType::Float64,
        },
    }
}

fn not_supported(name: &str) -> Error {
    Error::Type(format!(
        "ufunc '{name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''"
    ))
}

/// How a binary op runs: the dtypes inputs are converted to, and the result dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Loop {
    a: DType,
    b: DType,
    out: DType,
}

fn resolve_binary(op: BinaryOp, da: DType, db: DType) -> Result<Loop> {
    use BinaryOp::*;
    let common = result_type(&[da, db], &[])?;
    let same = |dt: DType, out: DType| Ok(Loop { a: dt, b: dt, out });
    match op {
        Add | Multiply | Maximum | Minimum | FMax | FMin => same(common, common),
        Subtract if common == DType::Bool => Err(Error::Type(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.".into(),
        )),
        Subtract => same(common, common),
        TrueDivide => {
            let dt = if common.is_float() { common } else { DType::Float64 };
            same(dt, dt)
        }
        FloorDivide | Remainder | Power => {
            let dt = if common == DType::Bool { DType::Int8 } else { common };
            same(dt, dt)
        }
        Arctan2 | Hypot | Copysign | Logaddexp => {
            // The first float loop both inputs cast to safely: int8 with uint8 is float16.
            let dt = result_type(&[float_for(da), float_for(db)], &[])?;
            same(dt, dt)
        }
        _ if op.is_comparison() => {
            // Signed vs uint64 promotes to float64 in NumPy's table, but NumPy 2 compares the
            // integers exactly: keep both as 64-bit integers.
            let (sa, sb) = (da.kind(), db.kind());
            if common == DType::Float64 && matches!((sa, sb), (Kind::Int, Kind::UInt) | (Kind::UInt, Kind::Int)) {
                let a = if sa == Kind::Int { DType::Int64 } else { DType::UInt64 };
                let b = if sb == Kind::Int { DType::Int64 } else { DType::UInt64 };
                return Ok(Loop { a, b, out: DType::Bool });
            }
            same(common, DType::Bool)
        }
        LogicalAnd | LogicalOr | LogicalXor => same(DType::Bool, DType::Bool),
        BitwiseAnd | BitwiseOr | BitwiseXor => {
            if common.is_float() {
                return Err(not_supported(op.name()));
            }
            same(common, common)
        }
        LeftShift | RightShift => {
            if common.is_float() {
                return Err(not_supported(op.name()));
            }
            let dt = if common == DType::Bool { DType::Int8 } else { common };
            same(dt, dt)
        }
        _ => unreachable!("every op is resolved above"),
    }
}

/// The dtypes the two inputs of `op` are converted to for its loop (what a weak Python scalar
/// operand must become).
pub fn loop_dtypes(op: BinaryOp, da: DType, db: DType) -> Result<(DType, DType)> {
    resolve_binary(op, da, db).map(|lp| (lp.a, lp.b))
}

/// Float16 math runs in float32 and rounds once at the end, as NumPy does.
fn compute_dtype(dt: DType) -> DType {
    if dt == DType::Float16 {
        DType::Float32
    } else {
        dt
    }
}

/// `a` as dtype `dt` broadcast to `shape`; `a` itself when it already is (the common case,
/// which then costs nothing).
fn prepare<'a>(a: &'a NdArray, dt: DType, shape: &[usize]) -> Result<Cow<'a, NdArray>> {
    Ok(match (a.dtype() == dt, a.shape() == shape) {
        (true, true) => Cow::Borrowed(a),
        (true, false) => Cow::Owned(a.broadcast_to(shape)?),
        _ => Cow::Owned(a.astype(dt)?.broadcast_to(shape)?),
    })
}

/// Checks `out` against the broadcast shape and the result dtype (same_kind casting).
fn check_out(name: &str, out: &NdArray, shape: &[usize], result: DType) -> Result<()> {
    if out.shape() != shape {
        return Err(Error::Value(format!(
            "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
            shape_str(out.shape()),
            shape_str(shape)
        )));
    }
    if !result.can_cast(out.dtype(), Casting::SameKind) {
        return Err(Error::Type(format!(
            "Cannot cast ufunc '{name}' output from dtype('{result}') to dtype('{}') with casting rule 'same_kind'",
            out.dtype()
        )));
    }
    Ok(())
}

/// True when input `x` may be read while `out` is written in the same loop: either no shared
/// memory, or exactly the same elements in the same order (in-place elementwise).
fn safe_alias(x: &NdArray, out: &NdArray) -> bool {
    !may_overlap(x, out)
        || (x.data_ptr() == out.data_ptr()
            && x.strides() == out.strides()
            && x.shape() == out.shape())
}

/// Runs `fill(target)` on `out` directly when that is safe and the dtype matches, otherwise
/// into a fresh array that is then cast into `out`. Returns the array holding the result.
fn write_result(
    name: &str,
    shape: &[usize],
    compute: DType,
    result: DType,
    inputs: &[&NdArray],
    out: Option<&NdArray>,
    fill: impl FnOnce(&NdArray) -> Result<()>,
) -> Result<NdArray> {
    if let Some(o) = out {
        check_out(name, o, shape, result)?;
        // Direct only when no rounding step follows (float16 results round from float32).
        if o.dtype() == compute
            && compute == result
            && inputs.iter().all(|x| safe_alias(x, o))
            && !o.strides().contains(&0)
        {
            let _guard = o.write_guard()?;
            fill(o)?;
            return Ok(o.clone());
        }
        // Take the write borrow first, so a job reading `out` fails before any work is done.
        drop(o.write_guard()?);
    }
    let tmp = NdArray::alloc(compute, shape, false)?;
    fill(&tmp)?;
    let tmp = if compute != result {
        tmp.astype(result)?
    } else {
        tmp
    };
    match out {
        Some(o) => {
            o.assign(&tmp)?;
            Ok(o.clone())
        }
        None => Ok(tmp),
    }
}

/// `np.<op>(a, b, out=out)`.
pub fn binary(op: BinaryOp, a: &NdArray, b: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let shape = layout::broadcast_shapes(&[a.shape(), b.shape()]).map_err(|_| {
        Error::Value(format!(
            "operands could not be broadcast together with shapes {} {} ",
            layout::shape_str_compact(a.shape()),
            layout::shape_str_compact(b.shape())
        ))
    })?;
    // The output takes part in broadcasting: inputs may be smaller than `out`.
    let shape = match out {
        Some(o) if layout::broadcast_shapes(&[&shape, o.shape()]).is_ok_and(|s| s == o.shape()) => {
            o.shape().to_vec()
        }
        _ => shape,
    };
    let lp = resolve_binary(op, a.dtype(), b.dtype())?;
    // NumPy's loop raises on a negative exponent it computes with: never for an empty result,
    // always otherwise (a non-empty broadcast uses every element of `b`).
    let nonempty = shape.iter().all(|&d| d > 0);
    if op == BinaryOp::Power && nonempty && lp.a.is_integer() && lp.b.is_signed_int() {
        let exps = b.astype(DType::Int64)?;
        if exps
            .as_slice::<i64>()
            .expect("fresh contiguous")
            .iter()
            .any(|&e| e < 0)
        {
            return Err(Error::Value(
                "Integers to negative integer powers are not allowed.".into(),
            ));
        }
    }
    let (ca, cb) = (compute_dtype(lp.a), compute_dtype(lp.b));
    let compute_out = compute_dtype(lp.out);
    let (a2, b2) = (prepare(a, ca, &shape)?, prepare(b, cb, &shape)?);
    write_result(
        op.name(),
        &shape,
        compute_out,
        lp.out,
        &[&a2, &b2],
        out,
        |o| run_binary(op, &a2, &b2, o),
    )
}

/// Elementwise `f` over two same-dtype inputs into `o`.
///
/// # Safety (upheld by callers in this module)
/// `o` is fresh or write-borrowed, has distinct elements and is safe to alias with the inputs.
fn apply2<A, B, O>(
    a: &NdArray,
    b: &NdArray,
    o: &NdArray,
    f: impl Fn(A, B) -> O + Sync,
) -> Result<()>
where
    A: Copy + Send + Sync,
    B: Copy + Send + Sync,
    O: Copy + Send + Sync,
{
    debug_assert_eq!(a.shape(), o.shape());
    // SAFETY: geometry comes from validated arrays of these element types; see above for `o`.
    unsafe {
        loops::binary::<A, B, O, _>(
            loops::Cost::Cheap,
            o.shape(),
            (a.data_ptr(), a.strides()),
            (b.data_ptr(), b.strides()),
            (o.data_ptr() as *mut u8, o.strides()),
            f,
        )
    };
    Ok(())
}

macro_rules! for_numeric {
    ($dt:expr, $T:ident => $body:expr, bool => $bool:expr) => {
        match $dt {
            DType::Bool => $bool,
            DType::Int8 => {
                type $T = i8;
                $body
            }
            DType::Int16 => {
                type $T = i16;
                $body
            }
            DType::Int32 => {
                type $T = i32;
                $body
            }
            DType::Int64 => {
                type $T = i64;
                $body
            }
            DType::UInt8 => {
                type $T = u8;
                $body
            }
            DType::UInt16 => {
                type $T = u16;
                $body
            }
            DType::UInt32 => {
                type $T = u32;
                $body
            }
            DType::UInt64 => {
                type $T = u64;
                $body
            }
            DType::Float32 => {
                type $T = f32;
                $body
            }
            DType::Float64 => {
                type $T = f64;
                $body
            }
            DType::Float16 => unreachable!("float16 computes in float32"),
        }
    };
}

macro_rules! for_int {
    ($dt:expr, $name:expr, $T:ident => $body:expr) => {
        match $dt {
            DType::Int8 => {
                type $T = i8;
                $body
            }
            DType::Int16 => {
                type $T = i16;
                $body
            }
            DType::Int32 => {
                type $T = i32;
                $body
            }
            DType::Int64 => {
                type $T = i64;
                $body
            }
            DType::UInt8 => {
                type $T = u8;
                $body
            }
            DType::UInt16 => {
                type $T = u16;
                $body
            }
            DType::UInt32 => {
                type $T = u32;
                $body
            }
            DType::UInt64 => {
                type $T = u64;
                $body
            }
            _ => Err(not_supported($name)),
        }
    };
}

macro_rules! for_float {
    ($dt:expr, $name:expr, $T:ident => $body:expr) => {
        match $dt {
            DType::Float32 => {
                type $T = f32;
                $body
            }
            DType::Float64 => {
                type $T = f64;
                $body
            }
            _ => Err(not_supported($name)),
        }
    };
}

fn run_binary(op: BinaryOp, a: &NdArray, b: &NdArray, o: &NdArray) -> Result<()> {
    use BinaryOp::*;
    let dt = a.dtype();
    let name = op.name();
    match op {
        Add | Multiply | Maximum | Minimum | FMax | FMin if dt == DType::Bool => {
            let and = matches!(op, Multiply | Minimum | FMin);
            if and {
                apply2(a, b, o, |x: bool, y: bool| x & y)
            } else {
                apply2(a, b, o, |x: bool, y: bool| x | y)
            }
        }
        Add | Subtract | Multiply | FloorDivide | Remainder | Power | Maximum | Minimum | FMax
        | FMin => {
            // Each arm passes a function item (not a pointer), so the kernel inlines it.
            for_numeric!(dt, T => match op {
                Add => apply2(a, b, o, <T as Arith>::add),
                Subtract => apply2(a, b, o, <T as Arith>::sub),
                Multiply => apply2(a, b, o, <T as Arith>::mul),
                FloorDivide => apply2(a, b, o, <T as Arith>::floor_div),
                Remainder => apply2(a, b, o, <T as Arith>::rem),
                Power => apply2(a, b, o, <T as Arith>::pow),
                Maximum => apply2(a, b, o, <T as Arith>::max_nan),
                Minimum => apply2(a, b, o, <T as Arith>::min_nan),
                FMax => apply2(a, b, o, <T as Arith>::fmax),
                _ => apply2(a, b, o, <T as Arith>::fmin),
            }, bool => Err(not_supported(name)))
        }
        TrueDivide => for_float!(dt, name, T => apply2(a, b, o, |x: T, y: T| x / y)),
        Arctan2 => for_float!(dt, name, T => apply2(a, b, o, |x: T, y: T| x.atan2(y))),
        Hypot => for_float!(dt, name, T => apply2(a, b, o, |x: T, y: T| x.hypot(y))),
        Copysign => for_float!(dt, name, T => apply2(a, b, o, |x: T, y: T| x.copysign(y))),
        Logaddexp => for_float!(dt, name, T => apply2(a, b, o, logaddexp::<T>)),
        Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual => compare(op, a, b, o),
        LogicalAnd => apply2(a, b, o, |x: bool, y: bool| x & y),
        LogicalOr => apply2(a, b, o, |x: bool, y: bool| x | y),
        LogicalXor => apply2(a, b, o, |x: bool, y: bool| x ^ y),
        BitwiseAnd | BitwiseOr | BitwiseXor if dt == DType::Bool => match op {
            BitwiseAnd => apply2(a, b, o, |x: bool, y: bool| x & y),
            BitwiseOr => apply2(a, b, o, |x: bool, y: bool| x | y),
            _ => apply2(a, b, o, |x: bool, y: bool| x ^ y),
        },
        BitwiseAnd | BitwiseOr | BitwiseXor | LeftShift | RightShift => {
            for_int!(dt, name, T => match op {
                BitwiseAnd => apply2(a, b, o, <T as IntOps>::and),
                BitwiseOr => apply2(a, b, o, <T as IntOps>::or),
                BitwiseXor => apply2(a, b, o, <T as IntOps>::xor),
                LeftShift => apply2(a, b, o, <T as IntOps>::shl),
                _ => apply2(a, b, o, <T as IntOps>::shr),
            })
        }
    }
}

/// NumPy's `npy_logaddexp`.
#[inline(always)]
fn logaddexp<T: num_traits::Float + num_traits::FloatConst>(x: T, y: T) -> T {
    if x == y {
        // Handles infinities of the same sign without producing NaN.
        return x + T::LN_2();
    }
    let d = x - y;
    if d > T::zero() {
        x + (-d).exp().ln_1p()
    } else if d <= T::zero() {
        y + d.exp().ln_1p()
    } else {
        d
    }
}

fn compare(op: BinaryOp, a: &NdArray, b: &NdArray, o: &NdArray) -> Result<()> {
    use BinaryOp::*;
    macro_rules! cmp {
        ($A:ty, $B:ty, $conv:expr) => {{
            let conv = $conv;
            match op {
                Equal => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x == y
                }),
                NotEqual => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x != y
                }),
                Less => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x < y
                }),
                LessEqual => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x <= y
                }),
                Greater => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x > y
                }),
                _ => apply2(a, b, o, |x: $A, y: $B| {
                    let (x, y) = conv(x, y);
                    x >= y
                }),
            }
        }};
    }
    match (a.dtype(), b.dtype()) {
        (DType::Int64, DType::UInt64) => cmp!(i64, u64, |x: i64, y: u64| (x as i128, y as i128)),
        (DType::UInt64, DType::Int64) => cmp!(u64, i64, |x: u64, y: i64| (x as i128, y as i128)),
        (dt, _) => crate::dispatch!(dt, T => cmp!(T, T, |x: T, y: T| (x, y))),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Negative,
    Positive,
    Absolute,
    Sign,
    Sqrt,
    Square,
    Reciprocal,
    Exp,
    Exp2,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Arcsinh,
    Arccosh,
    Arctanh,
    Floor,
    Ceil,
    Trunc,
    Rint,
    IsNan,
    IsInf,
    IsFinite,
    Signbit,
    LogicalNot,
    Invert,
}

impl UnaryOp {
    pub fn name(self) -> &'static str {
        use UnaryOp::*;
        match self {
            Negative => "negative",
            Positive => "positive",
            Absolute => "absolute",
            Sign => "sign",
            Sqrt => "sqrt",
            Square => "square",
            Reciprocal => "reciprocal",
            Exp => "exp",
            Exp2 => "exp2",
            Expm1 => "expm1",
            Log => "log",
            Log2 => "log2",
            Log10 => "log10",
            Log1p => "log1p",
            Sin => "sin",
            Cos => "cos",
            Tan => "tan",
            Arcsin => "arcsin",
            Arccos => "arccos",
            Arctan => "arctan",
            Sinh => "sinh",
            Cosh => "cosh",
            Tanh => "tanh",
            Arcsinh => "arcsinh",
            Arccosh => "arccosh",
            Arctanh => "arctanh",
            Floor => "floor",
            Ceil => "ceil",
            Trunc => "trunc",
            Rint => "rint",
            IsNan => "isnan",
            IsInf => "isinf",
            IsFinite => "isfinite",
            Signbit => "signbit",
            LogicalNot => "logical_not",
            Invert => "invert",
        }
    }

    fn is_float_math(self) -> bool {
        use UnaryOp::*;
        matches!(
            self,
            Sqrt | Exp
                | Exp2
                | Expm1
                | Log
                | Log2
                | Log10
                | Log1p
                | Sin
                | Cos
                | Tan
                | Arcsin
                | Arccos
                | Arctan
                | Sinh
                | Cosh
                | Tanh
                | Arcsinh
                | Arccosh
                | Arctanh
                | Rint
        )
    }
}

/// (input loop dtype, result dtype) of a unary op.
fn resolve_unary(op: UnaryOp, dt: DType) -> Result<(DType, DType)> {
    use UnaryOp::*;
    Ok(match op {
        Negative if dt == DType::Bool => {
            return Err(Error::Type(
                "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.".into(),
            ))
        }
        Sign | Positive if dt == DType::Bool => return Err(not_supported(op.name())),
        Negative | Positive | Absolute | Sign | Floor | Ceil | Trunc => (dt, dt),
        Square | Reciprocal => {
            let d = if dt == DType::Bool { DType::Int8 } else { dt };
            (d, d)
        }
        _ if op.is_float_math() => (float_for(dt), float_for(dt)),
        IsNan | IsInf | IsFinite | Signbit => (dt, DType::Bool),
        LogicalNot => (DType::Bool, DType::Bool),
        Invert if dt.is_float() => return Err(not_supported("invert")),
        Invert => (dt, dt),
        _ => unreachable!("every op is resolved above"),
    })
}

/// Elementwise `f` over one input into `o` (see `apply2`).
fn apply1<A, O>(a: &NdArray, o: &NdArray, f: impl Fn(A) -> O + Sync) -> Result<()>
where
    A: Copy + Send + Sync,
    O: Copy + Send + Sync,
{
    apply1_cost(loops::Cost::Cheap, a, o, f)
}

/// As `apply1` for a costly `f` (libm calls), split across the pool from smaller sizes.
fn apply1_heavy<A, O>(a: &NdArray, o: &NdArray, f: impl Fn(A) -> O + Sync) -> Result<()>
where
    A: Copy + Send + Sync,
    O: Copy + Send + Sync,
{
    apply1_cost(loops::Cost::Heavy, a, o, f)
}

fn apply1_cost<A, O>(
    cost: loops::Cost,
    a: &NdArray,
    o: &NdArray,
    f: impl Fn(A) -> O + Sync,
) -> Result<()>
where
    A: Copy + Send + Sync,
    O: Copy + Send + Sync,
{
    // SAFETY: as apply2.
    unsafe {
        loops::unary::<A, O, _>(
            cost,
            o.shape(),
            (a.data_ptr(), a.strides()),
            (o.data_ptr() as *mut u8, o.strides()),
            f,
        )
    };
    Ok(())
}

/// `np.<op>(a, out=out)`.
pub fn unary(op: UnaryOp, a: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let (loop_dt, result) = resolve_unary(op, a.dtype())?;
    let compute = compute_dtype(loop_dt);
    let compute_out = if result == DType::Bool {
        DType::Bool
    } else {
        compute_dtype(result)
    };
    let shape = match out {
        Some(o)
            if layout::broadcast_shapes(&[a.shape(), o.shape()]).is_ok_and(|s| s == o.shape()) =>
        {
            o.shape().to_vec()
        }
        _ => a.shape().to_vec(),
    };
    let a2 = prepare(a, compute, &shape)?;
    write_result(op.name(), &shape, compute_out, result, &[&a2], out, |o| {
        run_unary(op, &a2, o)
    })
}

/// The ops `kernels::math` vectorises.
fn math_op(op: UnaryOp) -> Option<MathOp> {
    Some(match op {
        UnaryOp::Exp => MathOp::Exp,
        UnaryOp::Expm1 => MathOp::Expm1,
        UnaryOp::Log => MathOp::Log,
        UnaryOp::Log1p => MathOp::Log1p,
        UnaryOp::Sin => MathOp::Sin,
        UnaryOp::Cos => MathOp::Cos,
        UnaryOp::Tanh => MathOp::Tanh,
        _ => return None,
    })
}

/// Elementwise slice kernel `block` over `a` into `o` (same element type).
fn apply_slices<T>(a: &NdArray, o: &NdArray, block: impl Fn(&[T], &mut [T]) + Sync) -> Result<()>
where
    T: Copy + Default + Send + Sync,
{
    // SAFETY: as apply2.
    unsafe {
        loops::unary_slices::<T, _>(
            o.shape(),
            (a.data_ptr(), a.strides()),
            (o.data_ptr() as *mut u8, o.strides()),
            block,
        )
    };
    Ok(())
}

fn run_unary(op: UnaryOp, a: &NdArray, o: &NdArray) -> Result<()> {
    use UnaryOp::*;
    let dt = a.dtype();
    let name = op.name();
    if let Some(m) = math_op(op) {
        match dt {
            DType::Float32 => return apply_slices(a, o, move |s, d| math::apply_f32(m, s, d)),
            DType::Float64 => return apply_slices(a, o, move |s, d| math::apply_f64(m, s, d)),
            _ => {}
        }
    }
    match op {
        Positive | Floor | Ceil | Trunc if !dt.is_float() => {
            crate::dispatch!(dt, T => apply1(a, o, |x: T| x))
        }
        Absolute if dt == DType::Bool => apply1(a, o, |x: bool| x),
        Negative | Positive | Absolute | Sign | Square | Reciprocal => for_numeric!(dt, T => {
            match op {
                Negative => apply1(a, o, <T as Arith>::neg),
                Positive => apply1(a, o, |x: T| x),
                Absolute => apply1(a, o, <T as Arith>::abs),
                Sign => apply1(a, o, <T as Arith>::sign),
                Square => apply1(a, o, |x: T| Arith::mul(x, x)),
                _ => apply1(a, o, <T as Arith>::recip),
            }
        }, bool => Err(not_supported(name))),
        IsNan | IsInf | IsFinite | Signbit if !dt.is_float() => crate::dispatch!(dt, T => {
            let zero = <T as crate::dtype::Element>::zero();
            match op {
                IsNan | IsInf => apply1(a, o, |_: T| false),
                IsFinite => apply1(a, o, |_: T| true),
                _ => apply1(a, o, move |x: T| x.partial_cmp(&zero) == Some(std::cmp::Ordering::Less)),
            }
        }),
        LogicalNot => apply1(a, o, |x: bool| !x),
        Invert if dt == DType::Bool => apply1(a, o, |x: bool| !x),
        Invert => for_int!(dt, name, T => apply1(a, o, <T as IntOps>::not)),
        _ => for_float!(dt, name, T => match op {
            Sqrt => apply1(a, o, <T as num_traits::Float>::sqrt),
            Exp => apply1(a, o, <T as num_traits::Float>::exp),
            Exp2 => apply1_heavy(a, o, <T as num_traits::Float>::exp2),
            Expm1 => apply1(a, o, <T as num_traits::Float>::exp_m1),
            Log => apply1(a, o, <T as num_traits::Float>::ln),
            Log2 => apply1_heavy(a, o, <T as num_traits::Float>::log2),
            Log10 => apply1_heavy(a, o, <T as num_traits::Float>::log10),
            Log1p => apply1(a, o, <T as num_traits::Float>::ln_1p),
            Sin => apply1(a, o, <T as num_traits::Float>::sin),
            Cos => apply1(a, o, <T as num_traits::Float>::cos),
            Tan => apply1_heavy(a, o, <T as num_traits::Float>::tan),
            Arcsin => apply1_heavy(a, o, <T as num_traits::Float>::asin),
            Arccos => apply1_heavy(a, o, <T as num_traits::Float>::acos),
            Arctan => apply1_heavy(a, o, <T as num_traits::Float>::atan),
            Sinh => apply1_heavy(a, o, <T as num_traits::Float>::sinh),
            Cosh => apply1_heavy(a, o, <T as num_traits::Float>::cosh),
            Tanh => apply1(a, o, <T as num_traits::Float>::tanh),
            Arcsinh => apply1_heavy(a, o, <T as FloatExtra>::asinh_),
            Arccosh => apply1_heavy(a, o, <T as FloatExtra>::acosh_),
            Arctanh => apply1_heavy(a, o, <T as FloatExtra>::atanh_),
            Floor => apply1(a, o, <T as num_traits::Float>::floor),
            Ceil => apply1(a, o, <T as num_traits::Float>::ceil),
            Trunc => apply1(a, o, <T as num_traits::Float>::trunc),
            Rint => apply1(a, o, <T as FloatExtra>::rint),
            IsNan => apply1(a, o, |x: T| x.is_nan()),
            IsInf => apply1(a, o, |x: T| x.is_infinite()),
            IsFinite => apply1(a, o, |x: T| x.is_finite()),
            Signbit => apply1(a, o, |x: T| x.is_sign_negative()),
            _ => unreachable!("handled above"),
        }),
    }
}

/// Float functions std lacks or gets wrong at the edges of the range.
trait FloatExtra: num_traits::Float + num_traits::FloatConst {
    /// Round half to even (C's `rint` in the default rounding mode).
    fn rint(self) -> Self;

    /// fdlibm's asinh: no overflow of x*x for large |x|, no cancellation near 0.
    fn asinh_(self) -> Self {
        let (one, two) = (Self::one(), Self::one() + Self::one());
        let a = self.abs();
        let r = if a > Self::from(2f64.powi(28)).expect("2^28") {
            a.ln() + Self::LN_2()
        } else if a > two {
            (two * a + one / ((a * a + one).sqrt() + a)).ln()
        } else {
            let t = a * a;
            (a + t / (one + (one + t).sqrt())).ln_1p()
        };
        r.copysign(self)
    }

    /// fdlibm's acosh.
    fn acosh_(self) -> Self {
        let (one, two) = (Self::one(), Self::one() + Self::one());
        if self < one {
            return Self::nan();
        }
        if self > Self::from(2f64.powi(28)).expect("2^28") {
            self.ln() + Self::LN_2()
        } else if self > two {
            (two * self - one / (self + (self * self - one).sqrt())).ln()
        } else {
            let t = self - one;
            (t + (two * t + t * t).sqrt()).ln_1p()
        }
    }

    /// fdlibm's atanh.
    fn atanh_(self) -> Self {
        let (one, two, half) = (
            Self::one(),
            Self::one() + Self::one(),
            Self::from(0.5).expect("0.5"),
        );
        let a = self.abs();
        let r = if a < half {
            let t = a + a;
            half * (t + t * a / (one - a)).ln_1p()
        } else {
            half * ((a + a) / (one - a)).ln_1p()
        };
        let _ = two;
        r.copysign(self)
    }
}

impl FloatExtra for f32 {
    fn rint(self) -> Self {
        self.round_ties_even()
    }
}

impl FloatExtra for f64 {
    fn rint(self) -> Self {
        self.round_ties_even()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use half::f16;

    fn arr<T: crate::dtype::Element>(v: Vec<T>, shape: &[usize]) -> NdArray {
        NdArray::from_vec(v, shape).unwrap()
    }

    #[test]
    fn resolution_matches_numpy() {
        let r = |op, a, b| resolve_binary(op, a, b).unwrap().out;
        assert_eq!(r(BinaryOp::Add, DType::Int8, DType::UInt8), DType::Int16);
        assert_eq!(
            r(BinaryOp::TrueDivide, DType::Int8, DType::Int8),
            DType::Float64
        );
        assert_eq!(
            r(BinaryOp::Arctan2, DType::Int8, DType::Int8),
            DType::Float16
        );
        assert_eq!(
            r(BinaryOp::FloorDivide, DType::Bool, DType::Bool),
            DType::Int8
        );
        assert_eq!(r(BinaryOp::Less, DType::Int64, DType::UInt64), DType::Bool);
        assert!(resolve_binary(BinaryOp::Subtract, DType::Bool, DType::Bool).is_err());
        assert!(resolve_binary(BinaryOp::BitwiseAnd, DType::Float32, DType::Int8).is_err());
        assert_eq!(
            resolve_unary(UnaryOp::Sqrt, DType::Int16).unwrap().1,
            DType::Float32
        );
        assert_eq!(
            resolve_unary(UnaryOp::Floor, DType::Int16).unwrap().1,
            DType::Int16
        );
    }

    #[test]
    fn broadcasting_add_and_compare() {
        let a = arr((0..6i32).collect(), &[2, 3]);
        let b = arr(vec![10i32, 20, 30], &[3]);
        let c = binary(BinaryOp::Add, &a, &b, None).unwrap();
        assert_eq!(c.to_vec::<i32>().unwrap(), vec![10, 21, 32, 13, 24, 35]);
        let lt = binary(
            BinaryOp::Less,
            &arr(vec![-1i64], &[1]),
            &arr(vec![u64::MAX], &[1]),
            None,
        )
        .unwrap();
        assert_eq!(lt.to_vec::<bool>().unwrap(), vec![true]);
        let e = binary(BinaryOp::Add, &a, &arr(vec![1i32, 2], &[2]), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "operands could not be broadcast together with shapes (2,3) (2,) "
        );
    }

    #[test]
    fn out_in_place_and_overlap() {
        let a = arr((0..5i64).collect(), &[5]);
        binary(BinaryOp::Add, &a, &arr(vec![1i64], &[]), Some(&a)).unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap(), vec![1, 2, 3, 4, 5]);
        let tail = a
            .index(&[crate::IndexItem::Slice(crate::SliceSpec {
                start: Some(1),
                stop: None,
                step: None,
            })])
            .unwrap();
        let head = a
            .index(&[crate::IndexItem::Slice(crate::SliceSpec {
                start: None,
                stop: Some(4),
                step: None,
            })])
            .unwrap();
        binary(BinaryOp::Add, &tail, &head, Some(&tail)).unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap(), vec![1, 3, 5, 7, 9]);
        let f = arr(vec![1.5f64], &[1]);
        assert!(matches!(
            binary(BinaryOp::Add, &a, &f, Some(&a)),
            Err(Error::Type(_))
        ));
    }

    #[test]
    fn large_parallel_matches_serial() {
        let n = 200_001;
        let a = arr((0..n).map(|x| x as f64).collect(), &[n]);
        let r = binary(BinaryOp::Multiply, &a, &a, None).unwrap();
        let v = r.to_vec::<f64>().unwrap();
        assert!(v
            .iter()
            .enumerate()
            .all(|(i, &x)| x == (i as f64) * (i as f64)));
        let m = a.reshape(&[3, -1]).unwrap_or_else(|_| a.clone());
        let _ = m;
    }

    #[test]
    fn unary_float16_and_ints() {
        let h = arr(vec![f16::from_f32(4.0), f16::from_f32(9.0)], &[2]);
        let s = unary(UnaryOp::Sqrt, &h, None).unwrap();
        assert_eq!(s.dtype(), DType::Float16);
        assert_eq!(
            s.to_vec::<f16>().unwrap(),
            vec![f16::from_f32(2.0), f16::from_f32(3.0)]
        );
        let i = arr(vec![-3i8, 0, 5], &[3]);
        assert_eq!(
            unary(UnaryOp::Absolute, &i, None)
                .unwrap()
                .to_vec::<i8>()
                .unwrap(),
            vec![3, 0, 5]
        );
        assert_eq!(
            unary(
                UnaryOp::Rint,
                &arr(vec![0.5f64, 1.5, 2.5, -0.5], &[4]),
                None
            )
            .unwrap()
            .to_vec::<f64>()
            .unwrap(),
            vec![0.0, 2.0, 2.0, -0.0]
        );
    }
}
