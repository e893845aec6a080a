//! Benchmarks of the Rust core (issue: "Rust core"), against an emulator in another process:
//!
//! 1. rate-limited bulk write: emulator at 3 requests/s with 100 ms latency, upsert 30,000
//!    records → records/s as a fraction of the 3,000/s ceiling (goal ≥ 95%), rows lost (goal 0);
//! 2. client cost: CPU time of `iter` over 100,000 records vs. a hand-written reqwest +
//!    serde_json loop over the same pages (goal ≤ 1.1×);
//! 3. peak RSS of `iter` over 1,000,000 records, in a child process (goal ≤ 64 MB);
//! 4. one token, many workers: 60,000 rows upserted by 4 processes against an emulator at
//!    3 requests/s with 100 ms latency, with the rate limit shared through Redis vs. a limit per
//!    process — share of the token's ceiling used (goal ≥ 95%) and 429s received (goal 0).
//!
//! `core [write|cost|memory|shared|all]`; `memory-child URL` is the child of (3),
//! `shared-child URL STORE|- FROM COUNT` a worker of (4).

use std::time::Instant;

use exto360::{Client, ListOptions, Record};
use exto360_bench::{EmulatorProcess, cpu_time, mb, peak_rss};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

fn client(url: &str, rate: Option<f64>) -> Client {
    Client::builder().base_url(url).token("bench").rate_limit(rate).build().unwrap()
}

async fn bulk_write() {
    let emu = EmulatorProcess::start(0, "3");
    emu.admin(reqwest::Method::POST, "/faults", json!({"kind": "latency", "latencyMs": 100})).await;
    emu.admin(reqwest::Method::PATCH, "/config", json!({"journalLimit": 0})).await;
    let rows: Vec<Value> = (0..30_000).map(|i| json!({"code": format!("R{i}"), "name": format!("Row {i}"), "n": i})).collect();
    let c = client(&emu.url, Some(3.0));
    let start = Instant::now();
    let res = c.masters("SINK").upsert(&rows).await.expect("upsert succeeds");
    let secs = start.elapsed().as_secs_f64();
    let rate = 30_000.0 / secs;
    // Count what the server holds, through the admin view (no rate limit there).
    let stored: Value = reqwest::get(format!("{}/__emulator/records/masters/SINK", emu.url)).await.unwrap().json().await.unwrap();
    let held = stored.as_array().map(Vec::len).unwrap_or(0);
    println!(
        "core bulk write: 30,000 records in 30 requests at 3 req/s + 100 ms latency: {secs:.2} s → {rate:.0} records/s = {:.1}% of the 3,000/s ceiling (goal ≥ 95%); inserted {} / held by the server {held} → {} rows lost",
        rate / 3000.0 * 100.0,
        res.inserted_count,
        30_000usize.saturating_sub(held)
    );
}

async fn client_cost() {
    let emu = EmulatorProcess::start(100_000, "off");
    emu.admin(reqwest::Method::PATCH, "/config", json!({"journalLimit": 0})).await;
    let url = emu.url.clone();
    // Warm up both paths (connections, allocator).
    let c = client(&url, None);
    let _: Vec<Record> = c.masters("BIG").iter(ListOptions::new().page_size(1000)).try_collect().await.unwrap();

    let mut ours = Vec::new();
    let mut hand = Vec::new();
    for _ in 0..3 {
        let t0 = cpu_time();
        let w0 = Instant::now();
        let mut n = 0usize;
        let mut rows = c.masters("BIG").iter(ListOptions::new().page_size(1000));
        while let Some(r) = rows.try_next().await.unwrap() {
            n += usize::from(r.id().is_some());
        }
        assert_eq!(n, 100_000);
        ours.push(((cpu_time() - t0).as_secs_f64(), w0.elapsed().as_secs_f64()));

        let http = reqwest::Client::new();
        let t0 = cpu_time();
        let w0 = Instant::now();
        let mut n = 0usize;
        for page in 1.. {
            let body = http.get(format!("{url}/api/v1/master-record/BIG?page={page}&pageSize=1000")).bearer_auth("bench").send().await.unwrap().bytes().await.unwrap();
            let v: Value = serde_json::from_slice(&body).unwrap();
            for r in v["rows"].as_array().unwrap() {
                n += usize::from(r.get("_id").is_some());
            }
            if v["page"].as_u64() >= v["totalPages"].as_u64() {
                break;
            }
        }
        assert_eq!(n, 100_000);
        hand.push(((cpu_time() - t0).as_secs_f64(), w0.elapsed().as_secs_f64()));
    }
    let best = |v: &Vec<(f64, f64)>| v.iter().cloned().fold((f64::MAX, f64::MAX), |a, b| (a.0.min(b.0), a.1.min(b.1)));
    let (o, h) = (best(&ours), best(&hand));
    println!(
        "core client cost: iter over 100,000 records: {:.3} s CPU ({:.2} s wall) vs hand-written reqwest+serde_json loop {:.3} s CPU ({:.2} s wall) → {:.2}× (goal ≤ 1.1×; best of 3)",
        o.0, o.1, h.0, h.1, o.0 / h.0
    );
}

