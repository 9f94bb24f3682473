//! Message pushes and Pay notifications outside the Inspect view: the key ring's new kinds of key
//! (`keyring add`), `scan` finding them in a HAR and opening them with the ring, and `serve`
//! answering them as the official handlers do (`success`, the echostr, `{"code":"SUCCESS"}`), on
//! the Python-made vectors of tests/vectors.

use std::path::Path;

use serde_json::{Value, json};
use wxdecrypt::keyring::KeyringEntry;

use super::envelopes::vector;
use super::scan::{bin, entry};
use super::serve::{enc, post, start, wait_events};

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

/// The query string WeChat sends with a push (the echostr percent-encoded).
fn push_query(m: &Value) -> String {
    let mut q = format!(
        "msg_signature={}&timestamp={}&nonce={}",
        s(m, "msg_signature"),
        s(m, "timestamp"),
        s(m, "nonce")
    );
    if m["echostr"] == true {
        q.push_str(&format!("&echostr={}", enc(s(m, "encrypt"))));
    }
    q
}

fn output(args: &[&str], dir: &Path, code: i32) -> String {
    let out = bin().current_dir(dir).args(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
        + &String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// `keyring add` tells the kind from the key; the ring holding other kinds is format 2.
fn ring_with_both(dir: &Path) {
    let push = vector("msg.json", "official WeCom push");
    let payment = vector("pay.json", "payment");
    let out = output(
        &[
            "keyring",
            "add",
            s(&push, "encoding_aes_key"),
            "--token",
            s(&push, "token"),
            "--receive-id",
            s(&push, "receive_id"),
            "--label",
            "WeCom",
        ],
        dir,
        0,
    );
    assert!(out.contains("jWmY…2B2C"), "masked: {out}");
    assert!(!out.contains(s(&push, "encoding_aes_key")), "{out}");
    output(
        &["keyring", "add", s(&payment, "key"), "--label", "merchant"],
        dir,
        0,
    );
}

#[test]
fn keyring_add_tells_the_kind_of_key_and_list_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    ring_with_both(dir.path());
    output(
        &["keyring", "add", "tiihtNczf5v6AKRyjwEUhQ=="],
        dir.path(),
        0,
    );
    let ring: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("wxdecrypt-keyring.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ring["wxdecrypt_keyring"], 2);
    assert_eq!(ring["keys"][0]["token"], "QDG6eK");
    assert_eq!(ring["keys"][0]["receive_id"], "wx5823bf96d3bd56c7");
    assert_eq!(
        ring["keys"][1]["apiv3_key"],
        "WechatPayAPIv3Key000000000000000"
    );
    assert_eq!(ring["keys"][2]["session_key"], "tiihtNczf5v6AKRyjwEUhQ==");
    let list = output(&["keyring", "list"], dir.path(), 0);
    let kinds: Vec<&str> = ["EncodingAESKey", "APIv3 key", "session_key"]
        .into_iter()
        .filter(|k| list.contains(k))
        .collect();
    assert_eq!(kinds.len(), 3, "{list}");
    assert!(list.contains("token=…"), "the token masked: {list}");
    assert!(!list.contains("QDG6eK"), "{list}");
    // A token goes with an EncodingAESKey only; a key of no known shape is refused.
    let out = output(
        &[
            "keyring",
            "add",
            "0123456789abcdefghijklmnopqrstuv",
            "--token",
            "t",
        ],
        dir.path(),
        2,
    );
    assert!(out.contains("go with an EncodingAESKey only"), "{out}");
    let out = output(&["keyring", "add", "short"], dir.path(), 2);
    assert!(out.contains("an EncodingAESKey (43 characters)"), "{out}");
}

/// A HAR of the traffic a backend receives: a push, the URL check, a payment notification, and a
/// request with nothing encrypted.
fn har(dir: &Path) -> std::path::PathBuf {
    let push = vector("msg.json", "official WeCom push");
    let check = vector("msg.json", "official WeCom URL check");
    let payment = vector("pay.json", "payment");
    let post = |mime: &str, text: &str| Some(json!({"mimeType": mime, "text": text}));
    let answer = json!({"mimeType": "text/plain", "text": "success"});
    let entries = vec![
        entry(
            "POST",
            &format!("https://backend.example.com/wecom?{}", push_query(&push)),
            json!([]),
            post("text/xml", s(&push, "body")),
            answer.clone(),
        ),
        entry(
            "GET",
            &format!("https://backend.example.com/wecom?{}", push_query(&check)),
            json!([]),
            None,
            answer.clone(),
        ),
        entry(
            "POST",
            "https://backend.example.com/pay/notify",
            json!([]),
            post("application/json", s(&payment, "body")),
            json!({"mimeType": "application/json", "text": "{\"code\":\"SUCCESS\"}"}),
        ),
        entry(
            "GET",
            "https://backend.example.com/health",
            json!([]),
            None,
            answer,
        ),
    ];
    let path = dir.join("backend.har");
    let doc = json!({"log": {"version": "1.2", "entries": entries}});
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

fn scan_lines(dir: &Path, code: i32) -> Vec<Value> {
    let out = bin()
        .current_dir(dir)
        .args(["scan", "--json", "--now", "1700000000", "backend.har"])
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn scan_finds_pushes_and_notifications_and_opens_them_with_the_ring() {
    let dir = tempfile::tempdir().unwrap();
    har(dir.path());
    // Without keys: each is found and named, none opens (exit 1).
    let lines = scan_lines(dir.path(), 1);
    let found: Vec<(&str, bool, &str)> = lines
        .iter()
        .map(|l| {
            (
                s(l, "payload"),
                l["ok"] == true,
                l["codes"][0].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("message", false, "input.missing"),
            ("message", false, "input.missing"),
            ("pay", false, "input.missing")
        ]
    );
    // With the ring: all three open, each with its kind, official code and the key named.
    ring_with_both(dir.path());
    let lines = scan_lines(dir.path(), 0);
    let got: Vec<(&str, &str, Value, Value)> = lines
        .iter()
        .map(|l| {
            (
                s(l, "payload"),
                s(l, "kind"),
                l["official_code"].clone(),
                l["key_from"].clone(),
            )
        })
        .collect();
    let ring = |index: u64, label: &str| json!({"from": "keyring", "index": index, "label": label});
    assert_eq!(
        got,
        [
            ("message", "message", json!(0), ring(0, "WeCom")),
            ("message", "echostr", json!(0), ring(0, "WeCom")),
            ("pay", "pay_transaction", Value::Null, ring(1, "merchant")),
        ]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["ok"] == true && l["codes"] == json!([]))
    );
    assert_eq!(lines[2]["data"]["amount"]["total"], 1);
    assert_eq!(lines[0]["source"]["entry"], 0);
    // The table names them too.
    let table = output(
        &["scan", "--now", "1700000000", "backend.har"],
        dir.path(),
        0,
    );
    for kind in [
        "Pushed message",
        "text · hello",
        "URL check (echostr)",
        "Payment notification",
        "¥0.01 · ORDER-1",
        "keyring:merchant",
    ] {
        assert!(table.contains(kind), "{kind}: {table}");
    }
}

#[test]
fn serve_answers_pushes_and_notifications_like_the_official_handlers() {
    let push = vector("msg.json", "official WeCom push");
    let check = vector("msg.json", "official WeCom URL check");
    let payment = vector("pay.json", "payment");
    let aes = KeyringEntry::from_key(
        s(&push, "encoding_aes_key"),
        Some(s(&push, "token")),
        Some(s(&push, "receive_id")),
        Some("WeCom"),
        None,
    )
    .unwrap();
    let v3 = KeyringEntry::from_key(s(&payment, "key"), None, None, None, None).unwrap();
    let (server, events) = start(vec![aes, v3]);
    let addr = server.addr();

    let a = post(
        addr,
        &format!("/wecom?{}", push_query(&push)),
        "text/xml",
        s(&push, "body").as_bytes(),
    );
    assert_eq!((a.status, a.text.as_str()), (200, "success"));
    assert!(a.head.contains("Content-Type: text/plain"), "{}", a.head);

    // The URL check is a GET with no body: the answer is the decrypted echostr (the WeCom
    // documentation's sample).
    let a = post(
        addr,
        &format!("/wecom?{}", push_query(&check)),
        "text/plain",
        b"",
    );
    assert_eq!((a.status, a.text.as_str()), (200, "1616140317555161061"));

    let a = post(
        addr,
        "/pay/notify",
        "application/json",
        s(&payment, "body").as_bytes(),
    );
    assert_eq!(
        (a.status, a.body.clone()),
        (200, json!({"code": "SUCCESS"}))
    );

    // A notification whose associated_data was changed: refused as WeChat Pay reads a refusal,
    // with the cause.
    let other = vector("pay.json", "refund");
    let tampered = s(&other, "body").replace(
        "\"associated_data\": \"refund\"",
        "\"associated_data\": \"transaction\"",
    );
    assert_ne!(tampered, s(&other, "body"));
    let a = post(addr, "/pay/notify", "application/json", tampered.as_bytes());
    assert_eq!(a.status, 422, "{}", a.text);
    assert_eq!(a.body["code"], "FAIL");
    assert_eq!(a.body["error"]["code"], "pay.associated_data_mismatch");
    assert!(
        a.head
            .contains("X-Wxdecrypt-Codes: pay.associated_data_mismatch"),
        "{}",
        a.head
    );

    let evs = wait_events(&events, 4);
    // Workers report events as they finish: compared in a fixed order.
    let mut kinds: Vec<String> = evs
        .iter()
        .map(|e| json!([e.ok, e.kind]).to_string())
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            r#"[false,"pay_refund"]"#,
            r#"[true,"echostr"]"#,
            r#"[true,"message"]"#,
            r#"[true,"pay_transaction"]"#
        ]
    );
    server.stop();
}
