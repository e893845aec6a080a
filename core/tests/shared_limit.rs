//! The rate limit shared through Redis: many clients (each with its own limiter, as separate
//! processes would have) on one token keep to the emulator's 3 requests/s together; a second
//! token has its own budget; the token never reaches Redis; an unreachable store follows the
//! configured fallback and never hangs.
//!
//! Each test starts its own `redis-server` from PATH on a free loopback port (`make test`
//! installs Debian's `redis-server`) and stops it by PID.
mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use exto360::{Client, ErrorKind, ListOptions, StoreFallback};
use exto360_emulator::{Dataset, Emulator};
use serde_json::{Value, json};

/// A redis-server of this test's own on a free loopback port, stopped on drop.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start() -> Redis {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (make test installs Debian's redis-server)");
        let r = Redis { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while r.cli(&["PING"]).trim() != "PONG" {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        r
    }
    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli").args(["-p", &self.port.to_string()]).args(args).output().expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn dataset_with_two_tokens() -> Dataset {
    let mut d = Dataset::demo();
    let mut v = serde_json::to_value(&d).unwrap();
    v["tenants"][0]["tokens"].as_array_mut().unwrap().push(json!({"token": "second-token", "user": "admin@exto360.com"}));
    d = serde_json::from_value(v).unwrap();
    d
}

fn shared_client(env: &Env, token: &str, redis: &str) -> Client {
    Client::builder()
        .base_url(env.emu.url())
        .token(token)
        .rate_limit(Some(3.0))
        .rate_limit_store(redis)
        .rate_limit_namespace("test")
        .max_retries(0)
        .build()
        .unwrap()
}

