//! The emulated tenants and everything in them, built from a [`Dataset`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::dataset::{Dataset, GenerateSeed, ProjectAccessSeed, ProjectSeed, RecordSeed, WorkflowSeed};
use crate::error::{ApiError, ApiResult};
use crate::ids::{IdGen, format_ts, seed_epoch};

/// Masters and modules share their storage and most rules; the kind decides the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Master,
    Module,
}

/// One stored record. Serializes as the API's record document (REFERENCE.md §0.3).
#[derive(Debug, Clone)]
pub struct Record {
    pub oid: String,
    pub ref_id: String,
    pub record_number: Option<String>,
    pub tenant_id: Arc<str>,
    pub project_id: Option<Arc<str>>,
    pub status: Option<String>,
    pub workflow_id: Option<String>,
    pub created_by: Arc<str>,
    pub created_at: String,
    pub updated_by: Arc<str>,
    pub updated_at: String,
    pub custom: Map<String, Value>,
    /// Sub-table rows by table id (modules only).
    pub sub_tables: BTreeMap<String, Vec<SubRow>>,
    /// Rows ever added to each sub-table, for the rows' `recordNumber`s (never reused).
    pub sub_counters: BTreeMap<String, u64>,
    /// The v2 workflow's view of the record (REFERENCE.md §5.2): steps taken, comments,
    /// responsible users and groups, revision number. Not part of the record document.
    pub flow: FlowState,
}

/// What the v2 workflow endpoints show of a record beyond its status.
#[derive(Debug, Clone, Default)]
pub struct FlowState {
    /// One entry per step taken: `{action, verb, fromStep, toStep, actedBy, actedAt, comment}`.
    pub history: Vec<Value>,
    /// `generalComments`: `{text, isPrivate, createdBy, createdAt}`.
    pub comments: Vec<Value>,
    pub responsible_users: Vec<String>,
    pub responsible_groups: Vec<String>,
    pub revision: u32,
    /// Who last moved the record along its workflow.
    pub last_updated_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubRow {
    #[serde(rename = "_id")]
    pub oid: String,
    /// `<prefix>-<n>`: what sub-table deletes address rows by (§4.3).
    #[serde(rename = "recordNumber")]
    pub record_number: String,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    #[serde(rename = "createdBy")]
    pub created_by: Arc<str>,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("_id", &self.oid)?;
        m.serialize_entry("id", &self.oid)?;
        m.serialize_entry("customFields", &self.custom)?;
        m.serialize_entry("parentID", &Value::Null)?;
        m.serialize_entry("slug", &self.ref_id)?;
        m.serialize_entry("refId", &self.ref_id)?;
        if let Some(n) = &self.record_number {
            m.serialize_entry("recordNumber", n)?;
        }
        m.serialize_entry("tenantID", &*self.tenant_id)?;
        m.serialize_entry("projectID", &self.project_id.as_deref())?;
        if let Some(st) = &self.status {
            m.serialize_entry("status", st)?;
        }
        if let Some(w) = &self.workflow_id {
            m.serialize_entry("workflowId", w)?;
        }
        m.serialize_entry("createdBy", &*self.created_by)?;
        m.serialize_entry("createdAt", &self.created_at)?;
        m.serialize_entry("updatedBy", &*self.updated_by)?;
        m.serialize_entry("updatedAt", &self.updated_at)?;
        m.serialize_entry("isDeleted", &false)?;
        m.end()
    }
}

impl Record {
    /// Appends a row to sub-table `def`, numbering it after every row the table ever had.
    pub fn push_sub_row(&mut self, def: &SubTableDef, oid: String, fields: Map<String, Value>, user: &Arc<str>, now: &str) -> &SubRow {
        let n = self.sub_counters.entry(def.id.clone()).or_insert(0);
        *n += 1;
        let row = SubRow { oid, record_number: format!("{}-{n}", def.prefix), fields, created_by: user.clone(), created_at: now.to_string(), updated_at: now.to_string() };
        let rows = self.sub_tables.entry(def.id.clone()).or_default();
        rows.push(row);
        rows.last().expect("just pushed")
    }

