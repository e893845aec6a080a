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
///
/// Decided from **every** attempt of the request that carried the slice, not the last one:
/// a lost answer followed by a 429 on the retry is still `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteState {
    /// The server confirmed it (a 2xx answer to one of the attempts).
    Written,
    /// Certainly not written: no attempt was sent, or every attempt that was sent was answered
    /// with a status that proves it was not carried out (400, 401, 403, 404, 405, 409, 413,
    /// 414, 422, 429, or the API's "not Found." 500). Safe to send again.
    NotWritten,
    /// Some attempt was sent and its answer was lost, was a 5xx or another status that does not
    /// prove a refusal: it may or may not have been written. Check before sending again.
    Unknown,
}

/// What one attempt of a request tells about whether it was carried out. Ordered: the
/// evidence of several attempts is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Evidence {
    /// Not sent, or refused in a way that proves nothing was done.
    NotApplied = 0,
    /// Sent, and nothing proves either way.
    Maybe = 1,
    /// A 2xx status was received.
    Applied = 2,
}

impl Evidence {
    pub(crate) fn from_u8(v: u8) -> Evidence {
        match v {
            0 => Evidence::NotApplied,
            1 => Evidence::Maybe,
            _ => Evidence::Applied,
        }
    }
    pub(crate) fn state(self) -> WriteState {
        match self {
            Evidence::NotApplied => WriteState::NotWritten,
            Evidence::Maybe => WriteState::Unknown,
            Evidence::Applied => WriteState::Written,
        }
    }
}

/// Statuses with which the API refuses a request before doing anything (validation, auth,
/// routing, size, rate limit). Any other answer to a sent write leaves its effect unknown.
pub(crate) fn proves_not_applied(status: u16) -> bool {
    matches!(status, 400 | 401 | 403 | 404 | 405 | 409 | 413 | 414 | 422 | 429)
}

/// Which input items of a failed bulk operation were written, which were not, and which may
/// have been. Ranges are over the caller's input (0-based, end exclusive), in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkReport {
    /// Number of input items.
    pub total: usize,
    /// Contiguous slices of the input and their state, covering `0..total` in order.
    pub slices: Vec<(Range<usize>, WriteState)>,
    /// `insertedIds` the server answered for the written slices (upserts and sub-table
    /// writes), in input order. A slice whose 2xx answer broke off is written without ids.
    pub inserted_ids: Vec<String>,
}

