//! What the emulator serves: tenants, tokens, projects, masters, modules, users. A dataset is
//! read from JSON or YAML (same shape) or taken from the built-in [`Dataset::demo`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The root of a dataset file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dataset {
    pub tenants: Vec<TenantSeed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantSeed {
    /// Tenant short id, e.g. `cwWdTZK`.
    pub id: String,
    /// Personal access tokens that reach this tenant. A token listed in several tenants is a
    /// multi-tenant token: the first tenant is its default, `x-tenant-id` picks another.
    #[serde(default)]
    pub tokens: Vec<TokenSeed>,
    /// Tenant-level groups.
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub projects: Vec<ProjectSeed>,
    #[serde(default)]
    pub users: Vec<UserSeed>,
    #[serde(default)]
    pub masters: Vec<MasterSeed>,
    #[serde(default)]
    pub modules: Vec<ModuleSeed>,
    /// Hierarchy masters (REFERENCE.md §6A): rows in a tree.
    #[serde(default)]
    pub hierarchy_masters: Vec<HierarchySeed>,
    /// Workspaces (REFERENCE.md §6A), in order; a parent must come before its children.
    #[serde(default)]
    pub workspaces: Vec<WorkspaceSeed>,
    /// Job status records (§6A): the API's job documents (`projectID`, `jobTitle`, `jobType`,
    /// `status`, `createdBy`, `log`, `meta`, ...).
    #[serde(default)]
    pub jobs: Vec<Map<String, Value>>,
    /// Stored documents (§6A), each with one or more versions.
    #[serde(default)]
    pub documents: Vec<DocumentSeed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceSeed {
    pub name: String,
    /// The index of the parent among the seeded workspaces (ids are generated).
    #[serde(default)]
    pub parent: Option<usize>,
}

/// A stored document. Its content is `text` (UTF-8) or `size` bytes of a fixed pattern (byte
/// `i` is `i % 251`), per version; a document without `versions` has one, made of its own
/// `text`/`size`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentSeed {
    pub file_name: String,
    #[serde(default, rename = "projectID", alias = "projectId")]
    pub project_id: Option<String>,
    /// The module and record the document is attached to: the record by its `_id`
    /// (`recordId`) or by its position among the module's seeded records (`recordIndex`).
    #[serde(default)]
    pub module: Option<String>,
    #[serde(default)]
    pub record_id: Option<String>,
    #[serde(default)]
    pub record_index: Option<usize>,
    #[serde(default)]
    pub meta: Option<Value>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub size: Option<usize>,
    #[serde(default)]
    pub versions: Vec<ContentSeed>,
    /// The stored file is gone: downloads answer 404 `errors.error_document_file_missing`.
    #[serde(default)]
    pub missing: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentSeed {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub size: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HierarchySeed {
    pub name: String,
    /// Rows in order; a row's parent must come before it.
    #[serde(default)]
    pub rows: Vec<HierarchyRowSeed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HierarchyRowSeed {
    /// `sys_rowID`; default: a generated short id.
    #[serde(default, rename = "sys_rowID")]
    pub row_id: Option<String>,
    /// `sys_parentRowID`; absent for a root.
    #[serde(default, rename = "sys_parentRowID")]
    pub parent: Option<String>,
    #[serde(default)]
    pub fields: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenSeed {
    pub token: String,
    /// The username the token belongs to (written as `createdBy` of master records).
    pub user: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectSeed {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub spaces: Vec<String>,
    /// Project-level groups.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// A user as `GET /user/user-access` shows it: profile, tenant groups, project access.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserSeed {
    /// Profile; `userName` is required, `status` 1 = active, 0 = inactive (default 1).
    pub user: Map<String, Value>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub projects: Vec<ProjectAccessSeed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectAccessSeed {
    #[serde(rename = "projectID", alias = "projectId")]
    pub project_id: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub spaces: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MasterSeed {
    /// Internal name; the service upper-cases names before lookup.
    pub name: String,
    /// Fields configured as unique: an upserted row carrying one of them updates the match.
    #[serde(default)]
    pub unique: Vec<String>,
    #[serde(default)]
    pub records: Vec<RecordSeed>,
    /// Synthetic records appended after `records` (for paging tests and benchmarks).
    #[serde(default)]
    pub generate: Option<GenerateSeed>,
    /// Users who may delete this master's records (§2.4); others get `200 {"success": false}`.
    /// Absent: every active user may.
    #[serde(default)]
    pub delete_users: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModuleSeed {
    pub name: String,
    #[serde(default)]
    pub unique: Vec<String>,
    /// Prefix of `recordNumber` (`MOD-1`); default: the first three letters of the name.
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub workflow: Option<WorkflowSeed>,
    #[serde(default)]
    pub sub_tables: Vec<SubTableSeed>,
    #[serde(default)]
    pub records: Vec<RecordSeed>,
    #[serde(default)]
    pub generate: Option<GenerateSeed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkflowSeed {
    /// `templateName` in the v2 workflow list; default "Default workflow".
    #[serde(default)]
    pub name: Option<String>,
    /// Status of a new record.
    pub initial: String,
    pub transitions: Vec<TransitionSeed>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransitionSeed {
    pub from: String,
    pub action: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubTableSeed {
    /// The `tableId` path segment, e.g. `Signatures`.
    pub id: String,
    /// Display name; default: the id.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub unique: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordSeed {
    #[serde(default, rename = "projectID", alias = "projectId")]
    pub project_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    /// UTC date-time; default: the dataset epoch plus one second per record.
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// Sub-table rows by table id (modules only).
    #[serde(default)]
    pub sub_tables: Map<String, Value>,
}

/// `count` records with `customFields {seq: i, code: "<prefix>-<i>", name: "Record <i>", amount: i * 1.5}`
/// (i from 1), spread over `projects` in turn (tenant scope when empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateSeed {
    pub count: usize,
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub code_prefix: Option<String>,
}

impl Dataset {
    /// Parses a dataset from JSON or YAML text (JSON is YAML, but JSON errors read better).
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') {
            serde_json::from_str(text).map_err(|e| format!("invalid dataset JSON: {e}"))
        } else {
            serde_norway::from_str(text).map_err(|e| format!("invalid dataset YAML: {e}"))
        }
    }

    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text)
    }

    /// The first token of the first tenant: what `Emulator::token()` hands out.
    pub fn default_token(&self) -> Option<&str> {
        self.tenants.iter().flat_map(|t| t.tokens.iter()).map(|t| t.token.as_str()).next()
    }

    /// Replaces the first tenant's first token (the `--token` flag).
    pub fn set_default_token(&mut self, token: &str) {
        if let Some(t) = self.tenants.first_mut() {
            match t.tokens.first_mut() {
                Some(first) => first.token = token.to_string(),
                None => t.tokens.push(TokenSeed { token: token.into(), user: "admin@exto360.com".into() }),
            }
        }
    }

    /// The built-in dataset: one tenant `cwWdTZK`, token `demo-token`, two projects, masters
    /// `LOCATION` (whose records only admin and johndoe may delete), `ITEM`, `VENDOR`, module
    /// `CUSTOMMODULE` with a Draft → Submitted → Approved/Rejected workflow and `Signatures` and
    /// `Lines` sub-tables, hierarchy master `ORG_UNIT`, four users, groups, two workspaces, two jobs
    /// and three documents (one with two versions, two attached to the first CUSTOMMODULE record).
    pub fn demo() -> Self {
        serde_json::from_value(demo_json()).expect("the demo dataset is valid")
    }
}

fn demo_json() -> Value {
    json!({
      "tenants": [{
        "id": "cwWdTZK",
        "tokens": [{"token": "demo-token", "user": "admin@exto360.com"}],
        "groups": ["G1", "G2", "Group3", "Group4"],
        "projects": [
          {"id": "Vx6-j2Z", "name": "North Plant", "spaces": ["S1", "S2"], "groups": ["GG3", "QA"]},
          {"id": "p6iDlWb", "name": "South Plant", "spaces": ["S1"], "groups": ["Ops"]}
        ],
        "users": [
          {"user": {"userName": "admin@exto360.com", "firstName": "Ada", "lastName": "Admin", "fullName": "Ada Admin",
                    "email": "admin@exto360.com", "applicationRole": "PME", "loginMethod": "NATIVE", "company": "",
                    "status": 1, "verifyEmailOTP": false, "autoRenewMSAccessToken": false},
           "groups": ["G1"],
           "projects": [{"projectID": "Vx6-j2Z", "groups": ["GG3"], "spaces": ["S1", "S2"]},
                        {"projectID": "p6iDlWb", "groups": [], "spaces": ["S1"]}]},
          {"user": {"userName": "johndoe@exto360.com", "firstName": "John", "lastName": "Doe", "fullName": "John Doe",
                    "email": "johndoe@exto360.com", "applicationRole": "PME", "loginMethod": "NATIVE", "company": "",
                    "status": 1, "employeeId": null, "verifyEmailOTP": false, "autoRenewMSAccessToken": false,
                    "autoRenewGoogleAccessToken": false},
           "groups": [],
           "projects": [{"projectID": "Vx6-j2Z", "groups": [], "spaces": ["S1"]}]},
          {"user": {"userName": "jasonsmith@exto360.com", "firstName": "Jason", "lastName": "Smith",
                    "fullName": "Jason Smith", "email": "jasonsmith@exto360.com", "applicationRole": "USER",
                    "loginMethod": "SSO", "company": "Tech Corp", "status": 1, "employeeId": "EMP123456",
                    "verifyEmailOTP": false, "autoRenewMSAccessToken": true},
           "groups": ["G2"],
           "projects": [{"projectID": "Vx6-j2Z", "groups": ["GG3"], "spaces": []}]},
          {"user": {"userName": "retired@exto360.com", "firstName": "Rita", "lastName": "Tired", "fullName": "Rita Tired",
                    "email": "retired@exto360.com", "applicationRole": "USER", "loginMethod": "NATIVE", "company": "",
                    "status": 0, "verifyEmailOTP": false, "autoRenewMSAccessToken": false},
           "groups": [], "projects": []}
        ],
        "masters": [
          {"name": "LOCATION", "unique": ["code"], "deleteUsers": ["admin@exto360.com", "johndoe@exto360.com"], "records": [
            {"projectID": "Vx6-j2Z", "status": "Approved", "fields": {"code": "BLR", "name": "Bengaluru", "serial_number": 1234, "active": true, "openedOn": "2021-04-01", "tags": ["south", "hq"]}},
            {"projectID": "Vx6-j2Z", "status": "Approved", "fields": {"code": "MUM", "name": "Mumbai", "serial_number": 1500, "active": true, "openedOn": "2022-01-15", "tags": ["west"]}},
            {"projectID": "Vx6-j2Z", "status": "Draft", "fields": {"code": "DEL", "name": "Delhi", "serial_number": 900, "active": false, "openedOn": "2023-07-30", "tags": []}},
            {"projectID": "p6iDlWb", "status": "Approved", "fields": {"code": "CHN", "name": "Chennai", "serial_number": 2100, "active": true, "openedOn": "2024-03-22", "tags": ["south"]}},
            {"projectID": "p6iDlWb", "status": "Approved", "fields": {"code": "HYD", "name": "Hyderabad", "serial_number": null, "active": true, "openedOn": "2024-03-31", "tags": ["south"]}},
            {"fields": {"code": "PUN", "name": "Pune", "serial_number": 3000, "active": true, "openedOn": "2020-12-01", "email_id": "pune@exto360.com"}}
          ]},
          {"name": "ITEM", "unique": ["sku"], "records": [
            {"projectID": "Vx6-j2Z", "fields": {"sku": "SKU-1", "name": "Bolt", "price": {"label": "12.000 USD", "value": 12, "currency": "USD"}, "qty": 100}},
            {"projectID": "Vx6-j2Z", "fields": {"sku": "SKU-2", "name": "Nut", "price": {"label": "3.000 USD", "value": 3, "currency": "USD"}, "qty": 250}}
          ]},
          {"name": "VENDOR", "unique": ["vendor_id"], "records": []}
        ],
        "hierarchyMasters": [
          {"name": "ORG_UNIT", "rows": [
            {"sys_rowID": "ORG-1", "fields": {"name": "Acme"}},
            {"sys_rowID": "ORG-2", "sys_parentRowID": "ORG-1", "fields": {"name": "North Plant"}},
            {"sys_rowID": "ORG-3", "sys_parentRowID": "ORG-1", "fields": {"name": "South Plant"}},
            {"sys_rowID": "ORG-4", "sys_parentRowID": "ORG-2", "fields": {"name": "Line 1"}}
          ]}
        ],
        "workspaces": [{"name": "West Region"}, {"name": "Plant A", "parent": 0}],
        "jobs": [
          {"projectID": "Vx6-j2Z", "jobTitle": "Import - vendor master", "jobType": "Import", "status": "Completed",
           "createdBy": "admin@exto360.com", "duration": 1820, "log": [{"message": "900 rows imported", "level": "info"}]},
          {"projectID": "Vx6-j2Z", "jobTitle": "Nightly export", "jobType": "Export", "status": "In Progress", "createdBy": "admin@exto360.com"}
        ],
        "documents": [
          {"fileName": "inspection-report.txt", "projectID": "Vx6-j2Z", "module": "CUSTOMMODULE", "recordIndex": 0,
           "meta": {"category": "report"}, "contentType": "text/plain",
           "versions": [{"text": "Pump inspection: first draft\n"}, {"text": "Pump inspection: signed report\n"}]},
          {"fileName": "pump-photo.jpg", "projectID": "Vx6-j2Z", "module": "CUSTOMMODULE", "recordIndex": 0, "contentType": "image/jpeg", "size": 4096},
          {"fileName": "site-notes.txt", "projectID": "Vx6-j2Z", "text": "Gate code 4471\n"}
        ],
        "modules": [
          {"name": "CUSTOMMODULE", "prefix": "MOD", "unique": ["ref_no"],
           "workflow": {"name": "Inspection approval", "initial": "Draft", "transitions": [
             {"from": "Draft", "action": "Submit", "to": "Submitted"},
             {"from": "Submitted", "action": "Approve", "to": "Approved"},
             {"from": "Submitted", "action": "Reject", "to": "Rejected"},
             {"from": "Rejected", "action": "Submit", "to": "Submitted"}
           ]},
           "subTables": [{"id": "Signatures", "unique": ["signer"]}, {"id": "Lines"}],
           "records": [
             {"projectID": "Vx6-j2Z", "createdBy": "johndoe@exto360.com", "fields": {"ref_no": "R-1", "title": "Pump inspection", "number2": 3, "email_id": "john@exto360.com"}},
             {"projectID": "Vx6-j2Z", "createdBy": "johndoe@exto360.com", "status": "Submitted", "fields": {"ref_no": "R-2", "title": "Valve replacement", "number2": 1, "email_id": "jason@exto360.com"}},
             {"projectID": "p6iDlWb", "createdBy": "jasonsmith@exto360.com", "status": "Approved", "fields": {"ref_no": "R-3", "title": "Boiler audit", "number2": 7, "email_id": "john.d@exto360.com"},
              "subTables": {"Signatures": [{"signer": "johndoe@exto360.com", "signedOn": "2024-05-01"}]}}
           ]}
        ]
      }]
    })
}
