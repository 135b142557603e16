"""Zero-copy crossings: per-call time at 1e3 and 1e7 float64 elements, in one run.

A crossing that copies grows 10,000x between the two sizes; a zero-copy one stays flat.
NumPy's own equivalents are timed alongside for scale.
"""

from __future__ import annotations

import pickle
import platform
import timeit
from functools import partial

import numpy as np
import pyarrow as pa
import raptors as rp


def per_call(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main() -> None:
    print(f"machine: {platform.machine()}, numpy {np.__version__}, pyarrow {pa.__version__}")
    print(f"{'crossing':38s} {'1e3 us':>9s} {'1e7 us':>9s} {'growth':>7s}")
    f64 = {
        "numpy": lambda n: np.arange(n, dtype=np.float64),
        "raptors": lambda n: rp.arange(n, dtype=rp.float64),
    }
    cases = [
        ("rp.asarray(numpy)", rp.asarray, f64["numpy"]),
        ("np.asarray(raptors)", np.asarray, f64["raptors"]),
        ("np.from_dlpack(raptors)", np.from_dlpack, f64["raptors"]),
        ("rp.from_dlpack(numpy)", rp.from_dlpack, f64["numpy"]),
        ("pa.array(raptors)", pa.array, f64["raptors"]),
        ("rp.asarray(pyarrow)", rp.asarray, lambda n: pa.array(f64["numpy"](n))),
        ("pickle p5 out-of-band, raptors", _pickle_oob, f64["raptors"]),
        ("pickle p5 out-of-band, numpy", _pickle_oob, f64["numpy"]),
    ]
    for name, convert, make in cases:
        small = per_call(partial(convert, make(1_000)), 2_000)
        big = per_call(partial(convert, make(10_000_000)), 200)
        print(f"{name:38s} {small * 1e6:9.2f} {big * 1e6:9.2f} {big / small:7.2f}")


def _pickle_oob(x):
    bufs = []
    data = pickle.dumps(x, protocol=5, buffer_callback=bufs.append)
    return pickle.loads(data, buffers=bufs)


if __name__ == "__main__":
    main()
