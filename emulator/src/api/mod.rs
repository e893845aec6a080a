//! Handlers of the emulated Data API, one module per resource.

pub mod changes;
pub mod documents;
pub mod expand;
pub mod health;
pub mod hierarchy;
pub mod jobs;
pub mod records;
pub mod subtable;
pub mod users;
pub mod workflow;
pub mod workflow_v2;
pub mod workspaces;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::Tenant;

/// The items of 1-based page `page` of `size` among `n`: empty past the end, for any page
/// (a page near `i64::MAX` must not overflow the offset).
pub fn window(page: usize, size: usize, n: usize) -> std::ops::Range<usize> {
    let start = page.saturating_sub(1).saturating_mul(size).min(n);
    start..start.saturating_add(size).min(n)
}

/// Query parameters, in order; lookups take the last value of a name, as most servers do.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default())
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// A non-empty value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|s| !s.is_empty())
    }

    /// `page`/`pageSize` with the documented checks and messages; defaults per endpoint.
    pub fn paging(&self, default_size: usize) -> ApiResult<(usize, usize)> {
        self.paging_up_to(default_size, 1000)
    }

    /// [`Params::paging`] for endpoints whose pages hold at most `max` rows (`/expand`, v2).
    pub fn paging_up_to(&self, default_size: usize, max: usize) -> ApiResult<(usize, usize)> {
        self.paging_with(default_size, max, false)
    }

    /// [`Params::paging`] for endpoints that serve a larger `pageSize` at `max` instead of
    /// refusing it (the job list: "cap 200").
    pub fn paging_capped(&self, default_size: usize, max: usize) -> ApiResult<(usize, usize)> {
        self.paging_with(default_size, max, true)
    }

    fn paging_with(&self, default_size: usize, max: usize, cap: bool) -> ApiResult<(usize, usize)> {
        let page = match self.get("page") {
            None => 1,
            Some(v) => v.trim().parse::<i64>().map_err(|_| ApiError::bad_request(format!("Page must be an integer, got '{v}'")))?,
        };
        if page < 1 {
            return Err(ApiError::bad_request("Page must be greater than 0"));
        }
        let size = match self.get("pageSize") {
            None => default_size as i64,
            Some(v) => v.trim().parse::<i64>().map_err(|_| ApiError::bad_request(format!("Page size must be an integer, got '{v}'")))?,
        };
        let size = if cap { size.min(max as i64) } else { size };
        if !(1..=max as i64).contains(&size) {
            return Err(ApiError::bad_request(format!("Page size must be between 1 and {max}")));
        }
        Ok((page as usize, size as usize))
    }

    pub fn flag(&self, names: &[&str]) -> ApiResult<bool> {
        for n in names {
            if let Some(v) = self.get(n) {
                return match v.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Ok(true),
                    "false" | "0" | "" => Ok(false),
                    other => Err(ApiError::bad_request(format!("{n} must be true or false, got '{other}'"))),
                };
            }
        }
        Ok(false)
    }
}

/// Parses a JSON body; a missing or malformed body is a 400 that says what was wrong.
pub fn json_body(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("Request body is required"));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))
}

/// A body that must be an array of at most `max` objects (record and sub-table writes).
pub fn object_rows(body: &[u8], max: usize) -> ApiResult<Vec<Map<String, Value>>> {
    objects(body, max, false)
}

/// An array of 1..=max objects, or (with `allow_single`, where the docs allow it) one object.
pub fn objects(body: &[u8], max: usize, allow_single: bool) -> ApiResult<Vec<Map<String, Value>>> {
    let items = match json_body(body)? {
        Value::Array(a) => a,
        Value::Object(o) if allow_single => vec![Value::Object(o)],
        other => return Err(ApiError::bad_request(format!("Request body must be an array of objects, got {}", type_name(&other)))),
    };
    if items.is_empty() {
        return Err(ApiError::bad_request("Request body must not be an empty array"));
    }
    if items.len() > max {
        return Err(ApiError::bad_request(format!("Maximum {max} records allowed but received {}", items.len())));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(m) => Ok(m),
            other => Err(ApiError::bad_request(format!("Item {i} must be an object, got {}", type_name(&other)))),
        })
        .collect()
}

/// A body that must be an array of 1..=max strings.
pub fn string_list(body: &[u8], max: usize, what: &str) -> ApiResult<Vec<String>> {
    let Value::Array(items) = json_body(body)? else {
        return Err(ApiError::bad_request(format!("Request body must be an array of {what}")));
    };
    if items.is_empty() {
        return Err(ApiError::bad_request(format!("At least one {} is required", what.trim_end_matches('s'))));
    }
    if items.len() > max {
        return Err(ApiError::bad_request(format!("Maximum {max} {what} allowed but received {}", items.len())));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s),
            Value::String(s) if s.is_empty() => Err(ApiError::bad_request(format!("Item {i} must be a non-empty string, got an empty string"))),
            Value::String(_) => Err(ApiError::bad_request(format!("Item {i} must be a non-empty string, got only whitespace"))),
            other => Err(ApiError::bad_request(format!("Item {i} must be a non-empty string, got {}", type_name(&other)))),
        })
        .collect()
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The acting user of a module/workflow write (`userName` query): must exist and be active in
/// the tenant (400 otherwise), and a user of another tenant is not authorized (403).
pub fn acting_user(tenants: &[Tenant], tenant: usize, params: &Params) -> ApiResult<String> {
    let name = params.text("userName").ok_or_else(|| ApiError::bad_request("userName is required"))?;
    match tenants[tenant].user(name) {
        Some(u) if u.active() => Ok(u.username()),
        Some(_) => Err(ApiError::user_not_active()),
        None if tenants.iter().any(|t| t.user(name).is_some()) => {
            Err(ApiError::forbidden("User not authorized to make this transaction"))
        }
        None => Err(ApiError::user_not_active()),
    }
}

pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = (status, bytes).into_response();
    r.headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    r
}
