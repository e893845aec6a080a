//! The client from the `EXTO360_*` variables, overridden by the command's flags.

use std::time::Duration;

use exto360::{Client, ClientBuilder};

use crate::args::Connection;
use crate::output::Failure;

/// The client every API command uses: `ClientBuilder::from_env()`, then the flags.
pub fn client(c: &Connection) -> Result<Client, Failure> {
    let mut b = ClientBuilder::from_env().user_agent(format!("exto360-cli/{}", env!("CARGO_PKG_VERSION")));
    if let Some(u) = &c.base_url {
        b = b.base_url(u);
    }
    if let Some(p) = &c.project {
        b = b.project_id(p);
    }
    if let Some(t) = &c.tenant {
        b = b.tenant_id(t);
    }
    if let Some(w) = &c.workspace {
        b = b.workspace_id(w);
    }
    if let Some(path) = &c.token_file {
        let token = std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("--token-file {}: {e}", path.display())))?;
        b = b.token(token.trim());
    }
    if let Some(r) = &c.rate_limit {
        b = b.rate_limit(exto360::config::parse_rate_limit(r).map_err(|e| Failure::usage(format!("--rate-limit: {e}")))?);
    }
    if let Some(t) = c.timeout {
        if !(t.is_finite() && t > 0.0) {
            return Err(Failure::usage(format!("--timeout: expected seconds (> 0), got {t}")));
        }
        b = b.timeout(Duration::from_secs_f64(t));
    }
    if let Some(n) = c.max_retries {
        b = b.max_retries(n);
    }
    Ok(b.build()?)
}
