//! Python entry points of the ufuncs and the array operators: operand conversion with NEP 50
//! weak Python scalars, the GIL released for large work, and read borrows on inputs meanwhile.

use crate::array::{wrap, PyNdArray};
use crate::convert::{check_scalar_for, scalar_array, to_ndarray};
use crate::errors::run;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
use raptors_core::dtype::{DType, WeakKind};
use raptors_core::ops::ufunc::{self, BinaryOp, UnaryOp};
use raptors_core::{NdArray, Scalar};

/// Work below this many elements runs with the GIL held (releasing it costs more).
const DETACH_MIN: usize = 1 << 15;

/// A Python `bool`, `int` or `float` (not NumPy scalars, which carry a dtype): weak in NEP 50.
fn weak_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Scalar, WeakKind)>> {
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Some((Scalar::Bool(obj.is_truthy()?), WeakKind::Bool)));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        let s = crate::convert::extract_scalar(obj)?.expect("int is a scalar");
        return Ok(Some((s, WeakKind::Int)));
    }
    if obj.is_exact_instance_of::<PyFloat>() {
        return Ok(Some((Scalar::Float(obj.extract()?), WeakKind::Float)));
    }
    Ok(None)
}

/// Converts ufunc operands: arrays and array-likes keep their dtype; a Python scalar next to an
/// array takes the array's dtype where NEP 50 says so (and must fit it).
pub fn operands(x1: &Bound<'_, PyAny>, x2: &Bound<'_, PyAny>) -> PyResult<(NdArray, NdArray)> {
    match (weak_scalar(x1)?, weak_scalar(x2)?) {
        (None, None) => Ok((to_ndarray(x1, None)?, to_ndarray(x2, None)?)),
        (Some((s, k)), None) => {
            let b = to_ndarray(x2, None)?;
            Ok((weak_array(s, b.dtype().promote_weak(k))?, b))
        }
        (None, Some((s, k))) => {
            let a = to_ndarray(x1, None)?;
            let dt = a.dtype().promote_weak(k);
            Ok((a, weak_array(s, dt)?))
        }
        (Some((s1, _)), Some((s2, _))) => Ok((scalar_array(s1, None)?, scalar_array(s2, None)?)),
    }
}

fn weak_array(s: Scalar, dt: DType) -> PyResult<NdArray> {
    // Python ints must fit the array's integer dtype (NumPy 2 raises OverflowError).
    if !matches!(s, Scalar::Float(_)) {
        check_scalar_for(s, dt)?;
    }
    run(|| raptors_core::ops::create::full(&[], s, Some(dt)))
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
    let (a, b) = operands(x1, x2)?;
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
    let a = to_ndarray(x, None)?;
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
    let c = to_ndarray(condition, None)?;
    let (a, b) = operands(x, y)?;
    wrap(py, run(|| raptors_core::ops::select::where_(&c, &a, &b))?)
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
            Some(b) if !b.is_none() => Ok(Some(operands(a, b)?.1)),
            _ => Ok(None),
        }
    };
    let (lo, hi) = (bound(a_min)?, bound(a_max)?);
    let o = out_array(out);
    let r = run(|| raptors_core::ops::select::clip(&x, lo.as_ref(), hi.as_ref(), o.as_ref()))?;
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
    let r = run(|| raptors_core::ops::select::nan_to_num(&a, nan, posinf, neginf))?;
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
    let r = run(|| raptors_core::ops::select::round(&a, decimals, o.as_ref()))?;
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
