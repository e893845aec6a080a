//! The HTTP side: settings, the request pipeline (journal → faults → rate limit → auth →
//! handler → envelope) and starting/stopping a server.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::dataset::Dataset;
use crate::error::{ApiError, PendingError};
use crate::faults::{ActiveFault, FaultKind, FaultSpec};
use crate::ids::Clock;
use crate::journal::{Entry, Journal, capture_headers};
use crate::state::World;

/// Shape of the master/module list answer (REFERENCE.md §13 C1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ListShape {
    /// `{rows, total, page, pageSize, totalPages}` (response-format page, \[V\]).
    #[default]
    Object,
    /// A bare array of records (\[G\] API page sample).
    Array,
}

/// Shape of `GET /user/user-access` (§13 C29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserListShape {
    /// `[[users...]]`, as the mission's copy of the docs shows.
    #[default]
    Nested,
    /// `[users...]`.
    Flat,
}

/// What `PATCH /master-record/{name}` answers (§13 C11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PatchAnswer {
    /// `{insertedIds, insertedCount, updatedCount}` (\[V\] reference and spec).
    #[default]
    Upsert,
    /// `{updatedCount}` (\[V\] masters page).
    Count,
}

/// Settings that can change while the emulator runs (`PATCH /__emulator/config`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Requests per second per token; `None` turns the limit off. Default 3.
    pub rate_limit: Option<u32>,
    pub list_shape: ListShape,
    pub user_list_shape: UserListShape,
    /// A fixed `now` (RFC 3339) for reproducible `createdAt`/`updatedAt`; `None` = real time.
    pub frozen_time: Option<String>,
    /// Larger request bodies get 413. Default 32 MiB.
    pub max_body_bytes: usize,
    /// Journal entries kept (oldest dropped first); 0 turns the journal off. Default 100,000.
    pub journal_limit: usize,
    /// The shape of a master PATCH's answer (default: the upsert shape).
    #[serde(default)]
    pub patch_answer: PatchAnswer,
    /// Largest file a document upload takes (each file; a larger one fails alone, in the
    /// answer's `errors`). Default 50 MiB, the documented "50 MB". Uploads are not bound by
    /// `maxBodyBytes`: they are streamed, not buffered.
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
}

fn default_max_file_bytes() -> u64 {
    50 << 20
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rate_limit: Some(3),
            list_shape: ListShape::Object,
            user_list_shape: UserListShape::Nested,
            frozen_time: None,
            max_body_bytes: 32 << 20,
            journal_limit: 100_000,
            patch_answer: PatchAnswer::Upsert,
            max_file_bytes: default_max_file_bytes(),
        }
    }
}

impl Settings {
    pub fn clock(&self) -> Clock {
        Clock { frozen: self.frozen_time.as_deref().and_then(|t| t.parse().ok()) }
    }
    pub fn validate(&self) -> Result<(), String> {
        if self.rate_limit == Some(0) {
            return Err("rateLimit must be at least 1 (use null to turn it off)".into());
        }
        if let Some(t) = &self.frozen_time {
            t.parse::<jiff::Timestamp>().map_err(|e| format!("frozenTime '{t}' is not an RFC 3339 time: {e}"))?;
        }
        Ok(())
    }
}

/// Everything a running emulator holds. Locks are never held across an await.
pub struct Shared {
    pub world: RwLock<World>,
    pub dataset: RwLock<Dataset>,
    pub settings: RwLock<Settings>,
    pub journal: Mutex<Journal>,
    pub faults: Mutex<Vec<ActiveFault>>,
    limiter: Mutex<Option<Arc<DefaultKeyedRateLimiter<String>>>>,
}

