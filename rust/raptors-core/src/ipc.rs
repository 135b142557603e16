//! Arrow IPC streams (`application/vnd.apache.arrow.stream`) <-> `NdArray`.
//!
//! Reading decodes with arrow-ipc's `StreamDecoder` over the caller's `Buffer`, so aligned value
//! buffers stay in the caller's memory (misaligned ones are copied by the decoder); the columns
//! are then imported by `crate::arrow` (one column as `from_chunks`, several as a table). The
//! input is treated as untrusted: arrow's validation stays on, every decoder error becomes
//! `Error::Value`, and a panic inside the decoder (it has some for malformed schemas) is caught
//! and reported as `Error::Value` too, without printing a panic message.
//! Writing produces one column as `to_arrow` exports it (primitive, or fixed_shape_tensor),
//! with arrow-ipc's `StreamEncoder`, whose body pieces share the array's memory.

use crate::array::NdArray;
use crate::arrow::{from_arrow, from_chunks, nulls_error, to_arrow};
use crate::cast::Scalar;
use crate::dtype::{result_type, DType};
use crate::error::{Error, Result};
use crate::{IndexItem, SliceSpec};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_buffer::Buffer;
use arrow_ipc::reader::StreamDecoder;
use arrow_ipc::writer::StreamEncoder;
use arrow_schema::{ArrowError, FieldRef, Schema, SchemaRef};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Once};

