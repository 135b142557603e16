//! Matrix products: a BLIS-style packed GEMM (blocking for the caches, packed panels of A and
//! B, register-blocked micro-kernels chosen at run time) and a bandwidth-bound matrix-vector
//! path, for every element type.
//!
//! Every dtype computes in an accumulator type (`GemmElem::Acc`): float32 and float16 in
//! float32, float64 in float64, 8/16/32-bit integers and bool in wrapping `i32`, 64-bit
//! integers in wrapping `i64`. Wrapping arithmetic is exact modulo 2^bits, so narrowing the
//! `i32` sum back to an 8-bit type gives NumPy's wrapped result; bool counts the true products
//! and narrows to `count != 0`, NumPy's "or of ands".

mod blocking;
mod gemv;
mod micro;
mod pack;
#[cfg(test)]
mod tests;

pub use blocking::{blocks, Blocks};
pub use micro::{peak_flops, Micro};

use crate::dtype::Element;
use crate::exec;
use crate::kernels::cpu::caches;
use half::f16;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

/// An accumulator type: what packed panels hold and micro-kernels compute in.
pub trait Acc: Copy + Send + Sync + Default + PartialEq + std::fmt::Debug + 'static {
    /// `self + a * b`, wrapping for integers, rounded twice for floats.
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// `self + a * b` with one rounding for floats (only used where the CPU has FMA).
    fn fma(self, a: Self, b: Self) -> Self;
    /// `self + other`, wrapping for integers.
    fn add(self, other: Self) -> Self;
    /// The micro-kernel for this accumulator on this CPU.
    fn micro() -> Micro<Self>;
}

macro_rules! float_acc {
    ($t:ty, $micro:ident) => {
        impl Acc for $t {
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                self + a * b
            }
            #[inline(always)]
            fn fma(self, a: Self, b: Self) -> Self {
                a.mul_add(b, self)
            }
            #[inline(always)]
            fn add(self, other: Self) -> Self {
                self + other
            }
            fn micro() -> Micro<Self> {
                micro::$micro()
            }
        }
    };
}
float_acc!(f32, micro_f32);
float_acc!(f64, micro_f64);

macro_rules! int_acc {
    ($t:ty, $micro:ident) => {
        impl Acc for $t {
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                self.wrapping_add(a.wrapping_mul(b))
            }
            #[inline(always)]
            fn fma(self, a: Self, b: Self) -> Self {
                self.wrapping_add(a.wrapping_mul(b))
            }
            #[inline(always)]
            fn add(self, other: Self) -> Self {
                self.wrapping_add(other)
            }
            fn micro() -> Micro<Self> {
                micro::$micro()
            }
        }
    };
}
int_acc!(i32, micro_i32);
int_acc!(i64, micro_i64);

/// An element type matrix products accept.
pub trait GemmElem: Element {
    type Acc: Acc;
    /// Whether `Self` and `Acc` have the same bits (float32/64, (u)int32/64), so results are
    /// written straight into C; other types compute into an accumulator matrix first.
    const DIRECT: bool;
    fn widen(self) -> Self::Acc;
    fn narrow(acc: Self::Acc) -> Self;
    /// Widens a run (float16 overrides this with the F16C slice conversion).
    #[inline(always)]
    fn widen_slice(src: &[Self], dst: &mut [Self::Acc]) {
        for (d, &s) in dst.iter_mut().zip(src) {
            *d = s.widen();
        }
    }
}

macro_rules! gemm_elem {
    ($($t:ty => $acc:ty, $direct:literal),*) => {$(
        impl GemmElem for $t {
            type Acc = $acc;
            const DIRECT: bool = $direct;
            #[inline(always)]
            fn widen(self) -> $acc {
                self as $acc
            }
            #[inline(always)]
            fn narrow(acc: $acc) -> Self {
                acc as $t
            }
        }
    )*};
}
gemm_elem!(i8 => i32, false, i16 => i32, false, i32 => i32, true, u8 => i32, false,
           u16 => i32, false, u32 => i32, true, i64 => i64, true, u64 => i64, true,
           f32 => f32, true, f64 => f64, true);

impl GemmElem for bool {
    type Acc = i32;
    const DIRECT: bool = false;
    #[inline(always)]
    fn widen(self) -> i32 {
        self as i32
    }
    #[inline(always)]
    fn narrow(acc: i32) -> Self {
        acc != 0
    }
}

