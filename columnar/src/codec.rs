//! The hooks this crate puts into arrow-json: decoders that read a page's tape (checking or
//! widening its types first, and writing strings and JSON text exactly), and encoders that
//! write date-times and dates the way the API reads them.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Date64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType};
use arrow_json::reader::{ArrayDecoder, DecoderContext, DecoderFactory, Tape, TapeElement};
use arrow_json::writer::{Encoder, EncoderFactory, EncoderOptions, NullableEncoder};
use arrow_schema::{ArrowError, DataType, FieldRef, Fields, TimeUnit};

use crate::ty::{self, EXTENSION_KEY, JSON_EXTENSION, Ty};

/// What the root decoder found in a page.
#[derive(Debug, Default)]
pub(crate) enum Outcome {
    #[default]
    Fits,
    /// The page needs this wider shape (nothing was decoded).
    Widened(Ty),
    /// The page cannot be read (the message says which row and why).
    Failed(String),
}

/// Shared between a stream's reader and the root decoder of its current arrow-json decoder.
#[derive(Debug)]
pub(crate) struct Walk {
    /// Set: check every value against these fields (an explicit schema) instead of inferring.
    pub explicit: Option<Fields>,
    /// The shape the decoder was built for (inference).
    pub shape: Ty,
    pub outcome: Outcome,
}

/// Builds the decoders of one arrow-json decoder: the root one first, then text columns.
#[derive(Debug)]
pub(crate) struct Factory {
    walk: Arc<Mutex<Walk>>,
    root_made: AtomicBool,
}

impl Factory {
    pub(crate) fn new(walk: Arc<Mutex<Walk>>) -> Factory {
        Factory { walk, root_made: AtomicBool::new(false) }
    }
}

impl DecoderFactory for Factory {
    fn make_default_decoder(&self, ctx: &DecoderContext, field: &FieldRef, is_nullable: bool) -> Result<Option<Box<dyn ArrayDecoder>>, ArrowError> {
        // arrow-json asks for the (nameless) root first.
        if !self.root_made.swap(true, Ordering::Relaxed) {
            let inner = ctx.make_builtin_decoder(field, is_nullable)?;
            return Ok(Some(Box::new(RootDecoder { inner, walk: self.walk.clone() })));
        }
        Ok(match field.data_type() {
            DataType::Utf8 if field.metadata().get(EXTENSION_KEY).map(String::as_str) == Some(JSON_EXTENSION) => Some(Box::new(TextDecoder { json: true })),
            DataType::Utf8 => Some(Box::new(TextDecoder { json: false })),
            _ => None,
        })
    }
}

/// Checks a page's rows (or widens the shape they need) before anything is built from them.
struct RootDecoder {
    inner: Box<dyn ArrayDecoder>,
    walk: Arc<Mutex<Walk>>,
}

impl ArrayDecoder for RootDecoder {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut walk = self.walk.lock().unwrap_or_else(|e| e.into_inner());
        let outcome = match &walk.explicit {
            Some(fields) => match pos.iter().enumerate().try_for_each(|(i, &p)| check_row(tape, p, fields).map_err(|e| format!("row {i}: {e}"))) {
                Ok(()) => Outcome::Fits,
                Err(e) => Outcome::Failed(e),
            },
            None => {
                let mut shape = walk.shape.clone();
                match pos.iter().enumerate().try_for_each(|(i, &p)| ty::observe_row(&mut shape, tape, p).map_err(|e| format!("row {i}: {e}"))) {
                    Err(e) => Outcome::Failed(e),
                    Ok(()) if shape.width() > ty::MAX_COLUMNS => Outcome::Failed(format!("the records have more than {} fields", ty::MAX_COLUMNS)),
                    Ok(()) if shape.same_type(&walk.shape) => {
                        walk.shape = shape; // keeps what was learnt (e.g. wide integers)
                        Outcome::Fits
                    }
                    Ok(()) => Outcome::Widened(shape),
                }
            }
        };
        match outcome {
            Outcome::Fits => {
                walk.outcome = Outcome::Fits;
                drop(walk);
                self.inner.decode(tape, pos)
            }
            other => {
                walk.outcome = other;
                Err(ArrowError::JsonError("exto360: page not decoded".into()))
            }
        }
    }
}

