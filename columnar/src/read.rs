//! Pages of records → Arrow record batches, one page at a time.
//!
//! Each page is read by arrow-json straight from the answer's text. Its root decoder first
//! walks the page's tape: with an inferred schema it widens the shape (and the page is decoded
//! again when the shape changed); with an explicit schema it checks every value fits. Batches
//! come out in "decode form" (`customFields` a struct, time zones left off) and are turned into
//! the output columns by a [`Layout`].

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, StructArray, new_null_array};
use arrow_buffer::NullBuffer;
use arrow_data::ArrayData;
use arrow_json::ReaderBuilder;
use arrow_json::reader::Decoder;
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use exto360::{DecodedPage, Error, Result, RowsDecoder};
use futures_util::{Stream, StreamExt};

use crate::codec::{Factory, Outcome, Walk, decode_type};
use crate::ty::{Ty, first_change, is_attribute};
use crate::widen::widen;

/// Rows per arrow-json batch: the API's largest page.
const BATCH: usize = 1000;

/// The rows of a page as byte ranges of its answer, read in place by arrow-json (the core's
/// one pass over the answer finds them; nothing is copied).
#[derive(Debug, Clone, Default)]
pub struct RowSpans(pub Vec<Range<usize>>);

impl RowsDecoder for RowSpans {
    fn decode<'de, D: serde::Deserializer<'de>>(text: &'de str, d: D) -> std::result::Result<(Self, usize), D::Error> {
        use serde::de::Error as _;
        let rows: Vec<&'de serde_json::value::RawValue> = serde::Deserialize::deserialize(d)?;
        let base = text.as_ptr() as usize;
        let spans = rows
            .iter()
            .map(|r| {
                let s = r.get();
                let start = (s.as_ptr() as usize).checked_sub(base).filter(|st| st + s.len() <= text.len());
                start.map(|st| st..st + s.len()).ok_or_else(|| D::Error::custom("a row is not part of the answer's text"))
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let n = spans.len();
        Ok((RowSpans(spans), n))
    }
}

/// How a stream's schema is decided.
#[derive(Debug, Clone)]
pub enum SchemaMode {
    /// Inferred from every page, widened as pages need (for tables: earlier batches are cast
    /// to the final schema when the table is read).
    Widen,
    /// Inferred from the first page, then fixed: a later page that needs more is an error that
    /// says which field (for streams, whose schema is sent before the first batch).
    FirstPage,
    /// This schema: its columns only, in its order and types; a value that does not fit is an
    /// error, fields it does not name are left out.
    Explicit(SchemaRef),
}

/// Which output column comes from where in a decoded batch.
#[derive(Debug, Clone)]
enum Source {
    Top(String),
    Custom(String),
}

/// The output columns: a schema, and where each column's values are in a decoded batch.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub schema: SchemaRef,
    sources: Vec<Source>,
}

impl Layout {
    /// Record attributes and other top-level keys keep their names; custom fields become
    /// columns of their own name, or `customFields.<name>` where that is an attribute's or
    /// another top-level key's name.
    fn inferred(shape: &Ty) -> Layout {
        let Ty::Object(top) = shape else { return Layout { schema: Arc::new(Schema::empty()), sources: vec![] } };
        let mut fields: Vec<Field> = Vec::new();
        let mut sources = Vec::new();
        for (k, t) in top.iter() {
            match (k.as_str(), t) {
                ("customFields", Ty::Object(custom)) => {
                    for (c, ct) in custom.iter() {
                        let name = if is_attribute(c) || top.contains_key(c) { format!("customFields.{c}") } else { c.clone() };
                        fields.push(ct.field(&name, false));
                        sources.push(Source::Custom(c.clone()));
                    }
                }
                ("customFields", _) => {} // never an object so far: no custom fields
                _ => {
                    fields.push(t.field(k, false));
                    sources.push(Source::Top(k.clone()));
                }
            }
        }
        Layout { schema: Arc::new(Schema::new(fields)), sources }
    }

