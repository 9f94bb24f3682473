//! What the user's backend would say: the official WXBizDataCrypt error codes, and each common
//! sample's logic (PHP, Node.js, Python, Java; one file each) re-done on the inputs *as received* — lenient
//! or strict base64, padding checked or not, the appid compared always or only when present — so
//! the report can show the code or exception the backend logs. Tests hold each model to the real
//! runtime (tests/engine/official.rs).

mod java;
mod node;
pub(crate) mod php;
mod pyjson;
mod python;

use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;

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
    let mut shared = Shared::default();
    let s = &mut shared;
    Samples {
        php: SampleOutcome::code(php::decrypt_data(s, appid, session_key, iv, encrypted_data)),
        node: node::decrypt_data(s, appid, session_key, iv, encrypted_data),
        python: python::decrypt(s, appid, session_key, iv, encrypted_data),
        java: java::decrypt(s, session_key, iv, encrypted_data),
    }
}

/// [`samples`] for inputs that every sample reads as the inspection did: key, iv and data in
/// canonical base64 (so every decoder gives the same bytes), a 16-byte key and iv, whole blocks
/// with valid PKCS#7, UTF-8 text that is a JSON object whose `watermark.appid` is the string
/// `seen`. Then the samples differ only in how they compare the appid, and nothing needs redoing
/// (the batch hot path). Tests hold it equal to [`samples`] on such inputs.
pub fn samples_of_clean(appid: &str, seen: &str) -> Samples {
    let same = seen == appid;
    let php = if php::strings_equal(seen, appid) {
        OK
    } else {
        ILLEGAL_BUFFER
    };
    Samples {
        php: SampleOutcome::code(php),
        node: if same {
            SampleOutcome::ok()
        } else {
            node::illegal_buffer()
        },
        python: if same {
            SampleOutcome::ok()
        } else {
            python::invalid_buffer()
        },
        java: SampleOutcome::ok(),
    }
}

/// Work the samples share: most inputs decode to the same bytes for every sample, so each distinct
/// (key, iv, data) is decrypted once and each distinct plaintext parsed by serde_json once.
#[derive(Default)]
struct Shared {
    decrypted: Vec<Decrypted>,
    parsed: Vec<Parsed>,
    /// Fields that are canonical base64, decoded (every sample's decoder gives these bytes).
    canonical: Vec<(String, Option<Rc<[u8]>>)>,
}

/// (key, iv, data) and what they decrypt to.
type Decrypted = ([Vec<u8>; 3], Option<Rc<[u8]>>);
/// A text and its JSON value (None: not JSON).
type Parsed = (Rc<[u8]>, Rc<Option<Value>>);

impl Shared {
    /// `s` decoded by a sample's own decoder `slow` — or, when `s` is canonical base64 (the usual
    /// case, where all the samples' decoders agree), decoded once for all of them.
    fn decode<E>(
        &mut self,
        s: &str,
        slow: impl FnOnce(&str) -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        use base64::Engine as _;
        let known = self
            .canonical
            .iter()
            .find(|(t, _)| t == s)
            .map(|(_, b)| b.clone());
        let bytes = known.unwrap_or_else(|| {
            let b: Option<Rc<[u8]>> = base64::engine::general_purpose::STANDARD
                .decode(s)
                .ok()
                .map(Rc::from);
            self.canonical.push((s.to_string(), b.clone()));
            b
        });
        match bytes {
            Some(b) => Ok(b.to_vec()),
            None => slow(s),
        }
    }

    /// [`cbc_decrypt_raw`], once per distinct input.
    fn decrypt_raw(&mut self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Rc<[u8]>> {
        if let Some((_, out)) = self
            .decrypted
            .iter()
            .find(|([k, i, d], _)| k == key && i == iv && d == data)
        {
            return out.clone();
        }
        let out: Option<Rc<[u8]>> = cbc_decrypt_raw(key, iv, data).map(Rc::from);
        self.decrypted
            .push(([key.to_vec(), iv.to_vec(), data.to_vec()], out.clone()));
        out
    }

    /// OpenSSL's AES-CBC decryption with PKCS#7 removed: `None` where OpenSSL fails ("bad
    /// decrypt", "wrong final block length"), empty data included.
    fn decrypt_pkcs7(&mut self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Rc<[u8]>> {
        if data.is_empty() {
            return None;
        }
        let plain = self.decrypt_raw(key, iv, data)?;
        match check_pkcs7(&plain) {
            Padding::Valid { len } => Some(Rc::from(&plain[..plain.len() - len])),
            Padding::Invalid { .. } => None,
        }
    }

    /// `serde_json::from_slice::<Value>`, once per distinct text.
    fn parse(&mut self, text: &[u8]) -> Rc<Option<Value>> {
        if let Some((_, v)) = self.parsed.iter().find(|(t, _)| **t == *text) {
            return v.clone();
        }
        let v = Rc::new(serde_json::from_slice::<Value>(text).ok());
        self.parsed.push((Rc::from(text), v.clone()));
        v
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
