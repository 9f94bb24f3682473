//! `wxdecrypt signature`, `session-signature` and `hash`: exit codes, the `--json` contract
//! (`ok`, `expected`, `variant`, `findings`), `@FILE` arguments, on the documentation's examples
//! and the Python-made vectors (tests/vectors/signature.json).

use serde_json::Value;

use super::scan::bin;

fn vectors() -> Value {
    let path = format!(
        "{}/tests/vectors/signature.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn vector(name: &str) -> Value {
    super::envelopes::vector("signature.json", name)
}

pub(crate) fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

fn out(args: &[&str], code: i32) -> String {
    let a = bin().args(args).assert().code(code);
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn json(args: &[&str], code: i32) -> Value {
    let o = out(args, code);
    serde_json::from_str(o.trim()).unwrap_or_else(|e| panic!("{o}: {e}"))
}

#[test]
fn the_documentations_user_info_signature_matches_from_a_file() {
    let v = vector("doc: user info");
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.json");
    std::fs::write(&raw, s(&v, "message")).unwrap();
    let at = format!("@{}", raw.display());
    let args = [
        "signature",
        "--session-key",
        s(&v, "session_key"),
        "--raw-data",
        &at,
        "--signature",
        s(&v, "signature"),
        "--json",
    ];
    let r = json(&args, 0);
    assert_eq!(r["ok"], true);
    assert_eq!(r["expected"], "75e81ceda165f4ffa64f4068af58c64b8f54b88c");
    assert_eq!(r["variant"], Value::Null);
    assert_eq!(r["findings"], serde_json::json!([]));
    let human = out(&args[..args.len() - 1], 0);
    assert!(
        human.starts_with("✔ The user-info signature (sha1) matches."),
        "{human}"
    );
}

#[test]
fn a_reserialized_raw_data_is_named_with_its_form() {
    let v = vector("Chinese rawData: php");
    let r = json(
        &[
            "signature",
            "--session-key",
            s(&v, "session_key"),
            "--raw-data",
            s(&v, "message"),
            "--signature",
            s(&v, "signature"),
            "--json",
        ],
        1,
    );
    assert_eq!(r["ok"], false);
    assert_eq!(r["variant"], "reserialized");
    assert_eq!(r["variant_form"], "php");
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["signature.variant"]);
}

#[test]
fn a_stale_key_is_told_by_the_encrypted_data_sent_with_it() {
    let v = vector("stale key");
    let p = &v["paired"];
    let r = json(
        &[
            "signature",
            "--session-key",
            s(&v, "session_key"),
            "--raw-data",
            s(&v, "message"),
            "--signature",
            s(&v, "signature"),
            "--encrypted-data",
            s(p, "encrypted_data"),
            "--iv",
            s(p, "iv"),
            "--appid",
            s(p, "appid"),
            "--json",
        ],
        1,
    );
    assert_eq!(r["findings"][0]["code"], "signature.key_mismatch");
    assert_eq!(r["findings"][1]["code"], "signature.mismatch");
}

#[test]
fn session_signature_prints_the_hmac_and_names_the_decoded_key() {
    let v = vector("doc: checkSession keyed with the decoded key");
    let key = s(&v, "session_key");
    let body = s(&v, "message");
    // Without a signature: the HMAC alone, for scripts.
    assert_eq!(
        out(
            &["session-signature", "--session-key", key, "--body", body],
            0
        ),
        "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b\n"
    );
    let r = json(
        &[
            "session-signature",
            "--session-key",
            key,
            "--body",
            body,
            "--signature",
            s(&v, "signature"),
            "--json",
        ],
        1,
    );
    assert_eq!(r["kind"], "session");
    assert_eq!(r["variant"], "decoded_key");
    // A GET has no body.
    let get = vector("GET: empty body");
    out(
        &[
            "session-signature",
            "--session-key",
            key,
            "--signature",
            s(&get, "signature"),
        ],
        0,
    );
}

#[test]
fn hash_prints_the_documentations_encrypted_msg_hash() {
    let v = vectors();
    let h = &v["encrypted_msg_hash"];
    assert_eq!(
        out(&["hash", "--data", s(h, "encrypted_data")], 0).trim(),
        s(h, "hash")
    );
    let r = json(&["hash", "--data", s(h, "encrypted_data"), "--json"], 0);
    assert_eq!(r["encrypted_msg_hash"], s(h, "hash"));
    assert_eq!(r["decoded_sha256"], s(h, "decoded_hash"));
    out(&["hash", "--data", "  "], 2);
}

#[test]
fn usage_errors_exit_2() {
    out(&["signature", "--session-key", "k", "--raw-data", "{}"], 2);
    out(
        &[
            "signature",
            "--session-key",
            "k",
            "--raw-data",
            "@/nonexistent/raw.json",
            "--signature",
            "00",
        ],
        2,
    );
}
