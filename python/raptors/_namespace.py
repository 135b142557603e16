"""The array API's inspection namespace (``__array_namespace_info__``)."""

from __future__ import annotations

from raptors import _raptors as _rp

_DTYPES = {
    name: getattr(_rp, name)
    for name in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    )
}


class _Info:
    """What this namespace supports, as the array API standard (2024.12) describes it."""

    __module__ = "raptors"

    def capabilities(self) -> dict[str, object]:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": None}

    def default_device(self) -> str:
        return "cpu"

    def devices(self) -> list[str]:
        return ["cpu"]

    def default_dtypes(self, *, device: str | None = None) -> dict[str, object]:
        _check_device(device)
        return {
            "real floating": _rp.float64,
            "complex floating": None,
            "integral": _rp.int64,
            "indexing": _rp.int64,
        }

    def dtypes(self, *, device: str | None = None, kind: object = None) -> dict[str, object]:
        _check_device(device)
        if kind is None:
            return dict(_DTYPES)
        return {name: dt for name, dt in _DTYPES.items() if _rp.isdtype(dt, kind)}


def _check_device(device: str | None) -> None:
    if device not in (None, "cpu"):
        raise ValueError(f"unsupported device {device!r}: raptors arrays live on the CPU")


def __array_namespace_info__() -> _Info:
    """Returns the inspection namespace of the array API standard."""
    return _Info()
