use lambda_extension::{service_fn, Error, Extension, ExtensionError, NextEvent};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ExtensionError> {
    let extension = Extension::new()
        .with_events_processor(service_fn(|event: NextEvent| async move {
            match event {
                NextEvent::Invoke(invoke) => println!("invocation {}", invoke.request_id),
                NextEvent::Shutdown(shutdown) => println!("shutting down ({})", shutdown.reason),
                _ => {}
            }
            Ok::<(), Error>(())
        }))
        .register()
        .await?;
    extension.run().await
}
