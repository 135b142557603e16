"""Reductions (sum, prod, mean, var, std, max/min, ptp, arg*, any/all, count_nonzero, cum*,
nan*) against NumPy, plus their awaitable twins."""

from __future__ import annotations

import asyncio
import warnings

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    NUMERIC_DTYPES,
    assert_result_like,
    assert_same,
    from_np,
    raises_like,
    sample,
)

AXES = [None, 0, 1, -1, (0, 2), (-1, 0), ()]


def close(r, n, dtype):
    """Compare a float result allowing a few ulp (summation order differs from NumPy's)."""
    n = np.asarray(n)
    if isinstance(r, rp.ndarray):
        assert r.dtype.name == n.dtype.name
        got = np.array(r.tolist(), dtype=n.dtype).reshape(r.shape)
    else:
        assert isinstance(r, float)
        got = np.asarray(r, dtype=n.dtype)
    rtol = {"float16": 2e-3, "float32": 2e-6}.get(n.dtype.name, 1e-12)
    np.testing.assert_allclose(got, n, rtol=rtol, atol=rtol, equal_nan=True)


def both(name, n, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(n, *args, **kwargs)
    got = getattr(rp, name)(from_np(n), *args, **kwargs)
    return got, expected


# -- exact reductions -------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "any", "all", "count_nonzero"])
def test_exact_reductions(name, dtype, axis):
    n = sample(dtype, (3, 4, 5))
    if name == "prod" and dtype in FLOAT_DTYPES:
        n = n / 16 + 1  # keep products finite
        n = n.astype(dtype)
    got, expected = both(name, n, axis=axis)
    if name in ("sum", "prod") and dtype in FLOAT_DTYPES:
        close(got, expected, dtype)
    else:
        assert_result_like(got, expected)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "any", "all", "argmax", "argmin"])
def test_keepdims(name, dtype):
    n = sample(dtype, (3, 4))
    for axis in [None, 0, -1] if not name.startswith("arg") else [None, 1]:
        got, expected = both(name, n, axis=axis, keepdims=True)
        assert isinstance(got, rp.ndarray)
        assert got.shape == expected.shape
        if not (dtype in FLOAT_DTYPES and name in ("sum", "prod")):
            assert_same(got, expected)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg(name, dtype, axis):
    n = sample(dtype, (4, 6))
    got, expected = both(name, n, axis=axis)
    assert_result_like(got, expected)


def test_arg_ties_first():
    n = np.array([1, 5, 5, 0, 0, 5])
    assert rp.argmax(from_np(n)) == 1 == np.argmax(n)
    assert rp.argmin(from_np(n)) == 3 == np.argmin(n)
    f = np.array([1.0, np.nan, 3.0, np.nan])
    assert rp.argmax(from_np(f)) == np.argmax(f) == 1
    assert rp.argmin(from_np(f)) == np.argmin(f) == 1
    assert rp.nanargmax(from_np(f)) == np.nanargmax(f) == 2


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
@pytest.mark.parametrize("axis", [None, 0, (0, 1), -1])
@pytest.mark.parametrize("name", ["mean", "var", "std"])
def test_moments(name, dtype, axis):
    n = sample(dtype, (3, 4, 5))
    got, expected = both(name, n, axis=axis)
    close(got, expected, dtype)


@pytest.mark.parametrize("ddof", [0, 1, 2.5])
@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
def test_ddof(name, ddof):
    n = sample("float64", (4, 5))
    got, expected = both(name, n, axis=1, ddof=ddof)
    close(got, expected, "float64")
    got, expected = both(name, n, ddof=ddof)
    close(got, expected, "float64")


# float input only with int64: NumPy's casts of out-of-range floats to smaller or unsigned
# integers (negative deviations, squares beyond int8) are platform-defined C casts.
INT_VAR_CASES = [
    (src, rdt)
    for src in ("int16", "uint8", "bool")
    for rdt in ("int64", "int8", "uint32", "bool")
    if (src, rdt) != ("bool", "bool")
] + [("float32", "int64")]


