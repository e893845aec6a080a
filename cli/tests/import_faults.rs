//! Imports under the emulator's faults end in an exact report; a dry run sends nothing.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::{Value, json};

fn keys(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("V{i}")).collect()
}

/// The report as key → (state, reason).
fn report(path: &std::path::Path) -> BTreeMap<String, (String, String)> {
    read_jsonl(path).into_iter().map(|e| (e["key"].as_str().unwrap().to_string(), (e["state"].as_str().unwrap().to_string(), e["reason"].as_str().unwrap().to_string()))).collect()
}

/// Set equality with a short message (the sets hold thousands of keys).
fn same(got: &BTreeSet<String>, want: &BTreeSet<String>, what: &str) {
    let extra: Vec<_> = got.difference(want).take(5).collect();
    let missing: Vec<_> = want.difference(got).take(5).collect();
    assert!(extra.is_empty() && missing.is_empty(), "{what}: {} vs {} expected; extra {extra:?}, missing {missing:?}", got.len(), want.len());
}

fn with_state(r: &BTreeMap<String, (String, String)>, state: &str) -> BTreeSet<String> {
    r.iter().filter(|(_, (s, _))| s == state).map(|(k, _)| k.clone()).collect()
}

#[test]
fn a_refused_chunk_and_a_lost_answer_end_in_an_exact_report_and_resume_finishes() {
    let env = Env::start("faults");
    let input = env.path("in.jsonl");
    write_jsonl(&input, &vendor_rows(0, 7500));
    // Rows 1000..2000 are refused once; the answer for rows 4000..5000 is lost once (the
    // server writes them, the client cannot know).
    env.faults(json!([
        {"kind": "status", "status": 400, "method": "POST", "bodyContains": "\"V1500\"", "times": 1,
         "body": {"code": 400, "path": "/api/v1/master-record/VENDOR", "timestamp": "t", "error": {"summary": "Bad Request", "detail": ["price is not a currency"]}}},
        {"kind": "reset", "afterWork": true, "method": "POST", "bodyContains": "\"V4500\"", "times": 1}
    ]));
    let rep = env.path("report.jsonl");
    let mut cmd = env.cmd(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id", "--report", rep.to_str().unwrap()]);
    // Under a rate limit the requests leave in order, 250 ms apart: the lost answer is seen
    // before the last requests leave.
    cmd.env("EXTO360_RATE_LIMIT", "4");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 3, "partly written: {r:?}");
    let j = r.json();
    let r1 = report(&rep);
    let stored: BTreeSet<String> = env.stored_by("VENDOR", "vendor_id").into_keys().collect();

    same(&with_state(&r1, "not_written"), &keys(1000..2000), "refused");
    assert!(r1["V1500"].1.contains("price is not a currency"), "the server's reason: {:?}", r1["V1500"]);
    same(&with_state(&r1, "unknown"), &keys(4000..5000), "the lost answer");
    assert!(stored.is_superset(&keys(4000..5000)), "(the server did write them)");
    // The import stops at the lost answer: what was not on the wire by then is not sent (how
    // much of 5000..7500 that is depends on timing; the report says exactly).
    let not_sent = with_state(&r1, "not_sent");
    same(&not_sent, &(&(&keys(0..7500) - &stored) - &keys(1000..2000)), "not sent = neither stored nor refused");
    assert!(!not_sent.is_empty() && not_sent.iter().all(|k| keys(5000..7500).contains(k)), "{} not sent", not_sent.len());
    assert!(r1["V7499"].1.starts_with("not sent: the import stopped after an error:"), "{:?}", r1["V7499"]);
    // Every row is either stored and not reported, or reported; refused and unsent rows are
    // really not stored.
    let reported: BTreeSet<String> = r1.keys().cloned().collect();
    assert_eq!(reported.len() as u64, j["notWritten"].as_u64().unwrap() + j["unknown"].as_u64().unwrap() + j["notSent"].as_u64().unwrap());
    assert_eq!(j["written"].as_u64().unwrap() as usize, stored.difference(&keys(4000..5000)).count());
    assert!(keys(1000..2000).is_disjoint(&stored) && not_sent.is_disjoint(&stored));
    same(&(&stored | &reported), &keys(0..7500), "every row accounted for");
    assert_eq!(j["error"]["kind"], "connection", "{j}");
    let ckpt = env.path("in.jsonl.exto360-checkpoint");
    assert_eq!(j["checkpoint"], ckpt.to_str().unwrap());

    // Resume: the refused and unsent rows go; the unknown ones are listed, not sent.
    env.emu.clear_journal();
    let rep2 = env.path("report2.jsonl");
    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id", "--resume", "--report", rep2.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{r:?}");
    let r2 = report(&rep2);
    same(&r2.keys().cloned().collect(), &keys(4000..5000), "the second report: the unknown rows");
    assert!(r2.values().all(|(s, _)| s == "unknown"));
    let sent: BTreeSet<String> = env.posts("VENDOR").iter().flat_map(|e| keys_of(e, "vendor_id")).collect();
    same(&sent, &(&keys(1000..2000) | &not_sent), "only what was not written is sent");
    assert_eq!(r.json()["writtenBefore"].as_u64().unwrap() as usize, 7500 - 1000 - 1000 - not_sent.len());

    // --resend-unknown: the rest goes, the import is complete, the checkpoint is gone.
    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--resume", "--resend-unknown"]).ok();
    assert_eq!(r.json()["written"], 1000);
    assert_eq!(env.stored("VENDOR").len(), 7500, "no duplicates: the rows carry the unique field");
    assert!(!ckpt.exists());
    // Resuming a complete import does not start it over.
    env.emu.clear_journal();
    let r = env.run(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--resume"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no checkpoint to resume"), "{}", r.stderr);
    assert!(env.journal().is_empty());
}

