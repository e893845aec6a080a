//! What a field holds, as far as the pages seen so far tell: the lattice types widen along
//! (see the crate docs for the table), read from arrow-json's tape of each page.

use std::sync::Arc;

use arrow_json::reader::{Tape, TapeElement};
use arrow_schema::{DataType, Field, Fields, TimeUnit};
use indexmap::IndexMap;

/// Most columns a stream may grow to (every field name a server sends becomes one).
pub const MAX_COLUMNS: usize = 10_000;

/// The Arrow canonical extension type of a column holding JSON text.
pub(crate) const JSON_EXTENSION: &str = "arrow.json";
pub(crate) const EXTENSION_KEY: &str = "ARROW:extension:name";

/// The documented attributes of a record (REFERENCE.md §0.3), with the type each starts as: a
/// custom field of the same name becomes the column `customFields.<name>`.
pub const ATTRIBUTES: [(&str, Ty); 16] = [
    ("_id", Ty::Text),
    ("id", Ty::Text),
    ("customFields", Ty::Null),
    ("parentID", Ty::Text),
    ("slug", Ty::Text),
    ("refId", Ty::Text),
    ("recordNumber", Ty::Text),
    ("tenantID", Ty::Text),
    ("projectID", Ty::Text),
    ("status", Ty::Text),
    ("workflowId", Ty::Text),
    ("createdBy", Ty::Text),
    ("createdAt", Ty::Timestamp),
    ("updatedBy", Ty::Text),
    ("updatedAt", Ty::Timestamp),
    ("isDeleted", Ty::Bool),
];

pub(crate) fn is_attribute(name: &str) -> bool {
    ATTRIBUTES.iter().any(|(a, _)| *a == name)
}

/// A field's type. Joining two types gives the narrowest one that holds both exactly.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Only nulls (or nothing) seen.
    Null,
    Bool,
    /// Integers within i64; `wide` when one is beyond ±2^53, which a float cannot hold exactly.
    Int { wide: bool },
    Float,
    /// Strings that are all `YYYY-MM-DD` dates.
    Date,
    /// Strings that are all `YYYY-MM-DDTHH:MM:SS.sssZ` (the API's date-times).
    Timestamp,
    /// Strings, or scalars of several kinds (numbers and booleans kept as their JSON text).
    Text,
    /// Lists or objects mixed with other kinds: every value as its JSON text.
    Json,
    List(Box<Ty>),
    Object(Box<IndexMap<String, Ty>>),
}

/// Numbers a float holds exactly.
const F64_EXACT: i64 = 1 << 53;

impl Ty {
    pub(crate) fn object() -> Ty {
        Ty::Object(Box::default())
    }

    /// The narrowest type holding both.
    pub(crate) fn join(self, other: Ty) -> Ty {
        use Ty::*;
        match (self, other) {
            (Null, t) | (t, Null) => t,
            (Json, _) | (_, Json) => Json,
            (Int { wide: a }, Int { wide: b }) => Int { wide: a || b },
            (Int { wide: false }, Float) | (Float, Int { wide: false }) => Float,
            (List(a), List(b)) => List(Box::new(a.join(*b))),
            (Object(mut a), Object(b)) => {
                for (k, t) in *b {
                    let slot = a.entry(k).or_insert(Null);
                    *slot = std::mem::replace(slot, Null).join(t);
                }
                Object(a)
            }
            (a, b) if a == b => a,
            (List(_) | Object(_), _) | (_, List(_) | Object(_)) => Json,
            _ => Text,
        }
    }

