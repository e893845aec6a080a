//! Records as Arrow, and Arrow data (DataFrames) as records to write, through the Arrow
//! PyCapsule interface: pyarrow, pandas and polars read and hand over columns without a Python
//! object per value. The columnar work is `exto360_columnar`'s; this file moves capsules.

use std::ffi::CStr;
use std::sync::Arc;

use exto360::json;
use exto360_columnar::arrow_array::ffi::{FFI_ArrowArray, to_ffi};
use exto360_columnar::arrow_array::ffi_stream::FFI_ArrowArrayStream;
use exto360_columnar::arrow_array::{Array, RecordBatch, StructArray};
use exto360_columnar::arrow_schema::ffi::FFI_ArrowSchema;
use exto360_columnar::arrow_schema::SchemaRef;
use exto360_columnar::ffi::{export_batches, export_table, import_schema, import_stream};
use exto360_columnar::{ArrowRows, Batches, RowSpans, SchemaMode, Table};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};

use crate::client::{NativeClient, args_value};
use crate::convert::loads;
use crate::errors::to_py;
use crate::runtime;

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

type Pages = exto360::json::DecodedPages<RowSpans>;

enum Source {
    /// Every page read; batches cast to the final schema as they are taken.
    Table(Table),
    /// Pages read as batches are taken (schema from the first page or given).
    Stream(Box<Batches<Pages>>),
}

impl Source {
    async fn next_batch(&mut self) -> Option<exto360::Result<RecordBatch>> {
        match self {
            Source::Table(t) => t.next_batch(),
            Source::Stream(s) => s.next_batch().await,
        }
    }
}

/// Records as Arrow: a table, or a stream of pages. Readable once, through
/// `__arrow_c_stream__` (pyarrow, polars, DuckDB...) or `next_batch()`.
#[pyclass(frozen, module = "exto360._native")]
pub struct NativeArrowStream {
    pid: u32,
    schema: SchemaRef,
    source: Arc<tokio::sync::Mutex<Option<Source>>>,
}

impl NativeArrowStream {
    fn new(source: Source) -> NativeArrowStream {
        let schema = match &source {
            Source::Table(t) => t.schema(),
            Source::Stream(s) => s.schema(),
        };
        NativeArrowStream { pid: std::process::id(), schema, source: Arc::new(tokio::sync::Mutex::new(Some(source))) }
    }

    fn take(&self) -> PyResult<Source> {
        if self.pid != std::process::id() {
            return Err(PyRuntimeError::new_err("these records were read before os.fork(); read them again in the child process"));
        }
        self.source.try_lock().ok().and_then(|mut g| g.take()).ok_or_else(|| PyRuntimeError::new_err("these records have been read already (an Arrow stream is read once)"))
    }
}

#[pymethods]
impl NativeArrowStream {
    /// The schema as an `arrow_schema` capsule (`pyarrow.schema(obj)` reads it).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        schema_capsule(py, &self.schema)
    }

    /// Hands every (remaining) batch over as an `ArrowArrayStream`. `requested_schema` is
    /// ignored (the protocol allows it): the schema is decided by the records or by the caller.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(&self, py: Python<'py>, requested_schema: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = match self.take()? {
            Source::Table(t) => export_table(t),
            Source::Stream(s) => export_batches(*s, runtime::get()?.handle().clone()),
        };
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    /// The next batch (an object with `__arrow_c_array__`), or `None` after the last. Waits for
    /// the next page with the GIL released; raises the client's typed errors.
    fn next_batch(&self, py: Python<'_>) -> PyResult<Option<NativeBatch>> {
        if self.pid != std::process::id() {
            return Err(PyRuntimeError::new_err("these records were read before os.fork(); read them again in the child process"));
        }
        let source = self.source.clone();
        let item = runtime::block_on(py, async move {
            let mut g = source.lock().await;
            let out = g.as_mut()?.next_batch().await;
            if !matches!(out, Some(Ok(_))) {
                *g = None;
            }
            out
        })?;
        match item {
            None => Ok(None),
            Some(Ok(batch)) => Ok(Some(NativeBatch { batch })),
            Some(Err(e)) => Err(to_py(py, &e)),
        }
    }

    /// Rows not read yet of a table (`None` for a stream).
    #[getter]
    fn num_rows(&self) -> Option<usize> {
        match self.source.try_lock().ok()?.as_ref()? {
            Source::Table(t) => Some(t.num_rows()),
            Source::Stream(_) => None,
        }
    }
}

