//! What the API returns (and the bodies it takes), as serde types. Every answer type keeps the
//! fields this client does not know in `extra`, so nothing the server sends is lost.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A master or module record (REFERENCE.md §0.3), kept whole: the document as the server sent
/// it, with accessors for the documented fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Record(pub Map<String, Value>);

/// The keys a record document has besides its `customFields` (REFERENCE.md §0.3, §13 C23):
/// attributes the server sets, never fields a write can carry.
pub const RECORD_ATTRIBUTES: &[&str] = &[
    "_id", "id", "customFields", "parentID", "slug", "refId", "recordNumber", "tenantID", "projectID", "status", "workflowId",
    "createdBy", "createdAt", "updatedBy", "updatedAt", "isDeleted",
];

impl Record {
    fn str_field(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }
    /// `_id`: the 24-hex ObjectId.
    pub fn id(&self) -> Option<&str> {
        self.str_field("_id").or_else(|| self.str_field("id"))
    }
    /// `refId` (the same short id as `slug`).
    pub fn ref_id(&self) -> Option<&str> {
        self.str_field("refId").or_else(|| self.str_field("slug"))
    }
    /// `recordNumber` of module records, e.g. `MOD-1`.
    pub fn record_number(&self) -> Option<&str> {
        self.str_field("recordNumber")
    }
    /// Workflow status, when the record has one.
    pub fn status(&self) -> Option<&str> {
        self.str_field("status")
    }
    pub fn project_id(&self) -> Option<&str> {
        self.str_field("projectID")
    }
    pub fn tenant_id(&self) -> Option<&str> {
        self.str_field("tenantID")
    }
    pub fn created_by(&self) -> Option<&str> {
        self.str_field("createdBy")
    }
    /// UTC date-time string, e.g. `2025-02-27T02:20:06.958Z`.
    pub fn created_at(&self) -> Option<&str> {
        self.str_field("createdAt")
    }
    pub fn updated_at(&self) -> Option<&str> {
        self.str_field("updatedAt")
    }
    /// The tenant-defined fields.
    pub fn custom_fields(&self) -> Option<&Map<String, Value>> {
        self.0.get("customFields").and_then(Value::as_object)
    }
    /// One tenant-defined field.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.custom_fields().and_then(|c| c.get(name))
    }
    /// Any key of the document.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
    pub fn into_inner(self) -> Map<String, Value> {
        self.0
    }
}

/// Answer of upserts and sub-table writes (`201 {insertedIds, insertedCount, updatedCount}`),
/// merged over every request of a bulk write in input order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UpsertResult {
    /// Ids of new documents only (updated ones are not listed).
    #[serde(default)]
    pub inserted_ids: Vec<String>,
    #[serde(default)]
    pub inserted_count: u64,
    #[serde(default)]
    pub updated_count: u64,
}

impl UpsertResult {
    pub(crate) fn merge(mut self, other: UpsertResult) -> UpsertResult {
        self.inserted_ids.extend(other.inserted_ids);
        self.inserted_count += other.inserted_count;
        self.updated_count += other.updated_count;
        self
    }
}

/// One entry of a workflow action's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowResult {
    pub workflow_id: String,
    pub record_id: String,
}

/// A user's profile (§6.2). Absent keys stay `None`; unknown keys land in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// e.g. `PME`, `USER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_role: Option<String>,
    /// e.g. `NATIVE`, `SSO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// 1 = active, 0 = inactive (as observed; undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    #[serde(default, rename = "verifyEmailOTP", skip_serializing_if = "Option::is_none")]
    pub verify_email_otp: Option<bool>,
    #[serde(default, rename = "autoRenewMSAccessToken", skip_serializing_if = "Option::is_none")]
    pub auto_renew_ms_access_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_google_access_token: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UserProfile {
    /// A profile with the user name (an e-mail address) as user name and e-mail.
    pub fn new(user_name: impl Into<String>) -> UserProfile {
        let user_name = user_name.into();
        UserProfile { email: Some(user_name.clone()), user_name, ..Default::default() }
    }
}

/// Access to one project. Answers spell it `projectID`; the grant body `projectId` (§13A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProjectAccess {
    #[serde(rename = "projectID", alias = "projectId")]
    pub project_id: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub spaces: Vec<String>,
}

