//! The current edition through the core: updates and deletes of records (chunking, both
//! identifier keys, both answer shapes, the 200 refusal, retried deletes), `/expand` on both
//! paging axes, sub-table reads and deletes, hierarchy masters, workflow v2, build info.
mod common;

use common::{Env, param};
use exto360::{ErrorKind, ExpandOptions, RecordKey, Step, TransitionOptions, WorkflowListOptions, WriteState};
use exto360_emulator::Dataset;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

fn ref_ids(env: &Env, master: &str) -> Vec<String> {
    env.stored("masters", master).iter().map(|r| r["refId"].as_str().unwrap().to_string()).collect()
}

/// The demo dataset with `count` records in CUSTOMMODULE, each with `lines` rows in `Lines`.
fn module_with_rows(count: usize, lines: usize) -> Dataset {
    let mut d = Dataset::demo();
    let m = &mut d.tenants[0].modules[0];
    m.records.clear();
    for i in 0..count {
        let rows: Vec<Value> = (0..lines).map(|k| json!({"qty": k, "sku": format!("S{i}-{k}"), "note": "x".repeat(40)})).collect();
        m.records.push(serde_json::from_value(json!({"fields": {"ref_no": format!("R{i}")}, "subTables": {"Lines": rows, "Signatures": [{"signer": format!("s{i}")}]}})).unwrap());
    }
    d
}

#[tokio::test]
async fn updates_name_records_by_the_callers_key_and_accept_both_answers() {
    let env = Env::start().await;
    let c = env.client();
    let refs = ref_ids(&env, "LOCATION");
    let r = c.masters("LOCATION").update(&[json!({"refId": refs[0], "name": "Bangalore"}), json!({"refId": "gone000", "name": "x"})], RecordKey::RefId).await.unwrap();
    assert_eq!((r.updated_count, r.inserted_count), (1, 0));
    let patch = &env.requests_to("/master-record/LOCATION")[0];
    assert_eq!(patch["method"], "PATCH");
    assert_eq!(patch["body"][0], json!({"refId": refs[0], "name": "Bangalore"}));
    // The masters page's `{updatedCount}` answer (§13 C11) reads the same.
    let mut s = env.emu.shared().settings();
    s.patch_answer = exto360_emulator::server::PatchAnswer::Count;
    env.emu.shared().set_settings(s).unwrap();
    let r = c.masters("LOCATION").update(&[json!({"refId": refs[1], "name": "Bombay"})], RecordKey::RefId).await.unwrap();
    assert_eq!((r.updated_count, r.inserted_ids.len()), (1, 0));
    assert_eq!(env.stored("masters", "LOCATION")[1]["customFields"]["name"], "Bombay");
    // Modules: by record number, acting as a user.
    let r = c.modules("CUSTOMMODULE").update(&[json!({"recordNumber": "MOD-1", "title": "Pump check"})], RecordKey::RecordNumber, "johndoe@exto360.com").await.unwrap();
    assert_eq!(r.updated_count, 1);
    assert_eq!(param(&env.requests_to("/module-record/")[0], "userName").as_deref(), Some("johndoe@exto360.com"));
}

