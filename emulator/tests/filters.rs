//! The filter grammar of REFERENCE.md §11: every type and operator, precedence, DATE in a
//! time zone, and malformed filters.
mod common;
use common::*;
use serde_json::json;

const L: &str = "/api/v1/master-record/LOCATION";

async fn codes(t: &T, filter: &str) -> Vec<String> {
    let path = format!("{L}?pageSize=100&sort=code&filter={}", urlencode(filter));
    t.codes(&path, "code").await.into_iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn check(t: &T, filter: &str, expect: &[&str]) {
    assert_eq!(codes(t, filter).await, expect, "filter {filter}");
}

// LOCATION: BLR 1234, MUM 1500, DEL 900, CHN 2100, HYD null, PUN 3000.

#[tokio::test]
async fn number_comparisons() {
    let t = T::start().await;
    check(&t, "serial_number:NUMBER:eq:1234", &["BLR"]).await;
    check(&t, "serial_number:NUMBER:ne:1234", &["CHN", "DEL", "HYD", "MUM", "PUN"]).await;
    check(&t, "serial_number:NUMBER:gt:1500", &["CHN", "PUN"]).await;
    check(&t, "serial_number:NUMBER:ge:1500", &["CHN", "MUM", "PUN"]).await;
    check(&t, "serial_number:NUMBER:lt:1234", &["DEL"]).await;
    check(&t, "serial_number:NUMBER:le:1234", &["BLR", "DEL"]).await;
    check(&t, "serial_number:NUMBER:in:900|3000|7", &["DEL", "PUN"]).await;
    check(&t, "serial_number:NUMBER:eq:null", &["HYD"]).await;
    check(&t, "serial_number:NUMBER:ne:null", &["BLR", "CHN", "DEL", "MUM", "PUN"]).await;
    check(&t, "serial_number:NUMBER:eq:1234.0", &["BLR"]).await;
}

#[tokio::test]
async fn type_token_is_optional() {
    let t = T::start().await;
    check(&t, "serial_number:eq:1234", &["BLR"]).await;
    check(&t, "serial_number:gt:2000", &["CHN", "PUN"]).await;
    check(&t, "serial_number:in:1500|2100", &["CHN", "MUM"]).await;
    check(&t, "name:eq:Pune", &["PUN"]).await;
}

#[tokio::test]
async fn string_operators() {
    let t = T::start().await;
    check(&t, "name:STRING:eq:Mumbai", &["MUM"]).await;
    check(&t, "name:STRING:eq:mumbai", &[]).await; // eq is exact
    check(&t, "name:STRING:cn:BAI", &["MUM"]).await; // cn is case-insensitive
    check(&t, "name:STRING:nc:a", &["DEL", "PUN"]).await;
    check(&t, "name:STRING:sw:ch", &["CHN"]).await;
    check(&t, "name:STRING:ew:i", &["CHN", "DEL", "MUM"]).await;
    check(&t, "email_id:STRING:eq:null", &["BLR", "CHN", "DEL", "HYD", "MUM"]).await;
    check(&t, "email_id:STRING:ne:null", &["PUN"]).await;
    check(&t, "email_id:cn:@exto360", &["PUN"]).await;
    check(&t, "code:STRING:in:BLR|PUN", &["BLR", "PUN"]).await;
}

#[tokio::test]
async fn primitive_and_array_fields() {
    let t = T::start().await;
    check(&t, "active:PRIMITIVE:ne:true", &["DEL"]).await;
    check(&t, "active:PRIMITIVE:eq:false", &["DEL"]).await;
    check(&t, "tags:eq:south", &["BLR", "CHN", "HYD"]).await; // any element
    check(&t, "tags:ne:south", &["DEL", "MUM", "PUN"]).await; // no element
    check(&t, "tags:eq:null", &["DEL", "PUN"]).await; // [] and missing are blank
}

#[tokio::test]
async fn date_comparisons_need_and_use_the_time_zone() {
    let t = T::start().await;
    let tz = "&localTimeZone=America/Los_Angeles";
    let q = |f: &str| format!("{L}?pageSize=100&sort=code&filter={}{tz}", urlencode(f));
    let get = |f: &'static str| {
        let t = &t;
        let path = q(f);
        async move { t.codes(&path, "code").await }
    };
    assert_eq!(get("openedOn:DATE:eq:2024-03-22").await, vec![json!("CHN")]);
    assert_eq!(get("openedOn:DATE:ne:2024-03-22").await.len(), 5);
    assert_eq!(get("openedOn:DATE:gt:2024-03-22").await, vec![json!("HYD")]);
    assert_eq!(get("openedOn:DATE:ge:2024-03-22").await, vec![json!("CHN"), json!("HYD")]);
    assert_eq!(get("openedOn:DATE:lt:2021-04-01").await, vec![json!("PUN")]);
    assert_eq!(get("openedOn:DATE:le:2021-04-01").await, vec![json!("BLR"), json!("PUN")]);
    assert_eq!(get("openedOn:ge:2024-03-01:and:openedOn:le:2024-03-31").await, vec![json!("CHN"), json!("HYD")]);
    // Without the time zone a DATE filter is refused, typed or not.
    t.get(&format!("{L}?filter=openedOn:DATE:eq:2024-03-22")).await.error(400, "localTimeZone is required");
    t.get(&format!("{L}?filter=openedOn:ge:2024-03-01")).await.error(400, "localTimeZone is required");
    t.get(&format!("{L}?filter=openedOn:DATE:eq:2024-03-22&localTimeZone=Mars/Base")).await.error(400, "Invalid localTimeZone");
}

