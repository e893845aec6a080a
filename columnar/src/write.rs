//! Arrow record batches → the JSON rows of upserts, one request body at a time (the core cuts
//! the chunks, sends them and keeps the accounting: see [`exto360::JsonRows`]).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Date64Type, Float16Type, Float32Type, Float64Type};
use arrow_array::{Array, RecordBatch, StructArray};
use arrow_json::writer::{EncoderOptions, make_encoder};
use arrow_schema::{DataType, Field, SchemaRef, TimeUnit};
use exto360::{Error, JsonRows, Result};

use crate::codec::{ApiEncoders, date, datetime};

/// The rows of some record batches, written as JSON objects `{column: value}`: nulls (NaN,
/// NaT, None) as `null`, integers, floats and decimals exactly, booleans, strings, date-times
/// as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC; without a time zone taken as UTC), dates as
/// `YYYY-MM-DD`, lists as arrays, structs and maps as objects.
///
/// Everything that could not be written is refused when this is made, before any request.
#[derive(Debug)]
pub struct ArrowRows {
    batches: Vec<RecordBatch>,
    /// Index of each batch's first row.
    starts: Vec<usize>,
    total: usize,
    options: EncoderOptions,
}

impl ArrowRows {
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<ArrowRows> {
        let mut seen = HashSet::new();
        for f in schema.fields() {
            if !seen.insert(f.name().as_str()) {
                return Err(Error::invalid_input(format!("column '{}' appears twice; rows cannot have two fields of one name", f.name())));
            }
            writable(f.data_type()).map_err(|why| Error::invalid_input(format!("column '{}' has type {}: {why}; nothing was sent", f.name(), f.data_type())))?;
        }
        let mut starts = Vec::with_capacity(batches.len());
        let mut total = 0usize;
        for b in &batches {
            if b.schema().fields() != schema.fields() {
                return Err(Error::invalid_input("the record batches do not all have the stream's schema"));
            }
            for (f, col) in schema.fields().iter().zip(b.columns()) {
                check_values(col.as_ref()).map_err(|(row, why)| {
                    let at = row.map_or_else(|| "a nested value".to_string(), |r| format!("row {}", total + r));
                    Error::invalid_input(format!("column '{}', {at}: {why}; nothing was sent", f.name()))
                })?;
            }
            starts.push(total);
            total += b.num_rows();
        }
        let options = EncoderOptions::default().with_explicit_nulls(true).with_encoder_factory(Arc::new(ApiEncoders));
        Ok(ArrowRows { batches, starts, total, options })
    }
}

impl JsonRows for ArrowRows {
    fn len(&self) -> usize {
        self.total
    }

    fn json_array(&self, range: Range<usize>) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(range.len() * 64 + 2);
        out.push(b'[');
        let mut first = true;
        // The batches the range touches (it may span several).
        let from = self.starts.partition_point(|&s| s <= range.start).saturating_sub(1);
        for (b, &start) in self.batches.iter().zip(&self.starts).skip(from) {
            if start >= range.end {
                break;
            }
            let lo = range.start.max(start) - start;
            let hi = range.end.min(start + b.num_rows()) - start;
            if lo >= hi {
                continue;
            }
            let rows = StructArray::from(b.slice(lo, hi - lo));
            let field = Arc::new(Field::new("", rows.data_type().clone(), false));
            let mut enc = make_encoder(&field, &rows, &self.options).map_err(|e| Error::invalid_input(format!("cannot write rows as JSON: {e}")))?;
            for i in 0..rows.len() {
                if !first {
                    out.push(b',');
                }
                first = false;
                enc.encode(i, &mut out);
            }
        }
        out.push(b']');
        Ok(out)
    }
}

