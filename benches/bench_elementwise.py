"""Elementwise kernels: Raptors vs NumPy (and numexpr when installed), one run, ratios printed.

Ratio = Raptors time / best competitor time (below 1.0: Raptors is faster). Sizes 1e3..1e7,
float32 and float64. Run with OpenBLAS overrides unset for this command only.
"""

from __future__ import annotations

import os
import platform
import timeit
from functools import partial

import numpy as np
import raptors as rp

try:
    import numexpr as ne
except ImportError:  # optional competitor
    ne = None

SIZES = [1_000, 100_000, 1_000_000, 10_000_000]


def per_call(fn, total_elems: int) -> float:
    number = max(3, min(2_000, 20_000_000 // total_elems))
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def cases(dtype):
    yield "add", (lambda x, y: np.add(x, y)), (lambda x, y: rp.add(x, y)), "x + y"
    yield "multiply", (lambda x, y: x * y), (lambda x, y: x * y), "x * y"
    yield (
        "maximum",
        (lambda x, y: np.maximum(x, y)),
        (lambda x, y: rp.maximum(x, y)),
        "where(x > y, x, y)",
    )
    for fn in ("exp", "log", "sin", "cos", "tanh", "expm1", "log1p"):
        yield (
            fn,
            (lambda x, y, f=fn: getattr(np, f)(x)),
            (lambda x, y, f=fn: getattr(rp, f)(x)),
            f"{fn}(x)",
        )


def main() -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}, numexpr {ne.__version__ if ne else 'absent'}"
    )
    print(
        f"{'op':9s} {'dtype':8s} {'n':>9s} {'numpy us':>10s} {'numexpr us':>11s} {'raptors us':>11s} {'ratio':>6s}"
    )
    for dtype in ("float32", "float64"):
        for n in SIZES:
            rng = np.random.default_rng(0)
            xn = (rng.random(n) + 0.5).astype(dtype)
            yn = (rng.random(n) + 0.5).astype(dtype)
            xr, yr = rp.asarray(xn), rp.asarray(yn)
            for name, np_fn, rp_fn, expr in cases(dtype):
                t_np = per_call(partial(np_fn, xn, yn), n)
                t_ne = (
                    per_call(partial(ne.evaluate, expr, local_dict={"x": xn, "y": yn}), n)
                    if ne
                    else float("nan")
                )
                t_rp = per_call(partial(rp_fn, xr, yr), n)
                best = min(t for t in (t_np, t_ne) if t == t)
                print(
                    f"{name:9s} {dtype:8s} {n:9d} {t_np * 1e6:10.1f} {t_ne * 1e6:11.1f} {t_rp * 1e6:11.1f} {t_rp / best:6.2f}"
                )


if __name__ == "__main__":
    main()
