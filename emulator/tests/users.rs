//! §6: user access round trips.
mod common;
use common::*;
use serde_json::{Value, json};

fn grant_body(name: &str) -> Value {
    json!({
        "user": {"userName": name, "firstName": "Jane", "lastName": "Doe", "fullName": "Jane Doe", "email": name,
                 "applicationRole": "PME", "loginMethod": "NATIVE", "company": "", "status": 1,
                 "verifyEmailOTP": false, "autoRenewMSAccessToken": false},
        "projects": [{"projectId": "p6iDlWb", "groups": ["Ops"], "spaces": ["S1"]}],
        "groups": ["G1"]
    })
}

#[tokio::test]
async fn list_answers_the_nested_array_of_users() {
    let t = T::start().await;
    let v = t.get("/api/v1/user/user-access?page=1&pageSize=1000").await.expect(200);
    let users = v[0].as_array().expect("[[users]]");
    assert_eq!(users.len(), 4);
    assert_eq!(users[0]["user"]["userName"], "admin@exto360.com");
    assert_eq!(users[1]["projects"][0]["projectID"], "Vx6-j2Z");
    let v = t.get("/api/v1/user/user-access?page=2&pageSize=3").await.expect(200);
    assert_eq!(v[0].as_array().unwrap().len(), 1);
    t.get("/api/v1/user/user-access?pageSize=1001").await.error(400, "Page size must be between 1 and 1000");
}

