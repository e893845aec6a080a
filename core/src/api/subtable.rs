//! §4.1: write rows into a sub-table of a module record.

use std::sync::Arc;

use serde::Serialize;

use super::{JsonRows, upsert_chunks};
use crate::client::Client;
use crate::encode;
use crate::error::Result;
use crate::models::UpsertResult;

/// `client.sub_table(table_id)`.
#[derive(Debug, Clone)]
pub struct SubTable {
    pub(crate) client: Client,
    pub(crate) table_id: Arc<str>,
}

impl SubTable {
    /// Writes any number of rows under the module record `record_id` (its 24-hex `_id`) of
    /// `module_name`. The parent id is sent as both `recordName` and `recordId`, the two names
    /// the docs use (REFERENCE.md §13 C28). Chunked like record upserts.
    pub async fn upsert<R: Serialize>(&self, rows: &[R], module_name: &str, record_id: &str) -> Result<UpsertResult> {
        let (path, query) = self.target(module_name, record_id)?;
        upsert_chunks(&self.client, path, query, rows, "rows", &Default::default()).await
    }

    /// [`Self::upsert`] of rows the caller serialises itself (see [`JsonRows`]).
    pub async fn upsert_json_rows(&self, rows: &dyn JsonRows, module_name: &str, record_id: &str) -> Result<UpsertResult> {
        let (path, query) = self.target(module_name, record_id)?;
        super::upsert_json_rows(&self.client, path, query, rows, &Default::default()).await
    }

    fn target(&self, module_name: &str, record_id: &str) -> Result<(String, Vec<(&'static str, String)>)> {
        let path = format!("api/v1/sub-table/{}", encode::segment("table id", &self.table_id)?);
        encode::required("module_name", module_name)?;
        encode::required("record_id", record_id)?;
        Ok((path, vec![("moduleName", module_name.to_string()), ("recordName", record_id.to_string()), ("recordId", record_id.to_string())]))
    }

    pub fn table_id(&self) -> &str {
        &self.table_id
    }
}
