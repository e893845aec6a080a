//! Reading and writing without a server: pages given as JSON text.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use exto360::{ErrorKind, JsonRows};
use serde_json::{Value, json};

use crate::read::{PageDecoder, RowSpans, SchemaMode, Table};
use crate::{ArrowRows, table_from_json};

/// The rows of `pages` (each a JSON array) decoded one page at a time.
fn decode_pages(pages: &[Value], mode: SchemaMode) -> exto360::Result<Table> {
    let mut d = PageDecoder::new(mode)?;
    let mut parts = Vec::new();
    for p in pages {
        let text = p.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        let (spans, _) = <RowSpans as exto360::RowsDecoder>::decode(&text, &mut de).unwrap();
        parts.extend(d.decode(&text, &spans.0)?);
    }
    Ok(Table::new(&d, parts))
}

fn one(pages: &[Value]) -> RecordBatch {
    let t = decode_pages(pages, SchemaMode::Widen).unwrap();
    let schema = t.schema();
    let batches = t.into_batches().unwrap();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

fn col<'a>(b: &'a RecordBatch, name: &str) -> &'a ArrayRef {
    b.column_by_name(name).unwrap_or_else(|| panic!("no column {name} in {:?}", b.schema()))
}

fn strings(a: &ArrayRef) -> Vec<Option<String>> {
    a.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect()
}

fn record(i: i64, custom: Value) -> Value {
    json!({"_id": format!("{i:024x}"), "customFields": custom, "parentID": null, "createdAt": "2025-02-27T02:20:06.958Z", "isDeleted": false})
}

#[test]
fn attributes_are_typed_and_custom_fields_flattened() {
    let b = one(&[json!([
        record(1, json!({"code": "BLR", "n": 1, "price": {"value": 12, "currency": "USD"}, "tags": ["a"], "day": "2024-12-30", "status": "custom"})),
        {"_id": "x", "customFields": null, "status": "Approved"},
    ])]);
    let s = b.schema();
    let types: Vec<(&str, &DataType)> = s.fields().iter().map(|f| (f.name().as_str(), f.data_type())).collect();
    assert_eq!(types[0], ("_id", &DataType::Utf8));
    assert_eq!(s.field_with_name("createdAt").unwrap().data_type(), &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())));
    assert_eq!(s.field_with_name("parentID").unwrap().data_type(), &DataType::Utf8, "a documented attribute keeps its type when null");
    assert_eq!(s.field_with_name("isDeleted").unwrap().data_type(), &DataType::Boolean);
    assert_eq!(s.field_with_name("n").unwrap().data_type(), &DataType::Int64);
    assert_eq!(s.field_with_name("day").unwrap().data_type(), &DataType::Date32);
    assert!(matches!(s.field_with_name("price").unwrap().data_type(), DataType::Struct(f) if f.len() == 2));
    assert!(matches!(s.field_with_name("tags").unwrap().data_type(), DataType::List(f) if f.data_type() == &DataType::Utf8));
    // A custom field named like an attribute is prefixed; the attribute keeps the name.
    assert_eq!(strings(col(&b, "customFields.status")), vec![Some("custom".into()), None]);
    assert_eq!(strings(col(&b, "status")), vec![None, Some("Approved".into())]);
    assert_eq!(strings(col(&b, "code")), vec![Some("BLR".into()), None], "a record without customFields has none");
    assert_eq!(col(&b, "createdAt").as_primitive::<TimestampMillisecondType>().value(0), 1_740_622_806_958);
    assert_eq!(col(&b, "day").as_primitive::<Date32Type>().value(0), 20087);
}

