//! Documents (REFERENCE.md §6A, edition V only): files attached to records — uploaded in requests of
//! at most 100 files, streamed from paths, bytes or async readers (a file is never held whole
//! in memory), and downloaded to a path (written beside it under a temporary name and renamed
//! only when complete) or as a byte stream.
//!
//! An upload is a write. A request is retried only as the write policy allows (429 and
//! failures before sending; 5xx and timeouts only with `retry_writes`), and never when a file
//! comes from a reader (its bytes cannot be read again). Its outcome is reported per file:
//! uploaded, failed (with the server's message) or unknown. A 200 answer with failures is a
//! partial result, returned as an error that carries the report ([`crate::Error::upload`] and
//! [`crate::Error::bulk`]), never as success.
//!
//! The documents endpoints need `x-tenant-id` and `x-project-id`: the client must have a
//! tenant id and a project id.

mod download;
mod upload;

use std::time::Duration;

use crate::client::Client;
use crate::error::{Error, Result};

pub use download::{Download, DownloadedFile};
pub use upload::{FileReport, FileState, UploadFile, UploadOptions, UploadReport, UploadedDocument};

/// Most files in one upload request (REFERENCE.md §6A); more are split into several requests.
pub const MAX_FILES_PER_REQUEST: usize = 100;

/// Whole-request timeout of a file transfer: the client's timeout (meant for API calls) would
/// cut off a large file, so transfers get at least this long (1 hour).
pub const TRANSFER_TIMEOUT: Duration = Duration::from_secs(3600);

/// The documents endpoints of a client's project ([`crate::Client::documents`]).
#[derive(Debug, Clone)]
pub struct Documents {
    pub(crate) client: Client,
}

impl Documents {
    /// The project this client is scoped to, and the check that a tenant id is set: both
    /// headers are required by these endpoints.
    fn scope(&self) -> Result<()> {
        if self.client.project_id().is_none() {
            return Err(Error::invalid_input("documents need a project: set projectId (EXTO360_PROJECT_ID) or use with_project(..)"));
        }
        if self.client.inner.tenant_id.is_none() {
            return Err(Error::invalid_input("documents need the tenant id (the x-tenant-id header is required there): set tenantId (EXTO360_TENANT_ID)"));
        }
        Ok(())
    }

    fn transfer_timeout(&self) -> Duration {
        self.client.inner.timeout.max(TRANSFER_TIMEOUT)
    }
}
