//! Shared by the core's tests: an emulator on port 0 and clients pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use exto360::{Client, ClientBuilder};
use exto360_emulator::{Dataset, Emulator, EmulatorBuilder, FaultSpec};
use serde_json::{Value, json};

pub struct Env {
    pub emu: Emulator,
}

impl Env {
    pub async fn start() -> Env {
        Self::with(Emulator::builder().rate_limit(None)).await
    }
    pub async fn with(b: EmulatorBuilder) -> Env {
        Env { emu: b.start().await.expect("emulator starts") }
    }
    pub async fn with_dataset(d: Dataset) -> Env {
        Self::with(Emulator::builder().rate_limit(None).dataset(d)).await
    }
    /// A builder with no client-side rate limit and short backoffs, so tests run fast.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.emu.url())
            .token(self.emu.token())
            .rate_limit(None)
            .initial_backoff(Duration::from_millis(5))
            .max_backoff(Duration::from_millis(20))
    }
    pub fn client(&self) -> Client {
        self.builder().build().expect("client builds")
    }
    pub fn faults(&self, faults: Value) {
        let list: Vec<FaultSpec> = serde_json::from_value(match faults {
            Value::Array(_) => faults,
            one => json!([one]),
        })
        .expect("fault spec");
        self.emu.set_faults(list).expect("faults accepted");
    }
    /// Journal entries of API requests (method, path, params, body ...).
    pub fn journal(&self) -> Vec<Value> {
        self.emu.journal()
    }
    pub fn requests_to(&self, path_part: &str) -> Vec<Value> {
        self.journal().into_iter().filter(|e| e["path"].as_str().unwrap_or_default().contains(path_part)).collect()
    }
    /// Every stored record of a master/module, straight from the emulator's state.
    pub fn stored(&self, kind: &str, name: &str) -> Vec<Value> {
        let world = self.emu.shared().world();
        let t = &world.tenants[0];
        let map = if kind == "masters" { &t.masters } else { &t.modules };
        map.get(name).map(|c| c.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect()).unwrap_or_default()
    }
}

/// Param value of a journal entry.
pub fn param(entry: &Value, name: &str) -> Option<String> {
    entry["params"].as_array()?.iter().rev().find(|p| p[0] == name).map(|p| p[1].as_str().unwrap().to_string())
}

pub fn generated(name: &str, count: usize) -> Dataset {
    let mut d = Dataset::demo();
    d.tenants[0].masters.push(serde_json::from_value(json!({"name": name, "unique": ["code"], "generate": {"count": count}})).unwrap());
    d
}
