"""__getitem__ / __setitem__: basic, advanced (integer and boolean) and mixed indexing."""

from __future__ import annotations

import math

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    all_dtypes,
    array_pairs,
    assert_result_like,
    assert_same,
    assert_scalar,
    from_np,
    np_arrays,
    to_rp_index,
    view_pairs,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# --------------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------------


def python_scalars(dtype: str):
    """Python scalars that convert exactly into ``dtype``."""
    if dtype == "bool":
        return st.booleans()
    if dtype in INT_DTYPES:
        info = np.iinfo(dtype)
        return st.integers(int(info.min), int(info.max))
    width = {"float16": 16, "float32": 32, "float64": 64}[dtype]
    return st.floats(width=width)


@st.composite
def values_for(draw, dtype: str, target_shape: tuple[int, ...]):
    """A value to assign into a region of ``target_shape``: a Python scalar, or a NumPy array
    broadcastable to it (given to Raptors as a Raptors array or as nested lists)."""
    if draw(st.booleans()):
        v = draw(python_scalars(dtype))
        return v, v
    shape = draw(
        hnp.broadcastable_shapes(
            target_shape,
            min_dims=0,
            max_dims=len(target_shape),
            min_side=0 if 0 in target_shape else 1,
        )
    )
    n = draw(np_arrays(dtype, shape))
    if n.ndim and n.size and draw(st.booleans()):
        return n, n.tolist()
    return n, from_np(n)


@st.composite
def index_arrays(draw, size: int, bshape: tuple[int, ...]):
    """An integer index array in ``[-size, size)`` whose shape broadcasts to ``bshape``.

    At least 1-d: 0-d index arrays have their own explicit tests.
    """
    shape = draw(hnp.broadcastable_shapes(bshape, min_dims=1, max_dims=len(bshape)))
    shape = draw(st.sampled_from([shape, bshape]))
    return draw(hnp.arrays(np.int64, shape, elements=st.integers(-size, size - 1)))


@st.composite
def mixed_indices(draw, shape: tuple[int, ...]):
    """Index tuples mixing slices, ints, integer arrays, boolean masks, ``None`` and ``...``.

    Every part matches the axis it lands on (parts after ``...`` index the trailing axes)
    and the integer arrays share a broadcast shape, so the index is valid unless a boolean
    mask does not broadcast with the integer arrays; then NumPy raises and so must Raptors.
    """
    bshape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3))
    ndim = len(shape)
    n_lead = draw(st.integers(0, ndim))
    use_ellipsis = draw(st.booleans())
    n_trail = draw(st.integers(0, ndim - n_lead)) if use_ellipsis else 0
    sizes = list(shape[:n_lead]) + [Ellipsis] * use_ellipsis + list(shape[ndim - n_trail :])
    parts: list[object] = []
    for size in sizes:
        if size is Ellipsis:
            parts.append(Ellipsis)
            continue
        kind = draw(st.sampled_from(["slice", "int", "array", "array", "mask"]))
        if kind == "int" and size:
            parts.append(draw(st.integers(-size, size - 1)))
        elif kind == "array" and size:
            parts.append(draw(index_arrays(size, bshape)))
        elif kind == "mask":
            parts.append(draw(hnp.arrays(np.bool_, (size,))))
        else:
            parts.append(draw(st.slices(size)))
    for _ in range(draw(st.integers(0, 2))):
        pos = draw(st.integers(0, len(parts)))
        parts.insert(pos, None)
    return tuple(parts)


def rp_index_variants(idx, draw_lists: bool):
    """The Raptors spelling of a NumPy index: arrays as Raptors arrays, or as nested lists."""
    if not draw_lists:
        return to_rp_index(idx)
    out = []
    for part in idx:
        if isinstance(part, np.ndarray) and part.ndim >= 1 and part.size:
            out.append(part.tolist())
        else:
            out.append(to_rp_index(part))
    return tuple(out)


