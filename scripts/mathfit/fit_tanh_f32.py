"""TANH_C / TANH_P of avx512/consts.rs: float32 tanh as 16 degree-5 polynomials on bins of |x|.

    python scripts/mathfit/fit_tanh_f32.py

The bin of ``a = |x|`` comes from the float bits of ``v = a + K`` (K = 0.625): exponent and top
two mantissa bits, so four bins per octave of v. In ``a`` that gives 3 bins of width 1/8 on
[0, 0.375), then 4 of 1/4, 4 of 1/2, 4 of 1 and one of 2 up to 9.375: narrow where tanh
bends, wide where it is flat. ``vpermps`` reads the low four bits of ``bits(v) >> 21``, which
are all distinct over the 16 bins; the tables are stored in that order.

Bin 0 is a polynomial in ``t = a`` with c0 = 0 and c1 = 1 (tiny and zero |x| come out
exactly); every other bin one in ``t = a - c`` around its centre ``c`` (exact: a and c are
within a factor of two), with c0 = tanh(c) rounded to float32 and the other coefficients
fitted for the error relative to tanh (least squares on Chebyshev points, reweighted towards
minimax). Prints each bin's error with float32 coefficients, then the tables. Takes seconds.
"""

import os

import numpy as np
from mpmath import log, mpf, tanh
from remez import lsq, poly

DEG, K, PER_OCTAVE, TOP = 5, 0.625, 4, 9.375
SLACK = mpf("1.002")
ITERS = int(os.environ.get("ITERS", "6"))


def f32(v):
    return float(np.float32(float(v)))


def bins():
    """(start, end) of each bin of a, in order of a."""
    out, v = [], K
    while v - K < TOP:
        w = 2.0 ** np.floor(np.log2(v)) / PER_OCTAVE
        out.append((v - K, v - K + w))
        v += w
    return out


def slot(start):
    """The vpermps index of the bin starting at a = start."""
    return (int(np.float32(start + K).view(np.uint32)) >> 21) & 15


rows, worst = {}, -100.0
for i, (s, e) in enumerate(bins()):
    s, e = mpf(s), mpf(e)
    if i == 0:
        c = mpf(0)
        co = lsq(
            lambda t: tanh(t) - t,
            lambda t: 1 / tanh(t),
            list(range(2, DEG + 1)),
            mpf("1e-4"),
            e * SLACK,
            iters=ITERS,
        )
        coef, lo, hi = [0.0, 1.0] + [f32(x) for x in co], mpf("1e-6"), e * SLACK
    else:
        c = (s + e) / 2
        h = (e - s) / 2 * SLACK
        c0 = f32(tanh(c))

        def w(t, c=c):
            return 1 / tanh(c + t)

        co = lsq(
            lambda t, c=c, c0=c0: tanh(c + t) - mpf(c0),
            w,
            list(range(1, DEG + 1)),
            -h,
            h,
            iters=ITERS,
        )
        coef, lo, hi = [c0] + [f32(x) for x in co], -h, h
    grid = [lo + (hi - lo) * j / 3000 for j in range(3001)]
    err = max(abs(poly(coef, range(DEG + 1), t) / tanh(c + t) - 1) for t in grid)
    worst = max(worst, float(log(err, 2)))
    print(f"bin {i} [{float(s)}, {float(e)}) slot {slot(float(s))}: 2^{float(log(err, 2)):.2f}")
    rows[slot(float(s))] = (f32(c), coef)
assert sorted(rows) == list(range(16))
print(f"worst 2^{worst:.2f}")


def fmt(v):
    return str(np.float32(v))


print("// centres\n[" + ", ".join(fmt(rows[j][0]) for j in range(16)) + "],")
for k in range(DEG + 1):
    print(f"// c{k}\n[" + ", ".join(fmt(rows[j][1][k]) for j in range(16)) + "],")
