//! The `wxdecrypt` command line: exit codes, `--json`, cases, encrypt and batch.

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::cargo_bin("wxdecrypt").expect("binary built");
    c.env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    c
}

/// Runs the binary, checks its exit code and returns its standard output.
fn run(args: &[&str], code: i32) -> Vec<u8> {
    bin()
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone()
}

fn run_with_stdin(args: &[&str], stdin: impl Into<Vec<u8>>, code: i32) -> Vec<u8> {
    let out = bin()
        .args(args)
        .write_stdin(stdin.into())
        .assert()
        .code(code);
    out.get_output().stdout.clone()
}

fn vectors_dir() -> String {
    format!("{}/tests/vectors", env!("CARGO_MANIFEST_DIR"))
}

fn demo_path() -> String {
    format!("{}/official_demo.json", vectors_dir())
}

fn demo() -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo_path()).unwrap()).unwrap()
}

fn json_out(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn decrypt_json_on_the_seed_demo_prints_the_user_info() {
    let out = run(
        &["decrypt", "--json", "--now", "1700000000", &demo_path()],
        0,
    );
    let v = json_out(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["kind"], "user_info");
    assert_eq!(v["official_code"], 0);
    assert_eq!(v["data"], demo()["data"]);
    assert_eq!(v["data"]["nickName"], "Band");
    assert!(v["suggested_iv"].is_null());
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn decrypt_from_flags_with_wrong_key_exits_1_with_key_mismatch() {
    let d = demo();
    let out = bin()
        .args([
            "decrypt",
            "--json",
            "--appid",
            d["appid"].as_str().unwrap(),
            "--session-key",
            "AAAAAAAAAAAAAAAAAAAAAA==",
            "--iv",
            d["iv"].as_str().unwrap(),
            "--data",
            d["encrypted_data"].as_str().unwrap(),
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_out(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["official_code"], -41003);
    assert_eq!(v["findings"][0]["code"], "key.mismatch");
    assert!(v["data"].is_null());
    // What each backend logs (tests/engine/official.rs holds these to the real runtimes).
    assert_eq!(
        v["official"],
        serde_json::json!({
            "php": {"ok": false, "code": -41003},
            "node": {"ok": false, "exception": "Error", "message": "Illegal Buffer"},
            "python": {"ok": false, "exception": "UnicodeDecodeError", "message": v["official"]["python"]["message"]},
            "java": {"ok": false, "exception": "javax.crypto.BadPaddingException", "message": "Given final block not properly padded. Such issues can arise if a bad key is used during decryption."},
        })
    );
}

/// `explain`: an error text → its meaning and causes; 0 when recognised, 1 when not, 2 without a
/// message.
#[test]
fn explain_names_the_causes_of_an_error_text() {
    let out = run(
        &[
            "--lang",
            "en",
            "explain",
            "--json",
            "javax.crypto.BadPaddingException: Given final block not properly padded",
        ],
        0,
    );
    let v = json_out(&out);
    assert_eq!(v["recognized"], true);
    let symptoms: Vec<&str> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["symptom"].as_str().unwrap())
        .collect();
    assert_eq!(symptoms, ["bad_padding"]);
    assert_eq!(
        v["matches"][0]["said_by"],
        serde_json::json!(["Java (JCE)"])
    );
    assert_eq!(v["matches"][0]["causes"][0]["code"], "key.mismatch");
    // A leading '-' is a message, not an option.
    let v = json_out(&run(&["explain", "-41003", "--json"], 0));
    assert_eq!(v["matches"][0]["symptom"], "illegal_buffer");
    let text = String::from_utf8(run_with_stdin(
        &["--lang", "en", "explain", "-"],
        "ValueError: Incorrect AES key length (18 bytes)",
        0,
    ))
    .unwrap();
    assert!(
        text.contains("session_key has the wrong length (key.length)"),
        "{text}"
    );
    assert!(text.contains("Written by: Python (pycryptodome)"), "{text}");
    let v = json_out(&run(&["explain", "--json", "all good"], 1));
    assert_eq!(v, serde_json::json!({"recognized": false, "matches": []}));
    run(&["explain"], 2);
}

#[test]
fn decrypt_reads_a_query_string_from_stdin() {
    let d = demo();
    let body = format!(
        "encryptedData={}&iv={}&sessionKey={}",
        d["encrypted_data"].as_str().unwrap().replace('+', "%2B"),
        d["iv"].as_str().unwrap(),
        d["session_key"].as_str().unwrap()
    );
    let out = run_with_stdin(&["decrypt", "--json", "-"], body, 0);
    let v = json_out(&out);
    assert_eq!(v["data"]["nickName"], "Band");
    // No appid given: the watermark could not be checked.
    assert_eq!(v["findings"][0]["code"], "watermark.appid_unchecked");
}

#[test]
fn human_output_lists_what_each_backend_logs() {
    let out = run(
        &[
            "--lang",
            "en",
            "decrypt",
            "--now",
            "1700000000",
            &demo_path(),
        ],
        0,
    );
    let text = String::from_utf8(out).unwrap();
    for line in [
        "What your backend logs:",
        "  ✔ PHP sample (WXBizDataCrypt): returns 0 (OK)",
        "  ✔ Node.js sample (WXBizDataCrypt.js): no error",
        "  ✔ Python sample (WXBizDataCrypt.py, pycryptodome): no error",
        "  ✔ Java (javax.crypto AES/CBC/PKCS5Padding, java.util.Base64): no error",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} in {text}");
    }
}

#[test]
fn human_output_has_verdict_data_hint_and_official_code() {
    let d = demo();
    let out = bin()
        .args([
            "decrypt",
            "--session-key",
            d["session_key"].as_str().unwrap(),
            "--iv",
            "AAAAAAAAAAAAAAAAAAAAAA==",
            "--data",
            d["encrypted_data"].as_str().unwrap(),
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(s.starts_with("✘ Not decrypted."), "{s}");
    assert!(s.contains("iv.mismatch"), "{s}");
    assert!(s.contains("-41003 (IllegalBuffer)"), "{s}");
    assert!(s.contains("fix: "), "{s}");
}

#[test]
fn chinese_output_with_lang_flag() {
    let out = run(
        &[
            "--lang",
            "zh-CN",
            "decrypt",
            "--now",
            "1700000000",
            &demo_path(),
        ],
        0,
    );
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains("解密成功"), "{s}");
}

#[test]
fn usage_errors_exit_2() {
    bin().args(["decrypt", "--bogus"]).assert().code(2);
    bin()
        .args(["decrypt", "/no/such/file.json"])
        .assert()
        .code(2);
    bin()
        .args(["--lang", "fr", "decrypt", &demo_path()])
        .assert()
        .code(2);
    bin()
        .args(["decrypt", "-"])
        .write_stdin("nothing useful here")
        .assert()
        .code(2);
}

#[test]
fn save_then_check_passes_and_a_tampered_case_fails() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("demo.wxcase.json");
    bin()
        .args(["decrypt", "--save", good.to_str().unwrap(), &demo_path()])
        .assert()
        .code(0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&good).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let case: Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap()).unwrap();
    assert_eq!(case["wxdecrypt_case"], 1);
    assert_eq!(case["name"], "demo");
    assert_eq!(case["expect"]["ok"], true);
    assert_eq!(case["expect"]["kind"], "user_info");

    let out = run(&["check", dir.path().to_str().unwrap()], 0);
    let s = String::from_utf8(out).unwrap();
    assert_eq!(s.lines().last(), Some("1 passed, 0 failed"), "{s}");

    // A case whose expectation no longer holds.
    let mut bad = case.clone();
    bad["name"] = "wrong nickname".into();
    bad["expect"]["data"]["nickName"] = "Someone".into();
    let sub = dir.path().join("nested");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("bad.wxcase.json"),
        serde_json::to_string_pretty(&bad).unwrap(),
    )
    .unwrap();
    // And a malformed file, which is skipped without stopping the run.
    std::fs::write(dir.path().join("broken.wxcase.json"), "{\n  \"name\": ,\n}").unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()], 1);
    let s = String::from_utf8(out).unwrap();
    assert!(s.contains("FAIL wrong nickname"), "{s}");
    assert!(s.contains("$.nickName"), "{s}");
    assert!(s.contains("broken.wxcase.json:2:"), "{s}");
    assert_eq!(
        s.lines().last(),
        Some("1 passed, 1 failed, 1 skipped"),
        "{s}"
    );
}