impl BulkReport {
    /// The report of items whose states are `states`, in input order.
    pub(crate) fn from_states(states: impl IntoIterator<Item = WriteState>, inserted_ids: Vec<String>) -> BulkReport {
        let mut slices: Vec<(Range<usize>, WriteState)> = Vec::new();
        let mut total = 0;
        for state in states {
            match slices.last_mut() {
                Some((r, s)) if *s == state => r.end = total + 1,
                _ => slices.push((total..total + 1, state)),
            }
            total += 1;
        }
        BulkReport { total, slices, inserted_ids }
    }
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
    /// For document uploads: each file's outcome.
    upload: Option<Box<crate::documents::UploadReport>>,
    /// Whether the request might have reached the server (decides write retries).
    maybe_sent: bool,
    /// A bulk chunk that was not sent because another chunk had failed.
    skipped: bool,
    /// For a write: what all attempts together tell about whether it was carried out.
    /// `None` until the request is done (then set by the client from every attempt).
    evidence: Option<Evidence>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: one_line(message.into()),
                status: None,
                summary: None,
                details: Vec::new(),
                path: None,
                timestamp: None,
                request_id: None,
                retry_after: None,
                retries: 0,
                bulk: None,
                upload: None,
                maybe_sent: true,
                skipped: false,
                evidence: None,
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
    /// A bulk chunk its watcher stopped before it was sent ([`crate::BulkWatch::sending`]).
    pub(crate) fn stopped() -> Error {
        let mut e = Error::skipped();
        e.inner.message = "not sent: the bulk operation was stopped by its watcher".into();
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

    /// A 2xx answer whose body says `"success": false` (REFERENCE.md §2.4: a master delete by a
    /// user without the permission is answered 200). Nothing was done; the kind is `Forbidden`,
    /// the only refusal the docs give for it.
    pub(crate) fn refused_in_body(status: u16, what: &str, server_message: Option<&str>) -> Error {
        let detail = server_message.unwrap_or("the API answered \"success\": false").to_string();
        let mut e = Error::new(ErrorKind::Forbidden, format!("{what}: refused: {detail} (HTTP {status} with \"success\": false)"));
        e.inner.status = Some(status);
        e.inner.details = vec![detail];
        e.inner.evidence = Some(Evidence::NotApplied);
        e
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
    pub(crate) fn set_upload(&mut self, report: crate::documents::UploadReport) {
        self.inner.upload = Some(Box::new(report));
    }
    /// An answer that carried out the request but not all of it (a document upload answered
    /// 200 with `errors`): kind `BadRequest`, the status, the server's message as summary.
    pub(crate) fn partly_refused(status: u16, message: String, summary: Option<String>, details: Vec<String>) -> Error {
        let mut e = Error::new(ErrorKind::BadRequest, message);
        e.inner.status = Some(status);
        e.inner.summary = summary;
        e.inner.details = details;
        e.inner.evidence = Some(Evidence::Applied);
        e
    }
    pub(crate) fn maybe_sent(&self) -> bool {
        self.inner.maybe_sent
    }

    /// What this attempt alone tells about whether the request was carried out.
    pub(crate) fn attempt_evidence(&self) -> Evidence {
        if let Some(e) = self.inner.evidence {
            return e;
        }
        match self.inner.status {
            Some(s) if (200..300).contains(&s) => Evidence::Applied,
            Some(s) if proves_not_applied(s) => Evidence::NotApplied,
            Some(_) if self.inner.kind == ErrorKind::NotFound => Evidence::NotApplied,
            Some(_) => Evidence::Maybe,
            None if self.inner.maybe_sent => Evidence::Maybe,
            None => Evidence::NotApplied,
        }
    }
    /// Records the evidence of every attempt of the request (see [`WriteState`]).
    pub(crate) fn set_evidence(&mut self, e: Evidence) {
        self.inner.evidence = Some(e);
    }
    /// A 2xx status was received, but the answer could not be read in full.
    pub(crate) fn answered_2xx(mut self) -> Error {
        self.inner.evidence = Some(Evidence::Applied);
        self
    }
    /// The state of the write this error ended, decided from every attempt.
    pub fn write_state(&self) -> WriteState {
        self.attempt_evidence().state()
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
    /// For document uploads that did not fully succeed: every file's outcome (uploaded, failed
    /// with the server's message, or unknown). [`Error::bulk`] gives the same by index.
    pub fn upload(&self) -> Option<&crate::documents::UploadReport> {
        self.inner.upload.as_deref()
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
        if let Some(u) = &self.inner.upload {
            d.field("upload", u);
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
                upload: i.upload.clone(),
                maybe_sent: i.maybe_sent,
                skipped: i.skipped,
                evidence: i.evidence,
                source: None,
            }),
        }
    }
}

/// The message as one line: control characters (CR, LF, tabs, ...) of echoed input or server
/// text are written as escapes, so a log line or a C caller's buffer never breaks.
fn one_line(message: String) -> String {
    if !message.chars().any(char::is_control) {
        return message;
    }
    let mut out = String::with_capacity(message.len() + 8);
    for c in message.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let e = Error::invalid_input("user 'a\r\nb\tc\u{1b}' is bad");
        assert_eq!(e.message(), "user 'a\\r\\nb\\tc\\u{1b}' is bad");
        assert!(!e.to_string().chars().any(char::is_control));
        let e = Error::from_response(400, br#"{"error": {"summary": "Bad\nRequest", "detail": ["x\ny"]}}"#, None);
        assert!(!e.message().contains('\n'), "{}", e.message());
        assert_eq!(e.details(), ["x\ny"], "details keep the server's text");
    }

    #[test]
    fn evidence_of_one_attempt() {
        for s in [400, 401, 403, 404, 409, 413, 422, 429] {
            assert_eq!(Error::from_response(s, b"", None).write_state(), WriteState::NotWritten, "{s}");
        }
        for s in [500, 502, 503, 504, 408, 418] {
            assert_eq!(Error::from_response(s, b"", None).write_state(), WriteState::Unknown, "{s}");
        }
        let nf = Error::from_response(500, br#"{"error": {"summary": "Service Exception", "detail": ["Master X not Found."]}}"#, None);
        assert_eq!(nf.kind(), ErrorKind::NotFound);
        assert_eq!(nf.write_state(), WriteState::NotWritten);
        assert_eq!(Error::invalid_input("x").write_state(), WriteState::NotWritten);
        assert_eq!(Error::skipped().write_state(), WriteState::NotWritten);
        assert_eq!(Error::new(ErrorKind::Connection, "lost").write_state(), WriteState::Unknown);
        assert_eq!(Error::new(ErrorKind::Connection, "lost").answered_2xx().write_state(), WriteState::Written);
        let refused = Error::refused_in_body(200, "DELETE /x", Some("User doesn't have permission to delete the record"));
        assert_eq!((refused.kind(), refused.status(), refused.write_state()), (ErrorKind::Forbidden, Some(200), WriteState::NotWritten));
        assert_eq!(refused.details(), ["User doesn't have permission to delete the record"]);
    }
}
