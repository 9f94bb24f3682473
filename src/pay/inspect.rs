//! The Pay pipeline: body → algorithm, key, nonce → ciphertext (repaired, decoded) → verify the
//! tag → when it fails, read the text from the keystream alone to tell a wrong key (noise) from a
//! wrong associated_data (one of the usual ones verifies) or an altered tag or ciphertext.

use serde_json::Value;

use super::gcm::{self, KEY_BYTES, NONCE_BYTES, TAG_BYTES};
use super::input::{BodyError, PayInput};
use super::official::{self, Outcome};
use super::v2;
use crate::envelope::inspection::{Cx, reads_as_text};
use crate::envelope::{EnvelopeKind, EnvelopeReport};
use crate::finding::{Code, Field, Finding, Span};
use crate::opendata::Options;
use crate::opendata::cipher::{Padding, check_pkcs7};
use crate::opendata::normalize::{LenRule, decode_field};

/// The algorithm every APIv3 notification names.
pub const ALGORITHM: &str = "AEAD_AES_256_GCM";

/// The associated data WeChat Pay uses, tried when the given one fails.
pub const USUAL_ASSOCIATED_DATA: [&str; 7] = [
    "transaction",
    "refund",
    "certificate",
    "",
    "payscore",
    "complaint",
    "profitsharing",
];

impl Cx {
    /// Ends the inspection: what the SDKs say, the findings in order, the verdict.
    fn done(mut self, outcome: Outcome) -> EnvelopeReport {
        self.report.official = official::says(outcome);
        self.report.finish();
        self.report
    }
}

fn span_of(s: &str) -> Option<Span> {
    Some([0, s.chars().count()])
}

/// Inspects one Pay notification. Never panics, whatever the input.
pub fn inspect_pay(given: &PayInput, opts: &Options) -> EnvelopeReport {
    let mut cx = Cx::new(opts.lang);
    let mut input = given.clone();
    if !given.body.trim().is_empty() {
        match input.fill_from_body(&given.body) {
            Ok(()) => {}
            Err(BodyError::Syntax { offset }) => {
                let at = offset.to_string();
                cx.push(Code::PayBodyInvalid, Field::Body, None, &[("offset", &at)]);
                return cx.done(Outcome::NotRun);
            }
            Err(BodyError::NoResource) => {
                let mut f = Finding::new(cx.lang, Code::PayBodyInvalid, Field::Body, None, &[]);
                f.message = cx.lang.tr("code.pay.body_invalid.message_resource").into();
                cx.report.findings.push(f);
                return cx.done(Outcome::NotRun);
            }
        }
    }
    if input.v2 {
        cx.report.kind = Some(EnvelopeKind::PayV2Refund);
        return inspect_v2(cx, &input);
    }
    cx.report.kind = Some(kind_of(&input, None));
    let algorithm = input.algorithm.trim();
    if !algorithm.is_empty() && algorithm != ALGORITHM {
        cx.push(
            Code::PayAlgorithmUnsupported,
            Field::Algorithm,
            span_of(&input.algorithm),
            &[("algorithm", algorithm)],
        );
        return cx.done(Outcome::NotRun);
    }
    let key = input.key.trim();
    let mut outcome = Outcome::NotRun;
    if key.is_empty() {
        cx.push(Code::InputMissing, Field::ApiV3Key, None, &[]);
    } else if key.len() != KEY_BYTES {
        let n = key.len().to_string();
        cx.push(
            Code::PayKeyLength,
            Field::ApiV3Key,
            span_of(&input.key),
            &[("chars", &n)],
        );
        outcome = Outcome::KeyLength(key.len());
    }
    let nonce = input.nonce.trim();
    if nonce.is_empty() {
        cx.push(Code::InputMissing, Field::Nonce, None, &[]);
    } else if nonce.len() != NONCE_BYTES {
        let n = nonce.len().to_string();
        cx.push(
            Code::PayNonceLength,
            Field::Nonce,
            span_of(&input.nonce),
            &[("bytes", &n)],
        );
        if outcome == Outcome::NotRun {
            outcome = Outcome::NonceLength(nonce.len());
        }
    }
    let data = decode_field(
        cx.lang,
        Field::Ciphertext,
        &input.ciphertext,
        LenRule::AtLeast(TAG_BYTES + 1),
        &mut cx.report.findings,
        &mut cx.report.repairs,
    );
    if let Some(bytes) = &data.bytes {
        cx.report.detail.texts.push((
            Field::Ciphertext,
            data.text_of(&input.ciphertext).to_string(),
        ));
        if bytes.len() <= TAG_BYTES {
            let n = bytes.len().to_string();
            cx.push(
                Code::PayTagMissing,
                Field::Ciphertext,
                span_of(&input.ciphertext),
                &[("bytes", &n)],
            );
            return cx.done(Outcome::AuthFailed);
        }
    }
    let (Some(ct), true) = (
        data.bytes,
        key.len() == KEY_BYTES && nonce.len() == NONCE_BYTES,
    ) else {
        return cx.done(outcome);
    };
    let (key, nonce) = (key.as_bytes(), nonce.as_bytes());
    let aad = input.associated_data.as_str();
    if let Some(plain) = gcm::open(key, nonce, aad.as_bytes(), &ct) {
        cx.report.associated_data = Some(aad.to_string());
        set_text(&mut cx, &input, &plain);
        return cx.done(Outcome::Ok);
    }
    // The tag did not verify: what does the keystream say?
    if let Some(full) = gcm::keystream(key, nonce, &ct)
        && serde_json::from_slice::<Value>(&full).is_ok_and(|v| v.is_object())
    {
        cx.push(
            Code::PayTagMissing,
            Field::Ciphertext,
            span_of(&input.ciphertext),
            &[("bytes", &ct.len().to_string())],
        );
        set_text(&mut cx, &input, &full);
        return cx.done(Outcome::AuthFailed);
    }
    let body = &ct[..ct.len() - TAG_BYTES];
    let text = gcm::keystream(key, nonce, body).unwrap_or_default();
    cx.report.detail.decrypted = text.clone();
    if !reads_as_text(&text) {
        cx.push(Code::PayKeyMismatch, Field::ApiV3Key, None, &[]);
        return cx.done(Outcome::AuthFailed);
    }
    let mut tried = vec![input.original_type.trim()];
    tried.extend(USUAL_ASSOCIATED_DATA);
    let found = tried
        .into_iter()
        .find(|c| *c != aad && gcm::open(key, nonce, c.as_bytes(), &ct).is_some());
    match found {
        Some(right) => {
            let shown_given = format!("{aad:?}");
            let shown_right = format!("{right:?}");
            cx.push(
                Code::PayAssociatedDataMismatch,
                Field::AssociatedData,
                span_of(&input.associated_data),
                &[("given", &shown_given), ("found", &shown_right)],
            );
            cx.report.associated_data = Some(right.to_string());
        }
        None => cx.push(Code::PayTagMismatch, Field::Ciphertext, None, &[]),
    }
    set_text(&mut cx, &input, &text);
    cx.done(Outcome::AuthFailed)
}

