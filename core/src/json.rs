//! The whole API over JSON: one entry point per operation, taking JSON arguments and returning
//! JSON text. This is what the language bindings (Python, Node, C, C#) call, so they carry no
//! API logic of their own — only their language's idioms on top.
//!
//! Operation names, argument names (camelCase) and result shapes are those of the
//! conformance suite (`tests/conformance/README.md`); e.g.
//! `call(&client, "masters.list", &json!({"name": "LOCATION", "pageSize": 100}))`.

use futures_util::Stream;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::api::JsonRows;
use crate::api::records::RawRow;
use crate::api::workflow::ActOptions;
use crate::config::{ClientBuilder, limits, parse_rate_limit};
use crate::error::{BulkReport, Error, Result, WriteState};
use crate::filter::{FieldType, Filter, FilterValue, Op};
use crate::models::GrantAccess;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::paging::{DecodedPage, FilterArg, ListOptions, Page, Pages, Prefetch, RawPage, RowsDecoder, RowsText};
use crate::Client;

fn bad(what: &str, msg: &str) -> Error {
    Error::invalid_input(format!("{what} {msg}"))
}

fn opt_str<'a>(args: &'a Value, key: &str) -> Result<Option<&'a str>> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(key, "must be a string")),
    }
}

fn req_str<'a>(args: &'a Value, key: &str) -> Result<&'a str> {
    opt_str(args, key)?.ok_or_else(|| bad(key, "is required"))
}

fn opt_u32(args: &Value, key: &str) -> Result<Option<u32>> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()).map(Some).ok_or_else(|| bad(key, "must be a whole number ≥ 0")),
    }
}

fn opt_bool(args: &Value, key: &str) -> Result<Option<bool>> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad(key, "must be true or false")),
    }
}

fn array<'a>(args: &'a Value, key: &str) -> Result<&'a [Value]> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(bad(key, "must be an array")),
    }
}

/// A list argument that must be given (an empty list is fine): a misspelt key must not
/// quietly mean "nothing to do".
pub(crate) fn required_strings(args: &Value, key: &str) -> Result<Vec<String>> {
    match args.get(key) {
        None | Some(Value::Null) => Err(bad(key, "is required (a list of strings; [] for none)")),
        Some(_) => strings(args, key),
    }
}

fn strings(args: &Value, key: &str) -> Result<Vec<String>> {
    array(args, key)?
        .iter()
        .enumerate()
        .map(|(i, v)| v.as_str().map(str::to_string).ok_or_else(|| bad(&format!("{key}[{i}]"), "must be a string")))
        .collect()
}

/// A duration in seconds within `0 < s ≤ max` (the builder checks each setting's own range).
fn seconds(v: &Value, key: &str, max: std::time::Duration) -> Result<std::time::Duration> {
    match v.as_f64().filter(|s| *s > 0.0).and_then(|s| crate::config::seconds(s, max)) {
        Some(d) => Ok(d),
        None => Err(bad(key, &format!("must be a number of seconds, more than 0 and at most {}", max.as_secs()))),
    }
}

