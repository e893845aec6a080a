//! Masters and modules: list, iterate, upsert, names, filters and scopes — over loopback.
mod common;
use common::*;
use exto360::{ErrorKind, Filter, ListOptions, Record};
use exto360_emulator::{Emulator, ListShape};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

#[tokio::test]
async fn list_sends_the_documented_request_and_reads_the_page() {
    let env = Env::start().await;
    let client = env.builder().project_id("Vx6-j2Z").build().unwrap();
    let page = client
        .masters("LOCATION")
        .list(&ListOptions::new().page(1).page_size(2).sort("createdAt").status("Approved").filter(Filter::field("serial_number").number().eq(1234)))
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.total, Some(1));
    assert_eq!((page.page, page.page_size, page.total_pages), (1, 2, Some(1)));
    let r = &page.rows[0];
    assert_eq!(r.field("code"), Some(&json!("BLR")));
    assert_eq!(r.id().unwrap().len(), 24);
    assert_eq!(r.project_id(), Some("Vx6-j2Z"));
    assert_eq!(r.status(), Some("Approved"));
    let e = &env.journal()[0];
    assert_eq!(e["method"], "GET");
    assert_eq!(e["path"], "/api/v1/master-record/LOCATION");
    assert_eq!(param(e, "page").as_deref(), Some("1"));
    assert_eq!(param(e, "pageSize").as_deref(), Some("2"));
    assert_eq!(param(e, "sort").as_deref(), Some("createdAt"));
    assert_eq!(param(e, "status").as_deref(), Some("Approved"));
    assert_eq!(param(e, "filter").as_deref(), Some("serial_number:NUMBER:eq:1234"));
    assert_eq!(e["headers"]["x-project-id"], "Vx6-j2Z");
    assert_eq!(e["headers"]["authorization"], "Bearer ***");
    assert_eq!(e["headers"]["accept"], "application/json");
    assert!(e["headers"]["user-agent"].as_str().unwrap().starts_with("exto360-rust/"));
}

#[tokio::test]
async fn defaults_are_page_1_of_1000_in_tenant_scope() {
    let env = Env::start().await;
    let page = env.client().masters("LOCATION").list(&ListOptions::new()).await.unwrap();
    assert_eq!(page.rows.len(), 6);
    let e = &env.journal()[0];
    assert_eq!(param(e, "page").as_deref(), Some("1"));
    assert_eq!(param(e, "pageSize").as_deref(), Some("1000"));
    assert!(e["headers"].get("x-project-id").is_none());
}

#[tokio::test]
async fn with_project_scopes_a_copy_and_shares_the_rest() {
    let env = Env::start().await;
    let client = env.client();
    let north = client.with_project("Vx6-j2Z").unwrap();
    let south = north.with_project("p6iDlWb").unwrap();
    assert_eq!(north.masters("LOCATION").list(&ListOptions::new()).await.unwrap().total, Some(3));
    assert_eq!(south.masters("LOCATION").list(&ListOptions::new()).await.unwrap().total, Some(2));
    assert_eq!(south.without_project().masters("LOCATION").list(&ListOptions::new()).await.unwrap().total, Some(6));
    assert_eq!(client.project_id(), None);
    assert!(client.with_project("").is_err());
    assert!(client.with_project("bad\nid").is_err());
}

async fn walk_all(env: &Env, shape: ListShape) -> Vec<i64> {
    env.emu.shared().set_settings(exto360_emulator::Settings { rate_limit: None, list_shape: shape, ..Default::default() }).unwrap();
    let rows: Vec<Record> = env.client().masters("BIG").iter(ListOptions::new()).try_collect().await.unwrap();
    rows.iter().map(|r| r.field("seq").unwrap().as_i64().unwrap()).collect()
}

#[tokio::test]
async fn iter_reaches_the_end_of_10000_records_in_both_list_shapes() {
    let env = Env::with_dataset(generated("BIG", 10_000)).await;
    let seq = walk_all(&env, ListShape::Object).await;
    assert_eq!(seq, (1..=10_000).collect::<Vec<_>>());
    assert_eq!(env.requests_to("/BIG").len(), 10, "totalPages ends the walk without an extra request");
    env.emu.clear_journal();
    let seq = walk_all(&env, ListShape::Array).await;
    assert_eq!(seq.len(), 10_000);
    assert_eq!(env.requests_to("/BIG").len(), 11, "a bare array needs one short page to see the end");
}