/// The end-of-stream marker: continuation token and a zero length.
const EOS: [u8; 8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

/// Which column of a multi-column stream to import.
#[derive(Clone, Copy, Debug)]
pub enum Column<'a> {
    Name(&'a str),
    /// Position; negative counts from the end.
    Index(i64),
}

fn ipc_error(e: ArrowError) -> Error {
    Error::Value(format!("invalid Arrow IPC stream: {e}"))
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Error::Value` without the panic hook's message (malformed
/// input can reach `unimplemented!`/`panic!` in arrow-ipc's schema conversion). Panics
/// elsewhere, and on other threads, still reach the previous hook.
fn catch_quietly<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info)
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        Err(Error::Value(format!("invalid Arrow IPC stream: {msg}")))
    })
}

/// Delta dictionary batches allowed in one stream. The decoder concatenates each delta onto
/// the dictionary so far, so many small deltas cost time quadratic in the input; raptors
/// imports no dictionary column anyway.
const MAX_DELTA_DICTIONARIES: usize = 16;

/// What a walk over the message framing found.
struct Framing {
    /// The input is whole messages (no end marker) and the last has an empty body: the
    /// decoder only handles a message once it sees a byte past its body, so such a stream
    /// (e.g. a schema alone) needs the end marker appended to be finished.
    ends_with_empty_body: bool,
    delta_dictionaries: usize,
}

/// Walks the message framing of `data` (continuation token, length, flatbuffer message,
/// body) as far as it is well-formed; the decoder reports whatever is not.
fn framing(data: &[u8]) -> Framing {
    let mut out = Framing {
        ends_with_empty_body: false,
        delta_dictionaries: 0,
    };
    let word = |at: usize| -> Option<[u8; 4]> { data.get(at..at.checked_add(4)?)?.try_into().ok() };
    let mut pos = 0usize;
    let mut last_empty = false;
    while pos < data.len() {
        let Some(mut w) = word(pos) else { return out };
        pos += 4;
        if w == [0xFF; 4] {
            let Some(next) = word(pos) else { return out };
            w = next;
            pos += 4;
        }
        let size = u32::from_le_bytes(w) as usize;
        if size == 0 {
            return out; // end marker
        }
        let Some(msg) = pos.checked_add(size).and_then(|end| data.get(pos..end)) else {
            return out;
        };
        let Ok(message) = arrow_ipc::root_as_message(msg) else {
            return out;
        };
        if message
            .header_as_dictionary_batch()
            .is_some_and(|d| d.isDelta())
        {
            out.delta_dictionaries += 1;
        }
        let Ok(body) = usize::try_from(message.bodyLength()) else {
            return out;
        };
        match pos.checked_add(size).and_then(|p| p.checked_add(body)) {
            Some(p) => pos = p,
            None => return out,
        }
        last_empty = body == 0;
    }
    out.ends_with_empty_body = pos == data.len() && last_empty;
    out
}

/// Decodes a whole IPC stream: its schema and record batches (zero-copy slices of `data` where
/// aligned).
pub fn read_stream(data: Buffer) -> Result<(SchemaRef, Vec<RecordBatch>)> {
    if data.is_empty() {
        return Err(Error::Value(
            "empty input: an Arrow IPC stream starts with a schema message".into(),
        ));
    }
    catch_quietly(|| {
        let frames = framing(data.as_slice());
        if frames.delta_dictionaries > MAX_DELTA_DICTIONARIES {
            return Err(Error::Value(format!(
                "the Arrow IPC stream has {} delta dictionary batches (at most \
                 {MAX_DELTA_DICTIONARIES} are read)",
                frames.delta_dictionaries
            )));
        }
        let mut decoder = StreamDecoder::new();
        let mut batches = Vec::new();
        let mut rest = data.clone();
        while !rest.is_empty() {
            if let Some(batch) = decoder.decode(&mut rest).map_err(ipc_error)? {
                batches.push(batch);
            }
        }
        if frames.ends_with_empty_body && decoder.finish().is_err() {
            let mut eos = Buffer::from(EOS.to_vec());
            while !eos.is_empty() {
                if let Some(batch) = decoder.decode(&mut eos).map_err(ipc_error)? {
                    batches.push(batch);
                }
            }
        }
        decoder.finish().map_err(|_| {
            Error::Value(
                "invalid Arrow IPC stream: it ends in the middle of a message (truncated?)".into(),
            )
        })?;
        let schema = decoder
            .schema()
            .ok_or_else(|| Error::Value("invalid Arrow IPC stream: no schema message".into()))?;
        Ok((schema, batches))
    })
}

/// Imports an IPC stream: one column (or the one `column` picks) as `from_chunks` does
/// (1-d, or N-d for FixedSizeList / fixed_shape_tensor; one batch without nulls is zero-copy),
/// several columns as a C-contiguous (rows, columns) array. No batches give 0 rows.
pub fn from_ipc(
    data: Buffer,
    column: Option<Column>,
    fill_null: Option<Scalar>,
) -> Result<NdArray> {
    let (schema, batches) = read_stream(data)?;
    catch_quietly(|| import_batches(&schema, &batches, column, fill_null))
}

fn pick(schema: &Schema, column: Column) -> Result<usize> {
    let n = schema.fields().len();
    match column {
        Column::Name(name) => schema.index_of(name).map_err(|_| {
            let names: Vec<String> = schema
                .fields()
                .iter()
                .map(|f| format!("'{}'", f.name()))
                .collect();
            Error::Value(format!(
                "the stream has no column '{name}' (columns: {})",
                names.join(", ")
            ))
        }),
        Column::Index(i) => {
            let j = if i < 0 { i + n as i64 } else { i };
            usize::try_from(j).ok().filter(|&j| j < n).ok_or_else(|| {
                Error::Value(format!(
                    "the stream has no column {i} (it has {n} column(s))"
                ))
            })
        }
    }
}

/// The record batches of one schema as an array (see `from_ipc`).
pub fn import_batches(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    column: Option<Column>,
    fill_null: Option<Scalar>,
) -> Result<NdArray> {
    let fields = schema.fields();
    let one = match column {
        Some(c) => Some(pick(schema, c)?),
        None if fields.len() == 1 => Some(0),
        None => None,
    };
    if let Some(j) = one {
        let chunks: Vec<ArrayRef> = batches.iter().map(|b| b.column(j).clone()).collect();
        return from_chunks(&chunks, &fields[j], fill_null);
    }
    table_2d(fields, batches, fill_null)
}

/// Several 1-d columns -> (rows, columns), promoted as NumPy would, written in one pass.
fn table_2d(
    fields: &[FieldRef],
    batches: &[RecordBatch],
    fill_null: Option<Scalar>,
) -> Result<NdArray> {
    // Each column's dtype and dimensionality, from an empty array of its type (this also
    // rejects unsupported types when there are no batches).
    let mut dtypes = Vec::with_capacity(fields.len());
    for f in fields {
        let empty = arrow_array::new_empty_array(f.data_type());
        let e = from_arrow(empty.as_ref(), f, None)?;
        if e.ndim() != 1 {
            return Err(Error::Value(format!(
                "column '{}' is {}-d (Arrow type {}); only 1-d columns form a 2-d array: pick \
                 it with column=",
                f.name(),
                e.ndim(),
                f.data_type()
            )));
        }
        dtypes.push(e.dtype());
    }
    for (j, f) in fields.iter().enumerate() {
        let nulls: usize = batches.iter().map(|b| b.column(j).null_count()).sum();
        if nulls > 0 && fill_null.is_none() {
            return Err(nulls_error(f.name(), nulls));
        }
    }
    let dtype = if dtypes.is_empty() {
        DType::Float64
    } else {
        result_type(&dtypes, &[])?
    };
    let rows = batches
        .iter()
        .try_fold(0usize, |acc, b| acc.checked_add(b.num_rows()))
        .filter(|&r| r <= isize::MAX as usize)
        .ok_or_else(|| Error::Value("invalid Arrow IPC stream: too many rows".into()))?;
    let out = NdArray::alloc(dtype, &[rows, fields.len()], false)?;
    let mut start = 0usize;
    for batch in batches {
        let stop = start + batch.num_rows();
        let range = SliceSpec {
            start: Some(start as isize),
            stop: Some(stop as isize),
            step: None,
        };
        for (j, (c, f)) in batch.columns().iter().zip(fields).enumerate() {
            let values = from_arrow(c.as_ref(), f, fill_null)?;
            out.index(&[IndexItem::Slice(range), IndexItem::Int(j as isize)])?
                .assign(&values)?;
        }
        start = stop;
    }
    Ok(out)
}

/// `a` as an IPC stream of one column named `name` (schema, one record batch, end marker), in
/// pieces to write out in order: the body pieces share `a`'s memory (C-contiguous numeric
/// arrays are not copied), so the caller copies the data once, into its destination.
pub fn to_ipc_parts(a: &NdArray, name: &str) -> Result<Vec<Buffer>> {
    let (array, field) = to_arrow(a, name)?;
    let schema = Arc::new(Schema::new(vec![field]));
    let encode = || -> std::result::Result<Vec<Buffer>, ArrowError> {
        let batch = RecordBatch::try_new(schema.clone(), vec![array])?;
        let mut encoder = StreamEncoder::try_new(&schema)?;
        let mut parts = encoder.encode(&batch)?;
        parts.extend(encoder.finish()?);
        Ok(parts)
    };
    encode().map_err(|e| Error::Value(format!("cannot write the Arrow IPC stream: {e}")))
}

/// `a` as an IPC stream of one column named `name` (see `to_ipc_parts`), in one vector.
pub fn to_ipc(a: &NdArray, name: &str) -> Result<Vec<u8>> {
    let parts = to_ipc_parts(a, name)?;
    let mut out = Vec::with_capacity(parts.iter().map(Buffer::len).sum());
    for p in &parts {
        out.extend_from_slice(p.as_slice());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float32Array, Int64Array, StringArray};
    use arrow_ipc::writer::StreamWriter;
    use arrow_schema::{DataType, Field};

    fn stream(schema: &Arc<Schema>, batches: &[RecordBatch], eos: bool) -> Vec<u8> {
        let mut w = StreamWriter::try_new(Vec::new(), schema).unwrap();
        for b in batches {
            w.write(b).unwrap();
        }
        if eos {
            w.finish().unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn round_trip_1d_is_zero_copy() {
        let a = NdArray::from_vec(vec![1.0f64, 2.0, 3.0], &[3]).unwrap();
        let bytes = Buffer::from(to_ipc(&a, "x").unwrap());
        let back = from_ipc(bytes.clone(), None, None).unwrap();
        assert_eq!(back.to_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0]);
        let (lo, hi) = (
            bytes.as_ptr() as usize,
            bytes.as_ptr() as usize + bytes.len(),
        );
        assert!((lo..hi).contains(&(back.data_ptr() as usize)));
    }

    #[test]
    fn round_trip_tensor() {
        let a = NdArray::from_vec((0..24i32).collect(), &[2, 3, 4]).unwrap();
        let back = from_ipc(Buffer::from(to_ipc(&a, "t").unwrap()), None, None).unwrap();
        assert_eq!(back.shape(), &[2, 3, 4]);
        assert_eq!(back.to_vec::<i32>().unwrap(), (0..24).collect::<Vec<_>>());
        let empty = NdArray::zeros(DType::Float32, &[3, 0]).unwrap();
        let back = from_ipc(Buffer::from(to_ipc(&empty, "e").unwrap()), None, None).unwrap();
        assert_eq!(back.shape(), &[3, 0]);
    }

    #[test]
    fn tables_batches_and_columns() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Float32, false),
            Field::new("s", DataType::Utf8, false),
        ]));
        let batch = |x: i64| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int64Array::from(vec![x, x + 1])),
                    Arc::new(Float32Array::from(vec![0.5, 1.5])),
                    Arc::new(StringArray::from(vec!["p", "q"])),
                ],
            )
            .unwrap()
        };
        let data = Buffer::from(stream(&schema, &[batch(0), batch(10)], true));
        let e = from_ipc(data.clone(), None, None).unwrap_err();
        assert!(matches!(e, Error::Type(_)), "{e}");
        let b = from_ipc(data.clone(), Some(Column::Name("b")), None).unwrap();
        assert_eq!(b.to_vec::<f32>().unwrap(), vec![0.5, 1.5, 0.5, 1.5]);
        let a = from_ipc(data.clone(), Some(Column::Index(0)), None).unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap(), vec![0, 1, 10, 11]);
        assert!(from_ipc(data.clone(), Some(Column::Name("z")), None).is_err());
        assert!(matches!(
            from_ipc(data, Some(Column::Index(3)), None),
            Err(Error::Value(_))
        ));

        let numeric = Arc::new(Schema::new(schema.fields()[..2].to_vec()));
        let b2 = |x: i64| {
            RecordBatch::try_new(
                numeric.clone(),
                vec![
                    Arc::new(Int64Array::from(vec![x, x + 1])),
                    Arc::new(Float32Array::from(vec![0.5, 1.5])),
                ],
            )
            .unwrap()
        };
        let t = from_ipc(
            Buffer::from(stream(&numeric, &[b2(0), b2(10)], true)),
            None,
            None,
        )
        .unwrap();
        assert_eq!(t.shape(), &[4, 2]);
        assert_eq!(t.dtype(), DType::Float64);
        assert_eq!(
            t.to_vec::<f64>().unwrap(),
            vec![0.0, 0.5, 1.0, 1.5, 10.0, 0.5, 11.0, 1.5]
        );
        let empty = from_ipc(Buffer::from(stream(&numeric, &[], false)), None, None).unwrap();
        assert_eq!(empty.shape(), &[0, 2]);
    }

    #[test]
    fn malformed_input_is_a_value_error() {
        let a = NdArray::from_vec(vec![1i16, 2, 3, 4, 5], &[5]).unwrap();
        let good = to_ipc(&a, "v").unwrap();
        for n in 0..good.len() {
            match from_ipc(Buffer::from(good[..n].to_vec()), None, None) {
                Err(Error::Value(_)) => {}
                Ok(x) => assert!(x.size() <= 5, "prefix {n}"),
                Err(e) => panic!("prefix {n}: {e}"),
            }
        }
        for i in 0..good.len() {
            for bit in [0x01u8, 0x80, 0xFF] {
                let mut bad = good.clone();
                bad[i] ^= bit;
                let _ = from_ipc(Buffer::from(bad), None, None);
            }
        }
        assert!(from_ipc(Buffer::from(b"hello world, not arrow".to_vec()), None, None).is_err());
    }
}
