//! Incremental export: only records updated since a point in time.
//!
//! The records are asked newest first (`sort=-updatedAt`) and the export stops at the first
//! record older than the point. With `--state FILE` the point is the previous run's
//! high-water mark: the newest `updatedAt` it exported, with the ids of the records it
//! exported at exactly that time — so a record written in the same millisecond but after the
//! previous run read that page is exported now, and the ones already exported are not
//! repeated. Reading newest first also means a record updated while an export runs moves
//! ahead of the reader: its new time is after the mark, so the next run takes it.
//! The server must honour the sort: a record newer than the one before it stops the export
//! with an error instead of silently missing records.

use std::collections::HashSet;
use std::path::Path;

use exto360::Record;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::files::write_atomic;
use crate::output::Failure;

/// What `--state FILE` holds between runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub version: u32,
    pub kind: String,
    pub name: String,
    pub filter: Option<String>,
    pub status: Option<String>,
    /// The newest `updatedAt` exported so far (as the server wrote it).
    pub high_water_mark: Option<String>,
    /// Ids of the records exported whose `updatedAt` is exactly the mark.
    #[serde(default)]
    pub ids_at_mark: Vec<String>,
}

impl State {
    /// The state in `path`, or `None` when the file does not exist yet (first run).
    pub fn load(path: &Path) -> Result<Option<State>, Failure> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Failure::io(format!("cannot read --state {}", path.display()), e)),
        };
        let s: State = serde_json::from_str(&text).map_err(|e| Failure::usage(format!("--state {} is not an export state file: {e}", path.display())))?;
        if let Some(m) = &s.high_water_mark {
            parse_time(m).map_err(|e| Failure::usage(format!("--state {}: highWaterMark: {e}", path.display())))?;
        }
        Ok(Some(s))
    }

    pub fn save(&self, path: &Path) -> Result<(), Failure> {
        let text = serde_json::to_vec_pretty(self).map_err(|e| Failure::other(e.to_string()))?;
        write_atomic(path, &text)
    }

    /// Refuses a state written for another export: its mark says nothing about this one.
    pub fn check_same(&self, other: &State, path: &Path) -> Result<(), Failure> {
        let same = self.kind == other.kind && self.name.eq_ignore_ascii_case(&other.name) && self.filter == other.filter && self.status == other.status;
        if same {
            Ok(())
        } else {
            Err(Failure::usage(format!(
                "--state {} was written by an export of {} {} (filter {:?}, status {:?}); use another state file for this one",
                path.display(),
                self.kind,
                self.name,
                self.filter,
                self.status
            )))
        }
    }
}

/// `updatedAt` as the API writes it (RFC 3339, UTC).
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>().map_err(|e| format!("'{s}' is not an RFC 3339 time: {e}"))
}

/// `--since`: an RFC 3339 time, or a date meaning its midnight UTC.
pub fn parse_since(s: &str) -> Result<Timestamp, Failure> {
    if s.parse::<jiff::civil::Date>().is_ok() {
        return parse_time(&format!("{s}T00:00:00Z")).map_err(|e| Failure::usage(format!("--since: {e}")));
    }
    parse_time(s).map_err(|e| Failure::usage(format!("--since: {e} (or give a date, yyyy-MM-dd)")))
}

/// What to do with a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Take,
    /// Exported by the previous run already.
    Skip,
    /// Older than the point: so is every record after it.
    Stop,
}

/// Judges records read newest first and keeps the new mark.
pub struct Tracker {
    since: Option<Timestamp>,
    mark: Option<(Timestamp, HashSet<String>)>,
    previous: Option<Timestamp>,
    /// The newest record taken: its time (and text) and the ids taken at that time.
    newest: Option<(Timestamp, String, Vec<String>)>,
}

impl Tracker {
    /// `since` (inclusive) wins over the state's mark when both are given.
    pub fn new(since: Option<Timestamp>, state: Option<&State>) -> Tracker {
        let mark = state.and_then(|s| {
            let at = parse_time(s.high_water_mark.as_deref()?).ok()?;
            Some((at, s.ids_at_mark.iter().cloned().collect()))
        });
        Tracker { since, mark, previous: None, newest: None }
    }

