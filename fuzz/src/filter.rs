//! Filters: the core's builder and renderer (from the JSON form every binding passes) against
//! the emulator's parser of the grammar (REFERENCE.md §11).

use std::sync::Arc;

use exto360::{ErrorKind, Filter};
use exto360_emulator::filter::{Condition, Filter as Parsed};
use exto360_emulator::state::Record;
use serde_json::{Map, Value, json};

/// Most conditions in one fuzzed filter: above the core's own limits (64 OR-groups, 1024
/// conditions after expansion), which `Filter::and` checks before it expands anything, so
/// hostile combinations are part of the search; the bound only keeps each input cheap.
pub const MAX_CONDITIONS: usize = 256;

/// Number of conditions (objects other than `and`/`or` nodes) in a filter's JSON form.
pub fn conditions(v: &Value) -> usize {
    match v {
        Value::Object(m) => match m.get("and").or_else(|| m.get("or")) {
            Some(Value::Array(parts)) => parts.iter().map(conditions).sum(),
            _ => 1,
        },
        _ => 1,
    }
}

/// A filter's JSON form must either render, in a form the emulator's parser reads back to the
/// same conditions, or be refused as `InvalidInput`.
pub fn check_filter_json(spec: &Value) {
    if conditions(spec) > MAX_CONDITIONS {
        return;
    }
    let f = exto360::json::filter_from_json(spec);
    match f.render() {
        Ok(text) => check_rendered(&f, &text),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            assert!(!e.message().is_empty());
        }
    }
    let _ = f.to_string();
}

/// A rendered filter is accepted by the emulator, means the same conditions, asks for
/// `localTimeZone` exactly when the emulator compares dates, and the raw-string check of the
/// client agrees.
pub fn check_rendered(f: &Filter, text: &str) {
    let parsed = Parsed::parse(text).unwrap_or_else(|e| panic!("the emulator refuses the rendered filter {text:?}: {e}"));
    assert_eq!(print(&parsed), text, "the emulator reads other conditions than the core wrote");
    assert_eq!(
        f.compares_dates(),
        parsed.needs_time_zone(),
        "core and emulator disagree on whether {text:?} compares dates"
    );
    if f.compares_dates() {
        assert!(exto360::fuzzing::raw_compares_dates(text), "{text:?} as a raw filter would be sent without localTimeZone");
    }
}

/// A raw filter string, as a caller passes it to `list`: the emulator's parser never panics,
/// reads back exactly the text it parsed, evaluates on records of every value kind, and when it
/// compares dates the client demands `localTimeZone` before sending it.
pub fn check_raw(text: &str) {
    let parsed = match Parsed::parse(text) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.is_empty());
            return;
        }
    };
    assert_eq!(print(&parsed), text, "parse → print is not the identity");
    if parsed.needs_time_zone() {
        assert!(exto360::fuzzing::raw_compares_dates(text), "the client would send {text:?} (a DATE comparison) without localTimeZone");
    }
    let zones = [None, Some(jiff::tz::TimeZone::UTC), jiff::tz::TimeZone::get("America/Los_Angeles").ok()];
    for value in sample_values() {
        let rec = record_with(&parsed, value);
        for tz in &zones {
            let _ = parsed.matches(&rec, tz.as_ref());
        }
    }
}

/// The grammar text of a parsed filter (the emulator keeps each raw value; its `Op` and `Type`
/// variants are named after their tokens: `Cn` → `cn`, `Number` → `NUMBER`).
fn print(f: &Parsed) -> String {
    let cond = |c: &Condition| {
        let op = format!("{:?}", c.op).to_lowercase();
        match c.ty {
            None => format!("{}:{op}:{}", c.field, c.raw),
            Some(t) => format!("{}:{}:{op}:{}", c.field, format!("{t:?}").to_uppercase(), c.raw),
        }
    };
    f.any.iter().map(|all| all.iter().map(cond).collect::<Vec<_>>().join(":and:")).collect::<Vec<_>>().join(":or:")
}

/// Stored values of every kind a condition may meet.
fn sample_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(1234),
        json!(-2.5),
        json!(1e300),
        json!(""),
        json!("John"),
        json!("2024-03-01"),
        json!("2024-03-01T23:30:00Z"),
        json!("9999-12-31T23:59:59Z"),
        json!(true),
        json!([]),
        json!([1, "a", null, "2024-03-01"]),
        json!({"label": "USD 3", "value": 3, "currency": "USD"}),
        json!({"value": "x"}),
    ]
}

/// A record whose every field named in `f` holds `value`.
fn record_with(f: &Parsed, value: Value) -> Record {
    let s = |t: &str| Arc::<str>::from(t);
    let mut custom = Map::new();
    for c in f.any.iter().flatten() {
        custom.insert(c.field.clone(), value.clone());
    }
    Record {
        oid: "65de1a8e2f7b4c0012a3b4c5".into(),
        ref_id: "R-1".into(),
        record_number: Some("1".into()),
        tenant_id: s("tenant"),
        project_id: None,
        status: Some("Approved".into()),
        workflow_id: None,
        created_by: s("a@b.c"),
        created_at: "2024-03-01T10:00:00.000Z".into(),
        updated_by: s("a@b.c"),
        updated_at: "2024-03-02T10:00:00.000Z".into(),
        custom,
        sub_tables: Default::default(),
    }
}
