//! Model-based test of the bulk write report: random per-chunk sequences of outcomes (refused,
//! failed before or after doing the work, connection reset before or after, answer cut off)
//! against the emulator, for every bulk operation (upserts, sub-table writes, workflow actions,
//! deactivation, and the current edition's PATCH and DELETE of records). Whatever the mix, the report must never call
//! an applied row "not written" nor an unapplied row "written", and a POST must never be sent
//! again after an attempt that may have been carried out unless `retry_writes` says so.
//!
//! "Applied" is the emulator's own account (`applied` in its journal), not the client's.
mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::Env;
use exto360::{ActOptions, Client, ErrorKind, RecordKey, WriteState};
use exto360_emulator::Dataset;
use proptest::prelude::*;
use serde_json::{Value, json};

/// What the server does with one attempt of a chunk.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// Refused with a status that proves nothing was done (400, 409, 422, 429).
    Refused(u16),
    /// A 5xx without doing the work.
    Failed(u16),
    /// The work is done, then a 5xx is answered.
    FailedAfterWork(u16),
    /// The connection drops before the work.
    Reset,
    /// The work is done, then the connection drops.
    ResetAfterWork,
    /// The work is done and the answer is cut in half.
    Truncated,
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        prop::sample::select(vec![400u16, 409, 422, 429]).prop_map(Outcome::Refused),
        prop::sample::select(vec![500u16, 502, 503, 504]).prop_map(Outcome::Failed),
        prop::sample::select(vec![500u16, 503]).prop_map(Outcome::FailedAfterWork),
        Just(Outcome::Reset),
        Just(Outcome::ResetAfterWork),
        Just(Outcome::Truncated),
        // 429 is the common case in real life: weigh it up.
        Just(Outcome::Refused(429)),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Upsert,
    SubTable,
    Workflow,
    Deactivate,
    /// PATCH of master records (current edition).
    Update,
    /// DELETE of master records.
    Delete,
    /// DELETE of module records by record number (404 when none matches).
    ModuleDelete,
}

impl Op {
    fn chunk(self) -> usize {
        match self {
            Op::Workflow => 100,
            _ => 1000,
        }
    }
    fn method(self) -> &'static str {
        match self {
            Op::Deactivate | Op::Update => "PATCH",
            Op::Delete | Op::ModuleDelete => "DELETE",
            _ => "POST",
        }
    }
}

#[derive(Debug, Clone)]
struct Plan {
    op: Op,
    /// Items in the last chunk (the others are full).
    last: usize,
    faults: Vec<Vec<Outcome>>,
    retry_writes: bool,
    max_retries: u32,
    concurrency: usize,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::sample::select(vec![Op::Upsert, Op::SubTable, Op::Workflow, Op::Deactivate, Op::Update, Op::Delete, Op::ModuleDelete]),
        prop::collection::vec(prop::collection::vec(outcome(), 0..=4), 1..=3),
        1usize..=100,
        any::<bool>(),
        0u32..=3,
        1usize..=3,
    )
        .prop_map(|(op, faults, last_pct, retry_writes, max_retries, concurrency)| Plan {
            op,
            last: (op.chunk() * last_pct).div_ceil(100),
            faults,
            retry_writes,
            max_retries,
            concurrency,
        })
}

struct World {
    rt: tokio::runtime::Runtime,
    env: Env,
    /// Tests of this file run on parallel threads; they share one emulator, one at a time.
    turn: std::sync::Mutex<()>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let env = rt.block_on(Env::start());
        World { rt, env, turn: std::sync::Mutex::new(()) }
    })
}

fn dataset() -> Dataset {
    let mut d = Dataset::demo();
    // Enough Draft records for three chunks of workflow actions, and of module deletes.
    for m in d.tenants[0].modules.iter_mut().filter(|m| m.name == "CUSTOMMODULE") {
        m.generate = Some(serde_json::from_value(json!({"count": 3000})).unwrap());
    }
    d
}

