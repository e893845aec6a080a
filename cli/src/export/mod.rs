//! `exto360 export masters|modules NAME`: every matching record, page by page (the core pages,
//! retries and keeps to the rate limit), into a CSV or JSONL file that appears only when
//! complete.

mod incremental;
mod sink;

use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

use exto360::{Client, ListOptions, Pages, Record};
use futures_util::StreamExt;
use serde_json::{Map, json};

use crate::args::{ExportArgs, Format, Kind};
use crate::files::AtomicFile;
use crate::interrupt::Interrupt;
use crate::output::{Done, Exit, Failure, Outcome, Ui, count};
use incremental::{State, Tracker, Verdict};
use sink::{Csv, Jsonl, Out, Sink};

fn pages(client: &Client, kind: Kind, name: &str, opts: ListOptions) -> Pages<Record> {
    match kind {
        Kind::Masters => client.masters(name).pages_as(opts),
        Kind::Modules => client.modules(name).pages_as(opts),
    }
}

/// Why the records stopped coming before the end.
enum Stopped {
    Interrupted,
    Failed(Failure),
}

pub async fn run(ui: &Ui, client: &Client, interrupt: &Interrupt, a: ExportArgs) -> Outcome {
    let started = Instant::now();
    let dest = a.output.as_deref().filter(|p| *p != Path::new("-"));
    let format = a.format.or_else(|| dest.and_then(Format::from_path)).unwrap_or(Format::Csv);
    let incremental = a.since.is_some() || a.state.is_some();
    if a.sort.is_some() && incremental {
        return Err(Failure::usage("--sort cannot be combined with --since/--state: an incremental export reads newest first (-updatedAt)"));
    }
    let since = a.since.as_deref().map(incremental::parse_since).transpose()?;
    let fresh = State { version: 1, kind: a.kind.as_str().into(), name: a.name.clone(), filter: a.filter.clone(), status: a.status.clone(), high_water_mark: None, ids_at_mark: vec![] };
    let prior = match &a.state {
        Some(path) => State::load(path)?.map(|s| s.check_same(&fresh, path).map(|_| s)).transpose()?,
        None => None,
    };
    let mut tracker = Tracker::new(since, prior.as_ref());

    let mut opts = ListOptions::new().page_size(a.page_size);
    if let Some(f) = &a.filter {
        opts = opts.filter(f.as_str());
    }
    if let Some(s) = &a.status {
        opts = opts.status(s);
    }
    if let Some(z) = &a.local_time_zone {
        opts = opts.local_time_zone(z);
    }
    if let Some(s) = &a.sort {
        opts = opts.sort(s);
    }
    if incremental {
        opts = opts.sort_desc("updatedAt");
    }

    let out = match dest {
        Some(d) => Out::File(AtomicFile::create(d)?),
        None => Out::Stdout(BufWriter::with_capacity(256 * 1024, std::io::stdout())),
    };
    let mut sink: Box<dyn Sink> = match format {
        Format::Csv => Box::new(Csv::new(out, dest)?),
        Format::Jsonl => Box::new(Jsonl::new(out)),
    };

    let progress = ui.progress(None, "records");
    let mut stream = pages(client, a.kind, &a.name, opts);
    let mut exported: u64 = 0;
    let mut stopped = None;
    'pages: loop {
        let next = tokio::select! {
            biased;
            _ = interrupt.wait() => { stopped = Some(Stopped::Interrupted); break }
            next = stream.next() => next,
        };
        let page = match next {
            None => break,
            Some(Ok(page)) => page,
            Some(Err(e)) => {
                stopped = Some(Stopped::Failed(e.into()));
                break;
            }
        };
        if let (Some(total), false) = (page.total, incremental) {
            progress.set_length(total);
        }
        for rec in &page.rows {
            if incremental {
                match tracker.judge(rec) {
                    Ok(Verdict::Take) => {}
                    Ok(Verdict::Skip) => continue,
                    Ok(Verdict::Stop) => break 'pages,
                    Err(f) => {
                        stopped = Some(Stopped::Failed(f));
                        break 'pages;
                    }
                }
            }
            sink.write(rec)?;
            exported += 1;
        }
        progress.set_position(exported);
    }
    drop(stream); // stops the page prefetch
    progress.finish_and_clear();

    let target = dest.map_or("stdout".to_string(), |d| d.display().to_string());
    let mut facts = Map::new();
    facts.insert("kind".into(), json!(a.kind.as_str()));
    facts.insert("name".into(), json!(a.name));
    facts.insert("format".into(), json!(format.as_str()));
    facts.insert("records".into(), json!(exported));
    facts.insert("elapsedSeconds".into(), json!(started.elapsed().as_secs_f64()));
    let done = |facts: Map<String, serde_json::Value>, text: String| Done { data_on_stdout: dest.is_none(), ..Done::summary(facts, text) };

    let Some(why) = stopped else {
        let columns = sink.finish()?;
        facts.insert("complete".into(), json!(true));
        facts.insert("output".into(), json!(target));
        if format == Format::Csv {
            facts.insert("columns".into(), json!(columns));
        }
        if let Some(path) = &a.state {
            let next = tracker.next_state(prior.unwrap_or(fresh));
            next.save(path)?;
            facts.insert("highWaterMark".into(), json!(next.high_water_mark));
        }
        return Ok(done(facts, format!("exported {} records to {target} ({})", count(exported), format.as_str())));
    };
    let (exit, cause, error) = match why {
        Stopped::Interrupted => (Exit::Interrupted, "interrupted".to_string(), None),
        // "Partly done" only when some records were kept.
        Stopped::Failed(f) => (if a.partial_ok && exported > 0 { Exit::Partial } else { f.exit }, f.message, f.error.or(Some(json!({"kind": "error"})))),
    };
    facts.insert("complete".into(), json!(false));
    facts.insert("interrupted".into(), json!(exit == Exit::Interrupted));
    let text = if a.partial_ok {
        sink.finish()?;
        facts.insert("output".into(), json!(target));
        format!("export stopped ({cause}): the first {} records are in {target} (--partial-ok)", count(exported))
    } else {
        drop(sink); // removes the temporary file: nothing appears
        facts.insert("output".into(), json!(null));
        let kept = if dest.is_some() { format!("{target} was not written") } else { "the output is incomplete".to_string() };
        format!("export stopped ({cause}) after {} records; {kept} (use --partial-ok to keep a partial file)", count(exported))
    };
    let error = error.map(|mut e| {
        if let Some(m) = e.as_object_mut() {
            m.entry("message").or_insert(json!(cause));
        }
        e
    });
    Ok(done(facts, text).exit(exit).with_error(error))
}
