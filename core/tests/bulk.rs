//! Bulk writes under faults: the error says exactly which rows were written.
mod common;
use std::collections::HashSet;

use common::*;
use std::sync::Arc;

use exto360::{ActOptions, BulkOptions, BulkWatch, ErrorKind, WriteState};
use serde_json::{Value, json};

fn rows(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"vendor_id": format!("V{i}"), "i": i})).collect()
}

fn stored_indices(env: &Env) -> HashSet<usize> {
    env.stored("masters", "VENDOR").iter().map(|r| r["customFields"]["i"].as_u64().unwrap() as usize).collect()
}

#[tokio::test]
async fn a_rejected_chunk_is_reported_not_written_and_the_rest_is_exact() {
    let env = Env::start().await;
    // Sequential chunks; the 3rd request is refused with a 400.
    env.faults(json!({"kind": "status", "status": 400, "method": "POST", "skip": 2, "times": 1}));
    let client = env.builder().bulk_concurrency(1).build().unwrap();
    let e = client.masters("VENDOR").upsert(&rows(4500)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    let b = e.bulk().expect("bulk report");
    assert_eq!(b.total, 4500);
    assert_eq!(b.slices, vec![(0..2000, WriteState::Written), (2000..4500, WriteState::NotWritten)]);
    assert_eq!(stored_indices(&env), (0..2000).collect::<HashSet<_>>());
    assert_eq!(env.requests_to("VENDOR").len(), 3, "no request after the failure");
    assert!(e.to_string().contains("2000 of 4500 written"), "{e}");
}

#[tokio::test]
async fn random_faults_with_concurrency_are_reported_exactly() {
    for seed in 1..=5u64 {
        let env = Env::start().await;
        env.faults(json!({"kind": "status", "status": 422, "method": "POST", "probability": 0.3, "seed": seed}));
        let client = env.builder().bulk_concurrency(4).build().unwrap();
        let n = 9500;
        match client.masters("VENDOR").upsert(&rows(n)).await {
            Ok(r) => assert_eq!(r.inserted_count as usize, n),
            Err(e) => {
                let b = e.bulk().unwrap();
                let written: HashSet<usize> = b.written().into_iter().collect();
                let not_written: HashSet<usize> = b.not_written().into_iter().collect();
                assert!(b.unknown().is_empty(), "a 4xx leaves nothing unknown");
                assert_eq!(written.len() + not_written.len(), n);
                assert_eq!(stored_indices(&env), written, "seed {seed}: the report matches the server's state");
            }
        }
    }
}

#[tokio::test]
async fn lost_answers_are_unknown_and_really_may_have_been_written() {
    let env = Env::start().await;
    // The 2nd request is processed but its answer is lost (the connection drops).
    env.faults(json!({"kind": "reset", "afterWork": true, "method": "POST", "skip": 1, "times": 1}));
    let e = env.builder().bulk_concurrency(1).build().unwrap().masters("VENDOR").upsert(&rows(2500)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    let b = e.bulk().unwrap();
    assert_eq!(b.slices, vec![(0..1000, WriteState::Written), (1000..2000, WriteState::Unknown), (2000..2500, WriteState::NotWritten)]);
    // Unknown here did happen: the server wrote them.
    assert_eq!(stored_indices(&env), (0..2000).collect::<HashSet<_>>());
}

#[tokio::test]
async fn a_2xx_whose_body_broke_off_is_written_and_never_repeated() {
    let env = Env::start().await;
    // The 2nd request is processed and its 201 arrives, but the body is cut in half.
    env.faults(json!({"kind": "truncate", "method": "POST", "skip": 1, "times": 1}));
    let client = env.builder().bulk_concurrency(1).retry_writes(true).build().unwrap();
    let e = client.masters("VENDOR").upsert(&rows(2500)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    let b = e.bulk().unwrap();
    assert_eq!(b.slices, vec![(0..2000, WriteState::Written), (2000..2500, WriteState::NotWritten)]);
    assert_eq!(b.inserted_ids.len(), 1000, "ids of the chunk whose answer was read");
    assert_eq!(env.requests_to("VENDOR").len(), 2, "not repeated, even with retry_writes");
    assert_eq!(stored_indices(&env), (0..2000).collect::<HashSet<_>>());
}

#[tokio::test]
async fn a_server_error_mid_way_leaves_that_chunk_unknown() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 503, "method": "POST", "skip": 1}));
    let e = env.builder().bulk_concurrency(1).max_retries(1).build().unwrap().masters("VENDOR").upsert(&rows(3000)).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(503)));
    let b = e.bulk().unwrap();
    assert_eq!(b.written_count(), 1000);
    assert_eq!(b.unknown(), (1000..2000).collect::<Vec<_>>());
    assert_eq!(b.not_written(), (2000..3000).collect::<Vec<_>>());
    assert!(b.is_partial());
}

