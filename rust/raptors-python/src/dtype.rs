//! `raptors.dtype`, dtype parsing from Python objects, `finfo`, `iinfo`, `result_type`,
//! `can_cast`, `isdtype`.

use crate::array::PyNdArray;
use crate::errors::IntoPy;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyTuple, PyType};
use raptors_core::dtype::{self, Casting, DType, Kind, WeakKind};

/// A Raptors data type. `rp.float32` etc. are instances; compares equal to its spellings.
#[pyclass(name = "dtype", module = "raptors", frozen)]
#[derive(Clone, Copy)]
pub struct PyDType {
    pub dt: DType,
}

#[pymethods]
impl PyDType {
    #[new]
    fn py_new(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyDType {
            dt: extract_dtype(obj)?,
        })
    }

    #[getter]
    fn name(&self) -> &'static str {
        self.dt.name()
    }
    #[getter]
    fn kind(&self) -> String {
        self.dt.kind_char().to_string()
    }
    #[getter]
    fn itemsize(&self) -> usize {
        self.dt.itemsize()
    }
    #[getter]
    fn str(&self) -> String {
        self.dt.typestr()
    }
    #[getter]
    fn char(&self) -> &'static str {
        self.dt.buffer_format()
    }
    #[getter]
    fn byteorder(&self) -> &'static str {
        if self.dt.itemsize() == 1 {
            "|"
        } else {
            "="
        }
    }
    fn __repr__(&self) -> String {
        format!("dtype('{}')", self.dt.name())
    }
    fn __str__(&self) -> &'static str {
        self.dt.name()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        extract_dtype(other).map(|d| d == self.dt).unwrap_or(false)
    }
    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }
    fn __hash__(&self) -> u64 {
        self.dt as u64 + 0x5eed
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, (&'static str,))> {
        Ok((slf.get_type(), (slf.get().dt.name(),)))
    }
}

/// Interprets a dtype-like: our dtype objects, strings, `bool`/`int`/`float`, NumPy dtypes
/// and NumPy scalar types (read by name, so NumPy need not be imported).
pub fn extract_dtype(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(d) = obj.cast::<PyDType>() {
        return Ok(d.get().dt);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return DType::parse(&s.to_cow()?).py_err();
    }
    let py = obj.py();
    if let Ok(ty) = obj.cast::<PyType>() {
        if ty.is(py.get_type::<PyBool>()) {
            return Ok(DType::Bool);
        }
        if ty.is(py.get_type::<PyInt>()) {
            return Ok(DType::Int64);
        }
        if ty.is(py.get_type::<PyFloat>()) {
            return Ok(DType::Float64);
        }
        // NumPy scalar types (np.float32, np.intc, ...): their dtype attribute names them.
        if ty.module()?.to_cow()?.starts_with("numpy") {
            if let Ok(name) = ty.name() {
                if let Ok(dt) = DType::parse(&name.to_cow()?) {
                    return Ok(dt);
                }
            }
        }
    } else if let Ok(s) = obj.getattr("str") {
        // NumPy dtype instances: `.str` is the array-interface type string ('<f4').
        if obj.hasattr("itemsize")? {
            if let Ok(s) = s.cast::<PyString>() {
                return DType::parse(&s.to_cow()?).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "Raptors does not support dtype {}",
                        obj.repr().map(|r| r.to_string()).unwrap_or_default()
                    ))
                });
            }
        }
    }
    Err(PyTypeError::new_err(format!(
        "Cannot interpret '{}' as a data type",
        obj.repr()?
    )))
}

/// `None` means "unspecified".
pub fn extract_opt_dtype(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => extract_dtype(o).map(Some),
    }
}

/// The dtype of an array argument, or of a dtype-like.
fn dtype_of(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.get().inner.dtype());
    }
    extract_dtype(obj)
}

