"""Type contract of the compiled extension `raptors._raptors` (re-exported by `raptors`)."""

import builtins
from collections.abc import Awaitable, Iterator, Sequence
from types import EllipsisType
from typing import Any, Literal, SupportsIndex, TypeAlias, final

__all__ = [
    "AxisError",
    "Overloaded",
    "arange",
    "array",
    "asarray",
    "astype",
    "bool",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "can_cast",
    "concatenate",
    "dtype",
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
    "hstack",
    "identity",
    "iinfo",
    "int8",
    "int16",
    "int32",
    "int64",
    "isdtype",
    "linspace",
    "moveaxis",
    "ndarray",
    "ones",
    "ones_like",
    "permute_dims",
    "ravel",
    "reshape",
    "result_type",
    "shape",
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

_Casting: TypeAlias = Literal["no", "equiv", "safe", "same_kind", "unsafe"]
_Scalar: TypeAlias = builtins.bool | int | float
_DTypeLike: TypeAlias = dtype | str | type[builtins.bool] | type[int] | type[float] | Any
_ShapeLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex]
_AxisLike: TypeAlias = SupportsIndex | Sequence[SupportsIndex] | None
_ArrayLike: TypeAlias = ndarray | _Scalar | Sequence[Any] | Any
_Index: TypeAlias = SupportsIndex | slice | EllipsisType | ndarray | Sequence[Any] | None
_Key: TypeAlias = _Index | tuple[_Index, ...]

class AxisError(ValueError, IndexError):
    """Axis out of range for the array's dimensions (NumPy's constructor and attributes)."""

    axis: int | None
    ndim: int | None
    def __init__(
        self, axis: int | str, ndim: int | None = None, msg_prefix: str | None = None
    ) -> None: ...

class Overloaded(RuntimeError):
    """The scheduler's queue is full and configured to reject new jobs."""

@final
class dtype:
    """A Raptors data type; `raptors.float32` etc. are instances."""

    def __new__(cls, obj: _DTypeLike) -> dtype: ...
    @property
    def name(self) -> builtins.str: ...
    @property
    def kind(self) -> Literal["b", "i", "u", "f"]: ...
    @property
    def itemsize(self) -> int: ...
    @property
    def str(self) -> builtins.str: ...
    @property
    def char(self) -> builtins.str: ...
    @property
    def byteorder(self) -> Literal["=", "|"]: ...
    def __eq__(self, other: object, /) -> builtins.bool: ...
    def __ne__(self, other: object, /) -> builtins.bool: ...
    def __hash__(self) -> int: ...

bool: dtype
int8: dtype
int16: dtype
int32: dtype
int64: dtype
uint8: dtype
uint16: dtype
uint32: dtype
uint64: dtype
float16: dtype
float32: dtype
float64: dtype

@final
class finfo:
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    tiny: float
    smallest_subnormal: float
    resolution: float
    precision: int
    nmant: int
    nexp: int
    maxexp: int
    minexp: int
    dtype: dtype
    def __new__(cls, dtype: _DTypeLike | ndarray) -> finfo: ...

@final
class iinfo:
    bits: int
    min: int
    max: int
    dtype: dtype
    def __new__(cls, dtype: _DTypeLike | ndarray) -> iinfo: ...

