//! `raptors.ndarray`: the Python face of `NdArray`.

use crate::convert::{self, check_scalar_for, extract_scalar, scalar_to_py, to_ndarray};
use crate::dtype::{dtype_obj, extract_dtype, PyDType};
use crate::errors::{run, IntoPy};
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyEllipsis, PyList, PySlice, PyTuple};
use raptors_core::dtype::Casting;
use raptors_core::ops::ufunc::{BinaryOp, UnaryOp};
use raptors_core::{DType, Index, NdArray, Scalar, SliceSpec};

/// An N-dimensional array over an Arrow buffer. Views share memory as in NumPy.
#[pyclass(name = "ndarray", module = "raptors", frozen, sequence)]
pub struct PyNdArray {
    pub inner: NdArray,
}

pub fn wrap(py: Python<'_>, inner: NdArray) -> PyResult<Bound<'_, PyNdArray>> {
    Bound::new(py, PyNdArray { inner })
}

/// Accepts `f(2, 3)`, `f((2, 3))`, `f([2, 3])` or `f(n)` as a list of integers.
pub fn int_args(args: &Bound<'_, PyTuple>) -> PyResult<Vec<isize>> {
    if args.len() == 1 {
        let a = args.get_item(0)?;
        if !convert::is_int(&a) && (a.is_instance_of::<PyTuple>() || a.is_instance_of::<PyList>()) {
            return a.extract();
        }
    }
    args.iter().map(|a| a.extract::<isize>()).collect()
}

/// An int or a sequence of ints (axis/shape arguments); `None` stays `None`.
pub fn opt_int_seq(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<isize>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => {
            if let Ok(v) = o.extract::<isize>() {
                Ok(Some(vec![v]))
            } else {
                Ok(Some(o.extract::<Vec<isize>>()?))
            }
        }
    }
}

