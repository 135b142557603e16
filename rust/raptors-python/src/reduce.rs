//! Python entry points of the reductions (`ops::reduce`) and the ordering functions
//! (`ops::sort`): argument parsing, the GIL released for large work (inputs read-borrowed), and
//! the awaitable twins. A 0-d result without `out=` becomes a Python scalar, as indexing every
//! dimension of an array does (NumPy returns its scalar types there).

use crate::array::{opt_int_seq, wrap, PyNdArray};
use crate::asyncio::{self, Opts};
use crate::convert::{as_ndarray, scalar_to_py};
use crate::dtype::extract_opt_dtype;
use crate::errors::run;
use crate::ufunc::compute;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use raptors_core::ops::reduce;
use raptors_core::ops::sort as sorting;
use raptors_core::ops::sort::{Side, UniqueOptions};
use raptors_core::{DType, NdArray, Result as CoreResult};

/// A core op over one input array and an optional `out`, its arguments already parsed.
type Op = Box<dyn FnOnce(&NdArray, Option<&NdArray>) -> CoreResult<NdArray> + Send>;

type DTypeFn =
    fn(&NdArray, Option<&[isize]>, Option<DType>, bool, Option<&NdArray>) -> CoreResult<NdArray>;
type VarFn = fn(
    &NdArray,
    Option<&[isize]>,
    Option<DType>,
    f64,
    bool,
    Option<&NdArray>,
) -> CoreResult<NdArray>;
type PlainFn = fn(&NdArray, Option<&[isize]>, bool, Option<&NdArray>) -> CoreResult<NdArray>;
type ArgFn = fn(&NdArray, Option<isize>, bool, Option<&NdArray>) -> CoreResult<NdArray>;
type CumFn = fn(&NdArray, Option<isize>, Option<DType>, Option<&NdArray>) -> CoreResult<NdArray>;

/// The Python value of a result: `out` itself, a Python scalar for 0-d, else the new array.
fn finish(py: Python<'_>, r: NdArray, out: Option<Py<PyNdArray>>) -> PyResult<Py<PyAny>> {
    match out {
        Some(o) => Ok(o.into_any()),
        None if r.ndim() == 0 => Ok(scalar_to_py(py, run(|| r.item())?)?.unbind()),
        None => Ok(wrap(py, r)?.into_any().unbind()),
    }
}

fn call(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    out: Option<&Bound<'_, PyNdArray>>,
    op: Op,
) -> PyResult<Py<PyAny>> {
    let a = as_ndarray(x)?;
    let o = out.map(|o| o.get().inner.clone());
    let r = compute(py, &[&a], o.as_ref(), a.size(), || op(&a, o.as_ref()))?;
    finish(py, r, out.map(|o| o.clone().unbind()))
}

/// The awaitable twin of `call`: argument errors (`op`'s too) surface when awaited.
fn call_async<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyNdArray>>,
    timeout: Option<f64>,
    op: PyResult<Op>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = op.and_then(|op| Ok((Opts::new(timeout)?, as_ndarray(x)?.into_owned(), op)));
    let (opts, a, op) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let o = out.map(|o| o.get().inner.clone());
    let out_obj = out.map(|o| o.clone().unbind());
    let (ja, jo) = (a.clone(), o.clone());
    asyncio::submit(
        py,
        opts,
        &[&a],
        o.as_ref(),
        a.size(),
        move || op(&ja, jo.as_ref()),
        move |py, r| finish(py, r, out_obj),
    )
}

