//! Cancel tokens. A job's token is "current" on the thread running it (and on the pool workers
//! that help it through `for_each_index`), so kernels need no parameter to notice a
//! cancellation: `for_each_index` stops handing out chunks, and long sequential loops may ask
//! `cancelled()` themselves.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

/// Why a job was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelReason {
    /// The awaiting side gave up (task cancelled, client gone).
    Cancelled,
    /// The job's `timeout` expired.
    TimedOut,
}

const LIVE: u8 = 0;
const CANCELLED: u8 = 1;
const TIMED_OUT: u8 = 2;

/// A shared flag a job's work checks between chunks. Cloning shares the flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicU8>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests a stop; the first reason wins. Returns whether this call set it.
    pub fn cancel(&self, reason: CancelReason) -> bool {
        let code = match reason {
            CancelReason::Cancelled => CANCELLED,
            CancelReason::TimedOut => TIMED_OUT,
        };
        self.0
            .compare_exchange(LIVE, code, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed) != LIVE
    }

    pub fn reason(&self) -> Option<CancelReason> {
        match self.0.load(Ordering::SeqCst) {
            CANCELLED => Some(CancelReason::Cancelled),
            TIMED_OUT => Some(CancelReason::TimedOut),
            _ => None,
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<CancelToken>> = const { RefCell::new(None) };
}

/// Runs `f` with `token` as this thread's current token (restoring the previous one after,
/// also on panic).
pub fn with_token<R>(token: Option<CancelToken>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<CancelToken>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(token)));
    f()
}

/// The token of the job running on this thread, if any.
pub fn current_token() -> Option<CancelToken> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether the job running on this thread has been asked to stop. Sync calls never are.
pub fn cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(CancelToken::is_cancelled))
}
