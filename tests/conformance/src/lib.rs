//! Shared by the conformance driver and the Rust executor: the JSON normal forms.

use serde_json::{Map, Value, json};

/// The normal form of a bulk report: merged `[start, end)` ranges per state.
pub fn bulk_json(b: &exto360::BulkReport) -> Value {
    let mut out = Map::new();
    out.insert("total".into(), json!(b.total));
    for (key, state) in [("written", exto360::WriteState::Written), ("notWritten", exto360::WriteState::NotWritten), ("unknown", exto360::WriteState::Unknown)] {
        let ranges: Vec<Value> = b.slices.iter().filter(|(_, s)| *s == state).map(|(r, _)| json!([r.start, r.end])).collect();
        out.insert(key.into(), Value::Array(ranges));
    }
    Value::Object(out)
}

/// The normal form of an error.
pub fn error_json(e: &exto360::Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "status": e.status(),
        "summary": e.summary(),
        "details": e.details(),
        "retries": e.retries(),
        "message": e.message(),
        "bulk": e.bulk().map(bulk_json),
    })
}
