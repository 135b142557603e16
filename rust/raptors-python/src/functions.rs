//! Module-level functions: creation and manipulation.

use crate::array::{opt_int_seq, shape_arg, signed_shape_arg, wrap, PyNdArray};
use crate::convert::{self, extract_scalar, to_ndarray};
use crate::dtype::extract_opt_dtype;
use crate::errors::run;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use raptors_core::ops::{create, manip};
use raptors_core::{layout, DType, NdArray, Scalar};

type Arr<'py> = PyResult<Bound<'py, PyNdArray>>;

fn arrays_of(seq: &Bound<'_, PyAny>) -> PyResult<Vec<NdArray>> {
    if seq.is_instance_of::<PyNdArray>() {
        let a = &seq.cast::<PyNdArray>()?.get().inner;
        return (0..a.shape().first().copied().unwrap_or(0))
            .map(|i| run(|| a.get(&[raptors_core::Index::Int(i as isize)])))
            .collect();
    }
    seq.try_iter()?.map(|o| to_ndarray(&o?, None)).collect()
}

/// `array(obj, dtype=None, copy=True)`: always a new array unless `copy=False`.
#[pyfunction]
#[pyo3(signature = (obj, /, dtype=None, *, copy=true, ndmin=0, fill_null=None))]
pub fn array<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    copy: Option<bool>,
    ndmin: usize,
    fill_null: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let dt = extract_opt_dtype(dtype)?;
    let out = asarray_impl(obj, dt, copy, fill_null)?;
    if out.ndim() >= ndmin {
        return wrap(py, out);
    }
    let mut shape = vec![1usize; ndmin - out.ndim()];
    shape.extend_from_slice(out.shape());
    let dims: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    wrap(py, run(|| out.reshape(&dims))?)
}

/// NumPy 2's copy keyword: True always copies, False never does (error if it must), None
/// copies only when needed.
fn asarray_impl(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    copy: Option<bool>,
    fill_null: Option<&Bound<'_, PyAny>>,
) -> PyResult<NdArray> {
    let fill = match fill_null {
        Some(f) if !f.is_none() => Some(fill_scalar(f)?),
        _ => None,
    };
    let (a, shares) = convert::to_ndarray_shared(obj, dtype, fill)?;
    match copy {
        Some(true) if shares => run(|| a.copy()),
        Some(false) if !shares => Err(PyValueError::new_err(
            "Unable to avoid copy while creating an array as requested.",
        )),
        _ => Ok(a),
    }
}

/// `asarray(obj, dtype=None, copy=None)`: shares memory with arrays and buffer exporters.
#[pyfunction]
#[pyo3(signature = (obj, /, dtype=None, *, device=None, copy=None, fill_null=None))]
pub fn asarray<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
    copy: Option<bool>,
    fill_null: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?;
    if let Ok(a) = obj.cast::<PyNdArray>() {
        // asarray returns the very same object when nothing changes, as NumPy does.
        if copy != Some(true) && dt.is_none_or(|d| d == a.get().inner.dtype()) {
            return Ok(a.clone().into_any());
        }
    }
    Ok(wrap(py, asarray_impl(obj, dt, copy, fill_null)?)?.into_any())
}

fn check_device(device: Option<&str>) -> PyResult<()> {
    match device {
        None | Some("cpu") => Ok(()),
        Some(d) => Err(PyValueError::new_err(format!(
            "unsupported device {d:?}: raptors arrays live on the CPU"
        ))),
    }
}

fn new_filled<'py>(
    py: Python<'py>,
    shape: Vec<usize>,
    value: Option<Scalar>,
    dtype: DType,
) -> Arr<'py> {
    let out = match value {
        None => run(|| NdArray::alloc(dtype, &shape, false))?,
        Some(v) => run(|| create::full(&shape, v, Some(dtype)))?,
    };
    wrap(py, out)
}

#[pyfunction]
#[pyo3(signature = (shape, dtype=None, *, device=None))]
pub fn zeros<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    new_filled(py, shape_arg(shape)?, Some(Scalar::Bool(false)), dt)
}

#[pyfunction]
#[pyo3(signature = (shape, dtype=None, *, device=None))]
pub fn ones<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    new_filled(py, shape_arg(shape)?, Some(Scalar::Bool(true)), dt)
}

#[pyfunction]
#[pyo3(signature = (shape, dtype=None, *, device=None))]
pub fn empty<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    new_filled(py, shape_arg(shape)?, None, dt)
}

