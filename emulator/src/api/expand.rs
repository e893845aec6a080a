//! §3.5 (\[V\] only): `GET /module-record/{moduleName}/expand` — module records with their
//! sub-table rows, paged on two axes: the records (`page`, `pageSize` ≤ 100) and, inside every
//! record, each sub-table (`subTablePageSize` ≤ 100, overridden per table by `subTablePaging`).
//! Each axis answers a `nextPage` object (`{page, pageSize}`, `null` at the end) that a client
//! sends back to continue.
//!
//! Where the docs are silent the emulator chooses: `fields`/`subTableFields` select top-level
//! keys (a custom field name selects it inside `customFields`), `_id` stays unless excluded,
//! inclusion and exclusion cannot be mixed; `subTableData` is always present; `query` supports
//! equality and `$in`/`$ne` on record fields (`customFields.x` or `x`).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{Params, json};
use crate::error::{ApiError, ApiResult};
use crate::server::{Ctx, Shared};
use crate::state::{Collection, Kind, Record};

pub const MAX_PAGE_SIZE: usize = 100;
pub const MAX_RECORD_IDS: usize = 100;
const DEFAULT_PAGE_SIZE: usize = 50;

/// A sparse fieldset: keep only `include` (with `_id`), or drop `exclude`.
#[derive(Debug, Default)]
struct Fields {
    include: Vec<String>,
    exclude: Vec<String>,
}

impl Fields {
    fn parse(raw: Option<&str>, what: &str) -> ApiResult<Fields> {
        let mut f = Fields::default();
        for part in raw.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.strip_prefix('-') {
                Some(x) if !x.is_empty() => f.exclude.push(x.to_string()),
                Some(_) => return Err(ApiError::bad_request(format!("Invalid {what}: '-' without a field name"))),
                None => f.include.push(part.to_string()),
            }
        }
        if !f.include.is_empty() && !f.exclude.is_empty() {
            return Err(ApiError::bad_request(format!("Invalid {what}: cannot mix included and excluded fields")));
        }
        Ok(f)
    }

    /// Applies the fieldset to a document; names not at the top level select custom fields.
    fn apply(&self, doc: &mut Map<String, Value>) {
        if !self.include.is_empty() {
            let custom = doc.get("customFields").and_then(Value::as_object).cloned();
            let wanted_custom: Map<String, Value> = custom
                .map(|c| c.into_iter().filter(|(k, _)| self.include.iter().any(|i| i == k || *i == format!("customFields.{k}"))).collect())
                .unwrap_or_default();
            doc.retain(|k, _| k == "_id" || self.include.iter().any(|i| i == k));
            if !wanted_custom.is_empty() && !doc.contains_key("customFields") {
                doc.insert("customFields".into(), Value::Object(wanted_custom));
            }
        } else {
            for x in &self.exclude {
                if doc.remove(x).is_none()
                    && let Some(Value::Object(c)) = doc.get_mut("customFields")
                {
                    c.remove(x.strip_prefix("customFields.").unwrap_or(x));
                }
            }
        }
    }
}

fn size(params: &Params, name: &str, default: usize, message: &str) -> ApiResult<usize> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_PAGE_SIZE as i64).contains(&n) => Ok(n as usize),
            _ => Err(ApiError::bad_request(message)),
        },
    }
}

/// `subTablePaging`: `{"<tableID>": {"page": p, "pageSize": s}}`.
fn table_paging(raw: Option<&str>) -> ApiResult<BTreeMap<String, (usize, usize)>> {
    let Some(raw) = raw else { return Ok(BTreeMap::new()) };
    let bad = |why: &str| ApiError::bad_request(format!("Invalid subTablePaging: {why}"));
    let v: Value = serde_json::from_str(raw).map_err(|e| bad(&format!("not JSON ({e})")))?;
    let Value::Object(m) = v else { return Err(bad("must be an object keyed by tableID")) };
    let mut out = BTreeMap::new();
    for (table, spec) in m {
        let num = |k: &str, default: usize| -> ApiResult<usize> {
            match spec.get(k) {
                None => Ok(default),
                Some(v) => v.as_u64().map(|n| n as usize).ok_or_else(|| bad(&format!("{table}.{k} must be a whole number"))),
            }
        };
        if !spec.is_object() {
            return Err(bad(&format!("{table} must be an object {{page, pageSize}}")));
        }
        let (page, size) = (num("page", 1)?, num("pageSize", DEFAULT_PAGE_SIZE)?);
        if page < 1 {
            return Err(bad(&format!("{table}.page must be greater than 0")));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(bad(&format!("{table}.pageSize must be between 1 and {MAX_PAGE_SIZE}")));
        }
        out.insert(table, (page, size));
    }
    Ok(out)
}