    /// Whether two types decode to the same Arrow type (they may differ in `Int::wide`).
    pub(crate) fn same_type(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Int { .. }, Ty::Int { .. }) => true,
            (Ty::List(a), Ty::List(b)) => a.same_type(b),
            (Ty::Object(a), Ty::Object(b)) => a.len() == b.len() && a.iter().zip(b.iter()).all(|((ka, ta), (kb, tb))| ka == kb && ta.same_type(tb)),
            (a, b) => a == b,
        }
    }

    /// The Arrow type of the column. `decode`: the type arrow-json decodes into, whose
    /// timestamps carry no time zone (naming "UTC" would need the chrono-tz tables; the values
    /// are the same).
    pub(crate) fn data_type(&self, decode: bool) -> DataType {
        match self {
            Ty::Null => DataType::Null,
            Ty::Bool => DataType::Boolean,
            Ty::Int { .. } => DataType::Int64,
            Ty::Float => DataType::Float64,
            Ty::Date => DataType::Date32,
            Ty::Timestamp => DataType::Timestamp(TimeUnit::Millisecond, if decode { None } else { Some(Arc::from("UTC")) }),
            Ty::Text | Ty::Json => DataType::Utf8,
            Ty::List(t) => DataType::List(Arc::new(t.field("item", decode))),
            Ty::Object(fs) => DataType::Struct(fs.iter().map(|(k, t)| t.field(k, decode)).collect::<Fields>()),
        }
    }

    /// A nullable field named `name` of this type (JSON text carries the `arrow.json` extension).
    pub(crate) fn field(&self, name: &str, decode: bool) -> Field {
        let f = Field::new(name, self.data_type(decode), true);
        match self {
            Ty::Json => f.with_metadata([(EXTENSION_KEY, JSON_EXTENSION)]),
            _ => f,
        }
    }

    /// Number of fields, nested ones included.
    pub(crate) fn width(&self) -> usize {
        match self {
            Ty::List(t) => t.width(),
            Ty::Object(fs) => fs.values().map(|t| 1 + t.width()).sum(),
            _ => 0,
        }
    }

    /// A short name for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Ty::Null => "nulls".into(),
            Ty::Bool => "booleans".into(),
            Ty::Int { .. } => "integers".into(),
            Ty::Float => "floats".into(),
            Ty::Date => "dates".into(),
            Ty::Timestamp => "date-times".into(),
            Ty::Text => "strings".into(),
            Ty::Json => "JSON values of several kinds".into(),
            Ty::List(t) => format!("lists of {}", t.describe()),
            Ty::Object(_) => "objects".into(),
        }
    }
}

/// The first way `now` differs from `before` (for the error of a stream whose schema is fixed):
/// `(field path, before, now)`.
pub(crate) fn first_change(path: &str, before: &Ty, now: &Ty) -> Option<(String, String, String)> {
    match (before, now) {
        (Ty::Object(a), Ty::Object(b)) => {
            for (k, tb) in b.iter() {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match a.get(k) {
                    None => return Some((p, "absent".into(), tb.describe())),
                    Some(ta) => {
                        if let Some(c) = first_change(&p, ta, tb) {
                            return Some(c);
                        }
                    }
                }
            }
            None
        }
        (Ty::List(a), Ty::List(b)) => first_change(&format!("{path}[]"), a, b),
        (a, b) if a.same_type(b) => None,
        (a, b) => Some((path.to_string(), a.describe(), b.describe())),
    }
}

