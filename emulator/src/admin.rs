//! The admin API under `/__emulator/` (loopback clients only, no token): reset, datasets,
//! journal, faults, settings, and a direct view of stored records and users.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::api::json;
use crate::dataset::Dataset;
use crate::faults::FaultSpec;
use crate::server::{Settings, Shared};
use crate::state::Kind;

type S = State<Arc<Shared>>;

fn bad(msg: impl Into<String>) -> Response {
    json(StatusCode::BAD_REQUEST, &json!({ "error": msg.into() }))
}

fn ok(v: Value) -> Response {
    json(StatusCode::OK, &v)
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(info))
        .route("/reset", post(reset))
        .route("/dataset", get(get_dataset).put(put_dataset).post(put_dataset))
        .route("/journal", get(journal).delete(clear_journal))
        .route("/faults", get(get_faults).put(put_faults).post(put_faults).delete(clear_faults))
        .route("/config", get(get_config).patch(patch_config).put(patch_config))
        .route("/records/{kind}/{name}", get(records))
        .route("/users", get(users))
        .with_state(shared)
}

async fn info(State(s): S) -> Response {
    ok(json!({ "emulator": "exto360-emulator", "version": env!("CARGO_PKG_VERSION"), "settings": s.settings() }))
}

async fn reset(State(s): S) -> Response {
    match s.reset() {
        Ok(()) => ok(json!({ "status": "reset" })),
        Err(e) => bad(e),
    }
}

async fn get_dataset(State(s): S) -> Response {
    ok(serde_json::to_value(&*s.dataset.read().unwrap_or_else(|e| e.into_inner())).unwrap_or_default())
}

/// Body: a dataset (JSON or YAML), or `{"builtin": "demo"}`.
async fn put_dataset(State(s): S, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let builtin = serde_json::from_str::<Value>(&text).ok().and_then(|v| v.get("builtin").and_then(Value::as_str).map(str::to_string));
    let data = match builtin.as_deref() {
        Some("demo") => Ok(Dataset::demo()),
        Some(other) => Err(format!("unknown builtin dataset '{other}' (known: demo)")),
        None => Dataset::parse(&text),
    };
    match data.and_then(|d| s.load(d)) {
        Ok(()) => ok(json!({ "status": "loaded" })),
        Err(e) => bad(e),
    }
}

async fn journal(State(s): S) -> Response {
    ok(json!({ "entries": s.journal_json() }))
}

async fn clear_journal(State(s): S) -> Response {
    s.journal().clear();
    ok(json!({ "status": "cleared" }))
}

async fn get_faults(State(s): S) -> Response {
    ok(json!({ "faults": s.faults_json() }))
}

/// Body: `{"faults": [spec, ...]}`, `[spec, ...]` or one spec; replaces the current set.
async fn put_faults(State(s): S, body: Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("malformed JSON: {e}")),
    };
    let list = match v {
        Value::Object(mut o) if o.contains_key("faults") => o.remove("faults").unwrap_or(Value::Null),
        Value::Array(_) => v,
        other => Value::Array(vec![other]),
    };
    let specs: Vec<FaultSpec> = match serde_json::from_value(list) {
        Ok(s) => s,
        Err(e) => return bad(format!("invalid fault: {e}")),
    };
    match s.set_faults(specs) {
        Ok(()) => ok(json!({ "faults": s.faults_json() })),
        Err(e) => bad(e),
    }
}

async fn clear_faults(State(s): S) -> Response {
    let _ = s.set_faults(Vec::new());
    ok(json!({ "faults": [] }))
}

async fn get_config(State(s): S) -> Response {
    ok(serde_json::to_value(s.settings()).unwrap_or_default())
}

/// Body: any subset of the settings, e.g. `{"rateLimit": null, "listShape": "array"}`.
async fn patch_config(State(s): S, Json(patch): Json<Value>) -> Response {
    let mut current = serde_json::to_value(s.settings()).unwrap_or_default();
    let (Some(cur), Value::Object(p)) = (current.as_object_mut(), patch) else {
        return bad("config body must be an object");
    };
    for (k, v) in p {
        cur.insert(k, v);
    }
    let settings: Settings = match serde_json::from_value(current) {
        Ok(s) => s,
        Err(e) => return bad(format!("invalid config: {e}")),
    };
    match s.set_settings(settings) {
        Ok(()) => ok(serde_json::to_value(s.settings()).unwrap_or_default()),
        Err(e) => bad(e),
    }
}

/// Every stored record of `masters/NAME` or `modules/NAME` in the first tenant, with
/// sub-table rows under `subTables` (or every row of `hierarchies/NAME`), regardless of paging,
/// scope or rate limit.
async fn records(State(s): S, Path((kind, name)): Path<(String, String)>) -> Response {
    let world = s.world();
    let Some(t) = world.tenants.first() else { return ok(json!([])) };
    let kind = match kind.as_str() {
        "master" | "masters" => Kind::Master,
        "module" | "modules" => Kind::Module,
        "hierarchy" | "hierarchies" => {
            return match t.hierarchy(&name) {
                Ok(h) => ok(serde_json::to_value(&h.rows).unwrap_or_default()),
                Err(_) => json(StatusCode::NOT_FOUND, &json!({ "error": format!("{name} not found") })),
            };
        }
        other => return bad(format!("unknown kind '{other}' (masters, modules or hierarchies)")),
    };
    match t.collection(kind, &name) {
        Ok(c) => ok(Value::Array(
            c.records
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("subTables".into(), serde_json::to_value(&r.sub_tables).unwrap_or_default());
                    }
                    v
                })
                .collect(),
        )),
        Err(_) => json(StatusCode::NOT_FOUND, &json!({ "error": format!("{name} not found") })),
    }
}

async fn users(State(s): S) -> Response {
    let world = s.world();
    let users: Vec<Value> = world.tenants.first().map(|t| t.users.iter().map(|u| u.to_json()).collect()).unwrap_or_default();
    ok(Value::Array(users))
}
