//! A blocking client with the same surface as [`crate::Client`], for code without an async
//! runtime (scripts, plain threads, the C library). It owns a small tokio runtime; every call
//! blocks the calling thread until done. Usable from many threads at once.
//!
//! ```no_run
//! let client = exto360::blocking::Client::from_env()?;
//! for record in client.masters("LOCATION").iter(Default::default()) {
//!     println!("{:?}", record?.id());
//! }
//! # Ok::<(), exto360::Error>(())
//! ```

use std::future::Future;
use std::sync::Arc;

use futures_util::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::expand::ExpandOptions;
use crate::api::subtable::SubTableRow;
use crate::api::workflow::ActOptions;
use crate::api::workflow_v2::{Step, TransitionOptions, WorkflowListOptions};
use crate::config::ClientBuilder;
use crate::error::{Error, Result};
use crate::models::*;
use crate::paging::{ListOptions, Page, Pages, Rows};

/// Drops its runtime in the background, so dropping the last client never panics even
/// inside another runtime.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The blocking client. Clones share the runtime, connections and rate limiter.
#[derive(Clone)]
pub struct Client {
    rt: Arc<Runtime>,
    inner: crate::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("blocking::Client").field(&self.inner).finish()
    }
}

impl Client {
    /// Wraps an async client (built by [`crate::Client::builder`]).
    pub fn new(inner: crate::Client) -> Result<Client> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("exto360-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::invalid_input(format!("cannot start the client's runtime: {e}")))?;
        Ok(Client { rt: Arc::new(Runtime(Some(rt))), inner })
    }
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
    pub fn from_builder(b: ClientBuilder) -> Result<Client> {
        Client::new(b.build()?)
    }
    /// From `EXTO360_*` variables, like [`crate::Client::from_env`].
    pub fn from_env() -> Result<Client> {
        Client::new(crate::Client::from_env()?)
    }
    /// The async client inside (shares everything with this one).
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }
    pub fn with_project(&self, project_id: impl Into<String>) -> Result<Client> {
        Ok(Client { rt: self.rt.clone(), inner: self.inner.with_project(project_id)? })
    }
    pub fn without_project(&self) -> Client {
        Client { rt: self.rt.clone(), inner: self.inner.without_project() }
    }
    pub fn project_id(&self) -> Option<&str> {
        self.inner.project_id()
    }

    pub(crate) fn block<F: Future>(&self, f: F) -> Result<F::Output> {
        block_on(&self.rt, f)
    }

    pub fn masters(&self, name: &str) -> Masters {
        Masters { c: self.clone(), a: self.inner.masters(name) }
    }
    pub fn modules(&self, name: &str) -> Modules {
        Modules { c: self.clone(), a: self.inner.modules(name) }
    }
    pub fn sub_table(&self, table_id: &str) -> SubTable {
        SubTable { c: self.clone(), a: self.inner.sub_table(table_id) }
    }
    pub fn workflow(&self, module: &str) -> Workflow {
        Workflow { c: self.clone(), a: self.inner.workflow(module) }
    }
    pub fn users(&self) -> Users {
        Users { c: self.clone(), a: self.inner.users() }
    }
    pub fn health(&self) -> Health {
        Health { c: self.clone(), a: self.inner.health() }
    }
    pub fn hierarchy(&self, name: &str) -> Hierarchy {
        Hierarchy { c: self.clone(), a: self.inner.hierarchy(name) }
    }
    /// Documents: upload and download (REFERENCE.md §6A, edition V).
    pub fn documents(&self) -> Documents {
        Documents { c: self.clone(), a: self.inner.documents() }
    }
    pub fn workspaces(&self) -> Workspaces {
        Workspaces { c: self.clone(), a: self.inner.workspaces() }
    }
    pub fn jobs(&self) -> Jobs {
        Jobs { c: self.clone(), a: self.inner.jobs() }
    }
    /// The server build's metadata (\[V\] §1.3).
    pub fn build_info(&self) -> Result<BuildInfo> {
        self.block(self.inner.build_info())?
    }
}

