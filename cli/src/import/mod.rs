//! `exto360 import masters|modules NAME FILE`: rows upserted through the core's bulk write
//! (which splits them into requests of 1000, keeps to the rate limit, retries what is safe and
//! says for every row whether it was written), with a checkpoint that makes a resume after a
//! crash, `kill -9` or Ctrl-C send only what is not written, and a report of every row that
//! was not.
//!
//! The input is read in batches of a few requests' worth of rows, so memory does not grow
//! with the file. The import goes on past rows the server refuses (a 4xx such as 400 or 422:
//! the data is at fault, other rows may pass); it stops at the first sign of trouble with the
//! server or the access (5xx, lost answers, timeouts, 401/403/404, rate limits after every
//! retry), and everything not sent then is reported as such — resume later with `--resume`.

mod checkpoint;
mod report;
mod rows;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use exto360::{BulkOptions, Client, ErrorKind, WriteState};
use indicatif::ProgressBar;
use serde_json::{Map, Value, json};

use crate::args::{Format, ImportArgs, Kind};
use crate::interrupt::Interrupt;
use crate::output::{Done, Exit, Failure, Outcome, Ui, count};
use checkpoint::{Checkpoint, Fate, Header, InputId, Prior};
use report::{Meta, Report};
use rows::{Row, Rows, Rules};
use watch::Watch;

/// Rows handed to the core at once: a few requests' worth, so the rate limit, not the
/// reading, sets the pace, while memory stays small.
const BATCH: usize = 8 * exto360::MAX_RECORDS_PER_REQUEST;

/// Where rows ended up, for the summary.
#[derive(Debug, Default)]
struct Tally {
    written: u64,
    written_before: u64,
    not_written: u64,
    unknown: u64,
    invalid: u64,
    not_sent: u64,
}

impl Tally {
    fn missing(&self) -> u64 {
        self.not_written + self.unknown + self.invalid + self.not_sent
    }
    fn seen(&self) -> u64 {
        self.written + self.written_before + self.missing()
    }
}

/// Why the import stopped before the end of the input.
enum Stop {
    Interrupted,
    Failed { message: String, error: Option<Value> },
}

/// The running import's bookkeeping.
struct Job<'a> {
    prior: Prior,
    resend_unknown: bool,
    key: Option<String>,
    tally: Tally,
    report: Report,
    progress: &'a ProgressBar,
}

impl Job<'_> {
    fn meta(&self, row: &Row, fields: Option<&Map<String, Value>>) -> Meta {
        let key = self.key.as_ref().and_then(|k| fields?.get(k).cloned());
        Meta { index: row.index, line: row.line, key }
    }

    /// What to do with a row: send it (returned), or account for it here (written by an
    /// earlier run, unknown from an earlier run, invalid).
    fn triage(&mut self, row: Row) -> Result<Option<(Meta, Value)>, Failure> {
        match self.prior.fate(row.index).cloned() {
            Some(Fate::Written) => {
                self.tally.written_before += 1;
                self.progress.inc(1);
                return Ok(None);
            }
            Some(Fate::Unknown(reason)) if !self.resend_unknown => {
                self.tally.unknown += 1;
                self.progress.inc(1);
                let meta = self.meta(&row, row.fields.as_ref().ok());
                self.report.add(&meta, "unknown", &reason)?;
                return Ok(None);
            }
            _ => {}
        }
        let meta = self.meta(&row, row.fields.as_ref().ok());
        match row.fields {
            Ok(fields) => Ok(Some((meta, Value::Object(fields)))),
            Err(reason) => {
                self.invalid(&meta, &reason)?;
                Ok(None)
            }
        }
    }

    fn invalid(&mut self, meta: &Meta, reason: &str) -> Result<(), Failure> {
        self.tally.invalid += 1;
        self.progress.inc(1);
        self.report.add(meta, "invalid", reason)
    }

    fn not_sent(&mut self, meta: &Meta, cause: &str) -> Result<(), Failure> {
        self.tally.not_sent += 1;
        self.progress.inc(1);
        self.report.add(meta, "not_sent", &format!("not sent: {cause}"))
    }
}

