//! Python entry points of the ufuncs and the array operators: operand conversion with NEP 50
//! weak Python scalars, the GIL released for large work, and read borrows on inputs meanwhile.

use crate::array::{wrap, PyNdArray};
use crate::convert::{as_ndarray, to_ndarray};
use crate::errors::run;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
use raptors_core::dtype::{DType, WeakKind};
use raptors_core::ops::ufunc::{self, BinaryOp, UnaryOp};
use raptors_core::{NdArray, Scalar};
use std::borrow::Cow;

/// Work below this many elements runs with the GIL held (releasing it costs more). Work that
/// may use the pool must not hold the GIL, since pool threads completing jobs take it.
const DETACH_MIN: usize = raptors_core::kernels::loops::PARALLEL_MIN;

/// A Python `bool`, `int` or `float` (not NumPy scalars, which carry a dtype): weak in NEP 50.
fn weak_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Scalar, WeakKind)>> {
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Some((Scalar::Bool(obj.is_truthy()?), WeakKind::Bool)));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        // Ints beyond 64 bits are carried as their float value; only float loops take them.
        let s = match crate::convert::extract_scalar(obj) {
            Ok(Some(s)) => s,
            _ => Scalar::Float(f64::NAN),
        };
        return Ok(Some((s, WeakKind::Int)));
    }
    if obj.is_exact_instance_of::<PyFloat>() {
        return Ok(Some((Scalar::Float(obj.extract()?), WeakKind::Float)));
    }
    Ok(None)
}

/// One operand of a binary ufunc: an array, or a weak Python scalar (NEP 50).
enum Operand<'a, 'py> {
    Array(Cow<'a, NdArray>),
    // The Python object is kept: huge ints convert exactly to float loops later.
    Weak(Bound<'py, PyAny>, Scalar, WeakKind),
}

fn operand<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> PyResult<Operand<'a, 'py>> {
    if let Some((s, k)) = weak_scalar(obj)? {
        return Ok(Operand::Weak(obj.clone(), s, k));
    }
    Ok(Operand::Array(as_ndarray(obj)?))
}

/// A weak scalar as a 0-d array of the loop's input dtype. `None`: an integer outside an
/// integer loop's range in a comparison, whose result is known without computing.
fn weak_into(
    obj: &Bound<'_, PyAny>,
    s: Scalar,
    kind: WeakKind,
    dt: DType,
    comparison: bool,
) -> PyResult<Option<NdArray>> {
    let value = if dt.is_float() {
        match s {
            Scalar::Float(v) if kind == WeakKind::Float => Scalar::Float(v),
            // i64/u64 -> f64 rounds to nearest even, as Python's float(int) does.
            Scalar::Int(v) => Scalar::Float(v as f64),
            Scalar::UInt(v) => Scalar::Float(v as f64),
            Scalar::Bool(v) => Scalar::Float(v as u8 as f64),
            // Ints beyond 64 bits: float(int) like Python, OverflowError beyond float64.
            _ => Scalar::Float(obj.call_method0("__float__")?.extract()?),
        }
    } else if kind == WeakKind::Int {
        let fits = !matches!(s, Scalar::Float(_)) && s.check_fits(dt).is_ok();
        if !fits && comparison {
            return Ok(None);
        }
        if !fits {
            return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
                "Python integer {} out of bounds for {dt}",
                obj.repr()?
            )));
        }
        s
    } else {
        s
    };
    Ok(Some(run(|| {
        raptors_core::ops::create::full(&[], value, Some(dt))
    })?))
}

/// `arr OP big` for an integer `big` beyond `arr`'s dtype: every element compares the same way.
fn out_of_range_comparison(
    op: BinaryOp,
    arr: &NdArray,
    big_is_right: bool,
    big_positive: bool,
) -> PyResult<NdArray> {
    // Order "arr < big" is true exactly when big is above the range.
    let arr_less = big_positive == big_is_right;
    let value = match op {
        BinaryOp::Equal => false,
        BinaryOp::NotEqual => true,
        BinaryOp::Less | BinaryOp::LessEqual => arr_less,
        _ => !arr_less,
    };
    run(|| raptors_core::ops::create::full(arr.shape(), Scalar::Bool(value), Some(DType::Bool)))
}