fn dtype_op(
    f: DTypeFn,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Op> {
    let (axis, dt) = (opt_int_seq(axis)?, extract_opt_dtype(dtype)?);
    Ok(Box::new(move |x, o| f(x, axis.as_deref(), dt, keepdims, o)))
}

/// NumPy's `ddof`, or the array API's `correction` (not both).
fn var_op(
    f: VarFn,
    axis: Option<&Bound<'_, PyAny>>,
    dtype: Option<&Bound<'_, PyAny>>,
    ddof: f64,
    keepdims: bool,
    correction: Option<f64>,
) -> PyResult<Op> {
    let ddof = match correction {
        Some(_) if ddof != 0.0 => {
            return Err(PyValueError::new_err(
                "ddof and correction can't be provided simultaneously.",
            ))
        }
        Some(c) => c,
        None => ddof,
    };
    let (axis, dt) = (opt_int_seq(axis)?, extract_opt_dtype(dtype)?);
    Ok(Box::new(move |x, o| {
        f(x, axis.as_deref(), dt, ddof, keepdims, o)
    }))
}

fn plain_op(f: PlainFn, axis: Option<&Bound<'_, PyAny>>, keepdims: bool) -> PyResult<Op> {
    let axis = opt_int_seq(axis)?;
    Ok(Box::new(move |x, o| f(x, axis.as_deref(), keepdims, o)))
}

fn arg_op(f: ArgFn, axis: Option<isize>, keepdims: bool) -> PyResult<Op> {
    Ok(Box::new(move |x, o| f(x, axis, keepdims, o)))
}

fn cum_op(f: CumFn, axis: Option<isize>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Op> {
    let dt = extract_opt_dtype(dtype)?;
    Ok(Box::new(move |x, o| f(x, axis, dt, o)))
}

macro_rules! dtype_reductions {
    ($($name:ident / $name_async:ident),* $(,)?) => {$(
        #[doc = concat!("NumPy's `", stringify!($name), "(a, axis=None, dtype=None, out=None, keepdims=False)`.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, keepdims=false))]
        pub fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            axis: Option<&Bound<'_, PyAny>>,
            dtype: Option<&Bound<'_, PyAny>>,
            out: Option<&Bound<'_, PyNdArray>>,
            keepdims: bool,
        ) -> PyResult<Py<PyAny>> {
            call(py, a, out, dtype_op(reduce::$name, axis, dtype, keepdims)?)
        }

        #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, keepdims=false, *, timeout=None))]
        pub fn $name_async<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyNdArray>>,
            keepdims: bool,
            timeout: Option<f64>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_async(py, a, out, timeout, dtype_op(reduce::$name, axis, dtype, keepdims))
        }
    )*};
}

macro_rules! var_reductions {
    ($($name:ident / $name_async:ident => $core:ident $py:literal),* $(,)?) => {$(
        #[doc = concat!("NumPy's `", $py, "(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None)`.")]
        #[pyfunction]
        #[pyo3(name = $py, signature = (a, axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None))]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            axis: Option<&Bound<'_, PyAny>>,
            dtype: Option<&Bound<'_, PyAny>>,
            out: Option<&Bound<'_, PyNdArray>>,
            ddof: f64,
            keepdims: bool,
            correction: Option<f64>,
        ) -> PyResult<Py<PyAny>> {
            call(py, a, out, var_op(reduce::$core, axis, dtype, ddof, keepdims, correction)?)
        }

        #[doc = concat!("Awaitable `", $py, "`, computed on the Raptors pool.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None, timeout=None))]
        #[allow(clippy::too_many_arguments)]
        pub fn $name_async<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyNdArray>>,
            ddof: f64,
            keepdims: bool,
            correction: Option<f64>,
            timeout: Option<f64>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let op = var_op(reduce::$core, axis, dtype, ddof, keepdims, correction);
            call_async(py, a, out, timeout, op)
        }
    )*};
}

macro_rules! plain_reductions {
    ($($name:ident / $name_async:ident),* $(,)?) => {$(
        #[doc = concat!("NumPy's `", stringify!($name), "(a, axis=None, out=None, keepdims=False)`.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, keepdims=false))]
        pub fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            axis: Option<&Bound<'_, PyAny>>,
            out: Option<&Bound<'_, PyNdArray>>,
            keepdims: bool,
        ) -> PyResult<Py<PyAny>> {
            call(py, a, out, plain_op(reduce::$name, axis, keepdims)?)
        }

        #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, keepdims=false, *, timeout=None))]
        pub fn $name_async<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyNdArray>>,
            keepdims: bool,
            timeout: Option<f64>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_async(py, a, out, timeout, plain_op(reduce::$name, axis, keepdims))
        }
    )*};
}