    pub fn judge(&mut self, rec: &Record) -> Result<Verdict, Failure> {
        let id = rec.id().unwrap_or_default();
        let text = rec.updated_at().ok_or_else(|| Failure::other(format!("record {id} has no updatedAt: an incremental export needs it")))?;
        let at = parse_time(text).map_err(|e| Failure::other(format!("record {id}: updatedAt {e}")))?;
        if self.previous.is_some_and(|p| at > p) {
            return Err(Failure::other(format!(
                "the server did not return records newest first (sort=-updatedAt): record {id} ({text}) follows an older one; an incremental export would miss records, so it stops"
            )));
        }
        self.previous = Some(at);
        if let Some(since) = self.since {
            if at < since {
                return Ok(Verdict::Stop);
            }
        } else if let Some((mark, ids)) = &self.mark {
            if at < *mark {
                return Ok(Verdict::Stop);
            }
            if at == *mark && ids.contains(id) {
                return Ok(Verdict::Skip);
            }
        }
        match &mut self.newest {
            None => self.newest = Some((at, text.to_string(), vec![id.to_string()])),
            Some((t, _, ids)) if *t == at => ids.push(id.to_string()),
            Some(_) => {}
        }
        Ok(Verdict::Take)
    }

    /// The state after a complete run: the mark moves to the newest record taken (and keeps
    /// the ids already at the mark when the time did not change).
    pub fn next_state(&self, mut base: State) -> State {
        if let Some((at, text, ids)) = &self.newest {
            match &self.mark {
                // An earlier --since took only older records: the mark stays.
                Some((m, _)) if at < m => {}
                Some((m, _)) if at == m => {
                    for id in ids {
                        if !base.ids_at_mark.contains(id) {
                            base.ids_at_mark.push(id.clone());
                        }
                    }
                }
                _ => {
                    base.high_water_mark = Some(text.clone());
                    base.ids_at_mark = ids.clone();
                }
            }
        }
        base
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rec(id: &str, at: &str) -> Record {
        serde_json::from_value(json!({"_id": id, "updatedAt": at})).unwrap()
    }
    fn state(mark: &str, ids: &[&str]) -> State {
        State { version: 1, kind: "masters".into(), name: "X".into(), filter: None, status: None, high_water_mark: Some(mark.into()), ids_at_mark: ids.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn records_at_the_mark_are_taken_once() {
        let prior = state("2025-01-01T00:00:00.000Z", &["a"]);
        let mut t = Tracker::new(None, Some(&prior));
        assert_eq!(t.judge(&rec("c", "2025-01-02T00:00:00.000Z")).unwrap(), Verdict::Take);
        assert_eq!(t.judge(&rec("b", "2025-01-01T00:00:00.000Z")).unwrap(), Verdict::Take, "same millisecond, not exported before");
        assert_eq!(t.judge(&rec("a", "2025-01-01T00:00:00.000Z")).unwrap(), Verdict::Skip);
        assert_eq!(t.judge(&rec("z", "2024-12-31T23:59:59.999Z")).unwrap(), Verdict::Stop);
        let next = t.next_state(prior.clone());
        assert_eq!(next.high_water_mark.as_deref(), Some("2025-01-02T00:00:00.000Z"));
        assert_eq!(next.ids_at_mark, ["c"]);
    }

    #[test]
    fn a_run_with_only_records_at_the_mark_adds_their_ids() {
        let prior = state("2025-01-01T00:00:00.000Z", &["a"]);
        let mut t = Tracker::new(None, Some(&prior));
        assert_eq!(t.judge(&rec("b", "2025-01-01T00:00:00.000Z")).unwrap(), Verdict::Take);
        assert_eq!(t.next_state(prior).ids_at_mark, ["a", "b"]);
    }

    #[test]
    fn an_unsorted_answer_stops_the_export() {
        let mut t = Tracker::new(None, None);
        t.judge(&rec("a", "2025-01-01T00:00:00.000Z")).unwrap();
        let e = t.judge(&rec("b", "2025-01-03T00:00:00.000Z")).unwrap_err();
        assert!(e.message.contains("newest first"), "{}", e.message);
        assert!(Tracker::new(None, None).judge(&serde_json::from_value(json!({"_id": "x"})).unwrap()).is_err());
    }

    #[test]
    fn since_is_inclusive_and_takes_dates() {
        let since = parse_since("2025-01-02").unwrap();
        let mut t = Tracker::new(Some(since), None);
        assert_eq!(t.judge(&rec("a", "2025-01-02T00:00:00.000Z")).unwrap(), Verdict::Take);
        assert_eq!(t.judge(&rec("b", "2025-01-01T23:59:59.999Z")).unwrap(), Verdict::Stop);
        assert!(parse_since("yesterday").is_err());
    }
}
