//! §2.3/§2.4 and §3.3/§3.4 (\[V\] only): explicit updates (PATCH) and deletes of master and
//! module records.
//!
//! Records are addressed by `refId` or `recordNumber` — the \[V\] pages disagree on which
//! (REFERENCE.md §13 C11), so both are accepted everywhere; masters have no record numbers, so a
//! `recordNumber` of a master is matched against its short id. An update item whose record is
//! not found changes nothing and is not counted. Every request is applied whole or not at all.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::records::MAX_WRITE;
use super::{Params, acting_user, json};
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, PatchAnswer, Shared};
use crate::state::{Kind, World};

/// The identifier keys, in the order they are looked for in an item.
pub const KEYS: [&str; 2] = ["refId", "recordNumber"];

/// An array of 1..=1000 objects, or (where the docs allow it) one object.
pub fn items(body: &[u8], allow_single: bool) -> ApiResult<Vec<Map<String, Value>>> {
    super::objects(body, MAX_WRITE, allow_single)
}

/// Which key and value an item addresses its record by.
fn identifier(item: &Map<String, Value>, i: usize) -> ApiResult<(&'static str, String)> {
    for k in KEYS {
        match item.get(k) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) if !s.trim().is_empty() => return Ok((k, s.clone())),
            Some(_) => return Err(ApiError::bad_request(format!("Item {i}: {k} must be a non-empty string"))),
        }
    }
    Err(ApiError::bad_request(format!("Item {i} needs refId or recordNumber to locate the record")))
}

pub async fn update_master(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    update(&s, &ctx, Kind::Master, &name, q.as_deref(), &body)
}
pub async fn update_module(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    update(&s, &ctx, Kind::Module, &name, q.as_deref(), &body)
}
pub async fn delete_master(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    delete(&s, &ctx, Kind::Master, &name, q.as_deref(), &body)
}
pub async fn delete_module(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    delete(&s, &ctx, Kind::Module, &name, q.as_deref(), &body)
}

fn update(shared: &Shared, ctx: &Ctx, kind: Kind, name: &str, q: Option<&str>, body: &[u8]) -> ApiResult<Response> {
    let params = Params::parse(q);
    let now = shared.clock().now_string();
    let answer = shared.settings().patch_answer;
    let mut world = shared.world_mut();
    let World { tenants, .. } = &mut *world;
    tenants[ctx.tenant].collection(kind, name)?;
    let user = match kind {
        Kind::Module => acting_user(tenants, ctx.tenant, &params)?,
        Kind::Master => ctx.user.clone(),
    };
    // §3.3: a module PATCH may send one object; §2.3 documents an array.
    let rows = items(body, kind == Kind::Module)?;
    let mut plan = Vec::with_capacity(rows.len());
    for (i, mut row) in rows.into_iter().enumerate() {
        if row.contains_key("_id") {
            return Err(ApiError::bad_request(format!("Updating '_id' is not allowed (item {i})")));
        }
        let (key, value) = identifier(&row, i)?;
        for k in KEYS {
            row.remove(k);
        }
        plan.push((key, value, row));
    }
    let coll = tenants[ctx.tenant].collection_mut(kind, name)?;
    let by_ref = coll.key_index("refId", ctx.project.as_deref());
    let by_number = coll.key_index("recordNumber", ctx.project.as_deref());
    let mut updated = 0;
    for (key, value, fields) in plan {
        let found = if key == "refId" { by_ref.get(&value) } else { by_number.get(&value) };
        if let Some(&pos) = found {
            coll.update_fields(pos, fields, &user, &now);
            updated += 1;
        }
    }
    // §13 C11: the masters page answers `{updatedCount}`, the reference the upsert shape.
    Ok(match (kind, answer) {
        (Kind::Master, PatchAnswer::Count) => json(StatusCode::OK, &json!({ "updatedCount": updated })),
        _ => json(StatusCode::OK, &json!({ "insertedIds": [], "insertedCount": 0, "updatedCount": updated })),
    })
}

fn delete(shared: &Shared, ctx: &Ctx, kind: Kind, name: &str, q: Option<&str>, body: &[u8]) -> ApiResult<Response> {
    let params = Params::parse(q);
    let mut world = shared.world_mut();
    let World { tenants, .. } = &mut *world;
    tenants[ctx.tenant].collection(kind, name)?;
    let user = acting_user(tenants, ctx.tenant, &params)?;
    let rows = items(body, false)?;
    let keys = rows.iter().enumerate().map(|(i, r)| identifier(r, i)).collect::<ApiResult<Vec<_>>>()?;
    let coll = tenants[ctx.tenant].collection_mut(kind, name)?;
    if kind == Kind::Master
        && let Some(allowed) = &coll.delete_users
        && !allowed.contains(&user)
    {
        // §2.4: a refusal answered 200.
        return Ok(json(StatusCode::OK, &json!({ "success": false, "message": "User doesn't have permission to delete the record" })));
    }
    let by_ref = coll.key_index("refId", ctx.project.as_deref());
    let by_number = coll.key_index("recordNumber", ctx.project.as_deref());
    let positions: BTreeSet<usize> =
        keys.iter().filter_map(|(k, v)| if *k == "refId" { by_ref.get(v) } else { by_number.get(v) }).copied().collect();
    match kind {
        Kind::Master => {
            coll.remove(&positions);
            Ok(json(StatusCode::OK, &json!({ "success": true, "message": "Records deleted successfully" })))
        }
        // §3.4: 404 when nothing matches; the 200 has no documented body, so it has none.
        Kind::Module if positions.is_empty() => Err(ApiError::not_found("No matching record found")),
        Kind::Module => {
            coll.remove(&positions);
            Ok(StatusCode::OK.into_response())
        }
    }
}
