"""sort, argsort, partition, argpartition, unique (+ array API set functions), searchsorted
and topk against NumPy, plus their awaitable twins."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest
import raptors as rp
from conftest import ALL_DTYPES, FLOAT_DTYPES, assert_same, from_np, raises_like, sample


def with_specials(dtype, shape=(4, 7)):
    n = sample(dtype, shape)
    if dtype in FLOAT_DTYPES:
        n.flat[3] = np.nan
        n.flat[5] = np.inf
        n.flat[8] = -np.inf
        n.flat[9] = -0.0
        n.flat[11] = np.nan
    # ties
    n.flat[1] = n.flat[2]
    return n


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", [-1, 0, 1, None])
def test_sort_argsort(dtype, axis):
    n = with_specials(dtype)
    r = from_np(n)
    assert_same(rp.sort(r, axis=axis), np.sort(n, axis=axis, stable=True))
    assert_same(rp.argsort(r, axis=axis), np.argsort(n, axis=axis, stable=True))
    assert_same(rp.argsort(r, axis=axis, kind="stable"), np.argsort(n, axis=axis, kind="stable"))


@pytest.mark.parametrize("dtype", ["int8", "uint32", "float32", "float64", "bool"])
def test_sort_descending(dtype):
    n = with_specials(dtype)
    r = from_np(n)
    # descending stable: equal elements keep their order; NaNs first
    idx = rp.argsort(r, axis=1, descending=True)
    got = np.take_along_axis(n, np.array(idx.tolist()), axis=1)
    exp = []
    for row in n:
        nan = np.isnan(row) if dtype in FLOAT_DTYPES else np.zeros(row.shape, bool)
        exp.append(np.concatenate([row[nan], np.sort(row[~nan])[::-1]]))
    np.testing.assert_array_equal(got, np.array(exp))
    for row, irow in zip(n, idx.tolist(), strict=True):
        for a, b in itertools.pairwise(irow):
            if row[a] == row[b]:
                assert a < b
    vals = rp.sort(r, axis=1, descending=True)
    np.testing.assert_array_equal(np.array(vals.tolist(), dtype=dtype), got)


def test_sort_views_and_zero_d():
    base = sample("int16", (6, 8))
    r = from_np(base)
    for idx in [np.s_[::2, 1::3], np.s_[::-1, ::-2], np.s_[:, 3]]:
        assert_same(rp.sort(r[idx]), np.sort(base[idx]))
        assert_same(rp.argsort(r[idx], axis=0), np.argsort(base[idx], axis=0, stable=True))
    z = np.array(3.5)
    assert_same(rp.sort(from_np(z), axis=None), np.sort(z, axis=None))
    raises_like(lambda: rp.sort(from_np(z)), lambda: np.sort(z))
    assert_same(rp.argsort(from_np(z)), np.argsort(z))
    e = np.zeros((0, 3))
    assert_same(rp.sort(from_np(e)), np.sort(e))
    assert_same(rp.argsort(from_np(e), axis=0), np.argsort(e, axis=0))


def test_sort_errors():
    n = sample("int32", (3, 4))
    r = from_np(n)
    raises_like(lambda: rp.sort(r, axis=2), lambda: np.sort(n, axis=2))
    raises_like(lambda: rp.argsort(r, axis=-3), lambda: np.argsort(n, axis=-3))
    with pytest.raises(ValueError):
        rp.sort(r, kind="bogus")
    with pytest.raises(ValueError):
        rp.sort(r, order="f")


@pytest.mark.parametrize("dtype", ["int64", "float32", "uint8", "bool"])
def test_method_sort_in_place(dtype):
    n = with_specials(dtype)
    r = from_np(n)
    assert r.sort() is None
    n.sort(axis=-1, stable=True)
    assert_same(r, n)
    base = sample(dtype, (5, 6))
    rb = from_np(base)
    view = rb[::2, ::-1]
    view.sort(axis=0)
    base[::2, ::-1].sort(axis=0)
    assert_same(rb, base)
    assert_same(rb.argsort(axis=0), base.argsort(axis=0, stable=True))


def test_sort_read_only():
    r = rp.broadcast_to(rp.arange(3), (2, 3))
    with pytest.raises(ValueError):
        r.sort()


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("kth", [0, 3, -1, [1, 4]])
def test_partition(dtype, kth):
    n = with_specials(dtype, (3, 9))
    r = from_np(n)
    p = np.array(rp.partition(r, kth).tolist(), dtype=dtype)
    s = np.sort(n, axis=-1)
    ks = [kth] if isinstance(kth, int) else kth
    for k in ks:
        np.testing.assert_array_equal(p[:, k], s[:, k])
        for i in range(3):
            kk = k % 9
            if dtype in FLOAT_DTYPES and np.isnan(s[i, kk]):
                continue
            assert np.all(p[i, :kk][~np.isnan(p[i, :kk].astype(float))] <= s[i, kk])
            right = p[i, kk + 1 :]
            assert np.all((right >= s[i, kk]) | np.isnan(right.astype(float)))
    idx = np.array(rp.argpartition(r, kth).tolist())
    np.testing.assert_array_equal(np.take_along_axis(n, idx, axis=-1)[:, ks], s[:, ks])


def test_partition_axis_and_errors():
    n = sample("int32", (5, 6))
    r = from_np(n)
    p = np.array(rp.partition(r, 2, axis=0).tolist())
    np.testing.assert_array_equal(p[2], np.sort(n, axis=0)[2])
    p = np.array(rp.partition(r, 7, axis=None).tolist())
    assert p[7] == np.sort(n, axis=None)[7]
    raises_like(lambda: rp.partition(r, 6), lambda: np.partition(n, 6))
    raises_like(lambda: rp.argpartition(r, -7), lambda: np.argpartition(n, -7))
    raises_like(lambda: rp.partition(r, 0, axis=2), lambda: np.partition(n, 0, axis=2))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_unique(dtype):
    n = with_specials(dtype, (4, 6))
    n.flat[0] = n.flat[7] = n.flat[20]
    r = from_np(n)
    assert_same(rp.unique(r), np.unique(n))
    got = rp.unique(r, return_index=True, return_inverse=True, return_counts=True)
    exp = np.unique(n, return_index=True, return_inverse=True, return_counts=True)
    assert isinstance(got, tuple) and len(got) == 4
    for g, e in zip(got, exp, strict=True):
        assert_same(g, e)
    got = rp.unique(r, return_counts=True)
    exp = np.unique(n, return_counts=True)
    for g, e in zip(got, exp, strict=True):
        assert_same(g, e)
    assert_same(rp.unique(r, equal_nan=False), np.unique(n, equal_nan=False))


@pytest.mark.parametrize("dtype", ["float64", "int8", "bool"])
def test_unique_array_api(dtype):
    n = with_specials(dtype, (3, 5))
    r = from_np(n)
    # (NumPy 2.3+'s unique_* may return unsorted values; np.unique is the sorted oracle)
    assert_same(rp.unique_values(r), np.unique(n, equal_nan=False))
    v, i, inv, c = np.unique(
        n, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    expected = {"values": v, "indices": i, "inverse_indices": inv, "counts": c}
    for name, fields in [
        ("unique_counts", ("values", "counts")),
        ("unique_inverse", ("values", "inverse_indices")),
        ("unique_all", ("values", "indices", "inverse_indices", "counts")),
    ]:
        got = getattr(rp, name)(r)
        assert got._fields == fields == getattr(np, name)(n)._fields
        for f in fields:
            assert_same(getattr(got, f), expected[f])


def test_unique_empty_and_axis():
    assert_same(rp.unique(rp.zeros(0, dtype="int32")), np.unique(np.zeros(0, dtype="int32")))
    with pytest.raises(TypeError):
        rp.unique(rp.arange(4).reshape(2, 2), axis=0)


@pytest.mark.parametrize("dtype", ["int32", "uint8", "float64", "float16"])
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(dtype, side):
    a = np.sort(sample(dtype, (20,)))
    a[3] = a[4] = a[5]
    ra = from_np(a)
    v = sample(dtype, (3, 4))
    assert_same(rp.searchsorted(ra, from_np(v), side=side), np.searchsorted(a, v, side=side))
    got = rp.searchsorted(ra, 3, side=side)
    assert type(got) is int and got == np.searchsorted(a, 3, side=side)
    order = np.argsort(a[::-1], stable=True)
    assert_same(
        rp.searchsorted(from_np(a[::-1]), from_np(v), side=side, sorter=from_np(order)),
        np.searchsorted(a[::-1], v, side=side, sorter=order),
    )


def test_searchsorted_nan_and_errors():
    a = np.array([1.0, 2.0, np.nan])
    v = np.array([np.nan, 2.0, 5.0])
    for side in ("left", "right"):
        assert_same(
            rp.searchsorted(from_np(a), from_np(v), side=side), np.searchsorted(a, v, side=side)
        )
    with pytest.raises(ValueError):
        rp.searchsorted(from_np(a), 1.0, side="middle")
    raises_like(
        lambda: rp.searchsorted(from_np(a), 1.0, sorter=rp.array([0, 1])),
        lambda: np.searchsorted(a, 1.0, sorter=np.array([0, 1])),
    )


def np_topk(n, k, axis, largest):
    """The first k of a stable argsort, descending for ``largest`` (NaN counts as largest)."""
    if axis is None:
        n, axis = n.reshape(-1), -1
    m = np.moveaxis(n, axis, -1)
    if largest:
        nan_first = ~np.isnan(m) if m.dtype.kind == "f" else np.zeros(m.shape, bool)
        key = (
            np.where(np.isnan(m), 0, -m.astype("float64"))
            if m.dtype.kind == "f"
            else -m.astype("float64")
        )
        idx = np.lexsort((key, nan_first), axis=-1)
    else:
        idx = np.argsort(m, axis=-1, stable=True)
    idx = idx[..., :k]
    vals = np.take_along_axis(m, idx, axis=-1)
    return np.moveaxis(vals, -1, axis), np.moveaxis(idx, -1, axis)


@pytest.mark.parametrize("dtype", ["int8", "int64", "uint16", "float32", "float64"])
@pytest.mark.parametrize("axis", [-1, 0, None])
@pytest.mark.parametrize("largest", [True, False])
def test_topk(dtype, axis, largest):
    n = sample(dtype, (5, 8))
    n.flat[1] = n.flat[2] = n.flat[30]  # ties
    r = from_np(n)
    for k in [0, 1, 3, 5]:
        vals, idx = rp.topk(r, k, axis=axis, largest=largest)
        ev, ei = np_topk(n, k, axis, largest)
        assert_same(vals, ev)
        assert_same(idx, ei)
        mv, mi = r.topk(k, axis=axis, largest=largest)
        assert_same(mv, ev)
        assert_same(mi, ei)


def test_topk_unsorted_nan_and_errors():
    n = np.array([[3.0, np.nan, 1.0, 7.0, 7.0, -np.inf]])
    vals, idx = rp.topk(from_np(n), 3)
    assert np.isnan(vals.tolist()[0][0]) and idx.tolist() == [[1, 3, 4]]
    vals, idx = rp.topk(from_np(n), 2, largest=False)
    assert vals.tolist() == [[-np.inf, 1.0]] and idx.tolist() == [[5, 2]]
    vals, idx = rp.topk(from_np(n), 3, sorted=False)
    assert sorted(idx.tolist()[0]) == [1, 3, 4]
    with pytest.raises(ValueError):
        rp.topk(from_np(n), 7)
    with pytest.raises(ValueError):
        rp.topk(from_np(n), -1)
    with pytest.raises(rp.AxisError):
        rp.topk(from_np(n), 1, axis=2)
    b = rp.array([True, False, True])
    assert rp.topk(b, 2)[1].tolist() == [0, 2]


@pytest.mark.parametrize("size", [40, 200_000])
def test_async_twins(size):
    x = np.random.default_rng(3).standard_normal(size).reshape(-1, 8)
    x[0, :3] = x[1, :3]
    r = rp.asarray(x)

    async def main():
        assert (await rp.sort_async(r, axis=0)).tolist() == rp.sort(r, axis=0).tolist()
        assert (await rp.argsort_async(r, descending=True)).tolist() == rp.argsort(
            r, descending=True
        ).tolist()
        assert (await r.argsort_async(axis=None)).tolist() == r.argsort(axis=None).tolist()
        v, i = await rp.topk_async(r, 3, axis=0)
        sv, si = rp.topk(r, 3, axis=0)
        assert v.tolist() == sv.tolist() and i.tolist() == si.tolist()
        v, i = await r.topk_async(10, axis=None, timeout=10)
        sv, si = r.topk(10, axis=None)
        assert v.tolist() == sv.tolist() and i.tolist() == si.tolist()
        p = await rp.partition_async(r, 2)
        assert p.tolist() == rp.partition(r, 2).tolist()
        p = await rp.argpartition_async(r, 2)
        assert p.tolist() == rp.argpartition(r, 2).tolist()
        u = await rp.unique_async(r, return_counts=True)
        su = rp.unique(r, return_counts=True)
        assert [t.tolist() for t in u] == [t.tolist() for t in su]
        s = rp.sort(r, axis=None)
        assert (await rp.searchsorted_async(s, r)).tolist() == rp.searchsorted(s, r).tolist()
        assert await rp.searchsorted_async(s, 0.0) == rp.searchsorted(s, 0.0)
        with pytest.raises(ValueError):
            await rp.topk_async(r, 10**6)
        with pytest.raises(rp.AxisError):
            await rp.sort_async(r, axis=5)

    asyncio.run(main())
