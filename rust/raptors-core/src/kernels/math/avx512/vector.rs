//! [`Vector`]: one AVX-512 register of f32 (`__m512`, sixteen lanes) or f64 (`__m512d`,
//! eight lanes), with the operations the kernels use, so that each kernel is written once for
//! both widths. Every method is one instruction (or two: a table lookup in f64 reads two
//! registers) and `#[inline(always)]` without target features of its own: it is inlined into
//! the `#[target_feature]` kernel that calls it, where the intrinsics compile to the AVX-512
//! instructions (the intrinsics themselves need the features, which the callers have).

use std::arch::x86_64::*;
use std::ops::{BitAnd, Not};

/// One register of float lanes. Integer operations act on the lanes' bits (32- or 64-bit
/// integers); comparisons return a lane mask (`__mmask16` / `__mmask8`).
pub(super) trait Vector: Copy {
    type Elem: Copy + 'static;
    type Mask: Copy + Eq + Default + BitAnd<Output = Self::Mask> + Not<Output = Self::Mask>;
    /// Sixteen entries of `Elem`: one register for f32, two for f64 (`vpermi2pd`).
    type Table: Copy;
    const LANES: usize;
    /// Explicit mantissa bits: 23 or 52.
    const MANT: u32;
    /// The smallest positive normal number.
    const MIN_POSITIVE: f64;
    /// The bits of +inf.
    const INF_BITS: i64;

    /// Every lane `x`, rounded to `Elem` (exact for every constant passed).
    unsafe fn splat(x: f64) -> Self;
    unsafe fn set(x: Self::Elem) -> Self;
    unsafe fn load(p: *const Self::Elem) -> Self;
    unsafe fn store(self, p: *mut Self::Elem);
    /// The first `n < LANES` lanes.
    unsafe fn tail_mask(n: usize) -> Self::Mask;
    /// Masked-off lanes read as 0 and are not touched in memory.
    unsafe fn load_masked(m: Self::Mask, p: *const Self::Elem) -> Self;
    unsafe fn store_masked(self, m: Self::Mask, p: *mut Self::Elem);

    unsafe fn add(self, b: Self) -> Self;
    unsafe fn sub(self, b: Self) -> Self;
    unsafe fn mul(self, b: Self) -> Self;
    /// `self * b + c`, one rounding.
    unsafe fn mul_add(self, b: Self, c: Self) -> Self;
    /// `c - self * b`, one rounding.
    unsafe fn neg_mul_add(self, b: Self, c: Self) -> Self;
    /// `self * b - c`, one rounding.
    unsafe fn mul_sub(self, b: Self, c: Self) -> Self;
    /// Lane minimum; `b` where either is NaN (`vminps`), so a NaN in `b` passes.
    unsafe fn min(self, b: Self) -> Self;
    /// Lane maximum; `b` where either is NaN.
    unsafe fn max(self, b: Self) -> Self;
    unsafe fn abs(self) -> Self;
    /// `self * 2^floor(n)` (`vscalefps`): overflow, underflow and subnormal results are
    /// rounded once.
    unsafe fn scalef(self, n: Self) -> Self;
    /// `self` with the sign bit of `x` OR'd in (`self | (x & sign)`, one `vpternlog`).
    unsafe fn or_sign(self, x: Self) -> Self;

    unsafe fn table(t: &[Self::Elem; 16]) -> Self::Table;
    /// Entry `idx & 15` of `t` per lane (`vpermps` / `vpermi2pd` read only those bits).
    unsafe fn lookup(t: Self::Table, idx: __m512i) -> Self;

    unsafe fn to_bits(self) -> __m512i;
    unsafe fn from_bits(b: __m512i) -> Self;
    /// Every integer lane `x` (truncated to 32 bits for f32: pass the bit pattern).
    unsafe fn splat_bits(x: i64) -> __m512i;
    unsafe fn sub_bits(a: __m512i, b: __m512i) -> __m512i;
    /// Integer lanes `a >= b`, unsigned.
    unsafe fn ge_bits(a: __m512i, b: __m512i) -> Self::Mask;
    /// `d >> MANT` (arithmetic) converted to float: the exponent field of `d` (signed).
    unsafe fn exponent(d: __m512i) -> Self;
    /// `d >> (MANT - 4)` (logical): the top four mantissa bits of `d` in the low bits.
    unsafe fn top_mantissa(d: __m512i) -> __m512i;
    /// `2^floor(m / 16)` for the integer `m` in the low bits of `z` (two's complement; the
    /// shift by `MANT - 4` keeps only its low 13 (f32) or 16 (f64) bits), built with integer
    /// operations: `m << (MANT - 4)` masked to the sign and exponent fields, plus the bits of
    /// 1. The power must be normal.
    unsafe fn pow2_sixteenths(z: __m512i) -> Self;

