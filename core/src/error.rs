//! One error type for everything the client can report.

use std::fmt;
use std::ops::Range;
use std::time::Duration;

/// What kind of failure an [`Error`] is. Stable: bindings map each kind to one exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400, 405, 413, 414, 422: the request was refused as malformed or invalid.
    BadRequest,
    /// 401: missing, invalid or expired token.
    Unauthorized,
    /// 403: the token's user may not do this in this tenant/project.
    Forbidden,
    /// 404, or the API's 500 "Service Exception" whose detail says "... not Found."
    /// (how it reports an unknown master or module, REFERENCE.md §13 C16).
    NotFound,
    /// 429 after every allowed retry.
    RateLimited,
    /// 5xx (other than the not-found case above).
    Server,
    /// No answer within the request timeout.
    Timeout,
    /// The connection failed or broke.
    Connection,
    /// The server answered something this client cannot read.
    InvalidResponse,
    /// Rejected before sending: the arguments cannot make a valid request.
    InvalidInput,
}

impl ErrorKind {
    /// A stable, lower-case identifier (`"bad_request"`, `"rate_limited"`, ...), used as the
    /// error code by every binding.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::InvalidInput => "invalid_input",
        }
    }

    /// The kind for an HTTP error status (without looking at the body).
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            400..=499 => ErrorKind::BadRequest,
            _ => ErrorKind::Server,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a write reached the server, for each slice of the input of a bulk operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteState {
    /// The server confirmed it.
    Written,
    /// Never sent, or refused with a 4xx answer: certainly not written.
    NotWritten,
    /// Sent, but the answer was lost or was a 5xx: it may or may not have been written.
    Unknown,
}

/// Which input items of a failed bulk operation were written, which were not, and which may
/// have been. Ranges are over the caller's input (0-based, end exclusive), in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkReport {
    /// Number of input items.
    pub total: usize,
    /// Contiguous slices of the input and their state, covering `0..total` in order.
    pub slices: Vec<(Range<usize>, WriteState)>,
}

impl BulkReport {
    fn indices(&self, state: WriteState) -> Vec<usize> {
        self.slices.iter().filter(|(_, s)| *s == state).flat_map(|(r, _)| r.clone()).collect()
    }
    /// Input indices the server confirmed.
    pub fn written(&self) -> Vec<usize> {
        self.indices(WriteState::Written)
    }
    /// Input indices certainly not written (safe to send again).
    pub fn not_written(&self) -> Vec<usize> {
        self.indices(WriteState::NotWritten)
    }
    /// Input indices whose fate is unknown (check before sending again).
    pub fn unknown(&self) -> Vec<usize> {
        self.indices(WriteState::Unknown)
    }
    fn count(&self, state: WriteState) -> usize {
        self.slices.iter().filter(|(_, s)| *s == state).map(|(r, _)| r.len()).sum()
    }
    pub fn written_count(&self) -> usize {
        self.count(WriteState::Written)
    }
    pub fn not_written_count(&self) -> usize {
        self.count(WriteState::NotWritten)
    }
    pub fn unknown_count(&self) -> usize {
        self.count(WriteState::Unknown)
    }
    /// True when some items were (or may have been) written: the operation half-happened.
    pub fn is_partial(&self) -> bool {
        self.written_count() + self.unknown_count() > 0
    }
}

