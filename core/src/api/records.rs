//! §2.1–2.2 and §3.1–3.2: master and module records — list, iterate, upsert.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{JsonRows, upsert_chunks};
use crate::bulk::BulkOptions;
use crate::client::{Call, Client};
use crate::encode;
use crate::error::Result;
use crate::models::{Record, UpsertResult};
use crate::paging::{DecodedPage, ListOptions, Page, Pages, Prefetch, Rows, RowsDecoder, decode_page, parse_page};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Master,
    Module,
}

impl Kind {
    fn segment(self) -> &'static str {
        match self {
            Kind::Master => "master-record",
            Kind::Module => "module-record",
        }
    }
    fn what(self) -> &'static str {
        match self {
            Kind::Master => "master name",
            Kind::Module => "module name",
        }
    }
}

/// What masters and modules share: listing, iterating and chunked upserts.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    client: Client,
    kind: Kind,
    name: Arc<str>,
}

impl Collection {
    fn path(&self) -> Result<String> {
        Ok(format!("api/v1/{}/{}", self.kind.segment(), encode::segment(self.kind.what(), &self.name)?))
    }

    async fn page<T: DeserializeOwned>(client: &Client, path: &str, opts: &ListOptions, page: u32) -> Result<Page<T>> {
        let (size, query) = opts.query(page)?;
        let mut call = Call::get(path.to_string());
        call.query = query;
        let body = client.execute(&call).await?;
        parse_page(&body, page, size, &format!("GET /{path}"))
    }

    async fn decoded_page<R: RowsDecoder>(client: &Client, path: &str, opts: &ListOptions, page: u32) -> Result<DecodedPage<R>> {
        let (size, query) = opts.query(page)?;
        let mut call = Call::get(path.to_string());
        call.query = query;
        let body = client.execute(&call).await?;
        decode_page(body, page, size, &format!("GET /{path}"))
    }

    /// Pages with rows in a binding's form (see [`RowsDecoder`]).
    pub(crate) fn decoded_pages<R: RowsDecoder>(&self, opts: ListOptions) -> Result<Prefetch<DecodedPage<R>>> {
        let path = self.path()?;
        opts.query(opts.first_page())?;
        let client = self.client.clone();
        let first = opts.first_page();
        let opts = Arc::new(opts);
        Ok(Prefetch::new(
            first,
            client.inner.prefetch_pages,
            Box::new(move |page| {
                let (client, path, opts) = (client.clone(), path.clone(), opts.clone());
                Box::pin(async move { Self::decoded_page(&client, &path, &opts, page).await })
            }),
        ))
    }

    pub(crate) async fn list_decoded<R: RowsDecoder>(&self, opts: &ListOptions) -> Result<DecodedPage<R>> {
        Self::decoded_page(&self.client, &self.path()?, opts, opts.first_page()).await
    }

    async fn list<T: DeserializeOwned>(&self, opts: &ListOptions) -> Result<Page<T>> {
        Self::page(&self.client, &self.path()?, opts, opts.first_page()).await
    }

    fn pages<T: DeserializeOwned + Send + 'static>(&self, opts: ListOptions) -> Pages<T> {
        let path = match self.path().and_then(|p| opts.query(opts.first_page()).map(|_| p)) {
            Ok(p) => p,
            Err(e) => return Pages::failed(e),
        };
        let client = self.client.clone();
        let first = opts.first_page();
        let opts = Arc::new(opts);
        Pages::new(
            first,
            client.inner.prefetch_pages,
            Box::new(move |page| {
                let (client, path, opts) = (client.clone(), path.clone(), opts.clone());
                Box::pin(async move { Self::page(&client, &path, &opts, page).await })
            }),
        )
    }

    /// The path and query of an upsert (`userName` for modules).
    fn upsert_target(&self, user_name: Option<&str>) -> Result<(String, Vec<(&'static str, String)>)> {
        let path = self.path()?;
        let mut query = Vec::new();
        if let Some(u) = user_name {
            encode::required("user_name", u)?;
            query.push(("userName", u.to_string()));
        }
        Ok((path, query))
    }

    async fn upsert<R: Serialize>(&self, rows: &[R], user_name: Option<&str>, opts: &BulkOptions) -> Result<UpsertResult> {
        let (path, query) = self.upsert_target(user_name)?;
        upsert_chunks(&self.client, path, query, rows, "records", opts).await
    }

    async fn upsert_json_rows(&self, rows: &dyn JsonRows, user_name: Option<&str>) -> Result<UpsertResult> {
        let (path, query) = self.upsert_target(user_name)?;
        super::upsert_json_rows(&self.client, path, query, rows, &BulkOptions::default()).await
    }
}

