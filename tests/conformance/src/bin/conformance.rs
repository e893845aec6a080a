//! The conformance driver: one emulator, every case, every language's executor; compares the
//! requests on the wire (the emulator's journal) and the normalized results, and prints a
//! case × language matrix. Any mismatch makes the exit status non-zero.
//!
//! `conformance --cases DIR [--exec LANG=COMMAND]... [--only SUBSTRING]`

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use exto360_emulator::{Dataset, Emulator, FaultSpec, Settings};
use serde_json::{Map, Value, json};

const LANGUAGES: [&str; 6] = ["rust", "python", "node", "c", "csharp", "jvm"];
const CASE_TIMEOUT: Duration = Duration::from_secs(90);
const FROZEN_TIME: &str = "2025-02-27T02:20:06.958Z";

struct Case {
    file: String,
    name: String,
    body: Value,
}

fn load_cases(dir: &PathBuf) -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", f.display()));
        let file = f.file_name().unwrap().to_string_lossy().to_string();
        for c in v["cases"].as_array().unwrap_or_else(|| panic!("{file}: no \"cases\" array")) {
            let name = c["name"].as_str().unwrap_or_else(|| panic!("{file}: a case has no name")).to_string();
            if c.get("model").is_some() {
                for (k, body) in model::expand(c).into_iter().enumerate() {
                    out.push(Case { file: file.clone(), name: format!("{name}#{k}"), body });
                }
            } else {
                out.push(Case { file: file.clone(), name, body: c.clone() });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for c in &out {
        assert!(seen.insert(c.name.clone()), "duplicate case name {}", c.name);
    }
    out
}

/// A running executor: one process, one case per line.
struct Executor {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl Executor {
    fn start(cmd: &str) -> std::io::Result<Executor> {
        let mut child = Command::new("sh").arg("-c").arg(cmd).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout: ChildStdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Executor { child, stdin, lines: rx })
    }

    fn call(&mut self, msg: &Value) -> Result<Value, String> {
        writeln!(self.stdin, "{msg}").and_then(|_| self.stdin.flush()).map_err(|e| format!("executor stdin: {e}"))?;
        let deadline = Instant::now() + CASE_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    // Executors may print other lines (warnings); answers are JSON with our id.
                    if let Ok(v) = serde_json::from_str::<Value>(&line)
                        && v.get("id") == msg.get("id") {
                            return Ok(v);
                        }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => return Err("executor timed out".into()),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err("executor exited".into()),
            }
        }
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Expands `{"$repeat": {"count": n, "template": T}}` (every `{i}` in strings of T becomes the
/// index, `"$i"` the index as a number), `{"$recordId": {"module": M, "index": k}}` and
/// `"$version"` (the workspace's one version, which every package reports).
fn resolve(v: &Value, emu: &Emulator) -> Value {
    match v {
        Value::String(s) if s == "$version" => Value::String(env!("CARGO_PKG_VERSION").into()),
        Value::Object(o) if o.contains_key("$repeat") => {
            let spec = &o["$repeat"];
            let n = spec["count"].as_u64().unwrap_or(0) as usize;
            Value::Array((0..n).map(|i| instantiate(&spec["template"], i)).collect())
        }
        Value::Object(o) if o.contains_key("$recordIds") => {
            let spec = &o["$recordIds"];
            let module = spec["module"].as_str().unwrap_or_default();
            let status = spec["status"].as_str();
            let from = spec["from"].as_u64().unwrap_or(0) as usize;
            let count = spec["count"].as_u64().unwrap_or(0) as usize;
            let world = emu.shared().world();
            let ids = world.tenants[0]
                .modules
                .get(module)
                .map(|m| {
                    let with_status = m.records.iter().filter(|r| status.is_none() || r.status.as_deref() == status);
                    with_status.skip(from).take(count).map(|r| Value::String(r.oid.clone())).collect()
                })
                .unwrap_or_default();
            Value::Array(ids)
        }
        Value::Object(o) if o.contains_key("$marker") => Value::String(model::marker(&resolve(&o["$marker"], emu))),
        Value::Object(o) if o.contains_key("$refIds") || o.contains_key("$refId") => {
            // The short ids (`refId`) of stored records: `{"master"|"module": NAME, "index": k}`
            // for one, `{..., "from": k, "count": n}` for a list.
            let one = o.contains_key("$refId");
            let spec = if one { &o["$refId"] } else { &o["$refIds"] };
            let world = emu.shared().world();
            let t = &world.tenants[0];
            let coll = match (spec["master"].as_str(), spec["module"].as_str()) {
                (Some(m), _) => t.masters.get(m),
                (_, Some(m)) => t.modules.get(m),
                _ => None,
            };
            let refs: Vec<Value> = coll.map(|c| c.records.iter().map(|r| Value::String(r.ref_id.clone())).collect()).unwrap_or_default();
            if one {
                refs.get(spec["index"].as_u64().unwrap_or(0) as usize).cloned().unwrap_or(Value::Null)
            } else {
                let from = spec["from"].as_u64().unwrap_or(0) as usize;
                Value::Array(refs.into_iter().skip(from).take(spec["count"].as_u64().unwrap_or(0) as usize).collect())
            }
        }
        Value::Object(o) if o.contains_key("$documentId") || o.contains_key("$workspaceId") || o.contains_key("$jobId") => {
            // The id of the k-th stored document, workspace or job of the first tenant.
            let index = o.values().next().and_then(|s| s["index"].as_u64()).unwrap_or(0) as usize;
            let world = emu.shared().world();
            let t = &world.tenants[0];
            let id = if o.contains_key("$documentId") {
                t.documents.docs.get(index).map(|d| d.id.clone())
            } else if o.contains_key("$workspaceId") {
                t.workspaces.items.get(index).map(|w| w.id.clone())
            } else {
                t.jobs.get(index).map(|j| j.id.clone())
            };
            id.map(Value::String).unwrap_or(Value::Null)
        }
        Value::Object(o) if o.contains_key("$recordId") => {
            let spec = &o["$recordId"];
            let module = spec["module"].as_str().unwrap_or_default();
            let index = spec["index"].as_u64().unwrap_or(0) as usize;
            let world = emu.shared().world();
            let id = world.tenants[0].modules.get(module).and_then(|m| m.records.get(index)).map(|r| r.oid.clone());
            id.map(Value::String).unwrap_or(Value::Null)
        }
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), resolve(v, emu))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, emu)).collect()),
        other => other.clone(),
    }
}

