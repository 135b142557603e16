"""Arrow IPC streams: ``rp.from_ipc`` (zero-copy over any bytes-like object, untrusted input)
and ``rp.to_ipc`` / ``a.to_ipc()``, with pyarrow as producer, consumer and oracle."""

from __future__ import annotations

import gc
import random

import numpy as np
import pyarrow as pa
import pytest
import raptors as rp
from conftest import ALL_DTYPES, to_np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Malformed input may raise these (ValueError for the stream, TypeError for its types); never
# anything else (a RuntimeError would be a caught panic), and never crash.
REJECT = (ValueError, TypeError)


def stream(*batches: pa.RecordBatch, schema: pa.Schema | None = None, **options) -> bytes:
    """An IPC stream (with end marker) of ``batches``, as pyarrow writes it."""
    schema = schema if schema is not None else batches[0].schema
    sink = pa.BufferOutputStream()
    opts = pa.ipc.IpcWriteOptions(**options) if options else None
    with pa.ipc.new_stream(sink, schema, options=opts) as w:
        for b in batches:
            w.write_batch(b)
    return sink.getvalue().to_pybytes()


def column_stream(arr: pa.Array, name: str = "x") -> bytes:
    return stream(pa.record_batch([arr], names=[name]))


def sample_np(dtype: str, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith("float"):
        return (rng.standard_normal(n) * 100).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)


def inside(a: rp.ndarray, src) -> bool:
    """Whether ``a``'s first element lies in the memory of the bytes-like ``src``."""
    base = np.frombuffer(src, np.uint8)
    lo = base.ctypes.data
    ptr = a.data_ptr
    return lo <= ptr < lo + base.nbytes


# --------------------------------------------------------------------------------------------
# reading what pyarrow writes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_primitive_column_every_dtype(dtype):
    n = sample_np(dtype, 37)
    src = column_stream(pa.array(n))
    a = rp.from_ipc(src)
    assert a.dtype.name == dtype
    assert a.shape == (37,)
    np.testing.assert_array_equal(to_np(a), n)
    if dtype != "bool":  # bools are bit-packed in Arrow: unpacking copies
        assert inside(a, src)


def test_fixed_size_list_rows_zero_copy():
    n = np.arange(64 * 256, dtype=np.float32).reshape(64, 256)
    arr = pa.FixedSizeListArray.from_arrays(pa.array(n.ravel()), 256)
    src = column_stream(arr, "embedding")
    a = rp.from_ipc(src)
    assert a.shape == (64, 256) and a.dtype == rp.float32
    np.testing.assert_array_equal(np.asarray(a), n)
    assert inside(a, src)


def test_fixed_shape_tensor_is_nd():
    n = np.arange(5 * 3 * 4, dtype=np.int16).reshape(5, 3, 4)
    arr = pa.FixedShapeTensorArray.from_numpy_ndarray(n)
    src = column_stream(arr, "t")
    a = rp.from_ipc(src)
    assert a.shape == (5, 3, 4) and a.dtype == rp.int16
    np.testing.assert_array_equal(np.asarray(a), n)
    assert inside(a, src)


def test_several_columns_form_a_table():
    batch = pa.record_batch(
        {
            "a": pa.array([1, 2, 3], pa.int64()),
            "b": pa.array([0.5, 1.5, 2.5], pa.float32()),
            "c": pa.array([True, False, True]),
        }
    )
    a = rp.from_ipc(stream(batch))
    expect = np.column_stack([[1, 2, 3], [0.5, 1.5, 2.5], [1, 0, 1]]).astype(np.float64)
    assert a.shape == (3, 3) and a.dtype == rp.float64
    assert np.asarray(a).flags.c_contiguous
    np.testing.assert_array_equal(np.asarray(a), expect)
    ints = pa.record_batch({"x": pa.array([1, 2], pa.int8()), "y": pa.array([3, 4], pa.uint8())})
    t = rp.from_ipc(stream(ints))
    assert t.dtype == rp.int16  # NumPy's promotion of int8 and uint8
    np.testing.assert_array_equal(np.asarray(t), [[1, 3], [2, 4]])


