"""Array creation: array/asarray, the filled constructors, *_like, arange, linspace, eye."""

from __future__ import annotations

import array as pyarray
import math

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    SIGNED_DTYPES,
    all_dtypes,
    array_pairs,
    assert_same,
    assert_strides,
    float_dtypes,
    from_np,
    int_dtypes,
    raises_like,
    rp_dtype,
    shares_memory,
    to_np,
    view_pairs,
)
from hypothesis import given
from hypothesis import strategies as st

# --------------------------------------------------------------------------------------------
# array() from Python objects
# --------------------------------------------------------------------------------------------

SCALARS = [
    True,
    False,
    0,
    1,
    -7,
    2**31,
    2**62,
    -(2**63),
    2**63 - 1,
    2**63,  # does not fit int64 -> uint64
    2**64 - 1,
    0.0,
    -0.0,
    1.5,
    -2.25,
    1e300,
    5e-324,
    math.inf,
    -math.inf,
    math.nan,
]


@pytest.mark.parametrize("value", SCALARS, ids=repr)
def test_array_from_python_scalar(value):
    assert_same(rp.array(value), np.array(value))
    assert_same(rp.asarray(value), np.asarray(value))


NESTED = [
    [],
    [[]],
    [[], []],
    [1, 2, 3],
    (1, 2, 3),
    [True, False],
    [1.0, 2.0],
    [1, 2.5],
    [True, 2],
    [True, 2.5],
    [[1, 2], [3, 4]],
    ([1, 2], (3, 4)),
    [[[1], [2]], [[3], [4]]],
    [[1.5, -0.0], [math.nan, math.inf]],
    [[True], [False]],
    [2**63, 1],
    [-1, 2**62],
    [[[]]],
    [[[], []], [[], []]],
    [1, 2**63],
    [2**63, -1],
]


@pytest.mark.parametrize("obj", NESTED, ids=repr)
def test_array_from_nested_sequences(obj):
    assert_same(rp.array(obj), np.array(obj))
    assert_same(rp.asarray(obj), np.asarray(obj))


@pytest.mark.parametrize("obj", NESTED[3:], ids=repr)
@all_dtypes
def test_array_from_nested_with_dtype(obj, dtype):
    try:
        with np.errstate(over="ignore"):  # float16 overflows to inf
            expected = np.array(obj, dtype=dtype)
    except (OverflowError, ValueError) as exc:
        with pytest.raises(type(exc)):
            rp.array(obj, dtype=dtype)
        return
    assert_same(rp.array(obj, dtype=dtype), expected)
    assert_same(rp.array(obj, dtype=rp_dtype(dtype)), expected)


@pytest.mark.parametrize(
    "scalar", [np.float32(1.5), np.float16(-0.5), np.int8(-3), np.uint16(7), np.bool_(True)]
)
def test_array_from_numpy_scalars_keeps_dtype(scalar):
    assert_same(rp.array(scalar), np.array(scalar))
    assert_same(rp.asarray([scalar, scalar]), np.asarray([scalar, scalar]))


@pytest.mark.parametrize("ndmin", [0, 1, 2, 4])
@pytest.mark.parametrize("obj", [5, [1, 2], [[1, 2]], [[[1.0]]]])
def test_array_ndmin(obj, ndmin):
    assert_same(rp.array(obj, ndmin=ndmin), np.array(obj, ndmin=ndmin))


@all_dtypes
def test_array_dtype_argument_forms(dtype):
    expected = np.array([0, 1, 1], dtype=dtype)
    for spelling in (dtype, rp_dtype(dtype), np.dtype(dtype), np.dtype(dtype).type):
        assert_same(rp.array([0, 1, 1], dtype=spelling), expected)


@pytest.mark.parametrize("obj", [[1.9, -1.9, 0.5], [[2.7], [-2.7]]])
@pytest.mark.parametrize("dtype", SIGNED_DTYPES)
def test_array_float_to_int_truncates(obj, dtype):
    assert_same(rp.array(obj, dtype=dtype), np.array(obj, dtype=dtype))


def test_array_numbers_to_bool():
    obj = [0, 2, -1, 0.0, 0.5, math.nan]
    assert_same(rp.array(obj, dtype="bool"), np.array(obj, dtype="bool"))