macro_rules! read_api {
    () => {
        /// One page (default: page 1 of 1000 rows).
        pub async fn list(&self, opts: &ListOptions) -> Result<Page<Record>> {
            self.c.list(opts).await
        }
        /// One page, rows deserialized into your own type.
        pub async fn list_as<T: DeserializeOwned>(&self, opts: &ListOptions) -> Result<Page<T>> {
            self.c.list(opts).await
        }
        /// Every record from `opts.page` (default 1) to the end, fetched page by page with a
        /// bounded prefetch: memory does not grow with the total.
        pub fn iter(&self, opts: ListOptions) -> Rows<Record> {
            self.c.pages(opts).rows()
        }
        /// [`Self::iter`] into your own row type.
        pub fn iter_as<T: DeserializeOwned + Send + 'static>(&self, opts: ListOptions) -> Rows<T> {
            self.c.pages(opts).rows()
        }
        /// Every page from `opts.page` to the end.
        pub fn pages_as<T: DeserializeOwned + Send + 'static>(&self, opts: ListOptions) -> Pages<T> {
            self.c.pages(opts)
        }
        /// The name this resource addresses.
        pub fn name(&self) -> &str {
            &self.c.name
        }
        pub(crate) fn collection(&self) -> &Collection {
            &self.c
        }
    };
}

/// `client.masters(name)`: records of one master (e.g. `LOCATION`).
#[derive(Debug, Clone)]
pub struct Masters {
    c: Collection,
}

impl Masters {
    pub(crate) fn new(client: Client, name: &str) -> Masters {
        Masters { c: Collection { client, kind: Kind::Master, name: Arc::from(name) } }
    }
    read_api!();

    /// Inserts or updates any number of records (flat `field: value` objects). A record that
    /// carries a field configured as unique updates the record with the same value; others are
    /// inserted. Sent 1000 per request; on failure the error's [`crate::Error::bulk`] says
    /// which records were written.
    pub async fn upsert<R: Serialize>(&self, records: &[R]) -> Result<UpsertResult> {
        self.c.upsert(records, None, &BulkOptions::default()).await
    }

    /// [`Masters::upsert`] with options: a [`crate::BulkWatch`] sees each request go out and
    /// each chunk's final state (for checkpoints and progress), and may stop the operation.
    pub async fn upsert_with<R: Serialize>(&self, records: &[R], opts: &BulkOptions) -> Result<UpsertResult> {
        self.c.upsert(records, None, opts).await
    }

    /// [`Self::upsert`] of rows the caller serialises itself (see [`JsonRows`]).
    pub async fn upsert_json_rows(&self, records: &dyn JsonRows) -> Result<UpsertResult> {
        self.c.upsert_json_rows(records, None).await
    }
}

/// `client.modules(name)`: records of one custom module (e.g. `CUSTOMMODULE`).
#[derive(Debug, Clone)]
pub struct Modules {
    c: Collection,
}

impl Modules {
    pub(crate) fn new(client: Client, name: &str) -> Modules {
        Modules { c: Collection { client, kind: Kind::Module, name: Arc::from(name) } }
    }
    read_api!();

    /// Like [`Masters::upsert`], acting as `user_name` (an active user of the tenant).
    pub async fn upsert<R: Serialize>(&self, records: &[R], user_name: &str) -> Result<UpsertResult> {
        self.c.upsert(records, Some(user_name), &BulkOptions::default()).await
    }

    /// [`Modules::upsert`] with options (see [`Masters::upsert_with`]).
    pub async fn upsert_with<R: Serialize>(&self, records: &[R], user_name: &str, opts: &BulkOptions) -> Result<UpsertResult> {
        self.c.upsert(records, Some(user_name), opts).await
    }

    /// [`Self::upsert`] of rows the caller serialises itself (see [`JsonRows`]).
    pub async fn upsert_json_rows(&self, records: &dyn JsonRows, user_name: &str) -> Result<UpsertResult> {
        self.c.upsert_json_rows(records, Some(user_name)).await
    }
}

/// Rows as JSON objects without a copy of every field: for bindings that hand JSON on.
pub type RawRow = Box<serde_json::value::RawValue>;
