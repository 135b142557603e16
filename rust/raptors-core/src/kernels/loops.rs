//! The iteration layer of elementwise kernels: walks broadcast, strided operands as coalesced
//! inner runs, runs contiguous runs as plain slice loops (compiled again for AVX2+FMA and for
//! AVX-512, the best one chosen at run time), and splits large work across the Raptors pool.

use super::cpu::{caches, isa, Isa};
use crate::exec;
use crate::layout::coalesce;

/// How work of one elementwise call is split: outputs of at least `min` elements run on the
/// pool in tasks of about `chunk` elements; smaller ones run inline on the calling thread.
#[derive(Clone, Copy)]
struct Split {
    min: usize,
    chunk: usize,
}

/// Cheap ops (add, compare, casts: about 1 ns per element or less). Measured on the 2-core
/// reference machine with `exec::for_each_index` and a warm (lingering) helper: splitting pays
/// from about 32K elements (float32 add of 32768: 2.6-2.9 µs split, 3.8 µs unsplit; of 65535:
/// 4.5 against 7.8 µs; `examples/split_probe.rs`).
const CHEAP: Split = Split {
    min: 1 << 15,
    chunk: 1 << 13,
};
/// Transcendentals (5-20 ns per element): worth splitting from 16K elements.
const HEAVY: Split = Split {
    min: 1 << 14,
    chunk: 1 << 12,
};

/// What one element of an op costs, which decides when its work is split across the pool.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cost {
    /// About a nanosecond or less: arithmetic, comparisons, casts.
    Cheap,
    /// Transcendentals and other libm calls.
    Heavy,
}

impl Cost {
    fn split(self) -> Split {
        match self {
            Cost::Cheap => CHEAP,
            Cost::Heavy => HEAVY,
        }
    }
}

/// Smallest output any elementwise call splits across the pool.
pub const PARALLEL_MIN: usize = HEAVY.min;

/// A raw pointer that may cross threads: the iteration layer hands each task disjoint output
/// elements, and inputs are only read.
#[derive(Clone, Copy)]
struct SendPtr(*mut u8);
// SAFETY: see the type's comment; every task writes a disjoint part of the output.
unsafe impl Send for SendPtr {}
unsafe impl Sync for SendPtr {}

impl SendPtr {
    /// Read through a method so closures capture the wrapper (Send + Sync), not the field.
    #[inline(always)]
    fn get(self) -> *mut u8 {
        self.0
    }
}

/// One input of a contiguous run: a slice, or a scalar broadcast along the run.
#[derive(Clone, Copy)]
enum Operand<'s, T> {
    Slice(&'s [T]),
    Scalar(T),
}

/// `o[i] = f(a[i], b[i])` over a contiguous output: plain loops that LLVM vectorises for
/// whatever features the caller enables, or with `stream`, [`streamed`].
#[inline(always)]
fn contiguous<A: Copy, B: Copy, O: Copy>(
    a: Operand<A>,
    b: Operand<B>,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
    stream: bool,
) {
    use Operand::{Scalar, Slice};
    match (a, b) {
        _ if stream => streamed(a, b, o, f),
        (Slice(a), Slice(b)) => {
            for ((o, &a), &b) in o.iter_mut().zip(a).zip(b) {
                *o = f(a, b);
            }
        }
        (Scalar(a), Slice(b)) => {
            for (o, &b) in o.iter_mut().zip(b) {
                *o = f(a, b);
            }
        }
        (Slice(a), Scalar(b)) => {
            for (o, &a) in o.iter_mut().zip(a) {
                *o = f(a, b);
            }
        }
        (Scalar(a), Scalar(b)) => o.fill(f(a, b)),
    }
}

/// Bytes per non-temporal line: [`streamed`] computes one into registers, then stores it.
const LINE: usize = 64;

