"""Arrow interop through the Arrow PyCapsule interface: export to pyarrow/Polars (primitive
arrays for 1-d, ``arrow.fixed_shape_tensor`` for N-d) and import from pyarrow, Polars and
pandas (arrays, chunked arrays, columns, tables and data frames)."""

from __future__ import annotations

import ctypes
import datetime
import decimal
import gc
import math
import re

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    NUMERIC_DTYPES,
    assert_same,
    from_np,
    np_arrays,
    rp_dtype,
    sample,
    to_np,
)
from hypothesis import given
from hypothesis import strategies as st

PA_TYPES = {
    "bool": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float16": pa.float16(),
    "float32": pa.float32(),
    "float64": pa.float64(),
}

PL_TYPES = {
    "bool": pl.Boolean,
    "int8": pl.Int8,
    "int16": pl.Int16,
    "int32": pl.Int32,
    "int64": pl.Int64,
    "uint8": pl.UInt8,
    "uint16": pl.UInt16,
    "uint32": pl.UInt32,
    "uint64": pl.UInt64,
    "float32": pl.Float32,
    "float64": pl.Float64,
}

all_dtypes = pytest.mark.parametrize("dtype", ALL_DTYPES)
numeric_dtypes = pytest.mark.parametrize("dtype", NUMERIC_DTYPES)

_capsule_name = ctypes.pythonapi.PyCapsule_GetName
_capsule_name.restype = ctypes.c_char_p
_capsule_name.argtypes = [ctypes.py_object]


def capsule_name(cap) -> str:
    assert type(cap).__name__ == "PyCapsule", f"not a capsule: {cap!r}"
    return _capsule_name(cap).decode()


def values_address(arr: pa.Array) -> int:
    """Address of the first element of a primitive Arrow array (honours the slice offset)."""
    return arr.buffers()[1].address + arr.offset * arr.type.byte_width


def arrow_values(arr: pa.Array) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def assert_arrow_equal(arr: pa.Array, expected: np.ndarray) -> None:
    got = arrow_values(arr)
    np.testing.assert_array_equal(got.astype(expected.dtype), expected, strict=True)


def mentions_count(msg: str, count: int) -> bool:
    return re.search(rf"(?<![\d.]){count}(?![\d.])", msg) is not None


# --------------------------------------------------------------------------------------------
# export: capsules
# --------------------------------------------------------------------------------------------


def test_capsule_methods():
    a = rp.arange(5.0)
    schema = a.__arrow_c_schema__()
    assert capsule_name(schema) == "arrow_schema"
    pair = a.__arrow_c_array__()
    assert isinstance(pair, tuple) and len(pair) == 2
    assert capsule_name(pair[0]) == "arrow_schema"
    assert capsule_name(pair[1]) == "arrow_array"
    pair = a.__arrow_c_array__(requested_schema=None)
    assert capsule_name(pair[1]) == "arrow_array"
    # the schema pyarrow reads is the one the array is exported with
    assert pa.DataType._import_from_c_capsule(a.__arrow_c_schema__()) == pa.float64()
    # requesting the array's own schema is always accepted
    arr = pa.Array._import_from_c_capsule(*a.__arrow_c_array__(a.__arrow_c_schema__()))
    assert arr.type == pa.float64()
    assert arr.to_pylist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    # unconsumed capsules are released without harm
    del schema, pair
    gc.collect()
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


@all_dtypes
def test_schema_types(dtype):
    a = from_np(sample(dtype, (10,)))
    assert pa.DataType._import_from_c_capsule(a.__arrow_c_schema__()) == PA_TYPES[dtype]


# --------------------------------------------------------------------------------------------
# export: 1-d
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_pa_array_1d(dtype):
    n = sample(dtype, (17,))
    a = from_np(n)
    arr = pa.array(a)
    assert isinstance(arr, pa.Array)
    assert arr.type == PA_TYPES[dtype]
    assert len(arr) == 17
    assert arr.null_count == 0
    assert_arrow_equal(arr, n)
    if dtype != "bool":
        # numeric exports hand the buffer over
        assert values_address(arr) == a.data_ptr


