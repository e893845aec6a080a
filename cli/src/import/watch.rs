//! The bridge between the core's bulk write and the checkpoint: before each request leaves,
//! its rows are recorded as sent; when a chunk's fate is known, it is recorded too. The core
//! decides the fate (written / not written / unknown); this only maps the core's ranges (over
//! one batch) to input rows and writes them down.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use exto360::{BulkWatch, ErrorKind, WriteState};
use indicatif::ProgressBar;

use super::checkpoint::{Checkpoint, Fate};

/// A chunk's outcome, over batch positions.
#[derive(Debug, Clone)]
pub struct ChunkOutcome {
    pub positions: Range<usize>,
    pub state: WriteState,
    /// The request's failure: its kind and the server's reason.
    pub error: Option<(ErrorKind, String)>,
}

pub struct Watch {
    /// Batch position → input row.
    rows: Vec<usize>,
    checkpoint: Option<Arc<Mutex<Checkpoint>>>,
    stop: Arc<AtomicBool>,
    progress: ProgressBar,
    outcomes: Mutex<Vec<ChunkOutcome>>,
    /// A checkpoint write that failed: nothing more is sent.
    pub io_error: Mutex<Option<String>>,
}

impl Watch {
    pub fn new(rows: Vec<usize>, checkpoint: Option<Arc<Mutex<Checkpoint>>>, stop: Arc<AtomicBool>, progress: ProgressBar) -> Watch {
        Watch { rows, checkpoint, stop, progress, outcomes: Mutex::new(Vec::new()), io_error: Mutex::new(None) }
    }

    /// The input rows of batch positions, as runs of consecutive rows.
    fn input_ranges(&self, positions: Range<usize>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for &row in &self.rows[positions] {
            match out.last_mut() {
                Some(r) if r.end == row => r.end += 1,
                _ => out.push(row..row + 1),
            }
        }
        out
    }

    fn record(&self, f: impl FnOnce(&mut Checkpoint) -> std::io::Result<()>) -> bool {
        let Some(c) = &self.checkpoint else { return true };
        let mut c = c.lock().unwrap_or_else(|p| p.into_inner());
        match f(&mut c) {
            Ok(()) => true,
            Err(e) => {
                let msg = format!("cannot write the checkpoint {}: {e}", c.path().display());
                self.io_error.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(msg);
                self.stop.store(true, Ordering::SeqCst);
                false
            }
        }
    }

    pub fn take_outcomes(&self) -> Vec<ChunkOutcome> {
        std::mem::take(&mut *self.outcomes.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl BulkWatch for Watch {
    fn sending(&self, range: Range<usize>) -> bool {
        // Stopped (Ctrl-C or a failed checkpoint write): nothing more leaves. A request the
        // checkpoint cannot record is not sent either.
        if self.stop.load(Ordering::SeqCst) {
            return false;
        }
        let rows = self.input_ranges(range);
        self.record(|c| c.sending(&rows))
    }

    fn finished(&self, range: Range<usize>, state: WriteState, error: Option<&exto360::Error>) {
        let reason = error.map(|e| e.to_string()).unwrap_or_default();
        let fate = match state {
            WriteState::Written => Fate::Written,
            WriteState::NotWritten => Fate::NotWritten(Arc::from(reason.as_str())),
            WriteState::Unknown => Fate::Unknown(Arc::from(reason.as_str())),
        };
        let rows = self.input_ranges(range.clone());
        self.record(|c| c.done(&rows, &fate));
        self.progress.inc(range.len() as u64);
        self.outcomes.lock().unwrap_or_else(|p| p.into_inner()).push(ChunkOutcome { positions: range, state, error: error.map(|e| (e.kind(), reason)) });
    }
}
