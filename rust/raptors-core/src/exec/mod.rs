//! The Raptors-owned compute pool. Sync and async work share it, so the process never runs
//! more compute threads than configured. (The bounded admission queue, cancellation and stats
//! of the full job engine build on this.)

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

static POOL: OnceLock<ThreadPool> = OnceLock::new();

/// Threads from `RAPTORS_NUM_THREADS`, else the CPUs this process may use.
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

/// The shared pool, started on first use.
pub fn pool() -> &'static ThreadPool {
    POOL.get_or_init(|| {
        ThreadPoolBuilder::new()
            .num_threads(default_num_threads())
            .thread_name(|i| format!("raptors-{i}"))
            .build()
            .expect("failed to start the raptors thread pool")
    })
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
pub fn for_each_index(n: usize, f: impl Fn(usize) + Sync) {
    let helpers = pool().current_num_threads().min(n).saturating_sub(1);
    if helpers == 0 {
        return (0..n).for_each(f);
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
    });
    for _ in 0..helpers {
        let shared = shared.clone();
        pool().spawn(move || {
            shared.active.fetch_add(1, Ordering::SeqCst);
            if !shared.closed.load(Ordering::SeqCst) {
                shared.work();
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
}

impl Shared {
    /// Takes indices until none are left; a panic stops this thread and is kept for the caller.
    fn work(&self) {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.n {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn every_index_runs_once() {
        let hits: Vec<AtomicUsize> = (0..1000).map(|_| AtomicUsize::new(0)).collect();
        for_each_index(hits.len(), |i| {
            hits[i].fetch_add(1, Ordering::Relaxed);
        });
        assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1));
        for_each_index(0, |_| panic!("no work"));
    }

    #[test]
    fn panics_reach_the_caller() {
        let r = std::panic::catch_unwind(|| for_each_index(64, |i| assert!(i != 40, "boom")));
        assert!(r.is_err());
        // The pool still works afterwards.
        let sum = AtomicUsize::new(0);
        for_each_index(100, |i| {
            sum.fetch_add(i, Ordering::Relaxed);
        });
        assert_eq!(sum.into_inner(), 4950);
    }

    #[test]
    fn spawned_jobs_run_on_pool_threads() {
        let (tx, rx) = mpsc::channel();
        spawn(move || {
            tx.send(std::thread::current().name().map(String::from))
                .unwrap()
        });
        let name = rx.recv().unwrap().unwrap();
        assert!(name.starts_with("raptors-"), "{name}");
        assert!(default_num_threads() >= 1);
    }
}