pub(crate) fn fill_scalar(value: &Bound<'_, PyAny>) -> PyResult<Scalar> {
    extract_scalar(value)?.ok_or_else(|| PyTypeError::new_err("fill_value must be a scalar"))
}

fn checked_fill(value: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Scalar> {
    let s = fill_scalar(value)?;
    convert::check_scalar_for(s, dtype)?;
    Ok(s)
}

#[pyfunction]
#[pyo3(signature = (shape, fill_value, dtype=None, *, device=None))]
pub fn full<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    fill_value: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = match extract_opt_dtype(dtype)? {
        Some(d) => d,
        // The value's own dtype: bool/int64/float64 for Python scalars, kept for NumPy scalars.
        None => to_ndarray(fill_value, None)?.dtype(),
    };
    new_filled(
        py,
        shape_arg(shape)?,
        Some(checked_fill(fill_value, dt)?),
        dt,
    )
}

/// Shape and dtype for the `*_like` functions.
fn like(
    a: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    shape: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<usize>, DType)> {
    let a = to_ndarray(a, None)?;
    let dt = extract_opt_dtype(dtype)?.unwrap_or(a.dtype());
    let shape = match shape {
        Some(s) if !s.is_none() => shape_arg(s)?,
        _ => a.shape().to_vec(),
    };
    Ok((shape, dt))
}

#[pyfunction]
#[pyo3(signature = (a, /, dtype=None, *, shape=None, device=None))]
pub fn zeros_like<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let (shape, dt) = like(a, dtype, shape)?;
    new_filled(py, shape, Some(Scalar::Bool(false)), dt)
}

#[pyfunction]
#[pyo3(signature = (a, /, dtype=None, *, shape=None, device=None))]
pub fn ones_like<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let (shape, dt) = like(a, dtype, shape)?;
    new_filled(py, shape, Some(Scalar::Bool(true)), dt)
}

#[pyfunction]
#[pyo3(signature = (a, /, dtype=None, *, shape=None, device=None))]
pub fn empty_like<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let (shape, dt) = like(a, dtype, shape)?;
    new_filled(py, shape, None, dt)
}

#[pyfunction]
#[pyo3(signature = (a, /, fill_value, dtype=None, *, shape=None, device=None))]
pub fn full_like<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    fill_value: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    shape: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let (shape, dt) = like(a, dtype, shape)?;
    // NumPy's full_like casts the fill value into the array's dtype (unsafe casting).
    let s = fill_scalar(fill_value)?;
    // Python ints must fit (OverflowError); floats are cast unsafely, NaN included.
    if !matches!(s, Scalar::Float(_)) {
        convert::check_scalar_for(s, dt)?;
    }
    let out = run(|| {
        let out = NdArray::alloc(dt, &shape, false)?;
        out.fill(s)?;
        Ok(out)
    })?;
    wrap(py, out)
}

fn arange_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Scalar> {
    extract_scalar(obj)?.ok_or_else(|| PyTypeError::new_err("arange arguments must be numbers"))
}

/// `arange([start,] stop[, step], dtype=None)`.
#[pyfunction]
#[pyo3(signature = (start, stop=None, step=None, *, dtype=None, device=None))]
pub fn arange<'py>(
    py: Python<'py>,
    start: &Bound<'py, PyAny>,
    stop: Option<&Bound<'py, PyAny>>,
    step: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?;
    let (start, stop) = match stop.filter(|s| !s.is_none()) {
        Some(stop) => (arange_scalar(start)?, arange_scalar(stop)?),
        None => (Scalar::Int(0), arange_scalar(start)?),
    };
    let step = match step.filter(|s| !s.is_none()) {
        Some(s) => arange_scalar(s)?,
        None => Scalar::Int(1),
    };
    wrap(py, run(|| create::arange(start, stop, step, dt))?)
}

#[pyfunction]
#[pyo3(signature = (start, stop, /, num=50, *, endpoint=true, dtype=None, device=None))]
pub fn linspace<'py>(
    py: Python<'py>,
    start: f64,
    stop: f64,
    num: isize,
    endpoint: bool,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    let dt = extract_opt_dtype(dtype)?;
    wrap(
        py,
        run(|| create::linspace(start, stop, num, endpoint, dt))?,
    )
}

#[pyfunction]
#[pyo3(signature = (n_rows, n_cols=None, /, *, k=0, dtype=None, device=None))]
pub fn eye<'py>(
    py: Python<'py>,
    n_rows: isize,
    n_cols: Option<isize>,
    k: isize,
    dtype: Option<&Bound<'py, PyAny>>,
    device: Option<&str>,
) -> Arr<'py> {
    check_device(device)?;
    if n_rows < 0 || n_cols.is_some_and(|m| m < 0) {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    let (n_rows, n_cols) = (n_rows as usize, n_cols.map(|m| m as usize));
    let dt = extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    wrap(py, run(|| create::eye(n_rows, n_cols, k, dt))?)
}

