//! Error kinds for every status, retries (429, 503, resets) with Retry-After, the POST policy,
//! and the token's absence from every error and debug output.
mod common;
use std::time::{Duration, Instant};

use common::*;
use exto360::{ActOptions, Client, ErrorKind, ListOptions};
use serde_json::json;

#[tokio::test]
async fn every_error_status_maps_to_its_kind() {
    let env = Env::start().await;
    let client = env.builder().max_retries(0).build().unwrap();
    let cases = [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Unauthorized),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (405, ErrorKind::BadRequest),
        (413, ErrorKind::BadRequest),
        (422, ErrorKind::BadRequest),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::Server),
        (502, ErrorKind::Server),
        (503, ErrorKind::Server),
        (504, ErrorKind::Server),
    ];
    for (status, kind) in cases {
        env.faults(json!({"kind": "status", "status": status, "times": 1}));
        let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
        assert_eq!(e.kind(), kind, "status {status}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.details(), ["Injected fault"]);
        assert!(e.summary().is_some());
        assert_eq!(e.path(), Some("/api/v1/master-record/LOCATION"));
    }
}

#[tokio::test]
async fn non_envelope_bodies_still_give_a_clear_error() {
    let env = Env::start().await;
    let client = env.builder().max_retries(0).build().unwrap();
    env.faults(json!({"kind": "status", "status": 502, "body": "<html><body>Bad gateway</body></html>"}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(502)));
    assert!(e.message().contains("Bad gateway"), "{e}");
    env.faults(json!({"kind": "status", "status": 200, "body": "not json"}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    env.faults(json!({"kind": "status", "status": 200, "body": {"rows": "nope"}}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
}

#[tokio::test]
async fn real_server_answers_map_too() {
    let env = Env::start().await;
    let bad_token = env.builder().token("wrong").build().unwrap();
    let e = bad_token.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Unauthorized, Some(401)));
    assert_eq!(e.details(), ["Invalid authentication token"]);
    let e = env.builder().project_id("zzz").build().unwrap().masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let e = env.client().users().get("ghost@x.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn retries_503_twice_then_succeeds() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 503, "times": 2}));
    let page = env.client().masters("LOCATION").list(&ListOptions::new()).await.unwrap();
    assert_eq!(page.rows.len(), 6);
    let statuses: Vec<_> = env.journal().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![503, 503, 200]);
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 429, "retryAfter": 1, "times": 1}));
    let start = Instant::now();
    env.client().masters("LOCATION").list(&ListOptions::new()).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(1), "waited {:?}", start.elapsed());
    assert_eq!(env.journal().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_not_waited_for() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 429, "retryAfter": 3600}));
    let start = Instant::now();
    let e = env.client().masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(env.journal().len(), 1);
}

#[tokio::test]
async fn retries_exhausted_reports_the_count() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 503}));
    let e = env.builder().max_retries(2).build().unwrap().masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.retries(), 2);
    assert_eq!(env.journal().len(), 3);
    assert!(e.to_string().contains("after 2 retries"), "{e}");
}

#[tokio::test]
async fn get_is_retried_after_a_connection_reset() {
    let env = Env::start().await;
    env.faults(json!({"kind": "reset", "times": 1}));
    let page = env.client().masters("LOCATION").list(&ListOptions::new()).await.unwrap();
    assert_eq!(page.rows.len(), 6);
    assert_eq!(env.journal().len(), 2);
}