#[tokio::test]
async fn workflow_actions_are_split_by_100() {
    let env = Env::start().await;
    let client = env.client();
    let rows: Vec<Value> = (0..250).map(|i| json!({"ref_no": format!("B{i}")})).collect();
    let created = client.modules("CUSTOMMODULE").upsert(&rows, "johndoe@exto360.com").await.unwrap();
    env.emu.clear_journal();
    let out = client.workflow("CUSTOMMODULE").act(&created.inserted_ids, &ActOptions::new("Submit", "johndoe@exto360.com")).await.unwrap();
    assert_eq!(out.len(), 250);
    let ids: Vec<&str> = out.iter().map(|r| r.record_id.as_str()).collect();
    assert_eq!(ids, created.inserted_ids.iter().map(String::as_str).collect::<Vec<_>>(), "results in input order");
    let mut sizes: Vec<usize> = env.journal().iter().map(|e| e["body"].as_array().unwrap().len()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![50, 100, 100]);
    let e = &env.journal()[0];
    assert_eq!(param(e, "actionName").as_deref(), Some("Submit"));
    assert_eq!(param(e, "userName").as_deref(), Some("johndoe@exto360.com"));
    assert!(env.stored("modules", "CUSTOMMODULE").iter().filter(|r| r["status"] == "Submitted").count() >= 250);
}

#[tokio::test]
async fn activate_and_deactivate_any_number_of_users() {
    let env = Env::start().await;
    let mut names: Vec<String> = (0..2100).map(|i| format!("nobody{i}@x.com")).collect();
    names.push("johndoe@exto360.com".into());
    let res = env.client().users().deactivate(&names).await.unwrap();
    assert_eq!((res.ok, res.n_matched, res.n_modified), (1, 1, 1));
    assert_eq!(env.journal().len(), 3);
    assert!(env.journal().iter().all(|e| e["method"] == "PATCH" && e["path"] == "/api/v1/user/deactivate-users"));
    let res = env.client().users().activate(&["JohnDoe@exto360.com"]).await.unwrap();
    assert_eq!(res.n_modified, 1);
}

#[tokio::test]
async fn under_the_rate_limit_chunks_leave_in_input_order() {
    let env = Env::start().await;
    // The last chunk is refused: with chunks sent in order, the first two are written.
    env.faults(json!({"kind": "status", "status": 422, "method": "POST", "bodyContains": "\"V2200\""}));
    let client = env.builder().rate_limit(Some(20.0)).bulk_concurrency(4).build().unwrap();
    let e = client.masters("VENDOR").upsert(&rows(2500)).await.unwrap_err();
    let b = e.bulk().unwrap();
    assert_eq!(b.slices, vec![(0..2000, WriteState::Written), (2000..2500, WriteState::NotWritten)]);
    let firsts: Vec<String> = env.requests_to("VENDOR").iter().map(|r| r["body"][0]["vendor_id"].as_str().unwrap().to_string()).collect();
    assert_eq!(firsts, vec!["V0", "V1000", "V2000"]);
}

/// Records what a [`BulkWatch`] is told; stops the operation once `stop_after` chunks went out.
#[derive(Default)]
struct Recorder {
    sent: std::sync::Mutex<Vec<std::ops::Range<usize>>>,
    finished: std::sync::Mutex<Vec<(std::ops::Range<usize>, WriteState, Option<u16>)>>,
    stop_after: Option<usize>,
}

