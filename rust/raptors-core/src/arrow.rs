//! Arrow arrays <-> `NdArray`, zero-copy where layouts allow.
//!
//! Export: 1-d arrays become primitive Arrow arrays over the same buffer (bool bit-packs, so it
//! copies); N-d arrays become the canonical `arrow.fixed_shape_tensor` extension over a
//! FixedSizeList (row = first axis). Non-contiguous arrays are copied once.
//! Import: primitive arrays without nulls and FixedSizeList / fixed_shape_tensor arrays wrap the
//! Arrow buffers (read-only: Arrow memory is immutable). Nulls are an error unless a fill value
//! is given; several chunks are concatenated (one copy); struct arrays (tables, record batches)
//! become C-contiguous (rows, columns) arrays.

use crate::array::NdArray;
use crate::cast::Scalar;
use crate::dtype::{result_type, DType};
use crate::error::{Error, Result};
use crate::ops::manip::concatenate;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, BooleanArray, FixedSizeListArray, PrimitiveArray, StructArray};
use arrow_buffer::ScalarBuffer;
use arrow_schema::{DataType, Field, FieldRef};
use std::collections::HashMap;
use std::sync::Arc;

pub const TENSOR_EXTENSION: &str = "arrow.fixed_shape_tensor";
const EXT_NAME: &str = "ARROW:extension:name";
const EXT_META: &str = "ARROW:extension:metadata";

/// The Arrow type of one element.
pub fn arrow_type(dtype: DType) -> DataType {
    match dtype {
        DType::Bool => DataType::Boolean,
        DType::Int8 => DataType::Int8,
        DType::Int16 => DataType::Int16,
        DType::Int32 => DataType::Int32,
        DType::Int64 => DataType::Int64,
        DType::UInt8 => DataType::UInt8,
        DType::UInt16 => DataType::UInt16,
        DType::UInt32 => DataType::UInt32,
        DType::UInt64 => DataType::UInt64,
        DType::Float16 => DataType::Float16,
        DType::Float32 => DataType::Float32,
        DType::Float64 => DataType::Float64,
    }
}

fn dtype_of(dt: &DataType) -> Option<DType> {
    Some(match dt {
        DataType::Boolean => DType::Bool,
        DataType::Int8 => DType::Int8,
        DataType::Int16 => DType::Int16,
        DataType::Int32 => DType::Int32,
        DataType::Int64 => DType::Int64,
        DataType::UInt8 => DType::UInt8,
        DataType::UInt16 => DType::UInt16,
        DataType::UInt32 => DType::UInt32,
        DataType::UInt64 => DType::UInt64,
        DataType::Float16 => DType::Float16,
        DataType::Float32 => DType::Float32,
        DataType::Float64 => DType::Float64,
        _ => return None,
    })
}

/// The field describing `a` once exported (`__arrow_c_schema__`).
pub fn export_field(a: &NdArray, name: &str) -> Result<Field> {
    match a.ndim() {
        0 => Err(Error::Value(
            "a 0-d array has no Arrow form; reshape it to 1-d".into(),
        )),
        1 => Ok(Field::new(name, arrow_type(a.dtype()), false)),
        _ => {
            let item = Arc::new(Field::new("item", arrow_type(a.dtype()), false));
            let inner = &a.shape()[1..];
            let size = i32::try_from(crate::layout::size_of(inner)).map_err(|_| {
                Error::Value("rows are too large for an Arrow FixedSizeList".into())
            })?;
            let shape = inner
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let metadata = HashMap::from([
                (EXT_NAME.to_string(), TENSOR_EXTENSION.to_string()),
                (EXT_META.to_string(), format!("{{\"shape\":[{shape}]}}")),
            ]);
            Ok(
                Field::new(name, DataType::FixedSizeList(item, size), false)
                    .with_metadata(metadata),
            )
        }
    }
}

/// A 1-d primitive array over the same memory as a contiguous, aligned `a`.
fn primitive_view(a: &NdArray) -> ArrayRef {
    let bytes = a.buffer().slice_with_length(a.offset(), a.nbytes());
    macro_rules! prim {
        ($t:ty) => {
            Arc::new(PrimitiveArray::<$t>::new(
                ScalarBuffer::new(bytes, 0, a.size()),
                None,
            )) as ArrayRef
        };
    }
    match a.dtype() {
        DType::Bool => {
            let values = a.to_vec::<bool>().expect("bool array");
            Arc::new(BooleanArray::from(values))
        }
        DType::Int8 => prim!(Int8Type),
        DType::Int16 => prim!(Int16Type),
        DType::Int32 => prim!(Int32Type),
        DType::Int64 => prim!(Int64Type),
        DType::UInt8 => prim!(UInt8Type),
        DType::UInt16 => prim!(UInt16Type),
        DType::UInt32 => prim!(UInt32Type),
        DType::UInt64 => prim!(UInt64Type),
        DType::Float16 => prim!(Float16Type),
        DType::Float32 => prim!(Float32Type),
        DType::Float64 => prim!(Float64Type),
    }
}

