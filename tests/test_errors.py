"""Exceptions: types and messages compared with NumPy's, and bad input never crashing."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import raptors as rp
from conftest import raises_like
from hypothesis import given
from hypothesis import strategies as st

# --------------------------------------------------------------------------------------------
# AxisError
# --------------------------------------------------------------------------------------------


def test_axis_error_hierarchy():
    assert issubclass(rp.AxisError, ValueError)
    assert issubclass(rp.AxisError, IndexError)
    assert issubclass(np.exceptions.AxisError, ValueError)
    assert issubclass(np.exceptions.AxisError, IndexError)


AXIS_ERROR_CASES = [
    ("expand_dims", lambda m: m.expand_dims(m.zeros(3), 2)),
    ("expand_dims_neg", lambda m: m.expand_dims(m.zeros(3), -3)),
    ("squeeze", lambda m: m.squeeze(m.zeros((2, 1)), axis=5)),
    ("flip", lambda m: m.flip(m.zeros((2, 1)), axis=3)),
    ("concatenate", lambda m: m.concatenate([m.zeros(3), m.zeros(3)], axis=1)),
    ("stack", lambda m: m.stack([m.zeros(3)], axis=2)),
    ("moveaxis", lambda m: m.moveaxis(m.zeros((2, 1)), 0, 5)),
    ("swapaxes", lambda m: m.swapaxes(m.zeros(3), 0, 1)),
    ("transpose", lambda m: m.transpose(m.zeros((2, 1)), (0, 2))),
]


@pytest.mark.parametrize(("name", "call"), AXIS_ERROR_CASES, ids=[c[0] for c in AXIS_ERROR_CASES])
def test_axis_errors(name, call):
    with pytest.raises(np.exceptions.AxisError) as np_info:
        call(np)
    with pytest.raises(rp.AxisError) as rp_info:
        call(rp)
    # catchable as either base class
    for base in (ValueError, IndexError):
        with pytest.raises(base):
            call(rp)
    assert str(rp_info.value) == str(np_info.value)


def test_axis_error_attributes():
    with pytest.raises(rp.AxisError) as info:
        rp.expand_dims(rp.zeros((2, 3)), 5)
    assert info.value.axis == 5
    assert info.value.ndim == 3


def test_axis_error_constructor_like_numpy():
    assert str(rp.AxisError(5, 2)) == str(np.exceptions.AxisError(5, 2))
    assert str(rp.AxisError(5, 2, "pre")) == str(np.exceptions.AxisError(5, 2, "pre"))
    assert str(rp.AxisError("custom message")) == "custom message"


# --------------------------------------------------------------------------------------------
# ValueError for shapes
# --------------------------------------------------------------------------------------------

VALUE_ERROR_CASES = [
    ("reshape", lambda m: m.arange(6).reshape(4, 2)),
    ("reshape_unknown", lambda m: m.arange(6).reshape(-1, -1)),
    ("reshape_copy", lambda m: m.arange(6).reshape(2, 3).T.reshape(6, copy=False)),
    ("concat_dims", lambda m: m.concatenate([m.zeros((2, 3)), m.zeros((2, 4))])),
    ("concat_ndim", lambda m: m.concatenate([m.zeros((2, 3)), m.zeros(3)])),
    ("concat_empty", lambda m: m.concatenate([])),
    ("concat_0d", lambda m: m.concatenate([m.zeros(()), m.zeros(())])),
    ("stack_shapes", lambda m: m.stack([m.zeros(2), m.zeros(3)])),
    ("stack_empty", lambda m: m.stack([])),
    ("broadcast_to", lambda m: m.broadcast_to(m.zeros(3), (2, 4))),
    ("broadcast_to_negative", lambda m: m.broadcast_to(m.zeros(2), (-1,))),
    ("broadcast_shapes", lambda m: m.broadcast_shapes((2, 3), (4,))),
    ("broadcast_arrays", lambda m: m.broadcast_arrays(m.zeros(2), m.zeros(3))),
    ("squeeze", lambda m: m.squeeze(m.zeros((2, 1)), axis=0)),
    ("expand_dims_repeated", lambda m: m.expand_dims(m.zeros(3), (0, 0))),
    ("transpose_repeated", lambda m: m.zeros((2, 1)).transpose(0, 0)),
    ("transpose_short", lambda m: m.zeros((2, 1)).transpose(0)),
    ("moveaxis_len", lambda m: m.moveaxis(m.zeros((2, 1, 3)), [0, 1], [0])),
    ("zeros_negative", lambda m: m.zeros((2, -1))),
    ("empty_negative", lambda m: m.empty(-3)),
    ("full_negative", lambda m: m.full(-1, 0)),
    ("eye_negative", lambda m: m.eye(-1)),
    ("linspace_negative", lambda m: m.linspace(0, 1, -1)),
    ("ragged", lambda m: m.array([[1, 2], [3]])),
    ("ragged_deep", lambda m: m.array([[[1], [2]], [[3]]])),
    ("bool_ambiguous", lambda m: bool(m.zeros(2))),
    ("bool_empty", lambda m: bool(m.zeros(0))),
    ("item_size", lambda m: m.zeros(3).item()),
    ("item_nargs", lambda m: m.zeros((2, 2)).item(1, 2, 3)),
    ("mT_1d", lambda m: m.zeros(3).mT),
    ("copy_false", lambda m: m.asarray([1, 2], copy=False)),
    ("read_only", lambda m: m.broadcast_to(m.zeros(3), (2, 3)).__setitem__(0, 1)),
    ("int_nan", lambda m: int(m.asarray(math.nan))),
    ("nan_to_int", lambda m: m.asarray(math.nan, dtype="int32")),
    ("slice_step_zero", lambda m: m.arange(4)[::0]),
]


@pytest.mark.parametrize(("name", "call"), VALUE_ERROR_CASES, ids=[c[0] for c in VALUE_ERROR_CASES])
def test_value_errors(name, call):
    message = "first_line" if name == "copy_false" else "exact"
    exc = raises_like(lambda: call(rp), lambda: call(np), message=message)
    assert isinstance(exc, ValueError)


def test_setitem_broadcast_error():
    raises_like(
        lambda: rp.zeros((3, 4)).__setitem__(slice(None), rp.zeros(3)),
        lambda: np.zeros((3, 4)).__setitem__(slice(None), np.zeros(3)),
    )


@pytest.mark.parametrize("method", ["reshape", "ravel", "flatten"])
@pytest.mark.parametrize("order", ["c", "f", "a"])
def test_lowercase_order_is_accepted(method, order):
    def call(m):
        a = m.arange(6)
        if method == "reshape":
            return a.reshape(2, 3, order=order)
        return getattr(a, method)(order)

    assert call(rp).tolist() == call(np).tolist()


@pytest.mark.parametrize("method", ["reshape", "ravel", "flatten"])
@pytest.mark.parametrize("order", ["X", ""])
def test_bad_order(method, order):
    def call(m):
        a = m.arange(6)
        if method == "reshape":
            return a.reshape(2, 3, order=order)
        return getattr(a, method)(order)

    with pytest.raises(ValueError):
        call(np)
    with pytest.raises(ValueError):
        call(rp)


# --------------------------------------------------------------------------------------------
# TypeError for dtypes and arguments
# --------------------------------------------------------------------------------------------

TYPE_ERROR_CASES = [
    ("dtype_unknown", lambda m: m.zeros(3, dtype="foo")),
    ("dtype_unknown_astype", lambda m: m.zeros(3).astype("foo")),
    ("dtype_ctor", lambda m: m.dtype("int7")),
    ("astype_safe", lambda m: m.zeros(3).astype("int8", casting="safe")),
    ("astype_same_kind", lambda m: m.zeros(3).astype("int64", casting="same_kind")),
    ("concat_same_kind", lambda m: m.concatenate([m.zeros(3)], dtype="int64")),
    ("len_0d", lambda m: len(m.asarray(1.0))),
    ("iter_0d", lambda m: iter(m.asarray(1.0))),
    ("int_1d", lambda m: int(m.zeros(1))),
    ("float_2d", lambda m: float(m.zeros((1, 1)))),
    ("index_float", lambda m: m.asarray(1.0).__index__()),
    ("index_1d", lambda m: [1, 2][m.asarray([1])]),
    ("hash", lambda m: hash(m.zeros(2))),
    ("arange_bool", lambda m: m.arange(3, dtype="bool")),
    ("can_cast_python", lambda m: m.can_cast(1, m.int8)),
    ("isdtype_kind", lambda m: m.isdtype(m.float64, 1)),
    ("isdtype_dtype", lambda m: m.isdtype(3, "bool")),
    ("zeros_float_shape", lambda m: m.zeros(1.5)),
    ("zeros_none_dim", lambda m: m.zeros((2, None))),
    ("zeros_str_shape", lambda m: m.zeros("3")),
]


@pytest.mark.parametrize(("name", "call"), TYPE_ERROR_CASES, ids=[c[0] for c in TYPE_ERROR_CASES])
def test_type_errors(name, call):
    exact = name in {
        "dtype_unknown",
        "dtype_unknown_astype",
        "dtype_ctor",
        "astype_safe",
        "astype_same_kind",
        "concat_same_kind",
        "len_0d",
        "iter_0d",
        "int_1d",
        "float_2d",
        "index_float",
        "index_1d",
        "arange_bool",
    }
    exc = raises_like(lambda: call(rp), lambda: call(np), message="exact" if exact else None)
    assert isinstance(exc, TypeError)


@pytest.mark.parametrize("bad", ["complex64", ">f8", "U3", "O", "M8[ns]", np.complex128, object])
def test_unsupported_dtype_type_errors(bad):
    for call in (
        lambda: rp.dtype(bad),
        lambda: rp.zeros(2, dtype=bad),
        lambda: rp.arange(3).astype(bad),
        lambda: rp.array([1, 2], dtype=bad),
        lambda: rp.full(2, 1, dtype=bad),
        lambda: rp.eye(2, dtype=bad),
    ):
        with pytest.raises(TypeError):
            call()


# --------------------------------------------------------------------------------------------
# IndexError
# --------------------------------------------------------------------------------------------

INDEX_ERROR_CASES = [
    ("oob", lambda m: m.arange(5)[10]),
    ("oob_negative", lambda m: m.arange(5)[-6]),
    ("oob_axis1", lambda m: m.arange(6).reshape(2, 3)[0, 5]),
    ("oob_newaxis", lambda m: m.zeros(3)[None, None, 5]),
    ("oob_set", lambda m: m.arange(5).__setitem__(5, 0)),
    ("too_many", lambda m: m.arange(5)[0, 0]),
    ("too_many_2d", lambda m: m.zeros((2, 2))[0, 0, 0]),
    ("too_many_0d", lambda m: m.asarray(1.0)[0]),
    ("float", lambda m: m.arange(5)[1.0]),
    ("str", lambda m: m.arange(5)["a"]),
    ("float_list", lambda m: m.arange(5)[[1.0]]),
    ("float_array", lambda m: m.arange(5)[m.asarray([1.0])]),
    ("two_ellipsis", lambda m: m.arange(5)[..., ...]),
    ("shape_mismatch", lambda m: m.arange(6).reshape(2, 3)[[0, 1], [0, 1, 2]]),
    ("bool_mismatch", lambda m: m.arange(5)[m.asarray([True, False])]),
    ("bool_mask_ndim", lambda m: m.zeros(3)[m.asarray([[True, False, True]])]),
    ("array_oob", lambda m: m.arange(5)[m.asarray([0, 5])]),
    ("array_oob_neg", lambda m: m.arange(5)[[-6]]),
    ("item_oob", lambda m: m.zeros((2, 2)).item(5)),
    ("item_oob_axis", lambda m: m.zeros((2, 2)).item(0, 5)),
    ("set_array_oob", lambda m: m.arange(5).__setitem__([1, 7], 0)),
]


@pytest.mark.parametrize(("name", "call"), INDEX_ERROR_CASES, ids=[c[0] for c in INDEX_ERROR_CASES])
def test_index_errors(name, call):
    exc = raises_like(lambda: call(rp), lambda: call(np))
    assert isinstance(exc, IndexError)


def test_index_error_leaves_array_unchanged():
    a = rp.arange(5)
    with pytest.raises(IndexError):
        a[[0, 1, 9]] = 100
    assert a.tolist() == [0, 1, 2, 3, 4]


# --------------------------------------------------------------------------------------------
# OverflowError for Python ints
# --------------------------------------------------------------------------------------------

OVERFLOW_CASES = [
    ("array", lambda m: m.array(300, dtype="uint8")),
    ("array_list", lambda m: m.array([1, -1], dtype="uint16")),
    ("asarray", lambda m: m.asarray([[128]], dtype="int8")),
    ("full", lambda m: m.full(3, 300, dtype="uint8")),
    ("full_like", lambda m: m.full_like(m.zeros(3, dtype="int8"), 200)),
    ("fill", lambda m: m.zeros(3, dtype="uint8").fill(-1)),
    ("setitem", lambda m: m.zeros(3, dtype="int16").__setitem__(0, 2**15)),
    ("setitem_slice", lambda m: m.zeros(3, dtype="uint32").__setitem__(slice(None), 2**32)),
    ("arange", lambda m: m.arange(-1, 3, dtype="uint8")),
    ("array_uint32", lambda m: m.array(-(2**31) - 1, dtype="int32")),
]


@pytest.mark.parametrize(("name", "call"), OVERFLOW_CASES, ids=[c[0] for c in OVERFLOW_CASES])
def test_overflow_errors(name, call):
    exc = raises_like(lambda: call(rp), lambda: call(np))
    assert isinstance(exc, OverflowError)


def test_overflow_beyond_64_bits():
    for call in (
        lambda: rp.array(2**64),
        lambda: rp.array([-(2**63) - 1]),
        lambda: rp.full(2, 2**64, dtype="uint64"),
        lambda: rp.full(2, 2**64),
        lambda: rp.zeros(2, dtype="uint64").__setitem__(0, 2**64),
        lambda: rp.zeros(2).fill(10**400),
    ):
        with pytest.raises(OverflowError):
            call()


# --------------------------------------------------------------------------------------------
# other exception types
# --------------------------------------------------------------------------------------------


def test_arange_step_zero_error():
    raises_like(lambda: rp.arange(0, 10, 0), lambda: np.arange(0, 10, 0))


def test_device_errors():
    with pytest.raises(ValueError):
        rp.asarray([1], device="gpu")
    with pytest.raises(ValueError):
        rp.arange(3).to_device("gpu")


def test_unknown_keyword_arguments():
    with pytest.raises(TypeError):
        rp.zeros(3, bogus=1)
    with pytest.raises(TypeError):
        rp.arange(3).reshape(3, bogus=1)
    with pytest.raises(TypeError):
        rp.concatenate([rp.zeros(1)], bogus=1)


# --------------------------------------------------------------------------------------------
# huge allocations must raise, not crash (run in a subprocess with a capped address space)
# --------------------------------------------------------------------------------------------


def _run_isolated(code: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))
        import raptors as rp
        try:
            result = {code}
        except BaseException as exc:
            print("RAISED", type(exc).__name__, exc, sep="|")
        else:
            print("OK", getattr(result, "shape", result), sep="|")
        """
    ).format(code=code)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