    /// A field by name: custom fields first, then the document's own attributes, so filters
    /// and sort can use `createdAt`, `status` or `recordNumber` too.
    pub fn field(&self, name: &str) -> Option<Value> {
        let name = name.strip_prefix("customFields.").unwrap_or(name);
        if let Some(v) = self.custom.get(name) {
            return Some(v.clone());
        }
        let s = |v: &str| Some(Value::String(v.to_string()));
        match name {
            "_id" | "id" => s(&self.oid),
            "refId" | "slug" => s(&self.ref_id),
            "recordNumber" => self.record_number.as_deref().and_then(s),
            "status" => self.status.as_deref().and_then(s),
            "projectID" => self.project_id.as_deref().and_then(s),
            "tenantID" => s(&self.tenant_id),
            "createdBy" => s(&self.created_by),
            "createdAt" => s(&self.created_at),
            "updatedBy" => s(&self.updated_by),
            "updatedAt" => s(&self.updated_at),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Workflow {
    /// `templateName` in the v2 workflow list.
    pub name: String,
    pub initial: String,
    /// (from, action) → to
    pub transitions: HashMap<(String, String), String>,
}

impl From<&WorkflowSeed> for Workflow {
    fn from(w: &WorkflowSeed) -> Self {
        Workflow {
            name: w.name.clone().unwrap_or_else(|| "Default workflow".into()),
            initial: w.initial.clone(),
            transitions: w.transitions.iter().map(|t| ((t.from.clone(), t.action.clone()), t.to.clone())).collect(),
        }
    }
}

impl Workflow {
    /// A step with no way out (e.g. Approved): what `reopen` starts from.
    pub fn is_final(&self, step: &str) -> bool {
        !self.transitions.keys().any(|(from, _)| from == step)
    }
}

#[derive(Debug, Clone)]
pub struct SubTableDef {
    pub id: String,
    /// Display name (`subTables[].name` of `/expand`); default: the id.
    pub name: String,
    pub unique: Vec<String>,
    /// Prefix of the rows' `recordNumber`: the id's first three letters, upper-cased.
    pub prefix: String,
}

impl SubTableDef {
    pub fn new(id: &str, name: Option<&str>, unique: &[String]) -> SubTableDef {
        SubTableDef { id: id.to_string(), name: name.unwrap_or(id).to_string(), unique: unique.to_vec(), prefix: id.chars().take(3).collect::<String>().to_uppercase() }
    }
}

/// A master or a module: its definition and its records.
#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub kind: Kind,
    pub unique: Vec<String>,
    pub prefix: String,
    pub workflow: Option<Workflow>,
    pub sub_tables: Vec<SubTableDef>,
    /// Users who may delete records of a master (§2.4); `None`: every active user.
    pub delete_users: Option<Vec<String>>,
    pub records: Vec<Record>,
    /// `_id` → position in `records`.
    pub by_oid: HashMap<String, usize>,
    /// (unique field, canonical JSON value) → positions, for upsert matching.
    unique_index: HashMap<(String, String), Vec<usize>>,
    next_number: u64,
}

/// What one upsert request did.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpsertOutcome {
    pub inserted_ids: Vec<String>,
    pub inserted_count: usize,
    pub updated_count: usize,
}

/// Who is writing, and in which scope.
pub struct WriteCtx<'a> {
    pub tenant_id: &'a Arc<str>,
    pub project: Option<&'a str>,
    pub user: &'a str,
    pub now: String,
}

