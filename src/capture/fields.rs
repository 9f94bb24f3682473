//! Loose field helpers shared by the readers: client identity names, `name=value` pairs in query
//! strings, form bodies and free text, what a JSON document carries (keys, openids, client ids,
//! appid, time), the Referer appid and the timestamp at the start of a log line.

use serde_json::Value;

use crate::extract::{self, field_for_key, percent_decode};
use crate::finding::Field;

/// Client identity names (field or header) and the prefix they get.
pub(super) fn client_kind(key: &str) -> Option<&'static str> {
    match extract::fold_key(key).as_str() {
        "openid" => Some("openid"),
        "unionid" => Some("unionid"),
        "uid" | "userid" | "memberid" => Some("uid"),
        "token" | "accesstoken" | "xtoken" | "authtoken" | "logintoken" | "sessionid" | "sid"
        | "thirdsession" | "3rdsession" => Some("token"),
        _ => None,
    }
}

/// Adds the client id `kind:value` once (blank and huge values are skipped).
pub(super) fn push_client(out: &mut Vec<String>, kind: &str, value: &str) {
    let v = value.trim();
    if v.is_empty() || v.len() > 4096 {
        return;
    }
    let id = format!("{kind}:{v}");
    if !out.contains(&id) {
        out.push(id);
    }
}

/// Keys, openids and client ids found in one JSON document.
#[derive(Default)]
pub(super) struct JsonFinds {
    /// (session_key, openid of the same object)
    pub keys: Vec<(String, Option<String>)>,
    pub openid: Option<String>,
    pub appid: Option<String>,
    pub clients: Vec<String>,
    pub time: Option<String>,
}

fn walk_json(v: &Value, out: &mut JsonFinds, depth: usize, budget: &mut usize) {
    if depth > 32 || *budget == 0 {
        return;
    }
    *budget -= 1;
    match v {
        Value::Object(map) => {
            let mut key_here = None;
            let mut openid_here = None;
            for (k, val) in map {
                if k == "watermark" {
                    continue;
                }
                match val {
                    Value::String(s) => {
                        if field_for_key(k) == Some(Field::SessionKey) && !s.trim().is_empty() {
                            key_here = Some(s.clone());
                        } else if field_for_key(k) == Some(Field::Appid) && out.appid.is_none() {
                            out.appid = Some(s.clone());
                        } else if let Some(kind) = client_kind(k) {
                            if kind == "openid" {
                                openid_here = Some(s.clone());
                            }
                            push_client(&mut out.clients, kind, s);
                        } else if out.time.is_none()
                            && matches!(
                                k.as_str(),
                                "time" | "timestamp" | "@timestamp" | "ts" | "startedDateTime"
                            )
                        {
                            out.time = Some(s.clone());
                        } else if s.trim_start().starts_with('{')
                            && let Ok(inner) = serde_json::from_str::<Value>(s)
                        {
                            walk_json(&inner, out, depth + 1, budget);
                        }
                    }
                    Value::Number(n) => {
                        if let Some(kind) = client_kind(k) {
                            push_client(&mut out.clients, kind, &n.to_string());
                        }
                    }
                    Value::Object(_) | Value::Array(_) => walk_json(val, out, depth + 1, budget),
                    _ => {}
                }
            }
            if let Some(o) = &openid_here
                && out.openid.is_none()
            {
                out.openid = Some(o.clone());
            }
            if let Some(k) = key_here {
                out.keys.push((k, openid_here));
            }
        }
        Value::Array(items) => {
            for it in items {
                walk_json(it, out, depth + 1, budget);
            }
        }
        _ => {}
    }
}

/// What a JSON document carries (bounded in depth and in the number of values visited).
pub(super) fn json_finds(v: &Value) -> JsonFinds {
    let mut out = JsonFinds::default();
    let mut budget = 20_000;
    walk_json(v, &mut out, 0, &mut budget);
    out
}

/// `key=value` pairs of a query string or form body: `%XX` decoded, a '+' kept as it is.
pub(super) fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split(['&', ';'])
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (percent_decode(k.trim()), percent_decode(v.trim())))
        .collect()
}

/// `key=value` pairs split on '&' as they travelled (nothing decoded).
pub(super) fn raw_pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
}

