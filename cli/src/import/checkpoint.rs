//! The import checkpoint: an append-only log, one JSON line per event, written (and synced)
//! *before* a request leaves and after each chunk's fate is known.
//!
//! ```text
//! {"exto360Checkpoint":1,"kind":"masters","name":"VENDOR","user":null,"input":{...}}
//! {"sending":[[0,1000]]}
//! {"done":[[0,1000]],"state":"written"}
//! {"sending":[[1000,2000]]}
//! {"done":[[1000,2000]],"state":"not_written","reason":"HTTP 400: ..."}
//! ```
//!
//! Replayed, it says for every row: written, not written (with the server's reason), unknown,
//! or "sent and never answered" — the request in flight when a crash, `kill -9` or a second
//! Ctrl-C stopped the run, which may have been written and so is unknown too. A resume sends
//! the rows neither written nor unknown. A torn last line (a crash while writing it) is
//! ignored: a torn `sending` line means the request had not left yet.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rangemap::RangeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::files::write_atomic;
use crate::output::Failure;

/// What a checkpoint belongs to: the target and the input file as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub exto360_checkpoint: u32,
    pub kind: String,
    pub name: String,
    pub user: Option<String>,
    pub input: InputId,
}

/// An input file by path, size and modification time: edit the file and the checkpoint no
/// longer applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputId {
    pub path: String,
    pub size: u64,
    pub modified_ns: u64,
}

impl InputId {
    pub fn of(path: &Path) -> Result<InputId, Failure> {
        let meta = std::fs::metadata(path).map_err(|e| Failure::io(format!("cannot read {}", path.display()), e))?;
        let modified_ns = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(InputId { path: full.display().to_string(), size: meta.len(), modified_ns })
    }
}

/// A row's fate as the checkpoint knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Written,
    NotWritten(Arc<str>),
    Unknown(Arc<str>),
    /// Sent, answer not recorded (becomes `Unknown` when replayed).
    InFlight,
}

impl Fate {
    fn state(&self) -> &'static str {
        match self {
            Fate::Written => "written",
            Fate::NotWritten(_) => "not_written",
            Fate::Unknown(_) | Fate::InFlight => "unknown",
        }
    }
    fn reason(&self) -> Option<&str> {
        match self {
            Fate::NotWritten(r) | Fate::Unknown(r) => Some(r),
            _ => None,
        }
    }
}

pub const IN_FLIGHT: &str = "sent by an earlier run that stopped (crash, kill or a second Ctrl-C) before the answer came: it may have been written";

/// The fates of the rows an earlier run handled.
#[derive(Debug, Default)]
pub struct Prior {
    fates: RangeMap<usize, Fate>,
}

impl Prior {
    pub fn fate(&self, row: usize) -> Option<&Fate> {
        self.fates.get(&row)
    }
    pub fn count(&self, pred: impl Fn(&Fate) -> bool) -> usize {
        self.fates.iter().filter(|(_, f)| pred(f)).map(|(r, _)| r.len()).sum()
    }
    fn apply(&mut self, ranges: &[Range<usize>], fate: Fate) {
        for r in ranges {
            if !r.is_empty() {
                self.fates.insert(r.clone(), fate.clone());
            }
        }
    }
}

/// An open checkpoint, appended to as the import runs.
pub struct Checkpoint {
    path: PathBuf,
    file: File,
}

fn ranges_json(ranges: &[Range<usize>]) -> Value {
    Value::Array(ranges.iter().map(|r| json!([r.start, r.end])).collect())
}

fn parse_ranges(v: &Value) -> Option<Vec<Range<usize>>> {
    v.as_array()?
        .iter()
        .map(|p| {
            let a = p.get(0)?.as_u64()? as usize;
            let b = p.get(1)?.as_u64()? as usize;
            (a <= b).then_some(a..b)
        })
        .collect()
}

impl Checkpoint {
    /// Opens the checkpoint of `header`: a new one, or with `resume` the existing one (whose
    /// header must match), replayed into what earlier runs did and rewritten compactly.
    pub fn open(path: &Path, header: &Header, resume: bool) -> Result<(Checkpoint, Prior, bool), Failure> {
        let exists = path.exists();
        if exists && !resume {
            return Err(Failure::usage(format!(
                "the checkpoint {} of an earlier run exists: pass --resume to continue that import, or delete it to start over",
                path.display()
            )));
        }
        let prior = if exists { Self::replay(path, header)? } else { Prior::default() };
        // Rewrite: header, then one line per run of rows with the same fate.
        let mut text = serde_json::to_string(header).map_err(|e| Failure::other(e.to_string()))?;
        text.push('\n');
        for (range, fate) in prior.fates.iter() {
            let mut line = json!({"done": ranges_json(std::slice::from_ref(range)), "state": fate.state()});
            if let Some(r) = fate.reason() {
                line["reason"] = json!(r);
            }
            text.push_str(&line.to_string());
            text.push('\n');
        }
        write_atomic(path, text.as_bytes())?;
        let file = OpenOptions::new().append(true).open(path).map_err(|e| Failure::io(format!("cannot open the checkpoint {}", path.display()), e))?;
        Ok((Checkpoint { path: path.to_path_buf(), file }, prior, exists))
    }

