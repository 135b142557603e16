//! Slice loops and run-time selection of the instruction set.
//!
//! The loops are written once (`body_f64` / `body_f32`, generic over the multiply-add
//! [`Flavour`]) and `#[inline(always)]`, so each entry point below gets its own copy compiled
//! for its target features: a portable one (SSE2 on x86_64), one for AVX2+FMA and one for
//! AVX-512 (F/DQ/VL). The best supported one is detected once with `is_x86_feature_detected!`
//! and cached; no build for the host CPU alone is ever needed. On the AVX-512 path, `exp`,
//! `log` and `log1p` of both widths and f32 `tanh` and `expm1` run the intrinsics kernels
//! of `avx512` instead of the generic loop.

use std::sync::OnceLock;

use super::flavour::{Flavour, Portable, Unfused};
use super::{exp, log, tanh, trig, trig_huge, MathOp};

/// An instruction-set path of the kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Path {
    /// Baseline instructions of the compile target (no FMA on x86_64 unless enabled there).
    Portable,
    /// x86_64 AVX2 + FMA.
    Avx2,
    /// x86_64 AVX-512 F + DQ + VL (with AVX2 + FMA).
    Avx512,
}

impl Path {
    /// All paths, slowest first.
    pub(crate) const ALL: [Path; 3] = [Path::Portable, Path::Avx2, Path::Avx512];

    /// Whether this CPU can run the path.
    pub(crate) fn is_supported(self) -> bool {
        match self {
            Path::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 => {
                Path::Avx2.is_supported()
                    && is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx512dq")
                    && is_x86_feature_detected!("avx512vl")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// The fastest supported path, detected on first use.
pub(crate) fn best_path() -> Path {
    static BEST: OnceLock<Path> = OnceLock::new();
    *BEST.get_or_init(|| {
        Path::ALL
            .into_iter()
            .rev()
            .find(|p| p.is_supported())
            .unwrap_or(Path::Portable)
    })
}

/// Elements per block in the loops with a fix-up pass (sin, cos, log) or a choice of kernel
/// (exp, expm1, log1p): a block that needs the second pass is still in L1 for it.
const FIXUP_BLOCK: usize = 512;

// The loops below index with plain `while` loops on purpose: iterator adapters from core
// (`zip`, ranges) are not always inlined into `#[target_feature]` functions, and a call in
// the loop body prevents vectorisation.

#[inline(always)]
fn map<T: Copy>(src: &[T], dst: &mut [T], f: impl Fn(T) -> T) {
    let n = dst.len();
    let src = &src[..n];
    let mut i = 0;
    while i < n {
        dst[i] = f(src[i]);
        i += 1;
    }
}

/// Unsigned word type whose sign bit carries a "needs the slow path" flag.
trait FlagWord: Copy + std::ops::BitOr<Output = Self> {
    const ZERO: Self;
    fn is_set(self) -> bool;
}

impl FlagWord for u64 {
    const ZERO: Self = 0;
    #[inline(always)]
    fn is_set(self) -> bool {
        self >> 63 != 0
    }
}

impl FlagWord for u32 {
    const ZERO: Self = 0;
    #[inline(always)]
    fn is_set(self) -> bool {
        self >> 31 != 0
    }
}

/// `dst = f(src)` over one block, returning the OR of `flag` over its elements.
#[inline(always)]
fn map_flagged<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    f: impl Fn(T) -> T,
    flag: impl Fn(T) -> W,
) -> W {
    let n = dst.len();
    let src = &src[..n];
    let mut any = W::ZERO;
    let mut i = 0;
    while i < n {
        let x = src[i];
        dst[i] = f(x);
        any = any | flag(x);
        i += 1;
    }
    any
}

/// `dst = fast(src)` block by block, calling `on_flagged(block_src, block_dst)` for blocks
/// in which the sign bit of `flag` is set for some element. The main loop vectorises (the
/// flags are OR-reduced with plain integer ops); `on_flagged` only runs for rare blocks.
#[inline(always)]
fn map_blocks<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    fast: impl Fn(T) -> T,
    flag: impl Fn(T) -> W,
    mut on_flagged: impl FnMut(&[T], &mut [T]),
) {
    let n = dst.len();
    let src = &src[..n];
    let mut start = 0;
    while start < n {
        let end = n.min(start + FIXUP_BLOCK);
        let (s, d) = (&src[start..end], &mut dst[start..end]);
        if map_flagged(s, d, &fast, &flag).is_set() {
            on_flagged(s, d);
        }
        start = end;
    }
}

/// `dst = fast(src)`, except for blocks holding an element `fast` does not handle (sign bit
/// of `flag` set): those are recomputed with `safe`. `safe` must equal `fast` bit for bit
/// wherever `fast` applies, so each result depends on its element alone, and any block may
/// take either. Special values tend to come in runs (masked-out `-inf`, padding), so after a
/// flagged block the next ones go straight to `safe` (still checking the flags) until one is
/// clean: data full of special values costs one `safe` pass, not `fast` and `safe` both.
#[inline(always)]
fn map_choose<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    fast: impl Fn(T) -> T,
    flag: impl Fn(T) -> W,
    safe: impl Fn(T) -> T,
) {
    // The block walk is written out as in `map_blocks`: a shared helper taking the block
    // body as a closure compiled that body without the caller's target features (float64
    // `exp` ran at 47 instead of 0.59 ns per element).
    let n = dst.len();
    let src = &src[..n];
    let mut in_run = false;
    let mut start = 0;
    while start < n {
        let end = n.min(start + FIXUP_BLOCK);
        let (s, d) = (&src[start..end], &mut dst[start..end]);
        if in_run {
            in_run = map_flagged(s, d, &safe, &flag).is_set();
        } else if map_flagged(s, d, &fast, &flag).is_set() {
            map(s, d, &safe);
            in_run = true;
        }
        start = end;
    }
}

/// `dst = fast(src)`, then `slow` wherever the sign bit of `flag` is set.
#[inline(always)]
fn map_fixup<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    fast: impl Fn(T) -> T,
    flag: impl Fn(T) -> W,
    slow: fn(T) -> T,
) {
    map_blocks(src, dst, fast, &flag, |s, d| fix_up(s, d, &flag, slow));
}

