//! Client configuration: what can be set, its default, its environment variable.

use std::fmt;
use std::time::Duration;

use crate::client::Client;
use crate::error::{Error, Result};

/// Where a tenant lives. The base URL can also be set directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    /// `https://platform.exto360.com/data` — the default, and the only host in the first
    /// edition of the docs.
    #[default]
    India,
    /// `https://app-us.exto360.com/data`.
    Usa,
}

impl Region {
    pub fn base_url(self) -> &'static str {
        match self {
            Region::India => "https://platform.exto360.com/data",
            Region::Usa => "https://app-us.exto360.com/data",
        }
    }
}

/// A credential that never shows itself in `Debug`, `Display` or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The token itself — only for building the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Defaults, in one place so docs and code cannot drift.
pub mod defaults {
    use std::time::Duration;
    /// Whole-request timeout (connect, send, wait, read the body).
    pub const TIMEOUT: Duration = Duration::from_secs(60);
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const MAX_RETRIES: u32 = 3;
    pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
    pub const MAX_BACKOFF: Duration = Duration::from_secs(8);
    /// A `Retry-After` longer than this is not waited for: the call fails with `RateLimited`.
    pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
    /// Requests per second, the API's documented limit per token.
    pub const RATE_LIMIT: f64 = 3.0;
    /// Bulk chunks in flight at once.
    pub const BULK_CONCURRENCY: usize = 4;
    /// Pages fetched ahead of the one being consumed by `iter`.
    pub const PREFETCH_PAGES: usize = 1;
    /// Page size of `list` and `iter` when none is given (the API's maximum).
    pub const PAGE_SIZE: u32 = 1000;
}

/// The ranges every setting must fall in; [`ClientBuilder::build`] refuses anything outside
/// with `InvalidInput` naming the setting (no value can make the client panic or wait forever).
pub mod limits {
    use std::time::Duration;
    /// Timeouts (request, connect): more than zero, at most one day.
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
    /// Backoff steps and the longest `Retry-After` waited for: at most one hour.
    pub const MAX_BACKOFF: Duration = Duration::from_secs(3_600);
    pub const MAX_RETRIES: u32 = 100;
    /// Requests per second: 0.001 (one per ~17 minutes) to 10,000.
    pub const MIN_RATE_LIMIT: f64 = 0.001;
    pub const MAX_RATE_LIMIT: f64 = 10_000.0;
    /// Bulk chunks in flight and pages fetched ahead: 1 to 64.
    pub const MAX_CONCURRENCY: usize = 64;
}

/// Seconds (as the env vars and bindings spell durations) to a `Duration`, or `None` when the
/// number is not finite, negative, or beyond `max`.
pub fn seconds(s: f64, max: Duration) -> Option<Duration> {
    if !(s.is_finite() && s >= 0.0) || s > max.as_secs_f64() {
        return None;
    }
    Duration::try_from_secs_f64(s).ok()
}

