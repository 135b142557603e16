//! The iteration layer of elementwise kernels: walks broadcast, strided operands as coalesced
//! inner runs, runs contiguous runs as plain slice loops (compiled again for AVX2+FMA and for
//! AVX-512, the best one chosen at run time), and splits large work across the Raptors pool.

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

/// The instruction set the slice loops are compiled for, chosen once at run time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Isa {
    Base,
    Avx2,
    Avx512,
}

pub(crate) fn isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::OnceLock;
        static ISA: OnceLock<Isa> = OnceLock::new();
        *ISA.get_or_init(|| {
            let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
            let avx512 = avx2
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512dq")
                && is_x86_feature_detected!("avx512vl");
            match (avx512, avx2) {
                (true, _) => Isa::Avx512,
                (_, true) => Isa::Avx2,
                _ => Isa::Base,
            }
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Isa::Base
    }
}

/// Contiguous slice loop; LLVM vectorises it for whatever features the caller enables.
#[inline(always)]
fn binary_slices<A: Copy, B: Copy, O: Copy>(a: &[A], b: &[B], o: &mut [O], f: &impl Fn(A, B) -> O) {
    for ((o, &a), &b) in o.iter_mut().zip(a).zip(b) {
        *o = f(a, b);
    }
}

#[inline(always)]
fn scalar_left<A: Copy, B: Copy, O: Copy>(a: A, b: &[B], o: &mut [O], f: &impl Fn(A, B) -> O) {
    for (o, &b) in o.iter_mut().zip(b) {
        *o = f(a, b);
    }
}

#[inline(always)]
fn scalar_right<A: Copy, B: Copy, O: Copy>(a: &[A], b: B, o: &mut [O], f: &impl Fn(A, B) -> O) {
    for (o, &a) in o.iter_mut().zip(a) {
        *o = f(a, b);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn binary_slices_avx2<A: Copy, B: Copy, O: Copy>(
    a: &[A],
    b: &[B],
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    binary_slices(a, b, o, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn binary_slices_avx512<A: Copy, B: Copy, O: Copy>(
    a: &[A],
    b: &[B],
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    binary_slices(a, b, o, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn scalar_left_avx2<A: Copy, B: Copy, O: Copy>(
    a: A,
    b: &[B],
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    scalar_left(a, b, o, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn scalar_left_avx512<A: Copy, B: Copy, O: Copy>(
    a: A,
    b: &[B],
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    scalar_left(a, b, o, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn scalar_right_avx2<A: Copy, B: Copy, O: Copy>(
    a: &[A],
    b: B,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    scalar_right(a, b, o, f)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn scalar_right_avx512<A: Copy, B: Copy, O: Copy>(
    a: &[A],
    b: B,
    o: &mut [O],
    f: &impl Fn(A, B) -> O,
) {
    scalar_right(a, b, o, f)
}

/// One inner run of `n` elements.
///
/// # Safety
/// Pointers and byte strides address `n` valid elements; `o` is written by this run only.
#[inline(always)]
unsafe fn binary_run<A: Copy, B: Copy, O: Copy>(
    a: *const u8,
    b: *const u8,
    o: *mut u8,
    n: usize,
    [sa, sb, so]: [isize; 3],
    f: &impl Fn(A, B) -> O,
    isa: Isa,
) {
    let (ea, eb, eo) = (
        size_of::<A>() as isize,
        size_of::<B>() as isize,
        size_of::<O>() as isize,
    );
    let aligned = |p: *const u8, align: usize| (p as usize).is_multiple_of(align);
    let ok =
        aligned(a, align_of::<A>()) && aligned(b, align_of::<B>()) && aligned(o, align_of::<O>());
    unsafe {
        if ok && so == eo {
            // SAFETY: aligned, contiguous output of n elements; inputs contiguous or a scalar.
            let out = std::slice::from_raw_parts_mut(o as *mut O, n);
            if sa == ea && sb == eb {
                let (x, y) = (
                    std::slice::from_raw_parts(a as *const A, n),
                    std::slice::from_raw_parts(b as *const B, n),
                );
                #[cfg(target_arch = "x86_64")]
                match isa {
                    Isa::Avx512 => return binary_slices_avx512(x, y, out, f),
                    Isa::Avx2 => return binary_slices_avx2(x, y, out, f),
                    Isa::Base => {}
                }
                return binary_slices(x, y, out, f);
            }
            if sa == 0 && sb == eb {
                let (x, y) = (
                    *(a as *const A),
                    std::slice::from_raw_parts(b as *const B, n),
                );
                #[cfg(target_arch = "x86_64")]
                match isa {
                    Isa::Avx512 => return scalar_left_avx512(x, y, out, f),
                    Isa::Avx2 => return scalar_left_avx2(x, y, out, f),
                    Isa::Base => {}
                }
                return scalar_left(x, y, out, f);
            }
            if sa == ea && sb == 0 {
                let (x, y) = (
                    std::slice::from_raw_parts(a as *const A, n),
                    *(b as *const B),
                );
                #[cfg(target_arch = "x86_64")]
                match isa {
                    Isa::Avx512 => return scalar_right_avx512(x, y, out, f),
                    Isa::Avx2 => return scalar_right_avx2(x, y, out, f),
                    Isa::Base => {}
                }
                return scalar_right(x, y, out, f);
            }
        }
        let _ = isa;
        for k in 0..n as isize {
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
    // SAFETY: forwarded from the caller; `binary_run` reads and writes exactly each run.
    unsafe {
        drive(
            shape,
            cost.split(),
            [a.0, b.0, o.0],
            [a.1, b.1, o.1],
            |[pa, pb, po], n, st| binary_run(pa, pb, po as *mut u8, n, st, &f, isa),
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
/// pool (1-d runs in chunks, otherwise by groups of outer rows).
///
/// # Safety
/// As `binary`; `run` must touch only the `n` elements its pointers and strides address.
unsafe fn drive(
    shape: &[usize],
    split: Split,
    ptrs: [*const u8; 3],
    strides: [&[isize]; 3],
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
    // One thread gains nothing from chunks, except inside a job: chunk boundaries are where a
    // cancelled job stops.
    let single = exec::num_threads() == 1 && exec::current_token().is_none();
    if size < split.min || single {
        return walk([0; 3], shape, strides);
    }
    let (shape, [sa, sb, so]) = coalesce(shape, strides);
    let nd = shape.len();
    if nd == 1 {
        let n = shape[0];
        let chunk = chunk_len(split, n);
        exec::for_each_index(n.div_ceil(chunk), |c| {
            let start = (c * chunk) as isize;
            let len = chunk.min(n - c * chunk);
            walk(
                [start * sa[0], start * sb[0], start * so[0]],
                &[len],
                [&sa, &sb, &so],
            );
        });
    } else {
        // Whole outer rows per task, about `chunk_len` elements each.
        let (rows, inner) = (shape[0], size / shape[0]);
        let per = chunk_len(split, size).div_ceil(inner).max(1);
        let strides = [&sa[1..], &sb[1..], &so[1..]];
        exec::for_each_index(rows.div_ceil(per), |c| {
            for i in c * per..rows.min((c + 1) * per) {
                let i = i as isize;
                walk([i * sa[0], i * sb[0], i * so[0]], &shape[1..], strides);
            }
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
