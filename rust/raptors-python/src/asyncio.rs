//! The async bridge. A `*_async` call prepares its job on the loop thread (argument errors are
//! kept for the await), then either runs it at once when it is too small for a pool hop, or
//! submits it to the core scheduler with its inputs read-borrowed. The job runs on the pool with
//! the GIL released; its outcome goes to one completer thread, which takes the GIL once per
//! batch and hands results to each loop with `call_soon_threadsafe`. Pool threads never wait for
//! the GIL, and there is no Python thread per job.
//!
//! Cancelling the awaiting future (task cancelled, `asyncio.timeout`, client gone) or the job's
//! own `timeout=` cancels the job: a queued job is dropped with its borrows at once, a running
//! one stops at its next chunk.

use crate::array::{wrap, PyNdArray};
use crate::errors::{panic_error, run, to_py};
use pyo3::exceptions::{PyRuntimeError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyDict};
use raptors_core::array::{holding_write, ReadBorrow, WriteBorrow};
use raptors_core::exec::{self, scheduler, CancelReason, CancelToken};
use raptors_core::NdArray;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// Work below this many elements runs with the GIL held (sync) and, in async form, completes
/// before the call returns: at about a nanosecond per element it costs less than releasing the
/// GIL or a pool round trip (tens of microseconds on the reference machine). Larger work never
/// holds the GIL while the pool computes.
pub const INLINE_MAX: usize = raptors_core::kernels::loops::PARALLEL_MIN;

/// Turns a job's value into its Python result; runs on the completer thread with the GIL.
type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// A finished job for the completer thread: its result and the loop to hand it to.
struct Completion {
    lp: Py<PyAny>,
    ready: Ready,
}

/// Runs on the loop thread: sets the outcome unless the future is already done (cancelled or
/// timed out meanwhile).
#[pyfunction]
fn complete(fut: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if fut.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    let method = if ok { "set_result" } else { "set_exception" };
    fut.call_method1(method, (value,))?;
    Ok(())
}