/// One record batch, handed over through `__arrow_c_array__` (`pyarrow.record_batch(obj)`).
#[pyclass(frozen, module = "exto360._native")]
pub struct NativeBatch {
    batch: RecordBatch,
}

#[pymethods]
impl NativeBatch {
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(&self, py: Python<'py>, requested_schema: Option<Bound<'py, PyAny>>) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema;
        let data = StructArray::from(self.batch.clone()).into_data();
        let (array, schema): (FFI_ArrowArray, FFI_ArrowSchema) = to_ffi(&data).map_err(|e| PyRuntimeError::new_err(format!("exto360: internal error exporting a batch: {e}")))?;
        Ok((PyCapsule::new_with_value(py, schema, SCHEMA)?, PyCapsule::new_with_value(py, array, ARRAY)?))
    }

    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }
}

fn schema_capsule<'py>(py: Python<'py>, schema: &SchemaRef) -> PyResult<Bound<'py, PyCapsule>> {
    let ffi = FFI_ArrowSchema::try_from(schema.as_ref()).map_err(|e| PyRuntimeError::new_err(format!("exto360: internal error exporting a schema: {e}")))?;
    PyCapsule::new_with_value(py, ffi, SCHEMA)
}

/// The schema mode of an optional `schema` argument: anything with `__arrow_c_schema__`
/// (a `pyarrow.Schema`) is explicit.
fn schema_mode(schema: Option<&Bound<'_, PyAny>>, otherwise: SchemaMode) -> PyResult<SchemaMode> {
    let Some(obj) = schema.filter(|s| !s.is_none()) else { return Ok(otherwise) };
    if !obj.hasattr("__arrow_c_schema__")? {
        return Err(PyTypeError::new_err(format!("schema must be a pyarrow.Schema (or have __arrow_c_schema__), got {}", obj.get_type().name()?)));
    }
    let capsule = obj.call_method0("__arrow_c_schema__")?.cast_into::<PyCapsule>()?;
    let ptr = capsule.pointer_checked(Some(SCHEMA))?.cast::<FFI_ArrowSchema>();
    // SAFETY: an `arrow_schema` capsule holds an ArrowSchema that lives as long as the capsule,
    // which is alive here; it is only read (copied).
    let ffi = unsafe { ptr.as_ref() };
    import_schema(ffi).map(SchemaMode::Explicit).map_err(|e| to_py(obj.py(), &e))
}

/// Reads every page of `op` (`masters.iter`, `modules.iter`) into a table, types widened
/// across pages (or `schema`'s).
#[pyfunction]
#[pyo3(signature = (client, op, args=None, schema=None))]
pub fn arrow_table(py: Python<'_>, client: &NativeClient, op: String, args: Option<&Bound<'_, PyDict>>, schema: Option<&Bound<'_, PyAny>>) -> PyResult<NativeArrowStream> {
    let mode = schema_mode(schema, SchemaMode::Widen)?;
    let pages = exto360_columnar::pages(&client.client()?, &op, &args_value(args)?).map_err(|e| to_py(py, &e))?;
    let table = runtime::block_on(py, exto360_columnar::table(pages, mode))?.map_err(|e| to_py(py, &e))?;
    Ok(NativeArrowStream::new(Source::Table(table)))
}

/// `arrow_table` as an asyncio future.
#[pyfunction]
#[pyo3(signature = (client, op, args=None, schema=None))]
pub fn arrow_table_async<'py>(py: Python<'py>, client: &NativeClient, op: String, args: Option<&Bound<'_, PyDict>>, schema: Option<&Bound<'_, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let mode = schema_mode(schema, SchemaMode::Widen)?;
    let pages = exto360_columnar::pages(&client.client()?, &op, &args_value(args)?).map_err(|e| to_py(py, &e))?;
    runtime::future_into_py(py, exto360_columnar::table(pages, mode), |py, r| match r {
        Ok(t) => Ok(Py::new(py, NativeArrowStream::new(Source::Table(t)))?.into_any()),
        Err(e) => Err(to_py(py, &e)),
    })
}

