"""The async engine: awaitable twins, the bounded FIFO queue, cancellation, timeouts, borrows
and stats. NumPy is the oracle for values; the event loop is plain asyncio (uvloop too when
installed)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import raptors as rp
from conftest import to_np
from test_ufunc_binary import assert_ulp

BIG = 1 << 17  # above the inline threshold: a real pool job
SLOW_N = 4_000_000  # tan of this many float64: tens of milliseconds on one thread


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def one_thread():
    """One compute thread, so one long job occupies the only running slot."""
    n = rp.get_num_threads()
    rp.set_num_threads(1)
    # A job cancelled by an earlier test may still be reaching its next chunk boundary.
    for _ in range(10_000):
        if rp.scheduler_stats()["running"] == 0:
            break
        time.sleep(0.001)
    yield
    rp.set_num_threads(n)
    rp.configure(max_queue=1024, on_full="wait")


def slow_input():
    return rp.linspace(0.0, 1.0, SLOW_N)


async def wait_until(pred, timeout=10.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not pred():
        assert loop.time() < end, "condition not reached"
        await asyncio.sleep(0.001)


# -- results ---------------------------------------------------------------------------------

BINARY = ["add", "subtract", "multiply", "divide", "maximum", "arctan2", "power", "less"]
TRANSCENDENTAL = {"arctan2", "power"}
UNARY = ["exp", "log1p", "sin", "tanh", "sqrt", "negative", "abs", "isnan"]


@pytest.mark.parametrize("n", [0, 7, BIG + 3])
@pytest.mark.parametrize("name", BINARY)
def test_binary_twins_match_numpy(name, n):
    rng = np.random.default_rng(n)
    x, y = rng.random(n) + 0.5, (rng.random(n) + 0.5).astype(np.float32)
    expected = getattr(np, name)(x, y)
    got = run(getattr(rp, name + "_async")(rp.asarray(x), rp.asarray(y)))
    assert isinstance(got, rp.ndarray)
    assert got.dtype == rp.dtype(expected.dtype.name)
    # The twin computes what the sync call does, bit for bit.
    np.testing.assert_array_equal(to_np(got), to_np(getattr(rp, name)(x, y)))
    if name in TRANSCENDENTAL:
        # NumPy's own arctan2/power differ by CPU (SVML on AVX-512): an ULP bound, not bits.
        assert_ulp(got, expected)
    else:
        np.testing.assert_array_equal(to_np(got), expected)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int16"])
@pytest.mark.parametrize("name", UNARY)
def test_unary_twins_match_the_sync_form(name, dtype):
    x = rp.asarray((np.arange(BIG + 5) % 97).astype(dtype))
    sync = getattr(rp, name)(x)
    got = run(getattr(rp, name + "_async")(x))
    np.testing.assert_array_equal(to_np(got), to_np(sync))
    assert got.dtype == sync.dtype


def test_weak_scalars_broadcasting_and_views():
    m = rp.asarray(np.arange(600 * 300, dtype=np.float32).reshape(600, 300))
    v = m[::-2, 1::3]
    got = run(rp.multiply_async(v, 2))
    np.testing.assert_array_equal(to_np(got), to_np(v) * np.float32(2))
    assert got.dtype == rp.float32
    row = rp.arange(300, dtype=rp.float32)
    np.testing.assert_array_equal(to_np(run(rp.add_async(m, row))), to_np(m) + to_np(row))
    assert run(rp.add_async(1, 2)) == 3
    # A comparison with an int beyond the dtype is known without computing.
    small = rp.zeros(BIG, dtype=rp.int8)
    assert to_np(run(rp.less_async(small, 1000))).all()


def test_small_jobs_complete_inline():
    before = rp.scheduler_stats()
    assert to_np(run(rp.add_async(rp.ones(8), rp.ones(8)))).tolist() == [2.0] * 8
    after = rp.scheduler_stats()
    assert after["inline"] == before["inline"] + 1
    assert after["completed"] == before["completed"] + 1


def test_out_is_filled_and_returned():
    x = rp.arange(BIG, dtype=rp.float64)
    out = rp.empty(BIG)
    got = run(rp.sqrt_async(x, out))
    assert got is out
    np.testing.assert_array_equal(to_np(out), np.sqrt(np.arange(BIG, dtype=np.float64)))
    # In place: the output is also the input.
    run(rp.add_async(out, 1.0, out=out))
    np.testing.assert_array_equal(to_np(out), np.sqrt(np.arange(BIG, dtype=np.float64)) + 1)


def test_methods_and_aliases():
    x = rp.arange(BIG, dtype=rp.int32)
    assert run(x.astype_async(rp.float32)).dtype == rp.float32
    c = run(x.copy_async(timeout=10))
    assert c.dtype == rp.int32 and to_np(c).tolist() == to_np(x).tolist()
    assert rp.pow_async is rp.power_async and rp.divide_async is rp.true_divide_async
    assert rp.abs_async is rp.absolute_async and rp.acos_async is rp.arccos_async


METHOD_TWINS = [
    ("sum", {"axis": 0}),
    ("prod", {"axis": 1, "dtype": "float64"}),
    ("mean", {}),
    ("var", {"axis": 0, "ddof": 1}),
    ("std", {"keepdims": True}),
    ("max", {"axis": 1}),
    ("min", {}),
    ("any", {"axis": 0}),
    ("all", {}),
    ("argmax", {"axis": 1}),
    ("argmin", {}),
    ("cumsum", {"axis": 1}),
    ("cumprod", {}),
    ("argsort", {"axis": 0}),
]


@pytest.mark.parametrize(("name", "kwargs"), METHOD_TWINS, ids=[m for m, _ in METHOD_TWINS])
def test_method_twins_match_the_sync_methods(name, kwargs):
    x = rp.asarray(np.random.default_rng(4).random((300, 700)) + 0.5)
    want = getattr(x, name)(**kwargs)
    got = run(getattr(x, name + "_async")(**kwargs, timeout=30))
    assert type(got) is type(want)  # a full reduction awaits to a Python scalar, as sync
    if isinstance(want, rp.ndarray):
        got, want = to_np(got), to_np(want)
    np.testing.assert_allclose(got, want, rtol=1e-12)


SELECT_TWINS = [
    ("clip", lambda x: ((x,), {"a_min": 0.8, "a_max": 1.2})),
    ("clip", lambda x: ((x, None, rp.full(700, 1.1)), {})),
    ("round", lambda x: ((x, 2), {})),
    ("nan_to_num", lambda x: ((rp.where(x > 1.4, rp.nan, x),), {"nan": -1.0})),
    ("where", lambda x: ((x > 1.0, x, -1), {})),
]


@pytest.mark.parametrize(("name", "args"), SELECT_TWINS, ids=[n for n, _ in SELECT_TWINS])
def test_select_twins_match_the_sync_form(name, args):
    x = rp.asarray(np.random.default_rng(5).random((300, 700)) + 0.5)
    a, kw = args(x)
    want = getattr(rp, name)(*a, **kw)
    got = run(getattr(rp, name + "_async")(*a, **kw, timeout=30))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(to_np(got), to_np(want))


def test_select_twins_out_and_in_place():
    x = rp.asarray(np.random.default_rng(6).random(BIG) * 10)
    out = rp.empty(BIG)
    assert run(rp.clip_async(x, 2, 8, out=out)) is out
    np.testing.assert_array_equal(to_np(out), np.clip(to_np(x), 2, 8))
    assert run(x.round_async(1, out=out)) is out
    np.testing.assert_array_equal(to_np(out), np.round(to_np(x), 1))
    np.testing.assert_array_equal(to_np(run(x.clip_async(max=3))), np.clip(to_np(x), None, 3))
    # nan_to_num(copy=False) writes into its argument, as the sync form does.
    y = rp.asarray(np.where(np.arange(BIG) % 3 == 0, np.nan, 1.0))
    assert run(rp.nan_to_num_async(y, copy=False, nan=7.0)) is y
    assert set(to_np(y).tolist()) == {1.0, 7.0}
    assert run(rp.around_async(x)).dtype == rp.float64
    with pytest.raises(ValueError):
        run(rp.clip_async(x, 1, 2, out=rp.empty(3)))
    with pytest.raises(ValueError):
        run(rp.where_async(rp.ones(3, dtype=rp.bool), rp.ones(4), 0))


@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"descending": True}])
def test_sort_async_sorts_in_place(kwargs):
    data = np.random.default_rng(7).random((400, 500))
    data[3, 7] = np.nan
    x = rp.asarray(data.copy())
    want = x.copy()
    want.sort(**kwargs)
    assert run(x.sort_async(**kwargs, timeout=30)) is None
    np.testing.assert_array_equal(to_np(x), to_np(want))


def test_sort_async_borrows_its_array_for_writing():
    x = rp.asarray(np.random.default_rng(8).random(SLOW_N))

    async def main():
        task = asyncio.ensure_future(x.sort_async())
        await asyncio.sleep(0)
        while rp.scheduler_stats()["running"] == 0 and not task.done():
            await asyncio.sleep(0.0005)
        if not task.done():
            with pytest.raises(BufferError):
                x[0] = 1.0
            with pytest.raises(BufferError):
                x.sum()
        await task

    run(main())
    got = to_np(x)
    assert (got[1:] >= got[:-1]).all()


# -- errors surface on await, with the sync form's exception --------------------------------


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: rp.add_async(rp.ones(BIG), rp.ones(BIG + 1)), ValueError),
        (lambda: rp.add_async(rp.ones(3), rp.ones(4)), ValueError),
        (lambda: rp.bitwise_and_async(rp.ones(BIG), rp.ones(BIG)), TypeError),
        (lambda: rp.add_async(rp.ones(BIG, dtype=rp.int8), 300), OverflowError),
        (lambda: rp.sqrt_async(rp.ones(BIG), out=rp.ones(3)), ValueError),
        (lambda: rp.add_async(rp.ones(3), "a"), TypeError),
        (lambda: rp.exp_async(rp.ones(BIG), timeout=-1), ValueError),
        (lambda: rp.ones(BIG).astype_async("complex128"), TypeError),
    ],
)
def test_argument_errors_raise_on_await(call, exc):
    async def main():
        aw = call()  # no exception yet
        with pytest.raises(exc):
            await aw

    run(main())


def test_twins_are_coroutines():
    x = rp.ones(BIG)
    coro = rp.exp_async(x)  # made outside any loop; starts when awaited
    assert asyncio.iscoroutine(coro)
    assert float(asyncio.run(coro)[0]) == pytest.approx(np.e)

    async def main():
        task = asyncio.create_task(rp.sqrt_async(x))
        return await task

    assert float(run(main())[0]) == 1.0


@pytest.mark.parametrize(
    ("shapes", "axis"),
    [
        ([(3,), (0,), (5,)], 0),
        ([(2, 3), (4, 3)], 0),
        ([(2, 3), (2, 1)], -1),
        ([(2, 3), (3,)], None),
        ([(BIG,), (BIG + 1,)], 0),
    ],
)
def test_concatenate_async_matches_numpy(shapes, axis):
    rng = np.random.default_rng(1)
    parts = [rng.standard_normal(s) for s in shapes]
    got = run(rp.concatenate_async([rp.asarray(p) for p in parts], axis=axis))
    np.testing.assert_array_equal(to_np(got), np.concatenate(parts, axis=axis))
    mixed = run(rp.concatenate_async([rp.arange(3, dtype=rp.int8), rp.ones(2)], dtype="float32"))
    assert mixed.dtype == rp.float32 and mixed.tolist() == [0, 1, 2, 1, 1]


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_stack_async_matches_numpy(axis):
    parts = [np.arange(6.0).reshape(2, 3) + k for k in range(4)]
    got = run(rp.stack_async([rp.asarray(p) for p in parts], axis=axis))
    np.testing.assert_array_equal(to_np(got), np.stack(parts, axis=axis))


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda: rp.concatenate_async([rp.ones((2, 3)), rp.ones((2, 4))]), ValueError),
        (lambda: rp.concatenate_async([rp.ones(3)], axis=1), rp.AxisError),
        (lambda: rp.concatenate_async([]), ValueError),
        (lambda: rp.stack_async([rp.ones(3), rp.ones(4)]), ValueError),
        (lambda: rp.stack_async([rp.ones(3)], dtype="nope"), TypeError),
        (lambda: rp.concatenate_async([rp.ones(3)], timeout=-1), ValueError),
    ],
)
def test_join_twins_raise_the_sync_errors_on_await(call, exc):
    coro = call()
    with pytest.raises(exc):
        run(coro)


def test_join_inputs_are_borrowed(one_thread):
    async def main():
        x = slow_input()
        hold = asyncio.ensure_future(rp.tan_async(x))  # keeps the only thread busy
        joined = asyncio.ensure_future(rp.concatenate_async([x, x]))
        await asyncio.sleep(0)
        with pytest.raises(BufferError):
            x[0] = 1.0
        await hold
        result = await joined
        assert result.shape == (2 * x.shape[0],)
        x[0] = 1.0  # both borrows ended with their jobs

    run(main())


@pytest.mark.parametrize(
    "obj",
    [
        [float(i) for i in range(200_000)],
        [[i, i + 1, i + 2] for i in range(50_000)],
        tuple((i % 3 == 0, float(i)) for i in range(40_000)),
        [True] * 30_000 + [2] * 30_000 + [2.5] * 30_000,  # pieces infer bool, int, float
        [[[1, 2], [3, 4]]] * 40_000,
        [1, 2, 3],
        [],
        5.0,
    ],
)
def test_array_async_equals_array(obj):
    want = rp.array(obj)
    got = run(rp.array_async(obj, chunk=4096))
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(to_np(got), to_np(want))


def test_array_async_dtype_and_arrays():
    xs = [i * 0.5 for i in range(20_000)]
    got = run(rp.array_async(xs, dtype="float32", chunk=1000))
    assert got.dtype == rp.float32 and got.tolist() == rp.array(xs, dtype="float32").tolist()
    n = np.arange(10.0)
    assert run(rp.array_async(n)).tolist() == n.tolist()


def test_array_async_yields_to_the_loop():
    ticks = 0

    async def ticker(stop):
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    async def main():
        stop = asyncio.Event()
        t = asyncio.create_task(ticker(stop))
        await asyncio.sleep(0)
        before = ticks
        out = await rp.array_async([float(i) for i in range(100_000)], chunk=1000)
        stop.set()
        await t
        return out, ticks - before

    out, during = run(main())
    assert out.shape == (100_000,)
    assert during >= 50  # the loop ran the ticker between the 100 pieces


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda: rp.array_async([[1, 2]] * 5000 + [[1, 2, 3]] * 5000, chunk=100), ValueError),
        (lambda: rp.array_async([1.0] * 10_000, dtype="nope", chunk=100), TypeError),
        (lambda: rp.array_async([1.0] * 10_000, timeout=0, chunk=100), TimeoutError),
    ],
)
def test_array_async_errors(call, exc):
    with pytest.raises(exc):
        run(call())


# -- borrows ---------------------------------------------------------------------------------


def test_inputs_are_borrowed_for_the_job(one_thread):
    async def main():
        x = slow_input()
        job = asyncio.ensure_future(rp.tan_async(x))
        await asyncio.sleep(0)
        with pytest.raises(BufferError):
            x[0] = 1.0
        with pytest.raises(BufferError):
            rp.add(x[:5], 1, out=x[:5])
        # Reading is fine.
        assert float(rp.add(x[:3], 0)[2]) == float(x[2])
        result = await job
        # The refused writes left the job's input, and so its result, intact.
        np.testing.assert_array_equal(to_np(result), to_np(rp.tan(x)))
        x[0] = 1.0  # the borrow ended with the job

    run(main())


async def job_writing_out():
    """(input, out, job): a slow tan job that has started writing into `out`."""
    x = slow_input()
    out = rp.empty(SLOW_N)
    job = asyncio.ensure_future(rp.tan_async(x, out=out))
    await asyncio.sleep(0)
    return x, out, job


def test_out_is_taken_for_the_job(one_thread):
    async def main():
        x, out, job = await job_writing_out()
        with pytest.raises(BufferError):
            out[0] = 1.0
        with pytest.raises(BufferError):
            rp.add(out[:3], 1)  # half-written: reading would race
        with pytest.raises(BufferError):
            await rp.exp_async(out)
        assert await job is out
        np.testing.assert_allclose(to_np(out), np.tan(to_np(x)), rtol=1e-14)

    run(main())


READS = {
    "index": lambda y: y[0],
    "slice": lambda y: y[:3],
    "fancy": lambda y: y[[0, 1]],
    "tolist": lambda y: y.tolist(),
    "item": lambda y: y.item(0),
    "copy": lambda y: y.copy(),
    "astype": lambda y: y.astype(rp.float32),
    "tobytes": lambda y: y.tobytes(),
    "iter": lambda y: next(iter(y)),
    "memoryview": lambda y: memoryview(y),
    "numpy": lambda y: np.asarray(y),
    "to_numpy": lambda y: y.to_numpy(),
    "dlpack": lambda y: y.__dlpack__(max_version=(1, 0)),
    "arrow": lambda y: y.__arrow_c_array__(),
    "ipc": lambda y: y.to_ipc(),
    "pickle": lambda y: __import__("pickle").dumps(y),
}


@pytest.mark.parametrize("name", sorted(READS))
def test_reading_out_while_a_job_writes_it_is_refused(one_thread, name):
    """Reads of an array whose buffer a job is filling would race with the job's writes."""

    async def main():
        _, out, job = await job_writing_out()
        with pytest.raises(BufferError):
            READS[name](out)
        assert "being written" in repr(out) and "being written" in str(out)
        await job
        READS[name](out)  # the write ended with the job
        assert "being written" not in repr(out)

    run(main())