impl GemmElem for f16 {
    type Acc = f32;
    const DIRECT: bool = false;
    #[inline(always)]
    fn widen(self) -> f32 {
        self.to_f32()
    }
    #[inline(always)]
    fn narrow(acc: f32) -> Self {
        f16::from_f32(acc)
    }
    fn widen_slice(src: &[Self], dst: &mut [f32]) {
        use half::slice::HalfFloatSliceExt;
        src.convert_to_f32_slice(&mut dst[..src.len()]);
    }
}

/// A strided matrix operand: a pointer to element (0, 0) and element (not byte) strides, which
/// may be negative or zero.
#[derive(Clone, Copy, Debug)]
pub struct MatRef<T> {
    pub ptr: *const T,
    pub rs: isize,
    pub cs: isize,
}

/// The strided output matrix.
#[derive(Clone, Copy, Debug)]
pub struct MatMut<T> {
    pub ptr: *mut T,
    pub rs: isize,
    pub cs: isize,
}

// SAFETY: operands are plain pointers into buffers the caller keeps alive for the call; tasks
// only read A and B and write disjoint parts of C.
unsafe impl<T: Send> Send for MatRef<T> {}
unsafe impl<T: Sync> Sync for MatRef<T> {}
unsafe impl<T: Send> Send for MatMut<T> {}
unsafe impl<T: Sync> Sync for MatMut<T> {}

impl<T> MatRef<T> {
    /// The operand moved by `o` elements.
    #[inline(always)]
    unsafe fn shift(self, o: isize) -> Self {
        MatRef {
            ptr: self.ptr.offset(o),
            ..self
        }
    }

    /// The operand moved to element `(i, j)`.
    #[inline(always)]
    unsafe fn at(self, i: usize, j: usize) -> Self {
        MatRef {
            ptr: self.ptr.offset(i as isize * self.rs + j as isize * self.cs),
            ..self
        }
    }

    /// The transposed operand (no data moves).
    #[inline(always)]
    fn t(self) -> Self {
        MatRef {
            ptr: self.ptr,
            rs: self.cs,
            cs: self.rs,
        }
    }
}

impl<T> MatMut<T> {
    #[inline(always)]
    unsafe fn shift(self, o: isize) -> Self {
        MatMut {
            ptr: self.ptr.offset(o),
            ..self
        }
    }

    #[inline(always)]
    unsafe fn at(self, i: usize, j: usize) -> Self {
        MatMut {
            ptr: self.ptr.offset(i as isize * self.rs + j as isize * self.cs),
            ..self
        }
    }
}

/// Products of at least this many multiply-adds run on the pool; smaller ones run on the
/// calling thread (a 64x64x64 product takes about 10 µs on one core, a pool round trip a few).
const PARALLEL_WORK: usize = 1 << 18;

/// `C_i = A_i · B_i` for every batch entry: `A_i` is `m x k` at `a.ptr + offsets[i].0`, `B_i`
/// is `k x n` at `b.ptr + offsets[i].1`, `C_i` is `m x n` at `c.ptr + offsets[i].2` (offsets
/// in elements). C is overwritten (zeros when `k == 0`). Large products run on the Raptors
/// pool (split over blocks of C, or over the batch when the matrices are small), small ones
/// on the calling thread; the current cancel token is checked between blocks.
///
/// # Safety
/// Every addressed element of A, B and C must be valid for the call; the C matrices must not
/// overlap each other nor any A or B element (callers copy first when an `out=` overlaps).
pub unsafe fn gemm<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T>,
    offsets: &[(isize, isize, isize)],
) {
    if m == 0 || n == 0 || offsets.is_empty() {
        return;
    }
    if T::DIRECT {
        // Same bits: the accumulator view of C is C itself.
        let c = MatMut {
            ptr: c.ptr as *mut T::Acc,
            rs: c.rs,
            cs: c.cs,
        };
        return batch(m, n, k, a, b, c, offsets);
    }
    // Narrow types accumulate over the whole of k in the accumulator type, then round once.
    let size = m * n;
    let mut acc = vec![T::Acc::default(); size * offsets.len()];
    let tmp = MatMut {
        ptr: acc.as_mut_ptr(),
        rs: n as isize,
        cs: 1,
    };
    let shifted: Vec<_> = offsets
        .iter()
        .enumerate()
        .map(|(i, &(oa, ob, _))| (oa, ob, (i * size) as isize))
        .collect();
    batch(m, n, k, a, b, tmp, &shifted);
    let src = SendPtr(acc.as_ptr() as *mut T::Acc);
    let out = SendPtr(c.ptr);
    let narrow = |t: usize| {
        let (_, _, oc) = offsets[t];
        for i in 0..m {
            let row = src.get().add(t * size + i * n);
            let dst = out.get().offset(oc + i as isize * c.rs);
            for j in 0..n {
                *dst.offset(j as isize * c.cs) = T::narrow(*row.add(j));
            }
        }
    };
    if acc.len() >= 1 << 16 {
        exec::for_each_index(offsets.len(), narrow);
    } else {
        (0..offsets.len()).for_each(narrow);
    }
}

