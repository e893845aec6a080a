//! §5.2 (\[V\] only): the v2 workflow — list (with its parenthesised filter DSL), one record's
//! history, and the five actions `create`, `submit`, `return`, `reopen` and `revision`.

use reqwest::Method;
use serde_json::{Map, Value, json};

use super::workflow::Workflow;
use super::{body, check_strings, simple_page, simple_pages};
use crate::client::{Call, Safety};
use crate::encode;
use crate::error::{Error, Result};
use crate::models::Record;
use crate::paging::{FilterArg, Page, Pages, Rows};

/// Most rows per page of the v2 list.
pub const MAX_WORKFLOW_PAGE_SIZE: u32 = 100;

/// Options of [`Workflow::list`]. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkflowListOptions {
    /// 1-based page (default 1).
    pub page: Option<u32>,
    /// Rows per page, 1..=100 (default 100).
    pub page_size: Option<u32>,
    pub record_number: Option<String>,
    pub status: Option<String>,
    pub responsible_user: Option<String>,
    pub responsible_group: Option<String>,
    /// A [`crate::Filter`] (sent with each AND-group in parentheses, the v2 DSL's form) or a raw
    /// string such as `(status:eq:Draft:or:status:eq:Submitted):and:amount:gt:5`.
    pub filter: Option<FilterArg>,
}

/// The five v2 actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Create,
    Submit,
    Return,
    Reopen,
    Revision,
}

impl Step {
    /// The path segment: `create`, `submit`, `return`, `reopen`, `revision`.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Create => "create",
            Step::Submit => "submit",
            Step::Return => "return",
            Step::Reopen => "reopen",
            Step::Revision => "revision",
        }
    }
    pub fn parse(s: &str) -> Option<Step> {
        Some(match s {
            "create" => Step::Create,
            "submit" => Step::Submit,
            "return" => Step::Return,
            "reopen" => Step::Reopen,
            "revision" => Step::Revision,
            _ => return None,
        })
    }
}

/// Who takes a v2 action, and with what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionOptions {
    /// Acting user (`userName`), an active user of the tenant.
    pub user_name: String,
    /// The action (`actionName`); required except for `revision`.
    pub action_name: Option<String>,
    /// Required when the client is scoped to a project (REFERENCE.md §13 C10).
    pub space_name: Option<String>,
    /// Users and groups to make responsible (`assignee`); not for `revision`.
    pub assignee_users: Vec<String>,
    pub assignee_groups: Vec<String>,
    /// A comment (`comment.text`) and whether it is private.
    pub comment: Option<(String, bool)>,
}

impl TransitionOptions {
    pub fn new(user_name: impl Into<String>) -> TransitionOptions {
        TransitionOptions { user_name: user_name.into(), ..Default::default() }
    }
    pub fn action(mut self, action_name: impl Into<String>) -> Self {
        self.action_name = Some(action_name.into());
        self
    }
    pub fn space(mut self, space_name: impl Into<String>) -> Self {
        self.space_name = Some(space_name.into());
        self
    }
    pub fn assign<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>, groups: impl IntoIterator<Item = S>) -> Self {
        self.assignee_users = users.into_iter().map(Into::into).collect();
        self.assignee_groups = groups.into_iter().map(Into::into).collect();
        self
    }
    pub fn comment(mut self, text: impl Into<String>, private: bool) -> Self {
        self.comment = Some((text.into(), private));
        self
    }
}

impl Workflow {
    fn list_query(&self, opts: &WorkflowListOptions) -> Result<Vec<(&'static str, String)>> {
        if self.client.project_id().is_none() {
            return Err(Error::invalid_input(
                "the v2 workflow list needs a project (x-project-id): use a client scoped to one (with_project)",
            ));
        }
        encode::required("module", &self.module)?;
        let mut q = vec![("moduleName", self.module.to_string())];
        for (k, v) in [
            ("recordNumber", &opts.record_number),
            ("status", &opts.status),
            ("responsibleUser", &opts.responsible_user),
            ("responsibleGroup", &opts.responsible_group),
        ] {
            if let Some(v) = v {
                encode::required(k, v)?;
                q.push((k, v.clone()));
            }
        }
        match &opts.filter {
            Some(FilterArg::Built(f)) => q.push(("filter", f.render_grouped()?)),
            Some(FilterArg::Raw(s)) => {
                encode::required("filter", s)?;
                q.push(("filter", s.clone()));
            }
            None => {}
        }
        Ok(q)
    }

