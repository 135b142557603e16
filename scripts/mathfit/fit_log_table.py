"""LOG16 tables of avx512/consts.rs: ``log(z) = log(c) + log1p(z/c - 1)`` with 16 table entries.

    python scripts/mathfit/fit_log_table.py f32 DEG   # LOG16_F32 (invc, logc), LOG16_P_F32
    python scripts/mathfit/fit_log_table.py f64 DEG   # LOG16_F64 (invc, logc), LOG16_P_F64

``x = 2^k z`` with ``z`` in ``[OFF, 2 OFF)``, ``OFF = 0x1.66p-1`` (0.69921875), split into 16
bins by the top four mantissa bits of ``bits(x) - bits(OFF)``; bin ``j`` holds ``invc ~= 1 /
c`` (c near the bin's centre, the bin of 1 has ``invc = 1``) and ``logc = -log(invc)``
rounded. Each ``invc`` is searched among nearby floats with few mantissa bits for one whose
``logc`` rounds with an error below a tiny fraction of an ulp, so that the table adds
(almost) no error of its own (Tang's trick). Then ``log1p(r) ~= r + r^2 P(r)`` is fitted on
the union of the bins' ranges of ``r = z invc - 1`` for the error relative to ``log1p(r)``.
Prints the tables and coefficients as Rust literals and the errors.
"""

import struct
import sys

from mpmath import log, log1p, mp, mpf
from remez import max_err, remez

mp.dps = 50
if len(sys.argv) != 3 or sys.argv[1] not in ("f32", "f64"):
    sys.exit(__doc__)
F32 = sys.argv[1] == "f32"
DEG = int(sys.argv[2])
MANT = 23 if F32 else 52
OFF = mpf("0.69921875")


def rnd(v):
    """Round to the target precision (f32 through struct, f64 by float())."""
    return struct.unpack("f", struct.pack("f", float(v)))[0] if F32 else float(v)


def ulp(v):
    e = mp.floor(log(abs(mpf(v)), 2))
    return mpf(2) ** (e - MANT)


def lit(v):
    s = repr(v)
    if F32:
        import numpy as np  # only for the shortest float32 repr

        s = np.format_float_positional(np.float32(v), unique=True, trim="-")
    return s if any(ch in s for ch in ".e") else s + ".0"


T1 = (1 - OFF) * 2 ** (MANT + 1)  # ulps from OFF up to 1


def z_of(t):
    """The float `t` ulps above OFF: an ulp is 2^-(MANT+1) below 1 and 2^-MANT above."""
    t = mpf(t)
    return OFF + t * mpf(2) ** -(MANT + 1) if t <= T1 else 1 + (t - T1) * mpf(2) ** -MANT


invc_t, logc_t, rlo, rhi = [], [], mpf(0), mpf(0)
for j in range(16):
    lo_bits = j * 2 ** (MANT - 4)  # bin j starts j 2^(MANT-4) ulps above OFF
    a, b = z_of(lo_bits), z_of(lo_bits + 2 ** (MANT - 4))
    if a <= 1 < b:
        invc, logc = 1.0, 0.0
    else:
        centre = 2 / (a + b)
        best = None
        for bits in range(8, 20):  # invc with `bits` significant bits
            q = mpf(2) ** (mp.floor(log(centre, 2)) - bits + 1)
            for d in range(-40, 41):
                cand = (mp.nint(centre / q) + d) * q
                width = max(abs(a * cand - 1), abs(b * cand - 1))
                if width > (b - a) / (a + b) * mpf("1.03"):
                    continue
                lc = -log(cand)
                e = abs(mpf(rnd(lc)) - lc) / ulp(rnd(lc))
                if best is None or e < best[0]:
                    best = (e, float(cand), rnd(lc))
            if best is not None and best[0] < mpf("0.002"):
                break
        _, invc, logc = best
    invc_t.append(invc)
    logc_t.append(logc)
    rlo, rhi = min(rlo, a * mpf(invc) - 1), max(rhi, b * mpf(invc) - 1)
    err = abs(mpf(logc) + log(mpf(invc))) / ulp(logc) if logc else 0
    print(
        f"bin {j:2d}: z in [{float(a):.6f}, {float(b):.6f}) invc {invc!r} logc err {float(err):.4f} ulp"
    )
print(f"r in [{float(rlo):.6f}, {float(rhi):.6f}]")


def f(r):
    return (log1p(r) - r) / r**2 if abs(r) > mpf(10) ** -20 else -mpf(1) / 2 + r / 3


def w(r):
    return abs(r**2 / log1p(r)) if r != 0 else mpf(0)


powers = list(range(DEG + 1))
lo, hi = rlo * mpf("1.001"), rhi * mpf("1.001")
c = [rnd(x) for x in remez(f, w, powers, lo, hi)]
print(
    f"P degree {DEG}: error relative to log1p(r) 2^{float(log(max_err(f, w, powers, c, lo, hi), 2)):.2f}"
)
print("invc: [" + ", ".join(lit(v) for v in invc_t) + "]")
print("logc: [" + ", ".join(lit(v) for v in logc_t) + "]")
print("P: [" + ", ".join(lit(v) for v in c) + "]")