    /// Lanes where `self P b` (`_CMP_*` predicate `P`).
    unsafe fn cmp<const P: i32>(self, b: Self) -> Self::Mask;
    /// [`Vector::cmp`] within the lanes of `m`.
    unsafe fn cmp_in<const P: i32>(self, m: Self::Mask, b: Self) -> Self::Mask;
    /// `b` in the lanes of `m`, `self` elsewhere.
    unsafe fn blend(self, m: Self::Mask, b: Self) -> Self;
}

/// Trait methods that are one intrinsic of the lanes: `name(b, c) = intrinsic;` defines
/// `unsafe fn name(self, b: Self, c: Self) -> Self { intrinsic(self, b, c) }`.
macro_rules! lane_ops {
    ($($name:ident($($arg:ident),*) = $intrinsic:ident;)*) => {$(
        #[inline(always)]
        unsafe fn $name(self, $($arg: Self),*) -> Self {
            $intrinsic(self, $($arg),*)
        }
    )*};
}

impl Vector for __m512 {
    type Elem = f32;
    type Mask = __mmask16;
    type Table = __m512;
    const LANES: usize = 16;
    const MANT: u32 = 23;
    const MIN_POSITIVE: f64 = f32::MIN_POSITIVE as f64;
    const INF_BITS: i64 = 0x7f80_0000;

    #[inline(always)]
    unsafe fn splat(x: f64) -> Self {
        _mm512_set1_ps(x as f32)
    }
    #[inline(always)]
    unsafe fn set(x: f32) -> Self {
        _mm512_set1_ps(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        _mm512_loadu_ps(p)
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        _mm512_storeu_ps(p, self)
    }
    #[inline(always)]
    unsafe fn tail_mask(n: usize) -> __mmask16 {
        ((1u32 << n) - 1) as __mmask16
    }
    #[inline(always)]
    unsafe fn load_masked(m: __mmask16, p: *const f32) -> Self {
        _mm512_maskz_loadu_ps(m, p)
    }
    #[inline(always)]
    unsafe fn store_masked(self, m: __mmask16, p: *mut f32) {
        _mm512_mask_storeu_ps(p, m, self)
    }
    lane_ops! {
        add(b) = _mm512_add_ps;
        sub(b) = _mm512_sub_ps;
        mul(b) = _mm512_mul_ps;
        mul_add(b, c) = _mm512_fmadd_ps;
        neg_mul_add(b, c) = _mm512_fnmadd_ps;
        mul_sub(b, c) = _mm512_fmsub_ps;
        min(b) = _mm512_min_ps;
        max(b) = _mm512_max_ps;
        abs() = _mm512_abs_ps;
        scalef(b) = _mm512_scalef_ps;
    }
    #[inline(always)]
    unsafe fn or_sign(self, x: Self) -> Self {
        _mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xf8>(
            _mm512_castps_si512(self),
            _mm512_castps_si512(x),
            _mm512_set1_epi32(i32::MIN),
        ))
    }
    #[inline(always)]
    unsafe fn table(t: &[f32; 16]) -> __m512 {
        _mm512_loadu_ps(t.as_ptr())
    }
    #[inline(always)]
    unsafe fn lookup(t: __m512, idx: __m512i) -> Self {
        _mm512_permutexvar_ps(idx, t)
    }
    #[inline(always)]
    unsafe fn to_bits(self) -> __m512i {
        _mm512_castps_si512(self)
    }
    #[inline(always)]
    unsafe fn from_bits(b: __m512i) -> Self {
        _mm512_castsi512_ps(b)
    }
    #[inline(always)]
    unsafe fn splat_bits(x: i64) -> __m512i {
        _mm512_set1_epi32(x as i32)
    }
    #[inline(always)]
    unsafe fn sub_bits(a: __m512i, b: __m512i) -> __m512i {
        _mm512_sub_epi32(a, b)
    }
    #[inline(always)]
    unsafe fn ge_bits(a: __m512i, b: __m512i) -> __mmask16 {
        _mm512_cmpge_epu32_mask(a, b)
    }
    #[inline(always)]
    unsafe fn exponent(d: __m512i) -> Self {
        _mm512_cvtepi32_ps(_mm512_srai_epi32::<23>(d))
    }
    #[inline(always)]
    unsafe fn top_mantissa(d: __m512i) -> __m512i {
        _mm512_srli_epi32::<19>(d)
    }
    #[inline(always)]
    unsafe fn pow2_sixteenths(z: __m512i) -> Self {
        let e = _mm512_and_si512(_mm512_slli_epi32::<19>(z), _mm512_set1_epi32(-1 << 23));
        Self::from_bits(_mm512_add_epi32(
            e,
            _mm512_set1_epi32(1f32.to_bits() as i32),
        ))
    }
    #[inline(always)]
    unsafe fn cmp<const P: i32>(self, b: Self) -> __mmask16 {
        _mm512_cmp_ps_mask::<P>(self, b)
    }
    #[inline(always)]
    unsafe fn cmp_in<const P: i32>(self, m: __mmask16, b: Self) -> __mmask16 {
        _mm512_mask_cmp_ps_mask::<P>(m, self, b)
    }
    #[inline(always)]
    unsafe fn blend(self, m: __mmask16, b: Self) -> Self {
        _mm512_mask_mov_ps(self, m, b)
    }
}