fn complete_fn(py: Python<'_>) -> PyResult<&Bound<'_, PyCFunction>> {
    static COMPLETE: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();
    COMPLETE
        .get_or_try_init(py, || wrap_pyfunction!(complete, py).map(Bound::unbind))
        .map(|f| f.bind(py))
}

/// Where a finished job's outcome goes.
enum Sink {
    /// The loop's own channel: the worker queues the outcome and pokes an eventfd the loop
    /// watches; the loop sets the future itself. No other thread takes the GIL.
    Channel(Arc<ChannelInner>),
    /// Loops that cannot watch a file descriptor (add_reader unsupported): the completer
    /// thread takes the GIL and calls `call_soon_threadsafe`.
    Completer(Py<PyAny>),
}

/// A finished job: the future awaiting it and how to make its value.
struct Ready {
    fut: Py<PyAny>,
    outcome: Outcome,
}

impl Ready {
    /// The future and its outcome as (ok, value), unless nobody waits for it any more
    /// (cancelled or timed out): then the value is never made.
    fn settle(self, py: Python<'_>) -> Option<(Bound<'_, PyAny>, bool, Bound<'_, PyAny>)> {
        let fut = self.fut.into_bound(py);
        if fut
            .call_method0("done")
            .and_then(|d| d.is_truthy())
            .unwrap_or(true)
        {
            return None;
        }
        let (ok, value) = match (self.outcome)(py) {
            Ok(v) => (true, v.into_bound(py)),
            Err(e) => (false, e.into_value(py).into_bound(py).into_any()),
        };
        Some((fut, ok, value))
    }
}

/// One event loop's completion channel (see `Sink::Channel`).
struct ChannelInner {
    fd: i32,
    queue: Mutex<Vec<Ready>>,
}

impl ChannelInner {
    /// Called by a pool thread without the GIL.
    fn push(&self, r: Ready) {
        let first = {
            let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            q.push(r);
            q.len() == 1
        };
        if first {
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a valid u64 to our eventfd. A full counter (EAGAIN)
            // or a closed loop leaves a poke pending, which is harmless.
            unsafe { libc::write(self.fd, (&one as *const u64).cast(), 8) };
        }
    }
}

impl Drop for ChannelInner {
    fn drop(&mut self) {
        // SAFETY: the fd was opened by `Channel::new` and is closed exactly once, here.
        unsafe { libc::close(self.fd) };
    }
}

/// `raptors._async.channel(loop)` creates one per loop and registers `drain` with
/// `loop.add_reader(fd, ...)`; it lives as long as the loop.
#[pyclass(module = "raptors._raptors", name = "_Channel", frozen)]
pub struct Channel {
    inner: Arc<ChannelInner>,
}

#[pymethods]
impl Channel {
    #[new]
    fn new() -> PyResult<Self> {
        // SAFETY: plain syscall; the result is checked.
        #[cfg(target_os = "linux")]
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        #[cfg(not(target_os = "linux"))]
        let fd = -1; // elsewhere the completer thread delivers (see `Sink`)
        if fd < 0 {
            return Err(PyRuntimeError::new_err(format!(
                "eventfd failed: {}",
                std::io::Error::last_os_error()
            )));
        }
        Ok(Channel {
            inner: Arc::new(ChannelInner {
                fd,
                queue: Mutex::new(Vec::new()),
            }),
        })
    }

    #[getter]
    fn fd(&self) -> i32 {
        self.inner.fd
    }

    /// The loop's reader callback: resets the eventfd, then sets every queued future. Reset
    /// first, take second: a job queued in between is either taken now or pokes again.
    fn drain(&self, py: Python<'_>) {
        let mut count = 0u64;
        // SAFETY: reads 8 bytes into a valid u64 from our non-blocking eventfd.
        unsafe { libc::read(self.inner.fd, (&mut count as *mut u64).cast(), 8) };
        let batch =
            std::mem::take(&mut *self.inner.queue.lock().unwrap_or_else(|e| e.into_inner()));
        for (fut, ok, value) in batch.into_iter().filter_map(|r| r.settle(py)) {
            let _ = complete(&fut, ok, &value);
        }
    }
}

/// The loop's channel, or None when the loop cannot watch file descriptors.
fn channel_of(lp: &Bound<'_, PyAny>) -> PyResult<Option<Arc<ChannelInner>>> {
    static CHANNEL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let ch = CHANNEL
        .import(lp.py(), "raptors._async", "channel")?
        .call1((lp,))?;
    if ch.is_none() {
        return Ok(None);
    }
    Ok(Some(ch.cast::<Channel>()?.get().inner.clone()))
}

fn deliver(py: Python<'_>, c: Completion) {
    let Some((fut, ok, value)) = c.ready.settle(py) else {
        return;
    };
    // A loop closed before completion cannot take the result: it is dropped.
    let _ = complete_fn(py).and_then(|f| {
        c.lp.bind(py)
            .call_method1("call_soon_threadsafe", (f, fut, ok, value))
    });
}

/// Set at interpreter exit: from then on the completer never takes the GIL again.
static SHUTDOWN: AtomicBool = AtomicBool::new(false);
/// Held by the completer while it delivers a batch (with or waiting for the GIL).
static DELIVERING: Mutex<()> = Mutex::new(());

/// The completer thread's inbox, started on first use.
fn completer() -> &'static Sender<Completion> {
    static TX: OnceLock<Sender<Completion>> = OnceLock::new();
    TX.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Completion>();
        std::thread::Builder::new()
            .name("raptors-complete".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let batch: Vec<Completion> =
                        std::iter::once(first).chain(rx.try_iter()).collect();
                    let _delivering = DELIVERING.lock().unwrap_or_else(|e| e.into_inner());
                    if SHUTDOWN.load(Ordering::Acquire) {
                        // The interpreter is going away: nobody can take these results, and
                        // a thread that takes the GIL during finalization is terminated by
                        // CPython (pthread_exit), which aborts the process in Rust frames.
                        // The Python references are released by PyO3's deferred pool.
                        drop(batch);
                        continue;
                    }
                    Python::attach(|py| batch.into_iter().for_each(|c| deliver(py, c)));
                }
            })
            .expect("cannot start the raptors completer thread");
        tx
    })
}

