use lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Deserialize;

/// What each message body holds.
#[derive(Deserialize)]
struct Order {
    item: String,
    quantity: u32,
}

/// Processes every message; the ones that fail are reported, and SQS delivers them again.
async fn handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let failed = event.payload.records.iter().filter_map(|message| {
        match serde_json::from_str::<Order>(&message.body) {
            Ok(order) => {
                println!("{} x {}", order.quantity, order.item);
                None
            }
            Err(error) => {
                eprintln!("message {} failed: {error}", message.message_id);
                Some(message.message_id.clone())
            }
        }
    });
    Ok(SqsBatchResponse::from_identifiers(failed))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await?;
    Ok(())
}
