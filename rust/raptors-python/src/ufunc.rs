//! Python entry points of the ufuncs and the array operators: operand conversion with NEP 50
//! weak Python scalars, the GIL released for large work, and read borrows on inputs meanwhile.

use crate::array::{wrap, PyNdArray};
use crate::asyncio::{self, Opts};
use crate::convert::{as_ndarray, to_ndarray};
use crate::errors::run;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
use raptors_core::dtype::{DType, WeakKind};
use raptors_core::ops::ufunc::{self, BinaryOp, UnaryOp};
use raptors_core::{NdArray, Scalar};
use std::borrow::Cow;

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
pub(crate) fn compute<'py, T: Send>(
    py: Python<'py>,
    inputs: &[&NdArray],
    out: Option<&NdArray>,
    size: usize,
    f: impl FnOnce() -> raptors_core::Result<T> + Send,
) -> PyResult<T> {
    if size < asyncio::INLINE_MAX {
        // Refuse a write into an array a job reads before doing any work (the kernel checks
        // again when it writes).
        if let Some(o) = out {
            drop(run(|| o.write_guard())?);
        }
        // An async job may be writing an input (its `out=`): reading it now would race.
        for x in inputs {
            crate::array::check_readable(x)?;
        }
        return run(f);
    }
    // Large work releases the GIL under the same borrows an async job takes.
    let access = run(|| asyncio::Access::new(inputs, out))?;
    asyncio::detached(py, || access.run(f))
}

/// The result of a comparison known without computing (a Python int beyond the array's
/// range), stored into `out` when given.
fn known_result<'py>(
    py: Python<'py>,
    known: NdArray,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    if let Some(o) = out {
        run(|| o.get().inner.assign(&known))?;
    }
    result(py, known, out)
}

/// What a function with `out=` returns: `out` itself when given, else the new array.
fn result<'py>(
    py: Python<'py>,
    r: NdArray,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, r),
    }
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
        Err(known) => return known_result(py, known, out),
    };
    let o = out_array(out);
    let size = a.size().max(b.size());
    let r = compute(py, &[&a, &b], o.as_ref(), size, || {
        ufunc::binary(op, &a, &b, o.as_ref())
    })?;
    result(py, r, out)
}

/// The awaitable twin of `binary`: argument errors surface when awaited.
pub fn binary_async<'py>(
    py: Python<'py>,
    op: BinaryOp,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = Opts::new(timeout).and_then(|o| Ok((o, binary_operands(op, x1, x2)?)));
    let (opts, (a, b)) = match prepared {
        Ok((o, Ok((a, b)))) => (o, (a.into_owned(), b.into_owned())),
        Ok((_, Err(known))) => {
            return asyncio::done(
                py,
                known_result(py, known, out).map(|r| r.into_any().unbind()),
            )
        }
        Err(e) => return asyncio::failed(py, e),
    };
    let (ja, jb, o) = (a.clone(), b.clone(), out_array(out));
    let size = a.size().max(b.size());
    asyncio::submit_array(py, opts, &[&a, &b], out, size, move || {
        ufunc::binary(op, &ja, &jb, o.as_ref())
    })
}

pub fn unary<'py>(
    py: Python<'py>,
    op: UnaryOp,
    x: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = as_ndarray(x)?;
    let o = out_array(out);
    let r = compute(py, &[&a], o.as_ref(), a.size(), || {
        ufunc::unary(op, &a, o.as_ref())
    })?;
    result(py, r, out)
}

/// The awaitable twin of `unary`.
pub fn unary_async<'py>(
    py: Python<'py>,
    op: UnaryOp,
    x: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = Opts::new(timeout).and_then(|o| Ok((o, as_ndarray(x)?.into_owned())));
    let (opts, a) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let (ja, o) = (a.clone(), out_array(out));
    asyncio::submit_array(py, opts, &[&a], out, a.size(), move || {
        ufunc::unary(op, &ja, o.as_ref())
    })
}

macro_rules! binary_functions {
    ($($name:ident / $name_async:ident => $op:ident),* $(,)?) => {
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

            #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
            #[pyfunction]
            #[pyo3(signature = (x1, x2, /, out=None, *, timeout=None))]
            pub fn $name_async<'py>(
                py: Python<'py>,
                x1: &Bound<'py, PyAny>,
                x2: &Bound<'py, PyAny>,
                out: Option<&Bound<'py, PyNdArray>>,
                timeout: Option<f64>,
            ) -> PyResult<Bound<'py, PyAny>> {
                binary_async(py, BinaryOp::$op, x1, x2, out, timeout)
            }
        )*
        pub fn add_binary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(
                m.add_function(wrap_pyfunction!($name, m)?)?;
                m.add_function(wrap_pyfunction!($name_async, m)?)?;
            )*
            Ok(())
        }
    };
}

