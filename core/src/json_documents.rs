//! The JSON operations of documents, workspaces and job status (REFERENCE.md §6A). Files are
//! named by path (or given as text), so every binding reaches them through [`super::call`].

use serde_json::{Value, json};

use super::{bad, opt_str, opt_u32, page_text, req_str, strings, text};
use crate::api::jobs::{JobUpdate, LogLine};
use crate::api::workspaces::WorkspaceListOptions;
use crate::documents::{UploadFile, UploadOptions};
use crate::error::Result;
use crate::Client;

/// One entry of `files`: `{"path", "name"?, "contentType"?}` or `{"name", "text",
/// "contentType"?}`.
fn upload_file(v: &Value, i: usize) -> Result<UploadFile> {
    let what = format!("files[{i}]");
    if !v.is_object() {
        return Err(bad(&what, "must be an object {path} or {name, text}"));
    }
    let name = opt_str(v, "name")?;
    let file = match (opt_str(v, "path")?, opt_str(v, "text")?) {
        (Some(p), None) => {
            let f = UploadFile::path(p);
            match name {
                Some(n) => f.name(n),
                None => f,
            }
        }
        (None, Some(t)) => UploadFile::bytes(name.ok_or_else(|| bad(&format!("{what}.name"), "is required with text"))?, t.as_bytes().to_vec()),
        (Some(_), Some(_)) => return Err(bad(&what, "has both path and text; give one")),
        (None, None) => return Err(bad(&what, "needs path (a file to send) or text (with name)")),
    };
    Ok(match opt_str(v, "contentType")? {
        Some(ct) => file.content_type(ct),
        None => file,
    })
}

fn upload_options(a: &Value) -> Result<UploadOptions> {
    let s = |k| opt_str(a, k).map(|o| o.map(str::to_string));
    Ok(UploadOptions {
        module: s("module")?,
        record_id: s("recordId")?,
        meta: match a.get("meta") {
            None | Some(Value::Null) => None,
            Some(m @ Value::Object(_)) => Some(m.clone()),
            Some(_) => return Err(bad("meta", "must be a JSON object")),
        },
        linked_ref_id: s("linkedRefId")?,
        group_id: s("groupId")?,
        folder_id: s("folderId")?,
        parent_id: s("parentId")?,
        scope: match a.get("scope") {
            None | Some(Value::Null) => None,
            Some(_) => Some(strings(a, "scope")?),
        },
    })
}

fn files(a: &Value) -> Result<Vec<UploadFile>> {
    match a.get("files") {
        Some(Value::Array(items)) => items.iter().enumerate().map(|(i, v)| upload_file(v, i)).collect(),
        None | Some(Value::Null) => Err(bad("files", "is required (a list of {path} or {name, text})")),
        Some(_) => Err(bad("files", "must be an array")),
    }
}

fn job_update(a: &Value) -> Result<JobUpdate> {
    let duration = match a.get("duration") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| bad("duration", "must be a whole number of milliseconds ≥ 0"))?),
    };
    Ok(JobUpdate { status: req_str(a, "status")?.to_string(), duration, completed_at: opt_str(a, "completedAt")?.map(str::to_string) })
}

fn log_line(a: &Value) -> Result<LogLine> {
    let duration = match a.get("duration") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| bad("duration", "must be a whole number of milliseconds ≥ 0"))?),
    };
    Ok(LogLine {
        message: req_str(a, "message")?.to_string(),
        level: opt_str(a, "level")?.map(str::to_string),
        duration,
        time_stamp: opt_str(a, "timeStamp")?.map(str::to_string),
    })
}

/// `documents.upload` with the files built by the caller (a binding's bytes or stream readers)
/// instead of the `files` argument; the other arguments (`module`, `recordId`, `meta`, ...)
/// as for [`super::call`]. Answers the same JSON text (the per-file report), or the same error.
pub async fn upload_files(client: &Client, files: Vec<UploadFile>, args: &Value) -> Result<String> {
    text(&client.documents().upload(files, &upload_options(args)?).await?)
}

/// Runs a documents, workspaces or jobs operation; `None` when `op` is not one.
pub(super) async fn call(client: &Client, op: &str, a: &Value) -> Option<Result<String>> {
    let docs = || client.documents();
    Some(match op {
        "documents.upload" => async { text(&docs().upload(files(a)?, &upload_options(a)?).await?) }.await,
        "documents.download" => async { text(&docs().download_to(req_str(a, "id")?, opt_str(a, "version")?, req_str(a, "path")?).await?) }.await,
        "documents.downloadAll" => async { text(&docs().download_all_to(req_str(a, "recordId")?, req_str(a, "module")?, req_str(a, "path")?).await?) }.await,
        "workspaces.create" => async { text(&client.workspaces().create(req_str(a, "name")?, opt_str(a, "parentId")?).await?) }.await,
        "workspaces.list" => async {
            let opts = WorkspaceListOptions {
                page: opt_u32(a, "page")?,
                page_size: opt_u32(a, "pageSize")?,
                filter: opt_str(a, "filter")?.map(str::to_string),
                sort: opt_str(a, "sort")?.map(str::to_string),
            };
            page_text(&client.workspaces().list(&opts).await?)
        }
        .await,
        "workspaces.get" => async { text(&client.workspaces().get(req_str(a, "id")?).await?) }.await,
        "workspaces.update" => async { text(&client.workspaces().update(req_str(a, "id")?, req_str(a, "name")?, opt_str(a, "parentId")?).await?) }.await,
        "jobs.create" => async { text(&json!({ "id": client.jobs().create(a.get("job").unwrap_or(&Value::Null)).await? })) }.await,
        "jobs.start" => async { text(&json!({ "id": client.jobs().start(req_str(a, "title")?, req_str(a, "type")?).await?.id() })) }.await,
        "jobs.list" => async {
            let project = match opt_str(a, "projectId")? {
                Some(p) => p.to_string(),
                None => client.project_id().map(str::to_string).ok_or_else(|| bad("projectId", "is required (or set the client's projectId)"))?,
            };
            let (page, size) = (opt_u32(a, "page")?.unwrap_or(1), opt_u32(a, "pageSize")?.unwrap_or(crate::DEFAULT_JOB_PAGE_SIZE));
            page_text(&client.jobs().list(&project, page, size).await?)
        }
        .await,
        "jobs.update" => async { client.jobs().update(req_str(a, "id")?, &job_update(a)?).await.and_then(|_| text(&json!({}))) }.await,
        "jobs.log" => async { client.jobs().log(req_str(a, "id")?, &log_line(a)?).await.and_then(|_| text(&json!({}))) }.await,
        "jobs.fail" => async {
            let id = req_str(a, "id")?;
            client.jobs().job(id).fail(opt_str(a, "message")?.unwrap_or("")).await.and_then(|_| text(&json!({})))
        }
        .await,
        _ => return None,
    })
}
