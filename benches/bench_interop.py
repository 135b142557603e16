"""Zero-copy crossings: per-call time at 1e3 and 1e7 float64 elements, in one run.

A crossing that copies grows 10,000x between the two sizes; a zero-copy one stays flat.
NumPy's own equivalents are timed alongside for scale.
"""

from __future__ import annotations

import pickle
import platform
import timeit

import numpy as np
import pyarrow as pa

import raptors as rp


def per_call(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main() -> None:
    print(f"machine: {platform.machine()}, numpy {np.__version__}, pyarrow {pa.__version__}")
    print(f"{'crossing':38s} {'1e3 us':>9s} {'1e7 us':>9s} {'growth':>7s}")
    for name, make in [
        ("rp.asarray(numpy)", lambda n: (lambda x=np.arange(n, dtype=np.float64): rp.asarray(x))),
        ("np.asarray(raptors)", lambda n: (lambda x=rp.arange(n, dtype=rp.float64): np.asarray(x))),
        ("np.from_dlpack(raptors)", lambda n: (lambda x=rp.arange(n, dtype=rp.float64): np.from_dlpack(x))),
        ("rp.from_dlpack(numpy)", lambda n: (lambda x=np.arange(n, dtype=np.float64): rp.from_dlpack(x))),
        ("pa.array(raptors)", lambda n: (lambda x=rp.arange(n, dtype=rp.float64): pa.array(x))),
        ("rp.asarray(pyarrow)", lambda n: (lambda x=pa.array(np.arange(n, dtype=np.float64)): rp.asarray(x))),
        ("pickle p5 out-of-band, raptors", lambda n: _pickle_oob(rp.arange(n, dtype=rp.float64))),
        ("pickle p5 out-of-band, numpy", lambda n: _pickle_oob(np.arange(n, dtype=np.float64))),
    ]:
        small, big = per_call(make(1_000), 2_000), per_call(make(10_000_000), 200)
        print(f"{name:38s} {small * 1e6:9.2f} {big * 1e6:9.2f} {big / small:7.2f}")


def _pickle_oob(x):
    def run():
        bufs = []
        data = pickle.dumps(x, protocol=5, buffer_callback=bufs.append)
        return pickle.loads(data, buffers=bufs)

    return run


if __name__ == "__main__":
    main()
