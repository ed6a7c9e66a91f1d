//! Tests of the DynamoDB module: fixtures, item conversions and their errors.

use super::*;
use crate::test_util::{fixture, round_trip};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Message {
    #[serde(rename = "Id")]
    id: u32,
    #[serde(rename = "Message")]
    text: String,
}

#[test]
fn stream_records_round_trip() {
    let event: DynamoDbEvent = round_trip(&fixture("dynamodb/stream.json"));
    assert_eq!(event.records.len(), 3);
    let insert = &event.records[0];
    assert_eq!(insert.event_name, "INSERT");
    assert_eq!(insert.dynamodb.keys["Id"], AttributeValue::N("101".into()));
    assert_eq!(insert.dynamodb.sequence_number.as_deref(), Some("111"));
    assert_eq!(insert.dynamodb.size_bytes, Some(26));
    assert_eq!(
        insert
            .dynamodb
            .approximate_creation_date_time
            .as_ref()
            .unwrap()
            .as_f64(),
        1479499740.0
    );
    let message: Message = from_item(insert.dynamodb.new_image.as_ref().unwrap()).unwrap();
    assert_eq!(
        message,
        Message {
            id: 101,
            text: "New item!".into()
        }
    );
    let modify = &event.records[1];
    let old: Message = from_item(modify.dynamodb.old_image.as_ref().unwrap()).unwrap();
    let new: Message = from_item(modify.dynamodb.new_image.as_ref().unwrap()).unwrap();
    assert_eq!(
        (old.text.as_str(), new.text.as_str()),
        ("New item!", "This item has changed")
    );
    let remove = &event.records[2];
    assert_eq!(remove.event_name, "REMOVE");
    assert!(remove.dynamodb.new_image.is_none());
}

#[test]
fn ttl_removal_names_the_service() {
    let event: DynamoDbEvent = round_trip(&fixture("dynamodb/ttl-remove.json"));
    let identity = event.records[0].user_identity.as_ref().unwrap();
    assert_eq!(identity.kind, "Service");
    assert_eq!(identity.principal_id, "dynamodb.amazonaws.com");
    assert_eq!(
        event.records[0].dynamodb.stream_view_type.as_deref(),
        Some("OLD_IMAGE")
    );
}

