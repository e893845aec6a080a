//! `exto360` for Node: the native side. It holds no API logic — every operation is
//! `exto360::json::call` of the core, run on napi's tokio runtime (off the JS thread), with
//! results returned as JSON text for `JSON.parse` in JavaScript (faster than building objects
//! through N-API; see bench/node_bench.mjs). Errors reject with a message that is the error's
//! JSON form; `errors.js` turns it into the exported error classes.

mod arrow;
mod documents;

use std::sync::Arc;

use exto360::json;
use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

/// Marks error messages that carry an exto360 error as JSON.
const ERROR_PREFIX: &str = "exto360:";

/// The next item of a stream a JS object holds (a pager's pages, a download's chunks), or `None`
/// at its end; the stream is dropped at its end or at its first error, so later calls give `None`.
pub(crate) async fn next_of<S, T>(slot: &tokio::sync::Mutex<Option<S>>) -> Result<Option<T>>
where
    S: futures_util::Stream<Item = exto360::Result<T>> + Unpin,
{
    let mut guard = slot.lock().await;
    let Some(stream) = guard.as_mut() else { return Ok(None) };
    match stream.next().await {
        Some(Ok(item)) => Ok(Some(item)),
        Some(Err(e)) => {
            *guard = None;
            Err(to_napi(&e))
        }
        None => {
            *guard = None;
            Ok(None)
        }
    }
}

fn to_napi(e: &exto360::Error) -> Error {
    Error::new(Status::GenericFailure, format!("{ERROR_PREFIX}{}", json::error_json(e)))
}

fn invalid(msg: impl Into<String>) -> Error {
    to_napi(&exto360::Error::invalid_input(msg))
}

fn parse(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
}

/// The version of the native core: one number for every exto360 package.
#[napi]
pub fn version() -> &'static str {
    exto360::VERSION
}

#[napi]
pub struct NativeClient {
    pub(crate) client: exto360::Client,
    config: Value,
}

#[napi]
impl NativeClient {
    /// `configJson`: core settings (token, baseUrl, projectId, tenantId, timeout, maxRetries,
    /// rateLimit, retryWrites, userAgent); unset ones come from the EXTO360_* environment.
    #[napi(constructor)]
    pub fn new(config_json: String) -> Result<Self> {
        let config = parse("config", &config_json)?;
        let client = json::client_from_json(&config).map_err(|e| to_napi(&e))?;
        Ok(NativeClient { client, config })
    }

    /// A client for another project (`null`: tenant scope), sharing connections and limits.
    #[napi]
    pub fn with_project(&self, project_id: Option<String>) -> Result<NativeClient> {
        let client = match &project_id {
            Some(p) => self.client.with_project(p.clone()).map_err(|e| to_napi(&e))?,
            None => self.client.without_project(),
        };
        let mut config = self.config.clone();
        config["projectId"] = project_id.map(Value::String).unwrap_or(Value::Null);
        Ok(NativeClient { client, config })
    }

    /// `{baseUrl, projectId, tenantId}` as JSON — never the token.
    #[napi]
    pub fn describe(&self) -> String {
        serde_json::json!({
            "baseUrl": self.client.base_url(),
            "projectId": self.client.project_id(),
            "tenantId": self.config.get("tenantId"),
        })
        .to_string()
    }

    /// Runs an operation (`masters.list`, `users.get`, ...); resolves to its JSON text.
    #[napi]
    pub async fn call(&self, op: String, args_json: String) -> Result<String> {
        let args = parse("args", &args_json)?;
        json::call(&self.client, &op, &args).await.map_err(|e| to_napi(&e))
    }

    /// Like `call`, but resolves to objects built through N-API instead of JSON text (kept to
    /// measure against `JSON.parse`; the package uses `call`).
    #[napi]
    pub async fn call_objects(&self, op: String, args_json: String) -> Result<Value> {
        let args = parse("args", &args_json)?;
        let text = json::call(&self.client, &op, &args).await.map_err(|e| to_napi(&e))?;
        serde_json::from_str(&text).map_err(|e| invalid(format!("internal: {e}")))
    }

    /// Starts an iteration (`masters.iter`, `modules.iter`, `users.iter`).
    #[napi]
    pub fn pages(&self, op: String, args_json: String) -> Result<NativePager> {
        let args = parse("args", &args_json)?;
        let pages = json::pages(&self.client, &op, &args).map_err(|e| to_napi(&e))?;
        Ok(NativePager { pages: Arc::new(tokio::sync::Mutex::new(Some(pages))) })
    }
}

/// Pages of an iteration, fetched ahead in the background.
#[napi]
pub struct NativePager {
    pages: Arc<tokio::sync::Mutex<Option<json::PageTexts>>>,
}

#[napi]
impl NativePager {
    /// The next page as JSON text, or `null` after the last.
    #[napi]
    pub async fn next(&self) -> Result<Option<String>> {
        next_of(&self.pages).await
    }

    /// Stops the background fetching (also done when the pager is garbage-collected).
    #[napi]
    pub fn close(&self) {
        if let Ok(mut g) = self.pages.try_lock() {
            *g = None;
        }
    }
}