#[tokio::test]
async fn date_times_are_compared_as_local_dates() {
    let t = T::start().await;
    // Seeded records are created on 2025-01-01 from 00:00:01Z on: still 2024-12-31 in Los Angeles.
    let la = t.codes(&format!("{L}?pageSize=100&filter=createdAt:DATE:eq:2024-12-31&localTimeZone=America/Los_Angeles"), "code").await;
    assert_eq!(la.len(), 6);
    let kolkata = t.codes(&format!("{L}?pageSize=100&filter=createdAt:DATE:eq:2024-12-31&localTimeZone=Asia/Kolkata"), "code").await;
    assert_eq!(kolkata.len(), 0);
    let utc = t.codes(&format!("{L}?pageSize=100&filter=createdAt:DATE:eq:2025-01-01&localTimeZone=UTC"), "code").await;
    assert_eq!(utc.len(), 6);
}

#[tokio::test]
async fn and_binds_tighter_than_or() {
    let t = T::start().await;
    // (serial > 2000 AND active = true) OR code = DEL
    check(&t, "serial_number:gt:2000:and:active:eq:true:or:code:eq:DEL", &["CHN", "DEL", "PUN"]).await;
    // code = DEL OR (serial > 2000 AND name sw P)
    check(&t, "code:eq:DEL:or:serial_number:gt:2000:and:name:sw:P", &["DEL", "PUN"]).await;
    check(&t, "code:eq:BLR:or:code:eq:MUM:or:code:eq:HYD", &["BLR", "HYD", "MUM"]).await;
    check(&t, "active:eq:true:and:serial_number:ne:null:and:tags:eq:south", &["BLR", "CHN"]).await;
}

#[tokio::test]
async fn filters_also_apply_to_modules_and_top_level_fields() {
    let t = T::start().await;
    let v = t.get("/api/v1/module-record/CUSTOMMODULE?filter=number2:gt:2:and:email_id:cn:john").await.expect(200);
    let refs: Vec<_> = v["rows"].as_array().unwrap().iter().map(|r| r["customFields"]["ref_no"].clone()).collect();
    assert_eq!(refs, vec![json!("R-1"), json!("R-3")]);
    let v = t.get("/api/v1/module-record/CUSTOMMODULE?filter=status:eq:Approved").await.expect(200);
    assert_eq!(v["total"], 1);
    let v = t.get("/api/v1/module-record/CUSTOMMODULE?filter=recordNumber:eq:MOD-2").await.expect(200);
    assert_eq!(v["rows"][0]["customFields"]["ref_no"], "R-2");
}

#[tokio::test]
async fn malformed_filters_are_400_and_say_why() {
    let t = T::start().await;
    let cases = [
        ("serial_number:zz:3", "unknown operator 'zz'"),
        ("serial_number:eq", "has no value"),
        ("serial_number", "has no operator"),
        ("serial_number:eq:3:and", "dangling"),
        ("serial_number:eq:3:xor:code:eq:A", "expected ':and:' or ':or:'"),
        ("serial_number:NUMBER:cn:3", "applies to STRING fields only"),
        ("serial_number:NUMBER:eq:abc", "'abc' is not a number"),
        ("openedOn:DATE:eq:2024-13-45", "not a date"),
        ("openedOn:DATE:eq:yesterday", "not a date"),
        ("serial_number:gt:null", "'null' can only be used with eq or ne"),
        ("serial_number:in:1||2", "without empty items"),
        (":eq:3", "empty field name"),
    ];
    for (f, why) in cases {
        let v = t.get(&format!("{L}?filter={}", urlencode(f))).await.error(400, why);
        assert!(v["error"]["detail"][0].as_str().unwrap().starts_with("Invalid filter"), "{f}");
    }
}
