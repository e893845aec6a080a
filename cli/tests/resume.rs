//! Crashes and Ctrl-C during an import: a resume sends only what is not written, and no row
//! is ever sent again after the server confirmed writing it.
mod common;

use std::collections::{BTreeSet, HashSet};

use common::*;
use serde_json::json;

fn all_stored_once(env: &Env, n: usize) {
    let stored = env.stored("VENDOR");
    let keys: HashSet<String> = stored.iter().map(|r| r["customFields"]["vendor_id"].as_str().unwrap().to_string()).collect();
    assert_eq!((stored.len(), keys.len()), (n, n), "every row written, once");
}

fn unknown_in(report: &std::path::Path) -> HashSet<String> {
    if !report.exists() {
        return HashSet::new();
    }
    read_jsonl(report).into_iter().filter(|e| e["state"] == "unknown").map(|e| e["key"].as_str().unwrap().to_string()).collect()
}

/// An emulator, an input of `n` rows and where its checkpoint goes.
fn setup(test: &str, n: usize) -> (Env, std::path::PathBuf, std::path::PathBuf) {
    let env = Env::start(test);
    let input = env.path("in.jsonl");
    write_jsonl(&input, &small_rows(n));
    let ckpt = env.path("in.jsonl.exto360-checkpoint");
    (env, input, ckpt)
}

#[test]
fn kill_9_in_the_middle_of_20000_rows_then_resume() {
    let (env, input, ckpt) = setup("kill9", 20_000);
    let child = env.spawn(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id"], "8");
    wait_for(60, "a few chunks written", || done_lines(&ckpt) >= 6);
    signal(&child, "KILL");
    let r = finish(child, 10);
    assert_ne!(r.code, 0, "killed");
    let before = env.stored("VENDOR").len();
    assert!((6000..20_000).contains(&before), "{before} rows written before the kill");

    let rep = env.path("report.jsonl");
    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id", "--resume", "--report", rep.to_str().unwrap()]);
    assert!(r.code == 0 || r.code == 3, "{r:?}");
    let posts = env.posts("VENDOR");
    assert_no_row_sent_after_its_confirmed_write(&posts, "vendor_id", &HashSet::new());
    let unknown = unknown_in(&rep);
    assert_eq!(r.json()["unknown"].as_u64().unwrap() as usize, unknown.len());
    if r.code == 3 {
        // The kill came while a request was on the wire: its rows are listed, not sent, and
        // go only when asked.
        assert!(unknown.len() <= 4000, "at most the requests in flight: {}", unknown.len());
        let r = env.run(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--resume", "--resend-unknown"]).ok();
        assert!(r.stderr.contains("imported 20,000 rows"), "{}", r.stderr);
        assert_no_row_sent_after_its_confirmed_write(&env.posts("VENDOR"), "vendor_id", &unknown);
    }
    all_stored_once(&env, 20_000);
    assert!(!ckpt.exists());
}

#[test]
fn a_request_on_the_wire_at_kill_9_is_unknown_and_sent_again_only_when_asked() {
    let (env, input, _) = setup("inflight", 10_000);
    // The 6th request (rows 5000..6000) is held for 4 s: the kill finds it on the wire.
    env.faults(json!({"kind": "latency", "latencyMs": 4000, "method": "POST", "bodyContains": "\"V5500\"", "times": 1}));
    let child = env.spawn(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id"], "off");
    wait_for(60, "the held request", || env.posts("VENDOR").iter().any(|e| keys_of(e, "vendor_id").contains(&"V5500".to_string())));
    signal(&child, "KILL");
    finish(child, 10);
    let first_run: Vec<_> = env.posts("VENDOR");

    let rep = env.path("report.jsonl");
    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--key", "vendor_id", "--resume", "--report", rep.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{r:?}");
    let unknown = unknown_in(&rep);
    let held: HashSet<String> = (5000..6000).map(|i| format!("V{i}")).collect();
    assert!(unknown.is_superset(&held), "the held request's rows are unknown ({} unknown)", unknown.len());
    let line = read_jsonl(&rep).into_iter().find(|e| e["key"] == "V5500").unwrap();
    assert!(line["reason"].as_str().unwrap().contains("sent by an earlier run that stopped"), "{line}");
    let resent: BTreeSet<String> = env.posts("VENDOR")[first_run.len()..].iter().flat_map(|e| keys_of(e, "vendor_id")).collect();
    assert!(resent.iter().all(|k| !unknown.contains(k)), "unknown rows are not sent without --resend-unknown");
    assert_no_row_sent_after_its_confirmed_write(&env.posts("VENDOR"), "vendor_id", &HashSet::new());

    env.run(&["import", "masters", "VENDOR", input.to_str().unwrap(), "--resume", "--resend-unknown"]).ok();
    assert_no_row_sent_after_its_confirmed_write(&env.posts("VENDOR"), "vendor_id", &unknown);
    all_stored_once(&env, 10_000);
}

#[test]
fn ctrl_c_stops_after_the_requests_in_flight_saves_the_checkpoint_and_exits_130() {
    let (env, input, ckpt) = setup("ctrlc", 20_000);
    let child = env.spawn(&["import", "masters", "VENDOR", input.to_str().unwrap()], "5");
    wait_for(60, "a few chunks written", || done_lines(&ckpt) >= 3);
    signal(&child, "INT");
    let r = finish(child, 15);
    assert_eq!(r.code, 130, "{r:?}");
    assert!(r.stderr.contains("stopped: the import was interrupted (Ctrl-C)"), "{}", r.stderr);
    assert!(r.stderr.contains("run again with --resume"), "{}", r.stderr);
    assert!(ckpt.exists());
    // Every request that left was answered and recorded: nothing is unknown.
    let written = env.stored("VENDOR").len();
    assert_eq!(env.posts("VENDOR").len() * 1000, written, "no request was cut off");
    assert!(r.stderr.contains(&format!("{} written", count(written))), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{} not sent", count(20_000 - written))), "{}", r.stderr);

    let r = env.run(&["--json", "import", "masters", "VENDOR", input.to_str().unwrap(), "--resume"]).ok();
    assert_eq!(r.json()["writtenBefore"].as_u64().unwrap() as usize, written);
    assert_no_row_sent_after_its_confirmed_write(&env.posts("VENDOR"), "vendor_id", &HashSet::new());
    all_stored_once(&env, 20_000);
}

fn count(n: usize) -> String {
    let s = n.to_string();
    s.chars().enumerate().fold(String::new(), |mut acc, (i, c)| {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            acc.push(',');
        }
        acc.push(c);
        acc
    })
}
