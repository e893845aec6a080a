//! The small commands: health, users, workflow actions. Each is one core call (the core
//! chunks, retries and says what was done on failure); this module shapes arguments and
//! results.

use std::collections::BTreeMap;

use exto360::{ActOptions, Client, GrantAccess, ProjectGrant, UserAccess};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::args::{ActArgs, GrantArgs, NamesArgs, UsersCmd};
use crate::files::read_lines;
use crate::output::{Done, Exit, Failure, Outcome, count};

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn facts(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

pub async fn health(client: &Client) -> Outcome {
    let h = client.health();
    let (live, ready) = tokio::join!(h.liveness(), h.readiness());
    let mut lines = Vec::new();
    let mut ok = true;
    let mut obj = Map::new();
    match &live {
        Ok(l) => {
            ok &= l.ok;
            let load = match (l.cpu_percent, l.mem_percent) {
                (Some(c), Some(m)) => format!(" (cpu {c:.0}%, memory {m:.0}%)"),
                _ => String::new(),
            };
            lines.push(format!("liveness: {}{load}", if l.ok { "ok" } else { "NOT ok" }));
            obj.insert("liveness".into(), to_json(l));
        }
        Err(e) => {
            ok = false;
            lines.push(format!("liveness: failed: {e}"));
            obj.insert("liveness".into(), json!({"ok": false, "error": exto360::json::error_json(e)}));
        }
    }
    match &ready {
        Ok(r) => {
            ok &= r.ok;
            lines.push(format!("readiness: {}", if r.ok { "ok" } else { "NOT ok" }));
            obj.insert("readiness".into(), to_json(r));
        }
        Err(e) => {
            ok = false;
            lines.push(format!("readiness: failed: {e}"));
            obj.insert("readiness".into(), json!({"ok": false, "error": exto360::json::error_json(e)}));
        }
    }
    Ok(Done::new(obj, lines.join("\n")).exit(if ok { Exit::Done } else { Exit::Failed }))
}

/// One user, as a few readable lines.
fn describe(u: &UserAccess) -> String {
    let p = &u.user;
    let mut head = p.user_name.clone();
    if let Some(n) = p.full_name.as_deref().filter(|n| !n.is_empty()) {
        head.push_str(&format!(" ({n})"));
    }
    let status = match p.status {
        Some(1) => "active",
        Some(0) => "inactive",
        _ => "status unknown",
    };
    let mut out = format!("{head} — {status}");
    if let Some(r) = &p.application_role {
        out.push_str(&format!(", role {r}"));
    }
    if !u.groups.is_empty() {
        out.push_str(&format!("\n  groups: {}", u.groups.join(", ")));
    }
    for pa in &u.projects {
        out.push_str(&format!("\n  project {}: groups [{}], spaces [{}]", pa.project_id, pa.groups.join(", "), pa.spaces.join(", ")));
    }
    out
}

/// Names from the arguments and from `--from FILE|-`.
fn names(a: &NamesArgs) -> Result<Vec<String>, Failure> {
    let mut names = a.usernames.clone();
    if let Some(f) = &a.from {
        names.extend(read_lines(f)?);
    }
    if names.is_empty() {
        return Err(Failure::usage("no user names: give them as arguments or with --from FILE"));
    }
    Ok(names)
}

/// `PROJECT=VALUE` pairs, grouped by project.
fn pairs(items: &[String], flag: &str) -> Result<BTreeMap<String, Vec<String>>, Failure> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for it in items {
        let (p, v) = it.split_once('=').ok_or_else(|| Failure::usage(format!("{flag} {it}: expected PROJECT=VALUE")))?;
        out.entry(p.trim().to_string()).or_default().push(v.trim().to_string());
    }
    Ok(out)
}

fn grant(a: &GrantArgs) -> Result<GrantAccess, Failure> {
    let mut g = GrantAccess::new(&a.username);
    g.user.first_name = a.first_name.clone();
    g.user.last_name = a.last_name.clone();
    let mut groups = pairs(&a.project_groups, "--project-group")?;
    let mut spaces = pairs(&a.spaces, "--space")?;
    let mut projects: Vec<String> = a.projects.clone();
    for p in groups.keys().chain(spaces.keys()) {
        if !projects.contains(p) {
            projects.push(p.clone());
        }
    }
    for p in projects {
        g.projects.push(ProjectGrant { groups: groups.remove(&p).unwrap_or_default(), spaces: spaces.remove(&p).unwrap_or_default(), project_id: p });
    }
    g.groups = a.groups.clone();
    Ok(g)
}

