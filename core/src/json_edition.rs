//! The operations of the current edition of the API over JSON (see [`crate::json`]): record
//! updates and deletes, `/expand`, sub-table reads and deletes, hierarchy masters, workflow v2
//! and build info. Argument names are camelCase, as in `tests/conformance/README.md`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde_json::{Value, json};

use super::{bad, opt_bool, opt_str, opt_u32, page_text, req_str, required_strings, rows, strings, text};
use crate::api::records::RawRow;
use crate::error::{Error, Result};
use crate::paging::{FilterArg, Pages};
use crate::{Client, Expand, ExpandOptions, ExpandedRecord, JoinedRows, RecordKey, Step, TransitionOptions, WorkflowListOptions};

/// `key`: how records are named, `refId` or `recordNumber`. Required: the editions of the
/// docs disagree (REFERENCE.md §13 C11), so the caller says which.
fn record_key(args: &Value) -> Result<RecordKey> {
    match opt_str(args, "key")? {
        Some(k) => RecordKey::parse(k).ok_or_else(|| bad("key", &format!("must be \"refId\" or \"recordNumber\", got '{k}'"))),
        None => Err(bad("key", "is required: \"refId\" or \"recordNumber\" (the two editions of the API docs disagree on which names a record)")),
    }
}

fn expand_options(a: &Value) -> Result<ExpandOptions> {
    let query = match a.get("query") {
        None | Some(Value::Null) => None,
        Some(q @ Value::Object(_)) => Some(q.clone()),
        Some(_) => return Err(bad("query", "must be a JSON object")),
    };
    Ok(ExpandOptions {
        record_ids: strings(a, "recordIds")?,
        page: opt_u32(a, "page")?,
        page_size: opt_u32(a, "pageSize")?,
        fields: strings(a, "fields")?,
        sub_table_fields: strings(a, "subTableFields")?,
        sub_table_page_size: opt_u32(a, "subTablePageSize")?,
        query,
    })
}

fn workflow_options(a: &Value) -> Result<WorkflowListOptions> {
    let filter = match a.get("filter") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(FilterArg::Raw(s.clone())),
        Some(f @ Value::Object(_)) => Some(FilterArg::Built(super::filter_from_json(f))),
        Some(_) => return Err(bad("filter", "must be a string or a filter object")),
    };
    let s = |k: &str| opt_str(a, k).map(|v| v.map(str::to_string));
    Ok(WorkflowListOptions {
        page: opt_u32(a, "page")?,
        page_size: opt_u32(a, "pageSize")?,
        record_number: s("recordNumber")?,
        status: s("status")?,
        responsible_user: s("responsibleUser")?,
        responsible_group: s("responsibleGroup")?,
        filter,
    })
}

fn transition_options(a: &Value) -> Result<TransitionOptions> {
    let mut o = TransitionOptions::new(req_str(a, "userName")?);
    o.action_name = opt_str(a, "actionName")?.map(str::to_string);
    o.space_name = opt_str(a, "spaceName")?.map(str::to_string);
    match a.get("assignee") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Object(_)) => {
            o.assignee_users = strings(v, "users")?;
            o.assignee_groups = strings(v, "groups")?;
        }
        Some(_) => return Err(bad("assignee", "must be an object {users, groups}")),
    }
    match a.get("comment") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) => o.comment = Some((t.clone(), false)),
        Some(v @ Value::Object(_)) => o.comment = Some((req_str(v, "text")?.to_string(), opt_bool(v, "isPrivate")?.unwrap_or(false))),
        Some(_) => return Err(bad("comment", "must be a string or an object {text, isPrivate}")),
    }
    Ok(o)
}

fn step(a: &Value) -> Result<Step> {
    let s = req_str(a, "step")?;
    Step::parse(s).ok_or_else(|| bad("step", &format!("must be create, submit, return, reopen or revision, got '{s}'")))
}

fn page_args(a: &Value, default_size: u32) -> Result<(u32, u32)> {
    Ok((opt_u32(a, "page")?.unwrap_or(1), opt_u32(a, "pageSize")?.unwrap_or(default_size)))
}

