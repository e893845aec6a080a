//! §3.5 (\[V\] only): module records with their sub-table rows (`/expand`), as a stream of
//! complete records.
//!
//! The API pages on two axes and answers a `nextPage` object (`{page, pageSize}`, `null` at the
//! end) on each: the records of the request, and every sub-table inside every record. The
//! stream walks the records axis one page ahead in the background; before it hands out a
//! record, it reads the rest of that record's sub-tables by sending each table's `nextPage`
//! back (`recordIds=<the record>`, `fields=_id`, `subTablePaging={table: nextPage}`, and
//! `subTablePageSize=1` so the tables that are complete cost one row each), moving every page's
//! rows into the record (a [`RowSink`]): a record with 10,000 rows is held once, never copied.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{check_strings, csv};
use crate::api::records::Collection;
use crate::client::{Call, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::models::Record;
use crate::paging::{Advance, Prefetch};

/// Most records per `/expand` page and rows per sub-table page, and most ids per request.
pub const MAX_EXPAND_PAGE_SIZE: u32 = 100;

/// Options of [`crate::Modules::expand`]. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpandOptions {
    /// Only these records (`_id`s); any number, sent 100 per request. Empty: every record.
    pub record_ids: Vec<String>,
    /// The records page to start from (default 1).
    pub page: Option<u32>,
    /// Records per request, 1..=100 (default 50, the API's).
    pub page_size: Option<u32>,
    /// Sparse fieldset of the records: `["recordNumber", "status"]` keeps those (and `_id`),
    /// `["-customFields"]` drops one. `_id` cannot be dropped: the stream needs it.
    pub fields: Vec<String>,
    /// Sparse fieldset of every sub-table row, in the same form.
    pub sub_table_fields: Vec<String>,
    /// Rows per sub-table page, 1..=100 (default 100: fewer requests per record).
    pub sub_table_page_size: Option<u32>,
    /// A Mongo-style filter (a JSON object) merged into the record match, e.g.
    /// `{"projectID": "WBls47_"}`.
    pub query: Option<Value>,
}

impl ExpandOptions {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn record_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.record_ids = ids.into_iter().map(Into::into).collect();
        self
    }
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }
    pub fn fields<S: Into<String>>(mut self, f: impl IntoIterator<Item = S>) -> Self {
        self.fields = f.into_iter().map(Into::into).collect();
        self
    }
    pub fn sub_table_fields<S: Into<String>>(mut self, f: impl IntoIterator<Item = S>) -> Self {
        self.sub_table_fields = f.into_iter().map(Into::into).collect();
        self
    }
    pub fn sub_table_page_size(mut self, n: u32) -> Self {
        self.sub_table_page_size = Some(n);
        self
    }
    pub fn query(mut self, q: Value) -> Self {
        self.query = Some(q);
        self
    }
}

/// Where a record's sub-table rows go as their pages arrive: each page's rows are moved in
/// and the page is gone. `Vec<T>` keeps rows of any type; [`JoinedRows`] keeps their JSON text.
pub trait RowSink: Default + Send + 'static {
    /// A row as read from an answer.
    type Row: DeserializeOwned + Send + 'static;
    /// Takes a page of rows.
    fn push_page(&mut self, rows: Vec<Self::Row>);
    /// How many rows so far.
    fn count(&self) -> usize;
}

impl<T: DeserializeOwned + Send + 'static> RowSink for Vec<T> {
    type Row = T;
    fn push_page(&mut self, rows: Vec<T>) {
        self.extend(rows);
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// Rows kept as the text of a JSON array's items (`{..},{..}`), each row's text appended once
/// and its own buffer freed at once: what the language bindings hand on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinedRows {
    /// The rows' JSON, comma-separated, without the brackets.
    pub text: String,
    pub len: usize,
}

impl RowSink for JoinedRows {
    type Row = Box<serde_json::value::RawValue>;
    fn push_page(&mut self, rows: Vec<Self::Row>) {
        for r in rows {
            if self.len > 0 {
                self.text.push(',');
            }
            self.text.push_str(r.get());
            self.len += 1;
        }
    }
    fn count(&self) -> usize {
        self.len
    }
}

impl Serialize for JoinedRows {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let arr = serde_json::value::RawValue::from_string(format!("[{}]", self.text)).map_err(serde::ser::Error::custom)?;
        arr.serialize(s)
    }
}

