"""Matrix products: Raptors' own packed GEMM and matrix-vector path vs NumPy (OpenBLAS).

One run, side by side, ratios printed (ratio = Raptors time / NumPy time; below 1.0 Raptors is
faster). OpenBLAS runs with as many threads as the Raptors pool (OPENBLAS_NUM_THREADS is set
before NumPy loads). Competitors are timed in interleaved rounds so a noisy spell on a shared
machine hits both alike; each figure is the best of its rounds.

- square float32/float64 products, n = 16 .. 2048, with GFLOP/s and, for the large ones, the
  share of the machine's floating-point peak measured in the same run (register-only FMA
  chains on every pool thread: `raptors._raptors._peak_flops`);
- batched 64 x (128x128) and tall-skinny 100000x384 products;
- matrix-vector products (4096x4096 @ 4096, the similarity scan 100000x384 @ 384) as a share
  of the read bandwidth measured in the same interleaved rounds as each row (the faster of an
  all-core NumPy sum in threads and `rp.sum` over 256 MB), and the float16 scan against
  NumPy's float32 scan.

Run with OpenBLAS overrides unset for this command only:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benches/bench_linalg.py
"""

from __future__ import annotations

import os
import platform
import sys
import time
import timeit
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import raptors as rp
from raptors import _raptors

THREADS = rp.get_num_threads()
os.environ["OPENBLAS_NUM_THREADS"] = str(THREADS)  # before NumPy loads OpenBLAS

import numpy as np  # noqa: E402

# OpenBLAS's threads keep spinning for about 2^28 cycles (tens of milliseconds) after each
# call, holding the cores: a Raptors product timed right after a NumPy one ran up to 1.7x
# slower (512x512 float32: 2.48 ms against 1.42-1.50 ms alone). Each timing block therefore
# starts after a pause longer than that spin.
SETTLE = 0.15


def best_each(fns, flops_or_bytes: float, rounds: int = 5) -> list[float]:
    """Best per-call time of each function over interleaved rounds, each block of calls
    started after `SETTLE` seconds of quiet."""
    t0 = min(timeit.repeat(fns[0], number=1, repeat=2))
    number = max(1, min(5_000, int(0.05 / max(t0, 1e-7))))
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            time.sleep(SETTLE)
            best[i] = min(best[i], min(timeit.repeat(fn, number=number, repeat=2)) / number)
    return best


class ReadProbe:
    """The read-bandwidth probe: the faster of an all-core NumPy sum in threads and `rp.sum`
    over 256 MB. The machine's memory speed drifts within a run (this VM has read 34-61 GB/s
    on the same probe), so each matrix-vector row times the probe in its own interleaved
    rounds, with its competitors, and is measured against that."""

    def __init__(self, pool: ThreadPoolExecutor, k: int) -> None:
        self.x = np.ones(64 << 20, dtype=np.float32)
        parts = np.array_split(self.x, k)

        def np_sum() -> None:
            list(pool.map(np.sum, parts))

        self.fns = [np_sum, partial(rp.sum, rp.asarray(self.x))]

    def bandwidth(self, times: list[float]) -> float:
        return self.x.nbytes / min(times)


def header(*cols: str) -> None:
    print("  ".join(f"{c:>12s}" for c in cols))


def line(*cells) -> None:
    out = []
    for c in cells:
        out.append(f"{c:>12.3f}" if isinstance(c, float) else f"{c!s:>12s}")
    print("  ".join(out))


def square(peaks: dict[str, float]) -> None:
    print("\n== square C = A @ B ==")
    header("dtype", "n", "numpy us", "raptors us", "ratio", "np GFLOP/s", "rp GFLOP/s", "rp % peak")
    for dtype in ("float32", "float64"):
        for n in (16, 32, 48, 64, 128, 256, 512, 1024, 2048):
            rng = np.random.default_rng(n)
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            ar, br = rp.asarray(a), rp.asarray(b)
            flops = 2.0 * n**3
            t_np, t_rp = best_each([partial(np.matmul, a, b), partial(rp.matmul, ar, br)], flops)
            share = f"{flops / t_rp / peaks[dtype]:.0%}" if n >= 256 else ""
            line(
                dtype,
                str(n),
                t_np * 1e6,
                t_rp * 1e6,
                t_rp / t_np,
                flops / t_np / 1e9,
                flops / t_rp / 1e9,
                share,
            )


