//! Accuracy and special-value tests of the math kernels, on every path this CPU supports.
//!
//! References: for f32, the std f64 function of the (exact) f64 value, graded in fractional
//! f32 ulps; for f64, the std function itself (glibc: < 1 ulp), graded in whole ulps with
//! a bound of 4 + 1.

use super::dispatch::{apply_f32_on, apply_f64_on, Path};
use super::{apply_f32, apply_f64, MathOp};

const OPS: [MathOp; 7] = [
    MathOp::Exp,
    MathOp::Log,
    MathOp::Sin,
    MathOp::Cos,
    MathOp::Tanh,
    MathOp::Expm1,
    MathOp::Log1p,
];

const MAX_ULP_F64: u64 = 5;
const MAX_ULP_F32: f64 = 4.0;

fn paths() -> Vec<Path> {
    Path::ALL.into_iter().filter(|p| p.is_supported()).collect()
}

fn reference(op: MathOp, x: f64) -> f64 {
    match op {
        MathOp::Exp => x.exp(),
        MathOp::Log => x.ln(),
        MathOp::Sin => x.sin(),
        MathOp::Cos => x.cos(),
        MathOp::Tanh => x.tanh(),
        MathOp::Expm1 => x.exp_m1(),
        MathOp::Log1p => x.ln_1p(),
    }
}

/// SplitMix64: deterministic test inputs without external crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 * (1.0 / 9007199254740992.0))
    }
    /// Random bit pattern: every finite double (incl. subnormals) with |x| < limit.
    fn any_f64(&mut self, limit: f64) -> f64 {
        loop {
            let x = f64::from_bits(self.next());
            if x.abs() < limit {
                return x;
            }
        }
    }
    fn any_f32(&mut self, limit: f32) -> f32 {
        loop {
            let x = f32::from_bits(self.next() as u32);
            if x.abs() < limit {
                return x;
            }
        }
    }
}

/// Inputs for `op`: random bit patterns over the whole meaningful range plus uniform samples
/// where the function is most used, plus edges. `f32_range` limits to the f32 range.
fn inputs(op: MathOp, n: usize, f32_range: bool) -> Vec<f64> {
    let mut rng = Rng(0x5eed ^ op as u64);
    let big = if f32_range { 3.4e38 } else { f64::MAX };
    let mut v = Vec::with_capacity(4 * n);
    let (lo, hi, edge_lo, edge_hi): (f64, f64, f64, f64) = match (op, f32_range) {
        (MathOp::Exp, false) => (-30.0, 30.0, -745.2, 709.8),
        (MathOp::Exp, true) => (-30.0, 30.0, -104.0, 88.8),
        (MathOp::Log, _) => (0.0, 4.0, 0.5, 2.0),
        (MathOp::Sin | MathOp::Cos, _) => (-10.0, 10.0, -134217728.0, 134217728.0),
        (MathOp::Tanh, _) => (-5.0, 5.0, -25.0, 25.0),
        (MathOp::Expm1, false) => (-2.0, 2.0, -50.0, 709.8),
        (MathOp::Expm1, true) => (-2.0, 2.0, -20.0, 88.8),
        (MathOp::Log1p, _) => (-1.0, 2.0, -0.3, 0.5),
    };
    for _ in 0..n {
        let x = if f32_range {
            rng.any_f32(big as f32) as f64
        } else {
            rng.any_f64(big)
        };
        let x = match op {
            MathOp::Log => x.abs(),
            MathOp::Log1p => {
                if x < -1.0 {
                    -1.0 / x
                } else {
                    x
                }
            }
            MathOp::Exp | MathOp::Expm1 => x % edge_hi.max(-edge_lo),
            _ => x,
        };
        v.push(x);
        v.push(rng.uniform(lo, hi));
        v.push(rng.uniform(edge_lo, edge_hi));
        // Small magnitudes, where relative accuracy is hardest for expm1/log1p/sin/tanh.
        let tiny = f64::from_bits(rng.next() >> 2) % 1e-3;
        v.push(if rng.next() & 1 == 0 { tiny } else { -tiny }.max(-0.99));
    }
    if matches!(op, MathOp::Sin | MathOp::Cos) {
        // The whole range of the single-precision sin/cos kernels (|x| <= 2^20), and the
        // floats next to that limit.
        for _ in 0..n {
            v.push(rng.uniform(-1048576.0, 1048576.0));
        }
        for k in 0..64u64 {
            for lim in [1048576.0f64, -1048576.0] {
                v.push(f64::from_bits(lim.to_bits() + (1 << 29) * k));
                v.push(f64::from_bits(lim.to_bits() - (1 << 29) * k));
            }
        }
        // Near multiples of pi/2 (the hard cases of the reduction).
        for k in 1..2000u32 {
            let m = (k as f64) * (k as f64) * 31.0;
            let c = m * std::f64::consts::FRAC_PI_2;
            if c < 134217728.0 {
                let mut x = c;
                for _ in 0..3 {
                    v.push(x);
                    x = f64::from_bits(x.to_bits() + 1);
                }
            }
        }
    }
    if f32_range {
        v.iter_mut().for_each(|x| *x = *x as f32 as f64);
    }
    v
}

