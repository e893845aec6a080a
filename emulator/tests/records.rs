//! Health, auth, listing, paging and upserts of master and module records.
mod common;
use common::*;
use exto360_emulator::{Dataset, Emulator, ListShape, UserListShape};
use serde_json::{Value, json};

#[tokio::test]
async fn health_is_public_and_served_under_data_too() {
    let t = T::start().await;
    let r = t.http.get(t.url("/api/v1/health/liveness")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["ok"], true);
    assert!(v["cpuPercent"].is_number() && v["memPercent"].is_number());
    let v = t.get("/data/api/v1/health/readiness").await.expect(200);
    assert_eq!(v, json!({"ok": true}));
}

#[tokio::test]
async fn missing_or_wrong_token_is_401_with_envelope() {
    let t = T::start().await;
    let r = t.http.get(t.url("/api/v1/master-record/LOCATION")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["detail"][0], "Invalid authentication token");
    let r = t.http.get(t.url("/api/v1/master-record/LOCATION")).bearer_auth("nope").send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn unknown_project_and_foreign_tenant_are_403() {
    let t = T::start().await;
    t.send("GET", "/api/v1/master-record/LOCATION", None, &[("x-project-id", "nope123")]).await.error(403, "Project not found for id: nope123");
    t.send("GET", "/api/v1/master-record/LOCATION", None, &[("x-tenant-id", "other")]).await.error(403, "tenant other");
    // The token's own tenant by id is fine.
    t.send("GET", "/api/v1/master-record/LOCATION", None, &[("x-tenant-id", "cwWdTZK")]).await.expect(200);
}

#[tokio::test]
async fn list_answers_the_paginated_object_with_record_documents() {
    let t = T::start().await;
    let v = t.get("/api/v1/master-record/LOCATION?page=1&pageSize=4").await.expect(200);
    assert_eq!(v["total"], 6);
    assert_eq!(v["page"], 1);
    assert_eq!(v["pageSize"], 4);
    assert_eq!(v["totalPages"], 2);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let r = &rows[0];
    let id = r["_id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(r["id"], r["_id"]);
    assert_eq!(r["slug"], r["refId"]);
    assert_eq!(r["refId"].as_str().unwrap().len(), 7);
    for k in ["customFields", "tenantID", "projectID", "createdBy", "createdAt", "updatedBy", "updatedAt", "isDeleted", "parentID"] {
        assert!(r.get(k).is_some(), "record lacks {k}: {r}");
    }
    assert_eq!(r["tenantID"], "cwWdTZK");
    assert_eq!(r["isDeleted"], false);
    // Default page size is 25 ([V]); the name is looked up upper-cased.
    let v = t.get("/api/v1/master-record/location").await.expect(200);
    assert_eq!(v["pageSize"], 25);
    assert_eq!(v["rows"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn page_and_page_size_are_checked() {
    let t = T::start().await;
    t.get("/api/v1/master-record/LOCATION?page=0&pageSize=10").await.error(400, "Page must be greater than 0");
    t.get("/api/v1/master-record/LOCATION?page=1&pageSize=0").await.error(400, "Page size must be between 1 and 1000");
    t.get("/api/v1/master-record/LOCATION?page=1&pageSize=1001").await.error(400, "Page size must be between 1 and 1000");
    t.get("/api/v1/master-record/LOCATION?page=abc").await.error(400, "Page must be an integer");
    t.get("/api/v1/module-record/CUSTOMMODULE?pageSize=x").await.error(400, "Page size must be an integer");
    // Past the end: an empty page, not an error.
    let v = t.get("/api/v1/master-record/LOCATION?page=9&pageSize=10").await.expect(200);
    assert_eq!(v["rows"], json!([]));
    assert_eq!(v["total"], 6);
}

#[tokio::test]
async fn unknown_master_or_module_is_a_500_service_exception() {
    let t = T::start().await;
    let v = t.get("/api/v1/master-record/ITEM_MASTER?page=1&pageSize=10").await.error(500, "ITEM_MASTER not Found.");
    assert_eq!(v["error"]["summary"], "Service Exception");
    assert_eq!(v["path"], "/api/v1/master-record/ITEM_MASTER");
    t.get("/data/api/v1/module-record/nomod").await.error(500, "NOMOD not Found.");
    t.post("/api/v1/master-record/ITEM_MASTER", json!([{"a": 1}])).await.error(500, "ITEM_MASTER not Found.");
}

#[tokio::test]
async fn sort_ascending_descending_and_by_several_fields() {
    let t = T::start().await;
    let asc = t.codes("/api/v1/master-record/LOCATION?sort=serial_number", "serial_number").await;
    assert_eq!(asc, vec![json!(null), json!(900), json!(1234), json!(1500), json!(2100), json!(3000)]);
    let desc = t.codes("/api/v1/master-record/LOCATION?sort=-serial_number", "code").await;
    assert_eq!(desc, vec!["PUN", "CHN", "MUM", "BLR", "DEL", "HYD"]);
    let multi = t.codes("/api/v1/master-record/LOCATION?sort=-active,code&pageSize=3", "code").await;
    assert_eq!(multi, vec!["BLR", "CHN", "HYD"]);
    let by_top_level = t.codes("/api/v1/master-record/LOCATION?sort=-createdAt&pageSize=1", "code").await;
    assert_eq!(by_top_level, vec!["PUN"]);
}

#[tokio::test]
async fn status_and_project_scope_narrow_the_list() {
    let t = T::start().await;
    let v = t.get("/api/v1/master-record/LOCATION?status=Approved").await.expect(200);
    assert_eq!(v["total"], 4);
    let v = t.get_in("/api/v1/master-record/LOCATION", "Vx6-j2Z").await.expect(200);
    assert_eq!(v["total"], 3);
    assert!(v["rows"].as_array().unwrap().iter().all(|r| r["projectID"] == "Vx6-j2Z"));
    let v = t.get_in("/api/v1/master-record/LOCATION?status=Approved", "p6iDlWb").await.expect(200);
    assert_eq!(v["total"], 2);
}

async fn walk(t: &T, path: &str, size: usize) -> (Vec<i64>, usize) {
    let mut seen = Vec::new();
    let mut requests = 0;
    for page in 1.. {
        let body = t.get(&format!("{path}?page={page}&pageSize={size}")).await.expect(200);
        requests += 1;
        let rows = match &body {
            Value::Array(a) => a.clone(),
            obj => obj["rows"].as_array().unwrap().clone(),
        };
        seen.extend(rows.iter().map(|r| r["customFields"]["seq"].as_i64().unwrap()));
        let done = match &body {
            Value::Array(_) => rows.len() < size,
            obj => obj["page"].as_u64().unwrap() >= obj["totalPages"].as_u64().unwrap(),
        };
        if done {
            break;
        }
    }
    (seen, requests)
}

#[tokio::test]
async fn paging_reaches_the_end_in_both_list_shapes() {
    let t = T::with_dataset(generated("BIG", 2345)).await;
    let (seen, requests) = walk(&t, "/api/v1/master-record/BIG", 1000).await;
    assert_eq!(requests, 3);
    assert_eq!(seen, (1..=2345).collect::<Vec<_>>());

    t.admin("PATCH", "/config", Some(json!({"listShape": "array"}))).await;
    let first = t.get("/api/v1/master-record/BIG?page=1&pageSize=1000").await.expect(200);
    assert!(first.is_array(), "bare array expected");
    let (seen, requests) = walk(&t, "/api/v1/master-record/BIG", 1000).await;
    assert_eq!(requests, 3);
    assert_eq!(seen.len(), 2345);
    // An exact multiple needs one more (empty) page to see the end in the array shape.
    let (seen, requests) = walk(&t, "/api/v1/master-record/BIG", 2345 / 5).await;
    assert_eq!((seen.len(), requests), (2345, 6));
}

#[tokio::test]
async fn upsert_inserts_then_updates_by_unique_field() {
    let t = T::start().await;
    let v = t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "V1", "name": "Acme"}, {"vendor_id": "V2", "name": "Globex"}])).await.expect(201);
    assert_eq!(v["insertedCount"], 2);
    assert_eq!(v["updatedCount"], 0);
    let ids: Vec<String> = serde_json::from_value(v["insertedIds"].clone()).unwrap();
    assert_eq!(ids.len(), 2);
    let v = t.post("/api/v1/master-record/VENDOR", json!([{"vendor_id": "V1", "name": "Acme Corp"}, {"vendor_id": "V3", "name": "Initech"}])).await.expect(201);
    assert_eq!(v["insertedCount"], 1);
    assert_eq!(v["updatedCount"], 1);
    assert_eq!(v["insertedIds"].as_array().unwrap().len(), 1, "only new documents are listed");
    let list = t.get("/api/v1/master-record/VENDOR?filter=vendor_id:eq:V1").await.expect(200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["customFields"]["name"], "Acme Corp");
    assert_eq!(list["rows"][0]["_id"], json!(ids[0]));
    // Fields are flat on input and land in customFields; the token's user is the author.
    assert_eq!(list["rows"][0]["createdBy"], "admin@exto360.com");
    // A row without any unique field always inserts.
    let v = t.post("/api/v1/master-record/VENDOR", json!([{"name": "No id"}, {"name": "No id"}])).await.expect(201);
    assert_eq!(v["insertedCount"], 2);
}

#[tokio::test]
async fn upsert_matches_within_the_project_scope() {
    let t = T::start().await;
    // BLR exists in Vx6-j2Z; written into p6iDlWb it is a new record there.
    let v = t.post_in("/api/v1/master-record/LOCATION", json!([{"code": "BLR", "name": "B2"}]), "p6iDlWb").await.expect(201);
    assert_eq!(v["insertedCount"], 1);
    let v = t.post_in("/api/v1/master-record/LOCATION", json!([{"code": "BLR", "name": "B3"}]), "Vx6-j2Z").await.expect(201);
    assert_eq!(v["updatedCount"], 1);
    let rows = t.get_in("/api/v1/master-record/LOCATION?filter=code:eq:BLR", "p6iDlWb").await.expect(200);
    assert_eq!(rows["rows"][0]["projectID"], "p6iDlWb");
    assert_eq!(rows["rows"][0]["customFields"]["name"], "B2");
}

#[tokio::test]
async fn bad_write_bodies_get_400_and_write_nothing() {
    let t = T::start().await;
    let p = "/api/v1/master-record/VENDOR";
    t.post(p, json!({"vendor_id": "x"})).await.error(400, "must be an array of objects");
    t.post(p, json!([])).await.error(400, "must not be an empty array");
    t.post(p, json!([{"vendor_id": "ok"}, 3])).await.error(400, "Item 1 must be an object, got a number");
    t.post(p, json!([{"_id": "67bfcbd6117e4e25e1d31dd3", "vendor_id": "a"}])).await.error(400, "Updating '_id' is not allowed");
    let many: Vec<Value> = (0..1001).map(|i| json!({"vendor_id": i})).collect();
    t.post(p, Value::Array(many)).await.error(400, "Maximum 1000 records allowed but received 1001");
    let r = t.http.post(t.url(p)).bearer_auth(&t.token).header("content-type", "application/json").body("[{\"vendor_id\": ").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["detail"][0].as_str().unwrap().starts_with("Malformed JSON body"));
    let r = t.http.post(t.url(p)).bearer_auth(&t.token).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 0);
}

