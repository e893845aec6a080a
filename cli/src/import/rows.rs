//! Reading the rows to import, one at a time (memory does not grow with the file), and
//! checking each: a row that cannot be sent is reported with the reason, never dropped.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use exto360::RECORD_ATTRIBUTES;
use serde_json::{Map, Value};

use crate::args::Format;
use crate::cells::{self, FieldType, shorten};
use crate::output::Failure;

/// The longest JSONL row read into memory; a longer one is reported invalid (no request could
/// carry it).
const MAX_ROW_BYTES: usize = 16 << 20;

/// Reads past the rest of a line without keeping it.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// The prefix that names a custom field whose name is also a record attribute.
const FIELD_PREFIX: &str = "customFields.";

/// One input row: its 0-based position among the data rows (the checkpoint's key), where it
/// starts in the file, and its fields or why it cannot be sent.
pub struct Row {
    pub index: usize,
    pub line: u64,
    pub fields: Result<Map<String, Value>, String>,
}

/// How rows become records: declared types, a required key, empty cells.
#[derive(Debug, Default)]
pub struct Rules {
    pub types: HashMap<String, FieldType>,
    pub key: Option<String>,
    pub empty_as_null: bool,
}

impl Rules {
    pub fn new(types: &[String], key: Option<String>, empty_as_null: bool) -> Result<Rules, Failure> {
        let mut map = HashMap::new();
        for t in types {
            let (field, ty) = t.split_once('=').ok_or_else(|| Failure::usage(format!("--type {t}: expected FIELD=TYPE")))?;
            let ty = FieldType::parse(ty.trim())
                .ok_or_else(|| Failure::usage(format!("--type {t}: unknown type '{ty}' (string, number, integer, boolean, date, datetime, json)")))?;
            map.insert(field.trim().to_string(), ty);
        }
        if key.as_deref().is_some_and(|k| k.trim().is_empty()) {
            return Err(Failure::usage("--key needs a field name"));
        }
        Ok(Rules { types: map, key, empty_as_null })
    }

    /// The checks every row passes before it may be sent.
    fn check(&self, mut fields: Map<String, Value>) -> Result<Map<String, Value>, String> {
        for (name, ty) in &self.types {
            if let Some(v) = fields.remove(name) {
                let v = ty.check(v).map_err(|e| format!("field '{name}': {e}"))?;
                fields.insert(name.clone(), v);
            }
        }
        if let Some(k) = &self.key {
            match fields.get(k) {
                None | Some(Value::Null) => return Err(format!("the key field '{k}' is missing")),
                Some(Value::String(s)) if s.trim().is_empty() => return Err(format!("the key field '{k}' is empty")),
                _ => {}
            }
        }
        if fields.is_empty() {
            return Err("the row has no fields".into());
        }
        Ok(fields)
    }

    /// The value of a CSV cell of `field`.
    fn cell(&self, field: &str, cell: &str) -> Result<Option<Value>, String> {
        let v = match self.types.get(field) {
            Some(ty) => ty.decode_cell(cell).map_err(|e| format!("field '{field}': {e}"))?,
            None => cells::decode(cell),
        };
        Ok(v.or_else(|| self.empty_as_null.then_some(Value::Null)))
    }
}

/// What a column or key is: a field (under its name), or a record attribute, which is skipped.
fn field_name(key: &str) -> Option<&str> {
    if let Some(f) = key.strip_prefix(FIELD_PREFIX) {
        return Some(f);
    }
    (!RECORD_ATTRIBUTES.contains(&key)).then_some(key)
}

fn open(path: &Path) -> Result<Box<dyn Read>, Failure> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin()));
    }
    Ok(Box::new(File::open(path).map_err(|e| Failure::io(format!("cannot read {}", path.display()), e))?))
}

fn read_err(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::other(format!("cannot read {}: {e}", path.display()))
}

/// Rows of a CSV or JSONL input, in order.
pub struct Rows {
    source: Source,
    rules: Rules,
    next_index: usize,
    /// Record attributes found in the input and left out of the records.
    pub skipped_columns: Vec<String>,
    path: std::path::PathBuf,
}

enum Source {
    /// `crlf`: the csv reader counts a record of a CRLF file from the `\n` before it, one
    /// line early; lines are corrected by one.
    Csv { reader: csv::Reader<BufReader<Box<dyn Read>>>, columns: Vec<Option<String>>, record: csv::ByteRecord, crlf: bool },
    Jsonl { reader: BufReader<Box<dyn Read>>, line: u64, buf: Vec<u8> },
}