@float_dtypes
def test_special_floats_round_trip(dtype):
    values = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1.0, -1.5]
    r = rp.array(values, dtype=dtype)
    assert_same(r, np.array(values, dtype=dtype))
    out = r.tolist()
    assert all(type(v) is float for v in out)
    assert math.isnan(out[0])
    assert out[1:3] == [math.inf, -math.inf]
    assert math.copysign(1.0, out[3]) == -1.0
    assert math.copysign(1.0, out[4]) == 1.0


@float_dtypes
def test_float_extremes_round_trip(dtype):
    fi = np.finfo(dtype)
    values = [float(fi.max), float(fi.min), float(fi.tiny), float(fi.smallest_subnormal)]
    assert_same(rp.array(values, dtype=dtype), np.array(values, dtype=dtype))


@int_dtypes
def test_int_extremes_round_trip(dtype):
    ii = np.iinfo(dtype)
    values = [int(ii.min), int(ii.max), 0]
    r = rp.array(values, dtype=dtype)
    assert_same(r, np.array(values, dtype=dtype))
    assert r.tolist() == values


def _overflow_message(dtype):
    # NumPy's message for the 64-bit types is an implementation artefact ("Python int too large
    # to convert to C long"); for the others it is "Python integer X out of bounds for DTYPE".
    return None if dtype in ("int64", "uint64") else "exact"


@int_dtypes
def test_python_int_out_of_range_overflows(dtype):
    ii = np.iinfo(dtype)
    msg = _overflow_message(dtype)
    for bad in (int(ii.max) + 1, int(ii.min) - 1):
        exc = raises_like(
            lambda b=bad: rp.array(b, dtype=dtype),
            lambda b=bad: np.array(b, dtype=dtype),
            message=msg,
        )
        assert str(bad) in str(exc)
        raises_like(
            lambda b=bad: rp.array([0, b], dtype=dtype),
            lambda b=bad: np.array([0, b], dtype=dtype),
            message=msg,
        )
        raises_like(
            lambda b=bad: rp.asarray([[b]], dtype=dtype),
            lambda b=bad: np.asarray([[b]], dtype=dtype),
            message=msg,
        )


def test_python_int_beyond_uint64_overflows_without_dtype():
    # NumPy would fall back to an object array; Raptors has no object dtype.
    with pytest.raises(OverflowError):
        rp.array(2**64)
    with pytest.raises(OverflowError):
        rp.array([1, -(2**63) - 1])


@pytest.mark.parametrize(
    "obj",
    [
        [[1, 2], [3]],
        [1, [2, 3]],
        [[1, 2], 3],
        [[[1, 2], [3, 4]], [[5, 6]]],
        [[1], [2, 3], [4]],
    ],
    ids=repr,
)
def test_ragged_input_raises_value_error(obj):
    raises_like(lambda: rp.array(obj), lambda: np.array(obj))
    raises_like(lambda: rp.asarray(obj), lambda: np.asarray(obj))


@pytest.mark.parametrize(
    "obj",
    ["abc", None, [1, None], [1, "a"], 1 + 2j, [1j], object(), {1: 2}, {1, 2}],
    ids=repr,
)
def test_unsupported_objects_raise_type_error(obj):
    with pytest.raises((TypeError, ValueError)):
        rp.array(obj)
    with pytest.raises((TypeError, ValueError)):
        rp.asarray(obj)


_leaf = st.one_of(
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.text(max_size=2),
)
_nested = st.recursive(
    _leaf,
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children),
    max_leaves=10,
)


@given(_nested)
def test_fuzz_array_from_arbitrary_nested_objects(obj):
    """Whatever NumPy makes a bool/int/float array of, Raptors matches; everything else is a
    clean Python exception, never a crash."""
    try:
        expected = np.array(obj)
    except (ValueError, TypeError, OverflowError):
        expected = None
    if expected is not None and expected.dtype.kind in "biuf":
        assert_same(rp.array(obj), expected)
    else:
        with pytest.raises((ValueError, TypeError, OverflowError)):
            rp.array(obj)


# --------------------------------------------------------------------------------------------
# copy semantics of array()/asarray() with Raptors input
# --------------------------------------------------------------------------------------------


def test_array_of_raptors_array_copies():
    a = rp.arange(6).reshape(2, 3)
    b = rp.array(a)
    assert b is not a
    assert b.data_ptr != a.data_ptr
    b[0, 0] = 100
    assert a[0, 0] == 0
    assert_same(b, np.array([[100, 1, 2], [3, 4, 5]]))


def test_array_copy_false_does_not_copy():
    a = rp.arange(6.0)
    b = rp.array(a, copy=False)
    assert b.data_ptr == a.data_ptr
    b[0] = -1.0
    assert a[0] == -1.0