/// Registered with `atexit`: stops deliveries and waits (GIL released) for one in flight, so
/// that no Raptors thread is inside Python when the interpreter finalizes.
#[pyfunction]
fn _shutdown_completer(py: Python<'_>) {
    SHUTDOWN.store(true, Ordering::Release);
    py.detach(|| drop(DELIVERING.lock().unwrap_or_else(|e| e.into_inner())));
}

/// The event loop running in this thread, if any (one cached C-level lookup).
fn current_loop(py: Python<'_>) -> Option<Bound<'_, PyAny>> {
    static GET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET.import(py, "asyncio", "_get_running_loop")
        .and_then(|f| f.call0())
        .ok()
        .filter(|l| !l.is_none())
}

/// How a job started: a finished value, or a future the coroutine awaits.
enum Started<'py> {
    Ready(Bound<'py, PyAny>),
    Pending(Bound<'py, PyAny>),
}

/// Starts a prepared job on the given running loop.
type Start =
    Box<dyn for<'py> FnOnce(Python<'py>, &Bound<'py, PyAny>) -> PyResult<Started<'py>> + Send>;

enum JobState {
    /// Prepared; starts at the coroutine's first step (no loop was running at the call).
    Prepared(Start),
    Ready(Py<PyAny>),
    Pending(Py<PyAny>),
    Failed(PyErr),
}

/// The state behind one `*_async` call's coroutine.
#[pyclass(module = "raptors._raptors", name = "_PendingJob", frozen)]
struct PendingJob {
    state: Mutex<Option<JobState>>,
}

#[pymethods]
impl PendingJob {
    /// Starts the job if needed: returns `(True, future)` to await, or `(False, value)`.
    fn _start<'py>(&self, py: Python<'py>) -> PyResult<(bool, Bound<'py, PyAny>)> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner()).take();
        let started = match state {
            Some(JobState::Prepared(f)) => {
                let lp = current_loop(py)
                    .ok_or_else(|| PyRuntimeError::new_err("no running event loop"))?;
                f(py, &lp)?
            }
            Some(JobState::Ready(v)) => Started::Ready(v.into_bound(py)),
            Some(JobState::Pending(f)) => Started::Pending(f.into_bound(py)),
            Some(JobState::Failed(e)) => return Err(e),
            None => {
                return Err(PyRuntimeError::new_err(
                    "this raptors job was already awaited",
                ))
            }
        };
        Ok(match started {
            Started::Ready(v) => (false, v),
            Started::Pending(f) => (true, f),
        })
    }
}

/// The coroutine a `*_async` call returns (python/raptors/_async.py). Called with a running
/// loop, the job starts now (its inputs are borrowed from the call on, and the work overlaps
/// whatever the caller does before awaiting); without one, at the coroutine's first step, so
/// `asyncio.run(rp.exp_async(x))` works. Errors, including the start's, raise at the await.
fn coroutine<'py>(py: Python<'py>, start: Start) -> PyResult<Bound<'py, PyAny>> {
    static RUN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let state = if let Some(lp) = current_loop(py) {
        match start(py, &lp) {
            Ok(Started::Ready(v)) => JobState::Ready(v.unbind()),
            Ok(Started::Pending(f)) => JobState::Pending(f.unbind()),
            Err(e) => JobState::Failed(e),
        }
    } else {
        JobState::Prepared(start)
    };
    let job = Bound::new(
        py,
        PendingJob {
            state: Mutex::new(Some(state)),
        },
    )?;
    RUN.import(py, "raptors._async", "run")?.call1((job,))
}

