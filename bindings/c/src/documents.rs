//! The C functions of documents (upload and download files), workspaces and job status
//! (REFERENCE.md §6A). Same conventions as every other function (see the header's preamble);
//! each is one operation of `exto360::json`. Files are named by path: the core streams them
//! from disk, and a download appears at its path only when complete.

use std::ffi::c_char;

use exto360_c_common::{Fail, json_arg, opt_text, req_json, text};
use serde_json::{Value, json};

use super::{exto360_client, exto360_error, exto360_status, guard, run, with};

/// Runs an operation whose answer carries nothing (`{}`): no `out_json` to free.
fn run_quiet(client: *const exto360_client, op: &str, args: Value) -> Result<(), Fail> {
    let mut out: *mut c_char = std::ptr::null_mut();
    let r = run(client, op, args, &mut out);
    // SAFETY: `out` is NULL or a string this library just made.
    unsafe { super::exto360_string_free(out) };
    r
}

/// Adds `key: value` to `args` when `value` is not NULL.
fn put_opt(args: &mut Value, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        args[key] = json!(v);
    }
}

/// Uploads files (any number; sent 100 per request, each streamed from disk). The client needs a
/// tenant id and a project id.
/// @param files_json a JSON array of `{"path", "name"?, "contentType"?}` (or `{"name", "text"}`).
/// @param args_json `{"module", "recordId", "meta" (object), "linkedRefId", "groupId", "folderId",
///   "parentId", "scope" (array)}` (any subset; NULL = none).
/// @param out_json receives, when every file was uploaded, `{"uploadedCount", "failedCount",
///   "unknownCount", "files": [{"index", "fileName", "state", "document", "message"}]}`; free it
///   with exto360_string_free(). Otherwise the call fails (a partial upload: EXTO360_BAD_REQUEST,
///   HTTP 200, summary "errors.error_partial_upload") and exto360_error_details_json() has `bulk`
///   and `upload` (the same per-file report, states uploaded/failed/unknown).
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_documents_upload(client: *const exto360_client, files_json: *const c_char, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let files = req_json(files_json, "files_json")?;
        let args = with(json_arg(args_json, "args_json", json!({}))?, json!({ "files": files }))?;
        run(client, "documents.upload", args, out_json)
    })
}

/// Downloads document `id` to `path`: written to a temporary file beside it and renamed only
/// when complete; on failure nothing is left (an existing file at `path` is kept).
/// @param version "v1", "v2", ... or NULL for the current version.
/// @param out_json receives `{"path", "bytes", "fileName", "contentType"}`; free it with
///   exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_documents_download(client: *const exto360_client, id: *const c_char, version: *const c_char, path: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let mut args = json!({ "id": text(id, "id")?, "path": text(path, "path")? });
        put_opt(&mut args, "version", opt_text(version, "version")?);
        run(client, "documents.download", args, out_json)
    })
}

/// Downloads a zip of every attachment of record `record_id` (of `module`) to `path`, like
/// exto360_documents_download.
/// @param out_json receives `{"path", "bytes", "fileName", "contentType"}`; free it with
///   exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_documents_download_all(client: *const exto360_client, record_id: *const c_char, module: *const c_char, path: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let args = json!({ "recordId": text(record_id, "record_id")?, "module": text(module, "module")?, "path": text(path, "path")? });
        run(client, "documents.downloadAll", args, out_json)
    })
}

/// Creates a workspace (under `parent_id`, or NULL for none).
/// @param out_json receives `{"id", "name", "parentId", "createdAt", "updatedAt"}`; free it with
///   exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workspaces_create(client: *const exto360_client, name: *const c_char, parent_id: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let mut args = json!({ "name": text(name, "name")? });
        put_opt(&mut args, "parentId", opt_text(parent_id, "parent_id")?);
        run(client, "workspaces.create", args, out_json)
    })
}

/// One page of workspaces.
/// @param args_json `{"page", "pageSize" (≤ 1000, default 25), "filter", "sort"}` (any subset; NULL = first page).
/// @param out_json receives `{"rows", "total": null, "page", "pageSize", "totalPages": null}`
///   (the API answers a bare array); free it with exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workspaces_list(client: *const exto360_client, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "workspaces.list", json_arg(args_json, "args_json", json!({}))?, out_json))
}

/// One workspace.
/// @param out_json receives the workspace; free it with exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workspaces_get(client: *const exto360_client, id: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "workspaces.get", json!({ "id": text(id, "id")? }), out_json))
}

/// Renames a workspace (and moves it under `parent_id`, when not NULL).
/// @param out_json receives the workspace; free it with exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workspaces_update(client: *const exto360_client, id: *const c_char, name: *const c_char, parent_id: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let mut args = json!({ "id": text(id, "id")?, "name": text(name, "name")? });
        put_opt(&mut args, "parentId", opt_text(parent_id, "parent_id")?);
        run(client, "workspaces.update", args, out_json)
    })
}

/// Creates a job of the client's project (or `projectID` in the job).
/// @param job_json `{"jobTitle", "jobType", "status"?, "createdBy"?, "log"?, "meta"?, ...}`.
/// @param out_json receives `{"id"}`; free it with exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_create(client: *const exto360_client, job_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "jobs.create", json!({ "job": req_json(job_json, "job_json")? }), out_json))
}

/// Starts a job: creates it "In Progress". Report its end with exto360_jobs_update (status
/// "Completed", and the duration) or exto360_jobs_fail.
/// @param job_type one of the documented job types ("Import", "Export", "Load", ...).
/// @param out_json receives `{"id"}`; free it with exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_start(client: *const exto360_client, title: *const c_char, job_type: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "jobs.start", json!({ "title": text(title, "title")?, "type": text(job_type, "job_type")? }), out_json))
}

/// One page of jobs.
/// @param args_json `{"projectId" (default: the client's), "page", "pageSize" (≤ 200, default 50)}`; NULL = first page.
/// @param out_json receives `{"rows", "total", "page", "pageSize", "totalPages"}`; free it with
///   exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_list(client: *const exto360_client, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "jobs.list", json_arg(args_json, "args_json", json!({}))?, out_json))
}

/// Sets a job's status ("Not Started", "In Progress", "Completed", "Failed").
/// @param args_json `{"duration" (ms), "completedAt"}` (any subset) or NULL.
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_update(client: *const exto360_client, id: *const c_char, status: *const c_char, args_json: *const c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let args = with(json_arg(args_json, "args_json", json!({}))?, json!({ "id": text(id, "id")?, "status": text(status, "status")? }))?;
        run_quiet(client, "jobs.update", args)
    })
}

/// Appends one log line to a job.
/// @param level "info", "error", ... or NULL (the server's default, "info").
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_log(client: *const exto360_client, id: *const c_char, message: *const c_char, level: *const c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let mut args = json!({ "id": text(id, "id")?, "message": text(message, "message")? });
        put_opt(&mut args, "level", opt_text(level, "level")?);
        run_quiet(client, "jobs.log", args)
    })
}

/// Marks a job Failed: logs `message` (NULL: none) at level "error", then sets the status.
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_jobs_fail(client: *const exto360_client, id: *const c_char, message: *const c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let mut args = json!({ "id": text(id, "id")? });
        put_opt(&mut args, "message", opt_text(message, "message")?);
        run_quiet(client, "jobs.fail", args)
    })
}
