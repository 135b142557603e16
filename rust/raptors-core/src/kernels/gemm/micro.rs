//! Register-blocked micro-kernels: `C[mr x nr] (+)= A~ · B~` over one packed `kc` slice.
//!
//! One generic body serves every accumulator type; it keeps an `MR x NR` block of
//! accumulators in registers, reads one packed column of A (`MR` values) and one packed row of
//! B (`NR` values) per step and updates the block. LLVM turns the fixed-size inner loops into
//! broadcasts and vector multiply-adds; compiled under `avx2,fma` the float body uses fused
//! multiply-adds (6x16 float32 and 6x8 float64 blocks: twelve 256-bit accumulators), and a
//! baseline x86-64 (SSE2) copy with smaller blocks serves other CPUs.

use super::Acc;
use crate::kernels::cpu::{isa, Isa};

/// A micro-kernel over packed panels: `kc` steps; A panel `mr_max * kc`, B panel
/// `kc * nr_max`; the valid `mr x nr` corner of the result block is stored to C (element
/// strides), added to what C holds when `accumulate`.
pub type MicroFn<A> = unsafe fn(
    kc: usize,
    a: *const A,
    b: *const A,
    c: *mut A,
    rsc: isize,
    csc: isize,
    mr: usize,
    nr: usize,
    accumulate: bool,
);

/// A micro-kernel and its register block shape, and where there is one, the kernel that
/// reads whole tiles of A and B in place.
#[derive(Clone, Copy)]
pub struct Micro<A> {
    pub mr: usize,
    pub nr: usize,
    pub f: MicroFn<A>,
    pub strided: Option<StridedFn<A>>,
}

/// The shared body. `FUSED` selects fused multiply-adds (only where the CPU has them).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn body<A: Acc, const MR: usize, const NR: usize, const FUSED: bool>(
    kc: usize,
    a: *const A,
    b: *const A,
    c: *mut A,
    rsc: isize,
    csc: isize,
    mr: usize,
    nr: usize,
    accumulate: bool,
) {
    let mut ab = [[A::default(); NR]; MR];
    for p in 0..kc {
        let ap = &*(a.add(p * MR) as *const [A; MR]);
        let bp = &*(b.add(p * NR) as *const [A; NR]);
        for i in 0..MR {
            for j in 0..NR {
                ab[i][j] = if FUSED {
                    ab[i][j].fma(ap[i], bp[j])
                } else {
                    ab[i][j].mul_add(ap[i], bp[j])
                };
            }
        }
    }
    // The store touches MR*NR elements per kc*MR*NR multiply-adds: strided and generic is fine.
    for (i, row) in ab.iter().enumerate().take(mr) {
        let ci = c.offset(i as isize * rsc);
        for (j, &v) in row.iter().enumerate().take(nr) {
            let cij = ci.offset(j as isize * csc);
            *cij = if accumulate { (*cij).add(v) } else { v };
        }
    }
}

macro_rules! micro {
    ($name:ident, $feat:literal, $mr:literal, $nr:literal, $fused:literal) => {
        #[allow(clippy::too_many_arguments)]
        #[cfg_attr(target_arch = "x86_64", target_feature(enable = $feat))]
        unsafe fn $name<A: Acc>(
            kc: usize,
            a: *const A,
            b: *const A,
            c: *mut A,
            rsc: isize,
            csc: isize,
            mr: usize,
            nr: usize,
            accumulate: bool,
        ) {
            body::<A, $mr, $nr, $fused>(kc, a, b, c, rsc, csc, mr, nr, accumulate)
        }
    };
}

// 256-bit registers: 6 rows x 2 vectors of int32 (12 accumulators + 2 B + 1 A).
micro!(avx2_6x16, "avx2,fma", 6, 16, true);
// Baseline SSE2: 16 registers of 128 bits.
micro!(base_4x8, "sse2", 4, 8, false);
micro!(base_4x4, "sse2", 4, 4, false);