/// A client builder from a JSON config, over the `EXTO360_*` environment (unset keys fall back
/// to it). Keys: `token`, `baseUrl`, `projectId`, `tenantId`, `workspaceId`, `timeout`
/// (seconds), `connectTimeout`, `initialBackoff`, `maxBackoff`, `maxRetryWait` (seconds),
/// `maxRetries`, `retryWrites`, `rateLimitStore` (`redis://…`), `rateLimitNamespace`,
/// `rateLimitFallback` (`local`/`fail`), `rateLimitWorkers`, `rateLimit` (number, or
/// `null`/`"off"`/`0`/`false` for none), `bulkConcurrency`, `prefetchPages`, `userAgent`,
/// `allowInsecureHttp`. An unknown key is an error (a typo must not be silently ignored).
pub fn builder_from_json(cfg: &Value) -> Result<ClientBuilder> {
    let Value::Object(map) = cfg else {
        return Err(Error::invalid_input("client config must be a JSON object"));
    };
    let mut b = ClientBuilder::from_env();
    for (k, v) in map {
        if v.is_null() && k != "rateLimit" {
            continue;
        }
        b = match k.as_str() {
            "token" => b.token(req_str(cfg, k)?),
            "baseUrl" => b.base_url(req_str(cfg, k)?),
            "projectId" => b.project_id(req_str(cfg, k)?),
            "tenantId" => b.tenant_id(req_str(cfg, k)?),
            "workspaceId" => b.workspace_id(req_str(cfg, k)?),
            "userAgent" => b.user_agent(req_str(cfg, k)?),
            "timeout" => b.timeout(seconds(v, k, limits::MAX_TIMEOUT)?),
            "connectTimeout" => b.connect_timeout(seconds(v, k, limits::MAX_TIMEOUT)?),
            "initialBackoff" => b.initial_backoff(seconds(v, k, limits::MAX_BACKOFF)?),
            "maxBackoff" => b.max_backoff(seconds(v, k, limits::MAX_BACKOFF)?),
            "maxRetryWait" => b.max_retry_wait(seconds(v, k, limits::MAX_BACKOFF)?),
            "maxRetries" => b.max_retries(opt_u32(cfg, k)?.unwrap_or(0)),
            "retryWrites" => b.retry_writes(opt_bool(cfg, k)?.unwrap_or(false)),
            "allowInsecureHttp" => b.allow_insecure_http(opt_bool(cfg, k)?.unwrap_or(false)),
            "bulkConcurrency" => b.bulk_concurrency(opt_u32(cfg, k)?.unwrap_or(1) as usize),
            "prefetchPages" => b.prefetch_pages(opt_u32(cfg, k)?.unwrap_or(1) as usize),
            "rateLimit" => match v {
                Value::Null | Value::Bool(false) => b.rate_limit(None),
                Value::String(s) => b.rate_limit(parse_rate_limit(s).map_err(|e| bad(k, &e))?),
                Value::Number(n) => match n.as_f64() {
                    Some(x) if x == 0.0 => b.rate_limit(None),
                    Some(x) => b.rate_limit(Some(crate::config::check_rate_limit(x).map_err(|e| bad(k, &e))?)),
                    None => return Err(bad(k, "must be a number of requests per second, or null for none")),
                },
                _ => return Err(bad(k, "must be a number or null")),
            },
            "rateLimitStore" => b.rate_limit_store(req_str(cfg, k)?),
            "rateLimitNamespace" => b.rate_limit_namespace(req_str(cfg, k)?),
            "rateLimitFallback" => {
                let f = req_str(cfg, k)?;
                b.rate_limit_fallback(crate::StoreFallback::parse(f).ok_or_else(|| bad(k, "must be \"local\" or \"fail\""))?)
            }
            "rateLimitWorkers" => b.rate_limit_workers(opt_u32(cfg, k)?.unwrap_or(1)),
            other => return Err(Error::invalid_input(format!("unknown client setting '{other}'"))),
        };
    }
    Ok(b)
}

/// A client from a JSON config (see [`builder_from_json`]).
pub fn client_from_json(cfg: &Value) -> Result<Client> {
    builder_from_json(cfg)?.build()
}

fn filter_value(v: &Value) -> Option<FilterValue> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => FilterValue::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => FilterValue::Int(i),
            (_, Some(u)) => FilterValue::UInt(u),
            _ => FilterValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => FilterValue::Text(s.clone()),
        Value::Array(a) => FilterValue::List(a.iter().filter_map(filter_value).collect()),
        Value::Object(_) => FilterValue::Text(v.to_string()),
    })
}

/// A filter from its JSON form: a condition `{"field", "type"?, "op", "value"?}` or
/// `{"and": [..]}` / `{"or": [..]}`. Mistakes are kept in the filter (see [`Filter`]).
pub fn filter_from_json(v: &Value) -> Filter {
    filter_at_depth(v, 0)
}

/// Deepest nesting of `and`/`or` a JSON filter may have (the grammar itself is flat, and the
/// language builders flatten chains of one operator, so only alternation nests). Deeper input
/// is refused before recursion could exhaust a stack; 48 levels stay below serde_json's own
/// limit of 128 for JSON text, so every language gets this message.
pub const MAX_FILTER_DEPTH: usize = 48;