def test_column_picks_one():
    batch = pa.record_batch(
        {
            "id": pa.array([7, 8], pa.int32()),
            "name": pa.array(["p", "q"]),
            "vec": pa.FixedSizeListArray.from_arrays(pa.array([1.0, 2.0, 3.0, 4.0]), 2),
        }
    )
    src = stream(batch)
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(src, column="id")), [7, 8])
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(src, column=0)), [7, 8])
    vec = rp.from_ipc(src, column=-1)
    assert vec.shape == (2, 2)
    assert inside(vec, src)
    with pytest.raises(TypeError, match="not supported"):
        rp.from_ipc(src)  # the string column cannot join the table
    with pytest.raises(TypeError, match="not supported"):
        rp.from_ipc(src, column="name")
    with pytest.raises(ValueError, match=r"no column 'nope'.*'id', 'name', 'vec'"):
        rp.from_ipc(src, column="nope")
    with pytest.raises(ValueError, match=r"no column 3 .*3 column"):
        rp.from_ipc(src, column=3)
    with pytest.raises(ValueError, match="no column -4"):
        rp.from_ipc(src, column=-4)
    with pytest.raises(TypeError, match="column must be"):
        rp.from_ipc(src, column=1.5)
    with pytest.raises(TypeError, match="column must be"):
        rp.from_ipc(src, column=True)


def test_tensor_column_cannot_join_a_table():
    batch = pa.record_batch(
        {
            "id": pa.array([7, 8], pa.int32()),
            "vec": pa.FixedSizeListArray.from_arrays(pa.array([1.0, 2.0, 3.0, 4.0]), 2),
        }
    )
    with pytest.raises(ValueError, match=r"column 'vec' is 2-d.*column="):
        rp.from_ipc(stream(batch))


def test_batches_are_concatenated():
    parts = [np.arange(i * 10, i * 10 + k, dtype=np.float64) for i, k in enumerate([3, 0, 5, 1])]
    batches = [pa.record_batch([pa.array(p)], names=["v"]) for p in parts]
    a = rp.from_ipc(stream(*batches))
    np.testing.assert_array_equal(np.asarray(a), np.concatenate(parts))
    # tables and tensor columns too
    tb = [pa.record_batch({"x": pa.array(p), "y": pa.array(-p)}) for p in parts]
    t = rp.from_ipc(stream(*tb))
    np.testing.assert_array_equal(
        np.asarray(t), np.column_stack([np.concatenate(parts), -np.concatenate(parts)])
    )
    tensors = [np.full((k, 2, 3), i, np.uint16) for i, k in enumerate([2, 1, 3])]
    tsb = [
        pa.record_batch([pa.FixedShapeTensorArray.from_numpy_ndarray(x)], names=["t"])
        for x in tensors
    ]
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(stream(*tsb))), np.concatenate(tensors))


def test_empty_streams():
    schema = pa.schema([("v", pa.float32())])
    a = rp.from_ipc(stream(schema=schema))
    assert a.shape == (0,) and a.dtype == rp.float32
    fsl = pa.schema([("e", pa.list_(pa.int8(), 256))])
    assert rp.from_ipc(stream(schema=fsl)).shape == (0, 256)
    tensor = pa.schema([("t", pa.fixed_shape_tensor(pa.float64(), [3, 4]))])
    assert rp.from_ipc(stream(schema=tensor)).shape == (0, 3, 4)
    table = pa.schema([("a", pa.int32()), ("b", pa.int64())])
    t = rp.from_ipc(stream(schema=table))
    assert t.shape == (0, 2) and t.dtype == rp.int64
    # the end-of-stream marker is optional, also right after the schema
    src = stream(schema=schema)
    assert src.endswith(b"\xff\xff\xff\xff\x00\x00\x00\x00")
    assert rp.from_ipc(src[:-8]).shape == (0,)
    # a zero-row batch
    empty = pa.record_batch([pa.array([], pa.uint8())], names=["v"])
    assert rp.from_ipc(stream(empty)).shape == (0,)
    assert rp.from_ipc(stream(empty)[:-8]).shape == (0,)
    # schema with a string column and no batches: still a TypeError
    with pytest.raises(TypeError):
        rp.from_ipc(stream(schema=pa.schema([("s", pa.string())])))


