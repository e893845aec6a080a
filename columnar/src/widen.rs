//! Casts a batch decoded under a narrower shape to a wider one (the final schema of a table):
//! nulls to any type, integers to floats, anything to text, anything to JSON text, lists and
//! objects field by field. Every value keeps its value (see the crate docs).

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use std::io::Write;

use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, ArrayRef, ListArray, StructArray, new_null_array};
use arrow_json::writer::{EncoderOptions, make_encoder};
use arrow_schema::{ArrowError, Field, TimeUnit};

use crate::codec::{ApiEncoders, date, datetime, write_timestamp};
use crate::ty::Ty;

/// `a`, decoded as `from`, as `to` (which `from` joins into).
pub(crate) fn widen(a: &ArrayRef, from: &Ty, to: &Ty) -> Result<ArrayRef, ArrowError> {
    if from.same_type(to) {
        return Ok(a.clone());
    }
    match (from, to) {
        (Ty::Null, _) => Ok(new_null_array(&to.data_type(true), a.len())),
        // Exact: a float column holds no integer beyond ±2^53 (the join makes it text instead).
        (Ty::Int { .. }, Ty::Float) => Ok(Arc::new(a.as_primitive::<Int64Type>().unary::<_, Float64Type>(|v| v as f64))),
        (_, Ty::Text) => as_text(a, from),
        (_, Ty::Json) => json_text(a),
        (Ty::List(f), Ty::List(t)) => {
            let l = a.as_list::<i32>();
            let values = widen(l.values(), f, t)?;
            Ok(Arc::new(ListArray::try_new(Arc::new(t.field("item", true)), l.offsets().clone(), values, l.nulls().cloned())?))
        }
        (Ty::Object(f), Ty::Object(t)) => {
            let s = a.as_struct();
            let columns = t
                .iter()
                .map(|(k, tt)| match f.get_index_of(k) {
                    Some(i) => widen(s.column(i), &f[i], tt),
                    None => Ok(new_null_array(&tt.data_type(true), a.len())),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let fields: Vec<Field> = t.iter().map(|(k, tt)| tt.field(k, true)).collect();
            Ok(Arc::new(StructArray::try_new(fields.into(), columns, s.nulls().cloned())?))
        }
        _ => Err(ArrowError::CastError(format!("cannot widen {} to {}", from.describe(), to.describe()))),
    }
}

/// Scalars as text: numbers and booleans as their JSON text, dates and date-times as the API
/// wrote them (`2024-12-30`, `…T02:20:06.958Z`), which is the text they were read from.
fn as_text(a: &ArrayRef, from: &Ty) -> Result<ArrayRef, ArrowError> {
    let mut out = StringBuilder::with_capacity(a.len(), a.len() * 16);
    let mut buf = Vec::with_capacity(32);
    let mut each = |text: &mut dyn FnMut(usize, &mut Vec<u8>) -> bool| {
        for i in 0..a.len() {
            buf.clear();
            if a.is_valid(i) && text(i, &mut buf) {
                out.append_value(String::from_utf8_lossy(&buf));
            } else {
                out.append_null();
            }
        }
    };
    match from {
        Ty::Bool => {
            let b = a.as_boolean();
            each(&mut |i, buf| {
                buf.extend_from_slice(if b.value(i) { b"true" } else { b"false" });
                true
            });
        }
        Ty::Int { .. } => {
            let v = a.as_primitive::<Int64Type>();
            each(&mut |i, buf| write!(buf, "{}", v.value(i)).is_ok());
        }
        Ty::Float => {
            let v = a.as_primitive::<Float64Type>();
            each(&mut |i, buf| serde_json::to_writer(buf, &v.value(i)).is_ok());
        }
        Ty::Date => {
            let v = a.as_primitive::<Date32Type>();
            each(&mut |i, buf| date(i64::from(v.value(i))).is_some_and(|d| write!(buf, "{}", d.format("%Y-%m-%d")).is_ok()));
        }
        Ty::Timestamp => {
            let v = a.as_primitive::<TimestampMillisecondType>();
            each(&mut |i, buf| datetime(v.value(i), TimeUnit::Millisecond).map(|dt| write_timestamp(dt, buf)).is_some());
        }
        other => return Err(ArrowError::CastError(format!("cannot write {} as text", other.describe()))),
    }
    Ok(Arc::new(out.finish()))
}

/// Every value as its JSON text (strings quoted, dates and date-times as the API writes them).
fn json_text(a: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    let field = Arc::new(Field::new("", a.data_type().clone(), true));
    let options = EncoderOptions::default().with_encoder_factory(Arc::new(ApiEncoders));
    let mut enc = make_encoder(&field, a.as_ref(), &options)?;
    let mut out = StringBuilder::with_capacity(a.len(), a.len() * 16);
    let mut buf = Vec::new();
    for i in 0..a.len() {
        if enc.is_null(i) {
            out.append_null();
        } else {
            buf.clear();
            enc.encode(i, &mut buf);
            out.append_value(std::str::from_utf8(&buf).map_err(|e| ArrowError::JsonError(e.to_string()))?);
        }
    }
    Ok(Arc::new(out.finish()))
}
