//! Memory behind arrays: 64-byte aligned, fallible allocation wrapped as an Arrow `Buffer`, and
//! the borrow state that keeps writes away from buffers a running job reads.

use crate::error::{Error, Result};
use arrow_buffer::Buffer;
use std::alloc::{alloc, alloc_zeroed, dealloc, Layout};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const ALIGNMENT: usize = 64;

/// Owner of one allocation; frees it when the last `Buffer` over it drops. The buffer's data
/// starts at the first 64-byte boundary inside it.
struct AlignedAlloc {
    ptr: NonNull<u8>,
    layout: Layout,
}

/// What `malloc` aligns to on every 64-bit target Raptors builds for: Rust's system allocator
/// calls plain `malloc` for layouts of this alignment.
const MALLOC_ALIGN: usize = 16;

// SAFETY: the allocation is plain bytes owned uniquely by this value; access is coordinated by
// `BorrowState` at the array level.
unsafe impl Send for AlignedAlloc {}
unsafe impl Sync for AlignedAlloc {}
impl std::panic::RefUnwindSafe for AlignedAlloc {}

impl Drop for AlignedAlloc {
    fn drop(&mut self) {
        if self.layout.align() == HUGE_PAGE {
            cache::put(self.ptr, self.layout);
        } else if !medium::put(self.ptr, self.layout) {
            // SAFETY: ptr was returned by alloc with exactly this layout.
            unsafe { dealloc(self.ptr.as_ptr(), self.layout) }
        }
    }
}

/// Recycling of medium buffers (1 KiB up to `LARGE`), the outputs of ops on 10^2-10^5
/// elements: a freed block is kept (at most `BLOCKS` of them and `BYTES` in all) and handed
/// out again for a request of the same size class. glibc would otherwise serve each from its
/// bins, often consolidating its fast bins first, which costs about as much as a
/// 1,000-element add. Sizes are rounded up to a class (eighths of a power of two, at most
/// 12.5% more), so a block fits every request of its class. `RAPTORS_BUFFER_CACHE_MB=0` turns
/// this off too.
mod medium {
    use super::{dealloc, Layout, LARGE, MALLOC_ALIGN};
    use std::ptr::NonNull;
    use std::sync::Mutex;

    const MIN: usize = 1 << 10;
    const BLOCKS: usize = 32;
    const BYTES: usize = 16 << 20;

    /// (address, size) of each kept block, oldest first, and their total size.
    static FREE: Mutex<(Vec<(usize, usize)>, usize)> = Mutex::new((Vec::new(), 0));

    /// The class size for `size` bytes (`size` itself outside the medium range).
    pub(super) fn class(size: usize) -> usize {
        if !(MIN..LARGE).contains(&size) {
            return size;
        }
        let step = size.next_power_of_two() / 8;
        size.next_multiple_of(step)
    }

    /// A kept block of exactly `layout`'s size, if there is one.
    pub(super) fn get(layout: Layout) -> Option<NonNull<u8>> {
        if layout.align() != MALLOC_ALIGN || !(MIN..LARGE).contains(&layout.size()) {
            return None;
        }
        let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
        let i = free
            .0
            .iter()
            .rposition(|&(_, size)| size == layout.size())?;
        let (addr, size) = free.0.remove(i);
        free.1 -= size;
        NonNull::new(addr as *mut u8)
    }

    /// Keeps a freed block (dropping the oldest ones to make room); false when the caller
    /// must free it: not a medium block, or recycling is off (`RAPTORS_BUFFER_CACHE_MB=0`).
    pub(super) fn put(ptr: NonNull<u8>, layout: Layout) -> bool {
        let size = layout.size();
        if layout.align() != MALLOC_ALIGN
            || !(MIN..LARGE).contains(&size)
            || size != class(size)
            || super::cache::limit() == 0
        {
            return false;
        }
        let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
        while free.0.len() == BLOCKS || free.1 + size > BYTES {
            let (addr, old) = free.0.remove(0);
            free.1 -= old;
            // SAFETY: every kept block came from `alloc` with its size and MALLOC_ALIGN.
            unsafe {
                dealloc(
                    addr as *mut u8,
                    Layout::from_size_align_unchecked(old, MALLOC_ALIGN),
                )
            };
        }
        free.0.push((ptr.as_ptr() as usize, size));
        free.1 += size;
        true
    }
}

