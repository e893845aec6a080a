//! Sub-tables, workflow, users and health: every operation's request and answer.
mod common;
use common::*;
use exto360::{ActOptions, ErrorKind, GrantAccess, ListOptions, UserProfile};
use futures_util::TryStreamExt;
use serde_json::json;

#[tokio::test]
async fn health_probes() {
    let env = Env::start().await;
    let c = env.client();
    let l = c.health().liveness().await.unwrap();
    assert!(l.ok);
    assert!(l.cpu_percent.is_some() && l.mem_percent.is_some());
    assert!(c.health().readiness().await.unwrap().ok);
    let paths: Vec<_> = env.journal().iter().map(|e| e["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, vec!["/api/v1/health/liveness", "/api/v1/health/readiness"]);
}

#[tokio::test]
async fn sub_table_upsert_sends_the_parent_under_both_names() {
    let env = Env::start().await;
    let parent = env.stored("modules", "CUSTOMMODULE")[0]["_id"].as_str().unwrap().to_string();
    let c = env.client();
    let rows: Vec<_> = (0..1500).map(|i| json!({"qty": i})).collect();
    let res = c.sub_table("Lines").upsert(&rows, "CUSTOMMODULE", &parent).await.unwrap();
    assert_eq!(res.inserted_count, 1500);
    let reqs = env.journal();
    assert_eq!(reqs.len(), 2);
    let e = &reqs[0];
    assert!(e["path"].as_str().unwrap().ends_with("/api/v1/sub-table/Lines"));
    assert_eq!(param(e, "moduleName").as_deref(), Some("CUSTOMMODULE"));
    assert_eq!(param(e, "recordName"), Some(parent.clone()));
    assert_eq!(param(e, "recordId"), Some(parent.clone()));
    let world = env.emu.shared().world();
    let coll = &world.tenants[0].modules["CUSTOMMODULE"];
    let pos = coll.by_oid[&parent];
    assert_eq!(coll.records[pos].sub_tables["Lines"].len(), 1500);
    drop(world);
    let e = c.sub_table("Lines").upsert(&[json!({})], "CUSTOMMODULE", "67bf00000000000000000000").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    let e = c.sub_table("Lines").upsert(&[json!({})], "", &parent).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn workflow_act_in_a_project_needs_a_space() {
    let env = Env::start().await;
    let c = env.builder().project_id("Vx6-j2Z").build().unwrap();
    let draft = env.stored("modules", "CUSTOMMODULE")[0]["_id"].as_str().unwrap().to_string();
    let e = c.workflow("CUSTOMMODULE").act(&[&draft], &ActOptions::new("Submit", "johndoe@exto360.com")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(env.journal().is_empty());
    let out = c.workflow("CUSTOMMODULE").act(&[&draft], &ActOptions::new("Submit", "johndoe@exto360.com").space("S1")).await.unwrap();
    assert_eq!(out[0].record_id, draft);
    assert_eq!(out[0].workflow_id.len(), 24);
    assert_eq!(param(&env.journal()[0], "spaceName").as_deref(), Some("S1"));
    let e = c.workflow("CUSTOMMODULE").act(&[&draft], &ActOptions::new("Submit", "johndoe@exto360.com").space("S1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert!(e.details()[0].contains("not valid from step 'Submitted'"));
    let e = c.workflow("CUSTOMMODULE").act(&[""], &ActOptions::new("Submit", "u").space("S1")).await.unwrap_err();
    assert!(e.message().contains("record_ids[0]"));
    assert!(c.workflow("CUSTOMMODULE").act::<&str>(&[], &ActOptions::new("Submit", "u").space("S1")).await.unwrap().is_empty());
}

#[tokio::test]
async fn user_access_round_trip() {
    let env = Env::start().await;
    let users = env.client().users();
    let mut profile = UserProfile::new("jane@exto360.com");
    profile.first_name = Some("Jane".into());
    profile.application_role = Some("PME".into());
    profile.login_method = Some("NATIVE".into());
    profile.status = Some(1);
    let grant = GrantAccess::new("jane@exto360.com").profile(profile).project("p6iDlWb", ["Ops"], ["S1"]).group("G1");
    let res = users.grant_access(&grant).await.unwrap();
    assert_eq!((res.inserted_count, res.inserted_ids.len()), (1, 1));
    let sent = &env.journal()[0]["body"];
    assert_eq!(sent["user"]["userName"], "jane@exto360.com");
    assert_eq!(sent["user"]["email"], "jane@exto360.com");
    assert_eq!(sent["projects"], json!([{"projectId": "p6iDlWb", "groups": ["Ops"], "spaces": ["S1"]}]));
    assert_eq!(sent["groups"], json!(["G1"]));

    let jane = users.get("JANE@exto360.com").await.unwrap();
    assert_eq!(jane.user.first_name.as_deref(), Some("Jane"));
    assert_eq!(jane.groups, vec!["G1"]);
    assert_eq!(jane.projects[0].project_id, "p6iDlWb");
    assert_eq!(param(&env.journal()[1], "username").as_deref(), Some("JANE@exto360.com"));

    let page = users.list(1, 1000).await.unwrap();
    assert_eq!(page.rows.len(), 5);
    let all: Vec<_> = users.iter().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    let jason = all.iter().find(|u| u.user.user_name == "jasonsmith@exto360.com").unwrap();
    assert_eq!(jason.user.employee_id.as_deref(), Some("EMP123456"));
    assert_eq!(jason.user.auto_renew_ms_access_token, Some(true));
    let small: Vec<_> = users.pages(2).try_collect().await.unwrap();
    assert_eq!(small.iter().map(|p| p.rows.len()).collect::<Vec<_>>(), vec![2, 2, 1]);

    let g = users.groups(false).await.unwrap();
    assert_eq!(g.groups, vec!["G1", "G2", "Group3", "Group4"]);
    assert_eq!(g.projects.len(), 2);
    let g = users.groups(true).await.unwrap();
    assert!(g.groups.is_empty());
    let last = env.journal().last().unwrap().clone();
    assert_eq!(param(&last, "onlyProjectGroups").as_deref(), Some("true"));
    assert_eq!(param(&last, "onlyProjectsGroups").as_deref(), Some("true"));

    let r = users.remove_access("jane@exto360.com", &["p6iDlWb"], &["G1"]).await.unwrap();
    assert_eq!(r.status.as_deref(), Some("success"));
    let jane = users.get("jane@exto360.com").await.unwrap();
    assert!(jane.projects.is_empty() && jane.groups.is_empty());
    users.grant_access(&GrantAccess::new("jane@exto360.com").project("Vx6-j2Z", Vec::<String>::new(), Vec::new())).await.unwrap();
    let r = users.remove_project_access("jane@exto360.com", &["Vx6-j2Z"]).await.unwrap();
    assert_eq!(r.status.as_deref(), Some("success"));
    let del = env.journal().last().unwrap().clone();
    assert_eq!(del["method"], "DELETE");
    assert_eq!(del["body"], json!({"username": "jane@exto360.com", "projectIds": ["Vx6-j2Z"]}));
}

#[tokio::test]
async fn unsplittable_user_lists_are_refused_before_sending() {
    let env = Env::start().await;
    let users = env.client().users();
    let many: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
    let mut g = GrantAccess::new("a@x.com");
    for p in &many {
        g = g.project(p.clone(), Vec::<String>::new(), Vec::new());
    }
    for e in [
        users.grant_access(&g).await.unwrap_err(),
        users.remove_access("a@x.com", &many, &[]).await.unwrap_err(),
        users.remove_project_access("a@x.com", &many).await.unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("at most 100"), "{e}");
    }
    let mut bad = GrantAccess::new("a@x.com");
    bad.user.email = Some("b@x.com".into());
    assert!(users.grant_access(&bad).await.unwrap_err().message().contains("must be the same"));
    assert!(users.get("").await.is_err());
    assert!(users.list(0, 10).await.is_err());
    assert!(users.list(1, 1001).await.is_err());
    assert!(env.journal().is_empty());
}

#[tokio::test]
async fn modules_iterate_like_masters() {
    let env = Env::start().await;
    let rows: Vec<exto360::Record> = env.client().modules("CUSTOMMODULE").iter(ListOptions::new().page_size(1)).try_collect().await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(env.journal().len(), 3);
}

#[tokio::test]
async fn upload_files_takes_files_built_by_a_binding() {
    let env = Env::start().await;
    let c = env.builder().tenant_id("cwWdTZK").project_id("Vx6-j2Z").build().unwrap();
    let reader = std::io::Cursor::new(b"from a reader".to_vec());
    let files = vec![exto360::UploadFile::bytes("b.bin", vec![0u8, 1, 2]), exto360::UploadFile::reader("r.txt", reader, None)];
    let out: serde_json::Value = serde_json::from_str(&exto360::json::upload_files(&c, files, &json!({"meta": {"k": 1}})).await.unwrap()).unwrap();
    assert_eq!(out["uploadedCount"], 2);
    assert_eq!(out["files"][1]["document"]["fileSize"], 13);
    assert_eq!(out["files"][0]["document"]["meta"], json!({"k": 1}));
    let e = exto360::json::upload_files(&c, vec![exto360::UploadFile::bytes("x", vec![1u8])], &json!({"meta": 3})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(env.requests_to("/documents").len(), 1);
}
