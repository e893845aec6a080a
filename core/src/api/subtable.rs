//! §4.1: write rows into a sub-table of a module record.

use std::sync::Arc;

use reqwest::Method;
use serde::Serialize;

use super::{MAX_RECORDS_PER_REQUEST, body, to_objects};
use crate::client::{Call, Client, Safety};
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
        let path = format!("api/v1/sub-table/{}", encode::segment("table id", &self.table_id)?);
        encode::required("module_name", module_name)?;
        encode::required("record_id", record_id)?;
        let objects = to_objects(rows, "rows")?;
        if objects.is_empty() {
            return Ok(UpsertResult::default());
        }
        let parts = crate::bulk::run(objects.len(), MAX_RECORDS_PER_REQUEST, self.client.inner.bulk_concurrency, |range, abort| {
            let chunk = body(&objects[range]);
            let path = path.clone();
            async move {
                let mut call = Call::new(Method::POST, path, Safety::Write)
                    .json_body(chunk?)
                    .query("moduleName", module_name)
                    .query("recordName", record_id)
                    .query("recordId", record_id);
                call.abort = Some(abort);
                self.client.execute_json::<UpsertResult>(&call).await
            }
        })
        .await?;
        Ok(parts.into_iter().fold(UpsertResult::default(), UpsertResult::merge))
    }

    pub fn table_id(&self) -> &str {
        &self.table_id
    }
}
