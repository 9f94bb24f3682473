//! Alipay mini programs: `my.getPhoneNumber` answers `{"response": …, "sign": …, "sign_type":
//! "RSA2", "encrypt_type": "AES", "charset": "UTF-8"}`; `response` is AES-128-CBC under the AES key
//! set in the open platform console, with an all-zero iv and PKCS#7, and decrypts to
//! `{"code":"10000","msg":"Success","mobile":…}`. (`sign` is RSA2 over the response with the
//! app's key pair: checking it takes Alipay's public key, which is not part of the payload.)

use serde_json::Value;

use crate::finding::{Code, Field, Finding};
use crate::i18n::Lang;
use crate::opendata::interpret::value_span;

/// Alipay sends no iv: it is all zeros.
pub const IV: [u8; 16] = [0; 16];

/// The `code` of a successful answer.
pub const SUCCESS: &str = "10000";

/// Whether `raw` is my.getPhoneNumber's whole answer (an object with `response` and `sign`).
pub fn is_answer(raw: &str) -> bool {
    response_of(raw).is_some()
}

/// The `response` of a pasted my.getPhoneNumber answer, and the char offset of its text in the
/// paste (for pointing findings at it). `None` when `raw` is not such an answer.
pub fn response_of(raw: &str) -> Option<(String, usize)> {
    let t = raw.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    let v: Value = serde_json::from_str(raw).ok()?;
    let response = v.get("response")?.as_str()?.to_string();
    v.get("sign")?;
    let [start, _] = value_span(raw, "response")?;
    let offset = raw.get(..start + 1)?.chars().count();
    Some((response, offset))
}

/// The finding for an answer that is not Success (`code` other than 10000), pointed at its code.
pub fn check_answer(text: &str, lang: Lang, findings: &mut Vec<Finding>) {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let s = |k: &str| match obj.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let code = s("code");
    if code.is_empty() || code == SUCCESS {
        return;
    }
    let (msg, sub_code, sub_msg) = (s("msg"), s("subCode"), s("subMsg"));
    findings.push(Finding::new(
        lang,
        Code::AlipayError,
        Field::Plaintext,
        value_span(text, "code"),
        &[
            ("code", &code),
            ("msg", &msg),
            ("sub_code", &sub_code),
            ("sub_msg", &sub_msg),
        ],
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_is_taken_from_the_answer() {
        let raw = r#"{"response":"abc+/=","sign":"S","sign_type":"RSA2"}"#;
        let (r, at) = response_of(raw).unwrap();
        assert_eq!(r, "abc+/=");
        assert_eq!(&raw[at..at + r.len()], "abc+/=");
        assert!(response_of(r#"{"response":"abc"}"#).is_none());
        assert!(response_of("abc").is_none());
    }
}
