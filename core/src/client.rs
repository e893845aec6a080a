//! The async [`Client`] and the one place requests are sent: rate limit, retries, errors,
//! tracing.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::{ClientBuilder, Secret};
use crate::error::{Error, ErrorKind, Evidence, Result};
use crate::ratelimit::Limiter;

/// How safe a request is to repeat (DESIGN.md "Retries").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// GET: retried on 429, 5xx, timeouts and connection failures.
    Read,
    /// PATCH activate/deactivate, DELETE: repeating them changes nothing; retried like reads.
    Idempotent,
    /// POST: retried on 429 and failures before sending; on 5xx/timeouts only if opted in.
    Write,
}

/// One API call, ready to be sent (and sent again).
pub(crate) struct Call {
    pub method: Method,
    /// Encoded path below the base URL, e.g. `api/v1/master-record/LOCATION`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Bytes>,
    pub safety: Safety,
    /// Set by a bulk operation that has failed: calls not yet sent are not sent at all.
    pub abort: Option<Arc<AtomicBool>>,
    /// A bulk chunk's watcher, asked before every attempt ([`crate::BulkWatch`]).
    pub gate: Option<Arc<crate::bulk::ChunkGate>>,
    /// A multipart body, built afresh for every attempt (files are streamed, never held).
    pub multipart: Option<MultipartBody>,
    /// Sent at most once: its body cannot be built again (an upload from a reader).
    pub once: bool,
    /// This call's whole-request timeout instead of the client's (file transfers).
    pub timeout: Option<Duration>,
    /// The answer is not JSON (a download): `Accept: */*`.
    pub any_answer: bool,
}

/// Builds the multipart body of one attempt.
pub(crate) type MultipartBody = Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, Result<reqwest::multipart::Form>> + Send + Sync>;

impl Call {
    pub fn new(method: Method, path: String, safety: Safety) -> Call {
        Call { method, path, query: Vec::new(), body: None, safety, abort: None, gate: None, multipart: None, once: false, timeout: None, any_answer: false }
    }
    pub fn get(path: String) -> Call {
        Call::new(Method::GET, path, Safety::Read)
    }
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Call {
        self.query.push((key, value.into()));
        self
    }
    pub fn json_body(mut self, body: Bytes) -> Call {
        self.body = Some(body);
        self
    }
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    /// Base URL, always ending in `/`.
    pub base: Url,
    pub token: Secret,
    pub tenant_id: Option<String>,
    pub workspace_id: Option<String>,
    pub max_retries: u32,
    /// The whole-request timeout of API calls (file transfers take longer, see `documents`).
    pub timeout: Duration,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub max_retry_wait: Duration,
    pub retry_writes: bool,
    pub limiter: Option<Limiter>,
    pub rate_limit: Option<f64>,
    pub bulk_concurrency: usize,
    pub prefetch_pages: usize,
}

/// The Exto360 Data API client. Cheap to clone (clones share the connection pool and the rate
/// limiter), `Send + Sync`.
///
/// ```no_run
/// # async fn demo() -> exto360::Result<()> {
/// use futures_util::TryStreamExt;
/// let client = exto360::Client::builder().token("…").project_id("Vx6-j2Z").build()?;
/// let page = client.masters("LOCATION").list(&Default::default()).await?;
/// let all: Vec<exto360::Record> = client.masters("LOCATION").iter(Default::default()).try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) project: Option<Arc<str>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("project_id", &self.project.as_deref())
            .field("tenant_id", &self.inner.tenant_id)
            .field("rate_limit", &self.inner.rate_limit)
            .field("rate_limit_store", &self.inner.limiter.as_ref().and_then(Limiter::store))
            .field("max_retries", &self.inner.max_retries)
            .finish_non_exhaustive()
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The client's rate limiter: none, in-process, or shared through a store.
fn limiter(b: &ClientBuilder, base: &Url) -> Result<Option<Limiter>> {
    let Some(rate) = b.rate_limit else { return Ok(None) };
    match &b.rate_limit_store {
        None => Ok(Some(Limiter::Local(crate::ratelimit::local::Local::new(rate)))),
        #[cfg(feature = "redis")]
        Some(url) => {
            let token = b.token.as_ref().map(Secret::expose).unwrap_or_default();
            let shared = crate::ratelimit::shared::Shared::new(url, b.rate_limit_namespace.as_deref(), token, base.as_str(), rate, b.rate_limit_fallback, b.rate_limit_workers)?;
            Ok(Some(Limiter::Shared(Box::new(shared))))
        }
        #[cfg(not(feature = "redis"))]
        Some(_) => Err(Error::invalid_input("a rate limit store needs the `redis` feature of the exto360 crate")),
    }
}