# -- queue, cancellation, timeouts -----------------------------------------------------------


def test_queued_jobs_run_in_arrival_order(one_thread):
    async def main():
        blocker = asyncio.ensure_future(rp.tan_async(slow_input()))
        await asyncio.sleep(0)
        done = []
        x = rp.ones(BIG)

        async def job(i):
            await rp.add_async(x, i)
            done.append(i)

        tasks = [asyncio.ensure_future(job(i)) for i in range(12)]
        await asyncio.sleep(0)
        assert rp.scheduler_stats()["queued"] >= 12
        await asyncio.gather(blocker, *tasks)
        assert done == list(range(12))

    run(main())


def test_cancelling_a_queued_job_releases_it_at_once(one_thread):
    async def main():
        blocker = asyncio.ensure_future(rp.tan_async(slow_input()))
        x = rp.ones(BIG)
        before = rp.scheduler_stats()
        task = asyncio.ensure_future(rp.exp_async(x))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        x[0] = 5.0  # borrow released without waiting for the blocker
        after = rp.scheduler_stats()
        assert after["cancelled"] == before["cancelled"] + 1
        assert after["queued"] == 0
        await blocker

    run(main())


def test_cancelling_a_running_job_stops_it(one_thread):
    async def main():
        x = rp.linspace(0.0, 1.0, 8 * SLOW_N)
        loop = asyncio.get_running_loop()
        t = loop.time()
        await rp.tan_async(x)
        full = loop.time() - t
        before = rp.scheduler_stats()["cancelled"]
        t = loop.time()
        task = asyncio.ensure_future(rp.tan_async(x))
        await wait_until(lambda: rp.scheduler_stats()["running"] == 1)
        await asyncio.sleep(full / 20)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert rp.scheduler_stats()["cancelled"] == before + 1  # counted at the cancel
        # The job stops at its next chunk; then its borrow and slot are released.
        await wait_until(lambda: rp.scheduler_stats()["running"] == 0)
        stopped = loop.time() - t
        assert stopped < full / 2, (stopped, full)
        x[0] = 1.0

    run(main())