/// Runs an operation of the current edition; `None` when `op` is not one.
pub(super) async fn call(client: &Client, op: &str, a: &Value) -> Option<Result<String>> {
    Some(match op {
        "build.info" => client.build_info().await.and_then(|b| text(&b)),
        "masters.update" => run(async { text(&client.masters(req_str(a, "name")?).update(rows(a, "records")?, record_key(a)?).await?) }).await,
        "masters.delete" => run(async { text(&client.masters(req_str(a, "name")?).delete(&required_strings(a, "ids")?, record_key(a)?, req_str(a, "userName")?).await?) }).await,
        "modules.update" => run(async { text(&client.modules(req_str(a, "name")?).update(rows(a, "records")?, record_key(a)?, req_str(a, "userName")?).await?) }).await,
        "modules.delete" => run(async { text(&client.modules(req_str(a, "name")?).delete(&required_strings(a, "ids")?, record_key(a)?, req_str(a, "userName")?).await?) }).await,
        "subTable.list" => run(async {
            let (page, size) = page_args(a, 1000)?;
            page_text(&client.sub_table(req_str(a, "tableId")?).list_as::<RawRow>(req_str(a, "moduleName")?, req_str(a, "recordId")?, page, size).await?)
        })
        .await,
        "subTable.delete" => run(async {
            let t = client.sub_table(req_str(a, "tableId")?);
            text(&t.delete(&required_strings(a, "recordNumbers")?, req_str(a, "moduleName")?, req_str(a, "recordId")?).await?)
        })
        .await,
        "hierarchy.list" => run(async {
            let (page, size) = page_args(a, 1000)?;
            page_text(&client.hierarchy(req_str(a, "name")?).list(page, size).await?)
        })
        .await,
        "hierarchy.create" => run(async { text(&client.hierarchy(req_str(a, "name")?).create(rows(a, "rows")?).await?) }).await,
        "hierarchy.update" => run(async { text(&client.hierarchy(req_str(a, "name")?).update(rows(a, "rows")?).await?) }).await,
        "workflow.list" => run(async { page_text(&client.workflow(req_str(a, "module")?).list(&workflow_options(a)?).await?) }).await,
        "workflow.history" => run(async { text(&client.workflow(req_str(a, "module")?).history(req_str(a, "recordNumber")?).await?) }).await,
        "workflow.transition" => run(async {
            let wf = client.workflow(req_str(a, "module")?);
            text(&wf.transition(step(a)?, req_str(a, "recordId")?, &transition_options(a)?).await?)
        })
        .await,
        _ => return None,
    })
}

async fn run(f: impl std::future::Future<Output = Result<String>>) -> Result<String> {
    f.await
}

/// The paged lists of the current edition (`subTable.iter`, `hierarchy.iter`,
/// `workflow.iter`), rows kept as raw JSON; `None` when `op` is not one.
pub(super) fn typed_pages(client: &Client, op: &str, a: &Value) -> Option<Result<Pages<RawRow>>> {
    let pages = || -> Result<Pages<RawRow>> {
        Ok(match op {
            "subTable.iter" => {
                let (page, size) = page_args(a, 1000)?;
                client.sub_table(req_str(a, "tableId")?).pages_from(req_str(a, "moduleName")?, req_str(a, "recordId")?, page, size)
            }
            "hierarchy.iter" => client.hierarchy(req_str(a, "name")?).pages_as(page_args(a, 1000)?.1),
            _ => {
                let wf = client.workflow(req_str(a, "module")?);
                let opts = workflow_options(a)?;
                wf.pages_as(&opts)
            }
        })
    };
    matches!(op, "subTable.iter" | "hierarchy.iter" | "workflow.iter").then(pages)
}

/// The records of `modules.expand` (args: `name`, `recordIds`, `page`, `pageSize`, `fields`,
/// `subTableFields`, `subTablePageSize`, `query`), each as the JSON text of an expanded record:
/// the document with `subTableData: {"<tableID>": {"total", "rows"}}`.
pub fn expand(client: &Client, args: &Value) -> Result<ExpandTexts> {
    Ok(ExpandTexts(client.modules(req_str(args, "name")?).expand_as::<JoinedRows>(expand_options(args)?)))
}

