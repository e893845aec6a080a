//! A record with 10,000 sub-table rows is not held twice while `/expand` drains it: the peak
//! of live heap bytes during the stream stays well under twice what the finished record holds.
//! Counted by a global allocator (this test binary only); the emulator runs in the same
//! process, so its own transient buffers count against the client too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use exto360::ExpandOptions;
use exto360_emulator::{Dataset, Emulator};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            grew(new - l.size());
        } else {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

const ROWS: usize = 10_000;

fn dataset() -> Dataset {
    let mut d = Dataset::demo();
    let m = &mut d.tenants[0].modules[0];
    m.records.clear();
    let rows: Vec<Value> = (0..ROWS).map(|k| json!({"qty": k, "sku": format!("SKU-{k:06}"), "note": "n".repeat(60)})).collect();
    m.records.push(serde_json::from_value(json!({"fields": {"ref_no": "BIG"}, "subTables": {"Lines": rows}})).unwrap());
    d
}

/// Runs `f` and returns (bytes still live after it, with its result kept; peak above the start).
async fn measure<T, F: std::future::Future<Output = T>>(f: F) -> (T, usize, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let out = f.await;
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(start);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(start);
    (out, kept, peak)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_record_is_drained_without_being_held_twice() {
    let emu = Emulator::builder().rate_limit(None).dataset(dataset()).start().await.unwrap();
    let client = exto360::Client::builder().base_url(emu.url()).token(emu.token()).rate_limit(None).build().unwrap();
    // Warm up connections and lazy statics, so they do not count as the record's.
    let _ = client.health().readiness().await.unwrap();

    let (recs, kept, peak) = measure(async { client.modules("CUSTOMMODULE").expand(ExpandOptions::new()).try_collect::<Vec<_>>().await.unwrap() }).await;
    assert_eq!(recs[0].sub_table("Lines").unwrap().rows.len(), ROWS);
    println!("typed rows: the record holds {kept} bytes; peak while draining {peak} bytes ({:.2}x)", peak as f64 / kept as f64);
    assert!(kept > 2_000_000, "the measure sees the rows ({kept} bytes)");
    assert!((peak as f64) < 1.5 * kept as f64, "peak {peak} bytes for a record of {kept}: held twice?");
    drop(recs);

    // The JSON text the bindings get.
    let (text, kept, peak) = measure(async {
        let mut s = exto360::json::expand(&client, &json!({"name": "CUSTOMMODULE"})).unwrap();
        s.next().await.unwrap().unwrap()
    })
    .await;
    assert!(text.len() > 1_000_000 && text.contains("SKU-009999"));
    println!("JSON text: {} bytes kept {kept}; peak while draining {peak} bytes ({:.2}x)", text.len(), peak as f64 / kept as f64);
    assert!((peak as f64) < 1.6 * kept as f64, "peak {peak} bytes for a text of {kept}: held twice?");
    emu.shutdown().await;
}
