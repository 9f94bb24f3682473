//! Privacy: every rule for hiding what a person should not see by accident, one rule per thing
//! hidden, used by the CLI, the GUI and every export alike.
//!
//! | thing                          | rule                                   | example                    |
//! |--------------------------------|----------------------------------------|----------------------------|
//! | phone numbers (digit runs ≥ 7) | [`mask_phone`]: keep 3 + 4 (or 2 + 2)  | `13800138000` → `138****8000` |
//! | a whole session_key            | [`mask_key`]: keep 4 + 4               | `tiihtNczf5v6AKRyjwEUhQ==` → `tiih…hQ==` |
//! | a fragment of a secret         | [`hide`]: every character              | `tNcz` → `••••`            |
//! | JSON text                      | [`mask_json_text`]: phones and keys    |                            |
//! | URLs                           | [`redact_url`]: secret query values    | `secret=***`               |
//! | saved expectations             | [`redacted`]: a SHA-256 placeholder    | `redacted:sha256:…`        |

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Prefix of a redacted value in a saved expectation; the rest is the SHA-256 of the real value.
pub const REDACTED_PREFIX: &str = "redacted:sha256:";

/// Hides the middle of every run of 7 or more digits (phone numbers, wherever they stand): runs
/// of 11 or more keep their first 3 and last 4 digits (`138****8000`), shorter runs their first 2
/// and last 2 (`61****67`). Other characters stay as they are.
pub fn mask_phone(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let n = run.chars().count();
        let (head, tail) = if n >= 11 { (3, 4) } else { (2, 2) };
        for (i, c) in run.chars().enumerate() {
            out.push(if n >= 7 && i >= head && i + tail < n {
                '*'
            } else {
                c
            });
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A session_key (or any whole key) with its middle hidden: `tiih…hQ==`; keys of 8 characters or
/// fewer are hidden whole.
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    if chars.len() <= 8 {
        return "…".into();
    }
    let head: String = chars.iter().take(4).collect();
    let tail: String = chars.iter().skip(chars.len() - 4).collect();
    format!("{head}…{tail}")
}

/// Every character of a secret's fragment hidden, whitespace kept (same length, so highlights and
/// cursors still line up).
pub fn hide(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { c } else { '•' })
        .collect()
}

/// A parser's error message with every quoted value hidden: serde quotes the offending input
/// (`invalid type: string "tiihtNcz…"`), which may be a key. Field names (in backticks), line and
/// column stay.
pub fn scrub_quoted(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '"' {
            continue;
        }
        out.push('…');
        let mut escaped = false;
        for d in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if d == '\\' {
                escaped = true;
            } else if d == '"' {
                out.push('"');
                break;
            }
        }
    }
    out
}

/// Phone numbers and keys in JSON text masked (other values, such as timestamps, stay readable);
/// text that is not JSON gets [`mask_phone`].
pub fn mask_json_text(s: &str) -> String {
    match serde_json::from_str::<Value>(s) {
        Ok(mut v) => {
            mask_value(&mut v);
            v.to_string()
        }
        Err(_) => mask_phone(s),
    }
}

/// Masks phone fields and key fields of a JSON value in place.
pub fn mask_value(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                match (k.as_str(), &mut *val) {
                    ("phoneNumber" | "purePhoneNumber" | "phone", Value::String(s)) => {
                        *s = mask_phone(s);
                    }
                    ("sessionKey" | "session_key", Value::String(s)) => *s = mask_key(s),
                    _ => mask_value(val),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_value),
        _ => {}
    }
}

/// The URL with secrets masked: `secret`, `session_key`, `js_code` and `code` query values,
/// however their names are written (`sessionKey`, `session%5Fkey`).
pub fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !v.is_empty() && is_secret_name(k) => format!("{k}=***"),
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// Whether a query parameter's name (percent-encoded or not: `session%5Fkey`) names a secret.
fn is_secret_name(k: &str) -> bool {
    let k = crate::extract::percent_decode(k)
        .to_ascii_lowercase()
        .replace(['_', '-', '.'], "");
    matches!(
        k.as_str(),
        "secret" | "appsecret" | "sessionkey" | "jscode" | "code"
    )
}

/// The placeholder that stands for a value in a saved expectation: it matches the real value by
/// hash without holding it.
pub fn redacted(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let mut hex = String::with_capacity(REDACTED_PREFIX.len() + 64);
    hex.push_str(REDACTED_PREFIX);
    for b in digest {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_head_and_tail() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("tel 13800138000."), "tel 138****8000.");
        assert_eq!(mask_phone("+852 61234567"), "+852 61****67");
        assert_eq!(mask_phone("step 123456"), "step 123456");
        assert_eq!(mask_phone("1234567"), "12***67");
    }

    #[test]
    fn keys_keep_four_and_four() {
        assert_eq!(mask_key("tiihtNczf5v6AKRyjwEUhQ=="), "tiih…hQ==");
        assert_eq!(mask_key("short"), "…");
        assert_eq!(hide("ab c"), "•• •");
    }

    #[test]
    fn json_masks_phones_and_keys_only() {
        let t = mask_json_text(
            r#"{"phoneNumber":"13800138000","sessionKey":"tiihtNczf5v6AKRyjwEUhQ==","watermark":{"timestamp":1700000000}}"#,
        );
        assert_eq!(
            t,
            r#"{"phoneNumber":"138****8000","sessionKey":"tiih…hQ==","watermark":{"timestamp":1700000000}}"#
        );
    }

    #[test]
    fn parser_messages_lose_quoted_values() {
        let e = serde_json::from_str::<Vec<u32>>(r#"["tiihtNczf5v6AKRyjwEUhQ=="]"#).unwrap_err();
        let m = scrub_quoted(&e.to_string());
        assert!(!m.contains("tiih"), "{m}");
        assert!(
            m.starts_with(r#"invalid type: string "…", expected u32"#),
            "{m}"
        );
        assert_eq!(scrub_quoted(r#"a "b\"c" d `e`"#), r#"a "…" d `e`"#);
        assert_eq!(scrub_quoted(r#"open "quote"#), r#"open "…"#);
    }

    #[test]
    fn urls_lose_their_secrets() {
        assert_eq!(
            redact_url("https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=S&js_code=C"),
            "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=***&js_code=***"
        );
        // Issue 11, item 16: a percent-encoded name is still the key's name.
        assert_eq!(
            redact_url("https://x/decode?session%5Fkey=MTIz&Session-Key=NDU2&iv=abc"),
            "https://x/decode?session%5Fkey=***&Session-Key=***&iv=abc"
        );
    }

    #[test]
    fn redaction_is_the_sha256_hex() {
        // Computed independently: `printf %s 13800000000 | sha256sum`.
        assert_eq!(
            redacted("13800000000"),
            "redacted:sha256:359ea74a80a57accd42a7311ed96eca04f3e631d0ab34ea76808c543240d8a68"
        );
    }
}