fn filter_at_depth(v: &Value, depth: usize) -> Filter {
    if depth > MAX_FILTER_DEPTH {
        return Filter::invalid(format!("filter nests deeper than {MAX_FILTER_DEPTH} levels of and/or"));
    }
    for (key, and) in [("and", true), ("or", false)] {
        if let Some(parts) = v.get(key) {
            let Some(parts) = parts.as_array().filter(|p| !p.is_empty()) else {
                return Filter::invalid(format!("'{key}' needs a non-empty list of filters"));
            };
            let mut it = parts.iter().map(|p| filter_at_depth(p, depth + 1));
            let first = it.next().expect("non-empty");
            return it.fold(first, |acc, f| if and { acc.and(f) } else { acc.or(f) });
        }
    }
    let field = v.get("field").and_then(Value::as_str).unwrap_or_default();
    let ty = match v.get("type") {
        None | Some(Value::Null) => None,
        Some(t) => match t.as_str().and_then(FieldType::parse) {
            Some(t) => Some(t),
            None => return Filter::invalid(format!("unknown field type {t} (NUMBER, STRING, DATE, PRIMITIVE)")),
        },
    };
    let op = match v.get("op").and_then(Value::as_str) {
        Some(o) => match Op::parse(o) {
            Some(op) => op,
            None => return Filter::invalid(format!("unknown operator '{o}' on '{field}'")),
        },
        None => return Filter::invalid(format!("condition on '{field}' has no op")),
    };
    Filter::condition(field, ty, op, v.get("value").and_then(filter_value))
}

fn list_options(args: &Value) -> Result<ListOptions> {
    let filter = match args.get("filter") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(FilterArg::Raw(s.clone())),
        Some(f @ Value::Object(_)) => Some(FilterArg::Built(filter_from_json(f))),
        Some(_) => return Err(bad("filter", "must be a string or a filter object")),
    };
    Ok(ListOptions {
        page: opt_u32(args, "page")?,
        page_size: opt_u32(args, "pageSize")?,
        sort: opt_str(args, "sort")?.map(str::to_string),
        status: opt_str(args, "status")?.map(str::to_string),
        filter,
        local_time_zone: opt_str(args, "localTimeZone")?.map(str::to_string),
    })
}

fn text<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::invalid_input(format!("cannot serialize the result: {e}")))
}

/// A page as JSON text: `{"rows": [...], "total", "page", "pageSize", "totalPages"}`. Raw
/// rows are copied as they are, not parsed again.
pub fn page_text<T: Serialize>(p: &Page<T>) -> Result<String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a, T> {
        rows: &'a [T],
        total: Option<u64>,
        page: u32,
        page_size: u32,
        total_pages: Option<u64>,
    }
    text(&Out { rows: &p.rows, total: p.total, page: p.page, page_size: p.page_size, total_pages: p.total_pages })
}

/// The rows of the `records` (or `rows`) argument: must be an array.
fn rows<'a>(args: &'a Value, key: &str) -> Result<&'a [Value]> {
    match args.get(key) {
        Some(Value::Array(a)) => Ok(a),
        None | Some(Value::Null) => Err(bad(key, "is required")),
        Some(_) => Err(bad(key, "must be an array of objects")),
    }
}

