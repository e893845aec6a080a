//! Pages, list options, and streams that walk every page with a bounded prefetch.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use crate::config::defaults;
use crate::error::{Error, ErrorKind, Result};
use crate::filter::Filter;

/// One page of a list. `total` and `total_pages` are `None` when the server answered a bare
/// array (REFERENCE.md §13 C1).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: Option<u64>,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: Option<u64>,
}

impl<T> Page<T> {
    /// Whether another page may follow: `page < totalPages` when the server said, otherwise a
    /// full page (a short or empty one is the last).
    pub fn has_next(&self) -> bool {
        more_after(self.rows.len(), self.page, self.page_size, self.total_pages)
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// The same page with every row converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { rows: self.rows.into_iter().map(f).collect(), total: self.total, page: self.page, page_size: self.page_size, total_pages: self.total_pages }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

/// Whether a page of `rows` rows may be followed by another (both list shapes).
fn more_after(rows: usize, page: u32, page_size: u32, total_pages: Option<u64>) -> bool {
    if rows == 0 {
        return false;
    }
    match total_pages {
        Some(tp) => u64::from(page) < tp,
        None => rows >= page_size as usize,
    }
}

fn invalid(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidResponse, format!("{what}: unexpected answer: {e}"))
}

/// Reads a list answer in either shape: `{rows,total,page,pageSize,totalPages}` or `[...]`.
pub(crate) fn parse_page<T: DeserializeOwned>(body: &[u8], page: u32, page_size: u32, what: &str) -> Result<Page<T>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Obj<T> {
        rows: Vec<T>,
        total: Option<u64>,
        page: Option<u32>,
        page_size: Option<u32>,
        total_pages: Option<u64>,
    }
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => {
            let rows: Vec<T> = serde_json::from_slice(body).map_err(|e| invalid(what, e))?;
            Ok(Page { rows, total: None, page, page_size, total_pages: None })
        }
        Some(b'{') => {
            let o: Obj<T> = serde_json::from_slice(body).map_err(|e| invalid(what, e))?;
            Ok(Page {
                rows: o.rows,
                total: o.total,
                page: o.page.unwrap_or(page),
                page_size: o.page_size.unwrap_or(page_size),
                total_pages: o.total_pages.or_else(|| o.total.map(|t| t.div_ceil(u64::from(o.page_size.unwrap_or(page_size).max(1))))),
            })
        }
        _ => Err(invalid(what, "expected a JSON array or object")),
    }
}

/// Reads the `rows` array of a list answer during the core's one pass over it, so a binding
/// gets the rows in its own form (JSON text for Node and C, a parsed tape for Python) without
/// a second scan of the answer.
pub trait RowsDecoder: Sized + Send + 'static {
    /// Reads the rows array at `d`; `text` is the whole answer (which the rows may refer to by
    /// position, see [`DecodedPage::body`]). Returns the rows and how many there are.
    fn decode<'de, D: serde::Deserializer<'de>>(text: &'de str, d: D) -> std::result::Result<(Self, usize), D::Error>;
}

/// A page whose rows a [`RowsDecoder`] read, with the page facts of either list shape.
#[derive(Debug, Clone)]
pub struct DecodedPage<R> {
    /// The answer's text, which `rows` may point into.
    pub body: String,
    pub rows: R,
    /// Number of rows.
    pub len: usize,
    pub total: Option<u64>,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: Option<u64>,
    pub has_next: bool,
}

impl<R> HasNext for DecodedPage<R> {
    fn has_next(&self) -> bool {
        self.has_next
    }
}

/// Rows as the text of a JSON array, each row copied once from the answer, never parsed into
/// values.
#[derive(Debug, Clone)]
pub struct RowsText(pub String);

impl RowsDecoder for RowsText {
    fn decode<'de, D: serde::Deserializer<'de>>(_: &'de str, d: D) -> std::result::Result<(Self, usize), D::Error> {
        let rows: Vec<&'de serde_json::value::RawValue> = Deserialize::deserialize(d)?;
        // Room for the page facts around it (`RawPage`), so they are added in place.
        let mut out = String::with_capacity(rows.iter().map(|r| r.get().len() + 1).sum::<usize>() + 160);
        out.push('[');
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(r.get());
        }
        out.push(']');
        Ok((RowsText(out), rows.len()))
    }
}