#[tokio::test]
async fn updates_are_checked_before_anything_is_sent() {
    let env = Env::start().await;
    let c = env.client();
    let m = c.masters("LOCATION");
    let e = m.update(&[json!({"refId": "a"}), json!({"refId": "b", "_id": "x"})], RecordKey::RefId).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.message().contains("records[1] has '_id'"), "{e}");
    let e = m.update(&[json!({"recordNumber": "a"})], RecordKey::RefId).await.unwrap_err();
    assert!(e.message().contains("records[0] has no refId"), "{e}");
    let e = m.update(&[json!({"refId": 7})], RecordKey::RefId).await.unwrap_err();
    assert!(e.message().contains("must be a string"), "{e}");
    let e = m.update(&[json!({"refId": " a"})], RecordKey::RefId).await.unwrap_err();
    assert!(e.message().contains("whitespace"), "{e}");
    let e = c.modules("CUSTOMMODULE").update(&[json!({"recordNumber": "MOD-1"})], RecordKey::RecordNumber, "").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(env.journal().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn updates_of_any_size_go_1000_per_request_and_are_retried_like_reads() {
    let env = Env::with_dataset(common::generated("BIG", 2500)).await;
    let c = env.client();
    let rows: Vec<Value> = ref_ids(&env, "BIG").into_iter().map(|r| json!({"refId": r, "touched": true})).collect();
    env.faults(json!({"kind": "status", "status": 503, "method": "PATCH", "times": 1}));
    let r = c.masters("BIG").update(&rows, RecordKey::RefId).await.unwrap();
    assert_eq!(r.updated_count, 2500);
    let patches = env.requests_to("/master-record/BIG");
    let sizes: Vec<usize> = patches.iter().filter(|e| e["status"] == 200).map(|e| e["body"].as_array().unwrap().len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 2500);
    assert_eq!(patches.len(), 4, "three chunks and one retry after the 503, without retry_writes");
}

#[tokio::test]
async fn deletes_chunk_and_report_which_ids_were_deleted() {
    let env = Env::with_dataset(common::generated("BIG", 2500)).await;
    let c = env.builder().bulk_concurrency(1).build().unwrap();
    let ids = ref_ids(&env, "BIG");
    // The third request is refused: the first two are deleted, the rest is not.
    env.faults(json!({"kind": "status", "status": 400, "method": "DELETE", "skip": 2}));
    let e = c.masters("BIG").delete(&ids, RecordKey::RefId, "admin@exto360.com").await.unwrap_err();
    let b = e.bulk().expect("a report");
    assert_eq!((b.written_count(), b.not_written_count(), b.unknown_count()), (2000, 500, 0), "{b:?}");
    assert_eq!(env.stored("masters", "BIG").len(), 500);
    let first = &env.requests_to("/master-record/BIG")[0];
    assert_eq!(first["body"][0], json!({"refId": ids[0]}));
    assert_eq!(param(first, "userName").as_deref(), Some("admin@exto360.com"));
    // The rest, by the other key the docs show (recordNumber, matched to the short id).
    env.emu.set_faults(vec![]).unwrap();
    let r = c.masters("BIG").delete(&ids[2000..], RecordKey::RecordNumber, "admin@exto360.com").await.unwrap();
    assert_eq!(r.deleted_count, 500);
    assert!(env.stored("masters", "BIG").is_empty());
    assert!(env.journal().last().unwrap()["body"][0].get("recordNumber").is_some());
}

#[tokio::test]
async fn a_200_with_success_false_is_a_permission_error_not_a_success() {
    let env = Env::start().await;
    let c = env.client();
    let ids = ref_ids(&env, "LOCATION");
    let e = c.masters("LOCATION").delete(&ids[..2], RecordKey::RefId, "jasonsmith@exto360.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(e.status(), Some(200));
    assert_eq!(e.details(), ["User doesn't have permission to delete the record"]);
    assert!(e.message().contains("success"), "{e}");
    let b = e.bulk().unwrap();
    assert_eq!(b.not_written(), vec![0, 1], "nothing was deleted: safe to send again as another user");
    assert_eq!(env.journal().len(), 1, "a refusal is not retried");
    assert_eq!(env.stored("masters", "LOCATION").len(), 6);
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_left_counts_as_deleted() {
    let env = Env::start().await;
    let c = env.client();
    // The delete happens, its answer is lost; the retry finds no matching record (404).
    env.faults(json!({"kind": "reset", "afterWork": true, "method": "DELETE", "times": 1}));
    let r = c.modules("CUSTOMMODULE").delete(&["MOD-1", "MOD-2"], RecordKey::RecordNumber, "johndoe@exto360.com").await.unwrap();
    assert_eq!(r.deleted_count, 2);
    let statuses: Vec<Value> = env.journal().iter().map(|e| e["status"].clone()).collect();
    assert_eq!(statuses, vec![json!(0), json!(404)]);
    assert_eq!(env.stored("modules", "CUSTOMMODULE").len(), 1);
    // A 404 on the first attempt is the caller's mistake: nothing was deleted.
    let e = c.modules("CUSTOMMODULE").delete(&["MOD-1"], RecordKey::RecordNumber, "johndoe@exto360.com").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::NotFound, Some(404)));
    assert_eq!(e.bulk().unwrap().slices[0].1, WriteState::NotWritten);
    // A 503 before the work, then the real delete: deleted, retried without retry_writes.
    env.faults(json!({"kind": "status", "status": 503, "method": "DELETE", "times": 1}));
    c.modules("CUSTOMMODULE").delete(&["MOD-3"], RecordKey::RecordNumber, "johndoe@exto360.com").await.unwrap();
    assert!(env.stored("modules", "CUSTOMMODULE").is_empty());
}

#[tokio::test]
async fn expand_drains_both_axes_and_moves_every_row_once() {
    let env = Env::with_dataset(module_with_rows(5, 250)).await;
    let c = env.client();
    let recs: Vec<exto360::ExpandedRecord> = c.modules("CUSTOMMODULE").expand(ExpandOptions::new().page_size(2)).try_collect().await.unwrap();
    assert_eq!(recs.len(), 5);
    for (i, r) in recs.iter().enumerate() {
        let lines = r.sub_table("Lines").unwrap();
        assert_eq!((lines.total, lines.rows.len()), (Some(250), 250));
        assert_eq!(lines.rows.iter().map(|x| x["qty"].as_u64().unwrap()).collect::<Vec<_>>(), (0..250).collect::<Vec<_>>(), "in order, none twice");
        assert_eq!(r.sub_table("Signatures").unwrap().rows.len(), 1);
        assert_eq!(r.record.field("ref_no"), Some(&json!(format!("R{i}"))));
        assert!(r.record.get("subTableData").is_none());
    }
    let journal = env.journal();
    let pages: Vec<&Value> = journal.iter().filter(|e| param(e, "fields").is_none()).collect();
    assert_eq!(pages.len(), 3, "three pages of records");
    assert_eq!(param(pages[0], "subTablePageSize").as_deref(), Some("100"));
    // Per record: rows 100..200 and 200..250 of Lines, through its nextPage.
    let drains: Vec<&Value> = journal.iter().filter(|e| param(e, "fields").as_deref() == Some("_id")).collect();
    assert_eq!(drains.len(), 10);
    assert_eq!(param(drains[0], "subTablePaging").as_deref(), Some(r#"{"Lines":{"page":2,"pageSize":100}}"#));
    assert_eq!(param(drains[1], "subTablePaging").as_deref(), Some(r#"{"Lines":{"page":3,"pageSize":100}}"#));
    assert_eq!(param(drains[0], "recordIds"), recs[0].record.id().map(str::to_string));
    assert_eq!(param(drains[0], "subTablePageSize").as_deref(), Some("1"));
}

#[tokio::test]
async fn expand_options_are_sent_and_checked() {
    let env = Env::with_dataset(module_with_rows(3, 2)).await;
    let c = env.client();
    let ids: Vec<String> = env.stored("modules", "CUSTOMMODULE").iter().map(|r| r["_id"].as_str().unwrap().to_string()).collect();
    let opts = ExpandOptions::new()
        .record_ids(ids[..2].to_vec())
        .fields(["recordNumber"])
        .sub_table_fields(["-note"])
        .query(json!({"ref_no": {"$in": ["R0", "R1", "R2"]}}));
    let recs: Vec<exto360::ExpandedRecord> = c.modules("CUSTOMMODULE").expand(opts).try_collect().await.unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].record.0.keys().collect::<Vec<_>>(), vec!["_id", "recordNumber"]);
    assert!(recs[0].sub_table("Lines").unwrap().rows[0].get("note").is_none());
    let q = &env.journal()[0];
    assert_eq!(param(q, "recordIds"), Some(ids[..2].join(",")));
    assert_eq!(param(q, "subTableFields").as_deref(), Some("-note"));
    assert_eq!(param(q, "query").as_deref(), Some(r#"{"ref_no":{"$in":["R0","R1","R2"]}}"#));
    // More than 100 ids: one request sequence per 100.
    let many: Vec<String> = ids.iter().cycle().take(250).cloned().collect();
    env.emu.clear_journal();
    let recs: Vec<exto360::ExpandedRecord> = c.modules("CUSTOMMODULE").expand(ExpandOptions::new().record_ids(many)).try_collect().await.unwrap();
    assert_eq!(recs.len(), 9, "each chunk of ids answers the records it names");
    assert_eq!(env.journal().len(), 3);
    for bad in [
        ExpandOptions::new().page_size(101),
        ExpandOptions::new().page_size(0),
        ExpandOptions::new().sub_table_page_size(101),
        ExpandOptions::new().fields(["-_id"]),
        ExpandOptions::new().fields(["a,b"]),
        ExpandOptions::new().record_ids([""]),
        ExpandOptions::new().query(json!([1])),
        ExpandOptions::new().page(0),
    ] {
        let e = c.modules("CUSTOMMODULE").expand(bad.clone()).try_collect::<Vec<_>>().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}: {e}");
    }
}

#[tokio::test]
async fn expand_refuses_a_server_that_does_not_advance() {
    let env = Env::with_dataset(module_with_rows(1, 3)).await;
    let c = env.client();
    let stuck = json!({"moduleName": "CUSTOMMODULE", "page": 1, "pageSize": 50, "nextPage": {"page": 1, "pageSize": 50}, "records": []});
    env.faults(json!({"kind": "status", "status": 200, "body": stuck, "method": "GET"}));
    let e = c.modules("CUSTOMMODULE").expand(ExpandOptions::new()).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    assert!(e.message().contains("does not follow"), "{e}");
    // A sub-table whose next page repeats the one asked for.
    let id = env.stored("modules", "CUSTOMMODULE")[0]["_id"].clone();
    let first = json!({"nextPage": null, "records": [{"_id": id, "subTableData": {"Lines": {"rows": [{"qty": 0}], "page": 1, "total": 3, "nextPage": {"page": 2, "pageSize": 1}}}}]});
    let again = json!({"nextPage": null, "records": [{"_id": id, "subTableData": {"Lines": {"rows": [{"qty": 1}], "page": 2, "total": 3, "nextPage": {"page": 2, "pageSize": 1}}}}]});
    env.faults(json!([{"kind": "status", "status": 200, "body": first, "times": 1}, {"kind": "status", "status": 200, "body": again}]));
    let e = c.modules("CUSTOMMODULE").expand(ExpandOptions::new()).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(e.message().contains("does not follow page 2"), "{e}");
}

#[tokio::test]
async fn sub_table_rows_list_iterate_and_delete() {
    let env = Env::with_dataset(module_with_rows(1, 2500)).await;
    let c = env.client();
    let id = env.stored("modules", "CUSTOMMODULE")[0]["_id"].as_str().unwrap().to_string();
    let t = c.sub_table("Lines");
    let p = t.list("CUSTOMMODULE", &id, 2, 1000).await.unwrap();
    assert_eq!((p.rows.len(), p.total, p.total_pages), (1000, Some(2500), Some(3)));
    assert_eq!(p.rows[0]["qty"], 1000);
    let q = &env.journal()[0];
    assert_eq!((param(q, "recordId"), param(q, "recordName")), (Some(id.clone()), Some(id.clone())));
    let all: Vec<exto360::SubTableRow> = t.iter("CUSTOMMODULE", &id, 1000).try_collect().await.unwrap();
    assert_eq!(all.len(), 2500);
    let numbers: Vec<String> = all.iter().map(|r| r["recordNumber"].as_str().unwrap().to_string()).collect();
    let r = t.delete(&numbers[..1500], "CUSTOMMODULE", &id).await.unwrap();
    assert_eq!(r.deleted_count, 1500);
    assert_eq!(t.list("CUSTOMMODULE", &id, 1, 10).await.unwrap().total, Some(1000));
    let deletes: Vec<Value> = env.journal().into_iter().filter(|e| e["method"] == "DELETE").collect();
    assert_eq!(deletes.len(), 2);
    assert!(deletes.iter().any(|d| d["body"][0] == json!({"recordNumber": numbers[0]})), "{deletes:?}");
    let e = t.list("CUSTOMMODULE", &id, 1, 1001).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn hierarchy_rows_are_listed_created_in_order_and_moved() {
    let env = Env::start().await;
    let c = env.builder().bulk_concurrency(4).build().unwrap();
    let h = c.hierarchy("ORG_UNIT");
    let p = h.list(1, 2).await.unwrap();
    assert_eq!((p.rows.len(), p.total), (2, Some(4)));
    assert_eq!(p.rows[1].get("sys_path"), Some(&json!("/ORG-1/ORG-2")));
    // 2500 rows, each the child of the one before: only in order can this work.
    let rows: Vec<Value> = (0..2500).map(|i| json!({"sys_rowID": format!("N{i}"), "sys_parentRowID": if i == 0 { "ORG-1".to_string() } else { format!("N{}", i - 1) }, "name": i})).collect();
    let r = h.create(&rows).await.unwrap();
    assert_eq!(r.inserted_count, 2500);
    let all: Vec<exto360::Record> = h.iter(1000).try_collect().await.unwrap();
    assert_eq!(all.len(), 2504);
    let r = h.update(&[json!({"sys_rowID": "N0", "sys_parentRowID": "ORG-3"})]).await.unwrap();
    assert_eq!(r.updated_count, 1);
    let last = h.list(3, 1000).await.unwrap().rows.pop().unwrap();
    assert!(last.get("sys_path").and_then(|v| v.as_str()).unwrap().starts_with("/ORG-1/ORG-3/N0/N1/"), "the subtree moved");
    let e = h.update(&[json!({"name": "x"})]).await.unwrap_err();
    assert!(e.message().contains("has no sys_rowID"), "{e}");
    let e = h.create(&[json!({"_id": "x"})]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn workflow_v2_list_history_and_actions() {
    let env = Env::start().await;
    let tenant = env.client();
    let c = tenant.with_project("Vx6-j2Z").unwrap();
    let e = tenant.workflow("CUSTOMMODULE").list(&WorkflowListOptions::default()).await.unwrap_err();
    assert!(e.message().contains("needs a project"), "{e}");
    let f = exto360::Filter::field("status").eq("Draft").or(exto360::Filter::field("status").eq("Submitted")).and(exto360::Filter::field("number2").number().gt(2));
    let opts = WorkflowListOptions { filter: Some(f.into()), ..Default::default() };
    let p = c.workflow("CUSTOMMODULE").list(&opts).await.unwrap();
    assert_eq!(p.rows.iter().map(|r| r.record_number().unwrap()).collect::<Vec<_>>(), vec!["MOD-1"]);
    assert_eq!(param(&env.journal()[0], "filter").as_deref(), Some("(status:eq:Draft:and:number2:NUMBER:gt:2):or:(status:eq:Submitted:and:number2:NUMBER:gt:2)"));
    assert_eq!(param(&env.journal()[0], "pageSize").as_deref(), Some("100"));
    let e = c.workflow("CUSTOMMODULE").list(&WorkflowListOptions { page_size: Some(101), ..Default::default() }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // Actions: space required in a project scope (C10), then create → submit → history.
    let wf = c.workflow("CUSTOMMODULE");
    let e = wf.transition(Step::Create, "MOD-1", &TransitionOptions::new("johndoe@exto360.com").action("Submit")).await.unwrap_err();
    assert!(e.message().contains("space_name is required"), "{e}");
    let o = TransitionOptions::new("johndoe@exto360.com").action("Submit").space("S1").assign(["jasonsmith@exto360.com"], ["QA"]).comment("please", true);
    let v = wf.transition(Step::Create, "MOD-1", &o).await.unwrap();
    assert_eq!(v["status"], "Submitted");
    let sent = env.journal().last().unwrap().clone();
    assert_eq!(sent["body"], json!({"recordId": "MOD-1", "moduleName": "CUSTOMMODULE", "actionName": "Submit", "assignee": {"users": ["jasonsmith@exto360.com"], "groups": ["QA"]}, "comment": {"text": "please", "isPrivate": true}}));
    assert_eq!(param(&sent, "spaceName").as_deref(), Some("S1"));
    // In tenant scope the space is optional.
    tenant.workflow("CUSTOMMODULE").transition(Step::Submit, "MOD-1", &TransitionOptions::new("johndoe@exto360.com").action("Approve")).await.unwrap();
    let e = tenant.workflow("CUSTOMMODULE").transition(Step::Revision, "MOD-1", &TransitionOptions::new("a@b.c").assign(["x"], [])).await.unwrap_err();
    assert!(e.message().contains("no assignee"), "{e}");
    let e = tenant.workflow("CUSTOMMODULE").transition(Step::Submit, "MOD-1", &TransitionOptions::new("a@b.c")).await.unwrap_err();
    assert!(e.message().contains("action_name is required"), "{e}");
    let h = tenant.workflow("CUSTOMMODULE").history("MOD-1").await.unwrap();
    assert_eq!(h["history"].as_array().unwrap().len(), 2);
    // Not retried after a 5xx: the record could move twice.
    env.faults(json!({"kind": "status", "status": 503, "afterWork": true, "method": "POST", "times": 1}));
    let e = tenant.workflow("CUSTOMMODULE").transition(Step::Reopen, "MOD-1", &TransitionOptions::new("johndoe@exto360.com").action("Reopen")).await.unwrap_err();
    assert_eq!((e.kind(), e.retries(), e.write_state()), (ErrorKind::Server, 0, WriteState::Unknown));
}

#[tokio::test]
async fn build_info() {
    let env = Env::start().await;
    let info = env.client().build_info().await.unwrap();
    assert_eq!(info.name.as_deref(), Some("exto-data-api"));
    assert!(info.version.is_some() && info.commit.is_some());
    let e = exto360::Client::builder().base_url(env.emu.url()).token("wrong").rate_limit(None).build().unwrap().build_info().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
}

#[test]
fn the_blocking_client_has_the_same_operations() {
    let emu = exto360_emulator::Emulator::builder().rate_limit(None).spawn().unwrap();
    let b = exto360::blocking::Client::from_builder(exto360::Client::builder().base_url(emu.url()).token(emu.token()).rate_limit(None)).unwrap();
    let recs: Vec<exto360::ExpandedRecord> = b.modules("CUSTOMMODULE").expand(ExpandOptions::new()).collect::<Result<_, _>>().unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[2].sub_table("Signatures").unwrap().rows.len(), 1);
    assert_eq!(b.build_info().unwrap().branch.as_deref(), Some("release/26.5.0"));
    assert_eq!(b.masters("LOCATION").update(&[json!({"refId": "nope", "x": 1})], RecordKey::RefId).unwrap().updated_count, 0);
    assert_eq!(b.hierarchy("ORG_UNIT").iter(2).count(), 4);
    let id = recs[2].record.id().unwrap().to_string();
    let rows = b.sub_table("Signatures").list("CUSTOMMODULE", &id, 1, 10).unwrap();
    let n = rows.rows[0]["recordNumber"].as_str().unwrap().to_string();
    assert_eq!(b.sub_table("Signatures").delete(&[n], "CUSTOMMODULE", &id).unwrap().deleted_count, 1);
    assert_eq!(b.modules("CUSTOMMODULE").delete(&["MOD-3"], RecordKey::RecordNumber, "johndoe@exto360.com").unwrap().deleted_count, 1);
    let wf = b.with_project("Vx6-j2Z").unwrap().workflow("CUSTOMMODULE");
    assert_eq!(wf.iter(&WorkflowListOptions::default()).count(), 2);
    let v = wf.transition(Step::Submit, "MOD-1", &TransitionOptions::new("johndoe@exto360.com").action("Submit").space("S1")).unwrap();
    assert_eq!(v["status"], "Submitted");
    assert_eq!(wf.history("MOD-1").unwrap()["history"].as_array().unwrap().len(), 1);
    emu.stop();
}