/// Runs one operation and returns its result as JSON text.
pub async fn call(client: &Client, op: &str, args: &Value) -> Result<String> {
    let a = args;
    match op {
        "health.liveness" => text(&client.health().liveness().await?),
        "health.readiness" => text(&client.health().readiness().await?),
        "masters.list" | "modules.list" => Ok(RawPage::from(list_decoded::<RowsText>(client, op, args).await?).text),
        "masters.upsert" => text(&client.masters(req_str(a, "name")?).upsert(rows(a, "records")?).await?),
        "modules.upsert" => text(&client.modules(req_str(a, "name")?).upsert(rows(a, "records")?, req_str(a, "userName")?).await?),
        "subTable.upsert" => text(
            &client.sub_table(req_str(a, "tableId")?).upsert(rows(a, "rows")?, req_str(a, "moduleName")?, req_str(a, "recordId")?).await?,
        ),
        "workflow.act" => {
            let mut opts = ActOptions::new(req_str(a, "action")?, req_str(a, "userName")?);
            opts.space_name = opt_str(a, "spaceName")?.map(str::to_string);
            text(&client.workflow(req_str(a, "module")?).act(&required_strings(a, "recordIds")?, &opts).await?)
        }
        "users.grantAccess" => {
            let grant: GrantAccess = serde_json::from_value(a.get("grant").cloned().unwrap_or(Value::Null))
                .map_err(|e| bad("grant", &format!("is not a valid grant: {e}")))?;
            text(&client.users().grant_access(&grant).await?)
        }
        "users.list" => page_text(&client.users().list(opt_u32(a, "page")?.unwrap_or(1), opt_u32(a, "pageSize")?.unwrap_or(1000)).await?),
        "users.get" => text(&client.users().get(req_str(a, "username")?).await?),
        "users.groups" => text(&client.users().groups(opt_bool(a, "onlyProjectGroups")?.unwrap_or(false)).await?),
        "users.activate" => text(&client.users().activate(&required_strings(a, "usernames")?).await?),
        "users.deactivate" => text(&client.users().deactivate(&required_strings(a, "usernames")?).await?),
        "users.removeAccess" => text(&client.users().remove_access(req_str(a, "username")?, &strings(a, "projects")?, &strings(a, "groups")?).await?),
        "users.removeProjectAccess" => text(&client.users().remove_project_access(req_str(a, "username")?, &required_strings(a, "projectIds")?).await?),
        "filter.render" => text(&filter_from_json(a.get("filter").unwrap_or(&Value::Null)).render()?),
        other => match edition::call(client, other, a).await {
            Some(result) => result,
            None => match documents::call(client, other, a).await {
                Some(result) => result,
                None => Err(Error::invalid_input(format!("unknown operation '{other}'"))),
            },
        },
    }
}

/// [`call`] of `masters.upsert`, `modules.upsert` or `subTable.upsert` (same arguments) with
/// the rows taken from `rows` instead of the `records`/`rows` argument.
pub async fn upsert_json_rows(client: &Client, op: &str, args: &Value, rows: &dyn JsonRows) -> Result<String> {
    let a = args;
    text(&match op {
        "masters.upsert" => client.masters(req_str(a, "name")?).upsert_json_rows(rows).await?,
        "modules.upsert" => client.modules(req_str(a, "name")?).upsert_json_rows(rows, req_str(a, "userName")?).await?,
        "subTable.upsert" => client.sub_table(req_str(a, "tableId")?).upsert_json_rows(rows, req_str(a, "moduleName")?, req_str(a, "recordId")?).await?,
        other => return Err(Error::invalid_input(format!("'{other}' does not write rows (masters.upsert, modules.upsert, subTable.upsert)"))),
    })
}

// The current edition's operations (updates, deletes, expand, sub-table reads, hierarchy
// masters, workflow v2, build info) live in their own file.
#[path = "json_edition.rs"]
mod edition;
// Documents, workspaces and job status.
#[path = "json_documents.rs"]
mod documents;
pub use documents::upload_files;
pub use edition::{ExpandTexts, expand, expanded_text};

/// What [`call_decoded`] answers: a page of `masters.list`/`modules.list` with rows read by `R`,
/// or the JSON text of any other operation.
pub enum Answer<R> {
    Page(DecodedPage<R>),
    Text(String),
}

/// [`call`], except that the rows of a record list are read by `R` in the core's one pass
/// over the answer (see [`RowsDecoder`]).
pub async fn call_decoded<R: RowsDecoder>(client: &Client, op: &str, args: &Value) -> Result<Answer<R>> {
    match op {
        "masters.list" | "modules.list" => list_decoded(client, op, args).await.map(Answer::Page),
        _ => call(client, op, args).await.map(Answer::Text),
    }
}

async fn list_decoded<R: RowsDecoder>(client: &Client, op: &str, args: &Value) -> Result<DecodedPage<R>> {
    let name = req_str(args, "name")?;
    let opts = list_options(args)?;
    match op {
        "masters.list" => client.masters(name).collection().list_decoded(&opts).await,
        _ => client.modules(name).collection().list_decoded(&opts).await,
    }
}

