//! AEAD_AES_256_GCM as Pay APIv3 uses it (32-byte key, 12-byte nonce, 16-byte tag after the
//! ciphertext), and the counter-mode keystream alone: GCM encrypts with AES-CTR, so the text can be
//! read without the tag, which is how a wrong key is told from a wrong associated_data.

use aes::cipher::{KeyIvInit, StreamCipher};
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};

pub const KEY_BYTES: usize = 32;
pub const NONCE_BYTES: usize = 12;
pub const TAG_BYTES: usize = 16;

type Ctr = ctr::Ctr32BE<aes::Aes256>;

fn cipher(key: &[u8]) -> Option<Aes256Gcm> {
    Aes256Gcm::new_from_slice(key).ok()
}

fn nonce(n: &[u8]) -> Option<&Nonce<aes_gcm::aead::consts::U12>> {
    <&Nonce<_>>::try_from(n).ok()
}

/// Decrypts and verifies `data` (ciphertext then tag). None when the tag does not verify or a
/// size is wrong.
pub fn open(key: &[u8], nonce_bytes: &[u8], aad: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    cipher(key)?
        .decrypt(nonce(nonce_bytes)?, Payload { msg: data, aad })
        .ok()
}

/// Encrypts `plain` and appends the tag. None when a size is wrong.
pub fn seal(key: &[u8], nonce_bytes: &[u8], aad: &[u8], plain: &[u8]) -> Option<Vec<u8>> {
    cipher(key)?
        .encrypt(nonce(nonce_bytes)?, Payload { msg: plain, aad })
        .ok()
}

/// The plaintext of `body` (ciphertext without its tag) from the keystream alone: what the
/// key and nonce give whatever the tag says. None when a size is wrong.
pub fn keystream(key: &[u8], nonce_bytes: &[u8], body: &[u8]) -> Option<Vec<u8>> {
    if nonce_bytes.len() != NONCE_BYTES {
        return None;
    }
    // The first counter block (…0001) makes the tag mask; the text starts at …0002.
    let mut iv = [0u8; 16];
    iv[..NONCE_BYTES].copy_from_slice(nonce_bytes);
    iv[15] = 2;
    let mut c = Ctr::new_from_slices(key, &iv).ok()?;
    let mut out = body.to_vec();
    c.apply_keystream(&mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystream_reads_what_seal_wrote() {
        let key = [3u8; 32];
        let sealed = seal(&key, b"123456789012", b"transaction", b"{\"a\":1}").unwrap();
        let body = &sealed[..sealed.len() - TAG_BYTES];
        assert_eq!(
            keystream(&key, b"123456789012", body).unwrap(),
            b"{\"a\":1}"
        );
        assert_eq!(
            open(&key, b"123456789012", b"transaction", &sealed).unwrap(),
            b"{\"a\":1}"
        );
        assert!(open(&key, b"123456789012", b"refund", &sealed).is_none());
    }
}
