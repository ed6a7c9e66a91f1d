//! Amazon SES email receiving: the event of a receipt rule's Lambda action (feature `ses`).
//!
//! The event carries the envelope, headers and verdicts of the received email, not its body
//! (add an S3 action before the Lambda action to store the body). A `RequestResponse`
//! invocation can return a [`SesReceiptResponse`] to stop the rule set.

use crate::encodings::Rfc3339Timestamp;
use lambda_events_derive::event;

/// Emails received by a receipt rule with a Lambda action.
///
/// ```
/// use lambda_events::ses::SesEvent;
///
/// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ses/receipt.json")).unwrap();
/// let event: SesEvent = serde_json::from_str(&json)?;
/// let ses = &event.records[0].ses;
/// assert_eq!(ses.mail.common_headers.subject.as_deref(), Some("Test Subject"));
/// assert!(ses.receipt.spam_verdict.as_ref().is_some_and(|v| v.status == "PASS"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[event]
pub struct SesEvent {
    /// The received emails (one per invocation in practice).
    #[serde(rename = "Records")]
    pub records: Vec<SesRecord>,
}

/// One received email.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SesRecord {
    /// Version of the record format, `1.0`.
    pub event_version: Option<String>,
    /// Always `aws:ses`.
    pub event_source: Option<String>,
    /// The email and how SES handled it.
    pub ses: SesMessage,
}

/// The email and how SES handled it.
#[event]
pub struct SesMessage {
    /// The email.
    pub mail: SesMail,
    /// The receipt: recipients, verdicts and action.
    pub receipt: SesReceipt,
}

/// The email's envelope and headers.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SesMail {
    /// When SES received the email (ISO 8601).
    pub timestamp: Rfc3339Timestamp,
    /// Envelope sender (`MAIL FROM`).
    pub source: String,
    /// SES message ID (also the object key when an S3 action stored the email).
    pub message_id: String,
    /// Envelope recipients (`RCPT TO`).
    pub destination: Vec<String>,
    /// Whether `headers` was cut short because the headers exceed 10 KB.
    pub headers_truncated: Option<bool>,
    /// Every header, in order.
    pub headers: Option<Vec<SesHeader>>,
    /// The headers most often needed, parsed.
    pub common_headers: SesCommonHeaders,
}

/// A header of the email.
#[event]
pub struct SesHeader {
    /// Header name, such as `Received`.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// The parsed common headers of the email.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SesCommonHeaders {
    /// `Return-Path`.
    pub return_path: Option<String>,
    /// `From` addresses.
    pub from: Option<Vec<String>>,
    /// `Sender`.
    pub sender: Option<String>,
    /// `Reply-To` addresses.
    pub reply_to: Option<Vec<String>>,
    /// `Date`.
    pub date: Option<String>,
    /// `To` addresses.
    pub to: Option<Vec<String>>,
    /// `Cc` addresses.
    pub cc: Option<Vec<String>>,
    /// `Bcc` addresses.
    pub bcc: Option<Vec<String>>,
    /// `Message-ID`.
    pub message_id: Option<String>,
    /// `Subject`.
    pub subject: Option<String>,
}

/// How SES handled the email.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SesReceipt {
    /// When the action ran (ISO 8601).
    pub timestamp: Rfc3339Timestamp,
    /// Milliseconds from receipt to the action.
    pub processing_time_millis: Option<u64>,
    /// Recipients the receipt rule matched (a subset of the envelope recipients).
    pub recipients: Vec<String>,
    /// Spam scan result.
    pub spam_verdict: Option<SesVerdict>,
    /// Virus scan result.
    pub virus_verdict: Option<SesVerdict>,
    /// SPF check result.
    pub spf_verdict: Option<SesVerdict>,
    /// DKIM check result.
    pub dkim_verdict: Option<SesVerdict>,
    /// DMARC check result.
    pub dmarc_verdict: Option<SesVerdict>,
    /// DMARC policy of the sending domain (`none`, `quarantine` or `reject`) when the DMARC
    /// check failed.
    pub dmarc_policy: Option<String>,
    /// The Lambda action.
    pub action: SesReceiptAction,
}

/// The result of a check.
#[event]
pub struct SesVerdict {
    /// `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`.
    pub status: String,
}

