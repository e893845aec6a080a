//! Incremental export: `--state FILE` exports only what changed since the previous run, each
//! record once, and `--since` takes a time.
mod common;

use common::*;
use serde_json::{Value, json};

fn ids_in(path: &std::path::Path) -> Vec<String> {
    read_jsonl(path).iter().map(|r| r["customFields"]["vendor_id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn each_run_exports_only_what_changed_since_the_last() {
    let env = Env::start("incremental");
    let input = env.path("in.jsonl");
    write_jsonl(&input, &vendor_rows(0, 3000));
    env.run(&["import", "masters", "VENDOR", input.to_str().unwrap()]).ok();

    let state = env.path("state.json");
    let s = state.to_str().unwrap();
    let out1 = env.path("e1.jsonl");
    let r = env.run(&["--json", "export", "masters", "VENDOR", "--state", s, "-o", out1.to_str().unwrap()]).ok();
    assert_eq!(r.json()["records"], 3000, "the first run exports everything");
    let st: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let mark = st["highWaterMark"].as_str().unwrap().to_string();
    let at_mark = env.stored("VENDOR").iter().filter(|r| r["updatedAt"].as_str() == Some(&mark)).count();
    assert!(at_mark >= 1 && st["idsAtMark"].as_array().unwrap().len() == at_mark, "the ids of every record at the mark are kept");
    let sorts: Vec<String> = env.journal().iter().filter(|e| e["method"] == "GET").filter_map(|e| param(e, "sort")).collect();
    assert!(!sorts.is_empty() && sorts.iter().all(|s| s == "-updatedAt"), "newest first: {sorts:?}");

    std::thread::sleep(std::time::Duration::from_millis(5));
    let before_change = jiff_now();
    // 11 updated and 5 new records.
    let mut changed: Vec<Value> = vendor_rows(10, 21).into_iter().map(|mut r| {
        r["name"] = json!("changed");
        r
    }).collect();
    changed.extend(vendor_rows(5000, 5005));
    write_jsonl(&input, &changed);
    env.run(&["import", "masters", "VENDOR", input.to_str().unwrap()]).ok();

    let out2 = env.path("e2.jsonl");
    env.run(&["export", "masters", "VENDOR", "--state", s, "-o", out2.to_str().unwrap()]).ok();
    let mut got = ids_in(&out2);
    got.sort();
    let mut want: Vec<String> = changed.iter().map(|r| r["vendor_id"].as_str().unwrap().to_string()).collect();
    want.sort();
    assert_eq!(got, want, "only the changed records, none of those already exported at the mark");
    assert!(read_jsonl(&out2).iter().filter(|r| r["customFields"]["vendor_id"].as_str().unwrap() < "V5").all(|r| r["customFields"]["name"] == "changed"));

    let out3 = env.path("e3.jsonl");
    let r = env.run(&["--json", "export", "masters", "VENDOR", "--state", s, "-o", out3.to_str().unwrap()]).ok();
    assert_eq!(r.json()["records"], 0, "nothing changed since");
    assert!(out3.exists(), "an empty export is still a complete file");

    let out4 = env.path("e4.jsonl");
    env.run(&["export", "masters", "VENDOR", "--since", &before_change, "-o", out4.to_str().unwrap()]).ok();
    assert_eq!(ids_in(&out4).len(), 16, "--since {before_change}");

    // A state is tied to its export; --sort cannot be combined with it.
    let r = env.run(&["export", "masters", "VENDOR", "--state", s, "--status", "Approved", "-o", out4.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("was written by an export of masters VENDOR"), "{}", r.stderr);
    let r = env.run(&["export", "masters", "VENDOR", "--state", s, "--sort", "name"]);
    assert_eq!(r.code, 2, "{r:?}");
}

fn param(entry: &Value, name: &str) -> Option<String> {
    entry["params"].as_array()?.iter().find(|p| p[0] == name).map(|p| p[1].as_str().unwrap().to_string())
}

/// Now, RFC 3339 (the emulator's clock is the system's).
fn jiff_now() -> String {
    jiff::Timestamp::now().to_string()
}