def getitem_like_numpy(n, r, np_idx, rp_idx):
    try:
        expected = n[np_idx]
    except IndexError as exc:
        with pytest.raises(IndexError):
            r[rp_idx]
        return exc
    assert_result_like(r[rp_idx], expected)
    return None


def setitem_like_numpy(nb, rb, np_target, rp_target, np_idx, rp_idx, np_value, rp_value):
    """Assign into both, then compare the bases (so views must alias their bases)."""
    try:
        with np.errstate(all="ignore"):
            np_target[np_idx] = np_value
    except (IndexError, ValueError) as exc:
        with pytest.raises(type(exc)):
            rp_target[rp_idx] = rp_value
        return
    rp_target[rp_idx] = rp_value
    assert_same(rb, nb)


# --------------------------------------------------------------------------------------------
# basic indexing
# --------------------------------------------------------------------------------------------


@st.composite
def basic_index_cases(draw):
    n, r = draw(array_pairs(min_dims=1, max_dims=4, max_side=6))
    idx = draw(hnp.basic_indices(n.shape, allow_newaxis=True, allow_ellipsis=True))
    return n, r, idx


@given(basic_index_cases())
def test_basic_getitem(case):
    n, r, idx = case
    assert_result_like(r[idx], n[idx])


@given(view_pairs(), st.data())
def test_basic_getitem_of_views(pair, data):
    """Index a (possibly negatively strided) view again."""
    nv, rv, _, _ = pair
    assume(nv.ndim >= 1)
    idx = data.draw(hnp.basic_indices(nv.shape, allow_newaxis=True))
    assert_result_like(rv[idx], nv[idx])


@given(basic_index_cases())
def test_full_integer_index_returns_python_scalar(case):
    n, r, _ = case
    assume(n.size)
    idx = tuple(s - 1 for s in n.shape)
    value = r[idx]
    assert not isinstance(value, rp.ndarray)
    assert_scalar(value, n[idx])
    neg = tuple(-s for s in n.shape)
    assert_scalar(r[neg], n[neg])
    # with "..." the result stays a 0-d array
    assert_same(r[(*idx, Ellipsis)], n[(*idx, Ellipsis)])


@all_dtypes
def test_scalar_types_per_dtype(dtype):
    n = np.arange(6).astype(dtype).reshape(2, 3)
    r = from_np(n)
    for idx in [(0, 0), (1, 2), (-1, -3)]:
        assert_scalar(r[idx], n[idx])
    assert_scalar(r[1][2], n[1][2])
    zero_d = r[1, 2, ...]
    assert isinstance(zero_d, rp.ndarray)
    assert zero_d.shape == ()
    assert_scalar(zero_d[()], n[1, 2, ...][()])


@pytest.mark.parametrize(
    "idx",
    [
        slice(None, None, -1),
        slice(None, None, -2),
        slice(-1, None, -3),
        slice(5, 1, -1),
        slice(1, 5, -1),
        slice(100, -100, -7),
        slice(-100, 100, 3),
        (slice(None), slice(None, None, -1)),
        (Ellipsis, slice(None, None, -2)),
        (None, slice(None, None, -1), None),
        (slice(None, None, -1), 2),
        (Ellipsis,),
        (),
        (Ellipsis, None),
        (None, Ellipsis, None),
        (1, Ellipsis, 1),
    ],
    ids=repr,
)
def test_basic_getitem_examples(idx):
    n = np.arange(48.0).reshape(6, 8)
    assert_result_like(from_np(n)[idx], n[idx])


def test_step_zero_raises():
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        rp.arange(5)[::0]
    with pytest.raises(ValueError):
        np.arange(5)[::0]


def test_index_with_numpy_integer_and_0d_arrays():
    n = np.arange(10) * 3
    r = from_np(n)
    assert_scalar(r[np.int64(4)], n[np.int64(4)])
    assert_scalar(r[np.uint8(2)], n[np.uint8(2)])
    assert_scalar(r[rp.array(4)], n[np.array(4)])
    assert_same(r[np.int32(1) : np.int64(7) : np.int8(2)], n[1:7:2])


