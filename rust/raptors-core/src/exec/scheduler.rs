//! The async job engine: a FIFO admission queue in front of the pool. At most `num_threads`
//! jobs run at once (each may still split its work across idle workers); later jobs wait in
//! arrival order, so none is starved. A full queue either rejects new jobs (`Overloaded`) or,
//! in `wait` mode, lets them wait behind it for space, still in arrival order.
//!
//! A job is a closure that owns its inputs and delivers its own result; the engine decides when
//! it runs, keeps its cancel token current while it runs, and keeps the numbers a service
//! exports (counts, and percentiles of queue wait and run time over the last jobs).

use super::cancel::{with_token, CancelReason, CancelToken};
use super::pool;
use crate::error::{Error, Result};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What `submit` does when the queue is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFull {
    /// Admit the job behind the queue; it starts after every earlier job (backpressure: its
    /// awaiting task stays suspended meanwhile).
    Wait,
    /// Refuse the job with `Error::Overloaded`.
    Reject,
}

impl OnFull {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "wait" => Ok(OnFull::Wait),
            "reject" => Ok(OnFull::Reject),
            _ => Err(Error::Value(format!(
                "on_full must be 'wait' or 'reject', not {s:?}"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            OnFull::Wait => "wait",
            OnFull::Reject => "reject",
        }
    }
}

/// Default queue bound: deep enough for bursts, small enough that a service sheds load
/// before its latency runs away.
pub const DEFAULT_MAX_QUEUE: usize = 1024;

/// Number of recent jobs the percentiles are computed over.
pub const WINDOW: usize = 1024;

/// The handle of a submitted job, for cancelling it.
#[derive(Clone, Debug)]
pub struct Ticket {
    id: u64,
    token: CancelToken,
    finished: Arc<AtomicBool>,
}

impl Ticket {
    /// Stops the job: a queued job is removed (and its closure, with the borrows it holds,
    /// dropped) at once; a running job stops at its next chunk boundary. No effect once the
    /// job has finished.
    pub fn cancel(&self, reason: CancelReason) {
        // Under the engine lock, so a job is counted exactly once: stopped here, or completed
        // by `run` (which marks it finished under the same lock).
        let removed = {
            let mut st = state();
            if self.finished.load(Ordering::SeqCst) || !self.token.cancel(reason) {
                return;
            }
            st.count_stop(reason);
            let at = st.queue.iter().position(|q| q.id == self.id);
            at.and_then(|i| st.queue.remove(i))
        };
        if let Some(q) = removed {
            q.finished.store(true, Ordering::SeqCst);
            drop(q); // outside the lock: dropping the closure may release borrows
        }
    }

    pub fn token(&self) -> &CancelToken {
        &self.token
    }
}

/// What a finished job hands back to run after its slot is released: its delivery.
pub type Then = Box<dyn FnOnce() + Send>;

struct Queued {
    id: u64,
    job: Box<dyn FnOnce() -> Then + Send>,
    token: CancelToken,
    finished: Arc<AtomicBool>,
    enqueued: Instant,
}

#[derive(Clone, Copy, Default)]
struct Sample {
    wait: Duration,
    run: Duration,
}

struct State {
    queue: VecDeque<Queued>,
    running: usize,
    max_queue: usize,
    on_full: OnFull,
    submitted: u64,
    completed: u64,
    cancelled: u64,
    timed_out: u64,
    rejected: u64,
    inline: u64,
    window: Vec<Sample>,
    next_sample: usize,
}

impl State {
    fn count_stop(&mut self, reason: CancelReason) {
        match reason {
            CancelReason::Cancelled => self.cancelled += 1,
            CancelReason::TimedOut => self.timed_out += 1,
        }
    }

