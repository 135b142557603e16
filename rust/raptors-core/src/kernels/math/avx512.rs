//! AVX-512 kernels written with intrinsics, for the functions where instructions that LLVM
//! never generates from the generic scalar code pay: table lookups in registers
//! (`vpermi2pd`, `vpermps`: a 16-entry table in two or one registers, no gather),
//! `vscalefpd` (scaling by `2^n` with overflow, underflow and subnormal results handled in
//! one instruction) and mask registers (special lanes, rare, fixed up by a cold function
//! after one test per vector). Kernels: `exp`, `log`, `log1p` and `expm1` for both widths;
//! f32 `tanh`.
//!
//! Each kernel works on whole vectors (eight f64 or sixteen f32 lanes) and on the tail with
//! masked loads and stores, and serves the `Avx512` path in place of the generic loop (see
//! `dispatch`).

use std::arch::x86_64::*;

/// The target features of this module (and of the `Avx512` path).
macro_rules! avx512 {
    ($($item:item)*) => {$(
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
        $item
    )*};
}

/// Defines `$name(src, dst, f)`: `dst[i] = f(src[i])` a whole vector at a time, the tail
/// with masked loads and stores. One definition for both element types.
macro_rules! map_vectors {
    ($name:ident($elem:ty, $vec:ty, $mask:ty, $lanes:expr):
     $load:ident, $store:ident, $load_tail:ident, $store_tail:ident) => {
        avx512! {
            #[inline]
            unsafe fn $name(src: &[$elem], dst: &mut [$elem], f: impl Fn($vec) -> $vec) {
                let n = dst.len();
                let (s, d) = (src[..n].as_ptr(), dst.as_mut_ptr());
                let mut i = 0;
                while i + $lanes <= n {
                    $store(d.add(i), f($load(s.add(i))));
                    i += $lanes;
                }
                if i < n {
                    let m: $mask = ((1u32 << (n - i)) - 1) as $mask;
                    $store_tail(d.add(i), m, f($load_tail(m, s.add(i))));
                }
            }
        }
    };
}

map_vectors! {
    map8(f64, __m512d, __mmask8, 8):
        _mm512_loadu_pd, _mm512_storeu_pd, _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd
}
map_vectors! {
    map16(f32, __m512, __mmask16, 16):
        _mm512_loadu_ps, _mm512_storeu_ps, _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps
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

/// `2^(j/16)` as `T_HI + T_LO` for j = 0..15: `T_HI` rounded to a multiple of 2^-27 (28
/// significant bits, so `2^n T_HI - 1` is exact for -25 <= n <= 52), `T_LO` the rest rounded
/// to double (together within 2^-82 of `2^(j/16)`).
const EXP16_HI: [f64; 16] = [
    1.0,
    1.044273778796196,
    1.0905077308416367,
    1.1387886330485344,
    1.1892071142792702,
    1.2418578118085861,
    1.2968395575881004,
    1.354255549609661,
    1.4142135605216026,
    1.4768261462450027,
    1.5422108247876167,
    1.6104903295636177,
    1.6817928329110146,
    1.7562521621584892,
    1.8340080827474594,
    1.9152065590023994,
];
const EXP16_LO: [f64; 16] = [
    0.0,
    3.6312178564352476e-09,
    1.8236210014921669e-09,
    1.7081572603932835e-09,
    7.234508945983593e-10,
    2.648979279882087e-10,
    -2.9370907674158553e-09,
    -2.672768373996907e-09,
    1.8514924181864543e-09,
    -3.0550343519512377e-10,
    6.203240938759637e-10,
    2.3856366018806925e-09,
    -2.4035854708225147e-09,
    -1.7851897441827612e-09,
    3.6618830518659895e-09,
    2.394747849292533e-09,
];
/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `expm1(r)`, degree 5; 2^-58.9 after rounding the coefficients.
/// `scripts/mathfit/fit_exp.py table16_expm1` prints it with the two tables above.
const EXPM1_16_P: [f64; 6] = [
    0.5000000000000004,
    0.1666666666666667,
    0.041666666660130997,
    0.008333333332607148,
    0.0013889122556800639,
    0.0001984152947193544,
];
/// Above this, `2^n` may overflow in [`expm1_f64`]'s main formula (n = 1024 from 709.78).
const EXPM1_BIG: f64 = 709.0;

avx512! {
    /// `expm1` for lanes above [`EXPM1_BIG`] (not NaN): there `expm1(x) = e^x` to within
    /// far less than an ulp.
    #[inline(never)]
    #[cold]
    unsafe fn expm1_8_big(x: __m512d, y: __m512d, m: __mmask8) -> __m512d {
        let p = EXP2_16THS.as_ptr();
        let e = exp8(x, (_mm512_loadu_pd(p), _mm512_loadu_pd(p.add(8))));
        _mm512_mask_mov_pd(y, m, e)
    }

    /// `e^x - 1` over a slice, any input; the f64 twin of [`expm1_f32`]:
    /// `expm1(x) = (2^n T_HI - 1) + 2^n (T p + T_LO)` with `x = (16 n + j) ln2/16 + r`,
    /// `p = expm1(r)` and `T = T_HI + T_LO` rounded. The first term is exact while it
    /// matters (-25 <= n <= 52), so there is no cancellation near 0 (where n = j = 0 and the
    /// result is `p`). Inputs below -40 are clamped (the result is -1 from -37.5 on; NaN
    /// passes, as `vmaxpd` returns its second operand then); those above 709 go to
    /// [`expm1_8_big`]. The sign of `x` is OR'd in, for `expm1(-0) = -0`.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn expm1_f64(src: &[f64], dst: &mut [f64]) {
        let (h, l) = (EXP16_HI.as_ptr(), EXP16_LO.as_ptr());
        let thi = (_mm512_loadu_pd(h), _mm512_loadu_pd(h.add(8)));
        let tlo = (_mm512_loadu_pd(l), _mm512_loadu_pd(l.add(8)));
        let one = _mm512_set1_pd(1.0);
        let shift = _mm512_set1_pd(super::exp::SHIFT);
        map8(src, dst, |x| {
            let xc = _mm512_max_pd(_mm512_set1_pd(-40.0), x);
            let z = _mm512_fmadd_pd(xc, _mm512_set1_pd(INV_LN2_16), shift);
            let m = _mm512_sub_pd(z, shift);
            let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_HI), xc);
            let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_LO), r);
            // vpermi2pd reads only the low four bits of each index: those of m.
            let idx = _mm512_castpd_si512(z);
            let th = _mm512_permutex2var_pd(thi.0, idx, thi.1);
            let tl = _mm512_permutex2var_pd(tlo.0, idx, tlo.1);
            let p = _mm512_fmadd_pd(_mm512_mul_pd(r, r), horner8(r, &EXPM1_16_P), r);
            // vscalefpd scales by 2^floor(m / 16) = 2^n (m / 16 is exact).
            let s = _mm512_scalef_pd(one, _mm512_mul_pd(m, _mm512_set1_pd(1.0 / 16.0)));
            let a = _mm512_fmsub_pd(th, s, one);
            let t = _mm512_add_pd(th, tl);
            let y = or_sign8(_mm512_fmadd_pd(_mm512_fmadd_pd(t, p, tl), s, a), x);
            let big = _mm512_cmp_pd_mask(x, _mm512_set1_pd(EXPM1_BIG), _CMP_GT_OQ);
            if big == 0 {
                y
            } else {
                expm1_8_big(x, y, big)
            }
        })
    }
}

