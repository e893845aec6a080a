//! Benchmark of the `exto360` command (issue 14), the release binary against an emulator
//! process limited, like the API, to 3 requests/s:
//!
//! 1. `export masters BIG -o big.csv` of 1,000,000 records;
//! 2. `import masters SINK rows.csv` of 100,000 rows.
//!
//! For each: wall time of the command, requests the server got (429 answers among them),
//! share of the rate ceiling used = ideal time / wall time, where the ideal for N requests at
//! 3/s is (N − 1) / 3 s (goal ≥ 97%), and the command's peak RSS (VmHWM, goal ≤ 64 MB,
//! independent of the count).
//!
//! `cli [export|import|all] [RECORDS] [ROWS]` (defaults 1,000,000 and 100,000).

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use exto360_bench::{EmulatorProcess, mb};
use serde_json::{Value, json};

const RATE: f64 = 3.0;

/// A finished command: exit status, wall time, peak RSS, its `--json` result.
struct Job {
    code: i32,
    wall: f64,
    peak: u64,
    result: Value,
}

/// VmHWM of a live process, in bytes (0 once it has exited).
fn vm_hwm(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kb| kb * 1024)
}

/// Runs the release `exto360` next to this binary, sampling its VmHWM (a high-water mark, so
/// only the last few milliseconds before exit can escape the samples).
fn run_cli(url: &str, args: &[&str]) -> Job {
    let bin = std::env::current_exe().unwrap().with_file_name("exto360");
    let mut cmd = Command::new(&bin);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("EXTO360_")) {
        cmd.env_remove(k);
    }
    let mut child = cmd
        .args(["--quiet", "--json"])
        .args(args)
        .env("EXTO360_BASE_URL", url)
        .env("EXTO360_TOKEN", "bench")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e} (make bench builds it)", bin.display()));
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        peak = peak.max(vm_hwm(child.id()));
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = start.elapsed().as_secs_f64();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    let result = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("exto360 printed no JSON result ({e}): {out}"));
    Job { code: status.code().unwrap_or(-1), wall, peak, result }
}

/// (requests, 429 answers) the emulator saw since its journal was last cleared, and clears it.
async fn requests(emu: &EmulatorProcess) -> (usize, usize) {
    let j = emu.admin(reqwest::Method::GET, "/journal", Value::Null).await;
    let entries = j["entries"].as_array().cloned().unwrap_or_default();
    let limited = entries.iter().filter(|e| e["status"] == 429).count();
    emu.admin(reqwest::Method::DELETE, "/journal", Value::Null).await;
    (entries.len(), limited)
}

fn report(what: &str, job: &Job, n: usize, limited: usize) {
    let ideal = (n.saturating_sub(1)) as f64 / RATE;
    println!(
        "cli {what}: {:.1} s for {n} requests ({limited} answered 429), ideal {ideal:.1} s at {RATE} req/s → {:.1}% of the rate ceiling used (goal ≥ 97%); peak RSS {:.1} MB (goal ≤ 64 MB); exit {}",
        job.wall,
        ideal / job.wall * 100.0,
        mb(job.peak),
        job.code
    );
}

async fn export(records: usize, dir: &Path) {
    let emu = EmulatorProcess::start(records, "3");
    emu.admin(reqwest::Method::DELETE, "/journal", Value::Null).await;
    let out = dir.join("big.csv");
    let job = run_cli(&emu.url, &["export", "masters", "BIG", "-o", out.to_str().unwrap()]);
    let (n, limited) = requests(&emu).await;
    assert_eq!(job.result["records"], json!(records), "{}", job.result);
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    report(&format!("export {records} records to CSV ({:.0} MB)", mb(size)), &job, n, limited);
    let _ = std::fs::remove_file(&out);
}

async fn import(rows: usize, dir: &Path) {
    let input = dir.join("rows.csv");
    {
        let mut w = BufWriter::new(std::fs::File::create(&input).unwrap());
        writeln!(w, "code,name,qty,price,active,tags").unwrap();
        for i in 0..rows {
            writeln!(w, "R{i},Row {i},{i},{},{},\"[\"\"t{}\"\"]\"", i as f64 * 1.5, i % 2 == 0, i % 7).unwrap();
        }
    }
    let emu = EmulatorProcess::start(0, "3");
    emu.admin(reqwest::Method::DELETE, "/journal", Value::Null).await;
    let job = run_cli(&emu.url, &["import", "masters", "SINK", input.to_str().unwrap(), "--key", "code"]);
    let (n, limited) = requests(&emu).await;
    assert_eq!(job.result["written"], json!(rows), "{}", job.result);
    report(&format!("import {rows} rows from CSV"), &job, n, limited);
    let _ = std::fs::remove_file(&input);
}

#[tokio::main]
async fn main() {
    exto360_bench::install_crypto();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("all");
    let records = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let rows = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("exto360-cli-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if what == "import" || what == "all" {
        import(rows, &dir).await;
    }
    if what == "export" || what == "all" {
        export(records, &dir).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
