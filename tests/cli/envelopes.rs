//! `wxdecrypt msg` and `wxdecrypt pay`: exit codes, the `--json` contract, reading a raw request,
//! a URL or a body, and `--encrypt` output that the inspectors open again.

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::cargo_bin("wxdecrypt").expect("binary built");
    c.env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    c
}

fn run(args: &[&str], stdin: &str, code: i32) -> String {
    let out = bin().args(args).write_stdin(stdin).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

fn json(args: &[&str], stdin: &str, code: i32) -> Value {
    let out = run(args, stdin, code);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{out}: {e}"))
}

/// The input of the vector `name` in tests/vectors/`file` (the vector files share one shape).
pub(crate) fn vector(file: &str, name: &str) -> Value {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))["input"]
        .clone()
}

const CONTRACT: [&str; 7] = [
    "ok",
    "kind",
    "official_code",
    "plaintext",
    "data",
    "findings",
    "repairs",
];

fn has_contract(v: &Value) {
    for key in CONTRACT {
        assert!(v.get(key).is_some(), "--json lacks {key}: {v}");
    }
}

#[test]
fn msg_reads_the_official_push_as_a_raw_request() {
    let i = vector("msg.json", "official WeCom push");
    let request = format!(
        "POST /cgi-bin/wxpush?msg_signature={}&timestamp={}&nonce={} HTTP/1.1\r\nHost: qy.weixin.qq.com\r\n\r\n{}",
        i["msg_signature"].as_str().unwrap(),
        i["timestamp"].as_str().unwrap(),
        i["nonce"].as_str().unwrap(),
        i["body"].as_str().unwrap()
    );
    let v = json(
        &[
            "msg",
            "--encoding-aes-key",
            i["encoding_aes_key"].as_str().unwrap(),
            "--token",
            "QDG6eK",
            "--receive-id",
            "wx5823bf96d3bd56c7",
            "--json",
            "-",
        ],
        &request,
        0,
    );
    has_contract(&v);
    assert_eq!(v["ok"], true);
    assert_eq!(v["kind"], "message");
    assert_eq!(v["official_code"], 0);
    assert_eq!(v["data"]["Content"], "hello");
    assert_eq!(v["receive_id"], "wx5823bf96d3bd56c7");
    assert_eq!(v["findings"], Value::Array(vec![]));
}

#[test]
fn msg_url_check_from_a_url_names_the_transport_and_the_official_code() {
    // '+' sent unencoded in the URL: the framework hands the handler spaces.
    let url = "https://example.com/cb?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ%3D%3D";
    let args = [
        "msg",
        "--aes-key",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "--token",
        "QDG6eK",
        "--receive-id",
        "wx5823bf96d3bd56c7",
        "--json",
    ];
    let v = json(&args, url, 0);
    assert_eq!(v["kind"], "echostr");
    assert_eq!(v["reply"], "1616140317555161061");
    assert_eq!(v["official_code"], -40001);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["repair.plus_as_space"]);
}

#[test]
fn msg_exit_codes() {
    let i = vector("msg.json", "wrong EncodingAESKey");
    let human = run(
        &[
            "msg",
            "--aes-key",
            i["encoding_aes_key"].as_str().unwrap(),
            "--token",
            "QDG6eK",
            "--receive-id",
            "wx5823bf96d3bd56c7",
            "--msg-signature",
            i["msg_signature"].as_str().unwrap(),
            "--timestamp",
            i["timestamp"].as_str().unwrap(),
            "--nonce",
            i["nonce"].as_str().unwrap(),
            "--data",
            i["encrypt"].as_str().unwrap(),
        ],
        "",
        1,
    );
    assert!(human.starts_with("✘ Not decrypted. The EncodingAESKey does not decrypt"));
    assert!(
        human.contains("returns -40005 (ValidateAppidError)"),
        "{human}"
    );
    assert!(human.contains("msg.key_mismatch"));
    bin()
        .args(["msg", "/nonexistent/push.xml"])
        .assert()
        .code(2);
    bin()
        .args(["msg", "--encrypt", "--aes-key", "short", "-"])
        .write_stdin("<xml/>")
        .assert()
        .code(2);
}