/// Renders a filter's JSON form in the API's grammar (throws on an invalid filter).
#[napi]
pub fn render_filter(spec_json: String) -> Result<String> {
    let spec = parse("filter", &spec_json)?;
    json::filter_from_json(&spec).render().map_err(|e| to_napi(&e))
}

/// The in-process emulator for `exto360/testing`.
#[napi]
pub struct NativeEmulator {
    emu: Option<exto360_emulator::Emulator>,
}

fn merge(base: Value, over: Option<String>, what: &str) -> Result<Value> {
    let mut base = base;
    if let Some(text) = over
        && let Value::Object(o) = parse(what, &text)? {
            for (k, v) in o {
                base[k] = v;
            }
        }
    Ok(base)
}

impl NativeEmulator {
    fn emu(&self) -> Result<&exto360_emulator::Emulator> {
        self.emu.as_ref().ok_or_else(|| Error::new(Status::GenericFailure, "the emulator has been stopped"))
    }
}

#[napi]
impl NativeEmulator {
    /// Starts an emulator on 127.0.0.1 (a free port), rate limit off unless set.
    #[napi(constructor)]
    pub fn new(dataset_json: Option<String>, settings_json: Option<String>, token: Option<String>) -> Result<Self> {
        use exto360_emulator::{Dataset, Emulator, Settings};
        let data = match dataset_json {
            Some(t) => Dataset::parse(&t).map_err(|e| Error::new(Status::InvalidArg, e))?,
            None => Dataset::demo(),
        };
        let base = serde_json::to_value(Settings { rate_limit: None, ..Default::default() }).unwrap_or_default();
        let settings: Settings = serde_json::from_value(merge(base, settings_json, "settings")?)
            .map_err(|e| Error::new(Status::InvalidArg, format!("invalid settings: {e}")))?;
        let mut b = Emulator::builder().dataset(data).settings(settings);
        if let Some(t) = token {
            b = b.token(t);
        }
        let emu = b.spawn().map_err(|e| Error::new(Status::GenericFailure, format!("cannot start the emulator: {e}")))?;
        Ok(NativeEmulator { emu: Some(emu) })
    }

    #[napi(getter)]
    pub fn url(&self) -> Result<String> {
        Ok(self.emu()?.url())
    }
    #[napi(getter)]
    pub fn token(&self) -> Result<String> {
        Ok(self.emu()?.token())
    }
    #[napi]
    pub fn journal(&self) -> Result<String> {
        Ok(Value::Array(self.emu()?.journal()).to_string())
    }
    #[napi]
    pub fn clear_journal(&self) -> Result<()> {
        self.emu()?.clear_journal();
        Ok(())
    }
    #[napi]
    pub fn reset(&self) -> Result<()> {
        self.emu()?.reset().map_err(|e| Error::new(Status::GenericFailure, e))
    }
    #[napi]
    pub fn set_faults(&self, faults_json: String) -> Result<()> {
        let specs = serde_json::from_value(parse("faults", &faults_json)?).map_err(|e| Error::new(Status::InvalidArg, format!("invalid fault: {e}")))?;
        self.emu()?.set_faults(specs).map_err(|e| Error::new(Status::InvalidArg, e))
    }
    #[napi]
    pub fn configure(&self, settings_json: String) -> Result<String> {
        let emu = self.emu()?;
        let cur = serde_json::to_value(emu.shared().settings()).unwrap_or_default();
        let s = serde_json::from_value(merge(cur, Some(settings_json), "settings")?)
            .map_err(|e| Error::new(Status::InvalidArg, format!("invalid settings: {e}")))?;
        emu.shared().set_settings(s).map_err(|e| Error::new(Status::InvalidArg, e))?;
        Ok(serde_json::to_string(&emu.shared().settings()).unwrap_or_default())
    }
    #[napi]
    pub fn load_dataset(&self, dataset_json: String) -> Result<()> {
        let d = exto360_emulator::Dataset::parse(&dataset_json).map_err(|e| Error::new(Status::InvalidArg, e))?;
        self.emu()?.shared().load(d).map_err(|e| Error::new(Status::InvalidArg, e))
    }
    /// Every stored record of `kind` ("masters"/"modules") `name`, as JSON.
    #[napi]
    pub fn records(&self, kind: String, name: String) -> Result<String> {
        let emu = self.emu()?;
        let world = emu.shared().world();
        let Some(t) = world.tenants.first() else { return Ok("[]".into()) };
        let coll = match kind.as_str() {
            "masters" => t.masters.get(&name.to_uppercase()),
            "modules" => t.modules.get(&name.to_uppercase()),
            _ => return Err(Error::new(Status::InvalidArg, "kind must be 'masters' or 'modules'")),
        };
        let rows: Vec<Value> = coll.map(|c| c.records.iter().map(|r| serde_json::to_value(r).unwrap_or_default()).collect()).unwrap_or_default();
        Ok(Value::Array(rows).to_string())
    }
    #[napi]
    pub fn close(&mut self) {
        if let Some(e) = self.emu.take() {
            e.stop();
        }
    }
}

/// Runs the `exto360` command line (program name first) in this process and returns its exit
/// status. It blocks the calling thread until the command ends: it is what the package's
/// `exto360` bin runs, not an API for applications.
#[napi]
pub fn run_cli(argv: Vec<String>) -> i32 {
    exto360_cli::run(argv)
}