/// Start of the bins of the f32 `tanh`: the bin of `a = |x|` is read from the float bits of
/// `a + TANH_K`: exponent and top two mantissa bits, four bins per octave of `a + TANH_K`.
const TANH_K: f32 = 0.625;
/// |x| is clamped here: inside the last bin (`[7.375, 9.375)`) and beyond 9.01, where tanh
/// rounds to 1.
const TANH_MAX: f32 = 9.106;

/// The bins of `a = |x|`: 3 of width 1/8 on `[0, 0.375)`, then 4 each of widths 1/4, 1/2 and
/// 1 and one of width 2 up to 9.375: narrow where tanh bends, wide where it is flat. Indexed by
/// the low four bits of `bits(a + TANH_K) >> 21` (distinct for all 16 bins), so the bin at 0
/// is slot 9. `TANH_C[j]` is the centre of bin `j` (0 for the bin at 0), `TANH_P[k][j]` the
/// coefficient of `t^k` with `t = a - TANH_C[j]`, which is exact (a and the centre are within
/// a factor of two of each other). Bin 0 has `c0 = 0`, `c1 = 1`, so tiny and zero |x| come out
/// exactly; elsewhere `c0` is tanh at the centre rounded to f32. Error relative to tanh with
/// the f32 coefficients at most 2^-24.1 (bin `[1.375, 1.875)`). Generated by
/// `scripts/mathfit/fit_tanh_f32.py`.
const TANH_C: [f32; 16] = [
    1.625, 2.125, 2.625, 3.125, 3.875, 4.875, 5.875, 6.875, 8.375, 0.0, 0.1875, 0.3125, 0.5, 0.75,
    1.0, 1.25,
];
const TANH_P: [[f32; 16]; 6] = [
    // c0
    [
        0.9253462, 0.97187275, 0.98955977, 0.99614656, 0.9991389, 0.9998834, 0.9999842, 0.99999785,
        0.9999999, 0.0, 0.1853332, 0.30270973, 0.46211717, 0.63514894, 0.7615942, 0.84828365,
    ],
    // c1
    [
        0.14373428,
        0.055463355,
        0.020771505,
        0.00769209,
        0.0017215324,
        0.00023316006,
        3.1556792e-05,
        4.270806e-06,
        2.1262763e-07,
        1.0,
        0.96565163,
        0.9083668,
        0.78644776,
        0.5965858,
        0.41997436,
        0.28041488,
    ],
    // c2
    [
        -0.13300893,
        -0.05390249,
        -0.020555593,
        -0.0076650525,
        -0.0017180349,
        -0.00023276596,
        -3.1042342e-05,
        -3.974252e-06,
        -1.16914215e-07,
        3.1472095e-07,
        -0.17897996,
        -0.27496943,
        -0.3634282,
        -0.37891626,
        -0.31986135,
        -0.23787686,
    ],
    // c3
    [
        0.075175844,
        0.03390061,
        0.013415895,
        0.005068698,
        0.0011432985,
        0.00015515873,
        2.102439e-05,
        2.8454124e-06,
        1.4028575e-07,
        -0.33335578,
        -0.28878367,
        -0.21954754,
        -0.09422162,
        0.041810755,
        0.103598945,
        0.10830984,
    ],
    // c4
    [
        -0.0248843,
        -0.0150250625,
        -0.006450434,
        -0.0024742985,
        -0.0005965478,
        -8.156551e-05,
        -1.2866895e-05,
        -2.6177156e-06,
        -1.7364843e-07,
        0.00047507524,
        0.11605501,
        0.1573183,
        0.16371809,
        0.0994505,
        0.028713688,
        -0.012003415,
    ],
    // c5
    [
        0.0011137846,
        0.004452732,
        0.0023584235,
        0.00097465585,
        0.0002366586,
        3.2525037e-05,
        4.3585483e-06,
        5.903243e-07,
        3.2690213e-08,
        0.1299753,
        0.11349917,
        0.044316668,
        -0.02561919,
        -0.06378399,
        -0.045930218,
        -0.019213907,
    ],
];

