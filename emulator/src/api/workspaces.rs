//! §6A (\[V\] only): workspaces — `POST /workspace` (201), `GET /workspace` (a **bare array**,
//! paged 25 ≤ 1000, `sort` and `filter` as for records over `id`, `name`, `parentId`,
//! `createdAt`, `updatedAt`), `GET /workspace/{id}` and `PATCH /workspace/{id}` (same body as
//! create). No `DELETE` (405).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::records::{compare_values, parse_sort};
use super::{Params, json, json_body};
use crate::error::{ApiError, ApiResult};
use crate::filter::Filter;
use crate::server::{Ctx, Shared};
use crate::state::{FlowState, Record};
use crate::workspaces::{Workspace, parse_input};

/// A workspace as a record, so the records' filter grammar can match it.
fn as_record(w: &Workspace) -> Record {
    let mut custom = Map::new();
    custom.insert("name".into(), json!(w.name));
    custom.insert("parentId".into(), json!(w.parent_id));
    let tenant: Arc<str> = Arc::from("");
    Record {
        oid: w.id.clone(),
        ref_id: w.id.clone(),
        record_number: None,
        tenant_id: tenant.clone(),
        project_id: None,
        status: None,
        workflow_id: None,
        created_by: tenant.clone(),
        created_at: w.created_at.clone(),
        updated_by: tenant,
        updated_at: w.updated_at.clone(),
        custom,
        sub_tables: Default::default(),
        sub_counters: Default::default(),
        flow: FlowState::default(),
    }
}

pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let (page, size) = params.paging(25)?;
    let filter = params.text("filter").map(Filter::parse).transpose().map_err(|e| ApiError::bad_request(format!("Invalid filter: {e}")))?;
    if filter.as_ref().is_some_and(Filter::needs_time_zone) {
        return Err(ApiError::bad_request("Workspace filters do not compare DATE fields"));
    }
    let sort = parse_sort(params.text("sort"))?;
    let world = s.world();
    let mut rows: Vec<(Record, &Workspace)> = world.tenants[ctx.tenant]
        .workspaces
        .items
        .iter()
        .map(|w| (as_record(w), w))
        .filter(|(r, _)| filter.as_ref().is_none_or(|f| f.matches(r, None)))
        .collect();
    if !sort.is_empty() {
        rows.sort_by(|(a, _), (b, _)| {
            for (f, desc) in &sort {
                let o = compare_values(a.field(f).as_ref(), b.field(f).as_ref());
                let o = if *desc { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let window = super::window(page, size, rows.len());
    let page_rows: Vec<&Workspace> = rows[window].iter().map(|(_, w)| *w).collect();
    Ok(json(StatusCode::OK, &page_rows))
}

pub async fn create(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    let (name, parent) = parse_input(&json_body(&body)?)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    let w = tenants[ctx.tenant].workspaces.create(ids.object_id(), name, parent, &now)?;
    Ok(json(StatusCode::CREATED, w))
}

pub async fn get_one(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(id): Path<String>) -> ApiResult<Response> {
    let world = s.world();
    let w = world.tenants[ctx.tenant].workspaces.get(&id).ok_or_else(|| ApiError::not_found(format!("Workspace not found for id: {id}")))?;
    Ok(json(StatusCode::OK, w))
}

pub async fn update(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(id): Path<String>, body: Bytes) -> ApiResult<Response> {
    let input: Value = json_body(&body)?;
    let (name, parent) = parse_input(&input)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let w = world.tenants[ctx.tenant].workspaces.update(&id, name, parent, &now)?;
    Ok(json(StatusCode::OK, w))
}