/// Replaces the prefix `$tmp/` of every string with the case's own directory.
fn in_dir(v: &Value, dir: &std::path::Path) -> Value {
    match v {
        Value::String(s) => match s.strip_prefix("$tmp/") {
            Some(rest) => Value::String(dir.join(rest).to_string_lossy().into_owned()),
            None => v.clone(),
        },
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), in_dir(v, dir))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| in_dir(v, dir)).collect()),
        other => other.clone(),
    }
}

/// `setup.files`: `[{"path": "$tmp/a.txt", "text": "..."} | {"path", "size": n}]` (byte `i`
/// of a sized file is `i % 251`, the emulator's seed pattern).
fn write_files(files: &Value, dir: &std::path::Path) -> Result<(), String> {
    for f in files.as_array().into_iter().flatten() {
        let f = in_dir(f, dir);
        let path = f["path"].as_str().ok_or("setup.files: every file needs a path")?;
        let bytes: Vec<u8> = match (f["text"].as_str(), f["size"].as_u64()) {
            (Some(t), _) => t.as_bytes().to_vec(),
            (None, Some(n)) => (0..n).map(|i| (i % 251) as u8).collect(),
            _ => return Err(format!("setup.files: {path} needs text or size")),
        };
        std::fs::write(path, bytes).map_err(|e| format!("setup.files: {path}: {e}"))?;
    }
    Ok(())
}