avx512! {
    /// tanh for sixteen f32 lanes, any input. The bin of `a = |x|` comes from the bits of
    /// `a + TANH_K` (one add, one shift); each 16-entry table sits in one register and
    /// `vpermps` picks the bin for every lane: the centre, then six coefficients of a
    /// degree-5 polynomial in `t = a - centre`. Seven lookups and five multiply-adds, no
    /// division, no exponential: NaN passes the clamp (`vminps` returns its second operand if
    /// one is NaN), ±inf clamp to 1, and the sign is copied back (tanh(-0) = -0).
    #[inline]
    unsafe fn tanh16(x: __m512, centres: __m512, p: &[__m512; 6]) -> __m512 {
        let a = _mm512_min_ps(_mm512_set1_ps(TANH_MAX), _mm512_abs_ps(x));
        let v = _mm512_add_ps(a, _mm512_set1_ps(TANH_K));
        // vpermps reads the low four bits of each index.
        let idx = _mm512_srli_epi32::<21>(_mm512_castps_si512(v));
        let t = _mm512_sub_ps(a, _mm512_permutexvar_ps(idx, centres));
        let c = |k: usize| _mm512_permutexvar_ps(idx, p[k]);
        let mut acc = c(5);
        let mut k = 5;
        while k > 0 {
            k -= 1;
            acc = _mm512_fmadd_ps(acc, t, c(k));
        }
        or_sign16(acc, x)
    }

    /// tanh over an f32 slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn tanh_f32(src: &[f32], dst: &mut [f32]) {
        let centres = _mm512_loadu_ps(TANH_C.as_ptr());
        let mut p = [_mm512_setzero_ps(); 6];
        let mut k = 0;
        while k < 6 {
            p[k] = _mm512_loadu_ps(TANH_P[k].as_ptr());
            k += 1;
        }
        map16(src, dst, |x| tanh16(x, centres, &p))
    }
}

/// Bit pattern of `0x1.66p-1` (0.69921875): `x = 2^k z` with `z` in `[OFF, 2 OFF)`, and the
/// top four mantissa bits of `bits(x) - OFF` pick one of 16 bins of `z`.
const LOG_OFF32: i32 = 0x3f33_0000;

/// Per bin `j` of `z`: `invc ~= 1/c` for `c` near the bin's centre (`c = 1` in the bin
/// holding 1) and `logc = -log(invc)`, each `invc` chosen among nearby floats with few
/// bits so that `logc` rounds to f32 with an error below 0.02 ulp. `r = z invc - 1` then
/// lies in `[-0.0294, 0.0300]`. Generated by `scripts/mathfit/fit_log_table.py f32 3`.
const LOG16_INVC_F32: [f32; 16] = [
    1.3994598, 1.340622, 1.286171, 1.236084, 1.1904984, 1.1485748, 1.1082458, 1.0710335, 1.0362701,
    1.0, 0.9484253, 0.89518356, 0.8479309, 0.8049469, 0.7663841, 0.73126984,
];
const LOG16_LOGC_F32: [f32; 16] = [
    -0.33608633,
    -0.29313365,
    -0.25166956,
    -0.2119483,
    -0.174372,
    -0.1385219,
    -0.10277845,
    -0.06862405,
    -0.035627864,
    0.0,
    0.052952256,
    0.11072648,
    0.16495612,
    0.21697897,
    0.26607177,
    0.31297275,
];
/// `log1p(r) ~= r + r^2 P(r)` on the range of `r` above: minimax for the error relative to
/// `log1p(r)`, degree 3, 2^-30.9 with the f32 coefficients.
const LOG16_P_F32: [f32; 4] = [-0.49999997, 0.3333334, -0.2501826, 0.19995712];