HUGE_CASES = [
    # (expression, expected exception type name, expected message or None)
    (
        "rp.zeros((2**40, 2**30))",
        "ValueError",
        "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible "
        "size.",
    ),
    ("rp.zeros((2**31, 2**31))", "ValueError", None),
    ("rp.ones((2**20, 2**20, 2**20, 2**20, 2**20, 0))", "ValueError", None),
    ("rp.zeros((2**42,))", "MemoryError", None),
    ("rp.ones((2**42,))", "MemoryError", None),
    ("rp.empty((2**42,))", "MemoryError", None),
    ("rp.full((2**42,), 1.5)", "MemoryError", None),
    ("rp.zeros((2**62,), dtype='int8')", "MemoryError", None),
    ("rp.arange(2**45)", "MemoryError", None),
    ("rp.eye(2**22)", "MemoryError", None),
    ("rp.identity(2**22)", "MemoryError", None),
    ("rp.zeros_like(rp.zeros(1), shape=(2**42,))", "MemoryError", None),
    ("rp.broadcast_to(rp.zeros(1), (2**40,)).copy()", "MemoryError", None),
    ("rp.zeros(2**63)", "ValueError", "Maximum allowed dimension exceeded"),
    ("rp.zeros(2**64)", "ValueError", "Maximum allowed dimension exceeded"),
]


