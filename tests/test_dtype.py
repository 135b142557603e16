"""dtype objects, result_type, can_cast, finfo, iinfo, isdtype and the array API namespace."""

from __future__ import annotations

import copy
import itertools
import pickle

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    all_dtypes,
    float_dtypes,
    from_np,
    int_dtypes,
    raises_like,
    rp_dtype,
)

# --------------------------------------------------------------------------------------------
# the dtype objects
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_dtype_objects_are_dtype_instances(dtype):
    dt = rp_dtype(dtype)
    assert isinstance(dt, rp.dtype)
    assert rp.dtype(dtype) == dt
    assert rp.dtype(dt) == dt


@all_dtypes
def test_dtype_attributes_match_numpy(dtype):
    dt = rp_dtype(dtype)
    nd = np.dtype(dtype)
    assert dt.name == nd.name
    assert dt.kind == nd.kind
    assert dt.itemsize == nd.itemsize
    assert dt.str == nd.str
    assert dt.char == nd.char
    assert dt.byteorder == nd.byteorder
    assert isinstance(dt.itemsize, int)


@all_dtypes
def test_dtype_repr_and_str(dtype):
    dt = rp_dtype(dtype)
    assert repr(dt) == repr(np.dtype(dtype)) == f"dtype('{dtype}')"
    assert str(dt) == str(np.dtype(dtype)) == dtype


@all_dtypes
def test_dtype_equality(dtype):
    dt = rp_dtype(dtype)
    nd = np.dtype(dtype)
    assert dt == dtype
    assert dt == nd
    assert dt == nd.type
    assert dt == nd.str
    assert dt == nd.char
    assert not (dt != dtype)
    for other in ALL_DTYPES:
        if other != dtype:
            assert dt != rp_dtype(other)
            assert dt != other
            assert dt != np.dtype(other)
            assert not (dt == rp_dtype(other))


def test_dtype_equality_with_python_types():
    assert rp.float64 == float  # noqa: E721
    assert rp.int64 == int  # noqa: E721
    assert rp.bool == bool  # noqa: E721
    assert rp.float32 != float  # noqa: E721


def test_dtype_equality_with_unrelated_objects_is_false():
    for other in (None, 5, 1.5, object(), "not a dtype", [1], "complex64"):
        assert (rp.float32 == other) is False
        assert (rp.float32 != other) is True


@all_dtypes
def test_dtype_hashable(dtype):
    dt = rp_dtype(dtype)
    assert hash(dt) == hash(rp.dtype(dtype))
    assert hash(dt) == hash(rp.dtype(np.dtype(dtype)))
    table = {dt: dtype}
    assert table[rp.dtype(np.dtype(dtype).str)] == dtype


def test_dtypes_distinct_in_set():
    assert len({rp_dtype(d) for d in ALL_DTYPES}) == 12
    assert len({rp.dtype(d) for d in ALL_DTYPES + ALL_DTYPES}) == 12


@all_dtypes
def test_dtype_pickle_and_copy(dtype):
    dt = rp_dtype(dtype)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(dt, protocol=proto))
        assert isinstance(back, rp.dtype)
        assert back == dt
        assert back.name == dtype
        assert hash(back) == hash(dt)
    assert copy.copy(dt) == dt
    assert copy.deepcopy(dt) == dt