    fn record(&mut self, s: Sample) {
        if self.window.len() < WINDOW {
            self.window.push(s);
        } else {
            self.window[self.next_sample] = s;
        }
        self.next_sample = (self.next_sample + 1) % WINDOW;
    }
}

static STATE: Mutex<State> = Mutex::new(State {
    queue: VecDeque::new(),
    running: 0,
    max_queue: DEFAULT_MAX_QUEUE,
    on_full: OnFull::Wait,
    submitted: 0,
    completed: 0,
    cancelled: 0,
    timed_out: 0,
    rejected: 0,
    inline: 0,
    window: Vec::new(),
    next_sample: 0,
});

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sets the queue bound and the full-queue policy. Jobs already admitted stay admitted.
pub fn configure(max_queue: Option<usize>, on_full: Option<OnFull>) {
    let mut st = state();
    if let Some(m) = max_queue {
        st.max_queue = m;
    }
    if let Some(o) = on_full {
        st.on_full = o;
    }
}

/// Submits `job` to run on the pool with `token` current. Fails with `Error::Overloaded` when
/// the queue is full in `reject` mode (the job is dropped unrun).
pub fn submit(token: CancelToken, job: impl FnOnce() -> Then + Send + 'static) -> Result<Ticket> {
    let limit = pool::num_threads();
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let finished = Arc::new(AtomicBool::new(false));
    let q = Queued {
        id,
        job: Box::new(job),
        token: token.clone(),
        finished: finished.clone(),
        enqueued: Instant::now(),
    };
    let ticket = Ticket {
        id,
        token,
        finished,
    };
    let mut st = state();
    if st.running < limit && st.queue.is_empty() {
        st.submitted += 1;
        st.running += 1;
        drop(st);
        dispatch(q);
        return Ok(ticket);
    }
    if st.queue.len() >= st.max_queue && st.on_full == OnFull::Reject {
        st.rejected += 1;
        let msg = format!(
            "raptors scheduler overloaded: {} jobs queued (max_queue={}), {} running",
            st.queue.len(),
            st.max_queue,
            st.running
        );
        drop(st);
        drop(q);
        return Err(Error::Overloaded(msg));
    }
    st.submitted += 1;
    st.queue.push_back(q);
    Ok(ticket)
}

/// Counts a job that completed on the caller's thread because it was too small for a hop.
pub fn record_inline() {
    let mut st = state();
    st.submitted += 1;
    st.completed += 1;
    st.inline += 1;
}

fn dispatch(q: Queued) {
    pool::spawn(move || run(q));
}

fn run(q: Queued) {
    let started = Instant::now();
    let Queued {
        job,
        token,
        finished,
        enqueued,
        ..
    } = q;
    // A job cancelled between admission and start is dropped unrun. A job must not unwind;
    // a panic that escapes anyway must not kill the worker or leak the slot.
    let then = match token.is_cancelled() {
        false => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            with_token(Some(token.clone()), job)
        }))
        .ok(),
        true => None,
    };
    let sample = Sample {
        wait: started - enqueued,
        run: started.elapsed(),
    };
    let next = {
        let mut st = state();
        finished.store(true, Ordering::SeqCst);
        st.running -= 1;
        // A stopped job was counted when it was cancelled.
        if token.reason().is_none() {
            st.completed += 1;
        }
        st.record(sample);
        admit(&mut st)
    };
    next.into_iter().for_each(dispatch);
    if let Some(then) = then {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(then));
    }
}

/// Takes queued jobs into free running slots (in FIFO order).
fn admit(st: &mut State) -> Vec<Queued> {
    let limit = pool::num_threads();
    let mut out = Vec::new();
    while st.running < limit {
        match st.queue.pop_front() {
            Some(q) => {
                st.running += 1;
                out.push(q);
            }
            None => break,
        }
    }
    out
}

/// Called after the pool was resized: fills newly free slots.
pub(super) fn threads_changed() {
    let next = admit(&mut state());
    next.into_iter().for_each(dispatch);
}

/// Percentiles of a recent window, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

fn percentiles(mut v: Vec<Duration>) -> Percentiles {
    if v.is_empty() {
        return Percentiles::default();
    }
    v.sort_unstable();
    // Nearest rank: the smallest value with at least p% of the samples at or below it.
    let at = |p: f64| {
        let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1].as_secs_f64()
    };
    Percentiles {
        p50: at(50.0),
        p95: at(95.0),
        p99: at(99.0),
    }
}

/// A snapshot of the engine, for metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub threads: usize,
    pub max_queue: usize,
    pub on_full: OnFull,
    /// Jobs admitted and waiting for a slot (within `max_queue`).
    pub queued: usize,
    /// Jobs waiting behind a full queue (`wait` mode only).
    pub waiting: usize,
    pub running: usize,
    pub submitted: u64,
    pub completed: u64,
    pub inline: u64,
    pub cancelled: u64,
    pub timed_out: u64,
    pub rejected: u64,
    /// Jobs the percentiles cover (the most recent, up to `WINDOW`).
    pub window: usize,
    pub queue_wait: Percentiles,
    pub run_time: Percentiles,
}

pub fn stats() -> Stats {
    let threads = pool::num_threads();
    let st = state();
    let waits = st.window.iter().map(|s| s.wait).collect();
    let runs = st.window.iter().map(|s| s.run).collect();
    let queued = st.queue.len().min(st.max_queue);
    Stats {
        threads,
        max_queue: st.max_queue,
        on_full: st.on_full,
        queued,
        waiting: st.queue.len() - queued,
        running: st.running,
        submitted: st.submitted,
        completed: st.completed,
        inline: st.inline,
        cancelled: st.cancelled,
        timed_out: st.timed_out,
        rejected: st.rejected,
        window: st.window.len(),
        queue_wait: percentiles(waits),
        run_time: percentiles(runs),
    }
}
