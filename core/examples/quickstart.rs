//! The quick start: the main jobs of the SDK against an embedded emulator (it stands in for
//! `https://platform.exto360.com/data`, with the same 3 requests/second limit).
//!
//! Run: `cargo run -p exto360 --example quickstart`

use exto360::{ActOptions, Client, ExpandOptions, Filter, GrantAccess, ListOptions, RecordKey};
use futures_util::TryStreamExt;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = exto360_emulator::Emulator::builder().start().await?;

    // Against the real service: Client::from_env() with EXTO360_TOKEN (and EXTO360_PROJECT_ID).
    let client = Client::builder().base_url(emu.url()).token(emu.token()).project_id("Vx6-j2Z").build()?;
    println!("client: {client:?}");
    println!("readiness: {:?}", client.health().readiness().await?);

    // One page, filtered and sorted.
    let opts = ListOptions::new()
        .filter(Filter::field("serial_number").number().gt(1000).and(Filter::field("active").primitive().eq(true)))
        .sort_desc("serial_number");
    let page = client.masters("LOCATION").list(&opts).await?;
    println!("LOCATION > 1000 and active: {} of {:?}", page.rows.len(), page.total);
    for r in &page.rows {
        println!("  {} {}", r.field("code").unwrap_or(&json!(null)), r.field("name").unwrap_or(&json!(null)));
    }

    // Upsert 2,500 records: three requests of at most 1000, under the rate limit.
    let rows: Vec<_> = (0..2500).map(|i| json!({"vendor_id": format!("V-{i:04}"), "name": format!("Vendor {i}")})).collect();
    let done = client.masters("VENDOR").upsert(&rows).await?;
    println!("VENDOR upsert: {} inserted, {} updated", done.inserted_count, done.updated_count);

    // Every record, page by page, with bounded memory.
    let all: Vec<_> = client.masters("VENDOR").iter(ListOptions::new()).try_collect().await?;
    println!("VENDOR iterated: {} records", all.len());

    // A module record, a sub-table row under it, a workflow action on it.
    let new = client.modules("CUSTOMMODULE").upsert(&[json!({"ref_no": "R-100", "title": "Quick start"})], "johndoe@exto360.com").await?;
    let record_id = new.inserted_ids[0].clone();
    client.sub_table("Signatures").upsert(&[json!({"signer": "johndoe@exto360.com"})], "CUSTOMMODULE", &record_id).await?;
    let moved = client.workflow("CUSTOMMODULE").act(&[&record_id], &ActOptions::new("Submit", "johndoe@exto360.com").space("S1")).await?;
    println!("workflow: {moved:?}");

    // Update and delete records: the docs disagree on how a record is named (refId or
    // recordNumber), so you say which.
    let bengaluru = page.rows.iter().find(|r| r.field("code") == Some(&json!("BLR"))).and_then(|r| r.ref_id()).unwrap_or_default().to_string();
    let updated = client.masters("LOCATION").update(&[json!({"refId": bengaluru, "name": "Bengaluru (HQ)"})], RecordKey::RefId).await?;
    println!("LOCATION update: {} updated", updated.updated_count);
    let deleted = client.modules("CUSTOMMODULE").delete(&["MOD-2"], RecordKey::RecordNumber, "johndoe@exto360.com").await?;
    println!("CUSTOMMODULE delete: {} deleted", deleted.deleted_count);

    // A module record with every row of its sub-tables (read page by page).
    let mut expanded = client.modules("CUSTOMMODULE").expand(ExpandOptions::new().record_ids([record_id.as_str()]));
    while let Some(rec) = expanded.try_next().await? {
        let signatures = rec.sub_table("Signatures").map(|t| t.rows.len()).unwrap_or(0);
        println!("expanded {}: status {:?}, {signatures} signature(s)", rec.record.record_number().unwrap_or("?"), rec.record.status());
    }

    // Users and their access.
    let grant = GrantAccess::new("jane@exto360.com").project("Vx6-j2Z", ["GG3"], ["S1"]).group("G1");
    client.users().grant_access(&grant).await?;
    let jane = client.users().get("jane@exto360.com").await?;
    println!("jane: groups {:?}, projects {:?}", jane.groups, jane.projects.iter().map(|p| &p.project_id).collect::<Vec<_>>());

    // Errors are typed and say what went wrong.
    match client.masters("NO_SUCH_MASTER").list(&ListOptions::new()).await {
        Err(e) => println!("expected error: kind={} status={:?} {e}", e.kind(), e.status()),
        Ok(_) => println!("unexpected success"),
    }
    emu.shutdown().await;
    Ok(())
}