/// The two 16-entry tables of the f32 `log` / `log1p`, one register each.
#[derive(Clone, Copy)]
struct LogTables32 {
    invc: __m512,
    logc: __m512,
}

avx512! {
    #[inline]
    unsafe fn horner16<const N: usize>(x: __m512, c: &[f32; N]) -> __m512 {
        let mut acc = _mm512_set1_ps(c[N - 1]);
        let mut i = N - 1;
        while i > 0 {
            i -= 1;
            acc = _mm512_fmadd_ps(acc, x, _mm512_set1_ps(c[i]));
        }
        acc
    }

    /// `y` with the sign bit of `x` OR'd in (`y | (x & sign)`, one `vpternlogd`): the
    /// kernels of odd functions and of `log1p` / `expm1`, whose results have the sign of
    /// `x`, use it to return `-0` for `-0` and to restore the sign after working on `|x|`.
    #[inline]
    unsafe fn or_sign16(y: __m512, x: __m512) -> __m512 {
        _mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xf8>(
            _mm512_castps_si512(y),
            _mm512_castps_si512(x),
            _mm512_set1_epi32(i32::MIN),
        ))
    }

    /// f64 [`or_sign16`].
    #[inline]
    unsafe fn or_sign8(y: __m512d, x: __m512d) -> __m512d {
        _mm512_castsi512_pd(_mm512_ternarylogic_epi64::<0xf8>(
            _mm512_castpd_si512(y),
            _mm512_castpd_si512(x),
            _mm512_set1_epi64(i64::MIN),
        ))
    }

    #[inline]
    unsafe fn log_tables32() -> LogTables32 {
        LogTables32 {
            invc: _mm512_loadu_ps(LOG16_INVC_F32.as_ptr()),
            logc: _mm512_loadu_ps(LOG16_LOGC_F32.as_ptr()),
        }
    }

    /// `log(u + c)` for sixteen lanes of positive normal finite `u` and a correction `c`
    /// far below `u` (zero for `log`; the rounding error of `u = 1 + x` for `log1p`); `kadj`
    /// is added to the exponent (non-zero only for prescaled subnormals). With `u = 2^k z`
    /// and the bin's table entries, `log(u + c) = k ln2 + logc + log1p(r)` where `r = z invc
    /// - 1 + c 2^-k invc`: one rounding for `z invc - 1` (an FMA), none in the table (see
    /// `LOG16_LOGC_F32`), and `k ln2 + logc` rounded once (exact product in the FMA); the
    /// bin of 1 has `invc = 1`, `logc = 0`, so near 1 the result is `r + r^2 P(r)`.
    #[inline]
    unsafe fn log16(u: __m512, c: Option<__m512>, kadj: Option<__m512>, t: LogTables32) -> __m512 {
        let ub = _mm512_castps_si512(u);
        let d = _mm512_sub_epi32(ub, _mm512_set1_epi32(LOG_OFF32));
        // k << 23 (d is signed), then z = u / 2^k by subtracting it from the exponent field.
        let kbits = _mm512_and_si512(d, _mm512_set1_epi32(0xff80_0000_u32 as i32));
        let z = _mm512_castsi512_ps(_mm512_sub_epi32(ub, kbits));
        let mut k = _mm512_cvtepi32_ps(_mm512_srai_epi32::<23>(d));
        if let Some(kadj) = kadj {
            k = _mm512_add_ps(k, kadj);
        }
        // vpermps reads the low four bits of each index: the top four mantissa bits of d.
        let idx = _mm512_srli_epi32::<19>(d);
        let invc = _mm512_permutexvar_ps(idx, t.invc);
        let logc = _mm512_permutexvar_ps(idx, t.logc);
        let mut r = _mm512_fmadd_ps(z, invc, _mm512_set1_ps(-1.0));
        if let Some(c) = c {
            // 2^-k from the exponent bits (k <= 127 here: larger u are special lanes).
            let scale = _mm512_sub_epi32(_mm512_set1_epi32(0x3f80_0000), kbits);
            let cs = _mm512_mul_ps(c, _mm512_castsi512_ps(scale));
            r = _mm512_fmadd_ps(cs, invc, r);
        }
        let small = _mm512_fmadd_ps(_mm512_mul_ps(r, r), horner16(r, &LOG16_P_F32), r);
        let hi = _mm512_fmadd_ps(k, _mm512_set1_ps(std::f32::consts::LN_2), logc);
        _mm512_add_ps(hi, small)
    }

    /// Lanes of `v` whose bits, as unsigned, lie outside `[lo, lo + len)`.
    #[inline]
    unsafe fn outside32(v: __m512, lo: i32, len: i32) -> __mmask16 {
        let off = _mm512_sub_epi32(_mm512_castps_si512(v), _mm512_set1_epi32(lo));
        _mm512_cmpge_epu32_mask(off, _mm512_set1_epi32(len))
    }

    /// `log` for lanes that are not positive normal finite numbers: subnormals through
    /// `2^23 x`, then 0 -> -inf, negatives -> NaN, +inf and NaN pass through.
    #[inline(never)]
    #[cold]
    unsafe fn log16_special(x: __m512, y: __m512, m: __mmask16, t: LogTables32) -> __m512 {
        let sub = _mm512_mask_cmp_ps_mask(
            _mm512_mask_cmp_ps_mask(m, x, _mm512_setzero_ps(), _CMP_GT_OQ),
            x,
            _mm512_set1_ps(f32::MIN_POSITIVE),
            _CMP_LT_OQ,
        );
        let scaled = log16(
            _mm512_mul_ps(x, _mm512_set1_ps(8388608.0)),
            None,
            Some(_mm512_set1_ps(-23.0)),
            t,
        );
        let y = _mm512_mask_mov_ps(y, sub, scaled);
        let y = _mm512_mask_mov_ps(y, m & !sub, x);
        let neg = _mm512_mask_cmp_ps_mask(m, x, _mm512_setzero_ps(), _CMP_LT_OQ);
        let y = _mm512_mask_mov_ps(y, neg, _mm512_set1_ps(f32::NAN));
        let zero = _mm512_mask_cmp_ps_mask(m, x, _mm512_setzero_ps(), _CMP_EQ_OQ);
        _mm512_mask_mov_ps(y, zero, _mm512_set1_ps(f32::NEG_INFINITY))
    }

    /// Natural logarithm over an f32 slice; positive normal inputs take [`log16`] alone.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn log_f32(src: &[f32], dst: &mut [f32]) {
        let t = log_tables32();
        map16(src, dst, |x| {
            let y = log16(x, None, None, t);
            let m = outside32(x, 0x0080_0000, 0x7f00_0000);
            if m == 0 {
                y
            } else {
                log16_special(x, y, m, t)
            }
        })
    }

    /// `log1p` for the lanes [`log1p_f32`] leaves out: finite `1 + x` of 2.3e38 or more
    /// (where `2^-k` would overflow, and the correction `c` is far below an ulp) as
    /// `log(1 + x)`; -1 -> -inf, below -> NaN, +inf and NaN pass through.
    #[inline(never)]
    #[cold]
    unsafe fn log1p16_special(x: __m512, u: __m512, y: __m512, m: __mmask16, t: LogTables32) -> __m512 {
        let y = _mm512_mask_mov_ps(y, m, log16(u, None, None, t));
        let odd = _mm512_mask_cmp_ps_mask(m, x, _mm512_set1_ps(f32::INFINITY), _CMP_NLT_UQ);
        let y = _mm512_mask_mov_ps(y, odd, x);
        let below = _mm512_mask_cmp_ps_mask(m, x, _mm512_set1_ps(-1.0), _CMP_LT_OQ);
        let y = _mm512_mask_mov_ps(y, below, _mm512_set1_ps(f32::NAN));
        let at = _mm512_mask_cmp_ps_mask(m, x, _mm512_set1_ps(-1.0), _CMP_EQ_OQ);
        _mm512_mask_mov_ps(y, at, _mm512_set1_ps(f32::NEG_INFINITY))
    }

    /// `log(1 + x)` over an f32 slice: `u = 1 + x` and its rounding error `c = x - (u - 1)`
    /// (exact for `|x| <= 1` by Fast2Sum and up to `u = 2^24` since `u - 1` is then exact;
    /// beyond, `c` is far below an ulp of the result), then [`log16`]. The sign of `x` is
    /// OR'd into the result, which keeps `log1p(-0) = -0` and changes nothing else (the
    /// result has the sign of `x`).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn log1p_f32(src: &[f32], dst: &mut [f32]) {
        let t = log_tables32();
        let one = _mm512_set1_ps(1.0);
        map16(src, dst, |x| {
            let u = _mm512_add_ps(x, one);
            let c = _mm512_sub_ps(x, _mm512_sub_ps(u, one));
            let y = or_sign16(log16(u, Some(c), None, t), x);
            let m = outside32(u, 1, 0x7f30_0000);
            if m == 0 {
                y
            } else {
                log1p16_special(x, u, y, m, t)
            }
        })
    }
}

