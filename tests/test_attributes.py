"""ndarray attributes, the shape-changing methods, conversions and the Python protocols."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    PY_SCALAR_TYPE,
    all_dtypes,
    assert_same,
    assert_scalar,
    assert_strides,
    factorizations,
    from_np,
    int_dtypes,
    np_arrays,
    permutations_of,
    raises_like,
    rp_dtype,
    view_pairs,
)
from hypothesis import given
from hypothesis import strategies as st

# --------------------------------------------------------------------------------------------
# attributes
# --------------------------------------------------------------------------------------------


def _check_attributes(r, n):
    assert r.shape == n.shape
    assert type(r.shape) is tuple
    assert r.ndim == n.ndim
    assert r.size == n.size
    assert r.dtype.name == n.dtype.name
    assert r.itemsize == n.itemsize
    assert r.nbytes == n.nbytes
    assert len(r.strides) == n.ndim
    assert_strides(r, n)
    assert r.c_contiguous is bool(n.flags.c_contiguous), "c_contiguous"
    assert r.f_contiguous is bool(n.flags.f_contiguous), "f_contiguous"


@given(view_pairs())
def test_attributes_of_views_match_numpy(pair):
    nv, rv, nb, rb = pair
    _check_attributes(rb, nb)
    _check_attributes(rv, nv)
    assert_same(rv, nv)


@given(view_pairs())
def test_data_ptr_offsets_match_numpy(pair):
    nv, rv, nb, rb = pair
    if nv.size:
        assert rv.data_ptr - rb.data_ptr == nv.ctypes.data - nb.ctypes.data


@all_dtypes
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 0, 3), (2, 3, 4), (1, 1)], ids=repr)
def test_attributes_fresh_arrays(dtype, shape):
    _check_attributes(rp.zeros(shape, dtype=dtype), np.zeros(shape, dtype=dtype))


def test_data_ptr_of_slices():
    a = rp.arange(10, dtype="int32")
    assert isinstance(a.data_ptr, int)
    assert a[3:].data_ptr == a.data_ptr + 12
    assert a[::-1].data_ptr == a.data_ptr + 36
    m = rp.zeros((4, 5))
    assert m[1].data_ptr == m.data_ptr + 40
    assert m[:, 2].data_ptr == m.data_ptr + 16
    assert m.T.data_ptr == m.data_ptr


def test_contiguity_examples():
    m = rp.zeros((3, 4))
    assert m.c_contiguous and not m.f_contiguous
    assert m.T.f_contiguous and not m.T.c_contiguous
    assert not m[:, ::2].c_contiguous
    assert not m[:, ::2].f_contiguous
    assert m[1].c_contiguous
    assert m[:, 1:2].T.c_contiguous is bool(np.zeros((3, 4))[:, 1:2].T.flags.c_contiguous)


def test_writeable_device_and_namespace():
    a = rp.arange(4)
    assert a.writeable is True
    assert a.device == "cpu"
    assert a.__array_namespace__() is rp
    b = a.to_device("cpu")
    assert_same(b, np.arange(4))
    with pytest.raises(ValueError):
        a.to_device("gpu")


# --------------------------------------------------------------------------------------------
# T and mT
# --------------------------------------------------------------------------------------------


@given(view_pairs())
def test_T(pair):
    nv, rv, _, _ = pair
    t = rv.T
    assert_same(t, nv.T)
    assert_strides(t, nv.T)
    if nv.size:
        assert t.data_ptr == rv.data_ptr


@given(view_pairs(min_dims=2))
def test_mT(pair):
    nv, rv, _, _ = pair
    assert_same(rv.mT, nv.mT)
    assert_strides(rv.mT, nv.mT)


@pytest.mark.parametrize("shape", [(), (3,)])
def test_mT_needs_two_dims(shape):
    raises_like(lambda: rp.zeros(shape).mT, lambda: np.zeros(shape).mT)


def test_T_is_a_view():
    m = rp.zeros((2, 3))
    m.T[2, 1] = 5.0
    assert m[1, 2] == 5.0


# --------------------------------------------------------------------------------------------
# reshape
# --------------------------------------------------------------------------------------------


@st.composite
def reshape_cases(draw):
    nv, rv, nb, rb = draw(view_pairs(max_dims=3))
    if nv.size == 0:
        new = draw(st.sampled_from([(0,), (0, 3), (2, 0), (-1,), (5, -1)]))
    else:
        new = draw(factorizations(nv.size))
        if draw(st.booleans()):
            i = draw(st.integers(0, len(new) - 1))
            new = (*new[:i], -1, *new[i + 1 :])
    order = draw(st.sampled_from(["C", "F"]))
    return nv, rv, nb, rb, new, order


@given(reshape_cases())
def test_reshape_hypothesis(case):
    nv, rv, _, _, new, order = case
    expected = nv.reshape(new, order=order)
    assert_same(rv.reshape(new, order=order), expected)
    assert_same(rv.reshape(*new, order=order), expected)
    assert_same(rp.reshape(rv, new, order=order), expected)


@given(reshape_cases(), st.sampled_from([True, False]))
def test_reshape_copy_semantics(case, value):
    """copy=False succeeds exactly when NumPy can make a view, and the view aliases."""
    nv, rv, nb, rb, new, order = case
    try:
        nres = nv.reshape(new, order=order, copy=False)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            rv.reshape(new, order=order, copy=False)
        assert str(info.value) == str(exc)
        return
    rres = rv.reshape(new, order=order, copy=False)
    assert_same(rres, nres)
    nres.fill(value)
    rres.fill(value)
    assert_same(rb, nb)


@given(view_pairs())
def test_reshape_copy_true_is_independent(pair):
    nv, rv, nb, rb = pair
    before = nb.copy()
    r = rv.reshape(nv.shape, copy=True)
    assert_same(r, nv)
    r.fill(1)
    assert_same(rb, before)


def test_reshape_default_returns_view_when_possible():
    a = rp.arange(12)
    b = a.reshape(3, 4)
    assert b.data_ptr == a.data_ptr
    b[1, 1] = 100
    assert a[5] == 100


@pytest.mark.parametrize("new", [(4, 2), (5,), (-1, -1), (0,), (7, -1)], ids=repr)
def test_reshape_errors(new):
    raises_like(lambda: rp.arange(6).reshape(new), lambda: np.arange(6).reshape(new))


# --------------------------------------------------------------------------------------------
# transpose
# --------------------------------------------------------------------------------------------


@st.composite
def transpose_cases(draw):
    nv, rv, nb, rb = draw(view_pairs())
    perm = draw(permutations_of(nv.ndim))
    if perm and draw(st.booleans()):
        perm = [p - nv.ndim if draw(st.booleans()) else p for p in perm]
    return nv, rv, nb, rb, tuple(perm)


@given(transpose_cases())
def test_transpose_hypothesis(case):
    nv, rv, _, _, perm = case
    expected = nv.transpose(perm)
    for got in (rv.transpose(perm), rv.transpose(list(perm)), rp.transpose(rv, perm)):
        assert_same(got, expected)
        assert_strides(got, expected)
    if perm:
        assert_same(rv.transpose(*perm), expected)
    assert_same(rv.transpose(), nv.transpose())
    assert_same(rv.transpose(None), nv.transpose(None))


@given(transpose_cases())
def test_transpose_is_a_view(case):
    nv, rv, nb, rb, perm = case
    nv.transpose(perm).fill(1)
    rv.transpose(perm).fill(1)
    assert_same(rb, nb)


@pytest.mark.parametrize("axes", [(0, 0), (0,), (0, 1, 2), (0, 2)], ids=repr)
def test_transpose_errors(axes):
    raises_like(lambda: rp.zeros((2, 1)).transpose(axes), lambda: np.zeros((2, 1)).transpose(axes))


# --------------------------------------------------------------------------------------------
# ravel / flatten / copy
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
@given(pair=view_pairs())
def test_ravel_and_flatten(order, pair):
    nv, rv, _, _ = pair
    assert_same(rv.ravel(order), nv.ravel(order))
    assert_same(rv.ravel(order=order), nv.ravel(order=order))
    assert_same(rv.flatten(order), nv.flatten(order))
    assert_same(rp.ravel(rv, order=order), np.ravel(nv, order=order))


@given(pair=view_pairs())
def test_ravel_default_is_C(pair):
    nv, rv, _, _ = pair
    assert_same(rv.ravel(), nv.ravel())
    assert_same(rv.flatten(), nv.flatten())
    assert_same(rp.ravel(rv), np.ravel(nv))


@given(pair=view_pairs(), value=st.booleans())
def test_ravel_view_when_numpy_views_flatten_always_copies(pair, value):
    nv, rv, nb, rb = pair
    before = nb.copy()
    flat = rv.flatten()
    flat.fill(value)
    assert_same(rb, before)
    if nv.size and np.shares_memory(nv.ravel(), nb):
        rv.ravel().fill(value)
        nv.ravel().fill(value)
        assert_same(rb, nb)


@given(pair=view_pairs())
def test_copy(pair):
    nv, rv, nb, rb = pair
    c = rv.copy()
    assert_same(c, nv)
    assert c.c_contiguous
    assert c.writeable
    before = nb.copy()
    c.fill(1)
    assert_same(rb, before)
    for c2 in (copy.copy(rv), copy.deepcopy(rv)):
        assert_same(c2, nv)
        if nv.size:
            assert c2.data_ptr != rv.data_ptr


def test_pickle_round_trip():
    a = rp.arange(12, dtype="float32").reshape(3, 4)[::-1, 1::2]
    back = pickle.loads(pickle.dumps(a))
    assert_same(back, np.arange(12, dtype="float32").reshape(3, 4)[::-1, 1::2])


# --------------------------------------------------------------------------------------------
# astype
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("src", ALL_DTYPES)
@pytest.mark.parametrize("dst", ALL_DTYPES)
def test_astype_all_pairs(src, dst):
    n = np.array([0, 1, 2, 3, 4, 5, 100, 127], dtype=src)
    r = from_np(n)
    expected = n.astype(dst)
    for got in (r.astype(dst), r.astype(rp_dtype(dst)), rp.astype(r, dst)):
        assert_same(got, expected)
        assert got.c_contiguous


@st.composite
def astype_cases(draw):
    src = draw(st.sampled_from(ALL_DTYPES))
    dst = draw(st.sampled_from(ALL_DTYPES))
    shape = draw(st.sampled_from([(), (5,), (2, 3), (0, 2)]))
    n = draw(np_arrays(src, shape))
    if n.dtype.kind == "f" and np.dtype(dst).kind in "iu":
        # out-of-range float -> int casts are undefined in C (and NumPy); keep them in range
        info = np.iinfo(dst)
        wide = n.astype(np.float64)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(wide) & (wide > float(info.min) - 1) & (wide < float(info.max) + 1)
            ok &= np.abs(wide) < 2.0**53
        n = np.where(ok, n, np.zeros_like(n))
    return n, dst


@given(astype_cases())
def test_astype_hypothesis(case):
    n, dst = case
    with np.errstate(all="ignore"):
        expected = n.astype(dst)
    assert_same(from_np(n).astype(dst), expected)


@int_dtypes
def test_astype_int_wraparound(dtype):
    n = np.array([-1, 255, 256, 65537, -(2**40), 2**63 - 1], dtype="int64")
    assert_same(from_np(n).astype(dtype), n.astype(dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_astype_float_specials(dtype):
    n = np.array([np.nan, np.inf, -np.inf, -0.0, 1e300, -1e300, 5e-324, 65520.0])
    with np.errstate(all="ignore"):
        expected = n.astype(dtype)
    assert_same(from_np(n).astype(dtype), expected)
    assert_same(from_np(n).astype("bool"), n.astype("bool"))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_astype_float_truncates(dtype):
    n = np.array([0.9, 1.5, 2.999, 7.0, 100.7])
    if dtype.startswith("int"):
        n = np.concatenate([n, -n])
    assert_same(from_np(n).astype(dtype), n.astype(dtype))


@given(view_pairs())
def test_astype_of_views(pair):
    nv, rv, _, _ = pair
    got = rv.astype("float64")
    with np.errstate(all="ignore"):
        assert_same(got, nv.astype("float64"))
    assert got.c_contiguous


def test_astype_copy_semantics():
    a = rp.arange(4)
    same = a.astype("int64", copy=False)
    assert same is a
    assert a.astype(rp.int64, copy=False) is a
    b = a.astype("int64")
    assert b is not a
    assert b.data_ptr != a.data_ptr
    b[0] = 7
    assert a[0] == 0
    c = a.astype("float32", copy=False)
    assert c.dtype == rp.float32
    assert rp.astype(a, "int64", copy=False) is a


@pytest.mark.parametrize("casting", ["no", "equiv", "safe", "same_kind", "unsafe"])
@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("int64", "int8"),
        ("int8", "int64"),
        ("float64", "int32"),
        ("uint8", "int8"),
        ("float64", "float32"),
        ("bool", "float16"),
        ("int32", "float64"),
        ("int16", "int16"),
    ],
)
def test_astype_casting_rules(src, dst, casting):
    n = np.zeros(3, dtype=src)
    r = rp.zeros(3, dtype=src)
    try:
        expected = n.astype(dst, casting=casting)
    except TypeError as exc:
        with pytest.raises(TypeError) as info:
            r.astype(dst, casting=casting)
        assert str(info.value) == str(exc)
        return
    assert_same(r.astype(dst, casting=casting), expected)


# --------------------------------------------------------------------------------------------
# tolist / item / fill
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_tolist_element_types(dtype):
    n = np.arange(6).astype(dtype).reshape(2, 3)
    out = from_np(n).tolist()
    assert out == n.tolist()
    assert all(type(v) is PY_SCALAR_TYPE[dtype] for row in out for v in row)
    zero_d = from_np(np.array(1, dtype=dtype)).tolist()
    assert type(zero_d) is PY_SCALAR_TYPE[dtype]


def test_tolist_float16_values():
    values = [0.1, 1 / 3, 65504.0, 6e-8, -0.0]
    n = np.array(values, dtype="float16")
    out = rp.array(values, dtype="float16").tolist()
    assert out == n.tolist()
    assert all(type(v) is float for v in out)
    assert math.copysign(1.0, out[-1]) == -1.0


@given(view_pairs())
def test_tolist_of_views(pair):
    nv, rv, _, _ = pair
    out = rv.tolist()
    exp = nv.tolist()
    if nv.dtype.kind == "f":
        np.testing.assert_array_equal(np.array(out, dtype=nv.dtype).reshape(nv.shape), nv)
    else:
        assert out == exp


@given(view_pairs())
def test_item(pair):
    nv, rv, _, _ = pair
    if nv.size == 1:
        assert_scalar(rv.item(), nv.item())
    elif nv.size > 1:
        raises_like(lambda: rv.item(), lambda: nv.item())
    for i in (0, nv.size - 1, -1):
        if nv.size:
            assert_scalar(rv.item(i), nv.item(i))
    if nv.size:
        last = tuple(s - 1 for s in nv.shape)
        assert_scalar(rv.item(*last), nv.item(*last))
        assert_scalar(rv.item(last), nv.item(last))


def test_item_errors():
    n = np.zeros((2, 2))
    r = rp.zeros((2, 2))
    raises_like(lambda: r.item(5), lambda: n.item(5))
    raises_like(lambda: r.item(0, 5), lambda: n.item(0, 5))
    raises_like(lambda: r.item(1, 2, 3), lambda: n.item(1, 2, 3))
    raises_like(lambda: r.item(), lambda: n.item())


@all_dtypes
@pytest.mark.parametrize("value", [0, 1, True, 2.5, 7])
def test_fill(dtype, value):
    n = np.zeros((2, 3), dtype=dtype)
    r = rp.zeros((2, 3), dtype=dtype)
    assert r.fill(value) is None
    n.fill(value)
    assert_same(r, n)


@given(pair=view_pairs(), value=st.integers(0, 1) | st.booleans())
def test_fill_view_touches_only_view(pair, value):
    nv, rv, nb, rb = pair
    nv.fill(value)
    rv.fill(value)
    assert_same(rb, nb)
    assert_same(rv, nv)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -0.0], ids=repr)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_fill_special_floats(dtype, value):
    n = np.zeros(3, dtype=dtype)
    r = rp.zeros(3, dtype=dtype)
    n.fill(value)
    r.fill(value)
    assert_same(r, n)


@pytest.mark.parametrize(
    ("dtype", "value"),
    [("uint8", 300), ("uint8", -1), ("int8", 128), ("int64", 2**63), ("uint64", -1)],
)
def test_fill_out_of_range(dtype, value):
    raises_like(
        lambda: rp.zeros(3, dtype=dtype).fill(value),
        lambda: np.zeros(3, dtype=dtype).fill(value),
        message=None if dtype.endswith("64") else "exact",
    )


def test_fill_nan_into_int():
    raises_like(
        lambda: rp.zeros(3, dtype="int8").fill(math.nan),
        lambda: np.zeros(3, dtype="int8").fill(math.nan),
    )


def test_fill_read_only():
    b = rp.broadcast_to(rp.arange(3), (2, 3))
    with pytest.raises(ValueError, match="read-only"):
        b.fill(0)


# --------------------------------------------------------------------------------------------
# Python protocols
# --------------------------------------------------------------------------------------------


@given(view_pairs())
def test_len(pair):
    nv, rv, _, _ = pair
    if nv.ndim == 0:
        raises_like(lambda: len(rv), lambda: len(nv))
    else:
        assert len(rv) == len(nv)


@given(view_pairs(min_dims=1))
def test_iter(pair):
    nv, rv, _, _ = pair
    items = list(rv)
    assert len(items) == len(nv)
    for got, exp in zip(items, nv, strict=True):
        if nv.ndim == 1:
            assert_scalar(got, exp)
        else:
            assert_same(got, exp)


def test_iter_rows_are_views():
    m = rp.zeros((2, 3))
    for row in m:
        row.fill(1.0)
    assert_same(m, np.ones((2, 3)))


def test_iter_0d():
    raises_like(lambda: iter(rp.array(1)), lambda: iter(np.array(1)))


@all_dtypes
def test_bool(dtype):
    for values in ([0], [1], 0, 1):
        n = np.array(values, dtype=dtype)
        assert bool(from_np(n)) is bool(n)


@pytest.mark.parametrize("shape", [(0,), (2,), (1, 2), (2, 0)], ids=repr)
def test_bool_errors(shape):
    raises_like(lambda: bool(rp.zeros(shape)), lambda: bool(np.zeros(shape)))


@all_dtypes
def test_int_float_of_0d(dtype):
    n = np.array(1, dtype=dtype)
    r = from_np(n)
    assert type(int(r)) is int and int(r) == int(n)
    assert type(float(r)) is float and float(r) == float(n)


@pytest.mark.parametrize("value", [3.7, -3.7, 2.0**60, -0.0])
def test_int_truncates(value):
    assert int(rp.array(value)) == int(np.array(value))


def test_int_of_nan_and_inf():
    raises_like(lambda: int(rp.array(math.nan)), lambda: int(np.array(math.nan)))
    raises_like(lambda: int(rp.array(math.inf)), lambda: int(np.array(math.inf)))


@pytest.mark.parametrize("fn", [int, float])
@pytest.mark.parametrize("shape", [(1,), (1, 1), (2,), (0,)], ids=repr)
def test_int_float_need_0d(fn, shape):
    raises_like(lambda: fn(rp.zeros(shape)), lambda: fn(np.zeros(shape)))


@int_dtypes
def test_index(dtype):
    r = rp.array(3, dtype=dtype)
    assert r.__index__() == 3
    assert [10, 11, 12, 13][r] == 13
    assert range(10)[rp.array(2, dtype=dtype)] == 2
    assert hex(rp.array(100, dtype=dtype)) == hex(np.array(100, dtype=dtype))


@pytest.mark.parametrize("dtype", ["bool", *FLOAT_DTYPES])
def test_index_rejects_non_integers(dtype):
    raises_like(
        lambda: rp.array(1, dtype=dtype).__index__(), lambda: np.array(1, dtype=dtype).__index__()
    )


def test_index_rejects_non_0d():
    raises_like(lambda: [1, 2][rp.array([1])], lambda: [1, 2][np.array([1])])


def test_not_hashable():
    assert rp.ndarray.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(rp.arange(3))
    with pytest.raises(TypeError):
        {rp.arange(3)}