impl Vector for __m512d {
    type Elem = f64;
    type Mask = __mmask8;
    type Table = (__m512d, __m512d);
    const LANES: usize = 8;
    const MANT: u32 = 52;
    const MIN_POSITIVE: f64 = f64::MIN_POSITIVE;
    const INF_BITS: i64 = 0x7ff0_0000_0000_0000;

    #[inline(always)]
    unsafe fn splat(x: f64) -> Self {
        _mm512_set1_pd(x)
    }
    #[inline(always)]
    unsafe fn set(x: f64) -> Self {
        _mm512_set1_pd(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> Self {
        _mm512_loadu_pd(p)
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f64) {
        _mm512_storeu_pd(p, self)
    }
    #[inline(always)]
    unsafe fn tail_mask(n: usize) -> __mmask8 {
        ((1u32 << n) - 1) as __mmask8
    }
    #[inline(always)]
    unsafe fn load_masked(m: __mmask8, p: *const f64) -> Self {
        _mm512_maskz_loadu_pd(m, p)
    }
    #[inline(always)]
    unsafe fn store_masked(self, m: __mmask8, p: *mut f64) {
        _mm512_mask_storeu_pd(p, m, self)
    }
    lane_ops! {
        add(b) = _mm512_add_pd;
        sub(b) = _mm512_sub_pd;
        mul(b) = _mm512_mul_pd;
        mul_add(b, c) = _mm512_fmadd_pd;
        neg_mul_add(b, c) = _mm512_fnmadd_pd;
        mul_sub(b, c) = _mm512_fmsub_pd;
        min(b) = _mm512_min_pd;
        max(b) = _mm512_max_pd;
        abs() = _mm512_abs_pd;
        scalef(b) = _mm512_scalef_pd;
    }
    #[inline(always)]
    unsafe fn or_sign(self, x: Self) -> Self {
        _mm512_castsi512_pd(_mm512_ternarylogic_epi64::<0xf8>(
            _mm512_castpd_si512(self),
            _mm512_castpd_si512(x),
            _mm512_set1_epi64(i64::MIN),
        ))
    }
    #[inline(always)]
    unsafe fn table(t: &[f64; 16]) -> (__m512d, __m512d) {
        (
            _mm512_loadu_pd(t.as_ptr()),
            _mm512_loadu_pd(t.as_ptr().add(8)),
        )
    }
    #[inline(always)]
    unsafe fn lookup(t: (__m512d, __m512d), idx: __m512i) -> Self {
        _mm512_permutex2var_pd(t.0, idx, t.1)
    }
    #[inline(always)]
    unsafe fn to_bits(self) -> __m512i {
        _mm512_castpd_si512(self)
    }
    #[inline(always)]
    unsafe fn from_bits(b: __m512i) -> Self {
        _mm512_castsi512_pd(b)
    }
    #[inline(always)]
    unsafe fn splat_bits(x: i64) -> __m512i {
        _mm512_set1_epi64(x)
    }
    #[inline(always)]
    unsafe fn sub_bits(a: __m512i, b: __m512i) -> __m512i {
        _mm512_sub_epi64(a, b)
    }
    #[inline(always)]
    unsafe fn ge_bits(a: __m512i, b: __m512i) -> __mmask8 {
        _mm512_cmpge_epu64_mask(a, b)
    }
    #[inline(always)]
    unsafe fn exponent(d: __m512i) -> Self {
        _mm512_cvtepi64_pd(_mm512_srai_epi64::<52>(d))
    }
    #[inline(always)]
    unsafe fn top_mantissa(d: __m512i) -> __m512i {
        _mm512_srli_epi64::<48>(d)
    }
    #[inline(always)]
    unsafe fn pow2_sixteenths(z: __m512i) -> Self {
        let e = _mm512_and_si512(_mm512_slli_epi64::<48>(z), _mm512_set1_epi64(-1 << 52));
        Self::from_bits(_mm512_add_epi64(
            e,
            _mm512_set1_epi64(1f64.to_bits() as i64),
        ))
    }
    #[inline(always)]
    unsafe fn cmp<const P: i32>(self, b: Self) -> __mmask8 {
        _mm512_cmp_pd_mask::<P>(self, b)
    }
    #[inline(always)]
    unsafe fn cmp_in<const P: i32>(self, m: __mmask8, b: Self) -> __mmask8 {
        _mm512_mask_cmp_pd_mask::<P>(m, self, b)
    }
    #[inline(always)]
    unsafe fn blend(self, m: __mmask8, b: Self) -> Self {
        _mm512_mask_mov_pd(self, m, b)
    }
}
