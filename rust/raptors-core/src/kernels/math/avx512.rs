//! AVX-512 kernels written with intrinsics, for the functions where the instructions that
//! LLVM never generates from the generic scalar code pay: `vpermi2pd` (a 16-entry table in
//! two registers, no gather) and `vscalefpd` (scaling by `2^n` with overflow, underflow and
//! subnormal results handled in one instruction).
//!
//! Every function here processes eight lanes per step and the tail with masked loads and
//! stores, and serves the `Avx512` path in place of the generic loop (see `dispatch`).

use std::arch::x86_64::*;

/// The target features of this module (and of the `Avx512` path).
macro_rules! avx512 {
    ($($item:item)*) => {$(
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
        $item
    )*};
}

avx512! {
    /// `dst[i] = f(src[i])`, eight lanes at a time, the tail masked.
    #[inline]
    unsafe fn map8(src: &[f64], dst: &mut [f64], f: impl Fn(__m512d) -> __m512d) {
        let n = dst.len();
        let (s, d) = (src[..n].as_ptr(), dst.as_mut_ptr());
        let mut i = 0;
        while i + 8 <= n {
            _mm512_storeu_pd(d.add(i), f(_mm512_loadu_pd(s.add(i))));
            i += 8;
        }
        if i < n {
            let m: __mmask8 = (1u8 << (n - i)) - 1;
            let x = _mm512_maskz_loadu_pd(m, s.add(i));
            _mm512_mask_storeu_pd(d.add(i), m, f(x));
        }
    }
}

/// `2^(j/16)` rounded to nearest, j = 0..15.
const EXP2_16THS: [f64; 16] = [
    1.0,
    1.0442737824274138,
    1.0905077326652577,
    1.1387886347566916,
    1.189207115002721,
    1.241857812073484,
    1.2968395546510096,
    1.3542555469368927,
    std::f64::consts::SQRT_2,
    1.4768261459394993,
    1.5422108254079407,
    1.6104903319492543,
    1.681792830507429,
    1.7562521603732995,
    1.8340080864093424,
    1.9152065613971474,
];

/// 16 / ln2.
const INV_LN2_16: f64 = 23.083120654223414;
/// ln2/16 rounded to 38 significant bits: `m * LN2_16_HI` is exact for |m| < 2^15.
const LN2_16_HI: f64 = 0.04332169878489367; // 0x1.62e42fefa0000p-5
const LN2_16_LO: f64 = 1.0291218489310676e-13; // 0x1.cf79abc9e3b3ap-44

/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `exp(r)`, degree 4; 2^-56.2 after rounding the coefficients.
const EXP16_P: [f64; 5] = [
    0.499999999999996,
    0.1666666666439993,
    0.041666666693463174,
    0.008333472475654444,
    0.0013888592886473143,
];

avx512! {
    #[inline]
    unsafe fn horner8<const N: usize>(x: __m512d, c: &[f64; N]) -> __m512d {
        let mut acc = _mm512_set1_pd(c[N - 1]);
        let mut i = N - 1;
        while i > 0 {
            i -= 1;
            acc = _mm512_fmadd_pd(acc, x, _mm512_set1_pd(c[i]));
        }
        acc
    }

    /// e^x for eight lanes, any input; about 1 ulp. `x = (16 n + j) ln2/16 + r`, |r| <=
    /// ln2/32; `e^x = 2^n 2^(j/16) (1 + expm1(r))` with the table entry picked by the low
    /// four bits of the rounded `16x/ln2` and `2^n` applied by `vscalefpd`, which rounds
    /// subnormal results once and overflows to infinity. Inputs are clamped to [-746, 710]
    /// (where e^x is already 0 and inf; NaN passes the clamps, as `vmaxpd`/`vminpd` return
    /// their second operand when one is NaN).
    #[inline]
    unsafe fn exp8(x: __m512d, table: (__m512d, __m512d)) -> __m512d {
        let x = _mm512_min_pd(_mm512_set1_pd(710.0), _mm512_max_pd(_mm512_set1_pd(-746.0), x));
        let shift = _mm512_set1_pd(super::exp::SHIFT);
        let z = _mm512_fmadd_pd(x, _mm512_set1_pd(INV_LN2_16), shift);
        let m = _mm512_sub_pd(z, shift);
        let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_HI), x);
        let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_LO), r);
        // vpermi2pd reads only the low four bits of each index: those of m.
        let t = _mm512_permutex2var_pd(table.0, _mm512_castpd_si512(z), table.1);
        let e = _mm512_fmadd_pd(_mm512_mul_pd(r, r), horner8(r, &EXP16_P), r);
        let y = _mm512_fmadd_pd(t, e, t);
        // vscalefpd scales by 2^floor(m / 16) = 2^n (m / 16 is exact).
        _mm512_scalef_pd(y, _mm512_mul_pd(m, _mm512_set1_pd(1.0 / 16.0)))
    }

    /// e^x over a slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn exp_f64(src: &[f64], dst: &mut [f64]) {
        let p = EXP2_16THS.as_ptr();
        let table = (_mm512_loadu_pd(p), _mm512_loadu_pd(p.add(8)));
        map8(src, dst, |x| exp8(x, table))
    }
}
