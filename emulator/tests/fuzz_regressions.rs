//! Requests the bounded schemathesis run of `make fuzz` (fuzz/schemathesis.sh) found, kept as
//! ordinary tests.
mod common;
use common::*;
use serde_json::json;

const HUGE: &str = "9223372036854775807"; // i64::MAX, the largest page `paging` accepts

/// The offset `(page - 1) * pageSize` overflowed (a panic and a dropped connection in debug
/// builds, a wrapped offset — another page's rows — in release): a page past the end is empty.
#[tokio::test]
async fn a_page_far_past_the_end_is_empty() {
    let t = T::start().await;
    let users = t.get(&format!("/api/v1/user/user-access?page={HUGE}&pageSize=1000")).await.expect(200);
    assert_eq!(users, json!([[]]));
    let groups = t.get(&format!("/api/v1/user/groups?page={HUGE}&pageSize=1000")).await.expect(200);
    assert_eq!(groups, json!([{"projects": [], "groups": []}]));
    let rows = t.get(&format!("/api/v1/master-record/LOCATION?page={HUGE}&pageSize=1000")).await.expect(200);
    assert_eq!(rows["rows"], json!([]));
    let parent = t.get("/api/v1/module-record/CUSTOMMODULE").await.expect(200)["rows"][0]["_id"].as_str().unwrap().to_string();
    let sub = format!("/api/v1/sub-table/Lines?moduleName=CUSTOMMODULE&recordId={parent}");
    t.post(&sub, json!([{"qty": 1}])).await.expect(201);
    let page = t.get(&format!("{sub}&page={HUGE}&pageSize=1000")).await.expect(200);
    assert_eq!((page["rows"].clone(), page["total"].clone()), (json!([]), json!(1)));
    // The last real page is still served.
    assert_eq!(t.get(&format!("{sub}&page=1&pageSize=1")).await.expect(200)["rows"].as_array().unwrap().len(), 1);
}
