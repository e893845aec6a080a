//! §1: liveness and readiness.

use crate::client::{Call, Client};
use crate::error::Result;
use crate::models::{Liveness, Readiness};

/// `client.health()`.
#[derive(Debug, Clone)]
pub struct Health {
    pub(crate) client: Client,
}

impl Health {
    /// `GET /api/v1/health/liveness`: the process is up.
    pub async fn liveness(&self) -> Result<Liveness> {
        self.client.execute_json(&Call::get("api/v1/health/liveness".into())).await
    }
    /// `GET /api/v1/health/readiness`: the database is reachable.
    pub async fn readiness(&self) -> Result<Readiness> {
        self.client.execute_json(&Call::get("api/v1/health/readiness".into())).await
    }
}
