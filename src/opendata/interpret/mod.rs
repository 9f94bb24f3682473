//! Interpret decrypted text: JSON, payload kind, watermark and content checks.
//!
//! The fields the checks read are taken by [`facts`] (a hand scanner for the flat text WeChat
//! sends, serde for the rest); [`time`] formats watermark times.

mod facts;
pub mod time;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::finding::{Code, Field, Finding, Span};
use crate::i18n::Lang;
use crate::platform::WatermarkRule;
use facts::{Facts, Loose, Peek, scan_peek};
pub use time::rfc3339_utc;

/// What a payload carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::PhoneNumber => "kind.phone_number",
            Kind::UserInfo => "kind.user_info",
            Kind::Werun => "kind.werun",
            Kind::ShareInfo => "kind.share_info",
            Kind::GroupInfo => "kind.group_info",
            Kind::Text => "kind.text",
            Kind::Unknown => "kind.unknown",
        }
    }

    /// Recognises a payload by the fields WeChat puts in it (null fields count as absent).
    pub fn of(obj: &serde_json::Map<String, Value>) -> Kind {
        kind_from(|k| obj.get(k).is_some_and(|v| !v.is_null()))
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

fn kind_from(has: impl Fn(&str) -> bool) -> Kind {
    if has("phoneNumber") || has("purePhoneNumber") || has("mobile") {
        Kind::PhoneNumber
    } else if has("stepInfoList") {
        Kind::Werun
    } else if has("openGId") || has("msgTicket") {
        Kind::ShareInfo
    } else if has("opengid") || has("open_single_roomid") || has("group_openid") {
        Kind::GroupInfo
    } else if has("nickName")
        || has("openId")
        || has("avatarUrl")
        || has("unionId")
        || has("headimgurl")
    {
        Kind::UserInfo
    } else {
        Kind::Unknown
    }
}

/// Everything learned from the decrypted text.
pub struct Interpretation {
    pub kind: Kind,
    /// The parsed object; `None` for text, or when the caller did not ask for it.
    pub data: Option<Value>,
    pub watermark: Option<Watermark>,
    /// Whether the text is a JSON object (so it can stand for `data` as it is).
    pub is_object: bool,
    /// How the watermark spells its appid when it uses one spelling only: `appid`, or
    /// Xiaohongshu's `appId` (telling the platform).
    pub watermark_spelling: Option<&'static str>,
}

/// Parses and checks decrypted text, pushing findings. `watermark` is the payload's platform's
/// (`None`: the platform puts no watermark in, so none is expected).
/// `want_value` asks for the parsed `data` (the GUI and the JSON report need it; the batch writes
/// the text itself).
pub fn interpret(
    text: &str,
    appid: &str,
    watermark: Option<WatermarkRule>,
    now: i64,
    lang: Lang,
    want_value: bool,
    findings: &mut Vec<Finding>,
) -> Interpretation {
    // The hand scanner takes flat objects only, and whatever it takes serde reads as an object
    // too, so the text itself can stand for `data` (the batch path). Anything else takes serde's
    // way, and only a JSON object counts: serde would read an array as a struct's fields.
    let scanned = scan_peek(text);
    let from_scan = scanned.is_some();
    let peek = scanned.or_else(|| {
        text.trim_start()
            .starts_with('{')
            .then(|| serde_json::from_str::<Peek>(text).ok())
            .flatten()
    });
    let value = if want_value || !from_scan {
        serde_json::from_str::<Value>(text).ok()
    } else {
        None
    };
    let is_object = from_scan || matches!(value, Some(Value::Object(_)));
    let mut facts = match (peek, &value) {
        (Some(p), _) => Facts::from_peek(p),
        (None, Some(Value::Object(obj))) => Facts::from_map(obj),
        _ => {
            findings.push(not_json(text, lang));
            return Interpretation {
                kind: Kind::Text,
                data: None,
                watermark: None,
                is_object: false,
                watermark_spelling: None,
            };
        }
    };
    let watermark_spelling = facts.watermark.as_ref().and_then(|w| w.spelling());
    let watermark = match watermark {
        Some(rule) => check_watermark(
            facts.watermark.take(),
            rule,
            text,
            appid,
            now,
            lang,
            findings,
        ),
        None => None,
    };
    match facts.kind {
        // Alipay's answer holds `mobile` alone: nothing to keep consistent.
        Kind::PhoneNumber if facts.phone.is_some() || facts.pure.is_some() => {
            check_phone(&facts, text, lang, findings)
        }
        Kind::UserInfo => check_user(&facts, text, lang, findings),
        _ => {}
    }
    Interpretation {
        kind: facts.kind,
        data: if want_value { value } else { None },
        watermark,
        is_object,
        watermark_spelling,
    }
}

/// The finding for text that is not a JSON object: text that starts like JSON but is not JSON is
/// an error pointed at the byte where it stops being JSON (a raw control character, most often);
/// a bare string or a JSON value other than an object is noted as a whole.
fn not_json(text: &str, lang: Lang) -> Finding {
    let t = text.trim_start();
    let looks_json = t.starts_with('{') || t.starts_with('[');
    let at = looks_json
        .then(
            || match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                // Valid JSON, just not an object (an array, a number).
                Ok(_) => None,
                Err(e) => Some(
                    text.bytes()
                        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                        .unwrap_or_else(|| byte_offset(text, e.line(), e.column())),
                ),
            },
        )
        .flatten();
    match at {
        Some(at) => {
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let shown = text[at..end].escape_debug().to_string();
            Finding::new(
                lang,
                Code::PlaintextInvalidJson,
                Field::Plaintext,
                Some([at, end]),
                &[("offset", &at.to_string()), ("char", &shown)],
            )
        }
        None => Finding::new(
            lang,
            Code::PlaintextNotJson,
            Field::Plaintext,
            Some([0, text.len()]),
            &[],
        ),
    }
}