impl BulkWatch for Recorder {
    fn sending(&self, range: std::ops::Range<usize>) -> bool {
        let mut sent = self.sent.lock().unwrap();
        if self.stop_after.is_some_and(|n| sent.len() >= n) {
            return false;
        }
        sent.push(range);
        true
    }
    fn finished(&self, range: std::ops::Range<usize>, state: WriteState, error: Option<&exto360::Error>) {
        self.finished.lock().unwrap().push((range, state, error.and_then(|e| e.status())));
    }
}

fn watched(rec: &Arc<Recorder>) -> BulkOptions {
    BulkOptions::new().watch(rec.clone())
}

#[tokio::test]
async fn a_watcher_sees_each_request_and_each_chunks_final_state() {
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 400, "method": "POST", "skip": 2, "times": 1}));
    let rec = Arc::new(Recorder::default());
    let client = env.builder().bulk_concurrency(1).build().unwrap();
    let e = client.masters("VENDOR").upsert_with(&rows(4500), &watched(&rec)).await.unwrap_err();
    assert_eq!(*rec.sent.lock().unwrap(), vec![0..1000, 1000..2000, 2000..3000]);
    assert_eq!(
        *rec.finished.lock().unwrap(),
        vec![(0..1000, WriteState::Written, None), (1000..2000, WriteState::Written, None), (2000..3000, WriteState::NotWritten, Some(400))],
        "chunks never sent (3000..4500) get no call"
    );
    assert_eq!(e.bulk().unwrap().slices, vec![(0..2000, WriteState::Written), (2000..4500, WriteState::NotWritten)]);
}

#[tokio::test]
async fn a_watcher_can_stop_the_operation_between_requests() {
    let env = Env::start().await;
    let rec = Arc::new(Recorder { stop_after: Some(2), ..Default::default() });
    let client = env.builder().bulk_concurrency(3).build().unwrap();
    let e = client.masters("VENDOR").upsert_with(&rows(5000), &watched(&rec)).await.unwrap_err();
    let b = e.bulk().unwrap();
    assert_eq!(b.slices, vec![(0..2000, WriteState::Written), (2000..5000, WriteState::NotWritten)]);
    assert_eq!(env.requests_to("VENDOR").len(), 2, "nothing is sent once the watcher says stop");
    assert_eq!(stored_indices(&env), (0..2000).collect::<HashSet<_>>());
    assert_eq!(rec.finished.lock().unwrap().len(), 2);
    assert!(e.bulk().unwrap().not_written_count() == 3000 && !e.to_string().contains("token"), "{e}");
}