#[test]
fn types_widen_across_pages_and_earlier_values_are_kept() {
    let pages = [
        json!([{"customFields": {"a": 1, "b": 1.5, "d": "2024-01-01", "t": "2025-02-27T02:20:06.958Z", "l": ["x"], "i": 9007199254740993i64, "yes": true}}]),
        json!([{"customFields": {"a": 2.5, "b": "n/a", "d": "soon", "t": "later", "l": "y", "new": true, "i": 1, "yes": 0}}]),
        json!([{"customFields": {"a": null, "l": {"k": [1, "2"]}, "i": 0.5}}]),
    ];
    let b = one(&pages);
    assert_eq!(b.num_rows(), 3);
    let a = col(&b, "a").as_primitive::<Float64Type>();
    assert_eq!((a.value(0), a.value(1), a.is_null(2)), (1.0, 2.5, true), "int → float");
    assert_eq!(strings(col(&b, "b")), vec![Some("1.5".into()), Some("n/a".into()), None], "float → string");
    assert_eq!(strings(col(&b, "d")), vec![Some("2024-01-01".into()), Some("soon".into()), None], "date → string, exact text");
    assert_eq!(strings(col(&b, "t")), vec![Some("2025-02-27T02:20:06.958Z".into()), Some("later".into()), None], "date-time → string, exact text");
    // Sometimes a list: JSON text, marked as such; every value parses back to what was sent.
    let l = b.schema().field_with_name("l").unwrap().clone();
    assert_eq!(l.metadata().get("ARROW:extension:name").map(String::as_str), Some("arrow.json"));
    let parsed: Vec<Value> = strings(col(&b, "l")).into_iter().map(|s| serde_json::from_str(&s.unwrap()).unwrap()).collect();
    assert_eq!(parsed, vec![json!(["x"]), json!("y"), json!({"k": [1, "2"]})]);
    // Beyond 2^53 an integer cannot become a float: the column becomes text, digits intact.
    assert_eq!(strings(col(&b, "i")), vec![Some("9007199254740993".into()), Some("1".into()), Some("0.5".into())]);
    assert_eq!(strings(col(&b, "yes")), vec![Some("true".into()), Some("0".into()), None], "boolean and number → their JSON text");
    assert_eq!(col(&b, "new").as_boolean().iter().collect::<Vec<_>>(), vec![None, Some(true), None], "a field first seen later is null before");
}

#[test]
fn a_stream_keeps_the_first_pages_schema_and_says_which_field_changed() {
    let pages = [json!([{"customFields": {"a": 1}}]), json!([{"customFields": {"a": 2}}]), json!([{"customFields": {"a": 2.5}}])];
    let e = decode_pages(&pages, SchemaMode::FirstPage).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("page 3") && e.to_string().contains("'a' held integers and now holds floats"), "{e}");
    let e = decode_pages(&[json!([{"a": 1}]), json!([{"a": 1, "b": 2}])], SchemaMode::FirstPage).unwrap_err();
    assert!(e.to_string().contains("field 'b' held absent"), "{e}");
    // The same pages read as a table widen.
    assert_eq!(one(&pages).schema().field_with_name("a").unwrap().data_type(), &DataType::Float64);
}