def test_nulls():
    arr = pa.array([1.0, None, 3.0], pa.float64())
    src = column_stream(arr, "price")
    with pytest.raises(ValueError, match="column 'price' has 1 null"):
        rp.from_ipc(src)
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(src, fill_null=-1)), [1.0, -1.0, 3.0])
    two = stream(*[pa.record_batch([arr], names=["price"])] * 2)
    with pytest.raises(ValueError, match="has 2 null"):
        rp.from_ipc(two)
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(two, fill_null=0)), [1.0, 0.0, 3.0] * 2)
    table = pa.record_batch({"a": pa.array([1, None], pa.int32()), "b": pa.array([2, 3])})
    with pytest.raises(ValueError, match="column 'a' has 1 null"):
        rp.from_ipc(stream(table))
    np.testing.assert_array_equal(
        np.asarray(rp.from_ipc(stream(table), fill_null=9)), [[1, 2], [9, 3]]
    )
    # nullable fields without nulls are fine and zero-copy
    ok = column_stream(pa.array([1, 2], pa.int64()))
    assert inside(rp.from_ipc(ok), ok)


def test_unsupported_types_are_type_errors():
    for arr in [
        pa.array(["a", "b"]),
        pa.array([[1, 2], [3]]),
        pa.array([1, 2]).dictionary_encode(),
        pa.array([b"x", b"y"]),
        pa.array([1, 2], pa.timestamp("s")),
    ]:
        with pytest.raises(TypeError, match="not supported"):
            rp.from_ipc(column_stream(arr))


def dictionary_stream(batches: int) -> bytes:
    schema = pa.schema([("d", pa.dictionary(pa.int32(), pa.string())), ("v", pa.int64())])
    sink = pa.BufferOutputStream()
    opts = pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True)
    with pa.ipc.new_stream(sink, schema, options=opts) as w:
        for i in range(batches):
            words = pa.array([str(k) for k in range(i + 1)])
            d = pa.DictionaryArray.from_arrays(pa.array([i], pa.int32()), words)
            w.write_batch(pa.record_batch([d, pa.array([i])], schema=schema))
    return sink.getvalue().to_pybytes()


def test_dictionary_columns():
    src = dictionary_stream(3)  # one dictionary, then two deltas
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(src, column="v")), [0, 1, 2])
    with pytest.raises(TypeError, match="Dictionary"):
        rp.from_ipc(src, column="d")
    # many deltas would cost quadratic time in the decoder: refused up front
    with pytest.raises(ValueError, match="delta dictionary"):
        rp.from_ipc(dictionary_stream(40), column="v")


def test_compressed_streams_are_refused_clearly():
    batch = pa.record_batch([pa.array(np.arange(1000, dtype=np.int64))], names=["v"])
    for codec in ["lz4", "zstd"]:
        with pytest.raises(ValueError, match="invalid Arrow IPC stream"):
            rp.from_ipc(stream(batch, compression=codec))


# --------------------------------------------------------------------------------------------
# memory: zero-copy, lifetime, writability, sources
# --------------------------------------------------------------------------------------------


def test_zero_copy_and_lifetime():
    def make():
        src = column_stream(pa.array(np.arange(1000, dtype=np.int32)))
        a = rp.from_ipc(src)
        assert inside(a, src)
        return a

    a = make()
    gc.collect()
    np.testing.assert_array_equal(np.asarray(a), np.arange(1000, dtype=np.int32))


def test_bytes_give_read_only_arrays():
    src = column_stream(pa.array([1.0, 2.0]))
    a = rp.from_ipc(src)
    assert a.writeable is False
    with pytest.raises(ValueError):
        a[0] = 5


