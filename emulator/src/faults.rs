//! Fault injection: error statuses, latency, connection resets and truncated bodies, for every
//! request or those matching a method/path, always, with a seeded probability, or for the next N.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Answer `status` (with the error envelope, or `body` when given) without doing the work
    /// (or after doing it, with `afterWork`).
    Status,
    /// Wait `latencyMs` before handling the request normally.
    Latency,
    /// Drop the connection after reading the request, without answering or doing the work
    /// (or after doing it, with `afterWork`).
    Reset,
    /// Do the work, then send only the first half of the answer and drop the connection.
    Truncate,
}

/// One fault rule, as set through `POST /__emulator/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// HTTP method to match (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix to match, without the `/data` prefix, e.g. `/api/v1/master-record/LOCATION`.
    #[serde(default)]
    pub path: Option<String>,
    /// Only requests whose body contains this text (targets one chunk of a bulk write,
    /// whatever order the chunks arrive in).
    #[serde(default)]
    pub body_contains: Option<String>,
    #[serde(default)]
    pub status: Option<u16>,
    /// `Retry-After` seconds to send with a status fault.
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Body to send instead of the error envelope (a string is sent as is).
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    /// For `status` and `reset`: do the work first, then answer the status or drop the
    /// connection — the server-side effect a client cannot see (default false).
    #[serde(default)]
    pub after_work: bool,
    /// Chance that a matching request is hit, 0..=1 (default 1).
    #[serde(default)]
    pub probability: Option<f64>,
    /// Seed of the probability draws (default 0), so a run can be repeated.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Hit only this many requests, then stop (default: no limit).
    #[serde(default)]
    pub times: Option<u64>,
    /// Let this many matching requests pass before the fault starts.
    #[serde(default)]
    pub skip: Option<u64>,
}

#[derive(Debug)]
pub struct ActiveFault {
    pub spec: FaultSpec,
    rng: fastrand::Rng,
    seen: u64,
    hits: u64,
}

impl ActiveFault {
    pub fn new(spec: FaultSpec) -> Result<Self, String> {
        if let Some(p) = spec.probability
            && !(0.0..=1.0).contains(&p) {
                return Err(format!("probability must be within 0..=1, got {p}"));
            }
        match spec.kind {
            FaultKind::Status => {
                let s = spec.status.ok_or("a status fault needs `status`")?;
                if !(100..=599).contains(&s) {
                    return Err(format!("status must be within 100..=599, got {s}"));
                }
            }
            FaultKind::Latency if spec.latency_ms.is_none() => return Err("a latency fault needs `latencyMs`".into()),
            FaultKind::Latency | FaultKind::Truncate if spec.after_work => {
                return Err("`afterWork` applies to status and reset faults (truncate always does the work)".into());
            }
            _ => {}
        }
        let rng = fastrand::Rng::with_seed(spec.seed.unwrap_or(0));
        Ok(ActiveFault { spec, rng, seen: 0, hits: 0 })
    }

    /// Whether this fault hits a request; counts it either way.
    pub fn fires(&mut self, method: &str, path: &str, body: &[u8]) -> bool {
        if let Some(m) = &self.spec.method
            && !m.eq_ignore_ascii_case(method) {
                return false;
            }
        if let Some(p) = &self.spec.path
            && !path.starts_with(p.as_str()) {
                return false;
            }
        if let Some(needle) = &self.spec.body_contains
            && !body.windows(needle.len().max(1)).any(|w| w == needle.as_bytes()) {
                return false;
            }
        self.seen += 1;
        if self.seen <= self.spec.skip.unwrap_or(0) {
            return false;
        }
        if self.spec.times.is_some_and(|t| self.hits >= t) {
            return false;
        }
        let p = self.spec.probability.unwrap_or(1.0);
        if p < 1.0 && self.rng.f64() >= p {
            return false;
        }
        self.hits += 1;
        true
    }

    pub fn state_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.spec).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("hits".into(), self.hits.into());
            o.insert("seen".into(), self.seen.into());
        }
        v
    }
}
