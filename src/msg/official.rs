//! What the official WXBizMsgCrypt PHP sample returns for a push as received: `strlen` of the key
//! (43), the XML's `Encrypt`, the sha1 signature compared as a string, PHP's lenient
//! `base64_decode`, `openssl_decrypt` (AES-256-CBC, no padding check), a lenient unpad (the last
//! byte's value when it is 1..=32), the length field read without a bound, and the receive id
//! compared loosely (`!=`) — even when the configured one is empty.

use crate::envelope::BackendSays;
use crate::opendata::official::php::{base64_decode, strings_equal};

use super::crypt;

pub const OK: i32 = 0;
pub const VALIDATE_SIGNATURE_ERROR: i32 = -40001;
pub const PARSE_XML_ERROR: i32 = -40002;
pub const COMPUTE_SIGNATURE_ERROR: i32 = -40003;
pub const ILLEGAL_AES_KEY: i32 = -40004;
pub const VALIDATE_APPID_ERROR: i32 = -40005;
pub const ENCRYPT_AES_ERROR: i32 = -40006;
pub const DECRYPT_AES_ERROR: i32 = -40007;
pub const ILLEGAL_BUFFER: i32 = -40008;
pub const ENCODE_BASE64_ERROR: i32 = -40009;
pub const DECODE_BASE64_ERROR: i32 = -40010;
pub const GEN_RETURN_XML_ERROR: i32 = -40011;

/// The sample's constant name for a code.
pub fn name(code: i32) -> &'static str {
    match code {
        OK => "OK",
        VALIDATE_SIGNATURE_ERROR => "ValidateSignatureError",
        PARSE_XML_ERROR => "ParseXmlError",
        COMPUTE_SIGNATURE_ERROR => "ComputeSignatureError",
        ILLEGAL_AES_KEY => "IllegalAesKey",
        VALIDATE_APPID_ERROR => "ValidateAppidError",
        ENCRYPT_AES_ERROR => "EncryptAESError",
        DECRYPT_AES_ERROR => "DecryptAESError",
        ILLEGAL_BUFFER => "IllegalBuffer",
        ENCODE_BASE64_ERROR => "EncodeBase64Error",
        DECODE_BASE64_ERROR => "DecodeBase64Error",
        GEN_RETURN_XML_ERROR => "GenReturnXmlError",
        _ => "?",
    }
}

/// The strings the sample is given.
pub struct Received<'a> {
    pub encoding_aes_key: &'a str,
    pub token: &'a str,
    pub receive_id: &'a str,
    /// None when no signature is checked (the report says so separately).
    pub msg_signature: Option<&'a str>,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    /// The `Encrypt` text; None when the body had none or was JSON, which the sample's XML
    /// parser cannot read (-40002).
    pub encrypt: Option<&'a str>,
}

/// `decryptMsg` / `VerifyURL` of the PHP sample.
pub fn php(r: &Received<'_>) -> i32 {
    if r.encoding_aes_key.len() != crypt::KEY_CHARS {
        return ILLEGAL_AES_KEY;
    }
    let Some(encrypt) = r.encrypt else {
        return PARSE_XML_ERROR;
    };
    if let Some(given) = r.msg_signature
        && crypt::msg_signature(r.token, r.timestamp, r.nonce, encrypt) != given
    {
        return VALIDATE_SIGNATURE_ERROR;
    }
    let mut key = base64_decode(&format!("{}=", r.encoding_aes_key));
    // openssl_decrypt pads a short key with zeros and cuts a long one.
    key.resize(crypt::KEY_BYTES, 0);
    let data = base64_decode(encrypt);
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return DECRYPT_AES_ERROR;
    }
    let Some(plain) = crypt::decrypt_raw(&key, &data) else {
        return DECRYPT_AES_ERROR;
    };
    let result = &plain[..plain.len() - crypt::lenient_pad(&plain)];
    if result.len() < 16 {
        return ILLEGAL_BUFFER;
    }
    let content = &result[16..];
    // unpack("N") of fewer than four bytes fails: the length reads as 0.
    let len = crypt::length_field(result).map_or(0, |n| n as usize);
    let from = content.get(len.saturating_add(4)..).unwrap_or(&[]);
    let from = String::from_utf8_lossy(from);
    if strings_equal(&from, r.receive_id) {
        OK
    } else {
        VALIDATE_APPID_ERROR
    }
}

/// The report's `official` line for a code.
pub fn says(code: i32) -> BackendSays {
    BackendSays {
        backend: "php",
        ok: code == OK,
        code: Some(code),
        says: name(code).to_string(),
    }
}