/// Every page of `masters.iter`, `modules.iter` (args as for `list`), `users.iter`
/// (`pageSize`), `subTable.iter`, `hierarchy.iter` or `workflow.iter` (args as for their
/// `list`), as JSON texts in the normal form of a page, fetched ahead in the background. For
/// `modules.expand` (args as [`expand`]) every item is one expanded record instead of a page.
pub fn pages(client: &Client, op: &str, args: &Value) -> Result<PageTexts> {
    if op == "modules.expand" {
        return expand(client, args).map(|e| PageTexts(Texts::Records(e)));
    }
    pages_decoded::<RowsText>(client, op, args).map(|p| PageTexts(Texts::Pages(p)))
}

/// [`pages`] with the rows of each page read by `R`.
pub fn pages_decoded<R: RowsDecoder>(client: &Client, op: &str, args: &Value) -> Result<DecodedPages<R>> {
    Ok(DecodedPages(match op {
        "masters.iter" => Source::Records(client.masters(req_str(args, "name")?).collection().decoded_pages(list_options(args)?)?),
        "modules.iter" => Source::Records(client.modules(req_str(args, "name")?).collection().decoded_pages(list_options(args)?)?),
        "users.iter" => Source::Typed(client.users().pages_as(opt_u32(args, "pageSize")?.unwrap_or(1000))),
        other => match edition::typed_pages(client, other, args) {
            Some(pages) => Source::Typed(pages?),
            None => {
                return Err(Error::invalid_input(format!(
                    "'{other}' is not an iteration (masters.iter, modules.iter, users.iter, subTable.iter, hierarchy.iter, workflow.iter)"
                )));
            }
        },
    }))
}

enum Source<R> {
    Records(Prefetch<DecodedPage<R>>),
    /// Pages read by the core's typed lists (users, sub-tables, hierarchy, v2 workflow); their
    /// rows are decoded from their text.
    Typed(Pages<RawRow>),
}

/// The stream of [`pages_decoded`].
pub struct DecodedPages<R>(Source<R>);

impl<R: RowsDecoder> Stream for DecodedPages<R> {
    type Item = Result<DecodedPage<R>>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().0 {
            Source::Records(p) => Pin::new(p).poll_next(cx),
            Source::Typed(p) => Pin::new(p).poll_next(cx).map(|o| {
                o.map(|r| r.and_then(|p| crate::paging::decode_page(page_text(&p)?.into(), p.page, p.page_size, "users page")))
            }),
        }
    }
}

/// The stream of [`pages`]: one JSON text per page (per record for `modules.expand`).
pub struct PageTexts(Texts);

enum Texts {
    Pages(DecodedPages<RowsText>),
    Records(ExpandTexts),
}

impl Stream for PageTexts {
    type Item = Result<String>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().0 {
            Texts::Pages(p) => Pin::new(p).poll_next(cx).map(|o| o.map(|r| r.map(|p| RawPage::from(p).text))),
            Texts::Records(r) => Pin::new(r).poll_next(cx),
        }
    }
}

/// A bulk report as `{total, insertedIds, written: [[start, end]…], notWritten: [...],
/// unknown: [...]}`.
pub fn bulk_json(b: &BulkReport) -> Value {
    let mut out = Map::new();
    out.insert("total".into(), json!(b.total));
    out.insert("insertedIds".into(), json!(b.inserted_ids));
    for (key, state) in [("written", WriteState::Written), ("notWritten", WriteState::NotWritten), ("unknown", WriteState::Unknown)] {
        let ranges: Vec<Value> = b.slices.iter().filter(|(_, s)| *s == state).map(|(r, _)| json!([r.start, r.end])).collect();
        out.insert(key.into(), Value::Array(ranges));
    }
    Value::Object(out)
}

/// An error as `{kind, status, summary, details, path, timestamp, requestId, retries,
/// retryAfter, message, bulk, upload}` (the token is never in it); `upload` is the per-file
/// report of a document upload that did not fully succeed.
pub fn error_json(e: &Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "message": e.message(),
        "status": e.status(),
        "summary": e.summary(),
        "details": e.details(),
        "path": e.path(),
        "timestamp": e.timestamp(),
        "requestId": e.request_id(),
        "retries": e.retries(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
        "bulk": e.bulk().map(bulk_json),
        "upload": e.upload(),
    })
}
