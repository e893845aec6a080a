//! Sub-table writes and workflow actions.
mod common;
use common::*;
use serde_json::{Value, json};

const M: &str = "/api/v1/module-record/CUSTOMMODULE";

async fn record_ids(t: &T) -> Vec<(String, String)> {
    let v = t.get(&format!("{M}?sort=recordNumber")).await.expect(200);
    v["rows"].as_array().unwrap().iter().map(|r| (r["_id"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string())).collect()
}

#[tokio::test]
async fn sub_table_rows_are_written_under_the_parent() {
    let t = T::start().await;
    let parent = record_ids(&t).await[0].0.clone();
    let path = format!("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE&recordName={parent}");
    let v = t.post(&path, json!([{"signer": "a@x.com", "signedOn": "2024-01-01"}, {"signer": "b@x.com"}])).await.expect(201);
    assert_eq!(v["insertedCount"], 2);
    assert_eq!(v["insertedIds"].as_array().unwrap().len(), 2);
    // Unique `signer`: an update, not a third row. `recordId` ([V]) works as well.
    let path2 = format!("/api/v1/sub-table/Signatures?moduleName=custommodule&recordId={parent}");
    let v = t.post(&path2, json!([{"signer": "a@x.com", "signedOn": "2024-02-02"}])).await.expect(201);
    assert_eq!((v["insertedCount"].clone(), v["updatedCount"].clone()), (json!(0), json!(1)));
    let rows = t.get(&path2).await.expect(200);
    assert_eq!(rows["total"], 2);
    assert_eq!(rows["rows"][0]["signedOn"], "2024-02-02");
    // A table without unique fields appends.
    let lines = format!("/api/v1/sub-table/Lines?moduleName=CUSTOMMODULE&recordId={parent}");
    t.post(&lines, json!([{"qty": 1}])).await.expect(201);
    t.post(&lines, json!([{"qty": 1}])).await.expect(201);
    assert_eq!(t.get(&lines).await.expect(200)["total"], 2);
    // The admin view shows the rows under the record.
    let all = t.admin("GET", "/records/modules/CUSTOMMODULE", None).await;
    let rec = all.as_array().unwrap().iter().find(|r| r["_id"] == json!(parent)).unwrap();
    assert_eq!(rec["subTables"]["Signatures"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn sub_table_errors() {
    let t = T::start().await;
    let parent = record_ids(&t).await[0].0.clone();
    t.post(&format!("/api/v1/sub-table/Signatures?recordId={parent}"), json!([{}])).await.error(400, "moduleName is required");
    t.post("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE", json!([{}])).await.error(400, "recordName (or recordId) is required");
    t.post(&format!("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE&recordId={parent}&recordName=67bf00000000000000000000"), json!([{}]))
        .await
        .error(400, "name different records");
    t.post("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE&recordId=67bf00000000000000000000", json!([{"signer": "x"}]))
        .await
        .error(400, "Record 67bf00000000000000000000 not found in CUSTOMMODULE.");
    t.post(&format!("/api/v1/sub-table/Nope?moduleName=CUSTOMMODULE&recordId={parent}"), json!([{}])).await.error(400, "Sub-table Nope not found in CUSTOMMODULE.");
    t.post(&format!("/api/v1/sub-table/Signatures?moduleName=NOMOD&recordId={parent}"), json!([{}])).await.error(500, "NOMOD not Found.");
    t.post(&format!("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE&recordId={parent}"), json!({"signer": 1})).await.error(400, "array");
    // A parent in another project is out of scope.
    t.post_in(&format!("/api/v1/sub-table/Signatures?moduleName=CUSTOMMODULE&recordId={parent}"), json!([{"signer": "z"}]), "p6iDlWb")
        .await
        .error(400, "not found");
}

#[tokio::test]
async fn workflow_actions_move_the_status() {
    let t = T::start().await;
    let recs = record_ids(&t).await;
    assert_eq!(recs.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), vec!["Draft", "Submitted", "Approved"]);
    let (draft, submitted) = (recs[0].0.clone(), recs[1].0.clone());
    let w = "/api/v1/workflow/CUSTOMMODULE?actionName=Submit&userName=johndoe@exto360.com";
    let v = t.post(w, json!([draft])).await.expect(201);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["recordId"], json!(draft));
    assert_eq!(v[0]["workflowId"].as_str().unwrap().len(), 24);
    let v = t.post("/api/v1/workflow/CUSTOMMODULE?actionName=Approve&userName=johndoe@exto360.com", json!([draft, submitted])).await.expect(201);
    assert_eq!(v.as_array().unwrap().len(), 2);
    let now = record_ids(&t).await;
    assert_eq!(now[0].1, "Approved");
    assert_eq!(now[1].1, "Approved");
    let rejected = t.post("/api/v1/workflow/CUSTOMMODULE?actionName=Reject&userName=johndoe@exto360.com", json!([draft])).await;
    rejected.error(400, "Action 'Reject' is not valid from step 'Approved'");
    // The updatedBy of a moved record is the acting user.
    let list = t.get(&format!("{M}?filter=_id:eq:{draft}")).await.expect(200);
    assert_eq!(list["rows"][0]["updatedBy"], "johndoe@exto360.com");
}

#[tokio::test]
async fn a_workflow_request_moves_all_records_or_none() {
    let t = T::start().await;
    let recs = record_ids(&t).await;
    // The first can be submitted, the third (Approved) cannot: nothing moves.
    let ids = json!([recs[0].0, recs[2].0]);
    t.post("/api/v1/workflow/CUSTOMMODULE?actionName=Submit&userName=johndoe@exto360.com", ids).await.error(400, "not valid from step 'Approved'");
    assert_eq!(record_ids(&t).await[0].1, "Draft");
}

#[tokio::test]
async fn workflow_validation() {
    let t = T::start().await;
    let recs = record_ids(&t).await;
    let base = "/api/v1/workflow/CUSTOMMODULE";
    t.post(&format!("{base}?userName=johndoe@exto360.com"), json!([recs[0].0])).await.error(400, "actionName is required");
    t.post(&format!("{base}?actionName=Submit"), json!([recs[0].0])).await.error(400, "userName is required");
    t.post(&format!("{base}?actionName=Submit&userName=retired@exto360.com"), json!([recs[0].0])).await.error(400, "User not found or active");
    let many: Vec<Value> = (0..101).map(|i| json!(format!("{i:024x}"))).collect();
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), Value::Array(many)).await.error(400, "Maximum 100 records allowed but received 101");
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), json!([])).await.error(400, "At least one record is required");
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), json!([1])).await.error(400, "Item 0 must be a non-empty string, got a number");
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), json!([""])).await.error(400, "Item 0 must be a non-empty string, got an empty string");
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), json!(["  "])).await.error(400, "got only whitespace");
    t.post(&format!("{base}?actionName=Submit&userName=johndoe@exto360.com"), json!(["67bf00000000000000000000"])).await.error(400, "not found in CUSTOMMODULE");
    t.post("/api/v1/workflow/NOMOD?actionName=Submit&userName=johndoe@exto360.com", json!([recs[0].0])).await.error(500, "NOMOD not Found.");
    // Project-scoped: spaceName is required and must be a space of the project.
    let scoped = format!("{base}?actionName=Submit&userName=johndoe@exto360.com");
    t.post_in(&scoped, json!([recs[0].0]), "Vx6-j2Z").await.error(400, "spaceName is required");
    t.post_in(&format!("{scoped}&spaceName=S9"), json!([recs[0].0]), "Vx6-j2Z").await.error(400, "Space S9 not found in project Vx6-j2Z");
    t.post_in(&format!("{scoped}&spaceName=S1"), json!([recs[0].0]), "Vx6-j2Z").await.expect(201);
    let many_ok: Vec<Value> = (0..100).map(|_| json!(recs[1].0)).collect();
    // 100 ids is the limit, not past it (the repeated Approve of one record fails on the 2nd).
    t.post(&format!("{base}?actionName=Approve&userName=johndoe@exto360.com"), Value::Array(many_ok)).await.error(400, "not valid from step 'Approved'");
}
