//! The mutual-TLS client certificate API Gateway passes on when mTLS is enabled.

use lambda_events_derive::event;

/// The client certificate of a mutual-TLS request.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayClientCert {
    /// The certificate in PEM form.
    pub client_cert_pem: Option<String>,
    /// The distinguished name of the certificate's subject.
    #[serde(rename = "subjectDN")]
    pub subject_dn: Option<String>,
    /// The distinguished name of the certificate's issuer.
    #[serde(rename = "issuerDN")]
    pub issuer_dn: Option<String>,
    /// The serial number, as colon-separated hex bytes.
    pub serial_number: Option<String>,
    /// When the certificate is valid.
    pub validity: Option<ApiGatewayClientCertValidity>,
}

/// The validity period of an [`ApiGatewayClientCert`], as the texts API Gateway sends
/// (`"May 28 12:30:02 2019 GMT"`).
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayClientCertValidity {
    /// Start of validity.
    pub not_before: Option<String>,
    /// End of validity.
    pub not_after: Option<String>,
}
