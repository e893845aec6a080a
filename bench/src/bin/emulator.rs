//! How fast the emulator serves a 1000-record page and ingests a 1000-record upsert, so that
//! client benchmarks measure the client, not the emulator. Target: ≥ 50,000 records/s served.

use std::time::Instant;

use exto360_emulator::{Dataset, Emulator};
use serde_json::json;

fn main() {
    exto360_bench::install_crypto();
    let mut data = Dataset::demo();
    data.tenants[0].masters.push(serde_json::from_value(json!({"name": "BIG", "unique": ["code"], "generate": {"count": 100_000}})).unwrap());
    let settings = exto360_emulator::Settings { rate_limit: None, journal_limit: 0, ..Default::default() };
    // One request in flight at a time: the server uses one core at a time.
    let emu = Emulator::builder().dataset(data).settings(settings).spawn().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = reqwest::Client::new();
    let (url, token) = (emu.url(), emu.token());

    rt.block_on(async {
        let pages = 100u32;
        let start = Instant::now();
        let mut bytes = 0usize;
        for p in 0..pages {
            let b = http.get(format!("{url}/api/v1/master-record/BIG?page={}&pageSize=1000", p + 1)).bearer_auth(&token).send().await.unwrap().bytes().await.unwrap();
            bytes += b.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "emulator serve:  {pages} pages of 1000 in {secs:.2} s → {:.0} records/s ({:.1} ms/page, {:.0} KiB/page; target ≥ 50,000 records/s)",
            f64::from(pages) * 1000.0 / secs,
            secs * 1000.0 / f64::from(pages),
            bytes as f64 / f64::from(pages) / 1024.0
        );
        let batches = 30u32;
        let start = Instant::now();
        for b in 0..batches {
            let rows: Vec<_> = (0..1000).map(|i| json!({"code": format!("NEW-{b}-{i}"), "name": "bench", "n": i})).collect();
            let r = http.post(format!("{url}/api/v1/master-record/BIG")).bearer_auth(&token).json(&rows).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "emulator ingest: {batches} upserts of 1000 in {secs:.2} s → {:.0} records/s ({:.1} ms/request)",
            f64::from(batches) * 1000.0 / secs,
            secs * 1000.0 / f64::from(batches)
        );
    });
    emu.stop();
}
