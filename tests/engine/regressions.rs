//! Reproducers of defects found by the black-box campaign (issue 11), each asserting the exact
//! finding codes and the primary one. The engine alone: these run without any feature.

use wxdecrypt::opendata::cipher::encrypt_pkcs7;
use wxdecrypt::opendata::normalize::encode;
use wxdecrypt::{Input, Kind, Lang, Options, Report, inspect};

/// K of the issue: the key, and the iv too.
const K: &[u8; 16] = b"1234567890abcdef";
const APPID: &str = "wx0123456789abcdef";
const NOW: i64 = 1_700_000_000;

fn sealed(plain: &[u8]) -> Report {
    let data = encrypt_pkcs7(K, K, plain).expect("16-byte key and iv");
    let input = Input::new(APPID, &encode(K), &encode(K), &encode(&data));
    inspect(&input, &Options::new(NOW, Lang::En))
}

fn codes(r: &Report) -> Vec<&'static str> {
    let mut c = r.codes();
    c.sort_unstable();
    c
}

fn watermarked(fields: &str) -> Vec<u8> {
    format!(
        r#"{{{fields},"watermark":{{"appid":"{APPID}","timestamp":{}}}}}"#,
        NOW - 60
    )
    .into_bytes()
}

/// Item 6: a raw control byte inside the plaintext is the plaintext's fault, in any block, never the
/// key's or the iv's; the finding points at the byte.
#[test]
fn a_raw_control_byte_is_broken_json_not_a_wrong_key_or_iv() {
    let first =
        watermarked(r#""nickName":"a\u0001b","gender":1"#.replace("\\u0001", "\u{1}").as_str());
    let later = watermarked(
        r#""nickName":"a long enough nickname to reach block three","city":"x\u0001y""#
            .replace("\\u0001", "\u{1}")
            .as_str(),
    );
    let mut every = String::from(r#"{"a":""#);
    while every.len() < 90 {
        every.push_str("0123456789abcd\u{1}");
    }
    every.push_str(r#""}"#);
    for plain in [first, later, every.into_bytes()] {
        let r = sealed(&plain);
        let text = String::from_utf8_lossy(&plain);
        assert_eq!(codes(&r), ["plaintext.invalid_json"], "{text:?}");
        let primary = r.primary().expect("a primary finding");
        assert_eq!(primary.code.as_str(), "plaintext.invalid_json");
        let at = plain.iter().position(|&b| b == 1).expect("a control byte");
        assert_eq!(primary.span, Some([at, at + 1]), "{text:?}");
        assert!(
            primary.message.contains(&format!("byte {at}")),
            "{}",
            primary.message
        );
        assert!(!r.ok);
        assert_eq!(r.suggested_iv, None);
        assert_eq!(r.official_code, -41003);
        // What was decrypted is shown as it is.
        assert_eq!(r.plaintext.as_deref().map(str::as_bytes), Some(&plain[..]));
    }
}

/// Item 7: a top-level JSON array is not a payload object, whatever its items are.
#[test]
fn a_top_level_array_is_not_a_phone_number_or_a_user() {
    for plain in [
        r#"["13800138000","13800138000","86"]"#,
        r#"[null,null,null,"微信用户"]"#,
    ] {
        let r = sealed(plain.as_bytes());
        assert_eq!(r.kind, Some(Kind::Text), "{plain}");
        assert_eq!(codes(&r), ["plaintext.not_json"], "{plain}");
        assert!(r.primary().is_none());
        assert_eq!(r.data, None);
        assert_eq!(r.watermark, None);
    }
}

/// Item 9: a hex-encoded key (or iv) is said to be hex and decoded, not taken for a login code.
#[test]
fn a_hex_key_is_hex_not_a_login_code() {
    let plain = watermarked(r#""nickName":"n","gender":1"#);
    let data = encrypt_pkcs7(K, K, &plain).expect("16-byte key and iv");
    let hex: String = K.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "31323334353637383930616263646566");
    let input = Input::new(APPID, &hex, &hex.to_uppercase(), &encode(&data));
    let r = inspect(&input, &Options::new(NOW, Lang::En));
    assert_eq!(codes(&r), ["repair.hex", "repair.hex"]);
    assert_eq!(r.primary().map(|f| f.code.as_str()), Some("repair.hex"));
    assert!(r.ok);
    assert_eq!(
        r.data.as_ref().and_then(|d| d["nickName"].as_str()),
        Some("n")
    );
    // The base64 form is offered as the repair's result; the SDKs reject the hex text.
    let after: Vec<&str> = r.repairs.iter().map(|x| x.after.as_str()).collect();
    assert_eq!(after, [encode(K), encode(K)]);
    assert_eq!(r.official_code, -41001);
}

/// Found by the fourth fuzz campaign (`inspect`, 3.56M executions): text that decrypted right with
/// the right key and iv, does not start with `{` and mentions "step" and "timestamp", was taken for
/// a WeRun payload under a wrong iv — the report said `iv.mismatch` and showed a "recovered"
/// plaintext that was never encrypted. JSON after leading spaces, and text that is not JSON even
/// with a WeRun first block, decrypted right: they are shown as they are.
#[test]
fn werun_words_after_a_space_or_in_broken_text_are_not_a_wrong_iv() {
    let spaced = watermarked(r#""stepInfoList":[{"timestamp":1699996800,"step":8421}]"#);
    let spaced = [b"  ".as_slice(), &spaced].concat();
    let r = sealed(&spaced);
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert!(r.ok);
    assert_eq!(r.kind, Some(Kind::Werun));
    assert_eq!(r.plaintext.as_deref().map(str::as_bytes), Some(&spaced[..]));

    // The fuzzer's input, shortened: printable, not JSON, with "timestamp" and "step" after the
    // first block.
    let broken =
        br#""\"[[=-uuuuuuuuuuuuuuuuuuuu\\\\"timestamp"\\\\uuuu=,\"\\uuu"step"uuu=,\"Y0\n[7003["&"#;
    let r = sealed(broken);
    assert_eq!(codes(&r), ["plaintext.not_json"]);
    assert!(r.primary().is_none());
    assert_eq!(r.kind, Some(Kind::Text));
    assert_eq!(r.suggested_iv, None);
    assert_eq!(r.plaintext.as_deref().map(str::as_bytes), Some(&broken[..]));
}
