//! Tamper and replay: decrypted data, edited, encrypted again with the same session_key and iv
//! (or a new iv) with its watermark kept (the timestamp refreshed on request) and its phone fields
//! kept consistent, and written as the request body it travels in; and template batches — one
//! payload per value, the `%%` of a template replaced by each — for Burp Intruder or a script.
//! What they make decrypts back to exactly what was edited (tests).

use serde::Serialize;
use serde_json::{Map, Value};

use super::encrypt::{EncryptError, EncryptRequest, Encrypted, encrypt_for, phone_payload};
use crate::extract::percent_encode;
use crate::platform::Platform;

/// Re-encrypting edited data.
#[derive(Debug, Clone, Copy)]
pub struct Reencrypt<'a> {
    /// The data as edited (JSON or text).
    pub edited: &'a str,
    /// The data as it decrypted (to tell which phone field was changed).
    pub original: Option<&'a Value>,
    pub session_key: &'a str,
    /// The iv to reuse; None for a new random one.
    pub iv: Option<&'a str>,
    /// Set the watermark's timestamp to this (its appid is kept).
    pub refresh_timestamp: Option<i64>,
    /// The current time, Unix seconds.
    pub now: i64,
    /// The platform whose scheme encrypts it ([`encrypt_for`]).
    pub platform: Platform,
    /// Baidu's App Key, which ends the frame (the other platforms keep the watermark as edited).
    pub app_key: Option<&'a str>,
}

/// The text to encrypt: the edited JSON compact (or the text as it is), with the phone fields
/// made consistent and the watermark timestamp refreshed when asked.
pub fn prepare(req: &Reencrypt<'_>) -> Result<String, EncryptError> {
    let t = req.edited.trim();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return Ok(req.edited.to_string());
    }
    let mut value: Value = serde_json::from_str(t).map_err(|e| EncryptError::Json {
        line: e.line(),
        column: e.column(),
        msg: crate::privacy::scrub_quoted(&e.to_string()),
    })?;
    if let Value::Object(obj) = &mut value {
        let was = req.original.and_then(Value::as_object);
        consistent_phone(obj, was);
        if let (Some(ts), Some(Value::Object(wm))) =
            (req.refresh_timestamp, obj.get_mut("watermark"))
        {
            wm.insert("timestamp".into(), Value::from(ts));
        }
    }
    Ok(value.to_string())
}

/// Encrypts the edited data with the key and iv given (the watermark as edited: nothing else is
/// changed).
pub fn reencrypt(req: &Reencrypt<'_>) -> Result<Encrypted, EncryptError> {
    let payload = prepare(req)?;
    encrypt_for(
        &EncryptRequest {
            payload,
            session_key: Some(req.session_key.to_string()),
            iv: req.iv.map(str::to_string),
            appid: req.app_key.map(str::to_string),
            timestamp: None,
            watermark: false,
            now: req.now,
        },
        req.platform,
    )
}

/// When only one of `phoneNumber` / `purePhoneNumber` was changed, the other (and `countryCode`)
/// follow it, as WeChat always sends them.
fn consistent_phone(obj: &mut Map<String, Value>, was: Option<&Map<String, Value>>) {
    let text = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(String::from);
    let (Some(phone), Some(pure)) = (text(obj, "phoneNumber"), text(obj, "purePhoneNumber")) else {
        return;
    };
    let old = |k: &str| was.and_then(|w| text(w, k));
    let cc = text(obj, "countryCode").unwrap_or_else(|| "86".into());
    let changed_phone = old("phoneNumber").is_some_and(|o| o != phone);
    let changed_pure = old("purePhoneNumber").is_some_and(|o| o != pure);
    let fresh = if changed_phone && !changed_pure {
        // "13900001111" keeps the country code; "+852 61234567" names its own.
        let spelled = if phone.trim().starts_with('+') || cc == "86" {
            phone.clone()
        } else {
            format!("+{cc} {phone}")
        };
        phone_payload(&spelled)
    } else if changed_pure && !changed_phone {
        phone_payload(&if cc == "86" {
            pure.clone()
        } else {
            format!("+{cc} {pure}")
        })
    } else {
        return;
    };
    for k in ["phoneNumber", "purePhoneNumber", "countryCode"] {
        if let Some(v) = fresh.get(k) {
            obj.insert(k.into(), v.clone());
        }
    }
}

/// How a re-encrypted payload is written for the request that carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `{"encryptedData": …, "iv": …}` (what `wx.request` sends by default).
    Json,
    /// `encryptedData=…&iv=…`, percent-encoded (a form post or a query string).
    Form,
}

/// The request body carrying `enc` under the field names the original request used.
pub fn request_body(enc: &Encrypted, format: BodyFormat, names: (&str, &str)) -> String {
    let (data_name, iv_name) = names;
    match format {
        BodyFormat::Json => {
            let mut m = Map::new();
            m.insert(data_name.into(), Value::from(enc.encrypted_data.clone()));
            m.insert(iv_name.into(), Value::from(enc.iv.clone()));
            Value::Object(m).to_string()
        }
        BodyFormat::Form => format!(
            "{}={}&{}={}",
            percent_encode(data_name),
            percent_encode(&enc.encrypted_data),
            percent_encode(iv_name),
            percent_encode(&enc.iv)
        ),
    }
}

