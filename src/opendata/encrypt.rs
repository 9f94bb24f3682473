//! Build encrypted payloads the way WeChat does (for backend tests, QA fixtures and security tests).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::finding::Field;
use crate::i18n::Lang;
use crate::opendata::cipher;
use crate::opendata::normalize::{self, LenRule};

/// What to encrypt and with what.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EncryptRequest {
    /// JSON (an object gets a watermark) or plain text.
    pub payload: String,
    /// base64 session_key; a random one is generated when `None` or empty.
    pub session_key: Option<String>,
    /// base64 iv; a random one is generated when `None` or empty.
    pub iv: Option<String>,
    /// Appid for the watermark. Without it an existing watermark is left as it is.
    pub appid: Option<String>,
    /// Watermark timestamp (Unix seconds); `now` when `None`.
    pub timestamp: Option<i64>,
    /// Insert or replace the watermark (when an appid is given).
    pub watermark: bool,
    /// The current time, Unix seconds.
    pub now: i64,
}

/// An encrypted payload, as `e.detail` would carry it, plus the key that opens it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Encrypted {
    pub iv: String,
    #[serde(rename = "encryptedData")]
    pub encrypted_data: String,
    #[serde(rename = "sessionKey")]
    pub session_key: String,
    #[serde(skip)]
    pub key_generated: bool,
    #[serde(skip)]
    pub iv_generated: bool,
    /// The exact text that was encrypted (with the watermark).
    #[serde(skip)]
    pub plaintext: String,
}

/// What is wrong with a given session_key or iv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockProblem {
    /// Not base64, even after the usual repairs.
    NotBase64,
    /// Decodes to this many bytes instead of 16.
    Length(usize),
}

/// Why a payload could not be built.
#[derive(Debug, Clone, PartialEq)]
pub enum EncryptError {
    Key(BlockProblem),
    Iv(BlockProblem),
    /// The payload looks like JSON but is not (serde's message, line and column).
    Json {
        line: usize,
        column: usize,
        msg: String,
    },
    /// The operating system gave no random numbers (its reason).
    Random(String),
}

impl EncryptError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let block = |field: Field, p: &BlockProblem| match p {
            BlockProblem::NotBase64 => {
                lang.fmt("encrypt.error.not_base64", &[("field", field.label(lang))])
            }
            BlockProblem::Length(n) => lang.fmt(
                "encrypt.error.length",
                &[("field", field.label(lang)), ("bytes", &n.to_string())],
            ),
        };
        match self {
            EncryptError::Key(p) => block(Field::SessionKey, p),
            EncryptError::Iv(p) => block(Field::Iv, p),
            EncryptError::Json { line, column, msg } => lang.fmt(
                "encrypt.error.json",
                &[
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("msg", msg),
                ],
            ),
            EncryptError::Random(m) => lang.fmt("encrypt.error.random", &[("msg", m)]),
        }
    }
}

impl std::fmt::Display for EncryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for EncryptError {}

fn block16(s: &str) -> Result<[u8; 16], BlockProblem> {
    let n = normalize::normalize(s, LenRule::Block);
    match n.bytes {
        Some(b) => <[u8; 16]>::try_from(b.as_slice()).map_err(|_| BlockProblem::Length(b.len())),
        None => Err(BlockProblem::NotBase64),
    }
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Sets or replaces `watermark` as the last key, as WeChat places it.
pub fn set_watermark(obj: &mut Map<String, Value>, appid: &str, timestamp: i64) {
    obj.shift_remove("watermark");
    obj.insert(
        "watermark".into(),
        json!({ "appid": appid, "timestamp": timestamp }),
    );
}

/// The plaintext that will be encrypted: the payload with its watermark applied.
pub fn prepare_plaintext(req: &EncryptRequest) -> Result<String, EncryptError> {
    let trimmed = req.payload.trim();
    let looks_json = trimmed.starts_with('{') || trimmed.starts_with('[');
    if !looks_json {
        return Ok(req.payload.clone());
    }
    let mut value: Value = serde_json::from_str(trimmed).map_err(|e| EncryptError::Json {
        line: e.line(),
        column: e.column(),
        msg: crate::privacy::scrub_quoted(&e.to_string()),
    })?;
    if req.watermark
        && let (Value::Object(obj), Some(appid)) = (&mut value, given(&req.appid))
    {
        set_watermark(obj, appid, req.timestamp.unwrap_or(req.now));
    }
    // Compact, like WeChat's own payloads.
    Ok(value.to_string())
}

/// Encrypts a payload. Generates the key and iv when they are not given.
pub fn encrypt(req: &EncryptRequest) -> Result<Encrypted, EncryptError> {
    let (key, key_generated) = match given(&req.session_key) {
        Some(k) => (block16(k).map_err(EncryptError::Key)?, false),
        None => (
            cipher::random_bytes::<16>().map_err(EncryptError::Random)?,
            true,
        ),
    };
    let (iv, iv_generated) = match given(&req.iv) {
        Some(i) => (block16(i).map_err(EncryptError::Iv)?, false),
        None => (
            cipher::random_bytes::<16>().map_err(EncryptError::Random)?,
            true,
        ),
    };
    let plaintext = prepare_plaintext(req)?;
    let ct = cipher::encrypt_pkcs7(&key, &iv, plaintext.as_bytes())
        .ok_or(EncryptError::Key(BlockProblem::Length(key.len())))?;
    Ok(Encrypted {
        iv: normalize::encode(&iv),
        encrypted_data: normalize::encode(&ct),
        session_key: normalize::encode(&key),
        key_generated,
        iv_generated,
        plaintext,
    })
}

/// A phone number payload with consistent phoneNumber / purePhoneNumber / countryCode.
/// `number` may carry a `+CC` prefix (e.g. `+852 61234567`); plain digits mean China (86).
pub fn phone_payload(number: &str) -> Value {
    let t = number.trim();
    let (cc, pure) = match t.strip_prefix('+') {
        Some(rest) => {
            let mut parts = rest.splitn(2, [' ', '-']);
            let cc = parts.next().unwrap_or("").to_string();
            let pure: String = parts
                .next()
                .unwrap_or("")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (cc, pure)
        }
        None => (
            "86".to_string(),
            t.chars().filter(char::is_ascii_digit).collect(),
        ),
    };
    let phone = if cc == "86" {
        pure.clone()
    } else {
        format!("+{cc} {pure}")
    };
    json!({ "phoneNumber": phone, "purePhoneNumber": pure, "countryCode": cc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_is_last_and_replaced() {
        let req = EncryptRequest {
            payload: r#"{"watermark":{"appid":"old"},"a":1}"#.into(),
            appid: Some("wxnew".into()),
            timestamp: Some(5),
            watermark: true,
            ..Default::default()
        };
        assert_eq!(
            prepare_plaintext(&req).unwrap(),
            r#"{"a":1,"watermark":{"appid":"wxnew","timestamp":5}}"#
        );
    }

    #[test]
    fn phone_payload_forms() {
        assert_eq!(phone_payload("13580006666")["countryCode"], "86");
        let p = phone_payload("+852 61234567");
        assert_eq!(p["phoneNumber"], "+852 61234567");
        assert_eq!(p["purePhoneNumber"], "61234567");
    }

    #[test]
    fn bad_json_says_where() {
        let req = EncryptRequest {
            payload: "{\n \"a\": }".into(),
            ..Default::default()
        };
        assert!(matches!(
            prepare_plaintext(&req),
            Err(EncryptError::Json { line: 2, .. })
        ));
    }
}
