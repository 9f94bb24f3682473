//! `--platform` on the command line: `decrypt` chosen and detected (exit codes, the report's
//! `platform`, the human text), a saved case keeping its platform and passing `check`, `batch`,
//! files in Baidu's and Alipay's shapes, and `snippet` refusing the schemes it does not write —
//! on the vectors of tests/vectors/platforms.json.

use serde_json::{Value, json};

use std::ffi::OsStr;

use super::envelopes::vector;
use super::scan::bin;
use super::server_answers::codes;
use super::signatures::s;

fn input(name: &str) -> Value {
    vector("platforms.json", name)
}

fn run<S: AsRef<OsStr>>(args: &[S], code: i32) -> String {
    let a = bin().args(args).assert().code(code);
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn report<S: AsRef<OsStr>>(args: &[S], code: i32) -> Value {
    let o = run(args, code);
    serde_json::from_str(o.trim()).unwrap_or_else(|e| panic!("{o}: {e}"))
}

/// `head` followed by the flags of a vector's input fields.
fn command(head: &[&str], v: &Value) -> Vec<String> {
    let mut out: Vec<String> = head.iter().map(|a| a.to_string()).collect();
    for (flag, key) in [
        ("--appid", "appid"),
        ("--session-key", "session_key"),
        ("--iv", "iv"),
        ("--data", "encrypted_data"),
    ] {
        if let Some(text) = v[key].as_str() {
            out.push(flag.to_string());
            out.push(text.to_string());
        }
    }
    out
}

#[test]
fn baidu_chosen_and_detected() {
    let v = input("Baidu: the documentation's vector, chosen");
    let detected = report(
        &command(&["decrypt", "--json", "--now", "1700000100"], &v),
        0,
    );
    assert_eq!(s(&detected, "platform"), "baidu");
    assert_eq!(codes(&detected), ["platform.detected"]);
    assert_eq!(detected["data"]["nickname"], "baidu_user");

    let mut other = v.clone();
    other["appid"] = json!("17033528");
    let chosen = command(&["decrypt", "--json", "--platform", "baidu"], &other);
    let r = report(&chosen, 1);
    assert_eq!(codes(&r), ["app_key.mismatch"]);
    assert_eq!(s(&r, "platform"), "baidu");
    // The human text names the platform and leaves WeChat's samples out.
    let text_args: Vec<&String> = chosen.iter().filter(|a| *a != "--json").collect();
    let text = run(&text_args, 1);
    assert!(text.contains("Platform: Baidu"), "{text}");
    assert!(
        !text.contains("Official SDK") && !text.contains("PHP sample"),
        "{text}"
    );
}

#[test]
fn alipays_answer_from_a_file_and_a_wrong_key() {
    let v = input("Alipay: my.getPhoneNumber's answer, detected");
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("answer.json");
    std::fs::write(&answer, s(&v, "encrypted_data")).unwrap();
    let path = answer.to_str().unwrap();
    let key = s(&v, "session_key");
    let r = report(&["decrypt", "--json", "--session-key", key, path], 0);
    // The file is the answer: its response is the data, and Alipay is what it says.
    assert_eq!(s(&r, "platform"), "alipay");
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert_eq!(r["data"]["mobile"], "13700137000");
    let wrong = "AAAAAAAAAAAAAAAAAAAAAA==";
    let r = report(&["decrypt", "--json", "--session-key", wrong, path], 1);
    assert_eq!(codes(&r), ["key.mismatch", "padding.invalid"]);
    let zh = run(
        &["--lang", "zh-CN", "decrypt", "--session-key", wrong, path],
        1,
    );
    assert!(
        zh.contains("平台：支付宝") && zh.contains("接口内容加密"),
        "{zh}"
    );
}

#[test]
fn a_saved_case_keeps_its_platform_and_passes_check() {
    let v = input("Baidu phone number (mobile)");
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("baidu.wxcase.json");
    let case_s = case.to_str().unwrap();
    run(
        &command(&["decrypt", "--platform", "baidu", "--save", case_s], &v),
        0,
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
    assert_eq!(saved["input"]["platform"], "baidu");
    assert_eq!(saved["expect"]["data"]["mobile"], "15000000000");
    run(&["check", case_s], 0);
    // The same inputs read as WeChat's fail: the case's platform is what makes it pass.
    let mut wechat = saved.clone();
    wechat["input"]["platform"] = json!("wechat");
    std::fs::write(&case, serde_json::to_string(&wechat).unwrap()).unwrap();
    run(&["check", case_s], 1);
    // decrypt reads the platform from the case file.
    std::fs::write(&case, serde_json::to_string(&saved).unwrap()).unwrap();
    let r = report(&["decrypt", "--json", case_s], 0);
    assert_eq!(s(&r, "platform"), "baidu");
}

#[test]
fn batch_reads_every_line_as_the_platform_given() {
    let v = input("Baidu phone number (mobile)");
    let line = json!({"appid": v["appid"], "session_key": v["session_key"], "iv": v["iv"], "data": v["encrypted_data"]});
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("in.jsonl");
    std::fs::write(&jsonl, format!("{line}\n{line}\n")).unwrap();
    let out = run(
        &[
            "batch",
            "--platform",
            "baidu",
            "--now",
            "1700000100",
            jsonl.to_str().unwrap(),
        ],
        0,
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert_eq!(l["ok"], true, "{l}");
        assert_eq!(l["platform"], "baidu");
        assert_eq!(l["data"]["mobile"], "15000000000");
    }
    let out = run(
        &[
            "batch",
            "--platform",
            "baidu",
            "--fields",
            "ok,platform",
            jsonl.to_str().unwrap(),
        ],
        0,
    );
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first, json!({"line": 1, "ok": true, "platform": "baidu"}));
}

#[test]
fn usage_errors_and_snippets_of_other_schemes() {
    let a = bin()
        .args(["decrypt", "--platform", "weibo", "--data", "x"])
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("wechat") && err.contains("alipay"), "{err}");
    let v = input("Baidu phone number (mobile)");
    let argv = command(
        &["snippet", "--language", "python", "--platform", "baidu"],
        &v,
    );
    let a = bin().args(&argv).assert().code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Baidu"), "{err}");
    assert!(a.get_output().stdout.is_empty());
    // QQ and Douyin payloads are WeChat's scheme: the program is written.
    let v = input("QQ user info, chosen");
    let argv = command(&["snippet", "--language", "python", "--platform", "qq"], &v);
    assert!(run(&argv, 0).contains("AES"));
}