    /// An explicit schema's columns, and the decode shape that reads them: names that are
    /// record attributes are top-level keys, `customFields.<name>` and any other name are
    /// custom fields.
    fn explicit(schema: &SchemaRef) -> Result<(Layout, Schema)> {
        let mut top: Vec<Field> = Vec::new();
        let mut custom: Vec<Field> = Vec::new();
        let mut sources = Vec::new();
        for f in schema.fields() {
            let dt = decode_type(f.data_type(), f.name()).map_err(Error::invalid_input)?;
            let (name, list, source): (&str, _, _) = match f.name().strip_prefix("customFields.") {
                Some(c) => (c, &mut custom, Source::Custom(c.to_string())),
                None if is_attribute(f.name()) && f.name() != "customFields" => (f.name(), &mut top, Source::Top(f.name().clone())),
                None => (f.name(), &mut custom, Source::Custom(f.name().clone())),
            };
            if list.iter().any(|x| x.name() == name) {
                return Err(Error::invalid_input(format!("the schema names '{}' twice", f.name())));
            }
            list.push(Field::new(name, dt, true));
            sources.push(source);
        }
        if !custom.is_empty() {
            top.push(Field::new("customFields", DataType::Struct(custom.into()), true));
        }
        Ok((Layout { schema: schema.clone(), sources }, Schema::new(top)))
    }

    /// The output batch of a decoded one (no copy of any values).
    pub(crate) fn flatten(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let custom = batch.column_by_name("customFields").and_then(|c| c.as_struct_opt());
        let columns = self
            .sources
            .iter()
            .zip(self.schema.fields())
            .map(|(src, field)| {
                let found: Option<ArrayRef> = match src {
                    Source::Top(k) => batch.column_by_name(k).cloned(),
                    Source::Custom(k) => match custom.and_then(|s| s.column_by_name(k).map(|c| (s, c))) {
                        // A row without customFields has none of them.
                        Some((s, child)) => Some(arrow_array::make_array(child.to_data().into_builder().nulls(NullBuffer::union(s.nulls(), child.nulls())).build()?)),
                        None => None,
                    },
                };
                match found {
                    Some(a) => retype(a, field.data_type()),
                    None => Ok(new_null_array(field.data_type(), n)),
                }
            })
            .collect::<std::result::Result<Vec<_>, ArrowError>>()
            .map_err(|e| internal(&e))?;
        RecordBatch::try_new_with_options(self.schema.clone(), columns, &RecordBatchOptions::new().with_row_count(Some(n)))
            .map_err(|e| Error::invalid_input(format!("the records do not fit the schema: {e}")))
    }
}

fn internal(e: &dyn std::fmt::Display) -> Error {
    Error::invalid_response(format!("exto360: internal error reading records into Arrow: {e}"))
}

/// The same values under another type of the same layout (a time zone named, a list item
/// field renamed).
fn retype(a: ArrayRef, target: &DataType) -> std::result::Result<ArrayRef, ArrowError> {
    fn data(d: ArrayData, target: &DataType) -> std::result::Result<ArrayData, ArrowError> {
        if d.data_type() == target {
            return Ok(d);
        }
        let children = match target {
            DataType::List(f) | DataType::LargeList(f) => vec![data(d.child_data()[0].clone(), f.data_type())?],
            DataType::Struct(fs) => d.child_data().iter().zip(fs.iter()).map(|(c, f)| data(c.clone(), f.data_type())).collect::<std::result::Result<_, _>>()?,
            _ => d.child_data().to_vec(),
        };
        d.into_builder().data_type(target.clone()).child_data(children).build()
    }
    if a.data_type() == target {
        return Ok(a);
    }
    Ok(arrow_array::make_array(data(a.to_data(), target)?))
}

/// A page decoded against a shape.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub shape: Arc<Ty>,
    pub batch: RecordBatch,
}

