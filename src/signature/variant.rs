//! Which known mistake made a signature that does not match: the key base64-decoded before use,
//! the two parts swapped, the data re-serialised (or its keys sorted) before hashing, the digest
//! written in upper case or in base64. Each candidate is one digest: the cost is a few hashes of
//! the message, linear in its length.

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use super::digest::{hex, hmac_sha256, sha1_of};
use super::json_forms::{Form, reserialize};

/// Which signature: the user-info one (sha1) or checkSession's (HMAC-SHA256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// `sha1(rawData + session_key)` of getUserInfo / getUserProfile.
    UserInfo,
    /// `hmac_sha256(session_key, body)` of checkSession and the server APIs that take one.
    Session,
}

/// A known way to compute a signature wrong. The strings are a public contract (`variant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// The key used as its 16 decoded bytes instead of its base64 text.
    DecodedKey,
    /// The parts in the other order (`session_key + rawData`; HMAC keyed with the body).
    Swapped,
    /// The data's keys sorted before hashing.
    Sorted,
    /// The right digest, written in upper-case hex.
    Uppercase,
    /// The right digest, written in base64 instead of hex.
    Base64Output,
    /// The data re-serialised before hashing (spaces, `\/` or `\uXXXX` escapes, indentation).
    Reserialized,
}

impl Variant {
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::DecodedKey => "decoded_key",
            Variant::Swapped => "swapped",
            Variant::Sorted => "sorted",
            Variant::Uppercase => "uppercase",
            Variant::Base64Output => "base64_output",
            Variant::Reserialized => "reserialized",
        }
    }

    /// Catalogue key of what the mistake is, in words.
    pub fn label_key(self) -> &'static str {
        match self {
            Variant::DecodedKey => "signature.variant.decoded_key",
            Variant::Swapped => "signature.variant.swapped",
            Variant::Sorted => "signature.variant.sorted",
            Variant::Uppercase => "signature.variant.uppercase",
            Variant::Base64Output => "signature.variant.base64_output",
            Variant::Reserialized => "signature.variant.reserialized",
        }
    }

    /// Catalogue key of the fix.
    pub fn fix_key(self) -> &'static str {
        match self {
            Variant::DecodedKey => "signature.fix.decoded_key",
            Variant::Swapped => "signature.fix.swapped",
            Variant::Sorted => "signature.fix.sorted",
            Variant::Uppercase => "signature.fix.uppercase",
            Variant::Base64Output => "signature.fix.base64_output",
            Variant::Reserialized => "signature.fix.reserialized",
        }
    }
}

/// The digest of `kind` over `message` with `key` (both as bytes).
pub fn digest(kind: SignatureKind, key: &[u8], message: &[u8]) -> Vec<u8> {
    match kind {
        SignatureKind::UserInfo => sha1_of(&[message, key]),
        SignatureKind::Session => hmac_sha256(key, message),
    }
}

/// How a given signature writes a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    Hex,
    Upper,
    Base64,
}

fn written(given: &str, digest: &[u8]) -> Option<Written> {
    let h = hex(digest);
    if given == h {
        return Some(Written::Hex);
    }
    if given.eq_ignore_ascii_case(&h) {
        return Some(Written::Upper);
    }
    let b64 = [
        base64::engine::general_purpose::STANDARD.encode(digest),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest),
        base64::engine::general_purpose::URL_SAFE.encode(digest),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest),
    ];
    b64.iter().any(|b| b == given).then_some(Written::Base64)
}

/// The mistake that makes `given` from `key_text` and `message`, and for a re-serialisation its
/// form; None when no known one does (or when `given` is the right signature). A mistake in what
/// was hashed is named before one in how the digest was written.
pub fn explain(
    kind: SignatureKind,
    key_text: &str,
    message: &str,
    given: &str,
) -> Option<(Variant, Option<Form>)> {
    let (key, msg) = (key_text.as_bytes(), message.as_bytes());
    let mut candidates: Vec<(Option<Variant>, Option<Form>, Vec<u8>)> =
        vec![(None, None, digest(kind, key, msg))];
    if let Ok(decoded) = crate::opendata::normalize::B64.decode(key_text) {
        candidates.push((Some(Variant::DecodedKey), None, digest(kind, &decoded, msg)));
    }
    let swapped = match kind {
        SignatureKind::UserInfo => sha1_of(&[key, msg]),
        SignatureKind::Session => hmac_sha256(msg, key),
    };
    candidates.push((Some(Variant::Swapped), None, swapped));
    if let Ok(value) = serde_json::from_str::<Value>(message) {
        // A form that writes the same text as the data or an earlier form is that one.
        let mut seen = vec![message.to_string()];
        for form in Form::ALL {
            let text = reserialize(&value, form);
            if !seen.contains(&text) {
                let variant = match form {
                    Form::Sorted => Variant::Sorted,
                    _ => Variant::Reserialized,
                };
                candidates.push((
                    Some(variant),
                    Some(form),
                    digest(kind, key, text.as_bytes()),
                ));
                seen.push(text);
            }
        }
    }
    candidates
        .into_iter()
        .find_map(|(variant, form, d)| match (written(given, &d)?, variant) {
            (Written::Hex, None) => None,
            (_, Some(v)) => Some((v, form)),
            (Written::Upper, None) => Some((Variant::Uppercase, None)),
            (Written::Base64, None) => Some((Variant::Base64Output, None)),
        })
}
