//! Preset documents: the official demo at start-up, and reproducible broken payloads for
//! screenshots and manual testing (picked with `WXDECRYPT_DEMO=name`). All built with the engine's
//! own `encrypt` and fixed keys, so nothing here is a real user's data.

use serde_json::json;

use crate::gui::encrypt::form::EncryptForm;
use crate::gui::envelope::Which;
use crate::gui::state::demo_input;
use crate::msg::MsgInput;
use crate::opendata::Input;
use crate::opendata::cipher;
use crate::opendata::encrypt::{EncryptRequest, encrypt, phone_payload};
use crate::opendata::normalize;
use crate::pay::{self, PayInput};

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
    "tamper",
    "baidu",
    "alipay",
    "template",
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
        // The tamper preset edits the phone payload.
        "phone" | "tamper" => phone(),
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
        "baidu" => Some(baidu_doc()),
        "alipay" => alipay_answer(),
        _ => None,
    }
}

/// Baidu's documented vector (swan-docs log_userdata.md): App Key, 24-byte session_key, iv, data.
pub fn baidu_doc() -> Input {
    Input::new(
        "y2dTfnWfkx2OXttMEMWlGHoB1KzMogm7",
        "1df09d0a1677dd72b8325aec59576e0c",
        "1df09d0a1677dd72b8325Q==",
        concat!(
            "OpCoJgs7RrVgaMNDixIvaCIyV2SFDBNLivgkVqtzq2GC10egsn+PKmQ/+5q+chT8xzldLUog2haTItyIkKyvzvmXo",
            "nBQLIMeq54axAu9c3KG8IhpFD6+ymHocmx07ZKi7eED3t0KyIxJgRNSDkFk5RV1ZP2mSWa7ZgCXXcAbP0RsiUcvh",
            "cJfrSwlpsm0E1YJzKpYy429xrEEGvK+gfL+Cw=="
        ),
    )
}

/// An Alipay my.getPhoneNumber answer (made here with a fixed console key) whose decrypted
/// response is the 40006 error of an app without the phone-number capability.
fn alipay_answer() -> Option<Input> {
    let key = *b"alipay-demo-key!";
    let err = json!({"code": "40006", "msg": "Insufficient Permissions",
        "subCode": "isv.insufficient-isv-permissions", "subMsg": "ISV权限不足"});
    let data = cipher::encrypt_pkcs7(&key, &[0; 16], err.to_string().as_bytes())?;
    let answer = json!({"response": normalize::encode(&data), "sign": "c2lnbmF0dXJl",
        "sign_type": "RSA2", "encrypt_type": "AES", "charset": "UTF-8"});
    Some(Input::new(
        "2021001234567890",
        &normalize::encode(&key),
        "",
        &answer.to_string(),
    ))
}

/// The Encrypt tab of the `template` preset: a batch of a phone template over a list of
/// numbers, with a fixed key and iv, already run.
pub fn encrypt_preset(name: &str, now: i64, lang: crate::i18n::Lang) -> Option<EncryptForm> {
    if name != "template" {
        return None;
    }
    let mut form = EncryptForm::new();
    form.batch_template = true;
    form.template_text = r#"{"phoneNumber":"%%","purePhoneNumber":"%%","countryCode":"86"}"#.into();
    form.batch_numbers = "13800138000\n13900139000\n13700137000\n15000000000".into();
    form.session_key = key();
    form.iv = iv();
    form.batch_format = crate::opendata::tamper::BatchFormat::Jsonl;
    form.run_batch(now, lang).ok()?;
    Some(form)
}