/// Whether values of `dt` have a JSON form the API reads; why not.
fn writable(dt: &DataType) -> std::result::Result<(), String> {
    match dt {
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => Err("bytes have no JSON form (decode them to strings first)".into()),
        DataType::Duration(_) | DataType::Interval(_) => Err("durations have no JSON form the API reads (convert them to numbers)".into()),
        DataType::Union(..) => Err("unions are not supported".into()),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::LargeListView(f) | DataType::FixedSizeList(f, _) => writable(f.data_type()),
        DataType::Struct(fs) => fs.iter().try_for_each(|f| writable(f.data_type())),
        DataType::Map(f, _) => match f.data_type() {
            DataType::Struct(kv) if kv.len() == 2 && matches!(kv[0].data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => writable(kv[1].data_type()),
            _ => Err("map keys must be strings to be JSON object keys".into()),
        },
        DataType::Dictionary(_, v) => writable(v),
        DataType::RunEndEncoded(_, v) => writable(v.data_type()),
        _ => Ok(()),
    }
}

/// Values JSON cannot hold: ±infinity, and dates or date-times beyond chrono's years
/// (±262,143). Returns the row (for a top-level column) and why.
fn check_values(a: &dyn Array) -> std::result::Result<(), (Option<usize>, String)> {
    /// The first row whose (non-null) value is bad.
    fn find<T>(values: impl Iterator<Item = Option<T>>, bad: impl Fn(T) -> bool) -> Option<usize> {
        values.enumerate().find_map(|(i, v)| v.is_some_and(&bad).then_some(i))
    }
    let infinite = "±infinity has no JSON form (NaN is written as null; replace infinities first)";
    let out_of_range = "the date is outside the years JSON dates can be written for";
    let top = |row: Option<usize>, why: &str| row.map_or(Ok(()), |r| Err((Some(r), why.to_string())));
    match a.data_type() {
        DataType::Float16 => top(find(a.as_primitive::<Float16Type>().iter(), |v| v.is_infinite()), infinite),
        DataType::Float32 => top(find(a.as_primitive::<Float32Type>().iter(), |v| v.is_infinite()), infinite),
        DataType::Float64 => top(find(a.as_primitive::<Float64Type>().iter(), |v| v.is_infinite()), infinite),
        DataType::Date32 => top(find(a.as_primitive::<Date32Type>().iter(), |d| date(i64::from(d)).is_none()), out_of_range),
        DataType::Date64 => top(find(a.as_primitive::<Date64Type>().iter(), |ms| date(ms.div_euclid(86_400_000)).is_none()), out_of_range),
        DataType::Timestamp(unit, _) => {
            let values: Box<dyn Iterator<Item = Option<i64>>> = match unit {
                TimeUnit::Second => Box::new(a.as_primitive::<arrow_array::types::TimestampSecondType>().iter()),
                TimeUnit::Millisecond => Box::new(a.as_primitive::<arrow_array::types::TimestampMillisecondType>().iter()),
                TimeUnit::Microsecond => Box::new(a.as_primitive::<arrow_array::types::TimestampMicrosecondType>().iter()),
                TimeUnit::Nanosecond => Box::new(a.as_primitive::<arrow_array::types::TimestampNanosecondType>().iter()),
            };
            top(find(values, |v| datetime(v, *unit).is_none()), out_of_range)
        }
        // Nested values: checked as a whole (a bad one is reported without its row).
        DataType::List(_) => nested(a.as_list::<i32>().values().as_ref()),
        DataType::LargeList(_) => nested(a.as_list::<i64>().values().as_ref()),
        DataType::FixedSizeList(..) => nested(a.as_fixed_size_list().values().as_ref()),
        DataType::ListView(_) => nested(a.as_list_view::<i32>().values().as_ref()),
        DataType::LargeListView(_) => nested(a.as_list_view::<i64>().values().as_ref()),
        DataType::Struct(_) => a.as_struct().columns().iter().try_for_each(|c| nested(c.as_ref())),
        DataType::Map(..) => nested(a.as_map().values().as_ref()),
        DataType::Dictionary(..) => a.as_any_dictionary_opt().map_or(Ok(()), |d| nested(d.values().as_ref())),
        _ => Ok(()),
    }
}

fn nested(a: &dyn Array) -> std::result::Result<(), (Option<usize>, String)> {
    check_values(a).map_err(|(_, why)| (None, why))
}
