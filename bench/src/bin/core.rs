//! Benchmarks of the Rust core (issue: "Rust core"), against an emulator in another process:
//!
//! 1. rate-limited bulk write: emulator at 3 requests/s with 100 ms latency, upsert 30,000
//!    records → records/s as a fraction of the 3,000/s ceiling (goal ≥ 95%), rows lost (goal 0);
//! 2. client cost: CPU time of `iter` over 100,000 records vs. a hand-written reqwest +
//!    serde_json loop over the same pages (goal ≤ 1.1×);
//! 3. peak RSS of `iter` over 1,000,000 records, in a child process (goal ≤ 64 MB).
//!
//! `core [write|cost|memory|all]`; `memory-child URL` is the child of (3).

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
        _ => {
            client_cost().await;
            memory();
            bulk_write().await;
        }
    }
}