#[tokio::test]
async fn iter_of_an_empty_list_ends_at_once_and_can_start_later() {
    let env = Env::start().await;
    let client = env.client();
    let rows: Vec<Record> = client.masters("VENDOR").iter(ListOptions::new()).try_collect().await.unwrap();
    assert!(rows.is_empty());
    let rows: Vec<Record> = client.masters("LOCATION").iter(ListOptions::new().page(2).page_size(4)).try_collect().await.unwrap();
    assert_eq!(rows.len(), 2);
}

#[tokio::test]
async fn rows_deserialize_into_your_own_type() {
    #[derive(Deserialize)]
    struct Loc {
        #[serde(rename = "_id")]
        id: String,
        #[serde(rename = "customFields")]
        fields: Fields,
    }
    #[derive(Deserialize)]
    struct Fields {
        code: String,
        serial_number: Option<i64>,
    }
    let env = Env::start().await;
    let page = env.client().masters("LOCATION").list_as::<Loc>(&ListOptions::new().sort("code")).await.unwrap();
    assert_eq!(page.rows[0].fields.code, "BLR");
    assert_eq!(page.rows[0].fields.serial_number, Some(1234));
    assert_eq!(page.rows[0].id.len(), 24);
    let all: Vec<Loc> = env.client().masters("LOCATION").iter_as::<Loc>(ListOptions::new().page_size(5)).try_collect().await.unwrap();
    assert_eq!(all.len(), 6);
}

#[tokio::test]
async fn upsert_of_2500_records_is_three_requests_and_2500_rows() {
    let env = Env::start().await;
    let rows: Vec<Value> = (0..2500).map(|i| json!({"vendor_id": format!("V{i}"), "n": i})).collect();
    let res = env.client().masters("VENDOR").upsert(&rows).await.unwrap();
    assert_eq!(res.inserted_count, 2500);
    assert_eq!(res.inserted_ids.len(), 2500);
    let posts = env.requests_to("/master-record/VENDOR");
    assert_eq!(posts.len(), 3);
    let mut sizes: Vec<usize> = posts.iter().map(|p| p["body"].as_array().unwrap().len()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![500, 1000, 1000]);
    let stored = env.stored("masters", "VENDOR");
    assert_eq!(stored.len(), 2500);
    // Ids come back in input order: the i-th id is the record of the i-th row.
    let by_id: std::collections::HashMap<String, i64> =
        stored.iter().map(|r| (r["_id"].as_str().unwrap().to_string(), r["customFields"]["n"].as_i64().unwrap())).collect();
    for (i, id) in res.inserted_ids.iter().enumerate() {
        assert_eq!(by_id[id], i as i64);
    }
    // Again: all updates, no new ids.
    let res = env.client().masters("VENDOR").upsert(&rows).await.unwrap();
    assert_eq!((res.inserted_count, res.updated_count, res.inserted_ids.len()), (0, 2500, 0));
}

#[tokio::test]
async fn chunk_boundaries() {
    let env = Env::start().await;
    for (n, requests) in [(999usize, 1usize), (1000, 1), (1001, 2)] {
        env.emu.reset().unwrap();
        let rows: Vec<Value> = (0..n).map(|i| json!({"vendor_id": format!("V{i}")})).collect();
        let res = env.client().masters("VENDOR").upsert(&rows).await.unwrap();
        assert_eq!(res.inserted_count as usize, n);
        assert_eq!(env.requests_to("/master-record/VENDOR").len(), requests, "{n} rows");
    }
    env.emu.reset().unwrap();
    let res = env.client().masters("VENDOR").upsert::<Value>(&[]).await.unwrap();
    assert_eq!(res.inserted_count, 0);
    assert!(env.journal().is_empty(), "an empty upsert sends nothing");
}

