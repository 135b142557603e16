"""The array API's linear algebra extension (``raptors.linalg``), as far as Raptors goes.

Everything here is a product, a view or a sum over one: ``matmul``, ``matrix_transpose``,
``tensordot``, ``vecdot``, ``outer``, ``diagonal`` and ``trace``. Decompositions, solvers and
norms (``inv``, ``solve``, ``svd``, ``qr``, ``cholesky``, ``eigh``, ``det``, ...) are not
implemented.
"""

from __future__ import annotations

from typing import Any

from raptors import _raptors as _rp

__all__ = [
    "diagonal",
    "matmul",
    "matrix_transpose",
    "outer",
    "tensordot",
    "trace",
    "vecdot",
]


def matmul(x1: Any, x2: Any, /) -> Any:
    """The matrix product (``x1 @ x2``), as ``raptors.matmul``."""
    return _rp.matmul(x1, x2)


def matrix_transpose(x: Any, /) -> _rp.ndarray:
    """Swaps the last two axes (a view, ``x.mT``)."""
    a = _rp.asarray(x)
    if a.ndim < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, but it is {a.ndim}")
    return a.mT


def tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> _rp.ndarray:
    """Sums over the last ``axes`` axes of ``x1`` and the first of ``x2`` (or the given pairs)."""
    return _rp.tensordot(x1, x2, axes)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Dot products of vectors along ``axis``, broadcasting the other axes."""
    return _rp.vecdot(x1, x2, axis=axis)


def outer(x1: Any, x2: Any, /) -> _rp.ndarray:
    """The outer product of two vectors."""
    a, b = _rp.asarray(x1), _rp.asarray(x2)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(
            "Input arrays must be one-dimensional, but they are "
            f"x1.ndim={a.ndim} and x2.ndim={b.ndim}."
        )
    return _rp.outer(a, b)


def diagonal(x: Any, /, *, offset: int = 0) -> _rp.ndarray:
    """The diagonals of the matrices in the last two axes (a read-only view)."""
    return _rp.diagonal(x, offset, -2, -1)


def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
    """Sums of the diagonals of the matrices in the last two axes (``sum``'s dtypes)."""
    return _rp.trace(x, offset, -2, -1, dtype)
