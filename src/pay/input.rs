//! What a Pay inspection reads: the key, and the notification's encrypted resource — given field
//! by field, or picked out of a pasted body (an APIv3 notification, its `resource` object, a
//! `/v3/certificates` answer, or an APIv2 refund notification's XML).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The strings of one notification as received. Empty means not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayInput {
    /// The APIv3 key (32 characters), or for an APIv2 refund the API key.
    pub key: String,
    pub algorithm: String,
    pub ciphertext: String,
    pub nonce: String,
    pub associated_data: String,
    /// `event_type` of the notification (`TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, …).
    pub event_type: String,
    /// `original_type` of the resource (`transaction`, `refund`, …).
    pub original_type: String,
    /// The ciphertext is an APIv2 refund's `req_info` (AES-256-ECB).
    pub v2: bool,
    /// The body as received, when the fields are to be taken from it.
    pub body: String,
}

/// Why a body holds no resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON or XML: the byte offset of the first error.
    Syntax { offset: usize },
    /// Well-formed, but without `ciphertext` or `req_info` anywhere expected.
    NoResource,
}

fn text(v: &Value, name: &str) -> String {
    match v.get(name) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

impl PayInput {
    /// Fills the empty fields from `body`. A certificate answer gives its first certificate.
    pub fn fill_from_body(&mut self, body: &str) -> Result<(), BodyError> {
        let t = body.trim_start_matches('\u{feff}').trim();
        if t.starts_with('<') {
            let fields = crate::xml::to_json(t)
                .map(|(_, v)| v)
                .map_err(|_| BodyError::Syntax { offset: 0 })?;
            let req = text(&fields, "req_info");
            if req.is_empty() {
                return Err(BodyError::NoResource);
            }
            self.v2 = true;
            fill(&mut self.ciphertext, req);
            return Ok(());
        }
        let v: Value = serde_json::from_str(t).map_err(|e| BodyError::Syntax {
            offset: crate::opendata::interpret::byte_offset(t, e.line(), e.column()),
        })?;
        let resource = if v.get("ciphertext").is_some() {
            &v
        } else if let Some(r) = v.get("resource").filter(|r| r.is_object()) {
            r
        } else if let Some(r) = v
            .get("data")
            .and_then(|d| d.get(0))
            .and_then(|d| d.get("encrypt_certificate"))
        {
            self.original_type = "certificate".into();
            r
        } else if let Some(r) = v.get("encrypt_certificate") {
            self.original_type = "certificate".into();
            r
        } else {
            return Err(BodyError::NoResource);
        };
        fill(&mut self.ciphertext, text(resource, "ciphertext"));
        fill(&mut self.nonce, text(resource, "nonce"));
        fill(&mut self.algorithm, text(resource, "algorithm"));
        if self.associated_data.is_empty() {
            self.associated_data = text(resource, "associated_data");
        }
        fill(&mut self.original_type, text(resource, "original_type"));
        fill(&mut self.event_type, text(&v, "event_type"));
        Ok(())
    }
}

fn fill(slot: &mut String, v: String) {
    if slot.is_empty() {
        *slot = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_resource_and_certificates() {
        let mut p = PayInput::default();
        p.fill_from_body(r#"{"event_type":"REFUND.SUCCESS","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"c","nonce":"n","associated_data":"refund","original_type":"refund"}}"#).unwrap();
        assert_eq!(
            (p.ciphertext.as_str(), p.event_type.as_str()),
            ("c", "REFUND.SUCCESS")
        );
        let mut c = PayInput::default();
        c.fill_from_body(r#"{"data":[{"encrypt_certificate":{"ciphertext":"x","nonce":"y","associated_data":"certificate"}}]}"#).unwrap();
        assert_eq!(c.original_type, "certificate");
        let mut v2 = PayInput::default();
        v2.fill_from_body("<xml><req_info><![CDATA[abc]]></req_info></xml>")
            .unwrap();
        assert!(v2.v2);
        assert_eq!(
            PayInput::default().fill_from_body("{}"),
            Err(BodyError::NoResource)
        );
        assert!(matches!(
            PayInput::default().fill_from_body("{x"),
            Err(BodyError::Syntax { .. })
        ));
    }
}