def test_array_copy_false_raises_when_copy_needed():
    raises_like(
        lambda: rp.array(rp.arange(3), copy=False, dtype="float64"),
        lambda: np.array(np.arange(3), copy=False, dtype="float64"),
        message="first_line",
    )
    raises_like(
        lambda: rp.asarray([1, 2], copy=False),
        lambda: np.asarray([1, 2], copy=False),
        message="first_line",
    )


def test_asarray_of_raptors_array_is_identity():
    a = rp.arange(5)
    assert rp.asarray(a) is a
    assert rp.asarray(a, dtype="int64") is a
    assert rp.asarray(a, dtype=rp.int64) is a
    assert rp.asarray(a, copy=False) is a
    assert rp.asarray(a, device="cpu") is a


def test_asarray_copy_true_copies():
    a = rp.arange(5)
    b = rp.asarray(a, copy=True)
    assert b is not a
    assert b.data_ptr != a.data_ptr
    b[0] = 9
    assert a[0] == 0


def test_asarray_with_other_dtype_converts():
    a = rp.arange(5)
    b = rp.asarray(a, dtype="float32")
    assert_same(b, np.arange(5, dtype="float32"))
    assert_same(a, np.arange(5))


def test_array_of_view_is_contiguous_copy():
    a = rp.arange(12).reshape(3, 4)
    v = a[::-1, ::2]
    c = rp.array(v)
    assert c.c_contiguous
    assert c.strides == (16, 8)
    assert_same(c, np.arange(12).reshape(3, 4)[::-1, ::2])


def test_asarray_device():
    assert rp.asarray([1, 2], device="cpu").device == "cpu"
    with pytest.raises(ValueError):
        rp.asarray([1, 2], device="gpu")


# --------------------------------------------------------------------------------------------
# asarray() of buffer-protocol objects shares memory
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_asarray_numpy_array_shares_memory(dtype):
    n = np.arange(6).astype(dtype).reshape(2, 3)
    r = rp.asarray(n)
    assert_same(r, n)
    assert shares_memory(r, n)
    assert r.strides == n.strides
    # write through numpy, read through raptors and vice versa
    n[1, 2] = 0
    assert r[1, 2] == n[1, 2].item()
    r[0, 0] = 1
    assert n[0, 0] == 1


@given(view_pairs())
def test_asarray_numpy_view_shares_memory(pair):
    nv, _, _, _ = pair
    r = rp.asarray(nv)
    assert_same(r, nv)
    if nv.size:
        assert shares_memory(r, nv)
        assert_strides(r, nv)


def test_array_of_numpy_array_copies():
    n = np.arange(4.0)
    r = rp.array(n)
    assert_same(r, n)
    assert not shares_memory(r, n)
    n[0] = 10.0
    assert r[0] == 0.0


def test_asarray_bytearray_shares_memory():
    buf = bytearray(b"\x01\x02\x03")
    r = rp.asarray(buf)
    assert_same(r, np.asarray(buf))
    assert r.writeable
    buf[0] = 42
    assert r[0] == 42
    r[2] = 7
    assert buf[2] == 7
    assert r.data_ptr == np.asarray(buf).ctypes.data


@pytest.mark.parametrize("code", ["b", "B", "h", "H", "i", "I", "q", "Q", "f", "d"])
def test_asarray_array_array_shares_memory(code):
    buf = pyarray.array(code, [1, 2, 3])
    r = rp.asarray(buf)
    assert_same(r, np.asarray(buf))
    buf[1] = 5
    assert r[1] == 5
    r[0] = 4
    assert buf[0] == 4
    assert r.data_ptr == buf.buffer_info()[0]


def test_asarray_memoryview_shares_memory():
    n = np.arange(12, dtype=np.int32).reshape(3, 4)
    mv = memoryview(n)
    r = rp.asarray(mv)
    assert_same(r, n)
    assert shares_memory(r, n)
    r[2, 3] = -5
    assert n[2, 3] == -5


def test_asarray_strided_memoryview_shares_memory():
    n = np.arange(20, dtype=np.float64).reshape(4, 5)[::2, ::-2]
    r = rp.asarray(memoryview(n))
    assert_same(r, n)
    assert shares_memory(r, n)
    assert r.strides == n.strides
    r[0, 0] = -1.0
    assert n[0, 0] == -1.0


