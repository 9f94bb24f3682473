//! Find the four fields in whatever the user has: a JSON body, an `e.detail` object, a case file, a
//! query string or form body, or a log line.

use serde_json::Value;

use crate::finding::Field;
use crate::opendata::Input;
use crate::platform::Platform;

/// Fields found in a text, and where (the key spelling that matched).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub input: Input,
    /// The platform the text names (`"platform": "baidu"`) or shows (Alipay's answer).
    pub platform: Option<Platform>,
    /// The input fields that were found, with the key name as it was spelled.
    pub found: Vec<(Field, String)>,
}

impl Extracted {
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    pub fn has(&self, f: Field) -> bool {
        self.found.iter().any(|(g, _)| *g == f)
    }

    fn set(&mut self, field: Field, key: &str, value: String) {
        if self.has(field) {
            return;
        }
        if let Some(slot) = self.input.get_mut(field) {
            *slot = value;
            self.found.push((field, key.to_string()));
        }
    }
}

/// A key name folded for matching spellings: lowercase, without `_` and `-`.
pub fn fold_key(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which input field a key name means (any common spelling, any case, with or without `_`).
pub fn field_for_key(key: &str) -> Option<Field> {
    match fold_key(key).as_str() {
        "encrypteddata" | "encryptdata" | "encdata" => Some(Field::EncryptedData),
        "iv" => Some(Field::Iv),
        "sessionkey" | "sessionkeybase64" => Some(Field::SessionKey),
        "appid" | "wxappid" | "miniappid" => Some(Field::Appid),
        _ => None,
    }
}

/// Extracts fields from any supported text. Empty when nothing is recognised.
pub fn extract(text: &str) -> Extracted {
    let trimmed = text.trim().trim_start_matches('\u{feff}');
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(v) = serde_json::from_str::<Value>(trimmed)
    {
        let e = extract_json(&v);
        if !e.is_empty() {
            return e;
        }
    }
    if looks_like_query(trimmed) {
        let e = extract_query(trimmed);
        if !e.is_empty() {
            return e;
        }
    }
    extract_loose(trimmed)
}

/// Fields from a JSON value, breadth first (so `input.appid` wins over `watermark.appid`).
pub fn extract_json(v: &Value) -> Extracted {
    let mut out = Extracted::default();
    let mut queue: std::collections::VecDeque<&Value> = std::collections::VecDeque::new();
    queue.push_back(v);
    let mut visited = 0;
    while let Some(v) = queue.pop_front() {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        match v {
            Value::Object(map) => {
                platform_of(map, &mut out);
                for (k, val) in map {
                    // The watermark's appid is the answer, not the question.
                    if k == "watermark" || k == "expect" {
                        continue;
                    }
                    match (field_for_key(k), val) {
                        (Some(f), Value::String(s)) => out.set(f, k, s.clone()),
                        (_, Value::Object(_) | Value::Array(_)) => queue.push_back(val),
                        // A nested JSON string (e.g. a `body` field holding JSON text).
                        (None, Value::String(s)) if s.trim_start().starts_with('{') => {
                            if let Ok(inner) = serde_json::from_str::<Value>(s) {
                                let e = extract_json(&inner);
                                for (f, key) in e.found {
                                    out.set(f, &key, e.input.get(f).to_string());
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Value::Array(items) => queue.extend(items.iter()),
            _ => {}
        }
    }
    out
}

/// What an object says of its platform: a `platform` member naming one; my.getPhoneNumber's
/// answer on Alipay (`response` + `sign`: the response is the data); swan.getUserInfo's `data` +
/// `iv` on Baidu (its name for encryptedData).
fn platform_of(map: &serde_json::Map<String, Value>, out: &mut Extracted) {
    let text = |k: &str| map.get(k).and_then(Value::as_str);
    if let Some(p) = text("platform").and_then(Platform::parse) {
        out.platform.get_or_insert(p);
    }
    if let (Some(response), Some(_)) = (text("response"), map.get("sign")) {
        out.platform.get_or_insert(Platform::Alipay);
        out.set(Field::EncryptedData, "response", response.to_string());
    }
    if let (Some(data), Some(_), None) = (text("data"), text("iv"), text("encryptedData")) {
        out.set(Field::EncryptedData, "data", data.to_string());
    }
}

fn looks_like_query(t: &str) -> bool {
    !t.contains(['{', '\n', '"']) && t.contains('=')
}

/// Encodes a value for a form body or query string as `encodeURIComponent` does: everything but
/// `A–Z a–z 0–9 - _ . ! ~ * ' ( )` becomes `%XX` (so base64's `+`, `/` and `=` survive the trip).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` sequences (a '+' stays a '+': turning it into a space is the damage we detect).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (
                (b[i + 1] as char).to_digit(16),
                (b[i + 2] as char).to_digit(16),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Fields from `a=1&b=2` (a URL, a query string or a form body).
pub fn extract_query(t: &str) -> Extracted {
    let mut out = Extracted::default();
    let query = t.split_once('?').map(|(_, q)| q).unwrap_or(t);
    for pair in query.split(['&', ';']) {
        if let Some((k, v)) = pair.split_once('=')
            && let Some(f) = field_for_key(k.trim())
        {
            out.set(f, k.trim(), percent_decode(v.trim()));
        }
    }
    out
}

/// Fields from free text: `key: value`, `key=value`, `"key": "value"`, in any order.
pub fn extract_loose(t: &str) -> Extracted {
    let mut out = Extracted::default();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // A key is a run of word characters.
        if !(chars[i].is_ascii_alphabetic()) || (i > 0 && is_word(chars[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word(chars[i]) {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        let Some(field) = field_for_key(&key) else {
            continue;
        };
        let mut j = i;
        // Optional closing quote of a quoted key, then spaces, then ':' or '='.
        while j < chars.len() && matches!(chars[j], '"' | '\'' | ' ' | '\t') {
            j += 1;
        }
        if j >= chars.len() || !matches!(chars[j], ':' | '=') {
            continue;
        }
        j += 1;
        while j < chars.len() && matches!(chars[j], ' ' | '\t') {
            j += 1;
        }
        let value: String = if j < chars.len() && matches!(chars[j], '"' | '\'') {
            let q = chars[j];
            let vs = j + 1;
            let mut k = vs;
            while k < chars.len() && chars[k] != q {
                k += if chars[k] == '\\' { 2 } else { 1 };
            }
            chars[vs..k.min(chars.len())].iter().collect()
        } else {
            let vs = j;
            let mut k = vs;
            while k < chars.len()
                && !matches!(
                    chars[k],
                    ' ' | '\t' | '\n' | '\r' | ',' | '&' | ';' | '}' | ')'
                )
            {
                k += 1;
            }
            chars[vs..k].iter().collect()
        };
        if !value.is_empty() {
            out.set(field, &key, value);
        }
        i = j;
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_detail_and_case() {
        let e = extract(r#"{"detail":{"iv":"I","encryptedData":"D"},"sessionKey":"K"}"#);
        assert_eq!(e.input, Input::new("", "K", "I", "D"));
        let e =
            extract(r#"{"input":{"appid":"wxA"},"expect":{"data":{"watermark":{"appid":"wxB"}}}}"#);
        assert_eq!(e.input.appid, "wxA");
    }

    #[test]
    fn query_keeps_plus_and_decodes_percent() {
        let e = extract("encryptedData=a+b%2Fc&iv=x%3D&session_key=k");
        assert_eq!(e.input.encrypted_data, "a+b/c");
        assert_eq!(e.input.iv, "x=");
        assert_eq!(e.input.session_key, "k");
    }

    #[test]
    fn log_line() {
        let e = extract(r#"2024-01-01 INFO decrypt appId=wx1 iv: "ab cd" encrypted_data='Zm9v'"#);
        assert_eq!(e.input.appid, "wx1");
        assert_eq!(e.input.iv, "ab cd");
        assert_eq!(e.input.encrypted_data, "Zm9v");
    }
}
