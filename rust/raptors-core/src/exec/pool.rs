//! The Raptors-owned compute pool and the parallel split every kernel uses.

use super::cancel::{current_token, with_token, CancelToken};
use crate::error::{Error, Result};
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// The current pool. `set_num_threads` swaps in a new one; work already spawned on the old one
/// finishes there, and its threads exit once the last reference is gone.
static POOL: RwLock<Option<Arc<ThreadPool>>> = RwLock::new(None);

/// Threads from `RAPTORS_NUM_THREADS`, else the CPUs this process may use (the standard
/// library's count honours the affinity mask and cgroup CPU quotas).
pub fn default_num_threads() -> usize {
    std::env::var("RAPTORS_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
}

/// How much lower than the process's own priority the compute threads run (a nice increment,
/// 0..=19): `RAPTORS_WORKER_NICE`, default 10. A service's event loop and I/O threads, which
/// sleep most of the time and then need the CPU for microseconds, then preempt a computing
/// worker as soon as they wake instead of waiting for its time slice; the workers still get
/// every cycle nobody else wants, so throughput is unchanged. Linux only (elsewhere a no-op).
pub fn worker_nice() -> i32 {
    std::env::var("RAPTORS_WORKER_NICE")
        .ok()
        .and_then(|v| v.trim().parse::<i32>().ok())
        .map_or(10, |n| n.clamp(0, 19))
}

/// Lowers the calling thread's scheduling priority by `nice` (Linux applies nice values and
/// `SCHED_BATCH` per thread when given id 0). Failures are ignored: priority is a hint.
fn lower_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    if nice > 0 {
        // SAFETY: plain syscalls on the calling thread with valid arguments.
        unsafe {
            *libc::__errno_location() = 0;
            let current = libc::getpriority(libc::PRIO_PROCESS, 0);
            if *libc::__errno_location() == 0 {
                libc::setpriority(libc::PRIO_PROCESS, 0, (current + nice).min(19));
            }
            let param = libc::sched_param { sched_priority: 0 };
            libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}

fn build(threads: usize) -> Result<Arc<ThreadPool>> {
    let nice = worker_nice();
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("raptors-{i}"))
        .start_handler(move |_| lower_priority(nice))
        .build()
        .map(Arc::new)
        .map_err(|e| Error::Alloc(format!("cannot start the raptors thread pool: {e}")))
}

/// The shared pool, started on first use.
pub fn pool() -> Arc<ThreadPool> {
    if let Some(p) = POOL.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| {
        build(default_num_threads()).expect("failed to start the raptors thread pool")
    })
    .clone()
}

/// Compute threads of the pool.
pub fn num_threads() -> usize {
    pool().current_num_threads()
}

/// Replaces the pool with one of `threads` threads (at least 1). Jobs already running finish
/// on the old threads, which then exit.
pub fn set_num_threads(threads: usize) -> Result<()> {
    if threads == 0 {
        return Err(Error::Value(
            "the number of threads must be at least 1".into(),
        ));
    }
    let new = build(threads)?;
    let old = POOL.write().unwrap_or_else(|e| e.into_inner()).replace(new);
    drop(old);
    super::scheduler::threads_changed();
    Ok(())
}

/// Runs `job` on the pool without waiting for it.
pub fn spawn(job: impl FnOnce() + Send + 'static) {
    pool().spawn(job);
}

/// Calls `f(i)` once for every `i` in `0..n`, in parallel: the calling thread starts on the
/// indices at once and up to `threads - 1` pool workers join as they wake, all taking indices
/// from one shared counter. The caller never waits for a worker that has not started: a
/// late worker finds the call closed and leaves without touching `f`. So a pool wake-up (tens
/// of microseconds on a busy VM) never delays the call, and at most `threads` threads compute.
/// A panic in `f` propagates to the caller.
///
/// Inside a job, the job's cancel token is checked before every index: once it is cancelled,
/// no further index starts and the call returns early (the job then reports the cancellation
/// and its partial output is discarded). Helpers run with the same token current.
pub fn for_each_index(n: usize, f: impl Fn(usize) + Sync) {
    let pool = pool();
    let token = current_token();
    let helpers = pool.current_num_threads().min(n).saturating_sub(1);
    if helpers == 0 {
        for i in 0..n {
            if token.as_ref().is_some_and(CancelToken::is_cancelled) {
                return;
            }
            f(i);
        }
        return;
    }
    let f: &(dyn Fn(usize) + Sync) = &f;
    // SAFETY: the 'static lifetime is a lie the protocol below makes safe: a worker calls `f`
    // only while registered in `active`, it registers before checking `closed`, and this
    // function sets `closed` and then waits for `active == 0` before returning (and thus
    // before `f` dies).
    let f: &'static (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(f) };
    let shared = Arc::new(Shared {
        next: AtomicUsize::new(0),
        n,
        active: AtomicUsize::new(0),
        closed: AtomicBool::new(false),
        panic: Mutex::new(None),
        f,
        token,
    });
    for _ in 0..helpers {
        let shared = shared.clone();
        pool.spawn(move || {
            shared.active.fetch_add(1, Ordering::SeqCst);
            if !shared.closed.load(Ordering::SeqCst) {
                with_token(shared.token.clone(), || shared.work());
            }
            shared.active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    shared.work();
    shared.closed.store(true, Ordering::SeqCst);
    let mut spins = 0u32;
    while shared.active.load(Ordering::SeqCst) != 0 {
        spins += 1;
        if spins < 1 << 10 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
    let payload = shared
        .panic
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    if let Some(payload) = payload {
        std::panic::resume_unwind(payload);
    }
}

/// State of one `for_each_index` call, shared with its workers.
struct Shared {
    next: AtomicUsize,
    n: usize,
    active: AtomicUsize,
    closed: AtomicBool,
    panic: Mutex<Option<Box<dyn std::any::Any + Send>>>,
    f: &'static (dyn Fn(usize) + Sync),
    token: Option<CancelToken>,
}

impl Shared {
    /// Takes indices until none are left; a panic stops this thread and is kept for the caller.
    fn work(&self) {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.n || self.token.as_ref().is_some_and(CancelToken::is_cancelled) {
                break;
            }
            (self.f)(i);
        }));
        if let Err(payload) = run {
            // Others stop taking indices; the first panic wins.
            self.next.store(self.n, Ordering::Relaxed);
            self.panic
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(payload);
        }
    }
}
