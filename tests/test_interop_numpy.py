"""NumPy interop: zero-copy import (``rp.asarray``), zero-copy export (``np.asarray``,
``__array__``, ``to_numpy``, the buffer protocol) and how exports interact with async jobs.

The helpers from ``conftest`` build Raptors arrays from nested lists (``from_np``) and read
them back through ``tolist()`` (``to_np``), so every check here tests the interop path against
an independent one.
"""

from __future__ import annotations

import asyncio
import gc
import os

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    all_dtypes,
    assert_same,
    assert_strides,
    from_np,
    other_value,
    rp_dtype,
    sample,
    shares_memory,
    to_np,
    view_pairs,
)
from hypothesis import given

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def churn(dtype: str, nbytes: int) -> list[np.ndarray]:
    """Allocate (and fill) memory so that freed buffers are likely to be reused."""
    return [np.full(max(nbytes, 1), 0xAB, dtype=np.uint8) for _ in range(8)]


def normalized_format(fmt: str) -> np.dtype:
    return np.dtype(fmt.lstrip("@=<"))


#: views of a (4, 5) array, applied identically to NumPy and Raptors.
VIEWS = {
    "full": (slice(None),),
    "reversed": (slice(None, None, -1),),
    "step": (slice(None, None, 2), slice(None, None, -3)),
    "column": (slice(None), 1),
    "row_reversed": (2, slice(None, None, -1)),
    "zero_d": (1, 2, Ellipsis),
    "empty": (slice(0, 0),),
    "newaxis": (slice(1, 3), None, slice(None, None, 2)),
}

VIEW_IDS = list(VIEWS)

views = pytest.mark.parametrize("view", VIEW_IDS)


# --------------------------------------------------------------------------------------------
# rp.asarray(numpy) shares memory, rp.array(numpy) copies
# --------------------------------------------------------------------------------------------


@all_dtypes
@views
def test_asarray_numpy_shares_memory_for_views(dtype, view):
    base = sample(dtype, (4, 5))
    n = base[VIEWS[view]]
    r = rp.asarray(n)
    assert isinstance(r, rp.ndarray)
    assert_same(r, n)
    assert_strides(r, n)
    if n.size:
        assert shares_memory(r, n)
        # a write through NumPy is seen by Raptors and the other way around
        idx = (0,) * n.ndim
        new = other_value(dtype, n[idx])
        n[idx] = new
        assert r[idx] == n[idx].item()
        r[idx] = other_value(dtype, new)
        assert n[idx].item() == r[idx]


@all_dtypes
def test_asarray_numpy_keeps_exact_strides(dtype):
    base = sample(dtype, (3, 4, 5))
    for n in (base[::-1, ::2, ::-3], base.transpose(2, 0, 1), base[:, 1:3, :][..., ::-1]):
        r = rp.asarray(n)
        assert r.strides == n.strides
        assert r.data_ptr == n.ctypes.data
        assert_same(r, n)


@all_dtypes
def test_asarray_numpy_zero_d_shares_memory(dtype):
    n = np.array(sample(dtype, (3,))[1])
    assert n.ndim == 0
    r = rp.asarray(n)
    assert r.shape == ()
    assert r.dtype == rp_dtype(dtype)
    assert shares_memory(r, n)
    assert_same(r, n)


@all_dtypes
def test_asarray_numpy_keeps_owner_alive(dtype):
    n = sample(dtype, (50, 40))
    expected = n.copy()
    r = rp.asarray(n[::2, ::-1])
    expected = expected[::2, ::-1]
    del n
    gc.collect()
    junk = churn(dtype, expected.nbytes)
    assert_same(r, expected)
    del junk


@given(view_pairs())
def test_asarray_numpy_views_hypothesis(pair):
    nv, _, _, _ = pair
    r = rp.asarray(nv)
    assert_same(r, nv)
    assert_strides(r, nv)
    if nv.size:
        assert shares_memory(r, nv)


@all_dtypes
def test_array_numpy_copies(dtype):
    n = sample(dtype, (3, 4))[:, ::-1]
    r = rp.array(n)
    assert_same(r, n)
    assert r.c_contiguous
    assert not shares_memory(r, n)
    before = n.copy()
    r[0, 0] = other_value(dtype, r[0, 0])
    np.testing.assert_array_equal(n, before)


@all_dtypes
def test_asarray_readonly_numpy_is_readonly(dtype):
    n = sample(dtype, (3, 4))
    n.flags.writeable = False
    r = rp.asarray(n)
    assert r.writeable is False
    assert shares_memory(r, n)
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        r[0, 0] = other_value(dtype, r[0, 0])
    # views of a read-only array stay read-only
    v = r[::-1, 1]
    assert v.writeable is False
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        v[0] = other_value(dtype, v[0])
    np.testing.assert_array_equal(to_np(r), n)


