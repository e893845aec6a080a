//! The Rust executor of the conformance suite: reads one case per line on stdin
//! (`{"id", "client", "op", "args"}`), calls the public `exto360` API, and prints one line per
//! case (`{"id", "ok": result}` or `{"id", "error": {...}}`). See tests/conformance/README.md.

use std::io::{BufRead, Write};
use std::time::Duration;

use exto360::json::{error_json, filter_from_json};
use exto360::{ActOptions, Client, GrantAccess, ListOptions, Page, Record, Result};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

fn client(cfg: &Value) -> Result<Client> {
    let mut b = Client::builder().base_url(cfg["baseUrl"].as_str().unwrap_or_default()).token(cfg["token"].as_str().unwrap_or_default());
    if let Some(p) = cfg["projectId"].as_str() {
        b = b.project_id(p);
    }
    if let Some(t) = cfg["tenantId"].as_str() {
        b = b.tenant_id(t);
    }
    if let Some(n) = cfg["maxRetries"].as_u64() {
        b = b.max_retries(n as u32);
    }
    if let Some(w) = cfg["retryWrites"].as_bool() {
        b = b.retry_writes(w);
    }
    if let Some(ms) = cfg["timeoutMs"].as_u64() {
        b = b.timeout(Duration::from_millis(ms));
    }
    if let Some(s) = cfg["initialBackoff"].as_f64() {
        b = b.initial_backoff(Duration::from_secs_f64(s));
    }
    if let Some(s) = cfg["maxBackoff"].as_f64() {
        b = b.max_backoff(Duration::from_secs_f64(s));
    }
    b = b.rate_limit(cfg["rateLimit"].as_f64());
    b.build()
}

/// A raw string, or the neutral filter form built with the dynamic builder.
fn filter(v: &Value) -> Option<exto360::FilterArg> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.as_str().into()),
        other => Some(filter_from_json(other).into()),
    }
}

fn list_options(a: &Value) -> ListOptions {
    let mut o = ListOptions::new();
    o.page = a["page"].as_u64().map(|p| p as u32);
    o.page_size = a["pageSize"].as_u64().map(|p| p as u32);
    o.sort = a["sort"].as_str().map(str::to_string);
    o.status = a["status"].as_str().map(str::to_string);
    o.filter = filter(&a["filter"]);
    o.local_time_zone = a["localTimeZone"].as_str().map(str::to_string);
    o
}

fn page_json<T: serde::Serialize>(p: Page<T>) -> Value {
    json!({ "rows": p.rows, "total": p.total, "page": p.page, "pageSize": p.page_size, "totalPages": p.total_pages })
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().map(|s| s.as_str().unwrap_or_default().to_string()).collect()).unwrap_or_default()
}

fn records(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

async fn run(op: &str, c: &Client, a: &Value) -> Result<Value> {
    Ok(match op {
        "health.liveness" => to(&c.health().liveness().await?),
        "health.readiness" => to(&c.health().readiness().await?),
        "masters.list" => page_json(c.masters(a["name"].as_str().unwrap_or_default()).list(&list_options(a)).await?),
        "modules.list" => page_json(c.modules(a["name"].as_str().unwrap_or_default()).list(&list_options(a)).await?),
        "masters.iter" | "modules.iter" => {
            let name = a["name"].as_str().unwrap_or_default();
            let rows: Vec<Record> = if op == "masters.iter" {
                c.masters(name).iter(list_options(a)).try_collect().await?
            } else {
                c.modules(name).iter(list_options(a)).try_collect().await?
            };
            json!({ "count": rows.len(), "ids": rows.iter().map(|r| r.id()).collect::<Vec<_>>() })
        }
        "masters.upsert" => to(&c.masters(a["name"].as_str().unwrap_or_default()).upsert(&records(&a["records"])).await?),
        "modules.upsert" => to(&c
            .modules(a["name"].as_str().unwrap_or_default())
            .upsert(&records(&a["records"]), a["userName"].as_str().unwrap_or_default())
            .await?),
        "subTable.upsert" => to(&c
            .sub_table(a["tableId"].as_str().unwrap_or_default())
            .upsert(&records(&a["rows"]), a["moduleName"].as_str().unwrap_or_default(), a["recordId"].as_str().unwrap_or_default())
            .await?),
        "workflow.act" => {
            let mut opts = ActOptions::new(a["action"].as_str().unwrap_or_default(), a["userName"].as_str().unwrap_or_default());
            opts.space_name = a["spaceName"].as_str().map(str::to_string);
            to(&c.workflow(a["module"].as_str().unwrap_or_default()).act(&strings(&a["recordIds"]), &opts).await?)
        }
        "users.grantAccess" => {
            let grant: GrantAccess = serde_json::from_value(a["grant"].clone())
                .map_err(|e| exto360::Error::invalid_input(format!("grant: {e}")))?;
            to(&c.users().grant_access(&grant).await?)
        }
        "users.list" => {
            let p = c.users().list(a["page"].as_u64().unwrap_or(1) as u32, a["pageSize"].as_u64().unwrap_or(1000) as u32).await?;
            page_json(p)
        }
        "users.iter" => {
            let all: Vec<exto360::UserAccess> = c.users().iter().try_collect().await?;
            json!({ "count": all.len(), "userNames": all.iter().map(|u| u.user.user_name.clone()).collect::<Vec<_>>() })
        }
        "users.get" => to(&c.users().get(a["username"].as_str().unwrap_or_default()).await?),
        "users.groups" => to(&c.users().groups(a["onlyProjectGroups"].as_bool().unwrap_or(false)).await?),
        "users.activate" | "users.deactivate" => {
            let names = strings(&a["usernames"]);
            let r = if op == "users.activate" { c.users().activate(&names).await? } else { c.users().deactivate(&names).await? };
            json!({ "ok": r.ok, "nMatched": r.n_matched, "nModified": r.n_modified })
        }
        "users.removeAccess" => to(&c.users().remove_access(a["username"].as_str().unwrap_or_default(), &strings(&a["projects"]), &strings(&a["groups"])).await?),
        "users.removeProjectAccess" => to(&c.users().remove_project_access(a["username"].as_str().unwrap_or_default(), &strings(&a["projectIds"])).await?),
        "version" => json!(exto360::version()),
        "filter.render" => json!(filter_from_json(&a["filter"]).render()?),
        other => return Err(exto360::Error::invalid_input(format!("unknown operation '{other}'"))),
    })
}

/// Any result type in its JSON normal form (the serde names are the API's camelCase).
fn to<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let msg: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => json!({"id": null, "op": "", "parseError": e.to_string()}),
        };
        let id = msg["id"].clone();
        let reply = rt.block_on(async {
            let res = match client(&msg["client"]) {
                Ok(c) => run(msg["op"].as_str().unwrap_or_default(), &c, &msg["args"]).await,
                Err(e) => Err(e),
            };
            match res {
                Ok(v) => json!({"id": id, "ok": v}),
                Err(e) => json!({"id": id, "error": error_json(&e)}),
            }
        });
        let _ = writeln!(out, "{reply}");
        let _ = out.flush();
    }
}