// A panic while a lock is held must not take every later request down with it.
fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}
fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}
fn lock<T>(l: &Mutex<T>) -> MutexGuard<'_, T> {
    l.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(dataset: Dataset, settings: Settings) -> Result<Arc<Shared>, String> {
        settings.validate()?;
        let world = World::build(&dataset)?;
        let limiter = make_limiter(settings.rate_limit);
        Ok(Arc::new(Shared {
            world: RwLock::new(world),
            dataset: RwLock::new(dataset),
            settings: RwLock::new(settings),
            journal: Mutex::new(Journal::default()),
            faults: Mutex::new(Vec::new()),
            limiter: Mutex::new(limiter),
        }))
    }

    pub fn world(&self) -> RwLockReadGuard<'_, World> {
        read(&self.world)
    }
    pub fn world_mut(&self) -> RwLockWriteGuard<'_, World> {
        write(&self.world)
    }
    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
    }
    pub fn clock(&self) -> Clock {
        read(&self.settings).clock()
    }
    pub fn journal(&self) -> MutexGuard<'_, Journal> {
        lock(&self.journal)
    }

    pub fn set_settings(&self, s: Settings) -> Result<(), String> {
        s.validate()?;
        let old = self.settings();
        if old.rate_limit != s.rate_limit {
            *lock(&self.limiter) = make_limiter(s.rate_limit);
        }
        *write(&self.settings) = s;
        Ok(())
    }

    /// Back to the loaded dataset: records, users, journal, faults and rate-limit buckets.
    pub fn reset(&self) -> Result<(), String> {
        let world = World::build(&read(&self.dataset))?;
        *self.world_mut() = world;
        self.journal().clear();
        lock(&self.faults).clear();
        let rl = self.settings().rate_limit;
        *lock(&self.limiter) = make_limiter(rl);
        Ok(())
    }

    /// Replaces the dataset and resets to it.
    pub fn load(&self, dataset: Dataset) -> Result<(), String> {
        let world = World::build(&dataset)?;
        *write(&self.dataset) = dataset;
        *self.world_mut() = world;
        self.journal().clear();
        lock(&self.faults).clear();
        Ok(())
    }

    pub fn set_faults(&self, specs: Vec<FaultSpec>) -> Result<(), String> {
        let active = specs.into_iter().map(ActiveFault::new).collect::<Result<Vec<_>, _>>()?;
        *lock(&self.faults) = active;
        Ok(())
    }

    pub fn faults_json(&self) -> serde_json::Value {
        serde_json::Value::Array(lock(&self.faults).iter().map(ActiveFault::state_json).collect())
    }

    pub fn journal_json(&self) -> Vec<serde_json::Value> {
        self.journal().entries.iter().map(Entry::to_json).collect()
    }

    /// Checks the per-token limit; `Err(seconds)` is the `Retry-After` to send.
    fn rate_check(&self, token: &str) -> Result<(), u64> {
        let limiter = lock(&self.limiter).clone();
        let Some(l) = limiter else { return Ok(()) };
        l.check_key(&token.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0).max(u64::from(wait.is_zero()))
        })
    }
}

fn make_limiter(rps: Option<u32>) -> Option<Arc<DefaultKeyedRateLimiter<String>>> {
    rps.and_then(NonZeroU32::new).map(|n| Arc::new(RateLimiter::keyed(Quota::per_second(n))))
}

/// Who is calling: set by the pipeline for every authenticated API request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tenant: usize,
    /// The token owner's username.
    pub user: String,
    /// `X-Project-Id`, when sent.
    pub project: Option<String>,
}

/// The journal entry of the request (for handlers that record more than the pipeline can,
/// e.g. a streamed upload's summary).
#[derive(Debug, Clone, Copy)]
pub struct JournalSeq(pub u64);

/// Requests whose body is streamed to the handler instead of buffered: document uploads
/// (up to 100 files of `maxFileBytes` each).
fn is_streamed(method: &str, api_path: &str) -> bool {
    method == "POST" && api_path.trim_end_matches('/') == "/api/v1/documents"
}

/// What a firing fault makes the pipeline do.
enum FaultAction {
    None,
    Respond(Response),
    Reset,
    Truncate,
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// A response whose body fails at once: hyper drops the connection without a complete answer.
fn connection_reset() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "emulated connection reset"))
    });
    Response::new(Body::from_stream(stream))
}