/// A coroutine that raises `err` when awaited (argument errors surface on await).
pub fn failed<'py>(py: Python<'py>, err: PyErr) -> PyResult<Bound<'py, PyAny>> {
    coroutine(py, Box::new(move |_, _| Err(err)))
}

/// A coroutine that returns `value` when awaited.
pub fn done<'py>(py: Python<'py>, value: PyResult<Py<PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    coroutine(
        py,
        Box::new(move |py, _| Ok(Started::Ready(value?.into_bound(py)))),
    )
}

/// Watches a submitted job's future: when it is cancelled, the job is cancelled; when it is done
/// in any way, its timeout timer is cancelled.
#[pyclass(module = "raptors._raptors", name = "_JobWatch", frozen)]
struct JobWatch {
    ticket: scheduler::Ticket,
    timer: Mutex<Option<Py<PyAny>>>,
}

#[pymethods]
impl JobWatch {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Some(t) = self.timer.lock().unwrap_or_else(|e| e.into_inner()).take() {
            t.bind(fut.py()).call_method0("cancel")?;
        }
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.ticket.cancel(CancelReason::Cancelled);
        }
        Ok(())
    }

    /// The `timeout=` timer fired: the job is cancelled and the awaiting side sees TimeoutError.
    fn expire(&self, fut: &Bound<'_, PyAny>, timeout: f64) -> PyResult<()> {
        if fut.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        self.ticket.cancel(CancelReason::TimedOut);
        let err = PyTimeoutError::new_err(format!("raptors job timed out after {timeout} s"));
        fut.call_method1("set_exception", (err.into_value(fut.py()),))?;
        Ok(())
    }
}

/// How an async call runs: its `timeout=` in seconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub timeout: Option<f64>,
}

impl Opts {
    pub fn new(timeout: Option<f64>) -> PyResult<Self> {
        if let Some(t) = timeout {
            if t.is_nan() || t < 0.0 {
                return Err(PyValueError::new_err(format!(
                    "timeout must be a non-negative number of seconds, not {t}"
                )));
            }
        }
        Ok(Opts { timeout })
    }
}

/// What a job may touch while it runs: read borrows on its inputs and, when it writes into an
/// existing array (`out=`), that array's write borrow, taken before submitting so a conflict
/// fails at once and nobody reads the array half-written.
pub struct Access {
    _reads: Vec<ReadBorrow>,
    write: Option<WriteBorrow>,
}

impl Access {
    pub fn new(inputs: &[&NdArray], out: Option<&NdArray>) -> raptors_core::Result<Self> {
        let write = out.map(|o| o.write_guard()).transpose()?;
        // Inputs that are also the output are covered by its write borrow.
        let reads = inputs
            .iter()
            .filter(|x| out.is_none_or(|o| !o.shares_buffer(x)))
            .map(|x| x.read_borrow())
            .collect::<raptors_core::Result<Vec<_>>>()?;
        Ok(Access {
            _reads: reads,
            write,
        })
    }

    /// Runs the job's work; its writes into `out` re-enter the write borrow held here.
    pub fn run<T>(
        &self,
        work: impl FnOnce() -> raptors_core::Result<T>,
    ) -> raptors_core::Result<T> {
        match &self.write {
            Some(w) => holding_write(w, work),
            None => work(),
        }
    }
}

