//! `exto360` for the JVM: the native side, exported with uniffi (proc-macros). It holds no API
//! logic — every operation is `exto360::json::call` (or `json::pages`) of the core, run on this
//! library's tokio runtime; results cross as JSON text, which the Kotlin layer
//! (`com.exto360`) parses into `kotlinx.serialization.json` values and data classes. Errors
//! cross as the JSON of `exto360::json::error_json` and become one `Exto360Exception` there.
//!
//! Async methods return a future that only awaits a task of the runtime, so uniffi needs no
//! runtime of its own and a JVM thread never runs the client's I/O. Dropping that future — the
//! Kotlin coroutine was cancelled — aborts the task (see [`Task`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use exto360::json;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

uniffi::setup_scaffolding!();

/// A failure, as the JSON object of `exto360::json::error_json` (`kind`, `message`, `status`,
/// `summary`, `details`, `requestId`, `bulk`, ...; never the token). The Kotlin layer turns it
/// into an `Exto360Exception`.
#[derive(Debug, uniffi::Error)]
pub enum NativeError {
    Failed { json: String },
}

impl std::fmt::Display for NativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NativeError::Failed { json } = self;
        f.write_str(json)
    }
}

/// A foreign reader's exception that was not a [`NativeError`] (a bug of the Kotlin layer,
/// which maps `IOException`s itself): kept as an error, never a crash.
impl From<uniffi::UnexpectedUniFFICallbackError> for NativeError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> NativeError {
        internal(e.reason)
    }
}

fn fail(e: exto360::Error) -> NativeError {
    NativeError::Failed { json: json::error_json(&e).to_string() }
}

fn invalid(msg: impl Into<String>) -> NativeError {
    fail(exto360::Error::invalid_input(msg))
}

/// A bug of this library (a panic in a task), reported as kind `internal`, not a crash.
fn internal(msg: impl Into<String>) -> NativeError {
    NativeError::Failed { json: json!({ "kind": "internal", "message": msg.into() }).to_string() }
}

fn parse(what: &str, text: &str) -> Result<Value, NativeError> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
}

/// The library's runtime: two workers run every call, page prefetch and bulk request.
fn runtime() -> Result<&'static Runtime, NativeError> {
    static RT: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("exto360").enable_all().build().map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| invalid(format!("cannot start the library's runtime: {e}")))
}

/// Calls in flight plus open page streams: what a cancelled coroutine must not leave behind.
static LIVE: AtomicI64 = AtomicI64::new(0);

/// Counts itself in [`LIVE`] for as long as it exists.
struct Live;

impl Live {
    fn new() -> Live {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Live
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A task on the library's runtime that is aborted when dropped: uniffi drops the future of
/// an async call when its Kotlin coroutine is cancelled, and the work must stop with it
/// (tokio's own `JoinHandle` would let it run on).
struct Task<T>(JoinHandle<T>);

impl<T> Future for Task<T> {
    type Output = Result<T, NativeError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|r| {
            r.map_err(|e| match e.try_into_panic() {
                Ok(p) => {
                    let msg = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
                    internal(format!("internal error: {msg}"))
                }
                Err(_) => internal("the call was cancelled"),
            })
        })
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn spawn<T: Send + 'static>(fut: impl Future<Output = T> + Send + 'static) -> Result<Task<T>, NativeError> {
    let live = Live::new();
    Ok(Task(runtime()?.spawn(async move {
        let _live = live;
        fut.await
    })))
}

/// A client; shared by any number of JVM threads (it is `Arc`ed by uniffi).
#[derive(uniffi::Object)]
pub struct NativeClient {
    client: exto360::Client,
}

#[uniffi::export]
impl NativeClient {
    /// `config_json`: the core's client settings (`exto360::json::builder_from_json`: token,
    /// baseUrl, projectId, timeout, maxRetries, rateLimit, rateLimitStore, ...); unset ones come
    /// from the `EXTO360_*` environment.
    #[uniffi::constructor]
    pub fn new(config_json: String) -> Result<Arc<Self>, NativeError> {
        let mut cfg = parse("config", &config_json)?;
        if let Value::Object(m) = &mut cfg {
            m.entry("userAgent").or_insert_with(|| json!(format!("exto360-jvm/{}", exto360::version())));
        }
        let _rt = runtime()?.enter();
        let client = json::client_from_json(&cfg).map_err(fail)?;
        Ok(Arc::new(NativeClient { client }))
    }

    /// A client for another project (`None`: tenant scope), sharing connections and limits.
    pub fn with_project(&self, project_id: Option<String>) -> Result<Arc<NativeClient>, NativeError> {
        let client = match project_id {
            Some(p) => self.client.with_project(p).map_err(fail)?,
            None => self.client.without_project(),
        };
        Ok(Arc::new(NativeClient { client }))
    }

    /// `{baseUrl, projectId}` as JSON — never the token.
    pub fn describe(&self) -> String {
        json!({ "baseUrl": self.client.base_url(), "projectId": self.client.project_id() }).to_string()
    }

