//! AVX-512 kernels written with intrinsics, for the functions where instructions that LLVM
//! never generates from the generic scalar code pay: table lookups in registers
//! (`vpermi2pd`, `vpermps`: a 16-entry table in two or one registers, no gather),
//! `vscalefpd` (scaling by `2^n` with overflow, underflow and subnormal rounding in one
//! instruction) and mask registers (special lanes, rare, fixed up by a cold function after
//! one test per vector). Kernels: `exp`, `log`, `log1p` and `expm1` for both widths; f32
//! `tanh`.
//!
//! `log`, `log1p`, `expm1` and the f32 `exp` are written once, generic over [`Vector`] (a
//! register of sixteen f32 or eight f64 lanes) with the constants of their width from
//! [`Consts`]; the public entry points instantiate them. The generic slice functions carry
//! the target features themselves (`avx512!`), not just `#[inline(always)]`: a closure
//! compiles with the features of the function that defines it, and the closures they hand to
//! `map` left every intrinsic an out-of-line call otherwise (about 60x slower, `math_probe`).
//! The f64 `exp` (a shorter polynomial relative to `exp`) and the f32 `tanh` have one width
//! only. Each kernel works on whole vectors and on the tail with masked loads and stores,
//! and serves the `Avx512` path in place of the generic loop (see `dispatch`).

mod consts;
mod vector;

use consts::*;
use std::arch::x86_64::*;
use vector::Vector;

/// The target features of this module (and of the `Avx512` path).
macro_rules! avx512 {
    ($($item:item)*) => {$(
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
        $item
    )*};
}

/// `dst[i] = f(src[i])`, a whole vector at a time, the tail with masked loads and stores.
#[inline(always)]
unsafe fn map<V: Vector>(src: &[V::Elem], dst: &mut [V::Elem], f: impl Fn(V) -> V) {
    let n = dst.len();
    let (s, d) = (src[..n].as_ptr(), dst.as_mut_ptr());
    let mut i = 0;
    while i + V::LANES <= n {
        f(V::load(s.add(i))).store(d.add(i));
        i += V::LANES;
    }
    if i < n {
        let m = V::tail_mask(n - i);
        f(V::load_masked(m, s.add(i))).store_masked(m, d.add(i));
    }
}

/// `c[0] + c[1] x + ...` by Horner's rule.
#[inline(always)]
unsafe fn horner<V: Vector>(x: V, c: &[V::Elem]) -> V {
    let (last, rest) = c.split_last().expect("a polynomial has coefficients");
    let mut acc = V::set(*last);
    for &ci in rest.iter().rev() {
        acc = acc.mul_add(x, V::set(ci));
    }
    acc
}

/// No lane set.
#[inline(always)]
fn none<V: Vector>(m: V::Mask) -> bool {
    m == V::Mask::default()
}

/// Lanes of `v` whose bits, as unsigned, lie outside `[lo, lo + len)`.
#[inline(always)]
unsafe fn outside<V: Vector>(v: V, lo: i64, len: i64) -> V::Mask {
    V::ge_bits(
        V::sub_bits(v.to_bits(), V::splat_bits(lo)),
        V::splat_bits(len),
    )
}

// --- the exp reduction --------------------------------------------------------------------

/// `x` clamped to `[EXP_MIN, EXP_MAX]`, where e^x is already 0 and inf; NaN passes, as
/// `vmaxp*` / `vminp*` return their second operand when one is NaN.
#[inline(always)]
unsafe fn exp_clamp<V: Consts>(x: V) -> V {
    V::set(V::EXP_MAX).min(V::set(V::EXP_MIN).max(x))
}

