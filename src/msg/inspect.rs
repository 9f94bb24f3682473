//! The message-push pipeline: body → signature → key and Encrypt (repaired, decoded) → decrypt →
//! frame (length, message, receive id) → root cause from the bytes → typed message.

use serde_json::Value;

use super::crypt::{self, Pad};
use super::input::{Body, MsgInput, read_body};
use super::official::{self, Received};
use crate::envelope::inspection::{Cx, reads_as_text};
use crate::envelope::{EnvelopeKind, EnvelopeReport};
use crate::finding::{Code, Field, Span};
use crate::opendata::Options;
use crate::opendata::normalize::{LenRule, decode_field};

/// The fields after the body filled what the flags left empty.
struct Resolved<'a> {
    input: &'a MsgInput,
    encrypt: Option<String>,
    /// The Encrypt came from a JSON body, which the official sample cannot read.
    from_json: bool,
    msg_signature: String,
    timestamp: String,
    nonce: String,
}

/// Inspects one message push or URL check. Never panics, whatever the input.
pub fn inspect_message(input: &MsgInput, opts: &Options) -> EnvelopeReport {
    let mut cx = Cx::new(opts.lang);
    cx.report.kind = Some(if input.echostr {
        EnvelopeKind::Echostr
    } else {
        EnvelopeKind::Message
    });
    let mut r = Resolved {
        input,
        encrypt: (!input.encrypt.trim().is_empty()).then(|| input.encrypt.clone()),
        from_json: false,
        msg_signature: input.msg_signature.trim().to_string(),
        timestamp: input.timestamp.trim().to_string(),
        nonce: input.nonce.trim().to_string(),
    };
    if r.encrypt.is_none() && !input.body.trim().is_empty() {
        match read_body(&input.body) {
            Body::Encrypted {
                encrypt,
                msg_signature,
                timestamp,
                nonce,
                xml,
                ..
            } => {
                r.encrypt = Some(encrypt);
                r.from_json = !xml;
                for (slot, v) in [
                    (&mut r.msg_signature, msg_signature),
                    (&mut r.timestamp, timestamp),
                    (&mut r.nonce, nonce),
                ] {
                    if slot.is_empty() {
                        *slot = v.unwrap_or_default();
                    }
                }
            }
            Body::Plain(fields) => {
                cx.push(Code::MsgNotEncrypted, Field::Body, None, &[]);
                cx.report.data = Some(fields);
                cx.report.plaintext = Some(input.body.trim().to_string());
                cx.report.official_code = Some(official::PARSE_XML_ERROR);
                cx.report.official = vec![official::says(official::PARSE_XML_ERROR)];
                cx.report.finish();
                return cx.report;
            }
            Body::Invalid { offset } => {
                let at = offset.to_string();
                cx.push(Code::MsgBodyInvalid, Field::Body, None, &[("offset", &at)]);
                cx.report.official_code = Some(official::PARSE_XML_ERROR);
                cx.report.official = vec![official::says(official::PARSE_XML_ERROR)];
                cx.report.finish();
                return cx.report;
            }
        }
    }
    check_signature(&mut cx, &r);
    let key = decode_key(&mut cx, &input.encoding_aes_key);
    let data = decode_encrypt(&mut cx, r.encrypt.as_deref().unwrap_or(""));
    if let (Some(key), Some(data)) = (key, data) {
        let plain = crypt::decrypt_raw(&key, &data).unwrap_or_default();
        read_frame(&mut cx, &plain, input);
        cx.report.detail.decrypted = plain;
    }
    let code = official::php(&Received {
        encoding_aes_key: &input.encoding_aes_key,
        token: &input.token,
        receive_id: &input.receive_id,
        msg_signature: (!r.msg_signature.is_empty()).then_some(r.msg_signature.as_str()),
        timestamp: &r.timestamp,
        nonce: &r.nonce,
        encrypt: r.encrypt.as_deref().filter(|_| !r.from_json),
    });
    cx.report.official_code = Some(code);
    cx.report.official = vec![official::says(code)];
    cx.report.finish();
    cx.report
}

