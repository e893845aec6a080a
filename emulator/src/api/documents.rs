//! §6A (\[V\] only): documents — `POST /documents` (multipart upload of 1..100 files, each at
//! most `maxFileBytes`; a file over it fails alone and the answer is still 200 with `errors`),
//! `GET /documents/download/{id}` (one file, any version) and `GET
//! /documents/download/all/{recordId}?module=` (a zip of a record's attachments). All three
//! need `x-tenant-id` and `x-project-id`.
//!
//! The upload body is not buffered by the pipeline: it is read here part by part, each file
//! kept as the chunks it arrived in, and the journal gets a summary of it (fields, and each
//! file's name, content type and size) instead of the bytes.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use super::{Params, json};
use crate::documents::{Document, Version};
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, JournalSeq, Shared};

/// Files per request (REFERENCE.md §6A).
pub const MAX_FILES: usize = 100;
/// A text field longer than this is refused (the docs give no limit; the emulator's choice).
const MAX_FIELD_BYTES: usize = 1 << 20;
/// The text fields the endpoint reads; others are ignored.
const FIELDS: [&str; 8] = ["module", "ID", "meta", "linkedRefID", "groupID", "folderID", "parentID", "scope"];

/// Per-file message when a file is over the size limit (the docs name no message; the
/// emulator's choice, in the style of the documented ones).
pub const FILE_TOO_LARGE: &str = "errors.error_file_too_large";
/// The answer's `message` when some files failed (documented).
pub const PARTIAL: &str = "errors.error_partial_upload";

fn scope_headers(headers: &HeaderMap) -> ApiResult<String> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    get("x-tenant-id").ok_or_else(|| ApiError::bad_request("x-tenant-id header is required"))?;
    get("x-project-id").ok_or_else(|| ApiError::bad_request("x-project-id header is required"))
}

/// A file part as it arrived.
struct Incoming {
    file_name: String,
    content_type: String,
    size: u64,
    chunks: Vec<Bytes>,
    too_large: bool,
}

/// Everything the multipart body held, read to its end.
#[derive(Default)]
struct Form {
    fields: BTreeMap<String, String>,
    files: Vec<Incoming>,
    /// Files beyond [`MAX_FILES`] (read and dropped).
    extra_files: usize,
    /// The first problem that makes the request a 400 (the body is still read to its end).
    problem: Option<ApiError>,
}

fn malformed(e: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
}

/// Reads one part to its end: its bytes are kept while `keep` and within `max` (returns the
/// size and whether it went over `max`).
async fn read_part(field: &mut axum::extract::multipart::Field<'_>, keep: bool, max: u64, out: &mut Vec<Bytes>) -> Result<(u64, bool), ApiError> {
    let (mut size, mut over) = (0u64, false);
    while let Some(c) = field.chunk().await.map_err(malformed)? {
        size += c.len() as u64;
        if size > max {
            over = true;
            out.clear();
        } else if keep {
            out.push(c);
        }
    }
    Ok((size, over))
}

async fn read_form(mut mp: Multipart, max_file: u64) -> Form {
    let mut form = Form::default();
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                form.problem.get_or_insert(malformed(e));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some() || name == "files";
        let file_name = field.file_name().unwrap_or_default().to_string();
        let content_type = field.content_type().unwrap_or("application/octet-stream").to_string();
        let keep = if is_file { name == "files" && form.files.len() < MAX_FILES } else { FIELDS.contains(&name.as_str()) };
        let max = if is_file { max_file } else { MAX_FIELD_BYTES as u64 };
        let mut chunks = Vec::new();
        let (size, over) = match read_part(&mut field, keep, max, &mut chunks).await {
            Ok(r) => r,
            Err(e) => {
                form.problem.get_or_insert(e);
                return form;
            }
        };
        if !is_file {
            if over {
                form.problem.get_or_insert(ApiError::bad_request(format!("Field '{name}' is longer than {MAX_FIELD_BYTES} bytes")));
            } else if keep {
                let text: Vec<u8> = chunks.concat();
                form.fields.insert(name, String::from_utf8_lossy(&text).into_owned());
            }
        } else if name != "files" {
            form.problem.get_or_insert(ApiError::bad_request(format!("Unexpected file field '{name}': files go in the field 'files'")));
        } else if !keep {
            form.extra_files += 1;
        } else {
            form.files.push(Incoming { file_name, content_type, size, chunks, too_large: over });
        }
    }
    form
}

/// What the journal shows of an upload: its fields, and each file's name, type and size.
fn summary(form: &Form) -> Value {
    let files: Vec<Value> = form.files.iter().map(|f| json!({ "fileName": f.file_name, "contentType": f.content_type, "size": f.size })).collect();
    let mut s = json!({ "fields": form.fields, "files": files });
    if form.extra_files > 0 {
        s["extraFiles"] = json!(form.extra_files);
    }
    s
}

/// Reads what is left of a body that will not be used, so the client can finish sending it
/// and read the answer.
pub async fn drain(body: Body) {
    let mut s = body.into_data_stream();
    while let Some(Ok(_)) = s.next().await {}
}

fn field<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.fields.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The attachment fields of an upload, checked: `(module, ID, meta, {linkedRefID, groupID,
/// folderID, scope}, parentID)`.
type Attach = (Option<String>, Option<String>, Value, Map<String, Value>, Option<String>);

