//! WeChat server answers given to `decrypt` and `explain`: the errcode named with its cause
//! (`server.*`), a getPhoneNumber code told by its shape (`input.phone_code`).

use serde_json::Value;

use super::scan::bin;

fn json(args: &[&str], stdin: &str, code: i32) -> Value {
    let a = bin().args(args).write_stdin(stdin).assert().code(code);
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{out}: {e}"))
}

pub(crate) fn codes(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

#[test]
fn decrypt_names_a_code2session_error_instead_of_missing_fields() {
    let r = json(
        &["decrypt", "--json"],
        r#"{"errcode":40163,"errmsg":"code been used, rid: 65f0"}"#,
        1,
    );
    assert_eq!(r["ok"], false);
    assert_eq!(codes(&r), ["server.code_used"]);
    // A text with neither payload nor error is still a usage error.
    bin()
        .args(["decrypt"])
        .write_stdin("nothing here")
        .assert()
        .code(2);
}

#[test]
fn a_phone_code_in_the_key_field_is_named() {
    let r = json(
        &[
            "decrypt",
            "--json",
            "--session-key",
            "e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144",
            "--iv",
            "r7BXXKkLb8qrSNn05n0qiA==",
            "--data",
            "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS",
        ],
        "",
        1,
    );
    assert_eq!(codes(&r)[0], "input.phone_code");
}

#[test]
fn explain_json_gives_the_errcodes_cause() {
    let r = json(
        &[
            "explain",
            "--json",
            r#"resp={"errcode":87009,"errmsg":"invalid signature"}"#,
        ],
        "",
        0,
    );
    assert_eq!(r["matches"][0]["symptom"], "server_answer");
    assert_eq!(
        r["matches"][0]["causes"][0]["code"],
        "server.invalid_signature"
    );
}

#[test]
fn scan_lists_the_server_errors_of_a_capture() {
    use super::scan::entry;
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let entries = vec![
        entry(
            "GET",
            "https://api.weixin.qq.com/sns/jscode2session?appid=wx0123456789abcdef&secret=S3CR3T&js_code=C&grant_type=authorization_code",
            json!([]),
            None,
            json!({"mimeType": "application/json",
                   "text": r#"{"errcode":40029,"errmsg":"invalid code, rid: 6569"}"#}),
        ),
        entry(
            "GET",
            "https://api.example.com/health",
            json!([]),
            None,
            json!({"mimeType": "application/json", "text": "{\"errcode\":0,\"errmsg\":\"ok\"}"}),
        ),
    ];
    let doc = json!({"log": {"version": "1.2", "entries": entries}});
    std::fs::write(dir.path().join("c.har"), doc.to_string()).unwrap();
    let a = bin()
        .current_dir(dir.path())
        .args(["scan", "c.har"])
        .assert()
        .code(0);
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("WeChat servers answered errors 1 time(s)"),
        "{out}"
    );
    assert!(
        out.contains("c.har#0: errcode 40029 invalid code, rid: 6569 — WeChat: invalid code (40029) (server.invalid_code)"),
        "{out}"
    );
    assert!(!out.contains("S3CR3T"), "the secret stays masked: {out}");
}
