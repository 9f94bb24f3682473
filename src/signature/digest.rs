//! The digests themselves: the user-info signature, the checkSession signature and
//! checkEncryptedData's `encrypted_msg_hash`, as the WeChat documentation defines them (each
//! checked against the documentation's own example in the tests).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// Lowercase hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// sha1 of the parts, one after the other.
pub(crate) fn sha1_of(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

/// HMAC-SHA256 of `message` under `key` (any length).
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The user-info signature of getUserInfo / getUserProfile: `sha1(rawData + session_key)`, hex.
pub fn user_info_signature(raw_data: &str, session_key: &str) -> String {
    hex(&sha1_of(&[raw_data.as_bytes(), session_key.as_bytes()]))
}

/// The checkSession signature: `hmac_sha256(key = the session_key's text, message = the request
/// body)` ("" for a GET), hex.
pub fn session_signature(session_key: &str, body: &str) -> String {
    hex(&hmac_sha256(session_key.as_bytes(), body.as_bytes()))
}

/// checkEncryptedData's `encrypted_msg_hash`: sha256 of encryptedData **as the base64 text it
/// arrives as** (surrounding blanks trimmed), hex. The documentation says "the sha256 of the
/// encrypted data"; its own example (`hsSuSUse…PA==` → `657edd86…0b2c`) is the hash of the text,
/// not of the decoded bytes.
pub fn encrypted_msg_hash(encrypted_data: &str) -> String {
    let mut h = Sha256::new();
    h.update(encrypted_data.trim().as_bytes());
    hex(&h.finalize())
}

/// sha256 of encryptedData's decoded bytes, hex: what the documentation's wording suggests and
/// the server does not expect (shown so a backend that sends it can be told). None when the text
/// is not base64.
pub fn decoded_hash(encrypted_data: &str) -> Option<String> {
    let bytes = crate::opendata::normalize::B64
        .decode(encrypted_data.trim())
        .ok()?;
    let mut h = Sha256::new();
    h.update(&bytes);
    Some(hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
    }
}