fn block_on<F: Future>(rt: &Runtime, f: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid_input(
            "the blocking client was called from inside an async runtime, where blocking would stall it; use exto360::Client there",
        ));
    }
    match &rt.0 {
        Some(rt) => Ok(rt.block_on(f)),
        None => Err(Error::invalid_input("the client's runtime has been shut down")),
    }
}

/// A blocking iterator over a stream of rows, pages or expanded records.
pub struct Iter<S> {
    c: Client,
    stream: S,
    done: bool,
}

impl<S, T> Iterator for Iter<S>
where
    S: futures_util::Stream<Item = Result<T>> + Unpin,
{
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let item = match self.c.block(self.stream.next()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        };
        // An error ends the iteration: the page stream behind it has stopped.
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

macro_rules! blocking_reads {
    () => {
        pub fn list(&self, opts: &ListOptions) -> Result<Page<Record>> {
            self.c.block(self.a.list(opts))?
        }
        pub fn list_as<T: DeserializeOwned>(&self, opts: &ListOptions) -> Result<Page<T>> {
            self.c.block(self.a.list_as(opts))?
        }
        pub fn iter(&self, opts: ListOptions) -> Iter<Rows<Record>> {
            Iter { c: self.c.clone(), stream: self.a.iter(opts), done: false }
        }
        pub fn iter_as<T: DeserializeOwned + Send + 'static>(&self, opts: ListOptions) -> Iter<Rows<T>> {
            Iter { c: self.c.clone(), stream: self.a.iter_as(opts), done: false }
        }
        pub fn pages_as<T: DeserializeOwned + Send + 'static>(&self, opts: ListOptions) -> Iter<Pages<T>> {
            Iter { c: self.c.clone(), stream: self.a.pages_as(opts), done: false }
        }
    };
}

pub struct Masters {
    c: Client,
    a: crate::Masters,
}
impl Masters {
    blocking_reads!();
    pub fn upsert<R: Serialize>(&self, records: &[R]) -> Result<UpsertResult> {
        self.c.block(self.a.upsert(records))?
    }
    /// See [`crate::Masters::update`].
    pub fn update<R: Serialize>(&self, records: &[R], key: RecordKey) -> Result<UpsertResult> {
        self.c.block(self.a.update(records, key))?
    }
    /// See [`crate::Masters::delete`].
    pub fn delete<S: AsRef<str>>(&self, ids: &[S], key: RecordKey, user_name: &str) -> Result<DeleteResult> {
        self.c.block(self.a.delete(ids, key, user_name))?
    }
}

pub struct Modules {
    c: Client,
    a: crate::Modules,
}
impl Modules {
    blocking_reads!();
    pub fn upsert<R: Serialize>(&self, records: &[R], user_name: &str) -> Result<UpsertResult> {
        self.c.block(self.a.upsert(records, user_name))?
    }
    /// See [`crate::Modules::update`].
    pub fn update<R: Serialize>(&self, records: &[R], key: RecordKey, user_name: &str) -> Result<UpsertResult> {
        self.c.block(self.a.update(records, key, user_name))?
    }
    /// See [`crate::Modules::delete`].
    pub fn delete<S: AsRef<str>>(&self, ids: &[S], key: RecordKey, user_name: &str) -> Result<DeleteResult> {
        self.c.block(self.a.delete(ids, key, user_name))?
    }
    /// See [`crate::Modules::expand`]: complete records, one at a time.
    pub fn expand(&self, opts: ExpandOptions) -> Iter<crate::Expand> {
        Iter { c: self.c.clone(), stream: self.a.expand(opts), done: false }
    }
    /// See [`crate::Modules::expand_as`].
    pub fn expand_as<R: crate::RowSink>(&self, opts: ExpandOptions) -> Iter<crate::Expand<R>> {
        Iter { c: self.c.clone(), stream: self.a.expand_as(opts), done: false }
    }
}

/// Rows of one hierarchy master (see [`crate::Hierarchy`]).
pub struct Hierarchy {
    c: Client,
    a: crate::Hierarchy,
}
impl Hierarchy {
    pub fn list(&self, page: u32, page_size: u32) -> Result<Page<Record>> {
        self.c.block(self.a.list(page, page_size))?
    }
    pub fn iter(&self, page_size: u32) -> Iter<Rows<Record>> {
        Iter { c: self.c.clone(), stream: self.a.iter(page_size), done: false }
    }
    pub fn create<R: Serialize>(&self, rows: &[R]) -> Result<UpsertResult> {
        self.c.block(self.a.create(rows))?
    }
    pub fn update<R: Serialize>(&self, rows: &[R]) -> Result<UpsertResult> {
        self.c.block(self.a.update(rows))?
    }
}