/// Checks `msg_signature` when one is given: the signature of the Encrypt as received, else of
/// the repaired text (the transport is then the whole story), else names the mix-up.
fn check_signature(cx: &mut Cx, r: &Resolved<'_>) {
    if r.msg_signature.is_empty() {
        cx.push(Code::MsgSignatureUnchecked, Field::MsgSignature, None, &[]);
        return;
    }
    let mut complete = true;
    for (field, v) in [
        (Field::Token, r.input.token.as_str()),
        (Field::Timestamp, r.timestamp.as_str()),
        (Field::Nonce, r.nonce.as_str()),
    ] {
        if v.is_empty() {
            cx.push(Code::InputMissing, field, None, &[]);
            complete = false;
        }
    }
    let Some(encrypt) = r.encrypt.as_deref() else {
        return;
    };
    if !complete {
        return;
    }
    let token = r.input.token.as_str();
    let expected = crypt::msg_signature(token, &r.timestamp, &r.nonce, encrypt);
    let given = r.msg_signature.clone();
    if given == expected {
        cx.report.expected_signature = Some(expected);
        return;
    }
    // The echostr as the framework hands it over (percent-decoded once).
    let decoded = crate::opendata::normalize::normalize(encrypt, LenRule::Blocks)
        .repairs
        .last()
        .map(|s| s.after.clone());
    if let Some(text) = decoded {
        let other = crypt::msg_signature(token, &r.timestamp, &r.nonce, &text);
        if given == other {
            cx.report.expected_signature = Some(other);
            return;
        }
    }
    let span = Some([0, r.msg_signature.chars().count()]);
    if given == crypt::url_signature(token, &r.timestamp, &r.nonce) {
        cx.push(Code::MsgSignatureIsPlain, Field::MsgSignature, span, &[]);
    } else {
        cx.push(
            Code::MsgSignatureMismatch,
            Field::MsgSignature,
            span,
            &[("expected", &expected)],
        );
    }
    cx.report.expected_signature = Some(expected);
}

/// Decodes the EncodingAESKey (`=` appended as the samples do) into its 32 bytes.
fn decode_key(cx: &mut Cx, raw: &str) -> Option<Vec<u8>> {
    let trimmed = raw.trim();
    let with_pad = if trimmed.len() == crypt::KEY_CHARS && !trimmed.ends_with('=') {
        format!("{raw}=")
    } else {
        raw.to_string()
    };
    let (mut findings, mut repairs) = (Vec::new(), Vec::new());
    let d = decode_field(
        cx.lang,
        Field::EncodingAesKey,
        &with_pad,
        LenRule::Exact(crypt::KEY_BYTES),
        &mut findings,
        &mut repairs,
    );
    // Spans point into the key as given, not at the '=' added to it.
    let n = raw.chars().count();
    let clip = |[s, e]: Span| [s.min(n), e.min(n)];
    for f in &mut findings {
        f.span = f.span.map(clip);
    }
    for r in &mut repairs {
        r.spans.iter_mut().for_each(|s| *s = clip(*s));
    }
    cx.report.findings.append(&mut findings);
    cx.report.repairs.append(&mut repairs);
    let text = d.text_of(&with_pad).to_string();
    let bytes = d.bytes?;
    if bytes.len() != crypt::KEY_BYTES {
        let chars = trimmed.chars().count().to_string();
        cx.push(
            Code::MsgKeyLength,
            Field::EncodingAesKey,
            Some([0, raw.chars().count()]),
            &[("chars", &chars)],
        );
        return None;
    }
    cx.report.detail.texts.push((Field::EncodingAesKey, text));
    Some(bytes)
}

/// Decodes the Encrypt text (or echostr) into whole 16-byte blocks.
fn decode_encrypt(cx: &mut Cx, raw: &str) -> Option<Vec<u8>> {
    let d = decode_field(
        cx.lang,
        Field::Encrypt,
        raw,
        LenRule::Blocks,
        &mut cx.report.findings,
        &mut cx.report.repairs,
    );
    let text = d.text_of(raw).to_string();
    let bytes = d.bytes?;
    cx.report.detail.texts.push((Field::Encrypt, text));
    if bytes.len() < 2 * 16 || !bytes.len().is_multiple_of(16) {
        let n = bytes.len().to_string();
        cx.push(
            Code::MsgDataLength,
            Field::Encrypt,
            Some([0, raw.chars().count()]),
            &[("bytes", &n)],
        );
        return None;
    }
    Some(bytes)
}