/// Strings as they are, numbers and booleans as their JSON text, lists and objects as JSON
/// text; `json`: every value as JSON text (strings quoted).
struct TextDecoder {
    json: bool,
}

impl ArrayDecoder for TextDecoder {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut out = StringBuilder::with_capacity(pos.len(), pos.len() * 16);
        let mut buf = Vec::new();
        for &p in pos {
            match tape.get(p) {
                TapeElement::Null => out.append_null(),
                TapeElement::String(s) if !self.json => out.append_value(tape.get_string(s)),
                TapeElement::Number(n) => out.append_value(tape.get_string(n)),
                TapeElement::True => out.append_value("true"),
                TapeElement::False => out.append_value("false"),
                _ => {
                    buf.clear();
                    write_json(tape, p, &mut buf)?;
                    // The tape's strings are UTF-8 and serde_json escapes them as UTF-8.
                    out.append_value(std::str::from_utf8(&buf).map_err(|e| ArrowError::JsonError(e.to_string()))?);
                }
            }
        }
        Ok(Arc::new(out.finish()))
    }
}

/// Writes the value at `idx` as JSON text; returns the index after it.
pub(crate) fn write_json(tape: &Tape<'_>, idx: u32, out: &mut Vec<u8>) -> Result<u32, ArrowError> {
    let io = |e: std::io::Error| ArrowError::JsonError(e.to_string());
    match tape.get(idx) {
        TapeElement::StartObject(end) => {
            out.push(b'{');
            let mut cur = idx + 1;
            while cur < end {
                if cur > idx + 1 {
                    out.push(b',');
                }
                cur = write_json(tape, cur, out)?;
                out.push(b':');
                cur = write_json(tape, cur, out)?;
            }
            out.push(b'}');
            Ok(end + 1)
        }
        TapeElement::StartList(end) => {
            out.push(b'[');
            let mut cur = idx + 1;
            while cur < end {
                if cur > idx + 1 {
                    out.push(b',');
                }
                cur = write_json(tape, cur, out)?;
            }
            out.push(b']');
            Ok(end + 1)
        }
        TapeElement::String(s) => {
            serde_json::to_writer(&mut *out, tape.get_string(s)).map_err(|e| ArrowError::JsonError(e.to_string()))?;
            Ok(idx + 1)
        }
        TapeElement::Number(n) => {
            out.extend_from_slice(tape.get_string(n).as_bytes());
            Ok(idx + 1)
        }
        TapeElement::True => {
            out.extend_from_slice(b"true");
            Ok(idx + 1)
        }
        TapeElement::False => {
            out.extend_from_slice(b"false");
            Ok(idx + 1)
        }
        TapeElement::Null => {
            out.extend_from_slice(b"null");
            Ok(idx + 1)
        }
        TapeElement::I32(v) => {
            write!(out, "{v}").map_err(io)?;
            Ok(idx + 1)
        }
        TapeElement::F32(v) => {
            write!(out, "{}", f32::from_bits(v)).map_err(io)?;
            Ok(idx + 1)
        }
        // Only made by arrow-json's serde path, which this crate does not use.
        _ => Err(tape.error(idx, "a JSON value")),
    }
}

/// A value's JSON text, cut to `max` characters, for messages.
fn sample(tape: &Tape<'_>, idx: u32, max: usize) -> String {
    let mut buf = Vec::new();
    let _ = write_json(tape, idx, &mut buf);
    let s = String::from_utf8_lossy(&buf);
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.into_owned(),
    }
}

/// Where a value that does not fit is (a field path, built on the way out) and what it is.
type Misfit = (String, String);

/// Checks a row against an explicit schema's fields: every value of a known field fits its
/// type (fields the schema does not name are left out).
fn check_row(tape: &Tape<'_>, idx: u32, fields: &Fields) -> Result<(), String> {
    check_object(tape, idx, fields, true).map_err(|(path, what)| if path.is_empty() { format!("the row {what}") } else { format!("field '{path}' {what}") })
}

