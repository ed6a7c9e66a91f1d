//! Processes a batch of SQS messages and reports the ones that failed, so that only those go
//! back to the queue. Turn on `ReportBatchItemFailures` on the event source mapping; without
//! it Lambda ignores the response and retries the whole batch on any error.
//!
//! ```text
//! cargo build --example sqs-batch
//! cargo run -p lambda-cli -- invoke \
//!     --event-file lambda-events/fixtures/sqs/orders-batch.json -- target/debug/examples/sqs-batch
//! ```
//! prints the two messages whose body is not an order:
//! `{"batchItemFailures":[{"itemIdentifier":"8d2e6b10-..."},{"itemIdentifier":"e9b4d1c6-..."}]}`.
use lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Deserialize;

/// What each message body must hold.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    item: String,
    quantity: u32,
}

async fn handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    tracing::info!(
        request_id = %event.context.request_id,
        messages = event.payload.records.len(),
        "processing batch"
    );
    Ok(process_batch(&event.payload))
}

/// Processes every message and names the ones that failed. A bad message does not stop the
/// others: it is reported and SQS delivers it again (or moves it to the dead-letter queue).
fn process_batch(event: &SqsEvent) -> SqsBatchResponse {
    let failed = event
        .records
        .iter()
        .filter_map(|message| match process(message) {
            Ok(()) => None,
            Err(error) => {
                tracing::warn!(message_id = %message.message_id, %error, "message failed");
                Some(message.message_id.clone())
            }
        });
    SqsBatchResponse::from_identifiers(failed)
}

fn process(message: &SqsMessage) -> Result<(), serde_json::Error> {
    let order: Order = serde_json::from_str(&message.body)?;
    tracing::info!(
        order_id = %order.order_id,
        item = %order.item,
        quantity = order.quantity,
        "order accepted"
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::logging::init_default_subscriber();
    run(service_fn(handler)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_runtime::Context;

    const BATCH: &str = include_str!("../../lambda-events/fixtures/sqs/orders-batch.json");

    #[test]
    fn bodies_that_are_not_orders_are_reported_as_failures() {
        let event: SqsEvent = serde_json::from_str(BATCH).expect("the fixture is an SQS event");
        let response = process_batch(&event);
        let failed: Vec<&str> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(
            failed,
            [
                "8d2e6b10-5a3f-4c7d-8b92-1e0f2a3b4c02",
                "e9b4d1c6-3f2a-4d8e-a7b1-3c2d1e0f5a04"
            ]
        );
    }

    #[test]
    fn a_batch_of_good_orders_reports_no_failure() {
        let mut event: SqsEvent = serde_json::from_str(BATCH).expect("the fixture is an SQS event");
        event.records.retain(|m| m.body.contains("\"quantity\""));
        assert_eq!(event.records.len(), 2);
        assert!(process_batch(&event).batch_item_failures.is_empty());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn handler_answers_with_the_batch_item_failures_json() {
        let event: SqsEvent = serde_json::from_str(BATCH).expect("the fixture is an SQS event");
        let response = handler(LambdaEvent::new(event, Context::for_test("req-1")))
            .await
            .expect("the handler does not fail");
        assert_eq!(
            serde_json::to_value(&response).expect("the response serializes"),
            serde_json::json!({"batchItemFailures": [
                {"itemIdentifier": "8d2e6b10-5a3f-4c7d-8b92-1e0f2a3b4c02"},
                {"itemIdentifier": "e9b4d1c6-3f2a-4d8e-a7b1-3c2d1e0f5a04"}
            ]})
        );
    }
}
