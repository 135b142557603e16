//! Matrix-vector products, bound by reading the matrix once: rows of a row-major matrix are
//! dotted with the vector in many independent lanes (vectorised multiply-adds, no packing);
//! column-major matrices are swept column by column into a block of the result. Narrow
//! element types (float16, small integers) are widened a short run at a time, so a float16
//! matrix is read at half the bytes of a float32 one.

use super::{Acc, GemmElem, MatRef, SendPtr};
use crate::exec;
use crate::kernels::cpu::{isa, Isa};

/// Whether the matrix has a unit stride along one of its axes.
pub fn applies<T>(a: MatRef<T>) -> bool {
    a.cs == 1 || a.rs == 1
}

/// Whether the CPU converts float16 in hardware (every AVX2 CPU so far does; checked anyway,
/// since the AVX2 build of these loops is compiled with F16C).
fn has_f16c() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Elements of the matrix one task reads.
const TASK: usize = 1 << 15;
/// Run length of widened values (a stack buffer).
const RUN: usize = 256;
/// Independent accumulators of a dot product (four 256-bit registers of float32).
const LANES: usize = 32;

/// `y[i * ys] = Σ_p a[i, p] · x[p]` for `i < m`.
///
/// # Safety
/// `a` addresses an `m x k` matrix with a unit stride ([`applies`]), `x` a `k x 1` vector
/// (stride `x.rs`), `y` `m` outputs none of which overlap the inputs.
pub unsafe fn gemv<T: GemmElem>(
    m: usize,
    k: usize,
    a: MatRef<T>,
    x: MatRef<T>,
    y: *mut T::Acc,
    ys: isize,
    parallel: bool,
) {
    let xw: Vec<T::Acc> = (0..k)
        .map(|p| (*x.ptr.offset(p as isize * x.rs)).widen())
        .collect();
    let y = SendPtr(y);
    let by_rows = a.cs == 1;
    // Rows (or, column-major, a block of rows swept column by column) per task; by rows, long
    // contiguous stretches per thread (`exec::task_len`).
    let rows = if by_rows {
        exec::task_len(m, TASK / k.max(1))
    } else {
        (TASK / k.max(1)).clamp(64, 4096)
    };
    let tasks = m.div_ceil(rows);
    let fused = matches!(isa(), Isa::Avx2 | Isa::Avx512) && has_f16c();
    let task = |t: usize| {
        let (r0, r1) = (t * rows, ((t + 1) * rows).min(m));
        let a = a.at(r0, 0);
        let y = y.get().offset(r0 as isize * ys);
        match (by_rows, fused) {
            (true, true) => rows_avx2(r1 - r0, k, a, &xw, y, ys),
            (true, false) => rows_body::<T, false>(r1 - r0, k, a, &xw, y, ys),
            (false, true) => cols_avx2(r1 - r0, k, a, &xw, y, ys),
            (false, false) => cols_body::<T, false>(r1 - r0, k, a, &xw, y, ys),
        }
    };
    if parallel && tasks > 1 {
        exec::for_each_index(tasks, task);
    } else {
        (0..tasks).for_each(task);
    }
}

/// `acc + a · b`, fused in the FMA build of these loops.
#[inline(always)]
fn madd<A: Acc, const FUSED: bool>(acc: A, a: A, b: A) -> A {
    if FUSED {
        acc.fma(a, b)
    } else {
        acc.mul_add(a, b)
    }
}

/// `Σ a[l] · x[l]` in `LANES` independent accumulators, summed pairwise at the end.
#[inline(always)]
fn dot<A: Acc, const FUSED: bool>(a: &[A], x: &[A], acc: &mut [A; LANES]) {
    let (ac, at) = a.as_chunks::<LANES>();
    let (xc, xt) = x[..a.len()].as_chunks::<LANES>();
    for (ca, cx) in ac.iter().zip(xc) {
        for l in 0..LANES {
            acc[l] = madd::<A, FUSED>(acc[l], ca[l], cx[l]);
        }
    }
    for (l, (&va, &vx)) in at.iter().zip(xt).enumerate() {
        acc[l] = acc[l].mul_add(va, vx);
    }
}

