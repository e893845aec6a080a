//! §5.2 (\[V\] only): the v2 workflow — the list (with its parenthesised filter DSL), one
//! record's history, and five actions (`create`, `submit`, `return`, `reopen`, `revision`)
//! addressed by record and module in the body instead of the v1 path.
//!
//! The docs name the actions but not what each does; the emulator's model (a step is the status
//! it gives the record, as in v1): `create` starts the workflow of a record still at the
//! initial step with no history, applying `actionName`; `submit` applies `actionName` from the
//! current step; `return` goes back to the step before the last one taken; `reopen` takes a
//! record at a final step (no way out) back to the initial step; `revision` starts a new
//! revision at the initial step. `assignee` replaces the responsible users and groups;
//! `comment` is added to `generalComments`. A record is named by its `_id` or `recordNumber`.
//!
//! §13 C10: `spaceName` is required when `x-project-id` is sent (explorer/spec) and optional
//! otherwise (the reference table's "required" is not enforced in tenant scope).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::records::PageBody;
use super::{Params, acting_user, json, json_body, type_name};
use crate::error::{ApiError, ApiResult};
use crate::filter::Expr;
use crate::server::{Ctx, Shared};
use crate::state::{Collection, Kind, Record, Tenant, Workflow};

pub const MAX_PAGE_SIZE: usize = 100;

fn validation(msg: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("VALIDATION_ERROR: {msg}"))
}

/// A row of the v2 list: the record's workflow as the list shows it.
fn row(rec: &Record, wf: &Workflow) -> Map<String, Value> {
    let step = rec.status.clone().unwrap_or_else(|| wf.initial.clone());
    let mut m = Map::new();
    m.insert("recordNumber".into(), json!(rec.record_number));
    m.insert("recordId".into(), json!(rec.oid));
    m.insert("workflowId".into(), json!(rec.workflow_id));
    m.insert("templateName".into(), json!(wf.name));
    m.insert("currentStepName".into(), json!(step));
    m.insert("status".into(), json!(step));
    m.insert("createdBy".into(), json!(&*rec.created_by));
    m.insert("lastUpdatedBy".into(), json!(rec.flow.last_updated_by.as_deref().unwrap_or(&rec.updated_by)));
    m.insert("responsibleUsers".into(), json!(rec.flow.responsible_users));
    m.insert("responsibleGroups".into(), json!(rec.flow.responsible_groups));
    m.insert("revision".into(), json!(rec.flow.revision));
    m.insert("steps".into(), Value::Array(rec.flow.history.clone()));
    m.insert("generalComments".into(), Value::Array(rec.flow.comments.clone()));
    m
}

fn workflow_of(coll: &Collection) -> ApiResult<&Workflow> {
    coll.workflow.as_ref().ok_or_else(|| ApiError::bad_request(format!("{} has no workflow", coll.name)))
}

pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let project = ctx.project.as_deref().ok_or_else(|| ApiError::bad_request("x-project-id header is required"))?;
    let module = params.text("moduleName").ok_or_else(|| ApiError::bad_request("moduleName is required"))?;
    let (page, size) = params.paging_up_to(25, MAX_PAGE_SIZE)?;
    let filter = params.text("filter").map(Expr::parse).transpose().map_err(|e| ApiError::bad_request(format!("Invalid filter: {e}")))?;
    let world = s.world();
    let coll = world.tenants[ctx.tenant].collection(Kind::Module, module)?;
    let wf = workflow_of(coll)?;
    let (number, status) = (params.text("recordNumber"), params.text("status"));
    let user = params.text("responsibleUser").map(str::to_lowercase);
    let group = params.text("responsibleGroup");
    let rows: Vec<Map<String, Value>> = coll
        .records
        .iter()
        .filter(|r| Collection::in_scope(r, Some(project)))
        .map(|r| (r, row(r, wf)))
        .filter(|(r, m)| {
            number.is_none_or(|n| r.record_number.as_deref() == Some(n))
                && status.is_none_or(|st| m["status"] == st)
                && user.as_ref().is_none_or(|u| r.flow.responsible_users.iter().any(|x| x.eq_ignore_ascii_case(u)))
                && group.is_none_or(|g| r.flow.responsible_groups.iter().any(|x| x == g))
                && filter.as_ref().is_none_or(|f| f.matches(&|name| m.get(name).cloned().or_else(|| r.field(name))))
        })
        .map(|(_, m)| m)
        .collect();
    let total = rows.len();
    let rows: Vec<Map<String, Value>> = rows.into_iter().skip((page - 1).saturating_mul(size)).take(size).collect();
    Ok(json(StatusCode::OK, &PageBody::new(rows, total, page, size)))
}