/// Reads one row (an object) of the tape into `shape` (an object type), widening it.
/// `top`: the row is a record, whose documented attributes start as their own types and whose
/// `customFields` must be an object.
pub(crate) fn observe_row(shape: &mut Ty, tape: &Tape<'_>, idx: u32) -> Result<(), String> {
    let TapeElement::StartObject(end) = tape.get(idx) else {
        return Err(format!("a row is not a JSON object: {}", tape.error(idx, "")));
    };
    let Ty::Object(fields) = shape else { return Err("internal: the row shape is not an object".into()) };
    let mut cur = idx + 1;
    while cur < end {
        let TapeElement::String(k) = tape.get(cur) else { return Err("internal: object key is not a string".into()) };
        let key = tape.get_string(k);
        let value = cur + 1;
        if key == "customFields" && !matches!(tape.get(value), TapeElement::StartObject(_) | TapeElement::Null) {
            return Err(format!("a record's customFields is not an object: {}", tape.error(value, "")));
        }
        let slot = match fields.get_mut(key) {
            Some(t) => t,
            None => {
                let start = ATTRIBUTES.iter().find(|(a, _)| *a == key).map_or(Ty::Null, |(_, t)| t.clone());
                fields.entry(key.to_string()).or_insert(start)
            }
        };
        observe(slot, tape, value)?;
        cur = tape.next(value, "value").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Widens `ty` to hold the value at `idx`.
fn observe(ty: &mut Ty, tape: &Tape<'_>, idx: u32) -> Result<(), String> {
    let scalar = match tape.get(idx) {
        TapeElement::Null => return Ok(()),
        TapeElement::True | TapeElement::False => Ty::Bool,
        TapeElement::Number(n) => number(tape.get_string(n)),
        TapeElement::I32(_) | TapeElement::I64(_) => Ty::Int { wide: false },
        TapeElement::F32(_) | TapeElement::F64(_) => Ty::Float,
        TapeElement::String(s) => match ty {
            // Only a column that may still be temporal looks at its strings' shape.
            Ty::Null | Ty::Date | Ty::Timestamp => string(tape.get_string(s)),
            _ => Ty::Text,
        },
        TapeElement::StartList(end) => {
            match ty {
                Ty::Json => return Ok(()),
                Ty::Null => *ty = Ty::List(Box::new(Ty::Null)),
                Ty::List(_) => {}
                _ => {
                    *ty = Ty::Json;
                    return Ok(());
                }
            }
            let Ty::List(item) = ty else { unreachable!("set above") };
            let mut cur = idx + 1;
            while cur < end {
                observe(item, tape, cur)?;
                cur = tape.next(cur, "list item").map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        TapeElement::StartObject(end) => {
            match ty {
                Ty::Json => return Ok(()),
                Ty::Null => *ty = Ty::object(),
                Ty::Object(_) => {}
                _ => {
                    *ty = Ty::Json;
                    return Ok(());
                }
            }
            let Ty::Object(fields) = ty else { unreachable!("set above") };
            let mut cur = idx + 1;
            while cur < end {
                let TapeElement::String(k) = tape.get(cur) else { return Err("internal: object key is not a string".into()) };
                let key = tape.get_string(k);
                let slot = match fields.get_mut(key) {
                    Some(t) => t,
                    None => fields.entry(key.to_string()).or_insert(Ty::Null),
                };
                observe(slot, tape, cur + 1)?;
                cur = tape.next(cur + 1, "value").map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        _ => return Err(format!("unexpected JSON element {:?}", tape.get(idx))),
    };
    *ty = std::mem::replace(ty, Ty::Null).join(scalar);
    Ok(())
}

/// An integer (exact in i64), a float, or — when neither holds it exactly — text.
fn number(text: &str) -> Ty {
    if text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ty::Float,
            _ => Ty::Text, // beyond f64: keep the digits
        };
    }
    match text.parse::<i64>() {
        Ok(i) => Ty::Int { wide: !(-F64_EXACT..=F64_EXACT).contains(&i) },
        Err(_) => Ty::Text, // beyond i64: keep the digits
    }
}

fn string(s: &str) -> Ty {
    if is_date(s) {
        Ty::Date
    } else if is_timestamp(s) {
        Ty::Timestamp
    } else {
        Ty::Text
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD`, a real calendar date.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && valid_date(b)
}

fn valid_date(b: &[u8]) -> bool {
    if b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) {
        (Some(y), Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some(),
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` exactly (what the API sends, and what a timestamp column writes
/// back as text, character for character).
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && valid_date(&b[..10])
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && matches!((digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19]), digits(&b[20..23])), (Some(h), Some(m), Some(s), Some(_)) if h < 24 && m < 60 && s < 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_widen_and_never_narrow() {
        use Ty::*;
        let int = Int { wide: false };
        assert_eq!(int.clone().join(Float), Float);
        assert_eq!(Int { wide: true }.join(Float), Text, "a float cannot hold 2^53 + 1");
        assert_eq!(Float.join(Text), Text);
        assert_eq!(Bool.join(int.clone()), Text);
        assert_eq!(Date.join(Timestamp), Text);
        assert_eq!(Null.join(Date), Date);
        assert_eq!(List(Box::new(int.clone())).join(List(Box::new(Float))), List(Box::new(Float)));
        assert_eq!(List(Box::new(Text)).join(Text), Json, "sometimes a list: JSON text");
        assert_eq!(Ty::object().join(int.clone()), Json);
        assert_eq!(Json.join(Null), Json);
        for t in [Null, Bool, int, Float, Date, Timestamp, Text, Json, List(Box::new(Null)), Ty::object()] {
            assert_eq!(t.clone().join(t.clone()), t);
            assert_eq!(t.clone().join(Json), Json);
        }
    }

    #[test]
    fn numbers_and_strings_are_classified_exactly() {
        assert_eq!(number("12"), Ty::Int { wide: false });
        assert_eq!(number("9007199254740993"), Ty::Int { wide: true });
        assert_eq!(number("-1.5e3"), Ty::Float);
        assert_eq!(number("1e400"), Ty::Text);
        assert_eq!(number("18446744073709551616"), Ty::Text);
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2024-1-01") && !is_date("2024-01-01 "));
        assert!(is_timestamp("2025-02-27T02:20:06.958Z"));
        for bad in ["2025-02-27T02:20:06Z", "2025-02-27T24:00:00.000Z", "2025-02-27T02:20:06.958+00:00", "2025-02-30T02:20:06.958Z"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