/// Rows dotted together with `x` ([`dot_rows`]): each chunk of `x` is loaded once for the
/// group. At k = 4096, `x` is 16-32 KB, and streaming it through L1 once per row held the
/// float32 matvec at 66% of the read bandwidth on the AVX-512 host.
const GROUP: usize = 4;
/// Bytes of `x` from which rows are grouped. A short `x` stays in L1 anyway, and one row after
/// the other reads the matrix as a single sequential stream: 1e5x384 float32 ran at 98% of the
/// read bandwidth that way and 67% grouped, while 4096x4096 went from 66% to 96-115% grouped.
const GROUP_MIN_X: usize = 8 << 10;
/// Accumulators per row of a group: with FMA latency 4, four rows of 8 lanes keep enough
/// independent chains busy for a memory-bound loop (8 registers for float64 under AVX2).
const GLANES: usize = 8;

/// `[Σ rows[r][l] · x[l]]` for each row of a group, `GLANES` accumulators per row.
#[inline(always)]
fn dot_rows<A: Acc, const FUSED: bool>(rows: [&[A]; GROUP], x: &[A]) -> [A; GROUP] {
    let (xc, xt) = x.as_chunks::<GLANES>();
    let rc: [&[[A; GLANES]]; GROUP] = rows.map(|r| r.as_chunks::<GLANES>().0);
    for r in &rc {
        assert_eq!(r.len(), xc.len());
    }
    let mut acc = [[A::default(); GLANES]; GROUP];
    for (c, xv) in xc.iter().enumerate() {
        for (acc, rows) in acc.iter_mut().zip(&rc) {
            let av = &rows[c];
            for l in 0..GLANES {
                acc[l] = madd::<A, FUSED>(acc[l], av[l], xv[l]);
            }
        }
    }
    let tail = x.len() - xt.len();
    std::array::from_fn(|r| {
        let mut w = acc[r];
        for (l, (&va, &vx)) in rows[r][tail..].iter().zip(xt).enumerate() {
            w[l] = w[l].mul_add(va, vx);
        }
        lanes_sum(&w)
    })
}

/// Widens a run into `dst`. In the AVX2 build (`FAST`, compiled with F16C) float16 is
/// converted eight values per instruction right here; `half`'s own slice conversion calls an
/// out-of-line function per eight values, which halved the float16 scan's speed.
#[inline(always)]
unsafe fn widen<T: GemmElem, const FAST: bool>(src: &[T], dst: &mut [T::Acc]) {
    #[cfg(target_arch = "x86_64")]
    if FAST && is_f16::<T>() {
        use std::arch::x86_64::*;
        let (s, d) = (src.as_ptr() as *const u16, dst.as_mut_ptr() as *mut f32);
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i + 8 <= n {
            let h = _mm_loadu_si128(s.add(i) as *const __m128i);
            _mm256_storeu_ps(d.add(i), _mm256_cvtph_ps(h));
            i += 8;
        }
        for j in i..n {
            *d.add(j) = half::f16::from_bits(*s.add(j)).to_f32();
        }
        return;
    }
    T::widen_slice(src, dst);
}

/// Whether `T` is float16.
#[inline(always)]
fn is_f16<T: 'static>() -> bool {
    std::any::TypeId::of::<T>() == std::any::TypeId::of::<half::f16>()
}

/// `Σ a[p] · x[p]` over `k` float16 values at `a`, each eight converted by one F16C
/// instruction straight into the multiply-adds (four accumulators of eight lanes). Widening a
/// run into a buffer first and dotting the buffer cost a store and a reload per eight values:
/// the 1e5x384 float16 scan then ran at 1.1 values per cycle, compute-bound (9.7 ms on one
/// core, slower than float32's 7.6 ms).
///
/// # Safety
/// `a` addresses `k` values, `x` has at least `k`; the CPU has AVX2, FMA and F16C.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn dot_f16c(a: *const u16, x: &[f32], k: usize) -> f32 {
    use std::arch::x86_64::*;
    let xp = x[..k].as_ptr();
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    while i + 32 <= k {
        for (j, acc) in acc.iter_mut().enumerate() {
            let h = _mm_loadu_si128(a.add(i + 8 * j) as *const __m128i);
            let v = _mm256_cvtph_ps(h);
            *acc = _mm256_fmadd_ps(v, _mm256_loadu_ps(xp.add(i + 8 * j)), *acc);
        }
        i += 32;
    }
    while i + 8 <= k {
        let v = _mm256_cvtph_ps(_mm_loadu_si128(a.add(i) as *const __m128i));
        acc[0] = _mm256_fmadd_ps(v, _mm256_loadu_ps(xp.add(i)), acc[0]);
        i += 8;
    }
    let s = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let s = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let mut sum = _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
    for p in i..k {
        sum = half::f16::from_bits(*a.add(p))
            .to_f32()
            .mul_add(*xp.add(p), sum);
    }
    sum
}