/// A record in scope by `_id` or `recordNumber`.
fn find(coll: &Collection, id: &str, project: Option<&str>) -> Option<usize> {
    coll.find(id, project)
        .or_else(|| coll.records.iter().position(|r| r.record_number.as_deref() == Some(id) && Collection::in_scope(r, project)))
}

pub async fn history(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let number = params.text("recordNumber").ok_or_else(|| ApiError::bad_request("recordNumber is required"))?;
    let module = params.text("moduleName").ok_or_else(|| ApiError::bad_request("moduleName is required"))?;
    let world = s.world();
    let coll = world.tenants[ctx.tenant].collection(Kind::Module, module)?;
    let wf = workflow_of(coll)?;
    let pos = find(coll, number, ctx.project.as_deref()).ok_or_else(|| ApiError::not_found(format!("Record {number} not found in {}.", coll.name)))?;
    let r = &coll.records[pos];
    Ok(json(
        StatusCode::OK,
        &json!({
            "recordNumber": r.record_number,
            "recordId": r.oid,
            "workflowId": r.workflow_id,
            "templateName": wf.name,
            "currentStepName": r.status.clone().unwrap_or_else(|| wf.initial.clone()),
            "history": r.flow.history,
        }),
    ))
}

/// The five actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Create,
    Submit,
    Return,
    Reopen,
    Revision,
}

impl Verb {
    fn parse(s: &str) -> Option<Verb> {
        Some(match s {
            "create" => Verb::Create,
            "submit" => Verb::Submit,
            "return" => Verb::Return,
            "reopen" => Verb::Reopen,
            "revision" => Verb::Revision,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Submit => "submit",
            Verb::Return => "return",
            Verb::Reopen => "reopen",
            Verb::Revision => "revision",
        }
    }
}

fn opt_string(body: &Map<String, Value>, key: &str) -> ApiResult<Option<String>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(validation(format!("{key} must not be empty"))),
        Some(other) => Err(validation(format!("{key} must be a string, got {}", type_name(other)))),
    }
}

fn string_list(v: Option<&Value>, what: &str) -> ApiResult<Vec<String>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().filter(|s| !s.trim().is_empty()).map(str::to_string).ok_or_else(|| validation(format!("{what} must be non-empty strings"))))
            .collect(),
        Some(other) => Err(validation(format!("{what} must be an array, got {}", type_name(other)))),
    }
}

/// `assignee: {users?, groups?}`, checked against the tenant's users and groups.
fn assignee(t: &Tenant, v: &Value) -> ApiResult<(Vec<String>, Vec<String>)> {
    let Value::Object(a) = v else { return Err(validation(format!("assignee must be an object, got {}", type_name(v)))) };
    let users = string_list(a.get("users"), "assignee.users")?;
    let groups = string_list(a.get("groups"), "assignee.groups")?;
    for u in &users {
        if t.user(u).is_none_or(|x| !x.active()) {
            return Err(validation(format!("assignee user {u} not found or active")));
        }
    }
    for g in &groups {
        if !t.groups.contains(g) && !t.projects.iter().any(|p| p.groups.contains(g)) {
            return Err(validation(format!("assignee group {g} not found")));
        }
    }
    Ok((users.iter().map(|u| u.to_lowercase()).collect(), groups))
}

/// `comment: {text, isPrivate?}`.
fn comment(v: &Value) -> ApiResult<(String, bool)> {
    let Value::Object(c) = v else { return Err(validation(format!("comment must be an object, got {}", type_name(v)))) };
    let text = opt_string(c, "text")?.ok_or_else(|| validation("comment.text is required when a comment is given"))?;
    let private = match c.get("isPrivate") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(validation(format!("comment.isPrivate must be true or false, got {}", type_name(other)))),
    };
    Ok((text, private))
}