    /// One page of the v2 list (`GET /api/v2/workflow`): each row is a record's workflow
    /// (`recordNumber`, `workflowId`, `currentStepName`, `status`, `steps`, ...). Needs a client
    /// scoped to a project.
    pub async fn list(&self, opts: &WorkflowListOptions) -> Result<Page<Record>> {
        let q = self.list_query(opts)?;
        simple_page(&self.client, "api/v2/workflow", &q, opts.page.unwrap_or(1), opts.page_size.unwrap_or(MAX_WORKFLOW_PAGE_SIZE), MAX_WORKFLOW_PAGE_SIZE).await
    }

    /// Every row of the v2 list from `opts.page` on, with a bounded prefetch.
    pub fn iter(&self, opts: &WorkflowListOptions) -> Rows<Record> {
        self.pages(opts).rows()
    }

    /// Every page of the v2 list.
    pub fn pages(&self, opts: &WorkflowListOptions) -> Pages<Record> {
        self.pages_as(opts)
    }

    /// Every page of the v2 list, rows in your own type.
    pub fn pages_as<T: serde::de::DeserializeOwned + Send + 'static>(&self, opts: &WorkflowListOptions) -> Pages<T> {
        match self.list_query(opts) {
            Ok(q) => simple_pages(&self.client, "api/v2/workflow".into(), q, opts.page.unwrap_or(1), opts.page_size.unwrap_or(MAX_WORKFLOW_PAGE_SIZE), MAX_WORKFLOW_PAGE_SIZE),
            Err(e) => Pages::failed(e),
        }
    }

    /// The step history of one record (`GET /api/v2/workflow/history`), as the API answers it
    /// (its shape is not documented).
    pub async fn history(&self, record_number: &str) -> Result<Value> {
        encode::required("record_number", record_number)?;
        encode::required("module", &self.module)?;
        let call = Call::get("api/v2/workflow/history".into()).query("recordNumber", record_number).query("moduleName", self.module.to_string());
        self.client.execute_json(&call).await
    }

    /// Takes a v2 action on one record (its `_id`, or its `recordNumber`): `POST
    /// /api/v2/workflow/{step}`. Not retried after a 5xx or a lost answer unless the client
    /// has `retry_writes(true)` (the record could move twice). Returns the API's answer.
    pub async fn transition(&self, step: Step, record_id: &str, opts: &TransitionOptions) -> Result<Value> {
        encode::required("record_id", record_id)?;
        encode::required("module", &self.module)?;
        encode::required("user_name", &opts.user_name)?;
        match &opts.space_name {
            Some(s) => encode::required("space_name", s)?,
            None if self.client.project_id().is_some() => {
                return Err(Error::invalid_input(
                    "space_name is required when the client is scoped to a project (the API refuses project-scoped workflow actions without a space)",
                ));
            }
            None => {}
        }
        let mut b = Map::new();
        b.insert("recordId".into(), json!(record_id));
        b.insert("moduleName".into(), json!(self.module.to_uppercase()));
        match &opts.action_name {
            Some(a) => {
                encode::required("action_name", a)?;
                b.insert("actionName".into(), json!(a));
            }
            None if step != Step::Revision => return Err(Error::invalid_input(format!("action_name is required for {}", step.as_str()))),
            None => {}
        }
        if !opts.assignee_users.is_empty() || !opts.assignee_groups.is_empty() {
            if step == Step::Revision {
                return Err(Error::invalid_input("a revision takes no assignee (the API refuses it)"));
            }
            let users = check_strings(&opts.assignee_users, "assignee_users")?;
            let groups = check_strings(&opts.assignee_groups, "assignee_groups")?;
            b.insert("assignee".into(), json!({ "users": users, "groups": groups }));
        }
        if let Some((text, private)) = &opts.comment {
            encode::required("comment", text)?;
            b.insert("comment".into(), json!({ "text": text, "isPrivate": private }));
        }
        let mut call = Call::new(Method::POST, format!("api/v2/workflow/{}", step.as_str()), Safety::Write)
            .json_body(body(&Value::Object(b))?)
            .query("userName", opts.user_name.as_str());
        if let Some(s) = &opts.space_name {
            call = call.query("spaceName", s.as_str());
        }
        self.client.execute_json(&call).await
    }
}
