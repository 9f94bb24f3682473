//! Signatures against tests/vectors/signature.json, made with Python's hashlib / hmac / json by
//! tools/make_signature_vectors.py (the first vectors and encrypted_msg_hash are the WeChat
//! documentation's examples): the verdict, the variant and form, and the exact codes (primary
//! first) of each.

use serde_json::Value;
use wxdecrypt::opendata::Input;
use wxdecrypt::signature::{
    self, SignatureKind, SignatureRequest, decoded_hash, encrypted_msg_hash, session_signature,
    user_info_signature,
};
use wxdecrypt::{Lang, Options};

fn vectors() -> Value {
    let path = format!(
        "{}/tests/vectors/signature.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("json")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

#[test]
fn the_documentations_examples() {
    let v = vectors();
    let doc = &v["vectors"][0]["input"];
    assert_eq!(
        user_info_signature(s(doc, "message"), s(doc, "session_key")),
        "75e81ceda165f4ffa64f4068af58c64b8f54b88c"
    );
    assert_eq!(
        session_signature("o0q0otL8aEzpcZL/FT9WsQ==", r#"{"foo":"bar"}"#),
        "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b"
    );
    let h = &v["encrypted_msg_hash"];
    assert_eq!(encrypted_msg_hash(s(h, "encrypted_data")), s(h, "hash"));
    assert_eq!(
        decoded_hash(s(h, "encrypted_data")).as_deref(),
        Some(s(h, "decoded_hash"))
    );
    assert_ne!(s(h, "hash"), s(h, "decoded_hash"));
}

#[test]
fn every_vector_gives_its_verdict_variant_and_codes() {
    let v = vectors();
    let all = v["vectors"].as_array().expect("vectors");
    assert!(all.len() >= 40);
    for vector in all {
        let name = s(vector, "name");
        let input = &vector["input"];
        let expect = &vector["expect"];
        let paired = input.get("paired").map(|p| Input {
            appid: s(p, "appid").into(),
            session_key: String::new(),
            iv: s(p, "iv").into(),
            encrypted_data: s(p, "encrypted_data").into(),
        });
        let kind = match s(input, "kind") {
            "user_info" => SignatureKind::UserInfo,
            _ => SignatureKind::Session,
        };
        let req = SignatureRequest {
            kind,
            session_key: s(input, "session_key"),
            message: s(input, "message"),
            signature: Some(s(input, "signature")),
            paired: paired.as_ref(),
        };
        for lang in [Lang::En, Lang::ZhCn] {
            let r = signature::check(&req, &Options::new(1_700_000_000, lang));
            assert_eq!(r.ok, expect["ok"] == true, "{name}: {:?}", r.codes());
            let codes: Vec<&str> = expect["codes"]
                .as_array()
                .expect("codes")
                .iter()
                .map(|c| c.as_str().unwrap_or_default())
                .collect();
            assert_eq!(r.codes(), codes, "{name}");
            let json = serde_json::to_value(&r).expect("serializes");
            assert_eq!(json["variant"], expect["variant"], "{name}");
            assert_eq!(
                json.get("variant_form").cloned().unwrap_or(Value::Null),
                expect["form"],
                "{name}"
            );
            let computable = !s(input, "session_key").is_empty()
                && (kind == SignatureKind::Session || !s(input, "message").is_empty());
            if computable {
                assert_eq!(
                    r.expected.as_deref().map(str::len),
                    Some(match kind {
                        SignatureKind::UserInfo => 40,
                        SignatureKind::Session => 64,
                    }),
                    "{name}"
                );
            }
            for f in &r.findings {
                assert!(!f.message.is_empty() && !f.hint.is_empty(), "{name}: {f:?}");
                assert!(!f.message.contains('{'), "{name}: unfilled {}", f.message);
            }
        }
    }
}

#[test]
fn without_a_signature_the_expected_one_is_computed() {
    let req = SignatureRequest {
        kind: SignatureKind::Session,
        session_key: "o0q0otL8aEzpcZL/FT9WsQ==",
        message: r#"{"foo":"bar"}"#,
        signature: None,
        paired: None,
    };
    let r = signature::check(&req, &Options::new(0, Lang::En));
    assert!(r.ok && r.findings.is_empty());
    assert_eq!(
        r.expected.as_deref(),
        Some("654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b")
    );
}