#[tokio::test]
async fn grant_creates_then_extends_access() {
    let t = T::start().await;
    let v = t.post("/api/v1/user/user-access", grant_body("jane@exto360.com")).await.expect(200);
    assert_eq!(v["insertedCount"], 1);
    assert_eq!(v["insertedIds"].as_array().unwrap().len(), 1);
    let u = t.get("/api/v1/user/user-access/by-user?username=JANE@exto360.com").await.expect(200);
    assert_eq!(u["user"]["fullName"], "Jane Doe");
    assert_eq!(u["groups"], json!(["G1"]));
    assert_eq!(u["projects"], json!([{"projectID": "p6iDlWb", "groups": ["Ops"], "spaces": ["S1"]}]));
    // The [V] body adds a project to the same user.
    let v = t.post("/api/v1/user/user-access", json!({"username": "jane@exto360.com", "projects": ["Vx6-j2Z"], "groups": ["G2"]})).await.expect(200);
    assert_eq!((v["insertedCount"].clone(), v["updatedCount"].clone()), (json!(0), json!(1)));
    let u = t.get("/api/v1/user/user-access/by-user?username=jane@exto360.com").await.expect(200);
    assert_eq!(u["groups"], json!(["G1", "G2"]));
    assert_eq!(u["projects"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn grant_validation() {
    let t = T::start().await;
    let p = "/api/v1/user/user-access";
    let mut b = grant_body("jane@exto360.com");
    b["user"]["email"] = json!("other@exto360.com");
    t.post(p, b).await.error(400, "E-mail address and user name must be the same");
    let mut b = grant_body("jane@exto360.com");
    b["projects"] = Value::Array((0..101).map(|_| json!("p6iDlWb")).collect());
    t.post(p, b).await.error(400, "Projects length must not exceed 100");
    let mut b = grant_body("jane@exto360.com");
    b["groups"] = Value::Array((0..101).map(|_| json!("G1")).collect());
    t.post(p, b).await.error(400, "Groups length must not exceed 100");
    let mut b = grant_body("jane@exto360.com");
    b["projects"][0]["projectId"] = json!("zzz");
    t.post(p, b).await.error(400, "Project not found for id: zzz");
    let mut b = grant_body("jane@exto360.com");
    b["projects"][0]["groups"] = json!(["GG3"]);
    t.post(p, b).await.error(400, "Group GG3 not found in project p6iDlWb");
    let mut b = grant_body("jane@exto360.com");
    b["groups"] = json!(["NoSuch"]);
    t.post(p, b).await.error(400, "Group NoSuch not found");
    t.post(p, json!({"username": "ghost@exto360.com", "projects": ["p6iDlWb"]})).await.error(400, "not found");
    t.post(p, json!({"projects": []})).await.error(400, "Username is mandatory");
    t.post(p, json!({"username": "", "projects": []})).await.error(400, "Username must not be empty");
    t.post(p, json!({"username": 7, "projects": []})).await.error(400, "username must be a string, got a number");
    t.post(p, json!([1])).await.error(400, "must be an object");
    // Nothing of the above was written.
    assert_eq!(t.get("/api/v1/user/user-access").await.expect(200)[0].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn by_user_needs_a_known_username() {
    let t = T::start().await;
    t.get("/api/v1/user/user-access/by-user").await.error(400, "Username is mandatory");
    t.get("/api/v1/user/user-access/by-user?username=ghost@exto360.com").await.error(404, "User ghost@exto360.com not found.");
    let u = t.get("/api/v1/user/user-access/by-user?username=jasonsmith@exto360.com").await.expect(200);
    assert_eq!(u["user"]["employeeId"], "EMP123456");
}

#[tokio::test]
async fn groups_with_either_flag_spelling() {
    let t = T::start().await;
    let all = t.get("/api/v1/user/groups").await.expect(200);
    assert_eq!(all[0]["groups"], json!(["G1", "G2", "Group3", "Group4"]));
    assert_eq!(all[0]["projects"][0], json!({"projectID": "Vx6-j2Z", "groups": ["GG3", "QA"], "spaces": ["S1", "S2"]}));
    for flag in ["onlyProjectGroups", "onlyProjectsGroups"] {
        let v = t.get(&format!("/api/v1/user/groups?{flag}=true")).await.expect(200);
        assert_eq!(v[0]["groups"], json!([]), "{flag}");
        assert_eq!(v[0]["projects"].as_array().unwrap().len(), 2);
    }
    t.get("/api/v1/user/groups?onlyProjectGroups=maybe").await.error(400, "must be true or false");
}

#[tokio::test]
async fn activate_and_deactivate() {
    let t = T::start().await;
    let v = t.send("PATCH", "/api/v1/user/deactivate-users", Some(json!(["JohnDoe@exto360.com", "ghost@exto360.com"])), &[]).await.expect(200);
    assert_eq!((v["ok"].clone(), v["nMatched"].clone(), v["nModified"].clone()), (json!(1), json!(1), json!(1)));
    // A deactivated user can no longer act.
    t.post("/api/v1/module-record/CUSTOMMODULE?userName=johndoe@exto360.com", json!([{"ref_no": "X"}])).await.error(400, "User not found or active");
    let v = t.send("PATCH", "/api/v1/user/activate-users", Some(json!(["johndoe@exto360.com", "admin@exto360.com"])), &[]).await.expect(200);
    assert_eq!((v["nMatched"].clone(), v["nModified"].clone()), (json!(2), json!(1)));
    t.post("/api/v1/module-record/CUSTOMMODULE?userName=johndoe@exto360.com", json!([{"ref_no": "X"}])).await.expect(201);
    let too_many: Vec<Value> = (0..1001).map(|i| json!(format!("u{i}"))).collect();
    t.send("PATCH", "/api/v1/user/activate-users", Some(Value::Array(too_many)), &[]).await.error(400, "Maximum 1000 usernames allowed but received 1001");
    t.send("PATCH", "/api/v1/user/activate-users", Some(json!([])), &[]).await.error(400, "At least one username is required");
    t.send("PATCH", "/api/v1/user/activate-users", Some(json!({"u": 1})), &[]).await.error(400, "must be an array of usernames");
}

#[tokio::test]
async fn remove_access_and_project_access() {
    let t = T::start().await;
    let v = t.send("DELETE", "/api/v1/user/user-access", Some(json!({"username": "admin@exto360.com", "projects": ["p6iDlWb"], "groups": ["G1", "GG3"]})), &[]).await.expect(200);
    assert_eq!(v, json!({"status": "success"}));
    let u = t.get("/api/v1/user/user-access/by-user?username=admin@exto360.com").await.expect(200);
    assert_eq!(u["groups"], json!([]));
    assert_eq!(u["projects"], json!([{"projectID": "Vx6-j2Z", "groups": [], "spaces": ["S1", "S2"]}]));
    let v = t.send("DELETE", "/api/v1/user/project-access", Some(json!({"username": "admin@exto360.com", "projectIds": ["Vx6-j2Z"]})), &[]).await.expect(200);
    assert_eq!(v["status"], "success");
    let u = t.get("/api/v1/user/user-access/by-user?username=admin@exto360.com").await.expect(200);
    assert_eq!(u["projects"], json!([]));
    t.send("DELETE", "/api/v1/user/user-access", Some(json!({"projects": []})), &[]).await.error(400, "Username is mandatory");
    t.send("DELETE", "/api/v1/user/user-access", Some(json!({"username": "admin@exto360.com"})), &[]).await.error(400, "projects is required");
    let hundred_one: Vec<Value> = (0..101).map(|i| json!(format!("p{i}"))).collect();
    t.send("DELETE", "/api/v1/user/project-access", Some(json!({"username": "admin@exto360.com", "projectIds": hundred_one})), &[]).await.error(400, "Projects length must not exceed 100");
    t.send("DELETE", "/api/v1/user/project-access", Some(json!({"username": "admin@exto360.com"})), &[]).await.error(400, "projectIds is required");
    t.send("DELETE", "/api/v1/user/project-access", Some(json!({"username": "ghost@x.com", "projectIds": []})), &[]).await.error(404, "User ghost@x.com not found.");
}
