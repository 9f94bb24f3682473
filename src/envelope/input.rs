//! One message push or Pay notification as received, whichever it is: what scans, the endpoint
//! and the key ring hand around, inspected by its own inspector and opened with keys of its kind.

use super::EnvelopeReport;
use crate::keyring::{KeyType, KeyringEntry};
use crate::msg::MsgInput;
use crate::msg::input::{Body, read_body};
use crate::opendata::Options;
use crate::pay::PayInput;

/// A message push or a Pay notification.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvelopeInput {
    Message(MsgInput),
    Pay(PayInput),
}

impl EnvelopeInput {
    /// What a request to a push or notification handler carries, from its query string and body:
    /// a safe-mode push (`<Encrypt>` in XML, `"Encrypt"` in JSON) with its signature fields from
    /// the query string, the safe-mode URL check (`echostr` with `msg_signature`; the plain-mode
    /// check, with `signature`, carries nothing encrypted), a Pay APIv3 notification
    /// (`resource.ciphertext`), an APIv2 refund (`req_info`) or a certificate answer. None for
    /// anything else (open data among it).
    pub fn from_request(query: Option<&str>, body: &str) -> Option<EnvelopeInput> {
        in_body(body, query).or_else(|| query.and_then(url_check).map(EnvelopeInput::Message))
    }

    /// Inspects it with its inspector.
    pub fn inspect(&self, opts: &Options) -> EnvelopeReport {
        match self {
            EnvelopeInput::Message(m) => crate::msg::inspect_message(m, opts),
            EnvelopeInput::Pay(p) => crate::pay::inspect_pay(p, opts),
        }
    }

    /// The kind of key that opens it.
    pub fn key_type(&self) -> KeyType {
        match self {
            EnvelopeInput::Message(_) => KeyType::EncodingAesKey,
            EnvelopeInput::Pay(_) => KeyType::ApiV3Key,
        }
    }

    /// Whether it carries a key of its own.
    pub fn has_key(&self) -> bool {
        !match self {
            EnvelopeInput::Message(m) => m.encoding_aes_key.trim(),
            EnvelopeInput::Pay(p) => p.key.trim(),
        }
        .is_empty()
    }

    /// It with the key of `entry`. A message push also takes the entry's token and receive id
    /// (the appid when it names no receive id) where it has none of its own.
    pub fn with_key(&self, entry: &KeyringEntry) -> EnvelopeInput {
        let fill = |slot: &mut String, v: Option<&str>| {
            if slot.trim().is_empty()
                && let Some(v) = v
            {
                *slot = v.to_string();
            }
        };
        match self {
            EnvelopeInput::Message(m) => {
                let mut m = m.clone();
                m.encoding_aes_key = entry.key().to_string();
                fill(&mut m.token, entry.token.as_deref());
                fill(
                    &mut m.receive_id,
                    entry.receive_id.as_deref().or(entry.appid.as_deref()),
                );
                EnvelopeInput::Message(m)
            }
            EnvelopeInput::Pay(p) => {
                let mut p = p.clone();
                p.key = entry.key().to_string();
                EnvelopeInput::Pay(p)
            }
        }
    }
}

/// A push or notification body (with the push's query string).
fn in_body(body: &str, query: Option<&str>) -> Option<EnvelopeInput> {
    if body.contains("Encrypt")
        && let Body::Encrypted { .. } = read_body(body)
    {
        let mut m = MsgInput {
            body: body.trim().to_string(),
            ..MsgInput::default()
        };
        if let Some(q) = query {
            m.fill_from_query(q);
        }
        return Some(EnvelopeInput::Message(m));
    }
    if body.contains("ciphertext") || body.contains("req_info") {
        return pay(body).map(EnvelopeInput::Pay);
    }
    None
}

/// The URL check of a safe-mode handler: an encrypted `echostr` with its `msg_signature` (the
/// plain-mode check, with `signature`, carries nothing encrypted).
fn url_check(query: &str) -> Option<MsgInput> {
    let has = |name: &str| {
        query.split('&').any(|p| {
            p.split_once('=')
                .is_some_and(|(k, v)| k == name && !v.is_empty())
        })
    };
    if !(has("echostr") && has("msg_signature")) {
        return None;
    }
    let mut m = MsgInput::default();
    m.fill_from_query(query);
    Some(m)
}

/// A Pay notification, refund or certificate answer: its body, which the inspector reads (as the
/// Inspect view's Paste does).
fn pay(body: &str) -> Option<PayInput> {
    PayInput::default().fill_from_body(body).ok()?;
    Some(PayInput {
        body: body.trim().to_string(),
        ..PayInput::default()
    })
}