pub fn dtype_obj(py: Python<'_>, dt: DType) -> PyResult<Bound<'_, PyDType>> {
    Bound::new(py, PyDType { dt })
}

/// `rp.result_type(*arrays_and_dtypes)`: NumPy 2 promotion; Python scalars are weak (NEP 50).
#[pyfunction]
#[pyo3(signature = (*arrays_and_dtypes))]
pub fn result_type<'py>(
    py: Python<'py>,
    arrays_and_dtypes: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyDType>> {
    let mut strong = Vec::new();
    let mut weak = Vec::new();
    for obj in arrays_and_dtypes.iter() {
        if obj.is_instance_of::<PyBool>() {
            weak.push(WeakKind::Bool);
        } else if obj.is_instance_of::<PyInt>() {
            weak.push(WeakKind::Int);
        } else if obj.is_instance_of::<PyFloat>() {
            weak.push(WeakKind::Float);
        } else {
            strong.push(dtype_of(&obj)?);
        }
    }
    dtype_obj(py, dtype::result_type(&strong, &weak).py_err()?)
}

/// `rp.can_cast(from_, to, casting="safe")`.
#[pyfunction]
#[pyo3(signature = (from_, to, casting="safe"))]
pub fn can_cast(from_: &Bound<'_, PyAny>, to: &Bound<'_, PyAny>, casting: &str) -> PyResult<bool> {
    if from_.is_instance_of::<PyInt>() || from_.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err(
            "can_cast() does not support Python ints, floats, and complex because the result used to depend on the value.",
        ));
    }
    let casting = Casting::parse(casting).py_err()?;
    Ok(dtype_of(from_)?.can_cast(extract_dtype(to)?, casting))
}

/// `rp.isdtype(dtype, kind)`: kind is a dtype, one of the standard's kind names, or a tuple.
#[pyfunction]
pub fn isdtype(dtype: &Bound<'_, PyAny>, kind: &Bound<'_, PyAny>) -> PyResult<bool> {
    let dt = dtype.cast::<PyDType>().map(|d| d.get().dt).map_err(|_| {
        PyTypeError::new_err(format!(
            "dtype argument must be a raptors dtype, not {}",
            dtype
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    if let Ok(t) = kind.cast::<PyTuple>() {
        for k in t.iter() {
            if isdtype(dtype, &k)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Ok(s) = kind.cast::<PyString>() {
        let k = dt.kind();
        return Ok(match &*s.to_cow()? {
            "bool" => k == Kind::Bool,
            "signed integer" => k == Kind::Int,
            "unsigned integer" => k == Kind::UInt,
            "integral" => matches!(k, Kind::Int | Kind::UInt),
            "real floating" => k == Kind::Float,
            "complex floating" => false,
            "numeric" => k != Kind::Bool,
            other => {
                return Err(PyValueError::new_err(format!(
                    "kind argument is a string, but '{other}' is not a known kind name."
                )))
            }
        });
    }
    kind.cast::<PyDType>()
        .map(|d| d.get().dt == dt)
        .map_err(|_| {
            PyTypeError::new_err("kind must be a dtype, a kind name string or a tuple of them")
        })
}

/// Machine limits of a floating type (`rp.finfo`).
#[pyclass(name = "finfo", module = "raptors", frozen, get_all)]
pub struct PyFInfo {
    bits: u32,
    eps: f64,
    max: f64,
    min: f64,
    smallest_normal: f64,
    tiny: f64,
    smallest_subnormal: f64,
    resolution: f64,
    precision: u32,
    nmant: u32,
    nexp: u32,
    maxexp: i32,
    minexp: i32,
    dtype: Py<PyDType>,
}

#[pymethods]
impl PyFInfo {
    #[new]
    fn py_new(py: Python<'_>, dtype: &Bound<'_, PyAny>) -> PyResult<Self> {
        let f = dtype::finfo(dtype_of(dtype)?).py_err()?;
        Ok(PyFInfo {
            bits: f.bits,
            eps: f.eps,
            max: f.max,
            min: f.min,
            smallest_normal: f.smallest_normal,
            tiny: f.smallest_normal,
            smallest_subnormal: f.smallest_subnormal,
            resolution: f.resolution,
            precision: f.precision,
            nmant: f.nmant,
            nexp: f.nexp,
            maxexp: f.maxexp,
            minexp: f.minexp,
            dtype: dtype_obj(py, f.dtype)?.unbind(),
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "finfo(resolution={}, min={:e}, max={:e}, dtype={})",
            self.resolution,
            self.min,
            self.max,
            self.dtype.get().dt
        )
    }
}

/// Limits of an integer type (`rp.iinfo`).
#[pyclass(name = "iinfo", module = "raptors", frozen, get_all)]
pub struct PyIInfo {
    bits: u32,
    min: i128,
    max: i128,
    dtype: Py<PyDType>,
}

#[pymethods]
impl PyIInfo {
    #[new]
    fn py_new(py: Python<'_>, dtype: &Bound<'_, PyAny>) -> PyResult<Self> {
        let i = dtype::iinfo(dtype_of(dtype)?).py_err()?;
        Ok(PyIInfo {
            bits: i.bits,
            min: i.min,
            max: i.max,
            dtype: dtype_obj(py, i.dtype)?.unbind(),
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "iinfo(min={}, max={}, dtype={})",
            self.min,
            self.max,
            self.dtype.get().dt
        )
    }
}