/// Ordered integer image of a double, so that ulp distance is a difference.
fn ord(x: f64) -> i128 {
    let b = x.to_bits() as i64;
    (if b < 0 { i64::MIN.wrapping_sub(b) } else { b }) as i128
}

/// Distance in ulps of f64 results (NaN must match NaN).
fn ulp_f64(got: f64, want: f64) -> u64 {
    if want.is_nan() || got.is_nan() {
        return if want.is_nan() && got.is_nan() {
            0
        } else {
            u64::MAX
        };
    }
    (ord(got) - ord(want)).unsigned_abs() as u64
}

/// Error of an f32 result in (fractional) f32 ulps of the exact value `want`.
fn ulp_f32(got: f32, want: f64) -> f64 {
    if want.is_nan() || got.is_nan() {
        return if want.is_nan() && got.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let rounded = want as f32;
    if rounded.is_infinite() || got.is_infinite() {
        if rounded == got {
            return 0.0;
        }
        // Treat infinity as 2^128 for the distance.
        let g = if got.is_infinite() {
            2f64.powi(128).copysign(got as f64)
        } else {
            got as f64
        };
        return (g - want).abs() / 2f64.powi(104);
    }
    let e = if want == 0.0 {
        -126
    } else {
        (want.abs().log2().floor() as i32).max(-126)
    };
    (got as f64 - want).abs() / 2f64.powi(e - 23)
}

fn run64(path: Path, op: MathOp, x: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; x.len()];
    apply_f64_on(path, op, x, &mut y);
    y
}

fn run32(path: Path, op: MathOp, x: &[f32]) -> Vec<f32> {
    let mut y = vec![0.0; x.len()];
    apply_f32_on(path, op, x, &mut y);
    y
}

/// Max ulp error of `op` over `x` on `path`, with the worst input.
fn max_err64(path: Path, op: MathOp, x: &[f64]) -> (u64, f64) {
    let y = run64(path, op, x);
    let mut worst = (0, 0.0);
    for (&xi, &yi) in x.iter().zip(&y) {
        let e = ulp_f64(yi, reference(op, xi));
        if e > worst.0 {
            worst = (e, xi);
        }
    }
    worst
}

