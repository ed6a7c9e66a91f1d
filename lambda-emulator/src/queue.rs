//! The invocation queue: FIFO waiting invocations, the ones handed out to the runtime, and the
//! state machine that decides which Runtime API calls are legal for a request id.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::HeaderMap;
use tokio::sync::{mpsc, oneshot, Notify};

use crate::invocation::{Invocation, Outcome};

/// How many answered request ids are remembered to tell "already answered" (403) from
/// "unknown" (400).
const REMEMBERED_FINISHED_IDS: usize = 4096;

/// What the runtime answered for one invocation.
#[derive(Debug)]
pub(crate) enum Answer {
    /// A buffered response, an error report, or an environment failure.
    Complete(Outcome),
    /// A streamed response: its chunks arrive on `events` as the runtime sends them.
    Stream(StreamedAnswer),
    /// An error reported after the runtime's response was refused as too large (413): Lambda's
    /// callers see `Function.ResponseSizeTooLarge` instead.
    ErrorAfterOversize(crate::invocation::ErrorReport),
}

/// A response the runtime is streaming.
#[derive(Debug)]
pub(crate) struct StreamedAnswer {
    /// The invocation's request id.
    pub(crate) request_id: String,
    /// The headers of the runtime's POST.
    pub(crate) headers: HeaderMap,
    /// Chunks, then trailers, in order; the channel closes when the body is complete.
    pub(crate) events: mpsc::Receiver<StreamEvent>,
}

/// One event of a streamed response.
#[derive(Debug)]
pub(crate) enum StreamEvent {
    /// A chunk of the body.
    Data(Bytes),
    /// The trailers (last event).
    Trailers(HeaderMap),
    /// The runtime's connection failed before the body was complete.
    Broken(String),
}

/// An invocation as handed to the runtime by `GET /runtime/invocation/next`.
#[derive(Debug)]
pub(crate) struct HandedOut {
    pub(crate) request_id: String,
    pub(crate) invocation: Invocation,
    pub(crate) deadline: SystemTime,
}

/// The submitter's side of a queued invocation.
#[derive(Debug)]
pub(crate) struct Ticket {
    pub(crate) request_id: String,
    pub(crate) timeout: Duration,
    /// Fires with the deadline when the runtime receives the invocation.
    pub(crate) started: oneshot::Receiver<Instant>,
    /// Fires with the runtime's answer.
    pub(crate) answer: oneshot::Receiver<Answer>,
}

/// Why a `/response` or `/error` POST is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimError {
    /// No invocation with that id exists (400 `InvalidRequestID`).
    UnknownId,
    /// The id exists but is not waiting for an answer (403 `InvalidStateTransition`).
    InvalidState,
}

#[derive(Debug)]
struct Queued {
    request_id: String,
    invocation: Invocation,
    timeout: Duration,
    started: oneshot::Sender<Instant>,
    answer: oneshot::Sender<Answer>,
}

#[derive(Debug)]
struct InFlight {
    answer: oneshot::Sender<Answer>,
    /// A POST for this id is being read right now.
    answering: bool,
    /// A response for this id was refused as too large.
    oversized: bool,
}

#[derive(Debug, Default)]
struct Inner {
    queued: VecDeque<Queued>,
    in_flight: HashMap<String, InFlight>,
    finished: HashSet<String>,
    finished_order: VecDeque<String>,
    /// No hand-outs until [`Queue::resume`] (extensions are still working on the last one).
    paused: bool,
    /// Pause after every hand-out.
    pause_on_hand_out: bool,
}

impl Inner {
    fn remember_finished(&mut self, request_id: String) {
        if self.finished.insert(request_id.clone()) {
            self.finished_order.push_back(request_id);
        }
        while self.finished_order.len() > REMEMBERED_FINISHED_IDS {
            if let Some(old) = self.finished_order.pop_front() {
                self.finished.remove(&old);
            }
        }
    }
}

/// The shared queue behind one Runtime API server.
#[derive(Debug)]
pub(crate) struct Queue {
    inner: Mutex<Inner>,
    changed: Notify,
    max_concurrency: usize,
}