/// Exports `a` as an Arrow array and its field (zero-copy for contiguous numeric arrays).
pub fn to_arrow(a: &NdArray, name: &str) -> Result<(ArrayRef, Field)> {
    let field = export_field(a, name)?;
    let c = a.as_contiguous()?;
    let flat = c.reshape(&[-1])?;
    let values = primitive_view(&flat);
    let array = match field.data_type() {
        // With the row count given, rows of zero elements keep their number.
        DataType::FixedSizeList(item, size) => Arc::new(
            FixedSizeListArray::try_new_with_length(
                item.clone(),
                *size,
                values,
                None,
                a.shape()[0],
            )
            .map_err(|e| Error::Value(e.to_string()))?,
        ) as ArrayRef,
        _ => values,
    };
    Ok((array, field))
}

/// The inner shape recorded by the fixed_shape_tensor extension, if `field` carries it.
fn tensor_shape(field: &Field) -> Option<Vec<usize>> {
    if field.metadata().get(EXT_NAME).map(String::as_str) != Some(TENSOR_EXTENSION) {
        return None;
    }
    let meta = field.metadata().get(EXT_META)?;
    let start = meta.find("\"shape\"")?;
    let rest = &meta[start..];
    let (open, close) = (rest.find('[')?, rest.find(']')?);
    rest[open + 1..close]
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().ok())
        .collect()
}

pub(crate) fn nulls_error(name: &str, nulls: usize) -> Error {
    let what = if name.is_empty() {
        "the Arrow array".to_string()
    } else {
        format!("column '{name}'")
    };
    Error::Value(format!(
        "{what} has {nulls} null value(s); raptors arrays have no nulls: pass fill_null= to \
         replace them, or drop them first"
    ))
}

/// Imports one Arrow array. `name` names the column in errors.
pub fn from_arrow(array: &dyn Array, field: &Field, fill_null: Option<Scalar>) -> Result<NdArray> {
    let name = field.name().as_str();
    let dt = array.data_type();
    if let Some(dtype) = dtype_of(dt) {
        let nulls = array.null_count();
        if nulls > 0 && fill_null.is_none() {
            return Err(nulls_error(name, nulls));
        }
        let out = if dtype == DType::Bool {
            let b = array
                .as_any()
                .downcast_ref::<BooleanArray>()
                .expect("boolean array");
            NdArray::from_vec(b.values().iter().collect::<Vec<bool>>(), &[b.len()])?
        } else {
            let data = array.to_data();
            let isz = dtype.itemsize();
            NdArray::from_buffer(
                data.buffers()[0].clone(),
                dtype,
                vec![data.len()],
                vec![isz as isize],
                data.offset() * isz,
                false,
            )?
        };
        return match (nulls, fill_null) {
            (0, _) | (_, None) => Ok(out),
            (_, Some(fill)) => {
                let out = out.copy()?;
                let valid = array.logical_nulls().expect("nulls present");
                for i in (0..array.len()).filter(|&i| valid.is_null(i)) {
                    out.index(&[crate::IndexItem::Int(i as isize)])?
                        .fill(fill)?;
                }
                Ok(out)
            }
        };
    }
    match dt {
        DataType::FixedSizeList(item, size) => {
            if array.null_count() > 0 {
                return Err(nulls_error(name, array.null_count()));
            }
            let list = array
                .as_any()
                .downcast_ref::<FixedSizeListArray>()
                .expect("fixed-size list");
            let inner = from_arrow(list.values().as_ref(), item, fill_null)?;
            let mut shape = vec![list.len()];
            match tensor_shape(field) {
                Some(dims) if crate::layout::size_of(&dims) == *size as usize => shape.extend(dims),
                _ => {
                    shape.push(*size as usize);
                    shape.extend_from_slice(&inner.shape()[1..]);
                }
            }
            let dims: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
            inner.reshape(&dims)
        }
        DataType::Struct(fields) => {
            let s = array
                .as_any()
                .downcast_ref::<StructArray>()
                .expect("struct array");
            let columns = s
                .columns()
                .iter()
                .zip(fields.iter())
                .map(|(c, f)| from_arrow(c.as_ref(), f, fill_null))
                .collect::<Result<Vec<_>>>()?;
            columns_to_2d(&columns, s.len())
        }
        other => Err(Error::Type(format!(
            "Arrow type {other} is not supported (raptors holds bool, integer and float data)"
        ))),
    }
}