/// Sends the status line, the headers and the first half of `full`, then fails, with a
/// `Content-Length` promising all of it. The pause before failing lets hyper flush what it
/// has: without it, a small answer would be dropped whole and look like a reset.
fn truncated(mut parts: axum::http::response::Parts, full: Bytes) -> Response {
    let half = full.slice(..full.len() / 2);
    let stream = futures_util::stream::unfold(Some(Some(half)), |state| async move {
        match state? {
            Some(half) => Some((Ok(half), Some(None))),
            None => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Some((Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "emulated truncated body")), None))
            }
        }
    });
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    Response::from_parts(parts, Body::from_stream(stream))
}

fn is_public(api_path: &str) -> bool {
    api_path == "/api/v1/health/liveness" || api_path == "/api/v1/health/readiness"
}

fn bearer(req: &axum::http::request::Parts) -> Option<String> {
    let v = req.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

fn header_str(req: &axum::http::request::Parts, name: &str) -> Option<String> {
    req.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Resolves the token, tenant and project of a request.
fn authenticate(shared: &Shared, parts: &axum::http::request::Parts, api_path: &str) -> Result<Ctx, ApiError> {
    let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
    let world = shared.world();
    let grants = world.tokens.get(&token).ok_or_else(ApiError::unauthorized)?;
    let (tenant, user) = match header_str(parts, "x-tenant-id") {
        Some(tid) => grants
            .iter()
            .find(|(ti, _)| &*world.tenants[*ti].id == tid.as_str())
            .cloned()
            .ok_or_else(|| ApiError::forbidden(format!("Token has no access to tenant {tid}")))?,
        None => grants[0].clone(),
    };
    let project = header_str(parts, "x-project-id");
    if let Some(p) = &project
        && world.tenants[tenant].project(p).is_none() {
            // The v2 workflow answers this with a 500 (§5.2); the v1 endpoints with 403.
            let msg = format!("Project not found for id: {p}");
            return Err(if api_path.starts_with("/api/v2/") { ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, msg) } else { ApiError::forbidden(msg) });
        }
    Ok(Ctx { tenant, user, project })
}

/// The middleware every request goes through.
pub async fn pipeline(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path == "/__emulator" || path.starts_with("/__emulator/") {
        let loopback = req.extensions().get::<ConnectInfo<SocketAddr>>().is_none_or(|c| c.0.ip().is_loopback());
        if !loopback {
            let now = shared.clock().now_string();
            return ApiError::forbidden("the admin API answers loopback clients only").into_response_at(&path, &now);
        }
        return next.run(req).await;
    }
    let api_path = path.strip_prefix("/data").filter(|p| p.starts_with('/')).unwrap_or(&path).to_string();
    let settings = shared.settings();
    let clock = settings.clock();
    let (mut parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();

    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    // A streamed body goes to its handler as it comes (the journal gets what the handler
    // records); every early answer below reads it to its end first, so that the client can
    // finish sending and then read the answer.
    let (body_result, mut streamed) = if is_streamed(&method, &api_path) {
        (Ok(Bytes::new()), Some(body))
    } else {
        let r = match declared {
            Some(n) if n > settings.max_body_bytes => Err(()),
            _ => axum::body::to_bytes(body, settings.max_body_bytes).await.map_err(|_| ()),
        };
        (r, None)
    };
    let bytes = body_result.clone().unwrap_or_default();
    let entry = Entry {
        seq: 0,
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().map(str::to_string),
        headers: capture_headers(&parts.headers),
        body: bytes.clone(),
        status: None,
        fault: None,
        applied: false,
        timestamp: clock.now_string(),
    };
    let seq = shared.journal().push(entry, settings.journal_limit);
    parts.extensions.insert(JournalSeq(seq));
    let finish = |resp: Response, fault: Option<&'static str>| {
        shared.journal().set_status(seq, resp.status().as_u16(), fault);
        resp
    };
    let envelope = |e: ApiError| e.into_response_at(&api_path, &clock.now_string());

    if body_result.is_err() {
        let e = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("Request body exceeds {} bytes", settings.max_body_bytes));
        return finish(envelope(e), None);
    }

    // Faults: latency ones add up; the first other one that fires decides.
    let mut delay = 0u64;
    let mut action = FaultAction::None;
    let mut fault_name = None;
    let mut after_work = false;
    {
        let mut faults = lock(&shared.faults);
        for f in faults.iter_mut() {
            if !f.fires(&method, &api_path, &bytes) {
                continue;
            }
            match f.spec.kind {
                FaultKind::Latency => delay += f.spec.latency_ms.unwrap_or(0),
                FaultKind::Reset => {
                    action = FaultAction::Reset;
                    fault_name = Some(if f.spec.after_work { "reset-after-work" } else { "reset" });
                    after_work = f.spec.after_work;
                }
                FaultKind::Truncate => {
                    action = FaultAction::Truncate;
                    fault_name = Some("truncate");
                }
                FaultKind::Status => {
                    let status = StatusCode::from_u16(f.spec.status.unwrap_or(500)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let mut resp = match &f.spec.body {
                        Some(serde_json::Value::String(s)) => (status, s.clone()).into_response(),
                        Some(v) => json_response(status, serde_json::to_vec(v).unwrap_or_default()),
                        None => envelope(ApiError::new(status, "Injected fault")),
                    };
                    if let Some(secs) = f.spec.retry_after {
                        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
                    }
                    action = FaultAction::Respond(resp);
                    fault_name = Some(if f.spec.after_work { "status-after-work" } else { "status" });
                    after_work = f.spec.after_work;
                }
            }
            if !matches!(action, FaultAction::None) {
                break;
            }
        }
    }
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
        fault_name = fault_name.or(Some("latency"));
    }
    let early = !after_work && matches!(action, FaultAction::Respond(_) | FaultAction::Reset);
    if let Some(body) = streamed.take_if(|_| early) {
        crate::api::documents::drain(body).await;
    }
    match action {
        FaultAction::Respond(resp) if !after_work => return finish(resp, fault_name),
        FaultAction::Reset if !after_work => {
            shared.journal().set_status(seq, 0, fault_name);
            return connection_reset();
        }
        _ => {}
    }

    if let Some(token) = bearer(&parts)
        && let Err(retry_after) = shared.rate_check(&token) {
            let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded: too many requests for this token");
            e.retry_after = Some(retry_after);
            if let Some(body) = streamed.take() {
                crate::api::documents::drain(body).await;
            }
            return finish(envelope(e), fault_name);
        }

    if !is_public(&api_path) {
        match authenticate(&shared, &parts, &api_path) {
            Ok(ctx) => {
                parts.extensions.insert(ctx);
            }
            Err(e) => {
                if let Some(body) = streamed.take() {
                    crate::api::documents::drain(body).await;
                }
                return finish(envelope(e), fault_name);
            }
        }
    }

    let body = streamed.take().unwrap_or_else(|| Body::from(bytes));
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if let Some(PendingError(e)) = resp.extensions_mut().remove::<PendingError>() {
        resp = envelope(e);
    } else if matches!(resp.status(), StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) {
        // The router's own answers (unknown route, wrong method) get the envelope too.
        let e = ApiError::new(resp.status(), format!("No route for {method} {api_path}"));
        resp = envelope(e);
    }
    if resp.status().is_success() {
        shared.journal().set_applied(seq);
    }
    match action {
        FaultAction::Respond(fault) => finish(fault, fault_name),
        FaultAction::Reset => {
            shared.journal().set_status(seq, 0, fault_name);
            connection_reset()
        }
        FaultAction::Truncate => {
            let (parts, body) = finish(resp, fault_name).into_parts();
            let full = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            truncated(parts, full)
        }
        FaultAction::None => finish(resp, fault_name),
    }
}

