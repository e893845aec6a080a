//! Documents, workspaces and job status (REFERENCE.md §6A).
mod common;
use std::io::Read;

use common::*;
use exto360_emulator::Emulator;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const DOCS: &str = "/api/v1/documents";
const SCOPE: [(&str, &str); 2] = [("x-tenant-id", "cwWdTZK"), ("x-project-id", "Vx6-j2Z")];

fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string()).mime_str("text/plain").unwrap()
}

impl T {
    async fn upload(&self, form: Form, headers: &[(&str, &str)]) -> Resp {
        let mut rb = self.http.post(self.url(DOCS)).header("authorization", format!("Bearer {}", self.token)).multipart(form);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.expect("upload is answered");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.json().await.unwrap_or(Value::Null);
        Resp { status, headers, body }
    }
    async fn bytes(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut rb = self.http.get(self.url(path)).header("authorization", format!("Bearer {}", self.token));
        for (k, v) in SCOPE {
            rb = rb.header(k, v);
        }
        let r = rb.send().await.unwrap();
        (r.status().as_u16(), r.headers().clone(), r.bytes().await.unwrap().to_vec())
    }
    async fn set(&self, cfg: Value) {
        self.admin("PATCH", "/config", Some(cfg)).await;
    }
    fn last_journal(&self) -> Value {
        self.emu.journal().last().cloned().expect("a journal entry")
    }
}