/// `expect.files`: `{"$tmp/x": {"exists": bool, "text"?, "size"?, "zipEntries"?: [names]}}`,
/// and `expect.dirEntries`: the exact, sorted names in the case's directory (no stray
/// temporary file).
fn check_files(expect: &Value, dir: &std::path::Path) -> Result<(), String> {
    for (name, want) in expect["files"].as_object().into_iter().flatten() {
        let path = in_dir(&json!(name), dir);
        let path = std::path::Path::new(path.as_str().unwrap_or_default());
        let exists = path.exists();
        if want["exists"].as_bool().is_some_and(|e| e != exists) {
            return Err(format!("file {name}: expected exists={}, it {}", want["exists"], if exists { "exists" } else { "does not" }));
        }
        if !exists {
            continue;
        }
        let bytes = std::fs::read(path).map_err(|e| format!("file {name}: {e}"))?;
        if let Some(t) = want["text"].as_str()
            && bytes != t.as_bytes() {
                return Err(format!("file {name}: expected text {t:?}, got {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)])));
            }
        if let Some(n) = want["size"].as_u64() {
            if bytes.len() as u64 != n {
                return Err(format!("file {name}: expected {n} bytes, got {}", bytes.len()));
            }
            if want["text"].is_null() && bytes.iter().enumerate().any(|(i, b)| *b != (i % 251) as u8) {
                return Err(format!("file {name}: bytes differ from the seed pattern"));
            }
        }
        if let Some(entries) = want.get("zipEntries") {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("file {name}: not a zip: {e}"))?;
            let names: Vec<Value> = (0..z.len()).map(|i| z.by_index(i).map(|f| f.name().map(|n| Value::String(n.into_owned())).unwrap_or(Value::Null)).unwrap_or(Value::Null)).collect();
            check(entries, &Value::Array(names), false, &format!("file {name} zip entries"))?;
        }
    }
    if let Some(want) = expect.get("dirEntries") {
        let mut names: Vec<String> = std::fs::read_dir(dir).map_err(|e| e.to_string())?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        check(want, &json!(names), false, "dirEntries")?;
    }
    Ok(())
}

fn instantiate(t: &Value, i: usize) -> Value {
    match t {
        Value::String(s) if s == "$i" => json!(i),
        Value::String(s) => Value::String(s.replace("{i}", &i.to_string())),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), instantiate(v, i))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| instantiate(v, i)).collect()),
        other => other.clone(),
    }
}

