//! Waiting for a submitted invocation's answer, and reading a streamed answer whole.

use bytes::BytesMut;

use crate::invocation::{ErrorReport, FunctionResponse, Outcome};
use crate::queue::{Answer, Queue, StreamEvent, StreamedAnswer, Ticket};

/// Waits for a submitted invocation's outcome, bounded by its timeout.
pub(crate) async fn await_outcome(
    queue: &Queue,
    ticket: Ticket,
    on_start: impl FnOnce(std::time::Instant),
) -> Outcome {
    let Ticket {
        request_id,
        timeout,
        started,
        answer,
    } = ticket;
    let timed_out = |queue: &Queue| {
        queue.cancel(&request_id);
        Outcome::Timeout {
            request_id: request_id.clone(),
            after: timeout,
        }
    };
    let deadline = match tokio::time::timeout(timeout, started).await {
        Ok(Ok(deadline)) => {
            on_start(deadline);
            tokio::time::Instant::from_std(deadline)
        }
        Ok(Err(_)) => return abandoned(&request_id),
        Err(_) => return timed_out(queue),
    };
    let answer = match tokio::time::timeout_at(deadline, answer).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => return abandoned(&request_id),
        Err(_) => return timed_out(queue),
    };
    match answer {
        Answer::Complete(outcome) => outcome,
        Answer::ErrorAfterOversize(report) => Outcome::Error(report),
        Answer::Stream(stream) => match tokio::time::timeout_at(deadline, collect(stream)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Timeout {
                request_id,
                after: timeout,
            },
        },
    }
}

fn abandoned(request_id: &str) -> Outcome {
    Outcome::Error(ErrorReport::environment(
        Some(request_id),
        "Runtime.Unknown",
        &format!("RequestId: {request_id} Error: the emulator dropped the invocation"),
    ))
}

/// Reads a streamed answer to the end.
pub(crate) async fn collect(mut stream: StreamedAnswer) -> Outcome {
    let mut body = BytesMut::new();
    let mut chunks = Vec::new();
    let mut trailers = None;
    while let Some(event) = stream.events.recv().await {
        match event {
            StreamEvent::Data(chunk) => {
                body.extend_from_slice(&chunk);
                chunks.push(chunk);
            }
            StreamEvent::Trailers(map) => trailers = Some(map),
            StreamEvent::Broken(message) => {
                return Outcome::Error(ErrorReport::environment(
                    Some(&stream.request_id),
                    "Runtime.TruncatedResponse",
                    &message,
                ))
            }
        }
    }
    Outcome::Response(FunctionResponse {
        request_id: stream.request_id,
        body: body.freeze(),
        headers: stream.headers,
        streamed: true,
        trailers,
        chunks,
    })
}
