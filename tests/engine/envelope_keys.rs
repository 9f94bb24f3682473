//! Message pushes and Pay notifications as they arrive at a handler (found in a request by
//! `EnvelopeInput::from_request`) and opened with the key ring's keys of their kind
//! (`pair::envelope`), on the Python-made vectors of tests/vectors (the expectations are the
//! vectors', not this code's).

use serde_json::Value;
use wxdecrypt::Lang;
use wxdecrypt::envelope::{EnvelopeInput, EnvelopeKind};
use wxdecrypt::keyring::{KeyType, KeyringEntry};
use wxdecrypt::msg::MsgInput;
use wxdecrypt::pair::KeyFrom;
use wxdecrypt::pair::envelope::pair_envelope;
use wxdecrypt::pay::PayInput;

use super::envelopes::{msg_vectors, opts, pay_vectors};

fn msg(name: &str) -> (MsgInput, Value) {
    msg_vectors()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, i, e)| (i, e))
        .unwrap_or_else(|| panic!("no message vector {name}"))
}

fn pay(name: &str) -> (PayInput, Value) {
    pay_vectors()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, i, e)| (i, e))
        .unwrap_or_else(|| panic!("no Pay vector {name}"))
}

/// The query string a push arrives with.
fn query(m: &MsgInput) -> String {
    let mut q = format!(
        "msg_signature={}&timestamp={}&nonce={}",
        m.msg_signature, m.timestamp, m.nonce
    );
    if m.echostr {
        // As WeChat sends it: percent-encoded.
        let enc: String = m
            .encrypt
            .chars()
            .map(|c| match c {
                '+' => "%2B".to_string(),
                '/' => "%2F".to_string(),
                '=' => "%3D".to_string(),
                c => c.to_string(),
            })
            .collect();
        q.push_str(&format!("&echostr={enc}"));
    }
    q
}

fn aes_entry(m: &MsgInput, label: &str) -> KeyringEntry {
    KeyringEntry::from_key(
        &m.encoding_aes_key,
        Some(&m.token),
        Some(&m.receive_id),
        Some(label),
        None,
    )
    .expect("an EncodingAESKey")
}

fn v3_entry(key: &str, label: &str) -> KeyringEntry {
    KeyringEntry::from_key(key, None, None, Some(label), None).expect("a 32-character key")
}

fn codes(r: &wxdecrypt::envelope::EnvelopeReport) -> Vec<&'static str> {
    r.codes()
}

