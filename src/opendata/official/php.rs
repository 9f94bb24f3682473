//! The official PHP sample (`WXBizDataCrypt::decryptData`, wxBizDataCrypt.php): `strlen` checks of
//! the key and iv strings, PHP's *lenient* `base64_decode`, `openssl_decrypt` (which pads or cuts
//! a key or iv of the wrong length to 16 bytes), `json_decode`, a loose `== NULL`, then
//! `watermark->appid != $appid` — compared even when the appid is empty.

use serde_json::Value;

use super::{ILLEGAL_AES_KEY, ILLEGAL_BUFFER, ILLEGAL_IV, OK, Shared};

/// PHP's `base64_decode($s)` (not strict): `=` and characters outside the alphabet are skipped
/// wherever they are, and a last group of one character is dropped. Never fails.
pub fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let (mut acc, mut n) = (0u32, 0u32);
    for b in s.bytes() {
        let Some(v) = super::value_of(b, false) else {
            continue;
        };
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            (acc, n) = (0, 0);
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

/// A key or iv as `openssl_decrypt` uses it for AES-128: cut to 16 bytes or padded with zeros.
fn fit16(b: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let n = b.len().min(16);
    out[..n].copy_from_slice(&b[..n]);
    out
}

/// PHP's loose `$v == NULL`: null, false, 0, 0.0, "" and the empty array.
fn loosely_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(_) => false,
    }
}

/// A PHP 8 numeric string's value (leading and trailing whitespace allowed).
fn numeric(s: &str) -> Option<f64> {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    if t.is_empty() || t.contains(['x', 'X', '_']) || t.eq_ignore_ascii_case("inf") {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// PHP 8's loose `$t == $s` for two strings: as numbers when both are numeric ("10" == "1e1").
pub(crate) fn strings_equal(t: &str, s: &str) -> bool {
    if t == s {
        return true;
    }
    matches!((numeric(t), numeric(s)), (Some(a), Some(b)) if a == b)
}

/// PHP 8's loose `$v == $s` for a JSON value and a string.
fn loosely_equal(v: Option<&Value>, s: &str) -> bool {
    match v {
        None | Some(Value::Null) => s.is_empty(),
        Some(Value::Bool(b)) => *b != (s.is_empty() || s == "0"),
        Some(Value::Number(n)) => match numeric(s) {
            Some(f) => n.as_f64() == Some(f),
            None => n.to_string() == s,
        },
        Some(Value::String(t)) => strings_equal(t, s),
        Some(Value::Array(_) | Value::Object(_)) => false,
    }
}

/// The code the PHP sample returns.
pub(super) fn decrypt_data(
    shared: &mut Shared,
    appid: &str,
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
) -> i32 {
    if session_key.len() != 24 {
        return ILLEGAL_AES_KEY;
    }
    let decode = |shared: &mut Shared, t: &str| {
        let Ok(b) = shared.decode(t, |t| Ok::<_, std::convert::Infallible>(base64_decode(t)));
        b
    };
    let key = decode(shared, session_key);
    if iv.len() != 24 {
        return ILLEGAL_IV;
    }
    let iv = decode(shared, iv);
    let data = decode(shared, encrypted_data);
    let Some(plain) = shared.decrypt_pkcs7(&fit16(&key), &fit16(&iv), &data) else {
        return ILLEGAL_BUFFER;
    };
    let parsed = shared.parse(&plain);
    let Some(obj) = parsed.as_ref() else {
        return ILLEGAL_BUFFER;
    };
    if loosely_null(obj) {
        return ILLEGAL_BUFFER;
    }
    // `$dataObj->watermark->appid`: null (with a warning) unless both are objects.
    let appid_seen = obj
        .get("watermark")
        .filter(|w| w.is_object())
        .and_then(|w| w.get("appid"));
    let appid_seen = if obj.is_object() { appid_seen } else { None };
    if !loosely_equal(appid_seen, appid) {
        return ILLEGAL_BUFFER;
    }
    OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base64() {
        assert_eq!(base64_decode("aGk="), b"hi");
        assert_eq!(base64_decode("a G\r\nk"), b"hi");
        assert_eq!(base64_decode("a=Gk"), b"hi");
        assert_eq!(base64_decode("aGk*"), b"hi");
        assert_eq!(base64_decode("aGkhI"), b"hi!");
        assert_eq!(base64_decode("a-_k"), base64_decode("ak"));
        assert_eq!(base64_decode(""), b"");
    }

    #[test]
    fn loose_comparisons() {
        assert!(loosely_null(&serde_json::json!([])));
        assert!(!loosely_null(&serde_json::json!({})));
        assert!(!loosely_null(&serde_json::json!("0")));
        assert!(loosely_equal(None, ""));
        assert!(!loosely_equal(None, "wx1"));
        assert!(loosely_equal(Some(&serde_json::json!("10")), "1e1"));
        assert!(loosely_equal(Some(&serde_json::json!(10)), "10"));
        assert!(!loosely_equal(Some(&serde_json::json!("wx1")), "wx2"));
    }
}
