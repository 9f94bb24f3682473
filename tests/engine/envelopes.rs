//! The message-push and Pay inspectors against their vectors (tests/vectors/msg.json, pay.json,
//! made with Python/pycryptodome by tools/make_envelope_vectors.py; the first two message vectors
//! are the WeCom documentation's sample), their sealers against an independent implementation
//! (tests/official/envelope.py), and the `official_code` model against the PHP sample's logic run
//! by php (tests/official/msg_sample.php).

use proptest::prelude::*;
use serde_json::{Value, json};
use wxdecrypt::envelope::EnvelopeReport;
use wxdecrypt::msg::{self, MsgInput};
use wxdecrypt::pay::{self, PayInput};
use wxdecrypt::{Lang, Options};

use super::vectors::load;

pub(crate) fn opts(lang: Lang) -> Options {
    Options::new(1_700_000_000, lang)
}

pub(crate) fn msg_vectors() -> Vec<(String, MsgInput, Value)> {
    load("msg.json")["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let input: MsgInput = serde_json::from_value(v["input"].clone()).unwrap();
            (
                v["name"].as_str().unwrap().to_string(),
                input,
                v["expect"].clone(),
            )
        })
        .collect()
}

pub(crate) fn pay_vectors() -> Vec<(String, PayInput, Value)> {
    load("pay.json")["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let input: PayInput = serde_json::from_value(v["input"].clone()).unwrap();
            (
                v["name"].as_str().unwrap().to_string(),
                input,
                v["expect"].clone(),
            )
        })
        .collect()
}