/// Values of the given kinds of names in free text: `name=value`, `name: value`, `"name":"value"`.
pub(super) fn loose_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(&c) = b.get(i) else { break };
        let prev_word = i > 0 && b.get(i - 1).is_some_and(|p| is_word(*p));
        if !c.is_ascii_alphabetic() || prev_word {
            i += 1;
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(|c| is_word(*c)) {
            i += 1;
        }
        let key = &text[start..i];
        if client_kind(key).is_none() && field_for_key(key).is_none() {
            continue;
        }
        let mut j = i;
        while b
            .get(j)
            .is_some_and(|c| matches!(c, b'"' | b'\'' | b' ' | b'\t'))
        {
            j += 1;
        }
        if !b.get(j).is_some_and(|c| matches!(c, b':' | b'=')) {
            continue;
        }
        j += 1;
        while b.get(j).is_some_and(|c| matches!(c, b' ' | b'\t')) {
            j += 1;
        }
        let (vs, ve) = loose_value(b, j);
        if let Some(v) = text.get(vs..ve)
            && !v.is_empty()
        {
            out.push((key.to_string(), v.to_string()));
        }
        i = ve.max(j);
    }
    out
}

/// Where the value starting at `j` begins and ends: inside quotes, or up to a delimiter.
fn loose_value(b: &[u8], j: usize) -> (usize, usize) {
    match b.get(j) {
        Some(q @ (b'"' | b'\'')) => {
            let vs = j + 1;
            let mut k = vs;
            while k < b.len() && b.get(k) != Some(q) {
                k += if b.get(k) == Some(&b'\\') { 2 } else { 1 };
            }
            (vs, k.min(b.len()))
        }
        _ => {
            let mut k = j;
            while b.get(k).is_some_and(|c| {
                !matches!(
                    c,
                    b' ' | b'\t' | b'\n' | b'\r' | b',' | b'&' | b';' | b'}' | b')'
                )
            }) {
                k += 1;
            }
            (j, k)
        }
    }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The appid in a `Referer: https://servicewechat.com/<appid>/<version>/page-frame.html`.
pub fn appid_from_referer(referer: &str) -> Option<String> {
    let rest = referer.split("servicewechat.com/").nth(1)?;
    let appid = rest.split('/').next()?;
    (appid.starts_with("wx")
        && appid.len() >= 10
        && appid.chars().all(|c| c.is_ascii_alphanumeric()))
    .then(|| appid.to_string())
}

/// A timestamp at the start of a log line: `2024-01-02 03:04:05.678`, `2024-01-02T03:04:05Z`, ….
pub(super) fn leading_time(line: &str) -> Option<String> {
    let t = line.trim_start_matches(['[', ' ']);
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return None;
    }
    let mut end = 10;
    if matches!(b.get(10), Some(b' ' | b'T')) && digits(11..13) && b.get(13) == Some(&b':') {
        end = 11;
        while b
            .get(end)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b',' | b'Z' | b'+'))
        {
            end += 1;
        }
    }
    t.get(..end).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referer_and_redaction() {
        assert_eq!(
            appid_from_referer("https://servicewechat.com/wx0123456789abcdef/3/page-frame.html")
                .as_deref(),
            Some("wx0123456789abcdef")
        );
        assert_eq!(
            leading_time("2024-01-02 03:04:05.678 INFO x").as_deref(),
            Some("2024-01-02 03:04:05.678")
        );
    }

    #[test]
    fn loose_pairs_in_free_text() {
        let p = loose_pairs(r#"x openid="o1", iv: abc&session_key='k\'y' sid=9)"#);
        assert_eq!(
            p,
            [
                ("openid".to_string(), "o1".to_string()),
                ("iv".to_string(), "abc".to_string()),
                ("session_key".to_string(), "k\\'y".to_string()),
                ("sid".to_string(), "9".to_string()),
            ]
        );
        // A name inside a longer word is not a name.
        assert!(loose_pairs("myiv=abc").is_empty());
    }

    #[test]
    fn form_pairs_decode_and_keep_plus() {
        assert_eq!(
            form_pairs("iv=a%2Bb&encryptedData=c+d; x=1"),
            [
                ("iv".to_string(), "a+b".to_string()),
                ("encryptedData".to_string(), "c+d".to_string()),
                ("x".to_string(), "1".to_string()),
            ]
        );
    }

    #[test]
    fn json_finds_keys_with_their_openid() {
        let v = serde_json::json!({
            "data": {"session_key": "K", "openid": "O", "uid": 7},
            "appid": "wxA",
            "ts": "T",
        });
        let f = json_finds(&v);
        assert_eq!(f.keys, [("K".to_string(), Some("O".to_string()))]);
        assert_eq!(f.openid.as_deref(), Some("O"));
        assert_eq!(f.appid.as_deref(), Some("wxA"));
        assert_eq!(f.time.as_deref(), Some("T"));
        assert!(f.clients.contains(&"openid:O".to_string()));
        assert!(f.clients.contains(&"uid:7".to_string()));
    }
}