/// Imports a chunked array: one chunk stays zero-copy, several are concatenated once.
pub fn from_chunks(
    chunks: &[ArrayRef],
    field: &FieldRef,
    fill_null: Option<Scalar>,
) -> Result<NdArray> {
    let nulls: usize = chunks.iter().map(|c| c.null_count()).sum();
    if nulls > 0 && fill_null.is_none() {
        return Err(nulls_error(field.name(), nulls));
    }
    match chunks {
        [one] => from_arrow(one.as_ref(), field, fill_null),
        _ => {
            let parts = chunks
                .iter()
                .map(|c| from_arrow(c.as_ref(), field, fill_null))
                .collect::<Result<Vec<_>>>()?;
            if parts.is_empty() {
                let empty = Arc::new(arrow_array::new_empty_array(field.data_type()));
                return from_arrow(empty.as_ref(), field, fill_null);
            }
            concatenate(&parts, Some(0), None)
        }
    }
}

/// Numeric 1-d columns -> a C-contiguous (rows, columns) array, promoted as NumPy would.
fn columns_to_2d(columns: &[NdArray], rows: usize) -> Result<NdArray> {
    if let Some(c) = columns.iter().find(|c| c.ndim() != 1) {
        return Err(Error::Value(format!(
            "only 1-d columns can form a 2-d array (a column has shape {})",
            crate::layout::shape_str(c.shape())
        )));
    }
    let dtypes: Vec<DType> = columns.iter().map(|c| c.dtype()).collect();
    let dtype = if dtypes.is_empty() {
        DType::Float64
    } else {
        result_type(&dtypes, &[])?
    };
    let out = NdArray::alloc(dtype, &[rows, columns.len()], false)?;
    for (j, c) in columns.iter().enumerate() {
        let dst = out.index(&[
            crate::IndexItem::Slice(crate::SliceSpec::FULL),
            crate::IndexItem::Int(j as isize),
        ])?;
        dst.assign(c)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Float32Array;

    #[test]
    fn one_d_round_trip_is_zero_copy() {
        let a = NdArray::from_vec(vec![1.0f32, 2.0, 3.0, 4.0], &[4]).unwrap();
        let (arr, field) = to_arrow(&a, "x").unwrap();
        assert_eq!(arr.data_type(), &DataType::Float32);
        assert_eq!(arr.to_data().buffers()[0].as_ptr(), a.data_ptr());
        let back = from_arrow(arr.as_ref(), &field, None).unwrap();
        assert_eq!(back.data_ptr(), a.data_ptr());
        assert!(!back.is_writeable());
        let sliced = arr.slice(1, 2);
        assert_eq!(
            from_arrow(sliced.as_ref(), &field, None)
                .unwrap()
                .to_vec::<f32>()
                .unwrap(),
            vec![2.0, 3.0]
        );
    }

    #[test]
    fn tensors_keep_their_shape() {
        let a = NdArray::from_vec((0..24).map(|x| x as f64).collect(), &[2, 3, 4]).unwrap();
        let (arr, field) = to_arrow(&a, "t").unwrap();
        assert_eq!(tensor_shape(&field), Some(vec![3, 4]));
        let back = from_arrow(arr.as_ref(), &field, None).unwrap();
        assert_eq!(back.shape(), &[2, 3, 4]);
        assert_eq!(back.data_ptr(), a.data_ptr());
    }

    #[test]
    fn nulls_need_a_fill() {
        let arr = Float32Array::from(vec![Some(1.0), None, Some(3.0)]);
        let field = Field::new("price", DataType::Float32, true);
        let e = from_arrow(&arr, &field, None).unwrap_err();
        assert!(e.to_string().contains("column 'price' has 1 null"), "{e}");
        let filled = from_arrow(&arr, &field, Some(Scalar::Float(0.0))).unwrap();
        assert_eq!(filled.to_vec::<f32>().unwrap(), vec![1.0, 0.0, 3.0]);
    }
}
