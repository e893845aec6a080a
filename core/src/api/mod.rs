//! The API's resources, grouped as the client exposes them.

pub mod health;
pub mod records;
pub mod subtable;
pub mod users;
pub mod workflow;

use std::ops::Range;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::bulk::BulkOptions;
use crate::client::{Call, Client, Safety};
use crate::error::{Error, Result};
use crate::models::UpsertResult;

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
    upsert_bodies(client, path, query, objects.len(), opts, |range| body(&objects[range])).await
}

/// [`upsert_chunks`] of rows the caller serialises itself.
pub(crate) async fn upsert_json_rows(client: &Client, path: String, query: Vec<(&'static str, String)>, rows: &dyn JsonRows, opts: &BulkOptions) -> Result<UpsertResult> {
    upsert_bodies(client, path, query, rows.len(), opts, |range| rows.json_array(range).map(Bytes::from)).await
}

/// Sends the bodies of rows `0..total`, 1000 rows each (`body(range)` makes one, as its chunk
/// is about to be sent, so at most `bulk_concurrency` bodies exist at once).
async fn upsert_bodies(
    client: &Client,
    path: String,
    query: Vec<(&'static str, String)>,
    total: usize,
    opts: &BulkOptions,
    body: impl Fn(Range<usize>) -> Result<Bytes>,
) -> Result<UpsertResult> {
    if total == 0 {
        return Ok(UpsertResult::default());
    }
    let parts = crate::bulk::run(total, MAX_RECORDS_PER_REQUEST, client.inner.bulk_concurrency, |range, abort| {
        let mut call = Call::new(Method::POST, path.clone(), Safety::Write);
        call.query = query.clone();
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