pub async fn transition(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(verb): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    let verb = Verb::parse(&verb).ok_or_else(|| ApiError::not_found(format!("No route for POST /api/v2/workflow/{verb}")))?;
    let params = Params::parse(q.as_deref());
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let tenants = &mut world.tenants;
    let user = acting_user(tenants, ctx.tenant, &params)?;
    if let Some(p) = &ctx.project {
        let space = params.text("spaceName").ok_or_else(|| ApiError::bad_request("spaceName is required when x-project-id is sent"))?;
        let project = tenants[ctx.tenant].project(p).ok_or_else(|| ApiError::forbidden(format!("Project not found for id: {p}")))?;
        if !project.spaces.iter().any(|s| s == space) {
            return Err(ApiError::bad_request(format!("Space {space} not found in project {p}")));
        }
    }
    let Value::Object(b) = json_body(&body)? else { return Err(validation("body must be an object")) };
    let record_id = opt_string(&b, "recordId")?.ok_or_else(|| validation("recordId is required"))?;
    let module = opt_string(&b, "moduleName")?.ok_or_else(|| validation("moduleName is required"))?.to_uppercase();
    let action = opt_string(&b, "actionName")?;
    if action.is_none() && verb != Verb::Revision {
        return Err(validation("actionName is required"));
    }
    let assign = match b.get("assignee") {
        None | Some(Value::Null) => None,
        Some(_) if verb == Verb::Revision => return Err(validation("assignee is not allowed for revision")),
        Some(v) => Some(assignee(&tenants[ctx.tenant], v)?),
    };
    let note = match b.get("comment") {
        None | Some(Value::Null) => None,
        Some(v) => Some(comment(v)?),
    };
    let coll = tenants[ctx.tenant].collection_mut(Kind::Module, &module)?;
    let wf = workflow_of(coll)?.clone();
    let pos = find(coll, &record_id, ctx.project.as_deref()).ok_or_else(|| ApiError::not_found(format!("Record {record_id} not found in {}.", coll.name)))?;
    let rec = &mut coll.records[pos];
    let current = rec.status.clone().unwrap_or_else(|| wf.initial.clone());
    let step = |action: &str| {
        wf.transitions
            .get(&(current.clone(), action.to_string()))
            .cloned()
            .ok_or_else(|| ApiError::bad_request(format!("Action '{action}' is not valid from step '{current}' for record {record_id}")))
    };
    let act = action.clone().unwrap_or_default();
    let next = match verb {
        Verb::Create if !rec.flow.history.is_empty() || current != wf.initial => {
            return Err(validation(format!("the workflow of record {record_id} has already started (step '{current}')")));
        }
        Verb::Create | Verb::Submit => step(&act)?,
        Verb::Return => match rec.flow.history.last().and_then(|h| h["fromStep"].as_str()) {
            Some(prev) => prev.to_string(),
            None => return Err(validation(format!("record {record_id} has no earlier step to return to"))),
        },
        Verb::Reopen if !wf.is_final(&current) => return Err(validation(format!("record {record_id} is not at a final step (step '{current}')"))),
        Verb::Reopen | Verb::Revision => wf.initial.clone(),
    };
    if verb == Verb::Revision {
        rec.flow.revision += 1;
    }
    if let Some((users, groups)) = assign {
        rec.flow.responsible_users = users;
        rec.flow.responsible_groups = groups;
    }
    let mut entry = json!({ "verb": verb.name(), "action": action, "fromStep": current, "toStep": next, "actedBy": user, "actedAt": now });
    if let Some((text, private)) = note {
        rec.flow.comments.push(json!({ "text": text, "isPrivate": private, "createdBy": user, "createdAt": now }));
        entry["comment"] = json!(text);
    }
    rec.flow.history.push(entry);
    rec.flow.last_updated_by = Some(user.clone());
    rec.status = Some(next.clone());
    rec.updated_by = Arc::from(user.as_str());
    rec.updated_at = now;
    Ok(json(
        StatusCode::CREATED,
        &json!({
            "success": true,
            "recordId": rec.oid,
            "recordNumber": rec.record_number,
            "workflowId": rec.workflow_id,
            "currentStepName": next,
            "status": next,
            "revision": rec.flow.revision,
        }),
    ))
}
