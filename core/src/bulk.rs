//! Bulk writes of any size: split into requests within the API's limits, sent with bounded
//! concurrency (under the client's rate limit), merged in input order. When a request fails,
//! no further request starts, and the error carries a [`BulkReport`] that says which input
//! items were written, which were not, and which may have been — each decided from every
//! attempt of the request that carried it (see [`WriteState`]).

use std::future::Future;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;

use crate::error::{BulkReport, Error, Result, WriteState};
use crate::models::{BulkWriteResult, DeleteResult, UpsertResult, WorkflowResult};

/// What the answer of one chunk gives to a failed operation's report.
pub(crate) trait ChunkAnswer {
    /// Ids of documents the chunk inserted, when the API lists them.
    fn inserted_ids(&self) -> &[String] {
        &[]
    }
}

impl ChunkAnswer for UpsertResult {
    fn inserted_ids(&self) -> &[String] {
        &self.inserted_ids
    }
}
impl ChunkAnswer for Vec<WorkflowResult> {}
impl ChunkAnswer for BulkWriteResult {}
impl ChunkAnswer for DeleteResult {}

/// Runs `send` for each chunk of `0..total` (at most `chunk` items each), at most
/// `concurrency` at a time; returns the chunk answers in input order.
pub(crate) async fn run<O, F, Fut>(total: usize, chunk: usize, concurrency: usize, send: F) -> Result<Vec<O>>
where
    O: ChunkAnswer,
    F: Fn(Range<usize>, Arc<AtomicBool>) -> Fut,
    Fut: Future<Output = Result<O>>,
{
    let ranges: Vec<Range<usize>> = (0..total).step_by(chunk.max(1)).map(|s| s..(s + chunk).min(total)).collect();
    let abort = Arc::new(AtomicBool::new(false));
    let mut outcomes: Vec<(usize, Option<Result<O>>)> = futures_util::stream::iter(ranges.iter().cloned().enumerate())
        .map(|(i, r)| {
            let abort = abort.clone();
            let fut = send(r, abort.clone());
            async move {
                if abort.load(Ordering::Relaxed) {
                    return (i, None);
                }
                let res = fut.await;
                if res.is_err() {
                    abort.store(true, Ordering::Relaxed);
                }
                (i, Some(res))
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    outcomes.sort_by_key(|(i, _)| *i);
    if outcomes.iter().all(|(_, o)| matches!(o, Some(Ok(_)))) {
        return Ok(outcomes.into_iter().filter_map(|(_, o)| o.and_then(Result::ok)).collect());
    }
    let mut report = BulkReport { total, slices: Vec::with_capacity(ranges.len()), inserted_ids: Vec::new() };
    let mut first_error: Option<Error> = None;
    let mut first_skipped: Option<Error> = None;
    for ((_, outcome), range) in outcomes.into_iter().zip(ranges) {
        let state = match outcome {
            Some(Ok(answer)) => {
                report.inserted_ids.extend_from_slice(answer.inserted_ids());
                WriteState::Written
            }
            // Never started: another chunk had already failed.
            None => WriteState::NotWritten,
            Some(Err(e)) => {
                // A chunk stopped before a retry keeps what its earlier attempts may have done.
                let state = e.write_state();
                // The cause to report: the first real failure in input order, not the
                // "not sent because of another failure" of chunks that were stopped.
                if e.is_skipped() {
                    first_skipped.get_or_insert(e);
                } else if first_error.is_none() {
                    first_error = Some(e);
                }
                state
            }
        };
        match report.slices.last_mut() {
            Some((r, s)) if *s == state && r.end == range.start => r.end = range.end,
            _ => report.slices.push((range, state)),
        }
    }
    let mut err = first_error.or(first_skipped).unwrap_or_else(|| Error::invalid_input("bulk operation stopped"));
    err.set_bulk(report);
    Err(err)
}

/// Watches a bulk write chunk by chunk: to keep a durable checkpoint, to draw progress, or to
/// stop the operation between requests. Ranges are over the caller's input, as in
/// [`BulkReport`]. Passed with [`BulkOptions::watch`]; methods are called from the client's
/// tasks, so keep them short (appending a line to a file is fine).
pub trait BulkWatch: Send + Sync {
    /// Called right before a request carrying the input items `range` goes on the wire — after
    /// the rate-limit wait, for every attempt (retries too). Return `false` to stop the
    /// operation: this request is not sent, nor any other of the operation not yet sent;
    /// requests already on the wire finish. Their items end [`WriteState::NotWritten`] unless
    /// an earlier attempt was sent. Default: `true`.
    fn sending(&self, range: Range<usize>) -> bool {
        let _ = range;
        true
    }

    /// Called once for each chunk that was sent at least once, when its state is final: the
    /// state the operation's [`BulkReport`] gives it (`Written` when the operation succeeds),
    /// and the request's error when it failed. Chunks never sent get no call; they are not
    /// written.
    fn finished(&self, range: Range<usize>, state: WriteState, error: Option<&Error>) {
        let _ = (range, state, error);
    }
}

/// Options of one bulk write (e.g. [`crate::Masters::upsert_with`]).
#[derive(Clone, Default)]
pub struct BulkOptions {
    pub(crate) watch: Option<Arc<dyn BulkWatch>>,
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions").field("watch", &self.watch.is_some()).finish()
    }
}

impl BulkOptions {
    pub fn new() -> Self {
        Self::default()
    }
    /// Reports every chunk to `watch`, which may also stop the operation (default: none).
    pub fn watch(mut self, watch: Arc<dyn BulkWatch>) -> Self {
        self.watch = Some(watch);
        self
    }
    /// The gate of the chunk `range`, when a watcher is set.
    pub(crate) fn gate(&self, range: &Range<usize>) -> Option<Arc<ChunkGate>> {
        self.watch.as_ref().map(|w| Arc::new(ChunkGate { watch: w.clone(), range: range.clone(), sent: AtomicBool::new(false) }))
    }
}

/// One chunk's link to its watcher: asked before each attempt, told the outcome once.
pub(crate) struct ChunkGate {
    watch: Arc<dyn BulkWatch>,
    range: Range<usize>,
    /// Whether some attempt went out (only those chunks are reported as finished).
    sent: AtomicBool,
}

impl ChunkGate {
    /// Whether the attempt may go out now.
    pub(crate) fn open(&self) -> bool {
        let go = self.watch.sending(self.range.clone());
        if go {
            self.sent.store(true, Ordering::Relaxed);
        }
        go
    }

    /// Tells the watcher the chunk's final outcome, if it was ever sent.
    pub(crate) fn finish<O>(&self, outcome: &Result<O>) {
        if !self.sent.load(Ordering::Relaxed) {
            return;
        }
        match outcome {
            Ok(_) => self.watch.finished(self.range.clone(), WriteState::Written, None),
            Err(e) => self.watch.finished(self.range.clone(), e.write_state(), Some(e)),
        }
    }
}
