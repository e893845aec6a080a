//! Hierarchy masters (REFERENCE.md §6A): master rows in a tree. Each row has a `sys_rowID`,
//! its parent's `sys_parentRowID` (null for a root) and `sys_path`, which the emulator writes as
//! the `/`-separated row ids from the root to the row (`/ORG-1/ORG-2`) — the docs name the
//! field but not its form.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::dataset::HierarchySeed;
use crate::error::{ApiError, ApiResult};
use crate::ids::{IdGen, format_ts, seed_epoch};
use crate::state::WriteCtx;

#[derive(Debug, Clone)]
pub struct HRow {
    pub oid: String,
    pub row_id: String,
    pub parent: Option<String>,
    pub path: String,
    pub project_id: Option<Arc<str>>,
    pub tenant_id: Arc<str>,
    pub fields: Map<String, Value>,
    pub created_by: Arc<str>,
    pub created_at: String,
    pub updated_by: Arc<str>,
    pub updated_at: String,
}

impl Serialize for HRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("_id", &self.oid)?;
        m.serialize_entry("id", &self.oid)?;
        m.serialize_entry("customFields", &self.fields)?;
        m.serialize_entry("sys_rowID", &self.row_id)?;
        m.serialize_entry("sys_parentRowID", &self.parent)?;
        m.serialize_entry("sys_path", &self.path)?;
        m.serialize_entry("tenantID", &*self.tenant_id)?;
        m.serialize_entry("projectID", &self.project_id.as_deref())?;
        m.serialize_entry("createdBy", &*self.created_by)?;
        m.serialize_entry("createdAt", &self.created_at)?;
        m.serialize_entry("updatedBy", &*self.updated_by)?;
        m.serialize_entry("updatedAt", &self.updated_at)?;
        m.serialize_entry("isDeleted", &false)?;
        m.end()
    }
}

#[derive(Debug, Clone)]
pub struct Hierarchy {
    pub name: String,
    pub rows: Vec<HRow>,
}

/// A validated row to insert.
struct NewRow {
    row_id: String,
    parent: Option<String>,
    fields: Map<String, Value>,
}

const SYS: [&str; 3] = ["sys_rowID", "sys_parentRowID", "sys_path"];

fn opt_id(item: &Map<String, Value>, key: &str, i: usize) -> ApiResult<Option<String>> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_request(format!("Item {i}: {key} must be a non-empty string"))),
    }
}

impl Hierarchy {
    pub fn seed(h: &HierarchySeed, ids: &mut IdGen, tenant: &Arc<str>, seq: &mut i64) -> Result<Hierarchy, String> {
        let mut out = Hierarchy { name: h.name.to_uppercase(), rows: Vec::new() };
        let user: Arc<str> = Arc::from("admin@exto360.com");
        for r in &h.rows {
            *seq += 1;
            let now = format_ts(seed_epoch().checked_add(jiff::SignedDuration::from_secs(*seq)).unwrap_or(seed_epoch()));
            let row_id = r.row_id.clone().unwrap_or_else(|| ids.short_id());
            if out.position(&row_id).is_some() {
                return Err(format!("{}: duplicate sys_rowID {row_id}", out.name));
            }
            if let Some(p) = &r.parent
                && out.position(p).is_none()
            {
                return Err(format!("{}: row {row_id} names parent {p}, which does not come before it", out.name));
            }
            let ctx = WriteCtx { tenant_id: tenant, project: None, user: &user, now };
            out.push(ids, &ctx, NewRow { row_id, parent: r.parent.clone(), fields: r.fields.clone() });
        }
        Ok(out)
    }

