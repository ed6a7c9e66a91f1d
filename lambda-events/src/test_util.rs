//! Test helpers shared by every module's tests (one place, not copied per module).

use serde::{de::DeserializeOwned, Serialize};

/// Deserializes `json` into `T`, serializes it back, and asserts that the two JSON values are
/// equal. Returns the typed value so the test can assert on the fields users read most.
#[track_caller]
pub(crate) fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let input: serde_json::Value = serde_json::from_str(json).expect("fixture is valid JSON");
    let typed: T = {
        let de = &mut serde_json::Deserializer::from_str(json);
        match serde_path_to_error::deserialize(de) {
            Ok(v) => v,
            Err(e) => panic!("fixture does not fit {}: {e}", std::any::type_name::<T>()),
        }
    };
    let output = serde_json::to_value(&typed).expect("typed value serializes");
    assert_eq!(
        input,
        output,
        "round trip changed the JSON of {}",
        std::any::type_name::<T>()
    );
    typed
}

/// Reads a fixture from `lambda-events/fixtures/`.
#[track_caller]
pub(crate) fn fixture(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/");
    std::fs::read_to_string(format!("{path}{name}"))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Deserializes `v` into `T`, giving the serde error as text (for asserting on messages).
#[allow(dead_code)] // Unused when no feature's tests need it.
pub(crate) fn from_value<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}