def test_timeout_raises_timeout_error(one_thread):
    async def main():
        x = slow_input()
        before = rp.scheduler_stats()["timed_out"]
        with pytest.raises(TimeoutError):
            await rp.tan_async(x, timeout=0.001)
        await wait_until(lambda: rp.scheduler_stats()["running"] == 0)
        assert rp.scheduler_stats()["timed_out"] == before + 1
        x[0] = 1.0
        # A generous timeout changes nothing.
        got = await rp.exp_async(rp.ones(BIG), timeout=60)
        assert float(got[0]) == pytest.approx(np.e)

    run(main())


def test_asyncio_timeout_cancels_the_job(one_thread):
    async def main():
        before = rp.scheduler_stats()["cancelled"]
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.001):
                await rp.tan_async(slow_input())
        await wait_until(lambda: rp.scheduler_stats()["cancelled"] == before + 1)

    run(main())


def test_reject_mode_raises_overloaded(one_thread):
    async def main():
        rp.configure(max_queue=2, on_full="reject")
        blocker = asyncio.ensure_future(rp.tan_async(slow_input()))
        await asyncio.sleep(0)
        x = rp.ones(BIG)
        queued = [asyncio.ensure_future(rp.exp_async(x)) for _ in range(2)]
        await asyncio.sleep(0)
        before = rp.scheduler_stats()["rejected"]
        with pytest.raises(rp.Overloaded):
            await rp.exp_async(x)
        assert rp.scheduler_stats()["rejected"] == before + 1
        await asyncio.gather(blocker, *queued)
        x[0] = 0.0  # the rejected job holds no borrow

    run(main())