fn expected_codes(e: &Value) -> Vec<&str> {
    e["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

#[test]
fn requests_that_carry_a_push_or_a_notification_are_told_apart() {
    let (push, _) = msg("official WeCom push");
    let q = query(&push);
    let Some(EnvelopeInput::Message(m)) = EnvelopeInput::from_request(Some(&q), &push.body) else {
        panic!("an XML push");
    };
    assert_eq!(
        (
            m.msg_signature.as_str(),
            m.timestamp.as_str(),
            m.nonce.as_str()
        ),
        (
            push.msg_signature.as_str(),
            push.timestamp.as_str(),
            push.nonce.as_str()
        )
    );
    assert!(m.encoding_aes_key.is_empty() && m.body == push.body);

    let (check, _) = msg("official WeCom URL check");
    let q = query(&check);
    let Some(EnvelopeInput::Message(m)) = EnvelopeInput::from_request(Some(&q), "") else {
        panic!("a safe-mode URL check");
    };
    assert!(m.echostr);
    assert_eq!(m.encrypt, check.encrypt, "the echostr decoded once");

    let (json_push, _) = msg("JSON body, no signature given");
    assert!(matches!(
        EnvelopeInput::from_request(None, &json_push.body),
        Some(EnvelopeInput::Message(_))
    ));
    for name in ["payment", "refund", "certificate download", "APIv2 refund"] {
        let (p, _) = pay(name);
        let Some(EnvelopeInput::Pay(found)) = EnvelopeInput::from_request(None, &p.body) else {
            panic!("{name}: a Pay body");
        };
        assert_eq!(found.body, p.body.trim(), "{name}");
        assert!(
            found.key.is_empty(),
            "{name}: a request never carries the key"
        );
    }
    // Not envelopes: the plain-mode URL check, a plain-mode message, open data, nothing.
    for (q, body) in [
        (Some("signature=abc&timestamp=1&nonce=2&echostr=hello"), ""),
        (
            None,
            "<xml><MsgType>text</MsgType><Content>hi</Content></xml>",
        ),
        (None, r#"{"encryptedData":"abc","iv":"def"}"#),
        (None, r#"{"ciphertext_hint":"no resource here"}"#),
        (None, ""),
    ] {
        assert_eq!(EnvelopeInput::from_request(q, body), None, "{q:?} {body}");
    }
}

#[test]
fn a_push_is_opened_by_the_key_ring_entry_of_its_kind() {
    let (push, expect) = msg("official WeCom push");
    let (wrong, _) = msg("wrong EncodingAESKey");
    let q = query(&push);
    let input = EnvelopeInput::from_request(Some(&q), &push.body).unwrap();
    let session = KeyringEntry::from_key("tiihtNczf5v6AKRyjwEUhQ==", None, None, None, None);
    let ring = vec![
        session.unwrap(),
        aes_entry(&wrong, "old key"),
        v3_entry("WechatPayAPIv3Key000000000000000", "pay"),
        aes_entry(&push, "WeCom"),
    ];
    assert_eq!(ring[1].key_type(), Some(KeyType::EncodingAesKey));
    let p = pair_envelope(&input, &ring, &opts(Lang::En));
    assert!(p.report.ok, "{:?}", codes(&p.report));
    assert_eq!(codes(&p.report), expected_codes(&expect));
    assert_eq!(p.report.official_code, Some(0));
    assert_eq!(p.report.kind, Some(EnvelopeKind::Message));
    assert_eq!(p.report.receive_id.as_deref(), Some("wx5823bf96d3bd56c7"));
    assert_eq!(p.report.reply.as_deref(), Some("success"));
    assert_eq!(
        p.key_from,
        Some(KeyFrom::Keyring {
            index: 3,
            label: Some("WeCom".into())
        })
    );
    assert_eq!(p.keys_tried, 2, "only the EncodingAESKeys are tried");
    let EnvelopeInput::Message(opened) = &p.input else {
        panic!("a message")
    };
    assert_eq!(opened.token, push.token, "the token came with the key");

    // Only a wrong key: the diagnosis with it, and no key named.
    let p = pair_envelope(&input, &ring[..3], &opts(Lang::En));
    assert!(!p.report.ok);
    assert_eq!(
        p.report.primary().map(|f| f.code.as_str()),
        Some("msg.key_mismatch")
    );
    assert_eq!((p.key_from, p.keys_tried), (None, 1));

    // No key at all: the input is missing, nothing tried.
    let p = pair_envelope(&input, &[], &opts(Lang::En));
    assert!(!p.report.ok);
    assert_eq!(
        p.report.primary().map(|f| f.code.as_str()),
        Some("input.missing")
    );
    assert_eq!(p.keys_tried, 0);
}

#[test]
fn the_url_check_answers_the_documented_echostr() {
    let (check, expect) = msg("official WeCom URL check");
    let q = query(&check);
    let input = EnvelopeInput::from_request(Some(&q), "").unwrap();
    let p = pair_envelope(&input, &[aes_entry(&check, "WeCom")], &opts(Lang::En));
    assert!(p.report.ok, "{:?}", codes(&p.report));
    assert_eq!(codes(&p.report), expected_codes(&expect));
    assert_eq!(p.report.kind, Some(EnvelopeKind::Echostr));
    // The WeCom documentation's sample echostr decrypts to this number.
    assert_eq!(p.report.reply.as_deref(), Some("1616140317555161061"));
}

#[test]
fn a_notification_is_opened_by_the_apiv3_key_not_the_apiv2_one() {
    let (payment, expect) = pay("payment");
    let (v2_used, v2_expect) = pay("APIv2 key used");
    let input = EnvelopeInput::from_request(None, &payment.body).unwrap();
    let ring = vec![
        v3_entry(&v2_used.key, "APIv2 key"),
        v3_entry(&payment.key, "merchant"),
    ];
    let p = pair_envelope(&input, &ring, &opts(Lang::En));
    assert!(p.report.ok);
    assert_eq!(codes(&p.report), expected_codes(&expect));
    assert_eq!(p.report.reply.as_deref(), Some(r#"{"code":"SUCCESS"}"#));
    assert_eq!(
        (p.key_from, p.keys_tried),
        (
            Some(KeyFrom::Keyring {
                index: 1,
                label: Some("merchant".into())
            }),
            2
        )
    );
    let p = pair_envelope(&input, &ring[..1], &opts(Lang::En));
    assert_eq!(codes(&p.report), expected_codes(&v2_expect));

    // An APIv2 refund is opened by the same kind of key (the merchant's API key).
    let (refund, expect) = pay("APIv2 refund");
    let input = EnvelopeInput::from_request(None, &refund.body).unwrap();
    let p = pair_envelope(&input, &[v3_entry(&refund.key, "API key")], &opts(Lang::En));
    assert!(p.report.ok, "{:?}", codes(&p.report));
    assert_eq!(codes(&p.report), expected_codes(&expect));
    assert_eq!(p.report.kind, Some(EnvelopeKind::PayV2Refund));
}
