//! Job status records (REFERENCE.md §6A): long jobs reported into the platform — a title, a
//! type, a status, log lines. Stored as the API's job documents.

use serde_json::{Map, Value, json};

use crate::api::type_name;
use crate::error::{ApiError, ApiResult};

/// `jobType` values the docs list.
pub const JOB_TYPES: [&str; 13] =
    ["Summarize", "Spread", "Import", "Export", "Load", "Copy", "Scenario_Creation", "Schedule", "CX", "SSM", "ItemMasterIntegration", "CxStepDates", "Slotting Job"];
/// `status` values the docs list.
pub const STATUSES: [&str; 4] = ["Not Started", "In Progress", "Completed", "Failed"];

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub project: String,
    /// The job document as the list answers it (`_id`, `tenantID`, `projectID`, `jobTitle`,
    /// `jobType`, `status`, `createdBy`, `createdAt`, `updatedAt`, `log`, `meta`, ...).
    pub doc: Map<String, Value>,
}

fn text<'a>(body: &'a Map<String, Value>, keys: &[&str]) -> ApiResult<Option<&'a str>> {
    for k in keys {
        match body.get(*k) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) if !s.trim().is_empty() => return Ok(Some(s)),
            Some(Value::String(_)) => return Err(ApiError::bad_request(format!("{k} must not be empty"))),
            Some(other) => return Err(ApiError::bad_request(format!("{k} must be a string, got {}", type_name(other)))),
        }
    }
    Ok(None)
}

fn one_of(value: &str, allowed: &[&str], what: &str) -> ApiResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("{what} must be one of {}, got '{value}'", allowed.join(", "))))
    }
}

fn number(body: &Map<String, Value>, key: &str) -> ApiResult<Option<Value>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Number(_)) => Ok(Some(v.clone())),
        Some(other) => Err(ApiError::bad_request(format!("{key} must be a number, got {}", type_name(other)))),
    }
}

/// Who is creating a job, and where.
pub struct JobCtx<'a> {
    pub tenant_id: &'a str,
    /// `x-project-id`, the default for `projectID`.
    pub project_header: Option<&'a str>,
    pub user: &'a str,
    pub now: &'a str,
    /// Whether a project id exists in the tenant.
    pub project_exists: &'a dyn Fn(&str) -> bool,
}