/// As [`contiguous`], with non-temporal stores: each 64-byte line of the output is computed
/// into registers and written with `movntdq` (SSE2, so every x86-64), which bypasses the
/// caches and skips the read-for-ownership of plain stores; the head and tail outside whole
/// lines use plain stores. For outputs far larger than the caches (see [`stream_min`]). On
/// the 2-core reference machine, through Python, two threads: float32 `x + 1.0` on 4096 x
/// 4096 took 2.6-2.9 ms instead of 3.5-4.2, the broadcast row add 2.8-2.9 instead of 3.8-4.2,
/// float64 `x + 1.0` 5.3-6.0 instead of 7.9-10.2. The stores are weakly ordered: whoever runs
/// this must `sfence` before others read the output ([`drive`] does, once per task: once per
/// run cost half the speed with rows of 256 float32).
#[inline(always)]
fn streamed<A: Copy, B: Copy, O: Copy>(
    a: Operand<A>,
    b: Operand<B>,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_stream_si128};
        use Operand::{Scalar, Slice};
        if !LINE.is_multiple_of(size_of::<O>()) {
            return contiguous(a, b, o, f, false);
        }
        let k = LINE / size_of::<O>();
        // Scalars as a line's worth of copies (folded into a broadcast), so that every line
        // is the same zip of three slices of `k`.
        let (sa, a) = match a {
            Slice(a) => (1, a),
            Scalar(a) => (0, &[a; LINE][..]),
        };
        let (sb, b) = match b {
            Slice(b) => (1, b),
            Scalar(b) => (0, &[b; LINE][..]),
        };
        let n = o.len();
        let head = o.as_ptr().align_offset(LINE).min(n);
        let lines = (n - head) / k;
        let at = |i: usize| (&a[i * sa..i * sa + k], &b[i * sb..i * sb + k]);
        let mut line = std::mem::MaybeUninit::<[__m128i; LINE / 16]>::uninit();
        for l in 0..lines {
            let i = head + l * k;
            // SAFETY: `line` holds `k` values of `O` (64 bytes); it is fully written before it
            // is read, and `o[i..i + k]` is a whole, 64-byte aligned line of the output.
            unsafe {
                let t = std::slice::from_raw_parts_mut(line.as_mut_ptr() as *mut O, k);
                let (x, y) = at(i);
                for ((t, &x), &y) in t.iter_mut().zip(x).zip(y) {
                    *t = f(x, y);
                }
                let dst = o.as_mut_ptr().add(i) as *mut __m128i;
                for (j, v) in line.assume_init().into_iter().enumerate() {
                    _mm_stream_si128(dst.add(j), v);
                }
            }
        }
        for i in (0..head).chain(head + lines * k..n) {
            o[i] = f(a[i * sa], b[i * sb]);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    contiguous(a, b, o, f, false)
}

/// Orders this thread's non-temporal stores before its later stores (such as the flag that
/// tells another thread a task is done).
#[inline]
fn store_fence() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2, part of x86-64.
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

