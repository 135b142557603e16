"""Elementwise kernels: Raptors vs NumPy (and numexpr when installed), one run, ratios printed.

Ratio = Raptors time / best competitor time (below 1.0: Raptors is faster); "vs np" is
Raptors time / NumPy time, the measure of issue 4's 3x target for transcendentals. Sizes 1e3..1e7,
float32 and float64, plus 10-element per-call overhead and a broadcast row add on 4096x4096.
Memory-bound rows at 1e7 also print "bw%": bytes read + written per second as a share of the
machine's copy bandwidth, measured in the same interleaved rounds as that row (the machine's
speed drifts within a run) as the best of two parallel copies of 1e7 float64 into a
preallocated, already-touched destination: one NumPy copy per core in threads (NumPy releases
the GIL while copying) and Raptors' own `positive(src, out=dst)`; the header prints the
probe once, alone. "copy GB/s" is that row's copy bandwidth.
Transcendental rows at 1e6 and 1e7 print it too: issue 4 asks for 3x NumPy there "or 85% of
bandwidth where that comes first".
A last section prints median (not best) per-call ratios of add and multiply at 4e4-5e5
elements, where the split across threads starts. Run with OpenBLAS overrides unset for this
command only.
"""

from __future__ import annotations

import os
import platform
import timeit
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import raptors as rp

try:
    import numexpr as ne
except ImportError:  # optional competitor
    ne = None

SIZES = [1_000, 100_000, 1_000_000, 10_000_000]


def per_call_each(fns, total_elems: int, rounds: int = 7) -> list[float]:
    """Best per-call time of each function, timed in interleaved rounds so that a noisy spell
    on a shared machine hits every competitor alike."""
    number = max(3, min(2_000, 20_000_000 // total_elems))
    rounds = rounds if total_elems <= 1_000_000 else 3
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], min(timeit.repeat(fn, number=number, repeat=2)) / number)
    return best


MEMORY_BOUND = {"add", "multiply", "maximum", "row add"}


