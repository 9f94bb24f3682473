//! The platforms that copied WeChat's scheme, against tests/vectors/platforms.json (payloads made
//! with pycryptodome as each platform documents its cipher, Baidu's documented vector and the
//! Alipay SDK's): the exact codes (primary first), the platform reported, the data — chosen or
//! detected, in both languages — and Baidu's official PHP sample reading the Baidu vectors.

use serde_json::Value;
use wxdecrypt::encrypt::{EncryptRequest, Encrypted, encrypt_for};
use wxdecrypt::opendata::tamper;
use wxdecrypt::platform::Platform;
use wxdecrypt::{Input, Lang, Options, inspect};

use super::vectors::load;

fn vectors() -> Vec<Value> {
    load("platforms.json")["vectors"]
        .as_array()
        .unwrap()
        .clone()
}

fn chosen(v: &Value) -> Option<Platform> {
    v["platform"].as_str().map(|p| Platform::parse(p).unwrap())
}

#[test]
fn every_platform_vector_gives_its_codes_platform_and_data() {
    let vectors = vectors();
    assert!(vectors.len() >= 20);
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let input: Input = serde_json::from_value(v["input"].clone()).unwrap();
        let want = &v["expect"];
        let codes: Vec<&str> = want["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for lang in Lang::ALL {
            let opts = Options::new(v["now"].as_i64().unwrap(), lang).with_platform(chosen(v));
            let r = inspect(&input, &opts);
            assert_eq!(r.codes(), codes, "{name} ({lang:?}): {:#?}", r.findings);
            assert_eq!(r.ok, want["ok"].as_bool().unwrap(), "{name}");
            assert_eq!(
                r.platform.as_str(),
                want["platform"].as_str().unwrap(),
                "{name}"
            );
            if let Some(data) = want.get("data") {
                assert_eq!(r.data.as_ref(), Some(data), "{name}");
            }
            for f in &r.findings {
                assert!(!unfilled(&f.message) && !unfilled(&f.hint), "{name}: {f:?}");
                assert!(!f.hint.is_empty(), "{name}: {}", f.code.as_str());
            }
        }
    }
}

/// Whether `text` still holds a `{placeholder}`.
fn unfilled(text: &str) -> bool {
    text.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
    })
}

#[test]
fn each_platform_has_a_vector_that_decrypts() {
    let vectors = vectors();
    for p in Platform::ALL.into_iter().filter(|p| *p != Platform::Wechat) {
        assert!(
            vectors.iter().any(|v| v["expect"]["platform"] == p.as_str()
                && v["expect"]["ok"] == true
                && v["expect"]["codes"].as_array().unwrap().is_empty()),
            "{p}"
        );
    }
}

#[test]
fn platforms_get_their_own_hints() {
    let v = vectors();
    let stale = v
        .iter()
        .find(|v| v["name"] == "Baidu: another login's session_key")
        .unwrap();
    let input: Input = serde_json::from_value(stale["input"].clone()).unwrap();
    for lang in Lang::ALL {
        let r = inspect(
            &input,
            &Options::new(0, lang).with_platform(Some(Platform::Baidu)),
        );
        assert_eq!(
            r.findings[0].hint,
            lang.tr("platform.baidu.hint.key_mismatch")
        );
        let wechat = inspect(
            &input,
            &Options::new(0, lang).with_platform(Some(Platform::Wechat)),
        );
        assert!(
            wechat
                .findings
                .iter()
                .all(|f| !f.hint.contains("swan.login"))
        );
    }
    for key in Platform::all_hint_keys() {
        for lang in Lang::ALL {
            assert_ne!(lang.tr(key), key, "{key} missing in {lang:?}");
        }
    }
}

/// Baidu's official PHP decrypt sample (tests/official/baidu_sample.php, from swan-docs
/// log_userdata.md) opens each Baidu vector that decrypts, to the same content.
#[test]
fn baidus_official_php_sample_reads_the_baidu_vectors() {
    let lines: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| v["expect"]["platform"] == "baidu" && v["expect"]["ok"] == true)
        .collect();
    assert!(lines.len() >= 3);
    let inputs: Vec<Value> = lines.iter().map(|v| v["input"].clone()).collect();
    let out = super::official::run_script("php", &["baidu_sample.php"], &inputs);
    for (v, php) in lines.iter().zip(out) {
        let name = v["name"].as_str().unwrap();
        let unchecked = v["expect"]["codes"][0] == "app_key.unchecked";
        match php["content"].as_str() {
            Some(text) => {
                let parsed: Value = serde_json::from_str(text).unwrap();
                assert_eq!(Some(&parsed), v["expect"].get("data"), "{name}");
            }
            // The sample refuses data whose app key differs from the one given (here: none).
            None => assert!(unchecked, "{name}: {php}"),
        }
    }
}