/// Decodes the pages of one stream, keeping the schema the [`SchemaMode`] asks for.
pub struct PageDecoder {
    mode: SchemaMode,
    walk: Arc<Mutex<Walk>>,
    shape: Arc<Ty>,
    decoder: Decoder,
    /// Fixed output columns (first page or explicit schema).
    layout: Option<Arc<Layout>>,
    /// What arrow-json decodes for an explicit schema.
    explicit: Option<SchemaRef>,
    pages: usize,
}

impl PageDecoder {
    pub fn new(mode: SchemaMode) -> Result<PageDecoder> {
        let (layout, explicit) = match &mode {
            SchemaMode::Explicit(s) => {
                let (layout, decode) = Layout::explicit(s)?;
                (Some(Arc::new(layout)), Some(Arc::new(decode)))
            }
            _ => (None, None),
        };
        let walk = Arc::new(Mutex::new(Walk { explicit: explicit.as_ref().map(|s| s.fields().clone()), shape: Ty::object(), outcome: Outcome::Fits }));
        let decoder = build(explicit.clone().unwrap_or_else(|| Arc::new(Schema::empty())), &walk)?;
        Ok(PageDecoder { mode, walk, shape: Arc::new(Ty::object()), decoder, layout, explicit, pages: 0 })
    }

    /// The output schema as it stands (final once the last page is decoded).
    pub fn schema(&self) -> SchemaRef {
        match &self.layout {
            Some(l) => l.schema.clone(),
            None => Layout::inferred(&self.shape).schema,
        }
    }

    /// Decodes the rows `spans` of `body` (one page, or rows of any JSON text).
    pub(crate) fn decode(&mut self, body: &str, spans: &[Range<usize>]) -> Result<Vec<Decoded>> {
        self.pages += 1;
        let mut out = Vec::with_capacity(spans.len().div_ceil(BATCH));
        for chunk in spans.chunks(BATCH) {
            out.push(self.decode_chunk(body, chunk)?);
        }
        if self.layout.is_none() && matches!(self.mode, SchemaMode::FirstPage) {
            self.layout = Some(Arc::new(Layout::inferred(&self.shape)));
        }
        Ok(out)
    }

    fn decode_chunk(&mut self, body: &str, spans: &[Range<usize>]) -> Result<Decoded> {
        // A page is decoded at most twice: once more after its shape widened.
        for _ in 0..2 {
            for s in spans {
                let bytes = body.as_bytes().get(s.clone()).ok_or_else(|| internal(&"row outside the page"))?;
                let used = self.decoder.decode(bytes).map_err(|e| Error::invalid_response(format!("a page of records is not valid JSON: {e}")))?;
                if used != bytes.len() {
                    return Err(internal(&"arrow-json stopped inside a page"));
                }
            }
            let flushed = self.decoder.flush();
            let outcome = std::mem::take(&mut self.walk.lock().unwrap_or_else(|e| e.into_inner()).outcome);
            match (flushed, outcome) {
                (Ok(batch), Outcome::Fits) => {
                    let shape = self.walk.lock().unwrap_or_else(|e| e.into_inner()).shape.clone();
                    if !matches!(self.mode, SchemaMode::Explicit(_)) {
                        self.shape = Arc::new(shape);
                    }
                    let batch = batch.unwrap_or_else(|| RecordBatch::new_empty(self.decoder_schema()));
                    return Ok(Decoded { shape: self.shape.clone(), batch });
                }
                (Err(_), Outcome::Widened(wider)) => {
                    if matches!(self.mode, SchemaMode::FirstPage) && self.pages > 1 {
                        let (path, before, now) = first_change("", &self.shape, &wider).unwrap_or_default();
                        let path = column_path(&wider, &path);
                        return Err(Error::invalid_input(format!(
                            "page {} does not fit the schema of the first page: field '{path}' held {before} and now holds {now}; \
                             pass an explicit schema, or read a table (which widens types across pages)",
                            self.pages
                        )));
                    }
                    self.rebuild(wider)?;
                }
                (Err(_), Outcome::Failed(msg)) => {
                    self.rebuild((*self.shape).clone())?;
                    return Err(match self.mode {
                        SchemaMode::Explicit(_) => Error::invalid_input(format!("page {}: the records do not fit the schema: {msg}", self.pages)),
                        _ => Error::invalid_response(format!("page {}: {msg}", self.pages)),
                    });
                }
                (Err(e), _) => {
                    self.rebuild((*self.shape).clone())?;
                    return Err(match self.mode {
                        SchemaMode::Explicit(_) => Error::invalid_input(format!("page {}: the records do not fit the schema: {e}", self.pages)),
                        _ => internal(&e),
                    });
                }
                (Ok(_), _) => return Err(internal(&"a page was decoded without being checked")),
            }
        }
        Err(internal(&"a page's shape kept changing"))
    }

