//! §4: sub-tables of a module record — write rows (§4.1), and in the current edition list
//! (§4.2) and delete them by `recordNumber` (§4.3).

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{JsonRows, delete_chunks, simple_page, simple_pages, upsert_chunks};
use crate::client::Client;
use crate::encode;
use crate::error::Result;
use crate::models::{DeleteResult, UpsertResult};
use crate::paging::{Page, Pages, Rows};

/// A sub-table row: flat fields plus `_id`, `recordNumber`, `createdBy`, ...
pub type SubTableRow = serde_json::Map<String, serde_json::Value>;

/// `client.sub_table(table_id)`.
#[derive(Debug, Clone)]
pub struct SubTable {
    pub(crate) client: Client,
    pub(crate) table_id: Arc<str>,
}

impl SubTable {
    fn path(&self) -> Result<String> {
        Ok(format!("api/v1/sub-table/{}", encode::segment("table id", &self.table_id)?))
    }

    /// The parent record's query: its module, and its id under both names the docs use
    /// (`recordName` and `recordId`, REFERENCE.md §13 C28).
    fn parent(module_name: &str, record_id: &str) -> Result<Vec<(&'static str, String)>> {
        encode::required("module_name", module_name)?;
        encode::required("record_id", record_id)?;
        Ok(vec![("moduleName", module_name.to_string()), ("recordName", record_id.to_string()), ("recordId", record_id.to_string())])
    }

    /// Writes any number of rows under the module record `record_id` (its 24-hex `_id`) of
    /// `module_name`. Chunked like record upserts. A table with unique fields may update rows
    /// rather than append them (the docs disagree, §13 C21).
    pub async fn upsert<R: Serialize>(&self, rows: &[R], module_name: &str, record_id: &str) -> Result<UpsertResult> {
        upsert_chunks(&self.client, self.path()?, Self::parent(module_name, record_id)?, rows, "rows", &Default::default()).await
    }

    /// [`Self::upsert`] of rows the caller serialises itself (see [`JsonRows`]).
    pub async fn upsert_json_rows(&self, rows: &dyn JsonRows, module_name: &str, record_id: &str) -> Result<UpsertResult> {
        super::upsert_json_rows(&self.client, self.path()?, Self::parent(module_name, record_id)?, rows, &Default::default()).await
    }

    /// One page of the record's rows (\[V\] §4.2; `page_size` 1..=1000).
    pub async fn list(&self, module_name: &str, record_id: &str, page: u32, page_size: u32) -> Result<Page<SubTableRow>> {
        self.list_as(module_name, record_id, page, page_size).await
    }

    /// [`SubTable::list`] into your own row type.
    pub async fn list_as<T: DeserializeOwned + Send + 'static>(&self, module_name: &str, record_id: &str, page: u32, page_size: u32) -> Result<Page<T>> {
        simple_page(&self.client, &self.path()?, &Self::parent(module_name, record_id)?, page, page_size, 1000).await
    }

    /// Every row of the record's table, `page_size` per request, with a bounded prefetch.
    pub fn iter(&self, module_name: &str, record_id: &str, page_size: u32) -> Rows<SubTableRow> {
        self.pages_from(module_name, record_id, 1, page_size).rows()
    }

    /// Every page from `page` on, rows in your own type.
    pub fn pages_from<T: DeserializeOwned + Send + 'static>(&self, module_name: &str, record_id: &str, page: u32, page_size: u32) -> Pages<T> {
        match self.path().and_then(|p| Ok((p, Self::parent(module_name, record_id)?))) {
            Ok((path, query)) => simple_pages(&self.client, path, query, page, page_size, 1000),
            Err(e) => Pages::failed(e),
        }
    }

    /// Deletes rows of the record's table by their `recordNumber` (\[V\] §4.3), any number, 1000
    /// per request; idempotent like record deletes (rows already gone are skipped).
    pub async fn delete<S: AsRef<str>>(&self, record_numbers: &[S], module_name: &str, record_id: &str) -> Result<DeleteResult> {
        delete_chunks(&self.client, self.path()?, Self::parent(module_name, record_id)?, record_numbers, "recordNumber", "record_numbers").await
    }

    pub fn table_id(&self) -> &str {
        &self.table_id
    }
}
