//! Python entry points of the matrix products (`ops::linalg`): argument parsing, the GIL
//! released for large work (inputs read-borrowed, `out=` write-borrowed), and the awaitable
//! twins. A 0-d result becomes a Python scalar where NumPy returns a scalar (`dot` of vectors,
//! `vdot`, `inner`, `vecdot`, `matmul` of vectors, `einsum`); `tensordot` keeps NumPy's 0-d array.

use crate::array::{wrap, PyNdArray};
use crate::asyncio::{self, Opts};
use crate::convert::{as_ndarray, scalar_to_py};
use crate::dtype::extract_opt_dtype;
use crate::errors::{run, IntoPy};
use crate::ufunc::compute;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyEllipsis, PyString, PyTuple};
use raptors_core::dtype::Casting;
use raptors_core::ops::linalg;
use raptors_core::{DType, NdArray, Result as CoreResult};

/// A product of two arrays and an optional `out`, its other arguments already parsed.
type Op2 = Box<dyn FnOnce(&NdArray, &NdArray, Option<&NdArray>) -> CoreResult<NdArray> + Send>;

/// What a 0-d result becomes in Python.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Zero {
    Scalar,
    Array,
}

/// The Python value of a result: `out` itself, a Python scalar for 0-d (when NumPy gives a
/// scalar), else the new array.
fn finish(
    py: Python<'_>,
    r: NdArray,
    out: Option<Py<PyNdArray>>,
    zero: Zero,
) -> PyResult<Py<PyAny>> {
    match out {
        Some(o) => Ok(o.into_any()),
        None if r.ndim() == 0 && zero == Zero::Scalar => {
            Ok(scalar_to_py(py, run(|| r.item())?)?.unbind())
        }
        None => Ok(wrap(py, r)?.into_any().unbind()),
    }
}

/// The product of the operands' sizes: an upper bound of the multiply-adds of their product,
/// which decides whether the work runs inline (GIL held) or detached / on the pool.
fn work(sizes: impl IntoIterator<Item = usize>) -> usize {
    sizes
        .into_iter()
        .fold(1usize, |acc, n| acc.saturating_mul(n.max(1)))
}

/// How much work a two-operand product is, for the inline-or-pool decision.
#[derive(Clone, Copy)]
enum Cost {
    /// `a`'s last axis is contracted (matmul, dot, inner, vdot, matvec, vecmat, vecdot): the
    /// multiply-adds are at most `a.size * b.size / k`, `k` the contracted length. (Dividing by
    /// `k` matters: a dot of two 384-vectors is 384 multiply-adds, not 147,456.)
    ContractLast,
    /// Nothing known beyond the operand sizes (outer: exactly their product).
    Product,
}

impl Cost {
    fn of(self, a: &NdArray, b: &NdArray) -> usize {
        let all = work([a.size(), b.size()]);
        match self {
            Cost::ContractLast => all / a.shape().last().copied().unwrap_or(1).max(1),
            Cost::Product => all,
        }
    }
}

fn call2(
    py: Python<'_>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyNdArray>>,
    zero: Zero,
    cost: Cost,
    op: Op2,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (as_ndarray(x1)?, as_ndarray(x2)?);
    let o = out.map(|o| o.get().inner.clone());
    let size = cost.of(&a, &b);
    let r = compute(py, &[&a, &b], o.as_ref(), size, || op(&a, &b, o.as_ref()))?;
    finish(py, r, out.map(|o| o.clone().unbind()), zero)
}

/// The awaitable twin of `call2`: argument errors (`op`'s too) surface when awaited.
#[allow(clippy::too_many_arguments)]
fn call2_async<'py>(
    py: Python<'py>,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
    zero: Zero,
    cost: Cost,
    op: PyResult<Op2>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = op.and_then(|op| {
        let (a, b) = (as_ndarray(x1)?.into_owned(), as_ndarray(x2)?.into_owned());
        Ok((Opts::new(timeout)?, a, b, op))
    });
    let (opts, a, b, op) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let o = out.map(|o| o.get().inner.clone());
    let out_obj = out.map(|o| o.clone().unbind());
    let (ja, jb, jo) = (a.clone(), b.clone(), o.clone());
    asyncio::submit(
        py,
        opts,
        &[&a, &b],
        o.as_ref(),
        cost.of(&a, &b),
        move || op(&ja, &jb, jo.as_ref()),
        move |py, r| finish(py, r, out_obj, zero),
    )
}