/// Buffers of at least this many bytes are "large": 2 MiB aligned, backed by transparent huge
/// pages where the kernel allows (one fault per 2 MiB instead of 512), and recycled.
pub const LARGE: usize = 2 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// Recycling of large buffers. A fresh large output would otherwise be page-faulted in on
/// first write, which costs more than an add over it: NumPy-style `c = a + b` in a loop then
/// runs at a fraction of memory bandwidth. Freed large blocks are kept (most recent last, up
/// to `RAPTORS_BUFFER_CACHE_MB`, default 256 MiB; 0 disables) and handed out again for
/// requests of at most their size and at least 4/5 of it.
mod cache {
    use super::{HUGE_PAGE, LARGE};
    use std::alloc::{alloc, dealloc, Layout};
    use std::ptr::NonNull;
    use std::sync::{Mutex, OnceLock};

    struct Blocks {
        /// (address, layout), oldest first.
        free: Vec<(usize, Layout)>,
        bytes: usize,
    }

    static BLOCKS: Mutex<Blocks> = Mutex::new(Blocks {
        free: Vec::new(),
        bytes: 0,
    });

    pub(super) fn limit() -> usize {
        static LIMIT: OnceLock<usize> = OnceLock::new();
        *LIMIT.get_or_init(|| {
            std::env::var("RAPTORS_BUFFER_CACHE_MB")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .map_or(256 << 20, |mb| mb.saturating_mul(1 << 20))
        })
    }

    fn blocks() -> std::sync::MutexGuard<'static, Blocks> {
        BLOCKS.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A block of at least `nbytes` (>= LARGE): recycled when one fits, else fresh.
    pub(super) fn get(nbytes: usize) -> Option<(NonNull<u8>, Layout)> {
        {
            let mut b = blocks();
            let fit = b
                .free
                .iter()
                .enumerate()
                .filter(|(_, (_, l))| l.size() >= nbytes && l.size() / 5 * 4 <= nbytes)
                .min_by_key(|(_, (_, l))| l.size())
                .map(|(i, _)| i);
            if let Some(i) = fit {
                let (addr, layout) = b.free.remove(i);
                b.bytes -= layout.size();
                return Some((NonNull::new(addr as *mut u8).expect("cached"), layout));
            }
        }
        let size = nbytes.checked_next_multiple_of(HUGE_PAGE)?;
        debug_assert!(size >= LARGE);
        let layout = Layout::from_size_align(size, HUGE_PAGE).ok()?;
        // SAFETY: non-zero size.
        let ptr = NonNull::new(unsafe { alloc(layout) })?;
        #[cfg(target_os = "linux")]
        // SAFETY: advisory only, on memory we own; failure (THP disabled) is harmless.
        unsafe {
            libc::madvise(ptr.as_ptr().cast(), size, libc::MADV_HUGEPAGE);
        }
        Some((ptr, layout))
    }

    /// Takes back a block from `get`; frees the oldest blocks beyond the limit.
    pub(super) fn put(ptr: NonNull<u8>, layout: Layout) {
        let mut evicted = Vec::new();
        {
            let mut b = blocks();
            if layout.size() <= limit() {
                b.free.push((ptr.as_ptr() as usize, layout));
                b.bytes += layout.size();
            } else {
                evicted.push((ptr.as_ptr() as usize, layout));
            }
            while b.bytes > limit() {
                let old = b.free.remove(0);
                b.bytes -= old.1.size();
                evicted.push(old);
            }
        }
        for (addr, layout) in evicted {
            // SAFETY: every block came from `alloc` with this layout and is no longer used.
            unsafe { dealloc(addr as *mut u8, layout) }
        }
    }

    /// Bytes currently held for reuse.
    pub fn held_bytes() -> usize {
        blocks().bytes
    }
}