/// Builds and starts emulators.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    dataset: Option<Dataset>,
    token: Option<String>,
    settings: Settings,
    host: IpAddr,
    port: u16,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder { dataset: None, token: None, settings: Settings::default(), host: IpAddr::V4(Ipv4Addr::LOCALHOST), port: 0 }
    }
}

impl EmulatorBuilder {
    /// The data to serve (default: [`Dataset::demo`]).
    pub fn dataset(mut self, d: Dataset) -> Self {
        self.dataset = Some(d);
        self
    }
    /// Replaces the first tenant's first token.
    pub fn token(mut self, t: impl Into<String>) -> Self {
        self.token = Some(t.into());
        self
    }
    /// Requests per second per token; `None` turns the limit off (default 3).
    pub fn rate_limit(mut self, rps: Option<u32>) -> Self {
        self.settings.rate_limit = rps;
        self
    }
    pub fn list_shape(mut self, s: ListShape) -> Self {
        self.settings.list_shape = s;
        self
    }
    pub fn settings(mut self, s: Settings) -> Self {
        self.settings = s;
        self
    }
    /// Address to bind (default 127.0.0.1).
    pub fn host(mut self, h: IpAddr) -> Self {
        self.host = h;
        self
    }
    /// Port to bind (default 0: any free port).
    pub fn port(mut self, p: u16) -> Self {
        self.port = p;
        self
    }