macro_rules! arg_reductions {
    ($($name:ident / $name_async:ident),* $(,)?) => {$(
        #[doc = concat!("NumPy's `", stringify!($name), "(a, axis=None, out=None, *, keepdims=False)`: int64 positions, the first on ties.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, *, keepdims=false))]
        pub fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            axis: Option<isize>,
            out: Option<&Bound<'_, PyNdArray>>,
            keepdims: bool,
        ) -> PyResult<Py<PyAny>> {
            call(py, a, out, arg_op(reduce::$name, axis, keepdims)?)
        }

        #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, *, keepdims=false, timeout=None))]
        pub fn $name_async<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<isize>,
            out: Option<&Bound<'py, PyNdArray>>,
            keepdims: bool,
            timeout: Option<f64>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_async(py, a, out, timeout, arg_op(reduce::$name, axis, keepdims))
        }
    )*};
}

macro_rules! cum_reductions {
    ($($name:ident / $name_async:ident),* $(,)?) => {$(
        #[doc = concat!("NumPy's `", stringify!($name), "(a, axis=None, dtype=None, out=None)`; `axis=None` flattens.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None))]
        pub fn $name(
            py: Python<'_>,
            a: &Bound<'_, PyAny>,
            axis: Option<isize>,
            dtype: Option<&Bound<'_, PyAny>>,
            out: Option<&Bound<'_, PyNdArray>>,
        ) -> PyResult<Py<PyAny>> {
            call(py, a, out, cum_op(reduce::$name, axis, dtype)?)
        }

        #[doc = concat!("Awaitable `", stringify!($name), "`, computed on the Raptors pool.")]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, *, timeout=None))]
        pub fn $name_async<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<isize>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyNdArray>>,
            timeout: Option<f64>,
        ) -> PyResult<Bound<'py, PyAny>> {
            call_async(py, a, out, timeout, cum_op(reduce::$name, axis, dtype))
        }
    )*};
}

dtype_reductions! { sum / sum_async, prod / prod_async, nansum / nansum_async, mean / mean_async, nanmean / nanmean_async }
var_reductions! { var_ / var_async => var "var", std_ / std_async => std "std", nanvar_ / nanvar_async => nanvar "nanvar", nanstd_ / nanstd_async => nanstd "nanstd" }
plain_reductions! {
    amax / amax_async, amin / amin_async, nanmax / nanmax_async, nanmin / nanmin_async,
    ptp / ptp_async, any / any_async, all / all_async,
}
arg_reductions! { argmax / argmax_async, argmin / argmin_async, nanargmax / nanargmax_async, nanargmin / nanargmin_async }
cum_reductions! { cumsum / cumsum_async, cumprod / cumprod_async }

fn count_op(axis: Option<&Bound<'_, PyAny>>, keepdims: bool) -> PyResult<Op> {
    let axis = opt_int_seq(axis)?;
    Ok(Box::new(move |x, _| {
        reduce::count_nonzero(x, axis.as_deref(), keepdims)
    }))
}

/// NumPy's `count_nonzero(a, axis=None, *, keepdims=False)`: int64 (a Python int for `axis=None`).
#[pyfunction]
#[pyo3(signature = (a, axis=None, *, keepdims=false))]
pub fn count_nonzero(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    axis: Option<&Bound<'_, PyAny>>,
    keepdims: bool,
) -> PyResult<Py<PyAny>> {
    call(py, a, None, count_op(axis, keepdims)?)
}

/// Awaitable `count_nonzero`.
#[pyfunction]
#[pyo3(signature = (a, axis=None, *, keepdims=false, timeout=None))]
pub fn count_nonzero_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    call_async(py, a, None, timeout, count_op(axis, keepdims))
}

// ------------------------------------------------------------------------------------------
// ordering
// ------------------------------------------------------------------------------------------

/// NumPy's `kind=` and `order=`: every kind gives the same (stable) result; `order` needs
/// structured dtypes, which Raptors does not have.
fn check_kind(kind: Option<&str>, order: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    if let Some(k) = kind {
        if !matches!(
            k.chars().next().map(|c| c.to_ascii_lowercase()),
            Some('q' | 'm' | 'h' | 's')
        ) {
            return Err(PyValueError::new_err(format!(
                "sort kind must be one of 'quick', 'heap', or 'stable' (got '{k}')"
            )));
        }
    }
    if order.is_some_and(|o| !o.is_none()) {
        return Err(PyValueError::new_err(
            "Cannot specify order when the array has no fields.",
        ));
    }
    Ok(())
}