def test_asarray_readonly_buffer_is_readonly():
    mv = memoryview(b"abc")
    r = rp.asarray(mv)
    assert_same(r, np.asarray(mv))
    assert r.writeable is False
    with pytest.raises(ValueError):
        r[0] = 1


def test_asarray_readonly_numpy_array_is_readonly():
    n = np.arange(3.0)
    n.flags.writeable = False
    r = rp.asarray(n)
    assert r.writeable is False
    with pytest.raises(ValueError):
        r[0] = 1.0


# --------------------------------------------------------------------------------------------
# zeros / ones / empty / full
# --------------------------------------------------------------------------------------------

SHAPES = [(), 0, 3, (0,), (4,), (2, 3), [2, 3], (2, 0, 3), (1, 1, 1, 1), (3, 1, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_ones_default_dtype(name, shape):
    assert_same(getattr(rp, name)(shape), getattr(np, name)(shape))


@pytest.mark.parametrize("shape", [(), (3,), (2, 0, 3), (2, 3)], ids=repr)
@pytest.mark.parametrize("name", ["zeros", "ones"])
@all_dtypes
def test_zeros_ones_dtypes(name, shape, dtype):
    expected = getattr(np, name)(shape, dtype=dtype)
    assert_same(getattr(rp, name)(shape, dtype=dtype), expected)
    assert_same(getattr(rp, name)(shape, rp_dtype(dtype)), expected)


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@all_dtypes
def test_empty_shape_and_dtype(shape, dtype):
    r = rp.empty(shape, dtype=dtype)
    n = np.empty(shape, dtype=dtype)
    assert r.shape == n.shape
    assert r.dtype.name == dtype
    assert_strides(r, n)
    assert r.c_contiguous


def test_empty_default_dtype():
    assert rp.empty(3).dtype.name == "float64"


@pytest.mark.parametrize(
    "fill",
    [0, 5, -3, 1.5, -0.0, math.nan, math.inf, True, False, 2**63, np.float32(2.5), np.int8(3)],
    ids=repr,
)
def test_full_infers_dtype(fill):
    assert_same(rp.full((2, 3), fill), np.full((2, 3), fill))


@all_dtypes
@pytest.mark.parametrize("fill", [0, 1, True, 3, 2.75])
def test_full_with_dtype(dtype, fill):
    expected = np.full((2, 2), fill, dtype=dtype)
    assert_same(rp.full((2, 2), fill, dtype=dtype), expected)
    assert_same(rp.full((2, 2), fill, rp_dtype(dtype)), expected)


@pytest.mark.parametrize("shape", [(), 0, 4, (2, 0, 3)], ids=repr)
def test_full_shapes(shape):
    assert_same(rp.full(shape, 7), np.full(shape, 7))


@int_dtypes
def test_full_out_of_range_overflows(dtype):
    bad = int(np.iinfo(dtype).max) + 1
    raises_like(
        lambda: rp.full(3, bad, dtype=dtype),
        lambda: np.full(3, bad, dtype=dtype),
        message=_overflow_message(dtype),
    )


def test_full_nan_into_int_raises():
    with pytest.raises(ValueError, match="NaN"):
        rp.full(3, math.nan, dtype="int64")


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("shape", [-1, (2, -3)])
def test_negative_dimensions(name, shape):
    raises_like(lambda: getattr(rp, name)(shape), lambda: getattr(np, name)(shape))


@pytest.mark.parametrize("shape", [1.5, (2, None), "3", (2.0, 3)], ids=repr)
def test_bad_shape_type(shape):
    with pytest.raises(TypeError):
        rp.zeros(shape)
    with pytest.raises(TypeError):
        rp.full(shape, 1)


def test_shape_accepts_numpy_integers():
    assert rp.zeros(np.int64(3)).shape == (3,)
    assert rp.ones((np.int32(2), np.uint8(3))).shape == (2, 3)


# --------------------------------------------------------------------------------------------
# *_like
# --------------------------------------------------------------------------------------------

LIKE = ["zeros_like", "ones_like", "empty_like"]


@pytest.mark.parametrize("name", LIKE)
@given(pair=view_pairs())
def test_like_preserves_shape_and_dtype(name, pair):
    nv, rv, _, _ = pair
    r = getattr(rp, name)(rv)
    n = getattr(np, name)(nv)
    if name == "empty_like":
        assert r.shape == n.shape
        assert r.dtype.name == n.dtype.name
    else:
        assert_same(r, n)
    assert r.c_contiguous
    if r.size:
        assert r.data_ptr != rv.data_ptr


@given(pair=view_pairs(), fill=st.integers(0, 1) | st.booleans() | st.sampled_from([0.5, -0.0]))
def test_full_like(pair, fill):
    nv, rv, _, _ = pair
    if nv.dtype.kind in "iub" and fill == 0.5:
        fill = 1
    assert_same(rp.full_like(rv, fill), np.full_like(nv, fill))


@pytest.mark.parametrize("name", [*LIKE, "full_like"])
@all_dtypes
def test_like_dtype_and_shape_override(name, dtype):
    base_n = np.arange(6.0).reshape(2, 3)
    base_r = rp.arange(6.0).reshape(2, 3)
    args = (1,) if name == "full_like" else ()
    for shape in [(4,), (), (0, 2), 5]:
        n = getattr(np, name)(base_n, *args, dtype=dtype, shape=shape)
        r = getattr(rp, name)(base_r, *args, dtype=dtype, shape=shape)
        assert r.shape == n.shape
        assert r.dtype.name == dtype
        if name != "empty_like":
            assert_same(r, n)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
def test_like_accepts_array_likes(name):
    assert_same(getattr(rp, name)([[1, 2], [3, 4]]), getattr(np, name)([[1, 2], [3, 4]]))
    assert_same(getattr(rp, name)(2.5), getattr(np, name)(2.5))
    assert_same(rp.full_like([True, False], 1), np.full_like([True, False], 1))


# --------------------------------------------------------------------------------------------
# arange
# --------------------------------------------------------------------------------------------

ARANGE_ARGS = [
    (5,),
    (0,),
    (-3,),
    (2, 7),
    (7, 2),
    (7, 2, -1),
    (-5, 5, 3),
    (10, -10, -4),
    (0, 10, 100),
    (5.0,),
    (0.5, 4),
    (1, 2.0),
    (0, 1, 0.25),
    (3, -1, -0.5),
    (0.0, 0.0),
    (2**62, 2**62 + 3),
]


@pytest.mark.parametrize("args", ARANGE_ARGS, ids=repr)
def test_arange(args):
    assert_same(rp.arange(*args), np.arange(*args))


@pytest.mark.parametrize("args", [(5,), (1, 9, 2), (6, 0, -2), (0,)], ids=repr)
@pytest.mark.parametrize("dtype", [d for d in ALL_DTYPES if d != "bool"])
def test_arange_dtype(args, dtype):
    assert_same(rp.arange(*args, dtype=dtype), np.arange(*args, dtype=dtype))
    assert_same(rp.arange(*args, dtype=rp_dtype(dtype)), np.arange(*args, dtype=dtype))


def test_arange_bool():
    assert_same(rp.arange(2, dtype="bool"), np.arange(2, dtype="bool"))
    raises_like(lambda: rp.arange(3, dtype="bool"), lambda: np.arange(3, dtype="bool"))


def test_arange_keywords():
    assert_same(rp.arange(1, 10, step=3), np.arange(1, 10, step=3))
    assert_same(rp.arange(3, stop=None), np.arange(3, stop=None))
    assert_same(rp.arange(2, stop=5, dtype="int8"), np.arange(2, stop=5, dtype="int8"))


def test_arange_start_keyword():
    assert_same(rp.arange(start=2, stop=5), np.arange(start=2, stop=5))


def test_arange_fractional_step_values():
    for args in [(0, 1, 0.1), (-1, 1, 0.3), (1.5, -2.5, -0.7), (0, 10, 1 / 3)]:
        r = rp.arange(*args)
        n = np.arange(*args)
        assert r.shape == n.shape
        np.testing.assert_array_max_ulp(to_np(r), n, maxulp=1)


@given(
    start=st.integers(-50, 50),
    stop=st.integers(-50, 50),
    step=st.integers(-7, 7).filter(bool),
)
def test_arange_integers_hypothesis(start, stop, step):
    assert_same(rp.arange(start, stop, step), np.arange(start, stop, step))


def test_arange_step_zero():
    raises_like(lambda: rp.arange(0, 10, 0), lambda: np.arange(0, 10, 0))


def test_arange_out_of_range_for_dtype():
    raises_like(lambda: rp.arange(-1, 3, dtype="uint8"), lambda: np.arange(-1, 3, dtype="uint8"))


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_arange_non_finite(bad):
    with pytest.raises(ValueError):
        np.arange(bad)
    with pytest.raises(ValueError):
        rp.arange(bad)
    with pytest.raises(ValueError):
        rp.arange(0, bad)


# --------------------------------------------------------------------------------------------
# linspace
# --------------------------------------------------------------------------------------------

LINSPACE_ARGS = [
    (0, 1),
    (0, 1, 5),
    (1, 0, 5),
    (0, 10, 11),
    (-3.5, 7.25, 9),
    (0, 1, 0),
    (0, 1, 1),
    (2, 2, 4),
    (0, 1e300, 3),
    (-1, 1, 2),
]


@pytest.mark.parametrize("endpoint", [True, False])
@pytest.mark.parametrize("args", LINSPACE_ARGS, ids=repr)
def test_linspace(args, endpoint):
    r = rp.linspace(*args, endpoint=endpoint)
    n = np.linspace(*args, endpoint=endpoint)
    assert r.shape == n.shape
    assert r.dtype.name == n.dtype.name
    np.testing.assert_array_max_ulp(to_np(r), n, maxulp=1)
    if n.size:
        assert r[0] == n[0]
        if endpoint:
            assert r[-1] == n[-1]


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint16", "float32", "float16"])
def test_linspace_dtype(dtype):
    assert_same(rp.linspace(0, 10, 5, dtype=dtype), np.linspace(0, 10, 5, dtype=dtype))
    assert_same(rp.linspace(0, 8, 5, dtype=rp_dtype(dtype)), np.linspace(0, 8, 5, dtype=dtype))


def test_linspace_exact_values():
    assert rp.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert rp.linspace(0, 1, 4, endpoint=False).tolist() == [0.0, 0.25, 0.5, 0.75]
    assert_same(rp.linspace(0, 10, 5, dtype="int64"), np.array([0, 2, 5, 7, 10]))


def test_linspace_negative_num():
    raises_like(lambda: rp.linspace(0, 1, -1), lambda: np.linspace(0, 1, -1))


# --------------------------------------------------------------------------------------------
# eye / identity
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "m", "k"),
    [
        (0, None, 0),
        (1, None, 0),
        (3, None, 0),
        (3, 5, 0),
        (5, 3, 0),
        (4, None, 1),
        (4, None, -2),
        (4, 6, 3),
        (4, 6, -3),
        (3, None, 5),
        (3, None, -5),
        (2, 0, 0),
    ],
)
def test_eye(n, m, k):
    assert_same(rp.eye(n, m, k=k), np.eye(n, m, k=k))


