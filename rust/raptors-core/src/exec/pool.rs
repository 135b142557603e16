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

/// How the compute threads yield to the process's other threads: `RAPTORS_WORKER_NICE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerPriority {
    /// A nice increment over the process's own priority (0..=19; default 10), with
    /// `SCHED_BATCH`. A service's event loop and I/O threads, which sleep most of the time and
    /// then need the CPU for microseconds, usually preempt a computing worker when they wake;
    /// the kernel may still let the worker finish a short slice first (1-4 ms measured on
    /// Linux 6.18). 0 leaves the workers at the process's priority.
    Nice(i32),
    /// `idle`: `SCHED_IDLE`. Any other thread that wakes preempts a worker at once, so the
    /// event loop never waits for compute. The cost: against other CPU-bound processes the
    /// workers get almost no CPU (the kernel weighs an idle thread at 3/1024 of a nice-0 one).
    /// Meant for a service that owns its cores (see docs/service.md).
    Idle,
}

/// `RAPTORS_WORKER_NICE`: an integer 0..=19 (clamped) or `idle`; default 10. Linux only
/// (elsewhere a no-op).
pub fn worker_priority() -> WorkerPriority {
    let var = std::env::var("RAPTORS_WORKER_NICE").unwrap_or_default();
    match var.trim() {
        "idle" => WorkerPriority::Idle,
        v => WorkerPriority::Nice(v.parse::<i32>().map_or(10, |n| n.clamp(0, 19))),
    }
}

/// Applies `priority` to the calling thread (Linux applies nice values and policies per thread
/// when given id 0). Failures are ignored: priority is a hint.
fn lower_priority(priority: WorkerPriority) {
    #[cfg(target_os = "linux")]
    // SAFETY: plain syscalls on the calling thread with valid arguments.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        match priority {
            WorkerPriority::Nice(0) => {}
            WorkerPriority::Nice(nice) => {
                *libc::__errno_location() = 0;
                let current = libc::getpriority(libc::PRIO_PROCESS, 0);
                if *libc::__errno_location() == 0 {
                    libc::setpriority(libc::PRIO_PROCESS, 0, (current + nice).min(19));
                }
                libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
            }
            WorkerPriority::Idle => {
                libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = priority;
}

/// `RAPTORS_PIN_WORKERS=1`: the CPUs to pin worker `i` to (`cpus[i % len]`), the process's
/// affinity mask at pool start; `None` (no pinning) when unset, `0`, or not on Linux.
///
/// Meant with `RAPTORS_WORKER_NICE=idle`: Linux counts a CPU that runs only `SCHED_IDLE`
/// threads as idle when it places a waking thread, so the second worker of a split is often
/// queued behind the first on one CPU while another CPU sits idle, until the load balancer
/// moves it (about 1 ms here: a 512 x 512 float32 product after a 0.5 ms pause took 2.7 ms
/// instead of 1.4). Pinned, each worker wakes on its own CPU.
fn worker_cpus() -> Option<Vec<usize>> {
    let on = std::env::var("RAPTORS_PIN_WORKERS").is_ok_and(|v| !matches!(v.trim(), "" | "0"));
    if !on {
        return None;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: `set` is a plain bit set the kernel fills; the macros only index into it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return None;
        }
        let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect();
        (!cpus.is_empty()).then_some(cpus)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Pins the calling thread to `cpu` (a hint like the priority: failures are ignored).
fn pin_to(cpu: usize) {
    #[cfg(target_os = "linux")]
    // SAFETY: as in `worker_cpus`; the call affects the calling thread only.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cpu;
}

fn build(threads: usize) -> Result<Arc<ThreadPool>> {
    let priority = worker_priority();
    let cpus = worker_cpus();
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("raptors-{i}"))
        .start_handler(move |i| {
            lower_priority(priority);
            if let Some(cpus) = &cpus {
                pin_to(cpus[i % cpus.len()]);
            }
        })
        .build()
        .map(Arc::new)
        .map_err(|e| Error::Alloc(format!("cannot start the raptors thread pool: {e}")))
}

/// Threads of the current pool, 0 before it starts: read on every kernel call, so kept apart
/// from the pool's lock and reference count.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// The shared pool, started on first use.
pub fn pool() -> Arc<ThreadPool> {
    if let Some(p) = POOL.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    let pool = slot
        .get_or_insert_with(|| {
            build(default_num_threads()).expect("failed to start the raptors thread pool")
        })
        .clone();
    THREADS.store(pool.current_num_threads(), Ordering::Relaxed);
    pool
}

/// Compute threads of the pool.
pub fn num_threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => pool().current_num_threads(),
        n => n,
    }
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
    let old = {
        let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
        THREADS.store(new.current_num_threads(), Ordering::Relaxed);
        slot.replace(new)
    };
    SEATS.generation.fetch_add(1, Ordering::AcqRel);
    drop(old);
    super::scheduler::threads_changed();
    Ok(())
}