/// The error of every fallible call. It never contains the token.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    summary: Option<String>,
    details: Vec<String>,
    path: Option<String>,
    timestamp: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    retries: u32,
    bulk: Option<BulkReport>,
    /// Whether the request might have reached the server (decides write retries).
    maybe_sent: bool,
    /// A bulk chunk that was not sent because another chunk had failed.
    skipped: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                summary: None,
                details: Vec::new(),
                path: None,
                timestamp: None,
                request_id: None,
                retry_after: None,
                retries: 0,
                bulk: None,
                maybe_sent: true,
                skipped: false,
                source: None,
            }),
        }
    }

    /// A bulk chunk left unsent because an earlier one failed.
    pub(crate) fn skipped() -> Error {
        let mut e = Error::new(ErrorKind::Connection, "not sent: another part of this bulk operation failed");
        e.inner.maybe_sent = false;
        e.inner.skipped = true;
        e
    }
    pub(crate) fn is_skipped(&self) -> bool {
        self.inner.skipped
    }

    /// An argument that cannot make a valid request; nothing was sent.
    pub fn invalid_input(message: impl Into<String>) -> Error {
        let mut e = Error::new(ErrorKind::InvalidInput, message);
        e.inner.maybe_sent = false;
        e
    }

    /// An answer this client cannot read (for bindings that read pages in their own form).
    pub fn invalid_response(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidResponse, message)
    }

    /// An answer with an HTTP error status and the API's envelope (REFERENCE.md §9), when it
    /// had one.
    pub(crate) fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> Error {
        #[derive(serde::Deserialize)]
        struct Envelope {
            path: Option<String>,
            timestamp: Option<String>,
            error: Option<EnvelopeError>,
        }
        #[derive(serde::Deserialize)]
        struct EnvelopeError {
            summary: Option<String>,
            #[serde(default)]
            detail: Detail,
        }
        #[derive(serde::Deserialize, Default)]
        #[serde(untagged)]
        enum Detail {
            Many(Vec<String>),
            One(String),
            #[default]
            None,
        }
        let env: Option<Envelope> = serde_json::from_slice(body).ok();
        let (summary, details, path, timestamp) = match env {
            Some(Envelope { path, timestamp, error: Some(e) }) => {
                let details = match e.detail {
                    Detail::Many(v) => v,
                    Detail::One(s) => vec![s],
                    Detail::None => vec![],
                };
                (e.summary, details, path, timestamp)
            }
            Some(Envelope { path, timestamp, error: None }) => (None, vec![], path, timestamp),
            // A gateway page or plain text: keep a short, printable excerpt.
            None => {
                let text = String::from_utf8_lossy(body);
                let text: String = text.trim().chars().take(200).collect();
                (None, if text.is_empty() { vec![] } else { vec![text] }, None, None)
            }
        };
        let not_found = status == 500 && details.iter().any(|d| d.trim_end().ends_with("not Found."));
        let kind = if not_found { ErrorKind::NotFound } else { ErrorKind::from_status(status) };
        let headline = summary.clone().unwrap_or_else(|| format!("HTTP {status}"));
        let message = if details.is_empty() { headline } else { format!("{headline}: {}", details.join("; ")) };
        let mut e = Error::new(kind, message);
        e.inner.status = Some(status);
        e.inner.summary = summary;
        e.inner.details = details;
        e.inner.path = path;
        e.inner.timestamp = timestamp;
        e.inner.request_id = request_id;
        e
    }

    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }
    pub(crate) fn not_sent(mut self) -> Error {
        self.inner.maybe_sent = false;
        self
    }
    pub(crate) fn set_retry_after(&mut self, d: Option<Duration>) {
        self.inner.retry_after = d;
    }
    pub(crate) fn set_retries(&mut self, n: u32) {
        self.inner.retries = n;
    }
    pub(crate) fn set_bulk(&mut self, report: BulkReport) {
        self.inner.bulk = Some(report);
    }
    pub(crate) fn maybe_sent(&self) -> bool {
        self.inner.maybe_sent
    }

    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// A one-line description (summary and details for API errors).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// `error.summary` of the API's envelope (e.g. "Service Exception").
    pub fn summary(&self) -> Option<&str> {
        self.inner.summary.as_deref()
    }
    /// `error.detail` of the envelope: the specific messages.
    pub fn details(&self) -> &[String] {
        &self.inner.details
    }
    /// The server's `path` of the failed call (without the `/data` prefix).
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }
    /// The server's `timestamp` of the failure.
    pub fn timestamp(&self) -> Option<&str> {
        self.inner.timestamp.as_deref()
    }
    /// `x-request-id` (or `x-correlation-id`) of the answer, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// `Retry-After` of the last answer, when it had one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// How many times the request was retried before giving up.
    pub fn retries(&self) -> u32 {
        self.inner.retries
    }
    /// For bulk writes: which input items were written, not written, or may have been.
    pub fn bulk(&self) -> Option<&BulkReport> {
        self.inner.bulk.as_ref()
    }
    /// Whether a retry could succeed: rate limits, 5xx, timeouts and connection failures.
    pub fn is_retryable(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.message)?;
        if let Some(p) = &self.inner.path {
            write!(f, " (path {p})")?;
        }
        if self.inner.retries > 0 {
            write!(f, " after {} retr{}", self.inner.retries, if self.inner.retries == 1 { "y" } else { "ies" })?;
        }
        if let Some(b) = &self.inner.bulk {
            write!(
                f,
                " [bulk: {} of {} written, {} not written, {} unknown]",
                b.written_count(),
                b.total,
                b.not_written_count(),
                b.unknown_count()
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind).field("message", &self.inner.message);
        if let Some(s) = self.inner.status {
            d.field("status", &s);
        }
        if !self.inner.details.is_empty() {
            d.field("details", &self.inner.details);
        }
        if let Some(p) = &self.inner.path {
            d.field("path", p);
        }
        if let Some(r) = &self.inner.request_id {
            d.field("request_id", r);
        }
        if self.inner.retries > 0 {
            d.field("retries", &self.inner.retries);
        }
        if let Some(b) = &self.inner.bulk {
            d.field("bulk", b);
        }
        if let Some(s) = &self.inner.source {
            d.field("source", s);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl Clone for Error {
    /// Clones everything but the `source` chain (its message is kept in `message`).
    fn clone(&self) -> Self {
        let i = &self.inner;
        Error {
            inner: Box::new(Inner {
                kind: i.kind,
                message: i.message.clone(),
                status: i.status,
                summary: i.summary.clone(),
                details: i.details.clone(),
                path: i.path.clone(),
                timestamp: i.timestamp.clone(),
                request_id: i.request_id.clone(),
                retry_after: i.retry_after,
                retries: i.retries,
                bulk: i.bulk.clone(),
                maybe_sent: i.maybe_sent,
                skipped: i.skipped,
                source: None,
            }),
        }
    }
}
