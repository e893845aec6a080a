//! `GET /api/v1/documents/download/{id}` and `/download/all/{recordId}`: as a byte stream, or
//! to a path through a temporary file beside it, renamed into place only when complete.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use super::Documents;
use crate::client::{Call, transport_error};
use crate::error::{Error, ErrorKind, Result};

/// Write buffer of a download to a path.
const WRITE_BUFFER: usize = 1 << 20;

/// A download in progress: the answer's facts, and its bytes as a stream (each item a piece as
/// it arrived). The stream ends with an error if the answer breaks off or is shorter than its
/// `Content-Length`.
pub struct Download {
    /// From `Content-Disposition`, when the server sent one.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// `Content-Length`, when the server sent one.
    pub content_length: Option<u64>,
    stream: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("file_name", &self.file_name).field("content_type", &self.content_type).field("content_length", &self.content_length).finish_non_exhaustive()
    }
}

impl Stream for Download {
    type Item = Result<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        self.stream.as_mut().poll_next(cx)
    }
}

/// A download written to a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadedFile {
    pub path: PathBuf,
    pub bytes: u64,
    /// The server's name for the file (`Content-Disposition`).
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

/// The file name of a `Content-Disposition` value: `filename*=UTF-8''…` (RFC 5987) first, then
/// `filename="…"`.
fn disposition_name(v: &str) -> Option<String> {
    let params = v.split(';').map(str::trim);
    let mut plain = None;
    for p in params {
        if let Some(enc) = p.strip_prefix("filename*=") {
            let enc = enc.trim_matches('"');
            if let Some(rest) = enc.strip_prefix("UTF-8''").or_else(|| enc.strip_prefix("utf-8''")) {
                let bytes = percent_encoding::percent_decode_str(rest).collect::<Vec<u8>>();
                if let Ok(s) = String::from_utf8(bytes) {
                    return Some(s);
                }
            }
        } else if let Some(n) = p.strip_prefix("filename=") {
            plain = Some(n.trim_matches('"').to_string());
        }
    }
    plain
}

impl Documents {
    /// Opens the download of document `id` (its current version, or `version`).
    pub async fn download(&self, id: &str, version: Option<&str>) -> Result<Download> {
        let mut call = Call::get(format!("api/v1/documents/download/{}", crate::encode::segment("document id", id)?));
        if let Some(v) = version {
            crate::encode::required("version", v)?;
            call = call.query("version", v);
        }
        self.open(call).await
    }

    /// Opens the download of a zip of every document attached to record `record_id` of
    /// `module` (`<recordId>_attachments.zip`).
    pub async fn download_all(&self, record_id: &str, module: &str) -> Result<Download> {
        crate::encode::required("module", module)?;
        let call = Call::get(format!("api/v1/documents/download/all/{}", crate::encode::segment("record id", record_id)?)).query("module", module);
        self.open(call).await
    }

    /// [`Documents::download`] written to `path` (see [`Documents::save`]).
    pub async fn download_to(&self, id: &str, version: Option<&str>, path: impl AsRef<Path>) -> Result<DownloadedFile> {
        let path = path.as_ref();
        let dir = check_target(path)?;
        save(self.download(id, version).await?, path, dir).await
    }

    /// [`Documents::download_all`] written to `path` (see [`Documents::save`]).
    pub async fn download_all_to(&self, record_id: &str, module: &str, path: impl AsRef<Path>) -> Result<DownloadedFile> {
        let path = path.as_ref();
        let dir = check_target(path)?;
        save(self.download_all(record_id, module).await?, path, dir).await
    }

    /// Writes `download` to `path`: into a temporary file in the same directory
    /// (`.<name>.<random>.part`), flushed to disk, then renamed over `path`. If the download
    /// fails or this future is dropped (cancelled), the temporary file is removed and `path`
    /// is untouched. (After a `kill -9` the `.part` file may remain.)
    pub async fn save(&self, download: Download, path: impl AsRef<Path>) -> Result<DownloadedFile> {
        let path = path.as_ref();
        let dir = check_target(path)?;
        save(download, path, dir).await
    }

    async fn open(&self, mut call: Call) -> Result<Download> {
        self.scope()?;
        call.any_answer = true;
        call.timeout = Some(self.transfer_timeout());
        let resp = self.client.execute_response(&call).await?;
        let header = |h| resp.headers().get(h).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(str::to_string);
        let file_name = header(CONTENT_DISPOSITION).as_deref().and_then(disposition_name);
        let content_type = header(CONTENT_TYPE);
        let content_length = resp.content_length();
        let what = format!("GET /{}", call.path);
        let stream = resp.bytes_stream().map(move |item| item.map_err(|e| transport_error(&what, e)));
        // A body that ends early without an error (no Content-Length framing) is caught here.
        let checked = CheckLength { inner: Box::pin(stream), expected: content_length, seen: 0, finished: false };
        Ok(Download { file_name, content_type, content_length, stream: Box::pin(checked) })
    }
}

/// Ends the stream with an error when fewer bytes came than `Content-Length` promised.
struct CheckLength {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
    expected: Option<u64>,
    seen: u64,
    finished: bool,
}

impl Stream for CheckLength {
    type Item = Result<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        if self.finished {
            return Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(b))) => {
                self.seen += b.len() as u64;
                Poll::Ready(Some(Ok(b)))
            }
            Poll::Ready(Some(Err(e))) => {
                self.finished = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                self.finished = true;
                match self.expected {
                    Some(n) if n != self.seen => Poll::Ready(Some(Err(Error::new(
                        ErrorKind::Connection,
                        format!("download ended after {} of {n} bytes", self.seen),
                    )))),
                    _ => Poll::Ready(None),
                }
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The directory a download to `path` writes its temporary file in; `path` must name a file.
fn check_target(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid_input("download path is empty"));
    }
    if path.is_dir() {
        return Err(Error::invalid_input(format!("download path {} is a directory; name the file to write", path.display())));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::invalid_input(format!("download path {}: directory {} does not exist", path.display(), dir.display())));
    }
    Ok(dir)
}

fn io_error(what: String, e: std::io::Error) -> Error {
    Error::invalid_input(format!("{what}: {e}")).with_source(e)
}

async fn save(mut download: Download, path: &Path, dir: PathBuf) -> Result<DownloadedFile> {
    let stem = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Removed on drop: an error or a cancelled future leaves nothing behind.
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| io_error(format!("cannot create a temporary file in {}", dir.display()), e))?;
    let std_file = tmp.as_file().try_clone().map_err(|e| io_error(format!("cannot write {}", tmp.path().display()), e))?;
    let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, tokio::fs::File::from_std(std_file));
    let mut bytes = 0u64;
    while let Some(chunk) = download.next().await {
        let chunk = chunk?;
        bytes += chunk.len() as u64;
        out.write_all(&chunk).await.map_err(|e| io_error(format!("cannot write {}", tmp.path().display()), e))?;
    }
    out.flush().await.map_err(|e| io_error(format!("cannot write {}", tmp.path().display()), e))?;
    let file = out.into_inner();
    file.sync_all().await.map_err(|e| io_error(format!("cannot flush {}", tmp.path().display()), e))?;
    drop(file);
    tmp.persist(path).map_err(|e| io_error(format!("cannot move the download into {}", path.display()), e.error))?;
    Ok(DownloadedFile { path: path.to_path_buf(), bytes, file_name: download.file_name, content_type: download.content_type })
}