/// The verdict, kind and exact codes (in report order: the primary first) of a vector.
fn check_common(name: &str, r: &EnvelopeReport, expect: &Value) {
    let codes: Vec<&str> = expect["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(r.codes(), codes, "{name}: codes");
    assert_eq!(r.ok, expect["ok"].as_bool().unwrap(), "{name}: ok");
    let kind = serde_json::to_value(r.kind).unwrap();
    assert_eq!(kind, expect["kind"], "{name}: kind");
    if r.ok {
        assert!(r.plaintext.is_some(), "{name}: ok without plaintext");
        assert!(r.reply.is_some(), "{name}: accepted without a reply");
    } else {
        assert!(r.reply.is_none(), "{name}: a reply to what is not accepted");
    }
    for f in &r.findings {
        assert!(!f.message.is_empty() && !f.hint.is_empty(), "{name}: texts");
    }
}

#[test]
fn message_vectors_give_their_codes_official_code_and_receive_id() {
    for (name, input, expect) in msg_vectors() {
        for lang in [Lang::En, Lang::ZhCn] {
            let r = msg::inspect_message(&input, &opts(lang));
            check_common(&name, &r, &expect);
            assert_eq!(
                r.official_code.map(i64::from),
                expect["official_code"].as_i64(),
                "{name}: official_code"
            );
            if let Some(rid) = expect.get("receive_id") {
                assert_eq!(r.receive_id.as_deref(), rid.as_str(), "{name}: receive id");
            }
        }
    }
}

#[test]
fn the_official_wecom_sample_decrypts_to_its_documented_message() {
    let (_, input, _) = msg_vectors().remove(0);
    let r = msg::inspect_message(&input, &opts(Lang::En));
    let data = r.data.expect("data");
    assert_eq!(data["Content"], "hello");
    assert_eq!(data["MsgId"], "4561255354251345929");
    assert_eq!(r.reply.as_deref(), Some("success"));
    let (_, echo, _) = msg_vectors().remove(1);
    let r = msg::inspect_message(&echo, &opts(Lang::En));
    assert_eq!(r.plaintext.as_deref(), Some("1616140317555161061"));
    assert_eq!(r.reply.as_deref(), Some("1616140317555161061"));
}

#[test]
fn pay_vectors_give_their_codes_and_associated_data() {
    for (name, input, expect) in pay_vectors() {
        for lang in [Lang::En, Lang::ZhCn] {
            let r = pay::inspect_pay(&input, &opts(lang));
            check_common(&name, &r, &expect);
            assert_eq!(r.official_code, None, "{name}: Pay has no numeric code");
            if let Some(aad) = expect.get("associated_data") {
                assert_eq!(r.associated_data.as_deref(), aad.as_str(), "{name}: aad");
            }
        }
    }
}

#[test]
fn a_wrong_associated_data_still_shows_the_data_and_names_the_right_one() {
    let (_, input, _) = pay_vectors()
        .into_iter()
        .find(|(n, _, _)| n == "associated_data hard-coded")
        .unwrap();
    let r = pay::inspect_pay(&input, &opts(Lang::En));
    assert_eq!(
        r.data.as_ref().unwrap()["refund_id"],
        "50000000382019052709732678859"
    );
    let f = r.primary().unwrap();
    assert!(f.message.contains("\"refund\"") && f.message.contains("\"transaction\""));
}

/// Runs `program script` in tests/official over JSON lines; one JSON object back per line.
fn run(program: &str, script: &str, lines: &[Value]) -> Vec<Value> {
    super::official::run_script(program, &[script], lines)
}

#[test]
fn the_official_code_model_agrees_with_the_php_samples_logic() {
    let vectors = msg_vectors();
    let lines: Vec<Value> = vectors
        .iter()
        .map(|(_, i, _)| serde_json::to_value(i).unwrap())
        .collect();
    let codes = run("php", "msg_sample.php", &lines);
    for ((name, input, _), php) in vectors.iter().zip(codes) {
        let r = msg::inspect_message(input, &opts(Lang::En));
        assert_eq!(
            r.official_code.map(i64::from),
            php["code"].as_i64(),
            "{name}: the PHP sample returned {php}"
        );
    }
}

const KEY43: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const V3: &str = "0123456789abcdefghijABCDEFGHIJ+/";

#[test]
fn what_the_sealers_make_opens_in_an_independent_implementation() {
    let messages = [
        "<xml><Content><![CDATA[你好 🍊]]></Content></xml>",
        "{\"MsgType\":\"event\",\"Event\":\"subscribe_msg_popup_event\"}",
        "x",
        &"长".repeat(100),
    ];
    let mut lines = Vec::new();
    let mut expected = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let sealed = msg::seal(
            &msg::SealRequest {
                encoding_aes_key: KEY43.into(),
                token: "tok".into(),
                receive_id: "wx0123456789abcdef".into(),
                message: (*m).into(),
                echostr: false,
                timestamp: String::new(),
                nonce: String::new(),
                random: None,
            },
            1_700_000_000 + i as i64,
        )
        .unwrap();
        lines.push(
            json!({"type": "msg", "encoding_aes_key": KEY43, "token": "tok",
            "timestamp": sealed.timestamp, "nonce": sealed.nonce, "encrypt": sealed.encrypt,
            "msg_signature": sealed.msg_signature}),
        );
        expected.push(json!({"signature_ok": true, "message": m,
            "receive_id": "wx0123456789abcdef", "padded_to_32": true}));
        for aad in ["transaction", ""] {
            let body = pay::seal(
                &pay::SealRequest {
                    key: V3.into(),
                    plaintext: (*m).into(),
                    nonce: String::new(),
                    associated_data: aad.into(),
                    event_type: String::new(),
                    v2: false,
                },
                1_700_000_000,
            )
            .unwrap();
            let res = &body["resource"];
            lines.push(json!({"type": "pay", "key": V3, "nonce": res["nonce"],
                "associated_data": aad, "ciphertext": res["ciphertext"]}));
            expected.push(json!({"plaintext": m}));
        }
    }
    let back = run("python3", "envelope.py", &lines);
    assert_eq!(back, expected);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pushes_round_trip(
        key in proptest::array::uniform32(any::<u8>()),
        message in "\\PC{0,200}",
        rid in "[a-z0-9_]{0,24}",
        token in "[A-Za-z0-9]{1,32}",
    ) {
        let key43 = wxdecrypt::opendata::normalize::encode(&key);
        let key43 = key43.trim_end_matches('=').to_string();
        let sealed = msg::seal(&msg::SealRequest {
            encoding_aes_key: key43.clone(), token: token.clone(), receive_id: rid.clone(),
            message: format!("<xml><C><![CDATA[{message}]]></C></xml>"), ..Default::default()
        }, 1_700_000_000).unwrap();
        let input = MsgInput {
            encoding_aes_key: key43, token, receive_id: rid.clone(),
            msg_signature: sealed.msg_signature, timestamp: sealed.timestamp, nonce: sealed.nonce,
            body: sealed.body, ..Default::default()
        };
        let r = msg::inspect_message(&input, &opts(Lang::En));
        prop_assert!(r.ok, "{:?}", r.codes());
        prop_assert_eq!(r.receive_id.as_deref(), Some(rid.as_str()));
        prop_assert_eq!(r.official_code, Some(0));
    }

    #[test]
    fn notifications_round_trip(
        key in "[!-~]{32}",
        text in "\\PC{0,200}",
        aad in proptest::sample::select(vec!["transaction", "refund", "certificate", ""]),
    ) {
        let plain = json!({"out_trade_no": text}).to_string();
        let body = pay::seal(&pay::SealRequest {
            key: key.clone(), plaintext: plain.clone(), associated_data: aad.into(), ..Default::default()
        }, 1_700_000_000).unwrap();
        let r = pay::inspect_pay(&PayInput { key, body: body.to_string(), ..Default::default() }, &opts(Lang::En));
        prop_assert!(r.ok, "{:?}", r.codes());
        prop_assert_eq!(r.plaintext.as_deref(), Some(plain.as_str()));
    }

    #[test]
    fn envelopes_never_panic(
        a in "\\PC{0,80}", b in "[A-Za-z0-9+/= %<>{}\"]{0,120}", c in "\\PC{0,40}", echostr in any::<bool>(),
    ) {
        let m = MsgInput { encoding_aes_key: a.clone(), token: c.clone(), msg_signature: c.clone(),
            timestamp: "1".into(), nonce: "2".into(), encrypt: b.clone(), echostr, body: a.clone(), ..Default::default() };
        let r = msg::inspect_message(&m, &opts(Lang::En));
        prop_assert!(!r.ok || r.plaintext.is_some());
        let p = PayInput { key: c.clone(), ciphertext: b.clone(), nonce: a.clone(), body: b, ..Default::default() };
        let r = pay::inspect_pay(&p, &opts(Lang::En));
        prop_assert!(!r.ok || r.plaintext.is_some());
    }
}