def test_writable_sources_give_writable_views():
    buf = bytearray(column_stream(pa.array([1.0, 2.0])))
    a = rp.from_ipc(buf)
    assert a.writeable
    assert inside(a, buf)
    a[1] = 42.0
    assert rp.from_ipc(bytes(buf))[1] == 42.0


@pytest.mark.parametrize("kind", ["memoryview", "numpy", "bytearray", "pyarrow"])
def test_any_bytes_like_source(kind):
    raw = column_stream(pa.array(np.arange(50, dtype=np.uint64)))
    src = {
        "memoryview": lambda: memoryview(raw),
        "numpy": lambda: np.frombuffer(raw, np.uint8).copy(),
        "bytearray": lambda: bytearray(raw),
        "pyarrow": lambda: pa.py_buffer(raw),
    }[kind]()
    a = rp.from_ipc(src)
    np.testing.assert_array_equal(np.asarray(a), np.arange(50, dtype=np.uint64))
    assert inside(a, src)


def test_misaligned_source_is_copied():
    raw = column_stream(pa.array(np.arange(20, dtype=np.float64)))
    shifted = memoryview(b"x" + raw)[1:]
    a = rp.from_ipc(shifted)
    np.testing.assert_array_equal(np.asarray(a), np.arange(20, dtype=np.float64))
    assert a.data_ptr % 8 == 0


def test_non_bytes_inputs():
    for bad in ["text", 5, None, [1, 2]]:
        with pytest.raises(TypeError, match="bytes-like"):
            rp.from_ipc(bad)
    strided = np.frombuffer(column_stream(pa.array([1, 2])), np.uint8)[::2]
    with pytest.raises((BufferError, ValueError), match="contiguous"):
        rp.from_ipc(strided)


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(7,), (0,), (4, 3), (2, 3, 5), (3, 0), (0, 4)])
def test_to_ipc_round_trip(dtype, shape):
    n = sample_np(dtype, int(np.prod(shape)), seed=len(shape)).reshape(shape)
    a = rp.asarray(n)
    data = a.to_ipc()
    assert isinstance(data, bytes)
    assert rp.to_ipc(a) == data
    back = rp.from_ipc(data)
    assert back.dtype.name == dtype and back.shape == shape
    np.testing.assert_array_equal(to_np(back), n)
    table = pa.ipc.open_stream(data).read_all()
    assert table.schema.names == ["values"] and table.num_rows == shape[0]
    col = table.column(0).combine_chunks()
    if len(shape) == 1:
        np.testing.assert_array_equal(col.to_numpy(zero_copy_only=False), n)
    else:
        assert isinstance(col.type, pa.FixedShapeTensorType)
        assert tuple(col.type.shape) == shape[1:]
        flat = col.storage.flatten().to_numpy(zero_copy_only=False)
        np.testing.assert_array_equal(flat.reshape(shape), n)


def test_to_ipc_options_and_inputs():
    a = rp.arange(12, dtype=rp.int32).reshape(3, 4)
    data = rp.to_ipc(a.T, name="cols")  # non-contiguous: copied once
    assert pa.ipc.open_stream(data).schema.names == ["cols"]
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(data)), np.arange(12).reshape(3, 4).T)
    assert a.to_ipc(name="m") == rp.to_ipc(a, "m")
    np.testing.assert_array_equal(np.asarray(rp.from_ipc(rp.to_ipc([1.5, 2.5]))), [1.5, 2.5])
    with pytest.raises(ValueError, match="0-d"):
        rp.asarray(3.0).to_ipc()


@given(
    hnp.arrays(
        dtype=st.sampled_from([np.dtype(d) for d in ALL_DTYPES]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5),
    )
)
def test_round_trip_hypothesis(n):
    back = rp.from_ipc(rp.asarray(n).to_ipc())
    assert back.shape == n.shape and back.dtype.name == n.dtype.name
    np.testing.assert_array_equal(to_np(back), n)