UNSUPPORTED = {
    "complex128": (lambda: np.array([1 + 2j, 3j]), ("complex", "c16")),
    "complex64": (lambda: np.array([1j], dtype=np.complex64), ("complex", "c8")),
    "object": (lambda: np.array([None, 1], dtype=object), ("object",)),
    "datetime64": (
        lambda: np.array(["2020-01-01", "2021-06-30"], dtype="datetime64[D]"),
        ("datetime",),
    ),
    "str": (lambda: np.array(["ab", "c"]), ("str", "unicode", "<U", "U2", "string")),
    "big_endian_f8": (lambda: np.arange(3.0).astype(">f8"), ("byte order", "endian", ">f8")),
    "big_endian_i4": (lambda: np.arange(3).astype(">i4"), ("byte order", "endian", ">i4")),
}


@pytest.mark.parametrize("case", list(UNSUPPORTED))
@pytest.mark.parametrize("fn", ["asarray", "array"])
def test_unsupported_numpy_dtypes_raise_type_error(case, fn):
    make, words = UNSUPPORTED[case]
    n = make()
    with pytest.raises(TypeError) as info:
        getattr(rp, fn)(n)
    msg = str(info.value).lower()
    assert any(w.lower() in msg for w in words), (
        f"message should say what is unsupported ({words}): {info.value}"
    )


# --------------------------------------------------------------------------------------------
# np.asarray(raptors) shares memory
# --------------------------------------------------------------------------------------------


@all_dtypes
@views
def test_np_asarray_shares_memory(dtype, view):
    base_np = sample(dtype, (4, 5))
    base = from_np(base_np)
    r = base[VIEWS[view]]
    expected = base_np[VIEWS[view]]
    v = np.asarray(r)
    assert type(v) is np.ndarray
    assert v.dtype == np.dtype(dtype)
    assert v.shape == r.shape
    np.testing.assert_array_equal(v, expected, strict=True)
    assert_strides(r, v)
    if v.size:
        assert v.ctypes.data == r.data_ptr
        assert v.flags.writeable
        idx = (0,) * v.ndim
        v[idx] = other_value(dtype, v[idx])
        assert r[idx] == v[idx].item()
        assert base[VIEWS[view]][idx] == v[idx].item()
        r[idx] = other_value(dtype, r[idx])
        assert v[idx].item() == r[idx]


@all_dtypes
def test_np_asarray_exact_strides_and_negative_strides(dtype):
    base = from_np(sample(dtype, (3, 4, 5)))
    for r in (base[::-1, ::2, ::-3], base.transpose((2, 0, 1)), base[1, ::-1]):
        v = np.asarray(r)
        assert v.strides == r.strides
        assert v.ctypes.data == r.data_ptr
        assert_same(r, v)


@all_dtypes
def test_np_asarray_zero_d_and_empty(dtype):
    z = from_np(np.array(sample(dtype, (2,))[1]))
    v = np.asarray(z)
    assert v.shape == ()
    assert v.dtype == np.dtype(dtype)
    assert v.ctypes.data == z.data_ptr
    assert v.item() == z.item()
    for shape in [(0,), (2, 0, 3), (0, 0)]:
        e = rp.zeros(shape, dtype=dtype)
        ve = np.asarray(e)
        assert ve.shape == shape
        assert ve.dtype == np.dtype(dtype)
        assert ve.size == 0


@given(view_pairs())
def test_np_asarray_views_hypothesis(pair):
    nv, rv, _, _ = pair
    v = np.asarray(rv)
    assert v.dtype == nv.dtype
    np.testing.assert_array_equal(v, nv, strict=True)
    assert_strides(rv, v)
    if nv.size:
        assert v.ctypes.data == rv.data_ptr
        # writes through the NumPy view land in the raptors view
        idx = (0,) * v.ndim
        v[idx] = other_value(nv.dtype.name, v[idx])
        assert rv[idx] == v[idx].item()


@all_dtypes
def test_np_view_keeps_raptors_array_alive(dtype):
    expected = sample(dtype, (60, 30))
    v = np.asarray(from_np(expected)[::-2])
    gc.collect()
    junk = churn(dtype, expected.nbytes)
    np.testing.assert_array_equal(v, expected[::-2], strict=True)
    del junk
    r = from_np(expected)
    v2 = np.asarray(r)
    del r
    gc.collect()
    junk = churn(dtype, expected.nbytes)
    np.testing.assert_array_equal(v2, expected, strict=True)
    del junk


