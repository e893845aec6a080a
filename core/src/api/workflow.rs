//! §5.1: apply a workflow action to records.

use std::sync::Arc;

use reqwest::Method;

use super::{MAX_WORKFLOW_IDS_PER_REQUEST, body, check_strings};
use crate::client::{Call, Client, Safety};
use crate::encode;
use crate::error::{Error, Result};
use crate::models::WorkflowResult;

/// The action to take and who takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActOptions {
    /// Action name as in the record's Actions menu, e.g. `Submit`, `Approve`, `Reject`.
    pub action: String,
    /// Acting user (`userName`), an active user of the tenant.
    pub user_name: String,
    /// Space the records belong to; required when the client is scoped to a project.
    pub space_name: Option<String>,
}

impl ActOptions {
    pub fn new(action: impl Into<String>, user_name: impl Into<String>) -> ActOptions {
        ActOptions { action: action.into(), user_name: user_name.into(), space_name: None }
    }
    pub fn space(mut self, space_name: impl Into<String>) -> ActOptions {
        self.space_name = Some(space_name.into());
        self
    }
}

/// `client.workflow(module)`.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub(crate) client: Client,
    pub(crate) module: Arc<str>,
}

impl Workflow {
    /// Applies `opts.action` to every record of `record_ids` (their `_id`s), 100 per request.
    /// Returns one entry per record, in input order. Not retried after a 5xx or a lost answer
    /// unless the client has `retry_writes(true)`: the action could otherwise happen twice.
    pub async fn act<S: AsRef<str>>(&self, record_ids: &[S], opts: &ActOptions) -> Result<Vec<WorkflowResult>> {
        let path = format!("api/v1/workflow/{}", encode::segment("module name", &self.module)?);
        encode::required("action", &opts.action)?;
        encode::required("user_name", &opts.user_name)?;
        if let Some(s) = &opts.space_name {
            encode::required("space_name", s)?;
        } else if self.client.project_id().is_some() {
            return Err(Error::invalid_input(
                "space_name is required when the client is scoped to a project (the API refuses project-scoped workflow actions without a space)",
            ));
        }
        let ids = check_strings(record_ids, "record_ids")?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let parts = crate::bulk::run(ids.len(), MAX_WORKFLOW_IDS_PER_REQUEST, self.client.inner.bulk_concurrency, |range, abort| {
            let chunk = body(&ids[range]);
            let path = path.clone();
            async move {
                let mut call = Call::new(Method::POST, path, Safety::Write)
                    .json_body(chunk?)
                    .query("actionName", opts.action.as_str())
                    .query("userName", opts.user_name.as_str());
                if let Some(s) = &opts.space_name {
                    call = call.query("spaceName", s.as_str());
                }
                call.abort = Some(abort);
                self.client.execute_json::<Vec<WorkflowResult>>(&call).await
            }
        })
        .await?;
        Ok(parts.into_iter().flatten().collect())
    }

    pub fn module(&self) -> &str {
        &self.module
    }
}