/// The WeCom documentation's sample push (token QDG6eK, corpid wx5823bf96d3bd56c7), as the
/// handler receives it: the URL's parameters and the XML body.
pub fn msg_demo() -> MsgInput {
    let mut m = MsgInput {
        encoding_aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C".into(),
        token: "QDG6eK".into(),
        receive_id: "wx5823bf96d3bd56c7".into(),
        ..MsgInput::default()
    };
    m.fill_from_text(concat!(
        "POST /cgi-bin/wxpush?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6",
        "&timestamp=1409659813&nonce=1372623149 HTTP/1.1\r\n\r\n",
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[",
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj",
        "911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06",
        "DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQ",
        "H03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo",
        "6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+q",
        "N+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
    ));
    m
}

/// The APIv3 key of the made-up Pay notifications.
pub const PAY_DEMO_KEY: &str = "wxdecryptDemoAPIv3Key00000000000";

/// A made-up payment notification (fixed key and nonce), as the handler receives it.
pub fn pay_demo(now: i64) -> PayInput {
    let resource = json!({
        "mchid": "1900000001", "appid": DEMO_APPID, "out_trade_no": "WX20261202153012",
        "transaction_id": "4200002345202612021234567890", "trade_type": "JSAPI",
        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "CMB_CREDIT",
        "attach": "", "success_time": "2026-12-02T15:30:12+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": 8800, "payer_total": 8800, "currency": "CNY", "payer_currency": "CNY"}
    });
    let body = pay::seal(
        &pay::SealRequest {
            key: PAY_DEMO_KEY.into(),
            plaintext: resource.to_string(),
            nonce: "fdasflkja484".into(),
            associated_data: "transaction".into(),
            event_type: String::new(),
            v2: false,
        },
        now,
    )
    .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
    .unwrap_or_default();
    PayInput {
        key: PAY_DEMO_KEY.into(),
        body,
        ..PayInput::default()
    }
}

/// The rawData of the user the official demo's encryptedData holds ("Band"), as getUserInfo
/// returns it beside that data.
pub const DEMO_RAW_DATA: &str = concat!(
    r#"{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","#,
    r#""country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0"}"#
);