fn sort_op(
    arg: bool,
    axis: Option<isize>,
    kind: Option<&str>,
    order: Option<&Bound<'_, PyAny>>,
    descending: bool,
    stable: Option<bool>,
) -> PyResult<Op> {
    check_kind(kind, order)?;
    let stable = stable.unwrap_or(true);
    Ok(if arg {
        Box::new(move |x, _| sorting::argsort(x, axis, stable, descending))
    } else {
        Box::new(move |x, _| sorting::sort(x, axis, stable, descending))
    })
}

/// NumPy's `sort(a, axis=-1, kind=None, order=None, *, stable=None)` plus the array API's
/// `descending`: a sorted copy (`axis=None` flattens). Always stable; NaNs last.
#[pyfunction]
#[pyo3(name = "sort", signature = (a, axis=Some(-1), kind=None, order=None, *, descending=false, stable=None), text_signature = "(a, axis=-1, kind=None, order=None, *, descending=False, stable=None)")]
pub fn sort_(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    axis: Option<isize>,
    kind: Option<&str>,
    order: Option<&Bound<'_, PyAny>>,
    descending: bool,
    stable: Option<bool>,
) -> PyResult<Py<PyAny>> {
    let op = sort_op(false, axis, kind, order, descending, stable)?;
    call(py, a, None, op)
}

/// Awaitable `sort`.
#[pyfunction]
#[pyo3(signature = (a, axis=Some(-1), kind=None, order=None, *, descending=false, stable=None, timeout=None), text_signature = "(a, axis=-1, kind=None, order=None, *, descending=False, stable=None, timeout=None)")]
#[allow(clippy::too_many_arguments)]
pub fn sort_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&str>,
    order: Option<&Bound<'py, PyAny>>,
    descending: bool,
    stable: Option<bool>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = sort_op(false, axis, kind, order, descending, stable);
    call_async(py, a, None, timeout, op)
}

/// NumPy's `argsort(a, axis=-1, kind=None, order=None, *, stable=None)` plus `descending`:
/// int64 indices of a stable sort (equal elements keep their order, descending too).
#[pyfunction]
#[pyo3(signature = (a, axis=Some(-1), kind=None, order=None, *, descending=false, stable=None), text_signature = "(a, axis=-1, kind=None, order=None, *, descending=False, stable=None)")]
pub fn argsort(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    axis: Option<isize>,
    kind: Option<&str>,
    order: Option<&Bound<'_, PyAny>>,
    descending: bool,
    stable: Option<bool>,
) -> PyResult<Py<PyAny>> {
    let op = sort_op(true, axis, kind, order, descending, stable)?;
    call(py, a, None, op)
}

/// Awaitable `argsort`.
#[pyfunction]
#[pyo3(signature = (a, axis=Some(-1), kind=None, order=None, *, descending=false, stable=None, timeout=None), text_signature = "(a, axis=-1, kind=None, order=None, *, descending=False, stable=None, timeout=None)")]
#[allow(clippy::too_many_arguments)]
pub fn argsort_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&str>,
    order: Option<&Bound<'py, PyAny>>,
    descending: bool,
    stable: Option<bool>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = sort_op(true, axis, kind, order, descending, stable);
    call_async(py, a, None, timeout, op)
}

fn partition_op(
    arg: bool,
    kth: &Bound<'_, PyAny>,
    axis: Option<isize>,
    kind: &str,
    order: Option<&Bound<'_, PyAny>>,
) -> PyResult<Op> {
    if kind != "introselect" {
        return Err(PyValueError::new_err(format!(
            "select kind must be 'introselect' (got '{kind}')"
        )));
    }
    check_kind(None, order)?;
    let kth = opt_int_seq(Some(kth))?
        .ok_or_else(|| PyTypeError::new_err("kth must be an integer or a sequence of them"))?;
    Ok(if arg {
        Box::new(move |x, _| sorting::argpartition(x, &kth, axis))
    } else {
        Box::new(move |x, _| sorting::partition(x, &kth, axis))
    })
}

/// NumPy's `partition(a, kth, axis=-1, kind="introselect", order=None)`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis=Some(-1), kind="introselect", order=None), text_signature = "(a, kth, axis=-1, kind='introselect', order=None)")]
pub fn partition(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    kth: &Bound<'_, PyAny>,
    axis: Option<isize>,
    kind: &str,
    order: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    call(py, a, None, partition_op(false, kth, axis, kind, order)?)
}