/// A page kept as JSON text in the normal form `{"rows": [...], "total", "page", "pageSize",
/// "totalPages"}`, for bindings that parse JSON in their own language.
#[derive(Debug, Clone)]
pub struct RawPage {
    pub text: String,
    pub rows: usize,
    pub has_next: bool,
}

impl From<DecodedPage<RowsText>> for RawPage {
    fn from(p: DecodedPage<RowsText>) -> Self {
        let opt = |v: Option<u64>| v.map_or("null".to_string(), |n| n.to_string());
        let mut text = p.rows.0;
        text.insert_str(0, "{\"rows\":");
        text.push_str(&format!(",\"total\":{},\"page\":{},\"pageSize\":{},\"totalPages\":{}}}", opt(p.total), p.page, p.page_size, opt(p.total_pages)));
        RawPage { text, rows: p.len, has_next: p.has_next }
    }
}

/// Reads a list answer of either shape in one pass: `R` reads the rows, the core the rest.
pub(crate) fn decode_page<R: RowsDecoder>(body: bytes::Bytes, page: u32, page_size: u32, what: &str) -> Result<DecodedPage<R>> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

    #[derive(Deserialize, Clone, Copy, PartialEq)]
    #[serde(field_identifier, rename_all = "camelCase")]
    enum Field {
        Rows,
        Total,
        Page,
        PageSize,
        TotalPages,
        #[serde(other)]
        Other,
    }
    const NAMES: [&str; 5] = ["rows", "total", "page", "pageSize", "totalPages"];
    struct Facts<R> {
        rows: Option<(R, usize)>,
        total: Option<u64>,
        page: Option<u32>,
        page_size: Option<u32>,
        total_pages: Option<u64>,
    }
    struct Rows<'de, R>(&'de str, std::marker::PhantomData<R>);
    impl<'de, R: RowsDecoder> DeserializeSeed<'de> for Rows<'de, R> {
        type Value = (R, usize);
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
            R::decode(self.0, d)
        }
    }
    /// The page object: `rows` through `R`, the page facts, anything else skipped.
    struct Top<'de, R>(&'de str, std::marker::PhantomData<R>);
    impl<'de, R: RowsDecoder> Visitor<'de> for Top<'de, R> {
        type Value = Facts<R>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a page object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Facts<R>, A::Error> {
            use serde::de::Error as _;
            let mut f = Facts { rows: None, total: None, page: None, page_size: None, total_pages: None };
            // A repeated page fact is refused, as the typed decoder (`parse_page`) does.
            let mut seen = 0u8;
            while let Some(k) = map.next_key::<Field>()? {
                if k != Field::Other {
                    if seen & (1 << k as u8) != 0 {
                        return Err(A::Error::duplicate_field(NAMES[k as usize]));
                    }
                    seen |= 1 << k as u8;
                }
                match k {
                    Field::Rows => f.rows = Some(map.next_value_seed(Rows::<R>(self.0, std::marker::PhantomData))?),
                    Field::Total => f.total = map.next_value()?,
                    Field::Page => f.page = map.next_value()?,
                    Field::PageSize => f.page_size = map.next_value()?,
                    Field::TotalPages => f.total_pages = map.next_value()?,
                    Field::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(f)
        }
    }

    let text = String::from_utf8(Vec::from(body)).map_err(|e| invalid(what, e))?;
    let facts = {
        let mut de = serde_json::Deserializer::from_str(&text);
        let facts = match text.bytes().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => Facts { rows: Some(R::decode(&text, &mut de).map_err(|e| invalid(what, e))?), total: None, page: None, page_size: None, total_pages: None },
            Some(b'{') => {
                use serde::Deserializer as _;
                (&mut de).deserialize_map(Top::<R>(&text, std::marker::PhantomData)).map_err(|e| invalid(what, e))?
            }
            _ => return Err(invalid(what, "expected a JSON array or object")),
        };
        de.end().map_err(|e| invalid(what, e))?;
        facts
    };
    let (rows, len) = facts.rows.ok_or_else(|| invalid(what, "missing field `rows`"))?;
    let size = facts.page_size.unwrap_or(page_size);
    let total_pages = facts.total_pages.or_else(|| facts.total.map(|t| t.div_ceil(u64::from(size.max(1)))));
    let page = facts.page.unwrap_or(page);
    Ok(DecodedPage { body: text, rows, len, total: facts.total, page, page_size: size, total_pages, has_next: more_after(len, page, size, total_pages) })
}