pub use cache::held_bytes as buffer_cache_bytes;

/// Allocates `nbytes` 64-byte aligned bytes as a `Buffer`; `Error::Alloc` instead of aborting
/// when the system refuses.
pub fn alloc_buffer(nbytes: usize, zeroed: bool) -> Result<Buffer> {
    if nbytes == 0 {
        // A dangling pointer aligned for every element type; nothing is ever read through it.
        let dangling = NonNull::new(ALIGNMENT as *mut u8).expect("non-zero");
        // SAFETY: a zero-length buffer is never dereferenced; the owner frees nothing.
        return Ok(unsafe { Buffer::from_custom_allocation(dangling, 0, Arc::new(())) });
    }
    let refused = || Error::Alloc(format!("Unable to allocate {}", human_bytes(nbytes)));
    let (ptr, layout) = if nbytes >= LARGE {
        let (ptr, layout) = cache::get(nbytes).ok_or_else(refused)?;
        if zeroed {
            // SAFETY: the block holds at least nbytes.
            unsafe { std::ptr::write_bytes(ptr.as_ptr(), 0, nbytes) };
        }
        (ptr, layout)
    } else {
        // Plain malloc with room to align by hand: an aligned allocation (posix_memalign)
        // splits off leftover chunks that make glibc consolidate its free lists on the next
        // one, which cost more than a 1,000-element add.
        let size = nbytes
            .checked_add(ALIGNMENT - MALLOC_ALIGN)
            .ok_or_else(refused)?;
        let layout =
            Layout::from_size_align(medium::class(size), MALLOC_ALIGN).map_err(|_| refused())?;
        let raw = match medium::get(layout) {
            Some(ptr) => {
                if zeroed {
                    // SAFETY: the block holds layout.size() bytes.
                    unsafe { std::ptr::write_bytes(ptr.as_ptr(), 0, layout.size()) };
                }
                ptr.as_ptr()
            }
            // SAFETY: layout has a non-zero size.
            None if zeroed => unsafe { alloc_zeroed(layout) },
            None => unsafe { alloc(layout) },
        };
        (NonNull::new(raw).ok_or_else(refused)?, layout)
    };
    // Large blocks are 2 MiB aligned already; malloc's are 16-byte aligned, so the first
    // 64-byte boundary is at most 48 bytes in, inside the slack allocated for it.
    let data = ptr
        .as_ptr()
        .wrapping_add(ptr.as_ptr().align_offset(ALIGNMENT));
    let data = NonNull::new(data).expect("inside the allocation");
    let owner = Arc::new(AlignedAlloc { ptr, layout });
    // SAFETY: data is valid for nbytes and lives as long as `owner`, which the Buffer keeps.
    Ok(unsafe { Buffer::from_custom_allocation(data, nbytes, owner) })
}

/// NumPy's size wording for allocation errors ("7.45 GiB").
pub fn human_bytes(n: usize) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.2} {}", UNITS[u])
    }
}

const WRITER: usize = 1 << (usize::BITS - 1);

/// Shared by every view of one buffer: how many jobs read it, whether a write is under way, and
/// how many writable exports (NumPy views, DLPack capsules) foreign code holds.
#[derive(Debug, Default)]
pub struct BorrowState {
    state: AtomicUsize,
    exports: AtomicUsize,
}

impl BorrowState {
    pub fn new() -> Arc<Self> {
        Arc::new(BorrowState::default())
    }

    /// Number of live read borrows.
    pub fn readers(&self) -> usize {
        self.state.load(Ordering::SeqCst) & !WRITER
    }

    /// Number of live writable exports.
    pub fn writable_exports(&self) -> usize {
        self.exports.load(Ordering::SeqCst)
    }

