//! §5.1: apply a workflow action to up to 100 records.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;

use super::{Params, acting_user, json, string_list};
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, Shared};
use crate::state::Kind;

pub const MAX_IDS: usize = 100;

pub async fn act(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(module): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let tenants = &mut world.tenants;
    tenants[ctx.tenant].collection(Kind::Module, &module)?;
    let action = params.text("actionName").ok_or_else(|| ApiError::bad_request("actionName is required"))?.to_string();
    let user = acting_user(tenants, ctx.tenant, &params)?;
    let space = params.text("spaceName");
    if let Some(p) = &ctx.project {
        let space = space.ok_or_else(|| ApiError::bad_request("spaceName is required when x-project-id is sent"))?;
        let project = tenants[ctx.tenant].project(p).ok_or_else(|| ApiError::forbidden(format!("Project not found for id: {p}")))?;
        if !project.spaces.iter().any(|s| s == space) {
            return Err(ApiError::bad_request(format!("Space {space} not found in project {p}")));
        }
    }
    let ids = string_list(&body, MAX_IDS, "records")?;
    let coll = tenants[ctx.tenant].collection_mut(Kind::Module, &module)?;
    let wf = coll.workflow.clone().ok_or_else(|| ApiError::bad_request(format!("{} has no workflow", coll.name)))?;

    // Check every record first (in order, as if applied one by one), then apply all: a request
    // either moves every record or none.
    let mut pending: HashMap<usize, String> = HashMap::new();
    let mut plan = Vec::with_capacity(ids.len());
    for id in &ids {
        let pos = coll
            .find(id, ctx.project.as_deref())
            .ok_or_else(|| ApiError::bad_request(format!("Record {id} not found in {}.", coll.name)))?;
        let current = pending.get(&pos).cloned().or_else(|| coll.records[pos].status.clone()).unwrap_or_else(|| wf.initial.clone());
        let next = wf.transitions.get(&(current.clone(), action.clone())).ok_or_else(|| {
            ApiError::bad_request(format!("Action '{action}' is not valid from step '{current}' for record {id}"))
        })?;
        pending.insert(pos, next.clone());
        plan.push(pos);
    }
    let mut out = Vec::with_capacity(plan.len());
    for pos in plan {
        let rec = &mut coll.records[pos];
        let from = rec.status.clone().unwrap_or_else(|| wf.initial.clone());
        rec.status = pending.get(&pos).cloned();
        // The v2 history shows v1 actions too.
        rec.flow.history.push(json!({ "verb": "act", "action": action, "fromStep": from, "toStep": rec.status, "actedBy": user, "actedAt": now }));
        rec.flow.last_updated_by = Some(user.clone());
        rec.updated_by = Arc::from(user.as_str());
        rec.updated_at = now.clone();
        out.push(json!({ "workflowId": rec.workflow_id, "recordId": rec.oid }));
    }
    Ok(json(StatusCode::CREATED, &out))
}