fn plain(f: fn(&NdArray, &NdArray, Option<&NdArray>) -> CoreResult<NdArray>) -> Op2 {
    Box::new(f)
}

fn no_out(f: fn(&NdArray, &NdArray) -> CoreResult<NdArray>) -> Op2 {
    Box::new(move |a, b, _| f(a, b))
}

macro_rules! products {
    ($($name:ident / $name_async:ident => $zero:ident, $doc:literal;)*) => {$(
        #[doc = concat!("NumPy's `", stringify!($name), "(x1, x2, /, out=None)`", $doc)]
        #[pyfunction]
        #[pyo3(signature = (x1, x2, /, out=None))]
        pub fn $name(
            py: Python<'_>,
            x1: &Bound<'_, PyAny>,
            x2: &Bound<'_, PyAny>,
            out: Option<&Bound<'_, PyNdArray>>,
        ) -> PyResult<Py<PyAny>> {
            call2(py, x1, x2, out, Zero::$zero, Cost::ContractLast, plain(linalg::$name))
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
            call2_async(py, x1, x2, out, timeout, Zero::$zero, Cost::ContractLast, Ok(plain(linalg::$name)))
        }
    )*};
}

products! {
    matmul / matmul_async => Scalar, ": the matrix product with broadcast batches; 1-d operands are vectors.";
    matvec / matvec_async => Array, ": matrix-vector products over broadcast batches (NumPy 2.2).";
    vecmat / vecmat_async => Array, ": vector-matrix products over broadcast batches (NumPy 2.2).";
}

/// NumPy's `outer(a, b, out=None)`: the outer product of the flattened operands.
#[pyfunction]
#[pyo3(signature = (a, b, out=None))]
pub fn outer(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyNdArray>>,
) -> PyResult<Py<PyAny>> {
    call2(
        py,
        a,
        b,
        out,
        Zero::Array,
        Cost::Product,
        plain(linalg::outer),
    )
}

/// Awaitable `outer`.
#[pyfunction]
#[pyo3(signature = (a, b, out=None, *, timeout=None))]
pub fn outer_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call2_async(
        py,
        a,
        b,
        out,
        timeout,
        Zero::Array,
        Cost::Product,
        Ok(plain(linalg::outer)),
    )
}

/// NumPy's `dot(a, b, out=None)`. `out` must have the result's exact dtype and shape and be
/// C-contiguous, as in NumPy.
#[pyfunction]
#[pyo3(signature = (a, b, out=None))]
pub fn dot(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyNdArray>>,
) -> PyResult<Py<PyAny>> {
    call2(
        py,
        a,
        b,
        out,
        Zero::Scalar,
        Cost::ContractLast,
        plain(linalg::dot),
    )
}

/// Awaitable `dot`.
#[pyfunction]
#[pyo3(signature = (a, b, out=None, *, timeout=None))]
pub fn dot_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call2_async(
        py,
        a,
        b,
        out,
        timeout,
        Zero::Scalar,
        Cost::ContractLast,
        Ok(plain(linalg::dot)),
    )
}

/// NumPy's `vdot(a, b, /)`: the dot product of the flattened operands (a Python scalar).
#[pyfunction]
#[pyo3(signature = (a, b, /))]
pub fn vdot(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    call2(
        py,
        a,
        b,
        None,
        Zero::Scalar,
        Cost::ContractLast,
        no_out(linalg::vdot),
    )
}

/// Awaitable `vdot`.
#[pyfunction]
#[pyo3(signature = (a, b, /, *, timeout=None))]
pub fn vdot_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call2_async(
        py,
        a,
        b,
        None,
        timeout,
        Zero::Scalar,
        Cost::ContractLast,
        Ok(no_out(linalg::vdot)),
    )
}

/// NumPy's `inner(a, b, /)`: sums over the last axes.
#[pyfunction]
#[pyo3(signature = (a, b, /))]
pub fn inner(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    call2(
        py,
        a,
        b,
        None,
        Zero::Scalar,
        Cost::ContractLast,
        no_out(linalg::inner),
    )
}

/// Awaitable `inner`.
#[pyfunction]
#[pyo3(signature = (a, b, /, *, timeout=None))]
pub fn inner_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call2_async(
        py,
        a,
        b,
        None,
        timeout,
        Zero::Scalar,
        Cost::ContractLast,
        Ok(no_out(linalg::inner)),
    )
}

fn vecdot_op(axis: isize) -> Op2 {
    Box::new(move |a, b, o| linalg::vecdot(a, b, axis, o))
}

