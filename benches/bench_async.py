"""The async engine vs `asyncio.to_thread` with NumPy, in one run, ratios printed.

1. Round trip of a small op awaited from a coroutine: the dot of two 384-float32 vectors (one
   embedding) and a multiply of them, `await rp.dot_async(a, b)` vs `await
   asyncio.to_thread(np.dot, a, b)`; plus jobs large enough to go through the pool (2^17
   float64 add, sum of 1e5 float32) vs the same through to_thread.
2. Event-loop responsiveness: a 1 ms ticker's lateness (p50/p99/max) while 64 concurrent heavy
   jobs run (1024x1024 float32 matmul; exp of 1e6 float64), through Raptors and to_thread.
3. 64 concurrent identical jobs: p50 completion time and total throughput, both ways.

Run with OpenBLAS overrides unset for this command only:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benches/bench_async.py
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import time

import numpy as np
import raptors as rp


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


async def round_trip(fn, n=2000) -> float:
    for _ in range(50):
        await fn()
    best = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n // 5):
            await fn()
        best.append((time.perf_counter() - t) / (n // 5))
    return min(best)


async def ticker_lateness(work, period=0.001):
    """Runs `work()` while a ticker sleeps `period` repeatedly; returns lateness samples (s)."""
    late, stop = [], False

    async def tick():
        loop = asyncio.get_running_loop()
        while not stop:
            t = loop.time()
            await asyncio.sleep(period)
            late.append(loop.time() - t - period)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.05)
    late.clear()
    t0 = time.perf_counter()
    done_at = await work()
    elapsed = time.perf_counter() - t0
    stop = True
    await ticker
    return late, elapsed, done_at


async def concurrent(job, k=64):
    t0 = time.perf_counter()
    done_at = []

    async def one():
        await job()
        done_at.append(time.perf_counter() - t0)

    await asyncio.gather(*(one() for _ in range(k)))
    return done_at


async def main() -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, numpy {np.__version__}, "
        f"raptors threads {rp.get_num_threads()}"
    )
    rng = np.random.default_rng(0)
    a, b = rng.random(384, dtype=np.float32), rng.random(384, dtype=np.float32)
    ra, rb = rp.asarray(a), rp.asarray(b)
    big_n, big_r = np.ones(1 << 17), rp.ones(1 << 17)

    print("\n1. round trip of one awaited op (µs)")
    small_n, small_r = np.ones(100_000, np.float32), rp.ones(100_000, dtype=rp.float32)
    cases = [
        (
            "dot 384 f32",
            lambda: asyncio.to_thread(np.dot, a, b),
            lambda: rp.dot_async(ra, rb),
        ),
        (
            "sum 1e5 f32",
            lambda: asyncio.to_thread(np.sum, small_n),
            lambda: rp.sum_async(small_r),
        ),
        (
            "multiply 384 f32",
            lambda: asyncio.to_thread(np.multiply, a, b),
            lambda: rp.multiply_async(ra, rb),
        ),
        (
            "add 2^17 f64",
            lambda: asyncio.to_thread(np.add, big_n, big_n),
            lambda: rp.add_async(big_r, big_r),
        ),
    ]
    print(f"{'case':18s} {'to_thread':>10s} {'raptors':>10s} {'ratio':>6s}")
    for name, np_fn, rp_fn in cases:
        t_np = await round_trip(np_fn, 1000)
        t_rp = await round_trip(rp_fn, 1000)
        print(f"{name:18s} {t_np * 1e6:10.1f} {t_rp * 1e6:10.1f} {t_rp / t_np:6.2f}")

    x_n = rng.random(1_000_000)
    x_r = rp.asarray(x_n)
    m_n = rng.random((1024, 1024), dtype=np.float32)
    m_r = rp.asarray(m_n)
    heavy_cases = {
        "64 concurrent 1024x1024 float32 matmuls": {
            "to_thread": lambda: asyncio.to_thread(np.matmul, m_n, m_n),
            "raptors": lambda: rp.matmul_async(m_r, m_r),
        },
        "64 concurrent exp(1e6 float64) jobs": {
            "to_thread": lambda: asyncio.to_thread(np.exp, x_n),
            "raptors": lambda: rp.exp_async(x_r),
        },
    }
    for title, heavy in heavy_cases.items():
        print(f"\n2./3. {title}, 1 ms ticker running")
        print(
            f"{'backend':10s} {'tick p50 ms':>12s} {'tick p99 ms':>12s} {'tick max ms':>12s} "
            f"{'job p50 ms':>11s} {'total ms':>9s} {'jobs/s':>8s}"
        )
        results = {}
        for name, job in heavy.items():
            await concurrent(job, 8)  # warm up threads and buffers
            rounds = []
            for _ in range(3):
                late, elapsed, done_at = await ticker_lateness(lambda job=job: concurrent(job))
                rounds.append((late, elapsed, done_at))
            late = [x for r in rounds for x in r[0]]
            elapsed = statistics.median(r[1] for r in rounds)
            p50 = statistics.median(statistics.median(r[2]) for r in rounds)
            results[name] = (p50, elapsed)
            print(
                f"{name:10s} {pct(late, 50) * 1e3:12.2f} {pct(late, 99) * 1e3:12.2f} "
                f"{max(late) * 1e3:12.2f} {p50 * 1e3:11.1f} {elapsed * 1e3:9.1f} "
                f"{64 / elapsed:8.0f}"
            )
        (p_np, t_np), (p_rp, t_rp) = results["to_thread"], results["raptors"]
        print(f"ratios raptors/to_thread: job p50 {p_rp / p_np:.2f}, throughput {t_np / t_rp:.2f}x")
    print("\nscheduler_stats:", rp.scheduler_stats())


if __name__ == "__main__":
    asyncio.run(main())