#[pyfunction]
#[pyo3(signature = (n, dtype=None))]
pub fn identity<'py>(py: Python<'py>, n: isize, dtype: Option<&Bound<'py, PyAny>>) -> Arr<'py> {
    if n < 0 {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    let n = n as usize;
    let dt = extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    wrap(py, run(|| create::eye(n, None, 0, dt))?)
}

#[pyfunction]
#[pyo3(signature = (arrays, /, axis=0, *, dtype=None))]
pub fn concatenate<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: Option<isize>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let arrs = arrays_of(arrays)?;
    let dt = extract_opt_dtype(dtype)?;
    wrap(py, run(|| manip::concatenate(&arrs, axis, dt))?)
}

#[pyfunction]
#[pyo3(signature = (arrays, /, axis=0, *, dtype=None))]
pub fn stack<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: isize,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let arrs = arrays_of(arrays)?;
    let dt = extract_opt_dtype(dtype)?;
    wrap(py, run(|| manip::stack(&arrs, axis, dt))?)
}

/// A join (`concatenate`/`stack`) as a job on the pool: the inputs are converted on the loop
/// thread (argument errors surface at the await) and read-borrowed while it runs.
fn join_async<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
    join: impl FnOnce(&[NdArray], Option<DType>) -> raptors_core::Result<NdArray> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = (|| {
        let arrs = arrays_of(arrays)?;
        let dt = extract_opt_dtype(dtype)?;
        Ok::<_, PyErr>((arrs, dt, crate::asyncio::Opts::new(timeout)?))
    })();
    match prepared {
        Ok((arrs, dt, opts)) => {
            let size = arrs.iter().map(NdArray::size).sum();
            let inputs: Vec<&NdArray> = arrs.iter().collect();
            let job = arrs.clone();
            crate::asyncio::submit_array(py, opts, &inputs, None, size, move || join(&job, dt))
        }
        Err(e) => crate::asyncio::failed(py, e),
    }
}

/// Awaitable `concatenate`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (arrays, /, axis=0, *, dtype=None, timeout=None))]
pub fn concatenate_async<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: Option<isize>,
    dtype: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    join_async(py, arrays, dtype, timeout, move |a, dt| {
        manip::concatenate(a, axis, dt)
    })
}

/// Awaitable `stack`, computed on the Raptors pool.
#[pyfunction]
#[pyo3(signature = (arrays, /, axis=0, *, dtype=None, timeout=None))]
pub fn stack_async<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: isize,
    dtype: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    join_async(py, arrays, dtype, timeout, move |a, dt| {
        manip::stack(a, axis, dt)
    })
}

#[pyfunction]
#[pyo3(signature = (tup, *, dtype=None))]
pub fn hstack<'py>(
    py: Python<'py>,
    tup: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let arrs = arrays_of(tup)?;
    let dt = extract_opt_dtype(dtype)?;
    wrap(py, run(|| manip::hstack(&arrs, dt))?)
}

#[pyfunction]
#[pyo3(signature = (tup, *, dtype=None))]
pub fn vstack<'py>(
    py: Python<'py>,
    tup: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let arrs = arrays_of(tup)?;
    let dt = extract_opt_dtype(dtype)?;
    wrap(py, run(|| manip::vstack(&arrs, dt))?)
}

fn arg(a: &Bound<'_, PyAny>) -> PyResult<NdArray> {
    to_ndarray(a, None)
}

#[pyfunction]
#[pyo3(signature = (a, /, axis))]
pub fn expand_dims<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: &Bound<'py, PyAny>,
) -> Arr<'py> {
    let axes = opt_int_seq(Some(axis))?.ok_or_else(|| {
        PyTypeError::new_err("expand_dims() axis must be an int or a tuple of ints")
    })?;
    let a = arg(a)?;
    wrap(py, run(|| a.expand_dims(&axes))?)
}

#[pyfunction]
#[pyo3(signature = (a, /, axis=None))]
pub fn squeeze<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let axes = opt_int_seq(axis)?;
    let a = arg(a)?;
    wrap(py, run(|| a.squeeze(axes.as_deref()))?)
}