/// [`map_fixup`] with a middle tier: in a block that contains an element `fast` does not
/// handle (`flag`), a second vectorised loop computes `mid` (valid on a wider range, see
/// `mid_flag`) for every element and keeps it for the flagged ones, and only what `mid`
/// does not handle goes to the scalar `slow`. (Each result thus depends on its element
/// alone, not on its neighbours.) Used by the f32 sin/cos, whose single-precision kernels
/// stop at 2^20 and whose f64-based ones reach 2^27.
#[inline(always)]
fn map_fixup2<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    fast: impl Fn(T) -> T,
    flag: impl Fn(T) -> W,
    mid: impl Fn(T) -> T,
    mid_flag: impl Fn(T) -> W,
    slow: fn(T) -> T,
) {
    map_blocks(src, dst, fast, &flag, |s, d| {
        let mut any_mid = W::ZERO;
        let mut i = 0;
        while i < d.len() {
            let x = s[i];
            let m = mid(x);
            d[i] = if flag(x).is_set() { m } else { d[i] };
            any_mid = any_mid | mid_flag(x);
            i += 1;
        }
        if any_mid.is_set() {
            fix_up(s, d, &mid_flag, slow);
        }
    });
}

#[cold]
#[inline(never)]
fn fix_up<T: Copy, W: FlagWord>(
    src: &[T],
    dst: &mut [T],
    flag: &impl Fn(T) -> W,
    slow: fn(T) -> T,
) {
    for (d, &x) in dst.iter_mut().zip(src) {
        if flag(x).is_set() {
            *d = slow(x);
        }
    }
}

fn log_slow_f64(x: f64) -> f64 {
    log::log_f64::<Unfused>(x)
}

fn log_slow_f32(x: f32) -> f32 {
    log::log_f32::<Unfused>(x)
}

fn sin_slow_f32(x: f32) -> f32 {
    trig_huge::sin_slow(x as f64) as f32
}

fn cos_slow_f32(x: f32) -> f32 {
    trig_huge::cos_slow(x as f64) as f32
}

#[inline(always)]
fn body_f64<F: Flavour>(op: MathOp, src: &[f64], dst: &mut [f64]) {
    match op {
        MathOp::Exp => map_choose(
            src,
            dst,
            exp::exp_f64_fast::<F>,
            exp::exp_fast_flag_f64,
            exp::exp_f64::<F>,
        ),
        MathOp::Log => map_fixup(
            src,
            dst,
            log::log_normal_f64::<F>,
            log::log_slow_flag_f64,
            log_slow_f64,
        ),
        MathOp::Sin => map_fixup(
            src,
            dst,
            trig::sin_f64::<F>,
            trig::slow_flag_f64,
            trig_huge::sin_slow,
        ),
        MathOp::Cos => map_fixup(
            src,
            dst,
            trig::cos_f64::<F>,
            trig::slow_flag_f64,
            trig_huge::cos_slow,
        ),
        MathOp::Tanh => map(src, dst, tanh::tanh_f64::<F>),
        MathOp::Expm1 => map_choose(
            src,
            dst,
            exp::expm1_f64_fast::<F>,
            exp::expm1_fast_flag_f64,
            exp::expm1_f64::<F>,
        ),
        MathOp::Log1p => map_choose(
            src,
            dst,
            log::log1p_f64_fast::<F>,
            log::log1p_fast_flag_f64,
            log::log1p_f64::<F>,
        ),
    }
}