def test_tuple_vs_list_index():
    n = np.arange(12).reshape(3, 4)
    r = from_np(n)
    assert_scalar(r[(1, 2)], n[(1, 2)])
    assert_same(r[[1, 2]], n[[1, 2]])
    assert_same(r[[1, 2], [0, 3]], n[[1, 2], [0, 3]])


# --------------------------------------------------------------------------------------------
# views alias their base
# --------------------------------------------------------------------------------------------


def test_row_view_aliases():
    n = np.arange(12.0).reshape(3, 4)
    m = from_np(n)
    row = m[0]
    row[:] = 0
    n[0][:] = 0
    assert_same(m, n)
    col = m[:, 1]
    col[...] = -1
    n[:, 1] = -1
    assert_same(m, n)
    rev = m[::-1, ::-2]
    rev[0, 0] = 99
    n[::-1, ::-2][0, 0] = 99
    assert_same(m, n)
    assert m[2, 3] == 99.0


def test_view_of_view_aliases():
    m = rp.zeros((4, 5, 6), dtype="int32")
    v = m[1:, ::2][..., ::-3][1]
    v[:] = 7
    n = np.zeros((4, 5, 6), dtype="int32")
    n[1:, ::2][..., ::-3][1][:] = 7
    assert_same(m, n)


def test_new_axis_view_aliases():
    m = rp.zeros(3)
    v = m[None, :, None]
    v[0, 1, 0] = 5.0
    assert m[1] == 5.0


def test_advanced_index_returns_copy():
    m = rp.arange(6)
    c = m[[0, 1, 2]]
    c[:] = 100
    assert_same(m, np.arange(6))
    b = m[[True, False, True, False, True, False]]
    b[:] = 100
    assert_same(m, np.arange(6))


@given(view_pairs(), st.data())
def test_setitem_through_view(pair, data):
    nv, rv, nb, rb = pair
    np_value, rp_value = data.draw(values_for(nv.dtype.name, nv.shape))
    setitem_like_numpy(nb, rb, nv, rv, Ellipsis, Ellipsis, np_value, rp_value)


# --------------------------------------------------------------------------------------------
# basic setitem
# --------------------------------------------------------------------------------------------


@given(basic_index_cases(), st.data())
def test_basic_setitem(case, data):
    n, r, idx = case
    target_shape = np.shape(n[idx])
    np_value, rp_value = data.draw(values_for(n.dtype.name, target_shape))
    setitem_like_numpy(n, r, n, r, idx, idx, np_value, rp_value)


@all_dtypes
def test_setitem_scalar_broadcast(dtype):
    n = np.zeros((3, 4), dtype=dtype)
    r = rp.zeros((3, 4), dtype=dtype)
    for idx, value in [((1, 2), 1), ((slice(None), 0), True), ((Ellipsis,), 0), (0, 1)]:
        n[idx] = value
        r[idx] = value
        assert_same(r, n)


@pytest.mark.parametrize("src", ["int64", "float32", "bool", "uint8"])
@pytest.mark.parametrize("dst", ALL_DTYPES)
def test_setitem_casts_value_array(src, dst):
    n = np.zeros((2, 3), dtype=dst)
    r = rp.zeros((2, 3), dtype=dst)
    value = np.array([1, 0, 3], dtype=src)
    n[:] = value
    r[:] = from_np(value)
    assert_same(r, n)
    n[1] = [True, 2, 3.5]
    r[1] = [True, 2, 3.5]
    assert_same(r, n)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_setitem_special_floats(dtype):
    n = np.zeros(4, dtype=dtype)
    r = rp.zeros(4, dtype=dtype)
    for i, value in enumerate([math.nan, math.inf, -math.inf, -0.0]):
        n[i] = value
        r[i] = value
    assert_same(r, n)


