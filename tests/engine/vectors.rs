//! Engine behaviour against the official demo and the synthetic vectors in tests/vectors/.

use serde_json::Value;
use wxdecrypt::finding::{Code, Field, Severity};
use wxdecrypt::opendata::{Decryption, official};
use wxdecrypt::{Input, Kind, Lang, Options, inspect};

/// A file of tests/vectors/ as JSON (the one loader of this test binary).
pub(crate) fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn input_of(v: &Value) -> Input {
    serde_json::from_value(v.clone()).expect("input object")
}

fn demo() -> (Input, Value) {
    let v = load("official_demo.json");
    let input = Input::new(
        v["appid"].as_str().unwrap(),
        v["session_key"].as_str().unwrap(),
        v["iv"].as_str().unwrap(),
        v["encrypted_data"].as_str().unwrap(),
    );
    (input, v["data"].clone())
}

#[test]
fn official_demo_decrypts_to_the_documented_user_info() {
    let (input, data) = demo();
    let r = inspect(&input, &Options::new(1_700_000_000, Lang::En));
    assert!(r.ok, "{:?}", r.findings);
    assert_eq!(r.kind, Some(Kind::UserInfo));
    assert_eq!(r.data.as_ref(), Some(&data));
    assert_eq!(r.official_code, official::OK);
    assert!(r.findings.is_empty(), "{:?}", r.codes());
    let wm = r.watermark.expect("watermark");
    assert_eq!(wm.timestamp, Some(1_477_314_187));
    assert_eq!(wm.time.as_deref(), Some("2016-10-24T13:03:07Z"));
    assert_eq!(wm.age_seconds, Some(1_700_000_000 - 1_477_314_187));
}

#[test]
fn every_vector_gives_its_expected_verdict_and_codes() {
    let all = load("findings.json");
    let vectors = all["vectors"].as_array().expect("vectors");
    assert!(vectors.len() >= 30);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let input = input_of(&v["input"]);
        for lang in Lang::ALL {
            let r = inspect(&input, &Options::new(v["now"].as_i64().unwrap(), lang));
            let e = &v["expect"];
            assert_eq!(r.ok, e["ok"].as_bool().unwrap(), "{name}: {:?}", r.codes());
            for code in e["codes"].as_array().unwrap() {
                let code = code.as_str().unwrap();
                assert!(
                    r.codes().contains(&code),
                    "{name}: {code} not in {:?}",
                    r.codes()
                );
            }
            if e["codes"].as_array().unwrap().is_empty() {
                assert!(r.findings.is_empty(), "{name}: unexpected {:?}", r.codes());
            }
            if let Some(kind) = e["kind"].as_str() {
                assert_eq!(r.kind.map(Kind::as_str), Some(kind), "{name}");
            }
            if e.get("data").is_some() {
                assert_eq!(r.data.as_ref(), Some(&e["data"]), "{name}");
            }
            if let Some(iv) = e["suggested_iv"].as_str() {
                assert_eq!(r.suggested_iv.as_deref(), Some(iv), "{name}");
            }
            for f in &r.findings {
                assert_eq!(f.severity, f.code.severity(), "{name}");
                assert!(
                    !f.message.is_empty() && !f.message.contains("code."),
                    "{name}"
                );
                assert!(
                    !f.hint.is_empty() && !f.hint.contains('{'),
                    "{name}: {}",
                    f.hint
                );
            }
        }
    }
}

#[test]
fn vectors_cover_every_code() {
    let mut seen = std::collections::HashSet::new();
    for file in [
        "findings.json",
        "msg.json",
        "pay.json",
        "signature.json",
        "server.json",
        "platforms.json",
    ] {
        for v in load(file)["vectors"].as_array().unwrap() {
            for c in v["expect"]["codes"].as_array().unwrap() {
                seen.insert(c.as_str().unwrap().to_string());
            }
        }
    }
    for code in Code::ALL {
        assert!(
            seen.contains(code.as_str()),
            "no vector for {}",
            code.as_str()
        );
    }
}

