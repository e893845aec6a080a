//! §1: liveness and readiness (public), and build info (\[V\] §1.3, with a token).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

pub async fn liveness() -> Response {
    super::json(StatusCode::OK, &json!({ "ok": true, "cpuPercent": 1.0, "memPercent": 12.5 }))
}

pub async fn readiness() -> Response {
    super::json(StatusCode::OK, &json!({ "ok": true }))
}

/// `GET /build/info` (\[V\] only): the build's metadata. Needs a token like every other call.
pub async fn build_info() -> Response {
    super::json(
        StatusCode::OK,
        &json!({ "name": "exto-data-api", "version": "1.0.0", "branch": "release/26.5.0", "commit": "a1b2c3d", "date": "2026-09-30T12:00:00.000Z", "emulator": env!("CARGO_PKG_VERSION") }),
    )
}
