"""Coefficients of the exp/expm1 polynomials ``expm1(r) ~= r + r^2 P(r)``.

    python scripts/mathfit/fit_exp.py generic   # EXPM1_P: degree 9 on |r| <= ln2/2 (exp.rs)
    python scripts/mathfit/fit_exp.py generic10  # EXPM1_P10: degree 10, for tanh (exp.rs)
    python scripts/mathfit/fit_exp.py table16   # EXP16_P: degree 4 on |r| <= ln2/32 (avx512/consts.rs)
    python scripts/mathfit/fit_exp.py table16_f32  # EXPM1_16_P_F32, EXP16_HI/LO_F32 (avx512/consts.rs)
    python scripts/mathfit/fit_exp.py table16_expm1  # EXPM1_16_P, EXP16_HI/LO (avx512/consts.rs)

Prints the coefficients rounded to double and their error relative to expm1 and to exp.
"""

import struct
import sys

from mpmath import exp, expm1, log, mp, mpf
from remez import max_err, remez


def f(r):
    return (expm1(r) - r) / r**2 if abs(r) > mpf(10) ** -15 else mpf(1) / 2 + r / 6 + r * r / 24


def rel_expm1(r):
    return abs(r**2 / expm1(r)) if r != 0 else mpf(0)


def rel_exp(r):
    return r**2 / exp(r)


if sys.argv[1:] == ["generic"]:  # absolute error of P: both relative errors stay small
    deg, h, w = 9, log(2) / 2 * mpf("1.001"), lambda r: mpf(1)
elif sys.argv[1:] == ["generic10"]:  # f64 tanh: error relative to expm1
    deg, h, w = 10, log(2) / 2, rel_expm1
elif sys.argv[1:] == ["table16"]:  # exp only: error relative to exp
    deg, h, w = 4, log(2) / 32 * mpf("1.002"), rel_exp
elif sys.argv[1:] == ["table16_f32"]:  # f32 expm1: error relative to expm1
    deg, h, w = 2, log(2) / 32 * mpf("1.002"), rel_expm1
elif sys.argv[1:] == ["table16_expm1"]:  # f64 expm1: error relative to expm1
    deg, h, w = 5, log(2) / 32 * mpf("1.002"), rel_expm1
else:
    sys.exit(__doc__)
f32 = sys.argv[1].endswith("_f32")
split = f32 or sys.argv[1] == "table16_expm1"


def rnd(v):
    return struct.unpack("f", struct.pack("f", float(v)))[0] if f32 else float(v)


if split:  # 2^(j/16) = T_HI + T_LO, T_HI a multiple of 2^-11 (f32) or 2^-27 (f64)
    t = [mpf(2) ** (mpf(j) / 16) for j in range(16)]
    q = 2**11 if f32 else 2**27
    hi = [float(mp.nint(v * q) / q) for v in t]
    lo = [rnd(v - h_) for v, h_ in zip(t, hi, strict=True)]
    err = max(abs((h_ + mpf(l_) - v) / v) for v, h_, l_ in zip(t, hi, lo, strict=True))
    print(f"T_HI: {hi}\nT_LO: {lo}\ntable error 2^{float(log(err, 2)):.2f}")
powers = list(range(deg + 1))
c = [rnd(x) for x in remez(f, w, powers, -h, h)]
for name, wt in (("expm1", rel_expm1), ("exp", rel_exp)):
    print(f"error relative to {name}: 2^{float(log(max_err(f, wt, powers, c, -h, h), 2)):.2f}")
print(",\n".join(repr(x) for x in c))