fn vector(name: &str) -> (Input, i64) {
    let all = load("findings.json");
    let v = all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
        .clone();
    (input_of(&v["input"]), v["now"].as_i64().unwrap())
}

fn run(name: &str) -> wxdecrypt::Report {
    let (input, now) = vector(name);
    inspect(&input, &Options::new(now, Lang::En))
}

#[test]
fn plus_as_space_points_at_each_space_and_keeps_transport_warning() {
    let (input, now) = vector("repair.plus_as_space");
    let r = inspect(&input, &Options::new(now, Lang::En));
    let repair = r
        .repairs
        .iter()
        .find(|x| x.code == Code::RepairPlusAsSpace)
        .unwrap();
    assert_eq!(repair.field, Field::EncryptedData);
    let chars: Vec<char> = input.encrypted_data.chars().collect();
    for [s, e] in &repair.spans {
        assert_eq!(e - s, 1);
        assert_eq!(chars[*s], ' ');
    }
    assert_eq!(repair.before, input.encrypted_data);
    assert!(!repair.after.contains(' '));
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::RepairPlusAsSpace)
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    // The PHP sample skips the spaces, loses the '+' bits and fails on the padding or the JSON.
    assert_eq!(r.official_code, official::ILLEGAL_BUFFER);
}

#[test]
fn base64_invalid_span_is_the_bad_character() {
    let r = run("base64.invalid");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::Base64Invalid)
        .unwrap();
    assert_eq!(f.field, Field::EncryptedData);
    assert_eq!(f.span, Some([10, 11]));
}

#[test]
fn percent_spans_cover_the_whole_escape() {
    let (input, now) = vector("repair.percent_encoding");
    let r = inspect(&input, &Options::new(now, Lang::En));
    let repair = r
        .repairs
        .iter()
        .find(|x| x.code == Code::RepairPercentEncoding)
        .unwrap();
    let chars: Vec<char> = input.encrypted_data.chars().collect();
    for [s, e] in &repair.spans {
        assert_eq!(e - s, 3);
        assert_eq!(chars[*s], '%');
    }
}

#[test]
fn iv_mismatch_recovers_the_iv_and_shows_the_data() {
    let r = run("iv.mismatch (phone, iv recovered)");
    assert_eq!(r.detail.decryption, Decryption::SuggestedIv);
    assert_eq!(r.kind, Some(Kind::PhoneNumber));
    assert_eq!(r.detail.text_blocks.first(), Some(&false));
    assert!(r.detail.text_blocks[1..].iter().all(|&t| t));
    // The suggested iv really decrypts the data cleanly.
    let (mut input, now) = vector("iv.mismatch (phone, iv recovered)");
    input.iv = r.suggested_iv.clone().unwrap();
    let fixed = inspect(&input, &Options::new(now, Lang::En));
    assert!(fixed.ok && fixed.findings.is_empty(), "{:?}", fixed.codes());
}

#[test]
fn key_mismatch_is_the_primary_cause_with_official_code() {
    let r = run("key.mismatch + padding.invalid");
    assert_eq!(r.primary().map(|f| f.code), Some(Code::KeyMismatch));
    assert_eq!(r.official_code, official::ILLEGAL_BUFFER);
    assert!(r.detail.text_blocks.iter().all(|&t| !t));
    let p = r
        .findings
        .iter()
        .find(|f| f.code == Code::PaddingInvalid)
        .unwrap();
    let [s, e] = p.span.unwrap();
    assert!(e > s && e == r.detail.decrypted.len());
}

#[test]
fn swapped_key_and_iv_show_the_data() {
    let r = run("input.swapped (key and iv)");
    assert_eq!(r.detail.decryption, Decryption::Swapped);
    assert_eq!(r.kind, Some(Kind::PhoneNumber));
}