fn canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Collection {
    fn new(name: &str, kind: Kind, unique: &[String]) -> Self {
        Collection {
            name: name.to_uppercase(),
            kind,
            unique: unique.to_vec(),
            prefix: name.chars().take(3).collect::<String>().to_uppercase(),
            workflow: None,
            sub_tables: Vec::new(),
            delete_users: None,
            records: Vec::new(),
            by_oid: HashMap::new(),
            unique_index: HashMap::new(),
            next_number: 0,
        }
    }

    pub fn in_scope(rec: &Record, project: Option<&str>) -> bool {
        match project {
            Some(p) => rec.project_id.as_deref() == Some(p),
            None => true,
        }
    }

    fn index_record(&mut self, pos: usize) {
        let rec = &self.records[pos];
        let keys: Vec<(String, String)> = self
            .unique
            .iter()
            .filter_map(|f| rec.custom.get(f).filter(|v| !v.is_null()).map(|v| (f.clone(), canonical(v))))
            .collect();
        for k in keys {
            let list = self.unique_index.entry(k).or_default();
            if !list.contains(&pos) {
                list.push(pos);
            }
        }
    }

    /// The record an upserted row updates: the first in scope sharing a unique field's value.
    fn find_match(&self, row: &Map<String, Value>, project: Option<&str>) -> Option<usize> {
        for f in &self.unique {
            let Some(v) = row.get(f).filter(|v| !v.is_null()) else { continue };
            if let Some(list) = self.unique_index.get(&(f.clone(), canonical(v))) {
                for &pos in list {
                    let rec = &self.records[pos];
                    // The index keeps stale positions after a value changes; re-check.
                    if rec.custom.get(f) == Some(v) && Self::in_scope(rec, project) {
                        return Some(pos);
                    }
                }
            }
        }
        None
    }

    fn insert(&mut self, ids: &mut IdGen, ctx: &WriteCtx<'_>, custom: Map<String, Value>, status: Option<String>) -> usize {
        let oid = ids.object_id();
        let ref_id = ids.short_id();
        let (record_number, workflow_id, status) = match self.kind {
            Kind::Module => {
                self.next_number += 1;
                let wf = self.workflow.as_ref().map(|_| ids.object_id());
                let st = status.or_else(|| self.workflow.as_ref().map(|w| w.initial.clone()));
                (Some(format!("{}-{}", self.prefix, self.next_number)), wf, st)
            }
            Kind::Master => (None, None, status),
        };
        let user: Arc<str> = Arc::from(ctx.user);
        let rec = Record {
            oid: oid.clone(),
            ref_id,
            record_number,
            tenant_id: ctx.tenant_id.clone(),
            project_id: ctx.project.map(Arc::from),
            status,
            workflow_id,
            created_by: user.clone(),
            created_at: ctx.now.clone(),
            updated_by: user,
            updated_at: ctx.now.clone(),
            custom,
            sub_tables: BTreeMap::new(),
            sub_counters: BTreeMap::new(),
            flow: FlowState::default(),
        };
        let pos = self.records.len();
        self.records.push(rec);
        self.by_oid.insert(oid, pos);
        self.index_record(pos);
        pos
    }

    /// Upserts rows that were already validated as objects. Atomic per request: the caller has
    /// checked everything that can fail before calling.
    pub fn upsert(&mut self, ids: &mut IdGen, ctx: &WriteCtx<'_>, rows: Vec<Map<String, Value>>) -> UpsertOutcome {
        let mut out = UpsertOutcome::default();
        for row in rows {
            match self.find_match(&row, ctx.project) {
                Some(pos) => {
                    let rec = &mut self.records[pos];
                    for (k, v) in row {
                        rec.custom.insert(k, v);
                    }
                    rec.updated_by = Arc::from(ctx.user);
                    rec.updated_at = ctx.now.clone();
                    self.index_record(pos);
                    out.updated_count += 1;
                }
                None => {
                    let pos = self.insert(ids, ctx, row, None);
                    out.inserted_ids.push(self.records[pos].oid.clone());
                    out.inserted_count += 1;
                }
            }
        }
        out
    }

    pub fn sub_table(&self, id: &str) -> Option<&SubTableDef> {
        self.sub_tables.iter().find(|t| t.id.eq_ignore_ascii_case(id))
    }

    /// Finds a record by `_id` within the request's scope.
    pub fn find(&self, oid: &str, project: Option<&str>) -> Option<usize> {
        self.by_oid.get(oid).copied().filter(|&p| Self::in_scope(&self.records[p], project))
    }

    /// Positions of the records in scope by `key` (`refId` or `recordNumber`; for masters,
    /// which have no record numbers, `recordNumber` means the short id too): one map per
    /// request, so matching m items against n records is O(n + m).
    pub fn key_index(&self, key: &str, project: Option<&str>) -> HashMap<String, usize> {
        self.records
            .iter()
            .enumerate()
            .filter(|(_, r)| Self::in_scope(r, project))
            .filter_map(|(i, r)| match key {
                "recordNumber" if self.kind == Kind::Module => r.record_number.clone().map(|n| (n, i)),
                _ => Some((r.ref_id.clone(), i)),
            })
            .collect()
    }

    /// Removes the records at `positions` and rebuilds the indexes.
    pub fn remove(&mut self, positions: &std::collections::BTreeSet<usize>) {
        if positions.is_empty() {
            return;
        }
        let mut i = 0;
        self.records.retain(|_| {
            let keep = !positions.contains(&i);
            i += 1;
            keep
        });
        self.by_oid = self.records.iter().enumerate().map(|(i, r)| (r.oid.clone(), i)).collect();
        self.unique_index.clear();
        for pos in 0..self.records.len() {
            self.index_record(pos);
        }
    }

    /// Sets `fields` on the record at `pos` (an explicit update: nothing is inserted).
    pub fn update_fields(&mut self, pos: usize, fields: Map<String, Value>, user: &str, now: &str) {
        let rec = &mut self.records[pos];
        for (k, v) in fields {
            rec.custom.insert(k, v);
        }
        rec.updated_by = Arc::from(user);
        rec.updated_at = now.to_string();
        self.index_record(pos);
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub oid: String,
    pub profile: Map<String, Value>,
    pub groups: Vec<String>,
    pub projects: Vec<ProjectAccessSeed>,
}

impl User {
    pub fn username(&self) -> String {
        self.profile.get("userName").and_then(Value::as_str).unwrap_or_default().to_lowercase()
    }
    pub fn active(&self) -> bool {
        self.profile.get("status").and_then(Value::as_i64).unwrap_or(1) == 1
    }
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "user": self.profile, "groups": self.groups, "projects": self.projects })
    }
}

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Arc<str>,
    pub groups: Vec<String>,
    pub projects: Vec<ProjectSeed>,
    pub users: Vec<User>,
    pub masters: BTreeMap<String, Collection>,
    pub modules: BTreeMap<String, Collection>,
    pub hierarchies: BTreeMap<String, crate::hierarchy::Hierarchy>,
    pub workspaces: crate::workspaces::Workspaces,
    /// Job status records, oldest first.
    pub jobs: Vec<crate::jobs::Job>,
    pub documents: crate::documents::Documents,
}

