//! The API's resources, grouped as the client exposes them.

pub mod expand;
pub mod health;
pub mod hierarchy;
pub mod jobs;
pub mod records;
pub mod subtable;
pub mod users;
pub mod workflow;
pub mod workflow_v2;
pub mod workspaces;

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::bulk::BulkOptions;
use crate::client::{Call, Client, Safety};
use crate::error::{Error, ErrorKind, Result, WriteState};
use crate::models::{DeleteResult, UpsertResult};

/// Most records (and sub-table rows, usernames) per request (REFERENCE.md §10).
pub const MAX_RECORDS_PER_REQUEST: usize = 1000;
/// Most record ids per workflow action request.
pub const MAX_WORKFLOW_IDS_PER_REQUEST: usize = 100;
/// Most projects or groups in one user-access request (not split: each is one user's change).
pub const MAX_PROJECTS_OR_GROUPS: usize = 100;

/// Converts caller rows to JSON objects once, so chunks can be cut and re-sent cheaply; says
/// which row is not an object.
pub(crate) fn to_objects<R: Serialize>(rows: &[R], what: &str) -> Result<Vec<Value>> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| match serde_json::to_value(r) {
            Ok(v @ Value::Object(_)) => Ok(v),
            Ok(other) => Err(Error::invalid_input(format!("{what}[{i}] must be a JSON object, got {}", kind_of(&other)))),
            Err(e) => Err(Error::invalid_input(format!("{what}[{i}] cannot be serialized: {e}"))),
        })
        .collect()
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn body<T: Serialize + ?Sized>(v: &T) -> Result<Bytes> {
    serde_json::to_vec(v).map(Bytes::from).map_err(|e| Error::invalid_input(format!("cannot serialize the request body: {e}")))
}

/// How a chunked write is sent.
pub(crate) struct WriteSpec {
    pub method: Method,
    pub safety: Safety,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// Chunks in flight at once: the client's setting, or 1 where order matters.
    pub concurrency: usize,
}

/// Rows a binding serialises itself, one request body at a time — for rows held in another
/// form (e.g. Arrow columns) and written as JSON straight from it. The core still cuts the
/// chunks, sends them under its limits, and reports written / not written / unknown by row
/// index (`0..len()`).
pub trait JsonRows: Send + Sync {
    /// Number of rows.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The JSON array text of rows `range` (at most [`MAX_RECORDS_PER_REQUEST`]), each row a
    /// JSON object. An error fails that chunk as not written (and stops the operation).
    fn json_array(&self, range: Range<usize>) -> Result<Vec<u8>>;
}

/// Sends the bodies of rows `0..total` in chunks of 1000 as `spec` says (`body(range)` makes
/// one, as its chunk is about to be sent, so at most `concurrency` bodies exist at once), and
/// merges the answers (all in the upsert shape `{insertedIds, insertedCount, updatedCount}`, any
/// of which may be missing). `opts` may watch (and stop) the chunks.
async fn write_bodies(client: &Client, spec: WriteSpec, total: usize, opts: &BulkOptions, body: impl Fn(Range<usize>) -> Result<Bytes>) -> Result<UpsertResult> {
    if total == 0 {
        return Ok(UpsertResult::default());
    }
    let parts = crate::bulk::run(total, MAX_RECORDS_PER_REQUEST, spec.concurrency, |range, abort| {
        let mut call = Call::new(spec.method.clone(), spec.path.clone(), spec.safety);
        call.query = spec.query.clone();
        call.abort = Some(abort);
        call.gate = opts.gate(&range);
        let chunk = body(range);
        async move {
            let call = call.json_body(chunk?);
            let outcome = client.execute_json::<UpsertResult>(&call).await;
            if let Some(gate) = &call.gate {
                gate.finish(&outcome);
            }
            outcome
        }
    })
    .await?;
    Ok(parts.into_iter().fold(UpsertResult::default(), UpsertResult::merge))
}

