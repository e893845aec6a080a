//! Documents in Python's own forms: files given as paths, `bytes` or binary file objects (read
//! a chunk at a time on tokio's blocking pool, never whole), and downloads as an iterator of
//! `bytes` chunks. Uploading goes through `exto360::json::upload_files` (the same options,
//! report and errors as the `documents.upload` op); downloads to a path use `call`.

use std::sync::Arc;

use bytes::Bytes;
use exto360::UploadFile;
use futures_util::StreamExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::client::{NativeClient, args_value};
use crate::convert::loads;
use crate::errors::to_py;
use crate::runtime;

/// Bytes asked of a file object per `read()`.
const READ_CHUNK: usize = 256 * 1024;

/// The bytes of a binary file object, read lazily: each chunk is one `read(READ_CHUNK)` on the
/// blocking pool (the GIL taken only for that call), so the upload pulls at its own pace.
fn py_reader(name: String, obj: Py<PyAny>) -> impl tokio::io::AsyncRead + Send + Unpin + 'static {
    let obj = Arc::new(obj);
    let chunks = futures_util::stream::unfold(Some(obj), move |state| {
        let name = name.clone();
        async move {
            let obj = state?;
            let o = obj.clone();
            let read = tokio::task::spawn_blocking(move || {
                Python::attach(|py| -> Result<Bytes, String> {
                    let got = o.bind(py).call_method1("read", (READ_CHUNK,)).map_err(|e| e.to_string())?;
                    match got.cast::<PyBytes>() {
                        Ok(b) => Ok(Bytes::copy_from_slice(b.as_bytes())),
                        Err(_) => Err(format!("read() gave {}, not bytes: open the file in binary mode ('rb')", got.get_type().name().map(|n| n.to_string()).unwrap_or_default())),
                    }
                })
            })
            .await;
            match read {
                Ok(Ok(b)) if b.is_empty() => None,
                Ok(Ok(b)) => Some((Ok(b), Some(obj))),
                Ok(Err(msg)) => Some((Err(std::io::Error::other(format!("reading file object '{name}': {msg}"))), None)),
                Err(e) => Some((Err(std::io::Error::other(format!("reading file object '{name}': {e}"))), None)),
            }
        }
    });
    tokio_util::io::StreamReader::new(Box::pin(chunks))
}

/// One entry of the Python layer's normalised list: `{"path"}`, `{"name", "bytes"}` or
/// `{"name", "reader", "size"?}`, each with `"name"?` and `"contentType"?`.
fn upload_file(d: &Bound<'_, PyAny>, i: usize) -> PyResult<UploadFile> {
    let d = d.cast::<PyDict>().map_err(|_| PyTypeError::new_err(format!("files[{i}]: expected a dict")))?;
    let get = |k: &str| d.get_item(k);
    let name: Option<String> = get("name")?.map(|v| v.extract()).transpose()?;
    let named = |what: &str| name.clone().ok_or_else(|| PyTypeError::new_err(format!("files[{i}]: {what} needs a name")));
    let file = if let Some(p) = get("path")? {
        let f = UploadFile::path(p.extract::<std::path::PathBuf>()?);
        match &name {
            Some(n) => f.name(n.clone()),
            None => f,
        }
    } else if let Some(b) = get("bytes")? {
        let b = b.cast::<PyBytes>().map_err(|_| PyTypeError::new_err(format!("files[{i}]: bytes must be bytes")))?;
        UploadFile::bytes(named("bytes")?, Bytes::copy_from_slice(b.as_bytes()))
    } else if let Some(r) = get("reader")? {
        let size: Option<u64> = get("size")?.map(|v| v.extract()).transpose()?;
        let n = named("a file object")?;
        UploadFile::reader(n.clone(), py_reader(n, r.unbind()), size)
    } else {
        return Err(PyTypeError::new_err(format!("files[{i}]: expected path, bytes or reader")));
    };
    Ok(match get("contentType")? {
        Some(ct) => file.content_type(ct.extract::<String>()?),
        None => file,
    })
}

fn upload_files(files: &Bound<'_, PyList>) -> PyResult<Vec<UploadFile>> {
    files.iter().enumerate().map(|(i, f)| upload_file(&f, i)).collect()
}

fn text_to_py(py: Python<'_>, r: exto360::Result<String>) -> PyResult<Py<PyAny>> {
    match r {
        Ok(t) => Ok(loads(py, &t)?.unbind()),
        Err(e) => Err(to_py(py, &e)),
    }
}