/// The `signature` preset: the official demo in the fields, and in the Signature section its
/// rawData with the signature a PHP backend makes after `json_encode` wrote rawData again (the
/// escaped slashes change the hash).
pub fn signature_preset(name: &str) -> Option<crate::gui::inspect::signature::SignaturePanel> {
    if name != "signature" {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(DEMO_RAW_DATA).ok()?;
    let written = crate::signature::json_forms::reserialize(&value, crate::signature::Form::Php);
    let mut panel = crate::gui::inspect::signature::SignaturePanel::default();
    panel.raw_data = DEMO_RAW_DATA.to_string();
    panel.signature = crate::signature::user_info_signature(
        &written,
        &crate::gui::state::demo_input().session_key,
    );
    panel.open = true;
    Some(panel)
}

/// The `tamper` preset: Edit and re-encrypt open over the phone payload, its number changed.
pub fn tamper_preset(
    name: &str,
    report: &crate::opendata::Report,
) -> Option<crate::gui::inspect::tamper::TamperPanel> {
    if name != "tamper" {
        return None;
    }
    let mut panel = crate::gui::inspect::tamper::TamperPanel::default();
    panel.load(report);
    panel.text = panel.text.replace("\"13580006666\"", "\"13900000000\"");
    panel.open = true;
    Some(panel)
}

/// Envelope preset names: the mode they open and what they show.
pub const ENVELOPE_NAMES: &[&str] = &["msg", "msgkey", "msgecho", "pay", "payaad", "paykey"];

/// An envelope preset: the message-push or Pay inputs it opens with.
pub fn envelope_preset(name: &str, now: i64) -> Option<(Which, MsgInput, PayInput)> {
    let msg = msg_demo();
    let pay = pay_demo(now);
    match name {
        "msg" => Some((Which::Message, msg, pay)),
        "msgkey" => Some((
            Which::Message,
            MsgInput {
                encoding_aes_key: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".into(),
                ..msg
            },
            pay,
        )),
        "msgecho" => {
            let mut m = MsgInput {
                encoding_aes_key: msg.encoding_aes_key,
                token: msg.token,
                receive_id: msg.receive_id,
                ..MsgInput::default()
            };
            // '+' sent unencoded: the framework hands the handler spaces.
            m.fill_from_text(concat!(
                "https://example.com/cb?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
                "&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1",
                "DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ%3D%3D"
            ));
            Some((Which::Message, m, pay))
        }
        "pay" => Some((Which::Pay, msg, pay)),
        "payaad" => Some((
            Which::Pay,
            msg,
            PayInput {
                associated_data: "refund".into(),
                ..pay
            },
        )),
        "paykey" => Some((
            Which::Pay,
            msg,
            PayInput {
                key: "wxdecryptDemoAPIv2Key11111111111".into(),
                ..pay
            },
        )),
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

    #[test]
    fn envelope_presets_show_what_they_are_named_after() {
        let now = 1_700_000_000;
        let opts = Options::new(now, Lang::En);
        let run = |n: &str| {
            let (which, m, p) = envelope_preset(n, now).unwrap();
            match which {
                Which::Message => crate::msg::inspect_message(&m, &opts),
                Which::Pay => crate::pay::inspect_pay(&p, &opts),
            }
        };
        assert!(run("msg").ok);
        assert_eq!(run("msgkey").codes(), ["msg.key_mismatch"]);
        assert_eq!(run("msgecho").codes(), ["repair.plus_as_space"]);
        assert!(run("pay").ok);
        assert_eq!(run("payaad").codes(), ["pay.associated_data_mismatch"]);
        assert_eq!(run("paykey").codes(), ["pay.key_mismatch"]);
        assert!(
            ENVELOPE_NAMES
                .iter()
                .all(|n| envelope_preset(n, now).is_some())
        );
    }

    #[test]
    fn platform_and_template_presets_show_what_they_are_named_after() {
        let opts = Options::new(1_700_000_000, Lang::En);
        let baidu = inspect(&preset("baidu", 0).unwrap(), &opts);
        assert_eq!(baidu.platform, crate::platform::Platform::Baidu);
        assert_eq!(baidu.codes(), ["platform.detected"]);
        let alipay = inspect(&preset("alipay", 0).unwrap(), &opts);
        assert_eq!(alipay.platform, crate::platform::Platform::Alipay);
        assert_eq!(alipay.codes(), ["alipay.error", "platform.detected"]);
        let form = encrypt_preset("template", 0, Lang::En).unwrap();
        assert_eq!(form.batch_count, 4);
        let numbers = ["13800138000", "13900139000", "13700137000", "15000000000"];
        let lines: Vec<&str> = form.batch_output.lines().collect();
        assert_eq!(lines.len(), numbers.len());
        for (line, number) in lines.into_iter().zip(numbers) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let (iv, data) = (
                v["iv"].as_str().unwrap(),
                v["encryptedData"].as_str().unwrap(),
            );
            let r = inspect(&Input::new("", &key(), iv, data), &opts);
            assert_eq!(r.data.unwrap()["purePhoneNumber"], number);
        }
        assert!(encrypt_preset("phone", 0, Lang::En).is_none());
    }

    #[test]
    fn the_signature_preset_shows_a_reserialized_raw_data() {
        let mut panel = signature_preset("signature").expect("preset");
        let env = crate::gui::state::UiEnv {
            lang: crate::i18n::Lang::En,
            mask: false,
            redact_on_save: false,
            now: 0,
        };
        let doc = crate::gui::state::Document::new(crate::gui::state::demo_input(), &env);
        assert!(doc.report.ok, "the demo data opens with the demo key");
        panel.refresh(&doc, &env);
        let r = panel.report.expect("checked");
        assert_eq!(r.codes(), ["signature.variant"]);
        // ASCII only: what json_encode wrote differs from rawData by its escaped slashes alone.
        assert_eq!(r.variant_form, Some(crate::signature::Form::EscapedSlashes));
        // The rawData is the user the demo's encryptedData holds.
        let data = doc.report.data.expect("data");
        let raw: serde_json::Value = serde_json::from_str(DEMO_RAW_DATA).expect("json");
        for k in ["nickName", "avatarUrl", "city"] {
            assert_eq!(raw[k], data[k], "{k}");
        }
        assert!(signature_preset("msg").is_none());
    }

    #[test]
    fn the_tamper_preset_encrypts_the_changed_number_consistently() {
        let env = crate::gui::state::UiEnv {
            lang: crate::i18n::Lang::En,
            mask: false,
            redact_on_save: false,
            now: 1_700_000_000,
        };
        let doc = crate::gui::state::Document::new(
            preset("tamper", env.now).expect("phone payload"),
            &env,
        );
        let mut panel = tamper_preset("tamper", &doc.report).expect("preset");
        panel.refresh(&doc, &env);
        let enc = panel.result.expect("made").expect("encrypted");
        let again = inspect(
            &Input {
                iv: enc.iv.clone(),
                encrypted_data: enc.encrypted_data,
                ..doc.input.clone()
            },
            &Options::new(env.now, Lang::En),
        );
        assert!(again.ok, "{:?}", again.codes());
        let data = again.data.expect("data");
        assert_eq!(data["phoneNumber"], "13900000000");
        assert_eq!(data["purePhoneNumber"], "13900000000");
        assert_eq!(enc.iv, doc.input.iv, "the same iv");
    }
}
