//! Shared by the emulator's tests: an emulator on port 0 and a plain reqwest client (no SDK
//! code), with small helpers that return status, headers and JSON.
#![allow(dead_code)]

use exto360_emulator::{Dataset, Emulator, EmulatorBuilder, Settings};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

pub struct T {
    pub emu: Emulator,
    pub http: reqwest::Client,
    pub token: String,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The first error detail of an envelope.
    pub fn detail(&self) -> String {
        self.body["error"]["detail"][0].as_str().unwrap_or_default().to_string()
    }
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        self.body
    }
    /// Asserts an error envelope with this status and a detail containing `needle`.
    pub fn error(self, status: u16, needle: &str) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.body["code"], json!(status), "envelope code: {}", self.body);
        assert!(self.body["timestamp"].is_string(), "{}", self.body);
        assert!(self.body["path"].as_str().is_some_and(|p| p.starts_with("/api/")), "{}", self.body);
        assert!(self.body["error"]["summary"].is_string(), "{}", self.body);
        assert!(self.detail().contains(needle), "detail {:?} lacks {needle:?}", self.body["error"]["detail"]);
        self.body
    }
}

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl T {
    pub async fn start() -> T {
        Self::with(Emulator::builder().rate_limit(None)).await
    }
    pub async fn with_settings(s: Settings) -> T {
        Self::with(Emulator::builder().settings(s)).await
    }
    pub async fn with_dataset(d: Dataset) -> T {
        Self::with(Emulator::builder().rate_limit(None).dataset(d)).await
    }
    pub async fn with(b: EmulatorBuilder) -> T {
        install_crypto();
        let emu = b.start().await.expect("emulator starts");
        let token = emu.token();
        T { emu, http: reqwest::Client::new(), token }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emu.url(), path)
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Resp {
        let mut rb = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .header("authorization", format!("Bearer {}", self.token));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(serde_json::to_vec(&b).unwrap());
        }
        let r = rb.send().await.expect("request is answered");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("body is read");
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Resp { status, headers, body }
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None, &[]).await
    }
    pub async fn get_in(&self, path: &str, project: &str) -> Resp {
        self.send("GET", path, None, &[("x-project-id", project)]).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send("POST", path, Some(body), &[]).await
    }
    pub async fn post_in(&self, path: &str, body: Value, project: &str) -> Resp {
        self.send("POST", path, Some(body), &[("x-project-id", project)]).await
    }
    pub async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut rb = self.http.request(method.parse().unwrap(), self.url(&format!("/__emulator{path}")));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("admin answers");
        assert!(r.status().is_success(), "admin {path}: {}", r.status());
        r.json().await.expect("admin JSON")
    }

    /// `customFields.<field>` of every row of a list answer.
    pub async fn codes(&self, path: &str, field: &str) -> Vec<Value> {
        let body = self.get(path).await.expect(200);
        body["rows"].as_array().expect("rows").iter().map(|r| r["customFields"][field].clone()).collect()
    }
}

pub fn generated(name: &str, count: usize) -> Dataset {
    let mut d = Dataset::demo();
    let extra: exto360_emulator::dataset::MasterSeed = serde_json::from_value(json!({
        "name": name, "unique": ["code"], "generate": {"count": count}
    }))
    .unwrap();
    d.tenants[0].masters.push(extra);
    d
}