#[test]
fn every_attribute_type_round_trips() {
    let event: DynamoDbEvent = round_trip(&fixture("dynamodb/all-types.json"));
    let image = event.records[0].dynamodb.new_image.as_ref().unwrap();
    assert_eq!(image["Name"].as_s(), Some("Widget"));
    assert_eq!(image["Price"].as_n::<f64>(), Some(12.5));
    assert_eq!(image["Thumbnail"].as_b(), Some(&b"hello"[..]));
    assert_eq!(
        image["Colors"],
        AttributeValue::Ss(vec!["red".into(), "blue".into()])
    );
    assert_eq!(
        image["Sizes"],
        AttributeValue::Ns(vec!["8".into(), "9.5".into()])
    );
    assert_eq!(
        image["Blobs"],
        AttributeValue::Bs(vec![
            crate::encodings::Base64Data(b"a".to_vec()),
            crate::encodings::Base64Data(b"b".to_vec())
        ])
    );
    assert!(image["Discontinued"].is_null());
    assert_eq!(image["InStock"].as_bool(), Some(true));
    assert_eq!(image["Tags"].as_l().unwrap().len(), 2);
    assert_eq!(
        image["Dimensions"].as_m().unwrap()["Width"].as_n::<u32>(),
        Some(3)
    );
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Product {
    id: u64,
    name: String,
    price: f64,
    colors: Vec<String>,
    sizes: Vec<f64>,
    discontinued: Option<String>,
    in_stock: bool,
    tags: Vec<Tag>,
    dimensions: HashMap<String, u32>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
enum Tag {
    Sale,
    Category(String),
}

#[test]
fn image_with_every_type_decodes_into_a_struct() {
    let event: DynamoDbEvent = serde_json::from_str(&fixture("dynamodb/all-types.json")).unwrap();
    let product: Product =
        from_item(event.records[0].dynamodb.new_image.as_ref().unwrap()).unwrap();
    assert_eq!(product.id, 18446744073709551615);
    assert_eq!(product.name, "Widget");
    assert_eq!(product.price, 12.5);
    assert_eq!(product.colors, ["red", "blue"]);
    assert_eq!(product.sizes, [8.0, 9.5]);
    assert_eq!(product.discontinued, None);
    assert!(product.in_stock);
    assert_eq!(product.tags, [Tag::Sale, Tag::Category("tools".into())]);
    assert_eq!(
        product.dimensions,
        HashMap::from([("Width".into(), 3), ("Height".into(), 4)])
    );
}

#[test]
fn binary_decodes_into_bytes_and_vectors() {
    #[derive(serde::Deserialize)]
    struct Blob {
        data: Vec<u8>,
    }
    let item = Item::from([(
        "data".to_owned(),
        AttributeValue::from(b"\x00\xff".to_vec()),
    )]);
    assert_eq!(from_item::<Blob>(&item).unwrap().data, [0, 255]);
}

#[test]
fn struct_encodes_to_an_item_and_back() {
    let product = Product {
        id: 42,
        name: "Widget".into(),
        price: 0.1,
        colors: vec!["red".into()],
        sizes: vec![],
        discontinued: None,
        in_stock: false,
        tags: vec![Tag::Sale, Tag::Category("tools".into())],
        dimensions: HashMap::from([("Width".into(), 3)]),
    };
    let item = to_item(&product).unwrap();
    assert_eq!(item["Id"], AttributeValue::N("42".into()));
    assert_eq!(item["Price"], AttributeValue::N("0.1".into()));
    assert_eq!(item["Discontinued"], AttributeValue::Null(true));
    assert_eq!(item["InStock"], AttributeValue::Bool(false));
    assert_eq!(
        item["Tags"],
        AttributeValue::L(vec![
            AttributeValue::S("Sale".into()),
            AttributeValue::M(Item::from([(
                "Category".into(),
                AttributeValue::S("tools".into())
            )])),
        ])
    );
    assert_eq!(
        serde_json::to_value(&item["Dimensions"]).unwrap(),
        serde_json::json!({"M": {"Width": {"N": "3"}}})
    );
    assert_eq!(from_item::<Product>(&item).unwrap(), product);
}

#[test]
fn number_too_large_for_the_field_is_a_bad_number_error() {
    let item = Item::from([
        ("Id".to_owned(), AttributeValue::N("300".into())),
        ("Message".to_owned(), AttributeValue::S("x".into())),
    ]);
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Small {
        #[serde(rename = "Id")]
        id: u8,
    }
    assert_eq!(
        from_item::<Small>(&item).unwrap_err(),
        ItemError::BadNumber {
            value: "300".into(),
            expected: "u8"
        }
    );
}

#[test]
fn numbers_with_exponent_or_zero_fraction_fill_integer_fields() {
    for text in ["1E+3", "1000.0", "1000"] {
        let value = AttributeValue::N(text.into());
        assert_eq!(from_attribute_value::<u32>(&value).unwrap(), 1000, "{text}");
    }
    assert!(from_attribute_value::<u32>(&AttributeValue::N("1.5".into())).is_err());
    assert!(from_attribute_value::<u32>(&AttributeValue::N("-1".into())).is_err());
    assert!(from_attribute_value::<f64>(&AttributeValue::N("abc".into())).is_err());
}

#[test]
fn number_into_string_field_keeps_every_digit() {
    let value = AttributeValue::N("12345678901234567890123456789012345678".into());
    assert_eq!(
        from_attribute_value::<String>(&value).unwrap(),
        "12345678901234567890123456789012345678"
    );
}

#[test]
fn wrong_attribute_type_is_a_mismatch_naming_the_problem() {
    let item = Item::from([
        ("Id".to_owned(), AttributeValue::S("not a number".into())),
        ("Message".to_owned(), AttributeValue::S("x".into())),
    ]);
    let err = from_item::<Message>(&item).unwrap_err();
    assert!(matches!(err, ItemError::Mismatch(_)), "{err:?}");
    assert!(err.to_string().contains("not a number"), "{err}");
    let missing = Item::from([("Id".to_owned(), AttributeValue::N("1".into()))]);
    let err = from_item::<Message>(&missing).unwrap_err();
    assert!(err.to_string().contains("missing field `Message`"), "{err}");
}

#[test]
fn to_item_of_a_non_map_is_an_error() {
    assert_eq!(
        to_item(&5).unwrap_err(),
        ItemError::NotAnItem { found: "N" }
    );
    assert_eq!(
        to_item(&HashMap::from([(7u32, 1)])).unwrap()["7"],
        AttributeValue::N("1".into())
    );
    assert_eq!(
        to_item(&BTreeMap::from([(true, 1)])).unwrap_err(),
        ItemError::KeyNotString
    );
    assert_eq!(
        to_attribute_value(&f64::NAN).unwrap_err(),
        ItemError::NonFiniteNumber
    );
}

#[test]
fn string_where_a_typed_value_is_expected_is_an_error_with_its_path() {
    let json = fixture("dynamodb/stream.json").replacen("\"N\": \"101\"", "\"N\": 101", 1);
    let de = &mut serde_json::Deserializer::from_str(&json);
    let err = serde_path_to_error::deserialize::<_, DynamoDbEvent>(de).unwrap_err();
    assert!(
        err.path()
            .to_string()
            .starts_with("Records[0].dynamodb.Keys.Id"),
        "{}",
        err.path()
    );
}

#[test]
fn time_window_event_round_trips() {
    let event: DynamoDbTimeWindowEvent = round_trip(&fixture("dynamodb/time-window.json"));
    assert_eq!(event.records.len(), 3);
    assert_eq!(event.window.start.0, "2020-07-30T17:00:00Z");
    assert_eq!(event.state.as_ref().unwrap()["1"], "state1");
    assert_eq!(event.shard_id, "shard123456789");
    assert!(!event.is_final_invoke_for_window);
    assert!(!event.is_window_terminated_early);
}

#[test]
fn batch_failure_response_names_the_sequence_number() {
    let response: StreamsEventResponse = round_trip(&fixture("dynamodb/batch-response.json"));
    assert_eq!(response.batch_item_failures[0].item_identifier, "222");
}

/// Any attribute value, with numbers drawn from every numeric shape DynamoDB can send.
fn any_attribute_value() -> impl Strategy<Value = AttributeValue> {
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (-1_000_000..1_000_000i64, 0..6u32).prop_map(|(m, e)| format!("{m}E-{e}")),
    ];
    let leaf = prop_oneof![
        ".*".prop_map(AttributeValue::S),
        number.clone().prop_map(AttributeValue::N),
        prop::collection::vec(any::<u8>(), 0..16).prop_map(AttributeValue::from),
        prop::collection::vec(".*", 1..4).prop_map(AttributeValue::Ss),
        prop::collection::vec(number, 1..4).prop_map(AttributeValue::Ns),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 1..4).prop_map(|b| {
            AttributeValue::Bs(b.into_iter().map(crate::encodings::Base64Data).collect())
        }),
        Just(AttributeValue::Null(true)),
        any::<bool>().prop_map(AttributeValue::Bool),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(AttributeValue::L),
            prop::collection::hash_map(".*", inner, 0..5).prop_map(AttributeValue::M),
        ]
    })
}