/// Builds a [`Client`]. Every setting has a default; [`ClientBuilder::from_env`] starts from
/// the `EXTO360_*` environment variables instead of the defaults.
#[derive(Clone)]
pub struct ClientBuilder {
    pub(crate) token: Option<Secret>,
    pub(crate) base_url: String,
    pub(crate) project_id: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) workspace_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_wait: Duration,
    pub(crate) retry_writes: bool,
    pub(crate) rate_limit: Option<f64>,
    pub(crate) rate_limit_store: Option<String>,
    pub(crate) rate_limit_namespace: Option<String>,
    pub(crate) rate_limit_fallback: crate::ratelimit::StoreFallback,
    pub(crate) rate_limit_workers: u32,
    pub(crate) bulk_concurrency: usize,
    pub(crate) prefetch_pages: usize,
    pub(crate) user_agent: String,
    pub(crate) allow_insecure_http: bool,
    /// Problems found while reading the environment, reported by `build()`.
    pub(crate) env_error: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("base_url", &self.base_url)
            .field("project_id", &self.project_id)
            .field("tenant_id", &self.tenant_id)
            .field("workspace_id", &self.workspace_id)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_store", &self.rate_limit_store.as_deref().map(shown_store))
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            token: None,
            base_url: Region::India.base_url().to_string(),
            project_id: None,
            tenant_id: None,
            workspace_id: None,
            timeout: defaults::TIMEOUT,
            connect_timeout: defaults::CONNECT_TIMEOUT,
            max_retries: defaults::MAX_RETRIES,
            initial_backoff: defaults::INITIAL_BACKOFF,
            max_backoff: defaults::MAX_BACKOFF,
            max_retry_wait: defaults::MAX_RETRY_WAIT,
            retry_writes: false,
            rate_limit: Some(defaults::RATE_LIMIT),
            rate_limit_store: None,
            rate_limit_namespace: None,
            rate_limit_fallback: crate::ratelimit::StoreFallback::Local,
            rate_limit_workers: 1,
            bulk_concurrency: defaults::BULK_CONCURRENCY,
            prefetch_pages: defaults::PREFETCH_PAGES,
            user_agent: format!("exto360-rust/{}", env!("CARGO_PKG_VERSION")),
            allow_insecure_http: false,
            env_error: None,
        }
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub mod env {
    pub const TOKEN: &str = "EXTO360_TOKEN";
    pub const BASE_URL: &str = "EXTO360_BASE_URL";
    pub const PROJECT_ID: &str = "EXTO360_PROJECT_ID";
    pub const TENANT_ID: &str = "EXTO360_TENANT_ID";
    pub const WORKSPACE_ID: &str = "EXTO360_WORKSPACE_ID";
    /// Seconds, may be fractional.
    pub const TIMEOUT: &str = "EXTO360_TIMEOUT";
    pub const MAX_RETRIES: &str = "EXTO360_MAX_RETRIES";
    /// Requests per second, or `off`.
    pub const RATE_LIMIT: &str = "EXTO360_RATE_LIMIT";
    /// `redis://…` / `rediss://…`: share the rate limit with every process using the token.
    pub const RATE_LIMIT_STORE: &str = "EXTO360_RATE_LIMIT_STORE";
    pub const RATE_LIMIT_NAMESPACE: &str = "EXTO360_RATE_LIMIT_NAMESPACE";
    /// `local` or `fail`.
    pub const RATE_LIMIT_FALLBACK: &str = "EXTO360_RATE_LIMIT_FALLBACK";
    /// Whole number ≥ 1.
    pub const RATE_LIMIT_WORKERS: &str = "EXTO360_RATE_LIMIT_WORKERS";
}

/// A store URL as it may be shown (no password).
pub(crate) fn shown_store(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "<invalid URL>".into(),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Parses a rate limit as the env var and the bindings spell it: a number of requests per
/// second, or `off`/`none`/`0` for no limit.
pub fn parse_rate_limit(s: &str) -> std::result::Result<Option<f64>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "off" | "none" | "0" => Ok(None),
        n => match n.parse::<f64>() {
            Ok(v) => check_rate_limit(v).map(Some),
            _ => Err(format!("expected requests per second or `off`, got '{s}'")),
        },
    }
}

/// A rate limit within [`limits`].
pub(crate) fn check_rate_limit(v: f64) -> std::result::Result<f64, String> {
    if v.is_finite() && (limits::MIN_RATE_LIMIT..=limits::MAX_RATE_LIMIT).contains(&v) {
        Ok(v)
    } else {
        Err(format!("rate limit must be between {} and {} requests per second (or off), got {v}", limits::MIN_RATE_LIMIT, limits::MAX_RATE_LIMIT))
    }
}

