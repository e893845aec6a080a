//! What a command prints and how it exits: one result (human text, or one JSON object with
//! `--json`), notes on stderr, and the documented exit codes.

use std::fmt::Display;
use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value, json};

/// The exit status of the command (documented in `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done = 0,
    Failed = 1,
    Usage = 2,
    /// Some rows were not written (or a partial export was kept).
    Partial = 3,
    /// Stopped by Ctrl-C.
    Interrupted = 130,
}

/// Where the human form of a result goes: data to stdout, a job's summary to stderr (so that
/// stdout can carry the data itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Stdout,
    Stderr,
}

/// A finished command: its exit status and its result, for people and for scripts.
#[derive(Debug)]
pub struct Done {
    pub exit: Exit,
    pub json: Map<String, Value>,
    pub text: String,
    pub to: To,
    /// A failure that came with the result (e.g. the error that stopped an import).
    pub error: Option<Value>,
    /// The command printed its result itself (the emulator's first line).
    pub printed: bool,
    /// The command's data went to stdout: the JSON result goes to stderr.
    pub data_on_stdout: bool,
}

impl Done {
    pub fn new(json: Map<String, Value>, text: impl Into<String>) -> Done {
        Done { exit: Exit::Done, json, text: text.into(), to: To::Stdout, error: None, printed: false, data_on_stdout: false }
    }
    /// A result whose human form is a summary on stderr.
    pub fn summary(json: Map<String, Value>, text: impl Into<String>) -> Done {
        Done { to: To::Stderr, ..Done::new(json, text) }
    }
    pub fn exit(mut self, exit: Exit) -> Done {
        self.exit = exit;
        self
    }
    pub fn with_error(mut self, error: Option<Value>) -> Done {
        self.error = error;
        self
    }
}

/// A command that could not do its job.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// The core's error as JSON (kind, status, details, bulk report), when there is one.
    pub error: Option<Value>,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { exit: Exit::Usage, message: message.into(), error: None }
    }
    pub fn other(message: impl Into<String>) -> Failure {
        Failure { exit: Exit::Failed, message: message.into(), error: None }
    }
    /// An I/O failure on a named file.
    pub fn io(what: impl Display, e: std::io::Error) -> Failure {
        Failure::other(format!("{what}: {e}"))
    }
}

impl From<exto360::Error> for Failure {
    fn from(e: exto360::Error) -> Failure {
        // InvalidInput: nothing was sent because the arguments cannot make a request. A bulk
        // operation that half-happened is "partly done".
        let exit = match e.bulk() {
            Some(b) if b.is_partial() => Exit::Partial,
            None if e.kind() == exto360::ErrorKind::InvalidInput => Exit::Usage,
            _ => Exit::Failed,
        };
        Failure { exit, message: e.to_string(), error: Some(exto360::json::error_json(&e)) }
    }
}

pub type Outcome = Result<Done, Failure>;

/// How this run talks to its user.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub json: bool,
    pub quiet: bool,
}

impl Ui {
    /// A note on stderr (not with --quiet).
    pub fn note(&self, msg: impl Display) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{msg}");
        }
    }

    /// A progress bar on stderr — drawn only on a terminal and without --quiet. `len` is the
    /// total when known (then the bar shows done/total, rate and ETA), else a counter.
    pub fn progress(&self, len: Option<u64>, unit: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let (pb, template) = match len {
            Some(n) => (ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()), format!("{{bar:30}} {{human_pos}}/{{human_len}} {unit} · {{per_sec}} · ETA {{eta}} {{msg}}")),
            None => (ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()), format!("{{spinner}} {{human_pos}} {unit} · {{per_sec}} {{msg}}")),
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            pb.set_style(style);
        }
        pb.enable_steady_tick(std::time::Duration::from_millis(250));
        pb
    }

    /// Prints the outcome and returns the exit status.
    pub fn finish(&self, outcome: Outcome, command: &str) -> i32 {
        match outcome {
            Ok(done) if done.printed => done.exit as i32,
            Ok(done) => {
                if self.json {
                    let mut obj = Map::new();
                    obj.insert("ok".into(), json!(done.exit == Exit::Done));
                    obj.insert("command".into(), json!(command));
                    obj.insert("exitCode".into(), json!(done.exit as i32));
                    obj.extend(done.json);
                    if let Some(e) = done.error {
                        obj.insert("error".into(), e);
                    }
                    emit(if done.data_on_stdout { To::Stderr } else { To::Stdout }, &Value::Object(obj).to_string());
                } else if !(done.text.is_empty() || self.quiet && done.to == To::Stderr) {
                    emit(done.to, done.text.trim_end());
                }
                done.exit as i32
            }
            Err(f) => {
                self.fail(command, &f);
                f.exit as i32
            }
        }
    }

    fn fail(&self, command: &str, f: &Failure) {
        if self.json {
            let mut error = f.error.clone().unwrap_or_else(|| json!({}));
            if let Value::Object(m) = &mut error {
                m.entry("kind").or_insert_with(|| json!(if f.exit == Exit::Usage { "usage" } else { "error" }));
                m.insert("message".into(), json!(f.message));
            }
            emit(To::Stdout, &json!({"ok": false, "command": command, "exitCode": f.exit as i32, "error": error}).to_string());
        }
        let _ = writeln!(std::io::stderr().lock(), "exto360: error: {}", f.message);
    }
}

/// Writes a line; a closed pipe (`exto360 users list | head -1`) is not an error.
pub fn emit(to: To, text: &str) {
    let _ = match to {
        To::Stdout => writeln!(std::io::stdout().lock(), "{text}"),
        To::Stderr => writeln!(std::io::stderr().lock(), "{text}"),
    };
}

/// A clap parse error: help and version go to stdout with status 0; everything else is a
/// usage error (status 2), also as JSON on stdout when `--json` was among the arguments.
pub fn clap_error(e: clap::Error, json: bool) -> i32 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            0
        }
        _ => {
            if json {
                let msg = e.render().to_string();
                let first = msg.lines().next().unwrap_or("usage error").trim_start_matches("error: ").to_string();
                emit(To::Stdout, &json!({"ok": false, "exitCode": 2, "error": {"kind": "usage", "message": first}}).to_string());
            }
            let _ = e.print();
            Exit::Usage as i32
        }
    }
}

/// `n` with thousands separators, for summaries.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_have_separators() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(1234567), "1,234,567");
    }
}