@pytest.mark.parametrize(
    ("expr", "exc_name", "message"), HUGE_CASES, ids=[c[0] for c in HUGE_CASES]
)
def test_huge_allocations_raise(expr, exc_name, message):
    proc = _run_isolated(expr)
    assert proc.returncode == 0, f"crashed with {proc.returncode}: {proc.stderr[-2000:]}"
    status, *rest = proc.stdout.strip().split("|")
    assert status == "RAISED", f"did not raise: {proc.stdout}"
    assert rest[0] == exc_name, proc.stdout
    if message is not None:
        assert rest[1] == message


def test_numpy_agrees_on_huge_allocation_kinds():
    """The oracle for the table above."""
    with pytest.raises(ValueError, match="array is too big"):
        np.zeros((2**40, 2**30))
    with pytest.raises(MemoryError):
        np.zeros((2**42,))
    with pytest.raises(ValueError, match="Maximum allowed dimension exceeded"):
        np.zeros(2**63)


def test_huge_broadcast_view_is_fine():
    b = rp.broadcast_to(rp.zeros(1), (2**20, 2**20))
    n = np.broadcast_to(np.zeros(1), (2**20, 2**20))
    assert b.shape == n.shape
    assert b.size == n.size == 2**40
    assert b.nbytes == n.nbytes
    assert b.strides == n.strides == (0, 0)
    assert b[2**19, 5] == 0.0


