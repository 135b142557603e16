//! One error type for the core; the bindings map each variant to one Python exception.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Bad shapes, values or arguments (Python `ValueError`).
    Value(String),
    /// Unsupported dtype or operand type (Python `TypeError`).
    Type(String),
    /// Index out of range or wrong number of indices (Python `IndexError`).
    Index(String),
    /// Axis out of range (NumPy's `AxisError`, a `ValueError` and `IndexError`).
    Axis {
        axis: isize,
        ndim: usize,
        prefix: Option<&'static str>,
    },
    /// Division by zero where Python raises (Python `ZeroDivisionError`).
    ZeroDivision(String),
    /// A Python integer out of range for the target dtype (Python `OverflowError`).
    Overflow(String),
    /// An allocation that cannot be satisfied (Python `MemoryError`).
    Alloc(String),
    /// A write into a buffer that a running job reads (Python `BufferError`).
    Borrowed(String),
    /// A write into read-only memory (Python `ValueError`, as NumPy).
    ReadOnly,
    /// The job was cancelled before it finished.
    Cancelled,
    /// The scheduler's queue is full in `reject` mode.
    Overloaded(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Value(m)
            | Error::Type(m)
            | Error::Index(m)
            | Error::Alloc(m)
            | Error::Overflow(m)
            | Error::Borrowed(m)
            | Error::Overloaded(m) => f.write_str(m),
            Error::Axis { axis, ndim, prefix } => {
                if let Some(p) = prefix {
                    write!(f, "{p}: ")?;
                }
                write!(
                    f,
                    "axis {axis} is out of bounds for array of dimension {ndim}"
                )
            }
            Error::ZeroDivision(m) => f.write_str(m),
            Error::ReadOnly => f.write_str("assignment destination is read-only"),
            Error::Cancelled => f.write_str("the job was cancelled"),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand constructors used throughout the core.
pub fn value_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Value(msg.into()))
}

pub fn type_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Type(msg.into()))
}

pub fn index_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Index(msg.into()))
}