#[tokio::test]
async fn post_is_not_retried_after_a_500_or_a_reset_unless_opted_in() {
    let env = Env::start().await;
    let wf = ActOptions::new("Submit", "johndoe@exto360.com");
    let draft = env.stored("modules", "CUSTOMMODULE")[0]["_id"].as_str().unwrap().to_string();

    env.faults(json!({"kind": "status", "status": 500, "times": 1}));
    let e = env.client().workflow("CUSTOMMODULE").act(&[&draft], &wf).await.unwrap_err();
    assert_eq!((e.kind(), e.retries()), (ErrorKind::Server, 0));
    assert_eq!(env.journal().len(), 1);

    env.emu.reset().unwrap();
    env.faults(json!({"kind": "reset", "times": 1, "method": "POST"}));
    let e = env.client().masters("VENDOR").upsert(&[json!({"vendor_id": "a"})]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert_eq!(env.journal().len(), 1);
    assert_eq!(e.bulk().unwrap().unknown(), vec![0], "a lost answer leaves the row unknown");

    env.emu.reset().unwrap();
    env.faults(json!({"kind": "status", "status": 500, "times": 1}));
    let out = env.builder().retry_writes(true).build().unwrap().workflow("CUSTOMMODULE").act(&[&draft], &wf).await.unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(env.journal().len(), 2);
}

#[tokio::test]
async fn post_is_retried_after_429() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 429, "times": 2}));
    let res = env.client().masters("VENDOR").upsert(&[json!({"vendor_id": "a"})]).await.unwrap();
    assert_eq!(res.inserted_count, 1);
    assert_eq!(env.journal().len(), 3);
    assert_eq!(env.stored("masters", "VENDOR").len(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_connection_error_retried_even_for_posts() {
    // A port nothing listens on: every attempt fails before sending.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .token("t")
        .rate_limit(None)
        .max_retries(2)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap();
    let e = client.masters("VENDOR").upsert(&[json!({"a": 1})]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert_eq!(e.retries(), 2);
    assert_eq!(e.bulk().unwrap().not_written(), vec![0]);
}

#[tokio::test]
async fn timeouts_are_their_own_kind() {
    let env = Env::start().await;
    env.faults(json!({"kind": "latency", "latencyMs": 400}));
    let client = env.builder().timeout(Duration::from_millis(100)).max_retries(1).build().unwrap();
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.retries(), 1);
}

#[tokio::test]
async fn the_token_never_shows() {
    let env = Env::with(exto360_emulator::Emulator::builder().rate_limit(None).token("s3cr3t-token-value")).await;
    let client = env.builder().max_retries(0).build().unwrap();
    let mut texts = vec![format!("{client:?}"), format!("{:?}", env.builder())];
    env.faults(json!({"kind": "status", "status": 503, "times": 1}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    texts.push(format!("{e}"));
    texts.push(format!("{e:?}"));
    env.faults(json!({"kind": "reset", "times": 1}));
    let e = client.masters("LOCATION").list(&ListOptions::new()).await.unwrap_err();
    texts.push(format!("{e}"));
    texts.push(format!("{e:?}"));
    texts.push(serde_json::to_string(&env.journal()).unwrap());
    for t in &texts {
        assert!(!t.contains("s3cr3t-token-value"), "token leaked in: {t}");
    }
}

#[test]
fn the_builder_refuses_bad_settings() {
    let b = || Client::builder().token("t");
    let cases: Vec<(exto360::ClientBuilder, &str)> = vec![
        (Client::builder(), "token is missing"),
        (Client::builder().token(""), "token is empty"),
        (Client::builder().token("a b"), "cannot be sent in a header"),
        (b().base_url("http://example.com/data"), "plain http"),
        (b().base_url("ftp://example.com"), "scheme must be https"),
        (b().base_url("not a url"), "is not a URL"),
        (b().base_url("https://x.com/data?a=1"), "query or fragment"),
        (b().rate_limit(Some(0.0)), "rate limit"),
        (b().rate_limit(Some(f64::NAN)), "rate limit"),
        (b().rate_limit(Some(1e-300)), "rate limit must be between 0.001 and 10000"),
        (b().rate_limit(Some(1e9)), "rate limit must be between"),
        (b().timeout(Duration::ZERO), "timeout must be more than 0"),
        (b().timeout(Duration::from_secs(u64::MAX)), "timeout must be more than 0 and at most 86400 s"),
        (b().connect_timeout(Duration::from_secs(1 << 40)), "connect timeout must be"),
        (b().max_retries(u32::MAX), "max retries must be at most 100"),
        (b().max_backoff(Duration::from_secs(1 << 30)), "max backoff must be at most 3600 s"),
        (b().bulk_concurrency(0), "bulk concurrency must be between 1 and 64"),
        (b().prefetch_pages(1 << 20), "prefetch pages must be between 1 and 64"),
        (b().project_id("p\n1"), "project id"),
        (b().project_id(" p1"), "must not start or end with whitespace"),
    ];
    for (builder, needle) in cases {
        let e = builder.build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains(needle), "{needle}: {e}");
    }
    assert!(b().base_url("http://127.0.0.1:1/data").build().is_ok());
    assert!(b().base_url("http://localhost:1").build().is_ok());
    assert!(b().base_url("http://[::1]:1").build().is_ok());
    assert!(b().base_url("http://example.com").allow_insecure_http(true).build().is_ok());
    assert_eq!(b().region(exto360::Region::Usa).build().unwrap().base_url(), "https://app-us.exto360.com/data/");
    assert_eq!(b().build().unwrap().base_url(), "https://platform.exto360.com/data/");
}