    /// Runs an operation (`masters.list`, `users.get`, ...) with its JSON arguments; returns
    /// its JSON answer.
    pub async fn call(&self, op: String, args_json: String) -> Result<String, NativeError> {
        let args = parse("args", &args_json)?;
        let client = self.client.clone();
        spawn(async move { json::call(&client, &op, &args).await })?.await?.map_err(fail)
    }

    /// `documents.upload` with files built here — paths, bytes, or a JVM `InputStream` read a
    /// piece at a time — and the operation's other arguments (`module`, `recordId`, `meta`, ...)
    /// in `args_json`; the same report, or the same error (with its per-file `upload` report).
    pub async fn upload(&self, files: Vec<NativeUpload>, args_json: String) -> Result<String, NativeError> {
        let args = parse("args", &args_json)?;
        let files = files.into_iter().enumerate().map(|(i, f)| f.into_file(i)).collect::<Result<Vec<_>, _>>()?;
        let client = self.client.clone();
        spawn(async move { json::upload_files(&client, files, &args).await })?.await?.map_err(fail)
    }

    /// Starts an iteration (`masters.iter`, `modules.iter`, `users.iter`); pages are fetched
    /// one ahead in the background once the first is asked for.
    pub fn pages(&self, op: String, args_json: String) -> Result<Arc<NativePager>, NativeError> {
        let args = parse("args", &args_json)?;
        let _rt = runtime()?.enter();
        let pages = json::pages(&self.client, &op, &args).map_err(fail)?;
        Ok(Arc::new(NativePager { pages: Arc::new(tokio::sync::Mutex::new(Some((pages, Live::new())))) }))
    }
}

/// Bytes asked of a reader per call.
const READ_CHUNK: u32 = 256 * 1024;

/// A JVM `InputStream`, implemented by the Kotlin layer: `read(max)` gives up to `max` bytes,
/// none at the end; an `IOException` comes back as a [`NativeError`] (its message kept).
#[uniffi::export(foreign)]
pub trait NativeReader: Send + Sync {
    fn read(&self, max: u32) -> Result<Vec<u8>, NativeError>;
}

/// The message of a foreign reader's error (the JSON's `message`, else its text).
fn reader_message(e: &NativeError) -> String {
    let NativeError::Failed { json } = e;
    serde_json::from_str::<Value>(json).ok().and_then(|v| v["message"].as_str().map(str::to_string)).unwrap_or_else(|| json.clone())
}

/// The bytes of a [`NativeReader`], pulled as the upload sends them: each piece is one `read`
/// on tokio's blocking pool (it blocks a JVM stream), never the whole stream in memory.
fn reader(name: String, r: Arc<dyn NativeReader>) -> impl tokio::io::AsyncRead + Send + Unpin + 'static {
    let chunks = futures_util::stream::unfold(Some(r), move |state| {
        let name = name.clone();
        async move {
            let r = state?;
            let r2 = r.clone();
            let got = tokio::task::spawn_blocking(move || r2.read(READ_CHUNK)).await;
            match got {
                Ok(Ok(b)) if b.is_empty() => None,
                Ok(Ok(b)) => Some((Ok(bytes::Bytes::from(b)), Some(r))),
                Ok(Err(e)) => Some((Err(std::io::Error::other(format!("reading stream '{name}': {}", reader_message(&e)))), None)),
                Err(e) => Some((Err(std::io::Error::other(format!("reading stream '{name}': {e}"))), None)),
            }
        }
    });
    tokio_util::io::StreamReader::new(Box::pin(chunks))
}

/// One file to upload, from exactly one of `path`, `bytes` or `reader` (with `size` when
/// known, for a `Content-Length`). `name` is required but for a path (default: its file name).
#[derive(uniffi::Record)]
pub struct NativeUpload {
    pub name: Option<String>,
    pub content_type: Option<String>,
    pub path: Option<String>,
    pub bytes: Option<Vec<u8>>,
    pub reader: Option<Arc<dyn NativeReader>>,
    pub size: Option<u64>,
}

impl NativeUpload {
    fn into_file(self, i: usize) -> Result<exto360::UploadFile, NativeError> {
        use exto360::UploadFile;
        let name = |what: &str| self.name.clone().ok_or_else(|| invalid(format!("files[{i}]: {what} needs a name")));
        let file = match (self.path.clone(), self.bytes, self.reader) {
            (Some(p), None, None) => match &self.name {
                Some(n) => UploadFile::path(p).name(n.clone()),
                None => UploadFile::path(p),
            },
            (None, Some(b), None) => UploadFile::bytes(name("bytes")?, b),
            (None, None, Some(r)) => {
                let n = name("a stream")?;
                UploadFile::reader(n.clone(), reader(n, r), self.size)
            }
            _ => return Err(invalid(format!("files[{i}] needs exactly one of a path, bytes or a stream"))),
        };
        Ok(match self.content_type {
            Some(ct) => file.content_type(ct),
            None => file,
        })
    }
}

