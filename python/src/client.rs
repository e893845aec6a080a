//! `NativeClient` and `NativePager`: the Python layer's handles on the core. Every operation
//! goes through `exto360::json`; this file only moves values between Python and the core.

use std::sync::{Arc, Mutex};

use exto360::DecodedPage;
use exto360::json::{self, Answer};
use futures_util::StreamExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::{tape_to_py, to_value};
use crate::errors::to_py;
use crate::runtime;
use crate::tape::Tape;

/// A core client, rebuilt from its config in a forked child (its pool belongs to the parent).
#[pyclass(frozen, module = "exto360._native")]
pub struct NativeClient {
    config: Value,
    state: Mutex<(u32, exto360::Client)>,
}

impl NativeClient {
    pub(crate) fn client(&self) -> PyResult<exto360::Client> {
        let pid = std::process::id();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.0 != pid {
            let c = Python::attach(|py| json::client_from_json(&self.config).map_err(|e| to_py(py, &e)))?;
            *st = (pid, c);
        }
        Ok(st.1.clone())
    }
}

pub(crate) fn args_value(args: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    match args {
        Some(a) => to_value(a.as_any(), "args"),
        None => Ok(Value::Object(Default::default())),
    }
}

/// An answer parsed on the runtime thread (off the GIL), ready for `parsed_to_py`.
enum Tree {
    Page(DecodedPage<Tape>),
    Value(Tape),
}
type Parsed = exto360::Result<Result<Tree, String>>;

/// Parses the JSON text of an answer (a page's rows were parsed in the core's pass already).
fn parse(r: exto360::Result<Answer<Tape>>) -> Parsed {
    r.map(|a| match a {
        Answer::Text(text) => Tape::parse(text).map(Tree::Value),
        Answer::Page(page) => Ok(Tree::Page(page)),
    })
}

fn parsed_to_py(py: Python<'_>, r: Parsed) -> PyResult<Py<PyAny>> {
    match r {
        Ok(Ok(Tree::Value(tape))) => Ok(tape_to_py(py, &tape)?.unbind()),
        Ok(Ok(Tree::Page(page))) => Ok(page_to_dict(py, page)?.into_any().unbind()),
        Ok(Err(e)) => Err(PyRuntimeError::new_err(format!("exto360: internal error: the core returned invalid JSON: {e}"))),
        Err(e) => Err(to_py(py, &e)),
    }
}

