"""Array construction from Python lists (a JSON request body), Raptors vs NumPy, one run.

Prints per-call times and the Raptors/NumPy ratio (< 1 means Raptors is faster).
Target (Foundation issue): a flat list of 384 floats in at most half of np.array's time.
"""

from __future__ import annotations

import platform
import random
import timeit

import numpy as np
import raptors as rp


def best_per_call(fn, number: int = 20_000, repeat: int = 7) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    rng = random.Random(0)
    floats = [rng.random() for _ in range(384)]
    ints = [rng.randint(-1000, 1000) for _ in range(384)]
    nested = [[rng.random() for _ in range(384)] for _ in range(16)]
    cases = [
        (
            "384 floats -> float64",
            lambda: np.array(floats, dtype=np.float64),
            lambda: rp.array(floats, dtype=rp.float64),
        ),
        (
            "384 floats -> float32",
            lambda: np.array(floats, dtype=np.float32),
            lambda: rp.array(floats, dtype=rp.float32),
        ),
        ("384 floats, dtype inferred", lambda: np.array(floats), lambda: rp.array(floats)),
        ("384 ints, dtype inferred", lambda: np.array(ints), lambda: rp.array(ints)),
        (
            "16 x 384 floats -> float32",
            lambda: np.array(nested, dtype=np.float32),
            lambda: rp.array(nested, dtype=rp.float32),
        ),
    ]
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, numpy {np.__version__}"
    )
    print(f"{'case':30s} {'numpy us':>10s} {'raptors us':>11s} {'ratio':>7s}")
    for name, np_fn, rp_fn in cases:
        number = 20_000 if "16 x" not in name else 2_000
        t_np = best_per_call(np_fn, number)
        t_rp = best_per_call(rp_fn, number)
        print(f"{name:30s} {t_np * 1e6:10.2f} {t_rp * 1e6:11.2f} {t_rp / t_np:7.2f}")


if __name__ == "__main__":
    main()
