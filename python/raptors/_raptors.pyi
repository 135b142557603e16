"""Type contract of the compiled extension `raptors._raptors` (re-exported by `raptors`)."""

import builtins
from collections.abc import Awaitable, Iterator, Sequence
from types import EllipsisType
from typing import Any, Literal, SupportsIndex, TypeAlias, final

__all__ = [
    "AxisError",
    "Overloaded",
    "_Channel",
    "_peak_flops",
    "absolute",
    "absolute_async",
    "add",
    "add_async",
    "all",
    "all_async",
    "amax",
    "amax_async",
    "amin",
    "amin_async",
    "any",
    "any_async",
    "arange",
    "arccos",
    "arccos_async",
    "arccosh",
    "arccosh_async",
    "arcsin",
    "arcsin_async",
    "arcsinh",
    "arcsinh_async",
    "arctan",
    "arctan2",
    "arctan2_async",
    "arctan_async",
    "arctanh",
    "arctanh_async",
    "argmax",
    "argmax_async",
    "argmin",
    "argmin_async",
    "argpartition",
    "argpartition_async",
    "argsort",
    "argsort_async",
    "array",
    "asarray",
    "astype",
    "bitwise_and",
    "bitwise_and_async",
    "bitwise_or",
    "bitwise_or_async",
    "bitwise_xor",
    "bitwise_xor_async",
    "bool",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "can_cast",
    "ceil",
    "ceil_async",
    "clip",
    "clip_async",
    "concatenate",
    "concatenate_async",
    "configure",
    "copysign",
    "copysign_async",
    "cos",
    "cos_async",
    "cosh",
    "cosh_async",
    "count_nonzero",
    "count_nonzero_async",
    "cumprod",
    "cumprod_async",
    "cumsum",
    "cumsum_async",
    "diagonal",
    "dot",
    "dot_async",
    "dtype",
    "einsum",
    "einsum_async",
    "empty",
    "empty_like",
    "equal",
    "equal_async",
    "exp",
    "exp2",
    "exp2_async",
    "exp_async",
    "expand_dims",
    "expm1",
    "expm1_async",
    "eye",
    "finfo",
    "flip",
    "float16",
    "float32",
    "float64",
    "floor",
    "floor_async",
    "floor_divide",
    "floor_divide_async",
    "fmax",
    "fmax_async",
    "fmin",
    "fmin_async",
    "from_dlpack",
    "from_ipc",
    "frombuffer",
    "full",
    "full_like",
    "get_num_threads",
    "greater",
    "greater_async",
    "greater_equal",
    "greater_equal_async",
    "hstack",
    "hypot",
    "hypot_async",
    "identity",
    "iinfo",
    "inner",
    "inner_async",
    "int8",
    "int16",
    "int32",
    "int64",
    "invert",
    "invert_async",
    "isdtype",
    "isfinite",
    "isfinite_async",
    "isinf",
    "isinf_async",
    "isnan",
    "isnan_async",
    "left_shift",
    "left_shift_async",
    "less",
    "less_async",
    "less_equal",
    "less_equal_async",
    "linspace",
    "log",
    "log1p",
    "log1p_async",
    "log2",
    "log2_async",
    "log10",
    "log10_async",
    "log_async",
    "logaddexp",
    "logaddexp_async",
    "logical_and",
    "logical_and_async",
    "logical_not",
    "logical_not_async",
    "logical_or",
    "logical_or_async",
    "logical_xor",
    "logical_xor_async",
    "matmul",
    "matmul_async",
    "matvec",
    "matvec_async",
    "maximum",
    "maximum_async",
    "mean",
    "mean_async",
    "minimum",
    "minimum_async",
    "moveaxis",
    "multiply",
    "multiply_async",
    "nan_to_num",
    "nan_to_num_async",
    "nanargmax",
    "nanargmax_async",
    "nanargmin",
    "nanargmin_async",
    "nanmax",
    "nanmax_async",
    "nanmean",
    "nanmean_async",
    "nanmin",
    "nanmin_async",
    "nanstd",
    "nanstd_async",
    "nansum",
    "nansum_async",
    "nanvar",
    "nanvar_async",
    "ndarray",
    "negative",
    "negative_async",
    "not_equal",
    "not_equal_async",
    "ones",
    "ones_like",
    "outer",
    "outer_async",
    "partition",
    "partition_async",
    "permute_dims",
    "positive",
    "positive_async",
    "power",
    "power_async",
    "prod",
    "prod_async",
    "ptp",
    "ptp_async",
    "ravel",
    "reciprocal",
    "reciprocal_async",
    "remainder",
    "remainder_async",
    "reshape",
    "result_type",
    "right_shift",
    "right_shift_async",
    "rint",
    "rint_async",
    "round",
    "round_async",
    "scheduler_stats",
    "searchsorted",
    "searchsorted_async",
    "set_num_threads",
    "shape",
    "sign",
    "sign_async",
    "signbit",
    "signbit_async",
    "sin",
    "sin_async",
    "sinh",
    "sinh_async",
    "sort",
    "sort_async",
    "sqrt",
    "sqrt_async",
    "square",
    "square_async",
    "squeeze",
    "stack",
    "stack_async",
    "std",
    "std_async",
    "subtract",
    "subtract_async",
    "sum",
    "sum_async",
    "swapaxes",
    "tan",
    "tan_async",
    "tanh",
    "tanh_async",
    "tensordot",
    "tensordot_async",
    "to_ipc",
    "topk",
    "topk_async",
    "trace",
    "transpose",
    "true_divide",
    "true_divide_async",
    "trunc",
    "trunc_async",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "unique",
    "unique_async",
    "var",
    "var_async",
    "vdot",
    "vdot_async",
    "vecdot",
    "vecdot_async",
    "vecmat",
    "vecmat_async",
    "vstack",
    "where",
    "where_async",
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
    def astype_async(
        self, dtype: _DTypeLike, casting: _Casting = "unsafe", *, timeout: float | None = None
    ) -> Awaitable[ndarray]:
        """`astype` on the Raptors pool; the array is borrowed until the job ends."""
    def copy_async(self, *, timeout: float | None = None) -> Awaitable[ndarray]:
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
    def __add__(self, other: _ArrayLike, /) -> ndarray: ...
    def __radd__(self, other: _ArrayLike, /) -> ndarray: ...
    def __iadd__(self, other: _ArrayLike, /) -> ndarray: ...
    def __sub__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rsub__(self, other: _ArrayLike, /) -> ndarray: ...
    def __isub__(self, other: _ArrayLike, /) -> ndarray: ...
    def __mul__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rmul__(self, other: _ArrayLike, /) -> ndarray: ...
    def __imul__(self, other: _ArrayLike, /) -> ndarray: ...
    def __truediv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rtruediv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __itruediv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __floordiv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rfloordiv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __ifloordiv__(self, other: _ArrayLike, /) -> ndarray: ...
    def __mod__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rmod__(self, other: _ArrayLike, /) -> ndarray: ...
    def __imod__(self, other: _ArrayLike, /) -> ndarray: ...
    def __and__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rand__(self, other: _ArrayLike, /) -> ndarray: ...
    def __iand__(self, other: _ArrayLike, /) -> ndarray: ...
    def __or__(self, other: _ArrayLike, /) -> ndarray: ...
    def __ror__(self, other: _ArrayLike, /) -> ndarray: ...
    def __ior__(self, other: _ArrayLike, /) -> ndarray: ...
    def __xor__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rxor__(self, other: _ArrayLike, /) -> ndarray: ...
    def __ixor__(self, other: _ArrayLike, /) -> ndarray: ...
    def __lshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rlshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __ilshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __rrshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __irshift__(self, other: _ArrayLike, /) -> ndarray: ...
    def __pow__(self, other: _ArrayLike, modulo: None = None, /) -> ndarray: ...
    def __rpow__(self, other: _ArrayLike, modulo: None = None, /) -> ndarray: ...
    def __ipow__(self, other: _ArrayLike, /) -> ndarray: ...  # type: ignore[misc]
    def __eq__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __ne__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __lt__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __le__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __gt__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __ge__(self, other: object, /) -> ndarray: ...  # type: ignore[override]
    def __matmul__(self, other: _ArrayLike, /) -> Any: ...
    def __rmatmul__(self, other: _ArrayLike, /) -> Any: ...
    def __imatmul__(self, other: _ArrayLike, /) -> ndarray: ...
    def dot(self, b: _ArrayLike, out: ndarray | None = None) -> Any: ...
    def dot_async(
        self, b: _ArrayLike, out: ndarray | None = None, *, timeout: float | None = None
    ) -> Awaitable[Any]: ...
    def matmul_async(
        self, other: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
    ) -> Awaitable[Any]:
        """Awaitable ``self @ other``."""
    def diagonal(
        self, offset: SupportsIndex = 0, axis1: SupportsIndex = 0, axis2: SupportsIndex = 1
    ) -> ndarray: ...
    def trace(
        self,
        offset: SupportsIndex = 0,
        axis1: SupportsIndex = 0,
        axis2: SupportsIndex = 1,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
    ) -> Any: ...
    def __neg__(self) -> ndarray: ...
    def __pos__(self) -> ndarray: ...
    def __abs__(self) -> ndarray: ...
    def __invert__(self) -> ndarray: ...
    def round(self, decimals: int = 0, out: ndarray | None = None) -> ndarray: ...
    def clip(
        self,
        min: _ArrayLike | None = None,
        max: _ArrayLike | None = None,
        *,
        out: ndarray | None = None,
    ) -> ndarray: ...
    def round_async(
        self, decimals: int = 0, out: ndarray | None = None, *, timeout: float | None = None
    ) -> Awaitable[ndarray]: ...
    def clip_async(
        self,
        min: _ArrayLike | None = None,
        max: _ArrayLike | None = None,
        *,
        out: ndarray | None = None,
        timeout: float | None = None,
    ) -> Awaitable[ndarray]: ...
    def sum(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
    ) -> Any: ...
    def prod(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
    ) -> Any: ...
    def mean(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
    ) -> Any: ...
    def var(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        ddof: float = 0.0,
        keepdims: builtins.bool = False,
        *,
        correction: float | None = None,
    ) -> Any: ...
    def std(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        ddof: float = 0.0,
        keepdims: builtins.bool = False,
        *,
        correction: float | None = None,
    ) -> Any: ...
    def max(
        self, axis: _AxisLike = None, out: ndarray | None = None, keepdims: builtins.bool = False
    ) -> Any: ...
    def min(
        self, axis: _AxisLike = None, out: ndarray | None = None, keepdims: builtins.bool = False
    ) -> Any: ...
    def any(
        self, axis: _AxisLike = None, out: ndarray | None = None, keepdims: builtins.bool = False
    ) -> Any: ...
    def all(
        self, axis: _AxisLike = None, out: ndarray | None = None, keepdims: builtins.bool = False
    ) -> Any: ...
    def argmax(
        self,
        axis: SupportsIndex | None = None,
        out: ndarray | None = None,
        *,
        keepdims: builtins.bool = False,
    ) -> Any: ...
    def argmin(
        self,
        axis: SupportsIndex | None = None,
        out: ndarray | None = None,
        *,
        keepdims: builtins.bool = False,
    ) -> Any: ...
    def cumsum(
        self,
        axis: SupportsIndex | None = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
    ) -> ndarray: ...
    def cumprod(
        self,
        axis: SupportsIndex | None = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
    ) -> ndarray: ...
    def sort(
        self,
        axis: SupportsIndex = -1,
        kind: str | None = None,
        order: None = None,
        *,
        descending: builtins.bool = False,
        stable: builtins.bool | None = None,
    ) -> None:
        """Sorts in place (stable; NaNs last)."""
    def sort_async(
        self,
        axis: SupportsIndex = -1,
        kind: str | None = None,
        order: None = None,
        *,
        descending: builtins.bool = False,
        stable: builtins.bool | None = None,
        timeout: float | None = None,
    ) -> Awaitable[None]:
        """Sorts in place on the Raptors pool; the array is write-borrowed until done."""
    def argsort(
        self,
        axis: SupportsIndex | None = -1,
        kind: str | None = None,
        order: None = None,
        *,
        descending: builtins.bool = False,
        stable: builtins.bool | None = None,
    ) -> ndarray: ...
    def topk(
        self,
        k: SupportsIndex,
        axis: SupportsIndex | None = -1,
        largest: builtins.bool = True,
        sorted: builtins.bool = True,
    ) -> tuple[ndarray, ndarray]: ...
    def sum_async(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def prod_async(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def var_async(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        ddof: float = 0.0,
        keepdims: builtins.bool = False,
        *,
        correction: float | None = None,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def std_async(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        ddof: float = 0.0,
        keepdims: builtins.bool = False,
        *,
        correction: float | None = None,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def any_async(
        self,
        axis: _AxisLike = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def all_async(
        self,
        axis: _AxisLike = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def cumsum_async(
        self,
        axis: SupportsIndex | None = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        *,
        timeout: float | None = None,
    ) -> Awaitable[ndarray]: ...
    def cumprod_async(
        self,
        axis: SupportsIndex | None = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        *,
        timeout: float | None = None,
    ) -> Awaitable[ndarray]: ...
    def mean_async(
        self,
        axis: _AxisLike = None,
        dtype: _DTypeLike | None = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def max_async(
        self,
        axis: _AxisLike = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def min_async(
        self,
        axis: _AxisLike = None,
        out: ndarray | None = None,
        keepdims: builtins.bool = False,
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def argmax_async(
        self,
        axis: SupportsIndex | None = None,
        out: ndarray | None = None,
        *,
        keepdims: builtins.bool = False,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def argmin_async(
        self,
        axis: SupportsIndex | None = None,
        out: ndarray | None = None,
        *,
        keepdims: builtins.bool = False,
        timeout: float | None = None,
    ) -> Awaitable[Any]: ...
    def argsort_async(
        self,
        axis: SupportsIndex | None = -1,
        kind: str | None = None,
        order: None = None,
        *,
        descending: builtins.bool = False,
        stable: builtins.bool | None = None,
        timeout: float | None = None,
    ) -> Awaitable[ndarray]: ...
    def topk_async(
        self,
        k: SupportsIndex,
        axis: SupportsIndex | None = -1,
        largest: builtins.bool = True,
        sorted: builtins.bool = True,
        *,
        timeout: float | None = None,
    ) -> Awaitable[tuple[ndarray, ndarray]]: ...
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
    def to_ipc(self, name: str = "values") -> bytes:
        """An Arrow IPC stream of one column named ``name`` (as ``to_arrow`` exports it)."""

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
def from_ipc(
    data: Any,
    /,
    *,
    column: str | int | None = None,
    fill_null: _Scalar | None = None,
) -> ndarray:
    """An Arrow IPC stream (any bytes-like object) as an array, zero-copy where aligned."""

def to_ipc(a: _ArrayLike, /, name: str = "values") -> bytes:
    """An Arrow IPC stream (bytes) of one column: primitive for 1-d, fixed_shape_tensor for N-d."""

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
def concatenate_async(
    arrays: Sequence[_ArrayLike] | ndarray,
    /,
    axis: int | None = 0,
    *,
    dtype: _DTypeLike | None = None,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def stack_async(
    arrays: Sequence[_ArrayLike] | ndarray,
    /,
    axis: int = 0,
    *,
    dtype: _DTypeLike | None = None,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
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

# Elementwise functions (NumPy ufuncs): NumPy 2 dtypes, NEP 50 weak Python scalars.
def add(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def subtract(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def multiply(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def true_divide(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def floor_divide(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def remainder(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def power(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def maximum(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def minimum(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def fmax(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def fmin(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arctan2(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def hypot(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def copysign(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def logaddexp(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def equal(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def not_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def less(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def less_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def greater(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def greater_equal(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def logical_and(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def logical_or(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def logical_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def bitwise_and(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def bitwise_or(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def bitwise_xor(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def left_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def right_shift(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def negative(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def positive(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def absolute(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def sign(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def sqrt(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def square(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def reciprocal(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def exp(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def exp2(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def expm1(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def log(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def log2(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def log10(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def log1p(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def sin(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def cos(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def tan(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arcsin(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arccos(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arctan(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def sinh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def cosh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def tanh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arcsinh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arccosh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def arctanh(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def floor(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def ceil(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def trunc(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def rint(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def isnan(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def isinf(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def isfinite(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def signbit(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def logical_not(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def invert(x: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def where(condition: _ArrayLike, x: _ArrayLike, y: _ArrayLike, /) -> ndarray: ...
def clip(
    a: _ArrayLike,
    /,
    a_min: _ArrayLike | None = None,
    a_max: _ArrayLike | None = None,
    *,
    out: ndarray | None = None,
) -> ndarray: ...
def nan_to_num(
    x: _ArrayLike,
    copy: builtins.bool = True,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> ndarray: ...
def round(x: _ArrayLike, decimals: int = 0, out: ndarray | None = None) -> ndarray: ...

# Awaitable twins: same arguments and results, computed on the Raptors pool (docs/async.md).
def where_async(
    condition: _ArrayLike, x: _ArrayLike, y: _ArrayLike, /, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def clip_async(
    a: _ArrayLike,
    /,
    a_min: _ArrayLike | None = None,
    a_max: _ArrayLike | None = None,
    *,
    out: ndarray | None = None,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def nan_to_num_async(
    x: _ArrayLike,
    copy: builtins.bool = True,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def round_async(
    x: _ArrayLike, decimals: int = 0, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def add_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def subtract_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def multiply_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def true_divide_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def floor_divide_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def remainder_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def power_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def maximum_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def minimum_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def fmax_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def fmin_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arctan2_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def hypot_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def copysign_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def logaddexp_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def equal_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def not_equal_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def less_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def less_equal_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def greater_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def greater_equal_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def logical_and_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def logical_or_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def logical_xor_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def bitwise_and_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def bitwise_or_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def bitwise_xor_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def left_shift_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def right_shift_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def negative_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def positive_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def absolute_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def sign_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def sqrt_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def square_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def reciprocal_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def exp_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def exp2_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def expm1_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def log_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def log2_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def log10_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def log1p_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def sin_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def cos_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def tan_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arcsin_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arccos_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arctan_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def sinh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def cosh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def tanh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arcsinh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arccosh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def arctanh_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def floor_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def ceil_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def trunc_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def rint_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def isnan_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def isinf_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def isfinite_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def signbit_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def logical_not_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def invert_async(
    x: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...

# Reductions and ordering (docs/guide.md); a 0-d result is a Python scalar, as indexing gives.
def sum(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def sum_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def prod(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def prod_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nansum(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def nansum_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def mean(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def mean_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanmean(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def nanmean_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def var(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
) -> Any: ...
def var_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def std(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
) -> Any: ...
def std_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanvar(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
) -> Any: ...
def nanvar_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanstd(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
) -> Any: ...
def nanstd_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    ddof: float = 0.0,
    keepdims: builtins.bool = False,
    *,
    correction: float | None = None,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def amax(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def amax_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def amin(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def amin_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanmax(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def nanmax_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanmin(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def nanmin_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def ptp(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def ptp_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def any(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def any_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def all(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
) -> Any: ...
def all_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    out: ndarray | None = None,
    keepdims: builtins.bool = False,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def argmax(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
) -> Any: ...
def argmax_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def argmin(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
) -> Any: ...
def argmin_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanargmax(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
) -> Any: ...
def nanargmax_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def nanargmin(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
) -> Any: ...
def nanargmin_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    out: ndarray | None = None,
    *,
    keepdims: builtins.bool = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def count_nonzero(
    a: _ArrayLike, axis: _AxisLike = None, *, keepdims: builtins.bool = False
) -> Any: ...
def count_nonzero_async(
    a: _ArrayLike,
    axis: _AxisLike = None,
    *,
    keepdims: builtins.bool = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def cumsum(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
) -> ndarray: ...
def cumsum_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def cumprod(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
) -> ndarray: ...
def cumprod_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = None,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def sort(
    a: _ArrayLike,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    descending: builtins.bool = False,
    stable: builtins.bool | None = None,
) -> ndarray: ...
def sort_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    descending: builtins.bool = False,
    stable: builtins.bool | None = None,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def argsort(
    a: _ArrayLike,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    descending: builtins.bool = False,
    stable: builtins.bool | None = None,
) -> ndarray: ...
def argsort_async(
    a: _ArrayLike,
    axis: SupportsIndex | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    descending: builtins.bool = False,
    stable: builtins.bool | None = None,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def partition(
    a: _ArrayLike,
    kth: SupportsIndex | Sequence[SupportsIndex],
    axis: SupportsIndex | None = -1,
    kind: Literal["introselect"] = "introselect",
    order: None = None,
) -> ndarray: ...
def partition_async(
    a: _ArrayLike,
    kth: SupportsIndex | Sequence[SupportsIndex],
    axis: SupportsIndex | None = -1,
    kind: Literal["introselect"] = "introselect",
    order: None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def argpartition(
    a: _ArrayLike,
    kth: SupportsIndex | Sequence[SupportsIndex],
    axis: SupportsIndex | None = -1,
    kind: Literal["introselect"] = "introselect",
    order: None = None,
) -> ndarray: ...
def argpartition_async(
    a: _ArrayLike,
    kth: SupportsIndex | Sequence[SupportsIndex],
    axis: SupportsIndex | None = -1,
    kind: Literal["introselect"] = "introselect",
    order: None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def topk(
    x: _ArrayLike,
    k: SupportsIndex,
    axis: SupportsIndex | None = -1,
    largest: builtins.bool = True,
    sorted: builtins.bool = True,
) -> tuple[ndarray, ndarray]: ...
def topk_async(
    x: _ArrayLike,
    k: SupportsIndex,
    axis: SupportsIndex | None = -1,
    largest: builtins.bool = True,
    sorted: builtins.bool = True,
    *,
    timeout: float | None = None,
) -> Awaitable[tuple[ndarray, ndarray]]: ...
def unique(
    ar: _ArrayLike,
    return_index: builtins.bool = False,
    return_inverse: builtins.bool = False,
    return_counts: builtins.bool = False,
    axis: None = None,
    *,
    equal_nan: builtins.bool = True,
) -> ndarray | tuple[ndarray, ...]: ...
def unique_async(
    ar: _ArrayLike,
    return_index: builtins.bool = False,
    return_inverse: builtins.bool = False,
    return_counts: builtins.bool = False,
    axis: None = None,
    *,
    equal_nan: builtins.bool = True,
    timeout: float | None = None,
) -> Awaitable[ndarray | tuple[ndarray, ...]]: ...
def searchsorted(
    a: _ArrayLike,
    v: _ArrayLike,
    side: Literal["left", "right"] = "left",
    sorter: _ArrayLike | None = None,
) -> Any: ...
def searchsorted_async(
    a: _ArrayLike,
    v: _ArrayLike,
    side: Literal["left", "right"] = "left",
    sorter: _ArrayLike | None = None,
    *,
    timeout: float | None = None,
) -> Awaitable[Any]: ...

# Matrix products (docs/guide.md); a 0-d result is a Python scalar where NumPy gives a scalar.
def matmul(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> Any: ...
def matmul_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[Any]: ...
def dot(a: _ArrayLike, b: _ArrayLike, out: ndarray | None = None) -> Any: ...
def dot_async(
    a: _ArrayLike, b: _ArrayLike, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[Any]: ...
def vdot(a: _ArrayLike, b: _ArrayLike, /) -> _Scalar: ...
def vdot_async(
    a: _ArrayLike, b: _ArrayLike, /, *, timeout: float | None = None
) -> Awaitable[_Scalar]: ...
def inner(a: _ArrayLike, b: _ArrayLike, /) -> Any: ...
def inner_async(
    a: _ArrayLike, b: _ArrayLike, /, *, timeout: float | None = None
) -> Awaitable[Any]: ...
def outer(a: _ArrayLike, b: _ArrayLike, out: ndarray | None = None) -> ndarray: ...
def outer_async(
    a: _ArrayLike, b: _ArrayLike, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def tensordot(
    a: _ArrayLike,
    b: _ArrayLike,
    axes: SupportsIndex | Sequence[SupportsIndex | Sequence[SupportsIndex]] = 2,
) -> ndarray: ...
def tensordot_async(
    a: _ArrayLike,
    b: _ArrayLike,
    axes: SupportsIndex | Sequence[SupportsIndex | Sequence[SupportsIndex]] = 2,
    *,
    timeout: float | None = None,
) -> Awaitable[ndarray]: ...
def vecdot(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, axis: int = -1
) -> Any: ...
def vecdot_async(
    x1: _ArrayLike,
    x2: _ArrayLike,
    /,
    out: ndarray | None = None,
    *,
    axis: int = -1,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def matvec(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def matvec_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def vecmat(x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None) -> ndarray: ...
def vecmat_async(
    x1: _ArrayLike, x2: _ArrayLike, /, out: ndarray | None = None, *, timeout: float | None = None
) -> Awaitable[ndarray]: ...
def einsum(
    subscripts: str | _ArrayLike,
    /,
    *operands: Any,
    out: ndarray | None = None,
    dtype: _DTypeLike | None = None,
    casting: _Casting = "safe",
    optimize: Any = False,
) -> Any:
    """Also the interleaved form ``einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])``;
    ``optimize`` is accepted and ignored (operands are contracted pairwise, left to right)."""

def einsum_async(
    subscripts: str | _ArrayLike,
    /,
    *operands: Any,
    out: ndarray | None = None,
    dtype: _DTypeLike | None = None,
    casting: _Casting = "safe",
    optimize: Any = False,
    timeout: float | None = None,
) -> Awaitable[Any]: ...
def diagonal(
    a: _ArrayLike, offset: SupportsIndex = 0, axis1: SupportsIndex = 0, axis2: SupportsIndex = 1
) -> ndarray:
    """A read-only view of the diagonal, appended as the last axis."""

def trace(
    a: _ArrayLike,
    offset: SupportsIndex = 0,
    axis1: SupportsIndex = 0,
    axis2: SupportsIndex = 1,
    dtype: _DTypeLike | None = None,
    out: ndarray | None = None,
) -> Any: ...

# The engine: one compute pool for sync and async work, a bounded FIFO queue for async jobs.
def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...
def configure(
    *, max_queue: int | None = None, on_full: Literal["wait", "reject"] | None = None
) -> None: ...
def scheduler_stats() -> dict[str, Any]: ...

@final
class _Channel:
    """An event loop's completion channel (internal: see raptors._async)."""
    def __init__(self) -> None: ...
    @property
    def fd(self) -> int: ...
    def drain(self) -> None: ...

def _peak_flops(
    double: builtins.bool = False, threads: int | None = None, seconds: float = 0.5
) -> float: ...
