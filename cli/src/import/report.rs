//! `--report FILE`: every row not written, with why — CSV when the name ends in `.csv`, else
//! JSONL. The file appears when the import ends (also after Ctrl-C).

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::files::AtomicFile;
use crate::output::Failure;

/// A row's place in the input: its 0-based index, its line, and its key when `--key` is given.
#[derive(Debug, Clone)]
pub struct Meta {
    pub index: usize,
    pub line: u64,
    pub key: Option<Value>,
}

enum Sink {
    None,
    Csv(Box<csv::Writer<AtomicFile>>),
    Jsonl(AtomicFile),
}

pub struct Report {
    sink: Sink,
    /// Rows reported so far.
    pub rows: u64,
}

fn write_err(e: impl std::fmt::Display) -> Failure {
    Failure::other(format!("cannot write the report: {e}"))
}

impl Report {
    pub fn create(path: Option<&Path>) -> Result<Report, Failure> {
        let sink = match path {
            None => Sink::None,
            Some(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => {
                let mut w = csv::Writer::from_writer(AtomicFile::create(p)?);
                w.write_record(["row", "line", "state", "reason", "key"]).map_err(write_err)?;
                Sink::Csv(Box::new(w))
            }
            Some(p) => Sink::Jsonl(AtomicFile::create(p)?),
        };
        Ok(Report { sink, rows: 0 })
    }

    /// Adds a row (`state`: not_written, unknown, invalid, not_sent). `row` is 1-based.
    pub fn add(&mut self, meta: &Meta, state: &str, reason: &str) -> Result<(), Failure> {
        self.rows += 1;
        let row = meta.index + 1;
        match &mut self.sink {
            Sink::None => Ok(()),
            Sink::Csv(w) => {
                let key = match &meta.key {
                    None => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                };
                w.write_record([row.to_string(), meta.line.to_string(), state.to_string(), reason.to_string(), key]).map_err(write_err)
            }
            Sink::Jsonl(f) => {
                let line = json!({"row": row, "line": meta.line, "state": state, "reason": reason, "key": meta.key});
                writeln!(f, "{line}").map_err(write_err)
            }
        }
    }

    /// Publishes the report.
    pub fn finish(self) -> Result<(), Failure> {
        match self.sink {
            Sink::None => Ok(()),
            Sink::Csv(w) => (*w).into_inner().map_err(|e| write_err(e.error()))?.commit(),
            Sink::Jsonl(f) => f.commit(),
        }
    }
}
