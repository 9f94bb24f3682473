//! The message-push inspector on arbitrary fields (split at line breaks; the rest is the body):
//! never panics; `ok` means decrypted text; spans stay inside the fields they point at; and a
//! message sealed the official way with a key made from the input opens again, whole.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::msg::{self, MsgInput, SealRequest};
use wxdecrypt::{Field, Lang, Options};

const NOW: i64 = 1_700_000_000;

fn field_text(m: &MsgInput, f: Field) -> Option<&str> {
    Some(match f {
        Field::EncodingAesKey => &m.encoding_aes_key,
        Field::Token => &m.token,
        Field::ReceiveId => &m.receive_id,
        Field::MsgSignature => &m.msg_signature,
        // Encrypt spans point into the body's Encrypt when it came from the body.
        Field::Encrypt if !m.encrypt.trim().is_empty() => &m.encrypt,
        _ => return None,
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(8, '\n');
    let mut next = || parts.next().unwrap_or("").to_string();
    let input = MsgInput {
        encoding_aes_key: next(),
        token: next(),
        receive_id: next(),
        msg_signature: next(),
        timestamp: next(),
        nonce: next(),
        encrypt: next(),
        body: next(),
        echostr: data.first().is_some_and(|b| b & 1 == 1),
    };
    let r = msg::inspect_message(&input, &Options::new(NOW, Lang::En));
    if r.ok {
        assert!(r.plaintext.is_some());
    }
    for f in &r.findings {
        if let (Some([s, e]), Some(t)) = (f.span, field_text(&input, f.field)) {
            assert!(s <= e && e <= t.chars().count(), "{:?} {s}..{e}", f.code);
        }
    }
    // Round trip: a 32-byte key from the input, its text as the message.
    let mut key = [0u8; 32];
    for (i, b) in data.iter().take(32).enumerate() {
        key[i] = *b;
    }
    let key43 = wxdecrypt::opendata::normalize::encode(&key)
        .trim_end_matches('=')
        .to_string();
    let message = text.replace(['\r', '\n'], " ");
    let sealed = msg::seal(
        &SealRequest {
            encoding_aes_key: key43.clone(),
            token: "t".into(),
            receive_id: "wx1".into(),
            message: format!(
                "<xml><C><![CDATA[{}]]></C></xml>",
                message.replace("]]>", "")
            ),
            random: Some([7; 16]),
            ..SealRequest::default()
        },
        NOW,
    )
    .expect("a 32-byte key seals");
    let back = msg::inspect_message(
        &MsgInput {
            encoding_aes_key: key43,
            token: "t".into(),
            receive_id: "wx1".into(),
            msg_signature: sealed.msg_signature,
            timestamp: sealed.timestamp,
            nonce: sealed.nonce,
            body: sealed.body,
            ..MsgInput::default()
        },
        &Options::new(NOW, Lang::En),
    );
    assert!(back.ok, "{:?}", back.codes());
    assert_eq!(back.official_code, Some(0));
});