@pytest.mark.parametrize(("src", "rdt"), INT_VAR_CASES)
@pytest.mark.parametrize("axis", [None, 1, (0, 1)])
def test_var_in_an_integer_dtype(src, rdt, axis):
    """NumPy's step-by-step integer var: truncated mean, deviations in the promoted type,
    squares summed in `dtype` (wrapping), truncated quotient."""
    n = sample(src, (4, 5)) * (3 if src != "bool" else 1)
    n = (n + 0.7).astype(src) if src == "float32" else n.astype(src)
    for ddof in (0, 1):
        got, expected = both("var", n, axis=axis, dtype=rdt, ddof=ddof)
        assert_result_like(got, expected)
        got, expected = both("var", n, axis=axis, dtype=rdt, keepdims=True)
        assert_result_like(got, expected)


def test_var_of_bool_in_bool_fails_like_numpy():
    n = sample("bool", (4, 5))
    raises_like(lambda: rp.var(from_np(n), dtype="bool"), lambda: np.var(n, dtype="bool"))


def test_std_in_an_integer_dtype():
    """std: a scalar result is the truncated root; an array result (axis, keepdims or out=)
    fails as NumPy's sqrt into an integer array does. nanvar of floats needs a float dtype."""
    n = sample("int32", (4, 5)) * 7
    got, expected = both("std", n, dtype="int64")
    assert_result_like(got, expected)
    r = from_np(n)
    raises_like(lambda: rp.std(r, axis=0, dtype="int64"), lambda: np.std(n, axis=0, dtype="int64"))
    raises_like(
        lambda: rp.std(r, dtype="int64", keepdims=True),
        lambda: np.std(n, dtype="int64", keepdims=True),
    )
    f = sample("float64", (4, 5))
    raises_like(lambda: rp.nanvar(from_np(f), dtype="int32"), lambda: np.nanvar(f, dtype="int32"))
    got, expected = both("nanvar", n, axis=1, dtype="int16")
    assert_result_like(got, expected)


def test_correction_alias():
    n = sample("float64", (4, 5))
    close(rp.var(from_np(n), correction=1), np.var(n, correction=1), "float64")
    close(from_np(n).std(axis=0, correction=1), np.std(n, axis=0, correction=1), "float64")
    raises_like(
        lambda: rp.var(from_np(n), ddof=1, correction=1),
        lambda: np.var(n, ddof=1, correction=1),
    )


@pytest.mark.parametrize(
    ("name", "dtype", "want"),
    [
        ("sum", "int8", "int64"),
        ("sum", "uint8", "uint64"),
        ("sum", "float32", "float64"),
        ("prod", "int16", "float32"),
        ("mean", "int32", "float32"),
        ("var", "int64", "float32"),
        ("sum", "bool", "int8"),
    ],
)
def test_dtype_argument(name, dtype, want):
    n = sample(dtype, (4, 5))
    got, expected = both(name, n, axis=0, dtype=want)
    assert got.dtype.name == expected.dtype.name == want
    if want in FLOAT_DTYPES:
        close(got, expected, want)
    else:
        assert_same(got, expected)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_result_dtypes(dtype):
    n = sample(dtype, (2, 3))
    for name in ["sum", "prod", "cumsum", "cumprod", "max", "argmax"]:
        got, expected = both(name, n, axis=0)
        assert got.dtype.name == expected.dtype.name, name
    if dtype != "bool":
        for name in ["mean", "var", "std"]:
            got, expected = both(name, n, axis=0)
            assert got.dtype.name == expected.dtype.name, name


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_cumulative(name, dtype, axis):
    n = sample(dtype, (3, 4))
    if name == "cumprod" and dtype in FLOAT_DTYPES:
        n = (n / 32 + 1).astype(dtype)
    got, expected = both(name, n, axis=axis)
    if dtype in FLOAT_DTYPES and dtype != "float16":
        close(got, expected, dtype)
    else:
        assert_same(got, expected)