    fn decoder_schema(&self) -> SchemaRef {
        self.explicit.clone().unwrap_or_else(|| Arc::new(shape_schema(&self.shape)))
    }

    /// A fresh arrow-json decoder for `shape` (also after an error, which leaves one dirty).
    fn rebuild(&mut self, shape: Ty) -> Result<()> {
        let schema = self.explicit.clone().unwrap_or_else(|| Arc::new(shape_schema(&shape)));
        self.walk.lock().unwrap_or_else(|e| e.into_inner()).shape = shape.clone();
        if !matches!(self.mode, SchemaMode::Explicit(_)) {
            self.shape = Arc::new(shape);
        }
        self.decoder = build(schema, &self.walk)?;
        Ok(())
    }

    /// The output batch of a decoded one, for a fixed layout (first page or explicit schema).
    pub(crate) fn output(&self, d: &Decoded) -> Result<RecordBatch> {
        match &self.layout {
            Some(l) => l.flatten(&d.batch),
            None => Layout::inferred(&d.shape).flatten(&d.batch),
        }
    }
}

/// A field path (`customFields.a.b`) as the output names it (`a.b`, unless `a` is prefixed).
fn column_path(shape: &Ty, path: &str) -> String {
    let Some(rest) = path.strip_prefix("customFields.") else { return path.to_string() };
    let first = rest.split(['.', '[']).next().unwrap_or(rest);
    match shape {
        Ty::Object(top) if !is_attribute(first) && !top.contains_key(first) => rest.to_string(),
        _ => path.to_string(),
    }
}

fn shape_schema(shape: &Ty) -> Schema {
    match shape {
        Ty::Object(fs) => Schema::new(fs.iter().map(|(k, t)| t.field(k, true)).collect::<Vec<_>>()),
        _ => Schema::empty(),
    }
}

fn build(schema: SchemaRef, walk: &Arc<Mutex<Walk>>) -> Result<Decoder> {
    ReaderBuilder::new(schema)
        .with_batch_size(BATCH)
        .with_coerce_primitive(true)
        .with_decoder_factory(Arc::new(Factory::new(walk.clone())))
        .build_decoder()
        .map_err(|e| internal(&e))
}

// ------------------------------------------------------------------------------- tables

/// Every record of a list as batches of one schema, widened across all pages. The pages'
/// text is gone; the batches are Arrow's compact columns, each cast to the final schema as it
/// is read ([`Table::next_batch`]).
#[derive(Debug)]
pub struct Table {
    parts: VecDeque<Decoded>,
    /// The final shape every batch is widened to (none with an explicit schema).
    shape: Option<Arc<Ty>>,
    layout: Layout,
    rows: usize,
}

impl Table {
    pub(crate) fn new(decoder: &PageDecoder, parts: Vec<Decoded>) -> Table {
        let (shape, layout) = match (&decoder.mode, &decoder.layout) {
            (SchemaMode::Explicit(_), Some(l)) => (None, l.as_ref().clone()),
            _ => (Some(decoder.shape.clone()), Layout::inferred(&decoder.shape)),
        };
        let rows = parts.iter().map(|d| d.batch.num_rows()).sum();
        Table { parts: parts.into_iter().filter(|d| d.batch.num_rows() > 0).collect(), shape, layout, rows }
    }

    pub fn schema(&self) -> SchemaRef {
        self.layout.schema.clone()
    }

    /// Rows not read yet.
    pub fn num_rows(&self) -> usize {
        self.rows
    }

