"""TANH_PIECES of avx512.rs: float32 tanh as 16 degree-7 polynomials in ``t = |x| - n w``.

    python scripts/mathfit/fit_tanh_f32.py

Piece n (w = 0.6 rounded to float32) covers |t| <= w/2. ``c0`` is tanh(n w) rounded to
float32 and the other coefficients are fitted around it for the error relative to tanh
(piece 0: c0 = 0, c1 = 1). Prints each piece's error with float32 coefficients, then the
tables by power. Takes about a minute.
"""

import numpy as np
from mpmath import log, mpf, tanh
from remez import lsq, poly

DEG, PIECES = 7, 16
W = float(np.float32(0.6))
h = mpf(W) / 2 * mpf("1.002")


def f32(v):
    return float(np.float32(float(v)))


rows, worst = [], -100.0
for n in range(PIECES):
    c = mpf(n) * mpf(W)

    def w(t, c=c):
        return 1 / tanh(c + t)

    if n == 0:
        co = lsq(lambda t: tanh(t) - t, w, list(range(2, DEG + 1)), mpf("1e-4"), h)
        coef, lo = [0.0, 1.0] + [f32(x) for x in co], mpf("1e-6")
    else:
        c0 = f32(tanh(c))
        co = lsq(lambda t, c=c, c0=c0: tanh(c + t) - mpf(c0), w, list(range(1, DEG + 1)), -h, h)
        coef, lo = [c0] + [f32(x) for x in co], -h
    grid = [lo + (h - lo) * i / 3000 for i in range(3001)]
    err = max(abs(poly(coef, range(DEG + 1), t) / tanh(c + t) - 1) for t in grid)
    worst = max(worst, float(log(err, 2)))
    print(f"piece {n}: relative error 2^{float(log(err, 2)):.2f}")
    rows.append(coef)
print(f"worst 2^{worst:.2f}")
for k in range(DEG + 1):
    vals = [np.format_float_positional(np.float32(r[k]), unique=True, trim="-") for r in rows]
    print(f"// c{k}\n[" + ", ".join(v if "." in v else v + ".0" for v in vals) + "],")