/// A filter: built with [`Filter`], or a raw string in the API's grammar (REFERENCE.md §11).
#[derive(Debug, Clone, PartialEq)]
pub enum FilterArg {
    Built(Filter),
    Raw(String),
}

impl From<Filter> for FilterArg {
    fn from(f: Filter) -> Self {
        FilterArg::Built(f)
    }
}
impl From<&str> for FilterArg {
    fn from(s: &str) -> Self {
        FilterArg::Raw(s.to_string())
    }
}
impl From<String> for FilterArg {
    fn from(s: String) -> Self {
        FilterArg::Raw(s)
    }
}

/// Options of master/module `list` and `iter`. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListOptions {
    /// 1-based page (default 1; for `iter`, the page to start from).
    pub page: Option<u32>,
    /// Rows per page, 1..=1000 (default 1000).
    pub page_size: Option<u32>,
    /// Field to sort by; `-field` sorts descending.
    pub sort: Option<String>,
    /// Only records in this workflow status (e.g. `Approved`).
    pub status: Option<String>,
    pub filter: Option<FilterArg>,
    /// IANA time zone (e.g. `America/Los_Angeles`); required when the filter compares dates.
    pub local_time_zone: Option<String>,
}

impl ListOptions {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }
    pub fn sort(mut self, field: impl Into<String>) -> Self {
        self.sort = Some(field.into());
        self
    }
    /// Sorts by `field` descending (`-field`).
    pub fn sort_desc(mut self, field: impl AsRef<str>) -> Self {
        self.sort = Some(format!("-{}", field.as_ref()));
        self
    }
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
    pub fn filter(mut self, f: impl Into<FilterArg>) -> Self {
        self.filter = Some(f.into());
        self
    }
    pub fn local_time_zone(mut self, tz: impl Into<String>) -> Self {
        self.local_time_zone = Some(tz.into());
        self
    }

    /// Checks the options and returns `(page, page_size, query)` for page `page`.
    pub(crate) fn query(&self, page: u32) -> Result<(u32, Vec<(&'static str, String)>)> {
        let size = self.page_size.unwrap_or(defaults::PAGE_SIZE);
        check_paging(page, size)?;
        let mut q = vec![("page", page.to_string()), ("pageSize", size.to_string())];
        if let Some(s) = &self.sort {
            crate::encode::required("sort", s)?;
            q.push(("sort", s.clone()));
        }
        if let Some(s) = &self.status {
            crate::encode::required("status", s)?;
            q.push(("status", s.clone()));
        }
        let tz = match &self.local_time_zone {
            Some(tz) => {
                crate::encode::required("local_time_zone", tz)?;
                Some(tz.clone())
            }
            None => None,
        };
        if let Some(f) = &self.filter {
            let (text, dates) = match f {
                FilterArg::Built(f) => (f.render()?, f.compares_dates()),
                FilterArg::Raw(s) => {
                    crate::encode::required("filter", s)?;
                    (s.clone(), crate::filter::raw_compares_dates(s))
                }
            };
            if dates && tz.is_none() {
                return Err(Error::invalid_input(format!(
                    "filter '{text}' compares a DATE field: set local_time_zone (an IANA name such as America/Los_Angeles), or the server may return the wrong records"
                )));
            }
            q.push(("filter", text));
        }
        if let Some(tz) = tz {
            q.push(("localTimeZone", tz));
        }
        Ok((size, q))
    }

    pub(crate) fn first_page(&self) -> u32 {
        self.page.unwrap_or(1)
    }
}

/// Page and page size within the API's limits (REFERENCE.md §10).
pub(crate) fn check_paging(page: u32, size: u32) -> Result<()> {
    check_paging_up_to(page, size, 1000)
}

