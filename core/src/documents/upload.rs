//! `POST /api/v1/documents`: files streamed as multipart parts, at most
//! [`MAX_FILES_PER_REQUEST`] per request, with a per-file report.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::io::AsyncRead;

use super::{Documents, MAX_FILES_PER_REQUEST};
use crate::client::{Call, MultipartBody, Safety};
use crate::error::{BulkReport, Error, Evidence, Result, WriteState};

/// Read buffer of a streamed file part: large enough for throughput, small next to the 64 MB
/// a 1 GB upload may use.
const READ_CHUNK: usize = 256 * 1024;

type Reader = Box<dyn AsyncRead + Send + Unpin>;

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    /// Taken by the first attempt; the call is then never retried.
    Reader(Mutex<Option<Reader>>, Option<u64>),
}

/// One file to upload: from a path, bytes, or an async reader.
pub struct UploadFile {
    name: String,
    content_type: Option<String>,
    source: Source,
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Reader(_, n) => format!("reader ({n:?} bytes)"),
        };
        f.debug_struct("UploadFile").field("name", &self.name).field("content_type", &self.content_type).field("source", &source).finish()
    }
}

impl UploadFile {
    /// The file at `path`, sent under its own file name. Opened when its request is sent (and
    /// again for a retry); read in 256 KiB pieces, never whole.
    pub fn path(path: impl Into<PathBuf>) -> UploadFile {
        let path = path.into();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        UploadFile { name, content_type: None, source: Source::Path(path) }
    }
    /// `bytes` sent as the file `name`.
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> UploadFile {
        UploadFile { name: name.into(), content_type: None, source: Source::Bytes(bytes.into()) }
    }
    /// What `reader` yields, sent as the file `name`; `size`, when known, lets the request
    /// carry a `Content-Length` (otherwise it is sent chunked). A request with a reader is
    /// sent once, never retried: its bytes cannot be read again.
    pub fn reader(name: impl Into<String>, reader: impl AsyncRead + Send + Unpin + 'static, size: Option<u64>) -> UploadFile {
        UploadFile { name: name.into(), content_type: None, source: Source::Reader(Mutex::new(Some(Box::new(reader))), size) }
    }
    /// The file name the server stores (default: the path's file name).
    pub fn name(mut self, name: impl Into<String>) -> UploadFile {
        self.name = name.into();
        self
    }
    /// The part's content type (default: guessed from the file name's extension, else
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> UploadFile {
        self.content_type = Some(content_type.into());
        self
    }
    pub fn file_name(&self) -> &str {
        &self.name
    }

    fn check(&self, i: usize) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid_input(format!("files[{i}] has no file name")));
        }
        if self.name.chars().any(char::is_control) {
            return Err(Error::invalid_input(format!("files[{i}] name contains control characters")));
        }
        if let Source::Path(p) = &self.source {
            let meta = std::fs::metadata(p).map_err(|e| Error::invalid_input(format!("files[{i}] {}: cannot read: {e}", p.display())))?;
            if !meta.is_file() {
                return Err(Error::invalid_input(format!("files[{i}] {} is not a regular file", p.display())));
            }
        }
        if let Some(ct) = &self.content_type {
            ct.parse::<mime_guess::mime::Mime>().map_err(|_| Error::invalid_input(format!("files[{i}] content type '{ct}' is not a MIME type")))?;
        }
        Ok(())
    }

    /// The size sent, when known before sending (a reader's only if the caller gave it).
    fn known_size(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Reader(_, n) => *n,
        }
    }

    fn mime(&self) -> String {
        self.content_type.clone().unwrap_or_else(|| mime_guess::from_path(Path::new(&self.name)).first_or_octet_stream().essence_str().to_string())
    }

    /// The multipart part of this file for one attempt.
    async fn part(&self) -> Result<Part> {
        let part = match &self.source {
            Source::Bytes(b) => Part::stream_with_length(reqwest::Body::from(b.clone()), b.len() as u64),
            Source::Path(p) => {
                let file = tokio::fs::File::open(p).await.map_err(|e| Error::invalid_input(format!("{}: cannot open: {e}", p.display())))?;
                let len = file.metadata().await.map_err(|e| Error::invalid_input(format!("{}: cannot read: {e}", p.display())))?.len();
                Part::stream_with_length(reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, READ_CHUNK)), len)
            }
            Source::Reader(r, size) => {
                let reader = r.lock().map_err(|_| Error::invalid_input("an upload reader was poisoned"))?.take();
                let reader = reader.ok_or_else(|| Error::invalid_input(format!("{}: its reader was already consumed by an earlier attempt", self.name)).not_sent())?;
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(reader, READ_CHUNK));
                match size {
                    Some(n) => Part::stream_with_length(body, *n),
                    None => Part::stream(body),
                }
            }
        };
        part.file_name(self.name.clone()).mime_str(&self.mime()).map_err(|e| Error::invalid_input(format!("{}: bad content type: {e}", self.name)))
    }
}

