//! Rate limit, fault injection, journal, reset and datasets.
mod common;
use std::time::{Duration, Instant};

use common::*;
use exto360_emulator::{Emulator, Settings};
use serde_json::{Value, json};

const L: &str = "/api/v1/master-record/LOCATION";

#[tokio::test]
async fn a_burst_over_the_rate_limit_gets_429_with_retry_after() {
    let t = T::with_settings(Settings::default()).await; // 3 requests/second
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let r = t.get(L).await;
        if r.status == 429 {
            retry_after = r.headers.get("retry-after").map(|v| v.to_str().unwrap().to_string());
            assert_eq!(r.body["error"]["summary"], "Too Many Requests");
        }
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    let secs: u64 = retry_after.expect("Retry-After is sent").parse().unwrap();
    assert!((1..=1).contains(&secs));
    // Health checks carry no token and are not limited per token; other tokens have their own budget.
    assert_eq!(t.http.get(t.url("/api/v1/health/liveness")).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(t.get(L).await.status, 200, "the budget refills");
}

#[tokio::test]
async fn rate_limit_is_configurable_and_can_be_off() {
    let t = T::with_settings(Settings { rate_limit: Some(10), ..Default::default() }).await;
    let ok = futures_count(&t, 10).await;
    assert_eq!(ok, 10);
    t.admin("PATCH", "/config", Some(json!({"rateLimit": 1}))).await;
    let first = t.get(L).await.status;
    let second = t.get(L).await.status;
    assert_eq!((first, second), (200, 429));
    t.admin("PATCH", "/config", Some(json!({"rateLimit": null}))).await;
    assert_eq!(futures_count(&t, 50).await, 50);
}

async fn futures_count(t: &T, n: usize) -> usize {
    let mut ok = 0;
    for _ in 0..n {
        if t.get(L).await.status == 200 {
            ok += 1;
        }
    }
    ok
}

#[tokio::test]
async fn status_faults_with_retry_after_and_a_count() {
    let t = T::start().await;
    t.admin("POST", "/faults", Some(json!({"faults": [{"kind": "status", "status": 503, "retryAfter": 2, "times": 2, "path": "/api/v1/master-record"}]}))).await;
    let r = t.get(L).await;
    assert_eq!(r.headers.get("retry-after").unwrap(), "2");
    r.error(503, "Injected fault");
    t.get(L).await.error(503, "Injected fault");
    t.get(L).await.expect(200);
    // Other paths were never affected.
    t.get("/api/v1/user/groups").await.expect(200);
    let faults = t.admin("GET", "/faults", None).await;
    assert_eq!(faults["faults"][0]["hits"], 2);
}

#[tokio::test]
async fn faults_match_method_and_can_skip_and_send_a_custom_body() {
    let t = T::start().await;
    t.admin("POST", "/faults", Some(json!([{"kind": "status", "status": 502, "method": "POST", "skip": 1, "times": 1, "body": "<html>bad gateway</html>"}]))).await;
    t.get(L).await.expect(200);
    t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "a"}])).await.expect(201);
    let r = t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "b"}])).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.body, json!("<html>bad gateway</html>"));
    t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "c"}])).await.expect(201);
    // The faulted request wrote nothing.
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 2);
}

#[tokio::test]
async fn latency_faults_delay_the_answer() {
    let t = T::start().await;
    t.admin("POST", "/faults", Some(json!({"kind": "latency", "latencyMs": 300}))).await;
    let start = Instant::now();
    t.get(L).await.expect(200);
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn reset_faults_drop_the_connection_without_doing_the_work() {
    let t = T::start().await;
    t.admin("POST", "/faults", Some(json!({"kind": "reset", "times": 1, "method": "POST"}))).await;
    let err = t
        .http
        .post(t.url("/api/v1/master-record/VENDOR"))
        .bearer_auth(&t.token)
        .json(&json!([{"vendor_id": "a"}]))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map(|_| ());
    let msg = format!("{:?}", err.expect_err("the connection is dropped"));
    assert!(msg.contains("connection") || msg.contains("Incomplete") || msg.contains("closed"), "{msg}");
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 0);
    let j = t.admin("GET", "/journal", None).await;
    let entry = j["entries"].as_array().unwrap().iter().find(|e| e["method"] == "POST").unwrap().clone();
    assert_eq!(entry["fault"], "reset");
}