/// The receipt rule action that invoked the function.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct SesReceiptAction {
    /// `Lambda` when a function is invoked; `S3`, `SNS`, `Bounce`, `WorkMail`, `Stop`,
    /// `AddHeader` in the notifications of other actions.
    #[serde(rename = "type")]
    pub kind: String,
    /// `Event` (asynchronous) or `RequestResponse` (`Lambda`).
    pub invocation_type: Option<String>,
    /// ARN of the function (`Lambda`).
    pub function_arn: Option<String>,
    /// ARN of the topic notified (`S3`, `SNS`, `Bounce`, `WorkMail`, `Stop`, `Lambda`).
    pub topic_arn: Option<String>,
    /// The bucket the message was saved to (`S3`).
    pub bucket_name: Option<String>,
    /// The key prefix of the saved message (`S3`).
    pub object_key_prefix: Option<String>,
    /// The key of the saved message (`S3`).
    pub object_key: Option<String>,
    /// The KMS key the message was encrypted with (`S3`).
    pub kms_key_arn: Option<String>,
    /// `UTF-8` or `Base64` (`SNS`).
    pub encoding: Option<String>,
    /// The SMTP reply code of the bounce (`Bounce`).
    pub smtp_reply_code: Option<String>,
    /// The SMTP enhanced status code of the bounce (`Bounce`).
    pub status_code: Option<String>,
    /// The bounce text (`Bounce`).
    pub message: Option<String>,
    /// The sender of the bounce (`Bounce`).
    pub sender: Option<String>,
    /// ARN of the WorkMail organization (`WorkMail`).
    pub organization_arn: Option<String>,
    /// `RuleSet` (`Stop`).
    pub scope: Option<String>,
    /// The added header's name (`AddHeader`).
    pub header_name: Option<String>,
    /// The added header's value (`AddHeader`).
    pub header_value: Option<String>,
}

/// What a `RequestResponse` invocation may return to control the rule set.
#[event]
#[serde(rename_all = "camelCase")]
pub struct SesReceiptResponse {
    /// `CONTINUE` (the default), `STOP_RULE` or `STOP_RULE_SET`.
    pub disposition: String,
}

#[cfg(test)]
#[allow(clippy::needless_update)] // Needed when `catch-all-fields` adds `other`.
mod tests {
    use super::*;
    use crate::test_util::{fixture, round_trip};

    #[test]
    fn receipt_event_round_trips() {
        let event: SesEvent = round_trip(&fixture("ses/receipt.json"));
        let record = &event.records[0];
        assert_eq!(record.event_source.as_deref(), Some("aws:ses"));
        let mail = &record.ses.mail;
        assert_eq!(mail.source, "janedoe@example.com");
        assert_eq!(mail.message_id, "o3vrnil0e2ic28tr");
        assert_eq!(mail.destination, ["johndoe@example.com"]);
        assert_eq!(
            mail.common_headers.from.as_deref(),
            Some(&["Jane Doe <janedoe@example.com>".to_owned()][..])
        );
        let headers = mail.headers.as_ref().unwrap();
        assert_eq!(headers[0].name, "Return-Path");
        assert_eq!(headers.len(), 10);
        let receipt = &record.ses.receipt;
        assert_eq!(receipt.processing_time_millis, Some(574));
        assert_eq!(receipt.action.kind, "Lambda");
        assert_eq!(
            receipt.action.function_arn.as_deref(),
            Some("arn:aws:lambda:us-west-2:012345678912:function:Example")
        );
        assert_eq!(receipt.dkim_verdict.as_ref().unwrap().status, "PASS");
    }

    #[test]
    fn response_writes_disposition() {
        let response = SesReceiptResponse {
            disposition: "STOP_RULE_SET".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({"disposition": "STOP_RULE_SET"})
        );
    }

    #[test]
    fn number_for_message_id_is_an_error_with_its_path() {
        let json = fixture("ses/receipt.json")
            .replace("\"messageId\": \"o3vrnil0e2ic28tr\"", "\"messageId\": 3");
        let de = &mut serde_json::Deserializer::from_str(&json);
        let err = serde_path_to_error::deserialize::<_, SesEvent>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "Records[0].ses.mail.messageId");
    }

    #[test]
    fn receipt_actions_of_every_type_keep_their_fields() {
        let s3: SesEvent = round_trip(&fixture("ses/s3-action.json"));
        let action = &s3.records[0].ses.receipt.action;
        assert_eq!(action.kind, "S3");
        assert_eq!(action.bucket_name.as_deref(), Some("amzn-s3-demo-bucket"));
        assert_eq!(
            action.object_key.as_deref(),
            Some("inbound/o3vrnil0e2ic28tr")
        );
        let bounce: SesEvent = round_trip(&fixture("ses/bounce-action.json"));
        let action = &bounce.records[0].ses.receipt.action;
        assert_eq!(action.smtp_reply_code.as_deref(), Some("550"));
        assert_eq!(action.sender.as_deref(), Some("mailer-daemon@example.com"));
        let header: SesEvent = round_trip(&fixture("ses/add-header-action.json"));
        let action = &header.records[0].ses.receipt.action;
        assert_eq!(action.header_name.as_deref(), Some("X-Processed-By"));
        for name in ["sns", "workmail", "stop"] {
            let event: SesEvent = round_trip(&fixture(&format!("ses/{name}-action.json")));
            assert!(event.records[0].ses.receipt.action.topic_arn.is_some());
        }
    }
}