def test_wait_mode_admits_in_order(one_thread):
    async def main():
        rp.configure(max_queue=1, on_full="wait")
        blocker = asyncio.ensure_future(rp.tan_async(slow_input()))
        await asyncio.sleep(0)
        x = rp.ones(BIG)
        tasks = [asyncio.ensure_future(rp.add_async(x, i)) for i in range(5)]
        await asyncio.sleep(0)
        stats = rp.scheduler_stats()
        assert (stats["queued"], stats["waiting"]) == (1, 4)
        results = await asyncio.gather(*tasks)
        assert [float(r[0]) for r in results] == [1.0, 2.0, 3.0, 4.0, 5.0]
        await blocker

    run(main())


def test_configure_validates():
    with pytest.raises(ValueError):
        rp.configure(on_full="drop")
    with pytest.raises(OverflowError):
        rp.configure(max_queue=-1)


def test_many_concurrent_jobs():
    async def main():
        xs = [rp.asarray(np.full(BIG, i, dtype=np.float32)) for i in range(64)]
        results = await asyncio.gather(*(rp.sqrt_async(x) for x in xs))
        for i, r in enumerate(results):
            assert float(r[BIG - 1]) == pytest.approx(np.sqrt(i))

    run(main())


def test_ten_thousand_concurrent_awaits():
    x = rp.ones(1 << 14, dtype=rp.float32)  # just above the inline threshold: pool jobs

    async def one(i):
        return float((await rp.add_async(x, i))[-1])

    async def main():
        return await asyncio.gather(*(one(i) for i in range(10_000)))

    assert run(main()) == [float(i + 1) for i in range(10_000)]
    assert rp.scheduler_stats()["running"] == 0


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_sequential_jobs_leave_memory_flat():
    small, pooled = rp.ones(64), rp.ones(1 << 14, dtype=rp.float32)

    async def main(n_small, n_pooled):
        for _ in range(n_small):
            await rp.exp_async(small)
        for _ in range(n_pooled):
            await rp.exp_async(pooled, timeout=10)

    run(main(5_000, 500))  # warm up allocators and caches
    before = rss_bytes()
    run(main(100_000, 5_000))
    grown = rss_bytes() - before
    assert grown < 16 << 20, f"RSS grew by {grown / 2**20:.1f} MiB"