#[pyfunction]
#[pyo3(signature = (array, /, shape))]
pub fn broadcast_to<'py>(
    py: Python<'py>,
    array: &Bound<'py, PyAny>,
    shape: &Bound<'py, PyAny>,
) -> Arr<'py> {
    let shape = signed_shape_arg(shape)?;
    if shape.iter().any(|&d| d < 0) {
        return Err(PyValueError::new_err(
            "all elements of broadcast shape must be non-negative",
        ));
    }
    let shape: Vec<usize> = shape.into_iter().map(|d| d as usize).collect();
    let a = arg(array)?;
    wrap(py, run(|| a.broadcast_to(&shape))?)
}

#[pyfunction]
#[pyo3(signature = (*arrays))]
pub fn broadcast_arrays<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyList>> {
    let arrs = arrays
        .iter()
        .map(|a| arg(&a))
        .collect::<PyResult<Vec<_>>>()?;
    let out = run(|| manip::broadcast_arrays(&arrs))?;
    PyList::new(
        py,
        out.into_iter()
            .map(|a| wrap(py, a))
            .collect::<PyResult<Vec<_>>>()?,
    )
}

#[pyfunction]
#[pyo3(signature = (*shapes))]
pub fn broadcast_shapes<'py>(
    py: Python<'py>,
    shapes: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyTuple>> {
    let shapes = shapes
        .iter()
        .map(|s| shape_arg(&s))
        .collect::<PyResult<Vec<_>>>()?;
    let refs: Vec<&[usize]> = shapes.iter().map(|s| s.as_slice()).collect();
    PyTuple::new(py, run(|| layout::broadcast_shapes(&refs))?)
}

#[pyfunction]
#[pyo3(signature = (m, /, axis=None))]
pub fn flip<'py>(
    py: Python<'py>,
    m: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let axes = opt_int_seq(axis)?;
    let a = arg(m)?;
    wrap(py, run(|| a.flip(axes.as_deref()))?)
}

#[pyfunction]
#[pyo3(signature = (a, source, destination))]
pub fn moveaxis<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    source: &Bound<'py, PyAny>,
    destination: &Bound<'py, PyAny>,
) -> Arr<'py> {
    let (s, d) = (
        opt_int_seq(Some(source))?.unwrap_or_default(),
        opt_int_seq(Some(destination))?.unwrap_or_default(),
    );
    let a = arg(a)?;
    wrap(py, run(|| a.moveaxis(&s, &d))?)
}

#[pyfunction]
#[pyo3(signature = (a, axis1, axis2))]
pub fn swapaxes<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis1: isize,
    axis2: isize,
) -> Arr<'py> {
    let a = arg(a)?;
    wrap(py, run(|| a.swapaxes(axis1, axis2))?)
}

#[pyfunction]
#[pyo3(signature = (a, /, axes=None))]
pub fn transpose<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axes: Option<&Bound<'py, PyAny>>,
) -> Arr<'py> {
    let axes = opt_int_seq(axes)?;
    let a = arg(a)?;
    wrap(py, run(|| a.transpose(axes.as_deref()))?)
}

/// Array API `permute_dims(x, axes)`.
#[pyfunction]
#[pyo3(signature = (x, /, axes))]
pub fn permute_dims<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    axes: &Bound<'py, PyAny>,
) -> Arr<'py> {
    transpose(py, x, Some(axes))
}

#[pyfunction]
#[pyo3(signature = (a, /, shape, *, order="C", copy=None))]
pub fn reshape<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    shape: &Bound<'py, PyAny>,
    order: &str,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let arr = wrap(py, arg(a)?)?;
    let dims = PyTuple::new(py, opt_int_seq(Some(shape))?.unwrap_or_default())?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("order", order)?;
    kwargs.set_item("copy", copy)?;
    arr.call_method("reshape", (dims,), Some(&kwargs))
}

#[pyfunction]
#[pyo3(signature = (a, /, order="C"))]
pub fn ravel<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    order: &str,
) -> PyResult<Bound<'py, PyAny>> {
    wrap(py, arg(a)?)?.call_method1("ravel", (order,))
}

/// Array API `astype(x, dtype, /, *, copy=True)`.
#[pyfunction]
#[pyo3(signature = (x, dtype, /, *, copy=true, device=None))]
pub fn astype<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyNdArray>,
    dtype: &Bound<'py, PyAny>,
    copy: bool,
    device: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    check_device(device)?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("copy", copy)?;
    x.call_method("astype", (dtype,), Some(&kwargs))
}

/// `rp.shape(a)`, `rp.ndim(a)`, `rp.size(a)` as in NumPy.
#[pyfunction]
pub fn shape<'py>(py: Python<'py>, a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, arg(a)?.shape())
}