/// A job from the body of `POST /jobstatus` (or a dataset seed): `jobTitle` (or `title`) and
/// `jobType` (or `type`, one of [`JOB_TYPES`]) required, `status` one of [`STATUSES`] (default
/// `Not Started`), `projectID` from the body or the `x-project-id` header, `tenantID` (if given)
/// the token's tenant; other fields kept as sent.
pub fn new_job(body: &Value, id: String, ctx: &JobCtx<'_>) -> ApiResult<Job> {
    let Value::Object(body) = body else {
        return Err(ApiError::bad_request(format!("Request body must be a job object, got {}", type_name(body))));
    };
    let title = text(body, &["jobTitle", "title"])?.ok_or_else(|| ApiError::bad_request("jobTitle is required"))?.to_string();
    let job_type = text(body, &["jobType", "type"])?.ok_or_else(|| ApiError::bad_request("jobType is required"))?.to_string();
    one_of(&job_type, &JOB_TYPES, "jobType")?;
    let status = text(body, &["status"])?.unwrap_or("Not Started").to_string();
    one_of(&status, &STATUSES, "status")?;
    if let Some(t) = text(body, &["tenantID", "tenantId"])?
        && t != ctx.tenant_id
    {
        return Err(ApiError::bad_request(format!("tenantID {t} is not the token's tenant")));
    }
    let project = text(body, &["projectID", "projectId"])?.or(ctx.project_header).ok_or_else(|| ApiError::bad_request("projectID is required"))?.to_string();
    if !(ctx.project_exists)(&project) {
        return Err(ApiError::bad_request(format!("Project not found for id: {project}")));
    }
    let log = match body.get("log") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(lines)) => lines.iter().map(|l| log_line(l, ctx.now)).collect::<ApiResult<Vec<Value>>>()?,
        Some(other) => return Err(ApiError::bad_request(format!("log must be an array of log lines, got {}", type_name(other)))),
    };
    let meta = match body.get("meta") {
        None | Some(Value::Null) => json!({}),
        Some(m @ Value::Object(_)) => m.clone(),
        Some(other) => return Err(ApiError::bad_request(format!("meta must be an object, got {}", type_name(other)))),
    };
    let mut doc = Map::new();
    doc.insert("_id".into(), json!(id));
    doc.insert("tenantID".into(), json!(ctx.tenant_id));
    doc.insert("projectID".into(), json!(project));
    doc.insert("jobTitle".into(), json!(title));
    doc.insert("jobType".into(), json!(job_type));
    doc.insert("status".into(), json!(status));
    doc.insert("createdBy".into(), json!(text(body, &["createdBy"])?.unwrap_or(ctx.user)));
    for (k, v) in body {
        if !matches!(k.as_str(), "_id" | "id" | "tenantID" | "tenantId" | "projectID" | "projectId" | "jobTitle" | "title" | "jobType" | "type" | "status" | "createdBy" | "log" | "meta") {
            doc.insert(k.clone(), v.clone());
        }
    }
    doc.insert("log".into(), Value::Array(log));
    doc.insert("meta".into(), meta);
    doc.entry("createdAt").or_insert_with(|| json!(ctx.now));
    doc.insert("updatedAt".into(), json!(ctx.now));
    Ok(Job { id, project, doc })
}

/// A log line `{message (required), level?, duration?, timeStamp?}`; `timeStamp` defaults to now.
pub fn log_line(v: &Value, now: &str) -> ApiResult<Value> {
    let Value::Object(o) = v else {
        return Err(ApiError::bad_request(format!("A log line must be an object {{message, level, duration, timeStamp}}, got {}", type_name(v))));
    };
    let message = text(o, &["message"])?.ok_or_else(|| ApiError::bad_request("message is required"))?;
    let mut line = Map::new();
    line.insert("message".into(), json!(message));
    line.insert("level".into(), json!(text(o, &["level"])?.unwrap_or("info")));
    if let Some(d) = number(o, "duration")? {
        line.insert("duration".into(), d);
    }
    line.insert("timeStamp".into(), json!(text(o, &["timeStamp"])?.unwrap_or(now)));
    Ok(Value::Object(line))
}

impl Job {
    /// `PUT /jobstatus/{id}`: `{status (required), duration?, completedAt?}`.
    pub fn update(&mut self, body: &Value, now: &str) -> ApiResult<()> {
        let Value::Object(o) = body else {
            return Err(ApiError::bad_request(format!("Request body must be an object {{status, duration, completedAt}}, got {}", type_name(body))));
        };
        let status = text(o, &["status"])?.ok_or_else(|| ApiError::bad_request("status is required"))?;
        one_of(status, &STATUSES, "status")?;
        let duration = number(o, "duration")?;
        let completed = text(o, &["completedAt"])?;
        self.doc.insert("status".into(), json!(status));
        if let Some(d) = duration {
            self.doc.insert("duration".into(), d);
        }
        if let Some(c) = completed {
            self.doc.insert("completedAt".into(), json!(c));
        }
        self.doc.insert("updatedAt".into(), json!(now));
        Ok(())
    }

    /// `POST /jobstatus/{id}/logs`: one line.
    pub fn append_log(&mut self, body: &Value, now: &str) -> ApiResult<()> {
        let line = log_line(body, now)?;
        if let Some(Value::Array(log)) = self.doc.get_mut("log") {
            log.push(line);
        } else {
            self.doc.insert("log".into(), Value::Array(vec![line]));
        }
        self.doc.insert("updatedAt".into(), json!(now));
        Ok(())
    }
}
