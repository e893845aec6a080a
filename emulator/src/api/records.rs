//! §2.1–2.2 and §3.1–3.2: list and upsert master and module records.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::Value;

use super::{Params, acting_user, json, object_rows};
use crate::error::{ApiError, ApiResult};
use crate::filter::Filter;
use crate::server::{Ctx, ListShape, Shared};
use crate::state::{Collection, Kind, Record, WriteCtx};

pub const MAX_WRITE: usize = 1000;

pub async fn list_master(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    list(&s, &ctx, Kind::Master, &name, q.as_deref())
}
pub async fn list_module(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    list(&s, &ctx, Kind::Module, &name, q.as_deref())
}
pub async fn upsert_master(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    upsert(&s, &ctx, Kind::Master, &name, q.as_deref(), &body)
}
pub async fn upsert_module(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    upsert(&s, &ctx, Kind::Module, &name, q.as_deref(), &body)
}

/// The paginated answer (`{rows,total,page,pageSize,totalPages}`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageBody<T: Serialize> {
    pub rows: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub total_pages: usize,
}

impl<T: Serialize> PageBody<T> {
    pub fn new(rows: Vec<T>, total: usize, page: usize, page_size: usize) -> Self {
        PageBody { rows, total, page, page_size, total_pages: total.div_ceil(page_size) }
    }
}

/// Orders JSON values: missing/null first, then booleans, numbers, strings, others.
pub fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            _ => 4,
        }
    }
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// `sort=field` ascending, `-field` descending; several fields separated by commas.
pub fn parse_sort(raw: Option<&str>) -> ApiResult<Vec<(String, bool)>> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(|part| {
            let part = part.trim();
            let (field, desc) = match part.strip_prefix('-') {
                Some(f) => (f, true),
                None => (part.strip_prefix('+').unwrap_or(part), false),
            };
            if field.is_empty() {
                Err(ApiError::bad_request(format!("Invalid sort '{raw}'")))
            } else {
                Ok((field.to_string(), desc))
            }
        })
        .collect()
}

fn list(shared: &Shared, ctx: &Ctx, kind: Kind, name: &str, q: Option<&str>) -> ApiResult<Response> {
    let params = Params::parse(q);
    if name.trim().is_empty() {
        return Err(ApiError::bad_request(if kind == Kind::Master { "Missing Master name" } else { "Missing module name." }));
    }
    let (page, size) = params.paging(25)?;
    let status = params.text("status");
    let filter = params
        .text("filter")
        .map(Filter::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("Invalid filter: {e}")))?;
    let tz = match params.text("localTimeZone") {
        Some(z) => Some(TimeZone::get(z).map_err(|_| ApiError::bad_request(format!("Invalid localTimeZone '{z}'")))?),
        None => None,
    };
    if filter.as_ref().is_some_and(Filter::needs_time_zone) && tz.is_none() {
        return Err(ApiError::bad_request("localTimeZone is required when the filter compares a DATE field"));
    }
    let sort = parse_sort(params.text("sort"))?;
    let shape = shared.settings().list_shape;

    let world = shared.world();
    let coll = world.tenants[ctx.tenant].collection(kind, name)?;
    let project = ctx.project.as_deref();
    let keep = |r: &Record| {
        Collection::in_scope(r, project)
            && status.is_none_or(|s| r.status.as_deref() == Some(s))
            && filter.as_ref().is_none_or(|f| f.matches(r, tz.as_ref()))
    };
    let start = (page - 1).saturating_mul(size);
    let (rows, total): (Vec<&Record>, usize) = if sort.is_empty() {
        // One pass, no allocation beyond the page: this is the hot path of every iteration.
        let mut total = 0;
        let mut rows = Vec::with_capacity(size.min(coll.records.len()));
        for r in coll.records.iter().filter(|r| keep(r)) {
            if total >= start && rows.len() < size {
                rows.push(r);
            }
            total += 1;
        }
        (rows, total)
    } else {
        let mut all: Vec<&Record> = coll.records.iter().filter(|r| keep(r)).collect();
        let keyed: Vec<(Vec<Option<Value>>, &Record)> =
            all.drain(..).map(|r| (sort.iter().map(|(f, _)| r.field(f)).collect(), r)).collect();
        let mut keyed = keyed;
        keyed.sort_by(|(ka, _), (kb, _)| {
            for (i, (_, desc)) in sort.iter().enumerate() {
                let o = compare_values(ka[i].as_ref(), kb[i].as_ref());
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        let total = keyed.len();
        (keyed.into_iter().skip(start).take(size).map(|(_, r)| r).collect(), total)
    };
    Ok(match shape {
        ListShape::Object => json(StatusCode::OK, &PageBody::new(rows, total, page, size)),
        ListShape::Array => json(StatusCode::OK, &rows),
    })
}

fn upsert(shared: &Shared, ctx: &Ctx, kind: Kind, name: &str, q: Option<&str>, body: &[u8]) -> ApiResult<Response> {
    let params = Params::parse(q);
    let now = shared.clock().now_string();
    let mut world = shared.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    tenants[ctx.tenant].collection(kind, name)?;
    let user = match kind {
        Kind::Module => acting_user(tenants, ctx.tenant, &params)?,
        Kind::Master => ctx.user.clone(),
    };
    let rows = object_rows(body, MAX_WRITE)?;
    if let Some(i) = rows.iter().position(|r| r.contains_key("_id")) {
        return Err(ApiError::bad_request(format!("Updating '_id' is not allowed (item {i})")));
    }
    let tenant_id = tenants[ctx.tenant].id.clone();
    let coll = tenants[ctx.tenant].collection_mut(kind, name)?;
    let wctx = WriteCtx { tenant_id: &tenant_id, project: ctx.project.as_deref(), user: &user, now };
    let out = coll.upsert(ids, &wctx, rows);
    Ok(json(StatusCode::CREATED, &out))
}