    fn replay(path: &Path, header: &Header) -> Result<Prior, Failure> {
        let damaged = |n: usize, why: &str| Failure::usage(format!("the checkpoint {} is damaged at line {n} ({why}); delete it to start over", path.display()));
        let text = std::fs::read(path).map_err(|e| Failure::io(format!("cannot read the checkpoint {}", path.display()), e))?;
        let complete = text.ends_with(b"\n");
        let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
        let first = lines.first().ok_or_else(|| damaged(1, "empty"))?;
        let found: Header = serde_json::from_slice(first).map_err(|_| damaged(1, "not a checkpoint header"))?;
        if found != *header {
            return Err(Failure::usage(format!(
                "the checkpoint {} belongs to another import (of {} {} from {}, {} bytes) or the input file changed since; delete it to start over",
                path.display(),
                found.kind,
                found.name,
                found.input.path,
                found.input.size
            )));
        }
        let mut prior = Prior::default();
        for (i, line) in lines.iter().enumerate().skip(1) {
            let last = i + 1 == lines.len();
            let event: Value = match serde_json::from_slice(line) {
                Ok(v) => v,
                Err(_) if last && !complete => break, // torn by a crash while being written
                Err(_) => return Err(damaged(i + 1, "not JSON")),
            };
            if let Some(ranges) = event.get("sending").and_then(parse_ranges) {
                prior.apply(&ranges, Fate::InFlight);
            } else if let Some(ranges) = event.get("done").and_then(parse_ranges) {
                let reason: Arc<str> = Arc::from(event.get("reason").and_then(Value::as_str).unwrap_or(""));
                let fate = match event.get("state").and_then(Value::as_str) {
                    Some("written") => Fate::Written,
                    Some("not_written") => Fate::NotWritten(reason),
                    Some("unknown") => Fate::Unknown(reason),
                    _ => return Err(damaged(i + 1, "unknown state")),
                };
                prior.apply(&ranges, fate);
            } else {
                return Err(damaged(i + 1, "unknown event"));
            }
        }
        // Sent and never answered: unknown.
        let in_flight: Vec<Range<usize>> = prior.fates.iter().filter(|(_, f)| **f == Fate::InFlight).map(|(r, _)| r.clone()).collect();
        prior.apply(&in_flight, Fate::Unknown(Arc::from(IN_FLIGHT)));
        Ok(prior)
    }

    fn append(&mut self, line: Value) -> std::io::Result<()> {
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        self.file.write_all(&bytes)?;
        self.file.sync_data()
    }

    /// Records that a request with these rows is about to leave.
    pub fn sending(&mut self, rows: &[Range<usize>]) -> std::io::Result<()> {
        self.append(json!({"sending": ranges_json(rows)}))
    }

    /// Records the fate of rows.
    pub fn done(&mut self, rows: &[Range<usize>], fate: &Fate) -> std::io::Result<()> {
        let mut line = json!({"done": ranges_json(rows), "state": fate.state()});
        if let Some(r) = fate.reason() {
            line["reason"] = json!(r);
        }
        self.append(line)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Deletes the checkpoint (the import is complete).
    pub fn remove(self) -> Result<(), Failure> {
        drop(self.file);
        std::fs::remove_file(&self.path).map_err(|e| Failure::io(format!("cannot remove the checkpoint {}", self.path.display()), e))
    }
}

/// Reads a checkpoint log as lines of JSON (for tests and `--json` tooling).
#[cfg(test)]
fn lines(path: &Path) -> Vec<Value> {
    use std::io::{BufRead, BufReader};
    BufReader::new(File::open(path).unwrap()).lines().map(|l| serde_json::from_str(&l.unwrap()).unwrap()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header { exto360_checkpoint: 1, kind: "masters".into(), name: "VENDOR".into(), user: None, input: InputId { path: "/x.csv".into(), size: 10, modified_ns: 5 } }
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one run of rows is the common case
    fn replay_turns_requests_in_flight_into_unknown_and_compacts() {
        let path = std::env::temp_dir().join(format!("exto360-ckpt-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let (mut c, prior, resumed) = Checkpoint::open(&path, &header(), true).unwrap();
        assert!(!resumed && prior.fate(0).is_none());
        c.sending(&[0..1000]).unwrap();
        c.done(&[0..1000], &Fate::Written).unwrap();
        c.sending(&[1000..1500, 1600..2100]).unwrap();
        c.done(&[1000..1500, 1600..2100], &Fate::NotWritten(Arc::from("HTTP 400: bad"))).unwrap();
        c.sending(&[2100..3100]).unwrap();
        drop(c);
        // A crash while writing the next line leaves half of it.
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"done\":[[2100,").unwrap();

        assert!(Checkpoint::open(&path, &header(), false).is_err(), "an existing checkpoint needs --resume");
        let (c, prior, resumed) = Checkpoint::open(&path, &header(), true).unwrap();
        assert!(resumed);
        assert_eq!(prior.fate(999), Some(&Fate::Written));
        assert_eq!(prior.fate(1500), None, "row 1500 was never sent");
        assert_eq!(prior.fate(1600), Some(&Fate::NotWritten(Arc::from("HTTP 400: bad"))));
        assert_eq!(prior.fate(3000), Some(&Fate::Unknown(Arc::from(IN_FLIGHT))));
        assert_eq!(prior.count(|f| matches!(f, Fate::Unknown(_))), 1000);
        let compact = lines(&path);
        assert_eq!(compact.len(), 1 + 4, "header + one line per run of rows: {compact:?}");
        c.remove().unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn a_checkpoint_of_another_input_is_refused() {
        let path = std::env::temp_dir().join(format!("exto360-ckpt-other-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        Checkpoint::open(&path, &header(), false).unwrap();
        let mut other = header();
        other.input.size = 11;
        let e = Checkpoint::open(&path, &other, true).err().unwrap();
        assert!(e.message.contains("input file changed"), "{}", e.message);
        std::fs::remove_file(&path).unwrap();
    }
}