fn default_checkpoint(file: &Path) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".exto360-checkpoint");
    file.with_file_name(name)
}

pub async fn run(ui: &Ui, client: Option<&Client>, interrupt: &Interrupt, a: ImportArgs) -> Outcome {
    let started = Instant::now();
    let stdin = a.file == Path::new("-");
    let format = a.format.or_else(|| Format::from_path(&a.file)).unwrap_or(Format::Csv);
    if a.kind == Kind::Modules && a.user.is_none() && !a.dry_run {
        return Err(Failure::usage("--user is required to import module records (an active user of the tenant)"));
    }
    if stdin && a.resume {
        return Err(Failure::usage("--resume needs the input as a file: stdin cannot be checked to be the same input"));
    }
    let rules = Rules::new(&a.types, a.key.clone(), a.empty_as_null)?;
    let total = if stdin { None } else { Some(rows::count(&a.file, format)?) };
    let mut rows = Rows::open(&a.file, format, rules)?;
    if !rows.skipped_columns.is_empty() {
        ui.note(format!("skipped columns (record attributes, not fields): {}", rows.skipped_columns.join(", ")));
    }
    let progress = ui.progress(total, "rows");
    let mut facts = Map::new();
    facts.insert("kind".into(), json!(a.kind.as_str()));
    facts.insert("name".into(), json!(a.name));
    facts.insert("format".into(), json!(format.as_str()));
    facts.insert("skippedColumns".into(), json!(rows.skipped_columns));
    let mut job = Job { prior: Prior::default(), resend_unknown: a.resend_unknown, key: a.key.clone(), tally: Tally::default(), report: Report::create(a.report.as_deref())?, progress: &progress };

    if a.dry_run {
        return dry_run(&mut job, &mut rows, facts, &a).inspect(|_| progress.finish_and_clear());
    }
    let client = client.ok_or_else(|| Failure::other("no client for the import"))?;

    let checkpoint_path = a.checkpoint.clone().or_else(|| (!stdin).then(|| default_checkpoint(&a.file)));
    let header = Header {
        exto360_checkpoint: 1,
        kind: a.kind.as_str().into(),
        name: a.name.clone(),
        user: a.user.clone(),
        input: if stdin { InputId { path: "-".into(), size: 0, modified_ns: 0 } } else { InputId::of(&a.file)? },
    };
    let checkpoint = match &checkpoint_path {
        Some(path) => {
            if a.resume && !path.exists() {
                // A complete import removes its checkpoint: resuming it must not start over.
                return Err(Failure::usage(format!(
                    "no checkpoint to resume at {} (a complete import removes its checkpoint); run without --resume to import from the first row",
                    path.display()
                )));
            }
            let (c, prior, resumed) = Checkpoint::open(path, &header, a.resume)?;
            if resumed {
                let written = prior.count(|f| *f == Fate::Written);
                let unknown = prior.count(|f| matches!(f, Fate::Unknown(_)));
                let what = if a.resend_unknown { "sent again (--resend-unknown)" } else { "listed, not sent (--resend-unknown sends them)" };
                ui.note(format!("resuming: {} rows written by earlier runs are skipped; {} rows of unknown fate are {what}", count(written as u64), count(unknown as u64)));
            }
            job.prior = prior;
            Some(Arc::new(Mutex::new(c)))
        }
        None => None,
    };

    let stop_flag = interrupt.flag();
    let mut carry: Vec<(Meta, Value)> = Vec::new();
    let mut stop: Option<Stop> = None;
    loop {
        if interrupt.is_set() {
            stop.get_or_insert(Stop::Interrupted);
        }
        if stop.is_some() {
            break;
        }
        let mut batch = std::mem::take(&mut carry);
        while batch.len() < BATCH {
            let Some(row) = rows.next_row()? else { break };
            if let Some(item) = job.triage(row)? {
                batch.push(item);
            }
        }
        if batch.is_empty() {
            break;
        }
        let (metas, mut values): (Vec<Meta>, Vec<Value>) = batch.into_iter().unzip();
        let watch = Arc::new(Watch::new(metas.iter().map(|m| m.index).collect(), checkpoint.clone(), stop_flag.clone(), progress.clone()));
        let opts = BulkOptions::new().watch(watch.clone());
        let result = match (a.kind, &a.user) {
            (Kind::Masters, _) => client.masters(&a.name).upsert_with(&values, &opts).await,
            (Kind::Modules, Some(user)) => client.modules(&a.name).upsert_with(&values, user, &opts).await,
            (Kind::Modules, None) => unreachable!("checked above"),
        };
        let outcomes = watch.take_outcomes();
        let mut attempted = vec![false; metas.len()];
        let mut trouble: Option<String> = None;
        for o in &outcomes {
            attempted[o.positions.clone()].fill(true);
            let reason = o.error.as_ref().map_or("", |(_, r)| r.as_str());
            let (label, n) = match o.state {
                WriteState::Written => {
                    job.tally.written += o.positions.len() as u64;
                    continue;
                }
                WriteState::NotWritten => ("not_written", &mut job.tally.not_written),
                WriteState::Unknown => ("unknown", &mut job.tally.unknown),
            };
            *n += o.positions.len() as u64;
            for p in o.positions.clone() {
                job.report.add(&metas[p], label, reason)?;
            }
            if let Some((kind, r)) = &o.error
                && *kind != ErrorKind::BadRequest
            {
                trouble.get_or_insert_with(|| r.clone());
            }
        }
        // Chunks never sent (another chunk failed first, or Ctrl-C) go with the next batch.
        for (p, meta) in metas.into_iter().enumerate() {
            if !attempted[p] {
                carry.push((meta, std::mem::take(&mut values[p])));
            }
        }
        let io_error = watch.io_error.lock().unwrap_or_else(|p| p.into_inner()).take();
        // The error's bulk ranges are over this batch, not the input: the report and the
        // checkpoint say it per row, so they are left out.
        let error_json = result.as_ref().err().map(|e| {
            let mut j = exto360::json::error_json(e);
            if let Some(m) = j.as_object_mut() {
                m.remove("bulk");
            }
            j
        });
        stop = match (io_error, trouble) {
            (Some(message), _) => Some(Stop::Failed { message, error: None }),
            _ if interrupt.is_set() => Some(Stop::Interrupted),
            (None, Some(message)) => Some(Stop::Failed { message, error: error_json }),
            // A failure before anything could be sent (e.g. a refused argument) would only
            // repeat: stop.
            (None, None) if outcomes.is_empty() => result.err().map(|e| Stop::Failed { message: e.to_string(), error: error_json }),
            (None, None) => None,
        };
    }

    // Stopped early: what was not sent is reported as such (a file is read to its end; stdin
    // is left alone, it may never end).
    let cause = match &stop {
        Some(Stop::Interrupted) => Some("the import was interrupted (Ctrl-C)".to_string()),
        Some(Stop::Failed { message, .. }) => Some(format!("the import stopped after an error: {message}")),
        None => None,
    };
    if let Some(cause) = &cause {
        for (meta, _) in std::mem::take(&mut carry) {
            job.not_sent(&meta, cause)?;
        }
        if !stdin {
            while let Some(row) = rows.next_row()? {
                if let Some((meta, _)) = job.triage(row)? {
                    job.not_sent(&meta, cause)?;
                }
            }
        }
    }
    progress.finish_and_clear();
    let Job { tally, report, .. } = job;
    let reported = report.rows;
    report.finish()?;

    let complete = stop.is_none() && tally.missing() == 0;
    let mut kept_checkpoint = None;
    if let Some(c) = checkpoint {
        let c = Arc::try_unwrap(c).ok().map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        match c {
            Some(c) if complete => c.remove()?,
            Some(c) => kept_checkpoint = Some(c.path().to_path_buf()),
            None => {}
        }
    }
    let any_written = tally.written + tally.written_before > 0;
    let (exit, error) = match stop {
        Some(Stop::Interrupted) => (Exit::Interrupted, None),
        Some(Stop::Failed { message, error }) => {
            let mut e = error.unwrap_or_else(|| json!({}));
            e["message"] = json!(message);
            (if any_written { Exit::Partial } else { Exit::Failed }, Some(e))
        }
        None if complete => (Exit::Done, None),
        None => (Exit::Partial, None),
    };

    let rows_seen = total.unwrap_or(tally.seen());
    facts.insert("rows".into(), json!(rows_seen));
    facts.insert("written".into(), json!(tally.written));
    facts.insert("writtenBefore".into(), json!(tally.written_before));
    facts.insert("notWritten".into(), json!(tally.not_written));
    facts.insert("unknown".into(), json!(tally.unknown));
    facts.insert("invalid".into(), json!(tally.invalid));
    facts.insert("notSent".into(), json!(tally.not_sent));
    facts.insert("complete".into(), json!(complete));
    facts.insert("interrupted".into(), json!(exit == Exit::Interrupted));
    facts.insert("checkpoint".into(), json!(kept_checkpoint.as_ref().map(|p| p.display().to_string())));
    facts.insert("report".into(), json!(a.report.as_ref().map(|p| p.display().to_string())));
    facts.insert("elapsedSeconds".into(), json!(started.elapsed().as_secs_f64()));

    let mut parts = vec![format!("{} written", count(tally.written))];
    for (n, what) in [
        (tally.written_before, "written by earlier runs"),
        (tally.not_written, "not written (refused)"),
        (tally.unknown, "unknown (may have been written)"),
        (tally.invalid, "invalid"),
        (tally.not_sent, "not sent"),
    ] {
        if n > 0 {
            parts.push(format!("{} {what}", count(n)));
        }
    }
    let mut text = format!("{} {} rows into {} {}: {}", if complete { "imported" } else { "import of" }, count(rows_seen), a.kind.as_str(), a.name, parts.join(", "));
    if stdin && cause.is_some() {
        text.push_str("; the rest of stdin was not read");
    }
    if let Some(cause) = &cause {
        text.push_str(&format!("\nstopped: {cause}"));
    }
    if let Some(p) = &a.report
        && reported > 0
    {
        text.push_str(&format!("\nreport: {} ({} rows not written)", p.display(), count(reported)));
    }
    if let Some(p) = &kept_checkpoint {
        text.push_str(&format!("\ncheckpoint: {} (run again with --resume to send what is not written)", p.display()));
    }
    Ok(Done::summary(facts, text).exit(exit).with_error(error))
}

