//! The Raptors-owned compute pool. Sync and async work share it, so the process never runs
//! more compute threads than configured. (The bounded admission queue, cancellation and stats
//! of the full job engine build on this.)

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::OnceLock;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

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