/// A module record with every row of its sub-tables.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpandedRecord<R = Vec<Map<String, Value>>> {
    /// The record document without `subTableData`.
    pub record: Record,
    /// Each sub-table, in the order the API listed them.
    pub sub_tables: Vec<SubTableRows<R>>,
}

/// Every row of one sub-table of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct SubTableRows<R> {
    /// The `tableID`, e.g. `Signatures`.
    pub table_id: String,
    /// The row count the API gave.
    pub total: Option<u64>,
    pub rows: R,
}

impl<R> ExpandedRecord<R> {
    /// The rows of sub-table `table_id`, if the record has it.
    pub fn sub_table(&self, table_id: &str) -> Option<&SubTableRows<R>> {
        self.sub_tables.iter().find(|t| t.table_id == table_id)
    }
}

/// The JSON form: the record document with `subTableData: {"<tableID>": {"total", "rows"}}`.
impl<T: Serialize> Serialize for ExpandedRecord<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Tables<'a, R>(&'a [SubTableRows<R>]);
        impl<T: Serialize> Serialize for Tables<'_, T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for t in self.0 {
                    m.serialize_entry(&t.table_id, &serde_json::json!({ "total": t.total, "rows": t.rows }))?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.record.0 {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("subTableData", &Tables(&self.sub_tables))?;
        m.end()
    }
}

/// `nextPage` of either axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NextPage {
    pub page: u32,
    #[serde(rename = "pageSize")]
    pub page_size: u32,
}

/// One sub-table of a record in one answer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", bound = "T: DeserializeOwned")]
struct WireTable<T> {
    #[serde(default = "Vec::new")]
    rows: Vec<T>,
    page: Option<u32>,
    total: Option<u64>,
    next_page: Option<NextPage>,
}

/// A record of an answer: its document and its sub-tables, read in one pass (rows go straight
/// into `T`, which may keep them as raw JSON text).
struct WireRecord<T> {
    doc: Map<String, Value>,
    tables: Vec<(String, WireTable<T>)>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for WireRecord<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Tables<T>(Vec<(String, WireTable<T>)>);
        impl<'de, T: DeserializeOwned> Deserialize<'de> for Tables<T> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                struct V<T>(PhantomData<T>);
                impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
                    type Value = Tables<T>;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("subTableData: an object of sub-tables")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Tables<T>, A::Error> {
                        let mut out = Vec::new();
                        while let Some(k) = map.next_key::<String>()? {
                            out.push((k, map.next_value()?));
                        }
                        Ok(Tables(out))
                    }
                }
                d.deserialize_map(V(PhantomData))
            }
        }
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = WireRecord<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an expanded record")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<WireRecord<T>, A::Error> {
                let mut rec = WireRecord { doc: Map::new(), tables: Vec::new() };
                while let Some(k) = map.next_key::<String>()? {
                    if k == "subTableData" {
                        rec.tables = map.next_value::<Option<Tables<T>>>()?.map(|t| t.0).unwrap_or_default();
                    } else {
                        let v = map.next_value()?;
                        rec.doc.insert(k, v);
                    }
                }
                Ok(rec)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", bound = "T: DeserializeOwned")]
struct WirePage<T> {
    #[serde(default = "Vec::new")]
    records: Vec<WireRecord<T>>,
    next_page: Option<NextPage>,
}

/// Where the records axis is: which chunk of `record_ids` and which page of it.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    chunk: usize,
    page: NextPage,
}

/// A page of the records axis, with where the next one is.
struct RecordsPage<T> {
    records: Vec<WireRecord<T>>,
    next: Option<Cursor>,
}

impl<T> Advance<Cursor> for RecordsPage<T> {
    fn advance(&self, _: &Cursor) -> Option<Cursor> {
        self.next.clone()
    }
}

/// What every request of one stream shares.
struct Ctx {
    client: Client,
    path: String,
    what: String,
    /// Chunks of at most 100 ids (one empty chunk: every record).
    chunks: Vec<String>,
    fields: Option<String>,
    sub_fields: Option<String>,
    sub_size: u32,
    query: Option<String>,
}

fn invalid(ctx: &Ctx, msg: impl fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidResponse, format!("{}: unexpected answer: {msg}", ctx.what))
}

