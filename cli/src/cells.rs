//! Values in CSV cells, both ways, so that an exported CSV imports back to the same values:
//!
//! | value | cell |
//! | --- | --- |
//! | absent | empty |
//! | `null` | `null` |
//! | number, boolean | as JSON (`12`, `1.5`, `true`) |
//! | object, array | compact JSON |
//! | text | as is — unless it would read as JSON (`"123"`, `"true"`, `""`), then JSON-quoted |
//!
//! Reading a cell: empty is absent; anything that parses as JSON is that value; the rest is
//! text. `--type FIELD=TYPE` checks (and for text fields, keeps) what a column holds.

use serde_json::Value;

/// The cell of a value (see the module doc).
pub fn encode(v: &Value) -> String {
    match v {
        Value::String(s) if reads_as_json(s) => Value::String(s.clone()).to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn reads_as_json(s: &str) -> bool {
    s.is_empty() || serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok()
}

/// The value of a cell; `None` for an empty cell.
pub fn decode(cell: &str) -> Option<Value> {
    if cell.is_empty() {
        return None;
    }
    Some(serde_json::from_str(cell).unwrap_or_else(|_| Value::String(cell.to_string())))
}

/// What `--type FIELD=TYPE` says a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Number,
    Integer,
    Boolean,
    /// `yyyy-MM-dd`.
    Date,
    /// RFC 3339 (`2024-12-01T18:18:40.599Z`).
    DateTime,
    /// An object or an array.
    Json,
}

impl FieldType {
    pub fn parse(s: &str) -> Option<FieldType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "string" | "text" => FieldType::String,
            "number" => FieldType::Number,
            "integer" | "int" => FieldType::Integer,
            "boolean" | "bool" => FieldType::Boolean,
            "date" => FieldType::Date,
            "datetime" | "timestamp" => FieldType::DateTime,
            "json" => FieldType::Json,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            FieldType::String => "text",
            FieldType::Number => "a number",
            FieldType::Integer => "an integer",
            FieldType::Boolean => "true or false",
            FieldType::Date => "a date (yyyy-MM-dd)",
            FieldType::DateTime => "a date-time (RFC 3339)",
            FieldType::Json => "a JSON object or array",
        }
    }

    /// The value of a CSV cell of this type: a text field keeps the cell's text as is (so
    /// `0123` or `1.50` stay text) unless it is JSON-quoted.
    pub fn decode_cell(self, cell: &str) -> Result<Option<Value>, String> {
        if self == FieldType::String && !cell.is_empty() {
            return match serde_json::from_str::<Value>(cell) {
                Ok(v @ (Value::String(_) | Value::Null)) => Ok(Some(v)),
                _ => Ok(Some(Value::String(cell.to_string()))),
            };
        }
        match decode(cell) {
            Some(v) => self.check(v).map(Some),
            None => Ok(None),
        }
    }

    /// `v` if it is of this type (null always is: it clears the field).
    pub fn check(self, v: Value) -> Result<Value, String> {
        let ok = match (&v, self) {
            (Value::Null, _) => true,
            (Value::String(_), FieldType::String) => true,
            (Value::Number(_), FieldType::Number) => true,
            (Value::Number(n), FieldType::Integer) => n.is_i64() || n.is_u64(),
            (Value::Bool(_), FieldType::Boolean) => true,
            (Value::String(s), FieldType::Date) => s.parse::<jiff::civil::Date>().is_ok() && s.len() == 10,
            (Value::String(s), FieldType::DateTime) => s.parse::<jiff::Timestamp>().is_ok(),
            (Value::Object(_) | Value::Array(_), FieldType::Json) => true,
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            let shown = match &v {
                Value::String(s) => format!("'{}'", shorten(s)),
                other => shorten(&other.to_string()),
            };
            Err(format!("expected {}, got {shown}", self.name()))
        }
    }
}

/// At most 60 characters of `s`, for messages.
pub fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 { s.to_string() } else { format!("{}…", s.chars().take(59).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_value_survives_a_cell() {
        for v in [
            json!(null),
            json!(true),
            json!(12),
            json!(-1.5),
            json!(""),
            json!("plain text"),
            json!("123"),
            json!("true"),
            json!("null"),
            json!("\"quoted\""),
            json!(" 12"),
            json!("0123"),
            json!("a,b\n\"c\""),
            json!(["south", "hq"]),
            json!({"label": "12.000 USD", "value": 12, "currency": "USD"}),
        ] {
            let cell = encode(&v);
            assert_eq!(decode(&cell), Some(v.clone()), "{v} → {cell:?}");
        }
        assert_eq!(decode(""), None, "an empty cell is no value");
        assert_eq!(encode(&json!("Bengaluru")), "Bengaluru", "ordinary text stays as is");
        assert_eq!(encode(&json!("123")), "\"123\"");
    }

    #[test]
    fn types_check_and_keep_text() {
        assert_eq!(FieldType::String.decode_cell("0123").unwrap(), Some(json!("0123")));
        assert_eq!(FieldType::String.decode_cell("1.50").unwrap(), Some(json!("1.50")));
        assert_eq!(FieldType::String.decode_cell("\"x\"").unwrap(), Some(json!("x")));
        assert_eq!(FieldType::Number.decode_cell("1.50").unwrap(), Some(json!(1.5)));
        assert!(FieldType::Number.decode_cell("abc").unwrap_err().contains("expected a number, got 'abc'"));
        assert!(FieldType::Integer.decode_cell("1.5").is_err());
        assert_eq!(FieldType::Boolean.decode_cell("true").unwrap(), Some(json!(true)));
        assert!(FieldType::Date.decode_cell("2024-02-30").is_err());
        assert_eq!(FieldType::Date.decode_cell("2024-02-29").unwrap(), Some(json!("2024-02-29")));
        assert!(FieldType::DateTime.decode_cell("2024-12-01T18:18:40.599Z").is_ok());
        assert!(FieldType::Json.decode_cell("[1]").is_ok() && FieldType::Json.decode_cell("1").is_err());
        assert_eq!(FieldType::Number.decode_cell("null").unwrap(), Some(json!(null)));
        assert_eq!(FieldType::Number.decode_cell("").unwrap(), None);
    }
}