type Stream = Arc<tokio::sync::Mutex<Option<(json::PageTexts, Live)>>>;

/// The pages of one iteration. Freeing it (or [`NativePager::stop`]) stops the prefetch.
#[derive(uniffi::Object)]
pub struct NativePager {
    pages: Stream,
}

#[uniffi::export]
impl NativePager {
    /// The next page as JSON text (`{rows, total, page, pageSize, totalPages}`), or `None`
    /// after the last one or an error.
    pub async fn next(&self) -> Result<Option<String>, NativeError> {
        let pages = self.pages.clone();
        spawn(async move {
            let mut guard = pages.lock().await;
            let Some((stream, _)) = guard.as_mut() else { return Ok(None) };
            match stream.next().await {
                Some(Ok(text)) => Ok(Some(text)),
                Some(Err(e)) => {
                    *guard = None;
                    Err(fail(e))
                }
                None => {
                    *guard = None;
                    Ok(None)
                }
            }
        })?
        .await?
    }

    /// Stops fetching ahead; later `next` calls return `None`. A `next` in flight (its task
    /// being aborted) may still hold the stream: then it is dropped right after that task.
    pub fn stop(&self) {
        if let Ok(mut g) = self.pages.try_lock() {
            *g = None;
        } else if let Ok(rt) = runtime() {
            let pages = self.pages.clone();
            rt.spawn(async move { pages.lock().await.take() });
        }
    }
}

/// Renders a filter's JSON form (`{"field", "type"?, "op", "value"?}` or `{"and"|"or": [...]}`)
/// in the API's grammar; an invalid filter is an `invalid_input` error.
#[uniffi::export]
pub fn render_filter(spec_json: String) -> Result<String, NativeError> {
    json::filter_from_json(&parse("filter", &spec_json)?).render().map_err(fail)
}

/// The version of the core this library was built from.
#[uniffi::export]
pub fn version() -> String {
    exto360::version().to_string()
}

/// Calls in flight and open page streams in this process (for tests: nothing is left behind).
#[uniffi::export]
pub fn live_tasks() -> i64 {
    LIVE.load(Ordering::SeqCst)
}

/// An emulator of the API served in-process on 127.0.0.1 (a free port), for tests. Its admin
/// API (`/__emulator/...`: journal, faults, settings, records) is used over HTTP.
#[derive(uniffi::Object)]
pub struct NativeEmulator {
    emu: std::sync::Mutex<Option<exto360_emulator::Emulator>>,
    url: String,
    token: String,
}

#[uniffi::export]
impl NativeEmulator {
    /// `dataset_json`: a dataset (default: the demo dataset); `token` replaces its first token.
    /// The rate limit is off (set it through the admin API).
    #[uniffi::constructor]
    pub fn new(dataset_json: Option<String>, token: Option<String>) -> Result<Arc<Self>, NativeError> {
        use exto360_emulator::{Dataset, Emulator};
        let data = match dataset_json {
            Some(t) => Dataset::parse(&t).map_err(|e| invalid(format!("invalid dataset: {e}")))?,
            None => Dataset::demo(),
        };
        let mut b = Emulator::builder().dataset(data).rate_limit(None);
        if let Some(t) = token {
            b = b.token(t);
        }
        let emu = b.spawn().map_err(|e| invalid(format!("cannot start the emulator: {e}")))?;
        Ok(Arc::new(NativeEmulator { url: emu.url(), token: emu.token(), emu: std::sync::Mutex::new(Some(emu)) }))
    }

    /// `http://127.0.0.1:PORT`, the base URL for a client.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The token the emulator accepts.
    pub fn token(&self) -> String {
        self.token.clone()
    }

    /// Stops serving and waits for the server to end; idempotent.
    pub fn stop(&self) {
        let emu = self.emu.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(e) = emu {
            e.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tests that spawn tasks read one process-wide counter: one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn dropping_a_call_aborts_its_task() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let before = live_tasks();
        let task = spawn(std::future::pending::<()>()).unwrap();
        assert_eq!(live_tasks(), before + 1);
        drop(task);
        for _ in 0..200 {
            if live_tasks() == before {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the aborted task is still counted");
    }

    #[test]
    fn a_panic_in_a_task_is_an_internal_error() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let err = rt.block_on(spawn(async { panic!("boom") }).unwrap()).map(|_: ()| ()).unwrap_err();
        assert!(err.to_string().contains("\"kind\":\"internal\"") && err.to_string().contains("boom"), "{err}");
    }

    #[test]
    fn errors_are_the_core_json_and_never_hold_the_token() {
        let err = NativeClient::new(r#"{"token": "secret-token-123", "baseUrl": "ftp://x", "timeout": -1}"#.into()).err().unwrap();
        let text = err.to_string();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["kind"], "invalid_input", "{text}");
        assert!(!text.contains("secret-token-123"));
    }
}