/// NumPy's `argpartition(a, kth, axis=-1, kind="introselect", order=None)`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis=Some(-1), kind="introselect", order=None), text_signature = "(a, kth, axis=-1, kind='introselect', order=None)")]
pub fn argpartition(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    kth: &Bound<'_, PyAny>,
    axis: Option<isize>,
    kind: &str,
    order: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    call(py, a, None, partition_op(true, kth, axis, kind, order)?)
}

/// Awaitable `partition`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis=Some(-1), kind="introselect", order=None, *, timeout=None), text_signature = "(a, kth, axis=-1, kind='introselect', order=None, *, timeout=None)")]
pub fn partition_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    kth: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: &str,
    order: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = partition_op(false, kth, axis, kind, order);
    call_async(py, a, None, timeout, op)
}

/// Awaitable `argpartition`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis=Some(-1), kind="introselect", order=None, *, timeout=None), text_signature = "(a, kth, axis=-1, kind='introselect', order=None, *, timeout=None)")]
pub fn argpartition_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    kth: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: &str,
    order: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = partition_op(true, kth, axis, kind, order);
    call_async(py, a, None, timeout, op)
}

/// `(values, indices)` as a Python tuple of arrays.
fn pair(py: Python<'_>, (v, i): (NdArray, NdArray)) -> PyResult<Py<PyAny>> {
    Ok(PyTuple::new(py, [wrap(py, v)?, wrap(py, i)?])?
        .into_any()
        .unbind())
}

/// `topk(x, k, axis=-1, largest=True, sorted=True) -> (values, indices)`: the `k` largest (or
/// smallest) elements along `axis` (`None` flattens) and their int64 indices; best first, ties
/// to the lower index, NaN counting as the largest value. Not in NumPy.
#[pyfunction]
#[pyo3(signature = (x, k, axis=Some(-1), largest=true, sorted=true), text_signature = "(x, k, axis=-1, largest=True, sorted=True)")]
pub fn topk(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    k: isize,
    axis: Option<isize>,
    largest: bool,
    sorted: bool,
) -> PyResult<Py<PyAny>> {
    let a = as_ndarray(x)?;
    let r = compute(py, &[&a], None, a.size(), || {
        sorting::topk(&a, k, axis, largest, sorted)
    })?;
    pair(py, r)
}

/// Awaitable `topk`.
#[pyfunction]
#[pyo3(signature = (x, k, axis=Some(-1), largest=true, sorted=true, *, timeout=None), text_signature = "(x, k, axis=-1, largest=True, sorted=True, *, timeout=None)")]
pub fn topk_async<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    k: isize,
    axis: Option<isize>,
    largest: bool,
    sorted: bool,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = Opts::new(timeout).and_then(|o| Ok((o, as_ndarray(x)?.into_owned())));
    let (opts, a) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let ja = a.clone();
    asyncio::submit(
        py,
        opts,
        &[&a],
        None,
        a.size(),
        move || sorting::topk(&ja, k, axis, largest, sorted),
        pair,
    )
}

fn unique_opts(
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
    axis: Option<&Bound<'_, PyAny>>,
    equal_nan: bool,
) -> PyResult<UniqueOptions> {
    if axis.is_some_and(|a| !a.is_none()) {
        return Err(PyTypeError::new_err(
            "unique supports axis=None only (the flattened array)",
        ));
    }
    Ok(UniqueOptions {
        return_index,
        return_inverse,
        return_counts,
        equal_nan,
    })
}

/// NumPy's result: the values alone, or a tuple with the requested parts in order.
fn unique_result(py: Python<'_>, u: sorting::Unique) -> PyResult<Py<PyAny>> {
    let parts: Vec<NdArray> = [Some(u.values), u.indices, u.inverse, u.counts]
        .into_iter()
        .flatten()
        .collect();
    if parts.len() == 1 {
        let v = parts.into_iter().next().expect("one part");
        return Ok(wrap(py, v)?.into_any().unbind());
    }
    let objs = parts
        .into_iter()
        .map(|p| wrap(py, p))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, objs)?.into_any().unbind())
}