/// Compares an expectation with what happened. `"$any"` matches anything, `{"$len": n}` an
/// array of n items, `{"$contains": "text"}` a string containing it; numbers compare by
/// value; a key missing on one side equals `null` on the other. With `subset`, keys the
/// expectation does not name are ignored.
fn check(exp: &Value, act: &Value, subset: bool, at: &str) -> Result<(), String> {
    match exp {
        Value::String(s) if s == "$any" => Ok(()),
        Value::Object(o) if o.len() == 1 && o.contains_key("$len") => match act {
            Value::Array(a) if Some(a.len() as u64) == o["$len"].as_u64() => Ok(()),
            _ => Err(format!("{at}: expected an array of {} items, got {}", o["$len"], short(act))),
        },
        Value::Object(o) if o.len() == 1 && o.contains_key("$contains") => match act {
            Value::String(s) if s.contains(o["$contains"].as_str().unwrap_or_default()) => Ok(()),
            _ => Err(format!("{at}: expected text containing {}, got {}", o["$contains"], short(act))),
        },
        Value::Object(eo) => {
            let empty = Map::new();
            let ao = match act {
                Value::Object(ao) => ao,
                Value::Null => &empty,
                _ => return Err(format!("{at}: expected an object, got {}", short(act))),
            };
            for (k, ev) in eo {
                check(ev, ao.get(k).unwrap_or(&Value::Null), subset, &format!("{at}.{k}"))?;
            }
            if !subset {
                for (k, av) in ao {
                    if !eo.contains_key(k) && !av.is_null() {
                        return Err(format!("{at}.{k}: unexpected {}", short(av)));
                    }
                }
            }
            Ok(())
        }
        Value::Array(ea) => match act {
            Value::Array(aa) if aa.len() == ea.len() => {
                ea.iter().zip(aa).enumerate().try_for_each(|(i, (e, a))| check(e, a, subset, &format!("{at}[{i}]")))
            }
            _ => Err(format!("{at}: expected {} items, got {}", ea.len(), short(act))),
        },
        Value::Number(n) => match act.as_f64() {
            Some(a) if n.as_f64() == Some(a) => Ok(()),
            _ => Err(format!("{at}: expected {n}, got {}", short(act))),
        },
        _ if exp == act => Ok(()),
        _ => Err(format!("{at}: expected {}, got {}", short(exp), short(act))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 160 { format!("{}…", &s[..s.char_indices().nth(160).map(|(i, _)| i).unwrap_or(s.len())]) } else { s }
}

/// The journal entry in the normal form of expected requests.
fn wire(entry: &Value) -> Value {
    let params: Map<String, Value> = entry["params"]
        .as_array()
        .map(|ps| ps.iter().map(|p| (p[0].as_str().unwrap_or_default().to_string(), p[1].clone())).collect())
        .unwrap_or_default();
    json!({ "method": entry["method"], "path": entry["path"], "params": params, "headers": entry["headers"], "body": entry["body"], "status": entry["status"] })
}

fn check_request(exp: &Value, act: &Value, at: &str) -> Result<(), String> {
    for key in ["method", "path"] {
        check(&exp[key], &act[key], false, &format!("{at}.{key}"))?;
    }
    // Params: exactly these (a request must not carry parameters the case does not expect).
    check(exp.get("params").unwrap_or(&json!({})), &act["params"], false, &format!("{at}.params"))?;
    if let Some(h) = exp.get("headers") {
        check(h, &act["headers"], true, &format!("{at}.headers"))?;
    }
    if let Some(b) = exp.get("body") {
        check(b, &act["body"], false, &format!("{at}.body"))?;
    }
    if let Some(s) = exp.get("status") {
        check(s, &act["status"], false, &format!("{at}.status"))?;
    }
    Ok(())
}

fn dataset_for(setup: &Value) -> Dataset {
    let mut d = match &setup["dataset"] {
        Value::Object(_) => serde_json::from_value(setup["dataset"].clone()).expect("setup.dataset is a valid dataset"),
        _ => Dataset::demo(),
    };
    for g in setup["generate"].as_array().into_iter().flatten() {
        let count = g["count"].as_u64().unwrap_or(0) as usize;
        if let Some(module) = g["module"].as_str() {
            if let Some(m) = d.tenants[0].modules.iter_mut().find(|m| m.name == module) {
                m.generate = Some(exto360_emulator::dataset::GenerateSeed { count, ..Default::default() });
            }
        } else {
            let seed = json!({"name": g["master"], "unique": ["code"], "generate": {"count": count}});
            d.tenants[0].masters.push(serde_json::from_value(seed).expect("generate spec"));
        }
    }
    // `{"module", "index", "table", "count"}`: rows `{"line": k, "sku": "S<k>"}` (k from 0)
    // appended to the sub-table of the index-th seeded record.
    for g in setup["subTableRows"].as_array().into_iter().flatten() {
        let (module, table) = (g["module"].as_str().unwrap_or_default(), g["table"].as_str().unwrap_or_default());
        let index = g["index"].as_u64().unwrap_or(0) as usize;
        let count = g["count"].as_u64().unwrap_or(0) as usize;
        let m = d.tenants[0].modules.iter_mut().find(|m| m.name == module).expect("subTableRows names a module of the dataset");
        let rec = m.records.get_mut(index).expect("subTableRows names a seeded record");
        let rows = rec.sub_tables.entry(table.to_string()).or_insert_with(|| json!([]));
        for k in 0..count {
            rows.as_array_mut().expect("rows are an array").push(json!({"line": k, "sku": format!("S{k}")}));
        }
    }
    d
}

fn run_case(case: &Case, exec: &mut Executor, emu: &Emulator, id: u64) -> Result<(), String> {
    let b = &case.body;
    let setup = &b["setup"];
    emu.shared().load(dataset_for(setup)).map_err(|e| format!("setup: {e}"))?;
    let mut settings = Settings { rate_limit: None, frozen_time: Some(FROZEN_TIME.into()), ..Default::default() };
    if let Some(s) = setup.get("settings") {
        let mut cur = serde_json::to_value(&settings).unwrap();
        for (k, v) in s.as_object().into_iter().flatten() {
            cur[k] = v.clone();
        }
        settings = serde_json::from_value(cur).map_err(|e| format!("setup.settings: {e}"))?;
    }
    emu.shared().set_settings(settings).map_err(|e| format!("setup.settings: {e}"))?;
    let faults: Vec<FaultSpec> = serde_json::from_value(resolve(setup.get("faults").unwrap_or(&json!([])), emu)).map_err(|e| format!("setup.faults: {e}"))?;
    emu.set_faults(faults).map_err(|e| format!("setup.faults: {e}"))?;
    emu.clear_journal();
    // Each case gets its own directory for the files it uploads and downloads.
    let dir = tempfile::Builder::new().prefix("conformance-").tempdir().map_err(|e| format!("temp dir: {e}"))?;
    write_files(&setup["files"], dir.path())?;

    let mut client = json!({ "baseUrl": emu.url(), "token": emu.token(), "rateLimit": null, "maxRetries": 3 });
    for (k, v) in b["client"].as_object().into_iter().flatten() {
        client[k] = v.clone();
    }
    let msg = json!({ "id": id, "client": client, "op": b["op"], "args": in_dir(&resolve(&b["args"], emu), dir.path()) });
    // Resolved before the call: placeholders name the state the case starts from.
    let expect = &in_dir(&resolve(&b["expect"], emu), dir.path());
    let reply = exec.call(&msg)?;
    let raw_journal = emu.journal();
    let journal: Vec<Value> = raw_journal.iter().map(wire).collect();
    if let Some(m) = expect.get("model") {
        return model::check(m, &client, &reply, &raw_journal);
    }

    if let Some(reqs) = expect.get("requests").and_then(Value::as_array) {
        if reqs.len() != journal.len() {
            return Err(format!(
                "expected {} requests, saw {}: {}",
                reqs.len(),
                journal.len(),
                journal.iter().map(|j| format!("{} {}", j["method"].as_str().unwrap_or(""), j["path"].as_str().unwrap_or(""))).collect::<Vec<_>>().join(", ")
            ));
        }
        if expect["requestsAnyOrder"].as_bool().unwrap_or(false) {
            let mut left: Vec<&Value> = journal.iter().collect();
            for (i, r) in reqs.iter().enumerate() {
                let pos = left.iter().position(|a| check_request(r, a, "").is_ok()).ok_or_else(|| {
                    let why = left.iter().map(|a| check_request(r, a, &format!("request {i}")).unwrap_err()).next().unwrap_or_default();
                    format!("no request matches expected request {i}: {why}")
                })?;
                left.remove(pos);
            }
        } else {
            for (i, (r, a)) in reqs.iter().zip(&journal).enumerate() {
                check_request(r, a, &format!("request {i}"))?;
            }
        }
    }
    if let Some(n) = expect.get("requestCount").and_then(Value::as_u64)
        && journal.len() as u64 != n {
            return Err(format!("expected {n} requests, saw {}", journal.len()));
        }
    check_files(expect, dir.path())?;
    let subset = expect["resultSubset"].as_bool().unwrap_or(false);
    match (expect.get("error"), reply.get("error"), reply.get("ok")) {
        (Some(e), Some(a), _) => check(e, a, true, "error"),
        (Some(_), None, ok) => Err(format!("expected an error, got result {}", short(ok.unwrap_or(&Value::Null)))),
        (None, Some(a), _) => Err(format!("unexpected error: {}", short(a))),
        (None, None, Some(ok)) => match expect.get("result") {
            Some(r) => check(r, ok, subset, "result"),
            None => Ok(()),
        },
        (None, None, None) => Err(format!("executor answered neither ok nor error: {}", short(&reply))),
    }
}

#[path = "conformance/model.rs"]
mod model;

const USAGE: &str = "usage: conformance [--cases DIR] [--exec LANG=COMMAND]... [--only NAME_PART]";

/// Prints `msg` and the usage, and exits with status 2.
fn usage_error(msg: &str) -> ! {
    eprintln!("conformance: {msg}\n{USAGE}");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut cases_dir = PathBuf::from("tests/conformance/cases");
    let mut execs: BTreeMap<String, String> = BTreeMap::new();
    let mut only: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cases" => cases_dir = PathBuf::from(args.next().unwrap_or_else(|| usage_error("--cases needs a directory"))),
            "--exec" => {
                let spec = args.next().unwrap_or_else(|| usage_error("--exec needs LANG=COMMAND"));
                let (lang, cmd) = spec.split_once('=').unwrap_or_else(|| usage_error("--exec needs LANG=COMMAND"));
                execs.insert(lang.to_string(), cmd.to_string());
            }
            "--only" => only = Some(args.next().unwrap_or_else(|| usage_error("--only needs a part of a case name"))),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => usage_error(&format!("unknown argument {other}")),
        }
    }
    let cases: Vec<Case> = load_cases(&cases_dir).into_iter().filter(|c| only.as_ref().is_none_or(|o| c.name.contains(o.as_str()))).collect();
    let emu = Emulator::builder().rate_limit(None).spawn().expect("emulator starts");

    let mut results: BTreeMap<(usize, &str), Result<(), String>> = BTreeMap::new();
    let mut id = 0u64;
    for lang in LANGUAGES {
        let Some(cmd) = execs.get(lang) else { continue };
        let started = Instant::now();
        let mut exec = match Executor::start(cmd) {
            Ok(e) => e,
            Err(e) => {
                for i in 0..cases.len() {
                    results.insert((i, lang), Err(format!("cannot start executor: {e}")));
                }
                continue;
            }
        };
        for (i, case) in cases.iter().enumerate() {
            id += 1;
            let r = run_case(case, &mut exec, &emu, id);
            if let Err(e) = &r
                && e.starts_with("executor") {
                    exec = Executor::start(cmd).expect("executor restarts");
                }
            results.insert((i, lang), r);
        }
        eprintln!("conformance: {lang}: {} cases in {:.1} s", cases.len(), started.elapsed().as_secs_f64());
    }

    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    out.push_str(&format!("{:width$}  {}\n", "case", LANGUAGES.map(|l| format!("{l:7}")).join(" ")));
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let cells: Vec<String> = LANGUAGES
            .iter()
            .map(|l| match results.get(&(i, *l)) {
                None => "absent ".to_string(),
                Some(Ok(())) => "pass   ".to_string(),
                Some(Err(e)) => {
                    failures.push(format!("{} [{}] ({}): {e}", case.name, l, case.file));
                    "FAIL   ".to_string()
                }
            })
            .collect();
        out.push_str(&format!("{:width$}  {}\n", case.name, cells.join(" ")));
    }
    let totals: Vec<String> = LANGUAGES
        .iter()
        .map(|l| {
            let ran: Vec<_> = (0..cases.len()).filter_map(|i| results.get(&(i, *l))).collect();
            if ran.is_empty() { format!("{l}: absent") } else { format!("{l}: {}/{} pass", ran.iter().filter(|r| r.is_ok()).count(), ran.len()) }
        })
        .collect();
    println!("{out}\n{} cases — {}", cases.len(), totals.join(", "));
    emu.stop();
    if !failures.is_empty() {
        eprintln!("\nFailures:");
        for f in &failures {
            eprintln!("  {f}");
        }
        std::process::exit(1);
    }
}
