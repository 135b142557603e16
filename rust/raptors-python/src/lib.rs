//! `raptors._raptors`: thin PyO3 bindings over `raptors-core`. They parse arguments, convert
//! objects and map errors; all math lives in the core crate.

mod array;
mod arrow;
mod asyncio;
mod convert;
mod dlpack;
mod dtype;
mod errors;
mod functions;
mod interop;
mod linalg;
mod reduce;
mod ufunc;

use pyo3::prelude::*;
use raptors_core::dtype::ALL_DTYPES;

#[pymodule]
fn _raptors(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<array::PyNdArray>()?;
    m.add_class::<dtype::PyDType>()?;
    m.add_class::<dtype::PyFInfo>()?;
    m.add_class::<dtype::PyIInfo>()?;
    for dt in ALL_DTYPES {
        m.add(dt.name(), dtype::dtype_obj(py, dt)?)?;
    }
    m.add("AxisError", errors::axis_error_type(py)?)?;
    m.add("Overloaded", py.get_type::<errors::Overloaded>())?;
    m.add_function(wrap_pyfunction!(dtype::result_type, m)?)?;
    m.add_function(wrap_pyfunction!(dtype::can_cast, m)?)?;
    m.add_function(wrap_pyfunction!(dtype::isdtype, m)?)?;
    m.add_function(wrap_pyfunction!(interop::frombuffer, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::from_ipc, m)?)?;
    m.add_function(wrap_pyfunction!(arrow::to_ipc, m)?)?;
    m.add_function(wrap_pyfunction!(dlpack::from_dlpack, m)?)?;
    ufunc::add_binary(m)?;
    ufunc::add_unary(m)?;
    ufunc::add_select(m)?;
    reduce::add_functions(m)?;
    linalg::add_functions(m)?;
    asyncio::add_functions(m)?;
    for f in [
        wrap_pyfunction!(functions::array, m)?,
        wrap_pyfunction!(functions::asarray, m)?,
        wrap_pyfunction!(functions::zeros, m)?,
        wrap_pyfunction!(functions::ones, m)?,
        wrap_pyfunction!(functions::empty, m)?,
        wrap_pyfunction!(functions::full, m)?,
        wrap_pyfunction!(functions::zeros_like, m)?,
        wrap_pyfunction!(functions::ones_like, m)?,
        wrap_pyfunction!(functions::empty_like, m)?,
        wrap_pyfunction!(functions::full_like, m)?,
        wrap_pyfunction!(functions::arange, m)?,
        wrap_pyfunction!(functions::linspace, m)?,
        wrap_pyfunction!(functions::eye, m)?,
        wrap_pyfunction!(functions::identity, m)?,
        wrap_pyfunction!(functions::concatenate, m)?,
        wrap_pyfunction!(functions::stack, m)?,
        wrap_pyfunction!(functions::concatenate_async, m)?,
        wrap_pyfunction!(functions::stack_async, m)?,
        wrap_pyfunction!(functions::hstack, m)?,
        wrap_pyfunction!(functions::vstack, m)?,
        wrap_pyfunction!(functions::expand_dims, m)?,
        wrap_pyfunction!(functions::squeeze, m)?,
        wrap_pyfunction!(functions::broadcast_to, m)?,
        wrap_pyfunction!(functions::broadcast_arrays, m)?,
        wrap_pyfunction!(functions::broadcast_shapes, m)?,
        wrap_pyfunction!(functions::flip, m)?,
        wrap_pyfunction!(functions::moveaxis, m)?,
        wrap_pyfunction!(functions::swapaxes, m)?,
        wrap_pyfunction!(functions::transpose, m)?,
        wrap_pyfunction!(functions::permute_dims, m)?,
        wrap_pyfunction!(functions::reshape, m)?,
        wrap_pyfunction!(functions::ravel, m)?,
        wrap_pyfunction!(functions::astype, m)?,
        wrap_pyfunction!(functions::shape, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