@pytest.mark.parametrize("dtype", ["int8", "int32", "uint8", "uint64"])
def test_setitem_float_truncates_into_int(dtype):
    n = np.zeros(3, dtype=dtype)
    r = rp.zeros(3, dtype=dtype)
    n[0] = 2.9
    r[0] = 2.9
    n[1:] = [1.5, 7.99]
    r[1:] = [1.5, 7.99]
    assert_same(r, n)


@pytest.mark.parametrize(
    ("dtype", "value"),
    [("uint8", 256), ("uint8", -1), ("int8", -129), ("int16", 40000), ("uint32", 2**32)],
)
def test_setitem_python_int_out_of_range(dtype, value):
    n = np.zeros(3, dtype=dtype)
    r = rp.zeros(3, dtype=dtype)
    with pytest.raises(OverflowError) as np_info:
        n[0] = value
    with pytest.raises(OverflowError) as rp_info:
        r[0] = value
    assert str(rp_info.value) == str(np_info.value)
    with pytest.raises(OverflowError):
        r[:] = value
    with pytest.raises(OverflowError):
        r[[0, 1]] = value
    assert_same(r, np.zeros(3, dtype=dtype))


def test_setitem_nan_into_int():
    with pytest.raises(ValueError) as np_info:
        np.zeros(3, dtype="int64")[0] = math.nan
    with pytest.raises(ValueError) as rp_info:
        rp.zeros(3, dtype="int64")[0] = math.nan
    assert str(rp_info.value) == str(np_info.value)


def test_setitem_shape_mismatch():
    n = np.zeros((3, 4))
    r = rp.zeros((3, 4))
    with pytest.raises(ValueError) as np_info:
        n[:] = np.zeros(3)
    with pytest.raises(ValueError) as rp_info:
        r[:] = rp.zeros(3)
    assert str(rp_info.value) == str(np_info.value)
    with pytest.raises(ValueError):
        r[0] = [1, 2]


@pytest.mark.parametrize(
    ("dst", "src"),
    [
        (slice(1, None), slice(None, -1)),
        (slice(None, -1), slice(1, None)),
        (slice(None, None, -1), slice(None)),
        (slice(2, 8), slice(0, 6)),
        (slice(0, 6, 2), slice(5, None, -2)),
    ],
    ids=repr,
)
def test_setitem_overlapping_self(dst, src):
    n = np.arange(10)
    r = rp.arange(10)
    n[dst] = n[src]
    r[dst] = r[src]
    assert_same(r, n)


def test_setitem_overlapping_2d_transpose():
    n = np.arange(16.0).reshape(4, 4)
    r = from_np(n)
    n[:] = n.T
    r[:] = r.T
    assert_same(r, n)


