//! Tamper and replay, and template batches: what they make is opened by an independent
//! implementation (tests/official/open_plain.py, pycryptodome) and must give back exactly what was
//! edited, or the template with each value.

use serde_json::{Value, json};
use wxdecrypt::extract::percent_decode;
use wxdecrypt::opendata::tamper::{
    self, Batch, BatchFormat, BodyFormat, Reencrypt, fill_template, request_body,
};
use wxdecrypt::opendata::{Input, Options, inspect};
use wxdecrypt::platform::Platform;
use wxdecrypt::{Lang, encrypt::phone_payload};

const KEY: &str = "YWFhYWFhYWFhYWFhYWFhYQ==";
const IV: &str = "YmJiYmJiYmJiYmJiYmJiYg==";

fn open(payloads: &[(String, String)]) -> Vec<String> {
    let lines: Vec<Value> = payloads
        .iter()
        .map(|(iv, data)| json!({"sessionKey": KEY, "iv": iv, "encryptedData": data}))
        .collect();
    super::official::run_script("python3", &["open_plain.py"], &lines)
        .into_iter()
        .map(|v| {
            v["plaintext"]
                .as_str()
                .unwrap_or_else(|| panic!("python could not open it: {v}"))
                .to_string()
        })
        .collect()
}

#[test]
fn an_edited_phone_is_encrypted_again_with_the_same_key_and_iv() {
    // The captured payload: a phone number, opened with its key.
    let mut original = phone_payload("13800000001");
    original["watermark"] = json!({"appid": "wx0123456789abcdef", "timestamp": 1_700_000_000});
    let first = wxdecrypt::encrypt::encrypt(&wxdecrypt::encrypt::EncryptRequest {
        payload: original.to_string(),
        session_key: Some(KEY.into()),
        iv: Some(IV.into()),
        ..Default::default()
    })
    .unwrap();
    let report = inspect(
        &Input::new("wx0123456789abcdef", KEY, &first.iv, &first.encrypted_data),
        &Options::new(1_700_000_100, Lang::En),
    );
    let data = report.data.clone().expect("decrypted");
    // The tester changes the number only.
    let edited = serde_json::to_string_pretty(&data).unwrap().replace(
        "\"phoneNumber\": \"13800000001\"",
        "\"phoneNumber\": \"13999999999\"",
    );
    let req = Reencrypt {
        edited: &edited,
        original: Some(&data),
        session_key: KEY,
        iv: Some(&first.iv),
        refresh_timestamp: Some(1_700_000_500),
        now: 1_700_000_500,
        platform: Platform::Wechat,
        app_key: None,
    };
    let again = tamper::reencrypt(&req).unwrap();
    assert_eq!(again.iv, first.iv, "the same iv");
    let opened = open(&[(again.iv.clone(), again.encrypted_data.clone())]);
    let v: Value = serde_json::from_str(&opened[0]).unwrap();
    assert_eq!(
        v,
        json!({"phoneNumber": "13999999999", "purePhoneNumber": "13999999999", "countryCode": "86",
               "watermark": {"appid": "wx0123456789abcdef", "timestamp": 1_700_000_500}})
    );
    assert_eq!(opened[0], again.plaintext);
    // The request body it is replayed in.
    let body = request_body(&again, BodyFormat::Form, ("encryptedData", "iv"));
    let (data_part, iv_part) = body.split_once('&').unwrap();
    assert_eq!(
        percent_decode(data_part.trim_start_matches("encryptedData=")),
        again.encrypted_data
    );
    assert_eq!(percent_decode(iv_part.trim_start_matches("iv=")), again.iv);
    let json_body: Value =
        serde_json::from_str(&request_body(&again, BodyFormat::Json, ("data", "vector"))).unwrap();
    assert_eq!(
        json_body,
        json!({"data": again.encrypted_data, "vector": again.iv})
    );
    // A new iv on request.
    let fresh = tamper::reencrypt(&Reencrypt { iv: None, ..req }).unwrap();
    assert_ne!(fresh.iv, first.iv);
    assert_eq!(
        open(&[(fresh.iv, fresh.encrypted_data)])[0],
        again.plaintext
    );
}

#[test]
fn every_template_batch_line_decrypts_back_to_its_value() {
    let template = r#"{"phoneNumber":"%%","purePhoneNumber":"%%","countryCode":"86","note":"%%"}"#;
    let values = vec![
        "13800000001",
        "13800000002",
        "",
        "x\"y\\z 中文",
        "13800000004",
    ];
    let expected: Vec<String> = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            serde_json::from_str::<Value>(&fill_template(template, v))
                .unwrap()
                .to_string()
        })
        .collect();
    for format in [
        BatchFormat::Jsonl,
        BatchFormat::Lines,
        BatchFormat::Urlencoded,
    ] {
        for iv in [None, Some(IV)] {
            let out = tamper::batch(&Batch {
                template,
                values: values.clone(),
                session_key: KEY,
                iv,
                appid: None,
                format,
                now: 0,
                platform: Platform::Wechat,
            })
            .unwrap();
            assert_eq!(out.lines.len(), 4, "{format:?}: the blank value is skipped");
            let payloads: Vec<(String, String)> = out
                .lines
                .iter()
                .map(|l| match format {
                    BatchFormat::Jsonl => {
                        let v: Value = serde_json::from_str(l).unwrap();
                        (
                            v["iv"].as_str().unwrap().into(),
                            v["encryptedData"].as_str().unwrap().into(),
                        )
                    }
                    BatchFormat::Lines => (out.shared_iv.clone().unwrap(), l.clone()),
                    BatchFormat::Urlencoded => {
                        assert!(!l.contains(['+', '/', '=']), "{l}");
                        (out.shared_iv.clone().unwrap(), percent_decode(l))
                    }
                })
                .collect();
            if let Some(iv) = iv {
                assert!(payloads.iter().all(|(i, _)| i == iv), "the fixed iv");
            }
            assert_eq!(open(&payloads), expected, "{format:?} {iv:?}");
        }
    }
}