impl Tenant {
    pub fn hierarchy(&self, name: &str) -> ApiResult<&crate::hierarchy::Hierarchy> {
        let key = name.to_uppercase();
        self.hierarchies.get(&key).ok_or_else(|| ApiError::unknown_name(&key))
    }
    pub fn hierarchy_mut(&mut self, name: &str) -> ApiResult<&mut crate::hierarchy::Hierarchy> {
        let key = name.to_uppercase();
        self.hierarchies.get_mut(&key).ok_or_else(|| ApiError::unknown_name(&key))
    }
    pub fn collection(&self, kind: Kind, name: &str) -> ApiResult<&Collection> {
        let key = name.to_uppercase();
        let map = if kind == Kind::Master { &self.masters } else { &self.modules };
        map.get(&key).ok_or_else(|| ApiError::unknown_name(&key))
    }
    pub fn collection_mut(&mut self, kind: Kind, name: &str) -> ApiResult<&mut Collection> {
        let key = name.to_uppercase();
        let map = if kind == Kind::Master { &mut self.masters } else { &mut self.modules };
        map.get_mut(&key).ok_or_else(|| ApiError::unknown_name(&key))
    }
    pub fn project(&self, id: &str) -> Option<&ProjectSeed> {
        self.projects.iter().find(|p| p.id == id)
    }
    pub fn user(&self, username: &str) -> Option<&User> {
        let u = username.to_lowercase();
        self.users.iter().find(|x| x.username() == u)
    }
    pub fn user_mut(&mut self, username: &str) -> Option<&mut User> {
        let u = username.to_lowercase();
        self.users.iter_mut().find(|x| x.username() == u)
    }
}