/// One dimension of a shape argument: any integer; beyond `isize` is NumPy's ValueError.
fn dim_arg(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    let index = obj.call_method0("__index__").map_err(|_| {
        PyTypeError::new_err(format!(
            "'{}' object cannot be interpreted as an integer",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    index
        .extract::<isize>()
        .map_err(|_| PyValueError::new_err("Maximum allowed dimension exceeded"))
}

/// A shape argument (an int or a sequence of ints), before the sign check.
pub fn signed_shape_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<isize>> {
    if obj.hasattr("__index__")? && !obj.is_instance_of::<PyNdArray>() {
        return Ok(vec![dim_arg(obj)?]);
    }
    obj.try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "expected a sequence of integers or a single integer, got '{}'",
                obj.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })?
        .map(|d| dim_arg(&d?))
        .collect()
}

pub fn shape_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let dims = signed_shape_arg(obj)?;
    if dims.iter().any(|&d| d < 0) {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    Ok(dims.into_iter().map(|d| d as usize).collect())
}

fn slice_spec(s: &Bound<'_, PySlice>) -> PyResult<SliceSpec> {
    let part = |name: &str| -> PyResult<Option<isize>> {
        let v = s.getattr(name)?;
        if v.is_none() {
            Ok(None)
        } else {
            // Huge Python ints clamp like CPython's slice.indices.
            match v.extract::<isize>() {
                Ok(x) => Ok(Some(x)),
                Err(_) => {
                    let big: f64 = v.call_method0("__index__")?.extract()?;
                    Ok(Some(if big > 0.0 {
                        isize::MAX / 2
                    } else {
                        isize::MIN / 2
                    }))
                }
            }
        }
    };
    Ok(SliceSpec {
        start: part("start")?,
        stop: part("stop")?,
        step: part("step")?,
    })
}

const BAD_INDEX: &str = "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices";

fn index_item(obj: &Bound<'_, PyAny>) -> PyResult<Index> {
    if convert::is_int(obj) {
        return Ok(Index::Int(obj.extract()?));
    }
    if let Ok(s) = obj.cast::<PySlice>() {
        return Ok(Index::Slice(slice_spec(s)?));
    }
    if obj.is_none() {
        return Ok(Index::NewAxis);
    }
    if obj.is_instance_of::<PyEllipsis>() {
        return Ok(Index::Ellipsis);
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Index::Array(a.get().inner.clone()));
    }
    if obj.is_instance_of::<PyList>() {
        // NumPy reads an empty list (float64 when alone) as an empty integer index.
        let a = convert::from_nested(obj, None)?;
        let a = if a.size() == 0 {
            run(|| a.astype(DType::Int64))?
        } else {
            a
        };
        if a.dtype().is_float() {
            return Err(PyIndexError::new_err(BAD_INDEX));
        }
        return Ok(Index::Array(a));
    }
    if let Some(a) = convert::from_buffer_protocol(obj)? {
        return Ok(Index::Array(a));
    }
    match extract_scalar(obj)? {
        Some(Scalar::Bool(b)) => {
            return Ok(Index::Array(convert::scalar_array(Scalar::Bool(b), None)?))
        }
        Some(Scalar::Int(i)) if obj.hasattr("__index__")? => return Ok(Index::Int(i as isize)),
        Some(_) => return Err(PyIndexError::new_err(BAD_INDEX)),
        None => {}
    }
    Err(PyIndexError::new_err(BAD_INDEX))
}

fn parse_index(key: &Bound<'_, PyAny>) -> PyResult<Vec<Index>> {
    match key.cast::<PyTuple>() {
        Ok(t) => t.iter().map(|k| index_item(&k)).collect(),
        Err(_) => Ok(vec![index_item(key)?]),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    C,
    F,
}

/// NumPy's `order=`: 'C', 'F', 'A' (F when only Fortran-contiguous) and, where the element
/// order may follow memory, 'K' (taken as 'A'); any case.
fn parse_order(order: &str, a: &NdArray, allow_k: bool) -> PyResult<Order> {
    let fortran_only = a.is_f_contiguous() && !a.is_c_contiguous();
    match order {
        "C" | "c" => Ok(Order::C),
        "F" | "f" => Ok(Order::F),
        "A" | "a" => Ok(if fortran_only { Order::F } else { Order::C }),
        "K" | "k" if allow_k => Ok(if fortran_only { Order::F } else { Order::C }),
        "K" | "k" => Err(PyValueError::new_err(
            "order 'K' is not permitted for reshaping",
        )),
        other => Err(PyValueError::new_err(format!(
            "order must be one of 'C', 'F', 'A', or 'K' (got '{other}')"
        ))),
    }
}

/// NumPy's TypeError for a cast the casting rule forbids.
fn check_cast(from: DType, to: DType, casting: Casting) -> PyResult<()> {
    if from.can_cast(to, casting) {
        return Ok(());
    }
    let rule = match casting {
        Casting::No => "no",
        Casting::Equiv => "equiv",
        Casting::Safe => "safe",
        Casting::SameKind => "same_kind",
        Casting::Unsafe => "unsafe",
    };
    Err(PyTypeError::new_err(format!(
        "Cannot cast array data from dtype('{from}') to dtype('{to}') according to the rule '{rule}'"
    )))
}

/// A binary operator: NumPy's result, or NotImplemented when `other` is not array-like (so
/// Python can try the other operand, or fall back to identity for `==`).
fn operator<'py>(
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    op: BinaryOp,
    other: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    if !crate::convert::is_array_like(other)? {
        return Ok(other.py().NotImplemented().into_bound(other.py()));
    }
    crate::ufunc::binary(other.py(), op, x1, x2, None).map(Bound::into_any)
}

fn no_modulo(modulo: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match modulo {
        Some(m) if !m.is_none() => Err(PyTypeError::new_err(
            "pow() with a modulus is not supported for arrays",
        )),
        _ => Ok(()),
    }
}

impl PyNdArray {
    fn scalar_or_array<'py>(
        py: Python<'py>,
        a: NdArray,
        index: &[Index],
        ndim: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        // 0-d integer arrays index like integers (the core treats them so too).
        let int_like = |i: &Index| match i {
            Index::Int(_) => true,
            Index::Array(a) => a.ndim() == 0 && a.dtype().is_integer(),
            _ => false,
        };
        let all_ints = index.len() == ndim && index.iter().all(int_like);
        if all_ints {
            scalar_to_py(py, a.item().py_err()?)
        } else {
            Ok(wrap(py, a)?.into_any())
        }
    }

    fn len_checked(&self) -> PyResult<usize> {
        match self.inner.shape().first() {
            Some(&n) => Ok(n),
            None => Err(PyTypeError::new_err("len() of unsized object")),
        }
    }

    fn scalar_of_size_one(&self, what: &str) -> PyResult<Scalar> {
        if self.inner.ndim() != 0 {
            return Err(PyTypeError::new_err(format!(
                "only 0-dimensional arrays can be converted to {what}"
            )));
        }
        self.inner.item().py_err()
    }
}

/// Reading an array while a write into its buffer is under way (an async job filling its
/// `out=`, or a sync kernel on another thread) would race with that write: refused.
pub(crate) fn check_readable(a: &NdArray) -> PyResult<()> {
    if a.borrow_state().is_writing() {
        return Err(pyo3::exceptions::PyBufferError::new_err(
            "cannot read the array: a write into its buffer is in progress (an async job's \
             out=); await the job first",
        ));
    }
    Ok(())
}

/// What `repr`/`str` show instead of values that are being written.
fn being_written(a: &NdArray) -> String {
    format!(
        "<raptors.ndarray shape={:?} dtype={}: being written by a job>",
        a.shape(),
        a.dtype().name()
    )
}

#[pymethods]
impl PyNdArray {
    #[classattr]
    const __hash__: Option<Py<PyAny>> = None;