impl Queue {
    pub(crate) fn new(max_concurrency: usize) -> Queue {
        Queue {
            inner: Mutex::new(Inner::default()),
            changed: Notify::new(),
            max_concurrency: max_concurrency.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means another thread panicked mid-update of plain collections.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues an invocation (FIFO) and returns the submitter's ticket.
    pub(crate) fn submit(&self, mut invocation: Invocation, timeout: Duration) -> Ticket {
        let request_id = invocation
            .request_id
            .take()
            .unwrap_or_else(crate::ids::request_id);
        let (started_tx, started_rx) = oneshot::channel();
        let (answer_tx, answer_rx) = oneshot::channel();
        self.lock().queued.push_back(Queued {
            request_id: request_id.clone(),
            invocation,
            timeout,
            started: started_tx,
            answer: answer_tx,
        });
        self.changed.notify_waiters();
        Ticket {
            request_id,
            timeout,
            started: started_rx,
            answer: answer_rx,
        }
    }

    /// Waits until an invocation is queued and fewer than `max_concurrency` are in flight, then
    /// hands the oldest one out.
    pub(crate) async fn next(&self) -> HandedOut {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(handed_out) = self.try_hand_out() {
                return handed_out;
            }
            notified.await;
        }
    }

    fn try_hand_out(&self) -> Option<HandedOut> {
        let mut inner = self.lock();
        while inner.in_flight.len() < self.max_concurrency && !inner.paused {
            let queued = inner.queued.pop_front()?;
            let deadline = Instant::now() + queued.timeout;
            if queued.started.send(deadline).is_err() {
                // The submitter gave up (timed out or was dropped) while the invocation waited.
                inner.remember_finished(queued.request_id);
                continue;
            }
            inner.in_flight.insert(
                queued.request_id.clone(),
                InFlight {
                    answer: queued.answer,
                    answering: false,
                    oversized: false,
                },
            );
            inner.paused = inner.pause_on_hand_out;
            return Some(HandedOut {
                request_id: queued.request_id,
                invocation: queued.invocation,
                deadline: SystemTime::now() + queued.timeout,
            });
        }
        None
    }

    /// Whether to stop handing out after each hand-out until [`Queue::resume`] (with extensions
    /// that take INVOKE events, the next invocation waits until they are done).
    pub(crate) fn set_pause_on_hand_out(&self, pause: bool) {
        self.lock().pause_on_hand_out = pause;
    }

    /// Stops handing out until [`Queue::resume`] (during Init).
    pub(crate) fn pause(&self) {
        self.lock().paused = true;
    }

    /// Hands out again after a pause.
    pub(crate) fn resume(&self) {
        self.lock().paused = false;
        self.changed.notify_waiters();
    }

    /// Starts answering `request_id`: later POSTs for it are refused until the guard finishes
    /// (the invocation ends) or is dropped (the invocation stays open, e.g. after a 413).
    pub(crate) fn begin_answer(
        self: &Arc<Self>,
        request_id: &str,
    ) -> Result<AnswerGuard, ClaimError> {
        let mut inner = self.lock();
        if let Some(entry) = inner.in_flight.get_mut(request_id) {
            if entry.answering {
                return Err(ClaimError::InvalidState);
            }
            entry.answering = true;
            return Ok(AnswerGuard {
                queue: Arc::clone(self),
                request_id: request_id.to_string(),
                done: false,
            });
        }
        let known = inner.finished.contains(request_id)
            || inner.queued.iter().any(|q| q.request_id == request_id);
        Err(if known {
            ClaimError::InvalidState
        } else {
            ClaimError::UnknownId
        })
    }

    /// Ends an invocation with `answer`; returns false if it was no longer in flight.
    fn finish(&self, request_id: &str, answer: Answer) -> bool {
        let entry = {
            let mut inner = self.lock();
            let entry = inner.in_flight.remove(request_id);
            inner.remember_finished(request_id.to_string());
            entry
        };
        self.changed.notify_waiters();
        match entry {
            Some(entry) => {
                let answer = match answer {
                    Answer::Complete(Outcome::Error(report)) if entry.oversized => {
                        Answer::ErrorAfterOversize(report)
                    }
                    other => other,
                };
                // The submitter may have stopped waiting; the answer is then dropped.
                let _ = entry.answer.send(answer);
                true
            }
            None => false,
        }
    }

    fn mark_oversized(&self, request_id: &str) {
        if let Some(entry) = self.lock().in_flight.get_mut(request_id) {
            entry.oversized = true;
        }
    }

    fn reopen(&self, request_id: &str) {
        if let Some(entry) = self.lock().in_flight.get_mut(request_id) {
            entry.answering = false;
        }
    }

    /// Forgets an invocation whose submitter stopped waiting (timeout): it leaves the queue or
    /// the in-flight set, and later POSTs for it get 403.
    pub(crate) fn cancel(&self, request_id: &str) {
        {
            let mut inner = self.lock();
            inner.queued.retain(|q| q.request_id != request_id);
            inner.in_flight.remove(request_id);
            inner.remember_finished(request_id.to_string());
        }
        self.changed.notify_waiters();
    }
}

/// The right to answer one in-flight invocation, held while its POST body is read.
#[derive(Debug)]
pub(crate) struct AnswerGuard {
    queue: Arc<Queue>,
    request_id: String,
    done: bool,
}

impl AnswerGuard {
    /// Records that the runtime's response was refused as too large; the invocation stays open.
    pub(crate) fn refuse_oversized(self) {
        self.queue.mark_oversized(&self.request_id);
    }

    /// Ends the invocation with `answer`.
    pub(crate) fn finish(mut self, answer: Answer) -> bool {
        self.done = true;
        self.queue.finish(&self.request_id, answer)
    }
}

impl Drop for AnswerGuard {
    fn drop(&mut self) {
        if !self.done {
            self.queue.reopen(&self.request_id);
        }
    }
}
