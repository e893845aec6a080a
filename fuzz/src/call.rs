//! `exto360::json::call` (and `json::pages` for the iterations): every operation's argument
//! decoding and validation, up to the point where a request would go on the wire. The client
//! points at a closed loopback port with no retries and no rate limit, so a call that passes
//! validation fails at once with a `Connection` error and no server is ever reached.

use std::sync::OnceLock;

use exto360::json::{call, error_json, pages};
use exto360::{Client, Error, ErrorKind, WriteState};
use futures_util::StreamExt;
use serde_json::{Value, json};

/// Port 1 (tcpmux) on loopback: privileged, never handed out as an ephemeral port, closed on
/// any machine these run on (checked once at start).
const CLOSED: &str = "127.0.0.1:1";
const TOKEN: &str = "fuzz-Secret-Token-7f3a9c";

/// Every operation of `json::call`, and the iterations of `json::pages`.
pub const OPS: &[&str] = &[
    "health.liveness",
    "health.readiness",
    "masters.list",
    "modules.list",
    "masters.upsert",
    "modules.upsert",
    "subTable.upsert",
    "workflow.act",
    "users.grantAccess",
    "users.list",
    "users.get",
    "users.groups",
    "users.activate",
    "users.deactivate",
    "users.removeAccess",
    "users.removeProjectAccess",
    "filter.render",
    "masters.iter",
    "modules.iter",
    "users.iter",
];

/// Bulk operations and their list argument: with an empty (or missing) list they succeed
/// without a request.
const BULK: &[(&str, &str)] = &[
    ("masters.upsert", "records"),
    ("modules.upsert", "records"),
    ("subTable.upsert", "rows"),
    ("workflow.act", "recordIds"),
    ("users.activate", "usernames"),
    ("users.deactivate", "usernames"),
];

struct Env {
    rt: tokio::runtime::Runtime,
    client: Client,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        if std::net::TcpStream::connect(CLOSED).is_ok() {
            panic!("{CLOSED} accepts connections; the call target needs it closed");
        }
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
        let cfg = json!({
            "token": TOKEN, "baseUrl": format!("http://{CLOSED}"), "maxRetries": 0, "rateLimit": null,
            "timeout": 10, "connectTimeout": 5, "projectId": "Vx6-j2Z",
        });
        let client = exto360::json::client_from_json(&cfg).expect("the fuzz client config is valid");
        Env { rt, client }
    })
}

/// Runs `op` with `args`. Properties: only `filter.render` and bulk writes of nothing can
/// succeed (there is no server), and a rendered filter is one the emulator reads; every failure
/// is `InvalidInput` (refused before sending) or `Connection` (validation passed); a bulk report
/// covers its input exactly and calls nothing written; the token is in no error; a raw filter
/// that compares dates is refused without `localTimeZone`.
pub fn check(op: &str, args: &Value, input_has_token: bool) {
    let env = env();
    if let Some(filter @ Value::Object(_)) = args.get("filter") {
        crate::filter::check_filter_json(filter);
        if crate::filter::conditions(filter) > crate::filter::MAX_CONDITIONS {
            return;
        }
    }
    let result: Result<String, Error> = env.rt.block_on(async {
        if op.ends_with(".iter") {
            let mut s = pages(&env.client, op, args)?;
            return match s.next().await {
                Some(r) => r,
                None => Ok(String::new()),
            };
        }
        call(&env.client, op, args).await
    });
    match result {
        Ok(text) if op == "filter.render" => {
            let rendered: String = serde_json::from_str(&text).expect("filter.render answers a JSON string");
            let f = exto360::json::filter_from_json(args.get("filter").unwrap_or(&Value::Null));
            crate::filter::check_rendered(&f, &rendered);
        }
        Ok(text) => {
            // A missing or null list is taken as empty (json.rs `array`); see the README.
            let items = BULK.iter().find(|(o, _)| *o == op).map(|(_, key)| args.get(*key).unwrap_or(&Value::Null));
            assert!(items.is_some_and(|v| v.is_null() || v.as_array().is_some_and(Vec::is_empty)), "{op} succeeded without a server: {text}");
            let out: Value = serde_json::from_str(&text).expect("a JSON answer");
            assert!(out.get("insertedCount").is_none_or(|n| n == 0) && out.as_array().is_none_or(Vec::is_empty), "{op} of nothing answered {text}");
        }
        Err(e) => check_error(op, args, &e, input_has_token),
    }
}

fn check_error(op: &str, args: &Value, e: &Error, input_has_token: bool) {
    assert!(matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Connection), "{op}: unexpected {:?}: {e}", e.kind());
    if !input_has_token {
        let all = format!("{e} {e:?} {}", error_json(e));
        assert!(!all.contains(TOKEN), "the token is in an error: {all}");
    }
    if let Some(b) = e.bulk() {
        let mut next = 0;
        for (r, state) in &b.slices {
            assert_eq!(r.start, next, "bulk slices leave a gap or overlap: {b:?}");
            assert!(r.end > r.start, "empty bulk slice: {b:?}");
            assert_ne!(*state, WriteState::Written, "nothing can be written without a server: {b:?}");
            next = r.end;
        }
        assert_eq!(next, b.total, "bulk slices do not cover the input: {b:?}");
    }
    // A raw filter comparing dates never goes on the wire without a time zone.
    let raw_filter = args.get("filter").and_then(Value::as_str);
    let tz = args.get("localTimeZone").is_some_and(|v| !v.is_null());
    if let (Some(f), false, true) = (raw_filter, tz, op.starts_with("masters.") || op.starts_with("modules.")) {
        let dates = exto360_emulator::filter::Filter::parse(f).is_ok_and(|p| p.needs_time_zone());
        if dates && e.kind() == ErrorKind::Connection {
            panic!("{op} with the DATE filter {f:?} and no localTimeZone was sent");
        }
    }
}