#[test]
fn message_and_pay_cases_round_trip_through_their_files_and_re_run() {
    use wxdecrypt::case::{self, Case, CaseInput, InputKind};
    let (_, push, _) = msg_vectors().remove(0);
    let (_, note, _) = pay_vectors().remove(0);
    let o = opts(Lang::En);
    for (input, report) in [
        (
            CaseInput::from_message(&push),
            msg::inspect_message(&push, &o),
        ),
        (CaseInput::from_pay(&note), pay::inspect_pay(&note, &o)),
    ] {
        let kind = input.kind;
        let c = Case::from_envelope("c", "", input, &report, 1_700_000_000);
        let text = case::case_json(&c);
        let back = case::parse_case(&text, std::path::Path::new("c.wxcase.json")).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.input.kind, kind);
        let v: Value = serde_json::from_str(&text).unwrap();
        let expected_kind = if kind == InputKind::Message {
            "message"
        } else {
            "pay"
        };
        assert_eq!(v["input"]["kind"], expected_kind);
        assert_eq!(v["expect"]["kind"], json!(report.kind));
        let r = case::check_case(&back, &o);
        assert!(r.passed, "{:?}", r.diffs);
    }
    // The same push with another key fails, and says why.
    let mut wrong = push.clone();
    wrong.encoding_aes_key = KEY43.into();
    let c = Case::from_envelope(
        "c",
        "",
        CaseInput::from_message(&push),
        &msg::inspect_message(&push, &o),
        1_700_000_000,
    );
    let mut edited = c.clone();
    edited.input.message = Some(wrong);
    let r = case::check_case(&edited, &o);
    assert!(!r.passed);
    assert!(r.diffs[0].contains("msg.key_mismatch"), "{:?}", r.diffs);
    // A file written before these kinds (no "kind") is still open data.
    let old = r#"{"wxdecrypt_case":1,"name":"o","input":{"appid":"","session_key":"","iv":"","encrypted_data":""},"expect":{"ok":false,"codes":["input.missing"]}}"#;
    let old = case::parse_case(old, std::path::Path::new("o")).unwrap();
    assert_eq!(old.input.kind, InputKind::OpenData);
    assert!(!case::case_json(&old).contains("\"kind\""));
}

/// Found by the `msg` fuzz target: a message full of control characters, sealed with the right
/// key, was blamed on the key (the text did not read as text). The frame's length field and
/// receive id now vouch for the key.
#[test]
fn a_message_of_control_characters_is_not_blamed_on_the_key() {
    let message = format!("<xml><C><![CDATA[{}]]></C></xml>", "\0".repeat(120));
    let sealed = msg::seal(
        &msg::SealRequest {
            encoding_aes_key: KEY43.into(),
            token: "t".into(),
            receive_id: "wx1".into(),
            message: message.clone(),
            random: Some([7; 16]),
            ..Default::default()
        },
        1_700_000_000,
    )
    .unwrap();
    let r = msg::inspect_message(
        &MsgInput {
            encoding_aes_key: KEY43.into(),
            token: "t".into(),
            receive_id: "wx1".into(),
            msg_signature: sealed.msg_signature,
            timestamp: sealed.timestamp,
            nonce: sealed.nonce,
            body: sealed.body,
            ..Default::default()
        },
        &opts(Lang::En),
    );
    assert_eq!(r.codes(), Vec::<&str>::new());
    assert!(r.ok);
    assert_eq!(r.plaintext.as_deref(), Some(message.as_str()));
}

#[test]
fn empty_envelope_fields_say_where_their_values_come_from() {
    let r = msg::inspect_message(&MsgInput::default(), &opts(Lang::En));
    assert_eq!(
        r.codes(),
        ["input.missing", "input.missing", "msg.signature_unchecked"]
    );
    for f in r
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "input.missing")
    {
        assert!(
            f.hint.contains("console") && !f.hint.contains("e.detail"),
            "{}",
            f.hint
        );
    }
    let (_, spaced, _) = msg_vectors()
        .into_iter()
        .find(|(n, _, _)| n == "echostr with + as spaces")
        .unwrap();
    let r = msg::inspect_message(&spaced, &opts(Lang::En));
    assert!(
        !r.findings[0].hint.contains("wx.request"),
        "{}",
        r.findings[0].hint
    );
    let r = pay::inspect_pay(&PayInput::default(), &opts(Lang::ZhCn));
    assert_eq!(
        r.codes(),
        ["input.missing", "input.missing", "input.missing"]
    );
    assert!(r.findings.iter().all(|f| f.hint.contains("后台")));
}
