//! The Pay inspector on arbitrary fields (split at line breaks; the rest is the body): never
//! panics; `ok` means decrypted text; spans stay inside the fields they point at; and a
//! notification sealed with a key made from the input opens again to exactly its text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::pay::{self, PayInput, SealRequest};
use wxdecrypt::{Field, Lang, Options};

const NOW: i64 = 1_700_000_000;

fn field_text(p: &PayInput, f: Field) -> Option<&str> {
    Some(match f {
        Field::ApiV3Key | Field::ApiKey => &p.key,
        Field::Nonce if p.body.trim().is_empty() => &p.nonce,
        Field::AssociatedData if p.body.trim().is_empty() => &p.associated_data,
        Field::Algorithm if p.body.trim().is_empty() => &p.algorithm,
        Field::Ciphertext if p.body.trim().is_empty() => &p.ciphertext,
        _ => return None,
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(6, '\n');
    let mut next = || parts.next().unwrap_or("").to_string();
    let input = PayInput {
        key: next(),
        ciphertext: next(),
        nonce: next(),
        associated_data: next(),
        algorithm: next(),
        body: next(),
        v2: data.first().is_some_and(|b| b & 1 == 1),
        ..PayInput::default()
    };
    let r = pay::inspect_pay(&input, &Options::new(NOW, Lang::En));
    if r.ok {
        assert!(r.plaintext.is_some());
    }
    for f in &r.findings {
        if let (Some([s, e]), Some(t)) = (f.span, field_text(&input, f.field)) {
            assert!(s <= e && e <= t.chars().count(), "{:?} {s}..{e}", f.code);
        }
    }
    // Round trip: 32 printable characters from the input as the key.
    let key: String = data
        .iter()
        .map(|b| char::from(b'!' + b % 94))
        .chain(std::iter::repeat('k'))
        .take(32)
        .collect();
    let plain = serde_json::json!({ "out_trade_no": text }).to_string();
    for aad in ["transaction", ""] {
        let body = pay::seal(
            &SealRequest {
                key: key.clone(),
                plaintext: plain.clone(),
                nonce: "0123456789ab".into(),
                associated_data: aad.into(),
                ..SealRequest::default()
            },
            NOW,
        )
        .expect("a 32-character key seals");
        let back = pay::inspect_pay(
            &PayInput {
                key: key.clone(),
                body: body.to_string(),
                ..PayInput::default()
            },
            &Options::new(NOW, Lang::En),
        );
        assert!(back.ok, "{:?}", back.codes());
        assert_eq!(back.plaintext.as_deref(), Some(plain.as_str()));
    }
});
