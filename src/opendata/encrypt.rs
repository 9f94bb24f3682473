//! Build encrypted payloads the way WeChat does (for backend tests, QA fixtures and security tests).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::finding::Field;
use crate::i18n::Lang;
use crate::opendata::cipher;
use crate::opendata::normalize::{self, LenRule};
use crate::platform::{Cipher, Platform, baidu};

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
    /// Decodes to `bytes` bytes instead of the platform's `want` (Baidu's 24).
    LengthOf { bytes: usize, want: usize },
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
            BlockProblem::LengthOf { bytes, want } => lang.fmt(
                "encrypt.error.length_of",
                &[
                    ("field", field.label(lang)),
                    ("bytes", &bytes.to_string()),
                    ("want", &want.to_string()),
                ],
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

/// A random session key of `platform`'s documented length (Baidu's 24 bytes, else 16).
pub fn random_key(platform: Platform) -> Result<Vec<u8>, String> {
    let key = cipher::random_bytes::<24>()?;
    Ok(key.get(..platform.key_bytes()).unwrap_or(&key).to_vec())
}

/// A session key of one of `platform`'s lengths (16; 24 for Baidu; either for Xiaohongshu).
fn key_of(s: &str, platform: Platform) -> Result<Vec<u8>, BlockProblem> {
    let lengths = platform.key_lengths();
    let rule = match lengths {
        [16] => LenRule::Block,
        [n] => LenRule::Exact(*n),
        _ => LenRule::AtLeast(16),
    };
    match normalize::normalize(s, rule).bytes {
        Some(b) if lengths.contains(&b.len()) => Ok(b),
        Some(b) if lengths == [16] => Err(BlockProblem::Length(b.len())),
        Some(b) => Err(BlockProblem::LengthOf {
            bytes: b.len(),
            want: platform.key_bytes(),
        }),
        None => Err(BlockProblem::NotBase64),
    }
}

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
    set_watermark_as(obj, "appid", appid, timestamp);
}

/// [`set_watermark`] with the appid under `key` (Xiaohongshu's `appId`).
pub fn set_watermark_as(obj: &mut Map<String, Value>, key: &str, appid: &str, timestamp: i64) {
    obj.shift_remove("watermark");
    let mut wm = Map::new();
    wm.insert(key.into(), appid.into());
    wm.insert("timestamp".into(), timestamp.into());
    obj.insert("watermark".into(), Value::Object(wm));
}

/// The plaintext that will be encrypted: the payload with its watermark applied.
pub fn prepare_plaintext(req: &EncryptRequest) -> Result<String, EncryptError> {
    prepare_plaintext_for(req, Platform::Wechat)
}

/// [`prepare_plaintext`] for `platform`: its watermark's spelling, none where it puts none in.
pub fn prepare_plaintext_for(
    req: &EncryptRequest,
    platform: Platform,
) -> Result<String, EncryptError> {
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
        && let (Value::Object(obj), Some(appid), Some(rule)) =
            (&mut value, given(&req.appid), platform.watermark())
    {
        set_watermark_as(obj, rule.key, appid, req.timestamp.unwrap_or(req.now));
    }
    // Compact, like WeChat's own payloads.
    Ok(value.to_string())
}

/// Encrypts a payload as WeChat does. Generates the key and iv when they are not given.
pub fn encrypt(req: &EncryptRequest) -> Result<Encrypted, EncryptError> {
    encrypt_for(req, Platform::Wechat)
}

/// Encrypts a payload as `platform` does: WeChat's scheme (QQ and Douyin share it); the
/// watermark's appid spelled `appId` (Xiaohongshu); Baidu's frame ending with the appid as App
/// Key, under AES-192 with a 24-byte key and no watermark; Alipay's all-zero iv (none is
/// returned) and no watermark. Generates the key and iv when they are not given.
pub fn encrypt_for(req: &EncryptRequest, platform: Platform) -> Result<Encrypted, EncryptError> {
    let (key, key_generated) = match given(&req.session_key) {
        Some(k) => (key_of(k, platform).map_err(EncryptError::Key)?, false),
        None => (random_key(platform).map_err(EncryptError::Random)?, true),
    };
    let (iv, iv_generated) = match (platform.sends_iv(), given(&req.iv)) {
        (false, _) => ([0; 16], false),
        (true, Some(i)) => (block16(i).map_err(EncryptError::Iv)?, false),
        (true, None) => (
            cipher::random_bytes::<16>().map_err(EncryptError::Random)?,
            true,
        ),
    };
    let plaintext = prepare_plaintext_for(req, platform)?;
    let ct = match platform.cipher() {
        Cipher::Baidu => {
            let random = cipher::random_bytes::<16>().map_err(EncryptError::Random)?;
            let app_key = given(&req.appid).unwrap_or_default();
            baidu::seal(&key, &iv, &random, plaintext.as_bytes(), app_key)
        }
        Cipher::Cbc128 | Cipher::Alipay => cipher::encrypt_pkcs7(&key, &iv, plaintext.as_bytes()),
    }
    .ok_or(EncryptError::Key(BlockProblem::Length(key.len())))?;
    Ok(Encrypted {
        iv: match platform.sends_iv() {
            true => normalize::encode(&iv),
            false => String::new(),
        },
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
