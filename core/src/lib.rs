//! # exto360
//!
//! A client for the [Exto360](https://exto360.com) Data API: master and custom-module
//! records (list, upsert, update, delete, expand with sub-tables), sub-tables, hierarchy
//! masters, workflow actions (v1 and v2), users and their access, documents (streamed file
//! upload and download), workspaces and job status. It keeps to the API's
//! limits for you: a client-side rate limit (3 requests/second per token by default),
//! retries with backoff that honour `Retry-After`, page-by-page iteration with bounded memory,
//! and bulk writes of any size split into requests the API accepts — with an exact report of
//! what was written when something fails.
//!
//! ```no_run
//! use exto360::{Client, Filter, ListOptions};
//! use futures_util::TryStreamExt;
//!
//! # async fn demo() -> exto360::Result<()> {
//! let client = Client::from_env()?; // EXTO360_TOKEN, EXTO360_PROJECT_ID, ...
//! let opts = ListOptions::new().filter(Filter::field("serial_number").number().gt(1000));
//! let mut rows = client.masters("LOCATION").iter(opts);
//! while let Some(record) = rows.try_next().await? {
//!     println!("{:?} {:?}", record.id(), record.field("name"));
//! }
//! let written = client.masters("LOCATION").upsert(&[serde_json::json!({"code": "BLR", "name": "Bengaluru"})]).await?;
//! println!("{} inserted, {} updated", written.inserted_count, written.updated_count);
//! # Ok(()) }
//! ```
//!
//! Errors are one type, [`Error`], with a [`ErrorKind`]; the token never appears in errors,
//! `Debug` output or logs. Requests emit `tracing` events (target `exto360`) with method,
//! path, status, attempt and elapsed time.

mod api;
pub mod blocking;
mod bulk;
mod client;
pub mod config;
pub mod documents;
mod encode;
mod error;
pub mod filter;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
mod models;
mod paging;
mod ratelimit;

/// The version of this crate — and of every exto360 package (Python, Node, C, C#), which are
/// released together under the one version of the workspace's Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// [`VERSION`], e.g. `"0.1.0"`.
pub fn version() -> &'static str {
    VERSION
}


pub use api::expand::{Expand, ExpandOptions, ExpandedRecord, JoinedRows, MAX_EXPAND_PAGE_SIZE, RowSink, SubTableRows};
pub use api::health::Health;
pub use api::hierarchy::Hierarchy;
pub use api::jobs::{DEFAULT_JOB_PAGE_SIZE, JOB_STATUSES, JOB_TYPES, JobRun, JobUpdate, Jobs, LogLine, MAX_JOB_PAGE_SIZE};
pub use api::workspaces::{DEFAULT_WORKSPACE_PAGE_SIZE, MAX_WORKSPACE_PAGE_SIZE, Workspace, WorkspaceListOptions, Workspaces};
pub use documents::{Documents, Download, DownloadedFile, FileReport, FileState, UploadFile, UploadOptions, UploadReport, UploadedDocument};
pub use api::records::{Masters, Modules, RawRow};
pub use api::subtable::{SubTable, SubTableRow};
pub use api::users::Users;
pub use api::workflow::{ActOptions, Workflow};
pub use api::workflow_v2::{MAX_WORKFLOW_PAGE_SIZE, Step, TransitionOptions, WorkflowListOptions};
pub use api::{JsonRows, MAX_PROJECTS_OR_GROUPS, MAX_RECORDS_PER_REQUEST, MAX_WORKFLOW_IDS_PER_REQUEST};
pub use bulk::{BulkOptions, BulkWatch};
pub use client::Client;
pub use config::{ClientBuilder, Region, Secret};
pub use ratelimit::StoreFallback;
pub use error::{BulkReport, Error, ErrorKind, Result, WriteState};
pub use filter::{FieldType, Filter, FilterValue, Op};
pub use models::*;
pub use paging::{DecodedPage, FilterArg, ListOptions, Page, Pages, RawPage, Rows, RowsDecoder, RowsText};

impl Client {
    /// Records of the master `name` (e.g. `LOCATION`; the server upper-cases it).
    pub fn masters(&self, name: &str) -> Masters {
        Masters::new(self.clone(), name)
    }
    /// Records of the custom module `name` (e.g. `CUSTOMMODULE`).
    pub fn modules(&self, name: &str) -> Modules {
        Modules::new(self.clone(), name)
    }
    /// Rows of the sub-table `table_id` (e.g. `Signatures`).
    pub fn sub_table(&self, table_id: &str) -> SubTable {
        SubTable { client: self.clone(), table_id: table_id.into() }
    }
    /// Workflow actions on records of the module `module`.
    pub fn workflow(&self, module: &str) -> Workflow {
        Workflow { client: self.clone(), module: module.into() }
    }
    /// Users and their access.
    pub fn users(&self) -> Users {
        Users { client: self.clone() }
    }
    /// Liveness and readiness probes.
    pub fn health(&self) -> Health {
        Health { client: self.clone() }
    }
    /// Rows of the hierarchy master `name` (e.g. `ORG_UNIT`; \[V\] §6A).
    pub fn hierarchy(&self, name: &str) -> Hierarchy {
        Hierarchy { client: self.clone(), name: name.into() }
    }
    /// Documents of the client's project: upload, download (§6A; needs tenant and project ids).
    pub fn documents(&self) -> Documents {
        Documents { client: self.clone() }
    }
    /// Workspaces of the tenant (§6A).
    pub fn workspaces(&self) -> Workspaces {
        Workspaces { client: self.clone() }
    }
    /// Job status: long jobs reported into the platform (§6A).
    pub fn jobs(&self) -> Jobs {
        Jobs { client: self.clone() }
    }
    /// The server build's metadata (`GET /build/info`, \[V\] §1.3; needs the token).
    pub async fn build_info(&self) -> Result<BuildInfo> {
        self.execute_json(&client::Call::get("api/v1/build/info".into())).await
    }
}
