"""where, clip, nan_to_num and round compared with NumPy 2, and the ``out=`` argument:
casting, shapes, views, aliasing inputs, read-only outputs and the borrow rule."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    assert_same,
    from_np,
    raises_like,
    sample,
    to_np,
    view_pairs,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ufunc_binary import (
    PAIRS,
    assert_all,
    assert_raises_kind,
    assert_same_any_zero_sign,
    assert_ulp,
    check_like,
    comparator,
    np_call,
    pair_id,
    rp_arg,
    second_operand,
)

# --------------------------------------------------------------------------------------------
# where
# --------------------------------------------------------------------------------------------


def check_where(cond, x, y):
    return check_like(
        lambda: rp.where(rp_arg(cond), rp_arg(x), rp_arg(y)), lambda: np.where(cond, x, y)
    )


def conditions(shape=(3, 4, 5)):
    size = math.prod(shape)
    k = np.arange(size)
    return [
        (k % 3 == 0).reshape(shape),
        ((k % 4) - 1).astype(np.int8).reshape(shape),
        np.where(k % 5 == 0, np.nan, (k % 2) * 1.0).reshape(shape),  # NaN is truthy
        (k % 7).astype(np.uint64).reshape(shape),
        np.where(k % 2 == 0, -0.0, 0.5).astype(np.float16).reshape(shape),
    ]


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_where_dtype_pairs(pair):
    x, y = sample(pair[0]), second_operand(pair[1])
    for cond in conditions():
        check_where(cond, x, y)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_where_condition_dtypes(dtype):
    cond = sample(dtype, (4, 5))
    check_where(cond, sample("float32", (4, 5)), second_operand("int16", (4, 5)))


@pytest.mark.parametrize(
    "shapes",
    [
        ((3, 1), (4,), ()),
        ((2, 1, 4), (3, 1), (1, 4)),
        ((), (2, 3), (3,)),
        ((4,), (), ()),
        ((0,), (1,), ()),
        ((2, 0, 3), (3,), (1, 1)),
        ((1,), (5, 1), (1, 6)),
    ],
    ids=str,
)
def test_where_broadcasting(shapes):
    cond = (np.arange(math.prod(shapes[0])) % 2 == 0).reshape(shapes[0])
    x, y = sample("int32", shapes[1]), sample("float64", shapes[2])
    check_where(cond, x, y)
    check_where(cond, y, x)


def test_where_broadcast_error():
    c, x, y = np.ones(2, dtype=bool), np.ones(3), np.ones(4)
    raises_like(lambda: rp.where(from_np(c), from_np(x), from_np(y)), lambda: np.where(c, x, y))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_where_weak_scalars(dtype):
    """Python scalars are weak: where(c, int8_array, 1) stays int8 (values in range)."""
    cond = np.array([True, False, True, False])
    x = sample(dtype, (4,))
    for s in [0, 1, True, 1.5, -0.0, math.nan, math.inf]:
        check_where(cond, x, s)
        check_where(cond, s, x)
    check_where(cond, 1, 2)
    check_where(cond, 1, 2.0)
    check_where(cond, True, False)
    check_where(cond, True, 2)


def test_where_scalars_and_lists():
    check_where(True, 1, 2)
    check_where(False, 1.5, 2)
    check_where([True, False, True], [1, 2, 3], [4.5, 5.5, 6.5])
    check_where([[1], [0]], [1, 2, 3], -1)
    r = rp.where(True, 1, 2)
    assert isinstance(r, rp.ndarray)
    assert r.shape == ()
    assert to_np(r).tolist() == 1


def test_where_values_with_nan_and_signed_zero():
    cond = np.array([True, False, True, False])
    x = np.array([np.nan, 1.0, -0.0, np.inf])
    y = np.array([0.0, -0.0, np.nan, -np.inf])
    check_where(cond, x, y)
    check_where(~cond, x, y)


@settings(max_examples=40, deadline=None)
@given(case=view_pairs(), data=st.data())
def test_where_views_hypothesis(case, data):
    nv, rv, _, _ = case
    cond = data.draw(
        st.sampled_from([np.asarray(np_call(np.greater, nv, 0)), np.zeros(nv.shape, dtype=bool)])
    )
    check_like(
        lambda: rp.where(rp_arg(cond), rv, rv[..., ::-1] if rv.ndim else rv),
        lambda: np.where(cond, nv, nv[..., ::-1] if nv.ndim else nv),
    )
    check_like(lambda: rp.where(rv, 1, 0), lambda: np.where(nv, 1, 0))


def test_where_errors():
    c = rp.asarray([True, False])
    with pytest.raises(TypeError):
        rp.where(c, "x", 1)
    with pytest.raises(TypeError):
        rp.where(object(), 1, 2)
    with pytest.raises(TypeError):
        rp.where(c, None, 1)


def test_where_large():
    n = 200_000
    cond = (np.arange(n) * 7 % 13) > 6
    x = np.arange(n, dtype=np.float32)
    y = -np.arange(n, dtype=np.int16)
    check_where(cond, x, y)
    check_where(cond[::-1], x, 0)


# --------------------------------------------------------------------------------------------
# clip
# --------------------------------------------------------------------------------------------


def clip_case(a, lo, hi):
    """A case for ``assert_all``: ``rp.clip(a, lo, hi)`` against ``np.clip(a, lo, hi)``."""
    return (
        f"clip({a.dtype}, {lo!r}, {hi!r})",
        lambda: rp.clip(rp_arg(a), rp_arg(lo), rp_arg(hi)),
        lambda: np.clip(a, lo, hi),
        assert_same_any_zero_sign,
    )


def check_clip(a, lo, hi, **kwargs):
    return check_like(
        lambda: rp.clip(rp_arg(a), rp_arg(lo), rp_arg(hi), **kwargs),
        lambda: np.clip(a, lo, hi, **kwargs),
        assert_same_any_zero_sign,
    )


CLIP_BOUNDS = [
    (0, 5),
    (-3, 3),
    (2, None),
    (None, 2),
    (None, None),
    (1.5, 3.5),
    (-1.5, 2),
    (True, True),
    (False, True),
    (5, 1),  # lower bound above the upper one: everything becomes the upper bound
    (-1, 300),  # out of range for small integer types (NumPy 2 clips them anyway)
    (-200, 2),
    (math.nan, 1.0),
    (0.0, math.nan),
    (-math.inf, math.inf),
]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_clip_scalar_bounds(dtype):
    a = sample(dtype, (3, 7))
    bounds = CLIP_BOUNDS
    if dtype == "bool":
        # NumPy's clip(bool_array, None, None) fails inside np.positive: not a contract
        bounds = [b for b in bounds if b != (None, None)]
    assert_all(clip_case(a, lo, hi) for lo, hi in bounds)


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_clip_array_bounds(pair):
    a = sample(pair[0], (4, 5))
    lo = second_operand(pair[1], (5,))
    hi = np.full((4, 1), 3).astype(pair[1])
    check_clip(a, lo, hi)
    check_clip(a, lo, None)
    check_clip(a, None, hi)
    check_clip(a, hi, lo)


def test_clip_nan():
    a = np.array([1.0, np.nan, 3.0, -np.inf, np.inf])
    check_clip(a, 0.0, 2.0)
    check_clip(a, np.nan, 2.0)
    check_clip(a, 0.0, np.nan)
    check_clip(a, np.array([0.0, 0.0, np.nan, 0.0, 0.0]), 2.0)
    check_clip(a.astype(np.float16), 0.5, 1.5)


def test_clip_broadcasting_and_errors():
    check_clip(sample("float32", (3, 1)), sample("float32", (4,)), 5.0)
    check_clip(np.float64(2.5), [1.0, 3.0], 2.0)
    check_clip(np.zeros((2, 0, 3)), 0, 1)
    a = np.arange(3)
    raises_like(
        lambda: rp.clip(from_np(a), from_np(np.ones(2)), 2), lambda: np.clip(a, np.ones(2), 2)
    )
    with pytest.raises(TypeError):
        rp.clip(rp.arange(3), "a", 2)
    with pytest.raises(TypeError):
        rp.clip("abc", 0, 1)


def test_clip_views_and_0d():
    a = sample("int16", (6, 8))
    ra = from_np(a)
    check_like(lambda: rp.clip(ra[::-2, 1::3], -5, 5), lambda: np.clip(a[::-2, 1::3], -5, 5))
    check_like(lambda: rp.clip(ra.T, ra[0], 7), lambda: np.clip(a.T, a[0], 7))
    check_clip(np.array(7.5), 0, 1)
    check_clip(np.array(-7, dtype=np.int8), 0, 1)


# --------------------------------------------------------------------------------------------
# nan_to_num
# --------------------------------------------------------------------------------------------

NAN_INF = [np.nan, np.inf, -np.inf, 1.5, -0.0, 0.0, -2.5, 65504.0, 1e300]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_nan_to_num_defaults(dtype):
    """NaN -> 0, +inf -> the largest finite value of the dtype, -inf -> the most negative."""
    x = np_call(lambda: np.array(NAN_INF).astype(dtype))
    r = check_like(lambda: rp.nan_to_num(from_np(x)), lambda: np.nan_to_num(x))
    got = to_np(r)
    assert got[1] == np.finfo(dtype).max
    assert got[2] == np.finfo(dtype).min


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"nan": 7.0},
        {"posinf": 1e6},
        {"neginf": -3},
        {"nan": -1.5, "posinf": 2.0, "neginf": -2.0},
        {"nan": math.nan},
        {"posinf": math.inf, "neginf": 1e300},
    ],
    ids=repr,
)
def test_nan_to_num_replacements(dtype, kwargs):
    x = np_call(lambda: np.array(NAN_INF).astype(dtype))
    check_like(lambda: rp.nan_to_num(from_np(x), **kwargs), lambda: np.nan_to_num(x, **kwargs))


@pytest.mark.parametrize("dtype", ["bool", *INT_DTYPES])
def test_nan_to_num_non_float_is_a_copy(dtype):
    x = sample(dtype, (3, 4))
    rx = from_np(x)
    r = check_like(lambda: rp.nan_to_num(rx), lambda: np.nan_to_num(x))
    r2 = rp.nan_to_num(rx, nan=5.0, posinf=1.0, neginf=2.0)
    assert_same(r2, x)
    assert r is not rx
    r[0, 0] = not x[0, 0] if dtype == "bool" else 99
    assert_same(rx, x)  # the input is untouched


def test_nan_to_num_copy_false_writes_in_place():
    x = np.array([np.nan, np.inf, 1.0])
    rx = from_np(x)
    r = rp.nan_to_num(rx, copy=False)
    expected = np.nan_to_num(x.copy())
    assert r is rx
    assert_same(rx, expected)


def test_nan_to_num_scalars_views_and_shapes():
    check_like(lambda: rp.nan_to_num(math.nan), lambda: np.nan_to_num(math.nan))
    check_like(lambda: rp.nan_to_num(math.inf), lambda: np.nan_to_num(math.inf))
    check_like(lambda: rp.nan_to_num(3), lambda: np.nan_to_num(3))
    check_like(lambda: rp.nan_to_num([1.0, math.nan]), lambda: np.nan_to_num([1.0, math.nan]))
    x = np.array([[np.nan, 1.0, np.inf], [-np.inf, np.nan, 2.0]], dtype=np.float32)
    rx = from_np(x)
    check_like(lambda: rp.nan_to_num(rx[::-1, ::2]), lambda: np.nan_to_num(x[::-1, ::2]))
    check_like(lambda: rp.nan_to_num(rx.T), lambda: np.nan_to_num(x.T))
    check_like(lambda: rp.nan_to_num(rp.zeros((2, 0))), lambda: np.nan_to_num(np.zeros((2, 0))))
    with pytest.raises(TypeError):
        rp.nan_to_num("x")


# --------------------------------------------------------------------------------------------
# round
# --------------------------------------------------------------------------------------------

ROUND_VALUES = [
    0.5,
    1.5,
    2.5,
    -0.5,
    -2.5,
    0.125,
    0.375,
    1.005,
    2.675,
    12345.678,
    -0.04,
    0.04,
    -1234.5678,
    9.995,
    99.5,
    1e-7,
    123456789.123,
    np.nan,
    np.inf,
    -np.inf,
    -0.0,
    0.0,
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("decimals", [0, 1, 2, 3, -1, -2, 7])
def test_round_floats(dtype, decimals):
    """Half to even, NumPy's multiply/rint/divide algorithm (so 2.675 -> 2.67 or 2.68 exactly
    as NumPy gives it), signed zeros kept."""
    x = np_call(lambda: np.array(ROUND_VALUES).astype(dtype))
    check_like(lambda: rp.round(from_np(x), decimals), lambda: np.round(x, decimals))
    check_like(lambda: rp.round(from_np(x), decimals=decimals), lambda: np.round(x, decimals))


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("decimals", [0, 1, 3, -1, -2])
def test_round_integers(dtype, decimals):
    """Integers keep their dtype; negative decimals round half to even to tens, hundreds..."""
    vals = [15, 25, 35, 45, 0, 5, 99, 120, 104, 105, 115, 126]
    if dtype in ("int8", "int16", "int32", "int64"):
        vals += [-15, -25, -5, -120, -105]
    if dtype not in ("int8", "uint8"):
        vals += [1234, 2500, 3500, 9949]
    x = np.array(vals, dtype=dtype)
    check_like(lambda: rp.round(from_np(x), decimals), lambda: np.round(x, decimals))


def test_round_bool_and_scalars():
    b = np.array([True, False])
    check_like(lambda: rp.round(from_np(b)), lambda: np.round(b))
    check_like(lambda: rp.round(from_np(b), 1), lambda: np.round(b, 1))
    check_like(lambda: rp.round(2.5), lambda: np.round(2.5))
    check_like(lambda: rp.round(-3.5), lambda: np.round(-3.5))
    check_like(lambda: rp.round(15, -1), lambda: np.round(15, -1))
    check_like(lambda: rp.round(1.2345, 2), lambda: np.round(1.2345, 2))
    check_like(lambda: rp.round([0.5, 1.5, 2.25], 1), lambda: np.round([0.5, 1.5, 2.25], 1))
    with pytest.raises(TypeError):
        rp.round("x")


def test_round_views_and_shapes():
    x = sample("float64", (5, 6)) / 3
    rx = from_np(x)
    check_like(lambda: rp.round(rx[::-1, 1::2], 2), lambda: np.round(x[::-1, 1::2], 2))
    check_like(lambda: rp.round(rx.T, -1), lambda: np.round(x.T, -1))
    check_like(lambda: rp.round(rp.zeros((0, 3)), 2), lambda: np.round(np.zeros((0, 3)), 2))
    check_like(lambda: rp.round(from_np(np.array(2.675)), 2), lambda: np.round(np.array(2.675), 2))


# --------------------------------------------------------------------------------------------
# out=
# --------------------------------------------------------------------------------------------

#: (name, input dtypes): every kind of function that takes out=
OUT_CASES = [
    ("add", ("int16", "int16")),
    ("subtract", ("float32", "int8")),
    ("multiply", ("uint8", "uint8")),
    ("divide", ("int32", "int32")),
    ("floor_divide", ("float64", "float64")),
    ("power", ("int64", "int64")),
    ("maximum", ("float16", "float16")),
    ("fmin", ("float64", "float64")),
    ("arctan2", ("float32", "float32")),
    ("hypot", ("int8", "int8")),
    ("less", ("int32", "float32")),
    ("equal", ("bool", "bool")),
    ("logical_and", ("float64", "int8")),
    ("bitwise_and", ("uint16", "uint16")),
    ("left_shift", ("int32", "int32")),
    ("negative", ("int8",)),
    ("sqrt", ("float32",)),
    ("exp", ("float64",)),
    ("floor", ("float16",)),
    ("isnan", ("float32",)),
    ("absolute", ("int64",)),
    ("logical_not", ("uint8",)),
    ("bitwise_not", ("int16",)),
    ("rint", ("int32",)),
]


def out_inputs(name: str, dtypes, shape=(3, 4)):
    if name == "power":
        return [sample(dtypes[0], shape), (np.arange(12) % 4).reshape(shape).astype(dtypes[1])]
    if name == "left_shift":
        return [sample(dtypes[0], shape), (np.arange(12) % 5).reshape(shape).astype(dtypes[1])]
    if len(dtypes) == 2:
        return [sample(dtypes[0], shape), second_operand(dtypes[1], shape)]
    return [sample(dtypes[0], shape)]


def ufunc_compare(name: str):
    if name in ("exp", "sqrt", "power", "arctan2", "hypot"):
        return assert_ulp if name != "sqrt" else assert_same
    return comparator(name)


def check_out(name: str, np_inputs, n_out: np.ndarray, r_out: rp.ndarray, r_inputs=None):
    """``rp.<name>(..., out=r_out)`` against ``np.<name>(..., out=n_out)``: Raptors returns
    ``r_out`` itself and leaves the same values in it, or raises the same kind of error and
    leaves ``r_out`` as NumPy left ``n_out``."""
    if r_inputs is None:
        r_inputs = [rp_arg(x) for x in np_inputs]
    before = n_out.copy()
    compare = ufunc_compare(name)
    try:
        n_res = np_call(getattr(np, name), *np_inputs, out=n_out)
    except Exception as np_exc:
        assert_raises_kind(lambda: getattr(rp, name)(*r_inputs, out=r_out), np_exc)
        assert_same(r_out, before)
        return None
    assert n_res is n_out
    res = getattr(rp, name)(*r_inputs, out=r_out)
    assert res is r_out, "out= must return the out array itself"
    if compare is assert_ulp and n_out.dtype.kind == "f":
        loop = np_call(getattr(np, name), *np_inputs).dtype
        if n_out.itemsize > loop.itemsize:
            # Computed in the narrower float, then cast: count units in that float's last
            # place (NumPy's float32 arctan2 differs from libm's by an ULP on AVX-512 CPUs).
            compare(to_np(r_out).astype(loop), n_out.astype(loop))
            return res
    compare(r_out, n_out)
    return res


@pytest.mark.parametrize("case", OUT_CASES, ids=lambda c: c[0])
def test_out_of_the_result_dtype(case):
    name, dtypes = case
    inputs = out_inputs(name, dtypes)
    expected = np_call(getattr(np, name), *inputs)
    n_out = np.zeros(expected.shape, dtype=expected.dtype)
    check_out(name, inputs, n_out, from_np(n_out))


@pytest.mark.parametrize("case", OUT_CASES, ids=lambda c: c[0])
def test_out_casting(case):
    """The result is cast into out with same_kind casting; other casts raise TypeError and
    leave out untouched.  Every out dtype."""
    name, dtypes = case
    inputs = out_inputs(name, dtypes)
    failures = []
    for out_dtype in ALL_DTYPES:
        n_out = np.ones((3, 4), dtype=out_dtype)
        try:
            check_out(name, inputs, n_out, from_np(n_out))
        except (AssertionError, pytest.fail.Exception) as exc:
            lines = str(exc).splitlines()
            failures.append(f"out={out_dtype}: " + "\n    ".join(lines[:4]))
        except Exception as exc:
            failures.append(f"out={out_dtype}: raptors raised {type(exc).__name__}({exc})")
    assert not failures, f"{len(failures)} mismatch(es):\n" + "\n".join(failures)


def test_out_casting_examples():
    a = from_np(np.array([1, 2, 3], dtype=np.int64))
    f32 = rp.zeros(3, dtype=rp.float32)
    assert rp.add(a, a, out=f32) is f32
    assert_same(f32, np.array([2, 4, 6], dtype=np.float32))
    i8 = rp.zeros(3, dtype=rp.int8)
    rp.multiply(a, 100, out=i8)  # int64 -> int8 is same_kind: wraps
    assert_same(i8, np.array([100, -56, 44], dtype=np.int8))
    with pytest.raises(TypeError):
        rp.divide(a, 2, out=rp.zeros(3, dtype=rp.int64))
    with pytest.raises(TypeError):
        rp.add(a, 1, out=rp.zeros(3, dtype=rp.uint8))
    with pytest.raises(TypeError):
        rp.add(a, 1, out=rp.zeros(3, dtype=rp.bool))
    b = rp.zeros(3, dtype=rp.float64)
    rp.less(a, 2, out=b)  # bool -> float is safe
    assert_same(b, np.array([1.0, 0.0, 0.0]))


def test_out_shape_must_match():
    a = rp.ones((2, 3))
    for bad in [(3,), (3, 2), (2, 2), (), (1, 3), (2, 3, 1), (6,)]:
        with pytest.raises(ValueError):
            rp.add(a, 1, out=rp.zeros(bad))
        with pytest.raises(ValueError):
            rp.sqrt(a, out=rp.zeros(bad))
    with pytest.raises(ValueError):
        rp.add(rp.ones(2), rp.ones((3, 1)), out=rp.zeros((3,)))
    with pytest.raises(ValueError):
        rp.clip(a, 0, 1, out=rp.zeros(3))
    with pytest.raises(ValueError):
        rp.round(a, 1, out=rp.zeros((3, 2)))
    # a failed call writes nothing
    out = rp.zeros((3,))
    with pytest.raises(ValueError):
        rp.add(a, 1, out=out)
    assert_same(out, np.zeros(3))


def test_out_must_be_a_raptors_array():
    a = rp.ones(3)
    for bad in [[0.0, 0.0, 0.0], "x", 5]:
        with pytest.raises(TypeError):
            rp.add(a, 1, out=bad)
        with pytest.raises(TypeError):
            rp.exp(a, out=bad)


def test_out_none_and_positional_inputs():
    a = sample("float64", (3,))
    assert_same(rp.add(from_np(a), 1, out=None), a + 1)
    assert_same(rp.sqrt(from_np(np.abs(a)), out=None), np.sqrt(np.abs(a)))


def test_out_0d_and_empty():
    o = rp.zeros((), dtype=rp.int64)
    assert rp.add(1, 2, out=o) is o
    assert_same(o, np.array(3))
    o = rp.zeros((), dtype=rp.float32)
    rp.sqrt(from_np(np.array(2.0, dtype=np.float32)), out=o)
    assert_same(o, np.sqrt(np.float32(2.0)).reshape(()))
    e = rp.zeros((2, 0, 3), dtype=rp.float64)
    assert rp.multiply(rp.zeros((2, 0, 3)), rp.ones(3), out=e) is e
    assert e.shape == (2, 0, 3)


def test_out_broadcasts_inputs():
    """out has the broadcast shape of the inputs.  (NumPy also lets out be larger than that,
    broadcasting the inputs up to it; that is deliberately not tested here.)"""
    n_out = np.zeros((3, 4))
    check_out("add", [sample("float64", (3, 1)), sample("float64", (4,))], n_out, from_np(n_out))
    n_out = np.zeros((2, 3), dtype=np.int16)
    check_out(
        "multiply", [np.array(3, dtype=np.int16), np.ones((2, 1), np.int16)], n_out, from_np(n_out)
    )
    n_out = np.zeros((4, 5))
    check_out(
        "arctan2", [sample("float32", (5,)), sample("float64", (4, 1))], n_out, from_np(n_out)
    )


@pytest.mark.parametrize("view", ["step", "reverse", "transpose", "column", "mixed"])
def test_out_is_a_view(view):
    """Writing into a strided / reversed / transposed view changes exactly those elements of
    the base, as NumPy does."""
    make = {
        "step": lambda m: m[::2, ::3],
        "reverse": lambda m: m[::-1, ::-2],
        "transpose": lambda m: m.T[1:5, ::-1],
        "column": lambda m: m[:, 2],
        "mixed": lambda m: m[1::2, ::-1][:, 1:4],
    }[view]
    base = sample("float64", (6, 9))
    n, r = base.copy(), from_np(base)
    nv, rv = make(n), make(r)
    shape = nv.shape
    x = sample("float32", shape)
    y = second_operand("int16", shape)
    check_out("add", [x, y], nv, rv)
    assert_same(r, n)
    check_out("sqrt", [np.abs(x)], make(n), make(r))
    assert_same(r, n)
    check_out("maximum", [x, 0.5], make(n), make(r))
    assert_same(r, n)
    check_out("less", [x, y], make(n), make(r))
    assert_same(r, n)


ALIAS_CASES = {
    "out_is_first_input": lambda m: (m, m[::-1].copy(), m),
    "out_is_both_inputs": lambda m: (m, m, m),
    "shift_right": lambda m: (m[1:], m[:-1], m[1:]),
    "shift_left": lambda m: (m[:-1], m[1:], m[:-1]),
    "out_shifted": lambda m: (m[:-1], m[:-1], m[1:]),
    "reversed_input": lambda m: (m[::-1], m, m),
    "reversed_out": lambda m: (m, m, m[::-1]),
    "interleaved": lambda m: (m[::2], m[1::2], m[1::2]),
    "strided_overlap": lambda m: (m[:10:2], m[1:11:2], m[2:12:2]),
}


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "maximum", "arctan2"])
@pytest.mark.parametrize("case", list(ALIAS_CASES))
def test_out_aliasing_inputs(case, name):
    """``np.add(a, b, out=a)``, ``np.add(a[1:], a[:-1], out=a[1:])``, ... : NumPy computes as
    if the inputs were read before anything was written (it copies when the overlap matters);
    the base array afterwards must be the same."""
    base = sample("float64", (24,)) if name == "arctan2" else sample("int64", (24,))
    n, r = base.copy(), from_np(base)
    nx, ny, no = ALIAS_CASES[case](n)
    rx, ry, ro = ALIAS_CASES[case](r)
    np_call(getattr(np, name), nx, ny, out=no)
    res = getattr(rp, name)(rx, ry, out=ro)
    assert res is ro
    comparator(name)(r, n)


@pytest.mark.parametrize("name", ["negative", "exp", "sqrt", "square", "floor"])
@pytest.mark.parametrize("case", ["same", "shift_right", "shift_left", "reversed", "transposed"])
def test_out_aliasing_unary(case, name):
    base = np.abs(sample("float64", (6, 6))) + 0.5
    n, r = base.copy(), from_np(base)
    make = {
        "same": lambda m: (m, m),
        "shift_right": lambda m: (m[:-1], m[1:]),
        "shift_left": lambda m: (m[1:], m[:-1]),
        "reversed": lambda m: (m[::-1, ::-1], m),
        "transposed": lambda m: (m.T, m),
    }[case]
    nx, no = make(n)
    rx, ro = make(r)
    np_call(getattr(np, name), nx, out=no)
    assert getattr(rp, name)(rx, out=ro) is ro
    (assert_ulp if name == "exp" else assert_same)(r, n)


def test_out_aliasing_large():
    """Overlapping in- and outputs big enough for a parallel kernel."""
    base = (np.arange(200_000) % 1009).astype(np.int64)
    for make in [
        lambda m: (m[1:], m[:-1], m[1:]),
        lambda m: (m[:-1], m[1:], m[:-1]),
        lambda m: (m[::-1], m, m),
        lambda m: (m[:100_000], m[100_000:], m[50_000:150_000]),
    ]:
        n, r = base.copy(), from_np(base)
        nx, ny, no = make(n)
        rx, ry, ro = make(r)
        np.add(nx, ny, out=no)
        rp.add(rx, ry, out=ro)
        assert_same(r, n)
    n, r = base.astype(np.float64), from_np(base.astype(np.float64))
    np.multiply(n[::2], 0.5, out=n[1::2])
    rp.multiply(r[::2], 0.5, out=r[1::2])
    assert_same(r, n)


def test_out_read_only():
    ro = rp.broadcast_to(rp.zeros(3), (2, 3))
    with pytest.raises(ValueError):
        rp.add(rp.ones((2, 3)), 1, out=ro)
    with pytest.raises(ValueError):
        rp.negative(rp.ones((2, 3)), out=ro)
    n = np.arange(6.0)
    n.flags.writeable = False
    frozen = rp.asarray(n)
    if not frozen.writeable:
        with pytest.raises(ValueError):
            rp.add(frozen, 1, out=frozen)
        assert_same(frozen, np.arange(6.0))


def test_clip_and_round_out():
    a = sample("float64", (3, 4))
    n_out = np.zeros((3, 4))
    r_out = from_np(n_out)
    assert rp.clip(from_np(a), -2, 2, out=r_out) is r_out
    assert_same(r_out, np.clip(a, -2, 2))
    assert rp.round(from_np(a), 1, out=r_out) is r_out
    assert_same(r_out, np.round(a, 1))
    # clip in place, through a reversed view
    n, r = a.copy(), from_np(a)
    np.clip(n[::-1], -1, 1, out=n[::-1])
    rp.clip(r[::-1], -1, 1, out=r[::-1])
    assert_same(r, n)
    with pytest.raises(TypeError):
        rp.clip(from_np(a), 0, 1.5, out=rp.zeros((3, 4), dtype=rp.int64))
    with pytest.raises(TypeError):
        rp.round(from_np(a), 1, out=rp.zeros((3, 4), dtype=rp.int64))


@settings(max_examples=40, deadline=None)
@given(case=view_pairs(dtype="float64", min_dims=1), data=st.data())
def test_out_view_hypothesis(case, data):
    """out= a (possibly reversed, strided) view of an array, inputs views of the same array."""
    nv, rv, nb, rb = case
    name = data.draw(st.sampled_from(["add", "multiply", "maximum", "subtract"]))
    flip = tuple(slice(None, None, -1) for _ in range(nv.ndim))
    np_call(getattr(np, name), nv, nv[flip], out=nv)
    assert getattr(rp, name)(rv, rv[flip], out=rv) is rv
    comparator(name)(rb, nb)


# --------------------------------------------------------------------------------------------
# the borrow rule
# --------------------------------------------------------------------------------------------


# Each check runs in a fresh interpreter: a write that waits for the borrow instead of
# refusing it would deadlock (the job needs the GIL to finish), and that must fail this test,
# not hang the whole run.
BORROW_PRELUDE = """
import asyncio, os, sys
import numpy as np
import raptors as rp

