//! `wxdecrypt encrypt --template --values`: one payload per value (JSON Lines, lines with the
//! batch's iv on stderr, or percent-encoded), each decrypting back to its value; usage errors.

use serde_json::Value;
use wxdecrypt::extract::percent_decode;
use wxdecrypt::{Input, Lang, Options, inspect};

use super::scan::bin;

const KEY: &str = "YWFhYWFhYWFhYWFhYWFhYQ==";
const APPID: &str = "wx0123456789abcdef";

fn phone_of(iv: &str, data: &str) -> String {
    let r = inspect(
        &Input::new(APPID, KEY, iv, data),
        &Options::new(1_700_000_000, Lang::En),
    );
    assert!(r.ok, "{:?}", r.codes());
    r.data.expect("data")["phoneNumber"]
        .as_str()
        .expect("phone")
        .to_string()
}

#[test]
fn a_template_batch_makes_one_payload_per_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.json"),
        r#"{"phoneNumber":"%%","purePhoneNumber":"%%","countryCode":"86"}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("v.txt"), "13800000001\n\n13800000002\n").unwrap();
    let base = [
        "encrypt",
        "--template",
        "t.json",
        "--values",
        "v.txt",
        "--session-key",
        KEY,
        "--appid",
        APPID,
        "--timestamp",
        "1700000000",
    ];
    let run = |extra: &[&str]| {
        let a = bin()
            .current_dir(dir.path())
            .args(base)
            .args(extra)
            .assert()
            .code(0);
        (
            String::from_utf8(a.get_output().stdout.clone()).unwrap(),
            String::from_utf8(a.get_output().stderr.clone()).unwrap(),
        )
    };
    let (out, _) = run(&[]);
    let phones: Vec<String> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let phone = phone_of(
                v["iv"].as_str().unwrap(),
                v["encryptedData"].as_str().unwrap(),
            );
            assert_eq!(v["value"].as_str(), Some(phone.as_str()));
            phone
        })
        .collect();
    assert_eq!(phones, ["13800000001", "13800000002"]);

    // Lines for Burp Intruder: the iv they share is said on stderr.
    let (out, err) = run(&["--format", "lines"]);
    let iv = err
        .trim()
        .rsplit(' ')
        .next()
        .expect("the iv on stderr")
        .to_string();
    let phones: Vec<String> = out.lines().map(|d| phone_of(&iv, d)).collect();
    assert_eq!(phones, ["13800000001", "13800000002"]);

    // Percent-encoded, with a fixed iv.
    let fixed = "YmJiYmJiYmJiYmJiYmJiYg==";
    let (out, err) = run(&["--format", "urlencoded", "--iv", fixed]);
    assert!(err.is_empty(), "{err}");
    let phones: Vec<String> = out
        .lines()
        .map(|d| phone_of(fixed, &percent_decode(d)))
        .collect();
    assert_eq!(phones, ["13800000001", "13800000002"]);
}

#[test]
fn template_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.json"), r#"{"phoneNumber":"1"}"#).unwrap();
    std::fs::write(dir.path().join("v.txt"), "1\n").unwrap();
    let err = |args: &[&str]| {
        let a = bin().current_dir(dir.path()).args(args).assert().code(2);
        String::from_utf8(a.get_output().stderr.clone()).unwrap()
    };
    let e = err(&["encrypt", "--template", "t.json", "--values", "v.txt"]);
    assert!(e.contains("--template needs --session-key"), "{e}");
    let e = err(&[
        "encrypt",
        "--template",
        "t.json",
        "--values",
        "v.txt",
        "--session-key",
        KEY,
    ]);
    assert!(e.contains("no %% placeholder"), "{e}");
    err(&["encrypt", "--template", "t.json"]);
}