/// Opens a stream of `op`'s records (reads the first page): schema from the first page, or
/// `schema`.
#[pyfunction]
#[pyo3(signature = (client, op, args=None, schema=None))]
pub fn arrow_stream(py: Python<'_>, client: &NativeClient, op: String, args: Option<&Bound<'_, PyDict>>, schema: Option<&Bound<'_, PyAny>>) -> PyResult<NativeArrowStream> {
    let mode = schema_mode(schema, SchemaMode::FirstPage)?;
    let pages = exto360_columnar::pages(&client.client()?, &op, &args_value(args)?).map_err(|e| to_py(py, &e))?;
    let stream = runtime::block_on(py, Batches::open(pages, mode))?.map_err(|e| to_py(py, &e))?;
    Ok(NativeArrowStream::new(Source::Stream(Box::new(stream))))
}

/// A table of rows given as the JSON text of an array (a page already in Python).
#[pyfunction]
#[pyo3(signature = (rows_json, schema=None))]
pub fn rows_to_arrow(py: Python<'_>, rows_json: String, schema: Option<&Bound<'_, PyAny>>) -> PyResult<NativeArrowStream> {
    let mode = schema_mode(schema, SchemaMode::Widen)?;
    let table = py.detach(|| exto360_columnar::table_from_json(&rows_json, mode)).map_err(|e| to_py(py, &e))?;
    Ok(NativeArrowStream::new(Source::Table(table)))
}

/// The rows of `data` (anything with `__arrow_c_stream__`), read in Rust.
fn arrow_rows(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Arc<ArrowRows>> {
    let capsule = data.call_method1("__arrow_c_stream__", (py.None(),))?.cast_into::<PyCapsule>()?;
    let ptr = capsule.pointer_checked(Some(STREAM))?.cast::<FFI_ArrowArrayStream>().as_ptr();
    // The producer may need the GIL to make batches (a Python iterator); it takes it itself.
    let addr = ptr as usize;
    let rows = py.detach(move || {
        // SAFETY: the capsule (alive for this call) holds an ArrowArrayStream; it is moved out
        // and marked released, as the PyCapsule protocol asks of a consumer.
        let (schema, batches) = unsafe { import_stream(addr as *mut FFI_ArrowArrayStream) }?;
        ArrowRows::new(schema, batches)
    });
    drop(capsule);
    rows.map(Arc::new).map_err(|e| to_py(py, &e))
}

/// Upserts the rows of `data` (`masters.upsert`, `modules.upsert`, `subTable.upsert`, args
/// without the rows): chunked, sent and reported by row index by the core.
#[pyfunction]
#[pyo3(signature = (client, op, args, data))]
pub fn upsert_arrow(py: Python<'_>, client: &NativeClient, op: String, args: &Bound<'_, PyDict>, data: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let args = args_value(Some(args))?;
    let c = client.client()?;
    let rows = arrow_rows(py, data)?;
    let text = runtime::block_on(py, async move { json::upsert_json_rows(&c, &op, &args, rows.as_ref()).await })?.map_err(|e| to_py(py, &e))?;
    Ok(loads(py, &text)?.unbind())
}

/// `upsert_arrow` as an asyncio future (the DataFrame is read before it returns).
#[pyfunction]
#[pyo3(signature = (client, op, args, data))]
pub fn upsert_arrow_async<'py>(py: Python<'py>, client: &NativeClient, op: String, args: &Bound<'_, PyDict>, data: &Bound<'_, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let args = args_value(Some(args))?;
    let c = client.client()?;
    let rows = arrow_rows(py, data)?;
    runtime::future_into_py(py, async move { json::upsert_json_rows(&c, &op, &args, rows.as_ref()).await }, |py, r| match r {
        Ok(text) => Ok(loads(py, &text)?.unbind()),
        Err(e) => Err(to_py(py, &e)),
    })
}

/// Registers the Arrow functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeArrowStream>()?;
    m.add_class::<NativeBatch>()?;
    m.add_function(wrap_pyfunction!(arrow_table, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_table_async, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_stream, m)?)?;
    m.add_function(wrap_pyfunction!(rows_to_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(upsert_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(upsert_arrow_async, m)?)?;
    Ok(())
}
