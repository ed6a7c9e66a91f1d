//! A handler with its own error enum and a meaningful `errorType`.
//!
//! ```text
//! cargo build --example error
//! cargo run -p lambda-cli -- invoke --event '{"item":"book","quantity":0}' -- target/debug/examples/error
//! ```
//! prints `{"errorType":"InvalidQuantity","errorMessage":"cannot order 0 of book"}` and exits 1.
use lambda_runtime::{run, service_fn, Diagnostic, Error, LambdaEvent};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Order {
    item: String,
    quantity: u32,
}

#[derive(Serialize)]
struct Receipt {
    item: String,
    quantity: u32,
}

/// Why an order is refused. Each variant is an `errorType` callers can match on.
#[derive(Debug)]
enum OrderError {
    InvalidQuantity { item: String, quantity: u32 },
    UnknownItem(String),
}

impl From<OrderError> for Diagnostic {
    fn from(error: OrderError) -> Diagnostic {
        match error {
            OrderError::InvalidQuantity { item, quantity } => Diagnostic::new(
                "InvalidQuantity",
                format!("cannot order {quantity} of {item}"),
            ),
            OrderError::UnknownItem(item) => {
                Diagnostic::new("UnknownItem", format!("there is no item called {item}"))
            }
        }
    }
}

async fn order(event: LambdaEvent<Order>) -> Result<Receipt, OrderError> {
    let Order { item, quantity } = event.payload;
    if !["book", "pen"].contains(&item.as_str()) {
        return Err(OrderError::UnknownItem(item));
    }
    if quantity == 0 || quantity > 100 {
        return Err(OrderError::InvalidQuantity { item, quantity });
    }
    Ok(Receipt { item, quantity })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(order)).await?;
    Ok(())
}