impl ClientBuilder {
    /// Every setting within [`limits`]; the message names the setting.
    pub(crate) fn check_limits(&self) -> Result<()> {
        let bad = |m: String| Err(Error::invalid_input(m));
        for (what, d) in [("timeout", self.timeout), ("connect timeout", self.connect_timeout)] {
            if d.is_zero() || d > limits::MAX_TIMEOUT {
                return bad(format!("{what} must be more than 0 and at most {} s, got {} s", limits::MAX_TIMEOUT.as_secs(), d.as_secs_f64()));
            }
        }
        for (what, d) in [("initial backoff", self.initial_backoff), ("max backoff", self.max_backoff), ("max retry wait", self.max_retry_wait)] {
            if d > limits::MAX_BACKOFF {
                return bad(format!("{what} must be at most {} s, got {} s", limits::MAX_BACKOFF.as_secs(), d.as_secs_f64()));
            }
        }
        if self.max_retries > limits::MAX_RETRIES {
            return bad(format!("max retries must be at most {}, got {}", limits::MAX_RETRIES, self.max_retries));
        }
        if let Some(r) = self.rate_limit {
            check_rate_limit(r).map_err(Error::invalid_input)?;
        }
        if !(1..=10_000).contains(&self.rate_limit_workers) {
            return bad(format!("rate limit workers must be between 1 and 10000, got {}", self.rate_limit_workers));
        }
        if let Some(ns) = &self.rate_limit_namespace
            && (ns.is_empty() || ns.len() > 64 || !ns.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return bad(format!("rate limit namespace '{ns}' must be 1 to 64 letters, digits, '-', '_' or '.'"));
        }
        if self.rate_limit_store.is_some() && self.rate_limit.is_none() {
            return bad("a rate limit store needs a rate limit; it is off".into());
        }
        for (what, n) in [("bulk concurrency", self.bulk_concurrency), ("prefetch pages", self.prefetch_pages)] {
            if !(1..=limits::MAX_CONCURRENCY).contains(&n) {
                return bad(format!("{what} must be between 1 and {}, got {n}", limits::MAX_CONCURRENCY));
            }
        }
        Ok(())
    }
}

impl ClientBuilder {
    /// Defaults for everything; no environment variable is read.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defaults, then every `EXTO360_*` variable that is set ([`env`](mod@env)). Later calls override
    /// them. A malformed value is reported by [`ClientBuilder::build`].
    pub fn from_env() -> Self {
        let mut b = Self::default();
        let mut problem = |name: &str, msg: String| {
            b.env_error.get_or_insert_with(|| format!("{name}: {msg}"));
        };
        let token = var(env::TOKEN);
        let base = var(env::BASE_URL);
        let project = var(env::PROJECT_ID);
        let tenant = var(env::TENANT_ID);
        let workspace = var(env::WORKSPACE_ID);
        let mut timeout = None;
        if let Some(t) = var(env::TIMEOUT) {
            match t.parse::<f64>().ok().filter(|s| *s > 0.0).and_then(|s| seconds(s, limits::MAX_TIMEOUT)) {
                Some(d) => timeout = Some(d),
                None => problem(env::TIMEOUT, format!("expected seconds, more than 0 and at most 86400, got '{t}'")),
            }
        }
        let mut retries = None;
        if let Some(r) = var(env::MAX_RETRIES) {
            match r.parse::<u32>() {
                Ok(n) => retries = Some(n),
                Err(_) => problem(env::MAX_RETRIES, format!("expected a whole number, got '{r}'")),
            }
        }
        let mut rate = None;
        if let Some(r) = var(env::RATE_LIMIT) {
            match parse_rate_limit(&r) {
                Ok(v) => rate = Some(v),
                Err(e) => problem(env::RATE_LIMIT, e),
            }
        }
        let store = var(env::RATE_LIMIT_STORE);
        let namespace = var(env::RATE_LIMIT_NAMESPACE);
        let mut fallback = None;
        if let Some(f) = var(env::RATE_LIMIT_FALLBACK) {
            match crate::ratelimit::StoreFallback::parse(&f) {
                Some(v) => fallback = Some(v),
                None => problem(env::RATE_LIMIT_FALLBACK, format!("expected `local` or `fail`, got '{f}'")),
            }
        }
        let mut workers = None;
        if let Some(w) = var(env::RATE_LIMIT_WORKERS) {
            match w.parse::<u32>() {
                Ok(n) => workers = Some(n),
                Err(_) => problem(env::RATE_LIMIT_WORKERS, format!("expected a whole number ≥ 1, got '{w}'")),
            }
        }
        b.rate_limit_store = store;
        b.rate_limit_namespace = namespace;
        if let Some(f) = fallback {
            b.rate_limit_fallback = f;
        }
        if let Some(w) = workers {
            b.rate_limit_workers = w;
        }
        b.token = token.map(Secret);
        if let Some(u) = base {
            b.base_url = u;
        }
        b.project_id = project;
        b.tenant_id = tenant;
        b.workspace_id = workspace;
        if let Some(t) = timeout {
            b.timeout = t;
        }
        if let Some(r) = retries {
            b.max_retries = r;
        }
        if let Some(r) = rate {
            b.rate_limit = r;
        }
        b
    }

