//! Job status (REFERENCE.md §6A, \[V\] only): long jobs reported into the platform — created,
//! listed per project, updated, and given log lines one at a time. [`JobRun`] does the usual
//! sequence: create the job In Progress, append lines, set Completed, or Failed on error.

use std::time::Instant;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::body;
use crate::client::{Call, Client, Safety};
use crate::error::{Error, Result};
use crate::paging::Page;

/// Default and largest page of the job list (a larger `pageSize` is served at 200 by the API;
/// the client refuses it instead, so a caller never gets fewer rows than asked silently).
pub const DEFAULT_JOB_PAGE_SIZE: u32 = 50;
pub const MAX_JOB_PAGE_SIZE: u32 = 200;

/// The documented job statuses.
pub const JOB_STATUSES: [&str; 4] = ["Not Started", "In Progress", "Completed", "Failed"];
/// The documented job types.
pub const JOB_TYPES: [&str; 13] =
    ["Summarize", "Spread", "Import", "Export", "Load", "Copy", "Scenario_Creation", "Schedule", "CX", "SSM", "ItemMasterIntegration", "CxStepDates", "Slotting Job"];

fn check_status(status: &str) -> Result<()> {
    if JOB_STATUSES.contains(&status) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("job status must be one of {}, got '{status}'", JOB_STATUSES.join(", "))))
    }
}

/// A log line of a job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    pub message: String,
    /// `info` by default on the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_stamp: Option<String>,
}

impl LogLine {
    pub fn new(message: impl Into<String>) -> LogLine {
        LogLine { message: message.into(), ..Default::default() }
    }
    pub fn level(mut self, level: impl Into<String>) -> LogLine {
        self.level = Some(level.into());
        self
    }
}

/// The final (or any) state of a job: `PUT /jobstatus/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobUpdate {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobPage {
    data: Vec<Map<String, Value>>,
    total: Option<u64>,
    page: Option<u32>,
    page_size: Option<u32>,
}

/// Job status calls ([`crate::Client::jobs`]).
#[derive(Debug, Clone)]
pub struct Jobs {
    pub(crate) client: Client,
}

impl Jobs {
    /// Creates a job from its document (`jobTitle`, `jobType`, `status`, `projectID`,
    /// `createdBy`, `log`, `meta`, ...; `projectID` defaults to the client's project) and
    /// returns its id. A create is a write: retried only as the write policy allows.
    pub async fn create(&self, job: &Value) -> Result<String> {
        let Value::Object(o) = job else {
            return Err(Error::invalid_input(format!("a job must be a JSON object, got {}", super::kind_of(job))));
        };
        let mut o = o.clone();
        if let Some(Value::String(s)) = o.get("status") {
            check_status(s)?;
        }
        if !o.contains_key("projectID")
            && let Some(p) = self.client.project_id()
        {
            o.insert("projectID".into(), json!(p));
        }
        let call = Call::new(Method::POST, "api/v1/jobstatus".into(), Safety::Write).json_body(body(&o)?);
        Ok(self.client.execute_json::<Created>(&call).await?.id)
    }

    /// One page of a project's jobs, newest first (`pageSize` 50 by default, at most 200).
    pub async fn list(&self, project_id: &str, page: u32, page_size: u32) -> Result<Page<Map<String, Value>>> {
        crate::paging::check_paging_up_to(page, page_size, MAX_JOB_PAGE_SIZE)?;
        let path = format!("api/v1/jobstatus/{}", crate::encode::segment("project id", project_id)?);
        let call = Call::get(path.clone()).query("page", page.to_string()).query("pageSize", page_size.to_string());
        let p: JobPage = self.client.execute_json(&call).await?;
        let size = p.page_size.unwrap_or(page_size);
        Ok(Page { rows: p.data, total: p.total, page: p.page.unwrap_or(page), page_size: size, total_pages: p.total.map(|t| t.div_ceil(u64::from(size.max(1)))) })
    }

