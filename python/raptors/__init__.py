"""Raptors: NumPy-compatible N-d arrays on Arrow buffers, with Rust kernels.

Arrays share memory like NumPy views; every heavy operation also has an awaitable twin that
runs on Raptors' own thread pool (see docs/async.md). NumPy is optional: it is the semantic
oracle in tests, not a runtime dependency.
"""

from __future__ import annotations

import math as _math

from raptors import _raptors
from raptors._namespace import __array_namespace_info__
from raptors._raptors import (
    AxisError,
    Overloaded,
    arange,
    array,
    asarray,
    astype,
    bool,
    broadcast_arrays,
    broadcast_shapes,
    broadcast_to,
    can_cast,
    concatenate,
    dtype,
    empty,
    empty_like,
    expand_dims,
    eye,
    finfo,
    flip,
    float16,
    float32,
    float64,
    from_dlpack,
    frombuffer,
    full,
    full_like,
    hstack,
    identity,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    isdtype,
    linspace,
    moveaxis,
    ndarray,
    ones,
    ones_like,
    permute_dims,
    ravel,
    reshape,
    result_type,
    shape,
    squeeze,
    stack,
    swapaxes,
    transpose,
    uint8,
    uint16,
    uint32,
    uint64,
    vstack,
    zeros,
    zeros_like,
)

__version__ = "0.1.0"
__array_api_version__ = "2024.12"

#: Alias of ``None`` for indexing, as ``numpy.newaxis``.
newaxis = None
pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan

#: Array API name of :func:`concatenate`.
concat = concatenate
#: Alias of float16, as in NumPy.
half = float16


def ndim(a: object) -> int:
    """Number of dimensions of ``a`` (any array-like)."""
    return asarray(a).ndim


def size(a: object) -> int:
    """Number of elements of ``a`` (any array-like)."""
    return asarray(a).size


__all__ = [
    "AxisError",
    "Overloaded",
    "__array_api_version__",
    "__array_namespace_info__",
    "arange",
    "array",
    "asarray",
    "astype",
    "bool",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "can_cast",
    "concat",
    "concatenate",
    "dtype",
    "e",
    "empty",
    "empty_like",
    "expand_dims",
    "eye",
    "finfo",
    "flip",
    "float16",
    "float32",
    "float64",
    "from_dlpack",
    "frombuffer",
    "full",
    "full_like",
    "half",
    "hstack",
    "identity",
    "iinfo",
    "inf",
    "int8",
    "int16",
    "int32",
    "int64",
    "isdtype",
    "linspace",
    "moveaxis",
    "nan",
    "ndarray",
    "ndim",
    "newaxis",
    "ones",
    "ones_like",
    "permute_dims",
    "pi",
    "ravel",
    "reshape",
    "result_type",
    "shape",
    "size",
    "squeeze",
    "stack",
    "swapaxes",
    "transpose",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "vstack",
    "zeros",
    "zeros_like",
]

del _raptors
