//! Interpret decrypted text: JSON, payload kind, watermark and content checks.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::finding::{Code, Field, Finding, Span};
use crate::i18n::Lang;

/// What a payload carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    PhoneNumber,
    UserInfo,
    Werun,
    ShareInfo,
    GroupInfo,
    Text,
    Unknown,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::PhoneNumber,
        Kind::UserInfo,
        Kind::Werun,
        Kind::ShareInfo,
        Kind::GroupInfo,
        Kind::Text,
        Kind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PhoneNumber => "phone_number",
            Kind::UserInfo => "user_info",
            Kind::Werun => "werun",
            Kind::ShareInfo => "share_info",
            Kind::GroupInfo => "group_info",
            Kind::Text => "text",
            Kind::Unknown => "unknown",
        }
    }

    /// Catalogue key of the kind's display name.
    pub fn label_key(self) -> String {
        format!("kind.{}", self.as_str())
    }

    /// Recognises a payload by the fields WeChat puts in it.
    pub fn of(obj: &serde_json::Map<String, Value>) -> Kind {
        let has = |k: &str| obj.contains_key(k);
        if has("phoneNumber") || has("purePhoneNumber") {
            Kind::PhoneNumber
        } else if has("stepInfoList") {
            Kind::Werun
        } else if has("openGId") || has("msgTicket") {
            Kind::ShareInfo
        } else if has("opengid") || has("open_single_roomid") || has("group_openid") {
            Kind::GroupInfo
        } else if has("nickName") || has("openId") || has("avatarUrl") || has("unionId") {
            Kind::UserInfo
        } else {
            Kind::Unknown
        }
    }
}

/// The watermark as found, with its time and the appid it was checked against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Watermark {
    pub appid: Option<String>,
    pub timestamp: Option<i64>,
    /// The timestamp as an RFC 3339 UTC date-time.
    pub time: Option<String>,
    /// Seconds between the timestamp and the inspection time (negative: in the future).
    pub age_seconds: Option<i64>,
    /// The appid the user gave, if any.
    pub expected_appid: Option<String>,
}

/// Leeway before a timestamp counts as "in the future" (clock skew between servers).
pub const FUTURE_LEEWAY_SECS: i64 = 300;

/// Formats a Unix time as RFC 3339 UTC.
pub fn rfc3339_utc(ts: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A watermark age in words ("3 days ago"), or how far in the future it is.
pub fn age_text(lang: Lang, age_seconds: i64) -> String {
    let n = |v: i64| v.to_string();
    match age_seconds {
        s if s < 0 => lang.fmt("age.future", &[("n", &n(-s))]),
        s if s < 120 => lang.fmt("age.seconds", &[("n", &n(s))]),
        s if s < 2 * 3600 => lang.fmt("age.minutes", &[("n", &n(s / 60))]),
        s if s < 2 * 86400 => lang.fmt("age.hours", &[("n", &n(s / 3600))]),
        s => lang.fmt("age.days", &[("n", &n(s / 86400))]),
    }
}

/// Byte span of the value of `"key":` in JSON text (first occurrence), for pointing findings.
pub fn value_span(text: &str, key: &str) -> Option<Span> {
    let needle = format!("\"{key}\"");
    let at = text.find(&needle)? + needle.len();
    let rest = &text[at..];
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    let lead = after.len() - after.trim_start().len();
    let start = at + colon + 1 + lead;
    let v = &text[start..];
    let len = if let Some(body) = v.strip_prefix('"') {
        // String value: up to the closing unescaped quote.
        let mut esc = false;
        let mut end = None;
        for (i, c) in body.char_indices() {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                end = Some(i + 2);
                break;
            }
        }
        end?
    } else {
        v.find([',', '}', ']']).unwrap_or(v.len())
    };
    Some([start, start + len])
}

/// Everything learned from the decrypted text.
pub struct Interpretation {
    pub kind: Kind,
    pub data: Option<Value>,
    pub watermark: Option<Watermark>,
}

/// Parses and checks decrypted text, pushing findings.
pub fn interpret(
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Interpretation {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            findings.push(Finding::new(
                lang,
                Code::PlaintextNotJson,
                Field::Plaintext,
                Some([0, text.len()]),
                &[],
            ));
            return Interpretation {
                kind: Kind::Text,
                data: None,
                watermark: None,
            };
        }
    };
    let Value::Object(obj) = &value else {
        findings.push(Finding::new(
            lang,
            Code::PlaintextNotJson,
            Field::Plaintext,
            Some([0, text.len()]),
            &[],
        ));
        return Interpretation {
            kind: Kind::Text,
            data: None,
            watermark: None,
        };
    };
    let kind = Kind::of(obj);
    let watermark = check_watermark(obj, text, appid, now, lang, findings);
    match kind {
        Kind::PhoneNumber => check_phone(obj, text, lang, findings),
        Kind::UserInfo => check_user(obj, text, lang, findings),
        _ => {}
    }
    Interpretation {
        kind,
        data: Some(value),
        watermark,
    }
}