/// Where uploaded files are attached, and what is stored with them (the form fields of §6A).
#[derive(Debug, Clone, Default)]
pub struct UploadOptions {
    /// The module of the record the files attach to (`module`); needs `record_id`.
    pub module: Option<String>,
    /// The record's id (`ID`).
    pub record_id: Option<String>,
    /// Metadata stored with each file (`meta`, a JSON object).
    pub meta: Option<Value>,
    pub linked_ref_id: Option<String>,
    pub group_id: Option<String>,
    pub folder_id: Option<String>,
    /// Upload the files as new versions of this document (`parentID`).
    pub parent_id: Option<String>,
    /// `scope`, e.g. `["PROJECT"]`.
    pub scope: Option<Vec<String>>,
}

impl UploadOptions {
    pub fn new() -> Self {
        Self::default()
    }
    /// Attaches the files to record `record_id` of `module`.
    pub fn record(mut self, module: impl Into<String>, record_id: impl Into<String>) -> Self {
        self.module = Some(module.into());
        self.record_id = Some(record_id.into());
        self
    }
    pub fn meta(mut self, meta: Value) -> Self {
        self.meta = Some(meta);
        self
    }
    pub fn parent_id(mut self, id: impl Into<String>) -> Self {
        self.parent_id = Some(id.into());
        self
    }

    /// The form's text fields, checked.
    fn fields(&self) -> Result<Vec<(&'static str, String)>> {
        if self.module.is_some() != self.record_id.is_some() {
            return Err(Error::invalid_input("module and recordId go together: a file attaches to record ID of module"));
        }
        let mut out = Vec::new();
        for (k, v) in [("module", &self.module), ("ID", &self.record_id), ("linkedRefID", &self.linked_ref_id), ("groupID", &self.group_id), ("folderID", &self.folder_id), ("parentID", &self.parent_id)] {
            if let Some(v) = v {
                crate::encode::required(k, v)?;
                out.push((k, v.clone()));
            }
        }
        if let Some(m) = &self.meta {
            if !m.is_object() {
                return Err(Error::invalid_input(format!("meta must be a JSON object, got {}", crate::api::kind_of(m))));
            }
            out.push(("meta", m.to_string()));
        }
        if let Some(s) = &self.scope {
            out.push(("scope", Value::from(s.clone()).to_string()));
        }
        Ok(out)
    }
}

/// A stored file as the upload answers it: `{documentId, locationPath, fileName, fileSize,
/// meta}` and any other field the server adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedDocument {
    pub document_id: String,
    #[serde(default)]
    pub location_path: Option<String>,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub file_size: Option<u64>,
    #[serde(default)]
    pub meta: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    /// The server stored it (it is in the answer's `data`).
    Uploaded,
    /// Not stored: refused by the server (`message` says why) or never sent.
    Failed,
    /// Its request was sent and its answer lost (or unreadable): it may have been stored.
    Unknown,
}

/// One file's outcome, in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    /// Position in the caller's list of files.
    pub index: usize,
    pub file_name: String,
    pub state: FileState,
    /// The stored document, for an uploaded file.
    pub document: Option<UploadedDocument>,
    /// Why it failed (the server's message) or why its state is unknown.
    pub message: Option<String>,
}

/// Every file's outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadReport {
    pub uploaded_count: usize,
    pub failed_count: usize,
    pub unknown_count: usize,
    pub files: Vec<FileReport>,
}