    #[new]
    #[pyo3(signature = (shape, dtype=None))]
    fn py_new(shape: &Bound<'_, PyAny>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let dt = crate::dtype::extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
        let shape = shape_arg(shape)?;
        Ok(PyNdArray {
            inner: run(|| NdArray::zeros(dt, &shape))?,
        })
    }

    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.shape())
    }
    #[getter]
    fn ndim(&self) -> usize {
        self.inner.ndim()
    }
    #[getter]
    fn size(&self) -> usize {
        self.inner.size()
    }
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDType>> {
        dtype_obj(py, self.inner.dtype())
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.inner.itemsize()
    }
    #[getter]
    fn nbytes(&self) -> usize {
        self.inner.nbytes()
    }
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.strides())
    }
    #[getter]
    fn c_contiguous(&self) -> bool {
        self.inner.is_c_contiguous()
    }
    #[getter]
    fn f_contiguous(&self) -> bool {
        self.inner.is_f_contiguous()
    }
    #[getter]
    fn writeable(&self) -> bool {
        self.inner.is_writeable()
    }
    /// The array API's device: always the CPU.
    #[getter]
    fn device(&self) -> &'static str {
        "cpu"
    }
    #[pyo3(signature = (device, /, *, stream=None))]
    fn to_device<'py>(
        slf: Bound<'py, Self>,
        device: &str,
        stream: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, Self>> {
        if device != "cpu" || stream.is_some_and(|s| !s.is_none()) {
            return Err(PyValueError::new_err(format!(
                "unsupported device {device:?}: raptors arrays live on the CPU"
            )));
        }
        Ok(slf)
    }
    /// Data address of the first element (for zero-copy checks and interop).
    #[getter]
    fn data_ptr(&self) -> usize {
        self.inner.data_ptr() as usize
    }
    #[getter(T)]
    fn t<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Self>> {
        wrap(py, run(|| self.inner.transpose(None))?)
    }
    /// Transpose of the last two axes (array API `mT`).
    #[getter(mT)]
    fn m_t<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Self>> {
        if self.inner.ndim() < 2 {
            return Err(PyValueError::new_err(
                "matrix transpose with ndim < 2 is undefined",
            ));
        }
        wrap(py, run(|| self.inner.swapaxes(-1, -2))?)
    }

    #[pyo3(signature = (*shape, order="C", copy=None))]
    fn reshape<'py>(
        &self,
        py: Python<'py>,
        shape: &Bound<'py, PyTuple>,
        order: &str,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, Self>> {
        let dims = int_args(shape)?;
        let a = &self.inner;
        let out = match parse_order(order, a, false)? {
            Order::C => match copy {
                Some(true) => run(|| a.copy()?.reshape(&dims))?,
                Some(false) => {
                    let shape = run(|| a.resolve_shape(&dims))?;
                    a.reshape_view(&shape).ok_or_else(|| {
                        PyValueError::new_err("Unable to avoid creating a copy while reshaping.")
                    })?
                }
                None => run(|| a.reshape(&dims))?,
            },
            Order::F => {
                // Fortran order is C order on the reversed axes.
                let rev: Vec<isize> = dims.iter().rev().copied().collect();
                let t = run(|| a.transpose(None))?;
                let shape = run(|| t.resolve_shape(&rev))?;
                let view = match copy {
                    Some(true) => None,
                    _ => t.reshape_view(&shape),
                };
                let out = match (view, copy) {
                    (Some(v), _) => v,
                    (None, Some(false)) => {
                        return Err(PyValueError::new_err(
                            "Unable to avoid creating a copy while reshaping.",
                        ))
                    }
                    (None, _) => run(|| t.copy()?.reshape(&rev))?,
                };
                run(|| out.transpose(None))?
            }
        };
        wrap(py, out)
    }

    #[pyo3(signature = (*axes))]
    fn transpose<'py>(
        &self,
        py: Python<'py>,
        axes: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, Self>> {
        let axes = if axes.is_empty() || (axes.len() == 1 && axes.get_item(0)?.is_none()) {
            None
        } else {
            Some(int_args(axes)?)
        };
        wrap(py, run(|| self.inner.transpose(axes.as_deref()))?)
    }

    #[pyo3(signature = (order="C"))]
    fn ravel<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, Self>> {
        let a = if parse_order(order, &self.inner, true)? == Order::F {
            run(|| self.inner.transpose(None))?
        } else {
            self.inner.clone()
        };
        wrap(py, run(|| a.reshape(&[-1]))?)
    }

    #[pyo3(signature = (order="C"))]
    fn flatten<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, Self>> {
        let a = if parse_order(order, &self.inner, true)? == Order::F {
            run(|| self.inner.transpose(None))?
        } else {
            self.inner.clone()
        };
        wrap(py, run(|| a.copy()?.reshape(&[-1]))?)
    }

    fn copy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Self>> {
        check_readable(&self.inner)?;
        wrap(py, run(|| self.inner.copy())?)
    }

    fn __copy__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, Self>> {
        self.copy(py)
    }

    fn __deepcopy__<'py>(
        &self,
        py: Python<'py>,
        _memo: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Self>> {
        self.copy(py)
    }

    #[pyo3(signature = (dtype, casting="unsafe", copy=true))]
    fn astype<'py>(
        slf: Bound<'py, Self>,
        dtype: &Bound<'py, PyAny>,
        casting: &str,
        copy: bool,
    ) -> PyResult<Bound<'py, Self>> {
        check_readable(&slf.get().inner)?;
        let py = slf.py();
        let to = extract_dtype(dtype)?;
        let a = &slf.get().inner;
        let casting = Casting::parse(casting).py_err()?;
        check_cast(a.dtype(), to, casting)?;
        if !copy && to == a.dtype() {
            return Ok(slf);
        }
        wrap(py, run(|| a.astype(to))?)
    }

    /// Awaitable `astype`: converts on the Raptors pool; the loop stays free.
    #[pyo3(signature = (dtype, casting="unsafe", *, timeout=None))]
    fn astype_async<'py>(
        &self,
        py: Python<'py>,
        dtype: &Bound<'py, PyAny>,
        casting: &str,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let prepared = (|| {
            let to = extract_dtype(dtype)?;
            let casting = Casting::parse(casting).py_err()?;
            check_cast(self.inner.dtype(), to, casting)?;
            Ok::<_, PyErr>((to, crate::asyncio::Opts::new(timeout)?))
        })();
        match prepared {
            Ok((to, opts)) => {
                let a = self.inner.clone();
                crate::asyncio::submit_array(py, opts, &[&self.inner], None, a.size(), move || {
                    a.astype(to)
                })
            }
            Err(e) => crate::asyncio::failed(py, e),
        }
    }

    /// Awaitable `copy`.
    #[pyo3(signature = (*, timeout=None))]
    fn copy_async<'py>(
        &self,
        py: Python<'py>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match crate::asyncio::Opts::new(timeout) {
            Ok(opts) => {
                let a = self.inner.clone();
                crate::asyncio::submit_array(py, opts, &[&self.inner], None, a.size(), move || {
                    a.copy()
                })
            }
            Err(e) => crate::asyncio::failed(py, e),
        }
    }

    fn tolist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&self.inner)?;
        convert::tolist(py, &self.inner)
    }

    #[pyo3(signature = (*args))]
    fn item<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&self.inner)?;
        let a = &self.inner;
        let s = if args.is_empty() {
            a.item().py_err()?
        } else {
            let idx = int_args(args)?;
            if idx.len() == 1 && a.ndim() != 1 {
                // A flat index into the C-order elements.
                let n = a.size() as isize;
                let k = if idx[0] < 0 { idx[0] + n } else { idx[0] };
                if k < 0 || k >= n {
                    return Err(PyIndexError::new_err(format!(
                        "index {} is out of bounds for size {n}",
                        idx[0]
                    )));
                }
                let mut rem = k as usize;
                let mut multi = vec![0usize; a.ndim()];
                for d in (0..a.ndim()).rev() {
                    multi[d] = rem % a.shape()[d];
                    rem /= a.shape()[d];
                }
                a.get_scalar(&multi)
            } else {
                let items: Vec<Index> = idx.into_iter().map(Index::Int).collect();
                if items.len() != a.ndim() {
                    return Err(PyValueError::new_err(
                        "incorrect number of indices for array",
                    ));
                }
                run(|| a.get(&items)?.item())?
            }
        };
        scalar_to_py(py, s)
    }

    fn fill(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let s = extract_scalar(value)?
            .ok_or_else(|| PyTypeError::new_err("fill value must be a scalar"))?;
        check_scalar_for(s, self.inner.dtype())?;
        run(|| self.inner.fill(s))
    }

    fn __len__(&self) -> PyResult<usize> {
        self.len_checked()
    }

    fn __iter__<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&slf.get().inner)?;
        let py = slf.py();
        let a = &slf.get().inner;
        if a.ndim() == 0 {
            return Err(PyTypeError::new_err("iteration over a 0-d array"));
        }
        // Iterating yields a[0], a[1], ...: scalars for 1-d, views otherwise.
        if a.ndim() == 1 {
            return convert::tolist(py, a)?.try_iter().map(|i| i.into_any());
        }
        let rows = (0..a.shape()[0])
            .map(|i| wrap(py, run(|| a.get(&[Index::Int(i as isize)]))?))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, rows)?.try_iter().map(|i| i.into_any())
    }

    fn __bool__(&self) -> PyResult<bool> {
        check_readable(&self.inner)?;
        match self.inner.size() {
            1 => Ok(match self.inner.item().py_err()? {
                Scalar::Bool(b) => b,
                Scalar::Int(i) => i != 0,
                Scalar::UInt(u) => u != 0,
                Scalar::Float(f) => f != 0.0,
            }),
            0 => Err(PyValueError::new_err(
                "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.",
            )),
            _ => Err(PyValueError::new_err(
                "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()",
            )),
        }
    }

    fn __int__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&self.inner)?;
        let s = self.scalar_of_size_one("Python scalars")?;
        match s {
            Scalar::Float(f) => Ok(py.get_type::<pyo3::types::PyInt>().call1((f,))?),
            other => scalar_to_py(
                py,
                match other {
                    Scalar::Bool(b) => Scalar::Int(b as i64),
                    o => o,
                },
            ),
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        check_readable(&self.inner)?;
        Ok(match self.scalar_of_size_one("Python scalars")? {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::UInt(u) => u as f64,
            Scalar::Float(f) => f,
        })
    }

    fn __index__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&self.inner)?;
        if self.inner.ndim() != 0 || !self.inner.dtype().is_integer() {
            return Err(PyTypeError::new_err(
                "only integer scalar arrays can be converted to a scalar index",
            ));
        }
        scalar_to_py(py, self.inner.item().py_err()?)
    }

    fn __repr__(&self) -> String {
        if self.inner.borrow_state().is_writing() {
            return being_written(&self.inner);
        }
        raptors_core::format::array_repr(&self.inner)
    }

    fn __str__(&self) -> String {
        if self.inner.borrow_state().is_writing() {
            return being_written(&self.inner);
        }
        raptors_core::format::array_str(&self.inner)
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&self.inner)?;
        let a = &self.inner;
        // Fast path: a[i] on a 1-d array.
        if a.ndim() == 1 && convert::is_int(key) {
            let i: isize = key.extract()?;
            let n = a.shape()[0] as isize;
            let k = if i < 0 { i + n } else { i };
            if k < 0 || k >= n {
                return Err(PyIndexError::new_err(format!(
                    "index {i} is out of bounds for axis 0 with size {n}"
                )));
            }
            return scalar_to_py(py, a.get_scalar(&[k as usize]));
        }
        let index = parse_index(key)?;
        let out = run(|| a.get(&index))?;
        Self::scalar_or_array(py, out, &index, a.ndim())
    }

    fn __setitem__(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let index = parse_index(key)?;
        let a = &self.inner;
        let value = match extract_scalar(value)? {
            Some(s) if !value.is_instance_of::<PyNdArray>() => {
                check_scalar_for(s, a.dtype())?;
                convert::scalar_array(s, Some(a.dtype()))?
            }
            _ => to_ndarray(value, None)?,
        };
        run(|| a.set(&index, &value))
    }

    fn __reduce_ex__<'py>(slf: &Bound<'py, Self>, protocol: i64) -> PyResult<Bound<'py, PyTuple>> {
        check_readable(&slf.get().inner)?;
        crate::interop::reduce_ex(slf, protocol)
    }

    /// The C-order bytes of the elements.
    fn tobytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        check_readable(&self.inner)?;
        crate::interop::tobytes(py, &self.inner)
    }

    /// Buffer protocol export (NumPy, memoryview): writable only on request, when the array is
    /// writeable and no job reads it.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut pyo3::ffi::Py_buffer,
        flags: std::ffi::c_int,
    ) -> PyResult<()> {
        check_readable(&slf.get().inner)?;
        // SAFETY: forwarded from CPython's bf_getbuffer.
        unsafe { crate::interop::get_buffer(&slf, view, flags) }
    }

    unsafe fn __releasebuffer__(&self, view: *mut pyo3::ffi::Py_buffer) {
        // SAFETY: view was filled by __getbuffer__.
        unsafe { crate::interop::release_buffer(view) }
    }

    /// `a.sum(axis=None, dtype=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false))]
    fn sum<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::sum(slf.py(), slf.as_any(), axis, dtype, out, keepdims)
    }

    /// `a.prod(axis=None, dtype=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false))]
    fn prod<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::prod(slf.py(), slf.as_any(), axis, dtype, out, keepdims)
    }

    /// `a.mean(axis=None, dtype=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false))]
    fn mean<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::mean(slf.py(), slf.as_any(), axis, dtype, out, keepdims)
    }

    /// `a.var(axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None))]
    #[allow(clippy::too_many_arguments)]
    fn var<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        ddof: f64,
        keepdims: bool,
        correction: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        crate::reduce::var_(
            py,
            slf.as_any(),
            axis,
            dtype,
            out,
            ddof,
            keepdims,
            correction,
        )
    }

    /// `a.std(axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None))]
    #[allow(clippy::too_many_arguments)]
    fn std<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        ddof: f64,
        keepdims: bool,
        correction: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        crate::reduce::std_(
            py,
            slf.as_any(),
            axis,
            dtype,
            out,
            ddof,
            keepdims,
            correction,
        )
    }

    /// `a.max(axis=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false))]
    fn max<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::amax(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.min(axis=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false))]
    fn min<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::amin(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.any(axis=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false))]
    fn any<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::any(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.all(axis=None, out=None, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false))]
    fn all<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::all(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.argmax(axis=None, out=None, *, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmax<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::argmax(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.argmin(axis=None, out=None, *, keepdims=False)`.
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmin<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::argmin(slf.py(), slf.as_any(), axis, out, keepdims)
    }

    /// `a.cumsum(axis=None, dtype=None, out=None)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None))]
    fn cumsum<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::cumsum(slf.py(), slf.as_any(), axis, dtype, out)
    }

    /// `a.cumprod(axis=None, dtype=None, out=None)`.
    #[pyo3(signature = (axis=None, dtype=None, out=None))]
    fn cumprod<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::cumprod(slf.py(), slf.as_any(), axis, dtype, out)
    }

    /// `a.sort(axis=-1, kind=None, order=None, *, descending=False, stable=None)`: in place.
    #[pyo3(signature = (axis=-1, kind=None, order=None, *, descending=false, stable=None), text_signature = "($self, axis=-1, kind=None, order=None, *, descending=False, stable=None)")]
    fn sort(
        &self,
        py: Python<'_>,
        axis: isize,
        kind: Option<&str>,
        order: Option<&Bound<'_, PyAny>>,
        descending: bool,
        stable: Option<bool>,
    ) -> PyResult<()> {
        crate::reduce::sort_inplace(py, &self.inner, axis, kind, order, descending, stable)
    }

    /// Awaitable `a.sort(...)`: sorts in place on the Raptors pool; `a` is write-borrowed
    /// until the job ends.
    #[pyo3(signature = (axis=-1, kind=None, order=None, *, descending=false, stable=None, timeout=None), text_signature = "($self, axis=-1, kind=None, order=None, *, descending=False, stable=None, timeout=None)")]
    #[allow(clippy::too_many_arguments)]
    fn sort_async<'py>(
        &self,
        py: Python<'py>,
        axis: isize,
        kind: Option<&str>,
        order: Option<&Bound<'py, PyAny>>,
        descending: bool,
        stable: Option<bool>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::sort_inplace_async(
            py,
            &self.inner,
            axis,
            kind,
            order,
            descending,
            stable,
            timeout,
        )
    }

    /// `a.argsort(axis=-1, kind=None, order=None, *, descending=False, stable=None)`.
    #[pyo3(signature = (axis=Some(-1), kind=None, order=None, *, descending=false, stable=None), text_signature = "($self, axis=-1, kind=None, order=None, *, descending=False, stable=None)")]
    fn argsort<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        kind: Option<&str>,
        order: Option<&Bound<'py, PyAny>>,
        descending: bool,
        stable: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        crate::reduce::argsort(py, slf.as_any(), axis, kind, order, descending, stable)
    }

    /// `a.topk(k, axis=-1, largest=True, sorted=True) -> (values, indices)`.
    #[pyo3(signature = (k, axis=Some(-1), largest=true, sorted=true), text_signature = "($self, k, axis=-1, largest=True, sorted=True)")]
    fn topk<'py>(
        slf: &Bound<'py, Self>,
        k: isize,
        axis: Option<isize>,
        largest: bool,
        sorted: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::reduce::topk(slf.py(), slf.as_any(), k, axis, largest, sorted)
    }

    /// Awaitable `a.sum`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, timeout=None))]
    fn sum_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        crate::reduce::sum_async(py, slf.as_any(), axis, dtype, out, keepdims, timeout)
    }

    /// Awaitable `a.mean`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, timeout=None))]
    fn mean_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        crate::reduce::mean_async(py, slf.as_any(), axis, dtype, out, keepdims, timeout)
    }

    /// Awaitable `a.max`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false, *, timeout=None))]
    fn max_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::amax_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.min`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false, *, timeout=None))]
    fn min_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::amin_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.argmax`.
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false, timeout=None))]
    fn argmax_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::argmax_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.argmin`.
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false, timeout=None))]
    fn argmin_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::argmin_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.argsort` (a new array; the in-place `a.sort` has no twin).
    #[pyo3(signature = (axis=Some(-1), kind=None, order=None, *, descending=false, stable=None, timeout=None), text_signature = "($self, axis=-1, kind=None, order=None, *, descending=False, stable=None, timeout=None)")]
    #[allow(clippy::too_many_arguments)]
    fn argsort_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        kind: Option<&str>,
        order: Option<&Bound<'py, PyAny>>,
        descending: bool,
        stable: Option<bool>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        crate::reduce::argsort_async(
            py,
            slf.as_any(),
            axis,
            kind,
            order,
            descending,
            stable,
            timeout,
        )
    }

    /// Awaitable `a.topk`.
    #[pyo3(signature = (k, axis=Some(-1), largest=true, sorted=true, *, timeout=None), text_signature = "($self, k, axis=-1, largest=True, sorted=True, *, timeout=None)")]
    fn topk_async<'py>(
        slf: &Bound<'py, Self>,
        k: isize,
        axis: Option<isize>,
        largest: bool,
        sorted: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        crate::reduce::topk_async(py, slf.as_any(), k, axis, largest, sorted, timeout)
    }

    /// Awaitable `a.prod`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, timeout=None))]
    fn prod_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::prod_async(slf.py(), slf.as_any(), axis, dtype, out, keepdims, timeout)
    }

    /// Awaitable `a.var`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn var_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        ddof: f64,
        keepdims: bool,
        correction: Option<f64>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (py, a) = (slf.py(), slf.as_any());
        crate::reduce::var_async(py, a, axis, dtype, out, ddof, keepdims, correction, timeout)
    }

    /// Awaitable `a.std`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=0.0, keepdims=false, *, correction=None, timeout=None))]
    #[allow(clippy::too_many_arguments)]
    fn std_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        ddof: f64,
        keepdims: bool,
        correction: Option<f64>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (py, a) = (slf.py(), slf.as_any());
        crate::reduce::std_async(py, a, axis, dtype, out, ddof, keepdims, correction, timeout)
    }

    /// Awaitable `a.any`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false, *, timeout=None))]
    fn any_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::any_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.all`.
    #[pyo3(signature = (axis=None, out=None, keepdims=false, *, timeout=None))]
    fn all_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        keepdims: bool,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::all_async(slf.py(), slf.as_any(), axis, out, keepdims, timeout)
    }

    /// Awaitable `a.cumsum`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, *, timeout=None))]
    fn cumsum_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::cumsum_async(slf.py(), slf.as_any(), axis, dtype, out, timeout)
    }

    /// Awaitable `a.cumprod`.
    #[pyo3(signature = (axis=None, dtype=None, out=None, *, timeout=None))]
    fn cumprod_async<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<isize>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::reduce::cumprod_async(slf.py(), slf.as_any(), axis, dtype, out, timeout)
    }

    /// `a.round(decimals=0)`.
    #[pyo3(signature = (decimals=0, out=None))]
    fn round<'py>(
        slf: &Bound<'py, Self>,
        decimals: i32,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Bound<'py, Self>> {
        crate::ufunc::round(slf.py(), slf.as_any(), decimals, out)
    }

    /// `a.clip(min, max)`.
    #[pyo3(signature = (min=None, max=None, *, out=None))]
    fn clip<'py>(
        slf: &Bound<'py, Self>,
        min: Option<&Bound<'py, PyAny>>,
        max: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Bound<'py, Self>> {
        crate::ufunc::clip(slf.py(), slf.as_any(), min, max, out)
    }

    /// Awaitable `a.round`.
    #[pyo3(signature = (decimals=0, out=None, *, timeout=None))]
    fn round_async<'py>(
        slf: &Bound<'py, Self>,
        decimals: i32,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::ufunc::round_async(slf.py(), slf.as_any(), decimals, out, timeout)
    }

    /// Awaitable `a.clip`.
    #[pyo3(signature = (min=None, max=None, *, out=None, timeout=None))]
    fn clip_async<'py>(
        slf: &Bound<'py, Self>,
        min: Option<&Bound<'py, PyAny>>,
        max: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::ufunc::clip_async(slf.py(), slf.as_any(), min, max, out, timeout)
    }

    /// `a.dot(b, out=None)`.
    #[pyo3(signature = (b, out=None))]
    fn dot<'py>(
        slf: &Bound<'py, Self>,
        b: &Bound<'py, PyAny>,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Py<PyAny>> {
        crate::linalg::dot(slf.py(), slf.as_any(), b, out)
    }

    /// Awaitable `a.dot(b)`.
    #[pyo3(signature = (b, out=None, *, timeout=None))]
    fn dot_async<'py>(
        slf: &Bound<'py, Self>,
        b: &Bound<'py, PyAny>,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::linalg::dot_async(slf.py(), slf.as_any(), b, out, timeout)
    }

    /// Awaitable `a @ b`.
    #[pyo3(signature = (other, /, out=None, *, timeout=None))]
    fn matmul_async<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
        out: Option<&Bound<'py, Self>>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::linalg::matmul_async(slf.py(), slf.as_any(), other, out, timeout)
    }

    /// `a.diagonal(offset=0, axis1=0, axis2=1)`: a read-only view.
    #[pyo3(signature = (offset=0, axis1=0, axis2=1))]
    fn diagonal<'py>(
        slf: &Bound<'py, Self>,
        offset: isize,
        axis1: isize,
        axis2: isize,
    ) -> PyResult<Bound<'py, Self>> {
        crate::linalg::diagonal(slf.py(), slf.as_any(), offset, axis1, axis2)
    }

    /// `a.trace(offset=0, axis1=0, axis2=1, dtype=None, out=None)`.
    #[pyo3(signature = (offset=0, axis1=0, axis2=1, dtype=None, out=None))]
    fn trace<'py>(
        slf: &Bound<'py, Self>,
        offset: isize,
        axis1: isize,
        axis2: isize,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, Self>>,
    ) -> PyResult<Py<PyAny>> {
        crate::linalg::trace(slf.py(), slf.as_any(), offset, axis1, axis2, dtype, out)
    }

    fn __matmul__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::linalg::matmul_operator(slf.as_any(), other, other)
    }
    fn __rmatmul__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::linalg::matmul_operator(other, slf.as_any(), other)
    }
    fn __imatmul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::linalg::matmul_inplace(slf, other)
    }

    // ---- operators: NumPy semantics through the ufuncs; NotImplemented for foreign types ----
    fn __add__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Add, other)
    }
    fn __radd__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::Add, other)
    }
    fn __iadd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(slf.py(), BinaryOp::Add, slf.as_any(), other, Some(slf)).map(drop)
    }
    fn __sub__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Subtract, other)
    }
    fn __rsub__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::Subtract, other)
    }
    fn __isub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(slf.py(), BinaryOp::Subtract, slf.as_any(), other, Some(slf)).map(drop)
    }
    fn __mul__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Multiply, other)
    }
    fn __rmul__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::Multiply, other)
    }
    fn __imul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(slf.py(), BinaryOp::Multiply, slf.as_any(), other, Some(slf)).map(drop)
    }
    fn __truediv__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::TrueDivide, other)
    }
    fn __rtruediv__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::TrueDivide, other)
    }
    fn __itruediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::TrueDivide,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __floordiv__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::FloorDivide, other)
    }
    fn __rfloordiv__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::FloorDivide, other)
    }
    fn __ifloordiv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::FloorDivide,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __mod__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Remainder, other)
    }
    fn __rmod__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::Remainder, other)
    }
    fn __imod__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::Remainder,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __and__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::BitwiseAnd, other)
    }
    fn __rand__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::BitwiseAnd, other)
    }
    fn __iand__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::BitwiseAnd,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __or__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::BitwiseOr, other)
    }
    fn __ror__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::BitwiseOr, other)
    }
    fn __ior__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::BitwiseOr,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __xor__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::BitwiseXor, other)
    }
    fn __rxor__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::BitwiseXor, other)
    }
    fn __ixor__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::BitwiseXor,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __lshift__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::LeftShift, other)
    }
    fn __rlshift__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::LeftShift, other)
    }
    fn __ilshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::LeftShift,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __rshift__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::RightShift, other)
    }
    fn __rrshift__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(other, slf.as_any(), BinaryOp::RightShift, other)
    }
    fn __irshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::ufunc::binary(
            slf.py(),
            BinaryOp::RightShift,
            slf.as_any(),
            other,
            Some(slf),
        )
        .map(drop)
    }
    fn __pow__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
        modulo: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        no_modulo(modulo)?;
        // NumPy's fast path: `a ** 2` is `square(a)` (bool ** 2 is int8, as there).
        if other.is_exact_instance_of::<pyo3::types::PyInt>() && other.eq(2)? {
            return crate::ufunc::unary(slf.py(), UnaryOp::Square, slf.as_any(), None)
                .map(Bound::into_any);
        }
        operator(slf.as_any(), other, BinaryOp::Power, other)
    }
    fn __rpow__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
        modulo: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        no_modulo(modulo)?;
        operator(other, slf.as_any(), BinaryOp::Power, other)
    }
    fn __ipow__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        no_modulo(modulo)?;
        crate::ufunc::binary(slf.py(), BinaryOp::Power, slf.as_any(), other, Some(slf)).map(drop)
    }
    fn __eq__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Equal, other)
    }
    fn __ne__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::NotEqual, other)
    }
    fn __lt__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Less, other)
    }
    fn __le__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::LessEqual, other)
    }
    fn __gt__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::Greater, other)
    }
    fn __ge__<'py>(
        slf: &Bound<'py, Self>,
        other: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        operator(slf.as_any(), other, BinaryOp::GreaterEqual, other)
    }
    fn __neg__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        crate::ufunc::unary(slf.py(), UnaryOp::Negative, slf.as_any(), None)
    }
    fn __pos__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        crate::ufunc::unary(slf.py(), UnaryOp::Positive, slf.as_any(), None)
    }
    fn __abs__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        crate::ufunc::unary(slf.py(), UnaryOp::Absolute, slf.as_any(), None)
    }
    fn __invert__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        crate::ufunc::unary(slf.py(), UnaryOp::Invert, slf.as_any(), None)
    }

    /// Arrow PyCapsule interface: the schema of `__arrow_c_array__`.
    fn __arrow_c_schema__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<Bound<'py, pyo3::types::PyCapsule>> {
        crate::arrow::c_schema(slf)
    }

    /// Arrow PyCapsule interface: 1-d -> primitive array (zero-copy, bool copies), N-d ->
    /// `arrow.fixed_shape_tensor` (row = first axis).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        slf: &Bound<'py, Self>,
        requested_schema: Option<Bound<'py, pyo3::types::PyCapsule>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        check_readable(&slf.get().inner)?;
        crate::arrow::c_array(slf, requested_schema)
    }

    /// A pyarrow Array of this array (needs pyarrow).
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&slf.get().inner)?;
        crate::arrow::to_pyarrow(slf)
    }

    /// This array as an Arrow IPC stream (bytes) of one column named `name`.
    #[pyo3(signature = (name="values"))]
    fn to_ipc<'py>(
        slf: &Bound<'py, Self>,
        name: &str,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        check_readable(&slf.get().inner)?;
        crate::arrow::to_ipc(slf.py(), slf.as_any(), name)
    }

    /// DLPack export: a versioned capsule when `max_version >= (1, 0)`, else the legacy one.
    #[pyo3(signature = (*, stream=None, max_version=None, dl_device=None, copy=None))]
    fn __dlpack__<'py>(
        slf: &Bound<'py, Self>,
        stream: Option<&Bound<'py, PyAny>>,
        max_version: Option<(u32, u32)>,
        dl_device: Option<(i32, i32)>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&slf.get().inner)?;
        crate::dlpack::export(slf, stream, max_version, dl_device, copy)
    }

    /// `(kDLCPU, 0)`.
    fn __dlpack_device__(&self) -> (i32, i32) {
        (1, 0)
    }

    /// NumPy's `__array__` protocol (NumPy 2 `copy=` semantics).
    #[pyo3(signature = (dtype=None, copy=None))]
    fn __array__<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&slf.get().inner)?;
        crate::interop::array_dunder(slf, dtype, copy)
    }

    /// A NumPy array sharing this array's memory (or a copy).
    #[pyo3(signature = (copy=false))]
    fn to_numpy<'py>(slf: &Bound<'py, Self>, copy: bool) -> PyResult<Bound<'py, PyAny>> {
        check_readable(&slf.get().inner)?;
        crate::interop::to_numpy(slf, copy)
    }

    #[pyo3(signature = (*, api_version=None))]
    fn __array_namespace__<'py>(
        &self,
        py: Python<'py>,
        api_version: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(v) = api_version {
            if !matches!(v, "2021.12" | "2022.12" | "2023.12" | "2024.12") {
                return Err(PyValueError::new_err(format!(
                    "unsupported array API version {v:?}"
                )));
            }
        }
        Ok(py.import("raptors")?.into_any())
    }
}
