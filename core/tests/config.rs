//! Configuration from the environment, the client-side rate limit, and the blocking client.
mod common;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;
use exto360::{ClientBuilder, ErrorKind, ListOptions};
use exto360_emulator::{Emulator, Settings};
use serde_json::json;

// Environment variables are process-wide; tests that set them take turns.
static ENV_LOCK: Mutex<()> = Mutex::new(());

fn clear_env() {
    for v in ["EXTO360_TOKEN", "EXTO360_BASE_URL", "EXTO360_PROJECT_ID", "EXTO360_TENANT_ID", "EXTO360_WORKSPACE_ID", "EXTO360_TIMEOUT", "EXTO360_MAX_RETRIES", "EXTO360_RATE_LIMIT"] {
        // SAFETY: serialized by ENV_LOCK; no other thread of this test binary reads these.
        unsafe { std::env::remove_var(v) };
    }
}

fn set(k: &str, v: &str) {
    // SAFETY: as above.
    unsafe { std::env::set_var(k, v) };
}

#[tokio::test]
async fn from_env_reads_every_variable() {
    let env = Env::start().await;
    let _g = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    clear_env();
    set("EXTO360_TOKEN", &env.emu.token());
    set("EXTO360_BASE_URL", &format!("{}/data", env.emu.url()));
    set("EXTO360_PROJECT_ID", "Vx6-j2Z");
    set("EXTO360_TENANT_ID", "cwWdTZK");
    set("EXTO360_WORKSPACE_ID", "ws1");
    set("EXTO360_TIMEOUT", "2.5");
    set("EXTO360_MAX_RETRIES", "0");
    set("EXTO360_RATE_LIMIT", "off");
    let client = exto360::Client::from_env().unwrap();
    clear_env();
    env.faults(json!({"kind": "status", "status": 503, "times": 1}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.retries(), 0, "EXTO360_MAX_RETRIES=0");
    client.masters("LOCATION").list(&ListOptions::new()).await.unwrap();
    let j = env.journal();
    let h = &j[1]["headers"];
    assert_eq!(j[1]["path"], "/data/api/v1/master-record/LOCATION");
    assert_eq!(h["x-project-id"], "Vx6-j2Z");
    assert_eq!(h["x-tenant-id"], "cwWdTZK");
    assert_eq!(h["x-workspace-id"], "ws1");
    let dbg = format!("{client:?}");
    assert!(dbg.contains("rate_limit: None"), "{dbg}");
}

#[test]
fn malformed_env_values_name_the_variable() {
    let _g = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    for (var, val) in [
        ("EXTO360_TIMEOUT", "soon"),
        ("EXTO360_TIMEOUT", "1e20"),
        ("EXTO360_TIMEOUT", "18446744073709551616"),
        ("EXTO360_TIMEOUT", "inf"),
        ("EXTO360_MAX_RETRIES", "-1"),
        ("EXTO360_MAX_RETRIES", "4294967296"),
        ("EXTO360_RATE_LIMIT", "fast"),
        ("EXTO360_RATE_LIMIT", "1e-300"),
        ("EXTO360_RATE_LIMIT", "NaN"),
    ] {
        clear_env();
        set("EXTO360_TOKEN", "t");
        set(var, val);
        let e = exto360::Client::from_env().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains(var), "{e}");
    }
    clear_env();
    let e = exto360::Client::from_env().unwrap_err();
    assert!(e.message().contains("EXTO360_TOKEN"), "{e}");
    // Explicit settings override the environment.
    set("EXTO360_TOKEN", "from-env");
    set("EXTO360_PROJECT_ID", "envproj");
    let c = ClientBuilder::from_env().project_id("explicit").build().unwrap();
    assert_eq!(c.project_id(), Some("explicit"));
    clear_env();
}