/// Converts ufunc operands: arrays and array-likes keep their dtype; a Python scalar next to an
/// array becomes the loop's input dtype (NEP 50) and must fit an integer loop.
type Pair<'a> = (Cow<'a, NdArray>, Cow<'a, NdArray>);

fn binary_operands<'a>(
    op: BinaryOp,
    x1: &'a Bound<'_, PyAny>,
    x2: &'a Bound<'_, PyAny>,
) -> PyResult<Result<Pair<'a>, NdArray>> {
    match (operand(x1)?, operand(x2)?) {
        (Operand::Array(a), Operand::Array(b)) => Ok(Ok((a, b))),
        (Operand::Weak(o1, ..), Operand::Weak(o2, ..)) => {
            let (a, b) = (to_ndarray(&o1, None)?, to_ndarray(&o2, None)?);
            Ok(Ok((Cow::Owned(a), Cow::Owned(b))))
        }
        (Operand::Weak(obj, s, k), Operand::Array(b)) => {
            let (dt, _) = run(|| ufunc::loop_dtypes(op, b.dtype().promote_weak(k), b.dtype()))?;
            match weak_into(&obj, s, k, dt, op.is_comparison())? {
                Some(a) => Ok(Ok((Cow::Owned(a), b))),
                None => Ok(Err(out_of_range_comparison(
                    op,
                    &b,
                    false,
                    is_positive(&obj),
                )?)),
            }
        }
        (Operand::Array(a), Operand::Weak(obj, s, k)) => {
            let (_, dt) = run(|| ufunc::loop_dtypes(op, a.dtype(), a.dtype().promote_weak(k)))?;
            match weak_into(&obj, s, k, dt, op.is_comparison())? {
                Some(b) => Ok(Ok((a, Cow::Owned(b)))),
                None => Ok(Err(out_of_range_comparison(
                    op,
                    &a,
                    true,
                    is_positive(&obj),
                )?)),
            }
        }
    }
}

fn is_positive(obj: &Bound<'_, PyAny>) -> bool {
    obj.gt(0i32).unwrap_or(true)
}

/// Operands for functions without a loop table of their own (`where`, `clip`): a weak scalar
/// takes the other operand's promoted dtype.
pub fn operands<'a>(x1: &'a Bound<'_, PyAny>, x2: &'a Bound<'_, PyAny>) -> PyResult<Pair<'a>> {
    match binary_operands(BinaryOp::Maximum, x1, x2)? {
        Ok(pair) => Ok(pair),
        Err(_) => unreachable!("maximum is not a comparison"),
    }
}

fn out_array(out: Option<&Bound<'_, PyNdArray>>) -> Option<NdArray> {
    out.map(|o| o.get().inner.clone())
}

/// Runs `f`, releasing the GIL for large work while the inputs are read-borrowed (so no job
/// or other thread can write them meanwhile).
fn compute<'py>(
    py: Python<'py>,
    inputs: &[&NdArray],
    out: Option<&NdArray>,
    size: usize,
    f: impl FnOnce() -> raptors_core::Result<NdArray> + Send,
) -> PyResult<NdArray> {
    // Refuse a write into an array a job reads before doing any work (the kernel checks
    // again when it writes).
    if let Some(o) = out {
        drop(run(|| o.write_guard())?);
    }
    if size < DETACH_MIN {
        return run(f);
    }
    // Inputs that are also the output are covered by the write borrow the kernel takes.
    let borrows = inputs
        .iter()
        .filter(|x| out.is_none_or(|o| !o.shares_buffer(x)))
        .map(|x| x.read_borrow())
        .collect::<raptors_core::Result<Vec<_>>>();
    let borrows = run(|| borrows)?;
    let result = py.detach(|| run(f));
    drop(borrows);
    result
}