def test_setitem_read_only():
    b = rp.broadcast_to(rp.arange(3), (2, 3))
    with pytest.raises(ValueError, match="read-only"):
        b[0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        b[:] = 0
    with pytest.raises(ValueError, match="read-only"):
        b[[0]] = 0


# --------------------------------------------------------------------------------------------
# integer-array indexing
# --------------------------------------------------------------------------------------------


@st.composite
def int_array_cases(draw):
    n, r = draw(array_pairs(min_dims=1, max_dims=3, min_side=1, max_side=5))
    idx = draw(
        hnp.integer_array_indices(
            # 0-d index arrays have their own explicit tests
            n.shape,
            result_shape=hnp.array_shapes(min_dims=1, max_dims=2, min_side=0),
        )
    )
    return n, r, idx


@given(int_array_cases(), st.booleans())
def test_integer_array_getitem(case, as_lists):
    n, r, idx = case
    getitem_like_numpy(n, r, idx, rp_index_variants(idx, as_lists))


@given(int_array_cases())
def test_single_integer_array_getitem(case):
    n, r, idx = case
    first = idx[0]
    assert_same(r[from_np(first)], n[first])
    if first.ndim:
        assert_same(r[first.tolist()], n[first.tolist()])


@given(int_array_cases(), st.data())
def test_integer_array_setitem(case, data):
    n, r, idx = case
    np_value, rp_value = data.draw(values_for(n.dtype.name, n[idx].shape))
    setitem_like_numpy(n, r, n, r, idx, to_rp_index(idx), np_value, rp_value)


@all_dtypes
def test_index_array_dtypes(dtype):
    n = np.arange(10) * 2
    r = from_np(n)
    if dtype == "bool":
        mask = np.arange(10) % 3 == 0
        assert_same(r[from_np(mask)], n[mask])
    elif dtype in INT_DTYPES:
        idx = np.array([1, 0, 9, 3], dtype=dtype)
        assert_same(r[from_np(idx)], n[idx])
    else:
        with pytest.raises(IndexError) as np_info:
            n[np.array([1.0], dtype=dtype)]
        with pytest.raises(IndexError) as rp_info:
            r[rp.array([1.0], dtype=dtype)]
        assert str(rp_info.value) == str(np_info.value)


def test_index_with_numpy_arrays():
    n = np.arange(12).reshape(3, 4)
    r = from_np(n)
    assert_same(r[np.array([2, 0])], n[np.array([2, 0])])
    mask = np.array([True, False, True])
    assert_same(r[mask], n[mask])


def test_empty_index_arrays():
    n = np.arange(12).reshape(3, 4)
    r = from_np(n)
    assert_same(r[[]], n[[]])
    assert_same(r[rp.zeros(0, dtype="int64")], n[np.zeros(0, dtype="int64")])
    assert_same(r[:, []], n[:, []])
    assert_same(r[rp.zeros((2, 0), dtype="int64")], n[np.zeros((2, 0), dtype="int64")])


def test_repeated_indices_getitem_and_setitem():
    n = np.arange(5) * 10
    r = from_np(n)
    assert_same(r[[1, 1, 1, 4, 1]], n[[1, 1, 1, 4, 1]])
    n[[0, 0, 2]] = [1, 2, 3]
    r[[0, 0, 2]] = [1, 2, 3]
    assert_same(r, n)  # the last assignment wins


# --------------------------------------------------------------------------------------------
# boolean masks
# --------------------------------------------------------------------------------------------


@st.composite
def mask_cases(draw):
    n, r = draw(array_pairs(min_dims=1, max_dims=3, max_side=4))
    k = draw(st.integers(1, n.ndim))
    lead = draw(st.integers(0, n.ndim - k))
    mask = draw(hnp.arrays(np.bool_, n.shape[lead : lead + k]))
    return n, r, mask, lead


@given(mask_cases(), st.booleans())
def test_boolean_mask_getitem(case, as_list):
    n, r, mask, lead = case
    idx = (slice(None),) * lead + (mask,)
    rp_mask = mask.tolist() if as_list and mask.size else from_np(mask)
    rp_idx = (slice(None),) * lead + (rp_mask,)
    try:
        expected = n[idx]
    except IndexError:
        with pytest.raises(IndexError):
            r[rp_idx]
        return
    assert_same(r[rp_idx], expected)


@given(mask_cases(), st.data())
def test_boolean_mask_setitem(case, data):
    n, r, mask, lead = case
    idx = (slice(None),) * lead + (mask,)
    try:
        target_shape = n[idx].shape
    except IndexError:
        return
    np_value, rp_value = data.draw(values_for(n.dtype.name, target_shape))
    setitem_like_numpy(n, r, n, r, idx, to_rp_index(idx), np_value, rp_value)


def test_boolean_mask_examples():
    n = np.arange(24).reshape(2, 3, 4)
    r = from_np(n)
    full = (n % 3) == 0
    assert_same(r[from_np(full)], n[full])
    m2 = np.array([[True, False, True], [False, False, True]])
    assert_same(r[from_np(m2)], n[m2])
    assert_same(r[from_np(m2), 1:3], n[m2, 1:3])
    assert_same(r[:, [True, False, True], [0, 3]], n[:, [True, False, True], [0, 3]])
    assert_same(r[..., [True, False, False, True]], n[..., [True, False, False, True]])
    # 0-d boolean index adds an axis
    assert_same(r[rp.array(True)], n[np.array(True)])
    assert_same(r[rp.array(False)], n[np.array(False)])
    assert_same(r[True], n[True])
    assert_same(r[False], n[False])


def test_boolean_mask_setitem_examples():
    n = np.arange(12.0).reshape(3, 4)
    r = from_np(n)
    mask = (n % 2) == 0
    n[mask] = -1.0
    r[from_np(mask)] = -1.0
    assert_same(r, n)
    n[mask] = np.arange(6.0)
    r[from_np(mask)] = rp.arange(6.0)
    assert_same(r, n)
    n[[True, False, True]] = [9.0, 8.0, 7.0, 6.0]
    r[[True, False, True]] = [9.0, 8.0, 7.0, 6.0]
    assert_same(r, n)


def test_boolean_mask_wrong_size():
    n = np.arange(5)
    r = from_np(n)
    with pytest.raises(IndexError) as np_info:
        n[np.array([True, False])]
    with pytest.raises(IndexError) as rp_info:
        r[rp.array([True, False])]
    assert str(rp_info.value) == str(np_info.value)


# --------------------------------------------------------------------------------------------
# mixed advanced + basic indexing (placement of the broadcast dimensions)
# --------------------------------------------------------------------------------------------

PLACEMENT_CASES = [
    # adjacent advanced indices: broadcast dims replace them in place
    (slice(None), [0, 1], [1, 2]),
    (slice(None), [[0], [2]], [1, 3], slice(None)),
    ([0, 1], [1, 2], slice(None)),
    (Ellipsis, [0, 1], [2, 3]),
    (slice(1, None), [2, 0]),
    # non-adjacent advanced indices: broadcast dims go first
    ([0, 1], slice(None), [1, 2]),
    ([0, 1], slice(None), slice(None), [1, 2]),
    ([[0], [1]], slice(None), [0, 2, 3]),
    # an integer counts as an advanced index for the placement rule
    (1, slice(None), [0, 1]),
    ([0, 1], slice(None), 2),
    (slice(None), 1, [0, 1]),
    (1, [0, 2]),
    # None between advanced indices separates them
    ([0, 1], None, [1, 2]),
    (None, [0, 1], [1, 2]),
    ([0, 1], [1, 2], None),
    # Ellipsis between advanced indices
    ([0, 1], Ellipsis, [1, 2]),
    (Ellipsis, [0, 1], slice(None), [2, 3]),
    # ... separates advanced indices even when it stands for zero dimensions
    ([0, 1], Ellipsis, [1, 2], [0, 1], [2, 3]),
    ([0, 1], [1, 2], [0, 1], Ellipsis, [2, 3]),
    (slice(None), [0, 1], Ellipsis, [1, 2], [0, 1]),
    (None, [0, 1], Ellipsis, [1, 2], [0, 1], [2, 3]),
    # boolean masks take part too
    ([True, False], slice(None), [0, 1]),
    (slice(None), [True, False, True], [0, 1]),
    ([True, True], [1, 2]),
    # slices with negative steps next to advanced indices
    (slice(None, None, -1), [0, 2], slice(None, None, -2)),
    ([1, 0], slice(None, None, -1), 3),
]


@pytest.mark.parametrize("idx", PLACEMENT_CASES, ids=repr)
def test_mixed_indexing_placement(idx):
    n = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    r = from_np(n)
    np_idx = tuple(np.array(p) if isinstance(p, list) else p for p in idx)
    expected = n[np_idx]
    assert_same(r[idx], expected)
    assert_same(r[to_rp_index(np_idx)], expected)


@pytest.mark.parametrize("idx", PLACEMENT_CASES, ids=repr)
def test_mixed_setitem_placement(idx):
    n = np.zeros((2, 3, 4, 5), dtype="int32")
    r = rp.zeros((2, 3, 4, 5), dtype="int32")
    np_idx = tuple(np.array(p) if isinstance(p, list) else p for p in idx)
    target = n[np_idx].shape
    value = np.arange(math.prod(target), dtype="int32").reshape(target) + 1
    n[np_idx] = value
    r[to_rp_index(np_idx)] = from_np(value)
    assert_same(r, n)
    # a value broadcast along the leading dims
    last = value[(0,) * (value.ndim - 1)] if value.ndim else value
    n[np_idx] = -last
    r[to_rp_index(np_idx)] = from_np(-last)
    assert_same(r, n)


@st.composite
def mixed_cases(draw):
    n, r = draw(array_pairs(min_dims=1, max_dims=4, min_side=1, max_side=4))
    idx = draw(mixed_indices(n.shape))
    return n, r, idx


@given(mixed_cases(), st.booleans())
def test_mixed_getitem_hypothesis(case, as_lists):
    n, r, idx = case
    getitem_like_numpy(n, r, idx, rp_index_variants(idx, as_lists))


@given(view_pairs(), st.data())
def test_mixed_getitem_of_views(pair, data):
    nv, rv, _, _ = pair
    assume(nv.ndim >= 1 and all(nv.shape))
    idx = data.draw(mixed_indices(nv.shape))
    getitem_like_numpy(nv, rv, idx, to_rp_index(idx))


@given(mixed_cases(), st.data())
def test_mixed_setitem_hypothesis(case, data):
    n, r, idx = case
    try:
        target_shape = np.shape(n[idx])
    except IndexError:
        with pytest.raises(IndexError):
            r[to_rp_index(idx)] = 0
        return
    np_value, rp_value = data.draw(values_for(n.dtype.name, target_shape))
    setitem_like_numpy(n, r, n, r, idx, to_rp_index(idx), np_value, rp_value)


# --------------------------------------------------------------------------------------------
# 0-d and empty arrays
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_0d_indexing(dtype):
    n = np.array(1, dtype=dtype)
    r = from_np(n)
    assert_scalar(r[()], n[()])
    assert_same(r[...], n[...])
    assert_same(r[None], n[None])
    assert_same(r[..., None], n[..., None])
    assert_same(r[rp.array(True)], n[np.array(True)])
    r[()] = 0
    n[()] = 0
    assert_same(r, n)
    r[...] = 1
    n[...] = 1
    assert_same(r, n)


def test_0d_indexing_errors():
    with pytest.raises(IndexError) as np_info:
        np.array(1.0)[0]
    with pytest.raises(IndexError) as rp_info:
        rp.array(1.0)[0]
    assert str(rp_info.value) == str(np_info.value)


@pytest.mark.parametrize(
    "idx",
    [
        slice(None),
        slice(None, None, -1),
        (Ellipsis, 0),
        (slice(None), slice(1, 2)),
        (0, 0),
        (None, 1),
        [0, 1],
        (slice(None), slice(None), [2, 0]),
    ],
    ids=repr,
)
def test_empty_array_indexing(idx):
    n = np.zeros((2, 0, 3))
    r = rp.zeros((2, 0, 3))
    getitem_like_numpy(n, r, idx, idx)


def test_setitem_into_empty():
    r = rp.zeros((2, 0, 3))
    r[...] = 5
    r[:, :, 1] = 2.0
    assert r.shape == (2, 0, 3)
    assert r.tolist() == [[], []]


def test_0d_index_arrays_with_other_advanced_indices():
    n = np.arange(24).reshape(2, 3, 4)
    r = from_np(n)
    assert_same(r[rp.array(1), [0, 2]], n[np.array(1), [0, 2]])
    assert_same(r[[0, 1], :, rp.array(3)], n[[0, 1], :, np.array(3)])
    assert_same(r[rp.array(1), :, rp.array(2)], n[np.array(1), :, np.array(2)])


def test_int_types_used_as_index():
    n = np.arange(10)
    r = from_np(n)
    for dtype in INT_DTYPES:
        i = rp.array(3, dtype=dtype)
        assert_scalar(r[i], n[np.array(3, dtype=dtype)])
