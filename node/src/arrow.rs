//! `toArrow()`: every record of a list as Arrow IPC stream bytes, which `tableFromIPC` of the
//! `apache-arrow` package reads. The columns are built by `exto360_columnar` as pages arrive.

use exto360_columnar::{SchemaMode, ipc_stream, table};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::{NativeClient, parse, to_napi};

#[napi]
impl NativeClient {
    /// Every record of `op` (`masters.iter`, `modules.iter`; args as for them) as one Arrow
    /// IPC stream, types widened across pages.
    #[napi]
    pub async fn arrow_ipc(&self, op: String, args_json: String) -> Result<Buffer> {
        let args = parse("args", &args_json)?;
        let pages = exto360_columnar::pages(&self.client, &op, &args).map_err(|e| to_napi(&e))?;
        let t = table(pages, SchemaMode::Widen).await.map_err(|e| to_napi(&e))?;
        Ok(ipc_stream(t).map_err(|e| to_napi(&e))?.into())
    }
}