#[tokio::test]
async fn a_watcher_is_asked_before_every_attempt_and_hears_lost_answers_as_unknown() {
    let env = Env::start().await;
    env.faults(json!([
        {"kind": "status", "status": 429, "retryAfter": 0, "method": "POST", "times": 1},
        {"kind": "reset", "afterWork": true, "method": "POST", "skip": 1, "times": 1}
    ]));
    let rec = Arc::new(Recorder::default());
    let client = env.builder().bulk_concurrency(1).build().unwrap();
    let e = client.masters("VENDOR").upsert_with(&rows(2500), &watched(&rec)).await.unwrap_err();
    // The 429 is retried (asked again); the 2nd request of chunk 0 goes through (the reset
    // rule lets one matching request pass), the 1st of chunk 1 is done but loses its answer.
    assert_eq!(*rec.sent.lock().unwrap(), vec![0..1000, 0..1000, 1000..2000]);
    let fin = rec.finished.lock().unwrap().clone();
    assert_eq!(fin.iter().map(|(r, s, _)| (r.clone(), *s)).collect::<Vec<_>>(), vec![(0..1000, WriteState::Written), (1000..2000, WriteState::Unknown)]);
    assert_eq!(e.bulk().unwrap().unknown(), (1000..2000).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_watched_upsert_that_succeeds_reports_every_chunk_written() {
    let env = Env::start().await;
    let rec = Arc::new(Recorder::default());
    let r = env.client().modules("CUSTOMMODULE").upsert_with(&(0..1500).map(|i| json!({"ref_no": format!("W{i}")})).collect::<Vec<_>>(), "johndoe@exto360.com", &watched(&rec)).await.unwrap();
    assert_eq!(r.inserted_count, 1500);
    let mut fin = rec.finished.lock().unwrap().clone();
    fin.sort_by_key(|(r, _, _)| r.start);
    assert_eq!(fin, vec![(0..1000, WriteState::Written, None), (1000..1500, WriteState::Written, None)]);
}

/// Rows that serialise themselves (as the Arrow path does); `fail_from` makes the body of any
/// chunk reaching that row fail, like a value that cannot be written.
struct Prepared {
    rows: Vec<Value>,
    fail_from: usize,
}

impl exto360::JsonRows for Prepared {
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn json_array(&self, range: std::ops::Range<usize>) -> exto360::Result<Vec<u8>> {
        if range.end > self.fail_from {
            return Err(exto360::Error::invalid_input(format!("row {} cannot be written", self.fail_from)));
        }
        Ok(serde_json::to_vec(&self.rows[range]).unwrap())
    }
}

#[tokio::test]
async fn pre_serialised_rows_take_the_same_chunks_and_accounting() {
    let env = Env::start().await;
    let client = env.builder().bulk_concurrency(1).build().unwrap();
    let all = Prepared { rows: rows(2500), fail_from: usize::MAX };
    assert_eq!(client.masters("VENDOR").upsert_json_rows(&all).await.unwrap().inserted_count, 2500);
    let sizes: Vec<usize> = env.requests_to("VENDOR").iter().map(|r| r["body"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, vec![1000, 1000, 500]);
    assert!(client.masters("VENDOR").upsert_json_rows(&Prepared { rows: vec![], fail_from: 0 }).await.unwrap().inserted_ids.is_empty());

    // A faulted request and a body that cannot be made: each input index ends in one state.
    let env = Env::start().await;
    env.faults(json!({"kind": "status", "status": 503, "method": "POST", "skip": 1, "times": 1}));
    let client = env.builder().bulk_concurrency(1).max_retries(0).build().unwrap();
    let e = client.masters("VENDOR").upsert_json_rows(&Prepared { rows: rows(3500), fail_from: 3200 }).await.unwrap_err();
    let b = e.bulk().unwrap();
    assert_eq!(b.slices, vec![(0..1000, WriteState::Written), (1000..2000, WriteState::Unknown), (2000..3500, WriteState::NotWritten)]);
    let env = Env::start().await;
    let client = env.builder().bulk_concurrency(1).build().unwrap();
    let e = client.masters("VENDOR").upsert_json_rows(&Prepared { rows: rows(3500), fail_from: 2100 }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("row 2100 cannot be written"), "{e}");
    assert_eq!(e.bulk().unwrap().slices, vec![(0..2000, WriteState::Written), (2000..3500, WriteState::NotWritten)]);
    assert_eq!(stored_indices(&env), (0..2000).collect::<HashSet<_>>());

    // Modules and sub-tables take them too, with their own query.
    let client = env.client();
    let m = client.modules("CUSTOMMODULE").upsert_json_rows(&Prepared { rows: vec![json!({"ref_no": "J1"})], fail_from: usize::MAX }, "johndoe@exto360.com").await.unwrap();
    let rec = &m.inserted_ids[0];
    let s = client.sub_table("Signatures").upsert_json_rows(&Prepared { rows: vec![json!({"signer": "a"})], fail_from: usize::MAX }, "CUSTOMMODULE", rec).await.unwrap();
    assert_eq!(s.inserted_count, 1);
    let out = exto360::json::upsert_json_rows(&client, "masters.upsert", &json!({"name": "VENDOR"}), &Prepared { rows: rows(2), fail_from: usize::MAX }).await.unwrap();
    assert!(out.contains("\"updatedCount\":2"), "{out}");
    let e = exto360::json::upsert_json_rows(&client, "masters.list", &json!({"name": "VENDOR"}), &Prepared { rows: rows(2), fail_from: usize::MAX }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}