pub struct SubTable {
    c: Client,
    a: crate::SubTable,
}
impl SubTable {
    pub fn upsert<R: Serialize>(&self, rows: &[R], module_name: &str, record_id: &str) -> Result<UpsertResult> {
        self.c.block(self.a.upsert(rows, module_name, record_id))?
    }
    pub fn list(&self, module_name: &str, record_id: &str, page: u32, page_size: u32) -> Result<Page<SubTableRow>> {
        self.c.block(self.a.list(module_name, record_id, page, page_size))?
    }
    pub fn iter(&self, module_name: &str, record_id: &str, page_size: u32) -> Iter<Rows<SubTableRow>> {
        Iter { c: self.c.clone(), stream: self.a.iter(module_name, record_id, page_size), done: false }
    }
    pub fn delete<S: AsRef<str>>(&self, record_numbers: &[S], module_name: &str, record_id: &str) -> Result<DeleteResult> {
        self.c.block(self.a.delete(record_numbers, module_name, record_id))?
    }
}

pub struct Workflow {
    c: Client,
    a: crate::Workflow,
}
impl Workflow {
    pub fn act<S: AsRef<str>>(&self, record_ids: &[S], opts: &ActOptions) -> Result<Vec<WorkflowResult>> {
        self.c.block(self.a.act(record_ids, opts))?
    }
    /// See [`crate::Workflow::list`] (v2).
    pub fn list(&self, opts: &WorkflowListOptions) -> Result<Page<Record>> {
        self.c.block(self.a.list(opts))?
    }
    pub fn iter(&self, opts: &WorkflowListOptions) -> Iter<Rows<Record>> {
        Iter { c: self.c.clone(), stream: self.a.iter(opts), done: false }
    }
    pub fn history(&self, record_number: &str) -> Result<serde_json::Value> {
        self.c.block(self.a.history(record_number))?
    }
    pub fn transition(&self, step: Step, record_id: &str, opts: &TransitionOptions) -> Result<serde_json::Value> {
        self.c.block(self.a.transition(step, record_id, opts))?
    }
}

pub struct Users {
    c: Client,
    a: crate::Users,
}
impl Users {
    pub fn grant_access(&self, grant: &GrantAccess) -> Result<UpsertResult> {
        self.c.block(self.a.grant_access(grant))?
    }
    pub fn list(&self, page: u32, page_size: u32) -> Result<Page<UserAccess>> {
        self.c.block(self.a.list(page, page_size))?
    }
    pub fn iter(&self) -> Iter<Rows<UserAccess>> {
        Iter { c: self.c.clone(), stream: self.a.iter(), done: false }
    }
    pub fn pages(&self, page_size: u32) -> Iter<Pages<UserAccess>> {
        Iter { c: self.c.clone(), stream: self.a.pages(page_size), done: false }
    }
    pub fn get(&self, username: &str) -> Result<UserAccess> {
        self.c.block(self.a.get(username))?
    }
    pub fn groups(&self, only_project_groups: bool) -> Result<Groups> {
        self.c.block(self.a.groups(only_project_groups))?
    }
    pub fn activate<S: AsRef<str>>(&self, usernames: &[S]) -> Result<BulkWriteResult> {
        self.c.block(self.a.activate(usernames))?
    }
    pub fn deactivate<S: AsRef<str>>(&self, usernames: &[S]) -> Result<BulkWriteResult> {
        self.c.block(self.a.deactivate(usernames))?
    }
    pub fn remove_access<S: AsRef<str>>(&self, username: &str, projects: &[S], groups: &[S]) -> Result<StatusResponse> {
        self.c.block(self.a.remove_access(username, projects, groups))?
    }
    pub fn remove_project_access<S: AsRef<str>>(&self, username: &str, project_ids: &[S]) -> Result<StatusResponse> {
        self.c.block(self.a.remove_project_access(username, project_ids))?
    }
}