macro_rules! unary_functions {
    ($($name:ident / $name_async:ident => $op:ident),* $(,)?) => {
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

            #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
            #[pyfunction]
            #[pyo3(signature = (x, /, out=None, *, timeout=None))]
            pub fn $name_async<'py>(
                py: Python<'py>,
                x: &Bound<'py, PyAny>,
                out: Option<&Bound<'py, PyNdArray>>,
                timeout: Option<f64>,
            ) -> PyResult<Bound<'py, PyAny>> {
                unary_async(py, UnaryOp::$op, x, out, timeout)
            }
        )*
        pub fn add_unary(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(
                m.add_function(wrap_pyfunction!($name, m)?)?;
                m.add_function(wrap_pyfunction!($name_async, m)?)?;
            )*
            Ok(())
        }
    };
}

binary_functions! {
    add / add_async => Add, subtract / subtract_async => Subtract, multiply / multiply_async => Multiply, true_divide / true_divide_async => TrueDivide,
    floor_divide / floor_divide_async => FloorDivide, remainder / remainder_async => Remainder, power / power_async => Power, maximum / maximum_async => Maximum,
    minimum / minimum_async => Minimum, fmax / fmax_async => FMax, fmin / fmin_async => FMin, arctan2 / arctan2_async => Arctan2, hypot / hypot_async => Hypot,
    copysign / copysign_async => Copysign, logaddexp / logaddexp_async => Logaddexp, equal / equal_async => Equal, not_equal / not_equal_async => NotEqual,
    less / less_async => Less, less_equal / less_equal_async => LessEqual, greater / greater_async => Greater, greater_equal / greater_equal_async => GreaterEqual,
    logical_and / logical_and_async => LogicalAnd, logical_or / logical_or_async => LogicalOr, logical_xor / logical_xor_async => LogicalXor,
    bitwise_and / bitwise_and_async => BitwiseAnd, bitwise_or / bitwise_or_async => BitwiseOr, bitwise_xor / bitwise_xor_async => BitwiseXor,
    left_shift / left_shift_async => LeftShift, right_shift / right_shift_async => RightShift,
}

unary_functions! {
    negative / negative_async => Negative, positive / positive_async => Positive, absolute / absolute_async => Absolute, sign / sign_async => Sign, sqrt / sqrt_async => Sqrt,
    square / square_async => Square, reciprocal / reciprocal_async => Reciprocal, exp / exp_async => Exp, exp2 / exp2_async => Exp2, expm1 / expm1_async => Expm1,
    log / log_async => Log, log2 / log2_async => Log2, log10 / log10_async => Log10, log1p / log1p_async => Log1p, sin / sin_async => Sin, cos / cos_async => Cos, tan / tan_async => Tan,
    arcsin / arcsin_async => Arcsin, arccos / arccos_async => Arccos, arctan / arctan_async => Arctan, sinh / sinh_async => Sinh, cosh / cosh_async => Cosh, tanh / tanh_async => Tanh,
    arcsinh / arcsinh_async => Arcsinh, arccosh / arccosh_async => Arccosh, arctanh / arctanh_async => Arctanh, floor / floor_async => Floor, ceil / ceil_async => Ceil,
    trunc / trunc_async => Trunc, rint / rint_async => Rint, isnan / isnan_async => IsNan, isinf / isinf_async => IsInf, isfinite / isfinite_async => IsFinite,
    signbit / signbit_async => Signbit, logical_not / logical_not_async => LogicalNot, invert / invert_async => Invert,
}

/// A select-family call prepared from its Python arguments: the arrays it reads, its work size
/// and the work, which writes into `out` when one is given. The sync form runs it through
/// `compute`, the awaitable twin submits it to the pool: one preparation serves both.
struct Prepared {
    inputs: Vec<NdArray>,
    size: usize,
    work: Work,
}

type Work = Box<dyn FnOnce(Option<&NdArray>) -> raptors_core::Result<NdArray> + Send>;

impl Prepared {
    fn new(
        inputs: Vec<NdArray>,
        work: impl FnOnce(Option<&NdArray>) -> raptors_core::Result<NdArray> + Send + 'static,
    ) -> Self {
        let size = inputs.iter().map(NdArray::size).max().unwrap_or(0);
        Prepared {
            inputs,
            size,
            work: Box::new(work),
        }
    }