@pytest.mark.parametrize(
    ("shape", "message"),
    [((2**40, 2**40), None), ((2**30, 2**30), "exact"), ((2**64 - 1,), None)],
    ids=repr,
)
def test_broadcast_to_beyond_addressable_size(shape, message):
    # the element count or byte size overflows: NumPy raises rather than wrapping around
    exc = raises_like(
        lambda: rp.broadcast_to(rp.zeros(1), shape),
        lambda: np.broadcast_to(np.zeros(1), shape),
        message=message,
    )
    assert isinstance(exc, ValueError)


# --------------------------------------------------------------------------------------------
# fuzz: bad arguments give ordinary exceptions, never crashes or internal errors
# --------------------------------------------------------------------------------------------

_BAD = [
    None,
    "x",
    1.5,
    -1,
    0,
    2**70,
    -(2**70),
    [],
    [[]],
    [1, [2]],
    object(),
    (),
    (-1,),
    math.nan,
    True,
    b"ab",
    1j,
    {"a": 1},
    "float16",
    (0, 0),
    slice(None),
    Ellipsis,
]
_ALLOWED = (TypeError, ValueError, IndexError, OverflowError, MemoryError, ZeroDivisionError)

_FUNCS = [
    rp.array,
    rp.asarray,
    rp.zeros,
    rp.ones,
    rp.empty,
    rp.full,
    rp.zeros_like,
    rp.ones_like,
    rp.full_like,
    rp.empty_like,
    rp.arange,
    rp.linspace,
    rp.eye,
    rp.identity,
    rp.concatenate,
    rp.stack,
    rp.hstack,
    rp.vstack,
    rp.expand_dims,
    rp.squeeze,
    rp.broadcast_to,
    rp.broadcast_arrays,
    rp.broadcast_shapes,
    rp.flip,
    rp.moveaxis,
    rp.swapaxes,
    rp.transpose,
    rp.permute_dims,
    rp.reshape,
    rp.ravel,
    rp.astype,
    rp.shape,
    rp.ndim,
    rp.size,
    rp.result_type,
    rp.can_cast,
    rp.finfo,
    rp.iinfo,
    rp.isdtype,
    rp.dtype,
]
_METHODS = [
    "reshape",
    "transpose",
    "ravel",
    "flatten",
    "astype",
    "item",
    "fill",
    "to_device",
    "__getitem__",
    "__setitem__",
    "copy",
]


@given(
    fn=st.sampled_from(_FUNCS + _METHODS),
    args=st.lists(st.sampled_from([*_BAD, "array"]), min_size=0, max_size=3),
)
def test_fuzz_bad_arguments(fn, args):
    args = [rp.arange(6.0).reshape(2, 3) if a == "array" else a for a in args]
    if isinstance(fn, str):
        target = getattr(rp.arange(6.0).reshape(2, 3), fn)
    else:
        target = fn
    try:
        target(*args)
    except _ALLOWED:
        pass