/// [`check_paging`] for lists whose pages hold at most `max` rows (100 for the v2 workflow).
pub(crate) fn check_paging_up_to(page: u32, size: u32, max: u32) -> Result<()> {
    if page < 1 {
        return Err(Error::invalid_input("page must be 1 or more (pages are 1-based)"));
    }
    if !(1..=max).contains(&size) {
        return Err(Error::invalid_input(format!("page_size must be between 1 and {max}, got {size}")));
    }
    Ok(())
}

/// Fetches the page at a cursor (a page number, or what the API says comes next).
pub(crate) type Fetch<I, C = u32> = Box<dyn FnMut(C) -> Pin<Box<dyn Future<Output = Result<I>> + Send>> + Send>;

/// Whether another page follows an item.
pub(crate) trait HasNext {
    fn has_next(&self) -> bool;
}

/// Where the page after this one is, given where this one was; `None` after the last.
pub(crate) trait Advance<C> {
    fn advance(&self, current: &C) -> Option<C>;
}

/// Numbered pages: the next number, while another page follows.
impl<I: HasNext> Advance<u32> for I {
    fn advance(&self, current: &u32) -> Option<u32> {
        if self.has_next() { current.checked_add(1) } else { None }
    }
}
impl<T> HasNext for Page<T> {
    fn has_next(&self) -> bool {
        Page::has_next(self)
    }
}

enum State<I, C> {
    /// Not polled yet: the task starts on the first poll, inside the caller's runtime.
    Idle { fetch: Fetch<I, C>, first: C, prefetch: usize },
    Running { rx: mpsc::Receiver<Result<I>>, task: tokio::task::JoinHandle<()> },
    Done,
}

/// Fetches pages `first, first + 1, ...` (or, for other cursors, wherever each page says the
/// next is) in a background task that stays at most `prefetch` pages ahead, until one says it
/// is the last or fails. Dropping it stops the task.
pub(crate) struct Prefetch<I, C = u32> {
    state: State<I, C>,
}

impl<I: Advance<C> + Send + 'static, C: Clone + Send + 'static> Prefetch<I, C> {
    pub(crate) fn new(first: C, prefetch: usize, fetch: Fetch<I, C>) -> Self {
        Prefetch { state: State::Idle { fetch, first, prefetch: prefetch.max(1) } }
    }

    fn start(&mut self) -> Result<()> {
        let State::Idle { mut fetch, first, prefetch } = std::mem::replace(&mut self.state, State::Done) else {
            return Ok(());
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::invalid_input("exto360 streams must be polled inside a tokio runtime"));
        }
        let (tx, rx) = mpsc::channel(prefetch);
        let task = tokio::spawn(async move {
            let mut cursor = first;
            loop {
                let res = fetch(cursor.clone()).await;
                let next = res.as_ref().ok().and_then(|p| p.advance(&cursor));
                if tx.send(res).await.is_err() {
                    break;
                }
                cursor = match next {
                    Some(c) => c,
                    None => break,
                };
            }
        });
        self.state = State::Running { rx, task };
        Ok(())
    }
}

impl<I, C> Drop for Prefetch<I, C> {
    fn drop(&mut self) {
        if let State::Running { task, .. } = &self.state {
            task.abort();
        }
    }
}

// Nothing is pinned in place: pages are only moved.
impl<I, C> Unpin for Prefetch<I, C> {}

impl<I: Advance<C> + Send + 'static, C: Clone + Send + 'static> Stream for Prefetch<I, C> {
    type Item = Result<I>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if matches!(this.state, State::Idle { .. })
            && let Err(e) = this.start() {
                return Poll::Ready(Some(Err(e)));
            }
        match &mut this.state {
            State::Running { rx, .. } => match rx.poll_recv(cx) {
                Poll::Ready(None) => {
                    this.state = State::Done;
                    Poll::Ready(None)
                }
                other => other,
            },
            _ => Poll::Ready(None),
        }
    }
}

/// Every page of a list, fetched by a background task that stays at most `prefetch_pages`
/// ahead of the consumer. Dropping the stream stops the task.
pub struct Pages<T> {
    inner: Prefetch<Page<T>>,
}

