//! §6.1–6.8: user access.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::{Params, json, json_body, string_list, type_name};
use crate::dataset::ProjectAccessSeed;
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, Shared, UserListShape};
use crate::state::{Tenant, User};

pub const MAX_USERNAMES: usize = 1000;
pub const MAX_PROJECTS_OR_GROUPS: usize = 100;

fn strings(v: Option<&Value>, field: &str, required: bool) -> ApiResult<Vec<String>> {
    match v {
        None | Some(Value::Null) if !required => Ok(Vec::new()),
        None | Some(Value::Null) => Err(ApiError::bad_request(format!("{field} is required"))),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(|| ApiError::bad_request(format!("{field} must be an array of strings"))))
            .collect(),
        Some(other) => Err(ApiError::bad_request(format!("{field} must be an array, got {}", type_name(other)))),
    }
}

fn limit(list: &[impl Sized], what: &str) -> ApiResult<()> {
    if list.len() > MAX_PROJECTS_OR_GROUPS {
        return Err(ApiError::bad_request(format!("{what} length must not exceed {MAX_PROJECTS_OR_GROUPS}")));
    }
    Ok(())
}

fn object(body: &[u8]) -> ApiResult<Map<String, Value>> {
    match json_body(body)? {
        Value::Object(m) => Ok(m),
        other => Err(ApiError::bad_request(format!("Request body must be an object, got {}", type_name(&other)))),
    }
}

fn username_of(body: &Map<String, Value>) -> ApiResult<String> {
    match body.get("username") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_lowercase()),
        None | Some(Value::Null) => Err(ApiError::bad_request("Username is mandatory")),
        Some(Value::String(_)) => Err(ApiError::bad_request("Username must not be empty")),
        Some(other) => Err(ApiError::bad_request(format!("username must be a string, got {}", type_name(other)))),
    }
}

fn check_groups(t: &Tenant, groups: &[String]) -> ApiResult<()> {
    for g in groups {
        let known = t.groups.contains(g) || t.projects.iter().any(|p| p.groups.contains(g));
        if !known {
            return Err(ApiError::bad_request(format!("Group {g} not found")));
        }
    }
    Ok(())
}

/// `POST /user/user-access`. Accepts the \[G\] body `{user:{...}, projects:[{projectId, groups,
/// spaces}], groups}` and the \[V\] body `{username, projects:[ids], groups}` (§13 C30).
pub async fn grant(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    let body = object(&body)?;
    let mut world = s.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    let tenant = &mut tenants[ctx.tenant];

    let profile: Option<Map<String, Value>> = match body.get("user") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(other) => return Err(ApiError::bad_request(format!("user must be an object, got {}", type_name(other)))),
    };
    let username = match &profile {
        Some(p) => {
            let u = p.get("userName").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            let u = u.ok_or_else(|| ApiError::bad_request("user.userName is required"))?.to_lowercase();
            if let Some(email) = p.get("email").and_then(Value::as_str)
                && !email.trim().eq_ignore_ascii_case(&u) {
                    return Err(ApiError::bad_request("E-mail address and user name must be the same"));
                }
            u
        }
        None => username_of(&body)?,
    };

    let raw_projects = match body.get("projects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(other) => return Err(ApiError::bad_request(format!("projects must be an array, got {}", type_name(other)))),
    };
    limit(&raw_projects, "Projects")?;
    let groups = strings(body.get("groups"), "groups", false)?;
    limit(&groups, "Groups")?;
    check_groups(tenant, &groups)?;

    let mut access = Vec::new();
    for (i, p) in raw_projects.iter().enumerate() {
        let a = match p {
            Value::String(id) => ProjectAccessSeed { project_id: id.clone(), groups: vec![], spaces: vec![] },
            Value::Object(m) => {
                let id = m.get("projectId").or_else(|| m.get("projectID")).and_then(Value::as_str);
                let id = id.ok_or_else(|| ApiError::bad_request(format!("projects[{i}].projectId is required")))?;
                ProjectAccessSeed {
                    project_id: id.to_string(),
                    groups: strings(m.get("groups"), &format!("projects[{i}].groups"), false)?,
                    spaces: strings(m.get("spaces"), &format!("projects[{i}].spaces"), false)?,
                }
            }
            other => return Err(ApiError::bad_request(format!("projects[{i}] must be a project id or an object, got {}", type_name(other)))),
        };
        let project = tenant.project(&a.project_id).ok_or_else(|| ApiError::bad_request(format!("Project not found for id: {}", a.project_id)))?;
        limit(&a.groups, "Groups")?;
        if let Some(g) = a.groups.iter().find(|g| !project.groups.contains(g)) {
            return Err(ApiError::bad_request(format!("Group {g} not found in project {}", a.project_id)));
        }
        if let Some(sp) = a.spaces.iter().find(|sp| !project.spaces.contains(sp)) {
            return Err(ApiError::bad_request(format!("Space {sp} not found in project {}", a.project_id)));
        }
        access.push(a);
    }

    let (inserted, user) = match tenant.user_mut(&username) {
        Some(u) => (false, u),
        None => {
            let Some(mut p) = profile.clone() else {
                return Err(ApiError::bad_request(format!("User {username} not found; send the user's profile to create it")));
            };
            p.insert("userName".into(), Value::String(username.clone()));
            p.entry("status").or_insert(Value::from(1));
            tenant.users.push(User { oid: ids.object_id(), profile: p, groups: vec![], projects: vec![] });
            (true, tenant.users.last_mut().expect("just pushed"))
        }
    };
    if let (false, Some(p)) = (inserted, profile) {
        for (k, v) in p {
            if k != "userName" {
                user.profile.insert(k, v);
            }
        }
    }
    for g in groups {
        if !user.groups.contains(&g) {
            user.groups.push(g);
        }
    }
    for a in access {
        match user.projects.iter_mut().find(|x| x.project_id == a.project_id) {
            Some(existing) => {
                for g in a.groups {
                    if !existing.groups.contains(&g) {
                        existing.groups.push(g);
                    }
                }
                for sp in a.spaces {
                    if !existing.spaces.contains(&sp) {
                        existing.spaces.push(sp);
                    }
                }
            }
            None => user.projects.push(a),
        }
    }
    let ids: Vec<String> = if inserted { vec![user.oid.clone()] } else { vec![] };
    Ok(json(StatusCode::OK, &json!({ "insertedIds": ids, "insertedCount": usize::from(inserted), "updatedCount": usize::from(!inserted) })))
}