/// Sends `objects` in chunks of 1000 as `spec` says (see [`write_bodies`]).
pub(crate) async fn object_chunks(client: &Client, spec: WriteSpec, objects: &[Value]) -> Result<UpsertResult> {
    write_bodies(client, spec, objects.len(), &BulkOptions::default(), |range| body(&objects[range])).await
}

fn upsert_spec(client: &Client, path: String, query: Vec<(&'static str, String)>) -> WriteSpec {
    WriteSpec { method: Method::POST, safety: Safety::Write, path, query, concurrency: client.inner.bulk_concurrency }
}

/// POSTs `rows` (caller objects, `what` names them in errors) to `path` in chunks of 1000 with
/// `query` on every request, and merges the answers: what record and sub-table upserts share.
/// `opts` may watch (and stop) the chunks.
pub(crate) async fn upsert_chunks<R: Serialize>(
    client: &Client,
    path: String,
    query: Vec<(&'static str, String)>,
    rows: &[R],
    what: &str,
    opts: &BulkOptions,
) -> Result<UpsertResult> {
    let objects = to_objects(rows, what)?;
    write_bodies(client, upsert_spec(client, path, query), objects.len(), opts, |range| body(&objects[range])).await
}

/// [`upsert_chunks`] of rows the caller serialises itself.
pub(crate) async fn upsert_json_rows(client: &Client, path: String, query: Vec<(&'static str, String)>, rows: &dyn JsonRows, opts: &BulkOptions) -> Result<UpsertResult> {
    write_bodies(client, upsert_spec(client, path, query), rows.len(), opts, |range| rows.json_array(range).map(Bytes::from)).await
}

/// Caller objects for an explicit update (PATCH): each must name its target by `key` (a
/// non-empty string) and must not carry `_id`, which the API refuses to update (§3.3).
pub(crate) fn update_objects<R: Serialize>(rows: &[R], key: &str, what: &str) -> Result<Vec<Value>> {
    let objects = to_objects(rows, what)?;
    for (i, o) in objects.iter().enumerate() {
        if o.get("_id").is_some() {
            return Err(Error::invalid_input(format!("{what}[{i}] has '_id', which an update may not change (the API refuses the request); name the record by {key}")));
        }
        match o.get(key) {
            Some(Value::String(s)) => crate::encode::required(&format!("{what}[{i}].{key}"), s)?,
            Some(other) => return Err(Error::invalid_input(format!("{what}[{i}].{key} must be a string, got {}", kind_of(other)))),
            None => return Err(Error::invalid_input(format!("{what}[{i}] has no {key}, which names the record to update"))),
        }
    }
    Ok(objects)
}

/// PATCHes caller objects (each naming its target by `key`; `what` names them in errors) in
/// chunks of 1000. An update sets
/// the same values however often it is sent, so it is retried like a read.
pub(crate) async fn update_chunks<R: Serialize>(client: &Client, path: String, query: Vec<(&'static str, String)>, rows: &[R], key: &str, what: &str, concurrency: usize) -> Result<UpsertResult> {
    let objects = update_objects(rows, key, what)?;
    let spec = WriteSpec { method: Method::PATCH, safety: Safety::Idempotent, path, query, concurrency };
    object_chunks(client, spec, &objects).await
}

/// DELETEs `[{key: id}, ...]` (`what` names the ids in errors) in chunks of 1000 and counts what the API accepted.
///
/// A DELETE is idempotent in its effect: sent twice, the records are gone either way. So it is
/// retried like a read (after 5xx, timeouts and lost answers), and a retry answered 404 ("no
/// matching record") after an attempt that may have been carried out means the records are
/// already gone — the chunk is reported deleted, not failed. The same 404 on a first attempt is
/// the caller's mistake and an error (nothing was deleted).
pub(crate) async fn delete_chunks<S: AsRef<str>>(client: &Client, path: String, query: Vec<(&'static str, String)>, ids: &[S], key: &str, what: &str) -> Result<DeleteResult> {
    let ids = check_strings(ids, what)?;
    if ids.is_empty() {
        return Ok(DeleteResult::default());
    }
    let items: Vec<Value> = ids.iter().map(|id| serde_json::json!({ key: id })).collect();
    let parts = crate::bulk::run(items.len(), MAX_RECORDS_PER_REQUEST, client.inner.bulk_concurrency, |range, abort| {
        let n = range.len() as u64;
        let mut call = Call::new(Method::DELETE, path.clone(), Safety::Idempotent);
        call.query = query.clone();
        call.abort = Some(abort);
        let chunk = body(&items[range]);
        async move {
            let call = call.json_body(chunk?);
            match client.execute_write(&call).await {
                Ok(_) => Ok(DeleteResult { deleted_count: n }),
                Err(e) if already_gone(&e) => {
                    tracing::info!(path = %call.path, "exto360: a retried DELETE found nothing left to delete; an earlier attempt deleted it");
                    Ok(DeleteResult { deleted_count: n })
                }
                Err(e) => Err(e),
            }
        }
    })
    .await?;
    Ok(parts.into_iter().fold(DeleteResult::default(), DeleteResult::merge))
}

/// A 404 that ended a retried DELETE after an attempt that may have been carried out.
fn already_gone(e: &Error) -> bool {
    e.kind() == ErrorKind::NotFound && e.status() == Some(404) && e.retries() > 0 && e.write_state() == WriteState::Unknown
}

/// `[{a, b}]` item names as a comma-separated list (`fields`, `recordIds`): each non-empty and
/// without a comma, which would split it.
pub(crate) fn csv<S: AsRef<str>>(items: &[S], what: &str) -> Result<String> {
    let items = check_strings(items, what)?;
    if let Some((i, s)) = items.iter().enumerate().find(|(_, s)| s.contains(',')) {
        return Err(Error::invalid_input(format!("{what}[{i}] '{s}' contains ',', which separates the list")));
    }
    Ok(items.join(","))
}

/// One page of `path` (`page`, `pageSize` and `query`), in either list shape.
pub(crate) async fn simple_page<T: serde::de::DeserializeOwned>(client: &Client, path: &str, query: &[(&'static str, String)], page: u32, page_size: u32, max_size: u32) -> Result<crate::paging::Page<T>> {
    crate::paging::check_paging_up_to(page, page_size, max_size)?;
    let mut call = Call::get(path.to_string());
    call.query = query.to_vec();
    call.query.push(("page", page.to_string()));
    call.query.push(("pageSize", page_size.to_string()));
    let body = client.execute(&call).await?;
    crate::paging::parse_page(&body, page, page_size, &format!("GET /{path}"))
}

/// Every page of `path` from `first`, one fetched ahead: the lists of the current edition that
/// take no options beyond `query`.
pub(crate) fn simple_pages<T: serde::de::DeserializeOwned + Send + 'static>(
    client: &Client,
    path: String,
    query: Vec<(&'static str, String)>,
    first: u32,
    page_size: u32,
    max_size: u32,
) -> crate::paging::Pages<T> {
    if let Err(e) = crate::paging::check_paging_up_to(first, page_size, max_size) {
        return crate::paging::Pages::failed(e);
    }
    let client = client.clone();
    let (path, query) = (Arc::<str>::from(path), Arc::new(query));
    crate::paging::Pages::new(
        first,
        client.inner.prefetch_pages,
        Box::new(move |page| {
            let (client, path, query) = (client.clone(), path.clone(), query.clone());
            Box::pin(async move { simple_page(&client, &path, &query, page, page_size, max_size).await })
        }),
    )
}

/// Non-empty strings, checked one by one (`what[i]` in the error).
pub(crate) fn check_strings<S: AsRef<str>>(items: &[S], what: &str) -> Result<Vec<String>> {
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = s.as_ref();
            crate::encode::required(&format!("{what}[{i}]"), s)?;
            Ok(s.to_string())
        })
        .collect()
}