    /// Registers a reader (a job); fails while a write is under way or foreign code holds a
    /// writable export (it could write at any moment).
    pub fn read(self: &Arc<Self>) -> Result<ReadBorrow> {
        let prev = self.state.fetch_add(1, Ordering::SeqCst);
        if prev & WRITER != 0 {
            self.state.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Borrowed(
                "cannot read the array: a write into its buffer is in progress".into(),
            ));
        }
        // Pairs with export_writable: of a racing export and job, at least one sees the other.
        if self.exports.load(Ordering::SeqCst) > 0 {
            self.state.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Borrowed(
                "cannot start a job on the array: its buffer is exported writable (a NumPy view, \
                 memoryview or DLPack capsule is alive); drop that view, export it read-only, or \
                 pass a copy"
                    .into(),
            ));
        }
        Ok(ReadBorrow(self.clone()))
    }

    /// Whether a write into the buffer is under way (a kernel writing, or an async job that
    /// will write its result into it).
    pub fn is_writing(&self) -> bool {
        self.state.load(Ordering::SeqCst) & WRITER != 0
    }

    /// Takes the buffer exclusively for a write; fails while any job reads it. Inside
    /// `holding_write` on the same buffer, succeeds with a guard that leaves the held borrow.
    pub fn write(self: &Arc<Self>) -> Result<WriteBorrow> {
        match self
            .state
            .compare_exchange(0, WRITER, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => Ok(WriteBorrow(Some(self.clone()))),
            Err(state) if state & WRITER != 0 && held_here(self) => Ok(WriteBorrow(None)),
            Err(state) if state & WRITER != 0 => Err(Error::Borrowed(
                "cannot write into the array: another write into its buffer is in progress".into(),
            )),
            Err(state) => Err(Error::Borrowed(format!(
                "cannot write into the array: its buffer is in use by {} running job(s); \
                 await the job first, or write to a copy",
                state & !WRITER
            ))),
        }
    }

    /// Registers a writable export to foreign code: refused while a job reads the buffer; while
    /// it lives, jobs are refused instead.
    pub fn export_writable(self: &Arc<Self>) -> Result<ExportBorrow> {
        self.exports.fetch_add(1, Ordering::SeqCst);
        if self.is_writing() {
            self.exports.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Borrowed(
                "cannot export the array writable: a write into its buffer is in progress".into(),
            ));
        }
        if self.readers() > 0 {
            self.exports.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Borrowed(
                "cannot export the array writable: a running job reads its buffer".into(),
            ));
        }
        Ok(ExportBorrow(self.clone()))
    }
}

/// A read borrow; released on drop.
#[derive(Debug)]
pub struct ReadBorrow(Arc<BorrowState>);