/// The placeholder of a template.
pub const PLACEHOLDER: &str = "%%";

/// `template` with every placeholder replaced by `value`; in a JSON template the value is escaped
/// as a JSON string's content (a quote or backslash in a value keeps the JSON valid; digits and
/// letters are unchanged, so `"gender": %%` takes a number).
pub fn fill_template(template: &str, value: &str) -> String {
    let t = template.trim_start();
    let json = t.starts_with('{') || t.starts_with('[');
    let v = if json {
        let quoted = Value::String(value.to_string()).to_string();
        quoted
            .get(1..quoted.len().saturating_sub(1))
            .unwrap_or_default()
            .to_string()
    } else {
        value.to_string()
    };
    template.replace(PLACEHOLDER, &v)
}

/// How a template batch is written (its `--format` value when the CLI is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum BatchFormat {
    /// One JSON object a line: `{"value", "iv", "encryptedData"}`.
    Jsonl,
    /// One encryptedData a line (a payload list for Burp Intruder; the iv is the batch's).
    Lines,
    /// One percent-encoded encryptedData a line (for a form body or a query string).
    Urlencoded,
}

/// A template batch.
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    pub template: &'a str,
    pub values: Vec<&'a str>,
    pub session_key: &'a str,
    /// The iv of every payload; None: a random one per payload in `jsonl`, one random iv for the
    /// whole batch in `lines` and `urlencoded` (whose lines carry no iv).
    pub iv: Option<&'a str>,
    /// Insert or replace the watermark with this appid (and `now`); Baidu's App Key.
    pub appid: Option<&'a str>,
    pub format: BatchFormat,
    pub now: i64,
    /// The platform whose scheme encrypts each payload ([`encrypt_for`]).
    pub platform: Platform,
}

/// The batch's output: its lines, and the iv they share (when they share one).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOutput {
    pub lines: Vec<String>,
    pub shared_iv: Option<String>,
}

/// Encrypts one payload per value. Blank values (empty lines) are skipped.
pub fn batch(b: &Batch<'_>) -> Result<BatchOutput, EncryptError> {
    let shared_iv = match (b.iv, b.format) {
        // Alipay sends no iv.
        _ if !b.platform.sends_iv() => None,
        (Some(iv), _) => Some(iv.to_string()),
        (None, BatchFormat::Jsonl) => None,
        (None, _) => Some(crate::opendata::normalize::encode(
            &super::cipher::random_bytes::<16>().map_err(EncryptError::Random)?,
        )),
    };
    let mut lines = Vec::with_capacity(b.values.len());
    for value in b.values.iter().filter(|v| !v.trim().is_empty()) {
        let req = EncryptRequest {
            payload: fill_template(b.template, value),
            session_key: Some(b.session_key.to_string()),
            iv: shared_iv.clone(),
            appid: b.appid.map(str::to_string),
            timestamp: None,
            watermark: b.appid.is_some(),
            now: b.now,
        };
        let enc = encrypt_for(&req, b.platform)?;
        lines.push(match b.format {
            BatchFormat::Jsonl => serde_json::json!({
                "value": value,
                "iv": enc.iv,
                "encryptedData": enc.encrypted_data,
            })
            .to_string(),
            BatchFormat::Lines => enc.encrypted_data,
            BatchFormat::Urlencoded => percent_encode(&enc.encrypted_data),
        });
    }
    Ok(BatchOutput { lines, shared_iv })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_phone_number_carries_the_other_fields() {
        let was: Value = serde_json::from_str(
            r#"{"phoneNumber":"13800000001","purePhoneNumber":"13800000001","countryCode":"86"}"#,
        )
        .unwrap();
        let edited =
            r#"{"phoneNumber":"13912345678","purePhoneNumber":"13800000001","countryCode":"86"}"#;
        let req = Reencrypt {
            edited,
            original: Some(&was),
            session_key: "",
            iv: None,
            refresh_timestamp: None,
            now: 0,
            platform: Platform::Wechat,
            app_key: None,
        };
        assert_eq!(
            prepare(&req).unwrap(),
            r#"{"phoneNumber":"13912345678","purePhoneNumber":"13912345678","countryCode":"86"}"#
        );
        let hk =
            r#"{"phoneNumber":"+852 61234567","purePhoneNumber":"13800000001","countryCode":"86"}"#;
        assert_eq!(
            prepare(&Reencrypt { edited: hk, ..req }).unwrap(),
            r#"{"phoneNumber":"+852 61234567","purePhoneNumber":"61234567","countryCode":"852"}"#
        );
        let pure =
            r#"{"phoneNumber":"13800000001","purePhoneNumber":"13700000000","countryCode":"86"}"#;
        assert_eq!(
            prepare(&Reencrypt {
                edited: pure,
                ..req
            })
            .unwrap(),
            r#"{"phoneNumber":"13700000000","purePhoneNumber":"13700000000","countryCode":"86"}"#
        );
    }

    #[test]
    fn templates_escape_values_inside_json() {
        assert_eq!(
            fill_template(r#"{"a":"%%","b":%%}"#, "7"),
            r#"{"a":"7","b":7}"#
        );
        assert_eq!(fill_template(r#"{"a":"%%"}"#, r#"x"y"#), r#"{"a":"x\"y"}"#);
        assert_eq!(fill_template("phone=%%", r#"x"y"#), r#"phone=x"y"#);
    }
}