/// A micro-kernel reading A and B in place: A element `(i, p)` at `a[i * ars + p * acs]`, B
/// row `p` at `b + p * brs` (unit column stride), the full `MR x NR` block in bounds of both;
/// the valid `mr x nr` corner of the result is stored to C. Small products use it, skipping
/// the packing (see `gemm::small`).
pub type StridedFn<A> = unsafe fn(
    kc: usize,
    a: *const A,
    a_strides: [isize; 2],
    b: *const A,
    brs: isize,
    c: *mut A,
    c_strides: [isize; 2],
    mr: usize,
    nr: usize,
);

/// Hand-scheduled AVX2+FMA float kernels: `6 x 2` vector accumulators stay in registers,
/// each step loads two vectors of B, broadcasts six values of A and issues twelve fused
/// multiply-adds. (LLVM does vectorise the generic body for float32 but not for float64, so
/// the float kernels are spelled out with intrinsics; one macro serves both widths.) One body
/// takes A and B with strides: the packed kernel passes the packed layout's constant strides,
/// which fold away, and the strided one (`$strided`) passes the operands' own.
#[cfg(target_arch = "x86_64")]
macro_rules! avx2_float {
    ($name:ident, $strided:ident, $t:ty, $lanes:literal, $setzero:ident, $loadu:ident,
     $storeu:ident, $bcast:ident, $fmadd:ident, $add:ident) => {
        #[allow(clippy::too_many_arguments)]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $name(
            kc: usize,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            rsc: isize,
            csc: isize,
            mr: usize,
            nr: usize,
            accumulate: bool,
        ) {
            let [ars, acs, brs]: [isize; 3] = [1, 6, 2 * $lanes];
            avx2_float!(@body $t, $lanes, $setzero, $loadu, $storeu, $bcast, $fmadd, $add;
                        kc, a, ars, acs, b, brs, c, rsc, csc, mr, nr, accumulate)
        }

        #[allow(clippy::too_many_arguments)]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $strided(
            kc: usize,
            a: *const $t,
            [ars, acs]: [isize; 2],
            b: *const $t,
            brs: isize,
            c: *mut $t,
            [rsc, csc]: [isize; 2],
            mr: usize,
            nr: usize,
        ) {
            let accumulate = false;
            avx2_float!(@body $t, $lanes, $setzero, $loadu, $storeu, $bcast, $fmadd, $add;
                        kc, a, ars, acs, b, brs, c, rsc, csc, mr, nr, accumulate)
        }
    };
    (@body $t:ty, $lanes:literal, $setzero:ident, $loadu:ident, $storeu:ident, $bcast:ident,
     $fmadd:ident, $add:ident; $kc:ident, $a:ident, $ars:ident, $acs:ident, $b:ident,
     $brs:ident, $c:ident, $rsc:ident, $csc:ident, $mr:ident, $nr:ident, $accumulate:ident) => {{
        let (kc, a, ars, acs, b, brs, c, rsc, csc, mr, nr, accumulate) =
            ($kc, $a, $ars, $acs, $b, $brs, $c, $rsc, $csc, $mr, $nr, $accumulate);
        use std::arch::x86_64::*;
        const MR: usize = 6;
        const NR: usize = 2 * $lanes;
        // Start fetching the C tile now; it is read back when the k loop ends.
        if accumulate {
            for i in 0..mr {
                let ci = c.offset(i as isize * rsc) as *const i8;
                _mm_prefetch::<_MM_HINT_T0>(ci);
                _mm_prefetch::<_MM_HINT_T0>(
                    ci.offset((NR as isize - 1) * csc * std::mem::size_of::<$t>() as isize),
                );
            }
        }
        let mut ab = [[$setzero(); 2]; MR];
        let (mut ap, mut bp) = (a, b);
        // Four steps per trip; the next steps' A values are fetched ahead into L1.
        let step = |ab: &mut [[_; 2]; MR], ap: *const $t, bp: *const $t| {
            let b0 = $loadu(bp);
            let b1 = $loadu(bp.add($lanes));
            for (i, row) in ab.iter_mut().enumerate() {
                let ai = $bcast(&*ap.offset(i as isize * ars));
                row[0] = $fmadd(ai, b0, row[0]);
                row[1] = $fmadd(ai, b1, row[1]);
            }
        };
        for _ in 0..kc / 4 {
            _mm_prefetch::<_MM_HINT_T0>(ap.offset(8 * acs) as *const i8);
            step(&mut ab, ap, bp);
            step(&mut ab, ap.offset(acs), bp.offset(brs));
            step(&mut ab, ap.offset(2 * acs), bp.offset(2 * brs));
            step(&mut ab, ap.offset(3 * acs), bp.offset(3 * brs));
            ap = ap.offset(4 * acs);
            bp = bp.offset(4 * brs);
        }
        for _ in 0..kc % 4 {
            step(&mut ab, ap, bp);
            ap = ap.offset(acs);
            bp = bp.offset(brs);
        }
        if mr == MR && nr == NR && csc == 1 {
            for (i, row) in ab.iter().enumerate() {
                let ci = c.offset(i as isize * rsc);
                for (h, &v) in row.iter().enumerate() {
                    let p = ci.add(h * $lanes);
                    $storeu(p, if accumulate { $add($loadu(p), v) } else { v });
                }
            }
            return;
        }
        // Edge tiles and strided C: through a small array.
        let mut tile = [[0 as $t; NR]; MR];
        for (i, row) in ab.iter().enumerate() {
            $storeu(tile[i].as_mut_ptr(), row[0]);
            $storeu(tile[i].as_mut_ptr().add($lanes), row[1]);
        }
        for (i, row) in tile.iter().enumerate().take(mr) {
            let ci = c.offset(i as isize * rsc);
            for (j, &v) in row.iter().enumerate().take(nr) {
                let cij = ci.offset(j as isize * csc);
                *cij = if accumulate { *cij + v } else { v };
            }
        }
    }};
}

