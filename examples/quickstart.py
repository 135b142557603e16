"""Raptors in one page: arrays, views that alias like NumPy, and the first awaitable call.

Run with `bash scripts/demo.sh` (sets up .venv and builds first).
"""

import asyncio
import time

import raptors as rp


def sync_tour() -> rp.ndarray:
    m = rp.arange(12, dtype=rp.float32).reshape(3, 4)
    print("m =", m.tolist(), m.dtype, m.shape, m.strides)
    row = m[0]  # a view: same buffer
    row[:] = 0
    print("after row[:] = 0 through a view, m[0] =", m[0].tolist())
    print("m.T[1:, ::-2] =", m.T[1:, ::-2].tolist())
    print("m[[2, 0]] (fancy indexing, a copy) =", m[[2, 0]].tolist())
    print("result_type(int8, uint8) =", rp.result_type(rp.int8, rp.uint8))
    return m


async def async_tour(m: rp.ndarray) -> None:
    big = rp.ones((2_000, 2_000), dtype=rp.float64)

    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    tick = asyncio.create_task(ticker())
    t0 = time.perf_counter()
    pending = big.astype_async(rp.float16)  # runs on Raptors' pool; the loop stays free
    try:
        big[0, 0] = 5.0  # the job reads `big`: writing now would race, so it is refused
    except BufferError as exc:
        print("write during the job ->", type(exc).__name__ + ":", exc)
    half = await pending
    elapsed = time.perf_counter() - t0
    tick.cancel()
    print(
        f"await big.astype_async(float16): {half.shape} {half.dtype} in {elapsed * 1e3:.1f} ms;"
        f" meanwhile a 1 ms ticker on the same loop ran {ticks} times"
    )
    big[0, 0] = 5.0  # allowed again once the job is done
    print("after the job, big[0, 0] =", big[0, 0], "; the converted copy keeps", half[0, 0])
    print("await m.copy_async() ->", (await m.copy_async()).tolist()[1])
    # Every ufunc has an awaitable twin; jobs queue FIFO and can time out or be cancelled.
    results = await asyncio.gather(*(rp.exp_async(big, timeout=5.0) for _ in range(8)))
    try:
        await rp.tan_async(big, timeout=1e-4)
    except TimeoutError:
        print("tan_async(big, timeout=0.1 ms) -> TimeoutError (the job was cancelled)")
    stats = rp.scheduler_stats()
    print(
        f"8 concurrent exp_async -> {results[0].dtype}; scheduler: {stats['threads']} threads, "
        f"{stats['completed']} completed, {stats['timed_out']} timed out, "
        f"run time p50 {stats['run_time_p50'] * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    m = sync_tour()
    asyncio.run(async_tour(m))