#[test]
fn encrypt_as_baidu_and_alipay_then_decrypt_as_them() {
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("phone.json");
    std::fs::write(&payload, r#"{"mobile":"15000000000"}"#).unwrap();
    let p = payload.to_str().unwrap();
    let key24 = "YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJi";
    let app_key = "AppKeyOfTheSmartProgram000000001";
    let out = report(
        &[
            "encrypt",
            "--platform",
            "baidu",
            "--session-key",
            key24,
            "--appid",
            app_key,
            p,
        ],
        0,
    );
    let (iv, data) = (s(&out, "iv"), s(&out, "encryptedData"));
    let r = report(
        &[
            "decrypt",
            "--json",
            "--platform",
            "baidu",
            "--appid",
            app_key,
            "--session-key",
            key24,
            "--iv",
            iv,
            "--data",
            data,
        ],
        0,
    );
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert_eq!(r["data"]["mobile"], "15000000000");
    // A 16-byte key is not Baidu's: a usage error naming both lengths.
    let a = bin()
        .args([
            "encrypt",
            "--platform",
            "baidu",
            "--session-key",
            "YWFhYWFhYWFhYWFhYWFhYQ==",
            p,
        ])
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("24") && err.contains("16"), "{err}");

    let key16 = "YWFhYWFhYWFhYWFhYWFhYQ==";
    let out = report(
        &["encrypt", "--platform", "alipay", "--session-key", key16, p],
        0,
    );
    assert!(out.get("iv").is_none(), "Alipay sends no iv: {out}");
    let answer = json!({"response": s(&out, "encryptedData"), "sign": "x"}).to_string();
    let r = report(
        &[
            "decrypt",
            "--json",
            "--session-key",
            key16,
            "--data",
            &answer,
        ],
        0,
    );
    assert_eq!(s(&r, "platform"), "alipay");
    assert_eq!(r["data"]["mobile"], "15000000000");
}
