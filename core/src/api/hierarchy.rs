//! §6A (\[V\] only): hierarchy masters — master rows in a tree, each with `sys_rowID`,
//! `sys_parentRowID` and `sys_path`. List, create and update; the API has no delete.

use std::sync::Arc;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{WriteSpec, object_chunks, simple_page, simple_pages, to_objects, update_chunks};
use crate::client::{Client, Safety};
use crate::encode;
use crate::error::{Error, Result};
use crate::models::{Record, UpsertResult};
use crate::paging::{Page, Pages, Rows};

/// `client.hierarchy(name)`: rows of one hierarchy master.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    pub(crate) client: Client,
    pub(crate) name: Arc<str>,
}

impl Hierarchy {
    fn path(&self) -> Result<String> {
        Ok(format!("api/v1/hierarchy-master-record/{}", encode::segment("hierarchy master name", &self.name)?))
    }

    /// One page of rows (`page_size` 1..=1000).
    pub async fn list(&self, page: u32, page_size: u32) -> Result<Page<Record>> {
        simple_page(&self.client, &self.path()?, &[], page, page_size, 1000).await
    }

    /// Every row, `page_size` per request, with a bounded prefetch.
    pub fn iter(&self, page_size: u32) -> Rows<Record> {
        self.pages_as(page_size).rows()
    }

    /// Every page, rows in your own type.
    pub fn pages_as<T: DeserializeOwned + Send + 'static>(&self, page_size: u32) -> Pages<T> {
        match self.path() {
            Ok(path) => simple_pages(&self.client, path, Vec::new(), 1, page_size, 1000),
            Err(e) => Pages::failed(e),
        }
    }

    /// Creates rows (flat fields, optionally `sys_rowID` and `sys_parentRowID`), any number,
    /// 1000 per request. Requests go one after another, in input order, so a row may name a
    /// parent created earlier in the same call. Not retried after a lost answer unless the
    /// client has `retry_writes(true)` (it would create the rows twice).
    pub async fn create<R: Serialize>(&self, rows: &[R]) -> Result<UpsertResult> {
        let objects = to_objects(rows, "rows")?;
        if let Some(i) = objects.iter().position(|o| o.get("_id").is_some()) {
            return Err(Error::invalid_input(format!("rows[{i}] has '_id', which the server assigns")));
        }
        let spec = WriteSpec { method: Method::POST, safety: Safety::Write, path: self.path()?, query: Vec::new(), concurrency: 1 };
        object_chunks(&self.client, spec, &objects).await
    }

    /// Updates rows named by `sys_rowID` (a new `sys_parentRowID` moves a row and its subtree);
    /// `_id` is refused. Any number, 1000 per request, in input order; retried like a read.
    pub async fn update<R: Serialize>(&self, rows: &[R]) -> Result<UpsertResult> {
        update_chunks(&self.client, self.path()?, Vec::new(), rows, "sys_rowID", "rows", 1).await
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