fn max_err32(path: Path, op: MathOp, x: &[f32]) -> (f64, f32) {
    let y = run32(path, op, x);
    let mut worst = (0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(&y) {
        let e = ulp_f32(yi, reference(op, xi as f64));
        if e > worst.0 {
            worst = (e, xi);
        }
    }
    worst
}

#[test]
fn accuracy_f64_all_paths() {
    for path in paths() {
        for op in OPS {
            let x = inputs(op, 30_000, false);
            let (e, at) = max_err64(path, op, &x);
            println!("f64 {op:?} {path:?}: max {e} ulp (at {at:e})");
            assert!(
                e <= MAX_ULP_F64,
                "f64 {op:?} on {path:?}: {e} ulp at x = {at:e}"
            );
        }
    }
}

#[test]
fn accuracy_f32_all_paths() {
    for path in paths() {
        for op in OPS {
            let x: Vec<f32> = inputs(op, 30_000, true)
                .into_iter()
                .map(|v| v as f32)
                .collect();
            // sin/cos recompute a whole block that contains an argument beyond 2^20 with
            // their wider f64-based kernel, so test the arguments below and above apart.
            let (small, large): (Vec<f32>, Vec<f32>) = x.iter().partition(|v| v.abs() <= 1048576.0);
            for (part, x) in [("|x| <= 2^20", small), ("|x| > 2^20", large)] {
                let (e, at) = max_err32(path, op, &x);
                println!("f32 {op:?} {path:?} {part}: max {e:.3} ulp (at {at:e})");
                assert!(
                    e <= MAX_ULP_F32,
                    "f32 {op:?} on {path:?}: {e} ulp at x = {at:e}"
                );
            }
        }
    }
}

/// exp results in the subnormal range must be rounded, not flushed.
#[test]
fn exp_subnormal_results() {
    let x64: Vec<f64> = (0..20_000)
        .map(|i| -708.4 - 36.8 * i as f64 / 20_000.0)
        .collect();
    let x32: Vec<f32> = (0..20_000)
        .map(|i| -87.3 - 16.7 * i as f32 / 20_000.0)
        .collect();
    for path in paths() {
        let (e, at) = max_err64(path, MathOp::Exp, &x64);
        assert!(e <= 1, "{path:?}: exp({at:e}) off by {e} ulp");
        let (e, at) = max_err32(path, MathOp::Exp, &x32);
        assert!(e <= 1.0, "{path:?}: expf({at:e}) off by {e} ulp");
    }
}

/// Arguments closest to multiples of pi/2 below 2^27 (continued-fraction search), the
/// classic hardest double for huge arguments (6381956970095103 * 2^797) and other large
/// ones, with correctly rounded sin and cos computed with mpmath (400 digits). (The std/libm
/// result is itself 2 ulp off at one of them.)
#[test]
fn trig_hard_points() {
    const HARD64: [(u64, u64, u64); 15] = [
        (0x3ff921fb54442d18, 0x3ff0000000000000, 0x3c91a62633145c07),
        (0x400921fb54442d18, 0x3ca1a62633145c07, 0xbff0000000000000),
        (0x4046c6cbc45dc8de, 0x3ff0000000000000, 0xbc26d61b58c99c43),
        (0x40e67e57cdd4dc54, 0xbff0000000000000, 0x3ca396f53352c401),
        (0x41139c6fd67805a7, 0xbff0000000000000, 0xbc8988efe18ff83f),
        (0x4139eb7148f354d6, 0x3ff0000000000000, 0xbc8d0afa32c646ca),
        (0x419b951f1572eba5, 0xbc6f54f5227a4e84, 0x3ff0000000000000),
        (0x7506ac5b262ca1ff, 0x3ff0000000000000, 0xbc214ae72e6ba22f),
        (0x4480f0cf064dd592, 0xbfeb453ab76bf397, 0x3fe0be2cef01c8f4),
        (0x7e37e43c8800759c, 0xbfea2c16b010e385, 0xbfe2699022adc4c1),
        (0x7fefffffffffffff, 0x3f7452fc98b34e97, 0xbfefffe62ecfab75),
        (0x41a0000000000000, 0xbfe86dcc9babb0a4, 0x3fe4ab6511a7d39b),
        (0x41a0000002000000, 0x3fc0c673c05e481d, 0x3fefb957eac4b278),
        (0x41cdcd6500000000, 0x3fe1778cae83c69b, 0x3feacff8c7364234),
        (0x432550f7dca70000, 0x3fa77f46d55870ef, 0x3feff75e5df884a4),
    ];
    let hard32: [u32; 8] = [
        0x3fc90fdb, 0x4096cbe4, 0x437ce5f1, 0x450be628, 0x474d246f, 0x4882665e, 0x4a2562ae,
        0x4ca332e9,
    ];
    let mut x32: Vec<f32> = hard32.iter().map(|&b| f32::from_bits(b)).collect();
    x32.extend([1e20f32, 3.4e38, f32::MAX, 134217728.0, 134217740.0, 1.0e9]);
    // The limit of the single-precision kernels (2^20) and its neighbours.
    x32.extend([0x4980_0000, 0x4980_0001, 0x497f_ffff].map(f32::from_bits));
    let neg: Vec<f32> = x32.iter().map(|v| -v).collect();
    x32.extend(neg);
    for path in paths() {
        for &(xb, sb, cb) in &HARD64 {
            let (x, s, c) = (f64::from_bits(xb), f64::from_bits(sb), f64::from_bits(cb));
            for (x, s) in [(x, s), (-x, -s)] {
                let got = run64(path, MathOp::Sin, &[x])[0];
                assert!(
                    ulp_f64(got, s) <= 1,
                    "{path:?} sin({x:e}) = {got:e}, want {s:e}"
                );
                let got = run64(path, MathOp::Cos, &[x])[0];
                assert!(
                    ulp_f64(got, c) <= 1,
                    "{path:?} cos({x:e}) = {got:e}, want {c:e}"
                );
            }
        }
        for op in [MathOp::Sin, MathOp::Cos] {
            // One at a time: a large argument sends its whole block to the wider kernel.
            for &x in &x32 {
                let (e, at) = max_err32(path, op, &[x]);
                assert!(e <= 1.0, "{path:?} {op:?}f({at:e}): {e} ulp");
            }
        }
    }
}

fn same64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn same32(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// Exact special values (sign of zero included), on every path and both types.
#[test]
fn special_values() {
    use MathOp::*;
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    let tiny = 5e-324_f64; // smallest subnormal
    let sub = 1.5e-310_f64;
    let cases: &[(MathOp, f64, f64)] = &[
        (Exp, 0.0, 1.0),
        (Exp, -0.0, 1.0),
        (Exp, inf, inf),
        (Exp, -inf, 0.0),
        (Exp, nan, nan),
        (Exp, 710.0, inf),
        (Exp, 1000.0, inf),
        (Exp, -746.0, 0.0),
        (Exp, -1000.0, 0.0),
        (Exp, -745.1332191019411, tiny),
        (Exp, tiny, 1.0),
        (Log, 0.0, -inf),
        (Log, -0.0, -inf),
        (Log, -1.0, nan),
        (Log, -tiny, nan),
        (Log, -inf, nan),
        (Log, inf, inf),
        (Log, nan, nan),
        (Log, 1.0, 0.0),
        (Sin, 0.0, 0.0),
        (Sin, -0.0, -0.0),
        (Sin, inf, nan),
        (Sin, -inf, nan),
        (Sin, nan, nan),
        (Sin, tiny, tiny),
        (Sin, -sub, -sub),
        (Cos, 0.0, 1.0),
        (Cos, -0.0, 1.0),
        (Cos, inf, nan),
        (Cos, -inf, nan),
        (Cos, nan, nan),
        (Cos, sub, 1.0),
        (Tanh, 0.0, 0.0),
        (Tanh, -0.0, -0.0),
        (Tanh, inf, 1.0),
        (Tanh, -inf, -1.0),
        (Tanh, nan, nan),
        (Tanh, 20.0, 1.0),
        (Tanh, -1e300, -1.0),
        (Tanh, tiny, tiny),
        (Tanh, -sub, -sub),
        (Expm1, 0.0, 0.0),
        (Expm1, -0.0, -0.0),
        (Expm1, inf, inf),
        (Expm1, -inf, -1.0),
        (Expm1, nan, nan),
        (Expm1, 710.0, inf),
        (Expm1, -50.0, -1.0),
        (Expm1, tiny, tiny),
        (Expm1, -sub, -sub),
        (Log1p, 0.0, 0.0),
        (Log1p, -0.0, -0.0),
        (Log1p, -1.0, -inf),
        (Log1p, -2.0, nan),
        (Log1p, -inf, nan),
        (Log1p, inf, inf),
        (Log1p, nan, nan),
        (Log1p, tiny, tiny),
        (Log1p, -sub, -sub),
    ];
    for path in paths() {
        for &(op, x, want) in cases {
            let got = run64(path, op, &[x])[0];
            assert!(
                same64(got, want),
                "{path:?} f64 {op:?}({x:e}) = {got:e}, want {want:e}"
            );
            // The same case in f32 (values that exist there).
            let xf = x as f32;
            if (xf as f64 == x || x.is_nan()) && !(op == Exp && x == -745.1332191019411) {
                let wf = want as f32;
                let got = run32(path, op, &[xf])[0];
                assert!(
                    same32(got, wf),
                    "{path:?} f32 {op:?}({xf:e}) = {got:e}, want {wf:e}"
                );
            }
        }
        // f32-specific thresholds.
        let f32_cases: &[(MathOp, f32, f32)] = &[
            (Exp, 89.0, f32::INFINITY),
            (Exp, -104.0, 0.0),
            (Exp, -103.5, f32::from_bits(1)),
            (Expm1, 89.0, f32::INFINITY),
            (Expm1, -20.0, -1.0),
            (Tanh, 9.1, 1.0),
            (
                Log,
                f32::from_bits(1),
                (-149.0 * std::f64::consts::LN_2) as f32,
            ),
            (Sin, 1.0e-45, 1.0e-45),
            (Sin, -1.0e-40, -1.0e-40),
            (Log1p, -1.0e-40, -1.0e-40),
        ];
        for &(op, x, want) in f32_cases {
            let got = run32(path, op, &[x])[0];
            assert!(
                same32(got, want),
                "{path:?} f32 {op:?}({x:e}) = {got:e}, want {want:e}"
            );
        }
        // Results near the overflow thresholds stay finite.
        assert!(run64(path, Exp, &[709.78])[0].is_finite());
        assert!(run64(path, Expm1, &[709.78])[0].is_finite());
        assert!(run32(path, Exp, &[88.72])[0].is_finite());
        assert!(run32(path, Expm1, &[88.72])[0].is_finite());
    }
}

/// Inputs around the limits where the AVX-512 kernels change formula (special lanes, the
/// `2^-k` range of log1p, the overflow guards and exactness limits of expm1, subnormal log)
/// and the bin edges of the log tables, 200 floats either side of each, graded on every path.
#[test]
fn kernel_limits() {
    use MathOp::*;
    let around64 =
        |c: f64| (-200i64..=200).map(move |d| f64::from_bits((c.to_bits() as i64 + d) as u64));
    let around32 =
        |c: f32| (-200i32..=200).map(move |d| f32::from_bits((c.to_bits() as i32 + d) as u32));
    // Bin edges of the log tables: 0x1.66p-1 + j 2^-5 below 1, 1 + (j - 9.25) 2^-4 above.
    let edges: Vec<f64> = (0..17)
        .map(|j| f64::from_bits(0x3fe6_6000_0000_0000 + (j << 48)))
        .collect();
    let c64: &[(MathOp, &[f64])] = &[
        (
            Log1p,
            &[1.2e308, 1.26e308, 1.3e308, f64::MAX, 9.0e15, 1.8e16],
        ),
        (Log, &[f64::MIN_POSITIVE, 1e-310, 1.0, 2.0, 0.5]),
        (Log, &edges),
        (Log1p, &[-0.5, -0.3, 0.3984375, 2.0, 3.0]),
        (
            Expm1,
            &[
                709.0, 709.78, 709.79, -17.33, 36.04, -37.5, -40.0, 0.0217, -0.0217, 0.0433, 1.0,
            ],
        ),
    ];
    let c32: &[(MathOp, &[f32])] = &[
        (Log1p, &[2.3e38, 2.34e38, 2.4e38, f32::MAX, 1.6e7, 3.4e7]),
        (Log, &[f32::MIN_POSITIVE, 1e-40, 1.0, 2.0, 0.5]),
        (Log1p, &[-0.5, -0.3, 0.3984375, 2.0, 3.0]),
        (
            Expm1,
            &[
                88.6, 88.7, 88.72, -17.4, -30.0, 0.0217, -0.0217, 0.0433, 1.0,
            ],
        ),
    ];
    for path in paths() {
        for &(op, centres) in c64 {
            for &c in centres {
                let x: Vec<f64> = around64(c).collect();
                let (e, at) = max_err64(path, op, &x);
                assert!(e <= 2, "f64 {op:?} on {path:?}: {e} ulp at {at:e}");
            }
        }
        for &(op, centres) in c32 {
            for &c in centres {
                let x: Vec<f32> = around32(c).collect();
                let (e, at) = max_err32(path, op, &x);
                assert!(
                    e <= MAX_ULP_F32,
                    "f32 {op:?} on {path:?}: {e} ulp at {at:e}"
                );
            }
        }
        for &c in &edges {
            let x: Vec<f32> = around32(c as f32).collect();
            let (e, at) = max_err32(path, Log, &x);
            assert!(e <= MAX_ULP_F32, "f32 Log on {path:?}: {e} ulp at {at:e}");
        }
    }
}

/// The public entry points agree with every path on awkward lengths (vector tails, sin/cos
/// blocks with and without slow elements) and for all ops.
#[test]
fn public_api_lengths_and_paths_agree() {
    let mut rng = Rng(42);
    for len in [0usize, 1, 3, 7, 8, 9, 31, 1023, 1024, 1025, 2500] {
        let x64: Vec<f64> = (0..len)
            .map(|i| match i % 97 {
                5 => 1e200,
                11 => f64::NAN,
                _ => rng.uniform(-3.0, 3.0),
            })
            .collect();
        let x32: Vec<f32> = x64.iter().map(|&v| v as f32).collect();
        for op in OPS {
            let mut y64 = vec![0.0; len];
            apply_f64(op, &x64, &mut y64);
            let mut y32 = vec![0.0f32; len];
            apply_f32(op, &x32, &mut y32);
            for path in paths() {
                let p64 = run64(path, op, &x64);
                let p32 = run32(path, op, &x32);
                for i in 0..len {
                    assert!(
                        ulp_f64(p64[i], y64[i]) <= 2,
                        "{op:?} {path:?} len {len} i {i}"
                    );
                    assert!(
                        ulp_f32(p32[i], y32[i] as f64) <= 2.0,
                        "{op:?} {path:?} len {len} i {i}"
                    );
                    // Every element must also match the per-element reference.
                    let e = ulp_f64(p64[i], reference(op, x64[i]));
                    assert!(
                        e <= MAX_ULP_F64,
                        "{op:?} {path:?} x = {:e}: {e} ulp",
                        x64[i]
                    );
                }
            }
        }
    }
}

/// An f32 sin/cos result depends on its argument only, not on whether the block around it
/// holds arguments that need the wider kernel or the scalar fix-up.
#[test]
fn f32_trig_independent_of_neighbours() {
    let mut rng = Rng(7);
    let x: Vec<f32> = (0..2000)
        .map(|_| rng.uniform(-100.0, 100.0) as f32)
        .collect();
    let mut mixed = x.clone();
    for (i, big) in [
        (3, 5.0e6f32),
        (700, f32::NAN),
        (1500, 1.0e30),
        (1900, -2.0e6),
    ] {
        mixed[i] = big;
    }
    for path in paths() {
        for op in [MathOp::Sin, MathOp::Cos] {
            let alone = run32(path, op, &x);
            let together = run32(path, op, &mixed);
            for i in 0..x.len() {
                if mixed[i] == x[i] {
                    assert!(same32(alone[i], together[i]), "{path:?} {op:?}({:e})", x[i]);
                } else {
                    let want = reference(op, mixed[i] as f64);
                    assert!(ulp_f32(together[i], want) <= 1.0, "{path:?} {op:?}");
                }
            }
        }
    }
}

/// The fast kernels that `map_choose` runs on clean blocks equal the full ones bit for bit
/// over their whole domain (else a result would depend on the block around it), with and
/// without FMA. Dense random samples plus the ends of each domain.
#[test]
fn fast_kernels_equal_full_ones_bit_for_bit() {
    use super::exp::{exp_f64, exp_f64_fast, expm1_f32, expm1_f32_fast, expm1_f64, expm1_f64_fast};
    use super::flavour::{Flavour, Fused, Unfused};
    use super::log::{log1p_f32, log1p_f32_fast, log1p_f64, log1p_f64_fast};

    fn check<F: Flavour>(rng: &mut Rng) {
        let ends = |lo: f64, hi: f64| {
            let (lo, hi) = (lo + lo.abs() * 1e-15, hi - hi.abs() * 1e-15);
            [lo, hi, lo * 0.5 + hi * 0.5, 1e-300, -1e-300, 1e-20]
        };
        let sample = |rng: &mut Rng, lo: f64, hi: f64| -> Vec<f64> {
            let mut v: Vec<f64> = (0..200_000).map(|_| rng.uniform(lo, hi)).collect();
            v.extend(ends(lo, hi));
            v.retain(|&x| x > lo && x < hi && x != 0.0);
            v
        };
        for x in sample(rng, -600.0, 600.0) {
            assert!(same64(exp_f64_fast::<F>(x), exp_f64::<F>(x)), "exp({x:e})");
        }
        for x in sample(rng, -36.0, 36.0) {
            assert!(
                same64(expm1_f64_fast::<F>(x), expm1_f64::<F>(x)),
                "expm1({x:e})"
            );
            let x = x as f32 * 0.44;
            assert!(
                same32(expm1_f32_fast::<F>(x), expm1_f32::<F>(x)),
                "expm1({x:e})"
            );
        }
        for x in sample(rng, -1.0, 1e6).into_iter().chain([1e299, 9.9e299]) {
            assert!(
                same64(log1p_f64_fast::<F>(x), log1p_f64::<F>(x)),
                "log1p({x:e})"
            );
            let x = x as f32;
            if x > -1.0 && x < 1e37 && x != 0.0 {
                assert!(
                    same32(log1p_f32_fast::<F>(x), log1p_f32::<F>(x)),
                    "log1p({x:e})"
                );
            }
        }
    }
    let mut rng = Rng(11);
    check::<Unfused>(&mut rng);
    if paths().contains(&Path::Avx2) {
        // Fused kernels called from here lower mul_add to libm's fma: correct, just slow.
        check::<Fused>(&mut rng);
    }
}

/// Blocks holding special values (single ones, and runs of such blocks, which `map_choose`
/// takes with the full kernel throughout) change no other element's result, and the special
/// values come out right.
#[test]
fn exp_expm1_log1p_independent_of_neighbours() {
    let mut rng = Rng(5);
    let x: Vec<f64> = (0..6000).map(|_| rng.uniform(-3.0, 3.0)).collect();
    let specials = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -1.0,
        -0.0,
        0.0,
        800.0,
        -800.0,
        -720.0,
        50.0,
        1e305,
        -5.0,
    ];
    let mut mixed = x.clone();
    // One special in block 0, every block from 2 to 5 (a run), none after.
    mixed[100] = f64::NEG_INFINITY;
    for (k, i) in (1100..3000).step_by(97).enumerate() {
        mixed[i] = specials[k % specials.len()];
    }
    let mixed32: Vec<f32> = mixed.iter().map(|&v| v as f32).collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    for path in paths() {
        for op in [MathOp::Exp, MathOp::Expm1, MathOp::Log1p] {
            let (alone, together) = (run64(path, op, &x), run64(path, op, &mixed));
            let (alone32, together32) = (run32(path, op, &x32), run32(path, op, &mixed32));
            for i in 0..x.len() {
                if mixed[i].to_bits() == x[i].to_bits() {
                    assert!(same64(alone[i], together[i]), "{path:?} {op:?}({:e})", x[i]);
                    assert!(
                        same32(alone32[i], together32[i]),
                        "{path:?} {op:?}({:e})",
                        x[i]
                    );
                } else {
                    let want = reference(op, mixed[i]);
                    assert!(
                        same64(together[i], want) || ulp_f64(together[i], want) <= 1,
                        "{path:?} {op:?}({:e}) = {:e}, want {want:e}",
                        mixed[i],
                        together[i]
                    );
                    let want = reference(op, mixed32[i] as f64);
                    assert!(
                        same32(together32[i], want as f32) || ulp_f32(together32[i], want) <= 1.0,
                        "{path:?} {op:?}({:e}) = {:e}, want {want:e}",
                        mixed32[i],
                        together32[i]
                    );
                }
            }
        }
    }
}

#[test]
#[should_panic(expected = "lengths differ")]
fn length_mismatch_panics_f64() {
    apply_f64(MathOp::Exp, &[1.0, 2.0], &mut [0.0]);
}

#[test]
#[should_panic(expected = "lengths differ")]
fn length_mismatch_panics_f32() {
    apply_f32(MathOp::Sin, &[1.0], &mut [0.0, 0.0]);
}

/// Every f32 input (all 2^32 bit patterns) of the ops named in `RAPTORS_EXHAUSTIVE` (comma
/// separated, e.g. `tanh,expm1`; all seven if unset) on every supported path, graded
/// against the std f64 function. Half a minute to three minutes per op and path on two
/// cores (sin and cos longest: most bit patterns are huge arguments, reduced by the scalar
/// Payne-Hanek code); all seven ops on three paths took 21 minutes. So it only runs on
/// request: `cargo test --release -p raptors-core exhaustive -- --ignored --nocapture`.
/// Prints the worst error per op and path.
#[test]
#[ignore = "minutes long; run on request"]
fn exhaustive_f32() {
    use rayon::prelude::*;
    let wanted = std::env::var("RAPTORS_EXHAUSTIVE").unwrap_or_default();
    for op in OPS {
        let name = format!("{op:?}").to_lowercase();
        if !wanted.is_empty() && !wanted.split(',').any(|w| w.trim() == name) {
            continue;
        }
        // RAPTORS_EXHAUSTIVE_PATH=Avx512 (say) grades one path only.
        let only = std::env::var("RAPTORS_EXHAUSTIVE_PATH").unwrap_or_default();
        for path in paths() {
            if !only.is_empty() && format!("{path:?}") != only {
                continue;
            }
            let (e, at) = (0..1u64 << 16)
                .into_par_iter()
                .map(|hi| {
                    let x: Vec<f32> = (0..1u32 << 16)
                        .map(|lo| f32::from_bits((hi as u32) << 16 | lo))
                        .collect();
                    max_err32(path, op, &x)
                })
                .reduce(|| (0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
            println!("f32 {name} {path:?}: max {e:.3} ulp (at {at:e})");
            assert!(
                e <= MAX_ULP_F32,
                "f32 {name} on {path:?}: {e} ulp at {at:e}"
            );
        }
    }
}
