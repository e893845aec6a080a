//! The current ([V]) edition: build info, record updates and deletes, `/expand`, sub-table reads
//! and deletes, hierarchy masters, workflow v2.
mod common;
use common::*;
use serde_json::{Value, json};

const L: &str = "/api/v1/master-record/LOCATION";
const M: &str = "/api/v1/module-record/CUSTOMMODULE";

async fn masters(t: &T) -> Vec<Value> {
    t.get(&format!("{L}?pageSize=100")).await.expect(200)["rows"].as_array().unwrap().clone()
}

async fn modules(t: &T) -> Vec<Value> {
    t.get(&format!("{M}?pageSize=100&sort=recordNumber")).await.expect(200)["rows"].as_array().unwrap().clone()
}

#[tokio::test]
async fn build_info_needs_a_token() {
    let t = T::start().await;
    let v = t.get("/api/v1/build/info").await.expect(200);
    assert_eq!(v["name"], "exto-data-api");
    for k in ["version", "branch", "commit", "date"] {
        assert!(v[k].is_string(), "{k}: {v}");
    }
    let r = t.http.get(t.url("/api/v1/build/info")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn master_patch_updates_by_ref_id_in_both_answer_shapes() {
    let t = T::start().await;
    let rows = masters(&t).await;
    let (a, b) = (rows[0]["refId"].as_str().unwrap(), rows[1]["refId"].as_str().unwrap());
    let v = t.send("PATCH", L, Some(json!([{"refId": a, "name": "Bangalore"}, {"refId": "nope123", "name": "x"}, {"recordNumber": b, "active": false}])), &[]).await.expect(200);
    assert_eq!(v, json!({"insertedIds": [], "insertedCount": 0, "updatedCount": 2}), "an unknown refId changes nothing");
    let rows = masters(&t).await;
    assert_eq!(rows[0]["customFields"]["name"], "Bangalore");
    assert_eq!(rows[0]["customFields"]["code"], "BLR", "other fields stay");
    assert!(rows[0]["customFields"].get("refId").is_none(), "the key is not stored as a field");
    assert_eq!(rows[1]["customFields"]["active"], false);
    t.admin("PATCH", "/config", Some(json!({"patchAnswer": "count"}))).await;
    let v = t.send("PATCH", L, Some(json!([{"refId": a, "name": "Bengaluru"}])), &[]).await.expect(200);
    assert_eq!(v, json!({"updatedCount": 1}));
}

#[tokio::test]
async fn master_patch_errors() {
    let t = T::start().await;
    let a = masters(&t).await[0]["refId"].as_str().unwrap().to_string();
    t.send("PATCH", L, Some(json!([{"refId": a, "_id": "x"}])), &[]).await.error(400, "Updating '_id' is not allowed");
    t.send("PATCH", L, Some(json!([{"name": "x"}])), &[]).await.error(400, "needs refId or recordNumber");
    t.send("PATCH", L, Some(json!({"refId": a})), &[]).await.error(400, "must be an array");
    t.send("PATCH", L, Some(json!([])), &[]).await.error(400, "empty array");
    let many: Vec<Value> = (0..1001).map(|i| json!({"refId": format!("r{i}")})).collect();
    t.send("PATCH", L, Some(Value::Array(many)), &[]).await.error(400, "Maximum 1000 records allowed but received 1001");
    t.send("PATCH", "/api/v1/master-record/NOPE", Some(json!([{"refId": a}])), &[]).await.error(500, "NOPE not Found.");
    assert_eq!(masters(&t).await[0]["customFields"]["name"], "Bengaluru", "nothing changed");
}

#[tokio::test]
async fn master_delete_by_either_identifier_and_the_200_refusal() {
    let t = T::start().await;
    let rows = masters(&t).await;
    let (a, b) = (rows[0]["refId"].as_str().unwrap().to_string(), rows[1]["refId"].as_str().unwrap().to_string());
    let q = format!("{L}?userName=johndoe@exto360.com");
    t.send("DELETE", L, Some(json!([{"refId": a}])), &[]).await.error(400, "userName is required");
    t.send("DELETE", &format!("{L}?userName=retired@exto360.com"), Some(json!([{"refId": a}])), &[]).await.error(400, "User not found or active");
    // jasonsmith is active but not among LOCATION's deleters: 200 with success false.
    let v = t.send("DELETE", &format!("{L}?userName=jasonsmith@exto360.com"), Some(json!([{"refId": a}])), &[]).await.expect(200);
    assert_eq!(v, json!({"success": false, "message": "User doesn't have permission to delete the record"}));
    assert_eq!(masters(&t).await.len(), 6);
    let v = t.send("DELETE", &q, Some(json!([{"refId": a}, {"recordNumber": b}])), &[]).await.expect(200);
    assert_eq!(v, json!({"success": true, "message": "Records deleted successfully"}));
    assert_eq!(masters(&t).await.len(), 4);
    // Again: nothing left to delete, same answer (idempotent).
    t.send("DELETE", &q, Some(json!([{"refId": a}])), &[]).await.expect(200);
    t.send("DELETE", &q, Some(json!([{"id": a}])), &[]).await.error(400, "needs refId or recordNumber");
    // VENDOR has no delete list: any active user may.
    t.send("DELETE", "/api/v1/master-record/VENDOR?userName=jasonsmith@exto360.com", Some(json!([{"refId": "x"}])), &[]).await.expect(200);
}

#[tokio::test]
async fn module_patch_and_delete() {
    let t = T::start().await;
    let recs = modules(&t).await;
    let n1 = recs[0]["recordNumber"].as_str().unwrap().to_string();
    let u = "userName=johndoe@exto360.com";
    t.send("PATCH", M, Some(json!([{"recordNumber": n1, "title": "x"}])), &[]).await.error(400, "userName is required");
    // One object is accepted (§3.3).
    let v = t.send("PATCH", &format!("{M}?{u}"), Some(json!({"recordNumber": n1, "title": "Pump check"})), &[]).await.expect(200);
    assert_eq!(v["updatedCount"], 1);
    t.send("PATCH", &format!("{M}?{u}"), Some(json!([{"recordNumber": n1, "_id": "x"}])), &[]).await.error(400, "Updating '_id' is not allowed");
    assert_eq!(modules(&t).await[0]["customFields"]["title"], "Pump check");
    // Delete: 404 when nothing matches, empty 200 otherwise.
    t.send("DELETE", &format!("{M}?{u}"), Some(json!([{"recordNumber": "MOD-99"}])), &[]).await.error(404, "No matching record");
    let r = t.send("DELETE", &format!("{M}?{u}"), Some(json!([{"recordNumber": n1}, {"recordNumber": "MOD-99"}])), &[]).await;
    assert_eq!((r.status, r.body), (200, json!("")));
    assert_eq!(modules(&t).await.len(), 2);
    t.send("DELETE", &format!("{M}?{u}"), Some(json!([{"recordNumber": n1}])), &[]).await.error(404, "No matching record");
    t.send("DELETE", &format!("{M}?userName=nobody@x.com"), Some(json!([{"recordNumber": "MOD-2"}])), &[]).await.error(400, "User not found or active");
}

fn generated_module(count: usize, rows_each: usize) -> exto360_emulator::Dataset {
    let mut d = exto360_emulator::Dataset::demo();
    let m = &mut d.tenants[0].modules[0];
    m.records.truncate(0);
    for i in 0..count {
        let lines: Vec<Value> = (0..rows_each).map(|k| json!({"qty": k, "sku": format!("S{i}-{k}")})).collect();
        m.records.push(serde_json::from_value(json!({"fields": {"ref_no": format!("R{i}"), "title": format!("T{i}")}, "subTables": {"Lines": lines, "Signatures": [{"signer": "a"}]}})).unwrap());
    }
    d
}

#[tokio::test]
async fn expand_pages_records_and_sub_tables() {
    let t = T::with_dataset(generated_module(5, 7)).await;
    let e = format!("{M}/expand");
    let v = t.get(&format!("{e}?pageSize=2&subTablePageSize=3")).await.expect(200);
    assert_eq!((v["total"].clone(), v["totalPages"].clone(), v["nextPage"].clone()), (json!(5), json!(3), json!({"page": 2, "pageSize": 2})));
    assert_eq!(v["moduleName"], "CUSTOMMODULE");
    assert_eq!(v["subTables"], json!([{"tableID": "Signatures", "name": "Signatures"}, {"tableID": "Lines", "name": "Lines"}]));
    let r0 = &v["records"][0];
    let lines = &r0["subTableData"]["Lines"];
    assert_eq!((lines["total"].clone(), lines["rows"].as_array().unwrap().len(), lines["nextPage"].clone()), (json!(7), 3, json!({"page": 2, "pageSize": 3})));
    assert_eq!(lines["rows"][0]["recordNumber"], "LIN-1");
    assert_eq!(r0["subTableData"]["Signatures"]["nextPage"], Value::Null);
    // The last record page, and one record's last Lines page through subTablePaging.
    let v = t.get(&format!("{e}?page=3&pageSize=2")).await.expect(200);
    assert_eq!((v["records"].as_array().unwrap().len(), v["nextPage"].clone()), (1, Value::Null));
    let id = r0["_id"].as_str().unwrap();
    let paging = urlencode(r#"{"Lines":{"page":3,"pageSize":3}}"#);
    let v = t.get(&format!("{e}?recordIds={id}&fields=_id&subTablePageSize=1&subTablePaging={paging}")).await.expect(200);
    let rec = &v["records"][0];
    assert_eq!(rec.as_object().unwrap().keys().collect::<Vec<_>>(), vec!["_id", "subTableData"], "fields=_id keeps only the id");
    assert_eq!(rec["subTableData"]["Lines"]["rows"].as_array().unwrap().len(), 1);
    assert_eq!(rec["subTableData"]["Lines"]["rows"][0]["qty"], 6);
    assert_eq!(rec["subTableData"]["Lines"]["nextPage"], Value::Null);
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn expand_fieldsets_query_and_limits() {
    let t = T::with_dataset(generated_module(3, 2)).await;
    let e = format!("{M}/expand");
    let v = t.get(&format!("{e}?fields=recordNumber,title&subTableFields=-sku,-createdAt")).await.expect(200);
    let r = &v["records"][0];
    assert_eq!(r.as_object().unwrap().keys().cloned().collect::<Vec<_>>(), vec!["_id", "recordNumber", "customFields", "subTableData"]);
    assert_eq!(r["customFields"], json!({"title": "T0"}));
    let row = &r["subTableData"]["Lines"]["rows"][0];
    assert!(row.get("sku").is_none() && row.get("createdAt").is_none() && row.get("qty").is_some(), "{row}");
    let q = urlencode(r#"{"ref_no": {"$in": ["R1", "R2"]}}"#);
    assert_eq!(t.get(&format!("{e}?query={q}")).await.expect(200)["total"], 2);
    t.get(&format!("{e}?pageSize=101")).await.error(400, "Page size must be between 1 and 100");
    t.get(&format!("{e}?subTablePageSize=0")).await.error(400, "subTablePageSize must be between 1 and 100");
    t.get(&format!("{e}?page=0")).await.error(400, "Page must be greater than 0");
    t.get(&format!("{e}?subTablePaging=%7Bx")).await.error(400, "Invalid subTablePaging");
    t.get(&format!("{e}?subTablePaging={}", urlencode(r#"{"Lines":{"pageSize":500}}"#))).await.error(400, "Invalid subTablePaging");
    t.get(&format!("{e}?fields=a,-b")).await.error(400, "cannot mix");
    let ids = (0..101).map(|i| format!("{i:024x}")).collect::<Vec<_>>().join(",");
    t.get(&format!("{e}?recordIds={ids}")).await.error(400, "Maximum 100 recordIds");
    t.get("/api/v1/module-record/NOPE/expand").await.error(500, "NOPE not Found.");
}

#[tokio::test]
async fn sub_table_list_and_delete_by_record_number() {
    let t = T::start().await;
    let id = modules(&t).await[0]["_id"].as_str().unwrap().to_string();
    let p = format!("/api/v1/sub-table/Lines?moduleName=CUSTOMMODULE&recordId={id}");
    t.post(&p, json!([{"qty": 1}, {"qty": 2}, {"qty": 3}])).await.expect(201);
    let v = t.get(&format!("{p}&page=1&pageSize=2")).await.expect(200);
    assert_eq!((v["total"].clone(), v["totalPages"].clone()), (json!(3), json!(2)));
    assert_eq!(v["rows"][1]["recordNumber"], "LIN-2");
    let r = t.send("DELETE", &p, Some(json!([{"recordNumber": "LIN-2"}, {"recordNumber": "LIN-9"}])), &[]).await;
    assert_eq!(r.status, 200);
    let v = t.get(&p).await.expect(200);
    assert_eq!(v["rows"].as_array().unwrap().iter().map(|r| r["qty"].clone()).collect::<Vec<_>>(), vec![json!(1), json!(3)]);
    // Numbers are never reused.
    t.post(&p, json!([{"qty": 4}])).await.expect(201);
    assert_eq!(t.get(&p).await.expect(200)["rows"][2]["recordNumber"], "LIN-4");
    t.send("DELETE", &p, Some(json!([])), &[]).await.error(400, "non-empty array of objects with \"recordNumber\"");
    t.send("DELETE", &p, Some(json!([{"qty": 1}])), &[]).await.error(400, "Item 0");
    t.send("DELETE", "/api/v1/sub-table/Lines?moduleName=CUSTOMMODULE", Some(json!([{"recordNumber": "LIN-1"}])), &[]).await.error(400, "recordName (or recordId)");
    t.get(&format!("{p}&pageSize=1001")).await.error(400, "Page size must be between 1 and 1000");
}

#[tokio::test]
async fn hierarchy_rows_form_a_tree() {
    let t = T::start().await;
    let h = "/api/v1/hierarchy-master-record/ORG_UNIT";
    let v = t.get(h).await.expect(200);
    assert_eq!(v["total"], 4);
    let line = &v["rows"][3];
    assert_eq!((line["sys_rowID"].clone(), line["sys_parentRowID"].clone(), line["sys_path"].clone()), (json!("ORG-4"), json!("ORG-2"), json!("/ORG-1/ORG-2/ORG-4")));
    assert_eq!(v["rows"][0]["sys_parentRowID"], Value::Null);
    // Create a child and a grandchild in one request; one object is accepted too.
    let v = t.post(h, json!([{"sys_rowID": "ORG-5", "sys_parentRowID": "ORG-3", "name": "Line 2"}, {"sys_parentRowID": "ORG-5", "name": "Cell A"}])).await.expect(201);
    assert_eq!(v["insertedCount"], 2);
    t.post(h, json!({"name": "Holding"})).await.expect(201);
    t.post(h, json!([{"sys_rowID": "ORG-1"}])).await.error(400, "already exists");
    t.post(h, json!([{"sys_parentRowID": "NOPE"}])).await.error(400, "parent row NOPE not found");
    // Move ORG-3 (and its subtree) under ORG-2.
    let v = t.send("PATCH", h, Some(json!([{"sys_rowID": "ORG-3", "sys_parentRowID": "ORG-2", "name": "South Line"}])), &[]).await.expect(200);
    assert_eq!(v["updatedCount"], 1);
    let rows = t.get(&format!("{h}?pageSize=100")).await.expect(200)["rows"].as_array().unwrap().clone();
    let cell = rows.iter().find(|r| r["customFields"]["name"] == "Cell A").unwrap();
    assert!(cell["sys_path"].as_str().unwrap().starts_with("/ORG-1/ORG-2/ORG-3/ORG-5/"), "{cell}");
    t.send("PATCH", h, Some(json!([{"sys_rowID": "ORG-2", "sys_parentRowID": "ORG-5"}])), &[]).await.error(400, "cannot move under itself");
    t.send("PATCH", h, Some(json!([{"sys_rowID": "ORG-2", "_id": "x"}])), &[]).await.error(400, "Updating '_id' is not allowed");
    t.send("PATCH", h, Some(json!([{"name": "x"}])), &[]).await.error(400, "no sys_rowID");
    t.send("DELETE", h, Some(json!([{"sys_rowID": "ORG-2"}])), &[]).await.error(405, "No route");
    t.get("/api/v1/hierarchy-master-record/NOPE").await.error(500, "NOPE not Found.");
}

#[tokio::test]
async fn workflow_v2_list_filters_and_pages() {
    let t = T::start().await;
    let w = "/api/v2/workflow";
    t.get(&format!("{w}?moduleName=CUSTOMMODULE")).await.error(400, "x-project-id header is required");
    t.get_in(w, "Vx6-j2Z").await.error(400, "moduleName is required");
    t.get_in(&format!("{w}?moduleName=CUSTOMMODULE"), "nope123").await.error(500, "Project not found for id: nope123");
    t.get_in(&format!("{w}?moduleName=NOPE"), "Vx6-j2Z").await.error(500, "NOPE not Found.");
    t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&pageSize=101"), "Vx6-j2Z").await.error(400, "between 1 and 100");
    let v = t.get_in(&format!("{w}?moduleName=CUSTOMMODULE"), "Vx6-j2Z").await.expect(200);
    assert_eq!((v["total"].clone(), v["pageSize"].clone()), (json!(2), json!(25)));
    let r = &v["rows"][0];
    for k in ["recordNumber", "workflowId", "templateName", "currentStepName", "status", "createdBy", "lastUpdatedBy", "steps", "generalComments"] {
        assert!(r.get(k).is_some(), "row lacks {k}: {r}");
    }
    assert_eq!(r["templateName"], "Inspection approval");
    let f = urlencode("(status:eq:Draft:or:status:eq:Submitted):and:number2:gt:2");
    let v = t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&filter={f}"), "Vx6-j2Z").await.expect(200);
    assert_eq!(v["rows"].as_array().unwrap().iter().map(|r| r["recordNumber"].clone()).collect::<Vec<_>>(), vec![json!("MOD-1")]);
    let f = urlencode("((title:cn:valve):or:(title:cn:pump))");
    assert_eq!(t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&filter={f}"), "Vx6-j2Z").await.expect(200)["total"], 2);
    t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&filter={}", urlencode("(status:eq:Draft")), "Vx6-j2Z").await.error(400, "without a matching ')'");
    t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&filter={}", urlencode("status:eq:Draft)")), "Vx6-j2Z").await.error(400, "without a matching '('");
    let v = t.get_in(&format!("{w}?moduleName=CUSTOMMODULE&status=Submitted&page=1&pageSize=1"), "Vx6-j2Z").await.expect(200);
    assert_eq!((v["total"].clone(), v["rows"][0]["recordNumber"].clone()), (json!(1), json!("MOD-2")));
}

#[tokio::test]
async fn workflow_v2_actions_history_and_space_rules() {
    let t = T::start().await;
    let a = "/api/v2/workflow";
    let u = "userName=johndoe@exto360.com";
    let body = |verb_action: Value| {
        let mut b = json!({"recordId": "MOD-1", "moduleName": "custommodule"});
        for (k, v) in verb_action.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // spaceName: required with a project, optional without (C10).
    t.post_in(&format!("{a}/create?{u}"), body(json!({"actionName": "Submit"})), "Vx6-j2Z").await.error(400, "spaceName is required");
    t.post_in(&format!("{a}/create?{u}&spaceName=S9"), body(json!({"actionName": "Submit"})), "Vx6-j2Z").await.error(400, "Space S9 not found");
    t.post(&format!("{a}/create"), body(json!({"actionName": "Submit"}))).await.error(400, "userName is required");
    t.post(&format!("{a}/create?{u}"), json!({"moduleName": "CUSTOMMODULE", "actionName": "Submit"})).await.error(400, "VALIDATION_ERROR: recordId is required");
    t.post(&format!("{a}/create?{u}"), body(json!({}))).await.error(400, "VALIDATION_ERROR: actionName is required");
    t.post(&format!("{a}/create?{u}"), body(json!({"actionName": "Submit", "comment": {"isPrivate": true}}))).await.error(400, "comment.text is required");
    t.post(&format!("{a}/create?{u}"), body(json!({"actionName": "Submit", "assignee": {"users": ["ghost@x.com"]}}))).await.error(400, "assignee user ghost@x.com");
    let v = t
        .post_in(
            &format!("{a}/create?{u}&spaceName=S1"),
            body(json!({"actionName": "Submit", "assignee": {"users": ["jasonsmith@exto360.com"], "groups": ["QA"]}, "comment": {"text": "please review", "isPrivate": false}})),
            "Vx6-j2Z",
        )
        .await
        .expect(201);
    assert_eq!((v["success"].clone(), v["status"].clone()), (json!(true), json!("Submitted")));
    t.post(&format!("{a}/create?{u}"), body(json!({"actionName": "Submit"}))).await.error(400, "already started");
    // return → back to Draft; submit again; approve; reopen; revision.
    t.post(&format!("{a}/return?{u}"), body(json!({"actionName": "Return"}))).await.expect(201);
    t.post(&format!("{a}/submit?{u}"), body(json!({"actionName": "Submit"}))).await.expect(201);
    t.post(&format!("{a}/submit?{u}"), body(json!({"actionName": "Reopen"}))).await.error(400, "not valid from step 'Submitted'");
    t.post(&format!("{a}/reopen?{u}"), body(json!({"actionName": "Reopen"}))).await.error(400, "not at a final step");
    t.post(&format!("{a}/submit?{u}"), body(json!({"actionName": "Approve"}))).await.expect(201);
    let v = t.post(&format!("{a}/reopen?{u}"), body(json!({"actionName": "Reopen"}))).await.expect(201);
    assert_eq!(v["status"], "Draft");
    t.post(&format!("{a}/revision?{u}"), body(json!({"assignee": {"users": []}}))).await.error(400, "assignee is not allowed for revision");
    let v = t.post(&format!("{a}/revision?{u}"), body(json!({"comment": {"text": "rev 2"}}))).await.expect(201);
    assert_eq!(v["revision"], 1);
    t.post(&format!("{a}/approve?{u}"), body(json!({"actionName": "x"}))).await.error(404, "No route");
    // History lists every step; the list shows assignee and comments.
    let h = t.get("/api/v2/workflow/history?recordNumber=MOD-1&moduleName=CUSTOMMODULE").await.expect(200);
    let verbs: Vec<Value> = h["history"].as_array().unwrap().iter().map(|e| e["verb"].clone()).collect();
    assert_eq!(verbs, vec![json!("create"), json!("return"), json!("submit"), json!("submit"), json!("reopen"), json!("revision")]);
    t.get("/api/v2/workflow/history?moduleName=CUSTOMMODULE").await.error(400, "recordNumber is required");
    t.get("/api/v2/workflow/history?recordNumber=MOD-9&moduleName=CUSTOMMODULE").await.error(404, "MOD-9");
    let v = t.get_in("/api/v2/workflow?moduleName=CUSTOMMODULE&responsibleUser=jasonsmith@exto360.com&responsibleGroup=QA", "Vx6-j2Z").await.expect(200);
    assert_eq!(v["total"], 1);
    assert_eq!(v["rows"][0]["generalComments"].as_array().unwrap().len(), 2);
    assert_eq!(v["rows"][0]["lastUpdatedBy"], "johndoe@exto360.com");
}