impl Rows {
    pub fn open(path: &Path, format: Format, rules: Rules) -> Result<Rows, Failure> {
        let input = open(path)?;
        let mut skipped = Vec::new();
        let source = match format {
            Format::Csv => {
                let mut input = BufReader::with_capacity(256 * 1024, input);
                let head = input.fill_buf().map_err(|e| read_err(path, e))?;
                let crlf = head.iter().position(|b| *b == b'\n').is_some_and(|i| i > 0 && head[i - 1] == b'\r');
                let mut reader = csv::ReaderBuilder::new().from_reader(input);
                let header = reader.byte_headers().map_err(|e| read_err(path, e))?.clone();
                let mut columns = Vec::with_capacity(header.len());
                let mut seen = std::collections::HashSet::new();
                for (i, h) in header.iter().enumerate() {
                    let h = std::str::from_utf8(h).map_err(|_| Failure::usage(format!("{}: header column {} is not UTF-8", path.display(), i + 1)))?;
                    let h = h.trim();
                    if h.is_empty() {
                        return Err(Failure::usage(format!("{}: header column {} has no name", path.display(), i + 1)));
                    }
                    match field_name(h) {
                        Some(f) => {
                            if !seen.insert(f.to_string()) {
                                return Err(Failure::usage(format!("{}: the field '{f}' has two columns", path.display())));
                            }
                            columns.push(Some(f.to_string()));
                        }
                        None => {
                            skipped.push(h.to_string());
                            columns.push(None);
                        }
                    }
                }
                Source::Csv { reader, columns, record: csv::ByteRecord::new(), crlf }
            }
            Format::Jsonl => Source::Jsonl { reader: BufReader::with_capacity(256 * 1024, input), line: 0, buf: Vec::new() },
        };
        Ok(Rows { source, rules, next_index: 0, skipped_columns: skipped, path: path.to_path_buf() })
    }

    /// The next row, `None` at the end; an error only when the input cannot be read at all.
    pub fn next_row(&mut self) -> Result<Option<Row>, Failure> {
        let index = self.next_index;
        let (line, fields) = match &mut self.source {
            Source::Csv { reader, columns, record, crlf } => match reader.read_byte_record(record) {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line()) + u64::from(*crlf);
                    (line, csv_fields(&self.rules, columns, record))
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + u64::from(*crlf);
                    match e.kind() {
                        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                            (line, Err(format!("the row has {len} cells, the header {expected_len}")))
                        }
                        _ => return Err(read_err(&self.path, e)),
                    }
                }
            },
            Source::Jsonl { reader, line, buf } => loop {
                buf.clear();
                let n = reader.by_ref().take(MAX_ROW_BYTES as u64 + 1).read_until(b'\n', buf).map_err(|e| read_err(&self.path, e))?;
                if n == 0 {
                    return Ok(None);
                }
                *line += 1;
                if buf.len() > MAX_ROW_BYTES && !buf.ends_with(b"\n") {
                    skip_line(reader).map_err(|e| read_err(&self.path, e))?;
                    break (*line, Err(format!("the row is longer than {} MiB", MAX_ROW_BYTES >> 20)));
                }
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                break (*line, jsonl_fields(buf));
            },
        };
        self.next_index += 1;
        let fields = fields.and_then(|f| self.rules.check(f));
        Ok(Some(Row { index, line, fields }))
    }
}

fn csv_fields(rules: &Rules, columns: &[Option<String>], record: &csv::ByteRecord) -> Result<Map<String, Value>, String> {
    let mut fields = Map::new();
    for (i, (cell, column)) in record.iter().zip(columns).enumerate() {
        let Some(name) = column else { continue };
        let cell = std::str::from_utf8(cell).map_err(|_| format!("cell {} ({name}) is not UTF-8", i + 1))?;
        if let Some(v) = rules.cell(name, cell)? {
            fields.insert(name.clone(), v);
        }
    }
    Ok(fields)
}

/// A JSONL row: an object of fields, or an exported record (then its `customFields`).
fn jsonl_fields(line: &[u8]) -> Result<Map<String, Value>, String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut obj) = v else {
        return Err(format!("expected a JSON object, got {}", shorten(&v.to_string())));
    };
    if let Some(Value::Object(fields)) = obj.remove("customFields") {
        return Ok(fields);
    }
    Ok(obj.into_iter().filter_map(|(k, v)| field_name(&k).map(|f| (f.to_string(), v))).collect())
}