def test_cumulative_array_api():
    n = sample("int32", (3, 4))
    assert_same(rp.cumulative_sum(from_np(n), axis=1), np.cumulative_sum(n, axis=1))
    assert_same(
        rp.cumulative_sum(from_np(n), axis=0, include_initial=True),
        np.cumulative_sum(n, axis=0, include_initial=True),
    )
    assert_same(
        rp.cumulative_prod(from_np(n[0]), include_initial=True),
        np.cumulative_prod(n[0], include_initial=True),
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    "name",
    [
        "nansum",
        "nanmean",
        "nanmin",
        "nanmax",
        "nanvar",
        "nanstd",
        "nanargmin",
        "nanargmax",
        "max",
        "min",
        "sum",
        "mean",
        "argmax",
        "argmin",
        "ptp",
    ],
)
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_inf(name, dtype, axis):
    n = sample(dtype, (4, 5))
    n[0, 1] = np.nan
    n[2, 3] = np.inf
    n[3, 0] = -np.inf
    n[1, 1] = np.nan
    got, expected = both(name, n, axis=axis)
    if name.startswith(("nanarg", "arg")) or name in ("max", "min", "nanmax", "nanmin"):
        assert_result_like(got, expected)
    else:
        close(got, expected, dtype)


@pytest.mark.parametrize("name", ["nanmax", "nanmin", "nanmean", "nansum", "nanvar"])
def test_all_nan(name):
    n = np.full((2, 3), np.nan)
    n[1, 0] = 1.0
    got, expected = both(name, n, axis=1)
    close(got, expected, "float64")


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_all_nan_arg_raises(name):
    n = np.full(3, np.nan)
    raises_like(lambda: getattr(rp, name)(from_np(n)), lambda: getattr(np, name)(n))


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "float32", "float64"])
def test_empty_identities(dtype):
    n = np.zeros((0, 3), dtype=dtype)
    for name in ["sum", "prod", "any", "all", "count_nonzero"]:
        for axis in [None, 0, 1]:
            got, expected = both(name, n, axis=axis)
            assert_result_like(got, expected)
    if dtype != "bool":
        got, expected = both("mean", n, axis=0)
        close(got, expected, expected.dtype.name)
    got, expected = both("cumsum", n, axis=0)
    assert_same(got, expected)


@pytest.mark.parametrize("name", ["max", "min", "argmax", "argmin", "ptp"])
def test_empty_raises(name):
    n = np.zeros((0, 3))
    raises_like(lambda: getattr(rp, name)(from_np(n)), lambda: getattr(np, name)(n))
    raises_like(lambda: getattr(rp, name)(from_np(n), axis=0), lambda: getattr(np, name)(n, axis=0))
    # along the non-empty axis the result is empty, not an error
    got, expected = both(name, n, axis=1)
    assert_same(got, expected)


@pytest.mark.parametrize("dtype", ["int16", "float64", "bool"])
def test_zero_d(dtype):
    n = np.array(sample(dtype, (1,))[0])
    for name in ["sum", "prod", "max", "min", "argmax", "any", "all", "count_nonzero", "cumsum"]:
        got, expected = both(name, n)
        assert_result_like(got, expected)
    for axis in (0, -1):
        got, expected = both("sum", n, axis=axis, keepdims=True)
        assert_result_like(got, expected)
        got, expected = both("max", n, axis=axis)
        assert_result_like(got, expected)
    raises_like(lambda: rp.sum(from_np(n), axis=1), lambda: np.sum(n, axis=1))


@pytest.mark.parametrize("dtype", ["int32", "float64", "uint8"])
def test_views(dtype):
    base = sample(dtype, (6, 8))
    r = from_np(base)
    for idx in [np.s_[::2, 1::3], np.s_[::-1, ::-2], np.s_[:, 3], np.s_[1:5, ::-1]]:
        n, v = base[idx], r[idx]
        for name in ["sum", "max", "min", "argmax", "argmin", "cumsum", "any"]:
            for axis in [None, 0, -1]:
                expected = getattr(np, name)(n, axis=axis)
                got = getattr(rp, name)(v, axis=axis)
                if dtype == "float64" and name in ("sum", "cumsum"):
                    close(got, expected, dtype)
                else:
                    assert_result_like(got, expected)
        t = r.T
        assert_result_like(rp.sum(t, axis=0), np.sum(base.T, axis=0))


def test_ptp():
    n = sample("int8", (4, 5))
    for axis in [None, 0, 1]:
        got, expected = both("ptp", n, axis=axis)
        assert_result_like(got, expected)
    raises_like(lambda: rp.ptp(rp.array([True, False])), lambda: np.ptp(np.array([True, False])))


