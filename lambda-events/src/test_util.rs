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

/// Like [`round_trip`], for fixtures that hold `null`s AWS does not always send: deserializes
/// `json` as it is and asserts that the output equals the input once every `null` member is
/// removed from both (an explicit `null` and an absent key are the same `None`; the fields
/// marked `#[event(null)]` write `null` back, the others leave the key out).
#[allow(dead_code)] // Unused when only features without `null`s in their fixtures are on.
#[track_caller]
pub(crate) fn round_trip_lossless<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let typed: T = {
        let de = &mut serde_json::Deserializer::from_str(json);
        match serde_path_to_error::deserialize(de) {
            Ok(v) => v,
            Err(e) => panic!("fixture does not fit {}: {e}", std::any::type_name::<T>()),
        }
    };
    let output = serde_json::to_string(&typed).expect("typed value serializes");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&without_nulls(json)).expect("valid JSON"),
        serde_json::from_str::<serde_json::Value>(&without_nulls(&output)).expect("valid JSON"),
        "round trip lost data of {}",
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

/// Removes every `null` member from the JSON objects in `json`, recursively: the normalisation a
/// round trip is allowed to make (an explicit `null` and an absent field are the same `None`).
/// For fixtures that hold AWS's `null`s: `round_trip::<T>(&without_nulls(&fixture(..)))`.
#[allow(dead_code)] // Unused when only features without `null`s in their fixtures are on.
pub(crate) fn without_nulls(json: &str) -> String {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(json).expect("fixture is valid JSON");
    strip(&mut value);
    value.to_string()
}

/// Deserializes `v` into `T`, giving the serde error as text (for asserting on messages).
#[allow(dead_code)] // Unused when no feature's tests need it.
pub(crate) fn from_value<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}