/// Records the decrypted text, its JSON and the kind it shows.
fn set_text(cx: &mut Cx, input: &PayInput, plain: &[u8]) {
    let text = String::from_utf8_lossy(plain).into_owned();
    let data = serde_json::from_str::<Value>(&text).ok();
    cx.report.kind = Some(kind_of(input, data.as_ref()));
    cx.report.data = data;
    cx.report.detail.decrypted = plain.to_vec();
    cx.report.plaintext = Some(text);
    cx.report.reply = Some(r#"{"code":"SUCCESS"}"#.to_string());
}

/// What a notification is, from its envelope, else from its content.
fn kind_of(input: &PayInput, data: Option<&Value>) -> EnvelopeKind {
    let event = input.event_type.to_ascii_uppercase();
    let original = input.original_type.to_ascii_lowercase();
    let aad = input.associated_data.to_ascii_lowercase();
    if original == "certificate" || aad == "certificate" {
        EnvelopeKind::PayCertificate
    } else if event.starts_with("TRANSACTION") {
        EnvelopeKind::PayTransaction
    } else if event.starts_with("REFUND") {
        EnvelopeKind::PayRefund
    } else if original == "transaction" {
        EnvelopeKind::PayTransaction
    } else if original == "refund" {
        EnvelopeKind::PayRefund
    } else if let Some(d) = data {
        if d.get("refund_id").is_some() {
            EnvelopeKind::PayRefund
        } else if d.get("transaction_id").is_some() || d.get("trade_state").is_some() {
            EnvelopeKind::PayTransaction
        } else if d.get("certificate").is_some() {
            EnvelopeKind::PayCertificate
        } else {
            EnvelopeKind::PayNotification
        }
    } else {
        EnvelopeKind::PayNotification
    }
}

/// An APIv2 refund's `req_info`: AES-256-ECB keyed with the md5 of the API key.
fn inspect_v2(mut cx: Cx, input: &PayInput) -> EnvelopeReport {
    let key = input.key.trim();
    let mut key_ok = false;
    if key.is_empty() {
        cx.push(Code::InputMissing, Field::ApiKey, None, &[]);
    } else if key.len() != KEY_BYTES {
        let n = key.len().to_string();
        cx.push(
            Code::PayKeyLength,
            Field::ApiKey,
            span_of(&input.key),
            &[("chars", &n)],
        );
    } else {
        key_ok = true;
    }
    let data = decode_field(
        cx.lang,
        Field::Ciphertext,
        &input.ciphertext,
        LenRule::Blocks,
        &mut cx.report.findings,
        &mut cx.report.repairs,
    );
    let Some(ct) = data.bytes else {
        return cx.done(Outcome::NotRun);
    };
    if !ct.len().is_multiple_of(16) {
        let n = ct.len().to_string();
        cx.push(
            Code::PayDataLength,
            Field::Ciphertext,
            span_of(&input.ciphertext),
            &[("bytes", &n)],
        );
        return cx.done(Outcome::NotRun);
    }
    if !key_ok {
        return cx.done(Outcome::NotRun);
    }
    let plain = v2::decrypt_raw(&v2::key_of(key), &ct).unwrap_or_default();
    cx.report.detail.decrypted = plain.clone();
    match check_pkcs7(&plain) {
        Padding::Valid { len } if reads_as_text(&plain[..plain.len() - len]) => {
            let text = String::from_utf8_lossy(&plain[..plain.len() - len]).into_owned();
            cx.report.data = crate::xml::to_json(text.trim()).ok().map(|(_, v)| v);
            cx.report.plaintext = Some(text);
            cx.report.reply =
                Some("<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>".into());
            cx.done(Outcome::Ok)
        }
        _ => {
            cx.push(Code::PayKeyMismatch, Field::ApiKey, None, &[]);
            cx.done(Outcome::BadPadding)
        }
    }
}
