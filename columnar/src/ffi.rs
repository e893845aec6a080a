//! The Arrow C data and stream interfaces: export tables and streams of records as an
//! `ArrowArrayStream` (what pyarrow, polars, DuckDB and nanoarrow read), and import batches and
//! schemas from one. Nothing here can panic across the boundary.

use std::panic::{AssertUnwindSafe, catch_unwind};

use arrow_array::ffi_stream::{RecordBatchStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, Schema, SchemaRef};
use exto360::{DecodedPage, Error, Result};
use futures_util::Stream;

use crate::read::{Batches, RowSpans, Table};

/// A reader whose panics end the stream with an error instead of unwinding into C.
struct Guarded<I> {
    inner: Option<I>,
    schema: SchemaRef,
}

impl<I: Iterator<Item = std::result::Result<RecordBatch, ArrowError>>> Iterator for Guarded<I> {
    type Item = std::result::Result<RecordBatch, ArrowError>;
    fn next(&mut self) -> Option<Self::Item> {
        let inner = self.inner.as_mut()?;
        match catch_unwind(AssertUnwindSafe(|| inner.next())) {
            Ok(Some(Err(e))) => {
                self.inner = None; // a failed stream ends
                Some(Err(e))
            }
            Ok(item) => item,
            Err(_) => {
                self.inner = None;
                Some(Err(ArrowError::ExternalError("exto360: internal error while reading records".into())))
            }
        }
    }
}

impl<I: Iterator<Item = std::result::Result<RecordBatch, ArrowError>>> RecordBatchReader for Guarded<I> {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

fn arrow_error(e: Error) -> ArrowError {
    ArrowError::ExternalError(Box::new(e))
}

/// A table's batches as a C stream (each batch cast to the table's schema as it is taken).
pub fn export_table(mut table: Table) -> FFI_ArrowArrayStream {
    let schema = table.schema();
    let batches = std::iter::from_fn(move || table.next_batch().map(|r| r.map_err(arrow_error)));
    FFI_ArrowArrayStream::new(Box::new(Guarded { inner: Some(batches), schema }))
}

/// A stream of records as a C stream: each `get_next` waits (on `runtime`) for the next page.
/// Must not be read from inside that runtime.
pub fn export_batches<S>(mut batches: Batches<S>, runtime: tokio::runtime::Handle) -> FFI_ArrowArrayStream
where
    S: Stream<Item = Result<DecodedPage<RowSpans>>> + Unpin + Send + 'static,
{
    let schema = batches.schema();
    let iter = std::iter::from_fn(move || {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Some(Err(ArrowError::ExternalError("exto360: a record stream cannot be read from inside its async runtime".into())));
        }
        runtime.block_on(batches.next_batch()).map(|r| r.map_err(arrow_error))
    });
    FFI_ArrowArrayStream::new(Box::new(Guarded { inner: Some(iter), schema }))
}

/// Reads every batch of a C stream (e.g. a DataFrame's `__arrow_c_stream__`), taking
/// ownership of it (it is released when done).
///
/// # Safety
/// `stream` must point to a valid `ArrowArrayStream` that is not used elsewhere afterwards.
pub unsafe fn import_stream(stream: *mut FFI_ArrowArrayStream) -> Result<(SchemaRef, Vec<RecordBatch>)> {
    if stream.is_null() {
        return Err(Error::invalid_input("the Arrow stream is NULL"));
    }
    // SAFETY: per this function's contract.
    let reader = unsafe { RecordBatchStreamReader::from_raw(stream) }.map_err(|e| Error::invalid_input(format!("cannot read the Arrow stream: {e}")))?;
    let schema = reader.schema();
    let batches = reader.collect::<std::result::Result<Vec<_>, _>>().map_err(|e| Error::invalid_input(format!("cannot read the Arrow stream: {e}")))?;
    Ok((schema, batches))
}

/// A schema from the C data interface (borrowed: the caller keeps and releases it).
pub fn import_schema(schema: &FFI_ArrowSchema) -> Result<SchemaRef> {
    Schema::try_from(schema).map(std::sync::Arc::new).map_err(|e| Error::invalid_input(format!("cannot read the Arrow schema: {e}")))
}