#[tokio::test]
async fn truncate_faults_do_the_work_but_cut_the_answer() {
    let t = T::start().await;
    t.admin("POST", "/faults", Some(json!({"kind": "truncate", "times": 1, "method": "POST"}))).await;
    let r = t.http.post(t.url("/api/v1/master-record/VENDOR")).bearer_auth(&t.token).json(&json!([{"vendor_id": "a"}])).send().await;
    let body = match r {
        Ok(resp) => resp.bytes().await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(body.is_err(), "the body is incomplete");
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 1, "the write happened");
}

#[tokio::test]
async fn after_work_faults_do_the_work_then_fail_and_the_journal_says_so() {
    let t = T::start().await;
    t.admin(
        "POST",
        "/faults",
        Some(json!([
            {"kind": "status", "status": 503, "afterWork": true, "times": 1, "method": "POST"},
            {"kind": "reset", "afterWork": true, "times": 1, "method": "POST"},
            {"kind": "status", "status": 503, "times": 1, "method": "POST"},
            {"kind": "reset", "times": 1, "method": "POST"}
        ])),
    )
    .await;
    let p = "/api/v1/master-record/VENDOR";
    t.post(p, json!([{"vendor_id": "a"}])).await.error(503, "Injected fault");
    let lost = t.http.post(t.url(p)).bearer_auth(&t.token).json(&json!([{"vendor_id": "b"}])).send().await;
    assert!(lost.is_err() || lost.unwrap().bytes().await.is_err(), "the connection is dropped");
    t.post(p, json!([{"vendor_id": "c"}])).await.error(503, "Injected fault");
    let lost = t.http.post(t.url(p)).bearer_auth(&t.token).json(&json!([{"vendor_id": "d"}])).send().await;
    assert!(lost.is_err() || lost.unwrap().bytes().await.is_err());
    let codes: Vec<Value> = t.get(p).await.expect(200)["rows"].as_array().unwrap().iter().map(|r| r["customFields"]["vendor_id"].clone()).collect();
    assert!(codes.contains(&json!("a")) && codes.contains(&json!("b")), "after-work faults wrote: {codes:?}");
    assert!(!codes.contains(&json!("c")) && !codes.contains(&json!("d")), "plain faults did not: {codes:?}");
    let journal = t.admin("GET", "/journal", None).await;
    let posts: Vec<(Value, Value, Value)> =
        journal["entries"].as_array().unwrap().iter().filter(|e| e["method"] == "POST").map(|e| (e["status"].clone(), e["fault"].clone(), e["applied"].clone())).collect();
    assert_eq!(
        posts,
        vec![
            (json!(503), json!("status-after-work"), json!(true)),
            (json!(0), json!("reset-after-work"), json!(true)),
            (json!(503), json!("status"), json!(false)),
            (json!(0), json!("reset"), json!(false)),
        ]
    );
    let bad = t.http.post(t.url("/__emulator/faults")).json(&json!([{"kind": "truncate", "afterWork": true}])).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn seeded_probability_is_repeatable() {
    async fn run() -> Vec<u16> {
        let t = T::start().await;
        t.admin("POST", "/faults", Some(json!({"kind": "status", "status": 500, "probability": 0.5, "seed": 7}))).await;
        let mut out = Vec::new();
        for _ in 0..20 {
            out.push(t.get(L).await.status);
        }
        out
    }
    let a = run().await;
    let b = run().await;
    assert_eq!(a, b);
    let failures = a.iter().filter(|s| **s == 500).count();
    assert!((3..=17).contains(&failures), "about half fail: {a:?}");
}

#[tokio::test]
async fn invalid_faults_are_refused() {
    let t = T::start().await;
    for bad in [json!({"kind": "status"}), json!({"kind": "latency"}), json!({"kind": "status", "status": 99}), json!({"kind": "boom"}), json!({"kind": "reset", "probability": 2})] {
        let r = t.http.post(t.url("/__emulator/faults")).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn journal_masks_the_token_and_reset_restores_the_dataset() {
    let t = T::start().await;
    t.send("POST", "/data/api/v1/master-record/VENDOR?x=1", Some(json!([{"vendor_id": "V9"}])), &[("x-project-id", "Vx6-j2Z")]).await.expect(201);
    let j = t.admin("GET", "/journal", None).await;
    let e = &j["entries"][0];
    assert_eq!(e["method"], "POST");
    assert_eq!(e["path"], "/data/api/v1/master-record/VENDOR");
    assert_eq!(e["query"], "x=1");
    assert_eq!(e["params"], json!([["x", "1"]]));
    assert_eq!(e["headers"]["authorization"], "Bearer ***");
    assert_eq!(e["headers"]["x-project-id"], "Vx6-j2Z");
    assert_eq!(e["body"], json!([{"vendor_id": "V9"}]));
    assert_eq!(e["status"], 201);
    assert!(!serde_json::to_string(&j).unwrap().contains(&t.token), "the token never appears in the journal");

    t.admin("POST", "/faults", Some(json!({"kind": "latency", "latencyMs": 1}))).await;
    t.admin("POST", "/reset", None).await;
    assert_eq!(t.admin("GET", "/journal", None).await["entries"], json!([]));
    assert_eq!(t.admin("GET", "/faults", None).await["faults"], json!([]));
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 0);
    // After a reset the same requests produce the same ids.
    let a = t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "V9"}])).await.expect(201);
    t.admin("POST", "/reset", None).await;
    let b = t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "V9"}])).await.expect(201);
    assert_eq!(a["insertedIds"], b["insertedIds"]);
}