/// A raw pointer that may cross threads (tasks write disjoint parts).
#[derive(Clone, Copy)]
struct SendPtr<P>(*mut P);
unsafe impl<P> Send for SendPtr<P> {}
unsafe impl<P> Sync for SendPtr<P> {}
impl<P> SendPtr<P> {
    #[inline(always)]
    fn get(self) -> *mut P {
        self.0
    }
}

/// Runs a batch: in parallel over the batch when each product is small, else one product at
/// a time, each split over the pool.
unsafe fn batch<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T::Acc>,
    offsets: &[(isize, isize, isize)],
) {
    let work = m * n * k.max(1);
    let threads = exec::num_threads();
    let one = |&(oa, ob, oc): &(isize, isize, isize), parallel: bool| {
        product(m, n, k, a.shift(oa), b.shift(ob), c.shift(oc), parallel);
    };
    let total = work.saturating_mul(offsets.len());
    if offsets.len() > 1
        && total >= PARALLEL_WORK
        && (work < 1 << 22 || offsets.len() >= 4 * threads)
    {
        exec::for_each_index(offsets.len(), |t| one(&offsets[t], false));
    } else {
        for o in offsets {
            if exec::cancelled() {
                return;
            }
            one(o, work >= PARALLEL_WORK);
        }
    }
}

/// One product `C = A · B` in the accumulator type.
unsafe fn product<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T::Acc>,
    parallel: bool,
) {
    if k == 0 {
        for i in 0..m {
            for j in 0..n {
                *c.at(i, j).ptr = T::Acc::default();
            }
        }
        return;
    }
    // Matrix-vector products are bound by reading the matrix: no packing, no blocking.
    if n == 1 && gemv::applies(a) {
        return gemv::gemv(m, k, a, b, c.ptr, c.rs, parallel);
    }
    if m == 1 && gemv::applies(b.t()) {
        return gemv::gemv(n, k, b.t(), a.t(), c.ptr, c.cs, parallel);
    }
    let micro = T::Acc::micro();
    if let Some(strided) = micro.strided {
        let in_place = !parallel || m * n * k * std::mem::size_of::<T::Acc>() < SMALL_BYTES;
        if in_place && k <= SMALL_K && T::DIRECT && b.cs == 1 {
            return small(m, n, k, a, b, c, (micro, strided));
        }
    }
    packed(m, n, k, a, b, c, parallel, micro);
}

/// The longest `k` that [`small`] takes (its A rows and B panel stay within L1/L2).
const SMALL_K: usize = 256;

/// Products below this many bytes of multiply-adds (count times accumulator size) take
/// [`small`] on the calling thread even where [`PARALLEL_WORK`] would split them: float32 up
/// to 2^19 multiply-adds, float64 below 2^18 as before. A float32 64^3 product takes 5.8 µs in
/// place against 5.9 split (NumPy 5.7), so the split saved nothing, and it waits on the other
/// CPU whenever the hypervisor has that elsewhere (a bench run read 17 µs, 3x NumPy's).
const SMALL_BYTES: usize = 1 << 21;