#[inline(always)]
fn body_f32<F: Flavour>(op: MathOp, src: &[f32], dst: &mut [f32]) {
    match op {
        MathOp::Exp => map(src, dst, exp::exp_f32::<F>),
        MathOp::Log => map_fixup(
            src,
            dst,
            log::log_normal_f32::<F>,
            log::log_slow_flag_f32,
            log_slow_f32,
        ),
        // Single-precision sin/cos need FMA; without it they compute in f64.
        MathOp::Sin if F::FUSED => map_fixup2(
            src,
            dst,
            trig::sin_f32::<F>,
            trig::slow_flag_f32,
            trig::sin_f32_wide::<F>,
            trig::slow_flag_f32_wide,
            sin_slow_f32,
        ),
        MathOp::Cos if F::FUSED => map_fixup2(
            src,
            dst,
            trig::cos_f32::<F>,
            trig::slow_flag_f32,
            trig::cos_f32_wide::<F>,
            trig::slow_flag_f32_wide,
            cos_slow_f32,
        ),
        MathOp::Sin => map_fixup(
            src,
            dst,
            trig::sin_f32_wide::<F>,
            trig::slow_flag_f32_wide,
            sin_slow_f32,
        ),
        MathOp::Cos => map_fixup(
            src,
            dst,
            trig::cos_f32_wide::<F>,
            trig::slow_flag_f32_wide,
            cos_slow_f32,
        ),
        MathOp::Tanh => map(src, dst, tanh::tanh_f32::<F>),
        MathOp::Expm1 => map_choose(
            src,
            dst,
            exp::expm1_f32_fast::<F>,
            exp::expm1_fast_flag_f32,
            exp::expm1_f32::<F>,
        ),
        MathOp::Log1p => map_choose(
            src,
            dst,
            log::log1p_f32_fast::<F>,
            log::log1p_fast_flag_f32,
            log::log1p_f32::<F>,
        ),
    }
}

fn portable_f64(op: MathOp, src: &[f64], dst: &mut [f64]) {
    body_f64::<Portable>(op, src, dst)
}

fn portable_f32(op: MathOp, src: &[f32], dst: &mut [f32]) {
    body_f32::<Portable>(op, src, dst)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::super::flavour::Fused;
    use super::super::{avx512, MathOp};
    use super::{body_f32, body_f64};

    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2_f64(op: MathOp, src: &[f64], dst: &mut [f64]) {
        body_f64::<Fused>(op, src, dst)
    }

    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2_f32(op: MathOp, src: &[f32], dst: &mut [f32]) {
        body_f32::<Fused>(op, src, dst)
    }

    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
    pub(super) unsafe fn avx512_f64(op: MathOp, src: &[f64], dst: &mut [f64]) {
        match op {
            MathOp::Exp => avx512::exp_f64(src, dst),
            MathOp::Log => avx512::log_f64(src, dst),
            MathOp::Log1p => avx512::log1p_f64(src, dst),
            MathOp::Expm1 => avx512::expm1_f64(src, dst),
            _ => body_f64::<Fused>(op, src, dst),
        }
    }

    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
    pub(super) unsafe fn avx512_f32(op: MathOp, src: &[f32], dst: &mut [f32]) {
        match op {
            MathOp::Tanh => avx512::tanh_f32(src, dst),
            MathOp::Log => avx512::log_f32(src, dst),
            MathOp::Log1p => avx512::log1p_f32(src, dst),
            MathOp::Expm1 => avx512::expm1_f32(src, dst),
            MathOp::Exp => avx512::exp_f32(src, dst),
            _ => body_f32::<Fused>(op, src, dst),
        }
    }
}

/// `dst[i] = op(src[i])` on the given path. Panics if the lengths differ or the CPU does not
/// support `path`.
pub(crate) fn apply_f64_on(path: Path, op: MathOp, src: &[f64], dst: &mut [f64]) {
    assert_eq!(
        src.len(),
        dst.len(),
        "math kernel: src and dst lengths differ"
    );
    assert!(
        path.is_supported(),
        "math kernel: {path:?} not supported by this CPU"
    );
    match path {
        Path::Portable => portable_f64(op, src, dst),
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 => unsafe { x86::avx2_f64(op, src, dst) },
        // SAFETY: the CPU supports AVX-512 F/DQ/VL, AVX2 and FMA (checked just above).
        #[cfg(target_arch = "x86_64")]
        Path::Avx512 => unsafe { x86::avx512_f64(op, src, dst) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!("only the portable path is supported here"),
    }
}

/// f32 counterpart of [`apply_f64_on`].
pub(crate) fn apply_f32_on(path: Path, op: MathOp, src: &[f32], dst: &mut [f32]) {
    assert_eq!(
        src.len(),
        dst.len(),
        "math kernel: src and dst lengths differ"
    );
    assert!(
        path.is_supported(),
        "math kernel: {path:?} not supported by this CPU"
    );
    match path {
        Path::Portable => portable_f32(op, src, dst),
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 => unsafe { x86::avx2_f32(op, src, dst) },
        // SAFETY: the CPU supports AVX-512 F/DQ/VL, AVX2 and FMA (checked just above).
        #[cfg(target_arch = "x86_64")]
        Path::Avx512 => unsafe { x86::avx512_f32(op, src, dst) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!("only the portable path is supported here"),
    }
}
