//! Hostile input costs nothing: the filter of 22 AND-ed OR-groups (2^22 groups if expanded) and
//! a 50-level nested filter are refused with `InvalidInput`; this prints how long that took and
//! how much memory it allocated (a counting allocator), for the builder and the JSON form every
//! binding uses. Before the fix the same filter allocated gigabytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use exto360::Filter;
use serde_json::{Value, json};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        TOTAL.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn measure(what: &str, f: impl FnOnce() -> String) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let total = TOTAL.load(Ordering::Relaxed);
    let t = Instant::now();
    let msg = f();
    let us = t.elapsed().as_secs_f64() * 1e6;
    println!(
        "hostile input: {what}: refused in {us:.0} µs, {:.1} KB allocated, peak {:.1} KB above baseline — {msg}",
        (TOTAL.load(Ordering::Relaxed) - total) as f64 / 1024.0,
        (PEAK.load(Ordering::Relaxed) - base) as f64 / 1024.0
    );
}

fn main() {
    let pair = |i: usize| Filter::field(format!("f{i}")).eq(1).or(Filter::field(format!("g{i}")).eq(2));
    measure("22 AND-ed OR-groups (builder)", || {
        let f = (1..22).fold(pair(0), |acc, i| acc.and(pair(i)));
        f.render().unwrap_err().to_string()
    });
    let spec = json!({"and": (0..22).map(|i| json!({"or": [{"field": format!("f{i}"), "op": "eq", "value": 1}, {"field": format!("g{i}"), "op": "eq", "value": 2}]})).collect::<Vec<_>>()});
    measure("22 AND-ed OR-groups (JSON, as the bindings send it)", || exto360::json::filter_from_json(&spec).render().unwrap_err().to_string());
    let mut deep = json!({"field": "x", "op": "eq", "value": 0});
    for i in 0..50 {
        deep = json!({ if i % 2 == 0 { "and" } else { "or" }: [deep, {"field": format!("f{i}"), "op": "eq", "value": i}] });
    }
    let deep: Value = deep;
    measure("and/or nested 50 levels (JSON)", || exto360::json::filter_from_json(&deep).render().unwrap_err().to_string());
}