#[cfg(target_arch = "x86_64")]
avx2_float!(
    avx2_f32_6x16,
    avx2_f32_6x16_strided,
    f32,
    8,
    _mm256_setzero_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_broadcast_ss,
    _mm256_fmadd_ps,
    _mm256_add_ps
);
#[cfg(target_arch = "x86_64")]
avx2_float!(
    avx2_f64_6x8,
    avx2_f64_6x8_strided,
    f64,
    4,
    _mm256_setzero_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_broadcast_sd,
    _mm256_fmadd_pd,
    _mm256_add_pd
);

/// The float32 micro-kernel for this CPU.
pub fn micro_f32() -> Micro<f32> {
    match isa() {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 | Isa::Avx512 => Micro {
            mr: 6,
            nr: 16,
            f: avx2_f32_6x16,
            strided: Some(avx2_f32_6x16_strided),
        },
        _ => Micro {
            mr: 4,
            nr: 8,
            f: base_4x8::<f32>,
            strided: None,
        },
    }
}

/// The float64 micro-kernel for this CPU.
pub fn micro_f64() -> Micro<f64> {
    match isa() {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 | Isa::Avx512 => Micro {
            mr: 6,
            nr: 8,
            f: avx2_f64_6x8,
            strided: Some(avx2_f64_6x8_strided),
        },
        _ => Micro {
            mr: 4,
            nr: 4,
            f: base_4x4::<f64>,
            strided: None,
        },
    }
}

/// The int32 micro-kernel (the generic body; LLVM vectorises it with `vpmulld`).
pub fn micro_i32() -> Micro<i32> {
    match isa() {
        Isa::Avx2 | Isa::Avx512 => Micro {
            mr: 6,
            nr: 16,
            f: avx2_6x16::<i32>,
            strided: None,
        },
        Isa::Base => Micro {
            mr: 4,
            nr: 8,
            f: base_4x8::<i32>,
            strided: None,
        },
    }
}

/// The int64 micro-kernel (AVX2 has no 64-bit vector multiply: a small scalar block).
pub fn micro_i64() -> Micro<i64> {
    Micro {
        mr: 4,
        nr: 4,
        f: base_4x4::<i64>,
        strided: None,
    }
}

/// Multiply-adds of the peak probe per call: 12 independent chains of 32 bytes each (the
/// register budget of the float micro-kernels), so only FMA throughput limits it.
const PROBE_CHAINS: usize = 12;

