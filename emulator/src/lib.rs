//! A stateful, in-memory emulator of the Exto360 Data API.
//!
//! It serves every endpoint of both documentation editions that the client uses (health and
//! build info, master and module records with updates, deletes and `/expand`, sub-tables,
//! hierarchy masters, workflow v1 and v2, user access, documents, workspaces, job status) with the documented parameters, limits, filter grammar and
//! error envelope, plus a per-token rate limit, fault injection and a request journal under
//! `/__emulator/`. It shares no code with the `exto360` client on purpose: a wrong idea of the
//! API in the client cannot make its own tests pass.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = exto360_emulator::Emulator::builder().rate_limit(None).start().await?;
//! println!("{} {}", emu.url(), emu.token());
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

pub mod admin;
pub mod api;
pub mod cli;
pub mod dataset;
pub mod documents;
pub mod error;
pub mod faults;
pub mod filter;
pub mod hierarchy;
pub mod ids;
pub mod jobs;
pub mod journal;
pub mod server;
pub mod state;
pub mod workspaces;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, patch, post};

pub use dataset::Dataset;
pub use faults::{FaultKind, FaultSpec};
pub use server::{Emulator, EmulatorBuilder, ListShape, Settings, Shared, UserListShape};

/// The API routes, served at the root and again under `/data` (the public base URL's prefix).
fn api_routes() -> Router<Arc<Shared>> {
    use api::{changes, documents, expand, health, hierarchy, jobs, records, subtable, users, workflow, workflow_v2, workspaces};
    Router::new()
        .route("/api/v1/health/liveness", get(health::liveness))
        .route("/api/v1/health/readiness", get(health::readiness))
        .route("/api/v1/build/info", get(health::build_info))
        .route(
            "/api/v1/master-record/{name}",
            get(records::list_master).post(records::upsert_master).patch(changes::update_master).delete(changes::delete_master),
        )
        .route(
            "/api/v1/module-record/{name}",
            get(records::list_module).post(records::upsert_module).patch(changes::update_module).delete(changes::delete_module),
        )
        .route("/api/v1/module-record/{name}/expand", get(expand::expand))
        .route("/api/v1/sub-table/{table}", get(subtable::list).post(subtable::upsert).delete(subtable::delete))
        .route("/api/v1/hierarchy-master-record/{name}", get(hierarchy::list).post(hierarchy::create).patch(hierarchy::update))
        .route("/api/v1/workflow/{module}", post(workflow::act))
        .route("/api/v2/workflow", get(workflow_v2::list))
        .route("/api/v2/workflow/history", get(workflow_v2::history))
        .route("/api/v2/workflow/{verb}", post(workflow_v2::transition))
        .route("/api/v1/user/user-access", get(users::list).post(users::grant).delete(users::remove_access))
        .route("/api/v1/user/user-access/by-user", get(users::by_user))
        .route("/api/v1/user/groups", get(users::groups))
        .route("/api/v1/user/activate-users", patch(users::activate))
        .route("/api/v1/user/deactivate-users", patch(users::deactivate))
        .route("/api/v1/user/project-access", delete(users::remove_project_access))
        .route("/api/v1/documents", post(documents::upload))
        .route("/api/v1/documents/download/{id}", get(documents::download))
        .route("/api/v1/documents/download/all/{record}", get(documents::download_all))
        .route("/api/v1/workspace", get(workspaces::list).post(workspaces::create))
        .route("/api/v1/workspace/{id}", get(workspaces::get_one).patch(workspaces::update))
        .route("/api/v1/jobstatus", post(jobs::create))
        // `GET /jobstatus/{projectID}` and `PUT /jobstatus/{id}` share the pattern.
        .route("/api/v1/jobstatus/{id}", get(jobs::list).put(jobs::update))
        .route("/api/v1/jobstatus/{id}/logs", post(jobs::log))
        // The pipeline enforces `maxBodyBytes` (and streams uploads); no second, fixed limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// The whole application: API, `/data`-prefixed API, admin API, all behind the pipeline.
pub fn router(shared: Arc<Shared>) -> Router {
    let api = api_routes();
    Router::new()
        .merge(api.clone())
        .nest("/data", api)
        .with_state(shared.clone())
        .nest("/__emulator", admin::router(shared.clone()))
        .layer(axum::middleware::from_fn_with_state(shared, server::pipeline))
}