@all_dtypes
def test_to_arrow_matches_pa_array(dtype):
    a = from_np(sample(dtype, (9,)))
    arr = a.to_arrow()
    assert isinstance(arr, pa.Array)
    assert arr.equals(pa.array(a))
    assert arr.type == PA_TYPES[dtype]


@numeric_dtypes
def test_pa_array_of_1d_views(dtype):
    n = sample(dtype, (20,))
    a = from_np(n)
    tail = pa.array(a[5:])
    assert values_address(tail) == a.data_ptr + 5 * n.itemsize
    assert_arrow_equal(tail, n[5:])
    for key in (slice(None, None, 2), slice(None, None, -1), slice(15, 2, -3)):
        arr = pa.array(a[key])
        assert arr.type == PA_TYPES[dtype]
        assert_arrow_equal(arr, n[key])


def test_pa_array_bool_views_and_empty():
    n = sample("bool", (21,))
    a = from_np(n)
    for key in (slice(3, None), slice(None, None, -1), slice(1, 20, 3)):
        arr = pa.array(a[key])
        assert arr.type == pa.bool_()
        assert arr.to_pylist() == n[key].tolist()
    empty = pa.array(rp.zeros(0, dtype=rp.float32))
    assert empty.type == pa.float32()
    assert len(empty) == 0


def test_exported_arrow_array_keeps_raptors_memory_alive():
    n = sample("float64", (5000,))
    arr = pa.array(from_np(n))
    gc.collect()
    junk = [np.full(n.nbytes, 0x5A, dtype=np.uint8) for _ in range(8)]
    assert_arrow_equal(arr, n)
    del junk


@pytest.mark.parametrize("dtype", ["int32", "uint8", "float32", "float64", "bool"])
def test_polars_series_from_raptors(dtype):
    n = sample(dtype, (12,))
    s = pl.Series(from_np(n))
    assert len(s) == 12
    assert s.dtype == PL_TYPES[dtype]
    assert s.to_list() == n.tolist()
    # (Polars itself drops the name for PyCapsule inputs, so only the values are checked)
    named = pl.Series("x", from_np(n))
    assert named.to_list() == n.tolist()


# --------------------------------------------------------------------------------------------
# export: N-d as arrow.fixed_shape_tensor
# --------------------------------------------------------------------------------------------

ND_SHAPES = [(5, 3), (4, 2, 3), (2, 1, 3, 2)]


@numeric_dtypes
@pytest.mark.parametrize("shape", ND_SHAPES, ids=str)
def test_pa_array_nd_is_fixed_shape_tensor(dtype, shape):
    n = sample(dtype, shape)
    a = from_np(n)
    arr = pa.array(a)
    assert arr.type == pa.fixed_shape_tensor(PA_TYPES[dtype], list(shape[1:]))
    assert arr.type.extension_name == "arrow.fixed_shape_tensor"
    assert len(arr) == shape[0]
    assert isinstance(arr.storage, pa.FixedSizeListArray)
    assert arr.storage.type.list_size == math.prod(shape[1:])
    got = arr.to_numpy_ndarray()
    np.testing.assert_array_equal(got, n, strict=True)
    # C-contiguous: the tensor's values are the raptors buffer
    assert values_address(arr.storage.values) == a.data_ptr


@pytest.mark.parametrize("dtype", ["int16", "float32", "float64", "uint64"])
def test_pa_array_non_contiguous_nd(dtype):
    n = sample(dtype, (4, 6))
    a = from_np(n)
    for r, expected in ((a.T, n.T), (a[::-1, ::2], n[::-1, ::2]), (a[1:3], n[1:3])):
        arr = pa.array(r)
        assert arr.type == pa.fixed_shape_tensor(PA_TYPES[dtype], [expected.shape[1]])
        np.testing.assert_array_equal(arr.to_numpy_ndarray(), expected, strict=True)
    t = a.to_arrow()
    assert t.type == pa.fixed_shape_tensor(PA_TYPES[dtype], [6])