/// The baseline probe: 12 chains of two-wide vectors (what SSE2 offers).
fn probe_base<A: Acc>(reps: usize, x: A, y: A) -> A {
    let mut acc = [[A::default(); 2]; PROBE_CHAINS];
    for _ in 0..reps {
        for chain in acc.iter_mut() {
            for v in chain.iter_mut() {
                *v = v.mul_add(x, y);
            }
        }
    }
    acc.iter().flatten().fold(A::default(), |s, &v| s.add(v))
}

/// The AVX2 probe: 12 independent 256-bit FMA chains, the float micro-kernels' register set.
#[cfg(target_arch = "x86_64")]
macro_rules! avx2_probe {
    ($name:ident, $t:ty, $lanes:literal, $set1:ident, $fmadd:ident, $storeu:ident) => {
        #[target_feature(enable = "avx2,fma")]
        unsafe fn $name(reps: usize, x: $t, y: $t) -> $t {
            use std::arch::x86_64::*;
            let (xv, yv) = ($set1(x), $set1(y));
            let mut acc = [$set1(0.0); PROBE_CHAINS];
            for _ in 0..reps {
                for v in acc.iter_mut() {
                    *v = $fmadd(xv, yv, *v);
                }
            }
            let mut out = [0.0; $lanes];
            let mut s = 0.0;
            for v in acc {
                $storeu(out.as_mut_ptr(), v);
                s += out.iter().sum::<$t>();
            }
            s
        }
    };
}
#[cfg(target_arch = "x86_64")]
avx2_probe!(
    probe_avx2_f32,
    f32,
    8,
    _mm256_set1_ps,
    _mm256_fmadd_ps,
    _mm256_storeu_ps
);
#[cfg(target_arch = "x86_64")]
avx2_probe!(
    probe_avx2_f64,
    f64,
    4,
    _mm256_set1_pd,
    _mm256_fmadd_pd,
    _mm256_storeu_pd
);

/// Measured floating-point peak of the machine in FLOP/s (float64 if `double`, else float32)
/// on `threads` threads: every thread runs independent vector multiply-add chains in
/// registers for about `seconds`. Benchmarks report GEMM speed as a fraction of this.
pub fn peak_flops(double: bool, threads: usize, seconds: f64) -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;
    let fused = matches!(isa(), Isa::Avx2 | Isa::Avx512);
    let elem = if double { 8 } else { 4 };
    let lanes = if fused { 32 } else { 16 } / elem;
    let per_rep = (PROBE_CHAINS * lanes * 2) as f64;
    let run = |reps: usize| -> f64 {
        match (fused, double) {
            // SAFETY: the CPU has AVX2 and FMA (checked by `isa`).
            #[cfg(target_arch = "x86_64")]
            (true, false) => unsafe { probe_avx2_f32(reps, 0.999_999, 1e-7) as f64 },
            #[cfg(target_arch = "x86_64")]
            (true, true) => unsafe { probe_avx2_f64(reps, 0.999_999, 1e-7) },
            (_, false) => probe_base::<f32>(reps, 0.999_999, 1e-7) as f64,
            (_, true) => probe_base::<f64>(reps, 0.999_999, 1e-7),
        }
    };
    // Calibrate the repetitions for one thread, then run all threads at once.
    let mut reps = 1 << 16;
    loop {
        let t = Instant::now();
        std::hint::black_box(run(reps));
        let dt = t.elapsed().as_secs_f64();
        if dt > seconds / 10.0 || reps > 1 << 34 {
            reps = ((reps as f64) * seconds / dt.max(1e-9)) as usize;
            break;
        }
        reps *= 4;
    }
    let reps = reps.max(1);
    let best = AtomicU64::new(0);
    let threads = threads.max(1);
    let pool = crate::exec::pool();
    pool.scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                let t = Instant::now();
                std::hint::black_box(run(reps));
                let rate = reps as f64 * per_rep / t.elapsed().as_secs_f64();
                best.fetch_add(rate as u64, Ordering::Relaxed);
            });
        }
    });
    best.load(Ordering::Relaxed) as f64
}