fn attachment(form: &Form) -> ApiResult<Attach> {
    let module = field(form, "module").map(str::to_string);
    let record = field(form, "ID").map(str::to_string);
    if module.is_some() && record.is_none() {
        return Err(ApiError::bad_request("ID is required when module is given"));
    }
    let meta = match field(form, "meta") {
        None => json!({}),
        Some(m) => match serde_json::from_str::<Value>(m) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(ApiError::bad_request("meta must be a JSON object (sent as a string)")),
        },
    };
    let mut extra = Map::new();
    for k in ["linkedRefID", "groupID", "folderID"] {
        if let Some(v) = field(form, k) {
            extra.insert(k.into(), json!(v));
        }
    }
    if let Some(sc) = field(form, "scope") {
        match serde_json::from_str::<Value>(sc) {
            Ok(v @ Value::Array(_)) => {
                extra.insert("scope".into(), v);
            }
            _ => return Err(ApiError::bad_request("scope must be a JSON array (sent as a string), e.g. [\"PROJECT\"]")),
        }
    }
    Ok((module, record, meta, extra, field(form, "parentID").map(str::to_string)))
}

pub async fn upload(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Extension(seq): Extension<JournalSeq>, req: Request) -> ApiResult<Response> {
    let headers = req.headers().clone();
    let is_multipart = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        drain(req.into_body()).await;
        return Err(ApiError::bad_request("Content-Type must be multipart/form-data"));
    }
    let mp = Multipart::from_request(req, &()).await.map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text())))?;
    let form = read_form(mp, s.settings().max_file_bytes).await;
    s.journal().set_body(seq.0, Bytes::from(summary(&form).to_string()));

    let project = scope_headers(&headers)?;
    if let Some(p) = form.problem {
        return Err(p);
    }
    let n = form.files.len() + form.extra_files;
    if n == 0 {
        return Err(ApiError::bad_request("At least one file is required (field 'files')"));
    }
    if n > MAX_FILES {
        return Err(ApiError::bad_request(format!("Maximum {MAX_FILES} files allowed but received {n}")));
    }
    let (module, record, meta, extra, parent) = attachment(&form)?;

    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    let tenant = &mut tenants[ctx.tenant];
    if let Some(p) = &parent
        && tenant.documents.get(p, &project).is_none()
    {
        return Err(ApiError::not_found("errors.error_document_not_found"));
    }
    let (mut data, mut errors) = (Vec::new(), Vec::new());
    for f in form.files {
        if f.too_large {
            errors.push(json!({ "fileName": f.file_name, "message": FILE_TOO_LARGE }));
            continue;
        }
        let version = |n: usize| Version { name: format!("v{n}"), file_name: f.file_name.clone(), content_type: f.content_type.clone(), size: f.size, chunks: f.chunks, created_at: now.clone(), created_by: ctx.user.clone() };
        let id = match &parent {
            // A new version of the parent document.
            Some(p) => {
                let d = tenant.documents.get_mut(p, &project).expect("checked above");
                let v = version(d.versions.len() + 1);
                d.versions.push(v);
                d.meta = meta.clone();
                p.clone()
            }
            None => {
                let id = ids.object_id();
                let tenant_id = tenant.id.to_string();
                tenant.documents.add(Document {
                    id: id.clone(),
                    tenant: tenant_id,
                    project: Some(project.clone()),
                    module: module.clone(),
                    record_id: record.clone(),
                    meta: meta.clone(),
                    extra: extra.clone(),
                    versions: vec![version(1)],
                    missing: false,
                });
                id
            }
        };
        let doc = tenant.documents.get(&id, &project).expect("just stored");
        data.push(doc.summary(doc.latest()));
    }
    let message = match (data.len(), errors.len()) {
        (_, 0) => "Documents uploaded successfully",
        (0, _) => "errors.error_upload_failed",
        _ => PARTIAL,
    };
    let body = json!({ "message": message, "uploadedCount": data.len(), "failedCount": errors.len(), "data": data, "errors": errors });
    Ok(json(StatusCode::OK, &body))
}

/// `attachment; filename="…"`, with an RFC 5987 `filename*` that carries any name exactly.
fn disposition(name: &str) -> HeaderValue {
    let plain: String = name.chars().map(|c| if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' { c } else { '_' }).collect();
    let encoded: String = name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn file_response(content_type: &'static str, file_name: &str, size: u64, chunks: Vec<Bytes>) -> Response {
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, Infallible>));
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_DISPOSITION, disposition(file_name));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    r
}

pub async fn download(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(id): Path<String>, RawQuery(q): RawQuery, headers: HeaderMap) -> ApiResult<Response> {
    let project = scope_headers(&headers)?;
    let params = Params::parse(q.as_deref());
    let world = s.world();
    let doc = world.tenants[ctx.tenant].documents.get(&id, &project).ok_or_else(|| ApiError::not_found("errors.error_document_not_found"))?;
    if doc.missing {
        return Err(ApiError::not_found("errors.error_document_file_missing"));
    }
    let v = doc.version(params.text("version")).ok_or_else(|| ApiError::not_found("errors.error_document_not_found"))?;
    // The docs give the answer as an octet stream, whatever the file's own type.
    Ok(file_response("application/octet-stream", &v.file_name, v.size, v.chunks.clone()))
}

pub async fn download_all(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(record): Path<String>, RawQuery(q): RawQuery, headers: HeaderMap) -> ApiResult<Response> {
    let project = scope_headers(&headers)?;
    let params = Params::parse(q.as_deref());
    let module = params.text("module").ok_or_else(|| ApiError::bad_request("module is required"))?;
    let zip = {
        let world = s.world();
        let docs: Vec<&Document> = world.tenants[ctx.tenant].documents.of_record(module, &record, &project).into_iter().filter(|d| !d.missing).collect();
        if docs.is_empty() {
            return Err(ApiError::not_found("errors.error_no_documents_found"));
        }
        crate::documents::zip(&docs).map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot build the zip: {e}")))?
    };
    let size = zip.len() as u64;
    Ok(file_response("application/zip", &format!("{record}_attachments.zip"), size, vec![Bytes::from(zip)]))
}