/// Where the frame ends: before the padding, or before a run of trailing control bytes (zero
/// padding, a pad of the wrong size) — what a sender meant, whatever the samples strip.
fn frame_end(plain: &[u8]) -> usize {
    if let Pad::Valid(n) = crypt::check_pad(plain) {
        return plain.len() - n;
    }
    let Some(&last) = plain.last() else {
        return 0;
    };
    if !(last < 0x20 || last == 0x7f) {
        return plain.len();
    }
    let run = plain
        .iter()
        .rev()
        .take(crypt::PAD_BLOCK)
        .take_while(|&&b| b == last)
        .count();
    plain.len() - run
}

/// Reads the decrypted frame and names what is wrong with it.
fn read_frame(cx: &mut Cx, plain: &[u8], input: &MsgInput) {
    let end = frame_end(plain);
    let body = plain.get(crypt::HEADER..end).unwrap_or(&[]);
    let len = crypt::length_field(plain).map_or(0, |n| n as usize);
    // The right key: the length field fits the frame and leaves a printable receive id (a wrong
    // key passes that with p ≈ 2^-22), or the text reads as text (a length field written wrong).
    let fits = len <= body.len() && body[len..].iter().all(u8::is_ascii_graphic);
    if !fits && !reads_as_text(body) {
        cx.push(Code::MsgKeyMismatch, Field::EncodingAesKey, None, &[]);
        return;
    }
    if let Pad::Invalid { last } = crypt::check_pad(plain) {
        let last = last.to_string();
        cx.push(
            Code::MsgPaddingInvalid,
            Field::Encrypt,
            None,
            &[("last", &last)],
        );
    }
    let avail = body.len();
    let (message, rid) = if len <= avail {
        (&body[..len], Some(&body[len..]))
    } else {
        let (l, a) = (len.to_string(), avail.to_string());
        cx.push(
            Code::MsgLengthInvalid,
            Field::Encrypt,
            None,
            &[("length", &l), ("available", &a)],
        );
        // A little-endian length (a hand-made encoder) still shows the message.
        let le = plain
            .get(16..crypt::HEADER)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(usize::MAX, |b| u32::from_le_bytes(b) as usize);
        if le <= avail {
            (&body[..le], Some(&body[le..]))
        } else {
            (body, None)
        }
    };
    if let Some(rid) = rid {
        check_receive_id(cx, rid, input);
    }
    let text = match std::str::from_utf8(message) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let at = e.valid_up_to();
            let hex: Vec<String> = message[at..]
                .iter()
                .take(4)
                .map(|b| format!("{b:02x}"))
                .collect();
            cx.push(
                Code::PlaintextNotUtf8,
                Field::Plaintext,
                Some([at, at + 1]),
                &[("offset", &at.to_string()), ("bytes", &hex.join(" "))],
            );
            String::from_utf8_lossy(message).into_owned()
        }
    };
    if input.echostr {
        cx.report.reply = Some(text.clone());
    } else {
        cx.report.data = typed(&text);
        cx.report.reply = Some("success".to_string());
    }
    cx.report.plaintext = Some(text);
}

/// Compares the receive id at the end of the message with the configured one.
fn check_receive_id(cx: &mut Cx, rid: &[u8], input: &MsgInput) {
    let found = String::from_utf8_lossy(rid).into_owned();
    let expected = input.receive_id.trim();
    if expected.is_empty() {
        cx.push(
            Code::MsgReceiveIdUnchecked,
            Field::ReceiveId,
            None,
            &[("found", &found)],
        );
    } else if found != expected {
        cx.push(
            Code::MsgReceiveIdMismatch,
            Field::ReceiveId,
            Some([0, input.receive_id.chars().count()]),
            &[("found", &found), ("expected", expected)],
        );
    }
    cx.report.receive_id = Some(found);
}

/// The message as JSON: XML elements as fields, or the JSON itself.
fn typed(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.starts_with('<') {
        crate::xml::to_json(t).ok().map(|(_, v)| v)
    } else if t.starts_with('{') {
        serde_json::from_str(t).ok()
    } else {
        None
    }
}
