//! §4.1 write, and the \[V\]-only §4.2 list and §4.3 delete of sub-table rows.
//!
//! §13 C21: the \[V\] prose says a write appends rows, the \[V\] spec calls it "create or update".
//! The emulator does both: a table with unique fields updates the row sharing a value, any
//! other row is appended; the answer is always `{insertedIds, insertedCount, updatedCount}`.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::records::{MAX_WRITE, PageBody};
use super::{Params, json, object_rows};
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, Shared};
use crate::state::{Kind, SubRow, UpsertOutcome};

/// The parent record id arrives as `recordName` (\[G\]) or `recordId` (\[V\]) — §13 C28.
fn parent_id(params: &Params) -> ApiResult<String> {
    match (params.text("recordName"), params.text("recordId")) {
        (Some(a), Some(b)) if a != b => Err(ApiError::bad_request("recordName and recordId name different records")),
        (Some(a), _) | (None, Some(a)) => Ok(a.to_string()),
        (None, None) => Err(ApiError::bad_request("recordName (or recordId) is required")),
    }
}

/// An unknown table id is the caller's mistake, answered like the other validation errors of
/// §4 (400), not as the 500 of an unknown module.
fn unknown_table(table: &str, module: &str) -> ApiError {
    ApiError::bad_request(format!("Sub-table {table} not found in {module}."))
}

pub async fn upsert(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(table): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let module = params.text("moduleName").ok_or_else(|| ApiError::bad_request("moduleName is required"))?.to_string();
    let parent = parent_id(&params)?;
    let now = s.clock().now_string();
    let mut world = s.world_mut();
    let crate::state::World { tenants, ids, .. } = &mut *world;
    let coll = tenants[ctx.tenant].collection_mut(Kind::Module, &module)?;
    let def = coll.sub_table(&table).cloned().ok_or_else(|| unknown_table(&table, &coll.name))?;
    let pos = coll
        .find(&parent, ctx.project.as_deref())
        .ok_or_else(|| ApiError::bad_request(format!("Record {parent} not found in {}.", coll.name)))?;
    let rows = object_rows(&body, MAX_WRITE)?;
    let crate::state::Record { sub_tables, sub_counters, .. } = &mut coll.records[pos];
    let user: Arc<str> = Arc::from(ctx.user.as_str());
    let counter = sub_counters.entry(def.id.clone()).or_insert(0);
    let table_rows = sub_tables.entry(def.id.clone()).or_default();
    let mut out = UpsertOutcome::default();
    // Rows by each unique field's value, so a write of n rows into m is O(n + m), not O(n·m).
    let key = |f: &str, v: &serde_json::Value| format!("{f}\u{0}{v}");
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, r) in table_rows.iter().enumerate() {
        for f in &def.unique {
            if let Some(v) = r.fields.get(f).filter(|v| !v.is_null()) {
                index.entry(key(f, v)).or_insert(i);
            }
        }
    }
    for row in rows {
        // An entry can be stale after an update changed the row's value: check it still holds.
        let hit = def.unique.iter().find_map(|f| {
            let v = row.get(f).filter(|v| !v.is_null())?;
            index.get(&key(f, v)).copied().filter(|&i| table_rows.get(i).is_some_and(|r| r.fields.get(f) == Some(v)))
        });
        if hit.is_none() {
            for f in &def.unique {
                if let Some(v) = row.get(f).filter(|v| !v.is_null()) {
                    index.entry(key(f, v)).or_insert(table_rows.len());
                }
            }
        }
        match hit {
            Some(i) => {
                let existing = &mut table_rows[i];
                existing.fields.extend(row);
                existing.updated_at = now.clone();
                for f in &def.unique {
                    if let Some(v) = existing.fields.get(f).filter(|v| !v.is_null()) {
                        index.entry(key(f, v)).or_insert(i);
                    }
                }
                out.updated_count += 1;
            }
            None => {
                let oid = ids.object_id();
                out.inserted_ids.push(oid.clone());
                out.inserted_count += 1;
                *counter += 1;
                let record_number = format!("{}-{counter}", def.prefix);
                table_rows.push(SubRow { oid, record_number, fields: row, created_by: user.clone(), created_at: now.clone(), updated_at: now.clone() });
            }
        }
    }
    Ok(json(StatusCode::CREATED, &out))
}

pub async fn list(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(table): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let module = params.text("moduleName").ok_or_else(|| ApiError::bad_request("moduleName is required"))?;
    let parent = parent_id(&params)?;
    let (page, size) = params.paging(25)?;
    let world = s.world();
    let coll = world.tenants[ctx.tenant].collection(Kind::Module, module)?;
    let def = coll.sub_table(&table).ok_or_else(|| unknown_table(&table, &coll.name))?;
    let pos = coll
        .find(&parent, ctx.project.as_deref())
        .ok_or_else(|| ApiError::bad_request(format!("Record {parent} not found in {}.", coll.name)))?;
    let all = coll.records[pos].sub_tables.get(&def.id).map(Vec::as_slice).unwrap_or_default();
    let rows: Vec<&SubRow> = all[super::window(page, size, all.len())].iter().collect();
    Ok(json(StatusCode::OK, &PageBody::new(rows, all.len(), page, size)))
}

/// `DELETE /sub-table/{tableId}?moduleName&recordId`: body `[{"recordNumber": ...}]` (≤ 1000).
/// Rows that are not there are skipped: deleting twice leaves the same table.
pub async fn delete(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(table): Path<String>, RawQuery(q): RawQuery, body: Bytes) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    let module = params.text("moduleName").ok_or_else(|| ApiError::bad_request("moduleName is required"))?.to_string();
    let parent = parent_id(&params)?;
    let items = match super::json_body(&body)? {
        serde_json::Value::Array(a) if !a.is_empty() => a,
        _ => return Err(ApiError::bad_request("Request body must be a non-empty array of objects with \"recordNumber\"")),
    };
    if items.len() > MAX_WRITE {
        return Err(ApiError::bad_request(format!("Maximum {MAX_WRITE} records allowed but received {}", items.len())));
    }
    let numbers = items
        .iter()
        .enumerate()
        .map(|(i, v)| match v.get("recordNumber") {
            Some(serde_json::Value::String(n)) if !n.trim().is_empty() => Ok(n.clone()),
            _ => Err(ApiError::bad_request(format!("Item {i} must be an object with a non-empty \"recordNumber\""))),
        })
        .collect::<ApiResult<std::collections::HashSet<String>>>()?;
    let mut world = s.world_mut();
    let coll = world.tenants[ctx.tenant].collection_mut(Kind::Module, &module)?;
    let def = coll.sub_table(&table).cloned().ok_or_else(|| unknown_table(&table, &coll.name))?;
    let pos = coll
        .find(&parent, ctx.project.as_deref())
        .ok_or_else(|| ApiError::bad_request(format!("Record {parent} not found in {}.", coll.name)))?;
    if let Some(rows) = coll.records[pos].sub_tables.get_mut(&def.id) {
        rows.retain(|r| !numbers.contains(&r.record_number));
    }
    Ok(StatusCode::OK.into_response())
}