/// NumPy's `vecdot(x1, x2, /, out=None, *, axis=-1)` (the array API's `vecdot`).
#[pyfunction]
#[pyo3(signature = (x1, x2, /, out=None, *, axis=-1), text_signature = "(x1, x2, /, out=None, *, axis=-1)")]
pub fn vecdot(
    py: Python<'_>,
    x1: &Bound<'_, PyAny>,
    x2: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyNdArray>>,
    axis: isize,
) -> PyResult<Py<PyAny>> {
    call2(
        py,
        x1,
        x2,
        out,
        Zero::Scalar,
        Cost::ContractLast,
        vecdot_op(axis),
    )
}

/// Awaitable `vecdot`.
#[pyfunction]
#[pyo3(signature = (x1, x2, /, out=None, *, axis=-1, timeout=None), text_signature = "(x1, x2, /, out=None, *, axis=-1, timeout=None)")]
pub fn vecdot_async<'py>(
    py: Python<'py>,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    axis: isize,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call2_async(
        py,
        x1,
        x2,
        out,
        timeout,
        Zero::Scalar,
        Cost::ContractLast,
        Ok(vecdot_op(axis)),
    )
}

/// One side of `tensordot`'s `axes`: an int or a sequence of ints.
fn axis_list(obj: &Bound<'_, PyAny>) -> PyResult<Vec<isize>> {
    if let Ok(v) = obj.extract::<isize>() {
        return Ok(vec![v]);
    }
    obj.extract::<Vec<isize>>()
}

/// `axes=n` (the last `n` axes of `a` with the first `n` of `b`) or `(axes_a, axes_b)`.
fn tensordot_op(axes: &Bound<'_, PyAny>) -> PyResult<Op2> {
    let (aa, bb) = if axes.is_instance_of::<PyString>() || axes.try_iter().is_err() {
        let n: isize = match axes.extract() {
            Ok(n) => n,
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "'{}' object cannot be interpreted as an integer",
                    axes.get_type().name()?
                )))
            }
        };
        ((-n..0).collect(), (0..n).collect())
    } else {
        let items: Vec<Bound<'_, PyAny>> = axes.try_iter()?.collect::<PyResult<_>>()?;
        match items.len() {
            2 => (axis_list(&items[0])?, axis_list(&items[1])?),
            n if n < 2 => {
                return Err(PyValueError::new_err(format!(
                    "not enough values to unpack (expected 2, got {n})"
                )))
            }
            _ => {
                return Err(PyValueError::new_err(
                    "too many values to unpack (expected 2)",
                ))
            }
        }
    };
    Ok(Box::new(move |a, b, _| linalg::tensordot(a, b, &aa, &bb)))
}

/// NumPy's `tensordot(a, b, axes=2)`: sums over the last `axes` axes of `a` and the first of
/// `b`, or over the pairs `axes=(axes_a, axes_b)`. A full contraction is a 0-d array.
#[pyfunction]
#[pyo3(signature = (a, b, axes=None), text_signature = "(a, b, axes=2)")]
pub fn tensordot(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    axes: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let two = 2i32.into_pyobject(py)?.into_any();
    let op = tensordot_op(axes.unwrap_or(&two))?;
    call2(py, a, b, None, Zero::Array, Cost::Product, op)
}

/// Awaitable `tensordot`.
#[pyfunction]
#[pyo3(signature = (a, b, axes=None, *, timeout=None), text_signature = "(a, b, axes=2, *, timeout=None)")]
pub fn tensordot_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    axes: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let two = 2i32.into_pyobject(py)?.into_any();
    let op = tensordot_op(axes.unwrap_or(&two));
    call2_async(py, a, b, None, timeout, Zero::Array, Cost::Product, op)
}

// ------------------------------------------------------------------------------------------
// einsum
// ------------------------------------------------------------------------------------------

/// A parsed einsum call: the subscripts string, the operands and the keyword arguments.
struct Einsum {
    subscripts: String,
    operands: Vec<NdArray>,
    dtype: Option<DType>,
    casting: Casting,
}

