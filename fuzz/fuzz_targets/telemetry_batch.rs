//! Log and telemetry batches: any JSON array parses, every element becomes a `Record` (typed,
//! unknown or malformed), and the batch serializes back to the same records.
#![no_main]

use lambda_extension::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(batch) = serde_json::from_slice::<Vec<Record>>(data) else {
        return;
    };
    if let Ok(serde_json::Value::Array(elements)) = serde_json::from_slice(data) {
        assert_eq!(elements.len(), batch.len(), "every element is a record");
    }
    let json = serde_json::to_vec(&batch).expect("records serialize");
    let again: Vec<Record> = serde_json::from_slice(&json).expect("records parse their own output");
    assert_eq!(batch.len(), again.len());
    assert_eq!(
        String::from_utf8_lossy(&json),
        String::from_utf8_lossy(&serde_json::to_vec(&again).expect("records serialize")),
    );
});
