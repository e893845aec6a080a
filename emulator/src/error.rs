//! The Data API's error envelope (REFERENCE.md §9):
//! `{code, timestamp, path, error: {summary, detail: [..]}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the emulated API. `path` is filled in by the middleware, which knows the
/// request path; handlers only say what went wrong.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub summary: String,
    pub detail: Vec<String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self { status, summary: summary_for(status).to_string(), detail: vec![detail.into()], retry_after: None }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Invalid authentication token")
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
    /// What the service answers for an unknown master or module name (§2.1, §13 C16).
    pub fn unknown_name(name: &str) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{name} not Found."))
    }
    pub fn user_not_active() -> Self {
        Self::bad_request("User not found or active")
    }
    pub fn with_details(mut self, detail: Vec<String>) -> Self {
        self.detail = detail;
        self
    }

    /// The JSON envelope for this error at `path` (server-relative, without `/data`).
    pub fn envelope(&self, path: &str, timestamp: &str) -> serde_json::Value {
        json!({
            "code": self.status.as_u16(),
            "timestamp": timestamp,
            "path": path,
            "error": { "summary": self.summary, "detail": self.detail },
        })
    }

    pub fn into_response_at(self, path: &str, timestamp: &str) -> Response {
        let body = serde_json::to_vec(&self.envelope(path, timestamp)).unwrap_or_default();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// Handlers return `Err(ApiError)`; the envelope gets its path from `ErrorPath` set by the
/// middleware, so this impl only marks the response for it.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = StatusCode::IM_A_TEAPOT.into_response();
        resp.extensions_mut().insert(PendingError(self));
        resp
    }
}

/// A handler error waiting for the middleware to render it with the request's path and time.
#[derive(Clone)]
pub struct PendingError(pub ApiError);

pub fn summary_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Service Exception",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