/// The items of a plan, and the text that tells each chunk's requests apart in the journal.
fn items(plan: &Plan, env: &Env) -> (Vec<Value>, Vec<String>) {
    let n = plan.op.chunk() * (plan.faults.len() - 1) + plan.last;
    let chunk = plan.op.chunk();
    let items: Vec<Value> = match plan.op {
        Op::Upsert => (0..n).map(|i| json!({"vendor_id": format!("V{i}"), "batch": format!("B{}X", i / chunk)})).collect(),
        Op::SubTable => (0..n).map(|i| json!({"signer": format!("s{i}"), "batch": format!("B{}X", i / chunk)})).collect(),
        Op::Deactivate => (0..n).map(|i| json!(format!("u{i}@x.com"))).collect(),
        Op::Update => (0..n).map(|i| json!({"refId": format!("R{i}"), "batch": format!("B{}X", i / chunk)})).collect(),
        Op::Delete => (0..n).map(|i| json!(format!("R{i}"))).collect(),
        Op::ModuleDelete => (0..n).map(|i| json!(format!("MOD-{}", i + 1))).collect(),
        Op::Workflow => {
            let world = env.emu.shared().world();
            let m = &world.tenants[0].modules["CUSTOMMODULE"];
            m.records.iter().filter(|r| r.status.as_deref() == Some("Draft")).take(n).map(|r| json!(r.oid)).collect()
        }
    };
    assert_eq!(items.len(), n, "the dataset has enough items");
    let markers = (0..plan.faults.len())
        .map(|c| match plan.op {
            Op::Upsert | Op::SubTable | Op::Update => format!("\"B{c}X\""),
            Op::Deactivate | Op::Workflow | Op::Delete | Op::ModuleDelete => items[c * chunk].to_string(),
        })
        .collect();
    (items, markers)
}

fn rules(plan: &Plan, markers: &[String]) -> Value {
    let mut rules = Vec::new();
    for (c, seq) in plan.faults.iter().enumerate() {
        for o in seq {
            let mut r = json!({"method": plan.op.method(), "bodyContains": markers[c], "times": 1});
            let (kind, status, after) = match *o {
                Outcome::Refused(s) => ("status", Some(s), false),
                Outcome::Failed(s) => ("status", Some(s), false),
                Outcome::FailedAfterWork(s) => ("status", Some(s), true),
                Outcome::Reset => ("reset", None, false),
                Outcome::ResetAfterWork => ("reset", None, true),
                Outcome::Truncated => ("truncate", None, false),
            };
            r["kind"] = json!(kind);
            if let Some(s) = status {
                r["status"] = json!(s);
            }
            if after {
                r["afterWork"] = json!(true);
            }
            rules.push(r);
        }
    }
    Value::Array(rules)
}