    fn run_sync<'py>(
        self,
        py: Python<'py>,
        out: Option<&Bound<'py, PyNdArray>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let o = out_array(out);
        let inputs: Vec<&NdArray> = self.inputs.iter().collect();
        let work = self.work;
        let r = compute(py, &inputs, o.as_ref(), self.size, || work(o.as_ref()))?;
        result(py, r, out)
    }

    fn submit<'py>(
        prepared: PyResult<Self>,
        py: Python<'py>,
        out: Option<&Bound<'py, PyNdArray>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (opts, p) = match Opts::new(timeout).and_then(|o| Ok((o, prepared?))) {
            Ok(v) => v,
            Err(e) => return asyncio::failed(py, e),
        };
        let o = out_array(out);
        let inputs: Vec<&NdArray> = p.inputs.iter().collect();
        let work = p.work;
        asyncio::submit_array(py, opts, &inputs, out, p.size, move || work(o.as_ref()))
    }
}

fn prepare_where(
    condition: &Bound<'_, PyAny>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
) -> PyResult<Prepared> {
    let c = as_ndarray(condition)?.into_owned();
    let (a, b) = operands(x, y)?;
    let (a, b) = (a.into_owned(), b.into_owned());
    let (jc, ja, jb) = (c.clone(), a.clone(), b.clone());
    Ok(Prepared::new(vec![c, a, b], move |_| {
        raptors_core::ops::select::where_(&jc, &ja, &jb)
    }))
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
    prepare_where(condition, x, y)?.run_sync(py, None)
}

/// Awaitable `where`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (condition, x, y, /, *, timeout=None))]
pub fn where_async<'py>(
    py: Python<'py>,
    condition: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    Prepared::submit(prepare_where(condition, x, y), py, None, timeout)
}

fn prepare_clip<'py>(
    a: &Bound<'py, PyAny>,
    a_min: Option<&Bound<'py, PyAny>>,
    a_max: Option<&Bound<'py, PyAny>>,
) -> PyResult<Prepared> {
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
    let jx = x.clone();
    Ok(Prepared::new(vec![x], move |o| {
        raptors_core::ops::select::clip(&jx, lo.as_ref(), hi.as_ref(), o)
    }))
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
    prepare_clip(a, a_min, a_max)?.run_sync(py, out)
}

/// Awaitable `clip`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (a, /, a_min=None, a_max=None, *, out=None, timeout=None))]
pub fn clip_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    a_min: Option<&Bound<'py, PyAny>>,
    a_max: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    Prepared::submit(prepare_clip(a, a_min, a_max), py, out, timeout)
}

/// `nan_to_num`'s work; with `copy=False` on a Raptors array the result is written back into
/// it (passed as `out`), as NumPy does in place.
fn prepare_nan_to_num<'py>(
    x: &Bound<'py, PyAny>,
    copy: bool,
    nan: f64,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> PyResult<(Prepared, Option<Bound<'py, PyNdArray>>)> {
    let a = to_ndarray(x, None)?;
    let inplace = match x.cast::<PyNdArray>() {
        Ok(orig) if !copy => Some(orig.clone()),
        _ => None,
    };
    let ja = a.clone();
    let prepared = Prepared::new(vec![a], move |o| {
        let r = raptors_core::ops::select::nan_to_num(&ja, nan, posinf, neginf)?;
        match o {
            Some(o) => {
                o.assign(&r)?;
                Ok(o.clone())
            }
            None => Ok(r),
        }
    });
    Ok((prepared, inplace))
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
    let (p, inplace) = prepare_nan_to_num(x, copy, nan, posinf, neginf)?;
    p.run_sync(py, inplace.as_ref())
}

/// Awaitable `nan_to_num`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (x, copy=true, nan=0.0, posinf=None, neginf=None, *, timeout=None))]
pub fn nan_to_num_async<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    copy: bool,
    nan: f64,
    posinf: Option<f64>,
    neginf: Option<f64>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    match prepare_nan_to_num(x, copy, nan, posinf, neginf) {
        Ok((p, inplace)) => Prepared::submit(Ok(p), py, inplace.as_ref(), timeout),
        Err(e) => asyncio::failed(py, e),
    }
}

fn prepare_round(x: &Bound<'_, PyAny>, decimals: i32) -> PyResult<Prepared> {
    let a = to_ndarray(x, None)?;
    let ja = a.clone();
    Ok(Prepared::new(vec![a], move |o| {
        raptors_core::ops::select::round(&ja, decimals, o)
    }))
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
    prepare_round(x, decimals)?.run_sync(py, out)
}

/// Awaitable `round`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (x, decimals=0, out=None, *, timeout=None))]
pub fn round_async<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    decimals: i32,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    Prepared::submit(prepare_round(x, decimals), py, out, timeout)
}

pub fn add_select(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(where_, m)?,
        wrap_pyfunction!(where_async, m)?,
        wrap_pyfunction!(clip, m)?,
        wrap_pyfunction!(clip_async, m)?,
        wrap_pyfunction!(nan_to_num, m)?,
        wrap_pyfunction!(nan_to_num_async, m)?,
        wrap_pyfunction!(round, m)?,
        wrap_pyfunction!(round_async, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