fn check_object(tape: &Tape<'_>, idx: u32, fields: &Fields, top: bool) -> Result<(), Misfit> {
    let TapeElement::StartObject(end) = tape.get(idx) else {
        return Err((String::new(), format!("is not a JSON object: {}", sample(tape, idx, 60))));
    };
    let mut cur = idx + 1;
    while cur < end {
        let TapeElement::String(k) = tape.get(cur) else { return Err((String::new(), "has a key that is not a string".into())) };
        let key = tape.get_string(k);
        if let Some((_, f)) = fields.find(key) {
            check(tape, cur + 1, f.data_type()).map_err(|(path, what)| {
                // Custom fields are named by their own name.
                let path = match (top && key == "customFields", path.is_empty()) {
                    (true, _) => path.trim_start_matches('.').to_string(),
                    (false, true) => key.to_string(),
                    (false, false) => format!("{key}{path}"),
                };
                (path, what)
            })?;
        }
        cur = tape.next(cur + 1, "value").map_err(|e| (String::new(), e.to_string()))?;
    }
    Ok(())
}

/// Whether the value at `idx` fits `dt` without being changed (arrow-json would otherwise cut
/// `1.5` to `1` in an integer column, or read `"007"` as 7).
fn check(tape: &Tape<'_>, idx: u32, dt: &DataType) -> Result<(), Misfit> {
    let el = tape.get(idx);
    if el == TapeElement::Null {
        return Ok(());
    }
    let fits = match (dt, el) {
        (DataType::Utf8, _) => true,
        (DataType::LargeUtf8 | DataType::Utf8View, TapeElement::String(_) | TapeElement::Number(_) | TapeElement::True | TapeElement::False) => true,
        (DataType::Boolean, TapeElement::True | TapeElement::False) => true,
        (d, TapeElement::Number(n)) if d.is_integer() => !tape.get_string(n).bytes().any(|b| matches!(b, b'.' | b'e' | b'E')),
        (d, TapeElement::Number(n)) if d.is_floating() || matches!(d, DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..)) => {
            tape.get_string(n).parse::<f64>().is_ok_and(f64::is_finite)
        }
        (DataType::Date32 | DataType::Date64, TapeElement::String(s)) => ty::is_date(tape.get_string(s)),
        // arrow-json reads any ISO 8601 date-time, and refuses (an error, not a null) the rest.
        (DataType::Timestamp(..), TapeElement::String(_)) => true,
        (DataType::List(f) | DataType::LargeList(f), TapeElement::StartList(end)) => {
            let mut cur = idx + 1;
            while cur < end {
                check(tape, cur, f.data_type()).map_err(|(path, what)| (format!("[]{path}"), what))?;
                cur = tape.next(cur, "list item").map_err(|e| (String::new(), e.to_string()))?;
            }
            true
        }
        (DataType::Struct(fs), TapeElement::StartObject(_)) => {
            check_object(tape, idx, fs, false).map_err(|(path, what)| (format!(".{path}"), what))?;
            true
        }
        _ => false,
    };
    if fits { Ok(()) } else { Err((String::new(), format!("holds {}, which does not fit {dt}", sample(tape, idx, 60)))) }
}

/// Types an explicit schema may name, and their decode types (time zones dropped, see
/// [`Ty::data_type`]).
pub(crate) fn decode_type(dt: &DataType, path: &str) -> Result<DataType, String> {
    Ok(match dt {
        DataType::Null | DataType::Boolean | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Date32 | DataType::Date64 => dt.clone(),
        d if d.is_integer() || d.is_floating() => dt.clone(),
        DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..) => dt.clone(),
        DataType::Timestamp(unit, _) => DataType::Timestamp(*unit, None),
        DataType::List(f) => DataType::List(Arc::new(f.as_ref().clone().with_data_type(decode_type(f.data_type(), &format!("{path}[]"))?))),
        DataType::LargeList(f) => DataType::LargeList(Arc::new(f.as_ref().clone().with_data_type(decode_type(f.data_type(), &format!("{path}[]"))?))),
        DataType::Struct(fs) => DataType::Struct(
            fs.iter()
                .map(|f| Ok(f.as_ref().clone().with_data_type(decode_type(f.data_type(), &format!("{path}.{}", f.name()))?)))
                .collect::<Result<Fields, String>>()?,
        ),
        other => return Err(format!("column '{path}' has type {other}, which records cannot be read into (use booleans, numbers, decimals, strings, dates, timestamps, lists or structs)")),
    })
}