@all_dtypes
def test_eye_dtype(dtype):
    assert_same(rp.eye(3, dtype=dtype), np.eye(3, dtype=dtype))
    assert_same(rp.eye(2, 4, k=1, dtype=rp_dtype(dtype)), np.eye(2, 4, k=1, dtype=dtype))


@pytest.mark.parametrize("n", [0, 1, 4])
@all_dtypes
def test_identity(n, dtype):
    assert_same(rp.identity(n), np.identity(n))
    assert_same(rp.identity(n, dtype=dtype), np.identity(n, dtype=dtype))


def test_eye_negative():
    raises_like(lambda: rp.eye(-1), lambda: np.eye(-1))
    raises_like(lambda: rp.identity(-2), lambda: np.identity(-2))


# --------------------------------------------------------------------------------------------
# round trips through hypothesis
# --------------------------------------------------------------------------------------------


@given(array_pairs())
def test_round_trip_hypothesis(pair):
    n, r = pair
    assert_same(r, n)
    assert r.c_contiguous
    assert_strides(r, n)


@given(array_pairs(min_dims=1))
def test_array_of_tuples_matches_lists(pair):
    n, _ = pair

    def tuplify(x):
        return tuple(tuplify(v) for v in x) if isinstance(x, list) else x

    if n.size:
        assert_same(rp.array(tuplify(n.tolist()), dtype=n.dtype.name), n)


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES)
def test_array_from_raptors_array_with_dtype(dtype):
    r = rp.array(rp.arange(4), dtype=dtype)
    assert_same(r, np.array(np.arange(4), dtype=dtype))


def test_from_np_helper_round_trip():
    n = np.arange(6, dtype=np.uint32).reshape(3, 2)[::-1]
    assert_same(from_np(n), n)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e300], ids=repr)
@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("dtype", ["int8", "int64", "uint32"])
def test_non_finite_or_huge_float_to_int_raises(value, nested, dtype):
    obj = [[1.0, value]] if nested else value
    raises_like(
        lambda: rp.array(obj, dtype=dtype), lambda: np.array(obj, dtype=dtype), message=None
    )