def test_jobs_from_two_loops_in_two_threads():
    import threading

    results = {}

    def worker(k):
        async def main():
            x = rp.full(BIG, float(k))
            outs = await asyncio.gather(*(rp.multiply_async(x, i) for i in range(20)))
            return [float(o[0]) for o in outs]

        results[k] = asyncio.run(main())

    threads = [threading.Thread(target=worker, args=(k,)) for k in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {k: [float(k * i) for i in range(20)] for k in (1, 2)}


def test_stats_shape():
    run(rp.exp_async(rp.ones(BIG)))
    s = rp.scheduler_stats()
    for key in [
        "threads",
        "max_queue",
        "queued",
        "waiting",
        "running",
        "submitted",
        "completed",
        "inline",
        "cancelled",
        "timed_out",
        "rejected",
        "window",
        "buffer_cache_bytes",
    ]:
        assert isinstance(s[key], int) and s[key] >= 0, key
    assert s["on_full"] in ("wait", "reject")
    assert s["threads"] == rp.get_num_threads()
    for which in ("queue_wait", "run_time"):
        p = [s[f"{which}_p{q}"] for q in (50, 95, 99)]
        assert 0 <= p[0] <= p[1] <= p[2]
    assert s["window"] >= 1 and s["run_time_p99"] > 0


def test_threads_setting():
    n = rp.get_num_threads()
    try:
        rp.set_num_threads(3)
        assert rp.get_num_threads() == 3
        assert to_np(run(rp.exp_async(rp.zeros(BIG)))).sum() == BIG
        with pytest.raises(ValueError):
            rp.set_num_threads(0)
    finally:
        rp.set_num_threads(n)


# -- processes: environment, closed loops, uvloop --------------------------------------------


def python(code: str, **env: str | None) -> subprocess.CompletedProcess:
    """Runs `code` in a fresh interpreter with `env` on top of this one's environment; a
    variable given as None is removed."""
    merged = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=merged,
    )