/// Runs the plan; `Ok(states per chunk)` or the reason the report is wrong.
fn check(plan: &Plan) -> Result<(), String> {
    let World { rt, env, turn } = world();
    let _turn = turn.lock().unwrap_or_else(|e| e.into_inner());
    env.emu.shared().load(dataset()).unwrap();
    let (items, markers) = items(plan, env);
    env.faults(rules(plan, &markers));
    let client: Client = env
        .builder()
        .retry_writes(plan.retry_writes)
        .max_retries(plan.max_retries)
        .bulk_concurrency(plan.concurrency)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let parent = env.emu.shared().world().tenants[0].modules["CUSTOMMODULE"].records[0].oid.clone();
    let strings: Vec<String> = items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
    let result: Result<(), exto360::Error> = rt.block_on(async {
        match plan.op {
            Op::Upsert => client.masters("VENDOR").upsert(&items).await.map(drop),
            Op::SubTable => client.sub_table("Signatures").upsert(&items, "CUSTOMMODULE", &parent).await.map(drop),
            Op::Workflow => client.workflow("CUSTOMMODULE").act(&strings, &ActOptions::new("Submit", "johndoe@exto360.com")).await.map(drop),
            Op::Deactivate => client.users().deactivate(&strings).await.map(drop),
            Op::Update => client.masters("VENDOR").update(&items, RecordKey::RefId).await.map(drop),
            Op::Delete => client.masters("VENDOR").delete(&strings, RecordKey::RefId, "jasonsmith@exto360.com").await.map(drop),
            Op::ModuleDelete => client.modules("CUSTOMMODULE").delete(&strings, RecordKey::RecordNumber, "johndoe@exto360.com").await.map(drop),
        }
    });
    let chunk = plan.op.chunk();
    let state_of = |c: usize| -> WriteState {
        match &result {
            Ok(()) => WriteState::Written,
            Err(e) => {
                let b = e.bulk().expect("every failed bulk write has a report");
                b.slices.iter().find(|(r, _)| r.contains(&(c * chunk))).map(|(_, s)| *s).expect("the report covers every item")
            }
        }
    };
    if let Err(e) = &result {
        let b = e.bulk().unwrap();
        if b.total != items.len() || b.slices.iter().map(|(r, _)| r.len()).sum::<usize>() != items.len() {
            return Err(format!("the report does not cover the input exactly: {b:?}"));
        }
        if e.kind() == ErrorKind::InvalidInput {
            return Err(format!("unexpected error: {e}"));
        }
    }
    let journal = env.journal();
    for (c, marker) in markers.iter().enumerate() {
        let attempts: Vec<&Value> = journal.iter().filter(|e| e["method"] == plan.op.method() && e["body"].to_string().contains(marker.as_str())).collect();
        let applied = attempts.iter().any(|e| e["applied"] == true);
        let state = state_of(c);
        let seen: Vec<String> = attempts.iter().map(|e| format!("{}/{}/{}", e["status"], e["fault"], e["applied"])).collect();
        match state {
            WriteState::Written if !applied => return Err(format!("chunk {c} reported written but never applied: {seen:?}")),
            WriteState::NotWritten if applied => return Err(format!("chunk {c} reported not written but the server applied it: {seen:?}")),
            _ => {}
        }
        // Without the opt-in, a POST is sent again only after a 429 (or a failure before
        // sending, which never reaches the journal).
        if plan.op.method() == "POST" && !plan.retry_writes {
            let before_last = &attempts[..attempts.len().saturating_sub(1)];
            if let Some(e) = before_last.iter().find(|e| e["status"] != 429) {
                return Err(format!("chunk {c}: a POST was repeated after {} ({}): {seen:?}", e["status"], e["fault"]));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_report_never_contradicts_the_server(plan in plan()) {
        if let Err(why) = check(&plan) {
            prop_assert!(false, "{why}\nplan: {plan:?}");
        }
    }
}

/// The stacked sequences the issue names, as fixed cases (they also run in every language
/// through the conformance suite).
#[test]
fn stacked_sequences() {
    let fixed = [
        // A lost answer, then a 429 on the retry: the first attempt may have written.
        Plan { op: Op::Upsert, last: 10, faults: vec![vec![Outcome::Truncated, Outcome::Refused(429)]], retry_writes: true, max_retries: 1, concurrency: 1 },
        // Activate/deactivate retry 5xx by default: applied, then 503, then 429 until give-up.
        Plan {
            op: Op::Deactivate,
            last: 10,
            faults: vec![vec![Outcome::FailedAfterWork(503), Outcome::Refused(429), Outcome::Refused(429)]],
            retry_writes: false,
            max_retries: 2,
            concurrency: 1,
        },
        // A chunk waiting to retry when another chunk fails is stopped, but keeps what its
        // first attempt may have done.
        Plan {
            op: Op::Deactivate,
            last: 10,
            faults: vec![vec![Outcome::ResetAfterWork, Outcome::Refused(429)], vec![Outcome::Refused(400)]],
            retry_writes: false,
            max_retries: 3,
            concurrency: 2,
        },
    ];
    for p in fixed {
        check(&p).unwrap_or_else(|e| panic!("{e}\n{p:?}"));
    }
}


