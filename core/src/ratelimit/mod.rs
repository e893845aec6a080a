//! The client-side rate limit, behind one small interface with two implementations:
//!
//! - [`local`]: in-process GCRA (governor), shared by every clone of a client — the default;
//! - [`shared`]: GCRA on a Redis server, shared by every process and machine that uses the same
//!   token against the same base URL — for many workers on one token.
//!
//! Both hand out slots first come, first served, so the chunks of a bulk write leave in input
//! order and no caller starves another.

pub mod local;
#[cfg(feature = "redis")]
pub mod shared;

use crate::error::Result;

/// What a [`crate::Client`] waits on before every request (pages, bulk chunks, retries).
pub(crate) enum Limiter {
    Local(local::Local),
    #[cfg(feature = "redis")]
    Shared(Box<shared::Shared>),
}

impl Limiter {
    /// The shared store's URL (without password), if any.
    pub(crate) fn store(&self) -> Option<&str> {
        match self {
            Limiter::Local(_) => None,
            #[cfg(feature = "redis")]
            Limiter::Shared(s) => Some(s.shown()),
        }
    }

    /// Waits for the next slot. Only a shared store with [`StoreFallback::Fail`] can fail
    /// (its store is unreachable); the wait itself is always cancellable by dropping the future.
    pub(crate) async fn acquire(&self) -> Result<()> {
        match self {
            Limiter::Local(l) => {
                l.acquire().await;
                Ok(())
            }
            #[cfg(feature = "redis")]
            Limiter::Shared(s) => s.acquire().await,
        }
    }
}

/// What a client does when its shared rate-limit store cannot be reached (or answers slower
/// than its timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoreFallback {
    /// Keep going on an in-process limiter at `rate / workers` (the configured worker count),
    /// and emit a `tracing` warning; try the store again after a few seconds. The default: a
    /// job keeps running, and any excess is absorbed by the 429 handling.
    #[default]
    Local,
    /// Fail the call with a `Connection` error (nothing is sent; it is retried like any
    /// failure before sending).
    Fail,
}

impl StoreFallback {
    /// `local` or `fail`.
    pub fn parse(s: &str) -> Option<StoreFallback> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" => Some(StoreFallback::Local),
            "fail" => Some(StoreFallback::Fail),
            _ => None,
        }
    }
}