/// A small product on the calling thread without packing: tiles read A (any strides) and B
/// (unit column stride) in place through the strided micro-kernel; only the last partial row
/// panel of A and column panel of B are packed (zero-padded), and the kernel stores the valid
/// corner of edge tiles. Packing had been about 31% of a 48 x 48 float32 product (perf:
/// `pack_a` 16%, `pack_b` 15%).
unsafe fn small<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T::Acc>,
    (micro, strided): (Micro<T::Acc>, micro::StridedFn<T::Acc>),
) {
    let (mr, nr) = (micro.mr, micro.nr);
    let (full_m, full_n) = (m / mr * mr, n / nr * nr);
    // T::DIRECT: A and B hold accumulators already.
    let (ap, bp) = (a.ptr as *const T::Acc, b.ptr as *const T::Acc);
    // The packed edges share the thread's B buffer (kept between calls).
    with_scratch::<T::Acc, _>(&SCRATCH_B, (mr + nr) * k, |buf, _| {
        let (a_edge, b_edge) = (buf, buf.add(mr * k));
        if full_m < m {
            pack::pack_a(m - full_m, k, mr, a.at(full_m, 0), a_edge);
        }
        if full_n < n {
            pack::pack_b(k, n - full_n, nr, b.at(0, full_n), b_edge, 0, 1);
        }
        for i in (0..m).step_by(mr) {
            let (a_i, a_st) = match i < full_m {
                true => (ap.offset(i as isize * a.rs), [a.rs, a.cs]),
                false => (a_edge as *const T::Acc, [1, mr as isize]),
            };
            for j in (0..n).step_by(nr) {
                let (b_j, brs) = match j < full_n {
                    true => (bp.add(j), b.rs),
                    false => (b_edge as *const T::Acc, nr as isize),
                };
                let ct = c.at(i, j);
                let (mt, nt) = (mr.min(m - i), nr.min(n - j));
                strided(k, a_i, a_st, b_j, brs, ct.ptr, [ct.rs, ct.cs], mt, nt);
            }
        }
    })
}

/// Packing states of a column part's B panels.
const PACKING: u8 = 1;
const READY: u8 = 2;

thread_local! {
    /// Per-thread packing buffers (A blocks, B blocks), kept between calls so a product does
    /// not fault in fresh pages. Stored as u64 for 8-byte alignment.
    static SCRATCH_A: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    static SCRATCH_B: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    /// What this thread's `SCRATCH_A` holds: (product, row block, k slice, column block).
    static PACKED_A: Cell<(u64, usize, usize, usize)> = const { Cell::new((0, 0, 0, 0)) };
}

/// Numbers `packed` calls, so that a thread's packed A block is never taken for another
/// product's.
static PRODUCTS: AtomicU64 = AtomicU64::new(1);

/// Runs `f` with a scratch buffer of at least `len` accumulators from `cell` (a fresh one if
/// the cell is busy); `f` is told whether it got the thread's own buffer (which keeps its
/// contents between calls) or a fresh one.
fn with_scratch<A: Acc, R>(
    cell: &'static std::thread::LocalKey<RefCell<Vec<u64>>>,
    len: usize,
    f: impl FnOnce(*mut A, bool) -> R,
) -> R {
    let words = (len * std::mem::size_of::<A>()).div_ceil(8);
    cell.with(|c| match c.try_borrow_mut() {
        Ok(mut v) => {
            if v.len() < words {
                v.resize(words, 0);
            }
            f(v.as_mut_ptr() as *mut A, true)
        }
        Err(_) => {
            let mut v = vec![0u64; words];
            f(v.as_mut_ptr() as *mut A, false)
        }
    })
}

