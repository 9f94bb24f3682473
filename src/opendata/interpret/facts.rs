//! The fields the checks read from a payload object, taken without building a `Value` where it can
//! be: a hand scanner for flat text ([`scan_peek`]), serde's borrowed deserializer ([`Peek`]), or a
//! parsed map ([`Facts::from_map`]).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::{Kind, kind_from};
use crate::opendata::json_scan as scan;

/// A JSON value read leniently: strings and numbers kept, anything else skipped.
pub(super) enum Loose<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Other,
}

impl<'a> Loose<'a> {
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Loose::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_timestamp(&self) -> Option<i64> {
        match self {
            Loose::Int(i) => Some(*i),
            Loose::Float(f) => Some(*f as i64),
            Loose::Str(s) => s.trim().parse().ok(),
            Loose::Other => None,
        }
    }

    pub(super) fn from_value(v: &'a Value) -> Loose<'a> {
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
pub(super) struct PeekWatermark<'a> {
    #[serde(borrow, default)]
    appid: Option<Loose<'a>>,
    /// Xiaohongshu's spelling.
    #[serde(borrow, default, rename = "appId")]
    app_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    timestamp: Option<Loose<'a>>,
}

/// The fields the checks read, deserialized without building a `Value` (the batch hot path).
/// Serde rejects duplicate keys here; such text falls back to a full parse.
#[derive(Deserialize, Default)]
pub(super) struct Peek<'a> {
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
    /// Alipay's and Baidu's phone number.
    #[serde(borrow, default)]
    mobile: Option<Loose<'a>>,
    /// Baidu's user info.
    #[serde(borrow, default)]
    headimgurl: Option<Loose<'a>>,
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
pub(super) fn scan_peek(text: &str) -> Option<Peek<'_>> {
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
                "mobile" => Some((14, &mut p.mobile)),
                "headimgurl" => Some((15, &mut p.headimgurl)),
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
    let (mut appid, mut app_id, mut timestamp) = (false, false, false);
    if s.eat(b'}') {
        return Some(w);
    }
    loop {
        let key = s.key()?;
        let v = loose(s.value()?)?;
        match key {
            "appid" if !appid => (appid, w.appid) = (true, v),
            "appId" if !app_id => (app_id, w.app_id) = (true, v),
            "timestamp" if !timestamp => (timestamp, w.timestamp) = (true, v),
            "appid" | "appId" | "timestamp" => return None,
            _ => {}
        }
        if !s.next()? {
            return Some(w);
        }
    }
}

/// What the checks need from a payload object.
pub(super) struct Facts<'a> {
    pub(super) phone: Option<Loose<'a>>,
    pub(super) pure: Option<Loose<'a>>,
    pub(super) country: Option<Loose<'a>>,
    pub(super) nick: Option<Loose<'a>>,
    pub(super) kind: Kind,
    /// `None`: no watermark object.
    pub(super) watermark: Option<WatermarkFacts>,
}

/// The watermark's members the checks read: the appid under either spelling, and the time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct WatermarkFacts {
    /// `appid` (WeChat, QQ, Douyin).
    pub(super) appid: Option<String>,
    /// `appId` (Xiaohongshu).
    pub(super) app_id: Option<String>,
    pub(super) timestamp: Option<i64>,
}

impl WatermarkFacts {
    /// The one spelling the appid is found under (`None`: neither, or both).
    pub(super) fn spelling(&self) -> Option<&'static str> {
        match (&self.appid, &self.app_id) {
            (Some(_), None) => Some("appid"),
            (None, Some(_)) => Some("appId"),
            _ => None,
        }
    }

    /// The appid under `key`: `appid`, or `appId` (Xiaohongshu's, which falls back to `appid`:
    /// its doc does not settle the spelling).
    pub(super) fn appid_under(&self, key: &str) -> Option<&String> {
        if key == "appId" {
            self.app_id.as_ref().or(self.appid.as_ref())
        } else {
            self.appid.as_ref()
        }
    }
}

impl<'a> Facts<'a> {
    pub(super) fn from_map(obj: &'a serde_json::Map<String, Value>) -> Facts<'a> {
        let get = |k: &str| obj.get(k).filter(|v| !v.is_null()).map(Loose::from_value);
        let watermark = match obj.get("watermark") {
            Some(Value::Object(wm)) => Some(WatermarkFacts {
                appid: wm.get("appid").and_then(Value::as_str).map(str::to_string),
                app_id: wm.get("appId").and_then(Value::as_str).map(str::to_string),
                timestamp: wm
                    .get("timestamp")
                    .and_then(|t| Loose::from_value(t).as_timestamp()),
            }),
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
    pub(super) fn from_peek(p: Peek<'a>) -> Facts<'a> {
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
            ("mobile", present(&p.mobile)),
            ("headimgurl", present(&p.headimgurl)),
        ];
        let kind = kind_from(|k| flags.iter().any(|(n, on)| *on && *n == k));
        // A watermark that is not an object fails the peek; the full parse then reports it.
        let watermark = p.watermark.map(|w| WatermarkFacts {
            appid: w.appid.as_ref().and_then(Loose::as_str).map(str::to_string),
            app_id: w
                .app_id
                .as_ref()
                .and_then(Loose::as_str)
                .map(str::to_string),
            timestamp: w.timestamp.as_ref().and_then(Loose::as_timestamp),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
