//! Interpret decrypted text: JSON, payload kind, watermark and content checks.

use std::borrow::Cow;

use serde::de::IgnoredAny;
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
    /// The parsed object; `None` for text, or when the caller did not ask for it.
    pub data: Option<Value>,
    pub watermark: Option<Watermark>,
    /// Whether the text is a JSON object (so it can stand for `data` as it is).
    pub is_object: bool,
}

/// A JSON value read leniently: strings and numbers kept, anything else skipped.
enum Loose<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Other,
}

impl<'a> Loose<'a> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Loose::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_timestamp(&self) -> Option<i64> {
        match self {
            Loose::Int(i) => Some(*i),
            Loose::Float(f) => Some(*f as i64),
            Loose::Str(s) => s.trim().parse().ok(),
            Loose::Other => None,
        }
    }

    fn from_value(v: &'a Value) -> Loose<'a> {
        match v {
            Value::String(s) => Loose::Str(Cow::Borrowed(s)),
            Value::Number(n) => n
                .as_i64()
                .map(Loose::Int)
                .or_else(|| n.as_f64().map(Loose::Float))
                .unwrap_or(Loose::Other),
            _ => Loose::Other,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Loose<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Loose<'a>, E> {
                Ok(Loose::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose<'a>, E> {
                Ok(Loose::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose<'a>, E> {
                Ok(Loose::Str(Cow::Owned(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose<'a>, E> {
                Ok(Loose::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose<'a>, E> {
                Ok(i64::try_from(v).map_or(Loose::Other, Loose::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose<'a>, E> {
                Ok(Loose::Float(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Loose<'a>, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E>(self) -> Result<Loose<'a>, E> {
                Ok(Loose::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Loose<'a>, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> Result<Loose<'a>, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The watermark as peeked.
#[derive(Deserialize)]
struct PeekWatermark<'a> {
    #[serde(borrow, default)]
    appid: Option<Loose<'a>>,
    #[serde(borrow, default)]
    timestamp: Option<Loose<'a>>,
}

/// The fields the checks read, deserialized without building a `Value` (the batch hot path).
/// Serde rejects duplicate keys here; such text falls back to a full parse.
#[derive(Deserialize)]
struct Peek<'a> {
    #[serde(borrow, default, rename = "phoneNumber")]
    phone_number: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "purePhoneNumber")]
    pure_phone_number: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "countryCode")]
    country_code: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "nickName")]
    nick_name: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "stepInfoList")]
    step_info_list: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "openGId")]
    open_gid: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "msgTicket")]
    msg_ticket: Option<Loose<'a>>,
    #[serde(borrow, default)]
    opengid: Option<Loose<'a>>,
    #[serde(borrow, default)]
    open_single_roomid: Option<Loose<'a>>,
    #[serde(borrow, default)]
    group_openid: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "openId")]
    open_id: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "avatarUrl")]
    avatar_url: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "unionId")]
    union_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    watermark: Option<PeekWatermark<'a>>,
}

/// What the checks need from a payload object.
struct Facts<'a> {
    phone: Option<Loose<'a>>,
    pure: Option<Loose<'a>>,
    country: Option<Loose<'a>>,
    nick: Option<Loose<'a>>,
    kind: Kind,
    /// `None`: no watermark object; `Some((appid, timestamp))` otherwise.
    watermark: Option<(Option<String>, Option<i64>)>,
}

