//! Execution: the Raptors-owned compute pool (sync and async work share it, so the process
//! never runs more compute threads than configured), the parallel split kernels use, cancel
//! tokens, and the async job engine's admission queue.

mod cancel;
mod pool;
pub mod scheduler;

pub use cancel::{cancelled, current_token, with_token, CancelReason, CancelToken};
pub use pool::{
    default_num_threads, for_each_index, for_each_index_dealt, num_threads, pool, set_num_threads,
    spawn, spin_time, task_len,
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc, Mutex};

    #[test]
    fn every_index_runs_once() {
        fn check(split: fn(usize, &(dyn Fn(usize) + Sync)), sizes: &[usize]) {
            for &n in sizes {
                let hits: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
                split(n, &|i| {
                    hits[i].fetch_add(1, Ordering::Relaxed);
                });
                assert!(
                    hits.iter().all(|h| h.load(Ordering::Relaxed) == 1),
                    "n = {n}"
                );
            }
        }
        let sizes: Vec<usize> = (1..=67).chain([1000, 4099]).collect();
        check(|n, f| for_each_index(n, f), &sizes);
        check(|n, f| for_each_index_dealt(n, f), &sizes);
        for_each_index(0, |_| panic!("no work"));
    }

    #[test]
    fn each_thread_starts_on_its_own_block() {
        if num_threads() != 2 {
            return;
        }
        // With two threads the caller owns the front half and a helper the back half: the
        // caller starts at 0, a helper never starts in the front half, and the caller goes
        // through its half in order.
        for _ in 0..20 {
            let n = 16;
            let caller = std::thread::current().id();
            let seen = Mutex::new(Vec::new());
            for_each_index(n, |i| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                let me = std::thread::current().id();
                seen.lock().unwrap().push((me == caller, i));
            });
            let seen = seen.into_inner().unwrap();
            let mine: Vec<usize> = seen.iter().filter(|s| s.0).map(|s| s.1).collect();
            assert_eq!(mine[0], 0);
            assert!(mine.windows(2).all(|w| w[0] < w[1]), "{mine:?}");
            if let Some(&(_, first)) = seen.iter().find(|s| !s.0) {
                assert!(first >= n / 2, "a helper started at {first}");
            }
        }
        // Dealt: the caller starts with the even indices, in order.
        let caller = std::thread::current().id();
        let mine = Mutex::new(Vec::new());
        for_each_index_dealt(16, |i| {
            std::thread::sleep(std::time::Duration::from_micros(100));
            if std::thread::current().id() == caller {
                mine.lock().unwrap().push(i);
            }
        });
        let mine = mine.into_inner().unwrap();
        let evens = mine.iter().take_while(|&&i| i % 2 == 0).count();
        assert!(
            mine[0] == 0 && mine[..evens].windows(2).all(|w| w[0] < w[1]),
            "{mine:?}"
        );
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

    #[test]
    fn a_lingering_worker_takes_the_next_split() {
        let _g = engine();
        if num_threads() < 2 || spin_time().is_zero() {
            return;
        }
        let helped = |n: usize| {
            let pool_hits = AtomicUsize::new(0);
            for_each_index(n, |_| {
                std::thread::sleep(std::time::Duration::from_micros(300));
                let name = std::thread::current().name().map(String::from);
                if name.is_some_and(|n| n.starts_with("raptors-")) {
                    pool_hits.fetch_add(1, Ordering::Relaxed);
                }
            });
            pool_hits.into_inner() > 0
        };
        // Other tests split concurrently and may take the lingering worker first, so this
        // only needs to succeed once in a few tries.
        let ok = (0..20).any(|_| {
            helped(16);
            // Wait (spinning, well within the spin time) until the helper sits in a seat.
            let start = std::time::Instant::now();
            while start.elapsed() < std::time::Duration::from_millis(20) {
                if pool::lingering() > 0 {
                    return helped(2);
                }
                std::hint::spin_loop();
            }
            false
        });
        assert!(ok, "no split was served by a lingering worker");
    }

    /// Scheduler tests share the global engine: one at a time.
    static ENGINE: Mutex<()> = Mutex::new(());

    /// Submits a job that delivers nothing afterwards.
    fn submit(f: impl FnOnce() + Send + 'static) -> crate::Result<scheduler::Ticket> {
        scheduler::submit(CancelToken::new(), move || -> scheduler::Then {
            f();
            Box::new(|| {})
        })
    }

    fn engine() -> std::sync::MutexGuard<'static, ()> {
        ENGINE.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Occupies every running slot until the returned sender is dropped or sent to.
    fn block_slots() -> (Vec<mpsc::Sender<()>>, Vec<scheduler::Ticket>) {
        let (mut gates, mut tickets) = (Vec::new(), Vec::new());
        let (started_tx, started_rx) = mpsc::channel();
        for _ in 0..num_threads() {
            let (tx, rx) = mpsc::channel::<()>();
            let started = started_tx.clone();
            tickets.push(
                submit(move || {
                    started.send(()).unwrap();
                    let _ = rx.recv();
                })
                .unwrap(),
            );
            gates.push(tx);
        }
        for _ in 0..num_threads() {
            started_rx.recv().unwrap();
        }
        (gates, tickets)
    }

    #[test]
    fn jobs_start_in_arrival_order() {
        let _g = engine();
        scheduler::configure(
            Some(scheduler::DEFAULT_MAX_QUEUE),
            Some(scheduler::OnFull::Wait),
        );
        let (gates, _) = block_slots();
        let (tx, rx) = mpsc::channel();
        for i in 0..20 {
            let tx = tx.clone();
            submit(move || tx.send(i).unwrap()).unwrap();
        }
        assert_eq!(scheduler::stats().queued, 20);
        drop(gates);
        let order: Vec<i32> = (0..20).map(|_| rx.recv().unwrap()).collect();
        // With several threads, jobs admitted together may finish out of order; admission
        // itself is FIFO, so with one slot free at a time the order is exact.
        if num_threads() == 1 {
            assert_eq!(order, (0..20).collect::<Vec<_>>());
        }
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn full_queue_rejects_or_waits() {
        let _g = engine();
        scheduler::configure(Some(2), Some(scheduler::OnFull::Reject));
        let (gates, _) = block_slots();
        let (tx, rx) = mpsc::channel();
        for i in 0..2 {
            let tx = tx.clone();
            submit(move || tx.send(i).unwrap()).unwrap();
        }
        let before = scheduler::stats().rejected;
        let err = submit(|| {}).unwrap_err();
        assert!(matches!(err, crate::Error::Overloaded(_)), "{err:?}");
        assert_eq!(scheduler::stats().rejected, before + 1);
        scheduler::configure(None, Some(scheduler::OnFull::Wait));
        let tx2 = tx.clone();
        submit(move || tx2.send(2).unwrap()).unwrap();
        let s = scheduler::stats();
        assert_eq!((s.queued, s.waiting), (2, 1));
        drop(gates);
        let mut got: Vec<i32> = (0..3).map(|_| rx.recv().unwrap()).collect();
        got.sort();
        assert_eq!(got, vec![0, 1, 2]);
        scheduler::configure(Some(scheduler::DEFAULT_MAX_QUEUE), None);
    }

    #[test]
    fn cancelling_a_queued_job_drops_it_unrun() {
        let _g = engine();
        scheduler::configure(
            Some(scheduler::DEFAULT_MAX_QUEUE),
            Some(scheduler::OnFull::Wait),
        );
        let (gates, _) = block_slots();
        let ran = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(());
        let (r, h) = (ran.clone(), held.clone());
        let before = scheduler::stats();
        let t = submit(move || {
            let _keep = h;
            r.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        t.cancel(CancelReason::TimedOut);
        // The closure (and what it owns) is gone at once.
        assert_eq!(Arc::strong_count(&held), 1);
        let after = scheduler::stats();
        assert_eq!(after.timed_out, before.timed_out + 1);
        assert_eq!(after.queued, 0);
        drop(gates);
        let (tx, rx) = mpsc::channel();
        submit(move || tx.send(()).unwrap()).unwrap();
        rx.recv().unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn cancelling_a_running_job_stops_its_split() {
        let _g = engine();
        let chunks = Arc::new(AtomicUsize::new(0));
        let (started_tx, started_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let (done_tx, done_rx) = mpsc::channel();
        let c = chunks.clone();
        let before = scheduler::stats().cancelled;
        let t = submit(move || {
            let go = Mutex::new(Some(go_rx));
            for_each_index(10_000, |i| {
                if i == 0 {
                    started_tx.send(()).unwrap();
                    let rx = go.lock().unwrap().take().unwrap();
                    let _ = rx.recv();
                } else {
                    // Slow enough that helpers cannot finish the rest before the cancel.
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                c.fetch_add(1, Ordering::SeqCst);
            });
            done_tx.send(cancelled()).unwrap();
        })
        .unwrap();
        started_rx.recv().unwrap();
        t.cancel(CancelReason::Cancelled);
        drop(go_tx);
        assert!(done_rx.recv().unwrap(), "the job sees its cancellation");
        // Index 0 ran; helpers stop at their next index, so far fewer than all ran.
        assert!(chunks.load(Ordering::SeqCst) < 10_000);
        // The slot is released after the job returns; wait for the count.
        for _ in 0..1000 {
            if scheduler::stats().cancelled > before {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(scheduler::stats().cancelled, before + 1);
        assert!(!cancelled(), "sync callers are never cancelled");
    }

    #[test]
    fn stats_have_percentiles() {
        let _g = engine();
        let (tx, rx) = mpsc::channel();
        for _ in 0..10 {
            let tx = tx.clone();
            submit(move || {
                std::thread::sleep(std::time::Duration::from_millis(2));
                tx.send(()).unwrap();
            })
            .unwrap();
        }
        for _ in 0..10 {
            rx.recv().unwrap();
        }
        let s = scheduler::stats();
        assert!(s.window >= 10);
        assert!(s.run_time.p99 >= 0.0015, "{s:?}");
        assert!(s.run_time.p50 <= s.run_time.p95 && s.run_time.p95 <= s.run_time.p99);
        assert!(s.threads >= 1);
    }

    #[test]
    fn resizing_the_pool() {
        let _g = engine();
        let n = num_threads();
        set_num_threads(3).unwrap();
        assert_eq!(num_threads(), 3);
        let sum = AtomicUsize::new(0);
        for_each_index(100, |i| {
            sum.fetch_add(i, Ordering::Relaxed);
        });
        assert_eq!(sum.into_inner(), 4950);
        assert!(set_num_threads(0).is_err());
        set_num_threads(n).unwrap();
        assert_eq!(num_threads(), n);
    }
}