@given(
    st.sampled_from(NUMERIC_DTYPES).flatmap(
        lambda d: st.tuples(st.just(d), np_arrays(d, st.integers(0, 30)))
    ),
    st.slices(30),
)
def test_export_and_import_1d_views_hypothesis(dtype_and_array, key):
    _, n = dtype_and_array
    r = from_np(n)[key]
    expected = n[key]
    arr = pa.array(r)
    assert arr.type == PA_TYPES[n.dtype.name]
    assert len(arr) == expected.size
    assert_arrow_equal(arr, expected)
    back = rp.asarray(arr)
    assert_same(back, expected)


# --------------------------------------------------------------------------------------------
# import: pyarrow
# --------------------------------------------------------------------------------------------


@numeric_dtypes
def test_asarray_pa_array_zero_copy(dtype):
    n = sample(dtype, (16,))
    arr = pa.array(n)
    r = rp.asarray(arr)
    assert isinstance(r, rp.ndarray)
    assert r.dtype == rp_dtype(dtype)
    assert_same(r, n)
    assert r.data_ptr == values_address(arr)


@numeric_dtypes
def test_asarray_sliced_pa_array(dtype):
    n = sample(dtype, (16,))
    arr = pa.array(n).slice(3, 5)
    assert arr.offset == 3
    r = rp.asarray(arr)
    assert_same(r, n[3:8])
    assert r.data_ptr == values_address(arr)
    assert r.data_ptr == pa.array(n).buffers()[1].address + 3 * n.itemsize


@given(
    st.sampled_from(NUMERIC_DTYPES).flatmap(lambda d: np_arrays(d, st.integers(1, 40))),
    st.data(),
)
def test_asarray_pa_slices_hypothesis(n, data):
    arr = pa.array(n)
    offset = data.draw(st.integers(0, n.size))
    length = data.draw(st.integers(0, n.size - offset))
    piece = arr.slice(offset, length)
    r = rp.asarray(piece)
    assert_same(r, n[offset : offset + length])
    if length:
        assert r.data_ptr == values_address(piece)


def test_asarray_pa_array_keeps_arrow_memory_alive():
    n = sample("int64", (4000,))
    r = rp.asarray(pa.array(n.copy()).slice(10))
    gc.collect()
    junk = [np.full(n.nbytes, 0x77, dtype=np.uint8) for _ in range(8)]
    assert_same(r, n[10:])
    del junk


def test_asarray_pa_array_without_nulls_in_slice():
    arr = pa.array([None, 1.5, 2.5, 3.5]).slice(1)
    assert arr.null_count == 0
    r = rp.asarray(arr)
    assert_same(r, np.array([1.5, 2.5, 3.5]))
    assert r.data_ptr == values_address(arr)


def test_asarray_chunked_arrays():
    single = pa.chunked_array([pa.array(np.arange(6.0))])
    r = rp.asarray(single)
    assert_same(r, np.arange(6.0))
    assert r.data_ptr == values_address(single.chunk(0))

    multi = pa.chunked_array(
        [
            pa.array([1, 2], pa.int32()),
            pa.array([], pa.int32()),
            pa.array([3, 4, 5, 6], pa.int32()).slice(1),
        ]
    )
    assert multi.num_chunks == 3
    r = rp.asarray(multi)
    assert_same(r, np.array([1, 2, 4, 5, 6], dtype=np.int32))
    assert r.c_contiguous

    empty = pa.chunked_array([], type=pa.float32())
    r = rp.asarray(empty)
    assert r.shape == (0,)
    assert r.dtype == rp.float32


