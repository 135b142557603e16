"""Exception types defined in Python (the extension raises them)."""

from __future__ import annotations


class AxisError(ValueError, IndexError):
    """An axis out of range for an array's dimensions; a ValueError and an IndexError, with the
    same constructor and attributes as ``numpy.exceptions.AxisError``."""

    __module__ = "raptors"

    def __init__(self, axis: int | str, ndim: int | None = None, msg_prefix: str | None = None):
        if ndim is None and msg_prefix is None:
            # A single argument is the whole message.
            self._msg: str | None = str(axis)
            self.axis: int | None = None
            self.ndim: int | None = None
        else:
            self._msg = msg_prefix
            self.axis = int(axis)
            self.ndim = ndim
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.axis is None:
            return str(self._msg)
        msg = f"axis {self.axis} is out of bounds for array of dimension {self.ndim}"
        return f"{self._msg}: {msg}" if self._msg is not None else msg


class BlockingWarning(RuntimeWarning):
    """A synchronous Raptors call blocked a running event loop for longer than
    ``RAPTORS_WARN_BLOCKING`` milliseconds; await the ``*_async`` form instead."""

    __module__ = "raptors"