/// Runs `job` on the pool without waiting for it.
pub fn spawn(job: impl FnOnce() + Send + 'static) {
    SPAWNED.fetch_add(1, Ordering::Release);
    pool().spawn(job);
}

/// How long a pool worker that helped with a split keeps watching for the next one before it
/// goes back to Rayon (which parks idle threads): `RAPTORS_SPIN_US` microseconds, default 100;
/// 0 turns lingering off. Back-to-back operations (a Python expression, a request's few
/// kernels) then hand chunks to a thread that is already running, on another CPU, instead of
/// waking a parked one: tens of microseconds on a VM, and a wake-up that lands on the
/// caller's own CPU does not help at all. The spin uses `pause`, not `sched_yield`, so the
/// kernel sees a steadily busy thread and balances it away from the caller.
pub fn spin_time() -> std::time::Duration {
    static SPIN_US: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let us = *SPIN_US.get_or_init(|| {
        std::env::var("RAPTORS_SPIN_US")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(100, |us| us.min(1_000_000))
    });
    std::time::Duration::from_micros(us)
}

/// Where lingering workers wait for splits: `threads - 1` seats (a split never uses more
/// helpers, and with fewer threads spinning than there are CPUs for the pool, the caller keeps
/// a CPU of its own). A seat is `EMPTY`, `WAITING` (a worker polls it), `BUSY` (its worker is
/// serving a split) or a pointer from `Arc::into_raw` to the `Shared` of a call that chose
/// this worker. A caller only ever turns `WAITING` into a pointer; everything else is done by
/// the seat's own worker, which always serves a pointer it finds, so no hand-off is lost and no
/// `Arc` leaks.
struct Seats {
    seats: Box<[Seat]>,
    /// Bumped when the pool is replaced: workers of the old pool stop lingering.
    generation: AtomicUsize,
}

#[repr(align(64))]
struct Seat(AtomicUsize);

const EMPTY: usize = 0;
const WAITING: usize = 1;
const BUSY: usize = 2;

static SEATS: std::sync::LazyLock<Seats> = std::sync::LazyLock::new(|| Seats {
    seats: (0..MAX_SEATS)
        .map(|_| Seat(AtomicUsize::new(EMPTY)))
        .collect(),
    generation: AtomicUsize::new(0),
});

/// Lingering workers at most; larger pools wake the rest through Rayon.
const MAX_SEATS: usize = 64;

/// The seats of a pool of `threads` threads.
fn seats(threads: usize) -> &'static [Seat] {
    &SEATS.seats[..threads.saturating_sub(1).min(MAX_SEATS)]
}

/// Workers lingering in a seat of the current pool right now.
#[cfg(test)]
pub(super) fn lingering() -> usize {
    seats(num_threads())
        .iter()
        .filter(|s| s.0.load(Ordering::Relaxed) == WAITING)
        .count()
}

/// Jobs handed to `spawn` so far: a lingering worker stops when this moves.
static SPAWNED: AtomicUsize = AtomicUsize::new(0);

/// Hands `shared` to up to `wanted` lingering workers. Returns how many took it and how many
/// seats are empty: only those stand for workers worth waking through Rayon. A seat that is
/// busy, or whose worker has not yet picked up an earlier hand-off, has a running worker that
/// is merely late; waking a parked one for it would put a third thread on two CPUs.
fn hand_to_lingerers(shared: &Arc<Shared>, wanted: usize, threads: usize) -> (usize, usize) {
    let (mut given, mut empty) = (0, 0);
    for seat in seats(threads) {
        match seat.0.load(Ordering::Relaxed) {
            EMPTY => empty += 1,
            WAITING if given < wanted => {
                let ptr = Arc::into_raw(shared.clone()) as usize;
                match seat
                    .0
                    .compare_exchange(WAITING, ptr, Ordering::AcqRel, Ordering::Relaxed)
                {
                    Ok(_) => given += 1,
                    // SAFETY: the pointer was not published; take the reference back.
                    Err(_) => drop(unsafe { Arc::from_raw(ptr as *const Shared) }),
                }
            }
            _ => {}
        }
    }
    (given, empty)
}