/// A token's reach: (tenant index, the username it belongs to), default tenant first.
pub type TokenGrants = Vec<(usize, String)>;

#[derive(Debug, Clone)]
pub struct World {
    pub tenants: Vec<Tenant>,
    pub tokens: HashMap<String, TokenGrants>,
    pub ids: IdGen,
}

impl World {
    pub fn build(data: &Dataset) -> Result<World, String> {
        let mut ids = IdGen::default();
        let mut tokens: HashMap<String, TokenGrants> = HashMap::new();
        let mut tenants = Vec::new();
        let mut seq: i64 = 0;
        for (ti, t) in data.tenants.iter().enumerate() {
            if t.id.is_empty() {
                return Err("a tenant has an empty id".into());
            }
            for tok in &t.tokens {
                tokens.entry(tok.token.clone()).or_default().push((ti, tok.user.to_lowercase()));
            }
            let tid: Arc<str> = Arc::from(t.id.as_str());
            let mut users = Vec::new();
            for u in &t.users {
                if u.user.get("userName").and_then(Value::as_str).is_none_or(str::is_empty) {
                    return Err(format!("tenant {}: a user has no userName", t.id));
                }
                users.push(User { oid: ids.object_id(), profile: u.user.clone(), groups: u.groups.clone(), projects: u.projects.clone() });
            }
            let mut tenant = Tenant {
                id: tid.clone(),
                groups: t.groups.clone(),
                projects: t.projects.clone(),
                users,
                masters: BTreeMap::new(),
                modules: BTreeMap::new(),
                hierarchies: BTreeMap::new(),
                workspaces: Default::default(),
                jobs: Vec::new(),
                documents: Default::default(),
            };
            for m in &t.masters {
                let mut c = Collection::new(&m.name, Kind::Master, &m.unique);
                c.delete_users = m.delete_users.as_ref().map(|u| u.iter().map(|s| s.to_lowercase()).collect());
                seed_records(&mut c, &mut ids, &tid, &m.records, m.generate.as_ref(), &mut seq)?;
                tenant.masters.insert(c.name.clone(), c);
            }
            for m in &t.modules {
                let mut c = Collection::new(&m.name, Kind::Module, &m.unique);
                if let Some(p) = &m.prefix {
                    c.prefix = p.clone();
                }
                c.workflow = m.workflow.as_ref().map(Workflow::from);
                c.sub_tables = m.sub_tables.iter().map(|s| SubTableDef::new(&s.id, s.name.as_deref(), &s.unique)).collect();
                seed_records(&mut c, &mut ids, &tid, &m.records, m.generate.as_ref(), &mut seq)?;
                tenant.modules.insert(c.name.clone(), c);
            }
            // After masters and modules, so the ids of their records do not depend on these.
            for h in &t.hierarchy_masters {
                let built = crate::hierarchy::Hierarchy::seed(h, &mut ids, &tid, &mut seq)?;
                tenant.hierarchies.insert(built.name.clone(), built);
            }
            seed_files_and_jobs(&mut tenant, t, &mut ids, &mut seq)?;
            tenants.push(tenant);
        }
        Ok(World { tenants, tokens, ids })
    }
}