/// Millisecond arrival times of the journal's API requests.
fn arrivals(journal: &[Value]) -> Vec<i64> {
    let mut t: Vec<i64> = journal
        .iter()
        .map(|e| e["timestamp"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap().as_millisecond())
        .collect();
    t.sort();
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_clients_on_one_token_keep_to_three_per_second_together() {
    let redis = Redis::start();
    let env = Env::with(Emulator::builder().rate_limit(Some(3)).dataset(dataset_with_two_tokens())).await;
    let token = env.emu.token();
    // Four clients with their own limiter each, as four processes would have.
    let clients: Vec<Client> = (0..4).map(|_| shared_client(&env, &token, &redis.url())).collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (w, c) in clients.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            for _ in 0..6 {
                c.masters("LOCATION").list(&ListOptions::new().page_size(1)).await.expect("no 429 with a shared limit");
                done.push(w);
            }
            done
        }));
    }
    let mut per_worker = Vec::new();
    for t in tasks {
        per_worker.push(t.await.unwrap().len());
    }
    let secs = started.elapsed().as_secs_f64();
    let journal = env.journal();
    assert_eq!(journal.len(), 24);
    assert!(journal.iter().all(|e| e["status"] == 200), "zero 429s: {:?}", journal.iter().map(|e| e["status"].clone()).collect::<Vec<_>>());
    let t = arrivals(&journal);
    for (i, start) in t.iter().enumerate() {
        let in_window = t[i..].iter().take_while(|x| **x < start + 1000).count();
        assert!(in_window <= 3, "{in_window} requests within 1 s from {start}: {t:?}");
    }
    assert_eq!(per_worker, vec![6, 6, 6, 6], "every worker got its share");
    eprintln!("24 requests from 4 clients in {secs:.2} s (ceiling 3/s → ≥ 7.67 s)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_redis_and_tokens_have_their_own_budget() {
    let redis = Redis::start();
    let env = Env::with(Emulator::builder().rate_limit(Some(3)).dataset(dataset_with_two_tokens())).await;
    let first = shared_client(&env, &env.emu.token(), &redis.url());
    let second = shared_client(&env, "second-token", &redis.url());
    let (a, b) = tokio::join!(
        async {
            for _ in 0..4 {
                first.masters("LOCATION").list(&Default::default()).await.unwrap();
            }
        },
        async {
            for _ in 0..4 {
                second.masters("LOCATION").list(&Default::default()).await.unwrap();
            }
        }
    );
    let _ = (a, b);
    let keys: Vec<String> = redis.cli(&["--scan"]).lines().map(str::to_string).filter(|k| !k.is_empty()).collect();
    assert_eq!(keys.len(), 2, "one budget per token: {keys:?}");
    for k in &keys {
        assert!(k.starts_with("exto360:rl:test:"), "{k}");
        let value = redis.cli(&["GET", k]);
        for secret in [env.emu.token(), "second-token".to_string()] {
            assert!(!k.contains(&secret) && !value.contains(&secret), "token in Redis: {k} = {value}");
        }
    }
    // Both tokens ran at full speed side by side: 8 requests, none refused.
    assert!(env.journal().iter().all(|e| e["status"] == 200));
    let dbg = format!("{first:?}");
    assert!(dbg.contains("rate_limit_store: Some(\"redis://127.0.0.1") && !dbg.contains(&env.emu.token()), "{dbg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_store_falls_back_or_fails_as_configured_and_never_hangs() {
    let mut redis = Redis::start();
    let env = Env::with(Emulator::builder().rate_limit(None)).await;
    let token = env.emu.token();
    let local = Client::builder()
        .base_url(env.emu.url())
        .token(&token)
        .rate_limit(Some(50.0))
        .rate_limit_store(redis.url())
        .rate_limit_workers(5)
        .max_retries(0)
        .build()
        .unwrap();
    let fail = Client::builder()
        .base_url(env.emu.url())
        .token(&token)
        .rate_limit(Some(50.0))
        .rate_limit_store(redis.url())
        .rate_limit_fallback(StoreFallback::Fail)
        .max_retries(1)
        .initial_backoff(Duration::from_millis(5))
        .build()
        .unwrap();
    local.health().liveness().await.unwrap();
    fail.health().liveness().await.unwrap();
    redis.stop();
    // Local fallback: calls go on at 50/5 = 10 per second.
    let started = Instant::now();
    for _ in 0..5 {
        local.health().liveness().await.expect("falls back to the local limiter");
    }
    assert!(started.elapsed() < Duration::from_secs(30), "bounded: {:?}", started.elapsed());
    // Fail: a typed error, nothing sent, retried once like any failure before sending.
    let before = env.journal().len();
    let e = fail.health().liveness().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.message().contains("rate limit store redis://127.0.0.1") && e.message().contains("nothing was sent"), "{e}");
    assert_eq!(e.retries(), 1);
    assert_eq!(env.journal().len(), before, "nothing was sent");
    // A write through the failing store is reported not written.
    let e = fail.masters("VENDOR").upsert(&[json!({"vendor_id": "a"})]).await.unwrap_err();
    assert_eq!(e.bulk().unwrap().not_written(), vec![0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_slot_is_cancellable() {
    let redis = Redis::start();
    let env = Env::with(Emulator::builder().rate_limit(None)).await;
    let c = Client::builder().base_url(env.emu.url()).token(env.emu.token()).rate_limit(Some(0.5)).rate_limit_store(redis.url()).build().unwrap();
    c.health().liveness().await.unwrap();
    // The next slot is 2 s away: give up after 100 ms.
    let r = tokio::time::timeout(Duration::from_millis(100), c.health().liveness()).await;
    assert!(r.is_err(), "the wait was cut short");
    assert_eq!(env.journal().len(), 1, "the cancelled call sent nothing");
}

#[test]
fn store_settings_are_checked() {
    let b = || Client::builder().token("t");
    for (builder, needle) in [
        (b().rate_limit_store("http://x"), "is not a Redis URL"),
        (b().rate_limit_store("redis://127.0.0.1").rate_limit(None), "needs a rate limit"),
        (b().rate_limit_store("redis://127.0.0.1").rate_limit_namespace("a b"), "namespace"),
        (b().rate_limit_store("redis://127.0.0.1").rate_limit_workers(0), "workers must be between 1 and 10000"),
    ] {
        let e = builder.build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains(needle), "{needle}: {e}");
    }
    let e = b().rate_limit_store("redis://:hunter2@127.0.0.1:1/").build().unwrap();
    assert!(!format!("{e:?}").contains("hunter2"), "no password in Debug");
}
