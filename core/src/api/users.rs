//! §6.1–6.8: users and their access.

use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{MAX_PROJECTS_OR_GROUPS, MAX_RECORDS_PER_REQUEST, body, check_strings};
use crate::client::{Call, Client, Safety};
use crate::encode;
use crate::error::{Error, ErrorKind, Result};
use crate::models::{BulkWriteResult, GrantAccess, Groups, StatusResponse, UpsertResult, UserAccess};
use crate::paging::{Page, Pages, Rows, check_paging};

/// `client.users()`.
#[derive(Debug, Clone)]
pub struct Users {
    pub(crate) client: Client,
}

fn limit(n: usize, what: &str) -> Result<()> {
    if n > MAX_PROJECTS_OR_GROUPS {
        return Err(Error::invalid_input(format!(
            "{what}: {n} given, at most {MAX_PROJECTS_OR_GROUPS} per request (one user's change is not split across requests)"
        )));
    }
    Ok(())
}

/// `GET /user/user-access` answers `[[users]]` (mission copy of the docs), `[users]`, or a
/// paginated object (§13 C29): all become one page. The shape is read from the first bytes, so
/// rows can stay raw JSON.
pub(crate) fn parse_users<T: DeserializeOwned>(body: &[u8], page: u32, size: u32) -> Result<Page<T>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", bound = "T: DeserializeOwned")]
    struct Obj<T> {
        rows: Vec<T>,
        total: Option<u64>,
        total_pages: Option<u64>,
    }
    let invalid = |e: serde_json::Error| Error::new(ErrorKind::InvalidResponse, format!("GET /api/v1/user/user-access: unexpected answer: {e}"));
    let mut it = body.iter().copied().filter(|b| !b.is_ascii_whitespace());
    let (rows, total, total_pages) = match (it.next(), it.next()) {
        (Some(b'['), Some(b'[')) => {
            let nested: Vec<Vec<T>> = serde_json::from_slice(body).map_err(invalid)?;
            (nested.into_iter().flatten().collect(), None, None)
        }
        (Some(b'['), _) => (serde_json::from_slice(body).map_err(invalid)?, None, None),
        _ => {
            let o: Obj<T> = serde_json::from_slice(body).map_err(invalid)?;
            (o.rows, o.total, o.total_pages)
        }
    };
    Ok(Page { rows, total, page, page_size: size, total_pages })
}

impl Users {
    /// Grants a user access to projects (with their groups and spaces) and tenant groups,
    /// creating the user from `grant.user` if new. The e-mail must equal the user name (it is
    /// filled in when missing). At most 100 projects and 100 groups.
    pub async fn grant_access(&self, grant: &GrantAccess) -> Result<UpsertResult> {
        let mut grant = grant.clone();
        encode::required("user.user_name", &grant.user.user_name)?;
        match &grant.user.email {
            Some(e) if !e.trim().eq_ignore_ascii_case(grant.user.user_name.trim()) => {
                return Err(Error::invalid_input(format!(
                    "user.email '{e}' must be the same as user.user_name '{}' (the API requires it)",
                    grant.user.user_name
                )));
            }
            Some(_) => {}
            None => grant.user.email = Some(grant.user.user_name.clone()),
        }
        limit(grant.projects.len(), "projects")?;
        limit(grant.groups.len(), "groups")?;
        for (i, p) in grant.projects.iter().enumerate() {
            encode::required(&format!("projects[{i}].project_id"), &p.project_id)?;
            limit(p.groups.len(), &format!("projects[{i}].groups"))?;
            check_strings(&p.groups, &format!("projects[{i}].groups"))?;
            check_strings(&p.spaces, &format!("projects[{i}].spaces"))?;
        }
        check_strings(&grant.groups, "groups")?;
        let call = Call::new(Method::POST, "api/v1/user/user-access".into(), Safety::Write).json_body(body(&grant)?);
        self.client.execute_json(&call).await
    }

    /// One page of users with their access (page 1, up to 1000 users by default).
    pub async fn list(&self, page: u32, page_size: u32) -> Result<Page<UserAccess>> {
        Self::fetch(&self.client, page, page_size).await
    }

    async fn fetch<T: DeserializeOwned>(client: &Client, page: u32, size: u32) -> Result<Page<T>> {
        check_paging(page, size)?;
        let call = Call::get("api/v1/user/user-access".into()).query("page", page.to_string()).query("pageSize", size.to_string());
        let body = client.execute(&call).await?;
        parse_users(&body, page, size)
    }

    /// Every user, 1000 per request, with a bounded prefetch.
    pub fn iter(&self) -> Rows<UserAccess> {
        self.pages(crate::config::defaults::PAGE_SIZE).rows()
    }

    /// Every page of users of `page_size` (1..=1000).
    pub fn pages(&self, page_size: u32) -> Pages<UserAccess> {
        self.pages_as(page_size)
    }