pub async fn users(client: &Client, cmd: UsersCmd) -> Outcome {
    let users = client.users();
    match cmd {
        UsersCmd::List => {
            let all: Vec<UserAccess> = users.iter().try_collect().await?;
            let text = all.iter().map(describe).collect::<Vec<_>>().join("\n");
            Ok(Done::new(facts([("count", json!(all.len())), ("users", to_json(&all))]), text))
        }
        UsersCmd::Get { username } => {
            let u = users.get(&username).await?;
            Ok(Done::new(facts([("user", to_json(&u))]), describe(&u)))
        }
        UsersCmd::Grant(a) => {
            let g = grant(&a)?;
            let r = users.grant_access(&g).await?;
            let text = format!("granted {} access to {} project(s) and {} group(s)", a.username, g.projects.len(), g.groups.len());
            Ok(Done::new(facts([("username", json!(a.username)), ("grant", to_json(&g)), ("result", to_json(&r))]), text))
        }
        UsersCmd::Activate(a) => {
            let n = names(&a)?;
            let r = users.activate(&n).await?;
            Ok(Done::new(facts([("usernames", json!(n.len())), ("result", to_json(&r))]), format!("activated: {} names sent, {} matched, {} changed", count(n.len() as u64), r.n_matched, r.n_modified)))
        }
        UsersCmd::Deactivate(a) => {
            let n = names(&a)?;
            let r = users.deactivate(&n).await?;
            Ok(Done::new(facts([("usernames", json!(n.len())), ("result", to_json(&r))]), format!("deactivated: {} names sent, {} matched, {} changed", count(n.len() as u64), r.n_matched, r.n_modified)))
        }
        UsersCmd::Remove { username, projects, groups } => {
            if projects.is_empty() && groups.is_empty() {
                return Err(Failure::usage("give at least one --project-id or --group to remove the user from"));
            }
            let r = users.remove_access(&username, &projects, &groups).await?;
            Ok(Done::new(facts([("username", json!(username)), ("result", to_json(&r))]), format!("removed {username} from {} project(s) and {} group(s)", projects.len(), groups.len())))
        }
        UsersCmd::RemoveProject { username, projects } => {
            let r = users.remove_project_access(&username, &projects).await?;
            Ok(Done::new(facts([("username", json!(username)), ("result", to_json(&r))]), format!("removed {username} from {} project(s)", projects.len())))
        }
    }
}

pub async fn act(client: &Client, a: ActArgs) -> Outcome {
    let mut ids = a.ids.clone();
    if let Some(f) = &a.ids_from {
        ids.extend(read_lines(f)?);
    }
    if ids.is_empty() {
        return Err(Failure::usage("no record ids: give them as arguments or with --ids-from FILE"));
    }
    let mut opts = ActOptions::new(&a.action, &a.user);
    if let Some(s) = &a.space {
        opts = opts.space(s);
    }
    let results = client.workflow(&a.module).act(&ids, &opts).await?;
    let text = format!("{} applied to {} records of {}", a.action, count(results.len() as u64), a.module);
    Ok(Done::new(facts([("module", json!(a.module)), ("action", json!(a.action)), ("results", to_json(&results))]), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_collect_groups_and_spaces_by_project() {
        let a = GrantArgs {
            username: "jane@x.com".into(),
            projects: vec!["P1".into()],
            project_groups: vec!["P1=QA".into(), "P2=Ops".into()],
            spaces: vec!["P1=S1".into(), "P1=S2".into()],
            groups: vec!["G1".into()],
            first_name: Some("Jane".into()),
            last_name: None,
        };
        let g = grant(&a).unwrap();
        assert_eq!(g.projects.len(), 2);
        assert_eq!((g.projects[0].project_id.as_str(), g.projects[0].groups.clone(), g.projects[0].spaces.clone()), ("P1", vec!["QA".to_string()], vec!["S1".to_string(), "S2".to_string()]));
        assert_eq!(g.projects[1].project_id, "P2");
        assert_eq!(g.user.email.as_deref(), Some("jane@x.com"));
        assert!(grant(&GrantArgs { project_groups: vec!["nogroup".into()], ..a }).is_err());
    }
}