impl<T: Send + 'static> Pages<T> {
    pub(crate) fn new(first: u32, prefetch: usize, fetch: Fetch<Page<T>>) -> Pages<T> {
        Pages { inner: Prefetch::new(first, prefetch, fetch) }
    }

    /// A stream that fails at once (bad options are reported on first poll).
    pub(crate) fn failed(e: Error) -> Pages<T> {
        let mut once = Some(e);
        Pages::new(1, 1, Box::new(move |_| {
            let e = once.take().unwrap_or_else(|| Error::invalid_input("invalid list options"));
            Box::pin(async move { Err(e) })
        }))
    }

    /// The rows of every page, one by one.
    pub fn rows(self) -> Rows<T> {
        Rows { pages: self, current: Vec::new().into_iter() }
    }
}

impl<T: Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().inner).poll_next(cx)
    }
}

/// Every row of a list, page after page (see [`Pages`]).
pub struct Rows<T> {
    pages: Pages<T>,
    current: std::vec::IntoIter<T>,
}

// Rows are only moved, never pinned in place.
impl<T> Unpin for Rows<T> {}

impl<T: Send + 'static> Stream for Rows<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(row) = this.current.next() {
                return Poll::Ready(Some(Ok(row)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.current = page.rows.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T: Send + 'static> Rows<T> {
    /// Back to whole pages (rows already taken from the current page are not repeated).
    pub fn into_pages(self) -> Pages<T> {
        self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_page(body: &str, page: u32, size: u32) -> Result<RawPage> {
        decode_page::<RowsText>(bytes::Bytes::copy_from_slice(body.as_bytes()), page, size, "GET /x").map(RawPage::from)
    }

    #[test]
    fn both_list_shapes_become_the_normal_form_in_one_pass() {
        let p = text_page(r#"{"extra":{"a":[1]},"rows":[{"a":1}, {"b":"\u00e9"}],"total":5,"page":1,"pageSize":2}"#, 1, 1000).unwrap();
        assert_eq!(p.text, r#"{"rows":[{"a":1},{"b":"\u00e9"}],"total":5,"page":1,"pageSize":2,"totalPages":3}"#);
        assert!(p.has_next && p.rows == 2);
        let p = text_page(r#" [{"a":1}] "#, 4, 1).unwrap();
        assert_eq!(p.text, r#"{"rows":[{"a":1}],"total":null,"page":4,"pageSize":1,"totalPages":null}"#);
        assert!(p.has_next, "a full page of a bare array may be followed by another");
        let p = text_page(r#"{"rows":[],"totalPages":9}"#, 2, 10).unwrap();
        assert!(!p.has_next, "an empty page is the last");
    }

    /// Fuzz target `page`: a long decimal was read 1 ULP off (serde_json's default float
    /// parsing), so it changed when written back and differed from Python's and JS's reading.
    #[test]
    fn long_decimals_are_read_exactly() {
        let body = br#"[999999991844674.07370955161699999, 0.30000000000000001665334536937734810635447502136230468750001]"#;
        let p = parse_page::<serde_json::Value>(body, 1, 10, "GET /x").unwrap();
        assert_eq!(p.rows[0].as_f64(), Some(999999991844674.1));
        assert_eq!(p.rows[1].as_f64(), Some(0.30000000000000004));
        let text = text_page(std::str::from_utf8(body).unwrap(), 1, 10).unwrap().text;
        let again: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(again["rows"], serde_json::Value::Array(p.rows));
    }

    #[test]
    fn malformed_pages_are_invalid_responses() {
        for bad in [r#"{"total":1}"#, r#"{"rows":[],"rows":[]}"#, r#"{"rows":[],"page":1,"total":0,"page":1}"#, r#"{"rows":[],"totalPages":null,"totalPages":2}"#, r#"{"rows":[1,]}"#, r#"{"rows":[]} x"#, "42", r#"{"rows":[],"page":"one"}"#] {
            let e = text_page(bad, 1, 10).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{bad}: {e}");
            // The typed decoder refuses the same answers (fuzz target `page`).
            assert!(parse_page::<serde_json::Value>(bad.as_bytes(), 1, 10, "GET /x").is_err(), "{bad}");
            assert!(e.to_string().starts_with("GET /x: unexpected answer"), "{e}");
        }
        let e = decode_page::<RowsText>(bytes::Bytes::from_static(b"[\"\xff\"]"), 1, 10, "GET /x").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    }
}