/// NumPy's `unique(ar, return_index=False, return_inverse=False, return_counts=False,
/// axis=None, *, equal_nan=True)` over the flattened array (`axis` must be None).
#[pyfunction]
#[pyo3(signature = (ar, return_index=false, return_inverse=false, return_counts=false, axis=None, *, equal_nan=true))]
pub fn unique(
    py: Python<'_>,
    ar: &Bound<'_, PyAny>,
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
    axis: Option<&Bound<'_, PyAny>>,
    equal_nan: bool,
) -> PyResult<Py<PyAny>> {
    let opts = unique_opts(return_index, return_inverse, return_counts, axis, equal_nan)?;
    let a = as_ndarray(ar)?;
    let u = compute(py, &[&a], None, a.size(), || sorting::unique(&a, opts))?;
    unique_result(py, u)
}

/// Awaitable `unique`.
#[pyfunction]
#[pyo3(signature = (ar, return_index=false, return_inverse=false, return_counts=false, axis=None, *, equal_nan=true, timeout=None))]
#[allow(clippy::too_many_arguments)]
pub fn unique_async<'py>(
    py: Python<'py>,
    ar: &Bound<'py, PyAny>,
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
    axis: Option<&Bound<'py, PyAny>>,
    equal_nan: bool,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = (|| {
        let u = unique_opts(return_index, return_inverse, return_counts, axis, equal_nan)?;
        Ok::<_, PyErr>((Opts::new(timeout)?, u, as_ndarray(ar)?.into_owned()))
    })();
    let (opts, u, a) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let ja = a.clone();
    asyncio::submit(
        py,
        opts,
        &[&a],
        None,
        a.size(),
        move || sorting::unique(&ja, u),
        unique_result,
    )
}

type Search = (NdArray, NdArray, Side, Option<NdArray>);

fn search_args(
    a: &Bound<'_, PyAny>,
    v: &Bound<'_, PyAny>,
    side: &str,
    sorter: Option<&Bound<'_, PyAny>>,
) -> PyResult<Search> {
    let side = run(|| Side::parse(side))?;
    let sorter = match sorter {
        Some(s) if !s.is_none() => Some(as_ndarray(s)?.into_owned()),
        _ => None,
    };
    Ok((
        as_ndarray(a)?.into_owned(),
        as_ndarray(v)?.into_owned(),
        side,
        sorter,
    ))
}

/// NumPy's `searchsorted(a, v, side="left", sorter=None)`: int64 insertion points (a Python
/// int for a scalar `v`).
#[pyfunction]
#[pyo3(signature = (a, v, side="left", sorter=None))]
pub fn searchsorted(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    v: &Bound<'_, PyAny>,
    side: &str,
    sorter: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let (a, v, side, sorter) = search_args(a, v, side, sorter)?;
    let mut inputs = vec![&a, &v];
    inputs.extend(sorter.as_ref());
    let size = a.size().max(v.size());
    let r = compute(py, &inputs, None, size, || {
        sorting::searchsorted(&a, &v, side, sorter.as_ref())
    })?;
    finish(py, r, None)
}

/// Awaitable `searchsorted`.
#[pyfunction]
#[pyo3(signature = (a, v, side="left", sorter=None, *, timeout=None))]
pub fn searchsorted_async<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    v: &Bound<'py, PyAny>,
    side: &str,
    sorter: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = Opts::new(timeout).and_then(|o| Ok((o, search_args(a, v, side, sorter)?)));
    let (opts, (a, v, side, sorter)) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let mut inputs = vec![&a, &v];
    inputs.extend(sorter.as_ref());
    let size = a.size().max(v.size());
    let (ja, jv, js) = (a.clone(), v.clone(), sorter.clone());
    asyncio::submit(
        py,
        opts,
        &inputs,
        None,
        size,
        move || sorting::searchsorted(&ja, &jv, side, js.as_ref()),
        |py, r| finish(py, r, None),
    )
}

/// `a.sort(axis=-1, kind=None, order=None, *, descending=False, stable=None)`: sorts in place
/// (the sorted copy is written back under the array's write borrow).
pub fn sort_inplace(
    py: Python<'_>,
    a: &NdArray,
    axis: isize,
    kind: Option<&str>,
    order: Option<&Bound<'_, PyAny>>,
    descending: bool,
    stable: Option<bool>,
) -> PyResult<()> {
    let op = sort_op(false, Some(axis), kind, order, descending, stable)?;
    let r = compute(py, &[a], None, a.size(), || op(a, None))?;
    run(|| a.assign(&r))
}