class CopyProbe:
    """The copy-bandwidth probe: the two copies, timed with the functions of a row."""

    def __init__(self, pool: ThreadPoolExecutor, k: int) -> None:
        n = 10_000_000
        src, dst = np.ones(n), np.zeros(n)
        bounds = [(i * n // k, (i + 1) * n // k) for i in range(k)]

        def copy() -> None:
            list(pool.map(lambda b: np.copyto(dst[b[0] : b[1]], src[b[0] : b[1]]), bounds))

        self.n, self.nbytes = n, 2 * src.nbytes
        self.fns = [copy, partial(rp.positive, rp.asarray(src), out=rp.zeros(n))]

    def bandwidth(self, times: list[float]) -> float:
        """Bytes read + written per second by the faster copy."""
        return self.nbytes / min(times)


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


def row(name, dtype, n, t_np, t_ne, t_rp, nbytes=None, bandwidth=None) -> None:
    best = min(t for t in (t_np, t_ne) if t == t)
    bw = f"{nbytes / t_rp / bandwidth:6.0%} {bandwidth / 1e9:9.1f}" if nbytes else ""
    print(
        f"{name:9s} {dtype:8s} {n:9d} {t_np * 1e6:10.2f} {t_ne * 1e6:11.2f} "
        f"{t_rp * 1e6:11.2f} {t_rp / best:6.2f} {t_rp / t_np:6.2f} {bw}"
    )


def timed_row(name, dtype, n, fns, nbytes, probe: CopyProbe) -> None:
    """Times NumPy, Raptors (and numexpr) with, where `nbytes` is set, the copy probe in the
    same rounds, and prints the row."""
    extra = probe.fns if nbytes else []
    t_np, t_rp, *rest = per_call_each(fns + extra, n)
    t_ne = rest[0] if len(fns) == 3 else float("nan")
    bandwidth = probe.bandwidth(rest[-2:]) if nbytes else None
    row(name, dtype, n, t_np, t_ne, t_rp, nbytes, bandwidth)


def main() -> None:
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs, "
        f"numpy {np.__version__}, numexpr {ne.__version__ if ne else 'absent'}, "
        f"raptors threads {rp.get_num_threads() if hasattr(rp, 'get_num_threads') else '?'}"
    )
    cpus = os.cpu_count() or 1
    with ThreadPoolExecutor(cpus) as pool:
        probe = CopyProbe(pool, cpus)
        t_copy = per_call_each(probe.fns, probe.n, rounds=5)
        print(
            f"copy 1e7 float64: numpy threads {t_copy[0] * 1e3:.2f} ms, raptors {t_copy[1] * 1e3:.2f} ms"
        )
        print(f"copy bandwidth (all cores, read + write): {probe.bandwidth(t_copy) / 1e9:.1f} GB/s")
        print(
            f"{'op':9s} {'dtype':8s} {'n':>9s} {'numpy us':>10s} {'numexpr us':>11s} "
            f"{'raptors us':>11s} {'ratio':>6s} {'vs np':>6s} {'bw%':>6s} {'copy GB/s':>9s}"
        )
        rows(probe)


def rows(probe: CopyProbe) -> None:
    """Every size and op of both float types, then the broadcast row add."""
    for dtype in ("float32", "float64"):
        for n in [10, *SIZES]:
            rng = np.random.default_rng(0)
            xn = (rng.random(n) + 0.5).astype(dtype)
            yn = (rng.random(n) + 0.5).astype(dtype)
            xr, yr = rp.asarray(xn), rp.asarray(yn)
            for name, np_fn, rp_fn, expr in cases(dtype):
                fns = [partial(np_fn, xn, yn), partial(rp_fn, xr, yr)]
                if ne:
                    fns.append(partial(ne.evaluate, expr, local_dict={"x": xn, "y": yn}))
                if name in MEMORY_BOUND:
                    nbytes = 3 * xn.nbytes if n >= 10**7 else None
                else:  # transcendentals: "3x NumPy or 85% of bandwidth" at 1e6 and 1e7
                    nbytes = 2 * xn.nbytes if n >= 10**6 else None
                timed_row(name, dtype, n, fns, nbytes, probe)
        # Broadcast row add: (4096, 4096) + (4096,), no broadcast copy materialised.
        m = np.random.default_rng(1).random((4096, 4096)).astype(dtype)
        v = np.random.default_rng(2).random(4096).astype(dtype)
        mr, vr = rp.asarray(m), rp.asarray(v)
        fns = [partial(np.add, m, v), partial(rp.add, mr, vr)]
        if ne:
            fns.append(partial(ne.evaluate, "m + v", local_dict={"m": m, "v": v}))
        timed_row("row add", dtype, m.size, fns, 2 * m.nbytes, probe)


MEDIAN_SIZES = [40_000, 70_000, 100_000, 200_000, 500_000]


def median_per_call_each(fns, n: int, rounds: int = 41) -> list[float]:
    """Median per-call time of each function over interleaved rounds of a few calls: at the
    sizes where work is split across threads, the hand-off to a pool thread decides the typical
    call, which best-of times hide."""
    number = max(5, 2_000_000 // n)
    times = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            times[i].append(timeit.timeit(fn, number=number) / number)
    return [sorted(t)[len(t) // 2] for t in times]


def medians() -> None:
    """Median-of-rounds ratios at mid sizes, where the parallel split starts."""
    print("\nmedian per call at mid sizes (41 interleaved rounds)")
    print(
        f"{'op':9s} {'dtype':8s} {'n':>9s} {'numpy us':>10s} {'numexpr us':>11s} "
        f"{'raptors us':>11s} {'ratio':>6s}"
    )
    for dtype in ("float32", "float64"):
        for n in MEDIAN_SIZES:
            rng = np.random.default_rng(0)
            xn = (rng.random(n) + 0.5).astype(dtype)
            yn = (rng.random(n) + 0.5).astype(dtype)
            xr, yr = rp.asarray(xn), rp.asarray(yn)
            for name, np_fn, rp_fn, expr in list(cases(dtype))[:2]:
                fns = [partial(np_fn, xn, yn), partial(rp_fn, xr, yr)]
                if ne:
                    fns.append(partial(ne.evaluate, expr, local_dict={"x": xn, "y": yn}))
                t_np, t_rp, *t_ne = median_per_call_each(fns, n)
                row(name, dtype, n, t_np, t_ne[0] if t_ne else float("nan"), t_rp)


if __name__ == "__main__":
    main()
    medians()
