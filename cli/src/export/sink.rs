//! Where exported records go: JSONL streamed as they come, or CSV through a spool.
//!
//! A CSV header must name every column before the first row, but a field may first appear in
//! the last record. So CSV rows are first written to a spool file (a CSV whose rows grow as
//! columns are found: a column's position never changes once given), and the output is
//! written when the records end: the header, then each spooled row reordered (attributes
//! first, then custom fields, each in first-seen order) and padded. Memory holds one row and
//! the column list; the disk holds the spool, about the size of the output, for the run.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use exto360::Record;
use serde_json::Value;

use crate::cells;
use crate::files::{AtomicFile, sibling};
use crate::output::Failure;

/// The destination: a file that appears only when committed, or stdout.
pub enum Out {
    File(AtomicFile),
    Stdout(BufWriter<std::io::Stdout>),
}

impl Out {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Out::File(f) => f.writer(),
            Out::Stdout(s) => s,
        }
    }
    fn commit(self) -> Result<(), Failure> {
        match self {
            Out::File(f) => f.commit(),
            Out::Stdout(mut s) => s.flush().map_err(|e| Failure::io("cannot write to stdout", e)),
        }
    }
}

fn write_err(e: impl std::fmt::Display) -> Failure {
    Failure::other(format!("cannot write the export: {e}"))
}

/// Receives records one by one; [`Sink::finish`] publishes them. Dropped unfinished, nothing
/// is published (and temporary files are removed).
pub trait Sink {
    fn write(&mut self, rec: &Record) -> Result<(), Failure>;
    /// Publishes the output; returns the CSV columns (empty for JSONL).
    fn finish(self: Box<Self>) -> Result<Vec<String>, Failure>;
}

/// One JSON document per line, in the server's key order.
pub struct Jsonl {
    out: Out,
}

impl Jsonl {
    pub fn new(out: Out) -> Jsonl {
        Jsonl { out }
    }
}

impl Sink for Jsonl {
    fn write(&mut self, rec: &Record) -> Result<(), Failure> {
        let w = self.out.writer();
        serde_json::to_writer(&mut *w, rec).map_err(write_err)?;
        w.write_all(b"\n").map_err(write_err)
    }
    fn finish(self: Box<Self>) -> Result<Vec<String>, Failure> {
        self.out.commit()?;
        Ok(Vec::new())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Section {
    Attribute,
    Field,
}

/// Columns in the order they were first seen; a column's spool position is its index.
#[derive(Default)]
struct Columns {
    list: Vec<(Section, String)>,
    index: HashMap<(Section, String), usize>,
}

impl Columns {
    fn position(&mut self, section: Section, name: &str) -> usize {
        if let Some(&i) = self.index.get(&(section, name.to_string())) {
            return i;
        }
        self.list.push((section, name.to_string()));
        self.index.insert((section, name.to_string()), self.list.len() - 1);
        self.list.len() - 1
    }

    /// The output's columns: (header, spool position), attributes then fields. A field named
    /// like an attribute is `customFields.NAME`.
    fn output_order(&self) -> Vec<(String, usize)> {
        let attrs = self.list.iter().enumerate().filter(|(_, (s, _))| *s == Section::Attribute);
        let fields = self.list.iter().enumerate().filter(|(_, (s, _))| *s == Section::Field);
        attrs
            .map(|(i, (_, n))| (n.clone(), i))
            .chain(fields.map(|(i, (_, n))| {
                let clash = self.index.contains_key(&(Section::Attribute, n.clone()));
                (if clash { format!("customFields.{n}") } else { n.clone() }, i)
            }))
            .collect()
    }
}

/// CSV through a spool (see the module doc).
pub struct Csv {
    spool: csv::Writer<File>,
    spool_path: PathBuf,
    columns: Columns,
    row: Vec<String>,
    out: Option<Out>,
}

impl Csv {
    /// The spool lives next to the output file, or in the temporary directory for stdout.
    pub fn new(out: Out, dest: Option<&Path>) -> Result<Csv, Failure> {
        let spool_path = match dest {
            Some(d) => sibling(d, "spool"),
            None => sibling(&std::env::temp_dir().join("exto360-export"), "spool"),
        };
        let file = File::create(&spool_path).map_err(|e| Failure::io(format!("cannot create the spool {}", spool_path.display()), e))?;
        let spool = csv::WriterBuilder::new().flexible(true).has_headers(false).buffer_capacity(256 * 1024).from_writer(file);
        Ok(Csv { spool, spool_path, columns: Columns::default(), row: Vec::new(), out: Some(out) })
    }

    fn set(&mut self, section: Section, name: &str, v: &Value) {
        let i = self.columns.position(section, name);
        if self.row.len() <= i {
            self.row.resize(i + 1, String::new());
        }
        self.row[i] = cells::encode(v);
    }
}

impl Drop for Csv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.spool_path);
    }
}

impl Sink for Csv {
    fn write(&mut self, rec: &Record) -> Result<(), Failure> {
        self.row.iter_mut().for_each(String::clear);
        for (k, v) in &rec.0 {
            match v {
                Value::Object(fields) if k == "customFields" => {
                    for (fk, fv) in fields {
                        self.set(Section::Field, fk, fv);
                    }
                }
                _ => self.set(Section::Attribute, k, v),
            }
        }
        // Trailing empty cells are left out: the final pass pads every row.
        let used = self.row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        self.spool.write_record(&self.row[..used.max(1)]).map_err(write_err)
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<String>, Failure> {
        self.spool.flush().map_err(write_err)?;
        let order = self.columns.output_order();
        let mut out = self.out.take().expect("finished once");
        {
            let mut w = csv::WriterBuilder::new().buffer_capacity(256 * 1024).from_writer(out.writer());
            if !order.is_empty() {
                w.write_record(order.iter().map(|(h, _)| h.as_str())).map_err(write_err)?;
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_path(&self.spool_path)
                    .map_err(|e| Failure::other(format!("cannot read the spool {}: {e}", self.spool_path.display())))?;
                let mut spooled = csv::ByteRecord::new();
                while reader.read_byte_record(&mut spooled).map_err(|e| Failure::other(format!("cannot read the spool: {e}")))? {
                    w.write_record(order.iter().map(|(_, i)| spooled.get(*i).unwrap_or(b""))).map_err(write_err)?;
                }
            }
            w.flush().map_err(write_err)?;
        }
        out.commit()?;
        Ok(order.into_iter().map(|(h, _)| h).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record(v: Value) -> Record {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn late_columns_get_a_header_and_fields_follow_attributes() {
        let dir = std::env::temp_dir().join(format!("exto360-sink-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("out.csv");
        let mut sink: Box<dyn Sink> = Box::new(Csv::new(Out::File(AtomicFile::create(&dest).unwrap()), Some(&dest)).unwrap());
        sink.write(&record(json!({"_id": "a", "customFields": {"code": "BLR", "n": 1}}))).unwrap();
        sink.write(&record(json!({"_id": "b", "customFields": {"late": [1], "status": "x"}, "status": "Draft"}))).unwrap();
        assert!(!dest.exists(), "nothing appears before the end");
        let cols = sink.finish().unwrap();
        assert_eq!(cols, ["_id", "status", "code", "n", "late", "customFields.status"]);
        let text = std::fs::read_to_string(&dest).unwrap();
        assert_eq!(text, "_id,status,code,n,late,customFields.status\na,,BLR,1,,\nb,Draft,,,[1],x\n");
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "spool and temporary file are gone: {leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