/// f64 counterpart of [`LOG_OFF32`] (the same `0x1.66p-1`, so the same bins).
const LOG_OFF64: i64 = 0x3fe6_6000_0000_0000;

/// f64 counterparts of [`LOG16_INVC_F32`] and [`LOG16_LOGC_F32`]: each `logc` within 0.005
/// ulp of `-log(invc)`; `r` in `[-0.0302, 0.0291]`. `scripts/mathfit/fit_log_table.py f64 7`.
const LOG16_INVC_F64: [f64; 16] = [
    1.39801025390625,
    1.3404464721679688,
    1.2867202758789062,
    1.2367477416992188,
    1.19049072265625,
    1.1480979919433594,
    1.1082611083984375,
    1.07061767578125,
    1.0362701416015625,
    1.0,
    0.9476318359375,
    0.8950328826904297,
    0.847564697265625,
    0.8049888610839844,
    0.766510009765625,
    0.7314357757568359,
];
const LOG16_LOGC_F64: [f64; 16] = [
    -0.33504997848160817,
    -0.29300274665301446,
    -0.2520965591315196,
    -0.21248514512782923,
    -0.17436559410152255,
    -0.13810665309019546,
    -0.10279221796156056,
    -0.06823574900454586,
    -0.0356278642884232,
    0.0,
    0.05378921087360868,
    0.11089482094596069,
    0.1653881036847119,
    0.21692683882206043,
    0.26590752170057935,
    0.3127458603848554,
];
/// `log1p(r) ~= r + r^2 P(r)` on the range of `r` above: minimax for the error relative to
/// `log1p(r)`, degree 7, 2^-56.9 with the f64 coefficients.
const LOG16_P_F64: [f64; 8] = [
    -0.49999999999999806,
    0.33333333333328846,
    -0.250000000030521,
    0.20000000036547053,
    -0.16666653919636917,
    0.14285627812324964,
    -0.12519583652616773,
    0.11178584071730814,
];

