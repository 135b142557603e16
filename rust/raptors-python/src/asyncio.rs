//! The async bridge: a job runs on the Raptors pool with the GIL released and completes an
//! asyncio future on its loop with `call_soon_threadsafe`. No Python thread per job.

use crate::array::wrap;
use crate::errors::to_py;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use raptors_core::array::ReadBorrow;
use raptors_core::{exec, NdArray};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs on the loop thread: sets the outcome unless the future was cancelled meanwhile.
#[pyfunction]
fn complete(fut: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if fut.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    if ok {
        fut.call_method1("set_result", (value,))?;
    } else {
        fut.call_method1("set_exception", (value,))?;
    }
    Ok(())
}

fn complete_fn(py: Python<'_>) -> PyResult<&Bound<'_, PyCFunction>> {
    static COMPLETE: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();
    COMPLETE
        .get_or_try_init(py, || wrap_pyfunction!(complete, py).map(Bound::unbind))
        .map(|f| f.bind(py))
}

/// A future on the running loop, already failed with `err` (argument errors surface on await).
pub fn failed<'py>(py: Python<'py>, err: PyErr) -> PyResult<Bound<'py, PyAny>> {
    let fut = running_loop(py)?.call_method0("create_future")?;
    fut.call_method1("set_exception", (err.into_value(py),))?;
    Ok(fut)
}

fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("asyncio")?.call_method0("get_running_loop")
}

/// Submits `work` to the pool and returns an awaitable future for its array result. The read
/// `borrows` on the inputs live exactly as long as the job runs.
pub fn submit<'py>(
    py: Python<'py>,
    borrows: Vec<ReadBorrow>,
    work: impl FnOnce() -> raptors_core::Result<NdArray> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let lp = running_loop(py)?;
    let fut = lp.call_method0("create_future")?;
    let (lp, handle) = (lp.unbind(), fut.clone().unbind());
    exec::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(work));
        drop(borrows);
        Python::attach(|py| {
            let outcome = match result {
                Ok(Ok(a)) => wrap(py, a).map(|a| (true, a.into_any())),
                Ok(Err(e)) => Err(to_py(e)),
                Err(_) => Err(PyRuntimeError::new_err(
                    "raptors internal error: a job panicked",
                )),
            };
            let (ok, value) = match outcome {
                Ok(v) => v,
                Err(e) => (false, e.into_value(py).into_bound(py).into_any()),
            };
            let delivered = complete_fn(py).and_then(|f| {
                lp.bind(py)
                    .call_method1("call_soon_threadsafe", (f, handle, ok, value))
            });
            // A loop closed before completion cannot take the result: drop it.
            drop(delivered);
        });
    });
    Ok(fut)
}