/// `(z, n, r)` for `x = (16 n + j) ln2/16 + r`, |r| <= ln2/32 (+ rounding), `x` within the
/// `exp` clamps: `z` holds the rounded `m = 16 n + j` in its low bits (the table index:
/// `vpermps` / `vpermi2pd` read only the low four), `n` is the float `m / 16` (exact), whose
/// floor `vscalefp*` takes as the power of two. The reduction is exact up to the rounding of
/// `m LN2_16_LO`.
#[inline(always)]
unsafe fn exp_reduce<V: Consts>(x: V) -> (V, V, V) {
    let shift = V::set(V::SHIFT);
    let z = x.mul_add(V::set(V::INV_LN2_16), shift);
    let m = z.sub(shift);
    let r = m.neg_mul_add(V::set(V::LN2_16_HI), x);
    let r = m.neg_mul_add(V::set(V::LN2_16_LO), r);
    (z, m.mul(V::splat(1.0 / 16.0)), r)
}

// --- exp (f64) ----------------------------------------------------------------------------

avx512! {
    /// e^x for eight lanes, any input; about 1 ulp. `x = (16 n + j) ln2/16 + r`, |r| <=
    /// ln2/32; `e^x = 2^n 2^(j/16) (1 + expm1(r))` with the table entry picked by the low
    /// four bits of the rounded `16x/ln2` and `2^n` applied by `vscalefpd`, which rounds
    /// subnormal results once and overflows to infinity. Inputs are clamped to [-746, 710]
    /// ([`exp_clamp`]). A polynomial for `expm1(r)` relative to `exp(r)` (degree 6,
    /// [`EXP16_P`]) suffices here, one degree less than `expm1` needs.
    #[inline]
    unsafe fn exp8(x: __m512d, table: (__m512d, __m512d)) -> __m512d {
        let (z, n, r) = exp_reduce(exp_clamp(x));
        let t = __m512d::lookup(table, z.to_bits());
        let e = r.mul(r).mul_add(horner(r, &EXP16_P), r);
        t.mul_add(e, t).scalef(n)
    }

    /// e^x over an f64 slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn exp_f64(src: &[f64], dst: &mut [f64]) {
        let table = __m512d::table(&EXP2_16THS);
        map(src, dst, |x| exp8(x, table))
    }
}

// --- exp (f32) and expm1 ------------------------------------------------------------------

/// The `2^(j/16)` tables of [`exp_parts`], as `T_HI` and `T_LO`.
type ExpTables<V> = (<V as Vector>::Table, <V as Vector>::Table);

#[inline(always)]
unsafe fn exp_tables<V: Consts>() -> ExpTables<V> {
    (V::table(V::EXP16_HI), V::table(V::EXP16_LO))
}

/// `(z, n, T_HI, T_LO, expm1(r))` for `x` within the `exp` clamps ([`exp_reduce`]).
#[inline(always)]
unsafe fn exp_parts<V: Consts>(x: V, t: ExpTables<V>) -> (V, V, V, V, V) {
    let (z, n, r) = exp_reduce(x);
    let idx = z.to_bits();
    let (th, tl) = (V::lookup(t.0, idx), V::lookup(t.1, idx));
    let p = r.mul(r).mul_add(horner(r, V::EXPM1_16_P), r);
    (z, n, th, tl, p)
}

/// `e^x` for `x` within the `exp` clamps (or NaN): `2^n (T_HI + (T p + T_LO))` with the
/// scaling last (`vscalefp*`), so it overflows to inf only where e^x does and rounds
/// subnormal results once.
#[inline(always)]
unsafe fn exp_from_parts<V: Consts>(x: V, t: ExpTables<V>) -> V {
    let (_, n, th, tl, p) = exp_parts(x, t);
    th.add(th.add(tl).mul_add(p, tl)).scalef(n)
}