#[tokio::test]
async fn datasets_load_from_json_or_yaml_and_frozen_time_is_used() {
    let t = T::start().await;
    let yaml = r#"
tenants:
  - id: t1
    tokens: [{token: yaml-token, user: me@x.com}]
    masters:
      - name: thing
        unique: [k]
        records:
          - fields: {k: a, n: 1}
"#;
    let r = t.http.put(t.url("/__emulator/dataset")).body(yaml).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    t.admin("PATCH", "/config", Some(json!({"frozenTime": "2025-02-27T02:20:06.958Z"}))).await;
    let r = t.http.post(t.url("/api/v1/master-record/THING")).bearer_auth("yaml-token").json(&json!([{"k": "b"}])).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r: Value = t.http.get(t.url("/api/v1/master-record/THING?filter=k:eq:b")).bearer_auth("yaml-token").send().await.unwrap().json().await.unwrap();
    assert_eq!(r["rows"][0]["createdAt"], "2025-02-27T02:20:06.958Z");
    assert_eq!(r["rows"][0]["tenantID"], "t1");
    // The old token no longer works; a bad dataset is refused and changes nothing.
    assert_eq!(t.get(L).await.status, 401);
    let r = t.http.put(t.url("/__emulator/dataset")).body("{\"tenants\": 3}").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = t.http.put(t.url("/__emulator/dataset")).json(&json!({"builtin": "demo"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(t.get(L).await.status, 200);
}

#[tokio::test]
async fn library_handle_exposes_journal_reset_and_faults() {
    install_crypto();
    let emu = Emulator::builder().rate_limit(None).token("lib-token").start().await.unwrap();
    assert_eq!(emu.token(), "lib-token");
    let http = reqwest::Client::new();
    emu.set_faults(vec![serde_json::from_value(json!({"kind": "status", "status": 504, "times": 1})).unwrap()]).unwrap();
    let r = http.get(format!("{}/api/v1/user/groups", emu.url())).bearer_auth("lib-token").send().await.unwrap();
    assert_eq!(r.status(), 504);
    assert_eq!(emu.journal().len(), 1);
    emu.reset().unwrap();
    assert!(emu.journal().is_empty());
    emu.shutdown().await;
}
