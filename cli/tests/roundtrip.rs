//! Export → import round trips of 10,000 rows, CSV and JSONL, through the real binary: every
//! value (text, numbers, booleans, nulls, arrays, objects, text that looks like JSON, empty
//! text, commas, quotes, newlines) comes back the same.
mod common;

use std::collections::HashMap;

use common::*;
use serde_json::Value;

const N: usize = 10_000;

fn originals() -> HashMap<String, Value> {
    vendor_rows(0, N).into_iter().map(|r| (r["vendor_id"].as_str().unwrap().to_string(), r)).collect()
}

fn assert_same(env: &Env, master: &str) {
    let stored = env.stored_by(master, "vendor_id");
    let want = originals();
    assert_eq!(stored.len(), N, "{master}: every row stored once");
    for (k, v) in &want {
        assert_eq!(stored.get(k), Some(v), "{master}: row {k}");
    }
}

#[test]
fn ten_thousand_rows_round_trip_through_csv_and_jsonl() {
    let env = Env::start("roundtrip");
    let input = env.path("vendors.jsonl");
    write_jsonl(&input, &vendor_rows(0, N));
    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id"]).ok();
    let j = r.json();
    assert_eq!((j["written"].as_u64(), j["complete"].as_bool()), (Some(N as u64), Some(true)), "{j}");
    assert_eq!(env.posts("VENDOR").len(), N / 1000, "sent 1000 per request");
    assert!(!env.path("vendors.jsonl.exto360-checkpoint").exists(), "a complete import leaves no checkpoint");
    assert_same(&env, "VENDOR");

    // CSV: export, then import into another master.
    let csv = env.path("vendors.csv");
    let r = env.run(&["--json", "export", "masters", "VENDOR", "-o", csv.to_str().unwrap()]).ok();
    let cols: Vec<String> = serde_json::from_value(r.json()["columns"].clone()).unwrap();
    assert_eq!(r.json()["records"], N);
    let first_field = cols.iter().position(|c| c == "vendor_id").unwrap();
    assert!(cols[..first_field].iter().all(|c| ["_id", "id", "parentID", "slug", "refId", "tenantID", "projectID", "createdBy", "createdAt", "updatedBy", "updatedAt", "isDeleted"].contains(&c.as_str())), "attributes first: {cols:?}");
    assert_eq!(cols.last().map(String::as_str), Some("late"), "a field first seen in row 5 still has its column: {cols:?}");
    let header = std::fs::read_to_string(&csv).unwrap().lines().next().unwrap().to_string();
    assert_eq!(header, cols.join(","));
    let r = env.run(&["import", "masters", "VENDOR2", csv.to_str().unwrap(), "--key", "vendor_id"]).ok();
    assert!(r.stderr.contains("skipped columns (record attributes, not fields): _id, id,"), "{}", r.stderr);
    assert_same(&env, "VENDOR2");

    // JSONL: export, then import into a third master.
    let jsonl = env.path("vendors-out.jsonl");
    env.run(&["export", "masters", "VENDOR", "-o", jsonl.to_str().unwrap()]).ok();
    let lines = read_jsonl(&jsonl);
    assert_eq!(lines.len(), N);
    assert!(lines[0]["_id"].is_string() && lines[0]["customFields"].is_object(), "whole records: {}", lines[0]);
    env.run(&["import", "masters", "VENDOR3", jsonl.to_str().unwrap()]).ok();
    assert_same(&env, "VENDOR3");

    let leftovers: Vec<_> = std::fs::read_dir(&env.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}

#[test]
fn an_export_to_stdout_streams_and_filters_reach_the_server() {
    let env = Env::start("stdout");
    let r = env.run(&["export", "masters", "LOCATION", "--format", "jsonl", "--filter", "serial_number:NUMBER:gt:1000", "--status", "Approved", "--sort", "-serial_number"]).ok();
    let codes: Vec<String> = r.stdout.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["customFields"]["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["CHN", "MUM", "BLR"]);
    let get = env.journal().into_iter().find(|e| e["method"] == "GET").unwrap();
    let params: HashMap<String, String> = serde_json::from_value::<Vec<(String, String)>>(get["params"].clone()).unwrap().into_iter().collect();
    assert_eq!(params["filter"], "serial_number:NUMBER:gt:1000");
    assert_eq!((params["status"].as_str(), params["sort"].as_str(), params["pageSize"].as_str()), ("Approved", "-serial_number", "1000"));
    assert!(r.stderr.contains("exported 3 records to stdout"), "the summary goes to stderr: {}", r.stderr);
}