    /// [`Users::pages`] with rows deserialized into your own type.
    pub fn pages_as<T: DeserializeOwned + Send + 'static>(&self, page_size: u32) -> Pages<T> {
        if let Err(e) = check_paging(1, page_size) {
            return Pages::failed(e);
        }
        let client = self.client.clone();
        Pages::new(
            1,
            client.inner.prefetch_pages,
            Box::new(move |page| {
                let client = client.clone();
                Box::pin(async move { Self::fetch(&client, page, page_size).await })
            }),
        )
    }

    /// One user's profile, groups and project access (`username` is case-insensitive).
    pub async fn get(&self, username: &str) -> Result<UserAccess> {
        encode::required("username", username)?;
        let call = Call::get("api/v1/user/user-access/by-user".into()).query("username", username);
        self.client.execute_json(&call).await
    }

    /// Project groups and spaces, and (unless `only_project_groups`) tenant-level groups. Reads
    /// every page. The flag is sent under both spellings of the docs (§13 C31).
    pub async fn groups(&self, only_project_groups: bool) -> Result<Groups> {
        let size = 1000u32;
        let mut all = Groups::default();
        for page in 1u32.. {
            let flag = only_project_groups.to_string();
            let call = Call::get("api/v1/user/groups".into())
                .query("onlyProjectGroups", flag.clone())
                .query("onlyProjectsGroups", flag)
                .query("page", page.to_string())
                .query("pageSize", size.to_string());
            let body = self.client.execute(&call).await?;
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Shape {
                Many(Vec<Groups>),
                One(Groups),
            }
            let parts = match serde_json::from_slice::<Shape>(&body) {
                Ok(Shape::Many(v)) => v,
                Ok(Shape::One(g)) => vec![g],
                Err(e) => return Err(Error::new(ErrorKind::InvalidResponse, format!("GET /api/v1/user/groups: unexpected answer: {e}"))),
            };
            let (mut np, mut ng) = (0, 0);
            for g in parts {
                np += g.projects.len();
                ng += g.groups.len();
                all.projects.extend(g.projects);
                all.groups.extend(g.groups);
            }
            if np < size as usize && ng < size as usize {
                break;
            }
        }
        Ok(all)
    }

    async fn set_status<S: AsRef<str>>(&self, path: &str, usernames: &[S]) -> Result<BulkWriteResult> {
        let names = check_strings(usernames, "usernames")?;
        if names.is_empty() {
            return Ok(BulkWriteResult { ok: 1, ..Default::default() });
        }
        let parts = crate::bulk::run(names.len(), MAX_RECORDS_PER_REQUEST, self.client.inner.bulk_concurrency, |range, abort| {
            let chunk = body(&names[range]);
            async move {
                let mut call = Call::new(Method::PATCH, path.to_string(), Safety::Idempotent).json_body(chunk?);
                call.abort = Some(abort);
                self.client.execute_json::<BulkWriteResult>(&call).await
            }
        })
        .await?;
        Ok(parts.into_iter().reduce(BulkWriteResult::merge).unwrap_or_default())
    }

    /// Activates any number of users (1000 per request); the result is summed over requests.
    pub async fn activate<S: AsRef<str>>(&self, usernames: &[S]) -> Result<BulkWriteResult> {
        self.set_status("api/v1/user/activate-users", usernames).await
    }

    /// Deactivates any number of users; their access grants are kept.
    pub async fn deactivate<S: AsRef<str>>(&self, usernames: &[S]) -> Result<BulkWriteResult> {
        self.set_status("api/v1/user/deactivate-users", usernames).await
    }

    /// Removes a user from projects, and from groups (tenant-level and inside projects).
    /// At most 100 projects and 100 groups.
    pub async fn remove_access<S: AsRef<str>>(&self, username: &str, projects: &[S], groups: &[S]) -> Result<StatusResponse> {
        encode::required("username", username)?;
        limit(projects.len(), "projects")?;
        limit(groups.len(), "groups")?;
        let projects = check_strings(projects, "projects")?;
        let groups = check_strings(groups, "groups")?;
        let b = json!({ "username": username, "projects": projects, "groups": groups });
        let call = Call::new(Method::DELETE, "api/v1/user/user-access".into(), Safety::Idempotent).json_body(body(&b)?);
        self.status_call(&call).await
    }

    /// Removes a user from projects (at most 100).
    pub async fn remove_project_access<S: AsRef<str>>(&self, username: &str, project_ids: &[S]) -> Result<StatusResponse> {
        encode::required("username", username)?;
        limit(project_ids.len(), "project_ids")?;
        let ids = check_strings(project_ids, "project_ids")?;
        let b = json!({ "username": username, "projectIds": ids });
        let call = Call::new(Method::DELETE, "api/v1/user/project-access".into(), Safety::Idempotent).json_body(body(&b)?);
        self.status_call(&call).await
    }

    /// The removals may answer an empty body when nothing was left to remove (§6.3).
    async fn status_call(&self, call: &Call) -> Result<StatusResponse> {
        let body = self.client.execute(call).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(StatusResponse::default());
        }
        serde_json::from_slice(&body)
            .map_err(|e| Error::new(ErrorKind::InvalidResponse, format!("{} /{}: unexpected answer: {e}", call.method, call.path)))
    }
}