fn memory() {
    let emu = EmulatorProcess::start(1_000_000, "off");
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe).args(["memory-child", &emu.url]).output().unwrap();
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
}

async fn memory_child(url: &str) {
    let c = client(url, None);
    let base = peak_rss();
    let start = Instant::now();
    let mut n = 0usize;
    let mut rows = c.masters("BIG").iter(ListOptions::new());
    while let Some(r) = rows.try_next().await.unwrap() {
        n += usize::from(r.id().is_some());
    }
    println!(
        "core iter memory: {n} records in {:.1} s, peak RSS {:.1} MB (before iterating {:.1} MB; goal ≤ 64 MB)",
        start.elapsed().as_secs_f64(),
        mb(peak_rss()),
        mb(base)
    );
}

/// CPU seconds (best of 3) of `iter` over master BIG at `url`; used by the C benchmark.
async fn iter_cpu(url: &str) {
    let c = client(url, None);
    let _: Vec<Record> = c.masters("BIG").iter(ListOptions::new()).try_collect().await.unwrap();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t0 = cpu_time();
        let mut rows = c.masters("BIG").iter(ListOptions::new());
        while let Some(r) = rows.try_next().await.unwrap() {
            std::hint::black_box(r.id());
        }
        best = best.min((cpu_time() - t0).as_secs_f64());
    }
    println!("{best:.3}");
}

/// A redis-server of the benchmark's own on a free port.
struct RedisProcess {
    child: std::process::Child,
    url: String,
}

impl RedisProcess {
    fn start() -> RedisProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (Debian package redis-server)");
        for _ in 0..500 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        RedisProcess { child, url: format!("redis://127.0.0.1:{port}/") }
    }
}

impl Drop for RedisProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn shared_limit() {
    const ROWS: usize = 60_000;
    const WORKERS: usize = 4;
    let redis = RedisProcess::start();
    for (label, store) in [("shared through Redis", redis.url.as_str()), ("one limiter per process", "-")] {
        let emu = EmulatorProcess::start(0, "3");
        emu.admin(reqwest::Method::POST, "/faults", json!({"kind": "latency", "latencyMs": 100})).await;
        let exe = std::env::current_exe().unwrap();
        let start = Instant::now();
        let children: Vec<_> = (0..WORKERS)
            .map(|w| {
                let per = ROWS / WORKERS;
                std::process::Command::new(&exe)
                    .args(["shared-child", &emu.url, store, &(w * per).to_string(), &per.to_string()])
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut ok = true;
        for c in children {
            let out = c.wait_with_output().unwrap();
            ok &= out.status.success();
        }
        let secs = start.elapsed().as_secs_f64();
        let journal: Value = reqwest::get(format!("{}/__emulator/journal", emu.url)).await.unwrap().json().await.unwrap();
        let entries = journal["entries"].as_array().cloned().unwrap_or_default();
        let throttled = entries.iter().filter(|e| e["status"] == 429).count();
        let stored: Value = reqwest::get(format!("{}/__emulator/records/masters/SINK", emu.url)).await.unwrap().json().await.unwrap();
        let held = stored.as_array().map(Vec::len).unwrap_or(0);
        // The ceiling: 60 requests of 1000 rows at 3 requests/s.
        let ideal = (ROWS / 1000) as f64 / 3.0;
        println!(
            "core one token, {WORKERS} processes, {label}: {ROWS} rows in {secs:.1} s = {:.1}% of the token's ceiling (goal ≥ 95%), {throttled} answers 429 (goal 0), {} requests, {held} rows held{}",
            ideal / secs * 100.0,
            entries.len(),
            if ok { "" } else { " — a worker failed" }
        );
    }
}

async fn shared_child(url: &str, store: &str, from: usize, count: usize) {
    let mut b = Client::builder().base_url(url).token("bench").rate_limit(Some(3.0)).max_retries(10);
    if store != "-" {
        b = b.rate_limit_store(store);
    }
    let c = b.build().unwrap();
    let rows: Vec<Value> = (from..from + count).map(|i| json!({"code": format!("R{i}"), "n": i})).collect();
    c.masters("SINK").upsert(&rows).await.expect("upsert");
}

#[tokio::main]
async fn main() {
    exto360_bench::install_crypto();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str).unwrap_or("all") {
        "write" => bulk_write().await,
        "cost" => client_cost().await,
        "memory" => memory(),
        "memory-child" => memory_child(&args[1]).await,
        "iter-cpu" => iter_cpu(&args[1]).await,
        "shared" => shared_limit().await,
        "shared-child" => shared_child(&args[1], &args[2], args[3].parse().unwrap(), args[4].parse().unwrap()).await,
        _ => {
            client_cost().await;
            memory();
            bulk_write().await;
            shared_limit().await;
        }
    }
}
