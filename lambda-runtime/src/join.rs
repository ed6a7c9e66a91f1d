//! The pollers of a multi-concurrency runtime, run together in the caller's task.
//!
//! Each poller is a future that ends only when its loop stops (with an error); [`first`]
//! resolves with the first poller's output. Nothing is spawned, so the service needs no `Send`
//! or `'static` bound and no poller hands work to another task. Each poller gets its own waker
//! (made once): a wake-up marks that poller and wakes the task, and a poll of the set polls only
//! the marked pollers, so the cost of a wake-up does not grow with the number of pollers.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Runs `futures` together until the first one completes, and returns its output.
pub(crate) fn first<F: Future>(futures: Vec<F>) -> First<F> {
    let woken = Arc::new(Woken {
        // Every future is polled once to start.
        marks: futures.iter().map(|_| AtomicBool::new(true)).collect(),
        task: Mutex::new(None),
    });
    let wakers = (0..futures.len())
        .map(|index| {
            Waker::from(Arc::new(Mark {
                woken: woken.clone(),
                index,
            }))
        })
        .collect();
    First {
        futures: futures.into_iter().map(Box::pin).collect(),
        wakers,
        woken,
    }
}

/// The future of [`first`].
pub(crate) struct First<F> {
    futures: Vec<Pin<Box<F>>>,
    wakers: Vec<Waker>,
    woken: Arc<Woken>,
}

/// Which futures were woken since they were last polled, and the task to wake.
struct Woken {
    marks: Box<[AtomicBool]>,
    task: Mutex<Option<Waker>>,
}

/// The waker of one future: marks it, then wakes the task.
struct Mark {
    woken: Arc<Woken>,
    index: usize,
}

impl Wake for Mark {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.marks[self.index].store(true, Ordering::Release);
        let task = self
            .woken
            .task
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(task) = task.as_ref() {
            task.wake_by_ref();
        }
    }
}

impl<F: Future> Future for First<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        {
            let mut task = this
                .woken
                .task
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if !task.as_ref().is_some_and(|t| t.will_wake(cx.waker())) {
                *task = Some(cx.waker().clone());
            }
        }
        for (index, future) in this.futures.iter_mut().enumerate() {
            // Unmarked before polling: a wake-up during the poll marks it again.
            if this.woken.marks[index].swap(false, Ordering::Acquire) {
                let mut own = Context::from_waker(&this.wakers[index]);
                if let Poll::Ready(out) = future.as_mut().poll(&mut own) {
                    return Poll::Ready(out);
                }
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn resolves_with_the_first_future_to_finish() {
        let futures: Vec<Pin<Box<dyn Future<Output = u64>>>> = vec![
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                1
            }),
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                2
            }),
            Box::pin(std::future::pending()),
        ];
        assert_eq!(first(futures).await, 2);
    }

    #[tokio::test]
    async fn polls_only_the_futures_that_were_woken() {
        use std::sync::atomic::AtomicUsize;
        let polls = Arc::new(AtomicUsize::new(0));
        let idle = {
            let polls = polls.clone();
            Box::pin(std::future::poll_fn(move |_| {
                polls.fetch_add(1, Ordering::SeqCst);
                Poll::<u32>::Pending
            }))
        };
        let busy = Box::pin(async {
            for _ in 0..50 {
                tokio::task::yield_now().await;
            }
            7
        });
        let futures: Vec<Pin<Box<dyn Future<Output = u32>>>> = vec![idle, busy];
        assert_eq!(first(futures).await, 7);
        assert_eq!(
            polls.load(Ordering::SeqCst),
            1,
            "the idle future was polled again"
        );
    }
}
