//! §1: liveness and readiness (public).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

pub async fn liveness() -> Response {
    super::json(StatusCode::OK, &json!({ "ok": true, "cpuPercent": 1.0, "memPercent": 12.5 }))
}

pub async fn readiness() -> Response {
    super::json(StatusCode::OK, &json!({ "ok": true }))
}