/// The two 16-entry f64 tables, two registers each (`vpermi2pd`).
#[derive(Clone, Copy)]
struct LogTables64 {
    invc: (__m512d, __m512d),
    logc: (__m512d, __m512d),
}

avx512! {
    #[inline]
    unsafe fn log_tables64() -> LogTables64 {
        let (i, l) = (LOG16_INVC_F64.as_ptr(), LOG16_LOGC_F64.as_ptr());
        LogTables64 {
            invc: (_mm512_loadu_pd(i), _mm512_loadu_pd(i.add(8))),
            logc: (_mm512_loadu_pd(l), _mm512_loadu_pd(l.add(8))),
        }
    }

    /// f64 [`log16`]: eight lanes. (`k ln2` rounds once in its FMA; with ln2 rounded to f64
    /// that adds at most 0.15 ulp: splitting ln2 would cost one more FMA, 5% of the time.)
    #[inline]
    unsafe fn log8(u: __m512d, c: Option<__m512d>, kadj: Option<__m512d>, t: LogTables64) -> __m512d {
        let ub = _mm512_castpd_si512(u);
        let d = _mm512_sub_epi64(ub, _mm512_set1_epi64(LOG_OFF64));
        let kbits = _mm512_and_si512(d, _mm512_set1_epi64(0xfff0_0000_0000_0000_u64 as i64));
        let z = _mm512_castsi512_pd(_mm512_sub_epi64(ub, kbits));
        let mut k = _mm512_cvtepi64_pd(_mm512_srai_epi64::<52>(d));
        if let Some(kadj) = kadj {
            k = _mm512_add_pd(k, kadj);
        }
        // vpermi2pd reads the low four bits of each index.
        let idx = _mm512_srli_epi64::<48>(d);
        let invc = _mm512_permutex2var_pd(t.invc.0, idx, t.invc.1);
        let logc = _mm512_permutex2var_pd(t.logc.0, idx, t.logc.1);
        let mut r = _mm512_fmadd_pd(z, invc, _mm512_set1_pd(-1.0));
        if let Some(c) = c {
            let scale = _mm512_sub_epi64(_mm512_set1_epi64(0x3ff0_0000_0000_0000), kbits);
            let cs = _mm512_mul_pd(c, _mm512_castsi512_pd(scale));
            r = _mm512_fmadd_pd(cs, invc, r);
        }
        let small = _mm512_fmadd_pd(_mm512_mul_pd(r, r), horner8(r, &LOG16_P_F64), r);
        let hi = _mm512_fmadd_pd(k, _mm512_set1_pd(std::f64::consts::LN_2), logc);
        _mm512_add_pd(hi, small)
    }

    /// f64 [`outside32`].
    #[inline]
    unsafe fn outside64(v: __m512d, lo: i64, len: i64) -> __mmask8 {
        let off = _mm512_sub_epi64(_mm512_castpd_si512(v), _mm512_set1_epi64(lo));
        _mm512_cmpge_epu64_mask(off, _mm512_set1_epi64(len))
    }

    /// f64 [`log16_special`] (subnormals through `2^52 x`).
    #[inline(never)]
    #[cold]
    unsafe fn log8_special(x: __m512d, y: __m512d, m: __mmask8, t: LogTables64) -> __m512d {
        let sub = _mm512_mask_cmp_pd_mask(
            _mm512_mask_cmp_pd_mask(m, x, _mm512_setzero_pd(), _CMP_GT_OQ),
            x,
            _mm512_set1_pd(f64::MIN_POSITIVE),
            _CMP_LT_OQ,
        );
        let scaled = log8(
            _mm512_mul_pd(x, _mm512_set1_pd(4503599627370496.0)),
            None,
            Some(_mm512_set1_pd(-52.0)),
            t,
        );
        let y = _mm512_mask_mov_pd(y, sub, scaled);
        let y = _mm512_mask_mov_pd(y, m & !sub, x);
        let neg = _mm512_mask_cmp_pd_mask(m, x, _mm512_setzero_pd(), _CMP_LT_OQ);
        let y = _mm512_mask_mov_pd(y, neg, _mm512_set1_pd(f64::NAN));
        let zero = _mm512_mask_cmp_pd_mask(m, x, _mm512_setzero_pd(), _CMP_EQ_OQ);
        _mm512_mask_mov_pd(y, zero, _mm512_set1_pd(f64::NEG_INFINITY))
    }

    /// Natural logarithm over an f64 slice; see [`log_f32`].
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn log_f64(src: &[f64], dst: &mut [f64]) {
        let t = log_tables64();
        map8(src, dst, |x| {
            let y = log8(x, None, None, t);
            let m = outside64(x, 1 << 52, 0x7fe0_0000_0000_0000);
            if m == 0 {
                y
            } else {
                log8_special(x, y, m, t)
            }
        })
    }

    /// f64 [`log1p16_special`] (large: `1 + x` of 1.2e308 or more).
    #[inline(never)]
    #[cold]
    unsafe fn log1p8_special(x: __m512d, u: __m512d, y: __m512d, m: __mmask8, t: LogTables64) -> __m512d {
        let y = _mm512_mask_mov_pd(y, m, log8(u, None, None, t));
        let odd = _mm512_mask_cmp_pd_mask(m, x, _mm512_set1_pd(f64::INFINITY), _CMP_NLT_UQ);
        let y = _mm512_mask_mov_pd(y, odd, x);
        let below = _mm512_mask_cmp_pd_mask(m, x, _mm512_set1_pd(-1.0), _CMP_LT_OQ);
        let y = _mm512_mask_mov_pd(y, below, _mm512_set1_pd(f64::NAN));
        let at = _mm512_mask_cmp_pd_mask(m, x, _mm512_set1_pd(-1.0), _CMP_EQ_OQ);
        _mm512_mask_mov_pd(y, at, _mm512_set1_pd(f64::NEG_INFINITY))
    }

    /// `log(1 + x)` over an f64 slice; see [`log1p_f32`].
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn log1p_f64(src: &[f64], dst: &mut [f64]) {
        let t = log_tables64();
        let one = _mm512_set1_pd(1.0);
        map8(src, dst, |x| {
            let u = _mm512_add_pd(x, one);
            let c = _mm512_sub_pd(x, _mm512_sub_pd(u, one));
            let y = or_sign8(log8(u, Some(c), None, t), x);
            let m = outside64(u, 1, 0x7fe6_0000_0000_0000);
            if m == 0 {
                y
            } else {
                log1p8_special(x, u, y, m, t)
            }
        })
    }
}