pub struct Health {
    c: Client,
    a: crate::Health,
}
impl Health {
    pub fn liveness(&self) -> Result<Liveness> {
        self.c.block(self.a.liveness())?
    }
    pub fn readiness(&self) -> Result<Readiness> {
        self.c.block(self.a.readiness())?
    }
}

/// See [`crate::Documents`]. Downloads to a path only: a byte stream needs the async client.
pub struct Documents {
    c: Client,
    a: crate::Documents,
}
impl Documents {
    /// See [`crate::Documents::upload`].
    pub fn upload(&self, files: Vec<crate::UploadFile>, opts: &crate::UploadOptions) -> Result<crate::UploadReport> {
        self.c.block(self.a.upload(files, opts))?
    }
    /// See [`crate::Documents::download_to`].
    pub fn download_to(&self, id: &str, version: Option<&str>, path: impl AsRef<std::path::Path>) -> Result<crate::DownloadedFile> {
        self.c.block(self.a.download_to(id, version, path))?
    }
    /// See [`crate::Documents::download_all_to`].
    pub fn download_all_to(&self, record_id: &str, module: &str, path: impl AsRef<std::path::Path>) -> Result<crate::DownloadedFile> {
        self.c.block(self.a.download_all_to(record_id, module, path))?
    }
}

/// See [`crate::Workspaces`].
pub struct Workspaces {
    c: Client,
    a: crate::Workspaces,
}
impl Workspaces {
    pub fn create(&self, name: &str, parent_id: Option<&str>) -> Result<crate::Workspace> {
        self.c.block(self.a.create(name, parent_id))?
    }
    pub fn list(&self, opts: &crate::WorkspaceListOptions) -> Result<Page<crate::Workspace>> {
        self.c.block(self.a.list(opts))?
    }
    pub fn get(&self, id: &str) -> Result<crate::Workspace> {
        self.c.block(self.a.get(id))?
    }
    pub fn update(&self, id: &str, name: &str, parent_id: Option<&str>) -> Result<crate::Workspace> {
        self.c.block(self.a.update(id, name, parent_id))?
    }
}

/// See [`crate::Jobs`].
pub struct Jobs {
    c: Client,
    a: crate::Jobs,
}
impl Jobs {
    pub fn create(&self, job: &serde_json::Value) -> Result<String> {
        self.c.block(self.a.create(job))?
    }
    pub fn list(&self, project_id: &str, page: u32, page_size: u32) -> Result<Page<serde_json::Map<String, serde_json::Value>>> {
        self.c.block(self.a.list(project_id, page, page_size))?
    }
    pub fn update(&self, id: &str, update: &crate::JobUpdate) -> Result<()> {
        self.c.block(self.a.update(id, update))?
    }
    pub fn log(&self, id: &str, line: &crate::LogLine) -> Result<()> {
        self.c.block(self.a.log(id, line))?
    }
    /// See [`crate::Jobs::run`]: `work` runs on the calling thread with a blocking handle.
    pub fn run<T>(&self, title: &str, job_type: &str, work: impl FnOnce(&JobRun) -> Result<T>) -> Result<T> {
        let job = JobRun { c: self.c.clone(), a: self.c.block(self.a.start(title, job_type))?? };
        let outcome = work(&job);
        job.end(&outcome);
        outcome
    }
}

/// See [`crate::JobRun`].
pub struct JobRun {
    c: Client,
    a: crate::JobRun,
}
impl JobRun {
    pub fn id(&self) -> &str {
        self.a.id()
    }
    pub fn log(&self, message: &str) -> Result<()> {
        self.c.block(self.a.log(message))?
    }
    pub fn finish(&self, status: &str) -> Result<()> {
        self.c.block(self.a.finish(status))?
    }
    pub fn fail(&self, message: &str) -> Result<()> {
        self.c.block(self.a.fail(message))?
    }
    /// See [`crate::JobRun::end`].
    pub fn end<T>(&self, outcome: &Result<T>) {
        if let Err(e) = self.c.block(self.a.end(outcome)) {
            tracing::warn!(job = %self.a.id(), "exto360: could not report the job's end: {e}");
        }
    }
}