    /// Sets a job's status (and duration, completion time). Retried like a read: it sets the
    /// same values however often it is sent.
    pub async fn update(&self, id: &str, update: &JobUpdate) -> Result<()> {
        check_status(&update.status)?;
        let path = format!("api/v1/jobstatus/{}", crate::encode::segment("job id", id)?);
        self.client.execute_write(&Call::new(Method::PUT, path, Safety::Idempotent).json_body(body(update)?)).await.map(drop)
    }

    /// Appends one log line. A write (a repeated line would show twice): retried only as the
    /// write policy allows.
    pub async fn log(&self, id: &str, line: &LogLine) -> Result<()> {
        crate::encode::required("log message", &line.message)?;
        let path = format!("api/v1/jobstatus/{}/logs", crate::encode::segment("job id", id)?);
        self.client.execute_write(&Call::new(Method::POST, path, Safety::Write).json_body(body(line)?)).await.map(drop)
    }

    /// Creates a job `title` of `job_type` In Progress and returns its handle.
    pub async fn start(&self, title: &str, job_type: &str) -> Result<JobRun> {
        crate::encode::required("job title", title)?;
        if !JOB_TYPES.contains(&job_type) {
            return Err(Error::invalid_input(format!("job type must be one of {}, got '{job_type}'", JOB_TYPES.join(", "))));
        }
        let id = self.create(&json!({ "jobTitle": title, "jobType": job_type, "status": "In Progress" })).await?;
        Ok(JobRun { jobs: self.clone(), id, started: Some(Instant::now()) })
    }

    /// The handle of an existing job (its end is reported without a duration).
    pub fn job(&self, id: &str) -> JobRun {
        JobRun { jobs: self.clone(), id: id.to_string(), started: None }
    }

    /// Runs `work` as a job: creates it In Progress, gives `work` its handle (to log lines),
    /// then sets Completed with the duration — or, if `work` fails, logs the error (level
    /// `error`) and sets Failed, and returns `work`'s error. A failure to report the end is
    /// logged (tracing) and does not replace `work`'s own outcome.
    pub async fn run<T, F, Fut>(&self, title: &str, job_type: &str, work: F) -> Result<T>
    where
        F: FnOnce(JobRun) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let job = self.start(title, job_type).await?;
        let outcome = work(job.clone()).await;
        job.end(&outcome).await;
        outcome
    }
}

/// A job being run: its id, and the calls that report on it.
#[derive(Debug, Clone)]
pub struct JobRun {
    jobs: Jobs,
    id: String,
    /// When this client started it (`None` for a handle of an existing job).
    started: Option<Instant>,
}

impl JobRun {
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Appends a line at level `info`.
    pub async fn log(&self, message: &str) -> Result<()> {
        self.jobs.log(&self.id, &LogLine::new(message)).await
    }
    pub async fn log_line(&self, line: &LogLine) -> Result<()> {
        self.jobs.log(&self.id, line).await
    }
    /// Sets the final `status` with the time since the job started (milliseconds), when known.
    pub async fn finish(&self, status: &str) -> Result<()> {
        let duration = self.started.map(|s| s.elapsed().as_millis() as u64);
        self.jobs.update(&self.id, &JobUpdate { status: status.into(), duration, completed_at: None }).await
    }
    /// Reports the end of the job from its work's `outcome`: Completed, or the error logged
    /// (level `error`) and Failed. A failure to report is logged (tracing), not returned, so it
    /// never replaces the work's own outcome. What [`Jobs::run`] does after the work.
    pub async fn end<T>(&self, outcome: &Result<T>) {
        let reported = match outcome {
            Ok(_) => self.finish("Completed").await,
            Err(e) => self.fail(&e.to_string()).await,
        };
        if let Err(e) = reported {
            tracing::warn!(job = %self.id, "exto360: could not report the job's end: {e}");
        }
    }
    /// Logs `message` at level `error` and sets Failed.
    pub async fn fail(&self, message: &str) -> Result<()> {
        let message = if message.trim().is_empty() { "the job failed" } else { message };
        let logged = self.jobs.log(&self.id, &LogLine::new(message).level("error")).await;
        let set = self.finish("Failed").await;
        set.and(logged)
    }
}