#[test]
fn failing_expectation_case_passes_when_the_codes_appear() {
    let dir = tempfile::tempdir().unwrap();
    let d = demo();
    let case = serde_json::json!({
        "wxdecrypt_case": 1,
        "name": "stale key",
        "input": {"appid": d["appid"], "session_key": "AAAAAAAAAAAAAAAAAAAAAA==", "iv": d["iv"], "encrypted_data": d["encrypted_data"]},
        "expect": {"ok": false, "codes": ["key.mismatch"]}
    });
    let p = dir.path().join("stale.wxcase.json");
    std::fs::write(&p, case.to_string()).unwrap();
    bin().args(["check", p.to_str().unwrap()]).assert().code(0);
}

#[test]
fn check_with_no_cases_fails() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1);
}

#[test]
fn encrypt_then_decrypt_round_trips() {
    let payload =
        r#"{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":"86"}"#;
    let out = run_with_stdin(
        &[
            "encrypt",
            "--session-key",
            "MTIzNDU2Nzg5MGFiY2RlZg==",
            "--appid",
            "wx0123456789abcdef",
            "--timestamp",
            "1700000000",
        ],
        payload,
        0,
    );
    let enc = json_out(&out);
    assert!(
        enc.get("sessionKey").is_none(),
        "key was given, not generated"
    );
    let out = bin()
        .args([
            "decrypt",
            "--json",
            "--now",
            "1700000100",
            "--appid",
            "wx0123456789abcdef",
            "--session-key",
            "MTIzNDU2Nzg5MGFiY2RlZg==",
            "--iv",
            enc["iv"].as_str().unwrap(),
            "--data",
            enc["encryptedData"].as_str().unwrap(),
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v = json_out(&out);
    assert_eq!(v["kind"], "phone_number");
    assert_eq!(v["data"]["watermark"]["timestamp"], 1_700_000_000);
    assert_eq!(v["watermark"]["age_seconds"], 100);
}

#[test]
fn encrypt_without_key_prints_the_generated_key() {
    let out = run_with_stdin(&["encrypt", "--no-watermark"], "{\"a\":1}", 0);
    let enc = json_out(&out);
    let key = enc["sessionKey"].as_str().unwrap();
    let r = wxdecrypt::inspect(
        &wxdecrypt::Input::new(
            "",
            key,
            enc["iv"].as_str().unwrap(),
            enc["encryptedData"].as_str().unwrap(),
        ),
        &wxdecrypt::Options::new(0, wxdecrypt::Lang::En),
    );
    assert_eq!(r.plaintext.as_deref(), Some("{\"a\":1}"));
    bin()
        .args(["encrypt", "--session-key", "short"])
        .write_stdin("x")
        .assert()
        .code(2);
    bin()
        .args(["encrypt", "--session-key", "MTIzNDU2Nzg5MGFiY2RlZg=="])
        .write_stdin("{bad json")
        .assert()
        .code(2);
}

#[test]
fn batch_keeps_order_and_reports_each_line() {
    let d = demo();
    let good = serde_json::json!({"id": "a", "encryptedData": d["encrypted_data"], "iv": d["iv"], "sessionKey": d["session_key"]});
    let bad_key = serde_json::json!({"id": "b", "encryptedData": d["encrypted_data"], "iv": d["iv"], "sessionKey": "AAAAAAAAAAAAAAAAAAAAAA=="});
    let nested = serde_json::json!({"detail": {"encryptedData": d["encrypted_data"], "iv": d["iv"]}, "session_key": d["session_key"]});
    let mut input = String::new();
    for i in 0..300 {
        let v = match i % 3 {
            0 => &good,
            1 => &bad_key,
            _ => &nested,
        };
        input.push_str(&v.to_string());
        input.push('\n');
    }
    input.push_str("not json\n\n");
    let out = bin()
        .args([
            "batch",
            "--threads",
            "2",
            "--appid",
            "wx4f4bc4dec97d474b",
            "--now",
            "1700000000",
        ])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 301);
    for (i, v) in lines.iter().take(300).enumerate() {
        assert_eq!(v["line"], i + 1);
        match i % 3 {
            0 => {
                assert_eq!(v["id"], "a");
                assert_eq!(v["ok"], true);
                assert!(v["findings"].as_array().unwrap().is_empty());
            }
            1 => {
                assert_eq!(v["id"], "b");
                assert_eq!(v["findings"][0]["code"], "key.mismatch");
            }
            _ => assert_eq!(v["data"]["nickName"], "Band"),
        }
    }
    assert_eq!(lines[300]["line"], 301);
    assert!(lines[300]["error"].as_str().unwrap().contains("line 301"));
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(
        summary.contains("301 payloads: 200 ok, 100 not ok, 1 unreadable"),
        "{summary}"
    );
}

#[test]
fn batch_writes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = demo();
    let input = dir.path().join("in.jsonl");
    let output = dir.path().join("out.jsonl");
    let line = serde_json::json!({"encrypted_data": d["encrypted_data"], "iv": d["iv"], "session_key": d["session_key"], "appid": d["appid"]});
    std::fs::write(&input, format!("{line}\n{line}\n")).unwrap();
    bin()
        .args([
            "batch",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&output).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().all(|l| json_out(l.as_bytes())["ok"] == true));
}