    /// The personal access token (`Authorization: Bearer …`). Env: `EXTO360_TOKEN`. Required.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }
    /// Base URL including the `/data` prefix. Default `https://platform.exto360.com/data`.
    /// Env: `EXTO360_BASE_URL`. Plain `http://` is refused except for loopback hosts (see
    /// [`ClientBuilder::allow_insecure_http`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// Sets the base URL to a region's host.
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.base_url().to_string();
        self
    }
    /// Default project scope, sent as `X-Project-Id`. Default: none (tenant scope).
    /// Env: `EXTO360_PROJECT_ID`. [`Client::with_project`] makes a copy for another project.
    pub fn project_id(mut self, id: impl Into<String>) -> Self {
        self.project_id = Some(id.into());
        self
    }
    /// Tenant, sent as `x-tenant-id`; only needed for tokens that reach several tenants.
    /// Default: none. Env: `EXTO360_TENANT_ID`.
    pub fn tenant_id(mut self, id: impl Into<String>) -> Self {
        self.tenant_id = Some(id.into());
        self
    }
    /// Workspace scope, sent as `x-workspace-id`. Default: none. Env: `EXTO360_WORKSPACE_ID`.
    pub fn workspace_id(mut self, id: impl Into<String>) -> Self {
        self.workspace_id = Some(id.into());
        self
    }
    /// Limit for one attempt of one request, body included. Default 60 s; more than 0, at
    /// most one day. Env: `EXTO360_TIMEOUT` (seconds).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Limit for opening a connection. Default 10 s; more than 0, at most one day.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// Retries after the first attempt. Default 3, at most 100. Env: `EXTO360_MAX_RETRIES`.
    ///
    /// The wait before retry *n* (1-based) is
    /// `min(max_backoff, initial_backoff × 2^(n−1)) × (1 + U[0,1))` — exponential with jitter —
    /// or the answer's `Retry-After` when that is longer (up to `max_retry_wait`).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }
    /// First backoff step. Default 500 ms, at most one hour.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }
    /// Largest backoff step (before jitter). Default 8 s, at most one hour.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
    /// Longest `Retry-After` the client waits for; a longer one fails the call with
    /// `RateLimited` at once. Default 60 s, at most one hour.
    pub fn max_retry_wait(mut self, d: Duration) -> Self {
        self.max_retry_wait = d;
        self
    }
    /// Also retry POST writes (upserts, workflow actions, grants) after a 5xx, a timeout or a
    /// connection lost after sending. Default `false`: such a write may have happened, and
    /// repeating it could apply a workflow action twice. POSTs are always retried after a 429
    /// and after failures that happened before the request was sent; a write answered 2xx is
    /// never repeated, even if its answer broke off.
    ///
    /// What a repeated write can cause: a record upsert turns an insert into an update of the
    /// same record when the record carries a unique field (a duplicate without one); a
    /// sub-table write may append its rows twice; a workflow action is refused the second time
    /// (the record has moved on) and the chunk is then reported unknown. Whatever happens, the
    /// bulk report never calls a row that may have been written "not written".
    pub fn retry_writes(mut self, yes: bool) -> Self {
        self.retry_writes = yes;
        self
    }
    /// Client-side limit in requests per second, shared by every clone of the client and
    /// every request it makes (pages, bulk chunks, retries). `None` turns it off. Default 3.0
    /// (the API's limit per token); between 0.001 and 10,000. Env: `EXTO360_RATE_LIMIT`
    /// (number or `off`).
    pub fn rate_limit(mut self, per_second: Option<f64>) -> Self {
        self.rate_limit = per_second;
        self
    }
    /// Shares the rate limit with every process and machine that uses this token against this
    /// base URL, through a Redis server: `redis://[:password@]host[:port][/db]` or `rediss://`
    /// (TLS). Default: none (the limit is per client, in-process). Env:
    /// `EXTO360_RATE_LIMIT_STORE`. The Redis key is a hash of the token and base URL (never the
    /// token), prefixed with `exto360:rl:` and the [namespace](Self::rate_limit_namespace).
    /// Needs a rate limit (not `off`).
    pub fn rate_limit_store(mut self, url: impl Into<String>) -> Self {
        self.rate_limit_store = Some(url.into());
        self
    }
    /// A namespace inside the store's keys (letters, digits, `-`, `_`, `.`; at most 64), for
    /// budgets that must stay apart on one Redis. Default: none. Env:
    /// `EXTO360_RATE_LIMIT_NAMESPACE`.
    pub fn rate_limit_namespace(mut self, ns: impl Into<String>) -> Self {
        self.rate_limit_namespace = Some(ns.into());
        self
    }
    /// What to do when the store cannot be reached within 500 ms. Default
    /// [`StoreFallback::Local`](crate::StoreFallback::Local): an in-process limit of
    /// `rate / rate_limit_workers`, a `tracing` warning, and the store tried again after 5 s.
    /// Env: `EXTO360_RATE_LIMIT_FALLBACK` (`local` or `fail`).
    pub fn rate_limit_fallback(mut self, f: crate::StoreFallback) -> Self {
        self.rate_limit_fallback = f;
        self
    }
    /// How many workers share the token, for the local fallback's rate (`rate / workers`).
    /// Default 1, at most 10,000. Env: `EXTO360_RATE_LIMIT_WORKERS`.
    pub fn rate_limit_workers(mut self, n: u32) -> Self {
        self.rate_limit_workers = n;
        self
    }
    /// Bulk chunks in flight at once (still under the rate limit). Default 4, 1 to 64.
    pub fn bulk_concurrency(mut self, n: usize) -> Self {
        self.bulk_concurrency = n;
        self
    }
    /// Pages `iter` fetches ahead of the one being consumed. Default 1 (1 to 64); memory use is about
    /// `(prefetch_pages + 2) × page_size` records, whatever the total.
    pub fn prefetch_pages(mut self, n: usize) -> Self {
        self.prefetch_pages = n;
        self
    }
    /// `User-Agent` header. Default `exto360-rust/<version>`.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// Allow plain `http://` to hosts other than loopback (the token then travels in clear).
    /// Default `false`.
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// Checks the settings and builds the client. Fails with `InvalidInput` naming the
    /// setting that is wrong.
    pub fn build(self) -> Result<Client> {
        if let Some(e) = &self.env_error {
            return Err(Error::invalid_input(format!("invalid environment: {e}")));
        }
        Client::from_builder(self)
    }
}
