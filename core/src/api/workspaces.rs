//! Workspaces (REFERENCE.md §6A, \[V\] only): create, list (a bare array), get, update. The API
//! has no delete.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::body;
use crate::client::{Call, Client, Safety};
use crate::error::Result;
use crate::paging::Page;

/// Default and largest page of the workspace list.
pub const DEFAULT_WORKSPACE_PAGE_SIZE: u32 = 25;
pub const MAX_WORKSPACE_PAGE_SIZE: u32 = 1000;

/// A workspace: a named scope in a tree (`parent_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Fields the docs do not list, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Options of [`Workspaces::list`].
#[derive(Debug, Clone, Default)]
pub struct WorkspaceListOptions {
    /// Page number (default 1).
    pub page: Option<u32>,
    /// Rows per page (default 25, at most 1000).
    pub page_size: Option<u32>,
    /// A filter in the records' grammar, e.g. `name:sw:West`.
    pub filter: Option<String>,
    /// `name`, `-createdAt`, ...
    pub sort: Option<String>,
}

/// The workspaces of the client's tenant ([`crate::Client::workspaces`]).
#[derive(Debug, Clone)]
pub struct Workspaces {
    pub(crate) client: Client,
}

fn input(name: &str, parent_id: Option<&str>) -> Result<bytes::Bytes> {
    crate::encode::required("workspace name", name)?;
    if let Some(p) = parent_id {
        crate::encode::required("parent id", p)?;
    }
    body(&json!({ "name": name, "parentId": parent_id }))
}

impl Workspaces {
    /// Creates a workspace (under `parent_id`, when given). A create is a write: retried only
    /// as the write policy allows.
    pub async fn create(&self, name: &str, parent_id: Option<&str>) -> Result<Workspace> {
        let call = Call::new(Method::POST, "api/v1/workspace".into(), Safety::Write).json_body(input(name, parent_id)?);
        self.client.execute_json(&call).await
    }

    /// One page of workspaces. The API answers a bare array: the page has no totals.
    pub async fn list(&self, opts: &WorkspaceListOptions) -> Result<Page<Workspace>> {
        let mut query = Vec::new();
        for (k, v) in [("filter", &opts.filter), ("sort", &opts.sort)] {
            if let Some(v) = v {
                crate::encode::required(k, v)?;
                query.push((k, v.clone()));
            }
        }
        let (page, size) = (opts.page.unwrap_or(1), opts.page_size.unwrap_or(DEFAULT_WORKSPACE_PAGE_SIZE));
        super::simple_page(&self.client, "api/v1/workspace", &query, page, size, MAX_WORKSPACE_PAGE_SIZE).await
    }

    pub async fn get(&self, id: &str) -> Result<Workspace> {
        self.client.execute_json(&Call::get(format!("api/v1/workspace/{}", crate::encode::segment("workspace id", id)?))).await
    }

    /// Renames or moves a workspace (the body is as for create). Sets the same values however
    /// often it is sent, so it is retried like a read.
    pub async fn update(&self, id: &str, name: &str, parent_id: Option<&str>) -> Result<Workspace> {
        let path = format!("api/v1/workspace/{}", crate::encode::segment("workspace id", id)?);
        let call = Call::new(Method::PATCH, path, Safety::Idempotent).json_body(input(name, parent_id)?);
        self.client.execute_json(&call).await
    }
}
