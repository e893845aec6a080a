//! §6A (\[V\] only): job status — `POST /jobstatus` (201 `{id}`), `GET /jobstatus/{projectID}`
//! (`{data, total, page, pageSize}`, newest first; `pageSize` 50 by default, a larger one is
//! capped at 200 and the answer says the size used), `PUT /jobstatus/{id}` (status, duration,
//! completedAt) and `POST /jobstatus/{id}/logs` (one line).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Value, json};

use super::{Params, json, json_body};
use crate::error::{ApiError, ApiResult};
use crate::jobs::{Job, JobCtx, new_job};
use crate::server::{Ctx, Shared};

/// Default and largest page of the job list (REFERENCE.md §10).
pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 200;

pub async fn create(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    let body = json_body(&body)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    let tenant = &mut tenants[ctx.tenant];
    let projects: Vec<String> = tenant.projects.iter().map(|p| p.id.clone()).collect();
    let exists = |p: &str| projects.iter().any(|x| x == p);
    let jctx = JobCtx { tenant_id: &tenant.id, project_header: ctx.project.as_deref(), user: &ctx.user, now: &now, project_exists: &exists };
    let job = new_job(&body, ids.object_id(), &jctx)?;
    let id = job.id.clone();
    tenant.jobs.push(job);
    Ok(json(StatusCode::CREATED, &json!({ "id": id })))
}

pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(project): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let (page, size) = params.paging_capped(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
    let world = s.world();
    let jobs: Vec<&Job> = world.tenants[ctx.tenant].jobs.iter().rev().filter(|j| j.project == project).collect();
    let rows: Vec<&serde_json::Map<String, Value>> = jobs[super::window(page, size, jobs.len())].iter().map(|j| &j.doc).collect();
    Ok(json(StatusCode::OK, &json!({ "data": rows, "total": jobs.len(), "page": page, "pageSize": size })))
}

fn job_mut<'a>(world: &'a mut crate::state::World, ctx: &Ctx, id: &str) -> ApiResult<&'a mut Job> {
    world.tenants[ctx.tenant].jobs.iter_mut().find(|j| j.id == id).ok_or_else(|| ApiError::not_found(format!("Job not found for id: {id}")))
}

pub async fn update(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(id): Path<String>, body: Bytes) -> ApiResult<Response> {
    let body = json_body(&body)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    job_mut(&mut world, &ctx, &id)?.update(&body, &now)?;
    Ok(json(StatusCode::OK, &json!({ "message": "Job updated successfully." })))
}

pub async fn log(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(id): Path<String>, body: Bytes) -> ApiResult<Response> {
    let body = json_body(&body)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    job_mut(&mut world, &ctx, &id)?.append_log(&body, &now)?;
    Ok(json(StatusCode::OK, &json!({ "success": true })))
}