/// Returns a coroutine that, when awaited, runs `work` at once if `size` is below `INLINE_MAX`
/// or submits it to the scheduler, and returns `convert(value)`.
pub fn submit<'py, T: Send + 'static>(
    py: Python<'py>,
    opts: Opts,
    inputs: &[&NdArray],
    out: Option<&NdArray>,
    size: usize,
    work: impl FnOnce() -> raptors_core::Result<T> + Send + 'static,
    convert: impl FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let inputs: Vec<NdArray> = inputs.iter().map(|&x| x.clone()).collect();
    let out = out.cloned();
    coroutine(
        py,
        Box::new(move |py, lp| {
            // The borrow rules apply whatever the size, so behaviour never depends on it.
            let inputs: Vec<&NdArray> = inputs.iter().collect();
            let access = run(|| Access::new(&inputs, out.as_ref()))?;
            if size < INLINE_MAX {
                scheduler::record_inline();
                let value = run(|| access.run(work)).and_then(|v| convert(py, v))?;
                return Ok(Started::Ready(value.into_bound(py)));
            }
            start_job(lp, opts, access, work, convert).map(Started::Pending)
        }),
    )
}

/// Submits a prepared job on the running loop and returns the future it completes.
fn start_job<'py, T: Send + 'static>(
    lp: &Bound<'py, PyAny>,
    opts: Opts,
    access: Access,
    work: impl FnOnce() -> raptors_core::Result<T> + Send + 'static,
    convert: impl FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lp.py();
    let fut = lp.call_method0("create_future")?;
    let fut_h = fut.clone().unbind();
    let sink = match channel_of(lp)? {
        Some(ch) => Sink::Channel(ch),
        None => Sink::Completer(lp.clone().unbind()),
    };
    let job = move || -> scheduler::Then {
        // Only Rust values here: Python objects are made and dropped by the completer.
        let result = catch_unwind(AssertUnwindSafe(|| access.run(work)));
        let cancelled = exec::cancelled();
        drop(access);
        let outcome: Outcome = Box::new(move |py| match result {
            _ if cancelled => Err(to_py(raptors_core::Error::Cancelled)),
            Ok(r) => r.map_err(to_py).and_then(|v| convert(py, v)),
            Err(payload) => Err(panic_error(payload)),
        });
        let ready = Ready {
            fut: fut_h,
            outcome,
        };
        Box::new(move || match sink {
            Sink::Channel(ch) => ch.push(ready),
            Sink::Completer(lp) => {
                let _ = completer().send(Completion { lp, ready });
            }
        })
    };
    let ticket = run(|| scheduler::submit(CancelToken::new(), job))?;
    let watch = Bound::new(
        py,
        JobWatch {
            ticket,
            timer: Mutex::new(None),
        },
    )?;
    fut.call_method1("add_done_callback", (&watch,))?;
    if let Some(t) = opts.timeout {
        let timer = lp.call_method1("call_later", (t, watch.getattr("expire")?, &fut, t))?;
        *watch.get().timer.lock().unwrap_or_else(|e| e.into_inner()) = Some(timer.unbind());
    }
    Ok(fut)
}

/// `submit` for jobs that produce an array: the result is the new array, or `out` itself.
pub fn submit_array<'py>(
    py: Python<'py>,
    opts: Opts,
    inputs: &[&NdArray],
    out: Option<&Bound<'py, PyNdArray>>,
    size: usize,
    work: impl FnOnce() -> raptors_core::Result<NdArray> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let out_obj = out.map(|o| o.clone().unbind());
    let out_arr = out.map(|o| o.get().inner.clone());
    submit(
        py,
        opts,
        inputs,
        out_arr.as_ref(),
        size,
        work,
        move |py, a| {
            Ok(match out_obj {
                Some(o) => o.into_any(),
                None => wrap(py, a)?.into_any().unbind(),
            })
        },
    )
}

