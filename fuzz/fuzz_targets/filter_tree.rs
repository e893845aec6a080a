//! Filters built from structured input: nested `and`/`or` of conditions whose fields, types,
//! operators and values are drawn mostly from the grammar's own tokens (dates, numbers, the
//! characters it cannot carry), so the fuzzer spends its time in the builder's rules rather
//! than in JSON syntax.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

const FIELDS: &[&str] = &["serial_number", "email_id", "createdDate", "status", "n", "DATE", "NUMBER", "eq", "and", "or", "null", "a b", "a:b", "", "é"];
const TYPES: &[&str] = &["NUMBER", "STRING", "DATE", "PRIMITIVE", "number", "Date", "BOOLEAN", ""];
const OPS: &[&str] = &[
    "eq", "ne", "gt", "ge", "lt", "le", "cn", "nc", "sw", "ew", "in", "contains", "not_contains", "notContains", "starts_with",
    "startsWith", "ends_with", "endsWith", "is_in", "isIn", "is_blank", "isBlank", "is_not_blank", "isNotBlank", "EQ", "",
];
const WORDS: &[&str] = &["john", "Approved", "null", "NULL", "and", "or", "a|b", "a:b", "", " ", "\n", "1e5", "-0", "inf", "NaN", "12345678901234567890.5", "true", "DATE", "é"];

fn text(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => {
            // Dates, real and impossible: year 0..9999, month 0..13, day 0..32.
            let (y, m, d) = (u.int_in_range(0..=9999u32)?, u.int_in_range(0..=13u32)?, u.int_in_range(0..=32u32)?);
            format!("{y:04}-{m:02}-{d:02}")
        }
        1 => u.choose(WORDS)?.to_string(),
        2 => u.arbitrary::<i64>()?.to_string(),
        _ => u.arbitrary::<String>()?,
    })
}

fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    Ok(match u.int_in_range(0..=8)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        5 if depth < 2 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array((0..n).map(|_| value(u, depth + 1)).collect::<Result<_>>()?)
        }
        6 => json!({"nested": text(u)?}),
        _ => Value::String(text(u)?),
    })
}

fn condition(u: &mut Unstructured) -> Result<Value> {
    let mut m = Map::new();
    if u.ratio(15, 16)? {
        let f = if u.ratio(7, 8)? { u.choose(FIELDS)?.to_string() } else { u.arbitrary()? };
        m.insert("field".into(), f.into());
    }
    if u.arbitrary()? {
        m.insert("type".into(), if u.ratio(7, 8)? { u.choose(TYPES)?.to_string().into() } else { value(u, 1)? });
    }
    if u.ratio(15, 16)? {
        let op = if u.ratio(15, 16)? { u.choose(OPS)?.to_string() } else { u.arbitrary()? };
        m.insert("op".into(), op.into());
    }
    if u.ratio(7, 8)? {
        m.insert("value".into(), value(u, 0)?);
    }
    Ok(Value::Object(m))
}

/// A filter of at most `budget` conditions, nested at most `depth` levels.
fn filter(u: &mut Unstructured, depth: u32, budget: &mut usize) -> Result<Value> {
    if depth == 0 || *budget <= 1 || u.ratio(1, 2)? {
        *budget = budget.saturating_sub(1);
        return condition(u);
    }
    let key = if u.arbitrary()? { "and" } else { "or" };
    let n = u.int_in_range(0..=4)?;
    let mut parts = Vec::new();
    for _ in 0..n {
        if *budget == 0 {
            break;
        }
        parts.push(filter(u, depth - 1, budget)?);
    }
    Ok(json!({ key: parts }))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut budget = exto360_fuzz::filter::MAX_CONDITIONS;
    if let Ok(spec) = filter(&mut u, 6, &mut budget) {
        exto360_fuzz::filter::check_filter_json(&spec);
    }
});