    fn prepare(self) -> std::io::Result<(Arc<Shared>, SocketAddr)> {
        let mut data = self.dataset.unwrap_or_else(Dataset::demo);
        if let Some(t) = &self.token {
            data.set_default_token(t);
        }
        let shared = Shared::new(data, self.settings).map_err(std::io::Error::other)?;
        Ok((shared, SocketAddr::new(self.host, self.port)))
    }

    /// Starts serving on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let (shared, addr) = self.prepare()?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = crate::router(shared.clone());
        let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            });
        let task = tokio::spawn(async move {
            let _ = server.await;
        });
        Ok(Emulator { shared, addr, stop: Some(tx), runner: Runner::Task(Some(task)) })
    }

    /// Starts serving on a thread of its own with its own runtime; usable without tokio.
    pub fn spawn(self) -> std::io::Result<Emulator> {
        let (shared, addr) = self.prepare()?;
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let app = crate::router(shared.clone());
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("exto360-emulator").enable_all().build()?;
        let thread = std::thread::Builder::new().name("exto360-emulator".into()).spawn(move || {
            rt.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else { return };
                let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await;
            });
            rt.shutdown_timeout(Duration::from_secs(1));
        })?;
        Ok(Emulator { shared, addr, stop: Some(tx), runner: Runner::Thread(Some(thread)) })
    }
}

enum Runner {
    Task(Option<tokio::task::JoinHandle<()>>),
    Thread(Option<std::thread::JoinHandle<()>>),
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    runner: Runner,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").field("url", &self.url()).finish_non_exhaustive()
    }
}

impl Emulator {
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
    /// `http://127.0.0.1:PORT` — usable as the client's base URL (the API is served both at
    /// `/api/v1/...` and under `/data/api/v1/...`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The first tenant's first token.
    pub fn token(&self) -> String {
        read(&self.shared.dataset).default_token().unwrap_or_default().to_string()
    }
    /// The state, journal, faults and settings of this emulator.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
    pub fn journal(&self) -> Vec<serde_json::Value> {
        self.shared.journal_json()
    }
    pub fn clear_journal(&self) {
        self.shared.journal().clear();
    }
    pub fn reset(&self) -> Result<(), String> {
        self.shared.reset()
    }
    pub fn set_faults(&self, faults: Vec<FaultSpec>) -> Result<(), String> {
        self.shared.set_faults(faults)
    }

    fn signal_stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn shutdown(mut self) {
        self.signal_stop();
        match &mut self.runner {
            Runner::Task(t) => {
                if let Some(t) = t.take() {
                    let _ = t.await;
                }
            }
            Runner::Thread(t) => {
                if let Some(t) = t.take() {
                    let _ = tokio::task::spawn_blocking(move || t.join()).await;
                }
            }
        }
    }

    /// Blocking stop for emulators made by [`EmulatorBuilder::spawn`].
    pub fn stop(mut self) {
        self.signal_stop();
        if let Runner::Thread(t) = &mut self.runner
            && let Some(t) = t.take() {
                let _ = t.join();
            }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.signal_stop();
    }
}