# Prefix of the child programs that inspect the pool's threads: `threads()` lists the
# process's (tid, name) pairs; `settle(read, ok)` re-reads until `ok` holds, for up to 5 s.
# A worker is named when it is spawned but applies its priority and pinning only when it
# starts running, which may come after the first operation is done.
POOL_THREADS = """
        import os, time, raptors as rp

        def threads():
            me = os.getpid()
            for tid in sorted(os.listdir(f"/proc/{me}/task"), key=int):
                yield int(tid), open(f"/proc/{me}/task/{tid}/comm").read().strip()

        def settle(read, ok):
            deadline = time.monotonic() + 5
            found = read()
            while not ok(found) and time.monotonic() < deadline:
                time.sleep(0.01)
                found = read()
            return found
"""


def test_num_threads_from_the_environment():
    r = python("import raptors as rp; print(rp.get_num_threads())", RAPTORS_NUM_THREADS="3")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "3"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities are Linux's")
@pytest.mark.parametrize(
    "setting, policy, nice",
    [
        (None, "SCHED_BATCH", 10),
        ("0", "SCHED_OTHER", 0),
        ("3", "SCHED_BATCH", 3),
        ("99", "SCHED_BATCH", 19),
        ("idle", "SCHED_IDLE", 0),
    ],
)
def test_worker_priority_from_the_environment(setting, policy, nice):
    """``RAPTORS_WORKER_NICE`` sets every pool thread's policy and nice value; the calling
    thread keeps its own."""
    base = os.getpriority(os.PRIO_PROCESS, 0)
    want = [getattr(os, policy), min(base + nice, 19)]
    code = f"""
        rp.exp(rp.zeros(1 << 20))  # starts the pool
        me = os.getpid()

        def rows():
            return [
                ["main" if tid == me else "worker", os.sched_getscheduler(tid),
                 os.getpriority(os.PRIO_PROCESS, tid)]
                for tid, name in threads() if name.startswith("raptors-") or tid == me
            ]

        for r in settle(rows, lambda found: all(r[1:] == {want} for r in found[1:])):
            print(*r)
        """
    r = python(POOL_THREADS + code, RAPTORS_WORKER_NICE=setting)
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines()]
    assert rows[0] == ["main", str(os.SCHED_OTHER), str(base)]
    workers = rows[1:]
    assert len(workers) >= 1
    for _, got_policy, got_nice in workers:
        assert int(got_policy) == getattr(os, policy)
        assert int(got_nice) == min(base + nice, 19)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread affinity is Linux's")