pub fn binary<'py>(
    py: Python<'py>,
    op: BinaryOp,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let (a, b) = match binary_operands(op, x1, x2)? {
        Ok(pair) => pair,
        Err(known) => {
            return match out {
                Some(o) => {
                    run(|| o.get().inner.assign(&known))?;
                    Ok(o.clone())
                }
                None => wrap(py, known),
            }
        }
    };
    let o = out_array(out);
    let size = a.size().max(b.size());
    let result = compute(py, &[&a, &b], o.as_ref(), size, || {
        ufunc::binary(op, &a, &b, o.as_ref())
    })?;
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, result),
    }
}

pub fn unary<'py>(
    py: Python<'py>,
    op: UnaryOp,
    x: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(x)?;
    let o = out_array(out);
    let result = compute(py, &[&a], o.as_ref(), a.size(), || {
        ufunc::unary(op, &a, o.as_ref())
    })?;
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, result),
    }
}

macro_rules! binary_functions {
    ($($name:ident => $op:ident),* $(,)?) => {
        $(
            #[doc = concat!("NumPy's `", stringify!($name), "(x1, x2, /, out=None)`.")]
            #[pyfunction]
            #[pyo3(signature = (x1, x2, /, out=None))]
            pub fn $name<'py>(
                py: Python<'py>,
                x1: &Bound<'py, PyAny>,
                x2: &Bound<'py, PyAny>,
                out: Option<&Bound<'py, PyNdArray>>,
            ) -> PyResult<Bound<'py, PyNdArray>> {
                binary(py, BinaryOp::$op, x1, x2, out)
            }
        )*
        pub fn add_binary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $( m.add_function(wrap_pyfunction!($name, m)?)?; )*
            Ok(())
        }
    };
}

macro_rules! unary_functions {
    ($($name:ident => $op:ident),* $(,)?) => {
        $(
            #[doc = concat!("NumPy's `", stringify!($name), "(x, /, out=None)`.")]
            #[pyfunction]
            #[pyo3(signature = (x, /, out=None))]
            pub fn $name<'py>(
                py: Python<'py>,
                x: &Bound<'py, PyAny>,
                out: Option<&Bound<'py, PyNdArray>>,
            ) -> PyResult<Bound<'py, PyNdArray>> {
                unary(py, UnaryOp::$op, x, out)
            }
        )*
        pub fn add_unary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $( m.add_function(wrap_pyfunction!($name, m)?)?; )*
            Ok(())
        }
    };
}

binary_functions! {
    add => Add, subtract => Subtract, multiply => Multiply, true_divide => TrueDivide,
    floor_divide => FloorDivide, remainder => Remainder, power => Power, maximum => Maximum,
    minimum => Minimum, fmax => FMax, fmin => FMin, arctan2 => Arctan2, hypot => Hypot,
    copysign => Copysign, logaddexp => Logaddexp, equal => Equal, not_equal => NotEqual,
    less => Less, less_equal => LessEqual, greater => Greater, greater_equal => GreaterEqual,
    logical_and => LogicalAnd, logical_or => LogicalOr, logical_xor => LogicalXor,
    bitwise_and => BitwiseAnd, bitwise_or => BitwiseOr, bitwise_xor => BitwiseXor,
    left_shift => LeftShift, right_shift => RightShift,
}

unary_functions! {
    negative => Negative, positive => Positive, absolute => Absolute, sign => Sign, sqrt => Sqrt,
    square => Square, reciprocal => Reciprocal, exp => Exp, exp2 => Exp2, expm1 => Expm1,
    log => Log, log2 => Log2, log10 => Log10, log1p => Log1p, sin => Sin, cos => Cos, tan => Tan,
    arcsin => Arcsin, arccos => Arccos, arctan => Arctan, sinh => Sinh, cosh => Cosh, tanh => Tanh,
    arcsinh => Arcsinh, arccosh => Arccosh, arctanh => Arctanh, floor => Floor, ceil => Ceil,
    trunc => Trunc, rint => Rint, isnan => IsNan, isinf => IsInf, isfinite => IsFinite,
    signbit => Signbit, logical_not => LogicalNot, invert => Invert,
}