/// A payload `encrypt_for` makes for `platform`, with the key and iv given.
fn made(platform: Platform, key: &str, iv: &str, appid: &str, payload: &str) -> Encrypted {
    let req = EncryptRequest {
        payload: payload.into(),
        session_key: Some(key.into()),
        iv: Some(iv.into()),
        appid: Some(appid.into()),
        timestamp: Some(1_700_000_000),
        watermark: true,
        now: 1_700_000_000,
    };
    encrypt_for(&req, platform).unwrap()
}

const KEY16: &str = "YWFhYWFhYWFhYWFhYWFhYQ==";
const KEY24: &str = "YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJi";
const IV: &str = "Y2NjY2NjY2NjY2NjY2NjYw==";
const PHONE: &str =
    r#"{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":"86"}"#;

/// What each platform's encryption makes is opened by pycryptodome (tests/official/open_plain.py)
/// to the payload with that platform's watermark — and read back by the inspection as clean.
#[test]
fn encrypting_as_each_platform_opens_independently_and_reads_back_clean() {
    let cases = [
        (Platform::Wechat, KEY16, "wx0123456789abcdef", Some("appid")),
        (Platform::Qq, KEY16, "1109876543", Some("appid")),
        (Platform::Douyin, KEY16, "tt07e3715e98c9aac0", Some("appid")),
        (
            Platform::Xiaohongshu,
            KEY16,
            "65a0b1c2d3e4f5a6",
            Some("appId"),
        ),
        (
            Platform::Xiaohongshu,
            KEY24,
            "65a0b1c2d3e4f5a6",
            Some("appId"),
        ),
        (Platform::Alipay, KEY16, "2021001234567890", None),
    ];
    let mut lines = Vec::new();
    for (p, key, appid, _) in cases {
        let e = made(p, key, IV, appid, PHONE);
        // Alipay sends no iv: it is all zeros.
        assert_eq!(e.iv.is_empty(), p == Platform::Alipay, "{p}");
        let iv = if e.iv.is_empty() {
            "AAAAAAAAAAAAAAAAAAAAAA=="
        } else {
            e.iv.as_str()
        };
        lines.push(
            serde_json::json!({"sessionKey": key, "iv": iv, "encryptedData": e.encrypted_data}),
        );
        let input = Input::new(appid, key, &e.iv, &e.encrypted_data);
        let r = inspect(
            &input,
            &Options::new(1_700_000_100, Lang::En).with_platform(Some(p)),
        );
        assert!(r.ok && r.codes().is_empty(), "{p}: {:?}", r.codes());
    }
    let opened = super::official::run_script("python3", &["open_plain.py"], &lines);
    for ((p, _, appid, key), out) in cases.iter().zip(opened) {
        let text = out["plaintext"]
            .as_str()
            .unwrap_or_else(|| panic!("{p}: {out}"));
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["purePhoneNumber"], "13800138000", "{p}");
        match key {
            Some(k) => assert_eq!(v["watermark"][*k], *appid, "{p}: {text}"),
            None => assert!(v.get("watermark").is_none(), "{p}: {text}"),
        }
    }
}

/// Baidu's frame as `encrypt_for` makes it is what Baidu's official PHP sample opens, with the
/// appid as its App Key — and a re-encryption of it (tamper) keeps the App Key.
#[test]
fn baidus_frame_opens_in_baidus_sample_and_survives_re_encryption() {
    let app_key = "AppKeyOfTheSmartProgram000000001";
    let e = made(Platform::Baidu, KEY24, IV, app_key, PHONE);
    let lines = [
        serde_json::json!({"appid": app_key, "session_key": KEY24, "iv": e.iv, "encrypted_data": e.encrypted_data}),
    ];
    let out = super::official::run_script("php", &["baidu_sample.php"], &lines);
    // No watermark on Baidu: the content is the payload itself.
    assert_eq!(out[0]["content"].as_str(), Some(PHONE));
    let input = Input::new(app_key, KEY24, &e.iv, &e.encrypted_data);
    let opts = Options::new(0, Lang::En).with_platform(Some(Platform::Baidu));
    let r = inspect(&input, &opts);
    assert!(r.ok && r.codes().is_empty(), "{:?}", r.codes());
    let edited = PHONE.replace("13800138000\",\"pure", "13900139000\",\"pure");
    let again = tamper::reencrypt(&tamper::Reencrypt {
        edited: &edited,
        original: r.data.as_ref(),
        session_key: KEY24,
        iv: Some(&e.iv),
        refresh_timestamp: None,
        now: 0,
        platform: Platform::Baidu,
        app_key: Some(app_key),
    })
    .unwrap();
    let r = inspect(
        &Input::new(app_key, KEY24, &again.iv, &again.encrypted_data),
        &opts,
    );
    assert!(r.ok && r.codes().is_empty(), "{:?}", r.codes());
    assert_eq!(r.data.unwrap()["purePhoneNumber"], "13900139000");
    // A 16-byte key is refused for Baidu, saying how long it must be.
    let req = EncryptRequest {
        session_key: Some(KEY16.into()),
        ..EncryptRequest::default()
    };
    let err = encrypt_for(&req, Platform::Baidu)
        .unwrap_err()
        .message(Lang::En);
    assert!(err.contains("24") && err.contains("16"), "{err}");
}