@pytest.mark.parametrize("setting", [None, "0", "1"])
def test_worker_pinning_from_the_environment(setting):
    """``RAPTORS_PIN_WORKERS=1`` pins worker i to the i-th CPU the process may use; unset or
    ``0`` leaves every thread free. The calling thread is never pinned."""
    code = """
        rp.set_num_threads(3)
        rp.exp(rp.zeros(1 << 20))  # starts the pool

        def workers():
            return {
                name: sorted(os.sched_getaffinity(tid))
                for tid, name in threads() if name.startswith("raptors-")
            }

        pin = os.environ.get("RAPTORS_PIN_WORKERS") == "1"
        found = settle(
            workers,
            lambda f: len(f) == 3 and (not pin or all(len(c) == 1 for c in f.values())),
        )
        print(sorted(os.sched_getaffinity(0)))
        for name, cpus in found.items():
            print(name, cpus)
        """
    r = python(POOL_THREADS + code, RAPTORS_PIN_WORKERS=setting)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    allowed = eval(lines[0])  # the main thread's (unpinned) mask
    workers = {name: eval(cpus) for name, cpus in (line.split(" ", 1) for line in lines[1:])}
    assert sorted(workers) == ["raptors-0", "raptors-1", "raptors-2"]
    for name, cpus in workers.items():
        if setting == "1":
            assert cpus == [allowed[int(name.split("-")[1]) % len(allowed)]]
        else:
            assert cpus == allowed