avx512! {
    /// `expm1` for lanes above `EXPM1_BIG` (not NaN): there `expm1(x) = e^x` to within far
    /// less than an ulp.
    #[inline(never)]
    #[cold]
    unsafe fn expm1_big<V: Consts>(x: V, y: V, m: V::Mask, t: ExpTables<V>) -> V {
        y.blend(m, exp_from_parts(x.min(V::set(V::EXP_MAX)), t))
    }

    /// e^x over an f32 slice, any input: inputs are clamped to [-104, 89] (where e^x is
    /// already 0 and inf; NaN passes the clamps), then [`exp_from_parts`].
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn exp_f32(src: &[f32], dst: &mut [f32]) {
        type V = __m512;
        let t = exp_tables::<V>();
        map(src, dst, |x: V| exp_from_parts(exp_clamp(x), t))
    }
}

avx512! {
    /// `e^x - 1` over a slice, any input: `expm1(x) = (2^n T_HI - 1) + 2^n (T p + T_LO)` with
    /// `p = expm1(r)` and `T = T_HI + T_LO` rounded ([`exp_parts`]). The first term is exact
    /// while it matters (f32: n <= 12; f64: -25 <= n <= 52), so there is no cancellation near 0
    /// (where n = j = 0 and the result is `p`). Inputs below `EXPM1_MIN` are clamped (the
    /// result is -1 from -17.4 (f32) or -37.5 (f64) on; NaN passes, as `vmaxp*` returns its
    /// second operand then); those above `EXPM1_BIG` go to [`expm1_big`]. The sign of `x` is
    /// OR'd in, for `expm1(-0) = -0` (the result always has the sign of `x`).
    #[inline]
    unsafe fn expm1_slice<V: Consts>(src: &[V::Elem], dst: &mut [V::Elem]) {
        let t = exp_tables::<V>();
        let one = V::splat(1.0);
        map(src, dst, |x: V| {
            let (z, _, th, tl, p) = exp_parts(V::set(V::EXPM1_MIN).max(x), t);
            // 2^n by integer operations on the bits of z (normal for every lane the result
            // keeps: n >= -44 / -58 above EXPM1_MIN, n <= 127 / 1023 up to EXPM1_BIG for
            // f32 / f64; NaN lanes stay NaN through p), which leaves the
            // multiply pipes to the arithmetic: two fewer multiply-class operations than
            // `n = m / 16` and `scalef(1, n)`.
            let s = V::pow2_sixteenths(z.to_bits());
            let a = th.mul_sub(s, one);
            let y = th.add(tl).mul_add(p, tl).mul_add(s, a).or_sign(x);
            let big = x.cmp::<_CMP_GT_OQ>(V::set(V::EXPM1_BIG));
            if none::<V>(big) {
                y
            } else {
                expm1_big(x, y, big, t)
            }
        })
    }
}

// --- log and log1p ------------------------------------------------------------------------

/// The two 16-entry tables of `log` / `log1p` (`1/c` and `log(c)` per bin).
#[derive(Clone, Copy)]
struct LogTables<V: Vector> {
    invc: V::Table,
    logc: V::Table,
}

#[inline(always)]
unsafe fn log_tables<V: Consts>() -> LogTables<V> {
    LogTables {
        invc: V::table(V::LOG_INVC),
        logc: V::table(V::LOG_LOGC),
    }
}

