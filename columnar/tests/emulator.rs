//! Records through the emulator: lists read into Arrow, Arrow written back with the core's
//! chunking and accounting.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use exto360::{Client, ErrorKind, JsonRows, WriteState};
use exto360_columnar::{ArrowRows, Batches, SchemaMode, table};
use exto360_emulator::{Dataset, Emulator, FaultSpec};
use serde_json::json;

use exto360_columnar::arrow_array;
use exto360_columnar::arrow_schema;

async fn emulator(count: usize) -> Emulator {
    let mut d = Dataset::demo();
    d.tenants[0].masters.push(serde_json::from_value(json!({"name": "BIG", "unique": ["code"], "generate": {"count": count}})).unwrap());
    Emulator::builder().rate_limit(None).dataset(d).start().await.unwrap()
}

fn client(emu: &Emulator) -> Client {
    Client::builder().base_url(emu.url()).token(emu.token()).rate_limit(None).build().unwrap()
}

fn concat(schema: &Arc<Schema>, batches: &[RecordBatch]) -> RecordBatch {
    arrow_select::concat::concat_batches(schema, batches).unwrap()
}

#[tokio::test]
async fn a_list_becomes_one_table() {
    let emu = emulator(2500).await;
    let pages = exto360_columnar::pages(&client(&emu), "masters.iter", &json!({"name": "BIG", "pageSize": 1000})).unwrap();
    let t = table(pages, SchemaMode::Widen).await.unwrap();
    let schema = t.schema();
    let b = concat(&schema, &t.into_batches().unwrap());
    assert_eq!(b.num_rows(), 2500);
    assert_eq!(schema.field_with_name("seq").unwrap().data_type(), &DataType::Int64);
    assert_eq!(schema.field_with_name("amount").unwrap().data_type(), &DataType::Float64);
    assert_eq!(schema.field_with_name("createdAt").unwrap().data_type(), &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())));
    let seq = b.column_by_name("seq").unwrap().as_primitive::<Int64Type>();
    assert_eq!((seq.value(0), seq.value(2499)), (1, 2500));
    assert_eq!(b.column_by_name("amount").unwrap().as_primitive::<Float64Type>().value(3), 6.0);
    assert_eq!(b.column_by_name("code").unwrap().as_string::<i32>().value(9), "BIG-10");
    let created = b.column_by_name("createdAt").unwrap().as_primitive::<TimestampMillisecondType>();
    assert_eq!(created.value(1) - created.value(0), 1000, "one second apart, as generated");

    // An empty list: no rows, no columns.
    let pages = exto360_columnar::pages(&client(&emu), "masters.iter", &json!({"name": "VENDOR"})).unwrap();
    let t = table(pages, SchemaMode::Widen).await.unwrap();
    assert_eq!((t.num_rows(), t.schema().fields().len()), (0, 0));
}

#[tokio::test]
async fn a_stream_reads_ahead_only_as_far_as_the_core_prefetches() {
    let emu = emulator(20_000).await;
    let pages = exto360_columnar::pages(&client(&emu), "masters.iter", &json!({"name": "BIG", "pageSize": 500})).unwrap();
    let mut stream = Batches::open(pages, SchemaMode::FirstPage).await.unwrap();
    assert_eq!(stream.schema().field_with_name("seq").unwrap().data_type(), &DataType::Int64);
    let first = stream.next_batch().await.unwrap().unwrap();
    assert_eq!(first.num_rows(), 500);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let fetched = emu.journal().iter().filter(|e| e["path"].as_str().unwrap_or_default().contains("BIG")).count();
    assert!(fetched <= 3, "one page read, one prefetched, at most one in flight; fetched {fetched} of 40");
    let mut rows = first.num_rows();
    while let Some(b) = stream.next_batch().await {
        rows += b.unwrap().num_rows();
    }
    assert_eq!(rows, 20_000);
}

#[tokio::test]
async fn arrow_rows_round_trip_through_upsert_and_report_by_row() {
    let emu = emulator(0).await;
    // One request at a time, so the records are stored (and listed) in input order.
    let c = Client::builder().base_url(emu.url()).token(emu.token()).rate_limit(None).bulk_concurrency(1).build().unwrap();
    let schema = Arc::new(Schema::new(vec![
        Field::new("vendor_id", DataType::Utf8, false),
        Field::new("n", DataType::Int64, true),
        Field::new("x", DataType::Float64, true),
        Field::new("day", DataType::Date32, true),
        Field::new("at", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), true),
    ]));
    let n = 2500;
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(arrow_array::StringArray::from_iter_values((0..n).map(|i| format!("V{i}")))),
            Arc::new(arrow_array::Int64Array::from_iter((0..n).map(|i| (i % 7 != 0).then_some(i as i64 * 1_000_000_007)))),
            Arc::new(arrow_array::Float64Array::from_iter_values((0..n).map(|i| if i == 3 { f64::NAN } else { i as f64 / 3.0 }))),
            Arc::new(arrow_array::Date32Array::from_iter_values((0..n).map(|i| 19_000 + i as i32))),
            Arc::new(arrow_array::TimestampMillisecondArray::from_iter_values((0..n).map(|i| 1_700_000_000_123 + i as i64)).with_timezone("UTC")),
        ],
    )
    .unwrap();
    let rows = ArrowRows::new(schema.clone(), vec![batch.slice(0, 1200), batch.slice(1200, n - 1200)]).unwrap();
    let out = exto360::json::upsert_json_rows(&c, "masters.upsert", &json!({"name": "VENDOR"}), &rows).await.unwrap();
    assert!(out.contains("\"insertedCount\":2500"), "{out}");

    // Read back, with an explicit schema of the written columns: every value equal.
    let pages = exto360_columnar::pages(&c, "masters.iter", &json!({"name": "VENDOR"})).unwrap();
    let back = table(pages, SchemaMode::Explicit(schema.clone())).await.unwrap();
    let back = concat(&schema, &back.into_batches().unwrap());
    let x = back.column(2).as_primitive::<Float64Type>();
    assert!(x.is_null(3), "NaN was written as null");
    for (i, (a, b)) in batch.columns().iter().zip(back.columns()).enumerate() {
        if i == 2 {
            let bad: Vec<(usize, f64, f64)> = (0..n).filter(|&r| r != 3 && a.as_primitive::<Float64Type>().value(r) != x.value(r)).map(|r| (r, a.as_primitive::<Float64Type>().value(r), x.value(r))).take(5).collect();
            assert!(bad.is_empty(), "floats exact: {bad:?}");
        } else {
            assert_eq!(a.as_ref(), b.as_ref(), "column {}", schema.field(i).name());
        }
    }

    // A fault on the second request: the error reports by input row.
    emu.set_faults(vec![serde_json::from_value::<FaultSpec>(json!({"kind": "status", "status": 422, "method": "POST", "skip": 1, "times": 1})).unwrap()]).unwrap();
    let e = c.masters("VENDOR").upsert_json_rows(&rows).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_eq!(e.bulk().unwrap().slices, vec![(0..1000, WriteState::Written), (1000..2500, WriteState::NotWritten)]);
    assert_eq!(rows.len(), 2500);
}
