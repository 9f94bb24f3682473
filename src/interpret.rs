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
    // Years 1970 to 9999 by hand (the batch formats one per payload); chrono for the rest.
    if (0..253_402_300_800).contains(&ts) {
        let (days, secs) = (ts / 86_400, ts % 86_400);
        let (y, m, d) = civil_from_days(days);
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, v: i64, width: usize| {
            let mut v = v;
            for i in (at..at + width).rev() {
                b[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(5, m, 2);
        put(8, d, 2);
        put(11, secs / 3600, 2);
        put(14, secs / 60 % 60, 2);
        put(17, secs % 60, 2);
        return std::str::from_utf8(&b).ok().map(str::to_owned);
    }
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// (year, month, day) of a day count since 1970-01-01 (days ≥ 0; H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
#[derive(Deserialize, Default)]
struct PeekWatermark<'a> {
    #[serde(borrow, default)]
    appid: Option<Loose<'a>>,
    #[serde(borrow, default)]
    timestamp: Option<Loose<'a>>,
}

/// The fields the checks read, deserialized without building a `Value` (the batch hot path).
/// Serde rejects duplicate keys here; such text falls back to a full parse.
#[derive(Deserialize, Default)]
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

/// A scalar as [`Peek`] reads it; `None` for a nested value (left to serde).
fn loose(v: scan::Val<'_>) -> Option<Option<Loose<'_>>> {
    Some(match v {
        scan::Val::Str(s) => Some(Loose::Str(Cow::Borrowed(s))),
        scan::Val::Int(n) => Some(Loose::Int(n)),
        scan::Val::Null => None,
        scan::Val::Bool => Some(Loose::Other),
        scan::Val::Open => return None,
    })
}

/// [`Peek`] by hand for flat text (what WeChat sends), a few times cheaper than serde; `None`
/// for anything the scanner does not take or where serde would fail (duplicate keys).
fn scan_peek(text: &str) -> Option<Peek<'_>> {
    let mut s = scan::Scan::new(text);
    let mut p = Peek::default();
    let mut seen = 0u32;
    let mut once = |bit: u32| {
        let first = seen & (1 << bit) == 0;
        seen |= 1 << bit;
        first.then_some(())
    };
    if !s.eat(b'{') {
        return None;
    }
    if !s.eat(b'}') {
        loop {
            let key = s.key()?;
            let v = s.value()?;
            let slot = match key {
                "phoneNumber" => Some((0, &mut p.phone_number)),
                "purePhoneNumber" => Some((1, &mut p.pure_phone_number)),
                "countryCode" => Some((2, &mut p.country_code)),
                "nickName" => Some((3, &mut p.nick_name)),
                "stepInfoList" => Some((4, &mut p.step_info_list)),
                "openGId" => Some((5, &mut p.open_gid)),
                "msgTicket" => Some((6, &mut p.msg_ticket)),
                "opengid" => Some((7, &mut p.opengid)),
                "open_single_roomid" => Some((8, &mut p.open_single_roomid)),
                "group_openid" => Some((9, &mut p.group_openid)),
                "openId" => Some((10, &mut p.open_id)),
                "avatarUrl" => Some((11, &mut p.avatar_url)),
                "unionId" => Some((12, &mut p.union_id)),
                "watermark" => {
                    once(13)?;
                    match v {
                        scan::Val::Null => {}
                        scan::Val::Open => p.watermark = Some(scan_watermark(&mut s)?),
                        _ => return None,
                    }
                    None
                }
                _ => {
                    loose(v)?;
                    None
                }
            };
            if let Some((bit, slot)) = slot {
                once(bit)?;
                *slot = loose(v)?;
            }
            if !s.next()? {
                break;
            }
        }
    }
    s.at_end().then_some(p)
}

/// The members of a watermark object after its `{`.
fn scan_watermark<'a>(s: &mut scan::Scan<'a>) -> Option<PeekWatermark<'a>> {
    let mut w = PeekWatermark::default();
    let (mut appid, mut timestamp) = (false, false);
    if s.eat(b'}') {
        return Some(w);
    }
    loop {
        let key = s.key()?;
        let v = loose(s.value()?)?;
        match key {
            "appid" if !appid => (appid, w.appid) = (true, v),
            "timestamp" if !timestamp => (timestamp, w.timestamp) = (true, v),
            "appid" | "timestamp" => return None,
            _ => {}
        }
        if !s.next()? {
            return Some(w);
        }
    }
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
    let peek = scan_peek(text).or_else(|| serde_json::from_str::<Peek>(text).ok());
    let value = if want_value || peek.is_none() {
        serde_json::from_str::<Value>(text).ok()
    } else {
        None
    };
    let mut facts = match (peek, &value) {
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
    let watermark = check_watermark(facts.watermark.take(), text, appid, now, lang, findings);
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
    watermark: Option<(Option<String>, Option<i64>)>,
    text: &str,
    appid: &str,
    now: i64,
    lang: Lang,
    findings: &mut Vec<Finding>,
) -> Option<Watermark> {
    let expected = (!appid.is_empty()).then(|| appid.to_string());
    let Some((found, timestamp)) = watermark else {
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

/// A strict scanner for the common shape of JSON text: a flat object of unescaped strings, small
/// integers, literals and (one level of) nested objects. Anything else (escapes, floats, arrays,
/// deep nesting) makes it give up with `None`, and the caller takes the serde path, so whatever it
/// accepts, serde accepts and reads the same way.
pub(crate) mod scan {
    /// A scanned value.
    #[derive(Clone, Copy)]
    pub(crate) enum Val<'a> {
        /// A string's content (no escapes, no control characters, valid UTF-8).
        Str(&'a str),
        /// An integer of at most 18 digits.
        Int(i64),
        Null,
        Bool,
        /// `{` was read: the caller reads the nested object's members.
        Open,
    }

    pub(crate) struct Scan<'a> {
        text: &'a str,
        b: &'a [u8],
        pub(crate) i: usize,
    }

    /// Index of the first `"`, `\\` or control byte (< 0x20) in `b` from `i`, else `b.len()`:
    /// what ends a plain JSON string, eight bytes at a time.
    #[inline]
    pub(crate) fn special(b: &[u8], mut i: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(w) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            let x = u64::from_le_bytes(word);
            // Per mask, the lowest flagged byte is exact (borrows only run upwards), which is
            // all the first match needs.
            let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
            let hit = has_zero(x ^ (ONES * u64::from(b'"')))
                | has_zero(x ^ (ONES * u64::from(b'\\')))
                | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
            if hit != 0 {
                return i + (hit.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        b[i..]
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .map_or(b.len(), |p| i + p)
    }

    impl<'a> Scan<'a> {
        pub(crate) fn new(text: &'a str) -> Scan<'a> {
            Scan {
                text,
                b: text.as_bytes(),
                i: 0,
            }
        }

        pub(crate) fn ws(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
                self.i += 1;
            }
        }

        /// Skips whitespace, then consumes `c` if it is next.
        pub(crate) fn eat(&mut self, c: u8) -> bool {
            self.ws();
            if self.b.get(self.i) == Some(&c) {
                self.i += 1;
                true
            } else {
                false
            }
        }

        /// Whether only whitespace is left.
        pub(crate) fn at_end(&mut self) -> bool {
            self.ws();
            self.i == self.b.len()
        }

        /// A string after its opening quote.
        fn string_body(&mut self) -> Option<&'a str> {
            let start = self.i;
            let end = special(self.b, start);
            if self.b.get(end) != Some(&b'"') {
                return None;
            }
            self.i = end + 1;
            self.text.get(start..end)
        }

        /// An object key and its colon.
        pub(crate) fn key(&mut self) -> Option<&'a str> {
            if !self.eat(b'"') {
                return None;
            }
            let k = self.string_body()?;
            self.eat(b':').then_some(k)
        }

        pub(crate) fn value(&mut self) -> Option<Val<'a>> {
            self.ws();
            let c = *self.b.get(self.i)?;
            self.i += 1;
            let lit = |s: &mut Self, rest: &[u8], v: Val<'a>| {
                let end = s.i + rest.len();
                (s.b.get(s.i..end) == Some(rest)).then(|| {
                    s.i = end;
                    v
                })
            };
            match c {
                b'"' => self.string_body().map(Val::Str),
                b'{' => Some(Val::Open),
                b'n' => lit(self, b"ull", Val::Null),
                b't' => lit(self, b"rue", Val::Bool),
                b'f' => lit(self, b"alse", Val::Bool),
                b'-' | b'0'..=b'9' => {
                    let start = self.i - 1;
                    let neg = c == b'-';
                    let mut n: i64 = 0;
                    let mut digits = 0;
                    if !neg {
                        n = i64::from(c - b'0');
                        digits = 1;
                    }
                    while let Some(&d @ b'0'..=b'9') = self.b.get(self.i) {
                        n = n * 10 + i64::from(d - b'0');
                        digits += 1;
                        self.i += 1;
                        if digits > 18 {
                            return None;
                        }
                    }
                    let text = &self.b[start..self.i];
                    let lead = if neg { &text[1..] } else { text };
                    // Leading zeros are invalid JSON; fractions and exponents are left to serde.
                    if digits == 0
                        || (lead[0] == b'0' && digits > 1)
                        || matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'))
                    {
                        return None;
                    }
                    Some(Val::Int(if neg { -n } else { n }))
                }
                _ => None,
            }
        }

        /// After a member: `,` (more follow, `true`) or `}` (the object ends, `false`).
        pub(crate) fn next(&mut self) -> Option<bool> {
            if self.eat(b',') {
                Some(true)
            } else if self.eat(b'}') {
                Some(false)
            } else {
                None
            }
        }
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
    fn rfc3339_by_hand_matches_chrono() {
        let chrono = |ts: i64| {
            chrono::DateTime::from_timestamp(ts, 0)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        };
        let mut ts = 0i64;
        while ts < 253_402_300_800 + 10 {
            assert_eq!(rfc3339_utc(ts), chrono(ts), "{ts}");
            ts = ts * 3 / 2 + 86_399;
        }
        for ts in [
            -1,
            0,
            951_782_400,
            1_700_000_000,
            4_107_542_399,
            253_402_300_799,
            253_402_300_800,
        ] {
            assert_eq!(rfc3339_utc(ts), chrono(ts), "{ts}");
        }
    }

    #[test]
    fn scanned_peek_reads_like_serde() {
        let facts = |p: Peek| {
            let f = Facts::from_peek(p);
            let s = |o: &Option<Loose>| match o {
                None => "none".to_string(),
                Some(Loose::Str(s)) => format!("s:{s}"),
                Some(Loose::Int(i)) => format!("i:{i}"),
                Some(Loose::Float(x)) => format!("f:{x}"),
                Some(Loose::Other) => "other".to_string(),
            };
            format!(
                "{:?} {} {} {} {} {:?}",
                f.kind,
                s(&f.phone),
                s(&f.pure),
                s(&f.country),
                s(&f.nick),
                f.watermark
            )
        };
        let taken = [
            r#"{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":"86","watermark":{"appid":"wx1","timestamp":1700000000}}"#,
            r#" { "nickName" : "微信用户", "gender":0, "x":null, "ok":true,"watermark":{}} "#,
            r#"{"openId":"o","watermark":null,"n":-12,"phoneNumber":null}"#,
            r#"{"watermark":{"timestamp":"17","appid":5,"x":false}}"#,
            r#"{}"#,
        ];
        for t in taken {
            let p = scan_peek(t).unwrap_or_else(|| panic!("not scanned: {t}"));
            let q = serde_json::from_str::<Peek>(t).unwrap();
            assert_eq!(facts(p), facts(q), "{t}");
        }
        let left = [
            r#"{"phoneNumber":"1\"2"}"#,
            r#"{"phoneNumber":"1","phoneNumber":"2"}"#,
            r#"{"watermark":{"appid":"a","appid":"b"}}"#,
            r#"{"stepInfoList":[]}"#,
            r#"{"a":1.5}"#,
            r#"{"a":01}"#,
            r#"{"a":1e3}"#,
            r#"{"a":1234567890123456789}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"watermark":"w"}"#,
            r#"[1]"#,
            "{\"a\":\"\u{1}\"}",
        ];
        for t in left {
            assert!(scan_peek(t).is_none(), "{t}");
        }
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