def test_np_asarray_of_readonly_raptors_is_readonly():
    b = rp.broadcast_to(rp.arange(3.0), (2, 3))
    assert b.writeable is False
    v = np.asarray(b)
    assert v.flags.writeable is False
    assert v.ctypes.data == b.data_ptr
    assert v.strides == (0, 8)
    np.testing.assert_array_equal(v, [[0.0, 1.0, 2.0]] * 2)
    with pytest.raises(ValueError):
        v[0, 0] = 5.0

    n = np.arange(4, dtype=np.int16)
    n.flags.writeable = False
    v2 = np.asarray(rp.asarray(n)[::-1])
    assert v2.flags.writeable is False
    assert v2.ctypes.data == n.ctypes.data + 6


# --------------------------------------------------------------------------------------------
# __array__ (NumPy 2 copy keyword), np.array, to_numpy
# --------------------------------------------------------------------------------------------


def test_dunder_array_default_and_copy_false_share():
    r = rp.arange(12.0).reshape(3, 4)[:, ::-2]
    for v in (r.__array__(), r.__array__(copy=None), r.__array__(copy=False)):
        assert type(v) is np.ndarray
        assert v.ctypes.data == r.data_ptr
        assert v.strides == r.strides
        np.testing.assert_array_equal(v, to_np(r))
    same = r.__array__(dtype=np.float64, copy=False)
    assert same.ctypes.data == r.data_ptr


@all_dtypes
def test_dunder_array_copy_true_copies(dtype):
    r = from_np(sample(dtype, (3, 4)))
    v = r.__array__(copy=True)
    assert v.dtype == np.dtype(dtype)
    assert v.ctypes.data != r.data_ptr
    assert v.flags.writeable
    np.testing.assert_array_equal(v, to_np(r), strict=True)
    before = to_np(r)
    v[0, 0] = other_value(dtype, v[0, 0])
    assert_same(r, before)


def test_dunder_array_dtype_conversion():
    r = rp.arange(6, dtype=rp.int64)
    v = r.__array__(dtype=np.float32)
    assert v.dtype == np.float32
    np.testing.assert_array_equal(v, np.arange(6, dtype=np.float32))
    v2 = r.__array__(np.dtype("int16"), copy=True)
    assert v2.dtype == np.int16
    np.testing.assert_array_equal(v2, np.arange(6, dtype=np.int16))
    with pytest.raises(ValueError):
        r.__array__(dtype=np.float32, copy=False)


def test_np_array_and_asarray_keywords():
    r = rp.arange(5, dtype=rp.int32)
    c = np.array(r)
    assert c.ctypes.data != r.data_ptr
    np.testing.assert_array_equal(c, np.arange(5, dtype=np.int32), strict=True)
    shared = np.array(r, copy=False)
    assert shared.ctypes.data == r.data_ptr
    converted = np.asarray(r, dtype=np.float64)
    assert converted.dtype == np.float64
    np.testing.assert_array_equal(converted, np.arange(5.0))
    with pytest.raises(ValueError):
        np.array(r, dtype=np.float64, copy=False)


@all_dtypes
def test_to_numpy(dtype):
    r = from_np(sample(dtype, (2, 3, 4)))[:, ::-1]
    v = r.to_numpy()
    assert type(v) is np.ndarray
    assert v.ctypes.data == r.data_ptr
    assert v.strides == r.strides
    np.testing.assert_array_equal(v, to_np(r), strict=True)
    c = r.to_numpy(copy=True)
    assert c.ctypes.data != r.data_ptr
    np.testing.assert_array_equal(c, to_np(r), strict=True)
    before = to_np(r)
    c[0, 0, 0] = other_value(dtype, c[0, 0, 0])
    assert_same(r, before)


# --------------------------------------------------------------------------------------------
# buffer protocol
# --------------------------------------------------------------------------------------------


@all_dtypes
@views
def test_memoryview(dtype, view):
    base_np = sample(dtype, (4, 5))
    r = from_np(base_np)[VIEWS[view]]
    mv = memoryview(r)
    assert normalized_format(mv.format) == np.dtype(dtype)
    assert mv.itemsize == np.dtype(dtype).itemsize
    assert mv.shape == r.shape
    assert mv.ndim == r.ndim
    assert mv.nbytes == r.nbytes
    if r.size:
        assert_strides(r, np.asarray(mv))
        assert np.asarray(mv).ctypes.data == r.data_ptr
        # (memoryview.tolist() cannot unpack float16 on every Python version)
        assert np.asarray(mv).tolist() == r.tolist()


def test_memoryview_exact_strides_and_readonly():
    r = rp.arange(20, dtype=rp.int32).reshape(4, 5)[::-1, ::2]
    mv = memoryview(r)
    assert mv.strides == r.strides == (-20, 8)
    assert mv.tolist() == r.tolist()

    ro = rp.broadcast_to(rp.arange(3, dtype=rp.uint8), (2, 3))
    mro = memoryview(ro)
    assert mro.readonly is True
    assert mro.strides == (0, 1)
    assert mro.tolist() == [[0, 1, 2], [0, 1, 2]]
    with pytest.raises(TypeError):
        mro[0, 0] = 9


