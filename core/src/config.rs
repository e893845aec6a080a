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
            Ok(v) if v.is_finite() && v > 0.0 => Ok(Some(v)),
            _ => Err(format!("expected requests per second (> 0) or `off`, got '{s}'")),
        },
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
            match t.parse::<f64>() {
                Ok(s) if s.is_finite() && s > 0.0 => timeout = Some(Duration::from_secs_f64(s)),
                _ => problem(env::TIMEOUT, format!("expected seconds (> 0), got '{t}'")),
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
    /// Limit for one attempt of one request, body included. Default 60 s. Env:
    /// `EXTO360_TIMEOUT` (seconds).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Limit for opening a connection. Default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// Retries after the first attempt. Default 3. Env: `EXTO360_MAX_RETRIES`.
    ///
    /// The wait before retry *n* (1-based) is
    /// `min(max_backoff, initial_backoff × 2^(n−1)) × (1 + U[0,1))` — exponential with jitter —
    /// or the answer's `Retry-After` when that is longer (up to `max_retry_wait`).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }
    /// First backoff step. Default 500 ms.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }
    /// Largest backoff step (before jitter). Default 8 s.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
    /// Longest `Retry-After` the client waits for; a longer one fails the call with
    /// `RateLimited` at once. Default 60 s.
    pub fn max_retry_wait(mut self, d: Duration) -> Self {
        self.max_retry_wait = d;
        self
    }
    /// Also retry POST writes (upserts, workflow actions, grants) after a 5xx, a timeout or a
    /// connection lost after sending. Default `false`: such a write may have happened, and
    /// repeating it could apply a workflow action twice. POSTs are always retried after a 429
    /// and after failures that happened before the request was sent.
    pub fn retry_writes(mut self, yes: bool) -> Self {
        self.retry_writes = yes;
        self
    }
    /// Client-side limit in requests per second, shared by every clone of the client and
    /// every request it makes (pages, bulk chunks, retries). `None` turns it off. Default 3.0
    /// (the API's limit per token). Env: `EXTO360_RATE_LIMIT` (number or `off`).
    pub fn rate_limit(mut self, per_second: Option<f64>) -> Self {
        self.rate_limit = per_second;
        self
    }
    /// Bulk chunks in flight at once (still under the rate limit). Default 4.
    pub fn bulk_concurrency(mut self, n: usize) -> Self {
        self.bulk_concurrency = n;
        self
    }
    /// Pages `iter` fetches ahead of the one being consumed. Default 1; memory use is about
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
