//! Make test notifications the way WeChat Pay sends them: the resource JSON encrypted with the
//! APIv3 key (AEAD_AES_256_GCM) inside a notification body; or an APIv2 refund's `req_info`.

use serde_json::{Value, json};

use super::gcm::{self, KEY_BYTES, NONCE_BYTES};
use super::inspect::ALGORITHM;
use super::v2;
use crate::i18n::Lang;
use crate::opendata::normalize::encode;

/// What to send and with what. An empty nonce draws a random one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealRequest {
    pub key: String,
    /// The resource's plain JSON (or the APIv2 `<root>` XML).
    pub plaintext: String,
    pub nonce: String,
    pub associated_data: String,
    /// `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, …; empty picks one from the associated data.
    pub event_type: String,
    pub v2: bool,
}

/// Why a notification could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    Key(usize),
    Nonce(usize),
    Random(String),
}

impl SealError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SealError::Key(n) => lang.fmt("pay.seal.error.key", &[("chars", &n.to_string())]),
            SealError::Nonce(n) => lang.fmt("pay.seal.error.nonce", &[("bytes", &n.to_string())]),
            SealError::Random(m) => lang.fmt("encrypt.error.random", &[("msg", m)]),
        }
    }
}

const NONCE_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Encrypts one notification; returns its body (JSON, or the APIv2 XML).
pub fn seal(req: &SealRequest, now: i64) -> Result<Value, SealError> {
    let key = req.key.trim();
    if key.len() != KEY_BYTES {
        return Err(SealError::Key(key.len()));
    }
    if req.v2 {
        let sealed = v2::seal(&v2::key_of(key), req.plaintext.as_bytes());
        return Ok(Value::String(format!(
            "<xml><return_code>SUCCESS</return_code><req_info><![CDATA[{}]]></req_info></xml>",
            encode(&sealed)
        )));
    }
    let nonce = match req.nonce.trim() {
        "" => {
            let r = crate::opendata::cipher::random_bytes::<NONCE_BYTES>()
                .map_err(SealError::Random)?;
            r.iter()
                .map(|b| char::from(NONCE_CHARS[usize::from(*b) % NONCE_CHARS.len()]))
                .collect()
        }
        n => n.to_string(),
    };
    if nonce.len() != NONCE_BYTES {
        return Err(SealError::Nonce(nonce.len()));
    }
    let aad = req.associated_data.as_str();
    let sealed = gcm::seal(
        key.as_bytes(),
        nonce.as_bytes(),
        aad.as_bytes(),
        req.plaintext.as_bytes(),
    )
    .ok_or(SealError::Key(key.len()))?;
    let event = match (req.event_type.trim(), aad) {
        ("", "refund") => "REFUND.SUCCESS",
        ("", _) => "TRANSACTION.SUCCESS",
        (e, _) => e,
    };
    let original = if aad.is_empty() { "transaction" } else { aad };
    let time = chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| chrono::DateTime::from_timestamp(now, 0).map(|t| t.with_timezone(&tz)))
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_default();
    Ok(json!({
        "id": format!("wxdecrypt-{now}"),
        "create_time": time,
        "resource_type": "encrypt-resource",
        "event_type": event,
        "summary": "wxdecrypt test notification",
        "resource": {
            "original_type": original,
            "algorithm": ALGORITHM,
            "ciphertext": encode(&sealed),
            "associated_data": aad,
            "nonce": nonce,
        }
    }))
}
