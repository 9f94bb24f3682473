//! Preset documents: the official demo at start-up, and reproducible broken payloads for
//! screenshots and manual testing (picked with `WXDECRYPT_DEMO=name`). All built with the engine's
//! own `encrypt` and fixed keys, so nothing here is a real user's data.

use serde_json::json;

use crate::gui::state::demo_input;
use crate::opendata::Input;
use crate::opendata::encrypt::{EncryptRequest, encrypt, phone_payload};
use crate::opendata::normalize;

/// The appid of the made-up payloads.
pub const DEMO_APPID: &str = "wx2e8a6b1f0c3d4e5f";

/// Preset names accepted by [`preset`].
pub const NAMES: &[&str] = &[
    "official",
    "phone",
    "werun",
    "keymismatch",
    "ivmismatch",
    "plusspace",
    "appidmismatch",
    "corrupted",
    "nickname",
    "big",
];

/// The nickname of the `nickname` preset: rare CJK characters, emoji with a skin tone and a ZWJ
/// sequence, and a kaomoji (the glyph coverage of issue 13).
pub const NICKNAME: &str = "王喆堃🍊 Zoë 刘䶮 𠮷 👍🏽👨‍👩‍👧 ꒰ᐢ. .ᐢ꒱";

/// Days of WeRun history in the `big` preset: about 780 KB of JSON, just over 1 MB of base64.
pub const BIG_DAYS: i64 = 21_500;

fn key() -> String {
    normalize::encode(b"wxdecrypt-demo-k")
}

fn iv() -> String {
    normalize::encode(b"wxdecrypt-demo-i")
}

fn make(payload: serde_json::Value, now: i64, ts: i64) -> Option<Input> {
    let req = EncryptRequest {
        payload: payload.to_string(),
        session_key: Some(key()),
        iv: Some(iv()),
        appid: Some(DEMO_APPID.to_string()),
        timestamp: Some(ts),
        watermark: true,
        now,
    };
    let e = encrypt(&req).ok()?;
    Some(Input::new(
        DEMO_APPID,
        &e.session_key,
        &e.iv,
        &e.encrypted_data,
    ))
}

/// A WeRun payload: the last `days` days at local midnight-ish steps.
fn werun_payload(now: i64, days: i64) -> serde_json::Value {
    let today = now - now.rem_euclid(86_400) - 8 * 3600;
    let steps = [8421, 12034, 5230, 9876, 15022, 3120, 10450];
    let list: Vec<serde_json::Value> = (0..days)
        .map(|i| {
            let step = steps.get(i as usize % steps.len()).copied().unwrap_or(0);
            json!({ "timestamp": today - (days - 1 - i) * 86_400, "step": step })
        })
        .collect();
    json!({ "stepInfoList": list })
}

/// The preset document called `name` (None for an unknown name).
pub fn preset(name: &str, now: i64) -> Option<Input> {
    let three_days_ago = now - 3 * 86_400 - 4 * 3600;
    let phone = || make(phone_payload("13580006666"), now, three_days_ago);
    match name {
        "official" | "" => Some(demo_input()),
        "phone" => phone(),
        "werun" => make(werun_payload(now, 7), now, now - 3600),
        // A megabyte in the encryptedData field (performance checks, issue 8).
        "big" => make(werun_payload(now, BIG_DAYS), now, now - 3600),
        "keymismatch" => phone().map(|mut i| {
            i.session_key = normalize::encode(b"another-login-k!");
            i
        }),
        "ivmismatch" => phone().map(|mut i| {
            i.iv = normalize::encode(b"an-earlier-call!");
            i
        }),
        "plusspace" => phone().map(|mut i| {
            i.encrypted_data = i.encrypted_data.replace('+', " ");
            i.iv = i.iv.replace('+', " ");
            i
        }),
        "appidmismatch" => phone().map(|mut i| {
            i.appid = "wx0000000000000000".to_string();
            i
        }),
        "corrupted" => phone().map(|mut i| {
            let mut chars: Vec<char> = i.encrypted_data.chars().collect();
            if let Some(c) = chars.get_mut(30) {
                *c = if *c == 'A' { 'B' } else { 'A' };
            }
            i.encrypted_data = chars.into_iter().collect();
            i
        }),
        "nickname" => make(
            json!({"nickName": NICKNAME, "gender": 2, "language": "zh_CN", "city": "Guangzhou",
                "province": "Guangdong", "country": "China", "avatarUrl": ""}),
            now,
            now - 600,
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Code;
    use crate::i18n::Lang;
    use crate::opendata::{Options, inspect};

    #[test]
    fn presets_show_what_they_are_named_after() {
        let now = 1_700_000_000;
        let opts = Options::new(now, Lang::En);
        let r = |n: &str| inspect(&preset(n, now).unwrap_or_default(), &opts);
        assert!(r("official").ok);
        assert!(r("phone").ok);
        assert!(r("werun").ok);
        assert!(r("keymismatch").has(Code::KeyMismatch));
        assert!(r("ivmismatch").has(Code::IvMismatch));
        assert!(r("appidmismatch").has(Code::WatermarkAppidMismatch));
        assert!(r("corrupted").has(Code::DataCorrupted));
        let nick = r("nickname");
        assert_eq!(
            nick.data.as_ref().map(|d| d["nickName"].clone()),
            Some(NICKNAME.into())
        );
        let big = preset("big", now).unwrap_or_default();
        assert!(big.encrypted_data.len() > 1_000_000);
        assert!(r("big").ok);
        assert!(preset("nope", now).is_none());
    }
}
