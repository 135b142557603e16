"""Shared helpers and Hypothesis strategies for the Raptors test suite.

NumPy is the oracle: every test builds the same thing with NumPy and with Raptors and compares
shape, dtype name and values.  Raptors arrays are converted to NumPy through ``tolist()`` (see
:func:`to_np`) so that the tests do not depend on the export protocols, and NumPy arrays are
converted to Raptors through nested lists (see :func:`from_np`) so that the tests do not depend
on the buffer-protocol import path either (that path has its own tests in ``test_creation.py``).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
import raptors as rp
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

settings.register_profile(
    "raptors",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# a longer run for hunting bugs: RAPTORS_HYPOTHESIS_PROFILE=thorough pytest tests
settings.register_profile("thorough", parent=settings.get_profile("raptors"), max_examples=1000)
settings.load_profile(os.environ.get("RAPTORS_HYPOTHESIS_PROFILE", "raptors"))

# --------------------------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------------------------

BOOL_DTYPES = ["bool"]
SIGNED_DTYPES = ["int8", "int16", "int32", "int64"]
UNSIGNED_DTYPES = ["uint8", "uint16", "uint32", "uint64"]
INT_DTYPES = SIGNED_DTYPES + UNSIGNED_DTYPES
FLOAT_DTYPES = ["float16", "float32", "float64"]
NUMERIC_DTYPES = INT_DTYPES + FLOAT_DTYPES
ALL_DTYPES = BOOL_DTYPES + NUMERIC_DTYPES

#: ``pytest.mark.parametrize`` over the names of all twelve dtypes.
all_dtypes = pytest.mark.parametrize("dtype", ALL_DTYPES)
int_dtypes = pytest.mark.parametrize("dtype", INT_DTYPES)
float_dtypes = pytest.mark.parametrize("dtype", FLOAT_DTYPES)

PY_SCALAR_TYPE = {
    **dict.fromkeys(BOOL_DTYPES, bool),
    **dict.fromkeys(INT_DTYPES, int),
    **dict.fromkeys(FLOAT_DTYPES, float),
}


def rp_dtype(name: str) -> rp.dtype:
    """The Raptors dtype object called ``name`` (``rp.float32`` for ``"float32"``)."""
    return getattr(rp, name)


# --------------------------------------------------------------------------------------------
# conversions
# --------------------------------------------------------------------------------------------


def to_np(a: rp.ndarray) -> np.ndarray:
    """A NumPy copy of a Raptors array, built from ``tolist()`` (handles 0-d and empty shapes)."""
    assert isinstance(a, rp.ndarray), f"expected a raptors.ndarray, got {type(a)!r}"
    name = a.dtype.name
    return np.array(a.tolist(), dtype=name).reshape(a.shape)


def from_np(n: np.ndarray) -> rp.ndarray:
    """A C-contiguous Raptors copy of a NumPy array, built from nested lists."""
    n = np.asarray(n)
    name = n.dtype.name
    if n.size == 0:
        return rp.zeros(n.shape, dtype=name)
    return rp.array(n.tolist(), dtype=name)


def to_rp_index(idx):
    """Translate a NumPy index (possibly holding NumPy arrays) into one for Raptors."""
    if isinstance(idx, tuple):
        return tuple(to_rp_index(i) for i in idx)
    if isinstance(idx, np.ndarray):
        return from_np(idx)
    if isinstance(idx, np.integer):
        return int(idx)
    return idx


# --------------------------------------------------------------------------------------------
# assertions
# --------------------------------------------------------------------------------------------


def assert_same(r, n, *, check_dtype: bool = True) -> None:
    """Assert that Raptors array ``r`` equals NumPy array ``n``: shape, dtype name, values.

    NaN compares equal to NaN, and for floating dtypes the sign of zero must match too.
    """
    n = np.asarray(n)
    assert isinstance(r, rp.ndarray), f"expected a raptors.ndarray, got {type(r)!r}"
    assert r.shape == n.shape, f"shape {r.shape} != numpy {n.shape}"
    if check_dtype:
        assert r.dtype.name == n.dtype.name, f"dtype {r.dtype.name} != numpy {n.dtype.name}"
    got = to_np(r)
    if not check_dtype:
        got = got.astype(n.dtype)
    np.testing.assert_array_equal(got, n, strict=True)
    if n.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(n), err_msg="sign of zero")


def assert_scalar(value, expected) -> None:
    """Assert that ``value`` is the Python scalar equal to NumPy scalar/0-d ``expected``."""
    expected = np.asarray(expected)
    py_type = PY_SCALAR_TYPE[expected.dtype.name]
    assert type(value) is py_type, f"{value!r} is a {type(value).__name__}, expected {py_type}"
    exp = expected.item()
    if isinstance(exp, float) and math.isnan(exp):
        assert math.isnan(value)
    else:
        assert value == exp, f"{value!r} != {exp!r}"
        if isinstance(exp, float):
            assert math.copysign(1.0, value) == math.copysign(1.0, exp), "sign of zero"


def assert_result_like(r, n) -> None:
    """Compare the result of an operation that may return an array or a Python scalar."""
    if isinstance(n, np.ndarray):
        assert_same(r, n)
    else:
        assert_scalar(r, n)


def raises_like(rp_fn, np_fn, *, message: str | None = "exact"):
    """Call ``np_fn`` (must raise) and ``rp_fn``; assert the same exception type and message.

    ``message`` is ``"exact"`` (the messages are equal), ``"first_line"`` (Raptors' message is
    the first line of NumPy's, which sometimes adds migration hints) or ``None`` (type only).
    NumPy's ``AxisError`` corresponds to ``rp.AxisError``.  Returns the Raptors exception.
    """
    with pytest.raises(Exception) as np_info:
        np_fn()
    np_exc = np_info.value
    expected_type = type(np_exc)
    if expected_type is np.exceptions.AxisError:
        expected_type = rp.AxisError
    elif issubclass(expected_type, TypeError) and expected_type.__module__.startswith("numpy"):
        # NumPy's UFuncTypeError family: raptors raises plain TypeError.
        expected_type = TypeError
    try:
        rp_fn()
    except Exception as rp_exc:
        assert isinstance(rp_exc, expected_type), (
            f"raptors raised {type(rp_exc).__name__}({rp_exc}); "
            f"numpy raised {type(np_exc).__name__}({np_exc})"
        )
        if message == "exact":
            # (trailing whitespace in NumPy's messages is not part of the contract)
            assert str(rp_exc).rstrip() == str(np_exc).rstrip(), (
                f"raptors: {rp_exc!s}\nnumpy:   {np_exc!s}"
            )
        elif message == "first_line":
            first = str(np_exc).splitlines()[0]
            assert str(rp_exc).splitlines()[0] == first, f"raptors: {rp_exc!s}\nnumpy: {first}"
        return rp_exc
    pytest.fail(f"raptors did not raise; numpy raised {type(np_exc).__name__}({np_exc})")


def assert_strides(r: rp.ndarray, n: np.ndarray) -> None:
    """Byte strides equal NumPy's along every axis longer than one.

    The stride of a length-1 axis never addresses anything and NumPy itself is not consistent
    about it (0 from broadcasting, the itemsize from reshape), and arrays without elements are
    exempt too: NumPy 2.4 gives fresh empty arrays all-zero strides but keeps the computed
    ones for empty views.
    """
    assert len(r.strides) == n.ndim
    if n.size:
        got = tuple(s for s, d in zip(r.strides, n.shape, strict=True) if d > 1)
        exp = tuple(s for s, d in zip(n.strides, n.shape, strict=True) if d > 1)
        assert got == exp, f"strides {r.strides} != numpy {n.strides} (shape {n.shape})"


def shares_memory(r: rp.ndarray, n: np.ndarray) -> bool:
    """Whether ``r`` starts at the same address as ``n``."""
    return r.data_ptr == n.ctypes.data


# --------------------------------------------------------------------------------------------
# Hypothesis strategies
# --------------------------------------------------------------------------------------------

dtype_names = st.sampled_from(ALL_DTYPES)
numeric_dtype_names = st.sampled_from(NUMERIC_DTYPES)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5):
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def np_arrays(dtype, shape, *, finite: bool = False):
    """NumPy arrays of the given dtype name (or strategy) and shape (or strategy).

    Floats include NaN, +-inf and -0.0 unless ``finite``.
    """

    def elements_for(name: str):
        if name in FLOAT_DTYPES and finite:
            return hnp.from_dtype(np.dtype(name), allow_nan=False, allow_infinity=False)
        return None

    if isinstance(dtype, str):
        return hnp.arrays(np.dtype(dtype), shape, elements=elements_for(dtype))
    return dtype.flatmap(
        lambda name: hnp.arrays(np.dtype(name), shape, elements=elements_for(name))
    )


@st.composite
def array_pairs(draw, *, dtype=None, shape=None, min_dims=0, max_dims=4, min_side=0, max_side=5):
    """``(numpy_array, raptors_array)`` holding the same values (C-contiguous)."""
    name = draw(dtype_names) if dtype is None else dtype
    shp = draw(shapes(min_dims, max_dims, min_side, max_side)) if shape is None else shape
    n = draw(np_arrays(name, shp))
    return n, from_np(n)


@st.composite
def view_pairs(draw, *, dtype=None, min_dims=0, max_dims=4, max_side=5):
    """``(numpy_view, raptors_view, numpy_base, raptors_base)``.

    The views come from the same basic index (slices with any step, ints, ``None``,
    ``Ellipsis``) applied to both bases, so they are often non-contiguous or negatively
    strided.
    """
    n, r = draw(
        array_pairs(dtype=dtype, min_dims=max(min_dims, 1), max_dims=max_dims, max_side=max_side)
    )
    idx = draw(hnp.basic_indices(n.shape, min_dims=min_dims, allow_newaxis=True))
    if not isinstance(n[idx], np.ndarray):
        # a full integer index gives a scalar; "..." at the end makes it a 0-d view instead
        idx = (*idx, Ellipsis) if isinstance(idx, tuple) else (idx, Ellipsis)
    return n[idx], r[idx], n, r


def permutations_of(ndim: int):
    return st.permutations(list(range(ndim)))


def factorizations(size: int):
    """Shapes (tuples) whose product is ``size``, ``size`` > 0."""
    divisors = [d for d in range(1, size + 1) if size % d == 0]

    @st.composite
    def _shape(draw):
        remaining = size
        dims = []
        for _ in range(draw(st.integers(0, 3))):
            d = draw(st.sampled_from([x for x in divisors if remaining % x == 0]))
            dims.append(d)
            remaining //= d
        dims.append(remaining)
        return tuple(draw(st.permutations(dims)))

    return _shape()


def prod(shape) -> int:
    return math.prod(shape)


def sample(dtype: str, shape=(3, 4, 5)) -> np.ndarray:
    """A NumPy array of ``dtype`` with distinct-ish values (negatives and fractions when the
    dtype has them)."""
    size = math.prod(shape)
    if dtype == "bool":
        return (np.arange(size) % 3 == 0).reshape(shape)
    vals = np.arange(size) * 7 % 101
    if dtype in SIGNED_DTYPES or dtype in FLOAT_DTYPES:
        vals = vals - 50
    if dtype in FLOAT_DTYPES:
        vals = vals / 4
    return vals.astype(dtype).reshape(shape)


def other_value(dtype: str, old):
    """A value of ``dtype`` different from ``old``."""
    if dtype == "bool":
        return not bool(old)
    return 3 if old != 3 else 4


__all__ = [
    "ALL_DTYPES",
    "BOOL_DTYPES",
    "FLOAT_DTYPES",
    "INT_DTYPES",
    "NUMERIC_DTYPES",
    "SIGNED_DTYPES",
    "UNSIGNED_DTYPES",
    "all_dtypes",
    "array_pairs",
    "assert_result_like",
    "assert_same",
    "assert_scalar",
    "assert_strides",
    "dtype_names",
    "factorizations",
    "float_dtypes",
    "from_np",
    "int_dtypes",
    "np_arrays",
    "other_value",
    "permutations_of",
    "prod",
    "raises_like",
    "rp_dtype",
    "sample",
    "shapes",
    "shares_memory",
    "to_np",
    "to_rp_index",
    "view_pairs",
]