/// NumPy's interleaved sublist form: integers 0..52 stand for `A-Z`, `a-z`; `...` for Ellipsis.
fn sublist(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut s = String::new();
    for item in obj.try_iter()? {
        let item = item?;
        if item.is_instance_of::<PyEllipsis>() {
            s.push_str("...");
            continue;
        }
        let v: isize = item.extract().map_err(|_| {
            PyTypeError::new_err("each subscript must be either an integer or an ellipsis")
        })?;
        let c = match v {
            0..=25 => b'A' + v as u8,
            26..=51 => b'a' + (v - 26) as u8,
            _ => {
                return Err(PyValueError::new_err(
                    "subscript is not within the valid range [0, 52)",
                ))
            }
        };
        s.push(c as char);
    }
    Ok(s)
}

fn einsum_args(
    subscripts: &Bound<'_, PyAny>,
    operands: &Bound<'_, PyTuple>,
    dtype: Option<&Bound<'_, PyAny>>,
    casting: &str,
) -> PyResult<Einsum> {
    let dtype = extract_opt_dtype(dtype)?;
    let casting = Casting::parse(casting).py_err()?;
    if let Ok(s) = subscripts.cast::<PyString>() {
        let operands = operands
            .iter()
            .map(|o| Ok(as_ndarray(&o)?.into_owned()))
            .collect::<PyResult<_>>()?;
        return Ok(Einsum {
            subscripts: s.to_cow()?.into_owned(),
            operands,
            dtype,
            casting,
        });
    }
    // einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])
    let mut args: Vec<Bound<'_, PyAny>> = vec![subscripts.clone()];
    args.extend(operands.iter());
    let (mut ops, mut terms) = (vec![], vec![]);
    for pair in args.chunks(2) {
        match pair {
            [x, sub] => {
                ops.push(as_ndarray(x)?.into_owned());
                terms.push(sublist(sub)?);
            }
            [out] => {
                return Ok(Einsum {
                    subscripts: format!("{}->{}", terms.join(","), sublist(out)?),
                    operands: ops,
                    dtype,
                    casting,
                })
            }
            _ => unreachable!("chunks of two"),
        }
    }
    Ok(Einsum {
        subscripts: terms.join(","),
        operands: ops,
        dtype,
        casting,
    })
}

impl Einsum {
    fn run(&self, out: Option<&NdArray>) -> CoreResult<NdArray> {
        linalg::einsum(
            &self.subscripts,
            &self.operands,
            self.dtype,
            self.casting,
            out,
        )
    }

    fn work(&self) -> usize {
        work(self.operands.iter().map(|x| x.size()))
    }
}

/// NumPy's `einsum(subscripts, *operands, out=None, dtype=None, casting='safe',
/// optimize=False)`, also in the interleaved form `einsum(op0, sublist0, op1, sublist1, ...,
/// [sublist_out])`. `optimize` is accepted and ignored: operands are contracted pairwise, left
/// to right.
#[pyfunction]
#[pyo3(signature = (subscripts, /, *operands, out=None, dtype=None, casting="safe", optimize=None), text_signature = "(subscripts, /, *operands, out=None, dtype=None, casting='safe', optimize=False)")]
pub fn einsum(
    py: Python<'_>,
    subscripts: &Bound<'_, PyAny>,
    operands: &Bound<'_, PyTuple>,
    out: Option<&Bound<'_, PyNdArray>>,
    dtype: Option<&Bound<'_, PyAny>>,
    casting: &str,
    optimize: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let _ = optimize;
    let e = einsum_args(subscripts, operands, dtype, casting)?;
    let o = out.map(|o| o.get().inner.clone());
    let inputs: Vec<&NdArray> = e.operands.iter().collect();
    let r = compute(py, &inputs, o.as_ref(), e.work(), || e.run(o.as_ref()))?;
    finish(py, r, out.map(|o| o.clone().unbind()), Zero::Scalar)
}

/// Awaitable `einsum`.
#[pyfunction]
#[pyo3(signature = (subscripts, /, *operands, out=None, dtype=None, casting="safe", optimize=None, timeout=None), text_signature = "(subscripts, /, *operands, out=None, dtype=None, casting='safe', optimize=False, timeout=None)")]
#[allow(clippy::too_many_arguments)]
pub fn einsum_async<'py>(
    py: Python<'py>,
    subscripts: &Bound<'py, PyAny>,
    operands: &Bound<'py, PyTuple>,
    out: Option<&Bound<'py, PyNdArray>>,
    dtype: Option<&Bound<'py, PyAny>>,
    casting: &str,
    optimize: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let _ = optimize;
    let prepared = Opts::new(timeout)
        .and_then(|o| Ok((o, einsum_args(subscripts, operands, dtype, casting)?)));
    let (opts, e) = match prepared {
        Ok(p) => p,
        Err(err) => return asyncio::failed(py, err),
    };
    let o = out.map(|o| o.get().inner.clone());
    let out_obj = out.map(|o| o.clone().unbind());
    let inputs: Vec<NdArray> = e.operands.clone();
    let inputs: Vec<&NdArray> = inputs.iter().collect();
    let (size, jo) = (e.work(), o.clone());
    asyncio::submit(
        py,
        opts,
        &inputs,
        o.as_ref(),
        size,
        move || e.run(jo.as_ref()),
        move |py, r| finish(py, r, out_obj, Zero::Scalar),
    )
}

