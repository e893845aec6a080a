//! The in-process rate limit: a GCRA limiter (governor) with no burst, so requests leave at
//! most one per `1/rate` seconds and never bunch up against the server's window. Waiters are
//! served first come, first served (a fair tokio mutex in front of the limiter), so the chunks
//! of a bulk write leave in input order and one busy caller cannot starve another.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

pub struct Local {
    inner: DefaultDirectRateLimiter,
    queue: tokio::sync::Mutex<()>,
}

impl Local {
    /// `per_second` > 0 and finite (checked by the builder).
    pub fn new(per_second: f64) -> Local {
        let period = Duration::from_secs_f64(1.0 / per_second).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period).expect("period > 0").allow_burst(NonZeroU32::MIN);
        Local { inner: RateLimiter::direct(quota), queue: tokio::sync::Mutex::new(()) }
    }

    /// Waits for the next free slot.
    pub async fn acquire(&self) {
        let _turn = self.queue.lock().await;
        self.inner.until_ready().await;
    }
}