/// Runs large sync work with the GIL released. With `RAPTORS_WARN_BLOCKING=<ms>` set, warns
/// (pointing at the caller's line) when the call blocked a running event loop for longer.
pub fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> raptors_core::Result<T> + Send,
) -> PyResult<T> {
    let Some(limit) = warn_blocking_ms() else {
        return py.detach(|| run(f));
    };
    let started = Instant::now();
    let result = py.detach(|| run(f));
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if ms > limit && current_loop(py).is_some() {
        let category = py.import("raptors._errors")?.getattr("BlockingWarning")?;
        PyErr::warn(
            py,
            &category,
            &std::ffi::CString::new(format!(
                "a synchronous raptors call blocked the running event loop for {ms:.1} ms \
                 (RAPTORS_WARN_BLOCKING={limit} ms); await its *_async form instead"
            ))
            .expect("no NUL in the message"),
            1,
        )?;
    }
    result
}

fn warn_blocking_ms() -> Option<f64> {
    static MS: OnceLock<Option<f64>> = OnceLock::new();
    *MS.get_or_init(|| {
        std::env::var("RAPTORS_WARN_BLOCKING")
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|ms| *ms >= 0.0)
    })
}

/// `rp.set_num_threads(n)`: resizes the compute pool shared by sync and async work.
#[pyfunction]
pub fn set_num_threads(n: usize) -> PyResult<()> {
    run(|| exec::set_num_threads(n))
}

/// `rp.get_num_threads()`.
#[pyfunction]
pub fn get_num_threads() -> usize {
    exec::num_threads()
}

/// `rp.configure(max_queue=None, on_full=None)`: the async admission queue's bound and what a
/// submission does when it is full ("wait" or "reject").
#[pyfunction]
#[pyo3(signature = (*, max_queue=None, on_full=None))]
pub fn configure(max_queue: Option<usize>, on_full: Option<&str>) -> PyResult<()> {
    let on_full = on_full
        .map(|s| run(|| scheduler::OnFull::parse(s)))
        .transpose()?;
    scheduler::configure(max_queue, on_full);
    Ok(())
}

/// `rp.scheduler_stats()`: the engine's counters and recent latency percentiles (seconds).
#[pyfunction]
pub fn scheduler_stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let s = scheduler::stats();
    let d = PyDict::new(py);
    d.set_item("threads", s.threads)?;
    d.set_item("max_queue", s.max_queue)?;
    d.set_item("on_full", s.on_full.name())?;
    d.set_item("queued", s.queued)?;
    d.set_item("waiting", s.waiting)?;
    d.set_item("running", s.running)?;
    d.set_item("submitted", s.submitted)?;
    d.set_item("completed", s.completed)?;
    d.set_item("inline", s.inline)?;
    d.set_item("cancelled", s.cancelled)?;
    d.set_item("timed_out", s.timed_out)?;
    d.set_item("rejected", s.rejected)?;
    d.set_item("window", s.window)?;
    for (name, p) in [("queue_wait", s.queue_wait), ("run_time", s.run_time)] {
        d.set_item(format!("{name}_p50"), p.p50)?;
        d.set_item(format!("{name}_p95"), p.p95)?;
        d.set_item(format!("{name}_p99"), p.p99)?;
    }
    d.set_item(
        "buffer_cache_bytes",
        raptors_core::array::buffer_cache_bytes(),
    )?;
    Ok(d)
}

/// `_raptors._peak_flops(double, threads, seconds)`: the machine's measured floating-point
/// peak in FLOP/s (register-only FMA chains on `threads` pool threads), for benchmarks.
#[pyfunction]
#[pyo3(signature = (double=false, threads=None, seconds=0.5))]
pub fn _peak_flops(py: Python<'_>, double: bool, threads: Option<usize>, seconds: f64) -> f64 {
    let threads = threads.unwrap_or_else(raptors_core::exec::num_threads);
    py.detach(|| raptors_core::kernels::gemm::peak_flops(double, threads, seconds))
}

pub fn add_functions(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_peak_flops, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(configure, m)?)?;
    m.add_class::<Channel>()?;
    m.add_function(wrap_pyfunction!(scheduler_stats, m)?)?;
    let shutdown = wrap_pyfunction!(_shutdown_completer, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (shutdown,))?;
    Ok(())
}