#[test]
fn corrupted_span_points_at_the_damaged_block() {
    for name in [
        "data.corrupted (a character changed)",
        "data.corrupted (four characters dropped)",
    ] {
        let r = run(name);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == Code::DataCorrupted)
            .unwrap();
        let [s, e] = f.span.unwrap();
        // The damage is at char 40 (byte 30, block 1): the span is block 1's characters.
        assert!(s <= 40 && 40 < e, "{name}: {s}..{e}");
    }
}

/// The PHP sample's codes (tests/engine/official.rs runs the sample itself): its base64 decoding
/// is lenient, so a bad character never gives -41004 (defined, never returned).
#[test]
fn official_codes_follow_the_sample_sdk() {
    assert_eq!(run("key.length").official_code, official::ILLEGAL_AES_KEY);
    assert_eq!(run("iv.length").official_code, official::ILLEGAL_IV);
    assert_eq!(
        run("base64.invalid").official_code,
        official::ILLEGAL_BUFFER
    );
    assert_eq!(
        run("watermark.appid_mismatch").official_code,
        official::ILLEGAL_BUFFER
    );
    assert_eq!(run("phone ok").official_code, official::OK);
}

#[test]
fn appid_mismatch_shows_both_appids() {
    let r = run("watermark.appid_mismatch");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::WatermarkAppidMismatch)
        .unwrap();
    assert!(f.message.contains("wxffffffffffffffff") && f.message.contains("wx0123456789abcdef"));
    let wm = r.watermark.unwrap();
    assert_eq!(wm.expected_appid.as_deref(), Some("wxffffffffffffffff"));
    assert_eq!(wm.appid.as_deref(), Some("wx0123456789abcdef"));
}

#[test]
fn messages_come_in_both_languages() {
    let (input, now) = vector("key.mismatch + padding.invalid");
    let en = inspect(&input, &Options::new(now, Lang::En));
    let zh = inspect(&input, &Options::new(now, Lang::ZhCn));
    assert_ne!(en.findings[0].message, zh.findings[0].message);
    assert!(zh.findings[0].hint.contains("wx.login"));
    assert_eq!(en.codes(), zh.codes());
}

#[test]
fn json_report_has_the_contract_shape() {
    let r = run("repair.plus_as_space");
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "ok",
        "kind",
        "official_code",
        "plaintext",
        "data",
        "watermark",
        "findings",
        "repairs",
        "suggested_iv",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let f = &v["findings"][0];
    for key in ["code", "severity", "field", "span", "message", "hint"] {
        assert!(f.get(key).is_some(), "finding missing {key}");
    }
    assert_eq!(f["field"], "encrypted_data");
    assert_eq!(f["severity"], "warning");
    let rep = &v["repairs"][0];
    for key in ["field", "code", "before", "after"] {
        assert!(rep.get(key).is_some(), "repair missing {key}");
    }
}

#[test]
fn empty_input_says_what_is_missing() {
    let r = inspect(&Input::default(), &Options::new(0, Lang::En));
    assert!(!r.ok);
    let missing: Vec<Field> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::InputMissing)
        .map(|f| f.field)
        .collect();
    assert_eq!(
        missing,
        [Field::SessionKey, Field::Iv, Field::EncryptedData]
    );
}

#[test]
fn lean_options_give_the_same_report_as_the_full_ones() {
    let all = load("findings.json");
    for v in all["vectors"].as_array().unwrap() {
        let input = input_of(&v["input"]);
        let opts = Options::new(v["now"].as_i64().unwrap(), Lang::En);
        let full = inspect(&input, &opts);
        let lean = inspect(&input, &opts.lean());
        let mut lean_json = serde_json::to_value(&lean).unwrap();
        if lean.plaintext_is_object && lean.data.is_none() {
            lean_json["data"] = serde_json::from_str(lean.plaintext.as_deref().unwrap()).unwrap();
        }
        assert_eq!(
            lean_json,
            serde_json::to_value(&full).unwrap(),
            "{}",
            v["name"]
        );
    }
}