/// `2^(j/16)` as `T_HI + T_LO` for j = 0..15: `T_HI` rounded to a multiple of 2^-11 (12
/// significant bits, so `2^n T_HI - 1` is exact for n <= 12), `T_LO` the rest rounded to f32
/// (together within 2^-37 of `2^(j/16)`).
const EXP16_HI_F32: [f32; 16] = [
    1.0, 1.0444336, 1.090332, 1.1386719, 1.1889648, 1.2416992, 1.296875, 1.3544922, 1.4140625,
    1.4770508, 1.5419922, 1.6103516, 1.6816406, 1.7563477, 1.8339844, 1.9150391,
];
const EXP16_LO_F32: [f32; 16] = [
    0.0,
    -0.00015981132,
    0.00017570141,
    0.00011675976,
    0.00024227126,
    0.00015859332,
    -3.5445348e-05,
    -0.00023664057,
    0.00015106237,
    -0.00022463531,
    0.00021863791,
    0.00013876945,
    0.00015220551,
    -9.549587e-05,
    2.3711409e-05,
    0.0001674989,
];
/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `expm1(r)`, degree 2; 2^-31.5 with the f32 coefficients.
const EXPM1_16_P_F32: [f32; 3] = [0.5, 0.16666992, 0.04166644];
/// 16 / ln2, and ln2/16 split so that `m * LN2_16_HI_F32` is exact for |m| < 2^12.
const INV_LN2_16_F32: f32 = 23.08312;
const LN2_16_HI_F32: f32 = 2839.0 / 65536.0;
const LN2_16_LO_F32: f32 = 1.9966365e-6;
/// Above this, `2^n` may overflow in [`expm1_f32`]'s main formula (n = 128 from 88.70).
const EXPM1_BIG_F32: f32 = 88.6;

