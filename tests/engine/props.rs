//! Property tests: encrypt → inspect round trips, and inspect never panics.

use proptest::prelude::*;
use wxdecrypt::encrypt::{EncryptRequest, encrypt, phone_payload};
use wxdecrypt::opendata::normalize::encode;
use wxdecrypt::platform::Platform;
use wxdecrypt::{Input, Kind, Lang, Options, inspect};

const APPID: &str = "wx0123456789abcdef";

/// Appids, with numeric strings PHP's loose `==` holds equal though they differ ("10", "1e1").
fn appid_like() -> impl Strategy<Value = String> {
    let numeric = [
        "10", "1e1", "10.0", " 10", "10 ", "+10", "1e2", "100", "0.5", ".5", "-0", "0", "0x1A",
    ];
    prop_oneof![
        "[0-9a-z. +\\-]{0,6}",
        proptest::sample::select(numeric.to_vec()).prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn phone_payloads_round_trip(
        key in proptest::array::uniform16(any::<u8>()),
        iv in proptest::array::uniform16(any::<u8>()),
        number in "1[3-9][0-9]{9}",
        ts in 1_500_000_000i64..1_800_000_000,
    ) {
        let req = EncryptRequest {
            payload: phone_payload(&number).to_string(),
            session_key: Some(encode(&key)),
            iv: Some(encode(&iv)),
            appid: Some(APPID.into()),
            timestamp: Some(ts),
            watermark: true,
            now: ts,
        };
        let enc = encrypt(&req).unwrap();
        let r = inspect(&Input::new(APPID, &enc.session_key, &enc.iv, &enc.encrypted_data), &Options::new(ts, Lang::En));
        prop_assert!(r.ok, "{:?}", r.codes());
        prop_assert!(r.findings.is_empty(), "{:?}", r.codes());
        prop_assert_eq!(r.kind, Some(Kind::PhoneNumber));
        let data = r.data.unwrap();
        prop_assert_eq!(data["purePhoneNumber"].as_str(), Some(number.as_str()));
        prop_assert_eq!(data["watermark"]["timestamp"].as_i64(), Some(ts));
    }

    #[test]
    fn any_json_object_round_trips(
        key in proptest::array::uniform16(any::<u8>()),
        iv in proptest::array::uniform16(any::<u8>()),
        fields in proptest::collection::btree_map("[a-zA-Z]{1,8}", "\\PC{0,40}", 0..6),
    ) {
        let obj: serde_json::Map<String, serde_json::Value> =
            fields.into_iter().map(|(k, v)| (k, v.into())).collect();
        let payload = serde_json::Value::Object(obj).to_string();
        let enc = encrypt(&EncryptRequest {
            payload,
            session_key: Some(encode(&key)),
            iv: Some(encode(&iv)),
            appid: Some(APPID.into()),
            timestamp: Some(1_700_000_000),
            watermark: true,
            now: 1_700_000_000,
        }).unwrap();
        let r = inspect(&Input::new(APPID, &enc.session_key, &enc.iv, &enc.encrypted_data), &Options::new(1_700_000_000, Lang::En));
        prop_assert!(r.ok, "{:?}", r.codes());
        prop_assert_eq!(r.plaintext.as_deref(), Some(enc.plaintext.as_str()));
    }

    #[test]
    fn damaged_transport_is_repaired(
        key in proptest::array::uniform16(any::<u8>()),
        iv in proptest::array::uniform16(any::<u8>()),
        number in "1[3-9][0-9]{9}",
        damage in 0usize..4,
    ) {
        let enc = encrypt(&EncryptRequest {
            payload: phone_payload(&number).to_string(),
            session_key: Some(encode(&key)),
            iv: Some(encode(&iv)),
            appid: Some(APPID.into()),
            timestamp: Some(1_700_000_000),
            watermark: true,
            now: 1_700_000_000,
        }).unwrap();
        let hurt = |s: &str| match damage {
            0 => s.replace('+', " "),
            1 => s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"),
            2 => s.replace('/', "\\/"),
            _ => s.trim_end_matches('=').to_string(),
        };
        let r = inspect(
            &Input::new(APPID, &hurt(&enc.session_key), &hurt(&enc.iv), &hurt(&enc.encrypted_data)),
            &Options::new(1_700_000_000, Lang::En),
        );
        prop_assert!(r.ok, "{:?}", r.codes());
        let data = r.data.unwrap();
        prop_assert_eq!(data["purePhoneNumber"].as_str(), Some(number.as_str()));
    }

    #[test]
    fn inspect_never_panics_on_arbitrary_strings(
        appid in "\\PC{0,40}",
        key in "(\\PC|\\s){0,60}",
        iv in "(\\PC|\\s){0,60}",
        data in "(\\PC|\\s){0,400}",
    ) {
        // Detected, and read as each platform (Baidu's frame, Alipay's answer, …).
        let platforms = std::iter::once(None).chain(Platform::ALL.map(Some));
        for (lang, platform) in Lang::ALL.into_iter().flat_map(|l| platforms.clone().map(move |p| (l, p))) {
            let opts = Options::new(1_700_000_000, lang).with_platform(platform);
            let r = inspect(&Input::new(&appid, &key, &iv, &data), &opts);
            // Every finding is well formed and spans stay inside their field.
            for f in &r.findings {
                if let (Some([s, e]), Some(field_text)) = (f.span, match f.field {
                    wxdecrypt::Field::SessionKey => Some(&key),
                    wxdecrypt::Field::Iv => Some(&iv),
                    wxdecrypt::Field::EncryptedData => Some(&data),
                    _ => None,
                }) {
                    prop_assert!(s <= e && e <= field_text.chars().count(), "{:?} {s}..{e}", f.code);
                }
            }
        }
    }

    #[test]
    fn inspect_never_panics_on_base64_like_strings(
        key in "[A-Za-z0-9+/= %_\\-\"\\\\]{0,30}",
        iv in "[A-Za-z0-9+/= %_\\-\"\\\\]{0,30}",
        data in "[A-Za-z0-9+/= \n%_\\-\"\\\\]{0,200}",
    ) {
        let _ = inspect(&Input::new("", &key, &iv, &data), &Options::new(0, Lang::En));
    }

    #[test]
    fn inspect_never_panics_on_random_ciphertext(
        key in proptest::array::uniform16(any::<u8>()),
        iv in proptest::array::uniform16(any::<u8>()),
        data in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let r = inspect(&Input::new("wx1", &encode(&key), &encode(&iv), &encode(&data)), &Options::new(0, Lang::En));
        if !data.is_empty() && data.len() % 16 == 0 {
            prop_assert!(!r.findings.is_empty() || r.ok);
        }
    }

    /// The report's `official` table is worked out the short way when the inputs are clean; it
    /// must equal every sample's model run the long way on the same strings.
    #[test]
    fn official_table_equals_the_samples_run_in_full(
        key in proptest::array::uniform16(any::<u8>()),
        iv in proptest::array::uniform16(any::<u8>()),
        app in appid_like(),
        seen in appid_like(),
        same in any::<bool>(),
        extra in proptest::collection::btree_map("[a-zA-Z]{1,6}", "\\PC{0,12}", 0..4),
        wm_first in any::<bool>(),
    ) {
        let seen = if same { app.clone() } else { seen };
        let wm = serde_json::json!({"appid": seen, "timestamp": 1_700_000_000});
        let mut members: Vec<String> = extra
            .iter()
            .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), serde_json::Value::from(v.as_str())))
            .collect();
        let w = format!("\"watermark\":{wm}");
        if wm_first { members.insert(0, w) } else { members.push(w) }
        let plain = format!("{{{}}}", members.join(","));
        let data = wxdecrypt::opendata::cipher::encrypt_pkcs7(&key, &iv, plain.as_bytes()).unwrap();
        let (k, i, d) = (encode(&key), encode(&iv), encode(&data));
        let r = inspect(&Input::new(&app, &k, &i, &d), &Options::new(1_700_000_000, Lang::En));
        prop_assert_eq!(r.official, wxdecrypt::opendata::official::samples(app.trim(), &k, &i, &d));
    }
}