def test_asarray_table_and_record_batch_columns():
    table = pa.table({"a": np.arange(5, dtype=np.int16), "b": np.linspace(0, 1, 5)})
    ra = rp.asarray(table["a"])
    assert_same(ra, np.arange(5, dtype=np.int16))
    assert ra.data_ptr == values_address(table["a"].chunk(0))
    rb = rp.asarray(table.column("b"))
    assert_same(rb, np.linspace(0, 1, 5))

    batch = pa.record_batch({"x": np.arange(4, dtype=np.uint32), "y": [1.0, 2.0, 3.0, 4.0]})
    rx = rp.asarray(batch.column(0))
    assert_same(rx, np.arange(4, dtype=np.uint32))
    assert rx.data_ptr == values_address(batch.column(0))
    ry = rp.asarray(batch["y"])
    assert_same(ry, np.array([1.0, 2.0, 3.0, 4.0]))

    two_batches = pa.Table.from_batches([batch, batch])
    assert two_batches["x"].num_chunks == 2
    assert_same(rp.asarray(two_batches["x"]), np.tile(np.arange(4, dtype=np.uint32), 2))


def test_asarray_fixed_size_list_zero_copy():
    values = pa.array(np.arange(12.0))
    fsl = pa.FixedSizeListArray.from_arrays(values, 3)
    r = rp.asarray(fsl)
    assert_same(r, np.arange(12.0).reshape(4, 3))
    assert r.data_ptr == values_address(values)

    nested = pa.FixedSizeListArray.from_arrays(
        pa.FixedSizeListArray.from_arrays(pa.array(np.arange(24, dtype=np.int32)), 3), 2
    )
    rn = rp.asarray(nested)
    assert_same(rn, np.arange(24, dtype=np.int32).reshape(4, 2, 3))

    piece = fsl.slice(1, 2)
    rs = rp.asarray(piece)
    assert_same(rs, np.arange(12.0).reshape(4, 3)[1:3])
    assert rs.data_ptr == values_address(values) + 3 * 8


@pytest.mark.parametrize("dtype", ["uint8", "int32", "float16", "float64"])
def test_asarray_fixed_shape_tensor_zero_copy(dtype):
    n = sample(dtype, (4, 2, 3))
    tensor = pa.FixedShapeTensorArray.from_numpy_ndarray(n)
    r = rp.asarray(tensor)
    assert_same(r, n)
    assert r.data_ptr == values_address(tensor.storage.values)


def test_raptors_nd_round_trips_through_arrow():
    n = sample("float32", (3, 4, 2))
    a = from_np(n)
    back = rp.asarray(pa.array(a))
    assert_same(back, n)
    assert back.data_ptr == a.data_ptr


def test_asarray_arrow_bool_copies_to_bool():
    bits = [True, False, True, True, False, False, True, False, True, True]
    r = rp.asarray(pa.array(bits))
    assert r.dtype == rp.bool
    assert_same(r, np.array(bits))
    # a bit offset that is not a multiple of eight
    piece = pa.array(bits).slice(3, 6)
    assert_same(rp.asarray(piece), np.array(bits[3:9]))
    chunked = pa.chunked_array([pa.array(bits[:4]), pa.array(bits[4:])])
    assert_same(rp.asarray(chunked), np.array(bits))


# --------------------------------------------------------------------------------------------
# import: nulls
# --------------------------------------------------------------------------------------------


def test_nulls_raise_with_count():
    arr = pa.array([1.0, None, 3.0, None, 5.0])
    with pytest.raises(ValueError, match="null") as info:
        rp.asarray(arr)
    assert mentions_count(str(info.value), 2), str(info.value)
    with pytest.raises(ValueError) as info:
        rp.asarray(pa.chunked_array([arr, pa.array([None, None, 1.0])]))
    assert mentions_count(str(info.value), 4), str(info.value)