/// How many rows the input has (for progress and ETA), read without building records.
pub fn count(path: &Path, format: Format) -> Result<u64, Failure> {
    let input = open(path)?;
    let mut n = 0u64;
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().buffer_capacity(256 * 1024).from_reader(input);
            let mut record = csv::ByteRecord::new();
            loop {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => n += 1,
                    Ok(false) => break,
                    Err(e) if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) => n += 1,
                    Err(e) => return Err(read_err(path, e)),
                }
            }
        }
        Format::Jsonl => {
            let mut reader = BufReader::with_capacity(256 * 1024, input);
            let mut buf = Vec::new();
            while reader.read_until(b'\n', &mut buf).map_err(|e| read_err(path, e))? > 0 {
                if !buf.iter().all(u8::is_ascii_whitespace) {
                    n += 1;
                }
                buf.clear();
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rows_of(text: &str, format: Format, rules: Rules) -> Vec<(usize, u64, Result<Value, String>)> {
        let path = std::env::temp_dir().join(format!("exto360-rows-{}-{}", std::process::id(), fastrand_name(text)));
        std::fs::write(&path, text).unwrap();
        let mut rows = Rows::open(&path, format, rules).unwrap();
        let mut out = Vec::new();
        while let Some(r) = rows.next_row().unwrap() {
            out.push((r.index, r.line, r.fields.map(Value::Object)));
        }
        assert_eq!(count(&path, format).unwrap() as usize, out.len());
        std::fs::remove_file(&path).unwrap();
        out
    }
    fn fastrand_name(s: &str) -> usize {
        s.len() * 31 + s.bytes().map(usize::from).sum::<usize>()
    }

    #[test]
    fn csv_rows_skip_attributes_and_report_bad_rows() {
        let text = "_id,code,customFields.status,n,tags\nx,BLR,open,12,\"[\"\"a\"\"]\"\ny,MUM\nz,,,abc,\n";
        for crlf in [false, true] {
            let text = if crlf { text.replace('\n', "\r\n") } else { text.to_string() };
            let rules = Rules::new(&[], None, false).unwrap();
            let lines: Vec<u64> = rows_of(&text, Format::Csv, rules).iter().map(|r| r.1).collect();
            assert_eq!(lines, [2, 3, 4], "crlf {crlf}");
        }
        let rules = Rules::new(&["n=number".into()], Some("code".into()), false).unwrap();
        let rows = rows_of(text, Format::Csv, rules);
        assert_eq!(rows[0], (0, 2, Ok(json!({"code": "BLR", "status": "open", "n": 12, "tags": ["a"]}))));
        assert_eq!(rows[1].2, Err("the row has 2 cells, the header 5".into()));
        assert_eq!(rows[2].2, Err("field 'n': expected a number, got 'abc'".into()));
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn jsonl_rows_take_exported_records_and_skip_blank_lines() {
        let text = "{\"_id\":\"a\",\"customFields\":{\"code\":\"A\"},\"status\":\"Draft\"}\n\n{\"code\":\"B\",\"_id\":\"b\"}\n[1]\n{oops\n";
        let rows = rows_of(text, Format::Jsonl, Rules::default());
        assert_eq!(rows[0], (0, 1, Ok(json!({"code": "A"}))));
        assert_eq!(rows[1], (1, 3, Ok(json!({"code": "B"}))));
        assert_eq!(rows[2].2, Err("expected a JSON object, got [1]".into()));
        assert!(rows[3].2.as_ref().unwrap_err().starts_with("not JSON"));
        assert_eq!(rows[3].1, 5);
    }

    #[test]
    fn a_giant_jsonl_row_is_invalid_and_the_next_one_is_read() {
        let text = format!("{{\"a\":\"{}\"}}\n{{\"a\":1}}\n", "x".repeat(MAX_ROW_BYTES + 10));
        let rows = rows_of(&text, Format::Jsonl, Rules::default());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].2, Err("the row is longer than 16 MiB".into()));
        assert_eq!(rows[1], (1, 2, Ok(json!({"a": 1}))));
    }

    #[test]
    fn headers_with_twice_the_same_field_are_refused() {
        let path = std::env::temp_dir().join(format!("exto360-rows-dup-{}", std::process::id()));
        std::fs::write(&path, "code,customFields.code\n1,2\n").unwrap();
        let e = Rows::open(&path, Format::Csv, Rules::default()).err().unwrap();
        assert!(e.message.contains("two columns"), "{}", e.message);
        std::fs::remove_file(&path).unwrap();
    }
}