    /// The next batch in the final schema (`None` after the last).
    pub fn next_batch(&mut self) -> Option<Result<RecordBatch>> {
        let d = self.parts.pop_front()?;
        self.rows -= d.batch.num_rows();
        Some(self.finish(d))
    }

    fn finish(&self, d: Decoded) -> Result<RecordBatch> {
        let batch = match &self.shape {
            Some(to) if !d.shape.same_type(to) => {
                let root: ArrayRef = Arc::new(StructArray::from(d.batch));
                RecordBatch::from(widen(&root, &d.shape, to).map_err(|e| internal(&e))?.as_struct().clone())
            }
            _ => d.batch,
        };
        self.layout.flatten(&batch)
    }

    /// Every batch at once.
    pub fn into_batches(mut self) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::with_capacity(self.parts.len());
        while let Some(b) = self.next_batch() {
            out.push(b?);
        }
        Ok(out)
    }
}

/// Reads every page of `pages` into a [`Table`].
pub async fn table<S>(mut pages: S, mode: SchemaMode) -> Result<Table>
where
    S: Stream<Item = Result<DecodedPage<RowSpans>>> + Unpin,
{
    let mut decoder = PageDecoder::new(mode)?;
    let mut parts = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        parts.extend(decoder.decode(&page.body, &page.rows.0)?);
    }
    Ok(Table::new(&decoder, parts))
}

/// A [`Table`] of the JSON array `text` (rows as a list answer holds them).
pub fn table_from_json(text: &str, mode: SchemaMode) -> Result<Table> {
    let mut de = serde_json::Deserializer::from_str(text);
    let (spans, _) = RowSpans::decode(text, &mut de).map_err(|e| Error::invalid_input(format!("rows must be a JSON array of objects: {e}")))?;
    de.end().map_err(|e| Error::invalid_input(format!("rows must be a JSON array of objects: {e}")))?;
    let mut decoder = PageDecoder::new(mode)?;
    let parts = decoder.decode(text, &spans.0)?;
    Ok(Table::new(&decoder, parts))
}

// ------------------------------------------------------------------------------ streams

/// Every record of a list as a stream of batches of one schema, fixed before the first batch:
/// the first page is read when the stream opens. Memory holds one page at a time.
pub struct Batches<S> {
    pages: S,
    decoder: PageDecoder,
    ready: VecDeque<Decoded>,
    done: bool,
}

impl<S> Batches<S>
where
    S: Stream<Item = Result<DecodedPage<RowSpans>>> + Unpin,
{
    /// Opens the stream (reads the first page). `mode` is [`SchemaMode::FirstPage`] or
    /// [`SchemaMode::Explicit`]; `Widen` is taken as `FirstPage` (a stream cannot change its
    /// schema).
    pub async fn open(pages: S, mode: SchemaMode) -> Result<Batches<S>> {
        let mode = match mode {
            SchemaMode::Widen => SchemaMode::FirstPage,
            m => m,
        };
        let mut b = Batches { pages, decoder: PageDecoder::new(mode)?, ready: VecDeque::new(), done: false };
        b.fill().await?;
        Ok(b)
    }

    pub fn schema(&self) -> SchemaRef {
        self.decoder.schema()
    }

    async fn fill(&mut self) -> Result<()> {
        while self.ready.is_empty() && !self.done {
            match self.pages.next().await {
                Some(page) => {
                    let page = page?;
                    self.ready.extend(self.decoder.decode(&page.body, &page.rows.0)?.into_iter().filter(|d| d.batch.num_rows() > 0));
                }
                None => self.done = true,
            }
        }
        Ok(())
    }

    /// The next batch (`None` after the last). After an error the stream ends.
    pub async fn next_batch(&mut self) -> Option<Result<RecordBatch>> {
        if let Err(e) = self.fill().await {
            self.done = true;
            self.ready.clear();
            return Some(Err(e));
        }
        let d = self.ready.pop_front()?;
        Some(self.decoder.output(&d))
    }
}