impl Ctx {
    async fn get<T: DeserializeOwned>(&self, query: Vec<(&'static str, String)>) -> Result<WirePage<T>> {
        let mut call = Call::get(self.path.clone());
        call.query = query;
        let body = self.client.execute(&call).await?;
        serde_json::from_slice(&body).map_err(|e| invalid(self, e))
    }

    /// A page of the records axis.
    async fn records_page<T: DeserializeOwned>(&self, at: Cursor) -> Result<RecordsPage<T>> {
        let mut q = vec![("page", at.page.page.to_string()), ("pageSize", at.page.page_size.to_string()), ("subTablePageSize", self.sub_size.to_string())];
        if !self.chunks[at.chunk].is_empty() {
            q.push(("recordIds", self.chunks[at.chunk].clone()));
        }
        for (k, v) in [("fields", &self.fields), ("subTableFields", &self.sub_fields), ("query", &self.query)] {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        let page: WirePage<T> = self.get(q).await?;
        let next = match page.next_page {
            Some(n) if n.page <= at.page.page || n.page_size == 0 => {
                return Err(invalid(self, format!("nextPage {} does not follow page {}", n.page, at.page.page)));
            }
            Some(n) => Some(Cursor { chunk: at.chunk, page: n }),
            None if at.chunk + 1 < self.chunks.len() => Some(Cursor { chunk: at.chunk + 1, page: NextPage { page: 1, page_size: at.page.page_size } }),
            None => None,
        };
        Ok(RecordsPage { records: page.records, next })
    }

    /// Reads the rest of a record's sub-tables, moving every page's rows into the record.
    async fn complete<R: RowSink>(&self, rec: WireRecord<R::Row>) -> Result<ExpandedRecord<R>> {
        let mut tables: Vec<(SubTableRows<R>, Option<NextPage>)> = rec
            .tables
            .into_iter()
            .map(|(table_id, t)| {
                let mut rows = R::default();
                rows.push_page(t.rows);
                (SubTableRows { table_id, total: t.total, rows }, t.next_page)
            })
            .collect();
        if tables.iter().any(|(_, next)| next.is_some()) {
            let id = rec.doc.get("_id").and_then(Value::as_str).map(str::to_string).ok_or_else(|| invalid(self, "a record with more sub-table rows has no _id"))?;
            while tables.iter().any(|(_, next)| next.is_some()) {
                let paging: Map<String, Value> = tables
                    .iter()
                    .filter_map(|(t, next)| next.map(|n| (t.table_id.clone(), serde_json::json!({ "page": n.page, "pageSize": n.page_size }))))
                    .collect();
                let mut q = vec![("recordIds", id.clone()), ("page", "1".into()), ("pageSize", "1".into()), ("fields", "_id".into())];
                if let Some(f) = &self.sub_fields {
                    q.push(("subTableFields", f.clone()));
                }
                q.push(("subTablePageSize", "1".into()));
                q.push(("subTablePaging", Value::Object(paging).to_string()));
                let page: WirePage<R::Row> = self.get(q).await?;
                let again = page
                    .records
                    .into_iter()
                    .find(|r| r.doc.get("_id").and_then(Value::as_str) == Some(id.as_str()))
                    .ok_or_else(|| invalid(self, format!("record {id} is missing from the answer for its sub-table rows")))?;
                let mut answered: Vec<(String, WireTable<R::Row>)> = again.tables;
                for (rows, next) in tables.iter_mut() {
                    let Some(asked) = *next else { continue };
                    let pos = answered
                        .iter()
                        .position(|(t, _)| *t == rows.table_id)
                        .ok_or_else(|| invalid(self, format!("sub-table {} of record {id} is missing from the answer", rows.table_id)))?;
                    let (_, got) = answered.swap_remove(pos);
                    if got.page.is_some_and(|p| p != asked.page) {
                        return Err(invalid(self, format!("asked for page {} of sub-table {}, got page {:?}", asked.page, rows.table_id, got.page)));
                    }
                    if got.rows.is_empty() && got.next_page.is_some() {
                        return Err(invalid(self, format!("an empty page {} of sub-table {} is followed by another", asked.page, rows.table_id)));
                    }
                    rows.rows.push_page(got.rows);
                    if let Some(total) = rows.total
                        && rows.rows.count() as u64 > total
                    {
                        return Err(invalid(self, format!("sub-table {} of record {id} has more rows than its total {total}", rows.table_id)));
                    }
                    *next = match got.next_page {
                        Some(n) if n.page <= asked.page => {
                            return Err(invalid(self, format!("nextPage {} of sub-table {} does not follow page {}", n.page, rows.table_id, asked.page)));
                        }
                        other => other,
                    };
                }
            }
        }
        Ok(ExpandedRecord { record: Record(rec.doc), sub_tables: tables.into_iter().map(|(t, _)| t).collect() })
    }
}

fn size(v: Option<u32>, default: u32, what: &str) -> Result<u32> {
    let n = v.unwrap_or(default);
    if !(1..=MAX_EXPAND_PAGE_SIZE).contains(&n) {
        return Err(Error::invalid_input(format!("{what} must be between 1 and {MAX_EXPAND_PAGE_SIZE}, got {n}")));
    }
    Ok(n)
}

fn prepare(coll: &Collection, opts: &ExpandOptions) -> Result<(Ctx, Cursor)> {
    let page = opts.page.unwrap_or(1);
    if page < 1 {
        return Err(Error::invalid_input("page must be 1 or more (pages are 1-based)"));
    }
    let page_size = size(opts.page_size, 50, "page_size")?;
    let sub_size = size(opts.sub_table_page_size, MAX_EXPAND_PAGE_SIZE, "sub_table_page_size")?;
    let fields = if opts.fields.is_empty() { None } else { Some(csv(&opts.fields, "fields")?) };
    if opts.fields.iter().any(|f| f == "-_id") {
        return Err(Error::invalid_input("fields must keep _id: the stream needs it to read the rest of a record's sub-table rows"));
    }
    let sub_fields = if opts.sub_table_fields.is_empty() { None } else { Some(csv(&opts.sub_table_fields, "sub_table_fields")?) };
    let query = match &opts.query {
        None | Some(Value::Null) => None,
        Some(q @ Value::Object(_)) => Some(q.to_string()),
        Some(_) => return Err(Error::invalid_input("query must be a JSON object (a Mongo-style filter)")),
    };
    let ids = check_strings(&opts.record_ids, "record_ids")?;
    let chunks: Vec<String> = if ids.is_empty() {
        vec![String::new()]
    } else {
        ids.chunks(MAX_EXPAND_PAGE_SIZE as usize).map(|c| csv(c, "record_ids")).collect::<Result<_>>()?
    };
    let path = format!("{}/expand", coll.path()?);
    let what = format!("GET /{path}");
    let ctx = Ctx { client: coll.client().clone(), path, what, chunks, fields, sub_fields, sub_size, query };
    Ok((ctx, Cursor { chunk: 0, page: NextPage { page, page_size } }))
}

type RecordStream<R> = Pin<Box<dyn Stream<Item = Result<ExpandedRecord<R>>> + Send>>;

/// The stream of [`crate::Modules::expand`]: complete records, one at a time. Dropping it stops
/// the background fetching.
pub struct Expand<R = Vec<Map<String, Value>>> {
    inner: RecordStream<R>,
}

impl<R> Unpin for Expand<R> {}

impl<R> Stream for Expand<R> {
    type Item = Result<ExpandedRecord<R>>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}

struct State<R: RowSink> {
    pages: Option<Prefetch<RecordsPage<R::Row>, Cursor>>,
    ready: VecDeque<WireRecord<R::Row>>,
    ctx: Arc<Ctx>,
}

pub(crate) fn start<R: RowSink>(coll: Collection, opts: ExpandOptions) -> Expand<R> {
    let (ctx, first) = match prepare(&coll, &opts) {
        Ok(v) => v,
        Err(e) => return Expand { inner: Box::pin(futures_util::stream::once(async move { Err(e) })) },
    };
    let ctx = Arc::new(ctx);
    let fetch_ctx = ctx.clone();
    let pages = Prefetch::new(
        first,
        coll.client().inner.prefetch_pages,
        Box::new(move |at: Cursor| {
            let ctx = fetch_ctx.clone();
            Box::pin(async move { ctx.records_page::<R::Row>(at).await })
        }),
    );
    let state = State::<R> { pages: Some(pages), ready: VecDeque::new(), ctx };
    let stream = futures_util::stream::unfold(state, |mut st| async move {
        loop {
            let pages = st.pages.as_mut()?;
            if let Some(rec) = st.ready.pop_front() {
                let res = st.ctx.complete::<R>(rec).await;
                if res.is_err() {
                    st.pages = None;
                }
                return Some((res, st));
            }
            match pages.next().await {
                Some(Ok(page)) => st.ready.extend(page.records),
                Some(Err(e)) => {
                    st.pages = None;
                    return Some((Err(e), st));
                }
                None => return None,
            }
        }
    });
    Expand { inner: Box::pin(stream) }
}