proptest! {
    #[test]
    fn any_attribute_value_round_trips_through_json(value in any_attribute_value()) {
        let json = serde_json::to_string(&value).unwrap();
        let back: AttributeValue = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, value);
    }

    #[test]
    fn any_item_of_strings_numbers_and_lists_round_trips_through_rust(
        names in prop::collection::hash_map("[a-z]{1,8}", ".*", 0..6),
        counts in prop::collection::vec(any::<i64>(), 0..6),
        big in any::<u64>(),
        ratio in (-1_000_000..1_000_000i32, 0..10i32).prop_map(|(m, e)| f64::from(m) / 2f64.powi(e)),
    ) {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Record {
            names: HashMap<String, String>,
            counts: Vec<i64>,
            big: u64,
            ratio: f64,
            missing: Option<bool>,
        }
        let record = Record { names, counts, big, ratio, missing: None };
        let item = to_item(&record).unwrap();
        prop_assert_eq!(from_item::<Record>(&item).unwrap(), record);
    }

    #[test]
    fn decoding_any_value_into_common_types_never_panics(value in any_attribute_value()) {
        let _ = from_attribute_value::<serde_json::Value>(&value);
        let _ = from_attribute_value::<String>(&value);
        let _ = from_attribute_value::<u8>(&value);
        let _ = from_attribute_value::<Vec<Option<f32>>>(&value);
        let _ = from_attribute_value::<HashMap<String, i128>>(&value);
        let _ = from_attribute_value::<Tag>(&value);
    }
}
