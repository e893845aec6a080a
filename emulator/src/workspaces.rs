//! Workspaces (REFERENCE.md §6A): named scopes in a tree (`parentId`). Created, listed, read
//! and renamed or moved; the API has no delete.

use serde::Serialize;

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct Workspaces {
    pub items: Vec<Workspace>,
}

impl Workspaces {
    pub fn get(&self, id: &str) -> Option<&Workspace> {
        self.items.iter().find(|w| w.id == id)
    }

    fn position(&self, id: &str) -> ApiResult<usize> {
        self.items.iter().position(|w| w.id == id).ok_or_else(|| ApiError::not_found(format!("Workspace not found for id: {id}")))
    }

    /// A parent must exist, and (for `moving`, an existing workspace) must not be the
    /// workspace itself or one of its descendants.
    fn check_parent(&self, parent: Option<&str>, moving: Option<&str>) -> ApiResult<()> {
        let Some(mut p) = parent else { return Ok(()) };
        if self.get(p).is_none() {
            return Err(ApiError::bad_request(format!("Parent workspace not found for id: {p}")));
        }
        let Some(me) = moving else { return Ok(()) };
        loop {
            if p == me {
                return Err(ApiError::bad_request("A workspace cannot be moved under itself or one of its descendants"));
            }
            match self.get(p).and_then(|w| w.parent_id.as_deref()) {
                Some(next) => p = next,
                None => return Ok(()),
            }
        }
    }

    pub fn create(&mut self, id: String, name: String, parent: Option<String>, now: &str) -> ApiResult<&Workspace> {
        self.check_parent(parent.as_deref(), None)?;
        self.items.push(Workspace { id, name, parent_id: parent, created_at: now.into(), updated_at: now.into() });
        Ok(self.items.last().expect("just pushed"))
    }

    pub fn update(&mut self, id: &str, name: String, parent: Option<String>, now: &str) -> ApiResult<&Workspace> {
        let pos = self.position(id)?;
        self.check_parent(parent.as_deref(), Some(id))?;
        let w = &mut self.items[pos];
        w.name = name;
        w.parent_id = parent;
        w.updated_at = now.into();
        Ok(w)
    }
}

/// `{name (required, non-empty), parentId?}`: the body of a create or an update.
pub fn parse_input(body: &serde_json::Value) -> ApiResult<(String, Option<String>)> {
    let obj = body.as_object().ok_or_else(|| ApiError::bad_request("Request body must be an object {name, parentId}"))?;
    let name = match obj.get("name") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(serde_json::Value::String(_)) | None | Some(serde_json::Value::Null) => return Err(ApiError::bad_request("name is required")),
        Some(other) => return Err(ApiError::bad_request(format!("name must be a string, got {}", crate::api::type_name(other)))),
    };
    let parent = match obj.get("parentId") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(other) => return Err(ApiError::bad_request(format!("parentId must be a workspace id or null, got {}", crate::api::type_name(other)))),
    };
    Ok((name, parent))
}