/// `log(u + c)` for lanes of positive normal finite `u` and a correction `c` far below `u`
/// (none for `log`; the rounding error of `u = 1 + x` for `log1p`); `kadj` is added to the
/// exponent (only for prescaled subnormals). With `u = 2^k z`, `z` in `[OFF, 2 OFF)` and the
/// bin's table entries (picked by the top four mantissa bits of `bits(u) - OFF`),
/// `log(u + c) = k ln2 + logc + log1p(r)` where `r = z invc - 1 + c 2^-k invc`: one rounding
/// for `z invc - 1` (an FMA), none in the table (see `LOG16_LOGC_F32`), and `k ln2 + logc`
/// rounded once (exact product in the FMA; with ln2 rounded that adds at most 0.15 ulp in
/// f64, where splitting ln2 would cost one more FMA, 5% of the time). The bin of 1 has
/// `invc = 1`, `logc = 0`, so near 1 the result is `r + r^2 P(r)`.
#[inline(always)]
unsafe fn log_core<V: Consts>(u: V, c: Option<V>, kadj: Option<V>, t: LogTables<V>) -> V {
    let ub = u.to_bits();
    let d = V::sub_bits(ub, V::splat_bits(V::LOG_OFF));
    // k << MANT (d is signed), then z = u / 2^k by subtracting it from the exponent field.
    let kbits = _mm512_and_si512(d, V::splat_bits(-1 << V::MANT));
    let z = V::from_bits(V::sub_bits(ub, kbits));
    let mut k = V::exponent(d);
    if let Some(kadj) = kadj {
        k = k.add(kadj);
    }
    let idx = V::top_mantissa(d);
    let invc = V::lookup(t.invc, idx);
    let logc = V::lookup(t.logc, idx);
    let mut r = z.mul_add(invc, V::splat(-1.0));
    if let Some(c) = c {
        // 2^-k from the exponent bits (2^-k is normal here: larger u are special lanes).
        let scale = V::from_bits(V::sub_bits(V::splat(1.0).to_bits(), kbits));
        r = c.mul(scale).mul_add(invc, r);
    }
    let small = r.mul(r).mul_add(horner(r, V::LOG_P), r);
    k.mul_add(V::splat(std::f64::consts::LN_2), logc).add(small)
}

avx512! {
    /// `log` for lanes that are not positive normal finite numbers: subnormals through
    /// `2^MANT x`, then 0 -> -inf, negatives -> NaN, +inf and NaN pass through.
    #[inline(never)]
    #[cold]
    unsafe fn log_special<V: Consts>(x: V, y: V, m: V::Mask, t: LogTables<V>) -> V {
        let zero = V::splat(0.0);
        let positive = x.cmp_in::<_CMP_GT_OQ>(m, zero);
        let sub = x.cmp_in::<_CMP_LT_OQ>(positive, V::splat(V::MIN_POSITIVE));
        let mant = V::MANT as f64;
        let scaled = log_core(x.mul(V::splat(mant.exp2())), None, Some(V::splat(-mant)), t);
        let y = y.blend(sub, scaled).blend(m & !sub, x);
        let y = y.blend(x.cmp_in::<_CMP_LT_OQ>(m, zero), V::splat(f64::NAN));
        y.blend(x.cmp_in::<_CMP_EQ_OQ>(m, zero), V::splat(f64::NEG_INFINITY))
    }

    /// `log1p` for the lanes [`log1p_slice`] leaves out: finite `1 + x` beyond
    /// `LOG1P_LEN` (where `2^-k` would not be normal, and the correction `c` is far below an
    /// ulp) as `log(1 + x)`; -1 -> -inf, below -> NaN, +inf and NaN pass through.
    #[inline(never)]
    #[cold]
    unsafe fn log1p_special<V: Consts>(x: V, u: V, y: V, m: V::Mask, t: LogTables<V>) -> V {
        let y = y.blend(m, log_core(u, None, None, t));
        let y = y.blend(x.cmp_in::<_CMP_NLT_UQ>(m, V::splat(f64::INFINITY)), x);
        let minus_one = V::splat(-1.0);
        let y = y.blend(x.cmp_in::<_CMP_LT_OQ>(m, minus_one), V::splat(f64::NAN));
        y.blend(x.cmp_in::<_CMP_EQ_OQ>(m, minus_one), V::splat(f64::NEG_INFINITY))
    }
}

avx512! {
    /// Natural logarithm over a slice; positive normal inputs take [`log_core`] alone.
    #[inline]
    unsafe fn log_slice<V: Consts>(src: &[V::Elem], dst: &mut [V::Elem]) {
        let t = log_tables::<V>();
        let normal = 1 << V::MANT;
        map(src, dst, |x: V| {
            let y = log_core(x, None, None, t);
            let m = outside(x, normal, V::INF_BITS - normal);
            if none::<V>(m) {
                y
            } else {
                log_special(x, y, m, t)
            }
        })
    }
}