SPELLINGS = [
    "float32",
    "f4",
    "<f4",
    "=f4",
    "float64",
    "f8",
    "<f8",
    "d",
    "double",
    "float",
    "float16",
    "f2",
    "e",
    "half",
    "single",
    "f",
    "int64",
    "i8",
    "<i8",
    "int",
    "l",
    "q",
    "int32",
    "i4",
    "i",
    "int16",
    "i2",
    "h",
    "int8",
    "i1",
    "b",
    "|i1",
    "uint8",
    "u1",
    "|u1",
    "B",
    "uint16",
    "u2",
    "H",
    "uint32",
    "u4",
    "I",
    "uint64",
    "u8",
    "L",
    "Q",
    "uint",
    "bool",
    "?",
    "b1",
    "|b1",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_dtype_from_strings(spelling):
    dt = rp.dtype(spelling)
    assert isinstance(dt, rp.dtype)
    assert dt.name == np.dtype(spelling).name
    assert dt == spelling


@pytest.mark.parametrize(("obj", "name"), [(bool, "bool"), (int, "int64"), (float, "float64")])
def test_dtype_from_python_types(obj, name):
    assert rp.dtype(obj).name == name == np.dtype(obj).name
    assert rp.zeros(2, dtype=obj).dtype.name == name


@all_dtypes
def test_dtype_from_numpy(dtype):
    nd = np.dtype(dtype)
    assert rp.dtype(nd).name == dtype
    assert rp.dtype(nd.type).name == dtype
    assert rp.dtype(rp.dtype(dtype)) == rp_dtype(dtype)


def test_dtype_from_numpy_aliases():
    assert rp.dtype(np.double) == rp.float64
    assert rp.dtype(np.single) == rp.float32
    assert rp.dtype(np.half) == rp.float16
    assert rp.dtype(np.bool_) == rp.bool
    assert rp.dtype(np.intp) == rp.int64
    assert rp.dtype(np.uintp) == rp.uint64


def test_half_alias():
    assert rp.half is rp.float16 or rp.half == rp.float16


@pytest.mark.parametrize(
    "bad",
    [
        ">f8",
        ">i4",
        ">u2",
        "complex64",
        "complex128",
        "c16",
        "F",
        "D",
        "O",
        "U5",
        "S3",
        "M8[s]",
        "m8",
        "V8",
        "float128",
        "g",
    ],
)
def test_unsupported_dtype_strings_raise_type_error(bad):
    with pytest.raises(TypeError):
        rp.dtype(bad)
    with pytest.raises(TypeError):
        rp.zeros(3, dtype=bad)


@pytest.mark.parametrize("bad", ["foo", "float33", "int7", ""])
def test_unknown_dtype_strings_raise_like_numpy(bad):
    raises_like(lambda: rp.dtype(bad), lambda: np.dtype(bad))


@pytest.mark.parametrize(
    "bad",
    [
        np.complex64,
        np.dtype("complex128"),
        np.dtype(">f8"),
        np.object_,
        str,
        complex,
        bytes,
        object,
        5,
        [("a", "f8")],
        np.dtype([("a", "f8")]),
    ],
    ids=repr,
)
def test_unsupported_dtype_objects_raise_type_error(bad):
    with pytest.raises(TypeError):
        rp.dtype(bad)


def test_big_endian_message_is_helpful():
    with pytest.raises(TypeError, match="f8"):
        rp.dtype(">f8")


@all_dtypes
def test_array_dtype_attribute_is_dtype_object(dtype):
    a = rp.zeros(2, dtype=dtype)
    assert isinstance(a.dtype, rp.dtype)
    assert a.dtype == rp_dtype(dtype)
    assert a.dtype == np.dtype(dtype)
    assert a.itemsize == np.dtype(dtype).itemsize


# --------------------------------------------------------------------------------------------
# result_type
# --------------------------------------------------------------------------------------------

PAIRS = list(itertools.product(ALL_DTYPES, ALL_DTYPES))


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_result_type_pairs(a, b):
    expected = np.result_type(np.dtype(a), np.dtype(b)).name
    assert rp.result_type(rp_dtype(a), rp_dtype(b)).name == expected
    assert rp.result_type(a, b).name == expected
    assert rp.result_type(rp.zeros(1, dtype=a), rp.zeros((), dtype=b)).name == expected
    assert isinstance(rp.result_type(a, b), rp.dtype)


@all_dtypes
@pytest.mark.parametrize("scalar", [True, 1, -1, 1000, 1.5, 2**70], ids=repr)
def test_result_type_with_python_scalars_is_weak(dtype, scalar):
    # NEP 50: Python scalars do not take part in value-based casting
    if isinstance(scalar, int) and not isinstance(scalar, bool) and abs(scalar) >= 2**64:
        # too large for any integer dtype; NumPy only raises for integer dtypes
        try:
            expected = np.result_type(np.dtype(dtype), scalar).name
        except OverflowError:
            with pytest.raises(OverflowError):
                rp.result_type(rp_dtype(dtype), scalar)
            return
    else:
        expected = np.result_type(np.dtype(dtype), scalar).name
    assert rp.result_type(rp_dtype(dtype), scalar).name == expected
    assert rp.result_type(scalar, rp.zeros(2, dtype=dtype)).name == expected


@pytest.mark.parametrize(
    "args",
    [
        (1,),
        (1.0,),
        (True,),
        (1, 1.0),
        (True, 1),
        ("int8", "uint8", "float16"),
        ("int8", "uint16", "int32"),
        ("uint64", "int64"),
        ("uint64", "int8", 1.0),
        ("float16", "int16"),
        ("float16", "uint8"),
        ("float32", "int64"),
        ("bool", "bool", True),
        ("uint8", -1),
        ("int8", 2.5),
    ],
    ids=repr,
)
def test_result_type_mixed(args):
    np_args = [np.dtype(x) if isinstance(x, str) else x for x in args]
    assert rp.result_type(*args).name == np.result_type(*np_args).name


@all_dtypes
def test_result_type_single(dtype):
    assert rp.result_type(dtype) == rp_dtype(dtype)
    assert rp.result_type(rp.ones(3, dtype=dtype)) == rp_dtype(dtype)


def test_result_type_no_arguments():
    raises_like(lambda: rp.result_type(), lambda: np.result_type())


def test_result_type_bad_argument():
    with pytest.raises(TypeError):
        rp.result_type("complex64", "int8")
    with pytest.raises(TypeError):
        rp.result_type(object(), "int8")


def test_result_type_rejects_lists_like_numpy():
    # NumPy's message here ("Field elements must be 2- or 3-tuples") is an artefact
    raises_like(lambda: rp.result_type([1, 2]), lambda: np.result_type([1, 2]), message=None)


# --------------------------------------------------------------------------------------------
# can_cast
# --------------------------------------------------------------------------------------------

CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


@pytest.mark.parametrize("casting", CASTINGS)
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_can_cast(a, b, casting):
    expected = bool(np.can_cast(np.dtype(a), np.dtype(b), casting=casting))
    assert rp.can_cast(rp_dtype(a), rp_dtype(b), casting=casting) is expected
    assert rp.can_cast(a, b, casting) is expected


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_can_cast_default_is_safe(a, b):
    assert rp.can_cast(a, b) is bool(np.can_cast(np.dtype(a), np.dtype(b)))


@pytest.mark.parametrize(("a", "b"), PAIRS[::7])
def test_can_cast_from_array(a, b):
    arr = rp.zeros(3, dtype=a)
    assert rp.can_cast(arr, b) is bool(np.can_cast(np.zeros(3, dtype=a), np.dtype(b)))


@pytest.mark.parametrize("scalar", [1, 1.0, True])
def test_can_cast_rejects_python_scalars(scalar):
    raises_like(
        lambda: rp.can_cast(scalar, rp.int8),
        lambda: np.can_cast(scalar, np.int8),
        message="first_line",
    )


def test_can_cast_bad_casting():
    raises_like(
        lambda: rp.can_cast(rp.int8, rp.int16, casting="foo"),
        lambda: np.can_cast(np.int8, np.int16, casting="foo"),
    )


# --------------------------------------------------------------------------------------------
# finfo / iinfo
# --------------------------------------------------------------------------------------------

FINFO_ATTRS = ["eps", "max", "min", "smallest_normal", "tiny", "smallest_subnormal", "resolution"]


@float_dtypes
def test_finfo(dtype):
    for spelling in (rp_dtype(dtype), dtype, np.dtype(dtype)):
        fi = rp.finfo(spelling)
        nfi = np.finfo(dtype)
        assert fi.bits == nfi.bits
        assert fi.precision == nfi.precision
        assert fi.dtype == rp_dtype(dtype)
        assert isinstance(fi.dtype, rp.dtype)
        for attr in FINFO_ATTRS:
            value = getattr(fi, attr)
            assert type(value) is float, attr
            if attr == "resolution":
                # NumPy stores 10**-precision rounded to the dtype; the Python float may be
                # the exact decimal, which rounds to the same value
                assert np.dtype(dtype).type(value) == getattr(nfi, attr)
            else:
                assert value == float(getattr(nfi, attr)), attr


@float_dtypes
def test_finfo_from_array(dtype):
    assert rp.finfo(rp.zeros(2, dtype=dtype)).bits == np.finfo(dtype).bits


def test_finfo_python_float():
    assert rp.finfo(float).eps == float(np.finfo(float).eps)


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool", "int64"])
def test_finfo_rejects_non_float(dtype):
    with pytest.raises(ValueError):
        rp.finfo(dtype)
    with pytest.raises(ValueError):
        np.finfo(dtype)


@int_dtypes
def test_iinfo(dtype):
    for spelling in (rp_dtype(dtype), dtype, np.dtype(dtype)):
        ii = rp.iinfo(spelling)
        nii = np.iinfo(dtype)
        assert ii.bits == nii.bits
        assert type(ii.min) is int
        assert type(ii.max) is int
        assert ii.min == nii.min
        assert ii.max == nii.max
        assert ii.dtype == rp_dtype(dtype)


def test_iinfo_from_array_and_int():
    assert rp.iinfo(rp.zeros(2, dtype="uint16")).max == 65535
    assert rp.iinfo(int).max == 2**63 - 1


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_iinfo_rejects_floats(dtype):
    raises_like(lambda: rp.iinfo(dtype), lambda: np.iinfo(dtype))


def test_iinfo_rejects_bool():
    with pytest.raises(ValueError):
        np.iinfo("bool")
    with pytest.raises(ValueError):
        rp.iinfo("bool")


# --------------------------------------------------------------------------------------------
# isdtype
# --------------------------------------------------------------------------------------------

KINDS = [
    "bool",
    "signed integer",
    "unsigned integer",
    "integral",
    "real floating",
    "complex floating",
    "numeric",
]


@pytest.mark.parametrize("kind", KINDS)
@all_dtypes
def test_isdtype_kinds(dtype, kind):
    expected = bool(np.isdtype(np.dtype(dtype), kind))
    assert rp.isdtype(rp_dtype(dtype), kind) is expected


@all_dtypes
def test_isdtype_with_dtype_kind(dtype):
    for other in ALL_DTYPES:
        assert rp.isdtype(rp_dtype(dtype), rp_dtype(other)) is (dtype == other)


@pytest.mark.parametrize(
    "kind",
    [
        ("bool", "real floating"),
        ("signed integer", "unsigned integer"),
        ("complex floating",),
        (),
        ("integral", "float32"),
    ],
    ids=repr,
)
@all_dtypes
def test_isdtype_tuple(dtype, kind):
    np_kind = tuple(np.dtype(k) if k in ALL_DTYPES else k for k in kind)
    rp_kind = tuple(rp_dtype(k) if k in ALL_DTYPES else k for k in kind)
    assert rp.isdtype(rp_dtype(dtype), rp_kind) is bool(np.isdtype(np.dtype(dtype), np_kind))


def test_isdtype_errors():
    raises_like(lambda: rp.isdtype(rp.float64, "foo"), lambda: np.isdtype(np.float64, "foo"))
    with pytest.raises(TypeError):
        rp.isdtype(rp.float64, 1)
    with pytest.raises(TypeError):
        rp.isdtype(3, "bool")


# --------------------------------------------------------------------------------------------
# array API namespace
# --------------------------------------------------------------------------------------------


def test_array_api_version():
    assert rp.__array_api_version__ == "2024.12"


def test_array_namespace():
    a = rp.arange(3)
    assert a.__array_namespace__() is rp
    assert a.__array_namespace__(api_version="2024.12") is rp
    assert a.__array_namespace__(api_version=None) is rp


def test_array_namespace_rejects_unknown_version():
    with pytest.raises(ValueError):
        rp.arange(3).__array_namespace__(api_version="1999.01")


def test_namespace_info_basics():
    info = rp.__array_namespace_info__()
    caps = info.capabilities()
    assert caps["boolean indexing"] is True
    assert caps["data-dependent shapes"] is True
    assert "max dimensions" in caps
    assert info.default_device() == "cpu"
    assert info.devices() == ["cpu"]


def test_namespace_info_default_dtypes():
    defaults = rp.__array_namespace_info__().default_dtypes()
    assert defaults["real floating"] == rp.float64
    assert defaults["integral"] == rp.int64
    assert defaults["indexing"] == rp.int64
    assert defaults["complex floating"] is None
    assert rp.__array_namespace_info__().default_dtypes(device="cpu") == defaults


@pytest.mark.parametrize(
    "kind",
    [
        None,
        "bool",
        "signed integer",
        "unsigned integer",
        "integral",
        "real floating",
        "numeric",
        ("bool", "real floating"),
    ],
)
def test_namespace_info_dtypes(kind):
    got = rp.__array_namespace_info__().dtypes(kind=kind)
    # NumPy's array API info leaves out float16, which Raptors supports and lists
    expected = [name for name in ALL_DTYPES if kind is None or np.isdtype(np.dtype(name), kind)]
    assert list(got) == expected
    np_expected = np.__array_namespace_info__().dtypes(kind=kind)
    assert set(np_expected) - {"complex64", "complex128"} == set(expected) - {"float16"}
    for name, dt in got.items():
        assert isinstance(dt, rp.dtype)
        assert dt.name == name


def test_namespace_info_rejects_other_devices():
    with pytest.raises(ValueError):
        rp.__array_namespace_info__().dtypes(device="gpu")


@all_dtypes
def test_astype_to_every_dtype_from_numpy_values(dtype):
    n = np.array([0, 1, 2, 3], dtype="int16")
    assert from_np(n).astype(dtype).dtype == rp_dtype(dtype)