/// `query`: a Mongo-style filter merged into the record match (equality, `$in`, `$ne`).
fn query_matches(query: &Map<String, Value>, rec: &Record) -> ApiResult<bool> {
    for (field, cond) in query {
        let actual = rec.field(field);
        let ok = match cond {
            Value::Object(ops) if ops.keys().any(|k| k.starts_with('$')) => {
                let mut all = true;
                for (op, v) in ops {
                    all &= match op.as_str() {
                        "$eq" => actual.as_ref() == Some(v),
                        "$ne" => actual.as_ref() != Some(v),
                        "$in" => v.as_array().ok_or_else(|| ApiError::bad_request(format!("Invalid query: {field}.$in must be an array")))?.iter().any(|x| actual.as_ref() == Some(x)),
                        other => return Err(ApiError::bad_request(format!("Invalid query: operator {other} is not supported"))),
                    };
                }
                all
            }
            v => actual.as_ref() == Some(v),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn next_page(page: usize, size: usize, total: usize) -> Value {
    if page * size < total { json!({ "page": page + 1, "pageSize": size }) } else { Value::Null }
}

pub async fn expand(State(s): State<Arc<Shared>>, Extension(ctx): Extension<Ctx>, Path(name): Path<String>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(q.as_deref());
    if name.trim().is_empty() {
        return Err(ApiError::bad_request("Missing module name."));
    }
    let (page, page_size) = params.paging_up_to(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
    let sub_size = size(&params, "subTablePageSize", DEFAULT_PAGE_SIZE, "subTablePageSize must be between 1 and 100")?;
    let paging = table_paging(params.get("subTablePaging"))?;
    let fields = Fields::parse(params.get("fields"), "fields")?;
    let sub_fields = Fields::parse(params.get("subTableFields"), "subTableFields")?;
    let ids: Option<Vec<String>> = params.text("recordIds").map(|raw| raw.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    if let Some(ids) = &ids
        && ids.len() > MAX_RECORD_IDS
    {
        return Err(ApiError::bad_request(format!("Maximum {MAX_RECORD_IDS} recordIds allowed but received {}", ids.len())));
    }
    let query: Option<Map<String, Value>> = match params.get("query") {
        None => None,
        Some(raw) => match serde_json::from_str(raw) {
            Ok(Value::Object(m)) => Some(m),
            _ => return Err(ApiError::bad_request("Invalid query: must be a JSON object")),
        },
    };

    let world = s.world();
    let coll = world.tenants[ctx.tenant].collection(Kind::Module, &name)?;
    let project = ctx.project.as_deref();
    let wanted: Option<HashSet<&str>> = ids.as_ref().map(|v| v.iter().map(String::as_str).collect());
    let mut matching = Vec::new();
    for r in &coll.records {
        if !Collection::in_scope(r, project) || wanted.as_ref().is_some_and(|w| !w.contains(r.oid.as_str())) {
            continue;
        }
        if let Some(q) = &query
            && !query_matches(q, r)?
        {
            continue;
        }
        matching.push(r);
    }
    let total = matching.len();
    let records: Vec<Value> = matching
        .into_iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .map(|r| {
            let mut doc = match serde_json::to_value(r) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            fields.apply(&mut doc);
            let mut data = Map::new();
            for def in &coll.sub_tables {
                let (p, size) = paging.get(&def.id).copied().unwrap_or((1, sub_size));
                let all = r.sub_tables.get(&def.id).map(Vec::as_slice).unwrap_or_default();
                let rows: Vec<Value> = all
                    .iter()
                    .skip((p - 1).saturating_mul(size))
                    .take(size)
                    .map(|row| {
                        let mut m = match serde_json::to_value(row) {
                            Ok(Value::Object(m)) => m,
                            _ => Map::new(),
                        };
                        sub_fields.apply(&mut m);
                        Value::Object(m)
                    })
                    .collect();
                data.insert(
                    def.id.clone(),
                    json!({ "rows": rows, "page": p, "pageSize": size, "total": all.len(), "totalPages": all.len().div_ceil(size), "nextPage": next_page(p, size, all.len()) }),
                );
            }
            doc.insert("subTableData".into(), Value::Object(data));
            Value::Object(doc)
        })
        .collect();
    let sub_tables: Vec<Value> = coll.sub_tables.iter().map(|d| json!({ "tableID": d.id, "name": d.name })).collect();
    Ok(json(
        StatusCode::OK,
        &json!({
            "moduleName": coll.name,
            "page": page,
            "pageSize": page_size,
            "total": total,
            "totalPages": total.div_ceil(page_size),
            "nextPage": next_page(page, page_size, total),
            "subTables": sub_tables,
            "records": records,
        }),
    ))
}