fn kind_from(has: impl Fn(&str) -> bool) -> Kind {
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

impl<'a> Facts<'a> {
    fn from_map(obj: &'a serde_json::Map<String, Value>) -> Facts<'a> {
        let get = |k: &str| obj.get(k).filter(|v| !v.is_null()).map(Loose::from_value);
        let watermark = match obj.get("watermark") {
            Some(Value::Object(wm)) => Some((
                wm.get("appid").and_then(Value::as_str).map(str::to_string),
                wm.get("timestamp")
                    .and_then(|t| Loose::from_value(t).as_timestamp()),
            )),
            _ => None,
        };
        Facts {
            phone: get("phoneNumber"),
            pure: get("purePhoneNumber"),
            country: get("countryCode"),
            nick: get("nickName"),
            kind: Kind::of(obj),
            watermark,
        }
    }
}

impl<'a> Facts<'a> {
    fn from_peek(p: Peek<'a>) -> Facts<'a> {
        let present = |o: &Option<Loose<'a>>| o.is_some();
        let flags = [
            ("phoneNumber", present(&p.phone_number)),
            ("purePhoneNumber", present(&p.pure_phone_number)),
            ("stepInfoList", present(&p.step_info_list)),
            ("openGId", present(&p.open_gid)),
            ("msgTicket", present(&p.msg_ticket)),
            ("opengid", present(&p.opengid)),
            ("open_single_roomid", present(&p.open_single_roomid)),
            ("group_openid", present(&p.group_openid)),
            ("nickName", present(&p.nick_name)),
            ("openId", present(&p.open_id)),
            ("avatarUrl", present(&p.avatar_url)),
            ("unionId", present(&p.union_id)),
        ];
        let kind = kind_from(|k| flags.iter().any(|(n, on)| *on && *n == k));
        // A watermark that is not an object fails the peek; the full parse then reports it.
        let watermark = p.watermark.map(|w| {
            (
                w.appid.as_ref().and_then(Loose::as_str).map(str::to_string),
                w.timestamp.as_ref().and_then(Loose::as_timestamp),
            )
        });
        Facts {
            phone: p.phone_number,
            pure: p.pure_phone_number,
            country: p.country_code,
            nick: p.nick_name,
            kind,
            watermark,
        }
    }
}

/// Parses and checks decrypted text, pushing findings. `want_value` asks for the parsed `data`
/// (the GUI and the JSON report need it; the batch writes the text itself).
pub fn interpret(
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    want_value: bool,
    findings: &mut Vec<Finding>,
) -> Interpretation {
    let peek = serde_json::from_str::<Peek>(text).ok();
    let value = if want_value || peek.is_none() {
        serde_json::from_str::<Value>(text).ok()
    } else {
        None
    };
    let facts = match (peek, &value) {
        (Some(p), _) => Facts::from_peek(p),
        (None, Some(Value::Object(obj))) => Facts::from_map(obj),
        _ => {
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
                is_object: false,
            };
        }
    };
    let watermark = check_watermark(&facts, text, appid, now, lang, findings);
    match facts.kind {
        Kind::PhoneNumber => check_phone(&facts, text, lang, findings),
        Kind::UserInfo => check_user(&facts, text, lang, findings),
        _ => {}
    }
    Interpretation {
        kind: facts.kind,
        data: if want_value { value } else { None },
        watermark,
        is_object: true,
    }
}

fn check_watermark(
    facts: &Facts,
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Option<Watermark> {
    let expected = (!appid.is_empty()).then(|| appid.to_string());
    let Some((found, timestamp)) = facts.watermark.clone() else {
        findings.push(Finding::new(
            lang,
            Code::WatermarkMissing,
            Field::Watermark,
            None,
            &[],
        ));
        return None;
    };
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
    let s = |o: &Option<Loose>| o.as_ref().and_then(Loose::as_str).unwrap_or("").to_string();
    let (phone, pure, cc) = (s(&facts.phone), s(&facts.pure), s(&facts.country));
    let only_phone_chars = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'))
    };
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let pd = digits(&phone);
    let consistent = !pure.is_empty()
        && pure.chars().all(|c| c.is_ascii_digit())
        && cc.chars().all(|c| c.is_ascii_digit())
        && only_phone_chars(&phone)
        && (pd == pure
            || (pd.len() == cc.len() + pure.len() && pd.starts_with(&cc) && pd.ends_with(&pure)));
    if !consistent {
        findings.push(Finding::new(
            lang,
            Code::PhoneInconsistent,
            Field::Plaintext,
            value_span(text, "phoneNumber").or_else(|| value_span(text, "purePhoneNumber")),
            &[("phone", &phone), ("pure", &pure), ("country", &cc)],
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
