//! Documents in Node's forms: files as paths, Buffers or Readable streams (pushed a chunk at a
//! time into a `NativeSink`, with backpressure: `write` resolves when the upload has room), and
//! downloads pulled a chunk at a time (`NativeDownload.next`, made a Readable in `documents.js`).
//! Uploads go through `exto360::json::upload_files`: the options, report and errors of the
//! `documents.upload` op.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use exto360::UploadFile;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::mpsc;

use crate::{NativeClient, parse, to_napi};

/// Chunks a sink holds before `write` waits for the upload to take one.
const SINK_DEPTH: usize = 4;

type Chunk = std::io::Result<Bytes>;

/// The writing end of one streamed file of an upload.
#[napi]
pub struct NativeSink {
    tx: Mutex<Option<mpsc::Sender<Chunk>>>,
}

impl NativeSink {
    fn sender(&self) -> Option<mpsc::Sender<Chunk>> {
        self.tx.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[napi]
impl NativeSink {
    /// Hands a chunk to the upload; resolves when it was taken in (or the upload has ended:
    /// then `false`, and the caller should stop reading its stream).
    #[napi]
    pub async fn write(&self, chunk: Buffer) -> bool {
        let bytes = Bytes::copy_from_slice(&chunk);
        match self.sender() {
            Some(tx) => tx.send(Ok(bytes)).await.is_ok(),
            None => false,
        }
    }

    /// The stream ended: the file is complete.
    #[napi]
    pub fn end(&self) {
        self.tx.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// The stream failed: the upload fails with `message` (the file is reported not uploaded).
    #[napi]
    pub fn fail(&self, message: String) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = tx.try_send(Err(std::io::Error::other(message)));
        }
    }
}

/// The files of one upload, added in order, then sent by `start`.
#[napi]
pub struct NativeUpload {
    files: Mutex<Vec<UploadFile>>,
}

fn named(f: UploadFile, name: Option<String>, content_type: Option<String>) -> UploadFile {
    let f = match name {
        Some(n) => f.name(n),
        None => f,
    };
    match content_type {
        Some(ct) => f.content_type(ct),
        None => f,
    }
}

#[napi]
impl NativeUpload {
    #[napi(constructor)]
    pub fn new() -> Self {
        NativeUpload { files: Mutex::new(Vec::new()) }
    }

    fn push(&self, f: UploadFile) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
    }

    /// A file read from `path` as the upload goes.
    #[napi]
    pub fn add_path(&self, path: String, name: Option<String>, content_type: Option<String>) {
        self.push(named(UploadFile::path(path), name, content_type));
    }

    /// A file whose bytes are `data` (copied once).
    #[napi]
    pub fn add_buffer(&self, name: String, data: Buffer, content_type: Option<String>) {
        self.push(named(UploadFile::bytes(name, Bytes::copy_from_slice(&data)), None, content_type));
    }

    /// A file whose bytes are written to the returned sink (`size`: its length when known).
    #[napi]
    pub fn add_stream(&self, name: String, size: Option<i64>, content_type: Option<String>) -> NativeSink {
        let (tx, rx) = mpsc::channel::<Chunk>(SINK_DEPTH);
        let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
        let reader = tokio_util::io::StreamReader::new(Box::pin(chunks));
        let size = size.and_then(|s| u64::try_from(s).ok());
        self.push(named(UploadFile::reader(name, reader, size), None, content_type));
        NativeSink { tx: Mutex::new(Some(tx)) }
    }

    /// Sends the files with the `documents.upload` options of `argsJson`; resolves to the
    /// report's JSON text, or rejects with the error (carrying the per-file report).
    #[napi]
    pub async fn start(&self, client: &NativeClient, args_json: String) -> Result<String> {
        let args = parse("args", &args_json)?;
        let files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()));
        exto360::json::upload_files(&client.client, files, &args).await.map_err(|e| to_napi(&e))
    }
}

type Chunks = Arc<tokio::sync::Mutex<Option<exto360::Download>>>;

/// An open download.
#[napi]
pub struct NativeDownload {
    info: String,
    chunks: Chunks,
}

#[napi]
impl NativeDownload {
    /// `{fileName, contentType, contentLength}` as JSON (each may be null).
    #[napi(getter)]
    pub fn info(&self) -> String {
        self.info.clone()
    }

    /// The next chunk, or `null` at the end; rejects if the answer broke off.
    #[napi]
    pub async fn next(&self) -> Result<Option<Buffer>> {
        Ok(crate::next_of(&self.chunks).await?.map(|b: Bytes| b.to_vec().into()))
    }

    /// Drops the connection.
    #[napi]
    pub fn close(&self) {
        if let Ok(mut g) = self.chunks.try_lock() {
            *g = None;
        }
    }
}

#[napi]
impl NativeClient {
    /// Opens document `id` (at `version`) — or, with `all`, the zip of record `id`'s
    /// attachments in module `version` — as a stream of chunks.
    #[napi]
    pub async fn open_download(&self, id: String, version: Option<String>, all: bool) -> Result<NativeDownload> {
        let docs = self.client.documents();
        let d = if all { docs.download_all(&id, version.as_deref().unwrap_or_default()).await } else { docs.download(&id, version.as_deref()).await }
            .map_err(|e| to_napi(&e))?;
        let info = serde_json::json!({"fileName": d.file_name, "contentType": d.content_type, "contentLength": d.content_length}).to_string();
        Ok(NativeDownload { info, chunks: Arc::new(tokio::sync::Mutex::new(Some(d))) })
    }
}