fn check_watermark(
    obj: &serde_json::Map<String, Value>,
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Option<Watermark> {
    let expected = (!appid.is_empty()).then(|| appid.to_string());
    let Some(Value::Object(wm)) = obj.get("watermark") else {
        findings.push(Finding::new(
            lang,
            Code::WatermarkMissing,
            Field::Watermark,
            None,
            &[],
        ));
        return None;
    };
    let found = wm.get("appid").and_then(Value::as_str).map(str::to_string);
    let timestamp = wm.get("timestamp").and_then(|t| {
        t.as_i64()
            .or_else(|| t.as_f64().map(|f| f as i64))
            .or_else(|| t.as_str().and_then(|s| s.trim().parse().ok()))
    });
    match (&expected, &found) {
        (None, _) => findings.push(Finding::new(
            lang,
            Code::WatermarkAppidUnchecked,
            Field::Watermark,
            value_span(text, "appid"),
            &[("found", found.as_deref().unwrap_or("-"))],
        )),
        (Some(exp), found) if found.as_deref() != Some(exp.as_str()) => {
            findings.push(Finding::new(
                lang,
                Code::WatermarkAppidMismatch,
                Field::Watermark,
                value_span(text, "appid"),
                &[
                    ("expected", exp),
                    ("found", found.as_deref().unwrap_or("-")),
                ],
            ))
        }
        _ => {}
    }
    if let Some(ts) = timestamp
        && ts > now + FUTURE_LEEWAY_SECS
    {
        let time = rfc3339_utc(ts).unwrap_or_else(|| ts.to_string());
        let ahead = (ts - now).to_string();
        findings.push(Finding::new(
            lang,
            Code::WatermarkTimestampFuture,
            Field::Watermark,
            value_span(text, "timestamp"),
            &[("time", &time), ("seconds", &ahead)],
        ));
    }
    Some(Watermark {
        appid: found,
        timestamp,
        time: timestamp.and_then(rfc3339_utc),
        age_seconds: timestamp.map(|t| now.saturating_sub(t)),
        expected_appid: expected,
    })
}

fn str_field<'a>(obj: &'a serde_json::Map<String, Value>, k: &str) -> Option<&'a str> {
    obj.get(k).and_then(Value::as_str)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn check_phone(
    obj: &serde_json::Map<String, Value>,
    text: &str,
    lang: Lang,
    findings: &mut Vec<Finding>,
) {
    let phone = str_field(obj, "phoneNumber").unwrap_or("");
    let pure = str_field(obj, "purePhoneNumber").unwrap_or("");
    let cc = str_field(obj, "countryCode").unwrap_or("");
    let only_phone_chars = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'))
    };
    let pd = digits(phone);
    let consistent = !pure.is_empty()
        && pure.chars().all(|c| c.is_ascii_digit())
        && cc.chars().all(|c| c.is_ascii_digit())
        && only_phone_chars(phone)
        && (pd == pure || pd == format!("{cc}{pure}"));
    if !consistent {
        findings.push(Finding::new(
            lang,
            Code::PhoneInconsistent,
            Field::Plaintext,
            value_span(text, "phoneNumber").or_else(|| value_span(text, "purePhoneNumber")),
            &[("phone", phone), ("pure", pure), ("country", cc)],
        ));
    }
}

/// The nickname WeChat returns for every user since the 2021 profile change.
pub const ANONYMOUS_NICKNAME: &str = "微信用户";

fn check_user(
    obj: &serde_json::Map<String, Value>,
    text: &str,
    lang: Lang,
    findings: &mut Vec<Finding>,
) {
    if str_field(obj, "nickName") == Some(ANONYMOUS_NICKNAME) {
        findings.push(Finding::new(
            lang,
            Code::UserAnonymized,
            Field::Plaintext,
            value_span(text, "nickName"),
            &[],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_span_finds_string_and_number() {
        let t = r#"{"a":"x\"y","b": 12}"#;
        assert_eq!(value_span(t, "a").map(|[s, e]| &t[s..e]), Some(r#""x\"y""#));
        assert_eq!(value_span(t, "b").map(|[s, e]| &t[s..e]), Some("12"));
        assert_eq!(value_span(t, "c"), None);
    }

    #[test]
    fn kinds() {
        let k = |s: &str| match serde_json::from_str::<Value>(s).unwrap() {
            Value::Object(o) => Kind::of(&o),
            _ => unreachable!(),
        };
        assert_eq!(k(r#"{"phoneNumber":"1"}"#), Kind::PhoneNumber);
        assert_eq!(k(r#"{"stepInfoList":[]}"#), Kind::Werun);
        assert_eq!(k(r#"{"openGId":"g"}"#), Kind::ShareInfo);
        assert_eq!(k(r#"{"opengid":"g"}"#), Kind::GroupInfo);
        assert_eq!(k(r#"{"nickName":"n"}"#), Kind::UserInfo);
        assert_eq!(k(r#"{"x":1}"#), Kind::Unknown);
    }
}
