//! §6A (\[V\] only): hierarchy masters — `GET` (paged rows with `sys_rowID`, `sys_parentRowID`,
//! `sys_path`), `POST` (create, object or array ≤ 1000), `PATCH` (update by `sys_rowID`, no
//! `_id`). There is no `DELETE` (405).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;

use super::changes::items;
use super::records::PageBody;
use super::{Params, json};
use crate::error::ApiResult;
use crate::hierarchy::{HRow, Hierarchy};
use crate::server::{Ctx, Shared};
use crate::state::{World, WriteCtx};

pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let (page, size) = params.paging(25)?;
    let world = s.world();
    let h = world.tenants[ctx.tenant].hierarchy(&name)?;
    let all: Vec<&HRow> = h.rows.iter().filter(|r| Hierarchy::in_scope(r, ctx.project.as_deref())).collect();
    let total = all.len();
    let rows: Vec<&HRow> = all.into_iter().skip((page - 1).saturating_mul(size)).take(size).collect();
    Ok(json(StatusCode::OK, &PageBody::new(rows, total, page, size)))
}

pub async fn create(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, body: Bytes) -> ApiResult<Response> {
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let World { tenants, ids, .. } = &mut *world;
    let tenant_id = tenants[ctx.tenant].id.clone();
    tenants[ctx.tenant].hierarchy(&name)?;
    let rows = items(&body, true)?;
    let wctx = WriteCtx { tenant_id: &tenant_id, project: ctx.project.as_deref(), user: &ctx.user, now };
    let inserted = tenants[ctx.tenant].hierarchy_mut(&name)?.create(ids, &wctx, rows)?;
    Ok(json(StatusCode::CREATED, &json!({ "insertedCount": inserted.len(), "insertedIds": inserted, "updatedCount": 0 })))
}

pub async fn update(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, body: Bytes) -> ApiResult<Response> {
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let World { tenants, .. } = &mut *world;
    let tenant_id = tenants[ctx.tenant].id.clone();
    tenants[ctx.tenant].hierarchy(&name)?;
    let rows = items(&body, true)?;
    let wctx = WriteCtx { tenant_id: &tenant_id, project: ctx.project.as_deref(), user: &ctx.user, now };
    let n = tenants[ctx.tenant].hierarchy_mut(&name)?.update(&wctx, rows)?;
    Ok(json(StatusCode::OK, &json!({ "insertedIds": [], "insertedCount": 0, "updatedCount": n })))
}