/// Workspaces, jobs and documents of a tenant seed (after everything else, so the ids of
/// records do not depend on them).
fn seed_files_and_jobs(tenant: &mut Tenant, t: &crate::dataset::TenantSeed, ids: &mut IdGen, seq: &mut i64) -> Result<(), String> {
    let mut next_time = || {
        *seq += 1;
        format_ts(seed_epoch().checked_add(jiff::SignedDuration::from_secs(*seq)).unwrap_or(seed_epoch()))
    };
    for (i, w) in t.workspaces.iter().enumerate() {
        let parent = match w.parent {
            Some(p) if p < i => Some(tenant.workspaces.items[p].id.clone()),
            Some(p) => return Err(format!("tenant {}: workspace {i} names parent {p}, which does not come before it", t.id)),
            None => None,
        };
        let now = next_time();
        tenant.workspaces.create(ids.object_id(), w.name.clone(), parent, &now).map_err(|e| format!("tenant {}: workspace {i}: {}", t.id, e.detail.join("; ")))?;
    }
    let projects: Vec<String> = tenant.projects.iter().map(|p| p.id.clone()).collect();
    for (i, j) in t.jobs.iter().enumerate() {
        let now = next_time();
        let exists = |p: &str| projects.iter().any(|x| x == p);
        let ctx = crate::jobs::JobCtx { tenant_id: &tenant.id, project_header: None, user: "admin@exto360.com", now: &now, project_exists: &exists };
        let job = crate::jobs::new_job(&Value::Object(j.clone()), ids.object_id(), &ctx).map_err(|e| format!("tenant {}: job {i}: {}", t.id, e.detail.join("; ")))?;
        tenant.jobs.push(job);
    }
    for (i, d) in t.documents.iter().enumerate() {
        let record_id = match (&d.record_id, d.record_index) {
            (Some(id), _) => Some(id.clone()),
            (None, Some(k)) => {
                let module = d.module.as_deref().ok_or_else(|| format!("tenant {}: document {i} has recordIndex but no module", t.id))?;
                let m = tenant.modules.get(&module.to_uppercase()).ok_or_else(|| format!("tenant {}: document {i}: unknown module {module}", t.id))?;
                Some(m.records.get(k).ok_or_else(|| format!("tenant {}: document {i}: module {module} has no record {k}", t.id))?.oid.clone())
            }
            (None, None) => None,
        };
        let now = next_time();
        let doc = crate::documents::from_seed(d, ids.object_id(), &t.id, record_id, &now);
        tenant.documents.add(doc);
    }
    Ok(())
}

fn seed_records(
    c: &mut Collection,
    ids: &mut IdGen,
    tenant: &Arc<str>,
    records: &[RecordSeed],
    generate: Option<&GenerateSeed>,
    seq: &mut i64,
) -> Result<(), String> {
    let next_time = |seq: &mut i64| {
        *seq += 1;
        format_ts(seed_epoch().checked_add(jiff::SignedDuration::from_secs(*seq)).unwrap_or(seed_epoch()))
    };
    for r in records {
        let now = match &r.created_at {
            Some(t) => t.clone(),
            None => next_time(seq),
        };
        let user = r.created_by.clone().unwrap_or_else(|| "admin@exto360.com".into());
        let ctx = WriteCtx { tenant_id: tenant, project: r.project_id.as_deref(), user: &user, now };
        let pos = c.insert(ids, &ctx, r.fields.clone(), r.status.clone());
        for (table, rows) in &r.sub_tables {
            let Some(def) = c.sub_table(table).cloned() else {
                return Err(format!("{}: record seeds rows for unknown sub-table {table}", c.name));
            };
            let rows = rows.as_array().ok_or_else(|| format!("{}: sub-table {table} rows must be an array", c.name))?;
            let by: Arc<str> = Arc::from(user.as_str());
            for row in rows {
                let fields = row.as_object().cloned().ok_or_else(|| format!("{}: sub-table rows must be objects", c.name))?;
                c.records[pos].push_sub_row(&def, ids.object_id(), fields, &by, &ctx.now);
            }
        }
    }
    if let Some(g) = generate {
        let prefix = g.code_prefix.clone().unwrap_or_else(|| c.prefix.clone());
        c.records.reserve(g.count);
        for i in 1..=g.count {
            let project = if g.projects.is_empty() { None } else { Some(g.projects[(i - 1) % g.projects.len()].as_str()) };
            let mut f = Map::new();
            f.insert("seq".into(), Value::from(i));
            f.insert("code".into(), Value::from(format!("{prefix}-{i}")));
            f.insert("name".into(), Value::from(format!("Record {i}")));
            f.insert("amount".into(), Value::from(i as f64 * 1.5));
            let ctx = WriteCtx { tenant_id: tenant, project, user: "admin@exto360.com", now: next_time(seq) };
            c.insert(ids, &ctx, f, None);
        }
    }
    Ok(())
}