/// The byte offset of serde_json's (1-based line, column counted in bytes), clamped to a char
/// boundary inside `text`.
/// The byte offset of a serde_json error position (1-based line and column).
pub(crate) fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len().saturating_sub(1));
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn check_watermark(
    watermark: Option<facts::WatermarkFacts>,
    rule: WatermarkRule,
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Option<Watermark> {
    let expected = (!appid.is_empty()).then(|| appid.to_string());
    let key = rule.key;
    let Some(wm) = watermark else {
        if rule.required {
            findings.push(Finding::new(
                lang,
                Code::WatermarkMissing,
                Field::Watermark,
                None,
                &[],
            ));
        }
        return None;
    };
    let found = wm.appid_under(key).cloned();
    let timestamp = wm.timestamp;
    match (&expected, &found) {
        (None, _) => findings.push(Finding::new(
            lang,
            Code::WatermarkAppidUnchecked,
            Field::Watermark,
            value_span(text, key),
            &[("found", found.as_deref().unwrap_or("-"))],
        )),
        (Some(exp), found) if found.as_deref() != Some(exp.as_str()) => {
            findings.push(Finding::new(
                lang,
                Code::WatermarkAppidMismatch,
                Field::Watermark,
                value_span(text, key),
                &[
                    ("expected", exp),
                    ("found", found.as_deref().unwrap_or("-")),
                ],
            ))
        }
        _ => {}
    }
    if let Some(ts) = timestamp
        && ts > now.saturating_add(FUTURE_LEEWAY_SECS)
    {
        let time = rfc3339_utc(ts).unwrap_or_else(|| ts.to_string());
        let ahead = ts.saturating_sub(now).to_string();
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

fn check_phone(facts: &Facts, text: &str, lang: Lang, findings: &mut Vec<Finding>) {
    fn s<'b>(o: &'b Option<Loose<'_>>) -> &'b str {
        o.as_ref().and_then(Loose::as_str).unwrap_or("")
    }
    let (phone, pure, cc) = (s(&facts.phone), s(&facts.pure), s(&facts.country));
    let only_phone_chars = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'+' | b' ' | b'-'))
    };
    // The digits of `phone`, compared without collecting them.
    let pd = || phone.bytes().filter(u8::is_ascii_digit);
    let consistent = !pure.is_empty()
        && pure.bytes().all(|c| c.is_ascii_digit())
        && cc.bytes().all(|c| c.is_ascii_digit())
        && only_phone_chars(phone)
        && (pd().eq(pure.bytes())
            || (pd().count() == cc.len() + pure.len()
                && pd().take(cc.len()).eq(cc.bytes())
                && pd().skip(cc.len()).eq(pure.bytes())));
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

fn check_user(facts: &Facts, text: &str, lang: Lang, findings: &mut Vec<Finding>) {
    if facts.nick.as_ref().and_then(Loose::as_str) == Some(ANONYMOUS_NICKNAME) {
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