// ------------------------------------------------------------------------------------------
// diagonal, trace
// ------------------------------------------------------------------------------------------

/// NumPy's `diagonal(a, offset=0, axis1=0, axis2=1)`: a read-only view.
#[pyfunction]
#[pyo3(signature = (a, offset=0, axis1=0, axis2=1))]
pub fn diagonal<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    offset: isize,
    axis1: isize,
    axis2: isize,
) -> PyResult<Bound<'py, PyNdArray>> {
    let x = as_ndarray(a)?;
    wrap(py, run(|| linalg::diagonal(&x, offset, axis1, axis2))?)
}

/// NumPy's `trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None)`: sums of diagonals
/// (a Python scalar for 2-d input).
#[pyfunction]
#[pyo3(signature = (a, offset=0, axis1=0, axis2=1, dtype=None, out=None))]
pub fn trace(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    offset: isize,
    axis1: isize,
    axis2: isize,
    dtype: Option<&Bound<'_, PyAny>>,
    out: Option<&Bound<'_, PyNdArray>>,
) -> PyResult<Py<PyAny>> {
    let dt = extract_opt_dtype(dtype)?;
    let x = as_ndarray(a)?;
    let o = out.map(|o| o.get().inner.clone());
    let r = compute(py, &[&x], o.as_ref(), x.size(), || {
        linalg::trace(&x, offset, axis1, axis2, dt, o.as_ref())
    })?;
    finish(py, r, out.map(|o| o.clone().unbind()), Zero::Scalar)
}

// ------------------------------------------------------------------------------------------
// operators and methods
// ------------------------------------------------------------------------------------------

/// `x1 @ x2`: NotImplemented when the other operand is not array-like (Python then tries it).
pub fn matmul_operator<'py>(
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    other: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = other.py();
    if !crate::convert::is_array_like(other)? {
        return Ok(py.NotImplemented().into_bound(py));
    }
    Ok(matmul(py, x1, x2, None)?.into_bound(py))
}

/// `a @= b`: NumPy's in-place product, valid when the result has `a`'s shape (and casts to its
/// dtype with same_kind); written into `a` under its write borrow.
pub fn matmul_inplace(slf: &Bound<'_, PyNdArray>, other: &Bound<'_, PyAny>) -> PyResult<()> {
    let b = as_ndarray(other)?;
    if slf.get().inner.ndim() < 1 || b.ndim() < 2 {
        return Err(PyValueError::new_err(
            "inplace matrix multiplication requires the first operand to have at least one and the second at least two dimensions.",
        ));
    }
    matmul(slf.py(), slf.as_any(), other, Some(slf)).map(drop)
}

pub fn add_functions(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(matmul, m)?,
        wrap_pyfunction!(matmul_async, m)?,
        wrap_pyfunction!(matvec, m)?,
        wrap_pyfunction!(matvec_async, m)?,
        wrap_pyfunction!(vecmat, m)?,
        wrap_pyfunction!(vecmat_async, m)?,
        wrap_pyfunction!(outer, m)?,
        wrap_pyfunction!(outer_async, m)?,
        wrap_pyfunction!(dot, m)?,
        wrap_pyfunction!(dot_async, m)?,
        wrap_pyfunction!(vdot, m)?,
        wrap_pyfunction!(vdot_async, m)?,
        wrap_pyfunction!(inner, m)?,
        wrap_pyfunction!(inner_async, m)?,
        wrap_pyfunction!(vecdot, m)?,
        wrap_pyfunction!(vecdot_async, m)?,
        wrap_pyfunction!(tensordot, m)?,
        wrap_pyfunction!(tensordot_async, m)?,
        wrap_pyfunction!(einsum, m)?,
        wrap_pyfunction!(einsum_async, m)?,
        wrap_pyfunction!(diagonal, m)?,
        wrap_pyfunction!(trace, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