/// A header value that may go on the wire: visible ASCII only.
fn header_value(what: &str, v: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(v).map_err(|_| Error::invalid_input(format!("{what} contains characters not allowed in an HTTP header")))
}

impl Client {
    /// A builder with every default; nothing is read from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `EXTO360_*` variables (`EXTO360_TOKEN` is required).
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    pub(crate) fn from_builder(b: ClientBuilder) -> Result<Client> {
        let token = b.token.clone().ok_or_else(|| Error::invalid_input("token is missing: pass one or set EXTO360_TOKEN"))?;
        if token.expose().trim().is_empty() {
            return Err(Error::invalid_input("token is empty"));
        }
        if token.expose().chars().any(|c| c.is_whitespace() || c.is_control()) || !token.expose().is_ascii() {
            return Err(Error::invalid_input("token contains characters that cannot be sent in a header (whitespace, control or non-ASCII)"));
        }
        let mut base = Url::parse(b.base_url.trim()).map_err(|e| Error::invalid_input(format!("base URL '{}' is not a URL: {e}", b.base_url)))?;
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) || b.allow_insecure_http => {}
            "http" => {
                return Err(Error::invalid_input(format!(
                    "base URL '{}' uses plain http to a non-loopback host, which would send the token in clear; use https or allow_insecure_http(true)",
                    b.base_url
                )));
            }
            other => return Err(Error::invalid_input(format!("base URL scheme must be https, got '{other}'"))),
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::invalid_input("base URL must not have a query or fragment"));
        }
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        b.check_limits()?;
        for (what, v) in [("project id", &b.project_id), ("tenant id", &b.tenant_id), ("workspace id", &b.workspace_id)] {
            if let Some(v) = v {
                header_value(what, v)?;
                crate::encode::required(what, v)?;
            }
        }
        header_value("user agent", &b.user_agent)?;

        // rustls needs a crypto provider; install ring's unless the application chose one.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = reqwest::Client::builder()
            .user_agent(b.user_agent.clone())
            .timeout(b.timeout)
            .connect_timeout(b.connect_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::invalid_input(format!("cannot build the HTTP client: {e}")).with_source(e))?;
        let limiter = limiter(&b, &base)?;
        let inner = Inner {
            http,
            base,
            token,
            tenant_id: b.tenant_id,
            workspace_id: b.workspace_id,
            max_retries: b.max_retries,
            timeout: b.timeout,
            initial_backoff: b.initial_backoff,
            max_backoff: b.max_backoff.max(b.initial_backoff),
            max_retry_wait: b.max_retry_wait,
            retry_writes: b.retry_writes,
            limiter,
            rate_limit: b.rate_limit,
            bulk_concurrency: b.bulk_concurrency,
            prefetch_pages: b.prefetch_pages,
        };
        Ok(Client { inner: Arc::new(inner), project: b.project_id.map(Arc::from) })
    }

    /// A copy scoped to another project (`X-Project-Id`), sharing this client's connections
    /// and rate limiter.
    pub fn with_project(&self, project_id: impl Into<String>) -> Result<Client> {
        let id = project_id.into();
        crate::encode::required("project id", &id)?;
        header_value("project id", &id)?;
        Ok(Client { inner: self.inner.clone(), project: Some(Arc::from(id)) })
    }

    /// A copy in tenant scope (no `X-Project-Id`).
    pub fn without_project(&self) -> Client {
        Client { inner: self.inner.clone(), project: None }
    }

    /// The project this client is scoped to, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.project.as_deref()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// Sends a call and returns the body of its 2xx answer, retrying as the policy allows.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Bytes> {
        self.execute_status(call).await.map(|(_, body)| body)
    }

    /// [`Client::execute`] for a write: a 2xx answer whose body says `"success": false` is the
    /// API refusing it (§2.4), an error of kind `Forbidden` — never a silent success.
    pub(crate) async fn execute_write(&self, call: &Call) -> Result<Bytes> {
        let (status, body) = self.execute_status(call).await?;
        match refusal(&body) {
            Some(message) => Err(Error::refused_in_body(status, &format!("{} /{}", call.method, call.path), message.as_deref())),
            None => Ok(body),
        }
    }

    /// [`Client::execute`] with the status of the answer.
    async fn execute_status(&self, call: &Call) -> Result<(u16, Bytes)> {
        self.with_retries(call, |n| self.attempt(call, n)).await
    }

    /// Sends a call, retrying as the policy allows until a 2xx status, and returns the answer
    /// with its body unread (downloads stream it). A body that breaks off later is not retried.
    pub(crate) async fn execute_response(&self, call: &Call) -> Result<reqwest::Response> {
        self.with_retries(call, |n| async move { self.open(call, n).await.map(|(resp, _)| resp) }).await
    }

    /// Runs `attempt` (given the attempt number) until it succeeds or the policy stops it, and
    /// gives the error the retry count and the evidence of every attempt.
    async fn with_retries<T, F, Fut>(&self, call: &Call, attempt: F) -> Result<T>
    where
        F: Fn(u32) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let inner = &*self.inner;
        let attempts = AtomicU32::new(0);
        // What the attempts so far tell about whether the request was carried out (their
        // maximum, see `Evidence`): a write's report is decided from all of them.
        let evidence = AtomicU8::new(Evidence::NotApplied as u8);
        let backoff = ExponentialBuilder::default()
            .with_min_delay(inner.initial_backoff)
            .with_max_delay(inner.max_backoff)
            .with_max_times(inner.max_retries as usize)
            .with_jitter();
        let span = tracing::debug_span!("exto360.request", method = %call.method, path = %call.path);
        let result = (|| async {
            let n = attempts.fetch_add(1, Ordering::Relaxed);
            let res = attempt(n).await;
            if let Err(e) = &res {
                evidence.fetch_max(e.attempt_evidence() as u8, Ordering::Relaxed);
            }
            res
        })
        .retry(backoff)
        .sleep(tokio::time::sleep)
        .when(|e: &Error| !call.once && self.should_retry(call.safety, e))
        .adjust(|e: &Error, next: Option<Duration>| {
            let next = next?;
            match e.retry_after() {
                Some(ra) if ra > inner.max_retry_wait => None,
                Some(ra) => Some(ra.max(next)),
                None => Some(next),
            }
        })
        .notify(|e: &Error, wait: Duration| {
            tracing::warn!(kind = %e.kind(), status = e.status(), wait_ms = wait.as_millis() as u64, "exto360: retrying after {e}");
        })
        .instrument(span)
        .await;
        result.map_err(|mut e| {
            e.set_retries(attempts.load(Ordering::Relaxed).saturating_sub(1));
            e.set_evidence(Evidence::from_u8(evidence.load(Ordering::Relaxed)));
            e
        })
    }

    /// Sends a call and reads its JSON answer.
    pub(crate) async fn execute_json<T: DeserializeOwned>(&self, call: &Call) -> Result<T> {
        let body = if call.safety == Safety::Read { self.execute(call).await? } else { self.execute_write(call).await? };
        // A 2xx answer that cannot be read still proves the request was carried out.
        serde_json::from_slice(&body).map_err(|e| {
            Error::new(ErrorKind::InvalidResponse, format!("{} /{}: unexpected answer: {e}", call.method, call.path)).with_source(e).answered_2xx()
        })
    }

    fn should_retry(&self, safety: Safety, e: &Error) -> bool {
        if e.is_skipped() {
            return false;
        }
        // A write answered 2xx was carried out, even if its answer broke off: never repeat it.
        if safety != Safety::Read && e.attempt_evidence() == Evidence::Applied {
            return false;
        }
        match e.kind() {
            ErrorKind::RateLimited => true,
            ErrorKind::Connection | ErrorKind::Timeout if !e.maybe_sent() => true,
            ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection => safety != Safety::Write || self.inner.retry_writes,
            _ => false,
        }
    }

    fn url(&self, call: &Call) -> Result<Url> {
        let mut url = self.inner.base.join(&call.path).map_err(|e| Error::invalid_input(format!("bad request path {}: {e}", call.path)))?;
        if !call.query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in &call.query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn headers(&self, call: &Call) -> Result<HeaderMap> {
        let mut h = HeaderMap::new();
        let mut auth = header_value("token", &format!("Bearer {}", self.inner.token.expose()))?;
        auth.set_sensitive(true);
        h.insert(AUTHORIZATION, auth);
        h.insert(ACCEPT, HeaderValue::from_static(if call.any_answer { "*/*" } else { "application/json" }));
        if call.body.is_some() {
            h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(p) = &self.project {
            h.insert("x-project-id", header_value("project id", p)?);
        }
        if let Some(t) = &self.inner.tenant_id {
            h.insert("x-tenant-id", header_value("tenant id", t)?);
        }
        if let Some(w) = &self.inner.workspace_id {
            h.insert("x-workspace-id", header_value("workspace id", w)?);
        }
        Ok(h)
    }

    async fn attempt(&self, call: &Call, attempt: u32) -> Result<(u16, Bytes)> {
        let (resp, started) = self.open(call, attempt).await?;
        let what = format!("{} /{}", call.method, call.path);
        let status = resp.status().as_u16();
        // A 2xx answer that breaks off still proves the request was carried out.
        let body = resp.bytes().await.map_err(|e| transport_error(&what, e).answered_2xx())?;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        tracing::debug!(method = %call.method, path = %call.path, status, attempt, elapsed_ms, bytes = body.len(), "exto360 request");
        Ok((status, body))
    }

    /// One attempt up to a 2xx status (its body unread); any other status is read and
    /// returned as the error.
    async fn open(&self, call: &Call, attempt: u32) -> Result<(reqwest::Response, Instant)> {
        if let Some(l) = &self.inner.limiter {
            l.acquire().await?;
        }
        if call.abort.as_ref().is_some_and(|a| a.load(Ordering::Relaxed)) {
            return Err(Error::skipped());
        }
        if let Some(gate) = &call.gate
            && !gate.open()
        {
            if let Some(a) = &call.abort {
                a.store(true, Ordering::Relaxed);
            }
            return Err(Error::stopped());
        }
        let started = Instant::now();
        let what = format!("{} /{}", call.method, call.path);
        let mut req = self.inner.http.request(call.method.clone(), self.url(call)?).headers(self.headers(call)?);
        if let Some(b) = &call.body {
            req = req.body(b.clone());
        }
        if let Some(m) = &call.multipart {
            req = req.multipart(m().await?);
        }
        if let Some(t) = call.timeout {
            req = req.timeout(t);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return Err(transport_error(&what, e)),
        };
        let status = resp.status().as_u16();
        let request_id = ["x-request-id", "x-correlation-id"]
            .iter()
            .find_map(|h| resp.headers().get(*h).and_then(|v| v.to_str().ok()).map(str::to_string));
        let retry_after = resp.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
        if (200..300).contains(&status) {
            return Ok((resp, started));
        }
        let body = resp.bytes().await.map_err(|e| transport_error(&what, e))?;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        tracing::debug!(method = %call.method, path = %call.path, status, attempt, elapsed_ms, "exto360 request failed");
        let mut e = Error::from_response(status, &body, request_id);
        e.set_retry_after(retry_after);
        Err(e)
    }
}

/// `Some(message)` when a 2xx answer is an object with `"success": false`.
fn refusal(body: &[u8]) -> Option<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Flag {
        success: Option<bool>,
        message: Option<String>,
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    let flag: Flag = serde_json::from_slice(body).ok()?;
    (flag.success == Some(false)).then_some(flag.message)
}

/// A failure without an HTTP answer. Connection failures before the request left are marked
/// not-sent, which makes even writes safe to retry.
pub(crate) fn transport_error(what: &str, e: reqwest::Error) -> Error {
    let e = e.without_url();
    let not_sent = e.is_connect();
    let (kind, label) = if e.is_timeout() {
        (ErrorKind::Timeout, "timed out")
    } else if e.is_connect() {
        (ErrorKind::Connection, "could not connect")
    } else if e.is_body() || e.is_decode() {
        (ErrorKind::Connection, "answer broke off")
    } else {
        (ErrorKind::Connection, "connection failed")
    };
    let mut detail = e.to_string();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = src {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        src = s.source();
    }
    let err = Error::new(kind, format!("{what}: {label} ({detail})")).with_source(e);
    if not_sent { err.not_sent() } else { err }
}

/// `Retry-After`: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        // Anything beyond a day is "longer than we wait" anyway; never a panic on odd input.
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_false_is_a_refusal_and_nothing_else_is() {
        assert_eq!(refusal(br#"{"success": false, "message": "no"}"#), Some(Some("no".into())));
        assert_eq!(refusal(br#" {"message": "x", "success": false}"#), Some(Some("x".into())));
        assert_eq!(refusal(br#"{"success": false}"#), Some(None));
        for ok in [&br#"{"success": true}"#[..], br#"{"insertedIds": []}"#, b"", b"[]", br#"{"success": "false"}"#, b"{"] {
            assert_eq!(refusal(ok), None, "{}", String::from_utf8_lossy(ok));
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&later).unwrap();
        assert!(d <= Duration::from_secs(30) && d >= Duration::from_secs(28), "{d:?}");
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("1e300"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("99999999999999999999999"), Some(Duration::from_secs(86_400)));
    }
}