/// The stream of [`expand`].
pub struct ExpandTexts(Expand<JoinedRows>);

impl Stream for ExpandTexts {
    type Item = Result<String>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().0).poll_next(cx).map(|o| o.map(|r| r.and_then(expanded_text)))
    }
}

/// An expanded record as JSON text, consuming it. The text is built around the largest table's
/// own buffer (moved, not copied), so a record with one big sub-table is held about once.
pub fn expanded_text(rec: ExpandedRecord<JoinedRows>) -> Result<String> {
    let table = |t: &crate::SubTableRows<JoinedRows>, rows: &str| format!("{}:{{\"total\":{},\"rows\":[{rows}]}}", json!(t.table_id), json!(t.total));
    let mut head = serde_json::to_string(&rec.record).map_err(|e| Error::invalid_input(format!("cannot serialize a record: {e}")))?;
    head.pop(); // the record's closing brace
    if head.len() > 1 {
        head.push(',');
    }
    head.push_str("\"subTableData\":{");
    let Some(big) = (0..rec.sub_tables.len()).max_by_key(|&i| rec.sub_tables[i].rows.text.len()) else {
        head.push_str("}}");
        return Ok(head);
    };
    let mut tables = rec.sub_tables;
    let mut body = std::mem::take(&mut tables[big].rows.text);
    let before: Vec<String> = tables[..big].iter().map(|t| table(t, &t.rows.text)).collect();
    let after: Vec<String> = tables[big + 1..].iter().map(|t| table(t, &t.rows.text)).collect();
    let shell = table(&tables[big], "");
    let open = &shell[..shell.len() - 2]; // up to and including the rows' `[`
    for b in &before {
        head.push_str(b);
        head.push(',');
    }
    head.push_str(open);
    body.insert_str(0, &head);
    body.push_str("]}");
    for a in &after {
        body.push(',');
        body.push_str(a);
    }
    body.push_str("}}");
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expanded_text_is_the_record_with_its_tables() {
        use crate::RowSink;
        let raw = |s: &str| serde_json::value::RawValue::from_string(s.to_string()).unwrap();
        let rows = |items: &[&str]| {
            let mut j = JoinedRows::default();
            j.push_page(items.iter().map(|s| raw(s)).collect());
            j
        };
        let rec = ExpandedRecord {
            record: crate::Record(serde_json::from_str(r#"{"_id":"a","n":1}"#).unwrap()),
            sub_tables: vec![
                crate::SubTableRows { table_id: "S".into(), total: Some(1), rows: rows(&[r#"{"s":1}"#]) },
                crate::SubTableRows { table_id: "T".into(), total: Some(2), rows: rows(&[r#"{"x":1}"#, r#"{"x":2}"#]) },
                crate::SubTableRows { table_id: "E".into(), total: None, rows: rows(&[]) },
            ],
        };
        let t = expanded_text(rec.clone()).unwrap();
        assert_eq!(t, r#"{"_id":"a","n":1,"subTableData":{"S":{"total":1,"rows":[{"s":1}]},"T":{"total":2,"rows":[{"x":1},{"x":2}]},"E":{"total":null,"rows":[]}}}"#);
        let v: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(v, serde_json::to_value(&rec).unwrap(), "the text form and the Serialize form agree");
        let empty = ExpandedRecord::<JoinedRows> { record: crate::Record::default(), sub_tables: vec![] };
        assert_eq!(expanded_text(empty).unwrap(), r#"{"subTableData":{}}"#);
        let one = ExpandedRecord { record: crate::Record::default(), sub_tables: vec![crate::SubTableRows { table_id: "T".into(), total: None, rows: rows(&["1"]) }] };
        assert_eq!(expanded_text(one).unwrap(), r#"{"subTableData":{"T":{"total":null,"rows":[1]}}}"#);
    }
}
