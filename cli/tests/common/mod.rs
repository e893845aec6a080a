//! Shared by the CLI's tests: an emulator on its own thread, the real `exto360` binary pointed
//! at it, a scratch directory, and readers of the emulator's journal and state.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use exto360_emulator::{Dataset, Emulator, FaultSpec};
use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_exto360");

/// The demo dataset plus empty masters VENDOR2/VENDOR3 (unique `vendor_id`) and `BIG` with
/// `big` generated records (unique `code`).
pub fn dataset(big: usize) -> Dataset {
    let mut d = Dataset::demo();
    for name in ["VENDOR2", "VENDOR3"] {
        d.tenants[0].masters.push(serde_json::from_value(json!({"name": name, "unique": ["vendor_id"]})).unwrap());
    }
    if big > 0 {
        d.tenants[0].masters.push(serde_json::from_value(json!({"name": "BIG", "unique": ["code"], "generate": {"count": big}})).unwrap());
    }
    d
}

pub struct Env {
    pub emu: Emulator,
    pub dir: PathBuf,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Env {
    pub fn start(test: &str) -> Env {
        Self::with_dataset(test, dataset(0))
    }
    pub fn with_dataset(test: &str, d: Dataset) -> Env {
        let emu = Emulator::builder().rate_limit(None).dataset(d).spawn().expect("emulator starts");
        let dir = std::env::temp_dir().join(format!("exto360-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Env { emu, dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The binary with the emulator's URL and token, no client rate limit, and none of the
    /// caller's own EXTO360_* settings.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        for (k, _) in std::env::vars() {
            if k.starts_with("EXTO360_") {
                c.env_remove(k);
            }
        }
        c.env("EXTO360_BASE_URL", self.emu.url()).env("EXTO360_TOKEN", self.emu.token()).env("EXTO360_RATE_LIMIT", "off").args(args).current_dir(&self.dir);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args).output().expect("exto360 runs"))
    }

    pub fn spawn(&self, args: &[&str], rate_limit: &str) -> Child {
        self.cmd(args).env("EXTO360_RATE_LIMIT", rate_limit).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("exto360 starts")
    }

    pub fn faults(&self, faults: Value) {
        let list: Vec<FaultSpec> = serde_json::from_value(match faults {
            Value::Array(_) => faults,
            one => json!([one]),
        })
        .expect("fault spec");
        self.emu.set_faults(list).expect("faults accepted");
    }

    pub fn journal(&self) -> Vec<Value> {
        self.emu.journal()
    }

    /// The POSTs to a collection, in the order the server got them.
    pub fn posts(&self, name: &str) -> Vec<Value> {
        let suffix = format!("/{name}");
        self.journal().into_iter().filter(|e| e["method"] == "POST" && e["path"].as_str().unwrap_or_default().ends_with(&suffix)).collect()
    }

    /// Every stored record of a master, straight from the emulator's state.
    pub fn stored(&self, name: &str) -> Vec<Value> {
        let world = self.emu.shared().world();
        let t = &world.tenants[0];
        t.masters.get(name).map(|c| c.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect()).unwrap_or_default()
    }

    /// Stored custom fields by the value of `key`.
    pub fn stored_by(&self, name: &str, key: &str) -> HashMap<String, Value> {
        self.stored(name).into_iter().map(|r| (r["customFields"][key].as_str().unwrap().to_string(), r["customFields"].clone())).collect()
    }
}

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(o: Output) -> Run {
        Run { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() }
    }
    /// stdout as one JSON object (what `--json` promises).
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {self:?}"))
    }
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "{self:?}");
        self
    }
}

/// Rows `V<from>..V<to>` with values of every kind a cell must carry.
pub fn vendor_rows(from: usize, to: usize) -> Vec<Value> {
    (from..to)
        .map(|i| {
            let mut row = json!({
                "vendor_id": format!("V{i}"),
                "name": format!("Vendor {i}, \"quoted\"\nsecond line é"),
                "n": i,
                "price": {"label": format!("{i}.000 USD"), "value": i, "currency": "USD"},
                "ratio": i as f64 / 8.0,
                "active": i % 2 == 0,
                "tags": ["a", format!("t{}", i % 7)],
                "code": format!("{:05}", i),
                "looks_numeric": format!("{i}"),
                "empty": "",
            });
            if i % 3 == 0 {
                row["maybe"] = Value::Null;
            }
            if i % 5 == 4 {
                row["late"] = json!(i);
            }
            row
        })
        .collect()
}

/// Writes rows as JSONL.
pub fn write_jsonl(path: &Path, rows: &[Value]) {
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(path, text).unwrap();
}

/// Lines of a JSONL file.
pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Waits until `cond` holds (polling), or panics after `secs`.
pub fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Lines of a checkpoint that record a chunk's fate.
pub fn done_lines(checkpoint: &Path) -> usize {
    std::fs::read_to_string(checkpoint).map(|t| t.lines().filter(|l| l.starts_with("{\"done\"")).count()).unwrap_or(0)
}

/// The `vendor_id`s in a journal entry's body.
pub fn keys_of(entry: &Value, key: &str) -> Vec<String> {
    entry["body"].as_array().map(|rows| rows.iter().filter_map(|r| r[key].as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Asserts that no row was sent again after the server confirmed writing it (2xx), and
/// returns how many times each row was sent.
pub fn assert_no_row_sent_after_its_confirmed_write(posts: &[Value], key: &str, except: &std::collections::HashSet<String>) -> HashMap<String, usize> {
    let mut confirmed: HashMap<String, u64> = HashMap::new();
    let mut sent: HashMap<String, usize> = HashMap::new();
    for e in posts {
        let seq = e["seq"].as_u64().unwrap();
        for k in keys_of(e, key) {
            *sent.entry(k.clone()).or_default() += 1;
            if let Some(at) = confirmed.get(&k) {
                assert!(except.contains(&k), "row {k} was sent again (request {seq}) after request {at} confirmed it");
            }
            if e["status"].as_u64().is_some_and(|s| (200..300).contains(&s)) {
                confirmed.entry(k).or_insert(seq);
            }
        }
    }
    sent
}

/// Sends SIGINT or SIGKILL to a child.
pub fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill").args([&format!("-{sig}"), &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill -{sig}");
}

/// Waits for a child to exit (at most `secs`) and collects its output.
pub fn finish(mut child: Child, secs: u64) -> Run {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return Run::of(child.wait_with_output().unwrap());
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("exto360 did not exit within {secs} s: {:?}", Run::of(child.wait_with_output().unwrap()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Simple rows `V<i>` with a number.
pub fn small_rows(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"vendor_id": format!("V{i}"), "n": i})).collect()
}