#[tokio::test]
async fn the_client_keeps_to_3_requests_per_second_against_a_3_rps_server() {
    let env = Env::with(Emulator::builder().settings(Settings::default())).await;
    let client = env.builder().rate_limit(Some(3.0)).build().unwrap();
    let clone = client.with_project("Vx6-j2Z").unwrap();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let c = if i % 2 == 0 { client.clone() } else { clone.clone() };
        tasks.push(tokio::spawn(async move { c.masters("LOCATION").list(&ListOptions::new()).await.map(|p| p.rows.len()) }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let elapsed = start.elapsed();
    // 10 requests at 3/s, shared by the clones: the last leaves after ~3 s.
    assert!(elapsed >= Duration::from_millis(2900), "{elapsed:?}");
    let statuses: Vec<u64> = env.journal().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "no 429 from the server: {statuses:?}");
}

#[test]
fn the_blocking_client_works_from_several_threads() {
    let emu = Emulator::builder().rate_limit(None).spawn().unwrap();
    let client = exto360::blocking::Client::from_builder(exto360::Client::builder().base_url(emu.url()).token(emu.token()).rate_limit(None)).unwrap();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let c = client.clone();
            std::thread::spawn(move || {
                let code = format!("T{i}");
                c.masters("VENDOR").upsert(&[json!({"vendor_id": code})]).unwrap();
                let rows: Vec<_> = c.masters("LOCATION").iter(ListOptions::new().page_size(2)).collect::<Result<_, _>>().unwrap();
                rows.len()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 6);
    }
    let page = client.masters("VENDOR").list(&ListOptions::new()).unwrap();
    assert_eq!(page.rows.len(), 8);
    assert!(client.health().readiness().unwrap().ok);
    let e = client.masters("NOPE").list(&ListOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // An error ends a blocking iteration.
    let mut it = client.masters("NOPE").iter(ListOptions::new());
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
    emu.stop();
}

#[tokio::test]
async fn the_blocking_client_refuses_to_block_inside_a_runtime() {
    let env = Env::start().await;
    let b = env.builder();
    let client = tokio::task::spawn_blocking(move || exto360::blocking::Client::from_builder(b).unwrap()).await.unwrap();
    let e = client.masters("LOCATION").list(&ListOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.message().contains("inside an async runtime"));
    drop(client); // dropping its runtime here must not panic either
}

#[test]
fn json_config_numbers_out_of_range_are_refused_not_panics() {
    let _g = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    clear_env();
    let base = || json!({"token": "t", "baseUrl": "http://127.0.0.1:1"});
    for (key, val, needle) in [
        ("timeout", json!(1e20), "timeout must be a number of seconds, more than 0 and at most 86400"),
        ("timeout", json!(18446744073709551616.0), "at most 86400"),
        ("timeout", json!(1e300), "at most 86400"),
        ("timeout", json!(-1), "more than 0"),
        ("connectTimeout", json!(1e20), "connectTimeout must be"),
        ("initialBackoff", json!(1e10), "at most 3600"),
        ("rateLimit", json!(1e-300), "between 0.001 and 10000"),
        ("rateLimit", json!(1e300), "between 0.001 and 10000"),
        ("rateLimit", json!(-3), "between 0.001 and 10000"),
        ("maxRetries", json!(1_000_000), "max retries must be at most 100"),
        ("maxRetries", json!(18446744073709551616.0), "whole number"),
        ("bulkConcurrency", json!(0), "bulk concurrency must be between 1 and 64"),
        ("prefetchPages", json!(100000), "prefetch pages must be between 1 and 64"),
    ] {
        let mut cfg = base();
        cfg[key] = val.clone();
        let e = exto360::json::client_from_json(&cfg).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{key}={val}");
        assert!(e.message().contains(needle), "{key}={val}: {e}");
    }
    let mut ok = base();
    ok["timeout"] = json!(86400);
    ok["rateLimit"] = json!(0.001);
    ok["maxRetries"] = json!(100);
    ok["initialBackoff"] = json!(0.001);
    assert!(exto360::json::client_from_json(&ok).is_ok());
}

#[tokio::test]
async fn a_missing_list_argument_is_an_error_not_an_empty_list() {
    // A misspelt key (`usernames` → `usernams`) must not report success having done nothing.
    let client = exto360::Client::builder().token("t").base_url("http://127.0.0.1:1").rate_limit(None).max_retries(0).build().unwrap();
    for (op, args) in [
        ("users.deactivate", json!({"usernams": ["a@x.com"]})),
        ("users.activate", json!({"usernames": null})),
        ("workflow.act", json!({"module": "M", "action": "Submit", "userName": "u@x.com"})),
        ("users.removeProjectAccess", json!({"username": "u@x.com"})),
        ("masters.delete", json!({"name": "M", "key": "refId", "userName": "u@x.com"})),
    ] {
        let e = exto360::json::call(&client, op, &args).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{op}");
        assert!(e.message().contains("is required"), "{op}: {e}");
    }
    // An explicit empty list still means nothing to do.
    assert!(exto360::json::call(&client, "users.deactivate", &json!({"usernames": []})).await.is_ok());
}