def shaped() -> None:
    print("\n== batched and tall-skinny ==")
    header("case", "dtype", "numpy ms", "raptors ms", "ratio", "rp GFLOP/s")
    rng = np.random.default_rng(7)
    cases = [
        ("64x128x128", (64, 128, 128), (64, 128, 128)),
        ("1e5x384@384", (100_000, 384), (384, 384)),
        ("1e5x384@16", (100_000, 384), (384, 16)),
    ]
    for dtype in ("float32", "float64"):
        for name, sa, sb in cases:
            a = rng.standard_normal(sa).astype(dtype)
            b = rng.standard_normal(sb).astype(dtype)
            ar, br = rp.asarray(a), rp.asarray(b)
            flops = 2.0 * np.prod(sa) * sb[-1]
            t_np, t_rp = best_each([partial(np.matmul, a, b), partial(rp.matmul, ar, br)], flops)
            line(name, dtype, t_np * 1e3, t_rp * 1e3, t_rp / t_np, flops / t_rp / 1e9)
    # Integer products have no BLAS in NumPy: its own loop is the competitor.
    a = rng.integers(-100, 100, (256, 256)).astype(np.int32)
    ar = rp.asarray(a)
    t_np, t_rp = best_each([partial(np.matmul, a, a), partial(rp.matmul, ar, ar)], 2.0 * 256**3)
    line("256^3", "int32", t_np * 1e3, t_rp * 1e3, t_rp / t_np, 2.0 * 256**3 / t_rp / 1e9)


def matvec(probe: ReadProbe) -> None:
    print("\n== matrix-vector (bandwidth bound) ==")
    header("case", "dtype", "numpy ms", "raptors ms", "ratio", "rp GB/s", "read GB/s", "% read bw")
    rng = np.random.default_rng(3)
    times = {}
    for name, shape in (("4096^2@4096", (4096, 4096)), ("scan 1e5x384", (100_000, 384))):
        for dtype in ("float32", "float64", "float16"):
            a = rng.standard_normal(shape).astype(dtype)
            x = rng.standard_normal(shape[1]).astype(dtype)
            ar, xr = rp.asarray(a), rp.asarray(x)
            fns = [partial(np.matmul, a, x), partial(rp.matmul, ar, xr), *probe.fns]
            t_np, t_rp, *t_probe = best_each(fns, a.nbytes)
            bandwidth = probe.bandwidth(t_probe)
            times[name, dtype] = (t_np, t_rp)
            line(
                name,
                dtype,
                t_np * 1e3,
                t_rp * 1e3,
                t_rp / t_np,
                a.nbytes / t_rp / 1e9,
                bandwidth / 1e9,
                f"{a.nbytes / t_rp / bandwidth:.0%}",
            )
    t16 = times["scan 1e5x384", "float16"][1]
    t32_np = times["scan 1e5x384", "float32"][0]
    print(f"float16 scan (raptors) vs float32 scan (numpy): {t32_np / t16:.2f}x faster")


def main() -> None:
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs; "
        f"numpy {np.__version__}; python {sys.version.split()[0]}; "
        f"threads: raptors {THREADS}, OpenBLAS {os.environ['OPENBLAS_NUM_THREADS']}"
    )
    peaks = {
        "float32": _raptors._peak_flops(False, THREADS, 1.0),
        "float64": _raptors._peak_flops(True, THREADS, 1.0),
    }
    print(
        f"measured peak: float32 {peaks['float32'] / 1e9:.1f} GFLOP/s, "
        f"float64 {peaks['float64'] / 1e9:.1f} GFLOP/s"
    )
    square(peaks)
    shaped()
    k = os.cpu_count() or 1
    with ThreadPoolExecutor(k) as pool:
        matvec(ReadProbe(pool, k))


if __name__ == "__main__":
    main()