/// The BLIS loop nest: columns of C in `nc` blocks, k in `kc` slices (B block packed once per
/// slice, shared by all tasks), rows of C in `mc` blocks (each task packs its own A block),
/// then micro-tiles. Tasks are (row block, column range) pairs dealt to the threads like cards
/// (`exec::for_each_index_dealt`); a thread that runs out takes the others' remaining tasks, so
/// a slow thread on a noisy machine does not hold the others up.
#[allow(clippy::too_many_arguments)]
unsafe fn packed<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T::Acc>,
    parallel: bool,
    micro: Micro<T::Acc>,
) {
    let (mr, nr) = (micro.mr, micro.nr);
    let blk = blocks(std::mem::size_of::<T::Acc>(), mr, nr, caches());
    let threads = if parallel { exec::num_threads() } else { 1 };
    let kc_max = blk.kc.min(k);
    let nc_max = blk.nc.min(n.next_multiple_of(nr));
    // Row blocks: a multiple of the thread count when parallel, each a multiple of mr.
    let mut row_blocks = m.div_ceil(blk.mc);
    if threads > 1 {
        row_blocks = row_blocks.next_multiple_of(threads);
    }
    let mc = m
        .div_ceil(row_blocks)
        .next_multiple_of(mr)
        .min(m.next_multiple_of(mr));
    let row_blocks = m.div_ceil(mc);
    let product = PRODUCTS.fetch_add(1, Ordering::Relaxed);
    with_scratch::<T::Acc, _>(&SCRATCH_B, kc_max * nc_max, |bbuf, _| {
        let bbuf = SendPtr(bbuf);
        for jc in (0..n).step_by(blk.nc) {
            let nc = blk.nc.min(n - jc);
            let panels = nc.div_ceil(nr);
            // At least four tasks per thread, so that a thread slowed down by the machine
            // does not leave the others waiting at the end of the slice: split the columns
            // too when the row blocks are fewer (each part re-packs its A block, a cost of
            // one pass over A per part against 2*nc/parts flops per A element). And at least
            // one column part per thread: with the tasks dealt in index order, a thread then
            // mostly stays on one part and reads B panels it packed itself (n = 1024 float64:
            // 93.5 -> 97.3 GFLOP/s median of five; 1536-2048: 1-3% more).
            let col_parts = if threads > 1 {
                (4 * threads)
                    .div_ceil(row_blocks)
                    .max(threads)
                    .min(panels.div_ceil(4))
                    .max(1)
            } else {
                1
            };
            for pc in (0..k).step_by(blk.kc) {
                if exec::cancelled() {
                    return;
                }
                let kc = blk.kc.min(k - pc);
                let bsrc = b.at(pc, jc);
                // The B block is packed in `pack_parts` slices of panels, at least one per
                // thread: each slice by the first task that needs it (tasks run
                // row-block-major, so the first tasks pack the slices side by side), then
                // shared; there is no separate packing barrier. A task packs the free slices
                // it needs before it waits for those another thread is packing.
                let pack_parts = if threads > 1 {
                    col_parts.max(threads).min(panels)
                } else {
                    1
                };
                let slice = |s: usize| (s * panels / pack_parts, (s + 1) * panels / pack_parts);
                let state: Vec<AtomicU8> = (0..pack_parts).map(|_| AtomicU8::new(0)).collect();
                let ensure_b = |q0: usize, q1: usize| {
                    let needed = (0..pack_parts).filter(|&s| {
                        let (s0, s1) = slice(s);
                        s0 < q1 && q0 < s1
                    });
                    for s in needed.clone() {
                        let st = &state[s];
                        // A plain load first: once the slices are packed, later tasks only
                        // read the state, without a locked write to the shared line.
                        if st.load(Ordering::Relaxed) == 0
                            && st
                                .compare_exchange(0, PACKING, Ordering::AcqRel, Ordering::Acquire)
                                .is_ok()
                        {
                            // Marked ready even if packing panics, so no waiter spins
                            // forever (the panic itself reaches the caller through the pool).
                            struct Ready<'s>(&'s AtomicU8);
                            impl Drop for Ready<'_> {
                                fn drop(&mut self) {
                                    self.0.store(READY, Ordering::Release);
                                }
                            }
                            let _ready = Ready(st);
                            let (s0, s1) = slice(s);
                            pack::pack_b(kc, nc, nr, bsrc, bbuf.get(), s0, s1);
                        }
                    }
                    for s in needed {
                        while state[s].load(Ordering::Acquire) != READY {
                            std::hint::spin_loop();
                        }
                    }
                };
                let task = |t: usize| {
                    let (rb, part) = (t / col_parts, t % col_parts);
                    let ic = rb * mc;
                    let mcb = mc.min(m - ic);
                    let (q0, q1) = (part * panels / col_parts, (part + 1) * panels / col_parts);
                    let len = mcb.next_multiple_of(mr) * kc;
                    with_scratch::<T::Acc, _>(&SCRATCH_A, len, |abuf, own| {
                        // A thread that takes several column parts of one row block packs
                        // its A block once (8 packs of it became 4 at n = 256 on 2 threads).
                        let key = (product, rb, pc, jc);
                        if !own || PACKED_A.get() != key {
                            PACKED_A.set((0, 0, 0, 0));
                            pack::pack_a(mcb, kc, mr, a.at(ic, pc), abuf);
                            if own {
                                PACKED_A.set(key);
                            }
                        }
                        ensure_b(q0, q1);
                        for q in q0..q1 {
                            let jr = q * nr;
                            let bp = bbuf.get().add(q * nr * kc);
                            for ir in (0..mcb).step_by(mr) {
                                let ap = abuf.add(ir * kc);
                                let ct = c.at(ic + ir, jc + jr);
                                (micro.f)(
                                    kc,
                                    ap,
                                    bp,
                                    ct.ptr,
                                    ct.rs,
                                    ct.cs,
                                    mr.min(mcb - ir),
                                    nr.min(nc - jr),
                                    pc > 0,
                                );
                            }
                        }
                    });
                };
                let tasks = row_blocks * col_parts;
                if threads > 1 && tasks > 1 {
                    exec::for_each_index_dealt(tasks, task);
                } else {
                    (0..tasks).for_each(task);
                }
            }
        }
    });
}