/// Awaitable `a.sort(...)`: the job sorts a copy on the pool and writes it back into `a`, which
/// it write-borrows meanwhile (other reads and writes of `a` raise BufferError until it ends).
#[allow(clippy::too_many_arguments)]
pub fn sort_inplace_async<'py>(
    py: Python<'py>,
    a: &NdArray,
    axis: isize,
    kind: Option<&str>,
    order: Option<&Bound<'_, PyAny>>,
    descending: bool,
    stable: Option<bool>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = sort_op(false, Some(axis), kind, order, descending, stable)
        .and_then(|op| Ok((Opts::new(timeout)?, op)));
    let (opts, op) = match prepared {
        Ok(p) => p,
        Err(e) => return asyncio::failed(py, e),
    };
    let ja = a.clone();
    asyncio::submit(
        py,
        opts,
        &[a],
        Some(a),
        a.size(),
        move || ja.assign(&op(&ja, None)?),
        |py, ()| Ok(py.None()),
    )
}

pub fn add_functions(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(sum, m)?,
        wrap_pyfunction!(sum_async, m)?,
        wrap_pyfunction!(prod, m)?,
        wrap_pyfunction!(prod_async, m)?,
        wrap_pyfunction!(nansum, m)?,
        wrap_pyfunction!(nansum_async, m)?,
        wrap_pyfunction!(mean, m)?,
        wrap_pyfunction!(mean_async, m)?,
        wrap_pyfunction!(nanmean, m)?,
        wrap_pyfunction!(nanmean_async, m)?,
        wrap_pyfunction!(var_, m)?,
        wrap_pyfunction!(var_async, m)?,
        wrap_pyfunction!(std_, m)?,
        wrap_pyfunction!(std_async, m)?,
        wrap_pyfunction!(nanvar_, m)?,
        wrap_pyfunction!(nanvar_async, m)?,
        wrap_pyfunction!(nanstd_, m)?,
        wrap_pyfunction!(nanstd_async, m)?,
        wrap_pyfunction!(amax, m)?,
        wrap_pyfunction!(amax_async, m)?,
        wrap_pyfunction!(amin, m)?,
        wrap_pyfunction!(amin_async, m)?,
        wrap_pyfunction!(nanmax, m)?,
        wrap_pyfunction!(nanmax_async, m)?,
        wrap_pyfunction!(nanmin, m)?,
        wrap_pyfunction!(nanmin_async, m)?,
        wrap_pyfunction!(ptp, m)?,
        wrap_pyfunction!(ptp_async, m)?,
        wrap_pyfunction!(any, m)?,
        wrap_pyfunction!(any_async, m)?,
        wrap_pyfunction!(all, m)?,
        wrap_pyfunction!(all_async, m)?,
        wrap_pyfunction!(argmax, m)?,
        wrap_pyfunction!(argmax_async, m)?,
        wrap_pyfunction!(argmin, m)?,
        wrap_pyfunction!(argmin_async, m)?,
        wrap_pyfunction!(nanargmax, m)?,
        wrap_pyfunction!(nanargmax_async, m)?,
        wrap_pyfunction!(nanargmin, m)?,
        wrap_pyfunction!(nanargmin_async, m)?,
        wrap_pyfunction!(count_nonzero, m)?,
        wrap_pyfunction!(count_nonzero_async, m)?,
        wrap_pyfunction!(cumsum, m)?,
        wrap_pyfunction!(cumsum_async, m)?,
        wrap_pyfunction!(cumprod, m)?,
        wrap_pyfunction!(cumprod_async, m)?,
        wrap_pyfunction!(sort_, m)?,
        wrap_pyfunction!(sort_async, m)?,
        wrap_pyfunction!(argsort, m)?,
        wrap_pyfunction!(argsort_async, m)?,
        wrap_pyfunction!(partition, m)?,
        wrap_pyfunction!(partition_async, m)?,
        wrap_pyfunction!(argpartition, m)?,
        wrap_pyfunction!(argpartition_async, m)?,
        wrap_pyfunction!(topk, m)?,
        wrap_pyfunction!(topk_async, m)?,
        wrap_pyfunction!(unique, m)?,
        wrap_pyfunction!(unique_async, m)?,
        wrap_pyfunction!(searchsorted, m)?,
        wrap_pyfunction!(searchsorted_async, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