/// Pairwise sum of `N` (a power of two) accumulators.
#[inline(always)]
fn lanes_sum<A: Acc, const N: usize>(acc: &[A; N]) -> A {
    let mut w = *acc;
    let mut n = N;
    while n > 1 {
        n /= 2;
        for l in 0..n {
            w[l] = w[l].add(w[l + n]);
        }
    }
    w[0]
}

#[inline(always)]
unsafe fn rows_body<T: GemmElem, const FUSED: bool>(
    m: usize,
    k: usize,
    a: MatRef<T>,
    x: &[T::Acc],
    y: *mut T::Acc,
    ys: isize,
) {
    let mut buf = [T::Acc::default(); RUN];
    let mut first = 0;
    if T::DIRECT && k * size_of::<T::Acc>() >= GROUP_MIN_X {
        // Groups of rows share each load of `x`.
        for i in (0..m - m % GROUP).step_by(GROUP) {
            let rows: [&[T::Acc]; GROUP] = std::array::from_fn(|r| {
                let row = a.ptr.offset((i + r) as isize * a.rs) as *const T::Acc;
                std::slice::from_raw_parts(row, k)
            });
            for (r, v) in dot_rows::<_, FUSED>(rows, &x[..k]).into_iter().enumerate() {
                *y.offset((i + r) as isize * ys) = v;
            }
        }
        first = m - m % GROUP;
    }
    for i in first..m {
        let row = a.ptr.offset(i as isize * a.rs);
        let mut acc = [T::Acc::default(); LANES];
        if T::DIRECT {
            let row = std::slice::from_raw_parts(row as *const T::Acc, k);
            dot::<_, FUSED>(row, x, &mut acc);
        } else if cfg!(target_arch = "x86_64") && FUSED && is_f16::<T>() {
            #[cfg(target_arch = "x86_64")]
            {
                // SAFETY: T is f16 (so T::Acc is f32); the FUSED build has F16C.
                let x = std::slice::from_raw_parts(x.as_ptr() as *const f32, x.len());
                let v = dot_f16c(row as *const u16, x, k);
                *y.offset(i as isize * ys) = *(&v as *const f32 as *const T::Acc);
            }
            continue;
        } else {
            let row = std::slice::from_raw_parts(row, k);
            for (s, chunk) in row.chunks(RUN).enumerate() {
                widen::<T, FUSED>(chunk, &mut buf);
                dot::<_, FUSED>(&buf[..chunk.len()], &x[s * RUN..], &mut acc);
            }
        }
        *y.offset(i as isize * ys) = lanes_sum(&acc);
    }
}

#[inline(always)]
unsafe fn cols_body<T: GemmElem, const FUSED: bool>(
    m: usize,
    k: usize,
    a: MatRef<T>,
    x: &[T::Acc],
    y: *mut T::Acc,
    ys: isize,
) {
    let mut acc = vec![T::Acc::default(); m];
    let mut buf = [T::Acc::default(); RUN];
    for (p, &xp) in x.iter().enumerate().take(k) {
        let col = a.ptr.offset(p as isize * a.cs);
        for r0 in (0..m).step_by(RUN) {
            let len = RUN.min(m - r0);
            let src = std::slice::from_raw_parts(col.add(r0), len);
            let vals: &[T::Acc] = if T::DIRECT {
                std::slice::from_raw_parts(src.as_ptr() as *const T::Acc, len)
            } else {
                widen::<T, FUSED>(src, &mut buf);
                &buf[..len]
            };
            for (o, &v) in acc[r0..r0 + len].iter_mut().zip(vals) {
                *o = madd::<T::Acc, FUSED>(*o, v, xp);
            }
        }
    }
    for (i, v) in acc.into_iter().enumerate() {
        *y.offset(i as isize * ys) = v;
    }
}

#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma,f16c"))]
unsafe fn rows_avx2<T: GemmElem>(
    m: usize,
    k: usize,
    a: MatRef<T>,
    x: &[T::Acc],
    y: *mut T::Acc,
    ys: isize,
) {
    rows_body::<T, true>(m, k, a, x, y, ys)
}

#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma,f16c"))]
unsafe fn cols_avx2<T: GemmElem>(
    m: usize,
    k: usize,
    a: MatRef<T>,
    x: &[T::Acc],
    y: *mut T::Acc,
    ys: isize,
) {
    cols_body::<T, true>(m, k, a, x, y, ys)
}
