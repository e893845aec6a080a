//! Casts a batch decoded under a narrower shape to a wider one (the final schema of a table):
//! nulls to any type, integers to floats, anything to text, anything to JSON text, lists and
//! objects field by field. Every value keeps its value (see the crate docs).

use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::TimestampMillisecondType;
use arrow_array::{Array, ArrayRef, ListArray, StructArray, new_null_array};
use arrow_json::writer::{EncoderOptions, make_encoder};
use arrow_schema::{ArrowError, DataType, Field, TimeUnit};

use crate::codec::{ApiEncoders, datetime, write_timestamp};
use crate::ty::Ty;

/// `a`, decoded as `from`, as `to` (which `from` joins into).
pub(crate) fn widen(a: &ArrayRef, from: &Ty, to: &Ty) -> Result<ArrayRef, ArrowError> {
    if from.same_type(to) {
        return Ok(a.clone());
    }
    match (from, to) {
        (Ty::Null, _) => Ok(new_null_array(&to.data_type(true), a.len())),
        (Ty::Int { .. }, Ty::Float) => arrow_cast::cast(a, &DataType::Float64),
        (Ty::Timestamp, Ty::Text) => Ok(timestamps_as_text(a)),
        (_, Ty::Text) => arrow_cast::cast(a, &DataType::Utf8),
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

/// Date-times as the API wrote them (`…T02:20:06.958Z`): the text they were read from.
fn timestamps_as_text(a: &ArrayRef) -> ArrayRef {
    let ts = a.as_primitive::<TimestampMillisecondType>();
    let mut out = StringBuilder::with_capacity(ts.len(), ts.len() * 24);
    let mut buf = Vec::with_capacity(32);
    for v in ts.iter() {
        match v.and_then(|v| datetime(v, TimeUnit::Millisecond)) {
            Some(dt) => {
                buf.clear();
                write_timestamp(dt, &mut buf);
                out.append_value(String::from_utf8_lossy(&buf));
            }
            None => out.append_null(),
        }
    }
    Arc::new(out.finish())
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