def test_interpreter_exit_right_after_async_work_is_clean():
    """The completer thread may still be inside ``call_soon_threadsafe`` (GIL released while it
    writes the loop's wake-up byte) when the awaited result has already been used and the
    script ends. CPython terminates threads that take the GIL during finalization, which
    aborted the process (exit code 134) before the completer was stopped at exit."""
    code = """
        import asyncio, raptors as rp
        corpus = rp.ones((20_000, 384), dtype=rp.float32)
        async def main():
            s = await corpus.matmul_async(rp.ones(384, dtype=rp.float32))
            values, indices = await rp.topk_async(s, 10)
            return values.tolist()
        print(asyncio.run(main())[0])
        """
    for _ in range(8):
        r = python(code)
        assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
        assert r.stdout.strip() == "384.0"


def test_loop_closed_before_completion_is_harmless():
    r = python(
        """
        import asyncio, gc, raptors as rp
        x = rp.linspace(0, 1, 4_000_000)
        loop = asyncio.new_event_loop()
        fut = loop.run_until_complete(asyncio.sleep(0, rp.tan_async(x)))
        loop.close()  # the job is still running
        import time; time.sleep(0.5)
        del fut; gc.collect()
        x[0] = 1.0  # its borrow ended with the job
        print("ok", rp.scheduler_stats()["running"])
        """
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ok", "0"]


def test_warn_blocking():
    code = """
        import asyncio, warnings, raptors as rp
        x = rp.linspace(0, 1, 2_000_000)
        async def handler():
            return rp.tan(x)  # the offending line
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            asyncio.run(handler())
            rp.tan(x)  # no running loop: no warning
        for m in w:
            print(m.category.__name__, m.lineno, m.filename)
        """
    r = python(code, RAPTORS_WARN_BLOCKING="0.01")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["BlockingWarning", "5", "<string>"]
    r = python(code)
    assert r.returncode == 0 and r.stdout == ""


def test_uvloop():
    uvloop = pytest.importorskip("uvloop")

    async def main():
        x = rp.ones(BIG)
        assert float((await rp.exp_async(x))[0]) == pytest.approx(np.e)
        with pytest.raises(TimeoutError):
            await rp.tan_async(slow_input(), timeout=0.0001)

    uvloop.run(main())