impl Drop for ReadBorrow {
    fn drop(&mut self) {
        self.0.state.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An exclusive write borrow; released on drop (unless it re-enters one held by `holding_write`).
#[derive(Debug)]
pub struct WriteBorrow(Option<Arc<BorrowState>>);

impl Drop for WriteBorrow {
    fn drop(&mut self) {
        if let Some(s) = &self.0 {
            s.state.fetch_and(!WRITER, Ordering::SeqCst);
        }
    }
}

thread_local! {
    /// Buffers whose write borrow the code running on this thread holds (an async job writing
    /// into `out=`), so the kernel it calls can take that borrow again.
    static HELD: std::cell::RefCell<Vec<Arc<BorrowState>>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn held_here(s: &Arc<BorrowState>) -> bool {
    HELD.with(|h| h.borrow().iter().any(|x| Arc::ptr_eq(x, s)))
}

/// Runs `f` holding `guard`: for the whole call the buffer stays exclusively taken (no job may
/// read it, no other write may start), while writes that `f` makes on this thread go through.
pub fn holding_write<R>(guard: &WriteBorrow, f: impl FnOnce() -> R) -> R {
    struct Pop(bool);
    impl Drop for Pop {
        fn drop(&mut self) {
            if self.0 {
                HELD.with(|h| h.borrow_mut().pop());
            }
        }
    }
    let _pop = Pop(guard.0.is_some());
    if let Some(s) = &guard.0 {
        HELD.with(|h| h.borrow_mut().push(s.clone()));
    }
    f()
}

/// A writable export held by foreign code; released on drop.
#[derive(Debug)]
pub struct ExportBorrow(Arc<BorrowState>);

impl Drop for ExportBorrow {
    fn drop(&mut self) {
        self.0.exports.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_and_zeroed() {
        for n in [1, 7, 48, 63, 64, 65, 1000, 4095, 100_000] {
            let b = alloc_buffer(n, true).unwrap();
            assert_eq!(b.as_ptr() as usize % ALIGNMENT, 0);
            assert_eq!(b.len(), n);
            assert!(b.as_slice().iter().all(|&x| x == 0));
            // The whole length is ours to write, as kernels write outputs.
            // SAFETY: the buffer is unshared and holds n bytes.
            unsafe { std::ptr::write_bytes(b.as_ptr().cast_mut(), 7, n) };
            assert!(b.as_slice().iter().all(|&x| x == 7));
            let b = alloc_buffer(n, false).unwrap();
            assert_eq!(b.as_ptr() as usize % ALIGNMENT, 0);
        }
        assert_eq!(alloc_buffer(0, false).unwrap().len(), 0);
    }

    #[test]
    fn medium_buffers_are_recycled() {
        assert_eq!(medium::class(1000), 1000);
        assert_eq!(medium::class(1024), 1024);
        assert_eq!(medium::class(1025), 1280);
        assert_eq!(medium::class(300_049), 327_680);
        assert_eq!(medium::class(LARGE), LARGE);
        // Parallel tests may take the freed block first: one reuse in a few tries will do.
        let reused = (0..10).any(|_| {
            let b = alloc_buffer(300_001, false).unwrap();
            let p = b.as_ptr();
            drop(b);
            let b = alloc_buffer(300_001, true).unwrap();
            assert_eq!(b.as_ptr() as usize % ALIGNMENT, 0);
            assert!(b.as_slice().iter().all(|&x| x == 0), "zeroed when reused");
            b.as_ptr() == p
        });
        assert!(reused);
    }

    #[test]
    fn large_buffers_are_recycled() {
        // A size no other (parallel) test asks for, so nobody else takes the block.
        let n = 37 * LARGE + 123;
        let b = alloc_buffer(n, false).unwrap();
        assert_eq!(b.as_ptr() as usize % ALIGNMENT, 0);
        assert_eq!(b.len(), n);
        let p = b.as_ptr();
        drop(b);
        assert!(buffer_cache_bytes() >= n);
        // A slightly smaller request reuses the block; zeroed ones are cleared.
        let again = alloc_buffer(n - 1000, true).unwrap();
        assert_eq!(again.as_ptr(), p);
        assert!(again.as_slice().iter().all(|&x| x == 0));
    }

    #[test]
    fn huge_allocation_is_an_error() {
        assert!(matches!(
            alloc_buffer(isize::MAX as usize - 63, false),
            Err(Error::Alloc(_))
        ));
    }

    #[test]
    fn borrow_rules() {
        let s = BorrowState::new();
        let r1 = s.read().unwrap();
        let r2 = s.read().unwrap();
        assert_eq!(s.readers(), 2);
        assert!(matches!(s.write(), Err(Error::Borrowed(_))));
        drop((r1, r2));
        let w = s.write().unwrap();
        assert!(s.read().is_err());
        drop(w);
        assert!(s.read().is_ok());
        assert_eq!(s.readers(), 0);
        let export = s.export_writable().unwrap();
        assert!(s.read().is_err());
        assert!(s.write().is_ok());
        drop(export);
        let job = s.read().unwrap();
        assert!(s.export_writable().is_err());
        drop(job);
    }

    #[test]
    fn held_write_reenters_only_on_its_thread() {
        let s = BorrowState::new();
        let held = s.write().unwrap();
        holding_write(&held, || {
            let inner = s.write().unwrap();
            drop(inner); // leaves the held borrow in place
            assert!(s.is_writing());
            let s2 = s.clone();
            let other = std::thread::spawn(move || s2.write().is_err());
            assert!(other.join().unwrap());
        });
        assert!(
            s.write().is_err(),
            "outside the call the borrow is not re-entered"
        );
        assert!(s.read().is_err() && s.export_writable().is_err());
        drop(held);
        assert!(!s.is_writing() && s.read().is_ok());
    }
}