avx512! {
    /// `(n, T_HI, T_LO, expm1(r))` for sixteen lanes of `x = (16 n + j) ln2/16 + r` (n as
    /// the float `m/16`, whose floor `vscalefps` takes), |x| < 2^17; the reduction is exact
    /// up to the rounding of `m LN2_16_LO_F32`.
    #[inline]
    unsafe fn exp16_parts(x: __m512, thi: __m512, tlo: __m512) -> (__m512, __m512, __m512, __m512) {
        let shift = _mm512_set1_ps(super::exp::SHIFT32);
        let z = _mm512_fmadd_ps(x, _mm512_set1_ps(INV_LN2_16_F32), shift);
        let m = _mm512_sub_ps(z, shift);
        let r = _mm512_fnmadd_ps(m, _mm512_set1_ps(LN2_16_HI_F32), x);
        let r = _mm512_fnmadd_ps(m, _mm512_set1_ps(LN2_16_LO_F32), r);
        // vpermps reads the low four bits of each index: those of m.
        let idx = _mm512_castps_si512(z);
        let (th, tl) = (_mm512_permutexvar_ps(idx, thi), _mm512_permutexvar_ps(idx, tlo));
        let p = _mm512_fmadd_ps(_mm512_mul_ps(r, r), horner16(r, &EXPM1_16_P_F32), r);
        (_mm512_mul_ps(m, _mm512_set1_ps(1.0 / 16.0)), th, tl, p)
    }

    /// `e^x` for sixteen lanes with `x` in [-104, 89] (or NaN): `2^n (T_HI + (T p + T_LO))`
    /// with the scaling last (`vscalefps`), so it overflows to inf only where e^x does and
    /// rounds subnormal results once.
    #[inline]
    unsafe fn exp16(x: __m512, thi: __m512, tlo: __m512) -> __m512 {
        let (n, th, tl, p) = exp16_parts(x, thi, tlo);
        _mm512_scalef_ps(_mm512_add_ps(th, _mm512_fmadd_ps(_mm512_add_ps(th, tl), p, tl)), n)
    }

    /// `expm1` for lanes above [`EXPM1_BIG_F32`] (not NaN): there `expm1(x) = e^x` to
    /// within far less than an ulp.
    #[inline(never)]
    #[cold]
    unsafe fn expm1_16_big(x: __m512, y: __m512, m: __mmask16, thi: __m512, tlo: __m512) -> __m512 {
        let e = exp16(_mm512_min_ps(x, _mm512_set1_ps(89.0)), thi, tlo);
        _mm512_mask_mov_ps(y, m, e)
    }

    /// e^x over an f32 slice, any input: inputs are clamped to [-104, 89] (where e^x is
    /// already 0 and inf; NaN passes the clamps), then [`exp16`].
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn exp_f32(src: &[f32], dst: &mut [f32]) {
        let thi = _mm512_loadu_ps(EXP16_HI_F32.as_ptr());
        let tlo = _mm512_loadu_ps(EXP16_LO_F32.as_ptr());
        map16(src, dst, |x| {
            let x = _mm512_min_ps(_mm512_set1_ps(89.0), _mm512_max_ps(_mm512_set1_ps(-104.0), x));
            exp16(x, thi, tlo)
        })
    }

    /// `e^x - 1` over an f32 slice, any input:
    /// `expm1(x) = (2^n T_HI - 1) + 2^n (T p + T_LO)` with `p = expm1(r)` and `T = T_HI +
    /// T_LO` rounded; the first term is exact while it matters (n <= 12), so there is no
    /// cancellation near 0 (where
    /// n = j = 0 and the result is `p`). Inputs below -30 are clamped (the result is -1
    /// from -17.4 on; NaN passes, as `vmaxps` returns its second operand then); those
    /// above 88.6 go to [`expm1_16_big`]. The sign of `x` is OR'd in, for `expm1(-0) = -0`
    /// (the result always has the sign of `x`).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn expm1_f32(src: &[f32], dst: &mut [f32]) {
        let thi = _mm512_loadu_ps(EXP16_HI_F32.as_ptr());
        let tlo = _mm512_loadu_ps(EXP16_LO_F32.as_ptr());
        let one = _mm512_set1_ps(1.0);
        map16(src, dst, |x| {
            let xc = _mm512_max_ps(_mm512_set1_ps(-30.0), x);
            let (n, th, tl, p) = exp16_parts(xc, thi, tlo);
            let s = _mm512_scalef_ps(one, n);
            let a = _mm512_fmsub_ps(th, s, one);
            let t = _mm512_add_ps(th, tl);
            let y = or_sign16(_mm512_fmadd_ps(_mm512_fmadd_ps(t, p, tl), s, a), x);
            let big = _mm512_cmp_ps_mask(x, _mm512_set1_ps(EXPM1_BIG_F32), _CMP_GT_OQ);
            if big == 0 {
                y
            } else {
                expm1_16_big(x, y, big, thi, tlo)
            }
        })
    }
}