impl UploadReport {
    fn new(files: Vec<FileReport>) -> UploadReport {
        let count = |s| files.iter().filter(|f| f.state == s).count();
        UploadReport { uploaded_count: count(FileState::Uploaded), failed_count: count(FileState::Failed), unknown_count: count(FileState::Unknown), files }
    }
    /// Every file was uploaded.
    pub fn is_complete(&self) -> bool {
        self.uploaded_count == self.files.len()
    }
    /// The stored documents, in input order.
    pub fn documents(&self) -> impl Iterator<Item = &UploadedDocument> {
        self.files.iter().filter_map(|f| f.document.as_ref())
    }
    fn bulk(&self) -> BulkReport {
        let state = |f: &FileReport| match f.state {
            FileState::Uploaded => WriteState::Written,
            FileState::Failed => WriteState::NotWritten,
            FileState::Unknown => WriteState::Unknown,
        };
        BulkReport::from_states(self.files.iter().map(state), self.documents().map(|d| d.document_id.clone()).collect())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    message: Option<String>,
    #[serde(default)]
    data: Vec<UploadedDocument>,
    #[serde(default)]
    errors: Vec<FileError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileError {
    #[serde(default)]
    file_name: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The outcome of one request's files (`first` is the index of its first file).
///
/// The answer lists stored files (`data`) and refused ones (`errors`) apart, by file name, so
/// files that share a name are told apart by size: first every file of known size takes a
/// stored entry of its name and size; then, in order, each remaining file takes a stored entry
/// of its name whose size cannot contradict it, else a refusal of its name, else any stored
/// entry of its name. (Without this, of two `a.pdf`, the too-large first one would be reported
/// stored and the stored second one refused.)
fn chunk_reports(files: &[UploadFile], first: usize, outcome: &std::result::Result<Answer, Error>) -> Vec<FileReport> {
    let report = |i: usize, f: &UploadFile, state, document, message| FileReport { index: first + i, file_name: f.name.clone(), state, document, message };
    match outcome {
        Ok(answer) => {
            let mut data: Vec<Option<&UploadedDocument>> = answer.data.iter().map(Some).collect();
            let mut errors: Vec<Option<&FileError>> = answer.errors.iter().map(Some).collect();
            let sizes: Vec<Option<u64>> = files.iter().map(UploadFile::known_size).collect();
            let mut claim = |f: &UploadFile, fits: &dyn Fn(&UploadedDocument) -> bool| {
                data.iter_mut().find(|d| d.is_some_and(|d| d.file_name.as_deref() == Some(f.name.as_str()) && fits(d))).and_then(Option::take).cloned()
            };
            let mut stored: Vec<Option<UploadedDocument>> =
                files.iter().zip(&sizes).map(|(f, size)| size.and_then(|n| claim(f, &|d| d.file_size == Some(n)))).collect();
            files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let doc = stored[i].take().or_else(|| claim(f, &|d| sizes[i].is_none() || d.file_size.is_none()));
                    if let Some(doc) = doc {
                        return report(i, f, FileState::Uploaded, Some(doc), None);
                    }
                    if let Some(slot) = errors.iter_mut().find(|e| e.is_some_and(|e| e.file_name.as_deref() == Some(f.name.as_str()))) {
                        let msg = slot.take().and_then(|e| e.message.clone()).or_else(|| answer.message.clone());
                        return report(i, f, FileState::Failed, None, msg);
                    }
                    if let Some(doc) = claim(f, &|_| true) {
                        return report(i, f, FileState::Uploaded, Some(doc), None);
                    }
                    report(i, f, FileState::Unknown, None, Some("the answer names this file neither as stored nor as failed".into()))
                })
                .collect()
        }
        Err(e) => {
            let state = match e.write_state() {
                WriteState::NotWritten => FileState::Failed,
                // Written: a 2xx whose answer could not be read — stored, but we cannot say which.
                WriteState::Unknown | WriteState::Written => FileState::Unknown,
            };
            files.iter().enumerate().map(|(i, f)| report(i, f, state, None, Some(e.message().to_string()))).collect()
        }
    }
}

impl Documents {
    /// Uploads `files` (any number: split into requests of [`MAX_FILES_PER_REQUEST`], sent
    /// one after another; after a request fails no further one is sent). `Ok` only when every
    /// file was stored; otherwise an error whose [`Error::upload`] says, file by file,
    /// uploaded / failed (with the server's message) / unknown — the first failed request's
    /// error, or, when every request was answered, kind `BadRequest` with status 200 (the
    /// API's partial upload).
    pub async fn upload(&self, files: Vec<UploadFile>, opts: &UploadOptions) -> Result<UploadReport> {
        self.scope()?;
        if files.is_empty() {
            return Err(Error::invalid_input("no files to upload (at least one is required)"));
        }
        for (i, f) in files.iter().enumerate() {
            f.check(i)?;
        }
        let fields = Arc::new(opts.fields()?);
        let files: Arc<Vec<UploadFile>> = Arc::new(files);
        let abort = Arc::new(AtomicBool::new(false));
        let mut reports = Vec::with_capacity(files.len());
        let mut first_error: Option<Error> = None;
        for start in (0..files.len()).step_by(MAX_FILES_PER_REQUEST) {
            let range = start..(start + MAX_FILES_PER_REQUEST).min(files.len());
            let outcome = if abort.load(Ordering::Relaxed) {
                Err(Error::skipped())
            } else {
                self.send_chunk(&files, range.clone(), &fields).await
            };
            if let Err(e) = &outcome {
                abort.store(true, Ordering::Relaxed);
                if first_error.is_none() && !e.is_skipped() {
                    first_error = Some(e.clone());
                }
            }
            reports.extend(chunk_reports(&files[range], start, &outcome));
        }
        let report = UploadReport::new(reports);
        if report.is_complete() {
            return Ok(report);
        }
        let mut err = match first_error {
            Some(e) => e,
            None => {
                let failed: Vec<String> = report
                    .files
                    .iter()
                    .filter(|f| f.state != FileState::Uploaded)
                    .map(|f| format!("files[{}] {}: {}", f.index, f.file_name, f.message.as_deref().unwrap_or("not stored")))
                    .collect();
                let msg = format!(
                    "POST /api/v1/documents: partial upload: {} of {} files uploaded, {} failed, {} unknown ({})",
                    report.uploaded_count,
                    report.files.len(),
                    report.failed_count,
                    report.unknown_count,
                    failed.join("; ")
                );
                let mut e = Error::partly_refused(200, msg, Some(if report.uploaded_count > 0 { "errors.error_partial_upload" } else { "errors.error_upload_failed" }.into()), failed);
                // Nothing stored: the write as a whole did not happen (or may not have).
                if report.uploaded_count == 0 {
                    e.set_evidence(if report.unknown_count == 0 { Evidence::NotApplied } else { Evidence::Maybe });
                }
                e
            }
        };
        err.set_bulk(report.bulk());
        err.set_upload(report);
        Err(err)
    }

    async fn send_chunk(&self, files: &Arc<Vec<UploadFile>>, range: std::ops::Range<usize>, fields: &Arc<Vec<(&'static str, String)>>) -> Result<Answer> {
        let once = files[range.clone()].iter().any(|f| matches!(f.source, Source::Reader(..)));
        let (files, fields) = (files.clone(), fields.clone());
        let build: MultipartBody = Arc::new(move || {
            let (files, fields, range) = (files.clone(), fields.clone(), range.clone());
            Box::pin(async move {
                let mut form = Form::new();
                for (k, v) in fields.iter() {
                    form = form.text(*k, v.clone());
                }
                // Parts are opened one after another; each streams its file when sent.
                let parts = futures_util::stream::iter(files[range].iter()).then(UploadFile::part).collect::<Vec<_>>().await;
                for p in parts {
                    form = form.part("files", p?);
                }
                Ok(form)
            })
        });
        let mut call = Call::new(Method::POST, "api/v1/documents".into(), Safety::Write);
        call.multipart = Some(build);
        call.once = once;
        call.timeout = Some(self.transfer_timeout());
        self.client.execute_json::<Answer>(&call).await
    }
}