def test_nulls_in_named_columns_name_the_column():
    s = pl.Series("price", [1.0, None, None, None, 5.0])
    with pytest.raises(ValueError) as info:
        rp.asarray(s)
    msg = str(info.value)
    assert "price" in msg and mentions_count(msg, 3), msg

    table = pa.table({"ok": [1.0, 2.0, 3.0, 4.0, 5.0], "temp": [1.0, None, None, None, 5.0]})
    with pytest.raises(ValueError) as info:
        rp.asarray(table)
    msg = str(info.value)
    assert "temp" in msg and mentions_count(msg, 3), msg
    with pytest.raises(ValueError) as info:
        rp.asarray(table["temp"])
    assert mentions_count(str(info.value), 3), str(info.value)

    df = pl.DataFrame({"x": [1, 2, 3], "speed": [None, 2, None]})
    with pytest.raises(ValueError) as info:
        rp.asarray(df)
    msg = str(info.value)
    assert "speed" in msg and mentions_count(msg, 2), msg


def test_fill_null():
    r = rp.asarray(pa.array([1.0, None, 3.0]), fill_null=0)
    assert_same(r, np.array([1.0, 0.0, 3.0]))
    ri = rp.asarray(pa.array([None, 2, None], pa.int32()), fill_null=-7)
    assert_same(ri, np.array([-7, 2, -7], dtype=np.int32))
    rn = rp.asarray(pa.array([1.0, None], pa.float32()), fill_null=float("nan"))
    assert rn.dtype == rp.float32
    assert rn[0] == 1.0 and math.isnan(rn[1])
    rb = rp.asarray(pa.array([True, None, False]), fill_null=True)
    assert_same(rb, np.array([True, True, False]))
    rs = rp.asarray(pl.Series("p", [None, 4.0]), fill_null=9)
    assert_same(rs, np.array([9.0, 4.0]))
    rc = rp.asarray(pa.chunked_array([[1.0, None], [None, 4.0]]), fill_null=0.5)
    assert_same(rc, np.array([1.0, 0.5, 0.5, 4.0]))
    rt = rp.asarray(pa.table({"a": [1.0, 2.0], "b": [None, 3.0]}), fill_null=0)
    assert_same(rt, np.array([[1.0, 0.0], [2.0, 3.0]]))
    # fill_null without nulls changes nothing (and keeps zero copy)
    clean = pa.array(np.arange(4.0))
    rz = rp.asarray(clean, fill_null=0)
    assert rz.data_ptr == values_address(clean)


# --------------------------------------------------------------------------------------------
# import: unsupported types
# --------------------------------------------------------------------------------------------

UNSUPPORTED = {
    "string": pa.array(["a", "bc"]),
    "large_string": pa.array(["a"], pa.large_string()),
    "timestamp": pa.array([datetime.datetime(2024, 1, 1)], pa.timestamp("us")),
    "decimal": pa.array([decimal.Decimal("1.50")], pa.decimal128(5, 2)),
    "list": pa.array([[1, 2], [3]]),
}


@pytest.mark.parametrize("case", list(UNSUPPORTED))
def test_unsupported_arrow_types_raise_type_error(case):
    with pytest.raises(TypeError):
        rp.asarray(UNSUPPORTED[case])


def test_unsupported_table_column_raises_type_error():
    with pytest.raises(TypeError):
        rp.asarray(pa.table({"a": [1.0, 2.0], "name": ["x", "y"]}))


# --------------------------------------------------------------------------------------------
# import: Polars and pandas
# --------------------------------------------------------------------------------------------


def test_asarray_polars_series_zero_copy():
    s = pl.Series("v", [1.0, 2.0, 4.5])
    r = rp.asarray(s)
    assert_same(r, np.array([1.0, 2.0, 4.5]))
    assert r.data_ptr == values_address(s.to_arrow())


@pytest.mark.parametrize("dtype", list(PL_TYPES))
def test_asarray_polars_series_dtypes(dtype):
    n = sample(dtype, (7,))
    s = pl.Series("c", n.tolist(), dtype=PL_TYPES[dtype])
    r = rp.asarray(s)
    assert_same(r, n)