def occupy_pool():
    # queue enough work that the job submitted next waits, holding its read borrow
    env = os.environ.get("RAPTORS_NUM_THREADS", "").strip()
    threads = int(env) if env.isdigit() and int(env) > 0 else len(os.sched_getaffinity(0))
    blocker = rp.zeros(2_000_000, dtype=rp.float64)
    return [blocker.astype_async(rp.uint8) for _ in range(2 * min(threads, 16))]

def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)

async def main():
    a = rp.arange(100_000, dtype=rp.float64)
    other = rp.ones(100_000)
    expected = np.arange(100_000, dtype=np.float64)
    blockers = occupy_pool()
    fut = JOB
    try:
        WRITE
    except BufferError:
        pass
    except Exception as exc:
        check(False, f"raised {type(exc).__name__}({exc}) instead of BufferError")
    else:
        check(False, "the write into the borrowed array did not raise BufferError")
    # reading the borrowed array is fine, and so is writing elsewhere
    s = rp.add(a, 1)
    rp.multiply(a, 2, out=other)
    await fut
    await asyncio.gather(*blockers)
    check(np.array_equal(np.array(a.tolist()), expected), "the refused write changed the array")
    check(np.array_equal(np.array(s.tolist()), expected + 1), "reading while borrowed")
    check(np.array_equal(np.array(other.tolist()), expected * 2), "writing elsewhere")
    # the job is over: the same write works now
    WRITE
    print("OK")