#[tokio::test]
async fn upload_stores_the_files_as_sent_and_the_journal_summarises_them() {
    let t = T::start().await;
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let form = Form::new()
        .part("files", file("a.txt", b"hello".to_vec()))
        .part("files", Part::bytes(big.clone()).file_name("b.bin"))
        .text("module", "CUSTOMMODULE")
        .text("ID", "67bf0000000000000000abcd")
        .text("meta", r#"{"category": "photos"}"#)
        .text("scope", r#"["PROJECT"]"#)
        .text("folderID", "F1");
    let body = t.upload(form, &SCOPE).await.expect(200);
    assert_eq!((body["uploadedCount"].clone(), body["failedCount"].clone()), (json!(2), json!(0)), "{body}");
    assert_eq!(body["errors"], json!([]));
    let data = body["data"].as_array().unwrap();
    assert_eq!(data[0]["fileName"], "a.txt");
    assert_eq!(data[0]["fileSize"], 5);
    assert_eq!(data[1]["fileSize"], 300_000);
    assert_eq!(data[0]["meta"], json!({"category": "photos"}));
    assert_eq!(data[0]["scope"], json!(["PROJECT"]));
    assert!(data[0]["locationPath"].as_str().unwrap().ends_with("/v1/a.txt"), "{}", data[0]);
    let j = t.last_journal();
    assert_eq!(j["body"]["files"], json!([{"fileName": "a.txt", "contentType": "text/plain", "size": 5}, {"fileName": "b.bin", "contentType": "application/octet-stream", "size": 300000}]));
    assert_eq!(j["body"]["fields"]["module"], "CUSTOMMODULE");
    assert_eq!(j["applied"], true);

    let id = data[1]["documentId"].as_str().unwrap();
    let (status, headers, bytes) = t.bytes(&format!("/api/v1/documents/download/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, big, "the bytes come back exactly");
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert!(headers["content-disposition"].to_str().unwrap().contains("filename=\"b.bin\""));
    assert_eq!(headers["content-length"], "300000");
}

#[tokio::test]
async fn an_oversize_file_fails_alone_and_the_answer_is_a_200_with_errors() {
    let t = T::start().await;
    t.set(json!({"maxFileBytes": 10})).await;
    let form = Form::new().part("files", file("ok.txt", b"0123456789".to_vec())).part("files", file("big.txt", vec![b'x'; 11])).part("files", file("ok2.txt", b"x".to_vec()));
    let body = t.upload(form, &SCOPE).await.expect(200);
    assert_eq!(body["message"], "errors.error_partial_upload");
    assert_eq!((body["uploadedCount"].clone(), body["failedCount"].clone()), (json!(2), json!(1)));
    assert_eq!(body["errors"], json!([{"fileName": "big.txt", "message": "errors.error_file_too_large"}]));
    let names: Vec<&str> = body["data"].as_array().unwrap().iter().map(|d| d["fileName"].as_str().unwrap()).collect();
    assert_eq!(names, ["ok.txt", "ok2.txt"]);
    // Every file failed: still 200, nothing stored.
    let all_bad = Form::new().part("files", file("big.txt", vec![b'x'; 11]));
    let body = t.upload(all_bad, &SCOPE).await.expect(200);
    assert_eq!((body["message"].clone(), body["uploadedCount"].clone(), body["failedCount"].clone()), (json!("errors.error_upload_failed"), json!(0), json!(1)));
}

#[tokio::test]
async fn upload_refusals_say_what_is_wrong_even_after_a_large_body() {
    let t = T::start().await;
    let big = || Form::new().part("files", Part::bytes(vec![0u8; 5 << 20]).file_name("big.bin"));
    t.upload(big(), &[("x-project-id", "Vx6-j2Z")]).await.error(400, "x-tenant-id header is required");
    t.upload(big(), &[("x-tenant-id", "cwWdTZK")]).await.error(400, "x-project-id header is required");
    t.upload(Form::new().text("module", "M"), &SCOPE).await.error(400, "At least one file is required");
    t.upload(Form::new().part("files", file("a", vec![1])).text("module", "CUSTOMMODULE"), &SCOPE).await.error(400, "ID is required when module is given");
    t.upload(Form::new().part("files", file("a", vec![1])).text("meta", "[1]"), &SCOPE).await.error(400, "meta must be a JSON object");
    t.upload(Form::new().part("files", file("a", vec![1])).text("scope", "PROJECT"), &SCOPE).await.error(400, "scope must be a JSON array");
    t.upload(Form::new().part("attachment", file("a", vec![1])), &SCOPE).await.error(400, "Unexpected file field 'attachment'");
    t.upload(Form::new().part("files", file("a", vec![1])).text("parentID", "nope"), &SCOPE).await.error(404, "errors.error_document_not_found");
    let mut many = Form::new();
    for i in 0..101 {
        many = many.part("files", file(&format!("f{i}"), vec![1]));
    }
    t.upload(many, &SCOPE).await.error(400, "Maximum 100 files allowed but received 101");
    let r = t.send("POST", DOCS, Some(json!({"files": []})), &SCOPE).await;
    r.error(400, "Content-Type must be multipart/form-data");
    // A project of another tenant's token, and a bad token, are refused after the body is read.
    t.upload(big(), &[("x-tenant-id", "cwWdTZK"), ("x-project-id", "nope")]).await.error(403, "Project not found");
    let world_docs = t.emu.shared().world().tenants[0].documents.docs.len();
    assert_eq!(world_docs, 3, "nothing was stored by refused uploads (the demo has 3)");
}

#[tokio::test]
async fn uploads_are_streamed_past_the_body_limit_and_faults_still_answer() {
    let t = T::start().await;
    t.set(json!({"maxBodyBytes": 1000})).await;
    let body = t.upload(Form::new().part("files", Part::bytes(vec![7u8; 200_000]).file_name("x.bin")), &SCOPE).await.expect(200);
    assert_eq!(body["uploadedCount"], 1, "an upload is not bound by maxBodyBytes");
    t.admin("POST", "/faults", Some(json!({"faults": [{"kind": "status", "status": 503, "path": DOCS, "times": 1}]}))).await;
    t.upload(Form::new().part("files", Part::bytes(vec![7u8; 3 << 20]).file_name("y.bin")), &SCOPE).await.error(503, "Injected fault");
    let j = t.last_journal();
    assert_eq!((j["status"].clone(), j["applied"].clone(), j["fault"].clone()), (json!(503), json!(false), json!("status")));
}

#[tokio::test]
async fn a_large_json_body_within_max_body_bytes_is_accepted() {
    // The pipeline's `maxBodyBytes` (32 MiB) is the only limit on JSON bodies.
    let t = T::start().await;
    let body = json!((0..1000).map(|i| json!({"vendor_id": format!("V{i}"), "note": "y".repeat(3000)})).collect::<Vec<_>>());
    assert!(serde_json::to_vec(&body).unwrap().len() > 2 << 20, "over axum's default limit of 2 MiB");
    t.post("/api/v1/master-record/VENDOR", body).await.expect(201);
}

#[tokio::test]
async fn versions_downloads_and_their_errors() {
    let t = T::start().await;
    let docs = t.emu.shared().world().tenants[0].documents.docs.clone();
    let report = &docs[0];
    let dl = format!("/api/v1/documents/download/{}", report.id);
    assert_eq!(t.bytes(&dl).await.2, b"Pump inspection: signed report\n", "the current version");
    assert_eq!(t.bytes(&format!("{dl}?version=v1")).await.2, b"Pump inspection: first draft\n");
    // A new version by parentID.
    let form = Form::new().part("files", file("inspection-report.txt", b"third".to_vec())).text("parentID", report.id.clone());
    let body = t.upload(form, &SCOPE).await.expect(200);
    assert_eq!((body["data"][0]["documentId"].as_str(), body["data"][0]["version"].as_str()), (Some(report.id.as_str()), Some("v3")));
    assert_eq!(t.bytes(&dl).await.2, b"third");
    // Errors: unknown version, unknown id, another project, no scope headers.
    let (s, _, b) = t.bytes(&format!("{dl}?version=v9")).await;
    assert_eq!(s, 404);
    assert!(String::from_utf8_lossy(&b).contains("errors.error_document_not_found"));
    assert_eq!(t.bytes("/api/v1/documents/download/67bf00000000000000000000").await.0, 404);
    let other = t.send("GET", &dl, None, &[("x-tenant-id", "cwWdTZK"), ("x-project-id", "p6iDlWb")]).await;
    other.error(404, "errors.error_document_not_found");
    t.send("GET", &dl, None, &[("x-project-id", "Vx6-j2Z")]).await.error(400, "x-tenant-id header is required");
    // A seeded document whose file is gone.
    let mut d = exto360_emulator::Dataset::demo();
    d.tenants[0].documents[2].missing = true;
    let t2 = T::with_dataset(d).await;
    let gone = t2.emu.shared().world().tenants[0].documents.docs[2].id.clone();
    let r = t2.send("GET", &format!("/api/v1/documents/download/{gone}"), None, &SCOPE).await;
    r.error(404, "errors.error_document_file_missing");
}

#[tokio::test]
async fn download_all_is_a_real_zip_of_the_records_attachments() {
    let t = T::start().await;
    let record = t.emu.shared().world().tenants[0].modules["CUSTOMMODULE"].records[0].oid.clone();
    // A second file named like the first gets a distinct entry name.
    let form = Form::new().part("files", file("pump-photo.jpg", b"again".to_vec())).text("module", "CUSTOMMODULE").text("ID", record.clone());
    t.upload(form, &SCOPE).await.expect(200);
    let (status, headers, bytes) = t.bytes(&format!("/api/v1/documents/download/all/{record}?module=CUSTOMMODULE")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/zip");
    assert!(headers["content-disposition"].to_str().unwrap().contains(&format!("filename=\"{record}_attachments.zip\"")));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip");
    let names: Vec<String> = zip.file_names().map(|n| n.expect("a valid name").into_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["inspection-report.txt", "pump-photo (2).jpg", "pump-photo.jpg"]);
    let mut text = String::new();
    zip.by_name("inspection-report.txt").unwrap().read_to_string(&mut text).unwrap();
    assert_eq!(text, "Pump inspection: signed report\n", "the current version of each document");
    assert_eq!(zip.by_name("pump-photo.jpg").unwrap().size(), 4096);
    t.send("GET", &format!("/api/v1/documents/download/all/{record}"), None, &SCOPE).await.error(400, "module is required");
    t.send("GET", "/api/v1/documents/download/all/nothing?module=CUSTOMMODULE", None, &SCOPE).await.error(404, "errors.error_no_documents_found");
}

#[tokio::test]
async fn truncate_fault_cuts_a_download_short() {
    let t = T::start().await;
    let id = t.emu.shared().world().tenants[0].documents.docs[1].id.clone();
    t.admin("POST", "/faults", Some(json!({"faults": [{"kind": "truncate", "path": "/api/v1/documents/download", "times": 1}]}))).await;
    let r = t.http.get(t.url(&format!("/api/v1/documents/download/{id}"))).header("authorization", format!("Bearer {}", t.token)).header("x-tenant-id", "cwWdTZK").header("x-project-id", "Vx6-j2Z").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err(), "the body breaks off");
}

// ------------------------------------------------------------------------------ workspaces

#[tokio::test]
async fn workspaces_create_list_get_update_and_no_delete() {
    let t = T::start().await;
    let list = t.get("/api/v1/workspace").await.expect(200);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "a bare array: {list}");
    let west = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[1]["parentId"], json!(west));
    let made = t.post("/api/v1/workspace", json!({"name": "East", "parentId": west})).await.expect(201);
    let id = made["id"].as_str().unwrap();
    assert_eq!((made["name"].clone(), made["parentId"].clone()), (json!("East"), json!(west)));
    assert!(made["createdAt"].is_string() && made["updatedAt"].is_string());
    assert_eq!(t.get(&format!("/api/v1/workspace/{id}")).await.expect(200), made);
    let moved = t.send("PATCH", &format!("/api/v1/workspace/{id}"), Some(json!({"name": "East Region", "parentId": null})), &[]).await.expect(200);
    assert_eq!((moved["name"].clone(), moved["parentId"].clone()), (json!("East Region"), Value::Null));
    // Paging, sort and filter.
    let page = t.get("/api/v1/workspace?page=2&pageSize=2").await.expect(200);
    assert_eq!(page.as_array().unwrap().len(), 1);
    let sorted = t.get("/api/v1/workspace?sort=-name").await.expect(200);
    assert_eq!(sorted[0]["name"], "West Region");
    let found = t.get("/api/v1/workspace?filter=name:sw:east").await.expect(200);
    assert_eq!(found.as_array().unwrap().len(), 1);
    // Errors.
    t.post("/api/v1/workspace", json!({"parentId": west})).await.error(400, "name is required");
    t.post("/api/v1/workspace", json!({"name": "x", "parentId": "nope"})).await.error(400, "Parent workspace not found");
    t.send("PATCH", &format!("/api/v1/workspace/{west}"), Some(json!({"name": "W", "parentId": list[1]["id"]})), &[]).await.error(400, "cannot be moved under itself");
    t.get("/api/v1/workspace/nope").await.error(404, "Workspace not found");
    t.send("DELETE", &format!("/api/v1/workspace/{id}"), None, &[]).await.error(405, "No route");
    t.get("/api/v1/workspace?pageSize=1001").await.error(400, "Page size must be between 1 and 1000");
}

// ------------------------------------------------------------------------------ job status

#[tokio::test]
async fn jobs_are_created_listed_updated_and_logged() {
    let t = T::start().await;
    let made = t.post_in("/api/v1/jobstatus", json!({"title": "Load plants", "type": "Load", "meta": {"rows": 3}}), "Vx6-j2Z").await.expect(201);
    let id = made["id"].as_str().unwrap().to_string();
    let list = t.get("/api/v1/jobstatus/Vx6-j2Z").await.expect(200);
    assert_eq!((list["total"].clone(), list["page"].clone(), list["pageSize"].clone()), (json!(3), json!(1), json!(50)));
    let newest = &list["data"][0];
    assert_eq!((newest["_id"].as_str(), newest["jobTitle"].as_str(), newest["jobType"].as_str(), newest["status"].as_str()), (Some(id.as_str()), Some("Load plants"), Some("Load"), Some("Not Started")));
    assert_eq!((newest["tenantID"].clone(), newest["projectID"].clone(), newest["createdBy"].clone()), (json!("cwWdTZK"), json!("Vx6-j2Z"), json!("admin@exto360.com")));
    let up = t.send("PUT", &format!("/api/v1/jobstatus/{id}"), Some(json!({"status": "Completed", "duration": 1500, "completedAt": "2025-02-27T02:30:00.000Z"})), &[]).await.expect(200);
    assert_eq!(up, json!({"message": "Job updated successfully."}));
    let logged = t.post(&format!("/api/v1/jobstatus/{id}/logs"), json!({"message": "3 rows", "level": "info", "duration": 10})).await.expect(200);
    assert_eq!(logged, json!({"success": true}));
    let job = t.get("/api/v1/jobstatus/Vx6-j2Z").await.expect(200)["data"][0].clone();
    assert_eq!((job["status"].clone(), job["duration"].clone()), (json!("Completed"), json!(1500)));
    assert_eq!(job["log"][0]["message"], "3 rows");
    assert!(job["log"][0]["timeStamp"].is_string());
    // Errors.
    t.post("/api/v1/jobstatus", json!({"jobTitle": "x", "jobType": "Nope", "projectID": "Vx6-j2Z"})).await.error(400, "jobType must be one of");
    t.post("/api/v1/jobstatus", json!({"jobTitle": "x", "jobType": "Load"})).await.error(400, "projectID is required");
    t.post("/api/v1/jobstatus", json!({"jobTitle": "x", "jobType": "Load", "projectID": "zzz"})).await.error(400, "Project not found");
    t.post("/api/v1/jobstatus", json!({"jobType": "Load", "projectID": "Vx6-j2Z"})).await.error(400, "jobTitle is required");
    t.send("PUT", &format!("/api/v1/jobstatus/{id}"), Some(json!({"status": "Done"})), &[]).await.error(400, "status must be one of");
    t.send("PUT", "/api/v1/jobstatus/nope", Some(json!({"status": "Failed"})), &[]).await.error(404, "Job not found");
    t.post(&format!("/api/v1/jobstatus/{id}/logs"), json!({"level": "info"})).await.error(400, "message is required");
    t.post("/api/v1/jobstatus/nope/logs", json!({"message": "x"})).await.error(404, "Job not found");
}

#[tokio::test]
async fn the_job_list_pages_at_50_and_caps_the_page_size_at_200() {
    let t = T::with(Emulator::builder().rate_limit(None)).await;
    for i in 0..205 {
        t.post("/api/v1/jobstatus", json!({"jobTitle": format!("J{i}"), "jobType": "Copy", "projectID": "p6iDlWb"})).await.expect(201);
    }
    let first = t.get("/api/v1/jobstatus/p6iDlWb").await.expect(200);
    assert_eq!((first["data"].as_array().unwrap().len(), first["total"].clone()), (50, json!(205)));
    assert_eq!(first["data"][0]["jobTitle"], "J204", "newest first");
    let capped = t.get("/api/v1/jobstatus/p6iDlWb?pageSize=500").await.expect(200);
    assert_eq!((capped["data"].as_array().unwrap().len(), capped["pageSize"].clone()), (200, json!(200)));
    let last = t.get("/api/v1/jobstatus/p6iDlWb?page=2&pageSize=200").await.expect(200);
    assert_eq!(last["data"].as_array().unwrap().len(), 5);
    t.get("/api/v1/jobstatus/p6iDlWb?pageSize=0").await.error(400, "Page size must be between 1 and 200");
    t.get("/api/v1/jobstatus/p6iDlWb?page=0").await.error(400, "Page must be greater than 0");
    assert_eq!(t.get("/api/v1/jobstatus/Vx6-j2Z").await.expect(200)["total"], 2, "per project");
}