@final
class ndarray:
    """An N-d array over an Arrow buffer; views share memory as in NumPy.

    It exports the buffer protocol: writable when the array is writeable and no job reads it,
    and a writable export (a NumPy view, a memoryview) blocks jobs on the buffer until released.
    """

    __hash__: None  # type: ignore[assignment]
    def __new__(cls, shape: _ShapeLike, dtype: _DTypeLike | None = None) -> ndarray: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def ndim(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def dtype(self) -> dtype: ...
    @property
    def itemsize(self) -> int: ...
    @property
    def nbytes(self) -> int: ...
    @property
    def strides(self) -> tuple[int, ...]: ...
    @property
    def c_contiguous(self) -> builtins.bool: ...
    @property
    def f_contiguous(self) -> builtins.bool: ...
    @property
    def writeable(self) -> builtins.bool: ...
    @property
    def device(self) -> Literal["cpu"]: ...
    @property
    def data_ptr(self) -> int:
        """Address of the first element (for zero-copy checks)."""
    @property
    def T(self) -> ndarray: ...
    @property
    def mT(self) -> ndarray: ...
    def to_device(self, device: str, /, *, stream: None = None) -> ndarray: ...
    def reshape(
        self,
        *shape: SupportsIndex | Sequence[SupportsIndex],
        order: Literal["C", "F", "A"] = "C",
        copy: builtins.bool | None = None,
    ) -> ndarray: ...
    def transpose(self, *axes: SupportsIndex | Sequence[SupportsIndex] | None) -> ndarray: ...
    def ravel(self, order: Literal["C", "F"] = "C") -> ndarray: ...
    def flatten(self, order: Literal["C", "F"] = "C") -> ndarray: ...
    def copy(self) -> ndarray: ...
    def __copy__(self) -> ndarray: ...
    def __deepcopy__(self, memo: Any, /) -> ndarray: ...
    def astype(
        self, dtype: _DTypeLike, casting: _Casting = "unsafe", copy: builtins.bool = True
    ) -> ndarray: ...
    def astype_async(self, dtype: _DTypeLike, casting: _Casting = "unsafe") -> Awaitable[ndarray]:
        """`astype` on the Raptors pool; the array is borrowed until the job ends."""
    def copy_async(self) -> Awaitable[ndarray]:
        """`copy` on the Raptors pool; the array is borrowed until the job ends."""
    def tolist(self) -> Any: ...
    def item(self, *args: SupportsIndex) -> _Scalar: ...
    def fill(self, value: _Scalar) -> None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __bool__(self) -> builtins.bool: ...
    def __int__(self) -> int: ...
    def __float__(self) -> float: ...
    def __index__(self) -> int: ...
    def __getitem__(self, key: _Key, /) -> Any:
        """A view for basic indices, a copy for integer/boolean arrays; a Python scalar when
        every dimension is indexed by an integer."""
    def __setitem__(self, key: _Key, value: _ArrayLike, /) -> None: ...
    def __array_namespace__(self, *, api_version: str | None = None) -> Any: ...
    def __reduce_ex__(self, protocol: SupportsIndex, /) -> tuple[Any, ...]: ...
    def tobytes(self) -> bytes:
        """The C-order bytes of the elements."""
    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> Any:
        """NumPy's protocol: a NumPy view sharing memory (a copy when asked or needed)."""
    def to_numpy(self, copy: builtins.bool = False) -> Any: ...
    def __dlpack__(
        self,
        *,
        stream: None = None,
        max_version: tuple[int, int] | None = None,
        dl_device: tuple[int, int] | None = None,
        copy: builtins.bool | None = None,
    ) -> Any: ...
    def __dlpack_device__(self) -> tuple[int, int]: ...
    def __arrow_c_schema__(self) -> Any: ...
    def __arrow_c_array__(self, requested_schema: Any = None) -> tuple[Any, Any]: ...
    def to_arrow(self) -> Any:
        """A pyarrow Array: primitive for 1-d, ``arrow.fixed_shape_tensor`` for N-d."""

def array(
    obj: _ArrayLike,
    /,
    dtype: _DTypeLike | None = None,
    *,
    copy: builtins.bool | None = True,
    ndmin: int = 0,
    fill_null: _Scalar | None = None,
) -> ndarray: ...
def asarray(
    obj: _ArrayLike,
    /,
    dtype: _DTypeLike | None = None,
    *,
    device: str | None = None,
    copy: builtins.bool | None = None,
    fill_null: _Scalar | None = None,
) -> ndarray: ...
def frombuffer(
    buffer: Any, dtype: _DTypeLike | None = None, count: int | None = None, offset: int = 0
) -> ndarray: ...
def from_dlpack(x: Any, /, *, device: Any = None, copy: builtins.bool | None = None) -> ndarray: ...
def zeros(
    shape: _ShapeLike, dtype: _DTypeLike | None = None, *, device: str | None = None
) -> ndarray: ...
def ones(
    shape: _ShapeLike, dtype: _DTypeLike | None = None, *, device: str | None = None
) -> ndarray: ...
def empty(
    shape: _ShapeLike, dtype: _DTypeLike | None = None, *, device: str | None = None
) -> ndarray: ...
def full(
    shape: _ShapeLike,
    fill_value: _Scalar,
    dtype: _DTypeLike | None = None,
    *,
    device: str | None = None,
) -> ndarray: ...
def zeros_like(
    a: _ArrayLike,
    /,
    dtype: _DTypeLike | None = None,
    *,
    shape: _ShapeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def ones_like(
    a: _ArrayLike,
    /,
    dtype: _DTypeLike | None = None,
    *,
    shape: _ShapeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def empty_like(
    a: _ArrayLike,
    /,
    dtype: _DTypeLike | None = None,
    *,
    shape: _ShapeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def full_like(
    a: _ArrayLike,
    /,
    fill_value: _Scalar,
    dtype: _DTypeLike | None = None,
    *,
    shape: _ShapeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def arange(
    start: _Scalar,
    stop: _Scalar | None = None,
    step: _Scalar | None = None,
    *,
    dtype: _DTypeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def linspace(
    start: float,
    stop: float,
    /,
    num: int = 50,
    *,
    endpoint: builtins.bool = True,
    dtype: _DTypeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def eye(
    n_rows: int,
    n_cols: int | None = None,
    /,
    *,
    k: int = 0,
    dtype: _DTypeLike | None = None,
    device: str | None = None,
) -> ndarray: ...
def identity(n: int, dtype: _DTypeLike | None = None) -> ndarray: ...
def concatenate(
    arrays: Sequence[_ArrayLike] | ndarray,
    /,
    axis: int | None = 0,
    *,
    dtype: _DTypeLike | None = None,
) -> ndarray: ...
def stack(
    arrays: Sequence[_ArrayLike] | ndarray, /, axis: int = 0, *, dtype: _DTypeLike | None = None
) -> ndarray: ...
def hstack(tup: Sequence[_ArrayLike], *, dtype: _DTypeLike | None = None) -> ndarray: ...
def vstack(tup: Sequence[_ArrayLike], *, dtype: _DTypeLike | None = None) -> ndarray: ...
def expand_dims(a: _ArrayLike, /, axis: _AxisLike) -> ndarray: ...
def squeeze(a: _ArrayLike, /, axis: _AxisLike = None) -> ndarray: ...
def broadcast_to(array: _ArrayLike, /, shape: _ShapeLike) -> ndarray: ...
def broadcast_arrays(*arrays: _ArrayLike) -> list[ndarray]: ...
def broadcast_shapes(*shapes: _ShapeLike) -> tuple[int, ...]: ...
def flip(m: _ArrayLike, /, axis: _AxisLike = None) -> ndarray: ...
def moveaxis(a: _ArrayLike, source: _AxisLike, destination: _AxisLike) -> ndarray: ...
def swapaxes(a: _ArrayLike, axis1: int, axis2: int) -> ndarray: ...
def transpose(a: _ArrayLike, /, axes: Sequence[SupportsIndex] | None = None) -> ndarray: ...
def permute_dims(x: _ArrayLike, /, axes: Sequence[SupportsIndex]) -> ndarray: ...
def reshape(
    a: _ArrayLike,
    /,
    shape: _ShapeLike,
    *,
    order: Literal["C", "F", "A"] = "C",
    copy: builtins.bool | None = None,
) -> ndarray: ...
def ravel(a: _ArrayLike, /, order: Literal["C", "F"] = "C") -> ndarray: ...
def astype(
    x: ndarray, dtype: _DTypeLike, /, *, copy: builtins.bool = True, device: str | None = None
) -> ndarray: ...
def shape(a: _ArrayLike) -> tuple[int, ...]: ...
def result_type(*arrays_and_dtypes: ndarray | _DTypeLike | _Scalar) -> dtype: ...
def can_cast(
    from_: ndarray | _DTypeLike, to: _DTypeLike, casting: _Casting = "safe"
) -> builtins.bool: ...
def isdtype(dtype: dtype, kind: dtype | str | tuple[dtype | str, ...]) -> builtins.bool: ...