/// `np.where(condition, x, y)` (x and y as Python scalars are weak, NEP 50).
#[pyfunction]
#[pyo3(name = "where", signature = (condition, x, y, /))]
pub fn where_<'py>(
    py: Python<'py>,
    condition: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let c = as_ndarray(condition)?;
    let (a, b) = operands(x, y)?;
    let size = c.size().max(a.size()).max(b.size());
    wrap(
        py,
        compute(py, &[&c, &a, &b], None, size, || {
            raptors_core::ops::select::where_(&c, &a, &b)
        })?,
    )
}

/// `np.clip(a, a_min, a_max, out=None)`.
#[pyfunction]
#[pyo3(signature = (a, /, a_min=None, a_max=None, *, out=None))]
pub fn clip<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    a_min: Option<&Bound<'py, PyAny>>,
    a_max: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let x = to_ndarray(a, None)?;
    let bound = |b: Option<&Bound<'py, PyAny>>| -> PyResult<Option<NdArray>> {
        match b {
            Some(b) if !b.is_none() => {
                // A Python int beyond an integer array's range clips like the range's end.
                if let (Ok(info), true) = (
                    raptors_core::dtype::iinfo(x.dtype()),
                    b.is_exact_instance_of::<PyInt>(),
                ) {
                    let v: i128 =
                        b.extract()
                            .unwrap_or(if b.gt(0i32)? { i128::MAX } else { i128::MIN });
                    if v < info.min || v > info.max {
                        let clamped = Scalar::Int(v.clamp(info.min, info.max) as i64);
                        let clamped = if v > info.max && info.max > i64::MAX as i128 {
                            Scalar::UInt(u64::MAX)
                        } else {
                            clamped
                        };
                        return Ok(Some(run(|| {
                            raptors_core::ops::create::full(&[], clamped, Some(x.dtype()))
                        })?));
                    }
                }
                Ok(Some(operands(a, b)?.1.into_owned()))
            }
            _ => Ok(None),
        }
    };
    let (lo, hi) = (bound(a_min)?, bound(a_max)?);
    let o = out_array(out);
    let r = compute(py, &[&x], o.as_ref(), x.size(), || {
        raptors_core::ops::select::clip(&x, lo.as_ref(), hi.as_ref(), o.as_ref())
    })?;
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, r),
    }
}

/// `np.nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None)`.
#[pyfunction]
#[pyo3(signature = (x, copy=true, nan=0.0, posinf=None, neginf=None))]
pub fn nan_to_num<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    copy: bool,
    nan: f64,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = to_ndarray(x, None)?;
    let r = compute(py, &[&a], None, a.size(), || {
        raptors_core::ops::select::nan_to_num(&a, nan, posinf, neginf)
    })?;
    if !copy {
        if let Ok(orig) = x.cast::<PyNdArray>() {
            run(|| orig.get().inner.assign(&r))?;
            return Ok(orig.clone());
        }
    }
    wrap(py, r)
}

/// `np.round(x, decimals=0, out=None)` (also `around`): half to even.
#[pyfunction]
#[pyo3(signature = (x, decimals=0, out=None))]
pub fn round<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    decimals: i32,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = to_ndarray(x, None)?;
    let o = out_array(out);
    let r = compute(py, &[&a], o.as_ref(), a.size(), || {
        raptors_core::ops::select::round(&a, decimals, o.as_ref())
    })?;
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, r),
    }
}

pub fn add_select(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(where_, m)?)?;
    m.add_function(wrap_pyfunction!(clip, m)?)?;
    m.add_function(wrap_pyfunction!(nan_to_num, m)?)?;
    m.add_function(wrap_pyfunction!(round, m)?)?;
    Ok(())
}