/// Outputs of at least this many bytes are written by [`streamed`]: half the last-level
/// cache, beyond which the output would not stay cached for its next reader anyway (inputs
/// and output of one call then exceed the cache). 16 MB on the reference machine: float32
/// and float64 at 1e7 stream, at 1e6 not.
fn stream_min() -> usize {
    caches().l3 / 2
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn contiguous_avx2<A: Copy, B: Copy, O: Copy>(
    a: Operand<A>,
    b: Operand<B>,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
    stream: bool,
) {
    contiguous(a, b, o, f, stream)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn contiguous_avx512<A: Copy, B: Copy, O: Copy>(
    a: Operand<A>,
    b: Operand<B>,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
    stream: bool,
) {
    contiguous(a, b, o, f, stream)
}

/// A run's input as an [`Operand`] if it is contiguous (unit stride) or a scalar (zero
/// stride); `p` must be aligned and address `n` valid elements at stride `s` bytes.
#[inline(always)]
unsafe fn operand<'s, T: Copy>(p: *const u8, s: isize, n: usize) -> Option<Operand<'s, T>> {
    // SAFETY: forwarded from the caller.
    unsafe {
        match s {
            0 => Some(Operand::Scalar(*(p as *const T))),
            _ if s == size_of::<T>() as isize => {
                Some(Operand::Slice(std::slice::from_raw_parts(p as *const T, n)))
            }
            _ => None,
        }
    }
}

/// One inner run of `n` elements; `stream` writes a contiguous output with [`streamed`].
///
/// # Safety
/// Pointers and byte strides address `n` valid elements; `o` is written by this run only.
#[inline(always)]
unsafe fn binary_run<A: Copy, B: Copy, O: Copy>(
    [a, b, o]: [*const u8; 3],
    n: usize,
    [sa, sb, so]: [isize; 3],
    f: &impl Fn(A, B) -> O,
    isa: Isa,
    stream: bool,
) {
    let aligned = |p: *const u8, align: usize| (p as usize).is_multiple_of(align);
    let ok =
        aligned(a, align_of::<A>()) && aligned(b, align_of::<B>()) && aligned(o, align_of::<O>());
    if ok && so == size_of::<O>() as isize {
        if let (Some(x), Some(y)) = (operand::<A>(a, sa, n), operand::<B>(b, sb, n)) {
            // SAFETY: aligned, contiguous output of n elements, written by this run only.
            let out = unsafe { std::slice::from_raw_parts_mut(o as *mut O, n) };
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `isa` names features this CPU has.
            unsafe {
                match isa {
                    Isa::Avx512 => return contiguous_avx512(x, y, out, f, stream),
                    Isa::Avx2 => return contiguous_avx2(x, y, out, f, stream),
                    Isa::Base => {}
                }
            }
            return contiguous(x, y, out, f, stream);
        }
    }
    let _ = isa;
    for k in 0..n as isize {
        // SAFETY: the caller guarantees these elements.
        unsafe {
            let x = std::ptr::read_unaligned(a.offset(k * sa) as *const A);
            let y = std::ptr::read_unaligned(b.offset(k * sb) as *const B);
            std::ptr::write_unaligned(o.offset(k * so) as *mut O, f(x, y));
        }
    }
}

/// Walks `shape` over three operands (two inputs already broadcast to `shape`, one output)
/// and applies `f`; large walks run on the pool.
///
/// # Safety
/// The pointers and byte strides must address valid elements of their types for `shape`; the
/// output's elements must be distinct (no zero strides) and not overlap the inputs, and nobody
/// else may access the output meanwhile.
pub unsafe fn binary<A, B, O, F>(
    cost: Cost,
    shape: &[usize],
    a: (*const u8, &[isize]),
    b: (*const u8, &[isize]),
    o: (*mut u8, &[isize]),
    f: F,
) where
    A: Copy + Send + Sync,
    B: Copy + Send + Sync,
    O: Copy + Send + Sync,
    F: Fn(A, B) -> O + Sync,
{
    let isa = isa();
    let size: usize = shape.iter().product();
    let stream = size.saturating_mul(size_of::<O>()) >= stream_min();
    // SAFETY: forwarded from the caller; `binary_run` reads and writes exactly each run.
    unsafe {
        drive(
            shape,
            cost.split(),
            [a.0, b.0, o.0],
            [a.1, b.1, o.1],
            stream,
            |p, n, st| binary_run(p, n, st, &f, isa, stream),
        )
    }
}

/// Elements per task of a walk over `n` elements: [`exec::task_len`] with `split.chunk` as
/// the least, in whole multiples of 64 elements.
fn chunk_len(split: Split, n: usize) -> usize {
    exec::task_len(n, split.chunk).next_multiple_of(64)
}

/// Walks `shape` over (input, unused, output) and calls `run(pointers, n, byte strides)` for
/// every coalesced inner run; outputs of `split.min` elements or more are split across the
/// pool (1-d runs in chunks, otherwise by groups of outer rows). With `fence`, each walk
/// (each task) ends with [`store_fence`], for runs that write with non-temporal stores.
///
/// # Safety
/// As `binary`; `run` must touch only the `n` elements its pointers and strides address.
unsafe fn drive(
    shape: &[usize],
    split: Split,
    ptrs: [*const u8; 3],
    strides: [&[isize]; 3],
    fence: bool,
    run: impl Fn([*const u8; 3], usize, [isize; 3]) + Sync,
) {
    if shape.contains(&0) {
        return;
    }
    let size: usize = shape.iter().product();
    let p = ptrs.map(|p| SendPtr(p as *mut u8));
    // One task: the sub-walk starting at the given offsets over `dims` (`for_each_run`
    // coalesces it, and takes 0-d/1-d walks without allocating).
    let walk = |offs: [isize; 3], dims: &[usize], strides: [&[isize]; 3]| {
        crate::layout::for_each_run(dims, strides, |o, n, st| {
            // SAFETY: offsets come from this walk's geometry, inside every operand.
            let at = |k: usize| unsafe { p[k].get().offset(offs[k] + o[k]) as *const u8 };
            run([at(0), at(1), at(2)], n, st)
        });
    };
    let fenced = |task: &dyn Fn()| {
        task();
        if fence {
            store_fence();
        }
    };
    // One thread gains nothing from chunks, except inside a job: chunk boundaries are where a
    // cancelled job stops.
    let single = exec::num_threads() == 1 && exec::current_token().is_none();
    if size < split.min || single {
        return fenced(&|| walk([0; 3], shape, strides));
    }
    let (shape, [sa, sb, so]) = coalesce(shape, strides);
    let nd = shape.len();
    if nd == 1 {
        let n = shape[0];
        let chunk = chunk_len(split, n);
        exec::for_each_index(n.div_ceil(chunk), |c| {
            let start = (c * chunk) as isize;
            let len = chunk.min(n - c * chunk);
            fenced(&|| {
                walk(
                    [start * sa[0], start * sb[0], start * so[0]],
                    &[len],
                    [&sa, &sb, &so],
                )
            });
        });
    } else {
        // Whole outer rows per task, about `chunk_len` elements each.
        let (rows, inner) = (shape[0], size / shape[0]);
        let per = chunk_len(split, size).div_ceil(inner).max(1);
        let strides = [&sa[1..], &sb[1..], &so[1..]];
        exec::for_each_index(rows.div_ceil(per), |c| {
            fenced(&|| {
                for i in c * per..rows.min((c + 1) * per) {
                    let i = i as isize;
                    walk([i * sa[0], i * sb[0], i * so[0]], &shape[1..], strides);
                }
            })
        });
    }
}

/// As `binary` for one input.
///
/// # Safety
/// As `binary`.
pub unsafe fn unary<A, O, F>(
    cost: Cost,
    shape: &[usize],
    a: (*const u8, &[isize]),
    o: (*mut u8, &[isize]),
    f: F,
) where
    A: Copy + Send + Sync,
    O: Copy + Send + Sync,
    F: Fn(A) -> O + Sync,
{
    // A unary op is a binary op whose second input is a broadcast zero-size-stride scalar.
    let zero = 0u8;
    let strides0 = vec![0isize; shape.len()];
    let zero = (&zero as *const u8, &strides0[..]);
    unsafe { binary::<A, u8, O, _>(cost, shape, a, zero, o, |x, _| f(x)) }
}

/// Elements staged per block when a slice kernel meets a strided or misaligned run.
const BLOCK: usize = 256;

/// As `unary`, for a kernel that maps whole slices (`block(src, dst)`, equal lengths), such
/// as the vectorised transcendentals of `kernels::math`. Contiguous runs are passed through;
/// strided, broadcast or misaligned runs are gathered into a stack block, mapped and
/// scattered, so the kernel always sees contiguous slices.
///
/// # Safety
/// As `binary`.
pub unsafe fn unary_slices<T, F>(
    shape: &[usize],
    a: (*const u8, &[isize]),
    o: (*mut u8, &[isize]),
    block: F,
) where
    T: Copy + Default + Send + Sync,
    F: Fn(&[T], &mut [T]) + Sync,
{
    let strides0 = vec![0isize; shape.len()];
    let e = size_of::<T>() as isize;
    let aligned = |p: *const u8| (p as usize).is_multiple_of(align_of::<T>());
    // SAFETY: forwarded from the caller; each run reads/writes only its own n elements.
    unsafe {
        drive(
            shape,
            HEAVY,
            [a.0, a.0, o.0],
            [a.1, &strides0, o.1],
            false,
            |[pa, _, po], n, [sa, _, so]| {
                let po = po as *mut u8;
                if sa == e && so == e && aligned(pa) && aligned(po) {
                    let src = std::slice::from_raw_parts(pa as *const T, n);
                    let dst = std::slice::from_raw_parts_mut(po as *mut T, n);
                    return block(src, dst);
                }
                let (mut src, mut dst) = ([T::default(); BLOCK], [T::default(); BLOCK]);
                for start in (0..n).step_by(BLOCK) {
                    let m = BLOCK.min(n - start);
                    for (k, s) in src[..m].iter_mut().enumerate() {
                        let i = (start + k) as isize;
                        *s = std::ptr::read_unaligned(pa.offset(i * sa) as *const T);
                    }
                    block(&src[..m], &mut dst[..m]);
                    for (k, d) in dst[..m].iter().enumerate() {
                        let i = (start + k) as isize;
                        std::ptr::write_unaligned(po.offset(i * so) as *mut T, *d);
                    }
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `contiguous` with and without streaming, every operand shape, element sizes 1-8, every
    /// head (output start within a line) and lengths around whole lines.
    fn check<O: Copy + PartialEq + std::fmt::Debug + Default>(f: impl Fn(u32, u32) -> O) {
        let a: Vec<u32> = (0..300).map(|i| i * 7 + 1).collect();
        let b: Vec<u32> = (0..300).map(|i| i ^ 0x55).collect();
        let mut buf = [O::default(); 400];
        let isas: &[Isa] = if isa() == Isa::Base {
            &[Isa::Base]
        } else {
            &[Isa::Base, isa()]
        };
        for &isa in isas {
            for shift in 0..64 / size_of::<O>() {
                for n in [0, 1, 5, 63, 64, 65, 129, 200, 257] {
                    let shapes = [
                        (Operand::Slice(&a[..n]), Operand::Slice(&b[..n])),
                        (Operand::Scalar(9), Operand::Slice(&b[..n])),
                        (Operand::Slice(&a[..n]), Operand::Scalar(3)),
                        (Operand::Scalar(4), Operand::Scalar(5)),
                    ];
                    for (x, y) in shapes {
                        let at = |o: Operand<u32>, i: usize| match o {
                            Operand::Slice(s) => s[i],
                            Operand::Scalar(v) => v,
                        };
                        let want: Vec<O> = (0..n).map(|i| f(at(x, i), at(y, i))).collect();
                        for stream in [false, true] {
                            buf.fill(O::default());
                            let out = &mut buf[shift..shift + n];
                            // SAFETY: `isa` is this CPU's or the base one.
                            unsafe {
                                match isa {
                                    #[cfg(target_arch = "x86_64")]
                                    Isa::Avx2 => contiguous_avx2(x, y, out, &f, stream),
                                    #[cfg(target_arch = "x86_64")]
                                    Isa::Avx512 => contiguous_avx512(x, y, out, &f, stream),
                                    _ => contiguous(x, y, out, &f, stream),
                                }
                            }
                            store_fence();
                            assert_eq!(&buf[shift..shift + n], &want[..], "{isa:?} {n} {stream}");
                            assert!(buf[..shift].iter().all(|v| *v == O::default()));
                            assert!(buf[shift + n..].iter().all(|v| *v == O::default()));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn streamed_matches_plain_loops() {
        check(|x, y| (x + y) as u8 | 1);
        check(|x, y| (x * y) as u16 | 1);
        check(|x, y| x.wrapping_mul(y) | 1);
        check(|x, y| f64::from(x) / f64::from(y + 1) + 1.0);
        check(|x, y| x > y);
    }
}