def test_scalars_are_python():
    a = rp.arange(10)
    assert type(rp.sum(a)) is int
    assert type(a.mean()) is float
    assert type(rp.any(a)) is bool
    assert type(a.argmax()) is int
    assert type(rp.sum(rp.ones(3, dtype="float32"))) is float
    assert a.sum() == 45
    assert type(rp.sum(rp.asarray(5))) is type(rp.asarray(5)[()])


def test_out():
    n = sample("float64", (3, 4))
    r = from_np(n)
    out = rp.zeros(4)
    res = rp.sum(r, axis=0, out=out)
    assert res is out
    close(out, n.sum(axis=0), "float64")
    out0 = rp.zeros(())
    assert rp.max(r, out=out0) is out0
    assert out0.item() == n.max()
    out_i = rp.zeros(3, dtype="int64")
    assert r.argmax(axis=1, out=out_i) is out_i
    assert_same(out_i, n.argmax(axis=1))
    outc = rp.zeros((3, 4))
    assert rp.cumsum(r, axis=1, out=outc) is outc
    close(outc, np.cumsum(n, axis=1), "float64")
    raises_like(
        lambda: rp.sum(r, axis=0, out=rp.zeros(3)),
        lambda: np.sum(n, axis=0, out=np.zeros(3)),
        message=None,
    )


def test_bad_axis():
    n = sample("int32", (3, 4))
    r = from_np(n)
    for name in ["sum", "mean", "max", "argmax", "cumsum", "var", "any"]:
        with pytest.raises(rp.AxisError):
            getattr(rp, name)(r, axis=2)
        with pytest.raises(rp.AxisError):
            getattr(rp, name)(r, axis=-3)
    raises_like(lambda: rp.sum(r, axis=2), lambda: np.sum(n, axis=2))
    raises_like(lambda: rp.sum(r, axis=(0, 0)), lambda: np.sum(n, axis=(0, 0)), message=None)


def test_methods_match_functions():
    n = sample("float32", (3, 4))
    r = from_np(n)
    for name in ["sum", "prod", "mean", "var", "std", "max", "min"]:
        close(getattr(r, name)(axis=1), getattr(n, name)(axis=1), "float32")
    for name in ["any", "all"]:
        assert_same(getattr(r, name)(axis=1), getattr(n, name)(axis=1))
    assert_same(r.argmax(axis=0), n.argmax(axis=0))
    assert_same(r.argmin(axis=1), n.argmin(axis=1))
    assert_same(r.cumsum(axis=0), n.cumsum(axis=0))
    assert_same(r.cumprod(axis=1), n.cumprod(axis=1))
    close(r.var(ddof=1), n.var(ddof=1), "float32")


def test_list_input():
    assert rp.sum([1, 2, 3]) == 6
    assert rp.max([[1.5, 2.0], [0.5, 7.0]], axis=None) == 7.0


def test_float32_accuracy():
    ones = rp.ones(10_000_000, dtype="float32")
    assert rp.sum(ones) == 1e7
    assert rp.mean(ones) == 1.0
    x = np.random.default_rng(0).standard_normal(1_000_003).astype("float32")
    r = rp.asarray(x)
    got = rp.sum(r)
    assert abs(got - float(np.sum(x, dtype=np.float64))) < 1e-3 * np.sqrt(x.size)


def test_thread_independence():
    x = np.random.default_rng(1).standard_normal((700, 1500))
    r = rp.asarray(x)
    before = rp.get_num_threads()
    try:
        results = []
        for t in (1, 2):
            rp.set_num_threads(t)
            results.append(
                (rp.sum(r), rp.var(r), rp.sum(r, axis=0).tolist(), rp.mean(r, axis=1).tolist())
            )
        assert results[0] == results[1]
    finally:
        rp.set_num_threads(before)