/// Runs on a pool worker after it helped with a split: sits in a free seat and serves every
/// split handed to it until `spin_time` passes without one. A job spawned on the pool
/// meanwhile (`spawn`: the async engine) ends the wait at once, so lingering never holds one
/// up when every other worker is busy.
fn linger(threads: usize) {
    let spin = spin_time();
    if spin.is_zero() {
        return;
    }
    let Some(seat) = seats(threads).iter().find(|s| {
        s.0.compare_exchange(EMPTY, WAITING, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
    }) else {
        return;
    };
    let seat = &seat.0;
    let generation = SEATS.generation.load(Ordering::Acquire);
    let spawned = SPAWNED.load(Ordering::Acquire);
    let mut deadline = std::time::Instant::now() + spin;
    let mut polls = 0u32;
    loop {
        let v = seat.load(Ordering::Acquire);
        if v > BUSY {
            seat.store(BUSY, Ordering::Relaxed);
            // SAFETY: a caller published this reference for this seat's worker alone.
            let shared = unsafe { Arc::from_raw(v as *const Shared) };
            // Back in the seat before the caller can return, so its next split finds it.
            serve(&shared, || seat.store(WAITING, Ordering::Release));
            deadline = std::time::Instant::now() + spin;
            continue;
        }
        polls = polls.wrapping_add(1);
        if !polls.is_multiple_of(64) {
            std::hint::spin_loop();
            continue;
        }
        let done = std::time::Instant::now() >= deadline
            || SPAWNED.load(Ordering::Relaxed) != spawned
            || SEATS.generation.load(Ordering::Relaxed) != generation;
        if done
            && seat
                .compare_exchange(WAITING, EMPTY, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            return;
        }
        // Otherwise a split arrived at the last moment: serve it first.
    }
}

/// One helper's part of a split: registered in `active` before it checks `closed`; `done`
/// runs after its last index and before the caller may return.
fn serve(shared: &Shared, done: impl FnOnce()) {
    shared.active.fetch_add(1, Ordering::SeqCst);
    if !shared.closed.load(Ordering::SeqCst) {
        let home = 1 + shared.joined.fetch_add(1, Ordering::Relaxed);
        with_token(shared.token.clone(), || shared.work(home));
    }
    done();
    shared.active.fetch_sub(1, Ordering::SeqCst);
}

/// Items per task when `n` items are split with [`for_each_index`]: at least `min`, and at
/// least a sixteenth of each thread's share, so that each thread streams long contiguous
/// stretches of memory. Threads taking small tasks in turn interleave through memory and the
/// hardware prefetchers restart at every task: float32 `exp` of 1e7 on 2 threads ran at 24.5
/// GB/s in tasks of 4096 elements, slower than one thread (28.8 GB/s). Sixteen tasks per
/// thread still balance a thread that loses its core for a while.
pub fn task_len(n: usize, min: usize) -> usize {
    min.max(n.div_ceil(16 * num_threads())).max(1)
}

/// Calls `f(i)` once for every `i` in `0..n`, in parallel: the calling thread starts on the
/// indices at once and up to `threads - 1` pool workers join as they come. The indices are cut
/// into one contiguous block per thread; each thread works through its own block first and
/// then helps with the others (see [`Shared::work`]). Workers that helped recently are still
/// spinning (`spin_time`) and join within a microsecond; the rest are queued on Rayon, which
/// wakes parked ones. The caller never waits for a worker that has not started: a late worker
/// finds the call closed and leaves without touching `f`. So a wake-up never delays the call,
/// and at most `threads` threads compute. A panic in `f` propagates to the caller.
///
/// Inside a job, the job's cancel token is checked before every index: once it is cancelled,
/// no further index starts and the call returns early (the job then reports the cancellation
/// and its partial output is discarded). Helpers run with the same token current.
pub fn for_each_index(n: usize, f: impl Fn(usize) + Sync) {
    split(n, false, &f)
}

/// [`for_each_index`] with the indices dealt to the threads like cards instead of cut into
/// blocks: thread `k` of `p` starts with `k, k + p, k + 2p, ...`. For task lists ordered so
/// that neighbouring tasks want different threads (GEMM: the column parts of one row block,
/// each reading B panels its thread packed).
pub fn for_each_index_dealt(n: usize, f: impl Fn(usize) + Sync) {
    split(n, true, &f)
}

fn split(n: usize, dealt: bool, f: &(dyn Fn(usize) + Sync)) {
    let token = current_token();
    let threads = num_threads();
    let helpers = threads.min(n).saturating_sub(1);
    if helpers == 0 {
        for i in 0..n {
            if token.as_ref().is_some_and(CancelToken::is_cancelled) {
                return;
            }
            f(i);
        }
        return;
    }
    // SAFETY: the 'static lifetime is a lie the protocol below makes safe: a worker calls `f`
    // only while registered in `active`, it registers before checking `closed`, and this
    // function sets `closed` and then waits for `active == 0` before returning (and thus
    // before `f` dies).
    let f: &'static (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(f) };
    let parts = helpers + 1;
    let shared = Arc::new(Shared {
        blocks: (0..parts)
            .map(|k| {
                let (first, step, len) = match dealt {
                    false => (k * n / parts, 1, (k + 1) * n / parts - k * n / parts),
                    true => (k, parts, (n - k).div_ceil(parts)),
                };
                Block {
                    next: AtomicUsize::new(0),
                    len,
                    first,
                    step,
                }
            })
            .collect(),
        joined: AtomicUsize::new(0),
        active: AtomicUsize::new(0),
        closed: AtomicBool::new(false),
        panic: Mutex::new(None),
        f,
        token,
    });
    let (given, empty) = hand_to_lingerers(&shared, helpers, threads);
    let beyond_seats = helpers.saturating_sub(seats(threads).len());
    let wake = (helpers - given).min(empty + beyond_seats);
    if wake > 0 {
        let pool = pool();
        for _ in 0..wake {
            let shared = shared.clone();
            pool.spawn(move || {
                serve(&shared, || {});
                drop(shared);
                linger(threads);
            });
        }
    }
    shared.work(0);
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
    /// One block of indices per thread that may take part: the caller's is block 0.
    blocks: Box<[Block]>,
    /// Helpers that have started so far: the next one makes block `joined + 1` its home.
    joined: AtomicUsize,
    active: AtomicUsize,
    closed: AtomicBool,
    panic: Mutex<Option<Box<dyn std::any::Any + Send>>>,
    f: &'static (dyn Fn(usize) + Sync),
    token: Option<CancelToken>,
}

/// The home indices of one thread, `first + j * step` for `j` in `0..len`, of which those
/// from `j = next` on are not yet taken; on a cache line of its own.
#[repr(align(64))]
struct Block {
    next: AtomicUsize,
    len: usize,
    first: usize,
    step: usize,
}

impl Shared {
    /// Takes indices until none are left: first from block `home`, front to back, then from
    /// the other blocks in turn. A panic stops this thread and is kept for the caller.
    ///
    /// Home blocks give every call the same split of the data between threads: with two
    /// threads the caller always takes the front half and the helper the back half, so a
    /// buffer that one call writes and the next reads stays in the cache of the core that
    /// wrote it. One counter shared by all threads handed out indices in arrival order, and on
    /// this VM, whenever its two vCPUs did not share a cache, float32 `add` of 200,000 then
    /// ran no faster on two threads than on one (27-29 against 16-17 µs): each call fetched
    /// about half of its lines from the other core.
    fn work(&self, home: usize) {
        let parts = self.blocks.len();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for k in 0..parts {
                let block = &self.blocks[(home + k) % parts];
                loop {
                    let j = block.next.fetch_add(1, Ordering::Relaxed);
                    if j >= block.len || self.token.as_ref().is_some_and(CancelToken::is_cancelled)
                    {
                        break;
                    }
                    (self.f)(block.first + j * block.step);
                }
            }
        }));
        if let Err(payload) = run {
            // Others stop taking indices; the first panic wins.
            for block in &self.blocks {
                block.next.store(block.len, Ordering::Relaxed);
            }
            self.panic
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(payload);
        }
    }
}