asyncio.run(main())
"""

BORROW_WRITES = {
    "add_out_self": "rp.add(a, 1, out=a)",
    "add_out": "rp.add(other, 1, out=a)",
    "negative_out_view": "rp.negative(other[::2], out=a[::2])",
    "exp_out_reversed_view": "rp.exp(other[:10], out=a[10:0:-1])",
    "clip_out": "rp.clip(other, 0, 1, out=a)",
    "round_out": "rp.round(other, 1, out=a)",
    "round0_out": "rp.round(other, out=a)",
    "nan_to_num_copy_false": "rp.nan_to_num(a, copy=False)",
    "iadd": "a += 1",
    "imul_view": "v = a[10:20]; v *= 2",
    "isub_reversed_view": "a[::-1] -= 1",
    "itruediv_scalar": "a /= 2",
}
BORROW_JOBS = {"copy": "a.copy_async()", "view_astype": "a[::3].astype_async(rp.float32)"}


def run_borrow_script(job: str, write: str) -> subprocess.CompletedProcess:
    code = BORROW_PRELUDE.replace("JOB", job).replace("WRITE", write)
    try:
        # normally well under a second
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=5
        )
    except subprocess.TimeoutExpired:
        pass
    pytest.fail(f"`{write}` while a job reads the array hung (a deadlock?) instead of raising")


@pytest.mark.parametrize("write", list(BORROW_WRITES))
def test_writes_into_a_borrowed_array_raise_buffer_error(write):
    """out= into (or an in-place operator on) an array that a running job reads raises
    BufferError, also through a view; reading it is fine; after ``await`` it works."""
    job = "view_astype" if write in ("iadd", "imul_view") else "copy"
    proc = run_borrow_script(BORROW_JOBS[job], BORROW_WRITES[write])
    assert proc.returncode == 0 and proc.stdout.strip().endswith("OK"), proc.stdout + proc.stderr


def test_failed_out_leaves_inputs_and_out_alone():
    a = from_np(sample("int32", (3, 4)))
    out = rp.zeros((3, 4), dtype=rp.int32)
    with pytest.raises(ValueError):
        rp.power(a, -1, out=out)
    with pytest.raises(TypeError):
        rp.true_divide(a, 3, out=out)
    assert_same(out, np.zeros((3, 4), dtype=np.int32))
    assert_same(a, sample("int32", (3, 4)))
    with pytest.raises(TypeError):
        rp.add(a, "x", out=out)
    assert_same(out, np.zeros((3, 4), dtype=np.int32))