# -- awaitable twins --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("sum", {}),
        ("sum", {"axis": 0}),
        ("prod", {"axis": 1, "keepdims": True}),
        ("mean", {"axis": (0, 1)}),
        ("var", {"ddof": 1}),
        ("std", {"axis": 1}),
        ("amax", {}),
        ("amin", {"axis": 0}),
        ("max", {"axis": 0}),
        ("argmax", {}),
        ("argmin", {"axis": 1}),
        ("any", {"axis": 0}),
        ("all", {}),
        ("count_nonzero", {"axis": 1}),
        ("cumsum", {"axis": 0}),
        ("cumprod", {}),
        ("nansum", {}),
        ("nanmean", {"axis": 0}),
        ("nanmax", {}),
        ("nanargmin", {}),
        ("nanvar", {}),
        ("nanstd", {"axis": 0}),
        ("ptp", {"axis": 1}),
    ],
)
@pytest.mark.parametrize("size", [12, 300_000])
def test_async_twins(name, kwargs, size):
    n = np.random.default_rng(2).standard_normal(size).reshape(-1, 6)
    r = rp.asarray(n)
    sync = getattr(rp, name)(r, **kwargs)
    got = asyncio.run(getattr(rp, name + "_async")(r, **kwargs, timeout=10))
    if isinstance(sync, rp.ndarray):
        assert got.dtype == sync.dtype
        assert got.tolist() == sync.tolist()
    else:
        assert type(got) is type(sync) and got == sync


def test_async_methods_and_errors():
    r = rp.asarray(np.arange(24.0).reshape(4, 6))

    async def main():
        s0 = await r.sum_async(axis=0)
        assert s0.tolist() == r.sum(axis=0).tolist()
        assert await r.mean_async() == r.mean()
        assert await r.max_async() == 23.0
        assert await r.min_async() == 0.0
        assert await r.argmax_async() == 23
        assert await r.argmin_async(axis=None) == 0
        out = rp.zeros(6)
        assert await rp.sum_async(r, axis=0, out=out) is out
        with pytest.raises(rp.AxisError):
            await rp.sum_async(r, axis=3)
        with pytest.raises(ValueError):
            await rp.max_async(rp.zeros(0))
        with pytest.raises(TypeError):
            await rp.sum_async(r, dtype="complex128")

    asyncio.run(main())


def test_int_dtypes_wrap():
    for dtype in INT_DTYPES:
        n = np.full(1000, np.iinfo(dtype).max, dtype=dtype)
        got, expected = both("sum", n)
        assert_result_like(got, expected)
        got, expected = both("cumsum", n)
        assert_same(got, expected)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int8", "uint16"])
@pytest.mark.parametrize("name", ["argmax", "argmin", "nanargmax", "nanargmin"])
def test_arg_positions_across_blocks(name, dtype):
    """Long inputs: the winner's first occurrence in any block or leaf (argmax scans blocks of
    1024 and searches only the winning one again), ties spread over blocks, NaN after the
    extreme, strided views."""
    if name.startswith("nan") and dtype not in ("float32", "float64"):
        return
    rng = np.random.default_rng(7)
    n = 50_003
    for trial in range(6):
        base = rng.integers(0, 50, n).astype(dtype)
        hi, lo = np.array(100).astype(dtype), np.array(0).astype(dtype)
        for p in rng.choice(n, 3, replace=False):
            base[p] = hi if name.endswith("max") else lo
        if dtype.startswith("float") and trial % 2:
            base[rng.choice(n, 2, replace=False)] = np.nan
        r = from_np(base)
        for sl in (slice(None), slice(None, None, 3), slice(None, None, -2), slice(17, None)):
            view = base[sl]
            if name.startswith("nan") and np.isnan(view).all():
                continue
            assert getattr(rp, name)(r[sl]) == getattr(np, name)(view)


def test_integer_mean_is_exact():
    """Integer means add the integers exactly and round once (NumPy rounds per addition)."""
    big = np.array([2**63 - 1, -(2**63), 2**63 - 7] * 3001, dtype=np.int64)
    exact = sum(int(v) for v in big) / len(big)
    assert rp.mean(from_np(big)) == exact
    u = np.array([2**64 - 1 - 977 * i for i in range(4099)], dtype=np.uint64)
    assert rp.mean(from_np(u)) == sum(int(v) for v in u) / len(u)
    m = big[:9000].reshape(90, 100)
    for axis in (0, 1):
        want = [sum(int(v) for v in col) / m.shape[axis] for col in np.moveaxis(m, axis, -1)]
        assert rp.mean(from_np(m), axis=axis).tolist() == want
    small = np.arange(-5000, 7001, dtype=np.int32)
    assert rp.mean(from_np(small)) == np.mean(small)