/// Uploads `files` (see `upload_file`) with the options of `documents.upload` in `args`;
/// answers its report (a dict) or raises its error (with the per-file report).
#[pyfunction]
#[pyo3(signature = (client, files, args=None))]
pub fn upload_documents(py: Python<'_>, client: &NativeClient, files: &Bound<'_, PyList>, args: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
    let (files, args, client) = (upload_files(files)?, args_value(args)?, client.client()?);
    let out = runtime::block_on(py, async move { exto360::json::upload_files(&client, files, &args).await })?;
    text_to_py(py, out)
}

/// `upload_documents` as an asyncio future.
#[pyfunction]
#[pyo3(signature = (client, files, args=None))]
pub fn upload_documents_async<'py>(py: Python<'py>, client: &NativeClient, files: &Bound<'_, PyList>, args: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
    let (files, args, client) = (upload_files(files)?, args_value(args)?, client.client()?);
    runtime::future_into_py(py, async move { exto360::json::upload_files(&client, files, &args).await }, text_to_py)
}

type Chunks = Arc<tokio::sync::Mutex<Option<exto360::Download>>>;

/// An open download: its facts, and its bytes a chunk at a time.
#[pyclass(frozen, module = "exto360._native")]
pub struct NativeDownload {
    #[pyo3(get)]
    file_name: Option<String>,
    #[pyo3(get)]
    content_type: Option<String>,
    #[pyo3(get)]
    content_length: Option<u64>,
    chunks: Chunks,
}

/// Opens `documents.download` (`id`, `version`?) or `documents.downloadAll` (`recordId`,
/// `module`) as a stream.
async fn open(client: exto360::Client, all: bool, id: String, second: Option<String>) -> exto360::Result<exto360::Download> {
    let docs = client.documents();
    if all {
        docs.download_all(&id, second.as_deref().unwrap_or_default()).await
    } else {
        docs.download(&id, second.as_deref()).await
    }
}

fn download_to_py(py: Python<'_>, r: exto360::Result<exto360::Download>) -> PyResult<Py<PyAny>> {
    let d = r.map_err(|e| to_py(py, &e))?;
    let nd = NativeDownload { file_name: d.file_name.clone(), content_type: d.content_type.clone(), content_length: d.content_length, chunks: Arc::new(tokio::sync::Mutex::new(Some(d))) };
    Ok(Py::new(py, nd)?.into_any())
}

/// Opens a download stream: `all=False`: document `id` (at `version`); `all=True`: the zip of
/// record `id`'s attachments in module `version`.
#[pyfunction]
#[pyo3(signature = (client, id, version=None, all=false))]
pub fn open_download(py: Python<'_>, client: &NativeClient, id: String, version: Option<String>, all: bool) -> PyResult<Py<PyAny>> {
    let client = client.client()?;
    let out = runtime::block_on(py, open(client, all, id, version))?;
    download_to_py(py, out)
}

#[pyfunction]
#[pyo3(signature = (client, id, version=None, all=false))]
pub fn open_download_async<'py>(py: Python<'py>, client: &NativeClient, id: String, version: Option<String>, all: bool) -> PyResult<Bound<'py, PyAny>> {
    let client = client.client()?;
    runtime::future_into_py(py, open(client, all, id, version), download_to_py)
}

async fn next_chunk(chunks: Chunks) -> Option<exto360::Result<Bytes>> {
    let mut guard = chunks.lock().await;
    let item = guard.as_mut()?.next().await;
    if !matches!(item, Some(Ok(_))) {
        *guard = None;
    }
    item
}

fn chunk_to_py(py: Python<'_>, item: Option<exto360::Result<Bytes>>) -> PyResult<Py<PyAny>> {
    match item {
        None => Ok(py.None()),
        Some(Ok(b)) => Ok(PyBytes::new(py, &b).into_any().unbind()),
        Some(Err(e)) => Err(to_py(py, &e)),
    }
}

#[pymethods]
impl NativeDownload {
    /// The next chunk (`bytes`), or `None` at the end; raises if the answer broke off.
    fn next_chunk(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let item = runtime::block_on(py, next_chunk(self.chunks.clone()))?;
        chunk_to_py(py, item)
    }

    fn next_chunk_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        runtime::future_into_py(py, next_chunk(self.chunks.clone()), chunk_to_py)
    }

    /// Drops the connection (what is not read yet is discarded).
    fn close(&self) {
        if let Ok(mut g) = self.chunks.try_lock() {
            *g = None;
        } else {
            let chunks = self.chunks.clone();
            if let Ok(rt) = runtime::get() {
                rt.spawn(async move { *chunks.lock().await = None });
            }
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeDownload>()?;
    m.add_function(wrap_pyfunction!(upload_documents, m)?)?;
    m.add_function(wrap_pyfunction!(upload_documents_async, m)?)?;
    m.add_function(wrap_pyfunction!(open_download, m)?)?;
    m.add_function(wrap_pyfunction!(open_download_async, m)?)?;
    Ok(())
}