avx512! {
    /// `log(1 + x)` over a slice: `u = 1 + x` and its rounding error `c = x - (u - 1)` (exact
    /// for `|x| <= 1` by Fast2Sum and up to `u = 2^(MANT+1)` since `u - 1` is then exact; beyond,
    /// `c` is far below an ulp of the result), then [`log_core`]. The sign of `x` is OR'd into
    /// the result, which keeps `log1p(-0) = -0` and changes nothing else (the result has the
    /// sign of `x`).
    #[inline]
    unsafe fn log1p_slice<V: Consts>(src: &[V::Elem], dst: &mut [V::Elem]) {
        let t = log_tables::<V>();
        let one = V::splat(1.0);
        map(src, dst, |x: V| {
            let u = x.add(one);
            let c = x.sub(u.sub(one));
            let y = log_core(u, Some(c), None, t).or_sign(x);
            let m = outside(u, 1, V::LOG1P_LEN);
            if none::<V>(m) {
                y
            } else {
                log1p_special(x, u, y, m, t)
            }
        })
    }
}

// --- tanh (f32) ---------------------------------------------------------------------------

avx512! {
    /// tanh for sixteen f32 lanes, any input. The bin of `a = |x|` comes from the bits of
    /// `a + TANH_K` (one add, one shift); each 16-entry table sits in one register and
    /// `vpermps` picks the bin for every lane: the centre, then six coefficients of a
    /// degree-5 polynomial in `t = a - centre`. Seven lookups and five multiply-adds, no
    /// division, no exponential: NaN passes the clamp (`vminps` returns its second operand if
    /// one is NaN), ±inf clamp to 1, and the sign is copied back (tanh(-0) = -0).
    #[inline]
    unsafe fn tanh16(x: __m512, centres: __m512, p: &[__m512; 6]) -> __m512 {
        type V = __m512;
        let a = V::set(TANH_MAX).min(x.abs());
        let idx = _mm512_srli_epi32::<21>(a.add(V::set(TANH_K)).to_bits());
        let t = a.sub(V::lookup(centres, idx));
        let mut acc = V::lookup(p[5], idx);
        for k in (0..5).rev() {
            acc = acc.mul_add(t, V::lookup(p[k], idx));
        }
        acc.or_sign(x)
    }

    /// tanh over an f32 slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn tanh_f32(src: &[f32], dst: &mut [f32]) {
        let centres = __m512::table(&TANH_C);
        let p = TANH_P.map(|row| __m512::table(&row));
        map(src, dst, |x| tanh16(x, centres, &p))
    }
}

// --- entry points -------------------------------------------------------------------------

/// `pub(super) unsafe fn $name(src: &[$elem], dst: &mut [$elem])`: the AVX-512 instance of
/// a generic slice kernel.
macro_rules! entry {
    ($($name:ident = $kernel:ident::<$vec:ty>($elem:ty);)*) => {$(
        avx512! {
            #[doc = concat!("`", stringify!($kernel), "` over an ", stringify!($elem), " slice.")]
            ///
            /// # Safety
            /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
            pub(super) unsafe fn $name(src: &[$elem], dst: &mut [$elem]) {
                $kernel::<$vec>(src, dst)
            }
        }
    )*};
}

entry! {
    log_f32 = log_slice::<__m512>(f32);
    log_f64 = log_slice::<__m512d>(f64);
    log1p_f32 = log1p_slice::<__m512>(f32);
    log1p_f64 = log1p_slice::<__m512d>(f64);
    expm1_f32 = expm1_slice::<__m512>(f32);
    expm1_f64 = expm1_slice::<__m512d>(f64);
}