#[tokio::test]
async fn oversize_bodies_get_413_with_envelope() {
    let t = T::start().await;
    t.admin("PATCH", "/config", Some(json!({"maxBodyBytes": 1024}))).await;
    let big: Vec<Value> = (0..200).map(|i| json!({"vendor_id": format!("vendor-{i}")})).collect();
    t.post("/api/v1/master-record/VENDOR", Value::Array(big)).await.error(413, "exceeds 1024 bytes");
    assert_eq!(t.get("/api/v1/master-record/VENDOR").await.expect(200)["total"], 0);
}

#[tokio::test]
async fn module_upsert_needs_an_active_user_of_the_tenant() {
    let mut d = Dataset::demo();
    d.tenants.push(serde_json::from_value(json!({
        "id": "otherT", "tokens": [{"token": "other-token", "user": "x@other.com"}],
        "users": [{"user": {"userName": "outsider@other.com", "status": 1}}]
    })).unwrap());
    let t = T::with_dataset(d).await;
    let p = "/api/v1/module-record/CUSTOMMODULE";
    t.post(p, json!([{"ref_no": "R-9"}])).await.error(400, "userName is required");
    t.post(&format!("{p}?userName=retired@exto360.com"), json!([{"ref_no": "R-9"}])).await.error(400, "User not found or active");
    t.post(&format!("{p}?userName=ghost@exto360.com"), json!([{"ref_no": "R-9"}])).await.error(400, "User not found or active");
    t.post(&format!("{p}?userName=outsider@other.com"), json!([{"ref_no": "R-9"}])).await.error(403, "User not authorized to make this transaction");
    let v = t.post_in(&format!("{p}?userName=JohnDoe@exto360.com"), json!([{"ref_no": "R-9", "title": "New"}, {"ref_no": "R-1", "title": "Changed"}]), "Vx6-j2Z").await.expect(201);
    assert_eq!((v["insertedCount"].clone(), v["updatedCount"].clone()), (json!(1), json!(1)));
    let rows = t.get("/api/v1/module-record/CUSTOMMODULE?filter=ref_no:eq:R-9").await.expect(200);
    let r = &rows["rows"][0];
    assert_eq!(r["recordNumber"], "MOD-4");
    assert_eq!(r["status"], "Draft");
    assert_eq!(r["createdBy"], "johndoe@exto360.com");
    assert_eq!(r["workflowId"].as_str().unwrap().len(), 24);
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_envelope() {
    let t = T::start().await;
    t.get("/api/v1/nothing-here").await.error(404, "No route for GET /api/v1/nothing-here");
    t.send("PUT", "/api/v1/master-record/LOCATION", Some(json!([])), &[]).await.error(405, "No route for PUT");
}

#[tokio::test]
async fn user_list_shape_can_be_flat() {
    let t = T::with(Emulator::builder().rate_limit(None).settings(exto360_emulator::Settings {
        rate_limit: None,
        user_list_shape: UserListShape::Flat,
        list_shape: ListShape::Array,
        ..Default::default()
    }))
    .await;
    let v = t.get("/api/v1/user/user-access").await.expect(200);
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert!(v[0]["user"].is_object());
    assert!(t.get("/api/v1/master-record/LOCATION").await.expect(200).is_array());
}

#[test]
fn spawned_emulator_works_without_a_runtime_and_stops() {
    install_crypto();
    let emu = Emulator::builder().rate_limit(None).spawn().unwrap();
    let url = emu.url();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = rt.block_on(async { reqwest::get(format!("{url}/api/v1/health/readiness")).await.unwrap().status() });
    assert_eq!(status, 200);
    emu.stop();
    let after = rt.block_on(async { reqwest::get(format!("{url}/api/v1/health/readiness")).await });
    assert!(after.is_err(), "the port is closed after stop()");
}