// ------------------------------------------------------------------------------ writing

/// Writes date-times as the API's `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC; a timestamp without a time
/// zone is taken as UTC; finer than milliseconds keeps 6 or 9 digits), and dates as `YYYY-MM-DD`.
#[derive(Debug)]
pub(crate) struct ApiEncoders;

impl EncoderFactory for ApiEncoders {
    fn make_default_encoder<'a>(&self, _field: &'a FieldRef, array: &'a dyn Array, _options: &'a EncoderOptions) -> Result<Option<NullableEncoder<'a>>, ArrowError> {
        let nulls = array.nulls().cloned();
        let enc: Box<dyn Encoder + 'a> = match array.data_type() {
            DataType::Timestamp(unit, _) => {
                let values = match unit {
                    TimeUnit::Second => raw::<TimestampSecondType>(array),
                    TimeUnit::Millisecond => raw::<TimestampMillisecondType>(array),
                    TimeUnit::Microsecond => raw::<TimestampMicrosecondType>(array),
                    TimeUnit::Nanosecond => raw::<TimestampNanosecondType>(array),
                };
                Box::new(TimestampEncoder { values, unit: *unit })
            }
            DataType::Date32 => Box::new(DateEncoder { days: array.as_primitive::<Date32Type>().values().iter().map(|&d| i64::from(d)).collect() }),
            DataType::Date64 => Box::new(DateEncoder { days: array.as_primitive::<Date64Type>().values().iter().map(|&ms| ms.div_euclid(86_400_000)).collect() }),
            _ => return Ok(None),
        };
        Ok(Some(NullableEncoder::new(enc, nulls)))
    }
}

fn raw<T: ArrowPrimitiveType<Native = i64>>(array: &dyn Array) -> arrow_buffer::ScalarBuffer<i64> {
    array.as_primitive::<T>().values().clone()
}

/// Nanoseconds per unit.
fn nanos_per(unit: TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Millisecond => 1_000_000,
        TimeUnit::Microsecond => 1_000,
        TimeUnit::Nanosecond => 1,
    }
}

/// The UTC date-time of `v` units since the epoch, if chrono can hold it.
pub(crate) fn datetime(v: i64, unit: TimeUnit) -> Option<chrono::DateTime<chrono::Utc>> {
    let per = nanos_per(unit);
    let per_sec = 1_000_000_000 / per;
    let secs = v.div_euclid(per_sec);
    let nanos = (v.rem_euclid(per_sec) * per) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
}

/// The date of `days` since the epoch, if chrono can hold it.
pub(crate) fn date(days: i64) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` (6 or 9 fraction digits when the value has them).
pub(crate) fn write_timestamp(dt: chrono::DateTime<chrono::Utc>, out: &mut Vec<u8>) {
    let n = dt.timestamp_subsec_nanos();
    let fmt = if n.is_multiple_of(1_000_000) {
        "%Y-%m-%dT%H:%M:%S%.3fZ"
    } else if n.is_multiple_of(1_000) {
        "%Y-%m-%dT%H:%M:%S%.6fZ"
    } else {
        "%Y-%m-%dT%H:%M:%S%.9fZ"
    };
    let _ = write!(out, "{}", dt.format(fmt));
}

struct TimestampEncoder {
    values: arrow_buffer::ScalarBuffer<i64>,
    unit: TimeUnit,
}

impl Encoder for TimestampEncoder {
    fn encode(&mut self, idx: usize, out: &mut Vec<u8>) {
        // Values out of chrono's range were refused before any request was made (write.rs).
        match datetime(self.values[idx], self.unit) {
            Some(dt) => {
                out.push(b'"');
                write_timestamp(dt, out);
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
    }
}

struct DateEncoder {
    days: Vec<i64>,
}

impl Encoder for DateEncoder {
    fn encode(&mut self, idx: usize, out: &mut Vec<u8>) {
        match date(self.days[idx]) {
            Some(d) => {
                let _ = write!(out, "\"{}\"", d.format("%Y-%m-%d"));
            }
            None => out.extend_from_slice(b"null"),
        }
    }
}