/// A page in the normal form `{rows, total, page, pageSize, totalPages}`.
fn page_to_dict(py: Python<'_>, page: DecodedPage<Tape>) -> PyResult<Bound<'_, PyDict>> {
    let rows = page.rows.with_text(page.body);
    let d = PyDict::new(py);
    d.set_item("rows", tape_to_py(py, &rows)?)?;
    d.set_item("total", page.total)?;
    d.set_item("page", page.page)?;
    d.set_item("pageSize", page.page_size)?;
    d.set_item("totalPages", page.total_pages)?;
    Ok(d)
}

#[pymethods]
impl NativeClient {
    /// `config`: a dict of core settings (see `exto360::json::builder_from_json`); unset ones
    /// come from the `EXTO360_*` environment.
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyDict>) -> PyResult<Self> {
        let config = to_value(config.as_any(), "config")?;
        let client = json::client_from_json(&config).map_err(|e| to_py(py, &e))?;
        Ok(NativeClient { config, state: Mutex::new((std::process::id(), client)) })
    }

    /// A client for another project (`None`: tenant scope), sharing nothing mutable.
    fn with_project(&self, py: Python<'_>, project_id: Option<String>) -> PyResult<NativeClient> {
        let base = self.client()?;
        let client = match &project_id {
            Some(p) => base.with_project(p.clone()).map_err(|e| to_py(py, &e))?,
            None => base.without_project(),
        };
        let mut config = self.config.clone();
        config["projectId"] = project_id.map(Value::String).unwrap_or(Value::Null);
        Ok(NativeClient { config, state: Mutex::new((std::process::id(), client)) })
    }

    /// Base URL, project and tenant (never the token), for `repr()`.
    fn describe(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.client()?;
        let d = PyDict::new(py);
        d.set_item("base_url", c.base_url())?;
        d.set_item("project_id", c.project_id())?;
        d.set_item("tenant_id", self.config.get("tenantId").and_then(Value::as_str))?;
        Ok(d.into_any().unbind())
    }

    /// Runs `op` and waits (GIL released, Ctrl-C honoured).
    #[pyo3(signature = (op, args=None))]
    fn call(&self, py: Python<'_>, op: String, args: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let args = args_value(args)?;
        let client = self.client()?;
        let out = runtime::block_on(py, async move { parse(json::call_decoded(&client, &op, &args).await) })?;
        parsed_to_py(py, out)
    }

    /// Runs `op` and returns an asyncio future of its result.
    #[pyo3(signature = (op, args=None))]
    fn call_async<'py>(&self, py: Python<'py>, op: String, args: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
        let args = args_value(args)?;
        let client = self.client()?;
        runtime::future_into_py(py, async move { parse(json::call_decoded(&client, &op, &args).await) }, parsed_to_py)
    }

    /// Starts an iteration (`masters.iter`, `modules.iter`, `users.iter`, `subTable.iter`,
    /// `hierarchy.iter`, `workflow.iter`).
    #[pyo3(signature = (op, args=None))]
    fn pages(&self, py: Python<'_>, op: String, args: Option<&Bound<'_, PyDict>>) -> PyResult<NativePager> {
        let args = args_value(args)?;
        let client = self.client()?;
        let pages = json::pages_decoded::<Tape>(&client, &op, &args).map_err(|e| to_py(py, &e))?;
        Ok(NativePager::new(pages.map(|r| r.map(Answer::Page))))
    }

    /// Starts `modules.expand`: each `next_page` gives one expanded record (a dict).
    #[pyo3(signature = (args=None))]
    fn expand(&self, py: Python<'_>, args: Option<&Bound<'_, PyDict>>) -> PyResult<NativePager> {
        let args = args_value(args)?;
        let client = self.client()?;
        let records = json::expand(&client, &args).map_err(|e| to_py(py, &e))?;
        Ok(NativePager::new(records.map(|r| r.map(Answer::Text))))
    }
}

/// Items of an iteration: pages (rows read by the tape in the core's pass) or JSON texts.
type PageStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = exto360::Result<Answer<Tape>>> + Send>>;

/// Pages of an iteration, fetched ahead in the background. `None` marks the end.
#[pyclass(frozen, module = "exto360._native")]
pub struct NativePager {
    pid: u32,
    pages: Arc<tokio::sync::Mutex<Option<PageStream>>>,
}

impl NativePager {
    fn new(items: impl futures_util::Stream<Item = exto360::Result<Answer<Tape>>> + Send + 'static) -> NativePager {
        NativePager { pid: std::process::id(), pages: Arc::new(tokio::sync::Mutex::new(Some(Box::pin(items)))) }
    }

    fn check_pid(&self) -> PyResult<()> {
        if self.pid != std::process::id() {
            return Err(PyRuntimeError::new_err("this iteration was started before os.fork(); start a new one in the child process"));
        }
        Ok(())
    }
}

/// The next page, parsed on the runtime thread.
async fn next_page(pages: Arc<tokio::sync::Mutex<Option<PageStream>>>) -> Option<Parsed> {
    let mut guard = pages.lock().await;
    let stream = guard.as_mut()?;
    let item = stream.next().await;
    if !matches!(item, Some(Ok(_))) {
        *guard = None; // ended or failed: release the task and stop
    }
    item.map(parse)
}

fn page_to_py(py: Python<'_>, item: Option<Parsed>) -> PyResult<Py<PyAny>> {
    match item {
        None => Ok(py.None()),
        Some(r) => parsed_to_py(py, r),
    }
}

#[pymethods]
impl NativePager {
    /// The next page as a dict (`rows`, `total`, ...), or `None` after the last.
    fn next_page(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.check_pid()?;
        let item = runtime::block_on(py, next_page(self.pages.clone()))?;
        page_to_py(py, item)
    }

    /// `next_page` as an asyncio future.
    fn next_page_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.check_pid()?;
        runtime::future_into_py(py, next_page(self.pages.clone()), page_to_py)
    }

    /// Stops the background fetching.
    fn close(&self) {
        if let Ok(mut g) = self.pages.try_lock() {
            *g = None;
        }
    }
}
