//! Arrow IPC stream bytes (what `tableFromIPC` of the `apache-arrow` package reads).

use arrow_ipc::writer::StreamWriter;
use exto360::{Error, Result};

use crate::read::Table;

/// A table as one Arrow IPC stream; each batch is dropped once written.
pub fn ipc_stream(mut table: Table) -> Result<Vec<u8>> {
    let fail = |e: arrow_schema::ArrowError| Error::invalid_response(format!("exto360: internal error writing Arrow IPC: {e}"));
    let mut w = StreamWriter::try_new(Vec::new(), &table.schema()).map_err(fail)?;
    while let Some(batch) = table.next_batch() {
        w.write(&batch?).map_err(fail)?;
    }
    w.finish().map_err(fail)?;
    w.into_inner().map_err(fail)
}