# --------------------------------------------------------------------------------------------
# exports and async jobs (the borrow rule)
# --------------------------------------------------------------------------------------------


def _pool_threads() -> int:
    env = os.environ.get("RAPTORS_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0))


def _occupy_pool():
    """Queue enough work that a job submitted next waits (holding its read borrow)."""
    blocker = rp.zeros(2_000_000, dtype=rp.float64)
    return [blocker.astype_async(rp.uint8) for _ in range(2 * min(_pool_threads(), 16))]


def _assert_borrowed(a):
    """The job on ``a`` is still running: raptors refuses to write into ``a``."""
    with pytest.raises(BufferError):
        a[(0,) * a.ndim] = 0


def test_np_view_is_readonly_while_a_job_reads_the_array():
    async def main():
        a = rp.zeros((1000, 1000), dtype=rp.float64)
        blockers = _occupy_pool()
        fut = a.astype_async(rp.float32)
        v = np.asarray(a)
        vv = np.asarray(a[::2, 1])
        mv = memoryview(a)
        _assert_borrowed(a)
        assert v.flags.writeable is False
        assert vv.flags.writeable is False
        assert mv.readonly is True
        assert v.ctypes.data == a.data_ptr
        with pytest.raises(ValueError):
            v[0, 0] = 1.0
        out = await fut
        await asyncio.gather(*blockers)
        assert out.dtype == rp.float32
        assert out.shape == (1000, 1000)
        del v, vv, mv
        gc.collect()
        # the job is over: exports are writable again
        w = np.asarray(a)
        assert w.flags.writeable is True
        w[0, 0] = 2.0
        assert a[0, 0] == 2.0

    asyncio.run(main())


def test_writable_np_view_blocks_jobs_until_released():
    async def main():
        a = rp.arange(100.0).reshape(10, 10)
        v = np.asarray(a)
        assert v.flags.writeable is True
        with pytest.raises(BufferError):
            await a.copy_async()
        with pytest.raises(BufferError):
            await a.astype_async(rp.float32)
        # any view of the same buffer is blocked too
        with pytest.raises(BufferError):
            await a[1:, ::2].copy_async()
        with pytest.raises(BufferError):
            await a.T.astype_async(rp.int64)
        del v
        gc.collect()
        c = await a.copy_async()
        assert_same(c, np.arange(100.0).reshape(10, 10))

    asyncio.run(main())


def test_writable_np_view_of_a_view_blocks_jobs_on_the_base():
    async def main():
        a = rp.arange(24, dtype=rp.int32).reshape(4, 6)
        v = np.asarray(a[::2, ::-1])
        assert v.flags.writeable is True
        with pytest.raises(BufferError):
            await a.copy_async()
        v[0, 0] = -1
        assert a[0, 5] == -1
        del v
        gc.collect()
        c = await a.astype_async(rp.int64)
        assert c[0, 5] == -1
        assert c.dtype == rp.int64

    asyncio.run(main())


def test_readonly_exports_do_not_block_jobs():
    async def main():
        n = np.arange(12.0).reshape(3, 4)
        n.flags.writeable = False
        ro = rp.asarray(n)
        v = np.asarray(ro)
        mv = memoryview(ro)
        assert v.flags.writeable is False
        assert mv.readonly is True
        c = await ro.copy_async()
        assert_same(c, np.arange(12.0).reshape(3, 4))
        d = await ro[::-1].astype_async(rp.float32)
        assert_same(d, np.arange(12.0, dtype=np.float32).reshape(3, 4)[::-1])

    asyncio.run(main())


def test_memoryview_of_writable_array_is_consistent_with_the_borrow_rule():
    """A plain ``memoryview(a)`` is either a read-only export (jobs run) or a writable one
    (jobs refuse to start); never writable *and* job-compatible."""

    async def main():
        a = rp.arange(10.0)
        mv = memoryview(a)
        if mv.readonly:
            c = await a.copy_async()
            assert_same(c, np.arange(10.0))
        else:
            with pytest.raises(BufferError):
                await a.copy_async()
        mv.release()
        gc.collect()
        c = await a.copy_async()
        assert_same(c, np.arange(10.0))

    asyncio.run(main())


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_np_asarray_after_job_completed_is_writable(dtype):
    async def main():
        a = from_np(sample(dtype, (3, 4)))
        out = await a.copy_async()
        v = np.asarray(a)
        assert v.flags.writeable is True
        assert_same(out, v)

    asyncio.run(main())