def test_asarray_polars_multi_chunk_series():
    s = pl.concat(
        [pl.Series("v", [1, 2], dtype=pl.Int64), pl.Series("v", [3, 4, 5], dtype=pl.Int64)],
        rechunk=False,
    )
    assert s.n_chunks() == 2
    assert_same(rp.asarray(s), np.array([1, 2, 3, 4, 5]))


@pytest.mark.parametrize(
    "series, expected",
    [
        (lambda: pd.Series([1.5, 2.5, -3.0]), np.array([1.5, 2.5, -3.0])),
        (lambda: pd.Series([1, 2, 3]), np.array([1, 2, 3])),
        (lambda: pd.Series(np.arange(4, dtype=np.float32)), np.arange(4, dtype=np.float32)),
        (lambda: pd.Series([1.0, 2.0], dtype="float64[pyarrow]"), np.array([1.0, 2.0])),
        (lambda: pd.Series([1, 2, 3], dtype="int64[pyarrow]"), np.array([1, 2, 3])),
        (lambda: pd.Series([7, 8], dtype="int32[pyarrow]"), np.array([7, 8], dtype=np.int32)),
        (
            lambda: pd.Series([1.0, 2.0], dtype="float32[pyarrow]"),
            np.array([1.0, 2.0], dtype=np.float32),
        ),
    ],
    ids=["np-f8", "np-i8", "np-f4", "pa-f8", "pa-i8", "pa-i4", "pa-f4"],
)
def test_asarray_pandas_series(series, expected):
    r = rp.asarray(series())
    assert_same(r, expected)


def test_asarray_pandas_arrow_series_with_nulls():
    s = pd.Series([1.0, None, 3.0], dtype="float64[pyarrow]")
    with pytest.raises(ValueError):
        rp.asarray(s)
    assert_same(rp.asarray(s, fill_null=-1), np.array([1.0, -1.0, 3.0]))


# --------------------------------------------------------------------------------------------
# import: tables and data frames become 2-d arrays
# --------------------------------------------------------------------------------------------

COLUMN_DTYPES = [
    ("int64", "float64"),
    ("int32", "float32"),
    ("int8", "uint8"),
    ("uint64", "int64"),
    ("bool", "int16"),
    ("float16", "int8"),
    ("float32", "float32", "float32"),
    ("uint16",),
]


def _columns(dtypes):
    return {f"c{i}": sample(d, (6,)) for i, d in enumerate(dtypes)}


@pytest.mark.parametrize("dtypes", COLUMN_DTYPES, ids=lambda d: "+".join(d))
def test_asarray_pa_table_is_2d(dtypes):
    cols = _columns(dtypes)
    expected = np.column_stack(list(cols.values()))
    r = rp.asarray(pa.table(cols))
    assert r.c_contiguous
    assert r.shape == (6, len(dtypes))
    assert_same(r, expected)
    rb = rp.asarray(pa.record_batch(cols))
    assert_same(rb, expected)


@pytest.mark.parametrize(
    "dtypes", [d for d in COLUMN_DTYPES if "float16" not in d], ids=lambda d: "+".join(d)
)
def test_asarray_polars_dataframe_is_2d(dtypes):
    cols = _columns(dtypes)
    expected = np.column_stack(list(cols.values()))
    r = rp.asarray(pl.DataFrame(cols))
    assert r.c_contiguous
    assert r.shape == (6, len(dtypes))
    assert_same(r, expected)


def test_asarray_multi_batch_table_is_2d():
    b1 = pa.record_batch({"a": [1, 2], "b": [0.5, 1.5]})
    b2 = pa.record_batch({"a": [3], "b": [2.5]})
    table = pa.Table.from_batches([b1, b2])
    r = rp.asarray(table)
    assert r.c_contiguous
    assert_same(r, np.array([[1.0, 0.5], [2.0, 1.5], [3.0, 2.5]]))
    assert to_np(r).dtype == np.float64