#[test]
fn a_dry_run_checks_every_row_and_sends_nothing() {
    let env = Env::start("dryrun");
    let input = env.path("in.csv");
    std::fs::write(&input, "vendor_id,qty,when,_id\nV1,3,2024-01-31,x\nV2,many,2024-01-31,\n,4,2024-02-30,\nV4,5\n").unwrap();
    let rep = env.path("bad.csv");
    let mut cmd = env.cmd(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--dry-run", "--key", "vendor_id", "--type", "qty=integer", "--type", "when=date", "--report", rep.to_str().unwrap()]);
    cmd.env_remove("EXTO360_TOKEN");
    let r = Run::of(cmd.output().unwrap());
    assert_eq!(r.code, 1, "invalid rows: {r:?}");
    let j = r.json();
    assert_eq!((j["rows"].as_u64(), j["valid"].as_u64(), j["invalid"].as_u64(), j["sent"].as_u64()), (Some(4), Some(1), Some(3), Some(0)));
    assert_eq!(j["skippedColumns"], json!(["_id"]));
    assert!(env.journal().is_empty(), "nothing was sent: {:?}", env.journal());
    let text = std::fs::read_to_string(&rep).unwrap();
    assert_eq!(
        text,
        "row,line,state,reason,key\n2,3,invalid,\"field 'qty': expected an integer, got 'many'\",\n3,4,invalid,\"field 'when': expected a date (yyyy-MM-dd), got '2024-02-30'\",\n4,5,invalid,\"the row has 2 cells, the header 4\",\n"
    );
    assert!(!env.path("in.csv.exto360-checkpoint").exists(), "a dry run keeps no checkpoint");

    std::fs::write(&input, "vendor_id,qty\nV1,3\n").unwrap();
    let r = env.run(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--dry-run"]).ok();
    assert!(r.stderr.contains("1 valid, 0 invalid; nothing was sent"), "{}", r.stderr);
    assert!(env.journal().is_empty());
}

#[test]
fn modules_need_a_user_and_fatal_errors_stop_at_once() {
    let env = Env::start("modules");
    let input = env.path("m.jsonl");
    write_jsonl(&input, &(0..1500).map(|i| json!({"ref_no": format!("M{i}")})).collect::<Vec<Value>>());
    let r = env.run(&["import", "modules", "CUSTOMMODULE", input.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    env.run(&["import", "modules", "CUSTOMMODULE", input.to_str().unwrap(), "--user", "johndoe@exto360.com"]).ok();
    assert_eq!(env.posts("CUSTOMMODULE").len(), 2);
    assert!(env.posts("CUSTOMMODULE").iter().all(|e| e["query"].as_str().unwrap().contains("userName=johndoe%40exto360.com")));

    // An unknown master: the first refusal stops the import, nothing else is sent.
    env.emu.clear_journal();
    let r = env.run(&["--json", "import", "masters", "NOSUCH", input.to_str().unwrap()]);
    assert_eq!(r.code, 1, "nothing written: {r:?}");
    assert_eq!(r.json()["error"]["kind"], "not_found");
    let j = r.json();
    // (The API answers an unknown name with a 500, which cannot prove nothing was written.)
    assert_eq!(j["notSent"].as_u64().unwrap() + j["notWritten"].as_u64().unwrap() + j["unknown"].as_u64().unwrap(), 1500, "{j}");
    assert!(env.posts("NOSUCH").len() <= 2, "stopped at the first refusal: {}", env.posts("NOSUCH").len());
}