#[tokio::test]
async fn upsert_refuses_rows_that_are_not_objects() {
    let env = Env::start().await;
    let e = env.client().masters("VENDOR").upsert(&[json!({"a": 1}), json!(3)]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.message().contains("records[1] must be a JSON object, got a number"), "{e}");
    assert!(env.journal().is_empty());
}

#[tokio::test]
async fn module_upsert_sends_the_acting_user() {
    let env = Env::start().await;
    let client = env.builder().project_id("Vx6-j2Z").build().unwrap();
    let res = client.modules("CUSTOMMODULE").upsert(&[json!({"ref_no": "R-7", "title": "x"})], "johndoe@exto360.com").await.unwrap();
    assert_eq!(res.inserted_count, 1);
    let e = &env.journal()[0];
    assert_eq!(param(e, "userName").as_deref(), Some("johndoe@exto360.com"));
    assert_eq!(e["body"], json!([{"ref_no": "R-7", "title": "x"}]));
    let page = client.modules("CUSTOMMODULE").list(&ListOptions::new().filter(Filter::field("ref_no").eq("R-7"))).await.unwrap();
    assert_eq!(page.rows[0].record_number(), Some("MOD-4"));
    assert_eq!(page.rows[0].status(), Some("Draft"));
    let e = client.modules("CUSTOMMODULE").upsert(&[json!({"a": 1})], "retired@exto360.com").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::BadRequest, Some(400)));
    assert_eq!(e.details(), ["User not found or active"]);
    let e = client.modules("CUSTOMMODULE").upsert(&[json!({"a": 1})], " ").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn names_are_one_encoded_path_segment() {
    let env = Env::start().await;
    let client = env.client();
    for name in ["A/B", "../user/groups", "X?page=2", "Y#frag", "é ü", "100%"] {
        let e = client.masters(name).list(&ListOptions::new()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{name}: {e}");
    }
    let paths: Vec<String> = env.journal().iter().map(|e| e["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        paths,
        vec![
            "/api/v1/master-record/A%2FB",
            "/api/v1/master-record/..%2Fuser%2Fgroups",
            "/api/v1/master-record/X%3Fpage%3D2",
            "/api/v1/master-record/Y%23frag",
            "/api/v1/master-record/%C3%A9%20%C3%BC",
            "/api/v1/master-record/100%25",
        ]
    );
    for bad in ["", "..", ".", "a\nb"] {
        let e = client.masters(bad).list(&ListOptions::new()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
        let e = client.masters(bad).upsert(&[json!({})]).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    assert_eq!(env.journal().len(), 6, "invalid names send nothing");
}

#[tokio::test]
async fn filters_reach_the_server_intact() {
    let env = Env::start().await;
    let client = env.client();
    let codes = |page: exto360::Page<Record>| -> Vec<String> {
        let mut v: Vec<String> = page.rows.iter().map(|r| r.field("code").unwrap().as_str().unwrap().to_string()).collect();
        v.sort();
        v
    };
    let f = Filter::field("serial_number").number().gt(2000).and(Filter::field("active").primitive().eq(true)).or(Filter::field("code").string().eq("DEL"));
    let page = client.masters("LOCATION").list(&ListOptions::new().filter(f)).await.unwrap();
    assert_eq!(codes(page), vec!["CHN", "DEL", "PUN"]);
    let page = client.masters("LOCATION").list(&ListOptions::new().filter(Filter::field("email_id").string().contains("@exto360.com"))).await.unwrap();
    assert_eq!(codes(page), vec!["PUN"]);
    let page = client.masters("LOCATION").list(&ListOptions::new().filter(Filter::field("serial_number").number().is_in([900, 3000]))).await.unwrap();
    assert_eq!(codes(page), vec!["DEL", "PUN"]);
    let page = client.masters("LOCATION").list(&ListOptions::new().filter(Filter::field("name").string().contains("Hyder abad".replace(' ', "")))).await.unwrap();
    assert_eq!(codes(page), vec!["HYD"]);
    // Raw strings pass through as given.
    let page = client.masters("LOCATION").list(&ListOptions::new().filter("serial_number:le:1234")).await.unwrap();
    assert_eq!(codes(page), vec!["BLR", "DEL"]);
    let last = env.journal().last().unwrap().clone();
    assert!(last["query"].as_str().unwrap().contains("filter=serial_number%3Ale%3A1234"), "{}", last["query"]);
}

#[tokio::test]
async fn date_filters_need_a_time_zone_before_sending() {
    let env = Env::start().await;
    let client = env.client();
    let f = Filter::field("openedOn").date().ge("2024-03-01").and(Filter::field("openedOn").date().le("2024-03-31"));
    let e = client.masters("LOCATION").list(&ListOptions::new().filter(f.clone())).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.message().contains("local_time_zone"), "{e}");
    let e = client.masters("LOCATION").list(&ListOptions::new().filter("openedOn:ge:2024-03-01")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(env.journal().is_empty());
    let page = client.masters("LOCATION").list(&ListOptions::new().filter(f).local_time_zone("America/Los_Angeles")).await.unwrap();
    assert_eq!(page.rows.len(), 2);
    assert_eq!(param(&env.journal()[0], "localTimeZone").as_deref(), Some("America/Los_Angeles"));
}

#[tokio::test]
async fn bad_list_options_are_refused_before_sending() {
    let env = Env::start().await;
    let m = env.client().masters("LOCATION");
    for (opts, needle) in [
        (ListOptions::new().page(0), "page must be 1 or more"),
        (ListOptions::new().page_size(0), "page_size must be between 1 and 1000"),
        (ListOptions::new().page_size(1001), "page_size must be between 1 and 1000"),
        (ListOptions::new().filter(Filter::field("n").number().eq("x")), "needs a number"),
        (ListOptions::new().sort(""), "sort must not be empty"),
    ] {
        let e = m.list(&opts).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains(needle), "{e}");
        let e = m.iter(opts).try_next().await.unwrap_err();
        assert!(e.message().contains(needle), "{e}");
    }
    assert!(env.journal().is_empty());
}

#[tokio::test]
async fn unicode_and_large_numbers_round_trip() {
    let env = Env::start().await;
    let client = env.client();
    let row = json!({"vendor_id": "ü-1", "name": "Ñandú 東京 🚀", "big": 9007199254740993u64, "neg": -12345678901234i64, "price": 1.0000000000000002});
    client.masters("VENDOR").upsert(&[row.clone()]).await.unwrap();
    let page = client.masters("VENDOR").list(&ListOptions::new()).await.unwrap();
    let f = page.rows[0].custom_fields().unwrap();
    assert_eq!(f["name"], row["name"]);
    assert_eq!(f["big"].as_u64(), Some(9007199254740993));
    assert_eq!(f["neg"], row["neg"]);
    assert_eq!(f["price"], row["price"]);
}

#[tokio::test]
async fn unknown_master_is_not_found_with_the_server_details() {
    let env = Env::start().await;
    let e = env.client().masters("ITEM_MASTER").list(&ListOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.status(), Some(500));
    assert_eq!(e.summary(), Some("Service Exception"));
    assert_eq!(e.details(), ["ITEM_MASTER not Found."]);
    assert_eq!(e.path(), Some("/api/v1/master-record/ITEM_MASTER"));
    assert!(e.timestamp().is_some());
    assert_eq!(e.retries(), 0, "not found is not retried");
}

#[tokio::test]
async fn records_keep_every_field_the_server_sends() {
    let env = Env::start().await;
    let page = env.client().modules("CUSTOMMODULE").list(&ListOptions::new()).await.unwrap();
    let r = &page.rows[0];
    for k in ["_id", "id", "customFields", "parentID", "slug", "refId", "recordNumber", "tenantID", "projectID", "status", "workflowId", "createdBy", "createdAt", "updatedBy", "updatedAt", "isDeleted"] {
        assert!(r.get(k).is_some(), "missing {k}");
    }
    assert_eq!(r.created_at().unwrap().len(), 24);
}

#[tokio::test]
async fn array_shape_pages_have_no_totals() {
    let env = Env::with(Emulator::builder().rate_limit(None).list_shape(ListShape::Array)).await;
    let page = env.client().masters("LOCATION").list(&ListOptions::new().page_size(4)).await.unwrap();
    assert_eq!(page.rows.len(), 4);
    assert_eq!((page.total, page.total_pages), (None, None));
    assert!(page.has_next());
}
