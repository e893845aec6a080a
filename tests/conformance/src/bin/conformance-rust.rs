//! The Rust executor of the conformance suite: reads one case per line on stdin
//! (`{"id", "client", "op", "args"}`), calls the public `exto360` API, and prints one line per
//! case (`{"id", "ok": result}` or `{"id", "error": {...}}`). See tests/conformance/README.md.

use std::io::{BufRead, Write};
use std::time::Duration;

use exto360::json::{error_json, filter_from_json};
use exto360::{ActOptions, Client, ExpandOptions, GrantAccess, ListOptions, Page, Record, RecordKey, Result, Step, TransitionOptions, WorkflowListOptions};
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
        other => return edition(op, c, a).await.unwrap_or_else(|| Err(exto360::Error::invalid_input(format!("unknown operation '{other}'")))),
    })
}

// ------------------------------------------------------------------ the current edition

fn key(a: &Value) -> RecordKey {
    RecordKey::parse(a["key"].as_str().unwrap_or_default()).unwrap_or(RecordKey::RefId)
}

fn s<'a>(a: &'a Value, k: &str) -> &'a str {
    a[k].as_str().unwrap_or_default()
}

fn u(a: &Value, k: &str) -> Option<u32> {
    a[k].as_u64().map(|n| n as u32)
}

fn workflow_options(a: &Value) -> WorkflowListOptions {
    let o = |k: &str| a[k].as_str().map(str::to_string);
    WorkflowListOptions {
        page: u(a, "page"),
        page_size: u(a, "pageSize"),
        record_number: o("recordNumber"),
        status: o("status"),
        responsible_user: o("responsibleUser"),
        responsible_group: o("responsibleGroup"),
        filter: filter(&a["filter"]),
    }
}

/// `{count, ids}` of an iteration: each row's `_id`, or `recordNumber` when it has none.
fn ids<T: serde::Serialize>(rows: &[T]) -> Value {
    let ids: Vec<Value> = rows.iter().map(|r| {
        let v = to(r);
        if v["_id"].is_null() { v["recordNumber"].clone() } else { v["_id"].clone() }
    }).collect();
    json!({ "count": ids.len(), "ids": ids })
}

async fn edition(op: &str, c: &Client, a: &Value) -> Option<Result<Value>> {
    let run = async {
        Ok(match op {
            "build.info" => to(&c.build_info().await?),
            "masters.update" => to(&c.masters(s(a, "name")).update(&records(&a["records"]), key(a)).await?),
            "masters.delete" => to(&c.masters(s(a, "name")).delete(&strings(&a["ids"]), key(a), s(a, "userName")).await?),
            "modules.update" => to(&c.modules(s(a, "name")).update(&records(&a["records"]), key(a), s(a, "userName")).await?),
            "modules.delete" => to(&c.modules(s(a, "name")).delete(&strings(&a["ids"]), key(a), s(a, "userName")).await?),
            "modules.expand" => {
                let opts = ExpandOptions {
                    record_ids: strings(&a["recordIds"]),
                    page: u(a, "page"),
                    page_size: u(a, "pageSize"),
                    fields: strings(&a["fields"]),
                    sub_table_fields: strings(&a["subTableFields"]),
                    sub_table_page_size: u(a, "subTablePageSize"),
                    query: Some(a["query"].clone()).filter(|q| !q.is_null()),
                };
                let recs: Vec<exto360::ExpandedRecord> = c.modules(s(a, "name")).expand(opts).try_collect().await?;
                json!({ "count": recs.len(), "records": recs })
            }
            "subTable.list" => page_json(c.sub_table(s(a, "tableId")).list(s(a, "moduleName"), s(a, "recordId"), u(a, "page").unwrap_or(1), u(a, "pageSize").unwrap_or(1000)).await?),
            "subTable.iter" => {
                let rows: Vec<exto360::SubTableRow> = c.sub_table(s(a, "tableId")).iter(s(a, "moduleName"), s(a, "recordId"), u(a, "pageSize").unwrap_or(1000)).try_collect().await?;
                ids(&rows)
            }
            "subTable.delete" => to(&c.sub_table(s(a, "tableId")).delete(&strings(&a["recordNumbers"]), s(a, "moduleName"), s(a, "recordId")).await?),
            "hierarchy.list" => page_json(c.hierarchy(s(a, "name")).list(u(a, "page").unwrap_or(1), u(a, "pageSize").unwrap_or(1000)).await?),
            "hierarchy.iter" => {
                let rows: Vec<Record> = c.hierarchy(s(a, "name")).iter(u(a, "pageSize").unwrap_or(1000)).try_collect().await?;
                ids(&rows)
            }
            "hierarchy.create" => to(&c.hierarchy(s(a, "name")).create(&records(&a["rows"])).await?),
            "hierarchy.update" => to(&c.hierarchy(s(a, "name")).update(&records(&a["rows"])).await?),
            "workflow.list" => page_json(c.workflow(s(a, "module")).list(&workflow_options(a)).await?),
            "workflow.iter" => {
                let rows: Vec<Record> = c.workflow(s(a, "module")).iter(&workflow_options(a)).try_collect().await?;
                ids(&rows)
            }
            "workflow.history" => c.workflow(s(a, "module")).history(s(a, "recordNumber")).await?,
            "workflow.transition" => {
                let mut o = TransitionOptions::new(s(a, "userName"));
                o.action_name = a["actionName"].as_str().map(str::to_string);
                o.space_name = a["spaceName"].as_str().map(str::to_string);
                o.assignee_users = strings(&a["assignee"]["users"]);
                o.assignee_groups = strings(&a["assignee"]["groups"]);
                o.comment = a["comment"]["text"].as_str().map(|t| (t.to_string(), a["comment"]["isPrivate"].as_bool().unwrap_or(false)));
                let step = Step::parse(s(a, "step")).unwrap_or(Step::Submit);
                c.workflow(s(a, "module")).transition(step, s(a, "recordId"), &o).await?
            }
            // Documents, workspaces and jobs: through the JSON layer every binding calls (the
            // typed API underneath is the same; paths and texts are its JSON arguments).
            op if op.starts_with("documents.") || op.starts_with("workspaces.") || op.starts_with("jobs.") => {
                let text = exto360::json::call(c, op, a).await?;
                serde_json::from_str(&text).unwrap_or(Value::Null)
            }
            _ => return Ok(None),
        })
        .map(Some)
    };
    run.await.transpose()
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
