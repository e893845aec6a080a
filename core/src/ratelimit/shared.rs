//! A rate limit shared by every process and machine that uses one token: GCRA on a Redis
//! server (as redis-cell and Stripe's limiter do), one atomic Lua script per request.
//!
//! The script *reserves* the next slot: it moves the key's theoretical arrival time (TAT) one
//! emission interval (`1.04/rate`, see [`MARGIN`]) further and answers how long the caller must wait for its
//! slot; the caller then sleeps that long. Slots are handed out in the order callers reach
//! Redis — first come, first served across all workers, so none starves — and the server's
//! clock (`TIME`) is the only clock, so machines need not agree on the time. Dropping the
//! wait cancels it (the reserved slot then goes unused: at most one interval lost per
//! cancelled call).
//!
//! The key is `exto360:rl:[NAMESPACE:]` + the first 32 hex digits of SHA-256(token, base URL):
//! the token itself never reaches Redis, and two clients share a budget exactly when they
//! share a token and a base URL. The value is a number of microseconds.
//!
//! When Redis cannot be reached or answers slower than [`STORE_TIMEOUT`], the configured
//! [`StoreFallback`] decides: an in-process limiter at `rate / workers` (with a warning), or a
//! `Connection` error. Redis is tried again after [`RETRY_STORE_AFTER`]; no wait on the store
//! is ever unbounded.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use sha2::{Digest, Sha256};

use super::StoreFallback;
use super::local::Local;
use crate::error::{Error, ErrorKind, Result};

/// Longest wait for a connection to Redis or for one answer from it.
pub const STORE_TIMEOUT: Duration = Duration::from_millis(500);
/// After a failure, how long the fallback is used before Redis is tried again.
pub const RETRY_STORE_AFTER: Duration = Duration::from_secs(5);

/// Slots are spaced this much more than `1/rate` apart: workers send a little late at random
/// (scheduling, Redis' answer, a first connection), and without a margin a late request
/// followed by a punctual one puts `rate + 1` requests in some 1-second window at the server.
/// 4% of the ceiling absorbs 40 ms of such jitter at 3 requests/s (`3 × 1.04/3 s = 1.04 s`).
pub const MARGIN: f64 = 0.04;

/// GCRA with reservation. KEYS[1]: the budget's key. ARGV[1]: emission interval in µs.
/// Returns the µs the caller must wait before its request may leave.
const GCRA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.floor((next_tat - now) / 1000) + 1000)
return tat - now
";

pub(crate) struct Shared {
    client: redis::Client,
    /// The store's URL without its password, for messages and `Debug`.
    shown: String,
    key: String,
    interval_us: u64,
    fallback: StoreFallback,
    local: Local,
    script: redis::Script,
    /// One reservation at a time per process, so this client's callers (and a bulk write's
    /// chunks) get their slots in the order they asked.
    turn: tokio::sync::Mutex<()>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    conn: Option<MultiplexedConnection>,
    /// While set and in the future, the store is not tried (the fallback serves).
    down_until: Option<Instant>,
}

/// The key of a token's budget: never the token itself.
pub(crate) fn key(namespace: Option<&str>, token: &str, base_url: &str) -> String {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update([0u8]);
    h.update(base_url.as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    match namespace {
        Some(ns) => format!("exto360:rl:{ns}:{hex}"),
        None => format!("exto360:rl:{hex}"),
    }
}

impl Shared {
    /// `url`: `redis://[:password@]host[:port][/db]` or `rediss://…` (TLS). Checked here;
    /// connected at the first request.
    pub(crate) fn new(url: &str, namespace: Option<&str>, token: &str, base_url: &str, per_second: f64, fallback: StoreFallback, workers: u32) -> Result<Shared> {
        let shown = crate::config::shown_store(url);
        let client = redis::Client::open(url).map_err(|e| Error::invalid_input(format!("rate limit store '{shown}' is not a Redis URL: {e}")))?;
        Ok(Shared {
            client,
            shown,
            key: key(namespace, token, base_url),
            interval_us: ((1e6 / per_second * (1.0 + MARGIN)).round() as u64).max(1),
            fallback,
            local: Local::new(per_second / f64::from(workers.max(1))),
            script: redis::Script::new(GCRA),
            turn: tokio::sync::Mutex::new(()),
            state: Mutex::new(State::default()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves a slot in the store; `Err` when the store cannot be reached in time.
    async fn reserve(&self) -> std::result::Result<Duration, String> {
        let conn = self.state().conn.clone();
        let mut conn = match conn {
            Some(c) => c,
            None => {
                let cfg = redis::AsyncConnectionConfig::new().set_connection_timeout(Some(STORE_TIMEOUT)).set_response_timeout(Some(STORE_TIMEOUT));
                let connect = self.client.get_multiplexed_async_connection_with_config(&cfg);
                let c = tokio::time::timeout(STORE_TIMEOUT * 2, connect).await.map_err(|_| "connecting timed out".to_string())?.map_err(|e| e.to_string())?;
                self.state().conn = Some(c.clone());
                c
            }
        };
        let mut invocation = self.script.key(&self.key);
        invocation.arg(self.interval_us);
        match tokio::time::timeout(STORE_TIMEOUT * 2, invocation.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(wait_us)) => Ok(Duration::from_micros(wait_us.max(0) as u64)),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("no answer in time".into()),
        }
    }

    pub(crate) async fn acquire(&self) -> Result<()> {
        let down = self.state().down_until.is_some_and(|t| Instant::now() < t);
        if !down {
            let reserved = {
                let _turn = self.turn.lock().await;
                self.reserve().await
            };
            match reserved {
                Ok(wait) => {
                    if self.state().down_until.take().is_some() {
                        tracing::info!(store = %self.shown, "exto360: the shared rate-limit store answers again");
                    }
                    tokio::time::sleep(wait).await;
                    return Ok(());
                }
                Err(why) => {
                    let mut st = self.state();
                    st.conn = None;
                    st.down_until = Some(Instant::now() + RETRY_STORE_AFTER);
                    drop(st);
                    tracing::warn!(store = %self.shown, fallback = ?self.fallback, "exto360: shared rate-limit store unreachable ({why})");
                    if self.fallback == StoreFallback::Fail {
                        return Err(self.unreachable(&why));
                    }
                }
            }
        } else if self.fallback == StoreFallback::Fail {
            return Err(self.unreachable("it failed moments ago"));
        }
        self.local.acquire().await;
        Ok(())
    }

    fn unreachable(&self, why: &str) -> Error {
        Error::new(ErrorKind::Connection, format!("rate limit store {} unreachable: {why}; nothing was sent", self.shown)).not_sent()
    }

    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_hide_the_token_and_separate_budgets() {
        let k = key(None, "s3cr3t", "https://platform.exto360.com/data/");
        assert!(k.starts_with("exto360:rl:") && !k.contains("s3cr3t"), "{k}");
        assert_eq!(k.len(), "exto360:rl:".len() + 32);
        assert_eq!(k, key(None, "s3cr3t", "https://platform.exto360.com/data/"), "stable");
        assert_ne!(k, key(None, "other", "https://platform.exto360.com/data/"));
        assert_ne!(k, key(None, "s3cr3t", "https://app-us.exto360.com/data/"));
        assert!(key(Some("etl"), "s3cr3t", "x").starts_with("exto360:rl:etl:"));
        assert_eq!(crate::config::shown_store("redis://:pw@127.0.0.1:6379/0"), "redis://:***@127.0.0.1:6379/0");
        assert_eq!(crate::config::shown_store("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }
}