/// `--dry-run`: reads and checks every row, sends nothing.
fn dry_run(job: &mut Job<'_>, rows: &mut Rows, mut facts: Map<String, Value>, a: &ImportArgs) -> Outcome {
    let mut valid = 0u64;
    let mut examples = Vec::new();
    while let Some(row) = rows.next_row()? {
        let meta = job.meta(&row, row.fields.as_ref().ok());
        match &row.fields {
            Ok(_) => {
                valid += 1;
                job.progress.inc(1);
            }
            Err(reason) => {
                job.invalid(&meta, reason)?;
                if examples.len() < 5 {
                    examples.push(format!("  row {} (line {}): {reason}", row.index + 1, row.line));
                }
            }
        }
    }
    let invalid = job.tally.invalid;
    let report = std::mem::replace(&mut job.report, Report::create(None)?);
    report.finish()?;
    facts.insert("dryRun".into(), json!(true));
    facts.insert("rows".into(), json!(valid + invalid));
    facts.insert("valid".into(), json!(valid));
    facts.insert("invalid".into(), json!(invalid));
    facts.insert("sent".into(), json!(0));
    facts.insert("report".into(), json!(a.report.as_ref().map(|p| p.display().to_string())));
    let mut text = format!("dry run: {} rows read, {} valid, {} invalid; nothing was sent", count(valid + invalid), count(valid), count(invalid));
    if invalid > 0 {
        text.push_str(&format!("\ninvalid rows{}:\n{}", a.report.as_ref().map_or(String::new(), |p| format!(" (all in {})", p.display())), examples.join("\n")));
    }
    Ok(Done::summary(facts, text).exit(if invalid > 0 { Exit::Failed } else { Exit::Done }))
}