#[test]
fn msg_encrypt_makes_a_push_that_msg_opens() {
    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let common = [
        "--aes-key",
        key,
        "--token",
        "t0k",
        "--receive-id",
        "wx0123456789abcdef",
    ];
    let mut args = vec!["msg", "--encrypt", "--json"];
    args.extend(common);
    args.push("-");
    let sealed = json(&args, "<xml><Content><![CDATA[测试]]></Content></xml>\n", 0);
    let request = format!(
        "POST /push?{} HTTP/1.1\r\n\r\n{}",
        sealed["query"].as_str().unwrap(),
        sealed["body"].as_str().unwrap()
    );
    let mut args = vec!["msg", "--json"];
    args.extend(common);
    let v = json(&args, &request, 0);
    assert_eq!(v["data"]["Content"], "测试");
    assert_eq!(v["expected_signature"], sealed["msg_signature"]);
    // An echostr for the URL check.
    let mut args = vec!["msg", "--encrypt", "--echostr-mode", "--json"];
    args.extend(common);
    args.push("-");
    let sealed = json(&args, "8822735427271\n", 0);
    let url = format!("https://x/cb?{}", sealed["query"].as_str().unwrap());
    let mut args = vec!["msg", "--json"];
    args.extend(common);
    let v = json(&args, &url, 0);
    assert_eq!(
        (v["kind"].as_str(), v["reply"].as_str()),
        (Some("echostr"), Some("8822735427271"))
    );
}

#[test]
fn pay_round_trip_exit_codes_and_json() {
    let key = "WechatPayAPIv3Key000000000000000";
    let resource = r#"{"transaction_id":"4200000001","out_trade_no":"ORDER-9","trade_state":"SUCCESS","amount":{"total":8800}}"#;
    let note = run(
        &[
            "pay",
            "--encrypt",
            "--apiv3-key",
            key,
            "--nonce",
            "abcdefghijkl",
            "-",
        ],
        resource,
        0,
    );
    let v = json(&["pay", "--apiv3-key", key, "--json", "-"], &note, 0);
    has_contract(&v);
    assert_eq!(v["kind"], "pay_transaction");
    assert_eq!(v["official_code"], Value::Null);
    assert_eq!(v["data"]["amount"]["total"], 8800);
    assert_eq!(v["reply"], r#"{"code":"SUCCESS"}"#);
    let other = "WechatPayAPIv2Key111111111111111";
    let v = json(&["pay", "--apiv3-key", other, "--json", "-"], &note, 1);
    assert_eq!(v["findings"][0]["code"], "pay.key_mismatch");
    assert_eq!(
        v["official"][0]["says"],
        "javax.crypto.AEADBadTagException: Tag mismatch"
    );
    let human = run(
        &["pay", "--key", key, "--associated-data", "refund", "-"],
        &note,
        1,
    );
    assert!(human.contains("pay.associated_data_mismatch"), "{human}");
    bin().args(["pay", "-"]).write_stdin("{").assert().code(1);
    bin()
        .args(["pay", "--encrypt", "--apiv3-key", "short", "-"])
        .write_stdin("{}")
        .assert()
        .code(2);
}

#[test]
fn pay_apiv2_refund_from_the_xml() {
    let i = vector("pay.json", "APIv2 refund");
    let v = json(
        &[
            "pay",
            "--api-key",
            i["key"].as_str().unwrap(),
            "--json",
            "-",
        ],
        i["body"].as_str().unwrap(),
        0,
    );
    assert_eq!(v["kind"], "pay_v2_refund");
    assert_eq!(v["data"]["out_refund_no"], "R-1");
}

#[test]
fn msg_and_pay_save_cases_that_check_re_runs() {
    let dir = tempfile::tempdir().unwrap();
    let push = dir.path().join("push.wxcase.json");
    let i = vector("msg.json", "official WeCom push");
    let url = format!(
        "POST /p?msg_signature={}&timestamp={}&nonce={} HTTP/1.1\r\n\r\n{}",
        i["msg_signature"].as_str().unwrap(),
        i["timestamp"].as_str().unwrap(),
        i["nonce"].as_str().unwrap(),
        i["body"].as_str().unwrap()
    );
    let key = i["encoding_aes_key"].as_str().unwrap();
    let p = push.to_str().unwrap();
    run(
        &[
            "msg",
            "--aes-key",
            key,
            "--token",
            "QDG6eK",
            "--receive-id",
            "wx5823bf96d3bd56c7",
            "--save",
            p,
            "-",
        ],
        &url,
        0,
    );
    let note = dir.path().join("pay.wxcase.json");
    let n = vector("pay.json", "APIv2 key used");
    run(
        &[
            "pay",
            "--apiv3-key",
            n["key"].as_str().unwrap(),
            "--save",
            note.to_str().unwrap(),
            "-",
        ],
        n["body"].as_str().unwrap(),
        1,
    );
    let out = run(&["check", dir.path().to_str().unwrap()], "", 0);
    assert!(out.contains("2 passed, 0 failed"), "{out}");
    // The saved Pay case expects the key mismatch; with the right key it now fails, and says so.
    let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&note).unwrap()).unwrap();
    assert_eq!(c["input"]["kind"], "pay");
    assert_eq!(c["expect"]["codes"][0], "pay.key_mismatch");
    c["input"]["pay"]["key"] = Value::from("WechatPayAPIv3Key000000000000000");
    std::fs::write(&note, c.to_string()).unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()], "", 1);
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert!(out.contains("FAIL"), "{out}");
}
