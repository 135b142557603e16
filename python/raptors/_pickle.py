"""Pickle support: an array travels as its C-order bytes, a dtype name and a shape.

With protocol 5 the bytes are a ``PickleBuffer``: out-of-band (``buffer_callback``) they are
never copied, and ``pickle.loads(..., buffers=...)`` rebuilds a view of the buffer it is given.
"""

from __future__ import annotations

from raptors import _raptors


def rebuild(data: object, dtype: str, shape: tuple[int, ...]) -> _raptors.ndarray:
    """Inverse of ``ndarray.__reduce_ex__``."""
    if isinstance(data, bytes):
        # In-band bytes are immutable: copy once so the result is writeable, as in NumPy.
        data = bytearray(data)
    return _raptors.frombuffer(data, dtype=dtype).reshape(shape)
