//! Model cases: one case in a file becomes `runs` cases, each with a random sequence of server
//! outcomes per chunk of a bulk write (refused, failed before or after doing the work, reset
//! before or after, answer cut off). What is checked is not a fixed answer but the promise of
//! the write report: it never calls a chunk the server applied "not written" nor one it never
//! applied "written", and a POST is never sent again after an attempt that may have been
//! carried out unless `retryWrites` says so. "Applied" is the emulator's own journal.
//!
//! ```jsonc
//! { "name": "model.masters.upsert", "op": "masters.upsert", "args": {"name": "VENDOR"},
//!   "model": { "runs": 6, "seed": 1, "chunk": 1000, "method": "POST", "itemsArg": "records",
//!              "item": {"vendor_id": "V{i}"} } }            // or "recordIdsOf": "MODULE"
//! ```

use serde_json::{Map, Value, json};

/// The text that tells a chunk's requests apart: the JSON of the chunk's first item, or of the
/// first string in it (so `{"vendor_id": "V1000", ...}` gives `"V1000"`, quotes included).
pub fn marker(item: &Value) -> String {
    match item {
        Value::Array(a) => a.first().map(marker).unwrap_or_default(),
        Value::Object(o) => o.values().find(|v| v.is_string()).map(Value::to_string).unwrap_or_else(|| item.to_string()),
        other => other.to_string(),
    }
}

/// One attempt's outcome as a fault rule (without the chunk's `bodyContains`).
fn outcome(rng: &mut fastrand::Rng) -> Value {
    let which = rng.u8(0..7);
    let mut pick = |from: &[u16]| from[rng.usize(0..from.len())];
    match which {
        0 => json!({"kind": "status", "status": pick(&[400, 409, 422])}),
        1 | 2 => json!({"kind": "status", "status": 429}),
        3 => json!({"kind": "status", "status": pick(&[500, 502, 503, 504])}),
        4 => json!({"kind": "status", "status": pick(&[500, 503]), "afterWork": true}),
        5 if pick(&[0, 1]) == 0 => json!({"kind": "reset"}),
        5 => json!({"kind": "truncate"}),
        _ => json!({"kind": "reset", "afterWork": true}),
    }
}

/// The concrete cases of a model case.
pub fn expand(case: &Value) -> Vec<Value> {
    let m = &case["model"];
    let runs = m["runs"].as_u64().unwrap_or(4);
    let seed = m["seed"].as_u64().unwrap_or(0);
    let chunk = m["chunk"].as_u64().expect("model.chunk") as usize;
    let method = m["method"].as_str().unwrap_or("POST");
    let items_arg = m["itemsArg"].as_str().expect("model.itemsArg");
    (0..runs)
        .map(|run| {
            let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(1_000_003).wrapping_add(run));
            let chunks = rng.usize(1..=3);
            let n = chunk * (chunks - 1) + rng.usize(1..=chunk);
            let (items, markers): (Value, Vec<Value>) = match m["recordIdsOf"].as_str() {
                Some(module) => (
                    json!({"$recordIds": {"module": module, "status": "Draft", "from": 0, "count": n}}),
                    (0..chunks).map(|c| json!({"$marker": {"$recordIds": {"module": module, "status": "Draft", "from": c * chunk, "count": 1}}})).collect(),
                ),
                None => {
                    let items: Vec<Value> = (0..n).map(|i| crate::instantiate(&m["item"], i)).collect();
                    let markers = (0..chunks).map(|c| Value::String(marker(&items[c * chunk]))).collect();
                    (Value::Array(items), markers)
                }
            };
            let mut faults = Vec::new();
            for marker in &markers {
                for _ in 0..rng.usize(0..=4) {
                    let mut f = outcome(&mut rng);
                    f["method"] = json!(method);
                    f["bodyContains"] = marker.clone();
                    f["times"] = json!(1);
                    faults.push(f);
                }
            }
            let mut body = case.clone();
            let o = body.as_object_mut().expect("a case is an object");
            o.remove("model");
            o.remove("name");
            o["args"][items_arg] = items;
            let mut setup = o.get("setup").cloned().unwrap_or_else(|| json!({}));
            setup["faults"] = Value::Array(faults);
            o.insert("setup".into(), setup);
            let mut client = o.get("client").cloned().unwrap_or_else(|| json!({}));
            client["retryWrites"] = json!(rng.bool());
            client["maxRetries"] = json!(rng.u32(0..=3));
            // Retries in milliseconds, so a run takes a fraction of a second.
            client["initialBackoff"] = json!(0.001);
            client["maxBackoff"] = json!(0.004);
            o.insert("client".into(), client);
            o.insert("expect".into(), json!({"model": {"chunk": chunk, "total": n, "method": method, "markers": markers}}));
            body
        })
        .collect()
}

/// The state the executor's answer gives the chunk starting at `start`.
fn state(reply: &Value, start: usize) -> Result<&'static str, String> {
    if reply.get("ok").is_some() {
        return Ok("written");
    }
    let bulk = &reply["error"]["bulk"];
    if bulk.is_null() {
        return Err(format!("a failed bulk write without a report: {}", reply["error"]));
    }
    for key in ["written", "notWritten", "unknown"] {
        for r in bulk[key].as_array().into_iter().flatten() {
            let (a, b) = (r[0].as_u64().unwrap_or(0) as usize, r[1].as_u64().unwrap_or(0) as usize);
            if (a..b).contains(&start) {
                return Ok(key);
            }
        }
    }
    Err(format!("item {start} is in no range of the report {bulk}"))
}

pub fn check(m: &Value, client: &Value, reply: &Value, journal: &[Value]) -> Result<(), String> {
    let chunk = m["chunk"].as_u64().unwrap_or(1) as usize;
    let total = m["total"].as_u64().unwrap_or(0);
    let method = m["method"].as_str().unwrap_or("POST");
    if let Some(b) = reply["error"].get("bulk").filter(|b| !b.is_null()) {
        let covered: u64 = ["written", "notWritten", "unknown"]
            .iter()
            .flat_map(|k| b[*k].as_array().cloned().unwrap_or_default())
            .map(|r| r[1].as_u64().unwrap_or(0) - r[0].as_u64().unwrap_or(0))
            .sum();
        if b["total"].as_u64() != Some(total) || covered != total {
            return Err(format!("the report does not cover the {total} items exactly: {b}"));
        }
    }
    let no_repeat = method == "POST" && client["retryWrites"] != true;
    for (c, marker) in m["markers"].as_array().into_iter().flatten().enumerate() {
        let marker = marker.as_str().unwrap_or_default();
        let attempts: Vec<&Map<String, Value>> = journal
            .iter()
            .filter_map(Value::as_object)
            .filter(|e| e["method"] == method && e["body"].to_string().contains(marker))
            .collect();
        let seen: Vec<String> = attempts.iter().map(|e| format!("{}/{}/applied={}", e["status"], e["fault"], e["applied"])).collect();
        let applied = attempts.iter().any(|e| e["applied"] == true);
        match state(reply, c * chunk)? {
            "written" if !applied => return Err(format!("chunk {c} reported written, but the server never applied it: {seen:?}")),
            "notWritten" if applied => return Err(format!("chunk {c} reported not written, but the server applied it: {seen:?}")),
            _ => {}
        }
        if no_repeat && attempts.iter().rev().skip(1).any(|e| e["status"] != 429) {
            return Err(format!("chunk {c}: a POST was sent again after an attempt that may have been carried out: {seen:?}"));
        }
    }
    Ok(())
}