    pub fn position(&self, row_id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.row_id == row_id)
    }

    fn push(&mut self, ids: &mut IdGen, ctx: &WriteCtx<'_>, n: NewRow) -> String {
        let parent_path = n.parent.as_deref().and_then(|p| self.position(p)).map(|i| self.rows[i].path.clone()).unwrap_or_default();
        let oid = ids.object_id();
        let user: Arc<str> = Arc::from(ctx.user);
        self.rows.push(HRow {
            oid: oid.clone(),
            path: format!("{parent_path}/{}", n.row_id),
            row_id: n.row_id,
            parent: n.parent,
            project_id: ctx.project.map(Arc::from),
            tenant_id: ctx.tenant_id.clone(),
            fields: n.fields,
            created_by: user.clone(),
            created_at: ctx.now.clone(),
            updated_by: user,
            updated_at: ctx.now.clone(),
        });
        oid
    }

    pub fn in_scope(row: &HRow, project: Option<&str>) -> bool {
        project.is_none_or(|p| row.project_id.as_deref() == Some(p))
    }

    /// `POST`: inserts every item or none. An item may name its `sys_rowID` (new) and a parent
    /// that exists or comes earlier in the same request.
    pub fn create(&mut self, ids: &mut IdGen, ctx: &WriteCtx<'_>, items: Vec<Map<String, Value>>) -> ApiResult<Vec<String>> {
        let mut known: HashMap<String, ()> = self.rows.iter().map(|r| (r.row_id.clone(), ())).collect();
        let mut plan = Vec::with_capacity(items.len());
        for (i, mut item) in items.into_iter().enumerate() {
            if item.contains_key("_id") {
                return Err(ApiError::bad_request(format!("Item {i}: '_id' is assigned by the server")));
            }
            if item.contains_key("sys_path") {
                return Err(ApiError::bad_request(format!("Item {i}: sys_path is computed by the server")));
            }
            let row_id = match opt_id(&item, "sys_rowID", i)? {
                Some(id) if known.contains_key(&id) => return Err(ApiError::bad_request(format!("Item {i}: sys_rowID {id} already exists"))),
                Some(id) => id,
                None => ids.short_id(),
            };
            let parent = opt_id(&item, "sys_parentRowID", i)?;
            if let Some(p) = &parent
                && !known.contains_key(p)
            {
                return Err(ApiError::bad_request(format!("Item {i}: parent row {p} not found")));
            }
            for k in SYS {
                item.remove(k);
            }
            known.insert(row_id.clone(), ());
            plan.push(NewRow { row_id, parent, fields: item });
        }
        Ok(plan.into_iter().map(|n| self.push(ids, ctx, n)).collect())
    }

    /// `PATCH`: each item names its row by `sys_rowID`; may move it under another parent (never
    /// under itself or its own descendants). Items whose row is not in scope change nothing.
    /// Returns how many rows were updated.
    pub fn update(&mut self, ctx: &WriteCtx<'_>, items: Vec<Map<String, Value>>) -> ApiResult<usize> {
        let index: HashMap<String, usize> = self.rows.iter().enumerate().map(|(i, r)| (r.row_id.clone(), i)).collect();
        let mut plan = Vec::with_capacity(items.len());
        for (i, mut item) in items.into_iter().enumerate() {
            if item.contains_key("_id") {
                return Err(ApiError::bad_request(format!("Updating '_id' is not allowed (item {i})")));
            }
            if item.contains_key("sys_path") {
                return Err(ApiError::bad_request(format!("Item {i}: sys_path is computed by the server")));
            }
            let row_id = opt_id(&item, "sys_rowID", i)?.ok_or_else(|| ApiError::bad_request(format!("Item {i} has no sys_rowID")))?;
            let new_parent = match item.get("sys_parentRowID") {
                None => None,
                Some(Value::Null) => Some(None),
                Some(_) => Some(opt_id(&item, "sys_parentRowID", i)?),
            };
            if let Some(Some(p)) = &new_parent {
                let Some(&pp) = index.get(p) else {
                    return Err(ApiError::bad_request(format!("Item {i}: parent row {p} not found")));
                };
                if self.rows[pp].path.split('/').any(|seg| seg == row_id) {
                    return Err(ApiError::bad_request(format!("Item {i}: row {row_id} cannot move under itself or its descendant {p}")));
                }
            }
            for k in SYS {
                item.remove(k);
            }
            if let Some(&pos) = index.get(&row_id).filter(|&&p| Self::in_scope(&self.rows[p], ctx.project)) {
                plan.push((pos, new_parent, item));
            }
        }
        let n = plan.len();
        let moved = plan.iter().any(|(_, p, _)| p.is_some());
        for (pos, parent, fields) in plan {
            let row = &mut self.rows[pos];
            row.fields.extend(fields);
            if let Some(p) = parent {
                row.parent = p;
            }
            row.updated_by = Arc::from(ctx.user);
            row.updated_at = ctx.now.clone();
        }
        if moved {
            self.recompute_paths();
        }
        Ok(n)
    }

    /// Every `sys_path` again from the parents (after a move), parents resolved through memo.
    fn recompute_paths(&mut self) {
        let parents: HashMap<String, Option<String>> = self.rows.iter().map(|r| (r.row_id.clone(), r.parent.clone())).collect();
        let mut memo: HashMap<String, String> = HashMap::new();
        fn path_of(id: &str, parents: &HashMap<String, Option<String>>, memo: &mut HashMap<String, String>, depth: usize) -> String {
            if let Some(p) = memo.get(id) {
                return p.clone();
            }
            let prefix = match parents.get(id).cloned().flatten() {
                Some(parent) if depth < 10_000 => path_of(&parent, parents, memo, depth + 1),
                _ => String::new(),
            };
            let p = format!("{prefix}/{id}");
            memo.insert(id.to_string(), p.clone());
            p
        }
        for i in 0..self.rows.len() {
            let id = self.rows[i].row_id.clone();
            self.rows[i].path = path_of(&id, &parents, &mut memo, 0);
        }
    }
}