#[test]
fn an_explicit_schema_selects_columns_and_checks_every_value() {
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("_id", DataType::Utf8, true),
        Field::new("n", DataType::Int32, true),
        Field::new("customFields.status", DataType::Utf8, true),
        Field::new("createdAt", DataType::Timestamp(TimeUnit::Microsecond, Some("+05:30".into())), true),
        Field::new("missing", DataType::Float64, true),
        Field::new("any", DataType::Utf8, true),
    ]));
    let page = json!([
        {"_id": "a", "createdAt": "2025-02-27T02:20:06.958Z", "customFields": {"n": 7, "status": "s", "other": [1], "any": [1, {"x": "y"}]}},
        {"_id": "b", "customFields": {"n": null, "any": "plain"}},
    ]);
    let t = decode_pages(std::slice::from_ref(&page), SchemaMode::Explicit(schema.clone())).unwrap();
    assert_eq!(t.schema(), schema);
    let b = t.into_batches().unwrap().remove(0);
    assert_eq!(b.schema(), schema, "exactly the schema's columns, in its order and types");
    assert_eq!(b.column(1).as_primitive::<arrow_array::types::Int32Type>().iter().collect::<Vec<_>>(), vec![Some(7), None]);
    assert_eq!(strings(b.column(2)), vec![Some("s".into()), None]);
    assert_eq!(b.column(3).as_primitive::<arrow_array::types::TimestampMicrosecondType>().value(0), 1_740_622_806_958_000, "an instant, whatever the zone");
    assert_eq!(b.column(4).null_count(), 2);
    assert_eq!(strings(b.column(5)), vec![Some(r#"[1,{"x":"y"}]"#.into()), Some("plain".into())], "containers in a string column as JSON text");

    // A value that does not fit is an error naming it, never a null or a cut value.
    for (bad, what) in [(json!(1.5), "1.5"), (json!("7"), "\"7\""), (json!(true), "true")] {
        let page = json!([{"customFields": {"n": 1}}, {"customFields": {"n": bad}}]);
        let e = decode_pages(&[page], SchemaMode::Explicit(schema.clone())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(&format!("row 1: field 'n' holds {what}, which does not fit Int32")), "{e}");
    }
    let e = decode_pages(&[json!([{"customFields": {"n": 3000000000u64}}])], SchemaMode::Explicit(schema.clone())).unwrap_err();
    assert!(e.to_string().contains("do not fit the schema") && e.to_string().contains("3000000000 as Int32"), "out of range for Int32: {e}");
    let bad_schema = Arc::new(Schema::new(vec![Field::new("b", DataType::Binary, true)]));
    let e = decode_pages(&[], SchemaMode::Explicit(bad_schema)).unwrap_err();
    assert!(e.to_string().contains("column 'b' has type Binary"), "{e}");
}

#[test]
fn empty_results_and_bad_pages() {
    let t = decode_pages(&[json!([])], SchemaMode::Widen).unwrap();
    assert_eq!((t.schema().fields().len(), t.num_rows()), (0, 0));
    assert!(t.into_batches().unwrap().is_empty());
    let t = table_from_json("[]", SchemaMode::Widen).unwrap();
    assert_eq!(t.num_rows(), 0);
    for bad in [json!([1]), json!([{"customFields": "x"}])] {
        let e = decode_pages(std::slice::from_ref(&bad), SchemaMode::Widen).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{bad}: {e}");
    }
    assert_eq!(table_from_json("{}", SchemaMode::Widen).unwrap_err().kind(), ErrorKind::InvalidInput);
    // More than a page of rows is read in batches of at most 1000.
    let rows: Vec<Value> = (0..2500).map(|i| json!({"customFields": {"i": i}})).collect();
    let t = table_from_json(&Value::Array(rows).to_string(), SchemaMode::Widen).unwrap();
    let sizes: Vec<usize> = t.into_batches().unwrap().iter().map(RecordBatch::num_rows).collect();
    assert_eq!(sizes, vec![1000, 1000, 500]);
}

fn rows_json(rows: &ArrowRows, range: std::ops::Range<usize>) -> Value {
    serde_json::from_slice(&rows.json_array(range).unwrap()).unwrap()
}

#[test]
fn batches_become_exact_json_rows() {
    use arrow_array::{BooleanArray, Date32Array, Decimal128Array, ListArray, TimestampMillisecondArray, TimestampNanosecondArray, UInt64Array};
    let schema = Arc::new(Schema::new(vec![
        Field::new("i", DataType::Int64, true),
        Field::new("u", DataType::UInt64, true),
        Field::new("f", DataType::Float64, true),
        Field::new("b", DataType::Boolean, true),
        Field::new("s", DataType::Utf8, true),
        Field::new("d", DataType::Date32, true),
        Field::new("t", DataType::Timestamp(TimeUnit::Millisecond, Some("+05:30".into())), true),
        Field::new("naive", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
        Field::new("dec", DataType::Decimal128(10, 2), true),
        Field::new_list("l", Field::new_list_field(DataType::Int64, true), true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![Some(i64::MAX), None])),
        Arc::new(UInt64Array::from(vec![Some(u64::MAX), Some(0)])),
        Arc::new(Float64Array::from(vec![Some(0.1), Some(f64::NAN)])),
        Arc::new(BooleanArray::from(vec![Some(true), None])),
        Arc::new(StringArray::from(vec![Some("é\"\n"), None])),
        Arc::new(Date32Array::from(vec![Some(20087), None])),
        Arc::new(TimestampMillisecondArray::from(vec![Some(1_740_622_806_958), None]).with_timezone("+05:30")),
        Arc::new(TimestampNanosecondArray::from(vec![Some(1_740_622_806_958_000_001), Some(0)])),
        Arc::new(Decimal128Array::from(vec![Some(1250), None]).with_precision_and_scale(10, 2).unwrap()),
        Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(vec![Some(vec![Some(1), None]), None])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let rows = ArrowRows::new(schema.clone(), vec![batch.slice(0, 1), batch.slice(1, 1)]).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows_json(&rows, 0..2),
        json!([
            {"i": i64::MAX, "u": u64::MAX, "f": 0.1, "b": true, "s": "é\"\n", "d": "2024-12-30", "t": "2025-02-27T02:20:06.958Z",
             "naive": "2025-02-27T02:20:06.958000001Z", "dec": 12.5, "l": [1, null]},
            {"i": null, "u": 0, "f": null, "b": null, "s": null, "d": null, "t": null, "naive": "1970-01-01T00:00:00.000Z", "dec": null, "l": null}
        ])
    );
    // Exact digits for the integers (serde_json's Value could round them).
    let text = String::from_utf8(rows.json_array(0..1).unwrap()).unwrap();
    assert!(text.contains(r#""i":9223372036854775807,"u":18446744073709551615"#) && text.contains(r#""dec":12.50"#), "{text}");
    assert_eq!(rows_json(&rows, 1..2).as_array().unwrap().len(), 1, "a range inside the second batch");
}

#[test]
fn what_json_cannot_hold_is_refused_before_anything_is_sent() {
    let one_col = |f: Field, a: ArrayRef| {
        let schema = Arc::new(Schema::new(vec![f]));
        ArrowRows::new(schema.clone(), vec![RecordBatch::try_new(schema, vec![a]).unwrap()]).unwrap_err().to_string()
    };
    let e = one_col(Field::new("x", DataType::Float64, true), Arc::new(Float64Array::from(vec![1.0, 2.0, f64::INFINITY])));
    assert!(e.contains("column 'x', row 2: ±infinity"), "{e}");
    let e = one_col(Field::new("bin", DataType::Binary, true), Arc::new(arrow_array::BinaryArray::from(vec![b"a".as_ref()])));
    assert!(e.contains("column 'bin' has type Binary: bytes have no JSON form"), "{e}");
    let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int64, true), Field::new("a", DataType::Int64, true)]));
    assert!(ArrowRows::new(schema, vec![]).unwrap_err().to_string().contains("'a' appears twice"));
}

#[test]
fn read_then_written_records_keep_their_values() {
    let page = json!([record(1, json!({"n": 1, "x": 2.5, "d": "2024-01-01", "tags": ["a", "b"], "price": {"value": 3, "currency": "EUR"}}))]);
    let t = table_from_json(&page.to_string(), SchemaMode::Widen).unwrap();
    let schema = t.schema();
    let rows = ArrowRows::new(schema, t.into_batches().unwrap()).unwrap();
    let out = rows_json(&rows, 0..1);
    let r = &out[0];
    assert_eq!((&r["n"], &r["x"], &r["d"], &r["tags"], &r["price"]), (&json!(1), &json!(2.5), &json!("2024-01-01"), &json!(["a", "b"]), &json!({"value": 3, "currency": "EUR"})));
    assert_eq!(r["createdAt"], json!("2025-02-27T02:20:06.958Z"));
}

#[test]
fn a_table_exported_as_a_c_stream_reads_back() {
    let page = json!([record(1, json!({"n": 1})), record(2, json!({"n": 2}))]);
    let t = table_from_json(&page.to_string(), SchemaMode::Widen).unwrap();
    let schema = t.schema();
    let mut stream = crate::ffi::export_table(t);
    let (got, batches) = unsafe { crate::ffi::import_stream(&mut stream) }.unwrap();
    assert_eq!(got, schema);
    assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), 2);
    let ffi_schema = arrow_schema::ffi::FFI_ArrowSchema::try_from(schema.as_ref()).unwrap();
    assert_eq!(crate::ffi::import_schema(&ffi_schema).unwrap(), schema);
}

