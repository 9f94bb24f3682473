//! What the user's backend would say: the official WXBizDataCrypt error codes, and each common
//! sample's logic (PHP, Node.js, Python, Java; one file each) re-done on the inputs *as received* — lenient
//! or strict base64, padding checked or not, the appid compared always or only when present — so
//! the report can show the code or exception the backend logs. Tests hold each model to the real
//! runtime (tests/engine/official.rs).

mod java;
mod node;
mod php;
mod pyjson;
mod python;

use serde::Serialize;

use crate::opendata::cipher::{Padding, check_pkcs7};

pub const OK: i32 = 0;
pub const ILLEGAL_AES_KEY: i32 = -41001;
pub const ILLEGAL_IV: i32 = -41002;
pub const ILLEGAL_BUFFER: i32 = -41003;
pub const DECODE_BASE64_ERROR: i32 = -41004;

/// The sample's constant name for a code.
pub fn name(code: i32) -> &'static str {
    match code {
        OK => "OK",
        ILLEGAL_AES_KEY => "IllegalAesKey",
        ILLEGAL_IV => "IllegalIv",
        ILLEGAL_BUFFER => "IllegalBuffer",
        DECODE_BASE64_ERROR => "DecodeBase64Error",
        _ => "?",
    }
}

/// What one sample did with the inputs: a code (PHP), or returned (`ok`) or threw (`exception`,
/// `message`) — the words the backend's log would show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SampleOutcome {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl SampleOutcome {
    pub fn ok() -> SampleOutcome {
        SampleOutcome {
            ok: true,
            ..SampleOutcome::default()
        }
    }

    pub fn code(code: i32) -> SampleOutcome {
        SampleOutcome {
            ok: code == OK,
            code: Some(code),
            ..SampleOutcome::default()
        }
    }

    pub fn exception(class: &str, message: &str) -> SampleOutcome {
        SampleOutcome {
            ok: false,
            code: None,
            exception: Some(class.to_string()),
            message: Some(message.to_string()),
        }
    }
}

/// What each common backend does with the four strings as received (the report's `official`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Samples {
    /// The official PHP sample (`WXBizDataCrypt::decryptData`): its code.
    pub php: SampleOutcome,
    /// The official Node.js sample (`WXBizDataCrypt.prototype.decryptData`).
    pub node: SampleOutcome,
    /// The official Python sample (`WXBizDataCrypt.decrypt`, pycryptodome, CPython 3.11).
    pub python: SampleOutcome,
    /// JDK `AES/CBC/PKCS5Padding` with `java.util.Base64` (no JSON or appid check).
    pub java: SampleOutcome,
}

/// Runs each sample's logic on the inputs as given (no repair of ours applies).
pub fn samples(appid: &str, session_key: &str, iv: &str, encrypted_data: &str) -> Samples {
    Samples {
        php: SampleOutcome::code(php::decrypt_data(appid, session_key, iv, encrypted_data)),
        node: node::decrypt_data(appid, session_key, iv, encrypted_data),
        python: python::decrypt(appid, session_key, iv, encrypted_data),
        java: java::decrypt(session_key, iv, encrypted_data),
    }
}

/// The 6-bit value of a base64 character: the standard alphabet, and with `url_safe` also `-` and
/// `_`.
fn value_of(c: u8, url_safe: bool) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        b'-' if url_safe => Some(62),
        b'_' if url_safe => Some(63),
        _ => None,
    }
}

/// AES-CBC decryption of whole blocks with a 16, 24 or 32-byte key, padding left on. `None` for
/// other key lengths, an iv that is not 16 bytes or data that is not whole blocks.
fn cbc_decrypt_raw(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    use aes::cipher::block_padding::NoPadding;
    use aes::cipher::{BlockModeDecrypt, KeyIvInit};
    if !data.len().is_multiple_of(16) {
        return None;
    }
    match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec::<NoPadding>(data)
            .ok(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec::<NoPadding>(data)
            .ok(),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec::<NoPadding>(data)
            .ok(),
        _ => None,
    }
}

/// OpenSSL's AES-CBC decryption with PKCS#7 removed: `None` where OpenSSL fails ("bad decrypt",
/// "wrong final block length"), empty data included.
fn cbc_decrypt_pkcs7(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    if data.is_empty() {
        return None;
    }
    let mut plain = cbc_decrypt_raw(key, iv, data)?;
    match check_pkcs7(&plain) {
        Padding::Valid { len } => {
            plain.truncate(plain.len() - len);
            Some(plain)
        }
        Padding::Invalid { .. } => None,
    }
}