@given(st.lists(st.integers(0, 6), min_size=0, max_size=5), st.sampled_from(["int8", "float32"]))
def test_batch_splits_hypothesis(sizes, dtype):
    parts = [sample_np(dtype, k, seed=i) for i, k in enumerate(sizes)]
    schema = pa.schema([("v", pa.from_numpy_dtype(np.dtype(dtype)))])
    batches = [pa.record_batch([pa.array(p)], schema=schema) for p in parts]
    a = rp.from_ipc(stream(*batches, schema=schema))
    expect = np.concatenate(parts) if parts else np.zeros(0, dtype)
    np.testing.assert_array_equal(to_np(a), expect)


# --------------------------------------------------------------------------------------------
# untrusted input
# --------------------------------------------------------------------------------------------


def small_streams() -> list[bytes]:
    return [
        column_stream(pa.array([1, 2, 3, 4, 5], pa.int16())),
        stream(
            pa.record_batch(
                {
                    "a": pa.array([1.0, None]),
                    "b": pa.array([True, False]),
                    "t": pa.FixedShapeTensorArray.from_numpy_ndarray(
                        np.arange(8, dtype=np.uint32).reshape(2, 2, 2)
                    ),
                }
            )
        ),
        stream(*[pa.record_batch([pa.array([7, 8], pa.int64())], names=["v"])] * 2),
    ]


def try_decode(data, **kwargs):
    try:
        return rp.from_ipc(data, **kwargs)
    except REJECT:
        return None


def test_garbage():
    with pytest.raises(ValueError, match="empty"):
        rp.from_ipc(b"")
    with pytest.raises(ValueError, match="invalid Arrow IPC stream"):
        rp.from_ipc(b"not an arrow stream at all")
    with pytest.raises(ValueError):
        rp.from_ipc(b"\xff\xff\xff\xff")
    with pytest.raises(ValueError):
        rp.from_ipc(b"\xff\xff\xff\xff\xff\xff\xff\x7f" + b"\0" * 64)  # length past the end
    # an Arrow *file* (magic ARROW1) is not a stream
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, pa.schema([("v", pa.int8())])):
        pass
    with pytest.raises(ValueError):
        rp.from_ipc(sink.getvalue().to_pybytes())
    rng = random.Random(1)
    for n in [1, 3, 4, 7, 8, 16, 100, 1000, 5000]:
        for _ in range(5):
            blob = rng.randbytes(n)
            with pytest.raises(REJECT):
                rp.from_ipc(blob)
            # random bytes behind a plausible header
            assert try_decode(b"\xff\xff\xff\xff" + (n).to_bytes(4, "little") + blob) is None


def test_every_truncation():
    for src in small_streams():
        full = rp.from_ipc(src, fill_null=0, column=0)
        for k in range(len(src)):
            out = try_decode(src[:k], fill_null=0, column=0)
            # a prefix that ends between messages is a valid (shorter) stream
            if out is not None:
                assert out.shape[0] <= full.shape[0]


def test_byte_flips():
    for src in small_streams():
        for pos in range(len(src)):
            for mask in (0x01, 0x80, 0xFF):
                bad = bytearray(src)
                bad[pos] ^= mask
                try_decode(bytes(bad))
                try_decode(bytes(bad), column=0, fill_null=1)


def test_corrupted_lengths():
    src = bytearray(column_stream(pa.array(np.arange(16, dtype=np.int64))))
    # every little-endian 32/64-bit word set to huge / negative / zero values
    for pos in range(0, len(src) - 8, 4):
        for value in (0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0, 1 << 40, (1 << 63) + 5):
            bad = bytearray(src)
            bad[pos : pos + 8] = (value % (1 << 64)).to_bytes(8, "little")
            try_decode(bytes(bad))


def test_random_mutations_hypothesis():
    src = small_streams()[1]

    @given(st.lists(st.tuples(st.integers(0, len(src) - 1), st.integers(0, 255)), max_size=8))
    def check(edits):
        bad = bytearray(src)
        for pos, value in edits:
            bad[pos] = value
        try_decode(bytes(bad), column="t")
        try_decode(bytes(bad), fill_null=0)

    check()