/// `GET /user/user-access`.
pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let (page, size) = params.paging(1000)?;
    let shape = s.settings().user_list_shape;
    let world = s.world();
    let all = &world.tenants[ctx.tenant].users;
    let users: Vec<Value> = all[super::window(page, size, all.len())].iter().map(User::to_json).collect();
    Ok(match shape {
        UserListShape::Nested => json(StatusCode::OK, &json!([users])),
        UserListShape::Flat => json(StatusCode::OK, &users),
    })
}

/// `GET /user/user-access/by-user?username=`.
pub async fn by_user(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let name = params.text("username").ok_or_else(|| ApiError::bad_request("Username is mandatory"))?;
    let world = s.world();
    let user = world.tenants[ctx.tenant].user(name).ok_or_else(|| ApiError::not_found(format!("User {} not found.", name.to_lowercase())))?;
    Ok(json(StatusCode::OK, &user.to_json()))
}

/// `GET /user/groups` — `onlyProjectGroups` (\[G\]) or `onlyProjectsGroups` (\[V\]), §13 C31.
pub async fn groups(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let only_projects = params.flag(&["onlyProjectGroups", "onlyProjectsGroups"])?;
    let (page, size) = params.paging(100)?;
    let world = s.world();
    let t = &world.tenants[ctx.tenant];
    let window = |n: usize| super::window(page, size, n);
    let projects: Vec<Value> = t
        .projects
        .get(window(t.projects.len()))
        .unwrap_or_default()
        .iter()
        .map(|p| json!({ "projectID": p.id, "groups": p.groups, "spaces": p.spaces }))
        .collect();
    let groups: &[String] = if only_projects { &[] } else { t.groups.get(window(t.groups.len())).unwrap_or_default() };
    Ok(json(StatusCode::OK, &json!([{ "projects": projects, "groups": groups }])))
}

fn set_status(s: &Shared, ctx: &Ctx, body: &[u8], active: bool) -> ApiResult<Response> {
    let names = string_list(body, MAX_USERNAMES, "usernames")?;
    let mut world = s.world_mut();
    let t = &mut world.tenants[ctx.tenant];
    let (mut matched, mut modified) = (0, 0);
    for n in &names {
        if let Some(u) = t.user_mut(n) {
            matched += 1;
            if u.active() != active {
                modified += 1;
                u.profile.insert("status".into(), Value::from(i64::from(active)));
            }
        }
    }
    Ok(json(
        StatusCode::OK,
        &json!({
            "ok": 1, "writeErrors": [], "writeConcernErrors": [], "insertedIds": [],
            "nInserted": 0, "nUpserted": 0, "nMatched": matched, "nModified": modified, "nRemoved": 0,
            "upserted": [], "opTime": { "ts": { "$timestamp": "7475881738263068673" }, "t": 1456 }
        }),
    ))
}

pub async fn activate(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    set_status(&s, &ctx, &body, true)
}
pub async fn deactivate(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    set_status(&s, &ctx, &body, false)
}

/// `DELETE /user/user-access`: removes the user from the projects, and from the groups both at
/// tenant level and inside any project.
pub async fn remove_access(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    let body = object(&body)?;
    let username = username_of(&body)?;
    let projects = strings(body.get("projects"), "projects", true)?;
    limit(&projects, "Projects")?;
    let groups = strings(body.get("groups"), "groups", false)?;
    limit(&groups, "Groups")?;
    let mut world = s.world_mut();
    let user = world.tenants[ctx.tenant].user_mut(&username).ok_or_else(|| ApiError::not_found(format!("User {username} not found.")))?;
    user.projects.retain(|p| !projects.contains(&p.project_id));
    user.groups.retain(|g| !groups.contains(g));
    for p in &mut user.projects {
        p.groups.retain(|g| !groups.contains(g));
    }
    Ok(json(StatusCode::OK, &json!({ "status": "success" })))
}

/// `DELETE /user/project-access`.
pub async fn remove_project_access(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, body: Bytes) -> ApiResult<Response> {
    let body = object(&body)?;
    let username = username_of(&body)?;
    let project_ids = strings(body.get("projectIds"), "projectIds", true)?;
    limit(&project_ids, "Projects")?;
    let mut world = s.world_mut();
    let user = world.tenants[ctx.tenant].user_mut(&username).ok_or_else(|| ApiError::not_found(format!("User {username} not found.")))?;
    user.projects.retain(|p| !project_ids.contains(&p.project_id));
    Ok(json(StatusCode::OK, &json!({ "status": "success" })))
}