/// A user with tenant-level groups and project access (one element of `GET /user/user-access`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UserAccess {
    pub user: UserProfile,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub projects: Vec<ProjectAccess>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /user/groups`: project groups and spaces, and tenant-level groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Groups {
    #[serde(default)]
    pub projects: Vec<ProjectAccess>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The body of `POST /user/user-access` (\[G\] shape, §13A): the user's profile (created if new),
/// per-project groups and spaces, and tenant-level groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GrantAccess {
    pub user: UserProfile,
    #[serde(default)]
    pub projects: Vec<ProjectGrant>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// One project of a grant; serialized with `projectId` as the API's example shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProjectGrant {
    #[serde(alias = "projectID")]
    pub project_id: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub spaces: Vec<String>,
}

impl GrantAccess {
    /// A grant for `user_name` (an e-mail address) with an otherwise empty profile.
    pub fn new(user_name: impl Into<String>) -> GrantAccess {
        GrantAccess { user: UserProfile::new(user_name), ..Default::default() }
    }
    pub fn profile(mut self, user: UserProfile) -> GrantAccess {
        self.user = user;
        self
    }
    /// Adds a project with its groups and spaces.
    pub fn project<S: Into<String>>(mut self, project_id: impl Into<String>, groups: impl IntoIterator<Item = S>, spaces: impl IntoIterator<Item = S>) -> GrantAccess {
        self.projects.push(ProjectGrant {
            project_id: project_id.into(),
            groups: groups.into_iter().map(Into::into).collect(),
            spaces: spaces.into_iter().map(Into::into).collect(),
        });
        self
    }
    /// Adds a tenant-level group.
    pub fn group(mut self, group: impl Into<String>) -> GrantAccess {
        self.groups.push(group.into());
        self
    }
}

/// The database bulk-write result of activate/deactivate (§13A), summed over every request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct BulkWriteResult {
    #[serde(default)]
    pub ok: i64,
    #[serde(default)]
    pub n_matched: u64,
    #[serde(default)]
    pub n_modified: u64,
    #[serde(default)]
    pub n_inserted: u64,
    #[serde(default)]
    pub n_upserted: u64,
    #[serde(default)]
    pub n_removed: u64,
    #[serde(default)]
    pub write_errors: Vec<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BulkWriteResult {
    pub(crate) fn merge(mut self, o: BulkWriteResult) -> BulkWriteResult {
        self.ok = self.ok.min(o.ok);
        self.n_matched += o.n_matched;
        self.n_modified += o.n_modified;
        self.n_inserted += o.n_inserted;
        self.n_upserted += o.n_upserted;
        self.n_removed += o.n_removed;
        self.write_errors.extend(o.write_errors);
        self.extra = o.extra;
        self
    }
}

/// `{"status": "success"}` of the access removals (an empty object is accepted too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StatusResponse {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /health/liveness`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Liveness {
    pub ok: bool,
    #[serde(default)]
    pub cpu_percent: Option<f64>,
    #[serde(default)]
    pub mem_percent: Option<f64>,
}

/// `GET /health/readiness`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Readiness {
    pub ok: bool,
}

/// How a record is named in updates and deletes. The two editions of the docs disagree (the
/// \[V\] masters page uses `refId`, its reference and spec `recordNumber`; REFERENCE.md §13 C11),
/// so the caller says which; the client sends exactly that key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKey {
    /// `refId`: the record's short id (the same as `slug`).
    RefId,
    /// `recordNumber`: e.g. `MOD-1` for module records.
    RecordNumber,
}

impl RecordKey {
    /// The key as sent: `refId` or `recordNumber`.
    pub fn field(self) -> &'static str {
        match self {
            RecordKey::RefId => "refId",
            RecordKey::RecordNumber => "recordNumber",
        }
    }
    /// `refId`/`ref_id` or `recordNumber`/`record_number`.
    pub fn parse(s: &str) -> Option<RecordKey> {
        match s {
            "refId" | "ref_id" => Some(RecordKey::RefId),
            "recordNumber" | "record_number" => Some(RecordKey::RecordNumber),
            _ => None,
        }
    }
}

/// What a delete did, over every request it took. The API does not say how many records
/// matched, so this counts the identifiers it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DeleteResult {
    /// Identifiers sent in requests the API answered with success (including, after a retry,
    /// a "nothing left to delete": see [`crate::Masters::delete`]).
    pub deleted_count: u64,
}

impl DeleteResult {
    pub(crate) fn merge(self, o: DeleteResult) -> DeleteResult {
        DeleteResult { deleted_count: self.deleted_count + o.deleted_count }
    }
}

/// `GET /build/info` (\[V\] §1.3): the server build's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BuildInfo {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
    /// UTC date-time of the build.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
